"""Frases del informe generadas a partir de las cifras y de los parámetros en uso.

Ningún número ni conteo se escribe a mano: cada frase recibe las tablas calculadas.

Las frases son Markdown (los cuadernos las muestran con ``display(Markdown(...))``): todo
texto que viene del libro o de los parámetros (entidad, sigla, códigos, nombres de áreas,
calificaciones, tipos de alerta) entra con ``md`` (``helpers.literal.markdown``), que lo
deja como texto; lo demás es Markdown escrito aquí.
"""
from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from . import metodologia as m
from .literal import markdown as md
from .numeros import formatear_entero, formatear_monto, formatear_numero
from .numeros import formatear_porcentaje as pct

NOMBRE_AGREGACION = {
    "promedio_unidades": (
        "el avance de un área es la media simple de sus unidades; el de un servicio "
        "(Central, Exterior), la media simple de sus áreas; y el de la entidad, la media "
        "simple de sus servicios. El avance de una ACP es la media simple, sobre las unidades "
        "que tienen operaciones en ella, del avance de cada unidad calculado sólo con esas "
        "operaciones"
    ),
    "tareas": (
        "el avance de un área, una ACP, un servicio o la entidad es la media ponderada por "
        "tareas del cumplimiento de todas sus operaciones programadas"
    ),
}


def _fila(tabla: pd.DataFrame, columna: str, valor: str) -> pd.Series:
    return tabla[tabla[columna] == valor].iloc[0]


def total(prep) -> pd.Series:
    return _fila(prep.tablas["acp"], "codigo_acp", "TOTAL")


def indicadores_principales(prep) -> pd.DataFrame:
    """Las cifras de portada de la entidad: trimestre y acumulado."""
    t = total(prep)
    return pd.DataFrame(
        [
            ("Avance físico", t.avance_fisico_trimestre, t.avance_fisico_acumulado,
             f"{t.calificacion_trimestre or '—'} / {t.calificacion_acumulada or '—'}"),
            ("Eficacia (% del programa anual)", t.eficacia_trimestre, t.eficacia_acumulada, ""),
            ("Ejecución financiera (% del vigente)", t.ejecucion_trimestre, t.ejecucion_acumulada,
             f"semáforo {t.semaforo}" if t.semaforo else ""),
            ("Eficiencia (eficacia / ejecución)", t.eficiencia_trimestre, t.eficiencia_acumulada, ""),
        ],
        columns=["indicador", "trimestre", "acumulado", "calificacion"],
    )


def cabecera_portada(prep) -> str:
    """La línea bajo el título de la portada: entidad, POA, periodo y fecha de corte."""
    return (
        f"**{md(prep.entidad)}** · POA {prep.gestion} · {prep.periodo} · "
        f"fecha de corte: {prep.fecha_corte}"
    )


def titulo(texto: str, nivel: int = 3) -> str:
    """Un título de Markdown (``###`` por omisión) que muestra ``texto`` tal cual, aunque
    venga de los datos (``titulo(f"Área {nombre_area}")``)."""
    return f"{'#' * nivel} {md(texto)}"


def resumen_ejecutivo(prep) -> str:
    t = total(prep)
    r = prep.metodologia
    partes = [
        f"Al {prep.fecha_corte}, el {md(prep.entidad)} ({md(prep.sigla)}) alcanza en el "
        f"{prep.periodo[0].lower() + prep.periodo[1:]} un avance físico de "
        f"**{pct(t.avance_fisico_trimestre)}** (calificación {md(t.calificacion_trimestre or '—')}), "
        f"que equivale a una eficacia de {pct(t.eficacia_trimestre)} del programa anual, "
        f"y una ejecución financiera de **{pct(t.ejecucion_trimestre)}** de su presupuesto vigente.",
        f"En el acumulado de {prep.acumulado}, la eficacia llega a {pct(t.eficacia_acumulada)} y la "
        f"ejecución financiera a {pct(t.ejecucion_acumulada)} (semáforo {md(t.semaforo or '—')}, "
        f"con umbrales de {pct(r.semaforo_financiero[prep.trimestre][0], 0)} y "
        f"{pct(r.semaforo_financiero[prep.trimestre][1], 0)} a este corte); la eficiencia es "
        f"{pct(t.eficiencia_acumulada)}.",
    ]
    if pd.notna(t.brecha_acumulada):
        signo = "por delante de" if t.brecha_acumulada > 0 else "por detrás de"
        partes.append(
            f"El avance físico va {signo} la ejecución del presupuesto por "
            f"{formatear_numero(abs(t.brecha_acumulada))} puntos porcentuales."
        )
    return " ".join(partes)


