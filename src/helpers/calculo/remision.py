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

from helpers.entrada.contrato import ESTADOS_EVIDENCIA, ESTADOS_RECEPCION

__all__ = [
    "COLUMNAS_EVIDENCIAS",
    "COLUMNAS_REMISION",
    "COLUMNAS_SIN_EVIDENCIA",
    "TABLA_EVIDENCIAS",
    "TABLA_SIN_EVIDENCIA",
    "SITUACIONES",
    "TABLA_REMISION",
    "conteo_por_situacion",
    "tabla_evidencias",
    "tabla_remision",
    "tabla_sin_evidencia",
    "tiene_evidencias",
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
    # Se le devolvió para que lo corrija y la corrección no llegó (columna revision).
    "en observación": (),
    "fuera de plazo, excluido": (_EXCLUIDO_FUERA,),
    "rechazado": (_ALTERADO, _CON_ERRORES),
    "sin formulario": (_FALTANTE,),
}
_SITUACION_DEL_ESTADO = {estado: situacion for situacion, estados in SITUACIONES.items()
                         for estado in estados}
_CUENTAN = (_ACEPTADO, _ACEPTADO_FUERA)

COLUMNAS_REMISION = ["codigo_unidad", "unidad", "situacion", "cuenta", "estado", "archivo",
                     "fecha", "hoja_ruta", "archivos", "ronda", "revision", "motivo"]


def _libro(datos):
    return getattr(datos, "libro", None) or datos


def tiene_recepcion(datos) -> bool:
    """Si el libro trae el registro de recepción de los formularios (hoja recepcion)."""
    recepcion = getattr(_libro(datos), "recepcion", None)
    return recepcion is not None and not recepcion.empty


def _situacion(fila, observados: str) -> tuple[str, bool]:
    """La situación de la unidad y si sus cifras cuentan, por el estado de la recepción y,
    si hubo revisión, el de la revisión: rechazado en ella no cuenta; en observación, según
    `recepcion.observados`."""
    cuenta = fila["estado"] in _CUENTAN
    revision = str(fila.get("revision", "") or "")
    if revision == "rechazado":
        return "rechazado", False
    if revision == "observado" and cuenta:
        return "en observación", observados != "excluir"
    return _SITUACION_DEL_ESTADO.get(fila["estado"], fila["estado"]), cuenta


def tabla_remision(datos, observados: str = "incluir") -> pd.DataFrame:
    """Una fila por unidad del registro, en su orden: la fila que decide (la última que no es
    un duplicado ni un formulario que llegó después de aceptar el de la unidad), con el nombre
    de la unidad (su código si no está en la hoja unidades), la situación, si sus cifras
    cuentan y cuántos archivos envió."""
    libro = _libro(datos)
    registro = libro.recepcion.reset_index(drop=True)
    if registro.empty:
        return _vacia()
    nombres = libro.unidades.set_index("codigo_unidad")["nombre"]
    filas = []
    for codigo, de_la_unidad in registro.groupby("codigo_unidad", sort=False):
        revision = de_la_unidad.get("revision", pd.Series("", index=de_la_unidad.index))
        deciden = de_la_unidad[(de_la_unidad["estado"] != _DUPLICADO)
                               & (revision.fillna("").astype(str) != "no aplicado")]
        fila = (deciden if not deciden.empty else de_la_unidad).iloc[-1]
        situacion, cuenta = _situacion(fila, observados)
        filas.append({
            "codigo_unidad": codigo,
            "unidad": nombres.get(codigo, codigo),
            "situacion": situacion,
            "cuenta": cuenta,
            "estado": fila["estado"],
            "archivo": fila["archivo"],
            "fecha": fila["fecha"],
            "hoja_ruta": fila["hoja_ruta"],
            "archivos": int(de_la_unidad["archivo"].fillna("").astype(str).ne("").sum()),
            "ronda": fila["ronda"],
            "revision": str(fila.get("revision", "") or ""),
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


# --- Las evidencias ---------------------------------------------------------------------

TABLA_EVIDENCIAS = "evidencias"
TABLA_SIN_EVIDENCIA = "sin_evidencia"
COLUMNAS_EVIDENCIAS = ["codigo_unidad", "unidad", "codigo_operacion", "operacion", "archivo",
                       "tipo", "tamano", "huella", "ronda"]
COLUMNAS_SIN_EVIDENCIA = ["codigo_unidad", "unidad", "codigo_operacion", "operacion",
                          "ejecutado"]


def tiene_evidencias(datos) -> bool:
    """Si el libro trae evidencias de las unidades (hoja evidencias, con alguna fila)."""
    evidencias = getattr(_libro(datos), "evidencias", None)
    return evidencias is not None and not evidencias.empty


def _nombres(libro) -> tuple[pd.Series, pd.Series]:
    return (libro.unidades.set_index("codigo_unidad")["nombre"],
            libro.operaciones.drop_duplicates("codigo_operacion").set_index(
                "codigo_operacion")["descripcion"])


def tabla_evidencias(datos) -> pd.DataFrame:
    """Las evidencias recibidas, por operación (en el orden de la hoja operaciones), con su
    archivo, su tipo, su tamaño y su huella: lo que el anexo lista."""
    libro = _libro(datos)
    if not tiene_evidencias(datos):
        return _vacia_de(COLUMNAS_EVIDENCIAS, {"tamano": "int64", "ronda": "int64"})
    unidades, operaciones = _nombres(libro)
    recibidas = libro.evidencias[libro.evidencias["estado"] == ESTADOS_EVIDENCIA[0]]
    orden = {c: i for i, c in enumerate(operaciones.index)}
    tabla = recibidas.assign(
        unidad=recibidas["codigo_unidad"].map(unidades).fillna(recibidas["codigo_unidad"]),
        operacion=recibidas["codigo_operacion"].map(operaciones).fillna(""),
        _orden=recibidas["codigo_operacion"].map(orden))
    tabla = tabla.sort_values(["_orden", "archivo"], kind="stable")
    return tabla[COLUMNAS_EVIDENCIAS].reset_index(drop=True).astype(
        {"tamano": "int64", "ronda": "int64"})


def tabla_sin_evidencia(datos, meses: list[int]) -> pd.DataFrame:
    """Las operaciones con ejecución en `meses` (los del trimestre) y ninguna evidencia
    recibida, si el libro trae evidencias (si no, la tabla va vacía: no se pidieron)."""
    libro = _libro(datos)
    if not tiene_evidencias(datos):
        return _vacia_de(COLUMNAS_SIN_EVIDENCIA, {"ejecutado": "float64"})
    unidades, _ = _nombres(libro)
    operaciones = datos.operaciones
    columnas = [f"ejec_{m:02d}" for m in meses]
    ejecutado = operaciones[columnas].fillna(0).sum(axis=1)
    con_evidencia = set(libro.evidencias.loc[
        libro.evidencias["estado"] == ESTADOS_EVIDENCIA[0], "codigo_operacion"])
    sin = operaciones[(ejecutado > 0) & ~operaciones["codigo_operacion"].isin(con_evidencia)]
    tabla = pd.DataFrame({
        "codigo_unidad": sin["codigo_unidad"],
        "unidad": sin["codigo_unidad"].map(unidades).fillna(sin["codigo_unidad"]),
        "codigo_operacion": sin["codigo_operacion"], "operacion": sin["descripcion"],
        "ejecutado": ejecutado[sin.index].astype(float)})
    return tabla.reset_index(drop=True)


def _vacia_de(columnas: list[str], tipos: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=tipos.get(c, "str")) for c in columnas})
