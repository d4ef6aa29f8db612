"""La conversión de una hoja leída a su tabla (helpers.entrada.conversion), paso por paso, sobre
hojas mínimas armadas aquí: encabezados, columnas que faltan, cada tipo de columna y la tabla
final. Lo que se espera sale del contrato y de las filas de cada prueba."""
from __future__ import annotations

import math

from openpyxl.utils import get_column_letter

from helpers.entrada.celdas import FormulaSinValor
from helpers.entrada.contrato import (
    COLUMNAS_CONTRATO,
    COLUMNAS_PROG,
    CONTRATO,
    HOJAS_OBLIGATORIAS,
)
from helpers.entrada.conversion import convertir, convertir_hojas, tabla_final
from helpers.entrada.lectura import HojaCruda

PRIMERA_FILA = 2  # la fila 1 es la de los encabezados


def _cruda(nombre: str, encabezados: list, filas: list[dict], con_formulas: bool = False):
    """La hoja `nombre` como la daría el lector: una fila por dict (columna -> celda)."""
    return HojaCruda(
        nombre, f"{nombre}.csv", list(encabezados),
        [(PRIMERA_FILA + i, tuple(fila.get(c) for c in encabezados))
         for i, fila in enumerate(filas)],
        con_formulas,
    )


def _unidad(**cambios) -> dict:
    return {"codigo_unidad": "U1", "nombre": "Unidad uno", "area": "A1",
            "servicio": "Oficina Nacional", **cambios}


def _operacion(**cambios) -> dict:
    return {"codigo_operacion": "OP1", "codigo_acp": "1", "codigo_unidad": "U1",
            "descripcion": "Operación uno", **cambios}


def test_encabezados_sin_mayusculas_y_columnas_adicionales():
    columnas = COLUMNAS_CONTRATO["unidades"]
    encabezados = [c.upper() for c in columnas] + ["nota", "fila"]
    fila = {c.upper(): v for c, v in _unidad().items()}
    problemas = []
    hoja = convertir(_cruda("unidades", encabezados, [fila | {"nota": "algo"}]), problemas)
    assert problemas == []
    assert hoja.presentes == set(columnas)
    # Una columna adicional se conserva como texto; la llamada "fila" no.
    assert list(hoja.tabla.columns) == columnas + ["nota"]
    # El grupo de áreas queda como se escribió (lo unifica después `entrada.agrupacion`).
    assert hoja.tabla.at[PRIMERA_FILA, "servicio"] == "Oficina Nacional"
    assert hoja.tabla.at[PRIMERA_FILA, "nota"] == "algo"
    assert hoja.posiciones == {nombre: pos for pos, nombre in enumerate(
        columnas + ["nota", "fila"])}


def test_columna_repetida_se_usa_la_primera():
    columnas = COLUMNAS_CONTRATO["unidades"]
    repetida = columnas[1]
    encabezados = columnas + [repetida]
    problemas = []
    hoja = convertir(_cruda("unidades", encabezados, [_unidad()]), problemas)
    (problema,) = problemas
    assert (problema.fila, problema.columna) == (1, repetida)
    assert (f"columnas {get_column_letter(columnas.index(repetida) + 1)} y "
            f"{get_column_letter(len(columnas) + 1)}") in problema.mensaje
    assert hoja.tabla.at[PRIMERA_FILA, repetida] == _unidad()[repetida]


def test_columnas_que_faltan_obligatorias_y_de_un_grupo_mensual():
    obligatoria = next(c.nombre for c in CONTRATO["operaciones"] if c.obligatoria)
    presentes = [c for c in _operacion() if c != obligatoria] + [COLUMNAS_PROG[0]]
    problemas = []
    hoja = convertir(_cruda("operaciones", presentes, [_operacion()]), problemas)
    faltan = {p.columna: p.mensaje for p in problemas}
    assert faltan.pop(obligatoria) == f"falta la columna obligatoria {obligatoria}"
    # Las demás columnas prog_ faltan porque la hoja tiene una; las ejec_, ninguna: nada.
    assert set(faltan) == set(COLUMNAS_PROG[1:])
    assert all(p.fila is None for p in problemas)
    # Una columna ausente vale lo de su celda vacía.
    tareas = next(c for c in CONTRATO["operaciones"] if c.nombre == "tareas")
    assert hoja.tabla.at[PRIMERA_FILA, "tareas"] == tareas.vacio
    assert "tareas" not in hoja.presentes and "tareas" in hoja.posiciones


def test_numeros_fechas_y_formulas_con_problema_en_su_celda():
    numero_malo, formula = "doce", "=1+1"
    encabezados = COLUMNAS_CONTRATO["operaciones"]
    filas = [_operacion(tareas=numero_malo),
             _operacion(codigo_operacion="OP2", prog_01=FormulaSinValor(formula), tareas="3")]
    problemas = []
    hoja = convertir(_cruda("operaciones", encabezados, filas, con_formulas=True), problemas)
    # En el orden de las columnas del contrato: tareas va antes que prog_01.
    assert [(p.fila, p.columna) for p in problemas] == [
        (PRIMERA_FILA, "tareas"), (PRIMERA_FILA + 1, "prog_01")]
    assert formula in problemas[1].mensaje
    assert hoja.con_error == {(p.fila, p.columna) for p in problemas}
    # Un número escrito queda como se escribió, para citarlo en los mensajes de las reglas.
    assert hoja.crudos.get((PRIMERA_FILA + 1, "tareas")) == filas[1]["tareas"]
    assert hoja.tabla.at[PRIMERA_FILA + 1, "tareas"] == float(filas[1]["tareas"])
    # La fórmula sin valor se lee vacía: el prog_ vacío vale lo de su celda vacía.
    prog = next(c for c in CONTRATO["operaciones"] if c.nombre == "prog_01")
    assert hoja.tabla.at[PRIMERA_FILA + 1, "prog_01"] == prog.vacio


def test_una_fecha_mal_escrita_es_un_problema():
    encabezados = COLUMNAS_CONTRATO["reformulaciones"]
    problemas = []
    hoja = convertir(_cruda("reformulaciones", encabezados, [{"fecha": "ayer"}]), problemas)
    (problema,) = problemas
    assert (problema.fila, problema.columna) == (PRIMERA_FILA, "fecha")
    assert "'ayer' no es una fecha" in problema.mensaje
    assert hoja.tabla["fecha"].isna().all()


def test_convertir_hojas_y_la_hoja_obligatoria_sin_filas():
    obligatoria = HOJAS_OBLIGATORIAS[0]
    crudas = {obligatoria: _cruda(obligatoria, COLUMNAS_CONTRATO[obligatoria], [])}
    problemas = []
    hojas = convertir_hojas(crudas, problemas)
    assert list(hojas) == [obligatoria]
    assert [(p.hoja, p.fila, p.columna, p.mensaje) for p in problemas] == [
        (obligatoria, None, None, "la hoja no tiene filas de datos")]


def test_tabla_final_enteros_y_fila_al_final():
    encabezados = COLUMNAS_CONTRATO["operaciones"]
    problemas = []
    hoja = convertir(_cruda("operaciones", encabezados, [_operacion(tareas=3)]), problemas)
    tabla = tabla_final(hoja)
    assert list(tabla.columns) == encabezados + ["fila"]
    enteros = [c.nombre for c in CONTRATO["operaciones"] if c.tipo == "entero"]
    assert all(tabla[c].dtype == "int64" for c in enteros)
    assert tabla.at[0, "tareas"] == 3 and tabla.at[0, "fila"] == PRIMERA_FILA
    assert all(math.isnan(v) for v in tabla["ejec_01"])
