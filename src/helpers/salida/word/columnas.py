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

__all__ = ["Disposicion", "anchos_de_columnas", "disponer", "poner_anchos"]

_LETRAS_MAX = 40  # el texto más largo que cuenta para el ancho de una columna
# Lo que ocupa una letra de cada estilo de celda (las cifras y las negritas, las más anchas).
_ESTILOS = (("Celda", 105), ("Celda angosta", 80))
_MARGEN_LADO = 60  # el margen izquierdo y el derecho de una celda
_HOLGURA = 2 * _MARGEN_LADO
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Disposicion:
    apaisada: bool
    estilo: str
    anchos: list[int]


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


def poner_anchos(tabla: etree._Element, anchos: list[int], *, marco: bool = True) -> None:
    """La tabla de OOXML `tabla` (``w:tbl``) con las columnas `anchos` en cada celda y, con
    `marco`, en su rejilla y su ancho total, con márgenes de celda angostos."""
    if not anchos:
        return
    if marco:
        _marco(tabla, anchos)
    for fila in tabla.iterchildren(_w("tr")):
        for ancho, celda in zip(anchos, fila.iterchildren(_w("tc"))):
            propiedades = celda.find(_w("tcPr"))
            if propiedades is None:
                propiedades = etree.Element(_w("tcPr"))
                celda.insert(0, propiedades)
            ancho_de_celda = propiedades.find(_w("tcW"))
            if ancho_de_celda is None:
                # En el orden del esquema: después de cnfStyle, si lo hay, y antes de gridSpan.
                ancho_de_celda = etree.Element(_w("tcW"))
                previos = [h for h in propiedades if h.tag in (_w("cnfStyle"), _w("tcW"))]
                propiedades.insert(len(previos), ancho_de_celda)
            ancho_de_celda.set(_w("w"), str(ancho))
            ancho_de_celda.set(_w("type"), "dxa")


def _marco(tabla: etree._Element, anchos: list[int]) -> None:
    rejilla = tabla.find(_w("tblGrid"))
    for columna in list(rejilla):
        rejilla.remove(columna)
    for ancho in anchos:
        etree.SubElement(rejilla, _w("gridCol")).set(_w("w"), str(ancho))
    propiedades = tabla.find(_w("tblPr"))
    margenes = etree.Element(_w("tblCellMar"))
    for lado in ("left", "right"):
        margen = etree.SubElement(margenes, _w(lado))
        margen.set(_w("w"), str(_MARGEN_LADO))
        margen.set(_w("type"), "dxa")
    # En el orden del esquema: antes de tblLook (y de la leyenda y el texto alternativo).
    propiedades.find(_w("tblLook")).addprevious(margenes)
    total = propiedades.find(_w("tblW"))
    if total is not None:
        total.set(_w("type"), "dxa")
        total.set(_w("w"), str(sum(anchos)))


def _w(etiqueta: str) -> str:
    return f"{{{_W}}}{etiqueta}"
