"""Dónde queda cada parte del circuito en la carpeta de una entidad, con la etiqueta del
informe de sus parámetros (`2025-T1`): los formularios escritos en `formularios-2025-T1/`, los
devueltos por las unidades en `recibidos-2025-T1/` y el libro recogido, con su registro y sus
observaciones, en `recogido-2025-T1/`. La página las usa así; la línea de órdenes recibe las
carpetas que se le den.
"""
from __future__ import annotations

from pathlib import Path

from helpers.formularios.envio import parametros_de_seguimiento

__all__ = ["carpetas"]


def carpetas(entidad: Path, params: Path) -> tuple[Path, Path, Path]:
    """Dónde van los formularios escritos, los devueltos y el libro recogido de `params`."""
    etiqueta = parametros_de_seguimiento(params).etiqueta
    return (entidad / f"formularios-{etiqueta}", entidad / f"recibidos-{etiqueta}",
            entidad / f"recogido-{etiqueta}" / f"poa-{etiqueta}-recogido.xlsx")
