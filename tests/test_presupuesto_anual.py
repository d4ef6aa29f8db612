"""Lo que arma `helpers.redaccion.presupuesto_anual` para la ejecución presupuestaria, la
relación físico-financiera y la evolución trimestral de la rendición de cuentas.

Tablas pequeñas hechas a mano (con la forma de las de `helpers.calculo.anual`); lo esperado
se calcula en cada prueba a partir de ellas. Al final, las secciones con el libro pequeño de
`fabrica` (corte de diciembre, sin hoja de ingresos) y con la muestra al corte de junio.
"""
from __future__ import annotations

import math

import fabrica
import numpy as np
import pandas as pd
import pytest
import yaml

from helpers.preparacion import abrir
from helpers.redaccion import presupuesto_anual as pa
from helpers.rutas import RAIZ

UMBRALES = {1: [20, 10], 2: [43, 33], 3: [65, 48], 4: [85, 65]}


def _categoria() -> pd.DataFrame:
    lineas = [
        # categoria, fuente, programa, vigente, devengado, unidad
        ("570 0 003", "10 TGN", "Gestión migratoria", 1000.0, 900.0, "U1"),
        ("560 0 002", "10 TGN", "Bilaterales", 2000.0, 1000.0, "U2"),
        ("560 0 002", "20 RE", "Bilaterales", 500.0, 450.0, "U9"),  # U9 no está en unidades
    ]
    tabla = pd.DataFrame(lineas, columns=["categoria_programatica", "fuente", "programa",
                                          "vigente", "devengado_anual", "codigo_unidad"])
    total = {"categoria_programatica": "TOTAL", "fuente": "", "programa": "Total de la entidad",
             "vigente": tabla["vigente"].sum(), "devengado_anual": tabla["devengado_anual"].sum(),
             "codigo_unidad": ""}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla["ejecucion_anual"] = tabla["devengado_anual"] / tabla["vigente"] * 100
    tabla["saldo"] = tabla["vigente"] - tabla["devengado_anual"]
    tabla["codigo_acp"] = ""
    return tabla


UNIDADES = pd.DataFrame({"codigo_unidad": ["U1", "U2"], "nombre": ["Unidad Uno", "Unidad Dos"]})


def test_categoria_con_nombre_de_unidad_y_semaforo():
    cat = pa.categoria_presentable(_categoria(), UNIDADES, 4, UMBRALES)
    assert cat["unidad"].tolist() == ["Unidad Uno", "Unidad Dos", "U9", ""]
    verde, amarillo = UMBRALES[4]
    esperado = ["verde" if e >= verde else "amarillo" if e >= amarillo else "rojo"
                for e in _categoria()["ejecucion_anual"]]
    assert cat["semaforo"].tolist() == esperado
    # Las demás columnas y el orden no cambian.
    pd.testing.assert_frame_equal(cat[_categoria().columns], _categoria())


def test_parrafo_presupuesto_cuenta_lineas_y_dice_el_total():
    cat = pa.categoria_presentable(_categoria(), UNIDADES, 4, UMBRALES)
    texto = pa.parrafo_presupuesto(cat, gestion=2024, acumulado="enero a diciembre de 2024",
                                   trimestre=4, umbrales=UMBRALES)
    assert "3 líneas presupuestarias" in texto
    assert "2 categorías programáticas" in texto
    assert "3.500,00 Bs" in texto and "2.350,00 Bs" in texto  # vigente y devengado sumados
    assert "1.150,00 Bs" in texto  # saldo
    assert "no registra el presupuesto inicial" in texto
    ejec = _categoria()["ejecucion_anual"].iloc[:-1]
    verde, amarillo = UMBRALES[4]
    cuentas = {"verde": (ejec >= verde).sum(),
               "amarillo": ((ejec < verde) & (ejec >= amarillo)).sum(),
               "rojo": (ejec < amarillo).sum()}
    esperado = ", ".join(f"{n} en {c}" for c, n in cuentas.items() if n)
    assert f"las líneas quedan así: {esperado}." in texto
    # Las dos líneas de 560 0 002 se distinguen por su fuente.
    assert "20 RE" in texto
    con_inicial = pa.parrafo_presupuesto(cat, gestion=2024, acumulado="x", trimestre=4,
                                         umbrales=UMBRALES, con_inicial=True)
    assert "presupuesto inicial" not in con_inicial


