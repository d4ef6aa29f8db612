"""Un libro o un CSV cortado (issue 53): el mensaje dice que está cortado, en castellano y
sin traza, en la lectura, en `validar` y en los informes (los casos del corpus:
tests/corpus_entradas.py, `_casos_cortados`); un CSV escrito a mano sin el último fin de
línea se sigue leyendo."""
from __future__ import annotations

import fabrica
import pytest

from helpers.cli import ERROR_DE_ENTRADA, EXITO, main
from helpers.entrada.datos import cargar_datos
from helpers.entrada.lectura import CSV_CORTADO, LIBRO_CORTADO, leer_hojas


@pytest.fixture(scope="module")
def libro_entero(tmp_path_factory) -> bytes:
    return fabrica.escribir_libro_pequeno(tmp_path_factory.mktemp("entero")).read_bytes()


@pytest.mark.parametrize("fraccion", [0.001, 0.1, 0.33, 0.5, 0.75, 0.99, 0.9999])
def test_el_libro_cortado_en_cualquier_punto_se_dice_cortado(tmp_path, libro_entero,
                                                              fraccion):
    libro = tmp_path / "poa.xlsx"
    libro.write_bytes(libro_entero[:max(4, int(len(libro_entero) * fraccion))])
    problemas: list = []
    assert leer_hojas(libro, problemas, []) == {}
    assert [p.mensaje for p in problemas] == [LIBRO_CORTADO]
    assert problemas[0].archivo == "poa.xlsx"


def test_un_libro_entero_no_esta_cortado(tmp_path, libro_entero):
    libro = tmp_path / "poa.xlsx"
    libro.write_bytes(libro_entero)
    problemas: list = []
    assert leer_hojas(libro, problemas, [])
    assert problemas == []


def test_validar_un_libro_cortado(tmp_path, libro_entero, capsys):
    libro = tmp_path / "poa.xlsx"
    libro.write_bytes(libro_entero[:len(libro_entero) // 2])
    assert main(["validar", str(libro)]) == ERROR_DE_ENTRADA
    salida = capsys.readouterr()
    assert "el archivo está cortado" in salida.out
    assert "BadZipFile" not in salida.out + salida.err
    assert "Traceback" not in salida.out + salida.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poa.xlsx"]  # sin copia revisada


def test_validar_una_carpeta_con_un_csv_cortado(carpeta_csv_pequena, capsys):
    ruta = carpeta_csv_pequena / "presupuesto.csv"
    texto = ruta.read_text(encoding="utf-8")
    ruta.write_text(texto[:texto.index("\n", len(texto) // 2) + 3], encoding="utf-8")
    assert main(["validar", str(carpeta_csv_pequena)]) == ERROR_DE_ENTRADA
    salida = capsys.readouterr().out
    assert CSV_CORTADO in salida
    assert "Hoja presupuesto (archivo presupuesto.csv)" in salida


def test_un_csv_sin_el_ultimo_fin_de_linea_se_lee(carpeta_csv_pequena, capsys):
    """Así queda un CSV escrito a mano: la última fila entera, sin fin de línea."""
    ruta = carpeta_csv_pequena / "operaciones.csv"
    ruta.write_text(ruta.read_text(encoding="utf-8").rstrip("\r\n"), encoding="utf-8")
    datos = cargar_datos(carpeta_csv_pequena)
    assert len(datos.operaciones) == len(fabrica.TABLAS["operaciones"]) - 1
    assert main(["validar", str(carpeta_csv_pequena), "--silencioso"]) == EXITO


def test_un_csv_con_un_texto_entre_comillas_al_final_se_lee(carpeta_csv_pequena):
    """La comilla que cierra el último texto, sin fin de línea: el CSV está entero."""
    ruta = carpeta_csv_pequena / "narrativa.csv"
    lineas = ruta.read_text(encoding="utf-8").rstrip("\r\n").split("\r\n")
    campos = lineas[-1].split(",")
    campos[-2] = f'"{campos[-2]}, con una coma"'
    ruta.write_text("\r\n".join([*lineas[:-1], ",".join(campos)]), encoding="utf-8")
    datos = cargar_datos(carpeta_csv_pequena)
    assert datos.narrativa["texto"].iloc[-1].endswith(", con una coma")
