"""La reserva de procesos de un informe: lo que la corrida siguiente encuentra ya arrancado.

Una corrida con la caché paga, antes de ejecutar nada, el arranque de dos kernels (Python,
pandas, matplotlib, el programa) y de tres procesos aparte (el que compone con WeasyPrint,
el de la página de auditoría, el de las tablas y el anexo): unos 5 s de procesador, lo mismo
si la corrección tocó una celda que si tocó todo. Al terminar, la corrida deja arrancados
los mismos procesos para la siguiente, en un proceso aparte (`helpers.reserva.servidor`),
y la siguiente los reclama en vez de arrancarlos.

Lo que asegura que un proceso de la reserva sea igual a uno recién arrancado:
- nunca se usó: sólo arrancó e importó módulos; cada corrida recibe procesos nuevos, y la
  reserva siguiente arranca otros;
- la huella (`canal.huella`: el código del programa, las versiones, el entorno, la carpeta
  de trabajo) es la misma al arrancarlos, al terminar de importar y al reclamarlos; si no,
  no se usan;
- un kernel se pide por su entorno y un proceso aparte por su firma (`aparte.firma`): lo que
  no está en la reserva se arranca como siempre.

Se usa con la caché (`informe-poa trimestral|anual|formulacion`, la página); no con
`--sin-cache`, ni con ``INFORME_POA_RESERVA=0``. La reserva de un informe se cierra sola a
los `ESPERA` segundos sin que la reclamen, o si desaparece la carpeta de la caché.
"""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers.reserva import canal

__all__ = ["ESPERA", "VARIABLE", "Reserva", "activa", "entorno_inicial", "esperar_lista",
           "fijar_entorno_inicial"]

VARIABLE = "INFORME_POA_RESERVA"  # "0": sin reserva
ESPERA = 600  # s que una reserva espera a que la reclamen
ESPERA_RECLAMO = 15  # s que una corrida espera a una reserva que todavía está arrancando


_entorno_inicial: dict[str, str] | None = None


def fijar_entorno_inicial(entorno: dict[str, str]) -> None:
    """Las variables con que arrancó la orden (`helpers.arranque` las toma antes de importar
    nada; el proceso de corrida de la reserva, las de quien le delegó la orden): con ellas
    arranca la reserva siguiente y se comparan las huellas. Las bibliotecas agregan otras al
    importarse, y en momentos distintos según por dónde llegó la orden."""
    global _entorno_inicial
    _entorno_inicial = dict(entorno)


def entorno_inicial() -> dict[str, str]:
    """Las de `fijar_entorno_inicial`; si nadie las fijó, las de ahora."""
    return dict(_entorno_inicial if _entorno_inicial is not None else os.environ)


def activa() -> bool:
    """Si las corridas con caché usan y dejan reserva: en Linux (enchufes de Unix con las
    credenciales de la otra punta, /proc), salvo que ``INFORME_POA_RESERVA=0``."""
    return sys.platform.startswith("linux") and os.environ.get(VARIABLE, "1").strip() != "0"


def esperar_lista(carpeta_cache: Path, limite: float = ESPERA_RECLAMO) -> bool:
    """Espera hasta `limite` segundos a que la reserva del informe cuya caché es
    `carpeta_cache` esté lista, sin reclamarla; False si no la hubo, o no estuvo a tiempo.
    (Una corrida no la necesita: la espera al reclamarla. La usan quien mide, para medir la
    corrida que llega cuando la reserva ya está lista, y las pruebas.)"""
    hasta = time.monotonic() + limite
    while time.monotonic() < hasta:
        respuesta = {}
        conexion = canal.conectar(canal.nombre(carpeta_cache))
        if conexion is not None:  # si no, todavía no escucha (recién arranca), o ya no está
            try:
                conexion.settimeout(max(0.1, hasta - time.monotonic()))
                canal.enviar(conexion, {"tipo": "lista"})
                respuesta, _ = canal.recibir(conexion)
            except (canal.ErrorDeCanal, OSError):
                pass
            finally:
                conexion.close()
        if respuesta.get("lista"):
            return True
        time.sleep(0.1)
    return False