def extremos(tabla: pd.DataFrame, clave: str, columna: str, n: int = 3):
    """Las `n` filas de mayor y de menor valor (sin TOTAL ni filas sin valor)."""
    datos = tabla[(tabla[clave] != "TOTAL") & tabla[columna].notna()]
    orden = datos.sort_values([columna, clave], ascending=[False, True], kind="stable")
    return orden.head(n), orden.tail(n).iloc[::-1]


def lista_unidades(filas: pd.DataFrame, columna: str) -> str:
    return ", ".join(f"{md(f.codigo_unidad)} ({pct(getattr(f, columna))})" for f in filas.itertuples())


def resumen_alertas(alertas: pd.DataFrame) -> str:
    if alertas.empty:
        return "No se registran alertas en este corte."
    conteo = alertas.groupby("tipo", sort=False).size()
    partes = [f"{md(tipo.lower())}: {formatear_entero(n)}" for tipo, n in conteo.items()]
    return (
        f"Se registran {formatear_entero(len(alertas))} alertas en este corte ("
        + "; ".join(partes)
        + "). El detalle está en la sección de alertas."
    )


def marco_metodologico(prep) -> str:
    r = prep.metodologia
    tope = (
        "con un tope de 100 %: el exceso de ejecución se muestra aparte (cumplimiento sin tope) "
        "pero no compensa otras operaciones"
        if r.tope_cumplimiento
        else "sin tope: una operación que supera su meta puede pasar de 100 %"
    )
    sin_reporte = (
        "cuentan como cero logrado" if r.sin_reporte == "cero"
        else "dejan fuera del cálculo a la operación en ese periodo"
    )
    if r.participacion == "trimestral_igual":
        participacion = (
            f"La **eficacia** de un trimestre es su avance físico por "
            f"{pct(m.PARTICIPACION_TRIMESTRAL, 0)}, porque cada trimestre representa la misma "
            "parte del programa anual; la eficacia acumulada es la suma de las eficacias "
            "trimestrales hasta el corte."
        )
    else:
        participacion = (
            "La **eficacia** de un trimestre suma, por operación, su cumplimiento por la parte "
            "de la meta anual programada en ese trimestre; la eficacia acumulada es la suma de "
            "las eficacias trimestrales hasta el corte."
        )
    return "\n\n".join([
        f"El **cumplimiento** de una operación en un periodo es lo ejecutado sobre lo "
        f"programado, {tope}. Los meses con meta y sin dato de ejecución {sin_reporte}. "
        "Las operaciones sin meta en el periodo o marcadas NO APLICA no entran en los promedios.",
        "El **avance físico** de una unidad organizacional es la media de los cumplimientos de "
        f"sus operaciones, ponderada por su número de tareas. Luego, {NOMBRE_AGREGACION[r.agregacion]}.",
        participacion,
        "La **ejecución financiera** es el devengado sobre el presupuesto vigente; para un grupo "
        "se suman primero los montos y luego se divide. La **eficiencia** es la eficacia sobre "
        "la ejecución financiera del mismo periodo, y la **brecha**, su diferencia en puntos "
        "porcentuales.",
        f"La **calificación** se asigna sobre el avance físico tal como se muestra (dos "
        f"decimales), y una operación **CUMPLE** en la evaluación anual cuando su cumplimiento "
        f"llega a {pct(r.umbral_cumple)}.",
    ])


def tabla_escala(prep) -> pd.DataFrame:
    filas = []
    escala = list(prep.metodologia.escala_calificacion)
    for i, tramo in enumerate(escala):
        desde = float(m.campo_tramo(tramo, "desde"))
        inclusivo = m.es_inclusivo(tramo)
        if i == 0:
            rango = f"{pct(desde)} o más"
        else:
            hasta = float(m.campo_tramo(escala[i - 1], "desde"))
            rango = (f"desde {pct(desde)}" if inclusivo else f"más de {pct(desde)}") + f" y menos de {pct(hasta)}"
            if desde == hasta:
                rango = pct(desde)
        filas.append((m.campo_tramo(tramo, "grado"), rango, m.campo_tramo(tramo, "calificacion"),
                      m.campo_tramo(tramo, "desempeno")))
    return pd.DataFrame(filas, columns=["grado", "rango", "calificacion", "desempeno"])


