"""Memoria que el proceso ya no usa, devuelta al sistema, y cada cuánto se recoge la basura."""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import sys

__all__ = ["UMBRALES_RECOLECCION", "devolver_memoria", "espaciar_recolecciones"]

# Los umbrales del recolector de basura del ejecutor y del proceso que compone con él: una
# recolección de la generación joven cada 100.000 objetos nuevos, no cada 700 (lo que trae
# Python); las otras dos, como vienen.
UMBRALES_RECOLECCION = (100_000, 10, 10)


def devolver_memoria() -> None:
    """Recoge la basura con ciclos y pide a los asignadores de memoria que devuelvan al
    sistema lo que tienen libre: el de Arrow (las tablas en parquet se leen con él) y el de la
    biblioteca de C (``malloc_trim`` de glibc; con otra, nada). Sin esto, lo que se suelta
    queda reservado para el proceso: su memoria no baja aunque ya no la use, y en una entidad
    grande se suma a la de los procesos que trabajan a la vez."""
    gc.collect()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    recortar = _malloc_trim()
    if recortar is not None:
        recortar(0)


@functools.cache
def _malloc_trim():
    """``malloc_trim`` de glibc (buscar la biblioteca de C lanza ldconfig: una vez por
    proceso), o None con otra biblioteca de C."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (AttributeError, OSError, TypeError):
        return None


def espaciar_recolecciones() -> None:
    """Recoge la basura con menos frecuencia (``UMBRALES_RECOLECCION``). El ensamblado arma y
    suelta cientos de miles de objetos (los árboles de BeautifulSoup, las cajas de WeasyPrint),
    y con los umbrales de Python el recolector los recorre miles de veces: las composiciones
    del PDF tardan así un 5 % más. Lo que queda sin recoger entre dos recolecciones son decenas
    de MB a lo sumo, y ``devolver_memoria`` recoge todo después de cada composición. La página
    de auditoría (otro proceso) no: ahorraría otro tanto, pero sin nadie que la recoja, la
    basura de sus árboles llegó a duplicar su memoria en el libro 100×."""
    gc.set_threshold(*UMBRALES_RECOLECCION)
