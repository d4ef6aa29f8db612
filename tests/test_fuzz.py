"""Fuzzing de la entrada: cualquier libro produce un informe o un error de entrada claro.

Los libros los dibujan las estrategias de `estrategias.py` (valores válidos, arbitrarios y
mutaciones de estructura). La propiedad: `cargar_datos` acepta el libro o lanza
`ErrorDeEntrada` con un mensaje que ubica cada problema (archivo; hoja, fila y columna si
es de una celda); si lo acepta, `preparar`, `escribir_tablas` y `escribir_anexo` terminan
sin excepción y los CSV sólo tienen números finitos. Cualquier otra excepción es un fallo.

Cantidad de ejemplos (derandomizados: la misma corrida en cada máquina):

- por omisión, `EJEMPLOS_NORMAL` (500) en cada `make test` (los mismos cada vez: con
  la semilla fija, son una colección de regresión; explorar es `largo`);
- `INFORME_POA_FUZZ=largo` corre `EJEMPLOS_LARGO` (20.000) con semilla al azar, para
  explorar ejemplos nuevos (hypothesis imprime cómo reproducir un fallo);
- `INFORME_POA_FUZZ=<número>` corre ese número de ejemplos, derandomizados.

La etapa HTML/PDF (el ejecutor completo, ~15 s por corrida) se prueba aparte, en
`test_fuzz_informe_completo`, con pocos libros válidos de textos arbitrarios.

Lo que el fuzzing encontró tiene su prueba de regresión en test_datos.py (números
diminutos, rótulos TOTAL/Central/Exterior) y, además, es un ejemplo explícito aquí.
"""
from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import estrategias
import fabrica
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, event, example, given, note, settings

from helpers.entrada.contrato import COLUMNAS_CONTRATO, HOJAS
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import Parametros
from helpers.preparacion import preparar
from helpers.rutas import RAIZ
from helpers.salida.anexo import escribir_anexo
from helpers.salida.tablas_csv import escribir_tablas

EJEMPLOS_NORMAL = 500
EJEMPLOS_LARGO = 20_000
EJEMPLOS_INFORME = 2  # cada uno, una corrida del ejecutor completo


def _ajustes() -> settings:
    perfil = os.environ.get("INFORME_POA_FUZZ", "").strip().casefold()
    largo = perfil == "largo"
    if largo:
        ejemplos = EJEMPLOS_LARGO
    elif perfil.isdigit():
        ejemplos = int(perfil)
    else:
        ejemplos = EJEMPLOS_NORMAL
    return settings(
        max_examples=ejemplos,
        deadline=None,
        derandomize=not largo,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much, HealthCheck.large_base_example],
    )


# Mensajes que hablan de una celda: deben nombrar hoja, fila y columna.
_DE_CELDA = ("'", "la celda", "fórmula sin valor", "la combinación de")


def comprobar_rechazo(error: ErrorDeEntrada, libro: estrategias.Libro, ruta: Path) -> None:
    """El mensaje de un error de entrada: no vacío y cada problema ubicado."""
    texto = error.texto()
    assert texto.strip() and str(error) == texto
    assert error.problemas
    archivos = libro.archivos_posibles(ruta)
    for problema in error.problemas:
        ubicado = str(problema)
        assert problema.archivo in archivos, ubicado
        assert problema.mensaje.strip(), ubicado
        assert problema.hoja is None or problema.hoja in HOJAS, ubicado
        if problema.columna is not None:
            assert problema.hoja and problema.columna.strip(), ubicado
        if problema.fila is not None:
            assert problema.hoja and problema.columna, ubicado
            assert 1 <= problema.fila <= len(libro.filas_leidas(problema.hoja)), ubicado
            if problema.fila > 1:
                assert problema.columna in COLUMNAS_CONTRATO[problema.hoja], ubicado
        if problema.mensaje.startswith(_DE_CELDA):
            assert problema.hoja and problema.fila and problema.columna, ubicado
        assert ubicado.startswith(f"{problema.archivo}") and ubicado in texto


def comprobar_tablas(tablas: dict[str, pd.DataFrame], carpeta: Path) -> None:
    """Los CSV escritos: las columnas numéricas sólo tienen números finitos (o vacío)."""
    for nombre, tabla in tablas.items():
        numericas = [c for c in tabla.columns if pd.api.types.is_numeric_dtype(tabla[c])]
        for c in tabla.columns:
            if c in numericas:
                valores = tabla[c].to_numpy(dtype=float)
                assert not np.isinf(valores).any(), f"{nombre}.{c}: {tabla[c].tolist()}"
            else:
                for v in tabla[c]:
                    assert not (isinstance(v, float) and math.isinf(v)), f"{nombre}.{c}: {v}"
        with (carpeta / f"{nombre}.csv").open(encoding="utf-8", newline="") as f:
            filas = list(csv.reader(f))
        assert filas[0] == [str(c) for c in tabla.columns], nombre
        assert len(filas) == len(tabla) + 1, nombre
        for c in numericas:
            j = filas[0].index(str(c))
            for fila in filas[1:]:
                assert fila[j] == "" or math.isfinite(float(fila[j])), f"{nombre}.{c}: {fila[j]}"


