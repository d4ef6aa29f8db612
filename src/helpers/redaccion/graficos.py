"""Los gráficos del informe: una paleta, ejes de porcentaje desde 0 y un solo eje por panel.

Cada función recibe una tabla de `helpers.calculo.tablas.calcular_tablas` y devuelve una
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
  imagen;
- el texto de los datos (códigos, nombres de áreas, tipos) se dibuja tal cual: matplotlib no
  lee ``$...$`` como fórmula (``"text.parse_math": False`` en el tema y en cada texto de la
  figura terminada), así que ``a$b$c`` se ve así y un ``$`` suelto no impide dibujarla.

Las marcas de datos (barras, puntos, líneas) las dibujan las funciones de ejes de seaborn
sobre tablas largas (una fila por barra o punto), con la paleta pasada como diccionario;
las anotaciones (bandas, umbrales, rótulos de valor) son de matplotlib.

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
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers.comun import tipografia
from helpers.comun.calendario import MESES_CORTO
from helpers.comun.numeros import formatear_numero, formatear_porcentaje
from helpers.redaccion import paleta

__all__ = [
    "ANCHO",
    "COLORES_CALIFICACION",
    "COLORES_SEMAFORO",
    "COLOR_FINANCIERO",
    "COLOR_FISICO",
    "COLOR_SIN_VALOR",
    "DPI",
    "MESES_CORTOS",
    "acortar",
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
DPI = 200  # ≥ 200 ppp: se imprime nítido

# Los colores vienen de `helpers.redaccion.paleta` (la misma paleta que colorea las tablas).
COLOR_FISICO = paleta.COLOR_FISICO  # avance físico y eficacia, en todos los gráficos
COLOR_FINANCIERO = paleta.COLOR_FINANCIERO  # ejecución financiera y devengado
COLOR_PUNTO = "#333333"  # unidades individuales, marcadores de la leyenda
COLOR_REFERENCIA = "#555555"  # líneas de referencia (100 %, 0)
COLOR_TRAMA = "#3a3a3a"  # las líneas de la trama del semáforo
COLOR_SIN_VALOR = "#b8b8b8"  # sin valor en el periodo ("—")

COLORES_SEMAFORO: dict[str, str] = dict(paleta.COLOR_SEMAFORO)  # verde, amarillo, rojo
# Verdes para lo bueno, amarillo para lo intermedio, naranja y rojos para lo rezagado.
COLORES_CALIFICACION: dict[str, str] = dict(paleta.COLOR_CALIFICACION)
TRAMA_SEMAFORO: dict[str, str] = dict(paleta.TRAMA_SEMAFORO)

SIN_VALOR = "Sin valor"  # nivel del matiz de las filas sin semáforo o sin calificación
PALETA_SEMAFORO = {**COLORES_SEMAFORO, SIN_VALOR: COLOR_SIN_VALOR}

MESES_CORTOS = MESES_CORTO

TOTAL = "TOTAL"
HUECO = ""  # categoría vacía que separa las filas propias de los subtotales y el TOTAL

_TAM_TEXTO = 8
_TAM_ETIQUETA = 6.5
LARGO_ROTULO = 50  # caracteres del nombre de una unidad al rotular su barra

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": [tipografia.FAMILIA_TEXTO],
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
    "text.parse_math": False,  # "$x$" de los datos es texto, no una fórmula (mathtext)
}


def _rc_tema() -> dict:
    return {**sns.axes_style("whitegrid"), **_RC}


def estilo() -> None:
    """Fija el estilo del proyecto para el cuaderno: tema "whitegrid" de seaborn, la fuente
    del proyecto (``tipografia``), letra pequeña y 110 ppp. Las funciones de este módulo
    aplican el mismo estilo a sus figuras aunque no se llame."""
    tipografia.usar_en_matplotlib()
    sns.set_theme(style="whitegrid", font=tipografia.FAMILIA_TEXTO, rc=_RC)


@contextmanager
def _tema():
    tipografia.usar_en_matplotlib()
    with matplotlib.rc_context(_rc_tema()):
        yield


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


def _figura(alto: float, filas: int = 1, columnas: int = 1, **kw) -> tuple[Figure, np.ndarray]:
    fig, ejes = plt.subplots(
        filas, columnas, figsize=(ANCHO, alto), dpi=DPI, layout="constrained", squeeze=False, **kw
    )
    return fig, ejes


def _terminar(fig: Figure) -> Figure:
    """Deja todo texto de la figura como texto literal (también el que se creó fuera del
    tema), aparta los rótulos de valor de las líneas de referencia, quita la figura del
    registro de pyplot (sin tocar las demás) y la devuelve."""
    for texto in fig.findobj(Text):
        texto.set_parse_math(False)
    _rotulos_tras_las_lineas(fig)
    plt.close(fig)
    return fig


def lineas_de_referencia(ax) -> list[tuple[str, float]]:
    """Las rectas de referencia del eje (las de `axvline` y `axhline`: 100 %, umbrales del
    semáforo), como ("v", x) o ("h", y) en coordenadas de los datos."""
    rectas = []
    for linea in ax.lines:
        x, y = np.asarray(linea.get_xdata(), float), np.asarray(linea.get_ydata(), float)
        if len(x) != 2:
            continue
        if x[0] == x[1] and list(y) == [0.0, 1.0]:
            rectas.append(("v", float(x[0])))
        elif y[0] == y[1] and list(x) == [0.0, 1.0]:
            rectas.append(("h", float(y[0])))
    return rectas


def _rotulos_tras_las_lineas(fig: Figure) -> None:
    """Un rótulo de valor de una barra que cruzaría una línea de referencia se corre hasta
    esa línea (con la misma separación que tenía de la barra): queda justo después, sin
    taparla. Las líneas se recorren de menor a mayor, por si después cruza la siguiente."""
    ejes = [ax for ax in fig.axes if lineas_de_referencia(ax)
            and any(isinstance(t, Annotation) for t in ax.texts)]
    if not ejes:
        return
    fig.draw_without_rendering()
    renderer = _renderer(fig)
    for ax in ejes:
        rectas = sorted(lineas_de_referencia(ax), key=lambda r: r[1])
        for rotulo in (t for t in ax.texts if isinstance(t, Annotation) and t.get_text()):
            for orientacion, valor in rectas:
                caja = rotulo.get_window_extent(renderer)
                x, y = rotulo.xy
                if orientacion == "v":
                    px = ax.transData.transform((valor, 0))[0]
                    if caja.x0 < px < caja.x1 and x < valor:
                        rotulo.xy = (valor, y)
                else:
                    py = ax.transData.transform((0, valor))[1]
                    if caja.y0 < py < caja.y1 and y < valor:
                        rotulo.xy = (x, valor)


# ---------------------------------------------------------------------------------------
# Formato de números y ejes
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


def _ticks_hasta(ax, tope: float, eje: str = "x") -> None:
    """Quita las marcas de porcentaje por encima de `tope` (el eje se alarga para los
    rótulos, pero una marca de 120 % en un avance con tope de 100 % confunde)."""
    eje_obj = ax.xaxis if eje == "x" else ax.yaxis
    marcas = [t for t in eje_obj.get_majorticklocs() if t <= tope + 1e-9]
    eje_obj.set_major_locator(matplotlib.ticker.FixedLocator(marcas))


def _valores(serie: pd.Series) -> np.ndarray:
    return pd.to_numeric(serie, errors="coerce").to_numpy(dtype=float)


def _alto_barras(n: int, por_fila: float = 0.26, base: float = 1.3, minimo: float = 2.4) -> float:
    return max(minimo, base + por_fila * n)


def _parches(colores: Mapping[str, str]) -> list[Patch]:
    """Entradas de leyenda (nombre → color) para barras y bandas."""
    return [Patch(color=color, label=nombre) for nombre, color in colores.items()]


# ---------------------------------------------------------------------------------------
# Barras y líneas con seaborn
# ---------------------------------------------------------------------------------------

# Fondo blanco bajo los rótulos: una línea de referencia no los tacha.
_FONDO_ROTULO = {
    "boxstyle": "square,pad=0.1",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.8,
}


def _con_hueco(propias: Sequence[str], agregadas: Sequence[str]) -> list[str]:
    """Orden de las categorías: las filas propias, un hueco y los agregados."""
    propias, agregadas = list(propias), list(agregadas)
    return propias + [HUECO] + agregadas if propias and agregadas else propias + agregadas


def _barras(
    ax,
    datos: pd.DataFrame,
    categoria: str,
    orden: Sequence[str],
    horizontal: bool,
    colores: Mapping[str, str] | None = None,
    matiz: str | None = None,
    formato=formatear_porcentaje,
    girar: bool = False,
    **kw,
) -> None:
    """Una barra de seaborn por fila de `datos` (columna `valor`) en la posición de su
    `categoria` dentro de `orden`, del color de su `matiz` en `colores` (o de `color=`),
    rotulada con su valor; una fila sin valor da una barra de alto 0 rotulada "—".
    `dodge=True` pone las series del matiz lado a lado."""
    datos = datos.assign(
        _alto=pd.to_numeric(datos["valor"], errors="coerce").fillna(0.0),
        _posicion=datos[categoria].map({c: i for i, c in enumerate(orden)}),
        _rotulo=[formato(v) if _es_numero(v) else "—" for v in datos["valor"]],
    )
    niveles = [n for n in colores if n in set(datos[matiz])] if matiz else [None]
    antes = len(ax.containers)
    sns.barplot(
        datos,
        x="_alto" if horizontal else categoria,
        y=categoria if horizontal else "_alto",
        order=list(orden),
        hue=matiz,
        hue_order=niveles if matiz else None,
        palette=dict(colores) if matiz else None,
        orient="y" if horizontal else "x",
        dodge=kw.pop("dodge", False),
        errorbar=None,
        saturation=1,
        legend=False,
        ax=ax,
        **kw,
    )
    ax.set(xlabel="", ylabel="")
    # Seaborn deja un contenedor por nivel del matiz, con sus barras en el orden del eje.
    contenedores = [c for c in ax.containers[antes:] if isinstance(c, BarContainer)]
    for nivel, barras in zip(niveles, contenedores):
        del_nivel = datos if nivel is None else datos[datos[matiz] == nivel]
        ax.bar_label(
            barras,
            labels=del_nivel.sort_values("_posicion", kind="stable")["_rotulo"].tolist(),
            padding=2,
            fontsize=_TAM_ETIQUETA,
            rotation=90 if girar else 0,
            color="#222222",
            bbox=_FONDO_ROTULO,
        )
    if HUECO in orden:
        (ax.axhline if horizontal else ax.axvline)(
            list(orden).index(HUECO), color=COLOR_REFERENCIA, lw=0.6, ls=":"
        )


# Las dos series de las líneas: la física (eficacia o avance) y la financiera.
_MARCAS = ("o", "s")
_COLORES_SERIES = (COLOR_FISICO, COLOR_FINANCIERO)


def _lineas(ax, tabla: pd.DataFrame, x: str, series: Mapping[str, str], **kw) -> list[Line2D]:
    """Una línea de seaborn por serie (`series`: columna → nombre; la primera física, la
    segunda financiera), con su color y su marcador. Devuelve las líneas dibujadas."""
    nombres = list(series.values())
    marcas = kw.pop("marcas", True)
    largo = tabla.melt(id_vars=x, value_vars=list(series), var_name="serie", value_name="valor")
    largo["serie"] = largo["serie"].map(series)
    largo["valor"] = pd.to_numeric(largo["valor"], errors="coerce")
    antes = len(ax.lines)
    sns.lineplot(
        largo,
        x=x,
        y="valor",
        hue="serie",
        hue_order=nombres,
        palette=dict(zip(nombres, _COLORES_SERIES)),
        style="serie",
        style_order=nombres,
        markers=dict(zip(nombres, _MARCAS)) if marcas else False,
        dashes=False,
        estimator=None,
        legend=False,
        ax=ax,
        **{"markersize": 3.5, "markeredgewidth": 0, "linewidth": 1.4, **kw},
    )
    ax.set(xlabel="", ylabel="")
    return ax.lines[antes:]


def _leyenda_lineas(nombres: Sequence[str]) -> list[Line2D]:
    return [
        Line2D([], [], color=color, marker=marca, ms=4, lw=1.4, label=nombre)
        for nombre, color, marca in zip(nombres, _COLORES_SERIES, _MARCAS)
    ]


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
    col_e = _col("ejecucion", periodo)
    propias, agregadas = _separar_agregados(tabla, etiqueta_col, incluir_total)
    if ordenar:
        propias = propias.sort_values(col_f, ascending=False, kind="stable", na_position="last")
    filas = pd.concat([propias, agregadas])
    orden = _con_hueco(propias[etiqueta_col].astype(str), agregadas[etiqueta_col].astype(str))
    if texto_periodo is None:
        # El participio concuerda con la serie: «Avance físico acumulado», «Eficacia acumulada».
        acumulado = fisico == "avance" and periodo == "acumulado"
        texto_f = "acumulado" if acumulado else _TEXTO_PERIODO[periodo]
        texto_e = _TEXTO_PERIODO[periodo]
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
        titulo = f"{_NOMBRE_FISICO[fisico]} y ejecución financiera ({_TEXTO_PERIODO[periodo]})"
    horizontal = len(filas) > 12
    girar = not horizontal and len(filas) > 5
    with _tema():
        fig, ejes = _figura(_alto_barras(len(filas), por_fila=0.32) if horizontal else 3.4)
        ax = ejes[0, 0]
        _barras(
            ax, largo, etiqueta_col, orden, horizontal, colores, "serie", girar=girar, dodge=True
        )
        eje = "x" if horizontal else "y"
        holgura = 0.22 if horizontal else (0.30 if girar else 0.15)
        _eje_porcentaje(ax, largo["valor"], eje=eje, holgura=holgura)
        (ax.set_xlabel if horizontal else ax.set_ylabel)("Porcentaje")
        if not horizontal and max(map(len, orden), default=0) > 6:
            ax.set_xticks(range(len(orden)), orden, rotation=30, ha="right")
        ax.set_title(titulo)
        fig.legend(handles=_parches(colores), loc="outside lower center", ncol=2, frameon=False)
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
        orden_ejecucion = propias.assign(_v=_valores(propias["ejecucion_acumulada"])).sort_values(
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
            "valor": _valores(filas["ejecucion_acumulada"]),
            "semaforo": _semaforo(filas).to_numpy(),
        }
    )
    orden = _con_hueco(etiquetas[: len(propias)], etiquetas[len(propias) :])
    with _tema():
        fig, ejes = _figura(_alto_barras(len(datos), por_fila=0.24, minimo=2.6))
        ax = ejes[0, 0]
        _barras(ax, datos, "etiqueta", orden, True, PALETA_SEMAFORO, "semaforo", width=0.65)
        _tramar_semaforo(ax)
        _eje_porcentaje(ax, list(datos["valor"]) + [verde], eje="x", holgura=0.18)
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
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 3. Avance físico de las unidades de un área
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


def acortar(texto: str, largo: int = LARGO_ROTULO) -> str:
    """`texto` de a lo sumo `largo` caracteres, cortado entre palabras con «…»."""
    texto = str(texto)
    if len(texto) <= largo:
        return texto
    corte = texto[: largo - 1].rsplit(" ", 1)[0].rstrip(" ,;:(-")
    return f"{corte}…"


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
    Un gráfico por cada `max_filas` unidades a lo sumo (las 85 del servicio exterior: tres
    de 29), repartidas en partes iguales y con «(parte i de k)» en el título: cada uno cabe
    en una página con los nombres legibles.

    Un área con más unidades de las que caben en `max_partes` gráficos (las de una entidad
    grande: miles) no se dibuja unidad por unidad, que nadie leería: un gráfico muestra las
    `max_filas // 2` de mayor avance y las de menor avance (con un valor), y otro la
    distribución de todas (`distribucion_avance`). Cada unidad está en el cuadro del área."""
    col_a = _col("avance_fisico", periodo)
    col_c = _col("calificacion", periodo)
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
            "valor": _valores(filas[col_a]),
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
    nombre_x = f"Avance físico {_TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}"
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
        with _tema():
            fig, ejes = _figura(_alto_barras(len(trozo), por_fila=0.2, minimo=2.2))
            ax = ejes[0, 0]
            _barras(ax, trozo, "codigo", trozo["codigo"], True, colores, "calificacion", width=0.7)
            # Las barras se ubican por código (único); se leen por su rótulo.
            ax.set_yticks(range(len(trozo)), trozo["rotulo"].tolist())
            ax.axvline(100, color=COLOR_REFERENCIA, lw=0.9, ls="--", zorder=1)
            # La misma escala en todas las partes: se comparan a simple vista.
            _eje_porcentaje(ax, np.array([tope]), eje="x", minimo_superior=118.0, holgura=0.18)
            _ticks_hasta(ax, tope)
            ax.set_xlabel(nombre_x)
            ax.set_title(titulo_trozo)
            leyenda = _leyenda_calificacion(trozo["calificacion"])
            if trozo["valor"].isna().any():
                leyenda.append(Patch(color=COLOR_SIN_VALOR, label="Sin programación (—)"))
            if leyenda:
                fig.legend(handles=leyenda, title="Calificación", loc="outside lower center",
                           ncol=len(leyenda), frameon=False)
        figuras.append(_terminar(fig))
    if distribucion is not None:
        figuras.append(distribucion)
    return figuras


