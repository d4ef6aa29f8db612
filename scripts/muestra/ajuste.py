"""La programación y lo logrado de cada operación, ajustados a las metas de avance.

Entran las operaciones (de `estructura`: la programación natural de las fijas), las unidades,
las unidades publicadas, las metas de las misiones (de `metas`) y el generador de números al
azar; sale, escrito en cada operación, `prog` (las metas de las operaciones de ajuste) y
`ejec` de los doce meses, de modo que el avance de cada unidad y trimestre (metodología §2:
cumplimiento con tope 100 %, ponderado por tareas) quede en la ventana de su meta. Devuelve
las metas de todas las unidades y trimestres, para la verificación.
"""

from __future__ import annotations

import math

import numpy as np

from . import catalogo as cat
from .comun import TRIMESTRES, prog_trimestre
from .metas import (
    MEDIA_EXTERIOR,
    VENTANA,
    VENTANA_POR_EXCESO,
    metas_centrales,
    ventanas_centrales,
)
from .operaciones import (
    avance_ops,
    cumplimiento_alrededor,
    fijar_ejecucion,
    fijar_programacion,
    logro_con_excedente,
)

# Rangos de la meta trimestral de una operación libre, como factor de la habitual: primero
# cercanos; sólo si no hay solución, más amplios. Un intento por elemento.
RANGOS = [(0.75, 1.35)] * 200 + [(0.6, 1.6)] * 150 + [(0.4, 2.5)] * 100 + [(0.25, 4.0)] * 100
# Desde este intento, también queda libre la operación mensual de mayor meta.
INTENTO_CON_TERCERA = 8


def activa(o: dict, q: int) -> bool:
    return o["no_aplica"] is None and (
        o["ajuste"] or sum(o["prog"][m - 1] for m in TRIMESTRES[q]) > 0
    )


def candidatos(
    t: int, p_nat: int, r_pref: float, rmin: float, factor: tuple, max_p: int, medio_e: int
) -> tuple:
    """Pares (p, e) trimestrales posibles de una operación libre: metas p alrededor de la
    habitual y logros e <= p (cumplimiento >= rmin) cerca del preferido. Devuelve p, e y el
    aporte t·e/p."""
    lo = max(2, int(p_nat * factor[0]))
    hi = max(lo + 8, math.ceil(p_nat * factor[1]))
    metas = np.unique(np.round(np.linspace(lo, hi, min(hi - lo + 1, max_p))).astype(int))
    ps, es = [], []
    for p in metas:
        desde = max(math.ceil(rmin * p), round(r_pref * p) - medio_e)
        e = np.arange(max(0, desde), min(p, round(r_pref * p) + medio_e) + 1)
        ps.append(np.full(e.size, p))
        es.append(e)
    p = np.concatenate(ps)
    e = np.concatenate(es)
    return p, e, t * e / p


def buscar(rng, libres: list[dict], s_lo: float, s_hi: float, m: float, factor: tuple):
    """Busca (prog, ejec) trimestrales enteros de las operaciones libres (2 o 3) tales que
    Σ t·e/p (con e <= p) caiga en [s_lo, s_hi]. Se cruza la primera operación con todas las
    combinaciones de las demás (búsqueda binaria). Devuelve [(p, e), ...] o None."""
    t = [o["tareas"] for o in libres]
    nat = [3 * o["meta"] for o in libres]
    pref = [float(np.clip(m + rng.normal(0, 0.08), 0.05, 1.0)) for _ in libres[:-1]]
    ultimo = ((s_lo + s_hi) / 2 - sum(ti * ri for ti, ri in zip(t, pref))) / t[-1]
    pref.append(float(np.clip(ultimo, 0.0, 1.0)))
    rmin = max(0.0, min(pref) - 0.45)
    max_p, medio_e = (40, 60) if len(libres) == 2 else (12, 15)
    cand = [
        candidatos(ti, ni, ri, rmin, factor, max_p, medio_e) for ti, ni, ri in zip(t, nat, pref)
    ]
    # Combinaciones de las operaciones 2..K (índices en la tabla de cada una).
    indices = np.arange(cand[1][2].size)[:, None]
    valores = cand[1][2]
    for c in cand[2:]:
        n = valores.size
        indices = np.hstack(
            [np.repeat(indices, c[2].size, axis=0), np.tile(np.arange(c[2].size), n)[:, None]]
        )
        valores = np.repeat(valores, c[2].size) + np.tile(c[2], n)
    orden = np.argsort(valores, kind="stable")
    indices, valores = indices[orden], valores[orden]
    va = cand[0][2]
    ini = np.searchsorted(valores, s_lo - va, side="left")
    fin = np.searchsorted(valores, s_hi - va, side="right")
    cuenta = np.maximum(fin - ini, 0)
    if cuenta.sum() == 0:
        return None
    ia = np.repeat(np.arange(va.size), cuenta)
    offset = np.arange(cuenta.sum()) - np.repeat(np.cumsum(cuenta) - cuenta, cuenta)
    ib = np.repeat(ini, cuenta) + offset
    filas = [ia] + [indices[ib, j] for j in range(indices.shape[1])]
    puntaje = np.zeros(ia.size)
    for (p, e, _), fila, ri, ni in zip(cand, filas, pref, nat):
        puntaje += (e[fila] / p[fila] - ri) ** 2 + 3 * ((p[fila] - ni) / ni) ** 2
    k = int(np.argmin(puntaje))
    return [(int(p[fila[k]]), int(e[fila[k]])) for (p, e, _), fila in zip(cand, filas)]


