"""Paso 6 de la página, «Informes»: los informes de la carpeta de trabajo, el más reciente
primero, con su entidad, periodo y fecha; cada uno se abre (PDF, HTML) o se baja (anexo,
tablas CSV, la carpeta entera como ZIP), y se verifica como `informe-poa verificar
--sin-cuadernos` (`helpers.pagina.informes`).

«Verificar» es esa verificación rápida; «Verificación completa», `informe-poa verificar`
entera (los cuadernos ejecutados otra vez). La página dice lo que cubre cada una.

«Comparar una copia editada» recibe un informe.docx editado en Word y lo compara con el
informe elegido (`informe-poa verificar --documento`, `helpers.salida.word.verificacion`):
la copia no se guarda en la carpeta de trabajo, sólo en una carpeta temporal privada
mientras se compara, después de medirla como cualquier subida (tamaño, «bomba zip»).
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path

import ipywidgets as widgets

from helpers.pagina import descargas
from helpers.pagina.espacio import LIMITE_LIBRO, SubidaNoValida, nombre_seguro
from helpers.pagina.informes import QUE_CUBRE, Informe, estado_de_verificacion, informes
from helpers.pagina.piezas import Sesion, aviso, boton, enlace, sin_traza

__all__ = ["PasoInformes"]

_SIN_VERIFICAR = "sin verificar"
_ARCHIVOS = {"informe.pdf": ((descargas.VER, "PDF"),),
             "informe.html": ((descargas.VER, "HTML"),),
             "informe.docx": ((descargas.DESCARGAR, "Word"),),
             "anexo.xlsx": ((descargas.DESCARGAR, "anexo"),),
             # Las diapositivas de la audiencia, en una rendición de cuentas.
             "presentacion.pdf": ((descargas.VER, "diapositivas"),),
             "presentacion.pptx": ((descargas.DESCARGAR, "PowerPoint"),)}


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
        self.copia = widgets.FileUpload(description="Comparar una copia editada (.docx)",
                                        accept=".docx", multiple=False,
                                        layout=widgets.Layout(width="24em"))
        self.copia.observe(lambda _c: self.comparar_copia(), names="value")
        self.comparacion = widgets.HTML()
        self.vista = widgets.VBox([widgets.HBox([self.actualizar]), self.cuadro,
                                   widgets.HBox([self.elegido, self.verificar,
                                                 self.verificar_todo, self.copia]),
                                   self.comparacion,
                                   widgets.HTML(f"<p>{html.escape(QUE_CUBRE)} "
                                                f"{html.escape(COPIA)}</p>")])
        sesion.observe(lambda _c: self.buscar(), names=["generado"])
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

    def comparar_copia(self) -> None:
        """La copia subida, comparada con el informe elegido; lo que se encontró, en una
        lista."""
        if not self.copia.value:
            return
        archivo = self.copia.value[0]
        informe = next((i for i in self.lista if i.relativa == self.elegido.value), None)
        self.copia.value = ()
        if informe is None:
            self.comparacion.value = aviso("Elija primero el informe con que se compara.",
                                           "advertencia")
            return
        with sin_traza(self.comparacion, "No se comparó la copia"):
            codigo, lineas = comparar_subida(informe.carpeta, archivo["name"],
                                             bytes(archivo["content"]),
                                             nombre_de_carpeta=informe.relativa or ".")
            clase = {0: "exito", 1: "advertencia"}.get(codigo, "error")
            self.comparacion.value = aviso("\n".join(lineas), clase)

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
        if informe.datos_abiertos:
            enlaces.append(
                f"<details><summary>datos abiertos</summary>"
                f"{enlace(descargas.ZIP, unir(informe.relativa, 'datos-abiertos'), 'ZIP')} "
                f"{html.escape(PUBLICAR)}</details>")
        return " ".join(enlaces)


# Cómo se publican los datos abiertos de un informe (docs/datos-abiertos.md).
PUBLICAR = ("Las tablas con la descripción de cada columna, la licencia y la huella del libro "
            "(datapackage.json): súbalas tal cual al portal de datos abiertos; un portal CKAN "
            "o uno que lea Frictionless Data Packages toma datapackage.json. Para Excel, use las "
            "tablas CSV de arriba.")


COPIA = ("«Comparar una copia editada» dice, de un informe.docx editado en Word, cada cifra "
         "que ya no coincide con los datos y cada cuadro o fila quitado; el texto "
         "reescrito se cuenta.")


def comparar_subida(carpeta: Path, nombre: str, contenido: bytes, *,
                    nombre_de_carpeta: str | None = None) -> tuple[int, list[str]]:
    """`informe-poa verificar carpeta --documento` sobre el archivo subido `nombre`: con la
    extensión y el tamaño de un documento de Word, en una carpeta temporal privada.
    `nombre_de_carpeta`: el de `carpeta` en lo que se muestra."""
    from helpers.salida.word.verificacion import verificar_copia

    seguro = nombre_seguro(nombre)
    if Path(seguro).suffix.casefold() != ".docx":
        raise SubidaNoValida(f"«{nombre}» no es un documento de Word (.docx): guárdelo en Word "
                             "como «Documento de Word» y súbalo de nuevo")
    if len(contenido) > LIMITE_LIBRO:
        raise SubidaNoValida(f"«{nombre}» pesa más que el límite de "
                             f"{LIMITE_LIBRO // (1024 * 1024)} MB de una subida")
    with tempfile.TemporaryDirectory(prefix="copia-docx-") as temporal:
        ruta = Path(temporal) / seguro
        ruta.write_bytes(contenido)
        return verificar_copia(carpeta, ruta, nombre=nombre_de_carpeta)


def unir(carpeta: str, nombre: str) -> str:
    """La ruta de `nombre` dentro de `carpeta` (relativas a la carpeta de trabajo; '' es ella
    misma)."""
    return f"{carpeta}/{nombre}" if carpeta else nombre
