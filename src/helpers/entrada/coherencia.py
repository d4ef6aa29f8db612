"""Las reglas que cruzan filas de una hoja, o una hoja con otra, en un libro sin otros errores.

Entran las `conversion.Hoja` ya validadas columna por columna (`entrada.esquemas`); sale,
agregado a `problemas`, un `Problema` por celda que rompe una regla:

- presupuesto: una línea con vigentes por mes necesita su inicial, y su último vigente
  mensual es su `vigente`;
- reformulaciones: una reformulación es una resolución con una fecha, una operación entra
  y sale del POA a lo sumo una vez, y cada valor cambiado encadena con el siguiente hasta el
  que tiene hoy la hoja operaciones. Sin eso no se podría reconstruir la versión del POA de
  cada corte (`calculo.versiones`).
"""
from __future__ import annotations

import pandas as pd

from helpers.entrada.celdas import a_texto
from helpers.entrada.contrato import COLUMNAS_VIG
from helpers.entrada.conversion import Hoja
from helpers.entrada.errores import Problema

__all__ = ["validar_historia_presupuesto", "validar_reformulaciones"]


def validar_historia_presupuesto(hoja: Hoja, problemas: list[Problema]) -> None:
    """Una línea con vigentes por mes necesita su inicial (lo que regía antes del primer
    cambio), y su último vigente mensual es el `vigente` de la línea."""
    meses = [c for c in COLUMNAS_VIG if c in hoja.presentes]
    if not meses:
        return
    tabla = hoja.tabla
    vigentes = tabla[meses]
    escritos = vigentes.notna()
    con_historia = escritos.any(axis=1)
    primera = escritos.idxmax(axis=1)  # la primera columna escrita de cada línea
    ultima = escritos.iloc[:, ::-1].idxmax(axis=1)
    ultimo = vigentes.ffill(axis=1).iloc[:, -1]
    sin_inicial = con_historia & (
        tabla["inicial"].isna() if "inicial" in hoja.presentes else True)
    for fila in tabla.index[sin_inicial]:
        problemas.append(Problema(
            hoja.archivo, hoja.nombre, int(fila), "inicial",
            f"la celda está vacía: la línea tiene vigentes por mes ({primera[fila]}) "
            "y necesita el presupuesto inicial, el que regía antes del primero"))
    for fila in tabla.index[con_historia & (ultimo != tabla["vigente"])]:
        problemas.append(Problema(
            hoja.archivo, hoja.nombre, int(fila), "vigente",
            f"'{a_texto(tabla.at[fila, 'vigente'])}' no es el último vigente mensual "
            f"de la línea ({ultima[fila]}: {a_texto(ultimo[fila])}): vigente es el "
            "presupuesto en vigor a la fecha del libro"))


def _primera_fila(tabla: pd.DataFrame, claves: str | list[str]) -> pd.Series:
    """Para cada fila, la primera fila de la tabla (en su orden) con sus mismas `claves`."""
    return pd.Series(tabla.index, index=tabla.index).groupby(
        [tabla[c] for c in ([claves] if isinstance(claves, str) else claves)], sort=False
    ).transform("first")


# (fila, columna, mensaje) de cada celda que rompe una regla de las reformulaciones.
_Hallado = tuple[int, str, str]


def validar_reformulaciones(hoja: Hoja, operaciones: Hoja, problemas: list[Problema]) -> None:
    """Las reglas que cruzan filas de la hoja reformulaciones con la hoja operaciones.

    Sin ellas no se podría reconstruir la versión del POA de cada corte: una reformulación
    es una sola resolución con una fecha; una operación entra y sale del POA a lo sumo una
    vez; y cada valor cambiado encadena con el siguiente hasta el que tiene hoy la hoja
    operaciones (el `nuevo` del último cambio). Cada regla se evalúa sobre toda la hoja a
    la vez; sólo se recorren las filas con problema. Las que cruzan filas se comprueban sólo
    si cada cambio tiene los datos que pide."""
    ref = hoja.tabla

    def agregar(hallados: list[_Hallado]) -> None:
        problemas.extend(Problema(hoja.archivo, hoja.nombre, int(fila), columna, mensaje)
                         for fila, columna, mensaje in hallados)

    agregar(_datos_de_cada_cambio(ref))
    agregar(_tareas_validas(ref))
    if any(p.hoja == hoja.nombre for p in problemas):
        return
    agregar(_una_resolucion_con_una_fecha(ref))
    orden = ref.sort_values(["fecha", "numero"], kind="stable")
    agregar(_altas_y_bajas(orden))
    agregar(_cambios_encadenados(orden, operaciones.tabla))


def _datos_de_cada_cambio(ref: pd.DataFrame) -> list[_Hallado]:
    """Los datos que pide cada clase de cambio."""
    hallados = []
    for cambio, pide in {"programacion": ("mes", "anterior", "nuevo"),
                         "tareas": ("anterior", "nuevo")}.items():
        de_cambio = ref["cambio"] == cambio
        for columna in pide:
            hallados += [(fila, columna, f"la celda está vacía: un cambio de {cambio} "
                                         f"necesita {', '.join(pide)}")
                         for fila in ref.index[de_cambio & ref[columna].isna()]]
    return hallados


