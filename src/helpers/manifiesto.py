"""El manifiesto de una corrida: qué datos y qué parámetros produjeron qué informe.

`manifiesto.json` guarda los parámetros usados, el tamaño y el SHA-256 de cada archivo de
entrada y de salida, las versiones de Python y de los paquetes, y el inicio y el fin de la
corrida. `verificar_manifiesto` vuelve a calcular los hashes para un auditor.

Rutas, siempre con `/`: las entradas, relativas a `raiz` (la raíz del repositorio) cuando
es posible, y si no absolutas; las salidas, relativas a `carpeta_salida`. `raiz` y
`carpeta_salida` se guardan relativas a la carpeta del manifiesto. Así el árbol se puede
copiar a otra máquina, y la carpeta de salida renombrar (el informe se arma en una carpeta
temporal que luego toma su nombre), y verificar igual.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from datetime import date, datetime
from importlib import metadata
from pathlib import Path, PurePath

__all__ = ["PAQUETES", "escribir_manifiesto", "sha256_archivo", "verificar_manifiesto"]

NOMBRE = "manifiesto.json"
VERSION_FORMATO = 1
PAQUETES = (
    "informe-poa", "pandas", "numpy", "papermill", "nbconvert", "nbformat", "openpyxl",
    "seaborn", "matplotlib", "weasyprint", "pandera", "babel", "pydantic", "pyyaml",
)
_BLOQUE = 1 << 20  # 1 MiB


def sha256_archivo(ruta: Path) -> str:
    """SHA-256 de un archivo, leído por bloques."""
    h = hashlib.sha256()
    with open(ruta, "rb") as f:
        while bloque := f.read(_BLOQUE):
            h.update(bloque)
    return h.hexdigest()


def _ruta_guardada(ruta: Path, raiz: Path | None) -> str:
    absoluta = Path(os.path.abspath(ruta))
    if raiz is not None:
        for a, r in ((absoluta, raiz), (absoluta.resolve(), raiz.resolve())):  # enlaces
            try:
                return a.relative_to(r).as_posix()
            except ValueError:
                pass
    return absoluta.as_posix()


def _archivos(ruta: Path, excluir: set[Path]) -> list[Path]:
    """El archivo, o todos los archivos bajo una carpeta (recursivo)."""
    ruta = Path(ruta)
    if ruta.is_dir():
        encontrados = [p for p in ruta.rglob("*") if p.is_file()]
    elif ruta.is_file():
        encontrados = [ruta]
    else:
        raise FileNotFoundError(f"manifiesto: no existe {ruta}")
    return [p for p in encontrados if Path(os.path.abspath(p)) not in excluir]


def _relativa_a_carpeta(destino: Path, carpeta: Path) -> str:
    """`destino` relativo a `carpeta` (con `..` si hace falta); absoluto si no se puede."""
    try:
        return Path(os.path.relpath(destino, carpeta)).as_posix()
    except ValueError:  # otra unidad (Windows)
        return destino.as_posix()


def _descripcion(archivos: list[Path], raiz: Path | None) -> list[dict]:
    filas = []
    for p in archivos:
        filas.append({
            "ruta": _ruta_guardada(p, raiz),
            "bytes": p.stat().st_size,
            "sha256": sha256_archivo(p),
        })
    return filas


def _version(paquete: str) -> str | None:
    try:
        return metadata.version(paquete)
    except metadata.PackageNotFoundError:
        return None


def _entorno() -> dict:
    return {
        "python": platform.python_version(),
        "implementacion": platform.python_implementation(),
        "plataforma": platform.platform(),
        "paquetes": {p: _version(p) for p in PAQUETES},
    }


def _iso(momento: datetime) -> str:
    """ISO 8601 con zona horaria (una hora sin zona se toma como hora local)."""
    if momento.tzinfo is None:
        momento = momento.astimezone()
    return momento.isoformat()


def _json_por_defecto(valor):
    if isinstance(valor, PurePath):
        return valor.as_posix()
    if isinstance(valor, datetime):
        return _iso(valor)
    if isinstance(valor, date):
        return valor.isoformat()
    if isinstance(valor, (set, frozenset)):
        return sorted(valor, key=str)
    if hasattr(valor, "model_dump"):  # modelos de pydantic
        return valor.model_dump(mode="json")
    if hasattr(valor, "item"):  # escalares de numpy
        return valor.item()
    raise TypeError(f"manifiesto: {type(valor).__name__} no se puede guardar en JSON")


def escribir_manifiesto(
    ruta: Path,
    *,
    parametros: dict,
    entradas: list[Path],
    carpeta_salida: Path,
    inicio: datetime,
    fin: datetime,
    raiz: Path | None = None,
) -> Path:
    """Escribe el manifiesto de la corrida en `ruta` (UTF-8, sangría 2, claves ordenadas).

    - `entradas`: archivos (o carpetas, que se recorren) leídos por la corrida.
    - `carpeta_salida`: se describen todos sus archivos, recursivamente, salvo el
      manifiesto, con rutas relativas a ella, ordenados por ruta.
    - `raiz`: las rutas de las entradas se guardan relativas a ella cuando es posible.
    - `inicio`, `fin`: con zona horaria (una hora sin zona se toma como hora local).
    """
    ruta = Path(os.path.abspath(ruta))
    raiz_abs = Path(os.path.abspath(raiz)) if raiz is not None else None
    carpeta_salida = Path(os.path.abspath(carpeta_salida))
    excluir = {ruta}

    archivos_entrada: list[Path] = []
    for e in entradas:
        archivos_entrada.extend(sorted(_archivos(Path(e), excluir), key=lambda p: p.as_posix()))
    vistos: set[Path] = set()
    unicos = []
    for p in archivos_entrada:  # una entrada nombrada dos veces se describe una vez
        clave = Path(os.path.abspath(p))
        if clave not in vistos:
            vistos.add(clave)
            unicos.append(p)

    entradas_desc = _descripcion(unicos, raiz_abs)
    salidas_desc = sorted(
        _descripcion(
            [p for p in _archivos(carpeta_salida, excluir) if not _es_temporal(p, ruta)],
            carpeta_salida,
        ),
        key=lambda d: d["ruta"],
    )

    contenido = {
        "formato": VERSION_FORMATO,
        "parametros": parametros,
        "raiz": _relativa_a_carpeta(raiz_abs, ruta.parent) if raiz_abs is not None else None,
        "carpeta_salida": _relativa_a_carpeta(carpeta_salida, ruta.parent),
        "entradas": entradas_desc,
        "salidas": salidas_desc,
        "entorno": _entorno(),
        "inicio": _iso(inicio),
        "fin": _iso(fin),
        "duracion_segundos": round((fin - inicio).total_seconds(), 3),
    }
    texto = json.dumps(contenido, ensure_ascii=False, indent=2, sort_keys=True,
                       default=_json_por_defecto) + "\n"

    ruta.parent.mkdir(parents=True, exist_ok=True)
    fd, temporal = tempfile.mkstemp(prefix=f".{ruta.name}.", suffix=".tmp", dir=ruta.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(texto)
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
    return ruta


def _es_temporal(p: Path, manifiesto: Path) -> bool:
    """El temporal del propio manifiesto (si otro proceso lo está escribiendo)."""
    return p.name.startswith(f".{manifiesto.name}.") and p.name.endswith(".tmp")


def verificar_manifiesto(ruta: Path, raiz: Path | None = None) -> list[str]:
    """Las rutas (como figuran en el manifiesto) de los archivos de entrada o de salida que
    ya no existen o cuyo SHA-256 no coincide. Lista vacía: todo coincide.

    Las entradas relativas se resuelven contra `raiz`, o si no se da, contra la raíz que
    guarda el manifiesto (relativa a su carpeta); las salidas, contra la carpeta de salida
    que guarda el manifiesto (relativa a su carpeta).
    """
    ruta = Path(ruta)
    contenido = json.loads(ruta.read_text(encoding="utf-8"))
    if raiz is None:
        relativa = contenido.get("raiz")
        raiz = (ruta.parent / relativa) if relativa is not None else ruta.parent
    salida = ruta.parent / contenido.get("carpeta_salida", ".")  # absoluta: queda tal cual
    distintos = []
    for grupo, base in (("entradas", Path(raiz)), ("salidas", salida)):
        for item in contenido.get(grupo, []):
            guardada = item["ruta"]
            p = Path(guardada)
            if not p.is_absolute():
                p = base / p
            if not p.is_file() or sha256_archivo(p) != item["sha256"]:
                distintos.append(guardada)
    return distintos
