"""La plantilla del libro del POA (`helpers.entrada.plantilla`): el contrato completo, las
instrucciones, las listas desplegables, la protección del encabezado, la fila de ejemplo, y
que un libro llenado a partir de ella se lee con `cargar_datos`.

Lo esperado se calcula del contrato de `helpers.entrada.datos` (hojas, columnas, listas,
referencias), no de listas escritas en la prueba.
"""
from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import fabrica
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from helpers.comun.calendario import TRIMESTRES
from helpers.entrada.contrato import (
    CAMBIOS,
    COLUMNAS_CONTRATO,
    COLUMNAS_NO_NEGATIVAS,
    CONTRATO,
    HOJAS,
    HOJAS_OBLIGATORIAS,
    MESES,
    PROPOSITOS,
    REFERENCIAS,
    TIPOS_NARRATIVA,
)
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.fila_de_ejemplo import MARCA_EJEMPLO, ejemplos
from helpers.entrada.plantilla import (
    ENCABEZADO_COLUMNAS,
    HOJA_INSTRUCCIONES,
    SUGERENCIAS,
    ULTIMA_FILA,
    avisos_de_ejemplo,
    escribir_plantilla,
)
from helpers.entrada.sugerencias import pista_de_ejemplo

# Las listas de valores fijos, de las constantes del contrato.
LISTAS = {
    ("narrativa", "tipo"): TIPOS_NARRATIVA,
    ("reformulaciones", "cambio"): CAMBIOS,
    ("narrativa", "trimestre"): tuple(TRIMESTRES),
    ("estadisticas", "mes"): MESES,
    ("reformulaciones", "mes"): MESES,
}


def letra(hoja: str, columna: str) -> str:
    return get_column_letter(COLUMNAS_CONTRATO[hoja].index(columna) + 1)


def validacion_de(hoja_xl, columna_letra: str):
    """La validación de datos que cubre la columna desde la fila 2 (None si no hay)."""
    for dv in hoja_xl.data_validations.dataValidation:
        for rango in dv.sqref.ranges:
            if (rango.min_col == rango.max_col == openpyxl.utils.column_index_from_string(
                    columna_letra) and rango.min_row == 2):
                return dv
    return None


@pytest.fixture(scope="module")
def ruta_plantilla(tmp_path_factory) -> Path:
    return escribir_plantilla(tmp_path_factory.mktemp("plantilla") / "poa_2025.xlsx")


@pytest.fixture(scope="module")
def libro(ruta_plantilla):
    return openpyxl.load_workbook(ruta_plantilla)


# --------------------------------------------------------------------------------------
# Hojas, columnas e instrucciones


def test_una_hoja_por_hoja_del_contrato_con_sus_columnas_en_orden(libro):
    assert libro.sheetnames == [HOJA_INSTRUCCIONES, *HOJAS]
    assert libro.active.title == HOJA_INSTRUCCIONES
    for hoja in HOJAS:
        hoja_xl = libro[hoja]
        encabezados = [c.value for c in hoja_xl[1]]
        assert encabezados == COLUMNAS_CONTRATO[hoja], hoja
        for col, celda in zip(CONTRATO[hoja], hoja_xl[1]):
            assert celda.font.b, (hoja, col.nombre)
            assert celda.fill.fill_type == "solid", (hoja, col.nombre)
        # Las obligatorias se distinguen de las opcionales por el color del encabezado.
        colores = {
            obligatoria: {celda.fill.fgColor.rgb for col, celda in zip(CONTRATO[hoja],
                                                                       hoja_xl[1])
                          if col.obligatoria == obligatoria}
            for obligatoria in (True, False)
        }
        assert len(colores[True]) == 1, hoja
        assert len(colores[False]) <= 1 and not colores[True] & colores[False], hoja


