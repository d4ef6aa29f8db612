"""informe.docx: el informe como documento de Word con el membrete de la entidad, y la
comprobación de una copia editada (helpers.salida.word, informe-poa verificar --documento).

Las primeras pruebas usan una página chica hecha aquí (pandoc y python-docx de verdad, en
segundos); las marcadas `lento` usan el informe de la muestra de la sesión, y LibreOffice."""
from __future__ import annotations

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
import texto_pdf
from docx.oxml.ns import qn

from helpers.salida.word import ARCHIVO, escribir_docx, identificador_de
from helpers.salida.word.comparacion import comparar, leer
from helpers.salida.word.documento import PREFIJO_CUADRO
from helpers.salida.word.fuente import ESTILO_RESUMEN, FILAS_POR_BLOQUE, html_para_pandoc
from helpers.salida.word.membrete import (
    escribir_membrete,
    membrete_neutro,
    problema_del_membrete,
)
from helpers.salida.word.verificacion import verificar_copia

RAIZ = Path(__file__).resolve().parents[1]
MUESTRA = "2024-T2.yaml"

# Una página como la que escribe el ensamblado, chica: portada, dos secciones (la primera,
# el resumen), un cuadro con fila de total, uno ancho, un gráfico y las firmas.
_PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
        "RU5ErkJggg==")
PAGINA = f"""<html><body>
<header class="portada">
  <dl class="portada-registro"><div><dt>CITE</dt><dd>ENT/INF/001</dd></div></dl>
  <p class="portada-entidad">Entidad de prueba &lt;b&gt;*no*&lt;/b&gt;</p>
  <h1 class="portada-titulo">Seguimiento del POA</h1>
</header>
<nav class="indice"><a href="#s1">Resumen</a></nav>
<main class="cuerpo">
<section class="seccion" id="s1"><h1>Resumen<a class="anchor-link" href="#s1">¶</a></h1>
<p>El avance físico es de 88,75 % y la ejecución de 17,43 %.</p>
<p class="leyenda leyenda-cuadro"><span>Cuadro N° 1:</span> Cifras</p>
<table class="tabla-informe" id="tabla-cifras"><thead><tr><th class="txt">Indicador</th>
<th class="num">Valor</th></tr></thead><tbody>
<tr><td class="txt">Avance físico</td><td class="num">88,75 %</td></tr>
<tr><td class="txt">Ejecución</td><td class="num">17,43 %</td></tr>
<tr class="total"><td class="txt">TOTAL</td><td class="num">1.234.567,89</td></tr>
</tbody></table><p class="fuente fuente-cuadro">Fuente: datos del POA.</p>
</section>
<section class="seccion" id="s2"><h1>Detalle</h1>
<p>Un párrafo de texto del informe sin cifras, que el director puede reescribir.</p>
<p class="leyenda leyenda-cuadro"><span>Cuadro N° 2:</span> Ancho</p>
<table class="ancha tabla-informe" id="tabla-ancha"><thead><tr><th class="txt">Unidad</th>
<th class="num">A</th><th class="num">B</th></tr></thead><tbody>
<tr><td class="txt">U1</td><td class="num">1,00</td><td class="num">2,00</td></tr>
<tr><td class="txt">U2</td><td class="num">3,00</td><td class="num">4,00</td></tr>
<tr><td class="txt">U3</td><td class="num">5,00</td><td class="num">6,00</td></tr>
</tbody></table><p class="fuente fuente-cuadro">Fuente: datos del POA.</p>
<p>Otro párrafo.</p>
<p class="leyenda leyenda-grafico"><span>Gráfico N° 1:</span> Barras</p>
<div><img alt="Gráfico" src="data:image/png;base64,{_PNG}"></div>
<p class="fuente fuente-grafico">Fuente: datos del POA.</p>
</section></main>
<section class="firmas"><h2>Firmas</h2><div class="firma"><p class="firma-rol">Elaborado por:</p>
<p class="firma-nombre">Nombre</p><p class="firma-cargo">Cargo</p></div></section>
</body></html>"""
DATOS = {"titulo": "Seguimiento del POA", "entidad": "Entidad de prueba",
         "fecha": dt.date(2024, 7, 15), "cite": "ENT/INF/001", "hoja_ruta": "HR-1"}


