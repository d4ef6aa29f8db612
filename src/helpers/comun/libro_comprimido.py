"""Lo que hay dentro de un libro .xlsx, medido antes de abrirlo.

Un .xlsx es un ZIP: un archivo de 5 MB puede tener dentro una hoja de 1,6 GB (una «bomba
zip»), y openpyxl o calamine la descomprimen entera al abrirla, hasta agotar la memoria.
`problema_de_tamano` descomprime cada parte en flujo, contando los octetos sin guardarlos, y
corta en cuanto una pasa el tope: no se fía del tamaño que declara la cabecera del ZIP, que
puede mentir. Lo usan todos los que abren un libro que llega de afuera (la lectura de los
datos, la copia revisada, cada formulario que se recoge, la subida de la página) y, con
`DOCUMENTO`, quien abre un .docx (el membrete de la entidad, la copia editada del informe).
"""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from helpers.comun.numeros import formatear_numero

__all__ = ["DOCUMENTO", "LIBRO", "LIMITE_DESCOMPRIMIDO", "LIMITE_PARTES", "RAZON_MAXIMA",
           "ClaseDeArchivo", "problema_de_tamano"]

_MB = 1024 * 1024
# El libro del POA de la muestra ocupa ~1 MB descomprimido, y uno cien veces más grande (el
# objetivo de escala, docs/rendimiento.md) ~110 MB: 256 MB deja margen sin que abrirlo pase
# de la memoria de una máquina común.
LIMITE_DESCOMPRIMIDO = 256 * _MB
# Las hojas de un libro real se comprimen 5 a 20 veces; una bomba, cientos o miles de veces.
# La razón sólo se mira en partes de más de `_MINIMO_PARA_RAZON` (una parte chica y
# repetitiva no pesa).
RAZON_MAXIMA = 100
_MINIMO_PARA_RAZON = 1 * _MB
# Un libro tiene decenas de partes; cientos de miles son otra forma de agotar la memoria.
LIMITE_PARTES = 10_000
_TROZO = 1 * _MB


@dataclass(frozen=True)
class ClaseDeArchivo:
    """Cómo nombran los mensajes al archivo medido y qué le dicen al usuario que haga."""

    nombre: str  # «el libro»
    programa: str  # «Excel»: con qué se abre y se guarda otra vez
    que_hacer: str  # lo que sigue a «;» en un mensaje de tamaño


LIBRO = ClaseDeArchivo(
    "el libro", "Excel",
    "un libro del POA, aun el de una entidad grande, ocupa mucho menos: puede estar dañado o "
    "hecho a propósito para agotar la memoria de la máquina (una «bomba zip»). No se abrió. "
    "Si es su libro, ábralo en Excel o LibreOffice, borre las filas y columnas vacías que "
    "sobran al final de cada hoja y guárdelo otra vez; si no lo conoce, no lo use")
DOCUMENTO = ClaseDeArchivo(
    "el documento", "Word",
    "un documento de Word, aun con imágenes, ocupa mucho menos: puede estar dañado o hecho a "
    "propósito para agotar la memoria de la máquina (una «bomba zip»). No se abrió. Si es "
    "suyo, ábralo en Word o LibreOffice, quite las imágenes muy grandes y guárdelo otra vez; "
    "si no lo conoce, no lo use")


def problema_de_tamano(archivo: Path | str | BinaryIO,
                       clase: ClaseDeArchivo = LIBRO) -> str | None:
    """Por qué no se debe abrir `archivo` (una ruta o un archivo binario abierto; un libro
    .xlsx o, con `clase=DOCUMENTO`, un .docx), en una frase para el usuario sin el nombre del
    archivo (lo pone quien la muestra); None si se puede abrir, o si no es un ZIP (lo dice, a
    su manera, quien lo abre).

    Motivos: más de `LIMITE_PARTES` partes; una parte que descomprimida pasa
    `RAZON_MAXIMA` veces lo que pesa comprimida; todas juntas, más de
    `LIMITE_DESCOMPRIMIDO`; o un contenido comprimido dañado (que no se puede medir)."""
    try:
        zf = zipfile.ZipFile(archivo)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    with zf:
        partes = zf.infolist()
        if len(partes) > LIMITE_PARTES:
            return (f"{clase.nombre} tiene {len(partes)} partes dentro, más que el límite "
                    f"de {LIMITE_PARTES}: {clase.que_hacer}")
        total = 0
        for parte in partes:
            motivo, leidos = _medir(zf, parte, LIMITE_DESCOMPRIMIDO - total, clase)
            if motivo is not None:
                return motivo
            total += leidos
    return None


def _tope_por_razon(parte: zipfile.ZipInfo) -> int:
    return max(_MINIMO_PARA_RAZON, RAZON_MAXIMA * parte.compress_size)


def _medir(zf: zipfile.ZipFile, parte: zipfile.ZipInfo, queda: int,
           clase: ClaseDeArchivo) -> tuple[str | None, int]:
    """(motivo, octetos descomprimidos de la parte): el motivo si pasa un tope."""
    tope = _tope_por_razon(parte)
    # Lo declarado en la cabecera, si ya pasa, basta (sin descomprimir nada).
    if parte.file_size > tope:
        return _por_razon(parte, parte.file_size, clase), parte.file_size
    if parte.file_size > queda:
        return _por_total(parte, clase), parte.file_size
    leidos = 0
    try:
        with zf.open(parte) as flujo:
            while trozo := flujo.read(_TROZO):
                leidos += len(trozo)
                if leidos > tope:
                    return _por_razon(parte, leidos, clase), leidos
                if leidos > queda:
                    return _por_total(parte, clase), leidos
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError) as exc:
        return (f"no se pudo leer {clase.nombre} {clase.programa}: su parte "
                f"«{parte.filename}» está dañada ({_por_que_danada(exc, clase)}). Ábralo en "
                f"{clase.programa} o LibreOffice y guárdelo otra vez"), leidos
    return None, leidos


def _por_que_danada(exc: Exception, clase: ClaseDeArchivo) -> str:
    """Lo que tiene la parte, en castellano (los mensajes de zipfile y zlib están en inglés)."""
    if isinstance(exc, NotImplementedError):
        return f"usa un método de compresión que {clase.programa} no usa"
    if isinstance(exc, RuntimeError):
        return "está cifrada"
    if isinstance(exc, zipfile.BadZipFile):
        # Un CRC que no coincide (la cabecera mintió el tamaño), una cabecera rota...
        return "su contenido no coincide con lo que declara el índice del archivo"
    return "su contenido comprimido está cortado o no se puede descomprimir"


def _megas(octetos: int) -> str:
    if octetos < _MB:
        return f"{formatear_numero(octetos / 1024, 0)} KB"
    return f"{formatear_numero(octetos / _MB, 1)} MB"


def _por_razon(parte: zipfile.ZipInfo, leidos: int, clase: ClaseDeArchivo) -> str:
    return (f"{clase.nombre} es demasiado grande por dentro: su parte «{parte.filename}» pesa "
            f"{_megas(parte.compress_size)} comprimida y se descomprime a más de "
            f"{_megas(leidos)}, más de {RAZON_MAXIMA} veces lo que pesa; {clase.que_hacer}")


def _por_total(parte: zipfile.ZipInfo, clase: ClaseDeArchivo) -> str:
    return (f"{clase.nombre} es demasiado grande por dentro: descomprimido pasa de "
            f"{_megas(LIMITE_DESCOMPRIMIDO)} (al llegar a su parte «{parte.filename}»); "
            f"{clase.que_hacer}")
