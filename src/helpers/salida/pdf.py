"""El PDF del informe, compuesto por partes y unido después.

WeasyPrint compone cada parte (la portada con el índice y las listas; una o varias secciones;
las hojas con la cabecera y el pie) como un documento aparte, en este proceso o en otro
(``componer``). Cada sección empieza en página nueva, así que sus páginas son las mismas
compuesta sola o con otras: las partes se pueden componer a la vez y en cualquier orden.
Lo que depende del documento entero se resuelve al unirlas (``unir``, con pypdf):

- el número de página y el total, la entidad y el periodo de la cabecera: de una parte de
  hojas vacías con sólo la cabecera y el pie, del mismo tamaño y orientación que las del
  informe, que se estampa sobre cada página;
- los enlaces internos (del índice y de las listas a las secciones, cuadros y gráficos), los
  destinos con nombre (``informe.pdf#id``) y los marcadores, con la página de cada ancla en el
  documento unido.

Los números del índice (que sí ocupan lugar en su página) los pone quien arma la portada,
con las anclas de las demás partes (``Parte.hojas``).
"""

from __future__ import annotations

import gc
import io
import logging
import re
import sys
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from helpers.comun.memoria import devolver_memoria
from helpers.comun.tipografia import usar_fuentes_propias

__all__ = [
    "Hoja", "Parte", "Pieza", "cargar_weasyprint", "componer", "componer_sin_escribir",
    "escribir", "medir", "memoria_quieta", "silenciar", "unir",
]

PT_POR_PX = 0.75  # 72 puntos de PDF por pulgada / 96 px CSS por pulgada
_LOGGERS_RUIDOSOS = ("weasyprint", "weasyprint.progress", "fontTools")


@dataclass
class Hoja:
    """Una página de una parte: su tamaño, sus anclas (id → caja ``(x0, y0, x1, y1)``), sus
    enlaces internos (``(id de destino, caja)``) y sus marcadores (``(nivel, título, x, y,
    estado)``, los ``bookmarks`` de la página de WeasyPrint), en px CSS desde arriba a la
    izquierda. Los marcadores van sueltos, con su nivel: el árbol se arma al unir las partes
    (una sección compuesta en varias da uno solo)."""

    ancho: float
    alto: float
    anclas: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    enlaces: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    marcadores: list[tuple[int, str, float, float, str]] = field(default_factory=list)

    @property
    def apaisada(self) -> bool:
        return self.ancho > self.alto


@dataclass
class Parte:
    """Un documento compuesto: su PDF y sus hojas. ``escritas``: si el PDF no trae todas las
    hojas, cuáles trae (índices de ``hojas``, en orden); ``pdf`` es None mientras no se
    escribió (``medir``, ``escribir``)."""

    pdf: bytes | None
    hojas: list[Hoja]
    escritas: list[int] | None = None

    def en_el_pdf(self, hoja: int) -> int:
        """La página del PDF de la parte que es la hoja ``hoja``."""
        return hoja if self.escritas is None else self.escritas.index(hoja)


@dataclass
class Pieza:
    """Las hojas de una parte (``indices``, en orden) que van seguidas en el informe."""

    parte: Parte
    indices: list[int]

    @classmethod
    def entera(cls, parte: Parte) -> Pieza:
        """Todas las hojas de `parte`."""
        return cls(parte, list(range(len(parte.hojas))))


def _sin_anclas_de_otra_parte(registro: logging.LogRecord) -> bool:
    """Un enlace a un ancla de otra parte no es un error: ``unir`` lo resuelve."""
    return not str(registro.msg).startswith("No anchor #")


@contextmanager
def silenciar(nombres=_LOGGERS_RUIDOSOS, nivel=logging.ERROR):
    """Baja el volumen de WeasyPrint mientras dura: avisos de CSS que no soporta (propiedades
    pensadas para el navegador), de fuentes, de progreso, de enlaces a anclas de otra parte y
    el DeprecationWarning de HarfBuzz-Subset al importarlo. Los errores sí pasan."""
    loggers = [logging.getLogger(n) for n in nombres]
    antes = [lg.level for lg in loggers]
    # Anidado, el de adentro no quita el filtro que puso el de afuera.
    puestos = [lg for lg in loggers if _sin_anclas_de_otra_parte not in lg.filters]
    for lg in loggers:
        lg.setLevel(nivel)
    for lg in puestos:
        lg.addFilter(_sin_anclas_de_otra_parte)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"weasyprint")
            warnings.filterwarnings("ignore", category=UserWarning, module=r"weasyprint")
            yield
    finally:
        for lg, nv in zip(loggers, antes, strict=True):
            lg.setLevel(nv)
        for lg in puestos:
            lg.removeFilter(_sin_anclas_de_otra_parte)


