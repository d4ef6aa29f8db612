"""Delegar una orden de informe en el proceso de corrida de la reserva
(`helpers.arranque_en_reserva`): `informe-poa trimestral params.yaml`, con una reserva lista para
esos parámetros, no importa pandas ni WeasyPrint otra vez; le pasa la orden y su terminal
a un proceso que ya los importó (nunca el entorno: la huella asegura que es el mismo), le
reenvía las señales (Ctrl+C, kill) y termina con su código de salida. Nada sale de aquí
antes de saber que quien escucha es de este mismo usuario (`canal.conectar`).

Sólo se delegan las órdenes de informe con un archivo de parámetros y banderas que no
cambian lo que se arranca (`_BANDERAS`); cualquier otra cosa, o si no hay reserva, o si su
huella no es la de este proceso, la orden corre aquí como siempre.
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from helpers.reserva import activa, canal, entorno_inicial

__all__ = ["delegar"]

_ORDENES = {"trimestral", "anual", "formulacion"}
_BANDERAS = {"--forzar", "--detallado", "--silencioso", "--normal"}
# s que se espera a que la reserva acepte la orden: una que todavía está arrancando no la
# acepta, y la orden corre aquí (y toma de ella los kernels cuando estén).
_ESPERA = 0.5
_SENALES = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _params(argv: list[str]) -> Path | None:
    """El archivo de parámetros de una orden que se puede delegar; None si no lo es."""
    if not argv or argv[0] not in _ORDENES:
        return None
    posicionales = [a for a in argv[1:] if not a.startswith("-")]
    banderas = [a for a in argv[1:] if a.startswith("-")]
    if len(posicionales) != 1 or not set(banderas) <= _BANDERAS:
        return None
    ruta = Path(posicionales[0])
    if not ruta.is_absolute() and not ruta.exists():
        from helpers.rutas import RAIZ

        ruta = RAIZ / ruta
    return ruta if ruta.is_file() else None


def delegar(argv: list[str]) -> int | None:
    """El código de salida de la orden `argv`, corrida por el proceso de la reserva; None si
    no se delegó (y entonces hay que correrla aquí)."""
    params = _params(argv)
    if params is None or not activa():
        return None
    conexion = canal.conectar(canal.nombre_de_corrida(params))
    if conexion is None:  # no hay reserva, o quien escucha no es de este usuario
        return None
    with conexion:
        return _pedir(conexion, argv)


def _pedir(conexion, argv: list[str]) -> int | None:
    entorno = entorno_inicial()
    conexion.settimeout(_ESPERA)
    try:
        canal.enviar(conexion, {"huella": canal.huella(entorno), "argv": argv,
                                "cwd": os.getcwd(), "terminal": _terminal(entorno)}, [0, 1, 2])
        respuesta, _ = canal.recibir(conexion)
    except (canal.ErrorDeCanal, OSError):
        return None
    if "pid" not in respuesta:
        return None
    pid = respuesta["pid"]
    for senal in _SENALES:  # lo que le llegue a esta orden le llega a la corrida
        signal.signal(senal, lambda numero, _marco: _reenviar(pid, numero))
    conexion.settimeout(None)
    while True:
        try:
            mensaje, _ = canal.recibir(conexion)
        except InterruptedError:
            continue
        except (canal.ErrorDeCanal, OSError):
            print("La corrida se detuvo sin decir cómo terminó (murió el proceso de la reserva "
                  "que la hacía); vuelva a generar el informe.", file=sys.stderr)
            return 1
        if "codigo" in mensaje:
            return int(mensaje["codigo"])


def _terminal(entorno: dict[str, str]) -> dict[str, str]:
    """Lo único del entorno que viaja: la clase y el tamaño de la terminal. El resto es, por
    la huella, el mismo que ya tiene el proceso de corrida."""
    return {clave: entorno[clave] for clave in canal.TERMINAL if clave in entorno}


def _reenviar(pid: int, senal: int) -> None:
    try:
        os.kill(pid, senal)
    except ProcessLookupError:
        pass
