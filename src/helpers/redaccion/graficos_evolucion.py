"""Los gráficos de lo que cambia en el tiempo: el devengado y la ejecución de cada mes, y
la tendencia por gestión o por trimestre.

Entra: la tabla `mensual` (o una de la misma forma: una fila por mes y área, con `nivel`) o
la tabla `tendencia` (una fila por gestión y área) de `helpers.calculo.tablas.calcular_tablas`.
Sale: una `matplotlib.figure.Figure` por llamada, con el estilo y las piezas de
`helpers.redaccion.graficos`:

- `devengado_mensual`: el devengado de cada mes, en barras (un mes negativo, rayado);
- `ejecucion_mensual`: un panel por área con la eficacia y la ejecución de cada mes;
- `tendencia`: un panel por área con el avance físico y la ejecución de cada gestión (o
  trimestre).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers.comun.numeros import formatear_numero, formatear_porcentaje
from helpers.redaccion.graficos import (
    COLOR_FINANCIERO,
    COLOR_REFERENCIA,
    COLORES_SERIES,
    FORMATO_PORCENTAJE,
    MESES_CORTOS,
    TOTAL,
    a_numeros,
    barras,
    eje_porcentaje,
    es_numero,
    figura,
    formato_monto_eje,
    leyenda_lineas,
    lineas,
    marcas_hasta,
    tema,
    terminar,
)

__all__ = ["devengado_mensual", "ejecucion_mensual", "tendencia"]


def _escala_montos(valores: Iterable[float]) -> tuple[float, str, str]:
    """(divisor, sufijo de etiqueta, título del eje) según el tamaño de los montos."""
    v = np.asarray([x for x in valores if es_numero(x)], dtype=float)
    grande = v.size and np.nanmax(np.abs(v)) >= 1_000_000
    if grande:
        return 1_000_000.0, " M Bs", "Millones de Bs"
    return 1.0, " Bs", "Bs"


# ---------------------------------------------------------------------------------------
# Mensual
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
    datos = pd.DataFrame(
        {"mes": [MESES_CORTOS[m - 1] for m in meses], "valor": a_numeros(filas["devengado"])}
    )
    dev = datos["valor"].to_numpy()
    divisor, sufijo, eje = _escala_montos(dev)
    decimales = 2 if divisor > 1 else 0
    # Con más de seis meses el eje abarca el año; si no, hasta el último mes.
    orden = MESES_CORTOS[: 12 if len(meses) > 6 else meses.max(initial=1)]
    with tema():
        fig, ejes = figura(3.0)
        ax = ejes[0, 0]
        barras(
            ax,
            datos,
            "mes",
            orden,
            False,
            formato=lambda v: formatear_numero(v / divisor, decimales) + sufijo,
            girar=len(meses) > 6,
            color=COLOR_FINANCIERO,
            width=0.65,
        )
        for b in (b for c in ax.containers for b in c):
            if b.get_height() < 0:
                b.set_hatch("////")
                b.set_edgecolor("white")
        ax.axhline(0, color=COLOR_REFERENCIA, lw=0.8)
        finitos = dev[np.isfinite(dev)]
        maximo = max(float(finitos.max()) if finitos.size else 0.0, 0.0)
        minimo = min(float(finitos.min()) if finitos.size else 0.0, 0.0)
        rango = (maximo - minimo) or 1.0
        holgura = 0.30 if len(meses) > 6 else 0.14
        ax.set_ylim(minimo - (rango * holgura if minimo < 0 else 0), maximo + rango * holgura)
        ax.yaxis.set_major_formatter(formato_monto_eje(divisor))
        ax.set_xticks(meses - 1, datos["mes"])  # sólo los meses con dato
        ax.set_ylabel(f"Devengado ({eje})")
        nombre = "la entidad" if area in (None, TOTAL) else str(area)
        ax.set_title(titulo or f"Devengado mensual de {nombre}")
    return terminar(fig)


def ejecucion_mensual(
    mensual: pd.DataFrame,
    indicador_fisico: str = "eficacia",
    incluir_entidad: bool = True,
    titulo: str | None = None,
    rotulos: dict[int, str] | None = None,
) -> Figure:
    """Un panel por área (y uno de la entidad): eficacia (o avance físico) y ejecución
    financiera de cada mes, en líneas de los colores físico y financiero. Todos los
    paneles comparten la escala del eje de porcentaje, que empieza en 0. `rotulos`: el
    rótulo de cada valor de la columna `mes` (por omisión, el nombre corto del mes; para
    trimestres, {1: "T1", ...})."""
    if indicador_fisico not in ("eficacia", "avance_fisico"):
        raise ValueError("indicador_fisico debe ser 'eficacia' o 'avance_fisico'")
    areas = list(pd.unique(mensual.loc[mensual["nivel"] == "area", "area"]))
    grupos = [(a, mensual[(mensual["nivel"] == "area") & (mensual["area"] == a)]) for a in areas]
    if incluir_entidad:
        grupos.append(("Entidad", mensual[mensual["nivel"] == "entidad"]))
    n = len(grupos)
    filas_n, columnas = _rejilla(n)
    todos = np.concatenate(
        [a_numeros(g[c]) for _, g in grupos for c in (indicador_fisico, "ejecucion")]
    )
    meses_todos = sorted(pd.unique(mensual["mes"].astype(int)))
    nombre_f = "Eficacia" if indicador_fisico == "eficacia" else "Avance físico"
    series = {indicador_fisico: nombre_f, "ejecucion": "Ejecución financiera"}
    with tema():
        fig, ejes = figura(1.0 + 1.9 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, (nombre, g) in enumerate(grupos):
            ax = ejes.flat[i]
            lineas(ax, g.assign(mes=g["mes"].astype(int)), "mes", series, markersize=3)
            ax.set_title(str(nombre), fontsize=8)
            ax.set_xticks(
                meses_todos,
                [
                    rotulos[m] if rotulos is not None
                    else MESES_CORTOS[m - 1][0] if len(meses_todos) > 6 else MESES_CORTOS[m - 1]
                    for m in meses_todos
                ],
            )
            if rotulos is not None:  # pocos puntos: que no queden pegados al borde
                ax.set_xlim(meses_todos[0] - 0.3, meses_todos[-1] + 0.3)
        _quitar_sobrantes(fig, ejes, n)
        eje_porcentaje(ejes.flat[0], todos, eje="y", holgura=0.10, linea_cero=False)
        negativos = bool(np.isfinite(todos).any() and np.nanmin(todos) < 0)
        for ax in fig.axes:
            ax.yaxis.set_major_formatter(FORMATO_PORCENTAJE)
            if negativos:
                ax.axhline(0, color=COLOR_REFERENCIA, lw=0.8)
        fig.legend(
            handles=leyenda_lineas(list(series.values())),
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
        fig.suptitle(titulo or f"{nombre_f} y ejecución financiera por mes")
    return terminar(fig)


# ---------------------------------------------------------------------------------------
# Tendencia: gestiones anteriores (o trimestres) por área
# ---------------------------------------------------------------------------------------


def _rejilla(n: int) -> tuple[int, int]:
    """(filas, columnas) de `n` paneles: hasta tres por fila."""
    columnas = min(3, n)
    return math.ceil(n / columnas), columnas


def _quitar_sobrantes(fig, ejes: np.ndarray, n: int) -> None:
    """Quita los paneles de la rejilla que quedan sin área (los que pasan de `n`)."""
    for j in range(n, ejes.size):
        fig.delaxes(ejes.flat[j])


def _gestion_parcial(periodo_col: str, trimestre: int | None) -> bool:
    """Si la última gestión de la tabla está a medio ejecutar (corte anterior al T4)."""
    return periodo_col == "gestion" and trimestre is not None and trimestre < 4


def _rotulos_periodos(periodos: list[int], periodo_col: str, trimestre: int | None) -> list[str]:
    """T1..T4 si son trimestres; si son gestiones, el año, y la gestión a medio ejecutar
    con su corte debajo («2024» y «(al T2)»)."""
    rotulos = [f"T{p}" if periodo_col == "trimestre" else str(p) for p in periodos]
    if _gestion_parcial(periodo_col, trimestre):
        rotulos[-1] = f"{periodos[-1]}\n(al T{trimestre})"
    return rotulos


def _lineas_del_area(ax, g: pd.DataFrame, periodo_col: str, series: dict[str, str],
                     parcial: int | None) -> None:
    """Las dos líneas de un área. `parcial`: la gestión a medio ejecutar (None si no la
    hay); si es el último punto del área, se une con línea discontinua y su punto va hueco."""
    if parcial is None or not len(g) or g[periodo_col].iloc[-1] != parcial:
        lineas(ax, g, periodo_col, series)
        return
    if len(g) > 1:
        lineas(ax, g.iloc[:-1], periodo_col, series)
    discontinua = {"marcas": False, "linewidth": 1.2, "linestyle": "--"}
    lineas(ax, g.iloc[-2:], periodo_col, series, **discontinua)
    hueco = {"markerfacecolor": "white", "markeredgewidth": 1}
    for linea in lineas(ax, g.iloc[-1:], periodo_col, series, **hueco):
        linea.set_markeredgecolor(linea.get_color())  # punto hueco


def _rotular_ultimos(ax, g: pd.DataFrame, periodo_col: str, series: dict[str, str]) -> None:
    """El último valor de cada serie: el mayor se rotula encima de su punto y el menor
    debajo, para que los dos rótulos no se monten aunque estén cerca."""
    ultimos = [a_numeros(g[col]) for col in series]
    finales = [v[np.isfinite(v)][-1] if np.isfinite(v).any() else np.nan for v in ultimos]
    fisico_arriba = not (finales[1] > finales[0])
    arriba, abajo = (0, 5), (0, -10)
    for (col, _nombre), color, desplazamiento in zip(
        series.items(), COLORES_SERIES,
        (arriba, abajo) if fisico_arriba else (abajo, arriba),
    ):
        v = a_numeros(g[col])
        ok = np.flatnonzero(np.isfinite(v))
        if ok.size:
            k = ok[-1]
            ax.annotate(
                formatear_porcentaje(v[k]),
                (g[periodo_col].iloc[k], v[k]),
                xytext=desplazamiento,
                textcoords="offset points",
                ha="center",
                fontsize=6,
                color=color,
            )


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
    al T4, esa gestión se rotula "(al T2)", se une con línea discontinua y su punto va
    hueco: una gestión a medio ejecutar no se compara como si estuviera cerrada.
    """
    if areas is None:
        areas = list(pd.unique(tabla["area"]))
    n = len(areas)
    if n == 0:
        raise ValueError("la tabla de tendencia está vacía")
    filas_n, columnas = _rejilla(n)
    periodos = sorted(int(p) for p in pd.unique(tabla[periodo_col]))
    parcial = periodos[-1] if _gestion_parcial(periodo_col, trimestre) else None
    rotulos = _rotulos_periodos(periodos, periodo_col, trimestre)
    todos = np.concatenate([a_numeros(tabla[c]) for c in ("avance_fisico", "ejecucion")])
    series = {"avance_fisico": "Avance físico", "ejecucion": "Ejecución financiera"}
    with tema():
        fig, ejes = figura(1.2 + 2.0 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, area in enumerate(areas):
            ax = ejes.flat[i]
            g = tabla[tabla["area"] == area].sort_values(periodo_col, kind="stable")
            g = g.assign(**{periodo_col: g[periodo_col].astype(int)})
            _lineas_del_area(ax, g, periodo_col, series, parcial)
            _rotular_ultimos(ax, g, periodo_col, series)
            ax.set_title(str(area), fontsize=8)
            ax.set_xticks(periodos, rotulos)
            ax.set_xlim(periodos[0] - 0.4, periodos[-1] + 0.4)
        _quitar_sobrantes(fig, ejes, n)
        eje_porcentaje(
            ejes.flat[0], todos, eje="y", minimo_superior=100.0, holgura=0.12, linea_cero=False
        )
        marcas_hasta(ejes.flat[0], max(100.0, np.nanmax(todos, initial=0.0)), eje="y")
        for ax in fig.axes:
            ax.yaxis.set_major_formatter(FORMATO_PORCENTAJE)
        fig.legend(
            handles=leyenda_lineas(list(series.values())),
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
        por_trimestre = periodo_col == "trimestre"
        fig.suptitle(titulo or ("Evolución trimestral por área" if por_trimestre
                                else "Avance físico y ejecución financiera por gestión"))
    return terminar(fig)
