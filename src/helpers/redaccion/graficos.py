"""El estilo de los gráficos del informe y las piezas con que se dibujan: una paleta, ejes
de porcentaje desde 0 y un solo eje por panel.

Entra: nada (constantes y funciones). Sale: la paleta de los gráficos (`COLOR_FISICO`,
`COLOR_FINANCIERO`, `COLORES_SEMAFORO`, `COLORES_CALIFICACION`...), el tema (`estilo` para
el cuaderno, `tema` para cada figura), la figura del ancho de la página (`figura`) y su
cierre (`terminar`), y las piezas que comparten los gráficos: ejes de porcentaje y de montos,
barras y líneas de seaborn rotuladas, leyendas y nombres de columnas por periodo.

Los gráficos están en tres módulos, según lo que muestran, y todos usan estas piezas:

- `graficos_corte`: las cifras de un corte por ACP, área, unidad o categoría (físico y
  financiero lado a lado, la ejecución con su semáforo, la dispersión físico-financiera);
- `graficos_unidades`: el avance de las unidades de un área y el de un grupo de áreas por tipo;
- `graficos_evolucion`: lo que cambia en el tiempo (devengado y ejecución por mes, tendencia
  por gestión o por trimestre).

Cada gráfico recibe una tabla de `helpers.calculo.tablas.calcular_tablas` y devuelve una
`matplotlib.figure.Figure` de unas 7 pulgadas de ancho (el ancho útil de una página A4),
con 200 ppp al guardarla. No muestra nada: el cuaderno la presenta al devolverla como
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
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from functools import partial

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers.comun import tipografia
from helpers.comun.calendario import MESES_CORTO
from helpers.comun.numeros import formatear_numero, formatear_porcentaje
from helpers.redaccion import graficos_guardados, paleta
from helpers.redaccion.seaborn_propio import sns

__all__ = [
    "ANCHO",
    "COLORES_CALIFICACION",
    "COLORES_SEMAFORO",
    "COLORES_SERIES",
    "COLOR_FINANCIERO",
    "COLOR_FISICO",
    "COLOR_PUNTO",
    "COLOR_REFERENCIA",
    "COLOR_SIN_VALOR",
    "COLOR_TRAMA",
    "DPI",
    "FORMATO_PORCENTAJE",
    "HUECO",
    "LARGO_ROTULO",
    "MESES_CORTOS",
    "PALETA_SEMAFORO",
    "PERIODOS",
    "SIN_VALOR",
    "TAM_ETIQUETA",
    "TEXTO_PERIODO",
    "TOTAL",
    "TRAMA_SEMAFORO",
    "a_numeros",
    "acortar",
    "alto_barras",
    "barras",
    "columna_del_periodo",
    "eje_porcentaje",
    "es_numero",
    "estilo",
    "figura",
    "formato_monto_eje",
    "leyenda_lineas",
    "lineas",
    "lineas_de_referencia",
    "marcas_hasta",
    "porcentaje_del_eje",
    "renderizador",
    "se_solapan",
    "tema",
    "terminar",
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
TAM_ETIQUETA = 6.5
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
    del proyecto (``tipografia``), letra pequeña y `DPI` ppp. Los gráficos aplican el mismo
    estilo a sus figuras (`tema`) aunque no se llame."""
    tipografia.usar_en_matplotlib()
    sns.set_theme(style="whitegrid", font=tipografia.FAMILIA_TEXTO, rc=_RC)
    # Con la caché del informe, una figura que ya se dibujó no se dibuja otra vez.
    graficos_guardados.activar()


@contextmanager
def tema():
    """El estilo del proyecto sólo mientras se dibuja una figura (no cambia el del cuaderno)."""
    tipografia.usar_en_matplotlib()
    with matplotlib.rc_context(_rc_tema()):
        yield


def figura(alto: float, filas: int = 1, columnas: int = 1, **kw) -> tuple[Figure, np.ndarray]:
    """Una figura del ancho de la página, de `alto` pulgadas, con `filas` × `columnas` ejes
    (siempre en una matriz) y el diseño «constrained» (nada se monta ni se corta)."""
    fig, ejes = plt.subplots(
        filas, columnas, figsize=(ANCHO, alto), dpi=DPI, layout="constrained", squeeze=False, **kw
    )
    return fig, ejes


def terminar(fig: Figure) -> Figure:
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
    renderer = renderizador(fig)
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


def renderizador(fig: Figure):
    """El renderer de la figura, para medir sus textos (con el lienzo Agg si no tiene)."""
    if not hasattr(fig.canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)
    return fig.canvas.get_renderer()


def se_solapan(a, b) -> bool:
    """Si dos cajas (`Bbox`) se montan una sobre otra (tocarse por el borde no cuenta)."""
    return not (a.x1 <= b.x0 or b.x1 <= a.x0 or a.y1 <= b.y0 or b.y1 <= a.y0)


# ---------------------------------------------------------------------------------------
# Formato de números y ejes
# ---------------------------------------------------------------------------------------


