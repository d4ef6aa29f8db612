"""Las fuentes del informe: las del proyecto, en ``comun/fuentes/``, y ninguna otra.

El PDF y los gráficos se componen con los archivos de esa carpeta (DejaVu Sans en sus
anchos normal y condensado, y DejaVu Sans Mono; licencia en ``LICENCIA-DejaVu.txt``), no con
lo que la máquina tenga instalado: así el documento que se firma tiene las mismas letras,
páginas y saltos en cualquier máquina. Tres cosas lo aseguran:

- ``usar_fuentes_propias`` pone en ``FONTCONFIG_FILE`` la configuración ``fonts.conf`` de la
  carpeta, que sólo conoce estas fuentes (WeasyPrint la lee al cargarse y en cada
  composición);
- ``usar_en_matplotlib`` hace que los gráficos usen estos archivos y no otra copia de la
  misma familia;
- ``ancho_em`` da las medidas de la fuente de verdad a las reglas de maquetación.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

CARPETA_FUENTES = Path(__file__).with_name("fuentes")
CONFIGURACION = CARPETA_FUENTES / "fonts.conf"

FAMILIA_TEXTO = "DejaVu Sans"
FAMILIA_CODIGO = "DejaVu Sans Mono"
# La letra de las tablas del PDF (``font-stretch: condensed`` en impresion.css).
ARCHIVO_TABLAS = CARPETA_FUENTES / "DejaVuSansCondensed.ttf"
_FAMILIAS = {FAMILIA_TEXTO, FAMILIA_CODIGO}


def archivos() -> list[Path]:
    """Los archivos de fuente del proyecto, ordenados por nombre."""
    return sorted(CARPETA_FUENTES.glob("*.ttf"))


def usar_fuentes_propias() -> None:
    """Hace que fontconfig (y con él WeasyPrint) vea sólo las fuentes del proyecto, en este
    proceso y en los que arranque. Se llama antes de importar WeasyPrint y de cada
    composición; lo que el usuario tenga en FONTCONFIG_FILE o en su configuración de
    fontconfig no cuenta para el informe."""
    os.environ["FONTCONFIG_FILE"] = str(CONFIGURACION)
    # FONTCONFIG_PATH sólo sirve para buscar archivos incluidos; el nuestro no incluye nada.
    os.environ.pop("FONTCONFIG_PATH", None)


def usar_en_matplotlib() -> None:
    """Los gráficos con los archivos del proyecto: se quitan del registro de matplotlib las
    otras copias de estas familias (la que trae matplotlib, la del sistema) y se agregan las
    propias. Una vez por proceso basta; las siguientes no hacen nada."""
    from matplotlib import font_manager

    gestor = font_manager.fontManager
    propias = [str(archivo) for archivo in archivos()]
    if {e.fname for e in gestor.ttflist if e.name in _FAMILIAS} == set(propias):
        return
    gestor.ttflist = [e for e in gestor.ttflist if e.name not in _FAMILIAS]
    for archivo in propias:
        gestor.addfont(archivo)  # addfont vacía la caché de findfont


@cache
def ancho_em(caracteres: str, archivo: Path = ARCHIVO_TABLAS) -> float:
    """El ancho medio de ``caracteres`` en la fuente ``archivo``, en em (fracción del
    tamaño de la letra), leído de sus métricas."""
    from fontTools.ttLib import TTFont

    with TTFont(archivo, lazy=True) as fuente:
        mapa = fuente.getBestCmap()
        anchos = fuente["hmtx"]
        unidades = fuente["head"].unitsPerEm
        total = sum(anchos[mapa[ord(c)]][0] for c in caracteres)
    return total / len(caracteres) / unidades
