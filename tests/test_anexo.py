"""El anexo Excel: hojas, formatos, fórmulas vivas y sus valores evaluados."""
from __future__ import annotations

import math
import re
import zipfile
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import formulas
import numpy as np
import openpyxl
import pandas as pd
import pytest
from formulas.tokens.operand import Empty
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers.salida.anexo_formatos as anexo_formatos
from helpers.calculo.metodologia import EFICIENCIA_EJECUCION_MINIMA
from helpers.comun.numeros import redondear
from helpers.salida.anexo import escribir_anexo
from helpers.salida.anexo_formatos import (
    FORMATO_CODIGO,
    FORMATO_ENTERO,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
    Estilos,
    celda_xml,
    columna_xml,
    texto_mostrado,
    valor_celda,
)

RAIZ = Path(__file__).resolve().parents[1]
REFERENCIA_ACP = RAIZ / "data" / "referencia" / "mre-2024-acp.csv"
FECHA = datetime(2024, 7, 15, 18, 30, tzinfo=UTC)


# --- tablas de ejemplo ------------------------------------------------------------------

def impreso(serie: pd.Series) -> pd.Series:
    """Como se imprime: a 2 decimales, a mitad lejos de cero."""
    return serie.map(lambda v: redondear(v, 2))


def eficiencia_impresa(eficacia: pd.Series, ejecucion: pd.Series,
                       minima: float = EFICIENCIA_EJECUCION_MINIMA) -> pd.Series:
    """§4: sobre los operandos impresos; vacía si la ejecución impresa no es mayor que 0 o
    es menor que la mínima."""
    f, e = impreso(eficacia), impreso(ejecucion)
    return (f / e.where(e > 0) * 100).where(e >= minima)


def brecha_impresa(eficacia: pd.Series, ejecucion: pd.Series) -> pd.Series:
    return impreso(eficacia) - impreso(ejecucion)


def tabla_acp() -> pd.DataFrame:
    """La tabla por ACP del informe MRE 2024 T2, con los porcentajes en precisión completa."""
    ref = pd.read_csv(REFERENCIA_ACP, dtype={"acp": str})
    df = pd.DataFrame({
        "acp": ref["acp"],
        "vigente": ref["vigente_bs"],
        "devengado_trimestre": ref["dev_q2_bs"],
        "devengado_acumulado": ref["dev_s1_bs"],
    })
    df["ejecucion_trimestre"] = df["devengado_trimestre"] / df["vigente"] * 100
    df["ejecucion_acumulada"] = df["devengado_acumulado"] / df["vigente"] * 100
    df["saldo"] = df["vigente"] - df["devengado_acumulado"]
    df["avance_fisico_trimestre"] = ref["avance_q2_pct"]
    df["avance_fisico_acumulado"] = ref["avance_s1_pct"]
    df["eficacia_trimestre"] = df["avance_fisico_trimestre"] * 25 / 100
    df["eficacia_acumulada"] = ref["efic_pond_s1_pct"]  # suma de trimestres: valor
    df["eficiencia_trimestre"] = eficiencia_impresa(df["eficacia_trimestre"],
                                                    df["ejecucion_trimestre"])
    df["eficiencia_acumulada"] = eficiencia_impresa(df["eficacia_acumulada"],
                                                    df["ejecucion_acumulada"])
    df["brecha_trimestre"] = brecha_impresa(df["eficacia_trimestre"], df["ejecucion_trimestre"])
    df["brecha_acumulada"] = brecha_impresa(df["eficacia_acumulada"], df["ejecucion_acumulada"])
    df["calificacion_trimestre"] = np.where(df["avance_fisico_trimestre"] >= 70, "Alto", "Medio")
    df["semaforo"] = np.where(df["ejecucion_acumulada"] >= 43, "verde", "rojo")
    # Una ACP sin presupuesto: la ejecución y la eficiencia no están definidas.
    fila = {c: np.nan for c in df.columns}
    fila.update({
        "acp": "8", "vigente": 0.0, "devengado_trimestre": 0.0, "devengado_acumulado": 0.0,
        "saldo": 0.0, "avance_fisico_trimestre": 50.0, "eficacia_trimestre": 12.5,
        "eficacia_acumulada": 30.0, "calificacion_trimestre": "Bajo", "semaforo": None,
    })
    total = df.iloc[[-1]]
    return pd.concat([df.iloc[:-1], pd.DataFrame([fila]), total], ignore_index=True)


def tabla_area() -> pd.DataFrame:
    df = pd.DataFrame({
        "area": ["ADM_CENTRAL", "VRE", "Central", "SERV_EXTERIOR", "Exterior", "TOTAL"],
        "nivel": ["area", "area", "servicio", "area", "servicio", "entidad"],
        "vigente": [75815008.53, 1913172.76, 77728181.29, 235927760.0, 235927760.0, 313655941.29],
        "devengado_trimestre": [15128872.35, 530814.10, 15659686.45, 36753838.90, 36753838.90,
                                52413525.35],
        "devengado_acumulado": [24897286.99, 674570.23, 25571857.22, -1250.75, -1250.75,
                                25570606.47],
        "avance_fisico_trimestre": [92.16, 92.75, 92.455, 78.36, 78.36, 85.4075],
    })
    df["ejecucion_trimestre"] = df["devengado_trimestre"] / df["vigente"] * 100
    df["ejecucion_acumulada"] = df["devengado_acumulado"] / df["vigente"] * 100
    df["saldo"] = df["vigente"] - df["devengado_acumulado"]
    df["eficacia_trimestre"] = df["avance_fisico_trimestre"] * 0.25
    df["eficacia_acumulada"] = df["eficacia_trimestre"] + 21.0
    # Ejecución acumulada negativa (reversiones): eficiencia no definida.
    df["eficiencia_acumulada"] = eficiencia_impresa(df["eficacia_acumulada"],
                                                    df["ejecucion_acumulada"])
    assert df["eficiencia_acumulada"].isna().any() and df["eficiencia_acumulada"].notna().any()
    return df


