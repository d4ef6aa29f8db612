"""El membrete neutro: el documento de referencia del que el DOCX del informe toma sus estilos,
su página, su cabecera y su pie (``identificacion.plantilla_word`` de los parámetros nombra
el de la entidad; ``informe-poa nuevo`` escribe éste para que la entidad lo edite en Word).

Sale del documento de referencia que trae el mismo pandoc que escribe el informe (así tiene
todos los estilos que pandoc usa) con: hoja A4 y márgenes de 2,5 cm, la letra del PDF, el
castellano de Bolivia como idioma, los estilos propios del informe (``ESTILOS``: portada,
fuentes, firmas, resumen) y un pie con «Página N de M». La cabecera queda vacía: es donde la
entidad pone su logo y su nombre.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from helpers.rutas import MEMBRETE
from helpers.salida.word.pandoc import pandoc

__all__ = ["ESTILOS", "LETRA", "MEMBRETE", "agregar_campo", "definir_estilos", "escribir_membrete",
           "membrete_neutro", "membrete_si_falta", "problema_del_membrete"]

# El que escribe `informe-poa nuevo` en la carpeta de la entidad (su LEEME lo nombra).
LETRA = "DejaVu Sans"  # la del PDF (informe.css)
IDIOMA = "es-BO"
# Estilo propio → (tamaño en puntos, negrita, alineación, espacio antes en puntos).
ESTILOS: dict[str, tuple[float, bool, str, float]] = {
    "Portada entidad": (16, True, "center", 96),
    "Portada unidad": (12, False, "center", 6),
    "Portada titulo": (22, True, "center", 48),
    "Portada subtitulo": (14, False, "center", 12),
    "Portada dato": (10, False, "left", 4),
    "Contenido del informe": (10, False, "left", 0),
    "Resumen ejecutivo": (10, False, "justify", 6),
    "Fuente": (8, False, "left", 2),
    "Celda": (8, False, "left", 0),
    "Celda angosta": (6, False, "left", 0),
    "Firma rol": (10, True, "left", 24),
    "Firma espacio": (10, False, "left", 36),
    "Firma nombre": (10, False, "left", 0),
    "Firma cargo": (10, False, "left", 0),
    "Colofón": (8, False, "left", 4),
}


def membrete_neutro() -> bytes:
    """El membrete neutro, como bytes de un DOCX."""
    import docx
    from docx.shared import Cm

    referencia = subprocess.run(
        [pandoc(), "--print-default-data-file", "reference.docx"],
        check=True, capture_output=True).stdout
    documento = docx.Document(io.BytesIO(referencia))
    for seccion in documento.sections:
        seccion.page_width, seccion.page_height = Cm(21), Cm(29.7)
        for lado in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(seccion, lado, Cm(2.5))
        _pie_con_paginas(seccion.footer)
    estilos = documento.styles
    _letra(estilos["Normal"], LETRA)
    estilos["Heading 1"].paragraph_format.page_break_before = True  # cada sección, en hoja nueva
    definir_estilos(documento, todos=True)
    _idioma(documento)
    salida = io.BytesIO()
    documento.save(salida)
    return salida.getvalue()


def definir_estilos(documento, *, todos: bool = False) -> None:
    """Los estilos propios del informe (``ESTILOS``) en `documento`: los que le faltan (un
    membrete de la entidad puede no traerlos) o, con `todos`, todos."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    estilos = documento.styles
    existentes = {s.name for s in estilos}
    alineaciones = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    for nombre, (tamano, negrita, alineacion, antes) in ESTILOS.items():
        if nombre in existentes and not todos:
            continue
        estilo = (estilos[nombre] if nombre in existentes
                  else estilos.add_style(nombre, WD_STYLE_TYPE.PARAGRAPH))
        estilo.base_style = estilos["Normal"]
        estilo.font.size, estilo.font.bold = Pt(tamano), negrita
        estilo.paragraph_format.alignment = alineaciones[alineacion]
        estilo.paragraph_format.space_before = Pt(antes)
        # Las celdas, juntas; los demás párrafos, un respiro debajo.
        estilo.paragraph_format.space_after = Pt(0 if nombre.startswith("Celda") else 4)


