"""environment.yml y requirements.txt piden los mismos paquetes en las mismas versiones;
requirements.lock (make lock) fija cada dependencia, directa o no, con sus hashes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

RAIZ = Path(__file__).resolve().parents[1]


def _normalizar(nombre: str) -> str:
    return re.sub(r"[-_.]+", "-", nombre).lower()


def paquetes_pip() -> dict[str, str]:
    paquetes = {}
    for linea in (RAIZ / "requirements.txt").read_text(encoding="utf-8").splitlines():
        linea = linea.split("#", 1)[0].strip()
        if not linea:
            continue
        nombre, version = linea.split("==")
        paquetes[_normalizar(nombre)] = version.strip()
    return paquetes


# El paquete de pip que en conda-forge tiene otro nombre: pypandoc-binary trae pandoc dentro;
# en conda, pypandoc y el paquete pandoc (`test_pandoc_de_conda_es_el_de_pip`).
_EN_CONDA = {"pypandoc-binary": "pypandoc"}


def paquetes_conda() -> dict[str, str]:
    """Los de environment.yml con el nombre que tienen en pip (sin pandoc: ver arriba)."""
    entorno = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    de_pip = {conda: pip for pip, conda in _EN_CONDA.items()}
    paquetes = {}
    for dep in entorno["dependencies"]:
        if isinstance(dep, dict) or dep.split("=")[0] in ("python", "pip", "pandoc"):
            continue
        nombre, version = dep.split("=")
        paquetes[de_pip.get(_normalizar(nombre), _normalizar(nombre))] = version
    return paquetes


def test_pandoc_de_conda_es_el_de_pip():
    """environment.yml fija el pandoc que trae pypandoc-binary, y el programa usa ése (no el
    que tenga la máquina)."""
    import pypandoc

    from helpers.salida.word.pandoc import pandoc

    entorno = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    fijado = next(d.split("=")[1] for d in entorno["dependencies"]
                  if isinstance(d, str) and d.split("=")[0] == "pandoc")
    assert pypandoc.get_pandoc_version() == fijado
    assert Path(pandoc()).resolve().is_relative_to(Path(pypandoc.__file__).resolve().parent)


def test_requirements_fija_cada_paquete():
    for linea in (RAIZ / "requirements.txt").read_text(encoding="utf-8").splitlines():
        linea = linea.split("#", 1)[0].strip()
        if linea:
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", linea), linea


def test_environment_y_requirements_coinciden():
    assert paquetes_conda() == paquetes_pip()


def test_environment_usa_python_311():
    entorno = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in entorno["dependencies"]


def requisitos_lock() -> list[str]:
    """Cada requisito de requirements.lock, con sus líneas de continuación unidas."""
    texto = (RAIZ / "requirements.lock").read_text(encoding="utf-8")
    requisitos = []
    for linea in texto.replace("\\\n", " ").splitlines():
        linea = linea.split("#", 1)[0].strip()  # los comentarios (# via ...) van aparte
        if linea:
            requisitos.append(linea)
    return requisitos


def paquetes_lock() -> dict[str, str]:
    paquetes = {}
    for requisito in requisitos_lock():
        nombre, version = requisito.split()[0].split("==")
        paquetes[_normalizar(nombre)] = version
    return paquetes


def test_lock_fija_cada_paquete_con_hashes():
    requisitos = requisitos_lock()
    assert len(requisitos) > len(paquetes_pip())  # también las dependencias indirectas
    for requisito in requisitos:
        partes = requisito.split()
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.+!]*", partes[0]), requisito
        hashes = partes[1:]
        assert hashes, f"sin hash: {partes[0]}"
        for h in hashes:
            assert re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h), requisito


def test_lock_tiene_cada_paquete_directo_en_su_version():
    lock = paquetes_lock()
    for nombre, version in paquetes_pip().items():
        assert lock.get(nombre) == version, f"{nombre}=={version} (lock: {lock.get(nombre)})"


def test_make_instala_desde_el_lock_con_hashes():
    makefile = (RAIZ / "Makefile").read_text(encoding="utf-8")
    regla = re.search(r"^\$\(STAMP\):(.*?)\n\n", makefile, re.DOTALL | re.MULTILINE)[0]
    assert "requirements.lock" in regla.splitlines()[0]  # se reinstala si cambia el lock
    regla = re.sub(r"\s*\\\n\s*", " ", regla)  # las líneas continuadas, en una
    assert ("uv pip install --quiet --python $(PY) --require-hashes --compile-bytecode "
            "-r requirements.lock") in regla
    assert "--no-deps -e ." in regla


def test_los_paquetes_del_entorno_vienen_compilados():
    """El entorno de `make entorno` trae el bytecode de sus paquetes: ningún proceso los
    compila al importarlos, aunque la máquina no deje escribirlo (PYTHONDONTWRITEBYTECODE)."""
    import importlib.util
    import sys

    import pandas
    import weasyprint

    if not (Path(sys.prefix) / ".instalado").is_file():
        pytest.skip(f"{sys.prefix} no es un entorno de `make entorno`")
    for modulo in (pandas, weasyprint):
        assert Path(importlib.util.cache_from_source(modulo.__file__)).is_file(), (
            f"{modulo.__name__} sin bytecode: el entorno es de antes de --compile-bytecode; "
            "borre .venv y `make entorno` lo vuelve a instalar")


def test_abrir_cuadernos_no_arma_las_gramaticas_de_rfc3987_syntax():
    """Con `helpers` importado antes, nbformat y papermill cargan sin que jsonschema importe
    rfc3987-syntax (de 3 a 4 s por proceso); los cuadernos se siguen validando, y jsonschema
    conserva los demás formatos."""
    import subprocess
    import sys

    orden = (
        "import sys, helpers, nbformat, papermill, jsonschema\n"
        "from nbformat.v4 import new_code_cell, new_notebook\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "assert 'lark' not in sys.modules\n"
        "nbformat.validate(new_notebook(cells=[new_code_cell('1 + 1')]))\n"
        "malo = new_notebook(cells=[new_code_cell('1 + 1')])\n"
        "malo.cells[0]['cell_type'] = 'otra'\n"
        "try:\n"
        "    nbformat.validate(malo)\n"
        "except nbformat.ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('un cuaderno inválido pasó la validación')\n"
        "checkers = jsonschema.Draft7Validator.FORMAT_CHECKER.checkers\n"
        "assert 'iri' not in checkers and {'date-time', 'email', 'uri'} <= set(checkers)\n"
    )
    subprocess.run([sys.executable, "-c", orden], check=True, timeout=120)
