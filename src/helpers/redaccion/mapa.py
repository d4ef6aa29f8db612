"""El mapa de los departamentos de Bolivia: una cifra por departamento, como SVG en línea.

Entra una cifra (un porcentaje) por código ISO 3166-2:BO, o las cifras de cada departamento
de un corte (`calculo.departamentos`); sale el texto de un elemento `<svg>` que se pega tal
cual en una página o en el tablero, sin archivos aparte ni red:

- cada departamento es un `<path>` con `data-departamento` (el código), `data-valor` (la
  cifra redondeada a dos decimales, con punto; vacío sin cifra) y, si se colorea por el
  semáforo, `data-estado`; un `<title>` con su nombre y su cifra en formato boliviano (lo que
  se ve al pasar el puntero); y, con `enlaces`, dentro de un `<a>` a su página;
- el color: con `estados`, el del semáforo del informe (`paleta.COLOR_SEMAFORO`); si no, uno
  de cinco tramos de 20 puntos de un solo tono (`paleta.ESCALA_FISICO` o
  `ESCALA_FINANCIERO`), según la cifra impresa (redondeada a dos decimales); sin cifra, gris
  rayado y «sin datos»;
- sobre cada departamento, su nombre y su cifra escritos (con la figura del semáforo): el
  mapa se lee impreso en blanco y negro y sin distinguir colores; al costado, la leyenda.

Todo texto que llega de afuera (el indicador, el título, los enlaces) se escapa. La geometría
es `datos/departamentos-bo.json`, de Natural Earth (docs/mapa-de-departamentos.md dice de
dónde sale, su licencia y cómo se rehace).
"""
from __future__ import annotations

import html
import json
import math
import textwrap
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pandas as pd

from helpers.calculo.departamentos import cifras_por_departamento
from helpers.calculo.pasos import Calculo
from helpers.comun.numeros import formatear_porcentaje, redondear
from helpers.entrada.contrato import DEPARTAMENTOS
from helpers.redaccion.paleta import (
    COLOR_SEMAFORO,
    COLOR_SIN_DATOS,
    ESCALA_FINANCIERO,
    ESCALA_FISICO,
    SIMBOLO_SEMAFORO,
)

__all__ = ["INDICADORES", "TRAMOS", "geometria", "mapa_de_cifras", "mapa_del_corte",
           "svg_departamentos"]

GEOMETRIA = Path(__file__).with_name("datos") / "departamentos-bo.json"
# Dónde empieza cada tramo de la escala de colores (en %); el último no tiene techo.
TRAMOS = (0.0, 20.0, 40.0, 60.0, 80.0)
SIN_DATOS = "sin datos"
# Las cifras de `calculo.departamentos` que se pueden mapear: columna -> (cómo se dice, si es
# financiera).
INDICADORES: dict[str, tuple[str, bool]] = {
    "eficacia_acumulada": ("Eficacia acumulada", False),
    "eficacia_trimestre": ("Eficacia del trimestre", False),
    "avance_fisico_acumulado": ("Avance físico acumulado", False),
    "avance_fisico_trimestre": ("Avance físico del trimestre", False),
    "ejecucion_acumulada": ("Ejecución presupuestaria acumulada", True),
    "ejecucion_trimestre": ("Ejecución presupuestaria del trimestre", True),
}
_ESQUEMAS_PROHIBIDOS = ("javascript:", "vbscript:", "data:")
_ANCHO_LEYENDA = 190
_LETRAS_POR_LINEA = 24  # las del título de la leyenda que caben en su ancho


@cache
def geometria() -> dict:
    """La geometría de los nueve departamentos: `ancho` y `alto` del lienzo y, por código,
    `nombre`, `d` (el trazo SVG) y `etiqueta` (x, y del punto donde va su nombre)."""
    return json.loads(GEOMETRIA.read_text(encoding="utf-8"))


def _e(texto: object) -> str:
    return html.escape(str(texto), quote=True)


def _cifra(valor) -> float | None:
    """La cifra como número, o None si no hay (None, NaN, NA)."""
    if valor is None or valor is pd.NA:
        return None
    numero = float(valor)
    return None if math.isnan(numero) else numero


def _tramo(valor: float) -> int:
    """El tramo de la cifra impresa (redondeada a dos decimales)."""
    impreso = redondear(valor, 2)
    return max(i for i, desde in enumerate(TRAMOS) if impreso >= desde or i == 0)


