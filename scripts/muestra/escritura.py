"""La escritura de un libro de muestra en un .xlsx determinista.

Entran las tablas (hoja -> filas, dicts con las columnas del contrato), el título del libro,
su fecha y la ruta (la de la línea de órdenes del generador: `ruta_de_salida`); sale el
.xlsx, escrito con openpyxl: las hojas en el orden del contrato, anchos de columna, formatos
de montos y fechas, propiedades y fechas del zip fijas, de modo que el mismo contenido da el
mismo archivo byte a byte. Lo comparten los generadores de las dos muestras.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from .comun import COLUMNAS, RAIZ


def ruta_de_salida(argv: list[str] | None, descripcion: str, por_defecto: Path) -> Path:
    """El libro que pide escribir la línea de órdenes de un generador (`--salida`), o
    `por_defecto`."""
    parser = argparse.ArgumentParser(description=descripcion)
    parser.add_argument(
        "--salida",
        type=Path,
        default=por_defecto,
        help=f"libro a escribir (por defecto {por_defecto.relative_to(RAIZ)})",
    )
    return parser.parse_args(argv).salida


def escribir_libro(tablas: dict, salida: Path, titulo: str, fecha: dt.datetime) -> None:
    """Escribe `tablas` en `salida`, con `titulo` y `fecha` en las propiedades del libro y
    `fecha` en cada archivo del zip."""
    wb = Workbook()
    wb.remove(wb.active)
    for nombre, columnas in COLUMNAS.items():
        ws = wb.create_sheet(nombre)
        ws.append(columnas)
        # Una columna opcional que una muestra no usa (grupo_gasto) queda vacía.
        for fila in tablas[nombre]:
            ws.append([fila.get(c) for c in columnas])
        ws.freeze_panes = "A2"
        fijar_anchos(ws, columnas, tablas[nombre])
        dar_formatos(ws, nombre, columnas)
    wb.properties.creator = "informe-poa"
    wb.properties.lastModifiedBy = "informe-poa"
    wb.properties.title = titulo
    wb.properties.created = fecha
    wb.properties.modified = fecha
    crudo = io.BytesIO()
    with zipfile.ZipFile(crudo, "w", zipfile.ZIP_DEFLATED) as archivo:
        ExcelWriter(wb, archivo).save()
    salida.parent.mkdir(parents=True, exist_ok=True)
    fijar_fechas_del_zip(crudo.getvalue(), salida, fecha)


def fijar_anchos(ws, columnas: list[str], filas: list[dict]) -> None:
    """Cada columna, tan ancha como su texto más largo (entre 8 y 60 caracteres)."""
    for j, c in enumerate(columnas, start=1):
        largo = max([len(c)] + [len(str(f[c])) for f in filas if f.get(c) is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(max(largo + 2, 8), 60)


def dar_formatos(ws, nombre: str, columnas: list[str]) -> None:
    """Montos con separador de miles y dos decimales; fechas dd/mm/aaaa."""
    if nombre in ("presupuesto", "ingresos"):
        # Montos: desde la primera columna de montos (inicial o vigente) hasta el final.
        primera = min(columnas.index(c) for c in ("inicial", "vigente") if c in columnas) + 1
        for fila in ws.iter_rows(min_row=2, min_col=primera, max_col=len(columnas)):
            for celda in fila:
                celda.number_format = "#,##0.00"
    for columna in ("fecha", "plazo"):
        if columna in columnas:
            j = columnas.index(columna) + 1
            for fila in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                fila[0].number_format = "dd/mm/yyyy"


def fijar_fechas_del_zip(crudo: bytes, salida: Path, fecha: dt.datetime) -> None:
    """Copia el zip `crudo` en `salida` con la `fecha` y permisos fijos en cada archivo: el
    libro no cambia si el contenido no cambia."""
    fecha_zip = fecha.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(crudo)) as origen,
        zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino,
    ):
        for info in origen.infolist():
            nuevo = zipfile.ZipInfo(info.filename, date_time=fecha_zip)
            nuevo.compress_type = zipfile.ZIP_DEFLATED
            nuevo.external_attr = 0o600 << 16
            destino.writestr(nuevo, origen.read(info.filename))
