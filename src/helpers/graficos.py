"""Los gráficos del informe: una paleta, ejes de porcentaje desde 0 y un solo eje por panel.

Cada función recibe una tabla de `helpers.tablas.calcular_tablas` y devuelve una
`matplotlib.figure.Figure` de unas 7 pulgadas de ancho (el ancho útil de una página A4),
con 110 ppp al guardarla. No muestra nada: el cuaderno la presenta al devolverla como
último valor de la celda, o la guarda con `fig.savefig(ruta)`.

Reglas que cumplen todos los gráficos (reports.md):

- una sola paleta, definida aquí: los colores del semáforo (verde, amarillo, rojo) y los
  de la calificación significan lo mismo en todos los gráficos; el avance físico y la
  eficacia siempre van en `COLOR_FISICO`, la ejecución financiera en `COLOR_FINANCIERO`;
- los ejes de porcentaje empiezan en 0 (más abajo sólo si hay valores negativos, p. ej.
  un devengado revertido, que se muestran, no se recortan);
- nunca dos ejes con escalas distintas en un mismo panel;
- números en formato boliviano (`83,60 %`, `1.234,56`), montos grandes en millones de Bs;
- etiquetas con códigos (no con nombres largos) y sin azar: el mismo dato da la misma
  imagen.

Las figuras se crean con pyplot (para que el cuaderno las muestre con el backend inline)
y se cierran en pyplot al terminar: así no se acumulan ni se muestran dos veces, y siguen
sirviendo para mostrarlas o guardarlas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import paleta
from .numeros import formatear_numero, formatear_porcentaje

__all__ = [
    "ANCHO",
    "COLORES_CALIFICACION",
    "COLORES_SEMAFORO",
    "COLOR_FINANCIERO",
    "COLOR_FISICO",
    "COLOR_SIN_VALOR",
    "DPI",
    "MESES_CORTOS",
    "avance_unidades",
    "devengado_mensual",
    "dispersion_semaforo",
    "ejecucion_mensual",
    "ejecucion_semaforo",
    "estilo",
    "exterior_por_tipo",
    "fisico_financiero",
    "tendencia",
]

# ---------------------------------------------------------------------------------------
# Paleta y estilo (definidos una sola vez)
# ---------------------------------------------------------------------------------------

ANCHO = 7.0  # pulgadas: el ancho útil de una página A4
DPI = 110

# Los colores vienen de `helpers.paleta` (la misma paleta que colorea las tablas).
COLOR_FISICO = paleta.COLOR_FISICO  # avance físico y eficacia, en todos los gráficos
COLOR_FINANCIERO = paleta.COLOR_FINANCIERO  # ejecución financiera y devengado
COLOR_PUNTO = "#333333"  # unidades individuales, puntos de dispersión
COLOR_REFERENCIA = "#555555"  # líneas de referencia (100 %, 0)
COLOR_SIN_VALOR = "#b8b8b8"  # sin valor en el periodo ("—")

COLORES_SEMAFORO: dict[str, str] = dict(paleta.COLOR_SEMAFORO)  # verde, amarillo, rojo
# Verdes para lo bueno, amarillo para lo intermedio, naranja y rojos para lo rezagado.
COLORES_CALIFICACION: dict[str, str] = dict(paleta.COLOR_CALIFICACION)

MESES_CORTOS = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")

TOTAL = "TOTAL"

_TAM_TEXTO = 8
_TAM_ETIQUETA = 6.5

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": _TAM_TEXTO,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.labelsize": _TAM_TEXTO,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "figure.titlesize": 10,
    "figure.titleweight": "bold",
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.facecolor": "white",
    "axes.unicode_minus": False,  # "-12,5" con guion simple, como en las tablas
}


def _rc_tema() -> dict:
    return {**sns.axes_style("whitegrid"), **_RC}


def estilo() -> None:
    """Fija el estilo del proyecto para el cuaderno: tema "whitegrid" de seaborn, fuente
    DejaVu Sans, letra pequeña y 110 ppp. Las funciones de este módulo aplican el mismo
    estilo a sus figuras aunque no se llame."""
    sns.set_theme(style="whitegrid", font="DejaVu Sans", rc=_RC)


@contextmanager
def _tema():
    with matplotlib.rc_context(_rc_tema()):
        yield


def _figura(alto: float, filas: int = 1, columnas: int = 1, **kw) -> tuple[Figure, np.ndarray]:
    fig, ejes = plt.subplots(
        filas, columnas, figsize=(ANCHO, alto), dpi=DPI, layout="constrained", squeeze=False, **kw
    )
    return fig, ejes


def _terminar(fig: Figure) -> Figure:
    """Quita la figura del registro de pyplot (sin tocar las demás) y la devuelve."""
    plt.close(fig)
    return fig


# ---------------------------------------------------------------------------------------
# Formato de números
# ---------------------------------------------------------------------------------------


def _es_numero(v) -> bool:
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and not pd.isna(v)


def _pct_tick(v, _pos=None) -> str:
    decimales = 0 if abs(v - round(v)) < 1e-9 else (1 if abs(v * 10 - round(v * 10)) < 1e-6 else 2)
    return formatear_porcentaje(v, decimales)


FORMATO_PORCENTAJE = FuncFormatter(_pct_tick)


def _escala_montos(valores: Iterable[float]) -> tuple[float, str, str]:
    """(divisor, sufijo de etiqueta, título del eje) según el tamaño de los montos."""
    v = np.asarray([x for x in valores if _es_numero(x)], dtype=float)
    grande = v.size and np.nanmax(np.abs(v)) >= 1_000_000
    if grande:
        return 1_000_000.0, " M Bs", "Millones de Bs"
    return 1.0, " Bs", "Bs"


def _formato_monto_eje(divisor: float) -> FuncFormatter:
    def f(v, _pos=None):
        x = v / divisor
        decimales = 0 if abs(x - round(x)) < 1e-9 else (1 if divisor > 1 else 0)
        return formatear_numero(x, decimales)

    return FuncFormatter(f)


def _eje_porcentaje(
    ax,
    valores,
    eje: str = "y",
    minimo_superior: float = 0.0,
    holgura: float = 0.14,
    linea_cero: bool = True,
) -> None:
    """Eje de porcentaje desde 0 (o desde el mínimo si hay negativos), formato boliviano."""
    v = np.asarray([x for x in valores if _es_numero(x)], dtype=float)
    maximo = float(v.max()) if v.size else 0.0
    minimo = float(v.min()) if v.size else 0.0
    superior = max(maximo * (1 + holgura), minimo_superior)
    if superior <= 0:
        superior = 10.0
    inferior = 0.0 if minimo >= 0 else minimo - (superior - minimo) * 0.08
    eje_obj = ax.yaxis if eje == "y" else ax.xaxis
    (ax.set_ylim if eje == "y" else ax.set_xlim)(inferior, superior)
    eje_obj.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    eje_obj.set_major_formatter(FORMATO_PORCENTAJE)
    if minimo < 0 and linea_cero:
        (ax.axhline if eje == "y" else ax.axvline)(0, color=COLOR_REFERENCIA, lw=0.8)


def _etiquetas_barras(
    ax, barras: BarContainer, valores, formato, girar: bool = False, tam: float = _TAM_ETIQUETA
) -> None:
    textos = [formato(v) if _es_numero(v) else "—" for v in valores]
    ax.bar_label(
        barras,
        labels=textos,
        padding=2,
        fontsize=tam,
        rotation=90 if girar else 0,
        color="#222222",
        bbox=_FONDO_ROTULO,
    )


# Fondo blanco bajo los rótulos: una línea de referencia no los tacha.
_FONDO_ROTULO = {
    "boxstyle": "square,pad=0.1",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.8,
}


def _ticks_hasta(ax, tope: float, eje: str = "x") -> None:
    """Quita las marcas de porcentaje por encima de `tope` (el eje se alarga para los
    rótulos, pero una marca de 120 % en un avance con tope de 100 % confunde)."""
    eje_obj = ax.xaxis if eje == "x" else ax.yaxis
    marcas = [t for t in eje_obj.get_majorticklocs() if t <= tope + 1e-9]
    eje_obj.set_major_locator(matplotlib.ticker.FixedLocator(marcas))


def _filas_de_arriba_abajo(ax, posiciones) -> None:
    """Eje de categorías horizontal: la primera fila arriba y sin márgenes de sobra."""
    pos = np.asarray(posiciones, dtype=float)
    if pos.size:
        ax.set_ylim(pos.max() + 0.6, pos.min() - 0.6)
    else:
        ax.invert_yaxis()


def _valores(serie: pd.Series) -> np.ndarray:
    return pd.to_numeric(serie, errors="coerce").to_numpy(dtype=float)


def _alto_barras(n: int, por_fila: float = 0.26, base: float = 1.3, minimo: float = 2.4) -> float:
    return max(minimo, base + por_fila * n)


# ---------------------------------------------------------------------------------------
# Columnas por periodo
# ---------------------------------------------------------------------------------------

PERIODOS = ("trimestre", "acumulado")
_TEXTO_PERIODO = {"trimestre": "del trimestre", "acumulado": "acumulada"}


def _col(indicador: str, periodo: str) -> str:
    """Nombre de columna de un indicador en un periodo (avance_fisico_acumulado,
    eficacia_acumulada, ejecucion_trimestre, calificacion_acumulada, ...)."""
    if periodo not in PERIODOS:
        raise ValueError(f"periodo debe ser 'trimestre' o 'acumulado', no {periodo!r}")
    if periodo == "trimestre":
        return f"{indicador}_trimestre"
    femenino = indicador in ("eficacia", "ejecucion", "eficiencia", "brecha", "calificacion")
    return f"{indicador}_{'acumulada' if femenino else 'acumulado'}"


_NOMBRE_FISICO = {"eficacia": "Eficacia", "avance": "Avance físico"}


def _col_fisico(fisico: str, periodo: str) -> str:
    if fisico == "eficacia":
        return _col("eficacia", periodo)
    if fisico == "avance":
        return _col("avance_fisico", periodo)
    raise ValueError(f"fisico debe ser 'eficacia' o 'avance', no {fisico!r}")


def _separar_agregados(tabla: pd.DataFrame, etiqueta_col: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(filas propias, filas de subtotal/total). Son agregados la fila TOTAL y, en la tabla
    por área, las filas de servicio."""
    es_total = tabla[etiqueta_col].astype(str).eq(TOTAL)
    if "nivel" in tabla.columns:
        es_total |= tabla["nivel"].isin(["servicio", "entidad"])
    return tabla[~es_total], tabla[es_total]


