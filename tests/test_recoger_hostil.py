"""`informe-poa recoger` con formularios armados a propósito (helpers.formularios.recoleccion,
helpers.formularios.libro y helpers.formularios.recogida): texto que una hoja de cálculo
ejecutaría, en el nombre de un archivo, en la hoja de ruta de `recepcion.csv` o en la unidad de
la hoja identidad, llega inerte al `recepcion.csv` del libro recogido; una hoja identidad con
números fuera de rango rechaza ese formulario, rápido y con la razón, y los demás se recogen;
lo que no se toma se dice (filas debajo de la tabla, un archivo con el nombre de otra
unidad); un `--salida` dentro de un informe no sirve; un ZIP que sólo tiene
`[Content_Types].xml` se explica en castellano en `recoger`, `validar` y la lectura de datos.

Los formularios los escribe `informe-poa formularios` con el libro pequeño (`test_recoger`);
lo esperado se calcula de lo que la prueba escribió.
"""
from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import test_recoger
from test_recoger import _estado, _fechar, _llenar, _params, _recibir

from helpers.cli import ERROR_DE_ENTRADA, main
from helpers.comun.literal import PREFIJOS_FORMULA, celda
from helpers.formularios.libro import (
    FILAS_DE_HOJA,
    HOJA_IDENTIDAD,
    HOJA_SEGUIMIENTO,
    leer_identidad,
)
from helpers.formularios.recogida import recoger
from helpers.formularios.recoleccion import ARCHIVO_RECEPCION, Estado

# El libro pequeño y sus formularios, (libro, unidad -> archivo): la fixture de test_recoger.
emitidos = test_recoger.emitidos


def _cambiar_identidad(ruta: Path, **valores) -> None:
    """Escribe `valores` (campo -> valor) en la hoja identidad del formulario `ruta`."""
    libro = openpyxl.load_workbook(ruta)
    for fila in libro[HOJA_IDENTIDAD].iter_rows(min_row=2):
        if fila[0].value in valores:
            fila[1].value = valores[fila[0].value]
    libro.save(ruta)


def _celdas_csv(ruta: Path) -> list[list[str]]:
    with ruta.open(encoding="utf-8", newline="") as archivo:
        return list(csv.reader(archivo))


# --------------------------------------------------------------------------------------
# recepcion.csv: texto inerte


def test_recepcion_csv_sin_celdas_que_empiecen_como_formula(emitidos, tmp_path):
    """Un archivo por cada inicio de fórmula (`=SUM(1).xlsx`, `@SUM(1).xlsx`...), una hoja
    de ruta y un código de unidad (de la hoja identidad) que empiezan como fórmula: en
    `recepcion.csv` llevan el apóstrofo delante y ninguna celda de texto empieza como
    fórmula, ni una fila nueva dentro de un texto."""
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    # Y uno con un retorno de carro dentro: sin comillas, lo que le sigue sería otra fila.
    nombres = [*(f"{prefijo}SUM(1).xlsx" for prefijo in PREFIJOS_FORMULA),
               f"x\r{PREFIJOS_FORMULA[0]}SUM(1).xlsx"]
    for nombre in nombres:
        _llenar(_recibir(formularios["DGRM"], recibidos, nombre), 1)
    _llenar(_recibir(formularios["DGRB"], recibidos), 2)
    codigo_hostil = f"{PREFIJOS_FORMULA[3]}A1"
    otra_unidad = _recibir(formularios["CG-ARI"], recibidos)
    _cambiar_identidad(otra_unidad, codigo_unidad=codigo_hostil)
    hoja_ruta = f'{PREFIJOS_FORMULA[0]}HYPERLINK("http://x")'
    with (recibidos / ARCHIVO_RECEPCION).open("w", encoding="utf-8", newline="") as archivo:
        csv.writer(archivo).writerows([["codigo_unidad", "fecha", "hoja_ruta"],
                                       ["DGRB", "01/01/2024", hoja_ruta]])
    salida = tmp_path / "s" / "r.xlsx"
    recogida = recoger(_params(tmp_path, libro), recibidos, salida)
    assert _estado(recogida.registro, otra_unidad.name)["codigo_unidad"] == codigo_hostil

    encabezado, *filas = _celdas_csv(salida.parent / ARCHIVO_RECEPCION)
    assert len(filas) == len(recogida.registro)
    vistas = set()
    for fila in filas:
        for columna, valor in zip(encabezado, fila, strict=True):
            vistas.add(valor)
            if columna != "ronda":
                assert not valor.startswith(PREFIJOS_FORMULA), (columna, valor)
    for hostil in [*nombres, codigo_hostil, hoja_ruta]:
        assert celda(hostil) in vistas, hostil