def tabla_operacion(tope: bool = True) -> pd.DataFrame:
    df = pd.DataFrame({
        "codigo_operacion": ["OP-1", "OP-2", "OP-3", "OP-4", "OP-5"],
        "codigo_unidad": ["DGRM", "DGRM", "DGCEP", "DGCEP", "VRE-DM"],
        "tareas": [1, 3, 2, 1, 1],
        "prog_trimestre": [4.0, 10.0, 0.0, 5.0, 3.0],
        "ejec_trimestre": [3.0, 15.0, 2.0, 0.0, 1.5],
        "prog_acumulado": [8.0, 20.0, 0.0, 9.0, 6.0],
        "ejec_acumulado": [6.0, 25.0, 2.0, 4.0, 4.5],
        "no_aplica": [None, None, None, "Suspendida por norma", None],
        "medio_verificacion": ["Informe 12/2024", "=HOJA!A1 (texto, no fórmula)", "", "", "Acta"],
    })
    cap = (lambda r: np.minimum(r, 1)) if tope else (lambda r: r)
    prog_t = df["prog_trimestre"].where(df["prog_trimestre"] > 0)
    prog_a = df["prog_acumulado"].where(df["prog_acumulado"] > 0)
    df["cumplimiento_trimestre"] = cap(df["ejec_trimestre"] / prog_t) * 100
    df["cumplimiento_acumulado"] = cap(df["ejec_acumulado"] / prog_a) * 100
    df["cumplimiento_sin_tope_acumulado"] = df["ejec_acumulado"] / prog_a * 100
    aplica = df["no_aplica"].isna()
    for c in ("cumplimiento_trimestre", "cumplimiento_acumulado",
              "cumplimiento_sin_tope_acumulado"):
        df.loc[~aplica, c] = np.nan
    df["calificacion_acumulada"] = ["Alto", "Excelente", None, None, "Alto"]
    return df


def tabla_mensual() -> pd.DataFrame:
    df = pd.DataFrame({
        "mes": [1, 2, 3, 4, 5, 6],
        "vigente": [355202151.0] * 6,
        "devengado": [17000000.0, 18000000.5, 20996857.4, 19000000.0, 21000000.0, 21924145.57],
    })
    df["ejecucion"] = df["devengado"] / df["vigente"] * 100
    return df


def tablas() -> dict[str, pd.DataFrame]:
    return {
        "acp": tabla_acp(),
        "area": tabla_area(),
        "operacion": tabla_operacion(),
        "mensual": tabla_mensual(),
    }


# --- ayudas -----------------------------------------------------------------------------

def evaluar(ruta: Path) -> dict[tuple[str, str], object]:
    """Evalúa el libro con el paquete `formulas`: (hoja en minúsculas, celda) -> valor."""
    modelo = formulas.ExcelModel().loads(str(ruta)).finish()
    solucion = modelo.calculate()
    valores = {}
    patron = re.compile(r"^'\[(?P<libro>[^\]]+)\](?P<hoja>.+)'!(?P<celda>[A-Z]+[0-9]+)$")
    for clave, rango in solucion.items():
        m = patron.match(clave)
        if not m:
            continue
        valor = np.asarray(rango.value).ravel()[0]
        if isinstance(valor, Empty):
            valor = None
        valores[(m["hoja"].lower(), m["celda"])] = valor
    return valores


def columnas(ws) -> dict[str, str]:
    """Nombre de columna -> letra."""
    return {c.value: c.column_letter for c in ws[1]}


def es_formula(celda) -> bool:
    return celda.data_type == "f" and isinstance(celda.value, str) and celda.value.startswith("=")


@pytest.fixture(scope="module")
def anexo(tmp_path_factory) -> Path:
    ruta = tmp_path_factory.mktemp("anexo") / "anexo.xlsx"
    return escribir_anexo(tablas(), ruta, fecha=FECHA)


@pytest.fixture(scope="module")
def libro(anexo):
    return openpyxl.load_workbook(anexo)


@pytest.fixture(scope="module")
def evaluado(anexo):
    return evaluar(anexo)


# --- estructura -------------------------------------------------------------------------

def test_hojas_en_orden_con_leeme_primero(libro):
    assert libro.sheetnames == ["leeme", "acp", "area", "operacion", "mensual"]
    assert libro.active.title == "leeme"


def test_encabezado_negrita_congelado_y_filtro(libro):
    datos = tablas()
    for nombre, df in datos.items():
        ws = libro[nombre]
        assert [c.value for c in ws[1]] == list(df.columns)
        assert all(c.font.bold for c in ws[1])
        assert ws.freeze_panes == "B2"
        ultima = openpyxl.utils.get_column_letter(len(df.columns))
        assert ws.auto_filter.ref == f"A1:{ultima}{len(df) + 1}"
        assert ws.max_row == len(df) + 1


def test_anchos_ajustados_y_acotados(libro):
    ws = libro["operacion"]
    for dim in ws.column_dimensions.values():
        assert 8 <= dim.width <= 60
    c = columnas(ws)
    # la columna de texto largo es más ancha que la del código
    assert ws.column_dimensions[c["medio_verificacion"]].width > \
        ws.column_dimensions[c["tareas"]].width
    assert ws.column_dimensions[columnas(libro["acp"])["vigente"]].width >= len("355,202,151.00")


def test_formatos_de_numero(libro):
    ws = libro["acp"]
    c = columnas(ws)
    for fila in range(2, ws.max_row + 1):
        assert ws[f"{c['vigente']}{fila}"].number_format == FORMATO_MONTO
        assert ws[f"{c['devengado_acumulado']}{fila}"].number_format == FORMATO_MONTO
        assert ws[f"{c['saldo']}{fila}"].number_format == FORMATO_MONTO
        for col in ("ejecucion_trimestre", "ejecucion_acumulada", "eficacia_trimestre",
                    "eficacia_acumulada", "avance_fisico_acumulado", "eficiencia_acumulada",
                    "brecha_acumulada"):
            assert ws[f"{c[col]}{fila}"].number_format == FORMATO_PORCENTAJE, (col, fila)
    ws = libro["operacion"]
    c = columnas(ws)
    assert ws[f"{c['tareas']}2"].number_format == FORMATO_ENTERO
    assert ws[f"{c['prog_trimestre']}2"].number_format == FORMATO_ENTERO
    assert ws[f"{c['ejec_trimestre']}6"].number_format == "#,##0.00"  # 1,5
    assert ws[f"{c['cumplimiento_acumulado']}2"].number_format == FORMATO_PORCENTAJE
    ws = libro["mensual"]
    assert ws["A2"].number_format == "0"  # mes: sin separador de miles


