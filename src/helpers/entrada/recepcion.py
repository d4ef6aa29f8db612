"""La clave `recepcion` de los parámetros: hasta cuándo reciben las unidades sus formularios
de seguimiento y qué pasa con uno que llega después.

    recepcion:
      plazo: 2024-07-10          # AAAA-MM-DD o DD/MM/AAAA; no antes del corte del trimestre
      fuera_de_plazo: excluir    # excluir (por omisión) o incluir
      factor_sobre_programado: 1.5   # observar lo ejecutado por encima de 1,5 × lo programado
      observados: incluir        # incluir (por omisión) o excluir lo que sigue observado
      dias_para_corregir: 5      # el plazo de un formulario devuelto, sin --plazo
      tamano_maximo_evidencia: 20   # MB por archivo de evidencia

Es opcional en un informe; `informe-poa formularios` la necesita, porque cada formulario
dice su plazo (docs/formularios.md). Que el plazo no sea anterior al corte lo comprueba
`entrada.parametros.Parametros`, que conoce el corte.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpers.entrada.identificacion import fecha_de_parametros

__all__ = ["DIAS_DE_PLAZO", "DIAS_PARA_CORREGIR", "FACTOR_SOBRE_PROGRAMADO", "FUERA_DE_PLAZO",
           "OBSERVADOS", "Recepcion", "TAMANO_MAXIMO_EVIDENCIA", "plazo_de_ejemplo"]

# Lo que se hace con un formulario recibido después del plazo: no se toma en cuenta, o se
# toma igual (y se dice que llegó tarde).
FUERA_DE_PLAZO = ("excluir", "incluir")

# Lo que se hace, al recoger, con el formulario de una unidad que sigue observado (se devolvió
# y la corrección no llegó): se toman sus cifras, o no.
OBSERVADOS = ("incluir", "excluir")

# Los días corridos que tiene una unidad para corregir un formulario devuelto, si
# `informe-poa devolver` no recibe --plazo.
DIAS_PARA_CORREGIR = 5

# Lo que puede pesar un archivo de evidencia que manda una unidad, en MB.
TAMANO_MAXIMO_EVIDENCIA = 20

# Cuántas veces lo programado en el trimestre puede ejecutar una operación sin que se
# proponga observarla (docs/formularios.md, «Observaciones propuestas»).
FACTOR_SOBRE_PROGRAMADO = 1.5

# El plazo de ejemplo de los parámetros en blanco: tantos días corridos después del corte.
DIAS_DE_PLAZO = 10


class Recepcion(BaseModel):
    """El plazo de entrega de los formularios de seguimiento de un trimestre."""

    model_config = ConfigDict(extra="forbid")

    plazo: dt.date = Field(
        title="Plazo de entrega de los formularios",
        description="Hasta cuándo entregan las unidades su formulario de seguimiento del "
                    "trimestre (informe-poa formularios); no antes del corte.")
    fuera_de_plazo: Literal[FUERA_DE_PLAZO] = Field(
        default=FUERA_DE_PLAZO[0], title="Un formulario fuera de plazo",
        description=f"Qué pasa con un formulario que llega después del plazo: "
                    f"{FUERA_DE_PLAZO[0]} (no se toma en cuenta) o {FUERA_DE_PLAZO[1]} (se toma "
                    "y se dice que llegó tarde).")

    factor_sobre_programado: float = Field(
        default=FACTOR_SOBRE_PROGRAMADO, gt=1, title="Ejecutado sobre lo programado",
        description="Cuántas veces lo programado del trimestre puede ejecutar una operación "
                    "antes de que informe-poa recoger proponga observarla (regla "
                    "sobre_programado).")

    observados: Literal[OBSERVADOS] = Field(
        default=OBSERVADOS[0], title="Un formulario que sigue observado",
        description=f"Qué pasa al recoger con el formulario de una unidad que se devolvió con "
                    f"observaciones y no volvió corregido: {OBSERVADOS[0]} (se toman sus "
                    f"cifras) o {OBSERVADOS[1]} (no se toman).")
    dias_para_corregir: int = Field(
        default=DIAS_PARA_CORREGIR, ge=1, title="Días para corregir",
        description="Los días corridos que tiene una unidad para corregir el formulario que "
                    "se le devuelve (informe-poa devolver), si la orden no dice --plazo.")

    tamano_maximo_evidencia: int = Field(
        default=TAMANO_MAXIMO_EVIDENCIA, ge=1, le=500, title="Tamaño máximo de una evidencia",
        description="Lo que puede pesar, en MB, cada archivo de evidencia que una unidad manda "
                    "con su formulario (informe-poa recoger); uno más grande se rechaza.")

    _fecha = field_validator("plazo", mode="before")(fecha_de_parametros)


def plazo_de_ejemplo(corte: dt.date) -> dt.date:
    """Un plazo razonable para el trimestre que cierra en `corte`: `DIAS_DE_PLAZO` después."""
    return corte + dt.timedelta(days=DIAS_DE_PLAZO)
