"""Los formularios de seguimiento de las unidades (`informe-poa formularios`,
helpers.formularios.envio): un libro por unidad con operaciones, con el encabezado del
contrato, el programa de la versión del POA en vigor al corte, sólo las celdas que se llenan
libres, validaciones de datos, la identidad del formulario, texto inerte, los mismos bytes con
los mismos datos, la orden con sus errores, y un formulario guardado por LibreOffice.

Lo esperado sale del libro leído (`cargar_datos`, `version_al_corte`) y de las definiciones
de `helpers.formularios.libro`, no de cifras escritas en la prueba.
"""
from __future__ import annotations

from pathlib import Path

import fabrica
import openpyxl
import pandas as pd
import pytest
import yaml
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from helpers.calculo.versiones import version_al_corte
from helpers.cli import ERROR_DE_ENTRADA, main
from helpers.comun.calendario import cierre_de_mes, fecha_larga, meses_del_trimestre
from helpers.entrada.contrato import COLUMNAS_DEV, COLUMNAS_EJEC, COLUMNAS_PROG
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.entrada.recepcion import plazo_de_ejemplo
from helpers.formularios.envio import (
    SalidaNoValida,
    formularios_de,
    nombre_de_archivo,
)
from helpers.formularios.libro import (
    CLASE,
    COLUMNAS_DE_TEXTO,
    HOJA_ANTERIORES,
    HOJA_IDENTIDAD,
    HOJA_PRESUPUESTO,
    HOJA_SEGUIMIENTO,
    LARGO_MAXIMO,
    VERSION,
    Identidad,
    columnas_a_llenar,
    columnas_de_seguimiento,
    columnas_ejecutado,
    columnas_programado,
    huella_del_programa,
    leer_identidad,
)
from helpers.rutas import RAIZ

GESTION = fabrica.PARAMS_BASE["gestion"]


def _plazo(trimestre: int) -> str:
    return plazo_de_ejemplo(cierre_de_mes(GESTION, meses_del_trimestre(trimestre)[-1])).isoformat()


def _params(carpeta: Path, libro: Path, trimestre: int = 2, **extra) -> Path:
    extra.setdefault("recepcion", {"plazo": _plazo(trimestre)})
    return fabrica.escribir_params(carpeta / f"T{trimestre}.yaml", libro, trimestre=trimestre,
                                   **extra)


def _escribir(params: Path, carpeta: Path, **opciones) -> list[Path]:
    escritos, _ = formularios_de(params, carpeta, **opciones)
    return escritos


def _tabla(libro, identidad: Identidad) -> pd.DataFrame:
    """La tabla de la hoja seguimiento, desde su encabezado, como la leería quien recoge."""
    filas = list(libro[HOJA_SEGUIMIENTO].iter_rows(
        min_row=identidad.fila_encabezado,
        max_row=identidad.fila_encabezado + identidad.operaciones, values_only=True))
    return pd.DataFrame(filas[1:], columns=filas[0])


def _huella_de_la_tabla(tabla: pd.DataFrame, identidad: Identidad) -> str:
    """La huella del programa según lo que muestra el formulario."""
    programado = tabla[columnas_programado(identidad.trimestre)].to_numpy().tolist()
    return huella_del_programa(identidad.gestion, identidad.trimestre,
                               identidad.codigo_unidad, zip(tabla["codigo_operacion"],
                                                            programado))


def _vacio(valor) -> bool:
    return valor is None or valor == "" or (isinstance(valor, float) and pd.isna(valor))


def _iguales(formulario: pd.Series, libro: pd.Series) -> bool:
    """Las celdas de una columna del formulario son las del libro (vacías donde el libro no
    tiene nada)."""
    return all((_vacio(a) and _vacio(b)) or a == b
               for a, b in zip(formulario.tolist(), libro.tolist(), strict=True))


@pytest.fixture(scope="module")
def con_historia(tmp_path_factory) -> Path:
    """El libro pequeño con su historia (reformulaciones y presupuesto por mes) y una unidad
    sin operaciones."""
    tablas = fabrica.con_historia(fabrica.TABLAS)
    tablas["unidades"].append(["SIN-OPS", "Unidad sin operaciones", "VRE", "Central",
                               "Unidad"])
    return fabrica.escribir_libro(tmp_path_factory.mktemp("historia") / "poa.xlsx", tablas)


