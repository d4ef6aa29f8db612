"""El informe como documento oficial: la clave `identificacion` de los parámetros
(helpers.entrada.identificacion) y lo que muestra (helpers.redaccion.identidad), la portada,
las leyendas numeradas con su fuente, las listas de cuadros y de gráficos y el bloque de
firmas que arma helpers.salida.ensamblado.

Los cuadernos de la segunda parte se escriben ya con sus salidas (tablas de
``presentacion.tabla``, gráficos PNG de matplotlib, textos de Markdown): el ensamblado sólo lee
las salidas, así que no hace falta ejecutarlos."""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from pathlib import Path

import fabrica
import nbformat
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.identificacion import Firma, Fuentes, Identificacion
from helpers.entrada.parametros import cargar_parametros
from helpers.redaccion import presentacion
from helpers.redaccion.identidad import (
    ROLES_FIRMA,
    datos_para_ensamblar,
    fecha_corta,
    fecha_larga,
    periodo_del_informe,
    periodo_del_titulo,
)
from helpers.salida.ensamblado import ensamblar
from helpers.salida.ensamblado.leyendas import PALABRAS_FUENTE

REPO = Path(__file__).resolve().parents[1]

IDENTIFICACION = {
    "cite": "MRE/DGPLA/INF/0123/2024",
    "hoja_ruta": "HR-2024-004567",
    "unidad_emisora": "Dirección General de Planificación",
    "fecha_emision": "15/07/2024",
    "poa_version": "POA 2024 reformulado (R.M. 045/2024)",
    "firmas": [
        {"rol": "aprobado", "nombre": "Nombre Aprobador", "cargo": "Director General"},
        {"rol": "elaborado", "nombre": "Nombre Elaborador", "cargo": "Profesional"},
    ],
    "fuentes": {"financiera": "Reporte del SIGEP", "fisica": "Seguimiento de planificación"},
}


def _cargar(tmp_path: Path, **cambios):
    datos = {**fabrica.PARAMS_BASE, "datos": "datos.xlsx", **cambios}
    ruta = tmp_path / "p.yaml"
    ruta.write_text(yaml.safe_dump(datos, allow_unicode=True), encoding="utf-8")
    return cargar_parametros(ruta, raiz=tmp_path)


def _problemas(tmp_path: Path, texto_identificacion: str) -> dict[str | None, str]:
    """Los problemas de un YAML con la `identificacion` dada como texto (así YAML lee las
    fechas y los números como en un archivo real)."""
    base = yaml.safe_dump({**fabrica.PARAMS_BASE, "datos": "datos.xlsx"}, allow_unicode=True)
    ruta = tmp_path / "p.yaml"
    ruta.write_text(base + "identificacion:\n" + texto_identificacion, encoding="utf-8")
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_parametros(ruta, raiz=tmp_path)
    assert all(p.archivo == "p.yaml" for p in info.value.problemas)
    return {p.columna: p.mensaje for p in info.value.problemas}


# --- Parámetros --------------------------------------------------------------------------------


def test_sin_identificacion_todo_vacio(tmp_path):
    p = _cargar(tmp_path)
    assert p.identificacion == Identificacion()
    datos = datos_para_ensamblar(p)
    portada = datos["identificacion"]
    for clave in ("cite", "hoja_ruta", "unidad_emisora", "fecha_emision", "poa_version"):
        assert portada[clave] is None, clave
    # Las firmas: los tres roles, en blanco.
    assert [f["rol"] for f in datos["firmas"]] == list(ROLES_FIRMA.values())
    assert all(f["nombre"] == "" and f["cargo"] == "" for f in datos["firmas"])
    assert datos["fuentes"]["financiera"] is None and datos["fuentes"]["fisica"] is None
    assert datos["fuentes"]["general"] == f"elaboración propia con datos del POA {p.gestion}"


