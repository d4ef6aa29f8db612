"""Las reglas que cruzan filas y hojas (helpers.entrada.coherencia), una por una, sobre una hoja
de reformulaciones mínima que encadena bien con su hoja de operaciones: cada prueba rompe una
regla y espera el problema en la celda que la rompe."""
from __future__ import annotations

import pytest

from helpers.entrada.coherencia import validar_historia_presupuesto, validar_reformulaciones
from helpers.entrada.contrato import COLUMNAS_CONTRATO
from helpers.entrada.conversion import Hoja, convertir
from helpers.entrada.lectura import HojaCruda

PRIMERA_FILA = 2  # la fila 1 es la de los encabezados
META_HOY, TAREAS_HOY, MES = 2, 3, 3


def _hoja(nombre: str, filas: list[dict]) -> Hoja:
    columnas = COLUMNAS_CONTRATO[nombre]
    cruda = HojaCruda(nombre, f"{nombre}.csv", list(columnas),
                      [(PRIMERA_FILA + i, tuple(f.get(c) for c in columnas))
                       for i, f in enumerate(filas)])
    problemas = []
    hoja = convertir(cruda, problemas)
    assert problemas == []
    return hoja


def _operaciones() -> Hoja:
    return _hoja("operaciones", [{
        "codigo_operacion": "OP1", "codigo_acp": "1", "codigo_unidad": "U1",
        "descripcion": "Operación uno", "tareas": TAREAS_HOY, f"prog_{MES:02d}": META_HOY}])


def _cambios() -> list[dict]:
    """Dos cambios de la meta de un mes y uno de las tareas, que terminan en los valores de
    hoy de la hoja operaciones."""
    comun = {"codigo_operacion": "OP1"}
    return [
        {**comun, "numero": 1, "resolucion": "R1", "fecha": "2024-02-01",
         "cambio": "programacion", "mes": MES, "anterior": 0, "nuevo": META_HOY - 1},
        {**comun, "numero": 2, "resolucion": "R2", "fecha": "2024-05-01",
         "cambio": "programacion", "mes": MES, "anterior": META_HOY - 1, "nuevo": META_HOY},
        {**comun, "numero": 2, "resolucion": "R2", "fecha": "2024-05-01",
         "cambio": "tareas", "anterior": TAREAS_HOY - 1, "nuevo": TAREAS_HOY},
    ]


def _problemas(cambios: list[dict]) -> list[tuple[int, str, str]]:
    problemas = []
    validar_reformulaciones(_hoja("reformulaciones", cambios), _operaciones(), problemas)
    return [(p.fila, p.columna, p.mensaje) for p in problemas]


def test_cambios_que_encadenan_no_tienen_problemas():
    assert _problemas(_cambios()) == []


@pytest.mark.parametrize("columna", ["mes", "anterior", "nuevo"])
def test_un_cambio_de_programacion_pide_mes_anterior_y_nuevo(columna):
    cambios = _cambios()
    del cambios[0][columna]
    assert _problemas(cambios) == [(PRIMERA_FILA, columna, "la celda está vacía: un cambio de "
                                    "programacion necesita mes, anterior, nuevo")]


def test_las_tareas_son_un_entero_desde_1():
    cambios = _cambios()
    cambios[2]["anterior"] = 0.5
    ((fila, columna, mensaje),) = _problemas(cambios)
    assert (fila, columna) == (PRIMERA_FILA + 2, "anterior")
    assert "tareas debe ser un número entero mayor o igual a 1" in mensaje


def test_una_reformulacion_es_una_resolucion_con_una_fecha():
    cambios = _cambios()
    cambios[2]["resolucion"] = "otra"
    ((fila, columna, mensaje),) = _problemas(cambios)
    assert (fila, columna) == (PRIMERA_FILA + 2, "resolucion")
    assert f"ya tiene resolucion '{cambios[1]['resolucion']}' (fila {PRIMERA_FILA + 1})" in mensaje


def test_una_operacion_entra_y_sale_una_vez_y_no_sale_antes_de_entrar():
    alta = {"numero": 1, "resolucion": "R1", "fecha": "2024-02-01", "codigo_operacion": "OP9",
            "cambio": "alta"}
    baja = alta | {"numero": 0, "resolucion": "R0", "fecha": "2024-01-15", "cambio": "baja"}
    cambios = [*_cambios(), alta, alta | {"numero": 3, "resolucion": "R3", "fecha": "2024-06-01"},
               baja]
    fila_alta = PRIMERA_FILA + len(_cambios())
    assert _problemas(cambios) == [
        (fila_alta + 1, "cambio", f"la operación 'OP9' ya tiene un cambio alta en la fila "
                                  f"{fila_alta}"),
        (fila_alta + 2, "fecha", f"la operación 'OP9' se da de baja antes de su alta (fila "
                                 f"{fila_alta})"),
    ]


def test_cada_cambio_parte_del_anterior_y_el_ultimo_deja_el_valor_de_hoy():
    cambios = _cambios()
    cambios[1]["anterior"] = META_HOY + 5
    cambios[2]["nuevo"] = TAREAS_HOY + 1
    problemas = _problemas(cambios)
    assert [(fila, columna) for fila, columna, _ in problemas] == [
        (PRIMERA_FILA + 1, "anterior"), (PRIMERA_FILA + 2, "nuevo")]
    assert f"(fila {PRIMERA_FILA}: {META_HOY - 1})" in problemas[0][2]
    assert f"en la hoja operaciones (fila {PRIMERA_FILA}: {TAREAS_HOY})" in problemas[1][2]


def test_la_historia_del_presupuesto_pide_inicial_y_termina_en_vigente():
    vigente, inicial = 100.0, 80.0
    linea = {"categoria_programatica": "C1", "programa": "P", "codigo_unidad": "U1",
             "codigo_acp": "1", "vig_04": vigente, "vigente": vigente}
    sin_problemas = []
    validar_historia_presupuesto(_hoja("presupuesto", [linea | {"inicial": inicial}]),
                                 sin_problemas)
    assert sin_problemas == []
    problemas = []
    validar_historia_presupuesto(_hoja("presupuesto", [linea | {"vigente": vigente + 1}]),
                                 problemas)
    assert [(p.fila, p.columna) for p in problemas] == [
        (PRIMERA_FILA, "inicial"), (PRIMERA_FILA, "vigente")]
