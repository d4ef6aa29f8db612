"""La revisión de un libro (`informe-poa validar`): errores y advertencias en su celda, el
listado en pantalla y la copia marcada `<nombre>-revisado.xlsx`.

Los libros salen de `fabrica` con cambios hechos aquí; lo que se espera (filas, letras,
valores, celdas de cada advertencia) se calcula de las tablas escritas, no se escribe a mano.
"""
from __future__ import annotations

import copy
from pathlib import Path

import fabrica
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from helpers.calculo.advertencias import (
    ADVERTENCIA_DEVENGADO_NEGATIVO,
    ADVERTENCIA_SIN_PROGRAMACION,
    ADVERTENCIA_SIN_REPORTE,
    advertencias,
    mes_de_corte_del_libro,
)
from helpers.calculo.tablas import calcular_tablas
from helpers.comun.literal import PREFIJOS_FORMULA, celda, texto_de_celda
from helpers.entrada.contrato import COLUMNAS_CONTRATO
from helpers.entrada.datos import cargar_datos
from helpers.entrada.fila_de_ejemplo import ejemplos
from helpers.entrada.parametros import Metodologia
from helpers.entrada.sugerencias import pista_de_ejemplo
from helpers.revision import revisar, texto
from helpers.salida.libro_revisado import (
    HOJA_PROBLEMAS,
    RELLENO,
    RevisadoAjeno,
    es_revisado,
    escribir_revisado,
    ruta_revisado,
)

HOSTIL = '=HYPERLINK("http://ejemplo.org","x")'


# --------------------------------------------------------------------------------------
# Tablas de prueba y lo que se espera de ellas


def _fila(tablas, hoja: str, n: int) -> dict:
    """La fila `n` (como la numera la hoja de cálculo) de una tabla, por columna."""
    return dict(zip(tablas[hoja][0], tablas[hoja][n - 1]))


def _poner(tablas, hoja: str, n: int, columna: str, valor) -> None:
    tablas[hoja][n - 1][tablas[hoja][0].index(columna)] = valor


def _fila_de(tablas, hoja: str, columna: str, valor) -> int:
    posicion = tablas[hoja][0].index(columna)
    return next(n for n, f in enumerate(tablas[hoja][1:], start=2) if f[posicion] == valor)


def _letra(tablas, hoja: str, columna: str) -> str:
    return get_column_letter(tablas[hoja][0].index(columna) + 1)


def _con_mas_avisos() -> dict:
    """El POA pequeño con más casos de advertencia: un mes sin reporte en noviembre, un
    trimestre ejecutado sin meta (el cuarto, OP-02), un devengado negativo en noviembre y
    una operación NO APLICA que ejecuta sin meta (el informe no la señala)."""
    t = fabrica.tablas_pequenas()
    _poner(t, "operaciones", _fila_de(t, "operaciones", "codigo_operacion", "OP-07"), "ejec_11",
           None)
    op02 = _fila_de(t, "operaciones", "codigo_operacion", "OP-02")
    for mes in (10, 11, 12):
        _poner(t, "operaciones", op02, f"prog_{mes:02d}", 0)
    op05 = _fila_de(t, "operaciones", "codigo_operacion", "OP-05")
    _poner(t, "operaciones", op05, "ejec_02", 2)
    _poner(t, "presupuesto", 4, "dev_11", -200)
    return t


def _numero(valor) -> float:
    return 0.0 if valor is None else float(valor)