def test_identificacion_completa(tmp_path):
    p = _cargar(tmp_path, identificacion=IDENTIFICACION)
    ident = p.identificacion
    assert ident.cite == IDENTIFICACION["cite"]
    assert ident.fecha_emision == dt.date(2024, 7, 15)
    assert [f.rol for f in ident.firmas] == ["aprobado", "elaborado"]
    datos = datos_para_ensamblar(p)
    portada = datos["identificacion"]
    assert portada["fecha_emision"] == fecha_larga(ident.fecha_emision)
    assert portada["poa_version"] == IDENTIFICACION["poa_version"]
    # Firmas en el orden en que se firma; revisado, que no está, queda en blanco.
    assert [(f["rol"], f["nombre"]) for f in datos["firmas"]] == [
        (ROLES_FIRMA["elaborado"], "Nombre Elaborador"),
        (ROLES_FIRMA["revisado"], ""),
        (ROLES_FIRMA["aprobado"], "Nombre Aprobador"),
    ]
    assert datos["fuentes"]["financiera"] == IDENTIFICACION["fuentes"]["financiera"]
    # El manifiesto guarda los parámetros como JSON: la fecha, en ISO.
    assert p.model_dump(mode="json")["identificacion"]["fecha_emision"] == "2024-07-15"


def test_fecha_en_los_dos_formatos_y_sin_comillas(tmp_path):
    for texto in ("  fecha_emision: 2024-07-15\n", "  fecha_emision: '15/07/2024'\n",
                  "  fecha_emision: '2024-07-15'\n"):
        ruta = tmp_path / "p.yaml"
        base = yaml.safe_dump({**fabrica.PARAMS_BASE, "datos": "d.xlsx"}, allow_unicode=True)
        ruta.write_text(base + "identificacion:\n" + texto, encoding="utf-8")
        p = cargar_parametros(ruta, raiz=tmp_path)
        assert p.identificacion.fecha_emision == dt.date(2024, 7, 15), texto


@pytest.mark.parametrize("texto, clave, mensaje", [
    ("  cite: ''\n", "identificacion.cite", "no puede estar vacío"),
    ("  cite: '   '\n", "identificacion.cite", "no puede estar vacío"),
    ("  hoja_ruta: 004567\n", "identificacion.hoja_ruta", "escriba el valor entre comillas"),
    ("  hoja_ruta: 4567\n", "identificacion.hoja_ruta", "se leyó como el número 4567"),
    ("  unidad_emisora: [a, b]\n", "identificacion.unidad_emisora", "no es un texto"),
    ("  fecha_emision: 31/02/2024\n", "identificacion.fecha_emision",
     "'31/02/2024' no es una fecha que exista"),
    ("  fecha_emision: mañana\n", "identificacion.fecha_emision",
     "'mañana' no es una fecha; escríbala como 2024-07-15 o 15/07/2024"),
    ("  fecha_emision: 2024-07-15 10:30:00\n", "identificacion.fecha_emision", "lleva hora"),
    ("  fecha_emision: 2024-06-29\n", "identificacion",
     "fecha_emision (29/06/2024) es anterior al corte del informe (30/06/2024)"),
    ("  citee: x\n", "identificacion.citee", "clave desconocida"),
    ("  firmas: {rol: elaborado}\n", "identificacion.firmas", "se esperaba una lista"),
    ("  firmas:\n    - {rol: jefe, nombre: A, cargo: B}\n", "identificacion.firmas[1].rol",
     "'jefe' no es una opción válida; use una de: elaborado, revisado, aprobado"),
    ("  firmas:\n    - {rol: elaborado, nombre: A, cargo: B}\n    - {rol: revisado, cargo: B}\n",
     "identificacion.firmas[2].nombre", "falta esta clave obligatoria"),
    ("  firmas:\n    - {rol: aprobado, nombre: A, cargo: ''}\n",
     "identificacion.firmas[1].cargo", "no puede estar vacío"),
    ("  firmas:\n    - {rol: aprobado, nombre: A, cargo: B, sello: si}\n",
     "identificacion.firmas[1].sello", "clave desconocida"),
    ("  fuentes: SIGEP\n", "identificacion.fuentes", "se esperaba un grupo de claves"),
    ("  fuentes: {sigep: x}\n", "identificacion.fuentes.sigep", "clave desconocida"),
    ("  fuentes: {fisica: 12}\n", "identificacion.fuentes.fisica", "se leyó como el número 12"),
])
def test_valores_invalidos_con_mensaje_en_castellano(tmp_path, texto, clave, mensaje):
    problemas = _problemas(tmp_path, texto)
    assert clave in problemas, problemas
    assert mensaje in problemas[clave], problemas[clave]


