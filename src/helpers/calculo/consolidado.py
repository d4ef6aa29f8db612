"""El cuadro consolidado de un lote de entidades: una fila por entidad, leída de las tablas
CSV (`tablas/`) de su informe trimestral, nunca de su libro.

De cada informe se toman las cifras de la entidad (la fila TOTAL de `tablas/acp.csv`: el
vigente, el devengado, el avance físico, la eficacia y la ejecución financiera, del trimestre
y acumuladas, la calificación acumulada y el semáforo) y las alertas de `tablas/alertas.csv`
contadas por clase y por tipo. Una entidad cuyo informe no se generó, o cuyas tablas no se
pueden leer, queda en el cuadro como «no disponible», con el motivo: el consolidado nunca
calla a una entidad.

Las funciones son puras salvo `leer_entidad`, que lee los dos CSV de una carpeta. Los
porcentajes quedan en 0-100 con precisión completa (el informe redondea al mostrar).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.calculo.tablas import CLASE_ALERTA, CLASE_INFORMACION, PRIORIDAD_ALERTAS, TOTAL
from helpers.comun.errores_del_sistema import causa
from helpers.comun.literal import texto_de_celda

# Las cifras de la entidad que se copian de la fila TOTAL de tablas/acp.csv, en este orden.
CIFRAS = [
    "vigente", "devengado_acumulado",
    "avance_fisico_trimestre", "avance_fisico_acumulado",
    "eficacia_trimestre", "eficacia_acumulada",
    "ejecucion_trimestre", "ejecucion_acumulada",
]
TEXTOS = ["calificacion_acumulada", "semaforo"]
COLUMNAS = ["entidad", "sigla", "disponible", "motivo", *CIFRAS, *TEXTOS,
            "alertas", "informacion"]
# El semáforo de la ejecución financiera, del mejor al peor.
SEMAFOROS = ["verde", "amarillo", "rojo"]
NO_DISPONIBLE = "No disponible"


@dataclass
class Entidad:
    """Una entidad del lote: su nombre y sigla (de sus parámetros), la carpeta de su informe
    si se generó y, si no, el motivo."""

    nombre: str
    sigla: str
    carpeta: Path | None = None
    motivo: str | None = None


class TablasIlegibles(ValueError):
    """Las tablas de un informe faltan o no tienen lo que se espera (el mensaje dice qué)."""


def leer_csv(ruta: Path, columnas: list[str]) -> pd.DataFrame:
    try:
        tabla = pd.read_csv(ruta, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise TablasIlegibles(f"falta {ruta}") from None
    except OSError as error:
        raise TablasIlegibles(f"no se pudo leer {ruta}: {causa(error)}") from None
    except (ValueError, pd.errors.ParserError) as error:
        raise TablasIlegibles(f"no se pudo leer {ruta}: {error}") from None
    faltan = [c for c in columnas if c not in tabla.columns]
    if faltan:
        raise TablasIlegibles(f"{ruta}: faltan las columnas {', '.join(faltan)}")
    # La regla del prefijo de los CSV (un texto que empieza con = lleva un apóstrofo).
    return tabla.map(texto_de_celda)


def _numero(texto: str, ruta: Path, columna: str) -> float:
    if texto.strip() == "":
        return float("nan")
    try:
        return float(texto)
    except ValueError:
        raise TablasIlegibles(
            f"{ruta}, fila {TOTAL}, columna {columna}: «{texto}» no es un número"
        ) from None


def leer_entidad(carpeta: Path) -> dict:
    """Las cifras y los conteos de alertas del informe de `carpeta` (su `tablas/`):
    ``{"cifras": {columna: valor}, "alertas": DataFrame tipo, clase, cantidad}``. Lanza
    `TablasIlegibles` con un mensaje que nombra el archivo, la fila o la columna."""
    tablas = Path(carpeta) / "tablas"
    ruta_acp = tablas / "acp.csv"
    acp = leer_csv(ruta_acp, ["codigo_acp", *CIFRAS, *TEXTOS])
    total = acp[acp["codigo_acp"] == TOTAL]
    if len(total) != 1:
        raise TablasIlegibles(f"{ruta_acp}: no tiene una fila {TOTAL} (la de la entidad)")
    fila = total.iloc[0]
    cifras: dict = {c: _numero(fila[c], ruta_acp, c) for c in CIFRAS}
    cifras.update({c: fila[c] or None for c in TEXTOS})
    alertas = leer_csv(tablas / "alertas.csv", ["tipo", "clase"])
    conteo = (alertas.groupby(["tipo", "clase"], sort=False).size()
              .rename("cantidad").reset_index())
    return {"cifras": cifras, "alertas": conteo}


def _orden_de_tipos(tipos: list[str]) -> list[str]:
    """Los tipos de alerta en el orden de `PRIORIDAD_ALERTAS` (un tipo «Unidad con grado X»
    va con su prefijo), los de información al final, y entre iguales, por nombre."""
    def clave(tipo: str) -> tuple[int, str]:
        for posicion, prefijo in enumerate(PRIORIDAD_ALERTAS):
            if tipo.startswith(prefijo):
                return posicion, tipo
        return len(PRIORIDAD_ALERTAS), tipo

    return sorted(tipos, key=clave)


def leer_o_motivo(carpeta: Path, lector) -> tuple[object | None, str]:
    """Lo que `lector` lee de la carpeta de un informe, o None y por qué no se puede leer."""
    try:
        return lector(carpeta), ""
    except TablasIlegibles as error:
        return None, f"las tablas de su informe no se pueden leer: {error}"


def consolidar(entidades: list[Entidad]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """El cuadro consolidado y el de alertas por tipo, una fila por entidad en el orden de
    `entidades`.

    Consolidado: `COLUMNAS` (disponible True/False; motivo vacío si lo está; cifras vacías si
    no). Alertas por tipo: entidad, sigla, disponible y una columna por tipo de alerta que
    aparece en algún informe (en el orden de prioridad), con la cantidad de filas de ese tipo
    (vacía si la entidad no está disponible). Una entidad cuyas tablas no se pueden leer pasa a
    no disponible con el motivo de `TablasIlegibles`."""
    filas, conteos = [], []
    for entidad in entidades:
        fila = {"entidad": entidad.nombre, "sigla": entidad.sigla, "disponible": False,
                "motivo": entidad.motivo or ""}
        conteo = None
        if entidad.carpeta is not None and not entidad.motivo:
            leido, fila["motivo"] = leer_o_motivo(entidad.carpeta, leer_entidad)
            if leido is not None:
                conteo = leido["alertas"]
                fila.update(leido["cifras"], disponible=True)
                por_clase = conteo.groupby("clase")["cantidad"].sum()
                fila["alertas"] = int(por_clase.get(CLASE_ALERTA, 0))
                fila["informacion"] = int(por_clase.get(CLASE_INFORMACION, 0))
        if not fila["disponible"] and not fila["motivo"]:
            fila["motivo"] = "no se generó su informe"
        filas.append(fila)
        conteos.append(conteo)
    consolidado = pd.DataFrame(filas).reindex(columns=COLUMNAS)
    for columna in CIFRAS:
        consolidado[columna] = consolidado[columna].astype(float)
    for columna in ("alertas", "informacion"):
        consolidado[columna] = consolidado[columna].astype("Int64")

    tipos = _orden_de_tipos(sorted({t for c in conteos if c is not None for t in c["tipo"]}))
    por_tipo = consolidado[["entidad", "sigla", "disponible"]].copy()
    for tipo in tipos:
        por_tipo[tipo] = pd.array(
            [None if c is None else int(c.loc[c["tipo"] == tipo, "cantidad"].sum())
             for c in conteos],
            dtype="Int64",
        )
    return consolidado, por_tipo


def ranking(consolidado: pd.DataFrame, columna: str) -> pd.DataFrame:
    """Las entidades disponibles de la mayor a la menor `columna`, con su puesto (los
    empates comparten el puesto: 1, 2, 2, 4); entre empatadas, por sigla."""
    disponibles = consolidado[consolidado["disponible"] & consolidado[columna].notna()]
    tabla = disponibles.sort_values([columna, "sigla"], ascending=[False, True])
    tabla = tabla[["entidad", "sigla", columna]].reset_index(drop=True)
    tabla.insert(0, "puesto", tabla[columna].rank(method="min", ascending=False).astype(int))
    return tabla


def distribucion(consolidado: pd.DataFrame, columna: str, orden: list[str]) -> pd.DataFrame:
    """Cuántas entidades hay en cada valor de `columna` (una calificación, un semáforo), en el
    `orden` dado (los valores que no figuran en él van después), con su porcentaje sobre el
    total del lote; las no disponibles, en una fila aparte al final."""
    disponibles = consolidado.loc[consolidado["disponible"], columna].fillna("Sin dato")
    valores = list(orden) + sorted(set(disponibles) - set(orden))
    cuentas = [int((disponibles == valor).sum()) for valor in valores]
    filas = pd.DataFrame({"valor": valores, "entidades": cuentas})
    sin = int((~consolidado["disponible"]).sum())
    if sin:
        filas = pd.concat([filas, pd.DataFrame({"valor": [NO_DISPONIBLE], "entidades": [sin]})],
                          ignore_index=True)
    total = len(consolidado)
    filas["porcentaje"] = filas["entidades"] / total * 100 if total else float("nan")
    return filas


def resumen(consolidado: pd.DataFrame) -> dict:
    """Las cifras del lote: entidades (en total, disponibles, no disponibles), el promedio
    simple de las entidades disponibles (avance físico, eficacia y ejecución acumulados) y la
    ejecución financiera del conjunto (la suma de los devengados sobre la de los vigentes)."""
    disp = consolidado[consolidado["disponible"]]
    vigente = disp["vigente"].sum()
    return {
        "entidades": len(consolidado),
        "disponibles": len(disp),
        "no_disponibles": len(consolidado) - len(disp),
        "avance_fisico_acumulado": disp["avance_fisico_acumulado"].mean(),
        "eficacia_acumulada": disp["eficacia_acumulada"].mean(),
        "ejecucion_acumulada": disp["ejecucion_acumulada"].mean(),
        "vigente": vigente,
        "devengado_acumulado": disp["devengado_acumulado"].sum(),
        "ejecucion_conjunto": (disp["devengado_acumulado"].sum() / vigente * 100
                               if vigente else float("nan")),
        "alertas": int(disp["alertas"].sum()),
    }


def leer_consolidado(carpeta: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Las dos tablas que escribió el lote en `carpeta/tablas/` (consolidado y alertas por
    tipo), sin la regla del prefijo y con los números como float (los conteos de una entidad
    no disponible, NaN): lo que presenta su cuaderno."""
    tablas = Path(carpeta) / "tablas"
    leidas = []
    for nombre in ("consolidado", "alertas_por_tipo"):
        tabla = pd.read_csv(tablas / f"{nombre}.csv", dtype=str, keep_default_na=False,
                            encoding="utf-8").map(texto_de_celda)
        tabla["disponible"] = tabla["disponible"] == "True"
        numeros = [c for c in tabla.columns
                   if c not in ("entidad", "sigla", "disponible", "motivo", *TEXTOS)]
        for columna in numeros:
            # Los conteos también como float: vacío (no disponible) es NaN, que los formatos
            # del informe muestran «—».
            tabla[columna] = pd.to_numeric(tabla[columna].replace("", None)).astype(float)
        for columna in TEXTOS:
            if columna in tabla.columns:
                tabla[columna] = tabla[columna].replace("", None)
        leidas.append(tabla)
    return leidas[0], leidas[1]
