"""Las tablas del libro de muestra y su escritura en un .xlsx determinista.

`construir_tablas` encadena las partes del generador (estructura, metas, ajuste,
reformulación, presupuesto) y las hojas que salen directamente del catálogo; entra la
semilla y sale hoja -> filas (dicts con las columnas del contrato) y las metas de avance.
`escribir_libro` escribe esas tablas con openpyxl: anchos de columna, formatos de montos y
fechas, propiedades y fechas del zip fijas, de modo que el mismo contenido da el mismo
archivo byte a byte.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from . import catalogo as cat
from .ajuste import ajustar_operaciones
from .comun import COLUMNAS, FECHA_LIBRO, MESES, SEMILLA, leer_csv
from .estructura import construir_operaciones, construir_unidades, elegir_operaciones_fijas
from .metas import metas_exterior
from .presupuesto import agregar_historia_presupuesto, construir_ingresos, construir_presupuesto
from .reformulacion import agregar_bajas, construir_reformulaciones

# Volumen de servicios de cada tipo de oficina consular, como parte del de un consulado general.
ESCALA_CONSULAR = {"Consulado General": 1.0, "Consulado": 0.55, "Viceconsulado": 0.25}


def construir_tablas(rng_semilla: int = SEMILLA) -> tuple[dict, dict]:
    """Hoja -> filas del libro, y (unidad, trimestre) -> avance objetivo."""
    rng = np.random.default_rng(rng_semilla)
    ref_unidades = leer_csv("mre-2024-unidades.csv")
    unidades = construir_unidades(ref_unidades)
    elegir_operaciones_fijas(rng, unidades)
    ops = construir_operaciones(rng, unidades)
    metas_ext = metas_exterior(rng, unidades)
    metas = ajustar_operaciones(rng, ops, unidades, ref_unidades, metas_ext)
    ops = agregar_bajas(ops, unidades)
    presupuesto = construir_presupuesto(rng, unidades)
    agregar_historia_presupuesto(presupuesto, unidades)
    tablas = {
        "unidades": [{k: u[k] for k in COLUMNAS["unidades"]} for u in unidades],
        "areas": [dict(f) for f in cat.AREAS],
        "acp": [dict(f) for f in cat.ACPS],
        "operaciones": filas_operaciones(ops),
        "presupuesto": presupuesto,
        "narrativa": [dict(f) for f in cat.NARRATIVA],
        "historico": [dict(f) for f in cat.HISTORICO],
        "articulacion": [dict(f) for f in cat.ARTICULACION],
        "estadisticas": construir_estadisticas(unidades),
        "ingresos": construir_ingresos(),
        "reformulaciones": construir_reformulaciones(ops),
    }
    return tablas, metas


def filas_operaciones(ops: list[dict]) -> list[dict]:
    filas = []
    for o in ops:
        fila = {k: o[k] for k in COLUMNAS["operaciones"][:9]}
        fila.update({f"prog_{m:02d}": o["prog"][m - 1] for m in MESES})
        fila.update({f"ejec_{m:02d}": o["ejec"][m - 1] for m in MESES})
        filas.append(fila)
    return filas


def pais(nombre: str) -> str:
    """'Consulado de Bolivia en Sevilla (España)' -> 'España'; sin paréntesis, el nombre."""
    return nombre.rsplit("(", 1)[-1].rstrip(")") if "(" in nombre else nombre


def construir_estadisticas(unidades: list[dict]) -> list[dict]:
    """Servicios de cada oficina consular por mes, desagregados por su país. Un generador
    propio (semilla derivada): agregar esta hoja no cambia las demás."""
    rng = np.random.default_rng(SEMILLA + 1)
    filas = []
    for u in unidades:
        if u["tipo"] not in cat.TIPOS_CON_ESTADISTICAS:
            continue
        for indicador, volumen in cat.SERVICIOS_CONSULARES:
            base = volumen * ESCALA_CONSULAR[u["tipo"]] * rng.uniform(0.6, 1.4)
            for mes in MESES:
                # Más trámites a mitad y a fin de año (vacaciones, regularizaciones).
                estacion = 1.0 + 0.25 * (mes in (6, 7, 11, 12))
                valor = int(round(base * estacion * rng.uniform(0.8, 1.2)))
                filas.append({"codigo_unidad": u["codigo_unidad"], "indicador": indicador,
                              "desagregacion": pais(u["nombre"]), "mes": mes, "valor": valor})
    return filas


# ----------------------------------------------------------------------------------------
# Escritura
# ----------------------------------------------------------------------------------------
def escribir_libro(tablas: dict, salida: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for nombre, columnas in COLUMNAS.items():
        ws = wb.create_sheet(nombre)
        ws.append(columnas)
        for fila in tablas[nombre]:
            ws.append([fila[c] for c in columnas])
        ws.freeze_panes = "A2"
        fijar_anchos(ws, columnas, tablas[nombre])
        dar_formatos(ws, nombre, columnas)
    wb.properties.creator = "informe-poa"
    wb.properties.lastModifiedBy = "informe-poa"
    wb.properties.title = cat.TITULO_DEL_LIBRO
    wb.properties.created = FECHA_LIBRO
    wb.properties.modified = FECHA_LIBRO
    crudo = io.BytesIO()
    with zipfile.ZipFile(crudo, "w", zipfile.ZIP_DEFLATED) as archivo:
        ExcelWriter(wb, archivo).save()
    salida.parent.mkdir(parents=True, exist_ok=True)
    fijar_fechas_del_zip(crudo.getvalue(), salida)


def fijar_anchos(ws, columnas: list[str], filas: list[dict]) -> None:
    """Cada columna, tan ancha como su texto más largo (entre 8 y 60 caracteres)."""
    for j, c in enumerate(columnas, start=1):
        largo = max([len(c)] + [len(str(f[c])) for f in filas if f[c] is not None])
        ws.column_dimensions[get_column_letter(j)].width = min(max(largo + 2, 8), 60)


def dar_formatos(ws, nombre: str, columnas: list[str]) -> None:
    """Montos con separador de miles y dos decimales; fechas dd/mm/aaaa."""
    if nombre in ("presupuesto", "ingresos"):
        # Montos: desde la primera columna de montos (inicial o vigente) hasta el final.
        primera = min(columnas.index(c) for c in ("inicial", "vigente") if c in columnas) + 1
        for fila in ws.iter_rows(min_row=2, min_col=primera, max_col=len(columnas)):
            for celda in fila:
                celda.number_format = "#,##0.00"
    if "fecha" in columnas:
        j = columnas.index("fecha") + 1
        for fila in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            fila[0].number_format = "dd/mm/yyyy"


def fijar_fechas_del_zip(crudo: bytes, salida: Path) -> None:
    """Copia el zip `crudo` en `salida` con fechas y permisos fijos en cada archivo: el
    libro no cambia si el contenido no cambia."""
    fecha_zip = FECHA_LIBRO.timetuple()[:6]
    with (
        zipfile.ZipFile(io.BytesIO(crudo)) as origen,
        zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED) as destino,
    ):
        for info in origen.infolist():
            nuevo = zipfile.ZipInfo(info.filename, date_time=fecha_zip)
            nuevo.compress_type = zipfile.ZIP_DEFLATED
            nuevo.external_attr = 0o600 << 16
            destino.writestr(nuevo, origen.read(info.filename))
