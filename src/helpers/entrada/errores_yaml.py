"""Los errores de sintaxis del archivo de parámetros, en castellano: dónde (línea y columna,
y lo que dice esa línea), qué suele causarlos y qué hacer. PyYAML los describe en inglés
(«mapping values are not allowed here»); aquí cada clase de problema que reconoce tiene su
frase, y la que no se reconoce recibe una frase general, nunca el texto en inglés.
"""
from __future__ import annotations

import re

import yaml

__all__ = ["CAUSAS_HABITUALES", "mensaje_yaml"]

# Lo más largo que se muestra de la línea del error.
_LARGO_LINEA = 60

CAUSAS_HABITUALES = (
    "el texto no sigue las reglas de YAML; lo habitual es un tabulador en lugar de "
    "espacios, un «:» que falta entre una clave y su valor, un texto con «:» sin comillas o "
    "una sangría distinta de la de las otras claves de su grupo: corríjalo y vuelva a "
    "intentarlo"
)
_SANGRIA = ("la sangría no coincide: las claves de un mismo grupo, y los guiones de una "
            "lista, van con los mismos espacios al comienzo de la línea; alinéelas")

# (lo que dice PyYAML, la explicación y qué hacer). {inicio}: dónde empezó lo que quedó
# abierto (unas comillas, una llave, la clave sin «:»), que PyYAML nota más adelante.
_CLASES: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed here",
     "hay un «:» donde no puede ir: si es parte de un texto, escriba el texto entre comillas "
     "(clave: \"texto: con dos puntos\"); si no, revise que la línea anterior tenga su «:» "
     "(clave: valor) y que ésta tenga la sangría de las claves de su grupo"),
    ("could not find expected ':'",
     "a la clave que empieza {inicio} le falta el «:» antes de su valor: escriba "
     "«clave: valor» (con un espacio después de «:»)"),
    ("found character '\\t'",
     "hay un tabulador: YAML sangra sólo con espacios; reemplace los tabuladores por "
     "espacios"),
    ("that cannot start any token",
     "un valor no puede empezar con {caracter}: escríbalo entre comillas"),
    ("but found '<scalar>'",
     "hay un texto de más después de un valor (por ejemplo, después de cerrar unas "
     "comillas): ponga todo el valor dentro de las comillas"),
    ("but found ']'", "sobra un «]»: cada «[» se cierra una sola vez"),
    ("but found '}'", "sobra una «}»: cada «{» se cierra una sola vez"),
    ("expected <block end>", _SANGRIA),
    ("did not find expected key", _SANGRIA),
    ("did not find expected '-'", _SANGRIA),
    ("expected ',' or '}'",
     "la llave «{» que se abre {inicio} no se cierra (o a sus elementos les falta la coma): "
     "ciérrela con «}»"),
    ("expected ',' or ']'",
     "el corchete «[» que se abre {inicio} no se cierra (o a sus elementos les falta la "
     "coma): ciérrelo con «]»"),
    ("found unexpected end of stream",
     "las comillas que se abren {inicio} no se cierran: ciérrelas al final del texto"),
    ("found unknown escape character",
     "entre comillas dobles, «\\» empieza un código especial: use comillas simples "
     "('C:\\datos') o escriba «\\\\»"),
    ("found undefined alias",
     "un valor que empieza con «*» nombra un alias que no existe: escríbalo entre comillas"),
    ("could not determine a constructor for the tag",
     "la etiqueta {etiqueta} no se admite (el archivo de parámetros sólo lleva claves, "
     "textos, números y listas): bórrela"),
    ("found unhashable key",
     "una clave no puede ser una lista ni un grupo de claves: escríbala como texto"),
    ("but found another document",
     "el archivo tiene más de un documento (una línea «---» en el medio): deje uno solo"),
)


def _en(marca, lineas: list[str]) -> str:
    """"en la línea 3, columna 8 (la línea dice «...»)"."""
    donde = f"en la línea {marca.line + 1}, columna {marca.column + 1}"
    linea = lineas[marca.line].strip() if marca.line < len(lineas) else ""
    if linea:
        corta = linea if len(linea) <= _LARGO_LINEA else linea[:_LARGO_LINEA - 1] + "…"
        donde += f" (la línea dice «{corta}»)"
    return donde


def _explicacion(exc: yaml.YAMLError, lineas: list[str]) -> str:
    """La frase de la clase de problema de `exc`, o la general si no es una conocida."""
    problema = str(getattr(exc, "problem", None) or "")
    explicacion = next((e for fragmento, e in _CLASES if fragmento in problema), None)
    if explicacion is None:
        return CAUSAS_HABITUALES
    caracter = re.search(r"found character '(.+?)'", problema)
    etiqueta = re.search(r"tag '(.+)'", problema)
    inicio = getattr(exc, "context_mark", None)
    # replace y no format: las explicaciones citan llaves de YAML.
    return (explicacion
            .replace("{caracter}", f"«{caracter.group(1)}»" if caracter else "ese carácter")
            # Las etiquetas estándar se escriben «!!nombre» en el archivo.
            .replace("{etiqueta}", "«{}»".format(
                etiqueta.group(1).replace("tag:yaml.org,2002:", "!!") if etiqueta else ""))
            .replace("{inicio}", _en(inicio, lineas) if inicio else "antes"))


def mensaje_yaml(exc: yaml.YAMLError, texto: str) -> str:
    """El mensaje de un error de sintaxis de `texto` (el contenido del archivo): "el archivo
    no es YAML válido en la línea 3, columna 8 (la línea dice «...»): <qué pasa y qué
    hacer>"."""
    lineas = texto.splitlines()
    marca = getattr(exc, "problem_mark", None)
    donde = f" {_en(marca, lineas)}" if marca is not None else ""
    return f"el archivo no es YAML válido{donde}: {_explicacion(exc, lineas)}"
