"""scripts/generar_grande.py: el libro de prueba de escala (la muestra repetida `factor` veces)
es un POA válido, con códigos propios en cada copia, la muestra como copia 1 y determinista."""

from __future__ import annotations

import dataclasses
import importlib.util
import zipfile
from pathlib import Path

import fabrica
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from helpers.entrada.contrato import (
    COLUMNAS_DEV,
    COLUMNAS_EJEC,
    COLUMNAS_PROG,
    COLUMNAS_VIG,
    HOJAS,
    HOJAS_DEL_LIBRO_RECOGIDO,
)
from helpers.entrada.datos import Datos, cargar_datos

RAIZ = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "generar_grande", RAIZ / "scripts" / "generar_grande.py")
gg = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gg)

ESCALAN = gg.HOJAS_QUE_ESCALAN
FIJAS = [h for h in HOJAS if h not in ESCALAN]
CON_UNIDAD = [h for h in ESCALAN if h != "reformulaciones"]


@pytest.fixture(scope="module")
def muestra() -> Datos:
    return cargar_datos(gg.MUESTRA)


@pytest.fixture(scope="module")
def libros(muestra, tmp_path_factory) -> dict[int, Datos]:
    """Los libros de factor 2 y 3, escritos y vueltos a leer con `cargar_datos`."""
    carpeta = tmp_path_factory.mktemp("grande")
    return {
        factor: cargar_datos(gg.escribir(gg.tablas_grandes(muestra, factor),
                                         carpeta / f"poa_x{factor}.xlsx"))
        for factor in (2, 3)
    }


def copia(tabla: pd.DataFrame, muestra: pd.DataFrame, k: int) -> pd.DataFrame:
    """Las filas de la copia k de una hoja que escala (las copias van en bloques)."""
    n = len(muestra)
    return tabla.iloc[(k - 1) * n:k * n].reset_index(drop=True)


def test_factor_1_es_la_muestra(muestra, tmp_path, capsys):
    salida = tmp_path / "poa_x1.xlsx"
    assert gg.main(["--factor", "1", "--salida", str(salida)]) == 0
    libro = cargar_datos(salida)
    for hoja in HOJAS:
        pd.testing.assert_frame_equal(getattr(libro, hoja), getattr(muestra, hoja), obj=hoja)
    resumen = capsys.readouterr().out
    assert f"{len(muestra.unidades)} unidades, {len(muestra.operaciones)} operaciones" in resumen


@pytest.mark.parametrize("factor", [2, 3])
def test_cuentas_por_factor(muestra, libros, factor):
    libro = libros[factor]
    for hoja in ESCALAN:
        assert len(getattr(libro, hoja)) == factor * len(getattr(muestra, hoja)), hoja
    for hoja in FIJAS:  # acp, areas, articulacion, historico, ingresos: una sola vez
        pd.testing.assert_frame_equal(getattr(libro, hoja), getattr(muestra, hoja), obj=hoja)


@pytest.mark.parametrize("factor", [2, 3])
def test_codigos_unicos_y_una_sola_entidad(muestra, libros, factor):
    libro = libros[factor]
    assert libro.unidades["codigo_unidad"].is_unique
    assert libro.unidades["nombre"].is_unique
    assert libro.operaciones["codigo_operacion"].is_unique
    assert not libro.presupuesto.duplicated(["categoria_programatica", "fuente"]).any()
    assert libro.presupuesto["categoria_programatica"].nunique() == (
        factor * muestra.presupuesto["categoria_programatica"].nunique())
    # Las mismas áreas y ACP: una entidad con más unidades, no varias entidades.
    assert set(libro.unidades["area"]) == set(muestra.unidades["area"])
    assert set(libro.operaciones["codigo_acp"]) == set(muestra.operaciones["codigo_acp"])
    assert set(libro.presupuesto["codigo_acp"]) == set(muestra.presupuesto["codigo_acp"])


