"""El lote por objetivo (`informe-poa lote --objetivos`, `helpers.calculo.consolidado_objetivos`,
`helpers.salida.lote`, `helpers.salida.anexo_lote`).

Las pruebas del consolidado arman a mano las tablas de unas entidades y comparan cada total con
lo que se cuenta de ellas en Python simple. La prueba lenta corre un lote de tres entidades
pequeñas en un planificador y dos trabajadores de Dask arrancados de serie: una con la hoja
articulacion (PDES y PEI), otra con un marco más (hojas marcos y vinculos) y otra sin nada
vinculado; sus informes y el consolidado sirven después a la prueba del anexo (LibreOffice) y
a la de dos entidades que llaman distinto al mismo objetivo.
"""
from __future__ import annotations

import math
from pathlib import Path

import fabrica
import pandas as pd
import pytest
import texto_pdf
from click.testing import CliRunner
from test_lote import planificador_de_serie  # noqa: F401 - el planificador de serie

from helpers.calculo import consolidado_objetivos as co
from helpers.lote import ResultadoEntidad, correr_lote
from helpers.salida.tablas_csv import escribir_tablas

# --- El consolidado, con tablas hechas a mano -------------------------------------------

_FISICAS = ["avance_fisico_trimestre", "avance_fisico_acumulado", "eficacia_trimestre",
            "eficacia_acumulada"]
_MONTOS = ["vigente", "devengado_trimestre", "devengado_acumulado"]


def _objetivo(marco, codigo, nombre, padre="", nivel="meta", fila=2, vinculos=1, acp=1,
              operaciones=2, unidades=1, avance=None, vigente=None) -> dict:
    cifras = {c: avance for c in _FISICAS}
    cifras.update({"vigente": vigente, "devengado_trimestre": None if vigente is None
                   else vigente / 4, "devengado_acumulado": None if vigente is None
                   else vigente / 2})
    return {"marco": marco, "codigo": codigo, "nivel": nivel, "nombre": nombre,
            "codigo_padre": padre, "profundidad": 0 if not padre else 1, "hoja": "marcos",
            "fila": fila, "vinculos": vinculos, "acp": acp, "operaciones": operaciones,
            "unidades": unidades, **cifras, "ejecucion_trimestre": None,
            "ejecucion_acumulada": None}


def _informe(carpeta: Path, objetivos: list[dict], acciones: list[dict] = (),
             relatos: list[dict] = ()) -> Path:
    escribir_tablas({
        "objetivos": pd.DataFrame(objetivos),
        "acciones": pd.DataFrame(list(acciones), columns=co.ACCIONES + ["peso"]),
        "relatos": pd.DataFrame(list(relatos), columns=co.RELATOS),
    }, carpeta / "tablas")
    return carpeta


@pytest.fixture
def dos(tmp_path):
    """Dos entidades que comparten el eje 10 del PDES; una aporta a 10.1 y la otra a 10.2 y a
    un objetivo de los ODS; una tercera sin vínculos y una cuarta sin informe."""
    a = _informe(tmp_path / "a", [
        _objetivo("PDES", "10", "Relaciones internacionales", nivel="eje", vinculos=2, acp=2,
                  operaciones=5, unidades=3, avance=80.0, vigente=1000.0),
        _objetivo("PDES", "10.1", "Foros multilaterales", "10", fila=3, vinculos=2, acp=2,
                  operaciones=5, unidades=3, avance=80.0, vigente=1000.0),
    ])
    b = _informe(tmp_path / "b", [
        _objetivo("ODS", "16", "Paz y justicia", nivel="objetivo", avance=50.0),
        _objetivo("PDES", "10", "Relaciones  internacionales", nivel="Eje", avance=60.0,
                  vigente=3000.0, fila=4),
        _objetivo("PDES", "10.1", "Foros multilaterales", "10", fila=5, vinculos=0, acp=0,
                  operaciones=0, unidades=0),
        _objetivo("PDES", "10.2", "Relaciones bilaterales", "10", fila=6, avance=60.0,
                  vigente=3000.0),
    ])
    return [co.EntidadObjetivos("Entidad A", "A", "a.xlsx", a),
            co.EntidadObjetivos("Entidad B", "B", "b.xlsx", b),
            co.EntidadObjetivos("Entidad C", "C", "c.xlsx", None, "no vincula", True),
            co.EntidadObjetivos("Entidad D", "D", "d.xlsx", None, "su informe falló")]


