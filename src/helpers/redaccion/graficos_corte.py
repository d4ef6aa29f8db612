"""Los gráficos de un corte por fila: ACP, área, unidad o categoría programática.

Entra: una tabla de `helpers.calculo.tablas.calcular_tablas` (`acp`, `area`, `unidad`,
`categoria`) y, para el semáforo, el trimestre y sus umbrales (`semaforo_financiero` de los
parámetros). Sale: una `matplotlib.figure.Figure` por llamada, con el estilo y las piezas de
`helpers.redaccion.graficos`:

- `fisico_financiero`: eficacia (o avance físico) junto a la ejecución financiera, en barras;
- `ejecucion_semaforo`: la ejecución financiera acumulada, cada barra del color de su
  semáforo, con los umbrales del trimestre;
- `dispersion_semaforo`: eficacia frente a ejecución, un punto por fila, sobre las bandas del
  semáforo.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from helpers.comun.numeros import formatear_numero
from helpers.redaccion.graficos import (
    COLOR_FINANCIERO,
    COLOR_FISICO,
    COLOR_PUNTO,
    COLOR_REFERENCIA,
    COLOR_TRAMA,
    COLORES_SEMAFORO,
    FORMATO_PORCENTAJE,
    HUECO,
    PALETA_SEMAFORO,
    SIN_VALOR,
    TAM_ETIQUETA,
    TEXTO_PERIODO,
    TOTAL,
    TRAMA_SEMAFORO,
    a_numeros,
    alto_barras,
    barras,
    columna_del_periodo,
    eje_porcentaje,
    figura,
    porcentaje_del_eje,
    renderizador,
    se_solapan,
    tema,
    terminar,
)
from helpers.redaccion.seaborn_propio import sns

__all__ = ["dispersion_semaforo", "ejecucion_semaforo", "fisico_financiero"]


# ---------------------------------------------------------------------------------------
# Filas propias y agregadas
# ---------------------------------------------------------------------------------------


def _separar_agregados(
    tabla: pd.DataFrame, etiqueta_col: str, incluir_total: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(filas propias, filas de subtotal/total; vacías si no `incluir_total`). Son
    agregados la fila TOTAL y, en la tabla por área, las filas de servicio."""
    es_total = tabla[etiqueta_col].astype(str).eq(TOTAL)
    if "nivel" in tabla.columns:
        es_total |= tabla["nivel"].isin(["servicio", "entidad"])
    return tabla[~es_total], tabla[es_total & incluir_total]


def _semaforo(filas: pd.DataFrame) -> pd.Series:
    """Color del semáforo de cada fila (columna `semaforo` de las tablas), o SIN_VALOR."""
    if "semaforo" not in filas.columns:
        return pd.Series(SIN_VALOR, index=filas.index, dtype=object)
    s = filas["semaforo"].astype(object)
    return s.where(s.isin(list(COLORES_SEMAFORO)), SIN_VALOR)


def _con_hueco(propias: Sequence[str], agregadas: Sequence[str]) -> list[str]:
    """Orden de las categorías: las filas propias, un hueco y los agregados."""
    propias, agregadas = list(propias), list(agregadas)
    return propias + [HUECO] + agregadas if propias and agregadas else propias + agregadas


_NOMBRE_FISICO = {"eficacia": "Eficacia", "avance": "Avance físico"}


def _col_fisico(fisico: str, periodo: str) -> str:
    if fisico == "eficacia":
        return columna_del_periodo("eficacia", periodo)
    if fisico == "avance":
        return columna_del_periodo("avance_fisico", periodo)
    raise ValueError(f"fisico debe ser 'eficacia' o 'avance', no {fisico!r}")


def _parches(colores: Mapping[str, str]) -> list[Patch]:
    """Entradas de leyenda (nombre → color) para barras y bandas."""
    return [Patch(color=color, label=nombre) for nombre, color in colores.items()]


# ---------------------------------------------------------------------------------------
# Físico y financiero por ACP / área / unidad
# ---------------------------------------------------------------------------------------


