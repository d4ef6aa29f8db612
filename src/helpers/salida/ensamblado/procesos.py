"""Los procesos aparte del ensamblado, con más de un núcleo.

``arrancar_procesos()`` crea (con un solo núcleo, no crea nada) el proceso que escribe la
página de auditoría (``versiones_html.escribir_auditoria``, cediendo su núcleo) y el que
compone la mitad de las pruebas del PDF (``composicion.componer_textos``, que al arrancar
corre ``preparar_compositor``). Sale un ``Procesos`` que ``ensamblar`` usa y cierra; quien
los crea antes de ensamblar (el ejecutor, mientras se ejecutan las secciones) esconde su
arranque.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.aparte import Aparte
from helpers.comun.memoria import espaciar_recolecciones
from helpers.comun.nucleos import nucleos
from helpers.salida.ensamblado.composicion import componer_textos
from helpers.salida.ensamblado.versiones_html import escribir_auditoria
from helpers.salida.pdf import cargar_weasyprint


@dataclass
class Procesos:
    """Los procesos aparte del ensamblado, con más de un núcleo: el que escribe la página de
    auditoría (``escribir_auditoria``, cediendo su núcleo) y el que compone la mitad de las
    pruebas del PDF (``componer_textos``, con WeasyPrint ya importado y la basura recogida
    como en el ejecutor: ``espaciar_recolecciones``). ``arrancar_procesos()`` los crea;
    quien los crea antes de ensamblar (el ejecutor, mientras se ejecutan las secciones)
    esconde su arranque, y ``ensamblar(..., procesos=...)`` los usa y los cierra."""

    auditoria: Aparte
    compositor: Aparte

    def __enter__(self) -> Procesos:
        return self

    def __exit__(self, error, *_) -> None:
        self.cerrar(por_error=error is not None)

    def cerrar(self, por_error: bool = False) -> None:
        try:
            self.auditoria.cerrar(por_error=por_error)
        finally:
            self.compositor.cerrar(por_error=por_error)


def preparar_compositor() -> None:
    """Lo que hace el proceso que compone a la par al arrancar: recoger la basura como el
    ejecutor (``espaciar_recolecciones``) y cargar WeasyPrint antes de la primera parte."""
    espaciar_recolecciones()
    cargar_weasyprint()


def arrancar_procesos(crear=Aparte) -> Procesos | None:
    """Los procesos aparte del ensamblado; con un solo núcleo, ninguno (todo se hace en este).
    `crear`: quien da cada `Aparte` (``Aparte`` mismo, o la reserva de procesos del ejecutor,
    que puede tenerlo ya arrancado)."""
    if nucleos() < 2:
        return None
    auditoria = crear(escribir_auditoria, cediendo=True)
    try:
        return Procesos(auditoria, crear(componer_textos, al_arrancar=preparar_compositor))
    except BaseException:
        auditoria.cerrar(por_error=True)
        raise