class Reserva:
    """Los kernels y procesos aparte de una corrida: tomados de la reserva del informe cuya
    caché es `carpeta_cache` si los tiene (la reclama al crearse, a la par), arrancados si
    no. Anota lo que se pidió: `dejar_lista` arranca lo mismo para la corrida siguiente.
    `usar=False`: no reclama ni deja nada (arranca todo, como sin reserva)."""

    def __init__(self, carpeta_cache: Path | None, *, usar: bool = True) -> None:
        self.carpeta = carpeta_cache
        self.usar = usar and carpeta_cache is not None
        self.tomados = 0  # cuántos procesos salieron de la reserva
        # Las variables con que empezó la corrida: con ellas arranca la reserva siguiente, y
        # en ellas se comparan las dos (`canal.huella`).
        self._entorno = entorno_inicial()
        self.params: Path | None = None  # los de la corrida: la reserva siguiente los atiende
        self._kernels: list[tuple[dict, object]] = []
        self._apartes: list[tuple[dict, object]] = []
        self._pedidos_kernels: list[dict] = []
        self._pedidos_apartes: list[dict] = []
        self._precargar: dict[str, None] = {}
        self._conexion = None
        self._cerrojo = threading.Lock()
        self._conectada = threading.Event()  # se sabe si hay reserva (esté lista o no)
        self._hay = False
        self._reclamo = None
        if self.usar:
            self._reclamo = threading.Thread(target=self._reclamar, daemon=True)
            self._reclamo.start()

    # --- Reclamar -----------------------------------------------------------------------

    def _reclamar(self) -> None:
        conexion = canal.conectar(canal.nombre(self.carpeta))
        self._hay = conexion is not None  # si no, no hay reserva (o no es de este usuario)
        self._conectada.set()
        if conexion is None:
            return
        try:
            conexion.settimeout(ESPERA_RECLAMO)
            canal.enviar(conexion, {"huella": canal.huella(self._entorno), "pid": os.getpid()})
            mensaje, descriptores = canal.recibir(conexion)
            if "kernels" not in mensaje:
                for descriptor in descriptores:
                    os.close(descriptor)
                conexion.close()
                return
            conexion.settimeout(None)
            self._conexion = conexion
            self._adoptar(mensaje, descriptores)
        except (canal.ErrorDeCanal, OSError, KeyError, ValueError, RuntimeError):
            conexion.close()

    def _adoptar(self, mensaje: dict, descriptores: list[int]) -> None:
        from helpers.reserva.adopcion import aparte_adoptado, kernel_adoptado

        for i, aparte in enumerate(mensaje["apartes"]):
            entrada, salida, errores = descriptores[3 * i:3 * i + 3]
            self._apartes.append((aparte["firma"], aparte_adoptado(
                aparte["nombre"], aparte["pid"], entrada, salida, errores)))
        for kernel in mensaje["kernels"]:
            km = kernel_adoptado(kernel["pid"], kernel["conexion"])
            self._kernels.append((kernel["entorno"], km))
            # Su cliente queda listo a la par (unas décimas de espera), no al usarlo.
            threading.Thread(target=_preparar, args=(km,), daemon=True).start()

    def hay_reserva(self) -> bool:
        """Si hay una reserva de este informe, lista o arrancando (no espera a que lo esté)."""
        if self.usar:
            self._conectada.wait()
        return self._hay

    def _esperar_reclamo(self) -> None:
        if self._reclamo is not None:
            self._reclamo.join()
            self._reclamo = None

    # --- Pedir --------------------------------------------------------------------------

    def kernel(self, carpeta: Path | None = None, entorno: dict[str, str] | None = None):
        """Un kernel con ``entorno`` agregado al de este proceso y `carpeta` como carpeta de
        trabajo: el de la reserva si tiene uno con ese entorno, o uno nuevo
        (`ejecucion.abrir_kernel`)."""
        from helpers.ejecucion import abrir_kernel, mudar

        entorno = dict(entorno or {})
        self._esperar_reclamo()
        with self._cerrojo:
            self._pedidos_kernels.append({"entorno": entorno})
            km = _tomar(self._kernels, entorno)
        if km is None:
            return abrir_kernel(carpeta, entorno)
        self.tomados += 1
        if carpeta is not None:
            mudar(km, carpeta)
        return km

    @contextlib.contextmanager
    def kernel_abierto(self, entorno: dict[str, str] | None = None):
        """`kernel`, y al salir (también por un error) se cierra si sigue vivo."""
        km = self.kernel(None, entorno)
        try:
            yield km
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)

    def aparte(self, funcion, *, cediendo: bool = False, importar: tuple[str, ...] = (),
               al_arrancar=None):
        """Un `Aparte` de `funcion`: el de la reserva si tiene uno con esa firma, o uno nuevo."""
        from helpers.aparte import Aparte, firma

        pedida = firma(funcion, cediendo=cediendo, importar=importar, al_arrancar=al_arrancar)
        self._esperar_reclamo()
        with self._cerrojo:
            self._pedidos_apartes.append(pedida)
            aparte = _tomar(self._apartes, pedida)
        if aparte is None:
            return Aparte(funcion, cediendo=cediendo, importar=importar,
                          al_arrancar=al_arrancar)
        self.tomados += 1
        return aparte

    def anotar_precarga(self, modulos: list[str]) -> None:
        """Módulos que importan los cuadernos de esta corrida: los kernels de la reserva
        siguiente los importan antes de que los reclamen."""
        self._precargar.update(dict.fromkeys(modulos))

    # --- Terminar -----------------------------------------------------------------------

    def cerrar(self) -> None:
        """Detiene lo que se tomó de la reserva y no se pidió, y suelta la reserva (que
        detiene lo que quede vivo de lo que dio)."""
        self._esperar_reclamo()
        for _entorno, km in self._kernels:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
        for _firma, aparte in self._apartes:
            with contextlib.suppress(Exception):
                aparte.cerrar(por_error=True)
        self._kernels, self._apartes = [], []
        if self._conexion is not None:
            self._conexion.close()
            self._conexion = None

    def dejar_lista(self) -> None:
        """Arranca la reserva de la corrida siguiente, con lo que pidió esta (en una sesión
        propia: sigue cuando esta termina). No espera nada: arrancar es cosa de ella."""
        if not self.usar or not self.carpeta.is_dir():
            return
        encargo = {"carpeta": str(self.carpeta), "espera": ESPERA,
                   "params": None if self.params is None else str(self.params),
                   "kernels": self._pedidos_kernels, "apartes": self._pedidos_apartes,
                   "precargar": list(self._precargar)}
        with contextlib.suppress(OSError):
            proceso = subprocess.Popen(
                [sys.executable, "-m", "helpers.reserva.servidor"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True, env=self._entorno,
            )
            with contextlib.suppress(OSError):
                proceso.stdin.write(json.dumps(encargo).encode())
            proceso.stdin.close()
            proceso.returncode = 0  # no se espera: que Popen no avise que sigue vivo


def _preparar(km) -> None:
    from helpers.ejecucion import cliente_listo

    with contextlib.suppress(Exception):  # si falla, lo dirá quien lo use
        cliente_listo(km)


def _tomar(disponibles: list[tuple[dict, object]], pedido: dict):
    """Saca de `disponibles` el primero cuya descripción es `pedido`; None si no hay."""
    for i, (descripcion, objeto) in enumerate(disponibles):
        if descripcion == pedido:
            del disponibles[i]
            return objeto
    return None