def test_cada_columna_del_contrato_dice_que_significa():
    """La ayuda de cada columna está en su definición en el contrato: ninguna sin ella, y
    las columnas de un grupo mensual (prog_01 a prog_12) con una sola, la del grupo."""
    sin_ayuda = [(hoja, col.nombre) for hoja in HOJAS for col in CONTRATO[hoja]
                 if not col.descripcion.strip()]
    assert sin_ayuda == []
    por_grupo = {}
    for hoja in HOJAS:
        for col in CONTRATO[hoja]:
            if col.grupo:
                por_grupo.setdefault((hoja, col.grupo), set()).add(col.descripcion)
    assert por_grupo and all(len(textos) == 1 for textos in por_grupo.values())
    assert set(PROPOSITOS) == set(HOJAS)


def _tabla_de_columnas(hoja_xl) -> list[tuple]:
    filas = list(hoja_xl.iter_rows(values_only=True))
    inicio = next(i for i, f in enumerate(filas) if tuple(f[:len(ENCABEZADO_COLUMNAS)])
                  == ENCABEZADO_COLUMNAS)
    tabla = []
    for fila in filas[inicio + 1:]:
        if fila[0] is None:
            break
        tabla.append(tuple(fila[:len(ENCABEZADO_COLUMNAS)]))
    return tabla


def test_instrucciones_describen_cada_hoja_y_cada_columna(libro):
    instrucciones = libro[HOJA_INSTRUCCIONES]
    esperadas = []
    for hoja in HOJAS:
        grupos = {}
        for col in CONTRATO[hoja]:
            grupos.setdefault(col.grupo or col.nombre, []).append(col)
        for clave, columnas in grupos.items():
            rotulo = (columnas[0].nombre if len(columnas) == 1
                      else f"{columnas[0].nombre} a {columnas[-1].nombre}")
            esperadas.append((hoja, rotulo, clave, columnas))
    tabla = _tabla_de_columnas(instrucciones)
    assert [(f[0], f[1]) for f in tabla] == [(h, r) for h, r, _, _ in esperadas]

    for fila, (hoja, _, clave, columnas) in zip(tabla, esperadas):
        _, _, obligatoria, tipo, significa, muestra = fila
        assert obligatoria == ("sí" if columnas[0].obligatoria else "no")
        assert tipo and significa == columnas[0].descripcion
        hoja_xl = libro[hoja]  # la fila 2: el ejemplo
        valores = [hoja_xl[f"{letra(hoja, c.nombre)}2"].value for c in columnas]
        # El ejemplo de las instrucciones es el de la fila 2 (vacío si la celda lo está).
        assert bool(muestra) == any(v is not None for v in valores), (hoja, clave)
        if len(columnas) == 1 and isinstance(valores[0], str):
            assert muestra == valores[0]

    # La tabla de hojas y los pasos nombran cada hoja y el comando que revisa el libro.
    textos = [str(c.value) for fila in instrucciones.iter_rows() for c in fila if c.value]
    for hoja in HOJAS:
        assert PROPOSITOS[hoja] in textos
    pasos = " ".join(textos)
    assert "informe-poa validar" in pasos and MARCA_EJEMPLO in pasos
    for hoja in HOJAS:
        assert hoja in pasos


def test_ningun_texto_es_una_formula(libro):
    for hoja_xl in libro.worksheets:
        for fila in hoja_xl.iter_rows():
            for celda in fila:
                assert celda.data_type != "f", (hoja_xl.title, celda.coordinate)


# --------------------------------------------------------------------------------------
# Listas desplegables y validaciones


def test_listas_de_valores_fijos(libro):
    for (hoja, columna), valores in LISTAS.items():
        dv = validacion_de(libro[hoja], letra(hoja, columna))
        assert dv is not None, (hoja, columna)
        assert dv.type == "list"
        assert dv.formula1 == '"' + ",".join(str(v) for v in valores) + '"'
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop")
        assert dv.error and dv.prompt and dv.showInputMessage
        assert f"{letra(hoja, columna)}{ULTIMA_FILA}" in str(dv.sqref)