def test_identificacion_que_no_es_un_grupo(tmp_path):
    problemas = _problemas(tmp_path, "  - cite\n")
    assert "se esperaba un grupo de claves" in problemas["identificacion"]


def test_emision_el_dia_del_corte_y_en_el_informe_anual(tmp_path):
    p = _cargar(tmp_path, identificacion={"fecha_emision": "2024-06-30"})
    assert p.identificacion.fecha_emision == p.fecha_corte
    with pytest.raises(ErrorDeEntrada) as info:
        _cargar(tmp_path, informe="anual", trimestre=None,
                identificacion={"fecha_emision": "2024-11-30"})
    problemas = {p.columna: p.mensaje for p in info.value.problemas}
    assert "anterior al corte del informe (31/12/2024)" in problemas["identificacion"]


def test_params_t2_muestra_cada_clave_de_identificacion():
    texto = yaml.safe_load((REPO / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    ident = texto["identificacion"]
    # Menos el membrete de Word: la muestra usa el neutro (docs/word.md); el de una entidad es
    # un .docx suyo, que la muestra no trae.
    assert set(ident) == set(Identificacion.model_fields) - {"plantilla_word"}
    assert set(ident["fuentes"]) == set(Fuentes.model_fields)
    assert all(set(f) == set(Firma.model_fields) for f in ident["firmas"])
    cargar_parametros(REPO / "params" / "2024-T2.yaml")  # y es válido


@pytest.mark.parametrize("trimestre, esperado", [
    (1, "Primer trimestre 2024"),
    (2, "Segundo trimestre y primer semestre 2024"),
    (3, "Tercer trimestre y acumulado a septiembre de 2024"),
    (4, "Cuarto trimestre y gestión 2024"),
])
def test_periodo_del_titulo_nombra_el_acumulado(trimestre, esperado):
    assert periodo_del_titulo(2024, trimestre) == esperado
    assert periodo_del_titulo(2024, None, "anual") == "Gestión 2024"


@pytest.mark.parametrize("trimestre, esperado, de_la_gestion", [
    (1, "Primer trimestre 2024 (enero a marzo)", "Gestión 2024 (enero a marzo)"),
    (2, "Segundo trimestre 2024 (abril a junio)", "Gestión 2024 (enero a junio)"),
    (4, "Cuarto trimestre 2024 (octubre a diciembre)", "Gestión 2024 (enero a diciembre)"),
])
def test_periodo_del_informe_con_sus_meses(trimestre, esperado, de_la_gestion):
    assert periodo_del_informe(2024, trimestre) == esperado
    assert periodo_del_informe(2024, trimestre, "anual") == de_la_gestion


def test_la_cabecera_del_pdf_dice_lo_que_dicen_las_secciones(tmp_path):
    """Entidad, periodo y fecha de corte de `datos_para_ensamblar` (el ejecutor ya no lee
    el libro después de las secciones): los mismos que las secciones toman de `Preparado`."""
    from helpers.preparacion import Preparado

    p = _cargar(tmp_path)
    # Sólo los parámetros: entidad, periodo y fecha de corte no miran el libro ni las tablas.
    prep = Preparado(parametros=p, tablas={}, acp=None, unidades=None, narrativa=None,
                     areas=None, datos=None)
    datos = datos_para_ensamblar(p)
    assert datos["entidad"] == prep.entidad
    assert datos["periodo"] == f"{prep.sigla} · POA {prep.gestion} · {prep.periodo}"
    assert datos["fecha_corte"] == prep.fecha_corte


@pytest.mark.parametrize("trimestre", [1, 2, 3, 4])
def test_periodos_como_fechas(tmp_path, trimestre):
    p = _cargar(tmp_path, trimestre=trimestre)
    periodos = datos_para_ensamblar(p)["identificacion"]["periodos"]
    corte = fecha_corta(p.fecha_corte)
    inicio = fecha_corta(dt.date(p.gestion, 3 * trimestre - 2, 1))
    assert periodos[0] == {"etiqueta": "Trimestre evaluado", "valor": f"{inicio} al {corte}"}
    if trimestre == 1:
        assert len(periodos) == 1  # el acumulado es el trimestre
    else:
        assert periodos[1] == {"etiqueta": "Acumulado",
                               "valor": f"{fecha_corta(dt.date(p.gestion, 1, 1))} al {corte}"}


# --- Ensamblado: portada, leyendas, listas y firmas ------------------------------------------

HOSTIL = "<b>x</b> & <script>alert(1)</script>"


def _png() -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 2))
    ax.bar(["a", "b"], [1, 2])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _salida_html(contenido: str):
    return new_output("display_data", data={"text/html": contenido, "text/plain": "<HTML>"})


