"""La lectura del libro del POA (.xlsx) o de la carpeta de CSV, tal como está escrito.

Entra la ruta del libro o de la carpeta; sale cada hoja del contrato que se encontró como una
`HojaCruda` (encabezados de la fila 1 y filas numeradas como en la hoja de cálculo, sin las
filas vacías), y los problemas que impiden leerla (un libro protegido, un .xls antiguo, un
CSV que no está en UTF-8, una hoja obligatoria que falta), cada uno con su archivo.

Un libro sin fórmulas ni valores de error de Excel lo lee calamine (decenas de veces más
rápido); los demás, openpyxl, que distingue una fórmula sin valor calculado
(`celdas.FormulaSinValor`). Aquí no se interpreta ninguna celda: eso es `entrada.conversion`.
"""
from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.comun.nucleos import nucleos
from helpers.entrada.celdas import FormulaSinValor
from helpers.entrada.contrato import EXTENSIONES_LIBRO, HOJAS, HOJAS_OBLIGATORIAS
from helpers.entrada.errores import ErrorDeEntrada, Problema

__all__ = [
    "CSV_CORTADO",
    "LIBRO_CORTADO",
    "HojaCruda",
    "fila_vacia",
    "formulas_y_errores",
    "hoja_del_libro",
    "leer_carpeta",
    "leer_con_calamine",
    "leer_hojas",
    "leer_libro",
]


def hoja_del_libro(libro, nombre: str):
    """La hoja de un libro de openpyxl con el nombre `nombre` como lo reconoce la lectura (sin
    mayúsculas ni espacios en los extremos); None si no la tiene."""
    for titulo in libro.sheetnames:
        if titulo.strip().casefold() == nombre:
            return libro[titulo]
    return None


@dataclass
class HojaCruda:
    """Una hoja tal como se leyó: encabezados de la fila 1 y filas numeradas."""

    nombre: str
    archivo: str
    encabezados: list
    filas: list[tuple[int, tuple]]
    con_formulas: bool = False  # si alguna celda es una `FormulaSinValor`


# Un libro cifrado (protegido con contraseña para abrirlo) o un .xls antiguo no es un ZIP de
# Office Open XML sino un archivo compuesto OLE; el cifrado se reconoce por su flujo
# EncryptionInfo (nombre en UTF-16 en el directorio del archivo).
_FIRMA_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FLUJO_CIFRADO = "EncryptionInfo".encode("utf-16-le")
# Cómo empieza un ZIP (un .xlsx): la cabecera de su primera parte. Su índice va al final.
_FIRMA_ZIP = b"PK\x03\x04"
LIBRO_CORTADO = (
    "no se pudo leer el libro Excel: el archivo está cortado (termina antes de tiempo: se "
    "copió, se descargó o se guardó a medias); vuelva a copiarlo o a descargarlo entero, o "
    "guárdelo otra vez desde Excel")
