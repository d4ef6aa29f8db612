"""Textos y cuadros de la Rendición Pública de Cuentas: los resultados por área y unidad
organizacional, la evaluación de las operaciones del POA y las conclusiones de la gestión.

Como en ``helpers.redaccion.analisis``: cada número, conteo, nombre y umbral sale de las tablas
de ``helpers.calculo.anual``, de las hojas del libro o de los parámetros; nada se escribe a
mano. Las frases son Markdown y todo texto de los datos entra con ``md``
(``helpers.comun.literal.markdown``); los cuadros son DataFrames que los cuadernos muestran
con ``presentacion.tabla`` (que escapa cada celda).

Reglas propias de la rendición:

- Las unidades se nombran con su nombre y las áreas con el suyo (``prep.nombre_area``).
- Los recuentos CUMPLE / NO CUMPLE / NO APLICA de las frases son los de las tablas
  ``unidad`` y ``area`` (columnas ``operaciones_*``), los mismos que suman las filas de los
  cuadros de operaciones.
- El cumplimiento se muestra con tope (la cifra que se evalúa); si la operación superó su
  meta, el cumplimiento sin tope va al lado, entre paréntesis: «100,00 (128,40)».
- Los logros y las dificultades de la hoja narrativa van en los resultados, en el área de su
  unidad, con el trimestre en que se registraron; las recomendaciones, en las conclusiones.
  Cada fila se imprime una sola vez.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.contenido import tiene_logros
from helpers.calculo.recomendaciones import PLANIFICACION, UNIDAD
from helpers.calculo.tablas import TOTAL
from helpers.comun.calendario import TRIMESTRES
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import (
    GUION,
    formatear_entero,
    formatear_monto,
    formatear_numero,
    redondear,
)
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import analisis, conclusiones, seguimiento
from helpers.redaccion.textos import enumerar

__all__ = [
    "argumentos_observadas",
    "argumentos_tabla",
    "COLUMNAS_CUADRO_EVALUACION",
    "COLUMNAS_CUADRO_OBSERVADAS",
    "COLUMNAS_CUADRO_OPERACIONES",
    "COLUMNAS_CUADRO_UNIDADES",
    "conclusion_entidad",
    "conclusion_evaluacion",
    "conclusiones_trimestres",
    "conclusiones_umbrales",
    "cuadro_evaluacion",
    "cuadro_observadas",
    "cuadro_operaciones",
    "cuadro_unidades",
    "cumplimiento_mostrado",
    "evaluacion_mostrada",
    "frase_conteo",
    "frase_unidad",
    "narrativa_del_area",
    "parrafo_area",
    "parrafo_evaluacion",
    "parrafo_observadas",
    "parrafo_resultados",
    "parrafo_recomendaciones",
    "recomendaciones_planificacion",
    "recomendaciones_unidades",
    "regla_evaluacion",
]

# Las columnas de los recuentos de la evaluación, con la evaluación que cuentan.
CONTEOS = {"operaciones_cumple": m.CUMPLE, "operaciones_no_cumple": m.NO_CUMPLE,
           "operaciones_no_aplica": m.NO_APLICA}
EVALUACIONES = list(CONTEOS.values())
# tipo -> (título, singular, plural, participio concordado con el plural)
TIPOS_RESULTADO = {"logro": ("Logros", "logro", "logros", "registrados"),
                   "dificultad": ("Dificultades", "dificultad", "dificultades", "registradas")}
# El trimestre como sustantivo, para los empates («los trimestres primero y tercero»).
ORDINALES = {1: "primero", 2: "segundo", 3: "tercero", 4: "cuarto"}

# Títulos y formatos de los cuadros (para presentacion.tabla: columnas, titulos=, formatos=).
COLUMNAS_CUADRO_OPERACIONES = {
    "descripcion": ("Descripción", "texto"),
    "indicador": ("Indicador", "texto"),
    "unidad_medida": ("Unidad de medida", "texto"),
    "prog_anual": ("Programado anual", "monto"),
    "ejec_anual": ("Ejecutado anual", "monto"),
    "cumplimiento": ("Cumplimiento anual (%)", "texto"),
    "evaluacion": ("Evaluación", "texto"),
    "medio_verificacion": ("Medio de verificación", "texto"),
}
COLUMNAS_CUADRO_UNIDADES = {
    "nombre": ("Unidad organizacional", "texto"),
    "avance_fisico_anual": ("Avance físico anual", "pct"),
    "calificacion_anual": ("Calificación", "texto"),
    "ejecucion_anual": ("Ejecución anual", "pct"),
    "semaforo": ("Semáforo", "texto"),
    "operaciones_cumple": (m.CUMPLE, "entero"),
    "operaciones_no_cumple": (m.NO_CUMPLE, "entero"),
    "operaciones_no_aplica": (m.NO_APLICA, "entero"),
}
COLUMNAS_CUADRO_EVALUACION = {
    "area": ("Área organizacional", "texto"),
    "operaciones_cumple": (m.CUMPLE, "entero"),
    "operaciones_no_cumple": (m.NO_CUMPLE, "entero"),
    "operaciones_no_aplica": (m.NO_APLICA, "entero"),
    "operaciones": ("Operaciones", "entero"),
    "evaluadas": ("Evaluadas", "entero"),
    "porcentaje_cumple": ("CUMPLE (% de las evaluadas)", "pct"),
}
COLUMNAS_CUADRO_OBSERVADAS = {
    "area": ("Área", "texto"),
    "unidad": ("Unidad organizacional", "texto"),
    "descripcion": ("Descripción", "texto"),
    "prog_anual": ("Programado anual", "monto"),
    "ejec_anual": ("Ejecutado anual", "monto"),
    "cumplimiento": ("Cumplimiento anual (%)", "texto"),
    "justificacion": ("Justificación", "texto"),
}


def argumentos_tabla(columnas: dict) -> dict:
    """Los argumentos de ``presentacion.tabla`` para uno de los cuadros de este módulo:
    ``columnas``, ``titulos`` y ``formatos``."""
    return {"columnas": list(columnas), "titulos": {c: t for c, (t, _) in columnas.items()},
            "formatos": {c: f for c, (_, f) in columnas.items()}}


# --------------------------------------------------------------------------------------
# Piezas


def _nombres_unidad(prep) -> dict[str, str]:
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))


def _area_de_unidad(prep) -> dict[str, str]:
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["area"]))


def _fila_total(area: pd.DataFrame) -> pd.Series:
    return area[area["area"] == TOTAL].iloc[0]


def _hay(valor) -> bool:
    """Si una celda de texto trae algo (ni None, ni vacía, ni NaN)."""
    return valor is not None and not (isinstance(valor, float) and pd.isna(valor)) and bool(
        str(valor).strip())


def _con_verbo(n: int, singular: str, plural: str) -> str:
    return singular if n == 1 else plural


def frase_conteo(cumple: int, no_cumple: int, no_aplica: int) -> str:
    """'42 CUMPLE, 1 NO CUMPLE y 1 NO APLICA' (sólo los recuentos que no son 0); 'ninguna'
    si no hay operaciones."""
    partes = [f"{formatear_entero(n)} {ev}" for n, ev in
              zip((cumple, no_cumple, no_aplica), EVALUACIONES) if n]
    return enumerar(partes) if partes else "ninguna"


def _conteos_de(fila) -> tuple[int, int, int]:
    return tuple(int(fila[c]) for c in CONTEOS)


def _frase_evaluacion(fila, quien: str) -> str:
    """'De sus 44 operaciones, 43 CUMPLE y 1 NO APLICA; ninguna queda NO CUMPLE.'"""
    cumple, no_cumple, no_aplica = _conteos_de(fila)
    total = cumple + no_cumple + no_aplica
    if not total:
        return f"{quien} no tiene operaciones en el POA."
    if total == 1:
        unica = next(ev for n, ev in zip((cumple, no_cumple, no_aplica), EVALUACIONES) if n)
        return f"En la evaluación de la gestión, su única operación queda {unica}."
    texto = (f"De sus {analisis.contar(total, 'operación', 'operaciones')}, la evaluación de "
             f"la gestión da {frase_conteo(cumple, no_cumple, no_aplica)}")
    if not no_cumple and cumple:
        texto += f"; ninguna queda {m.NO_CUMPLE}"
    return texto + "."


def _frase_fisico_financiero(fila) -> str:
    """'un avance físico de **92,12 %** (calificación Alto) y una ejecución financiera de
    **88,97 %** de un presupuesto vigente de Bs 75.815.008,53 (semáforo verde)'."""
    if pd.isna(fila["avance_fisico_anual"]):
        fisico = "no tuvo metas evaluables, por lo que no tiene avance físico"
    else:
        calificacion = (f" (calificación {md(fila['calificacion_anual'])})"
                        if _hay(fila.get("calificacion_anual")) else "")
        fisico = f"alcanzó un avance físico de **{pct(fila['avance_fisico_anual'])}**{calificacion}"
    if pd.isna(fila["ejecucion_anual"]):
        financiero = "no tiene presupuesto vigente propio"
    else:
        semaforo = f" (semáforo {md(fila['semaforo'])})" if _hay(fila.get("semaforo")) else ""
        financiero = (f"ejecutó **{pct(fila['ejecucion_anual'])}** de su presupuesto vigente "
                      f"de Bs {formatear_monto(fila['vigente'])}{semaforo}")
    return f"{fisico} y {financiero}"


