"""Las piezas con que se escriben las secciones narrativas: listas, conteos, diferencias en
puntos, empates y los nombres de las áreas y unidades de un informe.

Entra: números, listas de nombres y el `Preparado` de la sección (``prep``: sus hojas y
tablas). Sale: fragmentos de Markdown (``lista``, ``contar``, ``nombrar``...) y las búsquedas
que comparten las secciones (el nombre de cada unidad, el área de cada una, el orden de las
áreas, los bloques de la hoja narrativa por área).

Las secciones están en su propio módulo y todas usan estas piezas: ``introduccion``
(introducción, marco normativo y estratégico), ``resultados_acp`` (resultados por acción de
corto plazo), ``conclusiones`` (unidades bajo los umbrales y comparación con cortes y
gestiones anteriores) y ``recomendaciones``; la rendición de cuentas, en ``rendicion``.

Reglas que comparten las secciones (docs/secciones-narrativas.md):

- Cada frase sale de las tablas calculadas, de las hojas del libro y de los parámetros:
  ningún número, conteo, nombre ni umbral se escribe a mano (los umbrales salen de la escala
  de calificación y del semáforo de los parámetros en uso). Las frases son Markdown; todo
  texto que viene del libro o de los parámetros entra con ``md``
  (``helpers.comun.literal.markdown``) y se lee tal cual, como en
  ``helpers.redaccion.textos``.
- Las áreas se nombran con su nombre (``prep.nombre_area``) y las unidades con el suyo:
  ningún código de área llega al lector.
- Cada fila de la hoja narrativa se imprime una sola vez en el informe. Los logros y las
  dificultades van en los resultados por ACP, salvo las dificultades de las unidades bajo
  los umbrales, que se citan en las conclusiones como explicación (``dificultades_citadas``;
  en su ACP, una frase dice que están allí). Las recomendaciones van sólo en la sección de
  recomendaciones: primero las de la unidad de planificación, después las de las demás.
- Los empates no se cortan: si varias áreas o unidades comparten el valor extremo (tal como
  se imprime, con dos decimales), la frase dice cuántas son y las nombra
  (``MAXIMO_NOMBRADAS`` como máximo; si son más, sólo cuántas).
- Las diferencias entre cifras se calculan con las cifras redondeadas a dos decimales, tal
  como se imprimen, para que el lector pueda rehacer la resta.
"""
from __future__ import annotations

import pandas as pd

from helpers.comun.calendario import TRIMESTRES
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_numero, redondear
from helpers.entrada.parametros import comprobar_con_datos
from helpers.redaccion.textos import MAXIMO_EMPATADAS, enumerar

__all__ = [
    "MAXIMO_NOMBRADAS",
    "area_de_unidad",
    "bloques_por_area",
    "contar",
    "diferencia_impresa",
    "extremo",
    "lista",
    "lista_nombres",
    "nombrar",
    "nombre_trimestre",
    "dice_unidad_de_planificacion",
    "la_unidad_de_planificacion",
    "nombre_unidad_planificacion",
    "nombres_unidades",
    "orden_areas",
    "por_area",
    "puntos",
]

# Cuántas empatadas (o cuántos elementos de una lista) se nombran en una frase; si son más,
# la frase sólo dice cuántas. El mismo tope que las frases de textos.py.
MAXIMO_NOMBRADAS = MAXIMO_EMPATADAS


# --------------------------------------------------------------------------------------
# Piezas de redacción


def lista(frases: list[str]) -> str:
    """Las frases como lista de Markdown, una por renglón."""
    return "\n".join(f"- {frase}" for frase in frases)


def contar(n: int, singular: str, plural: str) -> str:
    """'1 unidad', '3 unidades'."""
    return f"{formatear_entero(n)} {singular if n == 1 else plural}"


def puntos(diferencia: float) -> str:
    """'+5,49 puntos', '−1,20 puntos', '0,00 puntos' (puntos porcentuales)."""
    signo = "+" if diferencia > 0 else ("−" if diferencia < 0 else "")
    return f"{signo}{formatear_numero(abs(diferencia))} puntos"


def diferencia_impresa(ahora, antes) -> float:
    """La diferencia de dos porcentajes tal como se imprimen (dos decimales)."""
    return redondear(redondear(float(ahora), 2) - redondear(float(antes), 2), 2)


def nombre_trimestre(t: int) -> str:
    """'primer trimestre'."""
    return f"{TRIMESTRES[t]} trimestre"


