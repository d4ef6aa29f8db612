"""El corpus de entradas inválidas (tests/corpus_entradas.py) contra el ejecutor.

Cada caso rechazado se pasa a `helpers.informe.main` en el mismo proceso: debe devolver su
código de salida, decir en stderr cada fragmento esperado con su ubicación, no mostrar
ninguna traza y no cambiar nada en la carpeta del caso (ni crear la carpeta de salida).
Los casos aceptados se leen con `cargar_parametros` y `cargar_datos` (el informe completo
tardaría minutos). Unos pocos casos se corren además como proceso aparte, como los corre
una persona.
"""
from __future__ import annotations

import csv
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import corpus_entradas as corpus
import pytest
from corpus_entradas import CASOS, CLASES, Caso

import helpers.ejecucion
import helpers.preparacion
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.informe import correr, main

RAIZ = Path(__file__).resolve().parents[1]
DOCS = RAIZ / "docs" / "entradas.md"

RECHAZADOS = [caso for caso in CASOS if caso.salida != 0]
ACEPTADOS = [caso for caso in CASOS if caso.salida == 0]
POR_ID = {caso.id: caso for caso in CASOS}

# Los que se corren además como proceso aparte (cada uno cuesta segundos de importaciones):
# un libro que no es un libro, un problema de los parámetros y las etiquetas de Python del
# YAML, que crearían la carpeta de salida si se ejecutaran.
EN_PROCESO_APARTE = [
    "bytes_al_azar_xlsx",
    "gestion_texto",
    "yaml_python_apply",
]


def _foto(carpeta: Path) -> dict[str, str]:
    """Cada archivo y carpeta bajo `carpeta` con la huella de su contenido. Se omite el
    cerrojo que el ejecutor deja junto a la carpeta de salida."""
    return {
        p.relative_to(carpeta).as_posix(): (
            "carpeta" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
        )
        for p in sorted(carpeta.rglob("*"))
        if not p.name.endswith(".cerrojo")
    }


def _comprobar_mensaje(caso: Caso, stderr: str) -> None:
    for fragmento in caso.fragmentos:
        assert fragmento.casefold() in stderr.casefold(), (
            f"{caso.id}: falta «{fragmento}» en:\n{stderr}")
    for ubicacion in caso.ubicaciones:
        assert ubicacion.texto() in stderr, (
            f"{caso.id}: falta la ubicación «{ubicacion.texto()}» en:\n{stderr}")


@pytest.fixture
def sin_calculo(monkeypatch):
    """Ningún caso rechazado llega al cálculo: si uno llegara (la entrada pasó por válida),
    la prueba falla enseguida en lugar de generar el informe completo."""

    def no_calcular(*args, **kwargs):
        raise AssertionError("la entrada pasó la validación y llegó al cálculo del informe")

    monkeypatch.setattr(helpers.preparacion, "preparar", no_calcular)
    # Ni el kernel que el ejecutor arranca mientras valida (`Procesos.anticipar`): con un libro
    # rechazado sólo se cierra, y eso lo prueba test_informe.py
    # (`test_datos_malos_no_dejan_vivo_el_kernel_que_arranco_antes`); aquí serían 300 kernels
    # arrancados y cerrados, la mitad del tiempo de este archivo.
    monkeypatch.setattr(helpers.ejecucion.Procesos, "anticipar", lambda *args: None)


@pytest.mark.parametrize("caso", RECHAZADOS, ids=lambda caso: caso.id)
def test_entrada_rechazada(caso: Caso, tmp_path, capsys, sin_calculo):
    _rechazada(caso, tmp_path, capsys, lambda params: main([str(params)]))


@pytest.mark.parametrize("caso", RECHAZADOS, ids=lambda caso: caso.id)
def test_entrada_rechazada_igual_con_la_cache(caso: Caso, tmp_path, capsys, sin_calculo):
    """Con la caché (lo que usa `informe-poa trimestral` sin `--sin-cache`), el mismo código
    y el mismo mensaje: un libro que falta sale con 2 y lo nombra, no con 1 y «No se pudo
    leer o escribir»."""
    _rechazada(caso, tmp_path, capsys, lambda params: correr(params, cache=True)[0])


