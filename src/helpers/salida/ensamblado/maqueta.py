"""Los bloques del cuerpo que la maquetación del PDF mueve, y las páginas en que caen.

Entran las secciones del cuerpo (``<section class="seccion">`` del árbol de BeautifulSoup).
``Maqueta`` reparte cada una en bloques (``unidades``: una celda de markdown, una salida de
una celda de código), lleva a página apaisada las tablas que no caben en una vertical con el
texto que las presenta (``agrupar_apaisadas``) y da a cada bloque, gráfico y tabla apaisada un
id de prueba (``maq-…``) para ubicarlo en una composición de prueba; sabe nombrarlos en el
registro, devolver una tabla apaisada a la vertical y devolver a cada elemento su id
(``limpiar``). ``Pagina`` es una
hoja de una composición de prueba ya medida: dónde cae cada bloque. Las reglas que deciden
qué mover están en ``reglas_de_pagina``; quién compone y mide, en ``maquetacion``.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import Tag

from helpers.salida.ensamblado.sopa import TITULOS, agregar_clase, junto

CLASE_HORIZONTAL = "pagina-horizontal"  # impresion.css: en página apaisada
CLASE_SALTO = "salto-de-pagina"  # impresion.css: empieza en página nueva
CLASE_SIN_PARTIR = "sin-partir"  # impresion.css: no se parte entre dos páginas
_TEXTO_CON_APAISADA = 1500  # caracteres de texto que pasan con una tabla a su página apaisada
PREFIJO_PRUEBA = "maq-"  # el de todos los ids que pone la maquetación
ID_CUERPO = f"{PREFIJO_PRUEBA}cuerpo"
PREFIJO_UNIDAD = f"{PREFIJO_PRUEBA}u"
PREFIJO_IMAGEN = f"{PREFIJO_PRUEBA}i"
PREFIJO_TABLA = f"{PREFIJO_PRUEBA}t"
# Lo que se ve de un bloque, en orden; el último dice si el bloque termina con un título.
_ELEMENTOS_VISIBLES = [*TITULOS, "p", "li", "table", "img", "pre", "blockquote"]


def clases(elemento: Tag) -> list[str]:
    return elemento.get("class") or []


def unidades(seccion: Tag) -> list[Tag]:
    """Los bloques de una sección en el orden del informe: cada celda de markdown y cada
    salida visible de una celda de código (el rótulo que pasó a una leyenda no se ve)."""
    bloques = []
    for celda in seccion.find_all("div", class_="jp-Cell", recursive=False):
        if "jp-MarkdownCell" in clases(celda):
            bloques.append(celda)
            continue
        for salida in celda.find_all("div", class_="jp-OutputArea-child"):
            if "rotulo-en-leyenda" not in clases(salida):
                bloques.append(salida)
    return bloques


def apaisada(unidad: Tag) -> bool:
    """Un bloque que va en página apaisada: marcado así o con una tabla muy ancha."""
    return CLASE_HORIZONTAL in clases(unidad) or (
        unidad.find("div", class_="tabla-horizontal") is not None
    )


def con_objeto(unidad: Tag) -> bool:
    """Un cuadro o un gráfico (no sólo texto)."""
    return unidad.find(["table", "img"]) is not None


def termina_en_titulo(unidad: Tag) -> bool:
    visibles = unidad.find_all(_ELEMENTOS_VISIBLES)
    return bool(visibles) and visibles[-1].name in TITULOS


def presentan(unidades: list[Tag], i: int) -> list[Tag]:
    """Los bloques de sólo texto que presentan al de la posición ``i`` (el primero de un grupo
    de tablas apaisadas), del más cercano al más lejano: desde el cuadro o gráfico anterior
    (o el comienzo de la sección) o el anterior que ya va apaisado, mientras no pasen de
    _TEXTO_CON_APAISADA caracteres; un bloque que termina con un título va siempre."""
    van = []
    texto = 0
    for previa in reversed(unidades[:i]):
        if con_objeto(previa) or CLASE_HORIZONTAL in clases(previa):
            break
        texto += len(junto(previa.get_text(" ")))
        if texto > _TEXTO_CON_APAISADA and not termina_en_titulo(previa):
            break
        van.append(previa)
    return van


def agrupar_apaisadas(unidades: list[Tag]) -> None:
    """Los bloques con una tabla apaisada van en página apaisada (clase CLASE_HORIZONTAL), y
    con ellos el texto que los presenta (``presentan``), para que un título no quede al final
    de la página vertical de antes. Así el título de una sección que empieza con una tabla
    apaisada no queda solo en una página."""
    apaisados = [apaisada(u) for u in unidades]
    for unidad, es_apaisada in zip(unidades, apaisados, strict=True):
        if es_apaisada:
            agregar_clase(unidad, CLASE_HORIZONTAL)
    for i, es_apaisada in enumerate(apaisados):
        if not es_apaisada or (i and apaisados[i - 1]):
            continue
        for previa in presentan(unidades, i):
            agregar_clase(previa, CLASE_HORIZONTAL)


def sin_dudas(seccion: Tag) -> bool:
    """Una sección que no hace falta componer de prueba: toda apaisada y sin gráficos (como el
    anexo: su texto y una tabla larga, la composición más cara), o con una tabla de cientos
    de filas (``tablas.fijar_columnas``, la de una entidad grande): componerla de prueba
    cuesta minutos, y en ella lo que pueda quedar corto es poco frente a sus páginas de
    tabla."""
    if seccion.find("table", class_="fija") is not None:
        return True
    bloques = unidades(seccion)
    return (
        bool(bloques)
        and all(CLASE_HORIZONTAL in clases(u) for u in bloques)
        and seccion.find("img") is None
    )


@dataclass
class Pagina:
    """Una página de una composición de prueba, en px CSS desde arriba de la página."""

    apaisada: bool
    arriba: float  # la caja del texto
    abajo: float
    seccion: str
    trozos: list[tuple[str, float, float]]  # (id de bloque, arriba, abajo), de arriba abajo
    imagenes: dict[str, tuple[float, float]]  # id de imagen -> (arriba, abajo)
    tablas: dict[str, float]  # id de tabla apaisada -> ancho

    @property
    def fondo(self) -> float:
        return max((y1 for _, _, y1 in self.trozos), default=self.arriba)

    @property
    def usado(self) -> float:
        return (self.fondo - self.arriba) / (self.abajo - self.arriba)

    @property
    def alto(self) -> float:
        """El de la caja del texto."""
        return self.abajo - self.arriba


class Maqueta:
    """Los bloques de las secciones, con un id para ubicarlos en una composición de prueba,
    y lo que las reglas les hacen (``reglas_de_pagina``)."""

    def __init__(self, secciones: list[Tag]) -> None:
        self.bloques: dict[str, Tag] = {}
        self.imagenes: dict[str, Tag] = {}
        self.tablas: dict[str, Tag] = {}
        self.altos: dict[str, float] = {}  # el de cada gráfico antes de achicarlo
        self.de_seccion: dict[str, list[str]] = {}
        for seccion in secciones:
            bloques = unidades(seccion)
            agrupar_apaisadas(bloques)
            ids = []
            for unidad in bloques:
                ids.append(self._marcar(unidad, PREFIJO_UNIDAD, self.bloques))
                for imagen in unidad.find_all("img"):
                    self._marcar(imagen, PREFIJO_IMAGEN, self.imagenes)
                for tabla in unidad.select("div.tabla-horizontal > table"):
                    self._marcar(tabla, PREFIJO_TABLA, self.tablas)
            self.de_seccion[seccion["id"]] = ids

    @staticmethod
    def _marcar(elemento: Tag, prefijo: str, registro: dict[str, Tag]) -> str:
        """Un id de prueba; el que traía (una celda, una tabla) se guarda y se repone."""
        ident = f"{prefijo}{len(registro)}"
        if elemento.get("id"):
            elemento["data-maq-id"] = elemento["id"]
        elemento["id"] = ident
        registro[ident] = elemento
        return ident

    @staticmethod
    def _reponer_id(elemento: Tag) -> None:
        propio = elemento.attrs.pop("data-maq-id", None)
        if propio:
            elemento["id"] = propio
        else:
            del elemento["id"]

    def nombre(self, ident: str) -> str:
        """Cómo nombrar un bloque, un gráfico o una tabla en el registro: por su leyenda
        («Cuadro N° 7»), su título o el comienzo de su texto."""
        elemento = self.bloques.get(ident) or self.imagenes.get(ident) or self.tablas.get(ident)
        leyenda = None
        if elemento is not None and elemento.name in ("img", "table"):
            contenedor = elemento if elemento.name == "table" else elemento.parent
            leyenda = contenedor.find_previous_sibling("p", class_="leyenda")
        elif elemento is not None:
            leyenda = elemento.find("p", class_="leyenda") or elemento.find(TITULOS)
        texto = junto((leyenda or elemento).get_text(" ")) if elemento is not None else ""
        texto = texto.replace("¶", "").strip()
        return f"«{texto[:60]}»" if texto else ident

    def nombres(self, idents: list[str]) -> str:
        return ", ".join(self.nombre(i) for i in idents)

    def propios(self) -> dict[str, str]:
        """id de prueba → el que el elemento traía, de los que traían uno."""
        return {
            ident: elemento["data-maq-id"]
            for registro in (self.bloques, self.imagenes, self.tablas)
            for ident, elemento in registro.items()
            if elemento.get("data-maq-id")
        }

    def limpiar(self) -> None:
        """Quita los ids de prueba (y repone los propios)."""
        for elemento in [*self.bloques.values(), *self.imagenes.values(), *self.tablas.values()]:
            self._reponer_id(elemento)

    def imagenes_de(self, bloque: str) -> list[str]:
        return [i["id"] for i in self.bloques[bloque].find_all("img") if i.get("id")]

    def a_vertical(self, tabla_id: str) -> None:
        """La tabla apaisada ``tabla_id`` vuelve a una página vertical, en letra chica: deja
        su ``<div class="tabla-horizontal">`` y su id de prueba."""
        tabla = self.tablas.pop(tabla_id)
        tabla["class"] = ["ancha" if c == "muy-ancha" else c for c in tabla["class"]]
        tabla.parent.unwrap()  # el <div class="tabla-horizontal">
        self._reponer_id(tabla)

    def reagrupar(self, seccion: str) -> None:
        """Los bloques de la sección se agrupan de nuevo con sus tablas apaisadas."""
        bloques = [self.bloques[b] for b in self.de_seccion[seccion]]
        for unidad in bloques:
            unidad["class"] = [c for c in clases(unidad) if c != CLASE_HORIZONTAL]
        agrupar_apaisadas(bloques)
