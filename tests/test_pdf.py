"""El PDF por partes (helpers/salida/pdf.py): WeasyPrint y pypdf de verdad, sobre documentos
chicos. El informe entero, frente al compuesto de una vez: tests/test_ensamblado.py."""
from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from pypdf import PdfReader

from helpers.salida.pdf import Pieza, componer, silenciar, unir

ESTILO = (
    "<style>@page { size: A4; margin: 20mm } @page ancha { size: A4 landscape }"
    " .ancha { page: ancha } .salto { break-before: page }"
    " @page { @bottom-right { content: 'Hoja ' counter(page) ' de ' counter(pages) } }</style>"
)


def _html(cuerpo: str, estilo: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
            f"<title>Documento de prueba</title>{estilo}</head><body>{cuerpo}</body></html>")


def _png(color: str) -> str:
    salida = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(salida, format="PNG")
    return "data:image/png;base64," + base64.b64encode(salida.getvalue()).decode()


@pytest.fixture(scope="module")
def partes(tmp_path_factory) -> dict:
    carpeta = tmp_path_factory.mktemp("pdf")
    with silenciar():
        indice = componer(_html(
            '<h1 id="indice">Índice</h1><p><a href="#segunda">A la segunda parte</a></p>'
            '<p><a href="https://example.org/ley">Ley externa</a></p>'
        ), carpeta)
        # Tres hojas; la del medio, apaisada, con un gráfico rojo que no va al informe.
        cuerpo = componer(_html(
            '<h1 id="primera">Primera</h1><p>uno</p>'
            f'<div class="ancha"><img src="{_png("red")}" alt="rojo"></div>'
            f'<h1 id="segunda" class="salto">Segunda</h1><img src="{_png("blue")}" alt="azul">',
            ESTILO.replace(" @page { @bottom-right { content: 'Hoja ' counter(page)"
                           " ' de ' counter(pages) } }", ""),
        ), carpeta)
        cabeceras = componer(_html(
            '<div></div><div class="salto"></div><div class="salto"></div>', ESTILO
        ), carpeta)
    return {"carpeta": carpeta, "indice": indice, "cuerpo": cuerpo, "cabeceras": cabeceras}


def test_une_estampa_y_resuelve_enlaces_entre_partes(partes):
    indice, cuerpo = partes["indice"], partes["cuerpo"]
    assert [h.apaisada for h in cuerpo.hojas] == [False, True, False]
    destino = partes["carpeta"] / "unido.pdf"
    # La hoja apaisada (con el gráfico rojo) no va: tres páginas, todas verticales.
    unir([Pieza(indice, [0]), Pieza(cuerpo, [0, 2])], partes["cabeceras"], destino)

    lector = PdfReader(str(destino))
    textos = [p.extract_text() for p in lector.pages]
    assert [t.splitlines()[-1] for t in textos] == [f"Hoja {n} de 3" for n in (1, 2, 3)]
    assert "Segunda" in textos[2] and "Primera" in textos[1]
    # El enlace del índice a la segunda parte lleva a su página en el documento unido; el
    # externo queda como estaba.
    anotaciones = [a.get_object() for a in lector.pages[0]["/Annots"]]
    internas = [a for a in anotaciones if "/Dest" in a]
    assert len(internas) == 1
    assert internas[0]["/Dest"][0].get_object() == lector.pages[2].get_object()
    externas = [a["/A"]["/URI"] for a in anotaciones if "/A" in a]
    assert externas == ["https://example.org/ley"]
    # Destinos con nombre y marcadores, con su página en el documento unido.
    assert lector.get_destination_page_number(lector.named_destinations["segunda"]) == 2
    assert [(m.title, lector.get_destination_page_number(m)) for m in lector.outline] == [
        ("Índice", 0), ("Primera", 1), ("Segunda", 2)
    ]
    # Los metadatos y el idioma, del primero.
    assert lector.metadata["/Title"] == "Documento de prueba"
    assert lector.trailer["/Root"]["/Lang"] == "es"
    # Sólo las imágenes que se dibujan: la azul, no la roja de la hoja que no va.
    imagenes = [img.image.convert("RGB").getpixel((5, 5)) for p in lector.pages
                for img in p.images]
    assert imagenes == [(0, 0, 255)]