def test_cada_copia_usa_sus_propios_codigos(muestra, libros):
    libro, factor = libros[3], 3
    for k in range(1, factor + 1):
        s = gg.sufijo(k)
        unidades = set(copia(libro.unidades, muestra.unidades, k)["codigo_unidad"])
        assert unidades == {c + s for c in muestra.unidades["codigo_unidad"]}
        for hoja in CON_UNIDAD:
            filas = copia(getattr(libro, hoja), getattr(muestra, hoja), k)
            assert set(filas["codigo_unidad"]) <= unidades, (hoja, k)
        for hoja in ("operaciones", "reformulaciones"):
            filas = copia(getattr(libro, hoja), getattr(muestra, hoja), k)
            esperados = getattr(muestra, hoja)["codigo_operacion"] + s
            assert filas["codigo_operacion"].tolist() == esperados.tolist(), (hoja, k)


@pytest.mark.parametrize("factor", [2, 3])
def test_la_copia_1_es_la_muestra(muestra, libros, factor):
    libro = libros[factor]
    for hoja in ESCALAN:
        pd.testing.assert_frame_equal(
            copia(getattr(libro, hoja), getattr(muestra, hoja), 1), getattr(muestra, hoja),
            obj=hoja)


def test_las_copias_varian_solo_lo_ejecutado(muestra, libros):
    libro = libros[2]
    original, otra = muestra.operaciones, copia(libro.operaciones, muestra.operaciones, 2)
    iguales = ["codigo_acp", "descripcion", "tareas", "no_aplica", *COLUMNAS_PROG]
    pd.testing.assert_frame_equal(otra[iguales], original[iguales])
    ejec = original[list(COLUMNAS_EJEC)].to_numpy()
    ejec2 = otra[list(COLUMNAS_EJEC)].to_numpy()
    assert np.array_equal(np.isnan(ejec), np.isnan(ejec2))  # sin reporte sigue sin reporte
    assert (ejec2[ejec == 0] == 0).all()
    con = ejec > 0
    assert (np.abs(ejec2[con] - ejec[con]) <= 1).all() and (ejec2[con] >= 0).all()
    assert (ejec2[con] != ejec[con]).any()

    pres, pres2 = muestra.presupuesto, copia(libro.presupuesto, muestra.presupuesto, 2)
    fijas = ["programa", "codigo_acp", "fuente", "inicial", "vigente", *COLUMNAS_VIG]
    pd.testing.assert_frame_equal(pres2[fijas], pres[fijas])
    dev, dev2 = pres[list(COLUMNAS_DEV)].to_numpy(), pres2[list(COLUMNAS_DEV)].to_numpy()
    assert not np.array_equal(dev, dev2)
    assert (np.abs(dev2) <= np.abs(dev)).all()
    assert (np.sign(dev2) == np.sign(dev)).all()

    est, est2 = muestra.estadisticas, copia(libro.estadisticas, muestra.estadisticas, 2)
    assert not est2["valor"].equals(est["valor"])
    assert (est2["valor"] - est["valor"]).abs().le(est["valor"] * 0.1 + 0.5).all()


def test_determinista(muestra, libros, tmp_path):
    # Byte a byte: XlsxWriter fija las fechas del zip; la de creación es la de la muestra.
    primero = gg.escribir(gg.tablas_grandes(muestra, 2), tmp_path / "a.xlsx")
    segundo = gg.escribir(gg.tablas_grandes(muestra, 2), tmp_path / "b.xlsx")
    assert primero.read_bytes() == segundo.read_bytes()
    # La copia k no depende del factor: el libro de factor 2 es el comienzo del de factor 3.
    for hoja in ESCALAN:
        n = 2 * len(getattr(muestra, hoja))
        pd.testing.assert_frame_equal(
            getattr(libros[3], hoja).iloc[:n], getattr(libros[2], hoja), obj=hoja)


