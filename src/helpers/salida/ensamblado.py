"""Ensamblado del informe: une los cuadernos ejecutados en un HTML para lectores, un HTML de
auditoría (con el código) y un PDF A4.

Los cuadernos de sección, ya ejecutados por papermill, se juntan en un solo cuaderno en
memoria (una marca <section> por cuaderno) y se exportan dos veces (la versión de auditoría,
con más de un núcleo, en otro proceso mientras este compone el PDF: ``helpers.aparte``) con
``HTMLExporter`` y la plantilla propia ``plantillas/cuerpo`` (sin MathJax, require.js ni CSS
de JupyterLab: nada se carga de la red). Antes de exportar se marcan, en las salidas HTML,
las celdas numéricas de las tablas y su ancho; después, sobre el cuerpo, se quitan los
<script>, se fijan los identificadores de los títulos, se corrigen los enlaces internos, se
arma el índice y se numeran los cuadros y gráficos con su leyenda y su fuente
(``_numerar_objetos``); ``plantillas/pagina.html.j2`` pone la portada (con la identificación
del documento oficial: CITE, hoja de ruta, unidad emisora, fechas; ver
``identidad.datos_para_ensamblar``), el índice, las listas de cuadros y de gráficos, el
bloque de firmas, el colofón (si se da: de qué datos, parámetros y código sale el informe y
cómo verificarlo; ver ``manifiesto.datos_colofon``) y los estilos en línea. El PDF sale de
la variante de impresión del HTML para lectores (``plantillas/impresion.css``) con
WeasyPrint, después de resolver su maquetación (``_maquetar``: qué va en página apaisada, y
las correcciones que piden las secciones compuestas de prueba; las reglas, en
docs/maquetacion.md), por partes que une ``helpers.salida.pdf`` (``_escribir_pdf``: las
secciones compuestas de prueba que ya no cambian van tal cual).

Todo lo que mira la estructura del HTML lo hace BeautifulSoup (analizador ``html.parser``), no
expresiones regulares: cada documento (una salida con tablas, el cuerpo exportado de cada
variante) se analiza una vez y se escribe una vez; el exportador no lo hace otra vez por su
cuenta (``_ExportadorCuerpo``).

Los gráficos se apartan antes de exportar y se reponen al final como ``data:`` URI: así el
HTML intermedio es chico y cada paso (exportador, BeautifulSoup) no recorre megas de base64.
La ficha que ocupa su lugar lleva una clave al azar de cada ensamblado: ningún texto de los
datos puede escribirla (un ``@@IMG0@@`` en una frase queda como texto).

El texto de los datos llega ya escapado a cada salida (``helpers.comun.literal`` en el Markdown,
``html.escape`` en las tablas, autoescape de Jinja en la portada, las listas, las firmas y
el colofón, nodos de texto de BeautifulSoup en las leyendas y fuentes); quitar los
<script> del cuerpo es sólo una segunda barrera para salidas HTML ajenas.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import html
import logging
import re
import secrets
import threading
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import nbformat
from bs4 import BeautifulSoup, NavigableString, Tag
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

from helpers.aparte import Aparte, nucleos
from helpers.comun import tipografia
from helpers.comun.literal import CLASE_SIN_MATEMATICA
from helpers.comun.memoria import devolver_memoria, espaciar_recolecciones
from helpers.salida.pdf import (
    Hoja,
    Parte,
    Pieza,
    cargar_weasyprint,
    componer,
    componer_sin_escribir,
    escribir,
    memoria_quieta,
    silenciar,
    unir,
)

__all__ = ["ensamblar"]

LOG = logging.getLogger(__name__)

PLANTILLAS = Path(__file__).with_name("plantillas")

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

# Analizador de BeautifulSoup: el de la biblioteca estándar, el mismo que usa HTMLExporter de
# nbconvert (así el cuerpo sale igual que si él lo hubiera escrito: ``_ExportadorCuerpo``).
_ANALIZADOR = "html.parser"
_TITULOS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_ENTERO = re.compile(r"\d+")  # valor de colspan / rowspan
# Contenido de celda que se lee como número: 1.234,5 · -12 · 85,3 % · Bs 1.000 · — (sin dato)
# · 100,00 (128,40) (un cumplimiento con su valor sin tope entre paréntesis).
_NUMERO = re.compile(
    r"^\s*(?:[-+−–]?\s*(?:Bs\.?\s*)?\d[\d.,\s\u00a0\u202f]*(?:%|‰)?(?:\s*\(\d[\d.,\s]*\))?"
    r"|[—–-]|nan|NaN|N/A)\s*$"
)

# Ancho estimado de una tabla en el PDF (letra condensada de impresion.css), para elegir el
# tamaño de letra o, si ni así cabe, una página apaisada. Medidas en puntos tipográficos;
# LETRA_TABLA_PT y LETRA_TABLA_ANCHA_PT deben coincidir con impresion.css.
# El ancho de una cifra en la letra de las tablas, en em, leído de la fuente misma.
_ANCHO_CIFRA_EM = tipografia.ancho_em("0123456789", tipografia.ARCHIVO_TABLAS)
_RELLENO_CELDA_PT = 7.3  # relleno horizontal (2 × 1,2 mm) y borde de cada celda
_TEXTO_MAX_CARACTERES = 16  # el texto largo se parte en varias líneas
_ANCHO_VERTICAL_PT = 510  # A4 vertical menos márgenes (180 mm)
_ANCHO_APAISADO_PT = 757  # A4 apaisada menos márgenes (267 mm)
# En una tabla de anchos fijados (`_fijar_columnas`), el texto más largo que se procura que
# quepa en una línea; uno más largo se parte.
_TEXTO_FIJA_CARACTERES = 60
LETRA_TABLA_PT = 8
# Desde cuántas filas una tabla lleva sus anchos de columna fijados (`_fijar_columnas`).
FILAS_TABLA_FIJA = 150
LETRA_TABLA_ANCHA_PT = 6.5

ESTILO_PYGMENTS = "default"



@dataclass
class Procesos:
    """Los procesos aparte del ensamblado, con más de un núcleo: el que escribe la página de
    auditoría (``_escribir_auditoria``, cediendo su núcleo) y el que compone la mitad de las
    pruebas del PDF (``_componer_textos``, con WeasyPrint ya importado y la basura recogida
    como en el ejecutor: ``espaciar_recolecciones``). ``arrancar_procesos()`` los crea;
    quien los crea antes de ensamblar (el ejecutor, mientras se ejecutan las secciones)
    esconde su arranque, y ``ensamblar(..., procesos=...)`` los usa y los cierra."""

    auditoria: Aparte
    compositor: Aparte

    def __enter__(self) -> Procesos:
        return self

    def __exit__(self, error, *_) -> None:
        self.cerrar(por_error=error is not None)

    def cerrar(self, por_error: bool = False) -> None:
        try:
            self.auditoria.cerrar(por_error=por_error)
        finally:
            self.compositor.cerrar(por_error=por_error)


def _preparar_compositor() -> None:
    """Lo que hace el proceso que compone a la par al arrancar: recoger la basura como el
    ejecutor (``espaciar_recolecciones``) y cargar WeasyPrint antes de la primera parte."""
    espaciar_recolecciones()
    cargar_weasyprint()


def arrancar_procesos() -> Procesos | None:
    """Los procesos aparte del ensamblado; con un solo núcleo, ninguno (todo se hace en este)."""
    if nucleos() < 2:
        return None
    auditoria = Aparte(_escribir_auditoria, cediendo=True)
    try:
        return Procesos(auditoria, Aparte(_componer_textos, al_arrancar=_preparar_compositor))
    except BaseException:
        auditoria.cerrar(por_error=True)
        raise


def ensamblar(
    cuadernos: list[Path],
    carpeta: Path,
    *,
    titulo: str,
    subtitulo: str,
    entidad: str,
    periodo: str,
    fecha_corte: str,
    pie: str = "",
    colofon: dict | None = None,
    solo_auditoria: list[Path] = (),
    identificacion: dict | None = None,
    firmas: list[dict] | None = None,
    fuentes: dict | None = None,
    procesos: Procesos | None = None,
) -> dict[str, Path]:
    """Une los cuadernos ejecutados (en el orden del informe) y escribe en ``carpeta``:

    - ``informe.html``: para lectores, sin código, autocontenido (sin CDN ni scripts);
    - ``informe-auditoria.html``: lo mismo con el código de cada celda y los parámetros;
    - ``informe.pdf``: A4 con portada, índice paginado, cabecera y "Página N de M".

    ``colofon``: lo que devuelve ``manifiesto.datos_colofon``; los tres cierran con él (en el
    PDF, en una página aparte, fuera del índice). Sin él, no hay colofón.

    ``solo_auditoria``: cuadernos que sólo lleva la versión de auditoría, antes de los demás
    (la memoria de cálculo). Sus cuadros y gráficos no se numeran: los números son los mismos
    en las tres versiones.

    ``identificacion``: datos del documento oficial para la portada (``cite``, ``hoja_ruta``,
    ``unidad_emisora``, ``fecha_emision``, ``poa_version``: textos o None; ``periodos``: lista
    de ``{"etiqueta", "valor"}``). ``firmas``: lista de ``{"rol", "nombre", "cargo"}`` (nombre y
    cargo vacíos: líneas en blanco para llenar a mano); sin ella, no hay bloque de firmas.
    ``fuentes``: ``{"financiera", "fisica", "general"}``, los textos de la línea «Fuente:» de
    los cuadros y gráficos (ver ``_numerar_objetos``). ``identidad.datos_para_ensamblar`` los
    arma de los parámetros.

    ``procesos``: los de ``arrancar_procesos()``, ya arrancados (ensamblar los cierra); sin
    ellos, con más de un núcleo, se crean aquí.

    Devuelve ``{"html": ..., "auditoria": ..., "pdf": ...}``.
    """
    cuadernos = [Path(c) for c in cuadernos]
    if not cuadernos:
        raise ValueError("No hay cuadernos que ensamblar.")
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    tiempos: dict[str, float] = {}
    t0 = time.perf_counter()

    previos = [Path(c) for c in solo_auditoria]
    ruta_base = str(cuadernos[0].resolve().parent)
    datos = {
        "titulo": titulo,
        "subtitulo": subtitulo,
        "entidad": entidad,
        "periodo": periodo,
        "fecha_corte": fecha_corte,
        "pie": pie,
        "colofon": colofon,
        "identificacion": identificacion or {},
        "firmas": firmas,
    }
    salidas = {
        "html": carpeta / "informe.html",
        "auditoria": carpeta / "informe-auditoria.html",
        "pdf": carpeta / "informe.pdf",
    }
    argumentos = (previos, cuadernos, ruta_base, fuentes, datos, salidas["auditoria"])
    # Si no vienen ya arrancados, arrancan ya: importan lo que usan mientras este exporta el
    # HTML.
    procesos = procesos if procesos is not None else arrancar_procesos()
    # La versión de auditoría no la necesita el PDF: con más de un núcleo se escribe en otro
    # proceso mientras este compone el PDF, cediendo el núcleo a las composiciones de prueba
    # repartidas (`_Compositor.encargar`), que sí lo esperan.
    aparte = ayudante = None
    if procesos is not None:
        aparte, ayudante = procesos.auditoria, procesos.compositor
        aparte.enviar(*argumentos)
        aparte.sin_mas_encargos()
    # Con la página de auditoría en este proceso, las tablas que comparte con la de lectores
    # (todas, salvo las de la memoria de cálculo) se miden y se marcan una sola vez.
    marcadas: dict[str, str] | None = {} if aparte is None else None
    with procesos or contextlib.nullcontext():
        libros = [nbformat.read(str(c), as_version=4) for c in cuadernos]
        imagenes = _Imagenes()
        for libro in libros:
            _preparar_salidas(libro, imagenes, marcadas)
        tiempos["lectura"] = time.perf_counter() - t0

        t = time.perf_counter()
        nb = _unir(libros, cuadernos, auditoria=False)
        cuerpo_l, indice_l, listas_l = _retocar_cuerpo(
            _exportar(nb, ruta_base, auditoria=False), fuentes
        )
        base_css = _leer_css("informe.css")
        pagina = _pagina(
            "lectores", cuerpo_l, indice_l, [base_css, _css_resaltado()], datos, listas_l
        )
        salidas["html"].write_text(imagenes.reponer(pagina), encoding="utf-8")
        del libros, libro, nb, pagina  # lo que sigue usa el cuerpo ya exportado: menos memoria
        tiempos["html"] = time.perf_counter() - t

        compositor = _Compositor(
            [base_css, _leer_css("impresion.css")], imagenes, carpeta, ayudante
        )
        # WeasyPrint compone dentro de `_componer_textos`, que lo silencia; aquí, que las
        # recolecciones de basura no recorran una y otra vez los árboles del cuerpo.
        with memoria_quieta():
            tiempos |= _escribir_pdf(
                cuerpo_l, indice_l, listas_l, datos, compositor, salidas["pdf"]
            )
        if ayudante is not None:
            ayudante.cerrar()

        t = time.perf_counter()
        if aparte is None:
            tiempos["auditoria"] = _escribir_auditoria(*argumentos, marcadas=marcadas)
        else:
            tiempos["auditoria-aparte"] = aparte.resultado()
            tiempos["espera"] = time.perf_counter() - t

    LOG.info(
        "Informe ensamblado con %d cuadernos y %d gráficos en %.1f s (%s)",
        len(cuadernos),
        len(imagenes),
        time.perf_counter() - t0,
        ", ".join(f"{k} {v:.2f} s" for k, v in tiempos.items()),
    )
    return salidas


def _escribir_auditoria(
    previos: list[Path],
    cuadernos: list[Path],
    ruta_base: str,
    fuentes: dict | None,
    datos: dict,
    destino: Path,
    marcadas: dict[str, str] | None = None,
) -> float:
    """Escribe ``informe-auditoria.html``: los cuadernos ``previos`` (sólo de auditoría) y los
    del informe, con su código y sus parámetros. Lee los cuadernos por su cuenta (corre en
    otro proceso: ``Aparte``) y devuelve los segundos que tardó. ``marcadas``: las tablas ya
    marcadas en este proceso (ver ``_preparar_salidas``)."""
    t = time.perf_counter()
    rutas = [*previos, *cuadernos]
    libros = [nbformat.read(str(c), as_version=4) for c in rutas]
    imagenes = _Imagenes()
    for libro in libros:
        _preparar_salidas(libro, imagenes, marcadas)
    nb = _unir(libros, rutas, auditoria=True, previos=len(previos))
    cuerpo, indice, listas = _retocar_cuerpo(_exportar(nb, ruta_base, auditoria=True), fuentes)
    estilos = [_leer_css("informe.css"), _css_resaltado(), _leer_css("auditoria.css")]
    pagina = _pagina("auditoria", cuerpo, indice, estilos, datos, listas)
    Path(destino).write_text(imagenes.reponer(pagina), encoding="utf-8")
    return time.perf_counter() - t


# --- Cuaderno unido ----------------------------------------------------------------------


class _Imagenes:
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


def _preparar_salidas(libro, imagenes: _Imagenes, marcadas: dict[str, str] | None = None) -> None:
    """Una sola pasada por las salidas de un cuaderno, antes de exportar: cambia el base64 de
    cada imagen por su ficha (``_Imagenes``; se repone al final) y marca las tablas HTML
    (``_marcar_tablas``). Qué texto acompaña a una tabla apaisada a su página lo decide
    después ``_maquetar``, sobre el cuerpo exportado. ``marcadas``: cada HTML ya marcado y
    cómo quedó, para no volver a medir el mismo (se agregan los nuevos)."""
    for celda in libro.cells:
        if celda.cell_type != "code":
            continue
        for salida in celda.get("outputs", []):
            data = salida.get("data")
            if not data:
                continue
            for mime in _MIME_IMAGEN:
                if mime in data and isinstance(data[mime], str):
                    data[mime] = imagenes.apartar(data[mime])
            if "text/html" in data:
                contenido = data["text/html"]
                if not isinstance(contenido, str):
                    contenido = "".join(contenido)
                if marcadas is None:
                    data["text/html"], _ = _marcar_tablas(contenido)
                else:
                    if contenido not in marcadas:
                        marcadas[contenido], _ = _marcar_tablas(contenido)
                    data["text/html"] = marcadas[contenido]


def _etiquetas(celda) -> set[str]:
    return set(celda.get("metadata", {}).get("tags", []))


def _salida_visible(salida, *, auditoria: bool) -> bool:
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


def _marca(contenido: str, ident: str):
    """Celda cruda con HTML que la plantilla ``cuerpo`` copia tal cual (sin sanear)."""
    celda = nbformat.v4.new_raw_cell(contenido, metadata={"informe_poa": True})
    celda["id"] = ident
    return celda


def _unir(libros, rutas: list[Path], *, auditoria: bool, previos: int = 0):
    """Un solo cuaderno con las celdas de todos, cada cuaderno dentro de un <section>. Los
    ``previos`` primeros (los que sólo van en la auditoría) llevan además la clase
    ``solo-auditoria``: sus cuadros y gráficos no se numeran."""
    celdas = []
    for i, (libro, ruta) in enumerate(zip(libros, rutas, strict=True), start=1):
        clases = "seccion solo-auditoria" if i <= previos else "seccion"
        apertura = (
            f'<section class="{clases}" id="seccion-{i:02d}" data-cuaderno="{_attr(ruta.stem)}">'
        )
        if auditoria:
            apertura += f'\n<p class="cuaderno-origen">Cuaderno: {_attr(ruta.name)}</p>'
        celdas.append(_marca(apertura, f"s{i:02d}-inicio"))
        for j, celda in enumerate(libro.cells, start=1):
            if celda.cell_type == "code":
                if not auditoria and _etiquetas(celda) & ETIQUETAS_PARAMETROS:
                    continue
                salidas = [
                    s for s in celda.get("outputs", []) if _salida_visible(s, auditoria=auditoria)
                ]
                if not auditoria and not salidas:
                    continue
                nueva = copy.copy(celda)
                nueva["outputs"] = salidas
            else:
                nueva = copy.copy(celda)
            nueva["id"] = f"s{i:02d}-c{j:03d}"
            celdas.append(nueva)
        celdas.append(_marca("</section>", f"s{i:02d}-fin"))
    nb = nbformat.v4.new_notebook(cells=celdas)
    nb.metadata = {
        k: v for k, v in libros[0].metadata.items() if k in ("kernelspec", "language_info")
    }
    return nb


# --- Exportación ----------------------------------------------------------------------------


class _ExportadorCuerpo(HTMLExporter):
    """``HTMLExporter`` sin su última pasada. Después de la plantilla, nbconvert analiza la
    página entera con BeautifulSoup y la vuelve a escribir para poner un alt a las imágenes
    que no lo traen y tabindex a las celdas de ``.jp-Notebook``. La plantilla ``cuerpo`` pone
    un alt a cada imagen y no tiene ``.jp-Notebook``: esa pasada no cambiaba nada, y costaba
    un tercio de la exportación. ``_retocar_cuerpo`` analiza el cuerpo de todos modos, con el
    mismo analizador (tests/test_ensamblado.py compara lo que sale de las dos maneras)."""

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


def _exportar(nb, ruta_base: str, *, auditoria: bool) -> str:
    exportador = _ExportadorCuerpo(
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


@functools.cache
def _css_resaltado() -> str:
    """Colores de Pygments para el código (auditoría y bloques de código del markdown).
    No se usa el CSS del exportador porque depende de variables del tema de JupyterLab."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=ESTILO_PYGMENTS).get_style_defs(".highlight")


