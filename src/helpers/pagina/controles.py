"""Un campo del formulario de los parámetros (`entrada.parametros_en_formulario.Campo`) como
control de la página, según su tipo: texto, texto largo, número, fecha, opción, sí o no,
lista (un elemento por renglón) o tabla (filas que se agregan y se quitan).

Cada control sabe su valor en la forma de `Documento.valores()` (lo que el planificador
escribió, sin interpretarlo más que para leer un número como lo escribe un boliviano,
`comun.numeros.leer_numero`: un texto que no es número llega tal cual y la validación dice
qué tiene), si cambió desde que se abrió (sólo lo que cambió se escribe: abrir y guardar deja
el archivo igual) y muestra debajo los errores y advertencias de su clave.
"""
from __future__ import annotations

import datetime as dt
import html
import re

import ipywidgets as widgets

from helpers.comun.numeros import leer_numero
from helpers.entrada import parametros_en_formulario as pf
from helpers.entrada.errores import Problema

__all__ = ["Control", "control", "fecha_como_texto", "leer_fecha", "nombre_del_campo",
           "numero_como_texto", "para_el_formulario"]

# Lo que dicen los mensajes y las ayudas a quien escribe el YAML a mano, que no sirve en el
# formulario: el formulario escribe cada texto como texto (entre comillas si hace falta).
_ENTRE_COMILLAS = re.compile(r"escriba el valor entre comillas \(p\. ej\. \"[^\"]*\"\) para que "
                             r"se lea como texto, tal cual")
_EN_EL_FORMULARIO = "escríbalo de nuevo en este campo: el formulario lo guarda como texto, tal cual"

_ANCHO = widgets.Layout(width="38em")
_ESTILO = {"description_width": "16em"}
_SI_NO = (("Sí", True), ("No", False))


def numero_como_texto(valor) -> str:
    """Un número como se escribe en la página: 1234.5 → '1234,5'; 2024 → '2024'; sin
    separador de miles, para que un año o un código no cambien."""
    if valor is None or isinstance(valor, bool):
        return "" if valor is None else str(valor)
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    return str(valor).replace(".", ",") if isinstance(valor, (int, float)) else str(valor)


def para_el_formulario(texto: str) -> str:
    """Un mensaje o una ayuda de los parámetros como se lee en el formulario: sin consejos
    sobre cómo escribir el YAML (las comillas)."""
    texto = _ENTRE_COMILLAS.sub(_EN_EL_FORMULARIO, texto)
    oraciones = re.split(r"(?<=\.) (?=[A-ZÁÉÍÓÚÑ¿«])", texto)
    return " ".join(o for o in oraciones if "comillas" not in o)


def nombre_del_campo(ruta: str | None) -> str:
    """Cómo nombra la página la clave `ruta` de los parámetros: la etiqueta de su campo
    («Unidad de planificación»), o el título de su grupo («El documento oficial»); una clave
    que no es de un campo (mal escrita), tal cual."""
    if ruta is None:
        return "El archivo"
    try:
        return pf.campo(ruta).etiqueta
    except KeyError:
        pass
    grupo = next((g for g in pf.formulario() if g.clave == ruta), None)
    return grupo.titulo if grupo else f"La clave {ruta}"


def _leer(texto: str, entero: bool):
    """Lo escrito en un campo numérico: None si está vacío, el número si se lee como tal, y
    si no el texto tal cual (la validación lo nombra)."""
    texto = texto.strip()
    if not texto:
        return None
    try:
        numero = leer_numero(texto)
    except ValueError:
        return texto
    return int(numero) if entero and numero is not None and numero.is_integer() else numero


def _por_omision(campo: pf.Campo) -> str:
    valor = campo.por_omision
    if valor in (None, "", [], ()) or campo.tipo in (pf.TABLA, pf.LISTA):
        return ""
    if isinstance(valor, bool):
        return "Sí" if valor else "No"
    return numero_como_texto(valor) if isinstance(valor, (int, float)) else str(valor)


