"""El PDF del informe por partes: maquetado, con la portada numerada, la cabecera y el pie.

Entran el cuerpo retocado para lectores, su índice y sus listas, los datos del informe y un
``Compositor``. ``escribir_pdf`` resuelve la maquetación (``maquetacion.maquetar``: cada
sección queda compuesta como va al PDF), numera las entradas del índice y de las listas con
la página de su ancla (``numeros_de_pagina``), compone la portada definitiva y las hojas de
la cabecera y el pie y las une con ``helpers.salida.pdf.unir`` en el PDF de destino. Sale el
PDF escrito y cuánto tardó cada paso.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from helpers.salida.ensamblado.composicion import Compositor
from helpers.salida.ensamblado.maquetacion import maquetar
from helpers.salida.ensamblado.pagina import cabeceras, pagina
from helpers.salida.pdf import Hoja, Parte, Pieza, unir

LOG = logging.getLogger(__name__)

_VUELTAS_PORTADA = 3  # veces que se numera la portada, como mucho, hasta que no cambia


def entradas(indice: list[dict], listas: dict[str, list[dict]]) -> list[str]:
    """Los ids a los que apunta cada entrada del índice y de las listas."""
    return [
        *(h["id"] for h1 in indice for h in (h1, *h1.get("hijos", []))),
        *(o["id"] for lista in listas.values() for o in lista),
    ]


def numeros_de_pagina(hojas: list[Hoja], en_portada: int, ids: list[str]) -> dict[str, int]:
    """La página de cada id de ``ids`` en el PDF unido: la primera hoja del cuerpo (``hojas``)
    en que está su ancla, después de las ``en_portada`` de la portada. Un id sin ancla es un
    error."""
    paginas: dict[str, int] = {}
    for n, hoja in enumerate(hojas, start=en_portada + 1):
        for nombre in hoja.anclas:
            paginas.setdefault(nombre, n)
    faltantes = [e for e in ids if e not in paginas]
    if faltantes:
        raise ValueError(f"Entradas del índice sin destino en el PDF: {faltantes[:5]}")
    return {e: paginas[e] for e in ids}


def componer_portada(compositor: Compositor, portada: Callable[[dict[str, int]], str],
                     hojas: list[Hoja], ids: list[str], en_portada: int,
                     datos: dict) -> tuple[Parte, Parte]:
    """La portada definitiva (``portada(números)``) y las hojas de la cabecera y el pie,
    compuestas a la vez. Si la portada ocupara otro número de páginas que ``en_portada`` (un
    número más largo que parte un renglón), se numera y se compone de nuevo."""
    for _ in range(_VUELTAS_PORTADA):
        numeros = numeros_de_pagina(hojas, en_portada, ids)
        apaisadas = [False] * (en_portada - 1) + [h.apaisada for h in hojas]
        primera, sellos = compositor.componer(
            [portada(numeros), cabeceras(compositor.estilos, apaisadas, datos)]
        )
        if len(primera.hojas) == en_portada:
            return primera, sellos
        LOG.info("La portada ocupa %d páginas, no %d: se numera de nuevo",
                 len(primera.hojas), en_portada)
        en_portada = len(primera.hojas)
    raise RuntimeError("El número de páginas de la portada no se estabiliza.")


def escribir_pdf(
    cuerpo: str,
    indice: list[dict],
    listas: dict[str, list[dict]],
    datos: dict,
    compositor: Compositor,
    destino: Path,
) -> dict[str, float]:
    """El PDF por partes (``helpers.salida.pdf``), y cuánto tardó cada paso: ``maquetar``,
    ``pdf`` (todo lo que sigue), y de eso, ``portada`` y ``unir``.

    1. ``maquetar`` resuelve la maquetación y deja compuesta cada sección como va al PDF. A
       la par se componen la portada con números provisorios, para saber cuántas páginas
       ocupa, y el colofón.
    2. Se numeran las entradas del índice y de las listas, y se componen a la vez la portada
       definitiva y las hojas de la cabecera y el pie (``componer_portada``).
    3. ``unir`` las junta."""
    tiempos = {}
    t = time.perf_counter()
    estilos = compositor.estilos
    ids = entradas(indice, listas)

    def portada(paginas: dict[str, int]) -> str:
        return pagina("impresion", "", indice, estilos, datos, listas,
                      parte="portada", paginas=paginas)

    def final(ident: str, texto: str, es_la_ultima: bool) -> str:
        return pagina("impresion", texto, [], estilos, datos,
                      parte="cierre" if es_la_ultima else "cuerpo")

    # El colofón, en su propia página, se compone aparte: lleva la hora de la corrida, y con
    # la última sección no dejaría tomarla de la caché del informe.
    colofon = ([pagina("impresion", "", [], estilos, datos, parte="colofon")]
               if datos.get("colofon") else [])
    secciones, compuestas, [provisoria, *del_colofon] = maquetar(
        cuerpo, compositor, final, [portada(dict.fromkeys(ids, 999)), *colofon]
    )
    tiempos["maquetar"] = time.perf_counter() - t

    t = inicio_pdf = time.perf_counter()
    cuerpo_pdf = [*(pieza for ident, _ in secciones for pieza in compuestas[ident]),
                  *(Pieza.entera(parte) for parte in del_colofon)]
    hojas = [pieza.parte.hojas[i] for pieza in cuerpo_pdf for i in pieza.indices]
    primera, sellos = componer_portada(compositor, portada, hojas, ids,
                                       len(provisoria.hojas), datos)
    tiempos["portada"] = time.perf_counter() - t

    t = time.perf_counter()
    unir([Pieza.entera(primera), *cuerpo_pdf], sellos, destino)
    tiempos["unir"] = time.perf_counter() - t
    tiempos["pdf"] = time.perf_counter() - inicio_pdf
    return tiempos
