"""La hoja articulacion del libro como tabla: cada ACP con su cadena PDES → PEI.

Entra: las hojas articulacion y acp del libro (``DataFrame`` de `helpers.entrada.datos`).
Sale: si el libro trae la hoja (`hay_articulacion`) y la tabla ordenada por la jerarquía
(`tabla_articulacion`: eje, meta y resultado del PDES, AMP y acción del PEI, ACP y su
descripción), que muestran la rendición de cuentas (`helpers.redaccion.institucional`) y el
Formulario 02 de la formulación (`helpers.calculo.formulacion`). Sin formato: los títulos
de las columnas y el cuadro HTML son cosa de la redacción.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["JERARQUIA_ARTICULACION", "hay_articulacion", "tabla_articulacion", "texto_limpio"]

# Las columnas de la hoja, de lo más general a lo más particular: el orden de la tabla.
JERARQUIA_ARTICULACION = ("eje_pdes", "meta_pdes", "resultado_pdes", "codigo_amp",
                          "accion_pei", "codigo_acp")


def texto_limpio(serie: pd.Series) -> pd.Series:
    """Los textos de una columna, sin espacios en los extremos; vacío por una celda vacía."""
    return serie.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                     else str(v).strip())


def hay_articulacion(articulacion: pd.DataFrame) -> bool:
    """Si el libro trae la hoja articulacion con alguna fila."""
    return articulacion is not None and not articulacion.empty


def tabla_articulacion(articulacion: pd.DataFrame, acp: pd.DataFrame) -> pd.DataFrame:
    """Cada fila de la hoja articulacion con la descripción de su ACP (hoja acp), ordenada
    por la jerarquía: los ejes en el orden en que aparecen por primera vez, dentro de cada
    eje sus metas en ese mismo orden, y así hasta la ACP (las filas de un mismo grupo quedan
    juntas aunque en la hoja estén separadas). Las columnas que la hoja deja vacías en todas
    las filas no se incluyen; `codigo_acp` y `descripcion_acp` siempre. Textos sin espacios
    en los extremos; una celda vacía, texto vacío."""
    jerarquia = list(JERARQUIA_ARTICULACION)
    tabla = pd.DataFrame({c: texto_limpio(articulacion[c]) if c in articulacion else ""
                          for c in jerarquia}, index=articulacion.index)
    descripciones = dict(zip(texto_limpio(acp["codigo_acp"]), texto_limpio(acp["descripcion"])))
    tabla["descripcion_acp"] = tabla["codigo_acp"].map(descripciones).fillna("")
    claves = []
    for i in range(len(jerarquia)):
        # La posición de la primera aparición del grupo (esta columna y las de su izquierda).
        grupo = tabla[jerarquia[: i + 1]].apply(tuple, axis=1)
        primera = {g: k for k, g in reversed(list(enumerate(grupo)))}
        clave = f"_orden_{i}"
        tabla[clave] = grupo.map(primera).to_numpy()
        claves.append(clave)
    tabla = tabla.sort_values(claves, kind="stable").drop(columns=claves)
    llenas = [c for c in jerarquia if c == "codigo_acp" or tabla[c].ne("").any()]
    columnas = llenas + ["descripcion_acp"]
    return tabla[columnas].reset_index(drop=True)