# El valor de la opción «lo de omisión» de un desplegable opcional, y el de «elija» de uno
# obligatorio sin valor: un desplegable de ipywidgets cuyo valor es None no muestra ninguna
# opción (se ve vacío), aunque una opción valga None. Los dos se leen como None.
_OMISION, _ELEGIR = "\x00por-omision", "\x00elegir"


def _opciones(campo: pf.Campo, pares, valor) -> list:
    """Las opciones de un desplegable; uno opcional empieza con «lo de omisión» (la clave
    no se escribe); uno obligatorio sin valor, con «elija una opción»."""
    if campo.obligatorio:
        return [("— elija una opción —", _ELEGIR), *pares] if valor is None else list(pares)
    omision = _por_omision(campo)
    return [(f"{omision} (por omisión)" if omision else "— (por omisión)", _OMISION), *pares]


def _entrada(campo: pf.Campo, valor, descripcion: str):
    """El widget de un campo que no es tabla, con su valor."""
    comunes = {"description": descripcion, "style": _ESTILO, "layout": _ANCHO}
    omision = _por_omision(campo)
    marca = f"por omisión: {omision}" if omision else ""
    if campo.tipo == pf.TEXTO_LARGO:
        return widgets.Textarea(value=valor or "", placeholder=marca, rows=3, **comunes)
    if campo.tipo == pf.LISTA:
        return widgets.Textarea(value="\n".join(str(v) for v in valor or []), rows=4,
                                placeholder="un elemento por renglón", **comunes)
    if campo.tipo in (pf.ENTERO, pf.NUMERO):
        return widgets.Text(value=numero_como_texto(valor), placeholder=marca, **comunes)
    if campo.tipo == pf.FECHA:
        # Un texto y no un DatePicker: el DatePicker muestra la fecha en el formato del
        # navegador (mm/dd/aaaa en uno en inglés); aquí se escribe y se lee dd/mm/aaaa.
        return widgets.Text(value=fecha_como_texto(valor), placeholder="dd/mm/aaaa",
                            **comunes)
    if campo.tipo in (pf.OPCION, pf.SI_NO):
        pares = _SI_NO if campo.tipo == pf.SI_NO else [(str(o), o) for o in campo.opciones]
        opciones = _opciones(campo, pares, valor)
        if valor is None:
            valor = opciones[0][1]  # lo de omisión, o «elija una opción»
        elif valor not in [v for _, v in opciones]:
            opciones.append((str(valor), valor))  # lo escrito a mano, aunque no valga
        return widgets.Dropdown(options=opciones, value=valor, **comunes)
    return widgets.Text(value="" if valor is None else str(valor), placeholder=marca,
                        **comunes)


def fecha_como_texto(valor) -> str:
    """Una fecha como se escribe en Bolivia: 15/07/2024; lo que no es fecha, tal cual."""
    if isinstance(valor, dt.date):
        return valor.strftime("%d/%m/%Y")
    return "" if valor is None else str(valor)


def leer_fecha(texto: str):
    """Lo escrito en un campo de fecha: None si está vacío, la fecha si se lee como tal
    (15/07/2024 o 2024-07-15), y si no el texto tal cual (la validación dice qué tiene)."""
    from helpers.entrada.identificacion import fecha_de_parametros

    texto = texto.strip()
    if not texto:
        return None
    try:
        return fecha_de_parametros(texto)
    except ValueError:
        return texto


def _valor_de(campo: pf.Campo, entrada):
    if campo.tipo == pf.FECHA:
        return leer_fecha(entrada.value)
    if campo.tipo in (pf.OPCION, pf.SI_NO) and entrada.value in (_OMISION, _ELEGIR):
        return None
    if campo.tipo == pf.LISTA:
        return [linea.strip() for linea in entrada.value.splitlines() if linea.strip()]
    if campo.tipo in (pf.ENTERO, pf.NUMERO):
        return _leer(entrada.value, campo.tipo == pf.ENTERO)
    if campo.tipo in (pf.TEXTO, pf.TEXTO_LARGO):
        return entrada.value if entrada.value.strip() else None
    return entrada.value


