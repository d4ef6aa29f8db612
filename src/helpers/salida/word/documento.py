"""Lo que pandoc no sabe decir del DOCX del informe, hecho con python-docx sobre lo que él
escribió: el índice como campo de Word, los cuadros (``cuadros``: escritos aparte, en el lugar
que les guardó ``fuente``), las hojas apaisadas de los cuadros anchos, el CITE en la
cabecera, el número de página en el pie si el membrete no lo trae, las propiedades del
documento y un archivo igual byte a byte para los mismos datos."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from helpers.salida.word.cuadros import PREFIJO_CUADRO, CuadroEscrito, Medidas
from helpers.salida.word.fuente import ESTILO_LUGAR, MARCA_CONTENIDO, ParaPandoc
from helpers.salida.word.membrete import ESTILOS, agregar_campo, definir_estilos

__all__ = ["PREFIJO_CUADRO", "retocar"]

_NIVELES_INDICE = 2
# El comentario que ocupa el lugar de un cuadro hasta que el OOXML del cuadro lo reemplaza.
_LUGAR = "informe-poa cuadro {}"
_LUGARES = re.compile(r"<!--informe-poa cuadro (\d+)-->")


def retocar(ruta: Path, fuente: ParaPandoc, datos: dict,
            escribir_cuadros: Callable[[Medidas], list[CuadroEscrito]]) -> Path:
    """Retoca el DOCX `ruta` que escribió pandoc (ver el docstring del módulo). `fuente`: lo
    que leyó (``fuente.html_para_pandoc``: los cuadros, en el orden de sus lugares, y los
    gráficos, que toman el lugar de sus sustitutos); `datos`: ``titulo``, ``entidad``,
    ``identificador``, ``fecha`` (datetime) y, si los hay, ``cite`` y ``hoja_ruta``;
    `escribir_cuadros`: el OOXML de cada cuadro con las medidas del membrete
    (``cuadros.escribir_cuadros``)."""
    import docx

    documento = docx.Document(str(ruta))
    lugares = [p for p in documento.paragraphs if p.style.name == ESTILO_LUGAR]
    if len(lugares) != len(fuente.cuadros):
        raise ValueError(f"El DOCX tiene {len(lugares)} lugares de cuadro y el informe "
                         f"{len(fuente.cuadros)} cuadros.")
    definir_estilos(documento)
    _cabecera_y_pie(documento, datos)
    vertical, apaisada = _anchos_de_texto(documento)
    estilos = {nombre: documento.styles[nombre].style_id for nombre in ESTILOS}
    escritos = escribir_cuadros(Medidas(vertical, apaisada, estilos))
    for numero, (lugar, escrito) in enumerate(zip(lugares, escritos)):
        if escrito.apaisado:
            _apaisar(documento, lugar._p)
        lugar._p.getparent().replace(lugar._p, etree.Comment(_LUGAR.format(numero)))
    if lugares:
        estilo = lugares[0].style.element
        estilo.getparent().remove(estilo)
    _indice(documento)
    _propiedades(documento, datos)
    graficos = _graficos_en_su_lugar(documento, fuente.graficos)
    memoria = io.BytesIO()
    documento.save(memoria)
    _guardar_fijo(memoria.getvalue(), ruta, datos["fecha"], graficos,
                  [e.xml for e in escritos])
    return ruta


def _graficos_en_su_lugar(documento, graficos: list[bytes]) -> dict[str, bytes]:
    """Qué archivo del DOCX (``word/media/…``) es cada gráfico: el de la imagen N del cuerpo,
    en su orden, es el gráfico N (cada sustituto es otro archivo)."""
    from docx.oxml.ns import qn

    imagenes = documento.element.body.iter(qn("a:blip"))
    archivos = [documento.part.rels[i.get(qn("r:embed"))].target_part.partname.lstrip("/")
                for i in imagenes]
    if len(archivos) != len(graficos):
        raise ValueError(f"El DOCX tiene {len(archivos)} imágenes y el informe "
                         f"{len(graficos)} gráficos.")
    return dict(zip(archivos, graficos))


def _anchos_de_texto(documento) -> tuple[int, int]:
    """El ancho del texto en una hoja vertical y en una apaisada (veinteavos de punto), según
    la página y los márgenes del membrete."""
    seccion = documento.sections[-1]
    margenes = seccion.left_margin + seccion.right_margin
    ancho, alto = sorted((seccion.page_width, seccion.page_height))
    return (ancho - margenes) // 635, (alto - margenes) // 635  # 635 EMU por veinteavo


def _hermano(elemento, paso: str, etiqueta: str):
    """El hermano anterior o siguiente (`paso`) de `elemento` con la etiqueta `etiqueta`,
    saltando las marcas (bookmarks) que pandoc pone alrededor del lugar de un cuadro."""
    from docx.oxml.ns import qn

    hermano = getattr(elemento, paso)()
    while hermano is not None and hermano.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
        hermano = getattr(hermano, paso)()
    return hermano if hermano is not None and hermano.tag == qn(etiqueta) else None


def _apaisar(documento, lugar) -> None:
    """El cuadro del párrafo `lugar` (su leyenda y su tabla), con su fuente, en una sección
    apaisada: la sección anterior termina en el párrafo que lo precede, y ésta en la fuente.
    Dos cuadros anchos seguidos quedan en una misma sección."""
    from docx.oxml.ns import qn

    final = documento.element.body.find(qn("w:sectPr"))
    antes = _hermano(lugar, "getprevious", "w:p")
    despues = _hermano(lugar, "getnext", "w:p")
    if antes is None or despues is None:
        return
    previa = antes.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    if previa is not None and _es_apaisada(previa):
        previa.getparent().remove(previa)  # la anterior ya era apaisada: sigue la misma
    elif previa is None:
        antes.get_or_add_pPr().append(copy.deepcopy(final))
    apaisada = copy.deepcopy(final)
    tamano = apaisada.find(qn("w:pgSz"))
    if tamano is not None:
        ancho, alto = tamano.get(qn("w:w")), tamano.get(qn("w:h"))
        tamano.set(qn("w:w"), alto)
        tamano.set(qn("w:h"), ancho)
        tamano.set(qn("w:orient"), "landscape")
    despues.get_or_add_pPr().append(apaisada)


def _es_apaisada(seccion) -> bool:
    from docx.oxml.ns import qn

    tamano = seccion.find(qn("w:pgSz"))
    return tamano is not None and tamano.get(qn("w:orient")) == "landscape"


def _cabecera_y_pie(documento, datos: dict) -> None:
    """El CITE y la hoja de ruta en la cabecera (bajo lo que ponga el membrete) y, si el pie
    del membrete no numera las páginas, «Página N de M»."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    seccion = documento.sections[-1]
    registro = " · ".join(f"{etiqueta}: {datos[clave]}" for clave, etiqueta in
                          (("cite", "CITE"), ("hoja_ruta", "Hoja de ruta")) if datos.get(clave))
    if registro:
        parrafo = seccion.header.add_paragraph(registro)
        parrafo.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if "PAGE" not in seccion.footer._element.xml:
        parrafo = seccion.footer.add_paragraph("Página ")
        parrafo.alignment = WD_ALIGN_PARAGRAPH.CENTER
        agregar_campo(parrafo, "PAGE")
        parrafo.add_run(" de ")
        agregar_campo(parrafo, "NUMPAGES")


