"""El almacén de la caché de un informe: lo ya hecho, guardado por la huella de lo que leyó.

Cada objeto se guarda bajo una clave, el SHA-256 de exactamente lo que leyó la etapa que lo
hizo (`clave`): si la clave no cambió, el resultado tampoco, y se toma de aquí en vez de
hacerlo otra vez (docs/cache-diseno.md). El almacén es la carpeta `objetos/` de la caché del
informe (`cache_informe.carpeta_cache`), fuera del informe.

- Se escribe por temporal y renombre (`os.replace`): un proceso que muere a mitad deja el
  objeto entero o ninguno, y dos procesos que escriben el mismo objeto (la composición del
  PDF se reparte entre dos) escriben lo mismo.
- Cada objeto lleva delante el SHA-256 de su contenido, que se comprueba al leerlo: lo que
  no se puede leer, no es del formato o se alteró (un disco que falla, alguien que lo editó)
  cuenta como ausente. La caché a lo sumo obliga a hacer algo de más, nunca evita lo que
  hacía falta ni pone en el informe algo que no salió de su clave.
- Guarda bytes y JSON; nada que, al leerse, ejecute código.
- Tamaño acotado: `podar` borra lo que no se usó hace más tiempo (la fecha de modificación
  de cada objeto, que `leer` renueva) mientras el almacén pase de su tope.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

__all__ = ["Almacen", "clave"]

# Cambia si cambia el significado de lo guardado: las claves anteriores dejan de servir.
FORMATO_OBJETOS = "2"
# Lo que va delante de cada objeto: la marca del formato y el SHA-256 del contenido.
_MARCA = b"informe-poa:objeto:2\n"
_LARGO_SUMA = 32


def clave(*partes: str | bytes) -> str:
    """El SHA-256 de `partes`, cada una con su largo delante (dos listas distintas nunca dan
    la misma secuencia de bytes)."""
    h = hashlib.sha256(FORMATO_OBJETOS.encode())
    for parte in partes:
        datos = parte.encode("utf-8") if isinstance(parte, str) else parte
        h.update(f"{len(datos)}:".encode())
        h.update(datos)
    return h.hexdigest()


class Almacen:
    """Los objetos de la caché en `carpeta`, uno por archivo (`<2 primeros>/<clave>.<tipo>`)."""

    def __init__(self, carpeta: Path) -> None:
        self.carpeta = Path(carpeta)

    def _ruta(self, llave: str, tipo: str) -> Path:
        return self.carpeta / llave[:2] / f"{llave}.{tipo}"

    def leer(self, llave: str, tipo: str = "bin") -> bytes | None:
        """Los bytes del objeto, o None si no está. Leerlo lo marca como usado ahora."""
        ruta = self._ruta(llave, tipo)
        try:
            guardado = ruta.read_bytes()
            os.utime(ruta)
        except OSError:
            return None
        inicio = len(_MARCA) + _LARGO_SUMA
        suma, datos = guardado[len(_MARCA):inicio], guardado[inicio:]
        if not guardado.startswith(_MARCA) or hashlib.sha256(datos).digest() != suma:
            with contextlib.suppress(OSError):
                ruta.unlink()  # alterado: se hará otra vez
            return None
        return datos

    def guardar(self, llave: str, datos: bytes, tipo: str = "bin") -> None:
        """Guarda el objeto (entero o nada). Si no se puede escribir, la corrida sigue: la
        caché es un atajo, no una parte del informe."""
        ruta = self._ruta(llave, tipo)
        try:
            ruta.parent.mkdir(parents=True, exist_ok=True)
            fd, temporal = tempfile.mkstemp(prefix=f".{llave[:8]}.", suffix=".tmp",
                                            dir=ruta.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_MARCA + hashlib.sha256(datos).digest())
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