def _salida_markdown(texto: str):
    return new_output("display_data", data={"text/markdown": texto, "text/plain": texto})


def _salida_grafico(png: str):
    return new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})


def _celda(*salidas):
    celda = new_code_cell("# salida")
    celda.outputs = list(salidas)
    return celda


def _tabla(columnas: list[str], nombre: str) -> str:
    tabla = pd.DataFrame({c: ["A"] if presentacion.COLUMNAS[c][1] == "texto" else [1.5]
                          for c in columnas})
    return presentacion.tabla(tabla, columnas, nombre=nombre)


# (título de la sección, [(tipo, contenido, título de la leyenda, fuentes), ...]); el título
# y las fuentes son los que la regla de ensamblado/leyendas.py debe dar a cada objeto.
FINANCIERA, FISICA = {"financiera"}, {"fisica"}
MIXTA, GENERAL = FINANCIERA | FISICA, set()


def _cuadernos(png: str) -> tuple[list, list[dict]]:
    """Los cuadernos de prueba y, en orden, lo que se espera de cada cuadro y gráfico."""
    esperados: list[dict] = []

    def cuadro(contenido, titulo, fuentes, salida_previa=None):
        esperados.append({"tipo": "cuadro", "titulo": titulo, "fuentes": fuentes})
        salidas = [salida_previa] if salida_previa else []
        return _celda(*salidas, _salida_html(contenido))

    def grafico(titulo, fuentes):
        esperados.append({"tipo": "grafico", "titulo": titulo, "fuentes": fuentes})
        return _celda(_salida_grafico(png))

    primero = new_notebook(cells=[
        new_markdown_cell("# Resumen ejecutivo\n\n## Cifras por ACP"),
        cuadro(_tabla(["codigo_acp", "vigente", "avance_fisico_trimestre"], "acp"),
               "Cifras por ACP", MIXTA),
        new_markdown_cell("## Unidades con mayor y menor avance"),
        cuadro(_tabla(["codigo_unidad", "avance_fisico_trimestre"], "mayores"),
               "Unidades con mayor y menor avance: Mayor avance", FISICA,
               _salida_markdown("**Mayor avance**")),
        cuadro(_tabla(["codigo_unidad", "avance_fisico_trimestre"], "menores"),
               "Unidades con mayor y menor avance: Menor avance", FISICA,
               _salida_markdown("**Menor avance**")),
    ])
    segundo = new_notebook(cells=[
        new_markdown_cell("# Ejecución financiera\n\n## Por fuente de financiamiento"),
        cuadro(_tabla(["fuente", "vigente", "devengado_trimestre"], "fuente"),
               "Ejecución financiera por fuente de financiamiento", FINANCIERA),
        new_markdown_cell("## Gráficos\n\nDos gráficos con el mismo título de sección."),
        # Sin título propio, dos gráficos con el mismo título (el de la sección, porque
        # «Gráficos» no dice nada); citan lo que citan los cuadros de su sección.
        grafico("Ejecución financiera (1 de 2)", FINANCIERA),
        grafico("Ejecución financiera (2 de 2)", FINANCIERA),
    ])
    tercero = new_notebook(cells=[
        new_markdown_cell("# Alertas\n\n### Mes sin reporte"),
        cuadro(_tabla(["codigo_unidad", "nombre"], "alerta-mes"), "Alertas: Mes sin reporte",
               GENERAL),
        # Un cuadro que declara su título con <caption> y otro con data-titulo y data-fuente.
        cuadro('<table class="tabla-informe"><caption>Saldo por programa</caption><thead><tr>'
               "<th>Programa</th><th>Saldo</th></tr></thead><tbody><tr><td>P1</td><td>1</td>"
               "</tr></tbody></table>", "Saldo por programa", GENERAL),
        cuadro(f'<table class="tabla-informe" data-titulo="{html.escape(HOSTIL)}" '
               'data-fuente="fisica"><thead><tr><th>Código</th></tr></thead><tbody><tr><td>1'
               "</td></tr></tbody></table>", HOSTIL, FISICA),
    ])
    # Una sección sin cuadros: el gráfico cita lo que dicen las palabras de su título.
    cuarto = new_notebook(cells=[
        new_markdown_cell("# Avance físico de las metas"),
        grafico("Avance físico de las metas", FISICA),
    ])
    return [primero, segundo, tercero, cuarto], esperados