@pytest.fixture(scope="module")
def chico(tmp_path_factory) -> Path:
    """El DOCX de `PAGINA`, con el membrete neutro."""
    carpeta = tmp_path_factory.mktemp("word")
    (carpeta / "informe.html").write_text(PAGINA, encoding="utf-8")
    escribir_docx(carpeta / "informe.html", carpeta / ARCHIVO, DATOS)
    return carpeta / ARCHIVO


def _cuadros(ruta: Path) -> dict[str, object]:
    documento = docx.Document(str(ruta))
    resultado = {}
    for tabla in documento.tables:
        alternativo = tabla._tbl.tblPr.find(qn("w:tblDescription"))
        resultado[alternativo.get(qn("w:val")).removeprefix(PREFIJO_CUADRO)] = tabla
    return resultado


def test_la_pagina_da_cuadros_en_orden_con_leyenda_y_si_van_apaisados():
    leido = html_para_pandoc(PAGINA)
    fuente, cuadros = leido.html, leido.cuadros
    assert [(c.id, c.leyenda, c.apaisado) for c in cuadros] == [
        ("tabla-cifras", "Cuadro N° 1: Cifras", False), ("tabla-ancha", "Cuadro N° 2: Ancho", True)]
    assert 'data-custom-style="Fuente"' in fuente and "anchor-link" not in fuente
    assert "<nav" not in fuente  # el índice es un campo de Word