def comprobar(libro: estrategias.Libro, params: dict, carpeta: Path) -> str:
    """La propiedad; devuelve "rechazado" o "aceptado" (para contar en las notas)."""
    ruta = libro.escribir(carpeta)
    try:
        datos = cargar_datos(ruta)
    except ErrorDeEntrada as error:
        note(error.texto()[:2000])
        comprobar_rechazo(error, libro, ruta)
        return "rechazado"
    parametros = Parametros.model_validate({**params, "datos": str(ruta), "raiz": carpeta})
    preparado = preparar(parametros, datos)
    escribir_tablas(preparado.tablas, carpeta / "tablas")
    comprobar_tablas(preparado.tablas, carpeta / "tablas")
    metodologia = parametros.metodologia
    anexo = escribir_anexo(
        preparado.tablas,
        carpeta / "anexo.xlsx",
        tope_cumplimiento=metodologia.tope_cumplimiento,
        participacion_trimestral=25.0 if metodologia.participacion == "trimestral_igual" else None,
    )
    assert anexo.stat().st_size > 0
    return "aceptado"


def _pequeno(formato: str = "xlsx", **celdas) -> estrategias.Libro:
    """El POA pequeño de fabrica.py con algunas celdas cambiadas: `hoja__fila__columna=valor`
    (fila como en la hoja: 2 es la primera de datos)."""
    tablas = fabrica.tablas_pequenas()
    for clave, valor in celdas.items():
        hoja, fila, columna = clave.split("__")
        tablas[hoja][int(fila) - 1][tablas[hoja][0].index(columna)] = valor
    return estrategias.Libro(tablas, formato, perfil="ejemplo")


def _con_columna(libro: estrategias.Libro, hoja: str, nombre: str) -> estrategias.Libro:
    """El libro con una columna adicional `nombre` en `hoja`."""
    libro.tablas[hoja][0].append(nombre)
    for fila in libro.tablas[hoja][1:]:
        fila.append("adicional")
    return libro


def _params(trimestre: int = 2, **metodologia) -> dict:
    return {"entidad": {"nombre": "Ministerio de Relaciones Exteriores", "sigla": "MRE"},
            "gestion": 2024, "informe": "trimestral", "trimestre": trimestre,
            "metodologia": metodologia}


@_ajustes()
@given(libro=estrategias.libros(), params=estrategias.parametros())
# Además de los dibujados, siempre: el POA pequeño tal cual, los casos del probador que
# motivaron el fuzzing (1e400 y -1e308) y lo que el fuzzing encontró después.
@example(libro=_pequeno(), params=_params())
@example(libro=_pequeno("csv"), params=_params(4, agregacion="tareas", participacion="programada",
                                                sin_reporte="excluir", tope_cumplimiento=False))
@example(libro=_pequeno(presupuesto__2__vigente="1e400"), params=_params())
@example(libro=_pequeno(presupuesto__3__dev_05=-1e308), params=_params())
@example(libro=_pequeno(operaciones__2__prog_04=5e-324), params=_params(tope_cumplimiento=False))
@example(libro=_pequeno(presupuesto__2__vigente=5e-324), params=_params(4))
@example(libro=_pequeno(unidades__2__area="Central"), params=_params())
@example(libro=_pequeno(acp__2__codigo_acp="TOTAL"), params=_params())
@example(libro=_con_columna(_pequeno("csv"), "operaciones", "fila"), params=_params())
@example(libro=_con_columna(_pequeno(), "operaciones", "servicio"), params=_params(3))
def test_fuzz_cualquier_libro_da_informe_o_error_de_entrada(libro, params):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as carpeta:
        event(f"{libro.perfil}, {comprobar(libro, params, Path(carpeta))}")


# --------------------------------------------------------------------------------------
# La etapa HTML/PDF, con pocos libros válidos (el ejecutor completo tarda ~15 s).


@pytest.mark.informe_completo
@settings(max_examples=EJEMPLOS_INFORME, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.generate])  # sin achicar: cada intento tarda ~15 s
@given(
    libro=estrategias.libros(perfil="limpio", estructura=False, libres=True),
    params=estrategias.parametros(libres=True),
)
# Lo que este fuzzing encontró (una entidad sin unidades del servicio exterior: la sección por
# unidad fallaba con «no hay unidades del servicio 'Exterior'») lo cuida
# test_informe.py::test_entidad_sin_servicio_exterior, con el informe entero: no se repite aquí.
def test_fuzz_informe_completo(libro, params):
    """El ejecutor real sobre libros válidos con textos arbitrarios en nombres y narrativa:
    produce el informe (salida 0); si el libro dibujado resultó inválido (lo dice
    `cargar_datos`), un error de entrada (salida 2). Nunca una traza ni otra falla."""
    with tempfile.TemporaryDirectory(prefix="fuzz-informe-") as temporal:
        carpeta = Path(temporal)
        ruta = libro.escribir(carpeta / "datos")
        try:
            cargar_datos(ruta)
            esperada = 0
        except ErrorDeEntrada:
            esperada = 2
        extra = {k: v for k, v in params.items() if k not in fabrica.PARAMS_BASE}
        ruta_params = fabrica.escribir_params(
            carpeta / "params" / "fuzz.yaml", ruta, salida=str(carpeta / "salida"),
            entidad=params["entidad"], gestion=params["gestion"],
            trimestre=params["trimestre"], **extra,
        )
        resultado = subprocess.run(
            [sys.executable, "-m", "helpers.informe", str(ruta_params)],
            capture_output=True, text=True, cwd=RAIZ, timeout=300, check=False,
        )
        salida = resultado.stdout + resultado.stderr
        event(f"salida {resultado.returncode}")
        assert "Traceback" not in salida, salida
        assert resultado.returncode == esperada, salida
        if esperada == 2:
            assert "en los datos de entrada:" in resultado.stderr, salida
            return
        for nombre in ("informe.html", "informe.pdf", "anexo.xlsx", "manifiesto.json"):
            assert (carpeta / "salida" / nombre).stat().st_size > 0, nombre

