"""Una recepción entera sobre la muestra (segundo trimestre): los formularios de sus unidades,
llenos por un programa con lo ejecutado del libro del POA; de una unidad se borra el
formulario, otra lo envía dos veces, otra después del plazo (recepcion.csv) y otra con lo
programado cambiado. `recoger` escribe el libro con lo aceptado, el maestro queda intacto
byte a byte, el registro nombra a las cuatro y el informe trimestral generado desde el libro
recogido nombra a la unidad que no envió nada. Las unidades de cada caso salen de su lugar en
la lista de formularios, no de sus códigos; los formularios los llena
scripts/formularios_llenos.py, como en make benchmark."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sys
from html import escape as html_escape
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from helpers.formularios.envio import parametros_de_seguimiento
from helpers.formularios.libro import (
    HOJA_SEGUIMIENTO,
    columnas_ejecutado,
    columnas_programado,
    leer_identidad,
)
from helpers.formularios.recogida import HOJA_RECEPCION, recoger
from helpers.formularios.recoleccion import ARCHIVO_RECEPCION, Estado
from helpers.informe import correr
from helpers.rutas import RAIZ

sys.path.insert(0, str(RAIZ / "scripts"))
import formularios_llenos  # noqa: E402  (scripts/: lo usa también make benchmark)

pytestmark = pytest.mark.lento


def _params(destino: Path, datos: Path, **extra) -> Path:
    """Los parámetros del segundo trimestre de la muestra, con `datos` en su ruta entera."""
    contenido = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    contenido.update(datos=str(datos), **extra)
    destino.write_text(yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")
    return destino


def _huella(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def ronda(tmp_path_factory):
    base = tmp_path_factory.mktemp("muestra")
    maestro_ruta = RAIZ / _datos_de_la_muestra()
    params = _params(base / "2024-T2.yaml", maestro_ruta)
    # Cada formulario, lleno con lo del maestro y recibido antes del plazo.
    llenos = formularios_llenos.emitidos_y_llenos(params, base / "formularios")
    parametros = parametros_de_seguimiento(params)
    trimestre, plazo = parametros.trimestre_corte, parametros.recepcion.plazo
    maestro = pd.read_excel(maestro_ruta, sheet_name="operaciones", engine="openpyxl",
                            dtype={"codigo_operacion": str}).set_index("codigo_operacion")
    recibidos = base / "recibidos"
    recibidos.mkdir()
    borrado, duplicado, tarde, alterado = list(llenos)[:4]
    for codigo, ruta in llenos.items():
        if codigo != borrado:
            shutil.copy2(ruta, recibidos / ruta.name)
    # El duplicado: otra copia, recibida un día después (cuenta la última).
    copia = recibidos / f"{duplicado} (1).xlsx"
    shutil.copyfile(recibidos / f"{duplicado}.xlsx", copia)
    formularios_llenos.fechar(copia, formularios_llenos.recibido_a_tiempo(plazo, 0))
    # El alterado: lo programado de su primera operación, cambiado.
    libro = openpyxl.load_workbook(recibidos / f"{alterado}.xlsx")
    identidad = leer_identidad(libro)
    hoja = libro[HOJA_SEGUIMIENTO]
    encabezado = [c.value for c in hoja[identidad.fila_encabezado]]
    celda = hoja.cell(identidad.fila_encabezado + 1,
                      encabezado.index(columnas_programado(trimestre)[0]) + 1)
    celda.value = (celda.value or 0) + 1
    libro.save(recibidos / f"{alterado}.xlsx")
    formularios_llenos.fechar(recibidos / f"{alterado}.xlsx",
                              formularios_llenos.recibido_a_tiempo(plazo))
    # El tardío: recibido un día después del plazo según recepcion.csv.
    llegada = plazo + dt.timedelta(days=1)
    (recibidos / ARCHIVO_RECEPCION).write_text(
        f"codigo_unidad,fecha,hoja_ruta\n{tarde},{llegada:%d/%m/%Y},HR-{tarde}\n",
        encoding="utf-8")
    # Evidencias de tres operaciones de una unidad que cuenta: un PDF, una imagen, un texto.
    quinta = list(llenos)[4]
    con_evidencia = list(maestro.index[maestro["codigo_unidad"] == quinta])[:3]
    for codigo, (nombre, contenido) in zip(con_evidencia, [
            ("acta.pdf", b"%PDF-1.4\n%%EOF\n"), ("foto.gif", b"GIF89a" + bytes(20)),
            ("nota.txt", "Constancia de la reunión.\n".encode())], strict=True):
        (recibidos / "evidencias" / codigo).mkdir(parents=True)
        (recibidos / "evidencias" / codigo / nombre).write_bytes(contenido)
    huella_antes = _huella(maestro_ruta)
    salida = base / "recogido" / "poa_2024-T2-recogido.xlsx"
    recogida = recoger(params, recibidos, salida)
    return {"base": base, "maestro_ruta": maestro_ruta, "maestro": maestro,
            "huella_antes": huella_antes, "salida": salida, "recogida": recogida,
            "rutas": list(llenos.values()), "trimestre": trimestre,
            "celda": celda.coordinate, "con_evidencia": con_evidencia,
            "casos": {"borrado": borrado, "duplicado": duplicado, "tarde": tarde,
                      "alterado": alterado}}


def _datos_de_la_muestra() -> str:
    contenido = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    return contenido["datos"]


def test_un_formulario_por_unidad_y_el_maestro_intacto(ronda):
    assert len(ronda["rutas"]) == len(ronda["maestro"]["codigo_unidad"].unique())
    assert _huella(ronda["maestro_ruta"]) == ronda["huella_antes"]
    assert ronda["recogida"].libro == ronda["salida"]


def test_el_registro_nombra_los_cuatro_casos(ronda):
    registro = pd.read_excel(ronda["salida"], sheet_name=HOJA_RECEPCION, dtype=str,
                             keep_default_na=False, engine="openpyxl")
    casos = ronda["casos"]

    def estados(codigo: str) -> list[str]:
        return registro.loc[registro["codigo_unidad"] == codigo, "estado"].tolist()

    assert estados(casos["borrado"]) == [Estado.FALTANTE]
    assert estados(casos["duplicado"]) == [Estado.REEMPLAZADO, Estado.ACEPTADO]
    assert estados(casos["tarde"]) == [Estado.EXCLUIDO_FUERA]
    assert estados(casos["alterado"]) == [Estado.ALTERADO]
    motivo = registro.loc[registro["codigo_unidad"] == casos["alterado"], "motivo"].iloc[0]
    assert ronda["celda"] in motivo
    otros = registro[~registro["codigo_unidad"].isin(casos.values())]
    assert set(otros["estado"]) == {Estado.ACEPTADO}
    assert len(otros) == len(ronda["rutas"]) - len(casos)


def test_el_libro_recogido_tiene_lo_aceptado(ronda):
    """Las unidades aceptadas, lo del maestro (lo que llenaron); las tres cuyo formulario no
    cuenta, el trimestre sin reporte; lo demás del libro, igual."""
    recogido = pd.read_excel(ronda["salida"], sheet_name="operaciones", engine="openpyxl",
                             dtype={"codigo_operacion": str}).set_index("codigo_operacion")
    maestro, casos = ronda["maestro"], ronda["casos"]
    ejecutado = columnas_ejecutado(ronda["trimestre"])
    sin = maestro["codigo_unidad"].isin([casos["borrado"], casos["tarde"], casos["alterado"]])
    assert recogido.loc[maestro.index[sin], ejecutado].isna().all(axis=None)
    pd.testing.assert_frame_equal(recogido.loc[maestro.index[~sin], maestro.columns],
                                  maestro.loc[~sin], check_dtype=False)
    otras = [c for c in maestro.columns if c not in ejecutado]
    pd.testing.assert_frame_equal(recogido.loc[:, otras], maestro.loc[:, otras],
                                  check_dtype=False)


def test_el_informe_del_libro_recogido_nombra_a_la_unidad_que_no_envio(ronda):
    base = ronda["base"]
    params = _params(base / "informe.yaml", ronda["salida"], salida=str(base / "informe"))
    codigo, carpeta = correr(params)
    assert codigo == 0
    html = (carpeta / "informe.html").read_text(encoding="utf-8")
    unidades = pd.read_excel(ronda["maestro_ruta"], sheet_name="unidades",
                             engine="openpyxl").set_index("codigo_unidad")["nombre"]
    assert "Remisión de la información" in html
    remision = pd.read_csv(carpeta / "tablas" / "remision.csv").set_index("codigo_unidad")
    for caso in ("borrado", "tarde", "alterado"):
        assert html_escape(unidades[ronda["casos"][caso]]) in html, caso
        assert not remision.at[ronda["casos"][caso], "cuenta"]
    assert remision.at[ronda["casos"]["borrado"], "situacion"] == "sin formulario"


def test_el_informe_lista_las_evidencias_y_verificar_ve_una_cambiada(ronda, capsys):
    """Las tres evidencias, con su huella, en tablas/ y en el anexo; en el manifiesto; las
    operaciones con ejecución sin evidencia, en su tabla; y una evidencia cambiada después
    del informe, nombrada por verificar."""
    from helpers.cli import main

    base = ronda["base"]
    carpeta = base / "informe"
    if not (carpeta / "manifiesto.json").is_file():
        codigo, carpeta = correr(_params(base / "informe.yaml", ronda["salida"],
                                         salida=str(carpeta)))
        assert codigo == 0
    evidencias = base / "recogido" / "evidencias"
    tabla = pd.read_csv(carpeta / "tablas" / "evidencias.csv", dtype=str)
    assert sorted(tabla["codigo_operacion"]) == sorted(ronda["con_evidencia"])
    for fila in tabla.itertuples():
        assert fila.huella == _huella(evidencias / fila.archivo)
    assert "evidencias" in openpyxl.load_workbook(carpeta / "anexo.xlsx",
                                                  read_only=True).sheetnames
    manifiesto = (carpeta / "manifiesto.json").read_text(encoding="utf-8")
    for fila in tabla.itertuples():
        assert fila.huella in manifiesto
    sin = pd.read_csv(carpeta / "tablas" / "sin_evidencia.csv", dtype=str)
    assert not sin.empty and not set(sin["codigo_operacion"]) & set(ronda["con_evidencia"])
    html = (carpeta / "informe.html").read_text(encoding="utf-8")
    assert "huella SHA-256" in html

    cambiada = evidencias / tabla["archivo"].iloc[0]
    original = cambiada.read_bytes()
    try:
        cambiada.write_bytes(original + b"otra cosa")
        capsys.readouterr()
        assert main(["verificar", str(carpeta), "--sin-cuadernos"]) != 0
        assert cambiada.name in capsys.readouterr().out
    finally:
        cambiada.write_bytes(original)
