"""Problemas de entrada: cada uno nombra archivo, hoja, fila y columna, en castellano.

`Problema` es uno; `ErrorDeEntrada`, la excepción que los lleva todos (la lanzan
`cargar_datos` y `cargar_parametros`). `Revision` es el resultado de revisar un libro sin
generar el informe (`helpers.revision`, `informe-poa validar`): sus errores y advertencias,
con la letra y el valor de cada celda (`Celda`), que la copia marcada del libro
(`salida.libro_revisado`) escribe.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problema:
    """Un problema de los datos de entrada, ubicado como lo numera la hoja de cálculo."""

    archivo: str
    hoja: str | None
    fila: int | None
    columna: str | None
    mensaje: str

    def __str__(self) -> str:
        partes = [self.archivo]
        if self.hoja:
            partes.append(f"hoja {self.hoja}")
        if self.fila is not None:
            partes.append(f"fila {self.fila}")
        if self.columna:
            # Sin hoja ni fila se trata del archivo de parámetros: allí se nombra la clave.
            sin_hoja = self.hoja is None and self.fila is None
            partes.append(f"{'clave' if sin_hoja else 'columna'} {self.columna}")
        return f"{', '.join(partes)}: {self.mensaje}"


class ErrorDeEntrada(Exception):
    """Los datos o los parámetros tienen problemas; se informan todos a la vez."""

    def __init__(self, problemas: list[Problema]):
        self.problemas = list(problemas)
        super().__init__(self.texto())

    def texto(self) -> str:
        n = len(self.problemas)
        encabezado = (
            "Se encontró 1 problema en los datos de entrada:"
            if n == 1
            else f"Se encontraron {n} problemas en los datos de entrada:"
        )
        return "\n".join([encabezado, *(f"- {p}" for p in self.problemas)])


@dataclass(frozen=True)
class Celda:
    """Dónde está un problema en el libro y qué dice la celda.

    `letra`: la columna como la muestra la hoja de cálculo (None si la columna no está en la
    hoja); `valor`: lo escrito en la celda como texto ("" vacía; None si el problema no es
    de una celda: una columna o una hoja entera); una fórmula sin valor calculado se muestra
    como la fórmula. `numero`: el valor si la celda guarda un número (para escribirlo como
    número en la hoja problemas de la copia marcada)."""

    letra: str | None
    valor: str | None
    numero: float | None = None


@dataclass
class Revision:
    """El resultado de revisar un libro o un archivo de parámetros.

    `datos`: el libro o la carpeta de CSV revisados (None si los parámetros no dicen cuál);
    `parametros`: el archivo de parámetros (None si se revisó sólo el libro); `mes_corte`:
    el mes hasta el que se buscan advertencias (0: el libro no reporta ningún mes; None: no
    se buscaron, porque los datos tienen errores); `corte_de_parametros`: si ese mes es el
    corte de los parámetros o el último mes reportado en el libro; `celdas`: la letra de la
    columna y el valor de cada problema que está en una hoja."""

    errores: list[Problema]
    advertencias: list[Problema]
    datos: Path | None
    parametros: Path | None
    mes_corte: int | None
    corte_de_parametros: bool = False
    celdas: dict[Problema, Celda] = field(default_factory=dict)

    @property
    def hay_errores(self) -> bool:
        return bool(self.errores)

    @property
    def problemas(self) -> list[tuple[str, Problema]]:
        """Todos los problemas con su clase ("error" o "advertencia"), errores primero."""
        return ([("error", p) for p in self.errores]
                + [("advertencia", p) for p in self.advertencias])