def nombres_unidades(prep) -> dict[str, str]:
    """codigo_unidad -> nombre de la unidad."""
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))


def area_de_unidad(prep) -> dict[str, str]:
    """codigo_unidad -> código de su área."""
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["area"]))


def orden_areas(prep) -> list[str]:
    """Los códigos de las áreas, en el orden del libro (el de las frases y los cuadros)."""
    return list(prep.areas["area"])


def extremo(valores: pd.Series, mayor: bool) -> tuple[list, float]:
    """Las claves (índice) con el valor extremo tal como se imprime, en su orden, y ese
    valor."""
    mostrado = valores.map(lambda v: redondear(float(v), 2))
    valor = mostrado.max() if mayor else mostrado.min()
    return list(mostrado.index[mostrado == valor]), float(valor)


def nombrar(nombres: list[str], sustantivo_plural: str) -> str:
    """Una sola: su nombre. Varias empatadas: '2 áreas empatadas (A y B)', o sólo cuántas
    ('12 áreas empatadas') si pasan de MAXIMO_NOMBRADAS."""
    if len(nombres) == 1:
        return nombres[0]
    if len(nombres) > MAXIMO_NOMBRADAS:
        return f"{formatear_entero(len(nombres))} {sustantivo_plural} empatadas"
    return f"{formatear_entero(len(nombres))} {sustantivo_plural} empatadas ({enumerar(nombres)})"


def lista_nombres(nombres: list[str], sustantivo_plural: str) -> str:
    """Los nombres enumerados, o sólo cuántos si pasan de MAXIMO_NOMBRADAS."""
    if len(nombres) > MAXIMO_NOMBRADAS:
        return f"{formatear_entero(len(nombres))} {sustantivo_plural}"
    return enumerar(nombres)


# --------------------------------------------------------------------------------------
# Lo que se busca en las hojas del informe


def nombre_unidad_planificacion(prep) -> str | None:
    """El nombre de la unidad de planificación (`presentacion.unidad_planificacion`), o None
    si los parámetros no la nombran. Un código que no está en la hoja unidades es un error
    de entrada (el mismo que detiene al ejecutor)."""
    codigo = prep.parametros.presentacion.unidad_planificacion
    if codigo is None:
        return None
    comprobar_con_datos(prep.parametros, prep, "parámetros")
    return nombres_unidades(prep)[codigo]


def dice_unidad_de_planificacion(nombre: str) -> bool:
    """Si el nombre de la unidad ya dice que es la de planificación ('Unidad de
    Planificación y Seguimiento'): «la unidad de planificación, Unidad de Planificación» lo
    diría dos veces."""
    from helpers.entrada.celdas import sin_tildes

    return sin_tildes(" ".join(nombre.split())).casefold().startswith(
        "unidad de planificacion")


def la_unidad_de_planificacion(prep) -> str | None:
    """Cómo la nombra una frase: 'la unidad de planificación, Dirección General de
    Planificación,' o, si su nombre ya lo dice, 'la Unidad de Planificación y Seguimiento';
    None si los parámetros no la nombran."""
    nombre = nombre_unidad_planificacion(prep)
    if nombre is None:
        return None
    if dice_unidad_de_planificacion(nombre):
        return f"la {md(nombre)}"
    return f"la unidad de planificación, {md(nombre)},"


def por_area(prep, filas: pd.DataFrame,
             columna: str = "codigo_unidad") -> list[tuple[str, pd.DataFrame]]:
    """Las filas agrupadas por el área de su unidad, en el orden de las áreas."""
    area = filas[columna].map(area_de_unidad(prep))
    return [(a, filas[area == a]) for a in orden_areas(prep) if (area == a).any()]


def bloques_por_area(prep, filas: pd.DataFrame, con_acp: bool = False) -> list[str]:
    """Cada área con sus filas de la hoja narrativa: '**Área:** nombre' y una lista con el
    texto y la unidad (y la ACP, si `con_acp`)."""
    nombres = nombres_unidades(prep)
    bloques = []
    for area, grupo in por_area(prep, filas):
        lineas = []
        for f in grupo.itertuples():
            acp = (f"; ACP {md(f.codigo_acp)}" if con_acp and str(f.codigo_acp).strip() else "")
            lineas.append(f"- {md(f.texto)} ({md(nombres[f.codigo_unidad])}{acp})")
        bloques.append(f"**Área:** {md(prep.nombre_area(area))}\n\n" + "\n".join(lineas))
    return bloques
