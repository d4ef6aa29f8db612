"""La carpeta de trabajo de la página: lo único que la página alcanza.

Toda ruta que la página lee o escribe (un enlace de descarga, una carpeta elegida, la carpeta
de las subidas, la de los formularios, el libro recogido, el libro que nombran los parámetros)
se resuelve aquí contra la carpeta de trabajo, después de seguir sus enlaces simbólicos, y se
rechaza si sale de ella (`Espacio.ruta`). Lo que se sube se guarda dentro de
la carpeta de la entidad, con un nombre saneado, sin reemplazar nada, y sólo si es del tipo y
del tamaño admitidos (`guardar_subida`).

Las entidades son las carpetas que tienen archivos de parámetros (`*.yaml` con `entidad` y
`gestion`); los informes, las carpetas que escribió el ejecutor (con su marca y su
manifiesto). Se buscan hasta `PROFUNDIDAD` carpetas por debajo, sin entrar en las ocultas ni
en las de programas (`.venv`, `node_modules`).
"""
from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

import yaml

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.comun.numeros import formatear_numero
from helpers.rutas import MANIFIESTO
from helpers.salida.carpeta_informe import MARCA

__all__ = ["EXTENSIONES_LIBRO", "LIMITE_LIBRO", "PROFUNDIDAD", "Espacio", "FueraDelEspacio",
           "SubidaNoValida", "guardar_subida", "nombre_seguro"]

# Lo que se busca por debajo de la carpeta de trabajo: la carpeta de una entidad y sus
# informes (entidad/informes/2025-T1) caben, y una carpeta personal grande no se recorre entera.
PROFUNDIDAD = 3
_SIN_ENTRAR = {"node_modules", "__pycache__", "site-packages"}
EXTENSIONES_LIBRO = (".xlsx",)
# Un libro del POA de una entidad grande pesa unos pocos MB; 30 MB deja margen sin que una
# subida equivocada (un video, un respaldo) llene el disco o la memoria del kernel.
LIMITE_LIBRO = 30 * 1024 * 1024
_LARGO_NOMBRE = 100
# Nombres que Windows reserva (un archivo «CON.xlsx» no se puede abrir allí).
_RESERVADOS = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
               *(f"LPT{i}" for i in range(1, 10))}
_NO_PERMITIDO = re.compile(r"[^\w .()\-]+")


class FueraDelEspacio(ValueError):
    """Una ruta pedida desde la página sale de la carpeta de trabajo (o no existe)."""


class SubidaNoValida(ValueError):
    """Un archivo subido que no se guarda: el mensaje dice por qué y qué hacer."""


