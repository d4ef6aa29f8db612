"""El cálculo de un corte, en una sola pasada por la jerarquía y paso a paso.

operaciones → unidades → áreas, ACP, servicios y entidad: cada nivel se calcula una vez, y
los montos de cada nivel se suman una vez desde las líneas del presupuesto. La memoria de
cálculo (`notebooks/comun/00_memoria.ipynb`) llama a los pasos en orden y muestra lo que
devuelve cada uno; `calcular_tablas` (en `tablas`) los llama igual, sin mostrarlos. Las
tablas del informe son vistas de estos niveles (ver `tablas`).

Cada paso guarda su resultado: pedirlo otra vez no vuelve a calcular, y un paso pide los
anteriores si todavía no se dieron.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.versiones import (
    detalle_al_corte,
    inicial,
    tiene_presupuesto_por_mes,
    version_al_corte,
)

# Los niveles de la jerarquía, de abajo hacia arriba (la entidad es una sola fila).
NIVELES = ("unidad", "area", "servicio", "acp", "entidad")
ENTIDAD = "TOTAL"
MONTOS = ["vigente", "devengado_trimestre", "devengado_acumulado"]
PERIODOS = ("trimestre", "acumulado")


class Calculo:
    """Los pasos del cálculo de un corte (`trimestre`) con las reglas de `metodologia`."""

    def __init__(self, datos, trimestre: int, metodologia):
        # El POA que regía al corte: sus operaciones y el vigente de ese mes
        # (`versiones`); `datos.libro` es el libro tal como se leyó.
        self.datos = version_al_corte(datos, 3 * trimestre)
        self.trimestre = trimestre
        self.reglas = metodologia
        self.meses = {
            "trimestre": m.meses_trimestre(trimestre),
            "acumulado": m.meses_acumulado(trimestre),
        }
        # Las reglas del cálculo físico que comparten todos los periodos.
        self.opciones = {
            "tope": metodologia.tope_cumplimiento,
            "sin_reporte": metodologia.sin_reporte,
        }

    # -- La versión del POA que se evalúa ---------------------------------------------

    def paso_version(self) -> dict[str, pd.DataFrame]:
        """Las operaciones que cambian con las reformulaciones y el vigente de cada línea al
        corte (`versiones.detalle_al_corte`): de dónde sale el POA que se evalúa."""
        return detalle_al_corte(self.datos, 3 * self.trimestre)

    # -- §2.1: cumplimiento de cada operación ------------------------------------------

    @cached_property
    def cumplimientos(self) -> dict[object, pd.DataFrame]:
        """El cumplimiento de cada operación en cada periodo: "trimestre", "acumulado" y
        cada trimestre 1..corte (para la eficacia; el del corte es el mismo "trimestre")."""
        ops = self.datos.operaciones
        resultado: dict[object, pd.DataFrame] = {
            periodo: m.cumplimiento_operaciones(ops, meses, **self.opciones)
            for periodo, meses in self.meses.items()
        }
        for t in range(1, self.trimestre + 1):
            resultado[t] = (
                resultado["trimestre"] if t == self.trimestre
                else m.cumplimiento_operaciones(ops, m.meses_trimestre(t), **self.opciones)
            )
        return resultado

    def paso_cumplimiento(self) -> pd.DataFrame:
        """§2.1: lo programado, lo ejecutado y el cumplimiento (con y sin tope) de cada
        operación, en el trimestre y en el acumulado."""
        ops = self.datos.operaciones
        tabla = ops[["codigo_operacion", "codigo_unidad", "codigo_acp"]].copy()
        tabla["tareas"] = ops["tareas"].astype(int)
        for periodo in PERIODOS:
            c = self.cumplimientos[periodo]
            tabla[f"prog_{periodo}"] = c["prog"]
            tabla[f"ejec_{periodo}"] = c["ejec"]
            tabla[f"cumplimiento_sin_tope_{periodo}"] = c["cumplimiento_sin_tope"]
            tabla[f"cumplimiento_{periodo}"] = c["cumplimiento"]
            tabla[f"estado_{periodo}"] = c["estado"]
        return tabla.reset_index(drop=True)

    # -- §2.2-2.3: avance físico de cada nivel ----------------------------------------

    @cached_property
    def avances(self) -> dict[object, m.Agregado]:
        """El avance físico de cada periodo en todos los niveles (de las operaciones a las
        unidades y de ahí hacia arriba, según la regla de agregación)."""
        ops, uds = self.datos.operaciones, self.datos.unidades
        trimestrales = self.reglas.participacion == "trimestral_igual"
        # La eficacia de cada trimestre sale de su avance; el del corte ya está.
        anteriores = range(1, self.trimestre) if trimestrales else ()
        cumplimientos = {clave: self.cumplimientos[clave]["cumplimiento"]
                         for clave in (*PERIODOS, *anteriores)}
        agregados = m.agregar_varios(cumplimientos, ops, uds, self.reglas.agregacion)
        resultado = {periodo: agregados[periodo] for periodo in PERIODOS}
        if trimestrales:
            for t in range(1, self.trimestre + 1):
                resultado[t] = resultado["trimestre"] if t == self.trimestre else agregados[t]
        return resultado

    def paso_avance_unidad(self) -> pd.DataFrame:
        """§2.2: el avance físico de cada unidad, media de sus operaciones ponderada por
        tareas."""
        uds = self.datos.unidades.set_index("codigo_unidad")[["nombre", "area", "servicio"]]
        for periodo in PERIODOS:
            uds[f"avance_fisico_{periodo}"] = self.avances[periodo].unidad
        return uds.reset_index()

    def paso_avance_niveles(self) -> dict[str, pd.DataFrame]:
        """§2.3: el avance físico de áreas, servicios, ACP y entidad según la regla de
        agregación en vigor."""
        return {nivel: self._fisico(nivel)[[f"avance_fisico_{p}" for p in PERIODOS]]
                for nivel in NIVELES if nivel != "unidad"}

    # -- §2.4: eficacia ---------------------------------------------------------------

    @cached_property
    def eficacia_operaciones(self) -> dict[int, pd.Series]:
        """La eficacia de cada operación en cada trimestre hasta el corte (NaN = fuera de
        los promedios)."""
        resultado = {}
        for t in range(1, self.trimestre + 1):
            c = self.cumplimientos[t]
            if self.reglas.participacion == "trimestral_igual":
                resultado[t] = c["cumplimiento"] * (m.PARTICIPACION_TRIMESTRAL / 100.0)
            else:
                resultado[t] = m.eficacia_programada_operaciones(
                    self.datos.operaciones, m.meses_trimestre(t), cumplimiento=c, **self.opciones
                )
        return resultado

    @cached_property
    def eficacias(self) -> dict[int, m.Agregado]:
        """La eficacia de cada trimestre en todos los niveles, en % del programa anual."""
        if self.reglas.participacion == "trimestral_igual":
            # Avance físico del trimestre × 25 %, en cada nivel.
            return {t: self.avances[t].escalar(m.PARTICIPACION_TRIMESTRAL / 100.0)
                    for t in range(1, self.trimestre + 1)}
        ops, uds = self.datos.operaciones, self.datos.unidades
        return m.agregar_varios(self.eficacia_operaciones, ops, uds, self.reglas.agregacion)

    @cached_property
    def eficacia_acumulada(self) -> m.Agregado:
        return m.eficacia_acumulada(self.eficacias)

    def paso_eficacia(self) -> pd.DataFrame:
        """§2.4: la eficacia de cada trimestre y la acumulada (su suma), por nivel."""
        filas = []
        for nivel in NIVELES:
            tabla = pd.DataFrame({f"eficacia_T{t}": _serie(ag, nivel)
                                  for t, ag in self.eficacias.items()})
            tabla["eficacia_acumulada"] = _serie(self.eficacia_acumulada, nivel)
            tabla.insert(0, "nivel", nivel)
            filas.append(tabla.rename_axis("codigo").reset_index())
        return pd.concat(filas, ignore_index=True)

    # -- §3: montos y ejecución financiera ---------------------------------------------

    @cached_property
    def lineas(self) -> pd.DataFrame:
        """Cada línea del presupuesto con el área y el servicio de su unidad y su
        devengado del trimestre y acumulado."""
        mapa = self.datos.unidades.set_index("codigo_unidad")
        p = self.datos.presupuesto.copy()
        p["area"] = p["codigo_unidad"].map(mapa["area"])
        p["servicio"] = p["codigo_unidad"].map(mapa["servicio"])
        p["vigente"] = p["vigente"].astype(float)
        p["inicial"] = inicial(self.datos.presupuesto)
        p["devengado_trimestre"] = m.devengado(p, self.meses["trimestre"])
        p["devengado_acumulado"] = m.devengado(p, self.meses["acumulado"])
        return p

    @property
    def registra_inicial(self) -> bool:
        """Si el libro registra el presupuesto inicial o el vigente de cada mes: entonces
        las tablas financieras muestran también el inicial y las modificaciones."""
        return tiene_presupuesto_por_mes(self.datos.presupuesto)

    @cached_property
    def montos(self) -> dict[str, pd.DataFrame]:
        """Vigente y devengado sumados una vez por nivel desde las líneas (nunca la media
        de porcentajes); en cada nivel, todos sus grupos, aun los que no tienen líneas."""
        p = self.lineas
        claves = {"unidad": "codigo_unidad", "area": "area", "servicio": "servicio",
                  "acp": "codigo_acp"}
        resultado = {}
        for nivel, columna in claves.items():
            suma = p.groupby(columna, sort=False)[MONTOS].sum()
            resultado[nivel] = suma.reindex(self._codigos(nivel)).fillna(0.0)
        resultado["entidad"] = pd.DataFrame([p[MONTOS].sum()], index=[ENTIDAD])
        return resultado

    def paso_financiero(self) -> dict[str, pd.DataFrame]:
        """§3: montos y ejecución (devengado / vigente × 100) de cada nivel."""
        resultado = {}
        for nivel, montos in self.montos.items():
            t = montos.copy()
            t["ejecucion_trimestre"] = m.porcentaje(t["devengado_trimestre"], t["vigente"])
            t["ejecucion_acumulada"] = m.porcentaje(t["devengado_acumulado"], t["vigente"])
            resultado[nivel] = t
        return resultado

    # -- §4-5: indicadores combinados, calificación y semáforo -------------------------

    @cached_property
    def niveles(self) -> dict[str, pd.DataFrame]:
        """Cada nivel con sus montos, su avance y eficacia, y lo que se deriva de ellos:
        ejecución, eficiencia, brecha, calificación y semáforo. Índice: el código."""
        return {nivel: completar_metricas(self.montos[nivel].join(self._fisico(nivel)),
                                          self.trimestre, self.reglas)
                for nivel in NIVELES}

    def paso_indicadores(self) -> dict[str, pd.DataFrame]:
        """§4-5: eficiencia y brecha, calificación y semáforo de cada nivel; con la eficacia
        y la ejecución al lado, los operandos de la eficiencia y de la brecha."""
        columnas = ["eficacia_trimestre", "ejecucion_trimestre", "eficiencia_trimestre",
                    "brecha_trimestre", "eficacia_acumulada", "ejecucion_acumulada",
                    "eficiencia_acumulada", "brecha_acumulada", "calificacion_trimestre",
                    "calificacion_acumulada", "grado_trimestre", "semaforo"]
        return {nivel: tabla[columnas] for nivel, tabla in self.niveles.items()}

    # -- Auxiliares -------------------------------------------------------------------

    def _codigos(self, nivel: str) -> list:
        uds = self.datos.unidades
        if nivel == "unidad":
            return list(uds["codigo_unidad"])
        if nivel == "acp":
            return list(self.datos.acp["codigo_acp"])
        return list(pd.unique(uds[nivel]))

    def _fisico(self, nivel: str) -> pd.DataFrame:
        """avance y eficacia (trimestre y acumulado) de un nivel, por código."""
        indice = [ENTIDAD] if nivel == "entidad" else self._codigos(nivel)
        return pd.DataFrame(
            {
                "avance_fisico_trimestre": _serie(self.avances["trimestre"], nivel),
                "avance_fisico_acumulado": _serie(self.avances["acumulado"], nivel),
                "eficacia_trimestre": _serie(self.eficacias[self.trimestre], nivel),
                "eficacia_acumulada": _serie(self.eficacia_acumulada, nivel),
            }
        ).reindex(indice)


def _serie(agregado: m.Agregado, nivel: str) -> pd.Series:
    if nivel == "entidad":
        return pd.Series([agregado.entidad], index=[ENTIDAD], dtype=float)
    return agregado.nivel(nivel)


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


def completar_metricas(tabla: pd.DataFrame, trimestre: int, reglas) -> pd.DataFrame:
    """Añade a una tabla con montos y avance/eficacia la ejecución, los indicadores
    combinados y las calificaciones; deja las columnas en el orden de COLUMNAS_METRICAS."""
    t = tabla.copy()
    for col in MONTOS:
        t[col] = t[col].fillna(0.0).astype(float)
    t["ejecucion_trimestre"] = m.porcentaje(t["devengado_trimestre"], t["vigente"])
    t["ejecucion_acumulada"] = m.porcentaje(t["devengado_acumulado"], t["vigente"])
    # §4: eficiencia y brecha sobre los operandos redondeados como se imprimen; la eficiencia
    # queda vacía (n.s.) con una ejecución menor que la mínima de los parámetros.
    minima = reglas.eficiencia_ejecucion_minima
    for periodo in ("trimestre", "acumulada"):
        t[f"eficiencia_{periodo}"] = m.eficiencia(t[f"eficacia_{periodo}"],
                                                  t[f"ejecucion_{periodo}"], minima)
    t["brecha_trimestre"] = m.brecha(t["eficacia_trimestre"], t["ejecucion_trimestre"])
    t["brecha_acumulada"] = m.brecha(t["eficacia_acumulada"], t["ejecucion_acumulada"])
    escala = reglas.escala_calificacion
    t["calificacion_trimestre"] = m.calificar(t["avance_fisico_trimestre"], escala)
    t["calificacion_acumulada"] = m.calificar(t["avance_fisico_acumulado"], escala)
    t["grado_trimestre"] = m.calificar(t["avance_fisico_trimestre"], escala, "grado")
    t["semaforo"] = m.semaforo(t["ejecucion_acumulada"], trimestre, reglas.semaforo_financiero)
    otras = [c for c in t.columns if c not in COLUMNAS_METRICAS]
    return t[otras + COLUMNAS_METRICAS]
