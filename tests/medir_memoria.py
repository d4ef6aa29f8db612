"""Corre una orden y escribe en un archivo el máximo de memoria residente que usó ella sola:
``python tests/medir_memoria.py RESULTADO orden...``; sale con el código de la orden.

Hace falta un proceso chico entre las pruebas y la orden: en Linux, el máximo que da
`wait4` (``ru_maxrss``) arranca en el del proceso que la lanzó (al ejecutar, el núcleo le
anota el máximo de la memoria que heredó), y el de pytest, tras cientos de pruebas, pasa
solo del giga que se quiere comprobar. El de este proceso es de unos pocos MB."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main() -> int:
    resultado, *orden = sys.argv[1:]
    proceso = subprocess.Popen(orden)
    _, estado, uso = os.wait4(proceso.pid, 0)
    Path(resultado).write_text(str(uso.ru_maxrss * 1024))  # ru_maxrss en KB en Linux
    return os.waitstatus_to_exitcode(estado)


if __name__ == "__main__":
    sys.exit(main())
