"""La rendición de cuentas inicial (informe: rendicion_inicial, `make inicial`): el POA como se
aprobó al comenzar la gestión. Sus cifras se comparan con un oráculo que lee el libro de la
muestra con openpyxl y cuenta en Python simple; el informe de la muestra pasa `verificar`; los
parámetros no aceptan trimestre ni corte; las secciones van sólo con lo que traen el libro y
los parámetros.
"""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import fabrica
import openpyxl
import pandas as pd
import pytest

from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import cargar_parametros
from helpers.rutas import RAIZ

PARAMS = "2024-inicial.yaml"
TOTAL = "TOTAL"


def _hoja(libro, nombre: str) -> list[dict]:
    filas = libro[nombre].iter_rows(values_only=True)
    encabezado = [str(c) for c in next(filas)]
    return [dict(zip(encabezado, fila)) for fila in filas if any(v is not None for v in fila)]


def _oraculo(ruta: Path) -> dict:
    """Del libro, sin el programa: las operaciones aprobadas (las de la hoja operaciones menos
    las que una reformulación dio de alta) y el presupuesto inicial de cada línea (su
    inicial, o su vigente si no lo tiene), sumados por ACP, unidad y fuente."""
    libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    try:
        altas = {str(f["codigo_operacion"]) for f in _hoja(libro, "reformulaciones")
                 if f["cambio"] == "alta"} if "reformulaciones" in libro.sheetnames else set()
        operaciones = [f for f in _hoja(libro, "operaciones")
                       if str(f["codigo_operacion"]) not in altas]
        lineas = _hoja(libro, "presupuesto")
    finally:
        libro.close()
    por_acp, por_unidad, por_fuente = defaultdict(float), defaultdict(float), defaultdict(float)
    for linea in lineas:
        monto = float(linea["inicial"] if linea.get("inicial") is not None else linea["vigente"])
        por_acp[str(linea["codigo_acp"])] += monto
        por_unidad[str(linea["codigo_unidad"])] += monto
        por_fuente[str(linea.get("fuente") or "")] += monto
    tareas = Counter()
    for op in operaciones:
        tareas[str(op["codigo_unidad"])] += int(op["tareas"] if op.get("tareas") is not None else 1)
    return {
        "operaciones": len(operaciones),
        "ops_acp": Counter(str(op["codigo_acp"]) for op in operaciones),
        "ops_unidad": Counter(str(op["codigo_unidad"]) for op in operaciones),
        "tareas_unidad": tareas,
        "por_acp": por_acp, "por_unidad": por_unidad, "por_fuente": por_fuente,
        "total": sum(por_acp.values()),
    }


def _tabla(carpeta: Path, nombre: str) -> pd.DataFrame:
    return pd.read_csv(carpeta / "datos-abiertos" / f"{nombre}.csv", dtype=str,
                       keep_default_na=False)


@pytest.fixture(scope="module")
def inicial(informes_muestra) -> Path:
    return informes_muestra[PARAMS]


@pytest.fixture(scope="module")
def oraculo() -> dict:
    parametros = cargar_parametros(RAIZ / "params" / PARAMS)
    return _oraculo(parametros.raiz / parametros.datos)


def test_cifras_del_poa_aprobado_como_las_cuenta_el_oraculo(inicial, oraculo):
    acp = _tabla(inicial, "resultados_esperados").set_index("codigo_acp")
    assert int(acp.loc[TOTAL, "operaciones"]) == oraculo["operaciones"]
    assert float(acp.loc[TOTAL, "inicial"]) == pytest.approx(oraculo["total"], abs=1e-6)
    for codigo, fila in acp.drop(index=TOTAL).iterrows():
        assert int(fila["operaciones"]) == oraculo["ops_acp"][codigo], codigo
        assert float(fila["inicial"]) == pytest.approx(oraculo["por_acp"][codigo], abs=1e-6)

    unidades = _tabla(inicial, "operaciones_por_unidad")
    unidades = unidades[unidades["nivel"] == "unidad"].set_index("codigo_unidad")
    for codigo, fila in unidades.iterrows():
        assert int(fila["operaciones"]) == oraculo["ops_unidad"][codigo], codigo
        assert int(fila["tareas"]) == oraculo["tareas_unidad"][codigo], codigo
        assert float(fila["inicial"]) == pytest.approx(oraculo["por_unidad"][codigo], abs=1e-6)

    fuentes = _tabla(inicial, "presupuesto_fuente").set_index("fuente")
    for fuente, monto in oraculo["por_fuente"].items():
        assert float(fuentes.loc[fuente, "inicial"]) == pytest.approx(
            monto, abs=1e-6)
        assert float(fuentes.loc[fuente, "parte"]) == pytest.approx(
            100 * monto / oraculo["total"])

    metas = _tabla(inicial, "metas_trimestre").set_index("area")
    assert int(metas.loc[TOTAL, "operaciones"]) == oraculo["operaciones"]


