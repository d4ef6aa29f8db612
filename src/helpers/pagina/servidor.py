"""El servidor de la página: Voilà sobre `pagina.ipynb`, sólo en 127.0.0.1 y con ficha.

- **Dirección**: escucha en 127.0.0.1 (nunca en otra interfaz) en el puerto pedido o, sin
  él, en uno libre; si el pedido está ocupado, `PuertoOcupado` (no prueba otros: la
  dirección que se anunció sería falsa).
- **Ficha**: una ficha nueva en cada arranque (`secrets`), la del proveedor de identidad de
  jupyter_server; la dirección que se muestra la lleva (`?token=`). Cada pedido sin ficha ni
  la galleta que deja la primera visita recibe un 403 (`_ConFicha`, también los archivos
  estáticos y el websocket del kernel).
- **Nombre**: cada pedido debe nombrar al servidor como 127.0.0.1 o localhost en su
  cabecera `Host` (si no, 403, en todas las rutas: la página, los estáticos, la API, el
  websocket y las descargas). Así una página de internet cuyo nombre apunta a 127.0.0.1
  (DNS rebinding) no llega a la página aunque el navegador le mande la galleta.
- **Sin internet**: la plantilla `lab` de Voilà pide Font Awesome a un CDN; la de
  `plantilla/` es la misma sin esos dos enlaces (Voilà ya trae esas fuentes en su JS). No se
  aceptan otras plantillas ni temas por la dirección.
- **Carpeta de trabajo**: el cuaderno la recibe en la variable de entorno `ESPACIO`; los
  archivos se bajan por `helpers.pagina.descargas`, que no sale de ella.
- **Kernels**: uno por pestaña, que se apaga al cerrarla y tras `inactividad` segundos sin
  uso, a lo sumo `kernels_max` a la vez; con el máximo, una pestaña nueva recibe una página
  que lo dice (`helpers.pagina.kernels`).
- **Navegador**: si se pide, se abre con un archivo temporal que redirige a la dirección con
  la ficha (la ficha no queda en la línea de órdenes del navegador, como hace Jupyter).
"""
from __future__ import annotations

import errno
import hmac
import html
import json
import os
import secrets
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from tornado.ioloop import IOLoop

from helpers.pagina import corrida, descargas, kernels, tablero
from helpers.pagina.espacio import Espacio

__all__ = ["CUADERNO", "ESPACIO", "NOMBRES_LOCALES", "PuertoOcupado", "direccion",
           "nombre_local", "puerto_libre", "servir"]

CUADERNO = Path(__file__).with_name("pagina.ipynb")
PLANTILLA = Path(__file__).with_name("plantilla")
ESPACIO = "INFORME_POA_ESPACIO"
ANFITRION = "127.0.0.1"
# Los nombres con que el navegador puede llamar al servidor (la cabecera Host).
NOMBRES_LOCALES = frozenset({ANFITRION, "localhost"})
# Un libro subido viaja por el websocket del kernel (ipywidgets.FileUpload): el límite de la
# subida (espacio.LIMITE_LIBRO), más lo que agrega la codificación del mensaje.
_MENSAJE_MAXIMO = 64 * 1024 * 1024
_ENTORNO_MAXIMO = 30_000  # caracteres de `corrida.ENTORNO_DE_LA_ORDEN`

_SIN_FICHA = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>Falta la ficha de acceso</title></head><body style="font-family: sans-serif">
<h1>Falta la ficha de acceso</h1>
<p>Esta página sólo se abre con la dirección completa que mostró <code>informe-poa app</code>
al arrancar (termina en <code>?token=</code> y una ficha). Cópiela de la ventana donde
arrancó y ábrala de nuevo.</p></body></html>"""


_OTRO_NOMBRE = """<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">
<title>Dirección no admitida</title></head><body style="font-family: sans-serif">
<h1>Dirección no admitida</h1>
<p>Esta página sólo se abre con la dirección <code>http://127.0.0.1:…</code> que mostró
<code>informe-poa app</code> al arrancar. Cópiela de la ventana donde arrancó y ábrala de
nuevo.</p></body></html>"""


class PuertoOcupado(OSError):
    """El puerto pedido ya lo usa otro programa."""


def direccion(puerto: int, ficha: str) -> str:
    return f"http://{ANFITRION}:{puerto}/?token={ficha}"


def puerto_libre(puerto: int | None) -> int:
    """`puerto` si está libre en 127.0.0.1 (`PuertoOcupado` si no); sin él, uno libre."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as prueba:
        try:
            prueba.bind((ANFITRION, puerto or 0))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PuertoOcupado(error.errno, f"el puerto {puerto} está ocupado o no se "
                                    "puede usar: elija otro con --puerto") from None
            raise
        return prueba.getsockname()[1]


def _autorizado(manejador) -> bool:
    """La ficha en la dirección o en la cabecera Authorization, o la galleta firmada que dejó
    una visita con ficha."""
    proveedor = manejador.settings["identity_provider"]
    dada = proveedor.get_token(manejador)
    if dada and hmac.compare_digest(dada.encode(), proveedor.token.encode()):
        return True
    galleta = manejador.get_secure_cookie(proveedor.get_cookie_name(manejador),
                                          **proveedor.get_secure_cookie_kwargs)
    return galleta is not None


def nombre_local(anfitrion: str) -> bool:
    """Si la cabecera Host `anfitrion` ('127.0.0.1:8866', 'localhost') nombra a esta
    máquina como la nombra la dirección de la página."""
    from tornado.httputil import split_host_and_port

    return split_host_and_port(anfitrion.lower())[0] in NOMBRES_LOCALES