def test_cada_total_por_objetivo_es_lo_que_suman_las_entidades(dos):
    """Conteos y montos sumados, avance y eficacia en media simple de las entidades que
    aportan con valor, ejecución sobre las sumas: contado aquí con Python simple."""
    tablas = co.consolidar_objetivos(dos)
    leidas = {e.sigla: pd.read_csv(e.carpeta / "tablas" / "objetivos.csv", dtype={"codigo": str})
              for e in dos if e.carpeta}
    objetivos = tablas["objetivos"].set_index(["marco", "codigo"])
    for (marco, codigo), fila in objetivos.iterrows():
        suyas = [f for t in leidas.values() for _, f in t.iterrows()
                 if f["marco"] == marco and f["codigo"] == codigo and f["vinculos"] > 0]
        assert fila["entidades"] == len(suyas)
        for columna in ("vinculos", "acp", "operaciones", "unidades"):
            assert fila[columna] == sum(f[columna] for f in suyas)
        for columna in _FISICAS:
            valores = [f[columna] for f in suyas if not math.isnan(f[columna])]
            esperado = sum(valores) / len(valores) if valores else math.nan
            assert fila[columna] == pytest.approx(esperado, nan_ok=True), (codigo, columna)
        for columna in _MONTOS:
            valores = [f[columna] for f in suyas if not math.isnan(f[columna])]
            esperado = sum(valores) if valores else math.nan
            assert fila[columna] == pytest.approx(esperado, nan_ok=True), (codigo, columna)
        vigente = fila["vigente"]
        esperada = (fila["devengado_acumulado"] / vigente * 100
                    if not math.isnan(vigente) and vigente > 0 else math.nan)
        assert fila["ejecucion_acumulada"] == pytest.approx(esperada, nan_ok=True)
    # El eje 10: las dos entidades; 10.2, sólo B; el objetivo 10.1 de B no aporta.
    assert objetivos.loc[("PDES", "10"), "entidades"] == 2
    assert objetivos.loc[("PDES", "10.1"), "entidades"] == 1
    assert objetivos.loc[("PDES", "10", ), "avance_fisico_acumulado"] == pytest.approx(70.0)


def test_los_marcos_se_juntan_por_codigo_en_su_orden(dos):
    """Cada objetivo una vez (el nombre, el de la primera entidad que lo nombra), cada uno
    tras su padre, los marcos en el orden en que aparecen."""
    objetivos = co.consolidar_objetivos(dos)["objetivos"]
    assert list(zip(objetivos["marco"], objetivos["codigo"], objetivos["profundidad"])) == [
        ("PDES", "10", 0), ("PDES", "10.1", 1), ("PDES", "10.2", 1), ("ODS", "16", 0)]
    assert objetivos.loc[0, "nombre"] == "Relaciones internacionales"


def test_cada_entidad_con_su_estado(dos):
    entidades = co.consolidar_objetivos(dos)["entidades"].set_index("sigla")
    assert list(entidades["estado"]) == [co.APORTA, co.APORTA, co.SIN_VINCULOS,
                                         co.NO_DISPONIBLE]
    assert list(entidades["objetivos"]) == [2, 3, 0, 0]
    assert "no vincula" in entidades.at["C", "motivo"]
    assert entidades.at["D", "motivo"] == "su informe falló"


@pytest.mark.parametrize("cambio, dice", [
    ({"nombre": "Otra cosa"}, "se llama «Otra cosa»"),
    ({"nivel": "resultado"}, "es del nivel «resultado»"),
    ({"codigo_padre": "9"}, "depende de «9»"),
])
def test_el_mismo_codigo_descrito_distinto_es_un_error_que_nombra_entidad_hoja_y_fila(
        dos, cambio, dice):
    b = pd.read_csv(dos[1].carpeta / "tablas" / "objetivos.csv", dtype=str,
                    keep_default_na=False)
    fila = b.index[b["codigo"] == "10.1"][0]
    for columna, valor in cambio.items():
        b.at[fila, columna] = valor
    b.to_csv(dos[1].carpeta / "tablas" / "objetivos.csv", index=False)
    with pytest.raises(co.MarcosDistintos) as error:
        co.consolidar_objetivos(dos)
    texto = str(error.value)
    assert "Entidad B (B; libro b.xlsx, hoja marcos, fila 5)" in texto, texto
    assert "Entidad A (A; libro a.xlsx, hoja marcos, fila 3)" in texto, texto
    assert dice in texto and "«10.1» del marco PDES" in texto


