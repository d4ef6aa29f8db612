"""El programa de cada kernel de una corrida (`ejecucion.abrir_kernel`): ``python -m
helpers.ipykernel_sin_depurador -f <conexión>`` hace lo que ``python -m ipykernel_launcher``,
sin el depurador de ipykernel.

ipykernel importa debugpy al arrancar, si está instalado, para el depurador de JupyterLab, que
los cuadernos de un informe no usan: 140 módulos más en cada kernel, 7 MB más de cada kernel
que espera en el servidor residente. Con debugpy marcado como ausente, ipykernel arranca como
si no estuviera instalado. Los kernels de la página (JupyterLab) no pasan por aquí.
"""
import sys
from pathlib import Path

if __name__ == "__main__":
    # Como ipykernel_launcher: sin la carpeta de trabajo en sys.path mientras ipykernel se
    # importa (IPython la vuelve a poner).
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.modules["debugpy"] = None
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
