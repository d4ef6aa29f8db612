"""Las tablas de la Rendición Pública de Cuentas (informe anual, final de gestión).

El año es el acumulado de enero a diciembre: todas las cifras anuales salen de un
`Calculo` al corte del cuarto trimestre, con las mismas reglas del informe trimestral, y
nada se vuelve a derivar aquí. Las cifras «_anual» son las «_acumulado(a)» de ese corte:

- avance_fisico_anual = avance_fisico_acumulado al T4;
- eficacia_anual = eficacia_acumulada al T4 (la suma de las cuatro eficacias trimestrales);
- devengado_anual, ejecucion_anual = devengado y ejecución acumulados al T4.

La evolución trimestral (`trimestral`) toma cada trimestre de un `Calculo` al corte de ese
trimestre, es decir, la misma cifra que dio (o daría) el informe trimestral de ese corte.

Porcentajes 0-100 en precisión completa, siempre de montos sumados (nunca medias de
porcentajes); el redondeo es cosa de la presentación. `tablas_anuales` es pura: no lee ni
escribe archivos.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo import versiones
from helpers.calculo.control_social import tablas_de_control_social
from helpers.calculo.departamentos import tabla_departamento
from helpers.calculo.objetivos import tablas_de_alineacion
from helpers.calculo.pasos import Calculo
from helpers.calculo.recomendaciones import tablas_de_recomendaciones
from helpers.calculo.tablas import (
    COLUMNAS_INICIAL,
    IDENTIFICACION_OPERACION,
    TOTAL,
    tabla_acp,
    tabla_alertas,
    tabla_area,
    tabla_categoria,
    tabla_conteo,
    tabla_fuente,
    tabla_operacion,
    tabla_tendencia,
    tabla_unidad,
)
from helpers.comun.calendario import enumerar_meses
from helpers.comun.numeros import formatear_monto

# De las columnas del corte al T4 a su nombre en el informe anual.
_A_ANUAL = {
    "avance_fisico_acumulado": "avance_fisico_anual",
    "eficacia_acumulada": "eficacia_anual",
    "devengado_acumulado": "devengado_anual",
    "ejecucion_acumulada": "ejecucion_anual",
    "eficiencia_acumulada": "eficiencia_anual",
    "brecha_acumulada": "brecha_anual",
    "calificacion_acumulada": "calificacion_anual",
}

CONTEOS = ["operaciones_cumple", "operaciones_no_cumple", "operaciones_no_aplica"]
_CONTEO_DE = {m.CUMPLE: "operaciones_cumple", m.NO_CUMPLE: "operaciones_no_cumple",
              m.NO_APLICA: "operaciones_no_aplica"}

# Las cifras de cada nivel (unidad, área, ACP): las pedidas por el informe y, detrás, los
# indicadores combinados del año (§4-5).
_CIFRAS_NIVEL = ["avance_fisico_anual", "eficacia_anual", "vigente", "devengado_anual",
                 "ejecucion_anual", *CONTEOS, "eficiencia_anual", "brecha_anual",
                 "calificacion_anual", "semaforo"]

COLUMNAS_OPERACION = [
    "codigo_operacion", "codigo_unidad", "codigo_acp", "descripcion", "indicador",
    "unidad_medida", "prog_anual", "ejec_anual", "cumplimiento_anual",
    "cumplimiento_sin_tope_anual", "evaluacion", "justificacion", "medio_verificacion",
    "tareas", "estado", "meses_sin_reporte",
]
COLUMNAS_UNIDAD = [
    "codigo_unidad", "nombre", "area", "avance_fisico_anual", "vigente", "devengado_anual",
    "ejecucion_anual", *CONTEOS, "servicio", "tipo", "eficacia_anual", "eficiencia_anual",
    "brecha_anual", "calificacion_anual", "semaforo",
]
COLUMNAS_AREA = ["area", "servicio", "nivel", *_CIFRAS_NIVEL]
COLUMNAS_ACP = ["codigo_acp", "descripcion", *_CIFRAS_NIVEL]
COLUMNAS_CATEGORIA = ["categoria_programatica", "fuente", "programa", "vigente",
                      "devengado_anual", "ejecucion_anual", "saldo", "codigo_unidad",
                      "codigo_acp"]
COLUMNAS_FUENTE = ["fuente", "vigente", "devengado_anual", "ejecucion_anual", "saldo"]
COLUMNAS_TRIMESTRAL = ["area", "trimestre", "avance_fisico", "eficacia", "ejecucion", "nivel",
                       "servicio", "vigente", "devengado"]
COLUMNAS_MES_ESTADISTICA = [f"mes_{mes:02d}" for mes in m.MESES]
COLUMNAS_ESTADISTICAS = ["codigo_unidad", "indicador", "desagregacion",
                         *COLUMNAS_MES_ESTADISTICA, "total", "nivel"]
COLUMNAS_INGRESOS = ["rubro", "descripcion", "fuente", "vigente", "recaudado_anual",
                     "ejecucion", "saldo"]

# Valores de la columna `nivel` de la tabla de estadísticas.
NIVEL_DETALLE = "detalle"
NIVEL_TOTAL_INDICADOR = "total_indicador"


# ---------------------------------------------------------------------------------------
# Operaciones (§5.3)
# ---------------------------------------------------------------------------------------

def justificacion_anual(no_aplica: str, estado: str, ejec_anual: float, meses_sin_reporte: str,
                        gestion) -> str:
    """Por qué una operación no se evalúa: el texto del planificador si la marcó NO APLICA;
    si no, una frase armada con los datos (sin meta anual o excluida por falta de reporte).
    Vacía para una operación que sí se evalúa."""
    texto = str(no_aplica or "").strip()
    if texto:
        return texto
    en_gestion = f" en la gestión {gestion}" if gestion is not None else ""
    if estado == m.ESTADO_SIN_PROGRAMACION:
        return (f"No tuvo meta programada{en_gestion}; se reportó una ejecución de "
                f"{formatear_monto(ejec_anual)} sin programación.")
    if estado == m.ESTADO_NO_PROGRAMADA:
        return f"No tuvo meta programada{en_gestion}."
    if estado == m.ESTADO_EXCLUIDA:
        meses = enumerar_meses(int(x) for x in meses_sin_reporte.split(",") if x.strip())
        return f"Excluida del cálculo por falta de reporte de ejecución en {meses}."
    return ""


def tabla_operacion_anual(datos, calc: Calculo, gestion=None) -> pd.DataFrame:
    """Cada operación con su meta y su ejecución del año, su cumplimiento (con y sin tope)
    y su evaluación CUMPLE / NO CUMPLE / NO APLICA (§5.3, con `m.evaluacion_anual`: el
    cumplimiento se compara con el umbral tal como se imprime, a 2 decimales)."""
    ops = datos.operaciones
    anual = calc.cumplimientos["acumulado"]
    evaluacion = m.evaluacion_anual(anual["cumplimiento"], anual["estado"],
                                    calc.reglas.umbral_cumple)
    justificacion = [
        justificacion_anual(na, est, ej, msr, gestion)
        for na, est, ej, msr in zip(ops["no_aplica"], anual["estado"], anual["ejec"],
                                    anual["meses_sin_reporte"])
    ]
    tabla = pd.DataFrame(
        {
            **{c: ops[c] for c in IDENTIFICACION_OPERACION},
            "prog_anual": anual["prog"],
            "ejec_anual": anual["ejec"],
            "cumplimiento_anual": anual["cumplimiento"],
            "cumplimiento_sin_tope_anual": anual["cumplimiento_sin_tope"],
            "evaluacion": evaluacion,
            "justificacion": pd.Series(justificacion, index=ops.index, dtype=object),
            "medio_verificacion": ops["medio_verificacion"],
            "tareas": ops["tareas"].astype(int),
            "estado": anual["estado"],
            "meses_sin_reporte": anual["meses_sin_reporte"],
        }
    )
    return tabla[COLUMNAS_OPERACION].reset_index(drop=True)


def _conteos(operacion: pd.DataFrame, claves: pd.Series, indice) -> pd.DataFrame:
    """Cuántas operaciones CUMPLE / NO CUMPLE / NO APLICA hay en cada grupo de `claves`;
    0 en los grupos de `indice` sin operaciones."""
    cruce = pd.crosstab(claves, operacion["evaluacion"]) if len(operacion) else pd.DataFrame()
    cruce = cruce.rename(columns=_CONTEO_DE).reindex(columns=CONTEOS)
    return cruce.reindex(indice).fillna(0).astype(int)


def _conteo_total(operacion: pd.DataFrame) -> dict[str, int]:
    return {col: int((operacion["evaluacion"] == ev).sum()) for ev, col in _CONTEO_DE.items()}


def _a_anual(tabla: pd.DataFrame) -> pd.DataFrame:
    return tabla.rename(columns=_A_ANUAL)


def _columnas(tabla: pd.DataFrame, columnas: list[str]) -> list[str]:
    """`columnas`, con el inicial y las modificaciones antes del vigente si la tabla las
    tiene (un libro que registra el presupuesto inicial: `tablas.con_inicial`)."""
    if "inicial" not in tabla.columns:
        return columnas
    posicion = columnas.index("vigente")
    return [*columnas[:posicion], *COLUMNAS_INICIAL, *columnas[posicion:]]


# ---------------------------------------------------------------------------------------
# Niveles: unidad, área (con servicios y total), ACP (con total)
# ---------------------------------------------------------------------------------------

def tabla_unidad_anual(datos, calc: Calculo, operacion: pd.DataFrame) -> pd.DataFrame:
    """Cada unidad con su avance físico y su ejecución del año y el recuento de sus
    operaciones por evaluación. Sin operaciones programadas: avance vacío; sin presupuesto:
    vigente 0 y ejecución vacía."""
    tabla = _a_anual(tabla_unidad(datos, calc))
    conteos = _conteos(operacion, operacion["codigo_unidad"], tabla["codigo_unidad"])
    tabla[CONTEOS] = conteos.to_numpy()
    return tabla[COLUMNAS_UNIDAD]


def tabla_area_anual(datos, calc: Calculo, operacion: pd.DataFrame) -> pd.DataFrame:
    """Las áreas, los servicios y el total de la entidad (filas `nivel` area, servicio y
    entidad, como el cuadro por área del informe trimestral) con las cifras del año."""
    tabla = _a_anual(tabla_area(datos, calc))
    mapa = datos.unidades.set_index("codigo_unidad")
    por_area = _conteos(operacion, operacion["codigo_unidad"].map(mapa["area"]),
                        pd.unique(datos.unidades["area"]))
    por_servicio = _conteos(operacion, operacion["codigo_unidad"].map(mapa["servicio"]),
                            pd.unique(datos.unidades["servicio"]))
    total = pd.DataFrame([_conteo_total(operacion)], index=[TOTAL])
    filas = []
    for fila in tabla.itertuples(index=False):
        fuente = {"area": por_area, "servicio": por_servicio, "entidad": total}[fila.nivel]
        filas.append(fuente.loc[fila.area, CONTEOS].to_numpy())
    tabla[CONTEOS] = np.array(filas, dtype=int).reshape(len(tabla), len(CONTEOS))
    return tabla[_columnas(tabla, COLUMNAS_AREA)]


def tabla_acp_anual(datos, calc: Calculo, operacion: pd.DataFrame) -> pd.DataFrame:
    """Cada ACP con las cifras del año y una última fila TOTAL (la entidad)."""
    tabla = _a_anual(tabla_acp(datos, calc))
    conteos = _conteos(operacion, operacion["codigo_acp"], datos.acp["codigo_acp"])
    total = pd.DataFrame([_conteo_total(operacion)], index=[TOTAL])
    tabla[CONTEOS] = pd.concat([conteos, total]).to_numpy()
    return tabla[_columnas(tabla, COLUMNAS_ACP)]


# ---------------------------------------------------------------------------------------
# Ejecución presupuestaria
# ---------------------------------------------------------------------------------------

def tabla_categoria_anual(datos, calc: Calculo) -> pd.DataFrame:
    """Cada línea del presupuesto (categoría programática y fuente) con su devengado del
    año, la ejecución y el saldo; última fila TOTAL. Vigente 0: ejecución vacía."""
    tabla = _a_anual(tabla_categoria(datos, calc))
    return tabla[_columnas(tabla, COLUMNAS_CATEGORIA)]


def tabla_fuente_anual(datos, calc: Calculo) -> pd.DataFrame:
    """Lo mismo por fuente de financiamiento, con fila TOTAL (vacía si el libro no indica
    fuentes, como en el informe trimestral)."""
    tabla = _a_anual(tabla_fuente(datos, calc))
    return tabla.reindex(columns=_columnas(tabla, COLUMNAS_FUENTE))


# ---------------------------------------------------------------------------------------
# Evolución trimestral
# ---------------------------------------------------------------------------------------

def tabla_trimestral(datos, metodologia, calc_anual: Calculo | None = None,
                     hasta: int = 4) -> pd.DataFrame:
    """Avance físico, eficacia y ejecución de cada trimestre (T1 hasta el de corte, `hasta`)
    por área, servicio y para la entidad (fila TOTAL), cada trimestre con un `Calculo` a su
    propio corte: las cifras del trimestre que da el informe trimestral de ese corte. Formato
    largo: una fila por área y trimestre. `calc_anual`, si se da, es el cálculo al corte."""
    partes = []
    for t in range(1, hasta + 1):
        calc = (calc_anual if (t == hasta and calc_anual is not None)
                else Calculo(datos, t, metodologia))
        area = tabla_area(datos, calc)
        partes.append(pd.DataFrame({
            "area": area["area"],
            "trimestre": t,
            "avance_fisico": area["avance_fisico_trimestre"],
            "eficacia": area["eficacia_trimestre"],
            "ejecucion": area["ejecucion_trimestre"],
            "nivel": area["nivel"],
            "servicio": area["servicio"],
            "vigente": area["vigente"],
            "devengado": area["devengado_trimestre"],
        }))
    tabla = pd.concat(partes, ignore_index=True)
    # Orden de lectura: cada área con sus cuatro trimestres seguidos.
    posicion = tabla["area"].map({a: i for i, a in enumerate(pd.unique(tabla["area"]))})
    tabla = tabla.assign(_posicion=posicion).sort_values(["_posicion", "trimestre"], kind="stable")
    return tabla[COLUMNAS_TRIMESTRAL].reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Hojas opcionales de la rendición: estadísticas e ingresos
# ---------------------------------------------------------------------------------------

def tabla_estadisticas(datos, hasta_mes: int = 12) -> pd.DataFrame:
    """Los servicios prestados al público, en formato ancho: una fila por unidad ×
    indicador × desagregación (`nivel` "detalle"), con el valor de cada mes en `mes_01` ..
    `mes_12` (vacío si no hay dato de ese mes) y el `total` del año; después, por cada
    indicador, una fila con `codigo_unidad` TOTAL y desagregación vacía que suma todas las
    unidades (`nivel` "total_indicador"). Sólo los meses hasta `hasta_mes` (el corte); los
    posteriores quedan vacíos. Sin la hoja: tabla vacía con estas columnas."""
    est = datos.estadisticas
    est = est[est["mes"] <= hasta_mes]
    if est.empty:
        return pd.DataFrame({c: pd.Series(dtype=object if not c.startswith(("mes_", "total"))
                                          else float) for c in COLUMNAS_ESTADISTICAS})
    claves = ["codigo_unidad", "indicador", "desagregacion"]
    base = est.assign(desagregacion=est["desagregacion"].fillna("").astype(str))

    def ancho(tabla: pd.DataFrame, columnas: list[str]) -> pd.DataFrame:
        w = tabla.pivot_table(index=columnas, columns="mes", values="valor", aggfunc="sum",
                              sort=False)
        w = w.reindex(columns=list(m.MESES))
        w.columns = COLUMNAS_MES_ESTADISTICA
        w["total"] = tabla.groupby(columnas, sort=False)["valor"].sum().reindex(w.index)
        return w.reset_index()

    detalle = ancho(base, claves)
    detalle["nivel"] = NIVEL_DETALLE
    totales = ancho(base, ["indicador"])
    totales.insert(0, "codigo_unidad", TOTAL)
    totales.insert(2, "desagregacion", "")
    totales["nivel"] = NIVEL_TOTAL_INDICADOR
    return pd.concat([detalle, totales], ignore_index=True)[COLUMNAS_ESTADISTICAS]


def tabla_ingresos(datos, hasta_mes: int = 12) -> pd.DataFrame:
    """Cada rubro de ingresos con su vigente, lo recaudado en el año (puede incluir
    devoluciones negativas), la ejecución (recaudado / vigente × 100; vacía con vigente 0)
    y el saldo por recaudar; última fila TOTAL. Lo recaudado suma los meses hasta
    `hasta_mes` (el corte). Sin la hoja: tabla vacía con columnas."""
    ing = datos.ingresos
    if ing.empty:
        return pd.DataFrame({c: pd.Series(dtype=float if c in ("vigente", "recaudado_anual",
                                                                 "ejecucion", "saldo") else object)
                             for c in COLUMNAS_INGRESOS})
    tabla = pd.DataFrame({
        "rubro": ing["rubro"],
        "descripcion": ing["descripcion"],
        "fuente": ing["fuente"],
        "vigente": ing["vigente"].astype(float),
        "recaudado_anual": (
            ing[[f"rec_{mes:02d}" for mes in m.MESES if mes <= hasta_mes]].sum(axis=1).astype(float)
        ),
    })
    total = {"rubro": TOTAL, "descripcion": "Total de ingresos", "fuente": "",
             "vigente": tabla["vigente"].sum(), "recaudado_anual": tabla["recaudado_anual"].sum()}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla["ejecucion"] = m.porcentaje(tabla["recaudado_anual"], tabla["vigente"])
    tabla["saldo"] = tabla["vigente"] - tabla["recaudado_anual"]
    return tabla[COLUMNAS_INGRESOS]


# ---------------------------------------------------------------------------------------
# Entrada pública
# ---------------------------------------------------------------------------------------

def tablas_de_la_rendicion(
    parametros, datos, calc: Calculo | None = None
) -> dict[str, pd.DataFrame]:
    """Las tablas de la rendición de cuentas de estos parámetros, a su corte (diciembre, o
    junio en la rendición parcial): notebooks/anual/secciones.yaml. `calc`, el cálculo ya
    hecho a ese corte (la memoria de cálculo lo muestra paso a paso)."""
    calc = calc or Calculo(datos, parametros.trimestre_corte, parametros.metodologia)
    return (tablas_anuales(datos, parametros.metodologia, parametros.gestion,
                           trimestre=parametros.trimestre_corte, calc=calc)
            | versiones.tablas_de_version(datos, 3 * parametros.trimestre_corte)
            # El avance por objetivo, si el libro trae la hoja vinculos.
            | tablas_de_alineacion(parametros, datos, calc)
            # Las recomendaciones con su código y el seguimiento de las anteriores; lo que
            # observó el control social y los compromisos de la entidad.
            | tablas_de_recomendaciones(parametros, datos)
            | tablas_de_control_social(parametros, datos))


def tablas_anuales(datos, metodologia, gestion, trimestre: int = 4,
                   calc: Calculo | None = None) -> dict[str, pd.DataFrame]:
    """Todas las tablas de la rendición de cuentas de `gestion`.

    Las cifras «del año» son las acumuladas de un `Calculo` al corte de `trimestre` (el T4;
    el T2 en la rendición parcial, de enero a junio); `trimestral` repite el cálculo al corte
    de cada trimestre hasta ese. `tendencia` (sólo con `gestion`) compara con la hoja
    historico, y `alertas` son las del informe trimestral sobre lo acumulado hasta el corte
    (`tablas.tabla_alertas`), como en el informe trimestral.
    """
    calc = calc or Calculo(datos, trimestre, metodologia)
    datos = calc.datos  # el POA en vigor al corte
    operacion = tabla_operacion_anual(datos, calc, gestion)
    tablas = {
        "operacion": operacion,
        "unidad": tabla_unidad_anual(datos, calc, operacion),
        "area": tabla_area_anual(datos, calc, operacion),
        "acp": tabla_acp_anual(datos, calc, operacion),
        "categoria": tabla_categoria_anual(datos, calc),
        "fuente": tabla_fuente_anual(datos, calc),
        "trimestral": tabla_trimestral(datos, metodologia, calc, hasta=trimestre),
        "estadisticas": tabla_estadisticas(datos, hasta_mes=3 * trimestre),
        "ingresos": tabla_ingresos(datos, hasta_mes=3 * trimestre),
        # El alcance del informe: ACP, operaciones, tareas, unidades y áreas por servicio.
        "conteo": tabla_conteo(datos),
        # Las mismas alertas que el informe trimestral (meses sin reporte, ejecutado sin
        # programación, devengado negativo, unidades rezagadas o en rojo), de lo acumulado
        # hasta el corte.
        "alertas": tabla_alertas(datos, calc, tabla_unidad(datos, calc),
                                 tabla_operacion(datos, calc), periodo="acumulado"),
    }
    if gestion is not None:
        tablas["tendencia"] = tabla_tendencia(datos, tabla_area(datos, calc), int(gestion))
    # Las cifras del mapa de departamentos, como en el informe trimestral.
    tablas["departamento"] = tabla_departamento(calc)
    return tablas