def test_filas_total_y_subtotales_en_negrita_con_montos_como_valores(libro):
    ws = libro["area"]
    c = columnas(ws)
    for fila in range(2, ws.max_row + 1):
        nombre = ws[f"A{fila}"].value
        negrita = ws[f"A{fila}"].font.bold
        nivel = ws[f"{c['nivel']}{fila}"].value
        assert negrita == (nivel in ("servicio", "entidad")) == (nombre in (
            "Central", "Exterior", "TOTAL"))
        for col in ("vigente", "devengado_trimestre", "devengado_acumulado"):
            assert isinstance(ws[f"{c[col]}{fila}"].value, (int, float))
        assert es_formula(ws[f"{c['ejecucion_trimestre']}{fila}"])


# --- fórmulas ---------------------------------------------------------------------------

def test_formulas_de_la_tabla_acp(libro):
    ws = libro["acp"]
    c = columnas(ws)
    v, dt, da = c["vigente"], c["devengado_trimestre"], c["devengado_acumulado"]
    assert ws[f"{c['ejecucion_trimestre']}2"].value == f'=IF({v}2>0,{dt}2/{v}2*100,"")'
    assert ws[f"{c['ejecucion_acumulada']}2"].value == f'=IF({v}2>0,{da}2/{v}2*100,"")'
    assert ws[f"{c['saldo']}2"].value == f"={v}2-{da}2"
    assert ws[f"{c['eficacia_trimestre']}2"].value == f"={c['avance_fisico_trimestre']}2*25/100"
    ef, ej = c["eficacia_acumulada"], c["ejecucion_acumulada"]
    assert ws[f"{c['eficiencia_acumulada']}2"].value == (
        f'=IF(AND(ROUND(N({ej}2),2)>0,ROUND(N({ej}2),2)>={EFICIENCIA_EJECUCION_MINIMA:g}),'
        f'ROUND({ef}2,2)/ROUND({ej}2,2)*100,"")')
    assert ws[f"{c['brecha_acumulada']}2"].value == f"=ROUND({ef}2,2)-ROUND({ej}2,2)"
    # valores que no se deducen de la fila
    for col in ("avance_fisico_trimestre", "avance_fisico_acumulado", "eficacia_acumulada",
                "calificacion_trimestre", "semaforo", "vigente"):
        for fila in range(2, ws.max_row + 1):
            assert not es_formula(ws[f"{c[col]}{fila}"]), (col, fila)


def test_acp_sin_presupuesto_deja_vacios_sin_formula(libro):
    ws = libro["acp"]
    c = columnas(ws)
    fila = next(f for f in range(2, ws.max_row + 1) if ws[f"A{f}"].value == "8")
    for col in ("ejecucion_trimestre", "ejecucion_acumulada", "eficiencia_trimestre",
                "eficiencia_acumulada", "brecha_trimestre", "brecha_acumulada", "semaforo"):
        assert ws[f"{c[col]}{fila}"].value is None, col
    # el saldo y la eficacia del trimestre sí están definidos
    assert es_formula(ws[f"{c['saldo']}{fila}"])
    assert es_formula(ws[f"{c['eficacia_trimestre']}{fila}"])


def test_cumplimiento_con_tope_y_vacio_en_no_aplica_y_sin_programa(libro):
    ws = libro["operacion"]
    c = columnas(ws)
    p, e = c["prog_acumulado"], c["ejec_acumulado"]
    assert ws[f"{c['cumplimiento_acumulado']}2"].value == f'=IF({p}2>0,MIN({e}2/{p}2,1)*100,"")'
    assert ws[f"{c['cumplimiento_sin_tope_acumulado']}2"].value == \
        f'=IF({p}2>0,{e}2/{p}2*100,"")'
    pt, et = c["prog_trimestre"], c["ejec_trimestre"]
    assert ws[f"{c['cumplimiento_trimestre']}3"].value == \
        f'=IF({pt}3>0,MIN({et}3/{pt}3,1)*100,"")'
    # OP-3 sin programa (fila 4) y OP-4 NO APLICA (fila 5): vacías, sin fórmula
    for fila in (4, 5):
        for col in ("cumplimiento_trimestre", "cumplimiento_acumulado",
                    "cumplimiento_sin_tope_acumulado"):
            assert ws[f"{c[col]}{fila}"].value is None, (col, fila)


def test_cumplimiento_sin_tope_cuando_el_parametro_lo_quita(tmp_path):
    ruta = escribir_anexo({"operacion": tabla_operacion(tope=False)}, tmp_path / "a.xlsx",
                          tope_cumplimiento=False, fecha=FECHA)
    ws = openpyxl.load_workbook(ruta)["operacion"]
    c = columnas(ws)
    p, e = c["prog_acumulado"], c["ejec_acumulado"]
    assert ws[f"{c['cumplimiento_acumulado']}3"].value == f'=IF({p}3>0,{e}3/{p}3*100,"")'
    assert "MIN" not in str(ws[f"{c['cumplimiento_trimestre']}3"].value)
    assert evaluar(ruta)[("operacion", f"{c['cumplimiento_acumulado']}3")] == pytest.approx(125.0)


def test_eficacia_queda_como_valor_con_participacion_programada(tmp_path):
    df = tabla_acp()
    df["eficacia_trimestre"] = [20.0 + i for i in range(len(df))]  # otra regla de participación
    df["eficiencia_trimestre"] = eficiencia_impresa(df["eficacia_trimestre"],
                                                    df["ejecucion_trimestre"])
    df["brecha_trimestre"] = brecha_impresa(df["eficacia_trimestre"], df["ejecucion_trimestre"])
    ruta = escribir_anexo({"acp": df}, tmp_path / "a.xlsx", participacion_trimestral=None,
                          fecha=FECHA)
    ws = openpyxl.load_workbook(ruta)["acp"]
    c = columnas(ws)
    assert ws[f"{c['eficacia_trimestre']}2"].value == 20.0
    assert ws[f"{c['eficacia_trimestre']}2"].number_format == FORMATO_PORCENTAJE
    assert es_formula(ws[f"{c['ejecucion_trimestre']}2"])


