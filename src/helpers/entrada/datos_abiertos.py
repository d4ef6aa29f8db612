"""La clave `datos_abiertos` de los parámetros: con qué licencia publica la entidad las tablas
de cada informe como datos abiertos (la carpeta `datos-abiertos/`, docs/datos-abiertos.md).

    datos_abiertos:
      licencia: CC-BY-4.0     # una de LICENCIAS; CC-BY-4.0 sin esta clave

La licencia va en el `datapackage.json` con su nombre, su título y su dirección, como la
nombra el registro de licencias abiertas (identificadores SPDX).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["LICENCIAS", "DatosAbiertos"]

# Identificador SPDX → (título, dirección del texto de la licencia).
LICENCIAS: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Atribución 4.0 Internacional",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Atribución-CompartirIgual 4.0 Internacional",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons CC0 1.0 Universal (dominio público)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License 1.0",
                   "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0",
                 "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
LICENCIA_POR_OMISION = "CC-BY-4.0"


class DatosAbiertos(BaseModel):
    """Cómo se publican las tablas del informe como datos abiertos."""

    model_config = ConfigDict(extra="forbid")

    licencia: Literal[tuple(LICENCIAS)] = Field(
        default=LICENCIA_POR_OMISION, title="Licencia de los datos abiertos",
        description="La licencia con que la entidad publica las tablas del informe "
                    f"(datos-abiertos/datapackage.json): {', '.join(LICENCIAS)}. Sin esta "
                    f"clave, {LICENCIA_POR_OMISION}.")

    @property
    def descriptor_licencia(self) -> dict[str, str]:
        """La licencia como la pide un Data Package: nombre, título y dirección."""
        titulo, direccion = LICENCIAS[self.licencia]
        return {"name": self.licencia, "title": titulo, "path": direccion}
