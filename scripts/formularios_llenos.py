"""Formularios de seguimiento llenos con openpyxl, como los devolvería una unidad, para medir
`informe-poa recoger` (scripts/benchmark_recoger.py) y mostrarlo en docs/formularios.md
(scripts/capturas_formularios.py). No es parte del programa: en la realidad, cada unidad
llena su formulario en su hoja de cálculo.

Los formularios los escribe `helpers.formularios.envio.formularios_de`, como la orden
`informe-poa formularios`; cada uno se llena con lo que el maestro (el libro del POA) tiene
registrado de sus operaciones y se fecha antes del plazo, como si hubiera llegado a tiempo.
"""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd

from helpers.comun.libro_para_llenar import escribir_valor
from helpers.entrada.datos import cargar_datos
from helpers.formularios.envio import Formulario, formularios_de, formularios_del_poa
from helpers.formularios.libro import HOJA_SEGUIMIENTO, columnas_a_llenar, leer_identidad
from helpers.salida.anexo import guardar_libro

__all__ = ["emitidos", "emitidos_y_llenos", "fechar", "llenar", "llenar_desde",
           "recibido_a_tiempo", "tabla", "valores_del_maestro"]


def valores_del_maestro(formulario: Formulario, trimestre: int) -> dict[tuple[str, str], object]:
    """Lo que el maestro tiene de cada celda que llena la unidad: (codigo_operacion, columna)
    -> valor, None si está vacía. Las columnas que el maestro no tiene (`justificacion`, si
    falta) no se escriben."""
    operaciones = formulario.operaciones
    columnas = [c for c in columnas_a_llenar(trimestre) if c in operaciones.columns]
    valores = {}
    for registro in operaciones[["codigo_operacion", *columnas]].itertuples(index=False):
        codigo, *celdas = registro
        for columna, valor in zip(columnas, celdas):
            vacio = valor is None or valor == "" or (isinstance(valor, float) and pd.isna(valor))
            valores[codigo, columna] = None if vacio else valor
    return valores


def _abrir(ruta: Path):
    """El libro del formulario, su hoja seguimiento y, de su tabla, la fila de cada
    operación y la columna de cada encabezado."""
    libro = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(libro)
    if identidad is None:
        raise ValueError(f"{ruta.name} no es un formulario de seguimiento")
    hoja = libro[HOJA_SEGUIMIENTO]
    encabezado = identidad.fila_encabezado
    columnas = {celda.value: celda.column for celda in hoja[encabezado] if celda.value}
    filas = {hoja.cell(fila, 1).value: fila
             for fila in range(encabezado + 1, encabezado + identidad.operaciones + 1)}
    return libro, hoja, filas, columnas


def _celdas(hoja, filas: dict, columnas: dict) -> dict[tuple[str, str], object]:
    return {(codigo, columna): hoja.cell(fila, columna_).value
            for codigo, fila in filas.items() for columna, columna_ in columnas.items()}


def tabla(ruta: Path) -> dict[tuple[str, str], object]:
    """Lo que dice cada celda de la tabla de seguimiento: (codigo_operacion, columna) ->
    valor, en el orden de las filas."""
    _, hoja, filas, columnas = _abrir(ruta)
    return _celdas(hoja, filas, columnas)


def llenar(ruta: Path, valores: Mapping[tuple[str, str], object]) -> None:
    """Escribe en la hoja seguimiento del formulario `ruta` cada valor de `valores`
    ((codigo_operacion, columna) -> valor; None la vacía) y lo guarda, como la unidad. No
    mira la protección: escribe también donde la unidad no puede (para alterarlo). La fecha
    del libro queda la que tenía: los mismos valores dan el mismo archivo, y la misma huella
    en el registro de recepción."""
    llenar_desde(ruta, lambda _: valores)


def llenar_desde(ruta: Path, valores: Callable[[dict[tuple[str, str], object]],
                                               Mapping[tuple[str, str], object]]) -> None:
    """`llenar` con los valores que da `valores` a partir de lo que dice la tabla (`tabla`),
    abriendo el libro una sola vez."""
    libro, hoja, filas, columnas = _abrir(ruta)
    for (codigo, columna), valor in valores(_celdas(hoja, filas, columnas)).items():
        celda = hoja.cell(filas[codigo], columnas[columna])
        if valor is None:
            celda.value = None
        else:
            escribir_valor(celda, valor)
    guardar_libro(libro, ruta, libro.properties.modified)


def recibido_a_tiempo(plazo: dt.date, dias_antes: int = 1) -> dt.datetime:
    """Un momento de recepción `dias_antes` días antes del plazo (negativo: después), a
    mediodía."""
    return dt.datetime.combine(plazo, dt.time(12)) - dt.timedelta(days=dias_antes)


def fechar(ruta: Path, momento: dt.datetime) -> None:
    """Pone `momento` como fecha de modificación del archivo: la de recepción, si
    recepcion.csv no dice otra."""
    os.utime(ruta, (momento.timestamp(), momento.timestamp()))


def emitidos(params: Path, carpeta: Path) -> tuple[dict[str, tuple[Path, Formulario]], object]:
    """Escribe en `carpeta` (nueva o vacía) el formulario de cada unidad, como `informe-poa
    formularios`, sin llenar. Devuelve codigo_unidad -> (formulario escrito, lo que lleva),
    en el orden de la hoja unidades, y los parámetros."""
    rutas, parametros = formularios_de(params, carpeta)
    # Los mismos formularios que escribió, en el mismo orden (el de la hoja unidades).
    formularios = formularios_del_poa(cargar_datos(parametros.ruta_datos), parametros)
    return ({f.codigo_unidad: (ruta, f) for f, ruta in zip(formularios, rutas, strict=True)},
            parametros)


def emitidos_y_llenos(params: Path, carpeta: Path) -> dict[str, Path]:
    """Los formularios de `emitidos`, cada uno lleno con las cifras del maestro y fechado un
    día antes del plazo: los de una recepción en que todas las unidades devolvieron el suyo
    a tiempo. Devuelve codigo_unidad -> formulario, en el orden de la hoja unidades."""
    escritos, parametros = emitidos(params, carpeta)
    momento = recibido_a_tiempo(parametros.recepcion.plazo)
    for ruta, formulario in escritos.values():
        llenar(ruta, valores_del_maestro(formulario, parametros.trimestre_corte))
        fechar(ruta, momento)
    return {codigo: ruta for codigo, (ruta, _) in escritos.items()}