def _esperadas(tablas, corte: int) -> dict[str, set[tuple[str, int, str]]]:
    """Las celdas (hoja, fila, columna) de cada clase de advertencia, leídas de las tablas
    con las reglas del informe: meta y celda vacía; trimestre sin meta con ejecución (salvo
    NO APLICA); devengado menor que 0. Hasta `corte`."""
    avisos = {ADVERTENCIA_SIN_REPORTE: set(), ADVERTENCIA_SIN_PROGRAMACION: set(),
              ADVERTENCIA_DEVENGADO_NEGATIVO: set()}
    for n in range(2, len(tablas["operaciones"]) + 1):
        op = _fila(tablas, "operaciones", n)
        for mes in range(1, corte + 1):
            if _numero(op[f"prog_{mes:02d}"]) > 0 and op[f"ejec_{mes:02d}"] is None:
                avisos[ADVERTENCIA_SIN_REPORTE].add(("operaciones", n, f"ejec_{mes:02d}"))
        if op["no_aplica"]:
            continue
        for trimestre in range(1, (corte + 2) // 3 + 1):
            meses = range(3 * trimestre - 2, 3 * trimestre + 1)
            if (sum(_numero(op[f"prog_{m:02d}"]) for m in meses) == 0
                    and sum(_numero(op[f"ejec_{m:02d}"]) for m in meses) > 0):
                avisos[ADVERTENCIA_SIN_PROGRAMACION] |= {
                    ("operaciones", n, f"ejec_{m:02d}") for m in meses
                    if m <= corte and _numero(op[f"ejec_{m:02d}"]) > 0}
    for n in range(2, len(tablas["presupuesto"]) + 1):
        linea = _fila(tablas, "presupuesto", n)
        for mes in range(1, corte + 1):
            valor = linea[f"dev_{mes:02d}"]
            if isinstance(valor, (int, float)) and valor < 0:
                avisos[ADVERTENCIA_DEVENGADO_NEGATIVO].add(("presupuesto", n, f"dev_{mes:02d}"))
    return avisos


def _por_clase(problemas) -> dict[str, set[tuple[str, int, str]]]:
    clases = (ADVERTENCIA_SIN_REPORTE, ADVERTENCIA_SIN_PROGRAMACION,
              ADVERTENCIA_DEVENGADO_NEGATIVO)
    avisos = {clase: set() for clase in clases}
    for p in problemas:
        clase = next(c for c in clases if p.mensaje.startswith(f"{c}:"))
        avisos[clase].add((p.hoja, p.fila, p.columna))
    return avisos


# --------------------------------------------------------------------------------------
# Advertencias


@pytest.mark.parametrize("corte", [3, 6, 11, 12])
def test_advertencias_de_cada_clase_salen_de_los_datos(tmp_path, corte):
    tablas = _con_mas_avisos()
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    esperadas = _esperadas(tablas, corte)
    if corte >= 11:
        assert all(esperadas.values())  # la prueba tiene casos de cada clase
    assert _por_clase(advertencias(datos, corte)) == esperadas


def test_advertencias_coinciden_con_las_alertas_del_informe(tmp_path):
    """Cada alerta de operación o de línea del informe de cada trimestre tiene su celda
    entre las advertencias de ese corte, y al revés (también con la historia del POA)."""
    for nombre, tablas in (("poa.xlsx", _con_mas_avisos()),
                           ("historia.xlsx", fabrica.con_historia(_con_mas_avisos()))):
        datos = cargar_datos(fabrica.escribir_libro(tmp_path / nombre, tablas))
        codigo = dict(zip(datos.operaciones["fila"], datos.operaciones["codigo_operacion"]))
        for trimestre in range(1, 5):
            alertas = calcular_tablas(datos, trimestre, Metodologia())["alertas"]
            avisos = _por_clase(advertencias(datos, 3 * trimestre))
            del_trimestre = {f"ejec_{m:02d}" for m in range(3 * trimestre - 2, 3 * trimestre + 1)}

            def codigos(tipo, alertas=alertas):
                return set(alertas.loc[alertas["tipo"] == tipo, "codigo"])

            assert codigos("Mes sin reporte") == {
                codigo[f] for _, f, _ in avisos[ADVERTENCIA_SIN_REPORTE]}
            assert codigos("Ejecutado sin programación") == {
                codigo[f] for _, f, c in avisos[ADVERTENCIA_SIN_PROGRAMACION]
                if c in del_trimestre}
            assert (alertas["tipo"] == "Devengado negativo").sum() == len(
                avisos[ADVERTENCIA_DEVENGADO_NEGATIVO])


def test_las_operaciones_son_las_del_poa_en_vigor_al_corte(tmp_path):
    """Una operación dada de alta después del corte no tiene meses sin reporte antes."""
    tablas = fabrica.con_historia(fabrica.tablas_pequenas())
    op09 = _fila_de(tablas, "operaciones", "codigo_operacion", "OP-09")
    _poner(tablas, "operaciones", op09, "prog_03", 1)  # meta antes de su alta (mayo)...
    _poner(tablas, "operaciones", op09, "ejec_03", None)  # ... y sin reporte
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    en_op09 = {p.columna for p in advertencias(datos, 3) if p.fila == op09}
    assert en_op09 == set()
    # Al corte de junio la operación ya está, y la meta de marzo sin ejecución se señala.
    assert "ejec_03" in {p.columna for p in advertencias(datos, 6) if p.fila == op09}


def test_sin_parametros_el_corte_es_el_ultimo_mes_reportado(tmp_path):
    tablas = fabrica.tablas_pequenas()
    ultimo = 4
    for n in range(2, len(tablas["operaciones"]) + 1):
        for mes in range(ultimo + 1, 13):
            _poner(tablas, "operaciones", n, f"ejec_{mes:02d}", None)
    for n in range(2, len(tablas["presupuesto"]) + 1):
        for mes in range(ultimo + 1, 13):
            _poner(tablas, "presupuesto", n, f"dev_{mes:02d}", None)
    ruta = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    assert mes_de_corte_del_libro(cargar_datos(ruta)) == ultimo
    revision = revisar(ruta)
    assert revision.mes_corte == ultimo and not revision.corte_de_parametros
    assert _por_clase(revision.advertencias) == _esperadas(tablas, ultimo)
    listado = texto(revision)
    assert "Sin archivo de parámetros" in listado and "hasta abril" in listado


def test_parametros_dan_el_corte_y_la_regla_sin_reporte(tmp_path, libro_pequeno):
    tablas = fabrica.TABLAS
    for trimestre in (1, 2):
        params = fabrica.escribir_params(tmp_path / f"T{trimestre}.yaml", libro_pequeno,
                                         trimestre=trimestre,
                                         metodologia={"sin_reporte": "excluir"})
        revision = revisar(params)
        assert revision.parametros == params and revision.datos == libro_pequeno
        assert revision.mes_corte == 3 * trimestre and revision.corte_de_parametros
        assert revision.errores == []
        assert _por_clase(revision.advertencias) == _esperadas(tablas, 3 * trimestre)
        assert all("sin_reporte: excluir" in p.mensaje for p in revision.advertencias
                   if p.mensaje.startswith(ADVERTENCIA_SIN_REPORTE))
    # El mes sin reporte de OP-03 está en el segundo trimestre: sólo en la revisión del T2.
    assert _esperadas(tablas, 6)[ADVERTENCIA_SIN_REPORTE] - _esperadas(tablas, 3)[
        ADVERTENCIA_SIN_REPORTE]


def test_errores_de_parametros_con_su_clave_y_los_datos_igual_revisados(tmp_path):
    tablas = fabrica.tablas_pequenas()
    _poner(tablas, "presupuesto", 2, "vigente", "mucho")
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro, metodologia={"tope": True})
    revision = revisar(params)
    claves = {(p.archivo, p.columna) for p in revision.errores if p.hoja is None}
    assert ("p.yaml", "metodologia.tope") in claves
    assert ("presupuesto", 2, "vigente") in {(p.hoja, p.fila, p.columna)
                                             for p in revision.errores}
    listado = texto(revision)
    assert "Archivo de parámetros p.yaml" in listado and "clave metodologia.tope" in listado