def problema_del_membrete(ruta: Path) -> str | None:
    """Por qué no sirve `ruta` como membrete (en una frase, sin el nombre del archivo), o None:
    que no exista, que no sea un documento de Word, que sea una «bomba zip» (se mide antes de
    abrirlo: ``comun.libro_comprimido``)."""
    import zipfile

    from helpers.comun.libro_comprimido import DOCUMENTO, problema_de_tamano

    ruta = Path(ruta)
    if not ruta.is_file():
        return (f"no existe el membrete {ruta}: escriba la ruta del .docx de la entidad "
                "(relativa al archivo de parámetros), o quite la clave para usar el neutro")
    if ruta.suffix.casefold() != ".docx" or not zipfile.is_zipfile(ruta):
        return (f"{ruta.name} no es un documento de Word (.docx): guárdelo desde Word como "
                "«Documento de Word (.docx)»")
    if (motivo := problema_de_tamano(ruta, DOCUMENTO)) is not None:
        return motivo
    try:
        import docx

        docx.Document(str(ruta))
    except Exception as error:  # noqa: BLE001 - cualquier falla al abrirlo dice lo mismo
        return (f"Word no podría usar {ruta.name} como membrete ({type(error).__name__}): "
                "ábralo en Word y guárdelo otra vez como .docx")
    return None


def membrete_si_falta(carpeta: Path) -> Path | None:
    """El membrete neutro en la carpeta de una entidad nueva (``MEMBRETE``), si no tiene uno;
    devuelve su ruta, o None si ya lo tenía."""
    ruta = Path(carpeta) / MEMBRETE
    try:
        return escribir_membrete(ruta)
    except FileExistsError:
        return None


def escribir_membrete(ruta: Path) -> Path:
    """El membrete neutro en `ruta` (que no debe existir: no se reemplaza uno editado)."""
    with open(ruta, "xb") as archivo:
        archivo.write(membrete_neutro())
    return ruta


def _letra(estilo, nombre: str) -> None:
    from docx.oxml.ns import qn

    estilo.font.name = nombre
    fuentes = estilo.element.get_or_add_rPr().get_or_add_rFonts()
    for atributo in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fuentes.set(qn(atributo), nombre)


def _idioma(documento) -> None:
    """El castellano de Bolivia para la ortografía y la separación en sílabas de Word."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    propiedades = documento.styles.element.find(qn("w:docDefaults"))
    rpr = propiedades.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    idioma = rpr.find(qn("w:lang"))
    if idioma is None:
        idioma = OxmlElement("w:lang")
        rpr.append(idioma)
    idioma.set(qn("w:val"), IDIOMA)


def _pie_con_paginas(pie) -> None:
    """«Página N de M» centrado, con los campos PAGE y NUMPAGES de Word."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    parrafo = pie.paragraphs[0] if pie.paragraphs else pie.add_paragraph()
    parrafo.alignment = WD_ALIGN_PARAGRAPH.CENTER
    parrafo.add_run("Página ")
    agregar_campo(parrafo, "PAGE")
    parrafo.add_run(" de ")
    agregar_campo(parrafo, "NUMPAGES")


def agregar_campo(parrafo, instruccion: str, resultado: str = "1") -> None:
    """Un campo simple de Word (PAGE, NUMPAGES...) al final de `parrafo`, con `resultado`
    como texto hasta que Word o LibreOffice lo calculan."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    campo = OxmlElement("w:fldSimple")
    campo.set(qn("w:instr"), f" {instruccion} ")
    corrida = OxmlElement("w:r")
    texto = OxmlElement("w:t")
    texto.text = resultado
    corrida.append(texto)
    campo.append(corrida)
    parrafo._p.append(campo)
