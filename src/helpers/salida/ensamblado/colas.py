"""Una sección corregida por la maquetación se compone otra vez sólo desde la hoja que pudo
cambiar (docs/maquetacion.md, «El PDF por partes»).

Una corrección cambia unos bloques (``cambiados``); las hojas de antes del primero siguen
iguales. La composición que sigue empieza en una hoja anterior a la del primero de ellos que
abre con un bloque entero (``inicio_de_cola``): ``seccion_desde`` da el HTML de la sección
desde ese bloque, y compuesta sola da las mismas hojas que la sección entera desde esa hoja.
Así es porque el cuerpo va en páginas con nombre (``impresion.css``), y con ellas WeasyPrint
trata cada salto de página como uno forzado (conserva el margen de arriba del bloque que abre
la hoja, como al empezar un documento), y porque las celdas y sus áreas de salida no tienen
margen, relleno ni borde que se repitan arriba de una hoja (tests/test_maquetacion.py compara
la sección así compuesta con la compuesta entera). Las hojas de antes quedan como se
compusieron (``primeras_hojas``: las piezas que ya van al PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import Tag

from helpers.salida.ensamblado.maqueta import Maqueta, Pagina
from helpers.salida.ensamblado.reglas_de_pagina import Tramos
from helpers.salida.pdf import Pieza


@dataclass
class Hechas:
    """Las primeras hojas de una sección que se compone otra vez desde una hoja: ya
    compuestas (``piezas``, van tal cual al PDF) y medidas (``paginas``, para las reglas)."""

    piezas: list[Pieza] = field(default_factory=list)
    paginas: list[Pagina] = field(default_factory=list)


def huellas(maqueta: Maqueta, seccion: str) -> dict[str, str]:
    """El HTML de cada bloque de ``seccion``: comparado después de una corrección, dice qué
    bloques cambió (``cambiados``)."""
    return {b: str(maqueta.bloques[b]) for b in maqueta.de_seccion[seccion]}


def cambiados(maqueta: Maqueta, antes: dict[str, str]) -> set[str]:
    """Los bloques cuyo HTML ya no es el de ``antes`` (``huellas``)."""
    return {b for b, texto in antes.items() if str(maqueta.bloques[b]) != texto}


def inicio_de_cola(paginas: list[Pagina], bloques: set[str]) -> int:
    """Desde qué hoja de la sección (su posición en ``paginas``) hay que componerla otra vez
    después de cambiar ``bloques`` (``cambiados``): la última vertical antes de la primera en
    que empieza uno de ellos, que empieza con un bloque entero (no con la continuación de
    uno de antes). No la misma en que empieza: lo que la abre puede estar en ella sólo por
    ir con el bloque cambiado (un texto que presenta un gráfico va en su página), y con el
    cambio quedar en la anterior. 0: desde el comienzo."""
    tramos = Tramos.de(paginas)
    if not bloques or not bloques <= tramos.primera.keys():
        return 0
    primera = min(tramos.primera[b] for b in bloques)
    for k in range(primera - 1, 0, -1):
        trozos = paginas[k].trozos
        if trozos and not paginas[k].apaisada and tramos.primera[trozos[0][0]] == k:
            return k
    return 0


def primeras_hojas(piezas: list[Pieza], cuantas: int) -> list[Pieza]:
    """Las piezas de las primeras ``cuantas`` hojas de ``piezas`` (en orden)."""
    salen = []
    for pieza in piezas:
        if cuantas <= 0:
            break
        salen.append(Pieza(pieza.parte, pieza.indices[:cuantas]))
        cuantas -= len(pieza.indices)
    return salen


def _etiquetas(elemento: Tag) -> tuple[str, str]:
    """La etiqueta que abre ``elemento`` (con sus atributos) y la que lo cierra."""
    vacio = str(Tag(name=elemento.name, attrs=elemento.attrs))
    corte = vacio.rindex("</")
    return vacio[:corte], vacio[corte:]


def seccion_desde(seccion: Tag, bloque: Tag) -> str:
    """El HTML de ``seccion`` sin lo que va antes de ``bloque`` (uno de sus bloques): cada
    elemento que contiene a ``bloque`` abre como está y sigue con lo que va desde él."""
    texto = "".join(map(str, [bloque, *bloque.next_siblings]))
    elemento = bloque.parent
    while True:
        abre, cierra = _etiquetas(elemento)
        texto = abre + texto + cierra
        if elemento is seccion:
            return texto
        texto += "".join(map(str, elemento.next_siblings))
        elemento = elemento.parent
