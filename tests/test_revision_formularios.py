"""La revisión de los formularios recogidos (`helpers.formularios.revision` y `devolucion`,
`informe-poa devolver` y `aceptar`), sobre la recepción de la muestra con un problema
plantado por regla (`tests/plantados.py`): se proponen esas observaciones, el planificador
descarta una, `devolver` escribe los formularios marcados de las otras unidades, una unidad
corrige el suyo después del plazo del trimestre (y antes del de corrección) y queda
`corregido`, se acepta, y un cambio posterior se lista y no se aplica hasta reabrirla."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from plantados import formularios_llenos, plantar

from helpers.cli import ERROR_DE_ENTRADA, main
from helpers.comun.calendario import fecha_larga
from helpers.formularios.devolucion import aceptar, devolver
from helpers.formularios.hojas import ARCHIVO_OBSERVACIONES, HOJA_RECEPCION
from helpers.formularios.libro import HOJA_SEGUIMIENTO, leer_identidad
from helpers.formularios.recogida import recoger
from helpers.formularios.recoleccion import ARCHIVO_RECEPCION, Estado, Recibido
from helpers.formularios.revision import HOJA_REVISIONES, EstadoRevision, revisar
from helpers.formularios.rondas import RondaAnterior

# --- revisar, con lo leído hecho a mano ----------------------------------------------------


def _recibido(unidad: str, huella: str, estado: str = Estado.ACEPTADO) -> Recibido:
    return Recibido(f"{unidad}.xlsx", None, unidad, fecha=dt.datetime(2024, 7, 8, 10),
                    huella=huella, estado=estado,
                    valores=pd.DataFrame({"codigo_operacion": [f"{unidad}-1"], "ejec_04": [9]}))


def _anterior(filas: list[dict]) -> RondaAnterior:
    registro = pd.DataFrame(filas)
    valores = pd.DataFrame({"codigo_operacion": [f"{f['codigo_unidad']}-1" for f in filas],
                            "codigo_unidad": [f["codigo_unidad"] for f in filas],
                            "ejec_04": [1.0] * len(filas)}).set_index("codigo_operacion")
    return RondaAnterior(registro, valores, pd.DataFrame())


def _fila(unidad: str, huella: str, revision: str, **extra) -> dict:
    return {"codigo_unidad": unidad, "archivo": f"{unidad}.xlsx", "huella": huella,
            "estado": Estado.ACEPTADO, "fecha": "2024-07-05 10:00:00", "ronda": 1,
            "revision": revision, "plazo_correccion": "2024-07-20", **extra}


def test_de_una_ronda_a_otra_cada_estado_sigue_su_camino():
    anterior = _anterior([_fila("A", "a1", EstadoRevision.OBSERVADO),
                          _fila("B", "b1", EstadoRevision.OBSERVADO),
                          _fila("C", "c1", EstadoRevision.RECIBIDO)])
    recibidos, transiciones = revisar(
        [_recibido("A", "a2"), _recibido("B", "b1"), _recibido("C", "c1"),
         _recibido("D", "d1")], anterior, "incluir")
    assert [(r.codigo_unidad, r.revision, r.cuenta) for r in recibidos] == [
        ("A", EstadoRevision.CORREGIDO, True), ("B", EstadoRevision.OBSERVADO, True),
        ("C", EstadoRevision.RECIBIDO, True), ("D", EstadoRevision.RECIBIDO, True)]
    assert recibidos[0].plazo_correccion == dt.date(2024, 7, 20)
    assert [(t.codigo_unidad, t.revision) for t in transiciones] == [
        ("A", EstadoRevision.CORREGIDO), ("D", EstadoRevision.RECIBIDO)]


def test_observados_excluir_y_rechazado_no_toman_sus_cifras():
    anterior = _anterior([_fila("A", "a1", EstadoRevision.OBSERVADO),
                          _fila("B", "b1", EstadoRevision.RECHAZADO)])
    incluidos, _ = revisar([_recibido("A", "a1"), _recibido("B", "b1")], anterior, "incluir")
    assert [r.cuenta for r in incluidos] == [True, False]
    excluidos, _ = revisar([_recibido("A", "a1"), _recibido("B", "b1")], anterior, "excluir")
    assert [r.cuenta for r in excluidos] == [False, False]
    assert "recepcion.observados: excluir" in excluidos[0].motivo


def test_una_unidad_aceptada_queda_cerrada():
    anterior = _anterior([_fila("A", "a1", EstadoRevision.ACEPTADO,
                                fecha_revision="2024-07-12")])
    recibidos, transiciones = revisar([_recibido("A", "a1", Estado.REEMPLAZADO),
                                       _recibido("A", "a2")], anterior, "incluir")
    assert [(r.huella, r.revision, r.cuenta) for r in recibidos] == [
        ("a2", EstadoRevision.NO_APLICADO, False), ("a1", EstadoRevision.ACEPTADO, True)]
    # Las cifras del aceptado son las de su archivo (sigue en la carpeta), no las del nuevo.
    assert recibidos[1].valores["ejec_04"].tolist() == [9]
    # Sin su archivo, las del libro anterior.
    sin_el, _ = revisar([_recibido("A", "a2")], anterior, "incluir")
    assert sin_el[-1].valores["ejec_04"].tolist() == [1.0]
    assert "12/07/2024" in recibidos[0].motivo and "--reabrir" in recibidos[0].motivo
    assert [t.revision for t in transiciones] == [EstadoRevision.NO_APLICADO]


# --- El circuito sobre la muestra --------------------------------------------------------


def _registro(carpeta: Path) -> pd.DataFrame:
    return pd.read_csv(carpeta / ARCHIVO_RECEPCION, dtype=str, keep_default_na=False)


def _revision(carpeta: Path, unidad: str) -> str:
    registro = _registro(carpeta)
    filas = registro[(registro["codigo_unidad"] == unidad) & registro["revision"].ne("")
                     & registro["revision"].ne(EstadoRevision.NO_APLICADO)]
    return filas["revision"].iloc[-1]


def _operaciones(libro: Path) -> pd.DataFrame:
    return pd.read_excel(libro, sheet_name="operaciones", engine="openpyxl").set_index(
        "codigo_operacion")


@pytest.fixture(scope="module")
def circuito(tmp_path_factory):
    """La recepción plantada, recogida en la ronda 1."""
    base = tmp_path_factory.mktemp("revision")
    plantados = plantar(base)
    libro = base / "recogido" / "poa-recogido.xlsx"
    recoger(plantados.params, plantados.formularios, libro)
    return plantados, libro


@pytest.mark.lento
def test_devolver_corregir_aceptar_y_cerrar(circuito, tmp_path):
    plantados, libro = circuito
    carpeta = libro.parent
    params, parametros = plantados.params, plantados.parametros
    unidades = [u for u, _, _ in plantados.esperadas]
    assert {_revision(carpeta, u) for u in unidades} == {EstadoRevision.RECIBIDO}

    # El planificador descarta la observación de la justificación copiada.
    observaciones = pd.read_csv(carpeta / ARCHIVO_OBSERVACIONES, dtype=str,
                                keep_default_na=False)
    descartada = observaciones["regla"] == "justificacion_copiada"
    observaciones.loc[descartada, "estado"] = "descartada"
    observaciones.to_csv(carpeta / ARCHIVO_OBSERVACIONES, index=False)
    (sin_devolver,) = observaciones.loc[descartada, "codigo_unidad"]

    hoy = parametros.recepcion.plazo + dt.timedelta(days=1)
    plazo = hoy + dt.timedelta(days=7)
    devueltos = devolver(params, carpeta, plazo=plazo, cite="UP/NI/0042/2024",
                         hoja_ruta="HR-77", fecha=hoy)
    devueltas = set(unidades) - {sin_devolver}
    assert set(devueltos.formularios) == devueltas
    assert devueltos.observaciones == len(devueltas)
    for unidad in devueltas:
        assert _revision(carpeta, unidad) == EstadoRevision.OBSERVADO
    assert _revision(carpeta, sin_devolver) == EstadoRevision.RECIBIDO
    from helpers.formularios.tablero import tablero

    en_tablero = tablero(carpeta, parametros.trimestre_corte).set_index("codigo_unidad")
    for unidad in devueltas:
        assert en_tablero.at[unidad, "plazo_correccion"] == plazo.isoformat()
    assert en_tablero.at[sin_devolver, "plazo_correccion"] == ""
    estados = pd.read_csv(carpeta / ARCHIVO_OBSERVACIONES, dtype=str,
                          keep_default_na=False)["estado"]
    assert sorted(estados) == sorted(["devuelta"] * len(devueltas) + ["descartada"])

    # El formulario devuelto: la nota, la columna de las observaciones y la celda en
    # amarillo; su identidad es la del formulario que se emitió.
    (unidad, codigo, _), correccion = next(
        (clave, celdas) for clave, celdas in plantados.esperadas.items()
        if clave[2] == "sobre_programado")
    devuelto = devueltos.formularios[unidad]
    cuaderno = openpyxl.load_workbook(devuelto)
    hoja = cuaderno[HOJA_SEGUIMIENTO]
    texto = " ".join(str(c.value) for fila in hoja.iter_rows(max_row=8) for c in fila if c.value)
    assert "DEVUELTO CON OBSERVACIONES" in texto and "UP/NI/0042/2024" in texto
    assert f"Plazo para corregir: hasta el {fecha_larga(plazo)}" in texto and "HR-77" in texto
    identidad = leer_identidad(cuaderno)
    original = leer_identidad(openpyxl.load_workbook(plantados.llenos[unidad]))
    assert identidad.huella_programa == original.huella_programa
    encabezado = [c.value for c in hoja[identidad.fila_encabezado]]
    assert encabezado[-1] == "observaciones"
    fila = next(f for f in range(identidad.fila_encabezado + 1, hoja.max_row + 1)
                if hoja.cell(f, 1).value == codigo)
    ((_, columna), valor), = correccion.items()
    assert hoja.cell(fila, len(encabezado)).value
    assert hoja.cell(fila, encabezado.index(columna) + 1).fill.fgColor.rgb.endswith("FFEB9C")

    # La unidad lo corrige y lo devuelve después del plazo del trimestre, dentro del de
    # corrección: cuenta, y queda corregido.
    recibido = plantados.formularios / plantados.llenos[unidad].name
    shutil.copy(devuelto, recibido)
    formularios_llenos.llenar(recibido, {(codigo, columna): valor})
    formularios_llenos.fechar(recibido, dt.datetime.combine(hoy + dt.timedelta(days=2),
                                                            dt.time(9)))
    ronda = recoger(params, plantados.formularios, libro, reemplazar=True)
    assert ronda.ronda == 2
    assert _revision(carpeta, unidad) == EstadoRevision.CORREGIDO
    otras = devueltas - {unidad}
    assert {_revision(carpeta, u) for u in otras} == {EstadoRevision.OBSERVADO}
    fila_registro = _registro(carpeta).query("codigo_unidad == @unidad").iloc[-1]
    assert fila_registro["estado"] == Estado.ACEPTADO
    assert _operaciones(libro).at[codigo, columna] == valor
    # Cambia sólo la celda corregida (y nada de las demás unidades).
    assert list(zip(ronda.cambios["codigo_operacion"], ronda.cambios["columna"])) == [
        (codigo, columna)]

    # Se acepta; un cambio posterior se lista y no se aplica.
    assert aceptar(params, carpeta, [unidad], nota="Conforme", fecha=hoy).unidades == [
        (unidad, EstadoRevision.CORREGIDO, EstadoRevision.ACEPTADO)]
    formularios_llenos.llenar(recibido, {(codigo, columna): valor + 5})
    formularios_llenos.fechar(recibido, dt.datetime.combine(hoy + dt.timedelta(days=3),
                                                            dt.time(9)))
    recoger(params, plantados.formularios, libro, reemplazar=True)
    assert _revision(carpeta, unidad) == EstadoRevision.ACEPTADO
    registro = _registro(carpeta)
    tardio = registro[(registro["codigo_unidad"] == unidad)
                      & (registro["revision"] == EstadoRevision.NO_APLICADO)]
    assert len(tardio) == 1 and "no se toma" in tardio["motivo"].iloc[0]
    assert _operaciones(libro).at[codigo, columna] == valor

    # Reabierta, lo que envió se toma.
    aceptar(params, carpeta, [unidad], decision="reabrir", fecha=hoy)
    recoger(params, plantados.formularios, libro, reemplazar=True)
    assert _revision(carpeta, unidad) == EstadoRevision.CORREGIDO
    assert _operaciones(libro).at[codigo, columna] == valor + 5

    # La historia, en la hoja revisiones.
    historia = pd.read_excel(libro, sheet_name=HOJA_REVISIONES, dtype=str).fillna("")
    de_la_unidad = historia[historia["codigo_unidad"] == unidad]["revision"].tolist()
    assert de_la_unidad == [EstadoRevision.RECIBIDO, EstadoRevision.OBSERVADO,
                            EstadoRevision.CORREGIDO, EstadoRevision.ACEPTADO,
                            EstadoRevision.NO_APLICADO, EstadoRevision.OBSERVADO,
                            EstadoRevision.CORREGIDO]
    assert HOJA_RECEPCION in openpyxl.load_workbook(libro, read_only=True).sheetnames


def test_aceptar_una_unidad_que_no_esta_lo_dice(circuito, capsys):
    plantados, libro = circuito
    codigo = main(["aceptar", str(plantados.params), str(libro.parent), "NO-EXISTE"])
    assert codigo == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "NO-EXISTE" in error and "Traceback" not in error


def test_devolver_sin_libro_recogido_lo_dice(circuito, tmp_path, capsys):
    plantados, _ = circuito
    codigo = main(["devolver", str(plantados.params), str(tmp_path)])
    assert codigo == ERROR_DE_ENTRADA
    assert "libro recogido" in capsys.readouterr().err


@pytest.mark.lento
def test_lo_que_decide_el_planificador_queda_de_una_ronda_a_otra(tmp_path):
    """Una observación descartada, una reescrita y una del planificador sobreviven a otra
    recogida antes de devolver; un formulario devuelto que vuelve tal cual sigue observado; y
    rechazar o reabrir piden las unidades."""
    plantados = plantar(tmp_path)
    libro = tmp_path / "recogido" / "poa-recogido.xlsx"
    recoger(plantados.params, plantados.formularios, libro)
    carpeta = libro.parent
    observaciones = pd.read_csv(carpeta / ARCHIVO_OBSERVACIONES, dtype=str,
                                keep_default_na=False)
    observaciones.loc[0, "estado"] = "descartada"
    observaciones.loc[1, ["mensaje", "estado"]] = ["Revise la cifra de mayo.", "confirmada"]
    propia = observaciones.iloc[[2]].assign(regla="planificador", estado="confirmada",
                                            mensaje="Adjunte el acta.")
    pd.concat([observaciones, propia]).to_csv(carpeta / ARCHIVO_OBSERVACIONES, index=False,
                                              sep=";", encoding="cp1252")
    recoger(plantados.params, plantados.formularios, libro, reemplazar=True)
    despues = pd.read_csv(carpeta / ARCHIVO_OBSERVACIONES, dtype=str, keep_default_na=False)
    assert len(despues) == len(observaciones) + 1
    assert "descartada" in set(despues["estado"])
    assert "Revise la cifra de mayo." in set(despues["mensaje"])
    assert "Adjunte el acta." in set(despues["mensaje"])

    hoy = plantados.parametros.recepcion.plazo
    devueltos = devolver(plantados.params, carpeta, fecha=hoy)
    unidad, devuelto = next(iter(devueltos.formularios.items()))
    recibido = plantados.formularios / plantados.llenos[unidad].name
    shutil.copy(devuelto, recibido)
    formularios_llenos.fechar(recibido, dt.datetime.combine(hoy, dt.time(15)))
    recoger(plantados.params, plantados.formularios, libro, reemplazar=True)
    assert _revision(carpeta, unidad) == EstadoRevision.OBSERVADO

    for opcion in ("--rechazar", "--reabrir"):
        assert main(["aceptar", str(plantados.params), str(carpeta), opcion]) == (
            ERROR_DE_ENTRADA)


@pytest.mark.lento
def test_el_tablero_y_las_observaciones_que_guarda_el_planificador(tmp_path):
    from helpers.formularios.tablero import (
        agregar_observacion,
        filtrar,
        guardar_observaciones,
        observaciones_de,
        tablero,
    )

    plantados = plantar(tmp_path)
    libro = tmp_path / "recogido" / "poa-recogido.xlsx"
    recoger(plantados.params, plantados.formularios, libro)
    carpeta, trimestre = libro.parent, plantados.parametros.trimestre_corte
    tabla = tablero(carpeta, trimestre)
    assert set(tabla["revision"]) == {EstadoRevision.RECIBIDO}
    con = filtrar(tabla, "pendientes")
    assert sorted(con["codigo_unidad"]) == sorted(u for u, _, _ in plantados.esperadas)
    assert (con["pendientes"] == 1).all()
    unidad = con["codigo_unidad"].iloc[0]
    (fila,) = observaciones_de(carpeta, unidad)["fila"]
    assert guardar_observaciones(carpeta, {fila: ("descartada", "No corresponde.")}) == 1
    assert observaciones_de(carpeta, unidad)["estado"].tolist() == ["descartada"]
    with pytest.raises(ValueError, match="no puede quedar vacío"):
        guardar_observaciones(carpeta, {fila: ("confirmada", " ")})
    operacion = next(c for u, c, _ in plantados.esperadas if u == unidad)
    agregar_observacion(carpeta, unidad, operacion, "Adjunte el acta.", trimestre)
    suyas = observaciones_de(carpeta, unidad)
    assert suyas["regla"].tolist()[-1] == "planificador"
    with pytest.raises(ValueError, match="no es una operación"):
        agregar_observacion(carpeta, unidad, "NO-EXISTE", "x", trimestre)
    assert int(tablero(carpeta, trimestre).set_index("codigo_unidad").at[
        unidad, "pendientes"]) == 1


def test_observaciones_csv_vuelve_sin_el_apostrofo_de_la_regla_del_prefijo(tmp_path):
    """Lo que `escribir_csv` vuelve inerte para Excel («'=...») se lee como se escribió: un
    mensaje o un código que empieza con = + - @ no cambia al ir y volver."""
    from helpers.formularios.hojas import COLUMNAS_OBSERVACIONES, leer_observaciones
    from helpers.salida.tablas_csv import escribir_csv

    fila = {c: "" for c in COLUMNAS_OBSERVACIONES} | {
        "codigo_unidad": "-UPL", "codigo_operacion": "+OP-1", "mensaje": "=SUMA(A1:A9)",
        "estado": "confirmada"}
    ruta = escribir_csv(pd.DataFrame([fila]), tmp_path / "observaciones.csv")
    assert "'=SUMA" in ruta.read_text(encoding="utf-8")
    leida = leer_observaciones(ruta).iloc[0]
    assert (leida["codigo_unidad"], leida["codigo_operacion"], leida["mensaje"]) == (
        "-UPL", "+OP-1", "=SUMA(A1:A9)")
