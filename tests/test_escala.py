"""Lo que hace rápido el informe de una entidad grande sin cambiar ninguna cifra ni mensaje:
el lector calamine, la conversión de columnas enteras, los cuadros con un tope de filas y los
gráficos de áreas con miles de unidades."""
from __future__ import annotations

import datetime as dt
import math
import re

import fabrica
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from corpus_entradas import CASOS
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.comun.numeros import LIMITE_ABSOLUTO, LIMITE_MINIMO, formatear_entero, leer_numero
from helpers.entrada import lectura
from helpers.entrada.celdas import a_texto, como_openpyxl, leer_numeros, textos
from helpers.entrada.contrato import HOJAS
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import FILAS_POR_CUADRO, Parametros
from helpers.redaccion import graficos_unidades, presentacion
from helpers.rutas import RAIZ

MUESTRA = RAIZ / "data" / "2024" / "poa_2024.xlsx"


def _leer(ruta, monkeypatch=None, lector: str = "calamine"):
    """Lo que da `cargar_datos` (los datos o los problemas en texto) con un lector u otro."""
    if lector == "openpyxl":
        monkeypatch.setattr(lectura, "leer_con_calamine", lambda ruta: None)
    try:
        return cargar_datos(ruta)
    except ErrorDeEntrada as error:
        return error.texto()
    finally:
        if monkeypatch is not None:
            monkeypatch.undo()


def _iguales(a, b) -> None:
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    for hoja in HOJAS:
        pd.testing.assert_frame_equal(getattr(a, hoja), getattr(b, hoja), obj=hoja)


# --------------------------------------------------------------------------------------
# El lector: calamine y openpyxl dan lo mismo


def test_la_muestra_se_lee_con_calamine_y_da_lo_mismo_que_openpyxl(monkeypatch):
    assert lectura.formulas_y_errores(MUESTRA) == (False, False)
    assert lectura.leer_con_calamine(MUESTRA) is not None  # el camino rápido
    _iguales(_leer(MUESTRA), _leer(MUESTRA, monkeypatch, "openpyxl"))


def test_calamine_da_las_mismas_hojas_con_uno_o_varios_hilos():
    """Las hojas interpretadas a la vez se arman en el orden del contrato, cada una con sus
    filas: lo mismo que de a una, con más hilos que hojas grandes o con un solo hilo."""
    de_a_una = lectura.leer_con_calamine(MUESTRA, hilos=1)
    assert de_a_una is not None and list(de_a_una) == [h for h in HOJAS if h in de_a_una]
    for hilos in (2, 5):
        a_la_vez = lectura.leer_con_calamine(MUESTRA, hilos=hilos)
        assert list(a_la_vez) == list(de_a_una)
        for hoja, cruda in de_a_una.items():
            assert a_la_vez[hoja].encabezados == cruda.encabezados, hoja
            assert a_la_vez[hoja].filas == cruda.filas, hoja


@pytest.mark.parametrize("hilos", [1, 2])
def test_una_hoja_danada_la_explica_openpyxl(tmp_path, hilos):
    """Si calamine no puede interpretar una hoja (aquí, el XML de la tercera cortado a la
    mitad) en cualquiera de los hilos, la lectura rápida se abandona entera y el mensaje lo
    da openpyxl: un problema del libro, sin traza."""
    import zipfile

    roto = tmp_path / "roto.xlsx"
    with zipfile.ZipFile(MUESTRA) as origen, zipfile.ZipFile(roto, "w") as destino:
        for item in origen.infolist():
            contenido = origen.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                contenido = contenido[: len(contenido) // 2]
            destino.writestr(item, contenido)
    assert lectura.leer_con_calamine(roto, hilos=hilos) is None
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(roto)
    assert "roto.xlsx: no se pudo leer el libro Excel" in error.value.texto()


def test_un_libro_con_formulas_lo_lee_openpyxl(tmp_path, monkeypatch):
    tablas = fabrica.tablas_pequenas()
    encabezado = tablas["operaciones"][0]
    tablas["operaciones"][1][encabezado.index("prog_01")] = "=1+1"  # sin valor calculado
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas, formulas=True)
    assert lectura.formulas_y_errores(libro) == (True, False)

    def sin_calamine(ruta):
        raise AssertionError("un libro con fórmulas no se lee con calamine")

    monkeypatch.setattr(lectura, "leer_con_calamine", sin_calamine)
    _iguales(_leer(libro), _leer(libro, monkeypatch, "openpyxl"))


