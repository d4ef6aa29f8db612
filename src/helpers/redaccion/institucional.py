"""Las secciones institucionales de la Rendición Pública de Cuentas: la articulación del POA
con la planificación nacional, sectorial e institucional (PDES → PEI → ACP), la estructura
organizacional (áreas, servicios y tipos de unidad) y los servicios prestados a la población
(hoja `estadisticas`).

Como en ``helpers.redaccion.textos``: ningún número, conteo ni nombre se escribe a mano, todo
sale de las hojas del libro y de las tablas calculadas; las frases son Markdown y todo texto
del libro entra con ``md`` (``helpers.comun.literal.markdown``); las áreas se nombran con
su nombre (``prep.nombre_area``) y las unidades con el suyo.

Las funciones de cálculo reciben tablas (``DataFrame``) y se prueban con tablas pequeñas
hechas a mano; las que reciben ``prep`` sólo las conectan con lo que abre cada sección.
La tabla de la articulación se arma en ``helpers.calculo.articulacion``; aquí se presenta
como cuadro HTML.
Los gráficos usan el estilo de ``helpers.redaccion.graficos`` (su tema, su figura del ancho
de la página y sus barras rotuladas) y los colores de ``helpers.redaccion.paleta``.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers.calculo.anual import COLUMNAS_MES_ESTADISTICA, NIVEL_DETALLE
from helpers.calculo.articulacion import hay_articulacion, tabla_articulacion, texto_limpio
from helpers.calculo.tablas import TOTAL
from helpers.comun.calendario import MESES_CORTO
from helpers.comun.literal import CLASE_SIN_MATEMATICA
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import GUION, formatear_entero, formatear_numero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.entrada.agrupacion import grupos
from helpers.redaccion import analisis, graficos, introduccion, paleta, presentacion
from helpers.redaccion.textos import enumerar

__all__ = [
    "COLUMNAS_ARTICULACION",
    "SIN_DESAGREGAR",
    "SIN_TIPO",
    "TOTAL",
    "articulacion_html",
    "cuadro_articulacion",
    "cuadro_areas",
    "cuadro_por_unidad",
    "cuadro_servicio",
    "titulo_tipos",
    "cuadro_tipos",
    "dimension_servicio",
    "frase_servicio",
    "grafico_servicio",
    "indicadores",
    "meses_del_corte",
    "parrafo_articulacion",
    "parrafo_estructura",
    "parrafo_servicios",
    "pivote_servicio",
    "servicios_por_unidad",
    "unidades_por_area",
    "unidades_por_tipo",
]

SIN_TIPO = "Sin tipo"
SIN_DESAGREGAR = "Sin desagregar"

# ---------------------------------------------------------------------------------------
# Articulación: PDES (eje → meta → resultado) → PEI (acción de mediano plazo) → ACP
# ---------------------------------------------------------------------------------------

# Las columnas del cuadro, de lo más general a lo más particular, con su título: las de
# `calculo.articulacion.JERARQUIA_ARTICULACION` y la descripción de la ACP.
COLUMNAS_ARTICULACION = {
    "eje_pdes": "Eje del PDES",
    "meta_pdes": "Meta del PDES",
    "resultado_pdes": "Resultado del PDES",
    "codigo_amp": "AMP",
    "accion_pei": "Acción de mediano plazo (PEI)",
    "codigo_acp": "ACP",
    "descripcion_acp": "Acción de corto plazo",
}
_CODIGOS_ARTICULACION = {"codigo_amp", "codigo_acp"}


def _tramos(tabla: pd.DataFrame, columnas: Sequence[str]) -> list[list[int]]:
    """Para cada fila y columna, cuántas filas abarca la celda (rowspan): una celda se une
    con las de abajo mientras su valor y los de todas las columnas de su izquierda se
    repitan; 0 si la cubre la de arriba. La última columna (la descripción de la ACP) y la
    ACP nunca se unen: cada fila es una ACP."""
    n = len(tabla)
    valores = tabla[list(columnas)].to_numpy(dtype=object)
    unibles = [c not in ("codigo_acp", "descripcion_acp") for c in columnas]
    tramos = [[1] * len(columnas) for _ in range(n)]
    for j in range(len(columnas)):
        if not unibles[j]:
            continue
        inicio = 0
        for i in range(1, n + 1):
            corta = i == n or any(valores[i][k] != valores[i - 1][k] for k in range(j + 1))
            if corta:
                tramos[inicio][j] = i - inicio
                for k in range(inicio + 1, i):
                    tramos[k][j] = 0
                inicio = i
    return tramos


def articulacion_html(tabla: pd.DataFrame, nombre: str = "articulacion") -> str:
    """El cuadro de la articulación como HTML: los valores que se repiten en las columnas
    jerárquicas (eje, meta, resultado, AMP, acción del PEI) se escriben una sola vez, en una
    celda que abarca las filas de su grupo (rowspan). Las mismas clases que
    ``presentacion.tabla`` (`tabla-informe`, sin MathJax, códigos sin partir) y todo texto
    escapado con ``html.escape``; una celda vacía, «—». Las filas sin sombreado alterno: con
    celdas unidas, las franjas se confundirían con los grupos."""
    columnas = list(tabla.columns)
    cabecera = "".join(f'<th class="txt">{html.escape(COLUMNAS_ARTICULACION.get(c, c))}</th>'
                       for c in columnas)
    tramos = _tramos(tabla, columnas)
    filas = []
    for i, fila in enumerate(tabla.itertuples(index=False)):
        celdas = []
        for j, col in enumerate(columnas):
            alto = tramos[i][j]
            if alto == 0:
                continue
            valor = getattr(fila, col)
            texto = html.escape(str(valor)) if valor else GUION
            clase = "txt codigo" if col in _CODIGOS_ARTICULACION else "txt"
            abarca = f' rowspan="{alto}"' if alto > 1 else ""
            celdas.append(f'<td class="{clase}"{abarca}>{texto}</td>')
        filas.append(f'<tr style="background: #ffffff;">{"".join(celdas)}</tr>')
    return (
        f'<table class="tabla-informe {CLASE_SIN_MATEMATICA}" '
        f'id="tabla-{presentacion.identificador(nombre)}">'
        f"<thead><tr>{cabecera}</tr></thead><tbody>{''.join(filas)}</tbody></table>"
    )


def _distintos(serie: pd.Series) -> int:
    return int(texto_limpio(serie).replace("", np.nan).dropna().nunique())


def _sujeto_acp(n: int) -> str:
    """'La acción de corto plazo (ACP)', 'Las 7 acciones de corto plazo (ACP)'."""
    if n == 1:
        return "La acción de corto plazo (ACP)"
    return f"Las {formatear_entero(n)} acciones de corto plazo (ACP)"


def parrafo_articulacion(prep) -> str:
    """La frase que abre la sección: cuántas ACP se articulan con cuántas acciones de mediano
    plazo del PEI y con cuántos resultados, metas y ejes del PDES (de la hoja articulacion),
    y qué ACP de la hoja acp no figuran en ella. Sin la hoja: que el libro no la trae y que
    el cuadro muestra la relación ACP → AMP de la hoja acp
    (``introduccion.parrafo_articulacion``)."""
    art = prep.datos.articulacion
    if not hay_articulacion(art):
        return ("El libro del POA no trae la hoja articulacion (del PDES y del PEI a cada "
                "ACP): el cuadro muestra sólo la relación de cada acción de corto plazo con "
                "su acción de mediano plazo, según la hoja acp. "
                + introduccion.parrafo_articulacion(prep))
    acps = list(dict.fromkeys(texto_limpio(art["codigo_acp"])))
    partes = []
    n_amp = _distintos(art["codigo_amp"]) or _distintos(art["accion_pei"])
    if n_amp:
        partes.append(f"con {analisis.contar(n_amp, 'acción', 'acciones')} de mediano plazo "
                      "(AMP) del Plan Estratégico Institucional (PEI)")
    pdes = [(_distintos(art[c]), s, p) for c, s, p in (
        ("resultado_pdes", "resultado", "resultados"), ("meta_pdes", "meta", "metas"),
        ("eje_pdes", "eje", "ejes"))]
    pdes = [analisis.contar(n, s, p) for n, s, p in pdes if n]
    if pdes:
        del_plan = "del Plan de Desarrollo Económico y Social (PDES)"
        if len(pdes) == 3:
            texto_pdes = f"con {pdes[0]} y {pdes[1]} de {pdes[2]} {del_plan}"
        else:
            texto_pdes = f"con {enumerar(pdes)} {del_plan}"
        partes.append(("y, a través de ellas, " if n_amp else "") + texto_pdes)
    verbo = "se articula" if len(acps) == 1 else "se articulan"
    texto = f"{_sujeto_acp(len(acps))} del POA {prep.gestion} {verbo} {' '.join(partes)}."
    if not partes:
        texto = (f"{_sujeto_acp(len(acps))} del POA {prep.gestion} figuran en la hoja "
                 "articulacion, sin ejes, metas ni resultados del PDES ni acciones del PEI.")
    faltan = [c for c in texto_limpio(prep.acp["codigo_acp"]) if c not in set(acps)]
    if faltan:
        texto += (f" {analisis.contar(len(faltan), 'ACP no figura', 'ACP no figuran')} en la "
                  f"hoja articulacion: {enumerar([md(c) for c in faltan])}.")
    return texto


def cuadro_articulacion(prep) -> str:
    """El cuadro de la sección: PDES → PEI → ACP (con la hoja articulacion) o, sin ella,
    ACP → AMP de la hoja acp (``introduccion.tabla_articulacion``), como HTML."""
    if hay_articulacion(prep.datos.articulacion):
        return articulacion_html(tabla_articulacion(prep.datos.articulacion, prep.acp))
    tabla = introduccion.tabla_articulacion(prep)
    return presentacion.tabla(
        tabla, list(tabla.columns),
        titulos={"codigo_amp": "AMP", "descripcion": "Acción de corto plazo",
                 "resultado_esperado": "Resultado esperado"},
        nombre="articulacion-acp")


# ---------------------------------------------------------------------------------------
# Estructura organizacional
# ---------------------------------------------------------------------------------------

def _tipos(unidades: pd.DataFrame) -> pd.Series:
    vacio = pd.Series("", index=unidades.index)
    tipo = texto_limpio(unidades["tipo"]) if "tipo" in unidades else vacio
    return tipo.replace("", SIN_TIPO)


def unidades_por_area(
    unidades: pd.DataFrame, nombres: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Una fila por área (en el orden de la hoja unidades) con su nombre (`nombres`: código
    → nombre; el código si no lo tiene), su grupo de áreas (columna servicio), cuántas
    unidades tiene y su composición por tipo de unidad («Dirección (3), Unidad (2)», de más
    a menos, los empates por orden alfabético); última fila TOTAL (los grupos presentes,
    todas las unidades y cuántos tipos distintos hay).
    Columnas: area, nombre, servicio, unidades, tipos."""
    nombres = nombres or {}
    tipos = _tipos(unidades)
    filas = []
    for area, del_area in unidades.groupby("area", sort=False):
        cuenta = tipos[del_area.index].value_counts()
        cuenta = sorted(cuenta.items(), key=lambda par: (-par[1], par[0]))
        filas.append({
            "area": area,
            "nombre": nombres.get(area, area),
            "servicio": " y ".join(grupos(del_area)),
            "unidades": len(del_area),
            "tipos": ", ".join(f"{t} ({formatear_entero(n)})" for t, n in cuenta),
        })
    n_tipos = tipos.nunique()
    filas.append({"area": TOTAL, "nombre": TOTAL,
                  "servicio": " y ".join(grupos(unidades)),
                  "unidades": len(unidades),
                  "tipos": f"{formatear_entero(n_tipos)} tipo{'' if n_tipos == 1 else 's'} "
                           "de unidad"})
    return pd.DataFrame(filas, columns=["area", "nombre", "servicio", "unidades", "tipos"])


