"""Ejecutar un cuaderno con papermill en un kernel de Jupyter: lo que hacen igual el ejecutor
de los informes (`helpers.informe`, las secciones) y el del lote (`helpers.lote`, el
consolidado)."""
from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path

__all__ = ["FalloDeSeccion", "abrir_kernel", "ejecutar_en", "rutas_relativas"]


class FalloDeSeccion(Exception):
    """Un cuaderno (una sección del informe, el consolidado de un lote) falló al ejecutarse."""


def abrir_kernel(carpeta: Path):
    """Un kernel de Python con `carpeta` como carpeta de trabajo; su salida estándar y de
    errores no llegan a la terminal (lo que cuenta una celda queda en el cuaderno)."""
    from jupyter_client.manager import KernelManager

    logging.getLogger("papermill").setLevel(logging.WARNING)
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(carpeta), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


def ejecutar_en(km, fuente: Path, destino: Path, parametros: dict) -> float:
    """Ejecuta el cuaderno `fuente` con papermill en el kernel `km`, ya abierto, y lo guarda
    en `destino`; devuelve los segundos. `parametros`: los que papermill inyecta (rutas
    relativas a la carpeta del cuaderno ejecutado: nada de rutas absolutas de esta máquina en
    el cuaderno). Una celda que falla se vuelve `FalloDeSeccion` con su error."""
    import papermill as pm

    inicio = time.perf_counter()
    # Cada cuaderno empieza con el espacio de nombres vacío, como en un kernel nuevo; los
    # módulos ya importados se conservan, que es lo que hace rápido reutilizar el kernel.
    cliente = km.client()
    cliente.start_channels()
    try:
        cliente.wait_for_ready(timeout=60)
        cliente.execute_interactive("%reset -f", timeout=60, output_hook=lambda _: None)
    finally:
        cliente.stop_channels()
    try:
        pm.execute_notebook(str(fuente), str(destino), parameters=parametros,
                            kernel_name="python3", progress_bar=False, km=km)
    except pm.PapermillExecutionError as error:
        raise FalloDeSeccion(f"{error.ename}: {error.evalue}") from None
    rutas_relativas(destino)
    return time.perf_counter() - inicio


def rutas_relativas(cuaderno: Path) -> None:
    """papermill anota las rutas absolutas de entrada y salida; quedan sólo sus nombres."""
    import nbformat

    libro = nbformat.read(str(cuaderno), as_version=4)
    anotacion = libro.metadata.get("papermill", {})
    for clave in ("input_path", "output_path"):
        if anotacion.get(clave):
            anotacion[clave] = Path(anotacion[clave]).name
    nbformat.write(libro, str(cuaderno))
