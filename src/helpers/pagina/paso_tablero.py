"""Paso «Tablero» de la página: el tablero de un informe generado de la carpeta de trabajo
(`helpers.pagina.tablero`), dentro de la página y en otra pestaña para imprimirlo (el resumen
de una hoja A4 para la máxima autoridad). Se lee de las tablas del informe: abre enseguida
aunque el libro sea grande.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from helpers.pagina import tablero
from helpers.pagina.informes import informes
from helpers.pagina.piezas import Sesion, aviso, boton
from helpers.salida.explorador import TABLAS_DEL_EXPLORADOR

__all__ = ["PasoTablero", "con_tablero"]

# Las tablas sin las cuales un informe no tiene tablero (`salida.explorador`).
_TABLAS = {f"{nombre}.csv" for nombre in TABLAS_DEL_EXPLORADOR}


def con_tablero(sesion: Sesion) -> list:
    """Los informes de la carpeta de trabajo que tienen tablero, el más reciente primero."""
    return [i for i in informes(sesion.espacio) if not i.problema and _TABLAS <= set(i.tablas)]


class PasoTablero:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.elegido = widgets.Dropdown(description="Informe", options=[],
                                        layout=widgets.Layout(width="36em"))
        self.actualizar = boton("Buscar de nuevo")
        self.enlaces = widgets.HTML()
        self.marco = widgets.HTML()
        self.elegido.observe(lambda _c: self.mostrar(), names="value")
        self.actualizar.on_click(lambda _b: self.buscar())
        # Un informe recién generado aparece solo, elegido (el paso Generar lo avisa).
        sesion.observe(lambda _c: self.buscar(el_mas_reciente=True), names=["generado"])
        self.vista = widgets.VBox([widgets.HBox([self.elegido, self.actualizar]), self.enlaces,
                                   self.marco])
        self.buscar()

    def buscar(self, el_mas_reciente: bool = False) -> None:
        """Lista los informes con tablero; queda elegido el que estaba, o el más reciente si
        no estaba o si se acaba de generar uno (`el_mas_reciente`)."""
        lista = con_tablero(self.sesion)
        opciones = [(f"{i.relativa} — {i.entidad}, {i.periodo}", i.relativa) for i in lista]
        anterior = self.elegido.value
        self.elegido.options = opciones
        valores = [valor for _texto, valor in opciones]
        if valores and (el_mas_reciente or anterior not in valores):
            anterior = valores[0]
        self.elegido.value = anterior if valores else None
        self.mostrar()

    def mostrar(self) -> None:
        relativa = self.elegido.value
        if relativa is None:
            self.enlaces.value = aviso("Todavía no hay informes con tablero en la carpeta de "
                                       "trabajo: genere uno en el paso «Generar».")
            self.marco.value = ""
            return
        direccion = html.escape(tablero.enlace(relativa), quote=True)
        self.enlaces.value = (
            '<div class="ipoa-enlaces">'
            f'<a href="{direccion}" target="_blank" rel="noopener">Abrir el tablero en otra '
            "pestaña</a> (para imprimir el resumen de una hoja: Ctrl+P en esa pestaña)</div>")
        self.marco.value = (f'<iframe class="ipoa-tablero" src="{direccion}" title="Tablero" '
                            'style="width: 100%; height: 1400px; border: 1px solid #c9ced6">'
                            "</iframe>")