# ---------------------------------------------------------------------------------------
# 1. Físico y financiero por ACP / área / unidad
# ---------------------------------------------------------------------------------------


def fisico_financiero(
    tabla: pd.DataFrame,
    etiqueta_col: str,
    titulo: str | None = None,
    periodo: str = "acumulado",
    fisico: str = "eficacia",
    incluir_total: bool = True,
    ordenar: bool = False,
) -> Figure:
    """Barras agrupadas: eficacia (o avance físico) junto a la ejecución financiera.

    - `tabla`: `acp`, `area` o `unidad`; `etiqueta_col`: la columna de códigos que rotula
      las barras (`codigo_acp`, `area`, `codigo_unidad`).
    - `periodo`: 'acumulado' o 'trimestre'; `fisico`: 'eficacia' (comparable con la
      ejecución: ambas son parte del año) o 'avance'.
    - `incluir_total`: muestra al final, separados, los subtotales por servicio y el TOTAL.
    - `ordenar`: ordena las filas por el indicador físico, de mayor a menor.
    Con más de 12 filas las barras van en horizontal (una fila por código).
    """
    col_f = _col_fisico(fisico, periodo)
    col_e = _col("ejecucion", periodo)
    propias, agregadas = _separar_agregados(tabla, etiqueta_col)
    if ordenar:
        propias = propias.sort_values(col_f, ascending=False, kind="stable", na_position="last")
    filas = pd.concat([propias, agregadas]) if incluir_total else propias
    etiquetas = filas[etiqueta_col].astype(str).tolist()
    n = len(etiquetas)
    v_f, v_e = _valores(filas[col_f]), _valores(filas[col_e])
    nombre_f = f"{_NOMBRE_FISICO[fisico]} {_TEXTO_PERIODO[periodo]}"
    nombre_e = f"Ejecución financiera {_TEXTO_PERIODO[periodo]}"
    if titulo is None:
        titulo = f"{_NOMBRE_FISICO[fisico]} y ejecución financiera ({_TEXTO_PERIODO[periodo]})"
    horizontal = n > 12
    # un hueco antes de los agregados
    pos = np.arange(n, dtype=float)
    if incluir_total and len(agregadas) and len(propias):
        pos[len(propias) :] += 0.6
    ancho = 0.4
    todos = np.concatenate([v_f, v_e])
    with _tema():
        if horizontal:
            fig, ejes = _figura(_alto_barras(n, por_fila=0.32))
            ax = ejes[0, 0]
            b_f = ax.barh(
                pos - ancho / 2,
                np.nan_to_num(v_f),
                height=ancho,
                color=COLOR_FISICO,
                label=nombre_f,
            )
            b_e = ax.barh(
                pos + ancho / 2,
                np.nan_to_num(v_e),
                height=ancho,
                color=COLOR_FINANCIERO,
                label=nombre_e,
            )
            ax.set_yticks(pos, etiquetas)
            _filas_de_arriba_abajo(ax, pos)
            _eje_porcentaje(ax, todos, eje="x", holgura=0.22)
            ax.set_xlabel("Porcentaje")
            ax.grid(axis="y", visible=False)
            _etiquetas_barras(ax, b_f, v_f, formatear_porcentaje)
            _etiquetas_barras(ax, b_e, v_e, formatear_porcentaje)
            if incluir_total and len(agregadas) and len(propias):
                ax.axhline(len(propias) - 0.2, color=COLOR_REFERENCIA, lw=0.6, ls=":")
        else:
            fig, ejes = _figura(3.4)
            ax = ejes[0, 0]
            girar = n > 5
            b_f = ax.bar(
                pos - ancho / 2, np.nan_to_num(v_f), width=ancho, color=COLOR_FISICO, label=nombre_f
            )
            b_e = ax.bar(
                pos + ancho / 2,
                np.nan_to_num(v_e),
                width=ancho,
                color=COLOR_FINANCIERO,
                label=nombre_e,
            )
            ax.set_xticks(
                pos,
                etiquetas,
                rotation=30 if max(map(len, etiquetas), default=0) > 6 else 0,
                ha="right" if max(map(len, etiquetas), default=0) > 6 else "center",
            )
            _eje_porcentaje(ax, todos, eje="y", holgura=0.30 if girar else 0.15)
            ax.set_ylabel("Porcentaje")
            ax.grid(axis="x", visible=False)
            _etiquetas_barras(ax, b_f, v_f, formatear_porcentaje, girar=girar)
            _etiquetas_barras(ax, b_e, v_e, formatear_porcentaje, girar=girar)
            if incluir_total and len(agregadas) and len(propias):
                ax.axvline(len(propias) - 0.2, color=COLOR_REFERENCIA, lw=0.6, ls=":")
        ax.set_title(titulo)
        fig.legend(
            handles=[b_f, b_e],
            labels=[nombre_f, nombre_e],
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 2. Ejecución financiera coloreada por semáforo
# ---------------------------------------------------------------------------------------


def _umbral(umbrales: Mapping, trimestre: int) -> tuple[float, float]:
    par = (
        umbrales.get(trimestre, umbrales.get(str(trimestre)))
        if hasattr(umbrales, "get")
        else umbrales[trimestre]
    )
    if par is None:
        raise KeyError(f"sin umbrales del semáforo para el trimestre {trimestre}")
    verde, amarillo = (float(x) for x in par)
    return verde, amarillo


def _leyenda_semaforo(verde: float, amarillo: float) -> list[Patch]:
    v, a = _pct_tick(verde), _pct_tick(amarillo)
    return [
        Patch(color=COLORES_SEMAFORO["verde"], label=f"Verde: {v} o más"),
        Patch(color=COLORES_SEMAFORO["amarillo"], label=f"Amarillo: de {a} a menos de {v}"),
        Patch(color=COLORES_SEMAFORO["rojo"], label=f"Rojo: menos de {a}"),
    ]


def _etiquetas_categoria(tabla: pd.DataFrame) -> list[str]:
    """Rótulo de una línea presupuestaria: la categoría, y la fuente o la unidad si la
    categoría se repite."""
    cat = tabla["categoria_programatica"].astype(str)
    repetida = cat.duplicated(keep=False)
    rotulos = []
    for c, rep, (_, fila) in zip(cat, repetida, tabla.iterrows()):
        extra = ""
        if rep:
            partes = [str(fila.get(k, "")).strip() for k in ("codigo_unidad", "fuente")]
            extra = " · ".join(p for p in partes if p)
        rotulos.append(f"{c} ({extra})" if extra else c)
    return rotulos


def ejecucion_semaforo(
    tabla: pd.DataFrame,
    etiqueta_col: str,
    trimestre: int,
    umbrales: Mapping,
    titulo: str | None = None,
    incluir_total: bool = True,
) -> Figure:
    """Barras horizontales de la ejecución financiera acumulada, cada una del color de su
    semáforo, con los umbrales del trimestre como líneas verticales.

    Sirve para `categoria` (`etiqueta_col='categoria_programatica'`; una categoría que se
    repite se rotula con su unidad y fuente), `acp`, `area` y `unidad`.
    """
    verde, amarillo = _umbral(umbrales, trimestre)
    propias, agregadas = _separar_agregados(tabla, etiqueta_col)
    filas = pd.concat([propias, agregadas]) if incluir_total else propias
    if etiqueta_col == "categoria_programatica":
        etiquetas = _etiquetas_categoria(filas)
    else:
        etiquetas = filas[etiqueta_col].astype(str).tolist()
    valores = _valores(filas["ejecucion_acumulada"])
    semaforos = filas["semaforo"].tolist() if "semaforo" in filas.columns else [None] * len(filas)
    colores = [
        COLORES_SEMAFORO.get(s, COLOR_SIN_VALOR) if isinstance(s, str) else COLOR_SIN_VALOR
        for s in semaforos
    ]
    n = len(etiquetas)
    pos = np.arange(n, dtype=float)
    if incluir_total and len(agregadas) and len(propias):
        pos[len(propias) :] += 0.6
    with _tema():
        fig, ejes = _figura(_alto_barras(n, por_fila=0.24, minimo=2.6))
        ax = ejes[0, 0]
        barras = ax.barh(pos, np.nan_to_num(valores), height=0.65, color=colores)
        ax.set_yticks(pos, etiquetas)
        _filas_de_arriba_abajo(ax, pos)
        _eje_porcentaje(ax, list(valores) + [verde], eje="x", holgura=0.18)
        for umbral, nombre in ((verde, "verde"), (amarillo, "amarillo")):
            ax.axvline(umbral, color=COLORES_SEMAFORO[nombre], lw=1.2, ls="--")
        _etiquetas_barras(ax, barras, valores, formatear_porcentaje)
        if incluir_total and len(agregadas) and len(propias):
            ax.axhline(len(propias) - 0.2, color=COLOR_REFERENCIA, lw=0.6, ls=":")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"Ejecución financiera acumulada al T{trimestre}")
        ax.set_title(titulo or f"Ejecución financiera acumulada y semáforo (T{trimestre})")
        fig.legend(
            handles=_leyenda_semaforo(verde, amarillo),
            loc="outside lower center",
            ncol=3,
            frameon=False,
        )
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 3. Avance físico de las unidades de un área
# ---------------------------------------------------------------------------------------


