"""Los archivos de la carpeta de trabajo en el navegador: descargarlos, abrir un informe (PDF o
HTML) y bajar una carpeta entera como ZIP.

Tres manejadores de Tornado que el servidor de la página (`helpers.pagina.servidor`) monta
bajo la misma ficha de acceso que la página:

- `descargar/<ruta>`: el archivo, como adjunto (`Content-Disposition: attachment`);
- `ver/<ruta>`: un PDF o un HTML de un informe, para leerlo en el navegador; el HTML va en
  una caja sin permisos (`Content-Security-Policy: sandbox`), sin guiones ni acceso a la
  página;
- `zip/<ruta>`: la carpeta como ZIP, con los archivos que están dentro de ella (un enlace que
  sale de la carpeta no entra);
- `plantilla/<gestión>`: la plantilla vacía del libro del POA de esa gestión, escrita en una
  carpeta temporal que se borra al entregarla (nada queda en la carpeta de la entidad);
- `guia/`: la guía de la página (docs/pagina.md) como HTML, con sus imágenes
  (`guia/imagenes/<nombre>.png`) y las otras guías que enlaza, sin guiones (el HTML que
  traiga el texto se escapa).

Lo que se baja de la carpeta de un informe lleva en su nombre la sigla de la entidad y el
periodo (`XYZ-2025-T2-informe.pdf`, `XYZ-2025-T2.zip`): varios informes bajados a la misma
carpeta no se confunden (`nombre_de_descarga`).

`<ruta>` es relativa a la carpeta de trabajo (`Espacio.ruta`): lo que sale de ella es un 404,
igual que lo que no existe. Cómo escribe la página esos enlaces: `enlace`.
"""
from __future__ import annotations

import functools
import json
import mimetypes
import os
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from tornado import web
from tornado.ioloop import IOLoop

from helpers.pagina.espacio import Espacio, FueraDelEspacio

__all__ = ["DESCARGAR", "GUIA_WEB", "PLANTILLA", "VER", "ZIP", "carpeta_de_la_guia", "disposicion",
           "enlace", "guia_en_html", "manejadores", "nombre_de_descarga"]

DESCARGAR, VER, ZIP = "descargar", "ver", "zip"
PLANTILLA, GUIA_WEB = "plantilla", "guia"
# La guía de la página, en docs/ de la copia del proyecto.
GUIA = "pagina.md"
# Las gestiones cuya plantilla se entrega (las del campo «Gestión» de la página).
GESTIONES = (2000, 2100)
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# La guía: sin guiones ni formularios, sus imágenes de la misma dirección. Sin «sandbox» (el
# HTML es el de la guía del programa, con el HTML que traiga escapado): una página en caja
# tiene un origen opaco y el navegador no manda la galleta de la ficha al pedir sus imágenes.
_GUIA_SIN_GUIONES = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                     "form-action 'none'; frame-ancestors 'self'")
_IMAGEN = re.compile(r"/imagenes/([\w.-]+\.png)")
_GUIA_PEDIDA = re.compile(r"/([\w-]+\.md)")
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


def _prefijo_del_informe(carpeta: Path) -> str | None:
    """'XYZ-2025-T2': la sigla de la entidad y la etiqueta del periodo del informe de
    `carpeta` (su manifiesto); None si no es un informe o su manifiesto no lo dice."""
    from helpers.pagina.espacio import es_informe, nombre_seguro
    from helpers.rutas import MANIFIESTO
    from helpers.salida.carpeta_informe import etiqueta_del_informe

    if not es_informe(carpeta):
        return None
    try:
        parametros = json.loads((carpeta / MANIFIESTO).read_text(encoding="utf-8"))["parametros"]
        sigla = str(parametros["entidad"]["sigla"]).strip()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    etiqueta = etiqueta_del_informe(parametros)
    if not sigla or etiqueta is None:
        return None
    return nombre_seguro(f"{sigla}-{etiqueta}").replace(" ", "-")


def nombre_de_descarga(espacio: Espacio, ruta: Path) -> str:
    """El nombre con que se baja `ruta`: dentro de la carpeta de un informe (o ella misma),
    con la sigla y el periodo delante ('XYZ-2025-T2-informe.pdf', 'XYZ-2025-T2.zip',
    'XYZ-2025-T2-datos-abiertos.zip'); lo demás, con su nombre."""
    nombre = ruta.name + (".zip" if ruta.is_dir() else "")
    for carpeta in (ruta, *ruta.parents):
        if not espacio.contiene(carpeta) or carpeta == espacio.raiz:
            break
        prefijo = _prefijo_del_informe(carpeta)
        if prefijo is not None:
            return f"{prefijo}.zip" if carpeta == ruta else f"{prefijo}-{nombre}"
    return nombre


class Descarga(_Manejador):
    async def get(self, relativa: str) -> None:
        ruta = self._ruta(relativa)
        tipo = mimetypes.guess_type(ruta.name)[0] or "application/octet-stream"
        self.set_header("Content-Type", tipo)
        self.set_header("Content-Disposition",
                        disposicion("attachment", nombre_de_descarga(self.espacio, ruta)))
        await self._enviar(ruta)


