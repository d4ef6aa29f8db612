"""El texto de las páginas de un PDF, para las pruebas que lo leen.

Con pdfium (pypdfium2, el motor con que las pruebas dibujan las páginas en PNG), que lo saca
decenas de veces más rápido que pdfplumber o pypdf: en el informe trimestral de la muestra
(73 páginas), 0,2 s contra 9 y 4. Da el texto de cada página en el orden en que se escribió,
como pypdf. Dos retoques: los saltos de línea son ``\\n`` (pdfium da ``\\r\\n``), y el guion
con que una palabra compuesta se corta al final de una línea, que pdfium marca con U+FFFE,
es otra vez un guion.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

__all__ = ["paginas", "texto"]


def paginas(pdf: Path | str | bytes) -> list[str]:
    """El texto de cada página de `pdf` (una ruta o el contenido del archivo)."""
    documento = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    try:
        return [_texto_de(documento[i]) for i in range(len(documento))]
    finally:
        documento.close()


def _texto_de(pagina) -> str:
    texto_de_la_pagina = pagina.get_textpage()
    try:
        crudo = texto_de_la_pagina.get_text_range()
    finally:
        texto_de_la_pagina.close()
        pagina.close()
    return crudo.replace("\r\n", "\n").replace("\ufffe", "-")


def texto(pdf: Path | str | bytes) -> str:
    """El texto de todas las páginas de `pdf`, una tras otra."""
    return "\n".join(paginas(pdf))
