"""Las piezas de un libro que una persona llena en Excel o LibreOffice: la plantilla del libro
del POA (`helpers.entrada.plantilla`) y los formularios de seguimiento de las unidades
(`helpers.formularios.envio`).

- `texto_inerte`: una celda de texto que nunca es fórmula, tampoco si alguien la edita (el
  texto de los datos entra así en el libro, `helpers.comun.literal`);
- `LIBRE`: la protección de una celda que se puede escribir en una hoja protegida;
- `alto_de_fila`: el alto de una fila con texto ajustado, que las hojas de cálculo no
  calculan al abrir un libro escrito por un programa;
- `Regla` y `validacion`: una validación de datos con el aviso al elegir la celda y el
  mensaje ante un valor que no cumple;
- los estilos comunes: el título, el encabezado y el texto ajustado.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from helpers.comun.literal import PREFIJOS_FORMULA

__all__ = [
    "AJUSTE",
    "ALTO_LINEA",
    "FUENTE_ENCABEZADO",
    "FUENTE_TITULO",
    "LETRA",
    "LIBRE",
    "Regla",
    "alto_de_fila",
    "escribir_valor",
    "texto_inerte",
    "validacion",
]

# La letra por omisión de un libro de openpyxl, nombrada también en las negritas: sin nombre,
# LibreOffice las muestra con otra letra.
LETRA = "Calibri"
FUENTE_TITULO = Font(name=LETRA, bold=True, size=14)
FUENTE_ENCABEZADO = Font(name=LETRA, bold=True)
LIBRE = Protection(locked=False)
AJUSTE = Alignment(wrap_text=True, vertical="top")
ALTO_LINEA = 15  # puntos por línea de texto
# Lo que admite el título del aviso de una validación en Excel (el aviso mismo, 255).
_LARGO_TITULO_AVISO = 32


def texto_inerte(celda, valor: str) -> None:
    """Un texto que nunca es fórmula, tampoco si alguien edita la celda: guardado como texto
    y, si empieza como una fórmula (`PREFIJOS_FORMULA`), con el prefijo de comilla."""
    celda.value = valor
    celda.data_type = "s"
    if valor.startswith(PREFIJOS_FORMULA):
        celda.quotePrefix = True


def escribir_valor(celda, valor) -> None:
    """Un valor de los datos: un texto, inerte (`texto_inerte`); lo demás, tal cual."""
    if isinstance(valor, str):
        texto_inerte(celda, valor)
    else:
        celda.value = valor


def alto_de_fila(textos_y_anchos) -> float:
    """El alto de una fila con texto ajustado: la celda con más líneas, de los pares (texto,
    ancho de su columna). Aproximado por exceso: un carácter por unidad de ancho."""
    lineas = max(
        sum(max(1, math.ceil(len(parte) / ancho)) for parte in texto.split("\n"))
        for texto, ancho in textos_y_anchos
    )
    return lineas * ALTO_LINEA


@dataclass(frozen=True)
class Regla:
    """Una validación de datos de una columna y cómo se la explica."""

    tipo: str  # "list", "whole", "decimal" o "textLength" (los de la hoja de cálculo)
    formula1: str
    operador: str | None  # None en las listas
    resumen: str  # lo que dice la columna «tipo» de las instrucciones de la plantilla
    aviso: str  # el mensaje al elegir la celda (Excel admite 255 caracteres)
    error: str  # el mensaje ante un valor que no cumple
    estilo: str = "stop"  # "warning": advierte y deja escribir el valor


def validacion(regla: Regla, titulo: str, rango: str) -> DataValidation:
    """La validación de `regla` en las celdas de `rango` («E2:E5000»), vacías permitidas; el
    aviso al elegir una celda lleva `titulo` (el nombre de la columna)."""
    dv = DataValidation(
        type=regla.tipo, formula1=regla.formula1, operator=regla.operador,
        allow_blank=True, showErrorMessage=True, showInputMessage=True,
        errorStyle=regla.estilo, errorTitle="Valor no válido",
        error=regla.error, promptTitle=titulo[:_LARGO_TITULO_AVISO], prompt=regla.aviso,
    )
    dv.add(rango)
    return dv
