"""Lo que decide el planificador sobre los formularios recogidos (docs/formularios.md, «La
revisión»): `informe-poa devolver PARAMS CARPETA` y `informe-poa aceptar PARAMS CARPETA
UNIDAD...`.

CARPETA es la del libro recogido: allí están el libro, su `recepcion.csv` y su
`observaciones.csv`, que el planificador revisa (deja cada observación propuesta, la confirma,
la descarta, o escribe la suya con la regla «planificador»).

- `devolver` escribe en `CARPETA/devueltos-ronda-N/` el formulario de cada unidad con
  observaciones que no se descartaron: con lo que la unidad había enviado, la nota de
  devolución (fecha, CITE, hoja de ruta, plazo), la columna `observaciones` y las celdas
  observadas en amarillo. La unidad queda `observado` hasta el plazo, y sus observaciones,
  `devuelta`.
- `aceptar` acepta, rechaza (`rechazar=True`) o reabre (`reabrir=True`) las unidades.

Cada una reescribe el libro recogido (el registro, las observaciones y la hoja `revisiones`,
de una vez) y los dos CSV a su lado; la ronda no cambia: la cambia `recoger`.
"""
from __future__ import annotations

import csv
import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.entrada.celdas import a_texto, leer_fecha
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.formularios.envio import (
    Devolucion,
    SalidaNoValida,
    escribir_formulario,
    formularios_del_poa,
    nombre_de_archivo,
    parametros_de_seguimiento,
)
from helpers.formularios.hojas import (
    ARCHIVO_OBSERVACIONES,
    HOJA_OBSERVACIONES,
    HOJA_RECEPCION,
    guardar_en_su_lugar,
    hoja_de_tabla,
    hoja_recepcion,
)
from helpers.formularios.observaciones import (
    COLUMNAS,
    ESTADO_DESCARTADA,
    ESTADO_DEVUELTA,
    ESTADOS,
)
from helpers.formularios.recoleccion import ARCHIVO_RECEPCION, formularios_de_la_carpeta
from helpers.formularios.revision import (
    COLUMNAS_REVISIONES,
    HOJA_REVISIONES,
    EstadoRevision,
    Transicion,
    decisivas,
    leer_anterior,
    transiciones_a_tabla,
)
from helpers.formularios.rondas import RondaAnterior
from helpers.salida.tablas_csv import escribir_csv

__all__ = ["ARCHIVO_OBSERVACIONES", "Decision", "Devueltos", "aceptar", "devolver",
           "libro_recogido"]

_COLUMNAS_OBSERVACIONES = ["ronda", "codigo_unidad", "archivo", *COLUMNAS, "estado"]
# Lo que se puede devolver: una unidad con un formulario que cuenta y no está cerrado.
_SE_DEVUELVE = (EstadoRevision.RECIBIDO, EstadoRevision.CORREGIDO, EstadoRevision.OBSERVADO)
# Desde qué estados lleva cada decisión de `aceptar`, y a cuál.
_DECISIONES = {
    "aceptar": (_SE_DEVUELVE, EstadoRevision.ACEPTADO),
    "rechazar": (_SE_DEVUELVE, EstadoRevision.RECHAZADO),
    "reabrir": ((EstadoRevision.ACEPTADO, EstadoRevision.RECHAZADO), EstadoRevision.OBSERVADO),
}


@dataclass
class Devueltos:
    """Lo que hizo `devolver`: los formularios escritos, por unidad, su carpeta y el plazo."""

    formularios: dict[str, Path]
    carpeta: Path | None
    plazo: dt.date
    observaciones: int


@dataclass
class Decision:
    """Lo que hizo `aceptar`: cada unidad, con su estado antes y después."""

    unidades: list[tuple[str, str, str]]


# --------------------------------------------------------------------------------------
# El libro recogido y lo que el planificador revisó