def test_fuentes_ordenadas_por_vigente_con_su_parte():
    fuente = pd.DataFrame({"fuente": ["20 RE", "10 TGN", "TOTAL"],
                           "vigente": [500.0, 1500.0, 2000.0],
                           "devengado_anual": [250.0, 1200.0, 1450.0]})
    fuente["ejecucion_anual"] = fuente["devengado_anual"] / fuente["vigente"] * 100
    texto = pa.frase_fuentes(fuente)
    assert texto.index("10 TGN") < texto.index("20 RE")
    assert "75,00 % del vigente" in texto and "25,00 % del vigente" in texto
    assert "80,00 %" in texto and "50,00 %" in texto
    assert pa.frase_fuentes(fuente.iloc[0:0]) == ""


def test_devengado_por_mes_suma_las_lineas_hasta_el_corte():
    presupuesto = pd.DataFrame({f"dev_{mes:02d}": [mes * 10.0, -1.0 if mes == 5 else 2.0]
                                for mes in range(1, 13)})
    anual = pa.devengado_por_mes(presupuesto, 4)
    assert anual["mes"].tolist() == list(range(1, 13))
    assert anual.loc[anual["mes"] == 5, "devengado"].item() == 49.0
    assert anual["devengado"].sum() == pytest.approx(presupuesto.to_numpy().sum())
    junio = pa.devengado_por_mes(presupuesto, 2)
    assert junio["mes"].tolist() == list(range(1, 7))
    assert set(junio["nivel"]) == {"entidad"}


def _ingresos(recaudado: list[float], vigente: list[float]) -> pd.DataFrame:
    tabla = pd.DataFrame({"rubro": [f"R{i}" for i in range(len(vigente))],
                          "descripcion": [f"Rubro {i}" for i in range(len(vigente))],
                          "vigente": vigente, "recaudado_anual": recaudado})
    total = {"rubro": "TOTAL", "descripcion": "Total de ingresos",
             "vigente": sum(vigente), "recaudado_anual": sum(recaudado)}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla["ejecucion"] = tabla["recaudado_anual"] / tabla["vigente"] * 100
    tabla["saldo"] = tabla["vigente"] - tabla["recaudado_anual"]
    return tabla


def test_parrafo_ingresos_sobre_y_bajo_lo_presupuestado():
    ing = _ingresos([120.0, 30.0, 80.0], [100.0, 100.0, 100.0])
    texto = pa.parrafo_ingresos(ing, "enero a diciembre de 2024")
    assert "Los 3 rubros" in texto and "300,00 Bs" in texto and "230,00 Bs" in texto
    assert "70,00 Bs por recaudar" in texto
    assert "Superó lo presupuestado: Rubro 0 (120,00 %)" in texto
    assert "menos de la mitad de lo presupuestado: Rubro 1 (30,00 %)" in texto
    sobre = pa.parrafo_ingresos(_ingresos([150.0], [100.0]), "x")
    assert "50,00 Bs más de lo presupuestado" in sobre


def test_sin_ingresos():
    vacia = pd.DataFrame({c: pd.Series(dtype=object) for c in
                          ["rubro", "descripcion", "fuente", "vigente", "recaudado_anual",
                           "ejecucion", "saldo"]})
    assert not pa.hay_ingresos(vacia)
    assert pa.hay_ingresos(_ingresos([1.0], [2.0]))


def _unidad() -> pd.DataFrame:
    return pd.DataFrame({
        "codigo_unidad": ["A1", "A2", "B1", "B2", "B3"],
        "nombre": ["Zeta", "Alfa", "Beta", "Gama", "Delta"],
        "area": ["A", "A", "B", "B", "B"],
        "avance_fisico_anual": [90.0, 90.001, 80.0, 70.0, np.nan],
        "eficacia_anual": [88.0, 89.0, 79.0, 69.0, np.nan],
        "ejecucion_anual": [95.0, 85.0, np.nan, 70.0, 50.0],
    })


def test_relacion_unidades_orden_y_diferencia():
    rel = pa.relacion_unidades(_unidad(), {"A": "Área A", "B": "Área B"}.get)
    # Mismo avance impreso (90,00): por nombre; sin avance, al final.
    assert rel["nombre"].tolist() == ["Alfa", "Zeta", "Beta", "Gama", "Delta"]
    assert rel["area"].tolist() == ["Área A", "Área A", "Área B", "Área B", "Área B"]
    esperado = {"Alfa": 90.0 - 85.0, "Zeta": 90.0 - 95.0, "Gama": 0.0}
    for nombre, dif in esperado.items():
        assert rel.loc[rel["nombre"] == nombre, "diferencia"].item() == pytest.approx(dif)
    assert rel.loc[rel["nombre"].isin(["Beta", "Delta"]), "diferencia"].isna().all()
    assert pa.comparables(rel)["nombre"].tolist() == ["Alfa", "Zeta", "Gama"]


