"""La Formulación del POA (`helpers.calculo.formulacion`, notebooks/formulacion/): sus tablas
sobre el libro pequeño de `fabrica` y el informe completo generado por el ejecutor.

Lo esperado se calcula en cada prueba a partir de las hojas leídas con `cargar_datos`,
nunca se escribe a mano como resultado.
"""
from __future__ import annotations

import subprocess
import sys

import fabrica
import numpy as np
import pandas as pd
import pytest

from helpers.calculo import articulacion, versiones
from helpers.calculo.formulacion import (
    COLUMNAS_TRIMESTRE,
    NIVEL_DETALLE,
    NIVEL_ENTIDAD,
    NIVEL_FUENTE,
    operaciones_en_vigor,
    tablas_de_formulacion,
)
from helpers.calculo.tablas import TOTAL
from helpers.entrada import tipos
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.redaccion.formulacion import pivote_presupuesto
from helpers.rutas import RAIZ

MESES_PROG = [f"prog_{mes:02d}" for mes in range(1, 13)]


def _libro_y_parametros(tmp_path, tablas, **params):
    libro = fabrica.escribir_libro(tmp_path / "datos" / "poa.xlsx", tablas)
    ruta = fabrica.escribir_params(tmp_path / "formulacion.yaml", libro, informe="formulacion",
                                   trimestre=None, salida=str(tmp_path / "salida"), **params)
    return cargar_datos(libro), cargar_parametros(ruta), ruta


@pytest.fixture
def pequeno(tmp_path):
    """El libro pequeño de `fabrica`, sin historia: el POA en vigor es el libro."""
    datos, parametros, _ = _libro_y_parametros(tmp_path, fabrica.tablas_pequenas())
    return datos, tablas_de_formulacion(parametros, datos)


def test_calcula_las_tablas_que_declara_su_tipo(pequeno):
    _, tablas = pequeno
    assert list(tablas) == list(tipos.tipo("formulacion").tablas.orden)


def test_los_trimestres_suman_la_programacion_anual(pequeno):
    datos, tablas = pequeno
    prog = tablas["programacion"].set_index("codigo_operacion")
    ops = datos.operaciones.set_index("codigo_operacion")
    assert sorted(prog.index) == sorted(ops.index)
    for t, columna in enumerate(COLUMNAS_TRIMESTRE, start=1):
        meses = MESES_PROG[3 * t - 3:3 * t]
        np.testing.assert_allclose(prog[columna], ops.loc[prog.index, meses].sum(axis=1))
    np.testing.assert_allclose(prog[COLUMNAS_TRIMESTRE].sum(axis=1), prog["prog_anual"])
    np.testing.assert_allclose(prog["prog_anual"], ops.loc[prog.index, MESES_PROG].sum(axis=1))
    # OP-06 tiene meses vacíos: cuentan 0, no dejan el trimestre vacío.
    assert prog[COLUMNAS_TRIMESTRE].notna().all().all()


def test_operaciones_por_unidad_en_el_orden_de_la_hoja_unidades(pequeno):
    datos, tablas = pequeno
    prog = tablas["programacion"]
    posicion = {u: i for i, u in enumerate(datos.unidades["codigo_unidad"])}
    assert prog["codigo_unidad"].map(posicion).is_monotonic_increasing
    area = datos.unidades.set_index("codigo_unidad")["area"]
    assert (prog["area"] == prog["codigo_unidad"].map(area)).all()


def test_presupuesto_por_unidad_y_fuente_suma_las_lineas(pequeno):
    datos, tablas = pequeno
    pres = datos.presupuesto
    unidad = tablas["presupuesto_unidad"]
    detalle = unidad[unidad["nivel"] == NIVEL_DETALLE].set_index(["codigo_unidad", "fuente"])
    esperado = pres.groupby(["codigo_unidad", "fuente"])["vigente"].sum()
    assert sorted(detalle.index) == sorted(esperado.index)
    np.testing.assert_allclose(detalle.loc[esperado.index, "vigente"], esperado)
    por_unidad = unidad[unidad["nivel"] == "unidad"].set_index("codigo_unidad")["vigente"]
    esperado_unidad = pres.groupby("codigo_unidad")["vigente"].sum()
    np.testing.assert_allclose(por_unidad.loc[esperado_unidad.index], esperado_unidad)
    por_fuente = unidad[unidad["nivel"] == NIVEL_FUENTE].set_index("fuente")["vigente"]
    esperado_fuente = pres.groupby("fuente")["vigente"].sum()
    np.testing.assert_allclose(por_fuente.loc[esperado_fuente.index], esperado_fuente)
    entidad = unidad[unidad["nivel"] == NIVEL_ENTIDAD]
    assert entidad["vigente"].item() == pytest.approx(pres["vigente"].sum())
    # Sólo las unidades con líneas; las otras no figuran (CG-ARI no tiene presupuesto).
    sin_lineas = set(datos.unidades["codigo_unidad"]) - set(pres["codigo_unidad"])
    assert sin_lineas and not sin_lineas & set(unidad["codigo_unidad"])
    # Sin historia del presupuesto, el inicial es el vigente.
    assert (unidad["modificacion"] == 0).all()


