"""Lo logrado por cada operación de la muestra departamental, trimestre a trimestre.

Entran las operaciones con su programación de hoy (de `estructura` y `reformulacion`), las
unidades, el avance habitual de cada nivel del catálogo y el generador de números al azar;
sale, escrito en cada operación, `ejec` de los doce meses. Cada unidad tiene un desempeño
propio por trimestre (sorteado alrededor del de su nivel) y cada operación un cumplimiento
alrededor de ese desempeño (`muestra.operaciones.cumplimiento_alrededor`); lo logrado del
trimestre se reparte en sus meses programados (`muestra.operaciones.fijar_ejecucion`, que
también deja en blanco el mes sin reporte y pone lo ejecutado sin programación). Devuelve el
desempeño de cada unidad y trimestre, para la verificación.
"""

from __future__ import annotations

import numpy as np
from muestra.comun import TRIMESTRES, prog_trimestre
from muestra.operaciones import cumplimiento_alrededor, fijar_ejecucion, logro_con_excedente

from . import catalogo as cat


def sortear_desempeno(rng, unidades: list[dict]) -> dict[tuple[str, int], float]:
    """(unidad, trimestre) -> su avance objetivo (%): uno habitual por unidad, alrededor del
    de su nivel, que cada trimestre se aparta un poco; entre el mínimo del catálogo y 100."""
    desempeno = {}
    for u in unidades:
        media, desvio = cat.DESEMPENO[u["servicio"]]
        habitual = rng.normal(media, desvio)
        for q in TRIMESTRES:
            valor = habitual + rng.normal(0, cat.DESVIO_TRIMESTRAL)
            desempeno[(u["codigo_unidad"], q)] = float(np.clip(valor, cat.DESEMPENO_MINIMO, 100))
    return desempeno


def logro_del_trimestre(rng, o: dict, q: int, objetivo: float) -> int:
    """Lo logrado por la operación en el trimestre: nada si es NO APLICA o no tiene metas;
    si no, su cumplimiento sorteado por la meta de los meses reportados (a veces más de lo
    programado, si la cumple)."""
    p = prog_trimestre(o, q)
    if o["no_aplica"] or p == 0:
        return 0
    reportado = p
    if o["mes_sin_reporte"] in TRIMESTRES[q]:
        reportado -= o["prog"][o["mes_sin_reporte"] - 1]
    e = round(cumplimiento_alrededor(rng, objetivo) * reportado)
    return logro_con_excedente(rng, p) if e >= p else e


def registrar_logros(rng, ops: list[dict], unidades: list[dict]) -> dict:
    """Escribe `ejec` de cada operación y devuelve el desempeño sorteado de cada unidad."""
    desempeno = sortear_desempeno(rng, unidades)
    for o in ops:
        for q in TRIMESTRES:
            e = logro_del_trimestre(rng, o, q, desempeno[(o["codigo_unidad"], q)])
            fijar_ejecucion(rng, o, q, e)
    return desempeno