def test_participacion_no_entera_en_la_formula(tmp_path):
    df = pd.DataFrame({"unidad": ["A"], "avance_fisico_trimestre": [80.0]})
    df["eficacia_trimestre"] = df["avance_fisico_trimestre"] * 12.5 / 100
    ruta = escribir_anexo({"unidad": df}, tmp_path / "a.xlsx", participacion_trimestral=12.5,
                          fecha=FECHA)
    ws = openpyxl.load_workbook(ruta)["unidad"]
    assert ws["C2"].value == "=B2*12.5/100"
    assert evaluar(ruta)[("unidad", "C2")] == pytest.approx(10.0, abs=1e-12)


@pytest.mark.parametrize("por_tanda", [None, 2])
def test_formula_que_no_coincide_con_la_tabla_es_un_error(tmp_path, monkeypatch, por_tanda):
    if por_tanda is not None:  # la fila 4 es la primera de la segunda tanda
        monkeypatch.setattr(anexo_formatos, "FILAS_POR_TANDA", por_tanda)
    df = tabla_mensual()
    df.loc[2, "ejecucion"] = 99.0
    with pytest.raises(ValueError, match=r"hoja mensual, fila 4, columna ejecucion: la tabla "
                                         r"dice 99\.0 pero"):
        escribir_anexo({"mensual": df}, tmp_path / "a.xlsx", fecha=FECHA)
    assert not (tmp_path / "a.xlsx").exists()
    assert list(tmp_path.iterdir()) == []  # tampoco quedan temporales


def test_formula_vacia_pero_tabla_con_numero_es_un_error(tmp_path):
    df = pd.DataFrame({"acp": ["1"], "vigente": [0.0], "devengado": [5.0], "ejecucion": [0.0]})
    with pytest.raises(ValueError, match="columna ejecucion"):
        escribir_anexo({"acp": df}, tmp_path / "a.xlsx", fecha=FECHA)


# --- valores evaluados ------------------------------------------------------------------

COLUMNAS_FORMULA = (
    "ejecucion_trimestre", "ejecucion_acumulada", "ejecucion", "saldo", "eficacia_trimestre",
    "eficiencia_trimestre", "eficiencia_acumulada", "brecha_trimestre", "brecha_acumulada",
    "cumplimiento_trimestre", "cumplimiento_acumulado", "cumplimiento_sin_tope_acumulado",
)


def test_formulas_evaluadas_igualan_a_la_tabla(libro, evaluado):
    revisadas = 0
    for nombre, df in tablas().items():
        ws = libro[nombre]
        c = columnas(ws)
        for col in COLUMNAS_FORMULA:
            if col not in c:
                continue
            for i, esperado in enumerate(df[col].tolist()):
                celda = f"{c[col]}{i + 2}"
                if pd.isna(esperado):
                    assert ws[celda].value is None, (nombre, celda)
                    continue
                assert es_formula(ws[celda]), (nombre, celda)
                obtenido = evaluado[(nombre, celda)]
                assert isinstance(obtenido, float), (nombre, celda, obtenido)
                assert math.isclose(obtenido, esperado, rel_tol=1e-9, abs_tol=1e-9), \
                    (nombre, celda, obtenido, esperado)
                revisadas += 1
    assert revisadas >= 100


def test_formulas_del_total_mre_redondean_a_la_referencia(libro, evaluado):
    """La fila TOTAL del informe MRE 2024 T2: 17,43 % en el trimestre, 33,20 % en el semestre."""
    ws = libro["acp"]
    c = columnas(ws)
    fila = ws.max_row
    assert ws[f"A{fila}"].value == "TOTAL"
    assert round(evaluado[("acp", f"{c['ejecucion_trimestre']}{fila}")], 2) == 17.43
    assert round(evaluado[("acp", f"{c['ejecucion_acumulada']}{fila}")], 2) == 33.20
    assert round(evaluado[("acp", f"{c['eficiencia_acumulada']}{fila}")], 1) == 124.2


def test_formula_con_vigente_cero_da_vacio_si_el_auditor_cambia_el_monto(tmp_path):
    """La guarda IF(...>0) de las fórmulas: con vigente 0 la celda queda vacía, no #DIV/0!."""
    df = tabla_mensual()
    ruta = escribir_anexo({"mensual": df}, tmp_path / "a.xlsx", fecha=FECHA)
    wb = openpyxl.load_workbook(ruta)
    wb["mensual"]["B2"] = 0
    wb.save(tmp_path / "b.xlsx")
    assert evaluar(tmp_path / "b.xlsx")[("mensual", "D2")] == ""