# --------------------------------------------------------------------------------------
# Una hoja identidad con números fuera de rango


def _reemplazar_en_las_hojas(ruta: Path, antes: str, despues: str) -> None:
    """Reemplaza `antes` por `despues` en el XML de las hojas: un valor que openpyxl no
    escribe (infinito)."""
    temporal = ruta.with_suffix(".tmp")
    with zipfile.ZipFile(ruta) as origen, zipfile.ZipFile(temporal, "w") as destino:
        for parte in origen.infolist():
            contenido = origen.read(parte)
            if parte.filename.startswith("xl/worksheets/"):
                contenido = contenido.replace(antes.encode(), despues.encode())
            destino.writestr(parte, contenido)
    temporal.replace(ruta)


def _celdas_acotadas(monkeypatch, limite: int) -> None:
    """Falla si la lectura pide más de `limite` celdas a openpyxl: cada celda vacía que pide
    la crea (una identidad que dice un millón de operaciones, minutos y gigabytes)."""
    from openpyxl.worksheet.worksheet import Worksheet

    original = Worksheet.cell
    pedidas = [0]

    def contar(self, *args, **kwargs):
        pedidas[0] += 1
        assert pedidas[0] <= limite, "la lectura pide a openpyxl celdas que el libro no tiene"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Worksheet, "cell", contar)


_CENTINELA = 987654321  # un entero que ninguna hoja del formulario trae


@pytest.mark.parametrize(("campo", "valor", "dice"), [
    ("operaciones", FILAS_DE_HOJA - 20, None),  # cabe en la hoja, la tabla no la tiene
    ("operaciones", FILAS_DE_HOJA * 10, None),
    ("operaciones", -3, None),
    ("fila_encabezado", 0, None),
    ("fila_encabezado", -5, None),
    ("fila_encabezado", FILAS_DE_HOJA * 10, None),
    ("operaciones", _CENTINELA, "inf"),  # `1e400` en el XML: openpyxl lo lee infinito
    ("operaciones", 2.5, None),
    ("gestion", "2024x", None),
])
def test_una_identidad_fuera_de_rango_rechaza_solo_ese_formulario(
        emitidos, tmp_path, monkeypatch, campo, valor, dice):
    """El formulario se rechaza (alterado) con el campo y lo que dice, sin una traza y sin
    pedir a openpyxl las celdas de un millón de filas; el otro se recoge."""
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    armado = _recibir(formularios["DGRM"], recibidos)
    _llenar(armado, 1)
    _cambiar_identidad(armado, **{campo: valor})
    if dice is not None:
        _reemplazar_en_las_hojas(armado, f"<v>{valor}</v>", "<v>1e400</v>")
    _celdas_acotadas(monkeypatch, 100_000)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, armado.name)
    assert fila["estado"] == Estado.ALTERADO
    assert campo in fila["motivo"] or "celda" in fila["motivo"], fila["motivo"]
    assert str(dice or valor) in fila["motivo"], fila["motivo"]
    assert _estado(recogida.registro, "DGRB.xlsx")["estado"] == Estado.ACEPTADO


def test_una_identidad_fuera_de_rango_por_la_orden_sin_traza(emitidos, tmp_path, capsys):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    armado = _recibir(formularios["DGRM"], recibidos)
    _cambiar_identidad(armado, operaciones=_CENTINELA)
    _reemplazar_en_las_hojas(armado, f"<v>{_CENTINELA}</v>", "<v>1e400</v>")
    assert main(["recoger", str(_params(tmp_path, libro)), str(recibidos), "--salida",
                 str(tmp_path / "s" / "r.xlsx")]) == 0
    salida = capsys.readouterr()
    assert "Traceback" not in salida.err + salida.out
    assert f"{armado.name}" in salida.out


