"""Los tipos de informe como datos (`helpers.entrada.tipos`): cada carpeta de notebooks/ con su
secciones.yaml es un tipo; sus tablas son las que calcula su función, en su orden."""
from __future__ import annotations

import shutil

import fabrica
import pytest
import yaml

from helpers.entrada import tipos
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.preparacion import entrada
from helpers.rutas import CUADERNOS


def test_los_tipos_del_proyecto():
    assert sorted(tipos.nombres()) == ["anual", "formulacion", "objetivos", "rendicion_inicial",
                                       "trimestral"]
    trimestral, anual = tipos.tipo("trimestral"), tipos.tipo("anual")
    formulacion = tipos.tipo("formulacion")
    assert (trimestral.periodo, anual.periodo, formulacion.periodo) == (
        "trimestre", "gestion", "gestion")
    # Las secciones compartidas son el mismo cuaderno en los dos tipos, nunca una copia.
    comunes = {s.cuaderno for s in trimestral.secciones} & {s.cuaderno for s in anual.secciones}
    assert comunes and all(c.startswith(f"{tipos.CARPETA_COMUN}/") for c in comunes)
    assert trimestral.memoria == anual.memoria == formulacion.memoria


def test_tipo_desconocido_nombra_los_disponibles():
    with pytest.raises(tipos.TipoDesconocido, match="trimestral"):
        tipos.tipo("semestral")


@pytest.mark.parametrize("params", ["params/2024-T2.yaml", "params/2024-anual.yaml",
                                    "params/2024-formulacion.yaml"])
def test_cada_tipo_calcula_exactamente_sus_tablas_en_su_orden(params):
    parametros, datos = entrada(params)
    tipo = parametros.tipo
    tablas = tipo.calcular_tablas(parametros, datos)
    assert list(tablas) == list(tipo.tablas.orden)


def test_secciones_condicionadas_a_un_parametro_o_al_libro(tmp_path):
    """`solo_con: informe_anterior` mira los parámetros; `solo_con: modulo:funcion`, el libro
    (la versión del POA evaluada va sólo si el libro trae su historia) y, si la función los
    pide, también los parámetros (los logros van sólo si la narrativa trae los del periodo)."""
    trimestral = tipos.tipo("trimestral")
    condicionadas = [s for s in trimestral.secciones if s.solo_con]
    assert {":" in s.solo_con for s in condicionadas} == {True, False}
    minimo = cargar_datos(fabrica.escribir_libro(
        tmp_path / "minimo" / "poa.xlsx", fabrica.sin_hojas_de_secciones(fabrica.TABLAS)))
    completo = fabrica.escribir_libro(tmp_path / "completo" / "poa.xlsx",
                                      fabrica.con_recepcion(fabrica.con_historia(fabrica.TABLAS)))
    parametros = cargar_parametros(fabrica.escribir_params(tmp_path / "p.yaml", completo))
    con_anterior = parametros.model_copy(update={"informe_anterior": "output/2024-T1"})
    sin = trimestral.secciones_para(parametros, minimo)
    con = trimestral.secciones_para(con_anterior, cargar_datos(completo))
    assert len(con) == len(sin) + len(condicionadas)
    assert not any(s.solo_con for s in sin)


def test_la_condicion_recibe_los_parametros_si_los_pide(tmp_path):
    """La misma sección de logros va en el informe del trimestre que tiene narrativa y no en
    el de un trimestre sin ella."""
    logros = next(s for s in tipos.tipo("trimestral").secciones
                  if s.solo_con == "helpers.calculo.contenido:tiene_logros")
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos")
    datos = cargar_datos(libro)
    trimestres = {f[1] for f in fabrica.NARRATIVA[1:] if f[2] in ("logro", "dificultad")}
    for trimestre in range(1, 5):
        parametros = cargar_parametros(fabrica.escribir_params(
            tmp_path / f"t{trimestre}.yaml", libro, trimestre=trimestre))
        assert logros.va(parametros, datos) == (trimestre in trimestres)


def test_ordenar_tablas_pone_al_final_las_no_declaradas():
    tablas = {"z": 1, "extra": 2, "a": 3}
    assert list(tipos.ordenar_tablas(tablas, ["a", "z"])) == ["a", "z", "extra"]