def libro_recogido(carpeta: Path) -> Path:
    """El libro recogido de `carpeta`: el único .xlsx con la hoja del registro."""
    import openpyxl

    if not carpeta.is_dir():
        raise SalidaNoValida(f"{carpeta} no es una carpeta: nombre la carpeta del libro "
                             "recogido (donde lo escribió informe-poa recoger)")
    libros = []
    for ruta in formularios_de_la_carpeta(carpeta):
        try:
            libro = openpyxl.load_workbook(ruta, read_only=True)
        except Exception:  # noqa: BLE001 - no es un libro que se pueda abrir: no es el recogido
            continue
        if HOJA_RECEPCION in libro.sheetnames:
            libros.append(ruta)
        libro.close()
    if len(libros) != 1:
        encontrados = ", ".join(r.name for r in libros) or "ninguno"
        raise SalidaNoValida(f"{carpeta} debe tener un libro recogido (un .xlsx con la hoja "
                             f"{HOJA_RECEPCION}) y tiene {len(libros)}: {encontrados}; nombre "
                             "la carpeta donde informe-poa recoger escribió el libro")
    return libros[0]


def leer_observaciones(ruta: Path) -> pd.DataFrame:
    """observaciones.csv como lo dejó el planificador. Una fila sin unidad, sin operación o
    con un estado que no es de la lista es un `ErrorDeEntrada` con su fila y columna."""
    if not ruta.is_file():
        return pd.DataFrame(columns=_COLUMNAS_OBSERVACIONES)
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        filas = list(csv.reader(archivo))
    encabezado = [a_texto(c) for c in (filas[0] if filas else [])]
    faltan = [c for c in ("codigo_unidad", "codigo_operacion", "mensaje", "estado")
              if c not in encabezado]
    if faltan:
        raise ErrorDeEntrada([Problema(ruta.name, None, 1, None, (
            f"le falta la columna {', '.join(faltan)}: es el {ruta.name} que escribió "
            "informe-poa recoger; no le quite columnas"))])
    problemas, tabla = [], []
    for numero, fila in enumerate(filas[1:], start=2):
        valores = {c: a_texto(v) for c, v in zip(encabezado, fila)}
        if not any(valores.values()):
            continue
        for columna in ("codigo_unidad", "codigo_operacion", "mensaje"):
            if not valores.get(columna):
                problemas.append(Problema(ruta.name, None, numero, columna,
                                          "la celda está vacía y el dato es obligatorio"))
        if valores.get("estado", "") not in ESTADOS:
            problemas.append(Problema(ruta.name, None, numero, "estado", (
                f"'{valores.get('estado', '')}' no es un estado de una observación: debe ser "
                + ", ".join(ESTADOS[:-1]) + " o " + ESTADOS[-1])))
        tabla.append(valores)
    if problemas:
        raise ErrorDeEntrada(problemas)
    return pd.DataFrame(tabla).reindex(columns=_COLUMNAS_OBSERVACIONES).fillna("")


def _plazo(plazo: dt.date | str | None, fecha: dt.date, parametros) -> dt.date:
    if plazo is None:
        return fecha + dt.timedelta(days=parametros.recepcion.dias_para_corregir)
    if isinstance(plazo, str):
        try:
            leido = leer_fecha(plazo)
        except ValueError as error:
            raise SalidaNoValida(f"--plazo {plazo}: {error}") from None
        plazo = leido.date()
    if plazo < fecha:
        raise SalidaNoValida(f"el plazo para corregir ({plazo:%d/%m/%Y}) es anterior a la "
                             f"devolución ({fecha:%d/%m/%Y}): elija un plazo posterior")
    return plazo


# --------------------------------------------------------------------------------------
# Escribir lo decidido


