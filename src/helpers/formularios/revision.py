"""La revisión de los formularios que cuentan, de una ronda a otra (docs/formularios.md, «La
revisión»): recibido → observado → corregido → aceptado (o rechazado).

El estado vive en la columna `revision` del registro de recepción, junto al plazo para
corregir, la fecha y la nota del planificador; los estados de recepción (`estado`) no
cambian de sentido. Lo cambian tres órdenes: `recoger` (lo que llegó), `devolver` (observado)
y `aceptar` (aceptado, rechazado o, al reabrir, observado otra vez). Cada cambio queda además
en la hoja `revisiones` del libro recogido, que no se borra de una ronda a otra.

`revisar` es lo que hace `recoger` con el estado de la ronda anterior:

- el formulario que cuenta de una unidad sin revisión es `recibido`;
- el de una unidad observada es `corregido` si es otro archivo (otra huella) y sigue
  `observado` si es el mismo; así también el de una rechazada;
- una unidad aceptada queda cerrada: sus cifras son las de la ronda en que se aceptó, y un
  archivo que llega después se lista como `no aplicado` (hasta que el planificador la reabra);
- con `recepcion.observados: excluir`, las cifras de un formulario que sigue observado no se
  toman; las de uno rechazado nunca.

Sin archivos: entra y sale lo leído (`Recibido`, el registro y las cifras de la ronda
anterior).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.entrada.celdas import a_texto
from helpers.entrada.contrato import ESTADOS_REVISION
from helpers.formularios.hojas import HOJA_OBSERVACIONES, HOJA_RECEPCION
from helpers.formularios.libro import columnas_del_trimestre
from helpers.formularios.recoleccion import Estado, Recibido
from helpers.formularios.rondas import RondaAnterior, leer_ronda_anterior

__all__ = ["COLUMNAS_REVISIONES", "HOJA_REVISIONES", "EstadoRevision", "Transicion", "decisivas",
           "leer_anterior", "plazos_para_corregir", "revisar", "transiciones_a_tabla"]

HOJA_REVISIONES = "revisiones"
COLUMNAS_REVISIONES = ["ronda", "codigo_unidad", "archivo", "huella", "revision", "fecha",
                       "plazo_correccion", "nota", "huella_devuelto"]


class EstadoRevision:
    """Los estados de la revisión (`contrato.ESTADOS_REVISION`), con nombre."""

    RECIBIDO, OBSERVADO, CORREGIDO, ACEPTADO, RECHAZADO, NO_APLICADO = ESTADOS_REVISION


@dataclass(frozen=True)
class Transicion:
    """Un cambio de estado de la revisión, para la hoja `revisiones`."""

    codigo_unidad: str
    archivo: str
    huella: str
    revision: str
    fecha: dt.date | None
    plazo_correccion: dt.date | None = None
    nota: str = ""
    # La del formulario que `devolver` escribió (si vuelve tal cual, no es una corrección).
    huella_devuelto: str = ""


def _fecha(valor) -> dt.date | None:
    """Una fecha del registro (celda de fecha, texto ISO o vacía)."""
    if valor is None or valor is pd.NaT or (isinstance(valor, float) and pd.isna(valor)) \
            or valor == "":
        return None
    if isinstance(valor, dt.datetime):
        return valor.date()
    if isinstance(valor, dt.date):
        return valor
    marca = pd.to_datetime(a_texto(valor), errors="coerce")
    return None if pd.isna(marca) else marca.date()


def decisivas(registro: pd.DataFrame) -> dict[str, dict]:
    """codigo_unidad -> la fila del registro que lleva la revisión de la unidad: la última con
    un estado de revisión que no sea `no aplicado`."""
    filas: dict[str, dict] = {}
    if registro is None or registro.empty or "revision" not in registro:
        return filas
    for fila in registro.to_dict("records"):
        revision = a_texto(fila.get("revision"))
        if revision and revision != EstadoRevision.NO_APLICADO:
            filas[a_texto(fila.get("codigo_unidad"))] = fila
    return filas


@dataclass
class _Historia:
    """Lo que dice la hoja revisiones de la ronda anterior: los formularios devueltos de
    cada unidad (sus huellas) y los cambios ya anotados (huella, estado)."""

    devueltos: dict[str, set[str]]
    vistos: set[tuple[str, str]]

    @classmethod
    def de(cls, anterior: RondaAnterior | None) -> _Historia:
        tabla = anterior.hojas.get(HOJA_REVISIONES) if anterior is not None else None
        devueltos: dict[str, set[str]] = {}
        vistos: set[tuple[str, str]] = set()
        for fila in ([] if tabla is None else tabla.to_dict("records")):
            vistos.add((a_texto(fila.get("huella")), a_texto(fila.get("revision"))))
            if a_texto(fila.get("huella_devuelto")):
                devueltos.setdefault(a_texto(fila.get("codigo_unidad")), set()).add(
                    a_texto(fila.get("huella_devuelto")))
        return cls(devueltos, vistos)


def _llevar(recibido: Recibido, previa: dict, revision: str) -> None:
    """`recibido` sigue con la revisión de la ronda anterior (estado, plazo, fecha, nota)."""
    recibido.revision = revision
    recibido.plazo_correccion = _fecha(previa.get("plazo_correccion"))
    recibido.fecha_revision = _fecha(previa.get("fecha_revision"))
    recibido.nota_revision = a_texto(previa.get("nota_revision"))


def _aceptado(previa: dict, anterior: RondaAnterior) -> Recibido:
    """El formulario aceptado de una unidad, como estaba en el registro anterior, con las
    cifras de sus operaciones en el libro recogido anterior."""
    unidad = a_texto(previa.get("codigo_unidad"))
    valores = anterior.valores[anterior.valores["codigo_unidad"] == unidad].drop(
        columns="codigo_unidad").reset_index()
    fecha = _fecha(previa.get("fecha"))
    marca = pd.to_datetime(previa.get("fecha"), errors="coerce")
    recibido = Recibido(
        a_texto(previa.get("archivo")), None, unidad,
        fecha=None if pd.isna(marca) else marca.to_pydatetime(),
        hoja_ruta=a_texto(previa.get("hoja_ruta")), huella=a_texto(previa.get("huella")),
        estado=a_texto(previa.get("estado")), motivo=a_texto(previa.get("motivo")),
        valores=valores, ronda=int(pd.to_numeric(previa.get("ronda"), errors="coerce") or 1))
    recibido.modificado = recibido.fecha or (dt.datetime.combine(fecha, dt.time())
                                              if fecha else None)
    _llevar(recibido, previa, EstadoRevision.ACEPTADO)
    return recibido


def _cerrada(archivos: list[Recibido], previa: dict, anterior: RondaAnterior,
             historia: _Historia, transiciones: list[Transicion]) -> list[Recibido]:
    """Los archivos de una unidad aceptada: el aceptado, como quedó, y cada otro que contaría
    como `no aplicado`. Las cifras del aceptado son las de su archivo, si sigue en la
    carpeta (con `observados: excluir` el libro anterior no las tiene), y si no las del libro
    anterior."""
    aceptado = _aceptado(previa, anterior)
    mismo = next((r for r in archivos if r.huella == aceptado.huella
                  and r.valores is not None), None)
    if mismo is not None:
        aceptado.valores = mismo.valores
    quedan = []
    for recibido in archivos:
        if recibido.huella == aceptado.huella or recibido.estado == Estado.FALTANTE:
            continue  # el mismo archivo (o ninguno): lo representa el aceptado
        # Uno que se podría tomar (también fuera del plazo del trimestre, que ya pasó).
        if recibido.estado in (*Estado.CUENTAN, Estado.EXCLUIDO_FUERA):
            recibido.revision, recibido.se_toma = EstadoRevision.NO_APLICADO, False
            aviso = (f"llegó después de aceptar el formulario de la unidad "
                     f"({_dicha(aceptado.fecha_revision)}): se lista y no se toma; para "
                     "tomarlo, reabra la unidad (informe-poa aceptar --reabrir)")
            recibido.motivo = f"{recibido.motivo}; {aviso}" if recibido.motivo else aviso
            if (recibido.huella, EstadoRevision.NO_APLICADO) not in historia.vistos:
                transiciones.append(Transicion(recibido.codigo_unidad, recibido.archivo,
                                               recibido.huella, EstadoRevision.NO_APLICADO,
                                               _dia(recibido)))
        quedan.append(recibido)
    return [*quedan, aceptado]


def _dicha(fecha: dt.date | None) -> str:
    return "sin fecha" if fecha is None else f"el {fecha:%d/%m/%Y}"


def _dia(recibido: Recibido) -> dt.date | None:
    return None if recibido.fecha is None else recibido.fecha.date()


def _abierta(decide: Recibido, previa: dict | None, observados: str, historia: _Historia,
             transiciones: list[Transicion]) -> None:
    """La revisión del formulario que cuenta de una unidad no aceptada. El mismo archivo que
    se revisó, o el formulario devuelto que vuelve tal cual, no es una corrección."""
    anterior = a_texto(previa.get("revision")) if previa else ""
    mismo = previa is not None and (
        a_texto(previa.get("huella")) == decide.huella
        or decide.huella in historia.devueltos.get(decide.codigo_unidad, set()))
    en_correccion = (EstadoRevision.OBSERVADO, EstadoRevision.CORREGIDO,
                     EstadoRevision.RECHAZADO)
    if anterior in en_correccion and mismo:
        _llevar(decide, previa, anterior)
    elif anterior in en_correccion:
        decide.revision, decide.fecha_revision = EstadoRevision.CORREGIDO, _dia(decide)
        decide.plazo_correccion = _fecha(previa.get("plazo_correccion"))
        transiciones.append(Transicion(decide.codigo_unidad, decide.archivo, decide.huella,
                                       EstadoRevision.CORREGIDO, decide.fecha_revision,
                                       decide.plazo_correccion))
    elif anterior == EstadoRevision.RECIBIDO and mismo:
        _llevar(decide, previa, anterior)
    else:
        decide.revision, decide.fecha_revision = EstadoRevision.RECIBIDO, _dia(decide)
        transiciones.append(Transicion(decide.codigo_unidad, decide.archivo, decide.huella,
                                       EstadoRevision.RECIBIDO, decide.fecha_revision))
    if decide.revision == EstadoRevision.RECHAZADO:
        decide.se_toma = False
        _agregar_motivo(decide, "rechazado en la revisión: sus cifras no se toman")
    elif decide.revision == EstadoRevision.OBSERVADO and observados == "excluir":
        decide.se_toma = False
        _agregar_motivo(decide, "en observación: sus cifras no se toman "
                                "(recepcion.observados: excluir)")


def _agregar_motivo(recibido: Recibido, aviso: str) -> None:
    recibido.motivo = f"{recibido.motivo}; {aviso}" if recibido.motivo else aviso


def plazos_para_corregir(anterior: RondaAnterior | None) -> dict[str, dt.date]:
    """codigo_unidad -> hasta cuándo corrige la unidad el formulario que se le devolvió:
    el plazo que vale para lo que llega de ella (y no el de la entrega del trimestre)."""
    plazos = {}
    for unidad, fila in (decisivas(anterior.registro) if anterior is not None else {}).items():
        plazo = _fecha(fila.get("plazo_correccion"))
        if a_texto(fila.get("revision")) == EstadoRevision.OBSERVADO and plazo is not None:
            plazos[unidad] = plazo
    return plazos


def _el_que_se_revisaba(archivos: list[Recibido], previa: dict) -> Recibido | None:
    """Si lo último que mandó una unidad en revisión no cuenta (llegó fuera del plazo, está
    alterado), el formulario que se revisaba, si sigue en la carpeta, sigue contando: la
    revisión no pierde lo que ya tenía."""
    huella = a_texto(previa.get("huella"))
    anterior = next((r for r in archivos if r.huella == huella
                     and r.estado == Estado.REEMPLAZADO and r.valores is not None), None)
    if anterior is None:
        return None
    anterior.estado = a_texto(previa.get("estado")) or Estado.ACEPTADO
    anterior.motivo = "sigue contando: lo que la unidad mandó después no cuenta"
    return anterior


def revisar(recibidos: list[Recibido], anterior: RondaAnterior | None,
            observados: str) -> tuple[list[Recibido], list[Transicion]]:
    """Los archivos de la ronda (de `clasificar`) con su revisión, y los cambios de estado que
    trae la ronda. El orden se conserva: el aceptado de una unidad cerrada va al final de los
    suyos, como el archivo que decide."""
    previas = decisivas(anterior.registro) if anterior is not None else {}
    por_unidad: dict[str, list[Recibido]] = {}
    for recibido in recibidos:
        por_unidad.setdefault(recibido.codigo_unidad, []).append(recibido)
    historia = _Historia.de(anterior)
    transiciones: list[Transicion] = []
    salida: list[Recibido] = []
    for unidad, archivos in por_unidad.items():
        previa = previas.get(unidad)
        if previa is not None and a_texto(previa.get("revision")) == EstadoRevision.ACEPTADO:
            salida += _cerrada(archivos, previa, anterior, historia, transiciones)
            continue
        decide = next((r for r in reversed(archivos) if r.cuenta), None)
        if decide is None and previa is not None:
            decide = _el_que_se_revisaba(archivos, previa)
        if decide is not None:
            _abierta(decide, previa, observados, historia, transiciones)
        salida += archivos
    return salida, transiciones


def leer_anterior(libro: Path, trimestre: int) -> RondaAnterior | None:
    """La ronda anterior del libro recogido `libro` (None si no está o no es uno), con sus
    observaciones y sus revisiones."""
    if not libro.is_file():
        return None
    return leer_ronda_anterior(libro, columnas_del_trimestre(trimestre), HOJA_RECEPCION,
                               (HOJA_OBSERVACIONES, HOJA_REVISIONES, "evidencias"))


def transiciones_a_tabla(transiciones: list[Transicion], ronda: int) -> pd.DataFrame:
    """Los cambios de estado de una ronda, como filas de la hoja `revisiones`."""
    return pd.DataFrame(
        [[ronda, t.codigo_unidad, t.archivo, t.huella, t.revision,
          "" if t.fecha is None else t.fecha.isoformat(),
          "" if t.plazo_correccion is None else t.plazo_correccion.isoformat(), t.nota,
          t.huella_devuelto] for t in transiciones], columns=COLUMNAS_REVISIONES)