def fisico_financiero(
    tabla: pd.DataFrame,
    etiqueta_col: str,
    titulo: str | None = None,
    periodo: str = "acumulado",
    fisico: str = "eficacia",
    incluir_total: bool = True,
    ordenar: bool = False,
    texto_periodo: str | None = None,
) -> Figure:
    """Barras agrupadas: eficacia (o avance físico) junto a la ejecución financiera.

    - `tabla`: `acp`, `area` o `unidad`; `etiqueta_col`: la columna de códigos que rotula
      las barras (`codigo_acp`, `area`, `codigo_unidad`).
    - `periodo`: 'acumulado' o 'trimestre'; `fisico`: 'eficacia' (comparable con la
      ejecución: ambas son parte del año) o 'avance'.
    - `incluir_total`: muestra al final, separados, los subtotales por servicio y el TOTAL.
    - `ordenar`: ordena las filas por el indicador físico, de mayor a menor.
    - `texto_periodo`: lo que sigue al nombre de cada serie en la leyenda («anual»); por
      omisión, el del periodo («acumulado», «acumulada», «del trimestre»).
    Con más de 12 filas las barras van en horizontal (una fila por código).
    """
    col_f = _col_fisico(fisico, periodo)
    col_e = columna_del_periodo("ejecucion", periodo)
    propias, agregadas = _separar_agregados(tabla, etiqueta_col, incluir_total)
    if ordenar:
        propias = propias.sort_values(col_f, ascending=False, kind="stable", na_position="last")
    filas = pd.concat([propias, agregadas])
    orden = _con_hueco(propias[etiqueta_col].astype(str), agregadas[etiqueta_col].astype(str))
    if texto_periodo is None:
        # El participio concuerda con la serie: «Avance físico acumulado», «Eficacia acumulada».
        acumulado = fisico == "avance" and periodo == "acumulado"
        texto_f = "acumulado" if acumulado else TEXTO_PERIODO[periodo]
        texto_e = TEXTO_PERIODO[periodo]
    else:
        texto_f = texto_e = texto_periodo
    nombre_f = f"{_NOMBRE_FISICO[fisico]} {texto_f}"
    nombre_e = f"Ejecución financiera {texto_e}"
    colores = {nombre_f: COLOR_FISICO, nombre_e: COLOR_FINANCIERO}
    # Tabla larga: una fila por código e indicador.
    largo = filas.rename(columns={col_f: nombre_f, col_e: nombre_e}).melt(
        id_vars=etiqueta_col, value_vars=list(colores), var_name="serie", value_name="valor"
    )
    largo[etiqueta_col] = largo[etiqueta_col].astype(str)
    if titulo is None:
        titulo = f"{_NOMBRE_FISICO[fisico]} y ejecución financiera ({TEXTO_PERIODO[periodo]})"
    horizontal = len(filas) > 12
    girar = not horizontal and len(filas) > 5
    with tema():
        fig, ejes = figura(alto_barras(len(filas), por_fila=0.32) if horizontal else 3.4)
        ax = ejes[0, 0]
        barras(
            ax, largo, etiqueta_col, orden, horizontal, colores, "serie", girar=girar, dodge=True
        )
        eje = "x" if horizontal else "y"
        holgura = 0.22 if horizontal else (0.30 if girar else 0.15)
        eje_porcentaje(ax, largo["valor"], eje=eje, holgura=holgura)
        (ax.set_xlabel if horizontal else ax.set_ylabel)("Porcentaje")
        if not horizontal and max(map(len, orden), default=0) > 6:
            ax.set_xticks(range(len(orden)), orden, rotation=30, ha="right")
        ax.set_title(titulo)
        fig.legend(handles=_parches(colores), loc="outside lower center", ncol=2, frameon=False)
    return terminar(fig)


# ---------------------------------------------------------------------------------------
# Ejecución financiera coloreada por semáforo
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
    v, a = porcentaje_del_eje(verde), porcentaje_del_eje(amarillo)
    return [
        Patch(facecolor=COLORES_SEMAFORO["verde"], hatch=TRAMA_SEMAFORO["verde"],
              edgecolor=COLOR_TRAMA, label=f"Verde: {v} o más"),
        Patch(facecolor=COLORES_SEMAFORO["amarillo"], hatch=TRAMA_SEMAFORO["amarillo"],
              edgecolor=COLOR_TRAMA, label=f"Amarillo: de {a} a menos de {v}"),
        Patch(facecolor=COLORES_SEMAFORO["rojo"], hatch=TRAMA_SEMAFORO["rojo"],
              edgecolor=COLOR_TRAMA, label=f"Rojo: menos de {a}"),
    ]


def _tramar_semaforo(ax) -> None:
    """Cada barra del semáforo con la trama de su estado (se reconoce por su color)."""
    estado_de = {to_hex(c): e for e, c in COLORES_SEMAFORO.items()}
    for barra in ax.patches:
        estado = estado_de.get(to_hex(barra.get_facecolor()))
        if estado and TRAMA_SEMAFORO[estado]:
            barra.set_hatch(TRAMA_SEMAFORO[estado])
            barra.set_edgecolor(COLOR_TRAMA)
            barra.set_linewidth(0)


