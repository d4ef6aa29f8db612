"""La columna opcional departamento de las hojas areas y unidades (contrato de datos).

Se escribe el código ISO 3166-2:BO del departamento o su nombre, con cualquier mayúscula y
con tildes o sin ellas; el libro leído guarda el código. Cualquier otro valor es un error
que nombra archivo, hoja, fila, columna y los nueve códigos. La plantilla ofrece los códigos
en una lista que sólo advierte (el nombre también vale).
"""
from __future__ import annotations

import unicodedata

import fabrica
import openpyxl
import pytest

from helpers.entrada.contrato import CONTRATO, DEPARTAMENTOS
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.fila_de_ejemplo import ejemplos
from helpers.entrada.plantilla import escribir_plantilla

# Los nueve departamentos según la norma ISO 3166-2:BO, escritos aquí para no probar el
# contrato con él mismo.
ISO_3166_2_BO = {
    "BO-B": "Beni", "BO-H": "Chuquisaca", "BO-C": "Cochabamba", "BO-L": "La Paz",
    "BO-O": "Oruro", "BO-N": "Pando", "BO-P": "Potosí", "BO-S": "Santa Cruz",
    "BO-T": "Tarija",
}


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto)
                   if not unicodedata.combining(c))


def _con_departamento(hoja: str, por_fila: dict[int, str | None]) -> dict[str, list[list]]:
    """Las tablas de la fábrica con la columna departamento en `hoja`, con los valores de
    `por_fila` (posición de la fila de datos, desde 1) y vacía en las demás."""
    tablas = fabrica.tablas_pequenas()
    for i, fila in enumerate(tablas[hoja]):
        fila.append("departamento" if i == 0 else por_fila.get(i))
    return tablas


def _leer(tmp_path, tablas, en_csv: bool):
    if en_csv:
        return cargar_datos(fabrica.escribir_csv(tmp_path / "csv", tablas))
    return cargar_datos(fabrica.escribir_libro(tmp_path / fabrica.NOMBRE_LIBRO, tablas))


def test_los_nueve_departamentos_son_los_de_la_norma():
    assert DEPARTAMENTOS == ISO_3166_2_BO
    nombres = [c.nombre for c in CONTRATO["areas"]] + [c.nombre for c in CONTRATO["unidades"]]
    assert nombres.count("departamento") == 2
    assert not any(c.obligatoria for hoja in ("areas", "unidades") for c in CONTRATO[hoja]
                   if c.nombre == "departamento")


def _formas(codigo: str, nombre: str) -> list[str]:
    """Las formas admitidas de un departamento: el código y el nombre en mayúsculas, en
    minúsculas y sin tildes, con espacios alrededor."""
    return [codigo, codigo.lower(), f" {codigo.lower()} ", nombre, nombre.upper(),
            _sin_tildes(nombre).lower()]


@pytest.mark.parametrize("en_csv", [False, True], ids=["libro", "csv"])
def test_el_codigo_o_el_nombre_se_guardan_como_codigo(tmp_path, en_csv):
    # Cada forma en la única fila de areas, una lectura por departamento y forma sería
    # lenta: se leen todas las formas en la hoja unidades, que tiene varias filas, de a
    # tantas como filas.
    formas = [(codigo, forma) for codigo, nombre in ISO_3166_2_BO.items()
              for forma in _formas(codigo, nombre)] + [("BO-B", "El Beni")]
    n_filas = len(fabrica.TABLAS["unidades"]) - 1
    for inicio in range(0, len(formas), n_filas):
        tanda = formas[inicio:inicio + n_filas]
        tablas = _con_departamento("unidades", {i: forma for i, (_, forma)
                                                in enumerate(tanda, start=1)})
        datos = _leer(tmp_path / str(inicio), tablas, en_csv)
        leidos = list(datos.unidades["departamento"])[:len(tanda)]
        assert leidos == [codigo for codigo, _ in tanda]


def test_el_area_guarda_el_codigo_y_una_celda_vacia_queda_vacia(tmp_path):
    tablas = _con_departamento("areas", {1: "santa cruz"})
    datos = _leer(tmp_path, tablas, en_csv=False)
    assert list(datos.areas["departamento"]) == ["BO-S"]
    # unidades sin la columna: vacía en todas.
    assert set(datos.unidades["departamento"]) == {""}


@pytest.mark.parametrize("en_csv", [False, True], ids=["libro", "csv"])
@pytest.mark.parametrize("hoja, valor", [("areas", "BO-X"), ("unidades", "Lima"),
                                         ("unidades", "LP")])
def test_un_valor_que_no_es_un_departamento_se_rechaza(tmp_path, hoja, valor, en_csv):
    fila = len(fabrica.TABLAS[hoja]) - 1  # la última fila de datos
    tablas = _con_departamento(hoja, {fila: valor})
    with pytest.raises(ErrorDeEntrada) as error:
        _leer(tmp_path, tablas, en_csv)
    (problema,) = error.value.problemas
    archivo = f"{hoja}.csv" if en_csv else fabrica.NOMBRE_LIBRO
    # La fila de la hoja de cálculo: la 1 es la de los encabezados.
    assert (problema.archivo, problema.hoja, problema.fila, problema.columna) == (
        archivo, hoja, fila + 1, "departamento")
    assert f"'{valor}' no es un departamento de Bolivia" in problema.mensaje
    for codigo, nombre in ISO_3166_2_BO.items():
        assert f"{codigo} {nombre}" in problema.mensaje
    assert "deje la celda vacía" in problema.mensaje


def test_la_plantilla_ofrece_los_codigos_y_solo_advierte(tmp_path):
    ruta = tmp_path / "plantilla.xlsx"
    escribir_plantilla(ruta, gestion=2025)
    libro = openpyxl.load_workbook(ruta)
    for hoja in ("areas", "unidades"):
        ws = libro[hoja]
        encabezados = [c.value for c in ws[1]]
        letra = openpyxl.utils.get_column_letter(encabezados.index("departamento") + 1)
        (validacion,) = [dv for dv in ws.data_validations.dataValidation
                         if str(dv.sqref).startswith(f"{letra}2:")]
        assert validacion.type == "list"
        assert validacion.errorStyle == "warning"
        assert validacion.formula1.strip('"').split(",") == list(ISO_3166_2_BO)
        assert "nombre" in validacion.prompt
    # El libro de la plantilla, con su fila de ejemplo, se lee: el ejemplo es válido.
    datos = cargar_datos(ruta, plantilla_admitida=True)
    assert list(datos.areas["departamento"]) == [ejemplos(2025)["areas"]["departamento"]]
    assert list(datos.areas["departamento"])[0] in ISO_3166_2_BO
