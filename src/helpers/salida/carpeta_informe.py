"""La carpeta de un informe: de quién es, quién escribe en ella y cómo se reemplaza.

El ejecutor sólo borra lo que él mismo creó:

- una carpeta de informe lleva el archivo `MARCA` (`.informe-poa`), que el ejecutor escribe
  al crearla; una carpeta de salida que ya existe se reemplaza sólo si está vacía o lleva esa
  marca, y nunca si contiene el libro de los datos o el archivo de parámetros (dentro de la
  carpeta del libro sí puede estar), ni si es o contiene el proyecto, la carpeta personal
  del usuario o la raíz de un disco;
- el informe nuevo se arma en una carpeta hermana oculta (`.2024-T2.nuevo-XXXX`, con la
  marca desde que nace) y se pone en su lugar con un intercambio atómico (`renameat2` con
  `RENAME_EXCHANGE` en Linux): en todo momento la carpeta de salida tiene el informe anterior
  completo o el nuevo completo. Donde no hay intercambio atómico se hacen dos renombres; si la
  corrida muere entre ambos, la siguiente devuelve el anterior (`.2024-T2.anterior-XXXX`) a
  su lugar antes de empezar;
- un cerrojo de archivo (`.2024-T2.cerrojo`, con la biblioteca filelock) impide que dos
  corridas escriban a la vez la misma carpeta: la segunda se detiene con un mensaje;
- con el cerrojo tomado, las carpetas hermanas que dejó una corrida interrumpida (vacías o
  con la marca) se borran.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from helpers.comun.errores_del_sistema import causa
from helpers.entrada.errores import Problema

__all__ = [
    "MARCA",
    "CarpetaOcupada",
    "carpeta_nueva",
    "cerrojo",
    "comprobar_salida",
    "es_del_ejecutor",
    "etiqueta_del_informe",
    "informe_de_otro_periodo",
    "problemas_de_salida",
    "limpiar_restos",
    "permisos_normales",
    "reemplazar",
]

MARCA = ".informe-poa"
_NUEVA = "nuevo"
_ANTERIOR = "anterior"


class CarpetaOcupada(Exception):
    """Otra corrida está escribiendo el mismo informe."""


def _nombre_hermana(salida: Path, tipo: str) -> str:
    return f".{salida.name}.{tipo}-"


def es_del_ejecutor(carpeta: Path) -> bool:
    """True si la carpeta lleva la marca del ejecutor (es un informe o un temporal suyo), o
    es un informe de una versión anterior a la marca: su manifiesto nombra cada archivo que
    hay en ella (nada ajeno se mezcló)."""
    return (carpeta / MARCA).is_file() or _informe_sin_marca(carpeta)


def _informe_sin_marca(carpeta: Path) -> bool:
    try:
        manifiesto = json.loads((carpeta / "manifiesto.json").read_text(encoding="utf-8"))
        salidas = {s["ruta"] for s in manifiesto["salidas"]}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    presentes = {
        p.relative_to(carpeta).as_posix() for p in carpeta.rglob("*") if not p.is_dir()
    }
    return presentes - {"manifiesto.json"} <= salidas


def _vacia(carpeta: Path) -> bool:
    return not any(carpeta.iterdir())


def _contiene(carpeta: Path, otra: Path) -> bool:
    """True si `otra` es `carpeta` o está dentro de ella."""
    return otra == carpeta or carpeta in otra.parents


def _absoluta(ruta: Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(ruta)))


def _escribible(carpeta: Path) -> Path | None:
    """La primera carpeta existente de `carpeta` hacia arriba si no se puede escribir en ella
    (se crearían allí las que faltan); None si se puede."""
    existente = carpeta
    while not existente.exists() and existente != existente.parent:
        existente = existente.parent
    if not existente.is_dir() or not os.access(existente, os.W_OK | os.X_OK):
        return existente
    return None


def comprobar_salida(salida: Path, *, datos: Path, params: Path, proyecto: Path) -> list[str]:
    """Los motivos por los que `salida` no puede ser la carpeta de un informe (vacío si
    puede). Se comprueba antes de tocar nada."""
    salida = _absoluta(salida)
    datos = _absoluta(datos)
    carpeta_datos = datos if datos.is_dir() else datos.parent
    motivos = []
    if salida == salida.parent:
        motivos.append(f"{salida} es la raíz del sistema de archivos")
    for nombre, carpeta in (("el proyecto", _absoluta(proyecto)),
                            ("su carpeta personal", _absoluta(Path.home()))):
        if _contiene(salida, carpeta):
            motivos.append(f"{salida} es o contiene {nombre} ({carpeta})")
    # Dentro de la carpeta del libro sí (POA2025/poa.xlsx y POA2025/informe-T2): lo que no
    # puede es contener el libro o los parámetros, que se borrarían al reemplazar el informe.
    for nombre, ruta, junto in (("el libro o la carpeta de los datos", datos, carpeta_datos),
                                ("el archivo de parámetros", _absoluta(params),
                                 _absoluta(params).parent)):
        if _contiene(salida, ruta):
            motivos.append(
                f"{salida} es o contiene {nombre} ({ruta}), que se borraría al reemplazar el "
                f"informe; elija una carpeta que no lo contenga, por ejemplo una nueva "
                f"junto a él (salida: {junto / 'informe'})")
    if motivos:
        return motivos
    if salida.exists() and not salida.is_dir():
        return [f"{salida} existe y no es una carpeta"]
    if salida.is_dir():
        if not (_vacia(salida) or es_del_ejecutor(salida)):
            return [
                f"la carpeta {salida} ya existe, no está vacía y no es un informe de este "
                f"programa (no tiene el archivo {MARCA}); el ejecutor sólo reemplaza sus propios "
                "informes: elija otra carpeta o vacíe esa"
            ]
        if not os.access(salida, os.W_OK | os.X_OK):
            return [f"no se puede escribir en la carpeta {salida} (permiso denegado)"]
    sin_permiso = _escribible(salida.parent)
    if sin_permiso is not None:
        return [f"no se puede escribir en la carpeta {sin_permiso} (permiso denegado)"]
    return []


@contextmanager
def cerrojo(salida: Path) -> Iterator[None]:
    """Mientras dura, ninguna otra corrida puede escribir en `salida`."""
    salida.parent.mkdir(parents=True, exist_ok=True)
    candado = FileLock(str(salida.parent / f".{salida.name}.cerrojo"), timeout=0)
    try:
        candado.acquire()
    except Timeout:
        raise CarpetaOcupada(
            f"Otra corrida está generando el informe en {salida}; espere a que termine y "
            "vuelva a intentarlo."
        ) from None
    try:
        yield
    finally:
        candado.release()


def _hermanas(salida: Path, tipo: str) -> list[Path]:
    prefijo = _nombre_hermana(salida, tipo)
    if not salida.parent.is_dir():
        return []
    return sorted(
        p for p in salida.parent.iterdir()
        if p.name.startswith(prefijo) and p.is_dir() and not p.is_symlink()
        and (es_del_ejecutor(p) or _vacia(p))
    )


def limpiar_restos(salida: Path) -> list[Path]:
    """Repara lo que dejó una corrida interrumpida (llamar con el cerrojo tomado): si falta
    la carpeta de salida y quedó el informe anterior apartado, lo devuelve a su lugar; borra
    las demás carpetas hermanas del ejecutor. Devuelve lo que borró o restauró."""
    tocadas = []
    anteriores = _hermanas(salida, _ANTERIOR)
    if not salida.exists() and anteriores:
        restaurada = anteriores.pop()
        restaurada.rename(salida)
        tocadas.append(restaurada)
    for resto in [*_hermanas(salida, _NUEVA), *anteriores]:
        shutil.rmtree(resto)
        tocadas.append(resto)
    return tocadas


def carpeta_nueva(salida: Path, marca: dict) -> Path:
    """Crea la carpeta hermana oculta donde se arma el informe, ya con la marca."""
    temporal = Path(tempfile.mkdtemp(prefix=_nombre_hermana(salida, _NUEVA), dir=salida.parent))
    (temporal / MARCA).write_text(
        json.dumps(marca, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return temporal


def _intercambiar(a: Path, b: Path) -> bool:
    """Intercambia dos rutas en un solo paso (Linux, renameat2 con RENAME_EXCHANGE). False
    si el sistema no lo permite."""
    libc_nombre = ctypes.util.find_library("c")
    if not libc_nombre:
        return False
    libc = ctypes.CDLL(libc_nombre, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    codigo = ctypes.get_errno()
    if codigo in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(codigo, os.strerror(codigo), str(a))


def reemplazar(temporal: Path, salida: Path) -> None:
    """Pone el informe armado en `temporal` en lugar de `salida` (comprobada antes con
    `comprobar_salida`) y borra el anterior."""
    if not salida.exists():
        temporal.rename(salida)
        return
    if _intercambiar(temporal, salida):
        shutil.rmtree(temporal)  # ahora tiene el informe anterior
        return
    anterior = Path(tempfile.mkdtemp(prefix=_nombre_hermana(salida, _ANTERIOR), dir=salida.parent))
    anterior.rmdir()
    salida.rename(anterior)
    temporal.rename(salida)
    shutil.rmtree(anterior)


def permisos_normales(carpeta: Path) -> None:
    """Los temporales nacen privados (0700/0600); el informe queda con los permisos de
    cualquier archivo nuevo del usuario (según su umask)."""
    mascara = os.umask(0)
    os.umask(mascara)
    for ruta in [carpeta, *carpeta.rglob("*")]:
        ruta.chmod((0o777 if ruta.is_dir() else 0o666) & ~mascara)


def informe_de_otro_periodo(salida: Path, parametros) -> str | None:
    """Por qué `salida` no sirve para el informe de `parametros` (`entrada.parametros
    .Parametros`) si ya tiene el informe de otro tipo o de otro periodo (el del primer
    trimestre, cuando se pide el segundo): generarlo lo reemplazaría. None si la carpeta no
    tiene informe, si es el del mismo tipo y periodo o si su manifiesto no se entiende (lo
    demás lo comprueba `comprobar_salida`). Lo usan el ejecutor y la página."""
    suyo = _parametros_del_informe(_absoluta(salida))
    if suyo is None:
        return None
    etiqueta = etiqueta_del_informe(suyo)
    if etiqueta is None or etiqueta == parametros.etiqueta:
        return None
    tiene = _descripcion(suyo.get("informe"), suyo.get("gestion"), suyo.get("trimestre"))
    pide = _descripcion(parametros.informe, parametros.gestion, parametros.trimestre)
    return (f"la carpeta {salida} tiene el informe {tiene} ({etiqueta}), y estos parámetros "
            f"piden el {pide} ({parametros.etiqueta}): generarlo lo reemplazaría. Cambie "
            f"«salida» por la carpeta de este periodo (por ejemplo "
            f"{salida.parent / parametros.etiqueta}) o quítela: sin ella, el informe va a "
            f"{parametros.raiz / 'output' / parametros.etiqueta}")


def problemas_de_salida(parametros, ruta_params: Path, proyecto: Path) -> list[Problema]:
    """Por qué la carpeta del informe de `parametros` (leídos de `ruta_params`) no se puede
    usar, como problemas de su clave `salida`: los motivos de `comprobar_salida` y, si no hay
    ninguno, el informe de otro tipo o periodo que ya tiene (unos parámetros del primer
    trimestre cambiados al segundo sin cambiar su salida). Vacío si se puede. Lo usan el
    ejecutor, `validar`, el lote y el paso «Generar» de la página antes de empezar."""
    salida = Path(os.path.realpath(parametros.carpeta_salida))
    try:
        motivos = comprobar_salida(salida, datos=parametros.ruta_datos, params=ruta_params,
                                   proyecto=proyecto)
        otro = None if motivos else informe_de_otro_periodo(salida, parametros)
    except OSError as error:  # una carpeta que no se puede leer
        motivos, otro = [f"no se pudo leer {error.filename or salida} ({causa(error)})"], None
    return [Problema(Path(ruta_params).name, None, None, "salida",
                     f"no se puede usar como carpeta del informe: {motivo}")
            for motivo in motivos + ([otro] if otro else [])]


def _parametros_del_informe(carpeta: Path) -> dict | None:
    """Los parámetros con que se generó el informe de `carpeta` (los de su manifiesto), o
    None si no hay un informe del ejecutor o no se entiende."""
    if not carpeta.is_dir() or not es_del_ejecutor(carpeta):
        return None
    try:
        manifiesto = json.loads((carpeta / "manifiesto.json").read_text(encoding="utf-8"))
        parametros = manifiesto["parametros"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return parametros if isinstance(parametros, dict) else None


def etiqueta_del_informe(parametros: dict) -> str | None:
    """La etiqueta del informe ('2024-T1') que dicen sus parámetros, o None."""
    from helpers.entrada import tipos

    try:
        return tipos.tipo(str(parametros.get("informe"))).etiqueta(
            int(parametros["gestion"]), parametros.get("trimestre"), parametros.get("corte"))
    except (tipos.TipoDesconocido, KeyError, TypeError, ValueError):
        return None


def _descripcion(informe, gestion, trimestre) -> str:
    """'trimestral del primer trimestre de 2024', 'anual de la gestión 2024'."""
    from helpers.comun.calendario import TRIMESTRES
    from helpers.entrada import tipos

    try:
        periodo = tipos.tipo(str(informe)).periodo
    except tipos.TipoDesconocido:
        periodo = None
    if periodo == "trimestre" and trimestre in TRIMESTRES:
        return f"«{informe}» del {TRIMESTRES[trimestre]} trimestre de {gestion}"
    return f"«{informe}» de la gestión {gestion}"