def test_el_informe_de_la_muestra_tiene_sus_secciones_y_pasa_verificar(inicial):
    for archivo in ("informe.pdf", "informe.html", "informe.docx", "anexo.xlsx",
                    "manifiesto.json", "datos-abiertos/datapackage.json"):
        assert (inicial / archivo).is_file(), archivo
    html = (inicial / "informe.html").read_text(encoding="utf-8")
    for titulo in ("Acciones de corto plazo y resultados esperados", "Presupuesto inicial",
                   "Alineación con la planificación nacional", "Misión, visión y mandato"):
        assert titulo in html, titulo
    # Un informe del inicio no evalúa: ni eficacia ni ejecución.
    assert "Avance físico" not in html and "Ejecución financiera" not in html
    verificar = subprocess.run(
        [sys.executable, "-m", "helpers", "verificar", str(inicial)],
        capture_output=True, text=True, cwd=RAIZ, check=False)
    assert verificar.returncode == 0, verificar.stdout + verificar.stderr
    assert "todo coincide" in verificar.stdout


def test_sin_mision_ni_vinculos_esas_secciones_no_van(tmp_path, libro_pequeno):
    from helpers.entrada import tipos

    params = fabrica.escribir_params(tmp_path / "p.yaml", libro_pequeno,
                                     informe="rendicion_inicial", trimestre=None)
    parametros = cargar_parametros(params)
    datos = cargar_datos(parametros.ruta_datos)
    secciones = {s.archivo for s in tipos.tipo("rendicion_inicial").secciones_para(
        parametros, datos)}
    assert "02_mandato.ipynb" not in secciones
    assert "03_acp.ipynb" in secciones and "06_presupuesto.ipynb" in secciones
    vinculos = bool(len(datos.articulacion)) or bool(len(datos.vinculos))
    assert ("04_alineacion.ipynb" in secciones) == vinculos


@pytest.mark.parametrize(("extra", "mensaje"), [
    ({"trimestre": 1}, "no lleva trimestre"),
    ({"trimestre": None, "corte": "junio"}, "no tiene corte"),
])
def test_los_parametros_no_llevan_trimestre_ni_corte(tmp_path, libro_pequeno, extra, mensaje):
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro_pequeno,
                                     informe="rendicion_inicial", **extra)
    with pytest.raises(ErrorDeEntrada, match=mensaje):
        cargar_parametros(params)


def test_su_fecha_de_corte_es_el_comienzo_de_la_gestion(tmp_path, libro_pequeno):
    params = fabrica.escribir_params(
        tmp_path / "p.yaml", libro_pequeno, informe="rendicion_inicial", trimestre=None,
        identificacion={"fecha_emision": "2024-01-20"})
    parametros = cargar_parametros(params)
    assert parametros.fecha_corte == dt.date(parametros.gestion, 1, 1)
    assert parametros.etiqueta == f"{parametros.gestion}-inicial"
    antes = fabrica.escribir_params(
        tmp_path / "a.yaml", libro_pequeno, informe="rendicion_inicial", trimestre=None,
        identificacion={"fecha_emision": "2023-12-20"})
    with pytest.raises(ErrorDeEntrada, match="anterior al corte"):
        cargar_parametros(antes)