@pytest.mark.parametrize("caso", CASOS, ids=lambda caso: caso.id)
def test_cada_libro_del_corpus_da_lo_mismo_con_los_dos_lectores(caso, tmp_path, monkeypatch):
    caso.escribir(tmp_path)
    libros = sorted(tmp_path.rglob("*.xls*"))
    if not libros:
        pytest.skip("el caso no tiene un libro Excel")
    for libro in libros:
        _iguales(_leer(libro), _leer(libro, monkeypatch, "openpyxl"))


def test_tipos_de_celda_con_los_dos_lectores(tmp_path, monkeypatch):
    """Fechas (con y sin hora), booleanos, números como texto, espacios y saltos de línea
    en un libro sin fórmulas: las mismas tablas o los mismos mensajes."""
    tablas = fabrica.tablas_pequenas()
    operaciones = tablas["operaciones"]
    encabezado = operaciones[0]
    fila = operaciones[1]
    fila[encabezado.index("descripcion")] = "  Con\u2028separador y\r\nsalto  "
    fila[encabezado.index("prog_01")] = "1.234,5"
    operaciones[2][encabezado.index("indicador")] = dt.datetime(2024, 2, 15)
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas, formulas=False)
    assert lectura.leer_con_calamine(libro) is not None
    _iguales(_leer(libro), _leer(libro, monkeypatch, "openpyxl"))
    # Y con errores: una fecha y un booleano donde va un número.
    operaciones[1][encabezado.index("prog_02")] = dt.datetime(2024, 3, 1)
    operaciones[2][encabezado.index("prog_03")] = True
    libro = fabrica.escribir_libro(tmp_path / "malo.xlsx", tablas, formulas=False)
    texto = _leer(libro)
    assert isinstance(texto, str) and "2024-03-01 00:00:00" in texto
    assert texto == _leer(libro, monkeypatch, "openpyxl")


# --------------------------------------------------------------------------------------
# Una columna numérica entera a la vez: lo mismo que leer_numero celda por celda

_CELDA = st.one_of(
    st.none(), st.just(""), st.just("  "), st.booleans(),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-12, -1e-10, LIMITE_MINIMO, LIMITE_ABSOLUTO, 0.0, -0.0, 2.675]),
    st.sampled_from(["1.234,56", "12,5", "12.5", "abc", "10 %", "1e400", " 7 "]),
    st.just(dt.datetime(2024, 1, 2)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELDA, max_size=30))
def test_leer_numeros_es_leer_numero_celda_por_celda(celdas):
    numeros, escritos, errores = leer_numeros(list(celdas))
    con_error = dict(errores)
    for i, celda in enumerate(celdas):
        try:
            esperado = leer_numero(como_openpyxl(celda))
        except ValueError as exc:
            assert con_error.get(i) == str(exc)
            assert math.isnan(numeros[i]) and not escritos[i]
            continue
        assert i not in con_error
        if esperado is None:
            assert math.isnan(numeros[i]) and not escritos[i]
        else:
            assert numeros[i] == esperado and escritos[i]


# Una columna de texto entera a la vez: lo mismo que `_a_texto` celda por celda

