"""La numeración de los cuadros y gráficos del cuerpo: leyenda, título y fuente.

Entra el árbol del cuerpo exportado (BeautifulSoup), con sus secciones ``<section
class="seccion">``; ``numerar_objetos`` pone, en el orden del informe, antes de cada cuadro
(tabla de primer nivel) y de cada gráfico (imagen de una salida) su leyenda «Cuadro N° n:
<título>» y después su línea «Fuente: ...», y devuelve las listas de cuadros y de gráficos
(id y texto de cada leyenda). Las secciones ``solo-auditoria`` no se numeran.

Cada regla es una función: de dónde sale el título (``titulo_declarado``,
``titulo_por_contexto``, ``unir_titulo``), cómo se distinguen dos títulos iguales
(``nombres_para_distinguir``), qué fuentes cita un cuadro (``fuentes_de_cuadro``, con
``PALABRAS_FUENTE``) o un gráfico (``fuentes_de_grafico``) y cómo se escribe la línea
(``linea_de_fuente``). El texto de los datos entra como nodos de texto: se escapa al escribir.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from helpers.salida.ensamblado.sopa import (
    TITULOS,
    agregar_clase,
    id_libre,
    junto,
    texto_de_titulo,
)

# De dónde salen las cifras de un cuadro, según las palabras de sus encabezados (sin tildes ni
# mayúsculas): las de una lista o de las dos (cuadro mixto, cita ambas fuentes).
PALABRAS_FUENTE = {
    "financiera": ("vigente", "devengado", "ejecucion"),
    "fisica": ("avance", "eficacia", "cumplimiento"),
}
# data-fuente="..." en un cuadro o gráfico declara sus fuentes y manda sobre la regla.
FUENTE_DECLARADA = {
    "financiera": {"financiera"},
    "fisica": {"fisica"},
    "mixta": {"financiera", "fisica"},
    "general": set(),
}
FUENTE_GENERAL = "elaboración propia"
# Títulos que no dicen de qué es el cuadro o gráfico que presentan: cuenta el de arriba.
_TITULOS_GENERICOS = frozenset(
    {"cuadro", "cuadros", "tabla", "tablas", "grafico", "graficos", "figura", "figuras"}
)
# Primeras palabras de un título que lo vuelven continuación del de arriba.
_CONTINUACIONES = frozenset({"por", "segun"})
_ALT_GENERICO = "Gráfico"  # el que pone plantillas/cuerpo a una imagen sin alt propio
_ETIQUETA_OBJETO = {"cuadro": "Cuadro", "grafico": "Gráfico"}


@dataclass
class Objeto:
    """Un cuadro o un gráfico por numerar, con lo que se sabe de él al recorrer el cuerpo."""

    tipo: str  # "cuadro" o "grafico"
    elemento: Tag  # la <table> o la <img>
    titulo: str
    declarado: bool  # el título es el suyo (no el del contexto)
    seccion: Tag | None
    fuentes: set[str] = field(default_factory=set)


# --- Títulos ------------------------------------------------------------------------------


def plano(texto: str) -> str:
    """Sin tildes, en minúsculas y con los espacios juntos, para comparar palabras."""
    sin_tildes = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return " ".join(sin_tildes.lower().split())


def rotulo(parrafo: Tag) -> str | None:
    """El texto de un párrafo que es todo negrita (``**Por ACP**`` antes de un cuadro), o None."""
    hijos = [h for h in parrafo.children if not (isinstance(h, NavigableString) and not h.strip())]
    if len(hijos) == 1 and isinstance(hijos[0], Tag) and hijos[0].name in ("strong", "b"):
        return junto(hijos[0].get_text()) or None
    return None


def ocultar_rotulo(parrafo: Tag) -> None:
    """Clase ``rotulo-en-leyenda`` (oculto por CSS) en el rótulo que pasó a la leyenda: en su
    salida entera si es lo único que ella muestra, para que no quede su margen."""
    salida = parrafo.find_parent("div", class_="jp-OutputArea-child")
    if salida is None or junto(salida.get_text()) != junto(parrafo.get_text()):
        salida = parrafo
    agregar_clase(salida, "rotulo-en-leyenda")


def es_grafico(imagen: Tag) -> bool:
    """Una imagen que es la salida de una celda (no una imagen dentro de un texto)."""
    padre = imagen.parent
    return padre is not None and "jp-RenderedImage" in (padre.get("class") or [])


def titulo_declarado(elemento: Tag) -> str:
    """El título que trae el propio cuadro o gráfico: ``data-titulo``; en un cuadro, su
    ``<caption>``; en un gráfico, un ``alt`` que no sea el genérico."""
    candidatos = [elemento.get("data-titulo")]
    if elemento.name == "table":
        leyenda = elemento.find("caption", recursive=False)
        candidatos.append(leyenda.get_text() if leyenda is not None else None)
    else:
        candidatos.append(elemento.parent.get("data-titulo"))
        alt = junto(elemento.get("alt") or "")
        candidatos.append(alt if alt != _ALT_GENERICO else None)
    return next((junto(c) for c in candidatos if c and junto(c)), "")


def continua(texto: str) -> bool:
    """Un título o rótulo que empieza con «Por» o «Según» completa el de arriba."""
    return plano(texto).split(" ", 1)[0] in _CONTINUACIONES


def unir_titulo(partes: list[str]) -> str:
    """Las partes de un título, de la más general a la más particular: separadas por dos
    puntos, salvo la que empieza con «Por» o «Según», que sigue a la anterior en minúscula
    («Ejecución financiera por fuente de financiamiento»)."""
    titulo = ""
    for parte in partes:
        if not titulo:
            titulo = parte
        elif continua(parte):
            titulo = f"{titulo} {parte[0].lower()}{parte[1:]}"
        else:
            titulo = f"{titulo}: {parte}"
    return titulo


def titulo_por_contexto(titulos: dict[int, str], rotulo: str | None) -> str:
    """Título de un cuadro o gráfico que no trae el suyo: el título más cercano antes de él
    (sin contar los genéricos, como «Gráficos»), precedido del de arriba si es de nivel 3 o más
    («Alertas: Unidad en rojo») y seguido del rótulo en negrita que lo presenta, si hay uno
    («Evolución mensual: Eficacia (%)»). Un título o rótulo que empieza con «Por» o «Según»
    sigue al anterior sin dos puntos («Ejecución financiera por fuente de financiamiento»)."""
    utiles = [
        n for n in sorted(titulos) if plano(titulos[n]).strip(" :.") not in _TITULOS_GENERICOS
    ]
    partes = []
    if utiles:
        cercano = utiles[-1]
        arriba = utiles[-2] if len(utiles) > 1 else None
        if arriba is not None and (cercano >= 3 or continua(titulos[cercano])):
            partes.append(titulos[arriba])
        partes.append(titulos[cercano])
    if rotulo:
        partes.append(rotulo)
    return unir_titulo(partes)


def nombre_de_id(elemento: Tag) -> str:
    """'tabla-relacion-acp' -> 'relacion acp' (el id que pone ``presentacion.tabla``)."""
    ident = str(elemento.get("id") or "")
    ident = ident.removeprefix("tabla-")
    return " ".join(re.split(r"[-_\s]+", ident)).strip()


def nombres_para_distinguir(elementos: list[Tag]) -> list[str]:
    """Lo que distingue objetos que quedaron con el mismo título: el nombre de su id, si todos
    tienen uno distinto; si no, «1 de 2», «2 de 2»."""
    nombres = [nombre_de_id(e) for e in elementos]
    if not (all(nombres) and len(set(nombres)) == len(nombres)):
        nombres = [f"{i} de {len(elementos)}" for i in range(1, len(elementos) + 1)]
    return nombres


def distinguir_repetidos(objetos: list[Objeto]) -> None:
    """Dos o más del mismo tipo sin título propio y con el mismo del contexto llevan al final
    lo que los distingue, entre paréntesis (``nombres_para_distinguir``)."""
    repetidos: dict[tuple[str, str], list[Objeto]] = defaultdict(list)
    for objeto in objetos:
        if objeto.titulo and not objeto.declarado:
            repetidos[(objeto.tipo, objeto.titulo)].append(objeto)
    for grupo in repetidos.values():
        if len(grupo) < 2:
            continue
        nombres = nombres_para_distinguir([o.elemento for o in grupo])
        for objeto, nombre in zip(grupo, nombres, strict=True):
            objeto.titulo = f"{objeto.titulo} ({nombre})"


# --- Fuentes ------------------------------------------------------------------------------


def fuente_declarada(*elementos: Tag) -> set[str] | None:
    """Las fuentes que declara el primero de ``elementos`` con un ``data-fuente`` válido."""
    for elemento in elementos:
        valor = plano(str(elemento.get("data-fuente") or ""))
        if valor in FUENTE_DECLARADA:
            return set(FUENTE_DECLARADA[valor])
    return None


def fuentes_por_palabras(texto: str) -> set[str]:
    """Las fuentes cuyas palabras (``PALABRAS_FUENTE``) dice ``texto``."""
    texto_plano = plano(texto)
    return {
        fuente
        for fuente, palabras in PALABRAS_FUENTE.items()
        if any(palabra in texto_plano for palabra in palabras)
    }


def fuentes_de_cuadro(tabla: Tag, titulo: str) -> set[str]:
    """Las fuentes de un cuadro: las que declara (``data-fuente``), las de las palabras de sus
    encabezados (``<th>``; sin ellos, la primera fila) o, si éstos no dicen nada (una tabla
    por meses), las de las palabras de su título."""
    declarada = fuente_declarada(tabla)
    if declarada is not None:
        return declarada
    celdas = tabla.find_all("th")
    if not celdas:
        fila = tabla.find("tr")
        celdas = fila.find_all(["td", "th"]) if fila is not None else []
    return fuentes_por_palabras(" ".join(c.get_text(" ") for c in celdas)) or (
        fuentes_por_palabras(titulo)
    )


def fuentes_de_grafico(imagen: Tag, titulo: str, de_su_seccion: set[str] | None) -> set[str]:
    """Las fuentes de un gráfico: las que declara (``data-fuente``, en la imagen o en su
    salida), las que citan los cuadros de su sección (``de_su_seccion``; None si no tiene
    cuadros) o las de las palabras de su título."""
    declarada = fuente_declarada(imagen, imagen.parent)
    if declarada is not None:
        return declarada
    if de_su_seccion is not None:
        return de_su_seccion
    return fuentes_por_palabras(titulo)


def asignar_fuentes(objetos: list[Objeto]) -> None:
    """Las fuentes de cada objeto: las de cada cuadro primero, porque las de un gráfico son
    las de los cuadros de su sección."""
    de_seccion: dict[int, set[str]] = defaultdict(set)
    for objeto in objetos:
        if objeto.tipo == "cuadro":
            objeto.fuentes = fuentes_de_cuadro(objeto.elemento, objeto.titulo)
            de_seccion[id(objeto.seccion)] |= objeto.fuentes
    for objeto in objetos:
        if objeto.tipo == "grafico":
            objeto.fuentes = fuentes_de_grafico(
                objeto.elemento, objeto.titulo, de_seccion.get(id(objeto.seccion))
            )


def linea_de_fuente(clases: set[str], fuentes: dict) -> str:
    """'Fuente: <financiera>; <física>.' según las clases; la general por la que falte."""
    general = fuentes.get("general") or FUENTE_GENERAL
    partes = [fuentes.get(clase) or general for clase in PALABRAS_FUENTE if clase in clases]
    texto = "; ".join(dict.fromkeys(partes or [general]))
    return f"Fuente: {texto}" + ("" if texto.endswith(".") else ".")


# --- Recorrido y numeración ---------------------------------------------------------------


class _Recorrido:
    """El cuerpo leído en orden: el contexto de cada cuadro o gráfico (los títulos de arriba,
    el rótulo en negrita que lo presenta, su sección) y los objetos que va encontrando."""

    def __init__(self) -> None:
        self.objetos: list[Objeto] = []
        self.titulos: dict[int, str] = {}  # nivel -> texto, de los títulos de arriba
        self.rotulo: str | None = None
        self.parrafo_rotulo: Tag | None = None
        self.seccion: Tag | None = None
        self.omitir = False  # en una sección solo-auditoria

    def visitar(self, elemento: Tag) -> None:
        if elemento.name == "section":
            self._seccion(elemento)
        elif self.omitir or elemento.find_parent("table") is not None:
            return
        elif elemento.name in TITULOS:
            self._titulo(elemento)
        elif elemento.name == "p":
            self._parrafo(elemento)
        elif elemento.name == "table" or es_grafico(elemento):
            self._objeto(elemento)

    def _seccion(self, seccion: Tag) -> None:
        clases = seccion.get("class") or []
        if "seccion" in clases:
            self.seccion, self.omitir = seccion, "solo-auditoria" in clases
            self.titulos, self.rotulo = {}, None

    def _titulo(self, titulo: Tag) -> None:
        nivel = int(titulo.name[1])
        self.titulos = {n: t for n, t in self.titulos.items() if n < nivel}
        self.titulos[nivel] = texto_de_titulo(titulo)
        self.rotulo = None

    def _parrafo(self, parrafo: Tag) -> None:
        if parrafo.get_text().strip():
            self.rotulo = rotulo(parrafo)
            self.parrafo_rotulo = parrafo if self.rotulo else None

    def _objeto(self, elemento: Tag) -> None:
        declarado = titulo_declarado(elemento)
        if self.rotulo and not declarado:
            ocultar_rotulo(self.parrafo_rotulo)  # la leyenda ya lo dice
        self.objetos.append(Objeto(
            tipo="cuadro" if elemento.name == "table" else "grafico",
            elemento=elemento,
            titulo=declarado or titulo_por_contexto(self.titulos, self.rotulo),
            declarado=bool(declarado),
            seccion=self.seccion,
        ))
        self.rotulo = None


def recoger_objetos(sopa: BeautifulSoup) -> list[Objeto]:
    """Los cuadros y gráficos por numerar, en orden, con su título (el declarado o el del
    contexto); el rótulo en negrita que pasó al título queda oculto (``ocultar_rotulo``)."""
    recorrido = _Recorrido()
    for elemento in sopa.find_all(["section", *TITULOS, "p", "table", "img"]):
        recorrido.visitar(elemento)
    return recorrido.objetos


def poner_leyenda(sopa: BeautifulSoup, objeto: Objeto, numero: int, usados: set[str],
                  fuentes: dict) -> dict:
    """La leyenda «Cuadro N° n: <título>» antes del objeto (con un id libre, al que apuntan
    las listas; la ``<caption>`` de un cuadro se quita) y la línea «Fuente: ...» después.
    Devuelve la entrada de la lista: ``{"id", "texto"}``."""
    tipo, elemento, titulo = objeto.tipo, objeto.elemento, objeto.titulo
    etiqueta = f"{_ETIQUETA_OBJETO[tipo]} N° {numero}"
    ident = id_libre(f"{tipo}-{numero}", usados)
    leyenda = sopa.new_tag("p", attrs={"class": f"leyenda leyenda-{tipo}", "id": ident})
    marca = sopa.new_tag("span", attrs={"class": "leyenda-numero"})
    marca.string = f"{etiqueta}:" if titulo else etiqueta
    leyenda.append(marca)
    if titulo:
        leyenda.append(NavigableString(f" {titulo}"))  # texto: se escapa al escribir
    linea = sopa.new_tag("p", attrs={"class": f"fuente fuente-{tipo}"})
    linea.string = linea_de_fuente(objeto.fuentes, fuentes)
    if tipo == "cuadro":
        anterior = elemento.find("caption", recursive=False)
        if anterior is not None:
            anterior.decompose()
        lugar = elemento
    else:
        lugar = elemento.parent
    lugar.insert_before(leyenda)
    lugar.insert_after(linea)
    return {"id": ident, "texto": f"{etiqueta}: {titulo}" if titulo else etiqueta}


def numerar_objetos(sopa: BeautifulSoup, fuentes: dict | None = None) -> dict[str, list[dict]]:
    """Numera, en el orden del informe, cada cuadro (tabla de primer nivel) y cada gráfico
    (imagen de una salida): antes, la leyenda «Cuadro N° n: <título>» (``<p class="leyenda">``,
    con el id al que apuntan las listas); después, la línea «Fuente: ...»
    (``<p class="fuente">``). Las secciones ``solo-auditoria`` no se numeran.

    El título: el que declare el objeto (``titulo_declarado``) o, si no, el del contexto
    (``titulo_por_contexto``); si dos sin título propio quedan con el mismo, se distinguen por
    el nombre de su id o, sin él, con «(1 de 2)». Una ``<caption>`` se reemplaza por la leyenda,
    y el rótulo en negrita que pasó al título se oculta (``ocultar_rotulo``).

    La fuente (``fuentes``: ``{"financiera", "fisica", "general"}``; la que falte, la general):
    un cuadro cita la financiera si algún encabezado dice vigente, devengado o ejecución, la
    física si dice avance, eficacia o cumplimiento, ambas si dice de las dos; si los
    encabezados no dicen ninguna, lo que diga su título, y si tampoco, la general. Un gráfico
    cita lo que citan los cuadros de su sección (el cuaderno); en una sección sin cuadros, lo
    que digan las palabras de su título. ``data-fuente`` (financiera, fisica, mixta o general)
    en el objeto manda sobre la regla.

    Devuelve ``{"cuadros": [...], "graficos": [...]}``, cada uno ``{"id", "texto"}``."""
    fuentes = fuentes or {}
    usados = {str(e["id"]) for e in sopa.find_all(id=True)}
    objetos = recoger_objetos(sopa)
    distinguir_repetidos(objetos)
    asignar_fuentes(objetos)
    listas: dict[str, list[dict]] = {"cuadros": [], "graficos": []}
    cuenta = {"cuadro": 0, "grafico": 0}
    for objeto in objetos:
        cuenta[objeto.tipo] += 1
        listas[f"{objeto.tipo}s"].append(
            poner_leyenda(sopa, objeto, cuenta[objeto.tipo], usados, fuentes)
        )
    return listas