def test_parametros_con_errores_fuera_del_proyecto_nombran_sus_datos_desde_su_carpeta(
        tmp_path):
    """Como `cargar_parametros` (`raiz_de`): aunque los parámetros tengan errores, su libro
    (`datos: poa.xlsx`) es el de su carpeta, y se revisa."""
    tablas = fabrica.tablas_pequenas()
    _poner(tablas, "presupuesto", 2, "vigente", "mucho")
    libro = fabrica.escribir_libro(tmp_path / "entidad" / "poa.xlsx", tablas)
    params = fabrica.escribir_params(tmp_path / "entidad" / "p.yaml", libro,
                                     datos=libro.name, metodologia={"tope": True})
    revision = revisar(params)
    assert revision.datos == libro
    assert ("presupuesto", 2, "vigente") in {(p.hoja, p.fila, p.columna)
                                             for p in revision.errores}


def test_parametros_ilegibles_sin_datos(tmp_path):
    params = tmp_path / "roto.yaml"
    params.write_text("entidad: [sin cerrar\n", encoding="utf-8")
    revision = revisar(params)
    assert revision.errores and revision.datos is None and revision.mes_corte is None
    assert texto(revision).startswith("Revisión de roto.yaml: 1 error")
    assert escribir_revisado(revision) is None


def test_unidad_de_planificacion_inexistente_es_un_error(tmp_path, libro_pequeno):
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro_pequeno,
                                     presentacion={"unidad_planificacion": "NOEXISTE"})
    revision = revisar(params)
    assert [p.columna for p in revision.errores] == ["presentacion.unidad_planificacion"]
    assert revision.advertencias  # los datos son válidos: las advertencias se calculan


# --------------------------------------------------------------------------------------
# Errores ubicados y el listado