def test_presupuesto_por_categoria_y_fuente(pequeno):
    datos, tablas = pequeno
    pres = datos.presupuesto
    categoria = tablas["presupuesto_categoria"]
    detalle = categoria[categoria["nivel"] == NIVEL_DETALLE].set_index(
        ["categoria_programatica", "fuente"])
    esperado = pres.groupby(["categoria_programatica", "fuente"])["vigente"].sum()
    np.testing.assert_allclose(detalle.loc[esperado.index, "vigente"], esperado)
    totales = categoria[categoria["nivel"] == "categoria"].set_index("categoria_programatica")
    esperado_total = pres.groupby("categoria_programatica")["vigente"].sum()
    np.testing.assert_allclose(totales.loc[esperado_total.index, "vigente"], esperado_total)
    # Una categoría con dos fuentes (560 0 002 en el libro pequeño) es una sola fila del
    # formulario, con una columna por fuente.
    dos = pres.groupby("categoria_programatica")["fuente"].nunique()
    assert (dos > 1).any()
    pivote = pivote_presupuesto(categoria, "categoria_programatica").set_index(
        "categoria_programatica")
    fuentes = pivote.attrs["fuentes"]
    for codigo in dos[dos > 1].index:
        fila = pivote.loc[codigo]
        assert fila[list(fuentes)].notna().sum() == dos[codigo]
        assert fila[list(fuentes)].sum() == pytest.approx(fila["total"])


def test_el_pivote_solo_cambia_la_forma(pequeno):
    datos, tablas = pequeno
    pivote = pivote_presupuesto(tablas["presupuesto_unidad"], "codigo_unidad")
    columnas = {f: c for c, f in pivote.attrs["fuentes"].items()}
    por_unidad = pivote.set_index("codigo_unidad")
    assert list(por_unidad.index)[-1] == TOTAL
    for (unidad, fuente), vigente in datos.presupuesto.groupby(
            ["codigo_unidad", "fuente"])["vigente"].sum().items():
        assert por_unidad.loc[unidad, columnas[fuente]] == pytest.approx(vigente)
    cifras = list(pivote.attrs["fuentes"])
    np.testing.assert_allclose(por_unidad[cifras].sum(axis=1, min_count=1), por_unidad["total"])


def test_articulacion_con_y_sin_la_hoja(tmp_path):
    tablas = fabrica.tablas_pequenas()
    datos, parametros, _ = _libro_y_parametros(tmp_path / "con", tablas)
    con = tablas_de_formulacion(parametros, datos)["articulacion"]
    pd.testing.assert_frame_equal(
        con, articulacion.tabla_articulacion(datos.articulacion, datos.acp))
    del tablas["articulacion"]
    datos, parametros, _ = _libro_y_parametros(tmp_path / "sin", tablas)
    sin = tablas_de_formulacion(parametros, datos)["articulacion"]
    assert list(sin["codigo_acp"]) == list(datos.acp["codigo_acp"])
    amp = datos.acp.set_index("codigo_acp")["codigo_amp"]
    assert (sin["codigo_amp"] == sin["codigo_acp"].map(amp)).all()


