"""Usar un proceso que arrancó otro: la reserva (`helpers.reserva.servidor`) arranca los
kernels y los procesos aparte, y la corrida que la reclama los usa como si los hubiera
arrancado ella. El servidor sigue siendo su padre (los recoge al morir, y ellos mueren con
él); la corrida los maneja por su número de proceso y por las tuberías que el servidor le
pasa."""
from __future__ import annotations

import os
import signal
import subprocess
import time

from helpers.aparte import Aparte
from helpers.ejecucion import clase_de_kernel

__all__ = ["ProcesoAjeno", "aparte_adoptado", "kernel_adoptado"]

_SONDEO = 0.02  # s entre dos miradas al estado de un proceso ajeno que se espera


class ProcesoAjeno:
    """Lo que `subprocess.Popen` ofrece de un proceso, para uno que no es hijo de este: no se
    puede esperar con ``waitpid``, así que se mira su estado en /proc. Un proceso zombi (ya
    terminó y su padre todavía no lo recogió) cuenta como terminado; su código de salida no
    se conoce (se da 0 si terminó). ``stdin``/``stdout``: las tuberías que pasó su padre."""

    def __init__(self, pid: int, stdin=None, stdout=None) -> None:
        self.pid = pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, None
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _vivo(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        limite = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if limite is not None and time.monotonic() >= limite:
                raise subprocess.TimeoutExpired(f"proceso {self.pid}", timeout)
            time.sleep(_SONDEO)
        return self.returncode

    def send_signal(self, senal: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, senal)
            except ProcessLookupError:
                self.returncode = 0

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _vivo(pid: int) -> bool:
    """Si el proceso `pid` existe y no es un zombi."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as estado:
            datos = estado.read()
    except (FileNotFoundError, ProcessLookupError):
        return False
    # El estado va después del nombre, que va entre paréntesis y puede llevar espacios.
    return datos[datos.rfind(b")") + 2:][:1] not in (b"Z", b"X")


def kernel_adoptado(pid: int, conexion: dict):
    """Un KernelManager del kernel `pid`, que ya corre y escucha en `conexion` (lo que dice
    su archivo de conexión): ``start_kernel`` no lanza un proceso, lo toma; después se usa y
    se cierra como uno propio (``shutdown_kernel`` lo detiene por su número de proceso)."""
    conexion = {**conexion, "key": str(conexion["key"]).encode()}

    class KernelAdoptado(clase_de_kernel()):
        async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
            self.provisioner.process = ProcesoAjeno(pid)
            self.provisioner.pid = pid
            try:
                self.provisioner.pgid = os.getpgid(pid)
            except OSError:
                self.provisioner.pgid = None
            self._reconcile_connection_info(conexion)

    km = KernelAdoptado(kernel_name="python3")
    km.cache_ports = False
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


def aparte_adoptado(nombre: str, pid: int, entrada: int, salida: int, errores: int) -> Aparte:
    """Un `Aparte` del proceso `pid`, que ya atiende encargos: `entrada`, `salida` y `errores`
    son los descriptores (de este proceso) de su entrada, su salida y el archivo de sus
    errores."""
    proceso = ProcesoAjeno(pid, os.fdopen(entrada, "wb"), os.fdopen(salida, "rb"))
    return Aparte.de_proceso(nombre, proceso, os.fdopen(errores, "w+b"))
