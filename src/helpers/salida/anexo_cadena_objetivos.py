"""Las hojas del avance por objetivo en la cadena de cálculo del anexo (informe por objetivo):
`vinculos` toma de las hojas acps, operaciones y presupuesto las cifras de lo que aporta cada
vínculo y las pondera; `por_objetivo` las promedia y las suma por objetivo, con lo vinculado a
él y a los que dependen de él (docs/metodologia.md, §15; `helpers.calculo.objetivos`).

- Entra: las tablas `aportes` y `objetivos` del informe (sus filas, en su orden: los datos
  de cada vínculo y de cada objetivo), el contexto de la cadena y sus hojas ya armadas.
- Sale: las dos hojas (`Hoja`), con fórmulas. Un objetivo reconoce sus vínculos por el
  camino de cada uno (`ancestro:0`, `ancestro:1`...: el código de cada nivel por encima del
  objetivo del vínculo, valores de los datos): los de un objetivo de profundidad d tienen
  su código en `ancestro:d`. Los códigos se comparan con EXACT, nunca con MATCH o SUMIFS,
  que toman `*` y `?` como comodines.
"""
from __future__ import annotations

import pandas as pd

from helpers.salida.anexo_cadena_hoja import Hoja
from helpers.salida.anexo_cadena_piezas import ACUMULADO, Contexto, femenino
from helpers.salida.anexo_formatos import (
    FORMATO_CODIGO,
    FORMATO_DECIMAL,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
)

__all__ = ["HOJAS_OBJETIVOS", "HOJA_POR_OBJETIVO", "HOJA_VINCULOS", "hoja_por_objetivo",
           "hoja_vinculos"]

HOJA_VINCULOS = "vinculos"
HOJA_POR_OBJETIVO = "por_objetivo"
HOJAS_OBJETIVOS = (HOJA_VINCULOS, HOJA_POR_OBJETIVO)
_ES_ACP = 'EXACT({tipo},"acp")'


def _tomar(claves: str, celda: str, columna: str) -> str:
    """El valor de `columna` en la fila cuya clave es `celda` (claves únicas); vacío si no
    tiene número."""
    fila = f"EXACT({claves},{celda})"
    return (f'IF(SUMPRODUCT({fila}*ISNUMBER({columna}))=0,"",'
            f"SUMPRODUCT({fila}*ISNUMBER({columna}),{columna}))")


def _caminos(aportes: pd.DataFrame, objetivos: pd.DataFrame) -> list[list[str]]:
    """Para cada vínculo, los códigos del primer nivel al de su objetivo."""
    padres = dict(zip(zip(objetivos["marco"], objetivos["codigo"]), objetivos["codigo_padre"]))
    caminos = []
    for marco, codigo in zip(aportes["marco"], aportes["codigo"]):
        camino = [codigo]
        while padres.get((marco, camino[0]), ""):
            camino.insert(0, padres[marco, camino[0]])
        caminos.append(camino)
    return caminos


def _profundidad(objetivos: pd.DataFrame) -> int:
    return int(objetivos["profundidad"].max()) + 1 if len(objetivos) else 1


