"""Las conclusiones del informe trimestral: qué áreas y unidades quedan bajo los umbrales y
por qué, y cómo cambiaron frente al trimestre anterior y a las gestiones anteriores.

Entra: el `Preparado` de la sección (``prep``: tablas calculadas, hoja narrativa, escala de
calificación y semáforo de los parámetros) y, para comparar, las cifras del corte anterior
(``corte_anterior``). Sale: frases de Markdown, cada una un elemento de lista. La rendición
de cuentas usa de aquí el criterio de los umbrales, ``bajo_umbral`` y la comparación con
gestiones anteriores; las reglas de redacción, en ``helpers.redaccion.analisis``.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.contenido import tiene_logros
from helpers.calculo.pasos import Calculo
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_numero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion.analisis import (
    MAXIMO_NOMBRADAS,
    contar,
    diferencia_impresa,
    extremo,
    lista_nombres,
    nombrar,
    nombre_trimestre,
    nombres_unidades,
    orden_areas,
    por_area,
    puntos,
)
from helpers.redaccion.textos import enumerar

__all__ = [
    "bajo_umbral",
    "conclusiones_gestiones_anteriores",
    "conclusiones_trimestre_anterior",
    "conclusiones_umbrales",
    "corte_anterior",
    "criterio_umbrales",
    "dificultades_citadas",
]


# --------------------------------------------------------------------------------------
# Unidades y áreas bajo los umbrales


def _en_tramo_bajo(valor, escala) -> bool:
    tramo = m.tramo_de(valor, escala)
    return tramo is not None and any(tramo is t for t in m.tramos_bajos(escala))


def criterio_umbrales(prep) -> str:
    """Qué se considera «bajo el umbral», con los límites de los parámetros en uso: el avance
    físico del trimestre (del año, en la rendición de cuentas) en los grados bajos de la
    escala, o la ejecución acumulada (del año) en rojo."""
    escala = list(prep.metodologia.escala_calificacion)
    bajos = m.tramos_bajos(escala)
    rojo = prep.metodologia.semaforo_financiero[prep.trimestre][1]
    if prep.de_gestion:
        periodo = "del año"
        financiero = (f"las que tienen la ejecución financiera del año en rojo (menos de "
                      f"{pct(rojo)} al cierre de {prep.acumulado})")
    else:
        periodo = "del trimestre"
        financiero = (f"las que tienen la ejecución financiera acumulada en rojo (menos de "
                      f"{pct(rojo)} al corte del {nombre_trimestre(prep.trimestre)})")
    if not bajos:
        return f"Se consideran bajo los umbrales las áreas y unidades {financiero}."
    grados = list(dict.fromkeys(m.campo_tramo(t, "grado") for t in bajos))
    calificaciones = list(dict.fromkeys(m.campo_tramo(t, "calificacion") for t in bajos))
    encima = escala[len(escala) - len(bajos) - 1]
    limite = float(m.campo_tramo(encima, "desde"))
    hasta = f"menos de {pct(limite)}" if m.es_inclusivo(encima) else f"hasta {pct(limite)}"
    return (
        "Se consideran bajo los umbrales las áreas y unidades cuyo avance físico "
        f"{periodo} cae en los grados {enumerar([md(g) for g in grados], 'o')} de la escala "
        f"(calificación {enumerar([md(c) for c in calificaciones], 'o')}: {hasta}), y "
        f"{financiero}."
    )


def bajo_umbral(tabla: pd.DataFrame, escala) -> pd.DataFrame:
    """Las filas de `tabla` (de unidades o de áreas) bajo algún umbral, con dos columnas
    más: `fisico` (avance físico del trimestre en los grados bajos de `escala`) y
    `financiero` (semáforo rojo)."""
    escala = list(escala)
    tabla = tabla.copy()
    tabla["fisico"] = tabla["avance_fisico_trimestre"].map(lambda v: _en_tramo_bajo(v, escala))
    tabla["financiero"] = tabla["semaforo"].eq("rojo")
    return tabla[tabla["fisico"] | tabla["financiero"]].reset_index(drop=True)


def _unidades_bajo_umbral(prep) -> pd.DataFrame:
    return bajo_umbral(prep.tablas["unidad"], prep.metodologia.escala_calificacion)


def dificultades_citadas(prep) -> pd.DataFrame:
    """Las dificultades del trimestre de las unidades bajo algún umbral: las que las
    conclusiones citan como explicación (y por eso no se repiten en los resultados)."""
    bajo = set(_unidades_bajo_umbral(prep)["codigo_unidad"])
    narr = prep.narrativa
    citadas = (narr["tipo"] == "dificultad") & narr["codigo_unidad"].isin(bajo)
    return narr[citadas].reset_index(drop=True)


def _sublista(lineas: list[str]) -> str:
    """Una lista anidada dentro de un elemento de lista (cuatro espacios de sangría)."""
    return "".join(f"\n    - {linea}" for linea in lineas)


def conclusiones_umbrales(prep) -> list[str]:
    """Qué áreas y unidades quedan bajo los umbrales y por qué (sus dificultades, si la hoja
    narrativa trae logros o dificultades del trimestre: sin ninguno, la introducción dice que
    el informe no los incluye). Cada frase es un elemento de lista; las unidades van en una
    lista anidada, por área."""
    escala = prep.metodologia.escala_calificacion
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"]
    areas_bajo = bajo_umbral(areas, escala)
    unidades_bajo = bajo_umbral(prep.tablas["unidad"], escala)
    frases = [_frase_fisico(prep, areas, areas_bajo, unidades_bajo),
              _frase_financiero(prep, areas, areas_bajo, unidades_bajo)]
    if not unidades_bajo.empty and tiene_logros(prep.datos, prep.parametros):
        frases.append(_frase_explicaciones(prep, unidades_bajo))
    return frases


def _frase_fisico(prep, areas: pd.DataFrame, areas_bajo: pd.DataFrame,
                  unidades_bajo: pd.DataFrame) -> str:
    """Avance físico: las áreas en los grados bajos, con su calificación, y las unidades,
    por área y calificación."""
    unidad = prep.tablas["unidad"]
    nombres = nombres_unidades(prep)
    n_areas = contar(int(areas["avance_fisico_trimestre"].notna().sum()), "área", "áreas")
    n_unidades = contar(int(unidad["avance_fisico_trimestre"].notna().sum()), "unidad", "unidades")
    fis_areas = areas_bajo[areas_bajo["fisico"]]
    fis_unidades = unidades_bajo[unidades_bajo["fisico"]]
    if fis_areas.empty:
        texto = (f"Avance físico: ninguna de las {n_areas} con metas en el trimestre queda en "
                 "esos grados")
    else:
        texto = (f"Avance físico: {formatear_entero(len(fis_areas))} de las {n_areas} con metas "
                 f"en el trimestre {'queda' if len(fis_areas) == 1 else 'quedan'} en esos grados ("
                 + enumerar([f"{md(prep.nombre_area(a.area))}, {md(a.calificacion_trimestre)}"
                             for a in fis_areas.itertuples()]) + ")")
    if fis_unidades.empty:
        return texto + f", ni ninguna de las {n_unidades} con metas en el trimestre."
    texto += (f"; de las {n_unidades} con metas en el trimestre, "
              f"{formatear_entero(len(fis_unidades))} "
              f"{'queda' if len(fis_unidades) == 1 else 'quedan'} en ellos:")
    lineas = []
    for a, g in por_area(prep, fis_unidades):
        por_calificacion = [
            f"{lista_nombres([md(nombres[u]) for u in de_cal['codigo_unidad']], 'unidades')} "
            f"(calificación {md(cal)})"
            for cal, de_cal in g.groupby("calificacion_trimestre", sort=False)
        ]
        lineas.append(f"{md(prep.nombre_area(a))} ({formatear_entero(len(g))}): "
                      + "; ".join(por_calificacion))
    return texto + _sublista(lineas)


def _frase_financiero(prep, areas: pd.DataFrame, areas_bajo: pd.DataFrame,
                      unidades_bajo: pd.DataFrame) -> str:
    """Ejecución financiera: las áreas con semáforo rojo y las unidades, por área (cuántas
    de las que tienen presupuesto propio)."""
    unidad = prep.tablas["unidad"]
    nombres = nombres_unidades(prep)
    con_presupuesto = unidad["semaforo"].notna()
    n_areas = contar(int(areas["semaforo"].notna().sum()), "área", "áreas")
    n_unidades = contar(int(con_presupuesto.sum()), "unidad", "unidades")
    fin_areas = areas_bajo[areas_bajo["financiero"]]
    fin_unidades = unidades_bajo[unidades_bajo["financiero"]]
    if fin_areas.empty:
        texto = f"Ejecución financiera: ninguna de las {n_areas} con presupuesto está en rojo"
    else:
        texto = (f"Ejecución financiera: {formatear_entero(len(fin_areas))} de las {n_areas} "
                 f"con presupuesto {'está' if len(fin_areas) == 1 else 'están'} en rojo ("
                 + enumerar([md(prep.nombre_area(a)) for a in fin_areas["area"]]) + ")")
    if fin_unidades.empty:
        return texto + f", ni ninguna de las {n_unidades} con presupuesto propio."
    presupuesto_area = unidad[con_presupuesto].groupby("area").size()
    texto += (f"; de las {n_unidades} con presupuesto propio, "
              f"{formatear_entero(len(fin_unidades))} "
              f"{'lo está' if len(fin_unidades) == 1 else 'lo están'}:")
    return texto + _sublista([
        f"{md(prep.nombre_area(a))} ({formatear_entero(len(g))} de "
        f"{formatear_entero(presupuesto_area.get(a, 0))}): "
        + lista_nombres([md(nombres[u]) for u in g["codigo_unidad"]], "unidades")
        for a, g in por_area(prep, fin_unidades)
    ])


def _frase_explicaciones(prep, unidades_bajo: pd.DataFrame) -> str:
    """Por qué: las dificultades del trimestre que registraron las unidades bajo los
    umbrales, citadas con su motivo; o que ninguna registró una."""
    nombres = nombres_unidades(prep)
    citadas = dificultades_citadas(prep)
    motivo = {u.codigo_unidad: _motivo(u) for u in unidades_bajo.itertuples()}
    explican = list(pd.unique(citadas["codigo_unidad"]))
    total = len(unidades_bajo)
    periodo = nombre_trimestre(prep.trimestre)
    if not explican:
        quien = ("La unidad bajo los umbrales no registró" if total == 1 else
                 f"Ninguna de las {contar(total, 'unidad', 'unidades')} bajo los umbrales "
                 "registró")
        return (f"{quien} una dificultad para el {periodo} en la hoja narrativa: el informe no "
                "puede explicar su situación con sus palabras.")
    resto = total - len(explican)
    otras = "la otra" if resto == 1 else f"las otras {formatear_entero(resto)}"
    verbo = "registró" if resto == 1 else "registraron"
    cierre = f"; {otras} no {verbo} ninguna" if resto else ""
    return (f"Explicaciones: de las {contar(total, 'unidad', 'unidades')} bajo los umbrales, "
            f"{formatear_entero(len(explican))} "
            f"{'registró' if len(explican) == 1 else 'registraron'} en la hoja narrativa "
            f"una dificultad del {periodo}, que se cita a continuación{cierre}."
            + _sublista([f"{md(nombres[d.codigo_unidad])} ({motivo[d.codigo_unidad]}): "
                         f"«{md(d.texto)}»" for d in citadas.itertuples()]))


def _motivo(fila) -> str:
    partes = []
    if fila.fisico:
        partes.append(f"avance físico {md(fila.calificacion_trimestre)}")
    if fila.financiero:
        partes.append("ejecución financiera en rojo")
    return " y ".join(partes)


# --------------------------------------------------------------------------------------
# Comparación con el trimestre anterior y con gestiones anteriores


def corte_anterior(prep) -> dict[str, pd.DataFrame] | None:
    """Las cifras del corte anterior de la misma gestión (unidad, área, servicio, ACP y
    entidad), calculadas con los mismos datos (``prep.datos``) y las mismas reglas; None en
    el primer trimestre."""
    if prep.trimestre <= 1:
        return None
    return Calculo(prep.datos, prep.trimestre - 1, prep.metodologia).niveles


def _comparar_series(ahora: pd.Series, antes: pd.Series, orden: list) -> pd.Series:
    """Diferencia impresa (ahora − antes) de las claves con valor en los dos cortes, en el
    orden de `orden` (el de las áreas en el libro: así se nombran las empatadas)."""
    con_valor = set(ahora.dropna().index) & set(antes.dropna().index)
    return pd.Series({c: diferencia_impresa(ahora[c], antes[c]) for c in orden if c in con_valor},
                     dtype=float)


def _frase_cambios(diferencias: pd.Series, nombre, indicador: str, sustantivo: str,
                   sustantivo_plural: str) -> str:
    """'En {indicador}, mejoran 4 de las 5 áreas y retrocede 1; la mayor mejora: A
    (+8,90 puntos); el mayor retroceso: B (−1,00 puntos).' `nombre`: clave -> nombre
    (Markdown)."""
    if diferencias.empty:
        return ""
    suben = diferencias[diferencias > 0]
    bajan = diferencias[diferencias < 0]
    iguales = len(diferencias) - len(suben) - len(bajan)
    n = len(diferencias)
    partes = []
    for verbo, k in (("mejora", len(suben)), ("retrocede", len(bajan)), ("no cambia", iguales)):
        if k == n:
            partes.append(f"{verbo} en {'la' if n == 1 else 'las'} "
                          f"{contar(n, sustantivo, sustantivo_plural)} con cifras en los dos "
                          "cortes")
        elif k:
            partes.append(f"{verbo} en {formatear_entero(k)}")
    if len(partes) > 1:
        partes[0] += (f" de las {contar(n, sustantivo, sustantivo_plural)} con cifras en los "
                      "dos cortes")
    texto = f"Por {sustantivo_plural}, el {indicador} {enumerar(partes)}"
    extremos = []
    if len(suben):
        claves, valor = extremo(suben, mayor=True)
        extremos.append(f"la mayor mejora, {puntos(valor)}: "
                        f"{nombrar([nombre(c) for c in claves], sustantivo_plural)}")
    if len(bajan):
        claves, valor = extremo(bajan, mayor=False)
        extremos.append(f"el mayor retroceso, {puntos(valor)}: "
                        f"{nombrar([nombre(c) for c in claves], sustantivo_plural)}")
    if extremos:
        texto += "; " + "; ".join(extremos)
    return texto + "."


def conclusiones_trimestre_anterior(prep, anterior: dict[str, pd.DataFrame] | None) -> list[str]:
    """La entidad, las áreas y las unidades frente al corte anterior de la misma gestión; en
    el primer trimestre, que no lo hay."""
    if anterior is None:
        return [f"El {nombre_trimestre(prep.trimestre)} es el primer corte de la gestión "
                f"{prep.gestion}: no hay un trimestre anterior con que compararlo."]
    previo = nombre_trimestre(prep.trimestre - 1)
    frases = []
    t_ahora = prep.tablas["acp"].set_index("codigo_acp").loc["TOTAL"]
    t_antes = anterior["entidad"].iloc[0]
    partes = []
    for columna, indicador in (("avance_fisico_trimestre", "el avance físico del trimestre"),
                               ("ejecucion_trimestre", "la ejecución financiera del trimestre")):
        if pd.isna(t_ahora[columna]) or pd.isna(t_antes[columna]):
            continue
        dif = diferencia_impresa(t_ahora[columna], t_antes[columna])
        verbo = "sube" if dif > 0 else ("baja" if dif < 0 else "no cambia")
        cuanto = f" {formatear_numero(abs(dif))} puntos porcentuales" if dif else ""
        partes.append(f"{indicador} {verbo}{cuanto} (fue {pct(t_antes[columna])} en el "
                      f"{previo})")
    if partes:
        frases.append(f"En la entidad, frente al {previo}, {enumerar(partes)}.")

    areas = prep.tablas["area"]
    areas = areas[areas["nivel"] == "area"].set_index("area")
    antes = anterior["area"]

    def nombre_area(a):
        return md(prep.nombre_area(a))

    for columna, indicador in (
            ("avance_fisico_trimestre", "avance físico del trimestre"),
            ("ejecucion_trimestre", "porcentaje de ejecución financiera del trimestre")):
        diferencias = _comparar_series(areas[columna], antes[columna], orden_areas(prep))
        frase = _frase_cambios(diferencias, nombre_area, indicador, "área", "áreas")
        if frase:
            frases.append(frase)

    rojo_ahora = list(areas.index[areas["semaforo"].eq("rojo")])
    rojo_antes = list(antes.index[antes["semaforo"].eq("rojo")])
    frases.append(_frase_conjuntos(rojo_ahora, rojo_antes, nombre_area, previo,
                                  ("área", "áreas"), "en rojo en el semáforo financiero"))

    escala = prep.metodologia.escala_calificacion
    nombres = nombres_unidades(prep)

    def nombre_unidad(u):
        return md(nombres[u])

    bajos_ahora = list(bajo_umbral(prep.tablas["unidad"], escala).query("fisico")["codigo_unidad"])
    unidades_antes = anterior["unidad"].rename_axis("codigo_unidad").reset_index()
    bajos_antes = list(bajo_umbral(unidades_antes, escala).query("fisico")["codigo_unidad"])
    rojas_ahora = list(prep.tablas["unidad"].query("semaforo == 'rojo'")["codigo_unidad"])
    rojas_antes = list(unidades_antes.query("semaforo == 'rojo'")["codigo_unidad"])
    for ahora, antes_u, que in ((bajos_ahora, bajos_antes, "en los grados bajos de avance físico"),
                                (rojas_ahora, rojas_antes, "con la ejecución financiera en rojo")):
        frases.append(_frase_conjuntos(ahora, antes_u, nombre_unidad, previo,
                                      ("unidad", "unidades"), que))
    return frases


def _frase_conjuntos(ahora: list, antes: list, nombre, previo: str, formas: tuple[str, str],
                     que: str) -> str:
    """'Áreas en rojo ...: 2 al corte del primer trimestre y 3 ahora (siguen ...; salen ...;
    entran ...).' o, si no hubo ni hay ninguna, que ninguna lo estuvo."""
    singular, plural = formas
    if not ahora and not antes:
        return f"Ninguna {singular} estaba {que} al corte del {previo} ni lo está ahora."
    texto = (f"{plural.capitalize()} {que}: {formatear_entero(len(antes))} al corte del "
             f"{previo} y {formatear_entero(len(ahora))} ahora")
    cambios = _entran_salen(ahora, antes, nombre, plural)
    return texto + (f" ({cambios})" if cambios else "") + "."