def distribucion_avance(valores: pd.Series, calificaciones: pd.Series, colores: Mapping,
                        titulo: str, nombre_x: str, ancho: float = 10.0) -> Figure:
    """Cuántas unidades hay en cada tramo de `ancho` puntos de avance físico (0-10 %,
    10-20 %...), apiladas por calificación: la forma de un área de miles de unidades en un
    solo gráfico. Las que no tienen valor (sin programación) se cuentan en el título."""
    datos = pd.DataFrame({"valor": _valores(valores), "calificacion": list(calificaciones)})
    sin_valor = int(datos["valor"].isna().sum())
    datos = datos.dropna(subset=["valor"])
    tope = max(100.0, float(datos["valor"].max()) if len(datos) else 100.0)
    bordes = np.arange(min(0.0, math.floor(datos["valor"].min() / ancho) * ancho
                           if len(datos) else 0.0), tope + ancho, ancho)
    presentes = [c for c in colores if c in set(datos["calificacion"])]
    with _tema():
        fig, ejes = _figura(3.4)
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
    return _terminar(fig)


# ---------------------------------------------------------------------------------------
# 4. Servicio exterior por tipo de representación
# ---------------------------------------------------------------------------------------


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
    filas = unidad[unidad["servicio"].astype(str) == servicio]
    if filas.empty:
        raise ValueError(f"no hay unidades del servicio {servicio!r}")
    datos = pd.DataFrame(
        {
            "tipo": filas["tipo"].fillna("").astype(str).str.strip().replace("", "Sin tipo"),
            "avance": _valores(filas[col_a]),
        }
    )
    resumen = (
        datos.groupby("tipo", sort=False)["avance"]
        .agg(promedio="mean", total="size")
        .sort_values("promedio", ascending=False, kind="stable", na_position="last")
    )
    tipos = resumen.index.tolist()
    comun = {"data": datos, "x": "avance", "y": "tipo", "order": tipos, "orient": "y"}
    with _tema():
        fig, ejes = _figura(max(2.4, 1.3 + 0.55 * len(tipos)))
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
        _eje_porcentaje(ax, datos["avance"], eje="x", minimo_superior=maximo * 1.34)
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
        ax.set_ylabel("")
        ax.set_xlabel(f"Avance físico {_TEXTO_PERIODO[periodo].replace('acumulada', 'acumulado')}")
        ax.set_title(titulo or "Servicio exterior: avance físico por tipo de representación")
        fig.legend(
            handles=[
                Line2D([], [], ls="", marker="o", ms=3.7, color=COLOR_PUNTO, label="Unidad"),
                Patch(color=COLOR_FISICO, alpha=0.35, label="Promedio del tipo"),
            ],
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
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
    datos = pd.DataFrame(
        {"mes": [MESES_CORTOS[m - 1] for m in meses], "valor": _valores(filas["devengado"])}
    )
    dev = datos["valor"].to_numpy()
    divisor, sufijo, eje = _escala_montos(dev)
    decimales = 2 if divisor > 1 else 0
    # Con más de seis meses el eje abarca el año; si no, hasta el último mes.
    orden = MESES_CORTOS[: 12 if len(meses) > 6 else meses.max(initial=1)]
    with _tema():
        fig, ejes = _figura(3.0)
        ax = ejes[0, 0]
        _barras(
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
        ax.yaxis.set_major_formatter(_formato_monto_eje(divisor))
        ax.set_xticks(meses - 1, datos["mes"])  # sólo los meses con dato
        ax.set_ylabel(f"Devengado ({eje})")
        nombre = "la entidad" if area in (None, TOTAL) else str(area)
        ax.set_title(titulo or f"Devengado mensual de {nombre}")
    return _terminar(fig)


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
    columnas = min(3, n)
    filas_n = math.ceil(n / columnas)
    todos = np.concatenate(
        [_valores(g[c]) for _, g in grupos for c in (indicador_fisico, "ejecucion")]
    )
    meses_todos = sorted(pd.unique(mensual["mes"].astype(int)))
    nombre_f = "Eficacia" if indicador_fisico == "eficacia" else "Avance físico"
    series = {indicador_fisico: nombre_f, "ejecucion": "Ejecución financiera"}
    with _tema():
        fig, ejes = _figura(1.0 + 1.9 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, (nombre, g) in enumerate(grupos):
            ax = ejes.flat[i]
            _lineas(ax, g.assign(mes=g["mes"].astype(int)), "mes", series, markersize=3)
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
        for j in range(n, filas_n * columnas):
            fig.delaxes(ejes.flat[j])
        _eje_porcentaje(ejes.flat[0], todos, eje="y", holgura=0.10, linea_cero=False)
        negativos = bool(np.isfinite(todos).any() and np.nanmin(todos) < 0)
        for ax in fig.axes:
            ax.yaxis.set_major_formatter(FORMATO_PORCENTAJE)
            if negativos:
                ax.axhline(0, color=COLOR_REFERENCIA, lw=0.8)
        fig.legend(
            handles=_leyenda_lineas(list(series.values())),
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
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
    """Eficacia (eje y) frente a la ejecución financiera acumulada (eje x): el mismo par
    que la brecha (eficacia − ejecución), cuyo cero es la diagonal punteada (sobre ella, las
    metas avanzan más que el gasto). Las bandas del semáforo del trimestre van sombreadas
    sobre el eje x (rojo por debajo del umbral amarillo, amarillo hasta el verde, verde
    desde el verde). Cada punto va del color de su semáforo y lleva su código; el TOTAL (y
    los subtotales por servicio) van con un marcador mayor, en rombo. Las filas sin valor
    se nombran al pie."""
    verde, amarillo = _umbral(umbrales, trimestre)
    col_y = _col("eficacia", periodo)
    col_x = "ejecucion_acumulada"
    propias, agregadas = _separar_agregados(tabla, etiqueta_col, incluir_total)
    filas = pd.concat([propias, agregadas])
    nombre_propia = _NOMBRE_ETIQUETA.get(etiqueta_col, etiqueta_col)
    nombre_agregada = "Subtotal / total"
    datos = pd.DataFrame(
        {
            "x": _valores(filas[col_x]),
            "y": _valores(filas[col_y]),
            "semaforo": _semaforo(filas).to_numpy(),
            "clase": [nombre_propia] * len(propias) + [nombre_agregada] * len(agregadas),
            "etiqueta": filas[etiqueta_col].astype(str).to_numpy(),
        }
    )
    validos = datos["x"].notna() & datos["y"].notna()
    puntos = datos[validos]
    x, y = puntos["x"].to_numpy(), puntos["y"].to_numpy()
    with _tema():
        fig, ejes = _figura(4.6)
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
    al T4, esa gestión se rotula "(al T2)", se une con línea discontinua y su punto va
    hueco: una gestión a medio ejecutar no se compara como si estuviera cerrada.
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
    series = {"avance_fisico": "Avance físico", "ejecucion": "Ejecución financiera"}
    with _tema():
        fig, ejes = _figura(1.2 + 2.0 * filas_n, filas_n, columnas, sharey=True, sharex=True)
        for i, area in enumerate(areas):
            ax = ejes.flat[i]
            g = tabla[tabla["area"] == area].sort_values(periodo_col, kind="stable")
            g = g.assign(**{periodo_col: g[periodo_col].astype(int)})
            if parcial and len(g) and g[periodo_col].iloc[-1] == periodos[-1]:
                if len(g) > 1:
                    _lineas(ax, g.iloc[:-1], periodo_col, series)
                discontinua = {"marcas": False, "linewidth": 1.2, "linestyle": "--"}
                _lineas(ax, g.iloc[-2:], periodo_col, series, **discontinua)
                hueco = {"markerfacecolor": "white", "markeredgewidth": 1}
                for linea in _lineas(ax, g.iloc[-1:], periodo_col, series, **hueco):
                    linea.set_markeredgecolor(linea.get_color())  # punto hueco
            else:
                _lineas(ax, g, periodo_col, series)
            # El último valor de cada serie: el mayor se rotula encima de su punto y el
            # menor debajo, para que los dos rótulos no se monten aunque estén cerca.
            ultimos = [_valores(g[col]) for col in series]
            finales = [v[np.isfinite(v)][-1] if np.isfinite(v).any() else np.nan for v in ultimos]
            fisico_arriba = not (finales[1] > finales[0])
            arriba, abajo = (0, 5), (0, -10)
            for (col, _nombre), color, desplazamiento in zip(
                series.items(), _COLORES_SERIES,
                (arriba, abajo) if fisico_arriba else (abajo, arriba),
            ):
                v = _valores(g[col])
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
        fig.legend(
            handles=_leyenda_lineas(list(series.values())),
            loc="outside lower center",
            ncol=2,
            frameon=False,
        )
        fig.suptitle(
            titulo
            or (
                "Evolución trimestral por área"
                if periodo_col == "trimestre"
                else "Avance físico y ejecución financiera por gestión"
            )
        )
    return _terminar(fig)
