"""Ensamblado del informe con herramientas reales: cuadernos pequeños ejecutados con papermill,
unidos por helpers.salida.ensamblado en HTML para lectores, HTML de auditoría y PDF (WeasyPrint)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timedelta, timezone

import nbformat
import papermill as pm
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pypdf import PdfReader

from helpers.salida.ensamblado import ensamblar
from helpers.salida.ensamblado.retoque import retocar_cuerpo
from helpers.salida.ensamblado.tablas import marcar_tablas
from helpers.salida.manifiesto import datos_colofon
from helpers.salida.pdf import silenciar

ENTIDAD = "Ministerio de Pruebas del Estado Plurinacional"
PERIODO = "Gestión 2024 – II trimestre"
# Lo que el informe de prueba (`informe`) pasa a `ensamblar`.
DATOS_DEL_INFORME = {
    "titulo": "Seguimiento y evaluación a la ejecución física y financiera del POA",
    "subtitulo": "Informe trimestral",
    "entidad": ENTIDAD,
    "periodo": PERIODO,
    "fecha_corte": "30 de junio de 2024",
    "pie": "Dirección General de Planificación",
}
ENLACE_MARKDOWN = "https://www.ejemplo.gob.bo/poa"

PARAMETROS = "gestion = 2024\ntrimestre = 1"

TABLA_SEMAFORO = """
from IPython.display import HTML, display
filas = [("Unidad TABLA-ALFA", "1.234.567,89", "45,3 %", "#c62828"),
         ("Unidad TABLA-BETA", "987.654,32", "91,0 %", "#2e7d32")]
cuerpo = "".join(
    f'<tr><td>{u}</td><td>{m}</td><td style="background-color: {c}; color: white">{p}</td></tr>'
    for u, m, p, c in filas)
display(HTML('<table><thead><tr><th>Unidad</th><th>Devengado</th><th>Ejecución</th></tr></thead>'
             f'<tbody>{cuerpo}</tbody></table>'))
"""

AVISO = """
import warnings
warnings.warn("aviso-interno-que-no-ve-el-lector")
print("texto impreso visible")
"""

GRAFICO = """
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
datos = pd.DataFrame({"acp": ["ACP 1", "ACP 2", "ACP 3"], "avance": [80.0, 55.5, 92.1]})
fig, ax = plt.subplots(figsize=(6, 3))
ax.set_ylim(0, 100)
ax.set_title("Avance físico por ACP")
sns.barplot(datos, x="acp", y="avance", ax=ax, color="#1d3f6e")
"""  # sin plt.show(): deja además un "<Axes: ...>" como resultado, que el lector no debe ver

TABLA_PANDAS = """
import pandas as pd
pd.DataFrame({"Área": ["Central", "Exterior"], "Vigente": ["10.500,00", "7.250,50"],
              "Ejecución %": ["81,2", "64,9"]}).set_index("Área")
"""

TABLA_MENSUAL = """
import pandas as pd
from IPython.display import HTML, display
meses = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"]
tabla = pd.DataFrame({m: ["12.345.678,90", "9.876.543,21"] for m in meses},
                     index=["Devengado Central", "Devengado Exterior"])
display(HTML(tabla.style.to_html()))
"""

RECOMENDACIONES = """
from IPython.display import Markdown, display
display(Markdown("## Recomendaciones\\n\\nTexto generado a partir de las cifras."))
"""


def _cuaderno(celdas: list) -> nbformat.NotebookNode:
    parametros = new_code_cell(PARAMETROS)
    parametros.metadata["tags"] = ["parameters"]
    return new_notebook(
        cells=[celdas[0], parametros, *celdas[1:]],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def _cuadernos() -> list[nbformat.NotebookNode]:
    return [
        _cuaderno(
            [
                new_markdown_cell(
                    "# Resumen ejecutivo\n\nCifras principales del trimestre. Fuente: "
                    f"[portal de la entidad]({ENLACE_MARKDOWN})."
                ),
                new_code_cell(AVISO),
                new_markdown_cell("## Semáforo por unidad"),
                new_code_cell(TABLA_SEMAFORO),
            ]
        ),
        _cuaderno(
            [
                new_markdown_cell(
                    "# Ejecución por ACP\n\n## Gráfico\n\nAvance físico de cada ACP."
                ),
                new_code_cell(GRAFICO),
                new_markdown_cell("## Cuadro por *área*"),  # con marcas dentro del título
                new_code_cell(TABLA_PANDAS),
                new_markdown_cell("## Devengado mensual"),
                new_code_cell(TABLA_MENSUAL),
            ]
        ),
        _cuaderno(
            [
                new_markdown_cell(
                    "# Conclusiones\n\nVer el [resumen](#Resumen-ejecutivo).\n\n## Gráfico\n\n"
                    "Un segundo gráfico con el mismo título."
                ),
                new_code_cell(GRAFICO),
                new_code_cell(RECOMENDACIONES),
            ]
        ),
    ]


@pytest.fixture(scope="module")
def ejecutados(tmp_path_factory) -> list:
    """Los cuadernos de prueba, ejecutados con papermill (una vez por módulo)."""
    base = tmp_path_factory.mktemp("ensamblado")
    ejecutados = []
    for i, nb in enumerate(_cuadernos(), start=1):
        fuente = base / f"fuente_{i}.ipynb"
        nbformat.write(nb, fuente)
        destino = base / f"{i:02d}_seccion.ipynb"
        pm.execute_notebook(
            str(fuente),
            str(destino),
            parameters={"trimestre": 2},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(base),
        )
        ejecutados.append(destino)
    return ejecutados


@pytest.fixture(scope="module")
def informe(ejecutados, ayudantes) -> dict:
    """El informe ensamblado como en una corrida con más de un núcleo: la página de auditoría
    y la mitad de las composiciones, en procesos de ayuda."""
    carpeta = ejecutados[0].parent / "salida"
    rutas = ensamblar(ejecutados, carpeta, **DATOS_DEL_INFORME,
                      cediendo=ayudantes.cediendo, compositor=ayudantes.compositor)
    return {
        "rutas": rutas,
        "carpeta": carpeta,
        "html": rutas["html"].read_text(encoding="utf-8"),
        "auditoria": rutas["auditoria"].read_text(encoding="utf-8"),
    }


def test_escribe_los_tres_archivos(informe):
    rutas = informe["rutas"]
    assert set(rutas) == {"html", "auditoria", "pdf"}
    assert rutas["html"] == informe["carpeta"] / "informe.html"
    assert rutas["auditoria"] == informe["carpeta"] / "informe-auditoria.html"
    assert rutas["pdf"] == informe["carpeta"] / "informe.pdf"
    for ruta in rutas.values():
        assert ruta.is_file() and ruta.stat().st_size > 0


def test_lectores_sin_codigo_ni_parametros_ni_avisos(informe):
    html = informe["html"]
    for codigo in (
        "sns.barplot",
        "warnings.warn",
        "import pandas",
        "gestion = 2024",
        "Parameters",
        "trimestre = 2",
    ):
        assert codigo not in html, codigo
    assert "aviso-interno-que-no-ve-el-lector" not in html  # stderr
    assert "&lt;Axes" not in html  # repr de matplotlib como resultado de la celda
    assert "In&nbsp;[" not in html and "Out[" not in html
    assert "texto impreso visible" in html
    for dato in (ENTIDAD, PERIODO, "30 de junio de 2024", "Informe trimestral"):
        assert dato in html  # portada


def test_auditoria_muestra_el_codigo(informe):
    auditoria = informe["auditoria"]
    texto = re.sub(r"<[^>]+>", "", auditoria)  # el código resaltado va en <span>
    for codigo in ("sns.barplot", "warnings.warn", "gestion = 2024", "trimestre = 2"):
        assert codigo in texto, codigo
    assert 'class="highlight' in auditoria
    assert ".highlight .k" in auditoria  # colores del resaltado, en línea
    assert "Unidad TABLA-ALFA" in auditoria


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_autocontenido_sin_red(informe, clave):
    html = informe[clave]
    urls = set(re.findall(r"""https?://[^"'\s<>)]*""", html))
    assert urls <= {ENLACE_MARKDOWN}, urls
    assert "<script" not in html
    assert "<link" not in html
    assert "<style" in html
    imagenes = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert len(imagenes) == 2
    assert all(src.startswith("data:image/png;base64,") for src in imagenes)


