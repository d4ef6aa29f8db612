"""Cómo se reparte la sección de unidades organizacionales: por grupo de áreas y por área.

Entra el `Preparado` del informe (la tabla `unidad`, la tabla `por_tipo`, los grupos de
áreas de la entidad y el nombre que ella les da); sale la lista de `Grupo` que el cuaderno
de la sección presenta en orden: el título del grupo (sólo si la entidad agrupa sus áreas),
el detalle por tipo de unidad (sólo si el grupo tiene representaciones en el exterior:
`entrada.agrupacion.grupos_con_representaciones`) y un cuadro por área con su cupo de filas
(entre todos, a lo sumo `filas_por_cuadro`, como una sola tabla).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from helpers.redaccion.presentacion import repartir_filas

__all__ = ["COLUMNAS_POR_TIPO", "Area", "Grupo", "grupos_de_la_seccion"]

# Las columnas del cuadro de cada área; en un grupo con detalle por tipo, el tipo de cada
# unidad en lugar de la eficacia (su avance ya está en el detalle).
COLUMNAS_UNIDAD = ["codigo_unidad", "nombre", "avance_fisico_trimestre", "avance_fisico_acumulado",
                   "eficacia_trimestre", "eficacia_acumulada", "calificacion_trimestre",
                   "calificacion_acumulada"]
COLUMNAS_CON_TIPO = ["codigo_unidad", "nombre", "tipo", "avance_fisico_trimestre",
                     "avance_fisico_acumulado", "calificacion_trimestre"]
COLUMNAS_POR_TIPO = ["tipo", "unidades", "avance_fisico_trimestre", "minimo", "maximo",
                     "avance_fisico_acumulado"]


@dataclass
class Area:
    codigo: str
    nombre: str
    filas: pd.DataFrame  # sus unidades, filas de la tabla `unidad`
    columnas: list[str]
    cupo: int | None  # cuántas filas muestra su cuadro (None: todas)


@dataclass
class Grupo:
    nombre: str  # como está en la columna servicio
    titulo: str | None  # «Nivel Departamental»; None si la entidad no agrupa sus áreas
    por_tipo: pd.DataFrame | None  # sus unidades por tipo, o None si no lleva ese detalle
    areas: list[Area] = field(default_factory=list)


def grupos_de_la_seccion(prep) -> list[Grupo]:
    """Los grupos de la sección de unidades, en el orden de la hoja unidades."""
    unidad = prep.tablas["unidad"]
    por_tipo = prep.tablas["por_tipo"]
    grupos = []
    for nombre in prep.grupos:
        detalle = por_tipo[por_tipo["servicio"] == nombre]
        grupos.append(Grupo(
            nombre=nombre,
            titulo=f"{prep.organizacion.rotulo} {nombre}" if prep.hay_grupos else None,
            por_tipo=detalle.reset_index(drop=True) if len(detalle) else None,
        ))
    partes = [(g, codigo, del_area) for g in grupos
              for codigo, del_area in unidad[unidad["servicio"] == g.nombre].groupby(
                  "area", sort=False)]
    cupos = repartir_filas([len(d) for _, _, d in partes], prep.filas_por_cuadro)
    for (grupo, codigo, del_area), cupo in zip(partes, cupos):
        columnas = COLUMNAS_CON_TIPO if grupo.por_tipo is not None else COLUMNAS_UNIDAD
        grupo.areas.append(Area(codigo, prep.nombre_area(codigo), del_area, columnas, cupo))
    return grupos