def _color_calificacion(c) -> str:
    return COLORES_CALIFICACION.get(c, COLOR_SIN_VALOR) if isinstance(c, str) else COLOR_SIN_VALOR


def _leyenda_calificacion(presentes: Iterable) -> list[Patch]:
    presentes = {p for p in presentes if isinstance(p, str)}
    parches = [
        Patch(color=color, label=nombre)
        for nombre, color in COLORES_CALIFICACION.items()
        if nombre in presentes
    ]
    parches += [
        Patch(color=COLOR_SIN_VALOR, label=nombre)
        for nombre in sorted(presentes)
        if nombre not in COLORES_CALIFICACION
    ]
    return parches


def avance_unidades(
    unidad: pd.DataFrame,
    area: str,
    periodo: str = "trimestre",
    titulo: str | None = None,
    max_filas: int = 40,
) -> Figure:
    """Barras horizontales del avance físico de las unidades de un área, de mayor a menor,
    cada una del color de su calificación, con una línea de referencia en 100 %.
    Las unidades sin nada programado en el periodo aparecen al final, en gris, con "—".
    Con más de `max_filas` unidades (p. ej. las 85 del servicio exterior) la lista sigue
    en paneles contiguos, para que quepa en una página."""
    col_a = _col("avance_fisico", periodo)
    col_c = _col("calificacion", periodo)
    filas = unidad[unidad["area"].astype(str) == str(area)]
    if filas.empty:
        raise ValueError(f"el área {area!r} no tiene unidades en la tabla")
    filas = filas.sort_values(
        [col_a, "codigo_unidad"], ascending=[False, True], kind="stable", na_position="last"
    )
    valores = _valores(filas[col_a])
    calificaciones = filas[col_c].tolist()
    etiquetas = filas["codigo_unidad"].astype(str).tolist()
    n = len(filas)
    paneles = max(1, math.ceil(n / max_filas))
    por_panel = math.ceil(n / paneles)
    with _tema():
        fig, ejes = _figura(
            _alto_barras(por_panel, por_fila=0.22, minimo=2.2), 1, paneles, sharex=True
        )
        for p in range(paneles):
            ax = ejes[0, p]
            trozo = slice(p * por_panel, min(n, (p + 1) * por_panel))
            v = valores[trozo]
            pos = np.arange(len(v))
            barras = ax.barh(
                pos,
                np.nan_to_num(v),
                height=0.7,
                color=[_color_calificacion(c) for c in calificaciones[trozo]],
            )
            ax.set_yticks(pos, etiquetas[trozo])
            _filas_de_arriba_abajo(ax, np.arange(por_panel))
            _etiquetas_barras(ax, barras, v, formatear_porcentaje)
            ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=1)
            ax.grid(axis="y", visible=False)
        _eje_porcentaje(
            ejes[0, 0],
            valores,
            eje="x",
            minimo_superior=118.0 if paneles == 1 else 128.0,
            holgura=0.18,
        )
        _ticks_hasta(ejes[0, 0], max(100.0, np.nanmax(valores, initial=0.0)))
        nombre_x = f"Avance físico {_TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}"
        if paneles == 1:
            ejes[0, 0].set_xlabel(nombre_x)
            ejes[0, 0].set_title(titulo or f"Avance físico por unidad organizacional: {area}")
        else:
            ejes[0, paneles // 2].set_xlabel(nombre_x)
            ejes[0, 0].xaxis.set_major_locator(matplotlib.ticker.FixedLocator([0, 50, 100]))
            fig.suptitle(titulo or f"Avance físico por unidad organizacional: {area}")
        leyenda = _leyenda_calificacion(calificaciones)
        if any(not _es_numero(v) for v in valores):
            leyenda.append(Patch(color=COLOR_SIN_VALOR, label="Sin programación (—)"))
        if leyenda:
            if paneles == 1:
                ejes[0, -1].legend(
                    handles=leyenda,
                    title="Calificación",
                    loc="upper left",
                    bbox_to_anchor=(1.01, 1.0),
                    frameon=False,
                )
            else:
                fig.legend(
                    handles=leyenda,
                    title="Calificación",
                    loc="outside lower center",
                    ncol=len(leyenda),
                    frameon=False,
                )
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 4. Servicio exterior por tipo de representación
# ---------------------------------------------------------------------------------------


def _desplazamientos(n: int, ancho: float = 0.5) -> np.ndarray:
    """Posiciones verticales fijas (sin azar) para n puntos dentro de una banda."""
    if n <= 1:
        return np.zeros(n)
    return np.linspace(-ancho / 2, ancho / 2, n)


def exterior_por_tipo(
    unidad: pd.DataFrame,
    periodo: str = "trimestre",
    servicio: str = "Exterior",
    titulo: str | None = None,
) -> Figure:
    """Servicio exterior agrupado por tipo (Embajada, Consulado, ...): una barra con el
    promedio simple del avance físico de las unidades de cada tipo (rotulada con el
    promedio y el número de unidades) y un punto por unidad."""
    col_a = _col("avance_fisico", periodo)
    filas = unidad[unidad["servicio"].astype(str) == servicio].copy()
    if filas.empty:
        raise ValueError(f"no hay unidades del servicio {servicio!r}")
    filas["tipo"] = filas["tipo"].fillna("").astype(str).str.strip().replace("", "Sin tipo")
    filas["_v"] = _valores(filas[col_a])
    resumen = (
        filas.groupby("tipo", sort=False)["_v"]
        .agg(promedio="mean", unidades="count", total="size")
        .sort_values(["promedio"], ascending=False, kind="stable", na_position="last")
    )
    tipos = resumen.index.tolist()
    n = len(tipos)
    with _tema():
        fig, ejes = _figura(max(2.4, 1.3 + 0.55 * n))
        ax = ejes[0, 0]
        ax.barh(
            np.arange(n),
            np.nan_to_num(resumen["promedio"].to_numpy()),
            height=0.7,
            color=COLOR_FISICO,
            alpha=0.35,
            label="Promedio del tipo",
        )
        for i, tipo in enumerate(tipos):
            v = (
                filas.loc[filas["tipo"] == tipo, "_v"]
                .dropna()
                .sort_values(kind="stable")
                .to_numpy()
            )
            ax.scatter(
                v,
                i + _desplazamientos(len(v), 0.46),
                s=14,
                color=COLOR_PUNTO,
                zorder=3,
                label="Unidad" if i == 0 else None,
                linewidths=0,
            )
        ax.set_yticks(np.arange(n), tipos)
        _filas_de_arriba_abajo(ax, np.arange(n))
        maximo = max(100.0, float(np.nanmax(filas["_v"].to_numpy(), initial=0.0)))
        _eje_porcentaje(ax, list(filas["_v"]), eje="x", minimo_superior=maximo * 1.34)
        _ticks_hasta(ax, maximo)
        ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=1)
        # El promedio y el número de unidades, en una columna fija a la derecha de todo
        # (ni tapa los puntos ni queda lejos de la fila).
        for i, (_tipo, fila) in enumerate(resumen.iterrows()):
            texto = formatear_porcentaje(fila["promedio"]) if _es_numero(fila["promedio"]) else "—"
            cuantas = int(fila["total"])
            ax.annotate(
                f"media {texto}\n{cuantas} {'unidad' if cuantas == 1 else 'unidades'}",
                (maximo, i),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=_TAM_ETIQUETA,
                color="#222222",
            )
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(f"Avance físico {_TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}")
        ax.set_title(titulo or "Servicio exterior: avance físico por tipo de representación")
        fig.legend(loc="outside lower center", ncol=2, frameon=False)
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 5. Mensual
# ---------------------------------------------------------------------------------------