def test_relacion_con_eficacia():
    rel = pa.relacion_unidades(_unidad(), str, "eficacia_anual")
    assert rel["nombre"].tolist()[:2] == ["Alfa", "Zeta"]
    assert rel.loc[rel["nombre"] == "Zeta", "diferencia"].item() == pytest.approx(88.0 - 95.0)
    assert pa.fisico_del_corte(4) == "avance_fisico_anual"
    assert pa.fisico_del_corte(2) == "eficacia_anual"


def test_parrafo_relacion_cuenta_y_nombra_extremos():
    rel = pa.relacion_unidades(_unidad(), str)
    total = pd.Series({"avance_fisico_anual": 81.5, "ejecucion_anual": 77.25})
    texto = pa.parrafo_relacion(rel, total, "anual")
    assert "81,50 %" in texto and "77,25 %" in texto
    assert "De las 3 unidades" in texto
    assert "en 1 el avance físico supera" in texto and "en 1 la ejecución supera" in texto
    assert "en 1 son iguales" in texto
    assert "Alfa (5,00 puntos)" in texto and "Zeta (5,00 puntos)" in texto


def test_sin_comparar_por_area():
    texto = pa.frase_sin_comparar(_unidad(), {"A": "Área A", "B": "Área B"}.get)
    assert "1 unidad de Área B no tiene presupuesto propio" in texto
    assert "Gama y Delta" in texto  # las del área con presupuesto
    assert "1 unidad no tiene operaciones programadas" in texto
    completas = _unidad().iloc[:2]
    assert pa.frase_sin_comparar(completas, str) == ""


def test_partes_iguales_y_rotulos_unicos():
    tramos = pa.partes_iguales(110, 28)
    assert [len(t) for t in tramos] == [28, 28, 27, 27]
    assert [i for t in tramos for i in t] == list(range(110))
    assert pa.partes_iguales(0, 28) == []
    largo = "Dirección General de Algo Muy Largo que no Cabe en el Rótulo del Gráfico"
    rotulos = pa.rotulos_unicos(pd.Series([largo + " A", largo + " B", "Corta"]),
                                pd.Series(["X1", "X2", "X3"]))
    assert len(set(rotulos)) == 3 and rotulos[2] == "Corta"
    assert rotulos[0].endswith("(X1)")


def _trimestral(hasta: int) -> pd.DataFrame:
    filas = []
    for area, nivel, base in (("A", "area", 10.0), ("B", "area", 20.0),
                              ("Central", "servicio", 15.0), ("TOTAL", "entidad", 15.0)):
        for t in range(1, hasta + 1):
            filas.append({"area": area, "trimestre": t, "eficacia": base + t,
                          "ejecucion": base * t, "nivel": nivel})
    return pd.DataFrame(filas)


def _area(trimestral: pd.DataFrame) -> pd.DataFrame:
    suma = trimestral.groupby("area", sort=False)[["eficacia", "ejecucion"]].sum()
    return pd.DataFrame({"area": suma.index, "eficacia_anual": suma["eficacia"].to_numpy(),
                         "ejecucion_anual": suma["ejecucion"].to_numpy()})


@pytest.mark.parametrize("hasta", [4, 2])
def test_pivote_trimestral(hasta):
    tri = _trimestral(hasta)
    piv = pa.pivote_trimestral(tri, _area(tri), "eficacia", lambda a: {"A": "Área A"}.get(a, a))
    assert piv.columns.tolist() == ["area", *[f"T{t}" for t in range(1, hasta + 1)], "gestion"]
    # Sin servicios, con nombres; TOTAL al final.
    assert piv["area"].tolist() == ["Área A", "B", "TOTAL"]
    piv = pa.pivote_trimestral(tri, _area(tri), "ejecucion")
    assert piv["area"].tolist() == ["A", "B", "TOTAL"]
    fila_b = piv[piv["area"] == "B"].iloc[0]
    assert [fila_b[f"T{t}"] for t in range(1, hasta + 1)] == [20.0 * t for t in range(1, hasta + 1)]
    assert fila_b["gestion"] == sum(20.0 * t for t in range(1, hasta + 1))
    assert piv.notna().all().all()
    titulos = pa.titulos_trimestres(hasta)
    assert set(titulos) == {*(f"T{t}" for t in range(1, hasta + 1)), "gestion"}


