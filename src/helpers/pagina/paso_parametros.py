"""Paso 4 de la página, «Parámetros»: el formulario de los parámetros del informe, sobre
`entrada.parametros_en_formulario`: cada clave con su control según su tipo
(`helpers.pagina.controles`), agrupadas como en el archivo en blanco, con su ayuda y su valor
por omisión; se valida como en la línea de órdenes (los mismos mensajes, cada uno junto a su
campo) y se guarda en el mismo archivo YAML, cambiando sólo las líneas de lo que cambió: un
archivo escrito a mano se abre y se guarda igual.

También revisa los parámetros con su libro, como `informe-poa validar PARAMS`.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from helpers.entrada import parametros_en_formulario as pf
from helpers.pagina import descargas
from helpers.pagina.controles import Control, control, nombre_del_campo, para_el_formulario
from helpers.pagina.piezas import (
    Sesion,
    aviso,
    boton,
    enlace,
    parametros_de_la_entidad,
    sin_traza,
)

__all__ = ["PasoParametros"]


def con_la_salida(documento: pf.Documento, validacion: pf.Validacion) -> pf.Validacion:
    """La revisión del documento, más lo que dice el ejecutor de su carpeta de informe antes
    de empezar (`salida.carpeta_informe.problemas_de_salida`): si ya tiene el informe de otro
    tipo o periodo, o no se puede usar, no se guarda."""
    from helpers.rutas import RAIZ
    from helpers.salida.carpeta_informe import problemas_de_salida

    parametros = documento.parametros() if validacion.valido else None
    if parametros is None:
        return validacion
    problemas = problemas_de_salida(parametros, documento.ruta, RAIZ)
    if not problemas:
        return validacion
    return pf.Validacion((*validacion.errores, *problemas), validacion.advertencias)


class PasoParametros:
    def __init__(self, sesion: Sesion):
        self.sesion = sesion
        self.documento: pf.Documento | None = None
        self.controles: dict[str, Control] = {}
        self._propio = False
        self.elegir = parametros_de_la_entidad(sesion)
        self.archivo = widgets.HTML()
        self.guardar = boton("Guardar los parámetros", primario=True)
        self.comprobar = boton("Revisar sin guardar")
        self.reabrir = boton("Volver a abrir el archivo")
        self.con_libro = boton("Revisar con su libro")
        self.siguiente = boton("Nuevo trimestre")
        self.siguiente.tooltip = ("Escribe junto a este archivo los parámetros del trimestre "
                                  "siguiente")
        self.salida = widgets.HTML()
        self.grupos = widgets.Accordion()
        self.guardar.on_click(lambda _b: self.guardar_documento())
        self.comprobar.on_click(lambda _b: self.validar())
        self.reabrir.on_click(lambda _b: self.abrir())
        self.con_libro.on_click(lambda _b: self.revisar_con_libro())
        self.siguiente.on_click(lambda _b: self.nuevo_trimestre())
        sesion.observe(lambda _c: self.abrir(), names=["parametros"])
        sesion.observe(lambda _c: self._guardado_en_otro_paso(), names=["guardado"])
        self.vista = widgets.VBox([
            self.elegir, self.archivo,
            widgets.HBox([self.guardar, self.comprobar, self.reabrir, self.con_libro,
                          self.siguiente]),
            self.salida, self.grupos])
        self.abrir()

    def abrir(self) -> None:
        """Abre en el formulario los parámetros elegidos (lo no guardado se pierde)."""
        self.salida.value = ""
        self.documento, self.controles = None, {}
        self.grupos.children = ()
        relativa = self.sesion.parametros
        if relativa is None:
            self.archivo.value = aviso("Abra una entidad en el paso 1 y elija sus parámetros.")
            return
        self.archivo.value = ('<div class="ipoa-enlaces">Parámetros: '
                              + enlace(descargas.DESCARGAR, relativa, relativa) + "</div>")
        with sin_traza(self.salida, "No se abrieron los parámetros en el formulario"):
            self.documento = pf.abrir(self.sesion.ruta("parametros"))
            self._armar()

    def _armar(self) -> None:
        valores = self.documento.valores()
        cajas, titulos = [], []
        for grupo in pf.formulario(self.documento.informe):
            suyos = [control(campo, valores.get(campo.ruta)) for campo in grupo.campos]
            self.controles |= {c.campo.ruta: c for c in suyos}
            ayuda = [widgets.HTML('<div class="ipoa-ayuda">'
                                  f'{html.escape(para_el_formulario(grupo.ayuda))}</div>')
                     ] if grupo.ayuda else []
            cajas.append(widgets.VBox([*ayuda, *(c.vista for c in suyos)]))
            titulos.append(grupo.titulo)
        self.grupos.children = cajas
        for posicion, titulo in enumerate(titulos):
            self.grupos.set_title(posicion, titulo)
        self.grupos.selected_index = 0 if cajas else None

    def _guardado_en_otro_paso(self) -> None:
        """Otro paso cambió el archivo: se vuelve a abrir, salvo que el formulario tenga
        cambios sin guardar (se dice; guardar escribiría sobre lo de ese otro paso)."""
        if self._propio:
            return
        if not self.cambios():
            self.abrir()
        else:
            self.salida.value = aviso("Otro paso cambió este archivo: vuelva a abrirlo antes "
                                      "de guardar (sus cambios de aquí se perderían).",
                                      "advertencia")

    def cambios(self) -> dict[str, object]:
        """Lo que el planificador cambió: sólo eso se escribe."""
        return {ruta: c.valor() for ruta, c in self.controles.items() if c.cambiado()}

    def validar(self, guardar: bool = False) -> pf.Validacion | None:
        if self.documento is None:
            return None
        with sin_traza(self.salida, "No se revisaron los parámetros"):
            documento = self.documento.con_cambios(self.cambios())
            validacion = con_la_salida(documento, documento.validar())
            if guardar and validacion.valido:
                documento.escribir()
            self._mostrar(validacion, guardado=guardar and validacion.valido)
            if guardar and validacion.valido:
                self._guardado()
            return validacion
        return None

    def _guardado(self) -> None:
        """Lo guardado es el punto de partida de los cambios siguientes. Los controles se
        quedan (volver a armarlos era lo más lento de guardar y cerraba el grupo abierto)."""
        self.documento = pf.abrir(self.sesion.ruta("parametros"))
        for c in self.controles.values():
            c.inicial = c.valor()
        self._propio = True
        try:
            self.sesion.guardado += 1  # los demás pasos leen lo guardado
        finally:
            self._propio = False

    def guardar_documento(self) -> None:
        self.validar(guardar=True)

    def _mostrar(self, validacion: pf.Validacion, guardado: bool) -> None:
        por_campo = validacion.por_campo()
        for ruta, c in self.controles.items():
            c.mostrar_problemas(por_campo.get(ruta, []))
        sueltos = [(ruta, clase, p) for ruta, lista in por_campo.items()
                   if ruta not in self.controles for clase, p in lista]
        self.salida.value = self._resumen(validacion, guardado) + "".join(
            aviso(f"{nombre_del_campo(ruta)}: {para_el_formulario(p.mensaje)}",
                  "error" if clase == "error" else "advertencia") for ruta, clase, p in sueltos)
        self._abrir_el_grupo(por_campo)

    def _abrir_el_grupo(self, por_campo: dict) -> None:
        """Abre el grupo del primer campo con problemas."""
        primero = next((ruta for ruta in por_campo if ruta in self.controles), None)
        if primero is not None:
            grupos = [g.clave for g in pf.formulario(self.documento.informe)]
            self.grupos.selected_index = grupos.index(self.controles[primero].campo.grupo)

    @staticmethod
    def _resumen(validacion: pf.Validacion, guardado: bool) -> str:
        errores, avisos = len(validacion.errores), len(validacion.advertencias)
        if errores:
            return aviso(f"No se guardó: {errores} "
                         f"{'error' if errores == 1 else 'errores'}, cada uno junto a su campo.",
                         "error")
        texto = "Parámetros guardados." if guardado else "Los parámetros no tienen errores."
        if avisos:
            texto += (f" {avisos} {'advertencia' if avisos == 1 else 'advertencias'}, junto a "
                      "su campo.")
        return aviso(texto, "exito")

    def revisar_con_libro(self) -> None:
        from helpers.revision import revisar, ruta_de_los_datos, texto

        params = self.sesion.ruta("parametros")
        if params is None:
            return
        with sin_traza(self.salida, "No se revisaron los parámetros"):
            # El libro que nombran los parámetros se lee sólo si está en la carpeta de trabajo.
            datos = ruta_de_los_datos(params)
            if datos is not None:
                self.sesion.espacio.ruta(datos, "el libro de los parámetros (datos)")
            revision = revisar(params)
            self.salida.value = aviso(self._junto_a_su_campo(revision, texto(revision)),
                                      "error" if revision.errores else "exito")

    def _junto_a_su_campo(self, revision, texto: str) -> str:
        """Los problemas de los parámetros de la revisión con el libro (una unidad de
        planificación que no está en el libro), también junto a su campo; en `texto` (el de
        `informe-poa validar`), cada clave se nombra como la nombra el formulario."""
        por_campo: dict[str, list] = {}
        for clase, problema in revision.problemas:
            if problema.hoja is None and problema.fila is None and problema.columna:
                ruta = pf.ruta_del_campo(problema.columna, problema.mensaje)
                por_campo.setdefault(ruta, []).append((clase, problema))
                texto = texto.replace(f"clave {problema.columna}:",
                                      f"{nombre_del_campo(ruta)}:")
        for ruta, c in self.controles.items():
            c.mostrar_problemas(por_campo.get(ruta, []))
        if self.documento is not None:
            self._abrir_el_grupo(por_campo)
        return texto

    def nuevo_trimestre(self) -> None:
        """Escribe junto a los parámetros elegidos los del trimestre siguiente
        (`entrada.trimestre_siguiente`) y los elige en todos los pasos."""
        from helpers.comun.calendario import TRIMESTRES
        from helpers.entrada.trimestre_siguiente import escribir_trimestre_siguiente

        params = self.sesion.ruta("parametros")
        if params is None:
            self.salida.value = aviso("Elija primero los parámetros de un trimestre.",
                                      "advertencia")
            return
        if self.cambios():
            self.salida.value = aviso("Guarde primero los cambios del formulario (o vuelva a "
                                      "abrir el archivo): el trimestre siguiente se escribe "
                                      "desde lo guardado.", "advertencia")
            return
        with sin_traza(self.salida, "No se escribió el trimestre siguiente"):
            documento = escribir_trimestre_siguiente(params)
            relativa = self.sesion.espacio.relativa(documento.ruta)
            self.sesion.parametros = relativa
            trimestre = documento.valores()["trimestre"]
            self.salida.value = aviso(
                f"Parámetros del {TRIMESTRES[trimestre]} trimestre escritos en {relativa}, "
                "con su carpeta de informe y el informe anterior para comparar; quedan "
                "elegidos en todos los pasos. Revise la identificación (CITE, hoja de ruta, "
                "fecha de emisión) y guarde.", "exito")

