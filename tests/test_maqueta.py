"""Los bloques que mueve la maquetación (``helpers.salida.ensamblado.maqueta``) y la medida
de una composición de prueba (``helpers.salida.ensamblado.maquetacion``), sobre secciones
chicas y hojas armadas a mano, sin componer nada. Las reglas, una por una:
tests/test_reglas_de_pagina.py; el informe entero: tests/test_maquetacion.py."""
from __future__ import annotations

from bs4 import BeautifulSoup

from helpers.salida.ensamblado.maqueta import (
    CLASE_HORIZONTAL,
    ID_CUERPO,
    Maqueta,
    Pagina,
    agrupar_apaisadas,
    presentan,
    sin_dudas,
    termina_en_titulo,
    unidades,
)
from helpers.salida.ensamblado.maquetacion import (
    con_nombres_propios,
    grupos_de_prueba,
    medir_prueba,
    piezas_de_prueba,
)
from helpers.salida.pdf import Hoja, Parte

APAISADA = ('<div class="tabla-horizontal"><table class="muy-ancha"><tr><td>1</td></tr>'
            "</table></div>")


def markdown(contenido: str) -> str:
    return f'<div class="jp-Cell jp-MarkdownCell">{contenido}</div>'


def codigo(*salidas: str) -> str:
    hijas = "".join(f'<div class="jp-OutputArea-child">{s}</div>' for s in salidas)
    return f'<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">{hijas}</div></div>'


def seccion(*celdas: str, ident: str = "seccion-01") -> BeautifulSoup:
    return BeautifulSoup(f'<section class="seccion" id="{ident}">{"".join(celdas)}</section>',
                         "html.parser")


def _clases(sopa) -> list[bool]:
    return [CLASE_HORIZONTAL in (u.get("class") or []) for u in unidades(sopa.section)]


def test_unidades_celdas_de_markdown_y_salidas_visibles():
    sopa = seccion(
        markdown("<p>uno</p>"),
        codigo("<p>dos</p>", "<p>tres</p>"),
        '<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">'
        '<div class="jp-OutputArea-child rotulo-en-leyenda"><p><b>R</b></p></div></div></div>',
    )
    assert [u.get_text() for u in unidades(sopa.section)] == ["uno", "dos", "tres"]


def test_termina_en_titulo_mira_lo_ultimo_que_se_ve():
    assert termina_en_titulo(BeautifulSoup("<div><p>a</p><h2>T</h2><span>x</span></div>",
                                           "html.parser").div)
    assert not termina_en_titulo(BeautifulSoup("<div><h2>T</h2><p>a</p></div>",
                                               "html.parser").div)
    assert not termina_en_titulo(BeautifulSoup("<div></div>", "html.parser").div)


def test_la_tabla_apaisada_se_lleva_el_texto_que_la_presenta():
    sopa = seccion(
        codigo("<table><tr><td>otra</td></tr></table>"),
        markdown("<p>texto que presenta</p>"),
        markdown("<h2>Título</h2>"),
        codigo(APAISADA),
        codigo(APAISADA),  # la segunda seguida: ya va con la primera
        markdown("<p>después</p>"),
    )
    bloques = unidades(sopa.section)
    assert [b.get_text() for b in presentan(bloques, 3)] == ["Título", "texto que presenta"]
    agrupar_apaisadas(bloques)
    assert _clases(sopa) == [False, True, True, True, True, False]


def test_el_texto_largo_no_va_a_la_apaisada_salvo_el_que_termina_en_titulo():
    largo = "palabra " * 200  # más de 1.500 caracteres
    sopa = seccion(markdown(f"<p>{largo}</p>"), markdown(f"<p>{largo}</p><h3>Título</h3>"),
                   codigo(APAISADA))
    agrupar_apaisadas(unidades(sopa.section))
    assert _clases(sopa) == [False, True, True]


def test_sin_dudas_las_secciones_toda_apaisadas_sin_graficos_o_con_una_tabla_fija():
    assert sin_dudas(seccion(markdown("<p>a</p>"),
                             codigo('<table class="fija"><tr><td>1</td></tr></table>')).section)
    apaisada = seccion(markdown("<p>a</p>"), codigo(APAISADA))
    agrupar_apaisadas(unidades(apaisada.section))
    assert sin_dudas(apaisada.section)
    con_grafico = seccion(markdown('<p>a</p><img src="x.png">'), codigo(APAISADA))
    agrupar_apaisadas(unidades(con_grafico.section))
    assert not sin_dudas(con_grafico.section)
    assert not sin_dudas(seccion(markdown("<p>a</p>")).section)
    assert not sin_dudas(seccion().section)


def test_la_maqueta_marca_con_ids_de_prueba_nombra_y_repone_los_propios():
    sopa = seccion(
        markdown('<h2 id="t">Ejecución<a class="anchor-link">¶</a></h2>'),
        codigo('<p class="leyenda">Gráfico N° 1: Avance</p>'
               '<div class="jp-RenderedImage"><img src="x.png"></div>'),
        codigo("<p>" + "texto " * 20 + "</p>"),
        codigo(APAISADA),
    )
    maqueta = Maqueta([sopa.section])
    assert list(maqueta.bloques) == ["maq-u0", "maq-u1", "maq-u2", "maq-u3"]
    assert list(maqueta.imagenes) == ["maq-i0"] and list(maqueta.tablas) == ["maq-t0"]
    assert maqueta.de_seccion == {"seccion-01": list(maqueta.bloques)}
    assert maqueta.nombre("maq-u0") == "«Ejecución»"
    assert maqueta.nombre("maq-i0") == "«Gráfico N° 1: Avance»"
    assert maqueta.nombre("maq-u2") == "«" + "texto " * 10 + "»"  # los primeros 60
    assert maqueta.nombre("maq-x9") == "maq-x9"
    assert maqueta.imagenes_de("maq-u1") == ["maq-i0"]
    assert maqueta.propios() == {}  # ninguno traía id
    maqueta.limpiar()
    assert sopa.find(id=lambda i: i and i.startswith("maq-")) is None
    assert sopa.h2["id"] == "t"


