"""Lo que ocupa el servidor residente mientras espera (docs/cache-diseno.md): los kernels de
una corrida arrancan sin el depurador de ipykernel (`helpers.ipykernel_sin_depurador`) y no
escriben el historial de IPython del usuario, y el servidor de bifurcación de los procesos de
ayuda carga WeasyPrint, que el compositor que nace de él comparte
(`helpers.salida.ensamblado.con_weasyprint`). Y los kernels de una corrida no leen la
configuración de quien corre el informe (de IPython ni de matplotlib)."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys

from helpers.comun.tipografia import CONFIGURACION
from helpers.ejecucion import abrir_kernel, cliente_listo, sin_depurador
from helpers.ipykernel_sin_depurador import BACKEND_DEL_CUADERNO
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


# Lo que deja en su kernel la configuración hostil de `entorno_hostil`, si la lee.
_DEJADO = ("desde_el_perfil", "desde_la_configuracion", "desde_pythonstartup")
AVISO_HOSTIL = "configuración de quien corre el informe"
_MIRAR = ("import matplotlib\n"
          f"print([n for n in {_DEJADO!r} if n in globals()])\n"
          "print(matplotlib.get_backend(), matplotlib.rcParams['path.sketch'])")


def entorno_hostil(carpeta) -> dict[str, str]:
    """Variables de quien corre un informe con su propia configuración (en `carpeta`):
    matplotlib dibuja fuera del cuaderno (``MPLBACKEND=Agg``, común en servidores) y a mano
    alzada (su ``matplotlibrc``); su perfil de IPython define un nombre en un archivo de
    arranque y otro en su configuración del kernel, y agrega `AVISO_HOSTIL` a la salida de
    cada celda; ``PYTHONSTARTUP`` define un tercero."""
    perfil = carpeta / "ipython" / "profile_default"
    (perfil / "startup").mkdir(parents=True)
    (perfil / "startup" / "00-propio.py").write_text(
        "desde_el_perfil = 1\n"
        f"get_ipython().events.register('post_run_cell', lambda r: print({AVISO_HOSTIL!r}))\n",
        encoding="utf-8")
    (perfil / "ipython_kernel_config.py").write_text(
        'c.InteractiveShellApp.exec_lines = ["desde_la_configuracion = 1"]\n', encoding="utf-8")
    (carpeta / "arranque.py").write_text("desde_pythonstartup = 1\n", encoding="utf-8")
    (carpeta / "matplotlib").mkdir()
    (carpeta / "matplotlib" / "matplotlibrc").write_text("path.sketch: 1, 100, 2\n",
                                                         encoding="utf-8")
    return {"MPLBACKEND": "Agg", "MPLCONFIGDIR": str(carpeta / "matplotlib"),
            "IPYTHONDIR": str(carpeta / "ipython"), "PYTHONSTARTUP": str(carpeta / "arranque.py")}


def test_un_kernel_de_una_corrida_no_lee_la_configuracion_de_quien_lo_corre(tmp_path,
                                                                            monkeypatch):
    """Con la configuración de `entorno_hostil`, el kernel de una corrida queda como sin ella:
    ningún nombre de sus archivos, las figuras al cuaderno y el matplotlibrc de fábrica. Un
    kernel de ipykernel como viene, con las mismas variables, sí la lee (la prueba mira donde
    cada uno la busca)."""
    for clave, valor in entorno_hostil(tmp_path).items():
        monkeypatch.setenv(clave, valor)
    km = abrir_kernel(tmp_path)
    try:
        salida: list[str] = []
        respuesta = cliente_listo(km).execute_interactive(
            _MIRAR, timeout=60, output_hook=lambda m: salida.append(m["content"].get("text", "")))
        assert respuesta["content"]["status"] == "ok"
    finally:
        km.shutdown_kernel(now=False)
    assert "".join(salida).splitlines() == ["[]", f"{BACKEND_DEL_CUADERNO} None"]
    from jupyter_client.manager import start_new_kernel

    otro, cliente = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:
        salida = []
        cliente.execute_interactive(
            _MIRAR, timeout=60, output_hook=lambda m: salida.append(m["content"].get("text", "")))
    finally:
        cliente.stop_channels()
        otro.shutdown_kernel(now=False)
    assert "".join(salida).splitlines() == [str(list(_DEJADO)), "Agg (1.0, 100.0, 2.0)",
                                             AVISO_HOSTIL]


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