# --------------------------------------------------------------------------------------
# Resultados por área y unidad


def parrafo_resultados(prep) -> str:
    """Qué muestra la sección: cuántas áreas, unidades y operaciones, y cómo leer el
    cumplimiento de los cuadros (y la evaluación NO APLICA, si alguna operación la tiene).
    Los logros y las dificultades, sólo si la hoja narrativa los trae."""
    operacion = prep.tablas["operacion"]
    unidad = prep.tablas["unidad"]
    areas = [a for a in prep.areas["area"] if (unidad["area"] == a).any()]
    encima = _sobre_meta(operacion)
    de_cada_area = " y el cuadro de sus unidades"
    if tiene_logros(prep.datos, prep.parametros):
        de_cada_area = (", el cuadro de sus unidades y los logros y dificultades que éstas "
                        "registraron en la hoja narrativa")
    texto = (
        f"Esta sección presenta los resultados de {prep.acumulado} de las "
        f"{analisis.contar(len(areas), 'área organizacional', 'áreas organizacionales')} y "
        f"sus {analisis.contar(len(unidad), 'unidad', 'unidades')}: para cada área, sus "
        f"cifras del año{de_cada_area}; para cada unidad, su avance físico, su ejecución "
        f"financiera y el cuadro de sus operaciones ({formatear_entero(len(operacion))} en "
        "total) con su meta, lo ejecutado, el cumplimiento y la evaluación de la gestión."
    )
    if prep.metodologia.tope_cumplimiento:
        texto += (" El cumplimiento anual se muestra con el tope de 100 % que se usa para "
                  "evaluar")
        if len(encima):
            superaron = analisis.contar(len(encima), "operación superó", "operaciones superaron")
            texto += (f"; {superaron}"
                      " su meta, y en ellas el cumplimiento sin tope va entre paréntesis")
        texto += "."
    if not operacion["evaluacion"].eq(m.NO_APLICA).any():
        return texto
    return texto + (f" Una operación {m.NO_APLICA} muestra, en la columna de la evaluación, "
                    "la justificación que la deja fuera.")