def unidades_por_tipo(unidades: pd.DataFrame) -> pd.DataFrame:
    """Cuántas unidades hay de cada tipo en cada grupo de áreas: una fila por tipo («Sin
    tipo» si la hoja no lo indica), una columna por grupo presente (en el orden de la hoja) y
    `total`; última fila TOTAL. Los tipos van agrupados por el primer grupo en que aparecen
    y, en cada grupo, de más a menos unidades (los empates por orden alfabético)."""
    datos = pd.DataFrame({"tipo": _tipos(unidades), "servicio": unidades["servicio"]})
    servicios = grupos(unidades)
    cruce = pd.crosstab(datos["tipo"], datos["servicio"]).reindex(columns=servicios, fill_value=0)
    cruce["total"] = cruce.sum(axis=1)
    primer_servicio = cruce[servicios].gt(0).to_numpy().argmax(axis=1)
    cruce = cruce.assign(_grupo=primer_servicio, _nombre=cruce.index)
    cruce = cruce.sort_values(["_grupo", "total", "_nombre"], ascending=[True, False, True],
                              kind="stable").drop(columns=["_grupo", "_nombre"])
    tabla = cruce.reset_index().rename(columns={"index": "tipo"})
    tabla.columns.name = None
    total = {"tipo": TOTAL, **{c: int(tabla[c].sum()) for c in [*servicios, "total"]}}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    return tabla[["tipo", *servicios, "total"]]