def test_la_maqueta_repone_el_id_que_traia_un_bloque():
    sopa = BeautifulSoup('<section class="seccion" id="s"><div class="jp-Cell jp-MarkdownCell" '
                         'id="propio"><p>a</p></div></section>', "html.parser")
    maqueta = Maqueta([sopa.section])
    assert sopa.find("div")["id"] == "maq-u0"
    assert maqueta.propios() == {"maq-u0": "propio"}
    maqueta.limpiar()
    assert sopa.find("div")["id"] == "propio" and "data-maq-id" not in sopa.find("div").attrs


def test_a_vertical_y_reagrupar():
    sopa = seccion(markdown("<h2>Título</h2>"), codigo(APAISADA))
    maqueta = Maqueta([sopa.section])
    assert _clases(sopa) == [True, True]
    maqueta.a_vertical("maq-t0")
    maqueta.reagrupar("seccion-01")
    assert _clases(sopa) == [False, False]
    assert sopa.find("div", class_="tabla-horizontal") is None
    assert sopa.table["class"] == ["ancha"] and sopa.table.get("id") is None
    assert maqueta.tablas == {}


def test_pagina_fondo_usado_y_alto():
    pagina = Pagina(False, 100, 1100, "s", [("a", 100, 300), ("b", 300, 600)], {}, {})
    assert (pagina.fondo, pagina.usado, pagina.alto) == (600, 0.5, 1000)
    vacia = Pagina(False, 100, 1100, "s", [], {}, {})
    assert (vacia.fondo, vacia.usado) == (100, 0)


# --- La composición de prueba, medida --------------------------------------------------------


def _hoja(anclas: dict, apaisada: bool = False) -> Hoja:
    ancho, alto = (1123, 794) if apaisada else (794, 1123)
    return Hoja(ancho, alto, anclas)


def test_medir_prueba_ubica_bloques_graficos_y_tablas_en_cada_hoja():
    cuerpo = (60, 80, 740, 1050)
    parte = Parte(None, [
        _hoja({}),  # la de la portada: vacía
        _hoja({ID_CUERPO: cuerpo, "seccion-01": (60, 80, 740, 90), "maq-u1": (60, 400, 740, 900),
               "maq-u0": (60, 80, 740, 400), "maq-i0": (70, 420, 700, 880)}),
        _hoja({ID_CUERPO: (60, 80, 1060, 720), "seccion-02": (60, 80, 1060, 90),
               "maq-u2": (60, 80, 1060, 500), "maq-t0": (60, 100, 1000, 500)}, apaisada=True),
        _hoja({ID_CUERPO: (60, 80, 740, 1050)}),  # la última, vacía: mide la caja del texto
    ])
    paginas, ancho_vertical = medir_prueba(parte, {"seccion-01", "seccion-02"})
    assert ancho_vertical == 680
    assert paginas == [
        Pagina(False, 80, 1050, "seccion-01", [("maq-u0", 80, 400), ("maq-u1", 400, 900)],
               {"maq-i0": (420, 880)}, {}),
        Pagina(True, 80, 720, "seccion-02", [("maq-u2", 80, 500)], {}, {"maq-t0": 940}),
    ]


def test_piezas_de_prueba_y_nombres_propios():
    parte = Parte(None, [
        _hoja({}), _hoja({"a": (0, 0, 1, 1), "maq-u0": (0, 0, 1, 1)}), _hoja({}),
        _hoja({"b": (0, 0, 1, 1), "maq-u1": (0, 0, 1, 1)}), _hoja({}),
    ])
    con_nombres_propios(parte, {"maq-u0": "propio"})
    assert [list(h.anclas) for h in parte.hojas] == [[], ["a", "propio"], [], ["b"], []]
    piezas = piezas_de_prueba(parte, ["a", "b"])
    assert {ident: p.indices for ident, p in piezas.items()} == {"a": [1, 2], "b": [3]}
    assert piezas["a"].parte is parte


def test_grupos_de_prueba_juntan_las_secciones_chicas():
    # Pocas secciones: grupos de un cuarto del total, para que se compongan a la par.
    assert grupos_de_prueba(["x" * 10] * 8) == [[0, 1], [2, 3], [4, 5], [6, 7]]
    # Muchas: grupos de _PRUEBA_MINIMA caracteres; una grande va sola.
    textos = ["x" * 30_000] * 3 + ["x" * 200_000] + ["x" * 30_000] * 2
    assert grupos_de_prueba(textos) == [[0, 1, 2], [3], [4, 5]]
    assert grupos_de_prueba([]) == []


def test_con_la_cache_cada_seccion_se_prueba_sola():
    # Juntas, una sección corregida haría componer otra vez a sus vecinas sin cambios.
    textos = ["x" * 30_000] * 3 + ["x" * 200_000]
    assert grupos_de_prueba(textos, de_a_una=True) == [[0], [1], [2], [3]]
    assert grupos_de_prueba([], de_a_una=True) == []
