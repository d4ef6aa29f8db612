"""La página HTML del informe, de las plantillas Jinja de ``salida/plantillas``.

Entran el cuerpo ya retocado, el índice, las listas de cuadros y de gráficos, las hojas de
estilo y los datos del informe (título, entidad, periodo, identificación, firmas, colofón).
``pagina`` devuelve la página entera (``pagina.html.j2``: portada, índice, listas, cuerpo,
firmas, colofón y estilos en línea) o una parte del PDF; ``cabeceras`` la de las hojas vacías
con la cabecera y el pie que se estampan sobre cada página del PDF. El texto de los datos se
escapa con el autoescape de Jinja; el cuerpo y los estilos entran tal cual (``Markup``).
"""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

PLANTILLAS = Path(__file__).parent.parent / "plantillas"
ESTILO_PYGMENTS = "default"

_ENTORNO = Environment(
    loader=FileSystemLoader(str(PLANTILLAS)),
    autoescape=select_autoescape(["html", "j2"]),
    keep_trailing_newline=True,
)


def leer_css(nombre: str) -> str:
    """Una hoja de estilo de ``salida/plantillas``."""
    return (PLANTILLAS / nombre).read_text(encoding="utf-8")


@functools.cache
def css_resaltado() -> str:
    """Colores de Pygments para el código (auditoría y bloques de código del markdown).
    No se usa el CSS del exportador porque depende de variables del tema de JupyterLab."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=ESTILO_PYGMENTS).get_style_defs(".highlight")


def pagina(
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
    """La página HTML entera, o una parte del PDF (``parte``: "portada", "cuerpo", "cierre"
    (las últimas secciones y las firmas) o "colofon"; ``paginas``: el número de página de
    cada entrada del índice y de las listas)."""
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


def cabeceras(estilos: list[str], apaisadas: list[bool], datos: dict) -> str:
    """Las hojas vacías, una por página del PDF (``apaisadas``: la orientación de cada una
    después de la primera), con sólo la cabecera (entidad y periodo) y el pie («Página N de
    M»), con los estilos del PDF y ``cabeceras.css``."""
    return _ENTORNO.get_template("cabeceras.html.j2").render(
        estilos=[Markup(css) for css in [*estilos, leer_css("cabeceras.css")]],
        apaisadas=apaisadas,
        entidad=datos["entidad"], periodo=datos["periodo"], pie=datos["pie"],
    )
