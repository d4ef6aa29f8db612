"""Los errores de validación del archivo de parámetros, en castellano y en su clave.

Entra el `ValidationError` de pydantic al validar lo leído del YAML (y lo leído, para numerar
los elementos de una lista desde 1); sale un `Problema` por error, con la ruta de la clave
(`metodologia.escala_calificacion[2].desde`) y qué está mal dicho para quien escribe el
archivo, nunca el texto en inglés de pydantic. Los errores de sintaxis del YAML son de
`entrada.errores_yaml`.
"""
from __future__ import annotations

from typing import get_args

from pydantic import BaseModel, ValidationError

from helpers.entrada.errores import Problema
from helpers.entrada.sugerencias import quiso_decir

__all__ = ["numero_como_texto", "problemas_de"]


def numero_como_texto(valor) -> str:
    """Un límite o un umbral como se escribe: 3.0 como «3», 2.5 como «2.5»."""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return str(valor)


def _recibido(valor) -> str:
    if valor is None:
        return "un valor vacío"
    if isinstance(valor, dict):
        return "un grupo de claves"
    if isinstance(valor, list):
        return "una lista"
    return f"'{valor}'"


def _opciones(esperado: str) -> str:
    return esperado.replace("' or '", "', '").replace("'", "")


def _mensaje(error: dict) -> str:
    tipo = error["type"]
    ctx = error.get("ctx") or {}
    recibido = _recibido(error.get("input"))
    mensajes = {
        "missing": "falta esta clave obligatoria",
        "extra_forbidden": "clave desconocida (revise cómo está escrita)",
        "literal_error": f"{recibido} no es una opción válida"
                         f"{_pista(error.get('input'), _opciones(str(ctx.get('expected', ''))))}"
                         f"; use una de: {_opciones(str(ctx.get('expected', '')))}",
        "int_type": f"{recibido} no es un número entero",
        "int_parsing": f"{recibido} no es un número entero",
        "int_from_float": f"{recibido} no es un número entero",
        "float_type": f"{recibido} no es un número",
        "float_parsing": f"{recibido} no es un número",
        "finite_number": f"{recibido} no es un número finito",
        "bool_type": f"{recibido} no es verdadero ni falso (use true o false)",
        "bool_parsing": f"{recibido} no es verdadero ni falso (use true o false)",
        "string_type": f"{recibido} no es un texto",
        "string_too_short": "no puede estar vacío",
        "greater_than_equal": f"{recibido} es menor que el mínimo permitido, "
                              f"{numero_como_texto(ctx.get('ge'))}",
        "less_than_equal": f"{recibido} es mayor que el máximo permitido, "
                           f"{numero_como_texto(ctx.get('le'))}",
        "greater_than": f"{recibido} debe ser mayor que {numero_como_texto(ctx.get('gt'))}",
        "less_than": f"{recibido} debe ser menor que {numero_como_texto(ctx.get('lt'))}",
        "dict_type": f"se esperaba un grupo de claves (clave: valor) y se recibió {recibido}",
        "model_type": f"se esperaba un grupo de claves (clave: valor) y se recibió {recibido}",
        "model_attributes_type":
            f"se esperaba un grupo de claves (clave: valor) y se recibió {recibido}",
        "list_type": f"se esperaba una lista y se recibió {recibido}",
        "tuple_type": f"se esperaba una lista de dos números y se recibió {recibido}",
        "too_short": "tiene menos elementos de los necesarios"
                     + (f" (mínimo {ctx['min_length']})" if "min_length" in ctx else ""),
        "too_long": "tiene más elementos de los permitidos"
                    + (f" (máximo {ctx['max_length']})" if "max_length" in ctx else ""),
        "path_type": f"{recibido} no es una ruta",
    }
    if tipo == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    if tipo in mensajes:
        return mensajes[tipo]
    return f"{recibido} no es un valor válido ({tipo})"


def _pista(valor, opciones: str) -> str:
    """" (¿quiso decir 'tareas'?)" si `valor` se parece a una de `opciones` ('a, b'), o
    ""."""
    pista = quiso_decir(str(valor), opciones.split(", ")) if isinstance(valor, str) else ""
    return f" ({pista})" if pista else ""


def _claves_en(loc: tuple, modelo: type[BaseModel]) -> list[str]:
    """Las claves que admite el grupo de claves de la ruta `loc` de pydantic en `modelo` (la de
    una clave desconocida sin su último paso); [] si no es un grupo de un modelo."""
    for paso in loc:
        if isinstance(paso, int):
            continue  # un elemento de una lista: el modelo de sus elementos
        campo = modelo.model_fields.get(paso) if isinstance(paso, str) else None
        modelos = [t for t in (campo.annotation, *get_args(campo.annotation),
                               *(a for t in get_args(campo.annotation) for a in get_args(t)))
                   if isinstance(t, type) and issubclass(t, BaseModel)] if campo else []
        if not modelos:
            return []
        modelo = modelos[0]
    return [nombre for nombre, campo in modelo.model_fields.items() if not campo.exclude]


def _ruta_clave(loc: tuple, datos: object) -> str:
    """Ubicación de pydantic -> ruta de la clave, p. ej.
    ('metodologia', 'escala_calificacion', 1, 'desde')
    -> 'metodologia.escala_calificacion[2].desde'.

    Recorre los datos leídos para distinguir los índices de lista (que se muestran desde 1)
    de las claves de un mapa (los trimestres del semáforo).
    """
    partes: list[str] = []
    actual = datos
    for paso in loc:
        if paso == "[key]":
            continue
        if isinstance(actual, list) and isinstance(paso, int):
            partes.append(f"[{paso + 1}]")
            actual = actual[paso] if 0 <= paso < len(actual) else None
        else:
            partes.append(("." if partes else "") + str(paso))
            actual = actual.get(paso) if isinstance(actual, dict) else None
    return "".join(partes)


def problemas_de(error: ValidationError, datos: object, archivo: str,
                 modelo: type[BaseModel]) -> list[Problema]:
    """Un `Problema` por error de `error` (de validar `datos`, lo leído del archivo `archivo`,
    con `modelo`), ubicado en la ruta de su clave; una clave desconocida sugiere la más
    parecida de las que admite su grupo."""
    problemas = []
    for detalle in error.errors(include_url=False):
        loc = tuple(detalle["loc"])
        mensaje = _mensaje(detalle)
        if detalle["type"] == "extra_forbidden" and isinstance(loc[-1], str):
            pista = quiso_decir(loc[-1], _claves_en(loc[:-1], modelo))
            mensaje = f"{mensaje}; {pista}" if pista else mensaje
        problemas.append(Problema(archivo, None, None, _ruta_clave(loc, datos) or None, mensaje))
    return problemas