def test_indice_enlaza_cada_titulo(informe):
    html = informe["html"]
    indice = re.search(r'<nav class="indice".*?</nav>', html, re.DOTALL)[0]
    enlaces = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', indice)
    assert [t for _, t in enlaces] == [
        "Resumen ejecutivo", "Semáforo por unidad",
        "Ejecución por ACP", "Gráfico", "Cuadro por área", "Devengado mensual",
        "Conclusiones", "Gráfico", "Recomendaciones",
    ]  # fmt: skip
    ids = [i for i, _ in enlaces]
    assert len(set(ids)) == len(ids)  # dos "Gráfico", ids distintos
    assert ids[0] == "resumen-ejecutivo" and ids[3] == "grafico" and ids[7] == "grafico-2"
    cuerpo = html[html.index("<main") :]
    for ident in ids:
        assert cuerpo.count(f'id="{ident}"') == 1, ident
    # El enlace interno del markdown sigue al título con su nuevo id.
    assert '<a href="#resumen-ejecutivo">resumen</a>' in html
    # Mismos ids en la auditoría.
    assert all(f'id="{i}"' in informe["auditoria"] for i in ids)


def test_tablas_conservan_colores_y_alinean_numeros(informe):
    html = informe["html"]
    assert re.search(
        r'<td[^>]*style="background-color: #c62828; color: white"[^>]*>45,3 %</td>', html
    )
    assert re.search(r'<td class="num"[^>]*>1\.234\.567,89</td>', html)
    assert "<td>Unidad TABLA-ALFA</td>" in html  # el texto no se marca como número
    # La tabla mensual (13 columnas de montos) no cabe en vertical: va apaisada en el PDF.
    assert html.count('<div class="tabla-horizontal">') == 1


def test_pdf_a4_con_portada_indice_y_paginas(informe):
    paginas = PdfReader(str(informe["rutas"]["pdf"])).pages
    assert len(paginas) > 1
    tamanos = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in paginas]
    assert set(tamanos) == {(595, 842), (842, 595)}  # A4; una página apaisada
    assert tamanos.count((842, 595)) == 1 and tamanos[0] == (595, 842)
    textos = [p.extract_text() for p in paginas]
    todo = "\n".join(textos)
    assert ENTIDAD in todo
    assert "Página 2 de" in todo
    assert f"Página {len(paginas)} de {len(paginas)}" in todo
    assert "Unidad TABLA-ALFA" in todo and "1.234.567,89" in todo and "12.345.678,90" in todo
    # Portada sin cabecera ni número de página; el índice en la página 2, con números.
    assert "Página" not in textos[0]
    assert textos[1].startswith("Contenido")
    for titulo in ("Resumen ejecutivo", "Ejecución por ACP", "Conclusiones"):
        numero = int(re.search(rf"{titulo} ?(?:\. ?)+ ?(\d+)\n", textos[1])[1])
        # Cada sección empieza en una página nueva, la que dice el índice.
        assert textos[numero - 1].startswith(titulo), titulo
    # Cabecera con la entidad y el periodo en cada página menos la portada.
    for texto in textos[1:]:
        assert ENTIDAD in texto and PERIODO in texto
    # Sin código ni avisos en el PDF.
    assert "sns.barplot" not in todo and "aviso-interno" not in todo


# --- Colofón ---------------------------------------------------------------------------------

COMMIT = "0123456789abcdef0123456789abcdef01234567"
MOMENTO = datetime(2024, 7, 15, 9, 2, 30, tzinfo=timezone(timedelta(hours=-4)))


@pytest.fixture(scope="module")
def con_colofon(ejecutados, tmp_path_factory) -> dict:
    """Un informe de una sola sección con colofón. Los nombres de archivo traen marcas HTML:
    el colofón las muestra como texto."""
    proyecto = tmp_path_factory.mktemp("proyecto")
    (proyecto / "data").mkdir()
    (proyecto / "params").mkdir()
    datos = proyecto / "data" / "poa <b>2024 & cía.xlsx"
    datos.write_bytes(b"libro de prueba")
    params = proyecto / "params" / "2024-T2.yaml"
    params.write_text("gestion: 2024\ntrimestre: 2\n", encoding="utf-8")
    colofon = datos_colofon(
        datos=[datos], params=params, proyecto=proyecto, carpeta=proyecto / "output" / "2024-T2",
        momento=MOMENTO,
        codigo={"version": "1.2.3", "commit": COMMIT, "cambios_sin_confirmar": True},
    )
    carpeta = proyecto / "output" / "2024-T2"
    rutas = ensamblar(
        ejecutados[:1], carpeta, titulo="Seguimiento del POA", subtitulo="Informe trimestral",
        entidad=ENTIDAD, periodo=PERIODO, fecha_corte="30 de junio de 2024",
        pie="Dirección General de Planificación", colofon=colofon,
    )
    return {"rutas": rutas, "colofon": colofon, "datos": datos, "params": params}


