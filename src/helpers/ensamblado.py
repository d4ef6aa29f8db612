"""Ensamblado del informe: une los cuadernos ejecutados en un HTML para lectores, un HTML de
auditoría (con el código) y un PDF A4.

Los cuadernos de sección, ya ejecutados por papermill, se juntan en un solo cuaderno en
memoria (una marca <section> por cuaderno) y se exportan dos veces con ``HTMLExporter`` y la
plantilla propia ``plantillas/cuerpo`` (sin MathJax, require.js ni CSS de JupyterLab: nada
se carga de la red). Antes de exportar se marcan, en las salidas HTML, las celdas numéricas
de las tablas y su ancho; después, sobre el cuerpo, se quitan los <script>, se fijan los
identificadores de los títulos, se corrigen los enlaces internos, se arma el índice y se
numeran los cuadros y gráficos con su leyenda y su fuente (``_numerar_objetos``);
``plantillas/pagina.html.j2`` pone la portada (con la identificación del documento oficial:
CITE, hoja de ruta, unidad emisora, fechas; ver ``identidad.datos_para_ensamblar``), el
índice, las listas de cuadros y de gráficos, el bloque de firmas, el colofón (si se da: de qué
datos, parámetros y código sale el informe y cómo verificarlo; ver
``manifiesto.datos_colofon``) y los estilos en línea. El PDF sale de la variante de impresión
del HTML para lectores (``plantillas/impresion.css``) con WeasyPrint.

Todo lo que mira la estructura del HTML lo hace BeautifulSoup (analizador ``html.parser``, el
mismo con que nbconvert escribe el cuerpo), no expresiones regulares: cada documento (una salida
con tablas, el cuerpo exportado de cada variante) se analiza una vez y se escribe una vez.

Los gráficos se apartan antes de exportar y se reponen al final como ``data:`` URI: así el
HTML intermedio es chico y cada paso (exportador, BeautifulSoup) no recorre megas de base64.
La ficha que ocupa su lugar lleva una clave al azar de cada ensamblado: ningún texto de los
datos puede escribirla (un ``@@IMG0@@`` en una frase queda como texto).

El texto de los datos llega ya escapado a cada salida (``helpers.literal`` en el Markdown,
``html.escape`` en las tablas, autoescape de Jinja en la portada, las listas, las firmas y
el colofón, nodos de texto de BeautifulSoup en las leyendas y fuentes); quitar los
<script> del cuerpo es sólo una segunda barrera para salidas HTML ajenas.
"""

from __future__ import annotations

import copy
import functools
import gc
import html
import logging
import re
import secrets
import time
import unicodedata
import warnings
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import nbformat
from bs4 import BeautifulSoup, NavigableString, Tag
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter

from .literal import CLASE_SIN_MATEMATICA

__all__ = ["ensamblar"]

LOG = logging.getLogger(__name__)

PLANTILLAS = Path(__file__).with_name("plantillas")

# Celdas de parámetros de papermill: sólo en la versión de auditoría.
ETIQUETAS_PARAMETROS = frozenset({"parameters", "injected-parameters"})
# Etiqueta (clase celltag_...) del markdown que presenta una tabla apaisada: va con ella.
ETIQUETA_ANTES_DE_APAISADA = "antes-de-tabla-horizontal"

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

# Analizador de BeautifulSoup: el de la biblioteca estándar, el mismo con que nbconvert ya
# serializa el cuerpo (así analizarlo otra vez y escribirlo no cambia nada por sí solo).
_ANALIZADOR = "html.parser"
_TITULOS = ["h1", "h2", "h3", "h4", "h5", "h6"]
_ENTERO = re.compile(r"\d+")  # valor de colspan / rowspan
# Contenido de celda que se lee como número: 1.234,5 · -12 · 85,3 % · Bs 1.000 · — (sin dato).
_NUMERO = re.compile(
    r"^\s*(?:[-+−–]?\s*(?:Bs\.?\s*)?\d[\d.,\s\u00a0\u202f]*(?:%|‰)?|[—–-]|nan|NaN|N/A)\s*$"
)

# Ancho estimado de una tabla en el PDF (letra condensada de impresion.css), para elegir el
# tamaño de letra o, si ni así cabe, una página apaisada. Medidas en puntos tipográficos;
# LETRA_TABLA_PT y LETRA_TABLA_ANCHA_PT deben coincidir con impresion.css.
_ANCHO_CIFRA_EM = 0.58  # ancho medio de un carácter de DejaVu Sans Condensed, en em
_RELLENO_CELDA_PT = 7.3  # relleno horizontal (2 × 1,2 mm) y borde de cada celda
_TEXTO_MAX_CARACTERES = 16  # el texto largo se parte en varias líneas
_ANCHO_VERTICAL_PT = 510  # A4 vertical menos márgenes (180 mm)
LETRA_TABLA_PT = 8
LETRA_TABLA_ANCHA_PT = 6.5

