"""Los archivos de la carpeta de trabajo en el navegador: descargarlos, abrir un informe (PDF o
HTML) y bajar una carpeta entera como ZIP.

Tres manejadores de Tornado que el servidor de la página (`helpers.pagina.servidor`) monta
bajo la misma ficha de acceso que la página:

- `descargar/<ruta>`: el archivo, como adjunto (`Content-Disposition: attachment`);
- `ver/<ruta>`: un PDF o un HTML de un informe, para leerlo en el navegador; el HTML va en
  una caja sin permisos (`Content-Security-Policy: sandbox`), sin guiones ni acceso a la
  página;
- `zip/<ruta>`: la carpeta como ZIP, con los archivos que están dentro de ella (un enlace que
  sale de la carpeta no entra).

`<ruta>` es relativa a la carpeta de trabajo (`Espacio.ruta`): lo que sale de ella es un 404,
igual que lo que no existe. Cómo escribe la página esos enlaces: `enlace`.
"""
from __future__ import annotations

import mimetypes
import os
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from tornado import web

from helpers.pagina.espacio import Espacio, FueraDelEspacio

__all__ = ["DESCARGAR", "VER", "ZIP", "disposicion", "enlace", "manejadores"]

DESCARGAR, VER, ZIP = "descargar", "ver", "zip"
_BLOQUE = 1024 * 1024
# Lo que se abre en el navegador; lo demás se descarga.
_PARA_VER = {".pdf": "application/pdf", ".html": "text/html; charset=utf-8"}
# El HTML de un informe, en una caja: sin guiones, sin formularios, sin pedir nada fuera de
# la misma dirección (sus imágenes van dentro del HTML o a su lado).
_CAJA = ("sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
         "font-src 'self' data:")


def enlace(accion: str, relativa: str) -> str:
    """La dirección de `accion` (DESCARGAR, VER, ZIP) para `relativa`, relativa a la página:
    cada parte de la ruta, codificada."""
    return f"{accion}/" + "/".join(quote(parte, safe="") for parte in relativa.split("/"))


def disposicion(tipo: str, nombre: str) -> str:
    """La cabecera Content-Disposition con el nombre del archivo: en ASCII para los
    navegadores viejos y en UTF-8 (RFC 6266) para los demás."""
    ascii_ = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                     for c in nombre)
    return f"{tipo}; filename=\"{ascii_}\"; filename*=UTF-8''{quote(nombre, safe='')}"


class _Manejador(web.RequestHandler):
    """Lo común: la carpeta de trabajo y el 404 en castellano."""

    def initialize(self, espacio: Espacio) -> None:
        self.espacio = espacio

    def _ruta(self, relativa: str, carpeta: bool = False) -> Path:
        try:
            ruta = self.espacio.ruta(relativa)
        except FueraDelEspacio:
            raise web.HTTPError(404) from None
        if not (ruta.is_dir() if carpeta else ruta.is_file()):
            raise web.HTTPError(404)
        return ruta

    def write_error(self, status_code: int, **_kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("No existe ese archivo en la carpeta de trabajo: vuelva a la página y "
                    "elíjalo de nuevo." if status_code == 404
                    else f"No se pudo entregar el archivo (error {status_code}).")

    async def _enviar(self, ruta: Path) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Cache-Control", "no-store")
        with ruta.open("rb") as archivo:
            while bloque := archivo.read(_BLOQUE):
                self.write(bloque)
                await self.flush()
        self.finish()


class Descarga(_Manejador):
    async def get(self, relativa: str) -> None:
        ruta = self._ruta(relativa)
        tipo = mimetypes.guess_type(ruta.name)[0] or "application/octet-stream"
        self.set_header("Content-Type", tipo)
        self.set_header("Content-Disposition", disposicion("attachment", ruta.name))
        await self._enviar(ruta)


class Vista(_Manejador):
    async def get(self, relativa: str) -> None:
        ruta = self._ruta(relativa)
        tipo = _PARA_VER.get(ruta.suffix.casefold())
        if tipo is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", tipo)
        self.set_header("Content-Disposition", disposicion("inline", ruta.name))
        if ruta.suffix.casefold() == ".html":
            self.set_header("Content-Security-Policy", _CAJA)
        await self._enviar(ruta)


class Zip(_Manejador):
    async def get(self, relativa: str) -> None:
        carpeta = self._ruta(relativa, carpeta=True)
        nombre = (carpeta.name or "carpeta") + ".zip"
        with tempfile.TemporaryDirectory(prefix="informe-poa-zip-") as temporal:
            archivo = Path(temporal) / nombre
            comprimir(carpeta, archivo)
            self.set_header("Content-Type", "application/zip")
            self.set_header("Content-Disposition", disposicion("attachment", nombre))
            await self._enviar(archivo)


def comprimir(carpeta: Path, destino: Path) -> Path:
    """`carpeta` como ZIP en `destino`: sus archivos, con rutas relativas a ella; sin los
    enlaces simbólicos ni los archivos ocultos del ejecutor (la marca, los cerrojos)."""
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED) as zip_:
        for raiz, carpetas, archivos in os.walk(carpeta):
            carpetas[:] = sorted(c for c in carpetas if not c.startswith(".")
                                 and not (Path(raiz) / c).is_symlink())
            for nombre in sorted(archivos):
                ruta = Path(raiz) / nombre
                if nombre.startswith(".") or ruta.is_symlink():
                    continue
                zip_.write(ruta, ruta.relative_to(carpeta).as_posix())
    return destino


def manejadores(espacio: Espacio, base: str = "/") -> list[tuple]:
    """Los tres manejadores, para `tornado.web.Application.add_handlers`."""
    ajustes = {"espacio": espacio}
    return [(f"{base}{DESCARGAR}/(.+)", Descarga, ajustes),
            (f"{base}{VER}/(.+)", Vista, ajustes),
            (f"{base}{ZIP}/(.+)", Zip, ajustes)]
