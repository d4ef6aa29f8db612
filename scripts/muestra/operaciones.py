"""Las operaciones de un libro de muestra: su programación, lo logrado y su fila en la hoja.

Lo comparten los generadores de las dos muestras, sin leer ningún catálogo: una operación es
un dict con `prog` y `ejec` por mes (`nueva_operacion`), la programación natural según su
periodicidad, el medio de verificación según su unidad de medida, el reparto de una meta o de
lo logrado en los meses de un trimestre (con un mes sin reporte o ejecutado sin
programación), el avance de una unidad (metodología §2) y la fila de la hoja operaciones.
"""

from __future__ import annotations

import numpy as np

from .comun import COLUMNAS, MESES, TRIMESTRES, codigo_operacion, prog_trimestre


# ----------------------------------------------------------------------------------------
# Programación
# ----------------------------------------------------------------------------------------
def meses_de(periodicidad) -> tuple:
    if periodicidad == "mensual":
        return tuple(MESES)
    if periodicidad == "trimestral":
        return (3, 6, 9, 12)
    if periodicidad == "semestral":
        return (6, 12)
    return tuple(periodicidad)


def programacion_natural(rng, periodicidad, meta: int) -> list[int]:
    """Metas mensuales de una operación fija (las de ajuste se fijan trimestre a trimestre)."""
    prog = [0] * 12
    for m in meses_de(periodicidad):
        if meta >= 3:
            prog[m - 1] = max(1, round(meta * rng.uniform(0.85, 1.15)))
        else:
            prog[m - 1] = meta
    return prog


def nueva_operacion(unidad, n, desc, indicador, medida, periodicidad, meta, ajuste, rng):
    return {
        "codigo_operacion": codigo_operacion(unidad["codigo_unidad"], n),
        "codigo_acp": unidad["acp"],
        "codigo_unidad": unidad["codigo_unidad"],
        "descripcion": desc,
        "indicador": indicador,
        "unidad_medida": medida,
        "tareas": 1,
        "medio_verificacion": "",
        "no_aplica": None,
        "periodicidad": periodicidad,
        "meta": meta,
        "ajuste": ajuste,
        "prog": programacion_natural(rng, periodicidad, meta) if not ajuste else [0] * 12,
        "ejec": [0] * 12,
        "mes_sin_reporte": None,
        "mes_sin_programacion": None,
    }


def medio_de_verificacion(medios: dict, por_defecto: str, unidad_medida: str, unidad: str,
                          n: int) -> str:
    """El medio de verificación según la unidad de medida: su plantilla en `medios` (o
    `por_defecto`) con `{u}` la unidad y `{n}` el número del informe."""
    plantilla = medios.get(unidad_medida, por_defecto)
    return plantilla.format(u=unidad, n=n)


def asignar_medios(rng, ops: list[dict], medios: dict, por_defecto: str) -> None:
    """El medio de verificación de cada operación, con números de informe crecientes en cada
    unidad."""
    contador: dict = {}
    for o in ops:
        u = o["codigo_unidad"]
        contador[u] = contador.get(u, 0) + int(rng.integers(3, 15))
        o["medio_verificacion"] = medio_de_verificacion(
            medios, por_defecto, o["unidad_medida"], u, contador[u]
        )


# ----------------------------------------------------------------------------------------
# Lo logrado
# ----------------------------------------------------------------------------------------
def logro_con_excedente(rng, p: int) -> int:
    """Lo logrado por una operación cumplida: a veces más de lo programado."""
    if rng.random() < 0.3:
        return p + max(1, round(p * rng.uniform(0.03, 0.2)))
    return p


def cumplimiento_alrededor(rng, objetivo: float) -> float:
    """El cumplimiento (logro ÷ meta, de 0 a 1) de una operación en una unidad cuyo avance
    objetivo es `objetivo` (%): cumplida, tanto más a menudo cuanto más alto el objetivo; si
    no, sorteado cerca del objetivo."""
    if objetivo > 97 or rng.random() < min(0.75, max(0.1, (objetivo - 45) / 60)):
        return 1.0
    o_rel = objetivo / 100
    return float(rng.uniform(max(0.0, o_rel - 0.35), min(1.0, o_rel + 0.12)))


def fijar_programacion(rng, o: dict, q: int, p: int) -> None:
    """Reparte la meta trimestral p de una operación mensual en sus tres meses."""
    meses = TRIMESTRES[q]
    partes = [p // 3] * 3
    for i in sorted(rng.choice(3, p % 3, replace=False).tolist()):
        partes[i] += 1
    for m, x in zip(meses, partes):
        o["prog"][m - 1] = x


def fijar_ejecucion(rng, o: dict, q: int, e: int) -> None:
    """Reparte lo logrado e en los meses programados del trimestre (resto mayor)."""
    meses = [m for m in TRIMESTRES[q] if o["prog"][m - 1] > 0 and m != o["mes_sin_reporte"]]
    for m in TRIMESTRES[q]:
        o["ejec"][m - 1] = 0
    if o["mes_sin_reporte"] in TRIMESTRES[q]:
        o["ejec"][o["mes_sin_reporte"] - 1] = None
    if o["mes_sin_programacion"] in TRIMESTRES[q]:
        o["ejec"][o["mes_sin_programacion"] - 1] = 1
    if e == 0 or not meses:
        return
    pesos = np.array([o["prog"][m - 1] for m in meses], dtype=float)
    pesos *= rng.uniform(0.8, 1.2, len(meses))
    cuota = e * pesos / pesos.sum()
    base = np.floor(cuota).astype(int)
    resto = e - int(base.sum())
    for i in np.argsort(-(cuota - base), kind="stable")[:resto]:
        base[i] += 1
    for m, x in zip(meses, base):
        o["ejec"][m - 1] = int(x)


def avance_ops(ops_unidad: list[dict], q: int) -> float:
    """Avance físico de una unidad en el trimestre q (metodología §2)."""
    suma = tareas = 0
    for o in ops_unidad:
        p = prog_trimestre(o, q)
        if o["no_aplica"] or p == 0:
            continue
        e = sum(o["ejec"][m - 1] or 0 for m in TRIMESTRES[q])
        suma += min(e / p, 1.0) * 100 * o["tareas"]
        tareas += o["tareas"]
    return suma / tareas


def avance_unidades(filas_ops: list[dict], meses: tuple) -> dict:
    """Unidad -> su avance físico en `meses` (metodología §2), sobre las filas de la hoja."""
    suma: dict = {}
    for f in filas_ops:
        if f["no_aplica"]:
            continue
        p = sum(f[f"prog_{m:02d}"] for m in meses)
        if p == 0:
            continue
        e = sum(f[f"ejec_{m:02d}"] or 0 for m in meses)
        c = min(e / p, 1.0) * 100
        acc = suma.setdefault(f["codigo_unidad"], [0.0, 0])
        acc[0] += c * f["tareas"]
        acc[1] += f["tareas"]
    return {u: s / t for u, (s, t) in suma.items()}


def filas_operaciones(ops: list[dict]) -> list[dict]:
    filas = []
    for o in ops:
        fila = {k: o[k] for k in COLUMNAS["operaciones"][:9]}
        fila.update({f"prog_{m:02d}": o["prog"][m - 1] for m in MESES})
        fila.update({f"ejec_{m:02d}": o["ejec"][m - 1] for m in MESES})
        filas.append(fila)
    return filas
