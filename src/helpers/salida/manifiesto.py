"""El manifiesto de una corrida: qué datos y qué parámetros produjeron qué informe.

`manifiesto.json` guarda los parámetros usados, el tamaño y el SHA-256 de cada archivo de
entrada y de salida, las versiones de Python y de los paquetes, y el inicio y el fin de la
corrida. `verificar_manifiesto` vuelve a calcular los hashes para un auditor.

Rutas, siempre con `/`: las entradas, relativas a `raiz` (la raíz del repositorio), con
`..` si están fuera de ella (absolutas sólo sin `raiz`); las salidas, relativas a
`carpeta_salida`. `raiz` y `carpeta_salida` se guardan relativas a la carpeta del
manifiesto. Así el árbol se puede copiar a otra máquina, y la carpeta de salida renombrar
(el informe se arma en una carpeta temporal que luego toma su nombre), y verificar igual.

Qué programa lo produjo (sección `codigo`, formato 2): la versión de informe-poa, el commit
de git del proyecto y si alguno de los archivos del programa difiere de ese commit (None si
el proyecto no es un repositorio de git o git no está), y el SHA-256 de cada archivo del
programa (`CODIGO`): todo `src/helpers/` (con las plantillas y las fuentes), los cuadernos
`notebooks/**/*.ipynb` con los `secciones.yaml` de cada tipo, `requirements.lock` y
`pyproject.toml`, con rutas relativas a la raíz del proyecto; instalado como paquete, todo
`helpers/` (que trae los cuadernos). Los datos y los parámetros del usuario no son código,
aunque estén dentro de la copia del proyecto: son entradas, con su propia huella.
`verificar_manifiesto(..., proyecto=...)` los compara con los de un proyecto. Las mismas
huellas, versión y commit van al colofón del informe (`datos_colofon`).
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from pathlib import Path, PurePath

from helpers.rutas import MANIFIESTO

__all__ = [
    "PAQUETES",
    "Comprobacion",
    "comprobar_manifiesto",
    "archivos_de_codigo",
    "datos_colofon",
    "describir_codigo",
    "entorno_actual",
    "escribir_manifiesto",
    "estado_git",
    "sha256_archivo",
    "verificar_manifiesto",
    "version_programa",
]

NOMBRE = MANIFIESTO
VERSION_FORMATO = 2  # 2: sección `codigo` (versión, commit y huellas del código)
PROGRAMA = "informe-poa"
# El programa que produce el informe, relativo a la raíz del proyecto: (carpeta, patrón).
CODIGO = (
    ("src/helpers", "**/*"), ("notebooks", "**/*.ipynb"), ("notebooks", "*/secciones.yaml"),
    (".", "requirements.lock"), (".", "pyproject.toml"),
)
# Instalado como paquete (sin copia del proyecto): el paquete, con sus cuadernos.
CODIGO_INSTALADO = (("helpers", "**/*"),)
# Lo que no es código aunque esté ahí: cachés de Python y de Jupyter, archivos ocultos.
_NO_CODIGO_CARPETAS = frozenset({"__pycache__", ".ipynb_checkpoints"})
_NO_CODIGO_SUFIJOS = (".pyc", ".pyo")
_GIT_SEGUNDOS = 10
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


def _ruta_guardada(ruta: Path, raiz: Path | None, fuera: bool = False) -> str:
    """`ruta` relativa a `raiz` si está dentro; si no, con `fuera`, relativa a `raiz` con
    `..` (ninguna ruta absoluta de la máquina queda escrita); si no, absoluta."""
    absoluta = Path(os.path.abspath(ruta))
    if raiz is not None:
        for a, r in ((absoluta, raiz), (absoluta.resolve(), raiz.resolve())):  # enlaces
            try:
                return a.relative_to(r).as_posix()
            except ValueError:
                pass
        if fuera:
            return _relativa_a_carpeta(absoluta, raiz)
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
            "ruta": _ruta_guardada(p, raiz, fuera=True),
            "bytes": p.stat().st_size,
            "sha256": sha256_archivo(p),
        })
    return filas


def _version(paquete: str) -> str | None:
    try:
        return metadata.version(paquete)
    except metadata.PackageNotFoundError:
        return None


def entorno_actual() -> dict:
    """La sección `entorno` del manifiesto, como es ahora: Python, la plataforma y las
    versiones de `PAQUETES` (la caché del informe la compara con la de su última corrida)."""
    return _entorno()


def _entorno() -> dict:
    return {
        "python": platform.python_version(),
        "implementacion": platform.python_implementation(),
        "plataforma": platform.platform(),
        "paquetes": {p: _version(p) for p in PAQUETES},
    }


# --- Qué programa produjo el informe ----------------------------------------------------


def version_programa(proyecto: Path | None = None) -> str | None:
    """La versión de informe-poa: la del paquete instalado y, si no lo está, la de
    `pyproject.toml` en `proyecto` (por omisión, la raíz de este repositorio). None si no se
    puede leer ninguna."""
    version = _version(PROGRAMA)
    if version is not None:
        return version
    if proyecto is None:
        from helpers.rutas import PROGRAMA as proyecto
    try:
        with open(Path(proyecto) / "pyproject.toml", "rb") as f:
            version = tomllib.load(f)["project"]["version"]
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError):
        return None
    return str(version)


def _git(carpeta: Path, *argumentos: str) -> str | None:
    """La salida de `git <argumentos>` en `carpeta`, sin espacios al final; None si git no
    está, falla o tarda demasiado. Sin las variables GIT_* del entorno (un GIT_DIR heredado
    apuntaría a otro repositorio) y sin tomar el cerrojo del índice (otro proceso puede
    estar usando el repositorio)."""
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        resultado = subprocess.run(
            ["git", "--no-optional-locks", *argumentos],
            cwd=carpeta, env=entorno, stdin=subprocess.DEVNULL, capture_output=True,
            timeout=_GIT_SEGUNDOS, check=False,
        )
        salida = resultado.stdout.decode("utf-8")
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return salida.rstrip() if resultado.returncode == 0 else None


def _misma_carpeta(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _patrones(proyecto: Path) -> tuple[tuple[str, str], ...]:
    return CODIGO if (proyecto / "src" / "helpers").is_dir() else CODIGO_INSTALADO


def _rutas_git(proyecto: Path) -> list[str]:
    """Las rutas del programa para `git status`: las carpetas y los archivos de `CODIGO`."""
    return sorted({patron if carpeta == "." else carpeta for carpeta, patron in
                   _patrones(proyecto)})


def estado_git(proyecto: Path) -> dict:
    """`{"commit": ..., "cambios_sin_confirmar": ...}` del proyecto: el commit de HEAD y si
    los archivos del programa (`CODIGO`) difieren de él (modificados, borrados o nuevos sin
    ignorar). Los demás (datos y parámetros del usuario dentro de la copia) no cuentan.
    Ambos None si `proyecto` no es la raíz de un repositorio de git (un proyecto copiado
    dentro de otro repositorio no toma el commit de ese), si el repositorio no tiene commits
    o si git no está; `cambios_sin_confirmar` None si no se pudo saber. Nunca falla."""
    desconocido = {"commit": None, "cambios_sin_confirmar": None}
    proyecto = Path(os.path.abspath(proyecto))
    if not proyecto.is_dir():
        return desconocido
    raiz = _git(proyecto, "rev-parse", "--show-toplevel")
    if not raiz or not _misma_carpeta(Path(raiz), proyecto):
        return desconocido
    commit = _git(proyecto, "rev-parse", "--verify", "--quiet", "HEAD")
    if not commit:
        return desconocido
    estado = _git(proyecto, "status", "--porcelain", "--untracked-files=normal", "--",
                  *_rutas_git(proyecto))
    return {"commit": commit, "cambios_sin_confirmar": None if estado is None else estado != ""}


def _es_codigo(relativa: PurePath) -> bool:
    partes = relativa.parts
    return not (
        any(p in _NO_CODIGO_CARPETAS or p.startswith(".") for p in partes)
        or relativa.suffix in _NO_CODIGO_SUFIJOS
    )


def archivos_de_codigo(proyecto: Path) -> list[Path]:
    """Los archivos del programa (`CODIGO` en una copia del proyecto, `CODIGO_INSTALADO` en
    un paquete instalado), sin cachés ni archivos ocultos, ordenados por su ruta relativa a
    `proyecto`."""
    proyecto = Path(os.path.abspath(proyecto))
    encontrados: dict[str, Path] = {}
    for carpeta, patron in _patrones(proyecto):
        for p in (proyecto / carpeta).glob(patron):
            relativa = p.relative_to(proyecto)
            if _es_codigo(relativa) and p.is_file():
                encontrados[relativa.as_posix()] = p
    return [encontrados[r] for r in sorted(encontrados)]


def describir_codigo(proyecto: Path) -> dict:
    """La sección `codigo` del manifiesto: `version`, `commit`, `cambios_sin_confirmar`
    (`estado_git`) y `archivos` (ruta relativa a `proyecto`, bytes y SHA-256 de cada archivo
    de `archivos_de_codigo`). Conviene calcularla una vez, al empezar la corrida, y pasarla
    a `escribir_manifiesto` y a `datos_colofon`: así los dos dicen lo mismo."""
    proyecto = Path(os.path.abspath(proyecto))
    return {
        "version": version_programa(proyecto),
        **estado_git(proyecto),
        "archivos": _descripcion(archivos_de_codigo(proyecto), proyecto),
    }


# --- Colofón ----------------------------------------------------------------------------


def _nombre_publico(ruta: Path, proyecto: Path | None) -> str:
    """Ruta relativa a `proyecto` si está dentro; si no, sólo el nombre del archivo (el
    colofón no muestra rutas de la máquina que generó el informe)."""
    if proyecto is not None:
        guardada = _ruta_guardada(ruta, Path(os.path.abspath(proyecto)))
        if not PurePath(guardada).is_absolute():
            return guardada
    return Path(ruta).name


def _fecha_legible(momento: datetime) -> str:
    """'15 de julio de 2024, 09:02:30 (UTC−04:00)', en la zona horaria de `momento`."""
    from babel.dates import format_datetime

    momento = momento if momento.tzinfo is not None else momento.astimezone()
    texto = format_datetime(
        momento, "d 'de' MMMM 'de' y, HH:mm:ss", tzinfo=momento.tzinfo, locale="es"
    )
    desfase = momento.strftime("%z")  # -0400
    return f"{texto} (UTC{desfase[0].replace('-', '−')}{desfase[1:3]}:{desfase[3:5]})"


def datos_colofon(
    *,
    datos: Path | list[Path],
    params: Path,
    proyecto: Path,
    carpeta: Path | None = None,
    momento: datetime | None = None,
    codigo: dict | None = None,
) -> dict:
    """Los datos del colofón del informe (``ensamblar(..., colofon=...)``), todos texto:

    - ``datos``: ``[{"nombre", "sha256"}]`` de cada archivo de datos (`datos`: el libro, los
      CSV leídos, o una carpeta, que se recorre); ``parametros``: ``{"nombre", "sha256"}``.
      Nombres relativos a `proyecto` si están dentro; si no, sólo el nombre del archivo.
    - ``programa``, ``version``, ``commit``, ``cambios_sin_confirmar`` (bool o None): de
      `codigo` (lo que devuelve `describir_codigo`, para que el colofón y el manifiesto
      digan lo mismo) o, si no se da, de `version_programa` y `estado_git` de `proyecto`.
    - ``generado`` (legible, en español) y ``generado_iso``: `momento`, por omisión ahora
      (una hora sin zona se toma como hora local).
    - ``verificacion``: las órdenes que comprueban el informe; con `carpeta` (la carpeta
      definitiva del informe) relativa a `proyecto` si está dentro, si no ``<carpeta>``.
    """
    proyecto = Path(os.path.abspath(proyecto))
    if codigo is None:
        codigo = {"version": version_programa(proyecto), **estado_git(proyecto)}
    momento = (momento or datetime.now().astimezone()).replace(microsecond=0)
    archivos: list[Path] = []
    for d in [datos] if isinstance(datos, (str, PurePath)) else datos:
        archivos.extend(sorted(_archivos(Path(d), set()), key=lambda p: p.as_posix()))
    nombre_carpeta = "<carpeta>"
    if carpeta is not None:
        relativa = _ruta_guardada(Path(carpeta), proyecto)
        if not PurePath(relativa).is_absolute():
            nombre_carpeta = relativa
    return {
        "datos": [
            {"nombre": _nombre_publico(p, proyecto), "sha256": sha256_archivo(p)}
            for p in archivos
        ],
        "parametros": {
            "nombre": _nombre_publico(Path(params), proyecto),
            "sha256": sha256_archivo(Path(params)),
        },
        "programa": PROGRAMA,
        "version": codigo.get("version"),
        "commit": codigo.get("commit"),
        "cambios_sin_confirmar": codigo.get("cambios_sin_confirmar"),
        "generado": _fecha_legible(momento),
        "generado_iso": _iso(momento),
        "verificacion": [
            f"make verify OUTPUT={nombre_carpeta}",
            f"python -m helpers.salida.verificacion {nombre_carpeta}",
        ],
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
    proyecto: Path | None = None,
    codigo: dict | None = None,
) -> Path:
    """Escribe el manifiesto de la corrida en `ruta` (UTF-8, sangría 2, claves ordenadas).

    - `entradas`: archivos (o carpetas, que se recorren) leídos por la corrida.
    - `carpeta_salida`: se describen todos sus archivos, recursivamente, salvo el
      manifiesto, con rutas relativas a ella, ordenados por ruta.
    - `raiz`: las rutas de las entradas se guardan relativas a ella cuando es posible.
    - `inicio`, `fin`: con zona horaria (una hora sin zona se toma como hora local).
    - `codigo`: la sección `codigo` (`describir_codigo(proyecto)`, calculada al empezar la
      corrida); si no se da y sí `proyecto`, se calcula aquí; si no se da ninguno, null.
    """
    if codigo is None and proyecto is not None:
        codigo = describir_codigo(proyecto)
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
        "codigo": codigo,
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


@dataclass(frozen=True)
class Comprobacion:
    """El resultado de comprobar un archivo del manifiesto: `grupo` (entrada, salida o
    codigo), la ruta como figura en el manifiesto y su `estado`: "coincide", "cambió",
    "falta" o "nuevo" (un archivo de código que el manifiesto no nombra)."""

    grupo: str
    ruta: str
    estado: str

    @property
    def coincide(self) -> bool:
        return self.estado == "coincide"


def comprobar_manifiesto(
    ruta: Path, raiz: Path | None = None, *, proyecto: Path | None = None
) -> list[Comprobacion]:
    """Una `Comprobacion` por cada archivo de entrada, de salida y (con `proyecto`) de
    código del manifiesto, en ese orden; después, ordenados, los archivos de código de
    `proyecto` que el manifiesto no nombra (uno nuevo también cambia lo que el programa
    hace).

    Las entradas relativas se resuelven contra `raiz`, o si no se da, contra la raíz que
    guarda el manifiesto (relativa a su carpeta); las salidas, contra la carpeta de salida
    que guarda el manifiesto (relativa a su carpeta). Un manifiesto sin sección `codigo`
    (formato 1) no tiene con qué comparar el código: sólo se comprueban entradas y salidas.
    """
    ruta = Path(ruta)
    contenido = json.loads(ruta.read_text(encoding="utf-8"))
    if raiz is None:
        relativa = contenido.get("raiz")
        raiz = (ruta.parent / relativa) if relativa is not None else ruta.parent
    salida = ruta.parent / contenido.get("carpeta_salida", ".")  # absoluta: queda tal cual
    grupos = [("entrada", contenido.get("entradas", []), Path(raiz)),
              ("salida", contenido.get("salidas", []), salida)]
    codigo = contenido.get("codigo")
    if proyecto is not None and codigo:
        grupos.append(("codigo", codigo.get("archivos", []), Path(proyecto)))
    comprobaciones = [
        Comprobacion(grupo, item["ruta"], _estado(item, base))
        for grupo, items, base in grupos for item in items
    ]
    if proyecto is not None and codigo:
        nombrados = {item["ruta"] for item in codigo.get("archivos", [])}
        comprobaciones.extend(
            Comprobacion("codigo", r, "nuevo") for p in archivos_de_codigo(Path(proyecto))
            if (r := p.relative_to(Path(os.path.abspath(proyecto))).as_posix()) not in nombrados
        )
    return comprobaciones


def verificar_manifiesto(
    ruta: Path, raiz: Path | None = None, *, proyecto: Path | None = None
) -> list[str]:
    """Las rutas (como figuran en el manifiesto) de los archivos que faltan, cambiaron o, en
    el código, son nuevos (ver `comprobar_manifiesto`). Lista vacía: todo coincide."""
    return [c.ruta for c in comprobar_manifiesto(ruta, raiz, proyecto=proyecto) if not c.coincide]


def _estado(item: dict, base: Path) -> str:
    """Si el archivo de `item` (relativo a `base` si su ruta no es absoluta) coincide."""
    p = Path(item["ruta"])
    if not p.is_absolute():
        p = base / p
    if not p.is_file():
        return "falta"
    return "coincide" if sha256_archivo(p) == item["sha256"] else "cambió"
