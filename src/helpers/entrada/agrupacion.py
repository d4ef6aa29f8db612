"""La agrupación de áreas propia de cada entidad: la columna `servicio` de la hoja unidades.

Cada entidad agrupa sus áreas a su modo (servicio central y exterior, oficina nacional y
direcciones departamentales, distritos...), o no las agrupa. La columna admite cualquier
nombre y es opcional:

- sin la columna, o con todas sus celdas vacías, la entidad es un solo grupo (`GRUPO_UNICO`)
  y el informe no habla de grupos;
- con nombres, cada unidad lleva el suyo; un mismo grupo escrito con otras mayúsculas o
  tildes se guarda como su primera escritura en la hoja.

Entra la `conversion.Hoja` de unidades ya validada columna por columna; sale la columna en su
forma final y, agregado a `problemas`, un `Problema` por celda que rompe una regla: una celda
vacía cuando otras tienen grupo, un área repartida entre dos grupos (el área es la que se
agrupa) o un nombre que se confundiría con otra fila de los cuadros (TOTAL, o un área que se
llama como un grupo).
"""
from __future__ import annotations

import pandas as pd

from helpers.entrada.celdas import sin_tildes
from helpers.entrada.conversion import Hoja
from helpers.entrada.errores import Problema

__all__ = ["GRUPO_UNICO", "TIPOS_DE_REPRESENTACION", "agrupar_unidades", "grupos",
           "grupos_con_representaciones", "grupos_en_los_cuadros", "hay_grupos"]

# El nombre del grupo de una entidad que no agrupa sus áreas: sólo lo ven las hojas de la
# cadena de cálculo del anexo, que muestran cada nivel del método.
GRUPO_UNICO = "Toda la entidad"

# Los tipos de unidad (columna tipo) de una representación en el exterior. Un grupo con alguna
# de ellas es un servicio de representaciones: el informe trimestral lo detalla por tipo de
# unidad (cuántas embajadas, consulados... y su avance). Se comparan sin mayúsculas ni tildes.
TIPOS_DE_REPRESENTACION = (
    "Embajada", "Consulado", "Consulado General", "Viceconsulado",
    "Representación Permanente", "Misión Permanente", "Sección Consular",
)

_M_VACIA = ("la celda está vacía y otras unidades tienen grupo: escriba a qué grupo pertenece "
            "la unidad, o deje vacía toda la columna si la entidad no agrupa sus áreas")
_M_DOS_GRUPOS = ("el área '{area}' ya está en '{primero}' (fila {fila}): todas las unidades de "
                 "un área van en el mismo grupo; corrija el área o el grupo de una de ellas")
_M_TOTAL = ("'{valor}' no sirve como grupo: los cuadros del informe usan TOTAL para la fila "
            "del total de la entidad")
_M_AREA_GRUPO = ("'{valor}' no sirve como nombre de área: es también el nombre de un grupo "
                 "(columna servicio), y los cuadros por área no distinguirían sus dos filas")


def agrupar_unidades(hoja: Hoja, problemas: list[Problema]) -> None:
    """Deja en `hoja.tabla["servicio"]` el grupo de cada unidad (su forma final) y agrega a
    `problemas` las celdas que rompen las reglas del módulo."""
    tabla = hoja.tabla
    escritos = tabla["servicio"].str.strip()
    if (escritos == "").all():
        tabla["servicio"] = GRUPO_UNICO
        return
    tabla["servicio"] = _primera_escritura(escritos)
    nuevos = [*_vacias(hoja), *_areas_repartidas(hoja), *_nombres_confundibles(hoja)]
    problemas += [Problema(hoja.archivo, hoja.nombre, int(fila), columna, mensaje)
                  for fila, columna, mensaje in nuevos]


def _primera_escritura(escritos: pd.Series) -> pd.Series:
    """Cada grupo como se escribió la primera vez (sin distinguir mayúsculas ni tildes)."""
    primera: dict[str, str] = {}
    for valor in escritos:
        if valor:
            primera.setdefault(sin_tildes(valor), valor)
    return escritos.map(lambda v: primera.get(sin_tildes(v), v) if v else v)


def _vacias(hoja: Hoja):
    for fila in hoja.tabla.index[hoja.tabla["servicio"] == ""]:
        yield fila, "servicio", _M_VACIA


def _areas_repartidas(hoja: Hoja):
    """Las unidades cuyo área ya apareció, en una fila anterior, en otro grupo."""
    con_grupo = hoja.tabla[hoja.tabla["servicio"] != ""]
    primero = con_grupo.groupby("area", sort=False)["servicio"].transform("first")
    fila_primera = pd.Series(con_grupo.index, index=con_grupo.index).groupby(
        con_grupo["area"], sort=False).transform("first")
    for fila in con_grupo.index[con_grupo["servicio"] != primero]:
        yield fila, "servicio", _M_DOS_GRUPOS.format(
            area=con_grupo.at[fila, "area"], primero=primero[fila], fila=fila_primera[fila])


def _nombres_confundibles(hoja: Hoja):
    """Un grupo llamado TOTAL, o un área con el nombre de un grupo."""
    tabla = hoja.tabla
    for fila in tabla.index[tabla["servicio"].map(sin_tildes) == "total"]:
        yield fila, "servicio", _M_TOTAL.format(valor=tabla.at[fila, "servicio"])
    nombres = {sin_tildes(g) for g in tabla["servicio"] if g}
    for fila in tabla.index[tabla["area"].map(sin_tildes).isin(nombres)]:
        yield fila, "area", _M_AREA_GRUPO.format(valor=tabla.at[fila, "area"])


def grupos(unidades: pd.DataFrame) -> list[str]:
    """Los grupos de la entidad, en el orden en que aparecen en la hoja unidades."""
    return list(pd.unique(unidades["servicio"]))


def hay_grupos(unidades: pd.DataFrame) -> bool:
    """¿Agrupa la entidad sus áreas en más de un grupo? Si no, el informe no habla de grupos."""
    return len(grupos(unidades)) > 1


def grupos_en_los_cuadros(unidades: pd.DataFrame) -> list[str]:
    """Los grupos que llevan fila o columna propia en los cuadros: todos si hay más de uno;
    ninguno si la entidad es un solo grupo (su fila repetiría la del total)."""
    return grupos(unidades) if hay_grupos(unidades) else []


def grupos_con_representaciones(unidades: pd.DataFrame) -> list[str]:
    """Los grupos (en su orden) con alguna unidad de un tipo de `TIPOS_DE_REPRESENTACION`."""
    tipos = {sin_tildes(t) for t in TIPOS_DE_REPRESENTACION}
    es_representacion = unidades["tipo"].fillna("").map(sin_tildes).isin(tipos)
    con = set(unidades.loc[es_representacion, "servicio"])
    return [g for g in grupos(unidades) if g in con]