def _etiquetas_categoria(tabla: pd.DataFrame) -> list[str]:
    """Rótulo de una línea presupuestaria: la categoría, y la fuente o la unidad si la
    categoría se repite (y un número si aun así se repite: cada rótulo es una barra)."""
    cat = tabla["categoria_programatica"].astype(str)
    repetida = cat.duplicated(keep=False)
    rotulos = []
    for c, rep, (_, fila) in zip(cat, repetida, tabla.iterrows()):
        extra = ""
        if rep:
            partes = [str(fila.get(k, "")).strip() for k in ("codigo_unidad", "fuente")]
            extra = " · ".join(p for p in partes if p)
        rotulos.append(f"{c} ({extra})" if extra else c)
    vistos: dict[str, int] = {}
    for i, r in enumerate(rotulos):
        vistos[r] = vistos.get(r, 0) + 1
        rotulos[i] = r if vistos[r] == 1 else f"{r} [{vistos[r]}]"
    return rotulos


def ejecucion_semaforo(
    tabla: pd.DataFrame,
    etiqueta_col: str,
    trimestre: int,
    umbrales: Mapping,
    titulo: str | None = None,
    incluir_total: bool = True,
    max_barras: int = 60,
) -> Figure:
    """Barras horizontales de la ejecución financiera acumulada, cada una del color de su
    semáforo, con los umbrales del trimestre como líneas verticales.

    Sirve para `categoria` (`etiqueta_col='categoria_programatica'`; una categoría que se
    repite se rotula con su unidad y fuente), `acp`, `area` y `unidad`. Con más de
    `max_barras` filas (las miles de líneas de una entidad grande) muestra la mitad de mayor
    ejecución y la mitad de menor, y el título lo dice; todas están en el cuadro.
    """
    verde, amarillo = _umbral(umbrales, trimestre)
    propias, agregadas = _separar_agregados(tabla, etiqueta_col, incluir_total)
    total_propias = len(propias)
    if total_propias > max_barras:
        mitad = max_barras // 2
        orden_ejecucion = propias.assign(_v=a_numeros(propias["ejecucion_acumulada"])).sort_values(
            "_v", ascending=False, kind="stable", na_position="last")
        elegidas = pd.concat([orden_ejecucion.head(mitad), orden_ejecucion.tail(mitad)]).index
        propias = propias.loc[propias.index.isin(elegidas)]
        titulo = (f"{titulo or f'Ejecución financiera acumulada y semáforo (T{trimestre})'}\n"
                  f"las {formatear_numero(mitad, 0)} filas de mayor y de menor ejecución, de "
                  f"{formatear_numero(total_propias, 0)}")
    filas = pd.concat([propias, agregadas])
    if etiqueta_col == "categoria_programatica":
        etiquetas = _etiquetas_categoria(filas)
    else:
        etiquetas = filas[etiqueta_col].astype(str).tolist()
    datos = pd.DataFrame(
        {
            "etiqueta": etiquetas,
            "valor": a_numeros(filas["ejecucion_acumulada"]),
            "semaforo": _semaforo(filas).to_numpy(),
        }
    )
    orden = _con_hueco(etiquetas[: len(propias)], etiquetas[len(propias) :])
    with tema():
        fig, ejes = figura(alto_barras(len(datos), por_fila=0.24, minimo=2.6))
        ax = ejes[0, 0]
        barras(ax, datos, "etiqueta", orden, True, PALETA_SEMAFORO, "semaforo", width=0.65)
        _tramar_semaforo(ax)
        eje_porcentaje(ax, list(datos["valor"]) + [verde], eje="x", holgura=0.18)
        for umbral, nombre in ((verde, "verde"), (amarillo, "amarillo")):
            ax.axvline(umbral, color=COLORES_SEMAFORO[nombre], lw=1.2, ls="--")
        ax.set_xlabel(f"Ejecución financiera acumulada al T{trimestre}")
        ax.set_title(titulo or f"Ejecución financiera acumulada y semáforo (T{trimestre})")
        fig.legend(
            handles=_leyenda_semaforo(verde, amarillo),
            loc="outside lower center",
            ncol=3,
            frameon=False,
        )
    return terminar(fig)


# ---------------------------------------------------------------------------------------
# Dispersión físico-financiera con las bandas del semáforo
# ---------------------------------------------------------------------------------------