def es_numero(v) -> bool:
    """Si `v` es un valor (no None ni NaN)."""
    return v is not None and not (isinstance(v, float) and math.isnan(v)) and not pd.isna(v)


def porcentaje_del_eje(v, _pos=None) -> str:
    """Una marca de un eje de porcentaje: «20 %», «12,5 %», con los decimales que hagan falta."""
    decimales = 0 if abs(v - round(v)) < 1e-9 else (1 if abs(v * 10 - round(v * 10)) < 1e-6 else 2)
    return formatear_porcentaje(v, decimales)


FORMATO_PORCENTAJE = FuncFormatter(porcentaje_del_eje)


def monto_del_eje(v, _pos=None, *, divisor: float) -> str:
    """La marca `v` de un eje de montos divididos por `divisor`, sin decimales si es entera."""
    x = v / divisor
    decimales = 0 if abs(x - round(x)) < 1e-9 else (1 if divisor > 1 else 0)
    return formatear_numero(x, decimales)


def formato_monto_eje(divisor: float) -> FuncFormatter:
    """Las marcas de un eje de montos divididos por `divisor` (1 o un millón), sin decimales
    si son enteras. Una función del módulo, no una local: la figura se puede serializar y su
    imagen tomar de la caché (`graficos_guardados`)."""
    return FuncFormatter(partial(monto_del_eje, divisor=divisor))


def eje_porcentaje(
    ax,
    valores,
    eje: str = "y",
    minimo_superior: float = 0.0,
    holgura: float = 0.14,
    linea_cero: bool = True,
) -> None:
    """Eje de porcentaje desde 0 (o desde el mínimo si hay negativos), formato boliviano."""
    v = np.asarray([x for x in valores if es_numero(x)], dtype=float)
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


def marcas_hasta(ax, tope: float, eje: str = "x") -> None:
    """Quita las marcas de porcentaje por encima de `tope` (el eje se alarga para los
    rótulos, pero una marca de 120 % en un avance con tope de 100 % confunde)."""
    eje_obj = ax.xaxis if eje == "x" else ax.yaxis
    marcas = [t for t in eje_obj.get_majorticklocs() if t <= tope + 1e-9]
    eje_obj.set_major_locator(matplotlib.ticker.FixedLocator(marcas))


def a_numeros(serie: pd.Series) -> np.ndarray:
    """La columna como números (NaN lo que no lo es)."""
    return pd.to_numeric(serie, errors="coerce").to_numpy(dtype=float)


def alto_barras(n: int, por_fila: float = 0.26, base: float = 1.3, minimo: float = 2.4) -> float:
    """El alto (pulgadas) de un gráfico de `n` barras horizontales."""
    return max(minimo, base + por_fila * n)


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


def barras(
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
        _rotulo=[formato(v) if es_numero(v) else "—" for v in datos["valor"]],
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
            fontsize=TAM_ETIQUETA,
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
COLORES_SERIES = (COLOR_FISICO, COLOR_FINANCIERO)


def lineas(ax, tabla: pd.DataFrame, x: str, series: Mapping[str, str], **kw) -> list[Line2D]:
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
        palette=dict(zip(nombres, COLORES_SERIES)),
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


def leyenda_lineas(nombres: Sequence[str]) -> list[Line2D]:
    """Las entradas de leyenda de las dos series de `lineas` (física y financiera)."""
    return [
        Line2D([], [], color=color, marker=marca, ms=4, lw=1.4, label=nombre)
        for nombre, color, marca in zip(nombres, COLORES_SERIES, _MARCAS)
    ]


# ---------------------------------------------------------------------------------------
# Columnas por periodo
# ---------------------------------------------------------------------------------------

PERIODOS = ("trimestre", "acumulado")
TEXTO_PERIODO = {"trimestre": "del trimestre", "acumulado": "acumulada"}


def columna_del_periodo(indicador: str, periodo: str) -> str:
    """Nombre de columna de un indicador en un periodo (avance_fisico_acumulado,
    eficacia_acumulada, ejecucion_trimestre, calificacion_acumulada, ...)."""
    if periodo not in PERIODOS:
        raise ValueError(f"periodo debe ser 'trimestre' o 'acumulado', no {periodo!r}")
    if periodo == "trimestre":
        return f"{indicador}_trimestre"
    femenino = indicador in ("eficacia", "ejecucion", "eficiencia", "brecha", "calificacion")
    return f"{indicador}_{'acumulada' if femenino else 'acumulado'}"


# ---------------------------------------------------------------------------------------
# Rótulos
# ---------------------------------------------------------------------------------------


def acortar(texto: str, largo: int = LARGO_ROTULO) -> str:
    """`texto` de a lo sumo `largo` caracteres, cortado entre palabras con «…»."""
    texto = str(texto)
    if len(texto) <= largo:
        return texto
    corte = texto[: largo - 1].rsplit(" ", 1)[0].rstrip(" ,;:(-")
    return f"{corte}…"