def parrafo_area(prep, area: str) -> str:
    """La entrada de un área: cuántas unidades y operaciones tiene, su avance físico y su
    ejecución financiera del año y la evaluación de sus operaciones (tabla `area`)."""
    tabla = prep.tablas["area"]
    fila = tabla[(tabla["area"] == area) & (tabla["nivel"] == "area")].iloc[0]
    unidades = int((prep.tablas["unidad"]["area"] == area).sum())
    agrupa = analisis.contar(unidades, "unidad organizacional", "unidades organizacionales")
    texto = (f"El área agrupa {agrupa}. "
             f"De {prep.acumulado}, el área {_frase_fisico_financiero(fila)}. ")
    return texto + _frase_evaluacion(fila, "El área")


def cuadro_unidades(prep, area: str) -> pd.DataFrame:
    """Las unidades del área (tabla `unidad`, en su orden) con su avance físico, su
    ejecución del año y el recuento de sus operaciones por evaluación."""
    unidad = prep.tablas["unidad"]
    return unidad[unidad["area"] == area].reset_index(drop=True)


def frase_unidad(fila_unidad: pd.Series) -> str:
    """Las cifras del año de una unidad (una fila de la tabla `unidad`) y la evaluación de
    sus operaciones; sin operaciones, una frase que lo dice en lugar del cuadro."""
    cumple, no_cumple, no_aplica = _conteos_de(fila_unidad)
    if not cumple + no_cumple + no_aplica:
        financiero = ("" if pd.isna(fila_unidad["ejecucion_anual"]) else
                      f" Ejecutó {pct(fila_unidad['ejecucion_anual'])} de su presupuesto "
                      f"vigente de Bs {formatear_monto(fila_unidad['vigente'])}.")
        return ("La unidad no tiene operaciones en el POA: no tiene avance físico ni cuadro de "
                "operaciones." + financiero)
    return (f"En la gestión, la unidad {_frase_fisico_financiero(fila_unidad)}. "
            + _frase_evaluacion(fila_unidad, "La unidad"))


def operaciones_por_unidad(operacion: pd.DataFrame) -> pd.Series:
    """Cuántas operaciones tiene cada unidad (tabla `operacion`), por `codigo_unidad`."""
    return operacion.groupby("codigo_unidad", sort=False).size()


def unidades_en_detalle(unidades: pd.DataFrame, operaciones: pd.Series, cupo: int | None) -> int:
    """Cuántas de las primeras `unidades` (en su orden) llevan su detalle (título, frase y
    cuadro de operaciones) sin que sus cuadros pasen, juntos, de `cupo` filas; al menos la
    primera. Sin cupo, todas. `operaciones`: `operaciones_por_unidad`. En una entidad
    grande, el detalle de miles de unidades no cabe en un documento que se lee."""
    if cupo is None or unidades.empty:
        return len(unidades)
    acumuladas = operaciones.reindex(unidades["codigo_unidad"]).fillna(0).cumsum().to_numpy()
    return max(1, int((acumuladas <= cupo).sum()))


def frase_sin_detalle(resto: pd.DataFrame, operaciones: pd.Series) -> str:
    """Dónde está el detalle de las unidades del área que no lo llevan en el informe
    (`unidades_en_detalle`): cuántas son, cuántas operaciones tienen, y que todo está en
    las tablas CSV y en anexo.xlsx."""
    n = len(resto)
    n_ops = int(operaciones.reindex(resto["codigo_unidad"]).fillna(0).sum())
    quienes = "la otra unidad" if n == 1 else f"las otras {formatear_entero(n)} unidades"
    ops = _con_verbo(n_ops, "operación", "operaciones")
    return (f"Para que el informe no crezca con los datos, el detalle de {quienes} del área "
            f"({formatear_entero(n_ops)} {ops}) no va aquí: está completo en "
            "tablas/unidad.csv y tablas/operacion.csv, y en las hojas unidad y operacion de "
            "anexo.xlsx.")


