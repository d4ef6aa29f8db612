"""El servidor residente de un usuario: `informe-poa servidor-residente` (una orden oculta).

Lo arranca una orden de informe que corrió sola (`cliente.arrancar_servidor`), con el entorno
con que ella arrancó; la orden de arranque le da la función que corre una orden ya leída
(`cli.en_el_servidor`), así que este módulo no importa la línea de órdenes. Con lo que usa un
informe importado y arrancado (`procesos.Residentes`), corre él mismo una orden de informe de
su usuario, con su misma huella, de cualquier carpeta: lo que escribiría la orden va a ella
por el enchufe. Después renace (exec); una orden que llega mientras corre otra, o con otra
huella, corre sola. Se cierra a los `ESPERA` segundos sin órdenes, con SIGTERM (interrumpe
la corrida, que borra lo que armaba) o si cambia la huella, y al cerrarse detiene lo que
arrancó y borra su enchufe. Por qué corre una orden como la correría ella:
docs/cache-diseno.md, «El servidor residente».
"""
from __future__ import annotations

import contextlib
import io
import multiprocessing.util
import os
import queue
import shutil
import signal
import sys
import threading
import traceback

from helpers.residente import canal

__all__ = ["ESPERA", "main"]

ESPERA = 600  # s sin órdenes tras los que el servidor se cierra


class _HaciaLaOrden(io.TextIOBase):
    """Una salida de la orden (`clave`: «salida» o «errores») que escribe el servidor: cada
    escritura es un mensaje. `terminal`: si la salida de la orden es una terminal."""

    def __init__(self, conexion, clave: str, terminal: bool) -> None:
        self.conexion, self.clave, self.terminal = conexion, clave, terminal
        self._cerrojo = threading.Lock()

    def write(self, texto: str) -> int:
        with self._cerrojo, contextlib.suppress(OSError):
            canal.enviar(self.conexion, {self.clave: texto})
        return len(texto)

    encoding = "utf-8"

    def isatty(self) -> bool:
        return self.terminal


@contextlib.contextmanager
def _salidas_hacia(conexion, terminal: dict):
    """Mientras dura, la salida estándar y la de errores van a la orden, con la clase y el
    tamaño de su terminal."""
    anteriores = sys.stdout, sys.stderr, dict(os.environ)
    sys.stdout = _HaciaLaOrden(conexion, "salida", bool(terminal.get("salida")))
    sys.stderr = _HaciaLaOrden(conexion, "errores", bool(terminal.get("errores")))
    for clave in canal.TERMINAL:
        os.environ.pop(clave, None)
    os.environ.update({k: str(v) for k, v in terminal.get("variables", {}).items()
                       if k in canal.TERMINAL})
    try:
        yield
    finally:
        sys.stdout, sys.stderr = anteriores[:2]
        os.environ.clear()
        os.environ.update(anteriores[2])


class _Vigia:
    """Mientras corre la orden: si pide interrumpir (Ctrl+C, kill) o si muere (se cierra la
    conexión), la corrida se interrumpe como con Ctrl+C: borra lo que armaba."""

    def __init__(self, conexion) -> None:
        self.conexion = conexion
        self.corriendo = True
        self._cerrojo = threading.Lock()
        threading.Thread(target=self._vigilar, daemon=True).start()

    def _vigilar(self) -> None:
        with contextlib.suppress(canal.ErrorDeCanal, OSError):
            while not canal.recibir(self.conexion).get("interrumpir"):
                pass
        with self._cerrojo:
            if self.corriendo:
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    def terminar(self) -> None:
        with self._cerrojo:
            self.corriendo = False


def _atender(conexion, pedido: dict, procesos, correr) -> None:
    """Corre la orden de `pedido` con `correr`; a quien la pidió, su salida y su código."""
    codigo = 1
    vigia = _Vigia(conexion)
    try:
        os.chdir(pedido["cwd"])
        with _salidas_hacia(conexion, pedido.get("terminal", {})):
            try:
                codigo = correr(pedido["orden"], pedido["parametros"], procesos)
            except Exception:  # noqa: BLE001 - una falla del programa, como la vería la orden
                traceback.print_exc()
            finally:
                vigia.terminar()
    except KeyboardInterrupt:  # la interrupción llegó cuando la corrida ya terminaba
        codigo = 130
    with contextlib.suppress(OSError):
        canal.enviar(conexion, {"codigo": codigo})


