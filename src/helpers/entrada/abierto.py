"""Un libro del POA abierto en Excel o en LibreOffice mientras se lee (issue 53).

Quien corrige el libro y genera el informe sin guardarlo ve un informe con las cifras de
antes, sin ningún aviso. Los dos programas dejan, mientras tienen abierto un libro, un
archivo de bloqueo a su lado:

- Excel, el «archivo de propietario» ``~$`` + el nombre del libro (``~$poa_2024.xlsx``),
  oculto. Con un nombre de más de seis caracteres antes de la extensión, Office (Word
  siempre, Excel en algunas versiones) pone ``~$`` en lugar de sus dos primeros caracteres
  (``~$a_2024.xlsx``), y hay versiones que, con siete, lo pone en lugar del primero: se
  buscan las tres formas. Su primer byte es el largo del nombre de quien lo abrió, que va a
  continuación.
- LibreOffice, ``.~lock.`` + el nombre + ``#`` (``.~lock.poa_2024.xlsx#``), una línea de
  campos separados por comas: el nombre del usuario, la máquina, la cuenta del sistema, la
  hora y su perfil.

`libro_abierto(ruta)` da un aviso por cada archivo de bloqueo junto al libro (o junto a cada
CSV de la carpeta de datos): una advertencia, no un error (el bloqueo puede haber quedado de
un cierre inesperado). Lo que dice un archivo de bloqueo es texto ajeno: sin caracteres de
control y corto. Lo dicen la corrida de un informe (`helpers.informe`), `informe-poa
validar` y las órdenes de los formularios que leen el libro.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

from helpers.entrada.contrato import HOJAS

__all__ = ["archivos_de_bloqueo", "libro_abierto", "libro_abierto_de", "quien_lo_abrio",
           "ruta_de_los_datos"]

# Lo más que se lee de un archivo de bloqueo (los de verdad tienen menos de 200 bytes) y lo
# más largo que se muestra de un nombre.
_LEIDO = 4096
_LARGO_NOMBRE = 60


def archivos_de_bloqueo(archivo: Path) -> list[tuple[str, Path]]:
    """Los archivos de bloqueo que hay junto a `archivo`: (programa, ruta), sin repetir."""
    nombre = archivo.name
    candidatos = [("LibreOffice", archivo.with_name(f".~lock.{nombre}#")),
                  ("Excel", archivo.with_name(f"~${nombre}"))]
    if len(archivo.stem) > 6:
        candidatos += [("Excel", archivo.with_name(f"~${nombre[quitados:]}"))
                       for quitados in (2, 1)]
    vistos: list[tuple[str, Path]] = []
    for programa, ruta in candidatos:
        if ruta.name != nombre and ruta.is_file() and all(ruta != r for _, r in vistos):
            vistos.append((programa, ruta))
    return vistos


def quien_lo_abrio(programa: str, bloqueo: Path) -> str | None:
    """El nombre de quien abrió el libro, según su archivo de bloqueo; None si no se puede
    leer o está vacío."""
    try:
        with bloqueo.open("rb") as f:
            contenido = f.read(_LEIDO)
    except OSError:
        return None
    nombre = (_de_libreoffice(contenido) if programa == "LibreOffice"
              else _de_excel(contenido))
    return _limpio(nombre)


def _de_libreoffice(contenido: bytes) -> str:
    """El primer campo de la línea (o la cuenta del sistema, si está vacío). LibreOffice
    antepone «\\» a una coma, un punto y coma o una barra invertida de un campo."""
    texto = contenido.decode("utf-8", errors="replace")
    campos, actual, escapado = [], [], False
    for caracter in texto:
        if escapado:
            actual.append(caracter)
            escapado = False
        elif caracter == "\\":
            escapado = True
        elif caracter in ",;":
            campos.append("".join(actual))
            actual = []
            if caracter == ";":
                break
        else:
            actual.append(caracter)
    else:
        campos.append("".join(actual))
    usuario = campos[0].strip() if campos else ""
    return usuario or (campos[2].strip() if len(campos) > 2 else "")


def _de_excel(contenido: bytes) -> str:
    if not contenido:
        return ""
    largo = contenido[0]
    if not 0 < largo < len(contenido):
        return ""
    return contenido[1:1 + largo].decode("cp1252", errors="replace")


def _limpio(texto: str) -> str | None:
    """`texto` de un archivo ajeno, para mostrarlo: sin caracteres de control ni de formato,
    con los espacios juntos y a lo sumo `_LARGO_NOMBRE` caracteres."""
    visible = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in texto)
    visible = " ".join(visible.replace("\ufffd", " ").split())
    if len(visible) > _LARGO_NOMBRE:
        visible = visible[:_LARGO_NOMBRE - 1] + "…"
    return visible or None


def _archivos_de_datos(ruta: Path) -> list[Path]:
    """El libro, o los CSV del contrato que hay en la carpeta de datos."""
    if ruta.is_dir():
        return [ruta / f"{hoja}.csv" for hoja in HOJAS if (ruta / f"{hoja}.csv").is_file()]
    return [ruta]


def libro_abierto(ruta: Path | None) -> list[str]:
    """Un aviso por cada archivo de bloqueo de Excel o de LibreOffice junto al libro `ruta`
    (o junto a un CSV de la carpeta `ruta`); [] si no hay ninguno."""
    if ruta is None:
        return []
    avisos = []
    try:
        archivos = _archivos_de_datos(Path(ruta))
        bloqueos = [(archivo, programa, bloqueo) for archivo in archivos
                    for programa, bloqueo in archivos_de_bloqueo(archivo)]
    except OSError:
        return []
    for archivo, programa, bloqueo in bloqueos:
        quien = quien_lo_abrio(programa, bloqueo)
        por = f" (lo abrió «{quien}»)" if quien else ""
        avisos.append(
            f"{archivo.name} está abierto en {programa}{por}: lo que no se guardó no se lee. "
            f"Guárdelo y ciérrelo antes; si ya está cerrado, el archivo {bloqueo.name} quedó "
            "de un cierre inesperado y se puede borrar.")
    return avisos


def ruta_de_los_datos(ruta: Path) -> Path | None:
    """La clave `datos` de un archivo de parámetros, aunque tenga errores, resuelta como la
    resuelve `Parametros.ruta_datos`; None si no se puede leer. Es lo que lee `validar`
    (`helpers.revision`)."""
    try:
        contenido = yaml.safe_load(ruta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    valor = contenido.get("datos") if isinstance(contenido, dict) else None
    if not isinstance(valor, str) or not valor.strip():
        return None
    from helpers.entrada.parametros import raiz_de

    datos = Path(valor.strip()).expanduser()
    return datos if datos.is_absolute() else raiz_de(ruta) / datos


def libro_abierto_de(ruta: Path) -> list[str]:
    """`libro_abierto` de lo que lee una orden: el libro o la carpeta `ruta`, o los datos
    que nombra el archivo de parámetros `ruta` (.yaml)."""
    ruta = Path(ruta)
    if ruta.suffix.casefold() in (".yaml", ".yml"):
        return libro_abierto(ruta_de_los_datos(ruta))
    return libro_abierto(ruta)
