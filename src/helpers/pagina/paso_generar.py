"""Paso 5 de la página, «Generar»: el informe de los parámetros elegidos, con el mismo
ejecutor que la terminal (`helpers.pagina.corrida`), una barra que avanza sección por sección
y, al final, el mismo resumen que la terminal con las alertas primero.

Una sola corrida a la vez por carpeta de informe: si otra pestaña (u otra persona en esta
máquina) ya la empezó, este paso muestra su avance en lugar de empezar otra.
"""
from __future__ import annotations

import html
import threading
import time
from pathlib import Path

import ipywidgets as widgets

from helpers.comun.numeros import formatear_numero
from helpers.pagina import corrida, descargas
from helpers.pagina.piezas import (
    Sesion,
    aviso,
    boton,
    enlace,
    parametros_de_la_entidad,
    sin_traza,
)

__all__ = ["PasoGenerar", "alertas_primero"]

# Cada cuánto se lee el avance de una corrida en curso.
_CADA = 0.5


def alertas_primero(resumen: list[str]) -> list[str]:
    """Las líneas del resumen de la terminal (`consola.resumen`) con las de las alertas
    delante: lo primero que hay que leer."""
    desde = next((i for i, linea in enumerate(resumen) if linea.strip().startswith("Alertas:")),
                 None)
    if desde is None:
        return list(resumen)
    return [*resumen[desde:], *resumen[:desde]]


def segundos(valor: float | None) -> str:
    """Lo que tardó una sección; None: no se ejecutó, se tomó de la caché del informe."""
    return "de la caché" if valor is None else f"{formatear_numero(valor, 1)} s"


class PasoGenerar:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.parametros = parametros_de_la_entidad(sesion)
        self.generar = boton("Generar el informe", primario=True)
        self.barra = widgets.IntProgress(value=0, min=0, max=1, description="Secciones",
                                         layout=widgets.Layout(width="32em"))
        self.avance = widgets.HTML()
        self.salida = widgets.HTML()
        self._vigilante: threading.Thread | None = None
        self.generar.on_click(lambda _b: self.empezar())
        sesion.observe(lambda _c: self.mirar(), names=["parametros"])
        self.vista = widgets.VBox([widgets.HBox([self.parametros, self.generar]), self.barra,
                                   self.avance, self.salida])
        self.barra.layout.display = "none"
        self.mirar()

    def mirar(self) -> None:
        """Muestra la última corrida de los parámetros elegidos, y la sigue si está en curso."""
        params = self.sesion.ruta("parametros")
        estado = corrida.estado_de(params) if params else None
        self.mostrar(estado)
        if estado is not None and estado.en_curso_de_verdad():
            self._vigilar(params)

    def empezar(self) -> None:
        params = self.sesion.ruta("parametros")
        if params is None:
            self.salida.value = aviso("Elija un archivo de parámetros primero.", "advertencia")
            return
        with sin_traza(self.salida, "No se empezó el informe"):
            fuera = self.sesion.espacio.fuera(params)
            if fuera:
                self.salida.value = aviso("No se empezó el informe: " + "; ".join(fuera) + ".",
                                          "error")
                return
            try:
                estado = corrida.empezar(params)
            except corrida.CorridaEnCurso as error:
                estado = error.estado
                self.mostrar(estado)
                self.salida.value = aviso(str(error), "advertencia")
            else:
                self.mostrar(estado)
            self._vigilar(params)

    def _vigilar(self, params: Path) -> None:
        if self._vigilante is not None and self._vigilante.is_alive():
            return

        def vigilar() -> None:
            while True:
                time.sleep(_CADA)
                estado = corrida.estado_de(params)
                self.mostrar(estado)
                if estado is None or not estado.en_curso_de_verdad():
                    return

        self._vigilante = threading.Thread(target=vigilar, daemon=True)
        self._vigilante.start()

    def mostrar(self, estado: corrida.Estado | None) -> None:
        if estado is None:
            self.barra.layout.display = "none"
            self.avance.value = self.salida.value = ""
            self.generar.disabled = False
            return
        en_curso = estado.en_curso_de_verdad()
        self.generar.disabled = en_curso
        self.barra.layout.display = None
        self.barra.max = max(estado.total, 1)
        self.barra.value = estado.hechas
        self.barra.bar_style = {corrida.LISTA: "success", corrida.FALLIDA: "danger",
                                corrida.INTERRUMPIDA: "danger"}.get(estado.estado, "info")
        if not en_curso and not estado.total:
            # Terminó antes de las secciones (un error en los datos): no hay avance que
            # mostrar, sólo el mensaje.
            self.barra.layout.display = "none"
        self.avance.value = self._avance(estado, en_curso)
        self.salida.value = self._final(estado)
        if estado.estado == corrida.LISTA:
            # La lista de informes (paso 6) se actualiza sola con el informe nuevo.
            self.sesion.generado = f"{estado.salida}@{estado.inicio}"

    def _avance(self, estado: corrida.Estado, en_curso: bool) -> str:
        lineas = []
        if estado.total:
            lineas.append(f"{estado.hechas} de {estado.total} secciones")
        elif en_curso:
            lineas.append("Preparando los datos")
        if estado.en_curso and en_curso:
            lineas.append(f"En curso: {estado.en_curso}…")
        hechas = "".join(f"<li>{html.escape(titulo)} ({segundos(seg)})</li>"
                         for _pos, titulo, seg in estado.secciones)
        etapas = "".join(f"<li>{html.escape(e)}</li>" for e in estado.etapas)
        cabeza = aviso("\n".join(lineas)) if lineas else ""
        return (cabeza + (f"<details><summary>Etapas</summary><ul>{etapas}</ul></details>"
                          if etapas else "")
                + (f"<details><summary>Secciones terminadas</summary><ul>{hechas}</ul>"
                   "</details>" if hechas else ""))

    def _final(self, estado: corrida.Estado) -> str:
        if estado.estado == corrida.CORRIENDO:
            return aviso("Generando el informe: puede seguir en otros pasos o cerrar esta "
                         "pestaña; la corrida sigue y su avance se ve aquí al volver.")
        if estado.estado != corrida.LISTA:
            return aviso(estado.mensaje or "No se generó el informe.", "error")
        texto = aviso("\n".join(linea.strip() for linea in alertas_primero(estado.resumen)),
                      "exito")
        return texto + self._enlaces(Path(estado.salida))

    def _enlaces(self, salida: Path) -> str:
        espacio = self.sesion.espacio
        try:
            relativa = espacio.relativa(salida)
        except ValueError:
            return ""
        enlaces = []
        for nombre, accion, texto in (("informe.pdf", descargas.VER, "Abrir el PDF"),
                                      ("informe.pdf", descargas.DESCARGAR, "Descargar el PDF"),
                                      ("informe.html", descargas.VER, "Abrir el HTML"),
                                      ("informe.docx", descargas.DESCARGAR,
                                       "Descargar el Word"),
                                      ("anexo.xlsx", descargas.DESCARGAR, "Descargar el anexo")):
            if (salida / nombre).is_file():
                enlaces.append(enlace(accion, f"{relativa}/{nombre}", texto))
        enlaces.append(enlace(descargas.ZIP, relativa, "Descargar la carpeta (ZIP)"))
        return '<div class="ipoa-enlaces">' + " ".join(enlaces) + "</div>"