@dataclass(frozen=True)
class Espacio:
    """La carpeta de trabajo (`raiz`, absoluta y sin enlaces)."""

    raiz: Path

    @classmethod
    def en(cls, carpeta: str | Path) -> Espacio:
        return cls(Path(os.path.realpath(Path(carpeta).expanduser())))

    def ruta(self, relativa: str | Path, que: str = "") -> Path:
        """`relativa` (a la carpeta de trabajo, como la escribe la página, o absoluta) como
        ruta absoluta, después de seguir sus enlaces simbólicos; `FueraDelEspacio`, con un
        mensaje en castellano, si sale de la carpeta de trabajo. Toda ruta que la página lee
        o escribe pasa por aquí antes de usarse; `que` la nombra en el mensaje ("el libro")."""
        texto = str(relativa)
        if "\x00" in texto:
            raise FueraDelEspacio("la ruta trae un carácter nulo")
        pedida = Path(os.path.abspath(self.raiz / texto))
        real = Path(os.path.realpath(pedida))
        if self._dentro(real):
            return real
        nombre = pedida.relative_to(self.raiz).as_posix() if self._dentro(pedida) else texto
        mensaje = (f"{que} «{nombre}»" if que else f"«{nombre}»") + (
            f" no está dentro de la carpeta de trabajo ({self.raiz})")
        if self._dentro(pedida):
            mensaje += f": es un enlace simbólico (o pasa por uno) que lleva a {real}"
        raise FueraDelEspacio(mensaje + "; la página sólo lee y escribe dentro de ella")

    def _dentro(self, ruta: Path) -> bool:
        return ruta == self.raiz or self.raiz in ruta.parents

    def contiene(self, ruta: Path) -> bool:
        """Si `ruta` (absoluta) es la carpeta de trabajo o está dentro de ella, también
        después de seguir sus enlaces."""
        return self._dentro(Path(os.path.realpath(ruta)))

    def fuera(self, params: Path) -> list[str]:
        """Lo que los parámetros `params` leen o escriben fuera de la carpeta de trabajo (el
        libro, la carpeta del informe, el informe anterior), dicho para la página; vacío si
        nada. `ErrorDeEntrada` si los parámetros tienen errores."""
        from helpers.entrada.parametros import cargar_parametros

        parametros = cargar_parametros(params)
        rutas = {"el libro (datos)": parametros.ruta_datos,
                 "la carpeta del informe (salida)": parametros.carpeta_salida,
                 "el informe anterior (informe_anterior)": parametros.ruta_informe_anterior}
        return [f"{que}, {ruta}, está fuera de la carpeta de trabajo ({self.raiz}): la página "
                "sólo lee y escribe dentro de ella; cámbielo en «Parámetros»"
                for que, ruta in rutas.items() if ruta is not None
                and not self.contiene(Path(ruta))]

    def relativa(self, ruta: Path) -> str:
        """Cómo nombra la página a `ruta` (dentro de la carpeta de trabajo): 'entidad/x.xlsx';
        `FueraDelEspacio` si está fuera."""
        relativa = self.ruta(ruta).relative_to(self.raiz).as_posix()
        return "" if relativa == "." else relativa

    def carpetas(self) -> Iterator[Path]:
        """La carpeta de trabajo y las de debajo, hasta `PROFUNDIDAD`, sin las ocultas, las de
        programas ni el interior de un informe."""
        pendientes = [(self.raiz, 0)]
        while pendientes:
            carpeta, nivel = pendientes.pop(0)
            yield carpeta
            if nivel >= PROFUNDIDAD or es_informe(carpeta):
                continue
            try:
                hijas = sorted(p for p in carpeta.iterdir()
                               if p.is_dir() and not p.is_symlink()
                               and not p.name.startswith(".") and p.name not in _SIN_ENTRAR)
            except OSError:
                continue
            pendientes += [(hija, nivel + 1) for hija in hijas]

    def entidades(self) -> list[Path]:
        """Las carpetas con archivos de parámetros."""
        return [c for c in self.carpetas() if parametros_de(c)]

    def informes(self) -> list[Path]:
        """Las carpetas de informes que escribió el ejecutor."""
        return [c for c in self.carpetas() if es_informe(c)]


def es_informe(carpeta: Path) -> bool:
    return (carpeta / MARCA).is_file() and (carpeta / MANIFIESTO).is_file()


def parametros_de(carpeta: Path) -> list[Path]:
    """Los archivos de parámetros de `carpeta` (sin las de debajo): YAML con `entidad` y
    `gestion`, ordenados por nombre."""
    try:
        candidatos = sorted(p for p in carpeta.iterdir()
                            if p.suffix.casefold() in (".yaml", ".yml") and p.is_file())
    except OSError:
        return []
    return [p for p in candidatos if _son_parametros(p)]