def hoja_vinculos(ctx: Contexto, aportes: pd.DataFrame, objetivos: pd.DataFrame, ops: Hoja,
                  pres: Hoja, acps: Hoja) -> Hoja:
    h = Hoja(HOJA_VINCULOS, len(aportes))
    h.valor("marco", "Marco", None, aportes["marco"])
    h.valor("codigo", "Objetivo", None, aportes["codigo"])
    h.valor("tipo", "Tipo", None, aportes["tipo"])
    h.valor("acp", "Código de ACP", None, aportes["codigo_acp"])
    h.valor("operacion", "Código de operación", None, aportes["codigo_operacion"])
    h.valor("unidad", "Código de unidad", None, aportes["codigo_unidad"])
    h.valor("peso", "Peso", FORMATO_DECIMAL, aportes["peso"].astype(float))
    caminos = _caminos(aportes, objetivos)
    for d in range(_profundidad(objetivos)):
        h.valor(f"ancestro:{d}", f"Objetivo de nivel {d + 1}", FORMATO_CODIGO,
                [c[d] if d < len(c) else "" for c in caminos])
    es_acp = _ES_ACP.format(tipo=h.c("tipo"))
    _fisicas(h, ctx, ops, acps, es_acp)
    de_acp, de_unidad = (f"EXACT({pres.rango('acp')},{h.c('acp')})",
                         f"EXACT({pres.rango('unidad')},{h.c('unidad')})")
    h.formula("vigente_propio", "Vigente propio (Bs)", FORMATO_MONTO,
              "de una ACP, su vigente (acps); de una operación, el de las líneas de "
              "presupuesto de su unidad en su ACP",
              f"=IF({es_acp},{_tomar(acps.rango('codigo'), h.c('acp'), acps.rango('vigente'))},"
              f"SUMPRODUCT({de_acp}*{de_unidad},{pres.rango('vigente')}))")
    presupuesto = ctx.metodologia.ponderacion_objetivos == "presupuesto"
    h.formula("ponderador", "Ponderador", FORMATO_DECIMAL,
              "peso × vigente propio (ponderacion_objetivos: presupuesto)" if presupuesto
              else "el peso (ponderacion_objetivos: vinculos)",
              f"={h.c('peso')}*{h.c('vigente_propio')}" if presupuesto else f"={h.c('peso')}")
    mismos = (f"EXACT({h.rango('marco')},{h.c('marco')})*EXACT({h.rango('tipo')},\"acp\")"
              f"*EXACT({h.rango('acp')},{h.c('acp')})")
    h.formula("parte", "Parte del presupuesto de la ACP", "0.0000",
              "de un vínculo de ACP: su peso / la suma de los pesos de los vínculos de esa ACP "
              "en el marco; vacía en uno de operación",
              f'=IF({es_acp},{h.c("peso")}/SUMPRODUCT({mismos},{h.rango("peso")}),"")')
    for clave, encabezado in (("vigente", "Vigente (Bs)"),
                              (f"devengado:{ctx.actual.etiqueta}",
                               f"Devengado {ctx.actual.etiqueta} (Bs)"),
                              (f"devengado:{ACUMULADO}", "Devengado acumulado (Bs)")):
        h.formula(clave, encabezado, FORMATO_MONTO,
                  f"de un vínculo de ACP: su parte × «{encabezado}» de la ACP (acps); vacía en "
                  "uno de operación",
                  f'=IF({es_acp},{h.c("parte")}*'
                  f'{_tomar(acps.rango("codigo"), h.c("acp"), acps.rango(clave))},"")')
    return h


def _fisicas(h: Hoja, ctx: Contexto, ops: Hoja, acps: Hoja, es_acp: str) -> None:
    """Avance del corte y acumulado, eficacia de cada trimestre y acumulada: de la ACP (acps)
    o de la operación (operaciones: su cumplimiento, y su eficacia con la regla de la
    participación)."""
    def de_acp(clave: str) -> str:
        return _tomar(acps.rango("codigo"), h.c("acp"), acps.rango(clave))

    def de_operacion(clave: str) -> str:
        return _tomar(ops.rango("codigo"), h.c("operacion"), ops.rango(clave))

    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"avance:{e}", f"Avance físico {e} (%)", FORMATO_PORCENTAJE,
                  f"de una ACP, su avance físico {e} (acps); de una operación, su cumplimiento",
                  f"=IF({es_acp},{de_acp(f'avance:{e}')},{de_operacion(f'cumplimiento:{e}')})")
    for per in ctx.trimestres:
        e = per.etiqueta
        if ctx.programada:
            de_la_operacion = de_operacion(f"eficacia:{e}")
        else:
            cumplimiento = de_operacion(f"cumplimiento:{e}")
            de_la_operacion = (f'IF(ISNUMBER({cumplimiento}),{cumplimiento}'
                               f'*{ctx.p["participacion"]}/100,"")')
        h.formula(f"eficacia:{e}", f"Eficacia {e} (%)", FORMATO_PORCENTAJE,
                  f"de una ACP, su eficacia {e} (acps); de una operación, la suya",
                  f"=IF({es_acp},{de_acp(f'eficacia:{e}')},{de_la_operacion})")
    lista = ",".join(h.c(f"eficacia:{per.etiqueta}") for per in ctx.trimestres)
    h.formula(f"eficacia:{ACUMULADO}", "Eficacia acumulada (%)", FORMATO_PORCENTAJE,
              "suma de las eficacias de los trimestres hasta el corte; vacía si ninguno tiene "
              "valor", f'=IF(COUNT({lista})=0,"",SUM({lista}))')


