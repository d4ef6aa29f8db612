"""Las tablas del informe como CSV (`tablas/*.csv` de la carpeta del informe): entran las
tablas (nombre → DataFrame), salen los archivos, en UTF-8, con punto decimal y la precisión
completa de cada número, y cada texto inerte en una hoja de cálculo."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.comun.literal import celda

__all__ = ["escribir_tablas"]


def escribir_tablas(tablas: dict, carpeta: Path) -> list[Path]:
    """Cada tabla como CSV (UTF-8, punto decimal, precisión completa).

    Las celdas de texto siguen la regla del prefijo de ``helpers.comun.literal.celda``: un texto
    que empieza con = + - @, tabulador o retorno de carro lleva delante un apóstrofo, para
    que una hoja de cálculo que abra el CSV lo muestre y no lo ejecute. Los números no
    cambian (una columna numérica nunca lleva apóstrofo)."""
    carpeta.mkdir(parents=True, exist_ok=True)
    rutas = []
    for nombre, tabla in tablas.items():
        ruta = carpeta / f"{nombre}.csv"
        _texto_de_planilla(tabla).to_csv(
            ruta, index=False, encoding="utf-8", lineterminator="\n", float_format="%.17g"
        )
        rutas.append(ruta)
    return rutas


def _texto_de_planilla(tabla):
    """Copia de `tabla` con la regla del prefijo aplicada a sus columnas de texto (str u
    object; en estas últimas, sólo a los valores que son texto)."""
    texto = [
        col for col, tipo in tabla.dtypes.items()
        if pd.api.types.is_object_dtype(tipo) or pd.api.types.is_string_dtype(tipo)
    ]
    if not texto:
        return tabla
    tabla = tabla.copy()
    for col in texto:
        tabla[col] = tabla[col].map(celda, na_action="ignore")
    return tabla
