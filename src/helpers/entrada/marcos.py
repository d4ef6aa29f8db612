"""Los marcos de objetivos (el plan nacional, el institucional, los ODS, un plan sectorial,
un compromiso internacional) y lo que cada ACP u operación aporta a sus objetivos.

Entran las hojas ``marcos`` (los objetivos de cada marco, con el del que dependen) y
``vinculos`` (qué ACP u operación contribuye a qué objetivo, con qué peso) y la hoja
``articulacion``, que se lee como vínculos de cada ACP a su resultado del PDES y a su acción
del PEI (`desde_articulacion`). Salen los objetivos de todos los marcos y todos los vínculos
(`objetivos_y_vinculos`), y las reglas que los cruzan (`validar_marcos`): un código que no
está en su marco, un objetivo que depende de sí mismo, un mismo código con dos nombres, dos
niveles o dos padres, un vínculo sin ACP ni operación. docs/contrato-de-datos.md lo explica a
quien llena el libro.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from helpers.entrada.conversion import Hoja
from helpers.entrada.errores import Problema

__all__ = ["MARCO_PDES", "MARCO_PEI", "desde_articulacion", "objetivos_y_vinculos",
           "validar_marcos"]

# Los marcos que trae la hoja articulacion.
MARCO_PDES = "PDES"
MARCO_PEI = "PEI"
# (columna de articulacion, nivel en el PDES), del primero al más hondo.
_NIVELES_PDES = (("eje_pdes", "eje"), ("meta_pdes", "meta"), ("resultado_pdes", "resultado"))
_NIVEL_PEI = "acción de mediano plazo"
# «Eje 10: Integración...», «Meta 10.1 - Presencia...», «10.1.1 Posiciones...»: el número del
# comienzo (tras una palabra, si la hay) es el código; lo que sigue al separador, el nombre.
_CON_NUMERO = re.compile(r"^\s*(?:[^\W\d_]+\.?\s+)?(\d+(?:\.\d+)*)\s*(?:[:.\-–—]\s*)?(.*)$",
                         re.DOTALL)

COLUMNAS_OBJETIVOS = ["marco", "codigo", "nivel", "nombre", "codigo_padre", "hoja", "fila",
                      "columna"]
COLUMNAS_VINCULOS = ["marco", "codigo", "codigo_acp", "codigo_operacion", "peso", "hoja",
                     "fila"]


def _con_fila(tabla: pd.DataFrame) -> pd.DataFrame:
    """La tabla con la columna «fila»: en la validación es el índice (``conversion.Hoja``),
    en un libro leído, una columna (``datos.Datos``)."""
    return tabla if "fila" in tabla.columns else tabla.reset_index()


@dataclass(frozen=True)
class _Nodo:
    marco: str
    codigo: str
    nivel: str
    nombre: str
    codigo_padre: str
    hoja: str
    fila: int
    columna: str  # la celda que lo nombra (en articulacion) o «codigo» (en marcos)


def codigo_y_nombre(texto: str) -> tuple[str, str]:
    """El código y el nombre de un objetivo escrito como texto en la hoja articulacion: el
    número del comienzo y lo que sigue («Eje 10: Integración» → «10», «Integración»); sin
    número, el texto es las dos cosas."""
    texto = " ".join(str(texto).split())
    encontrado = _CON_NUMERO.match(texto)
    if encontrado is None:
        return texto, texto
    return encontrado[1], encontrado[2].strip() or texto


def desde_articulacion(articulacion: pd.DataFrame) -> tuple[list[_Nodo], pd.DataFrame]:
    """Los objetivos del PDES (eje → meta → resultado) y del PEI (acción de mediano plazo)
    que nombra la hoja articulacion, y un vínculo de cada ACP a su objetivo más hondo de
    cada uno, con peso 1."""
    nodos, vinculos = [], []
    for fila in _con_fila(articulacion).itertuples():
        padre, ultimo = "", None
        for columna, nivel in _NIVELES_PDES:
            texto = getattr(fila, columna, "")
            if not texto:
                continue
            codigo, nombre = codigo_y_nombre(texto)
            nodos.append(_Nodo(MARCO_PDES, codigo, nivel, nombre, padre, "articulacion",
                               int(fila.fila), columna))
            padre = ultimo = codigo
        if ultimo is not None:
            vinculos.append((MARCO_PDES, ultimo, fila.codigo_acp, "", 1.0, "articulacion",
                             int(fila.fila)))
        amp, accion = getattr(fila, "codigo_amp", ""), getattr(fila, "accion_pei", "")
        if amp or accion:
            codigo = amp or codigo_y_nombre(accion)[0]
            nodos.append(_Nodo(MARCO_PEI, codigo, _NIVEL_PEI, accion or amp, "",
                               "articulacion", int(fila.fila),
                               "codigo_amp" if amp else "accion_pei"))
            vinculos.append((MARCO_PEI, codigo, fila.codigo_acp, "", 1.0, "articulacion",
                             int(fila.fila)))
    return nodos, pd.DataFrame(vinculos, columns=COLUMNAS_VINCULOS)


def _de_la_hoja(marcos: pd.DataFrame) -> list[_Nodo]:
    return [_Nodo(f.marco, f.codigo, f.nivel, f.nombre, getattr(f, "codigo_padre", ""),
                  "marcos", int(f.fila), "codigo") for f in _con_fila(marcos).itertuples()]


def _vinculos_de_la_hoja(vinculos: pd.DataFrame) -> pd.DataFrame:
    tabla = vinculos.reindex(columns=[c for c in COLUMNAS_VINCULOS if c != "hoja"]).copy()
    tabla["hoja"] = "vinculos"
    return tabla[COLUMNAS_VINCULOS]


def objetivos_y_vinculos(marcos: pd.DataFrame, vinculos: pd.DataFrame,
                         articulacion: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Los objetivos de todos los marcos (uno por marco y código, en el orden en que el libro
    los nombra por primera vez: primero la hoja marcos) y todos los vínculos (los de la hoja
    vinculos y los de la hoja articulacion), de un libro ya validado."""
    nodos_articulacion, de_articulacion = desde_articulacion(articulacion)
    nodos = pd.DataFrame([asdict(n) for n in _de_la_hoja(marcos) + nodos_articulacion],
                         columns=COLUMNAS_OBJETIVOS)
    objetivos = nodos.drop_duplicates(["marco", "codigo"]).reset_index(drop=True)
    todos = pd.concat([_vinculos_de_la_hoja(vinculos), de_articulacion], ignore_index=True)
    return objetivos, todos


