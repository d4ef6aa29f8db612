"""Nada se pierde: en cada muestra (la primera y la departamental), lo programado, lo
ejecutado, el vigente y el devengado del libro (del POA en vigor al corte:
`calculo.versiones`) llegan al informe al centavo, en cada corte trimestral."""
from __future__ import annotations

import functools

import pytest

from helpers.calculo import metodologia as m
from helpers.calculo.tablas import calcular_tablas
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia
from helpers.rutas import RAIZ

LIBROS = {
    "muestra": RAIZ / "data" / "2024" / "poa_2024.xlsx",
    "departamental": RAIZ / "data" / "departamental" / "poa_2024.xlsx",
}


@pytest.fixture(scope="module", params=list(LIBROS))
def datos(request):
    return cargar_datos(LIBROS[request.param])


@pytest.fixture(scope="module")
def tablas_con(datos):
    """Las tablas de `datos` al corte de un trimestre con unas reglas de agregación y de
    participación, calculadas una vez (las pruebas de la eficacia y de la ejecución piden
    las mismas)."""
    @functools.cache
    def calcular(trimestre: int, participacion: str, agregacion: str) -> dict:
        reglas = Metodologia(participacion=participacion, agregacion=agregacion)
        return calcular_tablas(datos, trimestre, reglas)
    return calcular


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


# El cuadro mensual del cuarto trimestre da la eficacia de los meses de un trimestre anterior
# con las operaciones de su propio corte (diciembre), no con las del corte de ese trimestre: si
# una reformulación las cambió entre los dos cortes, los tres meses no suman la eficacia que
# dio el informe de ese trimestre. La primera muestra no lo muestra (su única reformulación es
# de febrero); la departamental sí (abril y agosto). La ejecución ya usa el vigente al cierre
# de cada trimestre. Hallado al agregar la muestra departamental: la regla es de
# `calculo.tablas.tabla_mensual` (y del anexo, si la repite).
EFICACIA_MENSUAL_CON_OTRA_VERSION = (
    "la eficacia mensual de un trimestre anterior usa la versión del POA del corte del "
    "informe, no la de ese trimestre"
)


@pytest.mark.parametrize("cifra", ["eficacia", "ejecucion"])
@pytest.mark.parametrize("participacion", ["trimestral_igual", "programada"])
@pytest.mark.parametrize("agregacion", ["promedio_unidades", "tareas"])
def test_los_meses_suman_el_trimestre(request, tablas_con, participacion, agregacion, cifra):
    if cifra == "eficacia" and request.node.callspec.params["datos"] == "departamental":
        request.applymarker(pytest.mark.xfail(reason=EFICACIA_MENSUAL_CON_OTRA_VERSION,
                                              strict=True))
    tablas = tablas_con(4, participacion, agregacion)
    area = tablas["area"].set_index("area")
    mensual = tablas["mensual"]
    for trimestre in (1, 2, 3, 4):
        parcial = tablas_con(trimestre, participacion, agregacion)["area"].set_index("area")
        meses = mensual[mensual["mes"].isin(m.meses_trimestre(trimestre))]
        suma = meses.groupby("area")[cifra].sum(min_count=1)
        for nombre in parcial.index:
            assert suma.loc[nombre] == pytest.approx(
                parcial.loc[nombre, f"{cifra}_trimestre"], abs=1e-9), (trimestre, nombre)
    assert len(area) == mensual["area"].nunique()
