"""`informe-poa recoger` con formularios armados a propósito (helpers.entrada.recoleccion,
helpers.entrada.formulario y helpers.salida.consolidado): texto que una hoja de cálculo
ejecutaría, en el nombre de un archivo, en la hoja de ruta de `recepcion.csv` o en la unidad de
la hoja identidad, llega inerte al `recepcion.csv` del libro recogido; una hoja identidad con
números fuera de rango rechaza ese formulario, rápido y con la razón, y los demás se recogen.

Los formularios los escribe `informe-poa formularios` con el libro pequeño (`test_recoger`);
lo esperado se calcula de lo que la prueba escribió.
"""
from __future__ import annotations

import csv
from pathlib import Path

import fabrica
import openpyxl
import pytest
from test_recoger import _estado, _llenar, _params, _recibir

from helpers.comun.literal import PREFIJOS_FORMULA, celda
from helpers.entrada.formulario import HOJA_IDENTIDAD
from helpers.entrada.recoleccion import ARCHIVO_RECEPCION
from helpers.salida.consolidado import recoger
from helpers.salida.formularios import formularios_de


@pytest.fixture(scope="module")
def emitidos(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    """El libro pequeño y sus formularios: (libro, unidad -> archivo)."""
    base = tmp_path_factory.mktemp("emitidos")
    libro = fabrica.escribir_libro_pequeno(base / "poa.xlsx")
    escritos, _ = formularios_de(_params(base, libro), base / "formularios")
    return libro, {ruta.stem: ruta for ruta in escritos}


def _cambiar_identidad(ruta: Path, **valores) -> None:
    """Escribe `valores` (campo -> valor) en la hoja identidad del formulario `ruta`."""
    libro = openpyxl.load_workbook(ruta)
    for fila in libro[HOJA_IDENTIDAD].iter_rows(min_row=2):
        if fila[0].value in valores:
            fila[1].value = valores[fila[0].value]
    libro.save(ruta)


def _celdas_csv(ruta: Path) -> list[list[str]]:
    with ruta.open(encoding="utf-8", newline="") as archivo:
        return list(csv.reader(archivo))


# --------------------------------------------------------------------------------------
# recepcion.csv: texto inerte


def test_recepcion_csv_sin_celdas_que_empiecen_como_formula(emitidos, tmp_path):
    """Un archivo por cada inicio de fórmula (`=SUM(1).xlsx`, `@SUM(1).xlsx`...), una hoja
    de ruta y un código de unidad (de la hoja identidad) que empiezan como fórmula: en
    `recepcion.csv` llevan el apóstrofo delante y ninguna celda de texto empieza como
    fórmula, ni una fila nueva dentro de un texto."""
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    # Y uno con un retorno de carro dentro: sin comillas, lo que le sigue sería otra fila.
    nombres = [*(f"{prefijo}SUM(1).xlsx" for prefijo in PREFIJOS_FORMULA),
               f"x\r{PREFIJOS_FORMULA[0]}SUM(1).xlsx"]
    for nombre in nombres:
        _llenar(_recibir(formularios["DGRM"], recibidos, nombre), 1)
    _llenar(_recibir(formularios["DGRB"], recibidos), 2)
    codigo_hostil = f"{PREFIJOS_FORMULA[3]}A1"
    otra_unidad = _recibir(formularios["CG-ARI"], recibidos)
    _cambiar_identidad(otra_unidad, codigo_unidad=codigo_hostil)
    hoja_ruta = f'{PREFIJOS_FORMULA[0]}HYPERLINK("http://x")'
    with (recibidos / ARCHIVO_RECEPCION).open("w", encoding="utf-8", newline="") as archivo:
        csv.writer(archivo).writerows([["codigo_unidad", "fecha", "hoja_ruta"],
                                       ["DGRB", "01/01/2024", hoja_ruta]])
    salida = tmp_path / "s" / "r.xlsx"
    recogida = recoger(_params(tmp_path, libro), recibidos, salida)
    assert _estado(recogida.registro, otra_unidad.name)["codigo_unidad"] == codigo_hostil

    encabezado, *filas = _celdas_csv(salida.parent / ARCHIVO_RECEPCION)
    assert len(filas) == len(recogida.registro)
    vistas = set()
    for fila in filas:
        for columna, valor in zip(encabezado, fila, strict=True):
            vistas.add(valor)
            if columna != "ronda":
                assert not valor.startswith(PREFIJOS_FORMULA), (columna, valor)
    for hostil in [*nombres, codigo_hostil, hoja_ruta]:
        assert celda(hostil) in vistas, hostil