def cuadro_areas(prep) -> str:
    """El cuadro de las áreas (``unidades_por_area``) como HTML."""
    tabla = unidades_por_area(prep.unidades, dict(zip(prep.areas["area"], prep.areas["nombre"])))
    grupo = ["servicio"] if prep.hay_grupos else []
    return presentacion.tabla(
        tabla, ["nombre", *grupo, "unidades", "tipos"],
        titulos={"nombre": "Área", "servicio": prep.organizacion.rotulo, "unidades": "Unidades",
                 "tipos": "Unidades por tipo"},
        clave_total="nombre", nombre="estructura-areas")


def titulo_tipos(prep) -> str:
    """El título del cuadro de tipos: «Unidades por tipo y servicio» con el nombre que la
    entidad da a su agrupación de áreas; sin grupos, «Unidades por tipo»."""
    grupo = f" y {md(prep.agrupacion)}" if prep.hay_grupos else ""
    return f"## Unidades por tipo{grupo}"


def cuadro_tipos(prep) -> str:
    """El cuadro de las unidades por tipo y servicio (``unidades_por_tipo``) como HTML."""
    tabla = unidades_por_tipo(prep.unidades)
    servicios = [c for c in tabla.columns if c not in ("tipo", "total")] if prep.hay_grupos else []
    return presentacion.tabla(
        tabla, ["tipo", *servicios, "total"],
        titulos={"tipo": "Tipo de unidad", "total": "Total"},
        formatos={c: "entero" for c in [*servicios, "total"]},
        clave_total="tipo", nombre="estructura-tipos")


