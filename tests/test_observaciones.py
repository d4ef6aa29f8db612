"""Las observaciones propuestas al recoger los formularios (`helpers.formularios.observaciones`,
`informe-poa recoger`).

Cada regla, con tablas hechas a mano; y una recepción de la muestra con los formularios
llenos por un programa sin nada que observar (lo ejecutado igual a lo programado, un medio de
verificación en cada operación) salvo cinco problemas plantados, uno por regla: `recoger`
propone exactamente esas cinco observaciones, en la hoja observaciones del libro recogido y en
observaciones.csv. Las unidades y operaciones de cada problema salen de su lugar en los
formularios, no de sus códigos."""
from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from helpers.formularios.libro import (
    HOJA_ANTERIORES,
    columnas_ejecutado,
    columnas_programado,
)
from helpers.formularios.observaciones import REGLAS, proponer
from helpers.rutas import RAIZ

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

sys.path.insert(0, str(RAIZ / "scripts"))
import formularios_llenos  # noqa: E402  (scripts/: lo usa también make benchmark)


def _limpio(ruta: Path, trimestre: int) -> dict[str, tuple[float, float, float]]:
    """Llena el formulario sin nada que observar: lo ejecutado igual a lo programado, un
    medio de verificación y ninguna justificación. Devuelve lo programado de cada
    operación."""
    celdas = formularios_llenos.tabla(ruta)
    codigos = list(dict.fromkeys(codigo for codigo, _ in celdas))
    valores, programa = {}, {}
    for codigo in codigos:
        metas = [celdas[codigo, c] or 0 for c in columnas_programado(trimestre)]
        programa[codigo] = metas
        for columna, meta in zip(columnas_ejecutado(trimestre), metas):
            valores[codigo, columna] = meta
        valores[codigo, "justificacion"] = None
        valores[codigo, "medio_verificacion"] = f"Informe de {codigo}"
    formularios_llenos.llenar(ruta, valores)
    return programa


def _con_meta(programa: dict, no_aplica: set[str]) -> list[str]:
    return [codigo for codigo, metas in programa.items()
            if sum(metas) > 0 and codigo not in no_aplica]


@pytest.mark.lento
def test_la_muestra_con_cinco_problemas_plantados(tmp_path):
    from helpers.formularios.envio import parametros_de_seguimiento
    from helpers.formularios.recogida import ARCHIVO_OBSERVACIONES, HOJA_OBSERVACIONES, recoger

    contenido = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    contenido["datos"] = str(RAIZ / contenido["datos"])
    params = tmp_path / "2024-T2.yaml"
    params.write_text(yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")
    parametros = parametros_de_seguimiento(params)
    trimestre = parametros.trimestre_corte
    llenos = formularios_llenos.emitidos_y_llenos(params, tmp_path / "formularios")
    programas = {unidad: _limpio(ruta, trimestre) for unidad, ruta in llenos.items()}
    maestro = pd.read_excel(contenido["datos"], sheet_name="operaciones", dtype=str,
                            engine="openpyxl")
    no_aplica = set(maestro.loc[maestro["no_aplica"].fillna("").str.strip().ne(""),
                                "codigo_operacion"])
    # Cinco unidades con al menos dos operaciones con meta, cada una con un problema.
    con_dos = [u for u, p in programas.items() if len(_con_meta(p, no_aplica)) >= 2][:5]
    assert len(con_dos) == 5
    ejecutado = columnas_ejecutado(trimestre)
    esperadas = set()

    unidad = con_dos[0]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    meta = sum(programas[unidad][codigo])
    formularios_llenos.llenar(llenos[unidad], {(codigo, ejecutado[0]): 2 * meta + 1})
    esperadas.add((unidad, codigo, "sobre_programado"))

    unidad = con_dos[1]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    formularios_llenos.llenar(llenos[unidad], {(codigo, c): 0 for c in ejecutado})
    esperadas.add((unidad, codigo, "sin_justificacion"))

    unidad = con_dos[2]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    formularios_llenos.llenar(llenos[unidad], {(codigo, "medio_verificacion"): None})
    esperadas.add((unidad, codigo, "sin_medio"))

    unidad = con_dos[3]
    libro = openpyxl.load_workbook(llenos[unidad])
    hoja = libro[HOJA_ANTERIORES]
    encabezado = [c.value for c in hoja[1]]
    codigo = hoja.cell(2, 1).value
    celda = hoja.cell(2, encabezado.index("ejec_01") + 1)
    celda.value = (celda.value or 0) + 3
    libro.save(llenos[unidad])
    esperadas.add((unidad, codigo, "meses_anteriores"))

    unidad = con_dos[4]
    primera, segunda = _con_meta(programas[unidad], no_aplica)[:2]
    formularios_llenos.llenar(llenos[unidad], {(primera, "justificacion"): "Se reprogramó.",
                                               (segunda, "justificacion"): "se reprogramó."})
    esperadas.add((unidad, segunda, "justificacion_copiada"))

    momento = formularios_llenos.recibido_a_tiempo(parametros.recepcion.plazo)
    for ruta in llenos.values():
        formularios_llenos.fechar(ruta, momento)
    salida = tmp_path / "recogido" / "poa-recogido.xlsx"
    recogida = recoger(params, tmp_path / "formularios", salida)

    propuestas = recogida.observaciones
    assert set(zip(propuestas["codigo_unidad"], propuestas["codigo_operacion"],
                   propuestas["regla"])) == esperadas
    assert len(propuestas) == len(esperadas) == len(REGLAS)
    assert set(propuestas["estado"]) == {"propuesta"}
    csv = pd.read_csv(salida.parent / ARCHIVO_OBSERVACIONES, dtype=str, keep_default_na=False)
    assert list(csv["regla"]) == list(propuestas["regla"])
    hoja = openpyxl.load_workbook(salida)[HOJA_OBSERVACIONES]
    assert [c.value for c in hoja[1]][:4] == ["ronda", "codigo_unidad", "archivo",
                                              "codigo_operacion"]
    assert hoja.max_row == len(esperadas) + 1