def _impreso_decimal(x: float) -> Decimal:
    """El valor a 2 decimales, a mitad hacia arriba, con decimal (sin helpers.comun.numeros)."""
    return Decimal(repr(float(x))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize("minima", [EFICIENCIA_EJECUCION_MINIMA, 2.5])
def test_eficiencia_y_brecha_evaluadas_sobre_lo_impreso(tmp_path, minima):
    """§4: las fórmulas usan ROUND(...; 2) de la eficacia y la ejecución, y la eficiencia
    queda vacía (n.s.) si la ejecución impresa es menor que la mínima; si el auditor baja
    el devengado por debajo de la mínima, la celda se vacía."""
    df = pd.DataFrame({
        "unidad": ["A", "B", "C"],
        "vigente": [1000.0, 1000.0, 1000.0],
        "devengado_acumulado": [331.98279, 9.94, 24.0],
        "eficacia_acumulada": [43.184549, 20.0, 30.004],
    })
    df["ejecucion_acumulada"] = df["devengado_acumulado"] / df["vigente"] * 100
    df["eficiencia_acumulada"] = eficiencia_impresa(df["eficacia_acumulada"],
                                                    df["ejecucion_acumulada"], minima)
    df["brecha_acumulada"] = brecha_impresa(df["eficacia_acumulada"], df["ejecucion_acumulada"])
    ruta = escribir_anexo({"unidad": df}, tmp_path / "a.xlsx", fecha=FECHA,
                          eficiencia_ejecucion_minima=minima)
    ws = openpyxl.load_workbook(ruta)["unidad"]
    c = columnas(ws)
    valores = evaluar(ruta)
    for i, fila in df.iterrows():
        f = _impreso_decimal(fila["eficacia_acumulada"])
        e = _impreso_decimal(fila["ejecucion_acumulada"])
        brecha = valores[("unidad", f"{c['brecha_acumulada']}{i + 2}")]
        assert math.isclose(brecha, float(f - e), rel_tol=1e-12, abs_tol=1e-12)
        celda = f"{c['eficiencia_acumulada']}{i + 2}"
        if e < Decimal(repr(minima)):
            assert ws[celda].value is None  # n.s.: vacía, como en la tabla
        else:
            assert math.isclose(valores[("unidad", celda)], float(f / e * 100), rel_tol=1e-12)
    # La fila A muestra la diferencia con la precisión completa (9,98 y no 9,99).
    a = df.iloc[0]
    assert _impreso_decimal(a["eficacia_acumulada"] - a["ejecucion_acumulada"]) != \
        _impreso_decimal(a["eficacia_acumulada"]) - _impreso_decimal(a["ejecucion_acumulada"])
    # El umbral está en la fórmula; con un devengado menor, la eficiencia se vacía.
    assert f">={minima:g})" in ws[f"{c['eficiencia_acumulada']}2"].value
    wb = openpyxl.load_workbook(ruta)
    wb["unidad"][f"{c['devengado_acumulado']}2"] = 5.0  # ejecución 0,50 %
    wb.save(tmp_path / "b.xlsx")
    assert evaluar(tmp_path / "b.xlsx")[("unidad", f"{c['eficiencia_acumulada']}2")] == ""


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(*(st.integers(lo, 10**12).map(lambda x: x / 100)  # montos al centavo
                    for lo in (0, -10**8, 0))),
        min_size=1, max_size=4,
    )
)
def test_propiedad_ejecucion_y_saldo_evaluados(tmp_path_factory, filas):
    df = pd.DataFrame(filas, columns=["vigente", "devengado_trimestre", "devengado_acumulado"])
    df.insert(0, "unidad", [f"U{i}" for i in range(len(df))])
    vig = df["vigente"].where(df["vigente"] > 0)
    df["ejecucion_trimestre"] = df["devengado_trimestre"] / vig * 100
    df["ejecucion_acumulada"] = df["devengado_acumulado"] / vig * 100
    df["saldo"] = df["vigente"] - df["devengado_acumulado"]
    ruta = escribir_anexo({"unidad": df}, tmp_path_factory.mktemp("p") / "a.xlsx", fecha=FECHA)
    valores = evaluar(ruta)
    for i, fila in df.iterrows():
        for letra, col in (("E", "ejecucion_trimestre"), ("F", "ejecucion_acumulada"),
                           ("G", "saldo")):
            esperado = fila[col]
            obtenido = valores.get(("unidad", f"{letra}{i + 2}"))
            if pd.isna(esperado):
                assert obtenido is None
            else:
                assert math.isclose(obtenido, esperado, rel_tol=1e-9, abs_tol=1e-9)


# --- contenido, leeme y reproducibilidad -------------------------------------------------

def test_texto_que_empieza_con_igual_no_es_formula(libro):
    ws = libro["operacion"]
    c = columnas(ws)
    celda = ws[f"{c['medio_verificacion']}3"]
    assert celda.value == "=HOJA!A1 (texto, no fórmula)"
    assert celda.data_type == "s"


def test_nan_y_none_son_celdas_vacias(libro):
    ws = libro["operacion"]
    c = columnas(ws)
    assert ws[f"{c['no_aplica']}2"].value is None
    assert ws[f"{c['no_aplica']}5"].value == "Suspendida por norma"
    assert ws[f"{c['calificacion_acumulada']}4"].value is None


def test_leeme_explica_formulas_bs_y_escala(libro):
    ws = libro["leeme"]
    texto = "\n".join(str(c.value) for fila in ws.iter_rows() for c in fila if c.value)
    assert "bolivianos (Bs)" in texto
    assert "0-100" in texto
    filas = [tuple(c.value for c in fila) for fila in ws.iter_rows()]
    listadas = {(h, col) for h, col, *_ in filas if h in ("acp", "area", "operacion", "mensual")}
    assert ("acp", "ejecucion_trimestre") in listadas
    assert ("acp", "saldo") in listadas
    assert ("operacion", "cumplimiento_acumulado") in listadas
    assert ("mensual", "ejecucion") in listadas
    assert ("acp", "avance_fisico_trimestre") not in listadas
    assert ("acp", "eficacia_acumulada") not in listadas


def test_misma_fecha_mismo_archivo(tmp_path):
    a = escribir_anexo(tablas(), tmp_path / "a.xlsx", fecha=FECHA)
    b = escribir_anexo(tablas(), tmp_path / "b" / "anexo.xlsx", fecha=FECHA)
    assert a.read_bytes() == b.read_bytes()
    props = openpyxl.load_workbook(a).properties
    assert props.created == datetime(2024, 7, 15, 18, 30)
    assert props.modified == datetime(2024, 7, 15, 18, 30)
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(2024, 7, 15, 18, 30, 0)}


def test_nombres_de_hoja_invalidos(tmp_path):
    df = tabla_mensual()
    with pytest.raises(ValueError, match="reservada"):
        escribir_anexo({"leeme": df}, tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="nombre de hoja"):
        escribir_anexo({"a/b": df}, tmp_path / "a.xlsx")
    with pytest.raises(ValueError, match="nombre de hoja"):
        escribir_anexo({"x" * 32: df}, tmp_path / "a.xlsx")


def test_valor_infinito_es_un_error(tmp_path):
    df = pd.DataFrame({"unidad": ["A"], "avance_fisico_trimestre": [math.inf]})
    with pytest.raises(ValueError, match="no finito"):
        escribir_anexo({"unidad": df}, tmp_path / "a.xlsx")