def validar_marcos(hojas: dict[str, Hoja], problemas: list[Problema]) -> None:
    """Las reglas que cruzan las filas de marcos, vinculos y articulacion (ver el docstring
    del módulo), cada una con su hoja, su fila y su columna."""
    archivos = {nombre: hoja.archivo for nombre, hoja in hojas.items()}
    nodos = []
    if "marcos" in hojas:
        nodos += _de_la_hoja(hojas["marcos"].tabla)
    if "articulacion" in hojas:
        nodos += desde_articulacion(hojas["articulacion"].tabla)[0]
    conocidos = _sin_dos_nombres(nodos, archivos, problemas)
    if "marcos" in hojas:
        _padres(hojas["marcos"], conocidos, problemas)
    if "vinculos" in hojas:
        _vinculos_validos(hojas["vinculos"], conocidos, problemas)


def _sin_dos_nombres(nodos: list[_Nodo], archivos: dict[str, str],
                     problemas: list[Problema]) -> dict[tuple[str, str], _Nodo]:
    """Cada objetivo (marco y código) con el nombre y el nivel de la primera vez que se
    nombra; otro nombre u otro nivel después es un problema."""
    primeros: dict[tuple[str, str], _Nodo] = {}
    for nodo in nodos:
        primero = primeros.setdefault((nodo.marco, nodo.codigo), nodo)
        for dato in ("nombre", "nivel", "codigo_padre"):
            propio, anterior = getattr(nodo, dato), getattr(primero, dato)
            # Un padre que una fila no dice (una meta sin su eje) no contradice a otra.
            if propio != anterior and (dato != "codigo_padre" or (propio and anterior)):
                columna = nodo.columna if nodo.hoja == "articulacion" else dato
                problemas.append(Problema(
                    archivos[nodo.hoja], nodo.hoja, nodo.fila, columna,
                    f"el objetivo '{nodo.codigo}' del marco '{nodo.marco}' ya tiene el "
                    f"{dato} '{getattr(primero, dato)}' ({primero.hoja}, fila {primero.fila}): "
                    f"un código es un solo objetivo; escriba el mismo {dato} o use otro "
                    "código"))
    return primeros


