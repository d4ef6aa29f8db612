"""El cálculo completo del informe como fórmulas vivas sobre las filas del libro del POA.

- Entra (`escribir_cadena`): el libro de openpyxl del anexo, el libro del POA validado, el
  trimestre del corte y la metodología que rige el informe.
- Sale: las hojas de la cadena agregadas al final del libro, en el orden de `HOJAS_CADENA`;
  (hoja, columna, descripción) de cada columna con fórmula, para la hoja leeme, y las filas
  de datos de cada hoja en XML, que `helpers.salida.anexo` pone al guardar.

Es el segundo testigo del anexo (ver `helpers.salida.anexo`): las hojas de tablas repiten los
valores de los CSV; estas hojas rehacen la cadena entera con fórmulas, desde las metas y
los montos mensuales de cada fila, con las reglas de la metodología que rigen el informe.
Este módulo escribe las hojas de las reglas y de las filas del libro:

- `parametros`: las reglas en vigor; las fórmulas leen de aquí la participación de cada
  trimestre, la escala de calificación, los umbrales del semáforo del trimestre y la
  ejecución mínima de la eficiencia (en una celda fija, `CELDA_EFICIENCIA_MINIMA`, que
  también leen las hojas de tablas).
- `operaciones`: una fila por operación, con sus metas y lo ejecutado mes a mes; por cada
  periodo (cada trimestre hasta el corte, y el acumulado) lo programado, lo ejecutado, los
  meses sin reporte, si entra en los promedios, el cumplimiento (con el tope si rige) y las
  columnas auxiliares cumplimiento × tareas; con la participación `programada`, además la
  parte de la meta anual y la eficacia de la operación en cada trimestre.
- `presupuesto`: una fila por línea presupuestaria, con el devengado mes a mes, y la
  ejecución, el saldo y el semáforo de la línea; una fila TOTAL.

Los niveles (`unidades`, `acp_unidad`, `acps`, `areas`, `servicios`, `entidad`) los arma
`helpers.salida.anexo_cadena_niveles`; los nombres de las hojas, los periodos y las piezas de
fórmula están en `helpers.salida.anexo_cadena_piezas`, y la escritura de cada hoja en
`helpers.salida.anexo_cadena_hoja`.

En cada nivel: eficacia, eficacia acumulada (suma de las eficacias trimestrales),
ejecución, eficiencia y brecha (sobre la eficacia y la ejecución redondeadas a 2 decimales;
la eficiencia vacía si la ejecución redondeada es menor que la mínima de `parametros`),
calificación (sobre el valor redondeado a 2 decimales, con la escala de `parametros`) y
semáforo.

Las filas de un grupo se reconocen con EXACT (igualdad exacta de texto, distingue
mayúsculas y no usa comodines), dentro de SUMPRODUCT: SUMIFS y AVERAGEIFS interpretan
* ? ~ y los operadores < > = al comienzo de un código, y no distinguen mayúsculas. Un
valor no definido (nada programado, vigente 0) es texto vacío (""): las medias y COUNT no
lo cuentan. Todo es de Excel y de LibreOffice, sin funciones que necesiten `_xlfn.`.
"""
from __future__ import annotations

from helpers.calculo import metodologia as m
from helpers.calculo.versiones import version_al_corte
from helpers.comun.literal import PREFIJOS_FORMULA
from helpers.entrada.organizacion import Organizacion
from helpers.salida.anexo_cadena_hoja import Hoja, escribir_hoja
from helpers.salida.anexo_cadena_niveles import (
    hoja_acp_unidad,
    hoja_acps,
    hoja_areas,
    hoja_entidad,
    hoja_servicios,
    hoja_unidades,
)
from helpers.salida.anexo_cadena_objetivos import hoja_por_objetivo, hoja_vinculos
from helpers.salida.anexo_cadena_piezas import (
    ACUMULADO,
    CELDA_EFICIENCIA_MINIMA,
    DESCRIPCION_SEMAFORO,
    HOJA_OPERACIONES,
    HOJA_PARAMETROS,
    HOJA_PRESUPUESTO,
    MESES_CORTOS,
    MESES_LARGOS,
    Contexto,
    Periodo,
    describir_escala,
    femenino,
    formula_calificacion,
    formula_porcentaje,
    formula_semaforo,
)
from helpers.salida.anexo_formatos import (
    FORMATO_CODIGO,
    FORMATO_DECIMAL,
    FORMATO_ENTERO,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
    NEGRITA,
    Estilos,
    FilasXml,
    valor_celda,
)

