"""Las piezas con que se arman los pasos de la página: lo que elige el planificador y todos
los pasos ven (`Sesion`), los avisos, los enlaces y las tablas en HTML con el texto escapado,
y los errores dichos en castellano sin traza (`sin_traza`).

Todo texto que viene de los datos, de un nombre de archivo o de un mensaje pasa por
`html.escape` antes de entrar en un widget HTML: se lee tal cual.
"""
from __future__ import annotations

import html
import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

import ipywidgets as widgets
import pandas as pd
import traitlets

from helpers.comun.errores_del_sistema import causa
from helpers.pagina import descargas
from helpers.pagina.espacio import Espacio, FueraDelEspacio, SubidaNoValida

__all__ = ["ESTILO", "Sesion", "aviso", "boton", "enlace", "parametros_de_la_entidad", "sin_traza",
           "tabla", "vigilar_la_carpeta"]

# El aspecto de lo que escriben los pasos: avisos de color, tablas con bordes finos.
ESTILO = """<style>
.ipoa-aviso {padding: 0.5em 0.8em; margin: 0.4em 0; border-left: 4px solid #5b7fa6;
  background: #eef3f8; white-space: pre-line}
.ipoa-error {border-color: #b3261e; background: #fbeaea}
.ipoa-advertencia {border-color: #b7791f; background: #fdf5e6}
.ipoa-exito {border-color: #2e7d32; background: #edf7ee}
.ipoa-tabla {border-collapse: collapse; margin: 0.4em 0; font-size: 0.92em}
.ipoa-tabla th, .ipoa-tabla td {border: 1px solid #c9ced6; padding: 0.2em 0.5em;
  text-align: left; vertical-align: top}
.ipoa-tabla th {background: #f1f3f6}
.ipoa-enlaces a {margin-right: 1.2em}
.ipoa-enlaces a, .ipoa-tabla a {color: #1a5fb4; text-decoration: underline}
.ipoa-enlaces details {display: inline-block}
.ipoa-ayuda {color: #555; font-size: 0.88em; margin: 0 0 0.6em 16.5em; max-width: 40em}
</style>"""


class Sesion(traitlets.HasTraits):
    """Lo elegido en la página, que todos los pasos ven: la carpeta de la entidad, el archivo
    de parámetros y el libro (rutas relativas a la carpeta de trabajo; None: nada elegido)."""

    entidad = traitlets.Unicode(None, allow_none=True)
    parametros = traitlets.Unicode(None, allow_none=True)
    libro = traitlets.Unicode(None, allow_none=True)
    # Cambia cada vez que la página ve terminar bien una corrida: la lista de informes la
    # sigue y se actualiza sola.
    generado = traitlets.Unicode("")

    # La carpeta de la entidad cambió (se agregó, quitó o renombró un archivo en ella): los
    # desplegables vuelven a listar lo que tiene (`revisar_carpeta`).
    carpeta = traitlets.Int(0)
    # Un paso guardó los parámetros elegidos (el plazo de los formularios): los demás que
    # los muestran los vuelven a leer.
    guardado = traitlets.Int(0)

    def __init__(self, espacio: Espacio):
        super().__init__()
        self.espacio = espacio
        self._marca: tuple[str, int] | None = None

    def revisar_carpeta(self) -> bool:
        """Si la carpeta de la entidad cambió desde la última vez, lo avisa (`carpeta`) y
        devuelve True. Mira sólo la fecha de modificación de la carpeta (un `stat`), que
        cambia cuando se agrega, quita o renombra un archivo en ella: un archivo de
        parámetros copiado desde afuera aparece en los desplegables sin volver a cargar la
        página."""
        ruta = self.ruta("entidad")
        try:
            marca = (str(ruta), os.stat(ruta).st_mtime_ns) if ruta else None
        except OSError:
            marca = None
        if marca == self._marca:
            return False
        antes, self._marca = self._marca, marca
        if antes is not None and marca is not None and antes[0] == marca[0]:
            self.carpeta += 1
            return True
        return False

    def ruta(self, nombre: str):
        """La ruta absoluta de lo elegido (`entidad`, `parametros` o `libro`), o None."""
        relativa = getattr(self, nombre)
        return None if relativa is None else self.espacio.ruta(relativa)


# Cada cuánto mira la página si cambió la carpeta de la entidad: un `stat` cada dos segundos
# no cuesta nada, y un archivo copiado aparece antes de que el planificador vuelva a la
# pestaña. ipywidgets no avisa cuando se abre un desplegable, así que no se puede listar
# sólo entonces.
CADA = 2.0