def _rotulos_de_tramos() -> list[str]:
    enteros = [f"{desde:.0f} %" for desde in TRAMOS]
    return ([f"menos de {enteros[1]}"]
            + [f"{a} a menos de {b}" for a, b in zip(enteros[1:-1], enteros[2:])]
            + [f"{enteros[-1]} o más"])


def _enlace_seguro(destino: str) -> str:
    limpio = "".join(c for c in str(destino) if c.isprintable() and not c.isspace()).casefold()
    if limpio.startswith(_ESQUEMAS_PROHIBIDOS):
        raise ValueError(f"el enlace '{destino}' no se admite en el mapa: debe llevar a una "
                         "página (una ruta o una dirección http o https)")
    return _e(destino)


def _revisar_codigos(*mapas: Mapping[str, object] | None) -> None:
    for mapa in mapas:
        for codigo in mapa or {}:
            if codigo not in DEPARTAMENTOS:
                raise ValueError(f"'{codigo}' no es el código ISO 3166-2:BO de un departamento "
                                 f"({', '.join(DEPARTAMENTOS)})")


def svg_departamentos(
    valores: Mapping[str, float | None],
    *,
    indicador: str,
    enlaces: Mapping[str, str] | None = None,
    estados: Mapping[str, str | None] | None = None,
    financiero: bool = False,
    titulo: str | None = None,
    id_mapa: str = "mapa-departamentos",
) -> str:
    """El mapa como texto `<svg>...</svg>`.

    `valores`: código ISO 3166-2:BO -> la cifra en % (None o NaN, o un departamento que no
    está: «sin datos»). `indicador`: qué es la cifra («Eficacia acumulada»), en cada título
    y en la leyenda. `enlaces`: código -> a dónde lleva un clic en el departamento.
    `estados`: código -> estado del semáforo («verde», «amarillo», «rojo»); con ellos el mapa
    se colorea por el semáforo en vez de por tramos. `financiero`: la escala violeta de la
    ejecución en vez de la azul del avance físico. `titulo`: el título accesible del mapa
    (por omisión, «<indicador> por departamento»). `id_mapa`: el prefijo de los id del SVG,
    distinto para cada mapa de una misma página.
    """
    _revisar_codigos(valores, enlaces, estados)
    geo = geometria()
    escala = ESCALA_FINANCIERO if financiero else ESCALA_FISICO
    titulo = titulo or f"{indicador} por departamento"
    pid = _e(id_mapa)
    rayado = f"{pid}-sin-datos"
    formas, rotulos, resumen = [], [], []
    for codigo, depto in geo["departamentos"].items():
        valor = _cifra(valores.get(codigo))
        estado = (estados or {}).get(codigo)
        relleno, texto_valor = _relleno_y_texto(valor, estado, estados is not None, escala,
                                                f"url(#{rayado})")
        nombre = depto["nombre"]
        resumen.append(f"{nombre}: {texto_valor}")
        atributos = (f'data-departamento="{_e(codigo)}" '
                     f'data-valor="{"" if valor is None else f"{redondear(valor, 2):.2f}"}"'
                     + (f' data-estado="{_e(estado)}"' if estados is not None and estado else ""))
        forma = (f'<path class="departamento" {atributos} d="{depto["d"]}" fill="{relleno}" '
                 f'stroke="#ffffff" stroke-width="1.2" stroke-linejoin="round">'
                 f"<title>{_e(nombre)} — {_e(indicador)}: {_e(texto_valor)}</title></path>")
        if enlaces and enlaces.get(codigo):
            forma = f'<a href="{_enlace_seguro(enlaces[codigo])}">{forma}</a>'
        formas.append(forma)
        x, y = depto["etiqueta"]
        rotulos.append(
            f'<text x="{x}" y="{y - 4:.1f}" font-size="11">{_e(nombre)}</text>'
            f'<text x="{x}" y="{y + 10:.1f}" font-size="12" font-weight="bold">'
            f"{_e(texto_valor)}</text>")
    ancho, alto = geo["ancho"], geo["alto"]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mapa-departamentos" id="{pid}" '
        f'viewBox="0 0 {ancho + _ANCHO_LEYENDA} {alto}" role="img" '
        f'aria-labelledby="{pid}-titulo {pid}-descripcion" '
        f'font-family="sans-serif">'
        f'<title id="{pid}-titulo">{_e(titulo)}</title>'
        f'<desc id="{pid}-descripcion">{_e("; ".join(resumen))}.</desc>'
        f"<defs>{_rayado(rayado)}</defs>"
        f'<g class="departamentos">{"".join(formas)}</g>'
        f'<g class="rotulos" text-anchor="middle" pointer-events="none" fill="#000000" '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round">'
        f'{"".join(rotulos)}</g>'
        f"{_leyenda(indicador, escala, estados is not None, rayado, ancho + 10)}"
        "</svg>"
    )


