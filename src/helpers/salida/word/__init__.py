"""El informe como documento de Word (``informe.docx``), con el membrete de la entidad, y la
comprobación de una copia editada.

- ``fuente``: la página para lectores (``informe.html``) como la lee pandoc, y sus cuadros
  en bloques de filas;
- ``pandoc``: el pandoc del entorno, que escribe el DOCX desde ese HTML y el membrete;
- ``cuadros``: los cuadros, escritos por pandoc bloque a bloque, con sus anchos, su letra y
  su id (``columnas``);
- ``documento``: lo que pandoc no expresa (índice como campo, los cuadros en su lugar, hojas
  apaisadas, CITE en la cabecera, propiedades, mismo archivo para los mismos datos);
- ``membrete``: el documento de referencia neutro que la entidad edita;
- ``lectura`` y ``comparacion``: una copia editada frente al DOCX del informe
  (``informe-poa verificar CARPETA --documento``).

``escribir_docx`` encadena los cuatro primeros; con la caché del informe, lo que pandoc leyó de
cada trozo de la página y escribió de cada bloque de un cuadro se toma de ella.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

__all__ = ["ARCHIVO", "escribir_docx", "identificador_de"]

ARCHIVO = "informe.docx"


def identificador_de(html: bytes) -> str:
    """Lo que lleva el DOCX en sus propiedades (``identifier``) y conserva una copia editada:
    de qué página para lectores salió."""
    return "informe-poa " + hashlib.sha256(html).hexdigest()[:32]


@functools.cache
def _codigo() -> str:
    """Lo que escribe el DOCX además del HTML y el membrete: pandoc, python-docx y este
    paquete."""
    archivos = sorted(Path(__file__).parent.glob("*.py"))
    return hashlib.sha256(b"".join([version("python-docx").encode(), _version_pandoc(),
                                    *(a.read_bytes() for a in archivos)])).hexdigest()


def _version_pandoc() -> bytes:
    import subprocess

    from helpers.salida.word.pandoc import pandoc

    return subprocess.run([pandoc(), "--version"], check=True, capture_output=True).stdout


def escribir_docx(html: Path, destino: Path, datos: dict, *, membrete: Path | None = None,
                  almacen=None) -> float:
    """Escribe `destino` (el DOCX) desde la página para lectores `html` con el membrete
    `membrete` (sin él, el neutro); devuelve los segundos. `datos`: ``titulo``, ``entidad``,
    ``fecha`` (date o datetime: la del documento) y, si los hay, ``cite`` y ``hoja_ruta``.
    `almacen`: la caché del informe (``helpers.comun.almacen``): lo que pandoc leyó de cada
    trozo de la página (``fuente.ParaPandoc.trozos``) que no cambió se toma de ella."""
    from helpers.salida.word.cuadros import escribir_cuadros
    from helpers.salida.word.documento import retocar
    from helpers.salida.word.fuente import html_para_pandoc
    from helpers.salida.word.membrete import membrete_neutro
    from helpers.salida.word.pandoc import a_docx

    inicio = time.perf_counter()
    contenido = Path(html).read_bytes()
    referencia = Path(membrete).read_bytes() if membrete is not None else membrete_neutro()
    fecha = datos["fecha"]
    if not isinstance(fecha, dt.datetime):
        fecha = dt.datetime(fecha.year, fecha.month, fecha.day, 12, tzinfo=dt.UTC)
    fuente = html_para_pandoc(contenido.decode("utf-8"))
    # pandoc lee aparte cada trozo que la caché no tiene (sin ella, todos) y escribe desde
    # todo lo leído; los cuadros, que los trozos sólo señalan, los escribe `cuadros`.
    bloques = [b for trozo in _leidos(fuente.trozos, almacen) for b in trozo]
    with tempfile.TemporaryDirectory(prefix="informe-docx-") as temporal:
        ruta_referencia = Path(temporal) / "membrete.docx"
        ruta_referencia.write_bytes(referencia)
        epoca = int(fecha.timestamp())
        a_docx(bloques, Path(destino), ruta_referencia, epoca)
        retocar(Path(destino), fuente, {**datos, "fecha": fecha,
                                        "identificador": identificador_de(contenido)},
                functools.partial(escribir_cuadros, fuente.cuadros, referencia=ruta_referencia,
                                  epoca=epoca, codigo=_codigo(), almacen=almacen))
    return time.perf_counter() - inicio


def _leidos(trozos: list[str], almacen) -> list[list]:
    """Lo que pandoc lee de cada trozo: de la caché del informe, o leído y guardado en ella
    (sin ella, todos leídos)."""
    from helpers.comun.almacen import clave
    from helpers.salida.word.pandoc import leer_trozos

    if almacen is None:
        return leer_trozos(trozos, lambda _: None)
    guardados: dict[str, list] = {}
    for trozo in trozos:
        guardado = almacen.leer_json(clave(_codigo(), trozo))
        if isinstance(guardado, list):
            guardados[trozo] = guardado
    bloques = leer_trozos(trozos, guardados.get)
    for trozo, leidos in zip(trozos, bloques):
        if trozo not in guardados:
            almacen.guardar_json(clave(_codigo(), trozo), leidos)
    return bloques
