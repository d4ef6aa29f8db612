"""El libro de muestra data/2024/poa_2024.xlsx: sale del script, cumple el contrato de datos y
reproduce las cifras publicadas del MRE (POA 2024, segundo trimestre)."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.entrada.contrato import COLUMNAS_CONTRATO, HOJAS_DEL_LIBRO_RECOGIDO

RAIZ = Path(__file__).resolve().parents[1]
LIBRO = RAIZ / "data" / "2024" / "poa_2024.xlsx"
SCRIPT = RAIZ / "scripts" / "generar_muestra.py"
REFERENCIA = RAIZ / "data" / "referencia"

MESES = range(1, 13)
T1, T2 = (1, 2, 3), (4, 5, 6)
# Las columnas de cada hoja, tal como las define el contrato; la muestra es un libro del POA,
# sin las hojas que escribe informe-poa recoger.
COLUMNAS = {hoja: columnas for hoja, columnas in COLUMNAS_CONTRATO.items()
            if hoja not in HOJAS_DEL_LIBRO_RECOGIDO}


def valores(ruta: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(ruta, data_only=True)
    try:
        return {ws.title: [tuple(f) for f in ws.iter_rows(values_only=True)] for ws in wb}
    finally:
        wb.close()


def registros(hoja: list[tuple]) -> list[dict]:
    cabecera = hoja[0]
    return [dict(zip(cabecera, fila)) for fila in hoja[1:]]


def leer_csv(nombre: str) -> list[dict]:
    with open(REFERENCIA / nombre, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def centavos(x) -> int:
    return int((Decimal(str(x)) * 100).to_integral_value())


def redondear(x) -> Decimal:
    return Decimal(format(float(x), ".15g")).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture(scope="module")
def libro() -> dict[str, list[dict]]:
    return {nombre: registros(hoja) for nombre, hoja in valores(LIBRO).items()}


def en_vigor(libro: dict[str, list[dict]]) -> list[dict]:
    """Las operaciones del POA en vigor en todos los cortes trimestrales: sin las dadas de
    baja por la reformulación de febrero (las altas y reprogramaciones ya rigen en marzo)."""
    bajas = {r["codigo_operacion"] for r in libro["reformulaciones"] if r["cambio"] == "baja"}
    return [o for o in libro["operaciones"] if o["codigo_operacion"] not in bajas]


def avance(operaciones: list[dict], meses: tuple) -> dict[str, float]:
    """Cálculo independiente (metodología §2): cumplimiento con tope 100 %, ejecución en
    blanco = 0, fuera las operaciones sin programación o NO APLICA, ponderado por tareas."""
    suma, tareas = defaultdict(float), defaultdict(int)
    for o in operaciones:
        if o["no_aplica"]:
            continue
        prog = sum(o[f"prog_{m:02d}"] or 0 for m in meses)
        if prog == 0:
            continue
        ejec = sum(o[f"ejec_{m:02d}"] or 0 for m in meses)
        suma[o["codigo_unidad"]] += min(ejec / prog, 1) * 100 * (o["tareas"] or 1)
        tareas[o["codigo_unidad"]] += o["tareas"] or 1
    return {u: suma[u] / tareas[u] for u in suma}


# ------------------------------------------------------------------------------------------
def sha256(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def test_el_libro_sale_del_script(tmp_path):
    """El libro guardado es, byte a byte, el que escribe hoy el generador con su catálogo
    (data/muestra/): cambiar el catálogo o el generador sin regenerar la muestra (`make
    muestra`) falla aquí. El generador es determinista (semilla, propiedades del libro y
    fechas del zip fijas), así que se comparan los sha256 de los dos archivos; antes, hoja
    por hoja, los valores de las celdas, para decir dónde está la diferencia."""
    salida = tmp_path / "poa_2024.xlsx"
    sale_del_script(SCRIPT, LIBRO, salida)


def sale_del_script(script: Path, libro: Path, salida: Path) -> None:
    """`script --salida salida` escribe `libro` byte a byte (antes, hoja por hoja, los
    valores: para decir dónde está la diferencia)."""
    subprocess.run(
        [sys.executable, str(script), "--salida", str(salida)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    nuevo, guardado = valores(salida), valores(libro)
    assert list(nuevo) == list(guardado)
    for hoja in guardado:
        assert nuevo[hoja] == guardado[hoja], f"la hoja {hoja} difiere del script"
    assert sha256(salida) == sha256(libro), "mismos valores, otros bytes: estilos o propiedades"


def test_hojas_y_columnas_del_contrato():
    hojas = valores(LIBRO)
    assert list(hojas) == list(COLUMNAS)
    for nombre, columnas in COLUMNAS.items():
        assert list(hojas[nombre][0]) == columnas, nombre


def test_conteos(libro):
    assert [a["codigo_acp"] for a in libro["acp"]] == [str(i) for i in range(1, 8)]
    assert {a["codigo_amp"] for a in libro["acp"]} == {f"AMP {i}" for i in range(1, 7)}
    unidades = libro["unidades"]
    codigos = [u["codigo_unidad"] for u in unidades]
    assert len(codigos) == len(set(codigos)) == 110
    centrales = [u for u in unidades if u["servicio"] == "Central"]
    exteriores = [u for u in unidades if u["servicio"] == "Exterior"]
    publicadas = leer_csv("mre-2024-unidades.csv")
    assert [(u["codigo_unidad"], u["area"]) for u in centrales] == [
        (f["unit"], f["area"]) for f in publicadas
    ]
    assert all(u["area"] == "SERV_EXTERIOR" for u in exteriores) and len(exteriores) == 85
    assert Counter(u["tipo"] for u in exteriores) == {
        "Embajada": 33,
        "Consulado": 27,
        "Consulado General": 14,
        "Viceconsulado": 4,
        "Representación Permanente": 4,
        "Centro Emisor": 2,
        "Coordinación": 1,
    }
    ops = libro["operaciones"]
    assert 400 <= len(ops) <= 440
    assert len({o["codigo_operacion"] for o in ops}) == len(ops)
    assert all(isinstance(o["tareas"], int) and o["tareas"] >= 1 for o in ops)
    assert 4300 <= sum(o["tareas"] for o in ops) <= 4500
    # Cada operación pertenece a la ACP de su unidad (exterior: ACP 7).
    acp_de = {f["unit"]: f["acp"] for f in publicadas}
    for o in ops:
        assert o["codigo_acp"] == acp_de.get(o["codigo_unidad"], "7"), o["codigo_operacion"]
        assert o["codigo_unidad"] in codigos
    assert all(
        isinstance(o[f"prog_{m:02d}"], int) and o[f"prog_{m:02d}"] >= 0 for o in ops for m in MESES
    )


def test_presupuesto_reproduce_lo_publicado(libro):
    lineas = libro["presupuesto"]
    publicadas = leer_csv("mre-2024-catprog.csv")
    assert len(lineas) == len(publicadas) == 35
    assert len({(x["categoria_programatica"], x["fuente"]) for x in lineas}) == 35
    unidades = {u["codigo_unidad"] for u in libro["unidades"]}
    for linea, pub in zip(lineas, publicadas):
        assert linea["categoria_programatica"] == pub["cat_prog"]
        assert linea["codigo_unidad"] == pub["unit"] and linea["codigo_unidad"] in unidades
        assert linea["codigo_acp"] == pub["acp"]
        assert centavos(linea["vigente"]) == centavos(pub["vigente_bs"])
        dev = [centavos(linea[f"dev_{m:02d}"]) for m in MESES]
        assert sum(dev[3:6]) == centavos(pub["dev_q2_bs"]), pub["cat_prog"]
        assert sum(dev[:6]) == centavos(pub["dev_s1_bs"]), pub["cat_prog"]
        assert sum(dev) <= centavos(pub["vigente_bs"])

    def total(meses):
        return sum(centavos(x[f"dev_{m:02d}"]) for x in lineas for m in meses)

    assert sum(centavos(x["vigente"]) for x in lineas) == 35520215100
    assert total(T2) == 6192414557
    assert total(T1 + T2) == 11792100347
    assert any(x[f"dev_{m:02d}"] < 0 for x in lineas for m in MESES)
    assert {x["fuente"] for x in lineas} == {"10 TGN", "20 Recursos Específicos"}


def test_avance_de_las_unidades_reproduce_lo_publicado(libro):
    ops = en_vigor(libro)
    a1, a2 = avance(ops, T1), avance(ops, T2)
    for f in leer_csv("mre-2024-unidades.csv"):
        meta_t1 = 75.12 if f["unit"] == "DGAJ" else float(f["avance_q1"])  # 18,78 × 4
        assert abs(a1[f["unit"]] - meta_t1) < 0.0005, f["unit"]
        assert abs(a2[f["unit"]] - float(f["avance_q2"])) < 0.0005, f["unit"]
        assert redondear(a2[f["unit"]] / 4) == Decimal(f["efic_q2"]), f["unit"]
    exteriores = [u["codigo_unidad"] for u in libro["unidades"] if u["area"] == "SERV_EXTERIOR"]
    assert len(exteriores) == 85
    assert abs(sum(a1[u] for u in exteriores) / 85 - 78.36) < 0.0005
    assert abs(sum(a2[u] for u in exteriores) / 85 - 83.21) < 0.0005
    valores_ext = [a1[u] for u in exteriores] + [a2[u] for u in exteriores]
    assert min(valores_ext) < 50 and max(valores_ext) == 100


def test_medias_por_area_redondean_a_lo_publicado(libro):
    """Media simple de las unidades de cada área (y × 0,25) = cifra publicada; en T1 la
    Administración Central da 90,16 en lugar de 90,76 por la corrección de DGAJ."""
    ops = en_vigor(libro)
    area_de = {u["codigo_unidad"]: u["area"] for u in libro["unidades"]}
    for periodo, meses in (("Q1", T1), ("Q2", T2)):
        av = avance(ops, meses)
        for f in leer_csv("mre-2024-area.csv"):
            if f["period"] != periodo or f["area"] == "TOTAL_MRE":
                continue
            unidades = [u for u in av if area_de[u] == f["area"]]
            media = sum(av[u] for u in unidades) / len(unidades)
            esperado = (
                Decimal("90.16")
                if (periodo, f["area"]) == ("Q1", "ADM_CENTRAL")
                else Decimal(f["avance_pct"])
            )
            assert redondear(media) == esperado, (periodo, f["area"], media)
            if esperado == Decimal(f["avance_pct"]):
                assert redondear(media / 4) == Decimal(f["eficacia_pct"]), (periodo, f["area"])


def test_casos_especiales(libro):
    ops = libro["operaciones"]
    no_aplica = [o["codigo_operacion"] for o in ops if o["no_aplica"]]
    assert len(no_aplica) == 1
    assert next(o for o in ops if o["no_aplica"])["prog_05"] > 0  # conserva su programa

    def sin_programacion(meses):
        return [
            o["codigo_operacion"]
            for o in ops
            if sum(o[f"prog_{m:02d}"] for m in meses) == 0
            and sum(o[f"ejec_{m:02d}"] or 0 for m in meses) > 0
        ]

    assert len(sin_programacion(T1) + sin_programacion(T2)) == 1
    assert sin_programacion(T1 + T2) == sin_programacion(T2)
    assert sin_programacion((7, 8, 9)) == sin_programacion((10, 11, 12)) == []
    en_blanco = [
        (o["codigo_operacion"], m) for o in ops for m in MESES if o[f"ejec_{m:02d}"] is None
    ]
    assert len(en_blanco) == 1
    codigo, mes = en_blanco[0]
    assert mes <= 6
    assert next(o for o in ops if o["codigo_operacion"] == codigo)[f"prog_{mes:02d}"] > 0
    # Alguna operación supera lo programado en el trimestre.
    assert any(
        sum(o[f"ejec_{m:02d}"] or 0 for m in T2) > sum(o[f"prog_{m:02d}"] for m in T2) > 0
        for o in ops
    )


def test_narrativa_e_historico(libro):
    unidades = {u["codigo_unidad"]: u["area"] for u in libro["unidades"]}
    narrativa = libro["narrativa"]
    assert {n["tipo"] for n in narrativa} == {"logro", "dificultad", "recomendacion"}
    assert {n["trimestre"] for n in narrativa} == {1, 2, 3, 4}
    assert all(n["codigo_unidad"] in unidades and n["texto"] for n in narrativa)
    assert {unidades[n["codigo_unidad"]] for n in narrativa} == set(unidades.values())
    assert any(n["codigo_acp"] for n in narrativa) and any(not n["codigo_acp"] for n in narrativa)
    historico = libro["historico"]
    assert {(h["gestion"], h["area"]) for h in historico} == {
        (g, a) for g in (2022, 2023) for a in set(unidades.values())
    }
    assert all(0 <= h["avance_fisico"] <= 100 and 0 <= h["ejecucion"] <= 100 for h in historico)


def test_la_reformulacion_es_coherente_con_las_operaciones(libro):
    """Una reformulación (una resolución, de febrero): las altas empiezan en marzo o
    después, las bajas sólo tienen enero, y cada reprogramación deja en `nuevo` el valor de
    la hoja operaciones y conserva el total del año de la operación."""
    ref = libro["reformulaciones"]
    ops = {o["codigo_operacion"]: o for o in libro["operaciones"]}
    assert len({(r["numero"], r["resolucion"], r["fecha"]) for r in ref}) == 1
    assert ref[0]["numero"] == 1 and ref[0]["fecha"].month == 2
    assert all(r["codigo_operacion"] in ops for r in ref)
    por_cambio = defaultdict(list)
    for r in ref:
        por_cambio[r["cambio"]].append(r)
    assert set(por_cambio) == {"alta", "baja", "programacion"}
    for r in por_cambio["alta"]:
        o = ops[r["codigo_operacion"]]
        assert all(o[f"{g}_{m:02d}"] == 0 for g in ("prog", "ejec") for m in (1, 2)), o
        assert sum(o[f"prog_{m:02d}"] for m in MESES) > 0
    for r in por_cambio["baja"]:
        o = ops[r["codigo_operacion"]]
        assert o["prog_01"] > 0 and o["ejec_01"] > 0
        assert all(o[f"prog_{m:02d}"] == o[f"ejec_{m:02d}"] == 0 for m in MESES if m > 1)
    reprogramadas = defaultdict(list)
    for r in por_cambio["programacion"]:
        assert r["nuevo"] == ops[r["codigo_operacion"]][f"prog_{r['mes']:02d}"], r
        assert r["anterior"] != r["nuevo"]
        reprogramadas[r["codigo_operacion"]].append(r)
    for codigo, filas in reprogramadas.items():
        assert sum(r["anterior"] for r in filas) == sum(r["nuevo"] for r in filas), codigo