# --------------------------------------------------------------------------------------
# Lo que no se resuelve en silencio


def _debajo_de_la_tabla(ruta: Path, filas_en_blanco: int, columna: int, valor) -> str:
    """Escribe `valor` en `columna` después de la última operación y de `filas_en_blanco`
    filas vacías (con la fecha de recibido antes del plazo); devuelve la celda."""
    libro = openpyxl.load_workbook(ruta)
    identidad = leer_identidad(libro)
    celda = libro[HOJA_SEGUIMIENTO].cell(
        identidad.fila_encabezado + identidad.operaciones + 1 + filas_en_blanco, columna)
    celda.value = valor
    libro.save(ruta)
    _fechar(ruta, 2)
    return celda.coordinate


def test_una_operacion_agregada_despues_de_una_fila_en_blanco_se_rechaza(emitidos, tmp_path):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    agregado = _recibir(formularios["DGRM"], recibidos)
    _llenar(agregado, 1)
    celda_agregada = _debajo_de_la_tabla(agregado, 2, 1, "OP-NUEVA")
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, agregado.name)
    assert fila["estado"] == Estado.ALTERADO
    assert f"celda {celda_agregada}: se agregó una operación" in fila["motivo"], fila["motivo"]


def test_un_dato_sin_codigo_debajo_de_la_tabla_se_observa(emitidos, tmp_path):
    """Una nota debajo de la tabla, después de una fila en blanco: el formulario cuenta y el
    registro dice la celda y lo que dice."""
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    con_nota = _recibir(formularios["DGRM"], recibidos)
    _llenar(con_nota, 1)
    nota = "Total del trimestre"
    celda_nota = _debajo_de_la_tabla(con_nota, 1, 2, nota)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, con_nota.name)
    assert fila["estado"] == Estado.ACEPTADO
    assert f"celda {celda_nota}: dice «{nota}»" in fila["motivo"], fila["motivo"]


def test_un_archivo_con_el_nombre_de_otra_unidad_se_observa(emitidos, tmp_path):
    """`DGRM.xlsx` trae el formulario de DGRB: cuenta para DGRB, DGRM queda faltante y el
    registro lo dice."""
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    cambiado = _recibir(formularios["DGRB"], recibidos, formularios["DGRM"].name)
    _llenar(cambiado, 2)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, cambiado.name)
    assert fila["codigo_unidad"] == "DGRB" and fila["estado"] == Estado.ACEPTADO
    assert "nombre de la unidad DGRM" in fila["motivo"] and "DGRB" in fila["motivo"], fila
    faltantes = recogida.registro[recogida.registro["estado"] == Estado.FALTANTE]
    assert "DGRM" in set(faltantes["codigo_unidad"])


# --------------------------------------------------------------------------------------
# La salida dentro de la carpeta de un informe


