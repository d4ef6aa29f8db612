"""Lo que dicen las diapositivas de una audiencia de rendición de cuentas, en palabras
sencillas: las cifras clave, un gráfico y los compromisos (docs/rendicion-de-cuentas.md,
«Diapositivas para la audiencia»). Todo sale de las tablas del informe; cómo se dibujan en PDF
y PPTX, ``helpers.salida.diapositivas``.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

from helpers.calculo.tablas import TOTAL
from helpers.comun.numeros import formatear_entero, formatear_monto
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import analisis, graficos
from helpers.redaccion.control_social import PLURALES_COMPROMISO
from helpers.redaccion.paleta import COLOR_FINANCIERO, COLOR_FISICO

__all__ = ["Diapositiva", "diapositivas"]

# Las filas que caben en el cuadro de una diapositiva (textos de dos o tres renglones).
FILAS_POR_DIAPOSITIVA = 4
# Los caracteres de una celda que caben en una fila de tres renglones.
LARGO_CELDA = 150
# Los estados de los compromisos en el orden de la diapositiva: primero lo cumplido.
_ORDEN_ESTADOS = ("cumplido", "en curso", "pendiente")


@dataclass
class Diapositiva:
    titulo: str
    cifras: list[tuple[str, str]] = field(default_factory=list)  # (valor, qué es)
    puntos: list[str] = field(default_factory=list)
    grafico: bytes | None = None  # PNG
    tabla: list[list[str]] = field(default_factory=list)  # la primera fila, el encabezado


def _millones(monto: float) -> str:
    return f"Bs {formatear_monto(monto / 1e6)} millones"


def _grafico_barras(etiquetas: list[str], series: dict[str, list[float]], colores: list[str],
                    unidad: str) -> bytes:
    """Barras horizontales, una por etiqueta y serie, como PNG, con el estilo de los
    gráficos del informe (su fuente; un texto de los datos nunca es una fórmula)."""
    from matplotlib.figure import Figure

    with graficos.tema():
        figura = Figure(figsize=(10, 4.4), dpi=110)
        ejes = figura.subplots()
        ejes.tick_params(labelsize=13)
        alto = 0.8 / max(1, len(series))
        posiciones = range(len(etiquetas))
        for i, ((nombre, valores), color) in enumerate(zip(series.items(), colores,
                                                           strict=False)):
            ejes.barh([p + i * alto for p in posiciones], valores, height=alto, color=color,
                      label=nombre)
        ejes.set_yticks([p + alto * (len(series) - 1) / 2 for p in posiciones], etiquetas)
        ejes.invert_yaxis()
        ejes.set_xlabel(unidad, fontsize=13)
        ejes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            ejes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(series),
                        frameon=False, fontsize=13)
        figura.tight_layout()
        salida = io.BytesIO()
        figura.savefig(salida, format="png", dpi=110, metadata={"Software": None})
    return salida.getvalue()


def _portada(prep, titulo: str) -> Diapositiva:
    return Diapositiva(titulo=titulo, puntos=[prep.entidad, prep.periodo])


def _compromisos(prep) -> list[Diapositiva]:
    """Los compromisos, los que faltan cumplir primero, con cuántos hay en cada estado."""
    tabla = prep.tablas.get("compromisos")
    if tabla is None or tabla.empty:
        return []
    cuentas = tabla["estado"].value_counts()
    # Primero los que faltan cumplir: son los que la audiencia pide ver.
    tabla = tabla.sort_values("estado", key=lambda e: e == "cumplido", kind="stable")
    n = {e: int(cuentas.get(e, 0)) for e in _ORDEN_ESTADOS}
    partes = _por_partes(
        "Compromisos con el control social", ["Compromiso", "Estado"],
        [(c, f"{e} (vencido)" if v else e)
         for c, e, v in zip(tabla["compromiso"], tabla["estado"], tabla["vencido"])])
    # La primera lleva además cuántos hay en cada estado.
    partes[0].cifras = [(formatear_entero(n[e]), PLURALES_COMPROMISO[e][n[e] != 1])
                        for e in _ORDEN_ESTADOS]
    return partes


def _corto(texto: str) -> str:
    """Un texto de una celda de una diapositiva, recortado a `LARGO_CELDA` caracteres (el
    informe lo tiene entero)."""
    texto = " ".join(str(texto).split())
    if len(texto) <= LARGO_CELDA:
        return texto
    return texto[:LARGO_CELDA].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _por_partes(titulo: str, encabezado: list[str], filas: list) -> list[Diapositiva]:
    """Un cuadro largo en varias diapositivas de `FILAS_POR_DIAPOSITIVA` filas, cada texto
    recortado a lo que cabe."""
    partes = [filas[i:i + FILAS_POR_DIAPOSITIVA]
              for i in range(0, len(filas), FILAS_POR_DIAPOSITIVA)]
    return [Diapositiva(titulo=titulo + (f" ({i}/{len(partes)})" if len(partes) > 1 else ""),
                        tabla=[encabezado, *([_corto(c) for c in fila] for fila in parte)])
            for i, parte in enumerate(partes, start=1)]


def _inicial(prep) -> list[Diapositiva]:
    acp = prep.tablas["resultados_esperados"]
    total = acp[acp["codigo_acp"] == TOTAL].iloc[0]
    fuentes = prep.tablas["presupuesto_fuente"]
    detalle = fuentes[fuentes["fuente"] != TOTAL]
    grupo = prep.tablas["presupuesto_grupo"]
    por = grupo[grupo["grupo_gasto"] != TOTAL] if not grupo.empty else detalle
    clave = "grupo_gasto" if not grupo.empty else "fuente"
    resultados = acp[(acp["codigo_acp"] != TOTAL) & (acp["resultado_esperado"] != "")]
    return [
        _portada(prep, "Lo que haremos en la gestión"),
        Diapositiva(titulo="Lo que nos proponemos", cifras=[
            (formatear_entero(len(acp) - 1), "acciones de corto plazo"),
            (formatear_entero(int(total["operaciones"])), "operaciones"),
            (formatear_entero(int(total["unidades"])), "unidades que las llevan"),
            (_millones(float(total["inicial"])), "de presupuesto inicial")]),
        Diapositiva(
            titulo="Con qué presupuesto",
            cifras=[(pct(float(d["parte"])), str(d[clave])) for _, d in por.head(4).iterrows()],
            grafico=_grafico_barras(list(por[clave]), {"Millones de Bs": list(
                por["inicial"] / 1e6)}, [COLOR_FINANCIERO], "millones de Bs")),
        *_por_partes("Los resultados que esperamos", ["Acción", "Resultado"],
                     list(zip(resultados["descripcion"], resultados["resultado_esperado"]))),
        *_compromisos(prep),
    ]


def _final(prep) -> list[Diapositiva]:
    acp = prep.tablas["acp"]
    total = acp[acp["codigo_acp"] == TOTAL].iloc[0]
    areas = prep.tablas["area"]
    areas = areas[areas["nivel"] == "area"]
    nombres = [prep.sigla_area(a) for a in areas["area"]]
    puntos = []
    recs = prep.tablas.get("recomendaciones")
    if recs is not None and len(recs):
        repetidas = int((recs["repite"] != "").sum())
        puntos.append(f"{analisis.contar(len(recs), 'recomendación', 'recomendaciones')} "
                      "para mejorar" + (f"; {repetidas} repiten una anterior sin resolver"
                                        if repetidas else ""))
    return [
        _portada(prep, "Lo que hicimos en la gestión"),
        Diapositiva(titulo="La gestión en cifras", cifras=[
            (pct(float(total["avance_fisico_anual"])), "de avance físico"),
            (pct(float(total["eficacia_anual"])), "de eficacia"),
            (pct(float(total["ejecucion_anual"])), "del presupuesto ejecutado"),
            (_millones(float(total["devengado_anual"])), "gastados de "
             + _millones(float(total["vigente"])))], puntos=puntos),
        Diapositiva(
            titulo="Cómo avanzó cada área",
            grafico=_grafico_barras(nombres, {
                "Eficacia": list(areas["eficacia_anual"]),
                "Ejecución financiera": list(areas["ejecucion_anual"])},
                [COLOR_FISICO, COLOR_FINANCIERO], "%")),
        *filter(None, [_observaciones(prep)]),
        *_compromisos(prep),
    ]


def _observaciones(prep) -> Diapositiva | None:
    tabla = prep.tablas.get("control_social")
    if tabla is None or tabla.empty:
        return None
    return Diapositiva(
        titulo="Lo que nos dijo el control social",
        cifras=[(formatear_entero(len(tabla)), "observaciones"),
                (formatear_entero(tabla["organizacion"].nunique()), "organizaciones"),
                (formatear_entero(int((tabla["compromiso"] != "").sum())), "compromisos")],
        puntos=list(pd.unique(tabla["organizacion"]))[:FILAS_POR_DIAPOSITIVA])


def diapositivas(prep) -> list[Diapositiva]:
    """Las diapositivas de la audiencia del informe de `prep` (una rendición de cuentas)."""
    if prep.parametros.tipo.periodo == "inicio":
        return _inicial(prep)
    return _final(prep)
