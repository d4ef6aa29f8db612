"""El retoque del cuerpo exportado, antes de ponerlo en la página.

Entra el cuerpo HTML que da ``exportacion.exportar``; ``retocar_cuerpo`` lo analiza una vez,
quita todo ``<script>`` (un informe estático no ejecuta nada, aunque una salida HTML lo
traiga) y los ``<span>`` vacíos que deja nbconvert, fija los ids de los títulos y los enlaces
internos que los nombran (``fijar_titulos``), numera los cuadros y gráficos con su leyenda y
su fuente (``leyendas.numerar_objetos``) y lo vuelve a escribir. Sale el cuerpo, el índice
(los H1 y, dentro, los H2) y las listas de cuadros y de gráficos.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from bs4 import BeautifulSoup, Tag
from markupsafe import Markup

from helpers.comun.literal import CLASE_SIN_MATEMATICA
from helpers.salida.ensamblado.leyendas import numerar_objetos
from helpers.salida.ensamblado.sopa import (
    TITULOS,
    analizar,
    ancla_de_titulo,
    id_libre,
    texto_sin,
)

# El cuerpo (``<tbody>``) de una tabla de más caracteres que estos, sin nada que el retoque
# mire en él, no se analiza (``apartar_cuerpos_de_tabla``): en una entidad grande, las tablas
# de miles de filas del anexo y de la memoria de cálculo son casi todo el documento.
CUERPO_DE_TABLA_APARTABLE = 20_000
_CUERPO_DE_TABLA = re.compile(r"<tbody>(.*?)</tbody>", re.S)
# Lo que el retoque mira o cambia: enlaces, scripts, spans, títulos, imágenes, tablas y
# párrafos anidados, ids.
_LO_QUE_MIRA = re.compile(r"<(?:a|script|span|h[1-6]|img|table|p|section)\b|\bid=", re.I)
_ENCABEZADO = re.compile(r"<th[\s>]")
_APARTADO = "maq-cuerpo-de-tabla-"


def apartar_cuerpos_de_tabla(cuerpo: str) -> tuple[str, list[str]]:
    """El cuerpo exportado con el contenido de cada ``<tbody>`` largo reemplazado por una
    marca, y esos contenidos, en orden (``reponer_cuerpos_de_tabla`` los devuelve). Sólo se
    aparta uno que el retoque no miraría: sin enlaces, títulos, imágenes, tablas anidadas ni
    ids, de una tabla con encabezados (de ellos, no de la primera fila, salen sus fuentes)."""
    apartados: list[str] = []

    def apartar(hallado: re.Match) -> str:
        dentro = hallado[1]
        tabla = cuerpo.rfind("<table", 0, hallado.start())
        if (len(dentro) < CUERPO_DE_TABLA_APARTABLE or _LO_QUE_MIRA.search(dentro)
                or not _ENCABEZADO.search(cuerpo, tabla, hallado.start())):
            return hallado[0]
        apartados.append(dentro)
        return f"<tbody><!--{_APARTADO}{len(apartados) - 1}--></tbody>"

    return _CUERPO_DE_TABLA.sub(apartar, cuerpo), apartados


def reponer_cuerpos_de_tabla(cuerpo: str, apartados: list[str]) -> str:
    for n, dentro in enumerate(apartados):
        cuerpo = cuerpo.replace(f"<!--{_APARTADO}{n}-->", dentro, 1)
    return cuerpo


def retocar_cuerpo(
    cuerpo: str, fuentes: dict | None = None
) -> tuple[str, list[dict], dict[str, list[dict]]]:
    """Analiza una vez el cuerpo exportado (sin el contenido de las tablas largas, que no
    toca: ``apartar_cuerpos_de_tabla``): quita todo <script> (un informe estático no ejecuta
    nada, aunque una salida HTML lo traiga), fija los títulos y los enlaces internos
    (``fijar_titulos``), numera los cuadros y gráficos con su leyenda y su fuente
    (``leyendas.numerar_objetos``) y lo vuelve a escribir. Devuelve el cuerpo, el índice y
    las listas de cuadros y de gráficos."""
    cuerpo, apartados = apartar_cuerpos_de_tabla(cuerpo)
    sopa = analizar(cuerpo)
    for script in sopa.find_all("script"):
        script.decompose()
    # nbconvert (con embed_images) analiza por separado cada etiqueta HTML de un Markdown: el
    # <span class="mathjax_ignore"> con que helpers.comun.literal rodea un texto con $ o \ (para
    # el MathJax de JupyterLab) llega vacío, delante del texto. Aquí no hay MathJax: se quita.
    for vacio in sopa.find_all("span", class_=CLASE_SIN_MATEMATICA):
        if not vacio.contents:
            vacio.decompose()
    indice = fijar_titulos(sopa)
    listas = numerar_objetos(sopa, fuentes)
    return reponer_cuerpos_de_tabla(str(sopa), apartados), indice, listas


def slug(texto: str) -> str:
    """El id de un título: su texto sin tildes, en minúsculas, con guiones."""
    plano = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plano.lower()).strip("-")
    return slug or "seccion"


def agregar_al_indice(indice: list[dict], entrada: dict) -> None:
    """Una entrada de título en el índice: un H1 al primer nivel, un H2 dentro del H1 de antes
    (sin H1 antes, al primer nivel); los de nivel 3 o más no van."""
    nivel = entrada["nivel"]
    if nivel == 2 and indice and indice[-1]["nivel"] == 1:
        indice[-1]["hijos"].append(entrada)
    elif nivel <= 2:  # un H2 sin H1 antes va al primer nivel
        indice.append(entrada)


def _titulos_con_ancla(sopa: BeautifulSoup) -> list[tuple[Tag, Tag]]:
    """Los títulos del markdown: los que nbconvert exporta con su ``<a class="anchor-link">``."""
    titulos = []
    for titulo in sopa.find_all(TITULOS):
        ancla = ancla_de_titulo(titulo)
        if ancla is not None:
            titulos.append((titulo, ancla))
    return titulos


def _recordar_id_viejo(antiguos: dict[str, str], viejo: str | None, ident: str) -> None:
    """Anota que el id ``viejo`` de un título pasa a ser ``ident``. nbconvert escribe el id con
    %-escapes (Marco-metodol%C3%B3gico); un enlace a mano puede traerlo así o sin escapar."""
    if viejo:
        antiguos.setdefault(viejo, ident)
        antiguos.setdefault(unquote(viejo), ident)


def _corregir_enlaces(sopa: BeautifulSoup, antiguos: dict[str, str], de_titulos: set[int]) -> None:
    """Los enlaces internos (fuera de las anclas de los títulos) que apuntaban a un id viejo
    apuntan al nuevo."""
    for enlace in sopa.find_all("a", href=True):
        href = enlace["href"]
        if not href.startswith("#") or id(enlace) in de_titulos:
            continue
        destino = antiguos.get(href[1:]) or antiguos.get(unquote(href[1:]))
        if destino:
            enlace["href"] = f"#{destino}"


def fijar_titulos(sopa: BeautifulSoup) -> list[dict]:
    """Ids estables y únicos para los títulos del markdown (los que nbconvert exporta con su
    ``<a class="anchor-link">``): del texto, sin tildes; -2, -3 si se repiten o si el id ya lo
    lleva otro elemento. Corrige el ancla de cada título y los enlaces internos que apuntaban
    al id viejo, y devuelve el índice con los H1 y, dentro, los H2."""
    titulos = _titulos_con_ancla(sopa)
    de_titulos = {id(elemento) for par in titulos for elemento in par}
    usados = {e["id"] for e in sopa.find_all(id=True) if id(e) not in de_titulos}

    antiguos: dict[str, str] = {}
    nuevos: list[str] = []
    indice: list[dict] = []
    for titulo, ancla in titulos:
        texto = texto_sin(titulo, ancla).strip()
        ident = id_libre(slug(texto), usados)
        _recordar_id_viejo(antiguos, titulo.get("id"), ident)
        nuevos.append(ident)
        agregar_al_indice(indice, {"id": ident, "texto": Markup.escape(texto),
                                   "nivel": int(titulo.name[1]), "hijos": []})

    # Primero los enlaces, con los ids viejos aún a la vista; después los títulos.
    if antiguos:
        _corregir_enlaces(sopa, antiguos, de_titulos)
    for (titulo, ancla), ident in zip(titulos, nuevos, strict=True):
        titulo["id"] = ident
        ancla["href"] = f"#{ident}"
    return indice