def parrafo_estructura(prep) -> str:
    """Cuántas unidades organizacionales y cuántas áreas tiene la entidad, cuántas de cada
    servicio, el área con más unidades (con su parte del total; todas si empatan) y los
    tipos de unidad más numerosos (los tres primeros, más los que empaten con el tercero)."""
    unidades = prep.unidades
    n = len(unidades)
    areas = unidades_por_area(unidades, dict(zip(prep.areas["area"], prep.areas["nombre"])))
    areas = areas[areas["area"] != TOTAL]
    texto = (f"El {md(prep.entidad)} ejecuta su POA {prep.gestion} con "
             f"{analisis.contar(n, 'unidad organizacional', 'unidades organizacionales')}, "
             f"agrupadas en {analisis.contar(len(areas), 'área', 'áreas')}")
    por_servicio = []
    for servicio in grupos(unidades):
        del_servicio = unidades[unidades["servicio"] == servicio]
        n_areas = del_servicio["area"].nunique()
        por_servicio.append(
            f"{formatear_entero(len(del_servicio))} en {md(servicio)} "
            f"({analisis.contar(n_areas, 'área', 'áreas')})")
    texto += (f"; por {md(prep.agrupacion)}, " + enumerar(por_servicio) + "."
              if len(por_servicio) > 1 else ".")
    if len(areas) > 1:
        maximo = areas["unidades"].max()
        mayores = areas[areas["unidades"] == maximo]
        nombres = [md(x) for x in mayores["nombre"]]
        parte = pct(100 * maximo / n)
        if len(mayores) == 1:
            texto += (f" El área con más unidades es {nombres[0]}, con "
                      f"{formatear_entero(maximo)} ({parte} del total).")
        else:
            texto += (f" Las áreas con más unidades son {enumerar(nombres)}, con "
                      f"{formatear_entero(maximo)} cada una ({parte} del total cada una).")
    tipos = unidades_por_tipo(unidades)
    tipos = tipos[(tipos["tipo"] != TOTAL) & (tipos["tipo"] != SIN_TIPO)]
    if len(tipos) > 1:
        orden = tipos.sort_values(["total", "tipo"], ascending=[False, True], kind="stable")
        tercero = orden["total"].iloc[min(2, len(orden) - 1)]
        primeros = orden[orden["total"] >= tercero]
        if len(primeros) <= analisis.MAXIMO_NOMBRADAS:
            lista = [f"{md(t)} ({formatear_entero(c)})" for t, c in zip(primeros["tipo"],
                                                                         primeros["total"])]
            texto += f" Los tipos de unidad más numerosos son {enumerar(lista)}."
    return texto