def contenido(ruta: Path) -> dict:
    """Lo que un usuario ve del libro: hoja -> cada celda (valor, tipo, formato, negrita,
    comilla), anchos de columna, filtro y dimensión. Sin los números de los estilos, que
    dependen del orden en que se pidieron."""
    libro = openpyxl.load_workbook(ruta)
    return {
        ws.title: (
            [[(c.value, c.data_type, c.number_format, c.font.b, c.quotePrefix) for c in fila]
             for fila in ws.iter_rows()],
            {k: d.width for k, d in ws.column_dimensions.items()},
            ws.auto_filter.ref,
            ws.calculate_dimension(),
        )
        for ws in libro.worksheets
    }


def test_de_a_tandas_da_el_mismo_libro(tmp_path, monkeypatch):
    """Las filas se convierten de a tandas (memoria acotada en una entidad grande): con
    tandas de 2 filas, el libro es el mismo, con tablas y cadena."""
    normal = [escribir_anexo(tablas(), tmp_path / "a.xlsx", fecha=FECHA),
              cadena(tmp_path / "ca")[0]]
    por_tanda = 2
    assert max(len(df) for df in tablas().values()) > 2 * por_tanda  # más de dos tandas
    monkeypatch.setattr(anexo_formatos, "FILAS_POR_TANDA", por_tanda)
    de_a_dos = [escribir_anexo(tablas(), tmp_path / "b.xlsx", fecha=FECHA),
                cadena(tmp_path / "cb")[0]]
    for a, b in zip(normal, de_a_dos, strict=True):
        assert contenido(a) == contenido(b)


def test_tabla_vacia_deja_solo_el_encabezado(tmp_path):
    df = tabla_mensual().iloc[0:0]
    ruta = escribir_anexo({"mensual": df}, tmp_path / "a.xlsx", fecha=FECHA)
    ws = openpyxl.load_workbook(ruta)["mensual"]
    assert ws.max_row == 1
    assert ws.auto_filter.ref == "A1:D1"


def test_sin_fecha_usa_la_hora_actual_y_fecha_antigua_no_rompe_el_zip(tmp_path):
    antes = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    ruta = escribir_anexo({"mensual": tabla_mensual()}, tmp_path / "a.xlsx")
    assert openpyxl.load_workbook(ruta).properties.created >= antes
    ruta = escribir_anexo({"mensual": tabla_mensual()}, tmp_path / "b.xlsx",
                          fecha=datetime(1970, 1, 1))
    with zipfile.ZipFile(ruta) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_sin_columna_nivel_solo_total_es_subtotal(tmp_path):
    """Un nombre de grupo de áreas no es subtotal por sí mismo (una columna servicio repite
    los nombres de los grupos): sin columna `nivel`, sólo TOTAL va en negrita."""
    df = pd.DataFrame({"servicio": ["Central", "Central", "Exterior", "TOTAL"],
                       "unidad": ["DGRM", "DGCEP", "EMB-AR", None],
                       "avance_fisico_trimestre": [90.0, 80.0, 70.0, 80.0]})
    ws = openpyxl.load_workbook(escribir_anexo({"unidad": df}, tmp_path / "a.xlsx"))["unidad"]
    assert [bool(ws[f"A{f}"].font.bold) for f in range(2, 6)] == [False, False, False, True]


# --- la cadena de cálculo (hojas con fórmulas sobre las filas del libro) -------------------
# Los valores de estas fórmulas, recalculadas en LibreOffice, se comparan con las tablas en
# tests/test_anexo_recalculo.py.

FUNCIONES_PERMITIDAS = {
    # Funciones de Excel 2007 que LibreOffice también tiene: ninguna necesita `_xlfn.`.
    "IF", "AND", "OR", "SUM", "SUMPRODUCT", "EXACT", "ISNUMBER", "ISBLANK", "MIN", "ROUND",
    "COUNT", "AVERAGE", "N",
}

def libro_con_codigos_hostiles(carpeta: Path) -> Path:
    import fabrica

    return fabrica.escribir_libro_codigos_hostiles(carpeta / "hostil.xlsx")


def cadena(tmp_path: Path, ruta_libro: Path | None = None, trimestre: int = 2, **reglas):
    """Escribe el anexo completo (tablas y cadena) de un libro; devuelve (ruta, tablas)."""
    import fabrica

    from helpers.calculo.tablas import calcular_tablas
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import Metodologia

    if ruta_libro is None:
        ruta_libro = fabrica.escribir_libro_pequeno(tmp_path / "libro")
    datos = cargar_datos(ruta_libro)
    metodologia = Metodologia(**reglas)
    datos_tablas = calcular_tablas(datos, trimestre, metodologia)
    ruta = escribir_anexo(datos_tablas, tmp_path / "anexo.xlsx", datos=datos,
                          trimestre=trimestre, metodologia=metodologia, fecha=FECHA)
    return ruta, datos_tablas


def formulas_de(libro) -> dict[tuple[str, str], list[str]]:
    """(hoja, encabezado) -> fórmulas de la columna."""
    resultado: dict[tuple[str, str], list[str]] = {}
    for ws in libro.worksheets[1:]:
        encabezado = [c.value for c in ws[1]]
        for fila in ws.iter_rows(min_row=2):
            for celda, col in zip(fila, encabezado, strict=True):
                if es_formula(celda):
                    resultado.setdefault((ws.title, col), []).append(celda.value)
    return resultado


@pytest.fixture(scope="module")
def con_cadena(tmp_path_factory):
    """El anexo completo del libro pequeño al T2 con las reglas por omisión: (libro, tablas)."""
    ruta, datos_tablas = cadena(tmp_path_factory.mktemp("cadena"))
    return openpyxl.load_workbook(ruta), datos_tablas


def test_cadena_hojas_en_orden_despues_de_las_tablas(con_cadena, tmp_path):
    libro, datos_tablas = con_cadena
    assert libro.sheetnames == ["leeme", *datos_tablas, "parametros", "operaciones",
                                "presupuesto", "unidades", "acp_unidad", "acps", "areas",
                                "servicios", "entidad"]
    ruta, _ = cadena(tmp_path, agregacion="tareas")
    assert "acp_unidad" not in openpyxl.load_workbook(ruta).sheetnames  # sólo para promedios


