"""La versión del POA en vigor en cada corte, y lo que cambió de una versión a otra.

Un POA cambia durante la gestión: una reformulación aprobada por resolución agrega, quita o
reprograma operaciones, y el presupuesto vigente se modifica cada mes. El libro guarda el
estado de hoy (la hoja operaciones con los valores actuales, la columna `vigente`) y la
historia (la hoja reformulaciones; las columnas `inicial` y `vig_01..vig_12` de la hoja
presupuesto). Aquí se reconstruye, para el cierre del mes de corte, el POA que regía:

- una operación dada de `alta` después del corte todavía no estaba en el POA;
- una operación dada de `baja` en el mes del corte o antes ya no está;
- un cambio de `programacion` (un mes) o de `tareas` posterior al corte vuelve al valor
  `anterior` del primero de esos cambios;
- el vigente de cada línea es el del cierre del mes de corte: el último `vig_` escrito
  hasta ese mes, o `inicial` antes del primero; una línea sin ningún `vig_` tiene todo el
  año su `vigente` (si su `inicial` difiere, la modificación no tiene fecha).

Una reformulación rige desde el mes de su fecha: los cortes son cierres de mes, y una
resolución del 15 de febrero ya rige al 28 de febrero. Un libro sin esta historia da la
misma versión que el libro (los mismos valores).
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from helpers.entrada.datos import COLUMNAS_VIG, Datos

# Las columnas del presupuesto que registran su historia (la columna `inicial` y el
# vigente de cada mes).
COLUMNAS_HISTORIA = ("inicial", *COLUMNAS_VIG)


def tiene_presupuesto_por_mes(presupuesto: pd.DataFrame) -> bool:
    """Si el libro registra el presupuesto inicial o el vigente de algún mes."""
    columnas = [c for c in COLUMNAS_HISTORIA if c in presupuesto.columns]
    return bool(columnas) and bool(presupuesto[columnas].notna().to_numpy().any())


def tiene_reformulaciones(datos: Datos) -> bool:
    ref = getattr(datos, "reformulaciones", None)
    return ref is not None and len(ref) > 0


def tiene_versiones(datos: Datos) -> bool:
    """Si el libro trae la historia del POA: reformulaciones o presupuesto por mes."""
    libro = getattr(datos, "libro", None) or datos
    return tiene_reformulaciones(libro) or tiene_presupuesto_por_mes(libro.presupuesto)


def _historia(presupuesto: pd.DataFrame) -> pd.DataFrame:
    """Columnas 0 (inicial) a 12 (cierre de diciembre): el monto de cada línea en vigor en
    cada una. Un mes sin monto escrito repite el anterior, y antes del primero rige el
    inicial; una línea sin ningún `vig_` tiene todo el año su `vigente`, y un inicial vacío
    es ese mismo vigente (no se registró modificación)."""
    vigente = presupuesto["vigente"].astype(float)
    meses = pd.DataFrame(
        {m: presupuesto[c] if c in presupuesto.columns else float("nan")
         for m, c in enumerate(COLUMNAS_VIG, start=1)},
        index=presupuesto.index, dtype="float64",
    )
    con_meses = meses.notna().any(axis=1)
    inicial_ = (presupuesto["inicial"].astype(float) if "inicial" in presupuesto.columns
                else pd.Series(float("nan"), index=presupuesto.index)).fillna(vigente)
    antes = inicial_.where(con_meses, vigente)
    montos = pd.concat([antes.rename(0), meses], axis=1).ffill(axis=1)
    montos[0] = inicial_
    return montos


def vigente_al_mes(presupuesto: pd.DataFrame, mes: int) -> pd.Series:
    """El presupuesto vigente de cada línea al cierre de `mes` (0 = el inicial)."""
    return _historia(presupuesto)[mes].rename("vigente")


def inicial(presupuesto: pd.DataFrame) -> pd.Series:
    """El presupuesto inicial de cada línea (sin inicial escrito, su vigente)."""
    return vigente_al_mes(presupuesto, 0).rename("inicial")


def _rige(fechas: pd.Series, mes: int) -> pd.Series:
    """Si cada reformulación ya regía al cierre de `mes`."""
    return fechas.dt.month <= mes


def reformulaciones_hasta(datos: Datos, mes: int) -> pd.DataFrame:
    """Las reformulaciones aprobadas hasta el cierre de `mes`: numero, resolucion, fecha y
    cuántas operaciones agregó, quitó y cambió; en orden de aprobación."""
    ref = (getattr(datos, "libro", None) or datos).reformulaciones
    ref = ref[_rige(ref["fecha"], mes)]
    filas = []
    for numero, grupo in ref.groupby("numero", sort=False):
        cuenta = grupo["cambio"].value_counts()
        cambiadas = grupo.loc[grupo["cambio"].isin(["programacion", "tareas"]),
                              "codigo_operacion"].nunique()
        filas.append({
            "numero": int(numero),
            "resolucion": grupo["resolucion"].iloc[0],
            "fecha": grupo["fecha"].iloc[0],
            "altas": int(cuenta.get("alta", 0)),
            "bajas": int(cuenta.get("baja", 0)),
            "reprogramadas": int(cambiadas),
        })
    tabla = pd.DataFrame(filas, columns=["numero", "resolucion", "fecha", "altas", "bajas",
                                         "reprogramadas"])
    return tabla.sort_values(["fecha", "numero"], kind="stable").reset_index(drop=True)


def version_vigente(datos: Datos, mes: int) -> dict | None:
    """La última reformulación aprobada hasta el cierre de `mes` (numero, resolucion,
    fecha); None si rige el POA inicial."""
    hasta = reformulaciones_hasta(datos, mes)
    if hasta.empty:
        return None
    return hasta.iloc[-1][["numero", "resolucion", "fecha"]].to_dict()


def operaciones_al_corte(operaciones: pd.DataFrame, reformulaciones: pd.DataFrame,
                         mes: int) -> pd.DataFrame:
    """Las operaciones del POA en vigor al cierre de `mes`, con su programación y sus
    tareas de entonces (ver el docstring del módulo)."""
    ops = operaciones
    ref = reformulaciones
    if ref.empty:
        return ops
    rige = _rige(ref["fecha"], mes)
    fuera = set(ref.loc[(ref["cambio"] == "alta") & ~rige, "codigo_operacion"])
    fuera |= set(ref.loc[(ref["cambio"] == "baja") & rige, "codigo_operacion"])
    ops = ops[~ops["codigo_operacion"].isin(fuera)].copy()

    # Cada valor cambiado después del corte vuelve al que tenía antes del primer cambio.
    despues = ref[~rige & ref["cambio"].isin(["programacion", "tareas"])]
    if not despues.empty:
        despues = despues.sort_values(["fecha", "numero"], kind="stable")
        campo = despues["cambio"].where(
            despues["cambio"] == "tareas",
            "prog_" + despues["mes"].fillna(0).astype(int).map("{:02d}".format),
        )
        primeros = despues.assign(campo=campo).drop_duplicates(
            ["codigo_operacion", "campo"], keep="first")
        posicion = pd.Series(range(len(ops)), index=ops["codigo_operacion"].to_numpy())
        for campo_, grupo in primeros.groupby("campo"):
            presentes = grupo[grupo["codigo_operacion"].isin(posicion.index)]
            filas = posicion[presentes["codigo_operacion"]].to_numpy()
            valores = presentes["anterior"].to_numpy()
            columna = ops.columns.get_loc(campo_)
            if campo_ == "tareas":
                valores = valores.astype(ops["tareas"].dtype)
            ops.iloc[filas, columna] = valores
    return ops.reset_index(drop=True)


def version_al_corte(datos: Datos, mes: int) -> Datos:
    """El POA en vigor al cierre de `mes`: las operaciones de esa versión y el presupuesto
    con el vigente de ese mes (`vigente`) y el inicial (`inicial`) de cada línea.

    Se calcula siempre desde el libro (la versión de una versión es la del libro); un libro
    sin historia es su propia versión en todos los cortes."""
    libro = getattr(datos, "libro", None) or datos
    if getattr(datos, "corte", None) == mes or not tiene_versiones(libro):
        return datos
    presupuesto = libro.presupuesto.copy()
    presupuesto["inicial"] = inicial(libro.presupuesto)
    presupuesto["vigente"] = vigente_al_mes(libro.presupuesto, mes)
    return dataclasses.replace(
        libro,
        operaciones=operaciones_al_corte(libro.operaciones, libro.reformulaciones, mes),
        presupuesto=presupuesto,
        corte=mes,
        libro=libro,
    )