def test_los_textos_que_parecen_formulas_quedan_como_texto(tmp_path):
    origen = fabrica.escribir_libro_codigos_hostiles(tmp_path / "hostil.xlsx")
    base = cargar_datos(origen)
    salida = gg.generar(2, tmp_path / "hostil_x2.xlsx", origen=origen)
    libro = cargar_datos(salida)
    codigos = set(base.unidades["codigo_unidad"])
    assert any(c.startswith("=") for c in codigos)  # la prueba tiene sentido
    esperados = codigos | {c + gg.sufijo(2) for c in codigos}
    assert set(libro.unidades["codigo_unidad"]) == esperados
    libro_xl = load_workbook(salida)
    try:
        formulas = [c for fila in libro_xl["unidades"].iter_rows() for c in fila
                    if isinstance(c.value, str) and c.value.startswith("=")]
        congelado = libro_xl["unidades"].freeze_panes
    finally:
        libro_xl.close()
    assert formulas and all(c.data_type == "s" and c.quotePrefix for c in formulas)
    assert congelado == "A2"  # el encabezado queda fijo


def test_categoria_sin_tres_grupos(muestra):
    presupuesto = muestra.presupuesto.copy()
    presupuesto.loc[0, "categoria_programatica"] = "570-0-004"
    otra = dataclasses.replace(muestra, presupuesto=presupuesto)
    gg.tablas_grandes(otra, 1)  # sin copias no hace falta cambiar la categoría
    with pytest.raises(ValueError, match="tres grupos"):
        gg.tablas_grandes(otra, 2)


def test_factor_invalido(muestra):
    with pytest.raises(ValueError, match="mayor o igual a 1"):
        gg.tablas_grandes(muestra, 0)


def test_se_lee_como_un_libro_de_excel(muestra, tmp_path):
    # Como un libro de Excel, para que la medición de la lectura sea la de un libro real: los
    # textos en la tabla compartida (en la celda, inlineStr, openpyxl lee un 30 % más lento)
    # y cada hoja declara su tamaño (<dimension>; sin él, openpyxl en modo de sólo lectura,
    # el de `cargar_datos`, no sabe el tamaño sin recorrer la hoja).
    salida = gg.escribir(gg.tablas_grandes(muestra, 1), tmp_path / "poa_x1.xlsx")
    with zipfile.ZipFile(salida) as archivo:
        hojas_xml = b"".join(archivo.read(n) for n in archivo.namelist()
                             if n.startswith("xl/worksheets/"))
        assert "xl/sharedStrings.xml" in archivo.namelist()
    assert b'<c r="A1" t="s">' in hojas_xml and b"inlineStr" not in hojas_xml
    libro_xl = load_workbook(salida, read_only=True)
    try:
        assert set(libro_xl.sheetnames) == set(HOJAS) - set(HOJAS_DEL_LIBRO_RECOGIDO)
        for hoja in libro_xl.sheetnames:
            tabla = getattr(muestra, hoja)
            ultima = get_column_letter(len(tabla.columns) - 1)  # sin la columna fila
            assert libro_xl[hoja].calculate_dimension() == f"A1:{ultima}{len(tabla) + 1}", hoja
        # Fechas y montos con el formato de la muestra (las celdas no vacías de la primera
        # fila de datos; una celda vacía no se escribe).
        montos = ["inicial", "vigente", *COLUMNAS_VIG, *COLUMNAS_DEV]
        for hoja, columnas, formato in (
            ("reformulaciones", ["fecha"], gg._FORMATO_FECHA),
            ("presupuesto", montos, gg._FORMATO_MONTO),
        ):
            primera = getattr(muestra, hoja).iloc[0]
            con_valor = [c for c in columnas if pd.notna(primera[c])]
            assert con_valor, hoja  # la prueba tiene sentido
            encabezado, fila = libro_xl[hoja].iter_rows(min_row=1, max_row=2)
            nombres = [c.value for c in encabezado]
            for columna in con_valor:
                assert fila[nombres.index(columna)].number_format == formato, (hoja, columna)
    finally:
        libro_xl.close()