def test_el_docx_tiene_tablas_nativas_identificadas_leyendas_y_figura(chico):
    documento = docx.Document(str(chico))
    cuadros = _cuadros(chico)
    assert list(cuadros) == ["tabla-cifras", "tabla-ancha"]
    leyendas = [p.text for p in documento.paragraphs if p.style.name == "Table Caption"]
    assert leyendas == ["Cuadro N° 1: Cifras", "Cuadro N° 2: Ancho"]
    assert [p.text for p in documento.paragraphs if p.style.name == "Image Caption"] == [
        "Gráfico N° 1: Barras"]
    cifras = cuadros["tabla-cifras"]
    # La fila de encabezado se repite en cada hoja; las cifras, a la derecha; el total, en negrita.
    assert cifras._tbl.tr_lst[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert cifras.rows[1].cells[1].paragraphs[0].alignment == 2  # derecha
    assert all(r.bold for r in cifras.rows[3].cells[1].paragraphs[0].runs)
    assert cifras.rows[3].cells[1].text == "1.234.567,89"
    # El texto de los datos sigue siendo texto.
    assert "Entidad de prueba <b>*no*</b>" in [p.text for p in documento.paragraphs]
    # El gráfico, a lo ancho del texto de la hoja y con su imagen de verdad (no el sustituto
    # que lee pandoc).
    (ancho,) = [int(e.get("cx")) for e in documento.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
    texto = documento.sections[-1].page_width - documento.sections[-1].left_margin - \
        documento.sections[-1].right_margin
    assert ancho > 0.95 * texto
    with zipfile.ZipFile(chico) as archivo:
        medios = [n for n in archivo.namelist() if n.startswith("word/media/")]
        assert [archivo.read(n) for n in medios] == [base64.b64decode(_PNG)]


def test_el_indice_es_un_campo_de_word_que_se_actualiza(chico):
    xml = zipfile.ZipFile(chico).read("word/document.xml").decode()
    assert re.search(r"<w:instrText[^>]*> TOC \\o", xml)
    ajustes = zipfile.ZipFile(chico).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in ajustes


def test_el_cuadro_ancho_va_en_una_hoja_apaisada_y_lo_demas_vertical(chico):
    documento = docx.Document(str(chico))
    orientaciones = [s.orientation for s in documento.sections]
    assert orientaciones == [0, 1, 0]  # vertical, apaisada, vertical
    assert documento.sections[1].page_width > documento.sections[1].page_height


def test_cabecera_con_cite_y_pie_con_paginas(chico):
    documento = docx.Document(str(chico))
    cabecera = documento.sections[-1].header
    assert "CITE: ENT/INF/001 · Hoja de ruta: HR-1" in [p.text for p in cabecera.paragraphs]
    pie = documento.sections[-1].footer._element.xml
    assert "PAGE" in pie and "NUMPAGES" in pie


def test_los_mismos_datos_dan_el_mismo_archivo(chico, tmp_path):
    (tmp_path / "informe.html").write_text(PAGINA, encoding="utf-8")
    otro = tmp_path / ARCHIVO
    escribir_docx(tmp_path / "informe.html", otro, DATOS)
    assert otro.read_bytes() == chico.read_bytes()
    propiedades = docx.Document(str(otro)).core_properties
    assert propiedades.identifier == identificador_de(PAGINA.encode("utf-8"))
    assert propiedades.created == dt.datetime(2024, 7, 15, 12, 0, tzinfo=dt.UTC)


def _editar(origen: Path, destino: Path, *, cifra=True, parrafo=True, cuadro=True, fila=True):
    """Las cuatro ediciones de un director: una cifra cambiada, un párrafo reescrito, un
    cuadro quitado (con su leyenda y su fuente) y una fila quitada."""
    documento = docx.Document(str(origen))
    tablas = _cuadros(origen)
    documento_tablas = {t._tbl.tblPr.find(qn("w:tblDescription")).get(qn("w:val")): t
                        for t in documento.tables}
    primera = documento_tablas[PREFIJO_CUADRO + list(tablas)[0]]
    if cifra:
        texto = next(primera._tbl.tr_lst[1].tc_lst[1].iter(qn("w:t")))
        texto.text = "99,99 %"
    if parrafo:
        escrito = next(p for p in documento.paragraphs
                       if p.style.name not in (ESTILO_RESUMEN,) and len(p.text) > 60
                       and not re.search(r"\d", p.text) and not p.style.name.startswith(
                           ("Heading", "Table", "Image", "Portada", "Fuente")))
        escrito.runs[0].text = "Texto que la dirección escribió de nuevo."
        for corrida in escrito.runs[1:]:
            corrida._r.getparent().remove(corrida._r)
    ids = list(tablas)
    if cuadro:
        quitado = documento_tablas[PREFIJO_CUADRO + ids[-1]]._tbl
        leyenda, fuente = quitado.getprevious(), quitado.getnext()
        while leyenda.tag != qn("w:p"):
            leyenda = leyenda.getprevious()
        while fuente.tag != qn("w:p"):
            fuente = fuente.getnext()
        for elemento in (leyenda, quitado, fuente):
            elemento.getparent().remove(elemento)
    if fila:
        conocida = next(documento_tablas[PREFIJO_CUADRO + i]._tbl for i in ids[1:-1]
                        if len(documento_tablas[PREFIJO_CUADRO + i]._tbl.tr_lst) > 3)
        conocida.remove(conocida.tr_lst[2])
    documento.save(str(destino))
    return destino


def _pagina_larga(filas: int, cambiada: int | None = None) -> str:
    """Una página con un cuadro de `filas` filas (más que un bloque de pandoc), una celda que
    abarca dos filas justo donde caería un corte y un pie; la fila `cambiada`, con otra
    cifra."""
    cuerpo = []
    for n in range(filas):
        valor = f"{n + 1},00" if n != cambiada else f"{n + 1},50"
        abarca = '<td class="txt" rowspan="2">Grupo</td>' if n == FILAS_POR_BLOQUE - 1 else (
            "" if n == FILAS_POR_BLOQUE else f'<td class="txt">U{n + 1}</td>')
        cuerpo.append(f'<tr>{abarca}<td class="num">{valor}</td></tr>')
    tabla = ('<p class="leyenda leyenda-cuadro">Cuadro N° 1: Largo</p>'
             '<table class="tabla-informe" id="tabla-larga"><thead><tr><th class="txt">Unidad'
             f'</th><th class="num">Valor</th></tr></thead><tbody>{"".join(cuerpo)}</tbody>'
             '<tfoot><tr><td class="nota" colspan="2">Nota al pie.</td></tr></tfoot></table>'
             '<p class="fuente fuente-cuadro">Fuente: datos del POA.</p>')
    return PAGINA.replace('<p>Otro párrafo.</p>', f"<p>Otro párrafo.</p>{tabla}")


def test_un_cuadro_largo_va_entero_aunque_pandoc_lo_escriba_por_bloques():
    filas = 2 * FILAS_POR_BLOQUE + 7
    leido = html_para_pandoc(_pagina_larga(filas))
    (largo,) = [c for c in leido.cuadros if c.id == "tabla-larga"]
    # La celda que abarca dos filas no queda partida: el corte baja una fila.
    assert len(largo.bloques) == 3
    assert [b.count("<tr>") for b in largo.bloques] == [
        1 + FILAS_POR_BLOQUE + 1, 1 + FILAS_POR_BLOQUE, 1 + 6 + 1]
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal)
        (carpeta / "informe.html").write_text(_pagina_larga(filas), encoding="utf-8")
        escribir_docx(carpeta / "informe.html", carpeta / ARCHIVO, DATOS)
        tabla = _cuadros(carpeta / ARCHIVO)["tabla-larga"]
    filas_docx = tabla._tbl.tr_lst
    assert len(filas_docx) == 1 + filas + 1  # encabezado, cuerpo y pie, una vez cada uno
    assert [f.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            for f in filas_docx].count(True) == 1
    assert [c.text for c in tabla.column_cells(1)[1:filas + 1]] == [
        f"{n + 1},00" for n in range(filas)]
    assert tabla.rows[-1].cells[0].text == "Nota al pie."
    assert tabla.rows[FILAS_POR_BLOQUE].cells[0].text == "Grupo"
    assert tabla.rows[FILAS_POR_BLOQUE + 1].cells[0].text == "Grupo"  # la misma celda
    # Cada celda lleva el ancho de su columna, y la rejilla los mismos.
    rejilla = [int(c.get(qn("w:w"))) for c in tabla._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert all(int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) in rejilla
               for f in filas_docx for tc in f.tc_lst)


def test_dos_cuadros_con_un_bloque_igual_llevan_cada_uno_sus_anchos(tmp_path):
    """Dos cuadros largos con las mismas filas del segundo bloque, y en el otro una unidad de
    nombre largo que cambia los anchos del segundo: cada uno con su rejilla en cada celda."""
    def tabla(ident: str, ultima: str) -> str:
        filas = "".join(f'<tr><td class="txt">U{n}</td><td class="num">{n},00</td></tr>'
                        for n in range(2 * FILAS_POR_BLOQUE))
        return (f'<p class="leyenda leyenda-cuadro">Cuadro N° 9: {ident}</p>'
                f'<table class="tabla-informe" id="{ident}"><thead><tr><th>Unidad</th>'
                f'<th class="num">Valor</th></tr></thead><tbody><tr><td class="txt">{ultima}'
                f'</td><td class="num">0,00</td></tr>{filas}</tbody></table>')
    pagina = PAGINA.replace("<p>Otro párrafo.</p>", "<p>Otro párrafo.</p>" + tabla(
        "tabla-a", "Corta") + tabla("tabla-b", "Dirección de nombre largo " * 3))
    (tmp_path / "informe.html").write_text(pagina, encoding="utf-8")
    escribir_docx(tmp_path / "informe.html", tmp_path / ARCHIVO, DATOS)
    cuadros = _cuadros(tmp_path / ARCHIVO)
    rejillas = {}
    for ident in ("tabla-a", "tabla-b"):
        tbl = cuadros[ident]._tbl
        rejillas[ident] = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.iter(qn("w:gridCol"))]
        for fila in tbl.tr_lst:
            assert [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in fila.tc_lst] == \
                rejillas[ident], ident
    assert rejillas["tabla-a"] != rejillas["tabla-b"]


