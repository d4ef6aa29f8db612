"""Los gráficos de las unidades organizacionales: el avance físico de las unidades de un
área y el de las unidades de un grupo de áreas por tipo de unidad.

Entra: la tabla `unidad` de `helpers.calculo.tablas.calcular_tablas` (con el área, el avance
físico y la calificación de cada unidad; su grupo y su tipo, para el detalle por tipo). Sale:
figuras de `matplotlib` con el estilo y las piezas de `helpers.redaccion.graficos`:

- `avance_unidades`: una lista de figuras (barras por unidad, en partes si son muchas; los
  extremos y la distribución si son miles);
- `distribucion_avance`: cuántas unidades hay en cada tramo de avance;
- `grupo_por_tipo`: el promedio de cada tipo de unidad de un grupo y un punto por unidad.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from contextlib import contextmanager

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.comun.numeros import formatear_numero, formatear_porcentaje
from helpers.redaccion.graficos import (
    COLOR_FISICO,
    COLOR_PUNTO,
    COLOR_REFERENCIA,
    COLOR_SIN_VALOR,
    COLORES_CALIFICACION,
    FORMATO_PORCENTAJE,
    SIN_VALOR,
    TAM_ETIQUETA,
    TEXTO_PERIODO,
    a_numeros,
    acortar,
    alto_barras,
    barras,
    columna_del_periodo,
    eje_porcentaje,
    es_numero,
    figura,
    marcas_hasta,
    tema,
    terminar,
)
from helpers.redaccion.seaborn_propio import sns

__all__ = ["avance_unidades", "distribucion_avance", "grupo_por_tipo"]


@contextmanager
def _azar_fijo(semilla: int = 0):
    """La dispersión de `sns.stripplot` sale del generador global de numpy: se fija para
    que el mismo dato dé la misma imagen, y después se deja como estaba."""
    estado = np.random.get_state()
    np.random.seed(semilla)
    try:
        yield
    finally:
        np.random.set_state(estado)


# ---------------------------------------------------------------------------------------
# Avance físico de las unidades de un área
# ---------------------------------------------------------------------------------------


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
    max_filas: int = 36,
    rotulo: str = "nombre",
    max_partes: int = 3,
) -> list[Figure]:
    """Barras horizontales del avance físico de las unidades de un área, de mayor a menor,
    cada una del color de su calificación, con una línea de referencia en 100 %.
    Cada barra lleva la columna `rotulo` de la unidad (su nombre, acortado a LARGO_ROTULO
    caracteres; el código si la tabla no trae esa columna).
    Las unidades sin nada programado en el periodo aparecen al final, en gris, con "—".
    Un gráfico por cada `max_filas` unidades a lo sumo (las 85 de un área grande: tres
    de 29), repartidas en partes iguales y con «(parte i de k)» en el título: cada uno cabe
    en una página con los nombres legibles.

    Un área con más unidades de las que caben en `max_partes` gráficos (las de una entidad
    grande: miles) no se dibuja unidad por unidad, que nadie leería: un gráfico muestra las
    `max_filas // 2` de mayor avance y las de menor avance (con un valor), y otro la
    distribución de todas (`distribucion_avance`). Cada unidad está en el cuadro del área."""
    col_a = columna_del_periodo("avance_fisico", periodo)
    col_c = columna_del_periodo("calificacion", periodo)
    filas = unidad[unidad["area"].astype(str) == str(area)]
    if filas.empty:
        raise ValueError(f"el área {area!r} no tiene unidades en la tabla")
    filas = filas.sort_values(
        [col_a, "codigo_unidad"], ascending=[False, True], kind="stable", na_position="last"
    )
    calificaciones = filas[col_c].tolist()
    datos = pd.DataFrame(
        {
            "codigo": filas["codigo_unidad"].astype(str).to_numpy(),
            "rotulo": [acortar(r) for r in filas[rotulo if rotulo in filas else "codigo_unidad"]],
            "valor": a_numeros(filas[col_a]),
            "calificacion": [c if isinstance(c, str) else SIN_VALOR for c in calificaciones],
        }
    )
    colores = {
        **COLORES_CALIFICACION,
        **{c: COLOR_SIN_VALOR for c in datos["calificacion"] if c not in COLORES_CALIFICACION},
    }
    n = len(datos)
    partes = max(1, math.ceil(n / max_filas))
    titulo = titulo or f"Avance físico por unidad organizacional: {area}"
    nombre_x = f"Avance físico {TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}"
    tope = max(100.0, np.nanmax(datos["valor"].to_numpy(), initial=0.0))
    trozos = [(datos.iloc[posiciones], titulo if partes == 1
               else f"{titulo} (parte {p + 1} de {partes})")
              for p, posiciones in enumerate(np.array_split(np.arange(n), partes))]
    distribucion = None
    if partes > max_partes:
        con_valor = datos[datos["valor"].notna()]
        k = max_filas // 2
        extremos = pd.concat([con_valor.head(k), con_valor.tail(k)]).drop_duplicates("codigo")
        trozos = [(extremos, f"{titulo}\nlas {formatear_numero(min(k, len(con_valor)), 0)} de "
                             f"mayor y de menor avance, de {formatear_numero(n, 0)} unidades")]
        distribucion = distribucion_avance(
            datos["valor"], datos["calificacion"], colores,
            titulo=f"{titulo}\ndistribución de las {formatear_numero(n, 0)} unidades",
            nombre_x=nombre_x)
    figuras = []
    for trozo, titulo_trozo in trozos:
        with tema():
            fig, ejes = figura(alto_barras(len(trozo), por_fila=0.2, minimo=2.2))
            ax = ejes[0, 0]
            barras(ax, trozo, "codigo", trozo["codigo"], True, colores, "calificacion", width=0.7)
            # Las barras se ubican por código (único); se leen por su rótulo.
            ax.set_yticks(range(len(trozo)), trozo["rotulo"].tolist())
            ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=1)
            # La misma escala en todas las partes: se comparan a simple vista.
            eje_porcentaje(ax, np.array([tope]), eje="x", minimo_superior=118.0, holgura=0.18)
            marcas_hasta(ax, tope)
            ax.set_xlabel(nombre_x)
            ax.set_title(titulo_trozo)
            leyenda = _leyenda_calificacion(trozo["calificacion"])
            if trozo["valor"].isna().any():
                leyenda.append(Patch(color=COLOR_SIN_VALOR, label="Sin programación (—)"))
            if leyenda:
                fig.legend(handles=leyenda, title="Calificación", loc="outside lower center",
                           ncol=len(leyenda), frameon=False)
        figuras.append(terminar(fig))
    if distribucion is not None:
        figuras.append(distribucion)
    return figuras


def distribucion_avance(valores: pd.Series, calificaciones: pd.Series, colores: Mapping,
                        titulo: str, nombre_x: str, ancho: float = 10.0) -> Figure:
    """Cuántas unidades hay en cada tramo de `ancho` puntos de avance físico (0-10 %,
    10-20 %...), apiladas por calificación: la forma de un área de miles de unidades en un
    solo gráfico. Las que no tienen valor (sin programación) se cuentan en el título."""
    datos = pd.DataFrame({"valor": a_numeros(valores), "calificacion": list(calificaciones)})
    sin_valor = int(datos["valor"].isna().sum())
    datos = datos.dropna(subset=["valor"])
    tope = max(100.0, float(datos["valor"].max()) if len(datos) else 100.0)
    bordes = np.arange(min(0.0, math.floor(datos["valor"].min() / ancho) * ancho
                           if len(datos) else 0.0), tope + ancho, ancho)
    presentes = [c for c in colores if c in set(datos["calificacion"])]
    with tema():
        fig, ejes = figura(3.4)
        ax = ejes[0, 0]
        if len(datos):
            sns.histplot(data=datos, x="valor", hue="calificacion", hue_order=presentes,
                         palette={c: colores[c] for c in presentes}, bins=bordes,
                         multiple="stack", linewidth=0.4, edgecolor="white", alpha=1,
                         legend=False, ax=ax)
        ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=3)
        ax.xaxis.set_major_formatter(FORMATO_PORCENTAJE)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(nombre_x)
        ax.set_ylabel("Unidades")
        ax.set_title(titulo if not sin_valor else
                     f"{titulo} ({formatear_numero(sin_valor, 0)} sin programación)")
        leyenda = _leyenda_calificacion(presentes)
        if leyenda:
            fig.legend(handles=leyenda, title="Calificación", loc="outside lower center",
                       ncol=len(leyenda), frameon=False)
    return terminar(fig)


# ---------------------------------------------------------------------------------------
# Las unidades de un grupo de áreas por tipo de unidad
# ---------------------------------------------------------------------------------------


def grupo_por_tipo(
    unidad: pd.DataFrame,
    grupo: str,
    periodo: str = "trimestre",
    titulo: str | None = None,
) -> Figure:
    """Las unidades de un grupo de áreas (columna servicio) por tipo de unidad (Embajada,
    Consulado, ...): una barra con el promedio simple del avance físico de las unidades de
    cada tipo (rotulada con el promedio y el número de unidades) y un punto por unidad."""
    col_a = columna_del_periodo("avance_fisico", periodo)
    filas = unidad[unidad["servicio"].astype(str) == grupo]
    if filas.empty:
        raise ValueError(f"no hay unidades del grupo {grupo!r}")
    datos = pd.DataFrame(
        {
            "tipo": filas["tipo"].fillna("").astype(str).str.strip().replace("", "Sin tipo"),
            "avance": a_numeros(filas[col_a]),
        }
    )
    resumen = (
        datos.groupby("tipo", sort=False)["avance"]
        .agg(promedio="mean", total="size")
        .sort_values("promedio", ascending=False, kind="stable", na_position="last")
    )
    tipos = resumen.index.tolist()
    comun = {"data": datos, "x": "avance", "y": "tipo", "order": tipos, "orient": "y"}
    with tema():
        fig, ejes = figura(max(2.4, 1.3 + 0.55 * len(tipos)))
        ax = ejes[0, 0]
        sns.barplot(
            **comun,
            estimator="mean",
            errorbar=None,
            color=COLOR_FISICO,
            saturation=1,
            alpha=0.35,
            width=0.7,
            ax=ax,
        )
        with _azar_fijo():
            sns.stripplot(
                **comun, jitter=0.23, color=COLOR_PUNTO, size=3.7, linewidth=0, zorder=3, ax=ax
            )
        maximo = max(100.0, float(np.nanmax(datos["avance"].to_numpy(), initial=0.0)))
        eje_porcentaje(ax, datos["avance"], eje="x", minimo_superior=maximo * 1.34)
        marcas_hasta(ax, maximo)
        ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=1)
        # El promedio y el número de unidades, en una columna fija a la derecha de todo
        # (ni tapa los puntos ni queda lejos de la fila).
        for i, (_tipo, fila) in enumerate(resumen.iterrows()):
            texto = formatear_porcentaje(fila["promedio"]) if es_numero(fila["promedio"]) else "—"
            cuantas = int(fila["total"])
            ax.annotate(
                f"media {texto}\n{cuantas} {'unidad' if cuantas == 1 else 'unidades'}",
                (maximo, i),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=TAM_ETIQUETA,
                color="#222222",
            )
        ax.set_ylabel("")
        ax.set_xlabel(f"Avance físico {TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}")
        ax.set_title(titulo or f"{grupo}: avance físico por tipo de unidad")
        fig.legend(
            handles=[
                Line2D([], [], ls="", marker="o", ms=3.7, color=COLOR_PUNTO, label="Unidad"),
                Patch(color=COLOR_FISICO, alpha=0.35, label="Promedio del tipo"),
            ],
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
    return terminar(fig)