_QUIETA = threading.local()  # cuántos `memoria_quieta` abiertos hay en este hilo


@contextmanager
def memoria_quieta(devolver: bool = True):
    """Mientras WeasyPrint compone: antes, si ``devolver``, se recoge la basura con ciclos que
    dejan los árboles de BeautifulSoup (cada nodo apunta a su padre y a sus vecinos) y lo libre
    vuelve al sistema (la composición empieza de menos memoria); y lo que sigue vivo se
    congela, para que las recolecciones que dispara WeasyPrint no lo recorran una y otra vez
    (≈ 0,5 s menos). Recoger la basura recorre todo lo que vive en el proceso (0,13 s en el
    del informe, más en uno que vive más), y con una composición chica lo que devuelve no
    pesa: quien llama decide (``devolver``); sin recogerla, la basura de antes queda congelada
    y se recoge después, con la primera recolección completa. Si ya estaba quieta, u otro ya
    congeló objetos, no se toca nada. (Lo primero se sabe sin preguntarle al recolector:
    ``gc.get_freeze_count`` cuenta uno por uno los objetos congelados, unos 20 ms con el
    cuerpo del informe en memoria, en cada composición.)"""
    abiertas = getattr(_QUIETA, "abiertas", 0)
    if abiertas or gc.get_freeze_count():
        _QUIETA.abiertas = abiertas + 1
        try:
            yield
        finally:
            _QUIETA.abiertas = abiertas
        return
    if devolver:
        devolver_memoria()
    gc.freeze()
    _QUIETA.abiertas = 1
    try:
        yield
    finally:
        _QUIETA.abiertas = 0
        gc.unfreeze()


def cargar_weasyprint() -> None:
    """Importa WeasyPrint antes de la primera composición (el ejecutor, mientras corren los
    kernels; el proceso que compone con él, al arrancar). Lo que escribe en el registro al
    cargarse pasa por ``silenciar``.

    WeasyPrint abre cada biblioteca de C que usa (pango, harfbuzz, fontconfig...) probando
    los nombres que tiene en cada sistema; en Linux, por cada nombre que no es el de un
    archivo, cffi le pregunta a ``ctypes.util.find_library``, que lanza ldconfig, gcc y ld
    (unos sesenta procesos: un tercio de lo que tarda en cargarse). Mientras se importa, esa
    búsqueda no encuentra nada y WeasyPrint sigue con el nombre siguiente: los de Linux
    (``libpango-1.0.so.0``) se abren directamente, sin buscarlos. Si así no carga (un sistema
    que sí necesita buscarlas), se importa como siempre.

    Antes, fontconfig pasa a ver sólo las fuentes del proyecto (``tipografia``): WeasyPrint
    lee su configuración al importarse y en cada composición."""
    usar_fuentes_propias()
    if "weasyprint" in sys.modules:
        return
    import ctypes.util

    with silenciar():
        buscar = ctypes.util.find_library
        ctypes.util.find_library = lambda nombre: None
        try:
            import weasyprint  # noqa: F401
        except OSError:
            pass
        finally:
            ctypes.util.find_library = buscar
        import weasyprint  # noqa: F401, F811


def _documento(pagina: str, carpeta: Path | None):
    """El documento de WeasyPrint ya paginado (``Document``), sin escribirlo. Sin
    ``carpeta``, la página no lee archivos: sólo lo que lleva dentro (data:)."""
    cargar_weasyprint()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Sin red: sólo data: (gráficos) y, si hay carpeta, sus archivos.
    protocolos = ("data",) if carpeta is None else ("data", "file")
    base = None if carpeta is None else str(carpeta.resolve())
    return HTML(string=pagina, base_url=base,
                url_fetcher=URLFetcher(allowed_protocols=protocolos)).render(
        presentational_hints=True
    )


def escribir_pagina_autonoma(pagina: str, destino: Path) -> None:
    """Escribe en ``destino`` el PDF de una página que lleva todo dentro (sin archivos)."""
    _documento(pagina, None).write_pdf(destino)


def componer(pagina: str, carpeta: Path) -> Parte:
    """Compone el HTML ``pagina`` (los recursos relativos, desde ``carpeta``) y lo escribe."""
    documento = _documento(pagina, carpeta)
    parte = medir(documento)
    escribir(documento, parte)
    return parte


