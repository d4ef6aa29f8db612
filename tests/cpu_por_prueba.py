"""El procesador que gasta cada prueba, para medir la suite (`scripts/benchmark_pruebas.py`).

Con la variable `VARIABLE` apuntando a un archivo, cada proceso que corre pruebas (los
trabajadores de pytest-xdist, o pytest solo) agrega allí, al terminar cada prueba, una línea
JSON: el archivo de la prueba (y su nombre completo, el proceso y la hora en que terminó,
para ver cómo se repartió la suite), los segundos de procesador desde la prueba anterior de ese
mismo proceso (los suyos y los de los hijos que ya esperó: kernels, órdenes, LibreOffice) y
los de reloj. Lo que arman y desarman las fixtures en ese lapso va con la prueba; lo de un
proceso que no se espera (el servidor residente, que se desprende) no cuenta.

La suite trabaja con los dos núcleos ocupados casi todo el tiempo: lo que se gane hay que
buscarlo en el procesador de cada archivo, no en su reloj (docs/pruebas.md).
"""
from __future__ import annotations

import json
import os
import time

VARIABLE = "INFORME_POA_CPU_POR_PRUEBA"


def _ahora() -> tuple[float, float]:
    tiempos = os.times()
    return (time.monotonic(), tiempos.user + tiempos.system + tiempos.children_user
            + tiempos.children_system)


_anterior = _ahora()  # desde que el proceso importó las pruebas: la primera lleva la colecta


def anotar(nodeid: str) -> None:
    """Anota la prueba `nodeid`, que acaba de terminar, si se pidió (`VARIABLE`)."""
    global _anterior
    destino = os.environ.get(VARIABLE)
    if not destino:
        return
    ahora = _ahora()
    linea = {"archivo": nodeid.split("::", 1)[0], "cpu_s": round(ahora[1] - _anterior[1], 3),
             "reloj_s": round(ahora[0] - _anterior[0], 3), "prueba": nodeid,
             "proceso": os.getpid(), "fin": round(time.time(), 1)}
    _anterior = ahora
    # Una línea corta escrita de una vez, en modo de agregar: dos trabajadores no la mezclan.
    with open(destino, "a", encoding="utf-8") as archivo:
        archivo.write(json.dumps(linea, ensure_ascii=False) + "\n")
