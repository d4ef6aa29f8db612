"""Un informe habla sólo de lo que la entidad tiene (`helpers.calculo.contenido`).

Sobre un libro sin las hojas opcionales de sus secciones (narrativa, historico, articulacion,
estadisticas, ingresos, reformulaciones), sin fuentes de financiamiento en el presupuesto y
sin operaciones NO APLICA, el informe trimestral y
la rendición de cuentas no dejan títulos vacíos, frases de relleno ni entradas del índice de
lo que no tienen, y la introducción dice qué no incluyen y por qué. La muestra, que trae
todas las hojas, conserva todas sus secciones y subsecciones.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fabrica
import pytest
from bs4 import BeautifulSoup

from helpers.calculo import contenido
from helpers.entrada import tipos
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.preparacion import abrir, entrada
from helpers.redaccion import introduccion
from helpers.rutas import RAIZ

# Los títulos de las partes que van sólo si los datos tienen algo que decir, por tipo de
# informe: secciones enteras (`solo_con`) y subsecciones de un cuaderno.
PARTES_OPCIONALES = {
    "trimestral": {
        "Versión del POA evaluada", "Reformulaciones aprobadas hasta el corte",
        "Cambios en las operaciones", "Modificaciones presupuestarias",
        "Por fuente de financiamiento", "Tendencia frente a gestiones anteriores",
        "Información: operaciones NO APLICA", "Resultados por acción de corto plazo",
        "Frente a gestiones anteriores", "Recomendaciones",
    },
    "anual": {
        "Articulación con la planificación nacional, sectorial e institucional",
        "Versión del POA evaluada", "Reformulaciones aprobadas hasta el corte",
        "Cambios en las operaciones", "Modificaciones presupuestarias",
        "Servicios prestados a la población", "Por fuente de financiamiento",
        "Ejecución de ingresos", "Operaciones que no aplican", "Frente a gestiones anteriores",
        "Recomendaciones",
    },
}
# Los títulos de nivel 3 (no van al índice) que dependen de la hoja narrativa.
SUBTITULOS_NARRATIVA = {"trimestral": {"Logros", "Dificultades"},
                        "anual": {"Logros y dificultades"}}
# Lo que decían los títulos que quedaban sin nada que mostrar (en minúsculas).
RELLENO = ("no hay", "sin datos", "no trae", "no reporta", "no indica", "ninguna unidad registró",
           "ninguna unidad del área registró", "registraron recomendaciones",
           "ninguna operación está marcada", "ninguna operación queda no aplica")


def _titulo(elemento) -> str:
    return elemento.get_text().replace("¶", "").strip()


def _leer(salida: Path) -> BeautifulSoup:
    return BeautifulSoup((salida / "informe.html").read_text(encoding="utf-8"), "html.parser")


def _indice(sopa: BeautifulSoup) -> list[str]:
    return [a.get_text(" ", strip=True) for a in sopa.select("nav.indice a")]


def _titulos_vacios(sopa: BeautifulSoup) -> list[str]:
    """Los títulos de una sección sin nada debajo: ni texto, ni cuadro, ni gráfico antes del
    siguiente título de su nivel (o de uno mayor) o del fin de la sección."""
    vacios = []
    for seccion in sopa.select("section.seccion"):
        elementos = seccion.find_all(["h1", "h2", "h3", "h4", "p", "li", "table", "img"])
        for i, elemento in enumerate(elementos):
            if elemento.name[0] != "h":
                continue
            siguiente = elementos[i + 1] if i + 1 < len(elementos) else None
            if siguiente is None or (siguiente.name[0] == "h"
                                     and int(siguiente.name[1]) <= int(elemento.name[1])):
                vacios.append(_titulo(elemento))
    return vacios


def _generar(base: Path, **params) -> tuple[Path, Path]:
    """El informe del libro mínimo con estos parámetros: (carpeta del informe, parámetros)."""
    libro = fabrica.escribir_libro(base / "datos" / fabrica.NOMBRE_LIBRO,
                                   fabrica.sin_fuentes(fabrica.sin_hojas_de_secciones(
                                       fabrica.TABLAS)))
    ruta = fabrica.escribir_params(base / "params.yaml", libro, salida=str(base / "salida"),
                                   **params)
    resultado = subprocess.run([sys.executable, "-m", "helpers.informe", str(ruta)], cwd=RAIZ,
                               capture_output=True, text=True, timeout=900, check=False)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", ruta


@pytest.fixture(scope="module")
def minimos(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """El informe trimestral del T2 y la rendición de cuentas del libro mínimo."""
    return {
        "trimestral": _generar(tmp_path_factory.mktemp("minimo-t2")),
        "anual": _generar(tmp_path_factory.mktemp("minimo-anual"), informe="anual",
                          trimestre=None),
    }


@pytest.mark.lento
@pytest.mark.parametrize("tipo", ["trimestral", "anual"])
def test_sin_las_hojas_opcionales_no_quedan_titulos_ni_relleno(minimos, tipo):
    salida, ruta = minimos[tipo]
    parametros = cargar_parametros(ruta)
    datos = cargar_datos(parametros.ruta_datos)
    informe = tipos.tipo(tipo)
    # Las secciones enteras que no tienen nada que decir no se ejecutan.
    van = informe.secciones_para(parametros, datos)
    ejecutados = {p.name for p in (salida / "notebooks").glob("*.ipynb")}
    assert ejecutados == {s.archivo for s in [informe.memoria, *van]}
    assert [s for s in informe.secciones if s not in van]  # hay alguna que no va

    sopa = _leer(salida)
    assert _titulos_vacios(sopa) == []
    # El índice lista cada título de nivel 1 y 2, también los que escribe una celda de código,
    # y ninguno de lo que el libro no trae.
    titulos = [_titulo(h) for h in sopa.select("section.seccion h1, section.seccion h2")]
    assert _indice(sopa) == titulos
    assert not PARTES_OPCIONALES[tipo] & set(titulos)
    assert not SUBTITULOS_NARRATIVA[tipo] & {_titulo(h) for h in sopa.select("section.seccion h3")}

    # La introducción dice qué no incluye y por qué, nombrando cada hoja que falta; fuera de
    # esa frase, ninguna frase de relleno.
    frase = introduccion.frase_no_incluye(abrir(ruta))
    faltan = contenido.ausencias(datos, parametros)
    assert faltan and all(a.hoja in frase for a in faltan)
    texto = " ".join(sopa.get_text(" ").split())
    intro = " ".join(sopa.find(attrs={"data-cuaderno": "01_introduccion"}).get_text(" ").split())
    assert frase in intro
    resto = texto.replace(frase, "").lower()
    assert [r for r in RELLENO if r in resto] == []


# La condición de la sección de la remisión de los formularios (notebooks/trimestral).
SOLO_LIBRO_RECOGIDO = "helpers.calculo.remision:tiene_recepcion"


@pytest.mark.parametrize("params", ["params/2024-T2.yaml", "params/2024-anual.yaml"])
def test_la_muestra_trae_todo_lo_que_el_informe_puede_decir(params):
    """Nada falta en la muestra: la introducción no dice que algo no va, y van todas las
    secciones que dependen del libro (las que dependen de un parámetro, según él), salvo la
    remisión de los formularios: sólo la trae un libro recogido con `informe-poa recoger`, y
    el de la muestra es el libro del POA (tests/test_recoger_muestra.py la genera)."""
    parametros, datos = entrada(params)
    assert contenido.ausencias(datos, parametros) == []
    secciones = parametros.tipo.secciones_para(parametros, datos)
    assert [s for s in parametros.tipo.secciones if s not in secciones] == [
        s for s in parametros.tipo.secciones
        if s.solo_con == SOLO_LIBRO_RECOGIDO
        or (s.solo_con and ":" not in s.solo_con and not getattr(parametros, s.solo_con))]


@pytest.mark.parametrize("params, tipo", [("2024-T2.yaml", "trimestral"),
                                          ("2024-anual.yaml", "anual")])
def test_la_muestra_conserva_sus_partes_opcionales(informes_muestra, params, tipo):
    """Con todas las hojas, cada parte que depende de los datos sigue en el informe y en su
    índice."""
    sopa = _leer(informes_muestra[params])
    assert PARTES_OPCIONALES[tipo] <= set(_indice(sopa))
    assert SUBTITULOS_NARRATIVA[tipo] <= {_titulo(h) for h in sopa.select("section.seccion h3")}
    assert _titulos_vacios(sopa) == []
