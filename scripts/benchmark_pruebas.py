"""La parte `pruebas` de scripts/benchmark.py: lo que tarda `make test` en un clon nuevo del
proyecto, como lo corre CI (`.ci/run` llama a la orden de pruebas del README).

El clon se hace con `git clone` de este repositorio (lo confirmado: lo que CI vería) en una
carpeta temporal privada; `make test` crea allí su propio entorno, instala lo que falta y
corre las pruebas. Se mide de afuera el total y, de lo que pytest escribe al final, lo que
tardaron las pruebas solas. No se juzga si las pruebas pasan (eso es CI): la fila dice el
resumen de pytest tal cual, y rendimiento.json guarda cuáles fallaron.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path

from benchmark_medicion import RAIZ, aviso, encabezado_de_parte, fila, formatear

OBJETIVO_PRUEBAS_S = 20 * 60  # make test en un clon nuevo, en una máquina tranquila
TITULO = "La suite de pruebas: make test en un clon nuevo"
_RESUMEN = re.compile(r"^=+ (?P<resumen>.*) in (?P<segundos>[\d.]+)s(?: \(.*\))? =+$", re.M)


def parte(args) -> dict:
    """Clona el proyecto, corre `make test` en el clon y devuelve los segundos de reloj del
    total y de pytest, con el resumen de pytest."""
    encabezado = encabezado_de_parte(1)
    with tempfile.TemporaryDirectory(prefix="benchmark-pruebas-") as temporal:
        clon = Path(temporal) / "informe-poa"
        subprocess.run(["git", "clone", "--quiet", str(RAIZ), str(clon)], check=True)
        aviso("  make test en un clon nuevo (más de un cuarto de hora) ...")
        inicio = time.monotonic()
        corrida = subprocess.run(["make", "test"], cwd=clon, capture_output=True, text=True,
                                 check=False, timeout=args.limite_pruebas)
        total = time.monotonic() - inicio
    ultimos = _RESUMEN.findall(corrida.stdout)
    resumen, pytest_s = (ultimos[-1][0], float(ultimos[-1][1])) if ultimos else ("", None)
    # La línea entera del resumen de pytest: la prueba y el comienzo de su error (una falla
    # que no se repite a mano sólo se puede entender con eso).
    fallas = [linea.split(" ", 1)[1] for linea in corrida.stdout.splitlines()
              if linea.startswith(("FAILED ", "ERROR "))]
    aviso(f"  make test: {formatear(total)} s (pytest {formatear(pytest_s or 0)} s): {resumen}")
    for falla in fallas:
        aviso(f"    falló: {falla}")
    return {**encabezado, "total_s": total, "pytest_s": pytest_s, "resumen": resumen,
            "codigo": corrida.returncode, "fallas": fallas}


def filas(datos: dict | None) -> list[dict]:
    if not datos:
        return []
    objetivo = f"≤ {OBJETIVO_PRUEBAS_S // 60} min"
    total, pytest_s = datos["total_s"], datos.get("pytest_s")
    estado = datos.get("resumen") or f"terminó con código {datos.get('codigo')}"
    filas_ = [fila("pruebas", "make test en un clon nuevo (crea su entorno, instala lo que "
                              f"falta y corre las pruebas: {estado})", "—", total,
                   objetivo=objetivo, cumple=total <= OBJETIVO_PRUEBAS_S,
                   tiempo=f"{formatear(total / 60, 1)} min")]
    if pytest_s is not None:
        filas_.append(fila("pruebas", "… de ellos, pytest", "—", pytest_s,
                           tiempo=f"{formatear(pytest_s / 60, 1)} min"))
    return filas_
