"""Paso 2 de la página, «Revisar el libro»: elegir un libro de la entidad o subir uno, y
revisarlo como `informe-poa validar` (`helpers.revision.revisar`): los errores y las
advertencias en dos tablas que se filtran por hoja y por texto y se ordenan, y la copia con
las celdas marcadas para bajar (`salida.libro_revisado`).

Un libro subido se guarda en la carpeta `subidos/` de la entidad, con su nombre saneado y sin
reemplazar otro (`espacio.guardar_subida`).
"""
from __future__ import annotations

import ipywidgets as widgets

from helpers.comun.numeros import formatear_entero
from helpers.pagina import descargas, problemas
from helpers.pagina.espacio import EXTENSIONES_LIBRO, guardar_subida, libros_de
from helpers.pagina.piezas import Sesion, aviso, boton, enlace, sin_traza

__all__ = ["SUBIDOS", "PasoLibro", "TablaDeProblemas"]

SUBIDOS = "subidos"


class TablaDeProblemas:
    """Una tabla de problemas (los errores o las advertencias) con su filtro y su orden."""

    def __init__(self, titulo: str, clase: str):
        self.titulo, self.clase = titulo, clase
        self.filas = problemas.tabla_vacia()
        self.hoja = widgets.Dropdown(description="Hoja", options=[problemas.TODAS])
        self.texto = widgets.Text(description="Buscar", placeholder="código, columna, valor…")
        self.orden = widgets.Dropdown(description="Ordenar por", options=list(problemas.ORDENES))
        self.cuadro = widgets.HTML()
        for control in (self.hoja, self.texto, self.orden):
            control.observe(lambda _c: self.mostrar(), names="value")
        self.vista = widgets.VBox([widgets.HBox([self.hoja, self.texto, self.orden]),
                                   self.cuadro])

    def poner(self, filas) -> None:
        self.filas = filas
        self.hoja.options = problemas.hojas(filas)
        self.hoja.value = problemas.TODAS
        self.mostrar()
        self.vista.layout.display = None if len(filas) else "none"

    def mostrar(self) -> None:
        vista = problemas.filtrar(self.filas, hoja=self.hoja.value, texto=self.texto.value,
                                  orden=self.orden.value)
        cuantos = f"{formatear_entero(len(vista))} de {formatear_entero(len(self.filas))}"
        self.cuadro.value = (f"<b>{self.titulo}</b> ({cuantos})"
                             + problemas.tabla_html(vista, f"ipoa-tabla {self.clase}"))


class PasoLibro:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self._listando = False
        self.libros = widgets.Dropdown(description="Libro", options=[],
                                       layout=widgets.Layout(width="32em"))
        self.subir = widgets.FileUpload(description="Subir un libro (.xlsx)",
                                        accept=",".join(EXTENSIONES_LIBRO), multiple=False,
                                        layout=widgets.Layout(width="16em"))
        self.revisar = boton("Revisar el libro", primario=True)
        self.salida = widgets.HTML()
        self.errores = TablaDeProblemas("Errores (hay que corregirlos para generar el informe)",
                                        "ipoa-errores")
        self.advertencias = TablaDeProblemas("Advertencias (no impiden generar el informe)",
                                             "ipoa-advertencias")
        self.subir.observe(lambda _c: self.guardar_subida(), names="value")
        self.revisar.on_click(lambda _b: self.revisar_libro())
        self.libros.observe(self._elegido, names="value")
        sesion.observe(lambda _c: self.listar(), names=["entidad", "libro", "carpeta"])
        self.vista = widgets.VBox([
            widgets.HBox([self.libros, self.subir]), widgets.HBox([self.revisar]), self.salida,
            self.errores.vista, self.advertencias.vista])
        self.errores.poner(problemas.tabla_vacia())
        self.advertencias.poner(problemas.tabla_vacia())
        self.listar()

    def listar(self) -> None:
        carpeta = self.sesion.ruta("entidad")
        espacio = self.sesion.espacio
        # Un libro que es un enlace hacia afuera no se ofrece.
        opciones = [espacio.relativa(libro) for libro in libros_de(carpeta)
                    if espacio.contiene(libro)] if carpeta else []
        elegido = self.sesion.libro
        if elegido and elegido not in opciones:
            opciones.append(elegido)
        # Cambiar las opciones de un desplegable elige la primera: eso no es una elección del
        # planificador y no cambia el libro de la sesión (la segunda subida se revisaría mal).
        self._listando = True
        try:
            self.libros.options = opciones
            self.libros.value = elegido if elegido in opciones else None
        finally:
            self._listando = False

    def _elegido(self, cambio) -> None:
        if cambio["new"] is not None and not self._listando:
            self.sesion.libro = cambio["new"]

    def guardar_subida(self) -> None:
        if not self.subir.value:
            return
        archivo = self.subir.value[0]
        carpeta = self.sesion.ruta("entidad")
        if carpeta is None:
            self.salida.value = aviso("Abra o cree primero la carpeta de la entidad (paso 1): "
                                      "el libro se guarda en ella.", "advertencia")
            return
        with sin_traza(self.salida, "No se guardó el libro subido"):
            subidos = self.sesion.espacio.ruta(carpeta / SUBIDOS, "la carpeta de las subidas")
            ruta = guardar_subida(subidos, archivo["name"], bytes(archivo["content"]))
            self.sesion.libro = self.sesion.espacio.relativa(ruta)
            self.salida.value = aviso(f"Libro guardado como {self.sesion.libro}. Revíselo.",
                                      "exito")
        self.subir.value = ()

    def revisar_libro(self) -> None:
        from helpers.revision import revisar
        from helpers.salida.libro_revisado import escribir_revisado, ruta_revisado

        libro = self.sesion.ruta("libro")
        if libro is None:
            self.salida.value = aviso("Elija o suba un libro primero.", "advertencia")
            return
        with sin_traza(self.salida, "No se revisó el libro"):
            # La copia marcada va junto al libro: su nombre tampoco puede llevar afuera.
            destino = self.sesion.espacio.ruta(ruta_revisado(libro), "la copia revisada")
            revision = revisar(libro)
            copia = escribir_revisado(revision, destino)
            filas = problemas.tabla(revision)
            self.errores.poner(filas[filas["clase"] == "error"])
            self.advertencias.poner(filas[filas["clase"] == "advertencia"])
            clase = "error" if revision.errores else "exito"
            texto = aviso("\n".join(problemas.resumen(revision)), clase)
            if copia is not None:
                texto += ('<div class="ipoa-enlaces">' + enlace(
                    descargas.DESCARGAR, self.sesion.espacio.relativa(copia),
                    f"Descargar la copia con las celdas marcadas ({copia.name})") + "</div>")
            self.salida.value = texto
