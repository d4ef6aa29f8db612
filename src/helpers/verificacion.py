"""Verificación de un informe ya generado, para un auditor:

    python -m helpers.verificacion output/2024-T2      (o: make verify OUTPUT=output/2024-T2)

Con el manifiesto de la carpeta comprueba, y da un veredicto por línea:

1. cada archivo de entrada (datos y parámetros), de salida y de código (`src/helpers/**`,
   los cuadernos) tiene el SHA-256 que guardó el manifiesto;
2. las tablas, calculadas de nuevo con los parámetros del manifiesto sobre los datos de
   entrada, son byte a byte las de `tablas/*.csv`.

Termina con código 0 sólo si todo coincide; 1 si algo difiere; 2 si la carpeta no es un
informe (no tiene manifiesto) o sus entradas ya no se pueden leer.

Falta aún volver a ejecutar los cuadernos archivados y comparar sus salidas: hoy leen datos
preparados que la corrida no deja en la carpeta del informe.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errores import ErrorDeEntrada
from .manifiesto import NOMBRE, comprobar_manifiesto
from .rutas import RAIZ

__all__ = ["Veredicto", "verificar"]

_GRUPOS = {"entrada": "entrada", "salida": "salida", "codigo": "código"}


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


def _tablas_de_nuevo(manifiesto: dict, raiz: Path, destino: Path) -> None:
    """Calcula otra vez las tablas con los parámetros guardados en el manifiesto."""
    from .datos import cargar_datos
    from .informe import escribir_tablas
    from .parametros import Parametros
    from .preparacion import preparar

    parametros = Parametros.model_validate({**manifiesto["parametros"], "raiz": raiz})
    prep = preparar(parametros, cargar_datos(parametros.ruta_datos))
    escribir_tablas(prep.tablas, destino)


def verificar(carpeta: Path, proyecto: Path = RAIZ) -> list[Veredicto]:
    """Los veredictos de la carpeta de un informe (ver el docstring del módulo)."""
    carpeta = Path(carpeta)
    ruta = carpeta / NOMBRE
    manifiesto = json.loads(ruta.read_text(encoding="utf-8"))
    veredictos = [
        Veredicto(_GRUPOS[c.grupo], c.ruta, c.coincide, c.estado)
        for c in comprobar_manifiesto(ruta, proyecto=proyecto)
    ]
    raiz = (ruta.parent / manifiesto["raiz"]) if manifiesto.get("raiz") is not None else proyecto
    with tempfile.TemporaryDirectory(prefix="informe-poa-verificacion-") as temporal:
        nuevas = Path(temporal)
        _tablas_de_nuevo(manifiesto, raiz.resolve(), nuevas)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.verificacion",
        description="Comprueba que un informe corresponde a sus datos, parámetros y código.",
    )
    parser.add_argument("carpeta", help="la carpeta del informe (p. ej. output/2024-T2)")
    args = parser.parse_args(argv)
    carpeta = Path(args.carpeta)
    if not (carpeta / NOMBRE).is_file():
        print(f"{carpeta}: no es la carpeta de un informe (no tiene {NOMBRE}).", file=sys.stderr)
        return 2
    try:
        veredictos = verificar(carpeta)
    except ErrorDeEntrada as error:
        print(error.texto(), file=sys.stderr)
        print("No se pudieron calcular de nuevo las tablas.", file=sys.stderr)
        return 2
    for veredicto in veredictos:
        print(veredicto)
    distintos = [v for v in veredictos if not v.coincide]
    print(
        f"Verificación de {carpeta}: {len(veredictos)} comprobaciones, "
        + ("todo coincide." if not distintos else f"{len(distintos)} no coinciden.")
    )
    return 1 if distintos else 0


if __name__ == "__main__":
    sys.exit(main())
