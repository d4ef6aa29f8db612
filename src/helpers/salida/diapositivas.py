"""Las diapositivas de una audiencia de rendición de cuentas: `presentacion.pdf` (16:9, con
WeasyPrint y las fuentes del proyecto) y `presentacion.pptx` (con python-pptx, para que la
entidad las edite en PowerPoint o LibreOffice Impress), con el mismo contenido
(``helpers.redaccion.diapositivas``). Todo texto de los datos se escapa (jinja2) o va como
texto plano (python-pptx): nunca se interpreta.
"""
from __future__ import annotations

import base64
import io
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers.redaccion.diapositivas import Diapositiva, diapositivas
from helpers.salida.pdf import escribir_pagina_autonoma

__all__ = ["PDF", "PPTX", "escribir_diapositivas", "html_de"]

PDF, PPTX = "presentacion.pdf", "presentacion.pptx"
_PLANTILLAS = Path(__file__).with_name("plantillas")
_ENTORNO = Environment(loader=FileSystemLoader(_PLANTILLAS),
                       autoescape=select_autoescape(["html", "j2"]))
_ENTORNO.filters["b64"] = lambda datos: base64.b64encode(datos).decode("ascii")
# 16:9 en EMU (la unidad de PowerPoint): 25,4 cm × 14,2875 cm.
_ANCHO, _ALTO = 9144000, 5143500
_AZUL = (0x1F, 0x4E, 0x79)


def html_de(lista: list[Diapositiva], titulo: str, pie: str) -> str:
    """Las diapositivas como una página HTML de hojas 16:9 (todo texto, escapado)."""
    return _ENTORNO.get_template("diapositivas.html.j2").render(
        diapositivas=lista, titulo=titulo, pie=pie)


def _pdf(lista: list[Diapositiva], titulo: str, pie: str, destino: Path) -> None:
    # Sin red ni archivos: el gráfico va como data:.
    escribir_pagina_autonoma(html_de(lista, titulo, pie), destino)


def _texto(marco, parrafos: list[str], tamano: int, negrita: bool = False) -> None:
    from pptx.util import Pt

    marco.word_wrap = True
    for i, texto in enumerate(parrafos):
        parrafo = marco.paragraphs[0] if i == 0 else marco.add_paragraph()
        parrafo.text = texto
        parrafo.font.size = Pt(tamano)
        parrafo.font.bold = negrita


def _diapositiva_pptx(presentacion, d: Diapositiva, portada: bool) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Emu

    hoja = presentacion.slides.add_slide(presentacion.slide_layouts[6])  # en blanco
    margen, ancho = Emu(500000), Emu(_ANCHO - 1000000)
    titulo = hoja.shapes.add_textbox(margen, Emu(300000), ancho, Emu(700000)).text_frame
    _texto(titulo, [d.titulo], 30 if portada else 26, negrita=True)
    titulo.paragraphs[0].font.color.rgb = RGBColor(*_AZUL)
    arriba = 1150000
    if d.cifras:
        celda = (_ANCHO - 1000000) // len(d.cifras)
        for i, (valor, que) in enumerate(d.cifras):
            marco = hoja.shapes.add_textbox(Emu(500000 + i * celda), Emu(arriba), Emu(celda),
                                            Emu(900000)).text_frame
            _texto(marco, [valor], 22, negrita=True)
            _texto_extra(marco, que)
        arriba += 1000000
    if d.grafico:
        hoja.shapes.add_picture(io.BytesIO(d.grafico), margen, Emu(arriba),
                                height=Emu(_ALTO - arriba - 300000))
    elif d.tabla:
        _tabla_pptx(hoja, d.tabla, arriba)
    if d.puntos and not d.grafico:
        marco = hoja.shapes.add_textbox(margen, Emu(arriba), ancho,
                                        Emu(_ALTO - arriba - 300000)).text_frame
        _texto(marco, d.puntos, 18 if portada else 16)


def _texto_extra(marco, texto: str) -> None:
    from pptx.util import Pt

    parrafo = marco.add_paragraph()
    parrafo.text = texto
    parrafo.font.size = Pt(12)


def _tabla_pptx(hoja, filas: list[list[str]], arriba: int) -> None:
    from pptx.util import Emu, Pt

    forma = hoja.shapes.add_table(len(filas), len(filas[0]), Emu(500000), Emu(arriba),
                                  Emu(_ANCHO - 1000000), Emu(300000 * len(filas)))
    for i, fila in enumerate(filas):
        for j, texto in enumerate(fila):
            celda = forma.table.cell(i, j)
            celda.text = str(texto)
            for parrafo in celda.text_frame.paragraphs:
                parrafo.font.size = Pt(11)


def _pptx(lista: list[Diapositiva], titulo: str, destino: Path) -> None:
    from pptx import Presentation
    from pptx.util import Emu

    presentacion = Presentation()
    presentacion.slide_width, presentacion.slide_height = Emu(_ANCHO), Emu(_ALTO)
    presentacion.core_properties.title = titulo
    for i, d in enumerate(lista):
        _diapositiva_pptx(presentacion, d, portada=i == 0)
    presentacion.save(destino)


def escribir_diapositivas(prep, carpeta: Path) -> list[Path]:
    """`presentacion.pdf` y `presentacion.pptx` del informe de `prep` en `carpeta`."""
    lista = diapositivas(prep)
    titulo = f"{prep.parametros.tipo.titulo} — {prep.entidad}"
    pie = f"{prep.sigla} · {prep.periodo}"
    _pdf(lista, titulo, pie, Path(carpeta) / PDF)
    _pptx(lista, titulo, Path(carpeta) / PPTX)
    return [Path(carpeta) / PDF, Path(carpeta) / PPTX]