def test_con_la_cache_el_mismo_archivo_y_pandoc_escribe_solo_el_bloque_cambiado(
        tmp_path, monkeypatch):
    from helpers.comun.almacen import Almacen
    from helpers.salida.word import pandoc

    filas = 3 * FILAS_POR_BLOQUE
    escritos: list[str] = []
    a_docx = pandoc.a_docx

    def contando(fuente, *args, **kwargs):
        if isinstance(fuente, str):  # los bloques de los cuadros, como HTML
            escritos.append(fuente)
        return a_docx(fuente, *args, **kwargs)

    monkeypatch.setattr(pandoc, "a_docx", contando)
    almacen = Almacen(tmp_path / "cache", b"s" * 32)
    for nombre, cambiada in (("antes", None), ("despues", FILAS_POR_BLOQUE + 3)):
        (tmp_path / f"{nombre}.html").write_text(_pagina_larga(filas, cambiada), "utf-8")
        escribir_docx(tmp_path / f"{nombre}.html", tmp_path / f"{nombre}-sin.docx", DATOS)
    escritos.clear()
    escribir_docx(tmp_path / "antes.html", tmp_path / "antes.docx", DATOS, almacen=almacen)
    assert escritos and escritos[0].count("<table>") == 2 + 3  # todos: nada guardado
    escritos.clear()
    escribir_docx(tmp_path / "antes.html", tmp_path / "otra.docx", DATOS, almacen=almacen)
    assert escritos == []
    escribir_docx(tmp_path / "despues.html", tmp_path / "despues.docx", DATOS,
                  almacen=almacen)
    assert [e.count("<table>") for e in escritos] == [1]
    assert f"{FILAS_POR_BLOQUE + 4},50" in escritos[0]
    for nombre in ("antes", "otra", "despues"):
        sin = "antes" if nombre == "otra" else nombre
        assert (tmp_path / f"{nombre}.docx").read_bytes() == (
            tmp_path / f"{sin}-sin.docx").read_bytes()


