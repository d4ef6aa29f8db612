"""La parte `pruebas` de scripts/benchmark.py: lo que tarda `make test` en un clon nuevo del
proyecto, como lo corre CI (`.ci/run` llama a la orden de pruebas del README).

El clon se hace con `git clone` de este repositorio (lo confirmado: lo que CI vería) en una
carpeta temporal privada; `make test` crea allí su propio entorno, instala lo que falta y
corre las pruebas. Se mide de afuera el total y, de lo que pytest escribe al final, lo que
tardaron las pruebas solas. No se juzga si las pruebas pasan (eso es CI): la fila dice el
resumen de pytest tal cual, y rendimiento.json guarda cuáles fallaron.

También el procesador: el de toda la orden (usuario y sistema de los procesos que espera) y,
con `tests/cpu_por_prueba.py`, el de cada archivo de pruebas; la tabla nombra los que más
gastan. La suite ocupa los dos núcleos casi todo el tiempo, así que lo que tarda depende de
cuánto procesador gasta.
"""
from __future__ import annotations

import collections
import json
import os
import re
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from benchmark_medicion import RAIZ, aviso, encabezado_de_parte, fila, formatear

OBJETIVO_PRUEBAS_S = 20 * 60  # make test en un clon nuevo, en una máquina tranquila
TITULO = "La suite de pruebas: make test en un clon nuevo"
ARCHIVOS_EN_LA_TABLA = 8  # los archivos de pruebas que más procesador gastan
# La variable de tests/cpu_por_prueba.py (el script no importa las pruebas).
VARIABLE_CPU = "INFORME_POA_CPU_POR_PRUEBA"
_RESUMEN = re.compile(r"^=+ (?P<resumen>.*) in (?P<segundos>[\d.]+)s(?: \(.*\))? =+$", re.M)


def parte(args) -> dict:
    """Clona el proyecto, corre `make test` en el clon y devuelve los segundos de reloj del
    total y de pytest, con el resumen de pytest."""
    encabezado = encabezado_de_parte(1)
    with tempfile.TemporaryDirectory(prefix="benchmark-pruebas-") as temporal:
        clon = Path(temporal) / "informe-poa"
        subprocess.run(["git", "clone", "--quiet", str(RAIZ), str(clon)], check=True)
        anotado = Path(temporal) / "cpu-por-prueba.jsonl"
        aviso("  make test en un clon nuevo (más de un cuarto de hora) ...")
        antes = _cpu_de_los_hijos()
        inicio = time.monotonic()
        corrida = subprocess.run(["make", "test"], cwd=clon, capture_output=True, text=True,
                                 check=False, timeout=args.limite_pruebas,
                                 env={**os.environ, VARIABLE_CPU: str(anotado)})
        total = time.monotonic() - inicio
        cpu = _cpu_de_los_hijos() - antes
        archivos = por_archivo(_lineas(anotado))
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
            "codigo": corrida.returncode, "fallas": fallas, "cpu_s": cpu,
            "por_archivo": archivos}


def _cpu_de_los_hijos() -> float:
    uso = resource.getrusage(resource.RUSAGE_CHILDREN)
    return uso.ru_utime + uso.ru_stime


def _lineas(anotado: Path) -> list[dict]:
    if not anotado.exists():
        return []
    return [json.loads(linea) for linea in anotado.read_text(encoding="utf-8").splitlines()
            if linea.strip()]


def por_archivo(lineas: list[dict]) -> list[dict]:
    """Lo anotado por `tests/cpu_por_prueba.py`, sumado por archivo de pruebas: procesador,
    reloj y cuántas pruebas, del que más procesador gastó al que menos."""
    suma: dict[str, dict] = collections.defaultdict(
        lambda: {"cpu_s": 0.0, "reloj_s": 0.0, "pruebas": 0})
    for linea in lineas:
        archivo = suma[linea["archivo"]]
        archivo["cpu_s"] += linea["cpu_s"]
        archivo["reloj_s"] += linea["reloj_s"]
        archivo["pruebas"] += 1
    return sorted(({"archivo": nombre, **cifras} for nombre, cifras in suma.items()),
                  key=lambda a: (-a["cpu_s"], a["archivo"]))


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
    filas_.extend(_filas_de_procesador(datos))
    return filas_


def _filas_de_procesador(datos: dict) -> list[dict]:
    """El procesador de la orden y el de los archivos de pruebas que más gastan."""
    if datos.get("cpu_s") is None:
        return []
    archivos = datos.get("por_archivo") or []
    anotado = sum(a["cpu_s"] for a in archivos)
    filas_ = [fila("pruebas", "procesador de la orden (usuario y sistema, sumados los dos "
                              "núcleos)", "—", datos["cpu_s"],
                   tiempo=f"{formatear(datos['cpu_s'] / 60, 1)} min")]
    for archivo in archivos[:ARCHIVOS_EN_LA_TABLA]:
        proporcion = (f"{formatear(100 * archivo['cpu_s'] / anotado, 0)} %" if anotado
                      else "—")
        filas_.append(fila(
            "pruebas", f"… procesador de {archivo['archivo']} ({archivo['pruebas']} pruebas; "
                       f"{proporcion} de lo anotado; reloj {formatear(archivo['reloj_s'])} s)",
            "—", archivo["cpu_s"]))
    return filas_
