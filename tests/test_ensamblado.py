"""Ensamblado del informe con herramientas reales: cuadernos pequeños ejecutados con papermill,
unidos por helpers.ensamblado en HTML para lectores, HTML de auditoría y PDF (WeasyPrint)."""

from __future__ import annotations

import re
import time

import nbformat
import papermill as pm
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pypdf import PdfReader

from helpers.ensamblado import ensamblar

ENTIDAD = "Ministerio de Pruebas del Estado Plurinacional"
PERIODO = "Gestión 2024 – II trimestre"
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
                new_markdown_cell("## Cuadro por área"),
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
def informe(tmp_path_factory) -> dict:
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
    carpeta = base / "salida"
    inicio = time.perf_counter()
    rutas = ensamblar(
        ejecutados,
        carpeta,
        titulo="Seguimiento y evaluación a la ejecución física y financiera del POA",
        subtitulo="Informe trimestral",
        entidad=ENTIDAD,
        periodo=PERIODO,
        fecha_corte="30 de junio de 2024",
        pie="Dirección General de Planificación",
    )
    segundos = time.perf_counter() - inicio
    return {
        "rutas": rutas,
        "carpeta": carpeta,
        "segundos": segundos,
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
    # Unos segundos en una máquina normal; el margen amplio evita falsos fallos en CI cargado.
    assert informe["segundos"] < 60


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
        numero = int(re.search(rf"{titulo} \.+ (\d+)\n", textos[1])[1])
        # Cada sección empieza en una página nueva, la que dice el índice.
        assert textos[numero - 1].startswith(titulo), titulo
    # Cabecera con la entidad y el periodo en cada página menos la portada.
    for texto in textos[1:]:
        assert ENTIDAD in texto and PERIODO in texto
    # Sin código ni avisos en el PDF.
    assert "sns.barplot" not in todo and "aviso-interno" not in todo