class Vista(_Manejador):
    async def get(self, relativa: str) -> None:
        ruta = self._ruta(relativa)
        tipo = _PARA_VER.get(ruta.suffix.casefold())
        if tipo is None:
            raise web.HTTPError(404)
        self.set_header("Content-Type", tipo)
        self.set_header("Content-Disposition",
                        disposicion("inline", nombre_de_descarga(self.espacio, ruta)))
        if ruta.suffix.casefold() == ".html":
            self.set_header("Content-Security-Policy", _CAJA)
        await self._enviar(ruta)


class Zip(_Manejador):
    async def get(self, relativa: str) -> None:
        carpeta = self._ruta(relativa, carpeta=True)
        nombre = nombre_de_descarga(self.espacio, carpeta) if carpeta.name else "carpeta.zip"
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


class Plantilla(_Manejador):
    """La plantilla vacía del libro de la gestión pedida, escrita para cada pedido en una
    carpeta temporal que se borra al entregarla."""

    async def get(self, gestion: str) -> None:
        from helpers.entrada.plantilla import escribir_plantilla

        anio = int(gestion)
        if not GESTIONES[0] <= anio <= GESTIONES[1]:
            raise web.HTTPError(404)
        nombre = f"plantilla-poa-{anio}.xlsx"
        with tempfile.TemporaryDirectory(prefix="informe-poa-plantilla-") as temporal:
            archivo = Path(temporal) / nombre
            # Escribirla toma un segundo o dos: fuera del hilo del servidor.
            await IOLoop.current().run_in_executor(
                None, functools.partial(escribir_plantilla, archivo, gestion=anio))
            self.set_header("Content-Type", _XLSX)
            self.set_header("Content-Disposition", disposicion("attachment", nombre))
            await self._enviar(archivo)


class Guia(_Manejador):
    """La guía de la página (docs/pagina.md) como HTML, las otras guías de docs/ que enlaza
    (`guia/formularios.md`) y sus imágenes."""

    async def get(self, pedido: str | None) -> None:
        carpeta = carpeta_de_la_guia()
        if carpeta is None:
            raise web.HTTPError(404)
        if pedido is None:  # «guia» sin barra: sus imágenes se piden desde «guia/»
            self.redirect(self.request.path + "/")
            return
        guia = _GUIA_PEDIDA.fullmatch(pedido)
        if pedido == "/" or guia:
            archivo = carpeta / (guia.group(1) if guia else GUIA)
            if not archivo.is_file():
                raise web.HTTPError(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Content-Security-Policy", _GUIA_SIN_GUIONES)
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Cache-Control", "no-store")
            self.finish(guia_en_html(archivo))
            return
        imagen = _IMAGEN.fullmatch(pedido)
        ruta = carpeta / "imagenes" / imagen.group(1) if imagen else None
        if ruta is None or not ruta.is_file():
            raise web.HTTPError(404)
        self.set_header("Content-Type", "image/png")
        await self._enviar(ruta)


def carpeta_de_la_guia() -> Path | None:
    """La carpeta de la guía: docs/ de la copia del proyecto o, instalado el programa, la
    copia que lleva el paquete (helpers/guia/, la escribe setup.py); None si no hay."""
    from helpers.rutas import EN_COPIA_DEL_PROYECTO, PAQUETE, PROGRAMA

    carpeta = PROGRAMA / "docs" if EN_COPIA_DEL_PROYECTO else PAQUETE / "guia"
    return carpeta if (carpeta / GUIA).is_file() else None


def guia_en_html(archivo: Path) -> str:
    """La guía en Markdown como página HTML; el HTML que traiga el texto se escapa."""
    import mistune

    cuerpo = mistune.create_markdown(escape=True, plugins=["table"])(
        archivo.read_text(encoding="utf-8"))
    return ("<!DOCTYPE html><html lang=\"es\"><head><meta charset=\"utf-8\">"
            "<title>Guía de la página</title><style>body {font-family: sans-serif; "
            "max-width: 60em; margin: 1em auto; padding: 0 1em; line-height: 1.45} "
            "img {max-width: 100%; border: 1px solid #ccc} code {background: #f3f3f3} "
            "table {border-collapse: collapse} td, th {border: 1px solid #ccc; "
            "padding: 0.2em 0.4em}</style></head><body>" + cuerpo + "</body></html>")


def manejadores(espacio: Espacio, base: str = "/") -> list[tuple]:
    """Los manejadores, para `tornado.web.Application.add_handlers`."""
    ajustes = {"espacio": espacio}
    return [(f"{base}{DESCARGAR}/(.+)", Descarga, ajustes),
            (f"{base}{VER}/(.+)", Vista, ajustes),
            (f"{base}{ZIP}/(.+)", Zip, ajustes),
            (rf"{base}{PLANTILLA}/(\d{{4}})", Plantilla, ajustes),
            (f"{base}{GUIA_WEB}(/.*)?", Guia, ajustes)]