def _slug(texto: str) -> str:
    plano = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plano.lower()).strip("-")
    return slug or "seccion"


def _sopa(contenido: str) -> BeautifulSoup:
    return BeautifulSoup(contenido, _ANALIZADOR)


def _retocar_cuerpo(
    cuerpo: str, fuentes: dict | None = None
) -> tuple[str, list[dict], dict[str, list[dict]]]:
    """Analiza una vez el cuerpo exportado: quita todo <script> (un informe estático no ejecuta
    nada, aunque una salida HTML lo traiga), fija los títulos y los enlaces internos
    (``_fijar_titulos``), numera los cuadros y gráficos con su leyenda y su fuente
    (``_numerar_objetos``) y lo vuelve a escribir. Devuelve el cuerpo, el índice y las listas
    de cuadros y de gráficos."""
    sopa = _sopa(cuerpo)
    for script in sopa.find_all("script"):
        script.decompose()
    # nbconvert (con embed_images) analiza por separado cada etiqueta HTML de un Markdown: el
    # <span class="mathjax_ignore"> con que helpers.comun.literal rodea un texto con $ o \ (para
    # el MathJax de JupyterLab) llega vacío, delante del texto. Aquí no hay MathJax: se quita.
    for vacio in sopa.find_all("span", class_=CLASE_SIN_MATEMATICA):
        if not vacio.contents:
            vacio.decompose()
    indice = _fijar_titulos(sopa)
    listas = _numerar_objetos(sopa, fuentes)
    return str(sopa), indice, listas


