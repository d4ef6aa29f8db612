"""La estructura del paquete, como la promete docs/arquitectura.md: módulos que se leen de una
vez, ningún código de Python escrito en cadenas, y el documento al día con el código. La
complejidad de cada función y las capas los comprueba `make lint` (xenon y lint-imports)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
PAQUETE = RAIZ / "src" / "helpers"
LINEAS_MAXIMAS = 800


def _arquitectura():
    especificacion = importlib.util.spec_from_file_location(
        "arquitectura", RAIZ / "scripts" / "arquitectura.py")
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo


def test_ningun_modulo_pasa_de_800_lineas():
    largos = {ruta.relative_to(RAIZ).as_posix(): len(ruta.read_text(encoding="utf-8").splitlines())
              for ruta in PAQUETE.rglob("*.py")}
    assert largos, "no encontré módulos"
    assert {ruta: n for ruta, n in largos.items() if n > LINEAS_MAXIMAS} == {}


def _argumentos_c(ruta: Path) -> list[int]:
    """Las líneas de ``ruta`` con una lista o tupla que lleva la opción ``-c`` (código
    pasado a un intérprete como texto)."""
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    return [
        nodo.lineno for nodo in ast.walk(arbol)
        if isinstance(nodo, (ast.List, ast.Tuple))
        and any(isinstance(elemento, ast.Constant) and elemento.value == "-c"
                for elemento in nodo.elts)
    ]


def test_ningun_proceso_recibe_codigo_en_una_cadena(tmp_path):
    prueba = tmp_path / "con_c.py"
    prueba.write_text('import subprocess, sys\nsubprocess.run([sys.executable, "-c", "1"])\n')
    assert _argumentos_c(prueba) == [2]  # la búsqueda encuentra lo que busca
    encontrados = {ruta.relative_to(RAIZ).as_posix(): lineas
                   for ruta in PAQUETE.rglob("*.py") if (lineas := _argumentos_c(ruta))}
    assert encontrados == {}


def test_el_documento_de_arquitectura_dice_lo_que_hay_en_el_codigo():
    """El diagrama y la lista de módulos de docs/arquitectura.md salen del código; si no
    coinciden: `.venv/bin/python scripts/arquitectura.py --escribir`."""
    arquitectura = _arquitectura()
    texto = arquitectura.DOCUMENTO.read_text(encoding="utf-8")
    for parte, contenido in arquitectura.partes().items():
        assert arquitectura.en_el_documento(texto, parte) == contenido, parte


def test_el_diagrama_sale_de_los_imports():
    """Una flecha por import entre grupos, sin las que ya se siguen por otro camino."""
    arquitectura = _arquitectura()
    flechas = {"cli": {"informe", "entrada/"}, "informe": {"entrada/"}, "entrada/": set()}
    assert arquitectura.reducidas(flechas) == {
        "cli": {"informe"}, "informe": {"entrada/"}, "entrada/": set()}
    assert arquitectura.grupo("helpers.entrada.datos") == "entrada/"
    assert arquitectura.grupo("helpers.informe") == "informe"
    assert "salida/" in arquitectura.dependencias()["informe"]  # el ejecutor escribe el PDF