class Control:
    """Un campo en la página: `vista` (etiqueta, control, ayuda y problemas), `valor()` y
    `cambiado()`."""

    def __init__(self, campo: pf.Campo, valor, *, con_ayuda: bool = True):
        self.campo = campo
        self.problemas = widgets.HTML()
        self._construir(valor)
        self.inicial = self.valor()
        ayuda = (widgets.HTML('<div class="ipoa-ayuda">'
                              f'{html.escape(para_el_formulario(campo.ayuda))}</div>')
                 if con_ayuda and campo.ayuda else None)
        self.vista = widgets.VBox([w for w in (self.entrada, ayuda, self.problemas) if w])

    def _descripcion(self) -> str:
        return self.campo.etiqueta + (" *" if self.campo.obligatorio else "")

    def _construir(self, valor) -> None:
        self.entrada = _entrada(self.campo, valor, self._descripcion())

    def valor(self):
        return _valor_de(self.campo, self.entrada)

    def cambiado(self) -> bool:
        return self.valor() != self.inicial

    def mostrar_problemas(self, problemas: list[tuple[str, Problema]]) -> None:
        self.problemas.value = "".join(
            f'<div class="ipoa-aviso ipoa-{"error" if clase == "error" else "advertencia"}">'
            f"{html.escape(para_el_formulario(problema.mensaje))}</div>"
            for clase, problema in problemas)


class ControlDeTabla(Control):
    """Una tabla: una fila de controles por fila, con «Quitar», y «Agregar una fila»."""

    def _construir(self, valor) -> None:
        self.filas: list[tuple[widgets.HBox, list[Control]]] = []
        self.cuerpo = widgets.VBox()
        agregar = widgets.Button(description="Agregar una fila",
                                 layout=widgets.Layout(width="auto"))
        agregar.on_click(lambda _b: self.agregar({}))
        for fila in valor if isinstance(valor, list) else []:
            self.agregar(fila if isinstance(fila, dict) else {})
        titulo = widgets.HTML(f"<b>{html.escape(self._descripcion())}</b>")
        self.entrada = widgets.VBox([titulo, self.cuerpo, agregar])

    def agregar(self, fila: dict) -> None:
        """Una fila más; una fila nueva elige en cada columna de opciones obligatoria la
        primera que las otras filas no usan (la firma nueva, el rol que falta)."""
        fila = {**{c.clave: self._opcion_libre(c) for c in self.campo.columnas
                   if c.tipo == pf.OPCION and c.obligatorio and c.opciones}, **fila}
        controles = [_Celda(columna, fila.get(columna.clave)) for columna in self.campo.columnas]
        quitar = widgets.Button(description="Quitar", layout=widgets.Layout(width="auto"))
        caja = widgets.HBox([*(c.entrada for c in controles), quitar])
        quitar.on_click(lambda _b: self.quitar(caja))
        self.filas.append((caja, controles))
        self.cuerpo.children = [c for c, _ in self.filas]

    def _opcion_libre(self, columna: pf.Campo):
        usadas = {c.valor() for _, controles in getattr(self, "filas", [])
                  for c in controles if c.campo.clave == columna.clave}
        return next((o for o in columna.opciones if o not in usadas), columna.opciones[0])

    def quitar(self, caja) -> None:
        self.filas = [(c, controles) for c, controles in self.filas if c is not caja]
        self.cuerpo.children = [c for c, _ in self.filas]

    def valor(self):
        return [{c.campo.clave: c.valor() for c in controles} for _, controles in self.filas]


class _Celda(Control):
    """Una columna de una fila de tabla: el control, angosto y sin ayuda."""

    def __init__(self, campo: pf.Campo, valor):
        super().__init__(campo, valor, con_ayuda=False)

    def _construir(self, valor) -> None:
        self.entrada = _entrada(self.campo, valor, "")
        self.entrada.layout = widgets.Layout(width="auto")
        self.entrada.tooltip = self.campo.etiqueta
        if getattr(self.entrada, "placeholder", None) == "":
            self.entrada.placeholder = self.campo.etiqueta


def control(campo: pf.Campo, valor) -> Control:
    """El control de `campo` con `valor` (el de `Documento.valores()`)."""
    return ControlDeTabla(campo, valor) if campo.tipo == pf.TABLA else Control(campo, valor)
