"""Una tabla larga compuesta por trozos de páginas con la caché del informe
(helpers.salida.ensamblado.trozos): las páginas son siempre las de la tabla compuesta entera,
y después de cambiar una cifra sólo se compone el trozo que la tiene.

La sección es como la del anexo por operación (una tabla de anchos fijos en páginas
apaisadas, con su leyenda y su fuente), compuesta con las hojas de estilo del PDF y WeasyPrint
de verdad; cada prueba compara con una maquetación sin caché del mismo cuerpo."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers.comun.almacen import Almacen
from helpers.salida.ensamblado import maquetacion, trozos
from helpers.salida.ensamblado.composicion import Compositor
from helpers.salida.ensamblado.exportacion import Imagenes
from helpers.salida.ensamblado.pagina import leer_css, pagina
from helpers.salida.pdf import silenciar

FILAS = 180
CUADERNO = "10_anexo"
_PALABRAS = ("registrar", "revisar", "informes", "unidades", "seguimiento", "del", "plan",
             "operativo", "consulados", "pasaportes", "convenios", "y", "de", "la")


def _texto(i: int, largo: int) -> str:
    return " ".join(_PALABRAS[(i * 7 + k * 3) % len(_PALABRAS)] for k in range(largo))


def _fila(i: int) -> str:
    celdas = [f"OP-{i:03d}", f"U{i % 9}", _texto(i, 6 + i % 11), _texto(i + 1, 3 + i % 5),
              "informe", *(f"{(i * k) % 97},00" for k in range(1, 7)), "PROGRAMADA"]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in celdas) + "</tr>"


def _cuerpo(filas: list[str]) -> str:
    columnas = "".join(f'<col style="width: {a}%"/>'
                       for a in (8, 6, 18, 15, 8, 6, 6, 7, 6, 6, 7, 7))
    encabezado = "".join(f"<th>Columna {k}</th>" for k in range(12))
    return (
        f'<section class="seccion" data-cuaderno="{CUADERNO}" id="seccion-01">'
        '<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedMarkdown">'
        '<h1 id="anexo">Anexo</h1><p>Cada operación con sus cifras.</p></div></div>'
        '<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea"><div '
        'class="jp-OutputArea-child"><div class="jp-RenderedHTML jp-OutputArea-output">'
        '<div class="tabla-horizontal"><p class="leyenda" id="cuadro-1">Cuadro N° 1: '
        'Operaciones</p><table class="fija muy-ancha" id="tabla-operacion">'
        f"<colgroup>{columnas}</colgroup><thead><tr>{encabezado}</tr></thead>"
        f'<tbody>{"".join(filas)}</tbody></table><p class="fuente">Fuente: el libro.</p>'
        "</div></div></div></div></div></section>"
    )


@pytest.fixture(scope="module")
def estilos():
    return [leer_css("informe.css"), leer_css("impresion.css")]


def _final(estilos):
    datos = {**dict.fromkeys(["titulo", "subtitulo", "entidad", "periodo", "fecha_corte",
                              "pie", "colofon", "firmas"]), "identificacion": {}}

    def final(ident, texto, es_la_ultima):
        return pagina("impresion", texto, [], estilos, datos,
                      parte="cierre" if es_la_ultima else "cuerpo")
    return final


def _maquetar(cuerpo, estilos, carpeta, almacen=None):
    compositor = Compositor(estilos, Imagenes(), carpeta, almacen=almacen)
    with silenciar():
        _, compuestas, _ = maquetacion.maquetar(cuerpo, compositor, _final(estilos))
    return compuestas["seccion-01"]


def _paginas(piezas) -> list[tuple[str, dict]]:
    """El texto y las anclas de cada página de la sección, en orden."""
    paginas = []
    for pieza in piezas:
        lector = PdfReader(io.BytesIO(pieza.parte.pdf))
        paginas += [(lector.pages[pieza.parte.en_el_pdf(i)].extract_text(),
                     pieza.parte.hojas[i].anclas) for i in pieza.indices]
    return paginas


@pytest.fixture(scope="module")
def primera(tmp_path_factory, estilos):
    """La caché después de maquetar una vez la sección (entera: no hay cortes guardados)."""
    carpeta = tmp_path_factory.mktemp("trozos")
    filas = [_fila(i) for i in range(FILAS)]
    piezas = _maquetar(_cuerpo(filas), estilos, carpeta, Almacen(carpeta / "objetos"))
    return carpeta, filas, _paginas(piezas)


def _almacen(primera, tmp_path) -> Almacen:
    shutil.copytree(primera[0] / "objetos", tmp_path / "objetos")
    return Almacen(tmp_path / "objetos")


def test_la_primera_vez_da_las_paginas_sin_cache(primera, estilos, tmp_path):
    carpeta, filas, paginas = primera
    assert len(paginas) > 3 * trozos.PAGINAS_POR_TROZO
    assert paginas == _paginas(_maquetar(_cuerpo(filas), estilos, tmp_path))
    assert not any(a.startswith("maq-") for _, anclas in paginas for a in anclas)


def test_sin_cambios_nada_se_compone(primera, estilos, tmp_path, composiciones_anotadas):
    _, filas, paginas = primera
    piezas = _maquetar(_cuerpo(filas), estilos, tmp_path, _almacen(primera, tmp_path))
    assert composiciones_anotadas == []
    assert _paginas(piezas) == paginas
    assert len(piezas) > 1  # de los tramos guardados, no de una sola composición


def test_una_cifra_cambiada_compone_solo_su_trozo(primera, estilos, tmp_path,
                                                  composiciones_anotadas):
    anotadas = composiciones_anotadas
    _, filas, paginas = primera
    cambiadas = list(filas)
    medio = FILAS // 2
    cambiadas[medio] = re.sub(r"<td>(\d+),00</td>", r"<td>\g<1>1,00</td>", filas[medio],
                              count=1)
    assert cambiadas[medio] != filas[medio]
    piezas = _maquetar(_cuerpo(cambiadas), estilos, tmp_path, _almacen(primera, tmp_path))
    assert len(anotadas) == 1
    assert f"maq-fila-{medio}" in anotadas[0] and "maq-fila-0\"" not in anotadas[0]
    compuestas = len(re.findall(r'id="maq-fila-', anotadas[0]))
    assert compuestas * len(paginas) <= FILAS * (trozos.PAGINAS_POR_TROZO + 2)
    sin_cache = _paginas(_maquetar(_cuerpo(cambiadas), estilos, tmp_path))
    assert _paginas(piezas) == sin_cache != paginas


def test_una_fila_que_crece_corre_los_cortes(primera, estilos, tmp_path,
                                             composiciones_anotadas):
    """Una fila del primer trozo con mucho más texto corre las filas siguientes: el
    centinela ya no empieza página y lo que sigue se compone de una vez."""
    _, filas, _ = primera
    cambiadas = list(filas)
    cambiadas[1] = cambiadas[1].replace("<td>informe</td>",
                                        f"<td>{_texto(3, 120)}</td>", 1)
    piezas = _maquetar(_cuerpo(cambiadas), estilos, tmp_path, _almacen(primera, tmp_path))
    assert any("maq-fila-0\"" not in c and f"maq-fila-{FILAS - 1}\"" in c
               for c in composiciones_anotadas)
    assert _paginas(piezas) == _paginas(_maquetar(_cuerpo(cambiadas), estilos, tmp_path))


def test_cortes_guardados_errados_dan_las_mismas_paginas(primera, estilos, tmp_path):
    _, filas, paginas = primera
    almacen = _almacen(primera, tmp_path)
    llave = trozos.clave_de_cortes(CUADERNO)
    almacen.guardar_json(llave, [c + 3 for c in almacen.leer_json(llave)])
    assert _paginas(_maquetar(_cuerpo(filas), estilos, tmp_path, almacen)) == paginas


def test_el_html_de_un_trozo():
    """El primero trae lo de antes de la tabla y no lo de después; el que sigue, ni una cosa
    ni la otra; el último, lo de después. Cada fila
    lleva su ancla y si es par, y sacar la tabla no cambia la sección."""
    seccion = BeautifulSoup(_cuerpo([_fila(i) for i in range(10)]), "html.parser").section
    antes = str(seccion)
    tabla = trozos.TablaLarga.de(seccion)
    assert str(seccion) == antes
    primero, medio, ultimo = tabla.html(0, 4), tabla.html(4, 7), tabla.html(7, 10)
    assert "Cuadro N° 1" in primero and "Fuente" not in primero
    assert "Cuadro N° 1" not in medio and "Fuente" not in medio
    assert "Fuente" in ultimo and "<thead>" in medio
    filas = re.findall(r'<tr class="(fila-\w+)" id="maq-fila-(\d+)"', medio)
    assert [int(i) for _, i in filas] == [4, 5, 6, 7]  # y el centinela
    assert [c for c, _ in filas] == ["fila-impar", "fila-par", "fila-impar", "fila-par"]
    assert [int(i) for i in re.findall(r'id="maq-fila-(\d+)"', ultimo)] == [7, 8, 9]


def test_limites():
    """Cada trozo empieza en una fila que empezó página y abarca PAGINAS_POR_TROZO páginas
    (el último, las que queden)."""
    cortes = list(range(10, 100, 10))
    bordes = trozos.limites(cortes, 105)
    assert bordes[0] == 0 and bordes[-1] == 105 and set(bordes[1:-1]) <= set(cortes)
    paginas = [1 + sum(desde < c < hasta for c in cortes)
               for desde, hasta in zip(bordes, bordes[1:])]
    assert paginas[:-1] == [trozos.PAGINAS_POR_TROZO] * (len(paginas) - 1)
    assert 0 < paginas[-1] <= trozos.PAGINAS_POR_TROZO
    assert trozos.limites([], 55) == [0, 55]
    assert trozos.limites([60, 70], 55) == [0, 55]


def test_una_tabla_sin_anchos_fijos_no_va_por_trozos():
    cuerpo = _cuerpo([_fila(i) for i in range(5)]).replace('class="fija muy-ancha"',
                                                          'class="muy-ancha"')
    assert trozos.TablaLarga.de(BeautifulSoup(cuerpo, "html.parser").section) is None