def test_listas_de_codigos_de_otra_hoja(libro):
    """Cada referencia que la validación comprueba es una lista sobre la columna de la hoja
    de donde sale; la columna del rango es la del encabezado correcto."""
    for (hoja, columna), (origen, columna_origen) in {**REFERENCIAS, **SUGERENCIAS}.items():
        dv = validacion_de(libro[hoja], letra(hoja, columna))
        assert dv is not None, (hoja, columna)
        col = letra(origen, columna_origen)
        assert dv.type == "list"
        assert dv.formula1 == f"{origen}!${col}$2:${col}${ULTIMA_FILA}"
        assert libro[origen][f"{col}1"].value == columna_origen
        estilo = "warning" if (hoja, columna) in SUGERENCIAS else "stop"
        assert (dv.errorStyle or "stop") == estilo, (hoja, columna)
        assert dv.error and dv.prompt
    assert not set(SUGERENCIAS) & set(REFERENCIAS)


def test_minimos_numericos_como_la_validacion(libro):
    """Los números que la validación no admite negativos piden >= 0 (salvo los que tienen una
    lista); el devengado y lo recaudado no tienen mínimo."""
    for hoja in HOJAS:
        for col in CONTRATO[hoja]:
            dv = validacion_de(libro[hoja], letra(hoja, col.nombre))
            if col.nombre in COLUMNAS_NO_NEGATIVAS[hoja] and (hoja, col.nombre) not in LISTAS:
                assert dv is not None and dv.type == "decimal", (hoja, col.nombre)
                assert (dv.operator, dv.formula1) == ("greaterThanOrEqual", "0")
                assert dv.error and dv.prompt
            if col.grupo in ("dev", "rec"):
                assert dv is None, (hoja, col.nombre)
    assert any(c.grupo == "dev" for c in CONTRATO["presupuesto"])


def test_la_plantilla_y_la_validacion_rechazan_los_mismos_negativos(tmp_path):
    """Un -1 en cada columna con mínimo 0 de la plantilla es un error de `cargar_datos` en
    esa misma celda; en dev_ y rec_ (sin mínimo) se acepta."""
    ruta = escribir_plantilla(tmp_path / "poa.xlsx")
    libro = openpyxl.load_workbook(ruta)
    esperados = set()
    for hoja in HOJAS:
        for col in CONTRATO[hoja]:
            dv = validacion_de(libro[hoja], letra(hoja, col.nombre))
            con_minimo = dv is not None and dv.type == "decimal"
            if con_minimo or col.grupo in ("dev", "rec"):
                libro[hoja][f"{letra(hoja, col.nombre)}2"] = -1
            if con_minimo:
                esperados.add((hoja, 2, col.nombre))
    assert esperados
    libro.save(ruta)
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(ruta)
    negativos = {(p.hoja, p.fila, p.columna) for p in error.value.problemas
                 if "es negativo" in p.mensaje}
    assert negativos == esperados


# --------------------------------------------------------------------------------------
# Protección, paneles, formatos


def test_encabezado_protegido_y_el_resto_libre(libro):
    for hoja in HOJAS:
        hoja_xl = libro[hoja]
        proteccion = hoja_xl.protection
        assert proteccion.sheet and not proteccion.password, hoja
        # True prohíbe: se pueden insertar y borrar filas, ordenar, filtrar y dar formato;
        # no insertar ni borrar columnas (moverían los encabezados).
        for permitido in ("insertRows", "deleteRows", "sort", "autoFilter", "formatCells",
                          "formatColumns", "formatRows"):
            assert getattr(proteccion, permitido) is False, (hoja, permitido)
        assert proteccion.insertColumns and proteccion.deleteColumns
        n = len(COLUMNAS_CONTRATO[hoja])
        for j in range(1, n + 1):
            assert hoja_xl.cell(1, j).protection.locked, (hoja, j)
            assert not hoja_xl.cell(2, j).protection.locked, (hoja, j)
            # Las filas que el planificador agrega toman el estilo de la columna.
            assert not hoja_xl.column_dimensions[get_column_letter(j)].protection.locked
        # Las columnas propias, a la derecha del contrato, también quedan libres.
        libres = hoja_xl.column_dimensions[get_column_letter(n + 1)]
        assert (libres.min, libres.max) == (n + 1, 16384)
        assert not libres.protection.locked
    assert not libro[HOJA_INSTRUCCIONES].protection.sheet


