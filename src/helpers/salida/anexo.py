"""El anexo en Excel: las tablas del informe y, al lado, todo el cálculo como fórmulas vivas.

- Entra: las tablas del informe (nombre -> DataFrame) y, para la cadena de cálculo, el libro
  validado, el trimestre del corte y la metodología (`escribir_anexo`).
- Sale: `anexo.xlsx`, escrito de forma atómica; con la misma fecha y los mismos datos,
  idéntico byte a byte.

Este módulo arma el libro: qué hojas y en qué orden (leeme, una por tabla, la cadena), las
reglas de fórmula en vigor, la hoja leeme, las propiedades y el guardado. Cada hoja la
escribe otro módulo:

1. Las tablas (`helpers.salida.anexo_tablas`). Cada tabla va en una hoja con su nombre y
   los valores de su CSV; los porcentajes que se deducen de los montos de la misma fila
   (ejecución, saldo, eficacia del trimestre, eficiencia, brecha, cumplimiento de una
   operación) son fórmulas, comprobadas contra la tabla antes de escribirse.
2. La cadena de cálculo (`helpers.salida.anexo_cadena`, cuando se pasan los datos): las hojas
   parametros, operaciones, presupuesto, unidades, acp_unidad, acps, areas, servicios y
   entidad rehacen todo con fórmulas desde las metas, lo ejecutado y el devengado de cada
   mes: cumplimiento con su tope, avance físico ponderado por tareas, medias por nivel,
   eficacia, ejecución, eficiencia, brecha, calificación y semáforo, con las reglas y
   umbrales de la hoja parametros. tests/test_anexo_recalculo.py las recalcula en
   LibreOffice y compara cada celda con las tablas.

Los formatos, los estilos y las celdas en XML, comunes a las dos, están en
`helpers.salida.anexo_formatos`. El libro no guarda resultados de sus fórmulas: Excel y
LibreOffice las calculan al abrirlo (`fullCalcOnLoad`).

openpyxl escribe el encabezado, los anchos, los filtros y los estilos de cada hoja; las filas
de datos llegan ya en XML (`FilasXml`) y `guardar_libro` las pone en su hoja al escribir el
zip.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from helpers.calculo.metodologia import EFICIENCIA_EJECUCION_MINIMA, PARTICIPACION_TRIMESTRAL
from helpers.salida.anexo_cadena import escribir_cadena
from helpers.salida.anexo_cadena_hoja import escribir_hoja
from helpers.salida.anexo_cadena_objetivos import HOJAS_OBJETIVOS
from helpers.salida.anexo_cadena_piezas import CELDA_EFICIENCIA_MINIMA, HOJAS_CADENA
from helpers.salida.anexo_formatos import NEGRITA, RELLENO_ENCABEZADO, Estilos, FilasXml
from helpers.salida.anexo_tablas import escribir_tabla, reglas_de_tablas

__all__ = ["HOJA_LEEME", "escribir_anexo", "guardar_libro"]

HOJA_LEEME = "leeme"
_CARACTERES_PROHIBIDOS_HOJA = re.compile(r"[\[\]:*?/\\]")

# Valor por omisión de `participacion_trimestral`: la de `metodologia`, o 25 sin ella.
_SEGUN_METODOLOGIA = object()


def _validar_nombres(tablas: dict[str, pd.DataFrame], reservadas: tuple[str, ...] = ()) -> None:
    """Cada tabla con un nombre de hoja que Excel acepta, sin repetir leeme ni `reservadas`
    (las hojas de la cadena), sin distinguir mayúsculas; si no, ValueError."""
    vistos = {HOJA_LEEME, *(r.lower() for r in reservadas)}
    for nombre in tablas:
        if not isinstance(nombre, str) or not nombre.strip():
            raise ValueError(f"anexo: nombre de hoja inválido: {nombre!r}")
        if len(nombre) > 31 or _CARACTERES_PROHIBIDOS_HOJA.search(nombre) or nombre.startswith("'"):
            raise ValueError(
                f"anexo: '{nombre}' no sirve como nombre de hoja de Excel "
                "(máximo 31 caracteres, sin [ ] : * ? / \\)"
            )
        if nombre.lower() in vistos:
            raise ValueError(f"anexo: hoja repetida o reservada: '{nombre}'")
        vistos.add(nombre.lower())


def _escribir_leeme(ws, formulas: list[tuple[str, str, str]], cadena: bool = False) -> None:
    """La hoja leeme: cómo leer el libro y (hoja, columna, fórmula) de cada columna con
    fórmula; con `cadena`, también cómo se arma la cadena de cálculo."""
    lineas = [
        "Anexo del informe de seguimiento y evaluación del POA",
        "",
        ("Las primeras hojas son las tablas del informe, con el mismo nombre que su archivo "
         "CSV en tablas/ y sus mismos valores."),
        ("Los montos están en bolivianos (Bs). Los porcentajes están en escala 0-100 "
        "(83,6 significa 83,6 %)."),
        ("Los números se muestran con los separadores de la configuración regional de quien "
        "abre el archivo; las celdas guardan la precisión completa."),
        ("Una celda vacía indica un valor no definido (por ejemplo, ejecución con vigente 0, "
        "u operación NO APLICA) o una eficiencia no significativa («n.s.» en el informe: la "
        "ejecución redondeada a 2 decimales es menor que la ejecución mínima de los "
        "parámetros)."),
        ("La eficiencia y la brecha se calculan, como en el informe, sobre la eficacia y la "
         "ejecución redondeadas a 2 decimales (ROUND), las cifras que se imprimen: quien "
         "rehaga la cuenta con ellas obtiene el mismo resultado."),
        ("informe.docx, junto a este anexo, es el informe para editar en Word; una copia "
         "editada se compara con el informe con «informe-poa verificar <carpeta del informe> "
         "--documento <copia.docx>», que nombra cada cifra que ya no coincide."),
        ("En las hojas de tablas, las columnas de la lista siguiente son fórmulas sobre las "
         "columnas de la misma fila, para que pueda verificarlas."),
        ("Las demás columnas de esas hojas son valores: el avance físico de un agregado "
         "(promedio de unidades), la eficacia acumulada (suma de las eficacias trimestrales), "
         "la calificación y el semáforo."),
        ("Las filas TOTAL y las de los grupos de áreas conservan sus montos como valores (no "
         "son sumas de las filas visibles, que mezclan grupos) y llevan las mismas fórmulas de "
         "porcentaje."),
    ]
    if cadena:
        lineas += [
            "",
            ("La cadena de cálculo completa, con fórmulas vivas (un segundo testigo de las "
             "tablas):"),
            ("parametros: las reglas en vigor. Las fórmulas leen de ella la participación de "
             "cada trimestre, la escala de calificación, los umbrales del semáforo y la "
             "ejecución mínima de la eficiencia (también las hojas de tablas); la "
             "agregación, la participación, el tope y la regla de meses sin reporte dan la "
             "forma de las fórmulas (cambiarlas en esa hoja no rehace las fórmulas)."),
            ("operaciones y presupuesto: las filas del libro del POA (metas, ejecutado y "
             "devengado de cada mes, tal como se leyeron) y, por fórmula, lo programado, lo "
             "ejecutado y el cumplimiento de cada periodo (cada trimestre hasta el corte, T1, "
             "T2..., y el acumulado de enero al corte), la ejecución, el saldo y el semáforo."),
            ("unidades: avance físico = Σ(cumplimiento × tareas) / Σ tareas de sus operaciones "
             "que entran en el promedio; vigente y devengado, la suma de sus líneas."),
            ("acp_unidad, acps, areas, servicios y entidad: con agregación promedio_unidades, "
             "la media simple de las filas del nivel de abajo que tienen valor (las unidades "
             "en cada ACP, las unidades del área, las áreas del servicio, los servicios); con "
             "agregación tareas, la media ponderada por tareas de todas sus operaciones."),
            ("En cada nivel, la eficacia de cada trimestre, la acumulada (su suma), la "
             "ejecución (montos sumados, nunca promedios de porcentajes), la eficiencia y la "
             "brecha (sobre la eficacia y la ejecución redondeadas a 2 decimales), la "
             "calificación (sobre el valor redondeado a 2 decimales) y el semáforo."),
            ("Las filas de un grupo se reconocen con EXACT (igualdad exacta de texto, que "
             "distingue mayúsculas y no toma * ? ~ como comodines) dentro de SUMPRODUCT. Un "
             "valor no definido es un texto vacío, que no entra en las medias."),
            "Todas las columnas calculadas de esas hojas figuran en la lista siguiente.",
        ]
    lineas.append("")
    for texto in lineas:
        ws.append([texto])
    ws["A1"].font = Font(bold=True, size=13)
    inicio = ws.max_row + 1
    ws.append(["Hoja", "Columna", "Fórmula"])
    for celda in ws[inicio]:
        celda.font = NEGRITA
        celda.fill = RELLENO_ENCABEZADO
    if formulas:
        for fila in formulas:
            ws.append(list(fila))
    else:
        ws.append(["(ninguna)", "", ""])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 70


def _fecha_zip(fecha: datetime) -> tuple[int, int, int, int, int, int]:
    t = (fecha.year, fecha.month, fecha.day, fecha.hour, fecha.minute, fecha.second)
    return max(t, (1980, 1, 1, 0, 0, 0))


def _partes_de_hoja(xml: bytes, ultima: int) -> tuple[bytes, bytes]:
    """La hoja de openpyxl (sólo el encabezado), partida donde van las filas de datos (antes
    y después de ``</sheetData>``), con su dimensión (A1:Xn) hasta la fila ``ultima``."""
    texto = xml.decode("utf-8")
    if texto.count("</sheetData>") != 1:
        raise ValueError("anexo: hoja sin <sheetData> (no se pueden poner las filas)")
    antes, despues = texto.split("</sheetData>")
    antes = re.sub(
        r'<dimension ref="([A-Z]+)1(?::([A-Z]+)1)?"\s*/>',
        lambda d: f'<dimension ref="A1:{d[2] or d[1]}{ultima}" />',
        antes,
        count=1,
    )
    return antes.encode("utf-8"), ("</sheetData>" + despues).encode("utf-8")


# Compresión de las entradas del xlsx: en un anexo de cientos de MB de XML, el nivel 3 tarda
# menos de la mitad que el 6 de siempre y el archivo crece un 20 %.
_NIVEL_ZIP = 3
# Una entrada que puede pasar de 2 GiB necesita ZIP64 desde su encabezado.
_LIMITE_SIN_ZIP64 = (1 << 31) - (1 << 24)


def _entrada_zip(nombre: str, fecha: datetime) -> zipfile.ZipInfo:
    entrada = zipfile.ZipInfo(nombre, date_time=_fecha_zip(fecha))
    entrada.compress_type = zipfile.ZIP_DEFLATED
    entrada.external_attr = 0o644 << 16
    return entrada


def guardar_libro(
    wb: Workbook, ruta: Path, fecha: datetime, filas: dict[str, FilasXml] | None = None
) -> None:
    """Guarda el libro con la fecha dada en las entradas del zip, de forma atómica: con las
    propiedades `created` y `modified` de esa misma fecha, los mismos datos dan el mismo
    archivo, byte a byte (el anexo y los formularios de las unidades).

    `filas`: hoja -> sus filas de datos, que se ponen tras el encabezado escrito por
    openpyxl, pasándolas del archivo temporal al zip sin leerlas enteras."""
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).save()  # a diferencia de save_workbook, no cambia "modified"
    por_archivo = {wb[hoja].path.lstrip("/"): de_hoja for hoja, de_hoja in (filas or {}).items()}
    ruta.parent.mkdir(parents=True, exist_ok=True)
    fd, temporal = tempfile.mkstemp(prefix=f".{ruta.name}.", suffix=".tmp", dir=ruta.parent)
    try:
        with (
            os.fdopen(fd, "wb") as salida,
            zipfile.ZipFile(memoria, "r") as origen,
            zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED,
                            compresslevel=_NIVEL_ZIP) as destino,
        ):
            for info in origen.infolist():
                contenido = origen.read(info.filename)
                entrada = _entrada_zip(info.filename, fecha)
                de_hoja = por_archivo.get(info.filename)
                if de_hoja is None or not de_hoja.tamano():
                    destino.writestr(entrada, contenido, compresslevel=_NIVEL_ZIP)
                    continue
                antes, despues = _partes_de_hoja(contenido, de_hoja.ultima)
                grande = len(antes) + de_hoja.tamano() + len(despues) > _LIMITE_SIN_ZIP64
                # `open` comprime con el nivel de la entrada (writestr lo pone él).
                entrada._compresslevel = _NIVEL_ZIP
                with destino.open(entrada, "w", force_zip64=grande) as hoja:
                    hoja.write(antes)
                    de_hoja.copiar_en(hoja)
                    hoja.write(despues)
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
    finally:
        for de_hoja in (filas or {}).values():
            de_hoja.cerrar()


def _reglas_en_vigor(
    metodologia, tope_cumplimiento: bool | None, participacion_trimestral,
    eficiencia_ejecucion_minima: float | None,
) -> tuple[bool, float | None, float]:
    """(tope, participación de cada trimestre o None, ejecución mínima de la eficiencia): los
    de `metodologia` o, sin ella, los dados, con los de omisión donde faltan."""
    if metodologia is not None:
        if (tope_cumplimiento is not None or participacion_trimestral is not _SEGUN_METODOLOGIA
                or eficiencia_ejecucion_minima is not None):
            raise ValueError(
                "anexo: con metodologia, el tope, la participación y la ejecución mínima de la "
                "eficiencia salen de ella; no pase tope_cumplimiento, participacion_trimestral "
                "ni eficiencia_ejecucion_minima"
            )
        participacion = (
            PARTICIPACION_TRIMESTRAL if metodologia.participacion == "trimestral_igual" else None
        )
        return (metodologia.tope_cumplimiento, participacion,
                metodologia.eficiencia_ejecucion_minima)
    if tope_cumplimiento is None:
        tope_cumplimiento = True
    if participacion_trimestral is _SEGUN_METODOLOGIA:
        participacion_trimestral = PARTICIPACION_TRIMESTRAL
    if eficiencia_ejecucion_minima is None:
        eficiencia_ejecucion_minima = EFICIENCIA_EJECUCION_MINIMA
    return tope_cumplimiento, participacion_trimestral, eficiencia_ejecucion_minima


def _fecha_utc(fecha: datetime | None) -> datetime:
    """La fecha del libro en UTC, sin zona ni microsegundos (la hora actual si no se da)."""
    if fecha is None:
        fecha = datetime.now(UTC)
    if fecha.tzinfo is not None:
        fecha_utc = fecha.astimezone(UTC).replace(tzinfo=None)
    else:
        fecha_utc = fecha
    return fecha_utc.replace(microsecond=0)


def escribir_anexo(
    tablas: dict[str, pd.DataFrame],
    ruta: Path,
    *,
    datos=None,
    trimestre: int | None = None,
    metodologia=None,
    tope_cumplimiento: bool | None = None,
    participacion_trimestral: float | None | object = _SEGUN_METODOLOGIA,
    eficiencia_ejecucion_minima: float | None = None,
    fecha: datetime | None = None,
    organizacion=None,
    hojas: tuple = (),
) -> Path:
    """Escribe `anexo.xlsx`: una hoja `leeme`, una hoja por tabla en el orden dado y, con
    `datos`, las hojas de la cadena de cálculo (`helpers.salida.anexo_cadena`).

    - `tablas`: nombre de la tabla -> DataFrame de columnas simples (porcentajes 0-100 en
      precisión completa, NaN donde el valor no está definido: celda vacía).
    - `datos`, `trimestre`, `metodologia`: el libro validado (`cargar_datos`), el trimestre
      del corte y las reglas (`Parametros.metodologia`) con que se calcularon las tablas;
      los tres juntos agregan las hojas parametros, operaciones, presupuesto, unidades,
      acp_unidad, acps, areas, servicios y entidad, que rehacen todo con fórmulas.
    - `organizacion`: cómo llama la entidad a su agrupación de áreas (`Parametros.organizacion`;
      por omisión, «servicio»): los títulos de ese nivel en la cadena de cálculo.
    - `tope_cumplimiento`, `participacion_trimestral`, `eficiencia_ejecucion_minima`:
      sólo sin `metodologia` (tablas sueltas); por omisión, con tope, 25 % por trimestre y
      la ejecución mínima de `metodologia.EFICIENCIA_EJECUCION_MINIMA`. El cumplimiento de
      una operación lleva MIN(...; 1) si hay tope; eficacia_trimestre =
      avance_fisico_trimestre × p / 100, y None (participación programada) deja la eficacia
      como valor. La eficiencia y la brecha se calculan sobre ROUND(...; 2) de sus
      operandos; la eficiencia queda vacía («n.s.») con una ejecución redondeada menor que
      la mínima (con la cadena, la fórmula la lee de la hoja parametros).
    - `hojas`: hojas de cálculo ya declaradas (`anexo_cadena_hoja.Hoja`), que van después de
      las tablas (el consolidado por objetivo de un lote: `helpers.salida.anexo_lote`).
    - `fecha`: fecha de creación y modificación del libro (y de las entradas del zip); con
      la misma fecha y los mismos datos, el archivo es idéntico byte a byte.

    Lanza ValueError si una columna que se escribe como fórmula no coincide con el valor
    de la tabla (a 1e-9), si un nombre de hoja no sirve en Excel o si hay valores infinitos.
    """
    ruta = Path(ruta)
    cadena = (datos, trimestre, metodologia)
    if any(x is not None for x in cadena) and not all(x is not None for x in cadena):
        raise ValueError(
            "anexo: la cadena de cálculo necesita datos, trimestre y metodologia juntos"
        )
    tope, participacion, minima = _reglas_en_vigor(
        metodologia, tope_cumplimiento, participacion_trimestral, eficiencia_ejecucion_minima)
    _validar_nombres(tablas, reservadas=(HOJAS_CADENA + HOJAS_OBJETIVOS if datos is not None
                                         else ()) + tuple(h.nombre for h in hojas))
    # Con la cadena, las tablas leen la ejecución mínima de la hoja parametros.
    celda_minima = CELDA_EFICIENCIA_MINIMA if datos is not None else None
    reglas = reglas_de_tablas(tope, participacion, float(minima), celda_minima)
    fecha_utc = _fecha_utc(fecha)

    wb = Workbook()
    leeme = wb.active
    leeme.title = HOJA_LEEME
    formulas: list[tuple[str, str, str]] = []
    filas_xml: dict[str, FilasXml] = {}
    estilos = Estilos(leeme)
    for nombre, df in tablas.items():
        ws = wb.create_sheet(title=nombre)
        con_formula, filas_xml[nombre] = escribir_tabla(ws, nombre, df, reglas, estilos)
        formulas += [(nombre, col, descripcion) for col, descripcion in con_formula]
    if datos is not None:
        # El informe por objetivo: su cálculo, también con fórmulas.
        objetivos = ((tablas["objetivos"], tablas["aportes"])
                     if {"objetivos", "aportes"} <= set(tablas) else None)
        de_la_cadena, de_la_cadena_xml = escribir_cadena(wb, datos, trimestre, metodologia,
                                                           organizacion, objetivos)
        formulas += de_la_cadena
        filas_xml.update(de_la_cadena_xml)
    for hoja in hojas:
        ws = wb.create_sheet(hoja.nombre)
        de_la_hoja, filas_xml[hoja.nombre] = escribir_hoja(ws, hoja, Estilos(ws))
        formulas += de_la_hoja
    _escribir_leeme(leeme, formulas, cadena=datos is not None)
    wb.active = 0
    # Excel y LibreOffice calculan todo al abrir (el archivo no guarda resultados).
    wb.calculation.fullCalcOnLoad = True

    props = wb.properties
    props.creator = "informe-poa"
    props.lastModifiedBy = None
    props.title = "Anexo del informe de seguimiento al POA"
    props.created = fecha_utc
    props.modified = fecha_utc
    guardar_libro(wb, ruta, fecha_utc, filas_xml)
    return ruta