def _padres(hoja: Hoja, conocidos: dict[tuple[str, str], _Nodo],
            problemas: list[Problema]) -> None:
    """El objetivo del que depende cada uno está en su marco, y ninguno depende de sí mismo
    (directamente o por una cadena)."""
    if "codigo_padre" not in hoja.presentes:
        return
    tabla = _con_fila(hoja.tabla)
    padres = {(f.marco, f.codigo): f.codigo_padre for f in tabla.itertuples()}
    filas = {(f.marco, f.codigo): int(f.fila) for f in tabla.itertuples()}
    for f in tabla.itertuples():
        if f.codigo_padre and (f.marco, f.codigo_padre) not in conocidos:
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, int(f.fila), "codigo_padre",
                f"'{f.codigo_padre}' no es un objetivo del marco '{f.marco}': escriba el "
                "código de una fila de ese marco, o deje la celda vacía si es del primer "
                "nivel"))
    for ciclo in _ciclos(padres):
        for n, (marco, codigo) in enumerate(ciclo):
            vuelta = [c for _, c in ciclo[n:] + ciclo[:n]]
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, filas[marco, codigo], "codigo_padre",
                f"el objetivo '{codigo}' termina dependiendo de sí mismo "
                f"({' → '.join([*vuelta, codigo])}): corrija el código_padre de uno de "
                "ellos"))


def _ciclos(padres: dict[tuple[str, str], str]) -> list[list[tuple[str, str]]]:
    """Los ciclos de la relación objetivo → padre, cada uno una vez, recorriendo cada
    objetivo una sola vez (un libro con una cadena de miles de objetivos no tarda más)."""
    hecho: set[tuple[str, str]] = set()
    ciclos = []
    for inicio in padres:
        camino: dict[tuple[str, str], int] = {}
        actual = inicio
        while actual in padres and actual not in hecho and actual not in camino:
            camino[actual] = len(camino)
            actual = (actual[0], padres[actual])
        if actual in camino:
            ciclos.append(list(camino)[camino[actual]:])
        hecho |= set(camino)
    return ciclos


def _vinculos_validos(hoja: Hoja, conocidos: dict[tuple[str, str], _Nodo],
                      problemas: list[Problema]) -> None:
    """Cada vínculo va a un objetivo que existe, desde una ACP o una operación (una de las
    dos), con un peso mayor que cero."""
    marcos = sorted({marco for marco, _ in conocidos})
    tabla = _con_fila(hoja.tabla)
    tabla = tabla.reindex(columns=[*tabla.columns, *sorted({"codigo_acp", "codigo_operacion"}
                                                           - set(tabla.columns))],
                          fill_value="")
    if "peso" not in tabla:
        tabla["peso"] = 1.0
    for f in tabla.itertuples():
        fila = int(f.fila)
        if f.marco not in marcos:
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, fila, "marco",
                f"'{f.marco}' no es un marco de la hoja marcos ni de la hoja articulacion"
                + (f" (hay: {', '.join(marcos)})" if marcos else "")))
        elif (f.marco, f.codigo) not in conocidos:
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, fila, "codigo",
                f"'{f.codigo}' no es un objetivo del marco '{f.marco}': agréguelo a la hoja "
                "marcos o corrija el código"))
        if bool(f.codigo_acp) == bool(f.codigo_operacion):
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, fila, "codigo_acp",
                "un vínculo es de una ACP o de una operación: escriba uno de los dos códigos"
                + (", no los dos" if f.codigo_acp else "")))
        if not f.peso > 0:
            problemas.append(Problema(
                hoja.archivo, hoja.nombre, fila, "peso",
                "el peso debe ser mayor que 0 (vacío vale 1: todos los que contribuyen a un "
                "objetivo pesan igual)"))
