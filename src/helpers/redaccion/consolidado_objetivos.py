"""El consolidado por objetivo de un lote, como lo lee una persona
(notebooks/consolidado/objetivos.ipynb): las entidades y la regla, el cuadro y el gráfico de
cada marco y, bajo cada objetivo al que alguien aporta, lo que aportó cada entidad (cifras, lo
vinculado y lo que sus unidades escribieron), y al final las entidades que no aportan.

Entran las tablas que escribió el lote (`calculo.consolidado_objetivos.
leer_consolidado_objetivos`) y su `lote.json`. Ningún número ni nombre se escribe a mano; todo
texto de los libros entra con ``md``.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo.consolidado_objetivos import APORTA, NO_DISPONIBLE, SIN_VINCULOS
from helpers.calculo.objetivos import TIPO_ACP
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_monto
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import graficos_corte, presentacion
from helpers.redaccion.analisis import contar
from helpers.redaccion.textos import enumerar

__all__ = ["APORTA", "aportes_objetivo", "cuadro_marco", "cuadro_objetivo", "cuadro_sin_aportes",
           "grafico_marco", "marcos", "objetivos_con_aportes", "parrafo_lote", "parrafo_marco",
           "parrafo_sin_aportes", "regla_lote", "titulo_marco",
           "titulo_objetivo"]

_SANGRIA = "\u2003"
_TITULOS = {"codigo": "Código", "nombre": "Objetivo", "entidades": "Entidades", "acp": "ACP",
            "operaciones": "Operaciones", "entidad": "Entidad", "sigla": "Sigla",
            "estado": "Estado", "motivo": "Motivo"}
_FORMATOS = {"codigo": "texto", "nombre": "texto", "entidades": "entero", "acp": "entero",
             "operaciones": "entero", "entidad": "texto", "sigla": "texto", "estado": "texto",
             "motivo": "texto"}
_CIFRAS = ["acp", "operaciones", "avance_fisico_acumulado", "eficacia_acumulada", "vigente",
           "devengado_acumulado", "ejecucion_acumulada"]
# El cuadro de un objetivo: cabe en una hoja vertical del DOCX (el devengado está en el de
# su marco y en tablas/por_entidad.csv).
_CIFRAS_OBJETIVO = ["acp", "operaciones", "avance_fisico_acumulado", "eficacia_acumulada",
                    "vigente", "ejecucion_acumulada"]
_TOTAL = "Todas las entidades"


def marcos(tablas: dict) -> list[str]:
    """Los marcos del consolidado, en el orden en que las entidades los nombran."""
    return list(pd.unique(tablas["objetivos"]["marco"]))


def _del_marco(tablas: dict, marco: str) -> pd.DataFrame:
    objetivos = tablas["objetivos"]
    return objetivos[objetivos["marco"] == marco]


def _por_estado(tablas: dict, estado: str) -> pd.DataFrame:
    entidades = tablas["entidades"]
    return entidades[entidades["estado"] == estado]


def parrafo_lote(tablas: dict, lote: dict) -> str:
    """Qué reúne el consolidado: cuántas entidades, cuántas aportan, los marcos juntados."""
    total = len(tablas["entidades"])
    aportan = len(_por_estado(tablas, APORTA))
    sin_vinculos = len(_por_estado(tablas, SIN_VINCULOS))
    sin_informe = len(_por_estado(tablas, NO_DISPONIBLE))
    texto = (f"El lote reúne los informes por objetivo de "
             f"{contar(total, 'entidad', 'entidades')}, con corte al {lote['fecha_corte']}: "
             f"{contar(aportan, 'aporta', 'aportan')} a algún objetivo")
    otras = []
    if sin_vinculos:
        otras.append(f"{contar(sin_vinculos, 'no vincula', 'no vinculan')} nada a ninguno")
    if sin_informe:
        otras.append(f"{contar(sin_informe, 'no tiene', 'no tienen')} informe")
    texto += ("; " + " y ".join(otras) + " (al final, cuáles y por qué)." if otras else ".")
    objetivos = tablas["objetivos"]
    por_marco = [f"{md(marco)} ({contar(len(grupo), 'objetivo', 'objetivos')})"
                 for marco, grupo in objetivos.groupby("marco", sort=False)]
    if por_marco:
        texto += (f" Los marcos de las entidades, juntados por su código, son "
                  f"{contar(len(por_marco), 'marco', 'marcos')}: {enumerar(por_marco)}.")
    return texto


def regla_lote() -> str:
    """Cómo se suman las entidades en cada objetivo (docs/lote.md)."""
    return ("Cada entidad aporta a un objetivo lo que su propio informe por objetivo le "
            "atribuye a él y a los objetivos que dependen de él, con su propia regla de "
            "ponderación. En la fila de todas las entidades, las ACP, las operaciones y el "
            "presupuesto se suman; el avance físico y la eficacia son la media simple de las "
            "entidades que aportan y tienen valor, y la ejecución es el devengado sumado "
            "sobre el vigente sumado.")


def titulo_marco(marco: str) -> str:
    return f"## {md(marco)}"


def parrafo_marco(tablas: dict, marco: str) -> str:
    """El marco en una frase: a cuántos de sus objetivos aporta alguna entidad, y cuántas
    entidades aportan a su primer nivel y con qué presupuesto."""
    tabla = _del_marco(tablas, marco)
    con_aportes = tabla[tabla["entidades"] > 0]
    primer = tabla[tabla["profundidad"] == 0]
    aportan = tablas["por_entidad"]
    aportan = aportan.loc[aportan["marco"] == marco, "sigla"].nunique()
    texto = (f"De los {contar(len(tabla), 'objetivo', 'objetivos')} del marco {md(marco)}, "
             f"{contar(len(con_aportes), 'recibe', 'reciben')} aportes de "
             f"{contar(aportan, 'entidad', 'entidades')}.")
    vigente = primer["vigente"].sum(min_count=1)
    if pd.notna(vigente):
        texto += (f" Las ACP vinculadas a este marco suman un presupuesto vigente de Bs "
                  f"{formatear_monto(vigente)}, con una ejecución acumulada de "
                  f"{pct(primer['devengado_acumulado'].sum() / vigente * 100)}."
                  if vigente > 0 else "")
    return texto


def cuadro_marco(tablas: dict, marco: str) -> str:
    """Los objetivos del marco, cada uno bajo el que lo contiene, con lo que le aportan todas
    las entidades."""
    tabla = _del_marco(tablas, marco).copy()
    tabla["nombre"] = [_SANGRIA * int(p) + str(n)
                       for p, n in zip(tabla["profundidad"], tabla["nombre"])]
    return presentacion.tabla(tabla, ["codigo", "nombre", "entidades", *_CIFRAS],
                              titulos=_TITULOS, formatos=_FORMATOS,
                              nombre=f"marco-{marcos(tablas).index(marco)}")


def grafico_marco(tablas: dict, marco: str):
    """Eficacia y ejecución financiera acumuladas de los objetivos del marco con aportes."""
    tabla = _del_marco(tablas, marco)
    tabla = tabla[tabla["entidades"] > 0]
    return graficos_corte.fisico_financiero(
        tabla, "codigo", f"Eficacia y ejecución financiera acumuladas por objetivo: {marco}",
        periodo="acumulado", incluir_total=False)


def objetivos_con_aportes(tablas: dict, marco: str) -> pd.DataFrame:
    """Los objetivos del marco a los que aporta alguna entidad, en el orden del marco."""
    tabla = _del_marco(tablas, marco)
    return tabla[tabla["entidades"] > 0]


def titulo_objetivo(fila) -> str:
    return f"### {md(fila['codigo'])} {md(fila['nombre'])}"


def cuadro_objetivo(tablas: dict, fila) -> str:
    """Lo que aporta cada entidad al objetivo (con lo que depende de él) y, al final, todas."""
    por_entidad = tablas["por_entidad"]
    suyas = por_entidad[(por_entidad["marco"] == fila["marco"])
                        & (por_entidad["codigo"] == fila["codigo"])]
    total = pd.DataFrame([{**{c: fila[c] for c in _CIFRAS_OBJETIVO}, "entidad": _TOTAL}])
    tabla = pd.concat([suyas, total], ignore_index=True)
    return presentacion.tabla(tabla, ["entidad", *_CIFRAS_OBJETIVO], titulos=_TITULOS,
                              formatos=_FORMATOS, clave_total="entidad",
                              subtotales=[_TOTAL],
                              nombre=f"objetivo-{fila.name}")


def _suyas(tabla: pd.DataFrame, fila) -> pd.DataFrame:
    return tabla[(tabla["marco"] == fila["marco"]) & (tabla["codigo"] == fila["codigo"])]


def _vinculado(acciones: pd.DataFrame) -> list[str]:
    lineas = []
    for a in acciones.itertuples():
        if a.tipo == TIPO_ACP:
            lineas.append(f"- ACP {md(a.codigo_acp)}: {md(a.descripcion_acp)}")
        else:
            lineas.append(f"- Operación {md(a.codigo_operacion)}: {md(a.descripcion_operacion)} "
                          f"({md(a.nombre_unidad)}; ACP {md(a.codigo_acp)})")
    return lineas


def _relatado(relatos: pd.DataFrame) -> list[str]:
    partes = []
    for tipo, titulo in (("logro", "Logros"), ("dificultad", "Dificultades")):
        del_tipo = relatos[relatos["tipo"] == tipo].drop_duplicates(["codigo_unidad", "texto"])
        if len(del_tipo):
            partes.append(f"*{titulo}:*\n\n" + "\n".join(
                f"- {md(r.texto)} ({md(r.nombre_unidad)})" for r in del_tipo.itertuples()))
    return partes


def aportes_objetivo(tablas: dict, fila) -> list[str]:
    """Por entidad, lo que vinculó a este objetivo (no a los que dependen de él: sus ACP y
    sus operaciones, con su descripción y su unidad) y los logros y las dificultades que sus
    unidades escribieron de ello."""
    acciones, relatos = _suyas(tablas["acciones"], fila), _suyas(tablas["relatos"], fila)
    if acciones.empty:
        return ["Ninguna entidad vincula algo a este objetivo mismo: le aportan a través de "
                "los objetivos que dependen de él."]
    nombres = dict(zip(tablas["entidades"]["sigla"], tablas["entidades"]["entidad"]))
    bloques = []
    for sigla, grupo in acciones.groupby("sigla", sort=False):
        partes = [f"**{md(nombres.get(sigla, sigla))} ({md(sigla)})**",
                  "*Lo vinculado:*\n\n" + "\n".join(_vinculado(grupo)),
                  *_relatado(relatos[relatos["sigla"] == sigla])]
        bloques.append("\n\n".join(partes))
    return bloques


def parrafo_sin_aportes(tablas: dict) -> str:
    sin = tablas["entidades"][tablas["entidades"]["estado"] != APORTA]
    return (f"{contar(len(sin), 'entidad del lote no figura', 'entidades del lote no figuran')}"
            " bajo ningún objetivo: su libro no vincula nada a ningún objetivo, o su informe "
            "no se generó (el motivo es el mensaje de su corrida). Sus cifras no entran en "
            "ningún total.")


def cuadro_sin_aportes(tablas: dict) -> str:
    sin = tablas["entidades"][tablas["entidades"]["estado"] != APORTA].copy()
    sin["estado"] = sin["estado"].str.capitalize()
    return presentacion.tabla(sin, ["entidad", "sigla", "estado", "motivo"], titulos=_TITULOS,
                              formatos=_FORMATOS, nombre="entidades-sin-aportes")
