"""Paso 6 de la página, «Informes»: los informes de la carpeta de trabajo, el más reciente
primero, con su entidad, periodo y fecha; cada uno se abre (PDF, HTML) o se baja (anexo,
tablas CSV, la carpeta entera como ZIP), y se verifica como `informe-poa verificar
--sin-cuadernos` (`helpers.pagina.informes`).

«Verificar» es esa verificación rápida; «Verificación completa», `informe-poa verificar`
entera (los cuadernos ejecutados otra vez). La página dice lo que cubre cada una.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from helpers.pagina import descargas
from helpers.pagina.informes import QUE_CUBRE, Informe, estado_de_verificacion, informes
from helpers.pagina.piezas import Sesion, aviso, boton, enlace

__all__ = ["PasoInformes"]

_SIN_VERIFICAR = "sin verificar"
_ARCHIVOS = {"informe.pdf": ((descargas.VER, "PDF"),),
             "informe.html": ((descargas.VER, "HTML"),),
             "anexo.xlsx": ((descargas.DESCARGAR, "anexo"),)}


class PasoInformes:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.lista: list[Informe] = []
        self.verificaciones: dict[str, str] = {}
        self.actualizar = boton("Buscar de nuevo")
        self.elegido = widgets.Dropdown(description="Informe", options=[],
                                        layout=widgets.Layout(width="32em"))
        self.verificar = boton("Verificar")
        self.verificar_todo = boton("Verificación completa")
        self.cuadro = widgets.HTML()
        self.actualizar.on_click(lambda _b: self.buscar())
        self.verificar.on_click(lambda _b: self.verificar_elegido())
        self.verificar_todo.on_click(lambda _b: self.verificar_elegido(completa=True))
        self.vista = widgets.VBox([widgets.HBox([self.actualizar]), self.cuadro,
                                   widgets.HBox([self.elegido, self.verificar,
                                                 self.verificar_todo]),
                                   widgets.HTML(f"<p>{html.escape(QUE_CUBRE)}</p>")])
        self.buscar()

    def buscar(self) -> None:
        self.lista = informes(self.sesion.espacio)
        legibles = [i for i in self.lista if not i.problema]
        self.elegido.options = [(f"{i.relativa} — {i.periodo}", i.relativa) for i in legibles]
        self.elegido.value = legibles[0].relativa if legibles else None
        self.mostrar()

    def verificar_elegido(self, completa: bool = False) -> None:
        informe = next((i for i in self.lista if i.relativa == self.elegido.value), None)
        if informe is None:
            return
        self.verificaciones[informe.relativa] = (
            "verificando: se ejecuta otra vez cada cuaderno (unos minutos)…" if completa
            else "verificando…")
        self.mostrar()
        self.verificaciones[informe.relativa] = estado_de_verificacion(informe.carpeta,
                                                                      completa)
        self.mostrar()

    def mostrar(self) -> None:
        if not self.lista:
            self.cuadro.value = aviso("Todavía no hay informes en la carpeta de trabajo: "
                                      "genere uno en el paso «Generar».")
            return
        titulos = ("Entidad", "Informe", "Periodo", "Generado", "Carpeta", "Verificación",
                   "Abrir o descargar")
        filas = "".join(self._fila(i) for i in self.lista)
        self.cuadro.value = ('<table class="ipoa-tabla ipoa-informes"><thead><tr>'
                             + "".join(f"<th>{t}</th>" for t in titulos)
                             + f"</tr></thead><tbody>{filas}</tbody></table>")

    def _fila(self, informe: Informe) -> str:
        if informe.problema:
            # Una carpeta que no se puede leer: se dice por qué, y se baja para mirarla.
            celdas = (f'<td colspan="4">{html.escape(informe.problema)}</td>'
                      f"<td>{html.escape(informe.relativa or '.')}</td><td>—</td>")
            return (f'<tr class="ipoa-ilegible">{celdas}<td class="ipoa-enlaces">'
                    f'{enlace(descargas.ZIP, informe.relativa or ".", "carpeta (ZIP)")}</td></tr>')
        textos = (informe.entidad, informe.tipo, informe.periodo, informe.fecha,
                  informe.relativa or ".",
                  self.verificaciones.get(informe.relativa, _SIN_VERIFICAR))
        celdas = "".join(f"<td>{html.escape(t)}</td>" for t in textos)
        return f"<tr>{celdas}<td class=\"ipoa-enlaces\">{self._enlaces(informe)}</td></tr>"

    @staticmethod
    def _enlaces(informe: Informe) -> str:
        enlaces = [enlace(accion, unir(informe.relativa, nombre), texto)
                   for nombre in informe.archivos for accion, texto in _ARCHIVOS[nombre]]
        enlaces.append(enlace(descargas.ZIP, informe.relativa or ".", "carpeta (ZIP)"))
        tablas = " ".join(enlace(descargas.DESCARGAR, unir(informe.relativa, f"tablas/{t}"), t)
                          for t in informe.tablas)
        if tablas:
            enlaces.append(f"<details><summary>tablas CSV ({len(informe.tablas)})</summary>"
                           f"{tablas}</details>")
        return " ".join(enlaces)


def unir(carpeta: str, nombre: str) -> str:
    """La ruta de `nombre` dentro de `carpeta` (relativas a la carpeta de trabajo; '' es ella
    misma)."""
    return f"{carpeta}/{nombre}" if carpeta else nombre