def test_libro_valido_no_tiene_errores(libro_pequeno, carpeta_csv_pequena):
    del_libro, del_csv = revisar(libro_pequeno), revisar(carpeta_csv_pequena)
    assert del_libro.errores == [] and del_csv.errores == []
    assert _por_clase(del_libro.advertencias) == _esperadas(fabrica.TABLAS, 12)
    assert ([(p.hoja, p.fila, p.columna, p.mensaje) for p in del_libro.advertencias]
            == [(p.hoja, p.fila, p.columna, p.mensaje) for p in del_csv.advertencias])
    assert texto(del_libro).startswith(f"Revisión de {libro_pequeno.name}: ningún error")
    assert "Advertencias" in texto(del_libro)
    assert "Advertencias" not in texto(del_libro, con_advertencias=False)


@pytest.mark.parametrize("formato", ["xlsx", "csv"])
def test_errores_con_letra_y_valor_de_la_hoja(tmp_path, formato):
    tablas = fabrica.tablas_pequenas()
    # codigo_unidad al final de la hoja: la letra sale del libro, no del orden del contrato.
    ops = tablas["operaciones"]
    posicion = ops[0].index("codigo_unidad")
    for fila in ops:
        fila.append(fila.pop(posicion))
    n_op = 4
    _poner(tablas, "operaciones", n_op, "codigo_unidad", "DGXX")
    _poner(tablas, "presupuesto", 3, "vigente", "mucho")
    _poner(tablas, "unidades", 3, "servicio", None)
    ruta = (fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas) if formato == "xlsx"
            else fabrica.escribir_csv(tmp_path / "csv", tablas))
    revision = revisar(ruta)
    assert revision.advertencias == [] and revision.mes_corte is None
    esperados = {
        ("operaciones", n_op, "codigo_unidad"): "DGXX",
        ("presupuesto", 3, "vigente"): "mucho",
        ("unidades", 3, "servicio"): "",
    }
    encontrados = {(p.hoja, p.fila, p.columna): p for p in revision.errores}
    assert set(esperados) <= set(encontrados)
    listado = texto(revision)
    for (hoja, fila, columna), valor in esperados.items():
        problema = encontrados[(hoja, fila, columna)]
        celda_ = revision.celdas[problema]
        assert celda_.letra == _letra(tablas, hoja, columna)
        assert celda_.valor == valor
        encontrado = f"se encontró «{valor}»" if valor else "celda vacía"
        assert (f"fila {fila}, columna {celda_.letra} ({columna}): {encontrado} — "
                f"{problema.mensaje}") in listado
    # Los errores van antes que las advertencias, agrupados por hoja en el orden del libro.
    assert listado.index("Hoja unidades") < listado.index("Hoja operaciones") < listado.index(
        "Hoja presupuesto")
    assert "Las advertencias" in listado  # dice por qué no hay advertencias


@pytest.mark.parametrize("formato", ["xlsx", "csv"])
def test_filas_de_ejemplo_son_errores_en_la_primera_pasada(tmp_path, formato):
    """La fila de ejemplo de la plantilla que quedó en una hoja opcional (historico,
    recepcion) es un error, listado junto con los demás errores (aquí un número con un
    espacio que no separa miles), no una advertencia que sólo se ve al corregirlos."""
    tablas = fabrica.tablas_pequenas()
    ejemplo = ejemplos(fabrica.PARAMS_BASE["gestion"])
    tablas["historico"].append([ejemplo["historico"].get(c) for c in tablas["historico"][0]])
    columnas = list(COLUMNAS_CONTRATO["recepcion"])
    recepcion = [ejemplo["recepcion"].get(c) for c in columnas]
    if formato == "csv":  # la fecha, como la escribe una persona en un CSV
        recepcion = [v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in recepcion]
    tablas["recepcion"] = [columnas, recepcion]
    _poner(tablas, "presupuesto", 3, "vigente", "10 20")
    ruta = (fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas) if formato == "xlsx"
            else fabrica.escribir_csv(tmp_path / "csv", tablas))
    revision = revisar(ruta)
    esperados = {("historico", len(tablas["historico"]), "gestion"),
                 ("recepcion", 2, "codigo_unidad"), ("presupuesto", 3, "vigente")}
    assert {(p.hoja, p.fila, p.columna) for p in revision.errores} == esperados
    assert revision.advertencias == []
    listado = texto(revision)
    assert listado.startswith(f"Revisión de {ruta.name}: {len(esperados)} errores")
    assert listado.count(pista_de_ejemplo()) == 2