ESTILO_PYGMENTS = "default"

_LOGGERS_RUIDOSOS = ("weasyprint", "weasyprint.progress", "fontTools")


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
    libros = [nbformat.read(str(c), as_version=4) for c in previos + cuadernos]
    imagenes = _Imagenes()
    for libro in libros:
        _preparar_salidas(libro, imagenes)
    ruta_base = str(cuadernos[0].resolve().parent)
    tiempos["lectura"] = time.perf_counter() - t0

    variantes: dict[str, tuple[str, list[dict]]] = {}
    for auditoria in (False, True):
        t = time.perf_counter()
        if auditoria:
            nb = _unir(libros, previos + cuadernos, auditoria=True, previos=len(previos))
        else:
            nb = _unir(libros[len(previos):], cuadernos, auditoria=False)
        variantes["auditoria" if auditoria else "lectores"] = _retocar_cuerpo(
            _exportar(nb, ruta_base, auditoria=auditoria), fuentes
        )
        tiempos["exportar-auditoria" if auditoria else "exportar-lectores"] = (
            time.perf_counter() - t
        )

    t = time.perf_counter()
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
    base_css = _leer_css("informe.css")
    cuerpo_l, indice_l, listas_l = variantes["lectores"]
    cuerpo_a, indice_a, listas_a = variantes["auditoria"]
    paginas = {
        "html": _pagina(
            "lectores", cuerpo_l, indice_l, [base_css, _css_resaltado()], datos, listas_l
        ),
        "auditoria": _pagina(
            "auditoria",
            cuerpo_a,
            indice_a,
            [base_css, _css_resaltado(), _leer_css("auditoria.css")],
            datos,
            listas_a,
        ),
        "impresion": _pagina(
            "impresion",
            cuerpo_l,
            indice_l,
            [base_css, _leer_css("impresion.css")],
            datos,
            listas_l,
        ),
    }
    salidas = {
        "html": carpeta / "informe.html",
        "auditoria": carpeta / "informe-auditoria.html",
        "pdf": carpeta / "informe.pdf",
    }
    for clave in ("html", "auditoria"):
        salidas[clave].write_text(imagenes.reponer(paginas[clave]), encoding="utf-8")
    tiempos["html"] = time.perf_counter() - t

    t = time.perf_counter()
    _escribir_pdf(imagenes.reponer(paginas["impresion"]), salidas["pdf"], carpeta)
    tiempos["pdf"] = time.perf_counter() - t

    LOG.info(
        "Informe ensamblado con %d cuadernos y %d gráficos en %.1f s (%s)",
        len(cuadernos),
        len(imagenes),
        time.perf_counter() - t0,
        ", ".join(f"{k} {v:.2f} s" for k, v in tiempos.items()),
    )
    return salidas


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


def _preparar_salidas(libro, imagenes: _Imagenes) -> None:
    """Una sola pasada por las salidas de un cuaderno, antes de exportar:

    - cambia el base64 de cada imagen por su ficha (``_Imagenes``; se repone al final);
    - marca las tablas HTML (``_marcar_tablas``) y, si una va en página apaisada, etiqueta la
      celda de markdown que la presenta para que su título no quede solo en la página anterior.
    """
    presentacion = None  # última celda de markdown sin salidas visibles después
    for celda in libro.cells:
        if celda.cell_type == "markdown":
            presentacion = celda
            continue
        if celda.cell_type != "code":
            continue
        apaisada = False
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
                data["text/html"], horizontal = _marcar_tablas(contenido)
                apaisada = apaisada or horizontal
        if apaisada and presentacion is not None:
            etiquetas = presentacion.setdefault("metadata", {}).setdefault("tags", [])
            etiquetas.append(ETIQUETA_ANTES_DE_APAISADA)
        if celda.get("outputs"):
            presentacion = None


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
        if tipo == "execute_result" and set(data) == {"text/plain"}:
            return not _REPR_GRAFICO.match(str(data["text/plain"]).strip())
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


