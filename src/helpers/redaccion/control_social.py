"""Lo que observó el control social y cómo van los compromisos de la entidad, como lo lee una
persona (tablas `control_social` y `compromisos` de ``helpers.calculo.control_social``): en
la rendición de cuentas de medio año y final, y en la inicial (los compromisos de la
audiencia final de la gestión anterior).
"""
from __future__ import annotations

import pandas as pd

from helpers.comun.calendario import fecha_larga
from helpers.comun.numeros import formatear_entero
from helpers.entrada.contrato import ESTADOS_COMPROMISO
from helpers.redaccion import analisis, presentacion
from helpers.redaccion.textos import enumerar

__all__ = ["PLURALES_COMPROMISO", "audiencias", "cuadro_compromisos", "cuadro_observaciones",
           "parrafo_compromisos", "parrafo_observaciones"]

# Cómo se dice cuántos compromisos hay en cada estado: (singular, plural).
PLURALES_COMPROMISO = {"pendiente": ("pendiente", "pendientes"),
                       "en curso": ("en curso", "en curso"),
                       "cumplido": ("cumplido", "cumplidos")}


def _nombre_audiencia(gestion, audiencia: str) -> str:
    return f"la audiencia {audiencia} de la gestión {int(gestion)}"


def audiencias(prep) -> list[tuple[int, str]]:
    """Las audiencias cuyas observaciones presenta el informe, en su orden."""
    tabla = prep.tablas["control_social"]
    return list(dict.fromkeys(zip(tabla["gestion"].astype(int), tabla["audiencia"])))


def _fecha(fechas: pd.Series) -> str:
    validas = fechas.dropna()
    return f" ({fecha_larga(validas.iloc[0].date())})" if len(validas) else ""


def parrafo_observaciones(prep, gestion: int, audiencia: str) -> str:
    """Cuántas observaciones hizo el control social en una audiencia, de cuántas
    organizaciones, cuántas respondió la entidad y cuántos compromisos asumió."""
    tabla = prep.tablas["control_social"]
    filas = tabla[(tabla["gestion"] == gestion) & (tabla["audiencia"] == audiencia)]
    respondidas = int((filas["respuesta"].str.strip() != "").sum())
    compromisos = int((filas["compromiso"].str.strip() != "").sum())
    organizaciones = filas["organizacion"].nunique()
    respuesta = ("a todas" if respondidas == len(filas)
                 else f"{formatear_entero(respondidas)} de ellas")
    return (
        f"En {_nombre_audiencia(gestion, audiencia)}{_fecha(filas['fecha'])}, "
        f"{analisis.contar(organizaciones, 'organización', 'organizaciones')} "
        f"{'hizo' if organizaciones == 1 else 'hicieron'} "
        f"{analisis.contar(len(filas), 'observación', 'observaciones')}; la entidad respondió "
        f"{respuesta} y asumió {analisis.contar(compromisos, 'compromiso', 'compromisos')}."
    )


def cuadro_observaciones(prep, gestion: int, audiencia: str) -> str:
    tabla = prep.tablas["control_social"]
    filas = tabla[(tabla["gestion"] == gestion) & (tabla["audiencia"] == audiencia)]
    return presentacion.tabla(
        filas, ["organizacion", "observacion", "respuesta", "compromiso"],
        titulos={"organizacion": "Organización", "observacion": "Observación",
                 "respuesta": "Respuesta de la entidad", "compromiso": "Compromiso"},
        nombre=f"control-social-{gestion}-{audiencia}")


def parrafo_compromisos(prep) -> str:
    """Cuántos compromisos sigue el informe, de qué audiencias, en qué estado, y cuántos
    tienen el plazo vencido sin cumplirse a la fecha de corte."""
    tabla = prep.tablas["compromisos"]
    cuentas = tabla["estado"].value_counts()
    partes = [analisis.contar(int(cuentas[e]), *PLURALES_COMPROMISO[e])
              for e in reversed(ESTADOS_COMPROMISO) if cuentas.get(e, 0)]
    por_gestion: dict[int, list[str]] = {}
    for g, a in dict.fromkeys(zip(tabla["gestion"].astype(int), tabla["audiencia"])):
        por_gestion.setdefault(g, []).append(a)
    de = enumerar([(f"la audiencia {a[0]}" if len(a) == 1 else f"las audiencias {enumerar(a)}")
                   + f" de la gestión {g}" for g, a in por_gestion.items()])
    texto = (f"De los {analisis.contar(len(tabla), 'compromiso', 'compromisos')} que la "
             f"entidad asumió en {de}: {enumerar(partes)}.")
    vencidos = int(tabla["vencido"].sum())
    if vencidos:
        texto += (f" {analisis.contar(vencidos, 'compromiso tiene', 'compromisos tienen')} "
                  f"el plazo vencido al {prep.fecha_corte} sin haberse cumplido.")
    return texto


def cuadro_compromisos(prep) -> str:
    tabla = prep.tablas["compromisos"].copy()
    nombres = dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))
    tabla["unidad"] = tabla["codigo_unidad"].map(lambda c: nombres.get(c, c))
    tabla["plazo"] = tabla["plazo"].map(lambda f: "" if pd.isna(f) else f"{f:%d/%m/%Y}")
    tabla["estado"] = [f"{e} (vencido)" if v else e
                       for e, v in zip(tabla["estado"], tabla["vencido"])]
    columnas = ["compromiso", "unidad", "plazo", "estado"]
    if (tabla["evidencia"].str.strip() != "").any():
        columnas.append("evidencia")
    return presentacion.tabla(
        tabla, columnas,
        titulos={"compromiso": "Compromiso", "unidad": "Unidad responsable", "plazo": "Plazo",
                 "estado": "Estado", "evidencia": "Evidencia"},
        nombre="compromisos")

