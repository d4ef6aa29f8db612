"""El anexo del consolidado por objetivo de un lote (`anexo.xlsx` en su carpeta): las tablas
del consolidado, como sus CSV, y dos hojas que rehacen con fórmulas cada total por objetivo.

- `cifras_entidades`: lo que aporta cada entidad a cada objetivo, las cifras de su propio
  informe por objetivo (su `tablas/objetivos.csv`, que su propio anexo rehace desde su libro);
- `suma_por_objetivo`: por objetivo, cuántas entidades aportan y, de sus filas en
  `cifras_entidades`, la suma de ACP, operaciones, unidades y montos, la media simple del
  avance físico y de la eficacia con valor y la ejecución (la regla de docs/lote.md).

Los códigos se comparan con EXACT, nunca con SUMIFS o MATCH, que toman `*` y `?` como
comodines.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from helpers.calculo.consolidado_objetivos import TABLAS
from helpers.salida.anexo import escribir_anexo
from helpers.salida.anexo_cadena_hoja import Hoja
from helpers.salida.anexo_formatos import FORMATO_CODIGO, FORMATO_MONTO, FORMATO_PORCENTAJE

__all__ = ["HOJA_CIFRAS", "HOJA_SUMA", "escribir_anexo_lote", "hoja_cifras", "hoja_suma"]

HOJA_CIFRAS = "cifras_entidades"
HOJA_SUMA = "suma_por_objetivo"


def _medidas(trimestre: int) -> list[tuple[str, str, str]]:
    """(columna de la tabla, clave de la hoja, encabezado) de las cifras físicas y los montos."""
    t = f"T{trimestre}"
    return [
        ("avance_fisico_trimestre", f"avance:{t}", f"Avance físico {t} (%)"),
        ("avance_fisico_acumulado", "avance:acumulado", "Avance físico acumulado (%)"),
        ("eficacia_trimestre", f"eficacia:{t}", f"Eficacia {t} (%)"),
        ("eficacia_acumulada", "eficacia:acumulado", "Eficacia acumulada (%)"),
        ("vigente", "vigente", "Vigente (Bs)"),
        ("devengado_trimestre", f"devengado:{t}", f"Devengado {t} (Bs)"),
        ("devengado_acumulado", "devengado:acumulado", "Devengado acumulado (Bs)"),
    ]


_CONTEOS = [("vinculos", "Vínculos"), ("acp", "ACP"), ("operaciones", "Operaciones"),
            ("unidades", "Unidades")]


def hoja_cifras(por_entidad: pd.DataFrame, trimestre: int) -> Hoja:
    h = Hoja(HOJA_CIFRAS, len(por_entidad))
    h.valor("entidad", "Entidad", None, por_entidad["entidad"])
    h.valor("sigla", "Sigla", None, por_entidad["sigla"])
    h.valor("marco", "Marco", None, por_entidad["marco"])
    h.valor("codigo", "Objetivo", None, por_entidad["codigo"])
    for columna, encabezado in _CONTEOS:
        h.valor(columna, encabezado, FORMATO_CODIGO, por_entidad[columna].astype(int))
    for columna, clave, encabezado in _medidas(trimestre):
        formato = FORMATO_MONTO if "(Bs)" in encabezado else FORMATO_PORCENTAJE
        h.valor(clave, encabezado, formato, por_entidad[columna].astype(float))
    return h


def hoja_suma(objetivos: pd.DataFrame, cifras: Hoja, trimestre: int) -> Hoja:
    h = Hoja(HOJA_SUMA, len(objetivos))
    h.valor("marco", "Marco", None, objetivos["marco"])
    h.valor("codigo", "Código", None, objetivos["codigo"])
    h.valor("nivel", "Nivel", None, objetivos["nivel"])
    h.valor("nombre", "Objetivo", None, objetivos["nombre"])
    elegidas = (f"EXACT({cifras.rango('marco')},{h.c('marco')})"
                f"*EXACT({cifras.rango('codigo')},{h.c('codigo')})")
    h.formula("entidades", "Entidades", FORMATO_CODIGO,
              f"las filas de {HOJA_CIFRAS} con el marco y el código del objetivo (una por "
              "entidad que aporta)", f"=SUMPRODUCT({elegidas})")
    for columna, encabezado in _CONTEOS:
        h.formula(columna, encabezado, FORMATO_CODIGO,
                  f"suma de «{encabezado}» de las entidades que aportan",
                  f"=SUMPRODUCT({elegidas},{cifras.rango(columna)})")
    for _, clave, encabezado in _medidas(trimestre):
        valores = cifras.rango(clave)
        con_valor = f"{elegidas}*ISNUMBER({valores})"
        if "(Bs)" in encabezado:
            h.formula(clave, encabezado, FORMATO_MONTO,
                      f"suma de «{encabezado}» de las entidades que aportan; vacía si "
                      "ninguna tiene valor",
                      f'=IF(SUMPRODUCT({con_valor})=0,"",SUMPRODUCT({con_valor},{valores}))')
        else:
            h.formula(clave, encabezado, FORMATO_PORCENTAJE,
                      f"media simple de «{encabezado}» de las entidades que aportan y tienen "
                      "valor; vacía si ninguna lo tiene",
                      f"=IF(SUMPRODUCT({con_valor})>0,SUMPRODUCT({con_valor},{valores})"
                      f'/SUMPRODUCT({con_valor}),"")')
    for periodo, etiqueta in ((f"T{trimestre}", f"T{trimestre}"), ("acumulado", "acumulada")):
        vigente, devengado = h.c("vigente"), h.c(f"devengado:{periodo}")
        h.formula(f"ejecucion:{periodo}", f"Ejecución {etiqueta} (%)", FORMATO_PORCENTAJE,
                  f"devengado {periodo} / vigente × 100; vacía sin vigente mayor que 0",
                  f'=IF(ISNUMBER({vigente}),IF({vigente}>0,{devengado}/{vigente}*100,""),"")')
    return h


def escribir_anexo_lote(tablas: dict[str, pd.DataFrame], ruta: Path, parametros) -> Path:
    """Escribe el anexo del consolidado por objetivo (`tablas`: las de
    `consolidar_objetivos`); la fecha del libro es la del corte, como en los informes."""
    trimestre = parametros.trimestre_corte
    cifras = hoja_cifras(tablas["por_entidad"], trimestre)
    suma = hoja_suma(tablas["objetivos"], cifras, trimestre)
    fecha = dt.datetime.combine(parametros.fecha_corte, dt.time())
    # Sin la regla de la eficacia de un informe (avance × participación): la eficacia de
    # una entidad es la de su informe, con su metodología, y la del total, una media.
    return escribir_anexo({nombre: tablas[nombre] for nombre in TABLAS}, ruta,
                          participacion_trimestral=None, hojas=(cifras, suma), fecha=fecha)