# ---------------------------------------------------------------------------------------
# Servicios prestados a la población (hoja estadisticas)
# ---------------------------------------------------------------------------------------

def meses_del_corte(trimestre: int) -> list[int]:
    """Los meses de la gestión hasta el corte: 1 a 12 al T4, 1 a 6 con corte en junio."""
    return list(range(1, 3 * int(trimestre) + 1))


def _columnas_mes(meses: Sequence[int]) -> list[str]:
    return [COLUMNAS_MES_ESTADISTICA[m - 1] for m in meses]


def _detalle(estadisticas: pd.DataFrame) -> pd.DataFrame:
    return estadisticas[estadisticas["nivel"] == NIVEL_DETALLE]


def indicadores(estadisticas: pd.DataFrame) -> list[str]:
    """Los indicadores de la tabla de estadísticas, en el orden en que aparecen."""
    return list(pd.unique(_detalle(estadisticas)["indicador"]))


def dimension_servicio(estadisticas: pd.DataFrame, indicador: str) -> str:
    """Por qué se abren las filas del cuadro de un indicador: «desagregacion» si tiene más de
    una desagregación (o si lo reporta una sola unidad); «unidad» si no se desagrega (una
    sola o ninguna) pero lo reportan varias unidades."""
    filas = _detalle(estadisticas)
    filas = filas[filas["indicador"] == indicador]
    desagregaciones = texto_limpio(filas["desagregacion"]).nunique()
    if desagregaciones <= 1 and filas["codigo_unidad"].nunique() > 1:
        return "unidad"
    return "desagregacion"


def pivote_servicio(estadisticas: pd.DataFrame, indicador: str, meses: Sequence[int],
                    nombres: Mapping[str, str] | None = None,
                    dimension: str | None = None) -> pd.DataFrame:
    """El cuadro de un indicador: una fila por desagregación (o por unidad, con su nombre de
    `nombres`, según `dimension`; por omisión ``dimension_servicio``), sumadas todas las
    unidades que la reportan, con una columna por mes de `meses` (los del corte: los
    posteriores no aparecen), el `total` de la fila y una última fila TOTAL con la suma de
    cada mes. Un mes sin ningún dato queda vacío (no 0). Las filas de mayor a menor total
    (los empates, por orden alfabético; sin total, al final); la desagregación vacía es «Sin
    desagregar». Columnas: etiqueta, mes_01.., total."""
    dimension = dimension or dimension_servicio(estadisticas, indicador)
    nombres = nombres or {}
    columnas = _columnas_mes(meses)
    filas = _detalle(estadisticas)
    filas = filas[filas["indicador"] == indicador]
    if dimension == "unidad":
        etiqueta = filas["codigo_unidad"].map(lambda c: nombres.get(c, c))
    else:
        etiqueta = texto_limpio(filas["desagregacion"]).replace("", SIN_DESAGREGAR)
    datos = filas[columnas].apply(pd.to_numeric).assign(etiqueta=etiqueta.to_numpy())
    tabla = datos.groupby("etiqueta", sort=False)[columnas].sum(min_count=1)
    tabla["total"] = tabla[columnas].sum(axis=1, min_count=1)
    tabla = tabla.reset_index().sort_values(["total", "etiqueta"], ascending=[False, True],
                                            kind="stable", na_position="last")
    total = {"etiqueta": TOTAL, **{c: tabla[c].sum(min_count=1) for c in [*columnas, "total"]}}
    return pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)[["etiqueta", *columnas,
                                                                          "total"]]


def _formato_valores(valores) -> str:
    """«entero» si todos los valores son enteros (cantidades de trámites); si no, «monto»
    (dos decimales)."""
    v = pd.to_numeric(pd.Series(list(valores), dtype=object), errors="coerce").dropna()
    return "entero" if bool((v == v.round()).all()) else "monto"


def _cifra(valor, formato: str) -> str:
    return formatear_entero(valor) if formato == "entero" else formatear_numero(valor)