def test_sin_colofon_no_hay_colofon(informe):
    for clave in ("html", "auditoria"):
        assert _sopa(informe[clave]).find(class_="colofon") is None
    textos = [p.extract_text() for p in PdfReader(str(informe["rutas"]["pdf"])).pages]
    assert "Colofón" not in "\n".join(textos)


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_colofon_al_final_de_cada_html(con_colofon, clave):
    c = con_colofon["colofon"]
    sopa = _sopa(con_colofon["rutas"][clave].read_text(encoding="utf-8"))
    colofon = sopa.find("section", class_="colofon")
    assert colofon is not None
    # Después del cuerpo, y último en la página (antes sólo del pie).
    assert colofon.find_previous_sibling("main") is not None
    assert [e.name for e in colofon.find_next_siblings()] == ["footer"]
    assert colofon.h2.get_text() == "Colofón"
    # Fuera del índice.
    assert "Colofón" not in sopa.find("nav", class_="indice").get_text()
    filas = {
        fila.dt.get_text(" ", strip=True): fila.dd.get_text(" ", strip=True)
        for fila in colofon.find_all("div", class_="colofon-fila")
    }
    sha_datos = hashlib.sha256(b"libro de prueba").hexdigest()
    assert filas["Archivo de datos"] == f"data/poa <b>2024 & cía.xlsx SHA-256 {sha_datos}"
    assert c["datos"][0]["sha256"] == sha_datos
    sha_params = hashlib.sha256(con_colofon["params"].read_bytes()).hexdigest()
    assert filas["Parámetros"] == f"params/2024-T2.yaml SHA-256 {sha_params}"
    assert filas["Programa"] == "informe-poa, versión 1.2.3"
    assert filas["Código fuente"] == f"commit de git {COMMIT} con cambios sin confirmar"
    assert filas["Generado el"] == "15 de julio de 2024, 09:02:30 (UTC−04:00)"
    assert colofon.time["datetime"] == "2024-07-15T09:02:30-04:00"
    # El nombre con marcas es texto, no HTML.
    assert colofon.find("b") is None
    ordenes = [li.get_text() for li in colofon.select(".colofon-ordenes li")]
    assert ordenes == ["make verify OUTPUT=output/2024-T2",
                       "python -m helpers.salida.verificacion output/2024-T2"]
    assert "Para comprobar que este informe corresponde a esos datos" in colofon.get_text(" ")
    assert str(con_colofon["datos"].parent) not in str(colofon)  # sin rutas de la máquina


def test_colofon_en_la_ultima_pagina_del_pdf(con_colofon):
    lector = PdfReader(str(con_colofon["rutas"]["pdf"]))
    textos = [p.extract_text() for p in lector.pages]
    ultima = textos[-1]
    assert ultima.count("Colofón") == 1 and "Colofón" not in "\n".join(textos[:-1])
    assert "Colofón" not in textos[1]  # ni en el índice
    plano = re.sub(r"\s+", "", ultima)  # el PDF puede partir las huellas en varias líneas
    assert hashlib.sha256(b"libro de prueba").hexdigest() in plano
    assert hashlib.sha256(con_colofon["params"].read_bytes()).hexdigest() in plano
    assert COMMIT in plano
    for texto in ("poa <b>2024 & cía.xlsx", "params/2024-T2.yaml", "versión 1.2.3",
                  "con cambios sin confirmar", "15 de julio de 2024, 09:02:30",
                  "make verify OUTPUT=output/2024-T2",
                  "python -m helpers.salida.verificacion output/2024-T2"):
        assert texto in ultima, texto
    assert ENTIDAD in ultima and f"Página {len(textos)} de {len(textos)}" in ultima
    # Último marcador del PDF, al primer nivel.
    assert lector.outline[-1].title == "Colofón"


def test_colofon_sin_commit_ni_version():
    from helpers.salida.ensamblado.pagina import pagina

    colofon = {
        "datos": [{"nombre": "a.csv", "sha256": "1" * 64}, {"nombre": "b.csv", "sha256": "2" * 64}],
        "parametros": {"nombre": "p.yaml", "sha256": "3" * 64},
        "programa": "informe-poa", "version": None, "commit": None,
        "cambios_sin_confirmar": None, "generado": "hoy", "generado_iso": "2024-07-15",
        "verificacion": ["make verify OUTPUT=<carpeta>"],
    }
    datos = {"titulo": "T", "subtitulo": "", "entidad": "E", "periodo": "P",
             "fecha_corte": "F", "pie": "", "colofon": colofon}
    sopa = _sopa(pagina("lectores", "<p>cuerpo</p>", [], [], datos))
    filas = {f.dt.get_text(strip=True): f.dd.get_text(" ", strip=True)
             for f in sopa.select(".colofon-fila")}
    assert filas["Archivos de datos"].split() == [
        "a.csv", "SHA-256", "1" * 64, "b.csv", "SHA-256", "2" * 64,
    ]
    assert filas["Programa"].startswith("informe-poa (versión no")
    assert filas["Código fuente"].startswith("sin commit de git registrado")
    assert "con cambios sin confirmar" not in sopa.get_text()
    assert sopa.select_one(".colofon-ordenes code").get_text() == "make verify OUTPUT=<carpeta>"


# --- La página de auditoría, escrita en otro proceso ---------------------------------------


