"""Mide el tiempo de `make report` con el entorno ya instalado (no es una prueba).

Objetivo: 30 s o menos en una máquina de 2 núcleos para el informe de la muestra
(params/2024-T2.yaml). Ejecuta el informe N veces (por defecto 3) y reporta cada tiempo,
la mediana y si cumple el objetivo.

Uso: .venv/bin/python scripts/benchmark.py [--veces N] [--params RUTA]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
OBJETIVO_SEGUNDOS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--veces", type=int, default=3)
    parser.add_argument("--params", default="params/2024-T2.yaml")
    args = parser.parse_args()
    tiempos = []
    for i in range(args.veces):
        inicio = time.perf_counter()
        subprocess.run(["make", "--no-print-directory", "report", f"PARAMS={args.params}"],
                       cwd=RAIZ, check=True, stdout=subprocess.DEVNULL)
        tiempos.append(time.perf_counter() - inicio)
        print(f"corrida {i + 1}: {tiempos[-1]:.1f} s", flush=True)
    mediana = statistics.median(tiempos)
    print(f"núcleos: {os.cpu_count()}; mediana: {mediana:.1f} s; "
          f"objetivo: {OBJETIVO_SEGUNDOS:.0f} s; "
          f"{'CUMPLE' if mediana <= OBJETIVO_SEGUNDOS else 'NO CUMPLE'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
