"""Los marcos de objetivos y los vínculos (hojas marcos y vinculos, y la hoja articulacion
leída como vínculos al PDES y al PEI): lo que se lee de un libro bueno, y cada regla que
cruza sus filas, rota una por una sobre el libro pequeño de las pruebas, con el problema en
la celda que la rompe."""
from __future__ import annotations

import fabrica
import pytest

from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.marcos import MARCO_PDES, MARCO_PEI, codigo_y_nombre, objetivos_y_vinculos

ENCABEZADO_MARCOS = ["marco", "codigo", "nivel", "nombre", "codigo_padre", "indicador",
                     "linea_base", "meta", "valor_alcanzado", "fuente"]
ENCABEZADO_VINCULOS = ["marco", "codigo", "codigo_acp", "codigo_operacion", "peso"]


def _tablas(marcos: list[list] | None = None, vinculos: list[list] | None = None) -> dict:
    """El libro pequeño con una meta de los ODS bajo su objetivo, y dos vínculos: una ACP
    con peso 2 y una operación."""
    tablas = fabrica.tablas_pequenas()
    tablas["marcos"] = [ENCABEZADO_MARCOS, *(marcos if marcos is not None else [
        ["ODS", "16", "objetivo", "Paz, justicia e instituciones sólidas", None, None, None,
         None, None, None],
        ["ODS", "16.9", "meta", "Identidad jurídica para todos", "16", "Población con cédula",
         88, 97, -1.5, "Padrón"],
    ])]
    tablas["vinculos"] = [ENCABEZADO_VINCULOS, *(vinculos if vinculos is not None else [
        ["ODS", "16.9", 1, None, 2],
        ["ODS", "16.9", None, "OP-02", None],
    ])]
    return tablas


def _cargar(tablas: dict, tmp_path):
    return cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))


def _problemas(tablas: dict, tmp_path) -> list[tuple]:
    with pytest.raises(ErrorDeEntrada) as error:
        _cargar(tablas, tmp_path)
    return [(p.hoja, p.fila, p.columna, p.mensaje) for p in error.value.problemas]


@pytest.mark.parametrize(("texto", "codigo", "nombre"), [
    ("Eje 10: Integración y relaciones internacionales", "10",
     "Integración y relaciones internacionales"),
    ("Meta 10.1 - Presencia en los foros", "10.1", "Presencia en los foros"),
    ("10.1.1 Posiciones defendidas", "10.1.1", "Posiciones defendidas"),
    ("Eje 10", "10", "Eje 10"),
    ("Diplomacia activa", "Diplomacia activa", "Diplomacia activa"),
])
def test_el_codigo_de_un_objetivo_escrito_en_la_articulacion(texto, codigo, nombre):
    assert codigo_y_nombre(texto) == (codigo, nombre)


def test_un_libro_con_marcos_vinculos_y_articulacion(tmp_path):
    datos = _cargar(_tablas(), tmp_path)
    objetivos, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    claves = list(zip(objetivos["marco"], objetivos["codigo"], objetivos["codigo_padre"]))
    # Los de la hoja marcos primero; los del PDES (eje → meta → resultado) y del PEI, de la
    # hoja articulacion, una vez cada uno.
    assert claves == [
        ("ODS", "16", ""), ("ODS", "16.9", "16"),
        (MARCO_PDES, "10", ""), (MARCO_PDES, "10.1", "10"), (MARCO_PDES, "10.1.1", "10.1"),
        (MARCO_PEI, "AMP-1.1", ""),
        (MARCO_PDES, "10.2", "10"), (MARCO_PDES, "10.2.3", "10.2"), (MARCO_PEI, "AMP-2.3", ""),
    ]
    assert datos.marcos["valor_alcanzado"].tolist()[1] == -1.5  # un indicador puede bajar
    assert list(zip(vinculos["marco"], vinculos["codigo"], vinculos["codigo_acp"],
                    vinculos["codigo_operacion"], vinculos["peso"])) == [
        ("ODS", "16.9", "1", "", 2.0), ("ODS", "16.9", "", "OP-02", 1.0),
        (MARCO_PDES, "10.1.1", "1", "", 1.0), (MARCO_PEI, "AMP-1.1", "1", "", 1.0),
        (MARCO_PDES, "10.2.3", "2", "", 1.0), (MARCO_PEI, "AMP-2.3", "2", "", 1.0),
    ]


def test_un_libro_sin_marcos_ni_vinculos_lee_la_articulacion(tmp_path):
    datos = _cargar(fabrica.tablas_pequenas(), tmp_path)
    assert datos.marcos.empty and datos.vinculos.empty
    objetivos, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    assert set(objetivos["marco"]) == {MARCO_PDES, MARCO_PEI}
    assert len(vinculos) == 4


