"""El proceso de corrida de la reserva: un intérprete que ya importó lo que importa una
corrida (`helpers.precarga`: pandas, nbconvert, WeasyPrint, el programa) y espera la orden
de quien la delega (`helpers.reserva.delegacion`).

Lo arranca la reserva (`helpers.reserva.servidor`) con un extremo de un par de enchufes
como descriptor `--canal`. Por ahí le llega, una sola vez, la orden: los argumentos, la
carpeta de trabajo y la terminal (clase y tamaño) de quien la pide, con su entrada, su
salida y su salida de errores y la conexión con él. Desde ahí es esa orden: escribe en la
terminal de quien la pidió y, al terminar, le manda el código de salida por la conexión.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import socket
import threading

from helpers.reserva import canal

__all__ = ["main"]


def _tomar_la_orden(enlace: socket.socket) -> tuple[dict, socket.socket]:
    """Espera la orden; pone sus descriptores en lugar de la entrada y las salidas de este
    proceso y devuelve la orden y la conexión con quien la pidió."""
    orden, descriptores = canal.recibir(enlace)
    entrada, salida, errores, conexion = descriptores
    for viejo, nuevo in ((entrada, 0), (salida, 1), (errores, 2)):
        os.dup2(viejo, nuevo)
        os.close(viejo)
    conexion = socket.socket(fileno=conexion)
    conexion.setblocking(True)  # la reserva la usó con un plazo: quedó sin bloqueo
    return orden, conexion


def _entorno(terminal: dict[str, str], al_arrancar: dict[str, str]) -> dict[str, str]:
    """Pone en el entorno de este proceso la terminal de quien pidió la orden (su clase y su
    tamaño: lo único que viaja) y devuelve el entorno con que arrancó esa orden. El resto es
    el de este proceso: la huella asegura que arrancó con el mismo."""
    for clave in canal.TERMINAL:
        os.environ.pop(clave, None)
        al_arrancar.pop(clave, None)
    terminal = {k: str(v) for k, v in terminal.items() if k in canal.TERMINAL}
    os.environ.update(terminal)
    return {**al_arrancar, **terminal}


def main(argv: list[str] | None = None) -> None:
    lector = argparse.ArgumentParser(prog=f"python -m {__spec__.name}")
    lector.add_argument("--padre", type=int, required=True)
    lector.add_argument("--canal", type=int, required=True)
    argumentos = lector.parse_args(argv)
    from helpers.aparte import morir_con, senal_al_morir_el_padre

    morir_con(argumentos.padre)
    al_arrancar = dict(os.environ)
    import helpers.cli  # noqa: F401
    import helpers.precarga  # noqa: F401
    from helpers import reserva

    # Lo importado vive hasta el final: que las recolecciones de la corrida no lo recorran
    # (con todo cargado, una recolección completa tarda más de una décima).
    gc.collect()
    gc.freeze()

    enlace = socket.socket(fileno=argumentos.canal)
    try:
        canal.enviar(enlace, {"lista": True})  # la reserva no se da por lista antes
        orden, conexion = _tomar_la_orden(enlace)
    except (canal.ErrorDeCanal, OSError, ValueError):
        return  # la reserva se cerró sin dar la orden
    enlace.close()
    senal_al_morir_el_padre(0)  # ya es la corrida de alguien: si la reserva muere, sigue
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(orden["cwd"])
    os.environ["PWD"] = al_arrancar["PWD"] = orden["cwd"]
    reserva.fijar_entorno_inicial(_entorno(orden.get("terminal", {}), al_arrancar))
    from helpers.cli import main as orden_informe_poa
    from helpers.cli import terminar

    try:
        canal.enviar(conexion, {"pid": os.getpid()})
    except OSError:
        return  # quien la pidió ya no espera (se cansó y la corre él mismo)
    terminada = threading.Event()
    threading.Thread(target=_vigilar, args=(conexion, terminada), daemon=True).start()
    codigo = 1
    try:
        codigo = orden_informe_poa(orden["argv"])
    finally:
        terminada.set()
        with contextlib.suppress(OSError):
            canal.enviar(conexion, {"codigo": codigo})
    terminar(codigo)


def _vigilar(conexion: socket.socket, terminada: threading.Event) -> None:
    """Si quien pidió la orden muere (kill -9: no alcanza a reenviar la señal) o cierra la
    conexión antes de que termine, la orden se interrumpe como con SIGTERM: lo que se armaba
    se borra y el informe anterior queda como estaba."""
    with contextlib.suppress(OSError):
        while conexion.recv(64):  # quien la pidió no manda nada más: sólo cierra
            pass
    if not terminada.is_set():
        os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    main()