def _tipo_nuevo(carpeta, **cambios) -> None:
    """Un tipo de informe nuevo en `carpeta` (una copia de notebooks/): su YAML y su
    cuaderno, sin tocar el ejecutor."""
    (carpeta / "plurianual").mkdir(exist_ok=True)
    shutil.copy(CUADERNOS / "comun" / "00_portada.ipynb", carpeta / "plurianual" / "01_f.ipynb")
    contenido = {
        "titulo": "Informe plurianual", "periodo": "gestion", "carpeta": "{gestion}-plurianual",
        "tablas": {"calcular": "helpers.calculo.tablas:tablas_trimestrales", "orden": ["acp"]},
        "memoria": {"cuaderno": "comun/00_memoria.ipynb", "titulo": "Memoria de cálculo"},
        "secciones": [{"cuaderno": "plurianual/01_f.ipynb", "titulo": "Formulario"}],
        **cambios,
    }
    (carpeta / "plurianual" / tipos.ARCHIVO_SECCIONES).write_text(
        yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")


def test_un_tipo_nuevo_es_una_carpeta_con_su_yaml(tmp_path):
    cuadernos = tmp_path / "notebooks"
    shutil.copytree(CUADERNOS, cuadernos)
    _tipo_nuevo(cuadernos)
    assert "plurianual" in tipos.nombres(cuadernos)
    nuevo = tipos.tipo("plurianual", cuadernos)
    assert nuevo.etiqueta(2025, None, "diciembre") == "2025-plurianual"
    assert [s.archivo for s in nuevo.secciones] == ["01_f.ipynb"]


@pytest.mark.parametrize("cambios, mensaje", [
    ({"secciones": [{"cuaderno": "plurianual/no_existe.ipynb", "titulo": "X"}]}, "no existen"),
    ({"secciones": [{"cuaderno": "../fuera.ipynb", "titulo": "X"}]}, "dentro de notebooks"),
    ({"periodo": "semestre"}, "no es un archivo de secciones válido"),
    ({"secciones": [{"cuaderno": "plurianual/01_f.ipynb", "titulo": "X",
                     "solo_con": "helpers.calculo.versiones:no_existe"}]}, "no es una función"),
])
def test_un_yaml_de_secciones_mal_hecho_se_dice(tmp_path, cambios, mensaje):
    cuadernos = tmp_path / "notebooks"
    shutil.copytree(CUADERNOS, cuadernos)
    _tipo_nuevo(cuadernos, **cambios)
    with pytest.raises(ValueError, match=mensaje):
        tipos.nombres(cuadernos)


def test_nombres_repetidos_en_la_carpeta_del_informe(tmp_path):
    cuadernos = tmp_path / "notebooks"
    shutil.copytree(CUADERNOS, cuadernos)
    (cuadernos / "plurianual").mkdir()
    shutil.copy(CUADERNOS / "comun" / "00_portada.ipynb",
                cuadernos / "plurianual" / "00_portada.ipynb")
    _tipo_nuevo(cuadernos, secciones=[{"cuaderno": "comun/00_portada.ipynb", "titulo": "A"},
                                      {"cuaderno": "plurianual/00_portada.ipynb", "titulo": "B"}])
    with pytest.raises(ValueError, match="mismo nombre: 00_portada.ipynb"):
        tipos.nombres(cuadernos)


@pytest.mark.parametrize("nombre", ["trimestral", "anual", "formulacion"])
def test_el_titulo_de_cada_seccion_es_el_de_su_cuaderno(nombre):
    """El título del YAML (el que se ve al ejecutar) y el encabezado del cuaderno (el del
    informe y su índice) dicen lo mismo."""
    import nbformat

    tipo = tipos.tipo(nombre)
    for seccion in [tipo.memoria, *tipo.secciones]:
        libro = nbformat.read(CUADERNOS / seccion.cuaderno, as_version=4)
        primera = next(c for c in libro.cells if c.cell_type == "markdown")
        assert primera.source.splitlines()[0] == f"# {seccion.titulo}", seccion.cuaderno
