"""El tablero de la revisión, en el paso «Formularios» de la página (docs/formularios.md, «La
revisión»): las unidades del libro recogido con su estado, su ronda, sus observaciones por
devolver y sus evidencias, con un filtro; las observaciones de una unidad, que el planificador
confirma, reescribe, descarta o agrega; y los botones para devolver las observadas (un ZIP con
los formularios marcados) y aceptar una unidad. Lo que hace está en `helpers.formularios`
(`tablero`, `devolucion`); aquí sólo se muestra.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from helpers.entrada.contrato import ESTADOS_REVISION
from helpers.formularios.observaciones import REGLAS
from helpers.pagina import descargas
from helpers.pagina.piezas import Sesion, aviso, boton, enlace, sin_traza, tabla
from helpers.redaccion.analisis import contar

__all__ = ["PanelRevision"]

_TABLERO = {"codigo_unidad": "Unidad", "revision": "Revisión", "ronda": "Ronda",
            "archivo": "Archivo", "pendientes": "Observaciones por devolver",
            "devueltas": "Devueltas", "evidencias": "Evidencias",
            "plazo_correccion": "Plazo para corregir"}
_FILTROS = [("Todas", ""), ("Con observaciones por devolver", "pendientes"),
            *[(estado.capitalize(), estado) for estado in ESTADOS_REVISION]]
# Lo que el planificador elige para una observación; una devuelta ya no cambia.
_ELEGIBLES = ("propuesta", "confirmada", "descartada")


class PanelRevision:
    """`rutas` da las carpetas del paso (formularios, recibidos, libro recogido) o None."""

    def __init__(self, sesion: Sesion, rutas: Callable[[], tuple[Path, Path, Path] | None]):
        self.sesion, self.rutas = sesion, rutas
        self.filtro = widgets.Dropdown(description="Mostrar", options=_FILTROS, value="",
                                       layout=widgets.Layout(width="28em"))
        self.tablero = widgets.HTML()
        self.unidad = widgets.Dropdown(description="Unidad", options=[])
        self.detalle = widgets.VBox()
        self.operacion = widgets.Dropdown(description="Operación", options=[])
        self.mensaje = widgets.Text(description="Observación",
                                    placeholder="Qué debe revisar la unidad",
                                    style={"description_width": "initial"},
                                    layout=widgets.Layout(width="36em"))
        self.agregar = boton("Agregar la observación")
        self.guardar = boton("Guardar las observaciones")
        self.aceptar = boton("Aceptar la unidad")
        self.devolver = boton("Devolver las observadas", primario=True)
        self.salida = widgets.HTML()
        self.controles: dict[int, tuple[widgets.Dropdown, widgets.Text]] = {}
        self.filtro.observe(lambda _c: self.actualizar(), names="value")
        self.unidad.observe(lambda _c: self.mostrar_unidad(), names="value")
        self.agregar.on_click(lambda _b: self.agregar_observacion())
        self.guardar.on_click(lambda _b: self.guardar_observaciones())
        self.aceptar.on_click(lambda _b: self.aceptar_unidad())
        self.devolver.on_click(lambda _b: self.devolver_observadas())
        self.vista = widgets.VBox([
            widgets.HTML("<b>Revisión de los formularios recogidos</b>"),
            self.filtro, self.tablero, self.unidad, self.detalle,
            widgets.HBox([self.operacion, self.mensaje, self.agregar]),
            widgets.HBox([self.guardar, self.aceptar, self.devolver]), self.salida],
            layout=widgets.Layout(display="none"))
        self.vista.add_class("ipoa-panel-revision")

    # --- Dónde está lo que se revisa ------------------------------------------------------

    def _carpeta(self) -> Path | None:
        """La carpeta del libro recogido, con cada cosa suya dentro de la carpeta de trabajo;
        None si todavía no se recogió."""
        rutas = self.rutas()
        if rutas is None or not rutas[2].is_file():
            return None
        carpeta = rutas[2].parent
        for junto in carpeta.iterdir():
            self.sesion.espacio.ruta(junto, "el archivo junto al libro recogido")
        return carpeta

    def _trimestre(self) -> int:
        from helpers.formularios.envio import parametros_de_seguimiento

        return parametros_de_seguimiento(self.sesion.ruta("parametros")).trimestre_corte

    # --- Lo que se muestra ----------------------------------------------------------------

    def actualizar(self) -> None:
        """El tablero de nuevo, con el filtro elegido; sin libro recogido, el panel no se ve."""
        from helpers.formularios.tablero import filtrar, tablero

        with sin_traza(self.salida, "No se mostró la revisión"):
            carpeta = self._carpeta() if self.sesion.ruta("parametros") else None
            self.vista.layout.display = "none" if carpeta is None else "flex"
            if carpeta is None:
                return
            filas = filtrar(tablero(carpeta, self._trimestre()), self.filtro.value)
            self.tablero.value = (tabla(filas, _TABLERO, "ipoa-revision") if not filas.empty
                                  else aviso("Ninguna unidad con ese filtro."))
            elegida = self.unidad.value
            self.unidad.options = list(filas["codigo_unidad"])
            opciones = self.unidad.options
            self.unidad.value = (elegida if elegida in opciones
                                 else opciones[0] if opciones else None)
            self.mostrar_unidad()

    def mostrar_unidad(self) -> None:
        from helpers.formularios.tablero import observaciones_de, operaciones_de

        unidad = self.unidad.value
        self.controles = {}
        with sin_traza(self.salida, "No se mostraron las observaciones"):
            carpeta = self._carpeta()
            if carpeta is None or unidad is None:
                self.detalle.children = ()
                return
            filas = []
            for fila in observaciones_de(carpeta, unidad).itertuples():
                filas.append(self._fila(fila))
            self.detalle.children = filas or [widgets.HTML(aviso(
                f"La unidad {unidad} no tiene observaciones.", "exito"))]
            self.operacion.options = operaciones_de(carpeta, unidad, self._trimestre())
            if self.operacion.options:
                self.operacion.value = self.operacion.options[0]

    def _fila(self, fila) -> widgets.HBox:
        """Una observación: lo que la levantó, su estado (que se elige) y su mensaje."""
        devuelta = fila.estado not in _ELEGIBLES
        estado = widgets.Dropdown(options=_ELEGIBLES if not devuelta else [fila.estado],
                                  value=fila.estado, disabled=devuelta,
                                  layout=widgets.Layout(width="10em"))
        mensaje = widgets.Text(value=fila.mensaje, disabled=devuelta,
                               layout=widgets.Layout(width="40em"))
        estado.add_class("ipoa-estado")
        mensaje.add_class("ipoa-mensaje")
        if not devuelta:
            self.controles[int(fila.fila)] = (estado, mensaje)
        regla = REGLAS.get(fila.regla, "del planificador")
        origen = " · ".join(filter(None, [fila.codigo_operacion, regla, fila.columna,
                                          fila.valor]))
        return widgets.HBox([widgets.HTML(f'<span class="ipoa-origen">Ronda {fila.ronda}: '
                                          f"{html.escape(origen)}</span>",
                                          layout=widgets.Layout(width="24em")),
                             estado, mensaje])

    # --- Lo que decide el planificador ----------------------------------------------------

    def guardar_observaciones(self) -> None:
        from helpers.formularios.tablero import guardar_observaciones

        with sin_traza(self.salida, "No se guardaron las observaciones"):
            carpeta = self._carpeta()
            if carpeta is None:
                return
            n = guardar_observaciones(carpeta, {fila: (e.value, m.value)
                                                for fila, (e, m) in self.controles.items()})
            self.actualizar()
            self.salida.value = aviso(
                f"{n} {'observación guardada' if n == 1 else 'observaciones guardadas'} en "
                "observaciones.csv.", "exito")

    def agregar_observacion(self) -> None:
        from helpers.formularios.tablero import agregar_observacion

        with sin_traza(self.salida, "No se agregó la observación"):
            carpeta = self._carpeta()
            if carpeta is None or self.unidad.value is None:
                return
            agregar_observacion(carpeta, self.unidad.value, self.operacion.value or "",
                                self.mensaje.value, self._trimestre())
            self.mensaje.value = ""
            self.actualizar()
            self.salida.value = aviso("Observación agregada.", "exito")

    def aceptar_unidad(self) -> None:
        from helpers.formularios.devolucion import aceptar

        with sin_traza(self.salida, "No se aceptó la unidad"):
            carpeta = self._carpeta()
            if carpeta is None or self.unidad.value is None:
                return
            hecho = aceptar(self.sesion.ruta("parametros"), carpeta, [self.unidad.value])
            self.actualizar()
            ((unidad, antes, despues),) = hecho.unidades
            self.salida.value = aviso(f"{unidad}: {antes} → {despues}.", "exito")

    def devolver_observadas(self) -> None:
        from helpers.formularios.devolucion import devolver

        with sin_traza(self.salida, "No se devolvieron los formularios"):
            carpeta = self._carpeta()
            if carpeta is None:
                return
            devueltos = devolver(self.sesion.ruta("parametros"), carpeta, reemplazar=True)
            self.actualizar()
            if not devueltos.formularios:
                self.salida.value = aviso("Ninguna unidad tiene observaciones por devolver.")
                return
            n = len(devueltos.formularios)
            relativa = self.sesion.espacio.relativa(devueltos.carpeta)
            self.salida.value = aviso(
                f"{n} {'formulario devuelto' if n == 1 else 'formularios devueltos'} con "
                f"{contar(devueltos.observaciones, 'observación', 'observaciones')}; plazo para "
                "corregir: "
                f"{devueltos.plazo:%d/%m/%Y}.", "exito") + (
                '<div class="ipoa-enlaces">' + enlace(
                    descargas.ZIP, relativa, "Descargar los formularios devueltos (ZIP)")
                + "</div>")
