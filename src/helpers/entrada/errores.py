"""Problemas de entrada: cada uno nombra archivo, hoja, fila y columna, en castellano."""
from __future__ import annotations

from dataclasses import dataclass


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
