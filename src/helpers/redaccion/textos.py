"""Frases del informe generadas a partir de las cifras y de los parámetros en uso.

Ningún número ni conteo se escribe a mano: cada frase recibe las tablas calculadas.

Las frases son Markdown (los cuadernos las muestran con ``display(Markdown(...))``): todo
texto que viene del libro o de los parámetros (entidad, sigla, códigos, nombres de áreas,
calificaciones, tipos de alerta) entra con ``md`` (``helpers.comun.literal.markdown``), que lo
deja como texto; lo demás es Markdown escrito aquí.
"""
from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import (
    NO_SIGNIFICATIVO,
    formatear_entero,
    formatear_monto,
    formatear_numero,
    redondear,
)
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion.presentacion import eficiencia_no_significativa


def regla_de_agregacion(agregacion: str, organizacion, con_grupos: bool) -> str:
    """La regla de agregación en vigor, en palabras, con el nombre que la entidad da a su
    agrupación de áreas (`organizacion`); sin grupos (`con_grupos` falso), sin ese nivel."""
    singular, plural = organizacion.singular, organizacion.plural
    if agregacion == "tareas":
        grupo = f", {md(singular)}" if con_grupos else ""
        return ("el avance de un área, una ACP" + grupo + " o la entidad es la media ponderada "
                "por tareas del cumplimiento de todas sus operaciones programadas")
    niveles = (f"el de cada {md(singular)}, la media simple de sus áreas; y el de la entidad, la "
               f"media simple de sus {md(plural)}" if con_grupos
               else "y el de la entidad, la media simple de sus áreas")
    return ("el avance de un área es la media simple de sus unidades; " + niveles + ". El "
            "avance de una ACP es la media simple, sobre las unidades que tienen operaciones en "
            "ella, del avance de cada unidad calculado sólo con esas operaciones")


def _fila(tabla: pd.DataFrame, columna: str, valor: str) -> pd.Series:
    return tabla[tabla[columna] == valor].iloc[0]


def total(prep) -> pd.Series:
    return _fila(prep.tablas["acp"], "codigo_acp", "TOTAL")


def _eficiencia_o_ns(fila: pd.Series, columna: str):
    """La eficiencia de la fila, o «n.s.» si no es significativa (ver
    `presentacion.eficiencia_no_significativa`)."""
    return NO_SIGNIFICATIVO if eficiencia_no_significativa(fila, columna) else fila[columna]


def indicadores_principales(prep) -> pd.DataFrame:
    """Las cifras de portada de la entidad: trimestre y acumulado (la eficiencia no
    significativa, como el texto «n.s.»)."""
    t = total(prep)
    return pd.DataFrame(
        [
            ("Avance físico", t.avance_fisico_trimestre, t.avance_fisico_acumulado,
             f"{t.calificacion_trimestre or '—'} / {t.calificacion_acumulada or '—'}"),
            ("Eficacia (% del programa anual)", t.eficacia_trimestre, t.eficacia_acumulada, ""),
            ("Ejecución financiera (% del vigente)", t.ejecucion_trimestre, t.ejecucion_acumulada,
             f"semáforo {t.semaforo}" if t.semaforo else ""),
            ("Eficiencia (eficacia / ejecución)", _eficiencia_o_ns(t, "eficiencia_trimestre"),
             _eficiencia_o_ns(t, "eficiencia_acumulada"), ""),
        ],
        columns=["indicador", "trimestre", "acumulado", "calificacion"],
    )


