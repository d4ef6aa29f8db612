"""Las observaciones propuestas al recoger los formularios (`helpers.formularios.observaciones`,
`informe-poa recoger`).

Cada regla, con tablas hechas a mano; y una recepción de la muestra con los formularios
llenos por un programa sin nada que observar (lo ejecutado igual a lo programado, un medio de
verificación en cada operación) salvo cinco problemas plantados, uno por regla: `recoger`
propone exactamente esas cinco observaciones, en la hoja observaciones del libro recogido y en
observaciones.csv. Las unidades y operaciones de cada problema salen de su lugar en los
formularios, no de sus códigos."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from plantados import plantar

from helpers.formularios.libro import columnas_ejecutado, columnas_programado
from helpers.formularios.observaciones import REGLAS, proponer

EJECUTADO = columnas_ejecutado(2)
PROGRAMADO = columnas_programado(2)


def _valores(filas: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(filas, columns=["codigo_operacion", *EJECUTADO, "justificacion",
                                        "medio_verificacion"])


def _programa(filas: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(filas, columns=["codigo_operacion", *PROGRAMADO])


def _proponer(valores, programa, **extra) -> list[tuple[str, str, str]]:
    tabla = proponer(valores, programa, EJECUTADO, PROGRAMADO, factor=1.5, umbral=50.0,
                     **extra)
    return list(zip(tabla["codigo_operacion"], tabla["regla"], tabla["columna"]))


def test_cada_regla_con_su_columna():
    valores = _valores([
        ("A", 10, 10, 10, "", "Acta"),           # bien
        ("B", 10, 40, 10, "", "Acta"),           # 60 sobre 30: más de 1,5 veces
        ("C", 1, 1, 1, "", "Acta"),              # 3 de 30: 10 %, sin justificación
        ("D", 10, 10, 10, "", ""),               # sin medio
        ("E", 0, 0, 5, "", "Acta"),              # ejecución sin nada programado
        ("F", 1, 1, 1, "Lluvias", "Acta"),       # bajo, pero justificado
        ("G", 10, 10, 10, " lluvias ", "Acta"),  # la misma justificación que F
    ])
    programa = _programa([(c, 10, 10, 10) for c in "ABCDFG"] + [("E", 0, 0, 0)])
    assert _proponer(valores, programa) == [
        ("B", "sobre_programado", EJECUTADO[1]),
        ("C", "sin_justificacion", "justificacion"),
        ("D", "sin_medio", "medio_verificacion"),
        ("E", "sobre_programado", EJECUTADO[2]),
        ("G", "justificacion_copiada", "justificacion"),
    ]


def test_una_operacion_no_aplica_no_pide_justificacion():
    valores = _valores([("C", 0, 0, 0, "", "")])
    programa = _programa([("C", 10, 10, 10)])
    assert _proponer(valores, programa) == [("C", "sin_justificacion", "justificacion")]
    assert _proponer(valores, programa, no_aplica=frozenset({"C"})) == []


def test_el_factor_y_el_umbral_son_los_de_los_parametros():
    valores = _valores([("B", 16, 0, 0, "", "Acta"), ("C", 4, 0, 0, "", "Acta")])
    programa = _programa([("B", 10, 0, 0), ("C", 10, 0, 0)])
    assert _proponer(valores, programa) == [("B", "sobre_programado", EJECUTADO[0]),
                                            ("C", "sin_justificacion", "justificacion")]
    tabla = proponer(valores, programa, EJECUTADO, PROGRAMADO, factor=2.0, umbral=30.0)
    assert tabla.empty


def test_un_mes_anterior_cambiado():
    valores = _valores([("A", 10, 10, 10, "", "Acta"), ("B", 10, 10, 10, "", "Acta")])
    programa = _programa([("A", 10, 10, 10), ("B", 10, 10, 10)])
    libro = pd.DataFrame({"codigo_operacion": ["A", "B"], "ejec_01": [5.0, 5.0],
                          "ejec_02": [5.0, float("nan")], "ejec_03": [5.0, 5.0]})
    formulario = libro.copy()
    formulario.loc[1, "ejec_03"] = 7.0
    assert _proponer(valores, programa, anteriores_formulario=formulario,
                     anteriores_libro=libro) == [("B", "meses_anteriores", "ejec_03")]
    assert _proponer(valores, programa, anteriores_formulario=libro,
                     anteriores_libro=libro) == []


# --- Una recepción de la muestra ---------------------------------------------------------


@pytest.mark.lento
def test_la_muestra_con_cinco_problemas_plantados(tmp_path):
    from helpers.formularios.recogida import ARCHIVO_OBSERVACIONES, HOJA_OBSERVACIONES, recoger

    plantados = plantar(tmp_path)
    params, esperadas = plantados.params, set(plantados.esperadas)
    salida = tmp_path / "recogido" / "poa-recogido.xlsx"
    recogida = recoger(params, plantados.formularios, salida)

    propuestas = recogida.observaciones
    assert set(zip(propuestas["codigo_unidad"], propuestas["codigo_operacion"],
                   propuestas["regla"])) == esperadas
    assert len(propuestas) == len(esperadas) == len(REGLAS)
    assert set(propuestas["estado"]) == {"propuesta"}
    csv = pd.read_csv(salida.parent / ARCHIVO_OBSERVACIONES, dtype=str, keep_default_na=False)
    assert list(csv["regla"]) == list(propuestas["regla"])
    hoja = openpyxl.load_workbook(salida)[HOJA_OBSERVACIONES]
    assert [c.value for c in hoja[1]][:5] == ["ronda", "codigo_unidad", "archivo", "huella",
                                              "codigo_operacion"]
    assert hoja.max_row == len(esperadas) + 1
