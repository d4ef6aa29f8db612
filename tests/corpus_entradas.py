"""Corpus de entradas inválidas: cada caso, lo que el usuario debe recibir y con qué salida.

Cada `Caso` de `CASOS` escribe sus entradas (libro o carpeta de CSV y archivo de
parámetros) en una carpeta y devuelve la ruta del archivo de parámetros. Todas las entradas
malas se derivan del POA pequeño y válido de `fabrica.py` con una mutación pequeña (una
celda, una columna, una hoja, una línea del YAML); las filas, columnas y fragmentos que se
esperan se calculan a partir de la mutación, no se escriben a mano.

Lo que se espera de cada caso:

- `salida`: el código de salida del ejecutor (0 aceptado, 1 otra falla, 2 error de entrada);
- `fragmentos`: trozos del mensaje que deben aparecer en stderr (sin distinguir mayúsculas);
  el primero es el principal (el que muestra la tabla de docs/entradas.md);
- `ubicaciones`: dónde debe ubicar el mensaje el problema (archivo, hoja, fila, columna o
  clave), tal como lo escribe el programa: `poa.xlsx, hoja operaciones, fila 4, columna
  codigo_unidad:`;
- `verificar`: en los casos aceptados (salida 0), una comprobación sobre los parámetros y
  los datos leídos. Esos casos no pasan por el ejecutor (que generaría el informe
  completo): se leen con `cargar_parametros` y `cargar_datos`.

Ejecutado como programa escribe cada caso en DESTINO/<id>/ para revisarlo a mano:

    python tests/corpus_entradas.py DESTINO
    python tests/corpus_entradas.py --tabla     # la tabla de clases de docs/entradas.md
"""
from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import io
import math
import random
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `import fabrica` como programa

import fabrica  # noqa: E402

from helpers.entrada.contrato import COLUMNAS_CONTRATO  # noqa: E402
from helpers.entrada.fila_de_ejemplo import MARCA_EJEMPLO, ejemplos  # noqa: E402
from helpers.entrada.lectura import LIMITE_CAMPO_CSV  # noqa: E402

NOMBRE_PARAMS = "caso.yaml"
CARPETA_DATOS = "datos"
CARPETA_CSV = "csv"
CARPETA_SALIDA = "salida"  # la salida que piden los parámetros: no debe crearse
LIBRO = fabrica.NOMBRE_LIBRO

Tablas = dict[str, list[list]]
Mutacion = Callable[[Tablas], None]


# --------------------------------------------------------------------------------------
# El caso


@dataclass(frozen=True)
class Ubicacion:
    """Dónde debe ubicar el mensaje el problema, como lo escribe el programa."""

    archivo: str
    hoja: str | None = None
    fila: int | None = None
    columna: str | None = None
    clave: str | None = None  # en el archivo de parámetros

    def texto(self) -> str:
        partes = [self.archivo]
        if self.hoja:
            partes.append(f"hoja {self.hoja}")
        if self.fila is not None:
            partes.append(f"fila {self.fila}")
        if self.columna:
            partes.append(f"columna {self.columna}")
        if self.clave:
            partes.append(f"clave {self.clave}")
        return ", ".join(partes) + ":"


@dataclass(frozen=True)
class Caso:
    id: str
    clase: str  # clave de CLASES
    descripcion: str
    escribir: Callable[[Path], Path]  # carpeta -> archivo de parámetros
    salida: int
    fragmentos: tuple[str, ...] = ()
    ubicaciones: tuple[Ubicacion, ...] = ()
    verificar: Callable[[object, object], None] | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.clase not in CLASES:
            raise ValueError(f"{self.id}: clase desconocida {self.clase!r}")
        if self.salida == 0 and (self.fragmentos or self.verificar is None):
            raise ValueError(f"{self.id}: un caso aceptado no tiene mensaje y sí verificación")
        if self.salida != 0 and not self.fragmentos:
            raise ValueError(f"{self.id}: falta el fragmento del mensaje")


# Las clases de entrada, en el orden de la tabla de docs/entradas.md: clave -> (nombre, qué
# recibe el usuario).
CLASES: dict[str, tuple[str, str]] = {
    "archivo_datos": (
        "Archivo de datos ausente, ilegible o de otro formato",
        "un problema con el nombre del archivo; nada se calcula",
    ),
    "archivo_cortado": (
        "Libro o CSV cortado (una copia, una descarga o un guardado que no terminó)",
        "el archivo (en un CSV, la fila donde termina) y que se copie o exporte entero; nada "
        "se lee de él",
    ),
    "libro_protegido": (
        "Libro protegido con contraseña",
        "se pide guardarlo sin contraseña",
    ),
    "formula_sin_valor": (
        "Fórmula sin valor calculado (libro escrito por un programa y nunca abierto en Excel)",
        "la celda de la fórmula; nunca se lee como vacía ni como 0",
    ),
    "hoja_faltante": (
        "Falta una hoja o un archivo CSV obligatorio",
        "la hoja o el archivo que falta (y las hojas que sí tiene el libro)",
    ),
    "hoja_sin_filas": (
        "Hoja obligatoria sin filas de datos",
        "la hoja vacía",
    ),
    "columna_faltante": (
        "Falta una columna obligatoria o una columna de un grupo mensual",
        "la hoja y la columna que falta",
    ),
    "encabezado_repetido": (
        "Encabezado repetido (también si sólo cambian las mayúsculas)",
        "la fila 1, el nombre y las dos letras de columna; se usa la primera",
    ),
    "celdas_combinadas": (
        "Celdas combinadas",
        "las celdas que la combinación dejó vacías, como datos obligatorios vacíos",
    ),
    "clave_repetida": (
        "Código repetido (unidad, ACP, operación, categoría con fuente)",
        "la fila repetida y la fila donde ya aparece",
    ),
    "codigo_inexistente": (
        "Código de unidad o de ACP que no existe",
        "la celda y la hoja donde debería existir",
    ),
    "dato_obligatorio_vacio": (
        "Dato obligatorio vacío",
        "la celda vacía",
    ),
    "texto_en_numero": (
        "Texto en una celda numérica (también dos números separados por un espacio)",
        "la celda y el texto tal como se escribió; nunca un 0 ni un NaN silencioso, ni dos "
        "números pegados en uno",
    ),
    "fecha_o_booleano_en_numero": (
        "Fecha o verdadero/falso en una celda numérica",
        "la celda; no se convierte en número",
    ),
    "numero_fuera_de_rango": (
        "Número infinito o de valor absoluto 10^15 o más",
        "la celda; no se suma ni se desborda",
    ),
    "numero_negativo": (
        "Número negativo donde no se admite (programado, ejecutado, vigente)",
        "la celda y el valor",
    ),
    "valor_fuera_de_dominio": (
        "Valor fuera de su dominio (tipo, trimestre, tareas, gestión, departamento)",
        "la celda, el valor y los valores válidos",
    ),
    "valor_con_otra_forma": (
        "Valor de una lista escrito con otras mayúsculas o tildes, o un departamento por su "
        "nombre",
        "se acepta y se guarda en su forma de la lista (el departamento, por su código)",
    ),
    "grupo_de_areas": (
        "Grupo de áreas (columna servicio) incoherente: un área en dos grupos, un grupo vacío "
        "cuando otras unidades lo tienen, un área con el nombre de un grupo",
        "la celda, el área y la fila donde ya está en otro grupo, y qué corregir",
    ),
    "csv_codificacion": (
        "CSV que no está en UTF-8",
        "el archivo; se pide guardarlo como «CSV UTF-8»",
    ),
    "csv_mal_formado": (
        "CSV mal formado",
        "el archivo y el motivo",
    ),
    "texto_con_controles": (
        "Caracteres de control o separadores de línea dentro de un texto",
        "se acepta: los caracteres de control se quitan y los separadores se leen como espacio",
    ),
    "numero_aceptado": (
        "Números en formato boliviano (también con espacios entre los miles) o cerca del límite",
        "se acepta con el valor correcto",
    ),
    "estructura_aceptada": (
        "Nombres de hoja o encabezados con mayúsculas o espacios",
        "se acepta",
    ),
    "yaml_invalido": (
        "Parámetros: YAML inválido o con etiquetas de Python (!!python/...)",
        "la línea y la columna; las etiquetas nunca se ejecutan",
    ),
    "yaml_clave_repetida": (
        "Parámetros: clave repetida",
        "la clave y la línea donde se repite",
    ),
    "params_archivo": (
        "Parámetros: archivo ausente, vacío, que no es UTF-8 o que no es un grupo de claves",
        "el archivo y el motivo",
    ),
    "params_clave_desconocida": (
        "Parámetros: clave desconocida",
        "la ruta de la clave (p. ej. metodologia.tope)",
    ),
    "params_tipo": (
        "Parámetros: valor de tipo o de opción inválido",
        "la ruta de la clave, el valor y lo que se esperaba",
    ),
    "params_salida": (
        "Parámetros: carpeta de salida que no se puede usar",
        "la clave salida y el motivo; no se escribe ni se borra nada",
    ),
    "params_metodologia": (
        "Parámetros: escala de calificación o semáforo incoherentes",
        "la clave y qué elemento o trimestre falla",
    ),
    "params_trimestre": (
        "Parámetros: trimestre o corte fuera de rango o que no corresponde al informe",
        "la clave trimestre (o corte) y el motivo",
    ),
    "historia_incoherente": (
        "Historia del POA que no encadena (reformulaciones, vigente por mes)",
        "la celda y con qué no encadena: la misma reformulación, el cambio anterior, la hoja "
        "operaciones, el inicial o el vigente de la línea",
    ),
    "fila_de_ejemplo": (
        "Fila de ejemplo de la plantilla que quedó en una hoja (también en una opcional, o sólo "
        "su código con la marca del ejemplo)",
        "la fila, con la pista de borrarla; ningún informe sale con ella",
    ),
    "varios_problemas": (
        "Varios problemas a la vez",
        "todos juntos, con su número, ordenados por hoja y fila",
    ),
}


# --------------------------------------------------------------------------------------
# Ubicar filas y columnas en las tablas de la fábrica


def _indice(hoja: str, ref: int | str) -> int:
    """La posición de una fila de datos en la tabla (0 es el encabezado).

    `ref` es esa posición (1 = primera fila de datos) o el valor de la primera columna.
    """
    if isinstance(ref, int):
        return ref
    (indice,) = [i for i, fila in enumerate(fabrica.TABLAS[hoja]) if i and fila[0] == ref]
    return indice


def fila_de(hoja: str, ref: int | str) -> int:
    """La fila de la hoja de cálculo (la 1 es el encabezado; la fábrica no deja filas vacías)."""
    return _indice(hoja, ref) + 1


def fila_nueva(hoja: str) -> int:
    """La fila de la hoja de cálculo de una fila agregada al final de la tabla."""
    return len(fabrica.TABLAS[hoja]) + 1


def _col(hoja: str, columna: str) -> int:
    return fabrica.TABLAS[hoja][0].index(columna)


def letra(hoja: str, columna: str) -> str:
    return get_column_letter(_col(hoja, columna) + 1)


def valor_de(hoja: str, ref: int | str, columna: str):
    return fabrica.TABLAS[hoja][_indice(hoja, ref)][_col(hoja, columna)]


