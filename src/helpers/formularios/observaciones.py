"""Las observaciones que se proponen al recoger el formulario de una unidad: cifras que no
pueden estar bien, o que piden una explicación, cada una con la regla que la levanta
(docs/formularios.md, «Observaciones propuestas»).

Entra lo que llenó la unidad (`valores`: código de operación, lo ejecutado en cada mes del
trimestre, la justificación y el medio de verificación), lo programado en esos meses (del
libro del POA) y, desde el segundo trimestre, lo ejecutado en los meses anteriores según el
libro y según la hoja de referencia del formulario. Sale una tabla con una fila por
observación: la operación, la regla, la columna del formulario que la levanta, su valor y el
mensaje para la unidad. Las reglas:

- `sobre_programado`: lo ejecutado en el trimestre supera `factor` veces lo programado (o hay
  ejecución sin nada programado);
- `sin_justificacion`: el cumplimiento del trimestre (ejecutado / programado) queda por debajo
  del umbral de la metodología (`metodologia.umbral_cumple`), la justificación está vacía y
  la operación no está marcada NO APLICA en el libro;
- `sin_medio`: hay ejecución en el trimestre y el medio de verificación está vacío;
- `meses_anteriores`: lo ejecutado de un mes anterior al trimestre, en la hoja de referencia
  del formulario, no es lo que dice el libro (la unidad lo cambió);
- `justificacion_copiada`: la misma justificación (sin contar mayúsculas ni espacios) que la
  de otra operación del mismo formulario.

Funciones puras sobre DataFrames.
"""
from __future__ import annotations

import math

import pandas as pd

from helpers.comun.numeros import formatear_numero, formatear_porcentaje

__all__ = ["COLUMNAS", "ESTADOS", "ESTADO_PROPUESTA", "REGLAS", "REGLA_PLANIFICADOR",
           "proponer"]

# Cada regla y lo que dice, para el registro y docs/formularios.md.
REGLAS = {
    "sobre_programado": "lo ejecutado supera varias veces lo programado",
    "sin_justificacion": "cumplimiento bajo sin justificación",
    "sin_medio": "ejecución sin medio de verificación",
    "meses_anteriores": "cambió lo ejecutado de un mes anterior al trimestre",
    "justificacion_copiada": "la misma justificación que otra operación",
}
COLUMNAS = ["codigo_operacion", "regla", "columna", "valor", "mensaje"]
# El estado de una observación (columna estado de observaciones.csv): la propone `recoger`;
# el planificador la confirma o la descarta (o escribe la suya, con regla «planificador»);
# `devolver` manda a la unidad las que no se descartaron, que quedan «devuelta».
ESTADOS = ("propuesta", "confirmada", "descartada", "devuelta")
ESTADO_PROPUESTA, ESTADO_CONFIRMADA, ESTADO_DESCARTADA, ESTADO_DEVUELTA = ESTADOS
# La regla de una observación que escribe el planificador.
REGLA_PLANIFICADOR = "planificador"


def _numero(valor) -> float:
    """Un valor de la tabla como número (vacío: 0)."""
    if valor is None or (isinstance(valor, float) and math.isnan(valor)) or valor == "":
        return 0.0
    return float(valor)


def _texto(valor) -> str:
    return "" if valor is None or (isinstance(valor, float) and math.isnan(valor)) else str(
        valor).strip()


def _mayor_exceso(fila, ejecutado: list[str], programado: list[str]) -> str:
    """La columna del mes en que lo ejecutado más supera a lo programado."""
    excesos = [_numero(fila[e]) - _numero(fila[p]) for e, p in zip(ejecutado, programado)]
    return ejecutado[excesos.index(max(excesos))]


def _de_la_operacion(fila, ejecutado: list[str], programado: list[str], factor: float,
                     umbral: float, justificada: bool) -> list[dict]:
    hecho = sum(_numero(fila[c]) for c in ejecutado)
    meta = sum(_numero(fila[c]) for c in programado)
    justificacion, medio = _texto(fila["justificacion"]), _texto(fila["medio_verificacion"])
    propuestas = []
    if hecho > factor * meta:
        columna = _mayor_exceso(fila, ejecutado, programado)
        detalle = (f"{formatear_numero(hecho)} ejecutado y nada programado" if meta == 0 else
                   f"{formatear_numero(hecho)} ejecutado sobre {formatear_numero(meta)} "
                   f"programado, más de {formatear_numero(factor)} veces")
        propuestas.append(("sobre_programado", columna, fila[columna],
                           f"en el trimestre: {detalle}; revise la cifra o explique en la "
                           "justificación por qué se ejecutó tanto más"))
    if meta > 0 and hecho / meta * 100 < umbral and not (justificacion or justificada):
        propuestas.append(("sin_justificacion", "justificacion", "",
                           f"cumplió {formatear_porcentaje(hecho / meta * 100)} de lo "
                           f"programado en el trimestre, menos del "
                           f"{formatear_porcentaje(umbral)} de la metodología, y no dice por "
                           "qué: escriba la justificación"))
    if hecho > 0 and not medio:
        propuestas.append(("sin_medio", "medio_verificacion", "",
                           "tiene ejecución en el trimestre y ningún medio de verificación: "
                           "nombre el documento que la respalda"))
    return [{"codigo_operacion": fila["codigo_operacion"], "regla": regla, "columna": columna,
             "valor": valor, "mensaje": mensaje}
            for regla, columna, valor, mensaje in propuestas]