def _fijar_titulos(sopa: BeautifulSoup) -> list[dict]:
    """Ids estables y únicos para los títulos del markdown (los que nbconvert exporta con su
    ``<a class="anchor-link">``): del texto, sin tildes; -2, -3 si se repiten o si el id ya lo
    lleva otro elemento. Corrige el ancla de cada título y los enlaces internos que apuntaban
    al id viejo, y devuelve el índice con los H1 y, dentro, los H2."""
    titulos: list[tuple[Tag, Tag]] = []
    for titulo in sopa.find_all(_TITULOS):
        ancla = titulo.find("a", class_="anchor-link", recursive=False)
        if ancla is not None:
            titulos.append((titulo, ancla))
    de_titulos = {id(elemento) for par in titulos for elemento in par}
    usados = {e["id"] for e in sopa.find_all(id=True) if id(e) not in de_titulos}

    antiguos: dict[str, str] = {}
    nuevos: list[str] = []
    indice: list[dict] = []
    for titulo, ancla in titulos:
        nivel = int(titulo.name[1])
        texto = _texto_sin(titulo, ancla).strip()
        base = _slug(texto)
        ident, n = base, 1
        while ident in usados:
            n += 1
            ident = f"{base}-{n}"
        usados.add(ident)
        viejo = titulo.get("id")
        if viejo:
            # nbconvert escribe el id con %-escapes (Marco-metodol%C3%B3gico); un enlace a
            # mano puede traerlo así o sin escapar.
            antiguos.setdefault(viejo, ident)
            antiguos.setdefault(unquote(viejo), ident)
        nuevos.append(ident)
        entrada = {"id": ident, "texto": Markup.escape(texto), "nivel": nivel, "hijos": []}
        if nivel == 2 and indice and indice[-1]["nivel"] == 1:
            indice[-1]["hijos"].append(entrada)
        elif nivel <= 2:  # un H2 sin H1 antes va al primer nivel
            indice.append(entrada)

    # Primero los enlaces (fuera de las anclas de los títulos), con los ids viejos aún a la
    # vista; después los títulos.
    if antiguos:
        for enlace in sopa.find_all("a", href=True):
            href = enlace["href"]
            if not href.startswith("#") or id(enlace) in de_titulos:
                continue
            destino = antiguos.get(href[1:]) or antiguos.get(unquote(href[1:]))
            if destino:
                enlace["href"] = f"#{destino}"
    for (titulo, ancla), ident in zip(titulos, nuevos, strict=True):
        titulo["id"] = ident
        ancla["href"] = f"#{ident}"
    return indice


def _texto_sin(elemento: Tag, excluido: Tag) -> str:
    """Texto de ``elemento`` sin el de su hijo ``excluido`` (el ancla ¶ de un título)."""
    return "".join(
        hijo.get_text() if isinstance(hijo, Tag) else str(hijo)
        for hijo in elemento.children
        if hijo is not excluido and (isinstance(hijo, Tag) or type(hijo) is NavigableString)
    )


def _marcar_tablas(contenido: str) -> tuple[str, bool]:
    """Clase ``num`` en las celdas numéricas (alineadas a la derecha) y, según el ancho
    estimado en el PDF, ``ancha`` (letra más chica) o ``muy-ancha`` (además, en una página
    apaisada, dentro de ``<div class="tabla-horizontal">``). Devuelve el HTML y si alguna
    tabla va apaisada; si no hay nada que cambiar, el HTML vuelve tal cual. Sólo se clasifican
    las tablas de primer nivel: una tabla dentro de otra cuenta en el ancho de la de afuera."""
    if "<table" not in contenido.lower():
        return contenido, False
    sopa = _sopa(contenido)
    cambios = False
    apaisadas = 0
    for tabla in sopa.find_all("table"):
        if tabla.find_parent("table") is not None:
            continue  # la recorre la tabla de afuera
        caracteres, marcadas, largos = _recorrer_tabla(tabla)
        cambios = cambios or marcadas
        letra, ancho = LETRA_TABLA_PT, _ANCHO_VERTICAL_PT
        if _ancho_pt(caracteres, LETRA_TABLA_PT) > _ANCHO_VERTICAL_PT:
            cambios = True
            if _ancho_pt(caracteres, LETRA_TABLA_ANCHA_PT) <= _ANCHO_VERTICAL_PT:
                _agregar_clase(tabla, "ancha")
                letra = LETRA_TABLA_ANCHA_PT
            else:
                apaisadas += 1
                _agregar_clase(tabla, "muy-ancha")
                tabla.wrap(sopa.new_tag("div", attrs={"class": "tabla-horizontal"}))
                letra, ancho = LETRA_TABLA_ANCHA_PT, _ANCHO_APAISADO_PT
        if len(tabla.find_all("tr")) > FILAS_TABLA_FIJA and caracteres:
            _fijar_columnas(sopa, tabla, caracteres, largos, letra, ancho)
            cambios = True

    if not cambios:
        return contenido, False
    return str(sopa), apaisadas > 0


def _fijar_columnas(sopa, tabla: Tag, caracteres: list[int], largos: list[int],
                    letra_pt: float, ancho_pt: float) -> None:
    """Una tabla larga (el anexo de una entidad grande: miles de filas) con el ancho de cada
    columna dado de antemano (``table-layout: fixed`` y un ``<colgroup>``): WeasyPrint no
    mide cada celda para repartir el ancho, que en una tabla de miles de filas toma minutos.

    Se reparte como lo haría él (``_recorrer_tabla`` da lo mínimo de cada columna, su cifra o
    palabra más larga, y su texto más largo): si los textos enteros, hasta
    _TEXTO_FIJA_CARACTERES, caben en ``ancho_pt``, cada columna toma el suyo; si no, cada una
    su mínimo y lo que sobra va a las de texto, en proporción a lo que les falta. Así un
    nombre largo no se parte en cinco líneas para dejar lugar a un código corto."""

    def puntos(n: int) -> float:
        return n * _ANCHO_CIFRA_EM * letra_pt + _RELLENO_CELDA_PT

    minimos = [puntos(c) for c in caracteres]
    deseados = [max(m, puntos(min(largo, _TEXTO_FIJA_CARACTERES)))
                for m, largo in zip(minimos, largos, strict=True)]
    if sum(deseados) <= ancho_pt:
        anchos = deseados
    else:
        sobra = max(0.0, ancho_pt - sum(minimos))
        faltan = [d - m for d, m in zip(deseados, minimos, strict=True)]
        total_faltan = sum(faltan)
        anchos = [m + (sobra * f / total_faltan if total_faltan else 0.0)
                  for m, f in zip(minimos, faltan, strict=True)]
    total = sum(anchos)
    grupo = sopa.new_tag("colgroup")
    for ancho in anchos:
        grupo.append(sopa.new_tag("col", attrs={"style": f"width: {100 * ancho / total:.2f}%"}))
    tabla.insert(0, grupo)
    _agregar_clase(tabla, "fija")


def _ancho_pt(caracteres: list[int], letra_pt: float) -> float:
    """Ancho estimado de la tabla en el PDF, con letra de ``letra_pt`` puntos."""
    return sum(c * _ANCHO_CIFRA_EM * letra_pt + _RELLENO_CELDA_PT for c in caracteres)


def _agregar_clase(elemento: Tag, clase: str) -> bool:
    """Pone ``clase`` primera entre las del elemento; False si ya la tenía."""
    clases = elemento.get("class") or []
    if clase in clases:
        return False
    elemento["class"] = [clase, *clases]
    return True


def _entero(valor) -> int:
    """colspan / rowspan: el número que traiga el atributo, 1 si no trae o es 0."""
    m = _ENTERO.search(str(valor)) if valor is not None else None
    return max(int(m[0]), 1) if m else 1


def _recorrer_tabla(tabla: Tag) -> tuple[list[int], bool, list[int]]:
    """Una pasada por las filas de ``tabla`` (no las de tablas anidadas): marca ``num`` en
    cada ``<td>`` cuyo texto es un número (con o sin marcas dentro: ``<b>``, ``<span>``...) y
    cuenta los caracteres que ocupa cada columna: la cifra más larga entera (no se parte), el
    texto hasta _TEXTO_MAX_CARACTERES o su palabra más larga, y de los encabezados (filas de
    ``<thead>``, que se parten en varias líneas) sólo la palabra más larga. Las celdas con
    colspan no cuentan; las de rowspan ocupan su columna en las filas de abajo. Una celda con
    una tabla dentro mide lo que suman las columnas de esa tabla (que se recorre a su vez).
    Devuelve los caracteres por columna, si marcó alguna celda y, por columna, el texto más
    largo de las celdas del cuerpo, entero (lo que ocuparía en una sola línea)."""
    con_anidadas = tabla.find("table") is not None
    filas = tabla.find_all("tr")
    if con_anidadas:
        filas = [f for f in filas if f.find_parent("table") is tabla]
    anchos: list[int] = []
    largos: list[int] = []
    marcadas = False
    bloqueadas: dict[int, int] = {}  # columna -> filas de abajo que ocupa un rowspan
    for fila in filas:
        encabezado = fila.parent is not None and fila.parent.name == "thead"
        ocupadas = set(bloqueadas)
        bloqueadas = {c: n - 1 for c, n in bloqueadas.items() if n > 1}
        col = 0
        for celda in fila.find_all(["td", "th"], recursive=False):
            while col in ocupadas:
                col += 1
            anidadas = []
            if con_anidadas:
                anidadas = [t for t in celda.find_all("table") if t.find_parent("table") is tabla]
            if anidadas:
                w = 0
                for anidada in anidadas:
                    caracteres, marcadas_dentro, _ = _recorrer_tabla(anidada)
                    w = max(w, sum(caracteres))
                    marcadas = marcadas or marcadas_dentro
                largo = w
            else:
                texto = celda.get_text().strip()
                if _NUMERO.match(texto):
                    w = largo = len(texto)
                    if celda.name == "td":
                        marcadas = _agregar_clase(celda, "num") or marcadas
                else:
                    w = max((len(p) for p in texto.split()), default=0)
                    largo = w
                    if not encabezado:
                        w = max(w, min(len(texto), _TEXTO_MAX_CARACTERES))
                        largo = max(w, len(texto))
            n = _entero(celda.get("colspan"))
            if n == 1:
                if col >= len(anchos):
                    anchos.extend([0] * (col + 1 - len(anchos)))
                    largos.extend([0] * (col + 1 - len(largos)))
                anchos[col] = max(anchos[col], w)
                largos[col] = max(largos[col], largo)
            alto = _entero(celda.get("rowspan"))
            if alto > 1:
                for c in range(col, col + n):
                    bloqueadas[c] = max(bloqueadas.get(c, 0), alto - 1)
            col += n
    return anchos, marcadas, largos


# --- Cuadros y gráficos numerados ----------------------------------------------------------

