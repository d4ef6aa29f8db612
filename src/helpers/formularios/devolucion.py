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

import datetime as dt
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, replace
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
    leer_observaciones,
)
from helpers.formularios.observaciones import (
    ESTADO_DESCARTADA,
    ESTADO_DEVUELTA,
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
                             "devolver los de otras unidades, agregue --reemplazar")
    return destino


def _abrir(ruta_params, carpeta) -> tuple[object, Path, Path, RondaAnterior]:
    """Los parámetros, la carpeta, su libro recogido y lo que dice (registro, hojas)."""
    parametros = parametros_de_seguimiento(ruta_params)
    carpeta = Path(carpeta).expanduser()
    libro = libro_recogido(carpeta)
    for ruta in (libro, carpeta / ARCHIVO_RECEPCION, carpeta / ARCHIVO_OBSERVACIONES):
        if ruta.is_symlink():
            raise SalidaNoValida(f"{ruta} es un enlace simbólico: el libro recogido y sus CSV "
                                 "se reescriben en su lugar; ponga ahí los archivos mismos")
    anterior = leer_anterior(libro, parametros.trimestre_corte)
    if anterior is None:
        raise SalidaNoValida(f"{libro} no es un libro recogido completo (le falta la hoja "
                             "operaciones): recoja otra vez los formularios")
    if not anterior.registro.get("revision", pd.Series(dtype=str)).map(a_texto).ne("").any():
        raise SalidaNoValida(f"{libro} no tiene el estado de la revisión (columna revision de "
                             f"su hoja {HOJA_RECEPCION}): lo escribió una versión anterior; "
                             "recoja otra vez los formularios con --reemplazar")
    return parametros, carpeta, libro, anterior


def _comprobar_observaciones(vigentes: pd.DataFrame, filas: dict[str, dict],
                             formularios: dict) -> None:
    """Cada observación por devolver es de una unidad del registro y de una operación de
    esa unidad; si no, un `ErrorDeEntrada` con su fila de observaciones.csv."""
    problemas = []
    for fila in vigentes.itertuples():
        if fila.codigo_unidad not in filas or fila.codigo_unidad not in formularios:
            problemas.append(Problema(ARCHIVO_OBSERVACIONES, None, fila.fila, "codigo_unidad", (
                f"'{fila.codigo_unidad}' no es una unidad con un formulario que cuente en el "
                "registro: escriba el código como en la hoja recepcion del libro recogido")))
            continue
        operaciones = set(formularios[fila.codigo_unidad].operaciones["codigo_operacion"])
        if fila.codigo_operacion not in operaciones:
            problemas.append(Problema(ARCHIVO_OBSERVACIONES, None, fila.fila, "codigo_operacion", (
                f"'{fila.codigo_operacion}' no es una operación de la unidad "
                f"{fila.codigo_unidad}: escriba el código como en su formulario")))
    if problemas:
        raise ErrorDeEntrada(problemas)


def _escribir_devueltos(unidades, vigentes, formularios, parametros, destino: Path,
                        devolucion: dict) -> dict[str, Path]:
    """Escribe el formulario de cada unidad en una carpeta aparte que toma el lugar de
    `destino` al final; los que ya estaban allí (de otras unidades) se conservan."""
    temporal = Path(tempfile.mkdtemp(prefix=".devueltos-", dir=destino.parent))
    escritos, usados = {}, set()
    try:
        if destino.is_dir():
            for anterior in destino.iterdir():
                if anterior.is_file() and not anterior.is_symlink():
                    shutil.copy2(anterior, temporal / anterior.name)
        for unidad in unidades:
            suyas = vigentes[vigentes["codigo_unidad"] == unidad]
            nombre = nombre_de_archivo(unidad, usados)
            escribir_formulario(
                formularios[unidad], parametros, temporal / nombre,
                dt.datetime.combine(devolucion["fecha"], dt.time()),
                Devolucion(observaciones=suyas[["codigo_operacion", "columna", "mensaje"]],
                           **devolucion))
            escritos[unidad] = destino / nombre
        if destino.is_dir():
            shutil.rmtree(destino)
        temporal.rename(destino)
    finally:
        shutil.rmtree(temporal, ignore_errors=True)
    return escritos