def _entran_salen(ahora: list, antes: list, nombre, plural: str) -> str:
    """'sigue 1: A; salen 2: B y C; entra 1: D' (sólo lo que hay; el verbo concuerda)."""
    partes = []
    for verbos, claves in ((("sigue", "siguen"), [c for c in ahora if c in antes]),
                           (("sale", "salen"), [c for c in antes if c not in ahora]),
                           (("entra", "entran"), [c for c in ahora if c not in antes])):
        verbo = verbos[0] if len(claves) == 1 else verbos[1]
        if claves and len(claves) > MAXIMO_NOMBRADAS:
            partes.append(f"{verbo} {formatear_entero(len(claves))}")
        elif claves:
            partes.append(f"{verbo} {formatear_entero(len(claves))}: "
                          f"{enumerar([nombre(c) for c in claves])}")
    return "; ".join(partes)


def conclusiones_gestiones_anteriores(prep) -> list[str]:
    """El avance físico acumulado de cada área frente al cierre de las gestiones anteriores
    (hoja historico); la ejecución financiera, sólo al corte del cuarto trimestre (antes no
    se compara un gasto parcial con el de un año completo)."""
    tendencia = prep.tablas.get("tendencia")
    if tendencia is None or tendencia.empty:
        return ["El libro no trae gestiones anteriores (hoja historico): no hay con qué "
                "comparar esta gestión."]
    anteriores = sorted(g for g in tendencia["gestion"].unique() if g < prep.gestion)
    if not anteriores:
        return ["El libro no trae gestiones anteriores (hoja historico): no hay con qué "
                "comparar esta gestión."]
    actual = tendencia[tendencia["gestion"] == prep.gestion].set_index("area")

    def nombre_area(a):
        return md(prep.nombre_area(a))

    columnas = [("avance_fisico", "avance físico acumulado")]
    if prep.trimestre == 4:
        columnas.append(("ejecucion", "porcentaje de ejecución financiera acumulada"))
    frases = []
    # La gestión inmediata anterior y, si hay más, la más antigua.
    for gestion in dict.fromkeys([anteriores[-1], anteriores[0]]):
        previa = tendencia[tendencia["gestion"] == gestion].set_index("area")
        for columna, indicador in columnas:
            dif = _comparar_series(actual[columna], previa[columna], orden_areas(prep))
            if dif.empty:
                continue
            mayor = dif[dif > 0]
            menor = dif[dif < 0]
            igual = len(dif) - len(mayor) - len(menor)
            n = len(dif)
            con_dato = f"{contar(n, 'área', 'áreas')} con dato en las dos gestiones"
            partes = []
            for que, k, grupo, mayor_primero in (("mayor", len(mayor), mayor, True),
                                                 ("menor", len(menor), menor, False),
                                                 ("igual", igual, None, None)):
                if not k:
                    continue
                cuantas = (f"{'la' if n == 1 else 'las'} {con_dato}" if k == n else
                           f"{formatear_entero(k)}" + ("" if partes else f" de las {con_dato}"))
                detalle = ""
                if grupo is not None:
                    claves, valor = extremo(grupo, mayor=mayor_primero)
                    detalle = (f" (la mayor diferencia, {puntos(valor)}: "
                               f"{nombrar([nombre_area(c) for c in claves], 'áreas')})")
                partes.append(f"{que} en {cuantas}{detalle}")
            frases.append(
                f"Frente al cierre de {gestion}, el {indicador} al corte de {prep.gestion} es "
                f"{enumerar(partes)}."
            )
    if prep.trimestre < 4:
        frases.append("La ejecución financiera de las gestiones anteriores es la de su cierre "
                      "anual: se compara con la de esta gestión recién al corte del cuarto "
                      "trimestre, no con el gasto acumulado a un corte intermedio.")
    return frases
