"""El camino de una unidad de planificación nueva, como lo cuentan el README y
docs/guia-de-uso.md: escribe la plantilla, la llena (aquí con openpyxl, como lo haría en
una hoja de cálculo), la revisa con `informe-poa validar`, lee la copia marcada, corrige el
error, escribe su archivo de parámetros y genera el informe trimestral."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fabrica
import pytest
import yaml
from openpyxl import load_workbook

from helpers.entrada.contrato import HOJAS_OBLIGATORIAS

INFORME_POA = Path(sys.executable).parent / "informe-poa"

pytestmark = pytest.mark.lento


def _informe_poa(carpeta: Path, *argumentos: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(INFORME_POA), *map(str, argumentos)], cwd=carpeta,
                          capture_output=True, text=True, timeout=900)


def _llenar(libro: Path, tablas: dict[str, list[list]]) -> None:
    """Borra la fila de ejemplo de cada hoja y escribe las filas de `tablas` bajo los
    encabezados de la plantilla (por nombre de columna, en el orden de la plantilla)."""
    wb = load_workbook(libro)
    for hoja in wb.sheetnames:
        if hoja not in tablas and hoja != "instrucciones":
            wb[hoja].delete_rows(2, wb[hoja].max_row)
    for hoja, filas in tablas.items():
        ws = wb[hoja]
        ws.delete_rows(2, ws.max_row)
        encabezado = [celda.value for celda in ws[1]]
        for fila in filas[1:]:
            valores = dict(zip(filas[0], fila))
            ws.append([valores.get(columna) for columna in encabezado])
    wb.save(libro)


def _celda(libro: Path, hoja: str, columna: str, valor) -> str:
    """La coordenada (p. ej. «C7») de la primera celda de `columna` que vale `valor`."""
    ws = load_workbook(libro, read_only=True)[hoja]
    filas = ws.iter_rows(values_only=True)
    encabezado = list(next(filas))
    j = encabezado.index(columna)
    for numero, fila in enumerate(filas, start=2):
        if fila[j] == valor:
            return f"{ws.cell(1, j + 1).column_letter}{numero}"
    raise AssertionError(f"{valor!r} no está en {hoja}.{columna}")


def test_de_la_plantilla_al_informe_trimestral(tmp_path):
    # 1. La plantilla.
    # El libro en su carpeta de datos: la carpeta del informe no puede estar dentro de ella.
    carpeta = tmp_path / "datos"
    carpeta.mkdir()
    libro = carpeta / "poa_2024.xlsx"
    hecho = _informe_poa(carpeta, "plantilla", libro.name)
    assert hecho.returncode == 0, hecho.stderr

    # 2. La unidad la llena: las hojas obligatorias y la narrativa, con un código de unidad
    # mal escrito en una operación.
    tablas = {hoja: [list(f) for f in filas]
              for hoja, filas in fabrica.tablas_pequenas().items()
              if hoja in (*HOJAS_OBLIGATORIAS, "narrativa")}
    operaciones = tablas["operaciones"]
    j = operaciones[0].index("codigo_unidad")
    bien = operaciones[1][j]
    mal = f"{bien}-X"
    operaciones[1][j] = mal
    _llenar(libro, tablas)

    # 3. La revisión encuentra el error, lo nombra y lo marca en una copia.
    revision = _informe_poa(carpeta, "validar", libro.name)
    assert revision.returncode == 2, revision.stdout + revision.stderr
    assert "Traceback" not in revision.stdout + revision.stderr
    coordenada = _celda(libro, "operaciones", "codigo_unidad", mal)
    fila = int("".join(c for c in coordenada if c.isdigit()))
    assert f"fila {fila}" in revision.stdout and mal in revision.stdout
    copia = carpeta / "poa_2024-revisado.xlsx"
    assert copia.is_file()
    marcada = load_workbook(copia)
    comentario = marcada["operaciones"][coordenada].comment
    assert comentario is not None and mal in comentario.text
    assert marcada.sheetnames[0] != "operaciones"  # primero, la lista de problemas
    lista = marcada[marcada.sheetnames[0]]
    assert any(mal in str(celda.value) for fila_ in lista.iter_rows() for celda in fila_
               if celda.value is not None)

    # 4. La unidad corrige la celda en su libro (no en la copia) y vuelve a revisar.
    wb = load_workbook(libro)
    wb["operaciones"][coordenada] = bien
    wb.save(libro)
    revision = _informe_poa(carpeta, "validar", libro.name)
    assert revision.returncode == 0, revision.stdout + revision.stderr

    # 5. Su archivo de parámetros, con las claves que pide la guía de uso (rutas absolutas;
    # las relativas se leerían desde la carpeta del archivo).
    params = tmp_path / "params" / "2024-T2.yaml"
    params.parent.mkdir()
    params.write_text(yaml.safe_dump({
        "entidad": {"nombre": "Entidad de prueba", "sigla": "EP"},
        "gestion": 2024,
        "informe": "trimestral",
        "trimestre": 2,
        "datos": str(libro),
        "salida": str(tmp_path / "informes" / "2024-T2"),
    }, allow_unicode=True), encoding="utf-8")

    # 6. El informe.
    informe = _informe_poa(tmp_path, "trimestral", params)
    assert informe.returncode == 0, informe.stdout + informe.stderr
    salida = tmp_path / "informes" / "2024-T2"
    for archivo in ("informe.pdf", "informe.html", "anexo.xlsx", "manifiesto.json"):
        assert (salida / archivo).is_file(), archivo
    assert f"Informe listo en {salida}" in informe.stdout
