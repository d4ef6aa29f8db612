"""El ancho de las columnas de cada cuadro del DOCX, su letra y si va en una hoja apaisada.

pandoc reparte el ancho por igual entre las columnas: una cifra de catorce caracteres se parte
en dos líneas mientras la columna de al lado sobra. Aquí cada columna recibe al menos lo que
ocupa su palabra más larga, y lo que sobra según su texto; un cuadro que así no cabe en una
hoja vertical va en una apaisada, y si tampoco cabe, con la letra angosta (los estilos
«Celda» y «Celda angosta» del membrete). Las medidas, en veinteavos de punto (twips).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

__all__ = ["Disposicion", "anchos_de_columnas", "disponer", "poner_anchos", "textos_de"]

_LETRAS_MAX = 40  # el texto más largo que cuenta para el ancho de una columna
# Lo que ocupa una letra de cada estilo de celda (las cifras y las negritas, las más anchas).
_ESTILOS = (("Celda", 105), ("Celda angosta", 80))
_MARGEN_LADO = 60  # el margen izquierdo y el derecho de una celda
_HOLGURA = 2 * _MARGEN_LADO


@dataclass(frozen=True)
class Disposicion:
    apaisada: bool
    estilo: str
    anchos: list[int]


def textos_de(tabla) -> list[list[str]]:
    """El texto de cada celda de la tabla de python-docx `tabla`, fila por fila."""
    from docx.oxml.ns import qn

    return [["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in fila.tc_lst]
            for fila in tabla._tbl.tr_lst]


def _minimos_y_deseos(filas: list[list[str]], por_letra: int) -> tuple[list[int], list[int]]:
    columnas = max((len(f) for f in filas), default=0)
    minimos, deseos = [], []
    for j in range(columnas):
        textos = [f[j] for f in filas if j < len(f)]
        palabra = max((len(p) for t in textos for p in t.split()), default=1)
        largo = min(_LETRAS_MAX, max(map(len, textos), default=1))
        minimos.append(_HOLGURA + por_letra * max(palabra, 2))
        deseos.append(_HOLGURA + por_letra * max(palabra, largo))
    return minimos, deseos


def anchos_de_columnas(filas: list[list[str]], disponible: int, por_letra: int = 105
                       ) -> list[int]:
    """Los anchos de las columnas de una tabla de `filas` (sus textos) en `disponible`: cada
    una, al menos lo que ocupa su palabra más larga (una cifra o una palabra no se corta), y
    lo que sobra, repartido según su texto más largo (hasta `_LETRAS_MAX` letras). Si ni las
    palabras caben, cada una en proporción a su palabra."""
    minimos, deseos = _minimos_y_deseos(filas, por_letra)
    sobra = disponible - sum(minimos)
    if sobra <= 0:
        return [disponible * m // sum(minimos) for m in minimos]
    extra = [d - m for d, m in zip(deseos, minimos)]
    if sum(extra) >= sobra:  # lo que sobra no alcanza para todo el texto: en proporción
        return [m + sobra * e // sum(extra) for m, e in zip(minimos, extra)]
    # Todo el texto cabe: el resto, en proporción a lo que cada una ya ocupa.
    resto = sobra - sum(extra)
    return [d + resto * d // sum(deseos) for d in deseos]


def disponer(filas: list[list[str]], vertical: int, apaisada: int, ancha: bool) -> Disposicion:
    """Dónde y con qué letra va un cuadro: en una hoja vertical (salvo uno `ancha`, que el
    informe ya pone apaisado) si sus palabras caben con la letra de siempre; si no, apaisado,
    con esa letra o, si tampoco, con la angosta."""
    opciones = [(False, *_ESTILOS[0])] if not ancha else []
    opciones += [(True, estilo, por_letra) for estilo, por_letra in _ESTILOS]
    for apaisado, estilo, por_letra in opciones:
        disponible = apaisada if apaisado else vertical
        if sum(_minimos_y_deseos(filas, por_letra)[0]) <= disponible:
            return Disposicion(apaisado, estilo, anchos_de_columnas(filas, disponible,
                                                                    por_letra))
    estilo, por_letra = _ESTILOS[-1]
    return Disposicion(True, estilo, anchos_de_columnas(filas, apaisada, por_letra))


def poner_anchos(tabla, anchos: list[int]) -> None:
    """La tabla con las columnas `anchos` y márgenes de celda angostos."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not anchos:
        return
    rejilla = tabla._tbl.tblGrid
    for columna in list(rejilla):
        rejilla.remove(columna)
    for ancho in anchos:
        columna = OxmlElement("w:gridCol")
        columna.set(qn("w:w"), str(ancho))
        rejilla.append(columna)
    propiedades = tabla._tbl.tblPr
    margenes = OxmlElement("w:tblCellMar")
    for lado in ("w:left", "w:right"):
        margen = OxmlElement(lado)
        margen.set(qn("w:w"), str(_MARGEN_LADO))
        margen.set(qn("w:type"), "dxa")
        margenes.append(margen)
    # En el orden del esquema: antes de tblLook (y de la leyenda y el texto alternativo).
    propiedades.find(qn("w:tblLook")).addprevious(margenes)
    total = propiedades.find(qn("w:tblW"))
    if total is not None:
        total.set(qn("w:type"), "dxa")
        total.set(qn("w:w"), str(sum(anchos)))
    for fila in tabla._tbl.tr_lst:
        for ancho, celda in zip(anchos, fila.tc_lst):
            ancho_de_celda = _ancho_de_celda(celda)
            ancho_de_celda.set(qn("w:w"), str(ancho))
            ancho_de_celda.set(qn("w:type"), "dxa")


def _ancho_de_celda(celda):
    """El elemento del ancho de `celda`. pandoc escribe las propiedades de cada celda vacías:
    se agrega ahí. Si no, python-docx, que busca su lugar en el orden del esquema (y tarda
    veinte veces más, en los miles de celdas de un informe)."""
    from docx.oxml.ns import qn

    propiedades = celda.find(qn("w:tcPr"))
    if propiedades is not None and len(propiedades) == 0:
        return etree.SubElement(propiedades, qn("w:tcW"))
    return celda.get_or_add_tcPr().get_or_add_tcW()
