"""El almacén de la caché de un informe: lo ya hecho, guardado por la huella de lo que leyó.

Cada objeto se guarda bajo una clave, el SHA-256 de exactamente lo que leyó la etapa que lo
hizo (`clave`): si la clave no cambió, el resultado tampoco, y se toma de aquí en vez de
hacerlo otra vez (docs/cache-diseno.md). El almacén es la carpeta `objetos/` de la caché del
informe (`cache_informe.carpeta_cache`), fuera del informe.

- Se escribe por temporal y renombre (`os.replace`): un proceso que muere a mitad deja el
  objeto entero o ninguno, y dos procesos que escriben el mismo objeto (la composición del
  PDF se reparte entre dos) escriben lo mismo.
- Cada objeto lleva delante su sello: un HMAC-SHA256 de su clave, su tipo y su contenido con
  el secreto del usuario (`secreto`, un archivo 0600 fuera de la caché). Sin el secreto no se
  puede hacer un objeto que pase por bueno: uno editado, aunque se rehaga su suma, uno
  copiado bajo otra clave o uno de otro usuario no coincide con su sello. Lo que no se puede
  leer, no es del formato o no coincide con su sello (un disco que falla, alguien que lo
  editó) cuenta como ausente, y se hace otra vez. Sin un secreto que se pueda usar, el
  almacén no lee ni guarda nada. La caché a lo sumo obliga a hacer algo de más, nunca evita
  lo que hacía falta ni pone en el informe algo que no salió de su clave.
- Guarda bytes y JSON; nada que, al leerse, ejecute código.
- Tamaño acotado: `podar` borra lo que no se usó hace más tiempo (la fecha de modificación
  de cada objeto, que `leer` renueva) mientras el almacén pase de su tope.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
import time
from pathlib import Path

from helpers.comun.errores_del_sistema import causa

__all__ = ["VARIABLE_SECRETO", "Almacen", "SecretoInservible", "clave", "ruta_del_secreto",
           "secreto"]

# Cambia si cambia el significado de lo guardado: las claves anteriores dejan de servir.
FORMATO_OBJETOS = "2"
# Lo que va delante de cada objeto: la marca del formato y su sello (`_sello`).
_MARCA = b"informe-poa:objeto:3\n"
_LARGO_SUMA = 32
# El secreto del usuario: dónde está (`ruta_del_secreto`) y cuánto mide.
VARIABLE_SECRETO = "INFORME_POA_SECRETO"
_LARGO_SECRETO = 32


def clave(*partes: str | bytes) -> str:
    """El SHA-256 de `partes`, cada una con su largo delante (dos listas distintas nunca dan
    la misma secuencia de bytes)."""
    h = hashlib.sha256(FORMATO_OBJETOS.encode())
    for parte in partes:
        datos = parte.encode("utf-8") if isinstance(parte, str) else parte
        h.update(f"{len(datos)}:".encode())
        h.update(datos)
    return h.hexdigest()


class SecretoInservible(Exception):
    """El secreto del usuario no se puede usar; el texto dice cuál, por qué y qué hacer."""


def ruta_del_secreto() -> Path:
    """Dónde está el secreto del usuario: el archivo que nombra INFORME_POA_SECRETO (las
    pruebas lo ponen en su carpeta temporal) o `informe-poa/secreto-cache` en la carpeta de
    configuración del usuario ($XDG_CONFIG_HOME, o ~/.config): fuera de toda caché."""
    if os.environ.get(VARIABLE_SECRETO, "").strip():
        return Path(os.environ[VARIABLE_SECRETO]).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "informe-poa" / "secreto-cache"


_secretos: dict[Path, bytes] = {}


def secreto(ruta: Path | None = None) -> bytes:
    """Los bytes del secreto del usuario en `ruta` (`ruta_del_secreto()` si no se dice); si
    no existe, lo crea. `SecretoInservible` si el archivo es un enlace, no es del usuario o
    lo pueden leer otros, o no se pudo crear: entonces la caché no se usa."""
    ruta = Path(ruta) if ruta is not None else ruta_del_secreto()
    if ruta not in _secretos:
        try:
            _secretos[ruta] = _leer_secreto(ruta)
        except FileNotFoundError:
            _secretos[ruta] = _crear_secreto(ruta)
    return _secretos[ruta]


def _inservible(ruta: Path, por_que: str) -> SecretoInservible:
    return SecretoInservible(
        f"El secreto de la caché, {ruta}, {por_que}: la caché no se usa (el informe se hace "
        "entero). Bórrelo y la próxima corrida crea uno nuevo, sólo para usted.")


def _leer_secreto(ruta: Path) -> bytes:
    # O_NOFOLLOW: un enlace puesto por otro no se sigue; lo demás se mira en lo que se abrió.
    try:
        fd = os.open(ruta, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        raise _inservible(ruta, f"no se puede abrir ({causa(error)})") from None
    with os.fdopen(fd, "rb") as archivo:
        estado = os.fstat(fd)
        if not stat.S_ISREG(estado.st_mode):
            raise _inservible(ruta, "no es un archivo")
        if hasattr(os, "geteuid") and estado.st_uid != os.geteuid():
            raise _inservible(ruta, "es de otro usuario")
        if estado.st_mode & 0o077:
            raise _inservible(ruta, f"tiene permisos {stat.S_IMODE(estado.st_mode):o} (otros "
                                    "pueden leerlo o escribirlo; deben ser 600)")
        datos = archivo.read(_LARGO_SECRETO + 1)
    if len(datos) != _LARGO_SECRETO:
        raise _inservible(ruta, "no tiene el largo de un secreto")
    return datos


def _crear_secreto(ruta: Path) -> bytes:
    """Lo escribe en un temporal 0600 (`mkstemp`) y lo liga con su nombre (`os.link` no
    reemplaza): si dos procesos lo crean a la vez, los dos usan el que quedó."""
    try:
        ruta.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temporal = tempfile.mkstemp(prefix=".secreto-", dir=ruta.parent)
    except OSError as error:
        raise _inservible(ruta, f"no se pudo crear ({causa(error)})") from None
    try:
        with os.fdopen(fd, "wb") as archivo:
            archivo.write(secrets.token_bytes(_LARGO_SECRETO))
            archivo.flush()
            os.fsync(archivo.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporal, ruta)
    except OSError as error:
        raise _inservible(ruta, f"no se pudo crear ({causa(error)})") from None
    finally:
        Path(temporal).unlink(missing_ok=True)
    return _leer_secreto(ruta)


def _sello(secreto_: bytes, llave: str, tipo: str, datos: bytes) -> bytes:
    """El HMAC-SHA256 del objeto: su clave, su tipo y su contenido, con el secreto."""
    sello = hmac.new(secreto_, _MARCA, hashlib.sha256)
    for parte in (llave.encode(), tipo.encode()):
        sello.update(f"{len(parte)}:".encode() + parte)
    sello.update(datos)
    return sello.digest()


class Almacen:
    """Los objetos de la caché en `carpeta`, uno por archivo (`<2 primeros>/<clave>.<tipo>`),
    sellados con el secreto del usuario (`secreto()`, si no se da `secreto_`)."""

    def __init__(self, carpeta: Path, secreto_: bytes | None = None) -> None:
        self.carpeta = Path(carpeta)
        self._secreto = self._dado = secreto_
        self.sin_secreto: str | None = None  # por qué no se usa, si no se usa

    def __reduce__(self):
        # A otro proceso (el que compone a la par) no viaja el secreto del archivo: lo lee él.
        return (Almacen, (self.carpeta, self._dado))

    @property
    def secreto(self) -> bytes | None:
        """El secreto con que se sellan los objetos; None (y `sin_secreto` dice por qué) si
        no se puede usar: entonces no se lee ni se guarda nada."""
        if self._secreto is None and self.sin_secreto is None:
            try:
                self._secreto = secreto()
            except SecretoInservible as motivo:
                self.sin_secreto = str(motivo)
        return self._secreto

    def _ruta(self, llave: str, tipo: str) -> Path:
        return self.carpeta / llave[:2] / f"{llave}.{tipo}"

    def leer(self, llave: str, tipo: str = "bin") -> bytes | None:
        """Los bytes del objeto, o None si no está o no coincide con su sello (se borra: se
        hará otra vez). Leerlo lo marca como usado ahora."""
        secreto_ = self.secreto
        if secreto_ is None:
            return None
        ruta = self._ruta(llave, tipo)
        try:
            guardado = ruta.read_bytes()
            os.utime(ruta)
        except OSError:
            return None
        inicio = len(_MARCA) + _LARGO_SUMA
        sello, datos = guardado[len(_MARCA):inicio], guardado[inicio:]
        if (not guardado.startswith(_MARCA)
                or not hmac.compare_digest(_sello(secreto_, llave, tipo, datos), sello)):
            with contextlib.suppress(OSError):
                ruta.unlink()  # alterado: se hará otra vez
            return None
        return datos

    def guardar(self, llave: str, datos: bytes, tipo: str = "bin") -> None:
        """Guarda el objeto (entero o nada). Si no se puede escribir, la corrida sigue: la
        caché es un atajo, no una parte del informe."""
        secreto_ = self.secreto
        if secreto_ is None:
            return
        ruta = self._ruta(llave, tipo)
        try:
            ruta.parent.mkdir(parents=True, exist_ok=True)
            fd, temporal = tempfile.mkstemp(prefix=f".{llave[:8]}.", suffix=".tmp",
                                            dir=ruta.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MARCA + _sello(secreto_, llave, tipo, datos))
                f.write(datos)
            os.replace(temporal, ruta)
        except OSError:
            Path(temporal).unlink(missing_ok=True)

    def leer_json(self, llave: str):
        datos = self.leer(llave, "json")
        if datos is None:
            return None
        try:
            return json.loads(datos)
        except ValueError:
            return None

    def guardar_json(self, llave: str, valor) -> None:
        self.guardar(llave, json.dumps(valor, ensure_ascii=False, sort_keys=True).encode(),
                     "json")

    def tamano(self) -> int:
        return sum(p.stat().st_size for p in self._objetos())

    def _objetos(self) -> list[Path]:
        if not self.carpeta.is_dir():
            return []
        return [p for p in self.carpeta.glob("??/*") if p.is_file()]

    def podar(self, tope: int, desde: float | None = None) -> int:
        """Borra los objetos usados hace más tiempo hasta que el almacén ocupe a lo sumo
        `tope` bytes; nunca uno usado desde `desde` (la hora en que empezó la corrida: lo
        que ella usó se conserva aunque pase del tope). Devuelve los bytes liberados. Los
        temporales de una corrida que murió (más de una hora) se borran también."""
        liberados = 0
        for temporal in self.carpeta.glob("??/.*.tmp") if self.carpeta.is_dir() else []:
            with contextlib.suppress(OSError):  # otro proceso lo borró
                if temporal.stat().st_mtime < time.time() - 3600:
                    temporal.unlink()
        objetos = []
        for ruta in self._objetos():
            with contextlib.suppress(OSError):  # otro proceso lo borró
                estado = ruta.stat()
                objetos.append((estado.st_mtime, estado.st_size, ruta))
        total = sum(tamano for _, tamano, _ in objetos)
        for usado, tamano, ruta in sorted(objetos):
            if total <= tope or (desde is not None and usado >= desde):
                break
            with contextlib.suppress(OSError):  # otro proceso lo borró
                ruta.unlink()
                total -= tamano
                liberados += tamano
        return liberados

