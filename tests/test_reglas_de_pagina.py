"""Las reglas de paginación (``helpers.salida.ensamblado.reglas_de_pagina``), una por una:
una sección chica (``Maqueta``) y sus páginas de prueba armadas a mano (``Pagina``, en px CSS,
con la caja del texto de 0 a 1000), sin componer nada. El informe entero, medido en su PDF:
tests/test_maquetacion.py."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from helpers.salida.ensamblado import reglas_de_pagina as reglas
from helpers.salida.ensamblado.maqueta import (
    CLASE_HORIZONTAL,
    CLASE_SALTO,
    CLASE_SIN_PARTIR,
    Maqueta,
    Pagina,
)
from helpers.salida.ensamblado.reglas_de_pagina import (
    REGLAS_DE_PAGINA,
    Tramos,
    bloques_que_suben,
    corregir,
    enderezar,
    grafico_que_no_cupo,
    pagina_poco_usada,
    resto_de_tabla,
    resto_solo,
    tablas_que_caben,
    titulo_al_final,
)

GRAFICO = '<div class="jp-RenderedImage"><img src="x.png"></div>'
TABLA = "<table><tr><td>1</td></tr></table>"
APAISADA = ('<div class="tabla-horizontal"><table class="muy-ancha"><tr><td>1</td></tr>'
            "</table></div>")


def markdown(contenido: str) -> str:
    return f'<div class="jp-Cell jp-MarkdownCell">{contenido}</div>'


def codigo(contenido: str) -> str:
    return ('<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea">'
            f'<div class="jp-OutputArea-child">{contenido}</div></div></div>')


def maqueta(*celdas: str) -> Maqueta:
    """La maqueta de una sección con ``celdas``: sus bloques son maq-u0, maq-u1...; sus
    gráficos, maq-i0...; sus tablas apaisadas, maq-t0..."""
    sopa = BeautifulSoup(f'<section class="seccion" id="s">{"".join(celdas)}</section>',
                         "html.parser")
    return Maqueta([sopa.section])


def pagina(*trozos, apaisada: bool = False, imagenes=None, tablas=None) -> Pagina:
    return Pagina(apaisada, 0, 1000, "s", list(trozos), imagenes or {}, tablas or {})


def clases(m: Maqueta, bloque: str) -> list[str]:
    return m.bloques[bloque].get("class") or []


def test_tramos_primera_y_ultima_pagina_de_cada_bloque():
    paginas = [pagina(("maq-u0", 0, 500), ("maq-u1", 500, 1000)), pagina(("maq-u1", 0, 200)),
               pagina(("maq-u2", 0, 100))]
    tramos = Tramos.de(paginas)
    assert tramos.primera == {"maq-u0": 0, "maq-u1": 0, "maq-u2": 2}
    assert tramos.ultima == {"maq-u0": 0, "maq-u1": 1, "maq-u2": 2}
    assert tramos.entero_en("maq-u0", 0) and not tramos.entero_en("maq-u1", 0)


def test_las_reglas_se_prueban_en_este_orden():
    assert REGLAS_DE_PAGINA == (titulo_al_final, pagina_poco_usada, resto_de_tabla)


# --- Un título al final de una página --------------------------------------------------------


@pytest.mark.parametrize(("apaisadas", "clase", "hecho"), [
    ((False, False), CLASE_SALTO, "«Título» empieza página"),
    ((False, True), CLASE_HORIZONTAL, "«Título» pasa a la página apaisada"),
])
def test_un_titulo_al_final_pasa_con_la_pagina_siguiente(apaisadas, clase, hecho):
    m = maqueta(markdown("<p>texto</p>"), markdown("<p>antes</p><h2>Título</h2>"),
                codigo(TABLA))
    paginas = [pagina(("maq-u0", 0, 800), ("maq-u1", 800, 990), apaisada=apaisadas[0]),
               pagina(("maq-u2", 0, 500), apaisada=apaisadas[1])]
    assert titulo_al_final(m, paginas, 0, Tramos.de(paginas)) == hecho
    assert clase in clases(m, "maq-u1")
    # Ya corregido (empieza página), no se corrige otra vez.
    if clase == CLASE_SALTO:
        assert titulo_al_final(m, paginas, 0, Tramos.de(paginas)) is None


def test_un_titulo_que_acompana_a_una_apaisada_vuelve_a_la_vertical():
    m = maqueta(codigo(APAISADA), markdown("<h2>Título</h2>"), codigo(TABLA))
    m.bloques["maq-u1"]["class"] = [*clases(m, "maq-u1"), CLASE_HORIZONTAL]
    paginas = [pagina(("maq-u0", 0, 600), ("maq-u1", 600, 700), apaisada=True),
               pagina(("maq-u2", 0, 500))]
    assert titulo_al_final(m, paginas, 0, Tramos.de(paginas)) == (
        "«Título» pasa a la página vertical"
    )
    assert CLASE_HORIZONTAL not in clases(m, "maq-u1")


def test_sin_titulo_al_final_o_en_la_ultima_pagina_no_hay_nada_que_hacer():
    m = maqueta(markdown("<h2>Título</h2><p>texto</p>"), markdown("<h2>Otro</h2>"))
    paginas = [pagina(("maq-u0", 0, 900)), pagina(("maq-u1", 0, 100))]
    tramos = Tramos.de(paginas)
    assert titulo_al_final(m, paginas, 0, tramos) is None  # termina con texto
    assert titulo_al_final(m, paginas, 1, tramos) is None  # la última


# --- Una página usada menos de un tercio -----------------------------------------------------


def test_lo_que_queda_solo_antes_de_una_apaisada_pasa_a_ella():
    # Una tabla chica entre el texto y la apaisada: no va con ella al agrupar.
    m = maqueta(markdown("<p>presenta</p>"), codigo(TABLA), codigo(APAISADA))
    assert CLASE_HORIZONTAL not in clases(m, "maq-u0")
    paginas = [pagina(("maq-u0", 0, 100), ("maq-u1", 100, 200)),
               pagina(("maq-u2", 0, 600), apaisada=True)]
    assert pagina_poco_usada(m, paginas, 0, Tramos.de(paginas)) == (
        "«presenta», «1» pasan a la página apaisada"
    )
    assert CLASE_HORIZONTAL in clases(m, "maq-u0") and CLASE_HORIZONTAL in clases(m, "maq-u1")


def test_un_grafico_no_pasa_a_la_apaisada():
    m = maqueta(codigo(GRAFICO), codigo(APAISADA))
    paginas = [pagina(("maq-u0", 0, 300)), pagina(("maq-u1", 0, 600), apaisada=True)]
    assert pagina_poco_usada(m, paginas, 0, Tramos.de(paginas)) is None
    assert CLASE_HORIZONTAL not in clases(m, "maq-u0")


def test_una_apaisada_corta_se_completa_con_lo_que_sigue_y_cabe():
    m = maqueta(codigo(APAISADA), markdown("<p>texto</p>"), codigo(TABLA),
                markdown("<h3>Título</h3>"), codigo(GRAFICO))
    paginas = [pagina(("maq-u0", 0, 200), apaisada=True),
               pagina(("maq-u1", 0, 100), ("maq-u2", 100, 400), ("maq-u3", 400, 450),
                      ("maq-u4", 450, 900))]
    tramos = Tramos.de(paginas)
    # El título no sube solo (cerraría la página apaisada); el gráfico no sube.
    assert bloques_que_suben(m, paginas[0], paginas[1], 0, tramos) == ["maq-u1", "maq-u2"]
    assert pagina_poco_usada(m, paginas, 0, tramos) == (
        "«texto», «1» suben a la página apaisada"
    )
    assert [CLASE_HORIZONTAL in clases(m, b) for b in m.bloques] == [
        True, True, True, False, False,
    ]


def test_a_la_apaisada_sube_solo_lo_que_cabe_en_lo_que_queda():
    m = maqueta(codigo(APAISADA), markdown("<p>texto</p>"))
    paginas = [pagina(("maq-u0", 0, 300), apaisada=True), pagina(("maq-u1", 0, 680))]
    # Quedan 700 px; el bloque ocupa 680 y recupera su margen de arriba (24): no cabe.
    assert bloques_que_suben(m, paginas[0], paginas[1], 0, Tramos.de(paginas)) == []
    assert pagina_poco_usada(m, paginas, 0, Tramos.de(paginas)) is None


def test_un_grafico_que_no_cupo_se_achica_para_caber():
    m = maqueta(markdown("<p>texto</p>"), markdown("<h2>Título</h2>"),
                codigo(f'<p class="leyenda">Gráfico N° 1: Avance</p>{GRAFICO}'))
    paginas = [pagina(("maq-u0", 0, 200)),
               pagina(("maq-u1", 0, 80), ("maq-u2", 80, 950), imagenes={"maq-i0": (100, 900)})]
    tramos = Tramos.de(paginas)
    assert grafico_que_no_cupo(m, paginas[1], 0, tramos) == ("maq-i0", 950)
    # Falta: lo que ocupa hasta el gráfico (950) menos lo que queda (800), más el margen (24).
    assert pagina_poco_usada(m, paginas, 0, tramos) == (
        "«Gráfico N° 1: Avance» baja de 800 a 622 px de alto"
    )
    assert m.imagenes["maq-i0"]["style"] == "max-height: 622px"
    assert m.altos == {"maq-i0": 800}


def test_un_grafico_no_se_achica_de_mas_del_sesenta_por_ciento():
    def achicado(usado_antes: float, fondo: float, imagen: tuple[float, float]):
        m = maqueta(markdown("<p>texto</p>"), codigo(GRAFICO))
        paginas = [pagina(("maq-u0", 0, usado_antes)),
                   pagina(("maq-u1", 0, fondo), imagenes={"maq-i0": imagen})]
        return pagina_poco_usada(m, paginas, 0, Tramos.de(paginas)), m.imagenes["maq-i0"]

    # Falta 950 - 700 + 24 = 274 px (y 4 de holgura): queda en el 71 % de su alto.
    hecho, imagen = achicado(300, 950, (0, 950))
    assert hecho == "maq-i0 baja de 950 a 672 px de alto"  # sin leyenda: su id
    assert imagen["style"] == "max-height: 672px"
    # Falta 990 - 680 + 24 = 334 px de 500: quedaría en el 32 %.
    hecho, imagen = achicado(320, 990, (0, 500))
    assert hecho is None and "style" not in imagen.attrs
    # Ya cabía (no falta nada): no se toca.
    assert achicado(50, 600, (0, 600))[0] is None


def test_la_continuacion_de_un_bloque_no_se_achica():
    m = maqueta(codigo(TABLA), codigo(GRAFICO))
    paginas = [pagina(("maq-u0", 0, 200)), pagina(("maq-u0", 0, 100), ("maq-u1", 100, 900),
                                                  imagenes={"maq-i0": (100, 900)})]
    assert grafico_que_no_cupo(m, paginas[1], 0, Tramos.de(paginas)) is None


def test_una_pagina_bien_usada_o_la_ultima_no_se_corrige():
    m = maqueta(markdown("<p>texto</p>"), codigo(GRAFICO))
    paginas = [pagina(("maq-u0", 0, 400)),
               pagina(("maq-u1", 0, 950), imagenes={"maq-i0": (0, 950)})]
    tramos = Tramos.de(paginas)
    assert pagina_poco_usada(m, paginas, 0, tramos) is None
    assert pagina_poco_usada(m, paginas, 1, tramos) is None


# --- El final de una tabla solo en una página ------------------------------------------------


def test_unas_filas_solas_vuelven_achicando_un_grafico_de_antes():
    m = maqueta(codigo(GRAFICO), codigo(TABLA), markdown("<p>después</p>"))
    paginas = [pagina(("maq-u0", 0, 500), ("maq-u1", 500, 1000),
                      imagenes={"maq-i0": (50, 450)}),
               pagina(("maq-u1", 0, 100), ("maq-u2", 100, 800))]
    tramos = Tramos.de(paginas)
    assert resto_solo(m, paginas, 1, tramos) == 100
    hecho = resto_de_tabla(m, paginas, 1, tramos)
    # Falta el resto (100) más la holgura (4), y 4 más al achicar: de 400 a 292.
    assert hecho == (f"{m.nombre('maq-i0')} baja de 400 a 292 px de alto "
                     "(para el final de «1», solo en una página)")


def test_sin_grafico_que_achicar_una_tabla_corta_va_entera_a_la_siguiente():
    m = maqueta(markdown("<p>antes</p>"), codigo(TABLA), markdown("<p>después</p>"))
    paginas = [pagina(("maq-u0", 0, 700), ("maq-u1", 700, 1000)),
               pagina(("maq-u1", 0, 100), ("maq-u2", 100, 800))]
    assert resto_de_tabla(m, paginas, 1, Tramos.de(paginas)) == (
        "«1» va entero a la página siguiente (dejaba 10% de una página sola)"
    )
    assert CLASE_SIN_PARTIR in clases(m, "maq-u1")
    assert resto_de_tabla(m, paginas, 1, Tramos.de(paginas)) is None  # ya va entero


def test_una_tabla_larga_o_que_deja_corta_la_anterior_no_se_mueve():
    m = maqueta(markdown("<p>antes</p>"), codigo(TABLA), markdown("<p>después</p>"))
    larga = [pagina(("maq-u0", 0, 400), ("maq-u1", 400, 1000)),
             pagina(("maq-u1", 0, 100), ("maq-u2", 100, 800))]
    assert resto_de_tabla(m, larga, 1, Tramos.de(larga)) is None  # 700 px: más de media
    # Cabe en media página, pero empieza a un quinto de la anterior: la dejaría corta.
    corta = [pagina(("maq-u0", 0, 200), ("maq-u1", 200, 600)),
             pagina(("maq-u1", 0, 100), ("maq-u2", 100, 800))]
    assert resto_de_tabla(m, corta, 1, Tramos.de(corta)) is None
    assert CLASE_SIN_PARTIR not in clases(m, "maq-u1")


def test_no_es_un_resto_mucho_de_tabla_un_texto_ni_otra_orientacion():
    m = maqueta(markdown("<p>antes</p>"), codigo(TABLA), markdown("<p>largo</p>"),
                markdown("<p>después</p>"))
    mucho = [pagina(("maq-u0", 0, 700), ("maq-u1", 700, 1000)),
             pagina(("maq-u1", 0, 200), ("maq-u3", 200, 800))]  # 20 % de la página
    assert resto_solo(m, mucho, 1, Tramos.de(mucho)) is None
    texto = [pagina(("maq-u2", 0, 1000)), pagina(("maq-u2", 0, 50), ("maq-u3", 50, 800))]
    assert resto_solo(m, texto, 1, Tramos.de(texto)) is None
    girada = [pagina(("maq-u0", 0, 700), ("maq-u1", 700, 1000)),
              pagina(("maq-u1", 0, 100), ("maq-u3", 100, 800), apaisada=True)]
    assert resto_de_tabla(m, girada, 1, Tramos.de(girada)) is None


def test_el_final_de_un_texto_solo_en_la_ultima_pagina_tambien_vuelve():
    m = maqueta(codigo(GRAFICO), markdown("<p>largo</p>"), markdown("<p>fin</p>"))
    paginas = [pagina(("maq-u0", 0, 500), ("maq-u1", 500, 1000),
                      imagenes={"maq-i0": (0, 480)}),
               pagina(("maq-u1", 0, 100), ("maq-u2", 100, 200))]
    tramos = Tramos.de(paginas)
    assert resto_solo(m, paginas, 1, tramos) is None  # «fin» empieza en esta página
    solo = [paginas[0], pagina(("maq-u1", 0, 150))]
    assert resto_solo(m, solo, 1, Tramos.de(solo)) == 150


# --- corregir y enderezar --------------------------------------------------------------------


def test_corregir_aplica_la_primera_regla_que_corrige_algo():
    m = maqueta(markdown("<p>texto</p><h2>Título</h2>"), codigo(GRAFICO))
    paginas = [pagina(("maq-u0", 0, 200)),
               pagina(("maq-u1", 0, 950), imagenes={"maq-i0": (0, 950)})]
    # La página es corta y termina con un título: primero, el título.
    assert corregir(m, paginas) == "«Título» empieza página"
    assert corregir(m, [pagina(("maq-u0", 0, 900))]) is None
    assert corregir(m, [pagina()]) is None


def test_una_tabla_apaisada_que_cabe_en_una_vertical_vuelve_a_ella():
    m = maqueta(markdown("<h2>Título</h2>"), codigo(APAISADA))
    assert [CLASE_HORIZONTAL in clases(m, b) for b in m.bloques] == [True, True]
    paginas = [pagina(("maq-u0", 0, 100), ("maq-u1", 100, 500), apaisada=True,
                      tablas={"maq-t0": 480})]
    assert tablas_que_caben(m, paginas, 470) == []
    assert enderezar(m, "s", paginas, 470) is None
    assert tablas_que_caben(m, paginas, 500) == ["maq-t0"]
    assert enderezar(m, "s", paginas, 500) == "«1» caben en una página vertical"
    assert [CLASE_HORIZONTAL in clases(m, b) for b in m.bloques] == [False, False]
    assert m.tablas == {}


def test_las_constantes_de_las_reglas():
    # Las de docs/maquetacion.md: un tercio de página, un gráfico hasta el 60 % de su alto.
    assert reglas.FRACCION_MINIMA == pytest.approx(1 / 3)
    assert reglas.ESCALA_MINIMA == 0.6
