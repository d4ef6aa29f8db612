"""Las recomendaciones del informe trimestral: las de la unidad de planificación (de los
parámetros y de la hoja narrativa) y las de las demás unidades, por área.

Entra: el `Preparado` de la sección (``prep``: parámetros y hoja narrativa). Sale: el
título, el párrafo que las cuenta y las recomendaciones en Markdown, transcritas tal como se
registraron. Las reglas de redacción, en ``helpers.redaccion.analisis``.
"""
from __future__ import annotations

import pandas as pd

from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.redaccion.analisis import (
    bloques_por_area,
    contar,
    nombre_trimestre,
    nombre_unidad_planificacion,
)

__all__ = [
    "RECOMENDACION",
    "parrafo_recomendaciones",
    "recomendaciones_planificacion",
    "recomendaciones_unidades",
    "titulo_planificacion",
]

RECOMENDACION = "recomendacion"


def _recomendaciones(prep) -> pd.DataFrame:
    narr = prep.narrativa
    return narr[narr["tipo"] == RECOMENDACION]


def recomendaciones_planificacion(prep) -> list[str]:
    """Las recomendaciones de la unidad de planificación: las de los parámetros y, si se
    nombra la unidad, las que ella registró en la hoja narrativa (vacío si no hay)."""
    propias = [md(r) for r in prep.parametros.presentacion.recomendaciones]
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is not None:
        nombre_unidad_planificacion(prep)  # un código inexistente es un error de entrada
        recs = _recomendaciones(prep)
        propias += [md(t) for t in recs[recs["codigo_unidad"] == codigo]["texto"]]
    return propias


def titulo_planificacion(prep, nivel: int = 2) -> str:
    """El título de las recomendaciones de la unidad de planificación, con su nombre si los
    parámetros la nombran: '## De la unidad de planificación: Dirección General de ...'."""
    nombre = nombre_unidad_planificacion(prep)
    texto = "De la unidad de planificación" + (f": {md(nombre)}" if nombre else "")
    return f"{'#' * nivel} {texto}"


def recomendaciones_unidades(prep) -> list[str]:
    """Las recomendaciones de las demás unidades (sin la de planificación), por área, cada
    una con su unidad y su ACP."""
    recs = _recomendaciones(prep)
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is not None:
        recs = recs[recs["codigo_unidad"] != codigo]
    return bloques_por_area(prep, recs, con_acp=True)


def parrafo_recomendaciones(prep) -> str:
    """Cuántas recomendaciones hay y de quién; si no hay ninguna, lo dice."""
    planificacion = len(recomendaciones_planificacion(prep))
    recs = _recomendaciones(prep)
    codigo = prep.parametros.presentacion.unidad_planificacion
    unidades = recs[recs["codigo_unidad"] != codigo] if codigo is not None else recs
    periodo = nombre_trimestre(prep.trimestre)
    if not planificacion and unidades.empty:
        return (f"Ni la unidad de planificación ni las unidades organizacionales registraron "
                f"recomendaciones para el {periodo}.")
    partes = []
    if planificacion:
        partes.append(f"{formatear_entero(planificacion)} de la unidad de planificación")
    if len(unidades):
        quienes = contar(unidades["codigo_unidad"].nunique(), "unidad organizacional",
                         "unidades organizacionales")
        partes.append(f"{formatear_entero(len(unidades))} de {quienes}, transcritas tal como "
                      "las registraron en la hoja narrativa")
    total = planificacion + len(unidades)
    return (f"Se recogen {contar(total, 'recomendación', 'recomendaciones')} para el "
            f"{periodo}: " + " y ".join(partes) + ".")