def test_paneles_filtro_y_anchos(libro):
    for hoja in HOJAS:
        hoja_xl = libro[hoja]
        ultima = get_column_letter(len(COLUMNAS_CONTRATO[hoja]))
        assert hoja_xl.freeze_panes == "A2"
        assert hoja_xl.auto_filter.ref == f"A1:{ultima}{ULTIMA_FILA}"
        for j, nombre in enumerate(COLUMNAS_CONTRATO[hoja], start=1):
            ancho = hoja_xl.column_dimensions[get_column_letter(j)].width
            assert ancho >= len(nombre) + 1, (hoja, nombre)


def test_formatos_de_numero(libro):
    for hoja in HOJAS:
        hoja_xl = libro[hoja]
        for col in CONTRATO[hoja]:
            formato = hoja_xl.column_dimensions[letra(hoja, col.nombre)].number_format
            assert hoja_xl[f"{letra(hoja, col.nombre)}2"].number_format == formato
            if col.tipo == "fecha":
                assert formato == "DD/MM/YYYY"
            elif col.tipo == "entero" or LISTAS.get((hoja, col.nombre)) == MESES:
                assert formato == "0", (hoja, col.nombre)
            elif col.tipo == "numero" and hoja in ("presupuesto", "ingresos"):
                assert formato == "#,##0.00", (hoja, col.nombre)
            elif col.tipo == "texto":
                assert formato == "@", (hoja, col.nombre)


# --------------------------------------------------------------------------------------
# La fila de ejemplo


def test_la_fila_de_ejemplo_es_coherente_y_se_avisa(ruta_plantilla, libro):
    """Decisión: el ejemplo es un POA mínimo válido, para que se vea cómo se citan las hojas
    entre sí; la plantilla tal como sale se lee sin errores cuando se la revisa sola
    (`plantilla_admitida`), y `avisos_de_ejemplo` señala el ejemplo en cada hoja (códigos
    que empiezan con MARCA_EJEMPLO). Para un informe, cada fila de ejemplo es un error."""
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(ruta_plantilla)
    assert [(p.hoja, p.fila, p.mensaje) for p in error.value.problemas] == [
        (h, 2, pista_de_ejemplo()) for h in HOJAS]
    datos = cargar_datos(ruta_plantilla, plantilla_admitida=True)
    for hoja in HOJAS:
        tabla = getattr(datos, hoja)
        assert list(tabla["fila"]) == [2], hoja
        for celda in libro[hoja][2]:
            assert celda.font.i, (hoja, celda.coordinate)
    avisos = avisos_de_ejemplo(datos)
    assert [(a.hoja, a.fila) for a in avisos] == [(h, 2) for h in HOJAS]
    assert all(a.archivo == ruta_plantilla.name and MARCA_EJEMPLO in a.mensaje for a in avisos)
    # El ejemplo cita lo que existe en las otras hojas (una celda vacía no cita nada).
    for (hoja, columna), (origen, columna_origen) in REFERENCIAS.items():
        citados = set(getattr(datos, hoja)[columna]) - {""}
        assert citados <= set(getattr(datos, origen)[columna_origen]), (hoja, columna)


