"""El valor de una celda: lo escrito en el libro o en el CSV, leído como texto, fecha o número.

Entra lo que da el lector (`entrada.lectura`: un texto, un número, una fecha de Excel, None, o
una `FormulaSinValor`); sale el texto limpio (`limpiar_texto`, `a_texto`, `textos` para una
columna entera), la fecha (`leer_fecha`) o los números de una columna (`leer_numeros`, con los
mensajes de las celdas que no son un número). `limpiar_texto` es también la limpieza de los
textos de los parámetros.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.comun.numeros import LIMITE_ABSOLUTO, LIMITE_MINIMO, leer_numero

__all__ = [
    "FormulaSinValor",
    "a_texto",
    "como_openpyxl",
    "leer_fecha",
    "leer_numeros",
    "limpiar_texto",
    "sin_tildes",
    "textos",
]


@dataclass(frozen=True)
class FormulaSinValor:
    """Una celda con fórmula cuyo resultado el libro no guarda (lo escribió un programa y
    nunca se abrió en una hoja de cálculo): leerla como vacía cambiaría el informe."""

    formula: str


def sin_tildes(texto: str) -> str:
    """El texto sin tildes ni mayúsculas, para comparar lo escrito con un valor admitido."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).casefold()


# Separadores de línea y de página que no son el salto de línea común: valen un espacio.
_COMO_ESPACIO = dict.fromkeys(map(ord, "\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e"), " ")


def limpiar_texto(texto: str) -> str:
    """Texto de una celda o de los parámetros, normalizado para publicarlo en cualquier medio.

    Saltos de línea como "\\n" (también "\\r\\n" y "\\r"); separadores de línea o de página
    Unicode como espacio; se quitan los demás caracteres de control (NUL, ESC...), salvo el
    tabulador; forma NFC (una tilde escrita aparte se une a su letra) y sin espacios en los
    extremos.
    """
    if texto.isprintable():
        # Lo común, y rápido: sin saltos, separadores ni caracteres de control.
        return unicodedata.normalize("NFC", texto).strip()
    texto = texto.replace("\r\n", "\n").replace("\r", "\n").translate(_COMO_ESPACIO)
    if not texto.isprintable():
        texto = "".join(
            c for c in texto if c in "\t\n" or unicodedata.category(c) != "Cc"
        )
    return unicodedata.normalize("NFC", texto).strip()


def textos(valores: list) -> list[str]:
    """`a_texto` de cada celda de una columna. Cada texto distinto se limpia una sola vez:
    en una columna se repiten códigos, nombres y unidades de medida."""
    if valores and pd.api.types.infer_dtype(valores, skipna=False) == "string":
        # Sólo textos (lo común: calamine lee "" en una celda vacía): los distintos se
        # hallan de una vez, sin recorrer la columna en Python.
        posiciones, distintos = pd.factorize(np.asarray(valores, dtype=object))
        limpios_distintos = np.array([limpiar_texto(t) for t in distintos], dtype=object)
        return limpios_distintos[posiciones].tolist()
    limpios: dict[str, str] = {}
    salida = []
    for valor in valores:
        if type(valor) is str:
            texto = limpios.get(valor)
            if texto is None:
                texto = limpios[valor] = limpiar_texto(valor)
            salida.append(texto)
        else:
            salida.append(a_texto(valor))
    return salida


def a_texto(valor) -> str:
    """Celda -> texto limpio. Un código que Excel guarda como número 1 se lee "1"."""
    if type(valor) is str:
        return limpiar_texto(valor)
    # NaT (una fecha vacía leída con pandas) es un datetime que no tiene hora.
    if valor is None or valor is pd.NaT or isinstance(valor, FormulaSinValor):
        return ""
    if isinstance(valor, bool):
        return "VERDADERO" if valor else "FALSO"
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        if math.isnan(valor):
            return ""
        if valor.is_integer() and abs(valor) < 1e15:
            return str(int(valor))
        return repr(valor)
    if isinstance(valor, dt.datetime):
        if valor.time() == dt.time(0, 0):
            return valor.date().isoformat()
        return valor.isoformat(sep=" ")
    if isinstance(valor, (dt.date, dt.time)):
        return valor.isoformat()
    return limpiar_texto(str(valor))


_FORMATOS_FECHA = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_M_FECHA = "'{valor}' no es una fecha: escríbala como 15/02/2024 o 2024-02-15"


def leer_fecha(valor) -> pd.Timestamp | None:
    """Celda -> fecha (sin hora); None si está vacía. Una fecha de Excel, o un texto día/mes/
    año o año-mes-día; cualquier otra cosa es un error (ValueError con el mensaje)."""
    if valor is None or isinstance(valor, FormulaSinValor):
        return None
    if isinstance(valor, (dt.datetime, dt.date)):
        return pd.Timestamp(valor).normalize()
    texto = a_texto(valor)
    if not texto:
        return None
    # Un texto con la hora de medianoche (una fecha copiada de otra hoja) vale su fecha.
    texto = re.sub(r"[ T]00:00(:00)?$", "", texto)
    for formato in _FORMATOS_FECHA:
        try:
            return pd.Timestamp(dt.datetime.strptime(texto, formato))
        except ValueError:
            continue
    raise ValueError(_M_FECHA.format(valor=texto))


_TIPOS_NUMERO = (float, int)


def leer_numeros(valores: list) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    """Las celdas de una columna numérica leídas como `leer_numero` las lee una por una, pero
    de una vez: los números de la hoja se convierten juntos y sólo los textos (y lo raro)
    pasan por `leer_numero`. Devuelve los números (NaN donde no hay), dónde hay un número
    escrito, y (posición, mensaje) de las celdas que no son un número admitido."""
    n = len(valores)
    numeros = np.full(n, np.nan)
    celdas = np.empty(n, dtype=object)
    celdas[:] = valores
    tipos = pd.Series(map(type, valores), dtype=object)
    es_numero = tipos.isin(_TIPOS_NUMERO).to_numpy()
    try:
        numeros[es_numero] = celdas[es_numero].astype("float64")
    except OverflowError:  # un entero que no cabe en un float: lo dice leer_numero
        es_numero[:] = False
    revisar = ~es_numero & ~tipos.isin([type(None)]).to_numpy() & (celdas != "")
    # Fuera del rango admitido (infinito, 10^15 o más, o diminuto): lo dice leer_numero.
    with np.errstate(invalid="ignore"):
        absoluto = np.abs(numeros)
        revisar |= es_numero & ~np.isnan(numeros) & (
            ~(absoluto < LIMITE_ABSOLUTO) | ((numeros != 0) & (absoluto < LIMITE_MINIMO)))
    errores = []
    for i in np.flatnonzero(revisar):
        try:
            leido = leer_numero(como_openpyxl(valores[i]))
        except ValueError as exc:
            errores.append((int(i), str(exc)))
            leido = None
        numeros[i] = math.nan if leido is None else leido
    return numeros, ~np.isnan(numeros), errores


def como_openpyxl(valor):
    """La celda como la da openpyxl, para que el mensaje la cite igual con los dos lectores:
    calamine da un `date` donde openpyxl da un `datetime`, y 1000000000000000.0 donde
    openpyxl da el entero."""
    if type(valor) is dt.date:
        return dt.datetime.combine(valor, dt.time())
    if type(valor) is float and valor.is_integer() and abs(valor) < 1e16:
        return int(valor)
    return valor

