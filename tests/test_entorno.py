"""environment.yml y requirements.txt piden los mismos paquetes en las mismas versiones."""
from __future__ import annotations

import re
from pathlib import Path

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


def paquetes_conda() -> dict[str, str]:
    entorno = yaml.safe_load((RAIZ / "environment.yml").read_text(encoding="utf-8"))
    paquetes = {}
    for dep in entorno["dependencies"]:
        if isinstance(dep, dict) or dep.split("=")[0] in ("python", "pip"):
            continue
        nombre, version = dep.split("=")
        paquetes[_normalizar(nombre)] = version
    return paquetes


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
