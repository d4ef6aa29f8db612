"""Las tablas del informe trimestral: vistas de los niveles que calcula `calculo`.

Cada tabla es un DataFrame con porcentajes 0-100 en precisión completa (el informe
redondea al mostrar; los CSV no). Nada aquí vuelve a calcular un nivel: las tablas toman
filas y columnas de `Calculo` y sólo agregan lo que es propio de ellas (las líneas del
presupuesto, los meses, las alertas). `calcular_tablas` es puro: no lee ni escribe archivos.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo import versiones
from helpers.calculo.departamentos import tabla_departamento
from helpers.calculo.pasos import COLUMNAS_METRICAS, ENTIDAD, MONTOS, Calculo
from helpers.calculo.recomendaciones import tablas_de_recomendaciones
from helpers.calculo.remision import (
    TABLA_EVIDENCIAS,
    TABLA_REMISION,
    TABLA_SIN_EVIDENCIA,
    tabla_evidencias,
    tabla_remision,
    tabla_sin_evidencia,
)
from helpers.calculo.versiones import vigente_al_mes
from helpers.comun.calendario import enumerar_meses, meses_del_trimestre, nombre_mes
from helpers.comun.numeros import formatear_monto, formatear_porcentaje
from helpers.entrada.agrupacion import grupos_con_representaciones, grupos_en_los_cuadros

TOTAL = ENTIDAD
# Clases de las filas de la tabla de alertas: lo que pide atención y lo que sólo informa.
CLASE_ALERTA = "alerta"
CLASE_INFORMACION = "información"
TIPO_NO_APLICA = "NO APLICA"
# Los tipos de alerta, del que más pide atención al que menos (`alertas_principales`).
ALERTA_ROJO = "Unidad en rojo"
ALERTA_GRADO = "Unidad con grado"  # seguido del grado: «Unidad con grado Regular»
ALERTA_SIN_PROGRAMACION = "Ejecutado sin programación"
ALERTA_DEVENGADO_NEGATIVO = "Devengado negativo"
ALERTA_SIN_REPORTE = "Mes sin reporte"
PRIORIDAD_ALERTAS = (ALERTA_ROJO, ALERTA_GRADO, ALERTA_SIN_PROGRAMACION,
                     ALERTA_DEVENGADO_NEGATIVO, ALERTA_SIN_REPORTE)

# El presupuesto inicial y sus modificaciones (vigente - inicial), antes del vigente, en las
# tablas financieras de un libro que los registra (`Calculo.registra_inicial`).
COLUMNAS_INICIAL = ["inicial", "modificaciones"]


def con_inicial(tabla: pd.DataFrame, calc: Calculo, de_cada_fila: pd.Series,
                *claves: pd.Series) -> pd.DataFrame:
    """`tabla` con las columnas inicial y modificaciones, si el libro las registra: el
    inicial de las líneas del presupuesto sumado por cada una de `claves` (una clave por
    línea: el área, el servicio...) y puesto en cada fila según su clave en `de_cada_fila`;
    la fila TOTAL, el de toda la entidad."""
    if not calc.registra_inicial:
        return tabla
    iniciales = calc.lineas["inicial"]
    por_grupo: dict = {}
    for clave in claves:
        por_grupo.update(iniciales.groupby(clave.to_numpy(), sort=False).sum().to_dict())
    inicial = de_cada_fila.map(por_grupo).fillna(0.0).astype(float).to_numpy(copy=True)
    inicial[(de_cada_fila == TOTAL).to_numpy()] = iniciales.sum()
    tabla = tabla.copy()
    posicion = tabla.columns.get_loc("vigente")
    tabla.insert(posicion, "inicial", inicial)
    tabla.insert(posicion + 1, "modificaciones", tabla["vigente"] - tabla["inicial"])
    return tabla


def tabla_acp(datos, calc: Calculo) -> pd.DataFrame:
    cuerpo = datos.acp.set_index("codigo_acp")[["descripcion"]].join(calc.niveles["acp"])
    total = calc.niveles["entidad"].assign(descripcion="Total de la entidad")
    tabla = pd.concat([cuerpo, total[cuerpo.columns]])
    tabla.index.name = "codigo_acp"
    tabla = tabla.reset_index()
    return con_inicial(tabla, calc, tabla["codigo_acp"], calc.lineas["codigo_acp"])


def tabla_area(datos, calc: Calculo) -> pd.DataFrame:
    uds = datos.unidades
    por_area = calc.niveles["area"].copy()
    por_area["servicio"] = uds.groupby("area")["servicio"].first().reindex(por_area.index)
    por_area["nivel"] = "area"
    # Las filas de los grupos de áreas, si la entidad las agrupa (`entrada.agrupacion`).
    por_serv = calc.niveles["servicio"].reindex(grupos_en_los_cuadros(uds))
    por_serv["servicio"] = por_serv.index
    por_serv["nivel"] = "servicio"
    total = calc.niveles["entidad"].copy()
    total["servicio"] = ""
    total["nivel"] = "entidad"
    tabla = pd.concat([por_area, por_serv, total])
    tabla.index.name = "area"
    tabla = tabla.reset_index()[["area", "servicio", "nivel"] + COLUMNAS_METRICAS]
    # Áreas y servicios no comparten nombres (entrada.esquemas lo valida): una sola clave por fila.
    return con_inicial(tabla, calc, tabla["area"], calc.lineas["area"],
                       calc.lineas["servicio"])


def tabla_unidad(datos, calc: Calculo) -> pd.DataFrame:
    uds = datos.unidades.set_index("codigo_unidad")[["nombre", "area", "servicio", "tipo"]]
    tabla = uds.join(calc.niveles["unidad"])
    tabla.index.name = "codigo_unidad"
    return tabla.reset_index()


def tabla_categoria(datos, calc: Calculo) -> pd.DataFrame:
    """Cada línea del presupuesto (categoría programática) con su ejecución y saldo; el
    total es el de la entidad."""
    p = calc.lineas
    tabla = p[["categoria_programatica", "fuente", "programa", "codigo_unidad", "codigo_acp",
               *MONTOS]]
    total = {"categoria_programatica": TOTAL, "fuente": "", "programa": "Total de la entidad",
             "codigo_unidad": "", "codigo_acp": "", **calc.montos["entidad"].iloc[0].to_dict()}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    # Cada línea es su propio grupo: la clave es su posición.
    lineas = pd.Series(range(len(p)))
    tabla = con_inicial(tabla, calc, lineas.reindex(tabla.index).where(
        tabla["categoria_programatica"] != TOTAL, TOTAL), lineas)
    tabla["ejecucion_trimestre"] = m.porcentaje(tabla["devengado_trimestre"], tabla["vigente"])
    tabla["ejecucion_acumulada"] = m.porcentaje(tabla["devengado_acumulado"], tabla["vigente"])
    tabla["saldo"] = tabla["vigente"] - tabla["devengado_acumulado"]
    tabla["semaforo"] = m.semaforo(
        tabla["ejecucion_acumulada"], calc.trimestre, calc.reglas.semaforo_financiero
    )
    return tabla


def tabla_fuente(datos, calc: Calculo) -> pd.DataFrame:
    """Ejecución por fuente de financiamiento (vacía si el libro no indica fuentes)."""
    p = calc.lineas
    if not p["fuente"].astype(str).str.strip().ne("").any():
        return pd.DataFrame(columns=["fuente", *MONTOS, "ejecucion_trimestre",
                                     "ejecucion_acumulada", "saldo"])
    claves = p["fuente"].where(p["fuente"].astype(str).str.strip().ne(""), "Sin fuente")
    tabla = p.groupby(claves, sort=False)[MONTOS].sum()
    tabla.index.name = "fuente"
    tabla = tabla.reset_index()
    total = {"fuente": TOTAL, **calc.montos["entidad"].iloc[0].to_dict()}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla = con_inicial(tabla, calc, tabla["fuente"], claves.reset_index(drop=True))
    tabla["ejecucion_trimestre"] = m.porcentaje(tabla["devengado_trimestre"], tabla["vigente"])
    tabla["ejecucion_acumulada"] = m.porcentaje(tabla["devengado_acumulado"], tabla["vigente"])
    tabla["saldo"] = tabla["vigente"] - tabla["devengado_acumulado"]
    return tabla


# Las columnas de la hoja operaciones que nombran cada operación en las tablas por operación
# (informe trimestral y anual).
IDENTIFICACION_OPERACION = ("codigo_operacion", "codigo_unidad", "codigo_acp", "descripcion",
                            "indicador", "unidad_medida")


def tabla_operacion(datos, calc: Calculo) -> pd.DataFrame:
    ops = datos.operaciones
    trim, acum = calc.cumplimientos["trimestre"], calc.cumplimientos["acumulado"]
    escala = calc.reglas.escala_calificacion
    return pd.DataFrame(
        {
            **{c: ops[c] for c in IDENTIFICACION_OPERACION},
            "tareas": ops["tareas"].astype(int),
            "prog_trimestre": trim["prog"],
            "ejec_trimestre": trim["ejec"],
            "cumplimiento_trimestre": trim["cumplimiento"],
            "cumplimiento_sin_tope_trimestre": trim["cumplimiento_sin_tope"],
            "prog_acumulado": acum["prog"],
            "ejec_acumulado": acum["ejec"],
            "cumplimiento_acumulado": acum["cumplimiento"],
            "cumplimiento_sin_tope_acumulado": acum["cumplimiento_sin_tope"],
            "calificacion_trimestre": m.calificar(trim["cumplimiento"], escala),
            "calificacion_acumulada": m.calificar(acum["cumplimiento"], escala),
            "estado": trim["estado"],
            "estado_acumulado": acum["estado"],
            "meses_sin_reporte": acum["meses_sin_reporte"],
            "medio_verificacion": ops["medio_verificacion"],
            "no_aplica": ops["no_aplica"],
        }
    ).reset_index(drop=True)


def tabla_mensual(datos, calc: Calculo) -> pd.DataFrame:
    """Avance físico, eficacia y ejecución de cada mes hasta el corte, por área, grupo de
    áreas (si la entidad las agrupa) y para la entidad (fila TOTAL).

    El avance físico es el del mes (su meta y lo ejecutado en él). La eficacia del mes es
    la parte de la eficacia del trimestre lograda en ese mes, según lo ejecutado en cada
    mes por cada operación: los tres meses suman la eficacia del trimestre. La ejecución
    es el devengado del mes sobre el vigente al cierre de su trimestre: los tres meses suman
    la ejecución del trimestre que dio el informe de ese corte (`versiones`)."""
    ops, uds = datos.operaciones, datos.unidades
    r = calc.reglas
    p = calc.lineas
    areas = list(pd.unique(uds["area"]))
    servicios = grupos_en_los_cuadros(uds)
    libro = getattr(datos, "libro", None) or datos
    # El avance físico de cada mes (su cumplimiento) y su parte de la eficacia del trimestre,
    # por operación; después, todos a los niveles de una vez.
    por_operacion = {}
    for trimestre in range(1, calc.trimestre + 1):
        eficacia_ops = calc.eficacia_operaciones[trimestre]
        reparto = m.reparto_mensual(ops, trimestre)
        for mes in m.meses_trimestre(trimestre):
            por_operacion["avance", mes] = m.cumplimiento_operaciones(
                ops, [mes], **calc.opciones)["cumplimiento"]
            por_operacion["eficacia", mes] = eficacia_ops * reparto[mes]
    agregados = m.agregar_varios(por_operacion, ops, uds, r.agregacion)
    filas = []
    for trimestre in range(1, calc.trimestre + 1):
        vigente = vigente_al_mes(libro.presupuesto, 3 * trimestre).to_numpy()
        vig_area = pd.Series(vigente).groupby(p["area"].to_numpy()).sum().reindex(areas).fillna(0.0)
        vig_serv = pd.Series(vigente).groupby(p["servicio"].to_numpy()).sum().reindex(
            servicios).fillna(0.0)
        vig_entidad = vigente.sum()
        for mes in m.meses_trimestre(trimestre):
            avance, eficacia = agregados["avance", mes], agregados["eficacia", mes]
            dev = p[m.col_dev(mes)]
            dev_area = dev.groupby(p["area"]).sum().reindex(areas).fillna(0.0)
            dev_serv = dev.groupby(p["servicio"]).sum().reindex(servicios).fillna(0.0)
            for nombre, nivel, vig, dv, av, ef in (
                *((a, "area", vig_area[a], dev_area[a], avance.area.get(a), eficacia.area.get(a))
                  for a in areas),
                *((s, "servicio", vig_serv[s], dev_serv[s], avance.servicio.get(s),
                   eficacia.servicio.get(s))
                  for s in servicios),
                (TOTAL, "entidad", vig_entidad, dev.sum(), avance.entidad, eficacia.entidad),
            ):
                filas.append({
                    "area": nombre, "nivel": nivel, "mes": mes,
                    "avance_fisico": np.nan if av is None else av,
                    "eficacia": np.nan if ef is None else ef,
                    "vigente": float(vig), "devengado": float(dv),
                })
    tabla = pd.DataFrame(filas)
    tabla["ejecucion"] = m.porcentaje(tabla["devengado"], tabla["vigente"])
    return tabla[["area", "mes", "avance_fisico", "eficacia", "ejecucion", "devengado", "vigente",
                  "nivel"]]


# Lo que mira cada alerta según el periodo del informe: el trimestre (informe trimestral) o
# lo acumulado hasta el corte (la rendición de cuentas): el avance de la unidad, el estado y
# lo ejecutado de la operación, y cómo se dicen.
_PERIODO_ALERTAS = {
    "trimestre": {"avance": "avance_fisico_trimestre", "estado": "estado",
                  "ejec": "ejec_trimestre", "dice_avance": "avance físico del trimestre ",
                  "dice_ejec": "ejecutado en el trimestre sin meta programada: "},
    "acumulado": {"avance": "avance_fisico_acumulado", "estado": "estado_acumulado",
                  "ejec": "ejec_acumulado", "dice_avance": "avance físico acumulado ",
                  "dice_ejec": "ejecutado en el periodo sin meta programada: "},
}


def tabla_alertas(
    datos, calc: Calculo, unidad: pd.DataFrame, operacion: pd.DataFrame,
    periodo: str = "trimestre",
) -> pd.DataFrame:
    """Lo que merece atención: unidades rezagadas o en rojo, operaciones ejecutadas sin
    programación, meses sin reporte y devengado negativo (`clase` alerta); y, como
    información, las operaciones NO APLICA, que el planificador justificó (`clase`
    información). `periodo`: «trimestre» (el grado de la unidad y lo ejecutado sin
    programación, del trimestre) o «acumulado» (de lo acumulado hasta el corte: la
    rendición de cuentas). Los meses sin reporte, el semáforo y el devengado negativo son
    siempre los de todo lo acumulado. `unidad` y `operacion`: las tablas del trimestral
    (`tabla_unidad`, `tabla_operacion`) al corte de `calc`."""
    mira = _PERIODO_ALERTAS[periodo]
    escala = calc.reglas.escala_calificacion
    alerta_grados = {m.campo_tramo(t, "grado") for t in m.tramos_bajos(escala)}
    grado = m.calificar(unidad[mira["avance"]], escala, "grado")
    # Cada clase de alerta sale de una máscara sobre la tabla entera; `orden` las deja como
    # se leen: unidad por unidad (grado, luego rojo), operación por operación, y los
    # devengados negativos mes a mes.
    partes = []

    def parte(filas: pd.DataFrame, mascara, orden: tuple, tipo, codigo, nombre, detalle,
              valor) -> None:
        sel = filas[np.asarray(mascara, dtype=bool)]
        if sel.empty:
            return
        partes.append(pd.DataFrame({
            "tipo": tipo(sel) if callable(tipo) else tipo,
            "codigo": sel[codigo], "nombre": sel[nombre],
            "detalle": detalle(sel), "valor": valor(sel) if callable(valor) else valor,
            "_grupo": orden[0], "_fila": np.arange(len(filas))[np.asarray(mascara, dtype=bool)],
            "_tipo": orden[1],
        }))

    unidad = unidad.assign(_grado=grado)
    parte(unidad, unidad["_grado"].isin(alerta_grados), (0, 0),
          lambda u: f"{ALERTA_GRADO} " + u["_grado"], "codigo_unidad", "nombre",
          lambda u: mira["dice_avance"] + _formatear(u[mira["avance"]], formatear_porcentaje),
          lambda u: u[mira["avance"]])
    parte(unidad, unidad["semaforo"] == "rojo", (0, 1), ALERTA_ROJO, "codigo_unidad", "nombre",
          lambda u: "ejecución financiera acumulada "
                    + _formatear(u["ejecucion_acumulada"], formatear_porcentaje),
          lambda u: u["ejecucion_acumulada"])
    parte(operacion, operacion[mira["estado"]] == m.ESTADO_SIN_PROGRAMACION, (1, 0),
          ALERTA_SIN_PROGRAMACION, "codigo_operacion", "descripcion",
          lambda o: mira["dice_ejec"] + _formatear(o[mira["ejec"]], formatear_monto),
          lambda o: o[mira["ejec"]])
    parte(operacion, operacion["meses_sin_reporte"].astype(bool), (1, 1), ALERTA_SIN_REPORTE,
          "codigo_operacion", "descripcion",
          lambda o: "sin reporte en " + o["meses_sin_reporte"].map(
              lambda meses: enumerar_meses(int(x) for x in meses.split(","))),
          np.nan)
    parte(operacion, operacion["estado_acumulado"] == m.ESTADO_NO_APLICA, (1, 2),
          TIPO_NO_APLICA, "codigo_operacion", "descripcion", lambda o: o["no_aplica"], np.nan)
    p = datos.presupuesto
    for mes in calc.meses["acumulado"]:
        columna = m.col_dev(mes)
        parte(p, p[columna] < 0, (2 + mes, 0), ALERTA_DEVENGADO_NEGATIVO,
              "categoria_programatica", "programa",
              lambda lineas, columna=columna, mes=mes: f"{nombre_mes(mes)}: Bs "
              + _formatear(lineas[columna], formatear_monto),
              lambda lineas, columna=columna: lineas[columna])
    filas = pd.concat(partes, ignore_index=True).sort_values(
        ["_grupo", "_fila", "_tipo"], kind="stable") if partes else None
    tabla = pd.DataFrame(filas, columns=["tipo", "codigo", "nombre", "detalle", "valor"])
    if partes:
        tabla = tabla.reset_index(drop=True).astype(
            {"tipo": "str", "codigo": "str", "nombre": "str", "detalle": "str"})
    tabla.insert(1, "clase",
                 np.where(tabla["tipo"] == TIPO_NO_APLICA, CLASE_INFORMACION, CLASE_ALERTA))
    return tabla


def _formatear(valores: pd.Series, formato) -> pd.Series:
    """`formato` (Babel, lento) una vez por valor distinto de la columna."""
    return valores.map({v: formato(v) for v in valores.drop_duplicates()})


def alertas_por_tipo(alertas: pd.DataFrame) -> pd.Series:
    """Cuántas alertas (sin la información NO APLICA) hay de cada tipo, en el orden en que
    aparecen en la tabla: lo que cuentan la sección «Alertas», la portada y el resumen de la
    terminal."""
    avisos = alertas[alertas["clase"] == CLASE_ALERTA] if "clase" in alertas else alertas
    return avisos.groupby("tipo", sort=False).size()


def alertas_principales(alertas: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Las `n` alertas que más piden atención: por tipo, en el orden de `PRIORIDAD_ALERTAS`
    (una unidad en rojo antes que un mes sin reporte) y, dentro de un tipo, la de menor
    valor primero (el porcentaje más bajo, el devengado más negativo). Sin la información
    (NO APLICA)."""
    avisos = alertas[alertas["clase"] == CLASE_ALERTA]
    rango = avisos["tipo"].map(
        lambda tipo: next((i for i, p in enumerate(PRIORIDAD_ALERTAS) if tipo.startswith(p)),
                          len(PRIORIDAD_ALERTAS))
    )
    orden = avisos.assign(_rango=rango).sort_values(["_rango", "valor"], kind="stable",
                                                    na_position="last")
    return orden.drop(columns="_rango").head(n)


