"""Lo que dice la portada compartida en un informe de la gestión (la rendición de cuentas):
las cifras del año hasta el corte y las operaciones por evaluación. Las cifras salen de las
tablas de `helpers.calculo.anual`; la regla de la evaluación, de `rendicion.regla_evaluacion`."""
from __future__ import annotations

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion.textos import enumerar, total

# Las columnas de los recuentos de la evaluación anual, con su evaluación.
EVALUACIONES = {"operaciones_cumple": m.CUMPLE, "operaciones_no_cumple": m.NO_CUMPLE,
                "operaciones_no_aplica": m.NO_APLICA}


def indicadores_gestion(prep) -> pd.DataFrame:
    """Las cifras de portada: avance físico, eficacia, ejecución y eficiencia de la gestión
    hasta el corte, con la calificación y el semáforo, y las operaciones por evaluación."""
    t = total(prep)
    filas = [
        ("Avance físico", t["avance_fisico_anual"], t["calificacion_anual"] or ""),
        ("Eficacia (% del programa anual)", t["eficacia_anual"], ""),
        ("Ejecución financiera (% del vigente)", t["ejecucion_anual"],
         f"semáforo {t['semaforo']}" if t["semaforo"] else ""),
        ("Eficiencia (eficacia / ejecución)", t["eficiencia_anual"], ""),
    ]
    return pd.DataFrame(filas, columns=["indicador", "valor", "calificacion"])


def conteo_evaluacion(prep) -> pd.DataFrame:
    """Cuántas operaciones CUMPLE, NO CUMPLE y NO APLICA tiene la entidad, con su parte del
    total de operaciones (%)."""
    t = total(prep)
    cuantas = [int(t[c]) for c in EVALUACIONES]
    todas = sum(cuantas)
    return pd.DataFrame({
        "evaluacion": list(EVALUACIONES.values()),
        "operaciones": cuantas,
        "porcentaje": [m.porcentaje(c, todas) if todas else float("nan") for c in cuantas],
    })


def resumen_ejecutivo_gestion(prep) -> str:
    """El párrafo del resumen ejecutivo: avance físico, ejecución y evaluación de las
    operaciones de la gestión, hasta el corte."""
    t = total(prep)
    conteo = conteo_evaluacion(prep)
    evaluadas = [f"{formatear_entero(n)} {ev}" for ev, n in
                 zip(conteo["evaluacion"], conteo["operaciones"]) if n]
    total_ops = int(conteo["operaciones"].sum())
    calificacion = (f" (calificación {md(t['calificacion_anual'])})" if t["calificacion_anual"]
                    else "")
    semaforo = f" (semáforo {md(t['semaforo'])})" if t["semaforo"] else ""
    return " ".join([
        f"De {prep.acumulado}, el {md(prep.entidad)} ({md(prep.sigla)}) alcanzó un avance físico "
        f"de **{pct(t['avance_fisico_anual'])}**{calificacion} en la ejecución de su POA, y "
        f"ejecutó **{pct(t['ejecucion_anual'])}** de su presupuesto vigente{semaforo}.",
        f"De sus {formatear_entero(total_ops)} operaciones, la evaluación de la gestión da "
        f"{enumerar(evaluadas)}.",
    ])