_TEXTO = st.one_of(
    st.sampled_from(["OP-001", "OP-001 ", " OP-001", "Cafe\u0301", "Café", "", "  ",
                     "a\r\nb", "x\u2028y", "NUL\x00", "Ünidad", "TOTAL"]),
    st.text(max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.lists(_TEXTO, max_size=30),  # sólo textos: el camino de una vez
    st.lists(st.one_of(_TEXTO, _CELDA), max_size=30),  # mezclados: celda por celda
))
def test_textos_es_a_texto_celda_por_celda(celdas):
    assert textos(list(celdas)) == [a_texto(c) for c in celdas]


@given(st.lists(st.one_of(_TEXTO, _CELDA), max_size=6))
def test_una_fila_vacia_es_la_que_no_tiene_nada_escrito(fila):
    nada_escrito = all(c is None or (isinstance(c, str) and not c.strip()) for c in fila)
    assert lectura.fila_vacia(tuple(fila)) is nada_escrito


@pytest.mark.parametrize(("xml", "esperado"), [
    (b'<c r="A1"><f>1+1</f><v>2</v></c>', (True, False)),
    (b'<c r="A1"><x:f t="shared" ref="A1:A9" si="0"/></c>', (True, False)),
    (b'<c r="A1"><f\n>1+1</f></c>', (True, False)),
    (b'<c r="A1" t="e"><v>#DIV/0!</v></c>', (False, True)),
    (b"<c r='A1' t='e'><v>#N/A</v></c>", (False, True)),
    (b'<c r="A1" t="e"><f>1/0</f></c>', (True, True)),
    # Ni fórmula ni error: una "f" seguida de espacio o ">" fuera de una etiqueta <f>, un
    # texto en línea y otros tipos de celda.
    (b'<c r="A1" t="inlineStr"><is><t>ref ></t></is></c><c r="B1" t="s"><v>3</v></c>',
     (False, False)),
    (b'<c r="A1" t="str"><v>e</v></c><dataValidation><formula1>1</formula1>'
     b"</dataValidation>", (False, False)),
])
def test_formulas_y_errores_en_el_xml_de_una_hoja(tmp_path, xml, esperado):
    import zipfile

    libro = tmp_path / "poa.xlsx"
    with zipfile.ZipFile(libro, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml",
                    b'<worksheet><sheetData><row r="1">' + xml + b"</row></sheetData></worksheet>")
        zf.writestr("xl/sharedStrings.xml", b'<sst><si><t>f> t="e"</t></si></sst>')
    assert lectura.formulas_y_errores(libro) == esperado


# --------------------------------------------------------------------------------------
# Cuadros con un tope de filas


def _tabla_larga(n: int) -> pd.DataFrame:
    return pd.DataFrame({"codigo_operacion": [f"OPERACION-DE-PRUEBA-{i:05d}" for i in range(n)],
                         "cumplimiento_trimestre": np.linspace(0, 100, n)})


def test_un_cuadro_largo_muestra_el_tope_y_dice_donde_esta_el_resto():
    tabla = _tabla_larga(57)
    html = presentacion.tabla(tabla, list(tabla.columns), limite=20, completa="operacion")
    sopa = BeautifulSoup(html, "html.parser")
    filas = sopa.select("tbody tr")
    assert len(filas) == 20
    assert filas[-1].td.get_text() == tabla["codigo_operacion"].iloc[19]
    pie = sopa.select_one("tfoot").get_text()
    assert formatear_entero(20) in pie and formatear_entero(len(tabla)) in pie
    assert "tablas/operacion.csv" in pie and "anexo.xlsx" in pie


def test_un_cuadro_que_cabe_no_lleva_aviso_y_conserva_su_nota():
    tabla = _tabla_larga(20)
    tabla.attrs["nota"] = "Una nota propia."
    html = presentacion.tabla(tabla, list(tabla.columns), limite=20, completa="operacion")
    sopa = BeautifulSoup(html, "html.parser")
    assert len(sopa.select("tbody tr")) == 20
    assert sopa.select_one("tfoot").get_text() == "Una nota propia."
    largo = _tabla_larga(21)
    largo.attrs["nota"] = "Una nota propia."
    pie = BeautifulSoup(presentacion.tabla(largo, list(largo.columns), limite=20),
                        "html.parser").select_one("tfoot").get_text()
    assert pie.startswith("Una nota propia.") and formatear_entero(21) in pie