def test_auditoria_en_otro_proceso_igual_que_en_este(ejecutados, informe, monkeypatch):
    """Con procesos de ayuda la auditoría se escribe en otro proceso mientras se compone el
    PDF; sin ellos, en este, y las tablas que comparte con la página de lectores se marcan
    una sola vez. Las dos dan el mismo archivo, byte a byte."""
    import helpers.salida.ensamblado as ensamblado
    from helpers.salida.ensamblado import exportacion

    assert informe["rutas"]["auditoria"].exists()
    en_este = []
    original = ensamblado.escribir_auditoria
    marcar = exportacion.marcar_tablas
    marcados = []

    def registrada(*argumentos, **nombrados):
        en_este.append(argumentos[-1])
        return original(*argumentos, **nombrados)

    def contada(contenido):
        marcados.append(contenido)
        return marcar(contenido)

    monkeypatch.setattr(ensamblado, "escribir_auditoria", registrada)
    monkeypatch.setattr(exportacion, "marcar_tablas", contada)
    carpeta = ejecutados[0].parent / "un-nucleo"
    rutas = ensamblar(
        ejecutados, carpeta,
        titulo="Seguimiento y evaluación a la ejecución física y financiera del POA",
        subtitulo="Informe trimestral", entidad=ENTIDAD, periodo=PERIODO,
        fecha_corte="30 de junio de 2024", pie="Dirección General de Planificación",
    )
    assert en_este == [rutas["auditoria"]]
    assert marcados and len(marcados) == len(set(marcados))
    assert rutas["auditoria"].read_text(encoding="utf-8") == informe["auditoria"]
    assert rutas["html"].read_text(encoding="utf-8") == informe["html"]
    # Y el PDF: con un núcleo las composiciones de prueba no se reparten; la maquetación es
    # la misma, página por página.
    def paginas(ruta):
        return [pagina.extract_text() for pagina in PdfReader(ruta).pages]

    assert paginas(rutas["pdf"]) == paginas(informe["rutas"]["pdf"])


@pytest.mark.parametrize("auditoria", [False, True])
def test_exportar_sin_la_pasada_final_de_nbconvert_da_lo_mismo(ejecutados, auditoria):
    """El exportador propio se salta la pasada con que HTMLExporter vuelve a escribir la
    página: lo que sale, escrito otra vez por BeautifulSoup, es lo que da HTMLExporter, y el
    cuerpo retocado es el mismo. Si nbconvert cambia lo que hace antes de la plantilla o en
    esa pasada, esto lo dice."""
    from nbconvert import HTMLExporter

    from helpers.salida.ensamblado import exportacion

    libros = [nbformat.read(str(c), as_version=4) for c in ejecutados]
    for libro in libros:
        exportacion.preparar_salidas(libro, exportacion.Imagenes())
    nb = exportacion.unir_cuadernos(libros, ejecutados, auditoria=auditoria)
    ruta_base = str(ejecutados[0].parent)
    propio = exportacion.exportar(nb, ruta_base, auditoria=auditoria)

    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(exportacion, "ExportadorCuerpo", HTMLExporter)
        de_nbconvert = exportacion.exportar(nb, ruta_base, auditoria=auditoria)
    assert propio != de_nbconvert  # la pasada de nbconvert sí reescribe (y aquí no se hace)
    assert str(BeautifulSoup(propio, "html.parser")) == de_nbconvert
    assert retocar_cuerpo(propio) == retocar_cuerpo(de_nbconvert)


def test_el_codigo_de_la_auditoria_llega_como_texto(tmp_path):
    """La versión de auditoría muestra el código resaltado por pygments sin la pasada de
    bleach de la plantilla lab (plantilla `cuerpo`): un texto hostil en una celda de código
    (la celda de parámetros trae rutas que escribe el usuario) sale como texto, y el resaltado
    es el mismo que deja esa pasada."""
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html

    from helpers.salida.ensamblado import exportacion

    hostil = ("params = \"<script>alert(1)</script><img src=x onerror=alert(2)>\"  "
              "# &amp; <b>é</b>")
    nb = new_notebook(cells=[new_code_cell(hostil)], metadata={
        "language_info": {"name": "python", "pygments_lexer": "ipython3"}})
    cuerpo = exportacion.exportar(nb, str(tmp_path), auditoria=True)
    sopa = BeautifulSoup(cuerpo, "html.parser")
    assert sopa.find(["script", "img", "b"]) is None
    assert hostil in sopa.get_text()
    resaltado = Highlight2HTML(pygments_lexer="ipython3")(hostil)
    assert resaltado in cuerpo
    assert clean_html(resaltado) == resaltado


def _compositor_de_prueba(carpeta, ayudante=None):
    from helpers.salida.ensamblado.composicion import Compositor
    from helpers.salida.ensamblado.exportacion import Imagenes

    return Compositor([], Imagenes(), carpeta, ayudante)


def _texto_de(parte) -> str:
    import io

    return PdfReader(io.BytesIO(parte.pdf)).pages[0].extract_text().strip()


@pytest.mark.parametrize("grandes", [False, True])
def test_encargar_compone_lo_que_piden_los_encargos(tmp_path, monkeypatch, grandes, ayudantes):
    """Cada encargo recibe su parte (de a uno: nunca dos a la vez) y lo que pide después se
    compone también, en este proceso o en el ayudante. Con todas grandes (una composición
    grande a la vez), se componen todas igual, sin quedar esperando."""
    import threading
    import time

    from helpers.salida.ensamblado import composicion

    if grandes:
        monkeypatch.setattr(composicion, "COMPOSICION_GRANDE", 0)
    vueltas: dict[str, str] = {}
    dentro = threading.Event()

    def encargo(nombre: str, sigue: list[str]):
        def al_volver(parte):
            assert not dentro.is_set()  # de a uno
            dentro.set()
            time.sleep(0.05)
            vueltas[nombre] = _texto_de(parte)
            dentro.clear()
            return [encargo(n, []) for n in sigue]
        return f"<p>{nombre}</p>", al_volver

    errores = []

    def encargar(ayudante):
        try:
            _compositor_de_prueba(tmp_path, ayudante).encargar([
                encargo("uno", ["uno-bis", "uno-ter"]), encargo("dos", []),
                encargo("tres", ["tres-bis"]),
            ])
        except BaseException as error:  # noqa: BLE001 - se dice abajo
            errores.append(error)

    with silenciar():
        ayudante = ayudantes.compositor
        # En otro hilo, para que un encargo que espera para siempre sea un error y no una
        # prueba que no termina.
        hilo = threading.Thread(target=encargar, args=(ayudante,), daemon=True)
        hilo.start()
        hilo.join(timeout=120)
        assert not hilo.is_alive(), "encargar no terminó"
    assert not errores, errores
    assert vueltas == {n: n for n in ["uno", "dos", "tres", "uno-bis", "uno-ter", "tres-bis"]}