def _copiadas(valores: pd.DataFrame) -> list[dict]:
    """Cada justificación igual a la de una operación anterior del formulario."""
    vistas: dict[str, str] = {}
    propuestas = []
    for codigo, justificacion in zip(valores["codigo_operacion"], valores["justificacion"]):
        texto = _texto(justificacion)
        clave = " ".join(texto.split()).casefold()
        if not clave:
            continue
        if clave in vistas:
            propuestas.append({
                "codigo_operacion": codigo, "regla": "justificacion_copiada",
                "columna": "justificacion", "valor": texto,
                "mensaje": f"la justificación es la misma que la de la operación "
                           f"{vistas[clave]}: explique lo de esta operación"})
        else:
            vistas[clave] = codigo
    return propuestas


def _anteriores(del_formulario: pd.DataFrame | None, del_libro: pd.DataFrame) -> list[dict]:
    """Cada operación cuya hoja de referencia del formulario dice otra cosa que el libro en lo
    ejecutado de algún mes anterior al trimestre (una fila por operación, con el primer mes
    distinto)."""
    if del_formulario is None or del_formulario.empty:
        return []
    libro = del_libro.set_index("codigo_operacion")
    propuestas = []
    for _, fila in del_formulario.iterrows():
        codigo = fila["codigo_operacion"]
        if codigo not in libro.index:
            continue
        distintos = [c for c in libro.columns if c in fila.index
                     and not math.isclose(_numero(fila[c]), _numero(libro.at[codigo, c]),
                                          rel_tol=1e-9, abs_tol=1e-9)]
        if distintos:
            columna = distintos[0]
            propuestas.append({
                "codigo_operacion": codigo, "regla": "meses_anteriores", "columna": columna,
                "valor": fila[columna],
                "mensaje": f"en la hoja de meses anteriores, {', '.join(distintos)} no es lo "
                           f"que dice el libro del POA ({columna}: "
                           f"{formatear_numero(_numero(libro.at[codigo, columna]))}): esos "
                           "meses ya se informaron; si hay que corregirlos, dígalo en la "
                           "justificación"})
    return propuestas


def proponer(valores: pd.DataFrame, programado: pd.DataFrame, ejecutado: list[str],
             columnas_programado: list[str], *, factor: float, umbral: float,
             anteriores_formulario: pd.DataFrame | None = None,
             anteriores_libro: pd.DataFrame | None = None,
             no_aplica: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Las observaciones propuestas del formulario de una unidad (`COLUMNAS`), en el orden
    de sus operaciones y, en cada una, en el de `REGLAS`.

    `valores`: lo que llenó la unidad (codigo_operacion, `ejecutado`, justificacion,
    medio_verificacion); `programado`: codigo_operacion y `columnas_programado`, del libro;
    `factor`: cuántas veces lo programado se acepta sin observar; `umbral`: el cumplimiento
    (%) por debajo del cual se pide justificación; `anteriores_*`: codigo_operacion y lo
    ejecutado de los meses anteriores, del formulario y del libro; `no_aplica`: las
    operaciones que el libro marca NO APLICA (su motivo ya dice por qué no se ejecutan: no
    se pide justificación)."""
    tabla = valores.merge(programado, on="codigo_operacion", how="left", sort=False)
    propuestas = []
    for _, fila in tabla.iterrows():
        propuestas += _de_la_operacion(fila, ejecutado, columnas_programado, factor, umbral,
                                       fila["codigo_operacion"] in no_aplica)
    propuestas += _copiadas(valores)
    if anteriores_libro is not None:
        propuestas += _anteriores(anteriores_formulario, anteriores_libro)
    orden_ops = {c: i for i, c in enumerate(valores["codigo_operacion"])}
    orden_reglas = {r: i for i, r in enumerate(REGLAS)}
    propuestas.sort(key=lambda p: (orden_ops.get(p["codigo_operacion"], len(orden_ops)),
                                   orden_reglas[p["regla"]]))
    return pd.DataFrame(propuestas, columns=COLUMNAS)
