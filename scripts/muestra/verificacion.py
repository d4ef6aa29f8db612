"""La verificación independiente del libro de muestra, sobre las filas que se escriben.

Entran las tablas del libro (hoja -> filas, de `libro.construir_tablas`), las metas de
avance y las cifras publicadas; no sale nada: cada regla es un `assert` que detiene el
generador si el libro no reproduce lo publicado (avance de unidades, áreas y ACP, media del
exterior, vigente y devengado por área) o si la reformulación no es coherente con la hoja
operaciones. `verificar` devuelve además el desvío de cada unidad respecto de su meta.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from . import catalogo as cat
from .comun import MESES, TRIMESTRES, centavos, cents, leer_csv, redondear
from .metas import MEDIA_EXTERIOR, grupos_centrales
from .montos import verificar_historia_linea, vigente_al_cierre
from .operaciones import avance_unidades

# La fila de la entidad entera en mre-2024-area.csv.
FILA_TOTAL = "TOTAL_MRE"
# Cuántos cambios de cada clase tiene la reformulación de la muestra (mínimo, máximo).
ALTAS = (3, 4)
BAJAS = (2, 3)
REPROGRAMADAS = (3, 5)


# ----------------------------------------------------------------------------------------
# Avance físico
# ----------------------------------------------------------------------------------------
def verificar(tablas: dict, metas: dict, ref_unidades: list[dict]) -> dict:
    """Recalcula el avance de cada unidad desde las filas escritas y comprueba las metas,
    la media exterior y que los redondeos de unidades, áreas y ACP (avance y × 0,25) den lo
    mismo que las cifras objetivo. Cuenta el POA en vigor en todos los cortes trimestrales:
    sin las operaciones dadas de baja en febrero. Devuelve (unidad, trimestre) -> desvío."""
    bajas = {r["codigo_operacion"] for r in tablas["reformulaciones"] if r["cambio"] == "baja"}
    ops = [f for f in tablas["operaciones"] if f["codigo_operacion"] not in bajas]
    area = {u["codigo_unidad"]: u["area"] for u in tablas["unidades"]}
    errores = {}
    for q in (1, 2, 3, 4):
        av = avance_unidades(ops, TRIMESTRES[q])
        assert set(av) == set(area), f"T{q}: unidades sin programación"
        for u, v in av.items():
            errores[(u, q)] = verificar_unidad(u, q, v, metas[(u, q)], area[u])
        if q in MEDIA_EXTERIOR:
            verificar_media_exterior(av, area, q)
            verificar_grupos_centrales(av, metas, ref_unidades, q)
    return errores


def verificar_unidad(u: str, q: int, v: float, meta: float, area: str) -> float:
    """El avance `v` de la unidad en el trimestre q está tan cerca de su meta como pide su
    clase: segundo semestre ±0,51 (y al menos 79), misión ±0,61, meta 100 exacta, y las demás
    (centrales y coordinación) a menos de 0,0005 y con el mismo redondeo de v × 0,25.
    Devuelve el desvío."""
    d = v - meta
    if q >= 3:
        assert abs(d) <= 0.51 and v >= 79, (u, q, v, meta)
    elif area == cat.AREA_EXTERIOR and u != cat.COORDINACION:
        assert abs(d) <= 0.61, (u, q, v, meta)
    elif meta >= 100:
        assert d == 0, (u, q, v)
    else:
        assert abs(d) < 0.0005, (u, q, v, meta)
        assert redondear(v / 4) == redondear(Decimal(str(meta)) / 4), (u, q)
    return d


def verificar_media_exterior(av: dict, area: dict, q: int) -> None:
    """La media simple de todas las unidades del exterior es la publicada."""
    ext = [v for u, v in av.items() if area[u] == cat.AREA_EXTERIOR]
    assert len(ext) == len(cat.UNIDADES_EXTERIORES)
    assert abs(sum(ext) / len(ext) - MEDIA_EXTERIOR[q]) < 0.0005


def verificar_grupos_centrales(av: dict, metas: dict, ref_unidades: list[dict], q: int) -> None:
    """La media de cada área y ACP central (y × 0,25) redondea como la de sus metas."""
    for grupo in grupos_centrales(ref_unidades).values():
        real = sum(av[u] for u in grupo) / len(grupo)
        meta = sum(Decimal(str(metas[(u, q)])) for u in grupo) / len(grupo)
        assert redondear(real) == redondear(meta), (grupo, q, real, meta)
        assert redondear(real / 4) == redondear(meta / 4), (grupo, q, real, meta)


# ----------------------------------------------------------------------------------------
# Presupuesto
# ----------------------------------------------------------------------------------------
def verificar_presupuesto(tablas: dict) -> None:
    """Con la historia del presupuesto, el vigente por área al cierre de marzo y de junio,
    el devengado del primer trimestre y su ejecución son los publicados
    (mre-2024-area.csv, Q1 y Q2); el total de la entidad no cambia en el año y ninguna
    línea devenga más de lo que tiene en vigor."""
    area_de = {u["codigo_unidad"]: u["area"] for u in tablas["unidades"]}
    lineas = tablas["presupuesto"]
    for linea in lineas:
        verificar_historia_linea(linea)
    total = sum(cents(x["vigente"]) for x in lineas)
    assert all(sum(vigente_al_cierre(x, m) for x in lineas) == total for m in MESES)
    for f in leer_csv("mre-2024-area.csv"):
        if f["period"] != "S1":
            propias = [x for x in lineas if f["area"] in (FILA_TOTAL, area_de[x["codigo_unidad"]])]
            verificar_area_publicada(f, propias)


def verificar_area_publicada(f: dict, propias: list[dict]) -> None:
    """Vigente al cierre del trimestre, devengado del trimestre y ejecución de las líneas de
    un área (o de la entidad) = la fila publicada `f` (Q1 o Q2)."""
    mes = 3 if f["period"] == "Q1" else 6
    vigente = sum(vigente_al_cierre(x, mes) for x in propias)
    assert vigente == centavos(f["vigente_bs"]), (f["area"], f["period"], vigente)
    meses = TRIMESTRES[1 if f["period"] == "Q1" else 2]
    devengado = sum(cents(x[f"dev_{m:02d}"]) for x in propias for m in meses)
    assert devengado == centavos(f["devengado_bs"]), (f["area"], f["period"], devengado)
    ejecucion = redondear(Fraction(devengado, vigente) * 100)
    assert abs(ejecucion - Decimal(f["ejec_pct"])) <= Decimal("0.01"), (f, ejecucion)


# ----------------------------------------------------------------------------------------
# Reformulación
# ----------------------------------------------------------------------------------------
def verificar_reformulaciones(tablas: dict) -> None:
    """La hoja reformulaciones es coherente con la hoja operaciones: una sola resolución de
    febrero; las altas empiezan en marzo o después; las bajas sólo tienen enero; cada
    reprogramación deja en `nuevo` el valor de la hoja y conserva el total del año; sin
    las bajas quedan las operaciones y tareas publicadas del POA modificado."""
    ops = {f["codigo_operacion"]: f for f in tablas["operaciones"]}
    filas = tablas["reformulaciones"]
    assert {(r["numero"], r["resolucion"], r["fecha"]) for r in filas} == {cat.REFORMULACION}
    assert cat.REFORMULACION[2].month == 2
    cambios = {c: [r for r in filas if r["cambio"] == c] for c in ("alta", "baja", "programacion")}
    assert ALTAS[0] <= len(cambios["alta"]) <= ALTAS[1]
    assert BAJAS[0] <= len(cambios["baja"]) <= BAJAS[1]
    for r in cambios["alta"]:
        verificar_alta(r, ops[r["codigo_operacion"]])
    for r in cambios["baja"]:
        verificar_baja(ops[r["codigo_operacion"]])
    altas_bajas = [r["codigo_operacion"] for r in cambios["alta"] + cambios["baja"]]
    assert len(set(altas_bajas)) == len(altas_bajas)
    verificar_reprogramaciones(cambios["programacion"], ops, altas_bajas)
    bajas = {r["codigo_operacion"] for r in cambios["baja"]}
    verificar_poa_en_vigor(tablas["unidades"], [o for c, o in ops.items() if c not in bajas])


def verificar_alta(r: dict, o: dict) -> None:
    """Una operación nueva no tiene metas ni logros en enero y febrero, y su fila de la
    reformulación no lleva mes ni valores."""
    assert all(o[f"{g}_{m:02d}"] == 0 for g in ("prog", "ejec") for m in (1, 2)), o
    assert o["no_aplica"] is None and r["mes"] is r["anterior"] is r["nuevo"] is None


def verificar_baja(o: dict) -> None:
    """Una operación quitada tiene meta y logro en enero, y nada después."""
    assert o["prog_01"] > 0 and o["ejec_01"] > 0, o
    assert all(o[f"prog_{m:02d}"] == o[f"ejec_{m:02d}"] == 0 for m in MESES[1:]), o


def verificar_reprogramaciones(filas: list[dict], ops: dict, altas_bajas: list[str]) -> None:
    """Cada reprogramación es de una operación que no entra ni sale, cambia el valor y deja
    en `nuevo` el de la hoja; cada operación reprogramada cambia al menos dos meses distintos
    y conserva el total del año."""
    reprogramadas: dict = {}
    for r in filas:
        assert r["codigo_operacion"] not in altas_bajas and r["anterior"] != r["nuevo"]
        assert r["nuevo"] == ops[r["codigo_operacion"]][f"prog_{r['mes']:02d}"], r
        reprogramadas.setdefault(r["codigo_operacion"], []).append(r)
    assert REPROGRAMADAS[0] <= len(reprogramadas) <= REPROGRAMADAS[1]
    for codigo, rs in reprogramadas.items():
        assert len({r["mes"] for r in rs}) == len(rs) >= 2, codigo
        assert sum(r["anterior"] for r in rs) == sum(r["nuevo"] for r in rs), codigo


def verificar_poa_en_vigor(unidades: list[dict], en_vigor: list[dict]) -> None:
    """Sin las bajas, cada servicio tiene las operaciones y tareas publicadas."""
    servicio = {u["codigo_unidad"]: u["servicio"] for u in unidades}
    for s in cat.OPERACIONES_PUBLICADAS:
        propias = [o for o in en_vigor if servicio[o["codigo_unidad"]] == s]
        assert len(propias) == cat.OPERACIONES_PUBLICADAS[s], (s, len(propias))
        assert sum(o["tareas"] for o in propias) == cat.TAREAS_PUBLICADAS[s], s
