"""Los núcleos que un informe puede usar: los de la máquina, o menos si quien lo lanza lo pide
(el lote corre un informe por núcleo y se lo dice a cada uno con `VARIABLE_NUCLEOS`)."""
from __future__ import annotations

import os

__all__ = ["VARIABLE_NUCLEOS", "nucleos"]

VARIABLE_NUCLEOS = "INFORME_POA_NUCLEOS"


def nucleos() -> int:
    """Los núcleos de la máquina, o los que diga ``VARIABLE_NUCLEOS`` si son menos. Con uno
    solo, nada se hace en otro proceso."""
    maquina = os.cpu_count() or 1
    pedidos = os.environ.get(VARIABLE_NUCLEOS, "").strip()
    if pedidos.isdigit() and int(pedidos) > 0:
        return min(int(pedidos), maquina)
    return maquina
