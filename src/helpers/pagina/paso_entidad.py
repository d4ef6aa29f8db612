"""Paso 1 de la página, «Entidad»: abrir la carpeta de una entidad de la carpeta de trabajo,
o crear una nueva con lo mismo que `informe-poa nuevo` (`entrada.entidad_nueva`), y bajar la
plantilla vacía del libro del POA (`entrada.plantilla`).

Abrir una entidad elige para los demás pasos su primer archivo de parámetros y el libro que
esos parámetros nombran (`Sesion`).
"""
from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import ipywidgets as widgets
import yaml

from helpers.pagina import descargas
from helpers.pagina.espacio import libros_de, parametros_de
from helpers.pagina.piezas import Sesion, aviso, boton, enlace, sin_traza

__all__ = ["PasoEntidad", "nombre_de_carpeta"]

# Cómo se nombra en la lista una entidad cuya carpeta es la carpeta de trabajo misma.
RAIZ_DEL_ESPACIO = "La carpeta de trabajo misma"


def nombre_de_carpeta(relativa: str) -> str:
    return relativa or RAIZ_DEL_ESPACIO


def etiqueta_de_la_entidad(relativa: str, carpeta: Path) -> str:
    """Cómo se lista una entidad: su carpeta y el nombre y la sigla que dicen sus parámetros
    ('POA2025 — Entidad de prueba (EP)')."""
    nombre = nombre_de_carpeta(relativa)
    for params in parametros_de(carpeta)[:1]:
        try:
            entidad = yaml.safe_load(params.read_text(encoding="utf-8")).get("entidad")
            quien = f"{entidad['nombre']} ({entidad['sigla']})"
        except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError, KeyError,
                TypeError):
            continue
        return f"{nombre} — {quien}"
    return nombre


def libro_de_los_parametros(params: Path) -> Path | None:
    """El libro que nombran los parámetros (`datos`), si existe; None si no o si los
    parámetros no se pueden leer."""
    from helpers.entrada.errores import ErrorDeEntrada
    from helpers.entrada.parametros import cargar_parametros

    try:
        libro = Path(cargar_parametros(params).ruta_datos)
    except ErrorDeEntrada:
        return None
    return libro if libro.is_file() else None


