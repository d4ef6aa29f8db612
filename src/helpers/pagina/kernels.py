"""Los kernels de la página tienen ciclo de vida: uno por pestaña abierta, que se apaga al
cerrarla y tras un rato sin uso, y nunca más de un máximo a la vez.

Cada pestaña que abre la página tiene su kernel (Voilà lo arranca al entregarla), de unos
190 MB. Se apaga:

- **Al cerrar la pestaña** (o al recargarla): la página de Voilà se lo pide al servidor al
  descargarse (`/voila/api/shutdown/<kernel>`), con la galleta `_xsrf` que jupyter_server
  exige en un POST. Voilà no la deja al entregar la página, y sin ella el pedido recibía un
  403 y el kernel quedaba vivo: la deja el manejador de la página (`con_ciclo_de_vida`).
- **Tras `inactividad` segundos sin uso**, con la pestaña abierta o no: el recolector de
  jupyter_server (`MappingKernelManager.cull_idle_timeout`, `cull_connected`). Uso es cada
  mensaje de los controles (un clic, un texto, el avance de un informe que se genera); un
  kernel ocupado no se apaga. Así tampoco queda vivo el de una pestaña que no avisó (el
  navegador se cerró de golpe, la página se pidió sin navegador). La pestaña cuyo kernel se
  apagó lo dice y pide volver a cargarla (la plantilla se lo pregunta al servidor).
- **Al cerrar la página** (Ctrl+C en la terminal): Voilà los apaga todos.

Y no se arranca uno más allá de `maximo` (`_gestor`): la pestaña nueva recibe, en vez de la
página, otra en castellano que dice qué pasó y qué hacer (`pagina_llena`). Antes espera un
momento a que se libere un lugar: al recargar una pestaña, su pedido puede llegar antes que
el aviso que apaga el kernel anterior.
"""
from __future__ import annotations

import asyncio
import html
import time
import uuid

__all__ = ["INACTIVIDAD", "KERNELS_MAX", "PestanasDeMas", "con_ciclo_de_vida", "configurar",
           "duracion", "pagina_llena"]

KERNELS_MAX = 4
INACTIVIDAD = 10 * 60  # segundos
# Lo que espera una pestaña nueva, con el máximo alcanzado, a que otro kernel se apague.
_ESPERA_LUGAR = 3.0


class PestanasDeMas(RuntimeError):
    """Ya hay `maximo` kernels vivos: no se arranca otro."""

    def __init__(self, maximo: int, inactividad: int):
        self.maximo = maximo
        self.inactividad = inactividad
        super().__init__(f"ya hay {maximo} pestañas de la página abiertas")


def duracion(segundos: int) -> str:
    """`segundos` dicho en minutos si son minutos justos («10 minutos»), si no en segundos."""
    minutos, resto = divmod(segundos, 60)
    if minutos and not resto:
        return "1 minuto" if minutos == 1 else f"{minutos} minutos"
    return "1 segundo" if segundos == 1 else f"{segundos} segundos"


def pagina_llena(maximo: int, inactividad: int) -> str:
    """La página que recibe una pestaña nueva cuando ya hay `maximo` abiertas."""
    pestanas = "una pestaña" if maximo == 1 else f"{maximo} pestañas"
    return f"""<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>Demasiadas pestañas abiertas</title></head><body style="font-family: sans-serif">
<h1>La página ya está abierta en {pestanas}</h1>
<p>Es el máximo de pestañas abiertas a la vez (cada una ocupa memoria de la máquina), así que
esta no se abrió.</p>
<p>Qué hacer: cierre una pestaña de la página que ya no use y vuelva a cargar esta (F5). O
espere: una pestaña sin uso se cierra sola a los {html.escape(duracion(inactividad))}.</p>
<p>El máximo se elige al arrancar la página: <code>informe-poa app --kernels-max N</code>.</p>
</body></html>"""


def configurar(c, maximo: int, inactividad: int) -> None:
    """Pone en la configuración `c` de Voilà el gestor de kernels con tope y el recolector
    de los inactivos."""
    c.VoilaConfiguration.multi_kernel_manager_class = _gestor(maximo)
    c.MappingKernelManager.cull_idle_timeout = inactividad
    c.MappingKernelManager.cull_interval = _cada_cuanto(inactividad)
    c.MappingKernelManager.cull_connected = True


def _cada_cuanto(inactividad: int) -> int:
    """Cada cuánto busca el recolector kernels sin uso: una décima del plazo, entre 1 s y un
    minuto (con el minuto por omisión de jupyter_server, un kernel viviría 15 de sus 10)."""
    return max(1, min(60, inactividad // 10))


def _gestor(maximo: int):
    """El gestor de kernels de jupyter_server que no arranca uno más allá de `maximo`. Se
    arma aquí para que importar este módulo (la orden `app`, para su ayuda) no cargue
    jupyter_server."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    class GestorDeKernels(AsyncMappingKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # Los que se están arrancando y todavía no están en la lista (por su id).
            self._arrancando: set[str] = set()

        def _ocupados(self) -> int:
            return len(set(self.list_kernel_ids()) | self._arrancando)

        async def _esperar_lugar(self) -> None:
            limite = time.monotonic() + _ESPERA_LUGAR
            while self._ocupados() >= maximo:
                if time.monotonic() > limite:
                    raise PestanasDeMas(maximo, self.cull_idle_timeout)
                await asyncio.sleep(0.1)

        async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
            if kernel_id is not None and kernel_id in self:
                return await super().start_kernel(kernel_id=kernel_id, **kwargs)
            await self._esperar_lugar()
            # El id se elige aquí para contarlo desde ya: dos pestañas que llegan juntas no
            # pasan las dos por el último lugar.
            kernel_id = kernel_id or str(uuid.uuid4())
            self._arrancando.add(kernel_id)
            try:
                return await super().start_kernel(kernel_id=kernel_id, **kwargs)
            finally:
                self._arrancando.discard(kernel_id)

    return GestorDeKernels


def con_ciclo_de_vida(manejador: tuple) -> tuple:
    """(patrón, clase, ...) con la clase, si es la de Voilà que entrega la página (y arranca
    su kernel), cambiada por una que deja la galleta `_xsrf` y responde `pagina_llena`
    cuando no hay lugar para otro kernel."""
    from voila.tornado.handler import TornadoVoilaHandler

    patron, clase, *resto = manejador
    if clase is not TornadoVoilaHandler:
        return manejador
    return (patron, _con_ciclo_de_vida(clase), *resto)


def _con_ciclo_de_vida(clase: type) -> type:
    class PaginaConCicloDeVida(clase):
        async def get(self, path=None):
            # Leer la ficha XSRF deja su galleta, que el aviso de cierre de la pestaña manda.
            self.xsrf_token  # noqa: B018
            try:
                await super().get(path)
            except PestanasDeMas as llena:
                # Nada se escribió todavía: el kernel se arranca antes de la primera parte.
                self.set_status(503)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(pagina_llena(llena.maximo, llena.inactividad))

    return PaginaConCicloDeVida
