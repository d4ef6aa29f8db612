"""La remisión de los formularios en el informe trimestral (helpers.calculo.remision y
helpers.redaccion.remision): una fila por unidad del registro de recepción (hoja recepcion),
la que decide; el párrafo que nombra a las unidades que no enviaron en plazo y el cuadro con
ellas. Lo esperado sale de `fabrica.RECEPCION` y de la hoja unidades, no se escribe aquí."""
from __future__ import annotations

import fabrica
import pandas as pd
import pytest

from helpers.calculo.remision import SITUACIONES, tabla_remision, tiene_recepcion
from helpers.entrada.datos import cargar_datos
from helpers.preparacion import abrir
from helpers.redaccion.remision import cuadro_remision, parrafo_remision

_REGISTRO = pd.DataFrame(fabrica.RECEPCION[1:], columns=fabrica.RECEPCION[0])
_NOMBRES = dict((f[0], f[1]) for f in fabrica.UNIDADES[1:])
_SITUACION = {estado: s for s, estados in SITUACIONES.items() for estado in estados}


def _decide(codigo: str) -> pd.Series:
    filas = _REGISTRO[_REGISTRO["codigo_unidad"] == codigo]
    return filas[filas["estado"].isin(_SITUACION)].iloc[-1]


@pytest.fixture(scope="module")
def prep(tmp_path_factory):
    base = tmp_path_factory.mktemp("remision")
    libro = fabrica.escribir_libro(base / "poa.xlsx", fabrica.con_recepcion(fabrica.TABLAS))
    return abrir(fabrica.escribir_params(base / "T2.yaml", libro,
                                         recepcion={"plazo": "2024-07-10"}))


def test_sin_la_hoja_no_hay_remision(tmp_path):
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", fabrica.TABLAS))
    assert not tiene_recepcion(datos)
    assert tabla_remision(datos).empty


def test_una_fila_por_unidad_con_la_que_decide(prep):
    assert tiene_recepcion(prep.datos)
    tabla = prep.tablas["remision"].set_index("codigo_unidad")
    assert list(tabla.index) == list(dict.fromkeys(_REGISTRO["codigo_unidad"]))
    for codigo, fila in tabla.iterrows():
        decide = _decide(codigo)
        assert fila["unidad"] == _NOMBRES[codigo]
        assert fila["estado"] == decide["estado"]
        assert fila["situacion"] == _SITUACION[decide["estado"]]
        assert fila["cuenta"] == (fila["situacion"].startswith("en plazo")
                                  or fila["situacion"] == "fuera de plazo, incluido")
        enviados = _REGISTRO[(_REGISTRO["codigo_unidad"] == codigo)]["archivo"].notna().sum()
        assert fila["archivos"] == enviados
        assert fila["ronda"] == decide["ronda"]


def test_el_parrafo_nombra_a_las_que_no_enviaron_en_plazo(prep):
    texto = parrafo_remision(prep)
    tabla = prep.tablas["remision"]
    for fila in tabla.itertuples():
        assert (fila.unidad in texto) == (fila.situacion != "en plazo"), fila.unidad
    en_plazo = int((tabla["situacion"] == "en plazo").sum())
    assert f"De las {len(tabla)} unidades, {en_plazo} lo envi" in texto
    assert "10 de julio de 2024" in texto
    assert "sin reporte" in texto
    assert f"{int(tabla['ronda'].max())} rondas" in texto


def test_el_cuadro_lista_a_las_que_no_enviaron_en_plazo(prep):
    cuadro = cuadro_remision(prep)
    tabla = prep.tablas["remision"]
    for fila in tabla.itertuples():
        assert (fila.unidad in cuadro) == (fila.situacion != "en plazo"), fila.unidad
    assert cuadro.count("<tr>") == 1 + int((tabla["situacion"] != "en plazo").sum())


def test_el_texto_del_registro_es_inerte(tmp_path):
    tablas = fabrica.con_recepcion(fabrica.TABLAS)
    motivo = tablas["recepcion"][0].index("motivo")
    tablas["recepcion"][3][motivo] = "<script>alert(1)</script> *negrita*"
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    cuadro = cuadro_remision(abrir(fabrica.escribir_params(tmp_path / "T2.yaml", libro)))
    assert "<script>" not in cuadro and "&lt;script&gt;" in cuadro


def test_la_revision_cambia_la_situacion_y_el_parrafo_la_cuenta():
    """Con la columna revision del registro: la fila que decide no es un «no aplicado»; en
    observación cuenta según recepcion.observados; rechazado en la revisión no cuenta; y el
    párrafo dice cuántas se aceptaron, corrigieron o siguen en observación."""
    from types import SimpleNamespace

    from helpers.redaccion.remision import _REVISADAS, _de_la_revision

    aceptado, fuera = "aceptado", "aceptado fuera de plazo"
    registro = pd.DataFrame(
        [["A", "A.xlsx", aceptado, "aceptado"], ["A", "A (1).xlsx", aceptado, "no aplicado"],
         ["B", "B.xlsx", aceptado, "observado"], ["C", "C.xlsx", fuera, "rechazado"],
         ["D", "D.xlsx", aceptado, "corregido"]],
        columns=["codigo_unidad", "archivo", "estado", "revision"]).assign(
        fecha=pd.NaT, hoja_ruta="", ronda=1, motivo="")
    datos = SimpleNamespace(recepcion=registro, unidades=pd.DataFrame(
        {"codigo_unidad": list("ABCD"), "nombre": [f"Unidad {c}" for c in "ABCD"]}))
    tabla = tabla_remision(datos, "incluir").set_index("codigo_unidad")
    assert tabla.at["A", "archivo"] == "A.xlsx" and tabla.at["A", "cuenta"]
    assert (tabla.at["B", "situacion"], tabla.at["B", "cuenta"]) == ("en observación", True)
    assert (tabla.at["C", "situacion"], tabla.at["C", "cuenta"]) == ("rechazado", False)
    assert not tabla_remision(datos, "excluir").set_index("codigo_unidad").at["B", "cuenta"]
    texto = _de_la_revision(tabla.reset_index())
    for estado, (singular, _) in _REVISADAS.items():
        assert f"1 unidad {singular}" in texto, estado
