"""Las partes de docs/arquitectura.md que salen del código: el diagrama de quién importa a quién
(mermaid) y la lista de módulos con el primer párrafo de su docstring.

El diagrama junta los módulos de `helpers` por carpeta (`entrada/`, `calculo/`…) y deja los
sueltos con su nombre; una flecha A → B dice que algún módulo de A importa uno de B (también
dentro de una función). Se quitan las flechas que ya se siguen por otro camino (A → C si
están A → B y B → C), para que se lea el recorrido; `precarga` (la precarga del lote, que
importa casi todo) y `__main__` no se dibujan.

    .venv/bin/python scripts/arquitectura.py            # muestra lo que iría en el documento
    .venv/bin/python scripts/arquitectura.py --escribir # lo escribe en docs/arquitectura.md

tests/test_estructura.py comprueba que el documento dice lo mismo que el código.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent))  # marcas.py, al lado
from marcas import entre, reemplazar_entre  # noqa: E402

RAIZ = Path(__file__).resolve().parents[1]
PAQUETE = RAIZ / "src" / "helpers"
DOCUMENTO = RAIZ / "docs" / "arquitectura.md"
_NO_SE_DIBUJAN = {"helpers", "helpers.__main__"}
_MARCAS = {
    "diagrama": ("<!-- diagrama: lo escribe scripts/arquitectura.py -->",
                 "<!-- fin del diagrama -->"),
    "modulos": ("<!-- módulos: los escribe scripts/arquitectura.py -->",
                "<!-- fin de los módulos -->"),
}


def grupo(modulo: str) -> str:
    """La carpeta de ``modulo`` (``entrada/``) o, si está suelto en el paquete, su nombre."""
    partes = modulo.split(".")
    if len(partes) > 2 or (PAQUETE / partes[1]).is_dir():
        return f"{partes[1]}/"
    return partes[1]


def dependencias() -> dict[str, set[str]]:
    """Para cada grupo, los grupos que importa directamente."""
    grafo = grimp.build_graph("helpers")
    flechas: dict[str, set[str]] = {}
    for modulo in grafo.modules:
        if modulo in _NO_SE_DIBUJAN:
            continue
        origen = grupo(modulo)
        flechas.setdefault(origen, set())
        for importado in grafo.find_modules_directly_imported_by(modulo):
            if importado not in _NO_SE_DIBUJAN and grupo(importado) != origen:
                flechas[origen].add(grupo(importado))
    return flechas


def _alcanzables(flechas: dict[str, set[str]], desde: str, sin: str) -> set[str]:
    """Los grupos a los que se llega desde ``desde`` sin pasar por ``sin``."""
    vistos: set[str] = set()
    pendientes = list(flechas.get(desde, ()))
    while pendientes:
        siguiente = pendientes.pop()
        if siguiente not in vistos and siguiente != sin:
            vistos.add(siguiente)
            pendientes.extend(flechas.get(siguiente, ()))
    return vistos


def reducidas(flechas: dict[str, set[str]]) -> dict[str, set[str]]:
    """``flechas`` sin las que ya se siguen por otro camino que no vuelve al origen."""
    return {
        origen: {destino for destino in destinos
                 if not any(destino in _alcanzables(flechas, otro, sin=origen)
                            for otro in destinos - {destino})}
        for origen, destinos in flechas.items()
    }


def _nodo(nombre: str) -> str:
    return re.sub(r"\W", "_", nombre.rstrip("/"))


def diagrama() -> str:
    """El diagrama mermaid de las dependencias entre grupos."""
    flechas = reducidas(dependencias())
    lineas = ["```mermaid", "flowchart TD"]
    lineas += [f'    {_nodo(nombre)}["{nombre}"]' for nombre in sorted(flechas)]
    lineas += [f"    {_nodo(origen)} --> {_nodo(destino)}"
               for origen in sorted(flechas) for destino in sorted(flechas[origen])]
    lineas.append("```")
    return "\n".join(lineas)


def _primera_linea(ruta: Path) -> str:
    docstring = ast.get_docstring(ast.parse(ruta.read_text(encoding="utf-8"))) or ""
    return " ".join(docstring.split("\n\n")[0].split())


def modulos() -> str:
    """Una fila por módulo del paquete: su ruta y el primer párrafo de su docstring."""
    filas = ["| módulo | qué hace |", "| --- | --- |"]
    for ruta in sorted(PAQUETE.rglob("*.py")):
        relativa = ruta.relative_to(PAQUETE.parent).as_posix()
        if ruta.name == "__init__.py" and ruta.parent != PAQUETE:
            continue
        descripcion = _primera_linea(ruta).replace("|", "\\|")
        filas.append(f"| `{relativa}` | {descripcion} |")
    return "\n".join(filas)


def partes() -> dict[str, str]:
    return {"diagrama": diagrama(), "modulos": modulos()}


def en_el_documento(texto: str, parte: str) -> str | None:
    """Lo que ``texto`` tiene entre las marcas de ``parte``, o None si no las tiene."""
    return entre(texto, _MARCAS[parte])


def escribir() -> None:
    texto = DOCUMENTO.read_text(encoding="utf-8")
    for parte, contenido in partes().items():
        texto = reemplazar_entre(texto, _MARCAS[parte], contenido, str(DOCUMENTO))
    DOCUMENTO.write_text(texto, encoding="utf-8")


if __name__ == "__main__":
    lector = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    lector.add_argument("--escribir", action="store_true",
                        help="escribe el diagrama y los módulos en docs/arquitectura.md")
    if lector.parse_args().escribir:
        escribir()
    else:
        for contenido in partes().values():
            print(contenido, end="\n\n")
