"""Lo que comparten las partes del generador de la muestra.

Rutas (la raíz del proyecto, las cifras publicadas), la semilla y la fecha del libro, los
meses y trimestres, las columnas del contrato de datos, la lectura de los CSV publicados, los
montos en centavos, el redondeo de presentación y el código y la meta trimestral de una
operación. No lee el catálogo ni sortea nada.
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from helpers.entrada.contrato import COLUMNAS_CONTRATO, HOJAS_DEL_LIBRO_RECOGIDO

RAIZ = Path(__file__).resolve().parents[2]
REFERENCIA = RAIZ / "data" / "referencia"
SEMILLA = 20240630
FECHA_LIBRO = dt.datetime(2024, 7, 15, 9, 0, 0)

MESES = list(range(1, 13))
TRIMESTRES = {1: (1, 2, 3), 2: (4, 5, 6), 3: (7, 8, 9), 4: (10, 11, 12)}
# El peso de cada mes en los trámites consulares y su recaudación: más a mitad y a fin de año
# (vacaciones, regularizaciones).
ESTACION_CONSULAR = [1.0 + 0.25 * (m in (6, 7, 11, 12)) for m in MESES]

# Las columnas de cada hoja, tal como las define el contrato; sin las del libro recogido (la
# muestra es un libro del POA, no uno que escribió informe-poa recoger).
COLUMNAS = {hoja: columnas for hoja, columnas in COLUMNAS_CONTRATO.items()
            if hoja not in HOJAS_DEL_LIBRO_RECOGIDO}


def leer_csv(nombre: str, carpeta: Path = REFERENCIA) -> list[dict]:
    with open(carpeta / nombre, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def centavos(texto: str) -> int:
    return int((Decimal(texto) * 100).to_integral_value())


def cents(monto: float) -> int:
    """Centavos de un monto de las filas (Bs, float); `centavos` es para el texto del CSV."""
    return int(round(monto * 100))


def redondear(valor) -> Decimal:
    """Redondeo de presentación: 2 decimales, mitad lejos de cero (15 cifras significativas)."""
    return Decimal(format(float(valor), ".15g")).quantize(Decimal("0.01"), ROUND_HALF_UP)


def codigo_operacion(unidad: str, n: int) -> str:
    return f"OP-{unidad}-{n:02d}"


def prog_trimestre(o: dict, q: int) -> int:
    return sum(o["prog"][m - 1] for m in TRIMESTRES[q])
