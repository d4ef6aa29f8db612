"""Las tablas de las claves del archivo de parámetros en docs/ salen de los campos de los
modelos (`helpers.entrada.parametros`: su título, su descripción, sus opciones y su valor por
omisión), el mismo lugar del que las leen el archivo en blanco y el formulario de la página:
la de todas las claves en docs/parametros.md y la de las reglas en docs/metodologia.md.

    .venv/bin/python scripts/parametros.py            # muestra lo que iría en los documentos
    .venv/bin/python scripts/parametros.py --escribir # lo escribe en docs/

tests/test_documentacion.py comprueba que los documentos dicen lo mismo que los campos.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic.fields import FieldInfo

from helpers.entrada.parametros import Metodologia
from helpers.entrada.parametros_en_blanco import campos_documentados, sin_nulo, submodelo

sys.path.insert(0, str(Path(__file__).resolve().parent))  # marcas.py, al lado
from marcas import entre, reemplazar_entre  # noqa: E402

RAIZ = Path(__file__).resolve().parents[1]
DOCS = RAIZ / "docs"
# parte -> (documento, marca de inicio, marca de fin)
_MARCAS = {
    "claves": ("parametros.md", "<!-- claves: las escribe scripts/parametros.py -->",
               "<!-- fin de las claves -->"),
    "metodologia": ("metodologia.md", "<!-- reglas: las escribe scripts/parametros.py -->",
                    "<!-- fin de las reglas -->"),
}


def _frase(texto: str) -> str:
    """Una descripción como frase de tabla: con mayúscula y punto, sin romper la tabla."""
    texto = texto[0].upper() + texto[1:] + ("" if texto.endswith(".") else ".")
    return texto.replace("|", r"\|")


def _yaml(valor) -> str:
    if isinstance(valor, bool):
        return str(valor).lower()
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return str(valor)


def _limites(info: FieldInfo) -> str | None:
    minimo = next((m.ge for m in info.metadata if getattr(m, "ge", None) is not None), None)
    maximo = next((m.le for m in info.metadata if getattr(m, "le", None) is not None), None)
    if minimo is not None and maximo is not None:
        return f"de {_yaml(minimo)} a {_yaml(maximo)}"
    return f"desde {_yaml(minimo)}" if minimo is not None else None


def opciones(info: FieldInfo) -> str:
    """Lo que admite la clave: sus opciones, sus límites o la forma de su valor."""
    anotacion = sin_nulo(info.annotation)
    dentro = submodelo(info)
    columnas = (info.json_schema_extra or {}).get("columnas") if isinstance(
        info.json_schema_extra, dict) else None
    if get_origin(anotacion) is Literal:
        return ", ".join(f"`{o}`" for o in get_args(anotacion))
    if anotacion is bool:
        return "`true`, `false`"
    if columnas:
        clave, *valores = columnas
        return f"`{{{clave}: [{', '.join(valores)}]}}`"
    if dentro is not None and get_origin(anotacion) is list:
        return f"lista de `{{{', '.join(dentro.model_fields)}}}`"
    if dentro is not None:
        return "grupo de claves"
    if get_origin(anotacion) is list:
        return "lista de textos"
    nombres = {int: "número entero", float: "número", dt.date: "fecha (AAAA-MM-DD o DD/MM/AAAA)"}
    return _limites(info) or nombres.get(anotacion, "texto")


def _omision(info: FieldInfo) -> str:
    if info.is_required():
        return "obligatoria"
    valor = info.get_default(call_default_factory=True)
    if valor is None or valor == "" or isinstance(valor, (list, dict)) or submodelo(info):
        return ""
    return f"`{_yaml(valor)}`"


def tabla_de_claves() -> str:
    filas = ["| clave | nombre | qué es | admite | por omisión |", "|---|---|---|---|---|"]
    for ruta, info in campos_documentados().items():
        if info.exclude:
            continue
        filas.append(f"| `{ruta}` | {info.title} | {_frase(info.description)} | "
                     f"{opciones(info)} | {_omision(info)} |")
    return "\n".join(filas)


def tabla_de_reglas() -> str:
    filas = ["| clave | qué cambia | opciones |", "|---|---|---|"]
    for clave, info in Metodologia.model_fields.items():
        filas.append(f"| `{clave}` | {_frase(info.description)} | {opciones(info)} |")
    return "\n".join(filas)


def partes() -> dict[str, str]:
    return {"claves": tabla_de_claves(), "metodologia": tabla_de_reglas()}


def en_el_documento(texto: str, parte: str) -> str | None:
    """Lo que ``texto`` tiene entre las marcas de ``parte``, o None si no las tiene."""
    return entre(texto, _MARCAS[parte][1:])


def documento(parte: str) -> Path:
    return DOCS / _MARCAS[parte][0]


def escribir() -> None:
    for parte, contenido in partes().items():
        ruta = documento(parte)
        texto = reemplazar_entre(ruta.read_text(encoding="utf-8"), _MARCAS[parte][1:],
                                 contenido, str(ruta))
        ruta.write_text(texto, encoding="utf-8")


if __name__ == "__main__":
    lector = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    lector.add_argument("--escribir", action="store_true",
                        help="escribe las tablas en docs/parametros.md y docs/metodologia.md")
    if lector.parse_args().escribir:
        escribir()
    else:
        for contenido in partes().values():
            print(contenido, end="\n\n")