def test_una_copia_editada_da_exactamente_sus_cuatro_ediciones_en_la_pagina_chica(chico,
                                                                                  tmp_path):
    # La página chica tiene dos cuadros: la fila se quita del primero, y el cuadro quitado es
    # el segundo.
    documento = docx.Document(str(chico))
    tabla = documento.tables[0]._tbl
    tabla.remove(tabla.tr_lst[2])
    next(tabla.tr_lst[1].tc_lst[1].iter(qn("w:t"))).text = "88,76 %"
    quitada = documento.tables[1]._tbl
    quitada.getparent().remove(quitada)
    parrafo = next(p for p in documento.paragraphs if p.text.startswith("Un párrafo"))
    parrafo.runs[0].text = "Reescrito."
    for corrida in parrafo.runs[1:]:
        corrida._r.getparent().remove(corrida._r)
    editado = tmp_path / "editado.docx"
    documento.save(str(editado))
    resultado = comparar(leer(chico), leer(editado))
    assert [(d.clase, d.fila, d.dice, d.datos) for d in resultado.diferencias] == [
        ("cifra", "Avance físico", "88,76 %", "88,75 %"),
        ("fila quitada", "Ejecución", "", ""),
        ("cuadro quitado", "", "", ""),
    ]
    assert resultado.parrafos_reescritos == 1
    sin_tocar = comparar(leer(chico), leer(chico))
    assert sin_tocar.coincide and sin_tocar.parrafos_reescritos == 0


def test_una_cifra_del_resumen_que_cambia_se_lista(chico, tmp_path):
    documento = docx.Document(str(chico))
    resumen = next(p for p in documento.paragraphs if p.style.name == ESTILO_RESUMEN)
    resumen.runs[0].text = resumen.text.replace("88,75", "90,00")
    for corrida in resumen.runs[1:]:
        corrida._r.getparent().remove(corrida._r)
    documento.save(str(tmp_path / "editado.docx"))
    resultado = comparar(leer(chico), leer(tmp_path / "editado.docx"))
    assert [(d.clase, d.dice, d.datos) for d in resultado.diferencias] == [
        ("resumen", "90,00", "88,75")]


def test_la_misma_cifra_con_otra_precision_mostrada_es_otra(chico, tmp_path):
    documento = docx.Document(str(chico))
    next(documento.tables[0]._tbl.tr_lst[1].tc_lst[1].iter(qn("w:t"))).text = "88,750 %"
    documento.save(str(tmp_path / "igual.docx"))
    assert comparar(leer(chico), leer(tmp_path / "igual.docx")).coincide
    next(documento.tables[0]._tbl.tr_lst[1].tc_lst[1].iter(qn("w:t"))).text = "88,8 %"
    documento.save(str(tmp_path / "redondeada.docx"))
    assert not comparar(leer(chico), leer(tmp_path / "redondeada.docx")).coincide


