"""Paso 4 de la página, «Parámetros»: el archivo de parámetros elegido, para bajarlo y
revisarlo con su libro como `informe-poa validar PARAMS`.

El formulario que los edita campo por campo se arma sobre
`helpers.entrada.parametros_en_formulario` cuando esa pieza esté en el proyecto; mientras
tanto, este paso muestra el archivo y su revisión.
"""
from __future__ import annotations

import ipywidgets as widgets

from helpers.pagina import descargas
from helpers.pagina.piezas import Sesion, aviso, boton, enlace, sin_traza

__all__ = ["PasoParametros"]


class PasoParametros:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.revisar = boton("Revisar los parámetros y su libro")
        self.archivo = widgets.HTML()
        self.salida = widgets.HTML()
        self.revisar.on_click(lambda _b: self.revisar_parametros())
        sesion.observe(lambda _c: self.mostrar(), names=["parametros"])
        self.vista = widgets.VBox([self.archivo, widgets.HBox([self.revisar]), self.salida])
        self.mostrar()

    def mostrar(self) -> None:
        relativa = self.sesion.parametros
        if relativa is None:
            self.archivo.value = aviso("Abra una entidad en el paso 1 y elija sus parámetros "
                                       "en el paso «Generar».")
            return
        self.archivo.value = ('<div class="ipoa-enlaces">Parámetros: '
                              + enlace(descargas.DESCARGAR, relativa, relativa) + "</div>")
        self.salida.value = ""

    def revisar_parametros(self) -> None:
        from helpers.revision import revisar, texto

        params = self.sesion.ruta("parametros")
        if params is None:
            return
        with sin_traza(self.salida, "No se revisaron los parámetros"):
            revision = revisar(params)
            self.salida.value = aviso(texto(revision),
                                      "error" if revision.errores else "exito")
