"""Las fórmulas de methodology.md sobre datos pequeños, calculados a mano, y sus
invariantes con hypothesis."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.calculo import metodologia as m
from helpers.calculo.pasos import Calculo
from helpers.calculo.tablas import calcular_tablas
from helpers.entrada.parametros import Metodologia

REGLAS = Metodologia()


def operacion(codigo, unidad, acp, tareas=1, prog=None, ejec=None, no_aplica=""):
    """Una fila de la hoja operaciones; prog/ejec: {mes: valor} (ejec ausente = sin reporte)."""
    fila = {
        "codigo_operacion": codigo, "codigo_unidad": unidad, "codigo_acp": acp,
        "descripcion": f"Operación {codigo}", "indicador": "", "unidad_medida": "",
        "tareas": tareas, "medio_verificacion": "",
        "no_aplica": no_aplica,
    }
    for mes in m.MESES:
        fila[m.col_prog(mes)] = float((prog or {}).get(mes, 0.0))
        fila[m.col_ejec(mes)] = float((ejec or {}).get(mes, np.nan))
    return fila


def unidades_base():
    return pd.DataFrame(
        [
            {"codigo_unidad": "A1", "nombre": "Unidad A1", "area": "AREA_A", "servicio": "Central",
             "tipo": "Unidad"},
            {"codigo_unidad": "A2", "nombre": "Unidad A2", "area": "AREA_A", "servicio": "Central",
             "tipo": "Unidad"},
            {"codigo_unidad": "B1", "nombre": "Unidad B1", "area": "AREA_B", "servicio": "Central",
             "tipo": "Unidad"},
            {"codigo_unidad": "E1", "nombre": "Embajada E1", "area": "EXT", "servicio": "Exterior",
             "tipo": "Embajada"},
        ]
    )


def datos_de(operaciones, presupuesto=None, unidades=None):
    ops = pd.DataFrame(operaciones)
    pres = presupuesto if presupuesto is not None else pd.DataFrame(
        [linea("100", "A1", "1", 1000.0, {1: 100.0, 4: 200.0})]
    )
    return SimpleNamespace(
        unidades=unidades if unidades is not None else unidades_base(),
        acp=pd.DataFrame({"codigo_acp": ["1", "2"], "descripcion": ["ACP uno", "ACP dos"]}),
        operaciones=ops,
        presupuesto=pres,
        historico=pd.DataFrame(columns=["gestion", "area", "avance_fisico", "ejecucion"]),
        narrativa=pd.DataFrame(columns=["codigo_unidad", "trimestre", "tipo", "texto",
                                        "codigo_acp"]),
    )


def linea(categoria, unidad, acp, vigente, dev, fuente="10 TGN"):
    fila = {"categoria_programatica": categoria, "programa": f"Programa {categoria}",
            "codigo_unidad": unidad, "codigo_acp": acp, "fuente": fuente, "vigente": float(vigente)}
    for mes in m.MESES:
        fila[m.col_dev(mes)] = float(dev.get(mes, 0.0))
    return fila


# ---------------------------------------------------------------------------------------
# Cumplimiento de operaciones
# ---------------------------------------------------------------------------------------

def test_cumplimiento_con_tope_y_sin_tope():
    ops = pd.DataFrame([
        operacion("o1", "A1", "1", prog={1: 10, 2: 10}, ejec={1: 15, 2: 10, 3: 0}),
        operacion("o2", "A1", "1", prog={1: 4}, ejec={1: 1, 2: 0, 3: 0}),
    ])
    c = m.cumplimiento_operaciones(ops, [1, 2, 3])
    assert c["prog"].tolist() == [20, 4]
    assert c["ejec"].tolist() == [25, 1]
    assert c["cumplimiento"].tolist() == [100.0, 25.0]
    assert c["cumplimiento_sin_tope"].tolist() == [125.0, 25.0]
    sin = m.cumplimiento_operaciones(ops, [1, 2, 3], tope=False)
    assert sin["cumplimiento"].tolist() == [125.0, 25.0]


def test_no_programada_sin_programacion_no_aplica_y_sin_reporte():
    ops = pd.DataFrame([
        operacion("nada", "A1", "1", prog={7: 5}, ejec={1: 0, 2: 0, 3: 0}),
        operacion("extra", "A1", "1", prog={7: 5}, ejec={2: 3}),
        operacion("na", "A1", "1", prog={1: 5}, ejec={1: 5}, no_aplica="Norma derogada"),
        operacion("hueco", "A1", "1", prog={1: 2, 2: 2}, ejec={1: 2}),
    ])
    c = m.cumplimiento_operaciones(ops, [1, 2, 3])
    assert c["estado"].tolist() == [m.ESTADO_NO_PROGRAMADA, m.ESTADO_SIN_PROGRAMACION,
                                    m.ESTADO_NO_APLICA, m.ESTADO_PROGRAMADA]
    assert c["programada"].tolist() == [False, False, False, True]
    assert c["cumplimiento"].isna().tolist() == [True, True, True, False]
    # El mes 2 sin reporte cuenta como 0 logrado: 2 de 4.
    assert c.loc[3, "cumplimiento"] == 50.0
    assert c.loc[3, "meses_sin_reporte"] == "2"
    excl = m.cumplimiento_operaciones(ops, [1, 2, 3], sin_reporte="excluir")
    assert excl.loc[3, "estado"] == m.ESTADO_EXCLUIDA and not excl.loc[3, "programada"]


# ---------------------------------------------------------------------------------------
# Agregación
# ---------------------------------------------------------------------------------------

def ops_de_ejemplo():
    # A1: 100 % con 3 tareas y 50 % con 1 -> 87,5. A2: 60 %. B1: 80 %. E1: 40 %.
    # A1 también tiene una operación del ACP 2 con 100 %.
    return [
        operacion("a1", "A1", "1", tareas=3, prog={1: 10}, ejec={1: 10}),
        operacion("a2", "A1", "1", tareas=1, prog={1: 10}, ejec={1: 5}),
        operacion("a3", "A1", "2", tareas=2, prog={1: 1}, ejec={1: 1}),
        operacion("b1", "A2", "1", tareas=5, prog={1: 5}, ejec={1: 3}),
        operacion("c1", "B1", "2", tareas=1, prog={1: 5}, ejec={1: 4}),
        operacion("e1", "E1", "2", tareas=2, prog={1: 5}, ejec={1: 2}),
    ]


def test_promedio_de_unidades_en_cada_nivel():
    d = datos_de(ops_de_ejemplo())
    av = m.avance_fisico(d.operaciones, d.unidades, [1, 2, 3])
    a1 = (100 * 3 + 50 * 1 + 100 * 2) / 6
    assert av.unidad["A1"] == pytest.approx(a1)
    assert av.unidad["A2"] == pytest.approx(60.0)
    assert av.area["AREA_A"] == pytest.approx((a1 + 60) / 2)
    assert av.area["AREA_B"] == pytest.approx(80.0)
    central = ((a1 + 60) / 2 + 80) / 2
    assert av.servicio["Central"] == pytest.approx(central)
    assert av.servicio["Exterior"] == pytest.approx(40.0)
    assert av.entidad == pytest.approx((central + 40) / 2)
    # ACP 1: A1 con sus operaciones del ACP 1 (87,5) y A2 (60).
    assert av.acp["1"] == pytest.approx((87.5 + 60) / 2)
    # ACP 2: A1 (100), B1 (80), E1 (40).
    assert av.acp["2"] == pytest.approx((100 + 80 + 40) / 3)


def test_agregacion_por_tareas():
    d = datos_de(ops_de_ejemplo())
    av = m.avance_fisico(d.operaciones, d.unidades, [1, 2, 3], agregacion="tareas")
    assert av.area["AREA_A"] == pytest.approx((100 * 3 + 50 + 100 * 2 + 60 * 5) / 11)
    todas = (100 * 3 + 50 + 100 * 2 + 60 * 5 + 80 + 40 * 2) / 14
    assert av.entidad == pytest.approx(todas)
    assert av.acp["1"] == pytest.approx((100 * 3 + 50 + 60 * 5) / 9)


def test_grupo_sin_programa_no_tiene_valor_y_no_entra_en_promedios():
    ops = ops_de_ejemplo()
    ops.append(operacion("e2", "E1", "2", prog={7: 1}, ejec={1: 0}))
    ops = [o for o in ops if o["codigo_unidad"] != "B1"]
    d = datos_de(ops)
    av = m.avance_fisico(d.operaciones, d.unidades, [1, 2, 3])
    assert math.isnan(av.unidad["B1"]) and math.isnan(av.area["AREA_B"])
    assert av.servicio["Central"] == pytest.approx(av.area["AREA_A"])


# ---------------------------------------------------------------------------------------
# Eficacia
# ---------------------------------------------------------------------------------------

def test_eficacia_trimestral_y_acumulada_como_suma():
    ops = [
        operacion("x", "A1", "1", prog={1: 4, 4: 4}, ejec={1: 4, 2: 0, 3: 0, 4: 2, 5: 0, 6: 0}),
        operacion("y", "E1", "2", prog={4: 2}, ejec={4: 2}),
    ]
    d = datos_de(ops)
    ef = Calculo(d, 2, Metodologia()).eficacias
    assert ef[1].unidad["A1"] == pytest.approx(25.0)
    assert ef[2].unidad["A1"] == pytest.approx(12.5)
    acum = m.eficacia_acumulada(ef)
    assert acum.unidad["A1"] == pytest.approx(37.5)
    # E1 no tenía nada programado en T1: ese trimestre no aporta.
    assert math.isnan(ef[1].unidad["E1"])
    assert acum.unidad["E1"] == pytest.approx(25.0)


def test_eficacia_programada_segun_meta_del_trimestre():
    ops = [operacion("x", "A1", "1", prog={1: 1, 4: 3}, ejec={1: 1, 4: 3})]
    d = datos_de(ops)
    ef = Calculo(d, 4, Metodologia(participacion="programada")).eficacias
    assert ef[1].unidad["A1"] == pytest.approx(25.0)
    assert ef[2].unidad["A1"] == pytest.approx(75.0)
    assert m.eficacia_acumulada(ef).unidad["A1"] == pytest.approx(100.0)


# ---------------------------------------------------------------------------------------
# Finanzas, indicadores combinados, calificación
# ---------------------------------------------------------------------------------------

def test_ejecucion_de_un_grupo_se_calcula_con_montos_sumados():
    pres = pd.DataFrame([
        linea("1", "A1", "1", 1000, {4: 500}),
        linea("2", "A1", "1", 9000, {4: 0, 5: -100}),
        linea("3", "A2", "1", 0, {4: 10}),
    ])
    d = datos_de([operacion("x", "A1", "1", prog={4: 1}, ejec={4: 1})], presupuesto=pres)
    t = Calculo(d, 2, Metodologia()).paso_financiero()["unidad"]
    # No la media de 50 % y -1,1 %.
    assert t.loc["A1", "ejecucion_trimestre"] == pytest.approx(400 / 10000 * 100)
    assert math.isnan(t.loc["A2", "ejecucion_trimestre"])  # vigente 0: sin porcentaje


def test_eficiencia_y_brecha():
    assert m.eficiencia(41.24, 33.20) == pytest.approx(124.2168674)
    assert math.isnan(m.eficiencia(41.24, 0.0)) and math.isnan(m.eficiencia(10.0, -1.0))
    assert m.brecha(41.24, 33.20) == pytest.approx(8.04)


def impreso(x: float) -> Decimal:
    """Como se imprime (2 decimales, mitad hacia arriba), calculado con decimal."""
    return Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# (eficacia, ejecución) en precisión completa: el total de la muestra al T2 (43,18 y 33,20
# impresos) y casos en que redondear antes o después de operar da otra cifra.
OPERANDOS = [(43.184549, 33.198279), (12.344, 10.004), (25.555, 7.125), (99.994, 100.0),
             (0.005, 1.004)]


@pytest.mark.parametrize("eficacia, ejecucion", OPERANDOS)
def test_eficiencia_y_brecha_salen_de_los_operandos_impresos(eficacia, ejecucion):
    """§4: quien rehace la cuenta con las cifras impresas obtiene la cifra impresa."""
    f, e = impreso(eficacia), impreso(ejecucion)
    assert m.brecha(eficacia, ejecucion) == pytest.approx(float(f - e), abs=1e-12)
    assert impreso(m.brecha(eficacia, ejecucion)) == f - e
    assert m.eficiencia(eficacia, ejecucion) == pytest.approx(float(f / e * 100), rel=1e-12)
    assert impreso(m.eficiencia(eficacia, ejecucion)) == impreso(float(f / e * 100))


def test_la_cifra_del_total_no_es_la_de_precision_completa():
    eficacia, ejecucion = OPERANDOS[0]
    f, e = impreso(eficacia), impreso(ejecucion)
    # Con la precisión completa la brecha y la eficiencia impresas serían otras.
    assert impreso(eficacia - ejecucion) != f - e
    assert impreso(eficacia / ejecucion * 100) != impreso(float(f / e * 100))
    assert impreso(m.brecha(eficacia, ejecucion)) == f - e
    assert impreso(m.eficiencia(eficacia, ejecucion)) == impreso(float(f / e * 100))


@pytest.mark.parametrize("minima", [0.0, m.EFICIENCIA_EJECUCION_MINIMA, 5.0])
def test_eficiencia_no_significativa_bajo_la_ejecucion_minima(minima):
    """n.s. (NaN) si la ejecución impresa es menor que la mínima o no es mayor que 0; la
    frontera se mira en la cifra impresa (0,995 se imprime 1,00)."""
    ejecuciones = pd.Series([-3.0, 0.0, 0.004, 0.994, 0.995, 1.0, 4.994, 4.995, 33.2, np.nan])
    eficacias = pd.Series(20.0, index=ejecuciones.index)
    resultado = m.eficiencia(eficacias, ejecuciones, minima)
    significativa = m.eficiencia_significativa(ejecuciones, minima)
    for ejec, valor, es in zip(ejecuciones, resultado, significativa, strict=True):
        e = None if math.isnan(ejec) else impreso(ejec)
        esperado = e is not None and e > 0 and e >= Decimal(repr(minima))
        assert es == esperado, ejec
        assert math.isnan(valor) != esperado, ejec
        if esperado:
            assert valor == pytest.approx(float(impreso(20.0) / e * 100), rel=1e-12)
    # La brecha se da aunque la eficiencia no sea significativa.
    brechas = m.brecha(eficacias, ejecuciones)
    assert brechas.iloc[:-1].notna().all() and math.isnan(brechas.iloc[-1])


def test_escalares_series_y_arreglos_dan_lo_mismo():
    efic = [o[0] for o in OPERANDOS]
    ejec = [o[1] for o in OPERANDOS]
    serie = m.eficiencia(pd.Series(efic), pd.Series(ejec))
    arreglo = m.eficiencia(np.array(efic), np.array(ejec))
    uno_a_uno = [m.eficiencia(f, e) for f, e in OPERANDOS]
    assert isinstance(serie, pd.Series) and isinstance(uno_a_uno[0], float)
    np.testing.assert_allclose(serie.to_numpy(), arreglo, rtol=0, atol=0)
    np.testing.assert_allclose(arreglo, uno_a_uno, rtol=0, atol=0)
    np.testing.assert_allclose(m.brecha(pd.Series(efic), pd.Series(ejec)).to_numpy(),
                               [m.brecha(f, e) for f, e in OPERANDOS], rtol=0, atol=0)


@pytest.mark.parametrize("minima", [0.0, 25.0])
def test_los_niveles_usan_la_ejecucion_minima_de_los_parametros(minima):
    """calcular_tablas aplica a cada nivel la regla de §4 con la mínima de los parámetros."""
    tablas = calcular_tablas(datos_de(ops_de_ejemplo()), 2,
                             Metodologia(eficiencia_ejecucion_minima=minima))
    revisadas = 0
    for nombre in ("acp", "area", "unidad"):
        for _, fila in tablas[nombre].iterrows():
            for periodo in ("trimestre", "acumulada"):
                efic, ejec = fila[f"eficacia_{periodo}"], fila[f"ejecucion_{periodo}"]
                eficiencia, brecha = fila[f"eficiencia_{periodo}"], fila[f"brecha_{periodo}"]
                if pd.isna(efic) or pd.isna(ejec):
                    assert pd.isna(eficiencia) and pd.isna(brecha)
                    continue
                f, e = impreso(efic), impreso(ejec)
                assert brecha == pytest.approx(float(f - e), abs=1e-12)
                if e > 0 and e >= Decimal(repr(minima)):
                    assert eficiencia == pytest.approx(float(f / e * 100), rel=1e-12)
                else:
                    assert pd.isna(eficiencia)
                revisadas += 1
    assert revisadas > 0


@pytest.mark.parametrize(
    "valor, esperado",
    [
        (100.0, "Excelente"), (99.995, "Excelente"), (99.994, "Alto"), (70.0, "Alto"),
        (69.995, "Alto"), (69.99, "Medio"), (51.0, "Medio"), (50.994, "Bajo"), (9.0, "Bajo"),
        (8.995, "Bajo"), (8.99, "Muy bajo"), (0.005, "Muy bajo"), (0.004, "Nulo"), (0.0, "Nulo"),
        (130.0, "Excelente"),
    ],
)
def test_calificacion_sobre_el_valor_mostrado(valor, esperado):
    assert m.calificar(valor, REGLAS.escala_calificacion) == esperado


def test_calificacion_sin_valor():
    assert m.calificar(float("nan"), REGLAS.escala_calificacion) is None


@pytest.mark.parametrize(
    "trimestre, valor, color",
    [(1, 20.0, "verde"), (1, 19.994, "amarillo"), (1, 9.995, "amarillo"), (1, 9.99, "rojo"),
     (2, 43.0, "verde"), (2, 33.0, "amarillo"), (3, 47.99, "rojo"), (4, 85.0, "verde"),
     (4, 64.99, "rojo")],
)
def test_semaforo_financiero(trimestre, valor, color):
    assert m.semaforo(valor, trimestre, REGLAS.semaforo_financiero) == color


def test_evaluacion_anual():
    cumpl = pd.Series([50.0, 49.994, np.nan, 80.0])
    estado = pd.Series([m.ESTADO_PROGRAMADA, m.ESTADO_PROGRAMADA, m.ESTADO_NO_PROGRAMADA,
                        m.ESTADO_NO_APLICA])
    r = m.evaluacion_anual(cumpl, estado, 50)
    assert r.tolist() == [m.CUMPLE, m.NO_CUMPLE, m.NO_APLICA, m.NO_APLICA]


def test_conteo_no_cruza_una_columna_adicional_de_operaciones():
    """Hallado por el fuzzing (test_fuzz.py): una columna adicional «servicio» en la hoja
    operaciones chocaba con la de unidades al contar por servicio (KeyError: 'servicio')."""
    con_extra = pd.DataFrame(ops_de_ejemplo()).assign(servicio="Otro", area="Otra")
    conteo = calcular_tablas(datos_de(con_extra), 2, REGLAS)["conteo"]
    esperado = calcular_tablas(datos_de(ops_de_ejemplo()), 2, REGLAS)["conteo"]
    pd.testing.assert_frame_equal(conteo, esperado)
    operaciones = conteo.set_index("concepto").loc["Operaciones", ["Central", "Exterior"]]
    assert operaciones.tolist() == [5, 1]


# ---------------------------------------------------------------------------------------
# Invariantes
# ---------------------------------------------------------------------------------------

UNIDADES = ["A1", "A2", "B1", "E1"]


@st.composite
def operaciones_aleatorias(draw):
    n = draw(st.integers(1, 12))
    filas = []
    for i in range(n):
        prog = {mes: draw(st.integers(0, 20)) for mes in range(1, 7)}
        ejec = {mes: draw(st.one_of(st.none(), st.integers(0, 30))) for mes in range(1, 7)}
        filas.append(operacion(
            f"o{i}", draw(st.sampled_from(UNIDADES)), draw(st.sampled_from(["1", "2"])),
            tareas=draw(st.integers(1, 40)), prog=prog,
            ejec={k: v for k, v in ejec.items() if v is not None},
            no_aplica=draw(st.sampled_from(["", "", "", "justificación"])),
        ))
    return filas


@settings(max_examples=60, deadline=None)
@given(operaciones_aleatorias(), st.sampled_from(["promedio_unidades", "tareas"]), st.randoms())
def test_invariantes_del_avance(filas, agregacion, azar):
    d = datos_de(filas)
    meses = [1, 2, 3, 4, 5, 6]
    c = m.cumplimiento_operaciones(d.operaciones, meses)
    validos = c["cumplimiento"].dropna()
    assert ((validos >= 0) & (validos <= 100)).all()
    assert (c["cumplimiento_sin_tope"].dropna() >= validos - 1e-9).all()
    av = m.avance_fisico(d.operaciones, d.unidades, meses, agregacion=agregacion)
    for serie in (av.unidad, av.area, av.servicio, av.acp):
        s = serie.dropna()
        assert ((s >= -1e-9) & (s <= 100 + 1e-9)).all()
    if not validos.empty:
        assert validos.min() - 1e-9 <= av.entidad <= validos.max() + 1e-9
    # El orden de las filas no cambia ningún resultado.
    revueltas = list(filas)
    azar.shuffle(revueltas)
    av2 = m.avance_fisico(datos_de(revueltas).operaciones, d.unidades, meses, agregacion=agregacion)
    pd.testing.assert_series_equal(av.unidad, av2.unidad, check_exact=False, rtol=1e-12)
    pd.testing.assert_series_equal(av.area, av2.area, check_exact=False, rtol=1e-12)
    pd.testing.assert_series_equal(av.acp.sort_index(), av2.acp.sort_index(), check_exact=False,
                                   rtol=1e-12)
    assert av.entidad == pytest.approx(av2.entidad, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(operaciones_aleatorias(), st.sampled_from(["promedio_unidades", "tareas"]))
def test_agregar_varios_da_lo_de_agregar_cada_uno(filas, agregacion):
    """Varios valores agregados a la vez (el contexto de las operaciones compartido) dan,
    cada uno, exactamente lo que da agregarlo solo."""
    d = datos_de(filas)
    valores = {mes: m.cumplimiento_operaciones(d.operaciones, [mes])["cumplimiento"]
               for mes in range(1, 7)}
    valores["eficacia"] = m.eficacia_programada_operaciones(d.operaciones, [4, 5, 6])
    juntos = m.agregar_varios(valores, d.operaciones, d.unidades, agregacion)
    assert list(juntos) == list(valores)
    for clave, serie in valores.items():
        solo = m.agregar(serie.copy(), d.operaciones.copy(), d.unidades.copy(), agregacion)
        for nivel in ("unidad", "area", "servicio", "acp"):
            pd.testing.assert_series_equal(juntos[clave].nivel(nivel), solo.nivel(nivel),
                                           check_exact=True, obj=f"{clave} {nivel}")
        assert juntos[clave].entidad == pytest.approx(solo.entidad, rel=0, abs=0, nan_ok=True)


def test_una_regla_de_agregacion_desconocida_se_rechaza_aun_sin_valores():
    d = datos_de(ops_de_ejemplo())
    with pytest.raises(ValueError, match="regla de agregación desconocida"):
        m.agregar_varios({}, d.operaciones, d.unidades, "mediana")


montos = st.decimals(min_value=-50000, max_value=500000, places=2, allow_nan=False,
                     allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(UNIDADES), st.sampled_from(["1", "2"]),
                          st.decimals(min_value=0, max_value=10**7, places=2),
                          st.lists(montos, min_size=12, max_size=12)), min_size=1, max_size=10),
       st.integers(1, 4))
def test_los_montos_concilian_al_centavo(lineas, trimestre):
    pres = pd.DataFrame([
        linea(f"{i:03d}", u, a, float(v), {mes: float(x) for mes, x in enumerate(dev, start=1)})
        for i, (u, a, v, dev) in enumerate(lineas)
    ])
    d = datos_de(ops_de_ejemplo(), presupuesto=pres)
    tablas = calcular_tablas(d, trimestre, REGLAS)
    hasta = 3 * trimestre
    vigente = sum(v for _, _, v, _ in lineas)
    acumulado = sum(sum(dev[:hasta]) for _, _, _, dev in lineas)
    trim = sum(sum(dev[hasta - 3:hasta]) for _, _, _, dev in lineas)
    for nombre, clave in (("acp", "codigo_acp"), ("area", "area"),
                          ("categoria", "categoria_programatica")):
        t = tablas[nombre]
        total = t[t[clave] == "TOTAL"].iloc[0]
        assert round(total["vigente"], 2) == float(vigente)
        assert round(total["devengado_acumulado"], 2) == float(acumulado)
        assert round(total["devengado_trimestre"], 2) == float(trim)
    filas_acp = tablas["acp"][tablas["acp"]["codigo_acp"] != "TOTAL"]
    assert round(filas_acp["devengado_acumulado"].sum(), 2) == float(acumulado)
    filas_area = tablas["area"][tablas["area"]["nivel"] == "area"]
    assert round(filas_area["vigente"].sum(), 2) == float(vigente)
    assert round(tablas["unidad"]["devengado_acumulado"].sum(), 2) == float(acumulado)


ORDEN_CALIFICACION = [m.campo_tramo(t, "calificacion") for t in REGLAS.escala_calificacion]


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 200, allow_nan=False), st.floats(0, 200, allow_nan=False))
def test_calificacion_monotona_y_segun_lo_mostrado(a, b):
    from helpers.comun.numeros import redondear

    bajo, alto = sorted((a, b))
    rango = ORDEN_CALIFICACION.index
    escala = REGLAS.escala_calificacion
    # Un valor mayor nunca recibe una calificación peor (la escala va de mejor a peor).
    assert rango(m.calificar(alto, escala)) <= rango(m.calificar(bajo, escala))
    # La calificación es la del valor tal como se muestra.
    assert m.calificar(a, escala) == m.calificar(redondear(a, 2), escala)


@settings(max_examples=100, deadline=None)
@given(st.floats(-50, 150, allow_nan=False), st.integers(1, 4))
def test_semaforo_monotono(valor, trimestre):
    orden = ["rojo", "amarillo", "verde"]
    umbrales = REGLAS.semaforo_financiero
    assert orden.index(m.semaforo(valor + 1, trimestre, umbrales)) >= orden.index(
        m.semaforo(valor, trimestre, umbrales))