def test_sin_ninguna_entidad_que_aporte_el_consolidado_las_lista(dos):
    tablas = co.consolidar_objetivos(dos[2:])
    assert tablas["objetivos"].empty and tablas["por_entidad"].empty
    assert list(tablas["entidades"]["estado"]) == [co.SIN_VINCULOS, co.NO_DISPONIBLE]


def test_tablas_ilegibles_dejan_a_la_entidad_no_disponible(dos):
    (dos[1].carpeta / "tablas" / "acciones.csv").unlink()
    entidades = co.consolidar_objetivos(dos)["entidades"].set_index("sigla")
    assert entidades.at["B", "estado"] == co.NO_DISPONIBLE
    assert "acciones.csv" in entidades.at["B", "motivo"]


def test_el_pei_de_cada_entidad_no_se_junta_con_el_de_otra(dos):
    """Dos entidades con la acción AMP-1 de su PEI, con otro nombre: no es un error, porque
    el PEI es de cada una; no entra en el consolidado, y una entidad que sólo vincula su PEI
    figura entre las que no aportan, con el motivo."""
    a, b = dos[0].carpeta, dos[1].carpeta
    for carpeta, nombre in ((a, "Atención consular"), (b, "Gestión del agua")):
        tabla = pd.read_csv(carpeta / "tablas" / "objetivos.csv", dtype={"codigo": str})
        pei = pd.DataFrame([_objetivo("PEI", "AMP-1", nombre, nivel="acción", avance=10.0)])
        _informe(carpeta, [*tabla.to_dict("records"), *pei.to_dict("records")])
    solo_pei = _informe(a.parent / "e", [_objetivo("PEI", "AMP-1", "Otra", avance=5.0)])
    entidades = [*dos, co.EntidadObjetivos("Entidad E", "E", "e.xlsx", solo_pei)]
    tablas = co.consolidar_objetivos(entidades)
    assert "PEI" not in set(tablas["objetivos"]["marco"])
    assert "PEI" not in set(tablas["por_entidad"]["marco"])
    estados = tablas["entidades"].set_index("sigla")
    assert list(estados["estado"]) == [co.APORTA, co.APORTA, co.SIN_VINCULOS,
                                       co.NO_DISPONIBLE, co.SIN_VINCULOS]
    assert "PEI" in estados.at["E", "motivo"]


def test_un_libro_que_no_dice_el_padre_no_contradice_al_que_lo_dice(dos):
    b = pd.read_csv(dos[1].carpeta / "tablas" / "objetivos.csv", dtype=str,
                    keep_default_na=False)
    b.loc[b["codigo"] == "10.1", "codigo_padre"] = ""
    b.to_csv(dos[1].carpeta / "tablas" / "objetivos.csv", index=False)
    a = pd.read_csv(dos[0].carpeta / "tablas" / "objetivos.csv", dtype=str,
                    keep_default_na=False)
    a.loc[a["codigo"] == "10.1", "codigo_padre"] = ""
    a.to_csv(dos[0].carpeta / "tablas" / "objetivos.csv", index=False)
    # Ninguno dice de cuál depende 10.1: va en el primer nivel; B sí lo dice de 10.2.
    objetivos = co.consolidar_objetivos(dos)["objetivos"].set_index("codigo")
    assert objetivos.at["10.1", "profundidad"] == 0
    assert objetivos.at["10.2", "codigo_padre"] == "10"


@pytest.mark.parametrize("columna", ["fila", "vinculos"])
def test_una_tabla_con_una_celda_obligatoria_vacia_deja_a_la_entidad_no_disponible(
        dos, columna):
    ruta = dos[0].carpeta / "tablas" / "objetivos.csv"
    tabla = pd.read_csv(ruta, dtype=str, keep_default_na=False)
    tabla.loc[0, columna] = ""
    tabla.to_csv(ruta, index=False)
    entidades = co.consolidar_objetivos(dos)["entidades"].set_index("sigla")
    assert entidades.at["A", "estado"] == co.NO_DISPONIBLE
    assert f"fila 2, columna {columna}: está vacía" in entidades.at["A", "motivo"]