def cumplimiento_mostrado(cumplimiento, sin_tope) -> str:
    """El cumplimiento con tope, como se imprime ('94,44'); si el cumplimiento sin tope se
    imprime mayor, va entre paréntesis ('100,00 (128,40)'). Sin cumplimiento: '—'."""
    if cumplimiento is None or pd.isna(cumplimiento):
        return GUION
    texto = formatear_numero(cumplimiento)
    if (sin_tope is not None and not pd.isna(sin_tope)
            and redondear(float(sin_tope), 2) > redondear(float(cumplimiento), 2)):
        texto += f" ({formatear_numero(sin_tope)})"
    return texto


def evaluacion_mostrada(evaluacion: str, justificacion) -> str:
    """La evaluación; la de una operación NO APLICA, con su justificación
    ('NO APLICA: la visita fue postergada...')."""
    texto = str(justificacion or "").strip()
    if evaluacion == m.NO_APLICA and texto:
        return f"{evaluacion}: {texto}"
    return str(evaluacion)


def _sobre_meta(operacion: pd.DataFrame) -> pd.DataFrame:
    """Las operaciones cuyo cumplimiento sin tope se imprime mayor que el que se evalúa."""
    mostrado = operacion["cumplimiento_anual"].map(lambda v: redondear(float(v), 2))
    sin_tope = operacion["cumplimiento_sin_tope_anual"].map(lambda v: redondear(float(v), 2))
    return operacion[(sin_tope > mostrado).fillna(False)]


def cuadro_operaciones(operacion: pd.DataFrame, codigo_unidad: str) -> pd.DataFrame:
    """Las operaciones de la unidad (tabla `operacion`, en su orden) para el cuadro
    (`COLUMNAS_CUADRO_OPERACIONES`): el cumplimiento como `cumplimiento_mostrado` y la
    evaluación como `evaluacion_mostrada`. Si alguna superó su meta, `attrs["nota"]` explica
    el paréntesis."""
    ops = operacion[operacion["codigo_unidad"] == codigo_unidad].reset_index(drop=True)
    cuadro = ops[["descripcion", "indicador", "unidad_medida", "prog_anual", "ejec_anual",
                  "medio_verificacion"]].copy()
    cuadro["cumplimiento"] = [cumplimiento_mostrado(c, s) for c, s in
                              zip(ops["cumplimiento_anual"], ops["cumplimiento_sin_tope_anual"])]
    cuadro["evaluacion"] = [evaluacion_mostrada(e, j) for e, j in
                            zip(ops["evaluacion"], ops["justificacion"])]
    encima = len(_sobre_meta(ops))
    if encima:
        quienes = ("la operación que superó" if encima == 1
                   else f"las {formatear_entero(encima)} operaciones que superaron")
        cuadro.attrs["nota"] = (
            f"Cumplimiento con tope de 100 %; entre paréntesis, el cumplimiento sin tope de "
            f"{quienes}"
            " su meta."
        )
    return cuadro[list(COLUMNAS_CUADRO_OPERACIONES)]


def _cita(texto, nombre_unidad: str, trimestres: list[int]) -> str:
    """'«texto» (Unidad, segundo trimestre)' o '(Unidad, trimestres primero y tercero)'."""
    if len(trimestres) == 1:
        cuando = f"{TRIMESTRES[trimestres[0]]} trimestre"
    else:
        cuando = f"trimestres {enumerar([ORDINALES[t] for t in trimestres])}"
    return f"«{md(texto)}» ({md(nombre_unidad)}, {cuando})"


def _agrupadas(filas: pd.DataFrame) -> list[tuple[str, str, list[int]]]:
    """(codigo_unidad, texto, trimestres) de cada texto distinto de una unidad, en el orden
    de su primer registro; el mismo texto registrado en varios trimestres va una vez."""
    grupos: dict[tuple[str, str], list[int]] = {}
    for f in filas.sort_values("trimestre", kind="stable").itertuples():
        grupos.setdefault((f.codigo_unidad, str(f.texto).strip()), []).append(int(f.trimestre))
    return [(u, t, sorted(set(ts))) for (u, t), ts in grupos.items()]


