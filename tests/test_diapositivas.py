"""Las diapositivas de la audiencia de rendición de cuentas (helpers.salida.diapositivas):
`presentacion.pdf` en hojas 16:9 y `presentacion.pptx`, con las cifras clave de las tablas
del informe, un gráfico y los compromisos; el texto de los datos no se interpreta.
"""
from __future__ import annotations

import zipfile

import pandas as pd
import pdfplumber
import pytest
from pptx import Presentation

from helpers.comun.numeros import formatear_porcentaje
from helpers.preparacion import abrir
from helpers.redaccion.diapositivas import Diapositiva, diapositivas
from helpers.salida.diapositivas import html_de


def _paginas(ruta) -> list[tuple[float, float, str]]:
    with pdfplumber.open(ruta) as pdf:
        return [(p.width, p.height, p.extract_text() or "") for p in pdf.pages]


@pytest.mark.parametrize("params", ["2024-anual.yaml", "2024-inicial.yaml"])
def test_las_diapositivas_de_cada_rendicion(informes_muestra, params):
    carpeta = informes_muestra[params]
    lista = diapositivas(abrir(informe=carpeta))
    paginas = _paginas(carpeta / "presentacion.pdf")
    assert len(paginas) == len(lista)
    for ancho, alto, _ in paginas:
        assert ancho / alto == pytest.approx(16 / 9, rel=1e-3)
    for pagina, diapositiva in zip(paginas, lista, strict=True):
        assert diapositiva.titulo.split(" (")[0] in pagina[2].replace("\n", " ")

    pptx = Presentation(carpeta / "presentacion.pptx")
    assert pptx.slide_width / pptx.slide_height == pytest.approx(16 / 9, rel=1e-3)
    assert len(pptx.slides) == len(lista)
    textos = [" ".join(f.text_frame.text for f in s.shapes if f.has_text_frame)
              for s in pptx.slides]
    for texto, diapositiva in zip(textos, lista, strict=True):
        assert diapositiva.titulo in texto


def test_las_cifras_de_la_gestion_salen_de_la_fila_total(informes_muestra):
    """La diapositiva de las cifras dice el avance, la eficacia y la ejecución de la fila
    TOTAL de tablas/acp.csv, con el formato del informe."""
    carpeta = informes_muestra["2024-anual.yaml"]
    total = pd.read_csv(carpeta / "tablas" / "acp.csv", dtype={"codigo_acp": str}).set_index(
        "codigo_acp").loc["TOTAL"]
    texto = _paginas(carpeta / "presentacion.pdf")[1][2]
    for columna in ("avance_fisico_anual", "eficacia_anual", "ejecucion_anual"):
        assert formatear_porcentaje(float(total[columna])) in texto, columna


def test_el_texto_de_los_datos_no_se_interpreta():
    hostil = '<img src="http://fuera/x.png"><script>alert(1)</script>'
    pagina = html_de([Diapositiva(titulo=hostil, puntos=[hostil], tabla=[["a"], [hostil]])],
                     "t", "pie")
    assert "<script>" not in pagina and "&lt;script&gt;" in pagina
    assert 'src="http://fuera' not in pagina


def test_el_texto_de_los_datos_es_inerte_en_el_pptx(tmp_path):
    """Lo que dejan los datos tras limpiarlos (tabuladores y saltos, marcas, fórmulas,
    enlaces) llega a la presentación tal cual: texto, sin enlaces ni campos."""
    from helpers.entrada.celdas import limpiar_texto
    from helpers.salida.diapositivas import _pptx

    hostil = limpiar_texto('=HYPERLINK("http://fuera/x")\t<script>&amp;\x07\x1b\nfin')
    destino = tmp_path / "p.pptx"
    _pptx([Diapositiva(titulo=hostil, puntos=[hostil], tabla=[["a"], [hostil]])],
          "t" + hostil, destino)
    pptx = Presentation(destino)
    assert pptx.core_properties.title == "t" + hostil
    cajas = [f for f in pptx.slides[0].shapes if f.has_text_frame]
    assert cajas[0].text_frame.text.replace("\v", "\n") == hostil
    with zipfile.ZipFile(destino) as archivo:
        xml = "".join(archivo.read(n).decode() for n in archivo.namelist()
                      if n.startswith("ppt/slides/") and n.endswith(".xml"))
    assert "hlinkClick" not in xml and "<script>" not in xml and "fldSimple" not in xml