def _tareas_validas(ref: pd.DataFrame) -> list[_Hallado]:
    """Un cambio de tareas va de un número entero de tareas, mayor o igual a 1, a otro."""
    de_tareas = ref["cambio"] == "tareas"
    hallados = []
    for columna in ("anterior", "nuevo"):
        valor = ref[columna]
        invalido = de_tareas & valor.notna() & ((valor != valor.round()) | (valor < 1))
        hallados += [(fila, columna, f"'{a_texto(valor[fila])}' no es válido: tareas debe "
                                     "ser un número entero mayor o igual a 1")
                     for fila in ref.index[invalido]]
    return hallados


def _una_resolucion_con_una_fecha(ref: pd.DataFrame) -> list[_Hallado]:
    """Las filas de una reformulación tienen la resolución y la fecha de su primera fila."""
    primera = _primera_fila(ref, "numero")
    hallados = []
    for columna in ("resolucion", "fecha"):
        de_la_primera = pd.Series(ref[columna].reindex(primera).to_numpy(), index=ref.index)
        hallados += [(fila, columna,
                      f"la reformulación {int(ref.at[fila, 'numero'])} ya tiene {columna} "
                      f"'{a_texto(de_la_primera[fila])}' (fila {primera[fila]}): una "
                      "reformulación es una sola resolución, con una sola fecha")
                     for fila in ref.index[ref[columna] != de_la_primera]]
    return hallados


def _altas_y_bajas(orden: pd.DataFrame) -> list[_Hallado]:
    """Una operación tiene a lo sumo un alta y una baja, y no se da de baja antes de su alta.
    `orden`: la hoja por fecha y número de reformulación."""
    hallados = []
    primeros = {}
    for cambio in ("alta", "baja"):
        del_cambio = orden[orden["cambio"] == cambio]
        primera = _primera_fila(del_cambio, "codigo_operacion")
        hallados += [(fila, "cambio",
                      f"la operación '{del_cambio.at[fila, 'codigo_operacion']}' "
                      f"ya tiene un cambio {cambio} en la fila {primera[fila]}")
                     for fila in del_cambio.index[del_cambio.index != primera]]
        primeros[cambio] = del_cambio.drop_duplicates("codigo_operacion").reset_index()
    ambas = primeros["alta"].merge(primeros["baja"], on="codigo_operacion",
                                   suffixes=("_alta", "_baja"))
    hallados += [(linea.fila_baja, "fecha",
                  f"la operación '{linea.codigo_operacion}' se da de "
                  f"baja antes de su alta (fila {linea.fila_alta})")
                 for linea in ambas[ambas["fecha_baja"] < ambas["fecha_alta"]].itertuples()]
    return hallados


def _cambios_encadenados(orden: pd.DataFrame, operaciones: pd.DataFrame) -> list[_Hallado]:
    """Cada valor cambiado (la meta de un mes, las tareas) parte del que dejó el cambio
    anterior del mismo valor, y el último deja el que tiene hoy la hoja operaciones.
    `orden`: la hoja por fecha y número de reformulación."""
    cambios = orden[orden["cambio"].isin(["programacion", "tareas"])].copy()
    meses = cambios["mes"].fillna(0).astype("int64").map("prog_{:02d}".format)
    cambios["campo"] = meses.where(cambios["cambio"] != "tareas", "tareas")
    grupos = cambios.groupby(["codigo_operacion", "campo"], sort=False)
    previa = pd.Series(cambios.index, index=cambios.index).groupby(
        [cambios["codigo_operacion"], cambios["campo"]], sort=False).shift()
    dejado = grupos["nuevo"].shift()
    hallados = []
    for fila in cambios.index[previa.notna() & (cambios["anterior"] != dejado)]:
        codigo, campo = cambios.at[fila, "codigo_operacion"], cambios.at[fila, "campo"]
        hallados.append((fila, "anterior",
                         f"'{a_texto(cambios.at[fila, 'anterior'])}' no es el valor que dejó "
                         f"el cambio anterior de {campo} de '{codigo}' (fila "
                         f"{int(previa[fila])}: {a_texto(dejado[fila])})"))
    ultimos = cambios[~cambios.duplicated(["codigo_operacion", "campo"], keep="last")]
    actual = operaciones.reset_index().set_index("codigo_operacion")
    posiciones = actual.index.get_indexer(ultimos["codigo_operacion"])
    hoy = pd.Series([actual[campo].iat[pos] for pos, campo in zip(posiciones, ultimos["campo"])],
                    index=ultimos.index, dtype="float64")
    for fila in ultimos.index[ultimos["nuevo"] != hoy]:
        codigo, campo = ultimos.at[fila, "codigo_operacion"], ultimos.at[fila, "campo"]
        hallados.append((fila, "nuevo",
                         f"'{a_texto(ultimos.at[fila, 'nuevo'])}' no es el valor de {campo} "
                         f"de '{codigo}' en la hoja operaciones (fila "
                         f"{actual.at[codigo, 'fila']}: {a_texto(hoy[fila])}): el último "
                         "cambio deja el valor que tiene hoy la operación"))
    return hallados
