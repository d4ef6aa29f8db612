"""La reserva de un informe: un proceso que, al terminar una corrida, arranca los kernels, los
procesos aparte y el proceso de corrida que usará la siguiente, los deja listos (con lo que
importan ya importado) y los da: el proceso de corrida a la orden que la delega
(`helpers.reserva.delegacion`), los demás a la corrida que los reclama
(`helpers.reserva.Reserva`).

Se corre como ``python -m helpers.reserva.servidor`` con el encargo (JSON) por su entrada
estándar; lo arranca `Reserva.dejar_lista`, en una sesión propia, y sigue después de que la
corrida termina. Lo que arranca no se usa nunca antes de darlo: cada corrida recibe procesos
que sólo importaron módulos, como los que arrancaría ella misma.

Termina (y con él lo que arrancó) cuando:
- nadie los reclamó en `espera` segundos, o desapareció la carpeta de la caché;
- la huella cambió mientras arrancaba, o la de quien reclama no es la suya (otro código,
  otro entorno, otra carpeta de trabajo);
- la corrida que los reclamó terminó o murió: lo que no cerró ella, lo cierra la reserva.
"""
from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers.aparte import Aparte
from helpers.ejecucion import abrir_kernel, precargar
from helpers.reserva import canal

__all__ = ["main"]

_VIGILIA = 1.0  # s entre dos miradas a la carpeta de la caché mientras se espera un reclamo
_RECOGER = 0.2  # s entre dos recogidas de los procesos dados, mientras la corrida los usa
_ARRANQUE = 120  # s que se espera a que el proceso de corrida termine de importar
_SONDEO = 0.05  # s entre dos miradas, mientras arranca, a si llegó una orden


class _Juego:
    """Lo que arrancó la reserva: los kernels (KernelManager) y los `Aparte`."""

    def __init__(self, encargo: dict) -> None:
        self.kernels = []
        self.apartes = []
        self.corrida = self.enlace = None
        self.corrida_dada = self.corrida_lista = False
        self.dadas = []  # los procesos de corrida ya dados (siguen hasta que su orden termina)
        if encargo.get("params"):
            self.corrida, self.enlace = _arrancar_corrida()
        modulos = encargo.get("precargar", [])
        for pedido in encargo.get("kernels", []):
            self.kernels.append((pedido["entorno"], abrir_kernel(None, pedido["entorno"])))
        for firma in encargo.get("apartes", []):
            self.apartes.append((firma, Aparte.por_firma(firma)))
        for _entorno, km in self.kernels:
            precargar(km, modulos)
            km.client().stop_channels()  # quien lo reclame abre los suyos
        if self.enlace is not None:
            self._esperar_corrida()

    def _esperar_corrida(self, espera: float = _ARRANQUE) -> None:
        """Espera hasta `espera` s a que el proceso de corrida termine de importar (lo avisa);
        si muere o avisa otra cosa, no se da."""
        if self.corrida_lista or self.enlace is None:
            return
        if espera == 0 and not select.select([self.enlace], [], [], 0)[0]:
            return  # todavía importa
        self.enlace.settimeout(espera or None)
        try:
            aviso, _ = canal.recibir(self.enlace)
            if aviso.get("lista"):
                self.enlace.settimeout(None)
                self.corrida_lista = True
                return
        except (canal.ErrorDeCanal, OSError):
            pass
        self.enlace.close()
        self.enlace = None

    def corrida_disponible(self) -> bool:
        """Si hay un proceso de corrida listo para dar."""
        self._esperar_corrida(0)
        return self.corrida_lista and self.enlace is not None and self.corrida.poll() is None

    def reponer_corrida(self) -> None:
        """Si el proceso de corrida que se dio ya terminó su orden y nadie reclamó los kernels
        (una orden que encontró el informe al día, o que falló antes de ejecutar nada), se
        arranca otro para la orden siguiente: la reserva sigue sirviendo."""
        if self.corrida_dada and self.corrida.poll() is not None:
            self.corrida, self.enlace = _arrancar_corrida()
            self.corrida_dada = self.corrida_lista = False

    def vivos(self) -> bool:
        return (all(km.is_alive() for _entorno, km in self.kernels)
                and all(aparte.sigue_vivo() for _firma, aparte in self.apartes))

    def delegar(self, conexion: socket.socket, orden: dict, descriptores: list[int]) -> bool:
        """Pasa al proceso de corrida la orden de quien está en `conexion`, con su entrada y
        sus salidas (`descriptores`) y la conexión misma; desde ahí se entienden ellos. False
        si ya no hay proceso de corrida (se dio, o murió)."""
        if not self.corrida_disponible():
            return False
        try:
            canal.enviar(self.enlace, orden, [*descriptores, conexion.fileno()])
        except OSError:
            return False
        finally:
            self.enlace.close()
            self.enlace = None
        self.corrida_dada = True
        self.dadas.append(self.corrida)
        return True

    def descripcion(self) -> tuple[dict, list[int]]:
        """El mensaje que recibe quien reclama, con los descriptores de las tuberías de los
        procesos aparte (entrada, salida y archivo de errores de cada uno)."""
        kernels = []
        for entorno, km in self.kernels:
            conexion = km.get_connection_info()
            conexion["key"] = conexion["key"].decode()
            kernels.append({"entorno": entorno, "pid": km.provisioner.pid, "conexion": conexion})
        apartes, descriptores = [], []
        for firma, aparte in self.apartes:
            apartes.append({"firma": firma, "nombre": aparte.nombre, "pid": aparte.pid})
            descriptores += aparte.descriptores()
        return {"kernels": kernels, "apartes": apartes}, descriptores

    def soltar(self) -> None:
        """Después de darlos: cierra las puntas de las tuberías que tiene este proceso (si no,
        un `Aparte` no vería cerrarse su entrada) y borra los archivos de conexión, que los
        kernels ya leyeron."""
        for _entorno, km in self.kernels:
            with contextlib.suppress(OSError):
                km.cleanup_connection_file()
        for _firma, aparte in self.apartes:
            aparte.soltar()

    def recoger(self) -> None:
        """Recoge los que terminaron (no quedan zombis mientras la corrida sigue)."""
        for dada in self.dadas:
            dada.poll()
        for _entorno, km in self.kernels:
            if km.provisioner is not None and km.provisioner.process is not None:
                km.provisioner.process.poll()
        for _firma, aparte in self.apartes:
            aparte.sigue_vivo()

    def cerrar(self) -> None:
        """Detiene lo que siga vivo y lo recoge; el proceso de corrida, si no se dio (si se
        dio, es la corrida de alguien: sigue)."""
        if self.enlace is not None:
            self.enlace.close()
        if self.corrida is not None and not self.corrida_dada:
            self.corrida.kill()
            self.corrida.wait()
        for _entorno, km in self.kernels:
            proceso = km.provisioner.process if km.provisioner is not None else None
            if proceso is not None and proceso.poll() is None:
                with contextlib.suppress(OSError):
                    os.killpg(os.getpgid(proceso.pid), 9)
                with contextlib.suppress(OSError):
                    proceso.kill()
                proceso.wait()
            with contextlib.suppress(OSError):
                km.cleanup_connection_file()
        for _firma, aparte in self.apartes:
            aparte.cerrar(por_error=True)


