"""Cómo se ve en la terminal una corrida de `informe-poa`: el avance por sección (una barra
con rich si la salida es una terminal; líneas si no), los tres niveles de detalle y el
resumen final (dónde quedó el informe, cuánto tardó, cuántas alertas y las principales).
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from helpers.informe import Avisos

SILENCIOSO, NORMAL, DETALLADO = "silencioso", "normal", "detallado"


def inerte(texto: str) -> str:
    """`texto` tal cual en la terminal: sin marcas de rich ni caracteres de control (una
    secuencia de escape en un nombre del libro no cambia colores ni mueve el cursor)."""
    limpio = "".join(
        " " if unicodedata.category(c) == "Cc" and c != "\n" else c for c in str(texto)
    )
    return escape(limpio)


def consola(error: bool = False) -> Console:
    # Sin resaltado automático: nada de colores inventados en rutas o números de los datos.
    return Console(stderr=error, highlight=False, soft_wrap=True)


class AvisosDeConsola(Avisos):
    """Los avisos del ejecutor según el nivel: `silencioso` no dice nada (sólo los errores y
    la línea final, que escribe quien llama), `normal` las etapas y una barra de secciones,
    `detallado` cada etapa y cada sección con su tiempo."""

    def __init__(self, nivel: str = NORMAL, salida: Console | None = None):
        self.nivel = nivel
        self.salida = salida or consola()
        self._barra: Progress | None = None
        self._tarea = None

    def __enter__(self) -> AvisosDeConsola:
        return self

    def __exit__(self, *_exc) -> None:
        self._cerrar_barra()

    def etapa(self, texto: str) -> None:
        if self.nivel == SILENCIOSO:
            return
        self._cerrar_barra()
        if self.nivel == NORMAL:
            # El tiempo de cada etapa sólo en el modo detallado; el total va en el resumen.
            texto = texto.split(" (", 1)[0].rstrip(":;")
            if texto.startswith("Informe listo"):
                return
        self.salida.print(inerte(texto))

    def secciones(self, total: int) -> None:
        if self.nivel == NORMAL and self.salida.is_terminal:
            self._barra = Progress(
                TextColumn("  Secciones"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("{task.description}"),
                console=self.salida, transient=True,
            )
            self._tarea = self._barra.add_task("", total=total)
            self._barra.start()

    def seccion(self, hechas: int, total: int, titulo: str, segundos: float) -> None:
        if self.nivel == SILENCIOSO:
            return
        if self._barra is not None:
            self._barra.update(self._tarea, completed=hechas, description=inerte(titulo))
        elif self.nivel == DETALLADO:
            self.salida.print(inerte(f"  [{hechas}/{total}] {titulo} ({segundos:.1f} s)"))
        else:
            self.salida.print(inerte(f"  [{hechas}/{total}] {titulo}"))

    def _cerrar_barra(self) -> None:
        if self._barra is not None:
            self._barra.stop()
            hechas = int(self._barra.tasks[0].completed)
            self.salida.print(f"  Secciones ejecutadas: {hechas}")
            self._barra = None


def resumen(salida: Path, segundos: float) -> list[str]:
    """Las líneas del resumen final de un informe generado en `salida`: los archivos
    principales, el tiempo, cuántas alertas registra y las tres que más piden atención."""
    from helpers.calculo.tablas import CLASE_ALERTA, alertas_principales
    from helpers.comun.numeros import formatear_entero

    lineas = [f"Informe listo en {salida} ({_tiempo(segundos)})."]
    archivos = [nombre for nombre in ("informe.pdf", "informe.html", "anexo.xlsx")
                if (salida / nombre).exists()]
    if archivos:
        lineas.append("  Para leer: " + ", ".join(archivos)
                      + "; para revisar el cálculo: informe-auditoria.html y notebooks/.")
    ruta_alertas = salida / "tablas" / "alertas.csv"
    if ruta_alertas.exists():
        import pandas as pd

        alertas = pd.read_csv(ruta_alertas, dtype={"tipo": str, "codigo": str, "nombre": str,
                                                   "detalle": str, "clase": str})
        cuantas = int((alertas["clase"] == CLASE_ALERTA).sum())
        if not cuantas:
            lineas.append("  Alertas: ninguna.")
        else:
            lineas.append(f"  Alertas: {formatear_entero(cuantas)} (sección «Alertas» del "
                          "informe); las que más piden atención:")
            for fila in alertas_principales(alertas).itertuples(index=False):
                lineas.append(f"    - {fila.tipo}: {fila.codigo} {fila.nombre} — {fila.detalle}")
    return lineas


def _tiempo(segundos: float) -> str:
    minutos, resto = divmod(round(segundos), 60)
    return f"{resto} s" if not minutos else f"{minutos} min {resto:02d} s"