def test_la_fila_de_ejemplo_que_queda_se_nombra_para_borrarla(tmp_path):
    """Con el ejemplo de unidades y de acp borrado, el error de cada fila de ejemplo que los
    cita dice que es el ejemplo y que se borre (sin sugerir otro código); una fila de
    ejemplo con un valor cambiado ya no es el ejemplo, y una a la que sólo se le agregó lo
    ejecutado de otro mes, sí."""
    ruta = escribir_plantilla(tmp_path / "poa.xlsx")
    libro = openpyxl.load_workbook(ruta)
    borradas = ("unidades", "acp")
    for hoja in borradas:
        libro[hoja].delete_rows(2)
    # ingresos: su código sin la marca del ejemplo y otra descripción (ya no es el ejemplo);
    # operaciones: lo ejecutado del último mes (sigue siéndolo).
    ejemplo = ejemplos(2000)["ingresos"]
    libro["ingresos"][f"{letra('ingresos', 'rubro')}2"] = ejemplo["rubro"].removeprefix(
        f"{MARCA_EJEMPLO}-")
    libro["ingresos"][f"{letra('ingresos', 'descripcion')}2"] = (
        ejemplo["descripcion"] + " propia")
    libro["operaciones"][f"{letra('operaciones', COLUMNAS_CONTRATO['operaciones'][-1])}2"] = 1
    libro.save(ruta)
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_datos(ruta)
    citan = {hoja for (hoja, _), (origen, _) in REFERENCIAS.items() if origen in borradas}
    en_ejemplo = [p for p in info.value.problemas if p.fila == 2]
    # Todas las filas de ejemplo que quedan, juntas con los demás errores en la primera
    # pasada: las que citan lo borrado, con su error y la pista; las demás, con la pista.
    assert {p.hoja for p in en_ejemplo} == set(HOJAS) - {*borradas, "ingresos"}
    assert {p.hoja for p in en_ejemplo if p.mensaje != pista_de_ejemplo()} == citan
    pista = pista_de_ejemplo()
    assert "fila de ejemplo de la plantilla" in pista and "bórrela" in pista
    assert all(p.mensaje.endswith(pista) and "quiso decir" not in p.mensaje
               for p in en_ejemplo)
    # Con las hojas borradas de vuelta en su lugar, cada fila de ejemplo es un error (el
    # libro ya no es la plantilla tal como sale: tiene una fila propia en ingresos).
    libro = openpyxl.load_workbook(ruta)
    for hoja in borradas:
        for columna, valor in ejemplos(2000)[hoja].items():
            libro[hoja][f"{letra(hoja, columna)}2"] = valor
    libro.save(ruta)
    for admitida in (False, True):
        with pytest.raises(ErrorDeEntrada) as info:
            cargar_datos(ruta, plantilla_admitida=admitida)
        assert [(p.hoja, p.fila, p.mensaje) for p in info.value.problemas] == [
            (h, 2, pista) for h in HOJAS if h != "ingresos"]


def test_la_gestion_fija_los_anios_del_ejemplo(tmp_path):
    gestion = dt.date.today().year + 7
    datos = cargar_datos(escribir_plantilla(tmp_path / "poa.xlsx", gestion=gestion),
                         plantilla_admitida=True)
    assert datos.reformulaciones["fecha"].dt.year.tolist() == [gestion]
    assert datos.historico["gestion"].tolist() == [gestion - 1]


def test_sin_la_fila_de_ejemplo_la_plantilla_vacia_no_es_un_poa(tmp_path):
    ruta = escribir_plantilla(tmp_path / "poa.xlsx")
    libro = openpyxl.load_workbook(ruta)
    for hoja in HOJAS:
        libro[hoja].delete_rows(2)
    libro.save(ruta)
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(ruta)
    vacias = [p.hoja for p in error.value.problemas if "no tiene filas de datos" in p.mensaje]
    assert vacias == list(HOJAS_OBLIGATORIAS)
    assert len(error.value.problemas) == len(HOJAS_OBLIGATORIAS)


# --------------------------------------------------------------------------------------
# Un planificador llena la plantilla