def _boliviano(valor: float, decimales: int = 2) -> str:
    """1234567.891 -> "1.234.567,89" (escrito aquí, sin usar el código que se prueba)."""
    return f"{valor:,.{decimales}f}".translate(str.maketrans(",.", ".,"))


# --------------------------------------------------------------------------------------
# Mutaciones de las tablas


def poner(hoja: str, ref: int | str, columna: str, valor) -> Mutacion:
    def mutar(t: Tablas) -> None:
        t[hoja][_indice(hoja, ref)][_col(hoja, columna)] = valor

    return mutar


def quitar_columna(hoja: str, columna: str) -> Mutacion:
    def mutar(t: Tablas) -> None:
        posicion = _col(hoja, columna)
        for fila in t[hoja]:
            del fila[posicion]

    return mutar


def renombrar_columna(hoja: str, columna: str, nuevo: str) -> Mutacion:
    return poner(hoja, 0, columna, nuevo)


def quitar_hoja(hoja: str) -> Mutacion:
    def mutar(t: Tablas) -> None:
        del t[hoja]

    return mutar


def sin_filas(hoja: str) -> Mutacion:
    def mutar(t: Tablas) -> None:
        del t[hoja][1:]

    return mutar


def agregar_fila(hoja: str, fila: list) -> Mutacion:
    def mutar(t: Tablas) -> None:
        t[hoja].append(list(fila))

    return mutar


def repetir_fila(hoja: str, ref: int | str) -> Mutacion:
    """Copia una fila al final de la tabla (en la fila `fila_nueva(hoja)`)."""
    return agregar_fila(hoja, fabrica.TABLAS[hoja][_indice(hoja, ref)])


def agregar_columna(hoja: str, copia_de: int, encabezado: str) -> Mutacion:
    """Agrega al final una columna con el encabezado dado y los valores de otra columna."""
    def mutar(t: Tablas) -> None:
        for i, fila in enumerate(t[hoja]):
            fila.append(encabezado if i == 0 else fila[copia_de])

    return mutar


def columna_nueva(hoja: str, encabezado: str, valores: dict[int | str, object]) -> Mutacion:
    """Agrega al final una columna que la fábrica no tiene, vacía salvo en las filas de
    `valores` (referencia de la fila -> valor)."""
    def mutar(t: Tablas) -> None:
        for i, fila in enumerate(t[hoja]):
            fila.append(encabezado if i == 0 else None)
        for ref, valor in valores.items():
            t[hoja][_indice(hoja, ref)][-1] = valor

    return mutar


def renombrar_hoja(hoja: str, nuevo: str) -> Mutacion:
    def mutar(t: Tablas) -> None:
        t[nuevo] = t.pop(hoja)

    return mutar


# --------------------------------------------------------------------------------------
# Escritura de un caso


def _texto_params(destino: Path, ruta_datos: Path | str, **cambios) -> str:
    """El YAML de los parámetros, una clave de primer nivel por línea (sin cortes de línea,
    para que los números de línea no dependan de la carpeta del caso)."""
    contenido = {
        **copy.deepcopy(fabrica.PARAMS_BASE),
        "datos": str(ruta_datos),
        "salida": str(destino / CARPETA_SALIDA),
        **cambios,
    }
    contenido = {clave: valor for clave, valor in contenido.items() if valor is not None}
    return yaml.safe_dump(contenido, allow_unicode=True, sort_keys=False, width=10**6)


def _guardar_params(destino: Path, texto: str | bytes) -> Path:
    ruta = destino / "params" / NOMBRE_PARAMS
    ruta.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(texto, bytes):
        ruta.write_bytes(texto)
    else:
        ruta.write_text(texto, encoding="utf-8")
    return ruta


def _tablas(mutaciones: tuple[Mutacion, ...]) -> Tablas:
    tablas = fabrica.tablas_pequenas()
    for mutar in mutaciones:
        mutar(tablas)
    return tablas


def con_libro(*mutaciones: Mutacion, retocar: Callable | None = None) -> Callable[[Path], Path]:
    """El libro pequeño con las mutaciones; `retocar(libro_openpyxl)` cambia el archivo ya
    escrito (celdas combinadas, por ejemplo)."""

    def escribir(destino: Path) -> Path:
        ruta = fabrica.escribir_libro(destino / CARPETA_DATOS / LIBRO, _tablas(mutaciones))
        if retocar is not None:
            import openpyxl

            libro = openpyxl.load_workbook(ruta)
            retocar(libro)
            libro.save(ruta)
        return _guardar_params(destino, _texto_params(destino, ruta))

    return escribir


def con_csv(
    *mutaciones: Mutacion, retocar: Callable[[Path], None] | None = None
) -> Callable[[Path], Path]:
    """La carpeta de CSV pequeña con las mutaciones; `retocar(carpeta)` cambia los archivos
    ya escritos (codificación, separador, archivos que faltan)."""

    def escribir(destino: Path) -> Path:
        carpeta = fabrica.escribir_csv(destino / CARPETA_CSV, _tablas(mutaciones))
        if retocar is not None:
            retocar(carpeta)
        return _guardar_params(destino, _texto_params(destino, carpeta))

    return escribir


def con_archivo_de_datos(nombre: str, contenido: Callable[[], bytes] | None):
    """Los datos son un archivo con ese nombre y contenido (None: no se escribe)."""

    def escribir(destino: Path) -> Path:
        ruta = destino / CARPETA_DATOS / nombre
        ruta.parent.mkdir(parents=True, exist_ok=True)
        if contenido is not None:
            ruta.write_bytes(contenido())
        return _guardar_params(destino, _texto_params(destino, ruta))

    return escribir


def con_params(**cambios) -> Callable[[Path], Path]:
    """El libro pequeño válido y unos parámetros con las claves cambiadas (None: sin la
    clave)."""
    return con_params_texto(lambda texto, destino: texto, **cambios)


def con_params_texto(transformar: Callable[[str, Path], str | bytes], **cambios):
    """El libro pequeño válido y unos parámetros transformados: `transformar(texto,
    destino)` recibe el YAML válido y devuelve el contenido del archivo."""

    def escribir(destino: Path) -> Path:
        libro = fabrica.escribir_libro(destino / CARPETA_DATOS / LIBRO, fabrica.TABLAS)
        texto = _texto_params(destino, libro, **cambios)
        return _guardar_params(destino, transformar(texto, destino))

    return escribir


def con_salida(salida: Callable[[Path], Path], preparar: Callable[[Path], None] | None = None):
    """El libro pequeño válido y unos parámetros cuya `salida` es `salida(destino)`;
    `preparar(destino)` crea antes lo que haga falta (una carpeta ajena, un archivo)."""

    def escribir(destino: Path) -> Path:
        libro = fabrica.escribir_libro(destino / CARPETA_DATOS / LIBRO, fabrica.TABLAS)
        if preparar is not None:
            preparar(destino)
        texto = _texto_params(destino, libro, salida=str(salida(destino)))
        return _guardar_params(destino, texto)

    return escribir


def _linea(texto: str, fragmento: str) -> int:
    """Número (desde 1) de la primera línea de `texto` que contiene `fragmento`."""
    (numero,) = [i for i, linea in enumerate(texto.splitlines(), 1) if fragmento in linea][:1]
    return numero


# Los parámetros de referencia (la misma disposición de líneas que los de cada caso).
_PARAMS_REFERENCIA = _texto_params(Path("/caso"), Path("/caso/datos") / LIBRO)


# --------------------------------------------------------------------------------------
# Archivos que no son un libro .xlsx


def _bytes_al_azar() -> bytes:
    return random.Random(2024).randbytes(4096)


def _zip_sin_libro() -> bytes:
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w") as z:
        z.writestr("leame.txt", "Esto es un zip, no un libro de Excel.")
    return memoria.getvalue()


def _ods() -> bytes:
    """Un documento OpenDocument mínimo (lo que guarda LibreOffice como .ods)."""
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w") as z:
        z.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        z.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
        )
    return memoria.getvalue()


_FIN_DE_CADENA = 0xFFFFFFFE
_LIBRE = 0xFFFFFFFF
_SECTOR_FAT = 0xFFFFFFFD
_SIN_ENTRADA = 0xFFFFFFFF