def _recibir(escucha, huella: str, pedidos: queue.Queue, ocupado: threading.Event) -> None:
    """Acepta las conexiones: a la orden que llega con otra huella o mientras corre otra, le
    dice que corra sola; las demás, las pasa al hilo principal de a una."""
    while True:
        try:
            conexion, _ = escucha.accept()
        except OSError:
            return
        try:
            if not canal.del_mismo_usuario(conexion):
                raise canal.ErrorDeCanal("otro usuario")
            conexion.settimeout(10)
            pedido = canal.recibir(conexion)
            if pedido.get("pregunta") == "listo":
                canal.enviar(conexion, {"listo": not ocupado.is_set()})
            elif pedido.get("huella") != huella:
                canal.enviar(conexion, {"distinta": True})
                pedidos.put((None, None))  # el servidor se cierra: otro código, otro entorno
            elif ocupado.is_set():
                canal.enviar(conexion, {"ocupado": True})
            else:
                ocupado.set()
                canal.enviar(conexion, {"acepta": True})
                conexion.settimeout(None)
                pedidos.put((conexion, pedido))
                continue
        except (canal.ErrorDeCanal, OSError, ValueError):
            pass
        conexion.close()


def _precargar() -> None:
    """Lo que usa una corrida en este proceso, importado una vez: el ejecutor, papermill (que
    se importaba al ejecutar el primer cuaderno) y el ensamblado con WeasyPrint; el anexo y
    las tablas los escriben los procesos de ayuda. Lo importado vive hasta el final: que las
    recolecciones de basura de cada corrida no lo recorran (`gc.freeze`)."""
    import gc
    import importlib

    from helpers.salida.pdf import cargar_weasyprint

    for modulo in ("helpers.informe", "helpers.salida.ensamblado", "papermill"):
        importlib.import_module(modulo)
    cargar_weasyprint()
    gc.collect()
    gc.freeze()


def _terminar_con_sigterm(_numero, _marco) -> None:
    raise SystemExit(0)  # que corra el `finally` de `main`: cierra lo arrancado y el enchufe


def main(correr) -> None:
    """Sirve órdenes hasta cerrarse. `correr(nombre, valores, procesos)`: el código de salida
    de la orden `nombre` ya leída, corrida en este proceso con `procesos`. Corre una sola: al
    terminarla, el servidor renace en un proceso nuevo (`_renacer`)."""
    entorno = dict(os.environ)
    escucha = canal.escuchar(canal.ruta())
    if escucha is None:
        return  # ya hay un servidor de este usuario
    signal.signal(signal.SIGTERM, _terminar_con_sigterm)
    # `_Vigia` interrumpe con SIGINT, ignorada si la orden que lo arrancó corría con `&`.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    procesos, renacer = None, False
    try:
        huella = canal.huella(entorno)
        pedidos: queue.Queue = queue.Queue()
        ocupado = threading.Event()
        ocupado.set()  # hasta que termine de arrancar, una orden corre sola
        threading.Thread(target=_recibir, args=(escucha, huella, pedidos, ocupado),
                         daemon=True).start()
        from helpers.residente.procesos import Residentes

        procesos = Residentes()
        _precargar()
        ocupado.clear()
        try:
            conexion, pedido = pedidos.get(timeout=ESPERA)
        except queue.Empty:
            return
        if conexion is None:
            return
        with conexion:
            _atender(conexion, pedido, procesos, correr)
        renacer = canal.huella(entorno) == huella  # con otro código, se cierra
    finally:
        escucha.close()
        if procesos is not None:
            procesos.cerrar()
    if renacer:
        _renacer(entorno)


def _renacer(entorno: dict[str, str]) -> None:
    """El servidor para la orden siguiente, en este mismo proceso (exec) y con el entorno con
    que arrancó: lo que ocupó la corrida (los datos, las cachés de las bibliotecas) vuelve
    entero al sistema, sea cual sea el tamaño del libro o el número de carpetas servidas, y
    la corrida siguiente empieza en un intérprete que no corrió nada. Antes terminan sus
    procesos sin trabajo (el servidor de bifurcación y el vigía de sus recursos, que no
    atiende SIGTERM) y se borra la carpeta temporal de multiprocessing: exec no la borra."""
    import psutil

    hijos = psutil.Process().children()
    for hijo in hijos:
        with contextlib.suppress(psutil.Error):
            hijo.kill()
    psutil.wait_procs(hijos, timeout=10)
    shutil.rmtree(multiprocessing.util.get_temp_dir(), ignore_errors=True)
    orden = [sys.executable, "-m", "helpers", "servidor-residente"]
    os.execve(sys.executable, orden, entorno)
