"""La terminal de `informe-poa app` (issue 53): el planificador ve sólo las líneas del
proyecto, en castellano; los avisos de Jupyter en inglés que no le piden nada («Notebook …
is not trusted», «Kernel is running over TCP without encryption», el registro de cada
pedido rechazado) no salen, y los errores sí.

El servidor se arranca como lo arranca el planificador, la página se carga una vez en
Chromium (la del kernel y sus controles, por el websocket cifrado) y se cierra con Ctrl+C.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
PARAMS = RAIZ / "params" / "2024-T2.yaml"
LIBRO = RAIZ / "data" / "2024" / "poa_2024.xlsx"
CARGA = 120_000  # milisegundos

# Lo que Jupyter escribe en inglés en la terminal y no pide nada al planificador.
EN_INGLES = ("is not trusted", "without encryption", "WARNING", "[W ", "Traceback")


def _arrancar(carpeta: Path) -> tuple[subprocess.Popen, str]:
    from helpers.pagina.servidor import puerto_libre

    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers", "app", "--carpeta", str(carpeta), "--puerto",
         str(puerto_libre(None)), "--sin-navegador"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
        # Como en una terminal: Ctrl+C llega. Un trabajador de pytest-xdist ignora SIGINT, y
        # el proceso hijo lo heredaría (y Python entonces no lo toma por KeyboardInterrupt).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    linea = proceso.stdout.readline()
    direccion = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", linea)
    if direccion is None:
        proceso.kill()
        pytest.fail(f"informe-poa app no mostró su dirección: {linea!r}\n"
                    f"{proceso.communicate()[1]}")
    return proceso, direccion.group(0)


def _cerrar(proceso: subprocess.Popen) -> tuple[str, str]:
    """Ctrl+C, como lo cierra el planificador; devuelve (stdout, stderr)."""
    proceso.send_signal(signal.SIGINT)
    try:
        return proceso.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proceso.kill()
        return proceso.communicate()


def _pedidos_rechazados(direccion: str) -> None:
    """Un pedido sin ficha (403) y uno a una ruta que no existe (404): jupyter_server los
    registra como avisos."""
    base = direccion.split("?", 1)[0]
    for url in (base, direccion.replace("/?token=", "/no-existe?token=")):
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url, timeout=60)


@pytest.mark.lento
@pytest.mark.navegador
def test_la_terminal_no_muestra_avisos_de_jupyter_en_ingles(tmp_path):
    if not CHROMIUM.is_file():
        pytest.skip("falta Chromium en /usr/bin/chromium: bash scripts/instalar_sistema.sh")
    playwright = pytest.importorskip("playwright.sync_api")
    entidad = tmp_path / "muestra"
    (entidad / "data" / "2024").mkdir(parents=True)
    shutil.copy(PARAMS, entidad / PARAMS.name)
    shutil.copy(LIBRO, entidad / "data" / "2024" / LIBRO.name)

    proceso, direccion = _arrancar(tmp_path)
    try:
        with playwright.sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            try:
                pagina = chromium.new_page()
                pagina.set_default_timeout(CARGA)
                pagina.goto(direccion)
                # Lo escribe el kernel de la pestaña: el canal cifrado funciona.
                pagina.get_by_text("Entidad abierta: muestra").wait_for()
                pagina.close()
            finally:
                chromium.close()
        _pedidos_rechazados(direccion)
    finally:
        salida, errores = _cerrar(proceso)
    assert "Página cerrada." in salida
    for ingles in EN_INGLES:
        assert ingles not in errores, f"«{ingles}» en la terminal:\n{errores}"
        assert ingles not in salida, f"«{ingles}» en la terminal:\n{salida}"


def test_los_errores_del_servidor_se_siguen_diciendo(tmp_path, capsys):
    """El registro del servidor calla sus avisos, no sus errores."""
    from helpers.pagina.espacio import Espacio
    from helpers.pagina.servidor import _aplicacion, _configuracion

    app = _aplicacion(Espacio.en(tmp_path))(config=_configuracion(8866, "ficha", False))
    app.log.warning("un aviso que no pide nada")
    app.log.error("una falla de verdad")
    errores = capsys.readouterr().err
    assert "una falla de verdad" in errores
    assert "un aviso que no pide nada" not in errores
