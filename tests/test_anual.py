"""Las tablas de la rendición de cuentas (`helpers.calculo.anual`) sobre libros pequeños escritos
con `fabrica`, y su concordancia con el informe trimestral y con la muestra.

Lo esperado se calcula en cada prueba a partir de las filas de entrada (la hoja ya leída
con `cargar_datos`), nunca se escribe a mano como resultado.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import fabrica
import numpy as np
import pandas as pd
import pytest

from helpers.calculo import metodologia as m
from helpers.calculo.anual import (
    COLUMNAS_ESTADISTICAS,
    COLUMNAS_INGRESOS,
    tablas_anuales,
)
from helpers.calculo.tablas import calcular_tablas
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia, cargar_parametros
from helpers.rutas import RAIZ

GESTION = 2024
REGLAS = Metodologia()
MUESTRA = RAIZ / "data" / "2024" / "poa_2024.xlsx"

COLUMNAS_PEDIDAS = {
    "operacion": ["codigo_operacion", "codigo_unidad", "codigo_acp", "descripcion", "indicador",
                  "unidad_medida", "prog_anual", "ejec_anual", "cumplimiento_anual",
                  "cumplimiento_sin_tope_anual", "evaluacion", "justificacion",
                  "medio_verificacion"],
    "unidad": ["codigo_unidad", "nombre", "area", "avance_fisico_anual", "vigente",
               "devengado_anual", "ejecucion_anual", "operaciones_cumple",
               "operaciones_no_cumple", "operaciones_no_aplica"],
    "area": ["area", "avance_fisico_anual", "eficacia_anual", "vigente", "devengado_anual",
             "ejecucion_anual", "operaciones_cumple", "operaciones_no_cumple",
             "operaciones_no_aplica"],
    "acp": ["codigo_acp", "avance_fisico_anual", "eficacia_anual", "vigente", "devengado_anual",
            "ejecucion_anual", "operaciones_cumple", "operaciones_no_cumple",
            "operaciones_no_aplica"],
    "categoria": ["categoria_programatica", "fuente", "programa", "vigente", "devengado_anual",
                  "ejecucion_anual", "saldo"],
    "fuente": ["fuente", "vigente", "devengado_anual", "ejecucion_anual", "saldo"],
    "trimestral": ["area", "trimestre", "avance_fisico", "eficacia", "ejecucion"],
    "ingresos": ["rubro", "descripcion", "fuente", "vigente", "recaudado_anual", "ejecucion",
                 "saldo"],
}


# ---------------------------------------------------------------------------------------
# El libro de prueba: el pequeño de `fabrica` con los casos de la rendición
# ---------------------------------------------------------------------------------------

def _operacion(codigo, acp, unidad, prog, ejec, tareas=None, no_aplica=""):
    return [codigo, acp, unidad, f"Operación {codigo}", "Porcentaje de avance", "Informe",
            tareas, f"Informe {codigo}/2024", no_aplica, *prog, *ejec, ""]


CEROS = [0] * 12
VACIOS = [None] * 12


def tablas_rendicion() -> dict[str, list[list]]:
    """El POA pequeño más: una unidad sin operaciones ni presupuesto (VC-TAC), operaciones
    sin meta anual (con y sin ejecución), una exactamente en el umbral, dos a un milésimo
    del umbral (una llega al imprimirse con 2 decimales y la otra no) y una línea de
    presupuesto con vigente 0 y devengado."""
    t = fabrica.tablas_pequenas()
    t["unidades"].append(["VC-TAC", "Viceconsulado en Tacna", "SERV_EXTERIOR", "Exterior",
                          "Viceconsulado"])
    ops = t["operaciones"]
    ops.append(_operacion("OP-09", 2, "DGRB", CEROS, [0, 0, 2, *[0] * 9]))
    ops.append(_operacion("OP-10", 2, "DGRB", CEROS, VACIOS))
    ops.append(_operacion("OP-11", 1, "DGRM", [2] * 12, [1] * 12, tareas=2))
    ops.append(_operacion("OP-12", 1, "CG-ARI", [25000, *[0] * 11], [12499, *[0] * 11]))
    ops.append(_operacion("OP-13", 1, "CG-ARI", [25000, *[0] * 11], [12498.5, *[0] * 11]))
    t["presupuesto"].append(["580 0 001", "Programa sin vigente", "CG-ARI", 1, "10 TGN", 0,
                             *[0] * 11, 500])
    return t


@pytest.fixture(scope="module")
def datos(tmp_path_factory):
    ruta = tmp_path_factory.mktemp("anual") / "poa_rendicion.xlsx"
    return cargar_datos(fabrica.escribir_libro(ruta, tablas_rendicion()))


@pytest.fixture(scope="module")
def tablas(datos):
    return tablas_anuales(datos, REGLAS, GESTION)


# ---------------------------------------------------------------------------------------
# Lo esperado, calculado desde las filas de entrada
# ---------------------------------------------------------------------------------------

def _redondeo_impreso(valor: float) -> float:
    return float(Decimal(repr(float(valor))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def esperado_operaciones(datos) -> pd.DataFrame:
    """Meta, ejecución, cumplimiento y evaluación del año de cada operación, desde sus
    doce meses."""
    filas = []
    for _, op in datos.operaciones.iterrows():
        prog = sum(float(op[m.col_prog(mes)]) for mes in m.MESES)
        ejec = sum(float(op[m.col_ejec(mes)]) for mes in m.MESES
                   if not pd.isna(op[m.col_ejec(mes)]))
        no_aplica = str(op["no_aplica"]).strip()
        if no_aplica or prog == 0:
            cumpl, sin_tope, evaluacion = math.nan, math.nan, m.NO_APLICA
        else:
            sin_tope = ejec / prog * 100
            cumpl = min(ejec / prog, 1.0) * 100
            evaluacion = (m.CUMPLE if _redondeo_impreso(cumpl) >= REGLAS.umbral_cumple
                          else m.NO_CUMPLE)
        filas.append({"codigo_operacion": op["codigo_operacion"],
                      "codigo_unidad": op["codigo_unidad"], "tareas": int(op["tareas"]),
                      "prog": prog, "ejec": ejec, "cumplimiento": cumpl,
                      "sin_tope": sin_tope, "evaluacion": evaluacion, "no_aplica": no_aplica})
    return pd.DataFrame(filas).set_index("codigo_operacion")


def devengado_anual(presupuesto: pd.DataFrame) -> pd.Series:
    return sum(presupuesto[m.col_dev(mes)] for mes in m.MESES)


# ---------------------------------------------------------------------------------------
# Columnas
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("nombre", sorted(COLUMNAS_PEDIDAS))
def test_columnas_pedidas_en_orden(tablas, nombre):
    columnas = list(tablas[nombre].columns)
    pedidas = COLUMNAS_PEDIDAS[nombre]
    assert [c for c in columnas if c in pedidas] == pedidas


# ---------------------------------------------------------------------------------------
# Operaciones: cumplimiento y evaluación (§5.3)
# ---------------------------------------------------------------------------------------

def test_cada_operacion_segun_sus_doce_meses(datos, tablas):
    esperado = esperado_operaciones(datos)
    op = tablas["operacion"].set_index("codigo_operacion")
    assert list(op.index) == list(esperado.index)
    np.testing.assert_allclose(op["prog_anual"], esperado["prog"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(op["ejec_anual"], esperado["ejec"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(op["cumplimiento_anual"], esperado["cumplimiento"], rtol=1e-12)
    np.testing.assert_allclose(op["cumplimiento_sin_tope_anual"], esperado["sin_tope"],
                               rtol=1e-12)
    assert op["evaluacion"].tolist() == esperado["evaluacion"].tolist()


def test_sobre_ejecutada_con_tope_y_sin_tope(datos, tablas):
    op = tablas["operacion"].set_index("codigo_operacion").loc["OP-04"]
    esperado = esperado_operaciones(datos).loc["OP-04"]
    assert esperado["ejec"] > esperado["prog"]
    assert op["cumplimiento_anual"] == 100.0
    sin_tope = esperado["ejec"] / esperado["prog"] * 100
    assert op["cumplimiento_sin_tope_anual"] == pytest.approx(sin_tope)
    assert op["cumplimiento_sin_tope_anual"] > 100
    assert op["evaluacion"] == m.CUMPLE


def test_no_aplica_lleva_la_justificacion_del_planificador(datos, tablas):
    op = tablas["operacion"].set_index("codigo_operacion").loc["OP-05"]
    marcada = datos.operaciones.set_index("codigo_operacion").loc["OP-05", "no_aplica"]
    assert marcada.strip()
    assert op["evaluacion"] == m.NO_APLICA
    assert op["justificacion"] == marcada.strip()
    assert math.isnan(op["cumplimiento_anual"])


@pytest.mark.parametrize("codigo", ["OP-09", "OP-10"])
def test_sin_meta_anual_es_no_aplica_con_frase_calculada(tablas, codigo):
    op = tablas["operacion"].set_index("codigo_operacion").loc[codigo]
    assert op["prog_anual"] == 0
    assert op["evaluacion"] == m.NO_APLICA
    assert "No tuvo meta programada" in op["justificacion"]
    assert str(GESTION) in op["justificacion"]
    assert math.isnan(op["cumplimiento_anual"])


def test_sin_meta_con_ejecucion_lo_dice(tablas):
    op = tablas["operacion"].set_index("codigo_operacion")
    assert op.loc["OP-09", "ejec_anual"] > 0
    assert "sin programación" in op.loc["OP-09", "justificacion"]
    assert "sin programación" not in op.loc["OP-10", "justificacion"]


def test_umbral_se_compara_con_el_valor_impreso(datos, tablas):
    op = tablas["operacion"].set_index("codigo_operacion")
    # Exactamente en el umbral: CUMPLE.
    assert op.loc["OP-11", "cumplimiento_anual"] == REGLAS.umbral_cumple
    assert op.loc["OP-11", "evaluacion"] == m.CUMPLE
    # Debajo del umbral en precisión completa, pero se imprime igual al umbral: CUMPLE.
    assert op.loc["OP-12", "cumplimiento_anual"] < REGLAS.umbral_cumple
    assert _redondeo_impreso(op.loc["OP-12", "cumplimiento_anual"]) == REGLAS.umbral_cumple
    assert op.loc["OP-12", "evaluacion"] == m.CUMPLE
    # Se imprime por debajo del umbral: NO CUMPLE.
    assert _redondeo_impreso(op.loc["OP-13", "cumplimiento_anual"]) < REGLAS.umbral_cumple
    assert op.loc["OP-13", "evaluacion"] == m.NO_CUMPLE


def test_operacion_evaluada_sin_justificacion(tablas):
    op = tablas["operacion"]
    evaluadas = op[op["evaluacion"] != m.NO_APLICA]
    assert (evaluadas["justificacion"] == "").all()
    assert (op.loc[op["evaluacion"] == m.NO_APLICA, "justificacion"] != "").all()


def test_excluida_por_falta_de_reporte_dice_los_meses(datos):
    """Con `sin_reporte: excluir`, una operación con meses sin reporte no tiene
    cumplimiento anual; la justificación nombra esos meses (OP-03 no reportó mayo)."""
    reglas = Metodologia(sin_reporte="excluir")
    op = tablas_anuales(datos, reglas, GESTION)["operacion"].set_index("codigo_operacion")
    fila = op.loc["OP-03"]
    assert pd.isna(datos.operaciones.set_index("codigo_operacion").loc["OP-03", m.col_ejec(5)])
    assert math.isnan(fila["cumplimiento_anual"])
    assert fila["estado"] == m.ESTADO_EXCLUIDA
    assert "falta de reporte" in fila["justificacion"] and "mayo" in fila["justificacion"]
    assert fila["evaluacion"] == m.evaluacion_anual(
        pd.Series([np.nan]), pd.Series([m.ESTADO_EXCLUIDA]), reglas.umbral_cumple).iloc[0]


def test_umbral_es_parametro(datos):
    """Con otro umbral cambia la evaluación; el cumplimiento no."""
    exigente = Metodologia(umbral_cumple=95)
    op = tablas_anuales(datos, exigente, GESTION)["operacion"].set_index("codigo_operacion")
    esperado = esperado_operaciones(datos)
    for codigo, fila in esperado.iterrows():
        if fila["evaluacion"] == m.NO_APLICA:
            assert op.loc[codigo, "evaluacion"] == m.NO_APLICA
        else:
            cumple = _redondeo_impreso(fila["cumplimiento"]) >= 95
            assert op.loc[codigo, "evaluacion"] == (m.CUMPLE if cumple else m.NO_CUMPLE)


# ---------------------------------------------------------------------------------------
# Unidades
# ---------------------------------------------------------------------------------------

def test_avance_y_conteos_de_cada_unidad(datos, tablas):
    esperado = esperado_operaciones(datos)
    evaluadas = esperado[esperado["evaluacion"] != m.NO_APLICA]
    unidad = tablas["unidad"].set_index("codigo_unidad")
    for codigo in datos.unidades["codigo_unidad"]:
        propias = evaluadas[evaluadas["codigo_unidad"] == codigo]
        if len(propias):
            avance = (propias["cumplimiento"] * propias["tareas"]).sum() / propias["tareas"].sum()
            assert unidad.loc[codigo, "avance_fisico_anual"] == pytest.approx(avance, rel=1e-12)
        else:
            assert math.isnan(unidad.loc[codigo, "avance_fisico_anual"])
        todas = esperado[esperado["codigo_unidad"] == codigo]["evaluacion"]
        assert unidad.loc[codigo, "operaciones_cumple"] == (todas == m.CUMPLE).sum()
        assert unidad.loc[codigo, "operaciones_no_cumple"] == (todas == m.NO_CUMPLE).sum()
        assert unidad.loc[codigo, "operaciones_no_aplica"] == (todas == m.NO_APLICA).sum()


def test_unidad_sin_operaciones_ni_presupuesto(tablas):
    u = tablas["unidad"].set_index("codigo_unidad").loc["VC-TAC"]
    assert math.isnan(u["avance_fisico_anual"])
    conteos = ["operaciones_cumple", "operaciones_no_cumple", "operaciones_no_aplica"]
    assert u[conteos].tolist() == [0, 0, 0]
    assert u["vigente"] == 0
    assert u["devengado_anual"] == 0
    assert math.isnan(u["ejecucion_anual"])


def test_montos_de_cada_unidad_suman_sus_lineas(datos, tablas):
    p = datos.presupuesto.assign(dev=devengado_anual(datos.presupuesto))
    unidad = tablas["unidad"].set_index("codigo_unidad")
    for codigo in datos.unidades["codigo_unidad"]:
        lineas = p[p["codigo_unidad"] == codigo]
        vig, dev = lineas["vigente"].sum(), lineas["dev"].sum()
        assert unidad.loc[codigo, "vigente"] == pytest.approx(vig, abs=1e-9)
        assert unidad.loc[codigo, "devengado_anual"] == pytest.approx(dev, abs=1e-9)
        if vig > 0:
            assert unidad.loc[codigo, "ejecucion_anual"] == pytest.approx(dev / vig * 100)
        else:
            assert math.isnan(unidad.loc[codigo, "ejecucion_anual"])


# ---------------------------------------------------------------------------------------
# Áreas y ACP
# ---------------------------------------------------------------------------------------

def test_area_tiene_servicios_y_total(datos, tablas):
    area = tablas["area"]
    areas = list(pd.unique(datos.unidades["area"]))
    servicios = list(pd.unique(datos.unidades["servicio"]))
    assert area["area"].tolist() == [*areas, *servicios, "TOTAL"]
    total = area.set_index("area").loc["TOTAL"]
    esperado = esperado_operaciones(datos)["evaluacion"]
    assert total["operaciones_cumple"] == (esperado == m.CUMPLE).sum()
    assert total["operaciones_no_cumple"] == (esperado == m.NO_CUMPLE).sum()
    assert total["operaciones_no_aplica"] == (esperado == m.NO_APLICA).sum()
    cuerpo = area[area["nivel"] == "area"]
    for col in ("operaciones_cumple", "operaciones_no_cumple", "operaciones_no_aplica"):
        assert cuerpo[col].sum() == total[col]


def test_porcentajes_de_montos_sumados(datos, tablas):
    """La ejecución de un grupo es devengado sumado / vigente sumado, no la media de las
    ejecuciones de sus líneas."""
    p = datos.presupuesto.assign(dev=devengado_anual(datos.presupuesto))
    area = tablas["area"].set_index("area")
    acp = tablas["acp"].set_index("codigo_acp")
    esperado_total = p["dev"].sum() / p["vigente"].sum() * 100
    assert area.loc["TOTAL", "ejecucion_anual"] == pytest.approx(esperado_total, rel=1e-12)
    assert acp.loc["TOTAL", "ejecucion_anual"] == pytest.approx(esperado_total, rel=1e-12)
    for codigo, lineas in p.groupby("codigo_acp"):
        assert acp.loc[codigo, "ejecucion_anual"] == pytest.approx(
            lineas["dev"].sum() / lineas["vigente"].sum() * 100, rel=1e-12)


@pytest.mark.parametrize("agregacion", ["promedio_unidades", "tareas"])
def test_eficacia_anual_es_la_suma_de_las_trimestrales(datos, agregacion):
    reglas = Metodologia(participacion="trimestral_igual", agregacion=agregacion)
    anual = tablas_anuales(datos, reglas, GESTION)
    por_trimestre = [calcular_tablas(datos, t, reglas) for t in (1, 2, 3, 4)]
    for nombre, clave in (("area", "area"), ("acp", "codigo_acp")):
        suma = sum(t[nombre].set_index(clave)["eficacia_trimestre"].fillna(0.0)
                   for t in por_trimestre)
        obtenida = anual[nombre].set_index(clave)["eficacia_anual"]
        np.testing.assert_allclose(obtenida, suma.reindex(obtenida.index), rtol=1e-12)


# ---------------------------------------------------------------------------------------
# Ejecución presupuestaria
# ---------------------------------------------------------------------------------------

def test_categoria_linea_a_linea_y_total(datos, tablas):
    p = datos.presupuesto
    dev = devengado_anual(p)
    cat = tablas["categoria"]
    cuerpo, total = cat.iloc[:-1], cat.iloc[-1]
    assert total["categoria_programatica"] == "TOTAL"
    assert cuerpo["categoria_programatica"].tolist() == p["categoria_programatica"].tolist()
    np.testing.assert_allclose(cuerpo["devengado_anual"], dev, rtol=0, atol=1e-9)
    np.testing.assert_allclose(cuerpo["saldo"], p["vigente"] - dev, rtol=0, atol=1e-9)
    assert total["vigente"] == pytest.approx(p["vigente"].sum(), abs=1e-9)
    assert total["devengado_anual"] == pytest.approx(dev.sum(), abs=1e-9)
    assert total["ejecucion_anual"] == pytest.approx(dev.sum() / p["vigente"].sum() * 100)
    assert total["saldo"] == pytest.approx(p["vigente"].sum() - dev.sum(), abs=1e-9)


def test_linea_con_vigente_cero_sin_ejecucion(tablas):
    cat = tablas["categoria"].set_index("categoria_programatica")
    linea = cat.loc["580 0 001"]
    assert linea["vigente"] == 0
    assert linea["devengado_anual"] > 0
    assert math.isnan(linea["ejecucion_anual"])
    assert linea["saldo"] == -linea["devengado_anual"]
    for nombre in ("categoria", "fuente", "unidad", "area", "acp"):
        numeros = tablas[nombre].select_dtypes("number").to_numpy(dtype=float)
        assert not np.isinf(numeros).any(), nombre


def test_categoria_anual_suma_los_cuatro_trimestres(datos, tablas):
    """El devengado anual de cada línea es la suma de los devengados del trimestre
    (`devengado_trimestre`) de los cuatro informes trimestrales."""
    claves = ["categoria_programatica", "fuente"]
    suma = sum(
        calcular_tablas(datos, t, REGLAS)["categoria"].set_index(claves)["devengado_trimestre"]
        for t in (1, 2, 3, 4)
    )
    anual = tablas["categoria"].set_index(claves)["devengado_anual"]
    np.testing.assert_allclose(anual, suma.reindex(anual.index), rtol=0, atol=1e-6)


def test_fuente_suma_sus_lineas(datos, tablas):
    p = datos.presupuesto.assign(dev=devengado_anual(datos.presupuesto))
    fuente = tablas["fuente"].set_index("fuente")
    for nombre, lineas in p.groupby("fuente"):
        assert fuente.loc[nombre, "vigente"] == pytest.approx(lineas["vigente"].sum())
        assert fuente.loc[nombre, "devengado_anual"] == pytest.approx(lineas["dev"].sum())
    assert fuente.index[-1] == "TOTAL"
    assert fuente.loc["TOTAL", "devengado_anual"] == pytest.approx(p["dev"].sum())
    assert fuente.iloc[:-1]["vigente"].sum() == pytest.approx(fuente.loc["TOTAL", "vigente"])


# ---------------------------------------------------------------------------------------
# Evolución trimestral
# ---------------------------------------------------------------------------------------

def test_trimestral_es_el_informe_de_cada_trimestre(datos, tablas):
    trim = tablas["trimestral"].set_index(["area", "trimestre"])
    for t in (1, 2, 3, 4):
        area = calcular_tablas(datos, t, REGLAS)["area"].set_index("area")
        for col, origen in (("avance_fisico", "avance_fisico_trimestre"),
                            ("eficacia", "eficacia_trimestre"),
                            ("ejecucion", "ejecucion_trimestre")):
            obtenido = trim.xs(t, level="trimestre")[col]
            np.testing.assert_allclose(obtenido, area[origen].reindex(obtenido.index), rtol=1e-12)
    assert set(trim.index.get_level_values("area")) == {
        *datos.unidades["area"], *datos.unidades["servicio"], "TOTAL"}


def test_trimestral_devengado_suma_el_anual(datos, tablas):
    trim = tablas["trimestral"]
    total = trim[trim["area"] == "TOTAL"]
    assert total["trimestre"].tolist() == [1, 2, 3, 4]
    assert total["devengado"].sum() == pytest.approx(devengado_anual(datos.presupuesto).sum())


# ---------------------------------------------------------------------------------------
# Estadísticas e ingresos
# ---------------------------------------------------------------------------------------

def test_estadisticas_en_formato_ancho(datos, tablas):
    est = datos.estadisticas
    tabla = tablas["estadisticas"]
    assert list(tabla.columns) == COLUMNAS_ESTADISTICAS
    claves = ["codigo_unidad", "indicador", "desagregacion"]
    detalle = tabla[tabla["nivel"] == "detalle"].set_index(claves)
    for (u, ind, des), filas in est.groupby(claves):
        fila = detalle.loc[(u, ind, des)]
        assert fila["total"] == pytest.approx(filas["valor"].sum())
        for mes in m.MESES:
            del_mes = filas[filas["mes"] == mes]["valor"]
            if len(del_mes):
                assert fila[f"mes_{mes:02d}"] == pytest.approx(del_mes.sum())
            else:
                assert math.isnan(fila[f"mes_{mes:02d}"])
    totales = tabla[tabla["nivel"] == "total_indicador"].set_index("indicador")
    assert (totales["codigo_unidad"] == "TOTAL").all()
    for ind, filas in est.groupby("indicador"):
        assert totales.loc[ind, "total"] == pytest.approx(filas["valor"].sum())
    assert detalle["total"].sum() == pytest.approx(est["valor"].sum())


def test_ingresos_por_rubro_con_devolucion(datos, tablas):
    ing = datos.ingresos
    rec = sum(ing[f"rec_{mes:02d}"] for mes in m.MESES)
    tabla = tablas["ingresos"]
    assert list(tabla.columns) == COLUMNAS_INGRESOS
    cuerpo, total = tabla.iloc[:-1], tabla.iloc[-1]
    np.testing.assert_allclose(cuerpo["recaudado_anual"], rec, rtol=0, atol=1e-9)
    np.testing.assert_allclose(cuerpo["ejecucion"], rec / ing["vigente"] * 100, rtol=1e-12)
    np.testing.assert_allclose(cuerpo["saldo"], ing["vigente"] - rec, rtol=0, atol=1e-9)
    assert total["rubro"] == "TOTAL"
    assert total["recaudado_anual"] == pytest.approx(rec.sum())
    assert total["ejecucion"] == pytest.approx(rec.sum() / ing["vigente"].sum() * 100)


def test_sin_hojas_opcionales_tablas_vacias_con_columnas(tmp_path):
    t = fabrica.tablas_pequenas()
    del t["estadisticas"], t["ingresos"]
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "sin_opcionales.xlsx", t))
    tablas = tablas_anuales(datos, REGLAS, GESTION)
    assert tablas["estadisticas"].empty
    assert list(tablas["estadisticas"].columns) == COLUMNAS_ESTADISTICAS
    assert tablas["ingresos"].empty
    assert list(tablas["ingresos"].columns) == COLUMNAS_INGRESOS


def _sin_reporte_esperado(datos, hasta_mes: int = 12) -> dict[str, list[int]]:
    """Cada operación con meta en un mes hasta el corte y sin dato de ejecución en él, con
    esos meses, desde las filas de entrada."""
    faltan = {}
    for _, op in datos.operaciones.iterrows():
        meses = [mes for mes in m.MESES if mes <= hasta_mes
                 and float(op[m.col_prog(mes)]) > 0 and pd.isna(op[m.col_ejec(mes)])]
        if meses:
            faltan[op["codigo_operacion"]] = meses
    return faltan


def test_las_alertas_del_anio_dicen_los_meses_sin_reporte(datos, tablas):
    """La rendición lleva la tabla de alertas del informe trimestral, sobre todo el año: cada
    operación con un mes sin reporte, con sus meses; y las mismas que el trimestral del T4
    en lo que no depende del periodo (meses sin reporte, devengado negativo)."""
    from helpers.calculo.tablas import ALERTA_DEVENGADO_NEGATIVO, ALERTA_SIN_REPORTE
    from helpers.comun.calendario import enumerar_meses

    esperado = _sin_reporte_esperado(datos)
    assert esperado, "el libro de prueba debe tener un mes sin reporte"
    alertas = tablas["alertas"]
    sin_reporte = alertas[alertas["tipo"] == ALERTA_SIN_REPORTE].set_index("codigo")
    assert sorted(sin_reporte.index) == sorted(esperado)
    for codigo, meses in esperado.items():
        assert sin_reporte.loc[codigo, "detalle"] == f"sin reporte en {enumerar_meses(meses)}"
    t4 = calcular_tablas(datos, 4, REGLAS)["alertas"]
    for tipo in (ALERTA_SIN_REPORTE, ALERTA_DEVENGADO_NEGATIVO):
        pd.testing.assert_frame_equal(alertas[alertas["tipo"] == tipo].reset_index(drop=True),
                                      t4[t4["tipo"] == tipo].reset_index(drop=True))


def test_sin_gestion_no_hay_tendencia(datos):
    assert "tendencia" not in tablas_anuales(datos, REGLAS, None)


# ---------------------------------------------------------------------------------------
# La muestra: todo concilia al centavo con las hojas de entrada
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def muestra():
    datos = cargar_datos(MUESTRA)
    return datos, tablas_anuales(datos, REGLAS, GESTION)


def _centavos(valor) -> float:
    return round(float(valor), 2)


def test_muestra_concilia_con_la_entrada(muestra):
    datos, tablas = muestra
    # Las filas que cuentan son las del POA en vigor al cierre de diciembre (sin las
    # operaciones dadas de baja: `calculo.versiones`).
    datos = version_al_corte(datos, 12)
    assert len(datos.operaciones) < len(datos.libro.operaciones)
    p, ops, ing = datos.presupuesto, datos.operaciones, datos.ingresos
    vigente = p["vigente"].sum()
    devengado = devengado_anual(p).sum()
    recaudado = sum(ing[f"rec_{mes:02d}"].sum() for mes in m.MESES)

    for nombre, total in (("categoria", lambda t: t["categoria_programatica"] == "TOTAL"),
                          ("fuente", lambda t: t["fuente"] == "TOTAL"),
                          ("area", lambda t: t["area"] == "TOTAL"),
                          ("acp", lambda t: t["codigo_acp"] == "TOTAL")):
        t = tablas[nombre]
        fila = t[total(t)].iloc[0]
        cuerpo = t[~total(t)]
        if nombre == "area":
            cuerpo = cuerpo[cuerpo["nivel"] == "area"]
        for columna, esperado in (("vigente", vigente), ("devengado_anual", devengado)):
            assert _centavos(fila[columna]) == _centavos(esperado), (nombre, columna)
            assert _centavos(cuerpo[columna].sum()) == _centavos(esperado), (nombre, columna)
    unidad = tablas["unidad"]
    assert _centavos(unidad["vigente"].sum()) == _centavos(vigente)
    assert _centavos(unidad["devengado_anual"].sum()) == _centavos(devengado)

    ingresos = tablas["ingresos"]
    fila = ingresos[ingresos["rubro"] == "TOTAL"].iloc[0]
    assert _centavos(fila["recaudado_anual"]) == _centavos(recaudado)
    assert _centavos(fila["vigente"]) == _centavos(ing["vigente"].sum())
    assert _centavos(ingresos.iloc[:-1]["recaudado_anual"].sum()) == _centavos(recaudado)

    operacion = tablas["operacion"]
    assert len(operacion) == len(ops)
    prog = sum(ops[m.col_prog(mes)].sum() for mes in m.MESES)
    ejec = sum(ops[m.col_ejec(mes)].fillna(0).sum() for mes in m.MESES)
    assert operacion["prog_anual"].sum() == pytest.approx(prog, abs=1e-9)
    assert operacion["ejec_anual"].sum() == pytest.approx(ejec, abs=1e-9)

    est = tablas["estadisticas"]
    detalle = est[est["nivel"] == "detalle"]
    assert detalle["total"].sum() == pytest.approx(datos.estadisticas["valor"].sum())
    assert detalle[[f"mes_{mes:02d}" for mes in m.MESES]].sum().sum() == pytest.approx(
        datos.estadisticas["valor"].sum())


def test_muestra_trimestres_suman_el_anual(muestra):
    datos, tablas = muestra
    trim = tablas["trimestral"]
    area = tablas["area"].set_index("area")
    for nombre, filas in trim.groupby("area"):
        assert _centavos(filas["devengado"].sum()) == _centavos(area.loc[nombre, "devengado_anual"])
        eficacia = area.loc[nombre, "eficacia_anual"]
        assert filas["eficacia"].sum(min_count=1) == pytest.approx(eficacia)


# ---------------------------------------------------------------------------------------
# De punta a punta: el ejecutor genera la rendición de cuentas del libro de prueba
# ---------------------------------------------------------------------------------------

def _ejecutar(params, *opciones):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "helpers.informe", *opciones, str(params)],
                          cwd=RAIZ, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def rendicion(tmp_path_factory):
    """La rendición de cuentas del libro de prueba, generada por el ejecutor."""
    base = tmp_path_factory.mktemp("rendicion")
    libro = fabrica.escribir_libro(base / "datos" / "poa_rendicion.xlsx", tablas_rendicion())
    params = fabrica.escribir_params(base / "anual.yaml", libro, informe="anual", trimestre=None,
                                     salida=str(base / "salida"))
    resultado = _ejecutar(params, "--tipo", "anual")
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", cargar_datos(libro), resultado


def test_rendicion_deja_todo_lo_que_promete(rendicion):
    from helpers.entrada import tipos

    salida, datos, resultado = rendicion
    for nombre in ("informe.html", "informe-auditoria.html", "informe.pdf", "anexo.xlsx",
                   "manifiesto.json"):
        assert (salida / nombre).stat().st_size > 0, nombre
    anual = tipos.tipo("anual")
    # Las de este libro: sin historia del POA, sin la sección de la versión evaluada.
    parametros = cargar_parametros(salida.parent / "anual.yaml")
    secciones = anual.secciones_para(parametros, datos)
    ejecutados = sorted(p.name for p in (salida / "notebooks").glob("*.ipynb"))
    assert ejecutados == sorted(s.archivo for s in [anual.memoria, *secciones])
    for seccion in anual.secciones:
        assert (seccion.titulo in resultado.stdout) == (seccion in secciones)
    # La tabla objetivos, sólo con la hoja vinculos (el avance por objetivo de la rendición).
    from helpers.calculo.contenido import tiene_vinculos_propios

    esperadas = [t for t in anual.tablas.orden
                 if t != "objetivos" or tiene_vinculos_propios(datos)]
    assert sorted(p.stem for p in (salida / "tablas").glob("*.csv")) == sorted(esperadas)
    html = (salida / "informe.html").read_text(encoding="utf-8")
    assert anual.titulo in html


def test_rendicion_evalua_cada_operacion_en_el_csv(rendicion):
    """Las reglas del §5.3 de punta a punta: sobre su meta, NO APLICA con su justificación,
    sin meta anual y en el umbral, tal como quedan en tablas/operacion.csv."""
    salida, datos, _ = rendicion
    esperado = esperado_operaciones(datos)
    op = pd.read_csv(salida / "tablas" / "operacion.csv", dtype={"codigo_operacion": str},
                     keep_default_na=False, na_values=[""]).set_index("codigo_operacion")
    assert op["evaluacion"].tolist() == esperado["evaluacion"].tolist()
    np.testing.assert_allclose(op["cumplimiento_anual"], esperado["cumplimiento"], rtol=1e-12)
    sobre = esperado[(esperado["prog"] > 0) & (esperado["ejec"] > esperado["prog"])].index
    assert len(sobre) and (op.loc[sobre, "cumplimiento_sin_tope_anual"] > 100).all()
    marcadas = datos.operaciones.set_index("codigo_operacion")["no_aplica"].str.strip()
    for codigo, texto in marcadas[marcadas != ""].items():
        assert op.loc[codigo, "justificacion"] == texto
    sin_meta = esperado[esperado["prog"] == 0].index
    assert len(sin_meta) and (op.loc[sin_meta, "evaluacion"] == m.NO_APLICA).all()
    en_umbral = esperado[esperado["cumplimiento"].map(_redondeo_impreso) == REGLAS.umbral_cumple]
    assert len(en_umbral) and (op.loc[en_umbral.index, "evaluacion"] == m.CUMPLE).all()


def test_rendicion_unidad_sin_operaciones_y_vigente_cero(rendicion):
    salida, datos, _ = rendicion
    unidad = pd.read_csv(salida / "tablas" / "unidad.csv", keep_default_na=False,
                         na_values=[""]).set_index("codigo_unidad")
    sin_ops = set(datos.unidades["codigo_unidad"]) - set(datos.operaciones["codigo_unidad"])
    assert sin_ops
    for codigo in sin_ops:
        assert unidad.loc[codigo, "operaciones_cumple":"operaciones_no_aplica"].sum() == 0
        assert pd.isna(unidad.loc[codigo, "avance_fisico_anual"])
    categoria = pd.read_csv(salida / "tablas" / "categoria.csv", keep_default_na=False,
                            na_values=[""])
    cero = categoria[(categoria["vigente"] == 0)]
    assert len(cero) and cero["ejecucion_anual"].isna().all()


def test_rendicion_lleva_las_alertas_en_el_informe_y_en_el_resumen(rendicion):
    """Los meses sin reporte llegan a la rendición como al informe trimestral: en la sección
    «Alertas» (con la operación), en la portada y en el resumen final de la terminal."""
    from helpers.calculo.tablas import ALERTA_SIN_REPORTE, alertas_por_tipo
    from helpers.consola import resumen
    from helpers.entrada import tipos

    salida, datos, resultado = rendicion
    esperado = _sin_reporte_esperado(datos)
    assert esperado
    titulos = [s.titulo for s in tipos.tipo("anual").secciones]
    assert "Alertas" in titulos and "Alertas" in resultado.stdout
    html = (salida / "informe.html").read_text(encoding="utf-8")
    assert "Alertas principales" in html and ALERTA_SIN_REPORTE in html
    for codigo in esperado:
        assert codigo in html
    alertas = pd.read_csv(salida / "tablas" / "alertas.csv", keep_default_na=False)
    por_tipo = alertas_por_tipo(alertas)
    assert por_tipo[ALERTA_SIN_REPORTE] == len(esperado)
    texto = "\n".join(resumen(salida, 1.0))
    assert f"Alertas: {por_tipo.sum()} " in texto
    assert f"{ALERTA_SIN_REPORTE.lower()}: {len(esperado)}" in texto


def test_rendicion_concuerda_con_los_cuatro_trimestres(rendicion):
    """Cada categoría: devengado del año = suma de sus cuatro devengados trimestrales; cada
    área: eficacia del año = suma de sus cuatro eficacias trimestrales (participación
    trimestral igual), con las tablas del informe trimestral de cada corte."""
    salida, datos, _ = rendicion
    categoria = pd.read_csv(salida / "tablas" / "categoria.csv", keep_default_na=False,
                            na_values=[""])
    area = pd.read_csv(salida / "tablas" / "area.csv", keep_default_na=False, na_values=[""])
    trimestres = [calcular_tablas(datos, t, REGLAS) for t in (1, 2, 3, 4)]
    devengados = sum(t["categoria"]["devengado_trimestre"].to_numpy() for t in trimestres)
    np.testing.assert_allclose(categoria["devengado_anual"], devengados, rtol=1e-12)
    eficacias = sum(t["area"].set_index("area")["eficacia_trimestre"] for t in trimestres)
    np.testing.assert_allclose(area.set_index("area")["eficacia_anual"],
                               eficacias.reindex(area["area"]), rtol=1e-12)


@pytest.mark.lento
def test_rendicion_de_medio_anio_corta_en_junio(tmp_path):
    libro = fabrica.escribir_libro(tmp_path / "datos" / "poa_rendicion.xlsx", tablas_rendicion())
    params = fabrica.escribir_params(tmp_path / "junio.yaml", libro, informe="anual",
                                     trimestre=None, corte="junio", salida=str(tmp_path / "salida"))
    resultado = _ejecutar(params)
    assert resultado.returncode == 0, resultado.stderr
    salida = tmp_path / "salida"
    trimestral = pd.read_csv(salida / "tablas" / "trimestral.csv")
    assert sorted(trimestral["trimestre"].unique()) == [1, 2]
    datos = cargar_datos(libro)
    t2 = calcular_tablas(datos, 2, REGLAS)["categoria"]
    categoria = pd.read_csv(salida / "tablas" / "categoria.csv", keep_default_na=False,
                            na_values=[""])
    np.testing.assert_allclose(categoria["devengado_anual"], t2["devengado_acumulado"],
                               rtol=1e-12)
    assert "enero a junio" in (salida / "informe.html").read_text(encoding="utf-8")


def test_make_annual_con_parametros_trimestrales_es_error_de_parametros(tmp_path):
    libro = fabrica.escribir_libro(tmp_path / "datos" / "poa.xlsx", fabrica.tablas_pequenas())
    params = fabrica.escribir_params(tmp_path / "t2.yaml", libro, salida=str(tmp_path / "salida"))
    resultado = _ejecutar(params, "--tipo", "anual")
    assert resultado.returncode == 2
    assert "informe: anual" in resultado.stderr and "Traceback" not in resultado.stderr
    assert not (tmp_path / "salida").exists()


def test_portada_de_la_gestion_cuenta_las_evaluaciones_de_la_muestra():
    from helpers.preparacion import abrir
    from helpers.redaccion import resumen_gestion

    prep = abrir("params/2024-anual.yaml")
    conteo = resumen_gestion.conteo_evaluacion(prep).set_index("evaluacion")["operaciones"]
    por_operacion = prep.tablas["operacion"]["evaluacion"].value_counts()
    for evaluacion, n in conteo.items():
        assert n == por_operacion.get(evaluacion, 0)
    # Las operaciones del POA en vigor al corte (sin las dadas de baja).
    assert conteo.sum() == len(version_al_corte(prep.datos, 3 * prep.trimestre).operaciones)
    texto = resumen_gestion.resumen_ejecutivo_gestion(prep)
    assert f"De sus {conteo.sum()} operaciones" in texto
    assert prep.acumulado in texto
