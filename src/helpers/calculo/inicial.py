"""Las tablas de la rendición de cuentas inicial (notebooks/rendicion_inicial/secciones.yaml):
lo que la entidad se propone hacer en la gestión, con qué presupuesto y para qué resultados,
del POA como se aprobó al comenzar la gestión (`poa_aprobado`: antes de toda reformulación,
con el presupuesto inicial). No mide ejecución.

- `resultados_esperados`: cada ACP con su resultado esperado, su AMP, cuántas operaciones y
  unidades la llevan y su presupuesto inicial, con la fila TOTAL;
- `alineacion`: cada vínculo de una ACP u operación con un objetivo de un marco (el PDES, el
  PEI, los ODS...; hojas articulacion, marcos y vinculos), con el nombre y el nivel del
  objetivo y la ACP de la operación; vacía sin vínculos;
- `operaciones_por_unidad`: por área y unidad, las operaciones, sus tareas y el presupuesto
  inicial, con el subtotal de cada área y el total (`nivel`: unidad, area, entidad);
- `programacion`: cada operación con su meta de cada trimestre y de la gestión (como en la
  Formulación);
- `metas_trimestre`: cuántas operaciones tienen meta en cada trimestre, por área;
- `presupuesto_programa`: el presupuesto inicial por categoría programática y fuente, con sus
  subtotales (`nivel`);
- `presupuesto_fuente` y `presupuesto_grupo`: por fuente de financiamiento y por grupo de
  gasto (éste, vacío si la hoja presupuesto no trae la columna `grupo_gasto`), con su parte
  del total;
- `conteo`: el alcance del POA (ACP, operaciones, tareas, unidades...).

Montos en bolivianos con la precisión completa; partes de 0 a 100. Las funciones son puras.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from helpers.calculo import formulacion, versiones
from helpers.calculo import metodologia as m
from helpers.calculo.control_social import tablas_de_control_social
from helpers.calculo.tablas import TOTAL, tabla_conteo
from helpers.entrada.marcos import objetivos_y_vinculos

__all__ = ["COLUMNAS_ACP", "poa_aprobado", "tablas_de_la_rendicion_inicial", "tiene_alineacion",
           "tiene_grupo_gasto", "tiene_mandato", "comprobar_totales"]

COLUMNAS_ACP = ["codigo_acp", "descripcion", "resultado_esperado", "codigo_amp", "operaciones",
                "unidades", "inicial"]
COLUMNAS_ALINEACION = ["marco", "codigo", "nivel", "nombre", "tipo", "codigo_acp",
                       "codigo_operacion"]
COLUMNAS_UNIDADES = ["area", "codigo_unidad", "nombre", "operaciones", "tareas", "inicial",
                     "nivel"]
COLUMNAS_METAS = ["area", *(f"operaciones_t{t}" for t in range(1, 5)), "operaciones"]
# El mes del POA aprobado: antes del cierre de enero, ninguna reformulación rige y el
# presupuesto de cada línea es su inicial (`versiones.vigente_al_mes`).
MES_APROBADO = 0


def poa_aprobado(datos):
    """El POA (un `Datos`) como se aprobó: sin reformulaciones, con el presupuesto inicial
    en la columna `inicial` (y en `vigente`)."""
    poa = versiones.version_al_corte(datos, MES_APROBADO)
    presupuesto = poa.presupuesto.copy()
    presupuesto["inicial"] = versiones.inicial(datos.presupuesto)
    presupuesto["vigente"] = presupuesto["inicial"]
    return dataclasses.replace(poa, presupuesto=presupuesto)


def tiene_mandato(datos, parametros) -> bool:
    """Si los parámetros dan la misión, la visión o el marco normativo de la entidad (la
    sección que los muestra va sólo entonces)."""
    p = parametros.presentacion
    return bool(p.mision or p.vision or p.marco_normativo)


def tiene_alineacion(datos, parametros) -> bool:
    """Si el libro vincula alguna ACP u operación a un objetivo (hojas articulacion, marcos y
    vinculos)."""
    _, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    return not vinculos.empty


def tiene_grupo_gasto(datos) -> bool:
    """Si alguna línea de la hoja presupuesto dice su grupo de gasto."""
    if "grupo_gasto" not in datos.presupuesto.columns:
        return False
    return bool(datos.presupuesto["grupo_gasto"].fillna("").astype(str).str.strip().ne("").any())


def tabla_acp(poa) -> pd.DataFrame:
    """Cada ACP con lo que se propone (resultado esperado), su AMP, cuántas operaciones y
    unidades la llevan y su presupuesto inicial; la fila TOTAL, la de la entidad."""
    acp = poa.acp.copy()
    for columna in ("resultado_esperado", "codigo_amp"):
        if columna not in acp.columns:
            acp[columna] = ""
    ops = poa.operaciones.groupby("codigo_acp")
    acp["operaciones"] = acp["codigo_acp"].map(ops.size()).fillna(0).astype(int)
    acp["unidades"] = acp["codigo_acp"].map(ops["codigo_unidad"].nunique()).fillna(0).astype(int)
    inicial = poa.presupuesto.groupby("codigo_acp")["inicial"].sum()
    acp["inicial"] = acp["codigo_acp"].map(inicial).fillna(0.0).astype(float)
    total = {"codigo_acp": TOTAL, "descripcion": "Total de la entidad", "resultado_esperado": "",
             "codigo_amp": "", "operaciones": int(len(poa.operaciones)),
             "unidades": int(poa.operaciones["codigo_unidad"].nunique()),
             "inicial": float(poa.presupuesto["inicial"].sum())}
    tabla = pd.concat([acp[COLUMNAS_ACP], pd.DataFrame([total])], ignore_index=True)
    return tabla.fillna({"resultado_esperado": "", "codigo_amp": ""})


def tabla_alineacion(datos, poa) -> pd.DataFrame:
    """Cada vínculo de una ACP u operación del POA aprobado con un objetivo, en el orden de
    los objetivos de cada marco; una operación lleva también su ACP."""
    objetivos, vinculos = objetivos_y_vinculos(datos.marcos, datos.vinculos, datos.articulacion)
    if vinculos.empty:
        return pd.DataFrame(columns=COLUMNAS_ALINEACION)
    ops = poa.operaciones.set_index("codigo_operacion")["codigo_acp"]
    v = vinculos.fillna({"codigo_acp": "", "codigo_operacion": ""}).copy()
    v = v[(v["codigo_operacion"] == "") | v["codigo_operacion"].isin(ops.index)]
    v["tipo"] = v["codigo_operacion"].ne("").map({True: "operacion", False: "acp"})
    v.loc[v["tipo"] == "operacion", "codigo_acp"] = v["codigo_operacion"].map(ops)
    orden = {(f.marco, f.codigo): i for i, f in enumerate(objetivos.itertuples())}
    v["orden"] = [orden.get(c, len(orden)) for c in zip(v["marco"], v["codigo"])]
    nombres = objetivos.set_index(["marco", "codigo"])
    claves = pd.MultiIndex.from_frame(v[["marco", "codigo"]])
    v["nombre"] = nombres["nombre"].reindex(claves).fillna("").to_numpy()
    v["nivel"] = nombres["nivel"].reindex(claves).fillna("").to_numpy()
    v = v.sort_values(["orden", "codigo_acp", "codigo_operacion"], kind="stable")
    return v[COLUMNAS_ALINEACION].astype(str).reset_index(drop=True)


def tabla_unidades(poa) -> pd.DataFrame:
    """Por área y unidad (en el orden de la hoja unidades): operaciones, tareas y presupuesto
    inicial; después de las unidades de un área, su subtotal; al final, el de la entidad."""
    ops = poa.operaciones.groupby("codigo_unidad")
    presupuesto = poa.presupuesto.groupby("codigo_unidad")["inicial"].sum()
    uds = poa.unidades[["area", "codigo_unidad", "nombre"]].copy()
    uds["operaciones"] = uds["codigo_unidad"].map(ops.size()).fillna(0).astype(int)
    uds["tareas"] = uds["codigo_unidad"].map(ops["tareas"].sum()).fillna(0).astype(int)
    uds["inicial"] = uds["codigo_unidad"].map(presupuesto).fillna(0.0).astype(float)
    uds["nivel"] = "unidad"
    filas = []
    for area, grupo in uds.groupby("area", sort=False):
        filas += [grupo, pd.DataFrame([{
            "area": area, "codigo_unidad": TOTAL, "nombre": f"Total {area}",
            "operaciones": int(grupo["operaciones"].sum()), "tareas": int(grupo["tareas"].sum()),
            "inicial": float(grupo["inicial"].sum()), "nivel": "area"}])]
    filas.append(pd.DataFrame([{
        "area": TOTAL, "codigo_unidad": TOTAL, "nombre": "Total de la entidad",
        "operaciones": int(uds["operaciones"].sum()), "tareas": int(uds["tareas"].sum()),
        "inicial": float(uds["inicial"].sum()), "nivel": "entidad"}]))
    return pd.concat(filas, ignore_index=True)[COLUMNAS_UNIDADES]


def tabla_metas_trimestre(operaciones: pd.DataFrame) -> pd.DataFrame:
    """Por área (de la tabla `operaciones`), cuántas operaciones tienen meta en cada
    trimestre y cuántas son; la fila TOTAL, la entidad."""
    con_meta = operaciones[[f"prog_t{t}" for t in range(1, 5)]].gt(0)
    con_meta.columns = [f"operaciones_t{t}" for t in range(1, 5)]
    con_meta["operaciones"] = 1
    con_meta["area"] = operaciones["area"].to_numpy()
    por_area = con_meta.groupby("area", sort=False).sum().reset_index()
    total = {"area": TOTAL, **por_area.drop(columns="area").sum().to_dict()}
    tabla = pd.concat([por_area, pd.DataFrame([total])], ignore_index=True)[COLUMNAS_METAS]
    return tabla.astype({c: int for c in COLUMNAS_METAS[1:]})


def _parte(montos: pd.DataFrame, clave: str) -> pd.DataFrame:
    """`montos` (líneas con `clave` e `inicial`) sumado por `clave`, en orden de monto, con la
    parte de cada uno en el total (0-100) y la fila TOTAL."""
    # Una línea sin `clave` va con la clave vacía (la presentación dice «Sin fuente»).
    por = (montos.assign(**{clave: montos[clave].fillna("").astype(str).str.strip()})
           .groupby(clave, sort=False)["inicial"].sum().sort_values(ascending=False,
                                                                   kind="stable"))
    total = float(por.sum())
    tabla = pd.DataFrame({clave: [*por.index, TOTAL], "inicial": [*por.to_numpy(), total]})
    tabla["parte"] = m.porcentaje(tabla["inicial"], pd.Series(total, index=tabla.index))
    return tabla


def tabla_presupuesto_programa(presupuesto: pd.DataFrame) -> pd.DataFrame:
    """El presupuesto inicial por categoría programática y fuente (la tabla del Formulario
    04, sólo con el inicial)."""
    tabla = formulacion.tabla_presupuesto_categoria(presupuesto)
    return tabla[["categoria_programatica", "programa", "fuente", "inicial", "nivel"]]


def comprobar_totales(poa) -> pd.DataFrame:
    """El total del presupuesto inicial de cada vista (por ACP, por unidad, por categoría y
    fuente, por fuente y por grupo de gasto), sumado por su cuenta, frente a la suma de las
    líneas: una fila por vista con los dos montos. Lanza AssertionError si alguno difiere."""
    lineas = float(poa.presupuesto["inicial"].sum())
    # Cada vista, sumando sus filas de detalle (no su fila TOTAL, que ya es esa suma).
    vistas = {
        "por ACP": _suma_sin_total(tabla_acp(poa), "codigo_acp"),
        "por unidad": float(tabla_unidades(poa).query("nivel == 'unidad'")["inicial"].sum()),
        "por fuente": _suma_sin_total(_parte(poa.presupuesto.assign(
            fuente=poa.presupuesto["fuente"].fillna("")), "fuente"), "fuente"),
        "por categoría y fuente": float(tabla_presupuesto_programa(poa.presupuesto).query(
            "nivel == 'detalle'")["inicial"].sum()),
    }
    if tiene_grupo_gasto(poa):
        vistas["por grupo de gasto"] = _suma_sin_total(_parte(poa.presupuesto, "grupo_gasto"),
                                                       "grupo_gasto")
    tabla = pd.DataFrame({"vista": list(vistas), "total": list(vistas.values()),
                          "suma_de_lineas": lineas})
    distintas = tabla[(tabla["total"] - lineas).abs() > 1e-6 * max(1.0, abs(lineas))]
    if not distintas.empty:
        raise AssertionError("el total no es la suma de las líneas: "
                             f"{distintas.to_dict('records')}")
    return tabla


def _suma_sin_total(tabla: pd.DataFrame, clave: str) -> float:
    return float(tabla.loc[tabla[clave] != TOTAL, "inicial"].sum())


def tablas_de_la_rendicion_inicial(parametros, datos, calc=None) -> dict[str, pd.DataFrame]:
    """Las tablas de la rendición de cuentas inicial de estos parámetros, del POA aprobado.
    `calc` no se usa: el informe no mide ejecución."""
    poa = poa_aprobado(datos)
    operaciones = formulacion.tabla_programacion(poa.operaciones, poa.unidades)
    grupo = (_parte(poa.presupuesto, "grupo_gasto") if tiene_grupo_gasto(poa)
             else pd.DataFrame({"grupo_gasto": pd.Series(dtype=str),
                                "inicial": pd.Series(dtype=float),
                                "parte": pd.Series(dtype=float)}))
    fuentes = poa.presupuesto.assign(fuente=poa.presupuesto["fuente"].fillna(""))
    return {
        "resultados_esperados": tabla_acp(poa),
        "alineacion": tabla_alineacion(datos, poa),
        "operaciones_por_unidad": tabla_unidades(poa),
        "programacion": operaciones,
        "metas_trimestre": tabla_metas_trimestre(operaciones),
        "presupuesto_programa": tabla_presupuesto_programa(poa.presupuesto),
        "presupuesto_fuente": _parte(fuentes, "fuente"),
        "presupuesto_grupo": grupo,
        "conteo": tabla_conteo(poa),
        # Los compromisos de la audiencia final de la gestión anterior (hoja control_social).
        "compromisos": tablas_de_control_social(parametros, datos)["compromisos"],
    }
