"""Memoria que el proceso ya no usa, devuelta al sistema."""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys

__all__ = ["devolver_memoria"]


def devolver_memoria() -> None:
    """Recoge la basura con ciclos y pide a los asignadores de memoria que devuelvan al
    sistema lo que tienen libre: el de Arrow (las tablas en parquet se leen con él) y el de la
    biblioteca de C (``malloc_trim`` de glibc; con otra, nada). Sin esto, lo que se suelta
    queda reservado para el proceso: su memoria no baja aunque ya no la use, y en una entidad
    grande se suma a la de los procesos que trabajan a la vez."""
    gc.collect()
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
    except (AttributeError, OSError, TypeError):
        pass