@pytest.mark.parametrize("con_ayudante", [False, True])
def test_encargo_de_prueba_escribe_solo_las_hojas_que_quedan(tmp_path, con_ayudante,
                                                              ayudantes):
    """Una composición de prueba vuelve sin PDF; se escriben después sólo las hojas que su
    `al_volver` deja en `parte.escritas` (las de las secciones que van tal cual al informe),
    en este proceso o en el ayudante. Sin ninguna, no se dibuja nada."""
    import io


    hojas = "".join(f'<p style="break-before: page">hoja {n}</p>' for n in range(4))
    partes = {}

    def encargo(nombre: str, quedan: list[int]):
        def al_volver(parte):
            assert parte.pdf is None and len(parte.hojas) == 4
            parte.escritas = list(quedan)
            partes[nombre] = parte
            return []
        return f"<body>{hojas}</body>", al_volver, True

    ayudante = ayudantes.compositor if con_ayudante else None
    with silenciar():
        _compositor_de_prueba(tmp_path, ayudante).encargar(
            [encargo("dos", [3, 1]), encargo("ninguna", [])]
        )
    dos = partes["dos"]
    assert dos.escritas == [1, 3]
    lector = PdfReader(io.BytesIO(dos.pdf))
    assert [p.extract_text().strip() for p in lector.pages] == ["hoja 1", "hoja 3"]
    assert [dos.en_el_pdf(h) for h in (1, 3)] == [0, 1]
    assert partes["ninguna"].pdf == b"" and partes["ninguna"].escritas == []


def test_encargar_una_falla_de_un_encargo_llega_a_quien_encarga(tmp_path, ayudantes):
    def al_volver(parte):
        raise ValueError("no sirve")

    with silenciar():
        with pytest.raises(ValueError, match="no sirve"):
            _compositor_de_prueba(tmp_path, ayudantes.compositor).encargar(
                [(f"<p>{n}</p>", al_volver) for n in range(4)]
            )


# --- Casos que las expresiones regulares sobre HTML resolvían mal ----------------------------


