"""Quién envió su formulario de seguimiento, cuándo y si cuenta: la hoja recepcion del libro
(el registro que escribe `informe-poa recoger`), una fila por unidad.

El registro tiene una fila por archivo recibido y por unidad sin formulario; de una unidad
con varios archivos decide el último recibido (los anteriores están como duplicados). La
tabla `remision` (sección «Remisión de la información» del informe trimestral, `tablas/` y
el anexo) tiene, por unidad, la fila que decide y su situación: en plazo, fuera de plazo
(incluido o excluido), rechazado o sin formulario.
"""
from __future__ import annotations

import pandas as pd

from helpers.entrada.contrato import ESTADOS_RECEPCION

__all__ = [
    "COLUMNAS_REMISION",
    "SITUACIONES",
    "TABLA_REMISION",
    "conteo_por_situacion",
    "tabla_remision",
    "tiene_recepcion",
]

TABLA_REMISION = "remision"
(_ACEPTADO, _ACEPTADO_FUERA, _EXCLUIDO_FUERA, _DUPLICADO, _ALTERADO, _CON_ERRORES,
 _FALTANTE) = ESTADOS_RECEPCION

# La situación de una unidad, en el orden en que el informe las presenta, con los estados
# del registro que la dan.
SITUACIONES: dict[str, tuple[str, ...]] = {
    "en plazo": (_ACEPTADO,),
    "fuera de plazo, incluido": (_ACEPTADO_FUERA,),
    "fuera de plazo, excluido": (_EXCLUIDO_FUERA,),
    "rechazado": (_ALTERADO, _CON_ERRORES),
    "sin formulario": (_FALTANTE,),
}
_SITUACION_DEL_ESTADO = {estado: situacion for situacion, estados in SITUACIONES.items()
                         for estado in estados}
_CUENTAN = (_ACEPTADO, _ACEPTADO_FUERA)

COLUMNAS_REMISION = ["codigo_unidad", "unidad", "situacion", "cuenta", "estado", "archivo",
                     "fecha", "hoja_ruta", "archivos", "ronda", "motivo"]


def _libro(datos):
    return getattr(datos, "libro", None) or datos


def tiene_recepcion(datos) -> bool:
    """Si el libro trae el registro de recepción de los formularios (hoja recepcion)."""
    recepcion = getattr(_libro(datos), "recepcion", None)
    return recepcion is not None and not recepcion.empty


def tabla_remision(datos) -> pd.DataFrame:
    """Una fila por unidad del registro, en su orden: la fila que decide (la última que no es
    un duplicado), con el nombre de la unidad (su código si no está en la hoja unidades), la
    situación, si sus cifras cuentan y cuántos archivos envió."""
    libro = _libro(datos)
    registro = libro.recepcion.reset_index(drop=True)
    if registro.empty:
        return _vacia()
    nombres = libro.unidades.set_index("codigo_unidad")["nombre"]
    filas = []
    for codigo, de_la_unidad in registro.groupby("codigo_unidad", sort=False):
        deciden = de_la_unidad[de_la_unidad["estado"] != _DUPLICADO]
        fila = (deciden if not deciden.empty else de_la_unidad).iloc[-1]
        filas.append({
            "codigo_unidad": codigo,
            "unidad": nombres.get(codigo, codigo),
            "situacion": _SITUACION_DEL_ESTADO.get(fila["estado"], fila["estado"]),
            "cuenta": fila["estado"] in _CUENTAN,
            "estado": fila["estado"],
            "archivo": fila["archivo"],
            "fecha": fila["fecha"],
            "hoja_ruta": fila["hoja_ruta"],
            "archivos": int(de_la_unidad["archivo"].fillna("").astype(str).ne("").sum()),
            "ronda": fila["ronda"],
            "motivo": fila["motivo"],
        })
    return pd.DataFrame(filas, columns=COLUMNAS_REMISION).astype(_vacia().dtypes.to_dict())


def _vacia() -> pd.DataFrame:
    """La tabla sin filas, con los tipos de sus columnas (el CSV y el anexo la escriben
    igual)."""
    tipos = {"cuenta": "bool", "fecha": "datetime64[ns]", "archivos": "int64",
             "ronda": "int64"}
    return pd.DataFrame({c: pd.Series(dtype=tipos.get(c, "str")) for c in COLUMNAS_REMISION})


def conteo_por_situacion(remision: pd.DataFrame) -> pd.Series:
    """Cuántas unidades hay en cada situación, en el orden de `SITUACIONES` (con ceros)."""
    return remision["situacion"].value_counts().reindex(list(SITUACIONES), fill_value=0)
