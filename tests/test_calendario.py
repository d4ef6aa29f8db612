"""Nombres de meses en una sola definición (helpers.comun.calendario) y las alertas: meses con
nombre, y las operaciones NO APLICA como información, no como alerta."""
from __future__ import annotations

import datetime as dt

import pytest

from helpers.calculo.tablas import calcular_tablas
from helpers.comun.calendario import (
    MESES_CORTO,
    MESES_NOMBRE,
    enumerar_meses,
    fecha_larga,
    nombre_mes,
)
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia
from helpers.rutas import RAIZ


def test_meses_y_enumeracion():
    assert len(MESES_NOMBRE) == len(MESES_CORTO) == 12
    assert all(largo[:3].lower() == corto.lower()
               for largo, corto in zip(MESES_NOMBRE, MESES_CORTO))
    assert enumerar_meses([]) == ""
    assert enumerar_meses([5]) == MESES_NOMBRE[4]
    assert enumerar_meses([5, 6]) == f"{MESES_NOMBRE[4]} y {MESES_NOMBRE[5]}"
    assert enumerar_meses([1, 2, 3]) == f"{MESES_NOMBRE[0]}, {MESES_NOMBRE[1]} y {MESES_NOMBRE[2]}"
    assert fecha_larga(dt.date(2024, 6, 30)) == f"30 de {nombre_mes(6)} de 2024"


@pytest.mark.parametrize("trimestre", [2, 4])
def test_las_alertas_nombran_los_meses(trimestre):
    """«sin reporte en mayo», «abril: Bs …»: nunca «meses 5» ni «mes 4»."""
    tablas = calcular_tablas(cargar_datos(RAIZ / "data" / "2024" / "poa_2024.xlsx"), trimestre,
                             Metodologia())
    alertas, operacion = tablas["alertas"], tablas["operacion"].set_index("codigo_operacion")
    sin_reporte = alertas[alertas["tipo"] == "Mes sin reporte"]
    negativos = alertas[alertas["tipo"] == "Devengado negativo"]
    assert len(sin_reporte) and len(negativos)
    for fila in sin_reporte.itertuples():
        meses = [int(x) for x in operacion.loc[fila.codigo, "meses_sin_reporte"].split(",")]
        assert fila.detalle == f"sin reporte en {enumerar_meses(meses)}"
    assert negativos["detalle"].str.split(":").str[0].isin(MESES_NOMBRE).all()


def test_no_aplica_es_informacion_y_no_alerta():
    from helpers.calculo.tablas import CLASE_ALERTA, CLASE_INFORMACION, TIPO_NO_APLICA
    from helpers.comun.numeros import formatear_entero
    from helpers.redaccion import textos

    tablas = calcular_tablas(cargar_datos(RAIZ / "data" / "2024" / "poa_2024.xlsx"), 2,
                             Metodologia())
    alertas = tablas["alertas"]
    no_aplica = alertas["tipo"] == TIPO_NO_APLICA
    assert no_aplica.any() and (~no_aplica).any()
    assert (alertas.loc[no_aplica, "clase"] == CLASE_INFORMACION).all()
    assert (alertas.loc[~no_aplica, "clase"] == CLASE_ALERTA).all()
    texto = textos.resumen_alertas(alertas)
    assert f"Se registran {formatear_entero(int((~no_aplica).sum()))} alertas" in texto
    assert TIPO_NO_APLICA.lower() not in texto.split("Además")[0]
    n = int(no_aplica.sum())
    assert (f"Además, {formatear_entero(n)} "
            f"{'operación está' if n == 1 else 'operaciones están'}") in texto