def _memoria(png: str):
    """Un cuaderno sólo de auditoría: su cuadro y su gráfico no se numeran."""
    return new_notebook(cells=[
        new_markdown_cell("# Memoria de cálculo"),
        _celda(_salida_html(_tabla(["codigo_acp", "vigente"], "memoria"))),
        _celda(_salida_grafico(png)),
    ])


@pytest.fixture(scope="module")
def oficial(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("oficial")
    png = _png()
    libros, esperados = _cuadernos(png)
    rutas = []
    for i, libro in enumerate(libros, start=1):
        libro.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}
        rutas.append(base / f"{i:02d}_seccion.ipynb")
        nbformat.write(libro, rutas[-1])
    memoria = base / "00_memoria.ipynb"
    nbformat.write(_memoria(png), memoria)

    ident = {**IDENTIFICACION, "cite": HOSTIL, "unidad_emisora": "Unidad <i>emisora</i>",
             "firmas": [{"rol": "elaborado", "nombre": "Nombre <b>Elaborador</b>",
                         "cargo": "Profesional"},
                        {"rol": "revisado", "nombre": "Nombre Revisor", "cargo": "Jefe"}]}
    parametros = _cargar(base, identificacion=ident)
    datos = datos_para_ensamblar(parametros)
    salidas = ensamblar(
        rutas, base / "salida", solo_auditoria=[memoria], titulo="Seguimiento del POA", **datos,
    )
    return {
        "rutas": salidas,
        "esperados": esperados,
        "datos": datos,
        "parametros": parametros,
        "html": {c: BeautifulSoup(salidas[c].read_text(encoding="utf-8"), "html.parser")
                 for c in ("html", "auditoria")},
        "pdf": [p.extract_text() for p in PdfReader(str(salidas["pdf"])).pages],
    }