def cuadro_servicio(pivote: pd.DataFrame, dimension: str = "desagregacion",
                    nombre: str = "servicio") -> str:
    """El cuadro de un indicador (``pivote_servicio``) como HTML: los meses con su nombre
    corto (Ene, Feb...), la fila TOTAL en negrita."""
    columnas = list(pivote.columns)
    meses = [c for c in columnas if c.startswith("mes_")]
    formato = _formato_valores(pivote[[*meses, "total"]].to_numpy().ravel())
    titulos = {"etiqueta": "Unidad" if dimension == "unidad" else "Desagregación",
               "total": "Total",
               **{c: MESES_CORTO[int(c[-2:]) - 1] for c in meses}}
    return presentacion.tabla(pivote, columnas, titulos=titulos,
                              formatos={c: formato for c in [*meses, "total"]},
                              clave_total="etiqueta", nombre=nombre)


def _unidades_de(estadisticas: pd.DataFrame, indicador: str) -> list[str]:
    filas = _detalle(estadisticas)
    return list(pd.unique(filas.loc[filas["indicador"] == indicador, "codigo_unidad"]))


def frase_servicio(pivote: pd.DataFrame, indicador: str, periodo: str,
                   n_unidades: int, dimension: str = "desagregacion") -> str:
    """La frase de un indicador: su total de `periodo` («enero a diciembre de 2024»), cuántas
    unidades lo reportan y la fila con más (desagregación o unidad) con su parte del total;
    si varias empatan, todas. Sin filas con valor, que no hay datos en el periodo."""
    total = pivote.loc[pivote["etiqueta"] == TOTAL, "total"].iloc[0]
    formato = _formato_valores(pivote["total"])
    if pd.isna(total):
        return f"**{md(indicador)}**: sin datos de {periodo}."
    quien = analisis.contar(n_unidades, "unidad", "unidades")
    texto = (f"El total de {periodo} es {_cifra(total, formato)}, según lo que "
             f"{'reporta' if n_unidades == 1 else 'reportan'} {quien}.")
    filas = pivote[(pivote["etiqueta"] != TOTAL) & pivote["total"].notna()]
    if len(filas) > 1 and total > 0:
        maximo = filas["total"].max()
        mayores = [md(e) for e in filas.loc[filas["total"] == maximo, "etiqueta"]]
        parte = pct(100 * maximo / total)
        sustantivo = "la unidad" if dimension == "unidad" else "la desagregación"
        if len(mayores) == 1:
            texto += (f" La mayor parte corresponde a {mayores[0]}: {_cifra(maximo, formato)}, "
                      f"el {parte} del total.")
        elif len(mayores) <= analisis.MAXIMO_NOMBRADAS:
            texto += (f" Las cifras más altas, empatadas, son las de {enumerar(mayores)}: "
                      f"{_cifra(maximo, formato)} cada una, el {parte} del total cada una.")
        else:
            texto += (f" {formatear_entero(len(mayores))} filas empatan con la cifra más alta "
                      f"({_cifra(maximo, formato)}, el {parte} del total cada una); no hay "
                      f"{sustantivo} que concentre la mayor parte.")
    elif len(filas) == 1 and dimension != "unidad" and filas["etiqueta"].iloc[0] != SIN_DESAGREGAR:
        texto += f" Todo corresponde a {md(filas['etiqueta'].iloc[0])}."
    return texto


def parrafo_servicios(prep) -> str:
    """La frase que abre la sección: cuántos indicadores de servicios reporta el libro y
    cuántas unidades los reportan, en el periodo del informe; o que el libro no reporta
    servicios (hoja estadisticas vacía o ausente)."""
    est = prep.tablas["estadisticas"]
    detalle = _detalle(est)
    if detalle.empty:
        return ("El libro del POA no reporta servicios prestados a la población (no trae la "
                "hoja estadisticas, o no tiene datos hasta el corte).")
    nombres = [md(i) for i in indicadores(est)]
    n_unidades = detalle["codigo_unidad"].nunique()
    cuales = (f": {enumerar(nombres)}" if len(nombres) <= analisis.MAXIMO_NOMBRADAS else "")
    return (f"De {prep.acumulado}, "
            f"{analisis.contar(n_unidades, 'unidad reportó', 'unidades reportaron')} servicios "
            "prestados a la población en "
            f"{analisis.contar(len(nombres), 'indicador', 'indicadores')}"
            f"{cuales}. Para cada uno, el cuadro da las cifras de cada mes y el total del "
            "periodo, y el gráfico, su reparto.")