def narrativa_del_area(prep, area: str) -> list[str]:
    """Los logros y las dificultades de la gestión (hoja narrativa, todos los trimestres
    hasta el corte) de las unidades del área, como bloques de Markdown: una frase de
    presentación y una lista por tipo, cada texto con su unidad y su trimestre. Sin ningún
    registro, una sola frase."""
    narr = prep.narrativa
    area_de = _area_de_unidad(prep)
    nombres = _nombres_unidad(prep)
    del_area = narr[narr["codigo_unidad"].map(area_de).eq(area)
                    & narr["tipo"].isin(list(TIPOS_RESULTADO))]
    if del_area.empty:
        return [f"Ninguna unidad del área registró logros ni dificultades de {prep.acumulado} en "
                "la hoja narrativa."]
    bloques = []
    for tipo, (titulo, singular, plural, participio) in TIPOS_RESULTADO.items():
        del_tipo = _agrupadas(del_area[del_area["tipo"] == tipo])
        if not del_tipo:
            bloques.append(f"Ninguna unidad del área registró {plural} de la gestión.")
            continue
        bloques.append(f"**{titulo}** de la gestión {participio} por las unidades del área "
                       f"({analisis.contar(len(del_tipo), singular, plural)}):\n\n"
                       + analisis.lista([_cita(t, nombres.get(u, u), ts)
                                         for u, t, ts in del_tipo]))
    return bloques


# --------------------------------------------------------------------------------------
# Evaluación de las operaciones


def regla_evaluacion(prep) -> str:
    """La regla de la evaluación anual en una frase, con el umbral de los parámetros."""
    r = prep.metodologia
    tope = ", con tope de 100 %" if r.tope_cumplimiento else ""
    fuera = ("" if r.sin_reporte == "cero" else
             ", o si quedó fuera del cálculo por falta de reporte de su ejecución")
    return (
        f"Cada operación se evalúa con su cumplimiento de {prep.acumulado} (lo ejecutado sobre "
        f"lo programado en ese periodo{tope}, comparado tal como se imprime, con dos "
        f"decimales): **{m.CUMPLE}** si llega a {pct(r.umbral_cumple)}, **{m.NO_CUMPLE}** si "
        f"queda por debajo, y **{m.NO_APLICA}** si el planificador la marcó así, con su "
        f"justificación, o si no tuvo meta programada en el periodo{fuera}."
    )


def cuadro_evaluacion(prep) -> pd.DataFrame:
    """Cuántas operaciones CUMPLE, NO CUMPLE y NO APLICA hay por área, por servicio y en la
    entidad (tabla `area`, áreas con su nombre), con el total, las evaluadas (CUMPLE más
    NO CUMPLE) y la parte de las evaluadas que cumple (%; vacía sin evaluadas)."""
    area = prep.con_nombres(prep.tablas["area"])
    cuadro = area[["area", "nivel", *CONTEOS]].copy()
    cuadro["operaciones"] = cuadro[list(CONTEOS)].sum(axis=1)
    cuadro["evaluadas"] = cuadro["operaciones_cumple"] + cuadro["operaciones_no_cumple"]
    cuadro["porcentaje_cumple"] = [
        m.porcentaje(c, e) if e else float("nan")
        for c, e in zip(cuadro["operaciones_cumple"], cuadro["evaluadas"])]
    return cuadro.reset_index(drop=True)


def parrafo_evaluacion(prep) -> str:
    """La evaluación de la entidad (fila TOTAL de la tabla `area`): cuántas operaciones hay
    de cada evaluación, qué parte de las evaluadas cumple, cuántas superaron su meta y en
    qué áreas están las NO CUMPLE."""
    area = prep.tablas["area"]
    cumple, no_cumple, no_aplica = _conteos_de(_fila_total(area))
    total = cumple + no_cumple + no_aplica
    if not total:
        return "El POA no tiene operaciones que evaluar."
    evaluadas = cumple + no_cumple
    texto = (f"De las {analisis.contar(total, 'operación', 'operaciones')} del POA "
             f"{prep.gestion}, la evaluación de la gestión da "
             f"{frase_conteo(cumple, no_cumple, no_aplica)}.")
    if evaluadas:
        texto += (f" De las {formatear_entero(evaluadas)} evaluadas (las que no son "
                  f"{m.NO_APLICA}), cumple el {pct(m.porcentaje(cumple, evaluadas))}.")
    encima = _sobre_meta(prep.tablas["operacion"])
    if len(encima):
        texto += (f" {analisis.contar(len(encima), 'operación superó', 'operaciones superaron')} "
                  "su meta anual (cumplimiento sin tope mayor que el que se evalúa).")
    areas = area[area["nivel"] == "area"]
    con_no_cumple = areas[areas["operaciones_no_cumple"] > 0]
    if no_cumple and len(con_no_cumple):
        texto += (f" Las {m.NO_CUMPLE} están en "
                  + enumerar([f"{md(prep.nombre_area(a.area))} "
                              f"({formatear_entero(a.operaciones_no_cumple)})"
                              for a in con_no_cumple.itertuples()]) + ".")
    elif not no_cumple and evaluadas:
        texto += f" Ninguna área tiene operaciones {m.NO_CUMPLE}."
    return texto