def tabla_semaforo(prep) -> pd.DataFrame:
    filas = []
    for t, (verde, amarillo) in sorted(prep.metodologia.semaforo_financiero.items()):
        filas.append((f"T{t}", f"{pct(verde)} o más", f"desde {pct(amarillo)} y menos de {pct(verde)}",
                      f"menos de {pct(amarillo)}"))
    return pd.DataFrame(filas, columns=["trimestre", "verde", "amarillo", "rojo"])


def conclusiones(prep) -> list[str]:
    """Afirmaciones que salen de las cifras: quién lidera y quién se rezaga, y la brecha."""
    tablas = prep.tablas
    frases = [resumen_ejecutivo(prep)]
    acp = tablas["acp"]
    area = tablas["area"][tablas["area"]["nivel"] == "area"]
    frases += [
        frase_extremos(acp, "codigo_acp", "avance_fisico_trimestre", "La ACP", "avance físico del trimestre"),
        frase_extremos(acp, "codigo_acp", "ejecucion_acumulada", "La ACP", "ejecución financiera acumulada"),
        frase_extremos(area, "area", "avance_fisico_trimestre", "El área", "avance físico del trimestre"),
    ]
    con_brecha = area[area["brecha_acumulada"].notna()]
    adelantadas = con_brecha[con_brecha["brecha_acumulada"] > 0]["area"].tolist()
    atrasadas = con_brecha[con_brecha["brecha_acumulada"] <= 0]["area"].tolist()
    if adelantadas:
        frases.append(
            "La eficacia acumulada supera a la ejecución financiera en "
            + ", ".join(md(a) for a in adelantadas)
            + ": el avance de las metas va por delante del gasto."
        )
    if atrasadas:
        frases.append(
            "La ejecución financiera iguala o supera a la eficacia acumulada en "
            + ", ".join(md(a) for a in atrasadas)
            + ": el gasto va por delante del avance de las metas."
        )
    frases.append(resumen_alertas(tablas["alertas"]))
    return [f for f in frases if f]


TIPOS_NARRATIVA = {"logro": "Logros", "dificultad": "Dificultades", "recomendacion": "Recomendaciones"}


def frase_extremos(tabla: pd.DataFrame, clave: str, columna: str, sujeto: str, indicador: str) -> str:
    """'{sujeto} X registra el valor más alto de {indicador} (v) y {sujeto} Y el más bajo (w)',
    sobre las filas con valor (sin TOTAL); vacío si no hay ninguna. X e Y (códigos o nombres
    de los datos) van como texto literal; `sujeto` e `indicador` son Markdown de quien llama."""
    alto, bajo = extremos(tabla, clave, columna, 1)
    if alto.empty:
        return ""
    a, b = alto.iloc[0], bajo.iloc[0]
    return (
        f"{sujeto} {md(a[clave])} registra el valor más alto de {indicador} ({pct(a[columna])}) "
        f"y {sujeto[0].lower()}{sujeto[1:]} {md(b[clave])} el más bajo ({pct(b[columna])})."
    )


def parrafo_acp(prep) -> str:
    acp = prep.tablas["acp"]
    t = total(prep)
    n = int((acp["codigo_acp"] != "TOTAL").sum())
    texto = (
        f"El POA {prep.gestion} se organiza en {formatear_entero(n)} acciones de corto plazo. "
        f"En el trimestre, la entidad alcanza un avance físico de {pct(t.avance_fisico_trimestre)} "
        f"y una ejecución financiera de {pct(t.ejecucion_trimestre)}."
    )
    extremo = frase_extremos(acp, "codigo_acp", "avance_fisico_trimestre", "La ACP", "avance físico")
    return f"{texto} {extremo}".strip()