__all__ = ["escribir_cadena"]


# ---------------------------------------------------------------------------------------
# parametros
# ---------------------------------------------------------------------------------------

def _hoja_parametros(
    ws, metodologia, trimestre: int
) -> tuple[dict[str, str], tuple[tuple[str, bool], ...]]:
    """Escribe la hoja de parámetros; devuelve las celdas que leen las fórmulas (como
    referencias absolutas) y, por tramo de la escala, su fila y si es inclusivo."""
    met, q = metodologia, trimestre
    inicio, fin = 3 * q - 2, 3 * q
    filas: list[list] = []
    negritas: list[int] = []
    p: dict[str, str] = {}

    def titulo(*celdas) -> None:
        filas.append(list(celdas))
        negritas.append(len(filas))

    titulo("Parámetro", "Valor", "Qué hace")
    filas += [
        ["Trimestre de corte", q, "el informe llega hasta el fin de este trimestre"],
        ["Meses del trimestre", f"{MESES_LARGOS[inicio - 1]} a {MESES_LARGOS[fin - 1]}",
         f"periodo de las columnas T{q}"],
        ["Periodo acumulado", f"enero a {MESES_LARGOS[fin - 1]}",
         "periodo de las columnas «acumulado»"],
        ["Tope de cumplimiento", "sí" if met.tope_cumplimiento else "no",
         "con tope, el cumplimiento de una operación es MIN(ejecutado / programado; 1) × 100"],
        ["Agregación", met.agregacion,
         "promedio_unidades: media simple de unidades, áreas y servicios; tareas: media "
         "ponderada por tareas de todas las operaciones del grupo"],
        ["Participación", met.participacion,
         "trimestral_igual: eficacia = avance físico × participación de cada trimestre; "
         "programada: cada operación aporta cumplimiento × meta del trimestre / meta anual"],
        ["Participación de cada trimestre (%)",
         m.PARTICIPACION_TRIMESTRAL if met.participacion == "trimestral_igual" else None,
         "la leen las fórmulas de eficacia (participación trimestral_igual)"],
    ]
    p["participacion"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
    filas += [
        ["Meses sin reporte", met.sin_reporte,
         "cero: cuentan como 0 ejecutado; excluir: la operación no entra en los promedios"],
        ["Cumplimiento mínimo para CUMPLE (%)", met.umbral_cumple,
         "evaluación anual de una operación (rendición de cuentas)"],
        ["Ejecución mínima para la eficiencia (%)", met.eficiencia_ejecucion_minima,
         "con una ejecución redondeada a 2 decimales menor, la eficiencia no es significativa "
         "(n.s.) y la celda queda vacía; la leen las fórmulas de eficiencia"],
    ]
    p["eficiencia_minima"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
    if p["eficiencia_minima"] != CELDA_EFICIENCIA_MINIMA:  # la leen también las hojas de tablas
        raise ValueError(f"anexo: la ejecución mínima de la eficiencia quedó en "
                         f"{p['eficiencia_minima']} y no en {CELDA_EFICIENCIA_MINIMA}")
    filas.append([])
    titulo("Escala de calificación (de mayor a menor; la leen las fórmulas de calificación)")
    titulo("Desde (%)", "Inclusivo", "Grado", "Calificación", "Desempeño")
    escala = []
    for tramo in met.escala_calificacion:
        inclusivo = m.es_inclusivo(tramo)
        filas.append([
            float(m.campo_tramo(tramo, "desde")),
            "sí (≥)" if inclusivo else "no (>)",
            m.campo_tramo(tramo, "grado"),
            m.campo_tramo(tramo, "calificacion"),
            m.campo_tramo(tramo, "desempeno"),
        ])
        escala.append((str(len(filas)), inclusivo))
    filas.append([])
    titulo("Semáforo financiero (ejecución acumulada al corte, redondeada a 2 decimales; "
           "las fórmulas leen los umbrales del trimestre en uso)")
    titulo("Trimestre", "Verde desde (%)", "Amarillo desde (%)", "En uso")
    for t, (verde, amarillo) in sorted(met.semaforo_financiero.items()):
        filas.append([t, float(verde), float(amarillo), "sí" if t == q else ""])
        if t == q:
            p["verde"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
            p["amarillo"] = f"{HOJA_PARAMETROS}!$C${len(filas)}"
    for n, fila in enumerate(filas, start=1):
        for j, valor in enumerate(fila, start=1):
            celda = ws.cell(row=n, column=j)
            valor = valor_celda(valor, HOJA_PARAMETROS, n, str(j))
            celda.value = valor
            if isinstance(valor, str):
                celda.data_type = "s"  # los textos de los parámetros nunca son fórmulas
                if valor.startswith(PREFIJOS_FORMULA):
                    celda.quotePrefix = True
            if n in negritas:
                celda.font = NEGRITA
    for letra, ancho in zip("ABCDE", (38, 20, 28, 16, 16), strict=True):
        ws.column_dimensions[letra].width = ancho
    return p, tuple(escala)


# ---------------------------------------------------------------------------------------
# operaciones
# ---------------------------------------------------------------------------------------

def _hoja_operaciones(datos, ctx: Contexto) -> Hoja:
    ops = datos.operaciones
    h = Hoja(HOJA_OPERACIONES, len(ops))
    h.valor("codigo", "Código de operación", None, ops["codigo_operacion"])
    h.valor("unidad", "Código de unidad", None, ops["codigo_unidad"])
    h.valor("acp", "Código de ACP", None, ops["codigo_acp"])
    h.valor("descripcion", "Descripción", None, ops["descripcion"])
    h.valor("tareas", "Tareas", FORMATO_ENTERO, ops["tareas"].astype(int))
    h.valor("no_aplica", "No aplica (justificación)", None, ops["no_aplica"])
    h.valor("fila", "Fila en el libro", FORMATO_CODIGO, ops["fila"])
    for mes in m.MESES:
        h.valor(f"prog_{mes}", f"Programado {MESES_CORTOS[mes - 1]}", None, ops[m.col_prog(mes)])
    for mes in m.MESES:
        h.valor(f"ejec_{mes}", f"Ejecutado {MESES_CORTOS[mes - 1]}", None, ops[m.col_ejec(mes)])
    na = h.fija("no_aplica")
    if ctx.programada:
        h.formula("prog_anual", "Programado anual", None,
                  "suma de lo programado de enero a diciembre",
                  f"=SUM({h.c('prog_1')}:{h.c('prog_12')})")
    tope = ctx.metodologia.tope_cumplimiento
    excluir = ctx.metodologia.sin_reporte == "excluir"
    for per in ctx.periodos:
        e = per.etiqueta
        ini, fin = per.meses[0], per.meses[-1]
        prog_meses = f"{h.c(f'prog_{ini}')}:{h.c(f'prog_{fin}')}"
        ejec_meses = f"{h.c(f'ejec_{ini}')}:{h.c(f'ejec_{fin}')}"
        h.formula(f"prog:{e}", f"Programado {e} ({per.meses_texto})", None,
                  f"suma de lo programado de {per.meses_texto}", f"=SUM({prog_meses})")
        h.formula(f"ejec:{e}", f"Ejecutado {e} ({per.meses_texto})", None,
                  f"suma de lo ejecutado de {per.meses_texto} (un mes vacío no suma)",
                  f"=SUM({ejec_meses})")
        h.formula(f"sin_reporte:{e}", f"Meses sin reporte {e}", FORMATO_ENTERO,
                  f"meses de {per.meses_texto} con meta programada y ejecutado vacío",
                  f"=SUMPRODUCT(({prog_meses}>0)*ISBLANK({ejec_meses}))")
        prog, ejec = h.c(f"prog:{e}"), h.c(f"ejec:{e}")
        condicion = f"{prog}>0,{na}=\"\""
        descripcion = "1 si programado > 0 y no es NO APLICA"
        if excluir:
            condicion += f",{h.c(f'sin_reporte:{e}')}=0"
            descripcion += " y no tiene meses sin reporte (regla excluir)"
        h.formula(f"en_promedio:{e}", f"En el promedio {e} (1 = sí)", FORMATO_CODIGO,
                  descripcion + "; si no, 0", f"=IF(AND({condicion}),1,0)")
        flag = h.c(f"en_promedio:{e}")
        if tope:
            razon, texto = f"MIN({ejec}/{prog},1)", "mín(ejecutado / programado; 1) × 100"
        else:
            razon, texto = f"{ejec}/{prog}", "ejecutado / programado × 100, sin tope"
        h.formula(f"cumplimiento:{e}", f"Cumplimiento {e} (%)", FORMATO_PORCENTAJE,
                  f"{texto}; vacía si no entra en el promedio",
                  f'=IF({flag}=1,{razon}*100,"")')
        if per.trimestre is None or per.trimestre == ctx.trimestre:
            h.formula(f"sin_tope:{e}", f"Cumplimiento sin tope {e} (%)", FORMATO_PORCENTAJE,
                      "ejecutado / programado × 100; vacía si no entra en el promedio",
                      f'=IF({flag}=1,{ejec}/{prog}*100,"")')
        h.formula(f"tareas:{e}", f"Tareas en el promedio {e}", FORMATO_ENTERO,
                  "tareas si entra en el promedio; si no, 0",
                  f"=IF({flag}=1,{h.fija('tareas')},0)")
        h.formula(f"ponderado:{e}", f"Cumplimiento × tareas {e}", FORMATO_DECIMAL,
                  "cumplimiento × tareas si entra en el promedio; si no, 0",
                  f"=IF({flag}=1,{h.c(f'cumplimiento:{e}')}*{h.fija('tareas')},0)")
        if ctx.programada and per.trimestre is not None:
            anual = h.c("prog_anual")
            h.formula(f"parte:{e}", f"Parte de la meta anual {e}", "0.0000",
                      f"programado {e} / programado anual; vacía si la meta anual es 0",
                      f'=IF({anual}>0,{prog}/{anual},"")')
            h.formula(f"eficacia:{e}", f"Eficacia {e} (%)", FORMATO_PORCENTAJE,
                      f"cumplimiento {e} × parte de la meta anual si entra en el promedio, 0 "
                      "si no; vacía si es NO APLICA o su meta anual es 0 (fuera de los promedios)",
                      f'=IF(OR({na}<>"",{anual}=0),"",'
                      f"IF({flag}=1,{h.c(f'cumplimiento:{e}')}*{h.c(f'parte:{e}')},0))")
            h.formula(f"tareas_eficacia:{e}", f"Tareas en la eficacia {e}", FORMATO_ENTERO,
                      "tareas si la eficacia tiene valor; si no, 0",
                      f"=IF(ISNUMBER({h.c(f'eficacia:{e}')}),{h.fija('tareas')},0)")
            h.formula(f"eficacia_ponderada:{e}", f"Eficacia × tareas {e}", FORMATO_DECIMAL,
                      "eficacia × tareas si tiene valor; si no, 0",
                      f"=IF(ISNUMBER({h.c(f'eficacia:{e}')}),"
                      f"{h.c(f'eficacia:{e}')}*{h.fija('tareas')},0)")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        prog, ejec = h.c(f"prog:{e}"), h.c(f"ejec:{e}")
        excluida = ""
        if excluir:
            excluida = (f"IF({h.c(f'sin_reporte:{e}')}>0,\"{m.ESTADO_EXCLUIDA}\","
                        f"\"{m.ESTADO_PROGRAMADA}\")")
        else:
            excluida = f"\"{m.ESTADO_PROGRAMADA}\""
        h.formula(f"estado:{e}", f"Estado {e}", None,
                  "NO APLICA si tiene justificación; si no, según lo programado y lo ejecutado"
                  + (" (EXCLUIDA si le faltan reportes)" if excluir else ""),
                  f'=IF({na}<>"","{m.ESTADO_NO_APLICA}",IF({prog}>0,{excluida},'
                  f'IF({ejec}>0,"{m.ESTADO_SIN_PROGRAMACION}","{m.ESTADO_NO_PROGRAMADA}")))')
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"calificacion:{e}", f"Calificación {femenino(e)}", None,
                  describir_escala(f"el cumplimiento {e}", "calificacion"),
                  formula_calificacion(ctx, h.c(f"cumplimiento:{e}"), "calificacion"))
    return h


# ---------------------------------------------------------------------------------------
# presupuesto
# ---------------------------------------------------------------------------------------

def _hoja_presupuesto(datos, ctx: Contexto) -> Hoja:
    pres = datos.presupuesto
    h = Hoja(HOJA_PRESUPUESTO, len(pres), con_total=bool(len(pres)))
    h.valor("categoria", "Categoría programática", None, pres["categoria_programatica"],
            total="TOTAL")
    h.valor("fuente", "Fuente", None, pres["fuente"])
    h.valor("programa", "Programa", None, pres["programa"], total="Total de la entidad")
    h.valor("unidad", "Código de unidad", None, pres["codigo_unidad"])
    h.valor("acp", "Código de ACP", None, pres["codigo_acp"])
    h.valor("fila", "Fila en el libro", FORMATO_CODIGO, pres["fila"])
    h.valor("vigente", "Vigente (Bs)", FORMATO_MONTO, pres["vigente"].astype(float), total="suma")
    for mes in m.MESES:
        h.valor(f"dev_{mes}", f"Devengado {MESES_CORTOS[mes - 1]} (Bs)", FORMATO_MONTO,
                pres[m.col_dev(mes)].astype(float), total="suma")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"devengado:{e}", f"Devengado {e} (Bs)", FORMATO_MONTO,
                  f"suma del devengado de {per.meses_texto}",
                  f"=SUM({h.c(f'dev_{per.meses[0]}')}:{h.c(f'dev_{per.meses[-1]}')})",
                  total="suma")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"ejecucion:{e}", f"Ejecución {femenino(e)} (%)", FORMATO_PORCENTAJE,
                  f"devengado {e} / vigente × 100; vacía si vigente no es mayor que 0",
                  "=" + formula_porcentaje(h.c(f"devengado:{e}"), h.c("vigente")), total="fila")
    h.formula("saldo", "Saldo (Bs)", FORMATO_MONTO, "vigente − devengado acumulado",
              f"={h.c('vigente')}-{h.c(f'devengado:{ACUMULADO}')}", total="fila")
    h.formula("semaforo", "Semáforo", None, DESCRIPCION_SEMAFORO,
              formula_semaforo(ctx, h.c(f"ejecucion:{ACUMULADO}")), total="fila")
    return h



