"""Lo que un mensaje de error sugiere hacer, además de decir qué está mal.

- Un código que no existe: el código más parecido de los que existen («¿quiso decir
  'DPR'?»), primero el que sólo difiere en mayúsculas o espacios y después el que está a
  una o dos letras (distancia de edición), sólo si es lo bastante parecido.
- La fila de ejemplo de la plantilla que quedó en una hoja: se reconoce comparando sus
  valores con los del ejemplo que escribe `helpers.entrada.plantilla`
  (`entrada.fila_de_ejemplo`: los mismos, no una copia), y el problema dice que es el
  ejemplo y que se borre.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cached_property, lru_cache

import pandas as pd

from helpers.entrada import fila_de_ejemplo
from helpers.entrada.errores import Problema

__all__ = ["PISTA_EJEMPLO", "Sugeridor", "con_pista_de_ejemplo", "filas_de_ejemplo",
           "parecidos", "pista_de_ejemplo", "quiso_decir"]

# A lo sumo tantas sugerencias: más, a la misma distancia, no ayudan a elegir.
_MAXIMO = 3

PISTA_EJEMPLO = (
    "esta es la fila de ejemplo de la plantilla (gris, en cursiva, con códigos que empiezan con "
    "{marca}): bórrela (clic derecho en el número de fila > Eliminar filas) y escriba sus "
    "datos en su lugar"
)


def _forma(texto: str) -> str:
    """Sin mayúsculas ni espacios: 'd pr' y 'DPR' son el mismo código mal escrito."""
    return "".join(texto.casefold().split())


def _distancia(a: str, b: str, tope: int) -> int:
    """Distancia de edición (Levenshtein); cualquier valor mayor que `tope` si la supera."""
    if abs(len(a) - len(b)) > tope:
        return tope + 1
    previa = list(range(len(b) + 1))
    for i, letra_a in enumerate(a, start=1):
        actual = [i]
        for j, letra_b in enumerate(b, start=1):
            actual.append(min(previa[j] + 1, actual[j - 1] + 1,
                              previa[j - 1] + (letra_a != letra_b)))
        if min(actual) > tope:
            return tope + 1
        previa = actual
    return previa[-1]


def parecidos(valor: str, codigos: Iterable[str]) -> list[str]:
    """Los códigos de `codigos` más parecidos a `valor` (a lo sumo tres, ordenados), o []
    si ninguno se le parece lo bastante: igual sin mayúsculas ni espacios, o a una letra
    cambiada, sobrante o faltante por cada tres letras del código (DPX por DPR, sí; 7
    por 1, no)."""
    return list(_parecidos(str(valor), frozenset(c for c in codigos if c)))


@lru_cache(maxsize=4096)
def _parecidos(valor: str, codigos: frozenset[str]) -> tuple[str, ...]:
    forma = _forma(valor)
    if not forma:
        return ()
    iguales = sorted(c for c in codigos if _forma(c) == forma and c != valor)
    if iguales:
        return tuple(iguales[:_MAXIMO])
    mejores: list[str] = []
    mejor = None
    for codigo in codigos:
        otra = _forma(codigo)
        tope = max(len(forma), len(otra)) // 3
        if not tope:
            continue
        d = _distancia(forma, otra, tope)
        if d > tope or (mejor is not None and d > mejor):
            continue
        if mejor is None or d < mejor:
            mejor, mejores = d, []
        mejores.append(codigo)
    return tuple(sorted(mejores)) if 0 < len(mejores) <= _MAXIMO else ()


def quiso_decir(valor: str, codigos: Iterable[str]) -> str:
    """"¿quiso decir 'DPR'?" (o "'DPR' o 'DPS'"), o "" si nada se parece."""
    candidatos = parecidos(valor, codigos)
    if not candidatos:
        return ""
    nombres = [f"'{c}'" for c in candidatos]
    lista = nombres[0] if len(nombres) == 1 else f"{', '.join(nombres[:-1])} o {nombres[-1]}"
    return f"¿quiso decir {lista}?"


class Sugeridor:
    """El campo `{sugerencia}` de los mensajes de una referencia que no existe (los de
    `helpers.entrada.esquemas`): "; ¿quiso decir 'DPR'?", o "" si nada se parece o si la fila
    es la de ejemplo de la plantilla (ésa se borra, no se corrige).

    `referencias`: (hoja, columna) -> (hoja, columna) de donde sale el código;
    `existentes`: los códigos de cada columna de donde salen (None si no se leyó);
    `tablas`: las hojas leídas (índice: la fila), de donde salen sus filas de ejemplo."""

    def __init__(self, referencias: Mapping[tuple[str, str], tuple[str, str]],
                 existentes: Mapping[tuple[str, str], set[str] | None],
                 tablas: Mapping[str, pd.DataFrame]):
        self.referencias, self.existentes, self.tablas = referencias, existentes, tablas

    @cached_property
    def ejemplos(self) -> dict[str, list[int]]:
        """Las filas de ejemplo de cada hoja: se buscan sólo si hay algún problema (un libro
        sin errores no paga la comparación)."""
        return filas_de_ejemplo(self.tablas)

    def __call__(self, hoja: str, fila: int, columna: str, valor: str) -> str:
        codigos = self.existentes.get(self.referencias.get((hoja, columna)))
        if not codigos or fila in self.ejemplos.get(hoja, ()):
            return ""
        pista = quiso_decir(valor, codigos)
        return f"; {pista}" if pista else ""


# --------------------------------------------------------------------------------------
# La fila de ejemplo de la plantilla


@lru_cache(maxsize=1)
def _ejemplos() -> dict[str, dict[str, object]]:
    """La fila de ejemplo de cada hoja sin las celdas vacías ni las que dependen de la
    gestión (el año del histórico, la fecha y la resolución de la reformulación): las que
    cambian entre los ejemplos de dos gestiones."""
    uno, otro = fila_de_ejemplo.ejemplos(2000), fila_de_ejemplo.ejemplos(2001)
    return {
        hoja: {col: valor for col, valor in fila.items()
               if valor is not None and otro[hoja].get(col) == valor}
        for hoja, fila in uno.items()
    }


@lru_cache(maxsize=1)
def _columnas_marcadas() -> dict[str, tuple[str, ...]]:
    """Hoja -> las columnas cuyo valor en la fila de ejemplo (`_ejemplos`) lleva
    `MARCA_EJEMPLO` (los códigos, y el archivo de la recepción)."""
    return {
        hoja: tuple(c for c, v in fila.items()
                    if isinstance(v, str) and v.startswith(fila_de_ejemplo.MARCA_EJEMPLO))
        for hoja, fila in _ejemplos().items()
    }


def _con_marca(tabla: pd.DataFrame, columnas: Iterable[str]) -> pd.Series:
    """Las filas con un código que empieza con la marca del ejemplo ("EJEMPLO-UPS", también
    en minúsculas): un código así sólo sale de la plantilla."""
    marca = f"{fila_de_ejemplo.MARCA_EJEMPLO}-".casefold()
    marcadas = pd.Series(False, index=tabla.index)
    for columna in columnas:
        if columna in tabla.columns:
            textos = tabla[columna].astype(str).str.strip().str.casefold()
            marcadas |= textos.str.startswith(marca).fillna(False).astype(bool)
    return marcadas


def filas_de_ejemplo(tablas: Mapping[str, pd.DataFrame]) -> dict[str, list[int]]:
    """Las filas (el índice de cada tabla) de la fila de ejemplo de la plantilla: las que
    tienen un código con la marca del ejemplo (`MARCA_EJEMPLO`), o todos los valores
    escritos de la fila de ejemplo de su hoja. Una fila de ejemplo a la que se le agregó algo
    (lo ejecutado de otro mes) sigue siendo el ejemplo; una en la que se cambiaron sus
    códigos y algún valor, ya no."""
    filas: dict[str, list[int]] = {}
    for hoja, tabla in tablas.items():
        ejemplo = {c: v for c, v in _ejemplos().get(hoja, {}).items() if c in tabla.columns}
        if tabla.empty or not ejemplo:
            continue
        iguales = pd.Series(True, index=tabla.index)
        for columna, valor in ejemplo.items():
            iguales &= (tabla[columna] == valor).fillna(False).astype(bool)
            if not iguales.any():
                break  # casi siempre en la primera columna: las demás no cambian nada
        iguales |= _con_marca(tabla, _columnas_marcadas().get(hoja, ()))
        if iguales.any():
            filas[hoja] = [int(f) for f in tabla.index[iguales.to_numpy()]]
    return filas


def pista_de_ejemplo() -> str:
    """`PISTA_EJEMPLO` con la marca de los códigos del ejemplo."""
    return PISTA_EJEMPLO.format(marca=fila_de_ejemplo.MARCA_EJEMPLO)


def con_pista_de_ejemplo(problemas: list[Problema],
                         ejemplos: Mapping[str, list[int]]) -> list[Problema]:
    """Los problemas, y los de una fila de ejemplo con la pista de que es el ejemplo y se
    borra (el problema mismo no importa: la fila sobra)."""
    if not ejemplos:
        return problemas
    pista = pista_de_ejemplo()
    return [
        replace(p, mensaje=f"{p.mensaje}; {pista}")
        if p.fila is not None and p.fila in ejemplos.get(p.hoja or "", ()) else p
        for p in problemas
    ]
