"""Los textos de la muestra o de relleno que quedan en los parámetros de otra entidad
(helpers.entrada.textos_de_muestra): una advertencia por clave, en `informe-poa validar` y en
la corrida del informe; ninguna en los parámetros de la propia muestra.

Los textos de la muestra se leen de sus parámetros (`params/`) al correr: aquí no se copia
ninguno.
"""
from __future__ import annotations

from pathlib import Path

import fabrica
import pytest
import yaml

from helpers.cli import main
from helpers.entrada.parametros_en_blanco import RELLENOS
from helpers.entrada.textos_de_muestra import (
    LO_QUE_ES,
    MARCA_DE_EJEMPLO,
    MUESTRAS,
    textos_de_muestra,
)
from helpers.informe import Avisos, correr
from helpers.revision import revisar, texto
from helpers.rutas import RAIZ

OTRA = {"nombre": "Servicio Departamental de Caminos Vecinales", "sigla": "SEDCAV"}
PARAMS_MUESTRA = sorted((RAIZ / "params").rglob("*.yaml"))


def _leer(ruta: Path) -> dict:
    return yaml.safe_load(ruta.read_text(encoding="utf-8"))


def _muestra_con_mision() -> tuple[Path, dict]:
    """Un archivo de parámetros de la muestra que tiene misión, y lo que dice."""
    for ruta in PARAMS_MUESTRA:
        contenido = _leer(ruta)
        if contenido.get("presentacion", {}).get("mision"):
            return ruta, contenido
    raise AssertionError("ningún archivo de parámetros de la muestra tiene misión")