# ----------------------------------------------------------------------------------------
# Una unidad en un trimestre
# ----------------------------------------------------------------------------------------
def ajustar_unidad_trimestre(
    rng, ops_unidad: list[dict], q: int, objetivo: float, ventana: tuple = VENTANA
) -> None:
    """Fija prog/ejec del trimestre q de las operaciones de una unidad para que su avance
    (ponderado por tareas) quede en [objetivo + ventana[0], objetivo + ventana[1]]
    (exactamente 100 si el objetivo es 100).

    Las dos operaciones de ajuste (mensuales) son libres: su meta y su logro del trimestre
    se buscan. Si con ellas no basta, también se libera la operación mensual con la mayor
    meta de las restantes. Las demás operaciones conservan su programación y su logro se
    sortea alrededor del objetivo."""
    activas = [o for o in ops_unidad if activa(o, q)]
    anular_inactivas(rng, ops_unidad, activas, q)
    if objetivo >= 100:
        cumplir_todas(rng, activas, q)
        return
    ajuste = [o for o in activas if o["ajuste"]]
    tercera = tercera_libre(activas)
    for intento, factor in enumerate(RANGOS):
        con_tercera = tercera is not None and intento >= INTENTO_CON_TERCERA
        libres = ajuste + ([tercera] if con_tercera else [])
        fijas = [o for o in activas if all(o is not x for x in libres)]
        logros, suma_fijas = sortear_logros(rng, fijas, q, objetivo)
        holgura = 0.35 + intento / len(RANGOS)
        hallado = buscar_libres(
            rng, activas, libres, suma_fijas, objetivo, ventana, holgura, factor
        )
        if hallado is not None:
            fijar_logros(rng, q, fijas, logros, libres, hallado)
            return
    raise RuntimeError(f"sin ajuste para {ops_unidad[0]['codigo_unidad']} T{q} -> {objetivo}")


def anular_inactivas(rng, ops_unidad: list[dict], activas: list[dict], q: int) -> None:
    """Las operaciones no activas no logran nada en el trimestre."""
    ids_activas = {id(o) for o in activas}
    for o in ops_unidad:
        if id(o) not in ids_activas:
            fijar_ejecucion(rng, o, q, 0)


def tercera_libre(activas: list[dict]) -> dict | None:
    """La operación mensual de mayor meta que no es de ajuste ni tiene un mes sin reporte:
    la que se libera si con las dos de ajuste no basta."""
    mensuales = [
        o
        for o in activas
        if not o["ajuste"] and o["periodicidad"] == "mensual" and o["mes_sin_reporte"] is None
    ]
    if not mensuales:
        return None
    return max(mensuales, key=lambda o: (o["meta"], o["codigo_operacion"]))


def cumplir_todas(rng, activas: list[dict], q: int) -> None:
    """Objetivo 100: cada operación activa cumple su meta (la de ajuste, sorteada)."""
    assert not any(o["mes_sin_reporte"] in TRIMESTRES[q] for o in activas), (
        "sin reporte y meta 100"
    )
    for o in activas:
        if o["ajuste"]:
            p = max(1, round(3 * o["meta"] * rng.uniform(0.85, 1.15)))
            fijar_programacion(rng, o, q, p)
        fijar_ejecucion(rng, o, q, logro_con_excedente(rng, prog_trimestre(o, q)))


def cumplimiento_sorteado(rng, o: dict, q: int, objetivo: float) -> float:
    """El cumplimiento (logro ÷ meta) de una operación fija, sorteado alrededor del objetivo;
    con un mes sin reporte, lo logrado sólo cubre los meses reportados."""
    if o["mes_sin_reporte"] in TRIMESTRES[q]:
        cubierto = 1 - o["prog"][o["mes_sin_reporte"] - 1] / prog_trimestre(o, q)
        return cubierto * float(rng.uniform(0.9, 1.0))
    return cumplimiento_alrededor(rng, objetivo)


