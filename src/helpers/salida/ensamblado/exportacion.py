"""La exportación con nbconvert: de los cuadernos ejecutados al cuerpo HTML, sin retocar.

Entran los cuadernos de sección ya ejecutados (``nbformat``). Antes de exportar, dos
preprocesadores de nbconvert recorren las salidas de cada uno: ``ApartarImagenes`` cambia el
base64 de cada gráfico por una ficha (``Imagenes`` lo guarda y lo repone al final, como
``data:`` URI) y ``MarcarTablas`` marca las tablas HTML (``tablas.marcar_tablas``).
``unir_cuadernos`` los junta en un solo cuaderno en memoria (una marca ``<section>`` por
cuaderno; sin el código, los parámetros ni los avisos en la versión para lectores) y
``exportar`` lo pasa por ``ExportadorCuerpo`` con la plantilla ``plantillas/cuerpo`` (sin
MathJax, require.js ni CSS de JupyterLab: nada se carga de la red). Sale el cuerpo HTML con
las fichas en lugar de los gráficos.

Con las imágenes apartadas el HTML intermedio es chico y cada paso (exportador,
BeautifulSoup) no recorre megas de base64. La ficha que ocupa su lugar lleva una clave al
azar de cada ensamblado: ningún texto de los datos puede escribirla (un ``@@IMG0@@`` en una
frase queda como texto).
"""

from __future__ import annotations

import copy
import html
import re
import secrets
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbconvert.preprocessors import Preprocessor

from helpers.salida.ensamblado.pagina import PLANTILLAS
from helpers.salida.ensamblado.tablas import marcar_tablas

# Celdas de parámetros de papermill: sólo en la versión de auditoría.
ETIQUETAS_PARAMETROS = frozenset({"parameters", "injected-parameters"})

# Salidas de texto que matplotlib/seaborn dejan como resultado de la última expresión de una
# celda (<Axes: ...>, <Figure size ...>, Text(0.5, 1.0, '...'), [<matplotlib.lines...>]).
_OBJETO_GRAFICO = (
    r"(?:<(?:Axes|Figure|BarContainer|ErrorbarContainer|StemContainer|"
    r"matplotlib\.|seaborn\.|mpl_toolkits\.)[^\n]*>|Text\(.*?\))"
)
_REPR_GRAFICO = re.compile(
    rf"^\[?\s*{_OBJETO_GRAFICO}(?:\s*,\s*{_OBJETO_GRAFICO})*\s*\]?$", re.DOTALL
)
_MIME_EXCLUIDOS = ("application/javascript", "application/vnd.jupyter.widget-view+json")
_MIME_IMAGEN = ("image/png", "image/jpeg")


class Imagenes:
    """El base64 de los gráficos, apartado mientras se exporta. En su lugar queda una ficha
    ``@@IMG-<clave>-<n>@@`` cuya clave (128 bits al azar) es nueva en cada ensamblado: un
    texto de los datos no puede escribirla, así que sólo se reponen las fichas propias."""

    def __init__(self) -> None:
        self.datos: list[str] = []
        self._prefijo = f"@@IMG-{secrets.token_hex(16)}-"
        self._ficha = re.compile(re.escape(self._prefijo) + r"(\d+)@@")

    def __len__(self) -> int:
        return len(self.datos)

    def apartar(self, base64: str) -> str:
        """Guarda la imagen y devuelve la ficha que la reemplaza."""
        self.datos.append("".join(base64.split()))
        return f"{self._prefijo}{len(self.datos) - 1}@@"

    def reponer(self, pagina: str) -> str:
        return self._ficha.sub(lambda m: self.datos[int(m[1])], pagina)


def _datos_de_salidas(celda):
    """Los datos (mime → contenido) de cada salida de una celda de código que los trae."""
    if celda.cell_type != "code":
        return
    for salida in celda.get("outputs", []):
        data = salida.get("data")
        if data:
            yield data


class ApartarImagenes(Preprocessor):
    """Cambia el base64 de cada imagen de las salidas por su ficha (``Imagenes``)."""

    def __init__(self, imagenes: Imagenes, **kw) -> None:
        super().__init__(enabled=True, **kw)
        self.imagenes = imagenes

    def preprocess_cell(self, cell, resources, index):
        for data in _datos_de_salidas(cell):
            for mime in _MIME_IMAGEN:
                if mime in data and isinstance(data[mime], str):
                    data[mime] = self.imagenes.apartar(data[mime])
        return cell, resources


class MarcarTablas(Preprocessor):
    """Marca las tablas de las salidas HTML (``tablas.marcar_tablas``). Qué texto acompaña a
    una tabla apaisada a su página lo decide después la maquetación, sobre el cuerpo
    exportado. ``marcadas``: cada HTML ya marcado y cómo quedó, para no volver a medir el
    mismo (se agregan los nuevos); sin él, se mide cada uno."""

    def __init__(self, marcadas: dict[str, str] | None = None, **kw) -> None:
        super().__init__(enabled=True, **kw)
        self.marcadas = marcadas

    def preprocess_cell(self, cell, resources, index):
        for data in _datos_de_salidas(cell):
            if "text/html" in data:
                data["text/html"] = self._marcada(data["text/html"])
        return cell, resources

    def _marcada(self, contenido) -> str:
        if not isinstance(contenido, str):
            contenido = "".join(contenido)
        if self.marcadas is None:
            return marcar_tablas(contenido)[0]
        if contenido not in self.marcadas:
            self.marcadas[contenido], _ = marcar_tablas(contenido)
        return self.marcadas[contenido]