def test_columna_obligatoria_ausente_sin_letra(tmp_path):
    tablas = fabrica.tablas_pequenas()
    posicion = tablas["operaciones"][0].index("descripcion")
    for fila in tablas["operaciones"]:
        del fila[posicion]
    revision = revisar(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    problema = next(p for p in revision.errores if p.columna == "descripcion")
    assert problema.fila is None
    assert revision.celdas[problema].letra is None and revision.celdas[problema].valor is None
    assert f"columna descripcion: {problema.mensaje}" in texto(revision)


# --------------------------------------------------------------------------------------
# La copia marcada


def _con_errores(tmp_path: Path) -> tuple[Path, dict]:
    tablas = fabrica.tablas_pequenas()
    _poner(tablas, "operaciones", 4, "codigo_unidad", HOSTIL)
    _poner(tablas, "presupuesto", 3, "vigente", "mucho")
    # Una unidad TOTAL repetida: la segunda tiene dos problemas en la misma celda.
    _poner(tablas, "unidades", 2, "codigo_unidad", "TOTAL")
    _poner(tablas, "unidades", 3, "codigo_unidad", "TOTAL")
    return fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas, formulas=False), tablas


def test_copia_marcada_con_rellenos_comentarios_y_lista(tmp_path):
    libro, tablas = _con_errores(tmp_path)
    original = libro.read_bytes()
    revision = revisar(libro)
    destino = escribir_revisado(revision)
    assert destino == libro.with_name("poa-revisado.xlsx") == ruta_revisado(libro)
    assert libro.read_bytes() == original
    assert es_revisado(destino) and not es_revisado(libro)

    wb = openpyxl.load_workbook(destino)
    assert wb.sheetnames[0] == HOJA_PROBLEMAS and wb.active.title == HOJA_PROBLEMAS
    assert [h.title for h in wb.worksheets if h.sheet_view.tabSelected] == [HOJA_PROBLEMAS]
    lista = wb[HOJA_PROBLEMAS]
    assert lista.freeze_panes == "A2"
    assert lista.auto_filter.ref == f"A1:{get_column_letter(lista.max_column)}{lista.max_row}"
    # Impresa: horizontal, a lo ancho de una página, con el encabezado repetido.
    assert lista.page_setup.orientation == "landscape"
    assert lista.sheet_properties.pageSetUpPr.fitToPage and lista.page_setup.fitToWidth == 1
    assert lista.print_title_rows == "$1:$1"
    filas = list(lista.iter_rows(min_row=2))
    assert len(filas) == len(revision.errores) + len(revision.advertencias)

    encabezado = [c.value for c in lista[1]]
    col = {nombre: encabezado.index(nombre) for nombre in encabezado}
    for fila, problema in zip(filas, revision.errores):
        assert fila[col["clase"]].value == "error"
        assert texto_de_celda(fila[col["problema"]].value) == problema.mensaje
        enlace = fila[col["ir a la celda"]].hyperlink
        hoja, ref = enlace.location.split("!")
        marcada = wb[hoja.strip("'")][ref]
        assert marcada.fill.start_color.rgb.endswith(RELLENO["error"])
        assert problema.mensaje in marcada.comment.text
        letra = _letra(tablas, problema.hoja, problema.columna)
        assert ref == f"{letra}{problema.fila}"
        assert fila[col["columna"]].value == letra

    # Dos problemas de una celda: un solo comentario con los dos.
    segunda = wb["unidades"][f"{_letra(tablas, 'unidades', 'codigo_unidad')}3"]
    de_la_celda = [p.mensaje for p in revision.errores if (p.hoja, p.fila) == ("unidades", 3)]
    assert len(de_la_celda) == 2
    assert all(m in segunda.comment.text for m in de_la_celda)


def test_texto_hostil_inerte_en_la_copia(tmp_path):
    libro, tablas = _con_errores(tmp_path)
    wb = openpyxl.load_workbook(escribir_revisado(revisar(libro)))
    lista = wb[HOJA_PROBLEMAS]
    celdas = [c for fila in lista.iter_rows() for c in fila]
    assert not [c.coordinate for c in celdas if c.data_type == "f"]
    textos = [c.value for c in celdas if isinstance(c.value, str)]
    assert not [t for t in textos if t.startswith(PREFIJOS_FORMULA)]
    assert celda(HOSTIL) in textos  # el valor encontrado, tal cual y con su prefijo
    # La celda del libro sigue siendo texto en la copia.
    copia = wb["operaciones"][f"{_letra(tablas, 'operaciones', 'codigo_unidad')}4"]
    assert copia.value == HOSTIL and copia.data_type == "s"


