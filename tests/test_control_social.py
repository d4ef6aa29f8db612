"""El ciclo de la rendición de cuentas: lo que observó el control social y los compromisos de
la entidad (hoja control_social), y las recomendaciones con su código y su seguimiento (hoja
seguimiento_recomendaciones). Las cifras de los informes de la muestra se comparan con un
oráculo que lee el libro con openpyxl y cuenta en Python simple.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import fabrica
import openpyxl
import pandas as pd
import pytest

from helpers.calculo.recomendaciones import codigo_de, normalizar, tabla_recomendaciones
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import cargar_parametros
from helpers.rutas import RAIZ


def _hoja(ruta: Path, nombre: str) -> list[dict]:
    libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    try:
        filas = libro[nombre].iter_rows(values_only=True)
        encabezado = [str(c) for c in next(filas)]
        return [dict(zip(encabezado, f)) for f in filas if any(v is not None for v in f)]
    finally:
        libro.close()


def _libro() -> Path:
    parametros = cargar_parametros(RAIZ / "params" / "2024-anual.yaml")
    return parametros.raiz / parametros.datos


def _csv(carpeta: Path, nombre: str) -> pd.DataFrame:
    return pd.read_csv(carpeta / "datos-abiertos" / f"{nombre}.csv", dtype=str,
                       keep_default_na=False)


def _estado(fila: dict) -> str:
    return fila["estado"] or "pendiente"


# --- La rendición de cuentas de la muestra --------------------------------------------------

def test_la_rendicion_final_presenta_lo_observado_y_sigue_los_compromisos(informes_muestra):
    carpeta = informes_muestra["2024-anual.yaml"]
    hoja = _hoja(_libro(), "control_social")
    observadas = [f for f in hoja if f["gestion"] == 2024
                  and f["audiencia"] in ("inicial", "parcial")]
    # Los de la final de 2023 que siguen sin cumplirse, y los de las audiencias de 2024.
    arrastrados = [f for f in hoja if f["gestion"] == 2023 and f["audiencia"] == "final"
                   and _estado(f) != "cumplido"]
    compromisos = [f for f in arrastrados + observadas if (f["compromiso"] or "").strip()]
    assert arrastrados, "la muestra debe tener un compromiso de 2023 sin cumplirse"
    corte = dt.datetime(2024, 12, 31)
    vencidos = [f for f in compromisos if f["plazo"] is not None and f["plazo"] < corte
                and _estado(f) != "cumplido"]

    tabla = _csv(carpeta, "control_social")
    assert list(tabla["observacion"]) == [f["observacion"] for f in observadas]
    seguidos = _csv(carpeta, "compromisos")
    assert list(seguidos["compromiso"]) == [f["compromiso"] for f in compromisos]
    assert Counter(seguidos["estado"]) == Counter(_estado(f) for f in compromisos)
    assert (seguidos["vencido"] == "True").sum() == len(vencidos)

    html = (carpeta / "informe.html").read_text(encoding="utf-8")
    assert "Control social: observaciones y compromisos" in html
    assert f"De los {len(compromisos)} compromisos" in html
    assert f"{len(vencidos)} compromisos tienen el plazo vencido" in html
    for f in observadas:
        assert f["organizacion"] in html


def test_la_rendicion_final_sigue_las_recomendaciones_anteriores(informes_muestra):
    """Cada recomendación de la hoja seguimiento_recomendaciones va con su estado; las que no
    se resolvieron y este informe vuelve a hacer (mismo texto en la hoja narrativa de la
    gestión) se dicen repetidas."""
    carpeta = informes_muestra["2024-anual.yaml"]
    seguimiento = _hoja(_libro(), "seguimiento_recomendaciones")
    narrativa = {" ".join(str(f["texto"]).split()).rstrip(".").lower()
                 for f in _hoja(_libro(), "narrativa") if f["tipo"] == "recomendacion"}
    repetidas = {f["codigo"] for f in seguimiento
                 if f["estado"] in ("pendiente", "en curso")
                 and " ".join(f["recomendacion"].split()).rstrip(".").lower() in narrativa}
    assert repetidas, "la muestra debe tener alguna recomendación repetida sin resolver"

    tabla = _csv(carpeta, "seguimiento_recomendaciones")
    assert list(tabla["codigo"]) == [f["codigo"] for f in seguimiento]
    assert Counter(tabla["estado"]) == Counter(f["estado"] for f in seguimiento)
    assert set(tabla.loc[tabla["repetida_en"] != "", "codigo"]) == repetidas

    propias = _csv(carpeta, "recomendaciones")
    assert list(propias["codigo"]) == [codigo_de("2024-anual", i)
                                       for i in range(1, len(propias) + 1)]
    assert set(propias.loc[propias["repite"] != "", "repite"]) == repetidas
    html = (carpeta / "informe.html").read_text(encoding="utf-8")
    assert "Seguimiento de las recomendaciones anteriores" in html
    for codigo in [*tabla["codigo"], *propias["codigo"]]:
        assert codigo in html, codigo


def test_la_hoja_de_seguimiento_de_la_muestra_copia_las_del_segundo_trimestre(informes_muestra):
    """El código y el texto de cada fila de la muestra son los que imprime su informe: el
    seguimiento de la muestra no queda atrás si cambia cómo se numeran."""
    propias = _csv(informes_muestra["2024-T2.yaml"], "recomendaciones")
    del_informe = dict(zip(propias["codigo"], propias["texto"]))
    for fila in _hoja(_libro(), "seguimiento_recomendaciones"):
        assert del_informe.get(fila["codigo"]) == fila["recomendacion"], fila["codigo"]


def test_la_rendicion_inicial_sigue_los_compromisos_de_la_final_anterior(informes_muestra):
    carpeta = informes_muestra["2024-inicial.yaml"]
    compromisos = [f for f in _hoja(_libro(), "control_social")
                   if f["gestion"] == 2023 and f["audiencia"] == "final"
                   and (f["compromiso"] or "").strip()]
    seguidos = _csv(carpeta, "compromisos")
    assert list(seguidos["compromiso"]) == [f["compromiso"] for f in compromisos]
    assert Counter(seguidos["estado"]) == Counter(_estado(f) for f in compromisos)
    assert "Compromisos de la audiencia final anterior" in (
        carpeta / "informe.html").read_text(encoding="utf-8")


# --- Las reglas, sobre libros pequeños ------------------------------------------------------

def _con_hojas(tmp_path: Path, **hojas) -> Path:
    tablas = fabrica.tablas_pequenas()
    tablas.update(hojas)
    return fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)


def test_codigos_estables_en_el_orden_en_que_se_imprimen(tmp_path, libro_pequeno):
    params = fabrica.escribir_params(
        tmp_path / "p.yaml", libro_pequeno,
        presentacion={"recomendaciones": ["Primera de planificación.", "Segunda."]})
    parametros = cargar_parametros(params)
    datos = cargar_datos(parametros.ruta_datos)
    una = tabla_recomendaciones(parametros, datos)
    otra = tabla_recomendaciones(parametros, datos)
    assert una.equals(otra)
    assert list(una["codigo"][:2]) == ["R-2024-T2-01", "R-2024-T2-02"]
    assert list(una["texto"][:2]) == ["Primera de planificación.", "Segunda."]
    assert normalizar("  Revisar  las METAS.") == normalizar("revisar las metas")


@pytest.mark.parametrize(("hoja", "fila", "columna", "valor", "mensaje"), [
    ("control_social", {"gestion": 2024, "audiencia": "intermedia", "organizacion": "Red",
                        "observacion": "Algo"}, "audiencia", "intermedia", "audiencia"),
    ("control_social", {"gestion": 2024, "audiencia": "final", "organizacion": "Red",
                        "observacion": "Algo", "estado": "hecho"}, "estado", "hecho",
     "compromiso"),
    ("seguimiento_recomendaciones", {"codigo": "R-2024-T1-01", "recomendacion": "Algo",
                                     "estado": "resuelta"}, "estado", "resuelta",
     "recomendación"),
])
def test_un_valor_fuera_de_la_lista_se_nombra_con_su_celda(tmp_path, hoja, fila, columna,
                                                            valor, mensaje):
    from helpers.entrada.contrato import COLUMNAS_CONTRATO

    columnas = COLUMNAS_CONTRATO[hoja]
    libro = _con_hojas(tmp_path, **{hoja: [columnas, [fila.get(c) for c in columnas]]})
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(libro)
    problemas = [p for p in error.value.problemas if p.hoja == hoja]
    assert [(p.fila, p.columna) for p in problemas] == [(2, columna)]
    assert valor in problemas[0].mensaje and mensaje in problemas[0].mensaje


def _seguimiento(codigos: list[str]) -> list[list]:
    from helpers.entrada.contrato import COLUMNAS_CONTRATO

    columnas = COLUMNAS_CONTRATO["seguimiento_recomendaciones"]
    filas = [{"codigo": c, "recomendacion": f"Recomendación {c}.", "estado": "pendiente"}
             for c in codigos]
    return [columnas, *([f.get(col) for col in columnas] for f in filas)]


@pytest.mark.parametrize(("informe", "esperados"), [
    ({"informe": "trimestral", "trimestre": 1}, ["R-2023-anual-02"]),
    ({"informe": "trimestral", "trimestre": 3},
     ["R-2023-anual-02", "R-2024-T2-01", "R-2024-anual-junio-01"]),
    ({"informe": "anual", "trimestre": None},
     ["R-2023-anual-02", "R-2024-T2-01", "R-2024-anual-junio-01", "R-2024-T4-01"]),
])
def test_sigue_solo_las_de_informes_anteriores(tmp_path, informe, esperados):
    """Las de un informe posterior no se listan; las de la rendición de medio año no son de
    la final aunque su código empiece igual; las del mismo corte (el trimestral de diciembre y
    la rendición final), sí."""
    libro = _con_hojas(tmp_path, seguimiento_recomendaciones=_seguimiento(
        ["R-2023-anual-02", "R-2024-T2-01", "R-2024-anual-junio-01", "R-2024-T4-01",
         "R-2024-anual-01"]))
    parametros = cargar_parametros(fabrica.escribir_params(tmp_path / "p.yaml", libro,
                                                           **informe))
    from helpers.calculo.recomendaciones import tablas_de_recomendaciones

    tabla = tablas_de_recomendaciones(parametros, cargar_datos(libro))
    assert list(tabla["seguimiento_recomendaciones"]["codigo"]) == esperados


def test_un_codigo_mal_escrito_se_nombra_con_su_celda(tmp_path):
    libro = _con_hojas(tmp_path, seguimiento_recomendaciones=_seguimiento(["R2024-T2-1"]))
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(libro)
    problema = next(p for p in error.value.problemas if p.hoja == "seguimiento_recomendaciones")
    assert (problema.fila, problema.columna) == (2, "codigo")
    assert "R-2024-T2-03" in problema.mensaje
