"""La clave `identificacion` de los parámetros: el informe como documento oficial.

Entra lo que el YAML dice bajo `identificacion` (CITE, hoja de ruta, unidad emisora, fecha de
emisión, versión del POA, firmas y fuentes de las cifras; todo opcional, docs/identidad.md);
sale un `Identificacion` validado, parte de `entrada.parametros.Parametros`. Cómo se muestra
en la portada, en el bloque de firmas y en la línea «Fuente:» es `redaccion.identidad`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpers.rutas import MEMBRETE

__all__ = ["ROLES", "Firma", "Fuentes", "Identificacion", "fecha_de_parametros"]

# En qué calidad firma cada quien, en el orden del bloque de firmas.
ROLES = ("elaborado", "revisado", "aprobado")

# Sin espacios a los lados: un texto hecho sólo de espacios cuenta como vacío.
_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)

_FECHA_BOLIVIANA = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def _texto_no_numero(valor):
    """Un número escrito sin comillas (`hoja_ruta: 01234`) lo lee YAML como número, y puede
    cambiarlo (un 0 inicial lo vuelve octal): se pide escribirlo entre comillas."""
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        raise ValueError(
            f"se leyó como el número {valor}; escriba el valor entre comillas (p. ej. "
            "\"01234\") para que se lea como texto, tal cual"
        )
    return valor


def fecha_de_parametros(valor):
    """Una fecha de los parámetros: sin comillas (YAML la lee como fecha), o escrita como
    2024-07-15 o 15/07/2024; una fecha con hora o un texto que no es fecha, un error que
    dice cómo escribirla. None queda None (la clave es opcional)."""
    if valor is None or (isinstance(valor, dt.date) and not isinstance(valor, dt.datetime)):
        return valor
    if isinstance(valor, str):
        try:
            return dt.date.fromisoformat(valor.strip())
        except ValueError:
            pass
        m = _FECHA_BOLIVIANA.match(valor)
        if m:
            try:
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                raise ValueError(f"'{valor}' no es una fecha que exista") from None
    if isinstance(valor, dt.datetime):
        raise ValueError("lleva hora; escriba sólo la fecha, como 2024-07-15 o 15/07/2024")
    raise ValueError(f"'{valor}' no es una fecha; escríbala como 2024-07-15 o 15/07/2024")


class Firma(BaseModel):
    """Quien firma el informe y en qué calidad."""

    model_config = _CONFIG

    rol: Literal[ROLES] = Field(
        title="Rol", description=f"en qué calidad firma: {', '.join(ROLES[:-1])} o {ROLES[-1]}")
    nombre: str = Field(min_length=1, title="Nombre", description="nombre y apellidos",
                        json_schema_extra={"relleno": True})
    cargo: str = Field(min_length=1, title="Cargo", description="cargo",
                       json_schema_extra={"relleno": True})

    _sin_numeros = field_validator("nombre", "cargo", mode="before")(_texto_no_numero)


class Fuentes(BaseModel):
    """De dónde salen las cifras: la línea «Fuente:» de los cuadros y gráficos."""

    model_config = _CONFIG

    # p. ej. "Reporte de ejecución presupuestaria del SIGEP al 30/06/2024"
    financiera: str | None = Field(
        default=None, min_length=1, title="Fuente de las cifras del presupuesto",
        description="de dónde salen las cifras del presupuesto: el reporte de ejecución "
                    "presupuestaria al corte, por ejemplo", json_schema_extra={"relleno": True})
    # p. ej. "Seguimiento de la unidad de planificación"
    fisica: str | None = Field(
        default=None, min_length=1, title="Fuente de los avances físicos",
        description="de dónde salen los avances físicos: el seguimiento de la unidad de "
                    "planificación, por ejemplo", json_schema_extra={"relleno": True})

    _sin_numeros = field_validator("financiera", "fisica", mode="before")(_texto_no_numero)


class Identificacion(BaseModel):
    """La clave `identificacion` de los parámetros; todo es opcional."""

    model_config = _CONFIG

    cite: str | None = Field(default=None, min_length=1, title="CITE",
                             description="el CITE que asigna la correspondencia",
                             json_schema_extra={"relleno": True})
    hoja_ruta: str | None = Field(default=None, min_length=1, title="Hoja de ruta",
                                  description="la hoja de ruta del trámite",
                                  json_schema_extra={"relleno": True})
    unidad_emisora: str | None = Field(default=None, min_length=1, title="Unidad emisora",
                                       description="la unidad que emite el informe",
                                       json_schema_extra={"relleno": True})
    fecha_emision: dt.date | None = Field(
        default=None, title="Fecha de emisión",
        description="AAAA-MM-DD o DD/MM/AAAA; no antes del corte")
    poa_version: str | None = Field(
        default=None, min_length=1, title="Versión del POA evaluada",
        description="la versión del POA evaluada: la resolución que aprobó su última "
                    "reformulación, por ejemplo", json_schema_extra={"relleno": True})
    plantilla_word: str | None = Field(
        default=None, min_length=1, title="Membrete de Word",
        description="el documento de Word (.docx) con el membrete de la entidad: sus estilos, "
                    "su logo, su cabecera y su pie, que toma informe.docx (ruta relativa a "
                    "este archivo; «informe-poa nuevo» escribe uno neutro para editar en "
                    "Word). Sin él, informe.docx sale con el membrete neutro",
        examples=[MEMBRETE])
    firmas: list[Firma] = Field(
        default_factory=list, title="Firmas",
        description=f"Quién firma, como {', '.join(ROLES[:-1])} o {ROLES[-1]}. Un rol que no "
                    "figura sale con renglones en blanco para escribir a mano el nombre y el "
                    "cargo.")
    fuentes: Fuentes = Field(
        default_factory=Fuentes, title="Fuentes de las cifras",
        description="Sin fuentes, cada cuadro dice «elaboración propia con datos del POA».")

    _sin_numeros = field_validator(
        "cite", "hoja_ruta", "unidad_emisora", "poa_version", mode="before"
    )(_texto_no_numero)

    _fecha = field_validator("fecha_emision", mode="before")(fecha_de_parametros)
