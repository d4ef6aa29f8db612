"""Cómo se hablan la corrida y la reserva de su informe: dónde está el enchufe, los mensajes
(JSON, con descriptores de archivo al lado) y la huella que dice si lo que tiene la reserva
sirve para esta corrida.

El enchufe es un archivo en una carpeta que sólo su usuario puede abrir (`carpeta_privada`:
la de ``$XDG_RUNTIME_DIR`` o una propia en la carpeta temporal, con permisos 0700), no un
nombre abstracto, que cualquier usuario de la máquina ve y puede tomar primero. Además,
quien se conecta comprueba que del otro lado hay un proceso de su mismo usuario antes de
mandar nada (`conectar`): si no, la orden corre sola y no le dice nada a quien escucha.
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

__all__ = ["ErrorDeCanal", "Escucha", "TERMINAL", "carpeta_privada", "conectar",
           "del_mismo_usuario", "enchufe", "enviar", "escuchar", "huella", "nombre",
           "nombre_de_corrida", "recibir"]

_TAMANO = 1 << 20  # lo más que puede medir un mensaje (lleva un puñado de rutas y puertos)
_MAX_DESCRIPTORES = 64
_LARGO_MAXIMO = 107  # bytes de la ruta de un enchufe de archivo en Linux (sun_path), sin el nulo
# Variables que cambian de una terminal a otra sin cambiar nada de lo que hacen los procesos
# (o que sólo usa la reserva misma): no cuentan en la huella.
_NO_CUENTAN = frozenset({"_", "OLDPWD", "PWD", "SHLVL", "TERM", "COLUMNS", "LINES",
                         "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY"})
# De ellas, las que la orden delegada manda a la corrida (el ancho y la clase de su terminal):
# las demás variables son, por la huella, las que la corrida ya tiene.
TERMINAL = ("TERM", "COLUMNS", "LINES")


class ErrorDeCanal(Exception):
    """La otra punta no respondió como se espera (cerró, respondió otra cosa, no es del mismo
    usuario)."""


def _privada(carpeta: Path) -> bool:
    """Si `carpeta` es una carpeta (no un enlace) de este usuario que nadie más puede abrir."""
    try:
        datos = os.lstat(carpeta)
    except OSError:
        return False
    return (stat.S_ISDIR(datos.st_mode) and datos.st_uid == os.getuid()
            and datos.st_mode & 0o077 == 0)


def _candidatas() -> list[Path]:
    candidatas = []
    propia = os.environ.get("XDG_RUNTIME_DIR", "")
    if propia and os.path.isabs(propia) and _privada(Path(propia)):
        candidatas.append(Path(propia) / "informe-poa")
    candidatas.append(Path(tempfile.gettempdir()) / f"informe-poa-{os.getuid()}")
    return candidatas


def carpeta_privada() -> Path | None:
    """La carpeta de los enchufes de este usuario, creada con permisos 0700 si no está; None
    si no hay una que sea sólo suya (alguien creó antes esa ruta, o es un enlace): entonces no
    hay reserva, y cada orden corre sola."""
    for carpeta in _candidatas():
        with contextlib.suppress(OSError):
            carpeta.mkdir(mode=0o700)
        if _privada(carpeta) and len(os.fsencode(carpeta)) + 48 <= _LARGO_MAXIMO:
            return carpeta
    return None


def nombre(carpeta_cache: Path) -> Path | None:
    """El enchufe en que la reserva del informe cuya caché es `carpeta_cache` da sus kernels
    y procesos aparte (uno por carpeta); None si no hay carpeta privada."""
    return _ruta("reserva", carpeta_cache)


def nombre_de_corrida(params: Path) -> Path | None:
    """El enchufe en que la reserva da su proceso de corrida a la orden que genera el
    informe de los parámetros `params` (`helpers.reserva.delegacion`)."""
    return _ruta("corrida", params)


def _ruta(que: str, ruta: Path) -> Path | None:
    carpeta = carpeta_privada()
    if carpeta is None:
        return None
    digesto = hashlib.sha256(os.path.realpath(ruta).encode()).hexdigest()[:32]
    return carpeta / f"{que}-{digesto}"


def enchufe() -> socket.socket:
    """Un enchufe de mensajes (cada envío llega entero, con sus descriptores)."""
    return socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def conectar(ruta: Path | None) -> socket.socket | None:
    """La conexión con quien escucha en `ruta`, sólo si es un proceso de este mismo usuario
    (se comprueba antes de mandarle nada); None si no hay nadie, o si es otro."""
    if ruta is None:
        return None
    conexion = enchufe()
    try:
        conexion.connect(os.fspath(ruta))
        if del_mismo_usuario(conexion):
            return conexion
    except OSError:
        pass
    conexion.close()
    return None


class Escucha:
    """Un enchufe que escucha en un archivo de la carpeta privada; al cerrarse borra el
    archivo si todavía es el suyo (otra reserva pudo haberlo reemplazado)."""

    def __init__(self, escucha: socket.socket, ruta: Path) -> None:
        self.enchufe = escucha
        self.ruta = ruta
        self._inodo = os.lstat(ruta).st_ino

    def fileno(self) -> int:
        return self.enchufe.fileno()

    def accept(self) -> tuple[socket.socket, object]:
        return self.enchufe.accept()

    def close(self) -> None:
        self.enchufe.close()
        with contextlib.suppress(OSError):
            if os.lstat(self.ruta).st_ino == self._inodo:
                os.unlink(self.ruta)


def escuchar(ruta: Path | None) -> Escucha | None:
    """Un enchufe que escucha en `ruta`; None si ya escucha ahí otro proceso vivo (o no hay
    carpeta privada). El archivo que dejó un proceso muerto se reemplaza."""
    if ruta is None:
        return None
    viva = conectar(ruta)
    if viva is not None:
        viva.close()
        return None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(ruta)
    escucha = enchufe()
    try:
        escucha.bind(os.fspath(ruta))
        escucha.listen(4)
        return Escucha(escucha, ruta)
    except OSError:
        escucha.close()
        return None


def del_mismo_usuario(conexion: socket.socket) -> bool:
    """Si la otra punta es un proceso de este mismo usuario (sus credenciales, que da el
    sistema: las de quien escuchaba o se conectó, no lo que diga)."""
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
