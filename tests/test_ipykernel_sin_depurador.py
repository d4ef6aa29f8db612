"""Lo que ocupa el servidor residente mientras espera (docs/cache-diseno.md): los kernels de
una corrida arrancan sin el depurador de ipykernel (`helpers.ipykernel_sin_depurador`) y no
escriben el historial de IPython del usuario, y el servidor de bifurcación de los procesos de
ayuda carga WeasyPrint, que el compositor que nace de él comparte
(`helpers.salida.ensamblado.con_weasyprint`)."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys

from helpers.comun.tipografia import CONFIGURACION
from helpers.ejecucion import abrir_kernel, cliente_listo, sin_depurador
from helpers.residente.procesos import PRECARGA


def test_la_orden_del_kernel_cambia_solo_el_programa_de_ipykernel():
    orden = ["/usr/bin/python3", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
             "kernel-1.json"]
    assert sin_depurador(orden) == ["/usr/bin/python3", "-Xfrozen_modules=off", "-m",
                                    "helpers.ipykernel_sin_depurador", "-f", "kernel-1.json"]
    otro = ["R", "--slave", "-e", "IRkernel::main()", "--args", "kernel-1.json"]
    assert sin_depurador(otro) == otro


def test_el_kernel_arranca_sin_debugpy_en_su_carpeta(tmp_path):
    """Sin debugpy (marcado como ausente), en la carpeta pedida y con ella en sys.path, como
    lo deja ipykernel_launcher."""
    km = abrir_kernel(tmp_path)
    try:
        salida: list[str] = []
        respuesta = cliente_listo(km).execute_interactive(
            "import os, sys\nprint(sys.modules.get('debugpy', 'no'), '' in sys.path)\n"
            "print(os.getcwd())",
            timeout=60, output_hook=lambda m: salida.append(m["content"].get("text", "")))
        assert respuesta["content"]["status"] == "ok"
        assert "".join(salida).splitlines() == ["None True", str(tmp_path)]
    finally:
        km.shutdown_kernel(now=True)


def test_las_celdas_de_un_informe_no_van_al_historial_de_ipython(tmp_path):
    """Lo que ejecuta un kernel de una corrida (también ``%reset``, que vacía el espacio de
    nombres entre secciones) no llega a la base del historial de IPython; un kernel de
    IPython como el de JupyterLab, en la misma carpeta de IPython, sí la escribe."""
    carpeta_ipython = tmp_path / "ipython"
    historial = carpeta_ipython / "profile_default" / "history.sqlite"
    km = abrir_kernel(tmp_path, {"IPYTHONDIR": str(carpeta_ipython)})
    try:
        for codigo in ("parametro = 'datos/poa.xlsx'", "%reset -f", "print(40 + 2)"):
            respuesta = cliente_listo(km).execute_interactive(codigo, timeout=60,
                                                              output_hook=lambda _: None)
            assert respuesta["content"]["status"] == "ok"
    finally:
        km.shutdown_kernel(now=False)
    assert _celdas_anotadas(historial) == []
    # Un kernel de ipykernel como viene, con la misma carpeta: la celda queda anotada (la
    # prueba mira donde IPython escribe).
    from jupyter_client.manager import start_new_kernel

    otro, cliente = start_new_kernel(kernel_name="python3", cwd=str(tmp_path),
                                     env={**os.environ, "IPYTHONDIR": str(carpeta_ipython)})
    try:
        cliente.execute_interactive("parametro = 1", timeout=60, output_hook=lambda _: None)
    finally:
        cliente.stop_channels()
        otro.shutdown_kernel(now=False)
    assert _celdas_anotadas(historial) == ["parametro = 1"]


def _celdas_anotadas(historial) -> list[str]:
    if not historial.exists():
        return []
    with contextlib.closing(sqlite3.connect(historial)) as base:
        return [fila[0] for fila in base.execute("SELECT source FROM history")]


def test_el_servidor_de_bifurcacion_carga_weasyprint_con_las_fuentes_del_proyecto():
    assert "helpers.salida.ensamblado.con_weasyprint" in PRECARGA
    orden = ("import os, sys\n"
             "import helpers.salida.ensamblado.con_weasyprint\n"
             "print('weasyprint' in sys.modules, 'helpers.salida.ensamblado' in sys.modules)\n"
             "print(os.environ['FONTCONFIG_FILE'])\n")
    hecho = subprocess.run([sys.executable, "-c", orden], capture_output=True, text=True,
                           timeout=120, check=False)
    assert hecho.returncode == 0, hecho.stderr
    assert hecho.stdout.splitlines() == ["True True", str(CONFIGURACION)]