_POA = {
    "unidades": [
        {"codigo_unidad": "DGAA", "nombre": "Dirección General de Asuntos Administrativos",
         "area": "ADM_CENTRAL", "servicio": "Central", "tipo": "Dirección General"},
        {"codigo_unidad": "CG-IQQ", "nombre": "Consulado General en Iquique",
         "area": "SERV_EXTERIOR", "servicio": "Exterior", "tipo": "Consulado General"},
    ],
    "areas": [{"area": "ADM_CENTRAL", "nombre": "Administración Central", "sigla": "Adm."}],
    "acp": [
        {"codigo_acp": "1", "descripcion": "Gestionar los recursos de la entidad con eficiencia",
         "resultado_esperado": "Estados financieros presentados en plazo",
         "codigo_amp": "AMP 4"},
        {"codigo_acp": "2", "descripcion": "Atender a los bolivianos en el exterior"},
    ],
    "operaciones": [
        {"codigo_operacion": "OP-01", "codigo_acp": "1", "codigo_unidad": "DGAA",
         "descripcion": "Elaborar los estados financieros", "tareas": 3,
         **{f"prog_{m:02d}": 1 for m in (3, 6, 9, 12)}, "ejec_03": 1, "ejec_06": 0},
        {"codigo_operacion": "OP-02", "codigo_acp": "2", "codigo_unidad": "CG-IQQ",
         "descripcion": "Emitir pasaportes", "unidad_medida": "Pasaporte",
         **{f"prog_{m:02d}": 40 for m in MESES}, **{f"ejec_{m:02d}": 38.5 for m in (1, 2)}},
        {"codigo_operacion": "OP-03", "codigo_acp": "2", "codigo_unidad": "CG-IQQ",
         "descripcion": "Ferias consulares", "no_aplica": "Suspendidas por el país receptor"},
    ],
    "presupuesto": [
        {"categoria_programatica": "00 0 001", "programa": "Administración central",
         "codigo_unidad": "DGAA", "codigo_acp": "1", "fuente": "10 TGN", "inicial": 500000,
         "vigente": 520000.5, "vig_04": 520000.5, "dev_01": 41000, "dev_02": -350.25},
        {"categoria_programatica": "00 0 001", "programa": "Administración central",
         "codigo_unidad": "CG-IQQ", "codigo_acp": "2", "fuente": "20 Recursos Específicos",
         "vigente": 80000},
    ],
    "narrativa": [
        {"codigo_unidad": "CG-IQQ", "trimestre": 1, "tipo": TIPOS_NARRATIVA[1],
         "texto": "Demora en la provisión de libretas", "codigo_acp": "2"},
    ],
}


def test_un_poa_escrito_en_la_plantilla_se_lee_igual(tmp_path):
    """Como un planificador: borra las filas de ejemplo, escribe un POA pequeño (y una columna
    propia), guarda; `cargar_datos` lo lee sin errores y con los mismos valores."""
    ruta = escribir_plantilla(tmp_path / "poa_2025.xlsx")
    libro = openpyxl.load_workbook(ruta)
    for hoja in HOJAS:
        libro[hoja].delete_rows(2)
    for hoja, filas in _POA.items():
        hoja_xl = libro[hoja]
        for i, fila in enumerate(filas, start=2):
            for columna, valor in fila.items():
                celda = hoja_xl[f"{letra(hoja, columna)}{i}"]
                celda.value = valor
                if isinstance(valor, str):
                    celda.data_type = "s"  # como lo guarda Excel en una celda de texto
    propia = get_column_letter(len(COLUMNAS_CONTRATO["operaciones"]) + 1)
    libro["operaciones"][f"{propia}1"] = "observaciones"
    libro["operaciones"][f"{propia}2"] = "revisada"
    libro.save(ruta)

    datos = cargar_datos(ruta)
    assert avisos_de_ejemplo(datos) == []
    for hoja in HOJAS:
        tabla = getattr(datos, hoja)
        filas = _POA.get(hoja, [])
        assert list(tabla["fila"]) == list(range(2, 2 + len(filas))), hoja
        for col in CONTRATO[hoja]:
            leidos = list(tabla[col.nombre])
            escritos = [fila.get(col.nombre) for fila in filas]
            for leido, escrito in zip(leidos, escritos):
                if col.tipo == "texto":
                    assert leido == ("" if escrito is None else escrito), (hoja, col.nombre)
                elif escrito is None:
                    assert (math.isnan(leido) if math.isnan(col.vacio)
                            else leido == col.vacio), (hoja, col.nombre)
                else:
                    assert leido == escrito, (hoja, col.nombre)
    assert list(datos.operaciones["observaciones"]) == ["revisada", "", ""]


