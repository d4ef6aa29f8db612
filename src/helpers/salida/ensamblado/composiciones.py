"""Las composiciones del PDF guardadas en la caché del informe (docs/cache-diseno.md).

Componer una página HTML con WeasyPrint es una función de la página (con sus gráficos, sus
estilos en línea y sus números de cuadro ya puestos), de las fuentes del proyecto y del
código que compone: la clave (`clave_de`) es el SHA-256 de todo eso. Una sección cuyo HTML
no cambió desde la corrida anterior no se compone otra vez: se toman sus hojas (tamaño,
anclas, enlaces, marcadores) y su PDF.

Una composición de prueba (la maquetación decide después qué hojas van al informe) guarda
sus hojas sin PDF, y aparte el PDF de cada elección de hojas que se escribió.
"""
from __future__ import annotations

import functools
from importlib.metadata import version
from pathlib import Path

from helpers.comun.almacen import Almacen, clave
from helpers.comun.tipografia import CARPETA_FUENTES
from helpers.salida.cache_informe import huella_de_carpeta
from helpers.salida.manifiesto import sha256_archivo
from helpers.salida.pdf import Hoja, Parte

__all__ = ["clave_de", "guardar_parte", "guardar_pdf", "parte_guardada", "pdf_guardado"]


@functools.cache
def _compositor() -> str:
    """Lo que compone además de la página: WeasyPrint y su escritor de PDF, las fuentes y
    el código que mide y escribe las partes."""
    return clave(version("weasyprint"), version("pydyf"), huella_de_carpeta(CARPETA_FUENTES),
                 sha256_archivo(Path(__file__).parent.parent / "pdf.py"))


def clave_de(texto: str) -> str:
    """La clave de la composición de la página HTML `texto` (con sus gráficos repuestos)."""
    return clave(_compositor(), texto)


def _a_json(parte: Parte) -> dict:
    return {"hojas": [[h.ancho, h.alto, h.anclas, h.enlaces, h.marcadores]
                      for h in parte.hojas]}


def _de_json(valor: dict) -> Parte:
    hojas = [Hoja(ancho=a, alto=b, anclas={k: tuple(c) for k, c in anclas.items()},
                  enlaces=[(d, tuple(c)) for d, c in enlaces],
                  marcadores=[tuple(m) for m in marcadores])
             for a, b, anclas, enlaces, marcadores in valor["hojas"]]
    return Parte(None, hojas)


def parte_guardada(almacen: Almacen, llave: str, *, con_pdf: bool) -> Parte | None:
    """La parte guardada con `llave` (una nueva cada vez: quien la recibe la modifica), con
    su PDF entero (`con_pdf`) o sólo sus hojas; None si no está."""
    valor = almacen.leer_json(llave)
    if valor is None:
        return None
    try:
        parte = _de_json(valor)
    except (KeyError, TypeError, ValueError):
        return None
    if con_pdf:
        parte.pdf = almacen.leer(llave, "pdf")
        if parte.pdf is None:
            return None
    return parte


def guardar_parte(almacen: Almacen, llave: str, parte: Parte) -> None:
    """Guarda las hojas de `parte` y, si lo tiene entero (no de prueba), su PDF."""
    if parte.pdf is not None and parte.escritas is None:
        almacen.guardar(llave, parte.pdf, "pdf")
    almacen.guardar_json(llave, _a_json(parte))


def _llave_de_hojas(llave: str, hojas: list[int]) -> str:
    return clave(llave, ",".join(map(str, sorted(hojas))))


def pdf_guardado(almacen: Almacen, llave: str, hojas: list[int]) -> bytes | None:
    """El PDF de las hojas `hojas` de la composición de prueba `llave`, si se guardó."""
    return almacen.leer(_llave_de_hojas(llave, hojas), "pdf")


def guardar_pdf(almacen: Almacen, llave: str, hojas: list[int], pdf: bytes) -> None:
    almacen.guardar(_llave_de_hojas(llave, hojas), pdf, "pdf")