def _arrancar_corrida() -> tuple[subprocess.Popen, socket.socket]:
    """El proceso de corrida (`helpers.arranque_en_reserva`) y el extremo del par de enchufes
    por el que le llegará la orden."""
    propio, suyo = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers.arranque_en_reserva", "--padre", str(os.getpid()),
         "--canal", str(suyo.fileno())],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        pass_fds=[suyo.fileno()],
    )
    suyo.close()
    return proceso, propio


def _esperar_reclamo(escuchas: dict, juego: _Juego, carpeta: Path, huella: str,
                     espera: float) -> tuple[socket.socket, dict] | None:
    """La conexión de quien reclama los kernels y los procesos aparte, o None si nadie los
    reclamó a tiempo, si desapareció la carpeta de la caché o si murió algo de lo arrancado.
    Mientras tanto, da el proceso de corrida a la orden que lo pide."""
    limite = time.monotonic() + espera
    while time.monotonic() < limite:
        listos, _, _ = select.select(list(escuchas.values()), [], [], _VIGILIA)
        juego.recoger()
        juego.reponer_corrida()
        if not listos:
            if not carpeta.is_dir() or not juego.vivos():
                return None
            continue
        for escucha in listos:
            try:
                conexion, _ = escucha.accept()
            except OSError:
                continue
            if not canal.del_mismo_usuario(conexion):
                conexion.close()
            elif escucha is escuchas["reserva"]:
                if (recibida := _reclamo(conexion, juego)) is not None:
                    return recibida
            else:
                with conexion:
                    _delegar(conexion, juego, huella)
    return None


def _reclamo(conexion: socket.socket, juego: _Juego) -> tuple[socket.socket, dict] | None:
    """La conexión y el pedido de quien reclama; None si sólo preguntaba si la reserva está
    lista (lo está si acepta conexiones y tiene su proceso de corrida, si lo lleva) o si no
    dijo nada a tiempo."""
    conexion.settimeout(10)
    try:
        pedido, descriptores = canal.recibir(conexion)
    except (canal.ErrorDeCanal, OSError):
        conexion.close()
        return None
    for descriptor in descriptores:
        os.close(descriptor)
    if pedido.get("tipo") == "lista":
        with conexion, contextlib.suppress(OSError):
            canal.enviar(conexion, {"lista": juego.corrida is None or juego.corrida_disponible()})
        return None
    return conexion, pedido