@pytest.mark.parametrize("dentro", [(), ("tablas",), ("nueva", "sub")])
def test_la_salida_dentro_de_un_informe_no_sirve(emitidos, tmp_path, capsys, dentro):
    """La corrida siguiente del informe reemplaza su carpeta entera: el libro recogido y sus
    rondas se perderían. La orden sale con 2 y lo dice, sin escribir nada."""
    from helpers.salida.carpeta_informe import MARCA, carpeta_nueva

    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    informe = tmp_path / "output" / "2024-T2"
    informe.parent.mkdir()
    carpeta_nueva(informe, {"programa": "informe-poa", "informe": "2024-T2"}).rename(informe)
    assert (informe / MARCA).is_file()
    salida = informe.joinpath(*dentro) / "recogido.xlsx"
    assert main(["recoger", str(_params(tmp_path, libro)), str(recibidos), "--salida",
                 str(salida)]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "dentro de la carpeta de un informe" in error and str(informe) in error, error
    assert "Traceback" not in error
    assert not salida.exists() and not (salida.parent / ARCHIVO_RECEPCION).exists()


def test_un_libro_recogido_anterior_que_es_una_bomba_no_se_abre(emitidos, tmp_path, capsys):
    """Lo que está en --salida se abre para tomar las rondas anteriores: si es una bomba zip
    (aun con --reemplazar), la orden sale con 2 y lo dice, sin abrirlo ni reemplazarlo."""
    from test_libro_comprimido import BOMBA_CHICA, escribir_bomba

    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    params = _params(tmp_path, libro)
    salida = tmp_path / "s" / "recogido.xlsx"
    recoger(params, recibidos, salida)
    escribir_bomba(salida, tmp_path / "bomba.xlsx", BOMBA_CHICA).replace(salida)
    antes = salida.read_bytes()
    assert main(["recoger", str(params), str(recibidos), "--salida", str(salida),
                 "--reemplazar"]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert str(salida) in error and "demasiado grande por dentro" in error, error
    assert "Traceback" not in error
    assert salida.read_bytes() == antes


def test_un_formulario_grande_no_se_lee_entero_en_memoria(tmp_path):
    """La huella de un archivo recibido se calcula en flujo: uno de muchos MB (aquí, que no
    es un libro) no ocupa su tamaño en memoria antes de rechazarse."""
    import tracemalloc

    from helpers.formularios.recoleccion import leer_formulario

    megas = 1024 * 1024
    grande = tmp_path / "DGRB.xlsx"
    with grande.open("wb") as archivo:
        archivo.truncate(64 * megas)
    tracemalloc.start()
    try:
        recibido = leer_formulario(grande, {}, None)
        pico = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert recibido.estado == Estado.ALTERADO and "no se puede abrir" in recibido.motivo
    assert pico < grande.stat().st_size // 4, f"{pico / megas:.0f} MB"


# --------------------------------------------------------------------------------------
# Un ZIP que sólo tiene [Content_Types].xml


def _solo_tipos(ruta: Path) -> str:
    """Escribe en `ruta` un ZIP con sólo `[Content_Types].xml` y devuelve lo que openpyxl
    dice al abrirlo (en inglés)."""
    ruta.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(ruta, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas'
                    '.openxmlformats.org/package/2006/content-types"/>')
    with pytest.raises(Exception) as error:  # noqa: PT011 - lo que diga openpyxl
        openpyxl.load_workbook(ruta)
    return str(error.value)


def _validar(ruta: Path, tmp_path: Path, capsys) -> str:
    assert main(["validar", str(ruta)]) == ERROR_DE_ENTRADA
    return capsys.readouterr().out


def _cargar_datos(ruta: Path, tmp_path: Path, capsys) -> str:
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.errores import ErrorDeEntrada

    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(ruta)
    return error.value.texto()


@pytest.mark.parametrize("leer", [_validar, _cargar_datos])
def test_un_zip_con_solo_content_types_en_castellano(tmp_path, capsys, leer):
    ruta = tmp_path / "solo.xlsx"
    en_ingles = _solo_tipos(ruta)
    texto = leer(ruta, tmp_path, capsys)
    assert f"{ruta.name}" in texto and "no se pudo leer el libro Excel" in texto, texto
    assert en_ingles not in texto and not re.search(r"\b\w+Error\b", texto), texto


def test_un_formulario_que_solo_tiene_content_types_en_castellano(emitidos, tmp_path):
    libro, formularios = emitidos
    recibidos = tmp_path / "recibidos"
    _llenar(_recibir(formularios["DGRB"], recibidos), 3)
    en_ingles = _solo_tipos(recibidos / formularios["DGRM"].name)
    recogida = recoger(_params(tmp_path, libro), recibidos, tmp_path / "s" / "r.xlsx")
    fila = _estado(recogida.registro, formularios["DGRM"].name)
    assert fila["estado"] == Estado.ALTERADO and "no se puede abrir" in fila["motivo"]
    assert en_ingles not in fila["motivo"]
