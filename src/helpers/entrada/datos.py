"""Lectura y validación del libro del POA (Excel) o de una carpeta de CSV.

El contrato de hojas y columnas está en data-contract.md. `cargar_datos` lee las hojas,
convierte cada celda (textos limpios, números en formato boliviano con `leer_numero`),
valida todas las reglas y, si hay problemas, lanza un único `ErrorDeEntrada` que los
enumera todos, cada uno con archivo, hoja, fila (como la numera la hoja de cálculo) y
columna. Si no hay problemas devuelve un `Datos` con un DataFrame por hoja.

Las reglas por columna (obligatorias, únicas, dominios, mínimos, referencias entre hojas)
se expresan como esquemas de pandera validados en modo perezoso; cada `Check` lleva su
mensaje en castellano en `error=`, como plantilla con los campos:

- `{valor}`: el contenido de la celda tal como se escribió;
- `{primera}`: la primera fila donde aparece el mismo valor (para los repetidos);
- cualquier nombre de columna de la hoja: su valor en esa fila.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import math
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from helpers.aparte import nucleos
from helpers.comun.numeros import LIMITE_ABSOLUTO, LIMITE_MINIMO, leer_numero
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.sugerencias import Sugeridor, con_pista_de_ejemplo

__all__ = [
    "COLUMNAS_DEV",
    "COLUMNAS_REC",
    "COLUMNAS_EJEC",
    "COLUMNAS_PROG",
    "COLUMNAS_VIG",
    "CAMBIOS",
    "COLUMNAS_NO_NEGATIVAS",
    "HOJAS",
    "HOJAS_OBLIGATORIAS",
    "HOJAS_OPCIONALES",
    "MESES",
    "REFERENCIAS",
    "SERVICIOS",
    "TIPOS_NARRATIVA",
    "Datos",
    "cargar_datos",
    "limpiar_texto",
]

HOJAS_OBLIGATORIAS = ("unidades", "acp", "operaciones", "presupuesto")
HOJAS_OPCIONALES = (
    "areas", "narrativa", "historico", "articulacion", "estadisticas", "ingresos",
    "reformulaciones",
)
HOJAS = HOJAS_OBLIGATORIAS + HOJAS_OPCIONALES

MESES = tuple(range(1, 13))
COLUMNAS_PROG = tuple(f"prog_{m:02d}" for m in MESES)
COLUMNAS_EJEC = tuple(f"ejec_{m:02d}" for m in MESES)
COLUMNAS_DEV = tuple(f"dev_{m:02d}" for m in MESES)
COLUMNAS_REC = tuple(f"rec_{m:02d}" for m in MESES)
COLUMNAS_VIG = tuple(f"vig_{m:02d}" for m in MESES)

SERVICIOS = ("Central", "Exterior")
TIPOS_NARRATIVA = ("logro", "dificultad", "recomendacion")
# Lo que cambia una reformulación en una operación (hoja reformulaciones).
CAMBIOS = ("alta", "baja", "programacion", "tareas")

EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
TEXTO = "str"  # dtype de las columnas de texto (el tipo de texto por omisión de pandas 3)
FECHA = "datetime64[ns]"
_DTYPES = {"texto": TEXTO, "numero": "float64", "entero": "int64", "fecha": FECHA}


@dataclass
class Datos:
    """Las hojas del POA ya validadas, una tabla por hoja.

    Columnas de texto con dtype `str` (vacías como ""), números `float64`, enteros
    `int64`; `fila` es el número de fila en la hoja de cálculo. Las columnas adicionales
    del libro se conservan (como texto) antes de `fila`, salvo una que se llame `fila`.
    """

    unidades: pd.DataFrame
    acp: pd.DataFrame
    operaciones: pd.DataFrame
    presupuesto: pd.DataFrame
    narrativa: pd.DataFrame
    historico: pd.DataFrame
    areas: pd.DataFrame
    articulacion: pd.DataFrame
    estadisticas: pd.DataFrame
    ingresos: pd.DataFrame
    reformulaciones: pd.DataFrame
    archivos: list[Path] = field(default_factory=list)
    # La versión del POA en vigor al final del mes `corte` (`calculo.versiones`); None es
    # el libro tal como se leyó, y `libro` el libro del que se sacó la versión.
    corte: int | None = None
    libro: Datos | None = field(default=None, repr=False)


# --------------------------------------------------------------------------------------
# Contrato de columnas


@dataclass(frozen=True)
class _Columna:
    nombre: str
    tipo: str = "texto"  # "texto", "numero", "entero" o "fecha"
    obligatoria: bool = False
    vacio: float = math.nan  # valor de una celda numérica vacía
    grupo: str | None = None  # columnas mensuales: prog, ejec, dev, rec, vig


def _mensuales(prefijo: str, vacio: float) -> list[_Columna]:
    return [
        _Columna(f"{prefijo}_{m:02d}", "numero", vacio=vacio, grupo=prefijo) for m in MESES
    ]


_CONTRATO: dict[str, list[_Columna]] = {
    "unidades": [
        _Columna("codigo_unidad", obligatoria=True),
        _Columna("nombre", obligatoria=True),
        _Columna("area", obligatoria=True),
        _Columna("servicio", obligatoria=True),
        _Columna("tipo"),
    ],
    "areas": [
        _Columna("area", obligatoria=True),
        _Columna("nombre", obligatoria=True),
        _Columna("sigla"),
    ],
    "acp": [
        _Columna("codigo_acp", obligatoria=True),
        _Columna("descripcion", obligatoria=True),
        _Columna("resultado_esperado"),
        _Columna("codigo_amp"),
    ],
    "operaciones": [
        _Columna("codigo_operacion", obligatoria=True),
        _Columna("codigo_acp", obligatoria=True),
        _Columna("codigo_unidad", obligatoria=True),
        _Columna("descripcion", obligatoria=True),
        _Columna("indicador"),
        _Columna("unidad_medida"),
        _Columna("tareas", "entero", vacio=1.0),
        _Columna("medio_verificacion"),
        _Columna("no_aplica"),
        *_mensuales("prog", 0.0),
        *_mensuales("ejec", math.nan),
    ],
    "presupuesto": [
        _Columna("categoria_programatica", obligatoria=True),
        _Columna("programa", obligatoria=True),
        _Columna("codigo_unidad", obligatoria=True),
        _Columna("codigo_acp", obligatoria=True),
        _Columna("fuente"),
        # El presupuesto aprobado al inicio de la gestión y el vigente al cierre de cada
        # mes (vacío = sin cambio desde el mes anterior): `calculo.versiones`.
        _Columna("inicial", "numero"),
        _Columna("vigente", "numero", obligatoria=True),
        *_mensuales("vig", math.nan),
        *_mensuales("dev", 0.0),
    ],
    "narrativa": [
        _Columna("codigo_unidad", obligatoria=True),
        _Columna("trimestre", "entero", obligatoria=True),
        _Columna("tipo", obligatoria=True),
        _Columna("texto", obligatoria=True),
        _Columna("codigo_acp"),
    ],
    "historico": [
        _Columna("gestion", "entero", obligatoria=True),
        _Columna("area", obligatoria=True),
        _Columna("avance_fisico", "numero", obligatoria=True),
        _Columna("ejecucion", "numero", obligatoria=True),
    ],
    # Del plan nacional (PDES) y del plan institucional (PEI) a cada ACP.
    "articulacion": [
        _Columna("eje_pdes"),
        _Columna("meta_pdes"),
        _Columna("resultado_pdes"),
        _Columna("codigo_amp"),
        _Columna("accion_pei"),
        _Columna("codigo_acp", obligatoria=True),
    ],
    # Servicios prestados al público (p. ej. pasaportes emitidos por país y mes).
    "estadisticas": [
        _Columna("codigo_unidad", obligatoria=True),
        _Columna("indicador", obligatoria=True),
        _Columna("desagregacion"),
        _Columna("mes", "entero", obligatoria=True),
        _Columna("valor", "numero", obligatoria=True),
    ],
    # Ingresos por rubro: presupuesto vigente y recaudado por mes (Bs).
    "ingresos": [
        _Columna("rubro", obligatoria=True),
        _Columna("descripcion", obligatoria=True),
        _Columna("fuente"),
        _Columna("vigente", "numero", obligatoria=True),
        *_mensuales("rec", 0.0),
    ],
    # Cada cambio que una reformulación aprobada hace en una operación; la hoja operaciones
    # tiene los valores actuales (`calculo.versiones` reconstruye la versión de cada corte).
    "reformulaciones": [
        _Columna("numero", "entero", obligatoria=True),
        _Columna("resolucion", obligatoria=True),
        _Columna("fecha", "fecha", obligatoria=True),
        _Columna("codigo_operacion", obligatoria=True),
        _Columna("cambio", obligatoria=True),
        _Columna("mes", "numero"),
        _Columna("anterior", "numero"),
        _Columna("nuevo", "numero"),
        _Columna("observacion"),
    ],
}

# Las columnas de cada hoja, en el orden del contrato (para quien escribe libros: la muestra
# y las pruebas).
COLUMNAS_CONTRATO: dict[str, list[str]] = {
    hoja: [c.nombre for c in columnas] for hoja, columnas in _CONTRATO.items()
}

# Valores que se aceptan sin distinguir mayúsculas ni tildes y se guardan en su forma canónica.
_CANONICOS = {
    ("unidades", "servicio"): SERVICIOS,
    ("narrativa", "tipo"): TIPOS_NARRATIVA,
    ("reformulaciones", "cambio"): CAMBIOS,
}

# Columnas cuyo valor debe existir en otra columna del libro: (hoja, columna) -> (hoja,
# columna) de donde sale. Lo comprueba la validación (una celda vacía no se comprueba) y la
# plantilla lo ofrece como lista desplegable (`entrada.plantilla`).
REFERENCIAS: dict[tuple[str, str], tuple[str, str]] = {
    ("operaciones", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("presupuesto", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("narrativa", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("estadisticas", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("operaciones", "codigo_acp"): ("acp", "codigo_acp"),
    ("presupuesto", "codigo_acp"): ("acp", "codigo_acp"),
    ("narrativa", "codigo_acp"): ("acp", "codigo_acp"),
    ("articulacion", "codigo_acp"): ("acp", "codigo_acp"),
    ("areas", "area"): ("unidades", "area"),
    ("reformulaciones", "codigo_operacion"): ("operaciones", "codigo_operacion"),
}

# Las columnas numéricas que no admiten negativos: metas, ejecución, montos vigentes e
# iniciales, valores de estadísticas y de reformulaciones. El devengado y lo recaudado pueden
# ser negativos (reversiones, devoluciones) y los porcentajes del histórico no se limitan.
COLUMNAS_NO_NEGATIVAS: dict[str, tuple[str, ...]] = {
    hoja: tuple(
        c.nombre for c in columnas
        if c.tipo == "numero" and c.grupo not in ("dev", "rec") and hoja != "historico"
    )
    for hoja, columnas in _CONTRATO.items()
}

# Mensajes (plantillas para str.format_map; ver el docstring del módulo).
_M_VACIA = "la celda está vacía y el dato es obligatorio"
_M_REPETIDO = "'{valor}' está repetido (ya aparece en la fila {primera})"
_M_SERVICIO = "'{valor}' no es un servicio válido: debe ser Central o Exterior"
_M_TAREAS = "'{valor}' no es válido: tareas debe ser un número entero mayor o igual a 1"
_M_NEGATIVO = "'{valor}' es negativo: debe ser mayor o igual a 0"
_M_TRIMESTRE = "'{valor}' no es un trimestre válido: debe ser 1, 2, 3 o 4"
_M_TIPO = "'{valor}' no es un tipo válido: debe ser logro, dificultad o recomendacion"
_M_MES = "'{valor}' no es un mes válido: debe ser un número entero de 1 a 12"
_M_GESTION = "'{valor}' no es una gestión válida: debe ser un año (número entero)"
_M_NUMERO_REFORMULACION = (
    "'{valor}' no es un número de reformulación válido: debe ser un entero mayor o igual a 1"
)
_M_CAMBIO = "'{valor}' no es un cambio válido: debe ser alta, baja, programacion o tareas"
_M_NO_EXISTE = "'{valor}' no existe en la hoja {hoja}{sugerencia}"
_M_AREA_NO_EXISTE = ("'{valor}' no es el área de ninguna unidad (columna area de la hoja "
                     "unidades){sugerencia}")
# El mensaje de una referencia que no existe, por la columna de donde sale (`REFERENCIAS`);
# las demás, `_M_NO_EXISTE` con el nombre de su hoja.
_M_REFERENCIA = {("unidades", "area"): _M_AREA_NO_EXISTE}
_M_CATEGORIA_FUENTE = (
    "la combinación de categoria_programatica '{categoria_programatica}' y fuente "
    "'{fuente}' está repetida (ya aparece en la fila {primera})"
)
_M_RUBRO_FUENTE = (
    "la combinación de rubro '{rubro}' y fuente '{fuente}' está repetida (ya aparece en la "
    "fila {primera})"
)
_M_ESTADISTICA = (
    "el valor de '{indicador}' ({desagregacion}) del mes {mes} para la unidad "
    "'{codigo_unidad}' está repetido (ya aparece en la fila {primera}): se sumaría dos veces"
)
# Hojas cuya fila se identifica por varias columnas: (columnas, mensaje si se repite).
_CLAVES_COMPUESTAS = {
    "presupuesto": (["categoria_programatica", "fuente"], _M_CATEGORIA_FUENTE),
    "ingresos": (["rubro", "fuente"], _M_RUBRO_FUENTE),
    "estadisticas": (["codigo_unidad", "indicador", "desagregacion", "mes"], _M_ESTADISTICA),
}

# Rótulos de las filas de total y de servicio en los cuadros del informe (TOTAL es
# `tablas.TOTAL`). Un código o un área con ese nombre se confundiría con esas filas: el
# informe tomaría la fila equivocada como total de la entidad, o no podría cruzar las filas
# de áreas y servicios. Se comparan sin mayúsculas ni tildes.
_RESERVADOS: dict[tuple[str, str], tuple[str, ...]] = {
    ("unidades", "codigo_unidad"): ("TOTAL",),
    ("unidades", "area"): ("TOTAL", *SERVICIOS),
    ("areas", "area"): ("TOTAL", *SERVICIOS),
    ("acp", "codigo_acp"): ("TOTAL",),
    ("presupuesto", "categoria_programatica"): ("TOTAL",),
    ("presupuesto", "fuente"): ("TOTAL",),
}
_M_RESERVADO_TOTAL = (
    "'{valor}' no sirve como {columna}: los cuadros del informe usan TOTAL para la fila del "
    "total de la entidad"
)
_M_RESERVADO_AREA = (
    "'{valor}' no sirve como nombre de área: los cuadros por área usan TOTAL, Central y "
    "Exterior para las filas del total de la entidad y de los servicios"
)


# --------------------------------------------------------------------------------------
# Lectura de celdas


def _sin_tildes(texto: str) -> str:
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c)).casefold()


# Separadores de línea y de página que no son el salto de línea común: valen un espacio.
_COMO_ESPACIO = dict.fromkeys(map(ord, "\u2028\u2029\x0b\x0c\x85\x1c\x1d\x1e"), " ")


def limpiar_texto(texto: str) -> str:
    """Texto de una celda o de los parámetros, normalizado para publicarlo en cualquier medio.

    Saltos de línea como "\\n" (también "\\r\\n" y "\\r"); separadores de línea o de página
    Unicode como espacio; se quitan los demás caracteres de control (NUL, ESC...), salvo el
    tabulador; forma NFC (una tilde escrita aparte se une a su letra) y sin espacios en los
    extremos.
    """
    if texto.isprintable():
        # Lo común, y rápido: sin saltos, separadores ni caracteres de control.
        return unicodedata.normalize("NFC", texto).strip()
    texto = texto.replace("\r\n", "\n").replace("\r", "\n").translate(_COMO_ESPACIO)
    if not texto.isprintable():
        texto = "".join(
            c for c in texto if c in "\t\n" or unicodedata.category(c) != "Cc"
        )
    return unicodedata.normalize("NFC", texto).strip()


def _textos(valores: list) -> list[str]:
    """`_a_texto` de cada celda de una columna. Cada texto distinto se limpia una sola vez:
    en una columna se repiten códigos, nombres y unidades de medida."""
    if valores and pd.api.types.infer_dtype(valores, skipna=False) == "string":
        # Sólo textos (lo común: calamine lee "" en una celda vacía): los distintos se
        # hallan de una vez, sin recorrer la columna en Python.
        posiciones, distintos = pd.factorize(np.asarray(valores, dtype=object))
        limpios_distintos = np.array([limpiar_texto(t) for t in distintos], dtype=object)
        return limpios_distintos[posiciones].tolist()
    limpios: dict[str, str] = {}
    salida = []
    for valor in valores:
        if type(valor) is str:
            texto = limpios.get(valor)
            if texto is None:
                texto = limpios[valor] = limpiar_texto(valor)
            salida.append(texto)
        else:
            salida.append(_a_texto(valor))
    return salida


def _a_texto(valor) -> str:
    """Celda -> texto limpio. Un código que Excel guarda como número 1 se lee "1"."""
    if type(valor) is str:
        return limpiar_texto(valor)
    if valor is None or isinstance(valor, _FormulaSinValor):
        return ""
    if isinstance(valor, bool):
        return "VERDADERO" if valor else "FALSO"
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        if math.isnan(valor):
            return ""
        if valor.is_integer() and abs(valor) < 1e15:
            return str(int(valor))
        return repr(valor)
    if isinstance(valor, dt.datetime):
        if valor.time() == dt.time(0, 0):
            return valor.date().isoformat()
        return valor.isoformat(sep=" ")
    if isinstance(valor, (dt.date, dt.time)):
        return valor.isoformat()
    return limpiar_texto(str(valor))


_FORMATOS_FECHA = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_M_FECHA = "'{valor}' no es una fecha: escríbala como 15/02/2024 o 2024-02-15"


def leer_fecha(valor) -> pd.Timestamp | None:
    """Celda -> fecha (sin hora); None si está vacía. Una fecha de Excel, o un texto día/mes/
    año o año-mes-día; cualquier otra cosa es un error (ValueError con el mensaje)."""
    if valor is None or isinstance(valor, _FormulaSinValor):
        return None
    if isinstance(valor, (dt.datetime, dt.date)):
        return pd.Timestamp(valor).normalize()
    texto = _a_texto(valor)
    if not texto:
        return None
    # Un texto con la hora de medianoche (una fecha copiada de otra hoja) vale su fecha.
    texto = re.sub(r"[ T]00:00(:00)?$", "", texto)
    for formato in _FORMATOS_FECHA:
        try:
            return pd.Timestamp(dt.datetime.strptime(texto, formato))
        except ValueError:
            continue
    raise ValueError(_M_FECHA.format(valor=texto))


def _fila_vacia(fila: tuple) -> bool:
    """Si ninguna celda de la fila tiene algo escrito (un texto de sólo espacios no cuenta).
    Decide en la primera celda escrita, que casi siempre es la primera de la fila."""
    for valor in fila:
        if valor is None:
            continue
        if not isinstance(valor, str) or valor.strip():
            return False
    return True


@dataclass
class _HojaCruda:
    """Una hoja tal como se leyó: encabezados de la fila 1 y filas numeradas."""

    nombre: str
    archivo: str
    encabezados: list
    filas: list[tuple[int, tuple]]
    con_formulas: bool = False  # si alguna celda es una `_FormulaSinValor`


# Un libro cifrado (protegido con contraseña para abrirlo) o un .xls antiguo no es un ZIP de
# Office Open XML sino un archivo compuesto OLE; el cifrado se reconoce por su flujo
# EncryptionInfo (nombre en UTF-16 en el directorio del archivo).
_FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FLUJO_CIFRADO = "EncryptionInfo".encode("utf-16-le")
# Una celda con fórmula en el XML de una hoja: <f>, <f t="shared" .../>, <x:f>...
_ETIQUETA_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Lo que toda etiqueta de fórmula contiene; se busca primero porque, sin el "<" (que abre
# cada elemento del XML), la búsqueda salta de una "f" a la siguiente: decenas de veces más
# rápido que `_ETIQUETA_FORMULA` en una hoja sin fórmulas.
_MARCA_FORMULA = re.compile(rb"f[\s>/]")
# Una celda con un valor de error de Excel (#DIV/0!, #N/A...): <c r="B2" t="e">.
_ERROR_DE_EXCEL = re.compile(rb"t=[\"']e[\"']")
# Hojas que calamine interpreta a la vez (`_leer_con_calamine`): en el libro de una entidad
# grande, la de operaciones tarda tanto como todas las demás juntas; más hilos no ganan.
_HILOS_DE_LECTURA = 2
_M_FORMULA = (
    "fórmula sin valor calculado ({formula}): abra y guarde el libro en Excel o LibreOffice "
    "para que se calcule"
)


@dataclass(frozen=True)
class _FormulaSinValor:
    """Una celda con fórmula cuyo resultado el libro no guarda (lo escribió un programa y
    nunca se abrió en una hoja de cálculo): leerla como vacía cambiaría el informe."""

    formula: str


def _problema_de_formato(ruta: Path) -> str | None:
    """Libros que openpyxl no puede abrir y que conviene nombrar por lo que son."""
    try:
        with ruta.open("rb") as f:
            contenido = f.read()
    except OSError:
        return None  # lo informa openpyxl al abrirlo
    if not contenido.startswith(_FIRMA_OLE):
        return None
    if _FLUJO_CIFRADO in contenido:
        return (
            "el libro está protegido con contraseña: quite la contraseña de apertura (en Excel, "
            "Archivo > Información > Proteger libro > Cifrar con contraseña, y déjela vacía) y "
            "guárdelo otra vez"
        )
    return (
        "el archivo es un libro de Excel antiguo (.xls) aunque su extensión diga otra cosa: "
        "ábralo y guárdelo como «Libro de Excel (.xlsx)»"
    )


def _formulas_y_errores(ruta: Path) -> tuple[bool, bool]:
    """Si alguna hoja tiene una celda con fórmula, y si alguna tiene un valor de error de
    Excel como #DIV/0! (`t="e"`): una sola pasada por el XML de las hojas, que termina en
    cuanto sabe las dos cosas."""
    formulas = errores = False
    with zipfile.ZipFile(ruta) as zf:
        for nombre in zf.namelist():
            if nombre.startswith("xl/worksheets/") and nombre.endswith(".xml"):
                contenido = zf.read(nombre)
                errores = errores or bool(_ERROR_DE_EXCEL.search(contenido))
                formulas = formulas or bool(
                    _MARCA_FORMULA.search(contenido) and _ETIQUETA_FORMULA.search(contenido))
                if formulas and errores:
                    break
    return formulas, errores


def _formulas_sin_valor(ruta: Path, hojas: dict[str, str]) -> dict[str, dict[tuple[int, int], str]]:
    """Hoja -> {(fila, posición): fórmula} de las celdas con fórmula, leídas sin valores."""
    import openpyxl

    libro = openpyxl.load_workbook(ruta, read_only=True, data_only=False)
    try:
        formulas: dict[str, dict[tuple[int, int], str]] = {}
        for hoja, nombre in hojas.items():
            hoja_xl = libro[nombre]
            hoja_xl.reset_dimensions()
            de_hoja = {}
            for numero, fila in enumerate(hoja_xl.iter_rows(), start=1):
                for pos, celda in enumerate(fila):
                    if getattr(celda, "data_type", None) == "f":
                        de_hoja[(numero, pos)] = str(celda.value)
            formulas[hoja] = de_hoja
        return formulas
    finally:
        libro.close()


def _leer_libro(ruta: Path, problemas: list[Problema]) -> dict[str, _HojaCruda]:
    import openpyxl

    archivo = ruta.name
    formato = _problema_de_formato(ruta)
    if formato:
        problemas.append(Problema(archivo, None, None, None, formato))
        return {}
    try:
        formulas_en_libro, errores = _formulas_y_errores(ruta)
    except Exception:  # noqa: BLE001 - no es un zip: el mensaje lo da openpyxl, abajo
        formulas_en_libro = errores = True
    # Calamine no distingue una fórmula sin valor calculado ni cita un error de Excel: esos
    # libros los lee openpyxl.
    if not (formulas_en_libro or errores):
        rapido = _leer_con_calamine(ruta)
        if rapido is not None:
            return rapido
    try:
        libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip dañado, no es un libro, sin permiso...
        problemas.append(Problema(archivo, None, None, None, _no_se_pudo_leer(exc)))
        return {}
    hojas: dict[str, _HojaCruda] = {}
    try:
        nombres = {nombre.strip().casefold(): nombre for nombre in libro.sheetnames}
        presentes = {hoja: nombres[hoja] for hoja in HOJAS if hoja in nombres}
        formulas = _formulas_sin_valor(ruta, presentes) if formulas_en_libro else {}
        for hoja, nombre in presentes.items():
            hoja_xl = libro[nombre]
            hoja_xl.reset_dimensions()  # no confiar en la dimensión declarada en el archivo
            filas = hoja_xl.iter_rows(values_only=True)
            if formulas.get(hoja):
                filas = _marcar_formulas(filas, formulas[hoja])
            hojas[hoja] = _tabla_cruda(hoja, archivo, filas)
            hojas[hoja].con_formulas = bool(formulas.get(hoja))
    except Exception as exc:  # noqa: BLE001 - XML dañado dentro del libro
        problemas.append(Problema(archivo, None, None, None, _no_se_pudo_leer(exc)))
        return {}
    finally:
        libro.close()
    return hojas


def _leer_con_calamine(ruta: Path, hilos: int | None = None) -> dict[str, _HojaCruda] | None:
    """Las hojas del contrato leídas con calamine, decenas de veces más rápido que openpyxl en
    un libro grande, en un libro sin fórmulas ni valores de error de Excel (lo comprueba
    `_leer_libro`); None si calamine no lo puede abrir: entonces lo lee openpyxl, que da el
    mensaje de un libro dañado.

    Calamine da "" en una celda vacía (openpyxl, None: las dos se leen vacías) y un `date`
    en una fecha sin hora (openpyxl, un `datetime`: ver `_leer_numeros`).

    Calamine suelta el GIL mientras interpreta el XML de una hoja, así que con ``hilos`` (por
    omisión, uno por núcleo, hasta `_HILOS_DE_LECTURA`) se interpretan varias hojas a la vez,
    cada hilo con su propia copia del libro abierto (un libro no se usa en dos hilos):
    en el libro 100× la hoja de operaciones va en un núcleo y las demás en el otro. Las filas
    se arman en este hilo, en el orden de `HOJAS`.
    """
    from concurrent.futures import ThreadPoolExecutor

    from python_calamine import CalamineWorkbook

    try:
        libro = CalamineWorkbook.from_path(str(ruta))
    except Exception:  # noqa: BLE001 - cualquier problema lo explica la lectura con openpyxl
        return None
    abiertos = [libro]
    sin_hilo = [libro]  # el primer hilo usa el libro ya abierto; los demás abren otra copia
    propio = threading.local()

    def interpretar(nombre: str):
        copia = getattr(propio, "libro", None)
        if copia is None:
            try:
                copia = sin_hilo.pop()
            except IndexError:
                copia = CalamineWorkbook.from_path(str(ruta))
                abiertos.append(copia)
            propio.libro = copia
        return copia.get_sheet_by_name(nombre)

    hilos = hilos or min(_HILOS_DE_LECTURA, nucleos())
    try:
        nombres = {nombre.strip().casefold(): nombre for nombre in libro.sheet_names}
        presentes = [hoja for hoja in HOJAS if hoja in nombres]
        hojas = {}
        with ThreadPoolExecutor(max_workers=hilos) as grupo:
            interpretadas = {hoja: grupo.submit(interpretar, nombres[hoja]) for hoja in presentes}
            try:
                for hoja in presentes:
                    # skip_empty_area=False: la primera fila de la lista es la fila 1 de la hoja.
                    filas = interpretadas[hoja].result().to_python(skip_empty_area=False)
                    hojas[hoja] = _tabla_cruda(hoja, ruta.name, filas)
            finally:
                for pendiente in interpretadas.values():
                    pendiente.cancel()
        return hojas
    except Exception:  # noqa: BLE001
        return None
    finally:
        for abierto in abiertos:
            abierto.close()


def _marcar_formulas(
    filas: Iterable[Iterable], formulas: dict[tuple[int, int], str]
) -> Iterator[tuple]:
    """Las filas con `_FormulaSinValor` donde una fórmula no trae su valor calculado."""
    con_formula = {numero for numero, _ in formulas}
    for numero, fila in enumerate(filas, start=1):
        fila = tuple(fila)
        if numero in con_formula:
            fila = tuple(
                _FormulaSinValor(formulas[(numero, pos)])
                if v is None and (numero, pos) in formulas else v
                for pos, v in enumerate(fila)
            )
        yield fila


def _hojas_del_libro(ruta: Path) -> list[str]:
    import openpyxl

    libro = openpyxl.load_workbook(ruta, read_only=True)
    try:
        return list(libro.sheetnames)
    finally:
        libro.close()


def _tabla_cruda(hoja: str, archivo: str, filas: Iterable[Iterable]) -> _HojaCruda:
    encabezados: list = []
    datos: list[tuple[int, tuple]] = []
    for numero, fila in enumerate(filas, start=1):
        fila = tuple(fila)
        if numero == 1:
            encabezados = list(fila)
            continue
        if _fila_vacia(fila):
            continue
        datos.append((numero, fila))
    return _HojaCruda(hoja, archivo, encabezados, datos)


def _leer_carpeta(
    carpeta: Path, problemas: list[Problema], archivos: list[Path]
) -> dict[str, _HojaCruda]:
    hojas: dict[str, _HojaCruda] = {}
    for hoja in HOJAS:
        ruta = carpeta / f"{hoja}.csv"
        if not ruta.is_file():
            continue
        archivos.append(ruta)
        try:
            with ruta.open(encoding="utf-8-sig", newline="") as f:
                texto = f.read()
        except UnicodeDecodeError:
            problemas.append(
                Problema(
                    ruta.name, hoja, None, None,
                    "el archivo no está en UTF-8; guárdelo como «CSV UTF-8»",
                )
            )
            continue
        except OSError as exc:
            problemas.append(
                Problema(ruta.name, hoja, None, None,
                         f"no se pudo leer el archivo ({_motivo(exc)})")
            )
            continue
        # Sólo \n y \r separan registros: un U+2028 o un salto de página dentro de un campo
        # es parte del texto (str.splitlines los tomaría por fines de línea).
        primera = io.StringIO(texto, newline="").readline()
        # Excel en castellano guarda CSV con «;» (la coma es el separador decimal).
        separador = ";" if primera.count(";") > primera.count(",") else ","
        try:
            filas = list(csv.reader(io.StringIO(texto, newline=""), delimiter=separador))
        except csv.Error as exc:
            problemas.append(
                Problema(ruta.name, hoja, None, None, f"el CSV está mal formado ({_motivo(exc)})")
            )
            continue
        hojas[hoja] = _tabla_cruda(hoja, ruta.name, filas)
    return hojas


def _no_se_pudo_leer(exc: Exception) -> str:
    return f"no se pudo leer el libro Excel ({_motivo(exc)})"


def _motivo(exc: Exception) -> str:
    texto = str(exc).strip()
    return f"{type(exc).__name__}: {texto}" if texto else type(exc).__name__


# --------------------------------------------------------------------------------------
# Conversión de una hoja a DataFrame


@dataclass
class _Hoja:
    """Una hoja convertida: el DataFrame (índice = fila) y lo necesario para los mensajes."""

    nombre: str
    archivo: str
    tabla: pd.DataFrame
    presentes: set[str]  # columnas del contrato que están en la hoja
    posiciones: dict[str, int]  # columna -> posición en la hoja (para ordenar problemas)
    crudos: _Crudos  # (fila, columna) -> celda tal como se escribió
    con_error: set[tuple[int, str]]  # celdas que ya tienen un problema de lectura


def _convertir(cruda: _HojaCruda, problemas: list[Problema]) -> _Hoja:
    contrato = _CONTRATO[cruda.nombre]
    por_nombre = {c.nombre: c for c in contrato}

    def problema(fila, columna, mensaje):
        problemas.append(Problema(cruda.archivo, cruda.nombre, fila, columna, mensaje))

    # Encabezados: se reconocen los del contrato sin distinguir mayúsculas; el resto se
    # conserva con su nombre. Una columna sin encabezado se ignora.
    indice: dict[str, int] = {}
    for pos, celda in enumerate(cruda.encabezados):
        nombre = _a_texto(celda)
        if not nombre:
            continue
        if nombre.casefold() in por_nombre:
            nombre = nombre.casefold()
        if nombre in indice:
            problema(
                1, nombre,
                f"la columna aparece más de una vez (columnas {_letra(indice[nombre])} y "
                f"{_letra(pos)}); se usa la primera",
            )
            continue
        indice[nombre] = pos

    for col in contrato:
        if col.nombre in indice:
            continue
        if col.obligatoria:
            problema(None, col.nombre, f"falta la columna obligatoria {col.nombre}")
        elif col.grupo and any(c.grupo == col.grupo and c.nombre in indice for c in contrato):
            # Un grupo mensual incompleto es casi siempre un encabezado mal escrito.
            problema(
                None, col.nombre,
                f"falta la columna {col.nombre} (la hoja tiene otras columnas {col.grupo}_)",
            )

    filas = [numero for numero, _ in cruda.filas]
    crudos = _Crudos(filas)
    con_error: set[tuple[int, str]] = set()
    columnas: dict[str, pd.Series] = {}
    index = pd.Index(filas, dtype="int64", name="fila")
    # La hoja por columnas (traspuesta de una vez): las filas más cortas se completan con None.
    por_posicion = list(itertools.zip_longest(*(fila for _, fila in cruda.filas)))

    def celdas(pos: int, columna: str | None = None) -> list:
        """Las celdas de una columna; una fórmula sin valor calculado de una columna del
        contrato es un problema y se lee vacía (las columnas adicionales no se usan)."""
        if pos >= len(por_posicion):
            return [None] * len(filas)
        valores = list(por_posicion[pos])
        if cruda.con_formulas:
            for i, valor in enumerate(valores):
                if isinstance(valor, _FormulaSinValor):
                    if columna is not None:
                        problema(filas[i], columna, _M_FORMULA.format(formula=valor.formula))
                        con_error.add((filas[i], columna))
                    valores[i] = None
        return valores

    # Una columna adicional llamada "fila" no se conserva: ese nombre es el del número de fila.
    extras = [n for n in indice if n not in por_nombre and n != "fila"]
    for col in contrato:
        pos = indice.get(col.nombre)
        if col.tipo == "texto":
            if pos is None:
                valores = [""] * len(filas)
            else:
                valores = _textos(celdas(pos, col.nombre))
                canonicos = _CANONICOS.get((cruda.nombre, col.nombre))
                if canonicos:
                    mapa = {_sin_tildes(c): c for c in canonicos}
                    # Cada texto distinto se compara una vez (son todos textos: nada que
                    # confundir como 1 y True en un diccionario).
                    escrito = {v: mapa.get(_sin_tildes(v), v) for v in set(valores)}
                    valores = [escrito[v] for v in valores]
            columnas[col.nombre] = pd.Series(valores, index=index, dtype=TEXTO)
        elif col.tipo == "fecha":
            fechas = [None] * len(filas)
            if pos is not None:
                valores = celdas(pos, col.nombre)
                for i, celda in enumerate(valores):
                    try:
                        fechas[i] = leer_fecha(celda)
                    except ValueError as exc:
                        problema(filas[i], col.nombre, str(exc))
                        con_error.add((filas[i], col.nombre))
                crudos.agregar(col.nombre, valores, [f is not None for f in fechas])
            columnas[col.nombre] = pd.Series(fechas, index=index, dtype=FECHA)
        else:
            if pos is None:
                numeros = np.full(len(filas), col.vacio)
            else:
                valores = celdas(pos, col.nombre)
                numeros, escritos, errores = _leer_numeros(valores)
                for i, mensaje in errores:
                    problema(filas[i], col.nombre, mensaje)
                    con_error.add((filas[i], col.nombre))
                vacias = ~escritos
                vacias[[i for i, _ in errores]] = False
                numeros[vacias] = col.vacio
                crudos.agregar(col.nombre, valores, escritos)
            columnas[col.nombre] = pd.Series(numeros, index=index, dtype="float64")
    for nombre in extras:
        pos = indice[nombre]
        columnas[nombre] = pd.Series(
            _textos(celdas(pos)), index=index, dtype=TEXTO
        )
    tabla = pd.DataFrame(columnas, index=index)

    posiciones = dict(indice)
    siguiente = len(cruda.encabezados)
    for col in contrato:
        if col.nombre not in posiciones:
            posiciones[col.nombre] = siguiente
            siguiente += 1
    return _Hoja(
        nombre=cruda.nombre,
        archivo=cruda.archivo,
        tabla=tabla,
        presentes={c.nombre for c in contrato if c.nombre in indice},
        posiciones=posiciones,
        crudos=crudos,
        con_error=con_error,
    )


_TIPOS_NUMERO = (float, int)


def _leer_numeros(valores: list) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    """Las celdas de una columna numérica leídas como `leer_numero` las lee una por una, pero
    de una vez: los números de la hoja se convierten juntos y sólo los textos (y lo raro)
    pasan por `leer_numero`. Devuelve los números (NaN donde no hay), dónde hay un número
    escrito, y (posición, mensaje) de las celdas que no son un número admitido."""
    n = len(valores)
    numeros = np.full(n, np.nan)
    celdas = np.empty(n, dtype=object)
    celdas[:] = valores
    tipos = pd.Series(map(type, valores), dtype=object)
    es_numero = tipos.isin(_TIPOS_NUMERO).to_numpy()
    try:
        numeros[es_numero] = celdas[es_numero].astype("float64")
    except OverflowError:  # un entero que no cabe en un float: lo dice leer_numero
        es_numero[:] = False
    revisar = ~es_numero & ~tipos.isin([type(None)]).to_numpy() & (celdas != "")
    # Fuera del rango admitido (infinito, 10^15 o más, o diminuto): lo dice leer_numero.
    with np.errstate(invalid="ignore"):
        absoluto = np.abs(numeros)
        revisar |= es_numero & ~np.isnan(numeros) & (
            ~(absoluto < LIMITE_ABSOLUTO) | ((numeros != 0) & (absoluto < LIMITE_MINIMO)))
    errores = []
    for i in np.flatnonzero(revisar):
        try:
            leido = leer_numero(_como_openpyxl(valores[i]))
        except ValueError as exc:
            errores.append((int(i), str(exc)))
            leido = None
        numeros[i] = math.nan if leido is None else leido
    return numeros, ~np.isnan(numeros), errores


def _como_openpyxl(valor):
    """La celda como la da openpyxl, para que el mensaje la cite igual con los dos lectores:
    calamine da un `date` donde openpyxl da un `datetime`, y 1000000000000000.0 donde
    openpyxl da el entero."""
    if type(valor) is dt.date:
        return dt.datetime.combine(valor, dt.time())
    if type(valor) is float and valor.is_integer() and abs(valor) < 1e16:
        return int(valor)
    return valor


class _Crudos:
    """(fila, columna) -> la celda tal como se escribió, para los mensajes; sólo de las celdas
    leídas como número o fecha. Se escribe al pedirla: un libro grande tiene millones de
    celdas y sólo las que tienen un problema se citan."""

    def __init__(self, filas: list[int]):
        self._posiciones = {fila: i for i, fila in enumerate(filas)}
        self._columnas: dict[str, tuple[list, np.ndarray]] = {}

    def agregar(self, columna: str, valores: list, escritos) -> None:
        self._columnas[columna] = (valores, np.asarray(escritos, dtype=bool))

    def get(self, clave: tuple[int, str], defecto=None):
        fila, columna = clave
        if columna not in self._columnas or fila not in self._posiciones:
            return defecto
        valores, escritos = self._columnas[columna]
        i = self._posiciones[fila]
        return _a_texto(valores[i]) if escritos[i] else defecto


def _letra(pos: int) -> str:
    """Posición (desde 0) -> letra de columna de la hoja de cálculo (0 -> A, 26 -> AA)."""
    letras = ""
    pos += 1
    while pos:
        pos, resto = divmod(pos - 1, 26)
        letras = chr(ord("A") + resto) + letras
    return letras


def tabla_vacia(hoja: str) -> pd.DataFrame:
    """La tabla sin filas de una hoja opcional ausente, con las columnas y tipos del contrato."""
    columnas = {}
    for col in _CONTRATO[hoja]:
        dtype = _DTYPES[col.tipo]
        columnas[col.nombre] = pd.Series([], dtype=dtype)
    columnas["fila"] = pd.Series([], dtype="int64")
    return pd.DataFrame(columnas)


# --------------------------------------------------------------------------------------
# Reglas (pandera)


def _no_vacia(serie: pd.Series) -> pd.Series:
    if serie.dtype.kind in "fM":
        return serie.notna()
    return serie != ""


def _sin_repetir(serie: pd.Series) -> pd.Series:
    return (serie == "") | ~serie.duplicated(keep="first")


def _existe_en(codigos: set[str]) -> Callable[[pd.Series], pd.Series]:
    # Los códigos en un índice armado una vez: `isin` de textos de Arrow los recorre en Python
    # en cada llamada (decenas de miles de operaciones en un libro grande).
    indice = pd.Index(list(codigos), dtype=object)

    def existe(serie: pd.Series) -> pd.Series:
        hallado = indice.get_indexer(serie.to_numpy(dtype=object)) >= 0
        return (serie == "") | pd.Series(hallado, index=serie.index)

    return existe


def _es_entero(serie: pd.Series) -> pd.Series:
    return serie == serie.round()


def _sin_reservados(reservados: Iterable[str]) -> Callable[[pd.Series], pd.Series]:
    claves = {_sin_tildes(r) for r in reservados}

    def sin_reservados(serie: pd.Series) -> pd.Series:
        # Cada texto distinto se compara una vez; pocos (casi siempre ninguno) son reservados.
        reservados = [v for v in serie.unique()
                      if isinstance(v, str) and _sin_tildes(v) in claves]
        return ~serie.isin(reservados)

    return sin_reservados


def _esquema(
    hoja: _Hoja, existentes: dict[tuple[str, str], set[str] | None]
) -> pa.DataFrameSchema:
    """El esquema de la hoja, sólo con las columnas presentes (las ausentes ya se informaron).

    `existentes`: para cada columna de donde sale una referencia (los valores de
    `REFERENCIAS`), los códigos que tiene; None si no se pudo leer (entonces no se comprueban
    las referencias a ella, para no repetir un problema en cada fila).
    """
    reglas: dict[str, list[pa.Check]] = {}

    def regla(columna: str, funcion, error: str, ignore_na: bool = True):
        reglas.setdefault(columna, []).append(
            pa.Check(funcion, element_wise=False, ignore_na=ignore_na, error=error)
        )

    contrato = _CONTRATO[hoja.nombre]
    for col in contrato:
        if col.obligatoria:
            regla(col.nombre, _no_vacia, _M_VACIA, ignore_na=False)
        if col.nombre in COLUMNAS_NO_NEGATIVAS[hoja.nombre]:
            regla(col.nombre, lambda s: s >= 0, _M_NEGATIVO)

    claves = {"unidades": "codigo_unidad", "acp": "codigo_acp", "operaciones": "codigo_operacion",
              "areas": "area"}
    if hoja.nombre in claves:
        regla(claves[hoja.nombre], _sin_repetir, _M_REPETIDO)
    if hoja.nombre == "unidades":
        regla("servicio", lambda s: (s == "") | s.isin(SERVICIOS), _M_SERVICIO)
    if hoja.nombre == "operaciones":
        regla("tareas", lambda s: _es_entero(s) & (s >= 1), _M_TAREAS)
    if hoja.nombre == "narrativa":
        regla("trimestre", lambda s: _es_entero(s) & s.between(1, 4), _M_TRIMESTRE)
        regla("tipo", lambda s: (s == "") | s.isin(TIPOS_NARRATIVA), _M_TIPO)
    if hoja.nombre == "historico":
        regla("gestion", _es_entero, _M_GESTION)
    if hoja.nombre in ("estadisticas", "reformulaciones"):
        regla("mes", lambda s: _es_entero(s) & s.between(1, 12), _M_MES)
    if hoja.nombre == "reformulaciones":
        regla("numero", lambda s: _es_entero(s) & (s >= 1), _M_NUMERO_REFORMULACION)
        regla("cambio", lambda s: (s == "") | s.isin(CAMBIOS), _M_CAMBIO)
    for (nombre_hoja, columna), reservados in _RESERVADOS.items():
        if hoja.nombre == nombre_hoja:
            mensaje = (_M_RESERVADO_AREA if columna == "area"
                       else _M_RESERVADO_TOTAL.replace("{columna}", columna))
            regla(columna, _sin_reservados(reservados), mensaje)
    for (nombre_hoja, columna), origen in REFERENCIAS.items():
        if hoja.nombre == nombre_hoja and existentes.get(origen) is not None:
            mensaje = _M_REFERENCIA.get(origen, _M_NO_EXISTE.replace("{hoja}", origen[0]))
            regla(columna, _existe_en(existentes[origen]), mensaje)

    columnas = {}
    for col in contrato:
        if col.nombre not in hoja.presentes:
            continue
        dtype = {"texto": TEXTO, "fecha": FECHA}.get(col.tipo, "float64")
        columnas[col.nombre] = pa.Column(
            dtype, checks=reglas.get(col.nombre, []), nullable=True, coerce=False
        )

    checks = []
    if hoja.nombre in _CLAVES_COMPUESTAS:
        claves, mensaje = _CLAVES_COMPUESTAS[hoja.nombre]
        if set(claves) <= hoja.presentes:
            def clave_unica(tabla: pd.DataFrame, claves=claves) -> pd.Series:
                repetida = tabla.duplicated(claves, keep="first")
                return (tabla[claves[0]] == "") | ~repetida

            checks.append(pa.Check(clave_unica, error=mensaje))
    return pa.DataFrameSchema(columnas, checks=checks, strict=False, name=hoja.nombre)


# Columna a la que se atribuye el problema de una regla de varias columnas (la primera de
# la clave) y columnas que identifican un "repetido".
_COLUMNA_DE_REGLA = {mensaje: claves[0] for claves, mensaje in _CLAVES_COMPUESTAS.values()}
_CLAVE_DE_REGLA = {mensaje: claves for claves, mensaje in _CLAVES_COMPUESTAS.values()}


class _Campos(dict):
    """Valores para las plantillas de mensajes, calculados sólo si la plantilla los usa."""

    def __init__(self, hoja: _Hoja, fila: int, columna: str, plantilla: str, caso, sugerir):
        super().__init__()
        self.hoja, self.fila, self.columna, self.plantilla, self.caso, self.sugerir = (
            hoja, fila, columna, plantilla, caso, sugerir,
        )

    def __missing__(self, clave: str) -> str:
        tabla = self.hoja.tabla
        if clave == "valor":
            crudo = self.hoja.crudos.get((self.fila, self.columna))
            if crudo is not None:
                return crudo
            if self.columna in tabla.columns:
                return _a_texto(tabla.at[self.fila, self.columna])
            return _a_texto(self.caso)
        if clave == "primera":
            columnas = _CLAVE_DE_REGLA.get(self.plantilla, [self.columna])
            fila = tabla.loc[self.fila, columnas]
            iguales = (tabla[columnas] == fila).all(axis=1)
            return str(int(tabla.index[iguales.to_numpy()].min()))
        if clave in tabla.columns:
            return _a_texto(tabla.at[self.fila, clave])
        if clave == "sugerencia":  # "; ¿quiso decir 'DPR'?" o nada (`entrada.sugerencias`)
            return self.sugerir(self.hoja.nombre, self.fila, self.columna, self["valor"])
        return "{" + clave + "}"


def _validar(hoja: _Hoja, esquema: pa.DataFrameSchema, problemas: list[Problema],
             sugerir: Sugeridor) -> None:
    try:
        esquema.validate(hoja.tabla, lazy=True)
    except pa.errors.SchemaErrors as exc:
        casos = exc.failure_cases
    else:
        return
    vistos: set[tuple[int | None, str | None, str]] = set()
    for caso in casos.itertuples(index=False):
        plantilla = str(caso.check)
        columna = _COLUMNA_DE_REGLA.get(plantilla, caso.column)
        columna = None if pd.isna(columna) else str(columna)
        fila = None if pd.isna(caso.index) else int(caso.index)
        if fila is not None and (fila, columna) in hoja.con_error:
            continue  # ya se informó que la celda no es un número
        if (fila, columna, plantilla) in vistos:
            continue
        vistos.add((fila, columna, plantilla))
        if fila is None or columna is None:
            mensaje = f"no cumple la regla «{plantilla}»"
        else:
            campos = _Campos(hoja, fila, columna, plantilla, caso.failure_case, sugerir)
            mensaje = plantilla.format_map(campos)
        problemas.append(Problema(hoja.archivo, hoja.nombre, fila, columna, mensaje))


def _validar_historia_presupuesto(hoja: _Hoja, problemas: list[Problema]) -> None:
    """Una línea con vigentes por mes necesita su inicial (lo que regía antes del primer
    cambio), y su último vigente mensual es el `vigente` de la línea."""
    meses = [c for c in COLUMNAS_VIG if c in hoja.presentes]
    if not meses:
        return
    tabla = hoja.tabla
    vigentes = tabla[meses]
    escritos = vigentes.notna()
    con_historia = escritos.any(axis=1)
    primera = escritos.idxmax(axis=1)  # la primera columna escrita de cada línea
    ultima = escritos.iloc[:, ::-1].idxmax(axis=1)
    ultimo = vigentes.ffill(axis=1).iloc[:, -1]
    sin_inicial = con_historia & (
        tabla["inicial"].isna() if "inicial" in hoja.presentes else True)
    for fila in tabla.index[sin_inicial]:
        problemas.append(Problema(
            hoja.archivo, hoja.nombre, int(fila), "inicial",
            f"la celda está vacía: la línea tiene vigentes por mes ({primera[fila]}) "
            "y necesita el presupuesto inicial, el que regía antes del primero"))
    for fila in tabla.index[con_historia & (ultimo != tabla["vigente"])]:
        problemas.append(Problema(
            hoja.archivo, hoja.nombre, int(fila), "vigente",
            f"'{_a_texto(tabla.at[fila, 'vigente'])}' no es el último vigente mensual "
            f"de la línea ({ultima[fila]}: {_a_texto(ultimo[fila])}): vigente es el "
            "presupuesto en vigor a la fecha del libro"))


def _primera_fila(tabla: pd.DataFrame, claves: str | list[str]) -> pd.Series:
    """Para cada fila, la primera fila de la tabla (en su orden) con sus mismas `claves`."""
    return pd.Series(tabla.index, index=tabla.index).groupby(
        [tabla[c] for c in ([claves] if isinstance(claves, str) else claves)], sort=False
    ).transform("first")


def _validar_reformulaciones(hoja: _Hoja, operaciones: _Hoja, problemas: list[Problema]) -> None:
    """Las reglas que cruzan filas de la hoja reformulaciones con la hoja operaciones.

    Sin ellas no se podría reconstruir la versión del POA de cada corte: una reformulación
    es una sola resolución con una fecha; una operación entra y sale del POA a lo sumo una
    vez; y cada valor cambiado encadena con el siguiente hasta el que tiene hoy la hoja
    operaciones (el `nuevo` del último cambio). Cada regla se evalúa sobre toda la hoja a
    la vez; sólo se recorren las filas con problema."""
    ref = hoja.tabla

    def problema(fila: int, columna: str, mensaje: str) -> None:
        problemas.append(Problema(hoja.archivo, hoja.nombre, int(fila), columna, mensaje))

    # Los datos que pide cada clase de cambio.
    for cambio, pide in {"programacion": ("mes", "anterior", "nuevo"),
                         "tareas": ("anterior", "nuevo")}.items():
        de_cambio = ref["cambio"] == cambio
        for columna in pide:
            for fila in ref.index[de_cambio & ref[columna].isna()]:
                problema(fila, columna, f"la celda está vacía: un cambio de {cambio} "
                                        f"necesita {', '.join(pide)}")
    de_tareas = ref["cambio"] == "tareas"
    for columna in ("anterior", "nuevo"):
        valor = ref[columna]
        invalido = de_tareas & valor.notna() & ((valor != valor.round()) | (valor < 1))
        for fila in ref.index[invalido]:
            problema(fila, columna, f"'{_a_texto(valor[fila])}' no es válido: tareas debe "
                                    "ser un número entero mayor o igual a 1")
    if any(p.hoja == hoja.nombre for p in problemas):
        return

    # Una reformulación: una resolución y una fecha.
    primera = _primera_fila(ref, "numero")
    for columna in ("resolucion", "fecha"):
        de_la_primera = pd.Series(ref[columna].reindex(primera).to_numpy(), index=ref.index)
        for fila in ref.index[ref[columna] != de_la_primera]:
            problema(fila, columna,
                     f"la reformulación {int(ref.at[fila, 'numero'])} ya tiene {columna} "
                     f"'{_a_texto(de_la_primera[fila])}' (fila {primera[fila]}): una "
                     "reformulación es una sola resolución, con una sola fecha")

    orden = ref.sort_values(["fecha", "numero"], kind="stable")
    primeros = {}
    for cambio in ("alta", "baja"):
        del_cambio = orden[orden["cambio"] == cambio]
        primera = _primera_fila(del_cambio, "codigo_operacion")
        for fila in del_cambio.index[del_cambio.index != primera]:
            problema(fila, "cambio", f"la operación '{del_cambio.at[fila, 'codigo_operacion']}' "
                                     f"ya tiene un cambio {cambio} en la fila {primera[fila]}")
        primeros[cambio] = del_cambio.drop_duplicates("codigo_operacion").reset_index()
    ambas = primeros["alta"].merge(primeros["baja"], on="codigo_operacion",
                                   suffixes=("_alta", "_baja"))
    for linea in ambas[ambas["fecha_baja"] < ambas["fecha_alta"]].itertuples():
        problema(linea.fila_baja, "fecha", f"la operación '{linea.codigo_operacion}' se da de "
                                           f"baja antes de su alta (fila {linea.fila_alta})")

    # Cada valor cambiado encadena hasta el de la hoja operaciones.
    cambios = orden[orden["cambio"].isin(["programacion", "tareas"])].copy()
    meses = cambios["mes"].fillna(0).astype("int64").map("prog_{:02d}".format)
    cambios["campo"] = meses.where(cambios["cambio"] != "tareas", "tareas")
    grupos = cambios.groupby(["codigo_operacion", "campo"], sort=False)
    previa = pd.Series(cambios.index, index=cambios.index).groupby(
        [cambios["codigo_operacion"], cambios["campo"]], sort=False).shift()
    dejado = grupos["nuevo"].shift()
    for fila in cambios.index[previa.notna() & (cambios["anterior"] != dejado)]:
        codigo, campo = cambios.at[fila, "codigo_operacion"], cambios.at[fila, "campo"]
        problema(fila, "anterior",
                 f"'{_a_texto(cambios.at[fila, 'anterior'])}' no es el valor que dejó "
                 f"el cambio anterior de {campo} de '{codigo}' (fila {int(previa[fila])}: "
                 f"{_a_texto(dejado[fila])})")
    ultimos = cambios[~cambios.duplicated(["codigo_operacion", "campo"], keep="last")]
    actual = operaciones.tabla.reset_index().set_index("codigo_operacion")
    posiciones = actual.index.get_indexer(ultimos["codigo_operacion"])
    hoy = pd.Series([actual[campo].iat[pos] for pos, campo in zip(posiciones, ultimos["campo"])],
                    index=ultimos.index, dtype="float64")
    for fila in ultimos.index[ultimos["nuevo"] != hoy]:
        codigo, campo = ultimos.at[fila, "codigo_operacion"], ultimos.at[fila, "campo"]
        problema(fila, "nuevo",
                 f"'{_a_texto(ultimos.at[fila, 'nuevo'])}' no es el valor de {campo} "
                 f"de '{codigo}' en la hoja operaciones (fila "
                 f"{actual.at[codigo, 'fila']}: {_a_texto(hoy[fila])}): el último cambio "
                 "deja el valor que tiene hoy la operación")


def _codigos(hoja: _Hoja | None, columna: str) -> set[str] | None:
    if hoja is None or columna not in hoja.presentes:
        return None
    return set(hoja.tabla[columna]) - {""}


# --------------------------------------------------------------------------------------
# Entrada pública


def cargar_datos(ruta: str | Path) -> Datos:
    """Lee y valida el POA desde un libro `.xlsx` o una carpeta de CSV.

    Lanza `ErrorDeEntrada` con todos los problemas encontrados (nada se calcula con datos
    inválidos). Ver data-contract.md para las hojas y columnas.
    """
    ruta = Path(ruta)
    problemas: list[Problema] = []
    archivos: list[Path] = []

    if not ruta.exists():
        raise ErrorDeEntrada(
            [Problema(ruta.name or str(ruta), None, None, None,
                      f"no existe el archivo o la carpeta de datos {ruta}")]
        )
    if ruta.is_dir():
        crudas = _leer_carpeta(ruta, problemas, archivos)
        for hoja in HOJAS_OBLIGATORIAS:
            if hoja not in crudas and not any(p.hoja == hoja for p in problemas):
                problemas.append(
                    Problema(f"{hoja}.csv", hoja, None, None,
                             f"falta el archivo obligatorio {hoja}.csv en la carpeta {ruta}")
                )
    elif ruta.suffix.casefold() in EXTENSIONES_LIBRO:
        archivos.append(ruta)
        crudas = _leer_libro(ruta, problemas)
        if not problemas:
            for hoja in HOJAS_OBLIGATORIAS:
                if hoja not in crudas:
                    problemas.append(
                        Problema(ruta.name, hoja, None, None,
                                 f"falta la hoja obligatoria {hoja} (el libro tiene: "
                                 f"{', '.join(_hojas_del_libro(ruta)) or 'ninguna hoja'})")
                    )
    else:
        raise ErrorDeEntrada(
            [Problema(ruta.name, None, None, None,
                      f"formato no admitido ({ruta.suffix or 'sin extensión'}): se espera un "
                      "libro .xlsx o una carpeta con archivos CSV")]
        )

    hojas: dict[str, _Hoja] = {}
    for nombre in HOJAS:
        if nombre in crudas:
            hojas[nombre] = _convertir(crudas[nombre], problemas)
            if nombre in HOJAS_OBLIGATORIAS and hojas[nombre].tabla.empty:
                problemas.append(
                    Problema(crudas[nombre].archivo, nombre, None, None,
                             "la hoja no tiene filas de datos")
                )

    existentes = {
        (nombre, columna): _codigos(hojas.get(nombre), columna)
        for nombre, columna in set(REFERENCIAS.values())
    }
    sugerir = Sugeridor(REFERENCIAS, existentes, {n: h.tabla for n, h in hojas.items()})
    for hoja in hojas.values():
        _validar(hoja, _esquema(hoja, existentes), problemas, sugerir)
    if "presupuesto" in hojas and not problemas:
        _validar_historia_presupuesto(hojas["presupuesto"], problemas)
    if "reformulaciones" in hojas and not problemas:
        _validar_reformulaciones(hojas["reformulaciones"], hojas["operaciones"], problemas)

    if problemas:
        problemas = con_pista_de_ejemplo(problemas, sugerir.ejemplos)
        raise ErrorDeEntrada(sorted(problemas, key=lambda p: _orden(p, hojas)))

    return Datos(
        **{nombre: _final(hojas[nombre]) if nombre in hojas else tabla_vacia(nombre)
           for nombre in HOJAS},
        archivos=archivos,
    )


def _orden(problema: Problema, hojas: dict[str, _Hoja]):
    hoja = HOJAS.index(problema.hoja) if problema.hoja in HOJAS else -1
    posiciones = hojas[problema.hoja].posiciones if problema.hoja in hojas else {}
    columna = posiciones.get(problema.columna, len(posiciones)) if problema.columna else -1
    return (hoja, problema.fila or 0, columna, problema.mensaje)


def _final(hoja: _Hoja) -> pd.DataFrame:
    """La tabla validada: enteros como int64 y `fila` como última columna."""
    tabla = hoja.tabla.copy()
    for col in _CONTRATO[hoja.nombre]:
        if col.tipo == "entero":
            tabla[col.nombre] = tabla[col.nombre].astype("int64")
    tabla = tabla.reset_index()
    return tabla[[c for c in tabla.columns if c != "fila"] + ["fila"]]
