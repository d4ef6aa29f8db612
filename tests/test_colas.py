"""Componer una sección corregida desde la hoja que pudo cambiar
(``helpers.salida.ensamblado.colas``): desde qué hoja, con qué HTML y qué hojas de antes
quedan. Páginas armadas a mano, como en tests/test_reglas_de_pagina.py; que la cola compuesta
da las mismas hojas que la sección entera lo comprueba tests/test_maquetacion.py sobre la
muestra."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from test_reglas_de_pagina import GRAFICO, TABLA, codigo, maqueta, markdown, pagina

from helpers.salida.ensamblado.colas import (
    cambiados,
    huellas,
    inicio_de_cola,
    primeras_hojas,
    seccion_desde,
)
from helpers.salida.ensamblado.reglas_de_pagina import corregir
from helpers.salida.pdf import Parte, Pieza

# Cinco hojas: la 1 y la 3 empiezan con la continuación de un bloque; la 2 y la 4, con uno
# entero (maq-u2 y maq-u4).
HOJAS = [
    pagina(("maq-u0", 0, 400), ("maq-u1", 400, 1000)),
    pagina(("maq-u1", 0, 300)),
    pagina(("maq-u2", 0, 500), ("maq-u3", 500, 1000)),
    pagina(("maq-u3", 0, 800)),
    pagina(("maq-u4", 0, 300), ("maq-u5", 300, 900)),
]


@pytest.mark.parametrize(("cambiados_", "desde"), [
    ({"maq-u5"}, 2),  # la 4 empieza con maq-u4, pero maq-u4 puede estar ahí por maq-u5
    ({"maq-u4"}, 2),
    ({"maq-u3"}, 0),  # antes de la 2 no hay hoja que empiece con un bloque entero
    ({"maq-u3", "maq-u5"}, 0),  # manda el primero
    ({"maq-u0"}, 0),
    (set(), 0),
    ({"maq-u9"}, 0),  # un bloque que no está en las hojas: desde el comienzo
])
def test_desde_la_ultima_hoja_que_empieza_con_un_bloque_entero_antes_del_cambio(
        cambiados_, desde):
    assert inicio_de_cola(HOJAS, cambiados_) == desde


def test_una_hoja_apaisada_no_empieza_la_cola():
    hojas = [*HOJAS[:2], pagina(("maq-u2", 0, 500), ("maq-u3", 500, 1000), apaisada=True),
             *HOJAS[3:]]
    assert inicio_de_cola(hojas, {"maq-u5"}) == 0


def test_las_primeras_hojas_de_varias_piezas():
    una, otra = Parte(None, []), Parte(None, [])
    piezas = [Pieza(una, [1, 2, 3]), Pieza(otra, [4, 5])]
    assert primeras_hojas(piezas, 0) == []
    assert primeras_hojas(piezas, 2) == [Pieza(una, [1, 2])]
    assert primeras_hojas(piezas, 4) == [Pieza(una, [1, 2, 3]), Pieza(otra, [4])]
    assert primeras_hojas(piezas, 9) == piezas


def test_la_correccion_dice_que_bloques_cambio():
    """El final de una tabla solo arriba de una página: el gráfico de antes se achica. Lo
    cambiado es el bloque del gráfico."""
    m = maqueta(markdown("<p>a</p>"), codigo(GRAFICO), codigo(TABLA))
    paginas = [pagina(("maq-u0", 0, 100), ("maq-u1", 100, 600), ("maq-u2", 600, 1000),
                      imagenes={"maq-i0": (100, 600)}),
               pagina(("maq-u2", 0, 80))]
    antes = huellas(m, "s")
    assert corregir(m, paginas)
    assert cambiados(m, antes) == {"maq-u1"}


def test_la_seccion_desde_un_bloque_dentro_de_una_celda():
    """Desde la segunda salida de una celda de código: la sección y la celda abren como
    están, sin la primera salida ni lo que iba antes; lo de después sigue."""
    sopa = BeautifulSoup(
        '<section class="seccion" id="s" data-cuaderno="04">'
        '<div class="jp-Cell jp-MarkdownCell"><h1>Título</h1></div>'
        '<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">'
        '<div class="jp-OutputArea-child" id="a">uno</div>'
        '<div class="jp-OutputArea-child" id="b">dos</div>'
        '<div class="jp-OutputArea-child" id="c">tres</div></div></div>'
        '<div class="jp-Cell jp-MarkdownCell"><p>fin</p></div></section>', "html.parser")
    texto = seccion_desde(sopa.section, sopa.find(id="b"))
    cola = BeautifulSoup(texto, "html.parser")
    assert cola.section.attrs == sopa.section.attrs
    assert [d["id"] for d in cola.find_all(class_="jp-OutputArea-child")] == ["b", "c"]
    assert cola.h1 is None and "uno" not in texto
    assert cola.find_all(class_="jp-Cell")[-1].p.string == "fin"
    assert texto.endswith("</section>")
