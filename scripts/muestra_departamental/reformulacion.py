"""Las reformulaciones de la muestra departamental: lo que cambian en las operaciones y las
filas de la hoja reformulaciones.

Entran las operaciones con su programación natural (de `estructura`) y las reformulaciones
del catálogo (`reformulaciones.yaml`); salen, escritos en cada operación, los valores de hoy
(una operación dada de alta no tiene metas hasta el mes de su reformulación, inclusive; una
dada de baja, desde ese mes; una reprogramada pasa la meta de un mes a otro; un cambio de
tareas deja las nuevas) y las filas de la hoja, con el valor anterior de cada cambio.
"""

from __future__ import annotations

from muestra.comun import MESES, codigo_operacion

from . import catalogo as cat
from .estructura import por_codigo


def fila_de_cambio(ref: dict, o: dict, cambio: str, observacion: str, mes=None, anterior=None,
                   nuevo=None) -> dict:
    """Una fila de la hoja reformulaciones: el cambio de la operación `o` que hace `ref`."""
    return {"numero": ref["numero"], "resolucion": ref["resolucion"], "fecha": ref["fecha"],
            "codigo_operacion": o["codigo_operacion"], "cambio": cambio, "mes": mes,
            "anterior": anterior, "nuevo": nuevo, "observacion": observacion}


def aplicar_reformulacion(ref: dict, operacion: dict[str, dict]) -> list[dict]:
    """Escribe en las operaciones lo que cambia la reformulación `ref` y devuelve sus filas:
    altas, bajas, reprogramaciones (dos filas cada una: el mes que pierde la meta y el que
    la recibe) y cambios de tareas."""
    mes_fecha = ref["fecha"].month
    filas = []
    for unidad, n, observacion in ref["altas"]:
        o = operacion[codigo_operacion(unidad, n)]
        o["prog"][:mes_fecha] = [0] * mes_fecha
        filas.append(fila_de_cambio(ref, o, "alta", observacion))
    for unidad, n, observacion in ref["bajas"]:
        o = operacion[codigo_operacion(unidad, n)]
        o["prog"][mes_fecha - 1:] = [0] * (13 - mes_fecha)
        filas.append(fila_de_cambio(ref, o, "baja", observacion))
    for unidad, n, desde, hacia, observacion in ref["reprogramaciones"]:
        o = operacion[codigo_operacion(unidad, n)]
        assert min(desde, hacia) > mes_fecha and o["prog"][desde - 1] > 0, (unidad, n)
        antes = {m: o["prog"][m - 1] for m in sorted((desde, hacia))}
        o["prog"][hacia - 1] += o["prog"][desde - 1]
        o["prog"][desde - 1] = 0
        filas += [fila_de_cambio(ref, o, "programacion", observacion, mes, anterior,
                                 o["prog"][mes - 1]) for mes, anterior in antes.items()]
    for unidad, n, nuevas, observacion in ref["tareas"]:
        o = operacion[codigo_operacion(unidad, n)]
        assert o["tareas"] != nuevas, (unidad, n)
        filas.append(fila_de_cambio(ref, o, "tareas", observacion, None, o["tareas"], nuevas))
        o["tareas"] = nuevas
    return filas


def aplicar_reformulaciones(ops: list[dict]) -> list[dict]:
    """Aplica cada reformulación del catálogo, en su orden, y devuelve las filas de la hoja."""
    operacion = por_codigo(ops)
    filas = []
    for ref in cat.REFORMULACIONES:
        filas += aplicar_reformulacion(ref, operacion)
    assert all(sum(o["prog"][m - 1] for m in MESES) > 0 for o in ops), "operación sin metas"
    return filas
