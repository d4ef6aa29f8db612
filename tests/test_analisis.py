"""Las piezas de las secciones narrativas (`helpers.redaccion.analisis`): listas, conteos,
diferencias en puntos, empates y nombres de unidades y áreas.

Lo esperado se calcula con las mismas funciones de formato del proyecto a partir de las
entradas de cada prueba; ninguna cifra se escribe a mano.
"""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from helpers.comun.numeros import formatear_entero, formatear_numero, redondear
from helpers.redaccion import analisis
from helpers.redaccion.textos import enumerar


def test_lista_y_contar():
    frases = ["uno", "dos"]
    assert analisis.lista(frases).split("\n") == [f"- {f}" for f in frases]
    assert analisis.contar(1, "unidad", "unidades") == f"{formatear_entero(1)} unidad"
    assert analisis.contar(3, "unidad", "unidades") == f"{formatear_entero(3)} unidades"


def test_puntos_lleva_el_signo_de_la_diferencia():
    sube, baja = 5.49, -1.2
    assert analisis.puntos(sube) == f"+{formatear_numero(sube)} puntos"
    assert analisis.puntos(baja) == f"−{formatear_numero(abs(baja))} puntos"
    assert analisis.puntos(0.0) == f"{formatear_numero(0.0)} puntos"


def test_la_diferencia_es_la_de_las_cifras_impresas():
    ahora, antes = 10.006, 4.994
    esperada = redondear(redondear(ahora, 2) - redondear(antes, 2), 2)
    assert analisis.diferencia_impresa(ahora, antes) == esperada
    assert esperada != redondear(ahora - antes, 2)  # restar sin redondear daría otra cifra


def test_extremo_devuelve_todas_las_empatadas_tal_como_se_imprimen():
    valores = pd.Series({"A": 1.234, "B": 0.5, "C": 1.2349})
    claves, valor = analisis.extremo(valores, mayor=True)
    assert claves == ["A", "C"] and valor == redondear(valores["A"], 2)
    claves, valor = analisis.extremo(valores, mayor=False)
    assert claves == ["B"] and valor == valores["B"]


def test_nombrar_y_lista_nombres_cortan_en_maximo_nombradas():
    pocos = [f"Área {i}" for i in range(2)]
    muchos = [f"Área {i}" for i in range(analisis.MAXIMO_NOMBRADAS + 1)]
    assert analisis.nombrar(pocos[:1], "áreas") == pocos[0]
    assert analisis.nombrar(pocos, "áreas") == (
        f"{formatear_entero(len(pocos))} áreas empatadas ({enumerar(pocos)})")
    assert analisis.nombrar(muchos, "áreas") == f"{formatear_entero(len(muchos))} áreas empatadas"
    assert analisis.lista_nombres(pocos, "áreas") == enumerar(pocos)
    assert analisis.lista_nombres(muchos, "áreas") == f"{formatear_entero(len(muchos))} áreas"


def _prep():
    unidades = pd.DataFrame({"codigo_unidad": ["U1", "U2", "U3"],
                             "nombre": ["Uno", "Dos", "Tres"],
                             "area": ["B", "A", "B"]})
    return SimpleNamespace(unidades=unidades, areas=pd.DataFrame({"area": ["A", "B"]}),
                           nombre_area=lambda a: f"Área {a}")


def test_por_area_agrupa_en_el_orden_de_las_areas():
    prep = _prep()
    filas = pd.DataFrame({"codigo_unidad": ["U1", "U2", "U3"], "texto": ["x", "y", "z"]})
    grupos = analisis.por_area(prep, filas)
    assert [a for a, _ in grupos] == list(prep.areas["area"])
    assert [list(g["codigo_unidad"]) for _, g in grupos] == [["U2"], ["U1", "U3"]]


def test_bloques_por_area_nombran_el_area_y_la_unidad():
    prep = _prep()
    filas = pd.DataFrame({"codigo_unidad": ["U1"], "texto": ["Logro"], "codigo_acp": ["7"]})
    (bloque,) = analisis.bloques_por_area(prep, filas, con_acp=True)
    nombre = analisis.nombres_unidades(prep)["U1"]
    area = analisis.area_de_unidad(prep)["U1"]
    assert bloque.startswith(f"**Área:** {prep.nombre_area(area)}")
    assert f"({nombre}; ACP 7)" in bloque
