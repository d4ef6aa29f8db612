"""La maquetación del PDF: cada sección compuesta de prueba, medida y corregida hasta que
sigue las reglas (docs/maquetacion.md).

Entran el cuerpo retocado (HTML con sus ``<section class="seccion">``), un ``Compositor`` y
cómo es la página del PDF de una sección (``final``). ``maquetar`` compone de prueba las
secciones (las chicas juntas: ``grupos_de_prueba``, en la página de ``pagina_de_prueba``),
mide dónde cae cada bloque (``medir_prueba``) y le pide a ``reglas_de_pagina`` que corrija lo
que rompe una regla; la sección corregida se compone de prueba otra vez, sola y desde la hoja
que pudo cambiar (``colas``). Sale el HTML de cada sección con sus correcciones, las hojas ya
compuestas de cada una (``pdf.Pieza``s: la composición de prueba que ya no cambia va tal cual
al PDF; la de una sección corregida, de varias composiciones) y las partes de las páginas que
se compusieron a la par (la portada provisoria).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from bs4 import Tag

from helpers.salida.ensamblado.colas import (
    Hechas,
    cambiados,
    huellas,
    inicio_de_cola,
    primeras_hojas,
    seccion_desde,
)
from helpers.salida.ensamblado.composicion import Compositor, Encargo
from helpers.salida.ensamblado.maqueta import (
    ID_CUERPO,
    PREFIJO_IMAGEN,
    PREFIJO_PRUEBA,
    PREFIJO_TABLA,
    PREFIJO_UNIDAD,
    Maqueta,
    Pagina,
    sin_dudas,
)
from helpers.salida.ensamblado.reglas_de_pagina import corregir, enderezar
from helpers.salida.ensamblado.sopa import analizar
from helpers.salida.ensamblado.trozos import PorTrozos, TablaLarga
from helpers.salida.pdf import Hoja, Parte, Pieza

LOG = logging.getLogger(__name__)

_PRUEBAS_POR_SECCION = 4  # composiciones de prueba de una sección, como mucho
_PRUEBA_MINIMA = 80_000  # caracteres de HTML de una composición de prueba, si hay secciones


def pagina_de_prueba(secciones: list[str], estilos: list[str]) -> str:
    """La página HTML que compone de prueba sólo ``secciones``, con los estilos del PDF. La
    primera hoja (la de la portada) y la última (vertical: el cuerpo sigue hasta ella, así su
    caja marca el borde de arriba y el de abajo del texto en las demás) quedan vacías. Cada
    sección empieza en página nueva: su paginación es la misma que en el informe."""
    css = "".join(f"<style>{c}</style>" for c in estilos)
    cuerpo = "".join(secciones)
    return (
        f'<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">{css}</head>'
        f'<body class="informe informe-impresion"><div style="break-after: page"></div>'
        f'<main class="cuerpo" id="{ID_CUERPO}">{cuerpo}'
        f'<div style="break-before: page"></div></main></body></html>'
    )


def con_prefijo(anclas: dict[str, tuple], prefijo: str) -> dict[str, tuple]:
    return {a: caja for a, caja in anclas.items() if a.startswith(prefijo)}


def _pagina_medida(hoja: Hoja, seccion: str, arriba: float) -> Pagina:
    """Dónde cae, en una hoja de prueba de ``seccion``, cada bloque, cada gráfico y cada tabla
    apaisada (las anclas de WeasyPrint: la caja de cada elemento con id en esa hoja)."""
    anclas = hoja.anclas
    bloques = con_prefijo(anclas, PREFIJO_UNIDAD)
    return Pagina(
        apaisada=hoja.apaisada,
        arriba=arriba,
        abajo=anclas[ID_CUERPO][3],
        seccion=seccion,
        trozos=sorted(((a, c[1], c[3]) for a, c in bloques.items()), key=lambda t: (t[1], t[2])),
        imagenes={a: (c[1], c[3]) for a, c in con_prefijo(anclas, PREFIJO_IMAGEN).items()},
        tablas={a: c[2] - c[0] for a, c in con_prefijo(anclas, PREFIJO_TABLA).items()},
    )


def medir_prueba(parte: Parte, ids: set[str]) -> tuple[list[Pagina], float]:
    """De cada hoja de una composición de prueba (``pagina_de_prueba``): dónde cae cada
    bloque, cada gráfico y cada tabla apaisada, y el ancho del texto de una página
    vertical."""
    vacia = parte.hojas[-1].anclas[ID_CUERPO]  # (x0, y0, x1, y1)
    arriba, ancho_vertical = vacia[1], vacia[2] - vacia[0]
    paginas = []
    for hoja in parte.hojas[:-1]:
        seccion = next((a for a in hoja.anclas if a in ids), None)
        if ID_CUERPO not in hoja.anclas or seccion is None:
            continue
        paginas.append(_pagina_medida(hoja, seccion, arriba))
    return paginas, ancho_vertical


def con_nombres_propios(parte: Parte, propios: dict[str, str]) -> Parte:
    """La misma parte (cambiada aquí: las piezas que la nombran ven el PDF que se le escriba
    después), con las anclas de prueba llamadas como el elemento (``propios``: id de prueba →
    el suyo); las que no traían uno se olvidan."""
    parte.hojas = [
        Hoja(
            ancho=h.ancho,
            alto=h.alto,
            anclas={
                propios.get(a, a): caja for a, caja in h.anclas.items()
                if a in propios or not a.startswith(PREFIJO_PRUEBA)
            },
            enlaces=h.enlaces,
            marcadores=h.marcadores,
        )
        for h in parte.hojas
    ]
    return parte


def piezas_de_prueba(parte: Parte, ids: list[str]) -> dict[str, Pieza]:
    """Las hojas de cada sección (``ids``, en orden) en una composición de prueba: sirven tal
    cual en el PDF si la maquetación ya no cambia la sección."""
    inicios: dict[str, int] = {}
    for n, hoja in enumerate(parte.hojas):
        for ident in ids:
            if ident in hoja.anclas:
                inicios.setdefault(ident, n)
    orden = sorted(inicios, key=inicios.get)
    fines = [inicios[i] for i in orden[1:]] + [len(parte.hojas) - 1]  # la última, vacía
    return {
        ident: Pieza(parte, list(range(inicios[ident], fin)))
        for ident, fin in zip(orden, fines, strict=True)
    }


def grupos_de_prueba(textos: list[str], *, de_a_una: bool = False) -> list[list[int]]:
    """Qué secciones se componen juntas de prueba (sus posiciones): cada documento cuesta,
    además, leer los estilos. Grupos de _PRUEBA_MINIMA caracteres, o menos si así no salen
    cuatro (dos por proceso): con pocas secciones, que las dos mitades se compongan a la par.

    `de_a_una`: cada sección sola, como con la caché del informe: la composición de una
    sección que no cambió se toma de ella aunque cambie la de al lado (juntas, una sección
    corregida haría componer otra vez a sus vecinas). Sus hojas son las mismas sola o junto
    a otras: cada sección empieza en página nueva."""
    if de_a_una:
        return [[i] for i in range(len(textos))]
    objetivo = min(_PRUEBA_MINIMA, sum(map(len, textos)) // 4)
    grupos: list[list[int]] = []
    largo = objetivo
    for i, texto in enumerate(textos):
        if largo >= objetivo:
            grupos.append([])
            largo = 0
        grupos[-1].append(i)
        largo += len(texto)
    return grupos


def maquetar(
    cuerpo: str,
    compositor: Compositor,
    final: Callable[[str, str, bool], str],
    adicionales: list[str] = (),
) -> tuple[list[tuple[str, str]], dict[str, list[Pieza]], list[Parte]]:
    """Las secciones del PDF (id y HTML, en orden), con las reglas de maquetación resueltas;
    las hojas de cada una, ya compuestas (``Pieza``s: van tal cual al PDF), y las partes de
    ``adicionales`` (páginas HTML que se componen a la par). ``final(id, html, es_la_ultima)``:
    la página del PDF con sólo esa sección (la última, con las firmas y el colofón).

    Cada sección se compone de prueba (las chicas, juntas: ``grupos_de_prueba``) y se mide
    dónde cae cada bloque. Si las reglas la cambian, se compone de prueba otra vez, sola y
    desde la hoja que pudo cambiar (``colas``: las de antes ya van al PDF), hasta
    _PRUEBAS_POR_SECCION veces (la composición que sigue a la última va al PDF sin
    probarla); si no, su composición de prueba va tal cual al PDF.
    Cada sección empieza en página nueva, así que sus páginas son las mismas sola o con otras:
    cada una sigue su camino sin esperar a las demás (``Compositor.encargar``). Las que no se
    componen de prueba (``maqueta.sin_dudas``: todas apaisadas y sin gráficos, como el
    anexo) se componen como van al PDF desde el comienzo; también la última, entera, cuando
    ya no cambia o después de _PRUEBAS_POR_SECCION pruebas (a su prueba le faltan las
    firmas). Con la caché del informe, una que va como se compone y
    tiene una tabla larga se compone por trozos de páginas (``trozos``): cuando cambia una
    fila, sólo el trozo que la tiene.

    Reglas:

    1. cada tabla apaisada se lleva a su página el texto que la presenta
       (``maqueta.agrupar_apaisadas``);
    2. las de ``reglas_de_pagina.REGLAS_DE_PAGINA``: un título al final de una página empieza
       la siguiente (o cambia de orientación con ella); una página corta antes de un gráfico
       que no cupo lo achica (hasta ESCALA_MINIMA) para que quepa; una página corta antes de
       una apaisada pasa a ella, y una apaisada corta se completa con los bloques de texto y
       tablas que siguen. Unas pocas filas de una tabla solas arriba de una página (o solas
       en la última de la sección) vuelven a la anterior achicando un gráfico de antes; si no
       hay cuál, una tabla corta va entera a la página siguiente.

    Antes, una tabla apaisada que con el ancho que necesita cabe en una página vertical
    vuelve a ella (``reglas_de_pagina.enderezar``). Se corrige un problema por sección y
    prueba; cada corrección se anota en el registro. Lo que no se sabe corregir queda como
    está: la prueba de maquetación (tests/test_maquetacion.py) lo dice."""
    sopa = analizar(cuerpo)
    secciones = sopa.find_all("section", class_="seccion")
    maqueta = Maqueta(secciones)
    ultima = secciones[-1]["id"] if secciones else None
    compuestas: dict[str, list[Pieza]] = {}
    por_trozos: dict[str, PorTrozos] = {}
    otras: dict[int, Parte] = {}
    pruebas: dict[str, int] = defaultdict(int)  # composiciones de prueba de cada sección
    hechas: dict[str, Hechas] = {}  # las primeras hojas, ya fijas, de una que se corrige

    def adicional(k: int, pagina: str) -> Encargo:
        def al_volver(parte: Parte) -> list[Encargo]:
            otras[k] = parte
            return []
        return pagina, al_volver

    def como_va(seccion: Tag) -> Encargo:
        ident = seccion["id"]

        def al_volver(parte: Parte) -> list[Encargo]:
            compuestas[ident] = [Pieza.entera(con_nombres_propios(parte, maqueta.propios()))]
            return []
        return final(ident, str(seccion), ident == ultima), al_volver

    def como_va_o_por_trozos(seccion: Tag) -> list[Encargo]:
        ident = seccion["id"]
        tabla = TablaLarga.de(seccion) if compositor.almacen is not None else None
        if tabla is None:
            return [como_va(seccion)]
        por_trozos[ident] = PorTrozos(
            tabla, seccion.get("data-cuaderno", ident),
            lambda texto, al_final: final(ident, texto, al_final and ident == ultima),
            compositor.almacen, compositor.imagenes.reponer)
        return por_trozos[ident].encargos()

    def de_prueba(grupo: list[Tag], textos: list[str] | None = None, *,
                  aceptar: bool = False) -> Encargo:
        ids = [s["id"] for s in grupo]
        for ident in ids:
            pruebas[ident] += 1

        def al_volver(parte: Parte) -> list[Encargo]:
            paginas, ancho_vertical = medir_prueba(parte, set(ids))
            piezas = piezas_de_prueba(con_nombres_propios(parte, maqueta.propios()), ids)
            parte.escritas = []  # las hojas que van al PDF: las de las secciones que quedan
            siguen: list[Encargo] = []
            for seccion in grupo:
                ident = seccion["id"]
                antes = hechas.pop(ident, Hechas())
                propias = antes.paginas + [p for p in paginas if p.seccion == ident]
                todas = [*antes.piezas, piezas[ident]]
                bloques = {} if aceptar else huellas(maqueta, ident)
                hecho = None if aceptar else (
                    enderezar(maqueta, ident, propias, ancho_vertical)
                    or corregir(maqueta, propias)
                )
                if hecho:
                    LOG.info("Maquetación de %s: %s", seccion.get("data-cuaderno"), hecho)
                    siguen.append(otra_vez(seccion, propias, todas, bloques, parte))
                elif ident == ultima:
                    siguen.append(como_va(seccion))
                else:
                    compuestas[ident] = todas
                    parte.escritas += piezas[ident].indices
            return siguen
        return (pagina_de_prueba(textos or [str(s) for s in grupo], compositor.estilos),
                al_volver, True)

    def otra_vez(seccion: Tag, paginas: list[Pagina], piezas: list[Pieza],
                 bloques: dict[str, str], parte: Parte) -> Encargo:
        """La composición que sigue a una corrección de ``seccion`` (``paginas``: sus hojas
        medidas; ``piezas``: las mismas, compuestas; ``bloques``: su HTML antes de corregirla):
        de prueba, desde la hoja que pudo cambiar (``colas``); las de antes van al PDF. Después
        de _PRUEBAS_POR_SECCION pruebas, la que sigue va al PDF sin probarla otra vez (la
        última sección, entera y con las firmas)."""
        ident = seccion["id"]
        ultima_vez = pruebas[ident] >= _PRUEBAS_POR_SECCION
        if ultima_vez and ident == ultima:
            return como_va(seccion)
        alineadas = sum(len(p.indices) for p in piezas) == len(paginas)
        desde = inicio_de_cola(paginas, cambiados(maqueta, bloques)) if alineadas else 0
        fijas = primeras_hojas(piezas, desde)
        if fijas and fijas[-1].parte is parte:
            parte.escritas += fijas[-1].indices
        hechas[ident] = Hechas(fijas, paginas[:desde])
        texto = (seccion_desde(seccion, maqueta.bloques[paginas[desde].trozos[0][0]]) if desde
                 else str(seccion))
        return de_prueba([seccion], [texto], aceptar=ultima_vez)

    a_probar = [s for s in secciones if not sin_dudas(s)]
    textos = [str(s) for s in a_probar]
    compositor.encargar([
        *(adicional(k, pagina) for k, pagina in enumerate(adicionales)),
        *(e for s in secciones if sin_dudas(s) for e in como_va_o_por_trozos(s)),
        *(de_prueba([a_probar[i] for i in grupo], [textos[i] for i in grupo])
          for grupo in grupos_de_prueba(textos, de_a_una=compositor.almacen is not None)),
    ])
    for ident, trozos in por_trozos.items():
        compuestas[ident] = trozos.piezas(lambda p: con_nombres_propios(p, maqueta.propios()))
    maqueta.limpiar()
    return ([(s["id"], str(s)) for s in secciones], compuestas,
            [otras[k] for k in range(len(adicionales))])
