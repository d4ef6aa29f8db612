"""Las reglas y los pasos sueltos del anexo Excel: el formato de una columna, las filas de
subtotal, qué fórmula lleva cada columna de una tabla, los anchos y el filtro de una hoja, las
filas en XML y una hoja de la cadena con su fila TOTAL. El libro entero se prueba en
tests/test_anexo.py."""
from __future__ import annotations

import io
from datetime import date

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.salida.anexo_cadena_hoja import Hoja, escribir_hoja
from helpers.salida.anexo_cadena_piezas import CELDA_EFICIENCIA_MINIMA
from helpers.salida.anexo_formatos import (
    ANCHO_MAXIMO,
    ANCHO_MINIMO,
    FORMATO_CODIGO,
    FORMATO_DECIMAL,
    FORMATO_ENTERO,
    FORMATO_FECHA,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
    Estilos,
    FilasXml,
    ajustar_hoja,
    formato_columna,
)
from helpers.salida.anexo_tablas import (
    filas_en_negrita,
    formatos_de_tabla,
    reglas_aplicables,
    reglas_de_tablas,
)


def contenido(filas: FilasXml) -> str:
    destino = io.BytesIO()
    filas.copiar_en(destino)
    filas.cerrar()
    return destino.getvalue().decode("utf-8")


# --- el formato de número de una columna ---------------------------------------------------

@pytest.mark.parametrize("col, serie, formato", [
    # Por el nombre, sea cual sea el contenido.
    ("ejecucion_trimestre", pd.Series(["x"]), FORMATO_PORCENTAJE),
    ("avance_pct", pd.Series([1]), FORMATO_PORCENTAJE),
    ("vigente", pd.Series([1]), FORMATO_MONTO),
    ("otros_bs", pd.Series([1.5]), FORMATO_MONTO),
    # Números de numpy: enteros (códigos sin separador de miles) o decimales.
    ("tareas", pd.Series([1.0, np.nan, 3.0]), FORMATO_ENTERO),
    ("gestion", pd.Series([2024]), FORMATO_CODIGO),
    ("codigo_unidad", pd.Series([7.0]), FORMATO_CODIGO),
    ("peso", pd.Series([1.5, 2.0]), FORMATO_DECIMAL),
    ("peso", pd.Series([np.nan]), None),
    # Textos, fechas y objetos sueltos.
    ("nombre", pd.Series(["a", None], dtype=object), None),
    ("fecha", pd.Series([date(2024, 1, 1), None], dtype=object), FORMATO_FECHA),
    ("mes", pd.Series([1, None, 3], dtype=object), FORMATO_CODIGO),
    ("cantidad", pd.Series([1, 2.5], dtype=object), FORMATO_DECIMAL),
    ("mezcla", pd.Series([1, "a"], dtype=object), None),
    ("bandera", pd.Series([True, False], dtype=object), None),
])
def test_formato_de_columna_por_nombre_y_contenido(col, serie, formato):
    assert formato_columna(col, serie) == formato


# --- las hojas de tablas -------------------------------------------------------------------

def test_filas_en_negrita_solo_subtotales_que_no_se_repiten():
    df = pd.DataFrame({"grupo": ["A", " total ", "Central", "Central", None, "TOTAL", "TOTAL"],
                       "valor": range(7)})
    assert filas_en_negrita(df) == [False, True, False, False, False, False, False]
    assert filas_en_negrita(pd.DataFrame()) == []


def test_filas_en_negrita_por_nivel_los_grupos_de_la_entidad():
    """Con columna `nivel`, las filas de los grupos de áreas (cualquier nombre) y la entidad."""
    df = pd.DataFrame({"area": ["A1", "Oficina Nacional", "Distrito 3", "TOTAL"],
                       "nivel": ["area", "servicio", "servicio", "entidad"]})
    assert filas_en_negrita(df) == [False, True, True, True]


def test_columnas_con_formula_llevan_porcentaje_y_el_saldo_monto():
    df = pd.DataFrame({"vigente": [10.0], "devengado": [4.0], "ejecucion": [40.0],
                       "saldo": [6.0], "tareas": [3]})
    columnas = list(df.columns)
    aplicables = reglas_aplicables(columnas, reglas_de_tablas(True, None))
    assert set(aplicables) == {"ejecucion", "saldo"}
    formatos = formatos_de_tabla(df, columnas, aplicables)
    assert formatos == {"vigente": FORMATO_MONTO, "devengado": FORMATO_MONTO,
                        "ejecucion": FORMATO_PORCENTAJE, "saldo": FORMATO_MONTO,
                        "tareas": FORMATO_ENTERO}


