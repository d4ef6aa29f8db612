"""Lo que el control social observó en las audiencias de rendición de cuentas, lo que la
entidad respondió y cómo van sus compromisos (hoja control_social;
docs/rendicion-de-cuentas.md).

Cada informe de rendición es el de una audiencia: la rendición inicial, la inicial; la de
medio año (`corte: junio`), la parcial; la de diciembre, la final. Presenta:

- `control_social`: las observaciones recibidas en las audiencias anteriores de la misma
  gestión (en la final, las de la inicial y la parcial), con la respuesta de la entidad;
- `compromisos`: los compromisos de esas observaciones y los de la audiencia final de la
  gestión anterior (en la rendición inicial, todos; en la de medio año y la final, los que
  siguen sin cumplirse), con su estado (sin estado escrito, pendiente) y si su plazo ya
  venció sin cumplirse a la fecha de corte del informe.
"""
from __future__ import annotations

import pandas as pd

from helpers.entrada.contrato import AUDIENCIAS, ESTADOS_COMPROMISO

__all__ = ["AUDIENCIAS", "COLUMNAS", "ESTADOS_COMPROMISO", "audiencia_del_informe",
           "tablas_de_control_social", "tiene_compromisos", "tiene_control_social"]

CUMPLIDO = ESTADOS_COMPROMISO[-1]
COLUMNAS = ["gestion", "audiencia", "fecha", "organizacion", "observacion", "respuesta",
            "compromiso", "codigo_unidad", "plazo", "estado", "evidencia"]


def audiencia_del_informe(parametros) -> str | None:
    """La audiencia de la que es el informe: inicial, parcial o final; None si no es una
    rendición de cuentas."""
    if parametros.tipo.periodo == "inicio":
        return "inicial"
    if parametros.informe == "anual":
        return "parcial" if parametros.corte == "junio" else "final"
    return None


def _hoja(datos) -> pd.DataFrame:
    hoja = getattr(datos, "control_social", None)
    if hoja is None or hoja.empty:
        return pd.DataFrame(columns=COLUMNAS)
    return hoja.reindex(columns=COLUMNAS)


def _observaciones(datos, parametros) -> pd.DataFrame:
    """Las de las audiencias de la gestión anteriores a la de este informe."""
    audiencia = audiencia_del_informe(parametros)
    if audiencia is None:
        return pd.DataFrame(columns=COLUMNAS)
    antes = AUDIENCIAS[:AUDIENCIAS.index(audiencia)]
    hoja = _hoja(datos)
    return hoja[(hoja["gestion"] == parametros.gestion) & hoja["audiencia"].isin(antes)]


def _compromisos(datos, parametros) -> pd.DataFrame:
    """Los de la audiencia final de la gestión anterior (en la inicial, todos; después, los
    que siguen sin cumplirse) y los de las audiencias anteriores de la gestión."""
    if audiencia_del_informe(parametros) is None:
        return pd.DataFrame(columns=COLUMNAS)
    hoja = _hoja(datos)
    final_anterior = hoja[(hoja["gestion"] == parametros.gestion - 1)
                          & (hoja["audiencia"] == "final")]
    filas = pd.concat([final_anterior, _observaciones(datos, parametros)])
    con = filas[filas["compromiso"].fillna("").astype(str).str.strip() != ""].copy()
    con["estado"] = con["estado"].fillna("").replace("", ESTADOS_COMPROMISO[0])
    if audiencia_del_informe(parametros) != "inicial":
        # Un compromiso de la gestión anterior ya cumplido se informó en la inicial.
        con = con[(con["gestion"] == parametros.gestion) | (con["estado"] != CUMPLIDO)]
    plazo = pd.to_datetime(con["plazo"], errors="coerce")
    corte = pd.Timestamp(parametros.fecha_corte)
    con["vencido"] = (plazo < corte) & (con["estado"] != CUMPLIDO)
    return con


def _limpia(tabla: pd.DataFrame, columnas: list[str]) -> pd.DataFrame:
    """Las `columnas` de `tabla`, en el orden de las audiencias, con el tipo de cada una
    también sin filas (los datos abiertos lo dicen): texto, fecha, gestión entera."""
    orden = {a: i for i, a in enumerate(AUDIENCIAS)}
    tabla = tabla.assign(_orden=tabla["audiencia"].map(orden)).sort_values(
        ["gestion", "_orden"], kind="stable")
    tabla = tabla.reindex(columns=columnas).reset_index(drop=True)
    texto = [c for c in columnas if c not in ("gestion", "fecha", "plazo", "vencido")]
    tabla[texto] = tabla[texto].fillna("").astype(str)
    tabla["gestion"] = tabla["gestion"].astype("int64")
    for fecha in ("fecha", "plazo"):
        tabla[fecha] = pd.to_datetime(tabla[fecha], errors="coerce")
    if "vencido" in tabla:
        tabla["vencido"] = tabla["vencido"].astype(bool)
    return tabla


def tiene_control_social(datos, parametros) -> bool:
    """Si el informe presenta observaciones del control social o sigue compromisos."""
    return not _observaciones(datos, parametros).empty or tiene_compromisos(datos, parametros)


def tiene_compromisos(datos, parametros) -> bool:
    return not _compromisos(datos, parametros).empty


def tablas_de_control_social(parametros, datos) -> dict[str, pd.DataFrame]:
    """`control_social` y `compromisos` del informe de `parametros` (el docstring del
    módulo); vacías si no es una rendición de cuentas o el libro no trae la hoja."""
    return {
        "control_social": _limpia(_observaciones(datos, parametros), COLUMNAS),
        "compromisos": _limpia(_compromisos(datos, parametros), [*COLUMNAS, "vencido"]),
    }
