"""La conversión de cada hoja leída a una tabla con los tipos del contrato.

Entra una `lectura.HojaCruda` (encabezados y filas tal como se escribieron); sale una `Hoja`:
un DataFrame con una columna por columna del contrato (texto `str`, números `float64`, fechas;
las ausentes, con su valor de celda vacía) más las columnas adicionales del libro como texto,
con índice `fila` (el número de fila de la hoja de cálculo), y lo que los mensajes necesitan
(qué columnas están, en qué posición, lo escrito en cada celda). Los problemas de lectura de
una celda (un número o una fecha mal escritos, una fórmula sin valor) y de los encabezados (una
columna repetida u obligatoria que falta) se agregan a `problemas`.

`tabla_final` da la tabla ya validada como la entrega `Datos`: enteros `int64` y `fila` como
última columna.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.entrada.celdas import (
    FormulaSinValor,
    a_texto,
    leer_fecha,
    leer_numeros,
    sin_tildes,
    textos,
)
from helpers.entrada.contrato import (
    CANONICOS,
    CONTRATO,
    FECHA,
    HOJAS,
    HOJAS_OBLIGATORIAS,
    SINONIMOS,
    TEXTO,
    Columna,
)
from helpers.entrada.errores import Problema
from helpers.entrada.lectura import HojaCruda

__all__ = ["Hoja", "convertir", "convertir_hojas", "tabla_final"]

_M_FORMULA = (
    "fórmula sin valor calculado ({formula}): abra y guarde el libro en Excel o LibreOffice "
    "para que se calcule"
)


class _Crudos:
    """(fila, columna) -> la celda tal como se escribió, para los mensajes; sólo de las celdas
    leídas como número o fecha. Se escribe al pedirla: un libro grande tiene millones de
    celdas y sólo las que tienen un problema se citan."""

    def __init__(self, filas: list[int]):
        self._posiciones = {fila: i for i, fila in enumerate(filas)}
        self._columnas: dict[str, tuple[list, np.ndarray]] = {}

    def agregar(self, columna: str, valores: list, escritos) -> None:
        self._columnas[columna] = (valores, np.asarray(escritos, dtype=bool))

    def get(self, clave: tuple[int, str], defecto=None):
        fila, columna = clave
        if columna not in self._columnas or fila not in self._posiciones:
            return defecto
        valores, escritos = self._columnas[columna]
        i = self._posiciones[fila]
        return a_texto(valores[i]) if escritos[i] else defecto


@dataclass
class Hoja:
    """Una hoja convertida: el DataFrame (índice = fila) y lo necesario para los mensajes."""

    nombre: str
    archivo: str
    tabla: pd.DataFrame
    presentes: set[str]  # columnas del contrato que están en la hoja
    posiciones: dict[str, int]  # columna -> posición en la hoja (para ordenar problemas)
    crudos: _Crudos  # (fila, columna) -> celda tal como se escribió
    con_error: set[tuple[int, str]]  # celdas que ya tienen un problema de lectura


def convertir_hojas(crudas: dict[str, HojaCruda], problemas: list[Problema]) -> dict[str, Hoja]:
    """Cada hoja leída convertida, en el orden del contrato; una hoja obligatoria sin filas
    de datos es un problema."""
    hojas: dict[str, Hoja] = {}
    for nombre in HOJAS:
        if nombre in crudas:
            hojas[nombre] = convertir(crudas[nombre], problemas)
            if nombre in HOJAS_OBLIGATORIAS and hojas[nombre].tabla.empty:
                problemas.append(
                    Problema(crudas[nombre].archivo, nombre, None, None,
                             "la hoja no tiene filas de datos")
                )
    return hojas


def convertir(cruda: HojaCruda, problemas: list[Problema]) -> Hoja:
    """La hoja `cruda` como tabla con los tipos del contrato."""
    contrato = CONTRATO[cruda.nombre]
    columnas_de = _Columnas(cruda, problemas)
    indice = _indice_de_encabezados(cruda, columnas_de.problema)
    _columnas_que_faltan(contrato, indice, columnas_de.problema)

    leer = {"texto": columnas_de.texto, "fecha": columnas_de.fecha}
    columnas: dict[str, pd.Series] = {
        col.nombre: leer.get(col.tipo, columnas_de.numero)(col, indice.get(col.nombre))
        for col in contrato
    }
    # Una columna adicional llamada "fila" no se conserva: ese nombre es el del número de fila.
    por_nombre = {c.nombre for c in contrato}
    for nombre in [n for n in indice if n not in por_nombre and n != "fila"]:
        columnas[nombre] = columnas_de.adicional(indice[nombre])
    return Hoja(
        nombre=cruda.nombre,
        archivo=cruda.archivo,
        tabla=pd.DataFrame(columnas, index=columnas_de.index),
        presentes={c.nombre for c in contrato if c.nombre in indice},
        posiciones=_posiciones(indice, contrato, len(cruda.encabezados)),
        crudos=columnas_de.crudos,
        con_error=columnas_de.con_error,
    )


def _indice_de_encabezados(cruda: HojaCruda, problema) -> dict[str, int]:
    """Columna -> posición en la hoja. Los encabezados del contrato se reconocen sin distinguir
    mayúsculas; el resto se conserva con su nombre. Una columna sin encabezado se ignora, y
    una repetida es un problema (se usa la primera)."""
    por_nombre = {c.nombre for c in CONTRATO[cruda.nombre]}
    indice: dict[str, int] = {}
    for pos, celda in enumerate(cruda.encabezados):
        nombre = a_texto(celda)
        if not nombre:
            continue
        if nombre.casefold() in por_nombre:
            nombre = nombre.casefold()
        if nombre in indice:
            problema(
                1, nombre,
                f"la columna aparece más de una vez (columnas {_letra(indice[nombre])} y "
                f"{_letra(pos)}); se usa la primera",
            )
            continue
        indice[nombre] = pos
    return indice


def _columnas_que_faltan(contrato: list[Columna], indice: dict[str, int], problema) -> None:
    """Las columnas obligatorias que faltan, y las de un grupo mensual incompleto."""
    for col in contrato:
        if col.nombre in indice:
            continue
        if col.obligatoria:
            problema(None, col.nombre, f"falta la columna obligatoria {col.nombre}")
        elif col.grupo and any(c.grupo == col.grupo and c.nombre in indice for c in contrato):
            # Un grupo mensual incompleto es casi siempre un encabezado mal escrito.
            problema(
                None, col.nombre,
                f"falta la columna {col.nombre} (la hoja tiene otras columnas {col.grupo}_)",
            )


def _posiciones(indice: dict[str, int], contrato: list[Columna], siguiente: int) -> dict[str, int]:
    """Columna -> posición, para ordenar los problemas: la de la hoja, y las columnas del
    contrato que faltan después de la última, en el orden del contrato."""
    posiciones = dict(indice)
    for col in contrato:
        if col.nombre not in posiciones:
            posiciones[col.nombre] = siguiente
            siguiente += 1
    return posiciones


class _Columnas:
    """Las columnas de una hoja leídas por tipo, con los problemas de sus celdas.

    La hoja se traspone de una vez (las filas más cortas se completan con None); cada celda
    leída como número o fecha queda en `crudos` para los mensajes, y cada celda con problema
    de lectura en `con_error`."""

    def __init__(self, cruda: HojaCruda, problemas: list[Problema]):
        self.cruda, self.problemas = cruda, problemas
        self.filas = [numero for numero, _ in cruda.filas]
        self.index = pd.Index(self.filas, dtype="int64", name="fila")
        self.crudos = _Crudos(self.filas)
        self.con_error: set[tuple[int, str]] = set()
        self.por_posicion = list(itertools.zip_longest(*(fila for _, fila in cruda.filas)))

    def problema(self, fila: int | None, columna: str, mensaje: str) -> None:
        self.problemas.append(
            Problema(self.cruda.archivo, self.cruda.nombre, fila, columna, mensaje))

    def _error_de_celda(self, i: int, columna: str, mensaje: str) -> None:
        """El problema de la celda `i` de la columna, que ya no se vuelve a informar."""
        self.problema(self.filas[i], columna, mensaje)
        self.con_error.add((self.filas[i], columna))

    def celdas(self, pos: int, columna: str | None = None) -> list:
        """Las celdas de una columna; una fórmula sin valor calculado de una columna del
        contrato es un problema y se lee vacía (las columnas adicionales no se usan)."""
        if pos >= len(self.por_posicion):
            return [None] * len(self.filas)
        valores = list(self.por_posicion[pos])
        if self.cruda.con_formulas:
            for i, valor in enumerate(valores):
                if isinstance(valor, FormulaSinValor):
                    if columna is not None:
                        self._error_de_celda(i, columna, _M_FORMULA.format(formula=valor.formula))
                    valores[i] = None
        return valores

    def texto(self, col: Columna, pos: int | None) -> pd.Series:
        if pos is None:
            valores = [""] * len(self.filas)
        else:
            valores = textos(self.celdas(pos, col.nombre))
            canonicos = CANONICOS.get((self.cruda.nombre, col.nombre))
            if canonicos:
                valores = _en_forma_canonica(
                    valores, canonicos, SINONIMOS.get((self.cruda.nombre, col.nombre), {}))
        return pd.Series(valores, index=self.index, dtype=TEXTO)

    def fecha(self, col: Columna, pos: int | None) -> pd.Series:
        fechas = [None] * len(self.filas)
        if pos is not None:
            valores = self.celdas(pos, col.nombre)
            for i, celda in enumerate(valores):
                try:
                    fechas[i] = leer_fecha(celda)
                except ValueError as exc:
                    self._error_de_celda(i, col.nombre, str(exc))
            self.crudos.agregar(col.nombre, valores, [f is not None for f in fechas])
        return pd.Series(fechas, index=self.index, dtype=FECHA)

    def numero(self, col: Columna, pos: int | None) -> pd.Series:
        """Una columna "numero" o "entero" (los enteros se validan como números y pasan a
        int64 en `tabla_final`); una celda vacía vale `col.vacio`."""
        if pos is None:
            numeros = np.full(len(self.filas), col.vacio)
        else:
            valores = self.celdas(pos, col.nombre)
            numeros, escritos, errores = leer_numeros(valores)
            for i, mensaje in errores:
                self._error_de_celda(i, col.nombre, mensaje)
            vacias = ~escritos
            vacias[[i for i, _ in errores]] = False
            numeros[vacias] = col.vacio
            self.crudos.agregar(col.nombre, valores, escritos)
        return pd.Series(numeros, index=self.index, dtype="float64")

    def adicional(self, pos: int) -> pd.Series:
        """Una columna que no es del contrato: se conserva como texto."""
        return pd.Series(textos(self.celdas(pos)), index=self.index, dtype=TEXTO)


def _en_forma_canonica(valores: list[str], canonicos: tuple[str, ...],
                       sinonimos: dict[str, str]) -> list[str]:
    """Los valores admitidos escritos con otras mayúsculas o tildes, o con otro nombre de
    `sinonimos` (el nombre de un departamento por su código), en su forma canónica; los
    demás, tal cual (la validación dice que no son válidos)."""
    mapa = {sin_tildes(otro): c for otro, c in sinonimos.items()}
    mapa |= {sin_tildes(c): c for c in canonicos}
    # Cada texto distinto se compara una vez (son todos textos: nada que confundir como 1 y
    # True en un diccionario).
    escrito = {v: mapa.get(sin_tildes(v), v) for v in set(valores)}
    return [escrito[v] for v in valores]


def _letra(pos: int) -> str:
    """Posición (desde 0) -> letra de columna de la hoja de cálculo (0 -> A, 26 -> AA)."""
    letras = ""
    pos += 1
    while pos:
        pos, resto = divmod(pos - 1, 26)
        letras = chr(ord("A") + resto) + letras
    return letras


def tabla_final(hoja: Hoja) -> pd.DataFrame:
    """La tabla validada: enteros como int64 y `fila` como última columna."""
    tabla = hoja.tabla.copy()
    for col in CONTRATO[hoja.nombre]:
        if col.tipo == "entero":
            tabla[col.nombre] = tabla[col.nombre].astype("int64")
    tabla = tabla.reset_index()
    return tabla[[c for c in tabla.columns if c != "fila"] + ["fila"]]