def _actualizar(registro: pd.DataFrame, filas: dict[str, dict], revision: str, fecha: dt.date,
                nota: str, plazo: dt.date | None = None) -> list[Transicion]:
    """Pone `revision` en la fila que lleva la revisión de cada unidad de `filas`."""
    transiciones = []
    for unidad, fila in filas.items():
        indice = registro.index[(registro["codigo_unidad"].map(a_texto) == unidad)
                                & (registro["huella"].map(a_texto) == a_texto(fila["huella"]))
                                & (registro["revision"].map(a_texto)
                                   == a_texto(fila["revision"]))][-1]
        registro.at[indice, "revision"] = revision
        registro.at[indice, "fecha_revision"] = fecha.isoformat()
        registro.at[indice, "nota_revision"] = nota
        if plazo is not None:
            registro.at[indice, "plazo_correccion"] = plazo.isoformat()
        transiciones.append(Transicion(unidad, a_texto(fila["archivo"]), a_texto(fila["huella"]),
                                       revision, fecha, plazo, nota))
    return transiciones


def _escribir(libro: Path, anterior: RondaAnterior, registro: pd.DataFrame,
              observaciones: pd.DataFrame | None, transiciones: list[Transicion]) -> None:
    """Reescribe en el libro recogido (de una vez) el registro, las observaciones y las
    revisiones, y los CSV a su lado."""
    import openpyxl

    cuaderno = openpyxl.load_workbook(libro, keep_links=True, rich_text=True)
    fecha = cuaderno.properties.modified or dt.datetime.combine(dt.date.today(), dt.time())
    hoja_recepcion(cuaderno, registro)
    if observaciones is not None:
        hoja_de_tabla(cuaderno, HOJA_OBSERVACIONES, observaciones.astype(object))
    previas = anterior.hojas.get(HOJA_REVISIONES, pd.DataFrame(columns=COLUMNAS_REVISIONES))
    revisiones = pd.concat([previas.reindex(columns=COLUMNAS_REVISIONES).fillna(""),
                            transiciones_a_tabla(transiciones, anterior.ronda)],
                           ignore_index=True)
    hoja_de_tabla(cuaderno, HOJA_REVISIONES, revisiones.astype(object))
    guardar_en_su_lugar(cuaderno, libro, fecha)
    escribir_csv(registro, libro.parent / ARCHIVO_RECEPCION)
    if observaciones is not None:
        escribir_csv(observaciones, libro.parent / ARCHIVO_OBSERVACIONES)


def _registro(anterior: RondaAnterior) -> pd.DataFrame:
    """El registro del libro como texto (las fechas, ISO), como lo escribe `recoger`."""
    from helpers.formularios.recoleccion import COLUMNAS_REGISTRO

    registro = anterior.registro.reindex(columns=COLUMNAS_REGISTRO).astype(object)
    for columna in registro.columns:
        registro[columna] = [_texto_del_registro(v, columna) for v in registro[columna]]
    return registro


def _texto_del_registro(valor, columna: str):
    if valor is None or valor is pd.NaT or (isinstance(valor, float) and pd.isna(valor)):
        return ""
    if isinstance(valor, dt.datetime):
        return valor.isoformat(sep=" ") if columna == "fecha" else valor.date().isoformat()
    if columna == "ronda":
        return int(valor)
    return a_texto(valor)


# --------------------------------------------------------------------------------------
# Las órdenes


def _carpeta_de_devueltos(carpeta: Path, ronda: int, reemplazar: bool) -> Path:
    destino = carpeta / f"devueltos-ronda-{ronda}"
    if destino.is_symlink() or (destino.exists() and not destino.is_dir()):
        raise SalidaNoValida(f"{destino} existe y no es una carpeta")
    if destino.is_dir() and any(destino.iterdir()) and not reemplazar:
        raise SalidaNoValida(f"ya se devolvieron formularios en esta ronda ({destino}): para "
                             "escribirlos otra vez, agregue --reemplazar")
    return destino


