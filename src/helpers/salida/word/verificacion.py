"""``informe-poa verificar CARPETA --documento copia.docx``: si una copia editada en Word del
DOCX del informe todavía dice lo que dicen los datos.

La copia se compara con el ``informe.docx`` de la carpeta (``comparacion``), después de
comprobar que éste es el que generó el programa (su SHA-256 es el del manifiesto). Código
de salida: 0 si cada cifra coincide (el texto reescrito se cuenta, no se lista), 1 si alguna
no, 2 si la copia no es un documento de Word de ese informe o la carpeta no es un informe.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers.comun.numeros import formatear_numero
from helpers.salida.manifiesto import NOMBRE, sha256_archivo
from helpers.salida.word import ARCHIVO
from helpers.salida.word.comparacion import (
    Diferencia,
    DocumentoAjeno,
    Resultado,
    comparar,
    leer,
)

__all__ = ["verificar_copia"]

_COINCIDE, _DIFIERE, _AJENO = 0, 1, 2


def verificar_copia(carpeta: Path, copia: Path, *,
                    nombre: str | None = None) -> tuple[int, list[str]]:
    """El código de salida y las líneas que se muestran (ver el docstring del módulo).
    `nombre`: cómo se llama la carpeta en ellas (la página: relativa a la de trabajo)."""
    carpeta, copia = Path(carpeta), Path(copia)
    motivo = _problema_de_la_carpeta(carpeta)
    if motivo is not None:
        return _AJENO, [motivo]
    if not copia.is_file():
        return _AJENO, [f"No existe el documento {copia}."]
    from helpers.comun.libro_comprimido import DOCUMENTO, problema_de_tamano

    if (tamano := problema_de_tamano(copia, DOCUMENTO)) is not None:
        return _AJENO, [f"{copia.name}: no se abrió: {tamano}"]
    try:
        resultado = comparar(leer(carpeta / ARCHIVO), leer(copia))
    except DocumentoAjeno as error:
        return _AJENO, [f"{copia.name}: {error}"]
    frente_a = f"{nombre}/{ARCHIVO}" if nombre else str(carpeta / ARCHIVO)
    lineas = [f"Copia editada {copia.name}, frente a {frente_a}:"]
    lineas += [f"  {_linea(d)}" for d in resultado.diferencias]
    lineas.append(_resumen(resultado))
    return (_COINCIDE if resultado.coincide else _DIFIERE), lineas


def _problema_de_la_carpeta(carpeta: Path) -> str | None:
    """Por qué no se puede comparar con el DOCX de `carpeta`, o None."""
    manifiesto = carpeta / NOMBRE
    if not manifiesto.is_file():
        return f"{carpeta} no es la carpeta de un informe: no tiene {NOMBRE}."
    documento = carpeta / ARCHIVO
    if not documento.is_file():
        return (f"{carpeta} no tiene {ARCHIVO}: genere otra vez el informe con esta versión "
                "del programa, que lo escribe.")
    try:
        salidas = json.loads(manifiesto.read_text(encoding="utf-8")).get("salidas", [])
        guardado = next((s.get("sha256") for s in salidas if s.get("ruta") == ARCHIVO), None)
    except (OSError, ValueError, AttributeError, TypeError):
        return (f"No se pudo leer {manifiesto}: no es el manifiesto que escribe el programa "
                "(compruebe la carpeta con «informe-poa verificar» primero).")
    if guardado != sha256_archivo(documento):
        return (f"El {ARCHIVO} de {carpeta} no es el que generó el programa (su SHA-256 no es "
                f"el de {NOMBRE}): compare con una carpeta que «informe-poa verificar» dé "
                "por buena.")
    return None


def _linea(diferencia: Diferencia) -> str:
    donde = diferencia.cuadro
    if diferencia.fila:
        donde += f", fila «{diferencia.fila}»"
    if diferencia.columna:
        donde += f", columna «{diferencia.columna}»"
    textos = {
        "cifra": f"dice {diferencia.dice or '(vacío)'}; los datos dan {diferencia.datos}",
        "resumen": (f"dice {diferencia.dice or '(nada)'}; los datos dan "
                    f"{diferencia.datos or '(nada)'}"),
        "cuadro quitado": "se quitó el cuadro",
        "cuadro agregado": "es un cuadro que el informe no tiene",
        "fila quitada": "se quitó la fila",
        "fila agregada": "es una fila que el cuadro no tiene",
    }
    return f"{diferencia.clase:<15} {donde}: {textos[diferencia.clase]}"


def _resumen(resultado: Resultado) -> str:
    n = len(resultado.diferencias)
    cifras = formatear_numero(resultado.cifras_comparadas, 0)
    veredicto = ("todas coinciden" if not n else
                 f"{n} {'diferencia' if n == 1 else 'diferencias'}")
    reescritos = resultado.parrafos_reescritos
    texto = (f"Se compararon {cifras} cifras de {resultado.cuadros_comparados} cuadros y del "
             f"resumen ejecutivo: {veredicto}.")
    if reescritos:
        cuantos = "párrafo reescrito" if reescritos == 1 else "párrafos reescritos"
        texto += (f" {reescritos} {cuantos} (el texto se puede cambiar: se cuenta, no se "
                  "lista).")
    return texto