def frase_eficiencia(fila: pd.Series, periodo: str, minima: float) -> str:
    """«la eficiencia es 130,06 %», o por qué no se da: no significativa (n.s.) porque la
    ejecución impresa no llega a `minima`, o sin valor. `periodo`: "trimestre" o
    "acumulada"."""
    columna = f"eficiencia_{periodo}"
    if not eficiencia_no_significativa(fila, columna):
        return f"la eficiencia es {pct(fila[columna])}"
    ejecucion = fila[f"ejecucion_{periodo}"]
    que = "del trimestre" if periodo == "trimestre" else "acumulada"
    if redondear(float(ejecucion), 2) < minima:
        motivo = f"es menor que el mínimo de {pct(minima)}"
    else:
        motivo = "no es mayor que 0"
    return (f"la eficiencia no es significativa ({NO_SIGNIFICATIVO}), porque la ejecución "
            f"{que}, {pct(ejecucion)}, {motivo}")


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
        f"**{pct(t.avance_fisico_trimestre)}** "
        f"(calificación {md(t.calificacion_trimestre or '—')}), "
        f"que equivale a una eficacia de {pct(t.eficacia_trimestre)} del programa anual, "
        f"y una ejecución financiera de **{pct(t.ejecucion_trimestre)}** de su presupuesto "
        "vigente.",
        f"En el acumulado de {prep.acumulado}, la eficacia llega a {pct(t.eficacia_acumulada)} "
        f"y la ejecución financiera a {pct(t.ejecucion_acumulada)} "
        f"(semáforo {md(t.semaforo or '—')}, "
        f"con umbrales de {pct(r.semaforo_financiero[prep.trimestre][0], 0)} y "
        f"{pct(r.semaforo_financiero[prep.trimestre][1], 0)} a este corte); "
        f"{frase_eficiencia(t, 'acumulada', r.eficiencia_ejecucion_minima)}.",
    ]
    if pd.notna(t.brecha_acumulada):
        # La brecha sale de las cifras impresas: 0 sólo si eficacia y ejecución se imprimen
        # iguales.
        if t.brecha_acumulada == 0:
            partes.append("La eficacia acumulada y la ejecución financiera acumulada van a la "
                          "par (brecha de 0,00 puntos porcentuales).")
        else:
            signo = "por delante de" if t.brecha_acumulada > 0 else "por detrás de"
            partes.append(
                f"La eficacia acumulada va {signo} la ejecución financiera acumulada por "
                f"{formatear_numero(abs(t.brecha_acumulada))} puntos porcentuales (brecha)."
            )
    return " ".join(partes)


# Un ranking con un empate en el corte crece hasta este número de filas para listar todas
# las empatadas; si no alcanza, se queda con las primeras y una nota dice cuántas empatan.
# También es cuántas empatadas nombra una frase (`frase_extremos`).
MAXIMO_EMPATADAS = 10

# Cómo se nombran las filas de una tabla según su columna clave (singular, plural). Todos
# femeninos: las notas de empate dicen «de ellas», «las primeras».
NOMBRES_CLAVE = {
    "codigo_unidad": ("unidad", "unidades"),
    "codigo_acp": ("ACP", "ACP"),
    "area": ("área", "áreas"),
}


def _plural(clave: str) -> str:
    return NOMBRES_CLAVE.get(clave, ("fila", "filas"))[1]


def _ordenadas(tabla: pd.DataFrame, clave: str, columna: str, descendente: bool):
    """Las filas con valor (sin TOTAL) ordenadas por el valor impreso (2 decimales) y, a
    igual valor impreso, por `clave` en orden alfabético; y ese valor impreso por fila."""
    datos = tabla[(tabla[clave] != "TOTAL") & tabla[columna].notna()]
    mostrado = datos[columna].map(lambda v: redondear(float(v), 2))
    orden = (datos.assign(_mostrado=mostrado, _clave=datos[clave].astype(str))
             .sort_values(["_mostrado", "_clave"], ascending=[not descendente, True],
                          kind="stable"))
    return orden.drop(columns=["_mostrado", "_clave"]), orden["_mostrado"]


def _primeras(orden: pd.DataFrame, mostrado: pd.Series, n: int, clave: str,
              extremo: str) -> pd.DataFrame:
    """Las `n` primeras filas de `orden` sin cortar en silencio un empate (del valor
    impreso) en la fila n: si las empatadas caben en MAXIMO_EMPATADAS filas, van todas; si
    no, van las n primeras. En ambos casos, `attrs["nota"]` dice cuántas empatan."""
    if n <= 0 or len(orden) <= n or mostrado.iloc[n] != mostrado.iloc[n - 1]:
        return orden.head(n)
    corte = mostrado.iloc[n - 1]
    empatadas = mostrado.eq(corte).to_numpy()
    antes = int(empatadas.argmax())  # filas con mejor valor que el del empate
    cuantas = int(empatadas.sum())
    plural = _plural(clave)
    valor = pct(corte)
    if antes + cuantas <= max(n, MAXIMO_EMPATADAS):
        elegidas = orden.head(antes + cuantas).copy()
        elegidas.attrs["nota"] = (
            f"Se muestran {formatear_entero(antes + cuantas)} filas en lugar de "
            f"{formatear_entero(n)} porque {formatear_entero(cuantas)} {plural} empatan en "
            f"{valor}."
        )
        return elegidas
    elegidas = orden.head(n).copy()
    donde = f", el valor {extremo}" if antes == 0 else ""
    elegidas.attrs["nota"] = (
        f"{formatear_entero(cuantas)} {plural} empatan en {valor}{donde}; la tabla muestra "
        f"{formatear_entero(n - antes)} de ellas, las primeras en orden alfabético."
    )
    return elegidas


