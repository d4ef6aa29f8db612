"""Lo que una entidad de muestra presta y recauda: series mensuales con su temporada.

Lo comparten los generadores de las dos muestras, sin leer ningún catálogo: las filas de la
hoja estadisticas de una unidad (cada servicio, mes a mes, alrededor de su volumen) y las de
la hoja ingresos (la parte recaudada del vigente de cada rubro, repartida en el año). En los
dos, `estacion` es el peso de cada mes (1 = un mes común) y el sorteo agrega un ruido.
"""

from __future__ import annotations

import numpy as np

from .comun import MESES


def servicios_de_unidad(rng, codigo_unidad: str, desagregacion: str, servicios: list[tuple],
                        escala: float, estacion: list[float]) -> list[dict]:
    """Las filas de la hoja estadisticas de una unidad: para cada (indicador, volumen
    mensual) de `servicios`, un volumen propio (la escala de la unidad, ±40 %) y el valor de
    cada mes según su temporada (±20 %)."""
    filas = []
    for indicador, volumen in servicios:
        base = volumen * escala * rng.uniform(0.6, 1.4)
        for mes in MESES:
            valor = int(round(base * estacion[mes - 1] * rng.uniform(0.8, 1.2)))
            filas.append({"codigo_unidad": codigo_unidad, "indicador": indicador,
                          "desagregacion": desagregacion, "mes": mes, "valor": valor})
    return filas


def recaudacion(rng, rubros: list[tuple], estacion: list[float],
                devolucion: tuple[str, int, float]) -> list[dict]:
    """Las filas de la hoja ingresos: de cada (rubro, descripcion, fuente, vigente, parte
    recaudada), la parte del vigente repartida en el año según la temporada (±15 % cada mes);
    `devolucion` (rubro, mes, monto) deja ese mes del rubro en negativo (valores anulados)."""
    filas = []
    for rubro, descripcion, fuente, vigente, parte in rubros:
        pesos = np.array(estacion) * rng.uniform(0.85, 1.15, len(MESES))
        montos = np.round(vigente * parte * pesos / pesos.sum(), 2)
        fila = {"rubro": rubro, "descripcion": descripcion, "fuente": fuente,
                "vigente": float(vigente)}
        fila.update({f"rec_{m:02d}": float(v) for m, v in zip(MESES, montos)})
        if rubro == devolucion[0]:
            fila[f"rec_{devolucion[1]:02d}"] = -float(devolucion[2])
        filas.append(fila)
    return filas