def _rotular_sin_solapar(ax, xs, ys, textos, tam=TAM_ETIQUETA) -> None:
    """Rotula cada punto con su texto buscando, en un orden fijo, una posición que no
    tape otro rótulo ni otro punto; si se aleja del punto, dibuja una línea guía."""
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = renderizador(fig)
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
            solape = sum(se_solapan(caja, o) for o in ocupadas) + (10 if fuera else 0)
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
    """Eficacia (eje y) frente a la ejecución financiera acumulada (eje x): el mismo par
    que la brecha (eficacia − ejecución), cuyo cero es la diagonal punteada (sobre ella, las
    metas avanzan más que el gasto). Las bandas del semáforo del trimestre van sombreadas
    sobre el eje x (rojo por debajo del umbral amarillo, amarillo hasta el verde, verde
    desde el verde). Cada punto va del color de su semáforo y lleva su código; el TOTAL (y
    los subtotales por servicio) van con un marcador mayor, en rombo. Las filas sin valor
    se nombran al pie."""
    verde, amarillo = _umbral(umbrales, trimestre)
    col_y = columna_del_periodo("eficacia", periodo)
    col_x = "ejecucion_acumulada"
    propias, agregadas = _separar_agregados(tabla, etiqueta_col, incluir_total)
    filas = pd.concat([propias, agregadas])
    nombre_propia = _NOMBRE_ETIQUETA.get(etiqueta_col, etiqueta_col)
    nombre_agregada = "Subtotal / total"
    datos = pd.DataFrame(
        {
            "x": a_numeros(filas[col_x]),
            "y": a_numeros(filas[col_y]),
            "semaforo": _semaforo(filas).to_numpy(),
            "clase": [nombre_propia] * len(propias) + [nombre_agregada] * len(agregadas),
            "etiqueta": filas[etiqueta_col].astype(str).to_numpy(),
        }
    )
    validos = datos["x"].notna() & datos["y"].notna()
    puntos = datos[validos]
    x, y = puntos["x"].to_numpy(), puntos["y"].to_numpy()
    with tema():
        fig, ejes = figura(4.6)
        ax = ejes[0, 0]
        xmax = max(100.0, float(x.max()) * 1.05 if x.size else 100.0)
        xmin = min(0.0, float(x.min()) * 1.1 if x.size else 0.0)
        # La eficacia es parte del programa anual: al corte del trimestre T no pasa de 25 × T.
        ymax = max(25.0 * trimestre * 1.1, float(y.max()) * 1.1 if y.size else 0.0)
        for desde, hasta, color in (
            (xmin, amarillo, "rojo"),
            (amarillo, verde, "amarillo"),
            (verde, xmax, "verde"),
        ):
            ax.axvspan(desde, hasta, color=COLORES_SEMAFORO[color], alpha=0.16, lw=0, zorder=0)
        if not puntos.empty:
            sns.scatterplot(
                puntos,
                x="x",
                y="y",
                hue="semaforo",
                palette=PALETA_SEMAFORO,
                style="clase",
                markers={nombre_propia: "o", nombre_agregada: "D"},
                size="clase",
                sizes={nombre_propia: 24, nombre_agregada: 60},
                linewidth=0.5,
                legend=False,
                zorder=3,
                ax=ax,
            )
        ax.plot([0, min(xmax, ymax)], [0, min(xmax, ymax)], ls=":", lw=0.9,
                 color=COLOR_REFERENCIA, zorder=1)
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(0, ymax)
        for eje in (ax.xaxis, ax.yaxis):
            eje.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
            eje.set_major_formatter(FORMATO_PORCENTAJE)
        if xmin < 0:
            ax.axvline(0, color=COLOR_REFERENCIA, lw=0.8)
        ax.set_xlabel(f"Ejecución financiera acumulada al T{trimestre}")
        ax.set_ylabel(f"Eficacia {'acumulada' if periodo == 'acumulado' else 'del trimestre'}"
                      " (% del programa anual)")
        ax.set_title(titulo or f"Relación físico-financiera y semáforo (T{trimestre})")
        marcadores = [
            Line2D([], [], ls="", marker=m, ms=t, color=COLOR_PUNTO, label=nombre)
            for nombre, m, t in ((nombre_propia, "o", 5), (nombre_agregada, "D", 6))
            if nombre in set(puntos["clase"])
        ]
        faltan = datos.loc[~validos, "etiqueta"].tolist()
        # La nota de las filas sin valor va sobre la leyenda, al pie del gráfico.
        leyenda = fig.legend(
            handles=marcadores + _leyenda_semaforo(verde, amarillo),
            loc="outside lower center",
            ncol=3,
            frameon=False,
            title=_nota_sin_valor(faltan) if faltan else None,
            title_fontsize=6.5,
        )
        leyenda.get_title().set_color("#555555")
        _rotular_sin_solapar(ax, x, y, puntos["etiqueta"].tolist())
    return terminar(fig)