def test_formula_sin_valor_se_muestra_y_queda_inerte(tmp_path):
    tablas = fabrica.tablas_pequenas()
    formula = "=1+1"
    _poner(tablas, "operaciones", 2, "prog_01", formula)  # openpyxl no guarda su valor
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    revision = revisar(libro)
    problema = next(p for p in revision.errores if p.columna == "prog_01")
    assert revision.celdas[problema].valor == formula
    lista = openpyxl.load_workbook(escribir_revisado(revision))[HOJA_PROBLEMAS]
    valores = [c.value for c in lista[2]]
    assert celda(formula) in valores and formula not in valores


def test_advertencias_en_ambar(tmp_path, libro_pequeno):
    revision = revisar(libro_pequeno)
    wb = openpyxl.load_workbook(escribir_revisado(revision))
    for problema in revision.advertencias:
        marcada = wb[problema.hoja][f"{revision.celdas[problema].letra}{problema.fila}"]
        assert marcada.fill.start_color.rgb.endswith(RELLENO["advertencia"])
        assert marcada.comment.text == f"Advertencia: {problema.mensaje}"
    clases = [c.value for c in wb[HOJA_PROBLEMAS]["A"][1:]]
    assert clases == ["advertencia"] * len(revision.advertencias)
    # Un devengado negativo se lista como el número que es, no como texto con apóstrofo.
    lista = wb[HOJA_PROBLEMAS]
    encabezado = [c.value for c in lista[1]]
    valores = [fila[encabezado.index("valor encontrado")].value
               for fila in lista.iter_rows(min_row=2)]
    negativos = [_fila(fabrica.TABLAS, p.hoja, p.fila)[p.columna]
                 for p in revision.advertencias if p.mensaje.startswith(
                     ADVERTENCIA_DEVENGADO_NEGATIVO)]
    assert negativos and all(v in valores for v in negativos)


def test_sin_problemas_no_hay_copia_y_se_borra_la_nuestra(tmp_path):
    tablas = fabrica.tablas_pequenas()
    for (hoja, n, columna) in set().union(*_esperadas(tablas, 12).values()):
        if hoja == "presupuesto":
            _poner(tablas, hoja, n, columna, 0)
        elif _fila(tablas, hoja, n)[columna] is None:
            _poner(tablas, hoja, n, columna, 0)  # mes sin reporte: se reporta 0
        else:
            _poner(tablas, hoja, n, columna.replace("ejec", "prog"), 1)  # se programa
    assert not any(_esperadas(tablas, 12).values())
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", fabrica.tablas_pequenas())
    anterior = escribir_revisado(revisar(libro))  # una revisión con advertencias
    assert anterior is not None and anterior.exists()
    assert escribir_revisado(revisar(libro)) == anterior  # se reemplaza la nuestra
    fabrica.escribir_libro(libro, tablas)  # el libro corregido
    revision = revisar(libro)
    assert revision.errores == [] and revision.advertencias == []
    assert escribir_revisado(revision) is None
    assert not anterior.exists()


def test_un_revisado_ajeno_no_se_toca(tmp_path, libro_pequeno):
    ajeno = ruta_revisado(libro_pequeno)
    fabrica.escribir_libro(ajeno, {"hoja": [["algo"]]})
    contenido = ajeno.read_bytes()
    with pytest.raises(RevisadoAjeno):
        escribir_revisado(revisar(libro_pequeno))
    assert ajeno.read_bytes() == contenido
    # Sin problemas tampoco se borra.
    vacia = copy.deepcopy(revisar(libro_pequeno))
    vacia.advertencias = []
    assert escribir_revisado(vacia) is None and ajeno.read_bytes() == contenido


@pytest.mark.parametrize("contenido", [b"esto no es un libro", b""])
def test_libro_ilegible_sin_copia(tmp_path, contenido):
    libro = tmp_path / "roto.xlsx"
    libro.write_bytes(contenido)
    revision = revisar(libro)
    assert revision.errores and revision.celdas == {}
    assert escribir_revisado(revision) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roto.xlsx"]


def test_carpeta_csv_sin_copia(carpeta_csv_pequena):
    antes = sorted(p.name for p in carpeta_csv_pequena.parent.rglob("*"))
    assert escribir_revisado(revisar(carpeta_csv_pequena)) is None
    assert sorted(p.name for p in carpeta_csv_pequena.parent.rglob("*")) == antes
