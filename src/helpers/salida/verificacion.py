"""Verificación de un informe ya generado, para un auditor:

    informe-poa verificar output/2024-T2      (o: make verify OUTPUT=output/2024-T2)

Con el manifiesto de la carpeta comprueba, y da un veredicto por línea:

1. cada archivo de entrada (datos y parámetros), de salida y de código (`src/helpers/**`,
   los cuadernos) tiene el SHA-256 que guardó el manifiesto;
2. las tablas, calculadas de nuevo con los parámetros y los datos validados que guarda el
   informe (`entrada/`), son byte a byte las de `tablas/*.csv`;
3. cada cuaderno archivado (`notebooks/`), ejecutado otra vez en un kernel nuevo sobre una
   copia de `entrada/` y de `notebooks/`, da las mismas salidas, celda por celda (nbval, en
   modo estricto): la memoria de cálculo primero, que vuelve a escribir `calculo/`.

Dice cuántas comprobaciones hizo de cada clase y nombra cada una que no coincide
(`--detallado`: también cada una que coincide; `--silencioso`: sólo las que no coinciden y la
línea final). Termina con código 0 sólo si todo coincide; 1 si algo difiere; 2 si la carpeta
no es un informe (no tiene manifiesto) o sus entradas ya no se pueden leer.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from helpers.entrada.errores import ErrorDeEntrada
from helpers.ipykernel_sin_depurador import entorno_propio
from helpers.rutas import PROGRAMA
from helpers.salida.manifiesto import NOMBRE, comprobar_manifiesto

__all__ = ["Veredicto", "lineas", "orden_de_nbval", "verificar"]

_GRUPOS = {"entrada": "entrada", "salida": "salida", "codigo": "código"}
_SEGUNDOS_CUADERNOS = 1800


@dataclass(frozen=True)
class Veredicto:
    """Lo que se comprobó (`que`: entrada, salida, código o tabla), de qué archivo, y si
    coincide; `detalle` dice qué pasó cuando no."""

    que: str
    nombre: str
    coincide: bool
    detalle: str = ""

    def __str__(self) -> str:
        marca = "coincide" if self.coincide else f"NO COINCIDE: {self.detalle}"
        return f"{self.que:<8} {self.nombre}: {marca}"


def _tablas_de_nuevo(carpeta: Path, destino: Path) -> None:
    """Calcula otra vez las tablas con los parámetros y los datos guardados en el informe."""
    from helpers.calculo.reexpresiones import del_informe
    from helpers.preparacion import leer_entrada, preparar
    from helpers.salida.tablas_csv import escribir_tablas

    parametros, datos = leer_entrada(carpeta)
    tablas = preparar(parametros, datos).tablas
    _, cambios = del_informe(parametros, datos, carpeta)
    if cambios is not None:  # como en la memoria de cálculo
        tablas["reexpresiones"] = cambios
    escribir_tablas(tablas, destino)


def _cuadernos_de_nuevo(carpeta: Path) -> list[Veredicto]:
    """Ejecuta otra vez los cuadernos archivados sobre una copia de la carpeta y compara sus
    salidas con nbval: un veredicto por cuaderno."""
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    from helpers.entrada.parametros import cargar_parametros
    from helpers.preparacion import PARAMETROS

    # La memoria de cálculo primero: escribe lo que leen las demás.
    memoria = cargar_parametros(carpeta / PARAMETROS, raiz=carpeta).tipo.memoria.archivo
    archivados = sorted((carpeta / "notebooks").glob("*.ipynb"),
                        key=lambda r: (r.name != memoria, r.name))
    if not archivados:
        return [Veredicto("cuaderno", "notebooks/", False, "el informe no tiene cuadernos")]
    with tempfile.TemporaryDirectory(prefix="informe-poa-cuadernos-") as temporal:
        copia = Path(temporal) / "informe"
        shutil.copytree(carpeta / "entrada", copia / "entrada")
        (copia / "notebooks").mkdir()
        for cuaderno in archivados:
            shutil.copy2(cuaderno, copia / "notebooks" / cuaderno.name)
        informe_xml = Path(temporal) / "nbval.xml"
        orden = orden_de_nbval(copia, informe_xml,
                               [f"notebooks/{c.name}" for c in archivados])
        # Sin las variables de pytest de quien llama (PYTEST_ADDOPTS, PYTEST_PLUGINS…): otras
        # opciones o complementos cambiarían la comprobación o escribirían su informe en otro
        # lugar (un --junitxml de afuera reemplazaría el de aquí).
        # Sus kernels, como los de la corrida (`entorno_propio`): sin la configuración de
        # matplotlib de quien verifica, y con una carpeta de IPython nueva, sin su perfil ni sus
        # archivos de arranque.
        entorno = {**entorno_propio({k: v for k, v in os.environ.items()
                                     if not k.startswith("PYTEST_")}),
                   "IPYTHONDIR": str(Path(temporal) / "ipython")}
        subprocess.run(orden, cwd=copia, capture_output=True, text=True, env=entorno,
                       timeout=_SEGUNDOS_CUADERNOS, check=False)
        fallos: dict[str, str] = {}
        celdas: dict[str, int] = {}
        if informe_xml.exists():
            for caso in ET.parse(informe_xml).iter("testcase"):
                nombre = next((c.name for c in archivados
                               if caso.get("classname", "").endswith(c.name)), None)
                if nombre is None:
                    continue
                celdas[nombre] = celdas.get(nombre, 0) + 1
                problema = caso.find("failure")
                if problema is None:
                    problema = caso.find("error")
                if problema is not None and nombre not in fallos:
                    fallos[nombre] = f"{caso.get('name')}: {_primera_linea(problema)}"
    veredictos = []
    for cuaderno in archivados:
        nombre = cuaderno.name
        if nombre in fallos:
            veredictos.append(Veredicto("cuaderno", nombre, False, fallos[nombre]))
        elif not celdas.get(nombre):
            veredictos.append(Veredicto("cuaderno", nombre, False, "no se pudo volver a ejecutar"))
        else:
            veredictos.append(Veredicto("cuaderno", nombre, True))
    return veredictos


def orden_de_nbval(carpeta: Path, informe_xml: Path, cuadernos: list[str]) -> list[str]:
    """La orden con que pytest vuelve a ejecutar `cuadernos` (rutas relativas a `carpeta`, su
    carpeta de trabajo) con nbval y deja su informe JUnit en `informe_xml`."""
    # `helpers` antes que nbval: sin rfc3987-syntax (`helpers/__init__.py`), 1 s menos; por
    # un módulo chico, que pytest no reescriba el paquete (pyproject.toml, addopts). Los
    # kernels, por enchufes privados (`helpers.kernels_de_nbval`).
    return [sys.executable, "-m", "pytest", "-p", "helpers.rutas", "-p",
            "helpers.kernels_de_nbval", "--nbval", "-p", "no:cacheprovider", "-q",
            "--rootdir", str(carpeta), f"--junitxml={informe_xml}", *cuadernos]


def _primera_linea(problema) -> str:
    """Lo esencial del informe de nbval: el mensaje, o la primera línea con contenido."""
    texto = (problema.get("message") or "") + "\n" + (problema.text or "")
    lineas = [linea.strip() for linea in texto.splitlines() if linea.strip()]
    return lineas[0][:300] if lineas else "las salidas no coinciden"


def verificar(carpeta: Path, proyecto: Path = PROGRAMA, cuadernos: bool = True) -> list[Veredicto]:
    """Los veredictos de la carpeta de un informe (ver el docstring del módulo)."""
    carpeta = Path(carpeta)
    ruta = carpeta / NOMBRE
    veredictos = [
        Veredicto(_GRUPOS[c.grupo], c.ruta, c.coincide, c.estado)
        for c in comprobar_manifiesto(ruta, proyecto=proyecto)
    ]
    with tempfile.TemporaryDirectory(prefix="informe-poa-verificacion-") as temporal:
        nuevas = Path(temporal)
        _tablas_de_nuevo(carpeta, nuevas)
        archivadas = {p.name for p in (carpeta / "tablas").glob("*.csv")}
        for nombre in sorted(archivadas | {p.name for p in nuevas.glob("*.csv")}):
            antes, ahora = carpeta / "tablas" / nombre, nuevas / nombre
            if not ahora.exists():
                veredictos.append(Veredicto("tabla", nombre, False, "el cálculo no la produce"))
            elif not antes.exists():
                veredictos.append(Veredicto("tabla", nombre, False, "falta en el informe"))
            else:
                diferencia = _primera_diferencia(antes, ahora)
                veredictos.append(Veredicto("tabla", nombre, diferencia is None, diferencia or ""))
    if cuadernos:
        veredictos.extend(_cuadernos_de_nuevo(carpeta))
    return veredictos


def _primera_diferencia(archivada: Path, calculada: Path) -> str | None:
    """La primera línea en que difieren dos CSV, para nombrar la cifra alterada."""
    a = archivada.read_text(encoding="utf-8").splitlines()
    b = calculada.read_text(encoding="utf-8").splitlines()
    for numero, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return f"línea {numero}: el informe dice «{x}», el cálculo da «{y}»"
    if len(a) != len(b):
        return f"el informe tiene {len(a)} líneas y el cálculo {len(b)}"
    return None


# Cada clase de comprobación en el resumen, en el orden en que se hacen: cómo se nombra
# (plural) y la concordancia de «todas/todos coinciden».
_CLASES = {
    "entrada": ("entradas (datos y parámetros)", "todas"),
    "salida": ("salidas (archivos del informe)", "todas"),
    "código": ("archivos de código", "todos"),
    "tabla": ("tablas calculadas de nuevo", "todas"),
    "cuaderno": ("cuadernos ejecutados de nuevo", "todos"),
}
RESUMEN, DETALLADO, SILENCIOSO = "normal", "detallado", "silencioso"


def lineas(veredictos: list[Veredicto], carpeta: Path, nivel: str = RESUMEN,
           cuadernos: bool = True) -> list[str]:
    """Lo que la verificación dice de `veredictos`, según el nivel: `normal`, cuántas
    comprobaciones de cada clase y cuáles no coinciden, nombradas una por una; `detallado`,
    antes cada comprobación en su línea; `silencioso`, sólo las que no coinciden. Siempre
    termina con la línea final: cuántas comprobaciones y si todo coincide. `cuadernos`: si
    se volvieron a ejecutar (sin ellos, el resumen lo dice)."""
    distintos = [v for v in veredictos if not v.coincide]
    if nivel == DETALLADO:
        salida = [str(v) for v in veredictos]
    elif nivel == SILENCIOSO:
        salida = [str(v) for v in distintos]
    else:
        salida = []
    if nivel != SILENCIOSO:
        salida.append(f"Comprobado en {carpeta}:")
        salida += _resumen_por_clase(veredictos)
        if not cuadernos:
            salida.append(f"  {_CLASES['cuaderno'][0]}: ninguno (--sin-cuadernos)")
    salida.append(
        f"Verificación de {carpeta}: {len(veredictos)} comprobaciones, "
        + ("todo coincide." if not distintos else
           f"{len(distintos)} no {'coincide' if len(distintos) == 1 else 'coinciden'}.")
    )
    return salida


def _resumen_por_clase(veredictos: list[Veredicto]) -> list[str]:
    """Una línea por clase de comprobación (entradas, salidas, código, tablas, cuadernos):
    cuántas, y debajo cada una que no coincide con lo que pasó."""
    salida = []
    clases = [*_CLASES, *sorted({v.que for v in veredictos} - set(_CLASES))]
    for que in clases:
        de_la_clase = [v for v in veredictos if v.que == que]
        if not de_la_clase:
            continue
        nombre, todas = _CLASES.get(que, (que, "todas"))
        distintos = [v for v in de_la_clase if not v.coincide]
        if not distintos:
            salida.append(f"  {nombre}: {len(de_la_clase)}, {todas} coinciden")
            continue
        verbo = "no coincide" if len(distintos) == 1 else "no coinciden"
        salida.append(f"  {nombre}: {len(de_la_clase)}, {len(distintos)} {verbo}:")
        salida += [f"    {v.nombre}: {v.detalle}" for v in distintos]
    return salida


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.salida.verificacion",
        description="Comprueba que un informe corresponde a sus datos, parámetros y código.",
    )
    parser.add_argument("carpeta", help="la carpeta del informe (p. ej. output/2024-T2)")
    parser.add_argument("--sin-cuadernos", action="store_true",
                        help="no volver a ejecutar los cuadernos (sólo hashes y tablas; segundos)")
    nivel = parser.add_mutually_exclusive_group()
    nivel.add_argument("--detallado", dest="nivel", action="store_const", const=DETALLADO,
                       default=RESUMEN, help="cada comprobación en su línea")
    nivel.add_argument("--silencioso", dest="nivel", action="store_const", const=SILENCIOSO,
                       help="sólo lo que no coincide, los errores y la línea final")
    args = parser.parse_args(argv)
    carpeta = Path(args.carpeta)
    if not (carpeta / NOMBRE).is_file():
        print(f"{carpeta}: no es la carpeta de un informe (no tiene {NOMBRE}).", file=sys.stderr)
        return 2
    try:
        veredictos = verificar(carpeta, cuadernos=not args.sin_cuadernos)
    except ErrorDeEntrada as error:
        print(error.texto(), file=sys.stderr)
        print("No se pudieron calcular de nuevo las tablas.", file=sys.stderr)
        return 2
    for linea in lineas(veredictos, carpeta, args.nivel, not args.sin_cuadernos):
        print(linea)
    return 1 if any(not v.coincide for v in veredictos) else 0


if __name__ == "__main__":
    sys.exit(main())
