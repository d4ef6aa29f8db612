"""Lo común a los pasos del ensamblado que leen el HTML con BeautifulSoup.

Entra un texto HTML o un elemento de su árbol; sale el árbol (``analizar``, con el analizador
de la biblioteca estándar, el mismo que usa nbconvert), un texto (``junto``, ``texto_sin``,
``texto_de_titulo``), un id que nadie usa (``id_libre``) o el elemento con una clase más
(``agregar_clase``). Nada aquí mira qué es un cuadro, una página o una sección.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

# Analizador de BeautifulSoup: el de la biblioteca estándar, el mismo que usa HTMLExporter de
# nbconvert (así el cuerpo sale igual que si él lo hubiera escrito: ``ExportadorCuerpo``).
ANALIZADOR = "html.parser"
TITULOS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def analizar(contenido: str) -> BeautifulSoup:
    return BeautifulSoup(contenido, ANALIZADOR)


def junto(texto: str) -> str:
    """Con los espacios (saltos de línea incluidos) juntos en uno."""
    return " ".join(texto.split())


def agregar_clase(elemento: Tag, clase: str) -> bool:
    """Pone ``clase`` primera entre las del elemento; False si ya la tenía."""
    clases = elemento.get("class") or []
    if clase in clases:
        return False
    elemento["class"] = [clase, *clases]
    return True


def texto_sin(elemento: Tag, excluido: Tag) -> str:
    """Texto de ``elemento`` sin el de su hijo ``excluido`` (el ancla ¶ de un título)."""
    return "".join(
        hijo.get_text() if isinstance(hijo, Tag) else str(hijo)
        for hijo in elemento.children
        if hijo is not excluido and (isinstance(hijo, Tag) or type(hijo) is NavigableString)
    )


def ancla_de_titulo(titulo: Tag) -> Tag | None:
    """El ``<a class="anchor-link">`` (¶) que nbconvert pone a un título del markdown."""
    return titulo.find("a", class_="anchor-link", recursive=False)


def texto_de_titulo(titulo: Tag) -> str:
    """El texto de un título, sin su ancla ¶, con los espacios juntos."""
    ancla = ancla_de_titulo(titulo)
    texto = texto_sin(titulo, ancla) if ancla is not None else titulo.get_text()
    return junto(texto)


def id_libre(base: str, usados: set[str]) -> str:
    """``base`` o, si ya está en ``usados``, ``base-2``, ``base-3``...; lo agrega a ``usados``."""
    ident, n = base, 1
    while ident in usados:
        n += 1
        ident = f"{base}-{n}"
    usados.add(ident)
    return ident
