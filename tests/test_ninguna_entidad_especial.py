"""Ninguna entidad es especial: el paquete, los cuadernos y las plantillas no nombran la
entidad de la muestra, sus áreas ni sus unidades, ni sus grupos de áreas.

Lo que se busca sale de los datos de la muestra (el catálogo de `data/muestra/` y sus
parámetros), no de una lista escrita aquí: si la muestra cambia, la prueba busca lo nuevo.
Un nombre o un código se busca como palabra entera, con sus mayúsculas (los códigos cortos
de la muestra, como `UT`, no deben chocar con palabras del castellano en minúsculas).
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

RAIZ = Path(__file__).resolve().parents[1]
CATALOGO = RAIZ / "data" / "muestra"
PARAMS_MUESTRA = RAIZ / "params" / "2024-T2.yaml"

# Dónde no debe estar: el código del paquete, los cuadernos, las secciones y las plantillas.
BUSCAR_EN = ("src/helpers/**/*.py", "src/helpers/**/*.html", "src/helpers/**/*.css",
             "src/helpers/**/*.tpl", "src/helpers/**/*.j2", "src/helpers/**/*.yaml",
             "notebooks/**/*.ipynb", "notebooks/**/*.yaml")


def _filas(nombre: str) -> list[dict]:
    with open(CATALOGO / nombre, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def lo_que_nombra_la_muestra() -> dict[str, str]:
    """Texto → qué es: la entidad (nombre y sigla), sus áreas (código, nombre, sigla), sus
    unidades (código y nombre) y sus grupos de áreas (columna servicio)."""
    entidad = yaml.safe_load(PARAMS_MUESTRA.read_text(encoding="utf-8"))["entidad"]
    buscados = {entidad["nombre"]: "la entidad", entidad["sigla"]: "la sigla de la entidad"}
    for area in _filas("areas.csv"):
        for campo in ("area", "nombre", "sigla"):
            buscados.setdefault(area[campo], f"el área {area['area']}")
    for unidad in _filas("unidades.csv"):
        buscados.setdefault(unidad["codigo_unidad"], f"la unidad {unidad['codigo_unidad']}")
        buscados.setdefault(unidad["nombre"], f"la unidad {unidad['codigo_unidad']}")
        buscados.setdefault(unidad["servicio"], "un grupo de áreas de la muestra")
    return {texto: que for texto, que in buscados.items() if texto.strip()}


def _archivos() -> list[Path]:
    return sorted({ruta for patron in BUSCAR_EN for ruta in RAIZ.glob(patron)})


def test_hay_que_buscar_y_donde():
    buscados = lo_que_nombra_la_muestra()
    assert len(buscados) > len(_filas("unidades.csv"))
    assert any(r.suffix == ".ipynb" for r in _archivos())


@pytest.mark.parametrize("ruta", _archivos(), ids=lambda r: str(r.relative_to(RAIZ)))
def test_ningun_nombre_ni_codigo_de_la_muestra(ruta):
    texto = ruta.read_text(encoding="utf-8")
    hallados = []
    for buscado, que in lo_que_nombra_la_muestra().items():
        for m in re.finditer(rf"(?<![\w.-]){re.escape(buscado)}(?![\w-])", texto):
            linea = texto.count("\n", 0, m.start()) + 1
            hallados.append(f"línea {linea}: {buscado!r} ({que})")
    assert not hallados, "\n".join(hallados)
