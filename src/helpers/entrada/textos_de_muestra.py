"""Los textos de la muestra que quedan en los parámetros de otra entidad, como advertencias.

Quien empieza copiando los parámetros de la muestra (`params/` del proyecto) puede dejar en
los suyos la misión, la visión, las normas, el CITE o las firmas de la entidad de la muestra,
que su informe publicaría como propios. `textos_de_muestra(ruta)` señala cada uno en su clave;
son advertencias, no errores (el informe se genera igual), y las dicen `informe-poa validar`
(`helpers.revision`) y la corrida de un informe (`helpers.informe`).

En un archivo de parámetros de otra entidad (su `entidad.sigla` no es la de ningún archivo de
la muestra), es un texto de la muestra:

- un texto con la marca «(ejemplo)», con que la muestra señala sus textos de ejemplo;
- un texto igual a uno de los parámetros de la muestra en una clave que dice algo propio de
  una entidad (`LO_QUE_ES`: la misión, una norma, el CITE, quien firma...). Los parámetros de
  la muestra se leen al revisar, como datos: aquí no se copia ninguno de sus textos. Un texto
  que comparten muestras de siglas distintas no es de ninguna (una ley que rige a todas).

Y, en cualquier archivo, un texto de relleno de `informe-poa nuevo` que quedó sin cambiar
(`entrada.parametros_en_blanco.RELLENOS`). Los parámetros de la muestra no tienen
advertencias por sus propios textos: son de ejemplo a propósito.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from helpers.entrada.errores import Problema
from helpers.entrada.parametros_en_blanco import RELLENOS
from helpers.rutas import EN_COPIA_DEL_PROYECTO, RAIZ

__all__ = ["LO_QUE_ES", "MARCA_DE_EJEMPLO", "MUESTRAS", "textos_de_muestra"]

# La marca con que la muestra señala sus textos de ejemplo.
MARCA_DE_EJEMPLO = "(ejemplo)"

# Los parámetros de la muestra: los de la copia del proyecto (instalado, no hay muestra).
MUESTRAS: Path | None = RAIZ / "params" if EN_COPIA_DEL_PROYECTO else None

# Las claves cuyo texto es propio de una entidad (sin los números de lista: una norma de
# `presentacion.marco_normativo`), y qué hay que escribir en ellas, hasta el nombre de la
# entidad. No están las que nombran un código del libro, un rol, un cargo o una unidad que
# otra entidad puede tener igual («Jefe de la Unidad de Planificación»), ni las reglas de
# cálculo.
LO_QUE_ES: dict[str, str] = {
    "entidad.nombre": "el nombre de",
    "presentacion.mision": "la misión de",
    "presentacion.vision": "la visión de",
    "presentacion.introduccion": "un párrafo propio de",
    "presentacion.marco_normativo": "una norma que rige a",
    "presentacion.recomendaciones": "una recomendación de",
    "identificacion.cite": "el CITE del informe de",
    "identificacion.hoja_ruta": "la hoja de ruta del informe de",
    "identificacion.poa_version": "la versión evaluada del POA de",
    "identificacion.firmas.nombre": "el nombre de quien firma por",
    "identificacion.fuentes.financiera": "la fuente de las cifras del presupuesto de",
    "identificacion.fuentes.fisica": "la fuente de los avances físicos de",
}

# Qué escribir en las demás claves que pueden llevar un relleno.
_QUE_ESCRIBIR = {
    "presentacion.unidad_planificacion": "el codigo_unidad de la unidad de planificación de",
    "identificacion.unidad_emisora": "la unidad que emite el informe de",
    "identificacion.firmas.cargo": "el cargo de quien firma por",
}

_NUMERO_DE_LISTA = re.compile(r"\[\d+\]")


def _textos(valor, clave: str = "") -> Iterator[tuple[str, str]]:
    """Cada texto de un YAML leído, con su clave como la nombran los errores de los
    parámetros (`presentacion.marco_normativo[2]`, los elementos desde 1)."""
    if isinstance(valor, dict):
        for nombre, dentro in valor.items():
            yield from _textos(dentro, f"{clave}.{nombre}" if clave else str(nombre))
    elif isinstance(valor, list):
        for i, dentro in enumerate(valor, start=1):
            yield from _textos(dentro, f"{clave}[{i}]")
    elif isinstance(valor, str):
        yield clave, valor


def _forma(clave: str) -> str:
    """La clave sin los números de lista: la de `LO_QUE_ES`."""
    return _NUMERO_DE_LISTA.sub("", clave)


def _normal(texto: str) -> str:
    # Igual aunque cambien los cortes de línea o los espacios (un `>-` de YAML o un `|`).
    return " ".join(texto.split())


def _leer(ruta: Path) -> dict | None:
    try:
        contenido = yaml.safe_load(ruta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # un archivo que no se lee ya es un error de los parámetros
    return contenido if isinstance(contenido, dict) else None


def _sigla(contenido: dict) -> str | None:
    entidad = contenido.get("entidad")
    sigla = entidad.get("sigla") if isinstance(entidad, dict) else None
    return str(sigla).strip() if sigla is not None and str(sigla).strip() else None


def _de_la_muestra(muestras: Path | None) -> tuple[set[str], dict[str, str]]:
    """Las siglas de la muestra (en minúsculas) y sus textos propios de una entidad: texto
    normalizado → la sigla de la única muestra que lo tiene."""
    siglas: set[str] = set()
    de: dict[str, set[str]] = {}
    for ruta in sorted(muestras.rglob("*.yaml")) if muestras and muestras.is_dir() else []:
        contenido = _leer(ruta)
        sigla = _sigla(contenido) if contenido else None
        if sigla is None:
            continue
        siglas.add(sigla.casefold())
        for clave, texto in _textos(contenido):
            if _forma(clave) in LO_QUE_ES and _normal(texto):
                de.setdefault(_normal(texto), set()).add(sigla)
    propios = {texto: next(iter(cuyas)) for texto, cuyas in de.items()
               if len({s.casefold() for s in cuyas}) == 1}
    return siglas, propios


def textos_de_muestra(ruta: str | Path, muestras: Path | None = MUESTRAS) -> list[Problema]:
    """Las advertencias del archivo de parámetros `ruta` por los textos de la muestra (la
    carpeta `muestras`) o de relleno que todavía lleva, una por clave, en el orden del
    archivo. [] si el archivo no se lee (eso lo dice `cargar_parametros`)."""
    ruta = Path(ruta)
    contenido = _leer(ruta)
    if contenido is None:
        return []
    sigla = _sigla(contenido)
    siglas, propios = _de_la_muestra(muestras)
    de_otra = sigla is None or sigla.casefold() not in siglas
    rellenos = {_normal(texto) for texto in RELLENOS.values()}
    avisos = []
    for clave, texto in _textos(contenido):
        normal = _normal(texto)
        motivo = None
        if normal in rellenos:
            motivo = "es el texto de relleno de informe-poa nuevo"
        elif de_otra and normal in propios:
            motivo = f"es el texto de ejemplo de otra entidad ({propios[normal]})"
        elif de_otra and MARCA_DE_EJEMPLO in normal.casefold():
            motivo = f"lleva la marca «{MARCA_DE_EJEMPLO}» de un texto de ejemplo"
        if motivo:
            avisos.append(Problema(ruta.name, None, None, clave,
                                   f"{motivo}; {_que_hacer(clave, sigla)}"))
    return avisos


def _que_hacer(clave: str, sigla: str | None) -> str:
    forma = _forma(clave)
    lo_que = LO_QUE_ES.get(forma) or _QUE_ESCRIBIR.get(forma, "el texto propio de")
    borrar = "quite ese elemento de la lista" if clave.endswith("]") else "borre la clave"
    return f"escriba {lo_que} {sigla or 'la entidad'} o {borrar}"