def preparar_salidas(libro, imagenes: Imagenes, marcadas: dict[str, str] | None = None) -> None:
    """Las salidas de un cuaderno, listas para exportar: las imágenes apartadas en
    ``imagenes`` (se reponen al final) y las tablas HTML marcadas (``marcadas``: ver
    ``MarcarTablas``)."""
    for preprocesador in (ApartarImagenes(imagenes), MarcarTablas(marcadas)):
        preprocesador.preprocess(libro, {})


def _etiquetas(celda) -> set[str]:
    return set(celda.get("metadata", {}).get("tags", []))


def salida_visible(salida, *, auditoria: bool) -> bool:
    """Si una salida va en la página: no los avisos (stderr) ni las de sólo JavaScript o
    widgets, ni el texto que matplotlib deja como resultado de una celda (``<Axes: ...>``);
    los avisos, sí en la de auditoría."""
    tipo = salida.get("output_type")
    if tipo == "stream":
        # Avisos y mensajes de error estándar: sólo para auditoría.
        return salida.get("name") != "stderr" or auditoria
    if tipo in ("display_data", "execute_result"):
        data = salida.get("data", {})
        if not any(m not in _MIME_EXCLUIDOS for m in data):
            return False
        if set(data) == {"text/plain"}:  # también un display() de una lista de figuras
            texto = data["text/plain"]
            texto = texto if isinstance(texto, str) else "".join(texto)
            return not _REPR_GRAFICO.match(texto.strip())
    return True


def atributo(texto: str) -> str:
    """Texto escapado para ir entre comillas en un atributo HTML."""
    return html.escape(texto, quote=True)


def _marca(contenido: str, ident: str):
    """Celda cruda con HTML que la plantilla ``cuerpo`` copia tal cual (sin sanear)."""
    celda = nbformat.v4.new_raw_cell(contenido, metadata={"informe_poa": True})
    celda["id"] = ident
    return celda


def _celda_en_pagina(celda, *, auditoria: bool):
    """La copia de una celda que va en la página, con sólo sus salidas visibles; None si no
    va (en la de lectores: los parámetros y las celdas de código sin nada que mostrar)."""
    if celda.cell_type != "code":
        return copy.copy(celda)
    if not auditoria and _etiquetas(celda) & ETIQUETAS_PARAMETROS:
        return None
    salidas = [s for s in celda.get("outputs", []) if salida_visible(s, auditoria=auditoria)]
    if not auditoria and not salidas:
        return None
    nueva = copy.copy(celda)
    nueva["outputs"] = salidas
    return nueva


def unir_cuadernos(libros, rutas: list[Path], *, auditoria: bool, previos: int = 0):
    """Un solo cuaderno con las celdas de todos, cada cuaderno dentro de un <section>. Los
    ``previos`` primeros (los que sólo van en la auditoría) llevan además la clase
    ``solo-auditoria``: sus cuadros y gráficos no se numeran."""
    celdas = []
    for i, (libro, ruta) in enumerate(zip(libros, rutas, strict=True), start=1):
        clases = "seccion solo-auditoria" if i <= previos else "seccion"
        apertura = (
            f'<section class="{clases}" id="seccion-{i:02d}" '
            f'data-cuaderno="{atributo(ruta.stem)}">'
        )
        if auditoria:
            apertura += f'\n<p class="cuaderno-origen">Cuaderno: {atributo(ruta.name)}</p>'
        celdas.append(_marca(apertura, f"s{i:02d}-inicio"))
        for j, celda in enumerate(libro.cells, start=1):
            nueva = _celda_en_pagina(celda, auditoria=auditoria)
            if nueva is None:
                continue
            nueva["id"] = f"s{i:02d}-c{j:03d}"
            celdas.append(nueva)
        celdas.append(_marca("</section>", f"s{i:02d}-fin"))
    nb = nbformat.v4.new_notebook(cells=celdas)
    nb.metadata = {
        k: v for k, v in libros[0].metadata.items() if k in ("kernelspec", "language_info")
    }
    return nb


class ExportadorCuerpo(HTMLExporter):
    """``HTMLExporter`` sin su última pasada. Después de la plantilla, nbconvert analiza la
    página entera con BeautifulSoup y la vuelve a escribir para poner un alt a las imágenes
    que no lo traen y tabindex a las celdas de ``.jp-Notebook``. La plantilla ``cuerpo`` pone
    un alt a cada imagen y no tiene ``.jp-Notebook``: esa pasada no cambiaba nada, y costaba
    un tercio de la exportación. ``retoque.retocar_cuerpo`` analiza el cuerpo de todos modos,
    con el mismo analizador (tests/test_ensamblado.py compara lo que sale de las dos
    maneras)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # Lo que hace HTMLExporter antes de la plantilla: los filtros del resaltado de código y
        # de los tipos de salida de los widgets.
        lenguaje = nb.metadata.get("language_info", {})
        lexico = lenguaje.get("pygments_lexer", lenguaje.get("name", None))
        resaltado = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexico, parent=self)
        )
        resources = self._init_resources(resources)
        self.register_filter("highlight_code", resaltado)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def exportar(nb, ruta_base: str, *, auditoria: bool) -> str:
    """El cuerpo HTML del cuaderno unido (``unir_cuadernos``), con la plantilla ``cuerpo``; en
    la versión de auditoría, con el código de cada celda."""
    exportador = ExportadorCuerpo(
        template_name="cuerpo",
        extra_template_basedirs=[str(PLANTILLAS)],
        exclude_input=not auditoria,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code="es",
    )
    cuerpo, _ = exportador.from_notebook_node(
        nb, resources={"metadata": {"name": "informe", "path": ruta_base}}
    )
    return cuerpo
