"""helpers.comun.memoria: lo que se suelta vuelve al sistema."""
from __future__ import annotations

import gc
import json
import platform
import subprocess
import sys

import psutil
import pytest

from helpers.comun.memoria import UMBRALES_RECOLECCION, devolver_memoria, espaciar_recolecciones

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


@pytest.fixture
def umbrales_de_vuelta():
    antes = gc.get_threshold()
    yield
    gc.set_threshold(*antes)


def test_espaciar_recolecciones_y_los_umbrales_de_un_proceso_aparte(umbrales_de_vuelta,
                                                                    ayudantes):
    """El ejecutor recoge la basura con los umbrales de `UMBRALES_RECOLECCION`; el proceso
    que compone el PDF con él, también (lo que hace al arrancar); otro proceso de ayuda, con
    los de Python, sean cuales sean los de quien lo crea."""
    # Los de un intérprete nuevo.
    de_python = tuple(json.loads(subprocess.run(
        [sys.executable, "-c", "import gc, json; print(json.dumps(gc.get_threshold()))"],
        capture_output=True, text=True, check=True).stdout))
    espaciar_recolecciones()
    assert gc.get_threshold() == UMBRALES_RECOLECCION != de_python
    for grupo, esperados in ((ayudantes.compositor, UMBRALES_RECOLECCION),
                             (ayudantes.cediendo, de_python)):
        assert grupo.submit(gc.get_threshold).result() == esperados
