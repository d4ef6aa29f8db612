"""La rendición de cuentas inicial como la lee una persona: las frases y los cuadros de
notebooks/rendicion_inicial/ a partir de las tablas de ``helpers.calculo.inicial``.

Ningún número ni nombre se escribe a mano: todo sale de las tablas calculadas, de las hojas
del libro y de los parámetros; las áreas y las unidades se nombran con su nombre, y todo texto
del libro entra con ``md``.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo.formulacion import fuentes_en_orden
from helpers.calculo.tablas import TOTAL
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_monto
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import analisis, presentacion
from helpers.redaccion.formulacion import SIN_FUENTE
from helpers.redaccion.textos import enumerar

__all__ = ["cuadro_acp", "cuadro_alineacion", "cuadro_metas", "cuadro_presupuesto",
           "cuadro_presupuesto_programa", "cuadro_resumen", "cuadro_unidades",
           "marcos_de_la_alineacion", "parrafo_alineacion", "parrafo_operaciones",
           "parrafo_presupuesto", "parrafo_resumen", "regla_metas", "regla_poa_aprobado",
           "regla_presupuesto"]

# Cómo se dice una línea del presupuesto sin grupo de gasto.
SIN_GRUPO = "Sin grupo de gasto"


def _total(tabla: pd.DataFrame, clave: str, columna: str) -> float:
    return float(tabla.loc[tabla[clave] == TOTAL, columna].iloc[0])


def _fila_total(tabla: pd.DataFrame, clave: str) -> pd.Series:
    return tabla.loc[tabla[clave] == TOTAL].iloc[0]


# ---------------------------------------------------------------------------------------
# Portada

def parrafo_resumen(prep) -> str:
    """Lo que la entidad se propone en la gestión, en una frase por cifra: ACP, operaciones,
    unidades, áreas y presupuesto inicial, con la fuente que más aporta."""
    acp, unidades = prep.tablas["resultados_esperados"], prep.tablas["operaciones_por_unidad"]
    fuentes = prep.tablas["presupuesto_fuente"]
    n_acp = int((acp["codigo_acp"] != TOTAL).sum())
    total = _fila_total(acp, "codigo_acp")
    areas = int((unidades["nivel"] == "area").sum())
    con_ops = int(((unidades["nivel"] == "unidad") & (unidades["operaciones"] > 0)).sum())
    texto = (
        f"Para la gestión {prep.gestion}, {md(prep.entidad)} ({md(prep.sigla)}) aprobó un Plan "
        f"Operativo Anual con {analisis.contar(n_acp, 'acción', 'acciones')} de corto plazo "
        f"(ACP) y {analisis.contar(int(total['operaciones']), 'operación', 'operaciones')}, a "
        f"cargo de {analisis.contar(con_ops, 'unidad organizacional', 'unidades')}"
        f"{'' if con_ops == 1 else ' organizacionales'} "
        f"de {analisis.contar(areas, 'área', 'áreas')}, con un presupuesto inicial de "
        f"{formatear_monto(float(total['inicial']))} Bs."
    )
    detalle = fuentes[fuentes["fuente"] != TOTAL]
    if len(detalle) > 1:
        mayor = detalle.iloc[0]
        texto += (f" La fuente que más aporta es {md(str(mayor['fuente']) or SIN_FUENTE)}, con el "
                  f"{pct(float(mayor['parte']))} del presupuesto.")
    return texto


def cuadro_resumen(prep) -> str:
    """El POA aprobado en cifras: la tabla `conteo` con el presupuesto inicial."""
    conteo = prep.tablas["conteo"]
    cifras = [c for c in conteo.columns if c != "concepto"]
    return presentacion.tabla(conteo, ["concepto", *cifras],
                              titulos={"concepto": "Concepto"},
                              formatos={c: "entero" for c in cifras}, nombre="alcance")


# ---------------------------------------------------------------------------------------
# ACP y alineación

def cuadro_acp(prep) -> str:
    """Cada ACP con su resultado esperado, su AMP, sus operaciones, sus unidades y su
    presupuesto inicial (tabla `acp`), con el total."""
    tabla = prep.tablas["resultados_esperados"].copy()
    # Un código como «AMP 1» no se parte en dos renglones: espacio de no separación.
    tabla["codigo_amp"] = tabla["codigo_amp"].astype(str).str.replace(" ", "\u00a0", regex=False)
    columnas = ["codigo_acp", "descripcion", "resultado_esperado", "codigo_amp", "operaciones",
                "unidades", "inicial"]
    columnas = [c for c in columnas
                if c not in ("resultado_esperado", "codigo_amp")
                or tabla[c].astype(str).str.strip().ne("").any()]
    return presentacion.tabla(
        tabla, columnas, clave_total="codigo_acp",
        titulos={"codigo_acp": "ACP", "descripcion": "Acción de corto plazo",
                 "resultado_esperado": "Resultado esperado", "codigo_amp": "AMP",
                 "operaciones": "Operaciones", "unidades": "Unidades",
                 "inicial": "Presupuesto inicial (Bs)"},
        formatos={"operaciones": "entero", "unidades": "entero", "inicial": "monto"},
        nombre="acp-inicial")


def marcos_de_la_alineacion(prep) -> list[str]:
    """Los marcos a los que el POA aprobado vincula algo, en el orden del libro."""
    return list(dict.fromkeys(prep.tablas["alineacion"]["marco"]))


def parrafo_alineacion(prep) -> str:
    """Con qué marcos se alinea el POA y cuántos de sus objetivos toca."""
    alineacion = prep.tablas["alineacion"]
    partes = []
    for marco in marcos_de_la_alineacion(prep):
        del_marco = alineacion[alineacion["marco"] == marco]
        objetivos = del_marco["codigo"].nunique()
        acps = del_marco["codigo_acp"].nunique()
        partes.append(f"{analisis.contar(objetivos, 'objetivo', 'objetivos')} de {md(marco)} "
                      f"({analisis.contar(acps, 'ACP', 'ACP')})")
    return ("Las acciones de corto plazo y las operaciones del POA aprobado contribuyen a "
            f"{enumerar(partes)}. Cada cuadro dice, por objetivo, qué ACP y qué operaciones "
            "se vinculan a él.")


def tabla_alineacion_del_marco(alineacion: pd.DataFrame, acp: pd.DataFrame,
                               marco: str) -> pd.DataFrame:
    """Una fila por objetivo del marco: su código y nombre, las ACP vinculadas (directamente
    o por sus operaciones) y cuántas operaciones se vinculan por sí mismas."""
    del_marco = alineacion[alineacion["marco"] == marco]
    descripciones = dict(zip(acp["codigo_acp"], acp["descripcion"]))
    filas = []
    for (codigo, nombre, nivel), grupo in del_marco.groupby(["codigo", "nombre", "nivel"],
                                                            sort=False):
        acps = list(dict.fromkeys(grupo["codigo_acp"]))
        filas.append({
            "objetivo": f"{codigo} {nombre}".strip(), "nivel": nivel,
            "acp": "; ".join(f"{c}. {descripciones.get(c, '')}".strip() for c in acps),
            "operaciones": int((grupo["tipo"] == "operacion").sum()),
        })
    return pd.DataFrame(filas, columns=["objetivo", "nivel", "acp", "operaciones"])


def cuadro_alineacion(prep, marco: str) -> str:
    tabla = tabla_alineacion_del_marco(prep.tablas["alineacion"],
                                       prep.tablas["resultados_esperados"], marco)
    columnas = ["objetivo", "nivel", "acp"] + (["operaciones"] if tabla["operaciones"].any()
                                               else [])
    return presentacion.tabla(
        tabla, columnas,
        titulos={"objetivo": "Objetivo", "nivel": "Nivel", "acp": "Acciones de corto plazo",
                 "operaciones": "Operaciones vinculadas"},
        formatos={"operaciones": "entero"},
        nombre=f"alineacion-{marco}")


# ---------------------------------------------------------------------------------------
# Operaciones y metas

def parrafo_operaciones(prep) -> str:
    unidades = prep.tablas["operaciones_por_unidad"]
    metas = _fila_total(prep.tablas["metas_trimestre"], "area")
    por_trimestre = [f"{int(metas[f'operaciones_t{t}'])} en el {ordinal}"
                     for t, ordinal in enumerate(("primero", "segundo", "tercero", "cuarto"),
                                                 start=1)]
    return (
        f"Las {analisis.contar(int(metas['operaciones']), 'operación', 'operaciones')} del POA "
        f"aprobado se reparten entre "
        f"{analisis.contar(int((unidades['nivel'] == 'area').sum()), 'área', 'áreas')} como "
        "muestra el cuadro, con sus tareas y su presupuesto inicial. Operaciones con meta en "
        f"cada trimestre: {enumerar(por_trimestre)}. Después, cada unidad con sus operaciones, "
        "su indicador y su meta de cada trimestre y de la gestión."
    )


def cuadro_unidades(prep) -> str:
    """Las áreas y sus unidades: operaciones, tareas y presupuesto inicial (tabla
    `unidades`), con el nombre de cada área en su subtotal."""
    tabla = prep.tablas["operaciones_por_unidad"].copy()
    es_area = tabla["nivel"] == "area"
    tabla.loc[es_area, "nombre"] = tabla.loc[es_area, "area"].map(prep.nombre_area)
    tabla.loc[tabla["nivel"] == "entidad", "nombre"] = "Total de la entidad"
    return presentacion.tabla(
        tabla, ["codigo_unidad", "nombre", "operaciones", "tareas", "inicial"],
        clave_total="codigo_unidad",
        titulos={"codigo_unidad": "Código", "nombre": "Unidad organizacional",
                 "operaciones": "Operaciones", "tareas": "Tareas",
                 "inicial": "Presupuesto inicial (Bs)"},
        formatos={"operaciones": "entero", "tareas": "entero", "inicial": "monto"},
        nombre="unidades-inicial", limite=prep.parametros.filas_por_cuadro,
        completa="operaciones_por_unidad")


def cuadro_metas(prep) -> str:
    tabla = prep.tablas["metas_trimestre"].copy()
    tabla["area"] = tabla["area"].map(prep.nombre_area)
    return presentacion.tabla(
        tabla, list(tabla.columns), clave_total="area",
        titulos={"area": "Área", **{f"operaciones_t{t}": f"T{t}" for t in range(1, 5)},
                 "operaciones": "Operaciones"},
        formatos={c: "entero" for c in tabla.columns if c != "area"}, nombre="metas")


# ---------------------------------------------------------------------------------------
# Presupuesto

def parrafo_presupuesto(prep) -> str:
    programas = prep.tablas["presupuesto_programa"]
    total = _total(prep.tablas["presupuesto_fuente"], "fuente", "inicial")
    categorias = programas.loc[programas["nivel"] == "detalle", "categoria_programatica"]
    cuantas = analisis.contar(categorias.nunique(), "categoría programática",
                              "categorías programáticas")
    texto = (f"El presupuesto inicial de {formatear_monto(total)} Bs se distribuye en "
             f"{cuantas}, por fuente de financiamiento")
    if not prep.tablas["presupuesto_grupo"].empty:
        texto += " y por grupo de gasto"
    return texto + ", como muestran los cuadros."


def cuadro_presupuesto(prep, tabla: str) -> str:
    """`presupuesto_fuente` o `presupuesto_grupo`: monto inicial y parte del total."""
    datos = prep.tablas[tabla].copy()
    clave = datos.columns[0]
    datos[clave] = datos[clave].replace("", SIN_FUENTE if clave == "fuente" else SIN_GRUPO)
    return presentacion.tabla(
        datos, [clave, "inicial", "parte"], clave_total=clave,
        titulos={"fuente": "Fuente de financiamiento", "grupo_gasto": "Grupo de gasto",
                 "inicial": "Presupuesto inicial (Bs)", "parte": "Parte del total"},
        formatos={"inicial": "monto", "parte": "pct"}, nombre=tabla)


def cuadro_presupuesto_programa(prep) -> str:
    """El presupuesto inicial por categoría programática (filas) y fuente (columnas), con el
    total de cada categoría y la fila TOTAL; sólo cambia la forma de `presupuesto_programa`."""
    tabla = prep.tablas["presupuesto_programa"]
    fuentes = fuentes_en_orden(tabla.loc[tabla["fuente"] != TOTAL, "fuente"])
    columnas = {f"fuente_{i}": f for i, f in enumerate(fuentes, start=1)}
    claves = list(pd.unique(tabla["categoria_programatica"]))
    ancho = tabla.pivot(index="categoria_programatica", columns="fuente", values="inicial")
    ancho = ancho.reindex(index=claves, columns=[*fuentes, TOTAL])
    ancho.columns = [*columnas, "total"]
    programas = tabla.drop_duplicates("categoria_programatica").set_index(
        "categoria_programatica")["programa"]
    cuadro = ancho.join(programas).reset_index()
    cifras = [*columnas, "total"]
    return presentacion.tabla(
        cuadro, ["categoria_programatica", "programa", *cifras],
        clave_total="categoria_programatica",
        titulos={"categoria_programatica": "Categoría programática", "programa": "Programa",
                 **{c: f"{f or SIN_FUENTE} (Bs)" for c, f in columnas.items()},
                 "total": "Total inicial (Bs)"},
        formatos={c: "monto" for c in cifras}, nombre="presupuesto-programa")


# ---------------------------------------------------------------------------------------
# La memoria de cálculo

def regla_poa_aprobado(datos, poa) -> str:
    """Qué versión del POA describe el informe, con cuántas operaciones tiene el libro hoy y
    cuántas tenía al aprobarse."""
    hoy, aprobado = len(datos.operaciones), len(poa.operaciones)
    diferencia = ("las mismas que trae hoy el libro" if hoy == aprobado else
                  f"el libro trae hoy {analisis.contar(hoy, 'operación', 'operaciones')}, "
                  "con las reformulaciones de la gestión")
    return (
        "### El POA aprobado\n\n"
        "La rendición de cuentas inicial dice lo que la entidad se propuso al comenzar la "
        "gestión: el POA antes de toda reformulación (una operación dada de alta por una "
        "reformulación no está; una dada de baja, sí, con su meta de entonces) y el "
        "presupuesto inicial de cada línea (sin inicial escrito, su vigente). El POA aprobado "
        f"tiene {analisis.contar(aprobado, 'operación', 'operaciones')}: {diferencia}."
    )


def regla_presupuesto() -> str:
    return (
        "### El presupuesto inicial\n\n"
        "Cada cifra del presupuesto es una suma de líneas de la hoja presupuesto: por ACP, "
        "por unidad (y su área), por categoría programática y fuente, por fuente y, si el "
        "libro lo dice, por grupo de gasto. La parte de una fuente o de un grupo es su monto "
        "sobre el total, de 0 a 100."
    )


def regla_metas() -> str:
    return (
        "### Las metas de cada trimestre\n\n"
        "La meta de una operación en un trimestre es la suma de lo programado en sus tres "
        "meses; la de la gestión, la de los doce. Las metas de operaciones distintas "
        "(informes, reuniones, trámites) no se suman: por área se cuenta cuántas operaciones "
        "tienen meta en cada trimestre."
    )
