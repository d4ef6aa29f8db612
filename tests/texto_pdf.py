"""El texto de las páginas de un PDF, para las pruebas que lo leen.

Con pdfium (pypdfium2, el motor con que las pruebas dibujan las páginas en PNG), que lo saca
decenas de veces más rápido que pdfplumber o pypdf: en el informe trimestral de la muestra
(73 páginas), 0,2 s contra 9 y 4. Da el texto de cada página en el orden en que se escribió,
como pypdf. Dos retoques: los saltos de línea son ``\\n`` (pdfium da ``\\r\\n``), y el guion
con que una palabra compuesta se corta al final de una línea, que pdfium marca con U+FFFE,
es otra vez un guion. Y las fuentes con que está escrita cada letra (``fuentes``), también con
pdfium: en ese informe, 0,5 s contra 9 con pdfplumber.
"""
from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

__all__ = ["fuentes", "paginas", "texto"]

# El prefijo del subconjunto de una fuente incrustada («ABCDEF+DejaVu-Sans»).
_SUBCONJUNTO = re.compile(r"^[A-Z]{6}\+")


def paginas(pdf: Path | str | bytes) -> list[str]:
    """El texto de cada página de `pdf` (una ruta o el contenido del archivo)."""
    return [_texto_de(letras) for letras in _letras_por_pagina(pdf)]


def _letras_por_pagina(pdf: Path | str | bytes) -> Iterator:
    """Las letras de cada página de `pdf` (su ``PdfTextPage``), una por vez; cada página se
    cierra al pasar a la siguiente, y el documento al terminar."""
    documento = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        for i in range(len(documento)):
            pagina = documento[i]
            letras = pagina.get_textpage()
            try:
                yield letras
            finally:
                letras.close()
                pagina.close()
    finally:
        documento.close()


def _texto_de(letras) -> str:
    crudo = letras.get_text_range()
    return crudo.replace("\r\n", "\n").replace("\ufffe", "-")


def texto(pdf: Path | str | bytes) -> str:
    """El texto de todas las páginas de `pdf`, una tras otra."""
    return "\n".join(paginas(pdf))


def fuentes(pdf: Path | str | bytes) -> set[str]:
    """Las fuentes con que está escrita cada letra de `pdf`, sin el prefijo del subconjunto:
    los nombres que les da WeasyPrint («DejaVu-Sans-Bold»)."""
    lugar = ctypes.create_string_buffer(256)
    nombres = {_fuente_de(letras, letra, lugar)
               for letras in _letras_por_pagina(pdf) for letra in range(letras.count_chars())}
    nombres.discard(b"")
    return {_SUBCONJUNTO.sub("", n.decode("utf-8", "replace")) for n in nombres}


def _fuente_de(letras, letra: int, lugar) -> bytes:
    """El nombre de la fuente de la letra `letra` (b"" si pdfium no lo sabe), escrito en
    `lugar`. pdfium dice el largo que necesita y no copia nada si no cabe: entonces, en un
    lugar de ese largo."""
    largo = pdfium_c.FPDFText_GetFontInfo(letras.raw, letra, lugar, len(lugar), None)
    if largo <= len(lugar):
        return lugar.value if largo else b""
    grande = ctypes.create_string_buffer(largo)
    pdfium_c.FPDFText_GetFontInfo(letras.raw, letra, grande, largo, None)
    return grande.value
