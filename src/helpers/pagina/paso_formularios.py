"""Paso 3 de la página, «Formularios»: los formularios de seguimiento de las unidades, como
`informe-poa formularios` y `informe-poa recoger` (docs/formularios.md): escribirlos y
bajarlos como ZIP, subir los que devuelven las unidades, ver el registro de recepción y bajar
el libro recogido.

Todo queda en la carpeta de la entidad, donde lo pone `formularios.carpetas`. Cada vez que
se recoge se reemplaza el libro recogido (una ronda nueva, `formularios.rondas`). Este paso
sólo muestra: lo que hace está en el paquete `helpers.formularios`.
"""
from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from helpers.pagina import descargas
from helpers.pagina.espacio import EXTENSIONES_LIBRO, guardar_subida
from helpers.pagina.piezas import (
    Sesion,
    aviso,
    boton,
    enlace,
    parametros_de_la_entidad,
    sin_traza,
    tabla,
)
from helpers.pagina.revision_formularios import PanelRevision

__all__ = ["PasoFormularios"]

# Las columnas del registro de recepción que muestra la página.
_REGISTRO = {"codigo_unidad": "Unidad", "archivo": "Archivo", "fecha": "Recibido",
             "estado": "Estado", "motivo": "Motivo"}


class PasoFormularios:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.escribir = boton("Escribir los formularios", primario=True)
        self.subir = widgets.FileUpload(description="Subir formularios devueltos",
                                        accept=",".join(EXTENSIONES_LIBRO), multiple=True,
                                        layout=widgets.Layout(width="20em"))
        self.recoger = boton("Recoger en un libro", primario=True)
        self.salida = widgets.HTML()
        self.registro = widgets.HTML()
        self.revision = PanelRevision(sesion, self._rutas_si_hay)
        self.escribir.on_click(lambda _b: self.escribir_formularios())
        self.subir.observe(lambda _c: self.guardar_subidas(), names="value")
        self.recoger.on_click(lambda _b: self.recoger_formularios())
        self.vista = widgets.VBox([
            widgets.HTML("Con los parámetros de un informe trimestral que tengan la clave "
                         "<code>recepcion</code>."),
            parametros_de_la_entidad(sesion),
            widgets.HBox([self.escribir, self.subir, self.recoger]), self.salida,
            self.registro, self.revision.vista])
        sesion.observe(lambda _c: self.revision.actualizar(), names=["parametros"])
        self.revision.actualizar()

    def _rutas_si_hay(self) -> tuple[Path, Path, Path] | None:
        """Las carpetas del paso, sin avisar si falta la entidad o los parámetros."""
        if self.sesion.entidad is None or self.sesion.parametros is None:
            return None
        return self._rutas()

    def _rutas(self) -> tuple[Path, Path, Path] | None:
        from helpers.formularios.carpetas import carpetas

        entidad, params = self.sesion.ruta("entidad"), self.sesion.ruta("parametros")
        if entidad is None or params is None:
            self.salida.value = aviso("Abra primero la carpeta de una entidad y elija sus "
                                      "parámetros.", "advertencia")
            return None
        fuera = self.sesion.espacio.fuera(params)
        if fuera:
            self.salida.value = aviso("; ".join(fuera).capitalize() + ".", "error")
            return None
        espacio = self.sesion.espacio
        return tuple(espacio.ruta(ruta, que) for ruta, que in zip(
            carpetas(entidad, params), ("la carpeta de los formularios",
                                        "la carpeta de los formularios devueltos",
                                        "el libro recogido"), strict=True))

    def escribir_formularios(self) -> None:
        from helpers.formularios.envio import formularios_de

        with sin_traza(self.salida, "No se escribieron los formularios"):
            rutas = self._rutas()
            if rutas is None:
                return
            destino = rutas[0]
            if not (destino.is_dir() and any(destino.iterdir())):
                formularios_de(self.sesion.ruta("parametros"), destino)
            cuantos = len(list(destino.glob("*.xlsx")))
            self.salida.value = aviso(f"{cuantos} formularios en {destino.name}, uno por unidad "
                                      "con operaciones.", "exito") + (
                '<div class="ipoa-enlaces">' + enlace(
                    descargas.ZIP, self.sesion.espacio.relativa(destino),
                    "Descargar los formularios (ZIP)") + "</div>")

    def guardar_subidas(self) -> None:
        if not self.subir.value:
            return
        with sin_traza(self.salida, "No se guardaron los formularios subidos"):
            rutas = self._rutas()
            if rutas is None:
                return
            guardados = [guardar_subida(rutas[1], a["name"], bytes(a["content"])).name
                         for a in self.subir.value]
            self.salida.value = aviso(f"Guardados en {rutas[1].name}: {', '.join(guardados)}. "
                                      "Recójalos cuando estén todos.", "exito")
        self.subir.value = ()

    def recoger_formularios(self) -> None:
        from helpers.formularios.recogida import recoger

        with sin_traza(self.salida, "No se recogieron los formularios"):
            rutas = self._rutas()
            if rutas is None:
                return
            rutas[1].mkdir(parents=True, exist_ok=True)
            # recoger lee cada formulario y el recepcion.csv de la carpeta, y escribe junto al
            # libro recogido su recepcion.csv y las copias marcadas: ninguno por un enlace
            # hacia afuera.
            for devuelto in rutas[1].iterdir():
                self.sesion.espacio.ruta(devuelto, "el archivo devuelto")
            if rutas[2].parent.is_dir():
                for junto in rutas[2].parent.iterdir():
                    self.sesion.espacio.ruta(junto, "el archivo junto al libro recogido")
            recogida = recoger(self.sesion.ruta("parametros"), rutas[1], rutas[2],
                               reemplazar=True)
            self.registro.value = tabla(_registro(recogida.registro), _REGISTRO)
            if recogida.libro is None:
                self.salida.value = aviso("Ningún formulario cuenta: no se escribió el libro "
                                          "recogido.", "error")
                return
            espacio = self.sesion.espacio
            enlaces = [enlace(descargas.DESCARGAR, espacio.relativa(recogida.libro),
                              f"Descargar el libro recogido ({recogida.libro.name})")]
            enlaces += [enlace(descargas.DESCARGAR, espacio.relativa(c), f"Copia marcada: {c.name}")
                        for c in recogida.revisados]
            self.revision.actualizar()
            self.salida.value = aviso(
                f"Ronda {recogida.ronda}: {len(recogida.cuentan())} formularios recogidos. "
                "Para el informe, use este libro en la clave datos de los parámetros.",
                "exito") + '<div class="ipoa-enlaces">' + " ".join(enlaces) + "</div>"


def _registro(registro: pd.DataFrame) -> pd.DataFrame:
    """El registro con las columnas que muestra la página (las que tenga)."""
    vista = registro.copy()
    for columna in _REGISTRO:
        if columna not in vista:
            vista[columna] = ""
    return vista
