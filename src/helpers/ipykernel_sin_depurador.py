"""El programa de cada kernel de una corrida (`ejecucion.abrir_kernel`): ``python -m
helpers.ipykernel_sin_depurador -f <conexión>`` hace lo que ``python -m ipykernel_launcher``,
sin el depurador de ipykernel y sin el historial de IPython.

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
"""
import sys
from pathlib import Path

# La opción de IPython que deja el historial en memoria.
SIN_HISTORIAL = "--HistoryManager.enabled=False"

if __name__ == "__main__":
    # Como ipykernel_launcher: sin la carpeta de trabajo en sys.path mientras ipykernel se
    # importa (IPython la vuelve a poner).
    if sys.path[0] == "" or Path(sys.path[0]) == Path.cwd():
        del sys.path[0]
    sys.modules["debugpy"] = None
    from ipykernel import kernelapp

    kernelapp.launch_new_instance([*sys.argv[1:], SIN_HISTORIAL])