@pytest.fixture(scope="module")
def escritos(con_historia, tmp_path_factory) -> dict[int, tuple[list[Path], object]]:
    """Los formularios de cada trimestre del libro con historia: trimestre -> (rutas, datos
    de la versión en vigor al corte)."""
    base = tmp_path_factory.mktemp("formularios")
    datos = cargar_datos(con_historia)
    resultado = {}
    for trimestre in range(1, 5):
        params = _params(base, con_historia, trimestre)
        version = version_al_corte(datos, meses_del_trimestre(trimestre)[-1])
        resultado[trimestre] = (_escribir(params, base / f"T{trimestre}"), version)
    return resultado


# --------------------------------------------------------------------------------------
# Un libro por unidad con operaciones, con el programa de la versión en vigor


@pytest.mark.parametrize("trimestre", range(1, 5))
def test_un_formulario_por_unidad_con_operaciones(escritos, trimestre):
    rutas, version = escritos[trimestre]
    con_operaciones = [c for c in version.unidades["codigo_unidad"]
                       if c in set(version.operaciones["codigo_unidad"])]
    assert [r.name for r in rutas] == [f"{c}.xlsx" for c in con_operaciones]
    assert sorted(p.name for p in rutas[0].parent.iterdir()) == sorted(r.name for r in rutas)
    assert len(con_operaciones) < len(version.unidades)  # la unidad sin operaciones no tiene
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        assert leer_identidad(libro).codigo_unidad == ruta.stem


def test_la_version_en_vigor_no_es_la_del_libro(escritos):
    """La prueba de abajo distingue: en algún corte, la versión en vigor tiene otras
    operaciones o metas que el libro."""
    libro = escritos[1][1].libro
    difieren = [t for t, (_, version) in escritos.items()
                if not version.operaciones[["codigo_operacion", *COLUMNAS_PROG]].equals(
                    libro.operaciones[["codigo_operacion", *COLUMNAS_PROG]])]
    assert difieren


@pytest.mark.parametrize("trimestre", range(1, 5))
def test_la_tabla_es_el_programa_en_vigor_al_corte(escritos, trimestre):
    rutas, version = escritos[trimestre]
    columnas = columnas_de_seguimiento(trimestre)
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        tabla = _tabla(libro, identidad)
        assert list(tabla.columns) == columnas
        esperada = version.operaciones[version.operaciones["codigo_unidad"] == ruta.stem]
        assert len(tabla) == len(esperada) == identidad.operaciones
        for columna in columnas:
            if columna == "justificacion":
                assert tabla[columna].map(_vacio).all()
            else:
                assert _iguales(tabla[columna], esperada[columna]), (ruta.name, columna)


def test_los_meses_anteriores_y_el_presupuesto_de_referencia(escritos):
    for trimestre, (rutas, version) in escritos.items():
        meses = meses_del_trimestre(trimestre)
        for ruta in rutas:
            libro = openpyxl.load_workbook(ruta)
            lineas = version.presupuesto[version.presupuesto["codigo_unidad"] == ruta.stem]
            hojas = [HOJA_SEGUIMIENTO, *([HOJA_ANTERIORES] if trimestre > 1 else []),
                     *([HOJA_PRESUPUESTO] if len(lineas) else []), HOJA_IDENTIDAD]
            assert libro.sheetnames == hojas
            if trimestre > 1:
                anteriores = pd.DataFrame(list(libro[HOJA_ANTERIORES].values)[1:],
                                          columns=next(libro[HOJA_ANTERIORES].values))
                antes = range(meses[0] - 1)
                esperada = version.operaciones[version.operaciones["codigo_unidad"] == ruta.stem]
                for columna in [*(COLUMNAS_PROG[m] for m in antes),
                                *(COLUMNAS_EJEC[m] for m in antes)]:
                    assert _iguales(anteriores[columna], esperada[columna]), columna
                assert set(anteriores.columns).isdisjoint(columnas_de_seguimiento(trimestre)[2:])
            if len(lineas):
                hoja = libro[HOJA_PRESUPUESTO]
                presupuesto = pd.DataFrame(list(hoja.values)[1:], columns=next(hoja.values))
                for columna in ["vigente", "inicial", *COLUMNAS_DEV[:meses[-1]]]:
                    assert _iguales(presupuesto[columna], lineas[columna]), columna
                # Lo devengado, hasta el mes del corte.
                assert [c for c in presupuesto.columns if c in COLUMNAS_DEV] == list(
                    COLUMNAS_DEV[:meses[-1]])