def vigilar_la_carpeta(sesion: Sesion, cada: float = CADA) -> threading.Thread:
    """Un hilo del kernel que llama a `sesion.revisar_carpeta` cada `cada` segundos mientras
    la sesión existe (el kernel de la pestaña se apaga con ella)."""
    referencia = weakref.ref(sesion)

    def vigilar() -> None:
        while True:
            time.sleep(cada)
            viva = referencia()
            if viva is None:
                return
            viva.revisar_carpeta()
            del viva

    hilo = threading.Thread(target=vigilar, daemon=True, name="vigilar-la-carpeta")
    hilo.start()
    return hilo


def parametros_de_la_entidad(sesion: Sesion) -> widgets.Dropdown:
    """El desplegable de los archivos de parámetros de la entidad abierta, atado a
    `sesion.parametros`: lo que se elige en un paso queda elegido en todos."""
    from helpers.pagina.espacio import parametros_de

    desplegable = widgets.Dropdown(description="Parámetros", options=[],
                                   layout=widgets.Layout(width="32em"))
    listando = [False]

    def listar(_cambio=None) -> None:
        carpeta = sesion.ruta("entidad")
        opciones = ([sesion.espacio.relativa(p) for p in parametros_de(carpeta)]
                    if carpeta else [])
        if sesion.parametros and sesion.parametros not in opciones:
            opciones.append(sesion.parametros)
        # Cambiar las opciones elige la primera: eso no es una elección del planificador y
        # no cambia los parámetros de la sesión.
        listando[0] = True
        try:
            if list(desplegable.options) != opciones:
                desplegable.options = opciones
            desplegable.value = sesion.parametros if sesion.parametros in opciones else None
        finally:
            listando[0] = False

    def elegido(cambio) -> None:
        if not listando[0] and cambio["new"] is not None and cambio["new"] != sesion.parametros:
            sesion.parametros = cambio["new"]

    sesion.observe(listar, names=["entidad", "parametros", "carpeta"])
    desplegable.observe(elegido, names="value")
    listar()
    return desplegable


def boton(descripcion: str, primario: bool = False) -> widgets.Button:
    """Un botón tan ancho como su texto (los de ipywidgets cortan el texto largo)."""
    return widgets.Button(description=descripcion, button_style="primary" if primario else "",
                          layout=widgets.Layout(width="auto", min_width="10em"))


def aviso(texto: str, clase: str = "info") -> str:
    """Un aviso en un recuadro: `clase` info, error, advertencia o exito."""
    return f'<div class="ipoa-aviso ipoa-{clase}">{html.escape(texto)}</div>'


def enlace(accion: str, relativa: str, texto: str) -> str:
    """Un enlace a un archivo de la carpeta de trabajo: descargarlo, verlo en otra pestaña o
    bajar la carpeta como ZIP (`helpers.pagina.descargas`)."""
    href = html.escape(descargas.enlace(accion, relativa), quote=True)
    extra = ' target="_blank" rel="noopener"' if accion == descargas.VER else " download"
    return f'<a href="{href}"{extra}>{html.escape(texto)}</a>'


def tabla(filas: pd.DataFrame, titulos: dict[str, str], clase: str = "") -> str:
    """`filas` (las columnas de `titulos`) como tabla HTML escapada."""
    encabezado = "".join(f"<th>{html.escape(t)}</th>" for t in titulos.values())
    cuerpo = "".join(
        "<tr>" + "".join(f"<td>{'' if pd.isna(v) else html.escape(str(v))}</td>"
                         for v in fila) + "</tr>"
        for fila in filas[list(titulos)].itertuples(index=False))
    return (f'<table class="ipoa-tabla {clase}"><thead><tr>{encabezado}</tr></thead>'
            f"<tbody>{cuerpo}</tbody></table>")


@contextmanager
def sin_traza(salida: widgets.HTML, que_no_se_hizo: str) -> Iterator[None]:
    """Los errores previsibles (datos, parámetros, una ruta fuera de la carpeta, una subida
    no válida, el sistema de archivos) como aviso en `salida`, en castellano, sin traza."""
    from helpers.entrada.errores import ErrorDeEntrada
    from helpers.formularios.envio import SalidaNoValida

    try:
        yield
    except ErrorDeEntrada as error:
        salida.value = aviso(f"{que_no_se_hizo}.\n{error.texto()}", "error")
    except (SalidaNoValida, SubidaNoValida, FueraDelEspacio, ValueError) as error:
        salida.value = aviso(f"{que_no_se_hizo}: {error}.", "error")
    except OSError as error:
        salida.value = aviso(f"{que_no_se_hizo}: no se pudo leer o escribir "
                             f"{error.filename or ''}: {causa(error)}.", "error")
