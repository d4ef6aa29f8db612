"""La página HTML para lectores (``informe.html``) como la lee pandoc para escribir el DOCX.

Entra el texto de la página ya ensamblada (portada, cuerpo, firmas y colofón, con los cuadros
y gráficos numerados); sale un HTML sencillo, del que pandoc hace párrafos, títulos, tablas
nativas e imágenes de Word, y la lista de los cuadros en su orden (``Cuadro``): su id en el
informe, su leyenda y si va en una hoja apaisada. Lo que Word muestra con un estilo propio
lleva ``data-custom-style`` (pandoc lo vuelve un estilo de párrafo del documento de
referencia: ver ``membrete.ESTILOS``). El texto sigue siendo texto: pandoc lee HTML, no
Markdown, así que nada de lo que traen los datos se interpreta.

El árbol es el de lxml (que python-docx ya instala), no el de BeautifulSoup como en el
ensamblado: en la página de la muestra, con miles de celdas, leerla, cambiarla y escribir los
trozos tarda 0,05 s en vez de 0,6 s, en cada corrida.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from helpers.salida.ensamblado.sopa import junto

__all__ = ["Cuadro", "ESTILO_CONTENIDO", "ESTILO_LUGAR", "ESTILO_RESUMEN", "FILAS_POR_BLOQUE",
           "MARCA_CONTENIDO", "ParaPandoc", "html_para_pandoc"]

# El párrafo que el índice (un campo TOC de Word) reemplaza después (``documento``).
ESTILO_CONTENIDO = "Contenido del informe"
MARCA_CONTENIDO = "[índice]"
# Los párrafos del resumen ejecutivo: sus cifras se comparan en una copia editada.
ESTILO_RESUMEN = "Resumen ejecutivo"
# El párrafo que ocupa, en lo que lee pandoc, el lugar de cada cuadro (``cuadros`` lo escribe
# aparte, en bloques de filas, y ``documento`` lo pone en ese lugar). Los datos no pueden
# traer un párrafo con un estilo propio: su texto llega escapado.
ESTILO_LUGAR = "informe-poa lugar de cuadro"
# Las filas del cuerpo de un cuadro que pandoc escribe juntas y la caché guarda juntas: una
# corrección en el anexo vuelve a escribir las de su bloque, no las miles del cuadro.
FILAS_POR_BLOQUE = 50
# Las tablas de estas clases no caben a lo ancho de una hoja vertical (``informe.css``).
_CLASES_ANCHAS = {"ancha", "muy-ancha"}
_PNG_EN_LINEA = "data:image/png;base64,"
# El ancho de un gráfico: más que cualquier hoja, para que pandoc lo deje al ancho del texto
# de la del membrete (no entiende «100 %» en una imagen de HTML).
_ANCHO_GRAFICO = "30cm"


@dataclass(frozen=True)
class Cuadro:
    """Un cuadro del informe, en el orden de las tablas del DOCX. `bloques`: las tablas de
    HTML que pandoc escribe por separado, cada una con unas filas del cuadro (la primera con
    la leyenda, todas con el encabezado; la última con el pie); `propias`: cuántas de las
    filas que pandoc escribe de cada una son del cuadro (las del final: las del encabezado,
    salvo en la primera, se descartan)."""

    id: str
    leyenda: str
    apaisado: bool
    bloques: tuple[str, ...] = ()
    propias: tuple[int, ...] = ()


@dataclass
class ParaPandoc:
    """Lo que lee pandoc, en trozos que lee por separado (y la caché guarda: cada elemento de
    primer nivel, un párrafo de la portada, una sección, las firmas, el colofón), los cuadros
    en su orden y los gráficos en el suyo: sus PNG, que en el HTML son otros chicos de la
    misma forma (ver `_figura`)."""

    trozos: list[str]
    cuadros: list[Cuadro]
    graficos: list[bytes] = field(default_factory=list)

    @property
    def html(self) -> str:
        return "".join(self.trozos)


def html_para_pandoc(texto: str) -> ParaPandoc:
    """El HTML que lee pandoc (ver el docstring del módulo), los cuadros y los gráficos."""
    pagina = lxml.html.document_fromstring(texto)
    cuerpo = lxml.html.Element("body")
    portada = _primero(pagina, "header", "portada")
    if portada is not None:
        _portada(portada, cuerpo)
    cuerpo.append(_parrafo(MARCA_CONTENIDO, ESTILO_CONTENIDO))
    resultado = ParaPandoc([], [])
    principal = _primero(pagina, "main", "cuerpo")
    if principal is not None:
        _limpiar(principal)
        resultado.cuadros = _cuadros(principal)
        for leyenda in _todos(principal, "p", "leyenda-grafico"):
            _figura(leyenda, resultado.graficos)
        for fuente in _todos(principal, "p", "fuente"):
            _envolver(fuente, "Fuente")
        _resumen(_primero(principal, "section", "seccion"))
        _mover_contenido(principal, cuerpo)
    for clase in ("firmas", "colofon"):
        seccion = _primero(pagina, "section", clase)
        if seccion is not None:
            cuerpo.append(_firmas(seccion) if clase == "firmas" else
                          _con_estilo(_soltar(seccion), "Colofón"))
    _aligerar(cuerpo)
    tablas = [t for t in cuerpo.iter("table") if next(t.iterancestors("table"), None) is None]
    resultado.cuadros = [_en_bloques(tabla, cuadro, numero) for numero, (tabla, cuadro)
                         in enumerate(zip(tablas, resultado.cuadros, strict=True))]
    resultado.trozos = _trozos(cuerpo)
    return resultado


def _clases(elemento: HtmlElement) -> set[str]:
    return set((elemento.get("class") or "").split())


def _todos(raiz: HtmlElement, etiqueta: str | tuple[str, ...], clase: str) -> list[HtmlElement]:
    """Los descendientes de `raiz` con la `etiqueta` (o una de ellas) y la `clase`, en orden."""
    etiquetas = (etiqueta,) if isinstance(etiqueta, str) else etiqueta
    return [e for e in raiz.iterdescendants(*etiquetas) if clase in _clases(e)]


def _primero(raiz: HtmlElement, etiqueta: str | tuple[str, ...],
             clase: str) -> HtmlElement | None:
    return next(iter(_todos(raiz, etiqueta, clase)), None)


def _texto(elemento: HtmlElement) -> str:
    return junto(elemento.text_content())


def _nuevo(etiqueta: str, texto: str | None = None, **atributos: str) -> HtmlElement:
    elemento = lxml.html.Element(etiqueta, atributos)
    elemento.text = texto
    return elemento


def _soltar(elemento: HtmlElement) -> HtmlElement:
    """`elemento` fuera de su árbol (el texto que le seguía queda en él)."""
    elemento.drop_tree()
    elemento.tail = None
    return elemento


def _reemplazar(elemento: HtmlElement, otro: HtmlElement) -> None:
    """`otro` en el lugar de `elemento`, con el texto que le seguía."""
    otro.tail, elemento.tail = elemento.tail, None
    elemento.getparent().replace(elemento, otro)


def _envolver(elemento: HtmlElement, estilo: str) -> None:
    """`elemento` dentro de un ``<div>`` con el estilo de Word `estilo`."""
    caja = _nuevo("div", **{"data-custom-style": estilo})
    _reemplazar(elemento, caja)
    caja.append(elemento)


def _mover_contenido(origen: HtmlElement, destino: HtmlElement) -> None:
    """El texto y los hijos de `origen`, al final de `destino`."""
    if (origen.text or "").strip():
        ultimo = destino[-1] if len(destino) else None
        if ultimo is None:
            destino.text = (destino.text or "") + origen.text
        else:
            ultimo.tail = (ultimo.tail or "") + origen.text
    for hijo in list(origen):
        destino.append(hijo)


def _trozos(cuerpo: HtmlElement) -> list[str]:
    """Cada hijo de `cuerpo` en HTML, y el texto suelto entre ellos (escapado), si lo hay."""
    trozos = [html.escape(cuerpo.text, quote=False)] if (cuerpo.text or "").strip() else []
    for hijo in cuerpo:
        trozos.append(etree.tostring(hijo, encoding="unicode", method="html", with_tail=False))
        if (hijo.tail or "").strip():
            trozos.append(html.escape(hijo.tail, quote=False))
    return trozos


# Los atributos que pandoc usa; los demás (las clases de nbconvert, los de JupyterLab) sólo
# le dan trabajo: cada <div> que los lleva es un bloque más que lee y escribe.
_ATRIBUTOS = {"id", "style", "src", "alt", "width", "href", "colspan", "rowspan",
              "data-custom-style"}


def _aligerar(cuerpo: HtmlElement) -> None:
    """Sin las cajas de nbconvert (``<div>`` sin estilo propio: se queda su contenido) ni los
    atributos que pandoc no usa. Las secciones quedan: son los trozos de la caché."""
    for caja in list(cuerpo.iterdescendants("div")):
        if not caja.get("data-custom-style"):
            caja.drop_tag()
    for elemento in cuerpo.iter(etree.Element):
        for atributo in [a for a in elemento.attrib if a not in _ATRIBUTOS]:
            del elemento.attrib[atributo]


def _en_bloques(tabla: HtmlElement, cuadro: Cuadro, numero: int) -> Cuadro:
    """`cuadro` con las tablas de sus bloques de filas (ver `Cuadro`); en su lugar queda un
    párrafo con el estilo `ESTILO_LUGAR` y su `numero`, dentro de una caja con el id de la
    tabla (pandoc la vuelve un marcador de Word, como a la tabla)."""
    def html_de(elementos) -> str:
        return "".join(etree.tostring(e, encoding="unicode", method="html", with_tail=False)
                       for e in elementos)

    partes = {parte: [e for e in tabla if e.tag == parte] for parte in
              ("caption", "colgroup", "col", "thead", "tfoot")}
    encabezado = html_de(partes["colgroup"] + partes["col"] + partes["thead"])
    pie = html_de(partes["tfoot"])
    filas_pie = sum(len(p.findall("tr")) for p in partes["tfoot"])
    filas_encabezado = sum(len(p.findall("tr")) for p in partes["thead"])
    cuerpo = [f for f in tabla.iter("tr") if f.getparent().tag not in ("thead", "tfoot")
              and next(f.iterancestors("table")) is tabla]
    cortes = _cortes(cuerpo)
    bloques, propias = [], []
    for k, (inicio, fin) in enumerate(zip(cortes, cortes[1:])):
        ultimo = k == len(cortes) - 2
        leyenda = html_de(partes["caption"]) if k == 0 else ""
        bloques.append(f"<table>{leyenda}{encabezado}<tbody>{html_de(cuerpo[inicio:fin])}"
                       f"</tbody>{pie if ultimo else ''}</table>")
        propias.append((filas_encabezado if k == 0 else 0) + fin - inicio
                       + (filas_pie if ultimo else 0))
    lugar = _nuevo("div", id=str(tabla.get("id") or cuadro.id),
                   **{"data-custom-style": ESTILO_LUGAR})
    lugar.append(_nuevo("p", str(numero)))
    _reemplazar(tabla, lugar)
    return Cuadro(cuadro.id, cuadro.leyenda, cuadro.apaisado, tuple(bloques), tuple(propias))


def _cortes(filas: list[HtmlElement]) -> list[int]:
    """Dónde empieza cada bloque de filas (y, al final, cuántas son): cada `FILAS_POR_BLOQUE`
    filas, o después, donde ninguna celda de las de arriba abarca filas de abajo
    (``rowspan``)."""
    cortes, hasta = [0], 0
    for numero, fila in enumerate(filas):
        if numero - cortes[-1] >= FILAS_POR_BLOQUE and hasta <= numero:
            cortes.append(numero)
        for celda in fila.iterchildren("td", "th"):
            abarca = str(celda.get("rowspan") or "1")
            hasta = max(hasta, numero + (int(abarca) if abarca.isdigit() else 1))
    if len(filas) > cortes[-1] or len(cortes) == 1:
        cortes.append(len(filas))
    return cortes


def _parrafo(texto: str, estilo: str) -> HtmlElement:
    caja = _nuevo("div", **{"data-custom-style": estilo})
    caja.append(_nuevo("p", texto))
    return caja


def _con_estilo(elemento: HtmlElement, estilo: str) -> HtmlElement:
    """Los párrafos de `elemento` con el estilo `estilo`; sus títulos quedan títulos."""
    for parrafo in list(elemento.iterdescendants("p", "dl")):
        _envolver(parrafo, estilo)
    return elemento


def _portada(portada: HtmlElement, cuerpo: HtmlElement) -> None:
    """La portada: cada dato en su párrafo, con el estilo de su clase (entidad, título...), y
    los de las listas de identificación como «Dato: valor»."""
    for elemento in portada.iterchildren("p", "h1", "dl"):
        if elemento.tag == "dl":
            for fila in elemento.iterchildren("div"):
                dato, valor = next(fila.iter("dt"), None), next(fila.iter("dd"), None)
                if dato is not None and valor is not None:
                    cuerpo.append(_parrafo(f"{_texto(dato)}: {_texto(valor)}",
                                           "Portada dato"))
            continue
        clase = next((c for c in (elemento.get("class") or "").split()
                      if c.startswith("portada-")), "portada-dato")
        estilo = "Portada " + clase.removeprefix("portada-").replace("-", " ")
        cuerpo.append(_parrafo(_texto(elemento), estilo))


def _limpiar(principal: HtmlElement) -> None:
    """Sin las anclas ¶ de los títulos ni lo que sólo sirve en la pantalla."""
    for ancla in _todos(principal, "a", "anchor-link"):
        ancla.drop_tree()
    for elemento in list(principal.iterdescendants("script", "style", "nav")):
        if elemento.getparent() is not None:
            elemento.drop_tree()


def _cuadros(principal: HtmlElement) -> list[Cuadro]:
    """Cada leyenda de cuadro pasa a ser el título (``caption``) de su tabla, con las cifras
    a la derecha y las filas de total en negrita. Devuelve los cuadros en su orden."""
    cuadros = []
    for tabla in list(principal.iterdescendants("table")):
        leyenda = next((p for p in tabla.itersiblings("p", preceding=True)
                        if "leyenda-cuadro" in _clases(p)), None)
        texto = _texto(leyenda) if leyenda is not None else ""
        if leyenda is not None:
            leyenda.drop_tree()
        tabla.insert(0, _nuevo("caption", texto))
        _alinear_y_resaltar(tabla)
        cuadros.append(Cuadro(str(tabla.get("id") or f"tabla-{len(cuadros) + 1}"), texto,
                              bool(_CLASES_ANCHAS & _clases(tabla))))
    return cuadros


def _resumen(seccion: HtmlElement | None) -> None:
    """Los párrafos de la primera sección (la portada y el resumen ejecutivo, en todo tipo de
    informe), con el estilo que busca la verificación de una copia editada."""
    if seccion is None:
        return
    for elemento in list(seccion.iterdescendants("p", "ul", "ol")):
        if next(elemento.iterancestors("table", "ul", "ol", "figure"), None) is None and not (
                _clases(elemento) & {"leyenda", "fuente"}):
            _envolver(elemento, ESTILO_RESUMEN)


def _alinear_y_resaltar(tabla: HtmlElement) -> None:
    """Las cifras a la derecha (pandoc alinea la columna como su celda) y las filas de total
    en negrita."""
    for celda in tabla.iter("td", "th"):
        clases = _clases(celda)
        if "num" in clases and "txt" not in clases:
            celda.set("style", "text-align: right")
    for fila in _todos(tabla, "tr", "total"):
        for celda in fila.iter("td", "th"):
            negrita = _nuevo("strong", celda.text)
            celda.text = None
            for hijo in list(celda):
                negrita.append(hijo)
            celda.append(negrita)


def _figura(leyenda: HtmlElement, graficos: list[bytes]) -> None:
    """La imagen que sigue a la leyenda de un gráfico, como figura con la leyenda debajo.

    pandoc tarda segundos en leer y escribir los megabytes de los gráficos en base64: lee en
    cambio uno chico, de la misma forma (el mismo alto por ancho, así calcula el mismo
    tamaño en la hoja) y de un color propio (cada uno es otro archivo del DOCX), y el gráfico
    de verdad se pone después en su lugar (``documento.retocar``)."""
    imagen = next(iter(leyenda.xpath("(descendant::img | following::img)[1]")), None)
    texto = _texto(leyenda)
    fuente = str(imagen.get("src", "")) if imagen is not None else ""
    if not fuente.startswith(_PNG_EN_LINEA):
        return
    contenido = base64.b64decode(fuente.removeprefix(_PNG_EN_LINEA))
    figura = _nuevo("figure")
    figura.append(_nuevo("img", **{
        "src": _PNG_EN_LINEA + base64.b64encode(_sustituto(contenido, len(graficos))).decode(),
        "alt": texto, "width": _ANCHO_GRAFICO}))
    graficos.append(contenido)
    figura.append(_nuevo("figcaption", texto))
    _reemplazar(leyenda, figura)
    if imagen.getparent() is not None:
        imagen.drop_tree()


def _sustituto(png: bytes, numero: int) -> bytes:
    """Un PNG chico con la forma de `png` y un color que dice su `numero`."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as original:
        ancho, alto = original.size
        puntos = original.info.get("dpi")
    escala = max(1, max(ancho, alto) // 64)
    color = (numero % 256, numero // 256 % 256, 128)
    salida = io.BytesIO()
    chico = Image.new("RGB", (max(1, ancho // escala), max(1, alto // escala)), color)
    chico.save(salida, format="PNG", **({"dpi": puntos} if puntos else {}))
    return salida.getvalue()


def _firmas(seccion: HtmlElement) -> HtmlElement:
    """El bloque de firmas: por cada firma, el rol, un espacio para firmar, el nombre y el
    cargo (en blanco, «Nombre:» y «Cargo:» para llenar a mano)."""
    bloque = _nuevo("div")
    titulo = next(seccion.iter("h1", "h2"), None)
    if titulo is not None:
        bloque.append(_nuevo("h1", _texto(titulo)))
    for firma in _todos(seccion, "div", "firma"):
        for clase, estilo in (("firma-rol", "Firma rol"), (None, "Firma espacio"),
                              ("firma-nombre", "Firma nombre"), ("firma-cargo", "Firma cargo")):
            if clase is None:
                bloque.append(_parrafo(" ", estilo))
                continue
            parrafo = _primero(firma, "p", clase)
            if parrafo is not None:
                bloque.append(_parrafo(_texto(parrafo), estilo))
    return bloque