def componer_sin_escribir(pagina: str, carpeta: Path):
    """Compone el HTML ``pagina`` sin escribirlo: el documento de WeasyPrint y su parte (sin
    PDF), para decidir qué hojas escribir (``escribir``). Dibujar cada hoja en el PDF cuesta
    un tercio de la composición: una hoja que no va al informe no se dibuja."""
    documento = _documento(pagina, carpeta)
    return documento, medir(documento)


def medir(documento) -> Parte:
    """Las hojas (tamaño, anclas, enlaces internos, marcadores) de un documento de WeasyPrint,
    sin PDF."""
    hojas = [
        Hoja(
            ancho=hoja.width,
            alto=hoja.height,
            anclas=dict(hoja.anchors),
            enlaces=[(destino, tuple(caja)) for tipo, destino, caja, _ in hoja.links
                     if tipo == "internal"],
            marcadores=[(nivel, titulo, x, y, estado)
                        for nivel, titulo, (x, y), estado in hoja.bookmarks],
        )
        for hoja in documento.pages
    ]
    return Parte(None, hojas)


def escribir(documento, parte: Parte, hojas: list[int] | None = None) -> None:
    """El PDF de ``parte`` (de ``documento``): todas sus hojas, o sólo ``hojas`` (ninguna:
    un PDF vacío, que nadie usa)."""
    if hojas is None:
        parte.pdf, parte.escritas = documento.write_pdf(), None
        return
    parte.escritas = sorted(hojas)
    parte.pdf = (documento.copy([documento.pages[i] for i in parte.escritas]).write_pdf()
                 if parte.escritas else b"")


def _punto(hoja: Hoja, x: float, y: float) -> tuple[float, float]:
    """De px CSS desde arriba a puntos de PDF desde abajo."""
    return x * PT_POR_PX, (hoja.alto - y) * PT_POR_PX


def _sin_enlaces_internos(pagina) -> None:
    """Quita de una página copiada sus enlaces internos: apuntan a destinos con nombre de su
    parte, que el documento unido no lleva; ``unir`` los vuelve a poner. Los externos quedan."""
    from pypdf.generic import ArrayObject, NameObject

    anotaciones = pagina.get("/Annots")
    if anotaciones is None:
        return
    externas = [a for a in anotaciones.get_object() if "/Dest" not in a.get_object()]
    if externas:
        pagina[NameObject("/Annots")] = ArrayObject(externas)
    else:
        del pagina["/Annots"]


_USO_DE_XOBJETO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


def _solo_recursos_propios(pagina) -> None:
    """WeasyPrint da a todas las páginas de un documento los mismos recursos: cada página
    copiada traería las imágenes de toda su parte, también las de hojas que no van en el
    informe (de una composición de prueba). Se queda con las que dibuja."""
    from pypdf.generic import DictionaryObject, NameObject

    recursos = pagina.get("/Resources")
    if recursos is None or "/XObject" not in recursos.get_object():
        return
    recursos = recursos.get_object()
    usados = {b"/" + n for n in _USO_DE_XOBJETO.findall(pagina.get_contents().get_data())}
    propios = DictionaryObject(recursos)
    propios[NameObject("/XObject")] = DictionaryObject(
        {k: v for k, v in recursos["/XObject"].get_object().items() if k.encode() in usados}
    )
    pagina[NameObject("/Resources")] = propios


# El nombre con que cada página dibuja su hoja de cabecera (``_estampar``).
_SELLO = "/CabeceraInformePOA"