def test_el_membrete_neutro_es_un_docx_con_los_estilos_propios(tmp_path):
    ruta = escribir_membrete(tmp_path / "membrete.docx")
    documento = docx.Document(str(ruta))
    nombres = {s.name for s in documento.styles}
    assert {"Fuente", "Celda", ESTILO_RESUMEN, "Portada titulo"} <= nombres
    assert documento.styles["Normal"].font.name == "DejaVu Sans"
    assert problema_del_membrete(ruta) is None
    with pytest.raises(FileExistsError):  # no reemplaza uno que la entidad ya editó
        escribir_membrete(ruta)


def test_un_membrete_que_no_sirve_se_rechaza_con_su_razon(tmp_path):
    assert "no existe" in problema_del_membrete(tmp_path / "falta.docx")
    texto = tmp_path / "membrete.docx"
    texto.write_text("no soy un docx", encoding="utf-8")
    assert "no es un documento de Word" in problema_del_membrete(texto)
    bomba = tmp_path / "bomba.docx"
    with zipfile.ZipFile(bomba, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    motivo = problema_del_membrete(bomba)
    assert "el documento es demasiado grande por dentro" in motivo
    assert "Word" in motivo and "libro" not in motivo


def _membrete_con_logo_y_letra(destino: Path) -> Path:
    """Un membrete de entidad: otra letra y un logo en la cabecera."""
    from PIL import Image

    documento = docx.Document(io.BytesIO(membrete_neutro()))
    documento.styles["Normal"].font.name = "DejaVu Serif"
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 120)).save(logo, format="PNG")
    logo.seek(0)
    documento.sections[0].header.paragraphs[0].add_run().add_picture(logo)
    documento.save(str(destino))
    return destino


def test_el_membrete_de_la_entidad_pone_su_letra_y_su_logo(tmp_path):
    membrete = _membrete_con_logo_y_letra(tmp_path / "membrete.docx")
    (tmp_path / "informe.html").write_text(PAGINA, encoding="utf-8")
    escribir_docx(tmp_path / "informe.html", tmp_path / ARCHIVO, DATOS, membrete=membrete)
    documento = docx.Document(str(tmp_path / ARCHIVO))
    assert documento.styles["Normal"].font.name == "DejaVu Serif"
    cabecera = documento.sections[-1].header
    assert cabecera._element.xpath(".//pic:pic")  # el logo
    assert any("ENT/INF/001" in p.text for p in cabecera.paragraphs)


# --- Con el informe de la muestra --------------------------------------------------------


@pytest.fixture(scope="module")
def muestra(informes_muestra) -> Path:
    return informes_muestra[MUESTRA]


def _texto_sin_espacios(texto: str) -> str:
    return "".join(texto.split())


@pytest.mark.lento
def test_la_muestra_tiene_docx_con_los_cuadros_y_graficos_del_pdf(muestra):
    documento = docx.Document(str(muestra / ARCHIVO))
    leyendas = [p.text for p in documento.paragraphs if p.style.name == "Table Caption"]
    graficos = [p.text for p in documento.paragraphs if p.style.name == "Image Caption"]
    texto = texto_pdf.texto(muestra / "informe.pdf")
    en_pdf = {m for m in re.findall(r"(Cuadro N° \d+):", texto)}
    assert len(documento.tables) == len(leyendas) == len(en_pdf) > 10
    assert len(graficos) == len(set(re.findall(r"(Gráfico N° \d+):", texto))) > 5
    assert len(_cuadros(muestra / ARCHIVO)) == len(documento.tables)
    # El manifiesto guarda su huella.
    assert ARCHIVO in (muestra / "manifiesto.json").read_text(encoding="utf-8")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("falta LibreOffice (soffice): bash scripts/instalar_libreoffice.sh")
    return soffice


