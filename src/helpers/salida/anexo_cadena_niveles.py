"""Los niveles de la cadena de cálculo del anexo: las hojas unidades, acp_unidad, acps, areas,
servicios y entidad, con fórmulas sobre las hojas de abajo.

- Entra: el libro validado (para las filas de cada nivel: unidades, ACP, áreas, servicios),
  el `Contexto` del corte y las hojas ya armadas de las que leen (operaciones, presupuesto,
  y el nivel de abajo).
- Sale: una `Hoja` por nivel (`anexo_cadena_hoja`), sin escribir todavía: las escribe
  `helpers.salida.anexo_cadena`, en su orden.

En cada nivel: vigente y devengado sumados (nunca promedios de porcentajes) y la ejecución;
el avance físico de cada periodo (y, con la participación `programada`, la eficacia de cada
trimestre) como media ponderada por tareas de sus operaciones (agregación `tareas`, y
siempre en las unidades) o media simple de las filas del nivel de abajo que tienen valor
(`promedio_unidades`: unidades de la ACP, unidades del área, áreas del servicio, servicios);
y la eficacia, la eficacia acumulada, la eficiencia, la brecha, la calificación y el
semáforo.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.salida.anexo_cadena_hoja import Hoja
from helpers.salida.anexo_cadena_piezas import (
    ACUMULADO,
    DESCRIPCION_SEMAFORO,
    HOJA_ACP_UNIDAD,
    HOJA_ACPS,
    HOJA_AREAS,
    HOJA_ENTIDAD,
    HOJA_OPERACIONES,
    HOJA_SERVICIOS,
    HOJA_UNIDADES,
    Contexto,
    cuenta_con_valor,
    describir_escala,
    femenino,
    formula_calificacion,
    formula_porcentaje,
    formula_semaforo,
    media_con_valor,
    suma_grupo,
)
from helpers.salida.anexo_formatos import (
    FORMATO_DECIMAL,
    FORMATO_ENTERO,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
)

__all__ = ["hoja_acp_unidad", "hoja_acps", "hoja_areas", "hoja_entidad", "hoja_servicios",
           "hoja_unidades"]


@dataclass(frozen=True)
class _Medida:
    """Un valor por operación que se lleva a los niveles: el cumplimiento de un periodo
    (avance físico) o la eficacia de un trimestre (participación programada)."""

    clave: str  # "avance:T1", "eficacia:T2"...
    encabezado: str  # "Avance físico T1 (%)"
    tareas_op: str  # columnas de operaciones: tareas y valor × tareas
    ponderado_op: str
    tareas_texto: str  # "Tareas en el promedio T1"
    ponderado_texto: str  # "Cumplimiento × tareas T1"
    que: str  # "avance físico T1"


def _medidas(ctx: Contexto) -> list[_Medida]:
    medidas = []
    for per in ctx.periodos:
        e = per.etiqueta
        medidas.append(_Medida(
            f"avance:{e}", f"Avance físico {e} (%)", f"tareas:{e}", f"ponderado:{e}",
            f"Tareas en el promedio {e}", f"Cumplimiento × tareas {e}",
            f"avance físico {e}",
        ))
    if ctx.programada:
        for per in ctx.trimestres:
            e = per.etiqueta
            medidas.append(_Medida(
                f"eficacia:{e}", f"Eficacia {e} (%)", f"tareas_eficacia:{e}",
                f"eficacia_ponderada:{e}",
                f"Tareas en la eficacia {e}", f"Eficacia × tareas {e}", f"eficacia {e}",
            ))
    return medidas


def _ponderada(h: Hoja, medida: _Medida, fuente: Hoja, criterios, origen: str) -> None:
    """Media ponderada por tareas: Σ(valor × tareas) / Σ tareas sobre las filas de `fuente`
    del grupo (las columnas auxiliares de tareas de `fuente`)."""
    cols_tareas, cols_ponderado = (
        (medida.tareas_op, medida.ponderado_op) if fuente.nombre == HOJA_OPERACIONES
        else (f"tareas|{medida.clave}", f"ponderado|{medida.clave}")
    )
    t = suma_grupo(criterios, fuente.rango(cols_tareas))
    p = suma_grupo(criterios, fuente.rango(cols_ponderado))
    h.formula(f"tareas|{medida.clave}", medida.tareas_texto, FORMATO_ENTERO,
              f"suma de la columna «{medida.tareas_texto}» de {origen}", "=" + t)
    h.formula(f"ponderado|{medida.clave}", medida.ponderado_texto, FORMATO_DECIMAL,
              f"suma de la columna «{medida.ponderado_texto}» de {origen}", "=" + p)
    tareas, ponderado = h.c(f"tareas|{medida.clave}"), h.c(f"ponderado|{medida.clave}")
    h.formula(medida.clave, medida.encabezado, FORMATO_PORCENTAJE,
              f"{medida.ponderado_texto} / {medida.tareas_texto} (media ponderada por tareas); "
              "vacía si no hay tareas",
              f'=IF({tareas}>0,{ponderado}/{tareas},"")')


def _media(h: Hoja, medida: _Medida, fuente: Hoja, criterios, origen: str, cuales: str) -> None:
    """Media simple de los valores de las filas de `fuente` del grupo que tienen valor."""
    rango = fuente.rango(medida.clave)
    h.formula(f"cuenta|{medida.clave}", f"{cuales} con {medida.que}", FORMATO_ENTERO,
              f"cuántas filas de {origen} tienen {medida.que}",
              "=" + cuenta_con_valor(criterios, rango))
    cuenta = h.c(f"cuenta|{medida.clave}")
    funcion = "AVERAGE" if not criterios else "SUMPRODUCT(...)/cuenta"
    h.formula(medida.clave, medida.encabezado, FORMATO_PORCENTAJE,
              f"media simple de {medida.que} de {origen} que tienen valor ({funcion}); "
              "vacía si ninguna tiene valor",
              "=" + media_con_valor(criterios, rango, cuenta))


def _financiero(h: Hoja, ctx: Contexto, fuente: Hoja, criterios, origen: str) -> None:
    """Vigente y devengados sumados (nunca promedios de porcentajes) y la ejecución."""
    for clave, encabezado, col in (
        ("vigente", "Vigente (Bs)", "vigente"),
        (f"devengado:{ctx.actual.etiqueta}", f"Devengado {ctx.actual.etiqueta} (Bs)",
         f"devengado:{ctx.actual.etiqueta}"),
        (f"devengado:{ACUMULADO}", "Devengado acumulado (Bs)", f"devengado:{ACUMULADO}"),
    ):
        h.formula(clave, encabezado, FORMATO_MONTO,
                  f"suma de «{encabezado}» de {origen}",
                  "=" + suma_grupo(criterios, fuente.rango(col)))
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"ejecucion:{e}", f"Ejecución {femenino(e)} (%)", FORMATO_PORCENTAJE,
                  f"devengado {e} / vigente × 100 (montos sumados primero); vacía si vigente "
                  "no es mayor que 0",
                  "=" + formula_porcentaje(h.c(f"devengado:{e}"), h.c("vigente")))


def _indicadores(h: Hoja, ctx: Contexto) -> None:
    """Eficacia de cada trimestre y acumulada, eficiencia, brecha, calificación y semáforo
    a partir de las columnas de avance, eficacia y ejecución de la misma fila."""
    eficacias = []
    for per in ctx.trimestres:
        e = per.etiqueta
        if not ctx.programada:
            avance = h.c(f"avance:{e}")
            h.formula(f"eficacia:{e}", f"Eficacia {e} (%)", FORMATO_PORCENTAJE,
                      f"avance físico {e} × participación de cada trimestre (parametros) / 100;"
                      " vacía si no hay avance",
                      f'=IF(ISNUMBER({avance}),{avance}*{ctx.p["participacion"]}/100,"")')
        eficacias.append(h.c(f"eficacia:{e}"))
    lista = ",".join(eficacias)
    h.formula(f"eficacia:{ACUMULADO}", "Eficacia acumulada (%)", FORMATO_PORCENTAJE,
              "suma de las eficacias de los trimestres hasta el corte (un trimestre sin valor "
              "no suma); vacía si ninguno tiene valor",
              f'=IF(COUNT({lista})=0,"",SUM({lista}))')
    # §4: sobre la eficacia y la ejecución redondeadas a 2 decimales (las impresas). IF
    # anidados: AND no se detiene en el primer falso, y ROUND("") da error.
    minima = ctx.p["eficiencia_minima"]
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        nombre = femenino(e)
        efic, ejec = h.c(f"eficacia:{e}"), h.c(f"ejecucion:{e}")
        f2, e2 = f"ROUND({efic},2)", f"ROUND({ejec},2)"
        h.formula(f"eficiencia:{e}", f"Eficiencia {nombre} (%)", FORMATO_PORCENTAJE,
                  f"ROUND(eficacia {nombre}; 2) / ROUND(ejecución {nombre}; 2) × 100; vacía si "
                  "falta alguna, o si la ejecución redondeada no es mayor que 0 o es menor que "
                  "la ejecución mínima de parametros (n.s.)",
                  f'=IF(AND(ISNUMBER({efic}),ISNUMBER({ejec})),'
                  f'IF(AND({e2}>0,{e2}>={minima}),{f2}/{e2}*100,""),"")')
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        nombre = femenino(e)
        efic, ejec = h.c(f"eficacia:{e}"), h.c(f"ejecucion:{e}")
        h.formula(f"brecha:{e}", f"Brecha {nombre} (puntos)", FORMATO_PORCENTAJE,
                  f"ROUND(eficacia {nombre}; 2) − ROUND(ejecución {nombre}; 2), en puntos "
                  "porcentuales; vacía si falta alguna",
                  f'=IF(AND(ISNUMBER({efic}),ISNUMBER({ejec})),'
                  f'ROUND({efic},2)-ROUND({ejec},2),"")')
    for per, campo in ((ctx.actual, "calificacion"), (ctx.acumulado, "calificacion"),
                       (ctx.actual, "grado")):
        e = per.etiqueta
        nombre = femenino(e)
        titulo = "Calificación" if campo == "calificacion" else "Grado"
        h.formula(f"{campo}:{e}", f"{titulo} {nombre}", None,
                  describir_escala(f"el avance físico {e}", campo),
                  formula_calificacion(ctx, h.c(f"avance:{e}"), campo))
    h.formula("semaforo", "Semáforo", None, DESCRIPCION_SEMAFORO,
              formula_semaforo(ctx, h.c(f"ejecucion:{ACUMULADO}")))


def hoja_unidades(datos, ctx, ops: Hoja, pres: Hoja) -> Hoja:
    uds = datos.unidades
    h = Hoja(HOJA_UNIDADES, len(uds))
    h.valor("codigo", "Código de unidad", None, uds["codigo_unidad"])
    h.valor("nombre", "Nombre", None, uds["nombre"])
    h.valor("area", "Área", None, uds["area"])
    h.valor("servicio", ctx.organizacion.rotulo, None, uds["servicio"])
    h.valor("tipo", "Tipo", None, uds["tipo"])
    _financiero(h, ctx, pres, [(pres.rango("unidad"), h.fija("codigo"))],
                "las líneas de presupuesto de la unidad")
    for medida in _medidas(ctx):
        _ponderada(h, medida, ops, [(ops.rango("unidad"), h.fija("codigo"))],
                   "las operaciones de la unidad")
    _indicadores(h, ctx)
    return h


def hoja_acp_unidad(datos, ctx, ops: Hoja) -> Hoja:
    """Cada par (ACP, unidad) con operaciones, en el orden de las ACP y de las unidades."""
    orden_acp = {c: i for i, c in enumerate(datos.acp["codigo_acp"])}
    orden_ud = {c: i for i, c in enumerate(datos.unidades["codigo_unidad"])}
    pares = sorted(
        set(zip(datos.operaciones["codigo_acp"], datos.operaciones["codigo_unidad"])),
        key=lambda par: (orden_acp.get(par[0], len(orden_acp)), par[0],
                         orden_ud.get(par[1], len(orden_ud)), par[1]),
    )
    h = Hoja(HOJA_ACP_UNIDAD, len(pares))
    h.valor("acp", "Código de ACP", None, [a for a, _ in pares])
    h.valor("unidad", "Código de unidad", None, [u for _, u in pares])
    criterios = [(ops.rango("acp"), h.fija("acp")), (ops.rango("unidad"), h.fija("unidad"))]
    for medida in _medidas(ctx):
        _ponderada(h, medida, ops, criterios, "las operaciones de la unidad en la ACP")
    return h


def hoja_acps(datos, ctx, ops: Hoja, pres: Hoja, acp_unidad: Hoja | None) -> Hoja:
    acp = datos.acp
    h = Hoja(HOJA_ACPS, len(acp))
    h.valor("codigo", "Código de ACP", None, acp["codigo_acp"])
    h.valor("descripcion", "Descripción", None, acp["descripcion"])
    _financiero(h, ctx, pres, [(pres.rango("acp"), h.fija("codigo"))],
                "las líneas de presupuesto de la ACP")
    for medida in _medidas(ctx):
        if acp_unidad is not None:
            _media(h, medida, acp_unidad, [(acp_unidad.rango("acp"), h.fija("codigo"))],
                   "las filas de acp_unidad de la ACP", "Unidades")
        else:
            _ponderada(h, medida, ops, [(ops.rango("acp"), h.fija("codigo"))],
                       "las operaciones de la ACP")
    _indicadores(h, ctx)
    return h


def hoja_areas(datos, ctx, uds: Hoja) -> Hoja:
    unidades = datos.unidades
    areas = list(pd.unique(unidades["area"]))
    servicio = unidades.groupby("area", sort=False)["servicio"].first()
    h = Hoja(HOJA_AREAS, len(areas))
    h.valor("codigo", "Área", None, areas)
    h.valor("servicio", ctx.organizacion.rotulo, None, [servicio[a] for a in areas])
    criterios = [(uds.rango("area"), h.fija("codigo"))]
    _financiero(h, ctx, uds, criterios, "las unidades del área")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, uds, criterios, "las unidades del área", "Unidades")
        else:
            _ponderada(h, medida, uds, criterios, "las unidades del área")
    _indicadores(h, ctx)
    return h


def hoja_servicios(datos, ctx, uds: Hoja, areas: Hoja) -> Hoja:
    servicios = list(pd.unique(datos.unidades["servicio"]))
    h = Hoja(HOJA_SERVICIOS, len(servicios))
    h.valor("codigo", ctx.organizacion.rotulo, None, servicios)
    criterios_uds = [(uds.rango("servicio"), h.fija("codigo"))]
    _financiero(h, ctx, uds, criterios_uds, "las unidades del grupo")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, areas, [(areas.rango("servicio"), h.fija("codigo"))],
                   "las áreas del grupo", "Áreas")
        else:
            _ponderada(h, medida, uds, criterios_uds, "las unidades del grupo")
    _indicadores(h, ctx)
    return h


def hoja_entidad(ctx, ops: Hoja, pres: Hoja, servicios: Hoja) -> Hoja:
    h = Hoja(HOJA_ENTIDAD, 1)
    h.valor("codigo", "Entidad", None, ["TOTAL"])
    _financiero(h, ctx, pres, [], "todas las líneas de presupuesto")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, servicios, [], f"los grupos de áreas ({ctx.organizacion.plural})",
                   ctx.organizacion.rotulo_plural)
        else:
            _ponderada(h, medida, ops, [], "todas las operaciones")
    _indicadores(h, ctx)
    return h
