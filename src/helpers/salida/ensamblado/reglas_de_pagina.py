"""Las reglas de paginación del cuerpo del PDF, una por función (docs/maquetacion.md).

Entran la ``Maqueta`` (los bloques de las secciones) y las páginas de una sección medidas en
una composición de prueba (``Pagina``, en orden). ``corregir`` aplica, página por página, las
reglas de ``REGLAS_DE_PAGINA`` y corrige el primer problema que sepa corregir: cambia las
clases o el estilo de un bloque o de un gráfico y devuelve qué hizo, para el registro (None
si no hay nada que corregir o no sabe cómo). ``enderezar`` devuelve a una página vertical
las tablas apaisadas que caben en ella.

Las reglas que sigue el PDF (tests/test_maquetacion.py las mide en él): ningún título cierra
una página; el texto que presenta un cuadro va en su misma página; las páginas apaisadas son
sólo para las tablas que no caben en una vertical (y el texto que las presenta); ninguna
página de una sección, salvo la última, queda usada menos de un tercio.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from helpers.salida.ensamblado.maqueta import (
    CLASE_HORIZONTAL,
    CLASE_SALTO,
    CLASE_SIN_PARTIR,
    Maqueta,
    Pagina,
    clases,
    termina_en_titulo,
)
from helpers.salida.ensamblado.sopa import agregar_clase

FRACCION_MINIMA = 1 / 3
_HOLGURA_FRACCION = 0.02  # se corrige desde un poco por encima del mínimo
_HOLGURA_PX = 4  # px CSS de más al calcular cuánto achicar un gráfico
_MARGEN_BLOQUE_PX = 24  # el margen de arriba que recupera un bloque que sube de página (6 mm)
ESCALA_MINIMA = 0.6  # un gráfico se achica hasta el 60 % de su alto, no más
_RESTO_MAXIMO = 0.15  # de la página: el final de una tabla que se trata de devolver


@dataclass
class Tramos:
    """En qué página (su posición en la lista de la sección) empieza y en cuál termina cada
    bloque."""

    primera: dict[str, int]
    ultima: dict[str, int]

    @classmethod
    def de(cls, paginas: list[Pagina]) -> Tramos:
        primera: dict[str, int] = {}
        ultima: dict[str, int] = {}
        for k, pagina in enumerate(paginas):
            for bloque, _, _ in pagina.trozos:
                primera.setdefault(bloque, k)
                ultima[bloque] = k
        return cls(primera, ultima)

    def entero_en(self, bloque: str, k: int) -> bool:
        """El bloque empieza y termina en la página ``k``."""
        return self.primera[bloque] == k and self.ultima[bloque] == k


def poco_usada(pagina: Pagina) -> bool:
    """Una página usada menos de un tercio (un poco más: se corrige desde antes del mínimo)."""
    return pagina.usado < FRACCION_MINIMA + _HOLGURA_FRACCION


# --- Acciones que comparten las reglas ------------------------------------------------------


def achicar(maqueta: Maqueta, imagen: str, caja: tuple[float, float], falta: float) -> str | None:
    """Baja el alto del gráfico en ``falta`` px, si queda en al menos ESCALA_MINIMA del
    alto que tenía antes de cualquier corrección."""
    alto = caja[1] - caja[0]
    original = maqueta.altos.setdefault(imagen, alto)
    nuevo = alto - falta - _HOLGURA_PX
    if falta <= 0 or nuevo < ESCALA_MINIMA * original:
        return None
    maqueta.imagenes[imagen]["style"] = f"max-height: {nuevo:.0f}px"
    return f"{maqueta.nombre(imagen)} baja de {alto:.0f} a {nuevo:.0f} px de alto"


def achicar_el_mas_alto(maqueta: Maqueta, pagina: Pagina, k: int, tramos: Tramos,
                        falta: float) -> str | None:
    """Achica el gráfico más alto de ``pagina`` (la ``k``; de un bloque que termina en ella)."""
    candidatas = [
        (abajo - arriba, imagen)
        for bloque, _, _ in pagina.trozos
        if tramos.ultima[bloque] == k
        for imagen in maqueta.imagenes_de(bloque)
        if imagen in pagina.imagenes
        for arriba, abajo in [pagina.imagenes[imagen]]
    ]
    if not candidatas:
        return None
    _, imagen = max(candidatas)
    return achicar(maqueta, imagen, pagina.imagenes[imagen], falta)


# --- Un título al final de una página -------------------------------------------------------


def titulo_al_final(maqueta: Maqueta, paginas: list[Pagina], k: int, tramos: Tramos) -> str | None:
    """Regla: el bloque que cierra la página ``k`` (no la última) termina con un título. Pasa
    con la página siguiente: a la apaisada que sigue, a la vertical que sigue (si estaba en
    una apaisada sólo por acompañar a una tabla) o, en la misma orientación, empieza página."""
    if k == len(paginas) - 1:
        return None
    pagina, siguiente = paginas[k], paginas[k + 1]
    cierre = max(pagina.trozos, key=lambda t: t[2])[0]
    if tramos.ultima[cierre] != k or not termina_en_titulo(maqueta.bloques[cierre]):
        return None
    bloque = maqueta.bloques[cierre]
    if siguiente.apaisada and not pagina.apaisada:
        agregar_clase(bloque, CLASE_HORIZONTAL)
        return f"{maqueta.nombre(cierre)} pasa a la página apaisada"
    if pagina.apaisada and not siguiente.apaisada and CLASE_HORIZONTAL in clases(bloque):
        bloque["class"] = [c for c in clases(bloque) if c != CLASE_HORIZONTAL]
        return f"{maqueta.nombre(cierre)} pasa a la página vertical"
    if pagina.apaisada == siguiente.apaisada and agregar_clase(bloque, CLASE_SALTO):
        return f"{maqueta.nombre(cierre)} empieza página"
    return None


# --- Una página usada menos de un tercio ----------------------------------------------------


def pasar_a_la_apaisada(maqueta: Maqueta, pagina: Pagina, k: int, tramos: Tramos) -> str | None:
    """Lo que queda solo en una página vertical corta antes de una apaisada pasa a ella, si
    empezó en esta página y no tiene gráficos."""
    bloques = [b for b, _, _ in pagina.trozos]
    if not all(tramos.primera[b] == k for b in bloques) or any(
        maqueta.bloques[b].find("img") for b in bloques
    ):
        return None
    for b in bloques:
        agregar_clase(maqueta.bloques[b], CLASE_HORIZONTAL)
    return f"{maqueta.nombres(bloques)} pasan a la página apaisada"


def bloques_que_suben(maqueta: Maqueta, pagina: Pagina, siguiente: Pagina, k: int,
                      tramos: Tramos) -> list[str]:
    """Los bloques del comienzo de ``siguiente`` (la página ``k + 1``) que caben enteros en lo
    que queda de ``pagina``: texto o tablas, sin gráficos, que empiezan y terminan en ella;
    sin el último si termina con un título (no cerraría la página)."""
    libre = pagina.abajo - pagina.fondo
    suben = []
    for bloque, _, abajo in siguiente.trozos:
        if (
            not tramos.entero_en(bloque, k + 1)
            or maqueta.bloques[bloque].find("img") is not None
            or abajo - siguiente.arriba + _MARGEN_BLOQUE_PX > libre
        ):
            break
        suben.append(bloque)
    while suben and termina_en_titulo(maqueta.bloques[suben[-1]]):
        suben.pop()
    return suben


def completar_apaisada(maqueta: Maqueta, pagina: Pagina, siguiente: Pagina, k: int,
                       tramos: Tramos) -> str | None:
    """Tras el final de una tabla apaisada, en una página corta: suben a ella los bloques
    siguientes que caben (``bloques_que_suben``)."""
    suben = bloques_que_suben(maqueta, pagina, siguiente, k, tramos)
    for bloque in suben:
        agregar_clase(maqueta.bloques[bloque], CLASE_HORIZONTAL)
    return f"{maqueta.nombres(suben)} suben a la página apaisada" if suben else None


def grafico_que_no_cupo(maqueta: Maqueta, siguiente: Pagina, k: int,
                        tramos: Tramos) -> tuple[str, float] | None:
    """El primer gráfico de la página ``k + 1`` y el fondo del bloque que lo trae, si la página
    empieza con bloques nuevos (no con la continuación de uno de antes)."""
    for bloque, _, abajo in siguiente.trozos:
        if tramos.primera[bloque] != k + 1:
            return None  # la página siguiente empieza con la continuación de un bloque
        propias = [i for i in maqueta.imagenes_de(bloque) if i in siguiente.imagenes]
        if propias:
            return propias[0], abajo
    return None


def achicar_lo_que_no_cupo(maqueta: Maqueta, pagina: Pagina, siguiente: Pagina, k: int,
                           tramos: Tramos) -> str | None:
    """En la misma orientación, lo que empieza la página siguiente no cupo en la corta: si es
    un gráfico (con el título y la leyenda que van con él), se achica para que quepa."""
    encontrado = grafico_que_no_cupo(maqueta, siguiente, k, tramos)
    if encontrado is None:
        return None
    imagen, abajo = encontrado
    falta = (abajo - siguiente.arriba) - (pagina.abajo - pagina.fondo) + _MARGEN_BLOQUE_PX
    return achicar(maqueta, imagen, siguiente.imagenes[imagen], falta)


def pagina_poco_usada(maqueta: Maqueta, paginas: list[Pagina], k: int,
                      tramos: Tramos) -> str | None:
    """Regla: la página ``k`` (no la última) queda usada menos de un tercio. Según la
    orientación de ella y de la siguiente: ``pasar_a_la_apaisada``, ``completar_apaisada`` o
    ``achicar_lo_que_no_cupo``."""
    if k == len(paginas) - 1 or not poco_usada(paginas[k]):
        return None
    pagina, siguiente = paginas[k], paginas[k + 1]
    if siguiente.apaisada and not pagina.apaisada:
        return pasar_a_la_apaisada(maqueta, pagina, k, tramos)
    if pagina.apaisada and not siguiente.apaisada:
        return completar_apaisada(maqueta, pagina, siguiente, k, tramos)
    return achicar_lo_que_no_cupo(maqueta, pagina, siguiente, k, tramos)


# --- El final de una tabla solo en una página -----------------------------------------------


def resto_solo(maqueta: Maqueta, paginas: list[Pagina], k: int, tramos: Tramos) -> float | None:
    """Lo que ocupa (px) el final de un bloque que empezó antes, arriba de la página ``k``, si
    hay que devolverlo: unas pocas filas de una tabla (hasta _RESTO_MAXIMO de la página), o el
    final de cualquier bloque si es lo único en la última página de la sección y la deja
    corta. None si no hay nada que devolver."""
    pagina = paginas[k]
    bloque, _, abajo = pagina.trozos[0]
    if tramos.primera[bloque] == k or tramos.ultima[bloque] != k:
        return None
    resto = abajo - pagina.arriba
    solo = len(paginas) == k + 1 and all(tramos.primera[b] < k for b, _, _ in pagina.trozos)
    if solo and pagina.usado < FRACCION_MINIMA:
        return pagina.fondo - pagina.arriba
    if maqueta.bloques[bloque].find("table") is None or resto > _RESTO_MAXIMO * pagina.alto:
        return None
    return resto


def devolver_achicando(maqueta: Maqueta, paginas: list[Pagina], k: int, tramos: Tramos,
                       resto: float) -> str | None:
    """Para que el resto vuelva a la página anterior: achica un gráfico de antes, en páginas
    de la misma orientación que la ``k``, de la más cercana a la más lejana."""
    bloque = paginas[k].trozos[0][0]
    for j in range(k - 1, -1, -1):
        if paginas[j].apaisada != paginas[k].apaisada:
            break
        hecho = achicar_el_mas_alto(maqueta, paginas[j], j, tramos, resto + _HOLGURA_PX)
        if hecho:
            return f"{hecho} (para el final de {maqueta.nombre(bloque)}, solo en una página)"
    return None


def entero_a_la_siguiente(maqueta: Maqueta, paginas: list[Pagina], k: int,
                          resto: float) -> str | None:
    """El bloque cuyo final quedó solo en la página ``k`` va entero a ella, si cabe en media
    página y la anterior no queda corta sin él."""
    pagina, anterior = paginas[k], paginas[k - 1]
    bloque = pagina.trozos[0][0]
    alto = sum(b - a for p in paginas for u, a, b in p.trozos if u == bloque)
    arriba_en_anterior = min(a for u, a, _ in anterior.trozos if u == bloque)
    queda = (arriba_en_anterior - anterior.arriba) / pagina.alto
    if alto > pagina.alto / 2 or queda < FRACCION_MINIMA + _HOLGURA_FRACCION:
        return None
    if not agregar_clase(maqueta.bloques[bloque], CLASE_SIN_PARTIR):
        return None
    return (f"{maqueta.nombre(bloque)} va entero a la página siguiente (dejaba "
            f"{resto / pagina.alto:.0%} de una página sola)")


def resto_de_tabla(maqueta: Maqueta, paginas: list[Pagina], k: int,
                   tramos: Tramos) -> str | None:
    """Regla: unas pocas filas de una tabla que empezó antes (o el final de un bloque, si es lo
    único en la última página de la sección y la deja corta) arriba de la página ``k``, de la
    misma orientación que la anterior: vuelven a la anterior achicando un gráfico de antes; si
    no hay cuál, una tabla que cabe en media página va entera a la siguiente."""
    if not k or paginas[k - 1].apaisada != paginas[k].apaisada:
        return None
    resto = resto_solo(maqueta, paginas, k, tramos)
    if resto is None:
        return None
    return devolver_achicando(maqueta, paginas, k, tramos, resto) or (
        entero_a_la_siguiente(maqueta, paginas, k, resto)
    )


# Las reglas que se prueban en cada página, en este orden: la primera que corrige algo manda.
Regla = Callable[[Maqueta, list[Pagina], int, Tramos], str | None]
REGLAS_DE_PAGINA: tuple[Regla, ...] = (titulo_al_final, pagina_poco_usada, resto_de_tabla)


def corregir(maqueta: Maqueta, paginas: list[Pagina]) -> str | None:
    """Corrige el primer problema que sepa corregir en las páginas de una sección (en orden:
    en cada página, ``REGLAS_DE_PAGINA``) y dice qué hizo; None si no hay nada que corregir o
    no sabe cómo."""
    tramos = Tramos.de(paginas)
    for k, pagina in enumerate(paginas):
        if not pagina.trozos:
            continue
        for regla in REGLAS_DE_PAGINA:
            hecho = regla(maqueta, paginas, k, tramos)
            if hecho:
                return hecho
    return None


# --- Tablas apaisadas que caben en una vertical ---------------------------------------------


def tablas_que_caben(maqueta: Maqueta, paginas: list[Pagina], ancho_vertical: float) -> list[str]:
    """Las tablas apaisadas de las páginas que, con el ancho que necesitan, caben en una
    página vertical (la estimación de ``tablas.marcar_tablas`` es aproximada)."""
    anchos = {t: a for p in paginas for t, a in p.tablas.items() if t in maqueta.tablas}
    return [t for t, a in anchos.items() if a <= ancho_vertical]


def enderezar(maqueta: Maqueta, seccion: str, paginas: list[Pagina],
              ancho_vertical: float) -> str | None:
    """Las tablas apaisadas que caben en una página vertical (``tablas_que_caben``) vuelven a
    ella, en letra chica; los bloques de la sección se agrupan de nuevo."""
    caben = tablas_que_caben(maqueta, paginas, ancho_vertical)
    if not caben:
        return None
    nombres = maqueta.nombres(caben)
    for ident in caben:
        maqueta.a_vertical(ident)
    maqueta.reagrupar(seccion)
    return f"{nombres} caben en una página vertical"