@pytest.mark.lento
def test_libreoffice_lo_convierte_con_cada_leyenda_y_cada_celda(muestra, tmp_path):
    import pdfplumber

    with tempfile.TemporaryDirectory(prefix="perfil-soffice-") as perfil:
        resultado = subprocess.run(
            [_soffice(), "--headless", "--norestore", "--nologo",
             f"-env:UserInstallation={Path(perfil).as_uri()}", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(muestra / ARCHIVO)],
            capture_output=True, text=True, timeout=600)
    convertido = tmp_path / "informe.pdf"
    assert resultado.returncode == 0 and convertido.is_file(), resultado.stderr
    with pdfplumber.open(convertido) as pdf:
        texto = _texto_sin_espacios("".join(p.extract_text() or "" for p in pdf.pages))
        # Una celda de varias líneas se lee intercalada con sus vecinas: se busca cada
        # palabra suya entre las del PDF.
        palabras = {w["text"] for p in pdf.pages for w in p.extract_words()}
    documento = docx.Document(str(muestra / ARCHIVO))
    faltan = [p.text for p in documento.paragraphs
              if p.style.name in ("Table Caption", "Image Caption")
              and _texto_sin_espacios(p.text) not in texto]
    celdas = 0
    for tabla in documento.tables:
        for fila in tabla._tbl.tr_lst:
            for celda in fila.tc_lst:
                celdas += 1
                contenido = "".join(t.text or "" for t in celda.iter(qn("w:t"))).split()
                faltan += [palabra for palabra in contenido if palabra not in palabras]
    assert celdas > 1000 and faltan == []


@pytest.mark.lento
def test_verificar_documento_da_las_cuatro_ediciones_y_nada_en_la_copia_sin_tocar(muestra,
                                                                                  tmp_path):
    editado = _editar(muestra / ARCHIVO, tmp_path / "editado.docx")
    codigo, lineas = verificar_copia(muestra, editado)
    assert codigo == 1
    resultado = comparar(leer(muestra / ARCHIVO), leer(editado))
    assert sorted(d.clase for d in resultado.diferencias) == [
        "cifra", "cuadro quitado", "fila quitada"]
    assert resultado.parrafos_reescritos == 1
    assert "1 párrafo reescrito" in lineas[-1]
    copia = tmp_path / "copia.docx"
    shutil.copyfile(muestra / ARCHIVO, copia)
    codigo, lineas = verificar_copia(muestra, copia)
    assert codigo == 0 and "todas coinciden" in lineas[-1] and "reescrit" not in lineas[-1]


@pytest.mark.lento
def test_la_orden_verificar_documento_termina_con_0_1_y_2(muestra, tmp_path):
    def verificar(documento: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "helpers", "verificar", str(muestra), "--documento",
             str(documento)], capture_output=True, text=True, timeout=300, cwd=RAIZ)

    copia = shutil.copyfile(muestra / ARCHIVO, tmp_path / "copia.docx")
    assert verificar(copia).returncode == 0
    editado = _editar(muestra / ARCHIVO, tmp_path / "editado.docx", parrafo=False,
                      cuadro=False, fila=False)
    salida = verificar(editado)
    assert salida.returncode == 1 and "99,99 %" in salida.stdout, salida.stdout
    ajeno = tmp_path / "ajeno.docx"
    ajeno.write_text("<html>no</html>", encoding="utf-8")
    salida = verificar(ajeno)
    assert salida.returncode == 2 and "Traceback" not in salida.stdout + salida.stderr
    assert "no es un documento de Word" in salida.stdout


def _carpeta_con_manifiesto(docx_: Path, carpeta: Path) -> Path:
    """Una carpeta de informe mínima: su informe.docx y un manifiesto con su huella."""
    import json

    from helpers.salida.manifiesto import sha256_archivo

    carpeta.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(docx_, carpeta / ARCHIVO)
    (carpeta / "manifiesto.json").write_text(json.dumps(
        {"salidas": [{"ruta": ARCHIVO, "sha256": sha256_archivo(carpeta / ARCHIVO)}]}),
        encoding="utf-8")
    return carpeta


def test_la_pagina_compara_una_copia_subida_sin_guardarla(chico, tmp_path):
    from helpers.pagina.espacio import SubidaNoValida
    from helpers.pagina.paso_informes import comparar_subida

    carpeta = _carpeta_con_manifiesto(chico, tmp_path / "informe")
    codigo, lineas = comparar_subida(carpeta, "copia.docx", chico.read_bytes())
    assert codigo == 0 and "todas coinciden" in lineas[-1]
    assert sorted(p.name for p in carpeta.iterdir()) == [ARCHIVO, "manifiesto.json"]
    with pytest.raises(SubidaNoValida, match="no es un documento de Word"):
        comparar_subida(carpeta, "copia.xlsx", chico.read_bytes())
    bomba = io.BytesIO()
    with zipfile.ZipFile(bomba, "w", zipfile.ZIP_DEFLATED) as archivo:
        archivo.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    codigo, lineas = comparar_subida(carpeta, "bomba.docx", bomba.getvalue())
    assert codigo == 2 and "el documento es demasiado grande por dentro" in lineas[0]
    assert "libro" not in lineas[0]


