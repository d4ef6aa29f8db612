"""Las hojas que el circuito escribe en el libro recogido y el libro guardado en su lugar:
el registro de recepción (`recepcion`), las observaciones, los cambios de cada ronda y las
revisiones, cada una como una tabla con el encabezado fijo, el texto inerte y las fechas como
fechas. Las usan `recoger`, `devolver` y `aceptar`, que reescriben el mismo libro.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.comun.libro_para_llenar import (
    AJUSTE,
    FUENTE_ENCABEZADO,
    alto_de_fila,
    escribir_valor,
    texto_inerte,
)
from helpers.entrada.lectura import hoja_del_libro
from helpers.salida.anexo import guardar_libro

__all__ = ["ANCHOS", "ARCHIVO_OBSERVACIONES", "HOJA_OBSERVACIONES", "HOJA_RECEPCION",
           "celda_de_dato", "guardar_en_su_lugar", "hoja_de_tabla", "hoja_recepcion"]

HOJA_RECEPCION = "recepcion"
HOJA_OBSERVACIONES = "observaciones"
# Las observaciones, junto al libro recogido, para que el planificador las revise.
ARCHIVO_OBSERVACIONES = "observaciones.csv"
_FORMATO_FECHA_HORA = "DD/MM/YYYY HH:MM"
_FORMATO_FECHA = "DD/MM/YYYY"
# Las columnas de fecha del registro, que la hoja guarda como fechas (el CSV, como texto ISO).
_FECHAS_DEL_REGISTRO = ("fecha", "plazo_correccion", "fecha_revision")

# El ancho de cada columna de cada hoja: en el registro, la huella entera (64 caracteres) a
# la vista.
ANCHOS = {
    HOJA_RECEPCION: {"codigo_unidad": 16, "archivo": 24, "fecha": 20, "hoja_ruta": 16,
                     "huella": 68, "estado": 30, "motivo": 80, "ronda": 8, "revision": 14,
                     "plazo_correccion": 14, "fecha_revision": 14, "nota_revision": 50},
    HOJA_OBSERVACIONES: {"ronda": 8, "codigo_unidad": 16, "archivo": 24,
                         "codigo_operacion": 18, "regla": 22, "columna": 20, "valor": 30,
                         "mensaje": 80, "estado": 12},
    "cambios_por_ronda": {"ronda": 8, "codigo_unidad": 16, "codigo_operacion": 18,
                          "columna": 20, "antes": 40, "despues": 40},
    "evidencias": {"ronda": 8, "codigo_unidad": 16, "codigo_operacion": 18, "archivo": 36,
                   "huella": 68, "tamano": 12, "tipo": 22, "estado": 12, "motivo": 60},
    "revisiones": {"ronda": 8, "codigo_unidad": 16, "archivo": 24, "huella": 68,
                   "revision": 14, "fecha": 14, "plazo_correccion": 14, "nota": 60},
}


def celda_de_dato(valor):
    """Un valor de una tabla, para la celda: None si está vacío; un número entero sin
    decimales."""
    if isinstance(valor, str):
        return valor or None
    if valor is None or math.isnan(valor):
        return None
    return int(valor) if float(valor).is_integer() else float(valor)


def _escribir(celda, valor) -> None:
    if isinstance(valor, dt.datetime):
        celda.value, celda.number_format = valor, _FORMATO_FECHA_HORA
    elif isinstance(valor, dt.date):
        celda.value, celda.number_format = valor, _FORMATO_FECHA
    elif isinstance(valor, str):
        if valor:
            texto_inerte(celda, valor)
    elif valor is not None and not pd.isna(valor):
        escribir_valor(celda, celda_de_dato(valor))


def hoja_de_tabla(libro, nombre: str, tabla: pd.DataFrame) -> None:
    """Una hoja nueva `nombre` (reemplaza la que hubiera) con `tabla`: encabezado en negrita
    y fijo; el texto, inerte; las fechas, como fechas."""
    anchos = ANCHOS[nombre]
    anterior = hoja_del_libro(libro, nombre)
    if anterior is not None:
        libro.remove(anterior)
    hoja = libro.create_sheet(nombre)
    for j, columna in enumerate(tabla.columns, start=1):
        texto_inerte(hoja.cell(1, j), columna)
        hoja.cell(1, j).font = FUENTE_ENCABEZADO
        hoja.column_dimensions[get_column_letter(j)].width = anchos[columna]
    for i, fila in enumerate(tabla.itertuples(index=False), start=2):
        # El alto de la fila, por el texto más largo: sin él, LibreOffice no agranda la fila
        # y el texto ajustado tapa las de abajo.
        hoja.row_dimensions[i].height = alto_de_fila([("", 1)] + [
            (v, anchos[c]) for c, v in zip(tabla.columns, fila, strict=True)
            if isinstance(v, str) and v])
        for j, valor in enumerate(fila, start=1):
            celda = hoja.cell(i, j)
            celda.alignment = AJUSTE
            _escribir(celda, valor)
    hoja.freeze_panes = "A2"


def _como_fecha(texto, columna: str):
    if texto is None or texto is pd.NaT or (isinstance(texto, float) and pd.isna(texto)) \
            or texto == "":
        return None
    if isinstance(texto, dt.date):
        return texto
    marca = dt.datetime.fromisoformat(str(texto))
    return marca if columna == "fecha" else marca.date()


def hoja_recepcion(libro, tabla: pd.DataFrame) -> None:
    """El registro, con sus fechas como fechas de la hoja de cálculo."""
    fechas = {c: pd.Series([_como_fecha(v, c) for v in tabla[c]], index=tabla.index,
                           dtype=object) for c in _FECHAS_DEL_REGISTRO if c in tabla}
    hoja_de_tabla(libro, HOJA_RECEPCION, tabla.assign(**fechas))


def guardar_en_su_lugar(libro, salida: Path, fecha: dt.datetime) -> None:
    """Guarda `libro` en `salida` de una vez: un temporal junto a `salida` toma su lugar."""
    salida.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(prefix=f".{salida.stem}.", suffix=".xlsx",
                                            dir=salida.parent)
    os.close(descriptor)
    try:
        guardar_libro(libro, Path(temporal), fecha)
        os.replace(temporal, salida)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
