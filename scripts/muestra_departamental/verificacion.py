"""La verificación del libro de la muestra departamental, sobre las filas que se escriben.

Entran las tablas del libro (hoja -> filas, de `libro.construir_tablas`); no sale nada: cada
regla es un `assert` que detiene el generador si el libro no es lo que el catálogo describe o
no es verosímil. El avance físico de cada unidad, área y nivel en cada trimestre (con el POA
en vigor al corte) queda entre los límites de abajo; los casos especiales están, una vez cada
uno; cada reformulación es coherente con la hoja operaciones; y la historia del presupuesto
cumple el contrato, con lo devengado en el año por debajo del avance físico.
"""

from __future__ import annotations

from muestra.comun import MESES, TRIMESTRES, cents
from muestra.montos import verificar_historia_linea, vigente_al_cierre
from muestra.operaciones import avance_unidades

from . import catalogo as cat

# El avance físico verosímil (mínimo, en %) de una unidad, un área y un nivel en un trimestre:
# una unidad puede quedar rezagada; un promedio, menos.
AVANCE_MINIMO = {"unidad": 30.0, "area": 50.0, "nivel": 70.0}


def en_vigor(tablas: dict, mes: int) -> list[dict]:
    """Las filas de operaciones del POA en vigor al cierre de `mes`: sin las altas posteriores
    ni las bajas de ese mes o anteriores (las metas y tareas de hoy: basta para los límites)."""
    fuera = {r["codigo_operacion"] for r in tablas["reformulaciones"]
             if (r["cambio"] == "alta" and r["fecha"].month > mes)
             or (r["cambio"] == "baja" and r["fecha"].month <= mes)}
    return [o for o in tablas["operaciones"] if o["codigo_operacion"] not in fuera]


def promedios(valores: dict[str, float], grupo: dict[str, str]) -> dict[str, float]:
    """El promedio simple de los valores de cada grupo."""
    por_grupo: dict[str, list[float]] = {}
    for clave, valor in valores.items():
        por_grupo.setdefault(grupo[clave], []).append(valor)
    return {g: sum(v) / len(v) for g, v in por_grupo.items()}


def verificar_avance(tablas: dict) -> dict[int, dict[str, float]]:
    """Trimestre -> avance de cada nivel: cada unidad tiene metas en el trimestre, y ella, su
    área y su nivel quedan entre su mínimo verosímil y 100."""
    area = {u["codigo_unidad"]: u["area"] for u in tablas["unidades"]}
    nivel = {u["area"]: u["servicio"] for u in tablas["unidades"]}
    por_trimestre = {}
    for q, meses in TRIMESTRES.items():
        unidades = avance_unidades(en_vigor(tablas, 3 * q), meses)
        assert set(unidades) == set(area), f"T{q}: unidades sin metas"
        areas = promedios(unidades, area)
        niveles = promedios(areas, nivel)
        for clase, valores in (("unidad", unidades), ("area", areas), ("nivel", niveles)):
            bajos = {k: v for k, v in valores.items() if not AVANCE_MINIMO[clase] <= v <= 100}
            assert not bajos, (q, clase, bajos)
        por_trimestre[q] = niveles
    return por_trimestre


def verificar_casos_especiales(tablas: dict) -> None:
    """Las operaciones NO APLICA, los meses sin reporte y los ejecutados sin programación son
    los del catálogo, ni más ni menos."""
    ops = tablas["operaciones"]
    assert sum(o["no_aplica"] is not None for o in ops) == len(cat.NO_APLICA)
    en_blanco = [(o["codigo_operacion"], m) for o in ops for m in MESES
                 if o[f"ejec_{m:02d}"] is None]
    assert len(en_blanco) == len(cat.SIN_REPORTE), en_blanco
    sin_programacion = [(o["codigo_operacion"], m) for o in ops for m in MESES
                        if o[f"prog_{m:02d}"] == 0 and (o[f"ejec_{m:02d}"] or 0) > 0]
    assert len(sin_programacion) == len(cat.SIN_PROGRAMACION), sin_programacion


def verificar_reformulaciones(tablas: dict) -> None:
    """Cada cambio, coherente con la hoja operaciones: un alta no tiene metas ni logros hasta
    el mes de su fecha; una baja, desde ese mes; cada reprogramación deja en `nuevo` el valor
    de la hoja y conserva el total del año; un cambio de tareas deja las de la hoja."""
    ops = {o["codigo_operacion"]: o for o in tablas["operaciones"]}
    reprogramadas: dict[str, list[dict]] = {}
    for r in tablas["reformulaciones"]:
        o, mes = ops[r["codigo_operacion"]], r["fecha"].month
        valores = [(o[f"prog_{m:02d}"], o[f"ejec_{m:02d}"] or 0) for m in MESES]
        if r["cambio"] == "alta":
            assert not any(any(v) for v in valores[:mes]), r
            assert any(p for p, _ in valores[mes:]), r
        elif r["cambio"] == "baja":
            assert not any(any(v) for v in valores[mes - 1:]), r
            assert any(p for p, _ in valores[:mes - 1]), r
        elif r["cambio"] == "tareas":
            assert r["nuevo"] == o["tareas"] != r["anterior"], r
        else:
            assert r["nuevo"] == o[f"prog_{r['mes']:02d}"] and r["mes"] > mes, r
            reprogramadas.setdefault(r["codigo_operacion"], []).append(r)
    for codigo, filas in reprogramadas.items():
        assert sum(r["anterior"] for r in filas) == sum(r["nuevo"] for r in filas), codigo


def verificar_presupuesto(tablas: dict, avance: dict[int, dict[str, float]]) -> None:
    """La historia de cada línea cumple el contrato y lo devengado no pasa lo vigente; el
    total cambia sólo con las modificaciones del catálogo; y la ejecución del año de la
    entidad queda por debajo de su avance físico del cuarto trimestre."""
    lineas = tablas["presupuesto"]
    for linea in lineas:
        verificar_historia_linea(linea)
    modificado = sum(monto for *_, monto in cat.MODIFICACIONES) * 100
    total = sum(cents(x["vigente"]) for x in lineas)
    assert total == sum(cents(x["inicial"]) for x in lineas) + modificado
    assert sum(vigente_al_cierre(x, 12) for x in lineas) == total
    devengado = sum(cents(x[f"dev_{m:02d}"]) for x in lineas for m in MESES)
    entidad = sum(avance[4].values()) / len(avance[4])
    assert 100 * devengado / total < entidad, (devengado / total, entidad)


def verificar_todo(tablas: dict) -> dict[int, dict[str, float]]:
    """Todas las reglas; devuelve el avance de cada nivel por trimestre (para el resumen)."""
    avance = verificar_avance(tablas)
    verificar_casos_especiales(tablas)
    verificar_reformulaciones(tablas)
    verificar_presupuesto(tablas, avance)
    return avance