def extremos(tabla: pd.DataFrame, clave: str, columna: str, n: int = 3):
    """Las `n` filas de mayor y de menor valor (sin TOTAL ni filas sin valor), ordenadas
    por el valor impreso (2 decimales) y, a igual valor, por `clave` en orden alfabético.

    Un empate no se corta en silencio: si en la fila n hay filas con el mismo valor impreso
    que no caben, la tabla se alarga para mostrarlas todas (hasta MAXIMO_EMPATADAS filas) o,
    si son más, se queda con las n primeras; en los dos casos `attrs["nota"]` lo explica
    («29 unidades empatan en 100,00 %, el valor más alto; la tabla muestra 5 de ellas...») y
    `presentacion.tabla` la muestra al pie."""
    mayores, mostrado_mayores = _ordenadas(tabla, clave, columna, descendente=True)
    menores, mostrado_menores = _ordenadas(tabla, clave, columna, descendente=False)
    return (_primeras(mayores, mostrado_mayores, n, clave, "más alto"),
            _primeras(menores, mostrado_menores, n, clave, "más bajo"))


def lista_unidades(filas: pd.DataFrame, columna: str) -> str:
    return ", ".join(f"{md(f.codigo_unidad)} ({pct(getattr(f, columna))})"
                     for f in filas.itertuples())


def resumen_alertas(alertas: pd.DataFrame) -> str:
    """Cuántas alertas hay, por tipo; las operaciones NO APLICA se cuentan aparte, como
    información (el planificador justificó por qué no se evalúan)."""
    from helpers.calculo.tablas import alertas_por_tipo

    conteo = alertas_por_tipo(alertas)
    cuantas = int(conteo.sum())
    informacion = len(alertas) - cuantas
    if not cuantas:
        texto = "No se registran alertas en este corte."
    else:
        partes = [f"{md(tipo.lower())}: {formatear_entero(n)}" for tipo, n in conteo.items()]
        texto = (
            f"Se registran {formatear_entero(cuantas)} alertas en este corte ("
            + "; ".join(partes)
            + "). El detalle está en la sección de alertas."
        )
    if informacion:
        operaciones = "operación está marcada" if informacion == 1 else "operaciones están marcadas"
        texto += (f" Además, {formatear_entero(informacion)} {operaciones} NO APLICA, con su "
                  "justificación: es información, no una alerta.")
    return texto


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
        "sus operaciones, ponderada por su número de tareas. Luego, "
        f"{regla_de_agregacion(r.agregacion, prep.organizacion, prep.hay_grupos)}.",
        participacion,
        "La **ejecución financiera** es el devengado sobre el presupuesto vigente; para un grupo "
        "se suman primero los montos y luego se divide. La **eficiencia** es la eficacia sobre "
        "la ejecución financiera del mismo periodo (por 100), y la **brecha**, su diferencia en "
        "puntos porcentuales. Las dos se calculan con la eficacia y la ejecución redondeadas a "
        "dos decimales, tal como se imprimen, para que quien rehaga la cuenta con las cifras "
        "del informe obtenga el mismo resultado. " + _regla_no_significativa(r),
        f"La **calificación** se asigna sobre el avance físico tal como se muestra (dos "
        f"decimales), y una operación **CUMPLE** en la evaluación anual cuando su cumplimiento "
        f"llega a {pct(r.umbral_cumple)}.",
    ])


def _regla_no_significativa(metodologia) -> str:
    """La regla «n.s.» de la eficiencia con la ejecución mínima en vigor."""
    minima = metodologia.eficiencia_ejecucion_minima
    umbral = f"es menor que {pct(minima)}" if minima > 0 else "es 0 o menos"
    return (f"Cuando la ejecución impresa {umbral}, la eficiencia no es significativa (el "
            f"cociente se dispara con una ejecución tan pequeña) y se muestra "
            f"«{NO_SIGNIFICATIVO}»; la brecha sí se da.")


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
            rango = ((f"desde {pct(desde)}" if inclusivo else f"más de {pct(desde)}")
                     + f" y menos de {pct(hasta)}")
            if desde == hasta:
                rango = pct(desde)
        filas.append((m.campo_tramo(tramo, "grado"), rango, m.campo_tramo(tramo, "calificacion"),
                      m.campo_tramo(tramo, "desempeno")))
    return pd.DataFrame(filas, columns=["grado", "rango", "calificacion", "desempeno"])


