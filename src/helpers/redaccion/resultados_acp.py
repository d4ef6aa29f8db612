"""Los resultados por acción de corto plazo (ACP): qué muestra la sección, la ficha de cada
ACP con sus cifras al corte y los logros y dificultades que las unidades registraron en la
hoja narrativa, por área.

Entra: el `Preparado` de la sección (``prep``: hojas acp y narrativa, tablas calculadas) y
el código de la ACP. Sale: títulos, párrafos y bloques de Markdown. Las dificultades que se
citan en las conclusiones (``conclusiones.dificultades_citadas``) no se repiten aquí: un
aviso dice dónde están. Las reglas de redacción, en ``helpers.redaccion.analisis``.
"""
from __future__ import annotations

import pandas as pd

from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_monto
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion.analisis import (
    bloques_por_area,
    contar,
    lista_nombres,
    nombre_trimestre,
    nombres_unidades,
)
from helpers.redaccion.conclusiones import dificultades_citadas
from helpers.redaccion.textos import enumerar

__all__ = [
    "TIPOS_RESULTADO",
    "ficha_acp",
    "narrativa_de_acp",
    "narrativa_sin_acp",
    "parrafo_resultados",
    "titulo_acp",
]

TIPOS_RESULTADO = {"logro": "Logros", "dificultad": "Dificultades"}


def _narrativa_resultados(prep) -> pd.DataFrame:
    narr = prep.narrativa
    return narr[narr["tipo"].isin(list(TIPOS_RESULTADO))]


def parrafo_resultados(prep) -> str:
    """Qué muestra la sección y cuántos logros y dificultades hay, por ACP."""
    narr = _narrativa_resultados(prep)
    acp = prep.acp
    periodo = nombre_trimestre(prep.trimestre)
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


def _aviso_citadas(prep, citadas: pd.DataFrame) -> str:
    """Dónde están las dificultades que se citan en las conclusiones."""
    nombres = nombres_unidades(prep)
    unidades = [md(nombres[u]) for u in pd.unique(citadas["codigo_unidad"])]
    de = (f"de una unidad bajo los umbrales ({unidades[0]})" if len(unidades) == 1 else
          f"de {formatear_entero(len(unidades))} unidades bajo los umbrales "
          f"({lista_nombres(unidades, 'unidades')})")
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
    periodo = nombre_trimestre(prep.trimestre)
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
                                f"{nombre_trimestre(prep.trimestre)}", con_acp=False)]


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
        bloques.extend(bloques_por_area(prep, propias, con_acp))
        if len(citadas):
            bloques.append(_aviso_citadas(prep, citadas))
    return bloques