def devolver(ruta_params: str | Path, carpeta: str | Path, *, plazo=None, cite: str = "",
             hoja_ruta: str = "", nota: str = "", fecha: dt.date | None = None,
             reemplazar: bool = False) -> Devueltos:
    """Devuelve a cada unidad con observaciones (no descartadas) su formulario marcado."""
    from helpers.entrada.datos import cargar_datos

    parametros = parametros_de_seguimiento(ruta_params)
    carpeta = Path(carpeta).expanduser()
    libro = libro_recogido(carpeta)
    fecha = fecha or dt.date.today()
    plazo = _plazo(plazo, fecha, parametros)
    anterior = leer_anterior(libro, parametros.trimestre_corte)
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    filas = decisivas(anterior.registro)
    vigentes = observaciones[~observaciones["estado"].isin([ESTADO_DESCARTADA, ESTADO_DEVUELTA])]
    unidades = [u for u in dict.fromkeys(vigentes["codigo_unidad"])
                if a_texto(filas.get(u, {}).get("revision")) in _SE_DEVUELVE]
    if not unidades:
        return Devueltos({}, None, plazo, 0)
    destino = _carpeta_de_devueltos(carpeta, anterior.ronda, reemplazar)
    formularios = {f.codigo_unidad: f for f in formularios_del_poa(cargar_datos(libro),
                                                                   parametros)}
    temporal = Path(tempfile.mkdtemp(prefix=".devueltos-", dir=carpeta))
    escritos, usados = {}, set()
    try:
        for unidad in unidades:
            suyas = vigentes[vigentes["codigo_unidad"] == unidad]
            nombre = nombre_de_archivo(unidad, usados)
            escribir_formulario(
                formularios[unidad], parametros, temporal / nombre,
                dt.datetime.combine(fecha, dt.time()),
                Devolucion(fecha, plazo, suyas[["codigo_operacion", "columna", "mensaje"]],
                           cite, hoja_ruta, nota))
            escritos[unidad] = destino / nombre
        if destino.is_dir():
            shutil.rmtree(destino)
        temporal.rename(destino)
    finally:
        shutil.rmtree(temporal, ignore_errors=True)
    devueltas = observaciones["codigo_unidad"].isin(unidades) & observaciones.index.isin(
        vigentes.index)
    observaciones.loc[devueltas, "estado"] = ESTADO_DEVUELTA
    registro = _registro(anterior)
    n = int(devueltas.sum())
    transiciones = _actualizar(registro, {u: filas[u] for u in unidades},
                               EstadoRevision.OBSERVADO, fecha,
                               nota or "devuelto con observaciones", plazo)
    _escribir(libro, anterior, registro, observaciones, transiciones)
    return Devueltos(escritos, destino, plazo, n)


def aceptar(ruta_params: str | Path, carpeta: str | Path, unidades: list[str], *,
            decision: str = "aceptar", nota: str = "",
            fecha: dt.date | None = None) -> Decision:
    """Acepta, rechaza o reabre cada unidad de `unidades` (todas las que pueden, si está
    vacía y se acepta)."""
    parametros = parametros_de_seguimiento(ruta_params)
    carpeta = Path(carpeta).expanduser()
    libro = libro_recogido(carpeta)
    fecha = fecha or dt.date.today()
    anterior = leer_anterior(libro, parametros.trimestre_corte)
    filas = decisivas(anterior.registro)
    desde, hacia = _DECISIONES[decision]
    elegidas = list(dict.fromkeys(unidades)) or [
        u for u, f in filas.items() if a_texto(f.get("revision")) in desde]
    for unidad in elegidas:
        if unidad not in filas:
            raise SalidaNoValida(f"la unidad {unidad} no tiene un formulario que cuente en el "
                                 f"registro de {libro.name}: escriba el código de la unidad "
                                 f"como en la columna codigo_unidad de su hoja {HOJA_RECEPCION}")
        actual = a_texto(filas[unidad].get("revision"))
        if actual not in desde:
            raise SalidaNoValida(f"la unidad {unidad} está «{actual}»: se puede {decision} "
                                 f"sólo una que esté {' o '.join(desde)}")
    registro = _registro(anterior)
    transiciones = _actualizar(registro, {u: filas[u] for u in elegidas}, hacia, fecha, nota)
    if transiciones:
        _escribir(libro, anterior, registro, None, transiciones)
    return Decision([(u, a_texto(filas[u].get("revision")), hacia) for u in elegidas])