def test_el_anexo_del_consolidado_no_aplica_la_regla_de_la_eficacia_de_un_informe(dos,
                                                                                 tmp_path):
    """La eficacia de cada entidad es la de su informe (con su participación, aquí distinta
    de avance × 25 %): el anexo la copia y la media la rehace `suma_por_objetivo`."""
    import datetime as dt
    from types import SimpleNamespace

    import openpyxl

    from helpers.salida.anexo_lote import HOJA_SUMA, escribir_anexo_lote

    tablas = co.consolidar_objetivos(dos)
    parametros = SimpleNamespace(trimestre_corte=2, fecha_corte=dt.date(2024, 6, 30))
    ruta = escribir_anexo_lote(tablas, tmp_path / "anexo.xlsx", parametros)
    libro = openpyxl.load_workbook(ruta)
    hoja = libro["objetivos"]
    encabezado = [c.value for c in hoja[1]]
    eficacia = encabezado.index("eficacia_trimestre")
    assert not str(hoja.cell(2, eficacia + 1).value).startswith("=")
    assert HOJA_SUMA in libro.sheetnames


def test_lo_que_escribieron_las_unidades_es_de_lo_vinculado(tmp_path):
    """Una operación vinculada trae lo que escribió su unidad para su ACP, no lo de las
    demás unidades de esa ACP; una ACP vinculada, lo de todas."""
    from helpers.calculo.objetivos import tablas_de_objetivos
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import cargar_parametros

    tablas = _con_ods(fabrica.tablas_pequenas())
    tablas["narrativa"] += [["DGRM", 2, "logro", "Logro de la unidad de OP-02.", 1],
                            ["EMB-PER", 2, "logro", "Logro de otra unidad de la ACP 1.", 1]]
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro, informe="objetivos")
    relatos = tablas_de_objetivos(cargar_parametros(params), cargar_datos(libro))["relatos"]
    de = {codigo: set(grupo["texto"]) for codigo, grupo in
          relatos[relatos["marco"] == "ODS"].groupby("codigo")}
    assert de["16"] == {"Logro de la unidad de OP-02."}
    assert de["16.8"] == {"Logro de la unidad de OP-02.", "Logro de otra unidad de la ACP 1."}


# --- El lote de verdad ------------------------------------------------------------------

def _con_ods(tablas: dict) -> dict:
    """El libro pequeño con un marco más (los ODS), vinculado por una ACP y una operación."""
    tablas["marcos"] = [
        ["marco", "codigo", "nivel", "nombre", "codigo_padre"],
        ["ODS", "16", "objetivo", "Paz, justicia e instituciones sólidas", None],
        ["ODS", "16.8", "meta", "Participación en la gobernanza mundial", "16"],
    ]
    tablas["vinculos"] = [
        ["marco", "codigo", "codigo_acp", "codigo_operacion", "peso"],
        ["ODS", "16.8", 1, None, None],
        ["ODS", "16", None, "OP-02", 2],
    ]
    return tablas


def _sin_articulacion(tablas: dict) -> dict:
    tablas.pop("articulacion")
    return tablas


@pytest.fixture(scope="module")
def lote_de_tres(tmp_path_factory, planificador_de_serie):  # noqa: F811
    """`informe-poa lote --objetivos` de tres entidades en el planificador de serie: ALFA
    (articulacion), BETA (articulacion, marcos y vinculos) y GAMA (nada vinculado)."""
    from helpers.cli import principal

    raiz = tmp_path_factory.mktemp("lote-objetivos")
    libros = {
        "ALFA": fabrica.escribir_libro(raiz / "datos" / "alfa.xlsx", fabrica.tablas_pequenas()),
        "BETA": fabrica.escribir_libro(raiz / "datos" / "beta.xlsx",
                                       _con_ods(fabrica.tablas_pequenas())),
        "GAMA": fabrica.escribir_libro(raiz / "datos" / "gama.xlsx",
                                       _sin_articulacion(fabrica.tablas_pequenas())),
    }
    params = [fabrica.escribir_params(raiz / "p" / f"{sigla}.yaml", libro,
                                      entidad={"nombre": f"Entidad {sigla.title()}",
                                               "sigla": sigla},
                                      informe="objetivos",
                                      salida=str(raiz / "informes" / sigla))
              for sigla, libro in libros.items()]
    consolidado = raiz / "consolidado"
    resultado = CliRunner().invoke(principal, [
        "lote", "--objetivos", *map(str, params), "--planificador", planificador_de_serie,
        "--salida", str(consolidado)])
    return {"raiz": raiz, "resultado": resultado, "consolidado": consolidado,
            "informes": {s: raiz / "informes" / s for s in libros}, "libros": libros}