def tabla_semaforo(prep) -> pd.DataFrame:
    filas = []
    for t, (verde, amarillo) in sorted(prep.metodologia.semaforo_financiero.items()):
        filas.append((f"T{t}", f"{pct(verde)} o más",
                      f"desde {pct(amarillo)} y menos de {pct(verde)}",
                      f"menos de {pct(amarillo)}"))
    return pd.DataFrame(filas, columns=["trimestre", "verde", "amarillo", "rojo"])


def enumerar(partes: list[str], conjuncion: str = "y") -> str:
    """'A', 'A y B', 'A, B y C'; con «y», «e» ante un sonido i ('A e Irán'); con «o», «u»
    ante un sonido o ('A u Oruro')."""
    if len(partes) <= 1:
        return "".join(partes)
    ultimo = partes[-1]
    inicio = ultimo.lower()
    sonido_i = inicio.startswith(("i", "í")) or (
        inicio.startswith(("hi", "hí")) and not inicio.startswith(("hia", "hie", "hio", "hiu")))
    if conjuncion == "y" and sonido_i:
        conjuncion = "e"
    elif conjuncion == "o" and inicio.startswith(("o", "ó", "ho", "hó")):
        conjuncion = "u"
    return f"{', '.join(partes[:-1])} {conjuncion} {ultimo}"


def _empatadas_en_el_extremo(tabla, clave, columna, descendente) -> tuple[list, float]:
    """Las claves con el valor impreso más alto (o más bajo), en orden alfabético, y ese
    valor."""
    orden, mostrado = _ordenadas(tabla, clave, columna, descendente)
    extremo = mostrado.iloc[0]
    return orden.loc[mostrado.eq(extremo).to_numpy(), clave].tolist(), extremo


def frase_extremos(tabla: pd.DataFrame, clave: str, columna: str, sujeto: str,
                   indicador: str) -> str:
    """'{sujeto} X registra el valor más alto de {indicador} (v) y {sujeto} Y el más bajo (w)',
    sobre las filas con valor (sin TOTAL); vacío si no hay ninguna. X e Y (códigos o nombres
    de los datos) van como texto literal; `sujeto` e `indicador` son Markdown de quien llama.

    Los empates se comparan en el valor impreso (2 decimales) y no se cortan: si varias
    filas comparten el valor más alto (o el más bajo), la frase dice cuántas y las nombra en
    orden alfabético, o sólo cuántas si son más de MAXIMO_EMPATADAS («29 unidades comparten
    el valor más alto de avance físico (100,00 %)»). Si todas tienen el mismo valor, lo
    dice."""
    if not ((tabla[clave] != "TOTAL") & tabla[columna].notna()).any():
        return ""
    altas, alto = _empatadas_en_el_extremo(tabla, clave, columna, descendente=True)
    bajas, bajo = _empatadas_en_el_extremo(tabla, clave, columna, descendente=False)
    plural = _plural(clave)

    def cuantas(claves: list) -> str:
        return f"{formatear_entero(len(claves))} {plural} comparten"

    def nombres(claves: list) -> str:
        """': A, B y C', o nada si son más que MAXIMO_EMPATADAS."""
        if len(claves) > MAXIMO_EMPATADAS:
            return ""
        return ": " + enumerar([md(c) for c in claves])

    if len(altas) == 1 and len(bajas) == 1:
        return (
            f"{sujeto} {md(altas[0])} registra el valor más alto de {indicador} ({pct(alto)}) "
            f"y {sujeto[0].lower()}{sujeto[1:]} {md(bajas[0])} el más bajo ({pct(bajo)})."
        )
    if alto == bajo:  # todas empatan
        return (f"{cuantas(altas)} el mismo valor de {indicador} "
                f"({pct(alto)}){nombres(altas)}.")
    if len(altas) == 1:
        parte_alta = (f"{sujeto} {md(altas[0])} registra el valor más alto de {indicador} "
                      f"({pct(alto)})")
    else:
        parte_alta = (f"{cuantas(altas)} el valor más alto de {indicador} "
                      f"({pct(alto)}){nombres(altas)}")
    if len(bajas) == 1:
        parte_baja = (f"{sujeto[0].lower()}{sujeto[1:]} {md(bajas[0])} registra el más bajo "
                      f"({pct(bajo)})")
    else:
        parte_baja = f"{cuantas(bajas)} el más bajo ({pct(bajo)}){nombres(bajas)}"
    return f"{parte_alta}; {parte_baja}."


