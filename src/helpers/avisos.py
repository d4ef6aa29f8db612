"""Lo que cuenta el ejecutor de los informes (`helpers.informe`) mientras trabaja; cada
presentación (la línea de órdenes, la página, el lote) pone la suya con los mismos avisos.
Sin dependencias: la orden lo importa sin cargar el ejecutor."""
from __future__ import annotations

from pathlib import Path

__all__ = ["Avisos"]


class Avisos:
    """Lo que el ejecutor cuenta mientras trabaja: una línea por etapa terminada, con lo que
    tardó ella sola, y una por sección, en el orden del informe. La línea de órdenes
    (`helpers.consola`) pone otra presentación con los mismos avisos."""

    def empieza(self, texto: str) -> None:
        """Empieza una etapa larga («Ensamblando HTML y PDF»): quien muestra el avance puede
        decirlo mientras dura. Su línea es la de `etapa`, cuando termina."""

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        """Terminó una etapa; `segundos`, lo que tardó ella sola (None: un aviso sin
        tiempo)."""
        print(texto if segundos is None else f"{texto} ({segundos:.1f} s)", flush=True)

    def secciones(self, total: int) -> None:
        """Empiezan a ejecutarse `total` cuadernos: la memoria de cálculo y las secciones."""

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        """Terminó el cuaderno `posicion` (1 a `total`) en el orden del informe: la memoria
        de cálculo y después las secciones como las lista su `secciones.yaml`. Se llama en
        ese orden, desde el hilo que ejecuta el informe, aunque los kernels terminen en otro
        (una sección que termina antes que la anterior se avisa después de ella).
        `de_la_cache`: no se ejecutó, se tomó de la caché (nada de lo que lee cambió)."""
        cuanto = "de la caché" if de_la_cache else f"{segundos:.1f} s"
        print(f"  [{posicion}/{total}] {titulo} ({cuanto})", flush=True)

    def listo(self, salida: Path, segundos: float) -> None:
        """El informe quedó en `salida`; `segundos`, el total."""
        print(f"Informe listo en {salida} ({segundos:.1f} s)", flush=True)