def servicios_por_unidad(estadisticas: pd.DataFrame, nombres: Mapping[str, str] | None = None,
                         orden_unidades: Sequence[str] | None = None) -> pd.DataFrame:
    """El total del periodo de cada indicador por unidad: una fila por unidad que reporta
    algún servicio (con su `nombre`; el código si no lo tiene), sus desagregaciones («Lima,
    Cusco») y una columna por indicador (`ind_1`, `ind_2`... en el orden de ``indicadores``;
    vacía si la unidad no lo reporta); última fila TOTAL. Las unidades, agrupadas por su
    primera desagregación y, dentro, en el orden de `orden_unidades` (el de la hoja
    unidades); en la fila TOTAL, la columna de desagregaciones dice cuántas unidades son.
    ``df.attrs["indicadores"]``: columna → nombre del indicador."""
    nombres = nombres or {}
    detalle = _detalle(estadisticas)
    lista = indicadores(estadisticas)
    columnas = {f"ind_{i}": ind for i, ind in enumerate(lista, start=1)}
    posicion = {c: i for i, c in enumerate(orden_unidades or [])}
    filas = []
    for codigo, de_unidad in detalle.groupby("codigo_unidad", sort=False):
        desagregaciones = [d for d in dict.fromkeys(texto_limpio(de_unidad["desagregacion"])) if d]
        fila = {"codigo_unidad": codigo, "nombre": nombres.get(codigo, codigo),
                "desagregacion": ", ".join(desagregaciones)}
        totales = de_unidad.groupby("indicador")["total"].sum(min_count=1)
        fila.update({col: totales.get(ind, np.nan) for col, ind in columnas.items()})
        fila["_orden"] = (desagregaciones[0] if desagregaciones else "",
                          posicion.get(codigo, len(posicion)), str(codigo))
        filas.append(fila)
    tabla = pd.DataFrame(filas)
    tabla = tabla.iloc[sorted(range(len(tabla)), key=lambda i: tabla["_orden"].iloc[i])]
    tabla = tabla.drop(columns="_orden")
    total = {"codigo_unidad": TOTAL, "nombre": TOTAL,
             "desagregacion": analisis.contar(len(tabla), "unidad", "unidades"),
             **{col: tabla[col].sum(min_count=1) for col in columnas}}
    tabla = pd.concat([tabla, pd.DataFrame([total])], ignore_index=True)
    tabla.attrs["indicadores"] = columnas
    return tabla


def cuadro_por_unidad(prep) -> str | None:
    """El cuadro de los servicios por unidad (``servicios_por_unidad``) como HTML, o None si
    ningún indicador lo reporta más de una unidad (los cuadros por indicador ya lo dicen)."""
    est = prep.tablas["estadisticas"]
    if not any(len(_unidades_de(est, i)) > 1 for i in indicadores(est)):
        return None
    tabla = servicios_por_unidad(est, _nombres_unidades(prep), list(prep.unidades["codigo_unidad"]))
    columnas = tabla.attrs["indicadores"]
    formatos = {c: _formato_valores(tabla[c]) for c in columnas}
    return presentacion.tabla(
        tabla, ["nombre", "desagregacion", *columnas],
        titulos={"nombre": "Unidad", "desagregacion": "Desagregación", **columnas},
        formatos=formatos, clave_total="nombre", nombre="servicios-unidad")


def _nombres_unidades(prep) -> dict[str, str]:
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))


def servicios(prep) -> list[dict]:
    """Lo que la sección muestra de cada indicador, en orden: `indicador`, `dimension`,
    `pivote` (``pivote_servicio`` con los meses del corte), `frase` (``frase_servicio``) y
    `unidades` (los códigos que lo reportan). Lista vacía sin estadísticas."""
    est = prep.tablas["estadisticas"]
    meses = meses_del_corte(prep.trimestre)
    nombres = _nombres_unidades(prep)
    resultado = []
    for indicador in indicadores(est):
        dimension = dimension_servicio(est, indicador)
        pivote = pivote_servicio(est, indicador, meses, nombres, dimension)
        unidades = _unidades_de(est, indicador)
        resultado.append({
            "indicador": indicador,
            "dimension": dimension,
            "pivote": pivote,
            "unidades": unidades,
            "frase": frase_servicio(pivote, indicador, prep.acumulado, len(unidades), dimension),
        })
    return resultado


