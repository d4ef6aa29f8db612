"""Las recomendaciones con su código y el seguimiento de las de informes anteriores, como los
lee una persona (tablas `recomendaciones` y `seguimiento_recomendaciones` de
``helpers.calculo.recomendaciones``), en el informe trimestral y en la rendición de cuentas.
"""
from __future__ import annotations

import pandas as pd

from helpers.comun.literal import markdown as md
from helpers.entrada.contrato import ESTADOS_RECOMENDACION
from helpers.redaccion import analisis, presentacion
from helpers.redaccion.textos import enumerar

__all__ = ["con_codigo", "cuadro_seguimiento", "de_origen", "parrafo_seguimiento"]

# Cómo se dice cuántas hay de cada estado: (singular, plural).
_ESTADOS = {"pendiente": ("pendiente", "pendientes"), "en curso": ("en curso", "en curso"),
            "cumplida": ("cumplida", "cumplidas"), "no aplica": ("que ya no aplica",
                                                                  "que ya no aplican")}


def con_codigo(codigo: str, cuerpo: str, repite: str = "") -> str:
    """La recomendación con su código delante y, si repite una anterior sin resolver, el
    código de ésa: '**R-2024-T2-03** texto *(repite R-2024-T1-02, sin resolver)*'.
    `cuerpo` ya es Markdown."""
    nota = f" *(repite {md(repite)}, sin resolver)*" if repite else ""
    return f"**{md(codigo)}** {cuerpo}{nota}"


def de_origen(prep, origen: str) -> pd.DataFrame:
    """Las recomendaciones del informe de un origen (planificacion o unidad), en su orden."""
    tabla = prep.tablas["recomendaciones"]
    return tabla[tabla["origen"] == origen]


def parrafo_seguimiento(prep) -> str:
    """Cuántas recomendaciones de informes anteriores hay en cada estado, y cuáles vuelve a
    hacer este informe sin que se hayan resuelto."""
    tabla = prep.tablas["seguimiento_recomendaciones"]
    cuentas = tabla["estado"].value_counts()
    partes = [analisis.contar(int(cuentas[e]), *_ESTADOS[e])
              for e in ESTADOS_RECOMENDACION if cuentas.get(e, 0)]
    informes = enumerar(sorted(set(tabla["informe"]) - {""}))
    texto = (f"De las {analisis.contar(len(tabla), 'recomendación', 'recomendaciones')} de "
             f"informes anteriores ({md(informes)}) que sigue la hoja "
             f"seguimiento_recomendaciones: {enumerar(partes)}.")
    repetidas = tabla[tabla["repetida_en"] != ""]
    if len(repetidas):
        codigos = enumerar([f"{md(a)} (ahora {md(b)})" for a, b in
                            zip(repetidas["codigo"], repetidas["repetida_en"])])
        texto += (f" Este informe vuelve a hacer "
                  f"{analisis.contar(len(repetidas), 'recomendación', 'recomendaciones')} "
                  f"que no se resolvieron: {codigos}.")
    return texto


def cuadro_seguimiento(prep) -> str:
    """Las recomendaciones anteriores con su estado, la unidad que las atiende por su nombre
    y, si se repiten, su código en este informe."""
    tabla = prep.tablas["seguimiento_recomendaciones"].copy()
    nombres = dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))
    tabla["unidad"] = tabla["codigo_unidad"].map(lambda c: nombres.get(c, c))
    columnas = ["codigo", "recomendacion", "unidad", "estado", "observacion"]
    if (tabla["repetida_en"] != "").any():
        columnas.append("repetida_en")
    return presentacion.tabla(
        tabla, columnas,
        titulos={"codigo": "Código", "recomendacion": "Recomendación", "unidad": "Unidad",
                 "estado": "Estado", "observacion": "Observación",
                 "repetida_en": "Se repite en"},
        nombre="seguimiento-recomendaciones")