def test_sin_presupuesto_ninguno_lleva_esa_hoja(con_historia, tmp_path):
    rutas = _escribir(_params(tmp_path, con_historia), tmp_path / "f", presupuesto=False)
    assert all(HOJA_PRESUPUESTO not in openpyxl.load_workbook(r).sheetnames for r in rutas)


# --------------------------------------------------------------------------------------
# Protección, validaciones e identidad


def test_solo_las_celdas_que_se_llenan_estan_libres(escritos):
    rutas, _ = escritos[2]
    a_llenar = set(columnas_a_llenar(2))
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        hoja = libro[HOJA_SEGUIMIENTO]
        assert hoja.protection.sheet
        assert hoja.protection.insertRows and hoja.protection.deleteRows
        assert hoja.protection.sort and hoja.protection.insertColumns
        primera = identidad.fila_encabezado + 1
        ultima = identidad.fila_encabezado + identidad.operaciones
        libres = {(c.row, hoja.cell(identidad.fila_encabezado, c.column).value)
                  for fila in hoja.iter_rows(min_row=1, max_row=ultima + 1)
                  for c in fila if not c.protection.locked}
        assert libres == {(f, columna) for f in range(primera, ultima + 1)
                          for columna in a_llenar}
        for nombre in libro.sheetnames[1:]:
            otra = libro[nombre]
            assert otra.protection.sheet, nombre
            assert all(c.protection.locked for fila in otra.iter_rows() for c in fila), nombre
        assert libro[HOJA_IDENTIDAD].sheet_state == "veryHidden"
        assert libro.security.lockStructure


def test_cada_celda_que_se_llena_tiene_su_validacion(escritos):
    rutas, _ = escritos[3]
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        hoja = libro[HOJA_SEGUIMIENTO]
        encabezado = [c.value for c in hoja[identidad.fila_encabezado]]
        primera = identidad.fila_encabezado + 1
        ultima = identidad.fila_encabezado + identidad.operaciones
        por_rango = {str(dv.sqref): dv for dv in hoja.data_validations.dataValidation}
        for columna in columnas_a_llenar(3):
            letra = get_column_letter(encabezado.index(columna) + 1)
            dv = por_rango.pop(CellRange(f"{letra}{primera}:{letra}{ultima}").coord)
            assert dv.showErrorMessage and dv.errorStyle in (None, "stop")
            if columna in COLUMNAS_DE_TEXTO:
                assert (dv.type, dv.operator) == ("textLength", "lessThanOrEqual")
                assert dv.formula1 == str(LARGO_MAXIMO[columna])
            else:
                assert (dv.type, dv.operator, dv.formula1) == (
                    "decimal", "greaterThanOrEqual", "0")
        assert por_rango == {}


def test_la_identidad_dice_de_quien_y_de_que_programa_es(escritos, con_historia):
    params = cargar_parametros(_params(con_historia.parent, con_historia, 2))
    rutas, _ = escritos[2]
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        assert (identidad.clase, identidad.version) == (CLASE, VERSION)
        assert (identidad.entidad, identidad.gestion, identidad.trimestre) == (
            params.entidad.sigla, params.gestion, params.trimestre)
        encabezado = [c.value for c in libro[HOJA_SEGUIMIENTO][identidad.fila_encabezado]]
        assert encabezado == columnas_de_seguimiento(2)
        tabla = _tabla(libro, identidad)
        assert identidad.huella_programa == _huella_de_la_tabla(tabla, identidad)
        # Otra meta, otro orden, otra unidad u otro trimestre: otra huella.
        programado = columnas_programado(2)
        otra_meta = tabla.assign(**{programado[0]: tabla[programado[0]] + 1})
        otro_orden = tabla.iloc[::-1] if len(tabla) > 1 else tabla.iloc[0:0]
        otras = {_huella_de_la_tabla(t, identidad) for t in (otra_meta, otro_orden)}
        otras.add(huella_del_programa(identidad.gestion, 3, identidad.codigo_unidad, []))
        otras.add(_huella_de_la_tabla(
            tabla, Identidad(**{**vars(identidad), "codigo_unidad": "OTRA"})))
        assert identidad.huella_programa not in otras