def _fuente_esperada(fuentes: set[str], datos: dict) -> str:
    textos = [datos["fuentes"][f] for f in PALABRAS_FUENTE if f in fuentes]
    return "Fuente: " + "; ".join(textos or [datos["fuentes"]["general"]]) + "."


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_leyendas_numeradas_con_su_fuente(oficial, clave):
    sopa = oficial["html"][clave]
    cuerpo = sopa.find("main")
    esperados = oficial["esperados"]
    for tipo, etiqueta in (("cuadro", "Cuadro"), ("grafico", "Gráfico")):
        de_tipo = [e for e in esperados if e["tipo"] == tipo]
        leyendas = cuerpo.select(f"p.leyenda-{tipo}")
        # Numeradas de 1 en adelante, en orden, sin los de la memoria (sólo auditoría).
        assert [leyenda.get_text() for leyenda in leyendas] == [
            f"{etiqueta} N° {n}: {e['titulo']}" for n, e in enumerate(de_tipo, start=1)
        ]
        for leyenda, esperado in zip(leyendas, de_tipo, strict=True):
            objeto = leyenda.find_next_sibling()
            if tipo == "cuadro":
                assert objeto.name == "table" and objeto.find("caption") is None
            else:
                assert "jp-RenderedImage" in objeto["class"] and objeto.img is not None
            fuente = objeto.find_next_sibling()
            assert fuente.name == "p" and "fuente" in fuente["class"]
            assert fuente.get_text() == _fuente_esperada(esperado["fuentes"], oficial["datos"])
    # Cada cuadro y cada gráfico del cuerpo tiene la suya (la memoria, ninguna).
    numerados = [t for t in cuerpo.find_all("table") if not t.find_parent("table")
                 and t.find_parent("section", class_="solo-auditoria") is None]
    assert len(numerados) == len(cuerpo.select("p.leyenda-cuadro"))
    assert len(cuerpo.select("p.fuente")) == len(esperados)
    # Los rótulos en negrita que pasaron a la leyenda quedan ocultos (con su salida entera).
    ocultos = cuerpo.select(".rotulo-en-leyenda")
    assert [o.get_text(strip=True) for o in ocultos] == ["Mayor avance", "Menor avance"]
    assert all("jp-OutputArea-child" in o["class"] for o in ocultos)
    memoria = cuerpo.select("section.solo-auditoria")
    if clave == "auditoria":
        assert memoria[0].find("table") and memoria[0].find("img")
        assert not memoria[0].select(".leyenda, .fuente")
    else:
        assert not memoria


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_listas_despues_del_indice(oficial, clave):
    sopa = oficial["html"][clave]
    indice = sopa.find("nav", class_="indice")
    listas = indice.find_next_sibling()
    assert "listas" in listas["class"] and listas.find_next_sibling().name == "main"
    for nav, tipo, titulo in zip(listas.find_all("nav"), ("cuadro", "grafico"),
                                 ("Lista de cuadros", "Lista de gráficos"), strict=True):
        assert nav.h2.get_text() == titulo
        enlaces = nav.find_all("a")
        leyendas = sopa.find("main").select(f"p.leyenda-{tipo}")
        assert [a.get_text() for a in enlaces] == [leyenda.get_text() for leyenda in leyendas]
        assert [a["href"] for a in enlaces] == [f"#{leyenda['id']}" for leyenda in leyendas]
    ids = [e["id"] for e in sopa.find_all(id=True)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_portada_con_la_identificacion(oficial, clave):
    portada = oficial["html"][clave].find("header", class_="portada")
    ident = oficial["parametros"].identificacion
    datos = oficial["datos"]
    registro = {d.dt.get_text(): d.dd.get_text() for d in portada.select(".portada-registro div")}
    assert registro == {"CITE": ident.cite, "Hoja de ruta": ident.hoja_ruta}
    assert portada.select_one(".portada-unidad").get_text() == ident.unidad_emisora
    assert portada.select_one(".portada-subtitulo").get_text() == datos["subtitulo"]
    filas = {d.dt.get_text(): d.dd.get_text() for d in portada.select(".portada-datos div")}
    for periodo in datos["identificacion"]["periodos"]:
        assert filas[periodo["etiqueta"]] == periodo["valor"]
    assert filas["Fecha de emisión"] == fecha_larga(ident.fecha_emision)
    assert filas["POA evaluado"] == ident.poa_version


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_firmas_al_final_con_renglones_en_blanco(oficial, clave):
    sopa = oficial["html"][clave]
    firmas = sopa.find("section", class_="firmas")
    assert firmas.find_previous_sibling().name == "main"
    bloques = firmas.select(".firma")
    assert [b.select_one(".firma-rol").get_text() for b in bloques] == [
        f"{f['rol']}:" for f in oficial["datos"]["firmas"]
    ]
    for bloque, firma in zip(bloques, oficial["datos"]["firmas"], strict=True):
        if firma["nombre"]:
            assert bloque.select_one(".firma-nombre").get_text() == firma["nombre"]
            assert bloque.select_one(".firma-cargo").get_text() == firma["cargo"]
        else:  # para llenar a mano
            assert "firma-en-blanco" in bloque["class"]
            assert bloque.select_one(".firma-nombre").get_text(strip=True) == "Nombre:"
        assert bloque.select_one(".firma-espacio") is not None
    assert "Firmas" not in sopa.find("nav", class_="indice").get_text()


@pytest.mark.parametrize("clave", ["html", "auditoria"])
def test_textos_de_los_parametros_quedan_como_texto(oficial, clave):
    sopa = oficial["html"][clave]
    assert sopa.find("script") is None
    # Ni el CITE, ni la unidad, ni un nombre, ni un título declarado se leen como marcas.
    for elemento in sopa.find_all(["b", "i", "script"]):
        assert elemento.get_text() not in ("x", "emisora", "Elaborador", "alert(1)"), elemento
    texto = sopa.get_text()
    assert HOSTIL in texto and "Unidad <i>emisora</i>" in texto
    assert "Nombre <b>Elaborador</b>" in texto


def test_pdf_portada_listas_leyendas_y_firmas(oficial):
    paginas = oficial["pdf"]
    datos = oficial["datos"]
    portada = " ".join(paginas[0].split())  # el PDF parte los renglones largos
    for texto in (HOSTIL, oficial["parametros"].identificacion.hoja_ruta,
                  datos["subtitulo"], *(p["valor"] for p in datos["identificacion"]["periodos"]),
                  datos["identificacion"]["fecha_emision"]):
        assert texto in portada, texto
    assert paginas[1].startswith("Contenido")
    # Las listas, después del índice, con el número de página de cada leyenda.
    listas = paginas[2]
    assert listas.startswith("Lista de cuadros") and "Lista de gráficos" in listas
    esperados = oficial["esperados"]
    for tipo, etiqueta in (("cuadro", "Cuadro"), ("grafico", "Gráfico")):
        for n in range(1, sum(e["tipo"] == tipo for e in esperados) + 1):
            encontrado = re.search(rf"{etiqueta} N° {n}:.*?(?:\. ?){{3,}}\s*(\d+)\n", listas,
                                   re.DOTALL)
            assert encontrado, (etiqueta, n)
            pagina = paginas[int(encontrado[1]) - 1]
            assert f"{etiqueta} N° {n}:" in pagina and "Fuente:" in pagina
    # Las firmas, al final del cuerpo: en la última página (no hay colofón).
    ultima = paginas[-1]
    for firma in datos["firmas"]:
        assert firma["rol"].casefold() in ultima.casefold()  # el PDF lo pone en mayúsculas
        if firma["nombre"]:
            junto = re.sub(r"\s+", "", ultima)  # un nombre largo se parte en dos renglones
            assert re.sub(r"\s+", "", firma["nombre"]) in junto
            assert re.sub(r"\s+", "", firma["cargo"]) in junto
    assert "Nombre:" in ultima and "Cargo:" in ultima


def test_sin_fuentes_la_general_y_sin_firmas_no_hay_bloque():
    from helpers.salida.ensamblado.pagina import pagina as pagina_html
    from helpers.salida.ensamblado.retoque import retocar_cuerpo

    cuerpo = ('<section class="seccion"><h1>Ejecución<a class="anchor-link" href="#x">¶</a></h1>'
              + _tabla(["area", "vigente"], "area") + "</section>")
    nuevo, _, listas = retocar_cuerpo(cuerpo)
    sopa = BeautifulSoup(nuevo, "html.parser")
    assert sopa.select_one("p.fuente").get_text() == "Fuente: elaboración propia."
    assert listas["cuadros"] == [{"id": "cuadro-1", "texto": "Cuadro N° 1: Ejecución"}]
    datos = {"titulo": "T", "subtitulo": "", "entidad": "E", "periodo": "P",
             "fecha_corte": "F", "pie": "", "colofon": None}
    pagina = BeautifulSoup(pagina_html("lectores", nuevo, [], [], datos, listas), "html.parser")
    assert pagina.find(class_="firmas") is None
    assert pagina.find(class_="portada-registro") is None
    assert pagina.select_one(".lista-cuadros a")["href"] == "#cuadro-1"
    assert pagina.find(class_="lista-graficos") is None
