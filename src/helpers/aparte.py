"""Trabajo en otro proceso, mientras este sigue: con dos núcleos, el ensamblado escribe la
página de auditoría y reparte las composiciones de prueba del PDF (`helpers.salida.ensamblado`),
y el ejecutor escribe las tablas CSV y el anexo Excel mientras se ensambla el informe
(`helpers.informe`).

El otro proceso es este mismo módulo, corrido como ``python -m helpers.aparte`` con la función
que atiende (``modulo:nombre``) y el número del proceso que lo creó (``main``): el código que
corre allí es código del paquete, visible para quien lo lea, lo revise o lo mida."""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import os
import pickle
import signal
import subprocess
import sys
import tempfile

__all__ = ["Aparte", "firma", "senal_al_morir_el_padre"]

PRIORIDAD_CEDIENDO = 10  # nice de un `Aparte` que cede su núcleo (0 normal, 19 la más baja)
ESPERA_AL_CERRAR = 5  # s que se espera a que un `Aparte` sin encargos termine solo


def _modulo_de(funcion) -> str:
    """El módulo que el otro proceso importa para tener ``funcion``. Una función del módulo
    que se corrió con ``python -m paquete.modulo`` dice ser de ``__main__``: se la busca por
    el nombre con que se lo corrió."""
    modulo = funcion.__module__
    if modulo == "__main__":
        especificacion = getattr(sys.modules["__main__"], "__spec__", None)
        if especificacion is None:
            raise ValueError(f"{funcion.__name__}: una función de un script no corre aparte; "
                             "tiene que estar en un módulo que se pueda importar")
        modulo = especificacion.name
    return modulo


def _ruta_de(funcion) -> str:
    """``modulo:nombre``, con que el otro proceso encuentra ``funcion``."""
    return f"{_modulo_de(funcion)}:{funcion.__name__}"


def _importar(ruta: str):
    """La función de ``modulo:nombre`` (ver ``_ruta_de``)."""
    modulo, nombre = ruta.split(":")
    return getattr(importlib.import_module(modulo), nombre)


def firma(funcion, *, cediendo: bool = False, importar: tuple[str, ...] = (),
          al_arrancar=None) -> dict:
    """Lo que define un `Aparte`, con nombres y no con objetos: su función, lo que importa y
    corre al arrancar, y si cede su núcleo. Dos con la misma firma son intercambiables (la
    reserva de procesos da uno ya arrancado a quien pide esa firma)."""
    return {"funcion": _ruta_de(funcion), "importar": list(importar),
            "al_arrancar": None if al_arrancar is None else _ruta_de(al_arrancar),
            "cediendo": bool(cediendo)}


