"""Textos de las secciones narrativas del informe trimestral: introducción, marco normativo y
estratégico, resultados por acción de corto plazo, conclusiones y recomendaciones.

Cada frase sale de las tablas calculadas, de las hojas del libro y de los parámetros: ningún
número, conteo, nombre ni umbral se escribe a mano (los umbrales salen de la escala de
calificación y del semáforo de los parámetros en uso). Las frases son Markdown; todo texto
que viene del libro o de los parámetros entra con ``md``
(``helpers.redaccion.literal.markdown``) y se lee tal cual, como en
``helpers.redaccion.textos``.

Reglas que comparten las secciones (docs/secciones-narrativas.md):

- Las áreas se nombran con su nombre (``prep.nombre_area``) y las unidades con el suyo:
  ningún código de área llega al lector.
- Cada fila de la hoja narrativa se imprime una sola vez en el informe. Los logros y las
  dificultades van en los resultados por ACP, salvo las dificultades de las unidades bajo
  los umbrales, que se citan en las conclusiones como explicación (``dificultades_citadas``;
  en su ACP, una frase dice que están allí). Las recomendaciones van sólo en la sección de
  recomendaciones: primero las de la unidad de planificación, después las de las demás.
- Los empates no se cortan: si varias áreas o unidades comparten el valor extremo (tal como
  se imprime, con dos decimales), la frase dice cuántas son y las nombra
  (``MAXIMO_NOMBRADAS`` como máximo; si son más, sólo cuántas).
- Las diferencias entre cifras se calculan con las cifras redondeadas a dos decimales, tal
  como se imprimen, para que el lector pueda rehacer la resta.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.pasos import Calculo
from helpers.comun.calendario import TRIMESTRES
from helpers.comun.numeros import formatear_entero, formatear_monto, formatear_numero, redondear
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.entrada.parametros import comprobar_con_datos
from helpers.redaccion.literal import markdown as md
from helpers.redaccion.textos import MAXIMO_EMPATADAS, enumerar

__all__ = [
    "MAXIMO_NOMBRADAS",
    "bajo_umbral",
    "conclusiones_gestiones_anteriores",
    "conclusiones_trimestre_anterior",
    "conclusiones_umbrales",
    "corte_anterior",
    "criterio_umbrales",
    "dificultades_citadas",
    "ficha_acp",
    "lista",
    "lista_marco_normativo",
    "mision_y_vision",
    "narrativa_de_acp",
    "narrativa_sin_acp",
    "nombre_unidad_planificacion",
    "parrafo_articulacion",
    "parrafo_recomendaciones",
    "parrafo_resultados",
    "parrafos_introduccion",
    "recomendaciones_planificacion",
    "recomendaciones_unidades",
    "tabla_articulacion",
    "titulo_acp",
    "titulo_planificacion",
]

# Cuántas empatadas (o cuántos elementos de una lista) se nombran en una frase; si son más,
# la frase sólo dice cuántas. El mismo tope que las frases de textos.py.
MAXIMO_NOMBRADAS = MAXIMO_EMPATADAS

TIPOS_RESULTADO = {"logro": "Logros", "dificultad": "Dificultades"}
RECOMENDACION = "recomendacion"


# --------------------------------------------------------------------------------------
# Piezas de redacción


def lista(frases: list[str]) -> str:
    """Las frases como lista de Markdown, una por renglón."""
    return "\n".join(f"- {frase}" for frase in frases)


def contar(n: int, singular: str, plural: str) -> str:
    """'1 unidad', '3 unidades'."""
    return f"{formatear_entero(n)} {singular if n == 1 else plural}"


def _puntos(diferencia: float) -> str:
    """'+5,49 puntos', '−1,20 puntos', '0,00 puntos' (puntos porcentuales)."""
    signo = "+" if diferencia > 0 else ("−" if diferencia < 0 else "")
    return f"{signo}{formatear_numero(abs(diferencia))} puntos"


def _diferencia(ahora, antes) -> float:
    """La diferencia de dos porcentajes tal como se imprimen (dos decimales)."""
    return redondear(redondear(float(ahora), 2) - redondear(float(antes), 2), 2)


def _trimestre_nombre(t: int) -> str:
    """'primer trimestre'."""
    return f"{TRIMESTRES[t]} trimestre"


def _nombres(prep) -> dict[str, str]:
    """codigo_unidad -> nombre de la unidad."""
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))


def _area_de(prep) -> dict[str, str]:
    """codigo_unidad -> código de su área."""
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["area"]))


def _orden_areas(prep) -> list[str]:
    return list(prep.areas["area"])


def _extremo(valores: pd.Series, mayor: bool) -> tuple[list, float]:
    """Las claves (índice) con el valor extremo tal como se imprime, en su orden, y ese
    valor."""
    mostrado = valores.map(lambda v: redondear(float(v), 2))
    extremo = mostrado.max() if mayor else mostrado.min()
    return list(mostrado.index[mostrado == extremo]), float(extremo)


def _nombrar(nombres: list[str], sustantivo_plural: str) -> str:
    """Una sola: su nombre. Varias empatadas: '2 áreas empatadas (A y B)', o sólo cuántas
    ('12 áreas empatadas') si pasan de MAXIMO_NOMBRADAS."""
    if len(nombres) == 1:
        return nombres[0]
    if len(nombres) > MAXIMO_NOMBRADAS:
        return f"{formatear_entero(len(nombres))} {sustantivo_plural} empatadas"
    return f"{formatear_entero(len(nombres))} {sustantivo_plural} empatadas ({enumerar(nombres)})"


def _lista_nombres(nombres: list[str], sustantivo_plural: str) -> str:
    """Los nombres enumerados, o sólo cuántos si pasan de MAXIMO_NOMBRADAS."""
    if len(nombres) > MAXIMO_NOMBRADAS:
        return f"{formatear_entero(len(nombres))} {sustantivo_plural}"
    return enumerar(nombres)


# --------------------------------------------------------------------------------------
# Introducción


def nombre_unidad_planificacion(prep) -> str | None:
    """El nombre de la unidad de planificación (`presentacion.unidad_planificacion`), o None
    si los parámetros no la nombran. Un código que no está en la hoja unidades es un error
    de entrada (el mismo que detiene al ejecutor)."""
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is None:
        return None
    comprobar_con_datos(prep.parametros, prep, "parámetros")
    return _nombres(prep)[codigo]


def _operaciones_evaluadas(operacion: pd.DataFrame, columna: str) -> pd.DataFrame:
    return operacion[operacion[columna] == m.ESTADO_PROGRAMADA]


def parrafos_introduccion(prep) -> list[str]:
    """Propósito, periodo y corte; alcance (ACP, áreas por nombre, unidades por servicio,
    operaciones evaluadas); y el párrafo propio de los parámetros, si lo hay."""
    periodo = prep.periodo[0].lower() + prep.periodo[1:]
    planificacion = nombre_unidad_planificacion(prep)
    quien = (f"Lo elabora la unidad de planificación, {md(planificacion)}, con "
             if planificacion else "Se elabora con ")
    if prep.de_gestion:
        proposito = (
            f"Este informe rinde cuentas de los resultados de la gestión {prep.gestion} del "
            f"{md(prep.entidad)} ({md(prep.sigla)}), de {prep.acumulado}, con fecha de corte al "
            f"{prep.fecha_corte}: lo que cada área y unidad organizacional entregó, cómo se "
            f"cumplieron las operaciones del Plan Operativo Anual (POA) y cómo se ejecutó el "
            f"presupuesto. {quien}los avances que reportó cada unidad organizacional y la "
            "ejecución presupuestaria registrada en el libro del POA, para que la población, "
            "las organizaciones de control social y las instancias de fiscalización conozcan "
            "el uso de los recursos públicos y sus resultados."
        )
    else:
        if prep.trimestre == 1:
            acumulado = "en el primer trimestre el acumulado del año coincide con el trimestre"
        else:
            acumulado = f"las cifras acumuladas abarcan de {prep.acumulado}"
        proposito = (
            f"Este informe presenta el seguimiento y la evaluación de la ejecución física y "
            f"financiera del Plan Operativo Anual (POA) {prep.gestion} del {md(prep.entidad)} "
            f"({md(prep.sigla)}) en el {periodo}, con fecha de corte al {prep.fecha_corte}; "
            f"{acumulado}. {quien}los avances que reportó cada unidad organizacional y la "
            "ejecución presupuestaria registrada en el libro del POA, para que la Máxima "
            "Autoridad Ejecutiva y las áreas organizacionales conozcan cuánto avanzaron sus "
            "metas y su gasto, y adopten a tiempo las medidas que correspondan."
        )

    unidades = prep.unidades
    por_area = unidades.groupby("area", sort=False).size()
    areas = [f"{md(prep.nombre_area(a))} ("
             + (contar(por_area[a], "unidad", "unidades") if i == 0
                else formatear_entero(por_area[a]))
             + ")"
             for i, a in enumerate(a for a in _orden_areas(prep) if a in por_area)]
    acp = prep.acp
    amp = [c for c in pd.unique(acp["codigo_amp"]) if str(c).strip()]
    articulacion = (f", que responden a {contar(len(amp), 'acción', 'acciones')} de mediano "
                    "plazo (AMP) del plan estratégico institucional" if amp else "")
    alcance = (
        f"El seguimiento abarca las {contar(len(acp), 'acción', 'acciones')} de corto plazo "
        f"(ACP) del POA{articulacion}, y las {contar(len(unidades), 'unidad', 'unidades')} "
        f"organizacionales de la entidad, agrupadas en "
        f"{contar(len(areas), 'área organizacional', 'áreas organizacionales')}: "
        f"{enumerar(areas)}."
    )
    servicios = [
        f"{md(servicio)} ({contar(del_servicio['area'].nunique(), 'área', 'áreas')}, "
        f"{contar(len(del_servicio), 'unidad', 'unidades')})"
        for servicio, del_servicio in unidades.groupby("servicio", sort=False)
    ]
    alcance += (f" Comprende {'el servicio' if len(servicios) == 1 else 'los servicios'} "
                f"{enumerar(servicios)}.")

    operacion = prep.tablas["operacion"]
    # `estado` es el del trimestre en el informe trimestral y el de la gestión en la rendición.
    en_trimestre = _operaciones_evaluadas(operacion, "estado")
    evaluadas = (
        f"Se evalúan las {contar(len(en_trimestre), 'operación', 'operaciones')} que tenían "
        f"metas programadas en {'la gestión' if prep.de_gestion else 'el trimestre'}, con "
        f"{contar(int(en_trimestre['tareas'].sum()), 'tarea', 'tareas')}"
    )
    if not prep.de_gestion and prep.trimestre > 1:
        en_acumulado = _operaciones_evaluadas(operacion, "estado_acumulado")
        evaluadas += (f", y {formatear_entero(len(en_acumulado))} en el acumulado de "
                      f"{prep.acumulado}")
    lineas = len(prep.tablas["categoria"]) - 1  # sin la fila TOTAL
    evaluadas += (f"; la ejecución financiera se mide sobre "
                  f"{'la' if lineas == 1 else 'las'} {contar(lineas, 'línea', 'líneas')} del "
                  "presupuesto vigente.")
    parrafos = [proposito, f"{alcance} {evaluadas}"]
    propio = prep.parametros.presentacion.introduccion
    if propio:
        parrafos.append(md(propio))
    return parrafos


def lista_marco_normativo(prep) -> str | None:
    """Las normas de `presentacion.marco_normativo` como lista de Markdown, o None si los
    parámetros no las dan (la sección no muestra el título)."""
    normas = prep.parametros.presentacion.marco_normativo
    if not normas:
        return None
    return "\n".join(f"- {md(norma)}" for norma in normas)


def mision_y_vision(prep) -> list[str]:
    """'**Misión.** ...' y '**Visión.** ...', sólo las que dan los parámetros."""
    p = prep.parametros.presentacion
    return [f"**{etiqueta}.** {md(texto)}"
            for etiqueta, texto in (("Misión", p.mision), ("Visión", p.vision)) if texto]


def tabla_articulacion(prep) -> pd.DataFrame:
    """Cada ACP con su AMP, su descripción y su resultado esperado, agrupadas por AMP en el
    orden en que aparecen en la hoja acp; sin la columna codigo_amp si el libro no la llena."""
    acp = prep.acp[["codigo_amp", "codigo_acp", "descripcion", "resultado_esperado"]].copy()
    if not acp["codigo_amp"].astype(str).str.strip().ne("").any():
        return acp.drop(columns="codigo_amp")
    orden = {amp: i for i, amp in enumerate(pd.unique(acp["codigo_amp"]))}
    acp["_orden"] = acp["codigo_amp"].map(orden)
    # Un código como «AMP 1» no se parte en dos renglones: espacio de no separación.
    acp["codigo_amp"] = acp["codigo_amp"].astype(str).str.replace(" ", "\u00a0", regex=False)
    return (acp.sort_values("_orden", kind="stable").drop(columns="_orden")
            .reset_index(drop=True))


def parrafo_articulacion(prep) -> str:
    """Cuántas AMP y ACP, qué AMP se alcanzan con más de una ACP y qué ACP no indican AMP."""
    acp = prep.acp
    con_amp = acp[acp["codigo_amp"].astype(str).str.strip().ne("")]
    n_acp = contar(len(acp), "acción", "acciones")
    if con_amp.empty:
        return (f"El libro no vincula las {n_acp} de corto plazo del POA {prep.gestion} con "
                "acciones de mediano plazo (columna codigo_amp de la hoja acp, vacía).")
    grupos = con_amp.groupby("codigo_amp", sort=False)["codigo_acp"].apply(list)
    varias = [f"la {md(amp)} con las ACP {enumerar([md(c) for c in acps])}"
              for amp, acps in grupos.items() if len(acps) > 1]
    texto = (f"Las {n_acp} de corto plazo (ACP) del POA {prep.gestion} operativizan "
             f"{contar(len(grupos), 'acción', 'acciones')} de mediano plazo (AMP) del plan "
             "estratégico institucional")
    if varias:
        solas = sum(1 for acps in grupos if len(acps) == 1)
        texto += (f": {contar(solas, 'AMP se alcanza', 'AMP se alcanzan')} con una sola ACP"
                  f" y {enumerar(varias)}" if solas else f": {enumerar(varias)}")
    else:
        texto += ", una ACP por cada AMP"
    texto += ". El cuadro muestra qué resultado espera el POA de cada una."
    sin_amp = acp[~acp.index.isin(con_amp.index)]
    if len(sin_amp):
        texto += (f" {contar(len(sin_amp), 'ACP no indica', 'ACP no indican')} su AMP en el "
                  f"libro: {enumerar([md(c) for c in sin_amp['codigo_acp']])}.")
    return texto


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
                      f"{pct(rojo)} al corte del {_trimestre_nombre(prep.trimestre)})")
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


def _por_area(prep, filas: pd.DataFrame,
              columna: str = "codigo_unidad") -> list[tuple[str, pd.DataFrame]]:
    """Las filas agrupadas por el área de su unidad, en el orden de las áreas."""
    area = filas[columna].map(_area_de(prep))
    return [(a, filas[area == a]) for a in _orden_areas(prep) if (area == a).any()]


def _sublista(lineas: list[str]) -> str:
    """Una lista anidada dentro de un elemento de lista (cuatro espacios de sangría)."""
    return "".join(f"\n    - {linea}" for linea in lineas)


def conclusiones_umbrales(prep) -> list[str]:
    """Qué áreas y unidades quedan bajo los umbrales y por qué (sus dificultades). Cada
    frase es un elemento de lista; las unidades van en una lista anidada, por área."""
    escala = prep.metodologia.escala_calificacion
    nombres = _nombres(prep)
    unidad = prep.tablas["unidad"]
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"]
    areas_bajo = bajo_umbral(areas, escala)
    unidades_bajo = bajo_umbral(unidad, escala)
    frases = []

    # Avance físico: áreas y unidades en los grados bajos.
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
        texto += f", ni ninguna de las {n_unidades} con metas en el trimestre."
    else:
        texto += (f"; de las {n_unidades} con metas en el trimestre, "
                  f"{formatear_entero(len(fis_unidades))} "
                  f"{'queda' if len(fis_unidades) == 1 else 'quedan'} en ellos:")
        lineas = []
        for a, g in _por_area(prep, fis_unidades):
            por_calificacion = [
                f"{_lista_nombres([md(nombres[u]) for u in de_cal['codigo_unidad']], 'unidades')} "
                f"(calificación {md(cal)})"
                for cal, de_cal in g.groupby("calificacion_trimestre", sort=False)
            ]
            lineas.append(f"{md(prep.nombre_area(a))} ({formatear_entero(len(g))}): "
                          + "; ".join(por_calificacion))
        texto += _sublista(lineas)
    frases.append(texto)

    # Ejecución financiera: áreas y unidades con semáforo rojo.
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
        texto += f", ni ninguna de las {n_unidades} con presupuesto propio."
    else:
        presupuesto_area = unidad[con_presupuesto].groupby("area").size()
        texto += (f"; de las {n_unidades} con presupuesto propio, "
                  f"{formatear_entero(len(fin_unidades))} "
                  f"{'lo está' if len(fin_unidades) == 1 else 'lo están'}:")
        texto += _sublista([
            f"{md(prep.nombre_area(a))} ({formatear_entero(len(g))} de "
            f"{formatear_entero(presupuesto_area.get(a, 0))}): "
            + _lista_nombres([md(nombres[u]) for u in g["codigo_unidad"]], "unidades")
            for a, g in _por_area(prep, fin_unidades)
        ])
    frases.append(texto)

    # Por qué: las dificultades que registraron esas unidades.
    if not unidades_bajo.empty:
        citadas = dificultades_citadas(prep)
        motivo = {u.codigo_unidad: _motivo(u) for u in unidades_bajo.itertuples()}
        explican = list(pd.unique(citadas["codigo_unidad"]))
        total = len(unidades_bajo)
        periodo = _trimestre_nombre(prep.trimestre)
        if not explican:
            frases.append(
                f"Ninguna de las {contar(total, 'unidad', 'unidades')} bajo los umbrales "
                f"registró una dificultad para el {periodo} en la hoja narrativa: el informe no "
                "puede explicar su situación con sus palabras."
            )
        else:
            resto = total - len(explican)
            otras = "la otra" if resto == 1 else f"las otras {formatear_entero(resto)}"
            verbo = "registró" if resto == 1 else "registraron"
            cierre = f"; {otras} no {verbo} ninguna" if resto else ""
            frases.append(
                f"Explicaciones: de las {contar(total, 'unidad', 'unidades')} bajo los umbrales, "
                f"{formatear_entero(len(explican))} "
                f"{'registró' if len(explican) == 1 else 'registraron'} en la hoja narrativa "
                f"una dificultad del {periodo}, que se cita a continuación{cierre}."
                + _sublista([f"{md(nombres[d.codigo_unidad])} ({motivo[d.codigo_unidad]}): "
                             f"«{md(d.texto)}»" for d in citadas.itertuples()])
            )
    return frases


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
    return pd.Series({c: _diferencia(ahora[c], antes[c]) for c in orden if c in con_valor},
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
        claves, valor = _extremo(suben, mayor=True)
        extremos.append(f"la mayor mejora, {_puntos(valor)}: "
                        f"{_nombrar([nombre(c) for c in claves], sustantivo_plural)}")
    if len(bajan):
        claves, valor = _extremo(bajan, mayor=False)
        extremos.append(f"el mayor retroceso, {_puntos(valor)}: "
                        f"{_nombrar([nombre(c) for c in claves], sustantivo_plural)}")
    if extremos:
        texto += "; " + "; ".join(extremos)
    return texto + "."


def conclusiones_trimestre_anterior(prep, anterior: dict[str, pd.DataFrame] | None) -> list[str]:
    """La entidad, las áreas y las unidades frente al corte anterior de la misma gestión; en
    el primer trimestre, que no lo hay."""
    if anterior is None:
        return [f"El {_trimestre_nombre(prep.trimestre)} es el primer corte de la gestión "
                f"{prep.gestion}: no hay un trimestre anterior con que compararlo."]
    previo = _trimestre_nombre(prep.trimestre - 1)
    frases = []
    t_ahora = prep.tablas["acp"].set_index("codigo_acp").loc["TOTAL"]
    t_antes = anterior["entidad"].iloc[0]
    partes = []
    for columna, indicador in (("avance_fisico_trimestre", "el avance físico del trimestre"),
                               ("ejecucion_trimestre", "la ejecución financiera del trimestre")):
        if pd.isna(t_ahora[columna]) or pd.isna(t_antes[columna]):
            continue
        dif = _diferencia(t_ahora[columna], t_antes[columna])
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
        diferencias = _comparar_series(areas[columna], antes[columna], _orden_areas(prep))
        frase = _frase_cambios(diferencias, nombre_area, indicador, "área", "áreas")
        if frase:
            frases.append(frase)

    rojo_ahora = list(areas.index[areas["semaforo"].eq("rojo")])
    rojo_antes = list(antes.index[antes["semaforo"].eq("rojo")])
    frases.append(_frase_conjuntos(rojo_ahora, rojo_antes, nombre_area, previo,
                                  ("área", "áreas"), "en rojo en el semáforo financiero"))

    escala = prep.metodologia.escala_calificacion
    nombres = _nombres(prep)

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
            dif = _comparar_series(actual[columna], previa[columna], _orden_areas(prep))
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
                    claves, valor = _extremo(grupo, mayor=mayor_primero)
                    detalle = (f" (la mayor diferencia, {_puntos(valor)}: "
                               f"{_nombrar([nombre_area(c) for c in claves], 'áreas')})")
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


# --------------------------------------------------------------------------------------
# Resultados por acción de corto plazo


def _narrativa_resultados(prep) -> pd.DataFrame:
    narr = prep.narrativa
    return narr[narr["tipo"].isin(list(TIPOS_RESULTADO))]


def parrafo_resultados(prep) -> str:
    """Qué muestra la sección y cuántos logros y dificultades hay, por ACP."""
    narr = _narrativa_resultados(prep)
    acp = prep.acp
    periodo = _trimestre_nombre(prep.trimestre)
    texto = (
        "Para cada acción de corto plazo (ACP): su descripción, el resultado que espera el "
        f"POA, sus cifras al {prep.fecha_corte} y lo que las unidades organizacionales "
        f"registraron en la hoja narrativa como logros y dificultades del {periodo}, "
        "agrupado por área organizacional y transcrito tal como lo escribieron."
    )
    if narr.empty:
        return texto + (f" Ninguna unidad registró logros ni dificultades para el {periodo}.")
    conteo = narr["tipo"].value_counts()
    formas = {"logro": ("logro", "logros"), "dificultad": ("dificultad", "dificultades")}
    cuantos = enumerar([contar(int(conteo[t]), *formas[t]) for t in TIPOS_RESULTADO
                        if t in conteo])
    con_acp = narr[narr["codigo_acp"].astype(str).str.strip().ne("")]
    acps = [c for c in acp["codigo_acp"] if c in set(con_acp["codigo_acp"])]
    quienes = narr["codigo_unidad"].nunique()
    texto += f" {contar(quienes, 'unidad registró', 'unidades registraron')} {cuantos}"
    sin = [md(c) for c in acp["codigo_acp"] if c not in acps]
    if not acps:
        texto += ", ninguno vinculado a una ACP"
    elif not sin:
        texto += f", que abarcan las {contar(len(acp), 'ACP', 'ACP')}"
    else:
        texto += (f", que abarcan {formatear_entero(len(acps))} de las "
                  f"{contar(len(acp), 'ACP', 'ACP')} (sin registros: "
                  f"{'la ACP' if len(sin) == 1 else 'las ACP'} {enumerar(sin)})")
    sueltos = len(narr) - len(con_acp)
    if sueltos:
        texto += (f", y {contar(sueltos, 'registro no indica', 'registros no indican')} su "
                  "ACP (van al final)")
    return texto + "."


def titulo_acp(codigo) -> str:
    """El título de la ACP: '## Acción de corto plazo 1'."""
    return f"## Acción de corto plazo {md(codigo)}"


def ficha_acp(prep, codigo) -> str:
    """Descripción, resultado esperado y cifras al corte de la ACP (eficacia acumulada,
    avance físico acumulado con su calificación, ejecución financiera acumulada con su
    semáforo)."""
    fila_acp = prep.acp.set_index("codigo_acp").loc[codigo]
    cifras = prep.tablas["acp"].set_index("codigo_acp").loc[codigo]
    partes = [f"**Descripción:** {md(fila_acp['descripcion'])}"]
    resultado = str(fila_acp.get("resultado_esperado", "") or "").strip()
    partes.append(f"**Resultado esperado:** {md(resultado)}" if resultado else
                  "**Resultado esperado:** el libro no lo indica (columna resultado_esperado).")
    if pd.isna(cifras["avance_fisico_acumulado"]):
        fisico = ("no tenía metas programadas hasta el corte, por lo que no tiene eficacia ni "
                  "avance físico")
    else:
        calificacion = (f" (calificación {md(cifras['calificacion_acumulada'])})"
                        if cifras["calificacion_acumulada"] else "")
        fisico = (f"su eficacia acumulada es {pct(cifras['eficacia_acumulada'])} del programa "
                  f"anual y su avance físico acumulado, {pct(cifras['avance_fisico_acumulado'])}"
                  f"{calificacion}")
    if pd.isna(cifras["ejecucion_acumulada"]):
        financiero = "no tiene presupuesto vigente asignado"
    else:
        semaforo = f", semáforo {md(cifras['semaforo'])}" if cifras["semaforo"] else ""
        financiero = (f"su ejecución financiera acumulada es "
                      f"{pct(cifras['ejecucion_acumulada'])} de un presupuesto vigente de Bs "
                      f"{formatear_monto(cifras['vigente'])}{semaforo}")
    partes.append(f"**Cifras al corte:** al {prep.fecha_corte}, {fisico}; {financiero}.")
    return "\n\n".join(partes)


def _bloques_por_area(prep, filas: pd.DataFrame, con_acp: bool = False) -> list[str]:
    """Cada área con sus filas de la hoja narrativa: '**Área:** nombre' y una lista con el
    texto y la unidad (y la ACP, si `con_acp`)."""
    nombres = _nombres(prep)
    bloques = []
    for area, grupo in _por_area(prep, filas):
        lineas = []
        for f in grupo.itertuples():
            acp = (f"; ACP {md(f.codigo_acp)}" if con_acp and str(f.codigo_acp).strip() else "")
            lineas.append(f"- {md(f.texto)} ({md(nombres[f.codigo_unidad])}{acp})")
        bloques.append(f"**Área:** {md(prep.nombre_area(area))}\n\n" + "\n".join(lineas))
    return bloques


def _aviso_citadas(prep, citadas: pd.DataFrame) -> str:
    """Dónde están las dificultades que se citan en las conclusiones."""
    nombres = _nombres(prep)
    unidades = [md(nombres[u]) for u in pd.unique(citadas["codigo_unidad"])]
    de = (f"de una unidad bajo los umbrales ({unidades[0]})" if len(unidades) == 1 else
          f"de {formatear_entero(len(unidades))} unidades bajo los umbrales "
          f"({_lista_nombres(unidades, 'unidades')})")
    if len(citadas) == 1:
        return f"La dificultad {de} se cita en las conclusiones, junto a su situación."
    return (f"Las {contar(len(citadas), 'dificultad', 'dificultades')} {de} se citan en las "
            "conclusiones, junto a su situación.")


def narrativa_de_acp(prep, codigo) -> list[str]:
    """Los bloques de Markdown de la ACP: '### Logros' y '### Dificultades' con sus filas
    por área; las dificultades citadas en las conclusiones, sólo como aviso. Sin ninguna
    fila, una frase que lo dice."""
    narr = _narrativa_resultados(prep)
    de_acp = narr[narr["codigo_acp"] == codigo]
    periodo = _trimestre_nombre(prep.trimestre)
    if de_acp.empty:
        return [f"Ninguna unidad registró logros ni dificultades de la ACP {md(codigo)} para "
                f"el {periodo}."]
    return _bloques_narrativa(prep, de_acp, f"de esta ACP para el {periodo}", con_acp=False)


def narrativa_sin_acp(prep) -> list[str]:
    """Logros y dificultades que no indican ACP (vacío si no hay)."""
    narr = _narrativa_resultados(prep)
    sueltos = narr[narr["codigo_acp"].astype(str).str.strip().eq("")]
    if sueltos.empty:
        return []
    return ["## Logros y dificultades sin ACP indicada",
            *_bloques_narrativa(prep, sueltos, f"sin ACP para el "
                                f"{_trimestre_nombre(prep.trimestre)}", con_acp=False)]


def _bloques_narrativa(prep, filas: pd.DataFrame, que: str, con_acp: bool) -> list[str]:
    citadas_todas = dificultades_citadas(prep)
    claves_citadas = set(zip(citadas_todas["codigo_unidad"], citadas_todas["texto"]))
    bloques = []
    for tipo, titulo in TIPOS_RESULTADO.items():
        del_tipo = filas[filas["tipo"] == tipo]
        citadas = del_tipo[[(u, t) in claves_citadas
                            for u, t in zip(del_tipo["codigo_unidad"], del_tipo["texto"])]]
        propias = del_tipo.drop(index=citadas.index)
        if del_tipo.empty:
            bloques.append(f"Ninguna unidad registró {titulo.lower()} {que}.")
            continue
        bloques.append(f"### {titulo}")
        bloques.extend(_bloques_por_area(prep, propias, con_acp))
        if len(citadas):
            bloques.append(_aviso_citadas(prep, citadas))
    return bloques


# --------------------------------------------------------------------------------------
# Recomendaciones


def _recomendaciones(prep) -> pd.DataFrame:
    narr = prep.narrativa
    return narr[narr["tipo"] == RECOMENDACION]


def recomendaciones_planificacion(prep) -> list[str]:
    """Las recomendaciones de la unidad de planificación: las de los parámetros y, si se
    nombra la unidad, las que ella registró en la hoja narrativa (vacío si no hay)."""
    propias = [md(r) for r in prep.parametros.presentacion.recomendaciones]
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is not None:
        nombre_unidad_planificacion(prep)  # un código inexistente es un error de entrada
        recs = _recomendaciones(prep)
        propias += [md(t) for t in recs[recs["codigo_unidad"] == codigo]["texto"]]
    return propias


def titulo_planificacion(prep, nivel: int = 2) -> str:
    """El título de las recomendaciones de la unidad de planificación, con su nombre si los
    parámetros la nombran: '## De la unidad de planificación: Dirección General de ...'."""
    nombre = nombre_unidad_planificacion(prep)
    texto = "De la unidad de planificación" + (f": {md(nombre)}" if nombre else "")
    return f"{'#' * nivel} {texto}"


def recomendaciones_unidades(prep) -> list[str]:
    """Las recomendaciones de las demás unidades (sin la de planificación), por área, cada
    una con su unidad y su ACP."""
    recs = _recomendaciones(prep)
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is not None:
        recs = recs[recs["codigo_unidad"] != codigo]
    return _bloques_por_area(prep, recs, con_acp=True)


def parrafo_recomendaciones(prep) -> str:
    """Cuántas recomendaciones hay y de quién; si no hay ninguna, lo dice."""
    planificacion = len(recomendaciones_planificacion(prep))
    recs = _recomendaciones(prep)
    codigo = prep.parametros.presentacion.unidad_planificacion
    unidades = recs[recs["codigo_unidad"] != codigo] if codigo is not None else recs
    periodo = _trimestre_nombre(prep.trimestre)
    if not planificacion and unidades.empty:
        return (f"Ni la unidad de planificación ni las unidades organizacionales registraron "
                f"recomendaciones para el {periodo}.")
    partes = []
    if planificacion:
        partes.append(f"{formatear_entero(planificacion)} de la unidad de planificación")
    if len(unidades):
        quienes = contar(unidades["codigo_unidad"].nunique(), "unidad organizacional",
                         "unidades organizacionales")
        partes.append(f"{formatear_entero(len(unidades))} de {quienes}, transcritas tal como "
                      "las registraron en la hoja narrativa")
    total = planificacion + len(unidades)
    return (f"Se recogen {contar(total, 'recomendación', 'recomendaciones')} para el "
            f"{periodo}: " + " y ".join(partes) + ".")