def _estampar(escritor, pagina, sello) -> None:
    """Dibuja la hoja ``sello`` (la cabecera y el pie) encima de ``pagina``, ya en
    ``escritor``: la hoja va como un objeto de formulario que la página dibuja después de su
    contenido, entre q y Q para que lo que la página deja cambiado (el sistema de
    coordenadas de WeasyPrint) no la mueva. A diferencia de ``PageObject.merge_page``, el
    contenido de la página no se lee ni se vuelve a escribir: se le agregan dos trozos."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    forma = _flujo(sello.get_contents().get_data())
    forma.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(sello.mediabox),
        NameObject("/Resources"): sello["/Resources"].clone(escritor),
    })
    forma = forma.flate_encode()

    # pypdf no tiene otra forma de agregar al escritor un objeto suelto que _add_object.
    def trozo(contenido: bytes):
        return escritor._add_object(_flujo(contenido))

    recursos = DictionaryObject(pagina.get("/Resources", DictionaryObject()).get_object())
    formas = DictionaryObject(recursos.get("/XObject", DictionaryObject()).get_object())
    formas[NameObject(_SELLO)] = escritor._add_object(forma)
    recursos[NameObject("/XObject")] = formas
    pagina[NameObject("/Resources")] = recursos
    contenido = pagina.get("/Contents")
    if contenido is None:
        trozos = []
    elif isinstance(contenido.get_object(), ArrayObject):
        trozos = list(contenido.get_object())
    elif isinstance(contenido, IndirectObject):
        trozos = [contenido]
    else:  # un flujo directo: en una lista tiene que ir como objeto aparte
        trozos = [escritor._add_object(contenido)]
    pagina[NameObject("/Contents")] = ArrayObject(
        [trozo(b"q\n"), *trozos, trozo(f"\nQ q {_SELLO} Do Q\n".encode())]
    )


def _flujo(contenido: bytes):
    from pypdf.generic import DecodedStreamObject

    flujo = DecodedStreamObject()
    flujo.set_data(contenido)
    return flujo


def unir(piezas: list[Pieza], cabeceras: Parte, destino: Path) -> None:
    """Escribe en ``destino`` las hojas de ``piezas`` en ese orden (la primera pieza trae los
    metadatos y el idioma del documento), con la hoja de ``cabeceras`` del mismo número
    estampada encima de cada una, y los enlaces internos, los destinos con nombre y los
    marcadores de todas, resueltos en el documento unido."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Link
    from pypdf.generic import Fit, NameObject, TextStringObject

    escritor = PdfWriter()
    lectores: dict[int, PdfReader] = {}
    hojas: list[Hoja] = []  # la de cada página del documento unido
    for pieza in piezas:
        clave = id(pieza.parte)
        if clave not in lectores:
            lectores[clave] = PdfReader(io.BytesIO(pieza.parte.pdf))
        for i in pieza.indices:
            # Se limpia antes de copiarla: pypdf copia todo lo que la página nombra.
            pagina = lectores[clave].pages[pieza.parte.en_el_pdf(i)]
            _sin_enlaces_internos(pagina)
            _solo_recursos_propios(pagina)
            escritor.add_page(pagina)
            hojas.append(pieza.parte.hojas[i])

    sellos = PdfReader(io.BytesIO(cabeceras.pdf)).pages

    def tamanos(lista: list[Hoja]) -> list[tuple[int, int]]:
        return [(round(h.ancho), round(h.alto)) for h in lista]

    if len(sellos) != len(hojas) or tamanos(hojas) != tamanos(cabeceras.hojas):
        raise ValueError("Las hojas de la cabecera no coinciden con las páginas del informe.")
    for pagina, sello in zip(escritor.pages, sellos, strict=True):
        _estampar(escritor, pagina, sello)

    def xyz(n: int, x: float, y: float) -> Fit:
        izquierda, arriba = _punto(hojas[n], x, y)
        return Fit.xyz(left=izquierda, top=arriba, zoom=0)

    anclas: dict[str, tuple[int, float, float]] = {}
    for n, hoja in enumerate(hojas):
        for nombre, caja in hoja.anclas.items():
            anclas.setdefault(nombre, (n, caja[0], caja[1]))
    for nombre, (n, x, y) in anclas.items():
        escritor.add_named_destination(nombre, n, fit=xyz(n, x, y))
    for n, hoja in enumerate(hojas):
        for nombre, (x0, y0, x1, y1) in hoja.enlaces:
            if nombre in anclas:
                a, b = _punto(hoja, x0, y0)
                c, d = _punto(hoja, x1, y1)
                llegada = anclas[nombre]
                escritor.add_annotation(
                    n,
                    Link(rect=(a, d, c, b), border=[0, 0, 0], target_page_index=llegada[0],
                         fit=xyz(*llegada)),
                )

    # Los marcadores de las hojas, en orden, cada uno dentro del último de nivel menor (como
    # arma el árbol WeasyPrint, ahora en el documento unido).
    rama: list[tuple[int, object]] = []  # (nivel, marcador) de los abiertos
    for n, hoja in enumerate(hojas):
        for nivel, titulo, x, y, estado in hoja.marcadores:
            while rama and rama[-1][0] >= nivel:
                rama.pop()
            rama.append((nivel, escritor.add_outline_item(
                title=titulo, page_number=n, parent=rama[-1][1] if rama else None,
                fit=xyz(n, x, y), is_open=estado != "closed")))

    primera = lectores[id(piezas[0].parte)]
    if primera.metadata:
        escritor.add_metadata(dict(primera.metadata))
    idioma = primera.trailer["/Root"].get("/Lang")
    if idioma is not None:
        escritor.root_object[NameObject("/Lang")] = TextStringObject(str(idioma))
    # Un objeto repetido (la misma imagen en dos partes) va una vez; lo que quedó sin usar,
    # ninguna.
    escritor.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    escritor.write(str(destino))