def test_una_carpeta_cuyo_docx_cambio_no_sirve_para_comparar(chico, tmp_path):
    carpeta = _carpeta_con_manifiesto(chico, tmp_path / "informe")
    with zipfile.ZipFile(carpeta / ARCHIVO, "a") as archivo:
        archivo.writestr("extra.txt", "otro")
    codigo, lineas = verificar_copia(carpeta, chico)
    assert codigo == 2 and "no es el que generó el programa" in lineas[0]


def test_anchos_de_columnas_no_cortan_una_palabra_y_llenan_la_hoja():
    from helpers.salida.word.columnas import anchos_de_columnas, disponer

    filas = [["Unidad", "Monto"], ["Dirección de planificación y seguimiento", "1.234.567,89"]]
    anchos = anchos_de_columnas(filas, 9000)
    assert 8900 < sum(anchos) <= 9000 and anchos[0] > anchos[1]
    assert anchos[1] >= 105 * len("1.234.567,89")
    # Si ni las palabras caben, en proporción a ellas.
    angosto = anchos_de_columnas(filas, 1000)
    assert sum(angosto) <= 1000 and angosto[0] > angosto[1]
    # Un cuadro que no cabe en la hoja vertical va apaisado; si tampoco, con letra angosta.
    assert disponer(filas, 9000, 14000, ancha=False).apaisada is False
    ancho = [[f"{n:,}" for n in range(10**11, 10**11 + 7)]]
    assert (disponer(ancho, 9000, 14000, False).apaisada,
            disponer(ancho, 9000, 14000, False).estilo) == (True, "Celda")
    muy_ancho = [ancho[0] * 2]
    assert disponer(muy_ancho, 9000, 14000, False).estilo == "Celda angosta"


def test_nuevo_escribe_el_membrete_neutro_y_el_leeme_lo_explica(tmp_path):
    from click.testing import CliRunner

    from helpers.cli import principal

    resultado = CliRunner().invoke(principal, ["nuevo", str(tmp_path / "ent"), "--entidad",
                                               "Entidad X", "--sigla", "EX", "--gestion",
                                               "2025"])
    assert resultado.exit_code == 0, resultado.output
    assert "membrete.docx" in resultado.output
    assert problema_del_membrete(tmp_path / "ent" / "membrete.docx") is None
    leeme = (tmp_path / "ent" / "LEEME.md").read_text(encoding="utf-8")
    assert "membrete.docx" in leeme and "plantilla_word" in leeme
    parametros = next((tmp_path / "ent").glob("*T1*.yaml")).read_text(encoding="utf-8")
    assert '#   plantilla_word: "membrete.docx"' in parametros


@pytest.mark.lento
def test_una_copia_guardada_por_libreoffice_sigue_reconociendo_sus_cuadros(chico, tmp_path):
    """LibreOffice Writer, al guardar otra vez el DOCX, puede no conservar el texto
    alternativo de las tablas: los cuadros se reconocen por el marcador de su leyenda."""
    with tempfile.TemporaryDirectory(prefix="perfil-soffice-") as perfil:
        salida = tmp_path / "guardada"
        resultado = subprocess.run(
            [_soffice(), "--headless", "--norestore", "--nologo",
             f"-env:UserInstallation={Path(perfil).as_uri()}", "--convert-to", "docx",
             "--outdir", str(salida), str(chico)],
            capture_output=True, text=True, timeout=300)
    guardada = salida / chico.name
    assert resultado.returncode == 0 and guardada.is_file(), resultado.stderr
    comparado = comparar(leer(chico), leer(guardada))
    assert comparado.cuadros_comparados == 2 and comparado.coincide, comparado.diferencias


def test_un_manifiesto_que_no_se_entiende_se_dice_sin_traza(chico, tmp_path):
    carpeta = _carpeta_con_manifiesto(chico, tmp_path / "informe")
    (carpeta / "manifiesto.json").write_text("{no es json", encoding="utf-8")
    codigo, lineas = verificar_copia(carpeta, chico)
    assert codigo == 2 and "No se pudo leer" in lineas[0]
