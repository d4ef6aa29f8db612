"""Las dos páginas HTML del informe: la de lectores y la de auditoría.

Entran las rutas de los cuadernos ejecutados. ``leer_cuadernos`` los lee y prepara sus
salidas (``exportacion.preparar_salidas``); ``cuerpo_retocado`` los une, los exporta y retoca
el cuerpo (``retoque.retocar_cuerpo``): sale el cuerpo, el índice y las listas de cuadros y
de gráficos. ``escribir_pagina`` pone todo en ``pagina.html.j2`` con los gráficos repuestos y
lo escribe. ``escribir_auditoria`` hace todo eso para ``informe-auditoria.html`` (con el
código de cada celda, los parámetros y la memoria de cálculo) y corre en otro proceso
mientras este compone el PDF (el ejecutor ``cediendo`` de ``ensamblar``).
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat

from helpers.salida.ensamblado.exportacion import (
    Imagenes,
    exportar,
    preparar_salidas,
    unir_cuadernos,
)
from helpers.salida.ensamblado.pagina import css_resaltado, leer_css, pagina
from helpers.salida.ensamblado.retoque import retocar_cuerpo


def leer_cuadernos(rutas: list[Path], imagenes: Imagenes,
                   marcadas: dict[str, str] | None = None) -> list:
    """Los cuadernos de ``rutas``, con las imágenes apartadas en ``imagenes`` y las tablas
    marcadas (``marcadas``: ver ``exportacion.MarcarTablas``)."""
    libros = [nbformat.read(str(c), as_version=4) for c in rutas]
    for libro in libros:
        preparar_salidas(libro, imagenes, marcadas)
    return libros


def cuerpo_retocado(libros, rutas: list[Path], ruta_base: str, fuentes: dict | None, *,
                    auditoria: bool, previos: int = 0) -> tuple[str, list[dict], dict]:
    """El cuerpo de una de las dos versiones, retocado, con su índice y sus listas."""
    nb = unir_cuadernos(libros, rutas, auditoria=auditoria, previos=previos)
    return retocar_cuerpo(exportar(nb, ruta_base, auditoria=auditoria), fuentes)


def estilos_html(*, auditoria: bool) -> list[str]:
    """Las hojas de estilo de la página HTML: las del informe, el resaltado del código y, en
    la de auditoría, las suyas."""
    estilos = [leer_css("informe.css"), css_resaltado()]
    return [*estilos, leer_css("auditoria.css")] if auditoria else estilos


def escribir_pagina(destino: Path, variante: str, cuerpo: str, indice: list[dict],
                    listas: dict, datos: dict, imagenes: Imagenes) -> None:
    """La página HTML de ``variante`` ("lectores" o "auditoria"), con los gráficos
    repuestos, en ``destino``."""
    estilos = estilos_html(auditoria=variante == "auditoria")
    texto = pagina(variante, cuerpo, indice, estilos, datos, listas)
    Path(destino).write_text(imagenes.reponer(texto), encoding="utf-8")


def escribir_auditoria(
    previos: list[Path],
    cuadernos: list[Path],
    ruta_base: str,
    fuentes: dict | None,
    datos: dict,
    destino: Path,
    marcadas: dict[str, str] | None = None,
    almacen=None,
) -> float:
    """Escribe ``informe-auditoria.html``: los cuadernos ``previos`` (sólo de auditoría) y los
    del informe, con su código y sus parámetros. Lee los cuadernos por su cuenta (corre en
    otro proceso: ``Aparte``) y devuelve los segundos que tardó. ``marcadas``: las tablas ya
    marcadas en este proceso (ver ``exportacion.MarcarTablas``); sin ellas, con ``almacen``
    (la caché del informe), las que ya se marcaron en otra corrida o en otro proceso
    (``tablas_guardadas``)."""
    t = time.perf_counter()
    if marcadas is None and almacen is not None:
        from helpers.salida.ensamblado.tablas_guardadas import TablasMarcadas

        marcadas = TablasMarcadas(almacen)
    rutas = [*previos, *cuadernos]
    imagenes = Imagenes()
    libros = leer_cuadernos(rutas, imagenes, marcadas)
    cuerpo, indice, listas = cuerpo_retocado(libros, rutas, ruta_base, fuentes,
                                             auditoria=True, previos=len(previos))
    escribir_pagina(destino, "auditoria", cuerpo, indice, listas, datos, imagenes)
    return time.perf_counter() - t
