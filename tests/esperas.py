"""Esperar a que algo pase en otro proceso o en otro hilo, sin dormir de más: se pregunta
cada poco hasta que pasa o se acaba el plazo."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def hasta(condicion: Callable[[], T], segundos: float, cada: float = 0.2) -> T:
    """El primer valor verdadero de `condicion()` dentro de `segundos`; si no llega, el último
    que dio (falso). Se pregunta una vez más al vencer el plazo."""
    limite = time.monotonic() + segundos
    while not (valor := condicion()) and time.monotonic() < limite:
        time.sleep(cada)
    return valor