# ---------------------------------------------------------------------------------------
# Punto de entrada
# ---------------------------------------------------------------------------------------

def escribir_cadena(
    wb, datos, trimestre: int, metodologia, organizacion: Organizacion | None = None,
    objetivos: tuple | None = None,
) -> tuple[list[tuple[str, str, str]], dict[str, FilasXml]]:
    """Agrega al libro las hojas de la cadena de cálculo (al final, en el orden de
    `HOJAS_CADENA`) y, con `objetivos` (las tablas `objetivos` y `aportes` del informe por
    objetivo), las del avance por objetivo (`anexo_cadena_objetivos`). Devuelve (hoja,
    columna, descripción) de cada columna con fórmula, y hoja -> sus filas de datos en XML,
    que se ponen al guardar (`helpers.salida.anexo`)."""
    if trimestre not in (1, 2, 3, 4):
        raise ValueError(f"anexo: trimestre fuera de rango: {trimestre}")
    # Las filas del POA en vigor al corte, las mismas que evalúa el informe.
    datos = version_al_corte(datos, 3 * trimestre)
    periodos = tuple(
        Periodo(f"T{t}", tuple(m.meses_trimestre(t)), t) for t in range(1, trimestre + 1)
    ) + (Periodo(ACUMULADO, tuple(m.meses_acumulado(trimestre)), None),)
    p, escala = _hoja_parametros(wb.create_sheet(HOJA_PARAMETROS), metodologia, trimestre)
    ctx = Contexto(trimestre, metodologia, periodos, p, escala, organizacion or Organizacion())

    ops = _hoja_operaciones(datos, ctx)
    pres = _hoja_presupuesto(datos, ctx)
    uds = hoja_unidades(datos, ctx, ops, pres)
    acp_unidad = hoja_acp_unidad(datos, ctx, ops) if ctx.promedio_unidades else None
    acps = hoja_acps(datos, ctx, ops, pres, acp_unidad)
    areas = hoja_areas(datos, ctx, uds)
    servicios = hoja_servicios(datos, ctx, uds, areas)
    entidad = hoja_entidad(ctx, ops, pres, servicios)
    por_objetivo = []
    if objetivos is not None:
        tabla_objetivos, aportes = objetivos
        vinculos = hoja_vinculos(ctx, aportes, tabla_objetivos, ops, pres, acps)
        por_objetivo = [vinculos, hoja_por_objetivo(ctx, tabla_objetivos, vinculos)]

    formulas: list[tuple[str, str, str]] = []
    filas: dict[str, FilasXml] = {}
    for hoja in (ops, pres, uds, acp_unidad, acps, areas, servicios, entidad, *por_objetivo):
        if hoja is None:
            continue
        ws = wb.create_sheet(hoja.nombre)
        de_la_hoja, filas[hoja.nombre] = escribir_hoja(ws, hoja, Estilos(ws))
        formulas += de_la_hoja
    return formulas, filas