def _rechazada(caso: Caso, tmp_path, capsys, ejecutar) -> None:
    params = caso.escribir(tmp_path)
    antes = _foto(tmp_path)
    try:
        codigo = ejecutar(params)
    except BaseException as error:  # noqa: BLE001 - también SystemExit
        pytest.fail(f"{caso.id}: el ejecutor lanzó {type(error).__name__}: {error}")
    salida = capsys.readouterr()
    assert "Traceback" not in salida.out + salida.err
    assert codigo == caso.salida, f"{caso.id}: salida {codigo}\n{salida.err}"
    _comprobar_mensaje(caso, salida.err)
    assert _foto(tmp_path) == antes, f"{caso.id}: cambió algo en la carpeta del caso"
    if corpus.CARPETA_SALIDA not in antes:
        assert not (tmp_path / corpus.CARPETA_SALIDA).exists()


def test_el_tope_del_campo_csv_no_depende_de_lo_importado(tmp_path, capsys, sin_calculo):
    """`csv.field_size_limit` es global: frictionless lo sube al importarse. El campo
    demasiado largo se rechaza igual, con su fila y su columna."""
    anterior = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        caso = POR_ID["csv_campo_demasiado_largo"]
        params = caso.escribir(tmp_path)
        assert main([str(params)]) == caso.salida
    finally:
        csv.field_size_limit(anterior)
    stderr = capsys.readouterr().err
    assert "narrativa.csv, hoja narrativa, fila 2, columna texto:" in stderr, stderr
    assert "el CSV está mal formado" in stderr


@pytest.mark.parametrize("caso", ACEPTADOS, ids=lambda caso: caso.id)
def test_entrada_aceptada(caso: Caso, tmp_path):
    params = caso.escribir(tmp_path)
    parametros = cargar_parametros(params)
    datos = cargar_datos(parametros.ruta_datos)
    caso.verificar(parametros, datos)


@pytest.mark.parametrize("id_caso", EN_PROCESO_APARTE)
def test_proceso_aparte_sin_traza(id_caso: str, tmp_path):
    caso = POR_ID[id_caso]
    params = caso.escribir(tmp_path)
    antes = _foto(tmp_path)
    resultado = subprocess.run(
        [sys.executable, "-m", "helpers.informe", str(params)],
        cwd=RAIZ, capture_output=True, text=True, timeout=300, check=False,
    )
    assert "Traceback" not in resultado.stdout + resultado.stderr, resultado.stderr
    assert resultado.returncode == caso.salida, resultado.stderr
    _comprobar_mensaje(caso, resultado.stderr)
    assert _foto(tmp_path) == antes


# --------------------------------------------------------------------------------------
# El corpus mismo y su tabla en docs/entradas.md


def test_corpus_suficiente_y_sin_ids_repetidos():
    assert len(CASOS) >= 60
    ids = [caso.id for caso in CASOS]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids), "los ids son nombres de carpeta"
    assert set(EN_PROCESO_APARTE) <= set(ids)
    assert {caso.salida for caso in CASOS} <= {0, 1, 2}


def test_cada_clase_tiene_casos_y_cada_caso_una_clase():
    usadas = {caso.clase for caso in CASOS}
    assert usadas == set(CLASES), set(CLASES) ^ usadas


def test_la_documentacion_tiene_la_tabla_de_clases():
    texto = DOCS.read_text(encoding="utf-8")
    tabla = corpus.tabla_de_clases()
    assert tabla in texto, (
        "docs/entradas.md no tiene la tabla al día: reemplácela por la salida de "
        "`python tests/corpus_entradas.py --tabla`")
    for nombre, _ in CLASES.values():
        assert f"| {nombre} |" in texto


def test_el_programa_escribe_los_casos_y_la_tabla(tmp_path, capsys):
    assert corpus.main(["--tabla"]) == 0
    assert capsys.readouterr().out == corpus.tabla_de_clases()
    elegidos = [POR_ID["operacion_unidad_inexistente"], POR_ID["csv_latin1"],
                POR_ID["yaml_clave_repetida"]]
    hechos = corpus.escribir_casos(tmp_path, elegidos)
    for caso, params in hechos:
        assert params == tmp_path / caso.id / "params" / corpus.NOMBRE_PARAMS
        assert params.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(c.id for c in elegidos)