class PasoEntidad:
    """Los widgets del paso y lo que hacen; `vista` es lo que se muestra."""

    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.entidades = widgets.Dropdown(description="Entidad", options=[],
                                          layout=widgets.Layout(width="32em"))
        self.abrir = boton("Abrir", primario=True)
        self.actualizar = boton("Buscar de nuevo")
        self.carpeta = widgets.Text(description="Carpeta", placeholder="POA2025")
        self.nombre = widgets.Text(description="Entidad", placeholder="Nombre completo",
                                   layout=widgets.Layout(width="32em"))
        self.sigla = widgets.Text(description="Sigla", placeholder="XYZ")
        self.gestion = widgets.BoundedIntText(description="Gestión", value=dt.date.today().year,
                                              min=2000, max=2100)
        self.crear = boton("Crear la carpeta", primario=True)
        self.plantilla = boton("Plantilla vacía del libro")
        self.salida = widgets.HTML()
        self.abrir.on_click(lambda _b: self.abrir_entidad())
        self.actualizar.on_click(lambda _b: self.buscar())
        self.crear.on_click(lambda _b: self.crear_entidad())
        self.plantilla.on_click(lambda _b: self.escribir_plantilla())
        self.vista = widgets.VBox([
            widgets.HTML("<b>Abrir la carpeta de una entidad</b>"),
            widgets.HBox([self.entidades, self.abrir, self.actualizar]),
            widgets.HTML("<b>O crear la carpeta de una entidad nueva</b> (la plantilla del "
                         "libro, un archivo de parámetros por tipo de informe y un LEEME)"),
            self.carpeta, self.nombre, self.sigla, self.gestion,
            widgets.HBox([self.crear, self.plantilla]),
            self.salida,
        ])
        self.buscar()

    def buscar(self) -> None:
        espacio = self.sesion.espacio
        opciones = [(etiqueta_de_la_entidad(espacio.relativa(c), c), espacio.relativa(c))
                    for c in espacio.entidades()]
        self.entidades.options = opciones
        if not opciones:
            self.salida.value = aviso("No hay carpetas de entidades en la carpeta de trabajo: "
                                      "cree una abajo.")
            return
        self.entidades.value = opciones[0][1]
        if len(opciones) == 1 and self.sesion.entidad is None:
            # Una sola entidad: la página empieza con ella abierta.
            self.abrir_entidad()

    def abrir_entidad(self, relativa: str | None = None) -> None:
        relativa = self.entidades.value if relativa is None else relativa
        if relativa is None:
            self.salida.value = aviso("Elija una entidad de la lista.", "advertencia")
            return
        with sin_traza(self.salida, "No se abrió la entidad"):
            carpeta = self.sesion.espacio.ruta(relativa)
            params = parametros_de(carpeta)
            libro = libro_de_los_parametros(params[0]) if params else None
            if libro is None or carpeta not in Path(os.path.realpath(libro)).parents:
                libros = libros_de(carpeta)
                libro = libros[0] if libros else None
            self.sesion.entidad = relativa
            self.sesion.parametros = self.sesion.espacio.relativa(params[0]) if params else None
            self.sesion.libro = self.sesion.espacio.relativa(libro) if libro else None
            self.salida.value = self._contenido(carpeta, params, libro)

    def _contenido(self, carpeta: Path, params: list[Path], libro: Path | None) -> str:
        espacio = self.sesion.espacio
        lineas = [aviso(f"Entidad abierta: {nombre_de_carpeta(espacio.relativa(carpeta))}.",
                        "exito")]
        archivos = ([libro] if libro else []) + params + [
            p for p in (carpeta / "LEEME.md",) if p.is_file()]
        enlaces = [enlace(descargas.DESCARGAR, espacio.relativa(a), a.name) for a in archivos]
        if enlaces:
            lineas.append('<div class="ipoa-enlaces">Sus archivos: ' + " ".join(enlaces)
                          + "</div>")
        return "".join(lineas)

    def crear_entidad(self) -> None:
        from helpers.entrada.entidad_nueva import PedidoNoValido, escribir_entidad_nueva
        from helpers.salida.word.membrete import membrete_si_falta

        if not self.carpeta.value.strip():
            self.salida.value = aviso("Escriba el nombre de la carpeta nueva (se crea dentro "
                                      "de la carpeta de trabajo).", "advertencia")
            return
        with sin_traza(self.salida, "No se creó la carpeta"):
            destino = self.sesion.espacio.ruta(self.carpeta.value.strip())
            try:
                nueva = escribir_entidad_nueva(destino, entidad=self.nombre.value,
                                               sigla=self.sigla.value,
                                               gestion=self.gestion.value)
                membrete_si_falta(nueva.carpeta)
            except PedidoNoValido as error:
                self.salida.value = aviso(f"No se creó la carpeta: {error}.", "error")
                return
            relativa = self.sesion.espacio.relativa(nueva.carpeta)
            self.buscar()
            self.entidades.value = relativa
            self.abrir_entidad(relativa)
            self.salida.value = aviso(
                f"Carpeta de {self.nombre.value.strip()} creada. Siguiente paso: baje el "
                f"libro {nueva.libro.name}, llénelo en Excel o LibreOffice y súbalo en «Revisar "
                "el libro».", "exito") + self.salida.value

    def gestion_de_la_entidad(self) -> int | None:
        """La gestión de la entidad abierta: la de sus parámetros elegidos o, si no se leen,
        la del primero de su carpeta que la diga; None sin entidad abierta."""
        candidatos = [self.sesion.ruta("parametros")] if self.sesion.parametros else []
        carpeta = self.sesion.ruta("entidad")
        candidatos += parametros_de(carpeta) if carpeta else []
        for params in candidatos:
            try:
                gestion = yaml.safe_load(params.read_text(encoding="utf-8")).get("gestion")
            except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError):
                continue
            if isinstance(gestion, int) and not isinstance(gestion, bool):
                return gestion
        return None

    def escribir_plantilla(self) -> None:
        """El enlace a la plantilla vacía del libro de la gestión de la entidad abierta (sin
        entidad, la del campo «Gestión»): se escribe al bajarla, en una carpeta temporal
        (`descargas.Plantilla`); nada queda en la carpeta de la entidad."""
        gestion = self.gestion_de_la_entidad() or self.gestion.value
        nombre = f"plantilla-poa-{gestion}.xlsx"
        href = html.escape(f"{descargas.PLANTILLA}/{gestion}", quote=True)
        self.salida.value = aviso(f"Plantilla vacía del libro del POA de la gestión "
                                  f"{gestion}:") + (
            f'<div class="ipoa-enlaces"><a href="{href}" download="{nombre}">'
            f"{html.escape(nombre)}</a></div>")