def hoja_por_objetivo(ctx: Contexto, objetivos: pd.DataFrame, vinc: Hoja) -> Hoja:
    h = Hoja(HOJA_POR_OBJETIVO, len(objetivos))
    h.valor("marco", "Marco", None, objetivos["marco"])
    h.valor("codigo", "Código", None, objetivos["codigo"])
    h.valor("nivel", "Nivel", None, objetivos["nivel"])
    h.valor("nombre", "Objetivo", None, objetivos["nombre"])
    h.valor("profundidad", "Profundidad", FORMATO_CODIGO, objetivos["profundidad"].astype(int))
    niveles = ",".join(vinc.rango(f"ancestro:{d}") for d in range(_profundidad(objetivos)))
    elegidos = (f"EXACT({vinc.rango('marco')},{h.c('marco')})"
                f"*EXACT(CHOOSE({h.c('profundidad')}+1,{niveles}),{h.c('codigo')})")
    h.formula("vinculos", "Vínculos", FORMATO_CODIGO,
              "los vínculos del objetivo y de los que dependen de él (vinculos: su marco y su "
              "código en la columna del nivel del objetivo)", f"=SUMPRODUCT({elegidos})")
    ponderador = vinc.rango("ponderador")
    medidas = [(f"avance:{ctx.actual.etiqueta}", f"Avance físico {ctx.actual.etiqueta} (%)"),
               (f"avance:{ACUMULADO}", "Avance físico acumulado (%)"),
               (f"eficacia:{ctx.actual.etiqueta}", f"Eficacia {ctx.actual.etiqueta} (%)"),
               (f"eficacia:{ACUMULADO}", "Eficacia acumulada (%)")]
    for clave, encabezado in medidas:
        valores = vinc.rango(clave)
        con_valor = f"{elegidos}*ISNUMBER({valores})"
        h.formula(clave, encabezado, FORMATO_PORCENTAJE,
                  f"media de «{encabezado}» de sus vínculos con valor, ponderada por su "
                  "ponderador; vacía si ninguno tiene valor",
                  f"=IF(SUMPRODUCT({con_valor},{ponderador})>0,SUMPRODUCT({con_valor},{valores},"
                  f'{ponderador})/SUMPRODUCT({con_valor},{ponderador}),"")')
    for clave, encabezado in (("vigente", "Vigente (Bs)"),
                              (f"devengado:{ctx.actual.etiqueta}",
                               f"Devengado {ctx.actual.etiqueta} (Bs)"),
                              (f"devengado:{ACUMULADO}", "Devengado acumulado (Bs)")):
        valores = vinc.rango(clave)
        con_valor = f"{elegidos}*ISNUMBER({valores})"
        h.formula(clave, encabezado, FORMATO_MONTO,
                  f"suma de «{encabezado}» de sus vínculos de ACP; vacía si no tiene ninguno",
                  f'=IF(SUMPRODUCT({con_valor})=0,"",SUMPRODUCT({con_valor},{valores}))')
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        vigente, devengado = h.c("vigente"), h.c(f"devengado:{e}")
        h.formula(f"ejecucion:{e}", f"Ejecución {femenino(e)} (%)", FORMATO_PORCENTAJE,
                  f"devengado {e} / vigente × 100; vacía sin vigente mayor que 0",
                  f'=IF(ISNUMBER({vigente}),IF({vigente}>0,{devengado}/{vigente}*100,""),"")')
    return h