def tabla_por_tipo(unidad: pd.DataFrame) -> pd.DataFrame:
    """Las unidades de los grupos con representaciones (`grupos_con_representaciones`) por
    grupo y tipo de unidad: cuántas, su avance físico medio (media simple de unidades), el
    menor y el mayor. Vacía si ningún grupo las tiene."""
    del_grupo = unidad[unidad["servicio"].isin(grupos_con_representaciones(unidad))]
    claves = [del_grupo["servicio"].rename("servicio"), del_grupo["tipo"].rename("tipo")]
    grupos_tipo = del_grupo.groupby(claves, sort=False)["avance_fisico_trimestre"]
    tabla = pd.DataFrame({
        "unidades": grupos_tipo.size(),
        "avance_fisico_trimestre": grupos_tipo.mean(),
        "minimo": grupos_tipo.min(),
        "maximo": grupos_tipo.max(),
        "avance_fisico_acumulado": (
            del_grupo.groupby(claves, sort=False)["avance_fisico_acumulado"].mean()
        ),
    })
    return tabla.reset_index()


def tabla_conteo(datos) -> pd.DataFrame:
    """Cuántas ACP, operaciones, tareas y unidades entran en el informe, por grupo de áreas
    (una columna por grupo, si la entidad las agrupa) y en total."""
    uds = datos.unidades
    # Sólo las columnas que se cuentan: una columna adicional de operaciones (p. ej. una
    # llamada «servicio») no debe cruzarse con las de unidades.
    ops = datos.operaciones[["codigo_unidad", "codigo_acp", "tareas"]].merge(
        uds[["codigo_unidad", "servicio"]], on="codigo_unidad", how="left"
    )
    servicios = grupos_en_los_cuadros(uds)
    filas = []
    for concepto, por_servicio, total in (
        ("Acciones de corto plazo (ACP)", ops.groupby("servicio")["codigo_acp"].nunique(),
         datos.acp.shape[0]),
        ("Operaciones", ops.groupby("servicio").size(), len(ops)),
        ("Tareas", ops.groupby("servicio")["tareas"].sum(), int(ops["tareas"].sum())),
        ("Unidades organizacionales", uds.groupby("servicio").size(), len(uds)),
        ("Áreas organizacionales", uds.groupby("servicio")["area"].nunique(),
         uds["area"].nunique()),
        ("Líneas presupuestarias", None, len(datos.presupuesto)),
    ):
        fila = {"concepto": concepto}
        for s in servicios:
            fila[s] = int(por_servicio.get(s, 0)) if por_servicio is not None else np.nan
        fila["Total"] = int(total)
        filas.append(fila)
    return pd.DataFrame(filas)