def compuesto_ole(flujos: dict[str, bytes]) -> bytes:
    """Un archivo compuesto OLE2 (CFB v3, sectores de 512 bytes) con estos flujos en la raíz.

    Es el contenedor de un .xls (y de un .xlsx cifrado). Cada flujo se rellena
    hasta 4096 bytes, para que vaya en sectores normales y no haga falta un mini-flujo.
    """
    sector = 512
    datos = {nombre: contenido.ljust(4096, b"\0") for nombre, contenido in flujos.items()}
    # Orden de las entradas del directorio: por largo del nombre y luego en mayúsculas.
    nombres = sorted(datos, key=lambda n: (len(n), n.upper()))
    entradas = 1 + len(nombres)
    sectores_dir = math.ceil(entradas * 128 / sector)
    sectores_flujo = {n: math.ceil(len(datos[n]) / sector) for n in nombres}
    sin_fat = sectores_dir + sum(sectores_flujo.values())
    sectores_fat = 1
    while sectores_fat * (sector // 4) < sin_fat + sectores_fat:
        sectores_fat += 1

    fat: list[int] = [_SECTOR_FAT] * sectores_fat
    primero_dir = len(fat)
    fat += [primero_dir + i + 1 for i in range(sectores_dir - 1)] + [_FIN_DE_CADENA]
    inicio: dict[str, int] = {}
    for nombre in nombres:
        inicio[nombre] = len(fat)
        n = sectores_flujo[nombre]
        fat += [inicio[nombre] + i + 1 for i in range(n - 1)] + [_FIN_DE_CADENA]
    fat += [_LIBRE] * (sectores_fat * (sector // 4) - len(fat))

    def entrada(nombre: str, tipo: int, derecha: int, hijo: int, primero: int, largo: int):
        codificado = (nombre + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIII",
            codificado, len(codificado), tipo, 1, _SIN_ENTRADA, derecha, hijo,
            b"\0" * 16, 0, 0, 0, primero, largo, 0,
        )

    directorio = entrada("Root Entry", 5, _SIN_ENTRADA, 1 if nombres else _SIN_ENTRADA,
                         _FIN_DE_CADENA, 0)
    for i, nombre in enumerate(nombres, start=1):
        derecha = i + 1 if i < len(nombres) else _SIN_ENTRADA
        directorio += entrada(nombre, 2, derecha, _SIN_ENTRADA, inicio[nombre],
                              len(datos[nombre]))
    directorio = directorio.ljust(sectores_dir * sector, b"\0")

    difat = list(range(sectores_fat)) + [_LIBRE] * (109 - sectores_fat)
    cabecera = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"), b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, sectores_fat, primero_dir, 0, 4096, _FIN_DE_CADENA, 0, _FIN_DE_CADENA, 0, *difat,
    )
    cuerpo = struct.pack(f"<{len(fat)}I", *fat) + directorio
    for nombre in nombres:
        cuerpo += datos[nombre].ljust(sectores_flujo[nombre] * sector, b"\0")
    return cabecera + cuerpo


def _libro_cifrado() -> bytes:
    """El libro pequeño cifrado con contraseña como lo guarda Excel (cifrado «agile»)."""
    import tempfile

    from msoffcrypto.format.ooxml import OOXMLFile

    cifrado = io.BytesIO()
    with tempfile.TemporaryDirectory() as carpeta:
        claro = fabrica.escribir_libro_pequeno(Path(carpeta))
        with claro.open("rb") as f:
            OOXMLFile(f).encrypt("secreta", cifrado)
    return cifrado.getvalue()


def _xls() -> bytes:
    """Un libro .xls (BIFF8): un compuesto OLE con el flujo Workbook."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0, 0, 0, 0)
    eof = struct.pack("<HH", 0x000A, 0)
    return compuesto_ole({"Workbook": bof + eof})


def _libro_pequeno() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as carpeta:
        return fabrica.escribir_libro_pequeno(Path(carpeta)).read_bytes()


def libro_cortado(fraccion: float, *, con_ceros: bool = False) -> Callable[[], bytes]:
    """El principio del libro pequeño, hasta `fraccion` de sus bytes (con ceros en lugar del
    resto, como un archivo que se reservó entero y se escribió a medias)."""
    def contenido() -> bytes:
        entero = _libro_pequeno()
        principio = entero[:int(len(entero) * fraccion)]
        return principio.ljust(len(entero), b"\0") if con_ceros else principio

    return contenido


# --------------------------------------------------------------------------------------
# Retoques de archivos ya escritos


def combinar(hoja: str, columna: str, primera: int, ultima: int) -> Callable:
    """Combina las celdas de una columna entre dos filas (sólo queda el valor de arriba)."""
    def retocar(libro) -> None:
        col = letra(hoja, columna)
        libro[hoja].merge_cells(f"{col}{primera}:{col}{ultima}")

    return retocar


def combinar_fila(hoja: str, fila: int, desde: str, hasta: str) -> Callable:
    """Combina las celdas de una fila entre dos columnas (sólo queda el valor de la
    izquierda)."""
    def retocar(libro) -> None:
        libro[hoja].merge_cells(f"{letra(hoja, desde)}{fila}:{letra(hoja, hasta)}{fila}")

    return retocar


def recodificar(hoja: str, codificacion: str) -> Callable[[Path], None]:
    def retocar(carpeta: Path) -> None:
        ruta = carpeta / f"{hoja}.csv"
        ruta.write_bytes(ruta.read_text(encoding="utf-8").encode(codificacion))

    return retocar


def con_punto_y_coma(hoja: str) -> Callable[[Path], None]:
    """Como guarda un CSV Excel en castellano: separador «;» y BOM."""
    def retocar(carpeta: Path) -> None:
        ruta = carpeta / f"{hoja}.csv"
        with ruta.open(encoding="utf-8", newline="") as f:
            filas = list(csv.reader(f))
        with ruta.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, delimiter=";").writerows(filas)

    return retocar


def borrar_csv(*hojas: str) -> Callable[[Path], None]:
    def retocar(carpeta: Path) -> None:
        for hoja in hojas:
            (carpeta / f"{hoja}.csv").unlink()

    return retocar


def recortar_fila_csv(hoja: str, ref: int | str, campos: int) -> Callable[[Path], None]:
    """Deja una fila del CSV con sólo sus primeros `campos` campos (una fila incompleta)."""
    def retocar(carpeta: Path) -> None:
        ruta = carpeta / f"{hoja}.csv"
        with ruta.open(encoding="utf-8", newline="") as f:
            filas = list(csv.reader(f))
        filas[_indice(hoja, ref)] = filas[_indice(hoja, ref)][:campos]
        with ruta.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(filas)

    return retocar


def _filas_y_principio(carpeta: Path, hoja: str, ref: int | str) -> tuple[Path, list, str]:
    """El CSV de `hoja`, sus filas y el texto de las filas antes de la de `ref`, como lo
    escribe csv.writer."""
    ruta = carpeta / f"{hoja}.csv"
    with ruta.open(encoding="utf-8", newline="") as f:
        filas = list(csv.reader(f))
    antes = io.StringIO()
    csv.writer(antes).writerows(filas[:_indice(hoja, ref)])
    return ruta, filas, antes.getvalue()


def cortar_csv_en_fila(hoja: str, ref: int | str, campos: int) -> Callable[[Path], None]:
    """El CSV cortado en la fila `ref`, después de sus primeros `campos` campos: sin el resto
    de la fila, sin fin de línea y sin las filas siguientes."""
    def retocar(carpeta: Path) -> None:
        ruta, filas, antes = _filas_y_principio(carpeta, hoja, ref)
        linea = io.StringIO()
        csv.writer(linea).writerow(filas[_indice(hoja, ref)][:campos])
        ruta.write_text(antes + linea.getvalue().rstrip("\r\n"), encoding="utf-8")

    return retocar


def cortar_csv_en_comillas(hoja: str, ref: int | str, columna: str) -> Callable[[Path], None]:
    """El CSV cortado a mitad del texto de `columna` en la fila `ref`, escrito entre
    comillas (el texto queda sin la comilla que lo cierra)."""
    def retocar(carpeta: Path) -> None:
        ruta, filas, antes = _filas_y_principio(carpeta, hoja, ref)
        fila, posicion = filas[_indice(hoja, ref)], _col(hoja, columna)
        linea = io.StringIO()
        csv.writer(linea).writerow(fila[:posicion])
        valor = fila[posicion]
        ruta.write_text(antes + linea.getvalue().rstrip("\r\n") + ',"'
                        + valor[:len(valor) // 2], encoding="utf-8")

    return retocar


def cortar_csv_en_letra(hoja: str, ref: int | str, columna: str) -> Callable[[Path], None]:
    """El CSV cortado después del primer byte de la primera letra de más de un byte (en
    UTF-8) del valor de `columna` en la fila `ref`."""
    def retocar(carpeta: Path) -> None:
        ruta = carpeta / f"{hoja}.csv"
        texto = ruta.read_text(encoding="utf-8")
        valor = str(valor_de(hoja, ref, columna))
        letra_larga = next(c for c in valor if len(c.encode("utf-8")) > 1)
        hasta = texto.index(valor) + valor.index(letra_larga)
        ruta.write_bytes(texto[:hasta].encode("utf-8") + letra_larga.encode("utf-8")[:1])

    return retocar


# --------------------------------------------------------------------------------------
# Constructores de casos


def _tupla(fragmentos: str | tuple[str, ...]) -> tuple[str, ...]:
    return (fragmentos,) if isinstance(fragmentos, str) else tuple(fragmentos)


def _formatear(fragmentos, valor) -> tuple[str, ...]:
    return tuple(f.format(valor=valor) for f in _tupla(fragmentos))


def celda(id, clase, descripcion, hoja, ref, columna, valor, fragmentos, *, en_csv=False,
          retocar=None, columna_del_mensaje=None) -> Caso:
    """Un caso de una sola celda cambiada; el problema se espera en esa celda (o en otra
    columna de la misma fila, `columna_del_mensaje`, si la regla es de varias columnas).

    Los fragmentos son plantillas con `{valor}` (el valor puesto en la celda).
    """
    archivo = f"{hoja}.csv" if en_csv else LIBRO
    escribir = (con_csv(poner(hoja, ref, columna, valor), retocar=retocar) if en_csv
                else con_libro(poner(hoja, ref, columna, valor), retocar=retocar))
    return Caso(
        id, clase, descripcion, escribir, 2,
        (*_formatear(fragmentos, valor), "Se encontró 1 problema"),
        (Ubicacion(archivo, hoja, fila_de(hoja, ref), columna_del_mensaje or columna),),
    )


def params(id, clase, descripcion, clave, fragmentos, **cambios) -> Caso:
    """Un caso de parámetros con claves cambiadas; el problema se espera en `clave`."""
    return Caso(
        id, clase, descripcion, con_params(**cambios), 2, _tupla(fragmentos),
        (Ubicacion(NOMBRE_PARAMS, clave=clave),) if clave else (Ubicacion(NOMBRE_PARAMS),),
    )


def aceptado(id, clase, descripcion, escribir, verificar) -> Caso:
    return Caso(id, clase, descripcion, escribir, 0, (), (), verificar)


# --------------------------------------------------------------------------------------
# Comprobaciones de los casos aceptados: reciben los `Parametros` y los `Datos` leídos

Verificacion = Callable[[object, object], None]


def _igual(hoja: str, ref: int | str, columna: str, esperado) -> Verificacion:
    fila = fila_de(hoja, ref)

    def verificar(parametros, datos) -> None:
        tabla = getattr(datos, hoja)
        assert len(tabla) == len(fabrica.TABLAS[hoja]) - 1, f"filas de {hoja}: {len(tabla)}"
        (leido,) = tabla.loc[tabla["fila"] == fila, columna]
        assert leido == esperado, f"{hoja} fila {fila} {columna}: {leido!r} != {esperado!r}"

    return verificar


def _texto_original(hoja: str, ref: int | str, columna: str) -> Verificacion:
    """El texto leído es el original de la fábrica (el carácter agregado se quitó o se leyó
    como espacio)."""
    return _igual(hoja, ref, columna, valor_de(hoja, ref, columna))


def _con_caracter(texto: str, caracter: str, reemplaza_espacio: bool) -> str:
    """`texto` con `caracter` en lugar del primer espacio, o dentro de la primera palabra."""
    if reemplaza_espacio:
        nuevo = texto.replace(" ", caracter, 1)
    else:
        nuevo = texto[:2] + caracter + texto[2:]
    assert nuevo != texto
    return nuevo


def _poner_caracter(hoja, ref, columna, caracter: str, reemplaza_espacio: bool) -> Mutacion:
    original = valor_de(hoja, ref, columna)
    return poner(hoja, ref, columna, _con_caracter(original, caracter, reemplaza_espacio))


def _todas(*verificaciones: Verificacion) -> Verificacion:
    def verificar(parametros, datos) -> None:
        for una in verificaciones:
            una(parametros, datos)

    return verificar


def _filas(hoja: str, n: int) -> Verificacion:
    def verificar(parametros, datos) -> None:
        assert len(getattr(datos, hoja)) == n

    return verificar


def _entidad_original(parametros, datos) -> None:
    assert parametros.entidad.model_dump() == fabrica.PARAMS_BASE["entidad"]


# --------------------------------------------------------------------------------------
# Los casos

_VACIA = "la celda está vacía y el dato es obligatorio"
_NO_NUMERO = "'{valor}' no es un número"
_FUERA_DE_RANGO = "fuera del rango admitido"
_FORMULA = "fórmula sin valor calculado"
_YAML = "no es YAML válido"

_OBLIGATORIAS = ("unidades", "acp", "operaciones", "presupuesto")


def _casos_archivo() -> list[Caso]:
    casos = [
        Caso("datos_no_existe", "archivo_datos",
             "La ruta de `datos` no existe.",
             con_archivo_de_datos("no_existe.xlsx", None), 2,
             ("no existe el archivo o la carpeta de datos",),
             (Ubicacion("no_existe.xlsx"),)),
        Caso("bytes_al_azar_xlsx", "archivo_datos",
             "Bytes al azar con nombre .xlsx.",
             con_archivo_de_datos(LIBRO, _bytes_al_azar), 2,
             ("no se pudo leer el libro Excel",), (Ubicacion(LIBRO),)),
        Caso("archivo_vacio_xlsx", "archivo_datos",
             "Un archivo .xlsx de 0 bytes.",
             con_archivo_de_datos(LIBRO, lambda: b""), 2,
             ("no se pudo leer el libro Excel",), (Ubicacion(LIBRO),)),
        Caso("zip_que_no_es_libro", "archivo_datos",
             "Un zip con un archivo de texto, con nombre .xlsx.",
             con_archivo_de_datos(LIBRO, _zip_sin_libro), 2,
             ("no se pudo leer el libro Excel",), (Ubicacion(LIBRO),)),
        Caso("xls_renombrado_xlsx", "archivo_datos",
             "Un libro .xls antiguo (sin contraseña) renombrado a .xlsx.",
             con_archivo_de_datos(LIBRO, _xls), 2,
             ("libro de Excel antiguo (.xls)",), (Ubicacion(LIBRO),)),
        Caso("xls", "archivo_datos",
             "Un libro .xls (Excel 97-2003).",
             con_archivo_de_datos("poa.xls", _xls), 2,
             ("formato no admitido (.xls)",), (Ubicacion("poa.xls"),)),
        Caso("ods", "archivo_datos",
             "Una hoja de cálculo .ods (LibreOffice).",
             con_archivo_de_datos("poa.ods", _ods), 2,
             ("formato no admitido (.ods)",), (Ubicacion("poa.ods"),)),
        Caso("csv_suelto", "archivo_datos",
             "Un solo archivo CSV en lugar de una carpeta.",
             con_archivo_de_datos(
                 "unidades.csv", lambda: b"codigo_unidad\nDGRM\n"), 2,
             ("formato no admitido (.csv)",), (Ubicacion("unidades.csv"),)),
        Caso("libro_cifrado", "libro_protegido",
             "Un .xlsx cifrado con contraseña al guardarlo en Excel.",
             con_archivo_de_datos(LIBRO, _libro_cifrado), 2,
             ("protegido con contraseña",), (Ubicacion(LIBRO),)),
    ]
    return casos


def _casos_cortados() -> list[Caso]:
    """Un libro o un CSV cortado en distintos puntos: se dice que está cortado, no que no es
    un libro, ni que no está en UTF-8, ni se lee lo que tiene."""
    cortado, uno = "el archivo está cortado", "Se encontró 1 problema"
    csv_cortado = "el archivo parece cortado"
    op, texto = "OP-02", valor_de("narrativa", 1, "texto")
    assert "," not in texto  # sin la comilla del corte, csv.writer no la pondría
    libro = (Ubicacion(LIBRO),)
    return [
        Caso("libro_cortado_a_la_mitad", "archivo_cortado",
             "La primera mitad de los bytes del libro (una copia que no terminó).",
             con_archivo_de_datos(LIBRO, libro_cortado(0.5)), 2, (cortado, uno), libro),
        Caso("libro_cortado_al_comienzo", "archivo_cortado",
             "El primer 5 % de los bytes del libro.",
             con_archivo_de_datos(LIBRO, libro_cortado(0.05)), 2, (cortado, uno), libro),
        Caso("libro_cortado_al_final", "archivo_cortado",
             "El libro sin sus últimos bytes (el final del índice del ZIP).",
             con_archivo_de_datos(LIBRO, libro_cortado(0.999)), 2, (cortado, uno), libro),
        Caso("libro_cortado_con_ceros", "archivo_cortado",
             "La mitad del libro y ceros hasta su tamaño (un guardado que no terminó).",
             con_archivo_de_datos(LIBRO, libro_cortado(0.5, con_ceros=True)), 2,
             (cortado, uno), libro),
        Caso("csv_cortado_a_mitad_de_fila", "archivo_cortado",
             "operaciones.csv termina en la fila de OP-02, después de sus dos primeros "
             "campos.",
             con_csv(retocar=cortar_csv_en_fila("operaciones", op, 2)), 2,
             (csv_cortado, "termina sin fin de línea y con 2 de las", uno),
             (Ubicacion("operaciones.csv", "operaciones", fila_de("operaciones", op)),)),
        Caso("csv_cortado_entre_comillas", "archivo_cortado",
             "narrativa.csv termina a mitad de un texto entre comillas.",
             con_csv(retocar=cortar_csv_en_comillas("narrativa", 1, "texto")), 2,
             (csv_cortado, "termina dentro de un texto entre comillas", uno),
             (Ubicacion("narrativa.csv", "narrativa", fila_de("narrativa", 1)),)),
        Caso("csv_cortado_a_mitad_de_una_letra", "archivo_cortado",
             "operaciones.csv termina a mitad de la «ó» de una descripción (sólo el primero "
             "de sus dos bytes en UTF-8): no es otra codificación.",
             con_csv(retocar=cortar_csv_en_letra("operaciones", op, "descripcion")), 2,
             (csv_cortado, "termina a mitad de una letra", uno),
             (Ubicacion("operaciones.csv", "operaciones"),)),
    ]


def _casos_formula() -> list[Caso]:
    fila_pres = fila_de("presupuesto", 1)
    fila_op = fila_de("operaciones", "OP-02")
    return [
        celda("formula_en_vigente", "formula_sin_valor",
              "vigente es una fórmula que nadie calculó (libro escrito por openpyxl).",
              "presupuesto", 1, "vigente", f"={letra('presupuesto', 'dev_01')}{fila_pres}+1",
              _FORMULA),
        celda("formula_en_prog", "formula_sin_valor",
              "prog_02 es una fórmula sin valor calculado (hoy se leería como 0).",
              "operaciones", "OP-02", "prog_02",
              f"={letra('operaciones', 'prog_01')}{fila_op}+1", _FORMULA),
        celda("formula_en_codigo", "formula_sin_valor",
              "codigo_unidad es una fórmula sin valor calculado.",
              "operaciones", "OP-02", "codigo_unidad",
              f"={letra('operaciones', 'codigo_unidad')}{fila_op - 1}", _FORMULA),
    ]


def _casos_estructura() -> list[Caso]:
    resto = [h for h in fabrica.TABLAS if h != "unidades"]
    op = fabrica.TABLAS["operaciones"][0]
    repetida = "prog_05"
    return [
        Caso("falta_hoja_operaciones", "hoja_faltante",
             "El libro no tiene la hoja operaciones.",
             con_libro(quitar_hoja("operaciones")), 2,
             ("falta la hoja obligatoria operaciones",),
             (Ubicacion(LIBRO, "operaciones"),)),
        Caso("falta_hoja_unidades", "hoja_faltante",
             "El libro no tiene la hoja unidades (el mensaje dice cuáles tiene).",
             con_libro(quitar_hoja("unidades")), 2,
             ("falta la hoja obligatoria unidades", f"el libro tiene: {', '.join(resto)}"),
             (Ubicacion(LIBRO, "unidades"),)),
        Caso("csv_falta_presupuesto", "hoja_faltante",
             "La carpeta de CSV no tiene presupuesto.csv.",
             con_csv(retocar=borrar_csv("presupuesto")), 2,
             ("falta el archivo obligatorio presupuesto.csv",),
             (Ubicacion("presupuesto.csv", "presupuesto"),)),
        Caso("csv_carpeta_vacia", "hoja_faltante",
             "La carpeta de datos no tiene ningún CSV.",
             con_csv(retocar=borrar_csv(*fabrica.TABLAS)), 2,
             (*(f"falta el archivo obligatorio {h}.csv" for h in _OBLIGATORIAS),
              f"Se encontraron {len(_OBLIGATORIAS)} problemas"),
             tuple(Ubicacion(f"{h}.csv", h) for h in _OBLIGATORIAS)),
        Caso("acp_sin_filas", "hoja_sin_filas",
             "La hoja acp sólo tiene el encabezado.",
             con_libro(sin_filas("acp")), 2,
             ("la hoja no tiene filas de datos",), (Ubicacion(LIBRO, "acp"),)),
        Caso("presupuesto_sin_filas", "hoja_sin_filas",
             "La hoja presupuesto sólo tiene el encabezado.",
             con_libro(sin_filas("presupuesto")), 2,
             ("la hoja no tiene filas de datos", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "presupuesto"),)),
        Caso("unidades_solo_filas_en_blanco", "hoja_sin_filas",
             "La hoja unidades tiene el encabezado y filas en blanco.",
             con_libro(sin_filas("unidades"),
                       agregar_fila("unidades", [None, "  ", None, None, None]),
                       agregar_fila("unidades", ["", None, " ", None, None])), 2,
             ("la hoja no tiene filas de datos",), (Ubicacion(LIBRO, "unidades"),)),
        Caso("csv_operaciones_solo_encabezado", "hoja_sin_filas",
             "operaciones.csv sólo tiene la fila de encabezados.",
             con_csv(sin_filas("operaciones")), 2,
             ("la hoja no tiene filas de datos", "Se encontró 1 problema"),
             (Ubicacion("operaciones.csv", "operaciones"),)),
        Caso("falta_columna_codigo_acp", "columna_faltante",
             "operaciones no tiene la columna codigo_acp.",
             con_libro(quitar_columna("operaciones", "codigo_acp")), 2,
             ("falta la columna obligatoria codigo_acp", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "operaciones", columna="codigo_acp"),)),
        Caso("falta_columna_vigente", "columna_faltante",
             "presupuesto no tiene la columna vigente.",
             con_libro(quitar_columna("presupuesto", "vigente")), 2,
             ("falta la columna obligatoria vigente", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "presupuesto", columna="vigente"),)),
        Caso("falta_columna_texto_narrativa", "columna_faltante",
             "narrativa (hoja opcional) no tiene su columna obligatoria texto.",
             con_libro(quitar_columna("narrativa", "texto")), 2,
             ("falta la columna obligatoria texto",),
             (Ubicacion(LIBRO, "narrativa", columna="texto"),)),
        Caso("grupo_mensual_incompleto", "columna_faltante",
             "El encabezado ejec_07 está escrito ejec_7.",
             con_libro(renombrar_columna("operaciones", "ejec_07", "ejec_7")), 2,
             ("falta la columna ejec_07", "otras columnas ejec_"),
             (Ubicacion(LIBRO, "operaciones", columna="ejec_07"),)),
        Caso("csv_falta_columna_area", "columna_faltante",
             "unidades.csv no tiene la columna area.",
             con_csv(quitar_columna("unidades", "area")), 2,
             ("falta la columna obligatoria area",),
             (Ubicacion("unidades.csv", "unidades", columna="area"),)),
        Caso("encabezado_repetido", "encabezado_repetido",
             f"La última columna de operaciones se llama también {repetida}.",
             con_libro(renombrar_columna("operaciones", op[-1], repetida)), 2,
             ("aparece más de una vez",
              f"columnas {letra('operaciones', repetida)} y {get_column_letter(len(op))}"),
             (Ubicacion(LIBRO, "operaciones", 1, repetida),)),
        Caso("encabezado_repetido_mayusculas", "encabezado_repetido",
             "unidades tiene otra columna CODIGO_UNIDAD al final.",
             con_libro(agregar_columna("unidades", 0, "CODIGO_UNIDAD")), 2,
             ("aparece más de una vez",
              f"columnas {letra('unidades', 'codigo_unidad')} y "
              f"{get_column_letter(len(fabrica.TABLAS['unidades'][0]) + 1)}"),
             (Ubicacion(LIBRO, "unidades", 1, "codigo_unidad"),)),
        Caso("combinada_codigo_unidad", "celdas_combinadas",
             "codigo_unidad combinado en las filas de OP-01 y OP-02 (la misma unidad).",
             con_libro(retocar=combinar("operaciones", "codigo_unidad",
                                        fila_de("operaciones", "OP-01"),
                                        fila_de("operaciones", "OP-02"))), 2,
             (_VACIA, "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "operaciones", fila_de("operaciones", "OP-02"),
                        "codigo_unidad"),)),
        Caso("combinada_vigente", "celdas_combinadas",
             "vigente combinado en las dos líneas de la categoría 560 0 002.",
             con_libro(retocar=combinar("presupuesto", "vigente", fila_de("presupuesto", 2),
                                        fila_de("presupuesto", 3))), 2,
             (_VACIA, "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "presupuesto", fila_de("presupuesto", 3), "vigente"),)),
        Caso("combinada_encabezado", "celdas_combinadas",
             "Los encabezados codigo_unidad y nombre de unidades combinados.",
             con_libro(retocar=combinar_fila("unidades", 1, "codigo_unidad", "nombre")), 2,
             ("falta la columna obligatoria nombre",),
             (Ubicacion(LIBRO, "unidades", columna="nombre"),)),
    ]


def _casos_claves() -> list[Caso]:
    # La línea 3 del presupuesto toma la fuente de la línea 2: misma categoría y fuente.
    fuente = valor_de("presupuesto", 2, "fuente")
    categoria = valor_de("presupuesto", 3, "categoria_programatica")
    assert categoria == valor_de("presupuesto", 2, "categoria_programatica")
    return [
        Caso("unidad_repetida", "clave_repetida",
             "Una unidad copiada al final de la hoja unidades.",
             con_libro(repetir_fila("unidades", "DGRB")), 2,
             (f"'DGRB' está repetido (ya aparece en la fila {fila_de('unidades', 'DGRB')})",
              "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "unidades", fila_nueva("unidades"), "codigo_unidad"),)),
        Caso("acp_repetida", "clave_repetida",
             "Una ACP copiada al final de la hoja acp.",
             con_libro(repetir_fila("acp", 2)), 2,
             (f"'{valor_de('acp', 2, 'codigo_acp')}' está repetido (ya aparece en la fila "
              f"{fila_de('acp', 2)})", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "acp", fila_nueva("acp"), "codigo_acp"),)),
        celda("operacion_repetida", "clave_repetida",
              "OP-08 lleva el código de OP-01.",
              "operaciones", "OP-08", "codigo_operacion", "OP-01",
              "'{valor}' está repetido (ya aparece en la fila "
              f"{fila_de('operaciones', 'OP-01')})"),
        celda("categoria_fuente_repetida", "clave_repetida",
              "Dos líneas de presupuesto con la misma categoría y la misma fuente.",
              "presupuesto", 3, "fuente", fuente,
              f"la combinación de categoria_programatica '{categoria}' y fuente '{{valor}}' "
              f"está repetida (ya aparece en la fila {fila_de('presupuesto', 2)})",
              columna_del_mensaje="categoria_programatica"),
    ]


def _casos_referencias() -> list[Caso]:
    unidad = "'{valor}' no existe en la hoja unidades"
    acp = "'{valor}' no existe en la hoja acp"
    return [
        celda("operacion_unidad_inexistente", "codigo_inexistente",
              "Una operación de una unidad que no está en unidades.",
              "operaciones", "OP-03", "codigo_unidad", "DGXX", unidad),
        celda("operacion_acp_inexistente", "codigo_inexistente",
              "Una operación de una ACP que no está en acp.",
              "operaciones", "OP-04", "codigo_acp", 9, acp),
        celda("presupuesto_unidad_inexistente", "codigo_inexistente",
              "Una línea de presupuesto de una unidad que no existe.",
              "presupuesto", 2, "codigo_unidad", "DGZZ", unidad),
        celda("presupuesto_acp_inexistente", "codigo_inexistente",
              "Una línea de presupuesto de una ACP que no existe.",
              "presupuesto", 1, "codigo_acp", "ACP-9", acp),
        celda("narrativa_unidad_inexistente", "codigo_inexistente",
              "Un texto de la narrativa de una unidad que no existe.",
              "narrativa", 4, "codigo_unidad", "CG-XXX", unidad),
        celda("narrativa_acp_inexistente", "codigo_inexistente",
              "Un texto de la narrativa de una ACP que no existe.",
              "narrativa", 1, "codigo_acp", 7, acp),
        celda("csv_operacion_unidad_minusculas", "codigo_inexistente",
              "En CSV, una operación con el código de unidad en minúsculas (dgrm).",
              "operaciones", "OP-01", "codigo_unidad", "dgrm", unidad, en_csv=True),
    ]


def _casos_vacios() -> list[Caso]:
    return [
        celda("operacion_descripcion_vacia", "dato_obligatorio_vacio",
              "Una operación sin descripción.",
              "operaciones", "OP-05", "descripcion", None, _VACIA),
        celda("unidad_nombre_solo_espacios", "dato_obligatorio_vacio",
              "El nombre de una unidad es sólo espacios.",
              "unidades", "EMB-PER", "nombre", "   ", _VACIA),
        celda("presupuesto_vigente_vacio", "dato_obligatorio_vacio",
              "Una línea de presupuesto sin vigente.",
              "presupuesto", 2, "vigente", None, _VACIA),
        celda("narrativa_texto_vacio", "dato_obligatorio_vacio",
              "Una fila de narrativa sin texto.",
              "narrativa", 2, "texto", "", _VACIA),
        celda("historico_area_vacia", "dato_obligatorio_vacio",
              "Una fila del histórico sin área.",
              "historico", 3, "area", None, _VACIA),
        Caso("csv_fila_incompleta", "dato_obligatorio_vacio",
             "En unidades.csv la fila de DGRB tiene sólo dos campos.",
             con_csv(retocar=recortar_fila_csv("unidades", "DGRB", 2)), 2,
             (_VACIA,),
             (Ubicacion("unidades.csv", "unidades", fila_de("unidades", "DGRB"), "area"),
              Ubicacion("unidades.csv", "unidades", fila_de("unidades", "DGRB"), "servicio"))),
    ]


def _casos_numeros() -> list[Caso]:
    vigente = [valor_de("presupuesto", i, "vigente") for i in (1, 2, 3)]
    return [
        # Texto en números
        celda("prog_texto", "texto_en_numero", "prog_03 dice «diez».",
              "operaciones", "OP-04", "prog_03", "diez", _NO_NUMERO),
        celda("vigente_formato_ingles", "texto_en_numero",
              "vigente escrito con coma de miles y punto decimal (formato inglés).",
              "presupuesto", 3, "vigente", "50,000.00", _NO_NUMERO),
        celda("ejec_porcentaje", "texto_en_numero", "ejec_02 escrito como porcentaje.",
              "operaciones", "OP-07", "ejec_02", "90 %", ("'{valor}' no es un número",
                                                          "quite el signo %")),
        celda("historico_no_disponible", "texto_en_numero", "ejecucion del histórico «n/d».",
              "historico", 2, "ejecucion", "n/d", _NO_NUMERO),
        celda("dev_error_de_excel", "texto_en_numero", "dev_04 con el error #DIV/0!.",
              "presupuesto", 1, "dev_04", "#DIV/0!", _NO_NUMERO),
        celda("tareas_texto", "texto_en_numero", "tareas dice «dos».",
              "operaciones", "OP-01", "tareas", "dos", _NO_NUMERO),
        celda("vigente_nan", "texto_en_numero",
              "vigente dice «NaN» (no debe leerse como vacío).",
              "presupuesto", 2, "vigente", "NaN", _NO_NUMERO),
        celda("csv_ejec_dos_puntos", "texto_en_numero",
              "En CSV, ejec_02 dice «1.2.3».",
              "operaciones", "OP-02", "ejec_02", "1.2.3", _NO_NUMERO, en_csv=True),
        celda("csv_punto_y_coma_numero_malo", "texto_en_numero",
              "presupuesto.csv con «;» (como lo guarda Excel) y un vigente «12.34.5».",
              "presupuesto", 1, "vigente", "12.34.5", _NO_NUMERO, en_csv=True,
              retocar=con_punto_y_coma("presupuesto")),
        # Un espacio sólo separa los miles en grupos de tres: "10 20" no es 1020
        celda("prog_dos_numeros_con_espacio", "texto_en_numero",
              "prog_05 dice «10 20» (dos números en una celda, no 1020).",
              "operaciones", "OP-03", "prog_05", "10 20", (_NO_NUMERO, "grupos de tres")),
        celda("vigente_espacio_en_decimales", "texto_en_numero",
              "vigente dice «3 5,5» (no 35,5).",
              "presupuesto", 2, "vigente", "3 5,5", (_NO_NUMERO, "grupos de tres")),
        celda("csv_ejec_espacio_no_separable", "texto_en_numero",
              "En CSV, ejec_01 dice «1\u00a020» (un espacio no separable entre cifras).",
              "operaciones", "OP-01", "ejec_01", "1\u00a020", (_NO_NUMERO, "grupos de tres"),
              en_csv=True),
        # Fechas y verdadero/falso
        celda("vigente_fecha", "fecha_o_booleano_en_numero", "vigente es una fecha.",
              "presupuesto", 1, "vigente", dt.datetime(2024, 3, 1), "no es un número"),
        celda("prog_verdadero", "fecha_o_booleano_en_numero", "prog_01 es VERDADERO.",
              "operaciones", "OP-07", "prog_01", True, "no es un número"),
        celda("ejec_falso", "fecha_o_booleano_en_numero", "ejec_12 es FALSO.",
              "operaciones", "OP-08", "ejec_12", False, "no es un número"),
        celda("tareas_fecha", "fecha_o_booleano_en_numero", "tareas es una fecha.",
              "operaciones", "OP-03", "tareas", dt.date(2024, 1, 3), "no es un número"),
        # Fuera de rango
        celda("vigente_texto_1e400", "numero_fuera_de_rango",
              "vigente es el texto «1e400» (se desborda a infinito).",
              "presupuesto", 1, "vigente", "1e400", (_FUERA_DE_RANGO, "'{valor}'")),
        Caso("vigente_1e308_dos_lineas", "numero_fuera_de_rango",
             "Dos líneas con vigente 1e308 (su suma se desborda).",
             con_libro(poner("presupuesto", 1, "vigente", 1e308),
                       poner("presupuesto", 2, "vigente", 1e308)), 2,
             (_FUERA_DE_RANGO, "Se encontraron 2 problemas"),
             (Ubicacion(LIBRO, "presupuesto", fila_de("presupuesto", 1), "vigente"),
              Ubicacion(LIBRO, "presupuesto", fila_de("presupuesto", 2), "vigente"))),
        celda("prog_10_a_la_15", "numero_fuera_de_rango", "prog_06 vale 10^15.",
              "operaciones", "OP-01", "prog_06", 10**15, _FUERA_DE_RANGO),
        celda("dev_menos_10_a_la_15_boliviano", "numero_fuera_de_rango",
              "dev_05 es «-1.000.000.000.000.000,00» en formato boliviano.",
              "presupuesto", 2, "dev_05", "-" + _boliviano(10**15), _FUERA_DE_RANGO),
        celda("csv_ejec_1e400", "numero_fuera_de_rango", "En CSV, ejec_01 dice «1e400».",
              "operaciones", "OP-06", "ejec_01", "1e400", _FUERA_DE_RANGO, en_csv=True),
        # Negativos
        celda("prog_negativo", "numero_negativo", "prog_02 vale -3.",
              "operaciones", "OP-02", "prog_02", -3, ("'{valor}' es negativo",)),
        celda("ejec_negativo", "numero_negativo", "ejec_09 vale -1.",
              "operaciones", "OP-07", "ejec_09", -1, ("'{valor}' es negativo",)),
        celda("vigente_negativo_boliviano", "numero_negativo",
              "vigente es «-100,50» (texto boliviano).",
              "presupuesto", 3, "vigente", "-100,50", ("'{valor}' es negativo",)),
        # Aceptados
        aceptado("vigente_boliviano", "numero_aceptado",
                 "vigente escrito como texto boliviano con miles y decimales.",
                 con_libro(poner("presupuesto", 1, "vigente", _boliviano(vigente[0] + 0.5))),
                 _igual("presupuesto", 1, "vigente", vigente[0] + 0.5)),
        aceptado("vigente_casi_10_a_la_15", "numero_aceptado",
                 "vigente vale 10^15 - 1 (justo debajo del límite).",
                 con_libro(poner("presupuesto", 2, "vigente", 10**15 - 1)),
                 _igual("presupuesto", 2, "vigente", float(10**15 - 1))),
        aceptado("dev_miles_con_punto", "numero_aceptado",
                 "dev_07 escrito «7.000»: un punto seguido de tres cifras separa los miles.",
                 con_libro(poner("presupuesto", 2, "dev_07",
                                 _boliviano(valor_de("presupuesto", 2, "dev_07"), 0))),
                 _igual("presupuesto", 2, "dev_07", float(valor_de("presupuesto", 2, "dev_07")))),
        aceptado("dev_negativo", "numero_aceptado",
                 "dev_06 negativo escrito en texto boliviano (una reversión; sólo alerta).",
                 con_libro(poner("presupuesto", 3, "dev_06", "-" + _boliviano(1500))),
                 _igual("presupuesto", 3, "dev_06", -1500.0)),
        aceptado("csv_punto_y_coma_boliviano", "numero_aceptado",
                 "presupuesto.csv con «;», BOM y los vigentes en formato boliviano.",
                 con_csv(*(poner("presupuesto", i, "vigente", _boliviano(v))
                           for i, v in enumerate(vigente, start=1)),
                         retocar=con_punto_y_coma("presupuesto")),
                 _igual("presupuesto", 3, "vigente", vigente[2])),
        aceptado("vigente_miles_con_espacio", "numero_aceptado",
                 "vigente escrito con espacios entre los miles y coma decimal («12 345,50»).",
                 con_libro(poner("presupuesto", 1, "vigente",
                                 _boliviano(vigente[0] + 0.5).replace(".", " "))),
                 _igual("presupuesto", 1, "vigente", vigente[0] + 0.5)),
    ]


def _casos_dominio() -> list[Caso]:
    return [
        celda("narrativa_tipo_invalido", "valor_fuera_de_dominio", "tipo dice «queja».",
              "narrativa", 2, "tipo", "queja",
              ("'{valor}' no es un tipo válido", "logro, dificultad o recomendacion")),
        celda("narrativa_trimestre_5", "valor_fuera_de_dominio", "trimestre 5 en la narrativa.",
              "narrativa", 3, "trimestre", 5, "'{valor}' no es un trimestre válido"),
        celda("narrativa_trimestre_0", "valor_fuera_de_dominio", "trimestre 0 en la narrativa.",
              "narrativa", 1, "trimestre", 0, "'{valor}' no es un trimestre válido"),
        celda("tareas_cero", "valor_fuera_de_dominio", "tareas vale 0.",
              "operaciones", "OP-06", "tareas", 0, ("'{valor}' no es válido", "entero")),
        celda("tareas_decimal", "valor_fuera_de_dominio", "tareas vale 1.5.",
              "operaciones", "OP-07", "tareas", 1.5, ("'{valor}' no es válido", "entero")),
        celda("tareas_decimal_boliviano", "valor_fuera_de_dominio",
              "tareas es el texto «1,5».",
              "operaciones", "OP-08", "tareas", "1,5", ("'{valor}' no es válido", "entero")),
        celda("historico_gestion_decimal", "valor_fuera_de_dominio",
              "gestion del histórico vale 2023.5.",
              "historico", 4, "gestion", 2023.5, "'{valor}' no es una gestión válida"),
        *_casos_departamento(),
    ]


def _casos_departamento() -> list[Caso]:
    """La columna opcional departamento de areas y unidades: un código que no es de un
    departamento, y el nombre (sin tildes, en minúsculas) o el código en minúsculas, que se
    guardan como el código."""
    area, unidad = valor_de("areas", 1, "area"), "DGRB"
    return [
        Caso("area_departamento_invalido", "valor_fuera_de_dominio",
             "El área de la hoja areas dice «BO-X» en departamento.",
             con_libro(columna_nueva("areas", "departamento", {area: "BO-X"})), 2,
             ("'BO-X' no es un departamento de Bolivia", "BO-H Chuquisaca",
              "o deje la celda vacía", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "areas", fila_de("areas", area), "departamento"),)),
        Caso("csv_unidad_departamento_invalido", "valor_fuera_de_dominio",
             "En CSV, una unidad dice «Lima» en departamento.",
             con_csv(columna_nueva("unidades", "departamento", {unidad: "Lima"})), 2,
             ("'Lima' no es un departamento de Bolivia", "BO-T Tarija",
              "Se encontró 1 problema"),
             (Ubicacion("unidades.csv", "unidades", fila_de("unidades", unidad),
                        "departamento"),)),
        aceptado("departamento_por_nombre", "valor_con_otra_forma",
                 "El área dice «potosi» y una unidad «bo-l» en departamento.",
                 con_libro(columna_nueva("areas", "departamento", {area: "potosi"}),
                           columna_nueva("unidades", "departamento", {unidad: "bo-l"})),
                 _todas(_igual("areas", area, "departamento", "BO-P"),
                        _igual("unidades", unidad, "departamento", "BO-L"),
                        _igual("unidades", "DGRM", "departamento", ""))),
    ]


def _casos_grupos() -> list[Caso]:
    area = valor_de("unidades", "DGRB", "area")
    grupo = valor_de("unidades", "DGRM", "servicio")
    otro_grupo = valor_de("unidades", "EMB-PER", "servicio")
    return [
        celda("area_en_dos_grupos", "grupo_de_areas",
              "DGRB dice «Centro» en servicio; DGRM, de su misma área, está en otro grupo.",
              "unidades", "DGRB", "servicio", "Centro",
              (f"el área '{area}' ya está en '{grupo}'", "en el mismo grupo")),
        celda("grupo_vacio", "grupo_de_areas",
              "DGRB sin servicio; las demás unidades tienen su grupo.",
              "unidades", "DGRB", "servicio", None,
              ("otras unidades tienen grupo", "deje vacía toda la columna")),
        celda("area_con_nombre_de_grupo", "grupo_de_areas",
              "El área de DGRB se llama como un grupo de áreas.",
              "unidades", "DGRB", "area", otro_grupo.lower(),
              ("'{valor}' no sirve como nombre de área", "nombre de un grupo")),
        aceptado("sin_columna_servicio", "estructura_aceptada",
                 "unidades sin la columna servicio: la entidad es un solo grupo.",
                 con_libro(quitar_columna("unidades", "servicio")),
                 _filas("unidades", len(fabrica.TABLAS["unidades"]) - 1)),
    ]


def _casos_csv_y_textos() -> list[Caso]:
    limite = LIMITE_CAMPO_CSV
    return [
        Caso("csv_latin1", "csv_codificacion",
             "unidades.csv guardado en Latin-1 (Windows-1252).",
             con_csv(retocar=recodificar("unidades", "latin-1")), 2,
             ("no está en UTF-8",), (Ubicacion("unidades.csv", "unidades"),)),
        Caso("csv_utf16", "csv_codificacion",
             "narrativa.csv guardado en UTF-16 («Texto Unicode» de Excel).",
             con_csv(retocar=recodificar("narrativa", "utf-16")), 2,
             ("no está en UTF-8",), (Ubicacion("narrativa.csv", "narrativa"),)),
        Caso("csv_campo_demasiado_largo", "csv_mal_formado",
             f"Un texto de la narrativa con {limite + 1} caracteres (más que el límite de "
             "un campo CSV).",
             con_csv(poner("narrativa", 1, "texto", "x" * (limite + 1))), 2,
             ("el CSV está mal formado",),
             (Ubicacion("narrativa.csv", "narrativa", 2, "texto"),)),
        # Caracteres de control: se aceptan
        aceptado("csv_nul_en_narrativa", "texto_con_controles",
                 "Un carácter NUL dentro de un texto de la narrativa (se quita).",
                 con_csv(_poner_caracter("narrativa", 2, "texto", "\x00", False)),
                 _texto_original("narrativa", 2, "texto")),
        aceptado("csv_campana_en_narrativa", "texto_con_controles",
                 "Un carácter de control BEL (U+0007) en un texto de la narrativa (se quita).",
                 con_csv(_poner_caracter("narrativa", 3, "texto", "\x07", False)),
                 _texto_original("narrativa", 3, "texto")),
        aceptado("csv_u2028_en_nombre_unidad", "texto_con_controles",
                 "Un separador de línea U+2028 en el nombre de una unidad (se lee como espacio).",
                 con_csv(_poner_caracter("unidades", "DGRM", "nombre", "\u2028", True)),
                 _texto_original("unidades", "DGRM", "nombre")),
        aceptado("csv_salto_de_pagina_en_nombre_unidad", "texto_con_controles",
                 "Un salto de página (U+000C) en el nombre de una unidad (se lee como espacio).",
                 con_csv(_poner_caracter("unidades", "CG-ARI", "nombre", "\x0c", True)),
                 _texto_original("unidades", "CG-ARI", "nombre")),
        aceptado("csv_tab_vertical_y_u2029", "texto_con_controles",
                 "Un tabulador vertical y un separador de párrafo U+2029 en textos de la "
                 "narrativa (se leen como espacio).",
                 con_csv(_poner_caracter("narrativa", 1, "texto", "\x0b", True),
                         _poner_caracter("narrativa", 4, "texto", "\u2029", True)),
                 _todas(_texto_original("narrativa", 1, "texto"),
                        _texto_original("narrativa", 4, "texto"))),
        aceptado("libro_u2028_en_nombre_unidad", "texto_con_controles",
                 "En el libro, un separador de línea U+2028 en el nombre de una unidad.",
                 con_libro(_poner_caracter("unidades", "DGRB", "nombre", "\u2028", True)),
                 _texto_original("unidades", "DGRB", "nombre")),
        aceptado("params_caracteres_de_control", "texto_con_controles",
                 "El nombre de la entidad en los parámetros con un ESC (se quita) y un U+2028 "
                 "(se lee como espacio).",
                 con_params(entidad={
                     **fabrica.PARAMS_BASE["entidad"],
                     "nombre": _con_caracter(_con_caracter(
                         fabrica.PARAMS_BASE["entidad"]["nombre"], "\u2028", True),
                         "\x1b", False)}),
                 _entidad_original),
        aceptado("hoja_con_mayusculas_y_espacios", "estructura_aceptada",
                 "La hoja se llama « Operaciones » (mayúscula y espacios).",
                 con_libro(renombrar_hoja("operaciones", " Operaciones ")),
                 _filas("operaciones", len(fabrica.TABLAS["operaciones"]) - 1)),
        aceptado("encabezado_con_mayusculas", "estructura_aceptada",
                 "El encabezado de presupuesto dice VIGENTE y Codigo_Unidad.",
                 con_libro(renombrar_columna("presupuesto", "vigente", "VIGENTE"),
                           renombrar_columna("presupuesto", "codigo_unidad", "Codigo_Unidad")),
                 _igual("presupuesto", 1, "vigente", valor_de("presupuesto", 1, "vigente"))),
    ]


def _casos_yaml() -> list[Caso]:
    ref = _PARAMS_REFERENCIA
    linea_sigla = _linea(ref, "  sigla:")
    ultima = len(ref.splitlines())

    def objeto_python(texto: str, destino: Path) -> str:
        return texto + "presentacion: !!python/object:types.SimpleNamespace {mision: x}\n"

    def aplicar_python(texto: str, destino: Path) -> str:
        # Si el YAML se leyera sin SafeLoader, esto crearía la carpeta de salida.
        (linea,) = [li for li in texto.splitlines() if li.startswith("salida:")]
        salida = str(destino / CARPETA_SALIDA)
        return texto.replace(linea, f"salida: !!python/object/apply:os.makedirs [{salida!r}]")

    return [
        Caso("yaml_mal_cerrado", "yaml_invalido",
             "Un corchete sin cerrar en informe.",
             con_params_texto(lambda t, _: t.replace("informe: trimestral",
                                                     "informe: [trimestral")), 2,
             # El lector lo nota en la línea siguiente, donde esperaba «,» o «]».
             (_YAML, f"línea {_linea(ref, 'informe:') + 1}"), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("yaml_tabulador", "yaml_invalido",
             "La sangría de sigla es un tabulador.",
             con_params_texto(lambda t, _: t.replace("  sigla:", "\tsigla:")), 2,
             (_YAML, f"línea {linea_sigla}"), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("yaml_python_object", "yaml_invalido",
             "Una etiqueta !!python/object en presentacion.",
             con_params_texto(objeto_python), 2,
             (_YAML, f"línea {ultima + 1}"), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("yaml_python_apply", "yaml_invalido",
             "Una etiqueta !!python/object/apply:os.makedirs que crearía la carpeta de salida.",
             con_params_texto(aplicar_python), 2,
             (_YAML, f"línea {_linea(ref, 'salida:')}"), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("yaml_python_name", "yaml_invalido",
             "Una etiqueta !!python/name:os.system en datos.",
             con_params_texto(lambda t, _: "".join(
                 "datos: !!python/name:os.system ''\n" if li.startswith("datos:") else li
                 for li in t.splitlines(keepends=True))), 2,
             (_YAML, f"línea {_linea(ref, 'datos:')}"), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("yaml_clave_repetida", "yaml_clave_repetida",
             "gestion aparece dos veces.",
             con_params_texto(lambda t, _: t + "gestion: 2025\n"), 2,
             ("la clave está repetida", f"línea {ultima + 1}"),
             (Ubicacion(NOMBRE_PARAMS, clave="gestion"),)),
        Caso("yaml_clave_repetida_anidada", "yaml_clave_repetida",
             "sigla aparece dos veces dentro de entidad.",
             con_params_texto(lambda t, _: t.replace("  sigla: MRE\n",
                                                  "  sigla: MRE\n  sigla: RREE\n")), 2,
             ("la clave está repetida", f"línea {linea_sigla + 1}"),
             (Ubicacion(NOMBRE_PARAMS, clave="sigla"),)),
    ]


def _casos_params() -> list[Caso]:
    def no_existe(destino: Path) -> Path:
        con_params()(destino).unlink()
        return destino / "params" / NOMBRE_PARAMS

    def es_carpeta(destino: Path) -> Path:
        ruta = no_existe(destino)
        ruta.mkdir()
        return ruta

    escala = [g.copy() for g in _ESCALA]
    escala[1], escala[2] = escala[2], escala[1]
    semaforo = {1: [20, 10], 2: [43, 33], 3: [65, 48]}
    return [
        Caso("params_vacio", "params_archivo", "El archivo de parámetros está vacío.",
             con_params_texto(lambda t, _: ""), 2, ("está vacío",), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_solo_comentario", "params_archivo",
             "El archivo de parámetros sólo tiene un comentario.",
             con_params_texto(lambda t, _: "# parámetros del T2\n"), 2, ("está vacío",),
             (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_lista", "params_archivo", "El archivo de parámetros es una lista.",
             con_params_texto(lambda t, _: "".join(f"- {li}\n" for li in t.splitlines()
                                                if not li.startswith(" "))), 2,
             ("debe ser un grupo de claves",), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_texto_suelto", "params_archivo",
             "El archivo de parámetros es un texto suelto.",
             con_params_texto(lambda t, _: "2024-T2\n"), 2,
             ("debe ser un grupo de claves",), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_no_existe", "params_archivo", "El archivo de parámetros no existe.",
             no_existe, 2, ("no existe",), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_es_carpeta", "params_archivo",
             "La ruta de los parámetros es una carpeta.",
             es_carpeta, 2, ("es una carpeta",), (Ubicacion(NOMBRE_PARAMS),)),
        Caso("params_latin1", "params_archivo",
             "El archivo de parámetros está en Latin-1 (con tildes).",
             con_params_texto(lambda t, _: t.encode("latin-1"),
                              entidad={"nombre": "Ministerio de Educación", "sigla": "MINEDU"}),
             2, ("no está en UTF-8",), (Ubicacion(NOMBRE_PARAMS),)),
        # Claves desconocidas
        params("clave_desconocida", "params_clave_desconocida",
               "Una clave trimestres además de trimestre.", "trimestres",
               "clave desconocida", trimestres=2),
        params("clave_desconocida_metodologia", "params_clave_desconocida",
               "metodologia.tope en lugar de tope_cumplimiento.", "metodologia.tope",
               "clave desconocida", metodologia={"tope": False}),
        params("clave_desconocida_entidad", "params_clave_desconocida",
               "entidad.siglas en lugar de entidad.sigla.", "entidad.siglas",
               "clave desconocida", entidad={"nombre": "MRE", "sigla": "MRE", "siglas": "x"}),
        params("clave_raiz", "params_clave_desconocida",
               "La clave raiz (la fija el programa).", "raiz",
               "la raíz la fija el programa", raiz="/"),
        # Tipos y opciones
        params("gestion_texto", "params_tipo", "gestion dice «dos mil».", "gestion",
               "'dos mil' no es un número entero", gestion="dos mil"),
        params("gestion_decimal", "params_tipo", "gestion vale 2024.5.", "gestion",
               "no es un número entero", gestion=2024.5),
        params("gestion_fuera_de_rango", "params_tipo", "gestion vale 1999.", "gestion",
               "menor que el mínimo permitido", gestion=1999),
        params("tope_texto", "params_tipo", "tope_cumplimiento dice «quizas».",
               "metodologia.tope_cumplimiento", "no es verdadero ni falso",
               metodologia={"tope_cumplimiento": "quizas"}),
        params("agregacion_invalida", "params_tipo", "agregacion dice «media».",
               "metodologia.agregacion", "use una de: promedio_unidades, tareas",
               metodologia={"agregacion": "media"}),
        params("umbral_150", "params_tipo", "umbral_cumple vale 150.",
               "metodologia.umbral_cumple", "mayor que el máximo permitido, 100",
               metodologia={"umbral_cumple": 150}),
        params("entidad_texto", "params_tipo", "entidad es un texto, no un grupo de claves.",
               "entidad", "se esperaba un grupo de claves", entidad="MRE"),
        params("salida_lista", "params_tipo", "salida es una lista.", "salida",
               "no es un texto", salida=["a", "b"]),
        params("datos_vacio", "params_tipo", "datos está vacío.", "datos",
               "no puede estar vacío", datos=""),
        params("falta_datos", "params_tipo", "Falta la clave datos.", "datos",
               "falta esta clave obligatoria", datos=None),
        params("informe_semestral", "params_tipo", "informe dice «semestral».", "informe",
               "no es un tipo de informe", informe="semestral"),
        # Metodología
        params("escala_no_descendente", "params_metodologia",
               "escala_calificacion con el 2.º y 3.er escalón intercambiados.",
               "metodologia.escala_calificacion",
               ("de mayor a menor",
                f"elemento 3 ({escala[2]['grado']}, desde {escala[2]['desde']:g})"),
               metodologia={"escala_calificacion": escala}),
        params("escala_vacia", "params_metodologia", "escala_calificacion vacía.",
               "metodologia.escala_calificacion", "menos elementos",
               metodologia={"escala_calificacion": []}),
        params("escala_sin_grado", "params_metodologia",
               "Un escalón de escala_calificacion sin grado.",
               "metodologia.escala_calificacion[2].grado", "falta esta clave obligatoria",
               metodologia={"escala_calificacion": [
                   g if i != 1 else {k: v for k, v in g.items() if k != "grado"}
                   for i, g in enumerate(_ESCALA)]}),
        params("semaforo_sin_trimestre_4", "params_metodologia",
               "semaforo_financiero sin el trimestre 4.",
               "metodologia.semaforo_financiero",
               f"exactamente los trimestres 1, 2, 3 y 4 (tiene: "
               f"{', '.join(str(t) for t in semaforo)})",
               metodologia={"semaforo_financiero": semaforo}),
        params("semaforo_verde_menor", "params_metodologia",
               "En el trimestre 2 el umbral verde es menor que el amarillo.",
               "metodologia.semaforo_financiero",
               "trimestre 2: el umbral verde (33) debe ser mayor que el amarillo (43)",
               metodologia={"semaforo_financiero": {**semaforo, 2: [33, 43], 4: [85, 65]}}),
        # Carpeta de salida
        Caso("salida_en_los_datos", "params_salida",
             "salida es la carpeta donde está el libro de datos.",
             con_salida(lambda d: d / CARPETA_DATOS), 2,
             ("no se puede usar como carpeta del informe", "carpeta de los datos"),
             (Ubicacion(NOMBRE_PARAMS, clave="salida"),)),
        Caso("salida_con_los_params", "params_salida",
             "salida es la carpeta que contiene el archivo de parámetros.",
             con_salida(lambda d: d / "params"), 2,
             ("no se puede usar como carpeta del informe", "contiene el archivo de parámetros"),
             (Ubicacion(NOMBRE_PARAMS, clave="salida"),)),
        Caso("salida_carpeta_ajena", "params_salida",
             "salida es una carpeta que ya existe con archivos que no son un informe.",
             con_salida(lambda d: d / CARPETA_SALIDA,
                        lambda d: _escribir_ajeno(d / CARPETA_SALIDA / "notas.txt")), 2,
             ("no se puede usar como carpeta del informe", "no es un informe de este programa"),
             (Ubicacion(NOMBRE_PARAMS, clave="salida"),)),
        Caso("salida_es_un_archivo", "params_salida",
             "salida es un archivo, no una carpeta.",
             con_salida(lambda d: d / CARPETA_SALIDA,
                        lambda d: _escribir_ajeno(d / CARPETA_SALIDA)), 2,
             ("no se puede usar como carpeta del informe", "no es una carpeta"),
             (Ubicacion(NOMBRE_PARAMS, clave="salida"),)),
        # Trimestre
        params("trimestre_5", "params_trimestre", "trimestre 5.", "trimestre",
               "5 no es un trimestre válido", trimestre=5),
        params("trimestre_0", "params_trimestre", "trimestre 0.", "trimestre",
               "0 no es un trimestre válido", trimestre=0),
        params("trimestre_romano", "params_trimestre", "trimestre dice «II».", "trimestre",
               "'II' no es un número entero", trimestre="II"),
        params("trimestral_sin_trimestre", "params_trimestre",
               "Informe trimestral sin trimestre.", "trimestre",
               "es obligatorio en un informe trimestral", trimestre=None),
        params("anual_con_trimestre", "params_trimestre",
               "Informe anual con trimestre 2.", "trimestre",
               "un informe anual no lleva trimestre", informe="anual", trimestre=2),
    ]


def _escribir_ajeno(ruta: Path) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text("Notas del planificador: no borrar.\n", encoding="utf-8")


# La escala por omisión de methodology.md §5.1, como se escribe en el YAML.
_ESCALA = [
    {"desde": 100, "grado": "Concluido", "calificacion": "Excelente", "desempeno": "Óptimo"},
    {"desde": 70, "grado": "En proceso de ejecución", "calificacion": "Alto",
     "desempeno": "Satisfactorio"},
    {"desde": 51, "grado": "En proceso de ejecución", "calificacion": "Medio",
     "desempeno": "Bueno"},
    {"desde": 9, "grado": "Atrasado", "calificacion": "Bajo", "desempeno": "Regular"},
    {"desde": 0, "inclusivo": False, "grado": "En riesgo", "calificacion": "Muy bajo",
     "desempeno": "Deficiente"},
    {"desde": 0, "grado": "Por iniciar", "calificacion": "Nulo", "desempeno": "Deficiente"},
]


_EJEMPLO = "fila de ejemplo de la plantilla"


def fila_de_ejemplo(hoja: str) -> Mutacion:
    """La fila de ejemplo de la plantilla de `hoja` al final de la hoja (en la fila
    `fila_nueva(hoja)`); si el libro pequeño no tiene la hoja, la hoja con los encabezados
    del contrato y sólo esa fila."""
    def mutar(t: Tablas) -> None:
        ejemplo = ejemplos(fabrica.PARAMS_BASE["gestion"])[hoja]
        t.setdefault(hoja, [list(COLUMNAS_CONTRATO[hoja])])
        t[hoja].append([ejemplo.get(columna) for columna in t[hoja][0]])

    return mutar


def _casos_fila_de_ejemplo() -> list[Caso]:
    rubro = ejemplos(fabrica.PARAMS_BASE["gestion"])["ingresos"]["rubro"]
    assert rubro.startswith(MARCA_EJEMPLO)
    return [
        Caso("historico_fila_de_ejemplo", "fila_de_ejemplo",
             "La fila de ejemplo de la plantilla quedó al final de la hoja opcional historico.",
             con_libro(fila_de_ejemplo("historico")), 2,
             (_EJEMPLO, "bórrela", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "historico", fila_nueva("historico"), "gestion"),)),
        Caso("recepcion_solo_fila_de_ejemplo", "fila_de_ejemplo",
             "Una hoja recepcion con sólo la fila de ejemplo de la plantilla.",
             con_libro(fila_de_ejemplo("recepcion")), 2,
             (_EJEMPLO, "bórrela", "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "recepcion", 2, "codigo_unidad"),)),
        Caso("ingresos_rubro_de_ejemplo", "fila_de_ejemplo",
             "Una fila de ingresos con sus propios valores y el rubro de la fila de ejemplo.",
             con_libro(poner("ingresos", 1, "rubro", rubro)), 2,
             (_EJEMPLO, "Se encontró 1 problema"),
             (Ubicacion(LIBRO, "ingresos", fila_de("ingresos", 1), "rubro"),)),
    ]


def _casos_varios() -> list[Caso]:
    return [
        Caso("fila_de_ejemplo_y_numero_con_espacio", "varios_problemas",
             "La fila de ejemplo en recepcion y un vigente «3 5,5»: los dos en la misma "
             "pasada.",
             con_libro(fila_de_ejemplo("recepcion"), poner("presupuesto", 2, "vigente", "3 5,5")),
             2, ("Se encontraron 2 problemas", _EJEMPLO, "'3 5,5' no es un número"),
             (Ubicacion(LIBRO, "presupuesto", fila_de("presupuesto", 2), "vigente"),
              Ubicacion(LIBRO, "recepcion", 2, "codigo_unidad"))),
        Caso("tres_hojas_tres_problemas", "varios_problemas",
             "Un área en dos grupos, una unidad inexistente y un vigente con texto, en tres "
             "hojas: se informan los tres, en el orden de las hojas.",
             con_libro(poner("unidades", "CG-ARI", "servicio", "Exterio"),
                       poner("operaciones", "OP-06", "codigo_unidad", "EMB-PERU"),
                       poner("presupuesto", 3, "vigente", "cincuenta mil")), 2,
             ("Se encontraron 3 problemas", "ya está en", "'EMB-PERU'", "'cincuenta mil'"),
             (Ubicacion(LIBRO, "unidades", fila_de("unidades", "CG-ARI"), "servicio"),
              Ubicacion(LIBRO, "operaciones", fila_de("operaciones", "OP-06"),
                        "codigo_unidad"),
              Ubicacion(LIBRO, "presupuesto", fila_de("presupuesto", 3), "vigente"))),
        Caso("params_dos_problemas", "varios_problemas",
             "Parámetros con gestión fuera de rango y una clave desconocida.",
             con_params(gestion=1999, clave_rara=1), 2,
             ("Se encontraron 2 problemas", "clave desconocida", "mínimo permitido"),
             (Ubicacion(NOMBRE_PARAMS, clave="gestion"),
              Ubicacion(NOMBRE_PARAMS, clave="clave_rara"))),
        params("corte_en_trimestral", "params_trimestre",
               "Informe trimestral con «corte» (sólo para los informes de la gestión).", "corte",
               "«corte» es para los informes de la gestión", corte="junio"),
    ]


def _con_historia(*cambios: tuple[str, int, str, object]) -> Mutacion:
    """El libro pequeño con su historia (`fabrica.con_historia`) y las celdas cambiadas:
    (hoja, fila de datos desde 1, columna, valor)."""
    def mutar(t: Tablas) -> None:
        t.update(fabrica.con_historia(t))
        for hoja, fila, columna, valor in cambios:
            t[hoja][fila][t[hoja][0].index(columna)] = valor

    return mutar


def _casos_historia() -> list[Caso]:
    ref = fabrica.REFORMULACIONES
    segunda = ref[2]  # la segunda fila de datos: un cambio de programación de OP-01
    numero = segunda[0]

    def caso(id, descripcion, hoja, fila, columna, valor, fragmento) -> Caso:
        return Caso(id, "historia_incoherente", descripcion,
                    con_libro(_con_historia((hoja, fila, columna, valor))), 2,
                    (fragmento, "Se encontró 1 problema"),
                    (Ubicacion(LIBRO, hoja, fila + 1, columna),))

    return [
        caso("reformulacion_con_dos_resoluciones",
             "Dos filas de una misma reformulación con resoluciones distintas.",
             "reformulaciones", 2, "resolucion", "RM N° 999/2024",
             f"la reformulación {numero} ya tiene resolucion '{ref[1][1]}'"),
        caso("reformulacion_nuevo_distinto_de_la_hoja",
             "El último cambio de una meta no deja el valor que tiene la hoja operaciones.",
             "reformulaciones", 2, "nuevo", segunda[7] + 1,
             f"no es el valor de prog_{segunda[5]:02d} de '{segunda[3]}' en la hoja operaciones"),
        caso("reformulacion_programacion_sin_mes",
             "Un cambio de programación sin el mes que cambia.",
             "reformulaciones", 2, "mes", None, "un cambio de programacion necesita mes"),
        caso("presupuesto_vigentes_por_mes_sin_inicial",
             "Una línea con vigentes por mes y sin presupuesto inicial.",
             "presupuesto", 1, "inicial", None, "necesita el presupuesto inicial"),
        caso("presupuesto_vigente_distinto_del_ultimo_mes",
             "Una línea cuyo vigente no es su último vigente mensual.",
             "presupuesto", 2, "vigente", 12345, "no es el último vigente mensual de la línea"),
    ]


CASOS: list[Caso] = [
    *_casos_archivo(),
    *_casos_cortados(),
    *_casos_formula(),
    *_casos_estructura(),
    *_casos_claves(),
    *_casos_referencias(),
    *_casos_vacios(),
    *_casos_numeros(),
    *_casos_dominio(),
    *_casos_grupos(),
    *_casos_csv_y_textos(),
    *_casos_yaml(),
    *_casos_params(),
    *_casos_historia(),
    *_casos_fila_de_ejemplo(),
    *_casos_varios(),
]


# --------------------------------------------------------------------------------------
# La tabla de docs/entradas.md


def _codigo(texto: str) -> str:
    return "`" + texto.replace("`", "'").replace("|", "\\|") + "`"


def tabla_de_clases(casos: list[Caso] = CASOS) -> str:
    """La tabla Markdown de las clases de entrada y lo que recibe el usuario, generada de
    los casos (docs/entradas.md la contiene tal cual)."""
    filas = [
        "| Clase de entrada | Qué recibe el usuario | Fragmento del mensaje (ejemplos) "
        "| Salida | Casos |",
        "|---|---|---|---|---|",
    ]
    for clave, (nombre, recibe) in CLASES.items():
        de_la_clase = [c for c in casos if c.clase == clave]
        ejemplos: list[str] = []
        for caso in de_la_clase:
            # El primer fragmento de cada caso es el principal.
            if caso.fragmentos and caso.fragmentos[0] not in ejemplos:
                ejemplos.append(caso.fragmentos[0])
        mensaje = " · ".join(_codigo(e) for e in ejemplos[:3]) or "(ninguno: se acepta)"
        salidas = ", ".join(str(s) for s in sorted({c.salida for c in de_la_clase}))
        filas.append(f"| {nombre} | {recibe} | {mensaje} | {salidas} | {len(de_la_clase)} |")
    return "\n".join(filas) + "\n"


def escribir_casos(destino: Path, casos: list[Caso] = CASOS) -> list[tuple[Caso, Path]]:
    """Escribe cada caso en destino/<id>/; devuelve (caso, archivo de parámetros)."""
    hechos = []
    destino = Path(destino).resolve()  # los parámetros llevan rutas absolutas
    for caso in casos:
        carpeta = destino / caso.id
        carpeta.mkdir(parents=True, exist_ok=True)
        hechos.append((caso, caso.escribir(carpeta)))
    return hechos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Escribe el corpus de entradas inválidas, un caso por carpeta.")
    parser.add_argument("destino", nargs="?", help="carpeta donde escribir los casos")
    parser.add_argument("--tabla", action="store_true",
                        help="imprime la tabla de clases de docs/entradas.md")
    args = parser.parse_args(argv)
    if args.tabla:
        print(tabla_de_clases(), end="")
        return 0
    if not args.destino:
        parser.error("falta la carpeta de destino (o --tabla)")
    for caso, ruta in escribir_casos(Path(args.destino)):
        esperado = "se acepta" if caso.salida == 0 else "; ".join(caso.fragmentos)
        print(f"{caso.id}\t{caso.salida}\t{ruta}\t{esperado}")
    print(f"{len(CASOS)} casos en {args.destino}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
