"""Las reglas de la numeración de cuadros y gráficos (``helpers.salida.ensamblado.leyendas``),
una por una, sobre trozos de HTML chicos. El informe entero con sus leyendas y fuentes:
tests/test_identidad.py."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from helpers.salida.ensamblado.leyendas import (
    FUENTE_GENERAL,
    Objeto,
    asignar_fuentes,
    continua,
    distinguir_repetidos,
    fuente_declarada,
    fuentes_de_cuadro,
    fuentes_de_grafico,
    fuentes_por_palabras,
    linea_de_fuente,
    nombre_de_id,
    nombres_para_distinguir,
    numerar_objetos,
    recoger_objetos,
    rotulo,
    titulo_declarado,
    titulo_por_contexto,
    unir_titulo,
)

FINANCIERA, FISICA = {"financiera"}, {"fisica"}


def _sopa(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _grafico(atributos: str = "", salida: str = "") -> str:
    """Una imagen como la exporta la plantilla ``cuerpo``: dentro de su salida."""
    return f'<div class="jp-RenderedImage" {salida}><img alt="Gráfico" {atributos}></div>'


# --- Títulos ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("partes", "titulo"), [
    ([], ""),
    (["Ejecución"], "Ejecución"),
    (["Alertas", "Unidad en rojo"], "Alertas: Unidad en rojo"),
    (["Ejecución financiera", "Por fuente"], "Ejecución financiera por fuente"),
    (["Avance", "Según área", "Eficacia (%)"], "Avance según área: Eficacia (%)"),
])
def test_unir_titulo_con_dos_puntos_salvo_por_y_segun(partes, titulo):
    assert unir_titulo(partes) == titulo


def test_continua_lee_la_primera_palabra_sin_tildes():
    assert continua("Según unidad") and continua("POR ACP")
    assert not continua("Porcentaje de avance") and not continua("Resumen")


@pytest.mark.parametrize(("titulos", "rotulo_", "esperado"), [
    ({1: "Resumen"}, None, "Resumen"),
    # Un título genérico no cuenta: vale el de arriba.
    ({1: "Resumen", 2: "Gráficos"}, None, "Resumen"),
    # Nivel 3 o más: precedido del de arriba.
    ({1: "Informe", 2: "Alertas", 3: "Unidad en rojo"}, None, "Alertas: Unidad en rojo"),
    # Nivel 2: solo, salvo que empiece con «Por».
    ({1: "Informe", 2: "Ejecución"}, None, "Ejecución"),
    ({1: "Ejecución financiera", 2: "Por fuente"}, None, "Ejecución financiera por fuente"),
    # El rótulo en negrita va al final.
    ({2: "Evolución mensual"}, "Eficacia (%)", "Evolución mensual: Eficacia (%)"),
    ({}, "Por ACP", "Por ACP"),
    ({}, None, ""),
])
def test_titulo_por_contexto(titulos, rotulo_, esperado):
    assert titulo_por_contexto(titulos, rotulo_) == esperado


def test_titulo_declarado_de_un_cuadro_y_de_un_grafico():
    tabla = _sopa('<table data-titulo="  Propio "><caption>Leyenda</caption></table>').table
    assert titulo_declarado(tabla) == "Propio"
    assert titulo_declarado(_sopa("<table><caption> De la  tabla</caption></table>").table) == (
        "De la tabla"
    )
    assert titulo_declarado(_sopa("<table><tr><td>1</td></tr></table>").table) == ""
    # Un gráfico: su data-titulo, el de su salida o un alt que no sea el genérico.
    assert titulo_declarado(_sopa(_grafico()).img) == ""
    assert titulo_declarado(_sopa(_grafico('alt="Avance mensual"')).img) == "Avance mensual"
    assert titulo_declarado(_sopa(_grafico(salida='data-titulo="De la salida"')).img) == (
        "De la salida"
    )


def test_rotulo_es_un_parrafo_todo_en_negrita():
    assert rotulo(_sopa("<p> <strong>Por  ACP</strong> </p>").p) == "Por ACP"
    assert rotulo(_sopa("<p><b>Unidad</b></p>").p) == "Unidad"
    assert rotulo(_sopa("<p><strong>Por ACP</strong> y más</p>").p) is None
    assert rotulo(_sopa("<p><em>Por ACP</em></p>").p) is None


def test_nombres_para_distinguir_por_id_o_por_orden():
    con_id = _sopa('<table id="tabla-relacion-acp"></table><table id="tabla-por_unidad"></table>')
    assert nombre_de_id(con_id.table) == "relacion acp"
    assert nombres_para_distinguir(con_id.find_all("table")) == ["relacion acp", "por unidad"]
    # Sin id en alguno, o con el mismo: «1 de 2», «2 de 2».
    sin_id = _sopa('<table id="tabla-a"></table><table></table>').find_all("table")
    assert nombres_para_distinguir(sin_id) == ["1 de 2", "2 de 2"]
    iguales = _sopa('<table id="tabla-a"></table><table id="a"></table>').find_all("table")
    assert nombres_para_distinguir(iguales) == ["1 de 2", "2 de 2"]


def test_distinguir_repetidos_solo_los_del_contexto_y_del_mismo_tipo():
    tablas = _sopa('<table id="tabla-x"></table><table id="tabla-y"></table><table></table>'
                   + _grafico()).find_all(["table", "img"])
    objetos = [
        Objeto("cuadro", tablas[0], "Ejecución", False, None),
        Objeto("cuadro", tablas[1], "Ejecución", False, None),
        Objeto("cuadro", tablas[2], "Ejecución", True, None),  # declarado: no cambia
        Objeto("grafico", tablas[3], "Ejecución", False, None),  # otro tipo: no cambia
    ]
    distinguir_repetidos(objetos)
    assert [o.titulo for o in objetos] == [
        "Ejecución (x)", "Ejecución (y)", "Ejecución", "Ejecución",
    ]


# --- Fuentes ---------------------------------------------------------------------------------


def test_fuentes_por_palabras_sin_tildes_ni_mayusculas():
    assert fuentes_por_palabras("Presupuesto VIGENTE") == FINANCIERA
    assert fuentes_por_palabras("Ejecución y avance") == FINANCIERA | FISICA
    assert fuentes_por_palabras("Cumplimiento") == FISICA
    assert fuentes_por_palabras("Unidad") == set()


def test_fuente_declarada_manda_y_la_primera_valida_cuenta():
    tabla = _sopa('<table data-fuente="Mixta"></table>').table
    assert fuente_declarada(tabla) == FINANCIERA | FISICA
    assert fuente_declarada(_sopa('<p data-fuente="general"></p>').p) == set()
    otra, valida = _sopa('<p data-fuente="otra"></p><p data-fuente="fisica"></p>').find_all("p")
    assert fuente_declarada(otra, valida) == FISICA
    assert fuente_declarada(otra) is None


def test_fuentes_de_cuadro_encabezados_primera_fila_o_titulo():
    con_th = _sopa("<table><tr><th>Área</th><th>Devengado</th></tr>"
                   "<tr><td>avance</td></tr></table>").table
    assert fuentes_de_cuadro(con_th, "Avance") == FINANCIERA  # las celdas no cuentan
    sin_th = _sopa("<table><tr><td>Eficacia</td></tr><tr><td>vigente</td></tr></table>").table
    assert fuentes_de_cuadro(sin_th, "") == FISICA  # la primera fila
    por_meses = _sopa("<table><tr><th>Enero</th></tr></table>").table
    assert fuentes_de_cuadro(por_meses, "Ejecución mensual") == FINANCIERA
    assert fuentes_de_cuadro(por_meses, "Meses") == set()
    declarada = _sopa('<table data-fuente="fisica"><tr><th>Vigente</th></tr></table>').table
    assert fuentes_de_cuadro(declarada, "") == FISICA


def test_fuentes_de_grafico_declarada_de_su_seccion_o_de_su_titulo():
    imagen = _sopa(_grafico()).img
    assert fuentes_de_grafico(imagen, "Avance", FINANCIERA) == FINANCIERA
    assert fuentes_de_grafico(imagen, "Avance", set()) == set()  # sección con cuadros sin fuente
    assert fuentes_de_grafico(imagen, "Avance", None) == FISICA  # sección sin cuadros
    en_la_salida = _sopa(_grafico(salida='data-fuente="financiera"')).img
    assert fuentes_de_grafico(en_la_salida, "Avance", FISICA) == FINANCIERA


def test_asignar_fuentes_los_graficos_citan_los_cuadros_de_su_seccion():
    sopa = _sopa(
        '<section id="a"><table><tr><th>Vigente</th></tr></table>'
        '<table><tr><th>Avance</th></tr></table>' + _grafico() + "</section>"
        '<section id="b">' + _grafico() + "</section>"
    )
    a, b = sopa.find_all("section")
    tabla_1, tabla_2 = sopa.find_all("table")
    imagen_a, imagen_b = sopa.find_all("img")
    objetos = [
        Objeto("cuadro", tabla_1, "", False, a), Objeto("cuadro", tabla_2, "", False, a),
        Objeto("grafico", imagen_a, "", False, a),
        Objeto("grafico", imagen_b, "Ejecución", False, b),
    ]
    asignar_fuentes(objetos)
    assert [o.fuentes for o in objetos] == [FINANCIERA, FISICA, FINANCIERA | FISICA, FINANCIERA]


@pytest.mark.parametrize(("clases", "fuentes", "linea"), [
    (set(), {}, f"Fuente: {FUENTE_GENERAL}."),
    ({"financiera"}, {"financiera": "SIGEP"}, "Fuente: SIGEP."),
    ({"fisica", "financiera"}, {"financiera": "SIGEP", "fisica": "Reportes."},
     "Fuente: SIGEP; Reportes."),
    # La que falta, la general; dos iguales, una vez.
    ({"fisica", "financiera"}, {"general": "La unidad"}, "Fuente: La unidad."),
    ({"fisica"}, {"financiera": "SIGEP"}, f"Fuente: {FUENTE_GENERAL}."),
])
def test_linea_de_fuente(clases, fuentes, linea):
    assert linea_de_fuente(clases, fuentes) == linea


# --- Recorrido y numeración ------------------------------------------------------------------


def test_recoger_objetos_con_su_contexto():
    sopa = _sopa(
        '<section class="seccion solo-auditoria"><h1>Memoria</h1><table></table></section>'
        '<section class="seccion"><h1>Ejecución<a class="anchor-link" href="#e">¶</a></h1>'
        '<div class="jp-OutputArea-child"><p><strong>Por fuente</strong></p></div>'
        "<table><tr><td><table></table></td></tr></table>"  # la anidada no cuenta
        '<h2>Gráficos</h2><p><img alt="suelta"></p>' + _grafico() +
        '<table data-titulo="Propio"></table></section>'
    )
    objetos = recoger_objetos(sopa)
    assert [(o.tipo, o.titulo, o.declarado) for o in objetos] == [
        ("cuadro", "Ejecución por fuente", False),
        ("grafico", "Ejecución", False),
        ("cuadro", "Propio", True),
    ]
    # El rótulo que pasó al título se oculta, en su salida entera.
    assert sopa.find("div", class_="rotulo-en-leyenda") is not None


def test_numerar_objetos_pone_leyenda_y_fuente_con_ids_libres():
    sopa = _sopa(
        '<section class="seccion"><h1 id="cuadro-1">Ejecución</h1>'
        "<table><caption>Vigente</caption><tr><th>Vigente</th></tr></table>"
        + _grafico() + "</section>"
    )
    listas = numerar_objetos(sopa, {"financiera": "SIGEP"})
    assert listas == {
        "cuadros": [{"id": "cuadro-1-2", "texto": "Cuadro N° 1: Vigente"}],
        "graficos": [{"id": "grafico-1", "texto": "Gráfico N° 1: Ejecución"}],
    }
    tabla = sopa.table
    assert tabla.caption is None
    assert tabla.find_previous_sibling("p")["class"] == ["leyenda", "leyenda-cuadro"]
    assert tabla.find_next_sibling("p").get_text() == "Fuente: SIGEP."
    leyenda = sopa.find("p", id="grafico-1")
    assert leyenda.find_next_sibling("div", class_="jp-RenderedImage") is not None
    assert leyenda.span.get_text() == "Gráfico N° 1:"


def test_numerar_objetos_escapa_el_titulo():
    sopa = _sopa('<section class="seccion"><h1>A &lt;b&gt; &amp; B</h1><table></table></section>')
    numerar_objetos(sopa)
    assert "Cuadro N° 1:</span> A &lt;b&gt; &amp; B</p>" in str(sopa)


def test_un_objeto_sin_titulo_lleva_solo_su_numero():
    sopa = _sopa('<section class="seccion"><table></table></section>')
    assert numerar_objetos(sopa)["cuadros"] == [{"id": "cuadro-1", "texto": "Cuadro N° 1"}]
    assert sopa.find("span", class_="leyenda-numero").get_text() == "Cuadro N° 1"
