"""El tablero de la revisión (docs/formularios.md, «La revisión»; lo muestra la página): una
fila por unidad con un formulario en revisión, con su estado, su ronda, sus observaciones por
devolver y sus evidencias; y las observaciones de una unidad, que el planificador confirma,
reescribe, descarta o agrega, guardadas en el `observaciones.csv` del libro recogido, el que
lee `devolver`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.entrada.celdas import a_texto
from helpers.formularios.devolucion import libro_recogido
from helpers.formularios.evidencias import ARCHIVO_EVIDENCIAS, RECIBIDA
from helpers.formularios.hojas import (
    ARCHIVO_OBSERVACIONES,
    COLUMNAS_OBSERVACIONES,
    filas_del_csv,
    leer_observaciones,
)
from helpers.formularios.observaciones import (
    ESTADO_CONFIRMADA,
    ESTADO_DESCARTADA,
    ESTADO_DEVUELTA,
    ESTADO_PROPUESTA,
    REGLA_PLANIFICADOR,
)
from helpers.formularios.revision import decisivas, leer_anterior
from helpers.salida.tablas_csv import escribir_csv

__all__ = ["COLUMNAS_TABLERO", "PENDIENTES", "agregar_observacion", "filtrar",
           "guardar_observaciones", "observaciones_de", "operaciones_de", "tablero"]

COLUMNAS_TABLERO = ["codigo_unidad", "revision", "ronda", "archivo", "pendientes",
                    "devueltas", "evidencias", "plazo_correccion"]
# Las observaciones que `devolver` manda.
PENDIENTES = (ESTADO_PROPUESTA, ESTADO_CONFIRMADA)


def _contar(tabla: pd.DataFrame, columna: str, valores) -> pd.Series:
    if tabla.empty:
        return pd.Series(dtype="int64")
    return tabla[tabla[columna].isin(valores)].groupby("codigo_unidad").size()


def tablero(carpeta: Path, trimestre: int) -> pd.DataFrame:
    """Una fila por unidad con revisión en el libro recogido de `carpeta`, en el orden del
    registro."""
    anterior = leer_anterior(libro_recogido(carpeta), trimestre)
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    evidencias = _evidencias(carpeta / ARCHIVO_EVIDENCIAS)
    pendientes = _contar(observaciones, "estado", PENDIENTES)
    devueltas = _contar(observaciones, "estado", (ESTADO_DEVUELTA,))
    con_evidencia = _contar(evidencias, "estado", (RECIBIDA,))
    filas = []
    for unidad, fila in decisivas(anterior.registro if anterior else None).items():
        filas.append({
            "codigo_unidad": unidad, "revision": a_texto(fila.get("revision")),
            "ronda": int(pd.to_numeric(fila.get("ronda"), errors="coerce") or 1),
            "archivo": a_texto(fila.get("archivo")),
            "pendientes": int(pendientes.get(unidad, 0)),
            "devueltas": int(devueltas.get(unidad, 0)),
            "evidencias": int(con_evidencia.get(unidad, 0)),
            "plazo_correccion": a_texto(fila.get("plazo_correccion"))[:10],
        })
    return pd.DataFrame(filas, columns=COLUMNAS_TABLERO)


def _evidencias(ruta: Path) -> pd.DataFrame:
    if not ruta.is_file():
        return pd.DataFrame(columns=["codigo_unidad", "estado"])
    filas = filas_del_csv(ruta)
    return pd.DataFrame(filas[1:], columns=filas[0]) if filas else pd.DataFrame()


def filtrar(tabla: pd.DataFrame, filtro: str) -> pd.DataFrame:
    """Las filas del tablero de un filtro: "" todas, "pendientes" las que tienen observaciones
    por devolver, o un estado de la revisión."""
    if not filtro:
        return tabla
    if filtro == "pendientes":
        return tabla[tabla["pendientes"] > 0]
    return tabla[tabla["revision"] == filtro]


def observaciones_de(carpeta: Path, unidad: str) -> pd.DataFrame:
    """Las observaciones de `unidad` (todas las rondas), con su fila en observaciones.csv."""
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    return observaciones[observaciones["codigo_unidad"] == unidad]


def operaciones_de(carpeta: Path, unidad: str, trimestre: int) -> list[str]:
    """Los códigos de las operaciones de `unidad` en el libro recogido."""
    anterior = leer_anterior(libro_recogido(carpeta), trimestre)
    valores = anterior.valores if anterior is not None else pd.DataFrame()
    return list(valores.index[valores["codigo_unidad"] == unidad]) if not valores.empty else []


def guardar_observaciones(carpeta: Path, cambios: dict[int, tuple[str, str]]) -> int:
    """Guarda en observaciones.csv el estado y el mensaje nuevos de cada fila de `cambios`
    (fila del CSV -> (estado, mensaje)); una devuelta no cambia. Devuelve cuántas cambiaron."""
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    cambiadas = 0
    for fila, (estado, mensaje) in cambios.items():
        indice = observaciones.index[observaciones["fila"] == fila]
        if indice.empty or observaciones.at[indice[0], "estado"] == ESTADO_DEVUELTA:
            continue
        if estado not in (*PENDIENTES, ESTADO_DESCARTADA):
            raise ValueError(f"«{estado}» no es un estado que el planificador elija")
        if not mensaje.strip():
            raise ValueError("el mensaje de una observación no puede quedar vacío")
        antes = tuple(observaciones.loc[indice[0], ["estado", "mensaje"]])
        if antes != (estado, mensaje.strip()):
            observaciones.loc[indice[0], ["estado", "mensaje"]] = [estado, mensaje.strip()]
            cambiadas += 1
    if cambiadas:
        _escribir(carpeta, observaciones)
    return cambiadas


def agregar_observacion(carpeta: Path, unidad: str, codigo_operacion: str, mensaje: str,
                        trimestre: int) -> None:
    """Agrega la observación del planificador (regla «planificador», confirmada)."""
    if codigo_operacion not in operaciones_de(carpeta, unidad, trimestre):
        raise ValueError(f"{codigo_operacion} no es una operación de la unidad {unidad}")
    if not mensaje.strip():
        raise ValueError("escriba qué debe revisar la unidad")
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    fila = tablero(carpeta, trimestre).set_index("codigo_unidad").loc[unidad]
    nueva = {c: "" for c in COLUMNAS_OBSERVACIONES} | {
        "ronda": str(fila["ronda"]), "codigo_unidad": unidad, "archivo": fila["archivo"],
        "codigo_operacion": codigo_operacion, "regla": REGLA_PLANIFICADOR,
        "mensaje": mensaje.strip(), "estado": ESTADO_CONFIRMADA}
    _escribir(carpeta, pd.concat([observaciones, pd.DataFrame([nueva])], ignore_index=True))


def _escribir(carpeta: Path, observaciones: pd.DataFrame) -> None:
    destino = carpeta / ARCHIVO_OBSERVACIONES
    if destino.is_symlink():
        raise ValueError(f"{destino} es un enlace simbólico: no se escribe a través de él")
    escribir_csv(observaciones[COLUMNAS_OBSERVACIONES].reset_index(drop=True), destino)

