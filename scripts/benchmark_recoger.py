"""La parte `recoger` de scripts/benchmark.py: `informe-poa recoger` con los formularios
llenos de todas las unidades (las de la muestra, con los parámetros de omisión).

Antes de medir, sin contarlo: en una carpeta temporal, el formulario de cada unidad con
operaciones, escrito como lo escribe `informe-poa formularios`, lleno con las cifras del
maestro y fechado antes del plazo (scripts/formularios_llenos.py). Lo medido, en un proceso
aparte como en las demás partes: la recogida entera (el arranque de Python, las importaciones
y `helpers.formularios.recogida.recoger`, que lee y clasifica los formularios y escribe el libro
recogido y recepcion.csv, cada corrida en su propia carpeta temporal) y, de ella, la llamada
a `recoger` con los módulos ya importados. Si algún formulario no cuenta, o falta alguno, la
corrida falla: lo medido ya no sería la recogida de todas las unidades.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmark_medicion import (
    Corrida,
    aviso,
    encabezado_de_parte,
    fila,
    formatear,
    maxrss_mb,
    medir_proceso,
    orden_interna,
    resumir_corridas,
    texto_corrida,
)

OBJETIVO_RECOGER_S = 10.0  # recoger los formularios de todas las unidades de la muestra
TITULO = "Recoger los formularios de todas las unidades"


def interno(params: Path, carpeta: Path, salida: Path) -> dict:
    """En el proceso medido: recoge los formularios de `carpeta` en el libro `salida`."""
    from helpers.formularios.recogida import recoger
    from helpers.formularios.recoleccion import Estado

    comienzo = time.monotonic()
    recogida = recoger(params, carpeta, salida)
    final = time.monotonic()
    cuentan = recogida.cuentan()
    estados = recogida.registro["estado"].value_counts().to_dict()
    resultado = {"comienzo": comienzo, "final": final, "estados": estados,
                 "maxrss_mb": maxrss_mb(),
                 "tamano": {"formularios": len(recogida.registro),
                            "operaciones": sum(len(r.valores) for r in cuentan)}}
    if recogida.libro is None or set(estados) != {Estado.ACEPTADO}:
        resultado["error"] = (f"cuentan {len(cuentan)} de {len(recogida.registro)} "
                              f"formularios ({estados})")
    return resultado


def parte(args) -> dict:
    """Escribe y llena los formularios una vez y mide `args.veces` recogidas."""
    from formularios_llenos import emitidos_y_llenos

    params = Path(args.params).resolve()
    corridas: list[Corrida] = []
    with tempfile.TemporaryDirectory(prefix="benchmark-recoger-") as temporal:
        carpeta = Path(temporal) / "recibidos"
        aviso("  escribiendo y llenando los formularios (no cuenta) ...")
        emitidos_y_llenos(params, carpeta)
        for i in range(args.veces):
            corrida = medir_proceso(orden_interna("recoger", "--params", str(params),
                                                  "--formularios", str(carpeta)), args.limite)
            corridas.append(corrida)
            aviso(f"  recoger, corrida {i + 1}/{args.veces}: {texto_corrida(corrida)}")
            if not corrida.bien:
                break

    def cifras(c: Corrida) -> dict:
        r = c.resultado
        return {"arranque": {"segundos": r["comienzo"] - c.inicio,
                             "pico_mb": c.pico_entre(c.inicio, r["comienzo"])},
                "recoger": {"segundos": r["final"] - r["comienzo"],
                            "pico_mb": c.pico_entre(r["comienzo"], r["final"])},
                "total": {"segundos": c.segundos, "pico_mb": c.pico_mb}}

    return {**encabezado_de_parte(args.veces), "params": str(args.params),
            **resumir_corridas(corridas, cifras)}


def _texto_tamano(tamano: dict | None) -> str:
    if not tamano:
        return "—"
    return (f"{formatear(tamano['formularios'], 0)} formularios "
            f"({formatear(tamano['operaciones'], 0)} operaciones)")


def filas(datos: dict | None) -> list[dict]:
    """Las filas de la parte: el arranque, la llamada a `recoger` y el total, con su
    objetivo."""
    if not datos:
        return []
    tamano = _texto_tamano(datos.get("tamano"))
    objetivo = f"≤ {formatear(OBJETIVO_RECOGER_S, 0)} s"
    que = "Recoger los formularios llenos (informe-poa recoger): total"
    if datos.get("error"):
        return [fila("recoger", que, tamano, objetivo=objetivo, cumple=False,
                              tiempo=datos["error"])]
    mediana = datos["mediana"]
    total = mediana["total"]
    return [
        fila("recoger", "… arranque de Python e importaciones", tamano,
                      mediana["arranque"]["segundos"], mediana["arranque"]["pico_mb"]),
        fila("recoger", "… leerlos, clasificarlos y escribir el libro recogido y "
                                 "recepcion.csv", tamano,
                      mediana["recoger"]["segundos"], mediana["recoger"]["pico_mb"]),
        fila("recoger", que, tamano, total["segundos"], total["pico_mb"], objetivo,
                      total["segundos"] <= OBJETIVO_RECOGER_S),
    ]
