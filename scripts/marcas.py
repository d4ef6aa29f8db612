"""Lo que los scripts escriben dentro de un documento de docs/ (o del README), entre dos
marcas de comentario HTML que no se ven al leerlo: lo de afuera lo escribe una persona."""
from __future__ import annotations

import re


def entre(texto: str, marcas: tuple[str, str]) -> str | None:
    """Lo que `texto` tiene entre las dos `marcas` (sin los saltos de línea que las rodean), o
    None si no las tiene."""
    inicio, fin = (re.escape(marca) for marca in marcas)
    encontrado = re.search(rf"{inicio}\n?(.*?)\n?{fin}", texto, re.DOTALL)
    return encontrado[1] if encontrado else None


def reemplazar_entre(texto: str, marcas: tuple[str, str], contenido: str, nombre: str) -> str:
    """`texto` con lo que hay entre las dos `marcas` reemplazado por `contenido`; si no las
    tiene (en ese orden), termina diciendo cuáles faltan en `nombre`."""
    inicio, fin = marcas
    a, b = texto.find(inicio), texto.find(fin)
    if a < 0 or b < a:
        raise SystemExit(f"{nombre}: faltan las marcas {inicio} y {fin} (en ese orden).")
    return f"{texto[:a + len(inicio)]}\n{contenido}\n{texto[b:]}"