def cuadro_observadas(prep, evaluacion: str) -> pd.DataFrame:
    """Las operaciones con `evaluacion` (NO CUMPLE o NO APLICA), en el orden de las áreas y
    de las unidades, con el área y la unidad por su nombre, la descripción, la meta, lo
    ejecutado, el cumplimiento (`cumplimiento_mostrado`) y la justificación
    (`COLUMNAS_CUADRO_OBSERVADAS`)."""
    operacion = prep.tablas["operacion"]
    ops = operacion[operacion["evaluacion"] == evaluacion]
    area_de = _area_de_unidad(prep)
    orden_area = {a: i for i, a in enumerate(prep.areas["area"])}
    orden_unidad = {u: i for i, u in enumerate(prep.unidades["codigo_unidad"])}
    ops = ops.assign(_a=ops["codigo_unidad"].map(area_de).map(orden_area),
                     _u=ops["codigo_unidad"].map(orden_unidad))
    ops = ops.sort_values(["_a", "_u"], kind="stable").reset_index(drop=True)
    nombres = _nombres_unidad(prep)
    cuadro = pd.DataFrame({
        "area": [prep.nombre_area(area_de.get(u, u)) for u in ops["codigo_unidad"]],
        "unidad": [nombres.get(u, u) for u in ops["codigo_unidad"]],
        "descripcion": ops["descripcion"],
        "prog_anual": ops["prog_anual"],
        "ejec_anual": ops["ejec_anual"],
        "cumplimiento": [cumplimiento_mostrado(c, s) for c, s in
                         zip(ops["cumplimiento_anual"], ops["cumplimiento_sin_tope_anual"])],
        "justificacion": [str(j or "").strip() for j in ops["justificacion"]],
    })
    return cuadro[list(COLUMNAS_CUADRO_OBSERVADAS)]


def parrafo_observadas(prep, evaluacion: str) -> str:
    """Cuántas operaciones tienen `evaluacion` y de cuántas unidades, o que ninguna."""
    operacion = prep.tablas["operacion"]
    ops = operacion[operacion["evaluacion"] == evaluacion]
    if ops.empty:
        return f"Ninguna operación queda {evaluacion} en la gestión."
    unidades = ops["codigo_unidad"].nunique()
    texto = (f"{analisis.contar(len(ops), 'operación', 'operaciones')} de "
             f"{analisis.contar(unidades, 'unidad', 'unidades')} "
             f"{_con_verbo(len(ops), 'queda', 'quedan')} {evaluacion}")
    if evaluacion == m.NO_APLICA:
        return texto + ("; el cuadro da su justificación." if len(ops) == 1 else
                        "; el cuadro da la justificación de cada una.")
    return texto + (f": su cumplimiento anual no llega a {pct(prep.metodologia.umbral_cumple)}.")


# --------------------------------------------------------------------------------------
# Conclusiones


def conclusion_entidad(prep) -> str:
    """El avance físico y la ejecución financiera de la entidad en el año (fila TOTAL de la
    tabla `area`) y su relación: la eficacia frente a la ejecución (brecha y eficiencia)."""
    t = _fila_total(prep.tablas["area"])
    texto = f"De {prep.acumulado}, el {md(prep.entidad)} {_frase_fisico_financiero(t)}."
    if pd.isna(t["brecha_anual"]):
        return texto
    eficacia = pct(t["eficacia_anual"])
    if t["brecha_anual"] == 0:
        relacion = (f" La eficacia del año ({eficacia} del programa anual) y la ejecución "
                    "financiera van a la par (brecha de 0,00 puntos porcentuales)")
    else:
        lado = "por delante de" if t["brecha_anual"] > 0 else "por detrás de"
        ritmo = ("las metas avanzaron más que el gasto" if t["brecha_anual"] > 0 else
                 "el gasto avanzó más que las metas")
        relacion = (f" La eficacia del año, {eficacia} del programa anual, va {lado} la "
                    f"ejecución financiera por {formatear_numero(abs(t['brecha_anual']))} "
                    f"puntos porcentuales: {ritmo}")
    if pd.notna(t["eficiencia_anual"]):
        relacion += f" (eficiencia de {pct(t['eficiencia_anual'])})"
    return texto + relacion + "."


def conclusion_evaluacion(prep) -> str:
    """La evaluación de las operaciones de la entidad en una frase de conclusión (fila TOTAL
    de la tabla `area`), con las áreas que tienen operaciones NO CUMPLE."""
    area = prep.tablas["area"]
    fila = _fila_total(area)
    texto = _frase_evaluacion(fila, "La entidad")
    cumple, no_cumple, _ = _conteos_de(fila)
    if cumple + no_cumple:
        texto = (texto[:-1] + f": cumple el {pct(m.porcentaje(cumple, cumple + no_cumple))} de "
                 f"las {formatear_entero(cumple + no_cumple)} evaluadas.")
    areas = area[(area["nivel"] == "area") & (area["operaciones_no_cumple"] > 0)]
    if len(areas):
        texto += (f" Las {m.NO_CUMPLE} están en "
                  + enumerar([f"{md(prep.nombre_area(a.area))} "
                              f"({formatear_entero(a.operaciones_no_cumple)})"
                              for a in areas.itertuples()]) + ".")
    return texto


def _bajo_umbral(tabla: pd.DataFrame, escala) -> pd.DataFrame:
    """`conclusiones.bajo_umbral` sobre las cifras del año: las filas con el avance físico anual
    en los grados bajos (`fisico`) o con el semáforo en rojo (`financiero`)."""
    renombrada = tabla.rename(columns={"avance_fisico_anual": "avance_fisico_trimestre"})
    return conclusiones.bajo_umbral(renombrada, escala).rename(
        columns={"avance_fisico_trimestre": "avance_fisico_anual"})


