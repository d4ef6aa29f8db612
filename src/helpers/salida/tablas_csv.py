"""Todo CSV que el programa escribe: las tablas del informe (`tablas/*.csv` de la carpeta del
informe y del consolidado de un lote), el registro de recepción de `recoger` (`recepcion.csv`
junto al libro recogido) y los datos abiertos (`datos-abiertos/*.csv`). Entra una tabla
(DataFrame), sale el archivo, en UTF-8, con punto decimal y la precisión completa de cada
número. Los que abre una persona (`escribir_csv`) llevan cada texto inerte en una hoja de
cálculo; los de los datos abiertos (`escribir_csv_crudo`), los valores tal cual, para los
programas que los reutilizan. Ningún otro módulo escribe CSV (lo comprueba
`tests/test_texto_inerte.py`)."""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
from pathlib import Path

import pandas as pd

from helpers.comun.literal import celda

__all__ = ["escribir_csv", "escribir_csv_crudo", "escribir_tablas"]


def escribir_csv(tabla: pd.DataFrame, ruta: Path) -> Path:
    """`tabla` como CSV en `ruta` (UTF-8, punto decimal, precisión completa, sin índice).

    Las celdas de texto siguen la regla del prefijo de ``helpers.comun.literal.celda``: un texto
    que empieza con = + - @, tabulador o retorno de carro lleva delante un apóstrofo, para
    que una hoja de cálculo que abra el CSV lo muestre y no lo ejecute. Los números no
    cambian (una columna numérica nunca lleva apóstrofo).

    Un retorno de carro dentro de un texto (un nombre de archivo puede traerlo) sería, sin
    comillas, un corte de fila para la hoja de cálculo, y lo que le sigue, otra celda que
    empieza como fórmula; el módulo csv de Python no pone comillas por él si el fin de línea
    es "\\n". Si algún texto lo trae, cada texto va entre comillas; si no, sólo los que lo
    necesitan (los mismos bytes de siempre)."""
    tabla = _texto_de_planilla(tabla)
    comillas = csv.QUOTE_NONNUMERIC if _con_retorno(tabla) else csv.QUOTE_MINIMAL
    with _reemplazando(Path(ruta)) as archivo:
        tabla.to_csv(archivo, index=False, lineterminator="\n", float_format="%.17g",
                     quoting=comillas)
    return ruta


def escribir_csv_crudo(tabla: pd.DataFrame, ruta: Path) -> Path:
    """`tabla` como CSV de datos abiertos en `ruta`: como `escribir_csv`, pero con cada texto
    tal cual (sin el apóstrofo de la regla del prefijo, que cambiaría el dato para un
    programa) y comillas donde el CSV las pide (RFC 4180). Las fechas van en ISO 8601."""
    # Un retorno de carro dentro de un texto, entre comillas (como en `escribir_csv`).
    comillas = csv.QUOTE_NONNUMERIC if _con_retorno(tabla) else csv.QUOTE_MINIMAL
    with _reemplazando(Path(ruta)) as archivo:
        tabla.to_csv(archivo, index=False, lineterminator="\n", float_format="%.17g",
                     quoting=comillas, date_format="%Y-%m-%dT%H:%M:%S")
    return ruta


@contextlib.contextmanager
def _reemplazando(ruta: Path):
    """Un archivo de texto nuevo junto a `ruta` que, al terminar bien, toma su lugar
    (`os.replace`): si `ruta` es un enlace simbólico, se reemplaza el enlace, no se escribe
    a través de él en el archivo al que apunta; y una escritura cortada no deja medio CSV."""
    temporal = ruta.with_name(f".{ruta.name}.{secrets.token_hex(6)}.tmp")
    # O_EXCL: nunca un archivo que ya estaba; 0o666 con la máscara del usuario, como open().
    fd = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as archivo:
            yield archivo
        os.replace(temporal, ruta)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise


def escribir_tablas(tablas: dict, carpeta: Path) -> list[Path]:
    """Cada tabla (nombre → DataFrame) como `carpeta/<nombre>.csv`, con `escribir_csv`."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return [escribir_csv(tabla, carpeta / f"{nombre}.csv") for nombre, tabla in tablas.items()]


def _columnas_de_texto(tabla) -> list:
    return [col for col, tipo in tabla.dtypes.items()
            if pd.api.types.is_object_dtype(tipo) or pd.api.types.is_string_dtype(tipo)]


def _con_retorno(tabla) -> bool:
    """True si algún texto de `tabla` (o el nombre de una columna) trae un retorno de carro."""
    textos = [*map(str, tabla.columns), *(v for col in _columnas_de_texto(tabla)
                                          for v in tabla[col] if isinstance(v, str))]
    return any("\r" in texto for texto in textos)


def _texto_de_planilla(tabla):
    """Copia de `tabla` con la regla del prefijo aplicada a sus columnas de texto (str u
    object; en estas últimas, sólo a los valores que son texto)."""
    texto = _columnas_de_texto(tabla)
    if not texto:
        return tabla
    tabla = tabla.copy()
    for col in texto:
        tabla[col] = tabla[col].map(celda, na_action="ignore")
    return tabla
