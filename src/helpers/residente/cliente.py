"""La orden de informe como cliente del servidor residente (`helpers.residente.servidor`).

`correr_orden` decide dónde corre una orden de informe ya leída por click: si el servidor de
este usuario está libre y corre el mismo programa en el mismo entorno (la huella), le manda
la orden leída (su nombre y sus valores, no la línea de órdenes por leer otra vez) y la
carpeta de trabajo, y muestra lo que él devuelve (avance, mensajes, código de salida);
Ctrl+C le llega como pedido de interrumpir, y si esta orden muere, el servidor la
interrumpe igual. Nada más viaja: ni descriptores ni el entorno. Si no hay servidor, la
orden corre aquí con sus propios procesos (`procesos.Procesos`) y deja arrancado el servidor
para la siguiente; si está ocupado con otro informe, corre aquí y lo dice en una línea.

Sólo en Linux (también WSL), y no con ``INFORME_POA_SERVIDOR=0``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from helpers.residente import canal
from helpers.residente.procesos import Procesos

__all__ = ["ENTORNO", "VARIABLE", "activo", "arrancar_servidor", "correr_orden",
           "esperar_servidor", "pedir"]

VARIABLE = "INFORME_POA_SERVIDOR"  # "0": cada orden corre sola
# El entorno con que arrancó la orden, antes de que las bibliotecas agreguen variables: con él
# arranca el servidor y se compara la huella.
ENTORNO = dict(os.environ)
_ESPERA_RESPUESTA = 10  # s que se espera a que el servidor acepte o rechace la orden
_SENALES = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def activo() -> bool:
    return sys.platform.startswith("linux") and os.environ.get(VARIABLE, "1").strip() != "0"


def correr_orden(ctx, correr: Callable[[Procesos], int]) -> int:
    """El código de salida de la orden de `ctx` (un contexto de click): `correr(procesos)` en el
    servidor, si la orden ya está en él (``ctx.obj["procesos"]``) o se le puede pasar; si no,
    aquí. Con `--sin-cache` (todo desde cero) no se usa ni se deja el servidor."""
    procesos = ctx.obj.get("procesos") if isinstance(ctx.obj, dict) else None
    if procesos is not None:
        return correr(procesos)
    usar = activo() and not ctx.params.get("sin_cache")
    if usar and (codigo := pedir(ctx)) is not None:
        return codigo
    with Procesos() as procesos:
        codigo = correr(procesos)
    if usar:
        arrancar_servidor()
    return codigo


def pedir(ctx) -> int | None:
    """El código de salida de la orden de `ctx`, corrida por el servidor; None si no hay
    servidor de este usuario, si su huella es otra o si está ocupado."""
    conexion = canal.conectar(canal.ruta())
    if conexion is None:
        return None
    with conexion:
        conexion.settimeout(_ESPERA_RESPUESTA)
        try:
            canal.enviar(conexion, {
                "huella": canal.huella(ENTORNO), "orden": ctx.command.name,
                "parametros": {k: os.fspath(v) if isinstance(v, Path) else v
                               for k, v in ctx.params.items()},
                "cwd": os.getcwd(), "terminal": _terminal()})
            respuesta = canal.recibir(conexion)
        except (canal.ErrorDeCanal, OSError):
            return None
        if respuesta.get("ocupado"):
            print("El servidor de informe-poa está ocupado (con otro informe, o arrancando): "
                  "esta orden corre aparte, sin los procesos que él ya tiene.", file=sys.stderr)
        if not respuesta.get("acepta"):
            return None
        conexion.settimeout(None)
        return _seguir(conexion)


def _terminal() -> dict:
    """La clase y el tamaño de la terminal de esta orden, y si sus salidas son una terminal:
    el servidor escribe como lo haría aquí."""
    terminal = {clave: ENTORNO[clave] for clave in canal.TERMINAL if clave in ENTORNO}
    if sys.stdout.isatty():
        columnas, lineas = shutil.get_terminal_size()
        terminal.update(COLUMNS=str(columnas), LINES=str(lineas))
    return {"variables": terminal, "salida": sys.stdout.isatty(),
            "errores": sys.stderr.isatty()}


def _seguir(conexion) -> int:
    """Muestra lo que manda el servidor hasta el código de salida. Una señal (Ctrl+C, kill) le
    pide interrumpir la corrida, y se sigue esperando su código."""
    def interrumpir(_numero, _marco) -> None:
        with contextlib.suppress(OSError):
            canal.enviar(conexion, {"interrumpir": True})

    anteriores = {senal: signal.signal(senal, interrumpir) for senal in _SENALES}
    try:
        while True:
            mensaje = canal.recibir(conexion)
            if "codigo" in mensaje:
                return int(mensaje["codigo"])
            for clave, salida in (("salida", sys.stdout), ("errores", sys.stderr)):
                if clave in mensaje:
                    salida.write(mensaje[clave])
                    salida.flush()
    except (canal.ErrorDeCanal, OSError, ValueError):
        print("La corrida se detuvo sin decir cómo terminó (se cerró el servidor de "
              "informe-poa que la hacía); vuelva a generar el informe.", file=sys.stderr)
        return 1
    finally:
        for senal, anterior in anteriores.items():
            signal.signal(senal, anterior)


def arrancar_servidor(entorno: dict[str, str] | None = None) -> None:
    """Arranca el servidor de este usuario en una sesión propia, con `entorno` (por omisión, el
    entorno con que arrancó esta orden); si ya hay uno, el nuevo termina solo. No espera."""
    with contextlib.suppress(OSError):
        proceso = subprocess.Popen(
            [sys.executable, "-m", "helpers", "servidor-residente"], env=entorno or ENTORNO,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        proceso.returncode = 0  # no se espera: que Popen no avise que sigue vivo


def esperar_servidor(limite: float) -> bool:
    """Espera hasta `limite` segundos a que el servidor de este usuario esté libre, sin
    mandarle orden alguna; False si no lo está a tiempo. (Una orden no lo espera: la usan
    quien mide, para medir la orden que llega con el servidor listo, y las pruebas.)"""
    hasta = time.monotonic() + limite
    while time.monotonic() < hasta:
        conexion = canal.conectar(canal.ruta())
        if conexion is not None:
            with conexion, contextlib.suppress(canal.ErrorDeCanal, OSError):
                conexion.settimeout(5)
                canal.enviar(conexion, {"pregunta": "listo"})
                if canal.recibir(conexion).get("listo"):
                    return True
        time.sleep(0.2)
    return False
