"""Cómo se hablan la orden y el servidor residente: dónde está el enchufe, los mensajes (JSON,
uno por envío) y la huella que dice si el servidor corre el mismo programa en el mismo entorno.

El enchufe es un archivo en una carpeta que sólo su usuario puede abrir (``$XDG_RUNTIME_DIR``
o una propia en la carpeta temporal, con permisos 0700): otro usuario no puede tomar su
nombre. Además, quien se conecta comprueba que del otro lado hay un proceso de su mismo
usuario antes de mandar nada (`conectar`).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import struct
import sys
import tempfile
from pathlib import Path

from helpers.rutas import PAQUETE

_TAMANO = 1 << 20  # lo más que mide un mensaje (un trozo de la salida de una orden)
_LARGO_MAXIMO = 107  # bytes de la ruta de un enchufe en Linux (sun_path), sin el nulo
# Las variables de la terminal que la orden manda al servidor (no cuentan en la huella).
TERMINAL = ("TERM", "COLUMNS", "LINES")


class ErrorDeCanal(Exception):
    """La otra punta cerró o mandó algo que no es un mensaje."""


def _privada(carpeta: Path) -> bool:
    """Si `carpeta` es una carpeta (no un enlace) de este usuario que nadie más puede abrir."""
    try:
        datos = os.lstat(carpeta)
    except OSError:
        return False
    return (stat.S_ISDIR(datos.st_mode) and datos.st_uid == os.getuid()
            and datos.st_mode & 0o077 == 0)


def carpeta_privada() -> Path | None:
    """La carpeta del enchufe, creada con permisos 0700 si no está; None si no hay una que sea
    sólo de este usuario (alguien creó antes esa ruta, o es un enlace): cada orden corre sola."""
    candidatas = []
    propia = os.environ.get("XDG_RUNTIME_DIR", "")
    if propia and os.path.isabs(propia) and _privada(Path(propia)):
        candidatas.append(Path(propia) / "informe-poa")
    candidatas.append(Path(tempfile.gettempdir()) / f"informe-poa-{os.getuid()}")
    for carpeta in candidatas:
        with contextlib.suppress(OSError):
            carpeta.mkdir(mode=0o700)
        if _privada(carpeta) and len(os.fsencode(carpeta)) + 16 <= _LARGO_MAXIMO:
            return carpeta
    return None


def ruta() -> Path | None:
    """El enchufe del servidor de este usuario (uno solo); None si no hay carpeta privada."""
    carpeta = carpeta_privada()
    return None if carpeta is None else carpeta / "servidor"


def enchufe() -> socket.socket:
    """Un enchufe de mensajes: cada envío llega entero."""
    return socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def del_mismo_usuario(conexion: socket.socket) -> bool:
    """Si la otra punta es un proceso de este usuario: sus credenciales, que da el sistema."""
    credenciales = conexion.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                       struct.calcsize("3i"))
    return struct.unpack("3i", credenciales)[1] == os.getuid()


def conectar(destino: Path | None) -> socket.socket | None:
    """La conexión con quien escucha en `destino`, sólo si es un proceso de este usuario (se
    comprueba antes de mandarle nada); None si no hay nadie, o si es otro."""
    if destino is None:
        return None
    conexion = enchufe()
    try:
        conexion.connect(os.fspath(destino))
        if del_mismo_usuario(conexion):
            return conexion
    except OSError:
        pass
    conexion.close()
    return None


class Escucha(socket.socket):
    """El enchufe de mensajes en que escucha el servidor; al cerrarse borra su archivo si
    todavía es el suyo."""

    def __init__(self, destino: Path) -> None:
        super().__init__(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.ruta = destino
        self.bind(os.fspath(destino))
        self.listen(8)
        self._inodo = os.lstat(destino).st_ino

    def close(self) -> None:
        super().close()
        with contextlib.suppress(OSError):
            if os.lstat(self.ruta).st_ino == self._inodo:
                os.unlink(self.ruta)


def escuchar(destino: Path | None) -> Escucha | None:
    """Un enchufe que escucha en `destino`; None si ya escucha ahí un proceso vivo (o no hay
    carpeta privada). El archivo que dejó un proceso muerto se reemplaza."""
    if destino is None:
        return None
    viva = conectar(destino)
    if viva is not None:
        viva.close()
        return None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(destino)
    try:
        return Escucha(destino)
    except OSError:
        return None


def enviar(conexion: socket.socket, mensaje: dict) -> None:
    conexion.sendall(json.dumps(mensaje).encode())


def recibir(conexion: socket.socket) -> dict:
    """El próximo mensaje; `ErrorDeCanal` si la otra punta cerró o mandó otra cosa."""
    datos = conexion.recv(_TAMANO)
    if not datos:
        raise ErrorDeCanal("la otra punta cerró")
    try:
        mensaje = json.loads(datos)
    except ValueError:
        mensaje = None
    if not isinstance(mensaje, dict):
        raise ErrorDeCanal("llegó algo que no es un mensaje")
    return mensaje


def huella(entorno: dict[str, str]) -> str:
    """Lo que tiene que coincidir para que el servidor corra una orden como la correría ella
    misma: el código del programa (todo `helpers`), Python, las versiones de los paquetes,
    `entorno` (las variables con que arrancó la orden que pueden cambiar un informe:
    `comun.entorno`) y el usuario."""
    from helpers.comun.entorno import entorno_que_cuenta
    from helpers.salida.cache_informe import huella_de_carpeta
    from helpers.salida.manifiesto import entorno_actual

    entorno = entorno_que_cuenta(entorno)
    partes = [huella_de_carpeta(PAQUETE), json.dumps(entorno_actual(), sort_keys=True),
              json.dumps(entorno, sort_keys=True), sys.executable, str(os.getuid())]
    return hashlib.sha256("\0".join(partes).encode()).hexdigest()