# Una celda con fórmula en el XML de una hoja: <f>, <f t="shared" .../>, <x:f>...
_ETIQUETA_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Lo que toda etiqueta de fórmula contiene; se busca primero porque, sin el "<" (que abre
# cada elemento del XML), la búsqueda salta de una "f" a la siguiente: decenas de veces más
# rápido que `_ETIQUETA_FORMULA` en una hoja sin fórmulas.
_MARCA_FORMULA = re.compile(rb"f[\s>/]")
# Una celda con un valor de error de Excel (#DIV/0!, #N/A...): <c r="B2" t="e">.
_ERROR_DE_EXCEL = re.compile(rb"t=[\"']e[\"']")
# Hojas que calamine interpreta a la vez (`leer_con_calamine`): en el libro de una entidad
# grande, la de operaciones tarda tanto como todas las demás juntas; más hilos no ganan.
_HILOS_DE_LECTURA = 2


def leer_hojas(ruta: Path, problemas: list[Problema], archivos: list[Path]) -> dict[str, HojaCruda]:
    """Las hojas del contrato en el libro `.xlsx` o en la carpeta de CSV `ruta`.

    Agrega a `problemas` lo que impide leer una hoja y las hojas obligatorias que faltan, y a
    `archivos` los archivos leídos. Lanza `ErrorDeEntrada` si `ruta` no existe o no es un
    libro ni una carpeta: sin datos no hay nada más que revisar.
    """
    if not ruta.exists():
        raise ErrorDeEntrada(
            [Problema(ruta.name or str(ruta), None, None, None,
                      f"no existe el archivo o la carpeta de datos {ruta}")]
        )
    if ruta.is_dir():
        crudas = leer_carpeta(ruta, problemas, archivos)
        problemas += _csv_que_faltan(ruta, crudas, problemas)
        return crudas
    if ruta.suffix.casefold() in EXTENSIONES_LIBRO:
        archivos.append(ruta)
        crudas = leer_libro(ruta, problemas)
        if not problemas:
            problemas += _hojas_que_faltan(ruta, crudas)
        return crudas
    raise ErrorDeEntrada(
        [Problema(ruta.name, None, None, None,
                  f"formato no admitido ({ruta.suffix or 'sin extensión'}): se espera un "
                  "libro .xlsx o una carpeta con archivos CSV")]
    )


def _csv_que_faltan(carpeta: Path, crudas: dict[str, HojaCruda],
                    problemas: list[Problema]) -> list[Problema]:
    """Las hojas obligatorias sin su CSV en la carpeta (una que no se pudo leer ya tiene su
    problema)."""
    return [
        Problema(f"{hoja}.csv", hoja, None, None,
                 f"falta el archivo obligatorio {hoja}.csv en la carpeta {carpeta}")
        for hoja in HOJAS_OBLIGATORIAS
        if hoja not in crudas and not any(p.hoja == hoja for p in problemas)
    ]


def _hojas_que_faltan(ruta: Path, crudas: dict[str, HojaCruda]) -> list[Problema]:
    """Las hojas obligatorias que el libro no tiene, con las que sí tiene."""
    return [
        Problema(ruta.name, hoja, None, None,
                 f"falta la hoja obligatoria {hoja} (el libro tiene: "
                 f"{', '.join(_hojas_del_libro(ruta)) or 'ninguna hoja'})")
        for hoja in HOJAS_OBLIGATORIAS
        if hoja not in crudas
    ]


def fila_vacia(fila: tuple) -> bool:
    """Si ninguna celda de la fila tiene algo escrito (un texto de sólo espacios no cuenta).
    Decide en la primera celda escrita, que casi siempre es la primera de la fila."""
    for valor in fila:
        if valor is None:
            continue
        if not isinstance(valor, str) or valor.strip():
            return False
    return True



def _problema_de_formato(ruta: Path) -> str | None:
    """Libros que openpyxl no puede abrir y que conviene nombrar por lo que son."""
    try:
        with ruta.open("rb") as f:
            contenido = f.read()
    except OSError:
        return None  # lo informa openpyxl al abrirlo
    if _cortado(contenido):
        return LIBRO_CORTADO
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


def _cortado(contenido: bytes) -> bool:
    """Si `contenido` empieza como un ZIP y no tiene el índice con que termina todo ZIP:
    el principio de un libro, sin su final (una copia o una descarga que no terminó, o un
    archivo que se guardó a medias y se completó con ceros)."""
    return contenido.startswith(_FIRMA_ZIP) and not zipfile.is_zipfile(io.BytesIO(contenido))


def formulas_y_errores(ruta: Path) -> tuple[bool, bool]:
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


def leer_libro(ruta: Path, problemas: list[Problema]) -> dict[str, HojaCruda]:
    import openpyxl

    archivo = ruta.name
    formato = _problema_de_formato(ruta) or problema_de_tamano(ruta)
    if formato:
        problemas.append(Problema(archivo, None, None, None, formato))
        return {}
    try:
        formulas_en_libro, errores = formulas_y_errores(ruta)
    except Exception:  # noqa: BLE001 - no es un zip: el mensaje lo da openpyxl, abajo
        formulas_en_libro = errores = True
    # Calamine no distingue una fórmula sin valor calculado ni cita un error de Excel: esos
    # libros los lee openpyxl.
    if not (formulas_en_libro or errores):
        rapido = leer_con_calamine(ruta)
        if rapido is not None:
            return rapido
    try:
        libro = openpyxl.load_workbook(ruta, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip dañado, no es un libro, sin permiso...
        problemas.append(Problema(archivo, None, None, None, _no_se_pudo_leer(exc)))
        return {}
    hojas: dict[str, HojaCruda] = {}
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


def leer_con_calamine(ruta: Path, hilos: int | None = None) -> dict[str, HojaCruda] | None:
    """Las hojas del contrato leídas con calamine, decenas de veces más rápido que openpyxl en
    un libro grande, en un libro sin fórmulas ni valores de error de Excel (lo comprueba
    `leer_libro`); None si calamine no lo puede abrir: entonces lo lee openpyxl, que da el
    mensaje de un libro dañado.

    Calamine da "" en una celda vacía (openpyxl, None: las dos se leen vacías) y un `date`
    en una fecha sin hora (openpyxl, un `datetime`: ver `celdas.leer_numeros`).

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
    """Las filas con `FormulaSinValor` donde una fórmula no trae su valor calculado."""
    con_formula = {numero for numero, _ in formulas}
    for numero, fila in enumerate(filas, start=1):
        fila = tuple(fila)
        if numero in con_formula:
            fila = tuple(
                FormulaSinValor(formulas[(numero, pos)])
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


def _tabla_cruda(hoja: str, archivo: str, filas: Iterable[Iterable]) -> HojaCruda:
    encabezados: list = []
    datos: list[tuple[int, tuple]] = []
    for numero, fila in enumerate(filas, start=1):
        fila = tuple(fila)
        if numero == 1:
            encabezados = list(fila)
            continue
        if fila_vacia(fila):
            continue
        datos.append((numero, fila))
    return HojaCruda(hoja, archivo, encabezados, datos)


def leer_carpeta(
    carpeta: Path, problemas: list[Problema], archivos: list[Path]
) -> dict[str, HojaCruda]:
    hojas: dict[str, HojaCruda] = {}
    for hoja in HOJAS:
        ruta = carpeta / f"{hoja}.csv"
        if not ruta.is_file():
            continue
        archivos.append(ruta)
        try:
            filas = _leer_csv(ruta)
        except _CsvIlegible as exc:
            problemas.append(Problema(ruta.name, hoja, exc.fila, exc.columna, str(exc)))
            continue
        hojas[hoja] = _tabla_cruda(hoja, ruta.name, filas)
    return hojas


class _CsvIlegible(ValueError):
    """Un CSV que no se lee: el motivo, y la fila y la columna si se saben."""

    def __init__(self, motivo: str, fila: int | None = None, columna: str | None = None):
        self.fila, self.columna = fila, columna
        super().__init__(motivo)


def _leer_csv(ruta: Path) -> list[list[str]]:
    """Las filas del CSV `ruta`; `_CsvIlegible` si no se puede leer, no está en UTF-8, está
    mal formado o cortado."""
    try:
        contenido = ruta.read_bytes()
    except OSError as exc:
        raise _CsvIlegible(f"no se pudo leer el archivo ({_motivo(exc)})") from exc
    try:
        texto = contenido.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.end >= len(contenido) and "end of data" in exc.reason:
            raise _CsvIlegible(CSV_CORTADO + "termina a mitad de una letra; "
                               + _COPIARLO_ENTERO) from exc
        raise _CsvIlegible("el archivo no está en UTF-8; guárdelo como «CSV UTF-8»") from exc
    # Sólo \n y \r separan registros: un U+2028 o un salto de página dentro de un campo
    # es parte del texto (str.splitlines los tomaría por fines de línea).
    primera = io.StringIO(texto, newline="").readline()
    # Excel en castellano guarda CSV con «;» (la coma es el separador decimal).
    separador = ";" if primera.count(";") > primera.count(",") else ","
    try:
        filas = _filas_csv(texto, separador)
    except CampoDemasiadoLargo as exc:
        raise _CsvIlegible(str(exc), exc.fila, exc.columna) from exc
    except csv.Error as exc:
        raise _CsvIlegible(f"el CSV está mal formado ({_motivo(exc)})") from exc
    _comprobar_final(texto, filas, separador)
    return filas


CSV_CORTADO = "el archivo parece cortado (se copió o se exportó a medias): "
_COPIARLO_ENTERO = "vuelva a exportarlo o a copiarlo entero"


def _comprobar_final(texto: str, filas: list[list[str]], separador: str) -> None:
    """`_CsvIlegible` si el CSV termina como uno cortado: sin fin de línea y dentro de un
    texto entre comillas, o con una última fila sin todas sus columnas. Un CSV que termina
    sin fin de línea y con la última fila entera se lee (así se escribe uno a mano); uno
    cortado justo en un fin de línea no se distingue de uno con menos filas."""
    if texto.endswith(("\n", "\r")) or len(filas) < 2:
        return
    fila = len(filas)
    if _comilla_sin_cerrar(texto, separador):
        raise _CsvIlegible(
            CSV_CORTADO + f"termina dentro de un texto entre comillas, en la fila {fila} (o "
            f"una comilla de esa fila no se cerró); {_COPIARLO_ENTERO}", fila)
    columnas, tiene = len(filas[0]), len(filas[-1])
    if tiene < columnas:
        raise _CsvIlegible(
            CSV_CORTADO + f"su última fila, la {fila}, termina sin fin de línea y con "
            f"{tiene} de las {columnas} columnas; {_COPIARLO_ENTERO}", fila)


def _comilla_sin_cerrar(texto: str, separador: str) -> bool:
    """Si el CSV termina dentro de un campo entre comillas (el lector estricto lo dice; el
    de `_filas_csv` toma el campo como está)."""
    try:
        for _ in csv.reader(io.StringIO(texto, newline=""), delimiter=separador, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


# El tope de un campo CSV es nuestro, no el de `csv.field_size_limit`: ese es global al
# proceso y una biblioteca puede subirlo (frictionless lo hace al importarse), y entonces el
# mismo archivo pasaría o no según lo que se importó antes. Por eso el del módulo csv se sube
# aquí también (el archivo ya está entero en memoria: leer el campo no cuesta más) y el
# rechazo es siempre el nuestro, con la fila y la columna.
LIMITE_CAMPO_CSV = 131_072
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


class CampoDemasiadoLargo(ValueError):
    def __init__(self, fila: int, columna: str | None) -> None:
        self.fila, self.columna = fila, columna
        super().__init__(
            f"el CSV está mal formado: un campo pasa de {LIMITE_CAMPO_CSV} caracteres "
            "(¿una comilla sin cerrar?); revise esa celda"
        )


def _filas_csv(texto: str, separador: str) -> list[list[str]]:
    lector = csv.reader(io.StringIO(texto, newline=""), delimiter=separador)
    filas: list[list[str]] = []
    for fila in lector:
        filas.append(fila)
        for indice, valor in enumerate(fila):
            if len(valor) > LIMITE_CAMPO_CSV:
                encabezados = filas[0]
                columna = encabezados[indice] if indice < len(encabezados) else None
                raise CampoDemasiadoLargo(len(filas), columna or None)
    return filas


_GUARDAR_OTRA_VEZ = "ábralo y guárdelo otra vez como «Libro de Excel (.xlsx)»"


def _no_se_pudo_leer(exc: Exception) -> str:
    """Por qué openpyxl no abrió el libro, en castellano: sus mensajes están en inglés."""
    if isinstance(exc, zipfile.BadZipFile):
        return ("no se pudo leer el libro Excel: el archivo no es un .xlsx (no es un ZIP de "
                f"Office, o está cortado); {_GUARDAR_OTRA_VEZ}")
    if isinstance(exc, KeyError) or (isinstance(exc, OSError) and exc.errno is None):
        # Un ZIP sin el libro o sin una de sus hojas (p. ej. sólo [Content_Types].xml).
        return ("no se pudo leer el libro Excel: al archivo le faltan partes de un libro "
                f"(el libro o una hoja), está dañado o no es un libro; {_GUARDAR_OTRA_VEZ}")
    if isinstance(exc, PermissionError):
        return "no se pudo leer el libro Excel: no tiene permiso para leer el archivo"
    return f"no se pudo leer el libro Excel; {_GUARDAR_OTRA_VEZ} (detalle: {_motivo(exc)})"


def _motivo(exc: Exception) -> str:
    texto = str(exc).strip()
    return f"{type(exc).__name__}: {texto}" if texto else type(exc).__name__