def _sopa(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_celdas_numericas_con_marcas_dentro_y_atributos_en_otro_orden():
    html, apaisada = marcar_tablas(
        '<table id="t" class="tabla-informe"><thead><tr><th>Unidad</th><th>Monto</th>'
        "<th>Avance</th><th>Nota</th></tr></thead><tbody><tr>"
        '<td style="color: red" class="txt"><span>Unidad</span> <em>Central</em></td>'
        '<td data-fuente="sigep" class="monto"><b>1.234.567,89</b></td>'
        '<td><span class="x">85,3</span>&nbsp;%</td>'
        '<td class="num">12</td></tr></tbody></table>'
    )
    assert not apaisada
    celdas = _sopa(html).find_all("td")
    assert celdas[0]["class"] == ["txt"]  # texto: no se marca
    assert celdas[1]["class"] == ["num", "monto"]
    assert celdas[1]["data-fuente"] == "sigep" and celdas[1].b.get_text() == "1.234.567,89"
    assert celdas[2]["class"] == ["num"]
    assert celdas[3]["class"] == ["num"]  # ya la tenía: no se repite
    # Una tabla angosta no lleva clase de ancho.
    assert _sopa(html).table["class"] == ["tabla-informe"]


def test_tabla_ancha_con_tabla_anidada_y_fin_de_tabla_en_el_texto():
    montos = "".join(f"<td><span>12.345.678,{i:02d}</span></td>" for i in range(12))
    html, apaisada = marcar_tablas(
        '<p>antes</p><table class="mensual"><thead><tr><th>Área</th>'
        + "".join(f"<th>M{i}</th>" for i in range(12))
        + "</tr></thead><tbody>"
        + '<tr><td><table class="detalle"><tr><td>1</td></tr></table>Central</td>'
        + montos
        + '</tr><tr><td title="</table>">Exterior <!-- </table> --></td>'
        + montos
        + "</tr></tbody></table><p>después</p>"
    )
    assert apaisada
    sopa = _sopa(html)
    envoltorio = sopa.select("div.tabla-horizontal")
    assert len(envoltorio) == 1
    externa = envoltorio[0].find("table", recursive=False)
    assert externa["class"] == ["muy-ancha", "mensual"]
    assert len(externa.find_all("tr", recursive=True)) == 4  # las 3 suyas y la de la anidada
    # La tabla anidada queda dentro de la celda, sin clase de ancho, con su número marcado.
    anidada = externa.find("table", class_="detalle")
    assert anidada["class"] == ["detalle"] and anidada.td["class"] == ["num"]
    assert [p.get_text() for p in sopa.find_all("p")] == ["antes", "después"]
    assert sopa.find("p").find_next_sibling() is envoltorio[0]
    assert len(sopa.find_all("td", class_="num")) == 25  # 24 montos y el 1 anidado


def test_tabla_de_ancho_intermedio_lleva_letra_chica():
    cifras = "".join(f"<td>1.234.567,{i:02d}</td>" for i in range(8))
    html, apaisada = marcar_tablas(f"<table><tr><td>Unidad</td>{cifras}</tr></table>")
    assert not apaisada
    assert _sopa(html).table["class"] == ["ancha"]
    assert "tabla-horizontal" not in html


def test_sin_tablas_el_html_queda_tal_cual():
    original = "<p>Texto con <b>1.234</b> &nbsp; y <td>suelto</p>"
    assert marcar_tablas(original) == (original, False)


def test_titulos_con_marcas_atributos_en_otro_orden_y_enlaces_internos():
    cuerpo = (
        '<section class="seccion" id="seccion-01">'
        '<h1 id="Ejecuci%C3%B3n-f%C3%ADsica">Ejecución <em>física</em> &amp; financiera'
        '<a class="anchor-link" href="#Ejecuci%C3%B3n-f%C3%ADsica">¶</a></h1>'
        '<h2 data-origen="md" id="Tabla">Tabla<a class="anchor-link" href="#Tabla">¶</a></h2>'
        '<table id="tabla"><tr><td>1</td></tr></table>'
        '<h2 id="Gr%C3%A1fico">Gráfico<a href="#Gr%C3%A1fico" class="anchor-link">¶</a></h2>'
        '<h2 id="Gr%C3%A1fico">Gráfico<a class="anchor-link" href="#Gr%C3%A1fico">¶</a></h2>'
        '<p><a class="interno" href="#Ejecuci%C3%B3n-f%C3%ADsica">arriba</a> '
        '<a href="#Gráfico">gráfico</a> <a href="https://ejemplo.bo/#Tabla">fuera</a></p>'
        "<h3>Sin ancla</h3>"
        '<SCRIPT type="text/javascript">document.write("</section>")</SCRIPT>'
        '<div><script src="x.js"></script></div>'
        "</section>"
    )
    nuevo, indice, _ = retocar_cuerpo(cuerpo)
    sopa = _sopa(nuevo)
    assert sopa.find("script") is None and "document.write" not in nuevo
    titulos = sopa.find_all(["h1", "h2"])
    ids = [h["id"] for h in titulos]
    # "tabla" ya es el id de la tabla: el título no lo repite.
    assert ids == ["ejecucion-fisica-financiera", "tabla-2", "grafico", "grafico-2"]
    for h in titulos:
        assert h.find("a", class_="anchor-link")["href"] == f"#{h['id']}"
    assert titulos[0].em.get_text() == "física"  # las marcas del título siguen ahí
    assert titulos[1]["data-origen"] == "md"
    assert sopa.h3.get("id") is None  # sin ancla de nbconvert: no es del índice
    # El párrafo de los enlaces (los de clase son la leyenda y la fuente de la tabla).
    enlaces = [a["href"] for a in sopa.find("p", class_=False).find_all("a")]
    assert enlaces == ["#ejecucion-fisica-financiera", "#grafico", "https://ejemplo.bo/#Tabla"]
    assert sopa.section.get("id") == "seccion-01"
    assert [(e["id"], str(e["texto"]), e["nivel"]) for e in indice] == [
        ("ejecucion-fisica-financiera", "Ejecución física &amp; financiera", 1)
    ]
    assert [e["id"] for e in indice[0]["hijos"]] == ["tabla-2", "grafico", "grafico-2"]


# --- Las reglas del HTML, una por una ---------------------------------------------------------


@pytest.mark.parametrize(("texto", "numero"), [
    ("1.234,5", True), ("-12", True), ("85,3 %", True), ("Bs 1.000", True), ("—", True),
    ("100,00 (128,40)", True), ("nan", True), ("N/A", True), ("1\u00a0234", True),
    ("Unidad 1", False), ("", False), ("2024-T2", False), ("%", False),
])
def test_es_numero(texto, numero):
    from helpers.salida.ensamblado.tablas import es_numero

    assert es_numero(texto) is numero


def test_medida_de_texto_en_el_cuerpo_y_en_un_encabezado():
    from helpers.salida.ensamblado.tablas import TEXTO_MAX_CARACTERES, medida_de_texto

    largo = "Dirección General de Asuntos Administrativos"
    # En el cuerpo: hasta TEXTO_MAX_CARACTERES (se parte en líneas), y el texto entero.
    assert medida_de_texto(largo, encabezado=False) == (TEXTO_MAX_CARACTERES, len(largo))
    assert medida_de_texto("Central", encabezado=False) == (7, 7)
    assert medida_de_texto("Descentralizadamente", encabezado=False) == (20, 20)
    # En un encabezado: sólo la palabra más larga.
    assert medida_de_texto(largo, encabezado=True) == (15, 15)
    assert medida_de_texto("", encabezado=True) == (0, 0)


def test_formato_de_tabla_segun_su_ancho():
    from helpers.salida.ensamblado import tablas

    def columnas(puntos: float, letra: float) -> list[int]:
        """Columnas de 10 caracteres que suman a lo sumo ``puntos`` con la letra dada."""
        n = int(puntos // tablas.puntos_de_columna(10, letra))
        return [10] * n

    vertical, apaisado = tablas.ANCHO_VERTICAL_PT, tablas.ANCHO_APAISADO_PT
    chica, normal = tablas.LETRA_TABLA_ANCHA_PT, tablas.LETRA_TABLA_PT
    cabe = columnas(vertical, normal)
    assert tablas.formato_de_tabla(cabe) == (None, normal, vertical)
    achicada = cabe + [10]
    assert tablas.ancho_pt(achicada, chica) <= vertical
    assert tablas.formato_de_tabla(achicada) == ("ancha", chica, vertical)
    muy_ancha = columnas(vertical, chica) + [10]
    assert tablas.formato_de_tabla(muy_ancha) == ("muy-ancha", chica, apaisado)
    assert tablas.formato_de_tabla([]) == (None, normal, vertical)


def test_anchos_de_columnas_el_texto_entero_si_cabe_si_no_lo_que_sobra():
    from helpers.salida.ensamblado import tablas

    puntos = tablas.puntos_de_columna
    # Caben los textos enteros: cada columna el suyo (hasta TEXTO_FIJA_CARACTERES).
    anchos = tablas.anchos_de_columnas([5, 8], [5, 30], 8, 510)
    assert anchos == [puntos(5, 8), puntos(30, 8)]
    largo = tablas.TEXTO_FIJA_CARACTERES
    assert tablas.anchos_de_columnas([5], [500], 8, 10_000) == [puntos(largo, 8)]
    # No caben: cada una su mínimo, y lo que sobra va a las de texto, según lo que les falta.
    codigo, nombre, monto = tablas.anchos_de_columnas([5, 10, 12], [5, 200, 12], 8, 300)
    assert codigo == puntos(5, 8) and monto == puntos(12, 8)
    assert codigo + nombre + monto == pytest.approx(300)
    # Ni los mínimos caben: los mínimos.
    assert tablas.anchos_de_columnas([40, 40], [90, 40], 8, 100) == [puntos(40, 8)] * 2


def test_fijar_columnas_en_porcentajes():
    from helpers.salida.ensamblado.tablas import fijar_columnas

    sopa = _sopa('<table class="t"><tr><td>a</td><td>b</td></tr></table>')
    fijar_columnas(sopa, sopa.table, [30.0, 90.0])
    assert sopa.table["class"] == ["fija", "t"]
    assert [c["style"] for c in sopa.table.colgroup.find_all("col")] == [
        "width: 25.00%", "width: 75.00%",
    ]
    assert sopa.table.contents[0].name == "colgroup"


def test_medir_tabla_con_colspan_rowspan_y_encabezados():
    from helpers.salida.ensamblado.tablas import entero, medir_tabla

    assert [entero(v) for v in (None, "2", "0", "x", ' 3"')] == [1, 2, 1, 1, 3]
    sopa = _sopa(
        "<table><thead><tr><th>Unidad organizacional</th><th colspan='2'>Montos</th></tr>"
        "</thead><tbody>"
        "<tr><td rowspan='2'>Central</td><td>1.234,5</td><td>12</td></tr>"
        "<tr><td>99</td><td>1.000.000</td></tr>"
        "</tbody></table>"
    )
    caracteres, marcadas, largos = medir_tabla(sopa.table)
    # Encabezado: su palabra más larga; «Montos» (colspan) no cuenta. La fila de abajo del
    # rowspan empieza en la segunda columna.
    assert caracteres == [len("organizacional"), len("1.234,5"), len("1.000.000")]
    assert largos == caracteres
    assert marcadas
    assert [td.get("class") for td in sopa.find_all("td")] == [
        None, ["num"], ["num"], ["num"], ["num"],
    ]


def test_slug_de_un_titulo():
    from helpers.salida.ensamblado.retoque import slug

    assert slug("Ejecución física & financiera") == "ejecucion-fisica-financiera"
    assert slug("  ¿Qué? ") == "que"
    assert slug("¶ —") == "seccion"


def test_agregar_al_indice_los_h2_van_dentro_del_h1():
    from helpers.salida.ensamblado.retoque import agregar_al_indice

    def entrada(nivel: int, ident: str) -> dict:
        return {"id": ident, "nivel": nivel, "hijos": []}

    indice: list[dict] = []
    for nivel, ident in [(2, "suelto"), (1, "a"), (2, "a1"), (3, "no"), (2, "a2"), (1, "b")]:
        agregar_al_indice(indice, entrada(nivel, ident))
    assert [(e["id"], [h["id"] for h in e["hijos"]]) for e in indice] == [
        ("suelto", []), ("a", ["a1", "a2"]), ("b", []),
    ]


def test_id_libre():
    from helpers.salida.ensamblado.sopa import id_libre

    usados = {"a", "a-2"}
    assert [id_libre("a", usados), id_libre("b", usados), id_libre("a", usados)] == [
        "a-3", "b", "a-4",
    ]
    assert usados == {"a", "a-2", "a-3", "a-4", "b"}


@pytest.mark.parametrize(("salida", "lectores", "auditoria"), [
    ({"output_type": "stream", "name": "stdout", "text": "hola"}, True, True),
    ({"output_type": "stream", "name": "stderr", "text": "aviso"}, False, True),
    ({"output_type": "display_data", "data": {"application/javascript": "x"}}, False, False),
    ({"output_type": "execute_result", "data": {"text/plain": "<Axes: >"}}, False, False),
    ({"output_type": "execute_result", "data": {"text/plain": ["[<matplotlib.lines.Line2D ",
                                                               "at 0x1>]"]}}, False, False),
    ({"output_type": "execute_result", "data": {"text/plain": "Text(0.5, 1.0, 'T')"}},
     False, False),
    ({"output_type": "execute_result", "data": {"text/plain": "42"}}, True, True),
    ({"output_type": "display_data", "data": {"text/html": "<p>x</p>"}}, True, True),
    ({"output_type": "error", "ename": "ValueError"}, True, True),
])
def test_salida_visible(salida, lectores, auditoria):
    from helpers.salida.ensamblado.exportacion import salida_visible

    assert salida_visible(salida, auditoria=False) is lectores
    assert salida_visible(salida, auditoria=True) is auditoria


def test_los_preprocesadores_apartan_las_imagenes_y_marcan_cada_tabla_una_vez(monkeypatch):
    from helpers.salida.ensamblado import exportacion

    tabla = "<table><tr><td>1.234</td></tr></table>"
    libro = new_notebook(cells=[
        new_markdown_cell("<table><tr><td>1</td></tr></table>"),  # no es una salida
        new_code_cell("x", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": "QUJD\nREVG",
                                                         "text/plain": "<Figure>"}),
            nbformat.v4.new_output("display_data", data={"text/html": [tabla[:10], tabla[10:]]}),
            nbformat.v4.new_output("display_data", data={"text/html": tabla}),
        ]),
    ])
    medidas = []
    marcar = exportacion.marcar_tablas
    monkeypatch.setattr(exportacion, "marcar_tablas",
                        lambda html: medidas.append(html) or marcar(html))
    imagenes, marcadas = exportacion.Imagenes(), {}
    exportacion.preparar_salidas(libro, imagenes, marcadas)
    imagen, partida, entera = (s["data"] for s in libro.cells[1].outputs)
    assert imagenes.reponer(imagen["image/png"]) == "QUJDREVG"
    assert partida["text/html"] == entera["text/html"] == marcadas[tabla]
    assert 'class="num"' in entera["text/html"] and medidas == [tabla]
    assert libro.cells[0].source == "<table><tr><td>1</td></tr></table>"


