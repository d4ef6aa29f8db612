"""El libro del POA leído y validado: `cargar_datos` y las tablas que devuelve, `Datos`.

Entra la ruta de un libro `.xlsx` o de una carpeta de CSV; sale un `Datos` con un DataFrame
por hoja del contrato (data-contract.md, `entrada.contrato`), o un único `ErrorDeEntrada`
que enumera todos los problemas, cada uno con archivo, hoja, fila (como la numera la hoja de
cálculo) y columna: nada se calcula con datos inválidos.

`cargar_datos` encadena los pasos, cada uno en su módulo: leer las hojas tal como están
escritas (`entrada.lectura`), convertir cada celda al tipo de su columna (`entrada.conversion`,
con `entrada.celdas`), validar las reglas de cada columna (`entrada.esquemas`), fijar el grupo
de áreas de cada unidad (`entrada.agrupacion`) y, si no hay errores, las reglas que cruzan
filas y hojas (`entrada.coherencia`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.entrada.agrupacion import agrupar_unidades
from helpers.entrada.coherencia import validar_historia_presupuesto, validar_reformulaciones
from helpers.entrada.contrato import CONTRATO, ESTADOS_EVIDENCIA, HOJAS, REFERENCIAS, tabla_vacia
from helpers.entrada.conversion import Hoja, convertir_hojas, tabla_final
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.lectura import leer_hojas
from helpers.entrada.marcos import validar_marcos
from helpers.entrada.sugerencias import Sugeridor, con_pista_de_ejemplo, pista_de_ejemplo

__all__ = ["CARPETA_EVIDENCIAS", "Datos", "archivos_de_evidencia", "cargar_datos"]

# Junto al libro recogido, la carpeta de los archivos de evidencia de las unidades.
CARPETA_EVIDENCIAS = "evidencias"


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
    marcos: pd.DataFrame
    vinculos: pd.DataFrame
    estadisticas: pd.DataFrame
    ingresos: pd.DataFrame
    reformulaciones: pd.DataFrame
    recepcion: pd.DataFrame
    evidencias: pd.DataFrame
    control_social: pd.DataFrame
    seguimiento_recomendaciones: pd.DataFrame
    archivos: list[Path] = field(default_factory=list)
    # La versión del POA en vigor al final del mes `corte` (`calculo.versiones`); None es
    # el libro tal como se leyó, y `libro` el libro del que se sacó la versión.
    corte: int | None = None
    libro: Datos | None = field(default=None, repr=False)


def cargar_datos(ruta: str | Path, *, plantilla_admitida: bool = False) -> Datos:
    """Lee y valida el POA desde un libro `.xlsx` o una carpeta de CSV.

    Lanza `ErrorDeEntrada` con todos los problemas encontrados (nada se calcula con datos
    inválidos). Ver data-contract.md para las hojas y columnas.

    Una fila de ejemplo de la plantilla que quedó en cualquier hoja es un problema: ningún
    informe ni formulario sale con ella. Con `plantilla_admitida` (la revisión de un libro
    suelto, `informe-poa validar poa.xlsx`), la plantilla misma, un libro con sólo filas de
    ejemplo, se lee sin errores: la revisión las muestra como advertencias.
    """
    ruta = Path(ruta)
    problemas: list[Problema] = []
    archivos: list[Path] = []
    crudas = leer_hojas(ruta, problemas, archivos)
    hojas = convertir_hojas(crudas, problemas)
    sugerir = _validar(hojas, problemas)
    es_la_plantilla = plantilla_admitida and _es_la_plantilla(hojas, sugerir.ejemplos)
    de_ejemplo = ([] if es_la_plantilla
                  else _filas_de_ejemplo(hojas, sugerir.ejemplos, problemas))
    if problemas or de_ejemplo:
        problemas = con_pista_de_ejemplo(problemas, sugerir.ejemplos) + de_ejemplo
        raise ErrorDeEntrada(sorted(problemas, key=lambda p: _orden(p, hojas)))
    datos = Datos(
        **{nombre: tabla_final(hojas[nombre]) if nombre in hojas else tabla_vacia(nombre)
           for nombre in HOJAS},
        archivos=archivos,
    )
    if not es_la_plantilla:  # la evidencia de su fila de ejemplo no existe
        datos.archivos += archivos_de_evidencia(ruta, datos.evidencias)
    return datos


def archivos_de_evidencia(ruta: Path, evidencias: pd.DataFrame) -> list[Path]:
    """Los archivos de las evidencias recibidas (hoja evidencias), en la carpeta
    `evidencias/` junto al libro: entran al manifiesto del informe como el libro. Uno que
    falta o que no da la huella del registro es un error, con su fila: se cambió después de
    recogerlo."""
    carpeta = (ruta if ruta.is_dir() else ruta.parent) / CARPETA_EVIDENCIAS
    hoja = "evidencias.csv" if ruta.is_dir() else ruta.name
    archivos, problemas = [], []
    for fila in evidencias[evidencias["estado"] == ESTADOS_EVIDENCIA[0]].itertuples():
        archivo = carpeta / fila.archivo
        dentro = carpeta.resolve() in archivo.resolve().parents
        if not dentro or not archivo.is_file():
            problemas.append(Problema(hoja, "evidencias", fila.fila, "archivo", (
                f"no está {CARPETA_EVIDENCIAS}/{fila.archivo} junto al libro: la evidencia "
                "se movió o se borró después de recogerla; vuelva a recoger los formularios "
                "con sus evidencias")))
            continue
        with archivo.open("rb") as flujo:
            huella = hashlib.file_digest(flujo, "sha256").hexdigest()
        if huella != fila.huella:
            problemas.append(Problema(hoja, "evidencias", fila.fila, "huella", (
                f"{CARPETA_EVIDENCIAS}/{fila.archivo} cambió después de recogerlo (su huella "
                "ya no es la del registro): vuelva a recoger los formularios con sus "
                "evidencias")))
            continue
        archivos.append(archivo)
    if problemas:
        raise ErrorDeEntrada(problemas)
    return archivos


def _validar(hojas: dict[str, Hoja], problemas: list[Problema]) -> Sugeridor:
    """Valida las reglas de cada columna y, si no hay otros problemas, las que cruzan filas y
    hojas. Devuelve el `Sugeridor` de los mensajes, que sabe cuáles son las filas de ejemplo
    de la plantilla."""
    # Aquí y no arriba: los esquemas cargan pandera (0,15 s de CPU), y los kernels de un
    # informe, que importan este módulo para leer lo ya validado (`preparacion`), no validan.
    from helpers.entrada.esquemas import codigos_existentes, esquema, validar_hoja

    existentes = codigos_existentes(hojas)
    sugerir = Sugeridor(REFERENCIAS, existentes, {n: h.tabla for n, h in hojas.items()})
    for hoja in hojas.values():
        validar_hoja(hoja, esquema(hoja, existentes), problemas, sugerir)
    if "unidades" in hojas:
        agrupar_unidades(hojas["unidades"], problemas)
    if "presupuesto" in hojas and not problemas:
        validar_historia_presupuesto(hojas["presupuesto"], problemas)
    if "reformulaciones" in hojas and not problemas:
        validar_reformulaciones(hojas["reformulaciones"], hojas["operaciones"], problemas)
    if {"marcos", "vinculos", "articulacion"} & set(hojas) and not problemas:
        validar_marcos(hojas, problemas)
    return sugerir


def _es_la_plantilla(hojas: dict[str, Hoja], ejemplos: dict[str, list[int]]) -> bool:
    """Si el libro tiene sólo filas de ejemplo de la plantilla (la plantilla tal como sale)."""
    return bool(ejemplos) and all(
        set(hoja.tabla.index) <= set(ejemplos.get(nombre, ())) for nombre, hoja in hojas.items())


def _filas_de_ejemplo(hojas: dict[str, Hoja], ejemplos: dict[str, list[int]],
                      problemas: list[Problema]) -> list[Problema]:
    """Un problema por fila de ejemplo que no tiene ya otro (a ésos `con_pista_de_ejemplo`
    les agrega que la fila es el ejemplo), en la primera columna de su hoja."""
    con_problema = {(p.hoja, p.fila) for p in problemas if p.fila is not None}
    pista = pista_de_ejemplo()
    return [
        Problema(hojas[hoja].archivo, hoja, fila, CONTRATO[hoja][0].nombre, pista)
        for hoja, filas in ejemplos.items() for fila in filas
        if (hoja, fila) not in con_problema
    ]


def _orden(problema: Problema, hojas: dict[str, Hoja]):
    """Los problemas por hoja (en el orden del contrato), fila y columna (en el orden de la
    hoja)."""
    hoja = HOJAS.index(problema.hoja) if problema.hoja in HOJAS else -1
    posiciones = hojas[problema.hoja].posiciones if problema.hoja in hojas else {}
    columna = posiciones.get(problema.columna, len(posiciones)) if problema.columna else -1
    return (hoja, problema.fila or 0, columna, problema.mensaje)