def _exportar(nb, ruta_base: str, *, auditoria: bool) -> str:
    exportador = HTMLExporter(
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
    # <span class="mathjax_ignore"> con que helpers.literal rodea un texto con $ o \ (para
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
        caracteres, marcadas = _recorrer_tabla(tabla)
        cambios = cambios or marcadas
        if _ancho_pt(caracteres, LETRA_TABLA_PT) <= _ANCHO_VERTICAL_PT:
            continue
        cambios = True
        if _ancho_pt(caracteres, LETRA_TABLA_ANCHA_PT) <= _ANCHO_VERTICAL_PT:
            _agregar_clase(tabla, "ancha")
            continue
        apaisadas += 1
        _agregar_clase(tabla, "muy-ancha")
        tabla.wrap(sopa.new_tag("div", attrs={"class": "tabla-horizontal"}))

    if not cambios:
        return contenido, False
    return str(sopa), apaisadas > 0


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


def _recorrer_tabla(tabla: Tag) -> tuple[list[int], bool]:
    """Una pasada por las filas de ``tabla`` (no las de tablas anidadas): marca ``num`` en
    cada ``<td>`` cuyo texto es un número (con o sin marcas dentro: ``<b>``, ``<span>``...) y
    cuenta los caracteres que ocupa cada columna: la cifra más larga entera (no se parte), el
    texto hasta _TEXTO_MAX_CARACTERES o su palabra más larga, y de los encabezados (filas de
    ``<thead>``, que se parten en varias líneas) sólo la palabra más larga. Las celdas con
    colspan no cuentan; las de rowspan ocupan su columna en las filas de abajo. Una celda con
    una tabla dentro mide lo que suman las columnas de esa tabla (que se recorre a su vez).
    Devuelve los caracteres por columna y si marcó alguna celda."""
    con_anidadas = tabla.find("table") is not None
    filas = tabla.find_all("tr")
    if con_anidadas:
        filas = [f for f in filas if f.find_parent("table") is tabla]
    anchos: list[int] = []
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
                    caracteres, marcadas_dentro = _recorrer_tabla(anidada)
                    w = max(w, sum(caracteres))
                    marcadas = marcadas or marcadas_dentro
            else:
                texto = celda.get_text().strip()
                if _NUMERO.match(texto):
                    w = len(texto)
                    if celda.name == "td":
                        marcadas = _agregar_clase(celda, "num") or marcadas
                else:
                    w = max((len(p) for p in texto.split()), default=0)
                    if not encabezado:
                        w = max(w, min(len(texto), _TEXTO_MAX_CARACTERES))
            n = _entero(celda.get("colspan"))
            if n == 1:
                if col >= len(anchos):
                    anchos.extend([0] * (col + 1 - len(anchos)))
                anchos[col] = max(anchos[col], w)
            alto = _entero(celda.get("rowspan"))
            if alto > 1:
                for c in range(col, col + n):
                    bloqueadas[c] = max(bloqueadas.get(c, 0), alto - 1)
            col += n
    return anchos, marcadas


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
) -> str:
    listas = listas or {}
    return _ENTORNO.get_template("pagina.html.j2").render(
        variante=variante,
        cuerpo=Markup(cuerpo),
        indice=indice,
        cuadros=listas.get("cuadros", []),
        graficos=listas.get("graficos", []),
        estilos=[Markup(css) for css in estilos if css],
        **datos,
    )


@contextmanager
def _silenciar(nombres=_LOGGERS_RUIDOSOS, nivel=logging.ERROR):
    """Baja el volumen de WeasyPrint mientras dura: avisos de CSS que no soporta (propiedades
    pensadas para el navegador), de fuentes, de progreso y el DeprecationWarning de
    HarfBuzz-Subset al importarlo. Los errores sí pasan."""
    loggers = [logging.getLogger(n) for n in nombres]
    antes = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(nivel)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"weasyprint")
            warnings.filterwarnings("ignore", category=UserWarning, module=r"weasyprint")
            yield
    finally:
        for lg, nv in zip(loggers, antes, strict=True):
            lg.setLevel(nv)


@contextmanager
def _memoria_quieta():
    """Mientras WeasyPrint arma el PDF: antes, se recoge la basura con ciclos que dejan los
    árboles de BeautifulSoup (cada nodo apunta a su padre y a sus vecinos) y lo que sigue vivo
    se congela, para que las recolecciones que dispara WeasyPrint no lo recorran una y otra
    vez (≈ 0,5 s menos). Si otro ya congeló objetos, no se toca nada."""
    if gc.get_freeze_count():
        yield
        return
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _escribir_pdf(pagina: str, destino: Path, carpeta: Path) -> None:
    with _silenciar(), _memoria_quieta():
        # Importar dentro: WeasyPrint ya escribe en el registro al cargarse.
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        # Sin red: sólo data: (gráficos) y archivos locales.
        lector = URLFetcher(allowed_protocols=("data", "file"))
        HTML(string=pagina, base_url=str(carpeta.resolve()), url_fetcher=lector).write_pdf(
            str(destino), presentational_hints=True
        )
