"""Las rondas de `informe-poa recoger` (docs/formularios.md): un formulario que llega después
de recoger se recoge corriendo otra vez la orden sobre la carpeta, con el mismo libro recogido
y `--reemplazar`. El libro que se reemplaza es la ronda anterior: de él salen el número de la
ronda nueva, la ronda en que llegó cada archivo del registro y las cifras de antes.

- `leer_ronda_anterior`: el registro y las cifras del trimestre del libro recogido anterior.
- `numerar`: la columna `ronda` del registro nuevo; un archivo ya recogido (mismo nombre,
  huella y estado) conserva su ronda, lo nuevo o lo que cambió de estado lleva la nueva.
- `cambios`: cada celda del trimestre que cambió de una ronda a la otra, con su valor antes
  y después; se acumulan en la hoja `cambios_por_ronda` del libro recogido.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.entrada.celdas import a_texto
from helpers.entrada.lectura import hoja_del_libro

__all__ = [
    "COLUMNAS_CAMBIOS",
    "HOJA_CAMBIOS",
    "RondaAnterior",
    "cambios",
    "leer_ronda_anterior",
    "numerar",
    "valores_de_la_hoja",
]

HOJA_CAMBIOS = "cambios_por_ronda"
COLUMNAS_CAMBIOS = ["ronda", "codigo_unidad", "codigo_operacion", "columna", "antes", "despues"]
# Lo que identifica a una fila del registro de una ronda a otra.
_CLAVE_REGISTRO = ("codigo_unidad", "archivo", "huella", "estado")


@dataclass
class RondaAnterior:
    """El libro recogido que se reemplaza: su registro (con `ronda`), las cifras del trimestre
    de cada operación y los cambios de las rondas anteriores."""

    registro: pd.DataFrame
    valores: pd.DataFrame  # índice codigo_operacion; codigo_unidad y las columnas del trimestre
    cambios: pd.DataFrame
    # Otras hojas del libro que se llevan de una ronda a otra (las revisiones, las
    # observaciones), por nombre; una que el libro no tiene, no está.
    hojas: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def ronda(self) -> int:
        rondas = pd.to_numeric(self.registro.get("ronda"), errors="coerce")
        return int(rondas.max()) if rondas is not None and rondas.notna().any() else 1


def _tabla_de_hoja(hoja) -> pd.DataFrame:
    """Una hoja con encabezado en la fila 1, como tabla (los nombres de columna en
    minúsculas); las filas vacías no entran."""
    filas = list(hoja.iter_rows(values_only=True))
    if not filas:
        return pd.DataFrame()
    encabezado = [a_texto(v).casefold() for v in filas[0]]
    datos = [fila for fila in filas[1:] if any(v not in (None, "") for v in fila)]
    return pd.DataFrame(datos, columns=encabezado).loc[:, lambda t: t.columns != ""]


def valores_de_la_hoja(hoja, columnas: list[str]) -> pd.DataFrame:
    """De la hoja operaciones (de openpyxl): codigo_unidad y `columnas` de cada operación,
    con índice codigo_operacion."""
    tabla = _tabla_de_hoja(hoja)
    faltan = [c for c in columnas if c not in tabla.columns]
    for columna in faltan:
        tabla[columna] = None
    tabla["codigo_operacion"] = tabla["codigo_operacion"].map(a_texto)
    tabla["codigo_unidad"] = tabla["codigo_unidad"].map(a_texto)
    return tabla[tabla["codigo_operacion"] != ""].drop_duplicates(
        "codigo_operacion").set_index("codigo_operacion")[["codigo_unidad", *columnas]]


def leer_ronda_anterior(libro_recogido: Path, columnas: list[str], hoja_registro: str,
                        otras: tuple[str, ...] = ()) -> RondaAnterior | None:
    """La ronda anterior, del libro recogido que se va a reemplazar, con las hojas `otras`
    que tenga; None si el archivo no es un libro recogido (no tiene la hoja del
    registro)."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        libro = openpyxl.load_workbook(libro_recogido, data_only=True, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError):
        return None  # no es un libro: se reemplaza sin ronda anterior
    try:
        registro = hoja_del_libro(libro, hoja_registro)
        operaciones = hoja_del_libro(libro, "operaciones")
        if registro is None or operaciones is None:
            return None
        hoja_cambios = hoja_del_libro(libro, HOJA_CAMBIOS)
        anteriores = (_tabla_de_hoja(hoja_cambios) if hoja_cambios is not None
                      else pd.DataFrame(columns=COLUMNAS_CAMBIOS))
        hojas = {nombre: _tabla_de_hoja(hoja) for nombre in otras
                 if (hoja := hoja_del_libro(libro, nombre)) is not None}
        return RondaAnterior(_tabla_de_hoja(registro), valores_de_la_hoja(operaciones, columnas),
                             anteriores.reindex(columns=COLUMNAS_CAMBIOS), hojas)
    finally:
        libro.close()