def tabla_tendencia(datos, area: pd.DataFrame, gestion: int) -> pd.DataFrame:
    """Avance físico y ejecución de gestiones anteriores (hoja historico) y de la actual
    al corte, por área."""
    actual = area[area["nivel"] == "area"][["area", "avance_fisico_acumulado",
                                            "ejecucion_acumulada"]]
    actual = actual.rename(columns={"avance_fisico_acumulado": "avance_fisico",
                                    "ejecucion_acumulada": "ejecucion"})
    actual.insert(0, "gestion", gestion)
    hist = datos.historico[["gestion", "area", "avance_fisico", "ejecucion"]]
    tabla = pd.concat([hist, actual], ignore_index=True)
    tabla["gestion"] = tabla["gestion"].astype(int)
    return tabla.sort_values(["area", "gestion"], kind="stable").reset_index(drop=True)


def tablas_trimestrales(parametros, datos, calc: Calculo | None = None) -> dict[str, pd.DataFrame]:
    """Las tablas del informe trimestral de estos parámetros (notebooks/trimestral/secciones.yaml);
    `calc`, el cálculo ya hecho al corte (la memoria de cálculo lo muestra paso a paso)."""
    calc = calc or Calculo(datos, parametros.trimestre_corte, parametros.metodologia)
    # La remisión de los formularios: vacía si el libro no trae su registro (hoja recepcion).
    return (tablas_del_calculo(calc, parametros.gestion)
            | versiones.tablas_de_version(datos, 3 * parametros.trimestre_corte)
            | {TABLA_REMISION: tabla_remision(datos, _observados(parametros)),
               TABLA_EVIDENCIAS: tabla_evidencias(datos),
               TABLA_SIN_EVIDENCIA: tabla_sin_evidencia(
                   datos, meses_del_trimestre(parametros.trimestre_corte))}
            # Las recomendaciones con su código y el seguimiento de las anteriores.
            | tablas_de_recomendaciones(parametros, datos))


