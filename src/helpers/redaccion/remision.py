"""La sección «Remisión de la información» del informe trimestral: qué unidades enviaron su
formulario de seguimiento en plazo, cuáles fuera de plazo (y si sus cifras cuentan), cuáles
se rechazaron y cuáles no lo enviaron. Sale de la tabla `remision` (`calculo.remision`, desde
la hoja recepcion que escribe `informe-poa recoger`); sin esa hoja la sección no va.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.calculo.remision import (
    TABLA_EVIDENCIAS,
    TABLA_REMISION,
    TABLA_SIN_EVIDENCIA,
    conteo_por_situacion,
)
from helpers.comun.calendario import TRIMESTRES, fecha_larga
from helpers.redaccion import presentacion
from helpers.redaccion.textos import enumerar, md

__all__ = ["COLUMNAS_DEL_CUADRO", "cuadro_remision", "cuadro_sin_evidencia",
           "parrafo_evidencias", "parrafo_remision"]

# A lo sumo cuántas unidades nombra el párrafo en cada situación; las demás, en el cuadro.
NOMBRES_EN_EL_PARRAFO = 8

COLUMNAS_DEL_CUADRO = {
    "unidad": ("Unidad organizacional", "texto"),
    "situacion": ("Situación", "texto"),
    "recibido": ("Recibido", "texto"),
    "motivo": ("Motivo", "texto"),
}

# Lo que dice el párrafo de las unidades de cada situación que no es «en plazo»:
# (singular, plural).
_VERBOS = {
    "fuera de plazo, incluido": ("lo envió fuera de plazo y sus cifras se incluyen",
                                 "lo enviaron fuera de plazo y sus cifras se incluyen"),
    "fuera de plazo, excluido": ("lo envió fuera de plazo y sus cifras no se toman en cuenta",
                                 "lo enviaron fuera de plazo y sus cifras no se toman en "
                                 "cuenta"),
    "en observación": ("lo envió y está en observación: se le devolvió para que lo corrija",
                       "lo enviaron y están en observación: se les devolvió para que lo "
                       "corrijan"),
    "rechazado": ("envió un formulario que se rechazó (alterado, con valores no válidos o "
                  "en la revisión)",
                  "enviaron formularios que se rechazaron (alterados, con valores no "
                  "válidos o en la revisión)"),
    "sin formulario": ("no lo envió", "no lo enviaron"),
}


def _remision(prep) -> pd.DataFrame:
    return prep.tablas[TABLA_REMISION]


def _unidades(n: int) -> str:
    return f"{n} {'unidad' if n == 1 else 'unidades'}"


def _nombres(filas: pd.DataFrame) -> str:
    """Los nombres de las unidades (a lo sumo `NOMBRES_EN_EL_PARRAFO`; las demás, contadas)."""
    nombres = [md(str(n)) for n in filas["unidad"].head(NOMBRES_EN_EL_PARRAFO)]
    resto = len(filas) - len(nombres)
    if resto:
        nombres.append(f"{_unidades(resto)} más (cuadro siguiente)")
    return enumerar(nombres)


def _plazo(prep) -> str:
    recepcion = getattr(prep.parametros, "recepcion", None)
    plazo = getattr(recepcion, "plazo", None)
    return f", con plazo hasta el {fecha_larga(plazo)}" if plazo else ""


def _en_plazo(n: int, total: int) -> str:
    if n == total:
        return "todas lo enviaron en plazo" if total > 1 else "lo envió en plazo"
    if n == 0:
        return "ninguna lo envió en plazo"
    return f"{n} lo {'envió' if n == 1 else 'enviaron'} en plazo"


def _de_las_unidades(total: int) -> str:
    return "De la unidad" if total == 1 else f"De las {total} unidades"


# Lo que dice el párrafo de las unidades en cada estado de la revisión: (singular, plural).
_REVISADAS = {
    "aceptado": ("se aceptó", "se aceptaron"),
    "corregido": ("corrigió su formulario después de devolvérselo",
                  "corrigieron su formulario después de devolvérselo"),
    "observado": ("sigue en observación", "siguen en observación"),
}


def _de_la_revision(remision: pd.DataFrame) -> str:
    """Cuántas unidades aceptó la unidad de planificación, cuántas corrigieron lo que se les
    devolvió y cuántas siguen en observación; vacío si no hubo revisión."""
    conteo = remision["revision"].value_counts()
    partes = [f"{_unidades(int(conteo[estado]))} {singular if conteo[estado] == 1 else plural}"
              for estado, (singular, plural) in _REVISADAS.items() if conteo.get(estado, 0)]
    if not partes:
        return ""
    return f" En la revisión de los formularios, {enumerar(partes)}."


def parrafo_remision(prep) -> str:
    """Cuántas unidades enviaron su formulario en plazo y, por su nombre, las demás: fuera de
    plazo (incluidas o excluidas), rechazadas y sin formulario; y que las operaciones de las
    que no cuentan figuran sin reporte en los meses del trimestre."""
    remision = _remision(prep)
    conteo = conteo_por_situacion(remision)
    total = len(remision)
    partes = [_en_plazo(int(conteo["en plazo"]), total)]
    for situacion, (singular, plural) in _VERBOS.items():
        filas = remision[remision["situacion"] == situacion]
        if not filas.empty:
            partes.append(f"{_nombres(filas)} {singular if len(filas) == 1 else plural}")
    texto = (f"Las cifras de ejecución física del {TRIMESTRES[prep.trimestre]} trimestre salen "
             "de los formularios de seguimiento que la unidad de planificación envió a cada "
             f"unidad organizacional con operaciones{_plazo(prep)}. {_de_las_unidades(total)}, "
             f"{'; '.join(partes)}.")
    if not remision["cuenta"].all():
        texto += (" Las operaciones de las unidades cuyo formulario no cuenta figuran sin "
                  "reporte en los meses del trimestre (sección Alertas).")
    texto += _de_la_revision(remision)
    rondas = pd.to_numeric(remision["ronda"], errors="coerce").max()
    if pd.notna(rondas) and rondas > 1:
        texto += (f" Los formularios se recogieron en {int(rondas)} rondas: lo que llegó "
                  "después de la primera se incluyó en la siguiente.")
    return texto


def _recibido(fecha) -> str:
    return f"{fecha:%d/%m/%Y}" if isinstance(fecha, dt.date) and not pd.isna(fecha) else ""


def cuadro_remision(prep) -> str:
    """El cuadro de las unidades que no enviaron su formulario en plazo: su situación, cuándo
    se recibió y el motivo; vacío si todas lo enviaron en plazo."""
    remision = _remision(prep)
    filas = remision[remision["situacion"] != "en plazo"].assign(
        situacion=lambda t: t["situacion"].str.capitalize(),
        recibido=lambda t: t["fecha"].map(_recibido))
    if filas.empty:
        return ""
    return presentacion.tabla(
        filas, list(COLUMNAS_DEL_CUADRO), nombre=TABLA_REMISION,
        titulos={c: t for c, (t, _) in COLUMNAS_DEL_CUADRO.items()},
        formatos={c: f for c, (_, f) in COLUMNAS_DEL_CUADRO.items()})


# --- Las evidencias ---------------------------------------------------------------------

COLUMNAS_SIN_EVIDENCIA = {
    "unidad": ("Unidad organizacional", "texto"),
    "codigo_operacion": ("Código", "texto"),
    "operacion": ("Operación", "texto"),
    "ejecutado": ("Ejecutado en el trimestre", "cantidad"),
}


def _cuantas(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def parrafo_evidencias(prep) -> str:
    """Cuántas evidencias mandaron las unidades y de cuántas operaciones, dónde están con su
    huella, y cuántas operaciones con ejecución no tienen ninguna; vacío si el libro no trae
    evidencias."""
    evidencias = prep.tablas[TABLA_EVIDENCIAS]
    sin = prep.tablas[TABLA_SIN_EVIDENCIA]
    if evidencias.empty and sin.empty:
        return ""
    texto = (f"Con sus formularios, las unidades mandaron "
             f"{_cuantas(len(evidencias), 'evidencia', 'evidencias')} de "
             f"{_cuantas(evidencias['codigo_operacion'].nunique(), 'operación', 'operaciones')}"
             " (actas, fotos, informes): el anexo las lista por operación, cada una con su "
             "huella SHA-256, y el manifiesto del informe las incluye.")
    if sin.empty:
        return texto + " Toda operación con ejecución en el trimestre tiene su evidencia."
    return texto + (f" {_cuantas(len(sin), 'operación', 'operaciones')} con ejecución en el "
                    f"trimestre no {'tiene' if len(sin) == 1 else 'tienen'} ninguna (cuadro "
                    "siguiente).")


def cuadro_sin_evidencia(prep) -> str:
    """El cuadro de las operaciones con ejecución en el trimestre y sin evidencia."""
    sin = prep.tablas[TABLA_SIN_EVIDENCIA]
    if sin.empty:
        return ""
    return presentacion.tabla(
        sin, list(COLUMNAS_SIN_EVIDENCIA), nombre=TABLA_SIN_EVIDENCIA,
        titulos={c: t for c, (t, _) in COLUMNAS_SIN_EVIDENCIA.items()},
        formatos={c: f for c, (_, f) in COLUMNAS_SIN_EVIDENCIA.items()})
