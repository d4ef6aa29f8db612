"""La página HTML para lectores (``informe.html``) como la lee pandoc para escribir el DOCX.

Entra el texto de la página ya ensamblada (portada, cuerpo, firmas y colofón, con los cuadros
y gráficos numerados); sale un HTML sencillo, del que pandoc hace párrafos, títulos, tablas
nativas e imágenes de Word, y la lista de los cuadros en su orden (``Cuadro``): su id en el
informe, su leyenda y si va en una hoja apaisada. Lo que Word muestra con un estilo propio
lleva ``data-custom-style`` (pandoc lo vuelve un estilo de párrafo del documento de
referencia: ver ``membrete.ESTILOS``). El texto sigue siendo texto: pandoc lee HTML, no
Markdown, así que nada de lo que traen los datos se interpreta.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from helpers.salida.ensamblado.sopa import analizar, junto

__all__ = ["Cuadro", "ESTILO_CONTENIDO", "ESTILO_RESUMEN", "MARCA_CONTENIDO", "ParaPandoc",
           "html_para_pandoc"]

# El párrafo que el índice (un campo TOC de Word) reemplaza después (``documento``).
ESTILO_CONTENIDO = "Contenido del informe"
MARCA_CONTENIDO = "[índice]"
# Los párrafos del resumen ejecutivo: sus cifras se comparan en una copia editada.
ESTILO_RESUMEN = "Resumen ejecutivo"
# Las tablas de estas clases no caben a lo ancho de una hoja vertical (``informe.css``).
_CLASES_ANCHAS = {"ancha", "muy-ancha"}
_PNG_EN_LINEA = "data:image/png;base64,"
# El ancho de un gráfico: más que cualquier hoja, para que pandoc lo deje al ancho del texto
# de la del membrete (no entiende «100 %» en una imagen de HTML).
_ANCHO_GRAFICO = "30cm"


@dataclass(frozen=True)
class Cuadro:
    """Un cuadro del informe, en el orden en que pandoc escribe las tablas del DOCX."""

    id: str
    leyenda: str
    apaisado: bool


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
    pagina = analizar(texto)
    salida = analizar("<html><body></body></html>")
    cuerpo = salida.body
    portada = pagina.find("header", class_="portada")
    if portada is not None:
        _portada(portada, salida)
    cuerpo.append(_parrafo(salida, MARCA_CONTENIDO, ESTILO_CONTENIDO))
    resultado = ParaPandoc([], [])
    principal = pagina.find("main", class_="cuerpo")
    if principal is not None:
        _limpiar(principal)
        resultado.cuadros = _cuadros(principal, salida)
        for leyenda in principal.find_all("p", class_="leyenda-grafico"):
            _figura(leyenda, salida, resultado.graficos)
        for fuente in principal.find_all("p", class_="fuente"):
            fuente.wrap(salida.new_tag("div", attrs={"data-custom-style": "Fuente"}))
        _resumen(principal.find("section", class_="seccion"), salida)
        for hijo in list(principal.children):
            cuerpo.append(hijo.extract())
    for clase in ("firmas", "colofon"):
        seccion = pagina.find("section", class_=clase)
        if seccion is not None:
            cuerpo.append(_firmas(seccion, salida) if clase == "firmas" else
                          _con_estilo(seccion.extract(), salida, "Colofón"))
    _aligerar(cuerpo)
    resultado.trozos = [str(hijo) for hijo in cuerpo.children if str(hijo).strip()]
    return resultado


# Los atributos que pandoc usa; los demás (las clases de nbconvert, los de JupyterLab) sólo
# le dan trabajo: cada <div> que los lleva es un bloque más que lee y escribe.
_ATRIBUTOS = {"id", "style", "src", "alt", "width", "href", "colspan", "rowspan",
              "data-custom-style"}


def _aligerar(cuerpo: Tag) -> None:
    """Sin las cajas de nbconvert (``<div>`` sin estilo propio: se queda su contenido) ni los
    atributos que pandoc no usa. Las secciones quedan: son los trozos de la caché."""
    for caja in cuerpo.find_all("div"):
        if not caja.get("data-custom-style"):
            caja.unwrap()
    for elemento in cuerpo.find_all(True):
        for atributo in [a for a in elemento.attrs if a not in _ATRIBUTOS]:
            del elemento[atributo]


def _parrafo(sopa: BeautifulSoup, texto: str, estilo: str) -> Tag:
    caja = sopa.new_tag("div", attrs={"data-custom-style": estilo})
    parrafo = sopa.new_tag("p")
    parrafo.string = texto
    caja.append(parrafo)
    return caja


def _con_estilo(elemento: Tag, sopa: BeautifulSoup, estilo: str) -> Tag:
    """Los párrafos de `elemento` con el estilo `estilo`; sus títulos quedan títulos."""
    for parrafo in elemento.find_all(["p", "dl"]):
        caja = sopa.new_tag("div", attrs={"data-custom-style": estilo})
        parrafo.wrap(caja)
    return elemento


def _portada(portada: Tag, sopa: BeautifulSoup) -> None:
    """La portada: cada dato en su párrafo, con el estilo de su clase (entidad, título...), y
    los de las listas de identificación como «Dato: valor»."""
    cuerpo = sopa.body
    for elemento in portada.find_all(["p", "h1", "dl"], recursive=False):
        if elemento.name == "dl":
            for fila in elemento.find_all("div", recursive=False):
                dato, valor = fila.find("dt"), fila.find("dd")
                if dato is not None and valor is not None:
                    cuerpo.append(_parrafo(sopa, f"{junto(dato.get_text())}: "
                                                 f"{junto(valor.get_text())}",
                                           "Portada dato"))
            continue
        clase = next((c for c in elemento.get("class") or [] if c.startswith("portada-")),
                     "portada-dato")
        estilo = "Portada " + clase.removeprefix("portada-").replace("-", " ")
        cuerpo.append(_parrafo(sopa, junto(elemento.get_text()), estilo))


def _limpiar(principal: Tag) -> None:
    """Sin las anclas ¶ de los títulos ni lo que sólo sirve en la pantalla."""
    for ancla in principal.find_all("a", class_="anchor-link"):
        ancla.decompose()
    for elemento in principal.find_all(["script", "style", "nav"]):
        elemento.decompose()


def _cuadros(principal: Tag, sopa: BeautifulSoup) -> list[Cuadro]:
    """Cada leyenda de cuadro pasa a ser el título (``caption``) de su tabla, con las cifras
    a la derecha y las filas de total en negrita. Devuelve los cuadros en su orden."""
    cuadros = []
    for tabla in principal.find_all("table"):
        leyenda = tabla.find_previous_sibling("p", class_="leyenda-cuadro")
        texto = junto(leyenda.get_text()) if leyenda is not None else ""
        if leyenda is not None:
            leyenda.decompose()
        titulo = sopa.new_tag("caption")
        titulo.string = texto
        tabla.insert(0, titulo)
        _alinear_y_resaltar(tabla)
        cuadros.append(Cuadro(str(tabla.get("id") or f"tabla-{len(cuadros) + 1}"), texto,
                              bool(_CLASES_ANCHAS & set(tabla.get("class") or []))))
    return cuadros


def _resumen(seccion: Tag | None, sopa: BeautifulSoup) -> None:
    """Los párrafos de la primera sección (la portada y el resumen ejecutivo, en todo tipo de
    informe), con el estilo que busca la verificación de una copia editada."""
    if seccion is None:
        return
    for elemento in seccion.find_all(["p", "ul", "ol"]):
        if elemento.find_parent(["table", "ul", "ol", "figure"]) is None and not (
                set(elemento.get("class") or []) & {"leyenda", "fuente"}):
            elemento.wrap(sopa.new_tag("div", attrs={"data-custom-style": ESTILO_RESUMEN}))


def _alinear_y_resaltar(tabla: Tag) -> None:
    """Las cifras a la derecha (pandoc alinea la columna como su celda) y las filas de total
    en negrita."""
    for celda in tabla.find_all(["td", "th"]):
        if "num" in (celda.get("class") or []) and "txt" not in (celda.get("class") or []):
            celda["style"] = "text-align: right"
    for fila in tabla.find_all("tr", class_="total"):
        for celda in fila.find_all(["td", "th"]):
            negrita = sopa_de(celda).new_tag("strong")
            for hijo in list(celda.children):
                negrita.append(hijo.extract())
            celda.append(negrita)


def sopa_de(elemento: Tag) -> BeautifulSoup:
    while elemento.parent is not None:
        elemento = elemento.parent
    return elemento


def _figura(leyenda: Tag, sopa: BeautifulSoup, graficos: list[bytes]) -> None:
    """La imagen que sigue a la leyenda de un gráfico, como figura con la leyenda debajo.

    pandoc tarda segundos en leer y escribir los megabytes de los gráficos en base64: lee en
    cambio uno chico, de la misma forma (el mismo alto por ancho, así calcula el mismo
    tamaño en la hoja) y de un color propio (cada uno es otro archivo del DOCX), y el gráfico
    de verdad se pone después en su lugar (``documento.retocar``)."""
    imagen = leyenda.find_next("img")
    texto = junto(leyenda.get_text())
    fuente = str(imagen.get("src", "")) if imagen is not None else ""
    if not fuente.startswith(_PNG_EN_LINEA):
        return
    contenido = base64.b64decode(fuente.removeprefix(_PNG_EN_LINEA))
    figura = sopa.new_tag("figure")
    figura.append(sopa.new_tag("img", attrs={
        "src": _PNG_EN_LINEA + base64.b64encode(_sustituto(contenido, len(graficos))).decode(),
        "alt": texto, "width": _ANCHO_GRAFICO}))
    graficos.append(contenido)
    pie = sopa.new_tag("figcaption")
    pie.string = texto
    figura.append(pie)
    leyenda.replace_with(figura)
    imagen.decompose()


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


def _firmas(seccion: Tag, sopa: BeautifulSoup) -> Tag:
    """El bloque de firmas: por cada firma, el rol, un espacio para firmar, el nombre y el
    cargo (en blanco, «Nombre:» y «Cargo:» para llenar a mano)."""
    bloque = sopa.new_tag("div")
    titulo = seccion.find(["h1", "h2"])
    if titulo is not None:
        encabezado = sopa.new_tag("h1")
        encabezado.string = junto(titulo.get_text())
        bloque.append(encabezado)
    for firma in seccion.find_all("div", class_="firma"):
        for clase, estilo in (("firma-rol", "Firma rol"), (None, "Firma espacio"),
                              ("firma-nombre", "Firma nombre"), ("firma-cargo", "Firma cargo")):
            if clase is None:
                bloque.append(_parrafo(sopa, " ", estilo))
                continue
            parrafo = firma.find("p", class_=clase)
            if parrafo is not None:
                bloque.append(_parrafo(sopa, junto(parrafo.get_text()), estilo))
    return bloque