@pytest.mark.lento
def test_lote_por_objetivo_de_tres_en_dask(lote_de_tres):
    """Los dos informes por objetivo, GAMA entre las que no aportan (sin que el lote falle) y
    el consolidado: sus totales son lo que suman las tablas de los dos informes, y el HTML,
    el PDF y el DOCX nombran a cada entidad y cada objetivo."""
    resultado, consolidado = lote_de_tres["resultado"], lote_de_tres["consolidado"]
    assert resultado.exit_code == 0, resultado.output
    assert resultado.output.count(": listo en ") == 2, resultado.output
    assert "GAMA: su libro no vincula nada" in resultado.output
    assert not lote_de_tres["informes"]["GAMA"].exists()
    for archivo in ("informe.pdf", "informe.html", "informe.docx", "anexo.xlsx", "lote.json",
                    *(f"tablas/{t}.csv" for t in co.TABLAS)):
        assert (consolidado / archivo).is_file(), archivo

    tablas = co.leer_consolidado_objetivos(consolidado)
    informes = {s: pd.read_csv(c / "tablas" / "objetivos.csv", dtype={"codigo": str})
                for s, c in lote_de_tres["informes"].items() if s != "GAMA"}
    for _, fila in tablas["objetivos"].iterrows():
        suyas = [f for t in informes.values() for _, f in t.iterrows()
                 if (f["marco"], f["codigo"]) == (fila["marco"], fila["codigo"])
                 and f["vinculos"] > 0]
        assert fila["entidades"] == len(suyas)
        assert fila["operaciones"] == sum(f["operaciones"] for f in suyas)
        valores = [f["eficacia_acumulada"] for f in suyas
                   if not math.isnan(f["eficacia_acumulada"])]
        assert fila["eficacia_acumulada"] == pytest.approx(
            sum(valores) / len(valores) if valores else math.nan, nan_ok=True)
    # Los marcos que comparten: el PDES de ambas, los ODS sólo de BETA; el PEI de cada una
    # es suyo y no entra.
    por_marco = tablas["objetivos"].groupby("marco")["entidades"].max().to_dict()
    assert por_marco == {"PDES": 2, "ODS": 1}
    estados = dict(zip(tablas["entidades"]["sigla"], tablas["entidades"]["estado"]))
    assert estados == {"ALFA": co.APORTA, "BETA": co.APORTA, "GAMA": co.SIN_VINCULOS}

    html = (consolidado / "informe.html").read_text(encoding="utf-8")
    pdf = _texto_del_pdf(consolidado / "informe.pdf")
    docx = _texto_del_docx(consolidado / "informe.docx")
    for texto in ("Entidad Alfa", "Entidad Beta", "Entidad Gama", "Paz, justicia e "
                  "instituciones sólidas", "Entidades que no aportan", "Operación OP-02"):
        for medio, contenido in (("html", html), ("pdf", pdf), ("docx", docx)):
            assert texto in contenido, (medio, texto)


def _texto_del_pdf(ruta: Path) -> str:
    return " ".join(texto_pdf.texto(ruta).split())


def _texto_del_docx(ruta: Path) -> str:
    import docx

    documento = docx.Document(str(ruta))
    partes = [p.text for p in documento.paragraphs]
    partes += [c.text for t in documento.tables for f in t.rows for c in f.cells]
    return " ".join(" ".join(partes).split())


