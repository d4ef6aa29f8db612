"""Los textos de la introducción: propósito y alcance del informe, lo que no incluye y por
qué, marco normativo, misión y visión, y la articulación de las ACP con las acciones de
mediano plazo (hoja acp).

Entra: el `Preparado` de la sección (``prep``: parámetros, hojas del libro y tablas
calculadas). Sale: párrafos y listas de Markdown y, para el cuadro de la articulación, un
``DataFrame``. Lo usan la introducción del informe trimestral y la de la rendición de
cuentas (notebooks/comun/01_introduccion); las reglas de redacción, en
``helpers.redaccion.analisis``.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.contenido import Ausencia, ausencias, tiene_articulacion
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.redaccion.analisis import (
    contar,
    la_unidad_de_planificacion,
    nombre_trimestre,
    orden_areas,
)
from helpers.redaccion.textos import enumerar

__all__ = [
    "articulacion_en_la_introduccion",
    "frase_no_incluye",
    "lista_marco_normativo",
    "mision_y_vision",
    "parrafo_articulacion",
    "parrafos_introduccion",
    "tabla_articulacion",
]


def frase_grupos(prep) -> str:
    """Los grupos de áreas de la entidad con el nombre que ella les da (`organizacion`): «Por
    nivel: Oficina Nacional (6 áreas, 20 unidades) y Departamental (9 áreas, 27 unidades).»"""
    grupos = [
        f"{md(grupo)} ({contar(del_grupo['area'].nunique(), 'área', 'áreas')}, "
        f"{contar(len(del_grupo), 'unidad', 'unidades')})"
        for grupo, del_grupo in prep.unidades.groupby("servicio", sort=False)
    ]
    return f"Por {md(prep.agrupacion)}: {enumerar(grupos)}."


def _operaciones_evaluadas(operacion: pd.DataFrame, columna: str) -> pd.DataFrame:
    return operacion[operacion[columna] == m.ESTADO_PROGRAMADA]


def parrafos_introduccion(prep) -> list[str]:
    """Propósito, periodo y corte; alcance (ACP, áreas por nombre, unidades por servicio,
    operaciones evaluadas); y el párrafo propio de los parámetros, si lo hay."""
    periodo = prep.periodo[0].lower() + prep.periodo[1:]
    planificacion = la_unidad_de_planificacion(prep)
    quien = f"Lo elabora {planificacion} con " if planificacion else "Se elabora con "
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
             for i, a in enumerate(a for a in orden_areas(prep) if a in por_area)]
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
    if prep.hay_grupos:
        alcance += " " + frase_grupos(prep)

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
    no_incluye = frase_no_incluye(prep)
    if no_incluye:
        parrafos.append(no_incluye)
    propio = prep.parametros.presentacion.introduccion
    if propio:
        parrafos.append(md(propio))
    return parrafos


# Lo que el informe no incluye, como lo nombra la introducción (las claves de
# `calculo.contenido.CONTENIDOS`); las recomendaciones, en `_no_incluido`.
NO_INCLUIDO = {
    "articulacion": "la articulación con el Plan de Desarrollo Económico y Social (PDES)",
    "logros": "los logros y las dificultades de las unidades organizacionales",
    "servicios": "los servicios prestados a la población",
    "fuentes": "la ejecución por fuente de financiamiento",
    "ingresos": "la ejecución de ingresos",
    "tendencia": "la comparación con gestiones anteriores",
}


def _no_incluido(prep, contenido: str) -> str:
    """Cómo se nombra lo que no va. Las recomendaciones de la unidad de planificación pueden
    venir de los parámetros: entonces faltan sólo las de las demás unidades."""
    if contenido != "recomendaciones":
        return NO_INCLUIDO[contenido]
    if prep.parametros.presentacion.recomendaciones:
        return "las recomendaciones de las unidades organizacionales"
    return "recomendaciones"


def _motivo_del_periodo(prep, hoja: str, contenidos: list[str]) -> str:
    """Por qué una hoja con filas no sirve a este informe: no trae lo del periodo."""
    periodo = (f"de {prep.acumulado}" if prep.de_gestion
               else f"del {nombre_trimestre(prep.trimestre)}")
    if hoja == "historico":
        return f"la hoja historico no trae gestiones anteriores a {prep.gestion}"
    if hoja == "presupuesto":
        return "la hoja presupuesto no indica la fuente de financiamiento de ninguna línea"
    if hoja == "narrativa":
        que = (["logros", "dificultades"] if "logros" in contenidos else []) + (
            ["recomendaciones"] if "recomendaciones" in contenidos else [])
        return f"la hoja narrativa no tiene {enumerar(que, 'ni')} {periodo}"
    return f"la hoja {hoja} no tiene datos {periodo}"


def _motivos(prep, faltan: list[Ausencia]) -> list[str]:
    """Las hojas sin datos, en una cláusula; después, cada hoja con filas que no sirven."""
    vacias = list(dict.fromkeys(a.hoja for a in faltan if a.sin_datos))
    motivos = []
    if vacias:
        hojas = "la hoja" if len(vacias) == 1 else "las hojas"
        motivos.append(f"el libro no trae datos en {hojas} {enumerar(vacias, 'ni')}")
    por_hoja: dict[str, list[str]] = {}
    for a in faltan:
        if not a.sin_datos:
            por_hoja.setdefault(a.hoja, []).append(a.contenido)
    motivos += [_motivo_del_periodo(prep, hoja, contenidos)
                for hoja, contenidos in por_hoja.items()]
    return motivos


def frase_no_incluye(prep) -> str | None:
    """Lo que este informe no incluye porque el libro no lo trae, y por qué, en una frase:
    'Este informe no incluye la comparación con gestiones anteriores ni la ejecución de
    ingresos: el libro no trae datos en las hojas ingresos ni historico.' None si no falta
    nada (`calculo.contenido.ausencias`)."""
    faltan = ausencias(prep.datos, prep.parametros)
    if not faltan:
        return None
    que = enumerar([_no_incluido(prep, a.contenido) for a in faltan], "ni")
    return f"Este informe no incluye {que}: {enumerar(_motivos(prep, faltan))}."


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


def articulacion_en_la_introduccion(prep) -> bool:
    """Si la introducción lleva la articulación de las ACP con las AMP (hoja acp): en el
    informe trimestral, siempre; en la rendición de cuentas, sólo si el libro no trae la
    hoja articulacion (con ella, la articulación tiene su propia sección, con el PDES)."""
    return not prep.de_gestion or not tiene_articulacion(prep.datos)


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