@pytest.mark.parametrize("corte, mes", [("junio", 6), ("diciembre", 12)])
def test_los_formularios_describen_el_poa_en_vigor_al_corte(tmp_path, corte, mes):
    """Con reformulaciones e historia del presupuesto: las operaciones y el vigente que
    regían al cierre del mes de corte, y el inicial de cada línea."""
    tablas = fabrica.con_historia(fabrica.tablas_pequenas())
    datos, parametros, _ = _libro_y_parametros(tmp_path, tablas, corte=corte)
    resultado = tablas_de_formulacion(parametros, datos)
    en_vigor = versiones.version_al_corte(datos, mes)
    assert set(resultado["programacion"]["codigo_operacion"]) == set(
        en_vigor.operaciones["codigo_operacion"])
    assert set(operaciones_en_vigor(datos, parametros.trimestre_corte)["codigo_operacion"]) == set(
        en_vigor.operaciones["codigo_operacion"])
    # Una reformulación cambia lo que está en el POA según el corte (ver fabrica).
    ref = datos.reformulaciones
    altas = set(ref.loc[(ref["cambio"] == "alta") & (ref["fecha"].dt.month <= mes),
                        "codigo_operacion"])
    bajas = set(ref.loc[(ref["cambio"] == "baja") & (ref["fecha"].dt.month <= mes),
                        "codigo_operacion"])
    codigos = set(resultado["programacion"]["codigo_operacion"])
    assert altas <= codigos and not bajas & codigos
    entidad = resultado["presupuesto_unidad"].query("nivel == 'entidad'").iloc[0]
    assert entidad["vigente"] == pytest.approx(versiones.vigente_al_mes(datos.presupuesto,
                                                                        mes).sum())
    assert entidad["inicial"] == pytest.approx(versiones.inicial(datos.presupuesto).sum())
    assert entidad["modificacion"] == pytest.approx(entidad["vigente"] - entidad["inicial"])
    numeros = set(resultado["reformulaciones"]["numero"])
    assert numeros == set(ref.loc[ref["fecha"].dt.month <= mes, "numero"])


# ---------------------------------------------------------------------------------------
# De punta a punta: el ejecutor genera los formularios del libro pequeño con su historia
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def formularios(tmp_path_factory):
    base = tmp_path_factory.mktemp("formulacion")
    tablas = fabrica.con_historia(fabrica.tablas_pequenas())
    datos, _, params = _libro_y_parametros(base, tablas)
    resultado = subprocess.run(
        [sys.executable, "-m", "helpers.informe", "--tipo", "formulacion", str(params)],
        cwd=RAIZ, capture_output=True, text=True, timeout=900)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", datos, resultado


def test_formularios_dejan_todo_lo_que_prometen(formularios):
    salida, _, resultado = formularios
    for nombre in ("informe.html", "informe-auditoria.html", "informe.pdf", "anexo.xlsx",
                   "manifiesto.json"):
        assert (salida / nombre).stat().st_size > 0, nombre
    tipo = tipos.tipo("formulacion")
    ejecutados = sorted(p.name for p in (salida / "notebooks").glob("*.ipynb"))
    assert ejecutados == sorted(s.archivo for s in [tipo.memoria, *tipo.secciones])
    for seccion in tipo.secciones:
        assert seccion.titulo in resultado.stdout
    assert sorted(p.stem for p in (salida / "tablas").glob("*.csv")) == sorted(tipo.tablas.orden)


def test_el_html_tiene_los_formularios_con_nombres(formularios):
    salida, datos, _ = formularios
    html = (salida / "informe.html").read_text(encoding="utf-8")
    tipo = tipos.tipo("formulacion")
    assert tipo.titulo in html
    for seccion in tipo.secciones:
        assert seccion.titulo in html
    # Cada unidad con operaciones, por su nombre; cada área con nombre en la hoja areas.
    for nombre in datos.unidades.loc[
            datos.unidades["codigo_unidad"].isin(datos.operaciones["codigo_unidad"]), "nombre"]:
        assert nombre in html
    for nombre in datos.areas["nombre"]:
        assert nombre in html
    for resolucion in datos.reformulaciones["resolucion"]:
        assert resolucion in html
    assert "Cuadro N°" in html and "Modificación (Bs)" in html


def test_el_csv_del_presupuesto_suma_las_lineas_en_vigor(formularios):
    salida, datos, _ = formularios
    unidad = pd.read_csv(salida / "tablas" / "presupuesto_unidad.csv", keep_default_na=False,
                         na_values=[""])
    total = unidad.loc[unidad["nivel"] == NIVEL_ENTIDAD, "vigente"].item()
    assert total == pytest.approx(versiones.vigente_al_mes(datos.presupuesto, 12).sum())