def parrafo_acp(prep) -> str:
    acp = prep.tablas["acp"]
    t = total(prep)
    n = int((acp["codigo_acp"] != "TOTAL").sum())
    texto = (
        f"El POA {prep.gestion} se organiza en {formatear_entero(n)} acciones de corto plazo. "
        f"En el trimestre, la entidad alcanza un avance físico de {pct(t.avance_fisico_trimestre)} "
        f"y una ejecución financiera de {pct(t.ejecucion_trimestre)}."
    )
    extremo = frase_extremos(acp, "codigo_acp", "avance_fisico_trimestre", "La ACP",
                             "avance físico")
    return f"{texto} {extremo}".strip()


def parrafo_area(prep) -> str:
    area = prep.con_nombres(prep.tablas["area"])
    areas = area[area["nivel"] == "area"]
    servicios = area[area["nivel"] == "servicio"]
    partes = [
        f"{md(s.area)}: avance físico {pct(s.avance_fisico_trimestre)}, "
        f"ejecución {pct(s.ejecucion_trimestre)}"
        for s in servicios.itertuples()
    ]
    texto = (
        f"Las {formatear_entero(len(areas))} áreas organizacionales se agrupan por "
        f"{md(prep.agrupacion)} (" + "; ".join(partes) + ")."
        if prep.hay_grupos else
        f"La entidad tiene {formatear_entero(len(areas))} "
        f"{'área organizacional' if len(areas) == 1 else 'áreas organizacionales'}."
    )
    extremo = frase_extremos(areas, "area", "avance_fisico_trimestre", "El área",
                             "avance físico del trimestre")
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
        texto += (f" {formatear_entero(sin_valor)} no tenían metas programadas en el trimestre "
                  "y se muestran con «—».")
    return texto


def frase_modificaciones(categoria: pd.DataFrame) -> str:
    """Del presupuesto inicial al vigente (tabla `categoria` de un libro que registra el
    inicial): cuánto cambió el total y cuánto se movió entre líneas; vacío sin inicial."""
    if "inicial" not in categoria.columns:
        return ""
    lineas = categoria[categoria["categoria_programatica"] != "TOTAL"]
    t = categoria[categoria["categoria_programatica"] == "TOTAL"].iloc[0]
    cambio = redondear(t.vigente - t.inicial, 2)
    # Lo que unas líneas ganaron y otras perdieron sin cambiar el total.
    movido = min(lineas["modificaciones"].clip(lower=0).sum(),
                 -lineas["modificaciones"].clip(upper=0).sum())
    entre_lineas = f"movieron {formatear_monto(movido)} Bs entre líneas presupuestarias"
    if not cambio:
        if redondear(movido, 2) > 0:
            return (f"El vigente es igual al presupuesto inicial "
                    f"({formatear_monto(t.inicial)} Bs): las modificaciones {entre_lineas} sin "
                    "cambiar el total.")
        return "El vigente es el presupuesto inicial: no tuvo modificaciones."
    verbo = "aumentaron" if cambio > 0 else "redujeron"
    texto = (f"El presupuesto inicial fue de {formatear_monto(t.inicial)} Bs; las "
             f"modificaciones lo {verbo} en {formatear_monto(abs(cambio))} Bs")
    if redondear(movido, 2) > 0:
        texto += f" y {entre_lineas}"
    return texto + "."


def parrafo_financiero(prep) -> str:
    cat = prep.tablas["categoria"]
    lineas = cat[cat["categoria_programatica"] != "TOTAL"]
    t = cat[cat["categoria_programatica"] == "TOTAL"].iloc[0]
    conteo = lineas["semaforo"].value_counts()
    partes = [f"{formatear_entero(conteo[c])} en {c}"
              for c in ("verde", "amarillo", "rojo") if c in conteo]
    inicial = frase_modificaciones(cat)
    return (
        (f"{inicial} " if inicial else "")
        + f"El presupuesto vigente de {formatear_monto(t.vigente)} Bs se distribuye en "
        f"{formatear_entero(len(lineas))} líneas presupuestarias. En el trimestre se devengaron "
        f"{formatear_monto(t.devengado_trimestre)} Bs ({pct(t.ejecucion_trimestre)}) "
        "y en el acumulado "
        f"{formatear_monto(t.devengado_acumulado)} Bs ({pct(t.ejecucion_acumulada)}), "
        "con un saldo de "
        f"{formatear_monto(t.saldo)} Bs. Por su semáforo al corte, las líneas quedan así: "
        + (", ".join(partes) if partes else "sin semáforo") + "."
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
