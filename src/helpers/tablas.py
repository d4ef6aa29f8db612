"""Las tablas del informe trimestral, calculadas de los datos validados y la metodología.

Cada tabla es un DataFrame con porcentajes 0-100 en precisión completa (el informe
redondea al mostrar; los CSV no). `calcular_tablas` es puro: no lee ni escribe archivos.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import metodologia as m
from .numeros import formatear_monto, formatear_porcentaje

TOTAL = "TOTAL"

COLUMNAS_METRICAS = [
    "vigente",
    "devengado_trimestre",
    "devengado_acumulado",
    "ejecucion_trimestre",
    "ejecucion_acumulada",
    "avance_fisico_trimestre",
    "avance_fisico_acumulado",
    "eficacia_trimestre",
    "eficacia_acumulada",
    "eficiencia_trimestre",
    "eficiencia_acumulada",
    "brecha_trimestre",
    "brecha_acumulada",
    "calificacion_trimestre",
    "calificacion_acumulada",
    "grado_trimestre",
    "semaforo",
]


class Indicadores:
    """Los indicadores físicos de un corte, en todos los niveles, calculados una sola vez."""

    def __init__(self, datos, trimestre: int, metodologia):
        self.trimestre = trimestre
        self.reglas = metodologia
        ops, uds = datos.operaciones, datos.unidades
        # Las reglas del cálculo físico que comparten todos los periodos.
        self.opciones = {
            "tope": metodologia.tope_cumplimiento,
            "sin_reporte": metodologia.sin_reporte,
            "agregacion": metodologia.agregacion,
        }
        opciones = self.opciones
        self.meses_trimestre = m.meses_trimestre(trimestre)
        self.meses_acumulado = m.meses_acumulado(trimestre)
        self.avance_trimestre = m.avance_fisico(ops, uds, self.meses_trimestre, **opciones)
        self.avance_acumulado = m.avance_fisico(ops, uds, self.meses_acumulado, **opciones)
        self.eficacias = m.eficacia_trimestres(
            ops, uds, trimestre, participacion=metodologia.participacion, **opciones
        )
        self.eficacia_trimestre = self.eficacias[trimestre]
        self.eficacia_acumulada = m.eficacia_acumulada(self.eficacias)

    def fisico(self, nivel: str) -> pd.DataFrame:
        """avance y eficacia (trimestre y acumulado) de un nivel, por código."""
        return pd.DataFrame(
            {
                "avance_fisico_trimestre": self.avance_trimestre.nivel(nivel),
                "avance_fisico_acumulado": self.avance_acumulado.nivel(nivel),
                "eficacia_trimestre": self.eficacia_trimestre.nivel(nivel),
                "eficacia_acumulada": self.eficacia_acumulada.nivel(nivel),
            }
        )

    def fisico_entidad(self) -> dict[str, float]:
        return {
            "avance_fisico_trimestre": self.avance_trimestre.entidad,
            "avance_fisico_acumulado": self.avance_acumulado.entidad,
            "eficacia_trimestre": self.eficacia_trimestre.entidad,
            "eficacia_acumulada": self.eficacia_acumulada.entidad,
        }


def _completar_metricas(tabla: pd.DataFrame, trimestre: int, reglas) -> pd.DataFrame:
    """Añade los indicadores combinados y las calificaciones a una tabla con montos y
    avance/eficacia; deja las columnas en el orden de COLUMNAS_METRICAS."""
    t = tabla.copy()
    for col in ("vigente", "devengado_trimestre", "devengado_acumulado"):
        t[col] = t[col].fillna(0.0).astype(float)
    t["ejecucion_trimestre"] = m.porcentaje(t["devengado_trimestre"], t["vigente"])
    t["ejecucion_acumulada"] = m.porcentaje(t["devengado_acumulado"], t["vigente"])
    t["eficiencia_trimestre"] = m.eficiencia(t["eficacia_trimestre"], t["ejecucion_trimestre"])
    t["eficiencia_acumulada"] = m.eficiencia(t["eficacia_acumulada"], t["ejecucion_acumulada"])
    t["brecha_trimestre"] = m.brecha(t["eficacia_trimestre"], t["ejecucion_trimestre"])
    t["brecha_acumulada"] = m.brecha(t["eficacia_acumulada"], t["ejecucion_acumulada"])
    escala = reglas.escala_calificacion
    t["calificacion_trimestre"] = m.calificar(t["avance_fisico_trimestre"], escala)
    t["calificacion_acumulada"] = m.calificar(t["avance_fisico_acumulado"], escala)
    t["grado_trimestre"] = m.calificar(t["avance_fisico_trimestre"], escala, "grado")
    t["semaforo"] = m.semaforo(t["ejecucion_acumulada"], trimestre, reglas.semaforo_financiero)
    otras = [c for c in t.columns if c not in COLUMNAS_METRICAS]
    return t[otras + COLUMNAS_METRICAS]


def _presupuesto_con_unidad(datos) -> pd.DataFrame:
    mapa = datos.unidades.set_index("codigo_unidad")
    p = datos.presupuesto.copy()
    p["area"] = p["codigo_unidad"].map(mapa["area"])
    p["servicio"] = p["codigo_unidad"].map(mapa["servicio"])
    return p


def _fila_total(financiero: pd.DataFrame, fisico: dict[str, float]) -> dict:
    fila = {c: financiero[c].sum() for c in ("vigente", "devengado_trimestre", "devengado_acumulado")}
    fila.update(fisico)
    return fila


def tabla_acp(datos, ind: Indicadores) -> pd.DataFrame:
    p = _presupuesto_con_unidad(datos)
    fin = m.financiero_por(p, p["codigo_acp"], ind.meses_trimestre, ind.meses_acumulado)
    codigos = datos.acp["codigo_acp"]
    base = datos.acp.set_index("codigo_acp")[["descripcion"]]
    cuerpo = base.join(fin[["vigente", "devengado_trimestre", "devengado_acumulado"]]).join(
        ind.fisico("acp")
    )
    cuerpo = cuerpo.reindex(codigos).reset_index()
    total = {"codigo_acp": TOTAL, "descripcion": "Total de la entidad"}
    total.update(_fila_total(fin, ind.fisico_entidad()))
    tabla = pd.concat([cuerpo, pd.DataFrame([total])], ignore_index=True)
    return _completar_metricas(tabla, ind.trimestre, ind.reglas)


def tabla_area(datos, ind: Indicadores) -> pd.DataFrame:
    p = _presupuesto_con_unidad(datos)
    uds = datos.unidades
    areas = list(pd.unique(uds["area"]))
    servicios = list(pd.unique(uds["servicio"]))
    fin_area = m.financiero_por(p, p["area"], ind.meses_trimestre, ind.meses_acumulado)
    fin_serv = m.financiero_por(p, p["servicio"], ind.meses_trimestre, ind.meses_acumulado)
    montos = ["vigente", "devengado_trimestre", "devengado_acumulado"]

    por_area = fin_area[montos].reindex(areas).join(ind.fisico("area"))
    por_area["servicio"] = uds.groupby("area")["servicio"].first().reindex(areas)
    por_area["nivel"] = "area"
    por_serv = fin_serv[montos].reindex(servicios).join(ind.fisico("servicio"))
    por_serv["servicio"] = por_serv.index
    por_serv["nivel"] = "servicio"
    total = pd.DataFrame([_fila_total(fin_area, ind.fisico_entidad())], index=[TOTAL])
    total["servicio"] = ""
    total["nivel"] = "entidad"
    tabla = pd.concat([por_area, por_serv, total])
    tabla.index.name = "area"
    tabla = tabla.reset_index()
    tabla = _completar_metricas(tabla, ind.trimestre, ind.reglas)
    return tabla[["area", "servicio", "nivel"] + COLUMNAS_METRICAS]


def tabla_unidad(datos, ind: Indicadores) -> pd.DataFrame:
    p = _presupuesto_con_unidad(datos)
    fin = m.financiero_por(p, p["codigo_unidad"], ind.meses_trimestre, ind.meses_acumulado)
    uds = datos.unidades.set_index("codigo_unidad")[["nombre", "area", "servicio", "tipo"]]
    montos = fin[["vigente", "devengado_trimestre", "devengado_acumulado"]]
    tabla = uds.join(montos).join(ind.fisico("unidad")).reset_index()
    return _completar_metricas(tabla, ind.trimestre, ind.reglas)


def tabla_categoria(datos, ind: Indicadores) -> pd.DataFrame:
    p = datos.presupuesto
    tabla = p[["categoria_programatica", "fuente", "programa", "codigo_unidad", "codigo_acp", "vigente"]].copy()
    tabla["vigente"] = tabla["vigente"].astype(float)
    tabla["devengado_trimestre"] = m.devengado(p, ind.meses_trimestre)
    tabla["devengado_acumulado"] = m.devengado(p, ind.meses_acumulado)
    total = {
        "categoria_programatica": TOTAL,
        "fuente": "",
        "programa": "Total de la entidad",
        "codigo_unidad": "",
        "codigo_acp": "",
        "vigente": tabla["vigente"].sum(),
        "devengado_trimestre": tabla["devengado_trimestre"].sum(),
        "devengado_acumulado": tabla["devengado_acumulado"].sum(),
    }
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla["ejecucion_trimestre"] = m.porcentaje(tabla["devengado_trimestre"], tabla["vigente"])
    tabla["ejecucion_acumulada"] = m.porcentaje(tabla["devengado_acumulado"], tabla["vigente"])
    tabla["saldo"] = tabla["vigente"] - tabla["devengado_acumulado"]
    tabla["semaforo"] = m.semaforo(
        tabla["ejecucion_acumulada"], ind.trimestre, ind.reglas.semaforo_financiero
    )
    return tabla


def tabla_fuente(datos, ind: Indicadores) -> pd.DataFrame:
    """Ejecución por fuente de financiamiento (vacía si el libro no indica fuentes)."""
    p = datos.presupuesto
    if not p["fuente"].astype(str).str.strip().ne("").any():
        return pd.DataFrame(columns=["fuente", "vigente", "devengado_trimestre", "devengado_acumulado",
                                     "ejecucion_trimestre", "ejecucion_acumulada", "saldo"])
    claves = p["fuente"].where(p["fuente"].astype(str).str.strip().ne(""), "Sin fuente")
    fin = m.financiero_por(p, claves, ind.meses_trimestre, ind.meses_acumulado)
    fin.index.name = "fuente"
    tabla = fin.reset_index()
    total = {"fuente": TOTAL, **{c: tabla[c].sum() for c in ("vigente", "devengado_trimestre", "devengado_acumulado")}}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla["ejecucion_trimestre"] = m.porcentaje(tabla["devengado_trimestre"], tabla["vigente"])
    tabla["ejecucion_acumulada"] = m.porcentaje(tabla["devengado_acumulado"], tabla["vigente"])
    tabla["saldo"] = tabla["vigente"] - tabla["devengado_acumulado"]
    return tabla


def tabla_operacion(datos, ind: Indicadores) -> pd.DataFrame:
    ops = datos.operaciones
    r = ind.reglas
    trim = m.cumplimiento_operaciones(
        ops, ind.meses_trimestre, tope=r.tope_cumplimiento, sin_reporte=r.sin_reporte
    )
    acum = m.cumplimiento_operaciones(
        ops, ind.meses_acumulado, tope=r.tope_cumplimiento, sin_reporte=r.sin_reporte
    )
    escala = r.escala_calificacion
    return pd.DataFrame(
        {
            "codigo_operacion": ops["codigo_operacion"],
            "codigo_unidad": ops["codigo_unidad"],
            "codigo_acp": ops["codigo_acp"],
            "descripcion": ops["descripcion"],
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


def tabla_mensual(datos, ind: Indicadores) -> pd.DataFrame:
    """Avance físico, eficacia y ejecución de cada mes hasta el corte, por área, servicio
    y para la entidad (fila TOTAL).

    El avance físico es el del mes (su meta y lo ejecutado en él). La eficacia del mes es
    la parte de la eficacia del trimestre lograda en ese mes, según lo ejecutado en cada
    mes por cada operación: los tres meses suman la eficacia del trimestre. La ejecución
    es el devengado del mes sobre el vigente, y también suma la del trimestre."""
    ops, uds = datos.operaciones, datos.unidades
    r = ind.reglas
    p = _presupuesto_con_unidad(datos)
    areas = list(pd.unique(uds["area"]))
    servicios = list(pd.unique(uds["servicio"]))
    vig_area = p.groupby("area")["vigente"].sum().reindex(areas).fillna(0.0)
    vig_serv = p.groupby("servicio")["vigente"].sum().reindex(servicios).fillna(0.0)
    filas = []
    for trimestre in range(1, ind.trimestre + 1):
        eficacia_ops = m.eficacia_operaciones(
            ops, trimestre, tope=r.tope_cumplimiento, sin_reporte=r.sin_reporte,
            participacion=r.participacion,
        )
        reparto = m.reparto_mensual(ops, trimestre)
        for mes in m.meses_trimestre(trimestre):
            avance = m.avance_fisico(ops, uds, [mes], **ind.opciones)
            eficacia = m.agregar(eficacia_ops * reparto[mes], ops, uds, r.agregacion)
            dev = p[m.col_dev(mes)]
            dev_area = dev.groupby(p["area"]).sum().reindex(areas).fillna(0.0)
            dev_serv = dev.groupby(p["servicio"]).sum().reindex(servicios).fillna(0.0)
            for nombre, nivel, vig, dv, av, ef in (
                *((a, "area", vig_area[a], dev_area[a], avance.area.get(a), eficacia.area.get(a))
                  for a in areas),
                *((s, "servicio", vig_serv[s], dev_serv[s], avance.servicio.get(s), eficacia.servicio.get(s))
                  for s in servicios),
                (TOTAL, "entidad", p["vigente"].sum(), dev.sum(), avance.entidad, eficacia.entidad),
            ):
                filas.append({
                    "area": nombre, "nivel": nivel, "mes": mes,
                    "avance_fisico": np.nan if av is None else av,
                    "eficacia": np.nan if ef is None else ef,
                    "vigente": float(vig), "devengado": float(dv),
                })
    tabla = pd.DataFrame(filas)
    tabla["ejecucion"] = m.porcentaje(tabla["devengado"], tabla["vigente"])
    return tabla[["area", "mes", "avance_fisico", "eficacia", "ejecucion", "devengado", "vigente", "nivel"]]


def tabla_alertas(datos, ind: Indicadores, unidad: pd.DataFrame, operacion: pd.DataFrame) -> pd.DataFrame:
    """Lo que merece atención: unidades rezagadas o en rojo, operaciones ejecutadas sin
    programación, meses sin reporte, devengado negativo y operaciones NO APLICA."""
    filas: list[dict] = []
    # Los tres tramos más bajos de la escala (Atrasado, En riesgo, Por iniciar por defecto).
    alerta_grados = {m.campo_tramo(t, "grado") for t in ind.reglas.escala_calificacion[-3:]}
    for u in unidad.itertuples(index=False):
        if u.grado_trimestre in alerta_grados:
            filas.append({"tipo": f"Unidad con grado {u.grado_trimestre}", "codigo": u.codigo_unidad,
                          "nombre": u.nombre, "detalle": f"avance físico del trimestre {formatear_porcentaje(u.avance_fisico_trimestre)}",
                          "valor": u.avance_fisico_trimestre})
        if u.semaforo == "rojo":
            filas.append({"tipo": "Unidad en rojo", "codigo": u.codigo_unidad, "nombre": u.nombre,
                          "detalle": f"ejecución financiera acumulada {formatear_porcentaje(u.ejecucion_acumulada)}",
                          "valor": u.ejecucion_acumulada})
    for o in operacion.itertuples(index=False):
        if o.estado == m.ESTADO_SIN_PROGRAMACION:
            filas.append({"tipo": "Ejecutado sin programación", "codigo": o.codigo_operacion,
                          "nombre": o.descripcion, "detalle": f"ejecutado en el trimestre sin meta programada: {formatear_monto(o.ejec_trimestre)}",
                          "valor": o.ejec_trimestre})
        if o.meses_sin_reporte:
            filas.append({"tipo": "Mes sin reporte", "codigo": o.codigo_operacion, "nombre": o.descripcion,
                          "detalle": f"meses {o.meses_sin_reporte}", "valor": np.nan})
        if o.estado_acumulado == m.ESTADO_NO_APLICA:
            filas.append({"tipo": "NO APLICA", "codigo": o.codigo_operacion, "nombre": o.descripcion,
                          "detalle": o.no_aplica, "valor": np.nan})
    p = datos.presupuesto
    for mes in ind.meses_acumulado:
        negativos = p[p[m.col_dev(mes)] < 0]
        for linea in negativos.itertuples(index=False):
            filas.append({"tipo": "Devengado negativo", "codigo": linea.categoria_programatica,
                          "nombre": linea.programa, "detalle": f"mes {mes}: Bs {formatear_monto(getattr(linea, m.col_dev(mes)))}",
                          "valor": getattr(linea, m.col_dev(mes))})
    return pd.DataFrame(filas, columns=["tipo", "codigo", "nombre", "detalle", "valor"])


def tabla_exterior_tipo(unidad: pd.DataFrame) -> pd.DataFrame:
    """Servicio exterior agrupado por tipo de unidad (embajadas, consulados, ...): cuántas
    unidades, su avance físico medio (media simple de unidades), el menor y el mayor."""
    ext = unidad[unidad["servicio"] == "Exterior"]
    grupos = ext.groupby("tipo", sort=False)["avance_fisico_trimestre"]
    tabla = pd.DataFrame({
        "unidades": grupos.size(),
        "avance_fisico_trimestre": grupos.mean(),
        "minimo": grupos.min(),
        "maximo": grupos.max(),
        "avance_fisico_acumulado": ext.groupby("tipo", sort=False)["avance_fisico_acumulado"].mean(),
    })
    tabla.index.name = "tipo"
    return tabla.reset_index()


def tabla_conteo(datos) -> pd.DataFrame:
    """Cuántas ACP, operaciones, tareas y unidades entran en el informe, por servicio."""
    uds = datos.unidades
    # Sólo las columnas que se cuentan: una columna adicional de operaciones (p. ej. una
    # llamada «servicio») no debe cruzarse con las de unidades.
    ops = datos.operaciones[["codigo_unidad", "codigo_acp", "tareas"]].merge(
        uds[["codigo_unidad", "servicio"]], on="codigo_unidad", how="left"
    )
    servicios = list(pd.unique(uds["servicio"]))
    filas = []
    for concepto, por_servicio, total in (
        ("Acciones de corto plazo (ACP)", ops.groupby("servicio")["codigo_acp"].nunique(), datos.acp.shape[0]),
        ("Operaciones", ops.groupby("servicio").size(), len(ops)),
        ("Tareas", ops.groupby("servicio")["tareas"].sum(), int(ops["tareas"].sum())),
        ("Unidades organizacionales", uds.groupby("servicio").size(), len(uds)),
        ("Áreas organizacionales", uds.groupby("servicio")["area"].nunique(), uds["area"].nunique()),
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
    actual = area[area["nivel"] == "area"][["area", "avance_fisico_acumulado", "ejecucion_acumulada"]]
    actual = actual.rename(columns={"avance_fisico_acumulado": "avance_fisico", "ejecucion_acumulada": "ejecucion"})
    actual.insert(0, "gestion", gestion)
    hist = datos.historico[["gestion", "area", "avance_fisico", "ejecucion"]]
    tabla = pd.concat([hist, actual], ignore_index=True)
    tabla["gestion"] = tabla["gestion"].astype(int)
    return tabla.sort_values(["area", "gestion"], kind="stable").reset_index(drop=True)


def calcular_tablas(datos, trimestre: int, metodologia, gestion: int | None = None) -> dict[str, pd.DataFrame]:
    """Todas las tablas del informe trimestral al corte de `trimestre`."""
    ind = Indicadores(datos, trimestre, metodologia)
    unidad = tabla_unidad(datos, ind)
    operacion = tabla_operacion(datos, ind)
    area = tabla_area(datos, ind)
    tablas = {
        "acp": tabla_acp(datos, ind),
        "area": area,
        "unidad": unidad,
        "categoria": tabla_categoria(datos, ind),
        "fuente": tabla_fuente(datos, ind),
        "operacion": operacion,
        "mensual": tabla_mensual(datos, ind),
        "alertas": tabla_alertas(datos, ind, unidad, operacion),
        "exterior_tipo": tabla_exterior_tipo(unidad),
        "conteo": tabla_conteo(datos),
    }
    if gestion is not None:
        tablas["tendencia"] = tabla_tendencia(datos, area, gestion)
    return tablas