def _indice(documento) -> None:
    """El párrafo de la marca del índice, vuelto un campo TOC de Word (que Word actualiza al
    abrir: ``updateFields``) con los títulos como resultado provisional, entre un salto de
    página después de la portada y otro antes del cuerpo."""
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    marca = next((p for p in documento.paragraphs if p.text == MARCA_CONTENIDO), None)
    if marca is None:
        return
    titulos = [p.text for p in documento.paragraphs
               if p.style.name in {f"Heading {n}" for n in range(1, _NIVELES_INDICE + 1)}]
    for corrida in list(marca.runs):
        corrida._r.getparent().remove(corrida._r)
    marca.insert_paragraph_before().add_run().add_break(WD_BREAK.PAGE)
    marca.insert_paragraph_before("Contenido", style=_estilo(documento, "TOC Heading"))
    partes = [("begin", None), ("instr", f' TOC \\o "1-{_NIVELES_INDICE}" \\h \\z \\u '),
              ("separate", None), ("texto", "\n".join(titulos)), ("end", None)]
    for clase, texto in partes:
        corrida = OxmlElement("w:r")
        if clase == "instr":
            hijo = OxmlElement("w:instrText")
            hijo.set(qn("xml:space"), "preserve")
            hijo.text = texto
        elif clase == "texto":
            for n, linea in enumerate(texto.split("\n")):
                if n:
                    corrida.append(OxmlElement("w:br"))
                elemento = OxmlElement("w:t")
                elemento.text = linea
                corrida.append(elemento)
            marca._p.append(corrida)
            continue
        else:
            hijo = OxmlElement("w:fldChar")
            hijo.set(qn("w:fldCharType"), clase)
        corrida.append(hijo)
        marca._p.append(corrida)
    marca.add_run().add_break(WD_BREAK.PAGE)
    ajustes = documento.settings.element
    if ajustes.find(qn("w:updateFields")) is None:
        actualizar = OxmlElement("w:updateFields")
        actualizar.set(qn("w:val"), "true")
        ajustes.append(actualizar)


def _estilo(documento, nombre: str):
    estilos = documento.styles
    return nombre if nombre in [s.name for s in estilos] else "Heading 1"


def _propiedades(documento, datos: dict) -> None:
    propiedades = documento.core_properties
    propiedades.title = datos["titulo"]
    propiedades.subject = datos.get("entidad", "")
    propiedades.identifier = datos["identificador"]
    propiedades.author = propiedades.last_modified_by = "informe-poa"
    propiedades.created = propiedades.modified = datos["fecha"]
    propiedades.revision = 1
    propiedades.language = "es-BO"


def _guardar_fijo(contenido: bytes, ruta: Path, fecha: dt.datetime,
                  reemplazos: dict[str, bytes], cuadros: list[str]) -> None:
    """El DOCX con la fecha `fecha` en cada entrada del zip (los mismos datos, el mismo
    archivo), el contenido de `reemplazos` en las entradas que nombra y el OOXML de cada
    cuadro de `cuadros` en su lugar del cuerpo."""
    momento = (max(fecha.year, 1980), fecha.month, fecha.day, fecha.hour, fecha.minute,
               fecha.second)
    temporal = ruta.with_name(f".{ruta.name}.tmp")
    with zipfile.ZipFile(io.BytesIO(contenido)) as origen, \
            zipfile.ZipFile(temporal, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            entrada = zipfile.ZipInfo(info.filename, date_time=momento)
            entrada.compress_type = zipfile.ZIP_DEFLATED
            entrada.external_attr = 0o644 << 16
            datos = reemplazos.get(info.filename) or origen.read(info.filename)
            if info.filename == "word/document.xml":
                datos = _LUGARES.sub(lambda m: cuadros[int(m[1])],
                                     datos.decode("utf-8")).encode("utf-8")
            destino.writestr(entrada, datos)
    temporal.replace(ruta)
