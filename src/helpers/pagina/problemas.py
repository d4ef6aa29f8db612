"""La revisión de un libro como tabla para la página: una fila por problema (hoja, fila,
columna, valor, qué hacer), los errores aparte de las advertencias, y cómo se filtra y se
ordena.

Sale de la misma revisión que `informe-poa validar` (`helpers.revision.revisar`) y con la
misma ubicación de cada problema (la letra de la columna y lo que dice la celda); la copia
marcada es la de `helpers.salida.libro_revisado`.
"""
from __future__ import annotations

import html

import pandas as pd

from helpers.entrada.errores import Revision

__all__ = ["COLUMNAS", "ORDENES", "TODAS", "filtrar", "hojas", "resumen", "tabla",
           "tabla_html", "tabla_vacia"]

# Las columnas de la tabla, con su título en la página.
COLUMNAS = {"hoja": "Hoja", "fila": "Fila", "columna": "Columna", "valor": "Valor",
            "que_hacer": "Qué hacer"}
# Cómo se puede ordenar: título en la página → columnas.
ORDENES = {"Hoja y fila": ["hoja", "fila", "columna"], "Columna": ["columna", "hoja", "fila"],
           "Valor": ["valor", "hoja", "fila"], "Qué hacer": ["que_hacer", "hoja", "fila"]}
TODAS = "Todas"


def tabla(revision: Revision) -> pd.DataFrame:
    """Los problemas de `revision`, uno por fila, con su clase («error» o «advertencia»). Un
    problema que no es de una hoja (el archivo de parámetros, un archivo que falta) lleva en
    la hoja el nombre del archivo; la columna, su letra y su nombre («E (codigo_unidad)»)."""
    filas = []
    for clase, problema in revision.problemas:
        celda = revision.celdas.get(problema)
        columna = problema.columna or ""
        if celda is not None and celda.letra and columna:
            columna = f"{celda.letra} ({columna})"
        filas.append({
            "clase": clase,
            "hoja": problema.hoja or problema.archivo,
            "fila": problema.fila,
            "columna": columna,
            "valor": "" if celda is None or celda.valor is None else celda.valor,
            "que_hacer": problema.mensaje,
        })
    resultado = pd.DataFrame(filas, columns=["clase", *COLUMNAS])
    return resultado.astype({"fila": "Int64"})


def tabla_vacia() -> pd.DataFrame:
    return pd.DataFrame(columns=["clase", *COLUMNAS]).astype({"fila": "Int64"})


def filtrar(problemas: pd.DataFrame, *, hoja: str = TODAS, texto: str = "",
            orden: str = "Hoja y fila") -> pd.DataFrame:
    """Las filas de `hoja` (o de todas) que contienen `texto` en alguna columna (sin
    distinguir mayúsculas), ordenadas según `orden` (una clave de `ORDENES`)."""
    vista = problemas
    if hoja != TODAS:
        vista = vista[vista["hoja"] == hoja]
    buscado = texto.strip().casefold()
    if buscado:
        juntas = vista[list(COLUMNAS)].astype("string").fillna("").agg(" ".join, axis=1)
        vista = vista[juntas.str.casefold().str.contains(buscado, regex=False)]
    return vista.sort_values(ORDENES[orden], kind="stable", na_position="first")


def tabla_html(problemas: pd.DataFrame, clase_css: str) -> str:
    """La tabla como HTML, con todo el texto escapado (lo que dice una celda del libro se lee
    tal cual, nunca como HTML)."""
    encabezado = "".join(f"<th>{html.escape(t)}</th>" for t in COLUMNAS.values())
    filas = []
    for fila in problemas[list(COLUMNAS)].itertuples(index=False):
        celdas = ["" if pd.isna(v) else html.escape(str(v)) for v in fila]
        filas.append("<tr>" + "".join(f"<td>{c}</td>" for c in celdas) + "</tr>")
    return (f'<table class="{clase_css}"><thead><tr>{encabezado}</tr></thead>'
            f'<tbody>{"".join(filas)}</tbody></table>')


def hojas(problemas: pd.DataFrame) -> list[str]:
    """Las hojas (o archivos) con problemas, en orden, para el filtro."""
    return [TODAS, *sorted(problemas["hoja"].dropna().unique())]


def resumen(revision: Revision) -> list[str]:
    """Las dos primeras líneas del listado de `informe-poa validar`: qué se revisó, cuántos
    errores y advertencias tiene, y hasta qué mes se buscaron las advertencias."""
    from helpers.revision import texto

    return texto(revision, con_advertencias=False).splitlines()[:2]