@pytest.mark.lento
def test_el_anexo_del_lote_rehace_cada_total(lote_de_tres, tmp_path):
    """La hoja suma_por_objetivo, recalculada por LibreOffice desde cifras_entidades, da cada
    total de la tabla objetivos del consolidado."""
    from test_anexo_recalculo import celdas, iguales, recalcular

    from helpers.salida.anexo_lote import HOJA_SUMA

    consolidado = lote_de_tres["consolidado"]
    recalcular([consolidado / "anexo.xlsx"], tmp_path)
    encabezado, *filas = celdas(tmp_path / "anexo.xlsx", valores=True)[HOJA_SUMA]
    formulas = celdas(consolidado / "anexo.xlsx", valores=False)[HOJA_SUMA]
    objetivos = co.leer_consolidado_objetivos(consolidado)["objetivos"]
    columnas = {"Entidades": "entidades", "Operaciones": "operaciones", "ACP": "acp",
                "Eficacia acumulada (%)": "eficacia_acumulada",
                "Avance físico T2 (%)": "avance_fisico_trimestre",
                "Vigente (Bs)": "vigente", "Devengado acumulado (Bs)": "devengado_acumulado",
                "Ejecución acumulada (%)": "ejecucion_acumulada"}
    assert len(filas) == len(objetivos)
    for titulo, columna in columnas.items():
        j = encabezado.index(titulo)
        assert all(str(f[j]).startswith("=") for f in formulas[1:]), titulo
        for i, fila in enumerate(filas):
            assert iguales(fila[j], objetivos.at[i, columna]), (titulo, i, fila[j])


def test_dos_entidades_que_llaman_distinto_a_un_objetivo_dan_codigo_2(tmp_path, monkeypatch):
    """El lote termina con 2, nombra la entidad, la hoja y la fila, y no escribe el
    consolidado (los informes de las entidades quedan)."""
    import helpers.lote as lote
    from helpers.cli import principal

    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / "poa.xlsx")
    params = [fabrica.escribir_params(tmp_path / "p" / f"{s}.yaml", libro, informe="objetivos",
                                      entidad={"nombre": f"Entidad {s}", "sigla": s},
                                      salida=str(tmp_path / "salidas" / s))
              for s in ("UNO", "DOS")]
    # Los informes «hechos» por el lote simulado: fuera de la carpeta de salida de cada
    # entidad, que el lote comprueba antes de empezar (vacía o de un informe del ejecutor).
    carpetas = {}
    for s, nombre in (("UNO", "Relaciones internacionales"), ("DOS", "Otra cosa")):
        carpetas[s] = _informe(tmp_path / "informes" / s, [
            _objetivo("PDES", "10", nombre, nivel="eje", fila=2, avance=50.0)])

    def informes_hechos(marcador, trabajadores, planificador, trabajos, tiempos, tipo):
        assert tipo == "objetivos"
        tiempos["informes"] = 0.0
        for i, entidad in enumerate(marcador.entidades):
            marcador.anotar(i, ResultadoEntidad(entidad.params, entidad.nombre, entidad.sigla,
                                                0, carpetas[entidad.sigla], libro="poa.xlsx"))
        return 2, False

    monkeypatch.setattr(lote, "_correr_informes", informes_hechos)
    consolidado = tmp_path / "consolidado"
    resultado = CliRunner().invoke(principal, ["lote", "--objetivos", *map(str, params),
                                               "--salida", str(consolidado)])
    assert resultado.exit_code == 2, resultado.output
    assert "Entidad DOS (DOS; libro poa.xlsx, hoja marcos, fila 2)" in resultado.output
    assert "se llama «Otra cosa»" in resultado.output
    assert "Traceback" not in resultado.output
    assert not consolidado.exists()


def test_el_lote_por_objetivo_pide_parametros_por_objetivo(tmp_path, libro_pequeno):
    """Con --objetivos, unos parámetros trimestrales detienen el lote antes de arrancar (y
    al revés, el lote trimestral con parámetros por objetivo sugiere --objetivos)."""
    from helpers.lote import LoteInvalido

    trimestral = fabrica.escribir_params(tmp_path / "t.yaml", libro_pequeno,
                                         salida=str(tmp_path / "t"))
    por_objetivo = fabrica.escribir_params(tmp_path / "o.yaml", libro_pequeno,
                                           informe="objetivos", salida=str(tmp_path / "o"))
    with pytest.raises(LoteInvalido, match="informe: objetivos"):
        correr_lote([trimestral], objetivos=True)
    with pytest.raises(LoteInvalido, match="agregue --objetivos"):
        correr_lote([por_objetivo])
