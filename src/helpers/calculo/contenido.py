"""Lo que el libro trae para cada parte del informe: si una sección, o un título con lo que
sigue, tiene algo que decir.

Cada `tiene_*` recibe el libro validado (`Datos`) y, cuando la respuesta depende del periodo
del informe, sus parámetros. Los usan `solo_con` de los `secciones.yaml` (una sección
entera: `helpers.entrada.tipos`) y los cuadernos (un título y su contenido, sólo si hay qué
mostrar). Lo que un informe deja fuera, y por qué, lo junta `ausencias`: de ahí sale la
frase de la introducción (`redaccion.introduccion.frase_no_incluye`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers.calculo import versiones
from helpers.calculo.articulacion import hay_articulacion

__all__ = [
    "TIPOS_RESULTADO",
    "Ausencia",
    "ausencias",
    "narrativa_del_periodo",
    "tiene_alineacion",
    "tiene_articulacion",
    "tiene_fuentes",
    "tiene_gestiones_anteriores",
    "tiene_ingresos",
    "tiene_logros",
    "tiene_modificaciones_presupuestarias",
    "tiene_recomendaciones",
    "tiene_recomendaciones_de_unidades",
    "tiene_reformulaciones_hasta_el_corte",
    "tiene_servicios",
    "tiene_vinculos_propios",
]

# Los tipos de la hoja narrativa que son resultados (los demás, recomendaciones).
TIPOS_RESULTADO = ("logro", "dificultad")
RECOMENDACION = "recomendacion"


def _de_gestion(parametros) -> bool:
    """Si el informe cubre la gestión hasta su corte (la rendición de cuentas)."""
    return parametros.tipo.periodo == "gestion"


def narrativa_del_periodo(narrativa: pd.DataFrame, parametros) -> pd.DataFrame:
    """Las filas de la hoja narrativa del periodo del informe: las del trimestre, o las de
    todos los trimestres de la gestión hasta el corte."""
    if _de_gestion(parametros):
        del_periodo = narrativa["trimestre"] <= parametros.trimestre_corte
    else:
        del_periodo = narrativa["trimestre"] == parametros.trimestre_corte
    return narrativa[del_periodo].reset_index(drop=True)


def tiene_gestiones_anteriores(datos, parametros) -> bool:
    """Si la hoja historico trae alguna gestión anterior a la del informe (la tendencia y
    la comparación con gestiones anteriores)."""
    return bool((datos.historico["gestion"] < parametros.gestion).any())


def tiene_logros(datos, parametros) -> bool:
    """Si la hoja narrativa trae logros o dificultades del periodo del informe."""
    narrativa = narrativa_del_periodo(datos.narrativa, parametros)
    return bool(narrativa["tipo"].isin(TIPOS_RESULTADO).any())


def tiene_recomendaciones_de_unidades(datos, parametros) -> bool:
    """Si la hoja narrativa trae recomendaciones del periodo del informe."""
    narrativa = narrativa_del_periodo(datos.narrativa, parametros)
    return bool(narrativa["tipo"].eq(RECOMENDACION).any())


def tiene_recomendaciones(datos, parametros) -> bool:
    """Si hay recomendaciones que dar: las de la unidad de planificación en los parámetros
    (`presentacion.recomendaciones`) o las de la hoja narrativa del periodo."""
    return (bool(parametros.presentacion.recomendaciones)
            or tiene_recomendaciones_de_unidades(datos, parametros))


def tiene_servicios(datos, parametros) -> bool:
    """Si la hoja estadisticas trae servicios prestados a la población hasta el mes de corte
    (los de después no entran en el informe)."""
    return bool((datos.estadisticas["mes"] <= 3 * parametros.trimestre_corte).any())


def tiene_ingresos(datos) -> bool:
    """Si el libro trae rubros de ingresos (hoja ingresos)."""
    return not datos.ingresos.empty


def tiene_articulacion(datos) -> bool:
    """Si el libro trae la articulación con el PDES y el PEI (hoja articulacion)."""
    return hay_articulacion(datos.articulacion)


def tiene_vinculos_propios(datos) -> bool:
    """Si el libro trae la hoja vinculos con algún vínculo: la rendición de cuentas muestra
    entonces el avance por objetivo junto a su articulación (con sólo la hoja articulacion,
    la rendición es la de siempre)."""
    return len(getattr(datos, "vinculos", ())) > 0


def tiene_alineacion(datos) -> bool:
    """Si el libro trae la articulación con el PDES y el PEI o vínculos a los objetivos de
    otros marcos (hoja vinculos): la rendición tiene su sección de articulación."""
    return tiene_articulacion(datos) or tiene_vinculos_propios(datos)


def tiene_fuentes(datos) -> bool:
    """Si alguna línea de la hoja presupuesto indica su fuente de financiamiento."""
    return bool(datos.presupuesto["fuente"].astype(str).str.strip().ne("").any())


def tiene_reformulaciones_hasta_el_corte(datos, parametros) -> bool:
    """Si el libro trae alguna reformulación aprobada hasta el cierre del mes de corte (la
    versión del POA evaluada: sus reformulaciones y los cambios en las operaciones)."""
    return not versiones.reformulaciones_hasta(datos, 3 * parametros.trimestre_corte).empty


def tiene_modificaciones_presupuestarias(datos) -> bool:
    """Si el libro registra el presupuesto inicial o el vigente de algún mes (hoja
    presupuesto, columnas inicial y vig_01 a vig_12): de ellos salen las modificaciones."""
    libro = getattr(datos, "libro", None) or datos
    return versiones.tiene_presupuesto_por_mes(libro.presupuesto)


# --- Lo que el informe no incluye ---------------------------------------------------------


@dataclass(frozen=True)
class Ausencia:
    """Algo que el informe no incluye: `contenido` (una clave de `CONTENIDOS`), la `hoja`
    del libro que lo traería y el motivo: `sin_datos` si esa hoja no trae ninguna fila (o
    no está), o si no (`sin_datos` falso) la hoja tiene filas pero ninguna que sirva para
    este informe (de otro periodo, o sin la columna que hace falta)."""

    contenido: str
    hoja: str
    sin_datos: bool


# Cada contenido opcional, en el orden en que el informe lo presentaría: la hoja que lo trae,
# los tipos de informe que lo llevan y la condición para que vaya.
CONTENIDOS: dict[str, tuple[str, tuple[str, ...], Callable[..., bool]]] = {
    "articulacion": ("articulacion", ("gestion",), lambda d, p: tiene_articulacion(d)),
    "logros": ("narrativa", ("trimestre", "gestion"), tiene_logros),
    "servicios": ("estadisticas", ("gestion",), tiene_servicios),
    "fuentes": ("presupuesto", ("trimestre", "gestion"), lambda d, p: tiene_fuentes(d)),
    "ingresos": ("ingresos", ("gestion",), lambda d, p: tiene_ingresos(d)),
    "tendencia": ("historico", ("trimestre", "gestion"), tiene_gestiones_anteriores),
    "recomendaciones": ("narrativa", ("trimestre", "gestion"), tiene_recomendaciones_de_unidades),
}


def ausencias(datos, parametros) -> list[Ausencia]:
    """Lo que el informe de estos parámetros no incluye porque el libro no lo trae, en el
    orden de `CONTENIDOS`; sólo lo que su tipo de informe llevaría."""
    periodo = parametros.tipo.periodo
    faltan = []
    for contenido, (hoja, periodos, tiene) in CONTENIDOS.items():
        if periodo in periodos and not tiene(datos, parametros):
            faltan.append(Ausencia(contenido, hoja, getattr(datos, hoja).empty))
    return faltan
