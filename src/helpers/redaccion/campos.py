"""Qué es cada columna de las tablas de los informes, en palabras, para los datos abiertos
(`helpers.salida.datos_abiertos`): su descripción y su unidad, de `campos.yaml`, que dice en
qué orden se busca una columna.

Una columna que no se puede describir es un error del programa (`SinDescripcion`), no de
los datos: cada tabla nueva o columna nueva se describe en `campos.yaml`, y las pruebas
describen todas las tablas de todos los informes de las muestras.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

__all__ = ["Campo", "SinDescripcion", "describir", "titulo_de_tabla"]

_ARCHIVO = Path(__file__).with_name("campos.yaml")


class SinDescripcion(KeyError):
    """Una columna de una tabla que `campos.yaml` no describe."""


@dataclass(frozen=True)
class Campo:
    descripcion: str
    unidad: str | None = None


@cache
def _catalogo() -> dict:
    return yaml.safe_load(_ARCHIVO.read_text(encoding="utf-8"))


def titulo_de_tabla(tabla: str) -> str:
    """El título de `tabla` para quien reutiliza los datos; su nombre si no tiene."""
    return _catalogo()["tablas"].get(tabla, {}).get("titulo", tabla)


def _exacta(tabla: str, columna: str) -> dict | None:
    catalogo = _catalogo()
    propia = catalogo["tablas"].get(tabla, {}).get("columnas", {})
    return propia.get(columna) or catalogo["columnas"].get(columna)


def _con_periodo(tabla: str, columna: str) -> Campo | None:
    """`avance_fisico_trimestre`: la base `avance_fisico`, y «en el trimestre del informe»."""
    for sufijo, periodo in _catalogo()["periodos"].items():
        base = columna.removesuffix(f"_{sufijo}")
        entrada = _exacta(tabla, base) if base != columna else None
        if entrada:
            texto = entrada["descripcion"].rstrip(".")
            return Campo(f"{texto}, {periodo}.", entrada.get("unidad"))
    return None


def _por_patron(columna: str) -> Campo | None:
    for entrada in _catalogo()["patrones"]:
        encontrado = re.match(entrada["patron"], columna)
        if encontrado:
            return Campo(entrada["descripcion"].format(*encontrado.groups()),
                         entrada.get("unidad"))
    return None


def describir(tabla: str, columna: str) -> Campo:
    """La descripción y la unidad de `columna` en `tabla`; `SinDescripcion` si no la hay."""
    entrada = _exacta(tabla, columna)
    if entrada:
        descripcion = entrada["descripcion"]
        if not descripcion.endswith("."):
            descripcion += "."
        return Campo(descripcion, entrada.get("unidad"))
    campo = _con_periodo(tabla, columna) or _por_patron(columna)
    if campo:
        return campo
    otras = _catalogo()["tablas"].get(tabla, {}).get("otras_columnas")
    if otras:
        return Campo(otras["descripcion"].format(columna=columna), otras.get("unidad"))
    raise SinDescripcion(f"la columna {columna!r} de la tabla {tabla!r} no está descrita en "
                         f"{_ARCHIVO.name}")
