"""Genera un libro del POA grande: la muestra repetida `factor` veces (pruebas de escala).

Uso:  .venv/bin/python scripts/generar_grande.py --factor 10 --salida /tmp/poa_x10.xlsx

La copia 1 es la muestra tal cual (`data/2024/poa_2024.xlsx`, leída con `cargar_datos`);
cada copia k >= 2 repite sus unidades, operaciones, líneas de presupuesto, narrativa,
estadísticas y cambios de reformulación con:

- códigos nuevos: unidad y operación con el sufijo `-Kkk` (`DGAA-K02`, `OP-DGAA-01-K02`), el
  nombre de la unidad con «(copia k)» y la categoría programática con k en el grupo del
  proyecto (`570 0 004` -> `570 002 004`), así la pareja categoría y fuente no se repite;
- las mismas áreas y ACP: sigue siendo una sola entidad, con muchas más unidades;
- variaciones pequeñas y deterministas (semilla derivada de k, de modo que el libro de
  factor 10 es el comienzo del de factor 100): lo ejecutado (±1 en los meses con ejecución),
  el devengado (entre 90 % y 100 % de la muestra) y los valores de estadísticas (±10 %,
  redondeados a enteros). La programación, las tareas y la historia del presupuesto no
  cambian: la cadena de cada reformulación (el `nuevo` del último cambio es el valor de la
  hoja operaciones) se cumple también en las copias.

Las hojas acp, areas, articulacion, historico e ingresos no dependen de las unidades y se
copian una vez. El libro lo escribe XlsxWriter y es determinista byte a byte (la fecha de
creación es la de la muestra y XlsxWriter fija las fechas dentro del zip).
`generar(factor, salida)` hace lo mismo desde Python (para las mediciones de rendimiento).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format

from helpers.comun.literal import PREFIJOS_FORMULA
from helpers.entrada.contrato import (
    COLUMNAS_DEV,
    COLUMNAS_EJEC,
    CONTRATO,
    HOJAS,
    HOJAS_OBLIGATORIAS,
)
from helpers.entrada.datos import Datos, cargar_datos

# La semilla y la fecha del libro son las de la muestra (una sola definición, en la parte
# común de su generador: importarla no lee el catálogo).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from muestra.comun import FECHA_LIBRO, SEMILLA

RAIZ = Path(__file__).resolve().parents[1]
MUESTRA = RAIZ / "data" / "2024" / "poa_2024.xlsx"

# Hojas que se repiten en cada copia (las que dependen de las unidades o de las operaciones).
HOJAS_QUE_ESCALAN = (
    "unidades", "operaciones", "presupuesto", "narrativa", "estadisticas", "reformulaciones",
)
# Una categoría programática de tres grupos: programa, proyecto, actividad.
_CATEGORIA = r"^(\S+) (\S+) (\S+)$"


def sufijo(k: int) -> str:
    """El sufijo de los códigos de la copia k (la copia 1 no lleva)."""
    return "" if k == 1 else f"-K{k:02d}"


def _copia(tablas: dict[str, pd.DataFrame], k: int) -> dict[str, pd.DataFrame]:
    """Las tablas de las hojas que escalan para la copia k >= 2 (operaciones vectorizadas)."""
    rng = np.random.default_rng([SEMILLA, k])
    s = sufijo(k)
    copia = {hoja: tablas[hoja].copy() for hoja in HOJAS_QUE_ESCALAN}
    for hoja in ("unidades", "operaciones", "presupuesto", "narrativa", "estadisticas"):
        copia[hoja]["codigo_unidad"] = copia[hoja]["codigo_unidad"] + s
    copia["unidades"]["nombre"] = copia["unidades"]["nombre"] + f" (copia {k})"
    for hoja in ("operaciones", "reformulaciones"):
        copia[hoja]["codigo_operacion"] = copia[hoja]["codigo_operacion"] + s

    ops = copia["operaciones"]
    ejec = list(COLUMNAS_EJEC)
    valores = ops[ejec].to_numpy()
    variados = np.maximum(valores + rng.integers(-1, 2, size=valores.shape), 0)
    ops[ejec] = np.where(valores > 0, variados, valores)  # vacío (sin reporte) y 0 quedan

    pres = copia["presupuesto"]
    pres["categoria_programatica"] = pres["categoria_programatica"].str.replace(
        _CATEGORIA, rf"\1 \g<2>{k:02d} \3", regex=True)
    dev = list(COLUMNAS_DEV)
    pres[dev] = np.round(pres[dev].to_numpy() * rng.uniform(0.9, 1.0, (len(pres), len(dev))), 2)

    est = copia["estadisticas"]
    est["valor"] = np.round(est["valor"].to_numpy() * rng.uniform(0.9, 1.1, len(est)))
    return copia


def tablas_grandes(datos: Datos, factor: int) -> dict[str, pd.DataFrame]:
    """Hoja -> tabla (sin la columna `fila`) del libro con `factor` copias de `datos`."""
    if factor < 1:
        raise ValueError(f"el factor debe ser un entero mayor o igual a 1, no {factor}")
    tablas = {hoja: getattr(datos, hoja).drop(columns="fila") for hoja in HOJAS}
    categorias = tablas["presupuesto"]["categoria_programatica"]
    if factor > 1 and not categorias.str.fullmatch(_CATEGORIA).all():
        raise ValueError("cada categoria_programatica del libro de origen debe tener tres "
                         "grupos (programa, proyecto y actividad, como 570 0 004)")
    copias = [tablas] + [_copia(tablas, k) for k in range(2, factor + 1)]
    return {
        hoja: pd.concat([c[hoja] for c in copias], ignore_index=True)
        if hoja in HOJAS_QUE_ESCALAN else tablas[hoja]
        for hoja in HOJAS
    }


# Formatos de celda, como en la muestra: fechas dd/mm/aaaa, montos con separador de miles y
# el prefijo de comilla (lo que Excel pone tras un apóstrofo) en los textos que empiezan como
# una fórmula. Un texto se escribe siempre con write_string: nunca es fórmula.
_FORMATO_FECHA = "dd/mm/yyyy"
_FORMATO_MONTO = "#,##0.00"
_HOJAS_DE_MONTOS = ("presupuesto", "ingresos")


def _tipo(hoja: str, serie: pd.Series) -> str:
    """El tipo de la columna en el contrato; el de sus datos si el contrato no la tiene (el
    libro de origen puede traer columnas de más, que `cargar_datos` conserva)."""
    contrato = {c.nombre: c.tipo for c in CONTRATO[hoja]}
    if serie.name in contrato:
        return contrato[serie.name]
    return {"f": "numero", "i": "entero", "M": "fecha"}.get(serie.dtype.kind, "texto")


def _columna(hoja: str, serie: pd.Series,
             formatos: dict[str, Format]) -> tuple[str, list, list]:
    """El método de escritura de una columna (según su tipo) y, por fila, el valor (None: la
    celda queda vacía) y el formato."""
    n = len(serie)
    tipo = _tipo(hoja, serie)
    if tipo == "texto":
        valores = [None if pd.isna(v) or v == "" else v for v in serie.tolist()]
        estilos = [formatos["prefijo"] if v is not None and v.startswith(PREFIJOS_FORMULA)
                   else None for v in valores]
        return "write_string", valores, estilos
    if tipo == "fecha":
        valores = [None if pd.isna(v) else v.to_pydatetime() for v in serie]
        return "write_datetime", valores, [formatos["fecha"]] * n
    monto = hoja in _HOJAS_DE_MONTOS and tipo == "numero"
    valores = serie.astype(object).where(serie.notna(), None).tolist()
    return "write_number", valores, [formatos["monto"] if monto else None] * n


def _escribir_hoja(libro: xlsxwriter.Workbook, hoja: str, tabla: pd.DataFrame,
                   formatos: dict[str, Format]) -> None:
    hoja_xl = libro.add_worksheet(hoja)
    hoja_xl.freeze_panes(1, 0)  # el encabezado queda fijo
    columnas = [_columna(hoja, tabla[nombre], formatos) for nombre in tabla.columns]
    for j, nombre in enumerate(tabla.columns):
        hoja_xl.write_string(0, j, nombre)
    metodos = [getattr(hoja_xl, metodo) for metodo, _, _ in columnas]
    valores = zip(*(v for _, v, _ in columnas))
    estilos = zip(*(e for _, _, e in columnas))
    for i, (fila, formatos_fila) in enumerate(zip(valores, estilos), start=1):
        for j, (escribir_celda, valor, formato) in enumerate(
                zip(metodos, fila, formatos_fila)):
            if valor is not None:
                escribir_celda(i, j, valor, formato)


def escribir(tablas: dict[str, pd.DataFrame], salida: Path) -> Path:
    """Escribe el libro .xlsx con XlsxWriter y devuelve `salida`. Determinista byte a byte:
    XlsxWriter fija las fechas del zip y la fecha de creación es `FECHA_LIBRO`."""
    salida = Path(salida)
    salida.parent.mkdir(parents=True, exist_ok=True)
    hojas = [h for h in HOJAS if h in HOJAS_OBLIGATORIAS or not tablas[h].empty]
    # Sin constant_memory: ese modo pone cada texto en su celda (inlineStr) y openpyxl lee
    # así el libro un 30 % más lento que con la tabla de textos compartidos que escribe Excel;
    # la medición de la lectura sería la de un libro que nadie entrega. El costo: el libro
    # queda en memoria hasta close() (unos 30 MB por cada 10 copias de la muestra).
    libro = xlsxwriter.Workbook(str(salida))
    libro.set_properties({
        "title": "POA de prueba de escala (la muestra repetida)",
        "author": "informe-poa",
        "created": FECHA_LIBRO,
    })
    formatos = {
        "fecha": libro.add_format({"num_format": _FORMATO_FECHA}),
        "monto": libro.add_format({"num_format": _FORMATO_MONTO}),
        "prefijo": libro.add_format({"quote_prefix": True}),
    }
    for hoja in hojas:  # una hoja opcional vacía no se escribe
        _escribir_hoja(libro, hoja, tablas[hoja], formatos)
    libro.close()  # recién aquí se escribe el archivo: un error antes no deja un libro a medias
    return salida


def generar(factor: int, salida: Path, origen: Path = MUESTRA) -> Path:
    """Escribe en `salida` el libro de `origen` (la muestra) repetido `factor` veces."""
    return escribir(tablas_grandes(cargar_datos(origen), factor), salida)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factor", type=int, required=True,
                        help="cuántas veces se repite la muestra (1 = la muestra misma)")
    parser.add_argument("--salida", type=Path, required=True, help="libro .xlsx a escribir")
    parser.add_argument("--origen", type=Path, default=MUESTRA,
                        help=f"libro que se repite (por defecto {MUESTRA.relative_to(RAIZ)})")
    args = parser.parse_args(argv)
    if args.factor < 1:
        parser.error(f"--factor debe ser un entero mayor o igual a 1, no {args.factor}")
    inicio = time.perf_counter()
    tablas = tablas_grandes(cargar_datos(args.origen), args.factor)
    escribir(tablas, args.salida)
    print(f"{args.salida}: {len(tablas['unidades'])} unidades, "
          f"{len(tablas['operaciones'])} operaciones, {len(tablas['presupuesto'])} líneas de "
          f"presupuesto, {len(tablas['estadisticas'])} filas de estadísticas; "
          f"{args.salida.stat().st_size / 1e6:.1f} MB en {time.perf_counter() - inicio:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
