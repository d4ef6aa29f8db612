"""Las tablas del libro de muestra.

`construir_tablas` encadena las partes del generador (estructura, metas, ajuste,
reformulación, presupuesto) y las hojas que salen directamente del catálogo; entra la
semilla y sale hoja -> filas (dicts con las columnas del contrato) y las metas de avance.
Las escribe en un .xlsx determinista `escritura`.
"""

from __future__ import annotations

import numpy as np

from . import catalogo as cat
from .ajuste import ajustar_operaciones
from .comun import COLUMNAS, ESTACION_CONSULAR, SEMILLA, leer_csv
from .estructura import construir_operaciones, construir_unidades, elegir_operaciones_fijas
from .metas import metas_exterior
from .operaciones import filas_operaciones
from .presupuesto import agregar_historia_presupuesto, construir_ingresos, construir_presupuesto
from .reformulacion import agregar_bajas, construir_reformulaciones
from .servicios import servicios_de_unidad

# Volumen de servicios de cada tipo de oficina consular, como parte del de un consulado general.
ESCALA_CONSULAR = {"Consulado General": 1.0, "Consulado": 0.55, "Viceconsulado": 0.25}


def construir_tablas(rng_semilla: int = SEMILLA) -> tuple[dict, dict]:
    """Hoja -> filas del libro, y (unidad, trimestre) -> avance objetivo."""
    rng = np.random.default_rng(rng_semilla)
    ref_unidades = leer_csv("mre-2024-unidades.csv")
    unidades = construir_unidades(ref_unidades)
    elegir_operaciones_fijas(rng, unidades)
    ops = construir_operaciones(rng, unidades)
    metas_ext = metas_exterior(rng, unidades)
    metas = ajustar_operaciones(rng, ops, unidades, ref_unidades, metas_ext)
    ops = agregar_bajas(ops, unidades)
    presupuesto = construir_presupuesto(rng, unidades)
    agregar_historia_presupuesto(presupuesto, unidades)
    tablas = {
        # Una columna opcional que la muestra no usa (departamento) queda vacía.
        "unidades": [{k: u.get(k) for k in COLUMNAS["unidades"]} for u in unidades],
        "operaciones": filas_operaciones(ops),
        "presupuesto": presupuesto,
        "estadisticas": construir_estadisticas(unidades),
        "ingresos": construir_ingresos(),
        **{hoja: [dict(f) for f in filas] for hoja, filas in cat.COPIADAS.items()},
        "reformulaciones": construir_reformulaciones(ops),
    }
    return tablas, metas


def pais(nombre: str) -> str:
    """'Consulado de Bolivia en Sevilla (España)' -> 'España'; sin paréntesis, el nombre."""
    return nombre.rsplit("(", 1)[-1].rstrip(")") if "(" in nombre else nombre


def construir_estadisticas(unidades: list[dict]) -> list[dict]:
    """Servicios de cada oficina consular por mes, desagregados por su país. Un generador
    propio (semilla derivada): agregar esta hoja no cambia las demás."""
    rng = np.random.default_rng(SEMILLA + 1)
    filas = []
    for u in unidades:
        if u["tipo"] in cat.TIPOS_CON_ESTADISTICAS:
            filas += servicios_de_unidad(
                rng, u["codigo_unidad"], pais(u["nombre"]), cat.SERVICIOS_CONSULARES,
                ESCALA_CONSULAR[u["tipo"]], ESTACION_CONSULAR,
            )
    return filas