def sortear_logros(rng, fijas: list[dict], q: int, objetivo: float) -> tuple[dict, float]:
    """Lo logrado en el trimestre por cada operación fija (id -> logro) y la suma de sus
    aportes al avance (tareas × cumplimiento con tope 1)."""
    logros = {}
    suma_fijas = 0.0
    for o in fijas:
        p = prog_trimestre(o, q)
        e = round(cumplimiento_sorteado(rng, o, q, objetivo) * p)
        logros[id(o)] = e
        suma_fijas += o["tareas"] * min(e / p, 1.0)
    return logros, suma_fijas


def buscar_libres(
    rng, activas, libres, suma_fijas: float, objetivo: float, ventana: tuple, holgura: float,
    factor: tuple,
):
    """Las metas y logros (p, e) de las operaciones libres con que el avance de la unidad
    cae en la ventana, o None si el cumplimiento medio que necesitan se aleja del objetivo
    más que `holgura` (o pasa de 0,997) o la búsqueda no halla solución."""
    total_t = sum(o["tareas"] for o in activas)
    s_lo = (objetivo + ventana[0]) * total_t / 100 - suma_fijas
    s_hi = min(objetivo + ventana[1], 99.99) * total_t / 100 - suma_fijas
    m = (s_lo + s_hi) / 2 / sum(o["tareas"] for o in libres)
    if not (max(0.1, objetivo / 100 - holgura) <= m <= 0.997):
        return None
    return buscar(rng, libres, s_lo, s_hi, m, factor)


def fijar_logros(rng, q: int, fijas, logros: dict, libres, hallado: list[tuple]) -> None:
    """Escribe lo logrado de las fijas y la meta y el logro de las libres; una operación que
    cumple su meta a veces la supera."""
    for o in fijas:
        e = logros[id(o)]
        p = prog_trimestre(o, q)
        fijar_ejecucion(rng, o, q, logro_con_excedente(rng, p) if e >= p else e)
    for o, (p, e) in zip(libres, hallado):
        fijar_programacion(rng, o, q, p)
        fijar_ejecucion(rng, o, q, logro_con_excedente(rng, p) if e >= p else e)


# ----------------------------------------------------------------------------------------
# Todas las unidades
# ----------------------------------------------------------------------------------------
def ajustar_operaciones(
    rng, ops: list[dict], unidades: list[dict], ref_unidades: list[dict], metas_ext: dict
) -> dict:
    """Ajusta cada unidad en cada trimestre y devuelve (unidad, trimestre) -> meta.

    Unidades centrales: T1 y T2 exactos (cifra publicada). Misiones: cerca de su meta
    (±0,3), cada una compensando lo que se desviaron las anteriores; la coordinación va al
    final y absorbe la diferencia, de modo que la media de las unidades exteriores sea
    exactamente la publicada. T3 y T4: ±0,5."""
    metas = metas_centrales(rng, ref_unidades)
    metas.update(metas_ext)
    por_unidad: dict = {}
    for o in ops:
        por_unidad.setdefault(o["codigo_unidad"], []).append(o)
    ventanas = ventanas_centrales(ref_unidades)
    coordinacion = [u for u in unidades if u["codigo_unidad"] == cat.COORDINACION]
    mision = [u for u in unidades if u["area"] == cat.AREA_EXTERIOR and u not in coordinacion]
    acumulado = {1: 0.0, 2: 0.0}  # desvío acumulado de las misiones respecto de sus metas
    for u in [u for u in unidades if u not in coordinacion] + coordinacion:
        cod = u["codigo_unidad"]
        for q in (1, 2, 3, 4):
            if q >= 3:
                ventana = (-0.5, 0.5)
            elif u["servicio"] == "Central":
                ventana = ventanas[(cod, q)]
            elif u in coordinacion:
                otras = [avance_ops(por_unidad[x["codigo_unidad"]], q) for x in mision]
                metas[(cod, q)] = MEDIA_EXTERIOR[q] * (len(otras) + 1) - sum(otras)
                ventana = VENTANA_POR_EXCESO
            else:
                # Cada misión compensa (hasta 0,3) lo que se desviaron las anteriores.
                centro = float(np.clip(-acumulado[q], -0.3, 0.3))
                ventana = (centro - 0.3, centro + 0.3)
            ajustar_unidad_trimestre(rng, por_unidad[cod], q, metas[(cod, q)], ventana)
            if u in mision and q <= 2:
                acumulado[q] += avance_ops(por_unidad[cod], q) - metas[(cod, q)]
    return metas
