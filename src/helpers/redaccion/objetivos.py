"""El informe por objetivo, como lo lee una persona: los marcos y la regla, el cuadro y los
gráficos de cada marco, la ficha de cada objetivo con lo que le aportan y lo que las unidades
escribieron de ello, y las operaciones que no aportan a ninguno (notebooks/objetivos/).

Entra el `Preparado` de la sección, con las tablas de ``helpers.calculo.objetivos``
(`objetivos`, `aportes`, `sin_vincular`). Ningún número ni nombre se escribe a mano; todo
texto del libro entra con ``md``; las ACP y las unidades se nombran con su descripción y su
nombre.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo.objetivos import TIPO_ACP, TIPO_OPERACION
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_monto, formatear_numero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import graficos_corte, presentacion
from helpers.redaccion.analisis import bloques_por_area, contar, nombre_trimestre
from helpers.redaccion.textos import enumerar

__all__ = ["ROTULO_CUADRO", "ROTULO_GRAFICO", "cuadro_marco", "cuadro_sin_vincular",
           "ficha_objetivo", "grafico_marco", "marcos", "narrativa_objetivo",
           "objetivos_del_marco", "parrafo_alineacion", "parrafo_marco", "parrafo_marcos",
           "parrafo_sin_vincular", "regla", "titulo_alineacion", "titulo_marco",
           "titulo_objetivo"]

_PONDERACION = {
    "vinculos": "el peso de cada vínculo (todos iguales donde el libro no dice otro)",
    "presupuesto": "el peso de cada vínculo por el presupuesto vigente de lo que aporta",
}
# Los rótulos en negrita del cuadro y del gráfico de cada marco (pasan a su leyenda, tras el
# título del apartado, que nombra el marco).
ROTULO_CUADRO = "**Los objetivos y lo que les aporta el POA**"
ROTULO_GRAFICO = "**Eficacia y ejecución financiera acumuladas por objetivo**"
# Sangría de un objetivo por cada nivel bajo el primero, en el cuadro de su marco.
_SANGRIA = "\u2003"
# El cuadro de un marco: sus columnas; títulos y formatos de las que no están en
# `presentacion.COLUMNAS`.
_CUADRO = ["codigo", "nombre", "acp", "operaciones", "avance_fisico_acumulado",
           "eficacia_acumulada", "vigente", "devengado_acumulado", "ejecucion_acumulada"]
_TITULOS = {"codigo": "Código", "nombre": "Objetivo", "acp": "ACP",
            "operaciones": "Operaciones"}
_FORMATOS = {"codigo": "texto", "nombre": "texto", "acp": "entero", "operaciones": "entero"}


def marcos(prep) -> list[str]:
    """Los marcos del informe, en el orden del libro."""
    return list(pd.unique(prep.tablas["objetivos"]["marco"]))


def objetivos_del_marco(prep, marco: str) -> pd.DataFrame:
    tabla = prep.tablas["objetivos"]
    return tabla[tabla["marco"] == marco]


def _aportes(prep, marco: str, codigo: str | None = None) -> pd.DataFrame:
    tabla = prep.tablas["aportes"]
    filas = tabla["marco"] == marco
    if codigo is not None:
        filas &= tabla["codigo"] == codigo
    return tabla[filas]


def _marcos_con_cuantos(objetivos: pd.DataFrame) -> list[str]:
    """«ODS (10 objetivos)», por marco, en el orden del libro."""
    return [f"{md(marco)} ({contar(len(grupo), 'objetivo', 'objetivos')})"
            for marco, grupo in objetivos.groupby("marco", sort=False)]


def regla(metodologia) -> str:
    """La regla con que se suman las cifras de cada objetivo (docs/metodologia.md, §15)."""
    return (
        "Las cifras de cada objetivo reúnen lo que aportan las acciones de corto plazo (ACP) y "
        "las operaciones vinculadas a él y a los objetivos que dependen de él. Su avance físico "
        "y su eficacia son la media de los de lo que aporta, ponderada por "
        f"{_PONDERACION[metodologia.ponderacion_objetivos]}; lo que no tenía nada programado "
        "no se promedia. Su presupuesto es el de las ACP vinculadas: una ACP vinculada a "
        "varios objetivos de un marco lo reparte entre ellos según los pesos de sus "
        "vínculos, y un vínculo de operación no lleva presupuesto.")


def parrafo_marcos(prep) -> str:
    """Qué presenta el informe: los marcos con cuántos objetivos, cuántas ACP y operaciones
    aportan a alguno y la regla."""
    objetivos = prep.tablas["objetivos"]
    por_marco = _marcos_con_cuantos(objetivos)
    aportes = prep.tablas["aportes"]
    acp = set(aportes["codigo_acp"]) - {""}
    sin = len(prep.tablas["sin_vincular"])
    texto = (
        f"Este informe presenta lo que el Plan Operativo Anual {prep.gestion} de "
        f"{md(prep.entidad)} ({md(prep.sigla)}) aportó, al {prep.fecha_corte}, a los "
        f"objetivos de {contar(len(por_marco), 'marco', 'marcos')}: {enumerar(por_marco)}. "
        f"Aportan a alguno {formatear_entero(len(acp))} de las "
        f"{contar(len(prep.acp), 'acción', 'acciones')} de corto plazo")
    texto += (f"; {contar(sin, 'operación no aporta', 'operaciones no aportan')} a ninguno "
              "(van al final)." if sin else ", con todas sus operaciones.")
    return f"{texto} {regla(prep.metodologia)}"


def parrafo_marco(prep, marco: str) -> str:
    """El marco en una frase: cuántos objetivos aportan, el de mayor y el de menor eficacia
    acumulada entre los de su nivel más hondo, y el presupuesto que suma su primer nivel."""
    tabla = objetivos_del_marco(prep, marco)
    con_aportes = tabla[tabla["vinculos"] > 0]
    hondos = con_aportes[con_aportes["profundidad"] == con_aportes["profundidad"].max()]
    hondos = hondos.dropna(subset=["eficacia_acumulada"])
    texto = (f"El marco {md(marco)} tiene {contar(len(tabla), 'objetivo', 'objetivos')} en el "
             f"libro; el POA aporta a {formatear_entero(len(con_aportes))}.")
    if len(hondos) > 1:
        orden = hondos.sort_values("eficacia_acumulada", kind="stable")
        alto, bajo = orden.iloc[-1], orden.iloc[0]
        texto += (f" La eficacia acumulada más alta es la de {md(alto['codigo'])} "
                  f"({pct(alto['eficacia_acumulada'])}) y la más baja, la de "
                  f"{md(bajo['codigo'])} ({pct(bajo['eficacia_acumulada'])}).")
    primer = tabla[tabla["profundidad"] == 0]["vigente"].sum(min_count=1)
    if pd.notna(primer):
        texto += (f" Las ACP vinculadas a este marco suman un presupuesto vigente de Bs "
                  f"{formatear_monto(primer)}.")
    return texto


def cuadro_marco(prep, marco: str) -> str:
    """Los objetivos del marco, cada uno bajo el que lo contiene, con sus cifras."""
    tabla = objetivos_del_marco(prep, marco).copy()
    tabla["nombre"] = [_SANGRIA * int(p) + str(n)
                       for p, n in zip(tabla["profundidad"], tabla["nombre"])]
    return presentacion.tabla(
        tabla, _CUADRO, titulos=_TITULOS, formatos=_FORMATOS, nombre=f"objetivos-{marco}")


def grafico_marco(prep, marco: str):
    """Eficacia y ejecución financiera acumuladas de los objetivos del marco que tienen
    aportes."""
    tabla = objetivos_del_marco(prep, marco)
    tabla = tabla[tabla["vinculos"] > 0]
    return graficos_corte.fisico_financiero(
        tabla, "codigo", f"Eficacia y ejecución financiera acumuladas por objetivo: {marco}",
        periodo="acumulado", incluir_total=False)


def titulo_marco(marco: str, nivel: int = 2) -> str:
    return f"{'#' * nivel} {md(marco)}"


def titulo_alineacion() -> str:
    """El apartado de la rendición de cuentas con el avance por objetivo."""
    return "## Avance por objetivo de los planes y compromisos"


def parrafo_alineacion(prep) -> str:
    """La vista por objetivo de la rendición: los marcos con cuántos objetivos, y la regla."""
    objetivos = prep.tablas["objetivos"]
    por_marco = _marcos_con_cuantos(objetivos)
    return (f"Lo que el POA aportó, al {prep.fecha_corte}, a los objetivos de "
            f"{contar(len(por_marco), 'marco', 'marcos')}: {enumerar(por_marco)}. "
            f"{regla(prep.metodologia)}")


def titulo_objetivo(fila) -> str:
    return f"### {md(fila['codigo'])} {md(fila['nombre'])}"


def _nombres_acp(prep) -> dict:
    return dict(zip(prep.acp["codigo_acp"], prep.acp["descripcion"]))


def ficha_objetivo(prep, fila) -> str:
    """Lo que aporta al objetivo (sus vínculos propios: ACP y operaciones con su peso) y
    sus cifras con las de los que dependen de él; su indicador, si el libro lo trae."""
    suyos = _aportes(prep, fila["marco"], fila["codigo"])
    nombres = _nombres_acp(prep)
    partes = [f"**Nivel:** {md(fila['nivel'])}"]
    acp = suyos[suyos["tipo"] == TIPO_ACP]
    ops = suyos[suyos["tipo"] == TIPO_OPERACION]
    if len(acp):
        partes.append("**ACP vinculadas:** " + "; ".join(
            f"{md(c)} {md(nombres.get(c, ''))}{_peso(p)}"
            for c, p in zip(acp["codigo_acp"], acp["peso"])))
    if len(ops):
        partes.append("**Operaciones vinculadas:** " + "; ".join(
            f"{md(o)} (ACP {md(c)}){_peso(p)}"
            for o, c, p in zip(ops["codigo_operacion"], ops["codigo_acp"], ops["peso"])))
    partes.append(_cifras(fila))
    if str(fila.get("indicador", "") or "").strip():
        partes.append(_indicador(fila))
    return "\n\n".join(partes)


def _numero(valor: float) -> str:
    """Un entero sin decimales («40»); otro número, con dos («40,50»)."""
    return formatear_entero(valor) if float(valor).is_integer() else formatear_numero(valor)


def _peso(peso: float) -> str:
    return "" if peso == 1 else f" (peso {_numero(peso)})"


def _cifras(fila) -> str:
    if not fila["vinculos"]:
        return "Ninguna ACP ni operación del POA aporta a este objetivo."
    quien = (f"Con {contar(int(fila['acp']), 'ACP', 'ACP')}, "
             f"{contar(int(fila['operaciones']), 'operación', 'operaciones')} y "
             f"{contar(int(fila['unidades']), 'unidad', 'unidades')}")
    if pd.isna(fila["eficacia_acumulada"]):
        fisico = "sin metas programadas hasta el corte"
    else:
        fisico = (f"eficacia acumulada {pct(fila['eficacia_acumulada'])} y avance físico "
                  f"acumulado {pct(fila['avance_fisico_acumulado'])}")
    texto = f"{quien}: {fisico}"
    if pd.notna(fila["vigente"]):
        texto += (f"; presupuesto vigente Bs {formatear_monto(fila['vigente'])}, ejecutado "
                  f"{pct(fila['ejecucion_acumulada'])}")
    return texto + "."


def _indicador(fila) -> str:
    datos = [(titulo, fila.get(columna)) for titulo, columna in (
        ("línea base", "linea_base"), ("meta", "meta"), ("alcanzado", "valor_alcanzado"))]
    cifras = [f"{t} {_numero(v)}" for t, v in datos if pd.notna(v)]
    fuente = str(fila.get("fuente", "") or "").strip()
    return (f"**Indicador:** {md(fila['indicador'])}"
            + (f" ({', '.join(cifras)})" if cifras else "")
            + (f". Fuente: {md(fuente)}" if fuente else "") + ".")


def narrativa_objetivo(prep, fila) -> list[str]:
    """Los logros y dificultades del periodo que las unidades registraron de lo vinculado al
    objetivo (la tabla `relatos`: de una ACP, lo de cada unidad; de una operación, lo de su
    unidad para su ACP), por área."""
    narr = prep.tablas["relatos"]
    narr = narr[(narr["marco"] == fila["marco"]) & (narr["codigo"] == fila["codigo"])]
    bloques = []
    for tipo, titulo in (("logro", "Logros"), ("dificultad", "Dificultades")):
        del_tipo = narr[narr["tipo"] == tipo]
        if len(del_tipo):
            bloques.append(f"**{titulo} del {nombre_trimestre(prep.trimestre)}**"
                           if not prep.de_gestion else f"**{titulo} de la gestión**")
            bloques.extend(bloques_por_area(prep, del_tipo, con_acp=True))
    return bloques


def parrafo_sin_vincular(prep) -> str:
    sin = prep.tablas["sin_vincular"]
    return (f"{contar(len(sin), 'operación del POA no aporta', 'operaciones del POA no aportan')}"
            " a ningún objetivo de ningún marco: ni ellas ni su ACP tienen un vínculo en las "
            "hojas vinculos o articulacion del libro.")


def cuadro_sin_vincular(prep) -> str:
    sin = prep.tablas["sin_vincular"].copy()
    nombres = dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))
    sin["codigo_unidad"] = sin["codigo_unidad"].map(nombres).fillna(sin["codigo_unidad"])
    return presentacion.tabla(
        sin, ["codigo_operacion", "codigo_acp", "codigo_unidad", "descripcion"],
        titulos={"codigo_operacion": "Operación", "codigo_acp": "ACP",
                 "codigo_unidad": "Unidad", "descripcion": "Descripción"},
        formatos=dict.fromkeys(sin.columns, "texto"), nombre="sin-vincular")

