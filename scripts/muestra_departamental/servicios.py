"""Los servicios que presta la muestra departamental y lo que recauda por ellos.

Entran las unidades, los servicios, los rubros de ingresos, la temporada de la demanda y la
devolución del catálogo; salen las filas de las hojas estadisticas (cada unidad
departamental, cada servicio y mes, desagregado por su departamento, según la escala de su
demanda) e ingresos (`muestra.servicios`). Cada hoja con su propio generador de números al
azar (semilla derivada): cambiar una no cambia las demás.
"""

from __future__ import annotations

import numpy as np
from muestra.servicios import recaudacion, servicios_de_unidad

from . import catalogo as cat


def construir_estadisticas(unidades: list[dict]) -> list[dict]:
    rng = np.random.default_rng(cat.SEMILLA + 1)
    filas = []
    for u in unidades:
        if u["nombre_departamento"] is not None:
            filas += servicios_de_unidad(rng, u["codigo_unidad"], u["nombre_departamento"],
                                         cat.SERVICIOS, u["escala"], cat.ESTACIONALIDAD)
    return filas


def construir_ingresos() -> list[dict]:
    rng = np.random.default_rng(cat.SEMILLA + 2)
    return recaudacion(rng, cat.INGRESOS, cat.ESTACIONALIDAD, cat.DEVOLUCION)
