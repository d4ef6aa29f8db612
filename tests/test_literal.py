"""Las reglas de `helpers.comun.literal`: el texto de los datos en Markdown se lee tal cual
cuando lo convierte nbconvert (el mismo filtro y el mismo exportador del informe) y no deja
fórmulas para el separador de JupyterLab; en una hoja de cálculo, no empieza como fórmula."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbconvert.filters import markdown2html
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers.comun import literal
from helpers.redaccion import presentacion, textos
from helpers.salida.ensamblado.exportacion import exportar
from helpers.salida.ensamblado.retoque import retocar_cuerpo

# Textos con marcas de cada medio (HTML, Markdown, GFM, fórmulas de MathJax, fichas internas,
# fórmulas de hoja de cálculo) y alguno de control. Lo que se espera se calcula de ellos.
HOSTILES = [
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    '</table></td></tr>',
    '[enlace](http://ejemplo.org)',
    '![imagen](http://ejemplo.org/x.png)',
    '[ref]: http://ejemplo.org',
    '<http://ejemplo.org>',
    'http://ejemplo.org www.ejemplo.org correo@ejemplo.org',
    '**negrita** __fuerte__ *cursiva* _cursiva_ ~~tachado~~',
    '# titulo',
    '## titulo ##',
    '> cita',
    '- elemento',
    '+ elemento',
    '* elemento',
    '1. uno',
    '2) dos',
    '- [ ] tarea',
    ': definicion',
    '| a | b |',
    '---',
    '===',
    '    codigo sangrado',
    '`codigo` ``doble``',
    '```python',
    '~~~',
    '&amp; &lt;b&gt; &#60; &#x3C; &copy;',
    '$x^2$',
    '$$y$$',
    'a$b$c \\$ ^_',
    '\\(x\\) \\[y\\] \\begin{equation}z\\end{equation}',
    '\\ref{a} \\\\ \\',
    '@@IMG0@@ @@0@@',
    '=HYPERLINK("http://x")',
    '+1',
    '-2',
    '@A1',
    'comillas "dobles" y \'simples\'',
    'línea uno\nlínea dos\r\nlínea tres\rcuatro\tcinco\u2028seis',
    'SERV_EXTERIOR a_b_c Ñ_ñ',
    'fin con barra \\',
]

# Cómo entra un fragmento en las frases, títulos y listas del informe.
PLANTILLAS = [
    "{}",
    "Al corte, el {} alcanza.",
    "### Área {}",
    "- {}: avance",
    "**{}** · POA",
]

# JupyterLab (packages/rendermime/src/latex.ts, removeMath) aparta las fórmulas antes de
# pasar el Markdown a marked con esta expresión; un fragmento de los datos no debe darle
# ninguna fórmula ni ficha (@@n@@) que apartar.
MATHSPLIT_JUPYTERLAB = re.compile(
    r"(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))",
    re.IGNORECASE,
)


def _plano(texto: str) -> str:
    """El texto como se lee: los espacios (también los cortes de línea) de a uno."""
    return " ".join(texto.split())


def _visible(sopa) -> str:
    """El texto del HTML sin el ancla ¶ que nbconvert agrega a los títulos."""
    for ancla in sopa.select("a.anchor-link"):
        ancla.decompose()
    return _plano(sopa.get_text())


def _elementos(sopa) -> set[tuple[str, tuple[str, ...]]]:
    """(etiqueta, atributos) de cada elemento, sin las anclas de los títulos."""
    return {
        (e.name, tuple(sorted(e.attrs)))
        for e in sopa.find_all(True)
        if "anchor-link" not in (e.get("class") or [])
    }


def _permitidos(plantilla: str) -> set[tuple[str, tuple[str, ...]]]:
    """Los elementos que da la plantilla sola (sin datos), más el <span> de `literal`."""
    sopa = BeautifulSoup(markdown2html(plantilla.format("dato")), "html.parser")
    return _elementos(sopa) | {("span", ("class",))}


@pytest.mark.parametrize("plantilla", PLANTILLAS)
@pytest.mark.parametrize("texto", HOSTILES)
def test_markdown_se_lee_tal_cual_en_nbconvert(texto, plantilla):
    fuente = plantilla.format(literal.markdown(texto))
    sopa = BeautifulSoup(markdown2html(fuente), "html.parser")
    assert _elementos(sopa) <= _permitidos(plantilla), fuente
    for span in sopa.find_all("span"):
        assert span.attrs == {"class": [literal.CLASE_SIN_MATEMATICA]}
    esperado = BeautifulSoup(markdown2html(plantilla.format("DATO")), "html.parser")
    assert _visible(sopa) == _visible(esperado).replace("DATO", _plano(texto))


@pytest.mark.parametrize("texto", HOSTILES)
def test_markdown_no_da_formulas_ni_fichas_a_jupyterlab(texto):
    fragmento = literal.markdown(texto)
    assert "\n" not in fragmento and "\r" not in fragmento
    delimitadores = {"$", "$$", "\\\\(", "\\\\[", "\\\\)", "\\\\]"}
    for pieza in MATHSPLIT_JUPYTERLAB.split(fragmento)[1::2]:
        assert pieza not in delimitadores, (fragmento, pieza)
        assert not re.fullmatch(r"\\(begin|end)\{.*", pieza), (fragmento, pieza)
        assert not re.fullmatch(r"@@\d+@@", pieza), (fragmento, pieza)
    # MathJax (que JupyterLab pasa sobre el HTML ya convertido) no entra en el fragmento.
    if "$" in texto or "\\" in texto:
        assert fragmento.startswith(f'<span class="{literal.CLASE_SIN_MATEMATICA}">')
        assert fragmento.endswith("</span>")


def test_markdown_en_el_exportador_del_informe():
    """Los mismos fragmentos como salidas text/markdown de un cuaderno, exportadas con la
    plantilla del informe: ningún elemento de los datos, todo el texto a la vista."""
    salidas = [
        new_output("display_data", data={"text/markdown": textos.titulo(f"Área {texto}")})
        for texto in HOSTILES
    ]
    celda = new_code_cell("")
    celda.outputs = salidas
    nb = new_notebook(cells=[celda])
    cuerpo, _, _ = retocar_cuerpo(exportar(nb, ".", auditoria=False))
    sopa = BeautifulSoup(cuerpo, "html.parser")
    assert all(span.contents for span in sopa.find_all("span", class_=literal.CLASE_SIN_MATEMATICA))
    assert not sopa.find_all(["img", "script", "table", "td", "pre", "code", "em", "strong",
                              "del", "blockquote", "ul", "ol", "li", "h1", "h2", "hr"])
    assert not [a for a in sopa.find_all("a") if "anchor-link" not in a.get("class", [])]
    titulos = [_plano(h.get_text().replace("¶", "")) for h in sopa.find_all("h3")]
    assert titulos == [_plano(f"Área {texto}") for texto in HOSTILES]


@pytest.mark.parametrize("texto", ["VRE", "SERV_EXTERIOR",
                                   "Dirección General de Régimen Migratorio",
                                   "Embajada en el Perú", "Ñandú 2024"])
def test_texto_sin_marcas_queda_igual(texto):
    assert literal.markdown(texto) == texto


def test_controles_y_espacios_de_los_extremos():
    assert literal.markdown("  a\x00b\x07c\x1b\x7f  ") == "abc"
    assert literal.markdown("uno\r\ndos\u2029tres") == "uno dos tres"
    assert literal.markdown(None) == ""
    assert literal.markdown(12) == "12"


def test_titulo_de_los_cuadernos():
    texto = HOSTILES[0]
    sopa = BeautifulSoup(markdown2html(textos.titulo(texto, nivel=2)), "html.parser")
    assert sopa.h2 is not None and not sopa.find("img")
    assert _visible(sopa) == texto


@pytest.mark.parametrize("texto", HOSTILES)
def test_identificador_de_tabla_sin_caracteres_de_los_datos(texto):
    html = presentacion.tabla(
        pd.DataFrame({"texto": [texto]}), ["texto"], nombre=f"unidad-{texto}"
    )
    sopa = BeautifulSoup(html, "html.parser")
    assert re.fullmatch(r"tabla-[A-Za-z0-9_-]+", sopa.table["id"])
    assert literal.CLASE_SIN_MATEMATICA in sopa.table["class"]
    assert [e.name for e in sopa.find_all(True)] == ["table", "thead", "tr", "th", "tbody", "tr",
                                                     "td"]
    assert sopa.td.get_text() == texto


# --- Hoja de cálculo ------------------------------------------------------------------------


@pytest.mark.parametrize("prefijo", literal.PREFIJOS_FORMULA)
def test_celda_de_texto_con_inicio_de_formula_lleva_apostrofo(prefijo):
    texto = f"{prefijo}1+1"
    assert literal.celda(texto) == "'" + texto


@pytest.mark.parametrize("valor", ["Informe 1/2024", "a=1", " =1", "'ya citado", "", "VRE"])
def test_celda_de_texto_sin_inicio_de_formula_queda_igual(valor):
    assert literal.celda(valor) == valor


@pytest.mark.parametrize("valor", [-2, -2.5, 0, None, float("nan")])
def test_celda_que_no_es_texto_queda_igual(valor):
    resultado = literal.celda(valor)
    assert resultado is valor



@pytest.mark.parametrize("texto", ["'=1+1", "''-2", "'@A1", "'+1", "'\t1"])
def test_celda_con_apostrofos_y_formula_lleva_otro_apostrofo(texto):
    # Así el apóstrofo de la regla se distingue del que ya traía el texto.
    assert literal.celda(texto) == "'" + texto


@pytest.mark.parametrize(
    "texto",
    [*HOSTILES, "'=1", "''+2", "'ya citado", "'", "''", "'''", "", "=", "'\t", "a'=b"],
)
def test_texto_de_celda_deshace_celda(texto):
    assert literal.texto_de_celda(literal.celda(texto)) == texto


@pytest.mark.parametrize("valor", [-2, -2.5, 0, None, float("nan")])
def test_texto_de_celda_que_no_es_texto_queda_igual(valor):
    assert literal.texto_de_celda(valor) is valor
