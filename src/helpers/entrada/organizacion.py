"""Cómo llama la entidad a su agrupación de áreas: la clave `organizacion` de los parámetros.

Los grupos mismos (sus nombres, qué áreas tiene cada uno) vienen del libro, columna
`servicio` de la hoja unidades (`entrada.agrupacion`); aquí sólo el nombre del nivel, que el
informe usa en títulos, columnas y frases: «servicio» por omisión, o el de la entidad
(«dirección departamental», «nivel», «distrito»...), con su plural.

    organizacion:
      agrupacion: dirección departamental
      agrupacion_plural: direcciones departamentales   # opcional: se forma solo
"""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AGRUPACION", "Organizacion", "plural"]

AGRUPACION = "servicio"

# Las palabras que no llevan plural en un nombre compuesto («oficina de distrito»): desde la
# primera de ellas, el resto queda como está.
_ENLACES = {"de", "del", "en", "para", "por", "y", "e", "a", "al"}


def _plural_de_palabra(palabra: str) -> str:
    minuscula = palabra.casefold()
    if minuscula[-1:] in "aeiouáéó":
        return palabra + "s"
    if minuscula.endswith("z"):
        return palabra[:-1] + "ces"
    # «dirección» → «direcciones»: la tilde de la última sílaba se pierde con el plural.
    sin_tilde = re.sub(r"([áéíóú])([ns])$",
                       lambda m: "aeiou"["áéíóú".index(m[1])] + m[2], palabra)
    return sin_tilde + "es"


def plural(frase: str) -> str:
    """El plural de un nombre en castellano, palabra por palabra hasta el primer enlace:
    «dirección departamental» → «direcciones departamentales», «oficina de distrito» →
    «oficinas de distrito». Para lo que esta regla no cubra, `agrupacion_plural`."""
    palabras = frase.split()
    for i, palabra in enumerate(palabras):
        if palabra.casefold() in _ENLACES:
            break
        palabras[i] = _plural_de_palabra(palabra)
    return " ".join(palabras)


class Organizacion(BaseModel):
    """El nombre del nivel que agrupa las áreas de la entidad (singular y plural)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agrupacion: str = Field(
        default=AGRUPACION, min_length=1, title="Nombre del nivel que agrupa las áreas",
        description="Cómo llama el informe al nivel que agrupa las áreas (la columna servicio "
                    "de la hoja unidades), en minúsculas.",
        examples=["dirección departamental"])
    agrupacion_plural: str | None = Field(
        default=None, min_length=1, title="Su plural",
        description="Su plural, sólo si el que forma el programa no es el correcto.")

    @property
    def singular(self) -> str:
        return self.agrupacion

    @property
    def plural(self) -> str:
        return self.agrupacion_plural or plural(self.agrupacion)

    @property
    def rotulo(self) -> str:
        """El singular como título de columna o de sección: «Servicio»."""
        return _mayuscula_inicial(self.singular)

    @property
    def rotulo_plural(self) -> str:
        """El plural como título: «Direcciones departamentales»."""
        return _mayuscula_inicial(self.plural)


def _mayuscula_inicial(texto: str) -> str:
    return texto[:1].upper() + texto[1:]
