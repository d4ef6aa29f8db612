"""El programa instalado como paquete (una rueda en un entorno virtual nuevo) funciona desde
cualquier carpeta, sin la copia del proyecto: trae los cuadernos, las listas de secciones,
las plantillas y las fuentes, y declara lo que importa (el entorno sólo tiene la rueda y sus
dependencias declaradas)."""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import fabrica
import pytest

from helpers import rutas
from helpers.comun import tipografia
from helpers.entrada import tipos

RAIZ = Path(__file__).resolve().parents[1]
PARAMS = Path("params") / "2024-T2.yaml"

pytestmark = pytest.mark.lento


def _fuera_del_proyecto() -> dict[str, str]:
    """El entorno sin las variables que apuntan a la copia del proyecto o a su entorno, y sin
    PYTHONDONTWRITEBYTECODE (si la máquina la pone): como en la de un usuario, el entorno nuevo
    guarda el bytecode de lo que sus órdenes importan, y no compila todo al instalarse."""
    return {k: v for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH", "PYTHONDONTWRITEBYTECODE")}


def correr(orden: list, carpeta: Path, segundos: int = 900) -> subprocess.CompletedProcess:
    resultado = subprocess.run([str(a) for a in orden], cwd=carpeta, env=_fuera_del_proyecto(),
                               capture_output=True, text=True, timeout=segundos, check=False)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    return resultado


@pytest.fixture(scope="module")
def rueda(tmp_path_factory) -> Path:
    destino = tmp_path_factory.mktemp("rueda")
    correr([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", destino, RAIZ],
           destino)
    (archivo,) = destino.glob("informe_poa-*.whl")
    return archivo


def _restricciones(destino: Path) -> Path:
    """Las versiones de requirements.lock como restricciones de pip (`-c`): fijan la versión
    de lo que se instala, pero no instalan lo que nadie pide."""
    from test_entorno import requisitos_lock

    fijadas = [requisito.split()[0] for requisito in requisitos_lock()]
    destino.write_text("\n".join(fijadas) + "\n", encoding="utf-8")
    return destino


@pytest.fixture(scope="module")
def instalado(rueda, tmp_path_factory) -> Path:
    """La carpeta bin/ de un entorno virtual nuevo con la rueda y lo que ella declara
    (pyproject.toml), en las versiones del lock: una dependencia que el programa importa y
    la rueda no declara no se instala, y la prueba que la usa falla."""
    carpeta = tmp_path_factory.mktemp("entorno")
    entorno = carpeta / "venv"
    restricciones = _restricciones(carpeta / "restricciones.txt")
    if importlib.util.find_spec("uv") is None:  # un entorno que no hizo el Makefile (conda)
        correr([sys.executable, "-m", "venv", entorno], carpeta)
        correr([entorno / "bin" / "python", "-m", "pip", "install", "--quiet", "-c",
                restricciones, rueda], carpeta)
        return entorno / "bin"
    # Con uv: lo mismo que pip, en segundos (los paquetes ya están en su caché). Sin compilar
    # el bytecode de todo lo instalado (unos 18 s de CPU): las órdenes de la prueba guardan el
    # de lo que importan (`_fuera_del_proyecto`).
    correr([sys.executable, "-m", "uv", "venv", "--quiet", "--python", sys.executable,
            entorno], carpeta)
    correr([sys.executable, "-m", "uv", "pip", "install", "--quiet",
            "--python", entorno / "bin" / "python", "-c", restricciones, rueda], carpeta)
    return entorno / "bin"


def test_la_rueda_trae_cuadernos_secciones_plantillas_y_fuentes(rueda):
    with zipfile.ZipFile(rueda) as zf:
        nombres = set(zf.namelist())
    for cuaderno in rutas.CUADERNOS.glob("*/*.ipynb"):
        assert f"helpers/cuadernos/{cuaderno.relative_to(rutas.CUADERNOS).as_posix()}" in nombres
    for nombre in tipos.nombres():
        assert f"helpers/cuadernos/{nombre}/secciones.yaml" in nombres
    for plantilla in (rutas.PAQUETE / "salida" / "plantillas").rglob("*"):
        if plantilla.is_file():
            assert plantilla.relative_to(rutas.PAQUETE.parent).as_posix() in nombres
    for fuente in [*tipografia.archivos(), tipografia.CONFIGURACION]:
        assert fuente.relative_to(rutas.PAQUETE.parent).as_posix() in nombres
    # La geometría del mapa de departamentos (helpers.redaccion.mapa).
    assert "helpers/redaccion/datos/departamentos-bo.json" in nombres
    # La guía de la página y sus imágenes (la página la muestra en guia/).
    assert "helpers/guia/pagina.md" in nombres
    assert "helpers/guia/imagenes/pagina-entidad.png" in nombres


def test_instalado_funciona_desde_cualquier_carpeta(instalado, tmp_path):
    """plantilla, validar y el informe trimestral desde una carpeta que sólo tiene unos
    parámetros y su libro (con la ruta relativa, como la muestra), y verificar el informe.
    El libro es el pequeño de las pruebas: lo que se prueba es el paquete instalado, no la
    muestra, y con él el informe y su verificación (que vuelve a ejecutar los cuadernos)
    tardan menos."""
    libro = Path("datos") / fabrica.NOMBRE_LIBRO
    fabrica.escribir_libro_pequeno(tmp_path / libro)
    fabrica.escribir_params(tmp_path / PARAMS, tmp_path / libro, datos=libro.as_posix())
    programa = instalado / "informe-poa"

    correr([programa, "plantilla", "nuevo.xlsx"], tmp_path)
    assert (tmp_path / "nuevo.xlsx").is_file()
    correr([programa, "validar", PARAMS], tmp_path)
    correr([programa, "trimestral", PARAMS, "--silencioso"], tmp_path)

    salida = tmp_path / "output" / PARAMS.stem
    assert (salida / "informe.pdf").is_file()
    codigo = json.loads((salida / "manifiesto.json").read_text(encoding="utf-8"))["codigo"]
    rutas_codigo = {a["ruta"] for a in codigo["archivos"]}
    # El código que se huella es el del paquete instalado, con sus cuadernos; sin git.
    assert "helpers/cuadernos/trimestral/secciones.yaml" in rutas_codigo
    assert codigo["commit"] is None
    correr([programa, "verificar", salida], tmp_path)


def test_instalado_escribe_la_plantilla_y_dice_que_falta_un_archivo_de_parametros(
        instalado, tmp_path):
    """`informe-poa plantilla` escribe un libro que el mismo paquete revisa sin traza, y un
    archivo de parámetros que no existe es lo único que falta (los cuadernos van dentro)."""
    from helpers.cli import ERROR_DE_ENTRADA

    orden = instalado / "informe-poa"
    correr([orden, "plantilla", "x.xlsx"], tmp_path)
    entorno = _fuera_del_proyecto()
    revisado = subprocess.run([str(orden), "validar", "x.xlsx"], capture_output=True,
                              text=True, cwd=tmp_path, env=entorno, timeout=300)
    assert "Traceback" not in revisado.stdout + revisado.stderr, revisado.stderr
    sin_params = subprocess.run([str(orden), "trimestral", "p.yaml"], capture_output=True,
                                text=True, cwd=tmp_path, env=entorno, timeout=300)
    assert sin_params.returncode == ERROR_DE_ENTRADA
    assert "p.yaml" in sin_params.stderr + sin_params.stdout
    assert "cuadernos" not in sin_params.stderr + sin_params.stdout