def _clave(fila) -> tuple[str, ...]:
    return tuple(a_texto(fila.get(c)) for c in _CLAVE_REGISTRO)


def numerar(registro: pd.DataFrame, anterior: RondaAnterior | None) -> tuple[pd.Series, int]:
    """La ronda de cada fila del registro nuevo y el número de esta ronda: 1 sin ronda
    anterior; si no, la siguiente, y cada fila que ya estaba igual conserva la suya."""
    if anterior is None:
        return pd.Series(1, index=registro.index, name="ronda"), 1
    actual = anterior.ronda + 1
    previas = {}
    for fila in anterior.registro.to_dict("records"):
        ronda = pd.to_numeric(fila.get("ronda"), errors="coerce")
        previas[_clave(fila)] = 1 if pd.isna(ronda) else int(ronda)
    rondas = [previas.get(_clave(fila), actual) for fila in registro.to_dict("records")]
    return pd.Series(rondas, index=registro.index, name="ronda"), actual


def _normal(valor):
    """Un valor de celda comparable: None si está vacía, float si es número, texto si no."""
    if valor is None or (isinstance(valor, numbers.Real) and math.isnan(valor)):
        return None
    if isinstance(valor, bool | np.bool_):
        return bool(valor)
    # También los enteros de numpy (np.int64 no es un int): si no, un 2 leído de la hoja
    # era «'2'» y no igualaba al 2.0 de la ronda anterior, y cada celda parecía cambiar.
    if isinstance(valor, numbers.Real):
        return float(valor)
    texto = str(valor)
    return texto if texto.strip() else None


def cambios(anterior: RondaAnterior | None, nuevos: pd.DataFrame, ronda: int) -> pd.DataFrame:
    """Cada celda del trimestre (las columnas de `nuevos` salvo codigo_unidad) que cambió
    desde la ronda anterior, en el orden de las operaciones; sin ronda anterior, ninguna."""
    filas = []
    if anterior is not None:
        columnas = [c for c in nuevos.columns if c != "codigo_unidad"]
        for codigo, fila in nuevos.iterrows():
            previa = (anterior.valores.loc[codigo] if codigo in anterior.valores.index
                      else None)
            for columna in columnas:
                antes = None if previa is None else _normal(previa.get(columna))
                despues = _normal(fila[columna])
                if antes != despues:
                    filas.append([ronda, fila["codigo_unidad"], codigo, columna, antes, despues])
    return pd.DataFrame(filas, columns=COLUMNAS_CAMBIOS)


def acumulados(anterior: RondaAnterior | None, nuevos: pd.DataFrame) -> pd.DataFrame:
    """Los cambios de las rondas anteriores y los de esta, para la hoja del libro."""
    if anterior is None or anterior.cambios.empty:
        return nuevos
    return pd.concat([anterior.cambios, nuevos], ignore_index=True)