NUCLEO = {"name": "python3", "display_name": "Python 3"}


def test_unir_cuadernos_en_secciones_sin_lo_que_no_ven_los_lectores(tmp_path):
    from helpers.salida.ensamblado.exportacion import unir_cuadernos

    parametros = new_code_cell("a = 1", metadata={"tags": ["parameters"]})
    libro = new_notebook(cells=[
        new_markdown_cell("# Título"), parametros,
        new_code_cell("x", outputs=[nbformat.v4.new_output("stream", name="stderr",
                                                           text="aviso")]),
        new_code_cell("y", outputs=[nbformat.v4.new_output("stream", name="stdout",
                                                           text="hola")]),
    ], metadata={"kernelspec": NUCLEO, "otro": 1})
    rutas = [tmp_path / "01 <uno>.ipynb", tmp_path / "02.ipynb"]
    lectores = unir_cuadernos([libro, libro], rutas, auditoria=False, previos=1)
    assert [c["id"] for c in lectores.cells] == [
        "s01-inicio", "s01-c001", "s01-c004", "s01-fin",
        "s02-inicio", "s02-c001", "s02-c004", "s02-fin",
    ]
    assert lectores.cells[0].source == (
        '<section class="seccion solo-auditoria" id="seccion-01" data-cuaderno="01 &lt;uno&gt;">'
    )
    assert lectores.metadata == {"kernelspec": NUCLEO}
    auditoria = unir_cuadernos([libro], rutas[1:], auditoria=True)
    assert [c["id"] for c in auditoria.cells] == [
        "s01-inicio", "s01-c001", "s01-c002", "s01-c003", "s01-c004", "s01-fin",
    ]
    assert auditoria.cells[0].source.endswith('<p class="cuaderno-origen">Cuaderno: 02.ipynb</p>')
    assert libro.cells[2].outputs  # los cuadernos no cambian