def _espera(conexion: socket.socket) -> bool:
    """Si quien pidió algo por `conexion` sigue esperando la respuesta (no cerró: si cerró, hay
    algo que leer, y es el fin)."""
    try:
        legible, _, _ = select.select([conexion], [], [], 0)
        return not legible or conexion.recv(1, socket.MSG_PEEK) != b""
    except OSError:
        return False


def _delegar(conexion: socket.socket, juego: _Juego, huella: str) -> None:
    """La orden que llega por `conexion` (`helpers.reserva.delegacion`), al proceso de
    corrida si su huella es la de la reserva; si no, se le dice que no."""
    conexion.settimeout(10)
    try:
        orden, descriptores = canal.recibir(conexion)
    except (canal.ErrorDeCanal, OSError):
        return
    try:
        if not _espera(conexion):
            return  # se cansó de esperar y la corre ella misma
        if orden.get("huella") != huella or len(descriptores) != 3 or not juego.delegar(
                conexion, orden, descriptores):
            with contextlib.suppress(OSError):
                canal.enviar(conexion, {"rechazo": "no hay proceso de corrida para esta orden"})
    finally:
        for descriptor in descriptores:
            os.close(descriptor)


def _atender(conexion: socket.socket, pedido: dict, juego: _Juego, huella: str) -> None:
    """Da el juego a quien lo reclama si su huella es la de la reserva, y espera a que esa
    corrida termine (cierra la conexión, o muere)."""
    if pedido.get("huella") != huella:
        with contextlib.suppress(OSError):
            canal.enviar(conexion, {"rechazo": "la huella no coincide"})
        return
    mensaje, descriptores = juego.descripcion()
    canal.enviar(conexion, mensaje, descriptores)
    juego.soltar()
    conexion.settimeout(_RECOGER)
    while True:
        try:
            if not conexion.recv(1):
                return
        except TimeoutError:
            juego.recoger()
        except OSError:
            return


def _rechazar_mientras(escucha: socket.socket, arrancando: threading.Event) -> None:
    """Mientras la reserva arranca, a la orden que quiere delegarse se le dice que no, y
    enseguida (`helpers.reserva.delegacion` corre la orden donde la pidieron)."""
    while arrancando.is_set():
        legibles, _, _ = select.select([escucha], [], [], _SONDEO)
        if not legibles or not arrancando.is_set():
            continue
        try:
            conexion, _ = escucha.accept()
        except OSError:
            continue
        with conexion, contextlib.suppress(OSError):
            canal.enviar(conexion, {"rechazo": "la reserva todavía está arrancando"})


def _escuchas(encargo: dict) -> dict[str, canal.Escucha]:
    """Los enchufes de la reserva (y el del proceso de corrida, si lleva parámetros); vacío
    si ya hay una reserva de este informe."""
    escuchas = {"reserva": canal.escuchar(canal.nombre(Path(encargo["carpeta"])))}
    if escuchas["reserva"] is None:
        return {}
    if encargo.get("params"):
        escuchas["corrida"] = canal.escuchar(
            canal.nombre_de_corrida(Path(encargo["params"])))
        if escuchas["corrida"] is None:
            del escuchas["corrida"]
            encargo["params"] = None
    return escuchas


def _terminar_con_sigterm(_numero, _marco) -> None:
    raise SystemExit(0)  # que corra el `finally` de `main`: cierra lo arrancado y los enchufes


def main() -> None:
    entorno = dict(os.environ)  # el de la corrida que la arrancó (`Reserva.dejar_lista`)
    encargo = json.load(sys.stdin)
    carpeta = Path(encargo["carpeta"])
    huella = canal.huella(entorno)
    signal.signal(signal.SIGTERM, _terminar_con_sigterm)
    juego = None
    arrancando = threading.Event()
    escuchas: dict[str, canal.Escucha] = {}
    try:
        escuchas.update(_escuchas(encargo))
        if not escuchas:
            return  # ya hay una reserva de este informe
        arrancando.set()
        if "corrida" in escuchas:  # mientras arranca, una orden no espera: corre donde la pidió
            threading.Thread(target=_rechazar_mientras, args=(escuchas["corrida"], arrancando),
                             daemon=True).start()
        juego = _Juego(encargo)
        arrancando.clear()
        if canal.huella(entorno) != huella:
            return  # el código o el entorno cambió mientras arrancaban
        reclamo = _esperar_reclamo(escuchas, juego, carpeta, huella, float(encargo["espera"]))
        if reclamo is None:
            return
        _cerrar(escuchas)  # los nombres quedan libres para la reserva que dejará la corrida
        conexion, pedido = reclamo
        with conexion:
            _atender(conexion, pedido, juego, huella)
    finally:
        arrancando.clear()
        _cerrar(escuchas)
        if juego is not None:
            juego.cerrar()


def _cerrar(escuchas: dict[str, canal.Escucha]) -> None:
    """Deja de escuchar y borra los archivos de los enchufes (si todavía son los suyos)."""
    for escucha in escuchas.values():
        escucha.close()
    escuchas.clear()


if __name__ == "__main__":
    main()
