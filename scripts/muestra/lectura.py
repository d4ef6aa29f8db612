"""La lectura de un catálogo de muestra: CSV y YAML de una carpeta de `data/`.

Lo comparten los generadores de las dos muestras (`muestra.catalogo`, para `data/muestra/`,
y `muestra_departamental.catalogo`, para `data/muestra-departamental/`): leer una tabla
(una celda vacía es None) o un YAML, la periodicidad de una operación escrita en palabras y
las operaciones de cada unidad en el orden del archivo, y las hojas que el libro copia tal cual
del catálogo. No lee nada al importarse.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import yaml

PERIODICIDADES = ("mensual", "trimestral", "semestral")


def leer_tabla(nombre: str, carpeta: Path) -> list[dict]:
    """Las filas de un CSV del catálogo; una celda vacía es None."""
    with open(carpeta / nombre, encoding="utf-8", newline="") as f:
        return [{k: v if v != "" else None for k, v in fila.items()} for fila in csv.DictReader(f)]


def leer_yaml(nombre: str, carpeta: Path) -> dict:
    with open(carpeta / nombre, encoding="utf-8") as f:
        return yaml.safe_load(f)


def periodicidad(texto: str) -> str | tuple[int, ...]:
    """'mensual', 'trimestral' o 'semestral' tal cual; 'meses 3 y 12' -> (3, 12)."""
    if texto in PERIODICIDADES:
        return texto
    return tuple(int(m) for m in re.findall(r"\d+", texto))


def operacion(fila: dict) -> tuple:
    """(descripcion, indicador, unidad_medida, periodicidad, meta) de una operación."""
    return (fila["descripcion"], fila["indicador"], fila["unidad_medida"],
            periodicidad(fila["periodicidad"]), int(fila["meta"]))


def operaciones_por_unidad(filas: list[dict]) -> dict[str, list[tuple]]:
    """Unidad -> sus operaciones, en el orden del archivo (la posición da el código)."""
    por_unidad: dict[str, list[tuple]] = {}
    for fila in filas:
        por_unidad.setdefault(fila["codigo_unidad"], []).append(operacion(fila))
    return por_unidad


def hojas_copiadas(carpeta: Path) -> dict[str, list[dict]]:
    """Las hojas que el libro copia tal cual del catálogo (acp, areas, articulacion,
    historico, narrativa, marcos, vinculos y, si el catálogo las trae, control_social y
    seguimiento_recomendaciones), con el tipo de sus columnas numéricas y de fecha."""
    return {
        "acp": leer_tabla("acp.csv", carpeta),
        "areas": leer_tabla("areas.csv", carpeta),
        "articulacion": leer_tabla("articulacion.csv", carpeta),
        "historico": [
            {**f, "gestion": int(f["gestion"]), "avance_fisico": float(f["avance_fisico"]),
             "ejecucion": float(f["ejecucion"])}
            for f in leer_tabla("historico.csv", carpeta)
        ],
        "narrativa": [
            {**f, "trimestre": int(f["trimestre"])} for f in leer_tabla("narrativa.csv", carpeta)
        ],
        "marcos": [
            {**f, **_numeros(f, "linea_base", "meta", "valor_alcanzado")}
            for f in leer_tabla("marcos.csv", carpeta)
        ],
        "vinculos": [{**f, **_numeros(f, "peso")} for f in leer_tabla("vinculos.csv", carpeta)],
        "control_social": [
            {**f, "gestion": int(f["gestion"]), **_fechas(f, "fecha", "plazo")}
            for f in _si_esta("control_social.csv", carpeta)
        ],
        "seguimiento_recomendaciones": [
            {**f, **_fechas(f, "fecha")}
            for f in _si_esta("seguimiento_recomendaciones.csv", carpeta)
        ],
    }


def _si_esta(nombre: str, carpeta: Path) -> list[dict]:
    """Las filas de un CSV que un catálogo puede no tener (una hoja opcional vacía)."""
    return leer_tabla(nombre, carpeta) if (carpeta / nombre).is_file() else []


def _fechas(fila: dict, *columnas: str) -> dict:
    """Las `columnas` de `fila` (AAAA-MM-DD) como fechas (vacías, None)."""
    return {c: dt.datetime.fromisoformat(fila[c]) if fila[c] else None for c in columnas}


def _numeros(fila: dict, *columnas: str) -> dict:
    """Las `columnas` de `fila` como números (vacías, None)."""
    return {c: float(fila[c]) if fila[c] is not None else None for c in columnas}


def valores(datos: dict, *claves: str) -> tuple:
    """Los valores de `claves` en `datos`, en ese orden."""
    return tuple(datos[k] for k in claves)