def test_numeros_de_pagina_de_cada_entrada():
    from helpers.salida.ensamblado.pdf_por_partes import entradas, numeros_de_pagina
    from helpers.salida.pdf import Hoja

    indice = [{"id": "a", "hijos": [{"id": "a1"}]}, {"id": "b"}]
    listas = {"cuadros": [{"id": "cuadro-1"}], "graficos": []}
    ids = entradas(indice, listas)
    assert ids == ["a", "a1", "b", "cuadro-1"]
    caja = (0, 0, 1, 1)
    hojas = [Hoja(1, 2, {"a": caja, "a1": caja}), Hoja(1, 2, {}),
             Hoja(1, 2, {"cuadro-1": caja, "b": caja, "a": caja})]
    # Tras dos páginas de portada: la primera hoja en que está cada ancla.
    assert numeros_de_pagina(hojas, 2, ids) == {"a": 3, "a1": 3, "b": 5, "cuadro-1": 5}
    with pytest.raises(ValueError, match="sin destino en el PDF: \\['c'\\]"):
        numeros_de_pagina(hojas, 2, ["a", "c"])


def test_la_fila_de_encargos_el_mas_largo_primero_y_dos_grandes_no_a_la_vez(monkeypatch):
    from helpers.salida.ensamblado import composicion

    monkeypatch.setattr(composicion, "COMPOSICION_GRANDE", 5)
    nada = lambda parte: []  # noqa: E731
    fila = composicion.FilaDeEncargos([("abc", nada), ("abcdefgh", nada), ("abcdefg", nada, True)])
    primero = fila.tomar()
    assert primero[0] == "abcdefgh" and composicion.es_grande(primero)
    # Con uno grande en curso, el otro grande espera: se toma el chico.
    segundo = fila.tomar()
    assert segundo[0] == "abc"
    assert composicion.de_prueba(("x", nada, True)) and not composicion.de_prueba(segundo)
    fila.entregar(primero, parte=None)
    assert fila.tomar()[0] == "abcdefg"


# --- El PDF por partes, frente al compuesto de una vez ----------------------------------------


def _marcadores(lector: PdfReader) -> list[tuple[int, str, int]]:
    """(nivel, título, página) de cada marcador, en orden."""
    lista = []

    def recorrer(items, nivel):
        for item in items:
            if isinstance(item, list):
                recorrer(item, nivel + 1)
            else:
                lista.append((nivel, item.title, lector.get_destination_page_number(item)))

    recorrer(lector.outline, 0)
    return lista


def _enlaces_internos(lector: PdfReader) -> list[tuple[int, tuple, int]]:
    """(página, caja, página de destino) de cada enlace interno: con destino con nombre (como
    los escribe WeasyPrint) o con la página (como los escribe pypdf)."""
    nombres = lector.named_destinations
    numero = {id(p.indirect_reference.get_object()): n for n, p in enumerate(lector.pages)}
    enlaces = []
    for n, pagina in enumerate(lector.pages):
        for anotacion in pagina.get("/Annots") or []:
            anotacion = anotacion.get_object()
            destino = anotacion.get("/Dest")
            if destino is None:
                continue
            if isinstance(destino, str):
                llegada = lector.get_destination_page_number(nombres[destino])
            else:
                llegada = numero[id(destino[0].get_object())]
            x0, y0, x1, y1 = (round(float(v)) for v in anotacion["/Rect"])
            caja = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))  # dos esquinas opuestas
            enlaces.append((n, caja, llegada))
    return sorted(enlaces)


def test_pdf_por_partes_igual_al_compuesto_de_una_vez(ejecutados, informe):
    """Oráculo del PDF por partes: el mismo informe compuesto en un solo documento, en el que
    WeasyPrint numera las páginas, el total y el índice (counter, target-counter), se ve igual
    en cada página (píxel por píxel), con los mismos marcadores y los mismos enlaces."""
    import pypdfium2 as pdfium

    from helpers.salida.ensamblado import exportacion
    from helpers.salida.ensamblado.composicion import Compositor
    from helpers.salida.ensamblado.maquetacion import maquetar
    from helpers.salida.ensamblado.pagina import leer_css, pagina
    from helpers.salida.pdf import componer

    libros = [nbformat.read(str(c), as_version=4) for c in ejecutados]
    imagenes = exportacion.Imagenes()
    for libro in libros:
        exportacion.preparar_salidas(libro, imagenes)
    exportado = exportacion.exportar(
        exportacion.unir_cuadernos(libros, ejecutados, auditoria=False),
        str(ejecutados[0].parent), auditoria=False,
    )
    cuerpo, indice, listas = retocar_cuerpo(exportado, None)
    estilos = [leer_css("informe.css"), leer_css("impresion.css")]
    carpeta = informe["carpeta"]
    datos = {**DATOS_DEL_INFORME, "colofon": None, "identificacion": {}, "firmas": None}
    with silenciar():
        secciones, _, _ = maquetar(
            cuerpo, Compositor(estilos, imagenes, carpeta),
            lambda *_: "<p>sin uso aquí</p>",
        )
        relleno = re.search(r"leader\([^)]*\)", estilos[1])[0]  # el de impresion.css
        numeros = (".indice a::after, .lista-objetos a::after "
                   f"{{ content: {relleno} target-counter(attr(href), page); }}")
        entera = pagina(
            "impresion", "".join(texto for _, texto in secciones), indice,
            [*estilos, leer_css("cabeceras.css"), numeros], datos, listas,
        )
        de_una_vez = componer(imagenes.reponer(entera), carpeta)
    oraculo = carpeta.parent / "de-una-vez.pdf"
    oraculo.write_bytes(de_una_vez.pdf)

    por_partes = PdfReader(str(informe["rutas"]["pdf"]))
    esperado = PdfReader(str(oraculo))
    assert len(por_partes.pages) == len(esperado.pages) > 3
    assert _marcadores(por_partes) == _marcadores(esperado)
    assert _enlaces_internos(por_partes) == _enlaces_internos(esperado)
    assert len(_enlaces_internos(por_partes)) >= len(indice)
    assert set(por_partes.named_destinations) == set(esperado.named_destinations)
    assert por_partes.metadata == esperado.metadata
    uno, otro = pdfium.PdfDocument(str(informe["rutas"]["pdf"])), pdfium.PdfDocument(str(oraculo))
    for n in range(len(uno)):
        imagen = uno[n].render(scale=0.75).to_pil().convert("RGB")
        assert imagen.tobytes() == otro[n].render(scale=0.75).to_pil().convert("RGB").tobytes(), n