def _filas_entidad(mensual: pd.DataFrame, area: str | None) -> pd.DataFrame:
    if area is None or area == TOTAL:
        filas = mensual[mensual["nivel"] == "entidad"]
    else:
        filas = mensual[mensual["area"].astype(str) == str(area)]
    if filas.empty:
        raise ValueError(f"no hay filas mensuales para {area or TOTAL!r}")
    return filas.sort_values("mes", kind="stable")


def devengado_mensual(
    mensual: pd.DataFrame, area: str | None = None, titulo: str | None = None
) -> Figure:
    """Devengado de cada mes hasta el corte (de la entidad, o de un área o servicio), en
    barras del color financiero. Un mes negativo (reversión) queda bajo la línea de 0,
    rayado, con su monto."""
    filas = _filas_entidad(mensual, area)
    meses = filas["mes"].astype(int).to_numpy()
    dev = _valores(filas["devengado"])
    divisor, sufijo, eje = _escala_montos(dev)
    with _tema():
        fig, ejes = _figura(3.0)
        ax = ejes[0, 0]
        barras = ax.bar(meses, dev, width=0.65, color=COLOR_FINANCIERO)
        for b, v in zip(barras, dev):
            if _es_numero(v) and v < 0:
                b.set_hatch("////")
                b.set_edgecolor("white")
        decimales = 2 if divisor > 1 else 0
        _etiquetas_barras(
            ax,
            barras,
            dev,
            lambda v: formatear_numero(v / divisor, decimales) + sufijo,
            girar=len(meses) > 6,
        )
        ax.axhline(0, color=COLOR_REFERENCIA, lw=0.8)
        finitos = dev[np.isfinite(dev)]
        maximo = max(float(finitos.max()) if finitos.size else 0.0, 0.0)
        minimo = min(float(finitos.min()) if finitos.size else 0.0, 0.0)
        rango = (maximo - minimo) or 1.0
        holgura = 0.30 if len(meses) > 6 else 0.14
        ax.set_ylim(minimo - (rango * holgura if minimo < 0 else 0), maximo + rango * holgura)
        ax.yaxis.set_major_formatter(_formato_monto_eje(divisor))
        ax.set_xticks(meses, [MESES_CORTOS[m - 1] for m in meses])
        ax.set_xlim(
            0.4,
            max(12, meses.max(initial=1)) + 0.6 if len(meses) > 6 else meses.max(initial=1) + 0.6,
        )
        ax.set_ylabel(f"Devengado ({eje})")
        ax.grid(axis="x", visible=False)
        nombre = "la entidad" if area in (None, TOTAL) else str(area)
        ax.set_title(titulo or f"Devengado mensual de {nombre}")
    return _terminar(fig)