def test_no_reemplaza_un_archivo_ni_crea_carpetas(tmp_path):
    ruta = tmp_path / "poa.xlsx"
    ruta.write_bytes(b"libro del planificador")
    with pytest.raises(FileExistsError):
        escribir_plantilla(ruta)
    assert ruta.read_bytes() == b"libro del planificador"
    with pytest.raises(FileNotFoundError):
        escribir_plantilla(tmp_path / "no-existe" / "poa.xlsx")
    assert not (tmp_path / "no-existe").exists()
    with pytest.raises(ValueError):
        escribir_plantilla(tmp_path / "poa.ods")
    assert not (tmp_path / "poa.ods").exists()


def test_se_ejecuta_como_modulo(tmp_path):
    ruta = tmp_path / "poa_2025.xlsx"
    orden = [sys.executable, "-m", "helpers.entrada.plantilla", str(ruta)]
    primera = subprocess.run(orden, capture_output=True, text=True, timeout=120)
    assert primera.returncode == 0, primera.stderr
    assert ruta.is_file() and str(ruta) in primera.stdout
    contenido = ruta.read_bytes()
    segunda = subprocess.run(orden, capture_output=True, text=True, timeout=120)
    assert segunda.returncode == 2 and "ya existe" in segunda.stderr
    assert ruta.read_bytes() == contenido


# --------------------------------------------------------------------------------------
# LibreOffice


@pytest.mark.lento
def test_libreoffice_conserva_listas_y_proteccion(ruta_plantilla, tmp_path):
    """La plantilla abierta y guardada como .xlsx por LibreOffice (sin interfaz) conserva las
    hojas, las listas desplegables, la protección y la fila de ejemplo legible. LibreOffice
    recorta el rango de cada validación a unas mil filas después de la última usada: se
    comprueba desde qué celda empieza, no hasta dónde llega. Sin interfaz no guarda la
    vista (los paneles inmovilizados), que se comprueba en el libro original."""
    salida = tmp_path / "libreoffice"
    convertido = fabrica.guardar_con_libreoffice(ruta_plantilla, salida)

    libro = openpyxl.load_workbook(convertido)
    assert libro.sheetnames == [HOJA_INSTRUCCIONES, *HOJAS]
    for hoja in HOJAS:
        hoja_xl = libro[hoja]
        assert [c.value for c in hoja_xl[1]] == COLUMNAS_CONTRATO[hoja]
        assert hoja_xl.protection.sheet and not hoja_xl.protection.insertRows
        assert hoja_xl["A1"].protection.locked and not hoja_xl["A2"].protection.locked
        assert not hoja_xl.column_dimensions["A"].protection.locked
    for (hoja, columna), valores in LISTAS.items():
        dv = validacion_de(libro[hoja], letra(hoja, columna))
        assert dv is not None and dv.formula1 == '"' + ",".join(map(str, valores)) + '"'
    for (hoja, columna), (origen, columna_origen) in REFERENCIAS.items():
        dv = validacion_de(libro[hoja], letra(hoja, columna))
        col = letra(origen, columna_origen)
        assert dv is not None and dv.formula1 == f"{origen}!${col}$2:${col}${ULTIMA_FILA}"
    datos = cargar_datos(convertido, plantilla_admitida=True)
    assert [(a.hoja, a.fila) for a in avisos_de_ejemplo(datos)] == [(h, 2) for h in HOJAS]


def test_la_guia_de_la_plantilla_nombra_las_reglas_del_contrato():
    """docs/plantilla.md dice hasta qué fila llegan las validaciones, cada valor de las listas
    fijas y de qué hoja sale cada código de otra hoja."""
    guia = (Path(__file__).resolve().parents[1] / "docs" / "plantilla.md").read_text()
    assert f"fila {ULTIMA_FILA}" in guia
    for hoja in HOJAS:
        assert f"`{hoja}`" in guia, hoja
    for valores in (TIPOS_NARRATIVA, CAMBIOS):
        for valor in valores:
            assert f"`{valor}`" in guia, valor
    lineas = guia.splitlines()
    for (hoja, columna), (origen, columna_origen) in {**REFERENCIAS, **SUGERENCIAS}.items():
        assert any(f"`{columna}` de" in linea and f"`{hoja}`" in linea
                   and f"`{columna_origen}` de `{origen}`" in linea for linea in lineas), (
            hoja, columna)
