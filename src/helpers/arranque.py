"""`informe-poa`: la orden, tal como arranca. Antes de importar nada pesado, toma el entorno
con que arrancó y, si es una orden de informe con una reserva lista para sus parámetros, se
la delega (`helpers.reserva.delegacion`): así no importa otra vez lo que ella ya importó. Si
no, la corre aquí (`helpers.cli`)."""
from __future__ import annotations

import os
import sys

__all__ = ["ejecutable"]


def ejecutable() -> None:
    from helpers import reserva

    reserva.fijar_entorno_inicial(dict(os.environ))
    from helpers.reserva.delegacion import delegar

    codigo = delegar(sys.argv[1:])
    if codigo is not None:
        sys.stdout.flush()
        os._exit(codigo)
    from helpers.cli import ejecutable as correr_aqui

    correr_aqui()