def test_un_codigo_que_no_esta_en_su_marco(tmp_path):
    problemas = _problemas(_tablas(vinculos=[["ODS", "16.10", 1, None, None]]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [("vinculos", 2, "codigo")]
    assert "'16.10' no es un objetivo del marco 'ODS'" in problemas[0][3]


def test_un_marco_que_no_existe(tmp_path):
    problemas = _problemas(_tablas(vinculos=[["ODM", "16.9", 1, None, None]]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [("vinculos", 2, "marco")]
    assert "ODS, PDES, PEI" in problemas[0][3]


def test_un_objetivo_que_depende_de_si_mismo(tmp_path):
    marcos = [["ODS", "16", "objetivo", "Paz", "16.9", *[None] * 5],
              ["ODS", "16.9", "meta", "Identidad", "16", *[None] * 5]]
    problemas = _problemas(_tablas(marcos=marcos), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [
        ("marcos", 2, "codigo_padre"), ("marcos", 3, "codigo_padre")]
    assert "16 → 16.9 → 16" in problemas[0][3]


def test_un_padre_que_no_esta_en_el_marco(tmp_path):
    marcos = [["ODS", "16.9", "meta", "Identidad", "17", *[None] * 5]]
    problemas = _problemas(_tablas(marcos=marcos), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [("marcos", 2, "codigo_padre")]


def test_un_vinculo_a_una_acp_o_una_operacion_que_no_existen(tmp_path):
    problemas = _problemas(_tablas(vinculos=[["ODS", "16.9", 9, None, None],
                                             ["ODS", "16.9", None, "OP-99", None]]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [
        ("vinculos", 2, "codigo_acp"), ("vinculos", 3, "codigo_operacion")]


def test_un_vinculo_sin_acp_ni_operacion_o_con_las_dos_o_sin_peso(tmp_path):
    problemas = _problemas(_tablas(vinculos=[["ODS", "16.9", None, None, None],
                                             ["ODS", "16.9", 1, "OP-02", None],
                                             ["ODS", "16.9", 1, None, 0]]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [
        ("vinculos", 2, "codigo_acp"), ("vinculos", 3, "codigo_acp"), ("vinculos", 4, "peso")]
    assert "no los dos" in problemas[1][3]


def test_el_mismo_codigo_con_dos_nombres_en_marcos_y_en_la_articulacion(tmp_path):
    marcos = [["ODS", "16", "objetivo", "Paz", None, *[None] * 5],
              ["ODS", "16", "objetivo", "Paz y justicia", None, *[None] * 5],
              ["PDES", "10", "eje", "Integración", None, *[None] * 5]]
    problemas = _problemas(_tablas(marcos=marcos, vinculos=[]), tmp_path)
    # En articulacion, cada celda del eje que lo nombra con otro texto; en marcos, la
    # segunda fila (los problemas van en el orden de las hojas del contrato).
    assert [(h, f, c) for h, f, c, _ in problemas] == [
        ("articulacion", 2, "eje_pdes"), ("articulacion", 3, "eje_pdes"),
        ("marcos", 3, "nombre")]
    assert "ya tiene el nombre 'Paz' (marcos, fila 2)" in problemas[2][3]


def test_una_cadena_larga_que_se_cierra_se_nombra_en_cada_fila(tmp_path):
    """Un libro hostil: miles de objetivos en cadena, el último padre del primero. Cada uno
    se recorre una vez (ver `marcos._ciclos`), y cada fila del ciclo dice el suyo."""
    largo = 2000
    marcos = [["ODS", f"m{n}", "meta", f"Meta {n}", f"m{(n + 1) % largo}", *[None] * 5]
              for n in range(largo)]
    problemas = _problemas(_tablas(marcos=marcos, vinculos=[]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [
        ("marcos", 2 + n, "codigo_padre") for n in range(largo)]
    assert problemas[1][3].startswith("el objetivo 'm1' termina dependiendo de sí mismo (m1 → m2")


def test_el_mismo_codigo_con_otro_padre(tmp_path):
    marcos = [["ODS", "16", "objetivo", "Paz", None, *[None] * 5],
              ["ODS", "17", "objetivo", "Alianzas", None, *[None] * 5],
              ["ODS", "16.9", "meta", "Identidad", "16", *[None] * 5],
              ["ODS", "16.9", "meta", "Identidad", "17", *[None] * 5]]
    problemas = _problemas(_tablas(marcos=marcos, vinculos=[]), tmp_path)
    assert [(h, f, c) for h, f, c, _ in problemas] == [("marcos", 5, "codigo_padre")]
    assert "ya tiene el codigo_padre '16'" in problemas[0][3]
