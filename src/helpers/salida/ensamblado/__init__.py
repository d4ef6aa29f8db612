"""Ensamblado del informe: une los cuadernos ejecutados en un HTML para lectores, un HTML de
auditoría (con el código) y un PDF A4.

Entran los cuadernos de sección ya ejecutados por papermill (en el orden del informe) y los
datos de la portada; salen ``informe.html``, ``informe-auditoria.html`` e ``informe.pdf``.
``ensamblar`` encadena los pasos, cada uno en su módulo:

- ``exportacion``: las salidas de cada cuaderno preparadas por dos preprocesadores de
  nbconvert (``ApartarImagenes``: el base64 de los gráficos se aparta y se repone al final;
  ``MarcarTablas``: celdas numéricas y ancho de cada tabla, reglas en ``tablas``), los
  cuadernos unidos en uno (una marca <section> por cuaderno) y exportados con
  ``ExportadorCuerpo`` y la plantilla propia ``plantillas/cuerpo`` (sin MathJax, require.js ni
  CSS de JupyterLab: nada se carga de la red);
- ``retoque``: sobre el cuerpo, se quitan los <script>, se fijan los ids de los títulos y los
  enlaces internos, se arma el índice y ``leyendas`` numera los cuadros y gráficos con su
  leyenda y su fuente;
- ``pagina``: ``plantillas/pagina.html.j2`` pone la portada (con la identificación del
  documento oficial: ver ``identidad.datos_para_ensamblar``), el índice, las listas, las
  firmas, el colofón (ver ``manifiesto.datos_colofon``) y los estilos en línea;
  ``versiones_html`` escribe la página de lectores y la de auditoría;
- ``pdf_por_partes``: el PDF sale de la variante de impresión del HTML para lectores
  (``plantillas/impresion.css``) con WeasyPrint, después de resolver su maquetación
  (``maquetacion``, con los bloques de ``maqueta`` y las reglas de ``reglas_de_pagina``; en
  docs/maquetacion.md), por partes que une ``helpers.salida.pdf``; ``composicion`` las
  compone, repartidas con otro proceso;
- con más de un núcleo, quien llama da dos ejecutores de ``concurrent.futures``: en uno se
  escribe la página de auditoría mientras este compone el PDF (``cediendo``), y el otro
  compone a la par (``compositor``).

Todo lo que mira la estructura del HTML lo hace BeautifulSoup (analizador ``html.parser``:
``sopa``), no expresiones regulares: cada documento (una salida con tablas, el cuerpo
exportado de cada variante) se analiza una vez y se escribe una vez; el exportador no lo hace
otra vez por su cuenta (``ExportadorCuerpo``).

El texto de los datos llega ya escapado a cada salida (``helpers.comun.literal`` en el
Markdown, ``html.escape`` en las tablas, autoescape de Jinja en la portada, las listas, las
firmas y el colofón, nodos de texto de BeautifulSoup en las leyendas y fuentes); quitar los
<script> del cuerpo es sólo una segunda barrera para salidas HTML ajenas.
"""

from __future__ import annotations

import logging
import time
from concurrent import futures
from concurrent.futures import Executor
from pathlib import Path

from helpers.salida.ensamblado.composicion import Compositor, grande
from helpers.salida.ensamblado.exportacion import Imagenes
from helpers.salida.ensamblado.pagina import leer_css
from helpers.salida.ensamblado.pdf_por_partes import escribir_pdf
from helpers.salida.ensamblado.tablas_guardadas import TablasMarcadas
from helpers.salida.ensamblado.versiones_html import (
    cuerpo_retocado,
    escribir_auditoria,
    escribir_pagina,
    leer_cuadernos,
)
from helpers.salida.pdf import memoria_quieta
from helpers.salida.word import ARCHIVO as ARCHIVO_WORD
from helpers.salida.word import escribir_docx

__all__ = ["ensamblar"]

LOG = logging.getLogger(__name__)