# Cuántas barras caben en un gráfico legible de media página; las demás se suman en «Otras».
MAXIMO_BARRAS = 25


def grafico_servicio(pivote: pd.DataFrame, indicador: str, periodo: str,
                     dimension: str = "desagregacion",
                     maximo_barras: int = MAXIMO_BARRAS) -> Figure:
    """Las barras de un indicador, rotuladas con su valor: con dos filas o más, el total del
    periodo de cada desagregación (o unidad) y su parte del total, horizontales y de mayor a
    menor (pasadas
    `maximo_barras`, las menores se suman en una barra «Otras (n)»); con una sola, el valor
    de cada mes, verticales. En el color de las cifras físicas (``paleta.COLOR_FISICO``), con
    el tema, el ancho y el cierre de la figura de ``helpers.redaccion.graficos``."""
    filas = pivote[(pivote["etiqueta"] != TOTAL)]
    meses = [c for c in pivote.columns if c.startswith("mes_")]
    formato = _formato_valores(pivote[[*meses, "total"]].to_numpy().ravel())
    total = pivote["total"].iloc[-1]

    def rotular(v):
        # En las barras de un reparto, el valor y su parte del total del periodo.
        if len(filas) > 1 and pd.notna(total) and total > 0:
            return f"{_cifra(v, formato)} ({pct(100 * v / total, 1)})"
        return _cifra(v, formato)

    if len(filas) > 1:
        datos = filas[["etiqueta", "total"]].rename(columns={"total": "valor"})
        datos = datos.sort_values(["valor", "etiqueta"], ascending=[False, True],
                                  kind="stable", na_position="last")
        if len(datos) > maximo_barras:
            resto = datos.iloc[maximo_barras - 1:]
            otras = pd.DataFrame([{"etiqueta": f"Otras ({formatear_entero(len(resto))})",
                                   "valor": resto["valor"].sum(min_count=1)}])
            datos = pd.concat([datos.iloc[: maximo_barras - 1], otras], ignore_index=True)
        datos = datos.assign(rotulo=[graficos.acortar(e, 40) for e in datos["etiqueta"]],
                             posicion=[str(i) for i in range(len(datos))])
        horizontal = True
        categoria, orden = "posicion", list(datos["posicion"])
        que = "unidad" if dimension == "unidad" else "desagregación"
        titulo = f"{indicador}: total por {que}"
        alto = graficos.alto_barras(len(datos), por_fila=0.24, minimo=2.2)
    else:
        fila = filas.iloc[0] if len(filas) else pivote.iloc[-1]
        datos = pd.DataFrame({"posicion": [MESES_CORTO[int(c[-2:]) - 1] for c in meses],
                              "valor": [fila[c] for c in meses]})
        datos["rotulo"] = datos["posicion"]
        horizontal = False
        categoria, orden = "posicion", list(datos["posicion"])
        titulo = f"{indicador}: valor de cada mes"
        alto = 3.0
    valores = pd.to_numeric(datos["valor"], errors="coerce")
    maximo = float(valores.max()) if valores.notna().any() else 0.0
    minimo = min(float(valores.min()) if valores.notna().any() else 0.0, 0.0)
    with graficos.tema():
        fig, ejes = graficos.figura(alto)
        ax = ejes[0, 0]
        graficos.barras(ax, datos, categoria, orden, horizontal, formato=rotular,
                        color=paleta.COLOR_FISICO, width=0.65)
        limite = (maximo - minimo) * (1.28 if horizontal else 1.18) + minimo if maximo > 0 else 1.0
        eje = ax.xaxis if horizontal else ax.yaxis
        (ax.set_xlim if horizontal else ax.set_ylim)(minimo * 1.1, limite)
        eje.set_major_formatter(graficos.formato_monto_eje(1.0))
        if minimo < 0:
            (ax.axvline if horizontal else ax.axhline)(0, color=graficos.COLOR_REFERENCIA, lw=0.8)
        if horizontal:
            ax.set_yticks(range(len(datos)), datos["rotulo"].tolist())
            ax.set_xlabel(f"Total de {periodo}")
        else:
            ax.set_ylabel(f"Valor del mes ({periodo})")
        ax.set_title(titulo)
    return graficos.terminar(fig)