# De dónde salen las cifras de un cuadro, según las palabras de sus encabezados (sin tildes ni
# mayúsculas): las de una lista o de las dos (cuadro mixto, cita ambas fuentes).
PALABRAS_FUENTE = {
    "financiera": ("vigente", "devengado", "ejecucion"),
    "fisica": ("avance", "eficacia", "cumplimiento"),
}
# data-fuente="..." en un cuadro o gráfico declara sus fuentes y manda sobre la regla.
_FUENTE_DECLARADA = {
    "financiera": {"financiera"},
    "fisica": {"fisica"},
    "mixta": {"financiera", "fisica"},
    "general": set(),
}
FUENTE_GENERAL = "elaboración propia"
# Títulos que no dicen de qué es el cuadro o gráfico que presentan: cuenta el de arriba.
_TITULOS_GENERICOS = frozenset(
    {"cuadro", "cuadros", "tabla", "tablas", "grafico", "graficos", "figura", "figuras"}
)
# Primeras palabras de un título que lo vuelven continuación del de arriba.
_CONTINUACIONES = frozenset({"por", "segun"})
_ALT_GENERICO = "Gráfico"  # el que pone plantillas/cuerpo a una imagen sin alt propio
_ETIQUETA_OBJETO = {"cuadro": "Cuadro", "grafico": "Gráfico"}


def _plano(texto: str) -> str:
    """Sin tildes, en minúsculas y con los espacios juntos, para comparar palabras."""
    sin_tildes = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return " ".join(sin_tildes.lower().split())


def _junto(texto: str) -> str:
    return " ".join(texto.split())


def _texto_de_titulo(titulo: Tag) -> str:
    ancla = titulo.find("a", class_="anchor-link", recursive=False)
    texto = _texto_sin(titulo, ancla) if ancla is not None else titulo.get_text()
    return _junto(texto)


def _rotulo(parrafo: Tag) -> str | None:
    """El texto de un párrafo que es todo negrita (``**Por ACP**`` antes de un cuadro), o None."""
    hijos = [h for h in parrafo.children if not (isinstance(h, NavigableString) and not h.strip())]
    if len(hijos) == 1 and isinstance(hijos[0], Tag) and hijos[0].name in ("strong", "b"):
        return _junto(hijos[0].get_text()) or None
    return None


def _ocultar_rotulo(parrafo: Tag) -> None:
    """Clase ``rotulo-en-leyenda`` (oculto por CSS) en el rótulo que pasó a la leyenda: en su
    salida entera si es lo único que ella muestra, para que no quede su margen."""
    salida = parrafo.find_parent("div", class_="jp-OutputArea-child")
    if salida is None or _junto(salida.get_text()) != _junto(parrafo.get_text()):
        salida = parrafo
    _agregar_clase(salida, "rotulo-en-leyenda")


def _es_grafico(imagen: Tag) -> bool:
    """Una imagen que es la salida de una celda (no una imagen dentro de un texto)."""
    padre = imagen.parent
    return padre is not None and "jp-RenderedImage" in (padre.get("class") or [])


def _titulo_declarado(elemento: Tag) -> str:
    """El título que trae el propio cuadro o gráfico: ``data-titulo``; en un cuadro, su
    ``<caption>``; en un gráfico, un ``alt`` que no sea el genérico."""
    candidatos = [elemento.get("data-titulo")]
    if elemento.name == "table":
        leyenda = elemento.find("caption", recursive=False)
        candidatos.append(leyenda.get_text() if leyenda is not None else None)
    else:
        candidatos.append(elemento.parent.get("data-titulo"))
        alt = _junto(elemento.get("alt") or "")
        candidatos.append(alt if alt != _ALT_GENERICO else None)
    return next((_junto(c) for c in candidatos if c and _junto(c)), "")


def _continua(texto: str) -> bool:
    """Un título o rótulo que empieza con «Por» o «Según» completa el de arriba."""
    return _plano(texto).split(" ", 1)[0] in _CONTINUACIONES


def _titulo_por_contexto(titulos: dict[int, str], rotulo: str | None) -> str:
    """Título de un cuadro o gráfico que no trae el suyo: el título más cercano antes de él
    (sin contar los genéricos, como «Gráficos»), precedido del de arriba si es de nivel 3 o más
    («Alertas: Unidad en rojo») y seguido del rótulo en negrita que lo presenta, si hay uno
    («Evolución mensual: Eficacia (%)»). Un título o rótulo que empieza con «Por» o «Según»
    sigue al anterior sin dos puntos («Ejecución financiera por fuente de financiamiento»)."""
    utiles = [
        n for n in sorted(titulos) if _plano(titulos[n]).strip(" :.") not in _TITULOS_GENERICOS
    ]
    partes = []
    if utiles:
        cercano = utiles[-1]
        arriba = utiles[-2] if len(utiles) > 1 else None
        if arriba is not None and (cercano >= 3 or _continua(titulos[cercano])):
            partes.append(titulos[arriba])
        partes.append(titulos[cercano])
    if rotulo:
        partes.append(rotulo)
    titulo = ""
    for parte in partes:
        if not titulo:
            titulo = parte
        elif _continua(parte):
            titulo = f"{titulo} {parte[0].lower()}{parte[1:]}"
        else:
            titulo = f"{titulo}: {parte}"
    return titulo


def _nombre_de_id(elemento: Tag) -> str:
    """'tabla-relacion-acp' -> 'relacion acp' (el id que pone ``presentacion.tabla``)."""
    ident = str(elemento.get("id") or "")
    ident = ident.removeprefix("tabla-")
    return " ".join(re.split(r"[-_\s]+", ident)).strip()


def _fuente_declarada(*elementos: Tag) -> set[str] | None:
    for elemento in elementos:
        valor = _plano(str(elemento.get("data-fuente") or ""))
        if valor in _FUENTE_DECLARADA:
            return set(_FUENTE_DECLARADA[valor])
    return None


def _fuentes_por_palabras(texto: str) -> set[str]:
    plano = _plano(texto)
    return {
        fuente
        for fuente, palabras in PALABRAS_FUENTE.items()
        if any(palabra in plano for palabra in palabras)
    }


def _fuentes_de_cuadro(tabla: Tag, titulo: str) -> set[str]:
    """Las fuentes de un cuadro: las que declara (``data-fuente``), las de las palabras de sus
    encabezados (``<th>``; sin ellos, la primera fila) o, si éstos no dicen nada (una tabla
    por meses), las de las palabras de su título."""
    declarada = _fuente_declarada(tabla)
    if declarada is not None:
        return declarada
    celdas = tabla.find_all("th")
    if not celdas:
        fila = tabla.find("tr")
        celdas = fila.find_all(["td", "th"]) if fila is not None else []
    return _fuentes_por_palabras(" ".join(c.get_text(" ") for c in celdas)) or (
        _fuentes_por_palabras(titulo)
    )


def _linea_de_fuente(clases: set[str], fuentes: dict) -> str:
    """'Fuente: <financiera>; <física>.' según las clases; la general por la que falte."""
    general = fuentes.get("general") or FUENTE_GENERAL
    partes = [fuentes.get(clase) or general for clase in PALABRAS_FUENTE if clase in clases]
    texto = "; ".join(dict.fromkeys(partes or [general]))
    return f"Fuente: {texto}" + ("" if texto.endswith(".") else ".")


def _id_libre(base: str, usados: set[str]) -> str:
    ident, n = base, 1
    while ident in usados:
        n += 1
        ident = f"{base}-{n}"
    usados.add(ident)
    return ident


def _numerar_objetos(sopa: BeautifulSoup, fuentes: dict | None = None) -> dict[str, list[dict]]:
    """Numera, en el orden del informe, cada cuadro (tabla de primer nivel) y cada gráfico
    (imagen de una salida): antes, la leyenda «Cuadro N° n: <título>» (``<p class="leyenda">``,
    con el id al que apuntan las listas); después, la línea «Fuente: ...»
    (``<p class="fuente">``). Las secciones ``solo-auditoria`` no se numeran.

    El título: el que declare el objeto (``_titulo_declarado``) o, si no, el del contexto
    (``_titulo_por_contexto``); si dos sin título propio quedan con el mismo, se distinguen por
    el nombre de su id o, sin él, con «(1 de 2)». Una ``<caption>`` se reemplaza por la leyenda,
    y el rótulo en negrita que pasó al título se oculta (``_ocultar_rotulo``).

    La fuente (``fuentes``: ``{"financiera", "fisica", "general"}``; la que falte, la general):
    un cuadro cita la financiera si algún encabezado dice vigente, devengado o ejecución, la
    física si dice avance, eficacia o cumplimiento, ambas si dice de las dos; si los
    encabezados no dicen ninguna, lo que diga su título, y si tampoco, la general. Un gráfico
    cita lo que citan los cuadros de su sección (el cuaderno); en una sección sin cuadros, lo
    que digan las palabras de su título. ``data-fuente`` (financiera, fisica, mixta o general)
    en el objeto manda sobre la regla.

    Devuelve ``{"cuadros": [...], "graficos": [...]}``, cada uno ``{"id", "texto"}``."""
    fuentes = fuentes or {}
    usados = {str(e["id"]) for e in sopa.find_all(id=True)}
    objetos: list[dict] = []
    titulos: dict[int, str] = {}
    rotulo: str | None = None
    parrafo_rotulo: Tag | None = None
    seccion: Tag | None = None
    omitir = False
    for elemento in sopa.find_all(["section", *_TITULOS, "p", "table", "img"]):
        if elemento.name == "section":
            clases = elemento.get("class") or []
            if "seccion" in clases:
                seccion, omitir = elemento, "solo-auditoria" in clases
                titulos, rotulo = {}, None
            continue
        if omitir or elemento.find_parent("table") is not None:
            continue
        if elemento.name in _TITULOS:
            nivel = int(elemento.name[1])
            titulos = {n: t for n, t in titulos.items() if n < nivel}
            titulos[nivel] = _texto_de_titulo(elemento)
            rotulo = None
        elif elemento.name == "p":
            if elemento.get_text().strip():
                rotulo = _rotulo(elemento)
                parrafo_rotulo = elemento if rotulo else None
        elif elemento.name == "table" or _es_grafico(elemento):
            declarado = _titulo_declarado(elemento)
            if rotulo and not declarado:
                _ocultar_rotulo(parrafo_rotulo)  # la leyenda ya lo dice
            objetos.append({
                "tipo": "cuadro" if elemento.name == "table" else "grafico",
                "elemento": elemento,
                "titulo": declarado or _titulo_por_contexto(titulos, rotulo),
                "declarado": bool(declarado),
                "seccion": seccion,
            })
            rotulo = None

    repetidos: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for objeto in objetos:
        if objeto["titulo"] and not objeto["declarado"]:
            repetidos[(objeto["tipo"], objeto["titulo"])].append(objeto)
    for grupo in repetidos.values():
        if len(grupo) < 2:
            continue
        nombres = [_nombre_de_id(o["elemento"]) for o in grupo]
        if not (all(nombres) and len(set(nombres)) == len(nombres)):
            nombres = [f"{i} de {len(grupo)}" for i in range(1, len(grupo) + 1)]
        for objeto, nombre in zip(grupo, nombres, strict=True):
            objeto["titulo"] = f"{objeto['titulo']} ({nombre})"

    fuentes_de_seccion: dict[int, set[str]] = defaultdict(set)
    for objeto in objetos:
        if objeto["tipo"] == "cuadro":
            objeto["fuentes"] = _fuentes_de_cuadro(objeto["elemento"], objeto["titulo"])
            fuentes_de_seccion[id(objeto["seccion"])] |= objeto["fuentes"]
    con_cuadros = {id(o["seccion"]) for o in objetos if o["tipo"] == "cuadro"}
    for objeto in objetos:
        if objeto["tipo"] == "grafico":
            imagen = objeto["elemento"]
            declarada = _fuente_declarada(imagen, imagen.parent)
            if declarada is not None:
                objeto["fuentes"] = declarada
            elif id(objeto["seccion"]) in con_cuadros:
                objeto["fuentes"] = fuentes_de_seccion[id(objeto["seccion"])]
            else:
                objeto["fuentes"] = _fuentes_por_palabras(objeto["titulo"])

    listas: dict[str, list[dict]] = {"cuadros": [], "graficos": []}
    cuenta = {"cuadro": 0, "grafico": 0}
    for objeto in objetos:
        tipo, elemento, titulo = objeto["tipo"], objeto["elemento"], objeto["titulo"]
        cuenta[tipo] += 1
        numero = f"{_ETIQUETA_OBJETO[tipo]} N° {cuenta[tipo]}"
        ident = _id_libre(f"{tipo}-{cuenta[tipo]}", usados)
        leyenda = sopa.new_tag("p", attrs={"class": f"leyenda leyenda-{tipo}", "id": ident})
        marca = sopa.new_tag("span", attrs={"class": "leyenda-numero"})
        marca.string = f"{numero}:" if titulo else numero
        leyenda.append(marca)
        if titulo:
            leyenda.append(NavigableString(f" {titulo}"))  # texto: se escapa al escribir
        linea = sopa.new_tag("p", attrs={"class": f"fuente fuente-{tipo}"})
        linea.string = _linea_de_fuente(objeto["fuentes"], fuentes)
        if tipo == "cuadro":
            anterior = elemento.find("caption", recursive=False)
            if anterior is not None:
                anterior.decompose()
            lugar = elemento
        else:
            lugar = elemento.parent
        lugar.insert_before(leyenda)
        lugar.insert_after(linea)
        texto = f"{numero}: {titulo}" if titulo else numero
        listas[f"{tipo}s"].append({"id": ident, "texto": texto})
    return listas