def ensamblar(
    cuadernos: list[Path],
    carpeta: Path,
    *,
    titulo: str,
    subtitulo: str,
    entidad: str,
    periodo: str,
    fecha_corte: str,
    pie: str = "",
    colofon: dict | None = None,
    solo_auditoria: list[Path] = (),
    identificacion: dict | None = None,
    firmas: list[dict] | None = None,
    fuentes: dict | None = None,
    cediendo: Executor | None = None,
    compositor: Executor | None = None,
    almacen=None,
    documento_word: dict | None = None,
) -> dict[str, Path]:
    """Une los cuadernos ejecutados (en el orden del informe) y escribe en ``carpeta``:

    - ``informe.html``: para lectores, sin código, autocontenido (sin CDN ni scripts);
    - ``informe-auditoria.html``: lo mismo con el código de cada celda y los parámetros;
    - ``informe.pdf``: A4 con portada, índice paginado, cabecera y "Página N de M".

    ``colofon``: lo que devuelve ``manifiesto.datos_colofon``; los tres cierran con él (en el
    PDF, en una página aparte, fuera del índice). Sin él, no hay colofón.

    ``solo_auditoria``: cuadernos que sólo lleva la versión de auditoría, antes de los demás
    (la memoria de cálculo). Sus cuadros y gráficos no se numeran: los números son los mismos
    en las tres versiones.

    ``identificacion``: datos del documento oficial para la portada (``cite``, ``hoja_ruta``,
    ``unidad_emisora``, ``fecha_emision``, ``poa_version``: textos o None; ``periodos``: lista
    de ``{"etiqueta", "valor"}``). ``firmas``: lista de ``{"rol", "nombre", "cargo"}`` (nombre y
    cargo vacíos: líneas en blanco para llenar a mano); sin ella, no hay bloque de firmas.
    ``fuentes``: ``{"financiera", "fisica", "general"}``, los textos de la línea «Fuente:» de
    los cuadros y gráficos (ver ``leyendas.numerar_objetos``). ``identidad.datos_para_ensamblar``
    los arma de los parámetros.

    ``almacen``: la caché del informe (``helpers.comun.almacen``): las partes del PDF cuya
    página no cambió se toman de ella (``composiciones``).

    ``cediendo``: un ejecutor de otro proceso, de prioridad baja, en que se escribe la página
    de auditoría mientras este compone el PDF; ``compositor``: uno de un solo proceso que
    compone a la par de este (``composicion.preparar_compositor`` al arrancar). Sin ellos,
    todo se hace en este proceso.

    ``documento_word``: ``{"membrete": ruta o None, "fecha": la del documento}``; con él se
    escribe también ``informe.docx`` desde la página para lectores (``helpers.salida.word``),
    en el ejecutor ``cediendo`` si lo hay, mientras este compone el PDF.

    Devuelve ``{"html": ..., "auditoria": ..., "pdf": ...}`` (y ``"docx"``).
    """
    cuadernos = [Path(c) for c in cuadernos]
    if not cuadernos:
        raise ValueError("No hay cuadernos que ensamblar.")
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    tiempos: dict[str, float] = {}
    t0 = time.perf_counter()

    ruta_base = str(cuadernos[0].resolve().parent)
    datos = {
        "titulo": titulo,
        "subtitulo": subtitulo,
        "entidad": entidad,
        "periodo": periodo,
        "fecha_corte": fecha_corte,
        "pie": pie,
        "colofon": colofon,
        "identificacion": identificacion or {},
        "firmas": firmas,
    }
    salidas = {
        "html": carpeta / "informe.html",
        "auditoria": carpeta / "informe-auditoria.html",
        "pdf": carpeta / "informe.pdf",
    }
    argumentos = ([Path(c) for c in solo_auditoria], cuadernos, ruta_base, fuentes, datos,
                  salidas["auditoria"])
    # La versión de auditoría no la necesita el PDF: en otro proceso, se escribe mientras
    # este compone el PDF, cediendo el núcleo a las composiciones de prueba repartidas
    # (`Compositor.encargar`), que sí lo esperan.
    auditoria = (None if cediendo is None
                 else cediendo.submit(escribir_auditoria, *argumentos, almacen=almacen))
    # Con la página de auditoría en este proceso, las tablas que comparte con la de lectores
    # (todas, salvo las de la memoria de cálculo) se miden y se marcan una sola vez; con la
    # caché del informe, las que no cambiaron desde otra corrida no se marcan otra vez.
    marcadas = (TablasMarcadas(almacen) if auditoria is None or almacen is not None
                else None)
    word = None
    try:
        imagenes = Imagenes()
        libros = leer_cuadernos(cuadernos, imagenes, marcadas)
        tiempos["lectura"] = time.perf_counter() - t0

        t = time.perf_counter()
        cuerpo, indice, listas = cuerpo_retocado(libros, cuadernos, ruta_base, fuentes,
                                                 auditoria=False)
        escribir_pagina(salidas["html"], "lectores", cuerpo, indice, listas, datos, imagenes)
        del libros  # lo que sigue usa el cuerpo ya exportado: menos memoria
        tiempos["html"] = time.perf_counter() - t
        if documento_word is not None:
            salidas["docx"] = carpeta / ARCHIVO_WORD
            para_word = (salidas["html"], salidas["docx"],
                         _datos_word(datos, documento_word["fecha"]))
            opciones = {"membrete": documento_word.get("membrete"), "almacen": almacen}
            if cediendo is not None:
                word = cediendo.submit(escribir_docx, *para_word, **opciones)

        composicion = Compositor(
            [leer_css("informe.css"), leer_css("impresion.css")], imagenes, carpeta, compositor,
            almacen,
        )
        # WeasyPrint compone dentro de `componer_textos`, que lo silencia; aquí, que las
        # recolecciones de basura no recorran una y otra vez los árboles del cuerpo.
        with memoria_quieta(devolver=grande(len(cuerpo))):
            tiempos |= escribir_pdf(cuerpo, indice, listas, datos, composicion, salidas["pdf"])

        t = time.perf_counter()
        if auditoria is None:
            tiempos["auditoria"] = escribir_auditoria(*argumentos, marcadas=marcadas)
        else:
            tiempos["auditoria-aparte"] = auditoria.result()
        if documento_word is not None and word is None:
            tiempos["docx"] = escribir_docx(*para_word, **opciones)
        elif word is not None:
            tiempos["docx-aparte"] = word.result()
        if auditoria is not None or word is not None:
            tiempos["espera"] = time.perf_counter() - t  # lo que se esperó a los de aparte
    except BaseException:
        # La página de auditoría y el DOCX terminan antes de que quien llama borre la carpeta.
        futures.wait([f for f in (auditoria, word) if f is not None])
        raise

    LOG.info(
        "Informe ensamblado con %d cuadernos y %d gráficos en %.1f s (%s)",
        len(cuadernos),
        len(imagenes),
        time.perf_counter() - t0,
        ", ".join(f"{k} {v:.2f} s" for k, v in tiempos.items()),
    )
    return salidas


def _datos_word(datos: dict, fecha) -> dict:
    """Lo que el DOCX toma de la portada: el título, la entidad, el CITE y la hoja de ruta
    (para la cabecera) y la fecha del documento."""
    identificacion = datos.get("identificacion") or {}
    return {"titulo": datos["titulo"], "entidad": datos["entidad"], "fecha": fecha,
            "cite": identificacion.get("cite"), "hoja_ruta": identificacion.get("hoja_ruta")}
