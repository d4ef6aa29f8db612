"""El tablero de un informe generado, en el navegador: `tablero/<carpeta>` (la carpeta del
informe, relativa a la carpeta de trabajo) responde la página del tablero
(`helpers.salida.explorador.pagina_del_tablero`), armada con las tablas del informe: no se
calcula nada otra vez.

La página lleva guiones (los del explorador, y sólo ellos: la política de contenido los
nombra por su huella) y no pide nada a ninguna dirección; sus enlaces «dónde se deriva»
abren la memoria de cálculo del informe con `ver/` (`helpers.pagina.descargas`). Lo que sale
de la carpeta de trabajo, lo que no es un informe y el informe sin explorador (la
formulación) dan un 404 en castellano.
"""
from __future__ import annotations

import importlib
import threading
from pathlib import Path

from tornado import web
from tornado.ioloop import IOLoop

from helpers.pagina import descargas
from helpers.pagina.espacio import Espacio, FueraDelEspacio
from helpers.rutas import MANIFIESTO

__all__ = ["TABLERO", "enlace", "manejadores", "pagina", "precargar"]

TABLERO = "tablero"


# Lo que arma un tablero (pandas, el modelo, la plantilla): casi 2 s de importar, que el
# servidor carga al arrancar (`precargar`) y no en el primer pedido.
_PARA_ARMAR = ("helpers.preparacion", "helpers.redaccion.tablero", "helpers.redaccion.mapa",
               "helpers.salida.explorador")


def precargar() -> threading.Thread:
    """Importa en otro hilo lo que arma un tablero, mientras el servidor arranca."""
    hilo = threading.Thread(target=lambda: [importlib.import_module(m) for m in _PARA_ARMAR],
                            name="precarga-del-tablero", daemon=True)
    hilo.start()
    return hilo


def enlace(relativa: str) -> str:
    """La dirección del tablero del informe de `relativa`, relativa a la página."""
    return descargas.enlace(TABLERO, relativa)


def pagina(espacio: Espacio, relativa: str, base: str = "/") -> str | None:
    """La página del tablero del informe de la carpeta `relativa`, o None si no es un
    informe con explorador (o no está en la carpeta de trabajo)."""
    from helpers.salida.explorador import modelo_del_informe, pagina_del_tablero

    try:
        carpeta = espacio.ruta(relativa)
    except FueraDelEspacio:
        return None
    if not (carpeta.is_dir() and (carpeta / MANIFIESTO).is_file()) or _con_enlaces(carpeta):
        return None
    modelo = modelo_del_informe(carpeta)
    if modelo is None:
        return None
    rel = espacio.relativa(carpeta)
    return pagina_del_tablero(
        modelo, auditoria=base + descargas.enlace(descargas.VER, f"{rel}/informe-auditoria.html"),
        anexo=f"{Path(rel).name}/anexo.xlsx")


def _con_enlaces(carpeta: Path) -> bool:
    """Si algo dentro de la carpeta del informe es un enlace simbólico: el tablero lee sus
    tablas y su libro, y un enlace podría llevar fuera de la carpeta de trabajo. Un informe
    del programa no tiene ninguno."""
    return any(ruta.is_symlink() for ruta in carpeta.rglob("*"))


class Tablero(web.RequestHandler):
    def initialize(self, espacio: Espacio, base: str) -> None:
        self.espacio, self.base = espacio, base

    async def get(self, relativa: str) -> None:
        from helpers.salida.explorador import politica_de_contenido

        # Armarla lee las tablas (decenas de milisegundos; un libro grande, más): fuera del
        # bucle del servidor, que sigue atendiendo la página.
        texto = await IOLoop.current().run_in_executor(None, pagina, self.espacio, relativa,
                                                       self.base)
        if texto is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # En una caja (sandbox): aunque la página del tablero está en la misma dirección que
        # la de los kernels, sus guiones no llegan a ella ni a sus galletas.
        self.set_header("Content-Security-Policy",
                        politica_de_contenido() + "; frame-ancestors 'self'; sandbox "
                        "allow-scripts allow-popups allow-popups-to-escape-sandbox")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        self.finish(texto)

    def write_error(self, status_code: int, **_kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("No hay un tablero para esa carpeta: no es un informe generado de la "
                    "carpeta de trabajo, o su tipo de informe no lo tiene." if status_code == 404
                    else f"No se pudo armar el tablero (error {status_code}).")


def manejadores(espacio: Espacio, base: str = "/") -> list[tuple]:
    return [(f"{base}{TABLERO}/(.+)", Tablero, {"espacio": espacio, "base": base})]