def test_cadena_operaciones_con_metas_mensuales_y_periodos(con_cadena):
    ws = con_cadena[0]["operaciones"]
    c = columnas(ws)
    assert ws.max_row == 9  # 8 operaciones
    for mes in ("ene", "jun", "dic"):
        assert f"Programado {mes}" in c and f"Ejecutado {mes}" in c
    fila = next(n for n in range(2, 10) if ws[f"A{n}"].value == "OP-03")
    assert ws[f"{c['Ejecutado may']}{fila}"].value is None  # sin reporte: celda en blanco
    assert ws[f"{c['Programado may']}{fila}"].value == 2
    pa, ea = c["Programado acumulado (ene-jun)"], c["Ejecutado acumulado (ene-jun)"]
    assert ws[f"{pa}{fila}"].value == \
        f"=SUM({c['Programado ene']}{fila}:{c['Programado jun']}{fila})"
    en = c["En el promedio acumulado (1 = sí)"]
    assert ws[f"{c['Cumplimiento acumulado (%)']}{fila}"].value == \
        f'=IF({en}{fila}=1,MIN({ea}{fila}/{pa}{fila},1)*100,"")'
    for e in ("T1", "T2", "acumulado"):  # cada trimestre hasta el corte y el acumulado
        assert f"Cumplimiento {e} (%)" in c and f"Cumplimiento × tareas {e}" in c
    assert "Cumplimiento T3 (%)" not in c
    # NO APLICA: su justificación está en la fila y la fórmula la mira.
    fila = next(n for n in range(2, 10) if ws[f"A{n}"].value == "OP-05")
    assert ws[f"{c['No aplica (justificación)']}{fila}"].value.startswith("Evento suspendido")
    assert f'$F{fila}=""' in ws[f"{c['En el promedio T2 (1 = sí)']}{fila}"].value


def test_cadena_reglas_dan_forma_a_las_formulas(tmp_path):
    ruta, _ = cadena(tmp_path, tope_cumplimiento=False, sin_reporte="excluir",
                     participacion="programada", agregacion="tareas")
    libro = openpyxl.load_workbook(ruta)
    ws = libro["operaciones"]
    c = columnas(ws)
    assert "MIN(" not in ws[f"{c['Cumplimiento T2 (%)']}2"].value  # sin tope
    assert f"{c['Meses sin reporte T2']}2=0" in ws[f"{c['En el promedio T2 (1 = sí)']}2"].value
    for e in ("T1", "T2"):  # participación programada: la eficacia de cada operación
        assert f"Parte de la meta anual {e}" in c and f"Eficacia {e} (%)" in c
    # tareas: el área es una media ponderada de sus operaciones (a través de sus unidades)
    wa = libro["areas"]
    ca = columnas(wa)
    assert wa[f"{ca['Avance físico T2 (%)']}2"].value == \
        f'=IF({ca["Tareas en el promedio T2"]}2>0,' \
        f'{ca["Cumplimiento × tareas T2"]}2/{ca["Tareas en el promedio T2"]}2,"")'
    assert "Unidades con avance físico T2" not in ca


def test_cadena_promedio_de_unidades_y_parametros(con_cadena):
    libro = con_cadena[0]
    wa = libro["areas"]
    ca = columnas(wa)
    cuenta = ca["Unidades con avance físico T2"]
    assert wa[f"{cuenta}2"].value == \
        "=SUMPRODUCT(EXACT(unidades!$C$2:$C$5,$A2)*ISNUMBER(unidades!$P$2:$P$5))"
    assert wa[f"{ca['Avance físico T2 (%)']}2"].value == (
        f'=IF({cuenta}2=0,"",SUMPRODUCT(EXACT(unidades!$C$2:$C$5,$A2)*'
        f"ISNUMBER(unidades!$P$2:$P$5),unidades!$P$2:$P$5)/{cuenta}2)"
    )
    assert columnas(libro["unidades"])["Avance físico T2 (%)"] == "P"
    we = libro["entidad"]
    ce = columnas(we)
    cs = columnas(libro["servicios"])["Avance físico T2 (%)"]
    assert we[f"{ce['Avance físico T2 (%)']}2"].value == \
        f'=IF({ce["Servicios con avance físico T2"]}2=0,"",AVERAGE(servicios!${cs}$2:${cs}$3))'

    # eficacia, calificación y semáforo leen la hoja parametros
    wp = libro["parametros"]
    assert wp["A8"].value == "Participación de cada trimestre (%)" and wp["B8"].value == 25
    assert "parametros!$B$8/100" in we[f"{ce['Eficacia T2 (%)']}2"].value
    calificacion = we[f"{ce['Calificación T2']}2"].value
    assert calificacion.count("ROUND(") == 6 and "parametros!$D$15" in calificacion
    assert ">parametros!$A$19" in calificacion and ">=parametros!$A$20" in calificacion
    assert [wp[f"{col}25"].value for col in "ABCD"] == [2, 43, 33, "sí"]
    assert "parametros!$B$25" in we[f"{ce['Semáforo']}2"].value


def test_eficiencia_lee_la_ejecucion_minima_de_parametros(tmp_path):
    """La ejecución mínima de la eficiencia está en parametros y la leen las fórmulas de la
    cadena y las de las hojas de tablas; eficiencia y brecha usan ROUND de sus operandos."""
    ruta, _ = cadena(tmp_path, eficiencia_ejecucion_minima=3.5)
    libro = openpyxl.load_workbook(ruta)
    wp = libro["parametros"]
    fila = next(n for n in range(1, wp.max_row + 1)
                if wp[f"A{n}"].value == "Ejecución mínima para la eficiencia (%)")
    assert wp[f"B{fila}"].value == 3.5
    celda = f"parametros!$B${fila}"
    for hoja, columna in (("entidad", "Eficiencia acumulada (%)"),
                          ("unidades", "Eficiencia T2 (%)"),
                          ("acp", "eficiencia_acumulada"), ("area", "eficiencia_trimestre")):
        lista = formulas_de(libro)[(hoja, columna)]
        assert lista and all(f">={celda}" in f and f.count("ROUND(") >= 3 for f in lista), hoja
    for hoja, columna in (("entidad", "Brecha acumulada (puntos)"), ("acp", "brecha_acumulada")):
        assert all(f.count("ROUND(") == 2 for f in formulas_de(libro)[(hoja, columna)]), hoja