def test_parrafo_evolucion_trimestres_y_mayor_ejecucion():
    tri = _trimestral(4)
    total = pd.Series({"eficacia_anual": 70.0, "ejecucion_anual": 150.0})
    texto = pa.parrafo_evolucion(tri, total, 2024)
    assert "16,00 % en el primero" in texto and "19,00 % en el cuarto" in texto
    assert "El trimestre de mayor ejecución fue el cuarto (60,00 %)" in texto
    assert "70,00 %" in texto and "150,00 %" in texto
    junio = pa.parrafo_evolucion(_trimestral(2), total, 2024)
    assert "tercero" not in junio and "cuarto" not in junio


def test_titulos_segun_el_corte():
    assert pa.titulos_anuales(4)["devengado_anual"] == "Devengado anual (Bs)"
    assert pa.titulos_anuales(2)["devengado_anual"] == "Devengado a junio (Bs)"
    assert pa.titulos_ingresos(4)["saldo"] == "Saldo por recaudar (Bs)"


# ---------------------------------------------------------------------------------------
# Con un Preparado: el libro pequeño sin hoja de ingresos y la muestra al corte de junio
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def prep_sin_ingresos(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("sin_ingresos")
    tablas = fabrica.tablas_pequenas()
    del tablas["ingresos"]
    libro = fabrica.escribir_libro(carpeta / "poa.xlsx", tablas)
    params = fabrica.escribir_params(carpeta / "anual.yaml", libro, informe="anual",
                                     trimestre=None)
    return abrir(params)


def test_libro_sin_ingresos(prep_sin_ingresos):
    prep = prep_sin_ingresos
    assert prep.de_gestion and prep.trimestre == 4
    assert not pa.hay_ingresos(prep.tablas["ingresos"])
    cat = pa.categoria_gestion(prep)
    lineas = prep.datos.presupuesto
    assert cat["unidad"].iloc[:-1].tolist() == [
        dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))[c]
        for c in lineas["codigo_unidad"]]
    mensual = pa.devengado_por_mes(lineas, prep.trimestre)
    assert mensual["devengado"].sum() == pytest.approx(cat["devengado_anual"].iloc[-1])
    assert "Bs" in pa.parrafo_presupuesto_gestion(prep, cat)


@pytest.fixture(scope="module")
def prep_junio(tmp_path_factory):
    contenido = yaml.safe_load((RAIZ / "params" / "2024-anual.yaml").read_text(encoding="utf-8"))
    contenido["corte"] = "junio"
    # Fuera del proyecto, una ruta relativa se leería desde la carpeta de la copia.
    contenido["datos"] = str(RAIZ / contenido["datos"])
    ruta = tmp_path_factory.mktemp("junio") / "2024-anual-junio.yaml"
    ruta.write_text(yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")
    return abrir(ruta)


def test_corte_de_junio_sin_columnas_vacias(prep_junio):
    prep = prep_junio
    assert prep.trimestre == 2
    tri = prep.tablas["trimestral"]
    for indicador in ("eficacia", "ejecucion"):
        piv = pa.pivote_trimestral(tri, prep.tablas["area"], indicador, prep.nombre_area)
        assert piv.columns.tolist() == ["area", "T1", "T2", "gestion"]
        assert piv.notna().all().all()
        assert piv["area"].iloc[-1] == "TOTAL"
    texto = pa.parrafo_evolucion(tri, pa.fila_entidad(prep), prep.gestion)
    assert "tercero" not in texto and "cuarto" not in texto
    mensual = pa.devengado_por_mes(prep.datos.presupuesto, prep.trimestre)
    assert mensual["mes"].max() == 6
    cat = pa.categoria_gestion(prep)
    assert mensual["devengado"].sum() == pytest.approx(cat["devengado_anual"].iloc[-1])
    fisico = pa.fisico_del_corte(prep.trimestre)
    rel = pa.relacion_unidades(prep.tablas["unidad"], prep.nombre_area, fisico)
    assert fisico == "eficacia_anual" and len(rel) == len(prep.tablas["unidad"])
    assert not math.isnan(pa.fila_entidad(prep)["eficacia_anual"])