@given(tamanos=st.lists(st.integers(0, 5_000), max_size=30), limite=st.integers(1, 3_000))
@settings(max_examples=300, deadline=None)
def test_repartir_filas_entre_las_partes_de_una_tabla(tamanos, limite):
    cupos = presentacion.repartir_filas(tamanos, limite)
    assert len(cupos) == len(tamanos)
    # Nadie muestra más de lo que tiene, ni nada de menos si hay lugar.
    assert all(0 <= c <= t for c, t in zip(cupos, tamanos, strict=True))
    con_filas = [t for t in tamanos if t]
    if limite >= len(con_filas):
        assert sum(cupos) == min(limite, sum(tamanos))
    else:  # más partes que filas: una por parte
        assert cupos == [min(1, t) for t in tamanos]
    # Reparto parejo: una parte recortada muestra al menos tanto como cualquier otra, menos
    # una fila (la que se da a las primeras).
    for c, t in zip(cupos, tamanos, strict=True):
        if c < t:
            assert all(c >= otro - 1 for otro in cupos)


def test_repartir_filas_ejemplo_y_sin_limite():
    assert presentacion.repartir_filas([50, 3_000, 3_000, 2_000], 2_000) == [50, 650, 650, 650]
    assert presentacion.repartir_filas([7, 8], None) == [None, None]


def test_filas_por_cuadro_en_los_parametros():
    base = {"entidad": {"nombre": "E", "sigla": "E"}, "gestion": 2024,
            "informe": "trimestral", "trimestre": 1, "datos": "x.xlsx"}
    assert Parametros(**base).filas_por_cuadro == FILAS_POR_CUADRO
    assert Parametros(**base, filas_por_cuadro=50).filas_por_cuadro == 50
    with pytest.raises(ValueError):
        Parametros(**base, filas_por_cuadro=0)


# --------------------------------------------------------------------------------------
# Gráficos de un área con miles de unidades


def _unidades(n: int) -> pd.DataFrame:
    generador = np.random.default_rng(7)
    avance = generador.uniform(0, 100, n).round(2)
    avance[::17] = np.nan  # sin programación
    escala = Parametros(entidad={"nombre": "E", "sigla": "E"}, gestion=2024,
                        informe="trimestral", trimestre=1,
                        datos="x.xlsx").metodologia.escala_calificacion
    from helpers.calculo.metodologia import calificar

    return pd.DataFrame({
        "codigo_unidad": [f"U{i:05d}" for i in range(n)],
        "nombre": [f"Unidad {i}" for i in range(n)],
        "area": "A",
        "avance_fisico_trimestre": avance,
        "calificacion_trimestre": calificar(pd.Series(avance), escala),
    })


def test_un_area_mediana_se_dibuja_unidad_por_unidad_en_partes():
    unidades = _unidades(90)
    figuras = graficos_unidades.avance_unidades(unidades, "A", max_filas=36, max_partes=3)
    assert len(figuras) == math.ceil(len(unidades) / 36)
    barras = sum(len(f.axes[0].get_yticks()) for f in figuras)
    assert barras == len(unidades)