def test_las_huellas_de_las_unidades_son_distintas(escritos):
    rutas, _ = escritos[2]
    huellas = [leer_identidad(openpyxl.load_workbook(r)).huella_programa for r in rutas]
    assert len(set(huellas)) == len(huellas)


def test_un_libro_sin_identidad_completa_no_se_lee(escritos, tmp_path):
    libro = openpyxl.load_workbook(escritos[2][0][0])
    hoja = libro[HOJA_IDENTIDAD]
    hoja.cell(hoja.max_row, 2).value = None
    assert leer_identidad(libro) is None
    del libro[HOJA_IDENTIDAD]
    assert leer_identidad(libro) is None


def test_el_bloque_de_arriba_dice_unidad_periodo_y_plazo(escritos, con_historia):
    params = cargar_parametros(_params(con_historia.parent, con_historia, 2))
    datos = cargar_datos(con_historia)
    nombres = dict(zip(datos.unidades["codigo_unidad"], datos.unidades["nombre"]))
    for ruta in escritos[2][0]:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        bloque = " ".join(str(f[0]) for f in libro[HOJA_SEGUIMIENTO].iter_rows(
            max_row=identidad.fila_encabezado - 1, max_col=1, values_only=True) if f[0])
        for texto in (nombres[ruta.stem], ruta.stem, params.entidad.nombre,
                      fecha_larga(params.recepcion.plazo), fecha_larga(params.fecha_corte),
                      "segundo trimestre", *columnas_ejecutado(2)[::2]):
            assert texto in bloque, (ruta.name, texto)
        assert "no se toma en cuenta" in bloque
        assert (HOJA_PRESUPUESTO in bloque) == (HOJA_PRESUPUESTO in libro.sheetnames)
        assert HOJA_ANTERIORES in bloque


def test_fuera_de_plazo_incluir_lo_dice(con_historia, tmp_path):
    params = _params(tmp_path, con_historia, 1,
                     recepcion={"plazo": _plazo(1), "fuera_de_plazo": "incluir"})
    libro = openpyxl.load_workbook(_escribir(params, tmp_path / "f")[0])
    bloque = " ".join(str(c.value) for c in libro[HOJA_SEGUIMIENTO]["A"] if c.value)
    assert "se toma en cuenta igual" in bloque and "no se toma en cuenta" not in bloque
    assert HOJA_ANTERIORES not in bloque  # el primer trimestre no tiene meses anteriores


# --------------------------------------------------------------------------------------
# Texto inerte, nombres de archivo y bytes


def test_el_texto_de_los_datos_queda_como_texto(tmp_path):
    tablas = fabrica.tablas_pequenas()
    ops, unidades = tablas["operaciones"], tablas["unidades"]
    descripcion = ops[0].index("descripcion")
    ops[1][descripcion] = "=HIPERVINCULO(\"http://x\";\"clic\")"
    unidades[1][1] = "@unidad <b>negrita</b>"
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas, formulas=False)
    ruta = _escribir(_params(tmp_path, libro), tmp_path / "f")[0]
    escrito = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(escrito)
    hoja = escrito[HOJA_SEGUIMIENTO]
    celda = hoja.cell(identidad.fila_encabezado + 1, 2)
    assert celda.value == ops[1][descripcion] and celda.data_type == "s" and celda.quotePrefix
    unidad = next(c for c in hoja["A"] if c.value and unidades[1][1] in c.value)
    assert unidad.data_type == "s"
    assert not any(c.data_type == "f" for nombre in escrito.sheetnames
                   for fila in escrito[nombre].iter_rows() for c in fila)


@pytest.mark.parametrize("codigo, usados, nombre", [
    ("DGRM", set(), "DGRM.xlsx"),
    ("DG/RM", set(), "DG_RM.xlsx"),
    ("a:b*c?", set(), "a_b_c_.xlsx"),
    ("dgrm", {"dgrm.xlsx"}, "dgrm-2.xlsx"),
    ("CON", set(), "_CON.xlsx"),
    (".oculta", set(), "_.oculta.xlsx"),
])
def test_nombre_de_archivo(codigo, usados, nombre):
    antes = set(usados)
    assert nombre_de_archivo(codigo, usados) == nombre
    assert usados == antes | {nombre.casefold()}