# --- Maquetación del PDF --------------------------------------------------------------------

# Las reglas que sigue el PDF (docs/maquetacion.md; tests/test_maquetacion.py las mide en él):
# ningún título cierra una página; el texto que presenta un cuadro va en su misma página; las
# páginas apaisadas son sólo para las tablas que no caben en una vertical (y el texto que las
# presenta); ninguna página de una sección, salvo la última, queda usada menos de un tercio.
FRACCION_MINIMA = 1 / 3
_HOLGURA_FRACCION = 0.02  # se corrige desde un poco por encima del mínimo
_HOLGURA_PX = 4  # px CSS de más al calcular cuánto achicar un gráfico
_MARGEN_BLOQUE_PX = 24  # el margen de arriba que recupera un bloque que sube de página (6 mm)
_ESCALA_MINIMA = 0.6  # un gráfico se achica hasta el 60 % de su alto, no más
_TEXTO_CON_APAISADA = 1500  # caracteres de texto que pasan con una tabla a su página apaisada
_PRUEBAS_POR_SECCION = 4  # composiciones de prueba de una sección, como mucho
_PRUEBA_MINIMA = 80_000  # caracteres de HTML de una composición de prueba, si hay secciones
# Una composición de más caracteres de HTML (una tabla de miles de filas) ocupa cientos de MB
# mientras dura: dos así no se componen a la vez (el ayudante toma otra o espera).
_COMPOSICION_GRANDE = 500_000
CLASE_HORIZONTAL = "pagina-horizontal"  # impresion.css: en página apaisada
CLASE_SALTO = "salto-de-pagina"  # impresion.css: empieza en página nueva
CLASE_SIN_PARTIR = "sin-partir"  # impresion.css: no se parte entre dos páginas
_RESTO_MAXIMO = 0.15  # de la página: el final de una tabla que se trata de devolver
_PREFIJO_PRUEBA = "maq-"  # el de todos los ids que pone la maquetación
_ID_CUERPO = f"{_PREFIJO_PRUEBA}cuerpo"
_PREFIJO_UNIDAD = f"{_PREFIJO_PRUEBA}u"
_PREFIJO_IMAGEN = f"{_PREFIJO_PRUEBA}i"
_PREFIJO_TABLA = f"{_PREFIJO_PRUEBA}t"
# Lo que se ve de un bloque, en orden; el último dice si el bloque termina con un título.
_ELEMENTOS_VISIBLES = [*_TITULOS, "p", "li", "table", "img", "pre", "blockquote"]


def _unidades(seccion: Tag) -> list[Tag]:
    """Los bloques de una sección en el orden del informe: cada celda de markdown y cada
    salida visible de una celda de código (el rótulo que pasó a una leyenda no se ve)."""
    unidades = []
    for celda in seccion.find_all("div", class_="jp-Cell", recursive=False):
        if "jp-MarkdownCell" in (celda.get("class") or []):
            unidades.append(celda)
            continue
        for salida in celda.find_all("div", class_="jp-OutputArea-child"):
            if "rotulo-en-leyenda" not in (salida.get("class") or []):
                unidades.append(salida)
    return unidades


def _apaisada(unidad: Tag) -> bool:
    return CLASE_HORIZONTAL in (unidad.get("class") or []) or (
        unidad.find("div", class_="tabla-horizontal") is not None
    )


def _con_objeto(unidad: Tag) -> bool:
    """Un cuadro o un gráfico (no sólo texto)."""
    return unidad.find(["table", "img"]) is not None


def _termina_en_titulo(unidad: Tag) -> bool:
    visibles = unidad.find_all(_ELEMENTOS_VISIBLES)
    return bool(visibles) and visibles[-1].name in _TITULOS


def _agrupar_apaisadas(unidades: list[Tag]) -> None:
    """Los bloques con una tabla apaisada van en página apaisada (clase CLASE_HORIZONTAL), y
    con ellos el texto que los presenta: los bloques de sólo texto que preceden a cada grupo
    de tablas apaisadas, desde el cuadro o gráfico anterior (o el comienzo de la sección),
    mientras no pasen de _TEXTO_CON_APAISADA caracteres; un bloque que termina con un título
    va siempre, para que el título no quede al final de la página vertical de antes. Así el
    título de una sección que empieza con una tabla apaisada no queda solo en una página."""
    apaisadas = [_apaisada(u) for u in unidades]
    for unidad, apaisada in zip(unidades, apaisadas, strict=True):
        if apaisada:
            _agregar_clase(unidad, CLASE_HORIZONTAL)
    for i, apaisada in enumerate(apaisadas):
        if not apaisada or (i and apaisadas[i - 1]):
            continue
        texto = 0
        for previa in reversed(unidades[:i]):
            if _con_objeto(previa) or CLASE_HORIZONTAL in (previa.get("class") or []):
                break
            texto += len(_junto(previa.get_text(" ")))
            if texto > _TEXTO_CON_APAISADA and not _termina_en_titulo(previa):
                break
            _agregar_clase(previa, CLASE_HORIZONTAL)


@dataclass
class _Pagina:
    """Una página de una composición de prueba, en px CSS desde arriba de la página."""

    apaisada: bool
    arriba: float  # la caja del texto
    abajo: float
    seccion: str
    trozos: list[tuple[str, float, float]]  # (id de bloque, arriba, abajo), de arriba abajo
    imagenes: dict[str, tuple[float, float]]  # id de imagen -> (arriba, abajo)
    tablas: dict[str, float]  # id de tabla apaisada -> ancho

    @property
    def fondo(self) -> float:
        return max((y1 for _, _, y1 in self.trozos), default=self.arriba)

    @property
    def usado(self) -> float:
        return (self.fondo - self.arriba) / (self.abajo - self.arriba)


def _pagina_de_prueba(secciones: list[str], estilos: list[str]) -> str:
    """La página HTML que compone de prueba sólo ``secciones``, con los estilos del PDF. La
    primera hoja (la de la portada) y la última (vertical: el cuerpo sigue hasta ella, así su
    caja marca el borde de arriba y el de abajo del texto en las demás) quedan vacías. Cada
    sección empieza en página nueva: su paginación es la misma que en el informe."""
    css = "".join(f"<style>{c}</style>" for c in estilos)
    cuerpo = "".join(secciones)
    return (
        f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">{css}</head>'
        f'<body class="informe informe-impresion"><div style="break-after: page"></div>'
        f'<main class="cuerpo" id="{_ID_CUERPO}">{cuerpo}'
        f'<div style="break-before: page"></div></main></body></html>'
    )


def _medir_prueba(parte: Parte, ids: set[str]) -> tuple[list[_Pagina], float]:
    """De cada hoja de una composición de prueba (``_pagina_de_prueba``): dónde cae cada
    bloque, cada gráfico y cada tabla apaisada (las anclas de WeasyPrint: la caja de cada
    elemento con id en esa hoja), y el ancho del texto de una página vertical."""
    vacia = parte.hojas[-1].anclas[_ID_CUERPO]  # (x0, y0, x1, y1)
    arriba, ancho_vertical = vacia[1], vacia[2] - vacia[0]
    paginas = []
    for hoja in parte.hojas[:-1]:
        anclas = hoja.anclas
        cuerpo_caja = anclas.get(_ID_CUERPO)
        seccion = next((a for a in anclas if a in ids), None)
        if cuerpo_caja is None or seccion is None:
            continue
        bloques = _con_prefijo(anclas, _PREFIJO_UNIDAD)
        paginas.append(
            _Pagina(
                apaisada=hoja.apaisada,
                arriba=arriba,
                abajo=cuerpo_caja[3],
                seccion=seccion,
                trozos=sorted(
                    ((a, c[1], c[3]) for a, c in bloques.items()), key=lambda t: (t[1], t[2])
                ),
                imagenes={
                    a: (c[1], c[3]) for a, c in _con_prefijo(anclas, _PREFIJO_IMAGEN).items()
                },
                tablas={a: c[2] - c[0] for a, c in _con_prefijo(anclas, _PREFIJO_TABLA).items()},
            )
        )
    return paginas, ancho_vertical


def _con_nombres_propios(parte: Parte, propios: dict[str, str]) -> Parte:
    """La misma parte (cambiada aquí: las piezas que la nombran ven el PDF que se le escriba
    después), con las anclas de prueba llamadas como el elemento (``propios``: id de prueba →
    el suyo); las que no traían uno se olvidan."""
    parte.hojas = [
        Hoja(
            ancho=h.ancho,
            alto=h.alto,
            anclas={
                propios.get(a, a): caja for a, caja in h.anclas.items()
                if a in propios or not a.startswith(_PREFIJO_PRUEBA)
            },
            enlaces=h.enlaces,
        )
        for h in parte.hojas
    ]
    return parte