def test_los_marcadores_de_una_seccion_en_dos_partes_quedan_anidados(partes):
    """Una sección compuesta en dos partes (la segunda, desde una hoja: sin su título): los
    subtítulos de la segunda van dentro del título de la primera, como si fuera una sola."""
    carpeta = partes["carpeta"]
    with silenciar():
        inicio = componer(_html("<h1>Sección</h1><h2>Uno</h2><p>a</p>"), carpeta)
        resto = componer(_html("<h3>Uno punto uno</h3><p>b</p><h2>Dos</h2><p>c</p>"), carpeta)
        cabeceras = componer(_html('<div></div><div class="salto"></div>', ESTILO), carpeta)
    destino = carpeta / "marcadores.pdf"
    unir([Pieza(inicio, [0]), Pieza(resto, [0])], cabeceras, destino)
    lector = PdfReader(str(destino))

    def arbol(marcadores) -> list:
        salen = []
        for m in marcadores:
            if isinstance(m, list):
                salen[-1] = (salen[-1][0], salen[-1][1], arbol(m))
            else:
                salen.append((m.title, lector.get_destination_page_number(m), []))
        return salen

    assert arbol(lector.outline) == [
        ("Sección", 0, [("Uno", 0, [("Uno punto uno", 1, [])]), ("Dos", 1, [])])]


def test_cabeceras_que_no_coinciden_con_las_paginas(partes):
    destino = partes["carpeta"] / "mal.pdf"
    with pytest.raises(ValueError, match="no coinciden"):
        unir([Pieza(partes["indice"], [0]), Pieza(partes["cuerpo"], [0, 1])],
             partes["cabeceras"], destino)  # la segunda página es apaisada; su hoja, no
    with pytest.raises(ValueError, match="no coinciden"):
        unir([Pieza(partes["indice"], [0])], partes["cabeceras"], destino)


def test_silenciar_anidado_no_quita_lo_del_de_afuera():
    """El aviso de WeasyPrint de un enlace a un ancla de otra parte se calla también después
    de un `silenciar` de adentro; al salir del de afuera, vuelve."""
    import logging

    registro = logging.getLogger("weasyprint")
    aviso = logging.LogRecord("weasyprint", logging.ERROR, __file__, 1,
                              "No anchor #%s for internal URI reference", ("x",), None)
    with silenciar():
        with silenciar():
            assert not registro.filter(aviso)
        assert not registro.filter(aviso)
    assert registro.filter(aviso)


def test_memoria_quieta_devuelve_la_memoria_solo_antes_de_una_composicion_grande(monkeypatch):
    """Congela siempre; recoge la basura y devuelve lo libre sólo si se le pide, y se le pide
    con una composición grande (``composicion.grande``): con una chica, recorrer todo lo que
    vive en el proceso cuesta más de lo que devuelve."""
    import gc

    from helpers.salida import pdf
    from helpers.salida.ensamblado.composicion import COMPOSICION_GRANDE, grande

    devueltas: list[int] = []
    monkeypatch.setattr(pdf, "devolver_memoria", lambda: devueltas.append(1))
    for devolver in (False, True):
        with pdf.memoria_quieta(devolver=devolver):
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0
    assert devueltas == [1]
    assert not grande(COMPOSICION_GRANDE) and grande(COMPOSICION_GRANDE + 1)


def test_memoria_quieta_anidada_no_descongela_antes_de_tiempo():
    """La de adentro no toca lo congelado por la de afuera; al salir de la de afuera, nada
    queda congelado. (La cuenta de congelados baja cuando muere un objeto congelado, aquí o
    en otro hilo del proceso; descongelar la deja en cero: eso es lo que se mira.)"""
    import gc

    from helpers.salida.pdf import memoria_quieta

    assert gc.get_freeze_count() == 0
    with memoria_quieta():
        congelados = gc.get_freeze_count()
        assert congelados > 0
        with memoria_quieta():
            assert gc.get_freeze_count() > congelados // 2
        assert gc.get_freeze_count() > congelados // 2
    assert gc.get_freeze_count() == 0
