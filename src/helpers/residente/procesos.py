"""Los procesos de ayuda de una corrida, con grupos estándar (`concurrent.futures`): uno de
prioridad baja que escribe las tablas, el anexo, la página de auditoría y el DOCX mientras se
ensambla (`cediendo`), y uno de un proceso que compone el PDF a la par (`compositor`). Sus procesos
salen de un servidor de bifurcación (forkserver) que ya importó lo que usan, y mueren si muere
quien los creó.

En el servidor residente (`Residentes`) los grupos y el kernel de la memoria de cálculo ya
están arrancados cuando llega la orden: nuevos, nunca usados, con lo que importan ya
importado.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from helpers import ejecucion
from helpers.comun.nucleos import nucleos
from helpers.ejecucion import abrir_kernel, importados, precargar, trabajos_por_omision
from helpers.rutas import CUADERNOS

__all__ = ["Procesos", "Residentes"]

PRIORIDAD_CEDIENDO = 10  # nice del grupo que cede su núcleo (0 normal, 19 la más baja)
# Lo que importa el servidor de bifurcación: cada proceso de ayuda nace con ello cargado.
PRECARGA = ["helpers.preparacion", "helpers.salida.anexo", "helpers.salida.tablas_csv",
            "helpers.salida.ensamblado.con_weasyprint", "helpers.salida.word.documento", "docx"]


def _al_arrancar(ceder: bool, dueno: int) -> None:
    """Lo primero que hace un proceso de ayuda: morir si muere el proceso que creó el grupo
    (`dueno`), y ceder su núcleo o preparar el compositor."""
    _seguir_al_dueno(dueno)
    if ceder and hasattr(os, "nice"):
        os.nice(PRIORIDAD_CEDIENDO)
    else:
        from helpers.salida.ensamblado.composicion import preparar_compositor

        preparar_compositor()


def _seguir_al_dueno(dueno: int) -> None:
    """Un hilo que termina este proceso cuando termina `dueno`. Su padre, el servidor de
    bifurcación, no basta: cada hijo suyo guarda el extremo de la tubería con que
    multiprocessing le dice que su cliente vive, así que si el dueño muere con SIGKILL el
    servidor espera a sus hijos y ellos a él, para siempre."""
    try:
        vigilado = os.pidfd_open(dueno)
    except ProcessLookupError:  # ya murió
        os._exit(1)
    except (AttributeError, OSError):  # sin pidfd (Linux < 5.3, otros sistemas)
        return

    def vigilar() -> None:
        select.select([vigilado], [], [])
        os._exit(1)

    threading.Thread(target=vigilar, daemon=True, name="dueno").start()


class Procesos(ejecucion.Procesos, contextlib.AbstractContextManager):
    """Los kernels de una corrida (`helpers.ejecucion.Procesos`) y, con más de un núcleo, sus
    dos grupos de procesos de ayuda. `cerrar` los detiene."""

    def __init__(self) -> None:
        super().__init__()
        self.cediendo = self.compositor = None
        self._grupos()

    def _grupos(self) -> None:
        if nucleos() < 2:
            return
        if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows
            contexto = multiprocessing.get_context("spawn")
        else:
            contexto = multiprocessing.get_context("forkserver")
            contexto.set_forkserver_preload(PRECARGA)
        self.cediendo = ProcessPoolExecutor(2, mp_context=contexto,
                                            initializer=_al_arrancar,
                                            initargs=(True, os.getpid()))
        self.compositor = ProcessPoolExecutor(1, mp_context=contexto,
                                              initializer=_al_arrancar,
                                              initargs=(False, os.getpid()))

    def arrancar_ayudantes(self) -> None:
        # Un encargo vacío a cada uno: sus procesos arrancan e importan ya, no al recibir el
        # primero de verdad.
        for grupo in (self.cediendo, self.cediendo, self.compositor):
            if grupo is not None:
                grupo.submit(int)

    def cerrar(self) -> None:
        self.terminar_corrida()
        for grupo in (self.cediendo, self.compositor):
            if grupo is not None:
                grupo.shutdown(wait=True, cancel_futures=True)

    def __exit__(self, *_error) -> None:
        self.cerrar()


class Residentes(Procesos):
    """Los del servidor residente, arrancados antes de que llegue la orden: el compositor, el
    kernel de la memoria de cálculo, que ya importó los módulos de todos los cuadernos, y los
    de las secciones, que los importan al llegar la orden (mientras se valida el libro; así
    esperan con poca memoria). Los procesos de ayuda de prioridad baja arrancan con la
    corrida. El servidor corre una sola corrida con ellos y renace."""

    def __init__(self) -> None:
        super().__init__()
        self._usados: list = []
        if self.compositor is not None:
            self.compositor.submit(int)  # el que compone a la par: su WeasyPrint, compartido
        self._modulos = importados(sorted(CUADERNOS.rglob("*.ipynb")))
        super().anticipar(self._modulos, {})
        while len(self._anticipados) < trabajos_por_omision():
            self._anticipados.append(abrir_kernel(None, {}))  # sólo arrancados: poca memoria
        for km in self._anticipados:  # la orden no espera a que sus canales callen (0,2 s)
            ejecucion.cliente_listo(km)

    def anticipar(self, modulos: list[str], entorno: dict[str, str]) -> None:
        # Los de las secciones importan lo suyo ya, mientras este proceso valida el libro.
        for km in self._anticipados[1:]:
            precargar(km, self._modulos, esperar=False)

    def kernel(self, carpeta: Path, entorno: dict[str, str]):
        self.tomados += bool(self._anticipados)
        return super().kernel(carpeta, entorno)

    def cerrar_kernel(self, km) -> None:
        self._usados.append(km)

    def terminar_corrida(self) -> None:
        """Los kernels se cierran con el servidor (`cerrar`), después de que la orden recibió
        su código: no la demoran."""

    def cerrar(self) -> None:
        self._anticipados += self._usados
        super().terminar_corrida()
        super().cerrar()
