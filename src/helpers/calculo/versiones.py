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

import numpy as np
import pandas as pd

from helpers.comun.calendario import MESES_NOMBRE
from helpers.entrada.contrato import COLUMNAS_VIG
from helpers.entrada.datos import Datos

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
        # La fila de cada operación en `ops` (-1: no está en esta versión), buscada una sola
        # vez: `isin` de textos de Arrow convierte la lista entera en cada llamada.
        codigos = pd.Index(ops["codigo_operacion"].to_numpy(dtype=object))
        primeros = primeros.assign(
            fila=codigos.get_indexer(primeros["codigo_operacion"].to_numpy(dtype=object)))
        for campo_, grupo in primeros[primeros["fila"] >= 0].groupby("campo"):
            filas = grupo["fila"].to_numpy()
            valores = grupo["anterior"].to_numpy()
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


# --------------------------------------------------------------------------------------
# Lo que cambió de una versión a otra

_IDENTIFICACION = ["codigo_operacion", "codigo_unidad", "codigo_acp", "descripcion"]
_PROG = [f"prog_{m:02d}" for m in range(1, 13)]


def _reformulacion_de(ref: pd.DataFrame, codigos: pd.Series, cambios: tuple[str, ...],
                      desde: int, hasta: int) -> pd.Series:
    """El número de la reformulación (entre los cortes) que hizo el cambio de cada
    operación; la última, si hubo varias."""
    meses = ref["fecha"].dt.month
    del_tramo = ref[(meses > desde) & (meses <= hasta) & ref["cambio"].isin(cambios)]
    ultima = del_tramo.sort_values(["fecha", "numero"]).groupby("codigo_operacion")["numero"].last()
    return codigos.map(ultima).astype("Int64")


def cambios_de_operaciones(datos: Datos, desde: int, hasta: int) -> dict[str, pd.DataFrame]:
    """Las operaciones que entraron (`altas`), salieron (`bajas`) o cambiaron de meta o de
    tareas (`reprogramadas`) entre la versión del cierre de `desde` (0 = el POA inicial) y la
    del cierre de `hasta`, con su meta anual antes y después y la reformulación que lo hizo.
    """
    libro = getattr(datos, "libro", None) or datos
    antes = version_al_corte(libro, desde).operaciones.set_index("codigo_operacion")
    despues = version_al_corte(libro, hasta).operaciones.set_index("codigo_operacion")
    ref = libro.reformulaciones

    def tabla(ops: pd.DataFrame, codigos, cambio: tuple[str, ...]) -> pd.DataFrame:
        t = ops.loc[list(codigos)].reset_index()[_IDENTIFICACION].copy()
        t["meta_anual"] = ops.loc[list(codigos), _PROG].sum(axis=1).to_numpy()
        t["tareas"] = ops.loc[list(codigos), "tareas"].to_numpy()
        t["reformulacion"] = _reformulacion_de(ref, t["codigo_operacion"], cambio, desde, hasta)
        return t

    # Cada operación de una versión, buscada en la otra (-1: no está).
    en_antes = antes.index.get_indexer(despues.index)
    en_despues = despues.index.get_indexer(antes.index)
    altas = tabla(despues, despues.index[en_antes < 0], ("alta",))
    bajas = tabla(antes, antes.index[en_despues < 0], ("baja",))

    comunes = despues.index[en_antes >= 0]
    a, d = antes.loc[comunes, [*_PROG, "tareas"]], despues.loc[comunes, [*_PROG, "tareas"]]
    distintas = (a != d).any(axis=1).to_numpy()
    cambiadas = comunes[distintas]
    a, d = a[distintas], d[distintas]
    reprogramadas = despues.loc[cambiadas].reset_index()[_IDENTIFICACION].copy()
    reprogramadas["meta_anterior"] = a[_PROG].sum(axis=1).to_numpy()
    reprogramadas["meta_nueva"] = d[_PROG].sum(axis=1).to_numpy()
    reprogramadas["tareas_anterior"] = a["tareas"].to_numpy()
    reprogramadas["tareas_nueva"] = d["tareas"].to_numpy()
    # Los meses cuya meta cambió, en el orden del año ("3,4").
    difiere = a[_PROG].to_numpy() != d[_PROG].to_numpy()
    reprogramadas["meses"] = [",".join(str(m + 1) for m in np.flatnonzero(fila))
                              for fila in difiere]
    reprogramadas["reformulacion"] = _reformulacion_de(
        ref, reprogramadas["codigo_operacion"], ("programacion", "tareas"), desde, hasta)
    return {"altas": altas, "bajas": bajas, "reprogramadas": reprogramadas}


# La tabla del informe con las operaciones que cambiaron, y la clase de cada una.
TABLA_CAMBIOS = "cambios_operaciones"
CLASES_DE_CAMBIO = {"altas": "alta", "bajas": "baja", "reprogramadas": "reprogramacion"}
COLUMNAS_CAMBIOS = ["clase", *_IDENTIFICACION, "meta_anterior", "meta_nueva",
                    "tareas_anterior", "tareas_nueva", "meses_reprogramados", "reformulacion"]


