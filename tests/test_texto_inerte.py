"""Texto de los datos inerte en cada medio del informe, de punta a punta.

Un libro pequeño (`fabrica`) cuyas áreas, códigos, nombres, tipos, descripciones, medios de
verificación, textos narrativos y programas llevan marcas de HTML, Markdown, fórmulas de
MathJax y de matplotlib, fichas internas del ensamblado y fórmulas de hoja de cálculo, y una
entidad (parámetros) con marcas en el nombre y la sigla. Se corre el ejecutor de verdad una
vez y se mira cada salida: HTML (lectores y auditoría), PDF, CSV y anexo Excel. Antes, los
gráficos con esos datos, sin cuadernos.

Lo que se espera se calcula de la lista HOSTILES; ningún texto esperado se escribe a mano.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import fabrica
import matplotlib
import openpyxl
import pytest
from bs4 import BeautifulSoup
from matplotlib.text import Text
from pypdf import PdfReader
from test_informe import ejecutar

from helpers.comun.literal import PREFIJOS_FORMULA
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.preparacion import preparar
from helpers.redaccion import graficos, graficos_corte, graficos_evolucion, graficos_unidades

HOSTILES = [
    '<img src=x onerror=alert(1)>',  # 0
    '[enlace](http://ejemplo.org)',  # 1
    '</table>',  # 2
    '**negrita**',  # 3
    '# titulo',  # 4
    '@@IMG0@@',  # 5
    '=HYPERLINK("http://x")',  # 6
    '+1',  # 7
    '-2',  # 8
    '@A1',  # 9
    '$x^2$',  # 10
    '&amp;',  # 11
    '<script>alert(1)</script>',  # 12
    'a$b^$c \\$ ^_',  # 13: con "text.parse_math", matplotlib no podría dibujarlo
]
H = HOSTILES

# Unidad del libro pequeño -> (código, nombre, área, tipo) hostiles. Cada unidad en un área
# propia, para que haya cuatro áreas con nombre hostil (títulos, tablas y gráficos).
UNIDADES = {
    "DGRM": (H[6], H[3], H[0], "Dirección General"),
    "DGRB": (H[9], H[4], H[1], "Dirección General"),
    "EMB-PER": (H[8], H[10], H[13], H[12]),
    "CG-ARI": (H[7], H[11], H[2], H[5]),
}
AREA_HISTORICA = {"VRE": UNIDADES["DGRM"][2], "SERV_EXTERIOR": UNIDADES["EMB-PER"][2]}
CODIGOS = [c for c, _, _, _ in UNIDADES.values()]
NOMBRES = [n for _, n, _, _ in UNIDADES.values()]
AREAS = [a for _, _, a, _ in UNIDADES.values()]
ENTIDAD = " ".join(["Ministerio", H[3], H[1], H[10]])
SIGLA = H[0]


def _columna(tabla: list[list], nombre: str) -> int:
    return tabla[0].index(nombre)


def _cambiar(tabla: list[list], columna: str, funcion) -> None:
    """Aplica `funcion(fila_de_datos_numero, valor)` a una columna de la hoja."""
    j = _columna(tabla, columna)
    for i, fila in enumerate(tabla[1:]):
        fila[j] = funcion(i, fila[j])


def tablas_hostiles() -> dict[str, list[list]]:
    # Con la historia del POA: la versión evaluada cita la resolución de cada reformulación.
    tablas = fabrica.con_historia(fabrica.tablas_pequenas())
    codigo = {viejo: nuevo[0] for viejo, nuevo in UNIDADES.items()}
    unidades = tablas["unidades"]
    j_codigo = _columna(unidades, "codigo_unidad")
    originales = [fila[j_codigo] for fila in unidades[1:]]
    for campo, k in (("nombre", 1), ("area", 2), ("tipo", 3)):
        _cambiar(unidades, campo, lambda i, _v, k=k: UNIDADES[originales[i]][k])
    _cambiar(unidades, "codigo_unidad", lambda _i, v: codigo[v])
    for hoja in ("operaciones", "presupuesto", "narrativa", "estadisticas"):
        _cambiar(tablas[hoja], "codigo_unidad", lambda _i, v: codigo[v])
    # Cada área se llama como su código hostil: el nombre llega al texto, los títulos y los
    # cuadros; la sigla, a los gráficos.
    tablas["areas"] = [tablas["areas"][0]] + [[a, a, a] for a in AREAS]
    _cambiar(tablas["historico"], "area", lambda _i, v: AREA_HISTORICA[v])
    _cambiar(tablas["acp"], "descripcion", lambda i, _v: H[(5, 12)[i]])
    _cambiar(tablas["operaciones"], "descripcion", lambda i, _v: H[i % len(H)])
    _cambiar(tablas["operaciones"], "medio_verificacion", lambda i, _v: H[(i + 6) % len(H)])
    _cambiar(tablas["narrativa"], "texto", lambda i, _v: H[(3, 4, 5, 1)[i]])
    _cambiar(tablas["presupuesto"], "programa", lambda i, _v: H[(2, 12, 6)[i]])
    # Una resolución por reformulación, cada una con marcas distintas.
    resoluciones = {n: H[(0, 6)[k]] for k, n in enumerate(
        dict.fromkeys(fila[0] for fila in tablas["reformulaciones"][1:]))}
    _cambiar(tablas["reformulaciones"], "resolucion",
             lambda i, _v: resoluciones[tablas["reformulaciones"][i + 1][0]])
    return tablas


def escribir_libro_hostil(ruta: Path) -> Path:
    """El libro de `tablas_hostiles`; un texto que empieza con "=" se guarda como texto (como
    lo escribe quien antepone un apóstrofo en Excel), no como fórmula."""
    return fabrica.escribir_libro(ruta, tablas_hostiles(), formulas=False)


def escribir_params_hostiles(base: Path) -> Path:
    libro = escribir_libro_hostil(base / "datos" / fabrica.NOMBRE_LIBRO)
    return fabrica.escribir_params(
        base / "params" / "hostil-T2.yaml", libro,
        entidad={"nombre": ENTIDAD, "sigla": SIGLA}, salida=str(base / "salida"),
    )


def _plano(texto: str) -> str:
    return " ".join(texto.split())


def _firma(texto: str) -> str:
    """Las letras y cifras de un texto: lo que queda de un hostil si se interpreta su marca."""
    return re.sub(r"\W+", "", texto)


# --- Gráficos (sin cuadernos) ----------------------------------------------------------------


@pytest.fixture(scope="module")
def prep(tmp_path_factory):
    params = escribir_params_hostiles(tmp_path_factory.mktemp("graficos"))
    parametros = cargar_parametros(params)
    return preparar(parametros, cargar_datos(parametros.ruta_datos))


def _figuras(prep):
    """Los gráficos de los cuadernos, con las mismas llamadas."""
    t = prep.tablas
    areas = t["area"][t["area"]["nivel"] == "area"]
    umbrales = prep.metodologia.semaforo_financiero
    yield graficos_corte.fisico_financiero(t["acp"], "codigo_acp", "Por ACP", periodo="acumulado")
    yield graficos_corte.fisico_financiero(areas, "area", "Por área", periodo="acumulado")
    yield graficos_evolucion.ejecucion_mensual(t["mensual"])
    for nombre in AREAS:
        yield from graficos_unidades.avance_unidades(t["unidad"], nombre)
    yield graficos_unidades.grupo_por_tipo(t["unidad"], "Exterior")
    yield graficos_corte.ejecucion_semaforo(t["categoria"], "categoria_programatica",
                                            prep.trimestre, umbrales)
    yield graficos_evolucion.devengado_mensual(t["mensual"])
    yield graficos_corte.dispersion_semaforo(areas, "area", prep.trimestre, umbrales)
    yield graficos_evolucion.tendencia(t["tendencia"], trimestre=prep.trimestre)


def test_graficos_dibujan_el_texto_de_los_datos_tal_cual(prep):
    textos: set[str] = set()
    # Se dibujan fuera del tema, con la configuración de matplotlib por omisión (que sí lee
    # $...$ como fórmula): cada texto de la figura debe venir ya marcado como literal.
    with matplotlib.rc_context({"text.parse_math": True}):
        for fig in _figuras(prep):
            fig.savefig(io.BytesIO(), format="png")  # con $...$ interpretado, a$b^$c fallaría
            for texto in fig.findobj(Text):
                assert not texto.get_parse_math(), texto.get_text()
                textos.add(texto.get_text())
    todo = " ".join(textos)
    # Las barras de las unidades llevan su nombre (no su código).
    for nombre in AREAS + NOMBRES:
        assert nombre in todo, nombre
    for nombre in AREAS:
        assert any(nombre in t and "Avance físico por unidad" in t for t in textos), nombre


def test_el_tema_no_lee_formulas():
    with matplotlib.rc_context():
        graficos.estilo()
        assert matplotlib.rcParams["text.parse_math"] is False


# --- CSV ------------------------------------------------------------------------------------


def test_escribir_tablas_prefija_solo_las_celdas_de_texto(tmp_path):
    import pandas as pd

    from helpers.salida.tablas_csv import escribir_tablas

    n = len(HOSTILES)
    tabla = pd.DataFrame({
        "texto": HOSTILES,
        "numero": [-float(i) for i in range(n)],
        "mixta": pd.Series([H[7] if i % 2 else -i for i in range(n)], dtype=object),
    })
    (ruta,) = escribir_tablas({"prueba": tabla}, tmp_path)
    encabezado, *filas = _celdas_csv(ruta)
    assert encabezado == list(tabla.columns)
    for fila, texto, numero, mixta in zip(filas, tabla["texto"], tabla["numero"], tabla["mixta"],
                                          strict=True):
        prefijo = "'" if texto.startswith(PREFIJOS_FORMULA) else ""
        assert fila[0] == prefijo + texto
        assert float(fila[1]) == numero
        assert fila[2] == ("'" + mixta if isinstance(mixta, str) else str(mixta))


# --- Ficha de las imágenes en el ensamblado ---------------------------------------------------


def test_ficha_de_imagen_que_los_datos_no_pueden_escribir():
    from helpers.salida.ensamblado.exportacion import Imagenes

    imagenes, otra = Imagenes(), Imagenes()
    ficha = imagenes.apartar("QUJD\nREVG")
    assert ficha != otra.apartar("QUJDREVG")  # una clave nueva en cada ensamblado
    intentos = [H[5], re.sub(r"[0-9a-f]{32}", "0" * 32, ficha), otra.apartar("x")]
    pagina = f'<img src="data:image/png;base64,{ficha}"> ' + " ".join(intentos)
    assert (imagenes.reponer(pagina)
            == '<img src="data:image/png;base64,QUJDREVG"> ' + " ".join(intentos))


# --- El informe completo ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def informe(tmp_path_factory):
    base = tmp_path_factory.mktemp("inerte")
    resultado = ejecutar(escribir_params_hostiles(base))
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida"


@pytest.fixture(scope="module", params=["informe.html", "informe-auditoria.html"])
def sopa(request, informe):
    return BeautifulSoup((informe / request.param).read_text(encoding="utf-8"), "html.parser")


def test_html_sin_elementos_ni_atributos_de_los_datos(sopa):
    # Los únicos guiones: los del explorador de informe.html (docs/tablero.md), tal como los
    # lleva el paquete, y su modelo en JSON, donde ningún texto de los datos abre una marca.
    from helpers.salida.explorador import guiones

    for guion in sopa.find_all("script"):
        if guion.get("type") == "application/json":
            assert guion.get("id") == "explorador-datos"
            assert "<" not in guion.string and ">" not in guion.string
        else:
            assert guion.string in guiones() and not guion.get("src")
    for elemento in sopa.find_all(True):
        eventos = [a for a in elemento.attrs if a.lower().startswith("on")]
        assert not eventos, (elemento.name, eventos)
    for img in sopa.find_all("img"):
        assert img["src"].startswith("data:image/png;base64,"), img["src"][:60]
    for enlace in sopa.find_all("a", href=True):
        assert enlace["href"].startswith("#"), enlace["href"]
    # Las únicas etiquetas de helpers.comun.literal: sin vacías que sobren (ensamblado las
    # quita).
    assert all(span.contents for span in sopa.select("span.mathjax_ignore"))
    # Ninguna marca interpretada: ni negrita, ni título, ni enlace, ni código con el texto de
    # un hostil (p. ej. <strong>negrita</strong>, <h1>titulo</h1>).
    firmas = {_firma(h) for h in HOSTILES}
    marcas = ["strong", "em", "b", "i", "del", "code", "a", "h1", "h2", "h3", "h4", "h5", "h6"]
    for elemento in sopa.find_all(marcas):
        texto = elemento.get_text().removesuffix("¶")
        # Un texto que se conserva entero, con sus marcas (un nombre de área como título),
        # llegó como texto; uno interpretado pierde sus marcas («# titulo» -> «titulo»).
        if texto in HOSTILES:
            continue
        assert _firma(texto) not in firmas, str(elemento)[:200]


def test_html_muestra_cada_texto_tal_cual(sopa):
    visible = _plano(sopa.get_text())
    for texto in HOSTILES:
        assert _plano(texto) in visible, texto
    assert _plano(sopa.select_one(".portada-entidad").get_text()) == _plano(ENTIDAD)
    assert _plano(f"el {ENTIDAD} ({SIGLA}) alcanza") in visible
    titulos = {_plano(h.get_text().replace("¶", "")) for h in sopa.find_all("h3")}
    for nombre in AREAS:
        assert _plano(nombre) in titulos, nombre  # el título de sus unidades


def test_html_celdas_de_tabla_con_el_texto_tal_cual(sopa):
    celdas = {_plano(td.get_text()) for td in sopa.find_all("td")}
    for texto in HOSTILES:
        assert _plano(texto) in celdas, texto


def test_pdf_con_los_nombres_tal_cual(informe):
    pdf = PdfReader(informe / "informe.pdf")
    texto = _plano("\n".join(p.extract_text() for p in pdf.pages))
    for nombre in AREAS:
        # La leyenda del cuadro de sus unidades: «Cuadro N° n: <sección>: <nombre>».
        assert re.search(r"Cuadro N° \d+: [^:]+: " + re.escape(_plano(nombre)), texto), nombre
    assert _plano(H[5]) in texto  # la ficha de imagen de los datos sigue siendo texto


def _celdas_csv(ruta: Path) -> list[list[str]]:
    with ruta.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _es_numero(texto: str) -> bool:
    try:
        float(texto)
    except ValueError:
        return False
    return True


def test_csv_sin_celdas_de_texto_que_empiecen_como_formula(informe):
    vistas: set[str] = set()
    for ruta in sorted((informe / "tablas").glob("*.csv")):
        encabezado, *filas = _celdas_csv(ruta)
        for j, columna in enumerate(encabezado):
            valores = [fila[j] for fila in filas if fila[j] != ""]
            vistas.update(valores)
            if all(_es_numero(v) for v in valores):
                continue  # columna de números: un negativo no lleva apóstrofo
            for valor in valores:
                assert not valor.startswith(PREFIJOS_FORMULA), (ruta.name, columna, valor)
    for texto in HOSTILES:
        esperado = "'" + texto if texto.startswith(PREFIJOS_FORMULA) else texto
        assert esperado in vistas, texto


def test_anexo_texto_como_texto_y_solo_sus_formulas(informe):
    libro = openpyxl.load_workbook(informe / "anexo.xlsx")
    leeme = [[c.value for c in fila] for fila in libro["leeme"].iter_rows()]
    inicio = next(i for i, fila in enumerate(leeme) if fila[:2] == ["Hoja", "Columna"])
    con_formula = {(fila[0], fila[1]) for fila in leeme[inicio + 1:] if fila[0]}
    textos = {}
    for hoja in libro.worksheets[1:]:
        encabezado = [c.value for c in hoja[1]]
        for fila in hoja.iter_rows(min_row=2):
            for celda, columna in zip(fila, encabezado, strict=True):
                if celda.data_type == "f":
                    assert (hoja.title, columna) in con_formula, (hoja.title, columna, celda.value)
                elif isinstance(celda.value, str):
                    textos.setdefault(celda.value, celda)
    for texto in HOSTILES:
        celda = textos[texto]
        assert celda.data_type == "s", texto
        assert celda.quotePrefix == texto.startswith(PREFIJOS_FORMULA), texto


def test_ningun_csv_se_escribe_fuera_del_escritor_de_csv():
    """Todo CSV para personas pasa por `helpers.salida.tablas_csv.escribir_csv`, que deja
    inerte su texto: ningún otro módulo de src/ escribe un CSV por su cuenta."""
    import helpers
    from helpers.salida import tablas_csv

    paquete = Path(helpers.__file__).resolve().parent
    escritor = Path(tablas_csv.__file__).resolve()
    escribe_csv = re.compile(r"\.to_csv\(|\bcsv\.(writer|DictWriter)\b|\bwriterows?\(")
    fuera = [
        f"{ruta.relative_to(paquete)}:{n}"
        for ruta in sorted(paquete.rglob("*.py")) if ruta.resolve() != escritor
        for n, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), start=1)
        if escribe_csv.search(linea)
    ]
    assert escritor.is_file() and escribe_csv.search(escritor.read_text(encoding="utf-8"))
    assert fuera == [], fuera


def test_el_escritor_de_csv_no_escribe_a_traves_de_un_enlace(tmp_path):
    """Un CSV que ya es un enlace simbólico (puesto junto al libro recogido, en la carpeta
    del informe) se reemplaza: el archivo al que apunta queda como estaba, y no quedan
    temporales."""
    import pandas as pd

    from helpers.salida.tablas_csv import escribir_csv

    afuera = tmp_path / "afuera.txt"
    afuera.write_text("de otro\n", encoding="utf-8")
    carpeta = tmp_path / "carpeta"
    carpeta.mkdir()
    ruta = carpeta / "recepcion.csv"
    ruta.symlink_to(afuera)
    tabla = pd.DataFrame({"archivo": ["=HYPERLINK(1).xlsx"], "filas": [3]})
    escribir_csv(tabla, ruta)
    assert afuera.read_text(encoding="utf-8") == "de otro\n"
    assert not ruta.is_symlink()
    assert list(csv.reader(io.StringIO(ruta.read_text(encoding="utf-8")))) == [
        ["archivo", "filas"], ["'=HYPERLINK(1).xlsx", "3"]]
    assert sorted(p.name for p in carpeta.iterdir()) == [ruta.name]
