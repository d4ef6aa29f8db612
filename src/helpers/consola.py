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
from rich.status import Status

from helpers.avisos import Avisos

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
    la línea final, que escribe quien llama), `normal` cada etapa al terminar y una barra de
    secciones, `detallado` cada etapa y cada sección con su propio tiempo. Cada etapa, una
    línea; en una terminal, la etapa que está en curso se ve mientras dura (y no deja
    línea). «Informe listo» lo dice el resumen final (`resumen`), no estos avisos."""

    def __init__(self, nivel: str = NORMAL, salida: Console | None = None):
        self.nivel = nivel
        self.salida = salida or consola()
        self._barra: Progress | None = None
        self._tarea = None
        self._en_curso: Status | None = None

    def __enter__(self) -> AvisosDeConsola:
        return self

    def __exit__(self, *_exc) -> None:
        self._cerrar_barra()
        self._terminar_en_curso()

    def empieza(self, texto: str) -> None:
        if self.nivel == SILENCIOSO or not self.salida.is_terminal:
            return
        self._cerrar_barra()
        self._terminar_en_curso()
        self._en_curso = Status(inerte(texto), console=self.salida)
        self._en_curso.start()

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        self._cerrar_barra()
        self._terminar_en_curso()
        if self.nivel == SILENCIOSO:
            return
        if self.nivel == DETALLADO and segundos is not None:
            texto = f"{texto} ({segundos:.1f} s)"
        self.salida.print(inerte(texto))

    def secciones(self, total: int) -> None:
        self._terminar_en_curso()
        if self.nivel == NORMAL and self.salida.is_terminal:
            self._barra = Progress(
                TextColumn("  Secciones"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("{task.description}"),
                console=self.salida, transient=True,
            )
            self._tarea = self._barra.add_task("", total=total)
            self._barra.start()

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        if self.nivel == SILENCIOSO:
            return
        if self._barra is not None:
            self._barra.update(self._tarea, completed=posicion, description=inerte(titulo))
        elif self.nivel == DETALLADO:
            cuanto = "de la caché" if de_la_cache else f"{segundos:.1f} s"
            self.salida.print(inerte(f"  [{posicion}/{total}] {titulo} ({cuanto})"))
        else:
            self.salida.print(inerte(f"  [{posicion}/{total}] {titulo}"))

    def listo(self, salida: Path, segundos: float) -> None:
        self._cerrar_barra()
        self._terminar_en_curso()

    def _cerrar_barra(self) -> None:
        # La barra es transitoria: la línea que queda es la de la etapa («Secciones
        # ejecutadas: 15»).
        if self._barra is not None:
            self._barra.stop()
            self._barra = None

    def _terminar_en_curso(self) -> None:
        if self._en_curso is not None:
            self._en_curso.stop()
            self._en_curso = None


def resumen(salida: Path, segundos: float) -> list[str]:
    """Las líneas del resumen final de un informe generado en `salida` (trimestral o
    rendición de cuentas): los archivos principales, el tiempo, cuántas alertas registra de
    cada tipo (los meses sin reporte entre ellas) y las tres que más piden atención."""
    from helpers.calculo.tablas import alertas_por_tipo, alertas_principales
    from helpers.comun.numeros import formatear_entero

    lineas = [f"Informe listo en {salida} ({_tiempo(segundos)})."]
    archivos = [nombre for nombre in ("informe.pdf", "informe.html", "anexo.xlsx")
                if (salida / nombre).exists()]
    if archivos:
        lineas.append("  Para leer: " + ", ".join(archivos)
                      + "; para revisar el cálculo: informe-auditoria.html y notebooks/.")
    if (salida / "informe.docx").exists():
        lineas.append("  Para editar en Word: informe.docx (una copia editada se compara con "
                      f"«informe-poa verificar {salida} --documento COPIA.docx»).")
    ruta_alertas = salida / "tablas" / "alertas.csv"
    if ruta_alertas.exists():
        import pandas as pd

        alertas = pd.read_csv(ruta_alertas, dtype={"tipo": str, "codigo": str, "nombre": str,
                                                   "detalle": str, "clase": str})
        por_tipo = alertas_por_tipo(alertas)
        cuantas = int(por_tipo.sum())
        if not cuantas:
            lineas.append("  Alertas: ninguna.")
        else:
            tipos = "; ".join(f"{tipo.lower()}: {formatear_entero(n)}"
                              for tipo, n in por_tipo.items())
            lineas.append(f"  Alertas: {formatear_entero(cuantas)} (sección «Alertas» del "
                          f"informe): {tipos}. Las que más piden atención:")
            for fila in alertas_principales(alertas).itertuples(index=False):
                lineas.append(f"    - {fila.tipo}: {fila.codigo} {fila.nombre} — {fila.detalle}")
    return lineas


def _tiempo(segundos: float) -> str:
    minutos, resto = divmod(round(segundos), 60)
    return f"{resto} s" if not minutos else f"{minutos} min {resto:02d} s"
