"""Las fórmulas de la metodología (methodology.md), como funciones puras sobre DataFrames.

Nada aquí lee ni escribe archivos: recibe las hojas ya validadas (ver `datos`) y los
parámetros de la metodología, y devuelve valores en precisión completa. El redondeo a 2
decimales (el de las cifras impresas) sólo se aplica para calificar, para el semáforo, a
los operandos de la eficiencia y de la brecha (§4: se derivan de lo impreso, para que el
lector rehaga la cuenta) y al presentar.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.comun.calendario import meses_del_trimestre
from helpers.comun.numeros import redondear
from helpers.entrada.parametros import EFICIENCIA_EJECUCION_MINIMA

MESES = tuple(range(1, 13))
PARTICIPACION_TRIMESTRAL = 25.0  # % del año que aporta cada trimestre con la regla trimestral_igual

ESTADO_PROGRAMADA = "PROGRAMADA"
ESTADO_NO_PROGRAMADA = "NO PROGRAMADA"
ESTADO_SIN_PROGRAMACION = "EJECUTADO SIN PROGRAMACIÓN"
ESTADO_NO_APLICA = "NO APLICA"
ESTADO_EXCLUIDA = "EXCLUIDA POR FALTA DE REPORTE"

CUMPLE, NO_CUMPLE, NO_APLICA = "CUMPLE", "NO CUMPLE", "NO APLICA"



def col_prog(mes: int) -> str:
    return f"prog_{mes:02d}"


def col_ejec(mes: int) -> str:
    return f"ejec_{mes:02d}"


def col_dev(mes: int) -> str:
    return f"dev_{mes:02d}"


# ---------------------------------------------------------------------------------------
# Periodos
# ---------------------------------------------------------------------------------------

def meses_trimestre(trimestre: int) -> list[int]:
    """Meses del trimestre: T2 -> [4, 5, 6] (`comun.calendario.meses_del_trimestre`)."""
    return meses_del_trimestre(trimestre)


def meses_acumulado(trimestre: int) -> list[int]:
    """Enero hasta el corte del trimestre: T2 -> [1..6]."""
    return list(range(1, meses_trimestre(trimestre)[-1] + 1))


# ---------------------------------------------------------------------------------------
# Ejecución física: operaciones
# ---------------------------------------------------------------------------------------

def cumplimiento_operaciones(
    operaciones: pd.DataFrame,
    meses: Iterable[int],
    *,
    tope: bool = True,
    sin_reporte: str = "cero",
) -> pd.DataFrame:
    """Cumplimiento de cada operación en el periodo formado por `meses` (§2.1).

    Devuelve, con el mismo índice que `operaciones`: prog, ejec, cumplimiento (con tope si
    `tope`), cumplimiento_sin_tope, programada (si entra en los promedios), estado y
    meses_sin_reporte (meses del periodo con meta programada y sin dato de ejecución).
    """
    meses = list(meses)
    prog_mes = operaciones[[col_prog(m) for m in meses]].to_numpy(dtype=float)
    ejec_mes = operaciones[[col_ejec(m) for m in meses]].to_numpy(dtype=float)
    faltante = np.isnan(ejec_mes) & (prog_mes > 0)
    prog = prog_mes.sum(axis=1)
    ejec = np.nansum(ejec_mes, axis=1)

    no_aplica = operaciones["no_aplica"].fillna("").astype(str).str.strip().ne("").to_numpy()
    con_falta = faltante.any(axis=1)
    programada = (prog > 0) & ~no_aplica
    if sin_reporte == "excluir":
        programada &= ~con_falta
    elif sin_reporte != "cero":
        raise ValueError(f"regla sin_reporte desconocida: {sin_reporte}")

    with np.errstate(divide="ignore", invalid="ignore"):
        razon = np.where(prog > 0, ejec / np.where(prog > 0, prog, 1.0), np.nan)
    sin_tope = np.where(programada, razon * 100.0, np.nan)
    con_tope = np.minimum(razon, 1.0) * 100.0 if tope else razon * 100.0
    cumplimiento = np.where(programada, con_tope, np.nan)

    estado = np.select(
        [
            no_aplica,
            (prog > 0) & con_falta & (sin_reporte == "excluir"),
            prog > 0,
            ejec > 0,
        ],
        [ESTADO_NO_APLICA, ESTADO_EXCLUIDA, ESTADO_PROGRAMADA, ESTADO_SIN_PROGRAMACION],
        default=ESTADO_NO_PROGRAMADA,
    )
    # "2, 3": los meses sin reporte de cada operación, armados mes por mes para todas a la vez.
    nombres_meses = np.full(len(operaciones), "", dtype=object)
    for j, mes in enumerate(meses):
        nombres_meses = np.where(
            faltante[:, j],
            np.where(nombres_meses == "", str(mes), nombres_meses + f", {mes}"),
            nombres_meses,
        )
    return pd.DataFrame(
        {
            "prog": prog,
            "ejec": ejec,
            "cumplimiento": cumplimiento,
            "cumplimiento_sin_tope": sin_tope,
            "programada": programada,
            "estado": estado,
            "meses_sin_reporte": nombres_meses,
        },
        index=operaciones.index,
    )


# ---------------------------------------------------------------------------------------
# Agregación a unidad, área, servicio, ACP y entidad
# ---------------------------------------------------------------------------------------

def _media_ponderada(valores: pd.Series, pesos: pd.Series, grupos) -> pd.Series:
    """Media de `valores` ponderada por `pesos` dentro de cada grupo, sin los NaN."""
    validos = valores.notna()
    v = valores[validos]
    w = pesos[validos].astype(float)
    if isinstance(grupos, list):
        claves = [g[validos] for g in grupos]
    else:
        claves = grupos[validos]
    # Numerador y denominador en una sola agrupación: las claves se ordenan una vez.
    sumas = pd.DataFrame({"numerador": v * w, "denominador": w}).groupby(claves).sum()
    return (sumas["numerador"] / sumas["denominador"]).rename(None)


def _contexto_operaciones(operaciones: pd.DataFrame, unidades: pd.DataFrame) -> pd.DataFrame:
    """Cada operación con el área y el servicio de su unidad."""
    mapa = unidades.set_index("codigo_unidad")[["area", "servicio"]]
    ctx = operaciones[["codigo_operacion", "codigo_unidad", "codigo_acp", "tareas"]].copy()
    ctx["area"] = ctx["codigo_unidad"].map(mapa["area"])
    ctx["servicio"] = ctx["codigo_unidad"].map(mapa["servicio"])
    return ctx


@dataclass(frozen=True)
class Agregado:
    """Un indicador en todos los niveles; NaN = nada programado en el periodo."""

    unidad: pd.Series
    area: pd.Series
    servicio: pd.Series
    acp: pd.Series
    entidad: float

    def nivel(self, nombre: str):
        return getattr(self, nombre)

    def escalar(self, factor: float) -> Agregado:
        return Agregado(
            self.unidad * factor,
            self.area * factor,
            self.servicio * factor,
            self.acp * factor,
            self.entidad * factor,
        )


def agregar(
    valores: pd.Series,
    operaciones: pd.DataFrame,
    unidades: pd.DataFrame,
    agregacion: str = "promedio_unidades",
) -> Agregado:
    """Lleva un valor por operación (NaN = fuera del promedio) a todos los niveles (§2.2-2.3).

    - unidad: media ponderada por tareas de sus operaciones;
    - `promedio_unidades`: área = media simple de sus unidades, servicio = media de sus
      áreas, entidad = media de sus servicios; ACP = media simple, sobre las unidades con
      operaciones en ella, del valor de cada unidad calculado sólo con esas operaciones;
    - `tareas`: una media ponderada por tareas sobre todas las operaciones del grupo.
    """
    return agregar_varios({None: valores}, operaciones, unidades, agregacion)[None]


def agregar_varios(
    valores: Mapping[Hashable, pd.Series],
    operaciones: pd.DataFrame,
    unidades: pd.DataFrame,
    agregacion: str = "promedio_unidades",
) -> dict[Hashable, Agregado]:
    """`agregar` de varios valores por operación (uno por clave) sobre las mismas operaciones
    y unidades: el área y el servicio de cada operación se buscan una sola vez."""
    if agregacion not in ("promedio_unidades", "tareas"):
        raise ValueError(f"regla de agregación desconocida: {agregacion}")
    ctx = _contexto_operaciones(operaciones, unidades)
    por_unidad = unidades.set_index("codigo_unidad")
    return {clave: _agregar_en(serie, ctx, unidades, por_unidad, agregacion)
            for clave, serie in valores.items()}


def _agregar_en(
    valores: pd.Series,
    ctx: pd.DataFrame,
    unidades: pd.DataFrame,
    por_unidad: pd.DataFrame,
    agregacion: str,
) -> Agregado:
    """`agregar` con el contexto de las operaciones y las unidades por código ya armados."""
    v = pd.Series(np.asarray(valores, dtype=float), index=ctx.index)
    tareas = ctx["tareas"]
    unidad = _media_ponderada(v, tareas, ctx["codigo_unidad"])
    if agregacion == "promedio_unidades":
        u = unidad.to_frame("v")
        u["area"] = por_unidad["area"].reindex(u.index).to_numpy()
        u["servicio"] = por_unidad["servicio"].reindex(u.index).to_numpy()
        area = u.groupby("area")["v"].mean()
        area_servicio = u.groupby("area")["servicio"].first()
        servicio = area.groupby(area_servicio).mean()
        entidad = float(servicio.mean()) if servicio.notna().any() else np.nan
        unidad_acp = _media_ponderada(v, tareas, [ctx["codigo_acp"], ctx["codigo_unidad"]])
        acp = unidad_acp.groupby(level=0).mean()
    else:  # "tareas" (agregar_varios rechaza cualquier otra regla)
        area = _media_ponderada(v, tareas, ctx["area"])
        servicio = _media_ponderada(v, tareas, ctx["servicio"])
        acp = _media_ponderada(v, tareas, ctx["codigo_acp"])
        todos = pd.Series("entidad", index=ctx.index)
        entidad_s = _media_ponderada(v, tareas, todos)
        entidad = float(entidad_s.iloc[0]) if len(entidad_s) else np.nan
    return Agregado(
        unidad=unidad.reindex(unidades["codigo_unidad"].unique()),
        area=area.reindex(pd.unique(unidades["area"])),
        servicio=servicio.reindex(pd.unique(unidades["servicio"])),
        acp=acp,
        entidad=entidad,
    )


def avance_fisico(
    operaciones: pd.DataFrame,
    unidades: pd.DataFrame,
    meses: Iterable[int],
    *,
    tope: bool = True,
    sin_reporte: str = "cero",
    agregacion: str = "promedio_unidades",
) -> Agregado:
    """Avance físico de un periodo en todos los niveles (§2.1-2.3)."""
    cumpl = cumplimiento_operaciones(operaciones, meses, tope=tope, sin_reporte=sin_reporte)
    return agregar(cumpl["cumplimiento"], operaciones, unidades, agregacion)


# ---------------------------------------------------------------------------------------
# Eficacia
# ---------------------------------------------------------------------------------------

def _sumar_agregados(partes: Sequence[Agregado]) -> Agregado:
    """Suma por nivel; un periodo sin valor no aporta, y sin ningún valor queda NaN."""

    def suma(series: list[pd.Series]) -> pd.Series:
        tabla = pd.concat(series, axis=1)
        return tabla.sum(axis=1, min_count=1)

    entidades = [p.entidad for p in partes if not pd.isna(p.entidad)]
    return Agregado(
        unidad=suma([p.unidad for p in partes]),
        area=suma([p.area for p in partes]),
        servicio=suma([p.servicio for p in partes]),
        acp=suma([p.acp for p in partes]),
        entidad=float(sum(entidades)) if entidades else np.nan,
    )


def reparto_mensual(operaciones: pd.DataFrame, trimestre: int) -> pd.DataFrame:
    """Qué parte de lo ejecutado en el trimestre por cada operación se ejecutó en cada mes
    (0 si no ejecutó nada). Repartir la eficacia del trimestre con estas partes hace que
    los meses sumen exactamente el trimestre, en cada nivel."""
    meses = meses_trimestre(trimestre)
    ejec = operaciones[[col_ejec(mes) for mes in meses]].fillna(0.0).to_numpy(dtype=float)
    total = ejec.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        partes = np.where(total > 0, ejec / np.where(total > 0, total, 1.0), 0.0)
    return pd.DataFrame(partes, index=operaciones.index, columns=meses)


def eficacia_programada_operaciones(
    operaciones: pd.DataFrame,
    meses: Iterable[int],
    *,
    tope: bool = True,
    sin_reporte: str = "cero",
    cumplimiento: pd.DataFrame | None = None,
) -> pd.Series:
    """Aporte de cada operación al programa anual en el periodo: cumplimiento × meta del
    periodo / meta anual. Las operaciones sin meta anual (o NO APLICA) quedan fuera (NaN);
    las que no tienen meta en el periodo aportan 0. `cumplimiento`: el de esos meses, si ya
    se calculó."""
    meses = list(meses)
    cumpl = (cumplimiento if cumplimiento is not None
             else cumplimiento_operaciones(operaciones, meses, tope=tope, sin_reporte=sin_reporte))
    anual = operaciones[[col_prog(m) for m in MESES]].sum(axis=1).to_numpy(dtype=float)
    no_aplica = cumpl["estado"].eq(ESTADO_NO_APLICA).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        participacion = np.where(
            anual > 0, cumpl["prog"].to_numpy() / np.where(anual > 0, anual, 1), np.nan
        )
    aporte = np.where(cumpl["programada"], cumpl["cumplimiento"].to_numpy() * participacion, 0.0)
    aporte = np.where((anual > 0) & ~no_aplica, aporte, np.nan)
    return pd.Series(aporte, index=operaciones.index)


def eficacia_acumulada(trimestrales: dict[int, Agregado]) -> Agregado:
    """La eficacia acumulada es la suma de las eficacias trimestrales hasta el corte."""
    return _sumar_agregados([trimestrales[t] for t in sorted(trimestrales)])


# ---------------------------------------------------------------------------------------
# Ejecución financiera (§3)
# ---------------------------------------------------------------------------------------

def devengado(presupuesto: pd.DataFrame, meses: Iterable[int]) -> pd.Series:
    """Devengado de cada línea en el periodo (puede ser negativo)."""
    return presupuesto[[col_dev(m) for m in meses]].sum(axis=1)


def porcentaje(numerador, denominador):
    """numerador / denominador × 100; sin valor (NaN) cuando el denominador es 0."""
    num = np.asarray(numerador, dtype=float)
    den = np.asarray(denominador, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(den > 0, num / np.where(den > 0, den, 1.0) * 100.0, np.nan)
    if isinstance(numerador, pd.Series):
        return pd.Series(r, index=numerador.index)
    return float(r) if r.ndim == 0 else r


# ---------------------------------------------------------------------------------------
# Indicadores combinados (§4)
# ---------------------------------------------------------------------------------------

# Los tramos más bajos de la escala de calificación que cuentan como «bajo el umbral»: los
# señalan las alertas y las conclusiones (Atrasado, En riesgo y Por iniciar con la escala
# por omisión). Nunca el tramo más alto, aunque la escala tenga pocos tramos.
GRADOS_BAJOS = 3


def tramos_bajos(escala) -> list:
    """Los GRADOS_BAJOS últimos tramos de la escala (sin el primero)."""
    n = min(GRADOS_BAJOS, len(escala) - 1)
    return list(escala[len(escala) - n:]) if n > 0 else []


def redondear_valores(valores, decimales: int = 2):
    """`redondear` (a mitad lejos de cero) aplicado a un número, un arreglo o una Serie;
    los vacíos (NaN) siguen vacíos. Devuelve el mismo tipo que recibe (float para un
    escalar)."""
    arreglo = np.asarray(valores, dtype=float)
    if arreglo.ndim == 0:
        return redondear(float(arreglo), decimales)
    # `redondear` (decimal, exacto) una sola vez por valor distinto: una tabla grande repite
    # mucho los mismos porcentajes (0, 100, 50...). El cero conserva su signo.
    unicos, posiciones = np.unique(arreglo.ravel(), return_inverse=True)
    redondeados = np.array([redondear(float(v), decimales) for v in unicos], dtype=float)
    resultado = np.where(arreglo == 0, arreglo, redondeados[posiciones].reshape(arreglo.shape))
    if isinstance(valores, pd.Series):
        return pd.Series(resultado, index=valores.index, name=valores.name)
    return resultado


def eficiencia_significativa(ejecucion, minima: float = EFICIENCIA_EJECUCION_MINIMA):
    """Si la ejecución, redondeada a 2 decimales como se imprime, da una eficiencia con
    sentido: mayor que 0 y no menor que `minima` (%). False donde no hay ejecución."""
    mostrada = np.asarray(redondear_valores(ejecucion), dtype=float)
    with np.errstate(invalid="ignore"):
        resultado = (mostrada > 0) & (mostrada >= float(minima))
    if isinstance(ejecucion, pd.Series):
        return pd.Series(resultado, index=ejecucion.index)
    return bool(resultado) if resultado.ndim == 0 else resultado


def eficiencia(eficacia, ejecucion, minima: float = EFICIENCIA_EJECUCION_MINIMA):
    """eficacia / ejecución × 100 sobre los dos operandos redondeados a 2 decimales (los que
    se imprimen), para que quien rehaga la cuenta con las cifras del informe obtenga la
    misma eficiencia: 43,18 / 33,20 × 100 = 130,06.

    Sin valor (NaN) cuando falta un operando o la eficiencia no es significativa: la
    ejecución redondeada es 0 o menos, o menor que `minima` (ver `eficiencia_significativa`).
    """
    num = redondear_valores(eficacia)
    den = redondear_valores(ejecucion)
    valida = np.asarray(eficiencia_significativa(ejecucion, minima), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(valida, np.asarray(num, dtype=float) / np.where(valida, den, 1.0) * 100.0,
                     np.nan)
    if isinstance(eficacia, pd.Series):
        return pd.Series(r, index=eficacia.index)
    return float(r) if r.ndim == 0 else r


def brecha(eficacia, ejecucion):
    """eficacia − ejecución, en puntos porcentuales, sobre los dos operandos redondeados a
    2 decimales (los que se imprimen): 43,18 − 33,20 = 9,98, aunque con la precisión
    completa diera 9,99. NaN si falta un operando."""
    return redondear_valores(eficacia) - redondear_valores(ejecucion)


# ---------------------------------------------------------------------------------------
# Calificación (§5)
# ---------------------------------------------------------------------------------------

def campo_tramo(tramo, nombre):
    return tramo[nombre] if isinstance(tramo, dict) else getattr(tramo, nombre)


def tramo_de(valor: float, escala) -> object | None:
    """El tramo de la escala que corresponde al valor tal como se muestra (2 decimales).

    La escala va de mayor a menor `desde`; un tramo con `inclusivo` falso exige superar
    su `desde` (p. ej. "> 0").
    """
    if valor is None or pd.isna(valor):
        return None
    mostrado = redondear(float(valor), 2)
    for tramo in escala:
        desde = float(campo_tramo(tramo, "desde"))
        inclusivo = es_inclusivo(tramo)
        if mostrado > desde or (inclusivo and mostrado == desde):
            return tramo
    return None


def es_inclusivo(tramo) -> bool:
    """Si el tramo empieza en su `desde` inclusive (por defecto) o sólo por encima."""
    if isinstance(tramo, dict):
        return bool(tramo.get("inclusivo", True))
    return bool(getattr(tramo, "inclusivo", True))


def calificar(valores, escala, campo: str = "calificacion"):
    """Calificación (o `grado`, `desempeno`) de cada valor; None donde no hay valor (NaN en
    una Serie). Una Serie se califica entera a la vez, tramo por tramo, con la regla de
    `tramo_de`."""
    if not isinstance(valores, pd.Series):
        t = tramo_de(valores, escala)
        return None if t is None else campo_tramo(t, campo)
    mostrado = np.asarray(redondear_valores(valores.astype(float)), dtype=float)
    resultado = np.full(len(valores), np.nan, dtype=object)
    sin_tramo = ~np.isnan(mostrado)
    for tramo in escala:
        desde = float(campo_tramo(tramo, "desde"))
        en_tramo = sin_tramo & ((mostrado > desde) | (es_inclusivo(tramo) & (mostrado == desde)))
        resultado[en_tramo] = campo_tramo(tramo, campo)
        sin_tramo &= ~en_tramo
    return pd.Series(resultado, index=valores.index, name=valores.name, dtype=object)


def semaforo(ejecucion_acumulada, trimestre: int, umbrales: dict):
    """Semáforo financiero sobre la ejecución acumulada al corte del trimestre (§5.2)."""
    verde, amarillo = (float(x) for x in umbrales[trimestre])

    def uno(v):
        if v is None or pd.isna(v):
            return None
        mostrado = redondear(float(v), 2)
        if mostrado >= verde:
            return "verde"
        if mostrado >= amarillo:
            return "amarillo"
        return "rojo"

    if not isinstance(ejecucion_acumulada, pd.Series):
        return uno(ejecucion_acumulada)
    mostrado = np.asarray(redondear_valores(ejecucion_acumulada.astype(float)), dtype=float)
    colores = np.select([mostrado >= verde, mostrado >= amarillo], ["verde", "amarillo"],
                        default="rojo").astype(object)
    colores[np.isnan(mostrado)] = np.nan
    return pd.Series(colores, index=ejecucion_acumulada.index, name=ejecucion_acumulada.name,
                     dtype=object)


def evaluacion_anual(cumplimiento_anual: pd.Series, estado: pd.Series, umbral: float) -> pd.Series:
    """CUMPLE / NO CUMPLE / NO APLICA de cada operación en la rendición de cuentas (§5.3)."""
    mostrado = cumplimiento_anual.map(lambda v: np.nan if pd.isna(v) else redondear(float(v), 2))
    resultado = np.where(mostrado >= umbral, CUMPLE, NO_CUMPLE)
    no_aplica = (estado.isin([ESTADO_NO_APLICA, ESTADO_NO_PROGRAMADA, ESTADO_SIN_PROGRAMACION])
                 | mostrado.isna())
    return pd.Series(np.where(no_aplica, NO_APLICA, resultado), index=cumplimiento_anual.index,
                     dtype=object)