def _relleno_y_texto(valor: float | None, estado: str | None, por_semaforo: bool,
                     escala: tuple[str, ...], sin_datos: str) -> tuple[str, str]:
    """El color de un departamento y su cifra como se escribe: «sin datos» sin cifra; con el
    semáforo, su color y su figura (sin estado, gris); si no, el color de su tramo."""
    if valor is None:
        return sin_datos, SIN_DATOS
    if por_semaforo:
        figura = f"{SIMBOLO_SEMAFORO[estado]} " if estado in SIMBOLO_SEMAFORO else ""
        return COLOR_SEMAFORO.get(estado, sin_datos), figura + formatear_porcentaje(valor)
    return escala[_tramo(valor)], formatear_porcentaje(valor)


def _rayado(id_patron: str) -> str:
    return (f'<pattern id="{id_patron}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{COLOR_SIN_DATOS}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#9e9e9e" stroke-width="2"/></pattern>')


def _leyenda(indicador: str, escala: tuple[str, ...], por_semaforo: bool, rayado: str,
             x: float) -> str:
    if por_semaforo:
        filas = [(COLOR_SEMAFORO[e], f"{SIMBOLO_SEMAFORO[e]} {e}") for e in COLOR_SEMAFORO]
    else:
        filas = list(zip(reversed(escala), reversed(_rotulos_de_tramos())))
    filas.append((f"url(#{rayado})", SIN_DATOS))
    lineas = textwrap.wrap(indicador, _LETRAS_POR_LINEA) or [""]
    partes = [f'<text x="{x}" y="{24 + 15 * i}" font-size="12" font-weight="bold">{_e(linea)}'
              "</text>" for i, linea in enumerate(lineas)]
    for i, (color, rotulo) in enumerate(filas):
        y = 23 + 15 * len(lineas) + 22 * i
        partes.append(f'<rect x="{x}" y="{y}" width="18" height="14" fill="{color}" '
                      f'stroke="#757575" stroke-width="0.5"/>'
                      f'<text x="{x + 24}" y="{y + 11}" font-size="11">{_e(rotulo)}</text>')
    return f'<g class="leyenda">{"".join(partes)}</g>'


def mapa_del_corte(calc: Calculo, indicador: str = "eficacia_acumulada", **opciones
                   ) -> str | None:
    """El mapa de una cifra de `INDICADORES` en el corte de `calc`, con las cifras de
    `calculo.departamentos.cifras_por_departamento` (ver `mapa_de_cifras`)."""
    return mapa_de_cifras(cifras_por_departamento(calc), indicador, **opciones)


def mapa_de_cifras(cifras: pd.DataFrame | None, indicador: str = "eficacia_acumulada", *,
                   enlaces: Mapping[str, str] | None = None, por_semaforo: bool = False,
                   id_mapa: str = "mapa-departamentos") -> str | None:
    """El mapa de una cifra de `INDICADORES` de `cifras`, la tabla por departamento
    (`calculo.departamentos.cifras_por_departamento`, la tabla «departamento» del informe);
    None si no hay tabla o no tiene filas (ningún área ni unidad tiene departamento: no hay
    mapa).
    `por_semaforo`: colorea la ejecución acumulada por su semáforo (el de los cuadros del
    informe) en vez de por tramos."""
    if indicador not in INDICADORES:
        raise ValueError(f"'{indicador}' no es una cifra del mapa: {', '.join(INDICADORES)}")
    if por_semaforo and indicador != "ejecucion_acumulada":
        raise ValueError("el semáforo es el de la ejecución acumulada: por_semaforo sólo con "
                         "indicador='ejecucion_acumulada'")
    if cifras is None or cifras.empty:
        return None
    rotulo, financiero = INDICADORES[indicador]
    por_codigo = cifras.set_index("departamento")
    estados = (por_codigo["semaforo"].where(por_codigo["semaforo"].notna(), None).to_dict()
               if por_semaforo else None)
    return svg_departamentos(por_codigo[indicador].to_dict(), indicador=rotulo,
                             enlaces=enlaces, estados=estados, financiero=financiero,
                             id_mapa=id_mapa)
