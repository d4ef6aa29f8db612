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

from helpers.entrada import parametros_en_formulario as pf
from helpers.pagina import descargas
from helpers.pagina.controles import (
    fecha_como_texto,
    leer_fecha,
    nombre_del_campo,
    para_el_formulario,
)
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
from helpers.redaccion.analisis import contar

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
        # El plazo de entrega, si los parámetros no lo tienen: se escribe aquí (o en el paso
        # «Parámetros») sin abrir el archivo.
        self.plazo = widgets.Text(description="Plazo de entrega", placeholder="dd/mm/aaaa",
                                  style={"description_width": "initial"})
        self.guardar_plazo = boton("Guardar el plazo")
        self.guardar_plazo.on_click(lambda _b: self.escribir_plazo())
        self.falta_plazo = widgets.HTML()
        self.fila_plazo = widgets.VBox([self.falta_plazo,
                                        widgets.HBox([self.plazo, self.guardar_plazo])])
        self.revision = PanelRevision(sesion, self._rutas_si_hay)
        self.escribir.on_click(lambda _b: self.escribir_formularios())
        self.subir.observe(lambda _c: self.guardar_subidas(), names="value")
        self.recoger.on_click(lambda _b: self.recoger_formularios())
        self.vista = widgets.VBox([
            widgets.HTML("Con los parámetros de un informe trimestral y el plazo de entrega "
                         "de los formularios (en «Parámetros», grupo «Recepción de los "
                         "formularios de las unidades»)."),
            parametros_de_la_entidad(sesion), self.fila_plazo,
            widgets.HBox([self.escribir, self.subir, self.recoger]), self.salida,
            self.registro, self.revision.vista])
        sesion.observe(lambda _c: self.revision.actualizar(), names=["parametros"])
        sesion.observe(lambda _c: self.mirar_plazo(), names=["parametros", "guardado"])
        self.revision.actualizar()
        self.mirar_plazo()

    def _sin_plazo(self):
        """Los parámetros elegidos si son de un trimestre y no dicen el plazo de entrega
        (`recepcion`); None si lo dicen, si no son de un trimestre o si tienen errores."""
        from helpers.entrada.errores import ErrorDeEntrada
        from helpers.entrada.parametros import cargar_parametros

        params = self.sesion.ruta("parametros")
        try:
            parametros = cargar_parametros(params) if params else None
        except (ErrorDeEntrada, OSError, ValueError):
            return None
        if (parametros is None or parametros.tipo.periodo != "trimestre"
                or parametros.recepcion is not None):
            return None
        return parametros

    def mirar_plazo(self) -> None:
        """Muestra el campo del plazo de entrega si los parámetros no lo tienen, con el que
        proponen los archivos en blanco."""
        from helpers.entrada.recepcion import plazo_de_ejemplo

        parametros = self._sin_plazo()
        self.fila_plazo.layout.display = None if parametros else "none"
        if parametros is None:
            return
        self.falta_plazo.value = aviso(
            "Falta el plazo de entrega de los formularios: cada formulario dice hasta cuándo "
            f"se entrega (no antes del corte, {parametros.fecha_corte:%d/%m/%Y}). Escríbalo y "
            "guárdelo.", "advertencia")
        self.plazo.value = fecha_como_texto(plazo_de_ejemplo(parametros.fecha_corte))

    def escribir_plazo(self) -> None:
        """Guarda el plazo escrito en los parámetros elegidos (sólo esa clave), con la
        misma revisión que el paso «Parámetros»."""
        params = self.sesion.ruta("parametros")
        if params is None:
            return
        with sin_traza(self.salida, "No se guardó el plazo"):
            documento = pf.abrir(params).con_cambios(
                {"recepcion.plazo": leer_fecha(self.plazo.value)})
            validacion = documento.validar()
            if not validacion.valido:
                self.salida.value = "".join(
                    aviso(f"No se guardó el plazo. {nombre_del_campo(p.columna)}: "
                          f"{para_el_formulario(p.mensaje)}", "error")
                    for p in validacion.errores)
                return
            documento.escribir()
            self.sesion.guardado += 1
            self.salida.value = aviso(f"Plazo guardado en {self.sesion.parametros}.", "exito")

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
        if self._sin_plazo() is not None:
            self.mirar_plazo()
            self.salida.value = aviso("Escriba primero el plazo de entrega de los "
                                      "formularios (arriba).", "advertencia")
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
            self.salida.value = aviso(f"{contar(cuantos, 'formulario', 'formularios')} en "
                                      f"{destino.name}, uno por unidad con operaciones.",
                                      "exito") + (
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
            recogidos = contar(len(recogida.cuentan()), "formulario recogido",
                               "formularios recogidos")
            self.salida.value = aviso(
                f"Ronda {recogida.ronda}: {recogidos}. Para el informe, elija este libro en "
                f"el campo «{pf.campo('datos').etiqueta}» del paso «Parámetros».",
                "exito") + '<div class="ipoa-enlaces">' + " ".join(enlaces) + "</div>"


def _registro(registro: pd.DataFrame) -> pd.DataFrame:
    """El registro con las columnas que muestra la página (las que tenga)."""
    vista = registro.copy()
    for columna in _REGISTRO:
        if columna not in vista:
            vista[columna] = ""
    return vista
