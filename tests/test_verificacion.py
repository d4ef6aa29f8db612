"""`python -m helpers.verificacion`: un informe recién generado se verifica entero, y cada
alteración (una celda de los datos, una cifra de un CSV, una salida de un cuaderno, un valor
de los parámetros) se detecta y se nombra."""
from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import fabrica
import nbformat
import openpyxl
import pytest

from helpers.rutas import RAIZ
from helpers.verificacion import verificar


@pytest.fixture(scope="module")
def informe(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("verificacion")
    libro = fabrica.escribir_libro_pequeno(base / "datos" / fabrica.NOMBRE_LIBRO)
    params = fabrica.escribir_params(base / "params" / "p.yaml", libro, salida=str(base / "salida"))
    resultado = subprocess.run([sys.executable, "-m", "helpers.informe", str(params)], cwd=RAIZ,
                               capture_output=True, text=True, timeout=600, check=False)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", libro, params


def verificar_cli(carpeta: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.verificacion", str(carpeta)], cwd=RAIZ,
                          capture_output=True, text=True, timeout=600, check=False)


def test_un_informe_intacto_se_verifica_entero(informe):
    salida, libro, params = informe
    veredictos = verificar(salida)
    assert all(v.coincide for v in veredictos), [str(v) for v in veredictos if not v.coincide]
    manifiesto = json.loads((salida / "manifiesto.json").read_text(encoding="utf-8"))
    que = {(v.que, v.nombre) for v in veredictos}
    assert {("salida", s["ruta"]) for s in manifiesto["salidas"]} <= que
    assert {("entrada", e["ruta"]) for e in manifiesto["entradas"]} <= que
    assert {("código", c["ruta"]) for c in manifiesto["codigo"]["archivos"]} <= que
    assert {("tabla", p.name) for p in (salida / "tablas").glob("*.csv")} <= que
    resultado = verificar_cli(salida)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "todo coincide" in resultado.stdout


def _cambiar_celda(libro: Path) -> None:
    wb = openpyxl.load_workbook(libro)
    hoja = wb["operaciones"]
    columna = [c.value for c in hoja[1]].index("ejec_04") + 1
    hoja.cell(row=2, column=columna, value=hoja.cell(row=2, column=columna).value + 1)
    wb.save(libro)


def _cambiar_csv(salida: Path) -> None:
    ruta = salida / "tablas" / "acp.csv"
    lineas = ruta.read_text(encoding="utf-8").splitlines(keepends=True)
    campos = lineas[1].split(",")
    indice = lineas[0].split(",").index("vigente")
    campos[indice] = str(float(campos[indice]) + 1)
    lineas[1] = ",".join(campos)
    ruta.write_text("".join(lineas), encoding="utf-8")


def _cambiar_salida_de_cuaderno(salida: Path) -> None:
    ruta = salida / "notebooks" / "02_acp.ipynb"
    nb = nbformat.read(ruta, as_version=4)
    celda = next(c for c in nb.cells if c.cell_type == "code" and c.get("outputs"))
    salida_md = next(o for o in celda.outputs if "data" in o)
    for mime in salida_md.data:
        if isinstance(salida_md.data[mime], str):
            salida_md.data[mime] = salida_md.data[mime].replace("1", "7", 1)
    nbformat.write(nb, ruta)


def _cambiar_parametros(params: Path) -> None:
    texto = params.read_text(encoding="utf-8")
    params.write_text(texto.replace("Ministerio", "Viceministerio", 1), encoding="utf-8")


ALTERACIONES: dict[str, tuple[Callable, Callable]] = {
    # nombre: (qué alterar a partir de (salida, libro, params), el veredicto que lo nombra)
    "celda de los datos": (lambda s, l, p: (_cambiar_celda(l), l)[1],
                           lambda v, ruta: v.que == "entrada" and v.nombre.endswith(ruta.name)),
    "cifra de un CSV": (lambda s, l, p: (_cambiar_csv(s), s / "tablas" / "acp.csv")[1],
                        lambda v, ruta: (v.que, v.nombre) in {("salida", "tablas/acp.csv"),
                                                              ("tabla", "acp.csv")}),
    "salida de un cuaderno": (
        lambda s, l, p: (_cambiar_salida_de_cuaderno(s), s / "notebooks" / "02_acp.ipynb")[1],
        lambda v, ruta: (v.que, v.nombre) == ("salida", "notebooks/02_acp.ipynb")),
    "valor de los parámetros": (lambda s, l, p: (_cambiar_parametros(p), p)[1],
                                lambda v, ruta: v.que == "entrada" and v.nombre.endswith(ruta.name)),
}


@pytest.mark.parametrize("alteracion", list(ALTERACIONES))
def test_cada_alteracion_se_detecta_y_se_nombra(informe, alteracion):
    salida, libro, params = informe
    alterar, nombra = ALTERACIONES[alteracion]
    respaldos = {p: p.read_bytes() for p in (libro, params, *salida.rglob("*")) if p.is_file()}
    try:
        ruta = alterar(salida, libro, params)
        distintos = [v for v in verificar(salida) if not v.coincide]
        assert distintos and any(nombra(v, ruta) for v in distintos), [str(v) for v in distintos]
        resultado = verificar_cli(salida)
        assert resultado.returncode == 1
        assert "NO COINCIDE" in resultado.stdout and "Traceback" not in resultado.stderr
    finally:
        for ruta_respaldo, contenido in respaldos.items():
            ruta_respaldo.write_bytes(contenido)
    assert all(v.coincide for v in verificar(salida))


def test_una_carpeta_que_no_es_informe(tmp_path):
    resultado = verificar_cli(tmp_path)
    assert resultado.returncode == 2
    assert "no es la carpeta de un informe" in resultado.stderr
