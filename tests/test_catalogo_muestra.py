"""El catálogo de la muestra (data/muestra/) y las reglas del generador (scripts/muestra/).

Que el libro guardado sea byte a byte el del generador lo prueba
`test_muestra.py::test_el_libro_sale_del_script`; aquí, que el catálogo es legible y
coherente (columnas, operaciones nombradas que existen, categorías con programa), que las
reglas de la verificación y del ajuste rechazan lo que deben, y que el programa (src/ y los
cuadernos) no nombra la entidad de la muestra ni sus códigos: eso vive sólo en data/.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from helpers.entrada.contrato import COLUMNAS_CONTRATO

RAIZ = Path(__file__).resolve().parents[1]
CATALOGO = RAIZ / "data" / "muestra"
REFERENCIA = RAIZ / "data" / "referencia"
sys.path.insert(0, str(RAIZ / "scripts"))
from muestra import ajuste, catalogo, verificacion  # noqa: E402

MESES = range(1, 13)
# Los archivos del catálogo que son una hoja del libro tal cual.
HOJAS_COPIADAS = {
    "acp.csv": "acp",
    "areas.csv": "areas",
    "articulacion.csv": "articulacion",
    "historico.csv": "historico",
    "narrativa.csv": "narrativa",
}


def leer_csv(ruta: Path) -> list[list[str]]:
    with open(ruta, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# ------------------------------------------------------------------------------------------
# Los archivos
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("archivo", sorted(p.name for p in CATALOGO.glob("*.csv")))
def test_cada_fila_tiene_todas_sus_celdas(archivo):
    filas = leer_csv(CATALOGO / archivo)
    cabecera, datos = filas[0], filas[1:]
    assert datos, archivo
    assert all(re.fullmatch(r"[a-z_]+", c) for c in cabecera), cabecera
    for i, fila in enumerate(datos, start=2):
        assert len(fila) == len(cabecera), (archivo, i)
        assert all(celda == celda.strip() for celda in fila), (archivo, i)


@pytest.mark.parametrize("archivo, hoja", sorted(HOJAS_COPIADAS.items()))
def test_las_hojas_copiadas_tienen_las_columnas_del_contrato(archivo, hoja):
    assert leer_csv(CATALOGO / archivo)[0] == COLUMNAS_CONTRATO[hoja]


def test_cada_yaml_se_lee():
    for ruta in CATALOGO.glob("*.yaml"):
        assert isinstance(yaml.safe_load(ruta.read_text(encoding="utf-8")), dict), ruta.name


@pytest.mark.parametrize("texto, periodicidad", [
    ("mensual", "mensual"), ("trimestral", "trimestral"), ("semestral", "semestral"),
    ("mes 9", (9,)), ("meses 3 y 12", (3, 12)), ("meses 3, 5, 8 y 10", (3, 5, 8, 10)),
])
def test_periodicidad(texto, periodicidad):
    assert catalogo.periodicidad(texto) == periodicidad


# ------------------------------------------------------------------------------------------
# Coherencia del catálogo
# ------------------------------------------------------------------------------------------
def test_cada_unidad_publicada_tiene_nombre_y_operaciones():
    publicadas = [f["unit"] for f in csv.DictReader(
        open(REFERENCIA / "mre-2024-unidades.csv", encoding="utf-8", newline=""))]
    assert set(publicadas) == set(catalogo.UNIDADES_CENTRALES)
    assert set(catalogo.OPERACIONES) == set(publicadas) | {catalogo.COORDINACION}
    codigos = list(catalogo.UNIDADES_CENTRALES) + [u[0] for u in catalogo.UNIDADES_EXTERIORES]
    assert len(codigos) == len(set(codigos))
    assert catalogo.UNIDADES_EXTERIORES[0][0] == catalogo.COORDINACION


def test_cada_mision_tiene_plantillas_con_sus_lugares():
    """Las plantillas de cada tipo de misión sólo nombran lugares que la misión tiene."""
    for codigo, tipo, _, lugares in catalogo.UNIDADES_EXTERIORES[1:]:
        fijas, de_ajuste = catalogo.PLANTILLAS_EXTERIOR[tipo]
        assert len(fijas) >= 2 and len(de_ajuste) >= 2, tipo
        for descripcion, *_ in fijas + de_ajuste:
            descripcion.format(**lugares)  # KeyError si falta un lugar
        assert all(p[3] == "mensual" for p in de_ajuste), tipo
        assert all(p[4] is not None for p in fijas + de_ajuste) or tipo in (
            catalogo.VOLUMEN_CONSULAR), (codigo, tipo)


def test_las_dos_ultimas_operaciones_de_cada_unidad_son_mensuales():
    """Son las que se ajustan: su meta se reparte en los tres meses de cada trimestre."""
    for unidad, operaciones in catalogo.OPERACIONES.items():
        assert len(operaciones) >= 3, unidad
        assert [o[3] for o in operaciones[-2:]] == ["mensual", "mensual"], unidad


def test_las_operaciones_nombradas_existen():
    """Los casos especiales y la reformulación nombran operaciones del catálogo (la del mes
    sin reporte es de una misión: su primera operación fija)."""
    nombradas = [catalogo.NO_APLICA[:2], catalogo.SIN_PROGRAMACION[:2]]
    nombradas += [a[:2] for a in catalogo.ALTAS] + [r[:2] for r in catalogo.REPROGRAMACIONES]
    for unidad, n in nombradas:
        assert 1 <= n <= len(catalogo.OPERACIONES[unidad]), (unidad, n)
    misiones = {u[0] for u in catalogo.UNIDADES_EXTERIORES[1:]}
    assert catalogo.SIN_REPORTE[0] in misiones and catalogo.SIN_REPORTE[1] == 1
    assert {b[0] for b in catalogo.BAJAS} <= set(catalogo.OPERACIONES)
    for _, _, anterior, nuevo, _ in catalogo.REPROGRAMACIONES:
        assert anterior != nuevo and {anterior, nuevo} <= set(MESES)


def test_cada_categoria_publicada_tiene_programa_y_fuente():
    publicadas = {f["cat_prog"] for f in csv.DictReader(
        open(REFERENCIA / "mre-2024-catprog.csv", encoding="utf-8", newline=""))}
    assert set(catalogo.PROGRAMAS) == publicadas
    fuentes = {fuente for _, fuente in catalogo.PROGRAMAS.values()}
    assert catalogo.FUENTE_TESORO in fuentes and len(fuentes) == 2


# ------------------------------------------------------------------------------------------
# Reglas de la verificación
# ------------------------------------------------------------------------------------------
def operacion(prog: list[int], ejec: list[int]) -> dict:
    fila = {"no_aplica": None}
    fila.update({f"prog_{m:02d}": prog[m - 1] for m in MESES})
    fila.update({f"ejec_{m:02d}": ejec[m - 1] for m in MESES})
    return fila


def test_una_baja_solo_tiene_enero():
    verificacion.verificar_baja(operacion([2] + [0] * 11, [1] + [0] * 11))
    with pytest.raises(AssertionError):
        verificacion.verificar_baja(operacion([2, 1] + [0] * 10, [1] + [0] * 11))
    with pytest.raises(AssertionError):  # sin logro en enero
        verificacion.verificar_baja(operacion([2] + [0] * 11, [0] * 12))


def test_un_alta_empieza_en_marzo():
    fila = {"mes": None, "anterior": None, "nuevo": None}
    verificacion.verificar_alta(fila, operacion([0, 0] + [3] * 10, [0, 0] + [3] * 10))
    with pytest.raises(AssertionError):
        verificacion.verificar_alta(fila, operacion([1] * 12, [0] * 12))
    with pytest.raises(AssertionError):  # la fila de un alta no lleva mes
        verificacion.verificar_alta({**fila, "mes": 3}, operacion([0] * 12, [0] * 12))


def test_una_reprogramacion_conserva_el_total_del_anio():
    ops = {"OP-A-01": operacion([0, 0, 0, 0, 4] + [0] * 7, [0] * 12)}

    def filas(anterior_mayo):
        return [{"codigo_operacion": "OP-A-01", "mes": 4, "anterior": 4, "nuevo": 0},
                {"codigo_operacion": "OP-A-01", "mes": 5, "anterior": anterior_mayo, "nuevo": 4}]

    # Tres operaciones reprogramadas como mínimo: las mismas filas con otros códigos.
    def tres(filas_de_una):
        salida = []
        for k in ("OP-A-01", "OP-B-01", "OP-C-01"):
            ops[k] = ops["OP-A-01"]
            salida += [{**f, "codigo_operacion": k} for f in filas_de_una]
        return salida

    verificacion.verificar_reprogramaciones(tres(filas(0)), ops, [])
    with pytest.raises(AssertionError):  # 4 pasan a abril, y mayo sube de 1 a 4
        verificacion.verificar_reprogramaciones(tres(filas(1)), ops, [])
    with pytest.raises(AssertionError):  # una operación dada de alta no se reprograma
        verificacion.verificar_reprogramaciones(tres(filas(0)), ops, ["OP-B-01"])


def test_el_avance_de_una_unidad_central_es_su_meta():
    area = "ADM"
    assert verificacion.verificar_unidad("U", 1, 90.0002, 90.0, area) == pytest.approx(0.0002)
    with pytest.raises(AssertionError):
        verificacion.verificar_unidad("U", 1, 90.001, 90.0, area)
    with pytest.raises(AssertionError):  # meta 100: exacta
        verificacion.verificar_unidad("U", 2, 99.9999, 100.0, area)
    # Segundo semestre: ±0,51.
    verificacion.verificar_unidad("U", 3, 90.5, 90.0, area)


def test_lo_devengado_no_pasa_de_lo_vigente():
    linea = {"categoria_programatica": "1 0 1", "vigente": 100.0, "inicial": 80.0,
             **{f"vig_{m:02d}": None for m in MESES}, **{f"dev_{m:02d}": 0.0 for m in MESES}}
    linea["vig_05"] = 100.0
    linea["dev_01"] = 80.0
    verificacion.verificar_historia_linea(linea)
    with pytest.raises(AssertionError):  # en marzo sólo rigen los 80 iniciales
        verificacion.verificar_historia_linea({**linea, "dev_03": 5.0})
    with pytest.raises(AssertionError):  # el último vig_ escrito es el vigente
        verificacion.verificar_historia_linea({**linea, "vig_05": 90.0})


# ------------------------------------------------------------------------------------------
# Pasos del ajuste
# ------------------------------------------------------------------------------------------
def op_de_ajuste(codigo: str, meta: int, ajuste_: bool = False, periodicidad="mensual",
                 mes_sin_reporte=None) -> dict:
    return {"codigo_operacion": codigo, "meta": meta, "ajuste": ajuste_,
            "periodicidad": periodicidad, "mes_sin_reporte": mes_sin_reporte,
            "mes_sin_programacion": None, "no_aplica": None,
            "prog": [meta] * 12, "ejec": [0] * 12, "tareas": 1}


def test_la_tercera_libre_es_la_mensual_de_mayor_meta():
    activas = [
        op_de_ajuste("OP-1", 50, ajuste_=True),
        op_de_ajuste("OP-2", 40, mes_sin_reporte=5),
        op_de_ajuste("OP-3", 30, periodicidad="trimestral"),
        op_de_ajuste("OP-4", 10),
        op_de_ajuste("OP-5", 20),
    ]
    assert ajuste.tercera_libre(activas)["codigo_operacion"] == "OP-5"
    assert ajuste.tercera_libre(activas[:3]) is None


def test_el_cumplimiento_sorteado():
    rng = np.random.default_rng(0)
    assert ajuste.cumplimiento_sorteado(rng, op_de_ajuste("OP-1", 5), 1, 98.0) == 1.0
    # Con mayo sin reporte, lo logrado en T2 cubre a lo sumo abril y junio.
    sin_reporte = op_de_ajuste("OP-2", 5, mes_sin_reporte=5)
    assert 0.6 <= ajuste.cumplimiento_sorteado(rng, sin_reporte, 2, 98.0) <= 2 / 3
    for _ in range(50):
        assert 0.0 <= ajuste.cumplimiento_sorteado(rng, op_de_ajuste("OP-3", 5), 1, 50.0) <= 1.0


def test_cumplir_todas_da_cien():
    rng = np.random.default_rng(0)
    activas = [op_de_ajuste("OP-1", 4), op_de_ajuste("OP-2", 6, ajuste_=True)]
    ajuste.cumplir_todas(rng, activas, 1)
    assert ajuste.avance_ops(activas, 1) == 100.0


# ------------------------------------------------------------------------------------------
# La regla de la casa: el programa no nombra la muestra
# ------------------------------------------------------------------------------------------
def patron_de_la_muestra() -> re.Pattern:
    """La entidad (nombre y sigla, de los parámetros de la muestra), la resolución de su
    reformulación, los códigos de sus unidades y áreas que no son siglas genéricas de tres
    letras o menos (DGP, UT...) y el código de operación de cualquiera de sus unidades
    (OP-DGP-03), cada uno como palabra entera."""
    entidad = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text("utf-8"))["entidad"]
    codigos = [u[0] for u in catalogo.UNIDADES_EXTERIORES] + list(catalogo.UNIDADES_CENTRALES)
    areas = [f["area"] for f in catalogo.AREAS]
    propios = [c for c in codigos + areas if len(c) > 3 or not c.isalpha()]
    nombres = [entidad["nombre"], entidad["sigla"], catalogo.REFORMULACION[1], *propios]
    palabra = "|".join(map(re.escape, sorted(nombres, key=len, reverse=True)))
    operacion = "|".join(map(re.escape, sorted(codigos, key=len, reverse=True)))
    return re.compile(rf"(?<![\w.-])(?:{palabra}|OP-(?:{operacion})-\d+)(?![\w-])")


def test_el_programa_no_nombra_la_muestra():
    patron = patron_de_la_muestra()
    archivos = [p for carpeta in (RAIZ / "src" / "helpers", RAIZ / "notebooks")
                for p in sorted(carpeta.rglob("*"))
                if p.is_file() and p.suffix not in (".ttf", ".pyc")]
    hallados = []
    for ruta in archivos:
        for n, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), start=1):
            hallados += [f"{ruta.relative_to(RAIZ)}:{n}: {m}" for m in patron.findall(linea)]
    assert not hallados, "el programa nombra la muestra (va en data/):\n" + "\n".join(hallados)
