"""Las evidencias que las unidades mandan con su formulario (docs/formularios.md, «Las
evidencias»): el medio de verificación de una operación (un acta, fotos, un informe), en
`evidencias/<codigo_operacion>/` junto a los formularios o dentro de un .zip con esas
carpetas.

`buscar` lee cada archivo y decide si se recibe:

- su tipo sale de su contenido (con `filetype`, no de la extensión): se reciben PDF,
  imágenes, hojas de cálculo, documentos y presentaciones (Office Open XML y OpenDocument)
  y texto;
- se rechazan, con el motivo, los programas (Windows, Linux, macOS, un guion con `#!`), los
  documentos de Office con macros (un `vbaProject.bin` dentro) o en el formato binario antiguo
  (.doc, .xls, .ppt, que pueden llevarlas), lo que no se reconoce, lo que pasa de
  `recepcion.tamano_maximo_evidencia`, un enlace simbólico, y lo que es de un código que no es
  una operación del POA;
- un .zip se mide por dentro antes de abrirlo (`comun.libro_comprimido`) y cada parte se lee
  con su tope, sin fiarse del tamaño que declara.

De cada uno queda su huella SHA-256, su tamaño y su tipo. `copiar` pone los que se reciben en
la carpeta de evidencias de la entidad, junto al libro recogido.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pandas as pd

from helpers.comun.libro_comprimido import ClaseDeArchivo, problema_de_tamano
from helpers.entrada.contrato import CONTRATO, ESTADOS_EVIDENCIA
from helpers.entrada.datos import CARPETA_EVIDENCIAS

__all__ = ["ARCHIVO_EVIDENCIAS", "CARPETA_EVIDENCIAS", "COLUMNAS_EVIDENCIAS", "HOJA_EVIDENCIAS",
           "Evidencia", "buscar", "comprobar_destino", "copiar", "tabla_de_evidencias",
           "tipo_y_problema"]

HOJA_EVIDENCIAS = "evidencias"
ARCHIVO_EVIDENCIAS = "evidencias.csv"
# Las columnas de la hoja evidencias del contrato, sin la ronda (la pone quien recoge).
COLUMNAS_EVIDENCIAS = [c.nombre for c in CONTRATO["evidencias"] if c.nombre != "ronda"]
RECIBIDA, RECHAZADA = ESTADOS_EVIDENCIA
# La carpeta de evidencias que escribe `copiar` lleva esta marca: sólo una así se reemplaza.
_MARCA = ".informe-poa-evidencias"
_MB = 1024 * 1024

# Lo que se recibe, por su tipo MIME (el que da `filetype` por el contenido), con su nombre.
_ADMITIDOS = {
    "application/pdf": "PDF",
    "image/jpeg": "imagen JPEG",
    "image/png": "imagen PNG",
    "image/gif": "imagen GIF",
    "image/webp": "imagen WebP",
    "image/tiff": "imagen TIFF",
    "image/heic": "imagen HEIC",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "hoja de cálculo",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "documento",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation":
        "presentación",
    "application/vnd.oasis.opendocument.spreadsheet": "hoja de cálculo",
    "application/vnd.oasis.opendocument.text": "documento",
    "application/vnd.oasis.opendocument.presentation": "presentación",
    "text/plain": "texto",
}
_OOXML = {m for m in _ADMITIDOS if "openxmlformats" in m}
# Las firmas de un programa: Windows (MZ), Linux (ELF), macOS (Mach-O y su versión
# universal) y un guion con su intérprete.
_EJECUTABLES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf",
                b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
# Un documento de Office en el formato binario antiguo (Compound File Binary).
_BINARIO_DE_OFFICE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_COMPRIMIDO = ClaseDeArchivo(
    "el archivo comprimido de evidencias", "el explorador de archivos",
    "unas evidencias (actas, fotos, informes) ocupan mucho menos: puede estar dañado o hecho a "
    "propósito para agotar la memoria de la máquina (una «bomba zip»). No se abrió. Pida a la "
    "unidad que mande las evidencias sin comprimir o en otro .zip")


@dataclass
class Evidencia:
    """Un archivo de evidencia, lo que se leyó de él y si se recibe."""

    codigo_operacion: str
    nombre: str  # el nombre del archivo, sin carpetas
    origen: str  # de dónde se leyó, para el motivo: «evidencias/OP-1/acta.pdf», «x.zip: ...»
    codigo_unidad: str = ""
    huella: str = ""
    tamano: int = 0
    tipo: str = ""
    motivo: str = ""
    contenido: bytes | None = None

    @property
    def recibida(self) -> bool:
        return not self.motivo

    @property
    def archivo(self) -> str:
        """Dónde queda en la carpeta de evidencias: <codigo_operacion>/<nombre>."""
        return f"{self.codigo_operacion}/{self.nombre}"


def _es_texto(contenido: bytes) -> bool:
    try:
        texto = contenido.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\r\n\f" for c in texto)


def _con_macros(contenido: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as zf:
            return any(n.casefold().endswith("vbaproject.bin") for n in zf.namelist())
    except zipfile.BadZipFile:
        return False


def tipo_y_problema(contenido: bytes) -> tuple[str, str]:
    """(tipo, motivo del rechazo o "") de un archivo, por su contenido."""
    import filetype

    if contenido.startswith(_EJECUTABLES):
        return "programa", ("es un programa (un ejecutable o un guion), no un documento: no se "
                            "recibe como evidencia")
    if contenido.startswith(_BINARIO_DE_OFFICE):
        return "documento de Office antiguo", (
            "es un documento de Office en el formato binario antiguo (.doc, .xls o .ppt), que "
            "puede llevar macros: pida a la unidad que lo guarde como PDF, .docx o .xlsx")
    clase = filetype.guess(contenido)
    mime = clase.mime if clase is not None else ("text/plain" if _es_texto(contenido) else "")
    if mime in _OOXML or mime == "application/zip":
        if _con_macros(contenido):
            return "documento de Office con macros", (
                "es un documento de Office con macros (lleva vbaProject.bin), que pueden "
                "ejecutar código al abrirlo: pida a la unidad que lo guarde sin macros o como "
                "PDF")
        if problema_de_tamano(io.BytesIO(contenido), _COMPRIMIDO):
            return _ADMITIDOS.get(mime, mime), ("es demasiado grande por dentro (una «bomba "
                                                "zip»): no se abrió")
    if mime not in _ADMITIDOS:
        nombre = f"«{mime}»" if mime else "no reconocido"
        return mime or "desconocido", (
            f"su contenido es de un tipo {nombre} que no se recibe como evidencia: se reciben "
            "PDF, imágenes, hojas de cálculo, documentos, presentaciones y texto")
    return _ADMITIDOS[mime], ""


def _evaluar(evidencia: Evidencia, operaciones: dict[str, str]) -> Evidencia:
    """Pone a `evidencia` su unidad, su huella, su tipo y, si no se recibe, el motivo."""
    evidencia.codigo_unidad = operaciones.get(evidencia.codigo_operacion, "")
    if evidencia.contenido is None:
        return evidencia  # no se leyó: ya tiene su motivo
    evidencia.huella = hashlib.sha256(evidencia.contenido).hexdigest()
    evidencia.tamano = len(evidencia.contenido)
    evidencia.tipo, motivo = tipo_y_problema(evidencia.contenido)
    if not evidencia.codigo_unidad:
        motivo = (f"{evidencia.codigo_operacion} no es una operación del POA vigente: ponga "
                  "la evidencia en la carpeta con el código de su operación")
    evidencia.motivo = evidencia.motivo or motivo
    if evidencia.motivo:
        evidencia.contenido = None
    return evidencia


def _muy_grande(tamano: int, limite: int) -> str:
    return (f"pesa {tamano / _MB:.1f} MB, más que el máximo de {limite / _MB:.0f} MB "
            "(recepcion.tamano_maximo_evidencia): pida a la unidad una versión más liviana")


def _de_la_carpeta(carpeta: Path, limite: int) -> list[Evidencia]:
    raiz = carpeta / CARPETA_EVIDENCIAS
    if not raiz.is_dir() or raiz.is_symlink():
        return []
    encontradas = []
    for actual, carpetas, archivos in os.walk(raiz, followlinks=False):
        carpetas.sort()
        for nombre in sorted(archivos):
            ruta = Path(actual) / nombre
            relativa = ruta.relative_to(raiz)
            if len(relativa.parts) < 2 or nombre.startswith("."):
                continue  # fuera de una carpeta de operación, o un archivo oculto del sistema
            evidencia = Evidencia(relativa.parts[0], nombre,
                                  f"{CARPETA_EVIDENCIAS}/{relativa.as_posix()}")
            if ruta.is_symlink():
                evidencia.motivo = "es un enlace simbólico: se reciben archivos, no enlaces"
            elif ruta.stat().st_size > limite:
                evidencia.motivo = _muy_grande(ruta.stat().st_size, limite)
            else:
                evidencia.contenido = ruta.read_bytes()
            encontradas.append(evidencia)
    return encontradas


def _del_zip(ruta: Path, limite: int) -> list[Evidencia]:
    """Las evidencias de un .zip: las partes bajo `evidencias/<codigo>/` o `<codigo>/`."""
    motivo = problema_de_tamano(ruta, _COMPRIMIDO)
    if motivo:
        return [Evidencia("", ruta.name, ruta.name, motivo=motivo)]
    try:
        zf = zipfile.ZipFile(ruta)
    except (zipfile.BadZipFile, OSError):
        return [Evidencia("", ruta.name, ruta.name,
                          motivo="no se puede abrir como .zip: pida a la unidad que lo mande "
                                 "otra vez")]
    encontradas = []
    with zf:
        for parte in sorted(zf.infolist(), key=lambda p: p.filename):
            # Un .zip hecho en Windows puede separar las carpetas con «\».
            partes = PurePosixPath(parte.filename.replace("\\", "/")).parts
            if parte.is_dir() or not partes:
                continue
            if partes[0] == CARPETA_EVIDENCIAS:
                partes = partes[1:]
            if len(partes) < 2 or partes[-1].startswith("."):
                continue
            evidencia = Evidencia(partes[0], partes[-1], f"{ruta.name}: {parte.filename}")
            if ".." in partes or parte.filename.startswith("/"):
                evidencia.motivo = "su ruta dentro del .zip sale de la carpeta: no se lee"
            elif parte.file_size > limite:
                evidencia.motivo = _muy_grande(parte.file_size, limite)
            else:
                with zf.open(parte) as flujo:
                    contenido = flujo.read(limite + 1)
                if len(contenido) > limite:
                    evidencia.motivo = _muy_grande(len(contenido), limite)
                else:
                    evidencia.contenido = contenido
            encontradas.append(evidencia)
    return encontradas


def buscar(carpeta: Path, operaciones: dict[str, str], limite_mb: int) -> list[Evidencia]:
    """Las evidencias de `carpeta` (la de los formularios devueltos), evaluadas;
    `operaciones` es codigo_operacion -> codigo_unidad del POA vigente."""
    limite = limite_mb * _MB
    encontradas = _de_la_carpeta(carpeta, limite)
    for comprimido in sorted(carpeta.glob("*.zip")):
        if comprimido.is_file() and not comprimido.is_symlink():
            encontradas += _del_zip(comprimido, limite)
    return _sin_repetir([_evaluar(e, operaciones) for e in encontradas])


def _sin_repetir(evidencias: list[Evidencia]) -> list[Evidencia]:
    """De dos evidencias recibidas que irían al mismo lugar (<codigo_operacion>/<nombre>:
    una en la carpeta y otra en un .zip, o en dos subcarpetas) se recibe la primera: la
    carpeta de la entidad guarda un archivo por lugar, y la huella del registro es la suya."""
    primera: dict[str, Evidencia] = {}
    for evidencia in evidencias:
        if not evidencia.recibida:
            continue
        otra = primera.setdefault(evidencia.archivo, evidencia)
        if otra is not evidencia:
            evidencia.motivo = (f"ya se recibió otra evidencia con el mismo nombre para la "
                                f"operación ({otra.origen}): cámbiele el nombre a una")
            evidencia.contenido = None
    return evidencias


def tabla_de_evidencias(evidencias: list[Evidencia]) -> pd.DataFrame:
    """El registro de las evidencias: una fila por archivo, recibido o no."""
    return pd.DataFrame(
        [[e.codigo_unidad, e.codigo_operacion, e.archivo if e.codigo_operacion else e.origen,
          e.huella, e.tamano, e.tipo, RECIBIDA if e.recibida else RECHAZADA,
          e.motivo if e.motivo else ""] for e in evidencias],
        columns=COLUMNAS_EVIDENCIAS)


def comprobar_destino(destino: Path) -> str | None:
    """Por qué no se puede escribir la carpeta de evidencias `destino` (None si se puede)."""
    if destino.is_symlink() or (destino.exists() and not destino.is_dir()):
        return f"{destino} existe y no es una carpeta"
    if destino.is_dir() and any(destino.iterdir()) and not (destino / _MARCA).is_file():
        return (f"ya existe {destino} y no la escribió informe-poa: no se reemplaza; muévala o "
                "bórrela")
    return None


def copiar(evidencias: list[Evidencia], destino: Path) -> None:
    """Escribe en `destino` las evidencias recibidas (<codigo_operacion>/<nombre>); la carpeta
    se arma aparte y toma el lugar de la anterior al final. De dos con el mismo lugar queda la
    última."""
    temporal = Path(tempfile.mkdtemp(prefix=f".{destino.name}-", dir=destino.parent))
    try:
        (temporal / _MARCA).write_text("informe-poa recoger\n", encoding="utf-8")
        for evidencia in evidencias:
            if evidencia.recibida and evidencia.contenido is not None:
                ruta = temporal / evidencia.codigo_operacion / evidencia.nombre
                ruta.parent.mkdir(parents=True, exist_ok=True)
                ruta.write_bytes(evidencia.contenido)
        if destino.is_dir():
            shutil.rmtree(destino)
        temporal.rename(destino)
    finally:
        shutil.rmtree(temporal, ignore_errors=True)