def test_un_area_con_miles_de_unidades_muestra_extremos_y_distribucion():
    unidades = _unidades(3000)
    figuras = graficos_unidades.avance_unidades(unidades, "A", max_filas=36, max_partes=3)
    assert len(figuras) == 2
    extremos, distribucion = figuras
    rotulos = [t.get_text() for t in extremos.axes[0].get_yticklabels()]
    con_valor = unidades.dropna(subset=["avance_fisico_trimestre"]).sort_values(
        ["avance_fisico_trimestre", "codigo_unidad"], ascending=[False, True], kind="stable")
    esperados = pd.concat([con_valor.head(18), con_valor.tail(18)])["nombre"].tolist()
    assert rotulos == esperados
    assert formatear_entero(len(unidades)) in extremos.axes[0].get_title()
    # La distribución cuenta cada unidad con valor una vez.
    alturas = sum(p.get_height() for p in distribucion.axes[0].patches)
    assert alturas == len(con_valor)
    sin_valor = int(unidades["avance_fisico_trimestre"].isna().sum())
    assert re.search(rf"\b{formatear_entero(sin_valor)} sin programación",
                     distribucion.axes[0].get_title())


def test_una_tabla_larga_lleva_sus_anchos_de_columna_fijados():
    """WeasyPrint no mide cada celda de una tabla de miles de filas: la tabla trae sus
    anchos (en proporción a lo que ocupa cada columna) y `table-layout: fixed`."""
    from helpers.salida.ensamblado import tablas

    larga = _tabla_larga(tablas.FILAS_TABLA_FIJA + 1)
    corta = _tabla_larga(tablas.FILAS_TABLA_FIJA - 1)
    html, _ = tablas.marcar_tablas(presentacion.tabla(larga, list(larga.columns))
                                    + presentacion.tabla(corta, list(corta.columns)))
    tabla_larga, tabla_corta = BeautifulSoup(html, "html.parser").find_all("table")
    assert "fija" in tabla_larga["class"] and "fija" not in tabla_corta["class"]
    anchos = [float(re.search(r"width: ([\d.]+)%", col["style"]).group(1))
              for col in tabla_larga.colgroup.find_all("col")]
    assert len(anchos) == len(larga.columns)
    assert sum(anchos) == pytest.approx(100, abs=0.05)
    # El código (una palabra de 25 caracteres) es más ancho que el porcentaje.
    assert anchos[0] > anchos[1]
    assert tabla_corta.colgroup is None
    css = (RAIZ / "src" / "helpers" / "salida" / "plantillas" / "impresion.css").read_text()
    assert re.search(r"table\.fija\s*{[^}]*table-layout:\s*fixed", css)


def _anchos(tabla) -> list[float]:
    return [float(re.search(r"width: ([\d.]+)%", col["style"]).group(1))
            for col in tabla.colgroup.find_all("col")]


def test_en_una_tabla_larga_el_nombre_toma_el_ancho_que_le_falta_al_codigo():
    """Como en la tabla de unidades de una entidad grande: un código corto y un nombre largo.
    El nombre no se parte en muchas líneas para dejarle lugar al código: si los textos
    enteros caben en la página, cada columna toma el suyo; si no, el nombre se lleva lo que
    sobra después de lo mínimo de cada una."""
    from helpers.salida.ensamblado import tablas

    n = tablas.FILAS_TABLA_FIJA + 1
    for largo_nombre in (30, 200):  # cabe entero en la página / hay que partirlo
        tabla = pd.DataFrame({
            "codigo_unidad": [f"U{i:04d}" for i in range(n)],
            "nombre": [("Dirección General de " * 10)[:largo_nombre] + str(i) for i in range(n)],
            "avance_fisico_trimestre": np.linspace(0, 100, n),
        })
        html, _ = tablas.marcar_tablas(presentacion.tabla(tabla, list(tabla.columns)))
        anchos = _anchos(BeautifulSoup(html, "html.parser").table)
        assert sum(anchos) == pytest.approx(100, abs=0.05)
        codigo, nombre, avance = anchos
        assert nombre > codigo and nombre > avance
        # Con la tabla al ancho de la página, el nombre entero (o hasta el tope) cabe en
        # una línea de su columna.
        largo = min(max(len(x) for x in tabla["nombre"]), tablas.TEXTO_FIJA_CARACTERES)
        necesita = (largo * tablas.ANCHO_CIFRA_EM * tablas.LETRA_TABLA_PT
                    + tablas.RELLENO_CELDA_PT)
        assert nombre / 100 * tablas.ANCHO_VERTICAL_PT >= necesita - 0.5