def _son_parametros(ruta: Path) -> bool:
    try:
        contenido = yaml.safe_load(ruta.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(contenido, dict) and "entidad" in contenido and "gestion" in contenido


def libros_de(carpeta: Path) -> list[Path]:
    """Los libros `.xlsx` de `carpeta` y de sus subcarpetas visibles que no son informes,
    sin las copias marcadas (`-revisado`)."""
    from helpers.salida.libro_revisado import SUFIJO

    libros = []
    for ruta in sorted(carpeta.rglob("*.xlsx")):
        relativa = ruta.relative_to(carpeta)
        if (any(p.startswith(".") or p.startswith("~$") for p in relativa.parts)
                or ruta.stem.endswith(SUFIJO)
                or any(es_informe(c) for c in ruta.parents if carpeta in c.parents)):
            continue
        libros.append(ruta)
    return libros


def nombre_seguro(nombre: str) -> str:
    """El nombre de un archivo subido, sin carpetas (tampoco las de Windows), sin caracteres
    que no sean letras, cifras, espacios, puntos, guiones o paréntesis, sin punto al comienzo
    (no queda oculto) y de a lo sumo `_LARGO_NOMBRE` caracteres, con su extensión."""
    base = PurePosixPath(str(nombre).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in base)
    base = _NO_PERMITIDO.sub("_", base).strip(" ")
    raiz, punto, extension = base.rpartition(".")
    if not punto:
        raiz, extension = base, ""
    extension = extension.strip(" ")[:10]
    raiz = raiz.strip(" .")[:_LARGO_NOMBRE - len(extension) - 1] or "archivo"
    if raiz.upper() in _RESERVADOS:
        raiz = f"_{raiz}"
    return f"{raiz}.{extension}" if extension else raiz


def _megas(octetos: int) -> str:
    return f"{formatear_numero(octetos / (1024 * 1024), 1)} MB"


def guardar_subida(carpeta: Path, nombre: str, contenido: bytes, *,
                   extensiones: tuple[str, ...] = EXTENSIONES_LIBRO,
                   limite: int = LIMITE_LIBRO) -> Path:
    """Guarda `contenido` en `carpeta` con el nombre saneado de `nombre`; si ya hay un archivo
    con ese nombre, con «-2», «-3»... (nunca reemplaza). `SubidaNoValida` si la extensión no
    es de `extensiones`, si pesa más que `limite` o si no es un libro de Excel."""
    seguro = nombre_seguro(nombre)
    extension = Path(seguro).suffix.casefold()
    if extension not in extensiones:
        raise SubidaNoValida(f"«{nombre}» no es un libro de Excel ({', '.join(extensiones)}): "
                             "guárdelo como libro de Excel y súbalo de nuevo")
    if len(contenido) > limite:
        raise SubidaNoValida(f"«{nombre}» pesa {_megas(len(contenido))}, más que el límite de "
                             f"{_megas(limite)}: quite del libro lo que no es del POA (imágenes, "
                             "hojas de trabajo) y súbalo de nuevo")
    if not _es_zip(contenido):
        raise SubidaNoValida(f"«{nombre}» no es un libro de Excel aunque su nombre termine en "
                             f"{extension}: ábralo en Excel o LibreOffice, guárdelo como libro "
                             "de Excel (.xlsx) y súbalo de nuevo")
    desmedido = problema_de_tamano(BytesIO(contenido))
    if desmedido:
        raise SubidaNoValida(f"«{nombre}» no se guardó: {desmedido}")
    carpeta.mkdir(parents=True, exist_ok=True)
    raiz, sufijo = Path(seguro).stem, Path(seguro).suffix
    for numero in range(1, 1000):
        destino = carpeta / (seguro if numero == 1 else f"{raiz}-{numero}{sufijo}")
        try:
            with destino.open("xb") as archivo:
                archivo.write(contenido)
        except FileExistsError:
            continue
        return destino
    raise SubidaNoValida(f"ya hay demasiados archivos llamados «{seguro}» en {carpeta}: "
                         "borre los que no use")


def _es_zip(contenido: bytes) -> bool:
    """Un libro .xlsx es un ZIP de Office: empieza con la firma de ZIP y se abre como tal."""
    if not contenido.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(contenido)) as libro:
            return "[Content_Types].xml" in libro.namelist()
    except zipfile.BadZipFile:
        return False
