"""Reglas de maquetación del PDF (docs/maquetacion.md), medidas con pdfplumber en un informe
generado de punta a punta sobre el libro de muestra (params/2024-T2.yaml, una vez por módulo).

Todo sale del propio PDF y de la hoja de impresión, nunca de números de página fijos:

- los márgenes, de la regla ``@page`` de ``plantillas/impresion.css``: la caja del texto es
  la página menos esos márgenes (la cabecera y el pie quedan fuera de ella);
- lo usado de una página: desde el borde de arriba de la caja hasta lo más bajo que se
  dibuja en ella (letras, imágenes, rectángulos y trazos que no sean blancos), sobre el alto
  de la caja;
- la letra del texto: el tamaño más común de las letras regulares del cuerpo (ni negritas, ni
  condensadas como las de las tablas, ni de ancho fijo). Un título es una línea toda en
  negrita de letra mayor que ésa (los H1 a H3); una leyenda («Cuadro N° 3: ...») o un rótulo
  es una línea toda en negrita de ancho normal y letra de al menos 0,9 veces la del texto;
- las secciones (un cuaderno, un ``<section>`` de ``informe.html``): el primer título de cada
  una es la primera línea de la página donde empieza (cada sección empieza en página nueva);
  la portada, el índice y las listas van antes de la primera, y las firmas y el colofón
  (sus títulos también salen del HTML), después de la última;
- las tablas de una página apaisada, con ``find_tables`` de pdfplumber sobre los bordes de
  sus celdas (al menos dos columnas), y su ancho.

En cada página del cuerpo:

1. la última línea no es un título ni una leyenda, salvo que debajo haya una tabla o un
   gráfico;
2. lo usado es al menos un tercio, salvo en la última página de cada sección;
3. si es apaisada, tiene una tabla más ancha que el texto de una página vertical (las
   tablas apaisadas toman el ancho que necesitan); si es vertical, nada se sale de la caja.

``medir`` y ``defectos`` sirven también para revisar informes ya generados::

    .venv/bin/python tests/test_maquetacion.py output/2024-T1 output/2024-T4
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
import texto_pdf
from bs4 import BeautifulSoup

from helpers.comun.calendario import MESES_NOMBRE
from helpers.salida.ensamblado.pagina import PLANTILLAS

RAIZ = Path(__file__).resolve().parents[1]
IMPRESION_CSS = PLANTILLAS / "impresion.css"
PARAMS_MUESTRA = RAIZ / "params" / "2024-T2.yaml"

PT_POR_MM = 72 / 25.4
FRACCION_MINIMA = 1 / 3  # de la caja del texto, en cada página de una sección salvo la última
TOLERANCIA_PT = 1.5  # lo que se corre un trazo (bordes de 0,25 pt, redondeos de pdfminer)
RAZON_TITULO = 1.05  # un título es mayor que el texto: el H3, 10,5 pt sobre 9,5 pt
RAZON_LEYENDA = 0.9  # una leyenda, un poco menor: 9 pt sobre 9,5 pt
ALTO_RAYA_PT = 3  # lo que se dibuja bajo un título sin ser contenido: la raya bajo el H1
COLUMNAS_TABLA = 2  # menos no es una tabla (la raya bajo un título forma un rectángulo)
_NO_NORMAL = ("condensed", "mono")  # letra de tablas y de código


# --- Medidas -------------------------------------------------------------------------------


def margenes_css(css: str | None = None) -> tuple[float, float, float, float]:
    """(arriba, derecha, abajo, izquierda) en puntos, de la primera regla ``@page`` de la hoja
    de impresión (``margin: 22mm 15mm 20mm 15mm``; con menos valores, como en CSS)."""
    css = IMPRESION_CSS.read_text(encoding="utf-8") if css is None else css
    regla = re.search(r"@page\s*\{(.*?)\}", css, re.DOTALL)
    assert regla, "impresion.css sin regla @page"
    margen = re.search(r"(?<![-\w])margin\s*:\s*([^;]+);", regla[1])
    assert margen, "la regla @page no fija margin"
    valores = []
    for valor in margen[1].split():
        numero = re.fullmatch(r"([\d.]+)(mm|cm|pt|in)", valor)
        assert numero, f"margen que no sé medir: {valor}"
        escala = {"mm": PT_POR_MM, "cm": 10 * PT_POR_MM, "pt": 1, "in": 72}[numero[2]]
        valores.append(float(numero[1]) * escala)
    # Como en CSS: arriba [derecha [abajo [izquierda]]], lo que falta repite el opuesto.
    while len(valores) < 4:
        valores.append(valores[len(valores) - 2] if len(valores) > 1 else valores[0])
    return tuple(valores)  # type: ignore[return-value]


def _plano(texto: str) -> str:
    return " ".join(texto.replace("¶", " ").split()).casefold()


def _negrita(letra: dict) -> bool:
    return "bold" in letra["fontname"].lower()


def _normal(letra: dict) -> bool:
    nombre = letra["fontname"].lower()
    return not any(p in nombre for p in _NO_NORMAL)


def _regular(letra: dict) -> bool:
    nombre = letra["fontname"].lower()
    return _normal(letra) and not any(p in nombre for p in ("bold", "oblique", "italic"))


def _blanco(color) -> bool:
    if color is None:
        return True
    if isinstance(color, (int, float)):
        return color >= 0.99
    return len(color) in (1, 3) and all(c >= 0.99 for c in color)


def _dentro(objeto: dict, caja, tolerancia: float = TOLERANCIA_PT) -> bool:
    x0, arriba, x1, abajo = caja
    return (
        objeto["top"] >= arriba - tolerancia
        and objeto["bottom"] <= abajo + tolerancia
        and objeto["x0"] >= x0 - tolerancia
        and objeto["x1"] <= x1 + tolerancia
    )


@dataclass
class Linea:
    texto: str
    arriba: float
    abajo: float
    tamano: float  # el de la mayoría de sus letras
    negrita: bool  # todas sus letras (sin contar espacios)
    normal: bool  # todas de ancho normal (ni condensadas ni de ancho fijo)


@dataclass
class Pagina:
    numero: int  # desde 1
    apaisada: bool
    caja: tuple[float, float, float, float]  # x0, arriba, x1, abajo del texto
    lineas: list[Linea]  # de arriba abajo
    fondo: float  # lo más bajo que se dibuja en la caja (su borde de arriba, si nada)
    dibujos: list[tuple[float, float]]  # (arriba, abajo) de imágenes, rectángulos y trazos
    anchos_tablas: list[float]  # las de una página apaisada
    derecha: float  # lo que más a la derecha se dibuja
    tamanos: Counter = field(default_factory=Counter)  # letras regulares, por tamaño

    @property
    def usado(self) -> float:
        _, arriba, _, abajo = self.caja
        return max(0.0, self.fondo - arriba) / (abajo - arriba)

    @property
    def primera(self) -> Linea | None:
        return self.lineas[0] if self.lineas else None


def _lineas(pagina, caja) -> list[Linea]:
    lineas = []
    for linea in pagina.extract_text_lines(return_chars=True, strip=True):
        letras = [c for c in linea["chars"] if c["text"].strip()]
        if not letras or not _dentro(linea, caja):
            continue
        lineas.append(
            Linea(
                texto=linea["text"],
                arriba=linea["top"],
                abajo=linea["bottom"],
                tamano=Counter(round(c["size"], 1) for c in letras).most_common(1)[0][0],
                negrita=all(_negrita(c) for c in letras),
                normal=all(_normal(c) for c in letras),
            )
        )
    return sorted(lineas, key=lambda linea: (linea.arriba, linea.abajo))


def _visibles(rects: list[dict], area_caja: float) -> list[dict]:
    """Los rectángulos que se ven: ni el fondo blanco del cuerpo (toda la caja) ni rellenos
    o trazos blancos."""
    visibles = []
    for rect in rects:
        if rect["width"] * rect["height"] >= 0.9 * area_caja:
            continue
        relleno = rect.get("fill") and not _blanco(rect.get("non_stroking_color"))
        trazo = rect.get("stroke") and not _blanco(rect.get("stroking_color"))
        if relleno or trazo:
            visibles.append(rect)
    return visibles


def medir_pagina(pagina, numero: int, margenes) -> Pagina:
    arriba, derecha, abajo, izquierda = margenes
    caja = (izquierda, arriba, pagina.width - derecha, pagina.height - abajo)
    area_caja = (caja[2] - caja[0]) * (caja[3] - caja[1])
    # Lo que está en la franja del texto (no en la cabecera ni el pie), aunque se salga por
    # un costado.
    franja = (0, caja[1], pagina.width, caja[3])
    rects = [r for r in _visibles(pagina.rects, area_caja) if _dentro(r, franja)]
    otros = [o for o in [*pagina.images, *pagina.lines, *pagina.curves] if _dentro(o, franja)]
    letras = [c for c in pagina.chars if c["text"].strip() and _dentro(c, franja)]
    lineas = _lineas(pagina, franja)
    dibujos = [(o["top"], o["bottom"]) for o in [*rects, *otros]]
    anchos = []
    if pagina.width > pagina.height and rects:
        bordes = {"vertical_strategy": "explicit", "horizontal_strategy": "explicit",
                  "explicit_vertical_lines": rects, "explicit_horizontal_lines": rects}
        anchos = [
            t.bbox[2] - t.bbox[0] for t in pagina.find_tables(bordes)
            if len(t.columns) >= COLUMNAS_TABLA
        ]
    return Pagina(
        numero=numero,
        apaisada=pagina.width > pagina.height,
        caja=caja,
        lineas=lineas,
        fondo=max([linea.abajo for linea in lineas] + [b for _, b in dibujos], default=caja[1]),
        dibujos=dibujos,
        anchos_tablas=anchos,
        derecha=max((o["x1"] for o in [*rects, *otros, *letras]), default=caja[0]),
        tamanos=Counter(round(c["size"], 1) for c in letras if _regular(c)),
    )


@dataclass
class Medida:
    """Lo medido en un PDF: sus páginas, la letra del texto, dónde empieza y termina cada
    sección y el ancho del texto de una página vertical."""

    paginas: list[Pagina]
    letra_texto: float
    secciones: list[tuple[str, int, int]]  # (título, primera página, última página)
    ancho_vertical: float

    def seccion_de(self, numero: int) -> tuple[str, int, int] | None:
        return next((s for s in self.secciones if s[1] <= numero <= s[2]), None)

    def cuerpo(self) -> list[Pagina]:
        return [p for p in self.paginas if self.seccion_de(p.numero)]

    def es_titulo(self, linea: Linea | None) -> bool:
        return bool(linea) and linea.negrita and linea.tamano >= self.letra_texto * RAZON_TITULO

    def es_titulo_o_leyenda(self, linea: Linea) -> bool:
        return self.es_titulo(linea) or (
            linea.negrita and linea.normal and linea.tamano >= self.letra_texto * RAZON_LEYENDA
        )


def _titulos_del_html(html: Path) -> tuple[list[str], list[str]]:
    """El primer título de cada sección del informe para lectores y los de lo que va después
    del cuerpo (firmas, colofón)."""
    sopa = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    secciones = []
    for seccion in sopa.select("main section.seccion"):
        titulo = seccion.find(["h1", "h2", "h3"])
        assert titulo is not None, f"sección sin título: {seccion.get('id')}"
        secciones.append(titulo.get_text())
    despues = [t.get_text() for t in sopa.select("#firmas-titulo, #colofon-titulo")]
    return secciones, despues


def _empieza_con(pagina: Pagina, titulo: str) -> bool:
    """La primera línea de la página, en negrita, es el comienzo del título (que puede
    ocupar dos líneas)."""
    primera = pagina.primera
    return (
        primera is not None
        and primera.negrita
        and _plano(titulo).startswith(_plano(primera.texto))
    )


def medir(pdf: Path, html: Path | None = None) -> Medida:
    """Mide cada página del PDF; las secciones salen de ``informe.html`` (el que está junto
    al PDF si no se da otro)."""
    html = html or pdf.with_name("informe.html")
    margenes = margenes_css()
    with pdfplumber.open(str(pdf)) as documento:
        paginas = [medir_pagina(p, i, margenes) for i, p in enumerate(documento.pages, 1)]
        vertical = next(p.width for p in documento.pages if p.width < p.height)
    titulos, despues = _titulos_del_html(html)
    comienzos: list[int] = []
    desde = 0
    for titulo in titulos:
        pagina = next((p for p in paginas[desde:] if _empieza_con(p, titulo)), None)
        assert pagina is not None, f"no encuentro en el PDF dónde empieza «{titulo}»"
        comienzos.append(pagina.numero)
        desde = pagina.numero
    fin = len(paginas)
    for pagina in paginas[desde:]:
        if any(_empieza_con(pagina, t) for t in despues):
            fin = pagina.numero - 1
            break
    secciones = [
        (titulo, inicio, comienzos[i + 1] - 1 if i + 1 < len(comienzos) else fin)
        for i, (titulo, inicio) in enumerate(zip(titulos, comienzos, strict=True))
    ]
    tamanos: Counter = Counter()
    for pagina in paginas:
        if any(inicio <= pagina.numero <= ultima for _, inicio, ultima in secciones):
            tamanos.update(pagina.tamanos)
    return Medida(
        paginas=paginas,
        letra_texto=tamanos.most_common(1)[0][0],
        secciones=secciones,
        ancho_vertical=vertical - margenes[1] - margenes[3],
    )


# --- Reglas ----------------------------------------------------------------------------------


def cierre_con_titulo(medida: Medida, pagina: Pagina) -> Linea | None:
    """El título o la leyenda que cierra la página: su última línea, sin una tabla ni un
    gráfico debajo (la raya bajo un H1 no cuenta)."""
    if not pagina.lineas:
        return None
    ultima = max(pagina.lineas, key=lambda linea: linea.abajo)
    if not medida.es_titulo_o_leyenda(ultima):
        return None
    debajo = [
        (arriba, abajo) for arriba, abajo in pagina.dibujos
        if abajo > ultima.abajo + TOLERANCIA_PT and abajo - arriba > ALTO_RAYA_PT
    ]
    return None if debajo else ultima


def defectos(medida: Medida) -> dict[str, list[str]]:
    """Las páginas del cuerpo que rompen cada regla, con lo medido."""
    resultado: dict[str, list[str]] = {
        "poco_usadas": [], "titulo_al_final": [], "apaisada_sin_tabla_ancha": [],
        "desborda": [],
    }
    for pagina in medida.cuerpo():
        titulo, _, ultima = medida.seccion_de(pagina.numero)
        donde = f"página {pagina.numero} ({_plano(titulo)[:40]})"
        if pagina.numero != ultima and pagina.usado < FRACCION_MINIMA:
            resultado["poco_usadas"].append(f"{donde}: {pagina.usado:.0%} usado")
        cierre = cierre_con_titulo(medida, pagina)
        if cierre is not None:
            resultado["titulo_al_final"].append(f"{donde} termina con «{cierre.texto}»")
        if pagina.apaisada:
            ancho = max(pagina.anchos_tablas, default=0)
            if ancho <= medida.ancho_vertical + TOLERANCIA_PT:
                resultado["apaisada_sin_tabla_ancha"].append(
                    f"{donde}: apaisada, su tabla más ancha mide {ancho:.0f} pt y en una "
                    f"vertical caben {medida.ancho_vertical:.0f} pt"
                )
        elif pagina.derecha > pagina.caja[2] + TOLERANCIA_PT:
            resultado["desborda"].append(
                f"{donde}: algo llega a {pagina.derecha:.0f} pt, la caja del texto termina "
                f"en {pagina.caja[2]:.0f} pt"
            )
    return resultado


# --- Pruebas ---------------------------------------------------------------------------------


def generar_muestra(base: Path, entorno: dict | None = None) -> Path:
    """El informe del T2 sobre el libro de muestra, en ``base``, con ``entorno`` agregado a
    las variables de entorno del proceso que lo genera (como los de la sesión:
    ``huella_informes.generar``)."""
    from huella_informes import generar

    return generar(PARAMS_MUESTRA.name, base, entorno)


@pytest.fixture(scope="module")
def salida_muestra(informes_muestra) -> Path:
    """La carpeta del informe del T2 sobre el libro de muestra (el de la sesión, el mismo
    que compara tests/test_huella_informes.py)."""
    return informes_muestra[PARAMS_MUESTRA.name]


@pytest.fixture(scope="module")
def medida(salida_muestra) -> Medida:
    """Lo medido en el PDF del informe de la muestra."""
    return medir(salida_muestra / "informe.pdf")


def test_margenes_como_en_css():
    assert margenes_css("@page { size: A4; margin: 10mm 20mm; }") == pytest.approx(
        (10 * PT_POR_MM, 20 * PT_POR_MM, 10 * PT_POR_MM, 20 * PT_POR_MM)
    )
    assert margenes_css("@page { margin: 1in; }") == (72, 72, 72, 72)


def test_la_medida_encuentra_las_secciones(medida):
    assert len(medida.secciones) >= 5
    assert 8 <= medida.letra_texto <= 12
    cuerpo = medida.cuerpo()
    assert cuerpo[0].numero > 2  # la portada y el índice no son del cuerpo
    assert cuerpo[-1].numero <= len(medida.paginas)
    for titulo, inicio, fin in medida.secciones:
        assert inicio <= fin, titulo
        # Cada sección empieza en página nueva con su título, mayor que el texto.
        assert medida.es_titulo(medida.paginas[inicio - 1].primera), titulo
    # Las secciones se siguen sin huecos.
    for anterior, siguiente in zip(medida.secciones, medida.secciones[1:]):
        assert anterior[2] + 1 == siguiente[1]


def test_ninguna_pagina_termina_con_un_titulo(medida):
    assert defectos(medida)["titulo_al_final"] == []


def test_ninguna_pagina_del_cuerpo_bajo_un_tercio(medida):
    assert defectos(medida)["poco_usadas"] == []


def test_apaisada_solo_para_tablas_anchas(medida):
    assert any(p.apaisada for p in medida.cuerpo())  # el anexo, al menos
    encontrados = defectos(medida)
    assert encontrados["apaisada_sin_tabla_ancha"] == []
    assert encontrados["desborda"] == []


def _secciones_de_la_muestra(salida_muestra: Path):
    """Las secciones del informe de la muestra (el cuerpo), las hojas de estilo del PDF y la
    página del PDF de cada sección, sin cabecera, firmas ni colofón: basta para comparar
    maquetaciones."""
    from helpers.salida.ensamblado.pagina import leer_css
    from helpers.salida.ensamblado.pagina import pagina as pagina_html

    pagina = (salida_muestra / "informe.html").read_text(encoding="utf-8")
    secciones = BeautifulSoup(pagina, "html.parser").find_all("section", class_="seccion")
    estilos = [leer_css("informe.css"), leer_css("impresion.css")]
    datos = dict.fromkeys(["titulo", "subtitulo", "entidad", "periodo", "fecha_corte", "pie",
                           "colofon", "firmas"])

    def final(ident, texto, es_la_ultima):
        return pagina_html("impresion", texto, [], estilos, {**datos, "identificacion": {}},
                           parte="cierre" if es_la_ultima else "cuerpo")

    return secciones, estilos, final


@dataclass
class _CompuestaAqui:
    secciones: list
    estilos: list[str]
    final: object
    compositor: object
    resultado: tuple
    corregidas: list[str]  # lo que la maquetación anotó de cada sección corregida


@pytest.fixture(scope="module")
def compuesta_aqui(salida_muestra) -> _CompuestaAqui:
    """Las secciones de la muestra maquetadas con todo compuesto en este proceso (sin
    ayudante ni caché) y una portada: lo que las dos pruebas siguientes comparan con su
    manera de componer."""
    import logging

    from helpers.salida.ensamblado import maquetacion
    from helpers.salida.ensamblado.composicion import Compositor
    from helpers.salida.ensamblado.exportacion import Imagenes
    from helpers.salida.pdf import silenciar

    secciones, estilos, final = _secciones_de_la_muestra(salida_muestra)
    aqui = Compositor(estilos, Imagenes(), salida_muestra)
    anotados: list[logging.LogRecord] = []
    anotador = logging.Handler(logging.INFO)
    anotador.emit = anotados.append
    nivel = maquetacion.LOG.level
    maquetacion.LOG.addHandler(anotador)
    maquetacion.LOG.setLevel(logging.INFO)
    try:
        with silenciar():
            resultado = maquetacion.maquetar("".join(map(str, secciones)), aqui, final,
                                             ["<p>portada</p>"])
    finally:
        maquetacion.LOG.removeHandler(anotador)
        maquetacion.LOG.setLevel(nivel)
    corregidas = [r.getMessage() for r in anotados
                  if r.getMessage().startswith("Maquetación de ")]
    return _CompuestaAqui(secciones, estilos, final, aqui, resultado, corregidas)


def test_maquetacion_repartida_da_las_mismas_paginas(compuesta_aqui, ayudantes):
    """Con un ayudante (otro proceso), las composiciones se reparten entre los dos y cada
    sección sigue su camino sin esperar a las demás: sobre la muestra, donde las reglas
    corrigen secciones y las vuelven a componer de prueba, la maquetación es la misma que
    compuesta toda aquí (las mismas correcciones) y las hojas de cada sección son las mismas."""
    import dataclasses

    from helpers.salida.ensamblado import maquetacion
    from helpers.salida.pdf import silenciar

    solas = compuesta_aqui.resultado

    def anclas(piezas):
        return [p.parte.hojas[i].anclas for p in piezas for i in p.indices]

    with silenciar():
        repartidas = maquetacion.maquetar(
            "".join(map(str, compuesta_aqui.secciones)),
            dataclasses.replace(compuesta_aqui.compositor, ayudante=ayudantes.compositor),
            compuesta_aqui.final, ["<p>portada</p>"],
        )
    assert compuesta_aqui.corregidas  # hay secciones que vuelven a componerse de prueba
    assert repartidas[0] == solas[0]  # el HTML de cada sección, con sus correcciones
    assert [len(p.hojas) for p in repartidas[2]] == [len(p.hojas) for p in solas[2]] == [1]
    ids = [ident for ident, _ in solas[0]]
    assert sorted(repartidas[1]) == sorted(solas[1]) == sorted(ids)
    for ident in ids:
        assert anclas(repartidas[1][ident]) == anclas(solas[1][ident]), ident
        hojas = anclas(solas[1][ident])
        assert ident in hojas[0]
        assert not any(a.startswith("maq-") for h in hojas for a in h)


def test_una_seccion_corregida_desde_una_hoja_da_las_hojas_de_componerla_entera(compuesta_aqui):
    """Una sección que la maquetación corrige se compone otra vez sólo desde la hoja que pudo
    cambiar (``colas``), y sus hojas salen de varias composiciones. Compuesta entera, con las
    mismas correcciones, da las mismas hojas: cada elemento en el mismo lugar de la misma
    hoja."""
    from helpers.salida.ensamblado.maquetacion import pagina_de_prueba
    from helpers.salida.pdf import componer_sin_escribir, silenciar

    html_de, piezas_de = dict(compuesta_aqui.resultado[0]), compuesta_aqui.resultado[1]
    ultima = compuesta_aqui.resultado[0][-1][0]
    por_partes = [i for i, piezas in piezas_de.items()
                  if len({id(p.parte) for p in piezas}) > 1 and i != ultima]
    assert por_partes, "ninguna sección se compuso desde una hoja"
    for ident in por_partes:
        with silenciar():
            _, entera = componer_sin_escribir(
                pagina_de_prueba([html_de[ident]], compuesta_aqui.estilos),
                compuesta_aqui.compositor.carpeta)
        esperadas = [{a: c for a, c in h.anclas.items() if not a.startswith("maq-")}
                     for h in entera.hojas[1:-1]]
        hojas = [p.parte.hojas[i].anclas for p in piezas_de[ident] for i in p.indices]
        assert hojas == esperadas, ident


def test_con_la_cache_cada_seccion_sola_da_las_mismas_paginas(compuesta_aqui, salida_muestra,
                                                              tmp_path):
    """Con la caché del informe cada sección se compone de prueba sola (una corregida no
    hace componer otra vez a sus vecinas): la maquetación es la misma que con las secciones
    chicas juntas, y la segunda vez todo sale de la caché sin componer nada."""
    from helpers.comun.almacen import Almacen
    from helpers.salida.ensamblado import composicion, maquetacion
    from helpers.salida.ensamblado.composicion import Compositor
    from helpers.salida.ensamblado.exportacion import Imagenes
    from helpers.salida.ensamblado.maqueta import sin_dudas
    from helpers.salida.pdf import silenciar

    secciones, estilos, final = (compuesta_aqui.secciones, compuesta_aqui.estilos,
                                 compuesta_aqui.final)
    cuerpo = "".join(map(str, secciones))

    def anclas(resultado):
        return {ident: [p.parte.hojas[i].anclas for p in piezas for i in p.indices]
                for ident, piezas in resultado[1].items()}

    compuestas = []
    original = composicion.componer_sin_escribir

    def contando(texto, carpeta):
        compuestas.append(texto)
        return original(texto, carpeta)

    almacen = Almacen(tmp_path / "objetos")
    con_cache = Compositor(estilos, Imagenes(), salida_muestra, almacen=almacen)
    juntas = compuesta_aqui.resultado
    with silenciar(), pytest.MonkeyPatch.context() as parche:
        parche.setattr(composicion, "componer_sin_escribir", contando)
        solas = maquetacion.maquetar(cuerpo, con_cache, final)
        primera_vez = len(compuestas)
        otra_vez = maquetacion.maquetar(cuerpo, con_cache, final)
    assert solas[0] == juntas[0]  # el HTML de cada sección, con sus correcciones
    assert anclas(solas) == anclas(juntas)
    # Más composiciones de prueba que grupos: cada sección fue sola.
    probadas = [s for s in secciones if not sin_dudas(s)]
    assert primera_vez >= len(probadas) > len(maquetacion.grupos_de_prueba(
        [str(s) for s in probadas]))
    assert len(compuestas) == primera_vez  # la segunda vez, nada se compuso
    assert otra_vez[0] == solas[0] and anclas(otra_vez) == anclas(solas)


def _letras_y_texto(salida: Path) -> tuple[set[str], list[str]]:
    """Las fuentes de las letras (sin el prefijo del subconjunto) y el texto de cada página
    del PDF de ``salida``, sin la fecha y la hora de generación (dos corridas pueden caer a
    un lado y otro de la medianoche), la carpeta de salida ni la huella de los parámetros
    (que la nombran), que cambian de una corrida a otra."""
    huella = hashlib.sha256((salida.parent / PARAMS_MUESTRA.name).read_bytes()).hexdigest()
    pdf = salida / "informe.pdf"
    textos = [
        _FECHA.sub("FECHA", re.sub(r"\d{2}:\d{2}:\d{2}", "HH:MM:SS",
                                   texto.replace(str(salida), "SALIDA").replace(huella, "HUELLA")))
        for texto in texto_pdf.paginas(pdf)
    ]
    return texto_pdf.fuentes(pdf), textos


_FECHA = re.compile(rf"\d{{1,2}} de (?:{'|'.join(MESES_NOMBRE)}) de \d{{4}}")


def test_el_mismo_pdf_con_fontconfig_que_cambia_todas_las_familias(salida_muestra):
    """La máquina puede tener otras fuentes y otra configuración de fontconfig (del sistema
    o del usuario): aquí, una que cambia cualquier familia pedida por otra que está instalada.
    El PDF de la muestra sale con las mismas fuentes, páginas y texto."""
    from huella_informes import carpeta_base
    from test_tipografia import configuracion_que_cambia_todo

    base = carpeta_base()  # rutas del mismo largo que las del informe de la sesión
    cambia = configuracion_que_cambia_todo(base, "DejaVu Serif")
    (base / "fontconfig").mkdir()
    (base / "fontconfig" / "fonts.conf").write_text(cambia.read_text(encoding="utf-8"))
    otra = generar_muestra(base, {"FONTCONFIG_FILE": str(cambia), "XDG_CONFIG_HOME": str(base)})

    fuentes, textos = _letras_y_texto(salida_muestra)
    fuentes_otra, textos_otra = _letras_y_texto(otra)
    shutil.rmtree(base)
    assert fuentes_otra == fuentes
    assert len(textos_otra) == len(textos)
    for numero, (uno, otro) in enumerate(zip(textos, textos_otra, strict=True), start=1):
        assert otro == uno, f"página {numero}"


def _revisar(carpeta: Path) -> None:
    medida = medir(carpeta / "informe.pdf")
    print(f"== {carpeta}: {len(medida.paginas)} páginas, letra del texto "
          f"{medida.letra_texto} pt, {len(medida.secciones)} secciones")
    for titulo, inicio, fin in medida.secciones:
        usados = ", ".join(
            f"{p.numero}{'H' if p.apaisada else ''}:{p.usado:.0%}"
            for p in medida.paginas[inicio - 1:fin]
        )
        print(f"   {_plano(titulo)[:38]:38} {usados}")
    for regla, lista in defectos(medida).items():
        print(f"   {regla}: {len(lista)}")
        for texto in lista:
            print(f"      {texto}")


if __name__ == "__main__":
    for argumento in sys.argv[1:]:
        _revisar(Path(argumento))