def devolver(ruta_params: str | Path, carpeta: str | Path, *, plazo=None, cite: str = "",
             hoja_ruta: str = "", nota: str = "", fecha: dt.date | None = None,
             reemplazar: bool = False) -> Devueltos:
    """Devuelve a cada unidad con observaciones (no descartadas) su formulario marcado."""
    from helpers.entrada.datos import cargar_datos

    parametros, carpeta, libro, anterior = _abrir(ruta_params, carpeta)
    fecha = fecha or dt.date.today()
    plazo = _plazo(plazo, fecha, parametros)
    observaciones = leer_observaciones(carpeta / ARCHIVO_OBSERVACIONES)
    filas = decisivas(anterior.registro)
    vigentes = observaciones[~observaciones["estado"].isin([ESTADO_DESCARTADA, ESTADO_DEVUELTA])]
    formularios = {f.codigo_unidad: f for f in formularios_del_poa(cargar_datos(libro),
                                                                   parametros)}
    _comprobar_observaciones(vigentes, filas, formularios)
    unidades = [u for u in dict.fromkeys(vigentes["codigo_unidad"])
                if a_texto(filas[u].get("revision")) in _SE_DEVUELVE]
    if not unidades:
        return Devueltos({}, None, plazo, 0)
    destino = _carpeta_de_devueltos(carpeta, anterior.ronda, reemplazar)
    escritos = _escribir_devueltos(unidades, vigentes, formularios, parametros, destino,
                                   {"fecha": fecha, "plazo": plazo, "cite": cite,
                                    "hoja_ruta": hoja_ruta, "nota": nota})
    devueltas = observaciones.index.isin(
        vigentes.index[vigentes["codigo_unidad"].isin(unidades)])
    observaciones.loc[devueltas, "estado"] = ESTADO_DEVUELTA
    registro = _registro(anterior)
    transiciones = _actualizar(registro, {u: filas[u] for u in unidades},
                               EstadoRevision.OBSERVADO, fecha,
                               nota or "devuelto con observaciones", plazo)
    # Con la huella de cada formulario devuelto: si vuelve tal cual, no es una corrección.
    transiciones = [replace(t, huella_devuelto=_huella(escritos[t.codigo_unidad]))
                    for t in transiciones]
    _escribir(libro, anterior, registro, observaciones.drop(columns="fila"), transiciones)
    return Devueltos(escritos, destino, plazo, int(devueltas.sum()))


def _huella(ruta: Path) -> str:
    with ruta.open("rb") as archivo:
        return hashlib.file_digest(archivo, "sha256").hexdigest()


def aceptar(ruta_params: str | Path, carpeta: str | Path, unidades: list[str], *,
            decision: str = "aceptar", nota: str = "",
            fecha: dt.date | None = None) -> Decision:
    """Acepta, rechaza o reabre cada unidad de `unidades`; sin unidades, acepta todas las
    que se pueden aceptar (rechazar o reabrir piden las unidades)."""
    parametros, carpeta, libro, anterior = _abrir(ruta_params, carpeta)
    fecha = fecha or dt.date.today()
    filas = decisivas(anterior.registro)
    desde, hacia = _DECISIONES[decision]
    if not unidades and decision != "aceptar":
        raise SalidaNoValida(f"nombre las unidades que quiere {decision} (sus códigos, como en "
                             f"la hoja {HOJA_RECEPCION}): sin unidades sólo se acepta")
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
    # Reabierta, la unidad tiene un plazo para mandar lo que corrija.
    plazo = (_plazo(None, fecha, parametros) if decision == "reabrir" else None)
    registro = _registro(anterior)
    transiciones = _actualizar(registro, {u: filas[u] for u in elegidas}, hacia, fecha, nota,
                               plazo)
    if transiciones:
        _escribir(libro, anterior, registro, None, transiciones)
    return Decision([(u, a_texto(filas[u].get("revision")), hacia) for u in elegidas])
