"""El programa de cada kernel de una corrida (`ejecucion.abrir_kernel`): ``python -m
helpers.ipykernel_sin_depurador -f <conexión>`` hace lo que ``python -m ipykernel_launcher``,
sin el depurador de ipykernel, sin el historial de IPython y sin la configuración de quien lo
corre.

ipykernel importa debugpy al arrancar, si está instalado, para el depurador de JupyterLab, que
los cuadernos de un informe no usan: 140 módulos más en cada kernel, 7 MB más de cada kernel
que espera en el servidor residente. Con debugpy marcado como ausente, ipykernel arranca como
si no estuviera instalado.

IPython anota cada celda que ejecuta en el historial del usuario (una base SQLite en
``~/.ipython``, compartida por todos sus kernels): cada informe le agregaba sus cuadernos,
con la celda de parámetros (las rutas de los archivos de la entidad), y la base crecía sin
fin (cientos de MB). Con ``HistoryManager.enabled`` en falso, el historial queda en memoria
y muere con el kernel. Los kernels de la página (JupyterLab) no pasan por aquí: el historial
de quien escribe en ellos sigue.

Un informe es el mismo en cualquier máquina (`entorno_propio`): el kernel no lee la
configuración de IPython (la del perfil del usuario, la del entorno ni la de la máquina) ni
corre sus archivos de arranque ni el de ``PYTHONSTARTUP``, y matplotlib dibuja en el cuaderno
con sus valores de fábrica, aunque quien corre el informe tenga ``MPLBACKEND=Agg`` (común en
servidores: el informe salía sin un solo gráfico) o su propio ``matplotlibrc``. El estilo de
los gráficos lo pone el proyecto (`redaccion.graficos`).
"""
import os
import sys
from collections.abc import Mapping
from importlib.util import find_spec
from pathlib import Path

# La opción de IPython que deja el historial en memoria.
SIN_HISTORIAL = "--HistoryManager.enabled=False"
# Las figuras van al cuaderno (así las recoge el ensamblado), como en un kernel sin configurar.
BACKEND_DEL_CUADERNO = "module://matplotlib_inline.backend_inline"


def matplotlibrc_de_fabrica() -> Path:
    """El ``matplotlibrc`` que trae matplotlib (sin importarlo)."""
    return Path(find_spec("matplotlib").origin).parent / "mpl-data" / "matplotlibrc"


def entorno_propio(entorno: Mapping[str, str]) -> dict[str, str]:
    """Las variables de `entorno` para un proceso que ejecuta cuadernos de un informe: sin
    ``PYTHONSTARTUP``, con matplotlib dibujando en el cuaderno y leyendo su ``matplotlibrc``
    de fábrica (``MATPLOTLIBRC`` pasa delante del de quien corre el informe; sólo uno en la
    carpeta de trabajo, que hace la corrida, iría antes)."""
    propio = {clave: valor for clave, valor in entorno.items() if clave != "PYTHONSTARTUP"}
    propio["MPLBACKEND"] = BACKEND_DEL_CUADERNO
    propio["MATPLOTLIBRC"] = str(matplotlibrc_de_fabrica())
    return propio


if __name__ == "__main__":
    # Como ipykernel_launcher: sin la carpeta de trabajo en sys.path mientras ipykernel se
    # importa (IPython la vuelve a poner).
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.modules["debugpy"] = None
    os.environ.pop("PYTHONSTARTUP", None)
    os.environ.update(entorno_propio(os.environ))
    from ipykernel import kernelapp

    class KernelDeUnInforme(kernelapp.IPKernelApp):
        def load_config_file(self, *args, **kwargs) -> None:
            """Ningún ``ipython_config.py`` ni ``ipython_kernel_config.py``: ni del perfil del
            usuario ni del entorno ni de la máquina."""

        def _run_startup_files(self) -> None:
            """Ni los archivos de ``startup/`` de esos perfiles ni el de ``PYTHONSTARTUP``
            (IPython no tiene una opción para no correrlos)."""

    KernelDeUnInforme.launch_instance([*sys.argv[1:], SIN_HISTORIAL])
