"""Los datos abiertos de cada informe (`datos-abiertos/`, helpers.salida.datos_abiertos): un
Frictionless Data Package que la biblioteca frictionless valida sin conexión, con sus
perfiles incluidos; cada columna descrita (helpers.redaccion.campos); los valores tal cual
(no el texto con apóstrofo de `tablas/`); la licencia de los parámetros y la huella del libro.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import fabrica
import pandas as pd
import pytest
from frictionless import validate

from helpers.entrada.datos_abiertos import LICENCIAS
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import cargar_parametros
from helpers.redaccion.campos import SinDescripcion, describir
from helpers.rutas import RAIZ
from helpers.salida.datos_abiertos import (
    Publicacion,
    escribir_datos_abiertos,
    leer_paquete,
    nombre_de_paquete,
)
from helpers.salida.tablas_csv import escribir_csv


def _sha256(ruta: Path) -> str:
    return hashlib.sha256(Path(ruta).read_bytes()).hexdigest()


def _publicacion(libros=(), licencia="CC0-1.0") -> Publicacion:
    titulo, direccion = LICENCIAS[licencia]
    return Publicacion(titulo="Informe de prueba", entidad="Entidad Ñandú", sigla="EÑ",
                       gestion=2024, etiqueta="2024-T2", periodo="Segundo trimestre 2024",
                       fecha_corte="2024-06-30",
                       licencia={"name": licencia, "title": titulo, "path": direccion},
                       libros=list(libros))


def _valido(descriptor: Path) -> None:
    informe = validate(descriptor)
    assert informe.valid, informe.flatten(["type", "note"])


# --- Describir las columnas -----------------------------------------------------------------

def test_una_columna_con_periodo_toma_la_descripcion_de_su_base():
    base = describir("acp", "avance_fisico")
    trimestre = describir("acp", "avance_fisico_trimestre")
    assert trimestre.descripcion.startswith(base.descripcion.rstrip("."))
    assert "trimestre" in trimestre.descripcion and trimestre.unidad == base.unidad == "%"
    assert describir("operacion", "cumplimiento_sin_tope_acumulado").unidad == "%"


def test_lo_propio_de_una_tabla_va_antes_que_lo_de_todas():
    assert describir("alertas", "tipo") != describir("por_tipo", "tipo")
    assert describir("objetivos", "fuente") != describir("categoria", "fuente")


def test_columnas_numeradas_y_columnas_que_nombran_los_datos():
    assert "07" in describir("estadisticas", "mes_07").descripcion
    assert "3" in describir("programacion", "prog_t3").descripcion
    assert "«Oficinas regionales»" in describir("conteo", "Oficinas regionales").descripcion


def test_una_columna_sin_descripcion_es_un_error_del_programa():
    with pytest.raises(SinDescripcion, match="inventada"):
        describir("acp", "inventada")


# --- El paquete -----------------------------------------------------------------------------

def test_el_paquete_es_valido_con_los_valores_tal_cual(tmp_path):
    """Un texto que empieza con «=» va tal cual a los datos abiertos (en tablas/, con el
    apóstrofo); los tipos salen de la tabla; la huella del libro y de cada CSV."""
    libro = tmp_path / "libro.xlsx"
    libro.write_bytes(b"un libro")
    tabla = pd.DataFrame({
        "codigo_unidad": ["=HYPERLINK(\"x\")", "007", "+U"],
        "tareas": [1, 2, 3],
        "vigente": [1.5, float("nan"), 1e-7],
        "cuenta": [True, False, True],
        "fecha": pd.to_datetime(["2024-07-01 10:30", None, "2024-07-02 00:00"]),
    })
    reformulaciones = pd.DataFrame({"numero": [1], "fecha": pd.to_datetime(["2024-02-16"])})
    descriptor = escribir_datos_abiertos({"remision": tabla, "reformulaciones": reformulaciones},
                                         tmp_path, _publicacion([libro]))
    _valido(descriptor)
    paquete = json.loads(descriptor.read_text(encoding="utf-8"))
    assert paquete["licenses"][0]["name"] == "CC0-1.0"
    assert paquete["libros"] == [{"archivo": "libro.xlsx", "sha256": _sha256(libro)}]
    assert paquete["name"] == nombre_de_paquete("EÑ", "2024-T2") == "en-2024-t2"
    campos = {c["name"]: c for c in paquete["resources"][0]["schema"]["fields"]}
    assert {n: c["type"] for n, c in campos.items()} == {
        "codigo_unidad": "string", "tareas": "integer", "vigente": "number",
        "cuenta": "boolean", "fecha": "datetime"}
    assert campos["vigente"]["unit"] == "Bs"
    assert all(c["description"] for c in campos.values())
    assert paquete["resources"][1]["schema"]["fields"][1]["type"] == "date"
    for recurso in paquete["resources"]:
        assert recurso["hash"] == f"sha256:{_sha256(descriptor.parent / recurso['path'])}"

    crudo = (descriptor.parent / "remision.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""x"")"' in crudo and "\n+U," in crudo
    planilla = escribir_csv(tabla, tmp_path / "planilla.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in planilla and "'+U" in planilla
    leida = leer_paquete(tmp_path)["remision"]
    assert list(leida["codigo_unidad"]) == list(tabla["codigo_unidad"])  # «007» sigue texto


def test_un_csv_cambiado_despues_no_valida(tmp_path):
    descriptor = escribir_datos_abiertos({"fuente": pd.DataFrame({"fuente": ["10 TGN"],
                                                                  "vigente": [1.0]})},
                                         tmp_path, _publicacion())
    (descriptor.parent / "fuente.csv").write_text("fuente,vigente\n10 TGN,2\n", encoding="utf-8")
    informe = validate(descriptor)
    assert not informe.valid
    assert "hash-count" in {e for (e,) in informe.flatten(["type"])}


def test_la_licencia_sale_de_los_parametros(tmp_path, libro_pequeno):
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro_pequeno,
                                     datos_abiertos={"licencia": "ODbL-1.0"})
    assert cargar_parametros(params).datos_abiertos.descriptor_licencia["name"] == "ODbL-1.0"
    sin = fabrica.escribir_params(tmp_path / "s.yaml", libro_pequeno)
    assert cargar_parametros(sin).datos_abiertos.licencia == "CC-BY-4.0"
    mala = fabrica.escribir_params(tmp_path / "m.yaml", libro_pequeno,
                                   datos_abiertos={"licencia": "libre"})
    with pytest.raises(ErrorDeEntrada, match="licencia"):
        cargar_parametros(mala)


# --- Los informes de la muestra ------------------------------------------------------------

@pytest.mark.parametrize("params", ["2024-T2.yaml", "2024-anual.yaml", "2024-formulacion.yaml",
                                    "2024-objetivos.yaml"])
def test_los_datos_abiertos_de_cada_informe_de_la_muestra(informes_muestra, params):
    """Válidos para frictionless; una tabla por cada CSV de tablas/, con los mismos valores
    (números iguales; textos iguales sin el apóstrofo); cada columna descrita; la huella del
    libro de la muestra, calculada aquí."""
    carpeta = informes_muestra[params]
    descriptor = carpeta / "datos-abiertos" / "datapackage.json"
    _valido(descriptor)
    paquete = json.loads(descriptor.read_text(encoding="utf-8"))
    parametros = cargar_parametros(RAIZ / "params" / params)
    libro = parametros.raiz / parametros.datos
    assert paquete["libros"] == [{"archivo": libro.name, "sha256": _sha256(libro)}]
    assert paquete["entidad"]["sigla"] == parametros.entidad.sigla
    assert paquete["licenses"][0]["name"] == parametros.datos_abiertos.licencia

    planillas = sorted(p.stem for p in (carpeta / "tablas").glob("*.csv"))
    assert sorted(r["name"] for r in paquete["resources"]) == planillas
    for recurso in paquete["resources"]:
        assert all(c.get("description") for c in recurso["schema"]["fields"]), recurso["name"]
        abierta = pd.read_csv(descriptor.parent / recurso["path"], dtype=str,
                              keep_default_na=False)
        planilla = pd.read_csv(carpeta / "tablas" / recurso["path"], dtype=str,
                               keep_default_na=False)
        assert list(abierta.columns) == list(planilla.columns)
        sin_apostrofo = planilla.map(lambda v: v[1:] if v[:2] in {"'=", "'+", "'-", "'@"}
                                     else v)
        assert abierta.equals(sin_apostrofo) or _iguales_salvo_fechas(abierta, sin_apostrofo)


def _iguales_salvo_fechas(abierta: pd.DataFrame, planilla: pd.DataFrame) -> bool:
    """Las fechas de los datos abiertos van en ISO 8601 (AAAA-MM-DD); en tablas/, como las
    escribe pandas: la misma fecha."""
    for columna in abierta.columns:
        if abierta[columna].equals(planilla[columna]):
            continue
        fechas = pd.to_datetime(planilla[columna], errors="coerce")
        if fechas.isna().all() or not all(
                a == ("" if pd.isna(f) else f.isoformat()[:len(a)])
                for a, f in zip(abierta[columna], fechas, strict=True)):
            return False
    return True


def test_las_fechas_validas_de_un_paquete_son_iso(tmp_path):
    tabla = pd.DataFrame({"fecha": [dt.date(2024, 2, 16)], "numero": [1]})
    descriptor = escribir_datos_abiertos({"reformulaciones": tabla}, tmp_path, _publicacion())
    _valido(descriptor)
    assert "2024-02-16" in (tmp_path / "datos-abiertos" / "reformulaciones.csv").read_text()
    paquete = json.loads(descriptor.read_text(encoding="utf-8"))
    assert paquete["resources"][0]["schema"]["fields"][0]["type"] == "date"


def test_la_pagina_ofrece_los_datos_abiertos_de_un_informe(tmp_path):
    """La lista de informes de la página baja la carpeta datos-abiertos/ como ZIP y dice cómo
    publicarla; un informe sin ella no ofrece el enlace."""
    from helpers.pagina.informes import Informe
    from helpers.pagina.paso_informes import PUBLICAR, PasoInformes

    def informe(con: bool) -> Informe:
        return Informe(carpeta=tmp_path, relativa="informes/2024-T2", tipo="trimestral",
                       entidad="E", periodo="T2", generado=None, datos_abiertos=con)

    enlaces = PasoInformes._enlaces(informe(True))
    assert "informes/2024-T2/datos-abiertos" in enlaces and "portal" in PUBLICAR
    assert "datos-abiertos" not in PasoInformes._enlaces(informe(False))


def test_un_retorno_de_carro_en_un_texto_no_rompe_el_paquete(tmp_path):
    tabla = pd.DataFrame({"codigo_unidad": ["A\rB", "C"], "vigente": [1.0, 2.0]})
    descriptor = escribir_datos_abiertos({"fuente": tabla.rename(
        columns={"codigo_unidad": "fuente"})}, tmp_path, _publicacion())
    _valido(descriptor)
    assert list(leer_paquete(tmp_path)["fuente"]["fuente"]) == ["A\rB", "C"]