def test_regla_aplicable_es_la_primera_con_todas_sus_entradas():
    reglas = reglas_de_tablas(True, None)
    ambas = reglas_aplicables(["vigente", "devengado", "recaudado_anual", "ejecucion"], reglas)
    assert ambas["ejecucion"].entradas == ("devengado", "vigente")
    ingresos = reglas_aplicables(["vigente", "recaudado_anual", "ejecucion"], reglas)
    assert ingresos["ejecucion"].entradas == ("recaudado_anual", "vigente")
    assert reglas_aplicables(["ejecucion", "devengado"], reglas) == {}


def test_reglas_segun_tope_participacion_y_ejecucion_minima():
    sin_participacion = {r.columna for r in reglas_de_tablas(True, None)}
    assert "eficacia_trimestre" not in sin_participacion
    con_tope = {r.columna: r for r in reglas_de_tablas(True, 12.5)}
    assert con_tope["eficacia_trimestre"].formula("B2") == "B2*12.5/100"
    assert "MIN(" in con_tope["cumplimiento_trimestre"].formula("A2", "B2")
    assert "MIN(" not in con_tope["cumplimiento_sin_tope_trimestre"].formula("A2", "B2")
    sin_tope = {r.columna: r for r in reglas_de_tablas(False, 12.5)}
    assert "MIN(" not in sin_tope["cumplimiento_trimestre"].formula("A2", "B2")
    con_celda = {r.columna: r for r in reglas_de_tablas(True, None, 5.0, CELDA_EFICIENCIA_MINIMA)}
    assert CELDA_EFICIENCIA_MINIMA in con_celda["eficiencia"].formula("A2", "B2")
    assert "parametros" in con_celda["eficiencia"].descripcion
    con_numero = {r.columna: r for r in reglas_de_tablas(True, None, 5.0)}
    assert ">=5)" in con_numero["eficiencia"].formula("A2", "B2")


# --- lo común a todas las hojas ------------------------------------------------------------

def test_ajustar_hoja_acota_los_anchos_y_pone_filtro_y_paneles():
    ws = openpyxl.Workbook().active
    ajustar_hoja(ws, [1, ANCHO_MINIMO + 1, 10 * ANCHO_MAXIMO], 0)
    assert [ws.column_dimensions[letra].width for letra in "ABC"] == [
        ANCHO_MINIMO, ANCHO_MINIMO + 1, ANCHO_MAXIMO]
    assert ws.auto_filter.ref == "A1:C1" and ws.freeze_panes == "B2"
    vacia = openpyxl.Workbook().active
    ajustar_hoja(vacia, [], 3)
    assert vacia.auto_filter.ref is None and vacia.freeze_panes is None


def test_filas_xml_de_a_tandas_juntan_las_columnas_por_fila():
    filas = FilasXml()
    filas.agregar_tanda(range(2, 4), [["<a/>", "<b/>"], ["<c/>", ""]])
    assert filas.ultima == 3
    assert contenido(filas) == '<row r="2"><a/><c/></row><row r="3"><b/></row>'


# --- una hoja de la cadena -----------------------------------------------------------------

def test_hoja_de_la_cadena_con_valores_formulas_y_fila_total():
    ws = openpyxl.Workbook().active
    h = Hoja("h", 2, con_total=True)
    h.valor("nombre", "Nombre", None, ["a", "=b"], total="TOTAL")
    h.valor("monto", "Monto", FORMATO_MONTO, pd.Series([1.5, 2.0]), total="suma")
    h.formula("doble", "Doble", FORMATO_MONTO, "monto × 2", f"={h.c('monto')}*2", total="fila")
    formulas, filas = escribir_hoja(ws, h, Estilos(ws))
    assert formulas == [
        ("h", "Monto", "en la fila TOTAL, suma de la columna (las demás filas son datos)"),
        ("h", "Doble", "monto × 2"),
    ]
    xml = contenido(filas)
    assert [c.value for c in ws[1]] == ["Nombre", "Monto", "Doble"]
    assert "<f>B2*2</f>" in xml and "<f>B3*2</f>" in xml
    assert "<f>SUM(B2:B3)</f>" in xml and "<f>B4*2</f>" in xml  # la fila TOTAL
    assert "<t>TOTAL</t>" in xml and "<t>=b</t>" in xml  # un texto nunca es fórmula
    assert ws.auto_filter.ref == "A1:C3"
