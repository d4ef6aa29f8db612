"""Las unidades y las operaciones del libro de muestra, todavía sin lo logrado.

Entran las unidades publicadas (`mre-2024-unidades.csv`: área y ACP de cada unidad central),
el catálogo y el generador de números al azar; salen las unidades (dicts con las columnas de
la hoja y, las misiones, sus lugares y cuántas operaciones fijas tienen) y las operaciones
(dicts con la programación natural de las fijas, `prog` y `ejec` por mes, y las marcas de los
casos especiales), con tareas y medio de verificación. Las metas de las operaciones de ajuste
y todo lo logrado los fija después `ajuste`.
"""

from __future__ import annotations

import numpy as np

from . import catalogo as cat
from .comun import codigo_operacion
from .operaciones import asignar_medios, nueva_operacion


# ----------------------------------------------------------------------------------------
# Unidades
# ----------------------------------------------------------------------------------------
def construir_unidades(ref_unidades: list[dict]) -> list[dict]:
    """Las centrales en el orden publicado; luego la coordinación y las misiones."""
    unidades = []
    for fila in ref_unidades:
        nombre, tipo = cat.UNIDADES_CENTRALES[fila["unit"]]
        unidades.append(
            {
                "codigo_unidad": fila["unit"],
                "nombre": nombre,
                "area": fila["area"],
                "servicio": "Central",
                "tipo": tipo,
                "acp": fila["acp"],
            }
        )
    for codigo, tipo, nombre, lugares in cat.UNIDADES_EXTERIORES:
        unidad = {
            "codigo_unidad": codigo,
            "nombre": nombre,
            "area": cat.AREA_EXTERIOR,
            "servicio": "Exterior",
            "tipo": tipo,
            "acp": cat.ACP_EXTERIOR,
        }
        if codigo != cat.COORDINACION:
            unidad["lugares"] = lugares
        unidades.append(unidad)
    return unidades


def misiones(unidades: list[dict]) -> list[dict]:
    """Las unidades del servicio exterior sin la coordinación."""
    exteriores = [u for u in unidades if u["area"] == cat.AREA_EXTERIOR]
    return [u for u in exteriores if u["codigo_unidad"] != cat.COORDINACION]


def elegir_operaciones_fijas(rng, unidades: list[dict]) -> None:
    """Cuántas operaciones fijas tiene cada misión (`n_fijas`): 2 unas, 1 las demás, de modo
    que el exterior tenga las operaciones publicadas (cada misión tiene además 2 de ajuste)."""
    lista = misiones(unidades)
    con_dos = (
        cat.OPERACIONES_PUBLICADAS["Exterior"] - len(cat.OPERACIONES[cat.COORDINACION])
        - 3 * len(lista)
    )
    dos = set(rng.choice(len(lista), con_dos, replace=False).tolist())
    for i, u in enumerate(lista):
        u["n_fijas"] = 2 if i in dos else 1


# ----------------------------------------------------------------------------------------
# Operaciones
# ----------------------------------------------------------------------------------------
def construir_operaciones(rng, unidades: list[dict]) -> list[dict]:
    """Las operaciones de cada unidad: las del catálogo (centrales y coordinación) o las
    sorteadas de las plantillas de su tipo (misiones); las dos últimas son las de ajuste."""
    ops = []
    for u in unidades:
        cod = u["codigo_unidad"]
        if cod in cat.OPERACIONES:
            plantillas = list(cat.OPERACIONES[cod])
        else:
            plantillas = plantillas_mision(rng, u)
        n_total = len(plantillas)
        for n, (desc, ind, medida, per, meta) in enumerate(plantillas, start=1):
            ajuste = n > n_total - 2
            ops.append(nueva_operacion(u, n, desc, ind, medida, per, meta, ajuste, rng))
    marcar_casos_especiales(ops)
    asignar_tareas(rng, ops, unidades)
    asignar_medios(rng, ops, cat.MEDIOS, cat.MEDIO_POR_DEFECTO)
    return ops


def plantillas_mision(rng, u: dict) -> list[tuple]:
    fijas, ajuste = cat.PLANTILLAS_EXTERIOR[u["tipo"]]
    n_fijas = u["n_fijas"]
    if u["tipo"] in cat.VOLUMEN_CONSULAR:
        # Toda oficina consular emite documentos; la otra operación fija se sortea.
        elegidas = [0] + sorted(
            rng.choice(np.arange(1, len(fijas)), n_fijas - 1, replace=False).tolist()
        )
    else:
        elegidas = sorted(rng.choice(len(fijas), n_fijas, replace=False).tolist())
    de_ajuste = sorted(rng.choice(len(ajuste), 2, replace=False).tolist())
    salida = []
    for plantilla in [fijas[i] for i in elegidas] + [ajuste[i] for i in de_ajuste]:
        desc, ind, medida, per, rango = plantilla
        if rango is None:
            rango = cat.VOLUMEN_CONSULAR[u["tipo"]]
        meta = int(rng.integers(rango[0], rango[1] + 1))
        salida.append((desc.format(**u["lugares"]), ind, medida, per, meta))
    return salida


def marcar_casos_especiales(ops: list[dict]) -> None:
    por_codigo = {o["codigo_operacion"]: o for o in ops}
    unidad, n, justificacion = cat.NO_APLICA
    por_codigo[codigo_operacion(unidad, n)]["no_aplica"] = justificacion
    unidad, n, mes = cat.SIN_PROGRAMACION
    por_codigo[codigo_operacion(unidad, n)]["mes_sin_programacion"] = mes
    unidad, n, mes = cat.SIN_REPORTE
    por_codigo[codigo_operacion(unidad, n)]["mes_sin_reporte"] = mes


def asignar_tareas(rng, ops: list[dict], unidades: list[dict]) -> None:
    """Tareas de cada operación: al azar, con el total publicado de cada servicio."""
    servicio = {u["codigo_unidad"]: u["servicio"] for u in unidades}
    for s, total in cat.TAREAS_PUBLICADAS.items():
        grupo = [o for o in ops if servicio[o["codigo_unidad"]] == s]
        assert len(grupo) == cat.OPERACIONES_PUBLICADAS[s], (s, len(grupo))
        t = rng.integers(4, 19, len(grupo)) if s == "Central" else rng.integers(3, 18, len(grupo))
        diferencia = total - int(t.sum())
        while diferencia != 0:
            i = int(rng.integers(len(grupo)))
            paso = 1 if diferencia > 0 else -1
            if t[i] + paso >= 2:
                t[i] += paso
                diferencia -= paso
        for o, x in zip(grupo, t):
            o["tareas"] = int(x)