def _las(n: int, singular: str, plural: str) -> str:
    """'la unidad' (una sola) o 'las 3 unidades'."""
    return f"la {singular}" if n == 1 else f"las {formatear_entero(n)} {plural}"


def _nombrados(nombres: list[str], plural: str) -> str:
    if len(nombres) > analisis.MAXIMO_NOMBRADAS:
        return f"{formatear_entero(len(nombres))} {plural}"
    return enumerar(nombres)


def conclusiones_umbrales(prep) -> list[str]:
    """Las áreas y unidades bajo los umbrales del año, por avance físico y por ejecución
    financiera (las unidades por área), y dónde están las dificultades que registraron."""
    escala = prep.metodologia.escala_calificacion
    nombres = _nombres_unidad(prep)
    unidad = prep.tablas["unidad"]
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"]
    areas_bajo = _bajo_umbral(areas, escala)
    unidades_bajo = _bajo_umbral(unidad, escala)
    orden = list(prep.areas["area"])
    frases = []
    for clave, indicador, con_dato, cuales, en in (
            ("fisico", "Avance físico", "avance_fisico_anual", "con metas en el año",
             "en esos grados"),
            ("financiero", "Ejecución financiera", "ejecucion_anual", "con presupuesto propio",
             "en rojo")):
        n_areas = int(areas[con_dato].notna().sum())
        n_unidades = int(unidad[con_dato].notna().sum())
        a_bajo = areas_bajo[areas_bajo[clave]]
        u_bajo = unidades_bajo[unidades_bajo[clave]]
        if a_bajo.empty:
            texto = (f"{indicador}: ninguna de {_las(n_areas, 'área', 'áreas')} {cuales} "
                     f"queda {en}")
        else:
            texto = (f"{indicador}: {formatear_entero(len(a_bajo))} de "
                     f"{_las(n_areas, 'área', 'áreas')} {cuales} "
                     f"{_con_verbo(len(a_bajo), 'queda', 'quedan')} {en} ("
                     + enumerar([md(prep.nombre_area(a)) for a in a_bajo["area"]]) + ")")
        if u_bajo.empty:
            texto += f", ni ninguna de {_las(n_unidades, 'unidad', 'unidades')} {cuales}."
        else:
            texto += (f"; de {_las(n_unidades, 'unidad', 'unidades')} {cuales}, "
                      f"{formatear_entero(len(u_bajo))} "
                      f"{_con_verbo(len(u_bajo), 'queda', 'quedan')}"
                      f" {en}:")
            area_de = u_bajo["area"]
            for a in orden:
                del_area = u_bajo[area_de == a]
                if del_area.empty:
                    continue
                detalle = [md(nombres[u]) for u in del_area["codigo_unidad"]]
                if clave == "fisico":
                    detalle = [f"{d} ({md(c)}, {pct(v)})" for d, c, v in
                               zip(detalle, del_area["calificacion_anual"],
                                   del_area["avance_fisico_anual"])]
                else:
                    detalle = [f"{d} ({pct(v)})" for d, v in
                               zip(detalle, del_area["ejecucion_anual"])]
                texto += (f"\n    - {md(prep.nombre_area(a))} ({formatear_entero(len(del_area))}): "
                          + _nombrados(detalle, "unidades"))
        frases.append(texto)
    if not unidades_bajo.empty:
        narr = prep.narrativa
        dificultades = narr[(narr["tipo"] == "dificultad")
                            & narr["codigo_unidad"].isin(set(unidades_bajo["codigo_unidad"]))]
        total = len(unidades_bajo)
        if dificultades.empty:
            quien = ("La unidad bajo los umbrales no registró" if total == 1 else
                     f"Ninguna de las {formatear_entero(total)} unidades bajo los umbrales "
                     "registró")
            frases.append(f"{quien} dificultades en la hoja narrativa de la gestión.")
        else:
            quienes = dificultades["codigo_unidad"].nunique()
            frases.append(
                f"De {_las(total, 'unidad', 'unidades')} bajo los umbrales, "
                f"{'ésta' if total == 1 else formatear_entero(quienes)} "
                f"{_con_verbo(quienes, 'registró', 'registraron')} "
                f"{analisis.contar(len(dificultades), 'dificultad', 'dificultades')} en la hoja "
                "narrativa de la gestión; se transcriben en los resultados por área y unidad "
                "organizacional, en el área de cada una.")
    return frases


def _mejor_y_peor(valores: pd.Series) -> tuple[tuple[list[int], float], tuple[list[int], float]]:
    """Los trimestres (índice) con el valor más alto y con el más bajo tal como se imprimen
    (dos decimales), con ese valor."""
    mostrado = valores.dropna().map(lambda v: redondear(float(v), 2))
    alto, bajo = mostrado.max(), mostrado.min()
    return ((list(mostrado.index[mostrado == alto]), alto),
            (list(mostrado.index[mostrado == bajo]), bajo))


