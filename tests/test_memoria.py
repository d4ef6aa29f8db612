"""helpers.comun.memoria: lo que se suelta vuelve al sistema."""
from __future__ import annotations

import platform

import psutil
import pytest

from helpers.comun.memoria import devolver_memoria

MB = 2**20


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim es de glibc")
def test_lo_soltado_vuelve_al_sistema():
    # Bloques medianos (malloc de glibc, no el de Python) y uno al final que queda vivo: glibc
    # no devuelve solo lo que queda libre debajo de él.
    bloques = [bytearray(2000) for _ in range(100_000)]
    queda = bytearray(2000)
    del bloques
    antes = psutil.Process().memory_info().rss
    devolver_memoria()
    despues = psutil.Process().memory_info().rss
    assert antes - despues > 100 * MB
    assert len(queda) == 2000
