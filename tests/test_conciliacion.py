"""Nada se pierde: en la muestra, lo programado, lo ejecutado, el vigente y el devengado
del libro (del POA en vigor al corte: `calculo.versiones`) llegan al informe al centavo, en
cada corte trimestral."""
from __future__ import annotations

import pytest

from helpers.calculo import metodologia as m
from helpers.calculo.tablas import calcular_tablas
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia
from helpers.rutas import RAIZ

DATOS = RAIZ / "data" / "2024" / "poa_2024.xlsx"


@pytest.fixture(scope="module")
def datos():
    return cargar_datos(DATOS)


@pytest.mark.parametrize("trimestre", [1, 2, 3, 4])
def test_montos_y_metas_concilian(datos, trimestre):
    tablas = calcular_tablas(datos, trimestre, Metodologia())
    meses = m.meses_acumulado(trimestre)
    en_vigor = version_al_corte(datos, 3 * trimestre)
    ops, pres = en_vigor.operaciones, en_vigor.presupuesto
    prog = sum(ops[m.col_prog(mes)].sum() for mes in meses)
    ejec = sum(ops[m.col_ejec(mes)].fillna(0).sum() for mes in meses)
    devengado = sum(pres[m.col_dev(mes)].sum() for mes in meses)
    vigente = pres["vigente"].sum()

    operacion = tablas["operacion"]
    assert operacion["prog_acumulado"].sum() == pytest.approx(prog, abs=1e-9)
    assert operacion["ejec_acumulado"].sum() == pytest.approx(ejec, abs=1e-9)
    assert len(operacion) == len(ops)

    for nombre, _clave, filas in (
        ("acp", "codigo_acp", lambda t: t["codigo_acp"] != "TOTAL"),
        ("area", "area", lambda t: t["nivel"] == "area"),
        ("unidad", "codigo_unidad", lambda t: t["codigo_unidad"].notna()),
        ("categoria", "categoria_programatica", lambda t: t["categoria_programatica"] != "TOTAL"),
    ):
        t = tablas[nombre]
        cuerpo = t[filas(t)]
        assert round(cuerpo["vigente"].sum(), 2) == round(vigente, 2), nombre
        assert round(cuerpo["devengado_acumulado"].sum(), 2) == round(devengado, 2), nombre
    mensual = tablas["mensual"]
    assert round(mensual[mensual["area"] == "TOTAL"]["devengado"].sum(), 2) == round(devengado, 2)


@pytest.mark.parametrize("participacion", ["trimestral_igual", "programada"])
@pytest.mark.parametrize("agregacion", ["promedio_unidades", "tareas"])
def test_los_meses_suman_el_trimestre(datos, participacion, agregacion):
    reglas = Metodologia(participacion=participacion, agregacion=agregacion)
    tablas = calcular_tablas(datos, 4, reglas)
    area = tablas["area"].set_index("area")
    mensual = tablas["mensual"]
    for trimestre in (1, 2, 3, 4):
        parcial = calcular_tablas(datos, trimestre, reglas)["area"].set_index("area")
        meses = mensual[mensual["mes"].isin(m.meses_trimestre(trimestre))]
        suma = meses.groupby("area")[["eficacia", "ejecucion"]].sum(min_count=1)
        for nombre in parcial.index:
            assert suma.loc[nombre, "eficacia"] == pytest.approx(
                parcial.loc[nombre, "eficacia_trimestre"], abs=1e-9)
            assert suma.loc[nombre, "ejecucion"] == pytest.approx(
                parcial.loc[nombre, "ejecucion_trimestre"], abs=1e-9)
    assert len(area) == mensual["area"].nunique()
