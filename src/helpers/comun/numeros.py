"""Números como los escribe y los lee un planificador boliviano.

El cálculo usa precisión completa; sólo al mostrar se redondea, a mitad lejos de cero
(como ROUND de una hoja de cálculo), y se formatea con Babel en la convención es_BO
(1.234.567,89).
"""
from __future__ import annotations

import functools
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "es_BO"
GUION = "—"
# Una eficiencia no significativa: hay eficacia y ejecución, pero la ejecución impresa es
# menor que la mínima de los parámetros (ver `metodologia.eficiencia`).
NO_SIGNIFICATIVO = "n.s."

# Ningún dato numérico del POA (montos en Bs, metas, tareas, porcentajes) llega a 10^15: un
# valor así es un error de tipeo, y con él las sumas pierden los centavos o se desbordan.
LIMITE_ABSOLUTO = 1e15
_M_FUERA_DE_RANGO = (
    "'{valor}' está fuera del rango admitido: debe ser un número finito con valor absoluto "
    "menor que 10^15"
)
# Ni es tan diminuto: distinto de 0 y de valor absoluto menor que 10^-9 es el residuo de una
# fórmula (0,3 - 0,2 - 0,1) o un error, y dividir por él desborda a infinito (una meta de
# 1e-300 da un cumplimiento infinito).
LIMITE_MINIMO = 1e-9
_M_DIMINUTO = (
    "'{valor}' está fuera del rango admitido: es distinto de 0 pero su valor absoluto es "
    "menor que 10^-9 (si es el residuo de una fórmula, redondéela o escriba 0)"
)

# Texto numérico boliviano: miles con punto y decimales con coma ("1.234.567,89", "-12,5"),
# o sin separador de miles ("1234,56"). Un punto solo con exactamente 3 dígitos detrás se
# lee como separador de miles; "12.5" (punto decimal) también se acepta.
_MILES_COMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMA_DECIMAL = re.compile(r"^[+-]?\d+(,\d+)?$")
_PUNTO_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Un espacio (también el no separable y el fino, que pegan las hojas de cálculo y los
# sistemas contables) sólo separa los miles, en grupos de tres cifras: "1 020", "12 345,5".
# "10 20" o "3 5,5" son dos números escritos juntos, no 1020 ni 35,5.
_ESPACIO = re.compile(r"[ \u00a0\u202f\u2009]")
_MILES_ESPACIO = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f\u2009]\d{3})+([,.]\d+)?$")
_M_ESPACIO = (
    "'{valor}' no es un número: un espacio sólo puede separar los miles, en grupos de tres "
    "cifras (1 020 o 12 345,5); si son dos números, escriba cada uno en su celda"
)


def leer_numero(valor) -> float | None:
    """Convierte una celda en número. Devuelve None si está vacía.

    Lanza ValueError si el contenido no es un número (nunca lo convierte en 0 ni NaN), si
    no es finito o su valor absoluto llega a `LIMITE_ABSOLUTO` ("1e400" es infinito), o si
    es distinto de 0 y su valor absoluto es menor que `LIMITE_MINIMO`.
    """
    try:
        numero = _leer_numero(valor)
    except OverflowError:  # un entero de cientos de cifras no cabe en un float
        numero = math.inf
    if numero is not None and not (math.isfinite(numero) and abs(numero) < LIMITE_ABSOLUTO):
        raise ValueError(_M_FUERA_DE_RANGO.format(valor=valor))
    if numero and abs(numero) < LIMITE_MINIMO:
        raise ValueError(_M_DIMINUTO.format(valor=valor))
    return numero


def _leer_numero(valor) -> float | None:
    if valor is None:
        return None
    if isinstance(valor, bool):
        raise ValueError(f"'{valor}' no es un número")
    if isinstance(valor, (int, float)):
        if isinstance(valor, float) and math.isnan(valor):
            return None
        return float(valor)
    texto = str(valor).strip()
    if texto == "":
        return None
    if texto.endswith("%"):
        raise ValueError(f"'{valor}' no es un número (quite el signo %)")
    if _ESPACIO.search(texto):
        if not _MILES_ESPACIO.match(texto):
            raise ValueError(_M_ESPACIO.format(valor=texto))
        texto = _ESPACIO.sub("", texto)
    if _MILES_COMA.match(texto):
        return float(texto.replace(".", "").replace(",", "."))
    if _COMA_DECIMAL.match(texto):
        return float(texto.replace(",", "."))
    if _PUNTO_DECIMAL.match(texto):
        return float(texto)
    raise ValueError(f"'{valor}' no es un número")


def redondear(valor: float, decimales: int = 2) -> float:
    """Redondeo para mostrar: a mitad lejos de cero, sobre el valor con 15 cifras
    significativas, como lo hace una hoja de cálculo (2,675 -> 2,68)."""
    if valor is None or (isinstance(valor, float) and not math.isfinite(valor)):
        return valor
    d = Decimal(format(float(valor), ".15g"))
    cuanto = Decimal(1).scaleb(-decimales)
    try:
        return float(d.quantize(cuanto, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return float(valor)


def es_vacio(valor) -> bool:
    return valor is None or (isinstance(valor, float) and math.isnan(valor))


def formatear_numero(valor, decimales: int = 2) -> str:
    """1234567.891 -> '1.234.567,89'; vacío -> '—'."""
    if es_vacio(valor):
        return GUION
    r = Decimal(format(redondear(float(valor), decimales), f".{decimales}f"))
    if r == 0:
        r = abs(r)  # sin "-0,00"
    return _patron(decimales).apply(r, _locale(), decimal_quantization=True)


@functools.cache
def _patron(decimales: int) -> NumberPattern:
    """El patrón de Babel con `decimales` cifras decimales, leído una vez: ``format_decimal``
    lo leía, con la convención de LOCALE, en cada número (la mitad de lo que tardaba)."""
    return parse_pattern("#,##0" + ("." + "0" * decimales if decimales > 0 else ""))


@functools.cache
def _locale() -> Locale:
    return Locale.parse(LOCALE)


def formatear_porcentaje(valor, decimales: int = 2) -> str:
    """83.6 -> '83,60 %'; vacío -> '—'."""
    if es_vacio(valor):
        return GUION
    return f"{formatear_numero(valor, decimales)} %"


def formatear_monto(valor, decimales: int = 2) -> str:
    """Monto en bolivianos: 1234.5 -> '1.234,50'."""
    return formatear_numero(valor, decimales)


def formatear_entero(valor) -> str:
    if es_vacio(valor):
        return GUION
    return formatear_numero(valor, 0)
