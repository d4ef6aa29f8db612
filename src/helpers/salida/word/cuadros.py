"""Los cuadros del DOCX, escritos por pandoc en bloques de filas que la caché del informe
guarda ya retocados.

Los cuadros son casi todo el trabajo de pandoc y de python-docx en el DOCX (en el libro 10×
la muestra, miles de filas en el anexo). Cada uno llega de ``fuente`` en bloques de filas
(``Cuadro.bloques``): pandoc escribe de una vez los que la caché no tiene, con el membrete; de
cada bloque se guardan los textos de sus celdas (de todos ellos salen el ancho de las
columnas, la letra y la hoja: ``columnas.disponer``) y su OOXML con esa disposición, el estilo
de sus celdas y, en el primero, la leyenda y la identificación del cuadro. Una corrección en
una fila vuelve a escribir su bloque; un cuadro cuyos anchos cambian, todos los suyos.

Sin caché (``almacen=None``) se sigue el mismo camino con una en memoria: el mismo archivo.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from helpers.salida.word.columnas import Disposicion, disponer, poner_anchos
from helpers.salida.word.fuente import ESTILO_LUGAR, Cuadro

__all__ = ["CuadroEscrito", "Medidas", "PREFIJO_CUADRO", "escribir_cuadros"]

# El texto alternativo de cada tabla: este prefijo y el id del cuadro en el informe.
PREFIJO_CUADRO = "informe-poa cuadro "
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _T = (f"{{{_W}}}{e}" for e in ("p", "tbl", "tr", "t"))
_ETIQUETA_TBL = re.compile(r"^<w:tbl\b[^>]*>")


@dataclass(frozen=True)
class Medidas:
    """Lo que el membrete dice de los cuadros: el ancho del texto en una hoja vertical y en
    una apaisada (veinteavos de punto) y el id de cada estilo de celda por su nombre."""

    vertical: int
    apaisada: int
    estilos: dict[str, str]


@dataclass(frozen=True)
class CuadroEscrito:
    xml: str  # la leyenda y la tabla, en OOXML
    apaisado: bool


def escribir_cuadros(cuadros: list[Cuadro], medidas: Medidas, referencia: Path, epoca: int,
                     codigo: str, almacen=None) -> list[CuadroEscrito]:
    """Cada cuadro de `cuadros` como OOXML, con pandoc y el membrete `referencia` donde la
    caché `almacen` no lo tiene (ver el docstring del módulo). `codigo`: la huella de lo que
    escribe el DOCX, parte de cada clave de la caché."""
    from helpers.comun.almacen import clave

    almacen = almacen if almacen is not None else _EnMemoria()
    membrete = _huella_del_membrete(referencia)
    llaves = [[clave(codigo, membrete, b) for b in c.bloques] for c in cuadros]
    textos = {k: almacen.leer_json(clave(k, "textos")) for ks in llaves for k in ks}
    escritos = _escribir_bloques(cuadros, llaves, lambda k: textos[k] is None, referencia,
                                 epoca)
    for k, bloque in escritos.items():
        textos[k] = bloque.textos
        almacen.guardar_json(clave(k, "textos"), bloque.textos)

    # El OOXML de cada bloque de cada cuadro (n, k): dos cuadros pueden tener un bloque igual
    # con otros anchos.
    disposiciones, xml = [], {}
    for n, (cuadro, ks) in enumerate(zip(cuadros, llaves)):
        disposicion = disponer([f for k in ks for f in textos[k]], medidas.vertical,
                               medidas.apaisada, cuadro.apaisado)
        forma = json.dumps([disposicion.estilo, disposicion.anchos, cuadro.id])
        disposiciones.append((disposicion, forma))
        xml |= {(n, k): almacen.leer(clave(k, forma), "xml") for k in ks}
    # Los bloques que la caché tiene con otros anchos (cambió otra fila del cuadro).
    faltan = {k for (_, k), guardado in xml.items() if guardado is None} - set(escritos)
    escritos |= _escribir_bloques(cuadros, llaves, faltan.__contains__, referencia, epoca)

    resultado = []
    for n, (cuadro, ks, (disposicion, forma)) in enumerate(zip(cuadros, llaves,
                                                              disposiciones)):
        for numero, k in enumerate(ks):
            if xml[n, k] is None:
                xml[n, k] = _retocado(escritos[k], disposicion, medidas, cuadro,
                                      primero=numero == 0).encode("utf-8")
                almacen.guardar(clave(k, forma), xml[n, k], "xml")
        resultado.append(CuadroEscrito(b"".join(xml[n, k] for k in ks).decode("utf-8")
                                       + "</w:tbl>", disposicion.apaisada))
    return resultado


def _huella_del_membrete(ruta: Path) -> str:
    """La huella del contenido del membrete: sus partes, no las fechas del zip (el mismo
    membrete guardado otra vez no cambia lo que escribe pandoc)."""
    from helpers.comun.almacen import clave

    with zipfile.ZipFile(ruta) as archivo:
        return clave(*(p for n in sorted(archivo.namelist()) for p in (n, archivo.read(n))))


@dataclass
class _Bloque:
    """Un bloque como lo escribió pandoc: la leyenda (en el primero), la tabla con las filas
    propias del bloque y sus textos."""

    leyenda: etree._Element | None
    tabla: etree._Element
    textos: list[list[str]]


def _escribir_bloques(cuadros: list[Cuadro], llaves: list[list[str]], falta, referencia: Path,
                      epoca: int) -> dict[str, _Bloque]:
    """Los bloques de `cuadros` cuya clave (en `llaves`, cuadro por cuadro) cumple `falta`,
    escritos por pandoc de una vez: cada uno tras un párrafo con el estilo `ESTILO_LUGAR`."""
    from helpers.salida.word.pandoc import a_docx

    pedidos = [(k, b, p) for c, ks in zip(cuadros, llaves)
               for k, b, p in zip(ks, c.bloques, c.propias) if falta(k)]
    if not pedidos:
        return {}
    html = "".join(f'<div data-custom-style="{ESTILO_LUGAR}"><p>{n}</p></div>{b}'
                   for n, (_, b, _) in enumerate(pedidos))
    with tempfile.TemporaryDirectory(prefix="informe-docx-") as temporal:
        ruta = Path(temporal) / "bloques.docx"
        a_docx(html, ruta, referencia, epoca)
        with zipfile.ZipFile(ruta) as archivo:
            cuerpo = etree.fromstring(archivo.read("word/document.xml")).find(f"{{{_W}}}body")
    partes = _partes(cuerpo)
    if len(partes) != len(pedidos):
        raise ValueError(f"pandoc escribió {len(partes)} tablas de {len(pedidos)} bloques.")
    escritos = {}
    for (k, _, propias), (leyenda, tabla) in zip(pedidos, partes):
        filas = tabla.findall(_TR)
        for fila in filas[:len(filas) - propias]:
            tabla.remove(fila)
        escritos[k] = _Bloque(leyenda, tabla, [["".join(t.text or "" for t in c.iter(_T))
                                                for c in f.iterchildren(f"{{{_W}}}tc")]
                                               for f in tabla.iterchildren(_TR)])
    return escritos


def _partes(cuerpo) -> list[tuple]:
    """La leyenda (o None) y la tabla de cada bloque del cuerpo que escribió pandoc: cada uno
    empieza en un párrafo con el estilo del primero (el de `ESTILO_LUGAR`); la leyenda, si
    la hay, es un párrafo entre él y la tabla."""
    marca = f"{{{_W}}}pPr/{{{_W}}}pStyle"
    primero = cuerpo.find(_P)
    lugar = primero.find(marca).get(f"{{{_W}}}val") if primero is not None else None
    partes, leyenda = [], None
    for elemento in cuerpo:
        if elemento.tag == _P:
            estilo = elemento.find(marca)
            es_lugar = estilo is not None and estilo.get(f"{{{_W}}}val") == lugar
            leyenda = None if es_lugar else elemento
        elif elemento.tag == _TBL:
            partes.append((leyenda, elemento))
            leyenda = None
    return partes


def _retocado(bloque: _Bloque, disposicion: Disposicion, medidas: Medidas, cuadro: Cuadro, *,
              primero: bool) -> str:
    """El OOXML de `bloque` con los anchos y la letra de `disposicion`: el del primero, la
    leyenda y la tabla sin cerrar, identificada por el id del cuadro; el de los demás, sus
    filas."""
    from copy import deepcopy

    tabla = deepcopy(bloque.tabla)
    poner_anchos(tabla, disposicion.anchos, marco=primero)
    _con_estilo(tabla, medidas.estilos[disposicion.estilo])
    if primero:
        _identificar(tabla, cuadro)
    else:  # sólo las filas: las propiedades y la rejilla son las del primero
        for hijo in [h for h in tabla if h.tag != _TR]:
            tabla.remove(hijo)
    texto = etree.tostring(tabla, encoding="unicode", with_tail=False).removesuffix("</w:tbl>")
    if not primero:
        return _ETIQUETA_TBL.sub("", texto, count=1)
    leyenda = bloque.leyenda
    if leyenda is None:
        return texto
    return etree.tostring(leyenda, encoding="unicode", with_tail=False) + texto


def _con_estilo(tabla, estilo: str) -> None:
    """Los párrafos de `tabla` con el estilo de id `estilo` (pandoc pone uno a cada párrafo
    de celda: se cambia su valor)."""
    marca, valor = f"{{{_W}}}pPr/{{{_W}}}pStyle", f"{{{_W}}}val"
    for parrafo in tabla.iter(_P):
        estilo_actual = parrafo.find(marca)
        if estilo_actual is None:
            propiedades = parrafo.find(f"{{{_W}}}pPr")
            if propiedades is None:
                propiedades = etree.Element(f"{{{_W}}}pPr")
                parrafo.insert(0, propiedades)
            estilo_actual = etree.Element(f"{{{_W}}}pStyle")
            propiedades.insert(0, estilo_actual)
        estilo_actual.set(valor, estilo)


def _identificar(tabla, cuadro: Cuadro) -> None:
    """El id del cuadro en el texto alternativo de la tabla (Word lo conserva al editar)."""
    propiedades = tabla.find(f"{{{_W}}}tblPr")
    descripcion = propiedades.find(f"{{{_W}}}tblDescription")
    if descripcion is None:
        descripcion = etree.SubElement(propiedades, f"{{{_W}}}tblDescription")
    descripcion.set(f"{{{_W}}}val", PREFIJO_CUADRO + cuadro.id)


class _EnMemoria:
    """La caché de una sola corrida, cuando no hay la del informe."""

    def __init__(self) -> None:
        self._datos: dict[tuple[str, str], object] = {}

    def leer(self, llave: str, tipo: str = "bin"):
        return self._datos.get((llave, tipo))

    def guardar(self, llave: str, datos, tipo: str = "bin") -> None:
        self._datos[(llave, tipo)] = datos

    def leer_json(self, llave: str):
        return self.leer(llave, "json")

    def guardar_json(self, llave: str, valor) -> None:
        self.guardar(llave, valor, "json")
