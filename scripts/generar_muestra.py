"""Genera el libro de muestra `data/2024/poa_2024.xlsx` (MRE, POA 2024, segundo trimestre).

Uso:  .venv/bin/python scripts/generar_muestra.py [--salida RUTA]

El libro sigue el contrato de datos (hojas unidades, acp, operaciones, presupuesto,
narrativa, historico, reformulaciones, ...) y reproduce las cifras publicadas de
`data/referencia/mre-2024-*.csv`:

- el avance físico de cada unidad central en T1 y T2 (metodología §2: cumplimiento por
  operación con tope 100 %, promedio ponderado por tareas) coincide con el publicado con un
  error menor a 0,0004, de modo que también las medias de áreas y ACP y sus eficacias
  (× 0,25) redondean a lo publicado; DGAJ T1 usa 75,12 (= 18,78 × 4), pues el 80,56
  publicado contradice su eficacia;
- el promedio simple de las 85 unidades del servicio exterior da 78,36 (T1) y 83,21 (T2):
  cada misión queda cerca de una meta propia (40 a 100) y la Coordinación (SE) absorbe la
  diferencia;
- casos especiales: una operación NO APLICA, una ejecutada sin programación y un mes sin
  reporte (ver muestra_catalogo.py);
- el devengado de cada categoría programática coincide al centavo en T2 y en el semestre;
- el vigente de cada área al 31 de marzo (la historia `inicial`, `vig_01..vig_12` del
  presupuesto) es el publicado para T1, y al 30 de junio el de T2 (la columna `vigente`):
  una modificación en mayo pasa presupuesto del servicio exterior a las demás áreas;
- una reformulación en febrero (hoja reformulaciones) agrega operaciones que ya cuentan en
  el ajuste, quita otras (filas adicionales, sólo con enero: no cuentan en ningún
  trimestre) y reprograma algunas (la hoja operaciones tiene la programación nueva).

Es determinista: semilla fija, propiedades fijas del libro y fechas fijas dentro del zip, de
modo que dos ejecuciones producen el mismo archivo byte a byte.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import sys
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import muestra_catalogo as cat

from helpers.entrada.contrato import COLUMNAS_CONTRATO

RAIZ = Path(__file__).resolve().parents[1]
SALIDA_POR_DEFECTO = RAIZ / "data" / "2024" / "poa_2024.xlsx"
REFERENCIA = RAIZ / "data" / "referencia"
SEMILLA = 20240630
FECHA_LIBRO = dt.datetime(2024, 7, 15, 9, 0, 0)

MESES = list(range(1, 13))
TRIMESTRES = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}
AREA_EXTERIOR = "SERV_EXTERIOR"
# Avance publicado que la muestra corrige (ver NOTES.md: 18,78 × 4 = 75,12).
CORRECCIONES = {("DGAJ", 1): 75.12}
MEDIA_EXTERIOR = {1: 78.36, 2: 83.21}
TOTAL_OPERACIONES = {"Central": 113, "Exterior": 311}
TOTAL_TAREAS = {"Central": 1247, "Exterior": 3179}
# Ventana del ajuste de T1 y T2: el avance calculado queda a menos de 0,0004 del objetivo,
# y por exceso cuando una cifra derivada del objetivo (el propio avance × 0,25, o la media de
# un área o ACP, o esa media × 0,25) cae justo en la mitad de un centésimo: así el redondeo a
# mitad lejos de cero da la cifra publicada.
VENTANA = (-0.0004, 0.0004)
VENTANA_POR_EXCESO = (0.00002, 0.0004)

COLUMNAS = COLUMNAS_CONTRATO  # las columnas de cada hoja, tal como las define el contrato


# ----------------------------------------------------------------------------------------
# Lectura de las cifras publicadas
# ----------------------------------------------------------------------------------------
def leer_csv(nombre: str, carpeta: Path = REFERENCIA) -> list[dict]:
    with open(carpeta / nombre, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def centavos(texto: str) -> int:
    return int((Decimal(texto) * 100).to_integral_value())


# ----------------------------------------------------------------------------------------
# Unidades y metas de avance
# ----------------------------------------------------------------------------------------
def construir_unidades(ref_unidades: list[dict]) -> list[dict]:
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
    codigo, nombre, tipo = cat.COORDINACION_EXTERIOR
    unidades.append(
        {
            "codigo_unidad": codigo,
            "nombre": nombre,
            "area": AREA_EXTERIOR,
            "servicio": "Exterior",
            "tipo": tipo,
            "acp": "7",
        }
    )
    for codigo, tipo, nombre, lugares in cat.unidades_exteriores():
        unidades.append(
            {
                "codigo_unidad": codigo,
                "nombre": nombre,
                "area": AREA_EXTERIOR,
                "servicio": "Exterior",
                "tipo": tipo,
                "acp": "7",
                "lugares": lugares,
            }
        )
    return unidades


def metas_exterior(rng: np.random.Generator, unidades: list[dict]) -> dict:
    """Avance objetivo por unidad exterior y trimestre: variado (40-100) y con media igual a
    la publicada en T1 y T2 (la de SE se recalcula al final); en T3 y T4, entre 80 y 100."""
    base = {
        "Embajada": 86,
        "Consulado": 71,
        "Consulado General": 80,
        "Viceconsulado": 74,
        "Representación Permanente": 88,
        "Centro Emisor": 88,
        "Coordinación": 86,
    }
    ext = [u for u in unidades if u["area"] == AREA_EXTERIOR]
    n = len(ext)
    metas: dict = {}
    previo = np.array([base[u["tipo"]] for u in ext], dtype=float) + rng.normal(0, 13, n)
    # La misión con un mes sin reporte tiene un avance bajo en ese trimestre.
    sin_reporte = [u["codigo_unidad"] == cat.SIN_REPORTE[0] for u in ext]
    es_coordinacion = np.array([u["codigo_unidad"] == cat.COORDINACION_EXTERIOR[0] for u in ext])
    q_sin_reporte = (cat.SIN_REPORTE[2] - 1) // 3 + 1
    for q in (1, 2):
        if q == 2:
            previo = previo + rng.normal(3.5, 8, n)
        crudo = np.where(previo > 97.5, 100.0, previo)
        # La Coordinación absorbe luego la diferencia: su meta queda lejos de 100.
        crudo = np.where(es_coordinacion, np.clip(previo, 60, 92), crudo)
        fijo = np.array(sin_reporte) & (q == q_sin_reporte)
        crudo = np.where(fijo, 58.4, crudo)
        lo, hi = -60.0, 60.0
        for _ in range(100):  # desplazamiento que da la media exacta (bisección)
            d = (lo + hi) / 2
            v = np.where((crudo >= 100) | fijo, crudo, np.clip(crudo + d, 40, 96.0))
            if v.mean() < MEDIA_EXTERIOR[q]:
                lo = d
            else:
                hi = d
        for u, x in zip(ext, v):
            metas[(u["codigo_unidad"], q)] = round(float(x), 2)
    for u in ext:
        for q in (3, 4):
            metas[(u["codigo_unidad"], q)] = meta_segundo_semestre(rng)
    return metas


def en_mitad(valor: Fraction) -> bool:
    """True si valor cae exactamente en la mitad de un centésimo (x,xx5)."""
    return (valor * 1000) % 10 == 5


def grupos_centrales(ref_unidades: list[dict]) -> dict:
    grupos: dict = {}
    for f in ref_unidades:
        grupos.setdefault(("area", f["area"]), []).append(f["unit"])
        grupos.setdefault(("acp", f["acp"]), []).append(f["unit"])
    return grupos


def ventanas_centrales(ref_unidades: list[dict]) -> dict:
    """Ventana de ajuste por (unidad, trimestre) de las unidades centrales en T1 y T2."""
    ventanas = {}
    for q in (1, 2):
        meta = {f["unit"]: Fraction(f[f"avance_q{q}"]) for f in ref_unidades}
        meta.update({u: Fraction(str(v)) for (u, qq), v in CORRECCIONES.items() if qq == q})
        for u, v in meta.items():
            ventanas[(u, q)] = VENTANA_POR_EXCESO if en_mitad(v / 4) else VENTANA
        for unidades in grupos_centrales(ref_unidades).values():
            media = sum(meta[u] for u in unidades) / len(unidades)
            if en_mitad(media) or en_mitad(media / 4):
                for u in unidades:
                    ventanas[(u, q)] = VENTANA_POR_EXCESO
    return ventanas


def meta_segundo_semestre(rng: np.random.Generator) -> float:
    return 100.0 if rng.random() < 0.3 else round(float(rng.uniform(80, 98.5)), 2)


# ----------------------------------------------------------------------------------------
# Operaciones: estructura
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


def construir_operaciones(rng, unidades: list[dict]) -> list[dict]:
    ops = []
    for u in unidades:
        cod = u["codigo_unidad"]
        if u["servicio"] == "Central":
            plantillas = list(cat.OPERACIONES_CENTRALES[cod])
        elif cod == cat.COORDINACION_EXTERIOR[0]:
            plantillas = list(cat.OPERACIONES_SE)
        else:
            plantillas = plantillas_mision(rng, u)
        n_total = len(plantillas)
        for n, (desc, ind, medida, per, meta) in enumerate(plantillas, start=1):
            ajuste = n > n_total - 2
            ops.append(nueva_operacion(u, n, desc, ind, medida, per, meta, ajuste, rng))
    marcar_casos_especiales(ops)
    asignar_tareas(rng, ops, unidades)
    asignar_medios(rng, ops)
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


def codigo_operacion(unidad: str, n: int) -> str:
    return f"OP-{unidad}-{n:02d}"


def marcar_casos_especiales(ops: list[dict]) -> None:
    por_codigo = {o["codigo_operacion"]: o for o in ops}
    unidad, n, justificacion = cat.NO_APLICA
    por_codigo[codigo_operacion(unidad, n)]["no_aplica"] = justificacion
    unidad, n, mes = cat.SIN_PROGRAMACION
    por_codigo[codigo_operacion(unidad, n)]["mes_sin_programacion"] = mes
    unidad, n, mes = cat.SIN_REPORTE
    por_codigo[codigo_operacion(unidad, n)]["mes_sin_reporte"] = mes


def asignar_tareas(rng, ops: list[dict], unidades: list[dict]) -> None:
    servicio = {u["codigo_unidad"]: u["servicio"] for u in unidades}
    for s, total in TOTAL_TAREAS.items():
        grupo = [o for o in ops if servicio[o["codigo_unidad"]] == s]
        assert len(grupo) == TOTAL_OPERACIONES[s], (s, len(grupo))
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


def asignar_medios(rng, ops: list[dict]) -> None:
    contador: dict = {}
    for o in ops:
        u = o["codigo_unidad"]
        contador[u] = contador.get(u, 0) + int(rng.integers(3, 15))
        plantilla = cat.MEDIOS.get(o["unidad_medida"], cat.MEDIO_POR_DEFECTO)
        o["medio_verificacion"] = plantilla.format(u=u, n=contador[u])


# ----------------------------------------------------------------------------------------
# Operaciones: ajuste de lo logrado a las metas de avance
# ----------------------------------------------------------------------------------------
def activa(o: dict, q: int) -> bool:
    return o["no_aplica"] is None and (
        o["ajuste"] or sum(o["prog"][m - 1] for m in TRIMESTRES[q]) > 0
    )


def logro_con_excedente(rng, p: int) -> int:
    """Lo logrado por una operación cumplida: a veces más de lo programado."""
    if rng.random() < 0.3:
        return p + max(1, round(p * rng.uniform(0.03, 0.2)))
    return p


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
    meses = TRIMESTRES[q]
    activas = [o for o in ops_unidad if activa(o, q)]
    ids_activas = {id(o) for o in activas}
    for o in ops_unidad:  # las no activas no logran nada en el trimestre
        if id(o) not in ids_activas:
            fijar_ejecucion(rng, o, q, 0)
    ajuste = [o for o in activas if o["ajuste"]]
    mensuales = [
        o
        for o in activas
        if not o["ajuste"] and o["periodicidad"] == "mensual" and o["mes_sin_reporte"] is None
    ]
    tercera = (
        max(mensuales, key=lambda o: (o["meta"], o["codigo_operacion"])) if mensuales else None
    )
    if objetivo >= 100:
        assert not any(o["mes_sin_reporte"] in meses for o in activas), "sin reporte y meta 100"
        for o in activas:
            if o["ajuste"]:
                p = max(1, round(3 * o["meta"] * rng.uniform(0.85, 1.15)))
                fijar_programacion(rng, o, q, p)
            fijar_ejecucion(rng, o, q, logro_con_excedente(rng, prog_trimestre(o, q)))
        return
    o_rel = objetivo / 100
    total_t = sum(o["tareas"] for o in activas)
    # Primero se buscan metas cercanas a las habituales; sólo si no hay solución se amplían.
    rangos = [(0.75, 1.35)] * 200 + [(0.6, 1.6)] * 150 + [(0.4, 2.5)] * 100 + [(0.25, 4.0)] * 100
    for intento, factor in enumerate(rangos):
        libres = ajuste + ([tercera] if tercera is not None and intento >= 8 else [])
        fijas = [o for o in activas if all(o is not x for x in libres)]
        elegidos = {}
        suma_fijas = 0.0
        for o in fijas:
            p = prog_trimestre(o, q)
            if o["mes_sin_reporte"] in meses:
                # Mes sin reporte: lo logrado sólo cubre los meses reportados.
                cubierto = 1 - o["prog"][o["mes_sin_reporte"] - 1] / p
                r = cubierto * float(rng.uniform(0.9, 1.0))
            elif objetivo > 97 or rng.random() < min(0.75, max(0.1, (objetivo - 45) / 60)):
                r = 1.0
            else:
                r = float(rng.uniform(max(0.0, o_rel - 0.35), min(1.0, o_rel + 0.12)))
            e = round(r * p)
            elegidos[id(o)] = e
            suma_fijas += o["tareas"] * min(e / p, 1.0)
        s_lo = (objetivo + ventana[0]) * total_t / 100 - suma_fijas
        s_hi = min(objetivo + ventana[1], 99.99) * total_t / 100 - suma_fijas
        m = (s_lo + s_hi) / 2 / sum(o["tareas"] for o in libres)
        holgura = 0.35 + intento / len(rangos)
        if not (max(0.1, o_rel - holgura) <= m <= 0.997):
            continue
        hallado = buscar(rng, libres, s_lo, s_hi, m, factor)
        if hallado is None:
            continue
        for o in fijas:
            e = elegidos[id(o)]
            p = prog_trimestre(o, q)
            fijar_ejecucion(rng, o, q, logro_con_excedente(rng, p) if e >= p else e)
        for o, (p, e) in zip(libres, hallado):
            fijar_programacion(rng, o, q, p)
            fijar_ejecucion(rng, o, q, logro_con_excedente(rng, p) if e >= p else e)
        return
    raise RuntimeError(f"sin ajuste para {ops_unidad[0]['codigo_unidad']} T{q} -> {objetivo}")


def prog_trimestre(o: dict, q: int) -> int:
    return sum(o["prog"][m - 1] for m in TRIMESTRES[q])


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


def ajustar_operaciones(
    rng, ops: list[dict], unidades: list[dict], ref_unidades: list[dict], metas_ext: dict
) -> dict:
    metas = {}
    for fila in ref_unidades:
        metas[(fila["unit"], 1)] = float(fila["avance_q1"])
        metas[(fila["unit"], 2)] = float(fila["avance_q2"])
        metas[(fila["unit"], 3)] = meta_segundo_semestre(rng)
        metas[(fila["unit"], 4)] = meta_segundo_semestre(rng)
    metas.update(CORRECCIONES)
    metas.update(metas_ext)
    por_unidad: dict = {}
    for o in ops:
        por_unidad.setdefault(o["codigo_unidad"], []).append(o)
    # Unidades centrales: T1 y T2 exactos (cifra publicada). Misiones: cerca de su meta
    # (±0,3); la Coordinación (SE) va al final y absorbe la diferencia, de modo que la media
    # de las 85 unidades exteriores sea exactamente la publicada. T3 y T4: ±0,5.
    ventanas = ventanas_centrales(ref_unidades)
    coordinacion = [u for u in unidades if u["codigo_unidad"] == cat.COORDINACION_EXTERIOR[0]]
    acumulado = {1: 0.0, 2: 0.0}  # desvío acumulado de las misiones respecto de sus metas
    for u in [u for u in unidades if u not in coordinacion] + coordinacion:
        cod = u["codigo_unidad"]
        for q in (1, 2, 3, 4):
            mision = u["area"] == AREA_EXTERIOR and u not in coordinacion and q <= 2
            if q >= 3:
                ventana = (-0.5, 0.5)
            elif u["servicio"] == "Central":
                ventana = ventanas[(cod, q)]
            elif u in coordinacion:
                otras = [
                    avance_ops(por_unidad[x["codigo_unidad"]], q)
                    for x in unidades
                    if x["area"] == AREA_EXTERIOR and x not in coordinacion
                ]
                metas[(cod, q)] = MEDIA_EXTERIOR[q] * (len(otras) + 1) - sum(otras)
                ventana = VENTANA_POR_EXCESO
            else:
                # Cada misión compensa (hasta 0,3) lo que se desviaron las anteriores.
                centro = float(np.clip(-acumulado[q], -0.3, 0.3))
                ventana = (centro - 0.3, centro + 0.3)
            ajustar_unidad_trimestre(rng, por_unidad[cod], q, metas[(cod, q)], ventana)
            if mision:
                acumulado[q] += avance_ops(por_unidad[cod], q) - metas[(cod, q)]
    return metas


# ----------------------------------------------------------------------------------------
# Reformulación (hoja reformulaciones)
# ----------------------------------------------------------------------------------------
def agregar_bajas(ops: list[dict], unidades: list[dict]) -> list[dict]:
    """Agrega, al final de las de su unidad, las operaciones que la reformulación quita
    (cat.BAJAS): estaban en el POA inicial con meta y algún logro en enero, y desde el corte
    de febrero están fuera, así que no cuentan en ningún trimestre ni en el ajuste. Un
    generador propio (semilla derivada): agregarlas no cambia las demás filas."""
    rng = np.random.default_rng(SEMILLA + 3)
    unidad = {u["codigo_unidad"]: u for u in unidades}
    salida = list(ops)
    for cod, desc, indicador, medida, meta, observacion in cat.BAJAS:
        posiciones = [i for i, o in enumerate(salida) if o["codigo_unidad"] == cod]
        o = nueva_operacion(
            unidad[cod], len(posiciones) + 1, desc, indicador, medida, (1,), meta, False, rng
        )
        o["tareas"] = int(rng.integers(3, 9))
        o["ejec"][0] = int(rng.integers(1, max(meta, 2)))  # en parte: la operación no siguió
        # Informe 1 o 2 del año: los números de las demás operaciones empiezan en 3.
        plantilla = cat.MEDIOS.get(medida, cat.MEDIO_POR_DEFECTO)
        o["medio_verificacion"] = plantilla.format(u=cod, n=int(rng.integers(1, 3)))
        o["baja"] = observacion
        salida.insert(posiciones[-1] + 1, o)
    return salida


def construir_reformulaciones(ops: list[dict]) -> list[dict]:
    """Las filas de la reformulación de febrero: altas (operaciones ya presentes, con metas
    desde marzo), bajas (las de `agregar_bajas`) y reprogramaciones, cada una un par de
    filas que pasa la meta de un mes a otro: `nuevo` es el valor de la hoja operaciones y
    `anterior` el del POA inicial."""
    numero, resolucion, fecha = cat.REFORMULACION
    por_codigo = {o["codigo_operacion"]: o for o in ops}

    def fila(codigo, cambio, observacion, mes=None, anterior=None, nuevo=None) -> dict:
        assert codigo in por_codigo, codigo
        return {"numero": numero, "resolucion": resolucion, "fecha": fecha,
                "codigo_operacion": codigo, "cambio": cambio, "mes": mes,
                "anterior": anterior, "nuevo": nuevo, "observacion": observacion}

    filas = [fila(codigo_operacion(u, n), "alta", obs) for u, n, obs in cat.ALTAS]
    filas += [fila(o["codigo_operacion"], "baja", o["baja"]) for o in ops if o.get("baja")]
    for unidad, n, desde, hacia, observacion in cat.REPROGRAMACIONES:
        codigo = codigo_operacion(unidad, n)
        prog = por_codigo[codigo]["prog"]
        meta = prog[hacia - 1]  # toda la meta del mes nuevo estaba antes en el anterior
        assert meta > 0 and prog[desde - 1] == 0, (codigo, desde, hacia)
        for mes, anterior in sorted([(desde, meta), (hacia, 0)]):
            filas.append(fila(codigo, "programacion", observacion, mes, anterior, prog[mes - 1]))
    return filas


# ----------------------------------------------------------------------------------------
# Presupuesto
# ----------------------------------------------------------------------------------------
def repartir(total: int, pesos: list[float]) -> list[int]:
    """Reparte centavos según pesos (pueden ser negativos); el resto va al último mes.
    Un total pequeño (menos de 5.000 Bs) se devenga de una vez, en el mes de mayor peso, y
    ningún mes recibe menos de 50 Bs (su parte queda en el último mes)."""
    if total == 0:
        return [0] * len(pesos)
    if abs(total) < 500_000:
        partes = [0] * len(pesos)
        partes[max(range(len(pesos)), key=lambda i: (pesos[i], i))] = total
        return partes
    suma = sum(pesos)
    partes = [round(total * w / suma) for w in pesos[:-1]]
    partes = [x if abs(x) >= 5_000 else 0 for x in partes]
    return partes + [total - sum(partes)]


def construir_presupuesto(rng, unidades: list[dict]) -> list[dict]:
    area_de = {u["codigo_unidad"]: u["area"] for u in unidades}
    patron = {
        f["area"]: [float(f[k]) for k in ("jan", "feb", "mar", "apr", "may", "jun")]
        for f in leer_csv("mre-2024-mensual.csv")
        if f["indicator"] == "ejecucion"
    }

    def variar(pesos):
        return [w * float(rng.uniform(0.85, 1.15)) for w in pesos]

    lineas = []
    for f in leer_csv("mre-2024-catprog.csv"):
        categoria = f["cat_prog"]
        vigente = centavos(f["vigente_bs"])
        q2 = centavos(f["dev_q2_bs"])
        s1 = centavos(f["dev_s1_bs"])
        q1 = s1 - q2
        base = patron[area_de[f["unit"]]]
        dev = repartir(q1, variar(base[:3])) + repartir(q2, variar(base[3:]))
        cuota_anual = float(rng.uniform(0.80, 0.97))
        segundo = math.floor(vigente * cuota_anual) - s1
        assert segundo >= 0, categoria
        if s1 == 0:  # línea sin gasto en el semestre: arranca en septiembre
            pesos_s2 = [0, 0, 0.6, 0.9, 1.0, 1.6]
        else:
            pesos_s2 = [0.85, 0.9, 0.95, 0.95, 1.0, 1.5]
        dev += repartir(segundo, variar(pesos_s2))
        assert sum(dev[3:6]) == q2 and sum(dev[:6]) == s1 and sum(dev) <= vigente
        lineas.append(
            {
                "categoria_programatica": categoria,
                "programa": cat.PROGRAMAS[categoria],
                "codigo_unidad": f["unit"],
                "codigo_acp": f["acp"],
                "fuente": cat.FUENTE_RE
                if categoria in cat.CATEGORIAS_RECURSOS_ESPECIFICOS
                else cat.FUENTE_TGN,
                "vigente": vigente / 100,
                **{f"dev_{m:02d}": dev[m - 1] / 100 for m in MESES},
            }
        )
    return lineas


def cents(monto: float) -> int:
    """Centavos de un monto de las filas (Bs, float); `centavos` es para el texto del CSV."""
    return int(round(monto * 100))


def agregar_historia_presupuesto(lineas: list[dict], unidades: list[dict]) -> None:
    """`inicial` y `vig_01..vig_12` de cada línea. El vigente de cada área al cierre de
    marzo es el publicado para el primer trimestre y el de hoy (`vigente`) el del segundo:
    en el mes de la modificación (cat.MES_MODIFICACION_PRESUPUESTARIA), la línea TGN más
    grande de cada área recibe (o cede) la diferencia, de modo que el total de la entidad
    no cambia. Sólo se escribe el vig_ del mes que cambia (vacío = sin cambio); el inicial,
    en todas las líneas."""
    area_de = {u["codigo_unidad"]: u["area"] for u in unidades}
    q1 = {
        f["area"]: centavos(f["vigente_bs"])
        for f in leer_csv("mre-2024-area.csv")
        if f["period"] == "Q1" and f["area"] in area_de.values()
    }
    assert set(q1) == set(area_de.values())
    mes = cat.MES_MODIFICACION_PRESUPUESTARIA
    for linea in lineas:
        linea["inicial"] = linea["vigente"]
        linea.update({f"vig_{m:02d}": None for m in MESES})
    diferencias = {}
    for area, al_primer_trimestre in q1.items():
        propias = [x for x in lineas if area_de[x["codigo_unidad"]] == area]
        diferencias[area] = sum(cents(x["vigente"]) for x in propias) - al_primer_trimestre
        if diferencias[area] == 0:
            continue
        tgn = [x for x in propias if x["fuente"] == cat.FUENTE_TGN]
        linea = max(tgn, key=lambda x: (x["vigente"], x["categoria_programatica"]))
        inicial = cents(linea["vigente"]) - diferencias[area]
        previo = sum(cents(linea[f"dev_{m:02d}"]) for m in range(1, mes))
        assert inicial >= max(0, previo), (area, inicial, previo)
        linea["inicial"] = inicial / 100
        linea[f"vig_{mes:02d}"] = linea["vigente"]
    assert sum(diferencias.values()) == 0, diferencias  # el total de la entidad no cambia


# ----------------------------------------------------------------------------------------
# Verificación independiente (sobre las filas que se escriben)
# ----------------------------------------------------------------------------------------
def avance_unidades(filas_ops: list[dict], meses: tuple) -> dict:
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


def redondear(valor) -> Decimal:
    """Redondeo de presentación: 2 decimales, mitad lejos de cero (15 cifras significativas)."""
    from decimal import ROUND_HALF_UP

    return Decimal(format(float(valor), ".15g")).quantize(Decimal("0.01"), ROUND_HALF_UP)


def verificar(tablas: dict, metas: dict, ref_unidades: list[dict]) -> dict:
    """Recalcula el avance de cada unidad desde las filas escritas y comprueba las metas,
    la media exterior y que los redondeos de unidades, áreas y ACP (avance y × 0,25) den lo
    mismo que las cifras objetivo. Cuenta el POA en vigor en todos los cortes trimestrales:
    sin las operaciones dadas de baja en febrero."""
    bajas = {r["codigo_operacion"] for r in tablas["reformulaciones"] if r["cambio"] == "baja"}
    ops = [f for f in tablas["operaciones"] if f["codigo_operacion"] not in bajas]
    area = {u["codigo_unidad"]: u["area"] for u in tablas["unidades"]}
    coordinacion = cat.COORDINACION_EXTERIOR[0]
    errores = {}
    for q in (1, 2, 3, 4):
        av = avance_unidades(ops, TRIMESTRES[q])
        assert set(av) == set(area), f"T{q}: unidades sin programación"
        for u, v in av.items():
            d = v - metas[(u, q)]
            errores[(u, q)] = d
            if q >= 3:
                assert abs(d) <= 0.51 and v >= 79, (u, q, v, metas[(u, q)])
            elif area[u] == AREA_EXTERIOR and u != coordinacion:
                assert abs(d) <= 0.61, (u, q, v, metas[(u, q)])
            elif metas[(u, q)] >= 100:
                assert d == 0, (u, q, v)
            else:
                assert abs(d) < 0.0005, (u, q, v, metas[(u, q)])
                assert redondear(v / 4) == redondear(Decimal(str(metas[(u, q)])) / 4), (u, q)
        if q in MEDIA_EXTERIOR:
            ext = [v for u, v in av.items() if area[u] == AREA_EXTERIOR]
            assert len(ext) == 85 and abs(sum(ext) / 85 - MEDIA_EXTERIOR[q]) < 0.0005
            for grupo in grupos_centrales(ref_unidades).values():
                real = sum(av[u] for u in grupo) / len(grupo)
                meta = sum(Decimal(str(metas[(u, q)])) for u in grupo) / len(grupo)
                assert redondear(real) == redondear(meta), (grupo, q, real, meta)
                assert redondear(real / 4) == redondear(meta / 4), (grupo, q, real, meta)
    return errores


def vigente_al_cierre(linea: dict, mes: int) -> int:
    """Centavos en vigor al cierre de `mes` (contrato: vig_ vacío = el del mes anterior,
    antes del primero el inicial; sin ningún vig_, el vigente todo el año)."""
    escritos = [m for m in MESES if linea[f"vig_{m:02d}"] is not None]
    if not escritos:
        return cents(linea["vigente"])
    monto = linea["inicial"]
    for m in range(1, mes + 1):
        if linea[f"vig_{m:02d}"] is not None:
            monto = linea[f"vig_{m:02d}"]
    return cents(monto)


def verificar_presupuesto(tablas: dict) -> None:
    """Con la historia del presupuesto, el vigente por área al cierre de marzo y de junio,
    el devengado del primer trimestre y su ejecución son los publicados
    (mre-2024-area.csv, Q1 y Q2); el total de la entidad no cambia en el año y ninguna
    línea devenga más de lo que tiene en vigor."""
    area_de = {u["codigo_unidad"]: u["area"] for u in tablas["unidades"]}
    lineas = tablas["presupuesto"]
    for linea in lineas:
        escritos = [m for m in MESES if linea[f"vig_{m:02d}"] is not None]
        if escritos:  # el último vig_ escrito es el vigente de hoy
            assert linea[f"vig_{escritos[-1]:02d}"] == linea["vigente"], linea
        devengado = 0
        for m in MESES:
            devengado += cents(linea[f"dev_{m:02d}"])
            assert devengado <= vigente_al_cierre(linea, m), (linea["categoria_programatica"], m)
    total = sum(cents(x["vigente"]) for x in lineas)
    assert all(sum(vigente_al_cierre(x, m) for x in lineas) == total for m in MESES)
    for f in leer_csv("mre-2024-area.csv"):
        if f["period"] == "S1":
            continue
        propias = [x for x in lineas if f["area"] in ("TOTAL_MRE", area_de[x["codigo_unidad"]])]
        mes = 3 if f["period"] == "Q1" else 6
        vigente = sum(vigente_al_cierre(x, mes) for x in propias)
        assert vigente == centavos(f["vigente_bs"]), (f["area"], f["period"], vigente)
        meses = TRIMESTRES[1 if f["period"] == "Q1" else 2]
        devengado = sum(cents(x[f"dev_{m:02d}"]) for x in propias for m in meses)
        assert devengado == centavos(f["devengado_bs"]), (f["area"], f["period"], devengado)
        ejecucion = redondear(Fraction(devengado, vigente) * 100)
        assert abs(ejecucion - Decimal(f["ejec_pct"])) <= Decimal("0.01"), (f, ejecucion)


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
    assert 3 <= len(cambios["alta"]) <= 4 and 2 <= len(cambios["baja"]) <= 3
    for r in cambios["alta"]:
        o = ops[r["codigo_operacion"]]
        assert all(o[f"{g}_{m:02d}"] == 0 for g in ("prog", "ejec") for m in (1, 2)), o
        assert o["no_aplica"] is None and r["mes"] is r["anterior"] is r["nuevo"] is None
    for r in cambios["baja"]:
        o = ops[r["codigo_operacion"]]
        assert o["prog_01"] > 0 and o["ejec_01"] > 0, o
        assert all(o[f"prog_{m:02d}"] == o[f"ejec_{m:02d}"] == 0 for m in MESES[1:]), o
    altas_bajas = [r["codigo_operacion"] for r in cambios["alta"] + cambios["baja"]]
    assert len(set(altas_bajas)) == len(altas_bajas)
    reprogramadas: dict = {}
    for r in cambios["programacion"]:
        assert r["codigo_operacion"] not in altas_bajas and r["anterior"] != r["nuevo"]
        assert r["nuevo"] == ops[r["codigo_operacion"]][f"prog_{r['mes']:02d}"], r
        reprogramadas.setdefault(r["codigo_operacion"], []).append(r)
    assert 3 <= len(reprogramadas) <= 5
    for codigo, rs in reprogramadas.items():
        assert len({r["mes"] for r in rs}) == len(rs) >= 2, codigo
        assert sum(r["anterior"] for r in rs) == sum(r["nuevo"] for r in rs), codigo
    servicio = {u["codigo_unidad"]: u["servicio"] for u in tablas["unidades"]}
    bajas = {r["codigo_operacion"] for r in cambios["baja"]}
    for s in TOTAL_OPERACIONES:
        en_vigor = [
            o for c, o in ops.items() if servicio[o["codigo_unidad"]] == s and c not in bajas
        ]
        assert len(en_vigor) == TOTAL_OPERACIONES[s], (s, len(en_vigor))
        assert sum(o["tareas"] for o in en_vigor) == TOTAL_TAREAS[s], s


# ----------------------------------------------------------------------------------------
# Tablas y escritura
# ----------------------------------------------------------------------------------------
def filas_operaciones(ops: list[dict]) -> list[dict]:
    filas = []
    for o in ops:
        fila = {k: o[k] for k in COLUMNAS["operaciones"][:9]}
        fila.update({f"prog_{m:02d}": o["prog"][m - 1] for m in MESES})
        fila.update({f"ejec_{m:02d}": o["ejec"][m - 1] for m in MESES})
        filas.append(fila)
    return filas


def construir_articulacion() -> list[dict]:
    return [dict(zip(COLUMNAS["articulacion"], fila)) for fila in cat.ARTICULACION]


def _pais(nombre: str) -> str:
    """'Consulado de Bolivia en Sevilla (España)' -> 'España'; sin paréntesis, el nombre."""
    return nombre.rsplit("(", 1)[-1].rstrip(")") if "(" in nombre else nombre


def construir_estadisticas(unidades: list[dict]) -> list[dict]:
    """Servicios de cada oficina consular por mes, desagregados por su país. Un generador
    propio (semilla derivada): agregar esta hoja no cambia las demás."""
    rng = np.random.default_rng(SEMILLA + 1)
    escala = {"Consulado General": 1.0, "Consulado": 0.55, "Viceconsulado": 0.25}
    filas = []
    for u in unidades:
        if u["tipo"] not in cat.TIPOS_CON_ESTADISTICAS:
            continue
        for indicador, volumen in cat.SERVICIOS_CONSULARES:
            base = volumen * escala[u["tipo"]] * rng.uniform(0.6, 1.4)
            for mes in MESES:
                # Más trámites a mitad y a fin de año (vacaciones, regularizaciones).
                estacion = 1.0 + 0.25 * (mes in (6, 7, 11, 12))
                valor = int(round(base * estacion * rng.uniform(0.8, 1.2)))
                filas.append({"codigo_unidad": u["codigo_unidad"], "indicador": indicador,
                              "desagregacion": _pais(u["nombre"]), "mes": mes, "valor": valor})
    return filas


def construir_ingresos() -> list[dict]:
    """Recaudación mensual de cada rubro: la parte del vigente del catálogo repartida en el
    año con más peso en los meses de más trámites; una devolución en abril en el primero."""
    rng = np.random.default_rng(SEMILLA + 2)
    filas = []
    for i, (rubro, descripcion, fuente, vigente, parte) in enumerate(cat.INGRESOS):
        pesos = np.array([1.0 + 0.25 * (m in (6, 7, 11, 12)) for m in MESES])
        pesos = pesos * rng.uniform(0.85, 1.15, len(MESES))
        montos = np.round(vigente * parte * pesos / pesos.sum(), 2)
        fila = {"rubro": rubro, "descripcion": descripcion, "fuente": fuente,
                "vigente": float(vigente)}
        fila.update({f"rec_{m:02d}": float(v) for m, v in zip(MESES, montos)})
        if i == 0:
            fila["rec_04"] = -12_450.0  # devolución de valores anulados
        filas.append(fila)
    return filas


def construir_tablas(rng_semilla: int = SEMILLA) -> tuple[dict, dict]:
    rng = np.random.default_rng(rng_semilla)
    ref_unidades = leer_csv("mre-2024-unidades.csv")
    unidades = construir_unidades(ref_unidades)
    # Misiones con 2 operaciones fijas (las demás, 1): 311 operaciones en el exterior.
    misiones = [u for u in unidades if u["area"] == AREA_EXTERIOR and u["codigo_unidad"] != "SE"]
    con_dos = 311 - len(cat.OPERACIONES_SE) - 3 * len(misiones)
    dos = set(rng.choice(len(misiones), con_dos, replace=False).tolist())
    for i, u in enumerate(misiones):
        u["n_fijas"] = 2 if i in dos else 1
    ops = construir_operaciones(rng, unidades)
    metas_ext = metas_exterior(rng, unidades)
    metas = ajustar_operaciones(rng, ops, unidades, ref_unidades, metas_ext)
    ops = agregar_bajas(ops, unidades)
    presupuesto = construir_presupuesto(rng, unidades)
    agregar_historia_presupuesto(presupuesto, unidades)
    tablas = {
        "unidades": [{k: u[k] for k in COLUMNAS["unidades"]} for u in unidades],
        "areas": [dict(zip(COLUMNAS["areas"], fila)) for fila in cat.AREAS],
        "acp": [dict(zip(COLUMNAS["acp"], fila)) for fila in cat.ACPS],
        "operaciones": filas_operaciones(ops),
        "presupuesto": presupuesto,
        "narrativa": [dict(zip(COLUMNAS["narrativa"], fila)) for fila in cat.NARRATIVA],
        "historico": [dict(zip(COLUMNAS["historico"], fila)) for fila in cat.HISTORICO],
        "articulacion": construir_articulacion(),
        "estadisticas": construir_estadisticas(unidades),
        "ingresos": construir_ingresos(),
        "reformulaciones": construir_reformulaciones(ops),
    }
    return tablas, metas


def escribir_libro(tablas: dict, salida: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for nombre, columnas in COLUMNAS.items():
        ws = wb.create_sheet(nombre)
        ws.append(columnas)
        for fila in tablas[nombre]:
            ws.append([fila[c] for c in columnas])
        ws.freeze_panes = "A2"
        for j, c in enumerate(columnas, start=1):
            largo = max([len(c)] + [len(str(f[c])) for f in tablas[nombre] if f[c] is not None])
            ws.column_dimensions[get_column_letter(j)].width = min(max(largo + 2, 8), 60)
        if nombre in ("presupuesto", "ingresos"):
            # Montos: desde la primera columna de montos (inicial o vigente) hasta el final.
            primera = min(columnas.index(c) for c in ("inicial", "vigente") if c in columnas) + 1
            for fila in ws.iter_rows(min_row=2, min_col=primera, max_col=len(columnas)):
                for celda in fila:
                    celda.number_format = "#,##0.00"
        if "fecha" in columnas:
            j = columnas.index("fecha") + 1
            for fila in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                fila[0].number_format = "dd/mm/yyyy"
    wb.properties.creator = "informe-poa"
    wb.properties.lastModifiedBy = "informe-poa"
    wb.properties.title = "POA 2024 - Ministerio de Relaciones Exteriores (muestra)"
    wb.properties.created = FECHA_LIBRO
    wb.properties.modified = FECHA_LIBRO
    crudo = io.BytesIO()
    with zipfile.ZipFile(crudo, "w", zipfile.ZIP_DEFLATED) as archivo:
        ExcelWriter(wb, archivo).save()
    # Fechas fijas dentro del zip: el archivo no cambia si el contenido no cambia.
    salida.parent.mkdir(parents=True, exist_ok=True)
    fecha_zip = FECHA_LIBRO.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(crudo.getvalue())) as origen,
        zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino,
    ):
        for info in origen.infolist():
            nuevo = zipfile.ZipInfo(info.filename, date_time=fecha_zip)
            nuevo.compress_type = zipfile.ZIP_DEFLATED
            nuevo.external_attr = 0o600 << 16
            destino.writestr(nuevo, origen.read(info.filename))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--salida",
        type=Path,
        default=SALIDA_POR_DEFECTO,
        help=f"libro a escribir (por defecto {SALIDA_POR_DEFECTO.relative_to(RAIZ)})",
    )
    args = parser.parse_args(argv)
    tablas, metas = construir_tablas()
    errores = verificar(tablas, metas, leer_csv("mre-2024-unidades.csv"))
    verificar_presupuesto(tablas)
    verificar_reformulaciones(tablas)
    escribir_libro(tablas, args.salida)
    ops = tablas["operaciones"]
    central = {u["codigo_unidad"] for u in tablas["unidades"] if u["servicio"] == "Central"}
    peor = max(abs(e) for (u, q), e in errores.items() if q <= 2 and u in central)
    print(
        f"{args.salida}: {len(tablas['unidades'])} unidades, {len(ops)} operaciones "
        f"({sum(r['cambio'] == 'baja' for r in tablas['reformulaciones'])} dadas de baja), "
        f"{sum(o['tareas'] for o in ops)} tareas, {len(tablas['presupuesto'])} líneas de "
        f"presupuesto, {len(tablas['reformulaciones'])} cambios de la reformulación; desvío "
        f"máximo del avance central T1-T2: {peor:.6f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