class _ConFicha:
    """Mezcla para cada manejador del servidor: con otro nombre en Host o sin ficha, 403
    antes de hacer nada."""

    def prepare(self):
        rechazo = (_OTRO_NOMBRE if not nombre_local(self.request.host or "")
                   else _SIN_FICHA if not _autorizado(self) else None)
        if rechazo is not None:
            self.set_status(403)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(rechazo)
            return None
        return super().prepare()


def con_ficha(manejador: tuple) -> tuple:
    """(patrón, clase, ...) con la clase envuelta en `_ConFicha`."""
    patron, clase, *resto = manejador
    envuelta = type(f"ConFicha{clase.__name__}", (_ConFicha, clase), {})
    return (patron, envuelta, *resto)


def _aplicacion(espacio: Espacio):
    """La clase de la aplicación: Voilà con la plantilla sin CDN, los manejadores de descarga,
    la página con su ciclo de kernels (`kernels.con_ciclo_de_vida`) y todo con ficha. Se arma
    aquí para que importar este módulo no cargue Voilà."""
    from voila.app import Voila

    class Pagina(Voila):
        def setup_template_dirs(self) -> None:
            super().setup_template_dirs()
            self.template_paths.insert(0, str(PLANTILLA))

        def init_handlers(self) -> list:
            # Los de descarga antes que los de Voilà: el último de Voilà toma cualquier ruta.
            voila = [kernels.con_ciclo_de_vida(m) for m in super().init_handlers()]
            return [con_ficha(m) for m in [*descargas.manejadores(espacio),
                                           *tablero.manejadores(espacio), *voila]]

        def launch_browser(self) -> None:
            abrir_navegador(direccion(self.port, self.identity_provider.token))

    return Pagina


def _configuracion(puerto: int, ficha: str, navegador: bool,
                   kernels_max: int = kernels.KERNELS_MAX,
                   inactividad: int = kernels.INACTIVIDAD):
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = ANFITRION
    c.Voila.port = puerto
    c.Voila.port_retries = 0
    c.Voila.open_browser = navegador
    c.Voila.token = ficha
    # Ningún voila.py ni voila.json de la carpeta de trabajo cambia la configuración.
    c.Voila.config_file_paths = []
    c.Voila.tornado_settings = {"websocket_max_message_size": _MENSAJE_MAXIMO,
                                # Sólo con el nombre 127.0.0.1 o localhost en Host.
                                "allow_remote_access": False}
    c.VoilaConfiguration.template = "lab"
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.file_allowlist = []
    c.VoilaConfiguration.show_tracebacks = False
    kernels.configurar(c, kernels_max, inactividad)
    _sin_avisos_en_ingles(c)
    return c


def _sin_avisos_en_ingles(c) -> None:
    """En la terminal de `informe-poa app`, sólo las líneas del proyecto y los errores: los
    avisos de Jupyter (en inglés) no piden nada al planificador. El registro del servidor
    (Voilà, jupyter_server, tornado) dice sólo sus errores; los kernels hablan con el
    servidor cifrados con CurveZMQ (sus claves las pone jupyter_client en cada arranque),
    así el kernel no avisa que su canal va sin cifrar, y otro usuario de la máquina no lee
    lo que pasa por él."""
    import zmq

    c.Voila.log_level = "ERROR"
    if zmq.has("curve"):
        c.KernelManager.transport_encryption = "auto"


def abrir_navegador(url: str) -> None:
    """Abre `url` en el navegador del sistema a través de un archivo temporal privado que
    redirige a ella."""
    descriptor, archivo = tempfile.mkstemp(prefix="informe-poa-", suffix=".html")
    with os.fdopen(descriptor, "w", encoding="utf-8") as temporal:
        destino = html.escape(url, quote=True)
        temporal.write(f'<!DOCTYPE html><meta charset="utf-8"><meta http-equiv="refresh" '
                       f'content="0;url={destino}"><a href="{destino}">Abrir la página</a>')
    threading.Thread(target=webbrowser.open, args=(Path(archivo).as_uri(),),
                     daemon=True).start()


def servir(espacio: Espacio, puerto: int | None = None, navegador: bool = True,
           avisar: Callable[[str], None] = print, kernels_max: int = kernels.KERNELS_MAX,
           inactividad: int = kernels.INACTIVIDAD,
           entorno: dict[str, str] | None = None) -> None:
    """Sirve la página de `espacio` hasta Ctrl+C; `avisar` recibe la dirección con la ficha.
    A lo sumo `kernels_max` pestañas a la vez, cada una cerrada tras `inactividad` segundos
    sin uso. `PuertoOcupado` si `puerto` no está libre. `entorno`: el de la orden que la abre,
    antes de que Jupyter cambie nada; con él corren los informes que pide la página
    (`corrida.ENTORNO_DE_LA_ORDEN`). `cli` lo da sólo si el servidor residente está activo:
    sin él, el entorno de los kernels basta."""
    puerto = puerto_libre(puerto)
    ficha = secrets.token_urlsafe(32)
    texto = json.dumps(entorno) if entorno is not None else ""
    # Sin él (o si no cabe en una variable: 32 KB en Windows, 128 KB en Linux), los informes
    # corren con el entorno de los kernels, cuya huella no es la de la terminal.
    if 0 < len(texto) < _ENTORNO_MAXIMO:
        os.environ[corrida.ENTORNO_DE_LA_ORDEN] = texto
    os.environ[ESPACIO] = str(espacio.raiz)
    app = _aplicacion(espacio)(config=_configuracion(puerto, ficha, navegador, kernels_max,
                                                     inactividad))
    app.initialize([str(CUADERNO)])
    tablero.precargar()
    # La dirección se dice cuando el servidor ya escucha: con el primer giro de su bucle.
    IOLoop.current().add_callback(avisar, direccion(puerto, ficha))
    app.start()