def tabla_cambios(datos: Datos, mes: int) -> pd.DataFrame:
    """Las operaciones que cambiaron del POA inicial a la versión del cierre de `mes`, las
    tres clases de `cambios_de_operaciones` en una tabla (la de tablas/ y anexo.xlsx; los
    cuadros de la sección «Versión del POA evaluada» muestran sus primeras filas): `clase`
    (alta, baja, reprogramacion), la identificación, la meta anual y las tareas antes y
    después (vacías del lado en que la operación no está), los meses cuya programación
    cambió (`meses_reprogramados`, «4,5») y la reformulación que lo hizo. Sin
    reformulaciones en el libro, la tabla va vacía (con sus columnas)."""
    libro = getattr(datos, "libro", None) or datos
    if not tiene_reformulaciones(libro):
        return pd.DataFrame(columns=COLUMNAS_CAMBIOS)
    cambios = cambios_de_operaciones(libro, 0, mes)
    antes = {"meta_anual": "meta_anterior", "tareas": "tareas_anterior"}
    despues = {"meta_anual": "meta_nueva", "tareas": "tareas_nueva"}
    partes = [
        cambios["altas"].rename(columns=despues),
        cambios["bajas"].rename(columns=antes),
        cambios["reprogramadas"].rename(columns={"meses": "meses_reprogramados"}),
    ]
    partes = [t.assign(clase=CLASES_DE_CAMBIO[clase])
              for clase, t in zip(cambios, partes, strict=True) if len(t)]
    if not partes:
        return pd.DataFrame(columns=COLUMNAS_CAMBIOS)
    return pd.concat(partes, ignore_index=True).reindex(columns=COLUMNAS_CAMBIOS)


def tablas_de_version(datos: Datos, mes: int) -> dict[str, pd.DataFrame]:
    """Las tablas del informe que salen de la historia del POA, al cierre de `mes` (están
    siempre, vacías si el libro no la trae)."""
    return {TABLA_CAMBIOS: tabla_cambios(datos, mes)}


def presupuesto_movido(datos: Datos, desde: int, hasta: int, por: str) -> pd.DataFrame:
    """El vigente de cada grupo (`por`: una columna de la hoja presupuesto, o `area`) al
    cierre de `desde` (0 = el inicial) y de `hasta`, y la diferencia; sólo los grupos cuyo
    vigente cambió, en el orden en que aparecen en el libro."""
    libro = getattr(datos, "libro", None) or datos
    pres = libro.presupuesto
    claves = (pres["codigo_unidad"].map(libro.unidades.set_index("codigo_unidad")["area"])
              if por == "area" else pres[por])
    tabla = pd.DataFrame({
        por: claves.to_numpy(),
        "vigente_anterior": vigente_al_mes(pres, desde).to_numpy(),
        "vigente_nuevo": vigente_al_mes(pres, hasta).to_numpy(),
    }).groupby(por, sort=False).sum()
    tabla["diferencia"] = tabla["vigente_nuevo"] - tabla["vigente_anterior"]
    return tabla[tabla["diferencia"].round(2) != 0].reset_index()


def detalle_al_corte(datos: Datos, mes: int) -> dict[str, pd.DataFrame]:
    """Cómo se llega a la versión del cierre de `mes` (para la memoria de cálculo):

    - `operaciones`: cada operación que nombra la hoja reformulaciones, con lo que se hace
      con ella en este corte (`en_el_corte`: fuera por un alta posterior, fuera por su baja,
      meta o tareas de antes del cambio, o tal como está en la hoja);
    - `presupuesto`: cada línea con su inicial, el vigente de la hoja, el del corte y de
      dónde sale (`vigente_desde`: el mes del último vigente mensual escrito hasta el corte,
      «inicial» antes del primero, o «columna vigente» en una línea sin vigentes por mes)."""
    libro = getattr(datos, "libro", None) or datos
    ref = libro.reformulaciones
    rige = _rige(ref["fecha"], mes)
    filas = []
    for codigo, grupo in ref.groupby("codigo_operacion", sort=False):
        rige_op = rige[grupo.index]
        cambios = set(grupo["cambio"])
        if "alta" in cambios and not rige_op[grupo["cambio"] == "alta"].all():
            estado = "fuera: su alta es posterior al corte"
        elif "baja" in cambios and rige_op[grupo["cambio"] == "baja"].any():
            estado = "fuera: dada de baja"
        elif (~rige_op & grupo["cambio"].isin(["programacion", "tareas"])).any():
            estado = "con la meta o las tareas de antes de un cambio posterior al corte"
        else:
            estado = "tal como está en la hoja operaciones"
        filas.append({"codigo_operacion": codigo,
                      "reformulaciones": ", ".join(str(n) for n in pd.unique(grupo["numero"])),
                      "cambios": ", ".join(pd.unique(grupo["cambio"])),
                      "en_el_corte": estado})
    operaciones = pd.DataFrame(filas, columns=["codigo_operacion", "reformulaciones", "cambios",
                                               "en_el_corte"])
    pres = libro.presupuesto
    meses = pd.DataFrame({m: pres[c] for m, c in enumerate(COLUMNAS_VIG, start=1)
                          if c in pres.columns})
    escritos = meses.loc[:, [m for m in meses.columns if m <= mes]].notna()
    con_meses = meses.notna().any(axis=1) if not meses.empty else pd.Series(False, pres.index)
    desde = escritos.apply(lambda fila: max((m for m, si in fila.items() if si), default=0),
                           axis=1) if not escritos.empty else pd.Series(0, index=pres.index)
    presupuesto = pd.DataFrame({
        "categoria_programatica": pres["categoria_programatica"],
        "fuente": pres["fuente"],
        "inicial": inicial(pres),
        "vigente_de_la_hoja": pres["vigente"].astype(float),
        "vigente_desde": pd.Series(
            [MESES_NOMBRE[m - 1] if m else "inicial" for m in desde], index=pres.index,
            dtype="str").where(con_meses, "columna vigente"),
        "vigente_al_corte": vigente_al_mes(pres, mes),
    })
    return {"operaciones": operaciones, "presupuesto": presupuesto}
