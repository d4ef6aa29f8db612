"""Cómo se hablan la corrida y la reserva de su informe: el nombre del enchufe, los mensajes
(JSON, con descriptores de archivo al lado) y la huella que dice si lo que tiene la reserva
sirve para esta corrida."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import struct
import sys
from pathlib import Path

from helpers.rutas import PAQUETE

__all__ = ["ErrorDeCanal", "del_mismo_usuario", "enchufe", "enviar", "huella", "nombre",
           "nombre_de_corrida", "recibir"]

_TAMANO = 1 << 20  # lo más que puede medir un mensaje (lleva un puñado de rutas y puertos)
_MAX_DESCRIPTORES = 64
# Variables del entorno que cambian de una terminal a otra sin cambiar nada de lo que hacen
# los procesos (o que sólo usa la reserva misma): no cuentan en la huella.
_NO_CUENTAN = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "TERM", "COLUMNS", "LINES",
                         "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY"})


class ErrorDeCanal(Exception):
    """La otra punta no respondió como se espera (cerró, respondió otra cosa, no es del mismo
    usuario)."""


def nombre(carpeta_cache: Path) -> bytes:
    """El nombre del enchufe en que la reserva del informe cuya caché es `carpeta_cache` da
    sus kernels y procesos aparte: uno abstracto de Linux (no deja archivo, y desaparece con
    el proceso que lo tiene), distinto por usuario y por carpeta."""
    return _abstracto("reserva", carpeta_cache)


def nombre_de_corrida(params: Path) -> bytes:
    """El nombre del enchufe en que la reserva da su proceso de corrida a la orden que
    genera el informe de los parámetros `params` (`helpers.reserva.delegacion`)."""
    return _abstracto("corrida", params)


def _abstracto(que: str, ruta: Path) -> bytes:
    digesto = hashlib.sha256(os.path.realpath(ruta).encode()).hexdigest()[:32]
    return f"\0informe-poa-{que}-{os.getuid()}-{digesto}".encode()


def enchufe() -> socket.socket:
    """Un enchufe de mensajes (cada envío llega entero, con sus descriptores)."""
    return socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def del_mismo_usuario(conexion: socket.socket) -> bool:
    """Si la otra punta es un proceso de este mismo usuario (el nombre abstracto lo puede
    usar cualquiera de la máquina)."""
    credenciales = conexion.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                       struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", credenciales)
    return uid == os.getuid()


def enviar(conexion: socket.socket, mensaje: dict, descriptores: list[int] = ()) -> None:
    datos = json.dumps(mensaje).encode()
    if descriptores:
        socket.send_fds(conexion, [datos], list(descriptores))
    else:
        conexion.sendall(datos)


def recibir(conexion: socket.socket) -> tuple[dict, list[int]]:
    """El próximo mensaje y los descriptores que trae; `ErrorDeCanal` si la otra punta cerró
    o mandó algo que no es un mensaje."""
    datos, descriptores, _banderas, _direccion = socket.recv_fds(
        conexion, _TAMANO, _MAX_DESCRIPTORES)
    if not datos:
        for descriptor in descriptores:
            os.close(descriptor)
        raise ErrorDeCanal("la otra punta cerró")
    try:
        mensaje = json.loads(datos)
    except ValueError:
        mensaje = None
    if not isinstance(mensaje, dict):
        for descriptor in descriptores:
            os.close(descriptor)
        raise ErrorDeCanal("llegó algo que no es un mensaje")
    return mensaje, descriptores


def huella(entorno: dict[str, str]) -> str:
    """Lo que tiene que coincidir para que un proceso que arrancó la reserva sea igual a uno
    que arrancaría la corrida: el código del programa (todo `helpers`), Python y las
    versiones de los paquetes, `entorno` (las variables con que arrancó la corrida, salvo
    `_NO_CUENTAN`; las que agregan el programa y sus bibliotecas al trabajar no cuentan), la
    carpeta de trabajo y el usuario."""
    from helpers.salida.cache_informe import huella_de_carpeta
    from helpers.salida.manifiesto import entorno_actual

    entorno = {k: v for k, v in entorno.items() if k not in _NO_CUENTAN}
    partes = [huella_de_carpeta(PAQUETE),
              json.dumps(entorno_actual(), sort_keys=True),
              json.dumps(entorno, sort_keys=True), sys.executable, os.getcwd(),
              str(os.getuid())]
    return hashlib.sha256("\0".join(partes).encode()).hexdigest()