def _trimestres(ts: list[int], articulo: bool = True) -> str:
    """'el segundo trimestre' o 'los trimestres primero y tercero'."""
    if len(ts) == 1:
        return f"{'el ' if articulo else ''}{TRIMESTRES[ts[0]]} trimestre"
    return f"{'los ' if articulo else ''}trimestres {enumerar([ORDINALES[t] for t in ts])}"


def conclusiones_trimestres(prep) -> list[str]:
    """El mejor y el peor trimestre de la gestión para la entidad (filas TOTAL de la tabla
    `trimestral`): por avance físico y por ejecución financiera del trimestre. Los empates
    se comparan en el valor impreso y se nombran todos."""
    trimestral = prep.tablas["trimestral"]
    entidad = trimestral[trimestral["area"] == TOTAL].set_index("trimestre")
    if len(entidad) < 2:
        return [f"La gestión tiene un solo trimestre hasta el corte ({prep.acumulado}): no hay "
                "trimestres que comparar."]
    frases = []
    for columna, indicador, unidad, o in (
            ("avance_fisico", "El avance físico trimestral", "", "o"),
            ("ejecucion", "La ejecución financiera trimestral", " del vigente", "a")):
        valores = entidad[columna].dropna()
        if len(valores) < 2:
            continue
        (altos, alto), (bajos, bajo) = _mejor_y_peor(valores)
        if alto == bajo:
            frases.append(f"{indicador} fue igual en todos los trimestres ({pct(alto)}{unidad}).")
            continue
        detalle = "; ".join(f"{ORDINALES[t]}, {pct(v)}" for t, v in valores.items())
        frases.append(
            f"{indicador} fue más alt{o} en {_trimestres(altos)} ({pct(alto)}{unidad}) "
            f"y más baj{o} en {_trimestres(bajos)} ({pct(bajo)}{unidad}); "
            f"por trimestre: {detalle}.")
    return frases


def _con_cita(prep, f) -> str:
    """Una recomendación de la tabla con su código: las de los parámetros, tal cual; las de
    la hoja narrativa, como cita con su unidad y sus trimestres."""
    if not f.trimestres:
        return seguimiento.con_codigo(f.codigo, md(f.texto), f.repite)
    nombres = _nombres_unidad(prep)
    trimestres = [int(t) for t in f.trimestres.split(", ")]
    return seguimiento.con_codigo(
        f.codigo, _cita(f.texto, nombres.get(f.codigo_unidad, f.codigo_unidad), trimestres),
        f.repite)


def recomendaciones_planificacion(prep) -> list[str]:
    """Las recomendaciones de la unidad de planificación, con su código: las de los
    parámetros (`presentacion.recomendaciones`) y las que ella registró en la hoja narrativa
    en la gestión, con su trimestre (elementos de lista de Markdown; vacío si no hay)."""
    return [_con_cita(prep, f)
            for f in seguimiento.de_origen(prep, PLANIFICACION).itertuples()]


def recomendaciones_unidades(prep) -> list[str]:
    """Las recomendaciones que las demás unidades registraron en la hoja narrativa en la
    gestión, con su código, en el orden de las áreas, cada una con su unidad y su
    trimestre."""
    return [_con_cita(prep, f) for f in seguimiento.de_origen(prep, UNIDAD).itertuples()]


def parrafo_recomendaciones(prep) -> str:
    """Cuántas recomendaciones se recogen y de quién, o que no hay ninguna."""
    propias = len(recomendaciones_planificacion(prep))
    otras = recomendaciones_unidades(prep)
    if not propias and not otras:
        return ("Ni la unidad de planificación ni las unidades organizacionales registraron "
                "recomendaciones en la gestión.")
    partes = []
    if propias:
        partes.append(f"{formatear_entero(propias)} de la unidad de planificación")
    if otras:
        quienes = seguimiento.de_origen(prep, UNIDAD)["codigo_unidad"].nunique()
        partes.append(f"{formatear_entero(len(otras))} de "
                      + analisis.contar(quienes, "unidad organizacional",
                                        "unidades organizacionales"))
    total = propias + len(otras)
    return (f"Se {'recoge' if total == 1 else 'recogen'} "
            f"{analisis.contar(total, 'recomendación', 'recomendaciones')}: "
            + enumerar(partes) + ". Las de la hoja narrativa se transcriben tal como se "
            "registraron, con su unidad y el trimestre.")


def argumentos_observadas(cuadro: pd.DataFrame) -> dict:
    """Los argumentos de ``presentacion.tabla`` para un cuadro de `cuadro_observadas`, sin
    las columnas de texto que no traen nada en ninguna fila (p. ej. la justificación de las
    NO CUMPLE)."""
    argumentos = argumentos_tabla(COLUMNAS_CUADRO_OBSERVADAS)
    vacias = [c for c in ("cumplimiento", "justificacion")
              if len(cuadro) and cuadro[c].isin(["", GUION]).all()]
    argumentos["columnas"] = [c for c in argumentos["columnas"] if c not in vacias]
    return argumentos
