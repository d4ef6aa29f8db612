"""Las tablas de la Formulación del POA: los formularios que una unidad de planificación
adjunta a una solicitud de reformulación (notebooks/formulacion/secciones.yaml).

Todas describen el POA en vigor al corte (`poa_en_vigor`), no su ejecución:

- `articulacion` (Formulario 02): PDES → PEI → ACP de la hoja articulacion o, sin ella,
  cada ACP con su AMP de la hoja acp;
- `programacion`: cada operación con su programación de cada trimestre (la suma de sus
  meses) y del año (la suma de los doce meses);
- `presupuesto_unidad` y `presupuesto_categoria` (Formulario 04): el presupuesto vigente
  por unidad (o por categoría programática) y fuente, en formato largo con sus subtotales
  (columna `nivel`), de modo que toda cifra del formulario está en la tabla;
- `conteo`: el alcance del POA (ACP, operaciones, tareas, unidades, áreas y líneas);
- `reformulaciones`: las reformulaciones aprobadas hasta el corte (vacía sin ellas).

Montos en precisión completa; el redondeo es cosa de la presentación. Las funciones son
puras: no leen ni escriben archivos.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import articulacion, versiones
from helpers.calculo import metodologia as m
from helpers.calculo.tablas import IDENTIFICACION_OPERACION, TOTAL, tabla_conteo

COLUMNAS_TRIMESTRE = [f"prog_t{t}" for t in range(1, 5)]
COLUMNAS_PROGRAMACION = [*IDENTIFICACION_OPERACION, "area", "tareas", *COLUMNAS_TRIMESTRE,
                         "prog_anual"]
MONTOS = ["inicial", "vigente", "modificacion"]
COLUMNAS_PRESUPUESTO_UNIDAD = ["area", "codigo_unidad", "nombre", "fuente", *MONTOS, "nivel"]
COLUMNAS_PRESUPUESTO_CATEGORIA = ["categoria_programatica", "programa", "fuente", *MONTOS,
                                  "nivel"]

# Valores de la columna `nivel` de las tablas del presupuesto: una clave (unidad o
# categoría) con una fuente, el total de la clave (fuente TOTAL), el de una fuente (clave
# TOTAL) y el de la entidad (las dos TOTAL).
NIVEL_DETALLE = "detalle"
NIVEL_FUENTE = "fuente"
NIVEL_ENTIDAD = "entidad"


# ---------------------------------------------------------------------------------------
# El POA en vigor al corte
# ---------------------------------------------------------------------------------------

def poa_en_vigor(datos, trimestre: int):
    """El POA (un `Datos`) en vigor al final del trimestre `trimestre` (mes 3 × trimestre),
    el mismo que evalúa el cálculo de ese corte (``versiones.version_al_corte``): el único
    lugar que decide qué versión describen los formularios."""
    return versiones.version_al_corte(datos, 3 * trimestre)


def operaciones_en_vigor(datos, trimestre: int) -> pd.DataFrame:
    """Las operaciones del POA en vigor al corte del trimestre `trimestre`."""
    return poa_en_vigor(datos, trimestre).operaciones


# ---------------------------------------------------------------------------------------
# Formulario 02: articulación POA-PEI-PDES
# ---------------------------------------------------------------------------------------

def tabla_articulacion(datos) -> pd.DataFrame:
    """Con la hoja articulacion, la de la rendición de cuentas
    (``articulacion.tabla_articulacion``: eje, meta y resultado del PDES, AMP y acción del
    PEI, ACP y su descripción). Sin ella, cada ACP de la hoja acp con su AMP
    (`codigo_amp`, sin la columna si el libro no la llena), su descripción y su resultado
    esperado, agrupadas por AMP en el orden en que aparecen."""
    if articulacion.hay_articulacion(datos.articulacion):
        return articulacion.tabla_articulacion(datos.articulacion, datos.acp)
    acp = datos.acp
    tabla = pd.DataFrame({
        "codigo_amp": acp["codigo_amp"].astype(str).str.strip(),
        "codigo_acp": acp["codigo_acp"].astype(str).str.strip(),
        "descripcion_acp": acp["descripcion"],
        "resultado_esperado": acp["resultado_esperado"],
    })
    if not tabla["codigo_amp"].ne("").any():
        return tabla.drop(columns="codigo_amp").reset_index(drop=True)
    orden = {amp: i for i, amp in enumerate(pd.unique(tabla["codigo_amp"]))}
    tabla = tabla.iloc[tabla["codigo_amp"].map(orden).argsort(kind="stable")]
    return tabla.reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Operaciones por unidad: la programación por trimestre
# ---------------------------------------------------------------------------------------

def tabla_programacion(operaciones: pd.DataFrame, unidades: pd.DataFrame) -> pd.DataFrame:
    """Cada operación con su ACP, descripción, indicador, unidad de medida, tareas, el área
    de su unidad, lo programado en cada trimestre (`prog_t1`..`prog_t4`, la suma de sus
    tres meses) y en el año (`prog_anual`, la suma de los doce meses; un mes vacío es 0).
    Las operaciones, por unidad en el orden de la hoja unidades y, dentro de cada una, en
    el de la hoja operaciones."""
    ops = operaciones
    area = unidades.set_index("codigo_unidad")["area"]
    tabla = pd.DataFrame({c: ops[c] for c in IDENTIFICACION_OPERACION})
    tabla["area"] = ops["codigo_unidad"].map(area)
    tabla["tareas"] = ops["tareas"].astype(int)
    for t, columna in enumerate(COLUMNAS_TRIMESTRE, start=1):
        meses = [f"prog_{mes:02d}" for mes in m.meses_trimestre(t)]
        tabla[columna] = ops[meses].sum(axis=1).astype(float)
    tabla["prog_anual"] = ops[[f"prog_{mes:02d}" for mes in m.MESES]].sum(axis=1).astype(float)
    posicion = {u: i for i, u in enumerate(unidades["codigo_unidad"])}
    orden = ops["codigo_unidad"].map(posicion).to_numpy().argsort(kind="stable")
    return tabla.iloc[orden][COLUMNAS_PROGRAMACION].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Formulario 04: resumen presupuestario
# ---------------------------------------------------------------------------------------

def fuentes_en_orden(fuentes: pd.Series) -> list[str]:
    """Las fuentes de financiamiento presentes, por su código («10 TGN» antes que «20
    Recursos Específicos»); la vacía (línea sin fuente), al final."""
    presentes = set(fuentes)
    return sorted(presentes - {""}) + ([""] if "" in presentes else [])


def _por_fuente(lineas: pd.DataFrame, clave: str, orden: list[str],
                nivel_clave: str) -> pd.DataFrame:
    """El inicial y el vigente de `lineas` por `clave` (en el orden `orden`) y fuente: una
    fila por cada par presente (nivel detalle), el total de cada clave (fuente TOTAL), el de
    cada fuente (clave TOTAL) y el de la entidad; cada total suma las líneas del
    presupuesto. `modificacion` = vigente − inicial."""
    lineas = lineas.assign(inicial=versiones.inicial(lineas),
                           vigente=lineas["vigente"].astype(float))
    fuentes = fuentes_en_orden(lineas["fuente"])
    par = lineas.groupby([clave, "fuente"], sort=False)[["inicial", "vigente"]].sum()
    de_clave = lineas.groupby(clave, sort=False)[["inicial", "vigente"]].sum()
    de_fuente = lineas.groupby("fuente", sort=False)[["inicial", "vigente"]].sum()
    filas = []

    def fila(k, f, montos, nivel):
        filas.append({clave: k, "fuente": f, "inicial": montos["inicial"],
                      "vigente": montos["vigente"], "nivel": nivel})

    for k in orden:
        for f in fuentes:
            if (k, f) in par.index:
                fila(k, f, par.loc[(k, f)], NIVEL_DETALLE)
        fila(k, TOTAL, de_clave.loc[k], nivel_clave)
    for f in fuentes:
        fila(TOTAL, f, de_fuente.loc[f], NIVEL_FUENTE)
    fila(TOTAL, TOTAL, lineas[["inicial", "vigente"]].sum(), NIVEL_ENTIDAD)
    tabla = pd.DataFrame(filas, columns=[clave, "fuente", "inicial", "vigente", "nivel"])
    tabla[["inicial", "vigente"]] = tabla[["inicial", "vigente"]].astype(float)
    tabla["modificacion"] = tabla["vigente"] - tabla["inicial"]
    return tabla


def tabla_presupuesto_unidad(presupuesto: pd.DataFrame,
                             unidades: pd.DataFrame) -> pd.DataFrame:
    """El presupuesto (inicial, vigente y su modificación) de cada unidad que tiene líneas,
    por fuente, con el total de la unidad, el de cada fuente y el de la entidad (`nivel`:
    detalle, unidad, fuente, entidad). Las unidades en el orden de la hoja unidades, con su
    área y su nombre. El inicial de una línea sin inicial escrito es su vigente."""
    con_lineas = set(presupuesto["codigo_unidad"])
    orden = [u for u in unidades["codigo_unidad"] if u in con_lineas]
    tabla = _por_fuente(presupuesto, "codigo_unidad", orden, "unidad")
    uds = unidades.set_index("codigo_unidad")
    tabla["area"] = tabla["codigo_unidad"].map(uds["area"]).fillna("")
    tabla["nombre"] = tabla["codigo_unidad"].map(uds["nombre"]).fillna(TOTAL)
    return tabla[COLUMNAS_PRESUPUESTO_UNIDAD]


def tabla_presupuesto_categoria(presupuesto: pd.DataFrame) -> pd.DataFrame:
    """Lo mismo por categoría programática (en orden de su código), con su programa (los
    nombres distintos de sus líneas, separados por «; »)."""
    orden = sorted(set(presupuesto["categoria_programatica"]))
    tabla = _por_fuente(presupuesto, "categoria_programatica", orden, "categoria")
    programas = presupuesto.groupby("categoria_programatica")["programa"].agg(
        lambda p: "; ".join(dict.fromkeys(p)))
    tabla["programa"] = tabla["categoria_programatica"].map(programas).fillna("")
    return tabla[COLUMNAS_PRESUPUESTO_CATEGORIA]


# ---------------------------------------------------------------------------------------
# Entrada pública
# ---------------------------------------------------------------------------------------

def tablas_de_formulacion(parametros, datos, calc=None) -> dict[str, pd.DataFrame]:
    """Las tablas de la Formulación del POA de estos parámetros, con el POA en vigor a su
    corte (diciembre, o junio con «corte: junio»). `calc` (el cálculo de la ejecución que
    muestra la memoria de cálculo) no se usa: los formularios no miden la ejecución."""
    poa = poa_en_vigor(datos, parametros.trimestre_corte)
    mes = 3 * parametros.trimestre_corte
    return {
        "articulacion": tabla_articulacion(poa),
        "programacion": tabla_programacion(poa.operaciones, poa.unidades),
        "presupuesto_unidad": tabla_presupuesto_unidad(poa.presupuesto, poa.unidades),
        "presupuesto_categoria": tabla_presupuesto_categoria(poa.presupuesto),
        "conteo": tabla_conteo(poa),
        "reformulaciones": versiones.reformulaciones_hasta(datos, mes),
    }