def _observados(parametros) -> str:
    recepcion = getattr(parametros, "recepcion", None)
    return recepcion.observados if recepcion is not None else "incluir"


def calcular_tablas(
    datos, trimestre: int, metodologia, gestion: int | None = None
) -> dict[str, pd.DataFrame]:
    """Todas las tablas del informe trimestral al corte de `trimestre`."""
    return tablas_del_calculo(Calculo(datos, trimestre, metodologia), gestion)


def tablas_del_calculo(calc: Calculo, gestion: int | None = None) -> dict[str, pd.DataFrame]:
    """Las tablas del informe, como vistas de los niveles de `calc`."""
    datos = calc.datos
    unidad = tabla_unidad(datos, calc)
    operacion = tabla_operacion(datos, calc)
    area = tabla_area(datos, calc)
    tablas = {
        "acp": tabla_acp(datos, calc),
        "area": area,
        "unidad": unidad,
        "categoria": tabla_categoria(datos, calc),
        "fuente": tabla_fuente(datos, calc),
        "operacion": operacion,
        "mensual": tabla_mensual(datos, calc),
        "alertas": tabla_alertas(datos, calc, unidad, operacion),
        "por_tipo": tabla_por_tipo(unidad),
        "conteo": tabla_conteo(datos),
    }
    if gestion is not None:
        tablas["tendencia"] = tabla_tendencia(datos, area, gestion)
    # Las cifras del mapa (`redaccion.mapa`); vacía si el libro no dice departamentos.
    tablas["departamento"] = tabla_departamento(calc)
    return tablas
