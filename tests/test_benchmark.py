"""scripts/benchmark.py: las piezas chicas del benchmark sobre entradas pequeñas (medir un
proceso y sus descendientes, las filas y la tabla, las marcas de los documentos), la
medición de lectura, validación y cálculo sobre la muestra y la de recoger los formularios
del libro pequeño (scripts/benchmark_recoger.py, con los formularios que llena
scripts/formularios_llenos.py), y de la parte de la caché (scripts/benchmark_cache.py) las
filas y las celdas que cambia, en el libro pequeño. Sin afirmaciones de tiempo."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import fabrica
import pandas as pd
import pytest

from helpers.comun.calendario import cierre_de_mes, meses_del_trimestre
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.entrada.recepcion import plazo_de_ejemplo
from helpers.formularios.envio import formularios_del_poa
from helpers.formularios.recoleccion import Estado

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ / "scripts"))  # benchmark.py importa sus módulos hermanos
_spec = importlib.util.spec_from_file_location("benchmark", RAIZ / "scripts" / "benchmark.py")
bm = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bm)
import benchmark_cache  # noqa: E402  (de scripts/, en sys.path desde arriba)
import benchmark_interno  # noqa: E402
import benchmark_pruebas  # noqa: E402
import benchmark_recoger  # noqa: E402
import benchmark_tablero  # noqa: E402
import formularios_llenos  # noqa: E402

COLUMNAS = 6  # qué, tamaño, tiempo, memoria, objetivo, resultado


def _filas_de_tabla(texto: str) -> list[list[str]]:
    """Las celdas de cada fila de las tablas Markdown de `texto` (sin encabezado ni regla)."""
    filas = []
    for linea in texto.splitlines():
        if linea.startswith("|") and not linea.startswith("|---") and "| Qué |" not in linea:
            filas.append([c.strip() for c in re.split(r"(?<!\\)\|", linea)[1:-1]])
    return filas


def test_medir_proceso_cuenta_la_memoria_de_los_descendientes():
    megas = 80
    hijo = f"import time; x = bytearray({megas} * 1_000_000); time.sleep(1.5)"
    padre = (f"import subprocess, sys; subprocess.run([sys.executable, '-c', {hijo!r}], "
             "check=True)")
    corrida = bm.medir_proceso([sys.executable, "-c", padre], limite=60)
    assert corrida.bien and corrida.codigo == 0
    assert corrida.pico_mb >= megas
    assert corrida.muestras


def test_medir_proceso_lee_el_resultado_del_hijo(tmp_path):
    codigo = ("import json, sys; open(sys.argv[1], 'w').write(json.dumps({'tamano': "
              "{'operaciones': 3}}))")
    corrida = bm.medir_proceso([sys.executable, "-c", codigo, "{resultado}"], limite=60)
    assert corrida.bien
    assert corrida.resultado == {"tamano": {"operaciones": 3}}


def test_medir_proceso_detiene_al_que_pasa_el_limite():
    limite = 1
    corrida = bm.medir_proceso([sys.executable, "-c", "import time; time.sleep(120)"],
                               limite=limite)
    assert not corrida.bien
    assert corrida.segundos is None and corrida.codigo is None
    assert corrida.error == f"no terminó en {bm.formatear(limite, 0)} s"


def test_medir_proceso_cuenta_el_fallo():
    corrida = bm.medir_proceso([sys.executable, "-c", "raise SystemExit('roto')"], limite=60)
    assert not corrida.bien
    assert "roto" in corrida.error


def test_formatear_en_castellano():
    assert bm.formatear(1234.56) == "1.234,6"
    assert bm.formatear(1500, 0) == "1.500"
    assert bm.formatear(None) == "—"


def _resumen(mediana: dict, tamano: dict | None = None, error: str | None = None) -> dict:
    return {"corridas": [mediana], "mediana": mediana, "tamano": tamano, "error": error}


def _cifra(segundos, mb=None) -> dict:
    return {"segundos": segundos, "pico_mb": mb}


def _partes_falsas() -> dict:
    """Cifras inventadas de cada parte, unas que cumplen y otras que no (los objetivos
    salen de las constantes del script)."""
    encabezado = {"fecha": "2026-01-01T00:00:00+00:00", "veces": 3,
                  "maquina": {"cpu": "CPU de prueba", "nucleos_logicos": 2,
                              "nucleos_fisicos": 2, "memoria_gb": 8.0, "sistema": "Linux",
                              "python": "3.11", "carga_media_1min": 0.5}}
    tamano = {"operaciones": 10, "unidades": 4, "presupuesto": 2}
    total = bm.OBJETIVO_MUESTRA_S / 2
    etapas = {clave: _cifra(total / 10, 100.0) for clave in bm.ETAPAS if clave != "ensamblado"}
    etapas["total"] = _cifra(total, 500.0)
    piso = total / (bm.OBJETIVO_VECES_PISO * 2)  # el informe tarda el doble del permitido
    grande = bm.FACTOR_OBJETIVO
    carga = {"1": _resumen({"carga": _cifra(1.0, 100.0)}, tamano),
             str(grande): _resumen({"carga": _cifra(bm.OBJETIVO_CARGA_S / 2, 200.0)},
                                   {k: v * grande for k, v in tamano.items()})}
    escala = {"1": _resumen({"total": _cifra(10.0, 500.0)}, tamano),
              str(grande): _resumen({}, None, error="no terminó en 900 s")}
    return {
        "muestra": {**encabezado, **_resumen(etapas, tamano)},
        "piso": {**encabezado, **_resumen({"piso": _cifra(piso, 300.0)}, tamano),
                 "cuadernos": 15},
        "carga": {**encabezado, "factores": carga},
        "escala": {**encabezado, "factores": escala},
        "lote": {**encabezado, "veces": 1, "entidades": bm.ENTIDADES_OBJETIVO, "disponible": True,
                 "seguidos": _resumen({"seguidos": _cifra(200.0, 900.0)}),
                 "lote": _resumen({"lote": _cifra(150.0, 1200.0),
                                   "informes": _cifra(140.0)})},
        # Recoger tarda el doble del objetivo.
        "recoger": {**encabezado, **_resumen(
            {"arranque": _cifra(1.0, 50.0), "recoger": _cifra(2.0, 150.0),
             "total": _cifra(benchmark_recoger.OBJETIVO_RECOGER_S * 2, 150.0)},
            {"formularios": 4, "operaciones": 10})},
        "cache": {**encabezado, "como": benchmark_cache.COMO, "factores": _cache_falsa(),
                  "lineas_residente": benchmark_cache.OBJETIVO_LINEAS_RESIDENTE + 1},
        # El tablero abre en la mitad de su tope; informe.html pesa el doble del suyo.
        "tablero": {**encabezado, "factor": benchmark_tablero.FACTOR,
                    "html_mb": benchmark_tablero.OBJETIVO_HTML_MB * 2,
                    "mediana": {"armar": benchmark_tablero.OBJETIVO_TABLERO_S / 4,
                                "mostrar": benchmark_tablero.OBJETIVO_TABLERO_S / 4}},
        # make test tarda la mitad de su tope; pytest, la mitad de eso.
        "pruebas": {**encabezado, "total_s": benchmark_pruebas.OBJETIVO_PRUEBAS_S / 2,
                    "pytest_s": benchmark_pruebas.OBJETIVO_PRUEBAS_S / 4, "codigo": 0,
                    "resumen": "3 passed", "cpu_s": 1500.0,
                    "por_archivo": benchmark_pruebas.por_archivo(_LINEAS_DE_CPU)},
    }


# Lo que anota tests/cpu_por_prueba.py de tres pruebas en dos archivos.
_LINEAS_DE_CPU = [{"archivo": "tests/test_a.py", "cpu_s": 1.0, "reloj_s": 2.0},
                  {"archivo": "tests/test_b.py", "cpu_s": 5.0, "reloj_s": 4.0},
                  {"archivo": "tests/test_a.py", "cpu_s": 2.0, "reloj_s": 1.0}]


def _cache_falsa() -> dict:
    """Dos libros: en el chico, una celda cuesta menos que el objetivo, la corrida sin
    cambios queda al día a tiempo y las tablas son iguales; en el grande, al revés."""
    completa = 30.0
    tamano = {"operaciones": 10, "unidades": 4, "presupuesto": 2}

    def libro(veces_objetivo: float, al_dia: bool, distintas: list[str]) -> dict:
        por_celda = [completa * benchmark_cache.OBJETIVO_UNA_CELDA * veces_objetivo * (1 + k / 100)
                     for k in range(benchmark_cache.CELDAS)]
        return {"error": None, "tamano": tamano, "completa": _cifra(completa, 900.0),
                "primera": _cifra(completa * 1.1, 950.0),
                "una_celda": [{**_cifra(s, 800.0), "celda": {"fila": k + 2}}
                              for k, s in enumerate(por_celda)],
                # Desde la página: lo mismo, y el servidor la corrió sólo en el libro chico.
                "una_celda_pagina": [{**_cifra(s, 100.0), "servidor": al_dia}
                                     for s in por_celda],
                "sin_cambios": {**_cifra(benchmark_cache.OBJETIVO_SIN_CAMBIOS_S / 2, 100.0),
                                "al_dia": al_dia},
                "testigo": _cifra(completa, 900.0), "tablas_distintas": distintas,
                # En el chico, el servidor en espera ocupa menos que su tope; en el grande, más.
                "en_espera_dos_carpetas": benchmark_cache.OBJETIVO_EN_ESPERA_MB
                * veces_objetivo}

    return {"1": libro(0.5, True, []), "10": libro(2.0, False, ["unidades.csv"])}


def test_filas_y_objetivos():
    filas = {f["que"]: f for f in bm.filas(_partes_falsas())}
    assert filas["Informe trimestral de la muestra: total"]["cumple"] is True
    assert filas["Informe total ÷ piso"]["cumple"] is False
    assert filas["Lectura, validación y cálculo de las tablas"]["cumple"] is True  # el 100×
    crecimiento = next(f for q, f in filas.items() if q.startswith("Lectura") and "crec" in q)
    assert crecimiento["cumple"] is True
    assert filas["Informe completo"]["tiempo"] == "no terminó en 900 s"
    assert filas["Informe completo"]["cumple"] is False
    assert filas["Lote ÷ seguidos"]["cumple"] is True
    assert filas["Lote ÷ seguidos"]["tiempo"] == f"{bm.formatear(150.0 / 200.0, 2)} ×"
    recoger = [f for f in filas.values() if f["parte"] == "recoger"]
    assert [f["cumple"] for f in recoger] == [None, None, False]
    assert recoger[-1]["tamano"] == "4 formularios (10 operaciones)"
    assert recoger[-1]["objetivo"] == (
        f"≤ {bm.formatear(benchmark_recoger.OBJETIVO_RECOGER_S, 0)} s")
    # El servidor en espera con dos carpetas: bajo su tope en el libro chico, sobre él en el
    # grande; las líneas de residente/, una más que su tope; make test, en la mitad del suyo.
    assert [f["cumple"] for f in bm.filas(_partes_falsas())
            if "(dos carpetas servidas)" in f["que"]] == [True, False]
    (lineas,) = [f for q, f in filas.items() if q.startswith("Líneas del servidor residente")]
    assert lineas["cumple"] is False
    assert lineas["tiempo"] == f"{benchmark_cache.OBJETIVO_LINEAS_RESIDENTE + 1} líneas"
    (suite,) = [f for q, f in filas.items() if q.startswith("make test en un clon nuevo")]
    assert suite["cumple"] is True and "3 passed" in suite["que"]


def test_el_procesador_de_la_suite_por_archivo():
    """Lo anotado por prueba se suma por archivo, del que más procesador gasta al que menos,
    y la tabla dice el de la orden y el de cada archivo (sin objetivo: no va al README)."""
    assert benchmark_pruebas.por_archivo(_LINEAS_DE_CPU) == [
        {"archivo": "tests/test_b.py", "cpu_s": 5.0, "reloj_s": 4.0, "pruebas": 1},
        {"archivo": "tests/test_a.py", "cpu_s": 3.0, "reloj_s": 3.0, "pruebas": 2}]
    filas = [f for f in bm.filas(_partes_falsas()) if f["parte"] == "pruebas"]
    procesador = [f for f in filas if f["que"].startswith(("procesador", "… procesador"))]
    assert [f["segundos"] for f in procesador] == [1500.0, 5.0, 3.0]
    assert procesador[0]["tiempo"] == f"{bm.formatear(25.0, 1)} min"
    assert "tests/test_a.py (2 pruebas; 38 % de lo anotado" in procesador[2]["que"]
    assert all(f["cumple"] is None for f in procesador)
    # Una medición de antes, sin el procesador: sólo las filas del reloj.
    antes = {k: v for k, v in _partes_falsas()["pruebas"].items()
             if k not in ("cpu_s", "por_archivo")}
    assert len(benchmark_pruebas.filas(antes)) == 2


def test_cada_prueba_anota_su_procesador(tmp_path):
    """Con la variable de tests/cpu_por_prueba.py, pytest (solo y con los trabajadores de
    pytest-xdist de `make test`) anota una línea por prueba corrida, en el proceso que la
    corrió. `-n auto` son tantos trabajadores como núcleos, y uno más (tests/conftest.py)."""
    import cpu_por_prueba

    # El benchmark, que no importa las pruebas, pone la misma variable.
    assert benchmark_pruebas.VARIABLE_CPU == cpu_por_prueba.VARIABLE
    pruebas = ["tests/test_colas.py", "tests/test_calendario.py"]
    for paralelo in ([], ["-n", "auto", "--dist", "loadfile"]):
        anotado = tmp_path / f"cpu{len(paralelo)}.jsonl"
        corrida = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *paralelo,
             *pruebas], cwd=RAIZ, capture_output=True, text=True, check=False,
            # Sin las opciones ni las marcas de la corrida de afuera (PYTEST_ADDOPTS...).
            env={**{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")},
                 cpu_por_prueba.VARIABLE: str(anotado)})
        assert corrida.returncode == 0, corrida.stdout + corrida.stderr
        if paralelo:
            assert f"created: {(os.cpu_count() or 1) + 1}/" in corrida.stdout, corrida.stdout
        pasaron = int(re.search(r"(\d+) passed", corrida.stdout).group(1))
        lineas = [json.loads(linea) for linea in anotado.read_text().splitlines()]
        assert len(lineas) == pasaron
        assert {linea["archivo"] for linea in lineas} == set(pruebas)
        assert all(linea["cpu_s"] >= 0 and linea["reloj_s"] >= 0 for linea in lineas)


def test_recoger_que_fallo_dice_por_que():
    filas = bm.filas({"recoger": {"tamano": None, "error": "cuentan 3 de 4 formularios"}})
    assert [(f["tiempo"], f["cumple"]) for f in filas] == [("cuentan 3 de 4 formularios", False)]


def test_un_lote_mas_chico_que_el_del_objetivo_se_mide_pero_no_se_juzga():
    partes = _partes_falsas()
    partes["lote"]["entidades"] = bm.ENTIDADES_OBJETIVO // 5
    fila = {f["que"]: f for f in bm.filas(partes)}["Lote ÷ seguidos"]
    assert fila["cumple"] is None
    assert fila["tiempo"] == f"{bm.formatear(150.0 / 200.0, 2)} ×"
    assert f"con {bm.ENTIDADES_OBJETIVO} entidades" in fila["objetivo"]


def test_lote_no_disponible():
    filas = bm.filas({"lote": {"entidades": 20, "disponible": False}})
    assert [f["tiempo"] for f in filas] == ["lote: no disponible"]


def test_escribir_resultados(tmp_path):
    md, json_, readme = tmp_path / "rendimiento.md", tmp_path / "r.json", tmp_path / "README.md"
    inicio_md, fin_md = bm.MARCAS_MD
    inicio_rm, fin_rm = bm.MARCAS_README
    md.write_text(f"# Antes\n\n{inicio_md}\nviejo\n{fin_md}\n\nDespués\n", encoding="utf-8")
    readme.write_text(f"## Rendimiento\n{inicio_rm}\nviejo\n{fin_rm}\nfin\n", encoding="utf-8")
    partes = _partes_falsas()
    bm.escribir_resultados(partes, md, json_, readme)

    texto = md.read_text(encoding="utf-8")
    assert texto.startswith("# Antes\n\n") and texto.endswith(f"{fin_md}\n\nDespués\n")
    assert "viejo" not in texto
    filas = _filas_de_tabla(texto)
    assert len(filas) == len(bm.filas(partes))
    assert all(len(f) == COLUMNAS for f in filas)
    assert {f[-1] for f in filas} == {"—", "CUMPLE", "NO CUMPLE"}
    for parte in bm.PARTES:
        assert f"### {bm.TITULOS[parte]}" in texto

    resumen = _filas_de_tabla(readme.read_text(encoding="utf-8"))
    assert len(resumen) == sum(1 for f in bm.filas(partes) if f["cumple"] is not None)

    guardado = json.loads(json_.read_text(encoding="utf-8"))
    assert guardado["partes"] == partes
    assert guardado["objetivos"]["muestra_s"] == bm.OBJETIVO_MUESTRA_S
    assert len(guardado["filas"]) == len(filas)


def test_faltan_las_marcas(tmp_path):
    md = tmp_path / "rendimiento.md"
    md.write_text("sin marcas\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="faltan las marcas"):
        bm.escribir_resultados({}, md, tmp_path / "r.json", None)


def test_documentos_del_repositorio_tienen_sus_marcas():
    for ruta, marcas in ((bm.MD, bm.MARCAS_MD), (bm.README, bm.MARCAS_README)):
        texto = ruta.read_text(encoding="utf-8")
        assert texto.index(marcas[0]) < texto.index(marcas[1]), ruta.name


def test_cuaderno_unido_pone_informe_tras_los_parametros(tmp_path):
    import nbformat

    rutas = []
    for nombre in ("a", "b"):
        libro = nbformat.v4.new_notebook()
        parametros = nbformat.v4.new_code_cell(f'informe = ""  # {nombre}')
        parametros.metadata["tags"] = ["parameters"]
        libro.cells = [nbformat.v4.new_markdown_cell("texto"), parametros,
                       nbformat.v4.new_code_cell(f"x_{nombre} = informe")]
        ruta = tmp_path / f"{nombre}.ipynb"
        nbformat.write(libro, str(ruta))
        rutas.append(ruta)
    unido = benchmark_interno.cuaderno_unido(rutas)
    assert [c.source for c in unido.cells] == [
        'informe = ""  # a', 'informe = ".."', "x_a = informe",
        'informe = ""  # b', 'informe = ".."', "x_b = informe",
    ]


def test_carga_de_la_muestra(tmp_path):
    """La parte `carga` sobre el libro 1× (la muestra), una vez, por la línea de órdenes."""
    md, json_ = tmp_path / "rendimiento.md", tmp_path / "r.json"
    md.write_text(f"{bm.MARCAS_MD[0]}\n{bm.MARCAS_MD[1]}\n", encoding="utf-8")
    codigo = bm.main(["--solo", "carga", "--factores", "1", "--veces", "1",
                      "--cache", str(tmp_path / "libros"), "--md", str(md),
                      "--json", str(json_), "--sin-readme"])
    assert codigo == 0
    muestra = cargar_datos(RAIZ / "data" / "2024" / "poa_2024.xlsx")
    resumen = json.loads(json_.read_text(encoding="utf-8"))["partes"]["carga"]["factores"]["1"]
    assert resumen["error"] is None
    assert resumen["tamano"] == {hoja: len(getattr(muestra, hoja))
                                 for hoja in benchmark_interno.HOJAS_TAMANO}
    assert resumen["mediana"]["carga"]["segundos"] > 0
    assert resumen["mediana"]["carga"]["pico_mb"] > 0
    filas = _filas_de_tabla(md.read_text(encoding="utf-8"))
    assert len(filas) == 1 and len(filas[0]) == COLUMNAS
    assert filas[0][1].startswith(f"1× ({bm.formatear(len(muestra.operaciones), 0)} operaciones")


def test_calibracion_solo_y_dos_a_la_vez():
    """El bucle de calibración corre de verdad, solo y en dos procesos a la vez; más vueltas
    tardan más."""
    chica, grande = bm.calibrar(vueltas=20_000), bm.calibrar(vueltas=2_000_000)
    for calibracion in (chica, grande):
        assert set(calibracion) == {"un_proceso_s", "dos_procesos_s"}
        assert all(s > 0 for s in calibracion.values())
    assert grande["un_proceso_s"] > chica["un_proceso_s"]


def test_la_calibracion_de_cada_parte_va_junto_a_su_maquina(tmp_path):
    """Con la calibración de antes y de después, cada parte la dice después de la máquina;
    las partes medidas antes de que existiera (sin ella) no dicen nada de eso."""
    partes = _partes_falsas()
    partes["muestra"]["calibracion"] = {
        "antes": {"un_proceso_s": 0.5, "dos_procesos_s": 0.75},
        "despues": {"un_proceso_s": 1.25, "dos_procesos_s": 2.0}}
    texto = bm.bloque_markdown(partes)
    muestra, piso = (texto.split(f"### {bm.TITULOS[p]}")[1].split("###")[0]
                     for p in ("muestra", "piso"))
    assert ("al empezar, 0,50 s solo y 0,75 s dos a la vez; al terminar, 1,25 s solo y "
            "2,00 s dos a la vez.") in muestra
    assert "Calibración" not in piso


# --------------------------------------------------------------------------------------
# Recoger los formularios


@pytest.fixture
def params_con_plazo(tmp_path) -> Path:
    """Los parámetros del segundo trimestre del libro pequeño, con su plazo de recepción."""
    trimestre, gestion = fabrica.PARAMS_BASE["trimestre"], fabrica.PARAMS_BASE["gestion"]
    plazo = plazo_de_ejemplo(cierre_de_mes(gestion, meses_del_trimestre(trimestre)[-1]))
    libro = fabrica.escribir_libro_pequeno(tmp_path / "poa.xlsx")
    return fabrica.escribir_params(tmp_path / "T2.yaml", libro,
                                   recepcion={"plazo": plazo.isoformat()})


def _operaciones(libro: Path) -> pd.DataFrame:
    return pd.read_excel(libro, sheet_name="operaciones", dtype=object,
                         engine="openpyxl").set_index("codigo_operacion")


def test_los_formularios_llenos_con_el_maestro_dan_el_maestro(params_con_plazo, tmp_path):
    """Los formularios que llena formularios_llenos.py, recogidos en el proceso medido,
    cuentan todos, y la hoja operaciones del libro recogido es la del maestro: lo escrito
    son las cifras del maestro, cada una en su celda."""
    carpeta = tmp_path / "recibidos"
    rutas = formularios_llenos.emitidos_y_llenos(params_con_plazo, carpeta)
    assert sorted(rutas.values()) == sorted(carpeta.glob("*.xlsx"))
    salida = tmp_path / "salida" / "recogido.xlsx"
    resultado = benchmark_recoger.interno(params_con_plazo, carpeta, salida)
    assert "error" not in resultado
    assert resultado["estados"] == {Estado.ACEPTADO: len(rutas)}
    maestro = _operaciones(cargar_parametros(params_con_plazo).ruta_datos)
    pd.testing.assert_frame_equal(_operaciones(salida)[maestro.columns], maestro)


def test_un_formulario_que_no_cuenta_hace_fallar_la_corrida(params_con_plazo, tmp_path):
    carpeta = tmp_path / "recibidos"
    rutas = formularios_llenos.emitidos_y_llenos(params_con_plazo, carpeta)
    next(iter(rutas.values())).unlink()
    resultado = benchmark_recoger.interno(params_con_plazo, carpeta, tmp_path / "r.xlsx")
    assert f"cuentan {len(rutas) - 1} de {len(rutas)} formularios" in resultado["error"]
    assert Estado.FALTANTE in resultado["error"]


def test_recoger_del_libro_pequeno(params_con_plazo, tmp_path):
    """La parte `recoger`, una vez, por la línea de órdenes, con los parámetros del libro
    pequeño: el tamaño son sus formularios y sus operaciones, y la tabla tiene sus filas."""
    md, json_ = tmp_path / "rendimiento.md", tmp_path / "r.json"
    md.write_text(f"{bm.MARCAS_MD[0]}\n{bm.MARCAS_MD[1]}\n", encoding="utf-8")
    codigo = bm.main(["--solo", "recoger", "--veces", "1", "--params", str(params_con_plazo),
                      "--md", str(md), "--json", str(json_), "--sin-readme"])
    assert codigo == 0
    parametros = cargar_parametros(params_con_plazo)
    formularios = formularios_del_poa(cargar_datos(parametros.ruta_datos), parametros)
    guardado = json.loads(json_.read_text(encoding="utf-8"))
    parte = guardado["partes"]["recoger"]
    assert parte["error"] is None
    assert parte["tamano"] == {"formularios": len(formularios),
                               "operaciones": sum(len(f.operaciones) for f in formularios)}
    mediana = parte["mediana"]
    assert 0 < mediana["recoger"]["segundos"] < mediana["total"]["segundos"]
    assert guardado["objetivos"]["recoger_s"] == benchmark_recoger.OBJETIVO_RECOGER_S
    texto = md.read_text(encoding="utf-8")
    assert f"### {benchmark_recoger.TITULO}" in texto
    filas = _filas_de_tabla(texto)
    assert len(filas) == 3 and all(len(f) == COLUMNAS for f in filas)
    assert filas[-1][-1] in {"CUMPLE", "NO CUMPLE"}


def test_llenar_escribe_cada_valor_en_su_celda(params_con_plazo, tmp_path):
    """`llenar` escribe lo que recibe, como la unidad: un número, un texto que parece
    fórmula (queda texto) y una celda vaciada; las demás celdas no cambian, y los mismos
    valores dan el mismo archivo (la huella del registro no cambia de una corrida a otra)."""
    import shutil

    import openpyxl

    from helpers.formularios.libro import HOJA_SEGUIMIENTO, columnas_ejecutado, leer_identidad

    ruta = next(iter(formularios_llenos.emitidos_y_llenos(params_con_plazo,
                                                          tmp_path / "f").values()))
    antes = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(antes)
    hoja = antes[HOJA_SEGUIMIENTO]
    fila = identidad.fila_encabezado + 1
    codigo = hoja.cell(fila, 1).value
    columnas = {c.value: c.column for c in hoja[identidad.fila_encabezado]}
    ejecutado = columnas_ejecutado(identidad.trimestre)
    nuevo = (hoja.cell(fila, columnas[ejecutado[0]]).value or 0) + 1.5
    otra = shutil.copyfile(ruta, tmp_path / "otra.xlsx")
    valores = {(codigo, ejecutado[0]): nuevo, (codigo, "justificacion"): "=no es fórmula",
               (codigo, ejecutado[1]): None}
    for llena in (ruta, otra):
        formularios_llenos.llenar(llena, valores)
    assert ruta.read_bytes() == otra.read_bytes()
    despues = openpyxl.load_workbook(ruta)[HOJA_SEGUIMIENTO]
    assert despues.cell(fila, columnas[ejecutado[0]]).value == nuevo
    texto = despues.cell(fila, columnas["justificacion"])
    assert texto.value == "=no es fórmula" and texto.data_type == "s"
    assert despues.cell(fila, columnas[ejecutado[1]]).value is None
    cambiadas = {(fila, columnas[c]) for c in ("justificacion", *ejecutado[:2])}
    for f in range(identidad.fila_encabezado,
                   identidad.fila_encabezado + identidad.operaciones + 1):
        for c in range(1, len(columnas) + 1):
            if (f, c) not in cambiadas:
                assert despues.cell(f, c).value == hoja.cell(f, c).value, (f, c)


# --------------------------------------------------------------------------------------
# La caché del informe


def _filas_cache(partes: dict) -> dict[tuple[str, str], dict]:
    """Las filas de la parte cache por (factor, qué)."""
    return {(f["tamano"].split("×")[0], f["que"]): f for f in bm.filas(partes)
            if f["parte"] == "cache"}


def test_filas_de_la_cache_y_sus_objetivos():
    datos = _cache_falsa()
    filas = _filas_cache({"cache": {"factores": datos}})
    una_celda = [q for _, q in filas if q.startswith("Otra corrida después de cambiar")]
    sin_cambios = [q for _, q in filas if q.startswith("Otra corrida sin cambios")]
    tablas = [q for _, q in filas if q.startswith("Tablas")]
    assert len(set(una_celda)) == len(set(sin_cambios)) == len(set(tablas)) == 1
    for factor, cumple in (("1", True), ("10", False)):
        por_celda = [c["segundos"] for c in datos[factor]["una_celda"]]
        completa = datos[factor]["completa"]["segundos"]
        fila = filas[(factor, una_celda[0])]
        assert fila["cumple"] is cumple
        assert fila["segundos"] == statistics.median(por_celda)
        razon = bm.formatear(fila["segundos"] / completa, 2)
        assert fila["tiempo"] == f"{bm.formatear(fila['segundos'])} s ({razon} × la completa)"
        assert fila["objetivo"].startswith(
            f"≤ 1/{round(1 / benchmark_cache.OBJETIVO_UNA_CELDA)} de la corrida completa")
        cada_una = filas[(factor, "… cada una, en el orden en que se cambiaron")]
        assert cada_una["tiempo"] == " / ".join(bm.formatear(s) for s in por_celda) + " s"
        assert filas[(factor, sin_cambios[0])]["cumple"] is cumple
        assert filas[(factor, tablas[0])]["cumple"] is cumple
    assert "lo generó de nuevo" in filas[("10", sin_cambios[0])]["tiempo"]
    assert filas[("1", tablas[0])]["tiempo"] == "sí"
    assert "unidades.csv" in filas[("10", tablas[0])]["tiempo"]


def test_la_fila_de_la_pagina_pide_el_tiempo_y_el_servidor():
    """La corrección pedida desde la página cumple con la mediana bajo el objetivo de la
    terminal y el servidor en las cinco; dice la mediana de la terminal al lado."""
    datos = _cache_falsa()
    filas = _filas_cache({"cache": {"factores": datos}})
    pagina = [q for _, q in filas if q.startswith("La misma corrección pedida desde la página")]
    assert len(pagina) == 2 and pagina[0].endswith(f"en {benchmark_cache.CELDAS} de "
                                                  f"{benchmark_cache.CELDAS})")
    assert pagina[1].endswith(f"en 0 de {benchmark_cache.CELDAS})")
    chico, grande = filas[("1", pagina[0])], filas[("10", pagina[1])]
    assert (chico["cumple"], grande["cumple"]) == (True, False)
    terminal = statistics.median(c["segundos"] for c in datos["1"]["una_celda"])
    assert chico["tiempo"].endswith(f"; en la terminal, {bm.formatear(terminal)} s")
    # Rápida pero sin el servidor en alguna: no cumple.
    datos["1"]["una_celda_pagina"][0]["servidor"] = False
    fila = next(f for f in benchmark_cache.filas({"factores": {"1": datos["1"]}})
                if f["que"].startswith("La misma corrección pedida desde la página"))
    assert fila["cumple"] is False


def test_la_corrida_sin_cambios_lenta_no_cumple_aunque_quede_al_dia():
    datos = _cache_falsa()
    datos["1"]["sin_cambios"]["segundos"] = benchmark_cache.OBJETIVO_SIN_CAMBIOS_S * 2
    fila = next(f for f in benchmark_cache.filas({"factores": {"1": datos["1"]}})
                if f["que"].startswith("Otra corrida sin cambios"))
    assert fila["cumple"] is False
    assert fila["tiempo"] == f"{bm.formatear(benchmark_cache.OBJETIVO_SIN_CAMBIOS_S * 2)} s"


def test_la_cache_que_fallo_conserva_lo_medido_y_dice_por_que():
    """Lo medido antes del fallo queda en la tabla; la fila del error no cumple, y la de una
    celda con menos corridas que CELDAS tampoco."""
    datos = _cache_falsa()["1"]
    datos["una_celda"] = datos["una_celda"][:2]
    for clave in ("sin_cambios", "testigo", "tablas_distintas"):
        del datos[clave]
    datos["error"] = "después de cambiar la celda 3/5: falló (código 2): libro inválido"
    filas = benchmark_cache.filas({"factores": {"1": datos}})
    assert filas[-1]["tiempo"] == datos["error"] and filas[-1]["cumple"] is False
    una_celda = next(f for f in filas if f["que"].startswith("Otra corrida después"))
    assert f"de {benchmark_cache.CELDAS}" in una_celda["que"]
    assert una_celda["cumple"] is False
    assert not any(f["que"].startswith(("Otra corrida sin cambios", "Tablas")) for f in filas)


def test_la_cache_dice_como_se_midio():
    texto = bm.bloque_markdown({"cache": _partes_falsas()["cache"]})
    assert f"### {benchmark_cache.TITULO}" in texto
    assert f", {benchmark_cache.COMO}. Máquina:" in texto
    filas = _filas_de_tabla(texto)
    assert len(filas) == len(benchmark_cache.filas(_partes_falsas()["cache"]))
    assert all(len(f) == COLUMNAS for f in filas)


def test_repartidas():
    n = benchmark_cache.CELDAS
    assert benchmark_cache.repartidas(n - 2) == list(range(n - 2))
    for total in (n, n + 1, 10 * n + 3):
        posiciones = benchmark_cache.repartidas(total)
        assert len(set(posiciones)) == n
        assert posiciones == sorted(posiciones)
        assert posiciones[0] == 0 and posiciones[-1] == total - 1


def test_celdas_a_cambiar_y_cambiar_una(tmp_path):
    """Las celdas son de operaciones distintas, con cifras en los meses del trimestre, de la
    primera a la última de esas filas, los meses por turno; cambiar una suma 1 a esa celda y
    ninguna otra del libro cambia."""
    import openpyxl

    libro = fabrica.escribir_libro_pequeno(tmp_path / "poa.xlsx")
    copia = benchmark_cache.copia_del_libro(libro, tmp_path / "copia.xlsx")
    meses = meses_del_trimestre(fabrica.PARAMS_BASE["trimestre"])
    columnas = [f"ejec_{m:02d}" for m in meses]
    encabezado, *operaciones = fabrica.OPERACIONES
    con_cifras = [(k, fila[0]) for k, fila in enumerate(operaciones, start=2)
                  if all(isinstance(fila[encabezado.index(c)], int) for c in columnas)]
    assert len(con_cifras) < len(operaciones)  # el libro tiene una sin cifra en el trimestre

    celdas = benchmark_cache.celdas_a_cambiar(copia, meses)
    assert len(celdas) == benchmark_cache.CELDAS
    assert len({c.codigo_operacion for c in celdas}) == len(celdas)
    assert {(c.fila, c.codigo_operacion) for c in celdas} <= set(con_cifras)
    assert (celdas[0].fila, celdas[-1].fila) == (con_cifras[0][0], con_cifras[-1][0])
    assert [c.columna for c in celdas] == [columnas[k % len(columnas)]
                                           for k in range(len(celdas))]

    def valores(ruta: Path) -> dict:
        return {(hoja.title, c.coordinate): c.value
                for hoja in openpyxl.load_workbook(ruta).worksheets
                for fila in hoja.iter_rows() for c in fila}

    antes_del_cambio = valores(copia)
    celda = celdas[1]
    antes, despues = benchmark_cache.cambiar_celda(copia, celda)
    fila = operaciones[celda.fila - 2]
    assert antes == fila[encabezado.index(celda.columna)]
    assert despues == antes + 1
    cambiadas = {k for k, v in valores(copia).items() if antes_del_cambio.get(k) != v}
    columna = openpyxl.utils.get_column_letter(encabezado.index(celda.columna) + 1)
    assert cambiadas == {("operaciones", f"{columna}{celda.fila}")}
    assert cargar_datos(copia).operaciones.set_index("codigo_operacion").loc[
        celda.codigo_operacion, celda.columna] == despues


def test_tablas_distintas(tmp_path):
    una, otra = tmp_path / "una", tmp_path / "otra"
    for carpeta in (una, otra):
        (carpeta / "tablas").mkdir(parents=True)
        (carpeta / "tablas" / "igual.csv").write_bytes(b"a,b\n1,2\n")
        (carpeta / "manifiesto.json").write_text(carpeta.name)  # fuera de tablas/: no cuenta
    assert benchmark_cache.tablas_distintas(una, otra) == []
    (una / "tablas" / "cambia.csv").write_bytes(b"a\n1\n")
    (otra / "tablas" / "cambia.csv").write_bytes(b"a\n1.0\n")
    (otra / "tablas" / "sobra.csv").write_bytes(b"a\n")
    assert benchmark_cache.tablas_distintas(una, otra) == ["cambia.csv", "sobra.csv"]