def ejecucion_mensual(
    mensual: pd.DataFrame,
    indicador_fisico: str = "eficacia",
    incluir_entidad: bool = True,
    titulo: str | None = None,
) -> Figure:
    """Un panel por área (y uno de la entidad): eficacia (o avance físico) y ejecución
    financiera de cada mes, en líneas de los colores físico y financiero. Todos los
    paneles comparten la escala del eje de porcentaje, que empieza en 0."""
    if indicador_fisico not in ("eficacia", "avance_fisico"):
        raise ValueError("indicador_fisico debe ser 'eficacia' o 'avance_fisico'")
    areas = list(pd.unique(mensual.loc[mensual["nivel"] == "area", "area"]))
    grupos = [(a, mensual[(mensual["nivel"] == "area") & (mensual["area"] == a)]) for a in areas]
    if incluir_entidad:
        grupos.append(("Entidad", mensual[mensual["nivel"] == "entidad"]))
    n = len(grupos)
    columnas = min(3, n)
    filas_n = math.ceil(n / columnas)
    todos = np.concatenate(
        [_valores(g[c]) for _, g in grupos for c in (indicador_fisico, "ejecucion")]
    )
    meses_todos = sorted(pd.unique(mensual["mes"].astype(int)))
    nombre_f = "Eficacia" if indicador_fisico == "eficacia" else "Avance físico"
    with _tema():
        fig, ejes = _figura(1.0 + 1.9 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, (nombre, g) in enumerate(grupos):
            ax = ejes.flat[i]
            g = g.sort_values("mes", kind="stable")
            meses = g["mes"].astype(int).to_numpy()
            ax.plot(
                meses,
                _valores(g[indicador_fisico]),
                marker="o",
                ms=3,
                lw=1.4,
                color=COLOR_FISICO,
                label=nombre_f,
            )
            ax.plot(
                meses,
                _valores(g["ejecucion"]),
                marker="s",
                ms=3,
                lw=1.4,
                color=COLOR_FINANCIERO,
                label="Ejecución financiera",
            )
            ax.set_title(str(nombre), fontsize=8)
            ax.set_xticks(
                meses_todos,
                [
                    MESES_CORTOS[m - 1][0] if len(meses_todos) > 6 else MESES_CORTOS[m - 1]
                    for m in meses_todos
                ],
            )
        for j in range(n, filas_n * columnas):
            fig.delaxes(ejes.flat[j])
        _eje_porcentaje(ejes.flat[0], todos, eje="y", holgura=0.10, linea_cero=False)
        negativos = bool(np.isfinite(todos).any() and np.nanmin(todos) < 0)
        for ax in fig.axes:
            ax.yaxis.set_major_formatter(FORMATO_PORCENTAJE)
            if negativos:
                ax.axhline(0, color=COLOR_REFERENCIA, lw=0.8)
        manijas, nombres = ejes.flat[0].get_legend_handles_labels()
        fig.legend(manijas, nombres, loc="outside lower center", ncol=2, frameon=False)
        fig.suptitle(titulo or f"{nombre_f} y ejecución financiera por mes")
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 6. Dispersión físico-financiera con las bandas del semáforo
# ---------------------------------------------------------------------------------------


def _renderer(fig: Figure):
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def _se_solapan(a, b) -> bool:
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


def _rotular_sin_solapar(ax, xs, ys, textos, tam=_TAM_ETIQUETA) -> None:
    """Rotula cada punto con su texto buscando, en un orden fijo, una posición que no
    tape otro rótulo ni otro punto; si se aleja del punto, dibuja una línea guía."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = _renderer(fig)
    puntos = ax.transData.transform(np.column_stack([xs, ys]))
    radio = 3.0 * fig.dpi / 72.0
    ocupadas = [
        matplotlib.transforms.Bbox.from_extents(px - radio, py - radio, px + radio, py + radio)
        for px, py in puntos
    ]
    marco = ax.get_window_extent(renderer)
    candidatos = [(5, 0), (5, 7), (5, -7), (-5, 0), (-5, 7), (-5, -7), (0, 9), (0, -11)]
    for salto in (14, 21, 28, 35, 42):
        candidatos += [(6, salto), (6, -salto), (-6, salto), (-6, -salto)]
    orden = np.lexsort((np.asarray(xs), -np.asarray(ys)))
    for i in orden:
        mejor, mejor_solape = None, None
        for dx, dy in candidatos:
            t = ax.annotate(
                textos[i],
                (xs[i], ys[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha="left" if dx >= 0 else "right",
                va="center",
                fontsize=tam,
                color="#222222",
            )
            caja = t.get_window_extent(renderer)
            fuera = not (
                marco.x0 <= caja.x0
                and caja.x1 <= marco.x1
                and marco.y0 <= caja.y0
                and caja.y1 <= marco.y1
            )
            solape = sum(_se_solapan(caja, o) for o in ocupadas) + (10 if fuera else 0)
            if mejor_solape is None or solape < mejor_solape:
                if mejor is not None:
                    mejor.remove()
                mejor, mejor_solape, mejor_d = t, solape, (dx, dy)
                if solape == 0:
                    break
            else:
                t.remove()
        if abs(mejor_d[1]) >= 7:
            ax.annotate(
                "",
                (xs[i], ys[i]),
                xytext=mejor.xyann,
                textcoords="offset points",
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#888888",
                    "lw": 0.5,
                    "shrinkA": 0,
                    "shrinkB": 2,
                },
            )
        ocupadas.append(mejor.get_window_extent(renderer))


def _nota_sin_valor(codigos: list[str], maximo: int = 20) -> str:
    """Nota al pie con los códigos sin valor (los primeros `maximo`), en líneas cortas."""
    import textwrap

    lista = ", ".join(codigos[:maximo]) + (
        f" y {len(codigos) - maximo} más" if len(codigos) > maximo else ""
    )
    texto = f"Sin valor para el periodo ({len(codigos)}): {lista}"
    return "\n".join(textwrap.wrap(texto, 130))


_NOMBRE_ETIQUETA = {
    "codigo_acp": "ACP",
    "area": "Área",
    "codigo_unidad": "Unidad",
    "categoria_programatica": "Categoría programática",
}


def dispersion_semaforo(
    tabla: pd.DataFrame,
    etiqueta_col: str,
    trimestre: int,
    umbrales: Mapping,
    periodo: str = "acumulado",
    incluir_total: bool = True,
    titulo: str | None = None,
) -> Figure:
    """Avance físico (eje y) frente a la ejecución financiera acumulada (eje x), con las
    bandas del semáforo del trimestre sombreadas sobre el eje x (rojo por debajo del
    umbral amarillo, amarillo hasta el verde, verde desde el verde). Cada punto lleva su
    código; el TOTAL (y los subtotales por servicio) van con otro marcador. Las filas sin
    valor se nombran al pie."""
    verde, amarillo = _umbral(umbrales, trimestre)
    col_y = _col("avance_fisico", periodo)
    col_x = "ejecucion_acumulada"
    propias, agregadas = _separar_agregados(tabla, etiqueta_col)
    filas = pd.concat([propias, agregadas]) if incluir_total else propias
    es_agregada = np.r_[np.zeros(len(propias), bool), np.ones(len(filas) - len(propias), bool)]
    x, y = _valores(filas[col_x]), _valores(filas[col_y])
    etiquetas = np.asarray(filas[etiqueta_col].astype(str).tolist(), dtype=object)
    validos = np.isfinite(x) & np.isfinite(y)
    with _tema():
        fig, ejes = _figura(4.6)
        ax = ejes[0, 0]
        xmax = max(100.0, float(np.nanmax(x[validos])) * 1.05 if validos.any() else 100.0)
        xmin = min(0.0, float(np.nanmin(x[validos])) * 1.1 if validos.any() else 0.0)
        ymax = max(105.0, float(np.nanmax(y[validos])) * 1.05 if validos.any() else 105.0)
        for desde, hasta, color in (
            (xmin, amarillo, "rojo"),
            (amarillo, verde, "amarillo"),
            (verde, xmax, "verde"),
        ):
            ax.axvspan(desde, hasta, color=COLORES_SEMAFORO[color], alpha=0.16, lw=0, zorder=0)
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(0, ymax)
        for eje in (ax.xaxis, ax.yaxis):
            eje.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
            eje.set_major_formatter(FORMATO_PORCENTAJE)
        if xmin < 0:
            ax.axvline(0, color=COLOR_REFERENCIA, lw=0.8)
        propia_ok = validos & ~es_agregada
        agreg_ok = validos & es_agregada
        ax.scatter(
            x[propia_ok],
            y[propia_ok],
            s=22,
            color=COLOR_FISICO,
            edgecolor="white",
            linewidths=0.5,
            zorder=3,
            label=_NOMBRE_ETIQUETA.get(etiqueta_col, etiqueta_col),
        )
        if agreg_ok.any():
            ax.scatter(
                x[agreg_ok],
                y[agreg_ok],
                s=60,
                marker="D",
                color=COLOR_PUNTO,
                edgecolor="white",
                linewidths=0.5,
                zorder=4,
                label="Subtotal / total",
            )
        ax.set_xlabel(f"Ejecución financiera acumulada al T{trimestre}")
        ax.set_ylabel(f"Avance físico {'acumulado' if periodo == 'acumulado' else 'del trimestre'}")
        ax.set_title(titulo or f"Relación físico-financiera y semáforo (T{trimestre})")
        manijas, nombres = ax.get_legend_handles_labels()
        bandas = _leyenda_semaforo(verde, amarillo)
        faltan = list(etiquetas[~validos])
        # La nota de las filas sin valor va sobre la leyenda, al pie del gráfico.
        leyenda = fig.legend(
            manijas + bandas,
            nombres + [b.get_label() for b in bandas],
            loc="outside lower center",
            ncol=3,
            frameon=False,
            title=_nota_sin_valor(faltan) if faltan else None,
            title_fontsize=6.5,
        )
        leyenda.get_title().set_color("#555555")
        _rotular_sin_solapar(ax, x[validos], y[validos], list(etiquetas[validos]))
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 7. Tendencia: gestiones anteriores (o trimestres) por área
# ---------------------------------------------------------------------------------------


def tendencia(
    tabla: pd.DataFrame,
    periodo_col: str = "gestion",
    titulo: str | None = None,
    areas: Sequence[str] | None = None,
    trimestre: int | None = None,
) -> Figure:
    """Un panel por área con dos líneas: avance físico (color físico) y ejecución
    financiera (color financiero) a lo largo de las gestiones (tabla `tendencia`) o de los
    trimestres (`periodo_col='trimestre'`, rótulos T1..T4). Todos los paneles comparten la
    escala, que empieza en 0; el último punto de cada línea lleva su valor.

    `trimestre`: el corte de la gestión en curso (la última de la tabla). Si es anterior
    al T4, esa gestión se rotula "(al T2)" y se une con línea discontinua: una gestión
    a medio ejecutar no se compara como si estuviera cerrada.
    """
    if areas is None:
        areas = list(pd.unique(tabla["area"]))
    n = len(areas)
    if n == 0:
        raise ValueError("la tabla de tendencia está vacía")
    columnas = min(3, n)
    filas_n = math.ceil(n / columnas)
    periodos = sorted(int(p) for p in pd.unique(tabla[periodo_col]))
    parcial = periodo_col == "gestion" and trimestre is not None and trimestre < 4
    rotulos = [f"T{p}" if periodo_col == "trimestre" else str(p) for p in periodos]
    if parcial:
        rotulos[-1] = f"{periodos[-1]}\n(al T{trimestre})"
    todos = np.concatenate([_valores(tabla[c]) for c in ("avance_fisico", "ejecucion")])
    series = (
        ("avance_fisico", COLOR_FISICO, "o", "Avance físico", (0, 5)),
        ("ejecucion", COLOR_FINANCIERO, "s", "Ejecución financiera", (0, -10)),
    )
    with _tema():
        fig, ejes = _figura(1.2 + 2.0 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, area in enumerate(areas):
            ax = ejes.flat[i]
            g = tabla[tabla["area"] == area].sort_values(periodo_col, kind="stable")
            px = g[periodo_col].astype(int).to_numpy()
            for col, color, marca, nombre, desplazamiento in series:
                v = _valores(g[col])
                ultimo_parcial = parcial and len(px) and px[-1] == periodos[-1]
                corte = len(px) - 1 if ultimo_parcial else len(px)
                ax.plot(
                    px[:corte], v[:corte], marker=marca, ms=3.5, lw=1.4, color=color, label=nombre
                )
                if ultimo_parcial:
                    ax.plot(px[-2:], v[-2:], lw=1.2, ls="--", color=color)
                    ax.plot(px[-1:], v[-1:], marker=marca, ms=3.5, mfc="white", color=color, lw=0)
                ok = np.isfinite(v)
                if ok.any():
                    k = np.flatnonzero(ok)[-1]
                    ax.annotate(
                        formatear_porcentaje(v[k]),
                        (px[k], v[k]),
                        xytext=desplazamiento,
                        textcoords="offset points",
                        ha="center",
                        fontsize=6,
                        color=color,
                    )
            ax.set_title(str(area), fontsize=8)
            ax.set_xticks(periodos, rotulos)
            ax.set_xlim(periodos[0] - 0.4, periodos[-1] + 0.4)
        for j in range(n, filas_n * columnas):
            fig.delaxes(ejes.flat[j])
        _eje_porcentaje(
            ejes.flat[0], todos, eje="y", minimo_superior=100.0, holgura=0.12, linea_cero=False
        )
        _ticks_hasta(ejes.flat[0], max(100.0, np.nanmax(todos, initial=0.0)), eje="y")
        for ax in fig.axes:
            ax.yaxis.set_major_formatter(FORMATO_PORCENTAJE)
        manijas, nombres = ejes.flat[0].get_legend_handles_labels()
        fig.legend(manijas, nombres, loc="outside lower center", ncol=2, frameon=False)
        fig.suptitle(
            titulo
            or (
                "Evolución trimestral por área"
                if periodo_col == "trimestre"
                else "Avance físico y ejecución financiera por gestión"
            )
        )
    return _terminar(fig)