class Aparte:
    """``funcion`` (una función de nivel de módulo) corrida en otro intérprete de Python, a la
    vez que este sigue trabajando. Un subproceso y no ``multiprocessing``: no hereda hilos ni
    el estado de WeasyPrint, y no vuelve a importar el programa que llamó (un script sin
    ``if __name__ == "__main__"`` también puede usarlo).

    El proceso arranca e importa el módulo de ``funcion`` en cuanto se crea; cada
    ``enviar(*argumentos, **nombrados)`` le pasa un encargo y ``resultado()`` espera lo que
    devuelve (de a uno: un encargo, su resultado, y así). Crearlo antes de tener los
    argumentos esconde su arranque detrás de lo que este hace mientras tanto. Argumentos y
    resultados viajan con pickle por su entrada y su salida estándar; lo que escriba en stderr
    va a un archivo (una tubería llena lo detendría). ``cediendo``: corre con prioridad baja
    (nice), así usa el núcleo que quede libre y cede ante los pasos que alguien espera. Al
    salir del ``with`` (también por un error) el proceso ya terminó: si sigue vivo, se lo
    detiene."""

    def __init__(self, funcion, *argumentos, cediendo: bool = False,
                 importar: tuple[str, ...] = (), al_arrancar=None) -> None:
        """Con ``argumentos``, el primer encargo sale ya (``enviar``). ``importar``: módulos que
        el proceso importa al arrancar, además del de ``funcion`` (los que ella importa recién
        al correr, y que así no demoran el primer encargo). ``al_arrancar``: una función (de
        nivel de módulo, sin argumentos) que el proceso llama después, antes del primer
        encargo (el compositor del PDF: ``ensamblado.procesos.preparar_compositor``)."""
        self._arrancar(firma(funcion, cediendo=cediendo, importar=importar,
                             al_arrancar=al_arrancar))
        if argumentos:
            self.enviar(*argumentos)

    @classmethod
    def por_firma(cls, firma_: dict) -> Aparte:
        """Un `Aparte` de lo que dice `firma_` (``firma``): lo arranca quien no tiene la
        función a mano (la reserva de procesos, `helpers.reserva`)."""
        aparte = cls.__new__(cls)
        aparte._arrancar(firma_)
        return aparte

    @classmethod
    def de_proceso(cls, nombre: str, proceso, errores) -> Aparte:
        """Un `Aparte` de un proceso que ya atiende encargos (lo arrancó la reserva de
        procesos, `helpers.reserva`): ``proceso`` ofrece lo que `subprocess.Popen`
        (``stdin``, ``stdout``, ``poll``, ``wait``, ``kill``) y ``errores`` es el archivo
        al que va su stderr."""
        aparte = cls.__new__(cls)
        aparte.nombre, aparte._proceso, aparte._errores = nombre, proceso, errores
        aparte._pendientes = 0
        return aparte

    def _arrancar(self, firma_: dict) -> None:
        self.nombre = firma_["funcion"].split(":")[1]
        orden = [sys.executable, "-m", __spec__.name, "--padre", str(os.getpid()),
                 "--funcion", firma_["funcion"]]
        for modulo in firma_["importar"]:
            orden += ["--importar", modulo]
        if firma_["al_arrancar"] is not None:
            orden += ["--al-arrancar", firma_["al_arrancar"]]
        self._errores = tempfile.TemporaryFile()
        self._proceso = subprocess.Popen(
            orden,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errores,
        )
        if firma_["cediendo"] and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):  # ya terminó, o el sistema no lo permite
                os.setpriority(os.PRIO_PROCESS, self._proceso.pid, PRIORIDAD_CEDIENDO)
        self._pendientes = 0

    @property
    def pid(self) -> int:
        return self._proceso.pid

    def sigue_vivo(self) -> bool:
        """Si el proceso no terminó (y, si terminó, lo recoge)."""
        return self._proceso.poll() is None

    def descriptores(self) -> list[int]:
        """Los de su entrada, su salida y el archivo de sus errores: con ellos lo atiende otro
        proceso (la reserva de procesos los pasa a la corrida que lo toma)."""
        return [self._proceso.stdin.fileno(), self._proceso.stdout.fileno(),
                self._errores.fileno()]

    def soltar(self) -> None:
        """Cierra aquí sus tuberías y su archivo de errores sin detenerlo, porque ahora lo
        atiende otro proceso (si no, no vería cerrarse su entrada cuando ese la cierre)."""
        for archivo in (self._proceso.stdin, self._proceso.stdout, self._errores):
            with contextlib.suppress(OSError):
                archivo.close()

    def __enter__(self) -> Aparte:
        return self

    def enviar(self, *argumentos, **nombrados) -> None:
        self._pendientes += 1
        try:
            pickle.dump((argumentos, nombrados), self._proceso.stdin)
            self._proceso.stdin.flush()
        except BrokenPipeError:  # ya terminó con un error: lo dice `resultado`
            pass

    def sin_mas_encargos(self) -> None:
        """No habrá otro encargo: el proceso termina, y devuelve su memoria, en cuanto deja el
        resultado del último, aunque nadie lo haya leído todavía (``resultado`` lo lee
        después)."""
        with contextlib.suppress(OSError):
            self._proceso.stdin.close()

    def resultado(self):
        try:
            resultado = pickle.load(self._proceso.stdout)
            self._pendientes -= 1
            return resultado
        except (EOFError, pickle.UnpicklingError):  # terminó sin dar el resultado
            with contextlib.suppress(OSError):
                self._proceso.stdin.close()
            self._proceso.wait()
            self._errores.seek(0)
            detalle = self._errores.read().decode("utf-8", "replace").strip()
            raise RuntimeError(
                f"Falló un paso del informe en otro proceso ({self.nombre}):\n{detalle}"
            ) from None

    def __exit__(self, error, *_) -> None:
        self.cerrar(por_error=error is not None)

    def cerrar(self, por_error: bool = False) -> None:
        """Sin más encargos, el proceso termina solo; si algo falló o queda un encargo que
        nadie va a esperar, se lo detiene. Se puede llamar más de una vez."""
        with contextlib.suppress(OSError):
            self._proceso.stdin.close()
        if not (por_error or self._pendientes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proceso.wait(timeout=ESPERA_AL_CERRAR)
        if self._proceso.poll() is None:
            self._proceso.kill()
            self._proceso.wait()
        self._proceso.stdout.close()
        self._errores.close()


# --- El otro proceso: `python -m helpers.aparte` -------------------------------------------


def morir_con(padre: int) -> None:
    """Lo primero que hace el otro proceso: morir si muere el que lo creó, aunque sea de golpe
    (SIGKILL, sin tiempo de cerrar nada), para no seguir escribiendo en una carpeta que la
    corrida siguiente borra como resto de una interrumpida. En Linux lo pide al sistema
    (prctl PR_SET_PDEATHSIG = 1); si el creador ya había muerto, termina ahí mismo."""
    senal_al_morir_el_padre(signal.SIGKILL)
    if os.getppid() != padre:
        os._exit(1)


def senal_al_morir_el_padre(senal: int) -> None:
    """La señal que recibe este proceso cuando muere el que lo creó (prctl
    PR_SET_PDEATHSIG, en Linux; en otro sistema, nada). 0: ninguna."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(1, senal)


def atender(funcion, entrada, salida) -> None:
    """Cada encargo que llega por ``entrada`` (argumentos con pickle), ``funcion`` lo hace y su
    resultado sale por ``salida``; termina cuando ``entrada`` se cierra."""
    while True:
        try:
            argumentos, nombrados = pickle.load(entrada)
        except EOFError:
            return
        pickle.dump(funcion(*argumentos, **nombrados), salida)
        salida.flush()


def main(argv: list[str] | None = None) -> None:
    """El proceso que crea un `Aparte`: importa su función y lo que se le pide, corre la de
    arranque y atiende los encargos. La salida estándar lleva sólo pickles: lo que imprima una
    biblioteca va a stderr."""
    lector = argparse.ArgumentParser(prog=f"python -m {__spec__.name}")
    lector.add_argument("--padre", type=int, required=True)
    lector.add_argument("--funcion", required=True, help="modulo:nombre")
    lector.add_argument("--importar", action="append", default=[])
    lector.add_argument("--al-arrancar", help="modulo:nombre, sin argumentos")
    argumentos = lector.parse_args(argv)
    morir_con(argumentos.padre)
    entrada, salida, sys.stdout = sys.stdin.buffer, sys.stdout.buffer, sys.stderr
    funcion = _importar(argumentos.funcion)
    for modulo in argumentos.importar:
        importlib.import_module(modulo)
    if argumentos.al_arrancar:
        _importar(argumentos.al_arrancar)()
    atender(funcion, entrada, salida)
    # Sin más encargos, termina ya: desarmar objeto por objeto lo que cargaron pandas o
    # WeasyPrint tarda décimas que quien lo cierra esperaría (los resultados ya salieron).
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