def _piezas_de_prueba(parte: Parte, ids: list[str]) -> dict[str, Pieza]:
    """Las hojas de cada sección (``ids``, en orden) en una composición de prueba: sirven tal
    cual en el PDF si la maquetación ya no cambia la sección."""
    inicios: dict[str, int] = {}
    for n, hoja in enumerate(parte.hojas):
        for ident in ids:
            if ident in hoja.anclas:
                inicios.setdefault(ident, n)
    orden = sorted(inicios, key=inicios.get)
    fines = [inicios[i] for i in orden[1:]] + [len(parte.hojas) - 1]  # la última, vacía
    return {
        ident: Pieza(parte, list(range(inicios[ident], fin)))
        for ident, fin in zip(orden, fines, strict=True)
    }


# La composición de prueba de este proceso que espera saber qué hojas se escriben
# (``_componer_textos`` con ``sin_escribir``): a lo sumo una.
_SIN_ESCRIBIR: list = []


def _componer_textos(paginas: list[str], imagenes: _Imagenes, carpeta: Path, *,
                     sin_escribir: bool = False, escribir_hojas: list[int] | None = None):
    """Compone cada página HTML, con sus gráficos, y devuelve sus partes; en este proceso o en
    otro (el ayudante de ``_Compositor``, un ``Aparte`` que la corre).

    Una composición de prueba (``sin_escribir``, una página) vuelve sin PDF, y el documento
    queda en este proceso hasta la llamada siguiente, sin páginas, que da las hojas que van
    al informe (``escribir_hojas``) y devuelve su PDF."""
    if escribir_hojas is not None:
        documento, parte = _SIN_ESCRIBIR.pop()
        with silenciar(), memoria_quieta():
            escribir(documento, parte, escribir_hojas)
            del documento
            devolver_memoria()
        return parte.pdf
    partes = []
    with silenciar(), memoria_quieta():
        for pagina in paginas:
            if sin_escribir:
                documento, parte = componer_sin_escribir(imagenes.reponer(pagina), carpeta)
                # Una que quedó de un ensamblado que falló antes de escribirla, se suelta.
                _SIN_ESCRIBIR[:] = [(documento, parte)]
                partes.append(parte)
                continue
            partes.append(componer(imagenes.reponer(pagina), carpeta))
            # Lo que ocupó la composición (cientos de MB con una tabla de miles de filas)
            # vuelve al sistema, y no se suma a lo que otro proceso ocupe mientras tanto.
            devolver_memoria()
    return partes


# Una página HTML por componer y qué hacer con lo compuesto: ``al_volver(parte)`` devuelve
# las páginas que hay que componer después (ninguna, si no hace falta otra). Un tercer
# elemento True la hace de prueba: se compone sin escribir, ``al_volver`` deja en
# ``parte.escritas`` las hojas que van al informe, y sólo esas se escriben.
Encargo = tuple[str, Callable[[Parte], list["Encargo"]]] | tuple[
    str, Callable[[Parte], list["Encargo"]], bool]


@dataclass
class _Compositor:
    """Con qué y dónde se compone el PDF: sus estilos, los gráficos, la carpeta de la que se
    leen los recursos y, con más de un núcleo, un ayudante (otro proceso que corre
    ``_componer_textos``) que compone a la par de este."""

    estilos: list[str]
    imagenes: _Imagenes
    carpeta: Path
    ayudante: Aparte | None = None

    def componer(self, paginas: list[str]) -> list[Parte]:
        """Compone cada página HTML; devuelve las partes en su orden."""
        if self.ayudante is None or len(paginas) < 2:
            return _componer_textos(paginas, self.imagenes, self.carpeta)
        partes: dict[int, Parte] = {}

        def guardar(i: int):
            def al_volver(parte: Parte) -> list[Encargo]:
                partes[i] = parte
                return []
            return al_volver

        self.encargar([(pagina, guardar(i)) for i, pagina in enumerate(paginas)])
        return [partes[i] for i in range(len(paginas))]

    def encargar(self, encargos: list[Encargo]) -> None:
        """Compone cada encargo y le pasa su parte en cuanto está (``al_volver``, de a uno:
        nunca dos a la vez), y también los encargos que esos devuelvan, hasta que no queda
        ninguno. Con ayudante, este proceso y él van tomando el siguiente de una misma fila,
        el más largo primero (salvo dos de más de _COMPOSICION_GRANDE caracteres a la vez: la
        memoria); lo que un encargo pide después entra a la fila apenas vuelve, así que
        ninguno espera al otro para seguir (no hay vueltas que terminar)."""
        fila: deque[Encargo] = deque()
        # La fila, cuántos se están componiendo (y cuántos de ellos grandes), las fallas.
        estado = threading.Condition()
        en_curso = [0]
        grandes = [0]
        fallas: list[BaseException] = []
        de_a_uno = threading.Lock()

        def es_grande(encargo: Encargo) -> bool:
            return len(encargo[0]) > _COMPOSICION_GRANDE

        def el_siguiente() -> int | None:  # con `estado` tomado
            if not grandes[0]:
                return 0 if fila else None
            return next((k for k, e in enumerate(fila) if not es_grande(e)), None)

        def agregar(nuevos: list[Encargo]) -> None:  # con `estado` tomado
            fila.extend(nuevos)
            ordenados = sorted(fila, key=lambda e: -len(e[0]))
            fila.clear()
            fila.extend(ordenados)

        def tomar() -> Encargo | None:
            with estado:
                while (k := el_siguiente()) is None and en_curso[0] and not fallas:
                    estado.wait()
                if fallas or k is None:
                    return None
                encargo = fila[k]
                del fila[k]
                en_curso[0] += 1
                grandes[0] += es_grande(encargo)
                return encargo

        def de_prueba(encargo: Encargo) -> bool:
            return len(encargo) > 2 and bool(encargo[2])

        def entregar(encargo: Encargo, parte: Parte, escribir_pdf=None) -> None:
            # `escribir_pdf(hojas)`: el de una composición de prueba, con las hojas que
            # `al_volver` dejó en la parte; lo que pide el encargo ya está en la fila.
            with de_a_uno:
                nuevos = encargo[1](parte)
            with estado:
                agregar(nuevos)
                estado.notify_all()
            if escribir_pdf is not None:
                escribir_pdf(parte.escritas or [])
            with estado:
                en_curso[0] -= 1
                grandes[0] -= es_grande(encargo)
                estado.notify_all()

        def fallar(error: BaseException) -> None:
            with estado:
                fallas.append(error)
                fila.clear()
                estado.notify_all()

        def llevar_al_ayudante() -> None:
            # Un hilo que espera al otro proceso (casi no ocupa este) y le pasa cada parte a su
            # encargo mientras este compone otra.
            try:
                while (encargo := tomar()) is not None:
                    prueba = de_prueba(encargo)
                    self.ayudante.enviar([encargo[0]], self.imagenes, self.carpeta,
                                         sin_escribir=prueba)
                    [parte] = self.ayudante.resultado()

                    def escribir_alli(hojas: list[int], parte=parte) -> None:
                        self.ayudante.enviar([], None, None, escribir_hojas=hojas)
                        parte.pdf, parte.escritas = self.ayudante.resultado(), sorted(hojas)

                    entregar(encargo, parte, escribir_alli if prueba else None)
            except BaseException as error:  # noqa: BLE001 - se vuelve a lanzar en este hilo
                fallar(error)

        with estado:
            agregar(list(encargos))
        hilo = None
        if self.ayudante is not None:
            hilo = threading.Thread(target=llevar_al_ayudante, daemon=True)
            hilo.start()
        try:
            while (encargo := tomar()) is not None:
                prueba = de_prueba(encargo)
                [parte] = _componer_textos([encargo[0]], self.imagenes, self.carpeta,
                                           sin_escribir=prueba)

                def escribir_aqui(hojas: list[int]) -> None:
                    _componer_textos([], self.imagenes, self.carpeta, escribir_hojas=hojas)

                entregar(encargo, parte, escribir_aqui if prueba else None)
        except BaseException as error:
            # El ayudante no toma otro; no se lo espera: al salir del `with` del ensamblado se
            # lo detiene.
            fallar(error)
            raise
        if hilo is not None:
            hilo.join()
        if fallas:
            raise fallas[0]