def test_cadena_solo_funciones_de_excel_y_libreoffice_sin_criterios(tmp_path):
    ruta, _ = cadena(tmp_path, trimestre=4, participacion="programada", sin_reporte="excluir")
    libro = openpyxl.load_workbook(ruta)
    funciones = set()
    for lista in formulas_de(libro).values():
        for formula in lista:
            funciones.update(re.findall(r"([A-Z][A-Z0-9._]*)\(", formula))
    assert funciones <= FUNCIONES_PERMITIDAS, funciones - FUNCIONES_PERMITIDAS
    assert {"SUMPRODUCT", "EXACT", "ROUND"} <= funciones


def test_cadena_codigos_hostiles_son_texto_exacto(tmp_path):
    ruta, _ = cadena(tmp_path, libro_con_codigos_hostiles(tmp_path))
    libro = openpyxl.load_workbook(ruta)
    ws = libro["unidades"]
    codigos = [ws[f"A{n}"].value for n in range(2, ws.max_row + 1)]
    assert codigos == ["Dgrm", "dgrm", "-EMB*?", "=CG?ARI"]
    for celda in (ws["A4"], ws["A5"]):  # empiezan con "-" y "=": texto, con comilla de Excel
        assert celda.data_type == "s" and celda.quotePrefix
    area = libro["areas"]["A3"]
    assert area.value == "<SERV~*" and area.data_type == "s" and not area.quotePrefix
    # Los códigos nunca se copian dentro de una fórmula: se comparan por celda con EXACT.
    for lista in formulas_de(libro).values():
        for formula in lista:
            assert not re.search(r"EMB|[Dd]grm|CG.ARI|SERV~", formula), formula


def test_leeme_lista_cada_columna_con_formula_de_la_cadena(con_cadena):
    libro = con_cadena[0]
    filas = [tuple(c.value for c in fila) for fila in libro["leeme"].iter_rows()]
    listadas = {(h, col) for h, col, *_ in filas if h}
    con_formula = set(formulas_de(libro))
    assert con_formula <= listadas, con_formula - listadas
    assert ("unidades", "Avance físico T2 (%)") in listadas
    assert ("presupuesto", "Vigente (Bs)") in listadas  # la suma de la fila TOTAL
    texto = "\n".join(str(f[0]) for f in filas if f[0])
    assert "EXACT" in texto and "parametros" in texto and "promedio_unidades" in texto


def test_cadena_pide_datos_trimestre_y_metodologia_juntos(tmp_path):
    import fabrica

    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import Metodologia

    datos = cargar_datos(fabrica.escribir_libro_pequeno(tmp_path / "libro"))
    with pytest.raises(ValueError, match="datos, trimestre y metodologia"):
        escribir_anexo({}, tmp_path / "a.xlsx", datos=datos, trimestre=2)
    with pytest.raises(ValueError, match="salen de ella"):
        escribir_anexo({}, tmp_path / "a.xlsx", datos=datos, trimestre=2,
                       metodologia=Metodologia(), tope_cumplimiento=False)
    with pytest.raises(ValueError, match="reservada"):
        escribir_anexo({"operaciones": tabla_mensual()}, tmp_path / "a.xlsx", datos=datos,
                       trimestre=2, metodologia=Metodologia())
    assert not (tmp_path / "a.xlsx").exists()


def test_cadena_misma_fecha_mismo_archivo(tmp_path):
    a, _ = cadena(tmp_path / "a", trimestre=3, agregacion="tareas")
    b, _ = cadena(tmp_path / "b", trimestre=3, agregacion="tareas")
    assert a.read_bytes() == b.read_bytes()
    assert openpyxl.load_workbook(a).calculation.fullCalcOnLoad


# --- las columnas se convierten enteras: lo mismo que celda por celda ----------------------

def _por_celda(serie: pd.Series, formato, negritas, estilos) -> tuple[list[str], int]:
    """La conversión de referencia, celda por celda, con las funciones de una celda."""
    celdas, largo = [], 0
    for n, (bruto, negrita) in enumerate(zip(serie.tolist(), negritas, strict=True), start=2):
        valor = valor_celda(bruto, "h", n, "col")
        celdas.append(celda_xml(f"C{n}", valor, formato, negrita, estilos, "h"))
        if valor is not None and valor != "":
            largo = max(largo, len(texto_mostrado(valor, formato)))
    return celdas, largo


_NUMEROS = st.one_of(
    st.floats(allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.integers(-10**12, 10**12).map(float),
)
_TEXTOS = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["=1+1", "@x", " a ", ""]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columna=st.one_of(
        st.lists(_NUMEROS, max_size=12).map(lambda v: pd.Series(v, dtype=float)),
        st.lists(st.integers(-10**12, 10**12), max_size=12).map(
            lambda v: pd.Series(v, dtype="int64")),
        st.lists(_TEXTOS, max_size=12).map(lambda v: pd.Series(v, dtype=object)),
        st.lists(_TEXTOS, max_size=12).map(lambda v: pd.Series(v, dtype="str")),
        st.lists(st.one_of(_NUMEROS, _TEXTOS, st.booleans()), max_size=12).map(
            lambda v: pd.Series(v, dtype=object)),
    ),
    formato=st.sampled_from([None, FORMATO_MONTO, FORMATO_PORCENTAJE, FORMATO_ENTERO,
                             FORMATO_CODIGO]),
    semilla=st.integers(0, 2**12),
)
def test_columna_entera_igual_que_celda_por_celda(columna, formato, semilla):
    estilos = Estilos(openpyxl.Workbook().active)
    negritas = [bool(semilla >> (k % 12) & 1) for k in range(len(columna))]
    filas = range(2, len(columna) + 2)
    assert columna_xml(columna, filas, "C", formato, negritas, estilos, "h", "col") == (
        _por_celda(columna, formato, negritas, estilos))


def test_columna_con_infinito_dice_hoja_fila_y_columna():
    estilos = Estilos(openpyxl.Workbook().active)
    serie = pd.Series([1.0, math.inf])
    with pytest.raises(ValueError, match=r"hoja h, fila 3, columna avance: valor no finito"):
        columna_xml(serie, range(2, 4), "C", None, None, estilos, "h", "avance")