def test_los_mismos_datos_dan_los_mismos_bytes(con_historia, tmp_path):
    params = _params(tmp_path, con_historia)
    primera = _escribir(params, tmp_path / "a")
    segunda = _escribir(params, tmp_path / "b")
    assert [r.read_bytes() for r in primera] == [r.read_bytes() for r in segunda]


# --------------------------------------------------------------------------------------
# La orden y sus errores


def test_la_orden_escribe_y_dice_cuantos_y_el_plazo(con_historia, tmp_path, capsys):
    params = _params(tmp_path, con_historia)
    assert main(["formularios", str(params), "--salida", str(tmp_path / "f")]) == 0
    salida = capsys.readouterr().out
    escritos = sorted((tmp_path / "f").iterdir())
    assert f"{len(escritos)} formularios escritos en {tmp_path / 'f'}" in salida
    assert f"{cargar_parametros(params).recepcion.plazo:%d/%m/%Y}" in salida


def test_una_carpeta_con_algo_no_se_toca(con_historia, tmp_path, capsys):
    carpeta = tmp_path / "f"
    carpeta.mkdir()
    (carpeta / "notas.txt").write_text("de la unidad")
    params = _params(tmp_path, con_historia)
    assert main(["formularios", str(params), "--salida", str(carpeta)]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "ya tiene archivos" in error and "Traceback" not in error
    assert [p.name for p in carpeta.iterdir()] == ["notas.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(SalidaNoValida, match="no es una carpeta"):
        formularios_de(params, carpeta / "notas.txt")


def test_una_carpeta_vacia_sirve(con_historia, tmp_path):
    (tmp_path / "f").mkdir()
    assert _escribir(_params(tmp_path, con_historia), tmp_path / "f")


@pytest.mark.parametrize("cambios, clave, dice", [
    ({"recepcion": None}, "clave recepcion", "falta: cada formulario dice hasta cuándo"),
    ({"informe": "anual", "trimestre": None, "recepcion": {"plazo": _plazo(4)}},
     "clave informe", "use los parámetros de un informe trimestral"),
    ({"recepcion": {"plazo": "2024-01-01"}}, "clave recepcion", "es anterior al corte"),
    ({"gestion": "dos mil"}, "clave gestion", "no es un número entero"),
])
def test_parametros_que_no_sirven_son_error_de_entrada(con_historia, tmp_path, capsys,
                                                        cambios, clave, dice):
    params = _params(tmp_path, con_historia)
    contenido = yaml.safe_load(params.read_text(encoding="utf-8"))
    contenido.update(cambios)
    params.write_text(yaml.safe_dump({k: v for k, v in contenido.items() if v is not None},
                                     allow_unicode=True), encoding="utf-8")
    assert main(["formularios", str(params), "--salida", str(tmp_path / "f")]) \
        == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert f"{params.name}, {clave}: " in error and dice in error, error
    assert "Traceback" not in error and not (tmp_path / "f").exists()


def test_un_libro_con_errores_es_error_de_entrada(tmp_path, capsys):
    tablas = fabrica.tablas_pequenas()
    tablas["operaciones"][1][tablas["operaciones"][0].index("codigo_unidad")] = "NO-EXISTE"
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    params = _params(tmp_path, libro)
    assert main(["formularios", str(params), "--salida", str(tmp_path / "f")]) \
        == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "poa.xlsx, hoja operaciones, fila 2, columna codigo_unidad" in error
    assert "No se escribieron los formularios." in error and not (tmp_path / "f").exists()


def test_la_salida_es_obligatoria(capsys):
    assert main(["formularios", "p.yaml"]) == ERROR_DE_ENTRADA
    assert "falta salida" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# La muestra


def test_la_muestra_un_formulario_por_unidad_del_poa_en_vigor(tmp_path):
    """Los parámetros del segundo trimestre de la muestra, copiados fuera del proyecto con el
    libro en su ruta entera (fuera, una ruta relativa se lee desde la carpeta del archivo)."""
    contenido = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    contenido["datos"] = str(RAIZ / contenido["datos"])
    params = tmp_path / "2024-T2.yaml"
    params.write_text(yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")
    rutas, parametros = formularios_de(params, tmp_path / "formularios")
    datos = cargar_datos(parametros.ruta_datos)
    version = version_al_corte(datos, meses_del_trimestre(parametros.trimestre)[-1])
    con_operaciones = [c for c in datos.unidades["codigo_unidad"]
                       if c in set(version.operaciones["codigo_unidad"])]
    assert [r.stem for r in rutas] == con_operaciones
    programado = columnas_programado(parametros.trimestre)
    for ruta in rutas:
        libro = openpyxl.load_workbook(ruta)
        identidad = leer_identidad(libro)
        tabla = _tabla(libro, identidad)
        esperada = version.operaciones[version.operaciones["codigo_unidad"] == ruta.stem]
        assert list(tabla.columns) == columnas_de_seguimiento(parametros.trimestre)
        for columna in ("codigo_operacion", *programado):
            assert _iguales(tabla[columna], esperada[columna]), (ruta.name, columna)
        assert identidad.huella_programa == _huella_de_la_tabla(tabla, identidad)


# --------------------------------------------------------------------------------------
# LibreOffice


@pytest.mark.lento
def test_libreoffice_conserva_la_proteccion_y_la_identidad(tmp_path):
    """Un formulario abierto y guardado como .xlsx por LibreOffice (sin interfaz), como lo
    devolvería una unidad que lo llenó allí: la tabla, la protección, las celdas libres, las
    validaciones y la identidad se leen igual, y la tabla da la misma huella. LibreOffice no
    guarda la protección de la estructura del libro ni el «muy oculta» de la hoja identidad
    (queda oculta): lo que protege el formulario es la huella."""
    tablas = fabrica.con_historia(fabrica.TABLAS)
    descripcion = tablas["operaciones"][0].index("descripcion")
    tablas["operaciones"][1][descripcion] = "=1+1 no es una fórmula"
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas, formulas=False)
    original = _escribir(_params(tmp_path, libro), tmp_path / "f")[0]
    salida = tmp_path / "libreoffice"
    convertido = fabrica.guardar_con_libreoffice(original, salida)

    antes, despues = openpyxl.load_workbook(original), openpyxl.load_workbook(convertido)
    identidad = leer_identidad(despues)
    assert identidad == leer_identidad(antes)
    assert despues.sheetnames == antes.sheetnames
    assert despues[HOJA_IDENTIDAD].sheet_state in ("hidden", "veryHidden")
    tabla = _tabla(despues, identidad)
    pd.testing.assert_frame_equal(tabla, _tabla(antes, identidad), check_dtype=False)
    assert _huella_de_la_tabla(tabla, identidad) == identidad.huella_programa
    assert tabla.at[0, "descripcion"] == tablas["operaciones"][1][descripcion]
    for nombre in despues.sheetnames:
        assert despues[nombre].protection.sheet, nombre
    hoja, hoja_antes = despues[HOJA_SEGUIMIENTO], antes[HOJA_SEGUIMIENTO]
    libres = [[c.protection.locked for c in fila] for fila in hoja.iter_rows(
        max_row=identidad.fila_encabezado + identidad.operaciones,
        max_col=len(tabla.columns))]
    assert libres == [[c.protection.locked for c in fila] for fila in hoja_antes.iter_rows(
        max_row=identidad.fila_encabezado + identidad.operaciones,
        max_col=len(tabla.columns))]
    reglas = sorted((str(dv.sqref), dv.type, dv.formula1)
                    for dv in hoja.data_validations.dataValidation)
    assert reglas == sorted((str(dv.sqref), dv.type, dv.formula1)
                            for dv in hoja_antes.data_validations.dataValidation)


# --------------------------------------------------------------------------------------
# La guía


def test_la_guia_dice_las_hojas_las_columnas_y_los_limites():
    """docs/formularios.md nombra cada hoja, cada columna de la tabla de su ejemplo (el
    segundo trimestre), el largo máximo de cada texto y cada opción de fuera_de_plazo, como
    los define el código."""
    from helpers.entrada.recepcion import FUERA_DE_PLAZO

    guia = (RAIZ / "docs" / "formularios.md").read_text(encoding="utf-8")
    for nombre in (HOJA_SEGUIMIENTO, HOJA_ANTERIORES, HOJA_PRESUPUESTO, HOJA_IDENTIDAD,
                   *columnas_de_seguimiento(2), *FUERA_DE_PLAZO):
        assert f"`{nombre}`" in guia, nombre
    for columna, largo in LARGO_MAXIMO.items():
        assert f"`{columna}` | " in guia and f"hasta {largo} caracteres" in guia, columna