def _escribir(ruta: Path, contenido: dict) -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(yaml.safe_dump(contenido, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return ruta


def _copia_para_otra(tmp_path: Path, **cambios) -> tuple[Path, dict]:
    """Los parámetros de la muestra que tienen misión, copiados para otra entidad y sin sus
    demás textos (salvo `cambios`)."""
    _, muestra = _muestra_con_mision()
    contenido = {**{k: v for k, v in muestra.items()
                    if k not in ("presentacion", "identificacion")},
                 "entidad": OTRA, **cambios}
    return _escribir(tmp_path / "params-T1.yaml", contenido), muestra


def test_la_mision_de_la_muestra_en_otra_entidad_se_advierte_en_su_clave(tmp_path):
    ruta, muestra = _copia_para_otra(
        tmp_path, presentacion={"mision": _muestra_con_mision()[1]["presentacion"]["mision"]})
    avisos = textos_de_muestra(ruta)
    assert [(a.archivo, a.hoja, a.fila, a.columna) for a in avisos] == [
        (ruta.name, None, None, "presentacion.mision")]
    mensaje = avisos[0].mensaje
    assert f"otra entidad ({muestra['entidad']['sigla']})" in mensaje
    assert f"la misión de {OTRA['sigla']}" in mensaje and "borre la clave" in mensaje


def test_cada_texto_propio_de_la_muestra_se_advierte(tmp_path):
    """Toda la presentación y la identificación de la muestra, y su nombre, copiados para
    otra entidad: una advertencia por cada texto de las claves propias de una entidad (los
    roles, cargos y fechas no)."""
    ruta_muestra, muestra = _muestra_con_mision()
    contenido = {**muestra, "entidad": {**OTRA, "nombre": muestra["entidad"]["nombre"]}}
    ruta = _escribir(tmp_path / "copia.yaml", contenido)
    avisos = {a.columna for a in textos_de_muestra(ruta)}
    comunes = _comunes_a_varias_siglas()
    esperadas = {clave for clave, valor in fabrica.claves_y_textos(contenido)
                 if _forma(clave) in LO_QUE_ES and valor not in comunes}
    assert esperadas and avisos == esperadas
    assert "entidad.nombre" in avisos
    assert any(clave.startswith("presentacion.marco_normativo[") for clave in avisos)


def _comunes_a_varias_siglas() -> set[str]:
    """Los textos que están en los parámetros de más de una muestra (de siglas distintas):
    no son de ninguna, como una ley que rige a todas las entidades."""
    siglas_de: dict[str, set[str]] = {}
    for ruta in PARAMS_MUESTRA:
        contenido = _leer(ruta)
        sigla = contenido.get("entidad", {}).get("sigla")
        for _, valor in fabrica.claves_y_textos(contenido):
            siglas_de.setdefault(valor, set()).add(sigla)
    return {valor for valor, siglas in siglas_de.items() if len(siglas) > 1}


def test_una_ley_de_todas_las_entidades_no_se_advierte(tmp_path):
    """Las normas que comparten las muestras de siglas distintas, copiadas para otra
    entidad, no son texto de ninguna muestra."""
    comunes = sorted(_comunes_a_varias_siglas())
    assert comunes, "las muestras no comparten ningún texto"
    ruta, _ = _copia_para_otra(tmp_path, presentacion={"marco_normativo": comunes})
    assert textos_de_muestra(ruta) == []


def _forma(clave: str) -> str:
    import re

    return re.sub(r"\[\d+\]", "", clave)


@pytest.mark.parametrize("ruta", PARAMS_MUESTRA, ids=lambda r: r.relative_to(RAIZ).as_posix())
def test_los_parametros_de_la_muestra_no_tienen_advertencias(ruta):
    """Sus textos son de ejemplo a propósito: `make report` no gana advertencias."""
    assert MUESTRAS == RAIZ / "params"
    assert textos_de_muestra(ruta) == []


def test_la_marca_de_ejemplo_se_advierte_en_otra_entidad_y_no_en_la_muestra(tmp_path):
    _, muestra = _muestra_con_mision()
    vision = f"Una visión escrita para probar {MARCA_DE_EJEMPLO}"
    otra = _escribir(tmp_path / "otra.yaml", {**muestra, "entidad": OTRA,
                                              "presentacion": {"vision": vision}})
    avisos = textos_de_muestra(otra)
    assert [a.columna for a in avisos] == ["presentacion.vision"]
    assert MARCA_DE_EJEMPLO in avisos[0].mensaje
    propia = _escribir(tmp_path / "propia.yaml", {**muestra, "presentacion": {"vision": vision}})
    assert textos_de_muestra(propia) == []


def test_un_texto_que_comparten_dos_muestras_no_es_de_ninguna(tmp_path):
    """Una ley que rige a todas las entidades puede estar en los parámetros de dos muestras:
    no se advierte; la norma propia de una, sí."""
    comun, propia = "Ley común a todas, de 1 de enero", "Reglamento propio de la muestra A"
    muestras = tmp_path / "muestras"
    for sigla, normas in (("AAA", [comun, propia]), ("BBB", [comun])):
        _escribir(muestras / f"{sigla}.yaml", {"entidad": {"nombre": sigla, "sigla": sigla},
                                               "presentacion": {"marco_normativo": normas}})
    ruta = _escribir(tmp_path / "p.yaml", {"entidad": OTRA,
                                           "presentacion": {"marco_normativo": [comun, propia]}})
    avisos = textos_de_muestra(ruta, muestras)
    assert [a.columna for a in avisos] == ["presentacion.marco_normativo[2]"]
    assert "otra entidad (AAA)" in avisos[0].mensaje
    assert "quite ese elemento de la lista" in avisos[0].mensaje


def test_los_espacios_y_cortes_de_linea_no_esconden_el_texto(tmp_path):
    _, muestra = _muestra_con_mision()
    partida = "\n  ".join(muestra["presentacion"]["mision"].split(" "))
    ruta, _ = _copia_para_otra(tmp_path, presentacion={"mision": partida})
    assert [a.columna for a in textos_de_muestra(ruta)] == ["presentacion.mision"]


def test_un_relleno_sin_cambiar_se_advierte_en_cualquier_entidad(tmp_path):
    relleno = RELLENOS["identificacion.cite"]
    _, muestra = _muestra_con_mision()
    for entidad in (OTRA, muestra["entidad"]):
        ruta = _escribir(tmp_path / "p.yaml", {"entidad": entidad,
                                               "identificacion": {"cite": relleno}})
        avisos = textos_de_muestra(ruta)
        assert [a.columna for a in avisos] == ["identificacion.cite"]
        assert "relleno" in avisos[0].mensaje and entidad["sigla"] in avisos[0].mensaje


def test_sin_muestra_solo_la_marca_y_los_rellenos(tmp_path):
    """Instalado como paquete no hay parámetros de la muestra: la marca y los rellenos se
    advierten igual."""
    ruta, muestra = _copia_para_otra(tmp_path, presentacion={
        "mision": _muestra_con_mision()[1]["presentacion"]["mision"],
        "vision": f"Otra {MARCA_DE_EJEMPLO}"})
    avisos = textos_de_muestra(ruta, None)
    assert [a.columna for a in avisos] == ["presentacion.mision", "presentacion.vision"]
    assert all(MARCA_DE_EJEMPLO in a.mensaje for a in avisos)


@pytest.mark.parametrize("contenido", ["entidad: [sin cerrar\n", "- una lista\n", ""])
def test_un_archivo_que_no_se_lee_no_tiene_advertencias(tmp_path, contenido):
    ruta = tmp_path / "p.yaml"
    ruta.write_text(contenido, encoding="utf-8")
    assert textos_de_muestra(ruta) == []
    assert textos_de_muestra(tmp_path / "no-existe.yaml") == []


# --------------------------------------------------------------------------------------
# Dónde se dicen


def _con_mision_de_la_muestra(tmp_path: Path, libro: Path) -> Path:
    mision = _muestra_con_mision()[1]["presentacion"]["mision"]
    return fabrica.escribir_params(tmp_path / "params-T1.yaml", libro, entidad=OTRA,
                                   presentacion={"mision": mision},
                                   salida=str(tmp_path / "salida"))


def test_validar_la_dice_como_advertencia_y_termina_bien(tmp_path, libro_pequeno, capsys):
    params = _con_mision_de_la_muestra(tmp_path, libro_pequeno)
    revision = revisar(params)
    assert revision.errores == []
    assert revision.advertencias[0].columna == "presentacion.mision"
    listado = texto(revision)
    assert f"Archivo de parámetros {params.name}" in listado
    assert "clave presentacion.mision: es el texto de ejemplo de otra entidad" in listado
    assert main(["validar", str(params)]) == 0
    assert "clave presentacion.mision" in capsys.readouterr().out


class _Registro(Avisos):
    def __init__(self):
        self.etapas: list[str] = []

    def etapa(self, texto, segundos=None):
        self.etapas.append(texto)


def test_la_corrida_del_informe_la_dice_antes_de_empezar(tmp_path):
    """Se dice aunque el informe se detenga después (aquí, porque el libro no existe)."""
    params = _con_mision_de_la_muestra(tmp_path, tmp_path / "no-existe.xlsx")
    avisos = _Registro()
    codigo, salida = correr(params, trabajos=1, avisos=avisos)
    assert codigo == 2 and salida is None
    assert [e for e in avisos.etapas if "presentacion.mision" in e] == [
        f"Advertencia: {aviso}" for aviso in textos_de_muestra(params)]
