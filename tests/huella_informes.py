"""La huella de los informes de la muestra: lo que un cambio de estructura del código no debe
cambiar. Un refactor deja cada informe igual byte a byte en lo que lee un usuario.

De cada informe generado (una carpeta de ``output/``) se toma:

- ``paginas``: cuántas páginas tiene ``informe.pdf``;
- ``texto_pdf``: la huella SHA-256 del texto de cada página;
- ``tablas``: la de cada ``tablas/*.csv``;
- ``anexo``: la de cada hoja de ``anexo.xlsx``, con el valor o la fórmula, el formato de
  número y la negrita de cada celda, y las celdas combinadas.

Antes de tomarla se quitan los espacios y los saltos de línea (el texto es el mismo aunque
una ruta más larga corte una línea en otro lugar) y lo que cambia de una corrida a otra sin
que cambie el informe: la fecha y hora de generación, la carpeta de salida, la huella del
archivo de parámetros (que nombra la carpeta de salida), la carpeta del proyecto, el commit
y si tenía cambios sin confirmar.

``tests/huella_informes.json`` guarda la huella de los informes de ``PARAMS`` hecha con el
código de un commit dado; ``tests/test_huella_informes.py`` los genera otra vez y compara. Si
un cambio debe cambiar un informe, la huella se escribe de nuevo y el commit lo explica::

    .venv/bin/python tests/huella_informes.py escribir        # genera y guarda la huella
    .venv/bin/python tests/huella_informes.py comparar output/2024-T2 ...
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import texto_pdf
import yaml

from helpers.comun.calendario import MESES_NOMBRE

RAIZ = Path(__file__).resolve().parents[1]
ARCHIVO = Path(__file__).with_suffix(".json")
# Un informe de cada tipo sobre el libro de muestra.
PARAMS = ("2024-T2.yaml", "2024-anual.yaml", "2024-formulacion.yaml", "2024-objetivos.yaml",
          "2024-inicial.yaml")
# Y sobre una copia del libro sin las hojas marcos y vinculos (`libro_sin_marcos`): los
# informes de antes de esas hojas, que sólo las usa el informe por objetivo (y la vista por
# objetivo de la rendición, cuando están).
SIN_MARCOS = ("2024-T2.yaml", "2024-anual.yaml")
HOJAS_DE_MARCOS = ("marcos", "vinculos")

_MESES = "|".join(MESES_NOMBRE)
# Sobre el texto sin espacios (ver `neutro`).
_GENERACION = re.compile(
    rf"\d{{1,2}}de(?:{_MESES})de\d{{4}},?\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\(UTC[^)]*\))?"
)
_HORA = re.compile(r"\d{2}:\d{2}:\d{2}")
_COMMIT = re.compile(r"(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])")
_SIN_CONFIRMAR = "concambiossinconfirmar"


def _sha(texto: str) -> str:
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def neutro(texto: str, carpeta: Path, huella_params: str) -> str:
    """``texto`` sin espacios ni saltos de línea (una ruta más larga o más corta corta las
    líneas en otro lugar) y sin lo que cambia de una corrida a otra (ver el docstring del
    módulo)."""
    texto = re.sub(r"\s+", "", texto)
    texto = (texto.replace(str(carpeta), "SALIDA").replace(str(carpeta.parent), "BASE")
             .replace(str(RAIZ), "RAIZ").replace(huella_params, "HUELLA-PARAMS"))
    texto = _GENERACION.sub("FECHA-DE-GENERACION", texto)
    texto = _HORA.sub("HH:MM:SS", texto)
    # Antes que el commit: sin espacios, la «c» de «con» seguiría a sus cifras hexadecimales.
    texto = texto.replace(_SIN_CONFIRMAR, "")
    return _COMMIT.sub("COMMIT", texto)


def _huella_params(carpeta: Path) -> str:
    """La huella del archivo de parámetros según el manifiesto del informe."""
    manifiesto = json.loads((carpeta / "manifiesto.json").read_text(encoding="utf-8"))
    return next(entrada["sha256"] for entrada in manifiesto["entradas"]
                if entrada["ruta"].endswith((".yaml", ".yml")))


def _texto_pdf(carpeta: Path, de_este) -> tuple[int, list[str]]:
    textos = [de_este(texto) for texto in texto_pdf.paginas(carpeta / "informe.pdf")]
    return len(textos), [_sha(texto) for texto in textos]


def _celda(celda, de_este) -> list:
    valor = celda.value
    if isinstance(valor, str):
        valor = de_este(valor)
    elif valor is not None:
        valor = repr(valor)
    negrita = bool(celda.font and celda.font.b)
    return [celda.coordinate, valor, celda.number_format, negrita]


def _anexo(carpeta: Path, de_este) -> dict[str, str]:
    libro = openpyxl.load_workbook(carpeta / "anexo.xlsx")  # fórmulas, no valores guardados
    try:
        return {
            hoja.title: _sha(json.dumps(
                {"celdas": [_celda(celda, de_este) for fila in hoja.iter_rows() for celda in fila
                            if celda.value is not None],
                 "combinadas": sorted(str(rango) for rango in hoja.merged_cells.ranges)},
                ensure_ascii=False,
            ))
            for hoja in libro.worksheets
        }
    finally:
        libro.close()


def huella(carpeta: Path, reemplazos: dict[str, str] | None = None) -> dict:
    """La huella de la carpeta de un informe generado; `reemplazos` (texto → texto, sobre
    el texto ya sin espacios) pone lo que se sabe distinto (otro libro de datos: su nombre y
    su huella en el colofón) como en el informe con que se compara."""
    carpeta = Path(carpeta).resolve()
    huella_params = _huella_params(carpeta)

    def de_este(texto: str) -> str:
        texto = neutro(texto, carpeta, huella_params)
        for antes, despues in (reemplazos or {}).items():
            texto = texto.replace(antes, despues)
        return texto

    paginas, textos = _texto_pdf(carpeta, de_este)
    resultado = {
        "paginas": paginas,
        "texto_pdf": textos,
        "tablas": {csv.name: _sha(de_este(csv.read_text(encoding="utf-8")))
                   for csv in sorted((carpeta / "tablas").glob("*.csv"))},
    }
    if (carpeta / "anexo.xlsx").exists():
        resultado["anexo"] = _anexo(carpeta, de_este)
    return resultado


def carpeta_base() -> Path:
    """Una carpeta temporal nueva, de nombre siempre del mismo largo: las rutas que el
    colofón imprime ocupan lo mismo en cada corrida."""
    return Path(tempfile.mkdtemp(prefix="huella-", dir="/tmp"))


def generar(nombre: str, base: Path, entorno: dict | None = None,
            datos: Path | None = None) -> Path:
    """El informe de ``params/<nombre>`` sobre el libro de muestra (u otro, ``datos``), en
    ``base/<nombre>``: los mismos parámetros, con la salida en ``base``; ``entorno`` se
    agrega a las variables de entorno del proceso que lo genera."""
    params = yaml.safe_load((RAIZ / "params" / nombre).read_text(encoding="utf-8"))
    # La copia queda fuera del proyecto, donde una ruta relativa se lee desde su carpeta.
    params["datos"] = str(datos or RAIZ / params["datos"])
    params["salida"] = str(base / Path(nombre).stem)
    ruta = base / nombre
    ruta.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    resultado = subprocess.run(
        [sys.executable, "-m", "helpers.informe", str(ruta)],
        capture_output=True, text=True, cwd=RAIZ, timeout=1800, check=False,
        env={**os.environ, **(entorno or {})},
    )
    if resultado.returncode != 0:
        raise RuntimeError(f"{nombre}: {resultado.stdout}{resultado.stderr}")
    return Path(params["salida"])


def libro_sin_marcos(base: Path) -> Path:
    """Una copia del libro de muestra sin las hojas marcos y vinculos, con su mismo nombre."""
    origen = RAIZ / yaml.safe_load((RAIZ / "params" / PARAMS[0]).read_text(
        encoding="utf-8"))["datos"]
    libro = openpyxl.load_workbook(origen)
    for hoja in HOJAS_DE_MARCOS:
        del libro[hoja]
    copia = base / origen.name
    libro.save(copia)
    return copia


def huella_sin_marcos(nombre: str) -> dict:
    """La huella del informe de ``params/<nombre>`` sobre `libro_sin_marcos`, generado en
    una `carpeta_base` propia; el colofón, que nombra el libro con su huella, dice el de la
    muestra (es lo único distinto)."""
    base = carpeta_base()
    try:
        copia = libro_sin_marcos(base)
        origen = RAIZ / yaml.safe_load((RAIZ / "params" / nombre).read_text(
            encoding="utf-8"))["datos"]
        carpeta = generar(nombre, base, datos=copia)
        sha = {ruta: hashlib.sha256(ruta.read_bytes()).hexdigest() for ruta in (copia, origen)}
        return huella(carpeta, {sha[copia]: sha[origen],
                                copia.name: str(origen.relative_to(RAIZ))})
    finally:
        shutil.rmtree(base, ignore_errors=True)


def diferencias(guardada: dict, actual: dict) -> list[str]:
    """Qué cambió de ``guardada`` a ``actual`` (la huella de un informe), en palabras."""
    cambios = []
    if guardada["paginas"] != actual["paginas"]:
        cambios.append(f"páginas: {guardada['paginas']} → {actual['paginas']}")
    for numero, (antes, ahora) in enumerate(zip(guardada["texto_pdf"], actual["texto_pdf"]),
                                            start=1):
        if antes != ahora:
            cambios.append(f"texto de la página {numero}")
    for parte in ("tablas", "anexo"):
        antes, ahora = guardada.get(parte, {}), actual.get(parte, {})
        for nombre in sorted(set(antes) | set(ahora)):
            if antes.get(nombre) != ahora.get(nombre):
                cambios.append(f"{parte}: {nombre}")
    return cambios


def _escribir() -> None:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                            cwd=RAIZ, check=False).stdout.strip()
    base = carpeta_base()
    try:
        informes = {nombre: huella(generar(nombre, base)) for nombre in PARAMS}
        sin_marcos = {nombre: huella_sin_marcos(nombre) for nombre in SIN_MARCOS}
    finally:
        shutil.rmtree(base)
    ARCHIVO.write_text(
        json.dumps({"commit": commit, "informes": informes, "sin_marcos": sin_marcos},
                   indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{ARCHIVO.relative_to(RAIZ)}: huella de {len(informes)} informes (commit {commit})")


def _comparar(carpetas: list[str]) -> int:
    guardadas = json.loads(ARCHIVO.read_text(encoding="utf-8"))["informes"]
    distintos = 0
    for carpeta in carpetas:
        nombre = f"{Path(carpeta).name}.yaml"
        cambios = diferencias(guardadas[nombre], huella(Path(carpeta)))
        distintos += bool(cambios)
        print(f"{carpeta}: " + ("igual" if not cambios else "; ".join(cambios)))
    return 1 if distintos else 0


if __name__ == "__main__":
    lector = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ordenes = lector.add_subparsers(dest="orden", required=True)
    ordenes.add_parser("escribir", help="genera los informes de la muestra y guarda su huella")
    comparar = ordenes.add_parser("comparar", help="compara carpetas de informes con la huella")
    comparar.add_argument("carpetas", nargs="+")
    argumentos = lector.parse_args()
    if argumentos.orden == "escribir":
        _escribir()
    else:
        sys.exit(_comparar(argumentos.carpetas))
