"""Lo que comparten las pruebas en Chromium: el navegador sin interfaz (Playwright, con el
Chromium de la distribución) y `informe-poa app` corriendo sobre una carpeta de trabajo."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


@contextmanager
def chromium() -> Iterator:
    """El navegador, abierto mientras dura el bloque."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield navegador
        finally:
            navegador.close()


@contextmanager
def app(carpeta: Path) -> Iterator[str]:
    """`informe-poa app` sobre `carpeta`, como lo arranca el planificador; da la dirección
    que muestra, con la ficha."""
    from helpers.pagina.servidor import puerto_libre

    puerto = puerto_libre(None)
    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers", "app", "--carpeta", str(carpeta), "--puerto",
         str(puerto), "--sin-navegador"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())
    try:
        linea = proceso.stdout.readline()
        direccion = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", linea)
        assert direccion, f"informe-poa app no mostró su dirección: {linea!r}"
        yield direccion.group(0)
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)
