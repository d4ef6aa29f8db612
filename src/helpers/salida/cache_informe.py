"""La caché de un informe: junto a su carpeta, lo que dice si volver a generarlo daría lo mismo.

Vive en una carpeta oculta hermana de la de salida (`.2024-T2.cache/`, ver `carpeta_cache`):
fuera del informe, así que ni el manifiesto ni `informe-poa verificar` la ven, y
`limpiar_restos` no la toma por el resto de una corrida. El ejecutor la lee y la escribe con
el cerrojo de la carpeta tomado (`carpeta_informe.cerrojo`): dos corridas no la tocan a la
vez; cada archivo se escribe en un temporal y se renombra, así que una corrida que muere a
mitad deja el registro anterior o el nuevo, nunca uno a medias.

El informe al día (docs/cache-diseno.md): el registro de la última corrida completa
(`REGISTRO`). Un informe está al día (`al_dia`) si el registro dice que salió de estos mismos
parámetros, datos, cuadernos y entorno, y su manifiesto (el mismo, byte a byte) confirma que
las entradas, el código del programa y cada archivo del informe siguen como quedaron. Lo que
el registro no sabe decir con certeza (falta, es de otro formato, no se puede leer) cuenta
como «no está al día»: la caché nunca evita una corrida que hacía falta.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from helpers.comun.almacen import Almacen
from helpers.rutas import MANIFIESTO, PROGRAMA
from helpers.salida.manifiesto import (
    comprobar_manifiesto,
    entorno_actual,
    estado_git,
    sha256_archivo,
    version_programa,
)

__all__ = ["FORMATO", "REGISTRO", "al_dia", "almacen", "carpeta_cache", "estado_de_entradas",
           "guardar_registro", "huella_de_archivos", "huella_de_carpeta", "podar"]

# Lo que cambia de significado al cambiar el formato invalida los registros anteriores.
FORMATO = 1
REGISTRO = "informe.json"
OBJETOS = "objetos"
# El tope del almacén: lo que ocupan unas corridas del informe (la última, la anterior y
# margen para volver atrás una corrección), y no menos de TOPE_MINIMO.
VECES_EL_INFORME = 4
TOPE_MINIMO = 64 * 2**20


def carpeta_cache(salida: Path) -> Path:
    """La carpeta de la caché del informe de `salida`: oculta, en la misma carpeta."""
    return salida.parent / f".{salida.name}.cache"


def almacen(salida: Path) -> Almacen:
    """El almacén de lo ya hecho para el informe de `salida` (`helpers.comun.almacen`)."""
    return Almacen(carpeta_cache(salida) / OBJETOS)


def podar(salida: Path, desde: float | None = None) -> int:
    """Acota el almacén del informe de `salida` a VECES_EL_INFORME lo que ocupa el informe
    (no menos de TOPE_MINIMO), borrando lo que se usó hace más tiempo; lo usado desde
    `desde` (la corrida que termina) se conserva. Devuelve los bytes liberados."""
    informe = sum(p.stat().st_size for p in Path(salida).rglob("*") if p.is_file())
    return almacen(salida).podar(max(TOPE_MINIMO, VECES_EL_INFORME * informe), desde)


def huella_de_archivos(archivos: list[Path], base: Path) -> str:
    """Un SHA-256 de `archivos` (sus rutas relativas a `base` y el SHA-256 de cada uno):
    cambia si uno cambia, falta, sobra o cambia de nombre."""
    h = hashlib.sha256()
    for ruta in sorted(archivos, key=lambda p: p.relative_to(base).as_posix()):
        h.update(f"{ruta.relative_to(base).as_posix()}\0{sha256_archivo(ruta)}\n".encode())
    return h.hexdigest()


def huella_de_carpeta(carpeta: Path, fuera: set[str] = frozenset()) -> str:
    """`huella_de_archivos` de lo que tiene `carpeta`, sin lo oculto (lo que empieza con
    punto, como el `.uuid` que fontconfig deja en una carpeta de fuentes), sin `__pycache__`
    y sin lo que cuelga de un nombre de `fuera` en su primer nivel."""
    archivos = [p for p in carpeta.rglob("*") if p.is_file()
                and not _fuera(p.relative_to(carpeta).parts, fuera)]
    return huella_de_archivos(archivos, carpeta)


def _fuera(partes: tuple[str, ...], fuera: set[str]) -> bool:
    return partes[0] in fuera or any(p.startswith(".") or p == "__pycache__" for p in partes)


def estado_de_entradas(*, tipo: str, params: Path, datos: Path, cuadernos: Path,
                       membrete: Path | None = None) -> dict:
    """Lo que una corrida lee fuera del programa, resumido en huellas: el tipo de informe,
    el archivo de parámetros y los datos (un libro, o una carpeta con todo lo que tiene), los
    cuadernos de las secciones, el membrete de Word (si lo hay) y el entorno (Python y
    versiones de los paquetes). El código del programa y el commit los dice el manifiesto
    (`al_dia` los compara con los de ahora).
    """
    datos = Path(datos)
    return {
        "formato": FORMATO,
        "tipo": tipo,
        "params": {"ruta": str(Path(params).resolve()), "sha256": sha256_archivo(params)},
        "datos": {"ruta": str(datos.resolve()),
                  "huella": huella_de_carpeta(datos) if datos.is_dir()
                  else sha256_archivo(datos)},
        "cuadernos": {"ruta": str(Path(cuadernos).resolve()),
                      "huella": huella_de_carpeta(Path(cuadernos))},
        "entorno": entorno_actual(),
        "membrete": None if membrete is None else {"ruta": str(Path(membrete).resolve()),
                                                   "sha256": sha256_archivo(membrete)},
    }


def guardar_registro(salida: Path, entradas: dict) -> Path:
    """Anota en la caché que el informe de `salida` (recién puesto en su lugar) salió de
    `entradas` (`estado_de_entradas`, tomado al empezar la corrida), con la huella de su
    manifiesto. Se escribe en un temporal que se renombra: el registro queda entero o no
    cambia. Llamar con el cerrojo de la carpeta tomado."""
    carpeta = carpeta_cache(salida)
    carpeta.mkdir(parents=True, exist_ok=True)
    registro = {**entradas, "manifiesto": sha256_archivo(salida / MANIFIESTO)}
    destino = carpeta / REGISTRO
    fd, temporal = tempfile.mkstemp(prefix=f".{REGISTRO}.", suffix=".tmp", dir=carpeta)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            json.dump(registro, f, ensure_ascii=False, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(temporal, destino)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
    return destino


def _leer_registro(salida: Path) -> dict | None:
    try:
        registro = json.loads((carpeta_cache(salida) / REGISTRO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return registro if isinstance(registro, dict) else None


def _mismo_programa(manifiesto: dict) -> bool:
    """El manifiesto nombra la versión y el commit del programa de ahora: un informe
    generado otra vez diría lo mismo en su colofón."""
    codigo = manifiesto.get("codigo") or {}
    ahora = {"version": version_programa(PROGRAMA), **estado_git(PROGRAMA)}
    return all(codigo.get(clave) == valor for clave, valor in ahora.items())


def al_dia(salida: Path, entradas: dict, anterior: tuple[Path, Path] | None = None) -> bool:
    """True si generar otra vez el informe de `salida` con `entradas` (`estado_de_entradas`
    de ahora) daría el mismo informe: el registro de la caché es de esas mismas entradas y
    del manifiesto que está en `salida`, y ese manifiesto confirma que el código del programa
    (sin archivos nuevos), su commit y cada archivo de entrada y del informe no cambiaron.
    `anterior`: (carpeta del informe anterior, su copia dentro de `salida`), si los
    parámetros lo piden; lo que se copia de él debe seguir igual."""
    registro = _leer_registro(salida)
    ruta = salida / MANIFIESTO
    if registro is None or not ruta.is_file():
        return False
    if registro != {**entradas, "manifiesto": sha256_archivo(ruta)}:
        return False
    if anterior is not None and not _misma_copia(*anterior):
        return False
    try:
        manifiesto = json.loads(ruta.read_text(encoding="utf-8"))
        comprobaciones = comprobar_manifiesto(ruta, proyecto=PROGRAMA)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return _mismo_programa(manifiesto) and all(c.coincide for c in comprobaciones)


def _misma_copia(origen: Path, copia: Path) -> bool:
    """Lo que el informe copió del anterior (el manifiesto y las tablas CSV) sigue igual."""
    def leido(carpeta: Path) -> list[Path]:
        return [p for p in [carpeta / MANIFIESTO, *sorted((carpeta / "tablas").glob("*.csv"))]
                if p.is_file()]

    if not origen.is_dir() or not copia.is_dir():
        return False
    return huella_de_archivos(leido(origen), origen) == huella_de_archivos(leido(copia), copia)
