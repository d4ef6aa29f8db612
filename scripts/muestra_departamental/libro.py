"""Las tablas del libro de la muestra departamental.

`construir_tablas` encadena las partes del generador (estructura, reformulación, logros,
presupuesto, servicios) y las hojas que salen directamente del catálogo; sale hoja -> filas
(dicts con las columnas del contrato). Cada parte sortea con su propio generador de números
al azar (semilla del catálogo, derivada para cada una): cambiar una no cambia las demás. Las
escribe en un .xlsx determinista `muestra.escritura`.
"""

from __future__ import annotations

import numpy as np
from muestra.operaciones import filas_operaciones

from . import catalogo as cat
from .estructura import construir_operaciones, construir_unidades, filas_unidades
from .logros import registrar_logros
from .presupuesto import construir_presupuesto
from .reformulacion import aplicar_reformulaciones
from .servicios import construir_estadisticas, construir_ingresos


def construir_tablas() -> dict[str, list[dict]]:
    """Hoja -> filas del libro."""
    unidades = construir_unidades()
    ops = construir_operaciones(np.random.default_rng(cat.SEMILLA), unidades)
    reformulaciones = aplicar_reformulaciones(ops)
    registrar_logros(np.random.default_rng(cat.SEMILLA + 3), ops, unidades)
    return {
        "unidades": filas_unidades(unidades),
        "operaciones": filas_operaciones(ops),
        "presupuesto": construir_presupuesto(np.random.default_rng(cat.SEMILLA + 4)),
        "estadisticas": construir_estadisticas(unidades),
        "ingresos": construir_ingresos(),
        **{hoja: [dict(f) for f in filas] for hoja, filas in cat.COPIADAS.items()},
        "reformulaciones": reformulaciones,
    }
