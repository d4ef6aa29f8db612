"""Las unidades y las operaciones de la muestra departamental, todavía sin lo logrado.

Entran el catálogo y el generador de números al azar; salen las unidades (dicts con las
columnas de la hoja y, las departamentales, su departamento, ciudad y escala) y las
operaciones (dicts de `muestra.operaciones.nueva_operacion`: la programación natural de
cada una según su periodicidad, tareas, medio de verificación y las marcas de los casos
especiales). Las de la oficina nacional salen de operaciones.csv; las de cada unidad
departamental, de las plantillas de su tipo, con su ciudad y su departamento en el texto y,
las escalables, la meta multiplicada por la escala de su demanda. Lo logrado lo fija después
`logros`, y la reformulación cambia antes algunas metas (`reformulacion`).
"""

from __future__ import annotations

from muestra.comun import COLUMNAS, codigo_operacion
from muestra.operaciones import asignar_medios, nueva_operacion

from . import catalogo as cat


def construir_unidades() -> list[dict]:
    """Las unidades en el orden del catálogo: las columnas de la hoja y lo que usa el
    generador (ACP, nombre del departamento, ciudad, escala)."""
    return [dict(u) for u in cat.UNIDADES]


def filas_unidades(unidades: list[dict]) -> list[dict]:
    # departamento queda vacía: la unidad está en el de su área.
    return [{k: u.get(k) for k in COLUMNAS["unidades"]} for u in unidades]


def operaciones_de(u: dict) -> list[tuple]:
    """(codigo_acp, descripcion, indicador, unidad_medida, periodicidad, meta) de cada
    operación de la unidad."""
    if u["codigo_unidad"] in cat.OPERACIONES:
        return [(u["acp"], *op) for op in cat.OPERACIONES[u["codigo_unidad"]]]
    lugares = {"ciudad": u["ciudad"], "departamento": u["nombre_departamento"]}
    salida = []
    for acp, desc, indicador, medida, periodicidad, meta, escalable in cat.PLANTILLAS[u["tipo"]]:
        if escalable:
            meta = max(1, round(meta * u["escala"]))
        salida.append((acp, desc.format(**lugares), indicador, medida, periodicidad, meta))
    return salida


def construir_operaciones(rng, unidades: list[dict]) -> list[dict]:
    """Todas las operaciones, unidad por unidad, con su programación natural, sus tareas, su
    medio de verificación y los casos especiales marcados."""
    ops = []
    for u in unidades:
        for n, (acp, desc, ind, medida, per, meta) in enumerate(operaciones_de(u), start=1):
            ops.append(
                nueva_operacion({**u, "acp": acp}, n, desc, ind, medida, per, meta, False, rng)
            )
    for o in ops:
        o["tareas"] = int(rng.integers(cat.TAREAS[0], cat.TAREAS[1] + 1))
    asignar_medios(rng, ops, cat.MEDIOS, cat.MEDIO_POR_DEFECTO)
    marcar_casos_especiales(ops)
    return ops


def por_codigo(ops: list[dict]) -> dict[str, dict]:
    return {o["codigo_operacion"]: o for o in ops}


def marcar_casos_especiales(ops: list[dict]) -> None:
    """NO APLICA (con su justificación), un mes sin reporte y un mes ejecutado sin
    programación, en las operaciones que nombra el catálogo."""
    operacion = por_codigo(ops)
    for unidad, n, justificacion in cat.NO_APLICA:
        operacion[codigo_operacion(unidad, n)]["no_aplica"] = justificacion
    for unidad, n, mes in cat.SIN_REPORTE:
        o = operacion[codigo_operacion(unidad, n)]
        assert o["prog"][mes - 1] > 0, (unidad, n, mes)
        o["mes_sin_reporte"] = mes
    for unidad, n, mes in cat.SIN_PROGRAMACION:
        o = operacion[codigo_operacion(unidad, n)]
        assert o["prog"][mes - 1] == 0, (unidad, n, mes)
        o["mes_sin_programacion"] = mes
