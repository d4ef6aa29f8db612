"""El avance por objetivo: lo que las ACP y las operaciones vinculadas a cada objetivo de
cada marco (el PDES, el PEI, los ODS, un plan sectorial, un compromiso internacional)
lograron al corte.

Entran los objetivos y los vínculos del libro (`entrada.marcos.objetivos_y_vinculos`) y el
cálculo del corte (`pasos.Calculo`); salen tres tablas:

- ``aportes``: cada vínculo con las cifras de lo que aporta: el avance físico y la eficacia
  de la ACP o de la operación, su peso en el promedio del objetivo y, de una ACP, la parte de
  su presupuesto que va al objetivo;
- ``objetivos``: cada objetivo, en el orden de su marco (cada uno seguido de los que
  dependen de él), con lo que le aportan él y todos los que dependen de él: cuántas ACP,
  operaciones y unidades, el avance físico y la eficacia promedio y el presupuesto;
- ``sin_vincular``: las operaciones que no aportan a ningún objetivo (ni ellas ni su ACP).

La regla (docs/metodologia.md, «El avance por objetivo», con un ejemplo que
tests/test_objetivos.py calcula):

- el avance físico y la eficacia de un objetivo son la media de los de sus aportes,
  ponderada por el peso de cada vínculo (vacío = 1: todos pesan igual) o, con
  ``metodologia.ponderacion_objetivos: presupuesto``, por el peso del vínculo × el vigente
  de lo que aporta (de una ACP, el de sus líneas; de una operación, el de las líneas de su
  unidad en su ACP); un aporte sin valor en el periodo (nada programado) no se promedia;
- el presupuesto se registra por ACP, no por operación: una ACP vinculada a varios objetivos
  de un marco reparte su vigente y su devengado entre ellos en proporción a los pesos de sus
  vínculos, de modo que cada marco suma, en sus objetivos de primer nivel, el presupuesto de
  sus ACP vinculadas una sola vez; un vínculo de operación no lleva presupuesto.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.contenido import (
    TIPOS_RESULTADO,
    narrativa_del_periodo,
    tiene_vinculos_propios,
)
from helpers.calculo.pasos import MONTOS, Calculo
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.marcos import objetivos_y_vinculos

__all__ = ["FISICAS", "ORIGEN", "PONDERACIONES", "acciones", "aportes", "en_orden",
           "ponderar", "relatos", "sin_vincular", "tabla_objetivos", "tablas_de_alineacion",
           "tablas_de_objetivos", "tiene_operaciones_sin_vincular",
           "vinculos_con_cifras"]

FISICAS = ["avance_fisico_trimestre", "avance_fisico_acumulado", "eficacia_trimestre",
           "eficacia_acumulada"]
# Las reglas de `metodologia.ponderacion_objetivos`.
PONDERACIONES = ("vinculos", "presupuesto")
TIPO_ACP = "acp"
TIPO_OPERACION = "operacion"
# Dónde nombra el libro a cada objetivo (la hoja marcos o articulacion y su fila): el lote por
# objetivo lo cita cuando dos entidades llaman distinto al mismo código.
ORIGEN = ["hoja", "fila"]
# Las columnas propias del indicador de un objetivo (hoja marcos), cuando el libro las trae.
INDICADOR = ["indicador", "linea_base", "meta", "valor_alcanzado", "fuente"]


# -- Lo que aporta cada ACP y cada operación ---------------------------------------------

def _cifras_acp(calc: Calculo) -> pd.DataFrame:
    return calc.niveles["acp"][FISICAS + MONTOS]


def _cifras_operaciones(calc: Calculo) -> pd.DataFrame:
    """Por código de operación: su cumplimiento como avance físico y su eficacia (la del
    trimestre del corte y la suma de los trimestres hasta él), y el vigente de las líneas de
    su unidad en su ACP (su peso con la ponderación por presupuesto)."""
    ops = calc.datos.operaciones
    eficacias = pd.concat(calc.eficacia_operaciones, axis=1)
    tabla = pd.DataFrame({
        "codigo_acp": ops["codigo_acp"].to_numpy(),
        "codigo_unidad": ops["codigo_unidad"].to_numpy(),
        "avance_fisico_trimestre": calc.cumplimientos["trimestre"]["cumplimiento"].to_numpy(),
        "avance_fisico_acumulado": calc.cumplimientos["acumulado"]["cumplimiento"].to_numpy(),
        "eficacia_trimestre": calc.eficacia_operaciones[calc.trimestre].to_numpy(),
        "eficacia_acumulada": eficacias.sum(axis=1, min_count=1).to_numpy(),
    }, index=pd.Index(ops["codigo_operacion"], name="codigo_operacion"))
    lineas = calc.lineas.groupby(["codigo_unidad", "codigo_acp"])["vigente"].sum()
    claves = pd.MultiIndex.from_arrays([tabla["codigo_unidad"], tabla["codigo_acp"]])
    tabla["vigente_de_su_unidad"] = lineas.reindex(claves).fillna(0.0).to_numpy()
    return tabla


def vinculos_con_cifras(calc: Calculo, vinculos: pd.DataFrame) -> pd.DataFrame:
    """Cada vínculo (marco, codigo, codigo_acp o codigo_operacion, peso) con las cifras de
    lo que aporta: `tipo` (acp u operacion), la ACP y la unidad de una operación, las cifras
    físicas, `vigente_propio` (de una ACP, el de sus líneas; de una operación, el de las
    líneas de su unidad en su ACP) y, de una ACP, sus montos enteros."""
    tabla = vinculos[["marco", "codigo", "codigo_acp", "codigo_operacion", "peso"]].copy()
    tabla = tabla.reset_index(drop=True)
    de_acp = tabla["codigo_operacion"].eq("")
    tabla.insert(2, "tipo", np.where(de_acp, TIPO_ACP, TIPO_OPERACION))
    acp, ops = _cifras_acp(calc), _cifras_operaciones(calc)
    # La ACP de una operación, para contar las ACP que aportan a un objetivo.
    tabla.loc[~de_acp, "codigo_acp"] = (
        tabla.loc[~de_acp, "codigo_operacion"].map(ops["codigo_acp"]).fillna(""))
    tabla["codigo_unidad"] = tabla["codigo_operacion"].map(ops["codigo_unidad"]).fillna("")
    for columna in FISICAS:
        tabla[columna] = np.where(de_acp, tabla["codigo_acp"].map(acp[columna]),
                                  tabla["codigo_operacion"].map(ops[columna]))
    tabla["vigente_propio"] = np.nan_to_num(np.where(
        de_acp, tabla["codigo_acp"].map(acp["vigente"]),
        tabla["codigo_operacion"].map(ops["vigente_de_su_unidad"])).astype(float))
    for columna in MONTOS:
        tabla[columna] = tabla["codigo_acp"].map(acp[columna]).where(de_acp)
    return tabla


def ponderar(tabla: pd.DataFrame, ponderacion: str = "vinculos") -> pd.DataFrame:
    """Los vínculos con sus cifras (`vinculos_con_cifras`) listos para promediar y sumar por
    objetivo: `ponderador`, el peso de cada uno en la media de su objetivo según
    `ponderacion` (el peso del vínculo, o ese peso × `vigente_propio`), y `parte`, la
    fracción de los vínculos de su ACP en el marco que lleva cada vínculo de ACP; los montos
    de la ACP quedan multiplicados por su parte."""
    if ponderacion not in PONDERACIONES:
        raise ValueError(f"ponderación desconocida: {ponderacion}")
    tabla = tabla.copy()
    de_acp = tabla["tipo"].eq(TIPO_ACP)
    tabla["ponderador"] = tabla["peso"] * (tabla["vigente_propio"]
                                           if ponderacion == "presupuesto" else 1.0)
    suma_de_pesos = tabla[de_acp].groupby(["marco", "codigo_acp"])["peso"].transform("sum")
    tabla["parte"] = (tabla["peso"] / suma_de_pesos).where(de_acp)
    for columna in [c for c in MONTOS if c in tabla]:
        tabla[columna] = tabla[columna] * tabla["parte"]
    return tabla


def aportes(calc: Calculo, vinculos: pd.DataFrame, ponderacion: str = "vinculos"
            ) -> pd.DataFrame:
    """Cada vínculo con las cifras de lo que aporta, ponderado (`vinculos_con_cifras`,
    `ponderar`)."""
    return ponderar(vinculos_con_cifras(calc, vinculos), ponderacion)


# -- Cada objetivo, con todo lo que depende de él ---------------------------------------

def en_orden(objetivos: pd.DataFrame) -> pd.DataFrame:
    """Los objetivos de cada marco en el orden de lectura: cada uno seguido de los que
    dependen de él (en el orden en que el libro los nombra), con su `profundidad` (0 el
    primer nivel). Un objetivo cuyo padre no está en el libro va como de primer nivel."""
    filas = []
    for _, grupo in objetivos.groupby("marco", sort=False):
        codigos = set(grupo["codigo"])
        hijos: dict[str, list[int]] = {}
        for posicion, padre in zip(grupo.index, grupo["codigo_padre"]):
            hijos.setdefault(padre if padre in codigos else "", []).append(posicion)
        pendientes = [(p, 0) for p in reversed(hijos.get("", []))]
        while pendientes:
            posicion, profundidad = pendientes.pop()
            filas.append((posicion, profundidad))
            codigo = objetivos.at[posicion, "codigo"]
            pendientes += [(p, profundidad + 1) for p in reversed(hijos.get(codigo, []))]
    orden = objetivos.loc[[p for p, _ in filas]].copy()
    orden.insert(orden.columns.get_loc("codigo_padre") + 1, "profundidad",
                 [d for _, d in filas])
    return orden.reset_index(drop=True)


def _debajo(objetivos: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """Para cada objetivo, su código y los de todos los que dependen de él."""
    hijos: dict[tuple[str, str], list[str]] = {}
    for marco, codigo, padre in objetivos[["marco", "codigo", "codigo_padre"]].itertuples(
            index=False):
        if padre:
            hijos.setdefault((marco, padre), []).append(codigo)
    resultado = {}
    for marco, codigo in objetivos[["marco", "codigo"]].itertuples(index=False):
        todos, pendientes = [], [codigo]
        while pendientes:
            actual = pendientes.pop()
            todos.append(actual)
            pendientes += hijos.get((marco, actual), [])
        resultado[marco, codigo] = todos
    return resultado


def _media(aportes_del_objetivo: pd.DataFrame, columna: str) -> float:
    validos = aportes_del_objetivo[aportes_del_objetivo[columna].notna()]
    peso = validos["ponderador"].sum()
    return float((validos[columna] * validos["ponderador"]).sum() / peso) if peso > 0 else np.nan


def _cifras_del_objetivo(propios: pd.DataFrame, operaciones: pd.DataFrame) -> dict:
    """Lo que suman los aportes de un objetivo y de los que dependen de él: las operaciones
    que aportan son las vinculadas y todas las de las ACP vinculadas."""
    acp_directas = propios.loc[propios["tipo"] == TIPO_ACP, "codigo_acp"]
    aportan = (operaciones["codigo_acp"].isin(acp_directas)
               | operaciones["codigo_operacion"].isin(propios["codigo_operacion"]))
    cifras = {
        "vinculos": len(propios),
        "acp": len(set(propios["codigo_acp"]) - {""}),
        "operaciones": int(aportan.sum()),
        "unidades": operaciones.loc[aportan, "codigo_unidad"].nunique(),
    }
    cifras |= {c: _media(propios, c) for c in FISICAS if c in propios}
    cifras |= {c: propios[c].sum(min_count=1) for c in MONTOS if c in propios}
    return cifras


def tabla_objetivos(objetivos: pd.DataFrame, tabla_aportes: pd.DataFrame,
                    operaciones: pd.DataFrame) -> pd.DataFrame:
    """Cada objetivo (en el orden de `en_orden`) con lo que le aportan él y los que dependen
    de él: cuántos vínculos, ACP, operaciones y unidades; el avance físico y la eficacia
    promedio; el vigente y el devengado, y su ejecución."""
    ordenados = en_orden(objetivos)
    debajo = _debajo(ordenados)
    por_objetivo = {clave: grupo for clave, grupo in tabla_aportes.groupby(["marco", "codigo"])}
    vacio = tabla_aportes.iloc[:0]
    filas = []
    for marco, codigo in ordenados[["marco", "codigo"]].itertuples(index=False):
        propios = pd.concat([por_objetivo.get((marco, c), vacio) for c in debajo[marco, codigo]])
        filas.append(_cifras_del_objetivo(propios, operaciones))
    cifras = pd.DataFrame(filas, index=ordenados.index)
    for periodo, devengado in (("trimestre", "devengado_trimestre"),
                               ("acumulada", "devengado_acumulado")):
        if devengado in cifras and "vigente" in cifras:
            cifras[f"ejecucion_{periodo}"] = m.porcentaje(cifras[devengado], cifras["vigente"])
    columnas = ["marco", "codigo", "nivel", "nombre", "codigo_padre", "profundidad"]
    columnas += [c for c in ORIGEN if c in ordenados]
    columnas += [c for c in INDICADOR if c in ordenados and _con_valor(ordenados[c])]
    return ordenados[columnas].join(cifras)


def con_indicadores(objetivos: pd.DataFrame, marcos: pd.DataFrame) -> pd.DataFrame:
    """Los objetivos con el indicador propio que les da la hoja marcos (vacío en los demás)."""
    indicadores = marcos.reindex(columns=["marco", "codigo", *INDICADOR])
    indicadores = indicadores.drop_duplicates(["marco", "codigo"])
    tabla = objetivos.merge(indicadores, on=["marco", "codigo"], how="left")
    for columna in ("indicador", "fuente"):
        tabla[columna] = tabla[columna].fillna("")
    return tabla


def _con_valor(columna: pd.Series) -> bool:
    return bool(columna.replace("", np.nan).notna().any())


def sin_vincular(vinculos: pd.DataFrame, operaciones: pd.DataFrame) -> pd.DataFrame:
    """Las operaciones que no aportan a ningún objetivo de ningún marco: ni ellas ni su ACP
    están vinculadas (`vinculos`: los del libro o los `aportes`)."""
    de_acp = vinculos["codigo_operacion"].eq("")
    acp = set(vinculos.loc[de_acp, "codigo_acp"])
    vinculadas = set(vinculos.loc[~de_acp, "codigo_operacion"])
    fuera = ~operaciones["codigo_acp"].isin(acp) & ~operaciones["codigo_operacion"].isin(
        vinculadas)
    return operaciones.loc[fuera, ["codigo_operacion", "codigo_acp", "codigo_unidad",
                                   "descripcion"]].reset_index(drop=True)


def acciones(tabla_aportes: pd.DataFrame, calc: Calculo, unidades: pd.DataFrame
             ) -> pd.DataFrame:
    """Lo vinculado a cada objetivo, con nombre: cada vínculo con la descripción de su ACP
    y, si es de una operación, la de la operación y el nombre de su unidad (lo que el lote
    por objetivo cita de cada entidad)."""
    nombres_acp = dict(zip(calc.datos.acp["codigo_acp"], calc.datos.acp["descripcion"]))
    ops = calc.datos.operaciones
    nombres_op = dict(zip(ops["codigo_operacion"], ops["descripcion"]))
    nombres_unidad = dict(zip(unidades["codigo_unidad"], unidades["nombre"]))
    tabla = tabla_aportes[["marco", "codigo", "tipo", "codigo_acp", "codigo_operacion",
                           "codigo_unidad", "peso"]].copy()
    tabla.insert(4, "descripcion_acp", tabla["codigo_acp"].map(nombres_acp).fillna(""))
    tabla.insert(6, "descripcion_operacion",
                 tabla["codigo_operacion"].map(nombres_op).fillna(""))
    tabla.insert(8, "nombre_unidad", tabla["codigo_unidad"].map(nombres_unidad).fillna(""))
    return tabla.reset_index(drop=True)


def relatos(tabla_aportes: pd.DataFrame, narrativa: pd.DataFrame, unidades: pd.DataFrame
            ) -> pd.DataFrame:
    """Los logros y dificultades del periodo (`narrativa`, ya del periodo) que las unidades
    escribieron de lo vinculado a cada objetivo: de una ACP vinculada, lo que escribió cada
    unidad para esa ACP; de una operación vinculada, lo que escribió su unidad para su ACP.
    Una fila por objetivo y texto."""
    de_logros = narrativa.loc[narrativa["tipo"].isin(TIPOS_RESULTADO),
                              ["codigo_acp", "codigo_unidad", "tipo", "texto"]]
    vinculados = tabla_aportes[tabla_aportes["codigo_acp"].ne("")]
    de_acp = vinculados.loc[vinculados["tipo"].eq(TIPO_ACP), ["marco", "codigo", "codigo_acp"]]
    de_operacion = vinculados.loc[vinculados["tipo"].eq(TIPO_OPERACION),
                                  ["marco", "codigo", "codigo_acp", "codigo_unidad"]]
    tabla = pd.concat([
        de_acp.drop_duplicates().merge(de_logros, on="codigo_acp", sort=False),
        de_operacion.drop_duplicates().merge(de_logros, on=["codigo_acp", "codigo_unidad"],
                                             sort=False),
    ], ignore_index=True).drop_duplicates(["marco", "codigo", "codigo_acp", "codigo_unidad",
                                           "tipo", "texto"])
    nombres_unidad = dict(zip(unidades["codigo_unidad"], unidades["nombre"]))
    tabla.insert(4, "nombre_unidad", tabla["codigo_unidad"].map(nombres_unidad).fillna(""))
    return tabla[["marco", "codigo", "codigo_acp", "codigo_unidad", "nombre_unidad", "tipo",
                  "texto"]].reset_index(drop=True)


def tablas_de_alineacion(parametros, datos, calc: Calculo | None = None
                         ) -> dict[str, pd.DataFrame]:
    """La tabla `objetivos` de la rendición de cuentas, si el libro trae vínculos propios
    (`tiene_vinculos_propios`); si no, ninguna."""
    if not tiene_vinculos_propios(datos):
        return {}
    return {"objetivos": tablas_de_objetivos(parametros, datos, calc)["objetivos"]}


def tiene_operaciones_sin_vincular(datos, parametros) -> bool:
    """Si alguna operación en vigor al corte no aporta a ningún objetivo: la sección que
    las lista va sólo entonces."""
    _, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    operaciones = version_al_corte(datos, 3 * parametros.trimestre_corte).operaciones
    return not sin_vincular(vinculos, operaciones).empty


def tablas_de_objetivos(parametros, datos, calc: Calculo | None = None
                        ) -> dict[str, pd.DataFrame]:
    """Las tablas del informe por objetivo de estos parámetros
    (notebooks/objetivos/secciones.yaml); `calc`, el cálculo ya hecho al corte."""
    calc = calc or Calculo(datos, parametros.trimestre_corte, parametros.metodologia)
    objetivos, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    objetivos = con_indicadores(objetivos, datos.marcos)
    tabla_aportes = aportes(calc, vinculos, parametros.metodologia.ponderacion_objetivos)
    operaciones = calc.datos.operaciones
    narrativa = narrativa_del_periodo(datos.narrativa, parametros)
    return {
        "objetivos": tabla_objetivos(objetivos, tabla_aportes, operaciones),
        "aportes": tabla_aportes,
        "acciones": acciones(tabla_aportes, calc, datos.unidades),
        "relatos": relatos(tabla_aportes, narrativa, datos.unidades),
        "sin_vincular": sin_vincular(tabla_aportes, operaciones),
    }
