"""Las hojas que el circuito escribe en el libro recogido y el libro guardado en su lugar:
el registro de recepción (`recepcion`), las observaciones, los cambios de cada ronda y las
revisiones, cada una como una tabla con el encabezado fijo, el texto inerte y las fechas como
fechas. Las usan `recoger`, `devolver` y `aceptar`, que reescriben el mismo libro.
"""
from __future__ import annotations

import csv
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
from helpers.comun.literal import texto_de_celda
from helpers.entrada.celdas import a_texto
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.lectura import hoja_del_libro
from helpers.formularios.observaciones import COLUMNAS, ESTADOS
from helpers.salida.anexo import guardar_libro

__all__ = ["ANCHOS", "ARCHIVO_OBSERVACIONES", "COLUMNAS_OBSERVACIONES", "HOJA_OBSERVACIONES",
           "HOJA_RECEPCION", "celda_de_dato", "filas_del_csv", "guardar_en_su_lugar",
           "hoja_de_tabla", "hoja_recepcion", "leer_observaciones"]

HOJA_RECEPCION = "recepcion"
HOJA_OBSERVACIONES = "observaciones"
# Las observaciones, junto al libro recogido, para que el planificador las revise: cada una
# con el archivo (y su huella) del que se propuso.
ARCHIVO_OBSERVACIONES = "observaciones.csv"
COLUMNAS_OBSERVACIONES = ["ronda", "codigo_unidad", "archivo", "huella", *COLUMNAS, "estado"]
# Las columnas de fecha de las hojas que no son el registro.
_FECHAS = ("plazo_correccion",)
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
    HOJA_OBSERVACIONES: {"ronda": 8, "codigo_unidad": 16, "archivo": 24, "huella": 20,
                         "codigo_operacion": 18, "regla": 22, "columna": 20, "valor": 30,
                         "mensaje": 80, "estado": 12},
    "cambios_por_ronda": {"ronda": 8, "codigo_unidad": 16, "codigo_operacion": 18,
                          "columna": 20, "antes": 40, "despues": 40},
    "evidencias": {"ronda": 8, "codigo_unidad": 16, "codigo_operacion": 18, "archivo": 36,
                   "huella": 68, "tamano": 12, "tipo": 22, "estado": 12, "motivo": 60},
    "revisiones": {"ronda": 8, "codigo_unidad": 16, "archivo": 24, "huella": 68,
                   "revision": 14, "fecha": 14, "plazo_correccion": 14, "nota": 60,
                   "huella_devuelto": 20},
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
    y fijo; el texto, inerte; las fechas, como fechas (también las que llegan como texto
    ISO); la ronda, como número."""
    anchos = ANCHOS[nombre]
    tabla = tabla.assign(**{c: pd.Series([_como_fecha(v, "dia") for v in tabla[c]],
                                         index=tabla.index, dtype=object)
                            for c in (*_FECHAS, "fecha") if c in tabla
                            and nombre != HOJA_RECEPCION and nombre != "evidencias"})
    if "ronda" in tabla:
        tabla = tabla.assign(ronda=[_entero(v) for v in tabla["ronda"]])
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


def _entero(valor):
    numero = pd.to_numeric(valor, errors="coerce")
    return None if pd.isna(numero) else int(numero)


def _como_fecha(texto, columna: str):
    if texto is None or texto is pd.NaT or (isinstance(texto, float) and pd.isna(texto)) \
            or texto == "":
        return None
    if isinstance(texto, dt.date):
        return texto
    try:
        marca = dt.datetime.fromisoformat(str(texto))
    except ValueError:
        return str(texto)  # una fecha escrita a mano de otro modo: queda como se escribió
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


def filas_del_csv(ruta: Path) -> list[list[str]]:
    """Las filas de un CSV que pudo guardar una hoja de cálculo: en UTF-8 o en la codificación
    de Excel en Windows, separado con comas o con punto y coma."""
    crudo = ruta.read_bytes()
    try:
        texto = crudo.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = crudo.decode("cp1252", errors="replace")
    primera = texto.split("\n", 1)[0]
    separador = ";" if primera.count(";") > primera.count(",") else ","
    return list(csv.reader(texto.splitlines(), delimiter=separador))


def leer_observaciones(ruta: Path) -> pd.DataFrame:
    """observaciones.csv como lo dejó el planificador (vacía si no está). Una fila sin unidad,
    sin operación o sin mensaje, o con un estado que no es de la lista, es un `ErrorDeEntrada`
    con su fila y columna."""
    if not ruta.is_file():
        return pd.DataFrame(columns=COLUMNAS_OBSERVACIONES)
    filas = filas_del_csv(ruta)
    encabezado = [a_texto(c) for c in (filas[0] if filas else [])]
    faltan = [c for c in ("codigo_unidad", "codigo_operacion", "mensaje", "estado")
              if c not in encabezado]
    if faltan:
        raise ErrorDeEntrada([Problema(ruta.name, None, 1, None, (
            f"le falta la columna {', '.join(faltan)}: es el {ruta.name} que escribió "
            "informe-poa recoger; no le quite ni le cambie el nombre a las columnas"))])
    problemas, tabla = [], []
    for numero, fila in enumerate(filas[1:], start=2):
        # Sin el apóstrofo que `escribir_csv` pone delante de un texto como «=...».
        valores = {c: texto_de_celda(a_texto(v)) for c, v in zip(encabezado, fila)}
        if not any(valores.values()):
            continue
        for columna in ("codigo_unidad", "codigo_operacion", "mensaje"):
            if not valores.get(columna):
                problemas.append(Problema(ruta.name, None, numero, columna,
                                          "la celda está vacía y el dato es obligatorio"))
        if valores.get("estado", "") not in ESTADOS:
            problemas.append(Problema(ruta.name, None, numero, "estado", (
                f"'{valores.get('estado', '')}' no es un estado de una observación: debe ser "
                + ", ".join(ESTADOS[:-1]) + " o " + ESTADOS[-1])))
        tabla.append({**valores, "fila": numero})
    if problemas:
        raise ErrorDeEntrada(problemas)
    return pd.DataFrame(tabla).reindex(columns=[*COLUMNAS_OBSERVACIONES, "fila"]).fillna("")
