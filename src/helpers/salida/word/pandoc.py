"""pandoc, el que instala el entorno del proyecto (pypandoc-binary en requirements.lock; en
conda, el paquete pandoc de la misma versión): nunca el que tenga la máquina por su cuenta."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

__all__ = ["a_docx", "leer_trozos", "pandoc"]


@functools.cache
def pandoc() -> str:
    """La ruta del ejecutable de pandoc del entorno: el que trae pypandoc-binary, o el del
    entorno de conda (el mismo prefijo que este Python)."""
    import pypandoc

    return pypandoc.get_pandoc_path()


# La marca que separa los trozos de HTML que pandoc lee de una vez (`leer_trozos`).
_MARCA = "informe-poa-trozo-"


def leer_trozos(trozos: list[str], guardados: Callable[[str], list | None]) -> list[list]:
    """Los bloques del documento de pandoc (su AST, en JSON) de cada trozo de HTML: los que
    `guardados(trozo)` da (la caché), y los demás, leídos por pandoc de una vez (un trozo
    vacío entre cada dos los separa). Con ``--sandbox`` pandoc no lee archivos ni va a la
    red: una imagen o un enlace que traigan los datos no se sigue."""
    bloques: list[list | None] = [guardados(trozo) for trozo in trozos]
    faltan = [k for k, b in enumerate(bloques) if b is None]
    if faltan:
        html = "".join(f'<div id="{_MARCA}{k}"></div>{trozos[k]}' for k in faltan)
        leido = json.loads(subprocess.run(
            [pandoc(), "--from=html", "--to=json", "--sandbox"], input=html.encode("utf-8"),
            check=True, capture_output=True).stdout)
        actual = None
        for bloque in leido["blocks"]:
            ident = bloque["c"][0][0] if bloque["t"] == "Div" else ""
            if ident.startswith(_MARCA):
                actual = int(ident.removeprefix(_MARCA))
                bloques[actual] = []
            elif actual is not None:
                bloques[actual].append(bloque)
    return [b or [] for b in bloques]


def a_docx(fuente: str | list, destino: Path, referencia: Path, epoca: int) -> Path:
    """`fuente` (un HTML, o los bloques de pandoc de `leer_trozos`) como DOCX en `destino`,
    con los estilos, la página, la cabecera y el pie de `referencia`; `epoca` (segundos desde
    1970, ``SOURCE_DATE_EPOCH``) es la fecha que pone en el documento: los mismos datos dan
    el mismo archivo."""
    if isinstance(fuente, str):
        formato, entrada = "html", fuente
    else:
        formato = "json"
        entrada = json.dumps({"pandoc-api-version": _version_de_la_api(), "meta": {},
                              "blocks": fuente})
    entorno = {**os.environ, "SOURCE_DATE_EPOCH": str(epoca)}
    subprocess.run(
        [pandoc(), f"--from={formato}", "--to=docx", "--sandbox",
         f"--reference-doc={referencia}", f"--output={destino}"],
        input=entrada.encode("utf-8"), check=True, capture_output=True, env=entorno)
    return destino


@functools.cache
def _version_de_la_api() -> list[int]:
    """La versión del AST de este pandoc (la pide su lector de JSON)."""
    vacio = subprocess.run([pandoc(), "--from=html", "--to=json"], input=b"", check=True,
                           capture_output=True).stdout
    return json.loads(vacio)["pandoc-api-version"]
