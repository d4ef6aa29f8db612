"""Las imágenes de los gráficos, tomadas de la caché del informe cuando la figura no cambió.

Dibujar una figura en PNG (lo que hace el cuaderno al mostrarla) cuesta la mayor parte de
una sección con gráficos; armarla, poco. Cuando el ejecutor corre con la caché del informe
(docs/cache-diseno.md), pone en el entorno del kernel la carpeta de su almacén
(`VARIABLE`), y `activar` (que llama `graficos.estilo`) cambia cómo el cuaderno convierte
una figura en PNG: primero busca en el almacén la imagen de una figura igual, y sólo si no
está la dibuja (y la guarda).

«Igual» es la huella de la figura entera (`huella_de_figura`: su estado serializado, con
cada elemento, dato, texto, color y tamaño), junto con lo que el dibujo lee fuera de ella:
los parámetros de matplotlib en ese momento, las fuentes que conoce y las versiones de
matplotlib y Pillow. Una unidad corregida cambia los gráficos de su grupo; los de los
demás grupos se toman del almacén.
"""
from __future__ import annotations

import copyreg
import io
import os
import pickle
from importlib.metadata import version
from pathlib import Path

from helpers.comun.almacen import Almacen, clave

__all__ = ["VARIABLE", "activar", "huella_de_figura"]

VARIABLE = "INFORME_POA_CACHE_GRAFICOS"


class _Serializador(pickle.Pickler):
    """pickle de la figura, sin lo que cambia de una corrida a otra y no se dibuja: cada
    transformación anota a sus «padres» (las que dependen de ella, para avisarles que cambió)
    por su id() en memoria y mientras el recolector de basura no se los lleve; la figura, su
    número en pyplot (el orden en que se creó en el kernel)."""

    def reducer_override(self, obj):
        from matplotlib.figure import Figure
        from matplotlib.transforms import TransformNode

        if isinstance(obj, TransformNode):
            estado = obj.__getstate__()
            estado.pop("_parents", None)
            return (copyreg.__newobj__, (type(obj),), estado)
        if isinstance(obj, Figure):
            estado = obj.__getstate__()
            estado.pop("_number", None)
            return (copyreg.__newobj__, (type(obj),), estado)
        return NotImplemented


def huella_de_figura(figura) -> str:
    """Un SHA-256 de todo lo que dibuja `figura` (la misma en dos procesos da la misma)."""
    import matplotlib
    from matplotlib import font_manager

    serie = io.BytesIO()
    _Serializador(serie, protocol=5).dump(figura)
    fuentes = sorted(f"{e.fname}|{e.name}|{e.style}|{e.weight}"
                     for e in font_manager.fontManager.ttflist)
    parametros = repr(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))
    # pickle guarda la resolución con que se creó la figura: la de ahora va aparte.
    tamano = repr((figura.dpi, tuple(figura.get_size_inches())))
    return clave(serie.getvalue(), tamano, parametros, *fuentes, version("matplotlib"),
                 version("pillow"))


def activar(carpeta: str | Path | None = None) -> bool:
    """Si hay carpeta (o `VARIABLE` la da) y el cuaderno muestra figuras en PNG, las toma
    del almacén de esa carpeta cuando ya se dibujaron. Devuelve si quedó activo."""
    carpeta = carpeta or os.environ.get(VARIABLE)
    if not carpeta:
        return False
    try:
        from IPython import get_ipython
        from matplotlib.figure import Figure
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formato = shell.display_formatter.formatters["image/png"]
    if Figure not in formato.type_printers:
        # pyplot carga su backend con la primera figura, y con él (el de los cuadernos) el
        # dibujo en PNG; aquí se carga antes, para envolverlo.
        import importlib

        import matplotlib

        if matplotlib.get_backend() != "module://matplotlib_inline.backend_inline":
            return False
        importlib.import_module("matplotlib_inline.backend_inline")
    try:
        dibujar = formato.lookup_by_type(Figure)
    except KeyError:
        return False
    if getattr(dibujar, "almacen", None) is not None:
        dibujar = dibujar.original
    formato.for_type(Figure, _DibujoGuardado(dibujar, Almacen(Path(carpeta))))
    return True


class _DibujoGuardado:
    """El PNG de una figura: del almacén si ya se dibujó, o dibujado (y guardado)."""

    def __init__(self, original, almacen: Almacen) -> None:
        self.original, self.almacen = original, almacen

    def __call__(self, figura):
        try:
            llave = huella_de_figura(figura)
        except (pickle.PicklingError, TypeError, AttributeError):
            return self.original(figura)  # una figura que no se puede serializar: se dibuja
        # IPython pide el PNG en base64 (texto): es lo que se guarda. Otra forma (no la pide
        # la versión fijada) se dibuja sin guardar.
        guardado = self.almacen.leer(llave, "png64")
        if guardado is not None:
            return guardado.decode("ascii")
        png = self.original(figura)
        if isinstance(png, str):
            self.almacen.guardar(llave, png.encode("ascii"), "png64")
        return png
