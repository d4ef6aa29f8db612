"""Las tablas de las salidas HTML, antes de exportar: qué celdas son cifras y cuánto ocupa
cada tabla en el PDF.

Entra el HTML de una salida (``marcar_tablas``); sale el mismo HTML con la clase ``num`` en
las celdas numéricas (alineadas a la derecha) y, según el ancho estimado de cada tabla en la
letra de impresion.css, ``ancha`` (letra más chica) o ``muy-ancha`` (además, dentro de un
``<div class="tabla-horizontal">``, que va en página apaisada); una tabla de más de
``FILAS_TABLA_FIJA`` filas trae además el ancho de cada columna (``<colgroup>``, clase
``fija``). Cada regla es una función: ``es_numero``, ``medida_de_texto``, ``formato_de_tabla``,
``anchos_de_columnas``.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from helpers.comun import tipografia
from helpers.salida.ensamblado.sopa import agregar_clase, analizar

_ENTERO = re.compile(r"\d+")  # valor de colspan / rowspan
# Contenido de celda que se lee como número: 1.234,5 · -12 · 85,3 % · Bs 1.000 · — (sin dato)
# · 100,00 (128,40) (un cumplimiento con su valor sin tope entre paréntesis).
_NUMERO = re.compile(
    r"^\s*(?:[-+−–]?\s*(?:Bs\.?\s*)?\d[\d.,\s\u00a0\u202f]*(?:%|‰)?(?:\s*\(\d[\d.,\s]*\))?"
    r"|[—–-]|nan|NaN|N/A)\s*$"
)

# Ancho estimado de una tabla en el PDF (letra condensada de impresion.css), para elegir el
# tamaño de letra o, si ni así cabe, una página apaisada. Medidas en puntos tipográficos;
# LETRA_TABLA_PT y LETRA_TABLA_ANCHA_PT deben coincidir con impresion.css.
# El ancho de una cifra en la letra de las tablas, en em, leído de la fuente misma.
ANCHO_CIFRA_EM = tipografia.ancho_em("0123456789", tipografia.ARCHIVO_TABLAS)
RELLENO_CELDA_PT = 7.3  # relleno horizontal (2 × 1,2 mm) y borde de cada celda
TEXTO_MAX_CARACTERES = 16  # el texto largo se parte en varias líneas
ANCHO_VERTICAL_PT = 510  # A4 vertical menos márgenes (180 mm)
ANCHO_APAISADO_PT = 757  # A4 apaisada menos márgenes (267 mm)
# En una tabla de anchos fijados (`fijar_columnas`), el texto más largo que se procura que
# quepa en una línea; uno más largo se parte.
TEXTO_FIJA_CARACTERES = 60
LETRA_TABLA_PT = 8
# Desde cuántas filas una tabla lleva sus anchos de columna fijados (`fijar_columnas`).
FILAS_TABLA_FIJA = 150
LETRA_TABLA_ANCHA_PT = 6.5


def marcar_tablas(contenido: str) -> tuple[str, bool]:
    """Clase ``num`` en las celdas numéricas (alineadas a la derecha) y, según el ancho
    estimado en el PDF, ``ancha`` (letra más chica) o ``muy-ancha`` (además, en una página
    apaisada, dentro de ``<div class="tabla-horizontal">``). Devuelve el HTML y si alguna
    tabla va apaisada; si no hay nada que cambiar, el HTML vuelve tal cual. Sólo se clasifican
    las tablas de primer nivel: una tabla dentro de otra cuenta en el ancho de la de afuera."""
    if "<table" not in contenido.lower():
        return contenido, False
    sopa = analizar(contenido)
    cambios = False
    apaisadas = 0
    for tabla in sopa.find_all("table"):
        if tabla.find_parent("table") is not None:
            continue  # la recorre la tabla de afuera
        caracteres, marcadas, largos = medir_tabla(tabla)
        cambios = cambios or marcadas
        clase, letra, ancho = formato_de_tabla(caracteres)
        if clase is not None:
            cambios = True
            agregar_clase(tabla, clase)
            if clase == "muy-ancha":
                apaisadas += 1
                tabla.wrap(sopa.new_tag("div", attrs={"class": "tabla-horizontal"}))
        if len(tabla.find_all("tr")) > FILAS_TABLA_FIJA and caracteres:
            fijar_columnas(sopa, tabla, anchos_de_columnas(caracteres, largos, letra, ancho))
            cambios = True

    if not cambios:
        return contenido, False
    return str(sopa), apaisadas > 0


def formato_de_tabla(caracteres: list[int]) -> tuple[str | None, float, float]:
    """La clase de ancho de una tabla con ``caracteres`` por columna, su letra y el ancho de
    la página en que va (en pt): sin clase si cabe en una vertical en letra de
    LETRA_TABLA_PT; ``ancha`` si cabe en letra de LETRA_TABLA_ANCHA_PT; si ni así,
    ``muy-ancha``, en una página apaisada."""
    if ancho_pt(caracteres, LETRA_TABLA_PT) <= ANCHO_VERTICAL_PT:
        return None, LETRA_TABLA_PT, ANCHO_VERTICAL_PT
    if ancho_pt(caracteres, LETRA_TABLA_ANCHA_PT) <= ANCHO_VERTICAL_PT:
        return "ancha", LETRA_TABLA_ANCHA_PT, ANCHO_VERTICAL_PT
    return "muy-ancha", LETRA_TABLA_ANCHA_PT, ANCHO_APAISADO_PT


def puntos_de_columna(caracteres: int, letra_pt: float) -> float:
    """Lo que ocupa en el PDF una columna de ``caracteres`` cifras, con su relleno y borde."""
    return caracteres * ANCHO_CIFRA_EM * letra_pt + RELLENO_CELDA_PT


def ancho_pt(caracteres: list[int], letra_pt: float) -> float:
    """Ancho estimado de la tabla en el PDF, con letra de ``letra_pt`` puntos."""
    return sum(puntos_de_columna(c, letra_pt) for c in caracteres)


def anchos_de_columnas(caracteres: list[int], largos: list[int],
                       letra_pt: float, ancho_pt: float) -> list[float]:
    """El ancho de cada columna de una tabla larga, en pt, repartido como lo haría
    WeasyPrint (``medir_tabla`` da lo mínimo de cada columna, su cifra o palabra más larga,
    y su texto más largo): si los textos enteros, hasta TEXTO_FIJA_CARACTERES, caben en
    ``ancho_pt``, cada columna toma el suyo; si no, cada una su mínimo y lo que sobra va a
    las de texto, en proporción a lo que les falta. Así un nombre largo no se parte en cinco
    líneas para dejar lugar a un código corto."""
    minimos = [puntos_de_columna(c, letra_pt) for c in caracteres]
    deseados = [max(m, puntos_de_columna(min(largo, TEXTO_FIJA_CARACTERES), letra_pt))
                for m, largo in zip(minimos, largos, strict=True)]
    if sum(deseados) <= ancho_pt:
        return deseados
    sobra = max(0.0, ancho_pt - sum(minimos))
    faltan = [d - m for d, m in zip(deseados, minimos, strict=True)]
    total_faltan = sum(faltan)
    return [m + (sobra * f / total_faltan if total_faltan else 0.0)
            for m, f in zip(minimos, faltan, strict=True)]


def fijar_columnas(sopa: BeautifulSoup, tabla: Tag, anchos: list[float]) -> None:
    """Una tabla larga (el anexo de una entidad grande: miles de filas) con el ancho de cada
    columna dado de antemano (``table-layout: fixed`` y un ``<colgroup>``, en % de la suma de
    ``anchos``): WeasyPrint no mide cada celda para repartir el ancho, que en una tabla de
    miles de filas toma minutos."""
    total = sum(anchos)
    grupo = sopa.new_tag("colgroup")
    for ancho in anchos:
        grupo.append(sopa.new_tag("col", attrs={"style": f"width: {100 * ancho / total:.2f}%"}))
    tabla.insert(0, grupo)
    agregar_clase(tabla, "fija")


def entero(valor) -> int:
    """colspan / rowspan: el número que traiga el atributo, 1 si no trae o es 0."""
    m = _ENTERO.search(str(valor)) if valor is not None else None
    return max(int(m[0]), 1) if m else 1


def es_numero(texto: str) -> bool:
    """Un texto de celda que se lee como cifra (se alinea a la derecha y no se parte)."""
    return _NUMERO.match(texto) is not None


def medida_de_texto(texto: str, *, encabezado: bool) -> tuple[int, int]:
    """Lo que ocupa en su columna el texto (no una cifra) de una celda, en caracteres, y su
    largo en una sola línea: su palabra más larga y, en el cuerpo (no en un encabezado, que
    se parte en varias líneas), el texto hasta TEXTO_MAX_CARACTERES."""
    palabra = max((len(p) for p in texto.split()), default=0)
    if encabezado:
        return palabra, palabra
    ocupa = max(palabra, min(len(texto), TEXTO_MAX_CARACTERES))
    return ocupa, max(ocupa, len(texto))


class _Columnas:
    """Lo que ocupa cada columna de una tabla mientras se la recorre, y qué columnas tapan
    las celdas con rowspan de las filas de arriba."""

    def __init__(self) -> None:
        self.anchos: list[int] = []
        self.largos: list[int] = []
        self._bloqueadas: dict[int, int] = {}  # columna -> filas de abajo que ocupa un rowspan

    def empezar_fila(self) -> set[int]:
        """Las columnas que tapa en esta fila un rowspan de arriba."""
        ocupadas = set(self._bloqueadas)
        self._bloqueadas = {c: n - 1 for c, n in self._bloqueadas.items() if n > 1}
        return ocupadas

    def anotar(self, col: int, celda: Tag, ocupa: int, largo: int) -> int:
        """Anota lo que ocupa la celda de la columna ``col`` (una con colspan no cuenta) y el
        rowspan que la extiende; devuelve la columna siguiente."""
        n = entero(celda.get("colspan"))
        if n == 1:
            if col >= len(self.anchos):
                self.anchos.extend([0] * (col + 1 - len(self.anchos)))
                self.largos.extend([0] * (col + 1 - len(self.largos)))
            self.anchos[col] = max(self.anchos[col], ocupa)
            self.largos[col] = max(self.largos[col], largo)
        alto = entero(celda.get("rowspan"))
        if alto > 1:
            for c in range(col, col + n):
                self._bloqueadas[c] = max(self._bloqueadas.get(c, 0), alto - 1)
        return col + n


def medir_tabla(tabla: Tag) -> tuple[list[int], bool, list[int]]:
    """Una pasada por las filas de ``tabla`` (no las de tablas anidadas): marca ``num`` en
    cada ``<td>`` cuyo texto es un número (con o sin marcas dentro: ``<b>``, ``<span>``...) y
    cuenta los caracteres que ocupa cada columna: la cifra más larga entera (no se parte), el
    texto hasta TEXTO_MAX_CARACTERES o su palabra más larga, y de los encabezados (filas de
    ``<thead>``, que se parten en varias líneas) sólo la palabra más larga. Las celdas con
    colspan no cuentan; las de rowspan ocupan su columna en las filas de abajo. Una celda con
    una tabla dentro mide lo que suman las columnas de esa tabla (que se recorre a su vez).
    Devuelve los caracteres por columna, si marcó alguna celda y, por columna, el texto más
    largo de las celdas del cuerpo, entero (lo que ocuparía en una sola línea)."""
    con_anidadas = tabla.find("table") is not None
    filas = tabla.find_all("tr")
    if con_anidadas:
        filas = [f for f in filas if f.find_parent("table") is tabla]
    columnas = _Columnas()
    marcadas = False
    for fila in filas:
        encabezado = fila.parent is not None and fila.parent.name == "thead"
        ocupadas = columnas.empezar_fila()
        col = 0
        for celda in fila.find_all(["td", "th"], recursive=False):
            while col in ocupadas:
                col += 1
            anidadas = []
            if con_anidadas:
                anidadas = [t for t in celda.find_all("table") if t.find_parent("table") is tabla]
            ocupa, largo, marcada = _medir_celda(celda, anidadas, encabezado)
            marcadas = marcadas or marcada
            col = columnas.anotar(col, celda, ocupa, largo)
    return columnas.anchos, marcadas, columnas.largos


def _medir_celda(celda: Tag, anidadas: list[Tag], encabezado: bool) -> tuple[int, int, bool]:
    """Lo que ocupa una celda en su columna, su largo en una línea y si se marcó (ella o una
    celda de sus tablas anidadas)."""
    if anidadas:
        ocupa, marcadas = 0, False
        for anidada in anidadas:
            caracteres, marcadas_dentro, _ = medir_tabla(anidada)
            ocupa = max(ocupa, sum(caracteres))
            marcadas = marcadas or marcadas_dentro
        return ocupa, ocupa, marcadas
    texto = celda.get_text().strip()
    if es_numero(texto):
        marcada = celda.name == "td" and agregar_clase(celda, "num")
        return len(texto), len(texto), marcada
    return (*medida_de_texto(texto, encabezado=encabezado), False)