def parrafo_area(prep) -> str:
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"]
    servicios = area[area["nivel"] == "servicio"]
    partes = [
        f"{md(s.area)}: avance físico {pct(s.avance_fisico_trimestre)}, ejecución {pct(s.ejecucion_trimestre)}"
        for s in servicios.itertuples()
    ]
    texto = (
        f"Las {formatear_entero(len(areas))} áreas organizacionales se agrupan por servicio ("
        + "; ".join(partes) + ")."
    )
    extremo = frase_extremos(areas, "area", "avance_fisico_trimestre", "El área", "avance físico del trimestre")
    return f"{texto} {extremo}".strip()


def parrafo_unidades(prep) -> str:
    unidad = prep.tablas["unidad"]
    con_valor = unidad[unidad["avance_fisico_trimestre"].notna()]
    conteo = con_valor["calificacion_trimestre"].value_counts()
    orden = [m.campo_tramo(t, "calificacion") for t in prep.metodologia.escala_calificacion]
    partes = [f"{formatear_entero(conteo[c])} {md(c.lower())}" for c in orden if c in conteo]
    sin_valor = len(unidad) - len(con_valor)
    texto = (
        f"De las {formatear_entero(len(unidad))} unidades organizacionales, "
        f"{formatear_entero(len(con_valor))} tenían metas en el trimestre; por su calificación: "
        + ", ".join(partes) + "."
    )
    if sin_valor:
        texto += f" {formatear_entero(sin_valor)} no tenían metas programadas en el trimestre y se muestran con «—»."
    return texto


def parrafo_financiero(prep) -> str:
    cat = prep.tablas["categoria"]
    lineas = cat[cat["categoria_programatica"] != "TOTAL"]
    t = cat[cat["categoria_programatica"] == "TOTAL"].iloc[0]
    conteo = lineas["semaforo"].value_counts()
    partes = [f"{formatear_entero(conteo[c])} en {c}" for c in ("verde", "amarillo", "rojo") if c in conteo]
    return (
        f"El presupuesto vigente de {formatear_monto(t.vigente)} Bs se distribuye en "
        f"{formatear_entero(len(lineas))} líneas presupuestarias. En el trimestre se devengaron "
        f"{formatear_monto(t.devengado_trimestre)} Bs ({pct(t.ejecucion_trimestre)}) y en el acumulado "
        f"{formatear_monto(t.devengado_acumulado)} Bs ({pct(t.ejecucion_acumulada)}), con un saldo de "
        f"{formatear_monto(t.saldo)} Bs. Por su semáforo al corte, las líneas quedan así: "
        + (", ".join(partes) if partes else "sin semáforo") + "."
    )


def narrativa_ordenada(prep) -> pd.DataFrame:
    """La hoja narrativa del trimestre ordenada por ACP y unidad."""
    narr = prep.narrativa.copy()
    return narr.sort_values(["codigo_acp", "codigo_unidad"], kind="stable").reset_index(drop=True)


def parrafo_narrativa(prep) -> str:
    narr = prep.narrativa
    if narr.empty:
        return "Las unidades no registraron logros ni dificultades para este trimestre (hoja narrativa)."
    conteo = narr["tipo"].value_counts()
    partes = [f"{formatear_entero(conteo[t])} {TIPOS_NARRATIVA[t].lower()}" for t in TIPOS_NARRATIVA if t in conteo]
    return (
        "Las unidades registraron para el trimestre " + ", ".join(partes)
        + f", de {formatear_entero(narr['codigo_unidad'].nunique())} unidades. Se transcriben tal como las escribieron."
    )


def parrafo_reexpresiones(prep, cambios) -> str:
    """Qué cifras del informe anterior cambiaron desde que se publicó (o que ninguna)."""
    nombre = prep.parametros.informe_anterior
    if cambios is None or not nombre:
        return "Los parámetros de este informe no nombran un informe anterior con que compararlo."
    anterior = md(PurePath(nombre).name)
    if not len(cambios):
        return (f"Ninguna cifra publicada en el informe {anterior} cambió: calculadas otra vez "
                "con los datos de hoy, todas se imprimen igual.")
    filas = len(cambios)
    cifras = "una cifra" if filas == 1 else f"{filas} cifras"
    return (f"Desde que se publicó el informe {anterior}, los datos se corrigieron y {cifras} "
            "de su corte se imprimen hoy distinto. La tabla da el valor publicado y el de hoy; "
            "las cifras de este informe ya usan los datos corregidos.")
