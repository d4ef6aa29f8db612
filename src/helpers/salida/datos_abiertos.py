"""Las tablas de un informe como datos abiertos: la carpeta `datos-abiertos/` con cada tabla
en CSV (los valores tal cual, no el texto protegido para Excel de `tablas/`) y un Frictionless
Data Package (`datapackage.json`) que describe cada columna —su tipo, su unidad y qué es, de
`helpers.redaccion.campos`—, la entidad, el periodo, la licencia de los parámetros y la huella
SHA-256 del libro del que salen las cifras y de cada CSV. docs/datos-abiertos.md.

El descriptor sigue la versión 1 de Data Package (perfil tabular-data-package), la que leen
los portales de datos abiertos (CKAN) y valida `frictionless validate` sin conexión.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.redaccion.campos import describir, titulo_de_tabla
from helpers.salida.manifiesto import sha256_archivo
from helpers.salida.tablas_csv import escribir_csv_crudo

__all__ = ["CARPETA", "DESCRIPTOR", "Publicacion", "descriptor_de", "escribir_datos_abiertos",
           "leer_paquete",
           "nombre_de_paquete", "publicacion_del_informe", "tablas_de_las_entidades"]

CARPETA = "datos-abiertos"
DESCRIPTOR = "datapackage.json"
_LEEME = "LEEME.txt"


@dataclass
class Publicacion:
    """Lo que el paquete dice de sí: qué informe, de quién, de cuándo, con qué licencia y de
    qué libros (sus rutas: se guarda el nombre y la huella de cada uno)."""

    titulo: str
    entidad: str
    sigla: str
    gestion: int
    etiqueta: str  # 2024-T2, 2024-anual: el nombre del paquete
    periodo: str
    fecha_corte: str  # AAAA-MM-DD
    licencia: dict[str, str]
    libros: Iterable[Path] = ()
    entidades: list[dict] = field(default_factory=list)  # el lote: nombre y sigla de cada una
    # El lote: los libros de sus entidades con su huella ya calculada, y las licencias de
    # todas (si no es la misma para todas, el paquete las nombra a todas).
    libros_con_huella: list[dict] = field(default_factory=list)
    licencias: list[dict] = field(default_factory=list)


def publicacion_del_informe(parametros, libros: Iterable[Path] = ()) -> Publicacion:
    """La `Publicacion` de un informe generado con `parametros` (`entrada.parametros`)."""
    from helpers.redaccion.identidad import periodo_del_informe

    return Publicacion(
        titulo=parametros.tipo.titulo, entidad=parametros.entidad.nombre,
        sigla=parametros.entidad.sigla, gestion=parametros.gestion,
        etiqueta=parametros.etiqueta,
        periodo=periodo_del_informe(parametros.gestion, parametros.trimestre_corte,
                                    parametros.informe),
        fecha_corte=parametros.fecha_corte.isoformat(),
        licencia=parametros.datos_abiertos.descriptor_licencia, libros=list(libros))


def nombre_de_paquete(*partes: str) -> str:
    """Un nombre de paquete o de recurso válido (minúsculas, dígitos, «-», «.», «_»)."""
    texto = unicodedata.normalize("NFKD", "-".join(partes))
    texto = "".join(c for c in texto if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9._-]+", "-", texto).strip("-") or "datos"


def _columna_y_tipo(serie: pd.Series) -> tuple[pd.Series, str]:
    """La columna como va al CSV y su tipo de Table Schema."""
    if pd.api.types.is_bool_dtype(serie):
        return serie, "boolean"
    if pd.api.types.is_integer_dtype(serie):
        return serie, "integer"
    if pd.api.types.is_float_dtype(serie):
        return serie, "number"
    if pd.api.types.is_datetime64_any_dtype(serie):
        sin_hora = serie.dropna()
        if (sin_hora == sin_hora.dt.normalize()).all():
            return serie.dt.strftime("%Y-%m-%d"), "date"
        return serie.dt.strftime("%Y-%m-%dT%H:%M:%S"), "datetime"
    valores = serie.dropna()
    if len(valores) and all(isinstance(v, dt.date) and not isinstance(v, dt.datetime)
                            for v in valores):
        return serie.map(lambda v: v.isoformat() if isinstance(v, dt.date) else v), "date"
    return serie, "string"


def _recurso(nombre: str, tabla: pd.DataFrame, carpeta: Path) -> dict:
    """Escribe `tabla` en `carpeta/<nombre>.csv` y devuelve su descripción."""
    columnas, campos = {}, []
    for columna in tabla.columns:
        valores, tipo = _columna_y_tipo(tabla[columna])
        columnas[columna] = valores
        campo = describir(nombre, str(columna))
        campos.append({"name": str(columna), "type": tipo, "description": campo.descripcion,
                       **({"unit": campo.unidad} if campo.unidad else {})})
    ruta = escribir_csv_crudo(pd.DataFrame(columnas, columns=tabla.columns),
                              carpeta / f"{nombre}.csv")
    return {
        "name": nombre_de_paquete(nombre), "path": ruta.name, "title": titulo_de_tabla(nombre),
        "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "bytes": ruta.stat().st_size,
        "hash": f"sha256:{sha256_archivo(ruta)}",
        "schema": {"fields": campos, "missingValues": [""]},
    }


def _descriptor(publicacion: Publicacion, recursos: list[dict]) -> dict:
    p = publicacion
    libros = [{"archivo": Path(libro).name, "sha256": sha256_archivo(Path(libro))}
              for libro in p.libros if Path(libro).is_file()] + list(p.libros_con_huella)
    return {
        "profile": "tabular-data-package",
        "name": nombre_de_paquete(p.sigla, p.etiqueta),
        "title": f"{p.titulo} — {p.entidad} — {p.periodo}",
        "description": (
            f"Las tablas del informe «{p.titulo}» de {p.entidad} ({p.sigla}), {p.periodo}, "
            f"con corte al {p.fecha_corte}: las cifras que el informe presenta, calculadas "
            "del libro del POA de la entidad, con la precisión completa (los porcentajes van "
            "de 0 a 100). Cada columna dice qué es y en qué unidad está."),
        "keywords": ["POA", "plan operativo anual", "seguimiento", "ejecución presupuestaria",
                     p.sigla, str(p.gestion)],
        "licenses": p.licencias or [p.licencia],
        "sources": [{"title": f"Libro del POA: {libro['archivo']}"
                               + (f" ({libro['sigla']})" if libro.get("sigla") else "")}
                    for libro in libros],
        "entidad": {"nombre": p.entidad, "sigla": p.sigla},
        **({"entidades": p.entidades} if p.entidades else {}),
        "gestion": p.gestion,
        "periodo": p.periodo,
        "fecha_corte": p.fecha_corte,
        "libros": libros,
        "resources": recursos,
    }


def _leeme(publicacion: Publicacion) -> str:
    return (
        f"Datos abiertos del informe «{publicacion.titulo}», {publicacion.entidad}, "
        f"{publicacion.periodo}.\n\n"
        f"{DESCRIPTOR} describe cada tabla y cada columna (tipo, unidad, descripción), la "
        "licencia y la huella del libro del que salen las cifras. Los CSV llevan los valores "
        "tal cual, para programas y portales de datos; para abrir las tablas en una hoja de "
        "cálculo, use las de la carpeta tablas/ del informe, preparadas para eso.\n"
    )


def escribir_datos_abiertos(tablas: dict[str, pd.DataFrame], carpeta_informe: Path,
                            publicacion: Publicacion) -> Path:
    """`carpeta_informe/datos-abiertos/` con una CSV por tabla de `tablas` (en su orden), el
    `datapackage.json` que las describe y un LEEME.txt; devuelve la ruta del descriptor."""
    carpeta = Path(carpeta_informe) / CARPETA
    carpeta.mkdir(parents=True, exist_ok=True)
    recursos = [_recurso(nombre, tabla, carpeta) for nombre, tabla in tablas.items()]
    descriptor = carpeta / DESCRIPTOR
    descriptor.write_text(json.dumps(_descriptor(publicacion, recursos), ensure_ascii=False,
                                     indent=2) + "\n", encoding="utf-8")
    (carpeta / _LEEME).write_text(_leeme(publicacion), encoding="utf-8")
    return descriptor


# Cómo se lee de vuelta cada tipo de Table Schema (las fechas quedan como texto ISO).
_LECTURA = {"integer": "Int64", "number": "float64", "boolean": "boolean"}


def leer_paquete(carpeta_informe: Path) -> dict[str, pd.DataFrame]:
    """Las tablas de `carpeta_informe/datos-abiertos/`, con el tipo que dice su descriptor
    (texto lo que es texto: un código «007» no se vuelve 7)."""
    carpeta = Path(carpeta_informe) / CARPETA
    descriptor = json.loads((carpeta / DESCRIPTOR).read_text(encoding="utf-8"))
    tablas = {}
    for recurso in descriptor["resources"]:
        tipos = {c["name"]: _LECTURA.get(c["type"], "str") for c in recurso["schema"]["fields"]}
        tablas[Path(recurso["path"]).stem] = pd.read_csv(
            carpeta / recurso["path"], dtype=tipos, keep_default_na=False,
            na_values={c: [""] for c, t in tipos.items() if t != "str"})
    return tablas


def descriptor_de(carpeta_informe: Path) -> dict | None:
    """El `datapackage.json` de un informe, o None si no lo tiene."""
    ruta = Path(carpeta_informe) / CARPETA / DESCRIPTOR
    return json.loads(ruta.read_text(encoding="utf-8")) if ruta.is_file() else None


def tablas_de_las_entidades(carpetas: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """Las tablas de los datos abiertos de varias entidades (sigla → carpeta de su informe),
    cada una con la de las demás debajo y la sigla delante: una tabla `operacion` con las
    operaciones de todas. Una tabla que sólo tiene alguna entidad va con las suyas."""
    juntas: dict[str, list[pd.DataFrame]] = {}
    for sigla, carpeta in carpetas.items():
        if not (Path(carpeta) / CARPETA / DESCRIPTOR).is_file():
            continue  # un informe de antes de los datos abiertos
        for nombre, tabla in leer_paquete(carpeta).items():
            juntas.setdefault(nombre, []).append(tabla.assign(sigla=sigla)[
                ["sigla", *tabla.columns]])
    return {nombre: pd.concat(partes, ignore_index=True) for nombre, partes in juntas.items()}
