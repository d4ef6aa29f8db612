"""Las fuentes del informe son las del proyecto (helpers.comun.tipografia), tenga la máquina
las fuentes que tenga y diga lo que diga su configuración de fontconfig.

La prueba de punta a punta (el informe de la muestra bajo una configuración que cambia
todas las familias por otra) está en test_maquetacion.py, que ya genera ese informe."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import texto_pdf
from matplotlib import font_manager
from PIL import ImageFont

from helpers.comun import tipografia
from helpers.redaccion import graficos
from helpers.salida import pdf
from helpers.salida.ensamblado import tablas

# Una página que pide familias que no son las del proyecto, y la genérica.
PAGINA = """<html><body>
<p style="font-family: 'Liberation Sans', Arial">uno</p>
<p style="font-family: serif">dos</p>
<p style="font-family: 'Nimbus Sans', sans-serif; font-weight: bold">tres</p>
<p style="font-family: monospace">cuatro</p>
</body></html>"""


def configuracion_que_cambia_todo(carpeta: Path, familia: str) -> Path:
    """Un fonts.conf que incluye el del sistema y cambia cualquier familia pedida por
    ``familia``: lo que haría una máquina con otras fuentes o configurada de otro modo."""
    ruta = carpeta / "fonts.conf"
    ruta.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        '  <match target="pattern">\n'
        '    <edit name="family" mode="assign" binding="strong">'
        f"<string>{familia}</string></edit>\n"
        "  </match>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return ruta


def es_propia(nombre: str) -> bool:
    return nombre.startswith(tipografia.FAMILIA_TEXTO.replace(" ", "-"))


def _componer(carpeta: Path, nombre: str, propias: bool) -> Path:
    if not propias:
        pdf.usar_fuentes_propias = lambda: None  # este proceso es sólo para esta composición
    ruta = carpeta / nombre
    ruta.write_bytes(pdf.componer(PAGINA, carpeta).pdf)
    return ruta


def componer_aparte(carpeta: Path, nombre: str, propias: bool = True) -> Path:
    """Compone PAGINA en un proceso nuevo: fontconfig guarda en cada proceso la primera
    configuración que carga, y una composición de otra prueba no debe contar aquí."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as proceso:
        return proceso.submit(_componer, carpeta, nombre, propias).result(timeout=120)


def test_la_carpeta_trae_las_fuentes_y_su_licencia():
    archivos = tipografia.archivos()
    assert tipografia.ARCHIVO_TABLAS in archivos
    assert (tipografia.CARPETA_FUENTES / "LICENCIA-DejaVu.txt").is_file()
    nombres = {font_manager.FontProperties(fname=a).get_name() for a in archivos}
    assert nombres == {tipografia.FAMILIA_TEXTO, tipografia.FAMILIA_CODIGO}


def test_el_pdf_usa_solo_las_fuentes_propias_aunque_fontconfig_diga_otra_cosa(
    tmp_path, monkeypatch
):
    otra = "DejaVu Serif"  # de fonts-dejavu-core, que instala scripts/instalar_sistema.sh
    cambia = configuracion_que_cambia_todo(tmp_path, otra)
    monkeypatch.setenv("FONTCONFIG_FILE", str(cambia))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # sin la del usuario

    # Sin las fuentes propias, la configuración de la máquina manda: la prueba puede fallar.
    ajeno = texto_pdf.fuentes(componer_aparte(tmp_path, "ajeno.pdf", propias=False))
    assert ajeno and not any(es_propia(nombre) for nombre in ajeno), ajeno

    propio = texto_pdf.fuentes(componer_aparte(tmp_path, "propio.pdf"))
    assert propio and all(es_propia(nombre) for nombre in propio), propio
    # Texto, negrita y la de ancho fijo: tres fuentes distintas, todas del proyecto.
    assert len(propio) == 3, propio


def test_los_graficos_usan_los_archivos_del_proyecto():
    graficos.estilo()
    for peso in ("normal", "bold"):
        propiedades = font_manager.FontProperties(family="sans-serif", weight=peso)
        archivo = Path(font_manager.findfont(propiedades, fallback_to_default=False))
        assert archivo.parent == tipografia.CARPETA_FUENTES, archivo
    # Ninguna otra copia de la familia queda registrada.
    otras = [e.fname for e in font_manager.fontManager.ttflist
             if e.name == tipografia.FAMILIA_TEXTO
             and Path(e.fname).parent != tipografia.CARPETA_FUENTES]
    assert otras == []


@pytest.mark.parametrize("caracteres", ["0123456789", "%", "M", "i"])
def test_el_ancho_sale_de_la_fuente(caracteres):
    # Otra lectura de las mismas métricas: la de Pillow (FreeType), a 1000 unidades por em;
    # sin pares de letras que se acerquen (kerning), que Pillow aplica.
    letra = ImageFont.truetype(str(tipografia.ARCHIVO_TABLAS), 1000)
    esperado = letra.getlength(caracteres) / len(caracteres) / 1000
    assert tipografia.ancho_em(caracteres) == pytest.approx(esperado, abs=1e-3)


def test_la_maquetacion_mide_con_la_letra_de_las_tablas():
    assert tablas.ANCHO_CIFRA_EM == tipografia.ancho_em(
        "0123456789", tipografia.ARCHIVO_TABLAS
    )
    condensada = tipografia.ancho_em("0123456789", tipografia.ARCHIVO_TABLAS)
    normal = tipografia.ancho_em("0123456789", tipografia.CARPETA_FUENTES / "DejaVuSans.ttf")
    assert condensada < normal
