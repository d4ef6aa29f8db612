"""Las recomendaciones del informe trimestral: las de la unidad de planificación (de los
parámetros y de la hoja narrativa) y las de las demás unidades, por área, cada una con su
código (la tabla `recomendaciones`, ``helpers.calculo.recomendaciones``).

Entra: el `Preparado` de la sección (``prep``). Sale: el título, el párrafo que las cuenta y
las recomendaciones en Markdown, transcritas tal como se registraron. Las reglas de
redacción, en ``helpers.redaccion.analisis``; el seguimiento de las anteriores, en
``helpers.redaccion.seguimiento``.
"""
from __future__ import annotations

from helpers.calculo.recomendaciones import PLANIFICACION, UNIDAD
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.redaccion import seguimiento
from helpers.redaccion.analisis import (
    contar,
    dice_unidad_de_planificacion,
    nombre_trimestre,
    nombre_unidad_planificacion,
    nombres_unidades,
    por_area,
)

__all__ = [
    "parrafo_recomendaciones",
    "recomendaciones_planificacion",
    "recomendaciones_unidades",
    "titulo_planificacion",
]

def recomendaciones_planificacion(prep) -> list[str]:
    """Las recomendaciones de la unidad de planificación, con su código: las de los
    parámetros y, si se nombra la unidad, las que ella registró en la hoja narrativa (vacío
    si no hay)."""
    nombre_unidad_planificacion(prep)  # un código inexistente es un error de entrada
    return [seguimiento.con_codigo(f.codigo, md(f.texto), f.repite)
            for f in seguimiento.de_origen(prep, PLANIFICACION).itertuples()]


def titulo_planificacion(prep, nivel: int = 2) -> str:
    """El título de las recomendaciones de la unidad de planificación, con su nombre si los
    parámetros la nombran: '## De la unidad de planificación: Dirección General de ...'."""
    nombre = nombre_unidad_planificacion(prep)
    if nombre and dice_unidad_de_planificacion(nombre):
        texto = f"De la {md(nombre)}"  # no «De la unidad de planificación: Unidad de ...»
    else:
        texto = "De la unidad de planificación" + (f": {md(nombre)}" if nombre else "")
    return f"{'#' * nivel} {texto}"


def recomendaciones_unidades(prep) -> list[str]:
    """Las recomendaciones de las demás unidades, con su código, por área, cada una con su
    unidad y su ACP."""
    recs = seguimiento.de_origen(prep, UNIDAD)
    nombres = nombres_unidades(prep)
    bloques = []
    for area, grupo in por_area(prep, recs):
        lineas = []
        for f in grupo.itertuples():
            acp = f"; ACP {md(f.codigo_acp)}" if str(f.codigo_acp).strip() else ""
            cuerpo = f"{md(f.texto)} ({md(nombres[f.codigo_unidad])}{acp})"
            lineas.append(f"- {seguimiento.con_codigo(f.codigo, cuerpo, f.repite)}")
        bloques.append(f"**Área:** {md(prep.nombre_area(area))}\n\n" + "\n".join(lineas))
    return bloques


def parrafo_recomendaciones(prep) -> str:
    """Cuántas recomendaciones hay y de quién; si no hay ninguna, lo dice."""
    planificacion = len(recomendaciones_planificacion(prep))
    unidades = seguimiento.de_origen(prep, UNIDAD)
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
        transcritas = ("transcrita tal como la registró" if len(unidades) == 1
                       else "transcritas tal como las registraron")
        partes.append(f"{formatear_entero(len(unidades))} de {quienes}, {transcritas} en la "
                      "hoja narrativa")
    total = planificacion + len(unidades)
    return (f"Se {'recoge' if total == 1 else 'recogen'} "
            f"{contar(total, 'recomendación', 'recomendaciones')} para el "
            f"{periodo}: " + " y ".join(partes) + ".")
