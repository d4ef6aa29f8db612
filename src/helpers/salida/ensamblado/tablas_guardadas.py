"""Las tablas ya marcadas (`tablas.marcar_tablas`), guardadas en la caché del informe.

Marcar una tabla es una función de su HTML y del código que mide (este paquete, las medidas
de las letras y las fuentes del proyecto): la clave es el SHA-256 de todo eso. Después de
corregir una celda, casi todas las tablas del informe salen iguales, y analizarlas otra vez
con BeautifulSoup era lo más caro de leer los cuadernos, en este proceso y en el que
escribe la página de auditoría.
"""
from __future__ import annotations

import functools
from importlib.metadata import version
from pathlib import Path

from helpers.comun import tipografia
from helpers.comun.almacen import Almacen, clave
from helpers.salida.cache_informe import huella_de_carpeta
from helpers.salida.manifiesto import sha256_archivo

__all__ = ["TablasMarcadas"]


@functools.cache
def _marcador() -> str:
    """El código que marca: el del ensamblado, las medidas de las letras, las fuentes y
    BeautifulSoup."""
    return clave(version("beautifulsoup4"), huella_de_carpeta(Path(__file__).parent),
                 sha256_archivo(Path(tipografia.__file__)),
                 huella_de_carpeta(tipografia.CARPETA_FUENTES))


class TablasMarcadas:
    """Cada HTML ya marcado y cómo quedó (lo que usa `exportacion.MarcarTablas`): en memoria
    y, con `almacen`, en la caché del informe, de donde lo toma otra corrida u otro
    proceso."""

    def __init__(self, almacen: Almacen | None = None) -> None:
        self._almacen = almacen
        self._memoria: dict[str, str] = {}

    def __contains__(self, contenido: str) -> bool:
        if contenido in self._memoria:
            return True
        if self._almacen is None:
            return False
        guardada = self._almacen.leer(clave(_marcador(), contenido), "html")
        if guardada is None:
            return False
        self._memoria[contenido] = guardada.decode("utf-8")
        return True

    def __getitem__(self, contenido: str) -> str:
        return self._memoria[contenido]

    def __setitem__(self, contenido: str, marcada: str) -> None:
        self._memoria[contenido] = marcada
        if self._almacen is not None:
            self._almacen.guardar(clave(_marcador(), contenido), marcada.encode("utf-8"),
                                  "html")
