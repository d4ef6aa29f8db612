"""El consolidado por objetivo de un lote (`informe-poa lote --objetivos`): lo que cada entidad
aportó a cada objetivo de los marcos que comparten, leído de las tablas CSV de su informe por
objetivo (`tablas/objetivos.csv`, `acciones.csv`, `relatos.csv`), nunca de su libro.

Los marcos de las entidades se juntan por marco y código: un objetivo es el mismo en todas si
tiene el mismo nivel, el mismo nombre (sin contar mayúsculas ni espacios de más) y el mismo
objetivo por encima; si no, `MarcosDistintos` nombra la entidad, la hoja y la fila de cada
lado. Salen (`consolidar_objetivos`):

- ``objetivos``: los objetivos de todos los marcos, en el orden de su marco (cada uno seguido
  de los que dependen de él), con lo que les aportan todas las entidades: cuántas entidades,
  vínculos, ACP, operaciones y unidades (sumas); el avance físico y la eficacia, media simple
  de las cifras de las entidades que aportan y tienen valor (cada una, con la regla de su
  propio informe); el vigente y el devengado, sumas; la ejecución, devengado / vigente;
- ``por_entidad``: una fila por entidad y objetivo al que aporta, con las cifras de su informe;
- ``acciones`` y ``relatos``: lo vinculado a cada objetivo y lo que las unidades escribieron
  de ello, de cada entidad (con su sigla);
- ``entidades``: cada entidad del lote con su estado (aporta, sin vínculos, no disponible),
  cuántos objetivos toca y, si no aporta, el motivo.

Las funciones son puras salvo `leer_entidad_objetivos`, que lee los CSV de una carpeta. Los
porcentajes quedan en 0-100 con precisión completa (el informe redondea al mostrar).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.consolidado import TablasIlegibles, leer_csv, leer_o_motivo
from helpers.calculo.objetivos import FISICAS, en_orden
from helpers.calculo.pasos import MONTOS
from helpers.entrada.marcos import MARCO_PEI

__all__ = ["APORTA", "CONTEOS", "ESTADOS", "EntidadObjetivos", "MarcosDistintos",
           "NO_DISPONIBLE", "SIN_VINCULOS", "TABLAS", "consolidar_objetivos",
           "leer_consolidado_objetivos", "leer_entidad_objetivos", "totales"]

IDENTIDAD = ["marco", "codigo", "nivel", "nombre", "codigo_padre"]
CONTEOS = ["vinculos", "acp", "operaciones", "unidades"]
CIFRAS = [*FISICAS, *MONTOS]
EJECUCION = {"ejecucion_trimestre": "devengado_trimestre",
             "ejecucion_acumulada": "devengado_acumulado"}
ACCIONES = ["marco", "codigo", "tipo", "codigo_acp", "descripcion_acp", "codigo_operacion",
            "descripcion_operacion", "codigo_unidad", "nombre_unidad"]
RELATOS = ["marco", "codigo", "codigo_acp", "codigo_unidad", "nombre_unidad", "tipo", "texto"]
# El estado de cada entidad en el consolidado.
APORTA, SIN_VINCULOS, NO_DISPONIBLE = "aporta", "sin vínculos", "no disponible"
ESTADOS = (APORTA, SIN_VINCULOS, NO_DISPONIBLE)
_SIN_VINCULOS = ("su libro no vincula ninguna ACP ni operación a ningún objetivo (las hojas "
                 "articulacion y vinculos están vacías o no están)")
# Los marcos propios de cada entidad (su plan estratégico institucional): el mismo nombre en
# dos entidades no es el mismo plan, y no se juntan; están en el informe de cada una.
MARCOS_PROPIOS = (MARCO_PEI,)
_SOLO_PROPIOS = ("su libro sólo vincula lo suyo a su PEI, que es propio de la entidad y no se "
                 "junta con el de las demás (está en su informe por objetivo)")
# Las tablas del consolidado, en el orden de tablas/ y del anexo.
TABLAS = ("objetivos", "por_entidad", "acciones", "relatos", "entidades")
# Las columnas de números de cada una (las demás son texto).
_NUMEROS = {"objetivos": ["profundidad", "entidades", *CONTEOS, *CIFRAS, *EJECUCION],
            "por_entidad": [*CONTEOS, *CIFRAS, *EJECUCION], "entidades": ["objetivos"]}


@dataclass
class EntidadObjetivos:
    """Una entidad del lote por objetivo: nombre y sigla (de sus parámetros), el nombre de su
    libro, la carpeta de su informe si se generó y, si no, el motivo; `sin_vinculos` si su
    informe no se generó porque su libro no vincula nada a ningún objetivo."""

    nombre: str
    sigla: str
    libro: str = ""
    carpeta: Path | None = None
    motivo: str | None = None
    sin_vinculos: bool = False


class MarcosDistintos(ValueError):
    """Dos entidades dan al mismo código de un marco otro nivel, otro nombre u otro objetivo
    por encima (el mensaje dice cuáles, con la hoja y la fila de cada libro)."""


def _numeros(tabla: pd.DataFrame, columnas: list[str], ruta: Path,
             obligatorias: tuple[str, ...] = ()) -> pd.DataFrame:
    tabla = tabla.copy()
    for columna in columnas:
        vacias = tabla[columna].eq("")
        if columna in obligatorias and vacias.any():
            raise TablasIlegibles(f"{ruta}, fila {int(vacias.idxmax()) + 2}, columna "
                                  f"{columna}: está vacía")
        convertida = pd.to_numeric(tabla[columna].where(tabla[columna].ne("")),
                                   errors="coerce")
        malas = convertida.isna() & tabla[columna].ne("")
        if malas.any():
            fila = int(malas.idxmax()) + 2
            raise TablasIlegibles(f"{ruta}, fila {fila}, columna {columna}: "
                                  f"«{tabla.at[malas.idxmax(), columna]}» no es un número")
        tabla[columna] = convertida.astype(float)
    return tabla


def leer_entidad_objetivos(carpeta: Path) -> dict[str, pd.DataFrame]:
    """Las tablas `objetivos`, `acciones` y `relatos` del informe por objetivo de `carpeta`,
    sin los marcos propios de la entidad (`MARCOS_PROPIOS`). Lanza `TablasIlegibles` con un
    mensaje que nombra el archivo, la fila o la columna."""
    tablas = Path(carpeta) / "tablas"
    ruta = tablas / "objetivos.csv"
    numericas = ["fila", *CONTEOS, *CIFRAS]
    objetivos = _numeros(leer_csv(ruta, [*IDENTIDAD, "hoja", *numericas]), numericas, ruta,
                         obligatorias=("fila", *CONTEOS))
    leidas = {
        "objetivos": objetivos,
        "acciones": leer_csv(tablas / "acciones.csv", ACCIONES)[ACCIONES],
        "relatos": leer_csv(tablas / "relatos.csv", RELATOS)[RELATOS],
    }
    return {nombre: tabla[~tabla["marco"].isin(MARCOS_PROPIOS)].reset_index(drop=True)
            for nombre, tabla in leidas.items()}


# -- Los marcos de todas las entidades, juntados por código --------------------------------

def _igual(a: str, b: str) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def _donde(entidad: EntidadObjetivos, fila) -> str:
    libro = f"libro {entidad.libro}, " if entidad.libro else ""
    return (f"{entidad.nombre} ({entidad.sigla}; {libro}hoja {fila['hoja']}, "
            f"fila {int(fila['fila'])})")


def _diferencia(primera: dict, fila) -> str | None:
    """Qué tiene `fila` distinto del objetivo ya visto `primera` (None si nada). Un libro que
    no dice de qué objetivo depende éste no contradice al que lo dice."""
    for columna, que in (("nivel", "es del nivel"), ("nombre", "se llama"),
                         ("codigo_padre", "depende de")):
        if columna == "codigo_padre" and "" in (primera["fila"][columna], fila[columna]):
            continue
        if not _igual(primera["fila"][columna], fila[columna]):
            otro = fila[columna] or "ninguno"
            antes = primera["fila"][columna] or "ninguno"
            return f"{que} «{otro}», y en {primera['donde']} {que} «{antes}»"
    return None


def juntar_marcos(leidas: list[tuple[EntidadObjetivos, pd.DataFrame]]) -> pd.DataFrame:
    """Los objetivos de todas las entidades (marco y código una sola vez, en el orden en que
    aparecen) en el orden de su marco (`en_orden`). Lanza `MarcosDistintos` con una línea por
    objetivo que dos entidades describen distinto."""
    vistos: dict[tuple[str, str], dict] = {}
    problemas = []
    for entidad, objetivos in leidas:
        for _, fila in objetivos.iterrows():
            clave = (fila["marco"], fila["codigo"])
            if clave not in vistos:
                vistos[clave] = {"fila": fila.copy(), "donde": _donde(entidad, fila)}
                continue
            diferencia = _diferencia(vistos[clave], fila)
            if not vistos[clave]["fila"]["codigo_padre"]:  # otro libro dice de cuál depende
                vistos[clave]["fila"]["codigo_padre"] = fila["codigo_padre"]
            if diferencia:
                problemas.append(f"{_donde(entidad, fila)}: el objetivo «{fila['codigo']}» del "
                                 f"marco {fila['marco']} {diferencia}")
    if problemas:
        raise MarcosDistintos(
            "\n".join(problemas) + "\nEl lote junta los marcos de las entidades por su código: "
            "un mismo código debe tener el mismo nivel, nombre y objetivo superior en todos los "
            "libros. Corrija la hoja y la fila que se indican (o use otro código si son "
            "objetivos distintos) y vuelva a generar el lote.")
    union = pd.DataFrame([v["fila"][IDENTIDAD] for v in vistos.values()], columns=IDENTIDAD)
    return en_orden(union.reset_index(drop=True))


# -- Las cifras ----------------------------------------------------------------------------

def totales(por_entidad: pd.DataFrame, objetivos: pd.DataFrame) -> pd.DataFrame:
    """Cada objetivo de `objetivos` con lo que le aportan las entidades de `por_entidad`:
    cuántas, las sumas de los conteos y de los montos, la media simple de las cifras físicas
    con valor y la ejecución."""
    grupos = por_entidad.groupby(["marco", "codigo"], sort=False)
    suma = grupos[[*CONTEOS, *MONTOS]].sum(min_count=1)
    media = grupos[FISICAS].mean()
    cifras = pd.concat([grupos.size().rename("entidades"), suma, media], axis=1)
    claves = pd.MultiIndex.from_frame(objetivos[["marco", "codigo"]])
    cifras = cifras.reindex(claves)
    cifras["entidades"] = cifras["entidades"].fillna(0).astype(int)
    for columna in CONTEOS:
        cifras[columna] = cifras[columna].fillna(0).astype(int)
    for ejecucion, devengado in EJECUCION.items():
        cifras[ejecucion] = m.porcentaje(cifras[devengado], cifras["vigente"])
    columnas = ["entidades", *CONTEOS, *FISICAS, *MONTOS, *EJECUCION]
    return pd.concat([objetivos.reset_index(drop=True),
                      cifras[columnas].reset_index(drop=True)], axis=1)


def _por_entidad(leidas: list[tuple[EntidadObjetivos, dict]]) -> pd.DataFrame:
    filas = []
    for entidad, tablas in leidas:
        suyas = tablas["objetivos"]
        suyas = suyas[suyas["vinculos"] > 0]
        filas.append(suyas[["marco", "codigo", *CONTEOS, *CIFRAS]].assign(
            entidad=entidad.nombre, sigla=entidad.sigla))
    columnas = ["entidad", "sigla", "marco", "codigo", *CONTEOS, *CIFRAS]
    tabla = (pd.concat(filas, ignore_index=True) if filas
             else pd.DataFrame(columns=columnas))[columnas]
    tabla[CONTEOS] = tabla[CONTEOS].astype(int)
    for ejecucion, devengado in EJECUCION.items():
        tabla[ejecucion] = m.porcentaje(tabla[devengado].astype(float),
                                        tabla["vigente"].astype(float))
    return tabla


def _de_cada_una(leidas: list[tuple[EntidadObjetivos, dict]], nombre: str,
                 columnas: list[str]) -> pd.DataFrame:
    partes = [tablas[nombre].assign(sigla=entidad.sigla) for entidad, tablas in leidas]
    tabla = (pd.concat(partes, ignore_index=True) if partes
             else pd.DataFrame(columns=["sigla", *columnas]))
    return tabla[["sigla", *columnas]]


def _leer(entidades: list[EntidadObjetivos]) -> tuple[list, dict[int, dict]]:
    """Las tablas de las entidades que tienen informe, y el estado de cada una."""
    leidas, estados = [], {}
    for i, entidad in enumerate(entidades):
        estado = {"estado": NO_DISPONIBLE, "motivo": entidad.motivo or ""}
        if entidad.sin_vinculos:
            estado = {"estado": SIN_VINCULOS, "motivo": _SIN_VINCULOS}
        elif entidad.carpeta is not None and not entidad.motivo:
            tablas, estado["motivo"] = leer_o_motivo(entidad.carpeta, leer_entidad_objetivos)
            if tablas is not None:
                aporta = bool((tablas["objetivos"]["vinculos"] > 0).any())
                estado = ({"estado": APORTA, "motivo": ""} if aporta
                          else {"estado": SIN_VINCULOS, "motivo": _SOLO_PROPIOS})
                leidas.append((entidad, tablas))
        if estado["estado"] == NO_DISPONIBLE and not estado["motivo"]:
            estado["motivo"] = "no se generó su informe"
        estados[i] = estado
    return leidas, estados


def consolidar_objetivos(entidades: list[EntidadObjetivos]) -> dict[str, pd.DataFrame]:
    """Las tablas del consolidado por objetivo (ver el docstring del módulo), con las
    entidades en el orden de `entidades`. Lanza `MarcosDistintos`."""
    leidas, estados = _leer(entidades)
    objetivos = juntar_marcos([(e, t["objetivos"]) for e, t in leidas])
    por_entidad = _por_entidad(leidas)
    tocados = por_entidad.groupby(["entidad", "sigla"]).size()
    tabla_entidades = pd.DataFrame([
        {"entidad": e.nombre, "sigla": e.sigla, "estado": estados[i]["estado"],
         "objetivos": int(tocados.get((e.nombre, e.sigla), 0)), "motivo": estados[i]["motivo"]}
        for i, e in enumerate(entidades)],
        columns=["entidad", "sigla", "estado", "objetivos", "motivo"])
    return {
        "objetivos": totales(por_entidad, objetivos),
        "por_entidad": por_entidad,
        "acciones": _de_cada_una(leidas, "acciones", ACCIONES),
        "relatos": _de_cada_una(leidas, "relatos", RELATOS),
        "entidades": tabla_entidades,
    }


def leer_consolidado_objetivos(carpeta: Path) -> dict[str, pd.DataFrame]:
    """Las tablas que escribió el lote por objetivo en `carpeta/tablas/`, sin la regla del
    prefijo y con los números como float: lo que presenta su cuaderno."""
    leidas = {}
    for nombre in TABLAS:
        tabla = leer_csv(Path(carpeta) / "tablas" / f"{nombre}.csv", [])
        for columna in _NUMEROS.get(nombre, []):
            tabla[columna] = pd.to_numeric(tabla[columna].where(tabla[columna].ne(""))
                                           ).astype(float)
        leidas[nombre] = tabla
    return leidas
