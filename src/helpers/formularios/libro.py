"""El formulario de seguimiento de una unidad: qué hojas y qué columnas tiene y cómo se
identifica. Lo escribe `informe-poa formularios` (`helpers.formularios.envio`, un libro por
unidad con operaciones) y lo lee de vuelta quien recoge los formularios llenos; los dos
toman de aquí los nombres, como el libro del POA los toma de `entrada.contrato`.

- La hoja `seguimiento`: un bloque de instrucciones arriba y, desde la fila
  `fila_encabezado` de la identidad, la tabla de las operaciones de la unidad, con los
  nombres de columna del contrato (`columnas_de_seguimiento`): código y descripción, lo
  programado en cada mes del trimestre (sólo lectura), lo ejecutado en cada mes (para
  llenar), la justificación y el medio de verificación (para llenar, con un largo máximo,
  `LARGO_MAXIMO`).
- La hoja `meses_anteriores` (desde el segundo trimestre): lo programado y lo ejecutado en
  los meses anteriores del año, de referencia. La hoja `presupuesto` (si la unidad tiene
  líneas): sus líneas de presupuesto al corte, de referencia.
- La hoja `identidad`, oculta y protegida (`Identidad`): la entidad, la gestión, el
  trimestre y la unidad del formulario, cuántas operaciones tiene, dónde empieza su tabla y
  la huella del programa con que se emitió (`huella_del_programa`: los códigos de las
  operaciones, en su orden, y lo programado en cada mes del trimestre). Un formulario cuya
  tabla ya no da esa huella fue alterado; uno cuya huella no es la del libro del POA se
  emitió con otro programa.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields

from helpers.comun.calendario import meses_del_trimestre
from helpers.entrada.contrato import COLUMNAS_EJEC, COLUMNAS_PROG

__all__ = [
    "CLASE",
    "COLUMNAS_DE_TEXTO",
    "ENCABEZADO_IDENTIDAD",
    "FILAS_DE_HOJA",
    "HOJA_ANTERIORES",
    "HOJA_IDENTIDAD",
    "HOJA_PRESUPUESTO",
    "HOJA_SEGUIMIENTO",
    "LARGO_MAXIMO",
    "VERSION",
    "Identidad",
    "columnas_a_llenar",
    "columnas_de_seguimiento",
    "columnas_ejecutado",
    "columnas_programado",
    "huella_del_programa",
    "identidad_y_motivo",
    "leer_identidad",
]

HOJA_SEGUIMIENTO = "seguimiento"
HOJA_ANTERIORES = "meses_anteriores"
HOJA_PRESUPUESTO = "presupuesto"
HOJA_IDENTIDAD = "identidad"

# Qué es el libro y con qué versión de este módulo se escribió: quien lo lee rechaza otra.
CLASE = "formulario de seguimiento del POA"
VERSION = 1

# Las columnas de texto que llena la unidad y su largo máximo (validación de datos): una
# justificación de un párrafo; un medio de verificación, el nombre de uno o más documentos.
COLUMNAS_DE_TEXTO = ("justificacion", "medio_verificacion")
LARGO_MAXIMO = {"justificacion": 1000, "medio_verificacion": 500}

# El encabezado de la hoja identidad: una fila por dato, con su clave y su valor.
ENCABEZADO_IDENTIDAD = ("clave", "valor")

# Las filas de una hoja de Excel: la tabla de seguimiento (encabezado y operaciones) cabe en
# ellas; una identidad que dice otra cosa se armó a mano.
FILAS_DE_HOJA = 1_048_576

# Cifras significativas de lo programado en la huella: las que una hoja de cálculo
# conserva al guardar el libro (no cambian con el redondeo de un número decimal).
_CIFRAS_HUELLA = 12


def columnas_programado(trimestre: int) -> list[str]:
    """prog_04, prog_05, prog_06 en el segundo trimestre."""
    return [COLUMNAS_PROG[m - 1] for m in meses_del_trimestre(trimestre)]


def columnas_ejecutado(trimestre: int) -> list[str]:
    """ejec_04, ejec_05, ejec_06 en el segundo trimestre."""
    return [COLUMNAS_EJEC[m - 1] for m in meses_del_trimestre(trimestre)]


def columnas_del_trimestre(trimestre: int) -> list[str]:
    """Lo que la unidad llena en su formulario: lo ejecutado de cada mes del trimestre, la
    justificación y el medio de verificación."""
    return [*columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO]


def columnas_de_seguimiento(trimestre: int) -> list[str]:
    """El encabezado de la tabla de la hoja seguimiento, en orden."""
    return ["codigo_operacion", "descripcion", *columnas_programado(trimestre),
            *columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO]


def columnas_a_llenar(trimestre: int) -> list[str]:
    """Las columnas que la unidad escribe: lo ejecutado, la justificación y el medio de
    verificación; las demás quedan protegidas."""
    return [*columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO]


def huella_del_programa(gestion: int, trimestre: int, codigo_unidad: str,
                        operaciones: Iterable[tuple[str, Sequence[float]]]) -> str:
    """La huella (SHA-256) del programa de un formulario: la gestión, el trimestre, la unidad
    y, en el orden de la tabla, el código de cada operación con lo programado en cada mes del
    trimestre (`_CIFRAS_HUELLA` cifras significativas). Cambia si cambia una meta, un código,
    el orden o el número de filas, o el periodo o la unidad."""
    contenido = {
        "gestion": int(gestion),
        "trimestre": int(trimestre),
        "codigo_unidad": str(codigo_unidad),
        "operaciones": [[str(codigo), [f"{float(v):.{_CIFRAS_HUELLA}g}" for v in programado]]
                        for codigo, programado in operaciones],
    }
    texto = json.dumps(contenido, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Identidad:
    """Lo que identifica un formulario, en la hoja identidad (una fila por campo, en este
    orden)."""

    clase: str
    version: int
    entidad: str  # la sigla
    gestion: int
    trimestre: int
    codigo_unidad: str
    operaciones: int  # filas de la tabla de seguimiento
    fila_encabezado: int  # la fila del encabezado de esa tabla
    huella_programa: str

    def filas(self) -> list[tuple[str, object]]:
        """(clave, valor) de cada campo, en orden."""
        return [(campo.name, valor) for campo, valor in zip(fields(self), astuple(self))]


def leer_identidad(libro) -> Identidad | None:
    """La identidad de un formulario abierto con openpyxl (`libro`), o None si no tiene la
    hoja identidad, le falta un campo o un número no es válido (`identidad_y_motivo`)."""
    return identidad_y_motivo(libro)[0]


def identidad_y_motivo(libro) -> tuple[Identidad | None, str | None]:
    """(la identidad, None), o (None, por qué no se lee: el campo y lo que dice). Los números
    se aceptan como los guarde la hoja de cálculo (un entero como decimal); la fila del
    encabezado y las operaciones, sólo si la tabla cabe en una hoja."""
    if HOJA_IDENTIDAD not in libro.sheetnames or not hasattr(libro[HOJA_IDENTIDAD], "iter_rows"):
        return None, "no es un formulario de seguimiento: no tiene la hoja identidad"
    valores = {fila[0]: fila[1] for fila in libro[HOJA_IDENTIDAD].iter_rows(
        min_row=2, max_col=len(ENCABEZADO_IDENTIDAD), values_only=True) if fila[0]}
    datos = {}
    for campo in fields(Identidad):
        valor = valores.get(campo.name)
        if valor is None or valor == "":
            return None, ("no es un formulario de seguimiento: a su hoja identidad le falta "
                          f"el dato {campo.name}")
        if campo.type != "int":
            datos[campo.name] = str(valor)
            continue
        datos[campo.name] = _entero(valor)
        if datos[campo.name] is None:
            return None, (f"su hoja identidad dice {campo.name} «{_corto(valor)}», que no es "
                          "un número entero: se cambió la hoja identidad")
    identidad = Identidad(**datos)
    motivo = _fuera_de_la_hoja(identidad)
    return (None, motivo) if motivo else (identidad, None)


def _entero(valor) -> int | None:
    """El entero que guarda la celda (5 o 5.0), o None (5.5, infinito, un texto, VERDADERO)."""
    if isinstance(valor, bool):
        return None
    if isinstance(valor, int):
        return valor
    if isinstance(valor, float):
        return int(valor) if valor.is_integer() else None  # inf y nan no son enteros
    try:
        return int(str(valor).strip())
    except ValueError:  # también un texto de miles de cifras
        return None


def _corto(valor) -> str:
    texto = str(valor)
    return texto if len(texto) <= 40 else texto[:40] + "…"


def _fuera_de_la_hoja(identidad: Identidad) -> str | None:
    """Por qué la tabla que dice la identidad no cabe en una hoja, o None si cabe."""
    ultima = FILAS_DE_HOJA - 1  # el encabezado deja lugar a una operación, por lo menos
    if not 1 <= identidad.fila_encabezado <= ultima:
        return (f"su hoja identidad dice fila_encabezado {identidad.fila_encabezado}: debe "
                f"estar entre 1 y {ultima}; se cambió la hoja identidad")
    caben = FILAS_DE_HOJA - identidad.fila_encabezado
    if not 1 <= identidad.operaciones <= caben:
        return (f"su hoja identidad dice operaciones {identidad.operaciones}: desde la fila "
                f"{identidad.fila_encabezado} caben entre 1 y {caben}; se cambió la hoja "
                "identidad")
    return None