def _grupos_de_prueba(textos: list[str]) -> list[list[int]]:
    """Qué secciones se componen juntas de prueba (sus posiciones): cada documento cuesta,
    además, leer los estilos. Grupos de _PRUEBA_MINIMA caracteres, o menos si así no salen
    cuatro (dos por proceso): con pocas secciones, que las dos mitades se compongan a la par."""
    objetivo = min(_PRUEBA_MINIMA, sum(map(len, textos)) // 4)
    grupos: list[list[int]] = []
    largo = objetivo
    for i, texto in enumerate(textos):
        if largo >= objetivo:
            grupos.append([])
            largo = 0
        grupos[-1].append(i)
        largo += len(texto)
    return grupos


def _con_prefijo(anclas: dict[str, tuple], prefijo: str) -> dict[str, tuple]:
    return {a: caja for a, caja in anclas.items() if a.startswith(prefijo)}


class _Maqueta:
    """Los bloques de las secciones, con un id para ubicarlos en una composición de prueba,
    y las correcciones que se les aplican."""

    def __init__(self, secciones: list[Tag]) -> None:
        self.bloques: dict[str, Tag] = {}
        self.imagenes: dict[str, Tag] = {}
        self.tablas: dict[str, Tag] = {}
        self.altos: dict[str, float] = {}  # el de cada gráfico antes de achicarlo
        self.de_seccion: dict[str, list[str]] = {}
        for seccion in secciones:
            unidades = _unidades(seccion)
            _agrupar_apaisadas(unidades)
            ids = []
            for unidad in unidades:
                ids.append(self._marcar(unidad, _PREFIJO_UNIDAD, self.bloques))
                for imagen in unidad.find_all("img"):
                    self._marcar(imagen, _PREFIJO_IMAGEN, self.imagenes)
                for tabla in unidad.select("div.tabla-horizontal > table"):
                    self._marcar(tabla, _PREFIJO_TABLA, self.tablas)
            self.de_seccion[seccion["id"]] = ids

    @staticmethod
    def _marcar(elemento: Tag, prefijo: str, registro: dict[str, Tag]) -> str:
        """Un id de prueba; el que traía (una celda, una tabla) se guarda y se repone."""
        ident = f"{prefijo}{len(registro)}"
        if elemento.get("id"):
            elemento["data-maq-id"] = elemento["id"]
        elemento["id"] = ident
        registro[ident] = elemento
        return ident

    def _nombre(self, ident: str) -> str:
        """Cómo nombrar un bloque, un gráfico o una tabla en el registro: por su leyenda
        («Cuadro N° 7»), su título o el comienzo de su texto."""
        elemento = self.bloques.get(ident) or self.imagenes.get(ident) or self.tablas.get(ident)
        leyenda = None
        if elemento is not None and elemento.name in ("img", "table"):
            contenedor = elemento if elemento.name == "table" else elemento.parent
            leyenda = contenedor.find_previous_sibling("p", class_="leyenda")
        elif elemento is not None:
            leyenda = elemento.find("p", class_="leyenda") or elemento.find(_TITULOS)
        texto = _junto((leyenda or elemento).get_text(" ")) if elemento is not None else ""
        texto = texto.replace("¶", "").strip()
        return f"«{texto[:60]}»" if texto else ident

    def _nombres(self, idents: list[str]) -> str:
        return ", ".join(self._nombre(i) for i in idents)

    def propios(self) -> dict[str, str]:
        """id de prueba → el que el elemento traía, de los que traían uno."""
        return {
            ident: elemento["data-maq-id"]
            for registro in (self.bloques, self.imagenes, self.tablas)
            for ident, elemento in registro.items()
            if elemento.get("data-maq-id")
        }

    def limpiar(self) -> None:
        """Quita los ids de prueba (y repone los propios)."""
        for elemento in [*self.bloques.values(), *self.imagenes.values(), *self.tablas.values()]:
            propio = elemento.attrs.pop("data-maq-id", None)
            if propio:
                elemento["id"] = propio
            else:
                del elemento["id"]

    def enderezar(
        self, seccion: str, paginas: list[_Pagina], ancho_vertical: float
    ) -> str | None:
        """Las tablas apaisadas que, con el ancho que necesitan, caben en una página vertical
        (la estimación de ``_marcar_tablas`` es aproximada) vuelven a ella, en letra chica; los
        bloques de la sección se agrupan de nuevo."""
        anchos = {t: a for p in paginas for t, a in p.tablas.items() if t in self.tablas}
        caben = [t for t, a in anchos.items() if a <= ancho_vertical]
        if not caben:
            return None
        nombres = self._nombres(caben)
        for ident in caben:
            tabla = self.tablas.pop(ident)
            tabla["class"] = ["ancha" if c == "muy-ancha" else c for c in tabla["class"]]
            tabla.parent.unwrap()  # el <div class="tabla-horizontal">
            propio = tabla.attrs.pop("data-maq-id", None)
            if propio:
                tabla["id"] = propio
            else:
                del tabla["id"]
        unidades = [self.bloques[b] for b in self.de_seccion[seccion]]
        for unidad in unidades:
            unidad["class"] = [c for c in unidad.get("class") or [] if c != CLASE_HORIZONTAL]
        _agrupar_apaisadas(unidades)
        return f"{nombres} caben en una página vertical"

    def corregir(self, paginas: list[_Pagina]) -> str | None:
        """Corrige el primer problema que sepa corregir en las páginas de una sección (en
        orden) y dice qué hizo; None si no hay nada que corregir o no sabe cómo."""
        primera: dict[str, int] = {}
        ultima: dict[str, int] = {}
        for k, pagina in enumerate(paginas):
            for bloque, _, _ in pagina.trozos:
                primera.setdefault(bloque, k)
                ultima[bloque] = k
        for k, pagina in enumerate(paginas):
            final = k == len(paginas) - 1
            if not pagina.trozos:
                continue
            cierre = max(pagina.trozos, key=lambda t: t[2])[0]
            if not final and ultima[cierre] == k and _termina_en_titulo(self.bloques[cierre]):
                hecho = self._titulo_al_final(cierre, pagina, paginas[k + 1])
                if hecho:
                    return hecho
            if not final and pagina.usado < FRACCION_MINIMA + _HOLGURA_FRACCION:
                hecho = self._poco_usada(k, paginas, primera, ultima)
                if hecho:
                    return hecho
            if k and paginas[k - 1].apaisada == pagina.apaisada:
                hecho = self._resto(k, paginas, primera, ultima)
                if hecho:
                    return hecho
        return None

    def _resto(self, k: int, paginas: list[_Pagina], primera, ultima) -> str | None:
        """Unas pocas filas de una tabla que empezó antes (o el final de un bloque, si es lo
        único en la última página de la sección y la deja corta) arriba de la página ``k``:
        vuelven a la anterior achicando un gráfico de antes, en páginas de la misma
        orientación; si no hay cuál, una tabla que cabe en media página va entera a la
        siguiente, si la anterior no queda corta."""
        pagina = paginas[k]
        bloque, _, abajo = pagina.trozos[0]
        if primera[bloque] == k or ultima[bloque] != k:
            return None
        alto_pagina = pagina.abajo - pagina.arriba
        resto = abajo - pagina.arriba
        solo = len(paginas) == k + 1 and all(primera[b] < k for b, _, _ in pagina.trozos)
        if solo and pagina.usado < FRACCION_MINIMA:
            resto = pagina.fondo - pagina.arriba
        elif self.bloques[bloque].find("table") is None or resto > _RESTO_MAXIMO * alto_pagina:
            return None
        for j in range(k - 1, -1, -1):
            if paginas[j].apaisada != pagina.apaisada:
                break
            hecho = self._achicar_en(paginas[j], ultima, j, resto + _HOLGURA_PX)
            if hecho:
                return f"{hecho} (para el final de {self._nombre(bloque)}, solo en una página)"
        anterior = paginas[k - 1]
        alto = sum(b - a for p in paginas for u, a, b in p.trozos if u == bloque)
        arriba_en_anterior = min(a for u, a, _ in anterior.trozos if u == bloque)
        queda = (arriba_en_anterior - anterior.arriba) / alto_pagina
        if alto <= alto_pagina / 2 and queda >= FRACCION_MINIMA + _HOLGURA_FRACCION:
            if _agregar_clase(self.bloques[bloque], CLASE_SIN_PARTIR):
                return (
                    f"{self._nombre(bloque)} va entero a la página siguiente (dejaba "
                    f"{resto / alto_pagina:.0%} de una página sola)"
                )
        return None

    def _titulo_al_final(self, bloque: str, pagina: _Pagina, siguiente: _Pagina) -> str | None:
        tag = self.bloques[bloque]
        if siguiente.apaisada and not pagina.apaisada:
            _agregar_clase(tag, CLASE_HORIZONTAL)
            return f"{self._nombre(bloque)} pasa a la página apaisada"
        clases = tag.get("class") or []
        if pagina.apaisada and not siguiente.apaisada and CLASE_HORIZONTAL in clases:
            tag["class"] = [c for c in clases if c != CLASE_HORIZONTAL]
            return f"{self._nombre(bloque)} pasa a la página vertical"
        if pagina.apaisada == siguiente.apaisada and _agregar_clase(tag, CLASE_SALTO):
            return f"{self._nombre(bloque)} empieza página"
        return None

    def _poco_usada(self, k: int, paginas: list[_Pagina], primera, ultima) -> str | None:
        pagina, siguiente = paginas[k], paginas[k + 1]
        if siguiente.apaisada and not pagina.apaisada:
            # Lo que queda solo antes de una página apaisada pasa a ella, si empezó en esta
            # página y no tiene gráficos.
            bloques = [b for b, _, _ in pagina.trozos]
            if all(primera[b] == k for b in bloques) and not any(
                self.bloques[b].find("img") for b in bloques
            ):
                for b in bloques:
                    _agregar_clase(self.bloques[b], CLASE_HORIZONTAL)
                return f"{self._nombres(bloques)} pasan a la página apaisada"
            return None
        if pagina.apaisada and not siguiente.apaisada:
            # Tras el final de una tabla apaisada: suben a su página los bloques siguientes
            # (texto o tablas, sin gráficos) que caben en lo que queda de ella.
            libre = pagina.abajo - pagina.fondo
            suben = []
            for bloque, _, abajo in siguiente.trozos:
                tag = self.bloques[bloque]
                if (
                    primera[bloque] != k + 1
                    or ultima[bloque] != k + 1
                    or tag.find("img") is not None
                    or abajo - siguiente.arriba + _MARGEN_BLOQUE_PX > libre
                ):
                    break
                suben.append(bloque)
            while suben and _termina_en_titulo(self.bloques[suben[-1]]):
                suben.pop()
            for bloque in suben:
                _agregar_clase(self.bloques[bloque], CLASE_HORIZONTAL)
            return f"{self._nombres(suben)} suben a la página apaisada" if suben else None
        # La misma orientación: lo que empieza la página siguiente no cupo. Si es un gráfico
        # (con el título y la leyenda que van con él), se achica para que quepa.
        cadena = None
        for bloque, _, abajo in siguiente.trozos:
            if primera[bloque] != k + 1:
                return None  # la página siguiente empieza con la continuación de un bloque
            propias = [i for i in self._imagenes_de(bloque) if i in siguiente.imagenes]
            if propias:
                cadena = (propias[0], abajo)
                break
        if cadena is None:
            return None
        imagen, abajo = cadena
        falta = (abajo - siguiente.arriba) - (pagina.abajo - pagina.fondo) + _MARGEN_BLOQUE_PX
        return self._achicar(imagen, siguiente.imagenes[imagen], falta)

    def _imagenes_de(self, bloque: str) -> list[str]:
        return [i["id"] for i in self.bloques[bloque].find_all("img") if i.get("id")]

    def _achicar_en(self, pagina: _Pagina, ultima, k: int, falta: float) -> str | None:
        """Achica el gráfico más alto de ``pagina`` (de un bloque que termina en ella)."""
        candidatas = [
            (abajo - arriba, imagen)
            for bloque, _, _ in pagina.trozos
            if ultima[bloque] == k
            for imagen in self._imagenes_de(bloque)
            if imagen in pagina.imagenes
            for arriba, abajo in [pagina.imagenes[imagen]]
        ]
        if not candidatas:
            return None
        _, imagen = max(candidatas)
        return self._achicar(imagen, pagina.imagenes[imagen], falta)

    def _achicar(self, imagen: str, caja: tuple[float, float], falta: float) -> str | None:
        """Baja el alto del gráfico en ``falta`` px, si queda en al menos _ESCALA_MINIMA del
        alto que tenía antes de cualquier corrección."""
        alto = caja[1] - caja[0]
        original = self.altos.setdefault(imagen, alto)
        nuevo = alto - falta - _HOLGURA_PX
        if falta <= 0 or nuevo < _ESCALA_MINIMA * original:
            return None
        self.imagenes[imagen]["style"] = f"max-height: {nuevo:.0f}px"
        return f"{self._nombre(imagen)} baja de {alto:.0f} a {nuevo:.0f} px de alto"


def _sin_dudas(seccion: Tag) -> bool:
    """Una sección que no hace falta componer de prueba: toda apaisada y sin gráficos (como el
    anexo: su texto y una tabla larga, la composición más cara), o con una tabla de cientos
    de filas (`_fijar_columnas`, la de una entidad grande): componerla de prueba cuesta
    minutos, y en ella lo que pueda quedar corto es poco frente a sus páginas de tabla."""
    if seccion.find("table", class_="fija") is not None:
        return True
    unidades = _unidades(seccion)
    return (
        bool(unidades)
        and all(CLASE_HORIZONTAL in (u.get("class") or []) for u in unidades)
        and seccion.find("img") is None
    )


def _maquetar(
    cuerpo: str,
    compositor: _Compositor,
    final: Callable[[str, str, bool], str],
    adicionales: list[str] = (),
) -> tuple[list[tuple[str, str]], dict[str, Pieza], list[Parte]]:
    """Las secciones del PDF (id y HTML, en orden), con las reglas de maquetación resueltas;
    las hojas de cada una, ya compuestas (``Pieza``: van tal cual al PDF), y las partes de
    ``adicionales`` (páginas HTML que se componen a la par). ``final(id, html, es_la_ultima)``:
    la página del PDF con sólo esa sección (la última, con las firmas y el colofón).

    Cada sección se compone de prueba (las chicas, juntas: ``_grupos_de_prueba``) y se mide
    dónde cae cada bloque. Si las reglas la cambian, se compone de prueba otra vez, sola,
    hasta _PRUEBAS_POR_SECCION veces; si no, su composición de prueba va tal cual al PDF.
    Cada sección empieza en página nueva, así que sus páginas son las mismas sola o con otras:
    cada una sigue su camino sin esperar a las demás (``_Compositor.encargar``). Las que no se
    componen de prueba (``_sin_dudas``: todas apaisadas y sin gráficos, como el anexo) se
    componen como van al PDF desde el comienzo; también la última cuando ya no cambia (a su
    prueba le faltan las firmas) y la que sigue cambiando después de _PRUEBAS_POR_SECCION
    pruebas.

    Reglas:

    1. cada tabla apaisada se lleva a su página el texto que la presenta
       (``_agrupar_apaisadas``);
    2. un título al final de una página empieza la siguiente (o cambia de orientación con
       ella); una página corta antes de un gráfico que no cupo lo achica (hasta
       _ESCALA_MINIMA) para que quepa; una página corta antes de una apaisada pasa a ella, y
       una apaisada corta se completa con los bloques de texto y tablas que siguen. Unas
       pocas filas de una tabla solas arriba de una página (o solas en la última de la
       sección) vuelven a la anterior achicando un gráfico de antes; si no hay cuál, una
       tabla corta va entera a la página siguiente.

    Antes, una tabla apaisada que con el ancho que necesita cabe en una página vertical
    vuelve a ella (``_Maqueta.enderezar``). Se corrige un problema por sección y prueba; cada
    corrección se anota en el registro. Lo que no se sabe corregir queda como está: la prueba
    de maquetación (tests/test_maquetacion.py) lo dice."""
    sopa = _sopa(cuerpo)
    secciones = sopa.find_all("section", class_="seccion")
    maqueta = _Maqueta(secciones)
    ultima = secciones[-1]["id"] if secciones else None
    compuestas: dict[str, Pieza] = {}
    otras: dict[int, Parte] = {}
    pruebas: dict[str, int] = defaultdict(int)  # composiciones de prueba de cada sección

    def adicional(k: int, pagina: str) -> Encargo:
        def al_volver(parte: Parte) -> list[Encargo]:
            otras[k] = parte
            return []
        return pagina, al_volver

    def como_va(seccion: Tag) -> Encargo:
        ident = seccion["id"]

        def al_volver(parte: Parte) -> list[Encargo]:
            compuestas[ident] = Pieza(_con_nombres_propios(parte, maqueta.propios()),
                                      list(range(len(parte.hojas))))
            return []
        return final(ident, str(seccion), ident == ultima), al_volver

    def de_prueba(grupo: list[Tag], textos: list[str] | None = None) -> Encargo:
        ids = [s["id"] for s in grupo]
        for ident in ids:
            pruebas[ident] += 1

        def al_volver(parte: Parte) -> list[Encargo]:
            paginas, ancho_vertical = _medir_prueba(parte, set(ids))
            piezas = _piezas_de_prueba(_con_nombres_propios(parte, maqueta.propios()), ids)
            parte.escritas = []  # las hojas que van al PDF: las de las secciones que quedan
            siguen: list[Encargo] = []
            for seccion in grupo:
                ident = seccion["id"]
                propias = [p for p in paginas if p.seccion == ident]
                hecho = maqueta.enderezar(ident, propias, ancho_vertical) or (
                    maqueta.corregir(propias)
                )
                if hecho:
                    LOG.info("Maquetación de %s: %s", seccion.get("data-cuaderno"), hecho)
                    siguen.append(de_prueba([seccion]) if pruebas[ident] < _PRUEBAS_POR_SECCION
                                  else como_va(seccion))
                elif ident == ultima:
                    siguen.append(como_va(seccion))
                else:
                    compuestas[ident] = piezas[ident]
                    parte.escritas += piezas[ident].indices
            return siguen
        return (_pagina_de_prueba(textos or [str(s) for s in grupo], compositor.estilos),
                al_volver, True)

    a_probar = [s for s in secciones if not _sin_dudas(s)]
    textos = [str(s) for s in a_probar]
    compositor.encargar([
        *(adicional(k, pagina) for k, pagina in enumerate(adicionales)),
        *(como_va(s) for s in secciones if _sin_dudas(s)),
        *(de_prueba([a_probar[i] for i in grupo], [textos[i] for i in grupo])
          for grupo in _grupos_de_prueba(textos)),
    ])
    maqueta.limpiar()
    return ([(s["id"], str(s)) for s in secciones], compuestas,
            [otras[k] for k in range(len(adicionales))])


# --- Página y PDF ---------------------------------------------------------------------------

_ENTORNO = Environment(
    loader=FileSystemLoader(str(PLANTILLAS)),
    autoescape=select_autoescape(["html", "j2"]),
    keep_trailing_newline=True,
)


def _leer_css(nombre: str) -> str:
    return (PLANTILLAS / nombre).read_text(encoding="utf-8")


def _attr(texto: str) -> str:
    return html.escape(texto, quote=True)


def _pagina(
    variante: str,
    cuerpo: str,
    indice: list[dict],
    estilos: list[str],
    datos: dict,
    listas: dict[str, list[dict]] | None = None,
    *,
    parte: str | None = None,
    paginas: dict[str, int] | None = None,
) -> str:
    """La página HTML entera, o una parte del PDF (``parte``: "portada", "cuerpo" o "cierre";
    ``paginas``: el número de página de cada entrada del índice y de las listas)."""
    listas = listas or {}
    return _ENTORNO.get_template("pagina.html.j2").render(
        variante=variante,
        cuerpo=Markup(cuerpo),
        indice=indice,
        cuadros=listas.get("cuadros", []),
        graficos=listas.get("graficos", []),
        estilos=[Markup(css) for css in estilos if css],
        parte=parte,
        paginas=paginas,
        **datos,
    )


def _entradas(indice: list[dict], listas: dict[str, list[dict]]) -> list[str]:
    """Los ids a los que apunta cada entrada del índice y de las listas."""
    return [
        *(h["id"] for h1 in indice for h in (h1, *h1.get("hijos", []))),
        *(o["id"] for lista in listas.values() for o in lista),
    ]


def _escribir_pdf(
    cuerpo: str,
    indice: list[dict],
    listas: dict[str, list[dict]],
    datos: dict,
    compositor: _Compositor,
    destino: Path,
) -> dict[str, float]:
    """El PDF por partes (``helpers.salida.pdf``), y cuánto tardó cada paso: ``maquetar``,
    ``pdf`` (todo lo que sigue), y de eso, ``portada`` y ``unir``.

    1. ``_maquetar`` resuelve la maquetación y deja compuesta cada sección como va al PDF. A
       la par se compone la portada con números provisorios, para saber cuántas páginas
       ocupa.
    2. Se numeran las entradas del índice y de las listas, y se componen a la vez la portada
       definitiva y las hojas de la cabecera y el pie. Si la portada ocupara otro número de
       páginas (un número más largo que parte un renglón), se numera y se compone de nuevo.
    3. ``unir`` las junta."""
    tiempos = {}
    t = time.perf_counter()
    estilos = compositor.estilos
    entradas = _entradas(indice, listas)

    def portada(paginas: dict[str, int]) -> str:
        return _pagina("impresion", "", indice, estilos, datos, listas,
                       parte="portada", paginas=paginas)

    def final(ident: str, texto: str, es_la_ultima: bool) -> str:
        return _pagina("impresion", texto, [], estilos, datos,
                       parte="cierre" if es_la_ultima else "cuerpo")

    secciones, compuestas, [provisoria] = _maquetar(
        cuerpo, compositor, final, [portada(dict.fromkeys(entradas, 999))]
    )
    tiempos["maquetar"] = time.perf_counter() - t

    t = inicio_pdf = time.perf_counter()
    cuerpo_pdf = [compuestas[ident] for ident, _ in secciones]
    hojas = [pieza.parte.hojas[i] for pieza in cuerpo_pdf for i in pieza.indices]

    t = time.perf_counter()
    en_portada = len(provisoria.hojas)
    for _ in range(3):
        paginas: dict[str, int] = {}
        for n, hoja in enumerate(hojas, start=en_portada + 1):
            for nombre in hoja.anclas:
                paginas.setdefault(nombre, n)
        faltantes = [e for e in entradas if e not in paginas]
        if faltantes:
            raise ValueError(f"Entradas del índice sin destino en el PDF: {faltantes[:5]}")
        cabeceras = _ENTORNO.get_template("cabeceras.html.j2").render(
            estilos=[Markup(css) for css in [*estilos, _leer_css("cabeceras.css")]],
            apaisadas=[False] * (en_portada - 1) + [h.apaisada for h in hojas],
            entidad=datos["entidad"], periodo=datos["periodo"], pie=datos["pie"],
        )
        primera, sellos = compositor.componer(
            [portada({e: paginas[e] for e in entradas}), cabeceras]
        )
        if len(primera.hojas) == en_portada:
            break
        LOG.info("La portada ocupa %d páginas, no %d: se numera de nuevo",
                 len(primera.hojas), en_portada)
        en_portada = len(primera.hojas)
    else:
        raise RuntimeError("El número de páginas de la portada no se estabiliza.")
    tiempos["portada"] = time.perf_counter() - t

    t = time.perf_counter()
    unir([Pieza(primera, list(range(en_portada))), *cuerpo_pdf], sellos, destino)
    tiempos["unir"] = time.perf_counter() - t
    tiempos["pdf"] = time.perf_counter() - inicio_pdf
    return tiempos