# --------------------------------------------------------------------------------------
# Los cuadernos reparten el tope entre las partes de una tabla


def _params_con_tope(origen: str, destino, tope: int):
    import yaml

    valores = yaml.safe_load((RAIZ / "params" / origen).read_text(encoding="utf-8"))
    valores["datos"] = str(RAIZ / valores["datos"])
    valores["filas_por_cuadro"] = tope
    destino.write_text(yaml.safe_dump(valores, allow_unicode=True), encoding="utf-8")
    return destino


def _tablas_de(cuaderno, params, tmp_path) -> tuple[dict[str, BeautifulSoup], str]:
    """Ejecuta `cuaderno` con papermill sobre `params`; devuelve sus cuadros por id y todo el
    Markdown que escribió."""
    import nbformat
    import papermill as pm

    from helpers.rutas import CUADERNOS

    destino = tmp_path / cuaderno.replace("/", "-")
    pm.execute_notebook(str(CUADERNOS / cuaderno), str(destino),
                        parameters={"params": str(params)}, kernel_name="python3",
                        progress_bar=False, cwd=str(CUADERNOS / cuaderno.split("/")[0]))
    cuadros, markdown = {}, []
    for celda in nbformat.read(destino, as_version=4).cells:
        for salida in celda.get("outputs", []):
            data = salida.get("data", {})
            markdown.append("".join(data.get("text/markdown", "")))
            for tabla in BeautifulSoup("".join(data.get("text/html", "")),
                                       "html.parser").find_all("table"):
                cuadros[tabla["id"]] = tabla
    return cuadros, "\n".join(markdown)


def _filas(cuadros: dict, prefijos: tuple[str, ...]) -> tuple[int, int]:
    """Filas mostradas en los cuadros cuyo id empieza con uno de `prefijos`, y cuántos de
    ellos dicen que muestran sólo las primeras."""
    elegidos = [t for i, t in cuadros.items() if i.startswith(prefijos)]
    recortados = sum("Se muestran las primeras" in t.get_text() for t in elegidos)
    return sum(len(t.select("tbody tr")) for t in elegidos), recortados


@pytest.mark.lento
def test_los_cuadros_de_una_tabla_se_reparten_el_tope(tmp_path):
    tope = 7
    trimestral = _params_con_tope("2024-T2.yaml", tmp_path / "t.yaml", tope)
    datos = cargar_datos(RAIZ / "data" / "2024" / "poa_2024.xlsx")
    assert len(datos.unidades) > tope  # si no, el tope no se pondría a prueba

    cuadros, _ = _tablas_de("trimestral/04_unidad.ipynb", trimestral, tmp_path)
    filas, recortados = _filas(cuadros, ("tabla-unidad-",))
    assert filas == tope and recortados >= 1

    cuadros, _ = _tablas_de("comun/07_alertas.ipynb", trimestral, tmp_path)
    filas, _ = _filas(cuadros, ("tabla-alerta-", "tabla-no-aplica"))
    assert 0 < filas <= tope

    anual = _params_con_tope("2024-anual.yaml", tmp_path / "a.yaml", tope)
    cuadros, markdown = _tablas_de("anual/04_resultados.ipynb", anual, tmp_path)
    filas, _ = _filas(cuadros, ("tabla-operaciones-",))
    assert 0 < filas < len(datos.operaciones)
    assert "el detalle de las otras" in markdown and "tablas/operacion.csv" in markdown
    filas, recortados = _filas(cuadros, ("tabla-unidades-",))
    assert filas == tope and recortados >= 1
