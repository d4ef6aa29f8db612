"""Capturas de pantalla de la documentación (docs/imagenes/*.png), sacadas de los informes
de las dos muestras y de los formularios de seguimiento de la primera, nunca hechas a mano.

    .venv/bin/python scripts/capturas.py                          # genera los informes y captura
    .venv/bin/python scripts/capturas.py --informes /tmp/capturas  # los guarda (y reusa) allí
    .venv/bin/python scripts/capturas.py --solo formularios        # sólo las de los formularios

Sin `--informes`, genera en una carpeta temporal, para no tocar `output/`, cada informe de
`informes()`: el trimestral de la primera muestra (params/2024-T2.yaml) y el trimestral y la
rendición de cuentas de la segunda (params/departamental/). Cada captura es un trozo de una
página de su `informe.pdf`, ubicada por los marcadores del PDF (el título de una sección de
secciones.yaml o de uno de sus apartados) y no por su número de página, que cambia cuando
cambia el informe. Las páginas se dibujan con pdfplumber (pdfium), sin programas del sistema.

Las de docs/word.md (`capturar_word`) son una hoja del `informe.docx` de la primera muestra,
con el membrete neutro y con uno de ejemplo (otra letra, un logo), convertido a PDF por
LibreOffice sin interfaz: como lo vería quien lo abre.

Las de docs/formularios.md (`capturar_formularios`) son hojas de libros que escribe el
programa con la primera muestra, en una carpeta temporal: la hoja seguimiento de un
formulario, como se emite, y la hoja recepcion de un libro recogido después de una recepción
con cada caso (scripts/formularios_llenos.py los llena). LibreOffice sin interfaz
(`soffice`, bash scripts/instalar_libreoffice.sh) imprime cada hoja a PDF como se ve en la
hoja de cálculo, con la cuadrícula y los encabezados de filas y columnas, y su primera
página se dibuja recortada a lo que tiene.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pdfplumber
import yaml
from openpyxl.utils import get_column_letter
from PIL import Image
from pypdf import PdfReader

from helpers.comun.libro_para_llenar import alto_de_fila
from helpers.entrada import tipos
from helpers.rutas import RAIZ

PARAMS = RAIZ / "params" / "2024-T2.yaml"
PARAMS_DEPARTAMENTAL = RAIZ / "params" / "departamental"
DESTINO = RAIZ / "docs" / "imagenes"
RESOLUCION = 90  # puntos por pulgada: el texto de los cuadros todavía se lee
ANCHO_MAXIMO = 1100  # píxeles; una página apaisada a 90 ppp mide unos 1050
LIMITE_BYTES = 200_000
PIE = r"Página \d+ de \d+"  # el pie de página, que no entra en la captura
MARGEN = 8.0  # puntos de blanco alrededor del recorte
# Las claves de los parámetros que son rutas: la copia de los parámetros va a otra carpeta,
# así que las relativas se escriben resueltas contra la raíz, como las leería el original.
RUTAS = ("datos", "informe_anterior")


@dataclass(frozen=True)
class Captura:
    """Una página del PDF: donde empieza la sección `seccion` (su título en secciones.yaml)
    o, con `apartado`, el primer apartado de esa sección cuyo título empieza así; la imagen
    va desde ese título hasta lo último de la página. Sin `seccion`, la portada."""

    archivo: str
    seccion: str | None
    apartado: str | None = None


@dataclass(frozen=True)
class Informe:
    """Un informe de una muestra del que salen capturas: `nombre` es su carpeta entre los
    informes generados; `params`, sus parámetros en el proyecto."""

    nombre: str
    params: Path
    capturas: tuple[Captura, ...]

    @property
    def tipo(self) -> str:
        return yaml.safe_load(self.params.read_text(encoding="utf-8"))["informe"]


def _seccion(tipo: str) -> Callable[[str], str]:
    """El título completo, en secciones.yaml del tipo `tipo`, de la sección que empieza así."""
    titulos = [s.titulo for s in tipos.tipo(tipo).secciones]

    def seccion(prefijo: str) -> str:
        return next(t for t in titulos if t.startswith(prefijo))

    return seccion


def informes() -> list[Informe]:
    """Los informes de las muestras y las páginas que muestran los documentos de cada uno."""
    trimestral, anual = _seccion("trimestral"), _seccion("anual")
    objetivos, inicial = _seccion("objetivos"), _seccion("rendicion_inicial")
    return [
        Informe("muestra-2024-T2", PARAMS, (
            Captura("portada.png", None),
            Captura("resumen-ejecutivo.png", trimestral("Portada y resumen")),
            Captura("calificacion-y-semaforo.png", trimestral("Marco metodol"),
                    "Escala de calific"),
            Captura("cuadro-acp.png", trimestral("Ejecución por acción")),
            Captura("cuadro-area.png", trimestral("Ejecución por área")),
            Captura("unidades-por-tipo.png", trimestral("Ejecución por unidad"),
                    "Servicio Exterior"),
            Captura("grafico-semaforo.png", trimestral("Relación físico"),
                    "Eficacia y ejecución"),
            Captura("alertas.png", trimestral("Alertas"), "Ejecutado sin programación"),
        )),
        Informe("muestra-2024-T2-objetivos", RAIZ / "params" / "2024-objetivos.yaml", (
            Captura("objetivos-marco.png", objetivos("Avance por objetivo")),
        )),
        Informe("muestra-2024-inicial", RAIZ / "params" / "2024-inicial.yaml", (
            Captura("inicial-acp.png", inicial("Acciones de corto plazo")),
            Captura("inicial-presupuesto.png", inicial("Presupuesto inicial")),
        )),
        Informe("muestra-2024-anual", RAIZ / "params" / "2024-anual.yaml", (
            Captura("control-social.png", anual("Control social")),
        )),
        Informe("departamental-2024-T2", PARAMS_DEPARTAMENTAL / "2024-T2.yaml", (
            Captura("departamental-portada.png", None),
            Captura("departamental-cuadro-area.png", trimestral("Ejecución por área")),
            Captura("departamental-unidades.png", trimestral("Ejecución por unidad"),
                    "Nivel Departamental"),
        )),
        Informe("departamental-2024-anual", PARAMS_DEPARTAMENTAL / "2024-anual.yaml", (
            Captura("departamental-servicios.png", anual("Servicios prestados")),
        )),
    ]


def capturas() -> list[Captura]:
    """Todas las capturas, de todos los informes: las imágenes de docs/imagenes."""
    return [captura for informe in informes() for captura in informe.capturas]


def copiar_parametros(informe: Informe, carpeta: Path) -> Path:
    """Los parámetros del informe en `carpeta`, con la salida en `carpeta`/`informe.nombre`
    y sus rutas relativas resueltas contra la raíz del proyecto: la copia está fuera de él,
    y sin eso se leerían desde su propia carpeta (`entrada.parametros.raiz_de`)."""
    parametros = yaml.safe_load(informe.params.read_text(encoding="utf-8"))
    for clave in RUTAS:
        if parametros.get(clave):
            parametros[clave] = str(RAIZ / Path(parametros[clave]).expanduser())
    parametros["salida"] = str(carpeta / informe.nombre)
    copia = carpeta / f"{informe.nombre}.yaml"
    copia.write_text(yaml.safe_dump(parametros, allow_unicode=True, sort_keys=False),
                     encoding="utf-8")
    return copia


def generar_informe(informe: Informe, carpeta: Path) -> Path:
    """Genera el informe en `carpeta`/`informe.nombre` y devuelve esa carpeta."""
    from helpers.informe import generar

    return generar(copiar_parametros(informe, carpeta), tipo=informe.tipo)


@dataclass(frozen=True)
class Marcador:
    """Una entrada del índice de marcadores del PDF: el título de una sección (nivel 0) o
    de un apartado, su página (desde 0) y la altura de su título (desde arriba, en puntos)."""

    titulo: str
    nivel: int
    pagina: int
    arriba: float


def marcadores(ruta: Path) -> list[Marcador]:
    """Los marcadores del PDF en orden (WeasyPrint escribe uno por título)."""
    lector = PdfReader(ruta)
    lista: list[Marcador] = []

    def recorrer(entradas, nivel: int) -> None:
        for entrada in entradas:
            if isinstance(entrada, list):
                recorrer(entrada, nivel + 1)
                continue
            pagina = lector.get_destination_page_number(entrada)
            alto = float(lector.pages[pagina].mediabox.height)
            arriba = 0.0 if entrada.top is None else alto - float(entrada.top)
            lista.append(Marcador(str(entrada.title), nivel, pagina, arriba))

    recorrer(lector.outline, 0)
    return lista


def ubicar(lista: list[Marcador], captura: Captura) -> tuple[int, float]:
    """La página (desde 0) y la altura desde donde se recorta cada captura."""
    if captura.seccion is None:
        return 0, 0.0
    inicio = next((i for i, m in enumerate(lista)
                   if m.nivel == 0 and m.titulo == captura.seccion), None)
    if inicio is None:
        raise SystemExit(f"el PDF no tiene la sección «{captura.seccion}»")
    if captura.apartado is None:
        return lista[inicio].pagina, lista[inicio].arriba
    for marcador in lista[inicio + 1:]:
        if marcador.nivel == 0:
            break
        if marcador.titulo.startswith(captura.apartado):
            return marcador.pagina, marcador.arriba
    raise SystemExit(f"la sección «{captura.seccion}» no tiene el apartado "
                     f"«{captura.apartado}…»")


def _blanco(rectangulo) -> bool:
    """Un rectángulo que no se ve: relleno blanco y sin borde (el fondo de un bloque)."""
    return (not rectangulo.get("stroke")
            and tuple(rectangulo.get("non_stroking_color") or ()) in {(1,), (1, 1, 1)})


def _recorte(pagina, arriba: float) -> tuple[float, float, float, float]:
    """Desde `arriba` (menos un margen) hasta lo último que hay en la página antes del pie
    (el número de página), a todo el ancho."""
    numeros = [r["top"] for r in pagina.search(PIE, regex=True)
               if r["top"] > pagina.height / 2]
    pie = min(numeros, default=pagina.height)
    visibles = [*pagina.chars, *pagina.images, *pagina.curves, *pagina.lines,
                *(r for r in pagina.rects if not _blanco(r))]
    fondos = [o["bottom"] for o in visibles if o["top"] < pie and o["bottom"] > arriba]
    abajo = min(pagina.height, max(fondos, default=pagina.height) + MARGEN)
    return 0, max(0.0, arriba - MARGEN), pagina.width, abajo


def _dibujar(pagina, recorte: tuple[float, float, float, float],
             resolucion: int = RESOLUCION, ancho_maximo: int = ANCHO_MAXIMO) -> Image.Image:
    """El trozo `recorte` de `pagina`, a lo sumo `ancho_maximo` de ancho, en 256 colores."""
    trozo = pagina.crop(recorte)
    imagen = trozo.to_image(resolution=resolucion, antialias=True).original.convert("RGB")
    if imagen.width > ancho_maximo:
        alto = round(imagen.height * ancho_maximo / imagen.width)
        imagen = imagen.resize((ancho_maximo, alto), Image.LANCZOS)
    # Una paleta de 256 colores basta: la página es texto y colores planos.
    return imagen.quantize(colors=256, method=Image.Quantize.MEDIANCUT)


def escribir(pdf_ruta: Path, lista_capturas: tuple[Captura, ...], destino: Path) -> list[Path]:
    """Dibuja en `destino` las capturas de `pdf_ruta`; devuelve los PNG escritos."""
    destino.mkdir(parents=True, exist_ok=True)
    lista = marcadores(pdf_ruta)
    escritos = []
    with pdfplumber.open(pdf_ruta) as pdf:
        for captura in lista_capturas:
            numero, arriba = ubicar(lista, captura)
            pagina = pdf.pages[numero]
            imagen = _dibujar(pagina, _recorte(pagina, arriba))
            escritos.append(_guardar(imagen, destino / captura.archivo, f"página {numero + 1}"))
    return escritos


def _guardar(imagen: Image.Image, ruta: Path, de_donde: str) -> Path:
    """Guarda el PNG, que no puede pesar más que LIMITE_BYTES, y lo cuenta en la pantalla."""
    imagen.save(ruta, optimize=True)
    peso = ruta.stat().st_size
    if peso > LIMITE_BYTES:
        raise SystemExit(f"{ruta} pesa {peso} bytes, más que {LIMITE_BYTES}")
    print(f"{ruta.name}: {de_donde}, {imagen.width} × {imagen.height} píxeles, "
          f"{peso // 1000} kB")
    return ruta


# --- Los formularios de seguimiento (docs/formularios.md) -------------------------------

FORMULARIO = "formulario-seguimiento.png"
RECEPCION = "formulario-recepcion.png"
# Una hoja entera entra reducida al ancho de la página (fitToWidth): la imagen es más ancha
# que la de una página del informe, para que su letra se lea al abrirla.
RESOLUCION_LIBRO = 150  # ppp
ANCHO_MAXIMO_LIBRO = 1400  # píxeles
# Las unidades del registro que se muestran: las de los casos y dos que llegaron bien.
UNIDADES_EN_EL_REGISTRO = 7
# La columna huella en la captura del registro: en dos renglones, para que lo demás se lea.
ANCHO_HUELLA = 34


# Las imágenes de la página de `informe-poa app` (docs/pagina.md y docs/word.md): no las
# escribe este script sino las pruebas en el navegador (tests/test_pagina_navegador.py, en
# make test).
PAGINA = ("pagina-entidad.png", "pagina-revisar.png", "pagina-formularios.png",
          "pagina-revision.png", "pagina-parametros.png", "pagina-generar.png",
          "pagina-informes.png", "pagina-comparar.png", "pagina-tablero.png",
          # El tablero (docs/tablero.md): tests/test_tablero_navegador.py.
          "tablero-pagina.png", "tablero-explorador.png")


def archivos() -> list[str]:
    """Todas las imágenes de docs/imagenes: las de los informes y las de los formularios, que
    escribe este script, y las de la página, que escriben sus pruebas."""
    return [*(c.archivo for c in capturas()), CAPTURA_LOTE.archivo, DIAPOSITIVAS[1], WORD_NEUTRO,
            WORD_MEMBRETE, FORMULARIO, RECEPCION, *PAGINA]


def _soffice() -> str:
    ruta = shutil.which("soffice") or shutil.which("libreoffice")
    if ruta is None:
        raise SystemExit("las capturas de los formularios necesitan LibreOffice (soffice): "
                         "bash scripts/instalar_libreoffice.sh")
    return ruta


def a_pdf(libro: Path, carpeta: Path) -> Path:
    """El PDF de `libro` como lo imprime LibreOffice sin interfaz, en `carpeta`."""
    with tempfile.TemporaryDirectory(prefix="perfil-soffice-") as perfil:
        resultado = subprocess.run(
            [_soffice(), "--headless", "--norestore", "--nologo",
             f"-env:UserInstallation={Path(perfil).as_uri()}", "--convert-to", "pdf",
             "--outdir", str(carpeta), str(libro)],
            capture_output=True, text=True, timeout=300)
    pdf = carpeta / f"{libro.stem}.pdf"
    if resultado.returncode != 0 or not pdf.is_file():
        raise SystemExit(f"LibreOffice no pasó {libro.name} a PDF: {resultado.stderr.strip()}")
    return pdf


def como_hoja_de_calculo(libro: Path, hoja: str, destino: Path, *, filas: int | None = None,
                         anchos: dict[str, float] | None = None) -> Path:
    """Una copia de `libro` con sólo la hoja `hoja`, impresa como se ve en la hoja de
    cálculo: con la cuadrícula y las letras de las columnas y los números de las filas,
    apaisada y a lo ancho de la página; con `filas`, sólo hasta esa fila, y con `anchos`,
    esas columnas (por su encabezado en la fila 1) de otro ancho. Cada fila sin alto propio
    toma el de su texto más largo (`alto_de_fila`): LibreOffice sin interfaz no lo ajusta al
    abrir el libro, y el texto ajustado de una fila se montaría sobre la siguiente."""
    copia = openpyxl.load_workbook(libro)
    for otra in [h for h in copia.worksheets if h.title != hoja]:
        copia.remove(otra)
    seleccion = copia[hoja]
    seleccion.sheet_state = "visible"
    seleccion.print_options.gridLines = seleccion.print_options.headings = True
    seleccion.page_setup.orientation = "landscape"
    seleccion.page_setup.fitToWidth, seleccion.page_setup.fitToHeight = 1, 0
    seleccion.sheet_properties.pageSetUpPr.fitToPage = True
    if filas is not None:
        seleccion.print_area = f"A1:{get_column_letter(seleccion.max_column)}{filas}"
    for celda in seleccion[1]:
        if anchos and celda.value in anchos:
            seleccion.column_dimensions[celda.column_letter].width = anchos[celda.value]
    for fila in seleccion.iter_rows():
        textos = [(str(c.value), seleccion.column_dimensions[c.column_letter].width)
                  for c in fila if c.value is not None and c.alignment.wrap_text]
        if textos and seleccion.row_dimensions[fila[0].row].height is None:
            seleccion.row_dimensions[fila[0].row].height = alto_de_fila(textos)
    copia.save(destino)
    return destino


def _recorte_al_contenido(pagina) -> tuple[float, float, float, float]:
    """Lo que se ve en `pagina`, con MARGEN de blanco alrededor."""
    visibles = [*pagina.chars, *pagina.curves, *pagina.lines,
                *(r for r in pagina.rects if not _blanco(r))]
    return (max(0.0, min(o["x0"] for o in visibles) - MARGEN),
            max(0.0, min(o["top"] for o in visibles) - MARGEN),
            min(pagina.width, max(o["x1"] for o in visibles) + MARGEN),
            min(pagina.height, max(o["bottom"] for o in visibles) + MARGEN))


def capturar_libro(libro: Path, destino: Path) -> Path:
    """La primera página del PDF de `libro`, recortada a lo que tiene, en `destino`."""
    pdf = a_pdf(libro, libro.parent)
    with pdfplumber.open(pdf) as documento:
        pagina = documento.pages[0]
        imagen = _dibujar(pagina, _recorte_al_contenido(pagina), RESOLUCION_LIBRO,
                          ANCHO_MAXIMO_LIBRO)
    return _guardar(imagen, destino, f"{libro.name}, primera página")


def recepcion_con_cada_caso(params: Path, carpeta: Path):
    """Una recepción de los formularios de la muestra con cada caso, en las primeras
    unidades de la hoja unidades: la primera envía su formulario dos veces (el segundo, el
    día del plazo y con otra cifra), la segunda no lo envía, la tercera lo entrega después
    del plazo (según recepcion.csv), la cuarta cambia lo programado (alterado) y la quinta
    escribe lo ejecutado de dos meses en negativo (valores no válidos); las demás lo
    devuelven lleno con las cifras del maestro, a tiempo. Devuelve lo que recogió
    `informe-poa recoger`."""
    from formularios_llenos import emitidos_y_llenos, fechar, llenar, recibido_a_tiempo, tabla

    from helpers.formularios.envio import parametros_de_seguimiento
    from helpers.formularios.libro import columnas_ejecutado, columnas_programado
    from helpers.formularios.recogida import recoger
    from helpers.formularios.recoleccion import ARCHIVO_RECEPCION

    parametros = parametros_de_seguimiento(params)
    trimestre, plazo = parametros.trimestre_corte, parametros.recepcion.plazo
    recibidos = carpeta / "recibidos"
    emitidos = emitidos_y_llenos(params, recibidos)
    duplicado, faltante, _, alterado, no_valido = list(emitidos.values())[:5]
    tarde = list(emitidos)[2]  # la unidad: va a recepcion.csv, y su archivo queda como está

    def primera_operacion(ruta: Path, columna: str) -> tuple[str, object]:
        celdas = tabla(ruta)
        codigo = next(c for c, _ in celdas)
        return codigo, celdas[codigo, columna]

    ejecutado, programado = columnas_ejecutado(trimestre)[0], columnas_programado(trimestre)[0]
    segundo = duplicado.with_name(f"{duplicado.stem} (1).xlsx")
    shutil.copyfile(duplicado, segundo)
    codigo, valor = primera_operacion(segundo, ejecutado)
    llenar(segundo, {(codigo, ejecutado): (valor or 0) + 1})
    fechar(segundo, recibido_a_tiempo(plazo, 0))
    faltante.unlink()
    llegada = plazo + dt.timedelta(days=2)
    (recibidos / ARCHIVO_RECEPCION).write_text(
        f"codigo_unidad,fecha,hoja_ruta\n{tarde},{llegada:%d/%m/%Y},"
        f"HR-{parametros.gestion}-0001\n", encoding="utf-8")
    codigo, valor = primera_operacion(alterado, programado)
    llenar(alterado, {(codigo, programado): (valor or 0) + 1})
    fechar(alterado, recibido_a_tiempo(plazo))
    codigo, _ = primera_operacion(no_valido, ejecutado)
    llenar(no_valido, {(codigo, columna): -1 for columna in columnas_ejecutado(trimestre)[:2]})
    fechar(no_valido, recibido_a_tiempo(plazo))
    return recoger(params, recibidos, carpeta / "recogido" / "poa_recogido.xlsx")


def capturar_formularios(carpeta: Path, destino: Path, params: Path = PARAMS) -> list[Path]:
    """La hoja seguimiento del formulario de la primera unidad de la muestra, como se
    emite, y las primeras filas de la hoja recepcion después de `recepcion_con_cada_caso`;
    los libros, en `carpeta`."""
    from helpers.formularios.envio import formularios_de
    from helpers.formularios.libro import HOJA_SEGUIMIENTO
    from helpers.formularios.recogida import HOJA_RECEPCION

    destino.mkdir(parents=True, exist_ok=True)
    emitido = formularios_de(params, carpeta / "emitidos")[0][0]
    seguimiento = como_hoja_de_calculo(emitido, HOJA_SEGUIMIENTO, carpeta / "seguimiento.xlsx")
    recogida = recepcion_con_cada_caso(params, carpeta / "recepcion")
    registro = recogida.registro
    mostradas = list(dict.fromkeys(registro["codigo_unidad"]))[:UNIDADES_EN_EL_REGISTRO]
    filas = 1 + int(registro["codigo_unidad"].isin(mostradas).sum())
    del_registro = como_hoja_de_calculo(recogida.libro, HOJA_RECEPCION,
                                        carpeta / "recepcion.xlsx", filas=filas,
                                        anchos={"huella": ANCHO_HUELLA})
    return [capturar_libro(seguimiento, destino / FORMULARIO),
            capturar_libro(del_registro, destino / RECEPCION)]


# --- El informe en Word (docs/word.md) ---------------------------------------------------

WORD_NEUTRO = "word-neutro.png"
WORD_MEMBRETE = "word-membrete.png"
# La hoja que se muestra: la de este cuadro (el primero de la primera sección), en el DOCX
# convertido a PDF por LibreOffice, como lo vería quien lo abre.
CUADRO_DE_LA_HOJA = "Cuadro N° 1:"
RESOLUCION_WORD = 60  # ppp: una hoja entera, que se lee al abrirla


def membrete_de_ejemplo(destino: Path) -> Path:
    """Un membrete de entidad hecho del neutro: otra letra (DejaVu Serif) y un logo en la
    cabecera (un rectángulo con la palabra LOGO, que no es de ninguna entidad)."""
    import io

    import docx
    from PIL import ImageDraw

    from helpers.salida.word.membrete import membrete_neutro

    documento = docx.Document(io.BytesIO(membrete_neutro()))
    documento.styles["Normal"].font.name = "DejaVu Serif"
    logo = Image.new("RGB", (360, 90), (31, 73, 125))
    ImageDraw.Draw(logo).text((20, 30), "LOGO DE LA ENTIDAD", fill=(255, 255, 255))
    contenido = io.BytesIO()
    logo.save(contenido, format="PNG")
    contenido.seek(0)
    documento.sections[0].header.paragraphs[0].add_run().add_picture(contenido)
    documento.save(str(destino))
    return destino


def capturar_word(informe: Path, carpeta: Path, destino: Path) -> list[Path]:
    """La hoja del primer cuadro del DOCX del informe de la muestra (`informe`, su carpeta),
    con el membrete neutro y con `membrete_de_ejemplo`, vista en LibreOffice."""
    from helpers.entrada.parametros import cargar_parametros
    from helpers.redaccion.identidad import datos_para_ensamblar
    from helpers.salida.word import escribir_docx

    carpeta.mkdir(parents=True, exist_ok=True)
    parametros = cargar_parametros(informe / "entrada" / "parametros.yaml")
    portada = datos_para_ensamblar(parametros)["identificacion"]
    datos = {"titulo": parametros.tipo.titulo, "entidad": parametros.entidad.nombre,
             "fecha": parametros.identificacion.fecha_emision or parametros.fecha_corte,
             "cite": portada["cite"], "hoja_ruta": portada["hoja_ruta"]}
    escritos = []
    for nombre, membrete in ((WORD_NEUTRO, None),
                             (WORD_MEMBRETE, membrete_de_ejemplo(carpeta / "membrete.docx"))):
        documento = carpeta / nombre.replace(".png", ".docx")
        escribir_docx(informe / "informe.html", documento, datos, membrete=membrete)
        with pdfplumber.open(a_pdf(documento, carpeta)) as pdf:
            numero = next(k for k, pagina in enumerate(pdf.pages)
                          if CUADRO_DE_LA_HOJA in (pagina.extract_text() or ""))
            pagina = pdf.pages[numero]
            imagen = _dibujar(pagina, (0, 0, pagina.width, pagina.height), RESOLUCION_WORD)
        escritos.append(_guardar(imagen, destino / nombre, f"hoja {numero + 1} del DOCX"))
    return escritos


# El consolidado por objetivo de `make lote OBJETIVOS=1`: la muestra y las dos entidades de
# ejemplo (sus libros, la muestra ×2 y ×3); la captura es un objetivo con lo de cada una.
LOTE_OBJETIVOS = (RAIZ / "params" / "2024-objetivos.yaml",
                  *sorted((RAIZ / "params" / "lote-objetivos").glob("*.yaml")))
CAPTURA_LOTE = Captura("lote-objetivos.png", "Avance por objetivo de las entidades", "6.5 ")


def capturar_lote(carpeta: Path, destino: Path) -> list[Path]:
    """La captura del consolidado por objetivo: el que ya está en `carpeta`/lote-objetivos
    se usa tal cual; si no, se genera allí (en un clúster local de Dask), con los libros
    de las entidades de ejemplo escritos en `carpeta`."""
    consolidado = carpeta / "lote-objetivos"
    if not (consolidado / "informe.pdf").is_file():
        print("lote-objetivos: generando el consolidado por objetivo")
        _generar_lote(carpeta, consolidado)
    return escribir(consolidado / "informe.pdf", (CAPTURA_LOTE,), destino)


def _generar_lote(carpeta: Path, consolidado: Path) -> None:
    sys.path.insert(0, str(RAIZ / "scripts"))
    from generar_grande import generar

    from helpers.lote import AvisosDeLote, correr_lote

    copias = []
    for ruta in LOTE_OBJETIVOS:
        parametros = yaml.safe_load(ruta.read_text(encoding="utf-8"))
        nombre = parametros["entidad"]["sigla"]
        datos = Path(parametros["datos"])
        if datos.parts[0] == "output":  # un libro de ejemplo: la muestra ×k
            factor = int(datos.stem.rsplit("x", 1)[1])
            datos = generar(factor, carpeta / "lote-datos" / datos.name)
        parametros["datos"] = str(RAIZ / datos)
        parametros["salida"] = str(carpeta / "lote-entidades" / nombre)
        copia = carpeta / "lote-params" / f"{nombre}.yaml"
        copia.parent.mkdir(parents=True, exist_ok=True)
        copia.write_text(yaml.safe_dump(parametros, allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
        copias.append(copia)
    resultado = correr_lote(copias, salida=consolidado, objetivos=True,
                            avisos=AvisosDeLote(silencioso=True))
    if resultado.consolidado is None:
        raise SystemExit(f"el lote por objetivo no escribió su consolidado: {resultado.mensaje}")


def capturar(carpeta: Path, destino: Path) -> list[Path]:
    """Las capturas de cada informe de `informes()`: el que ya está en `carpeta` (con su
    informe.pdf) se usa tal cual; los demás se generan allí."""
    escritos = []
    for informe in informes():
        pdf = carpeta / informe.nombre / "informe.pdf"
        if not pdf.is_file():
            print(f"{informe.nombre}: generando el informe de {informe.params.relative_to(RAIZ)}")
            pdf = generar_informe(informe, carpeta) / "informe.pdf"
        escritos += escribir(pdf, informe.capturas, destino)
        if informe.params == PARAMS:
            escritos += capturar_word(pdf.parent, carpeta / "word", destino)
        if informe.nombre == DIAPOSITIVAS[0]:
            escritos.append(capturar_diapositivas(pdf.parent / "presentacion.pdf",
                                                  destino / DIAPOSITIVAS[1]))
    return escritos + capturar_lote(carpeta, destino)


# El informe cuyas diapositivas muestra docs/rendicion-de-cuentas.md, y su imagen.
DIAPOSITIVAS = ("muestra-2024-anual", "diapositivas-final.png")


def capturar_diapositivas(pdf: Path, destino: Path, columnas: int = 2) -> Path:
    """Las diapositivas de `pdf` después de la portada, en una cuadrícula de `columnas`."""
    import pypdfium2
    from PIL import Image

    documento = pypdfium2.PdfDocument(pdf)
    try:
        hojas = [documento[i].render(scale=1.2).to_pil() for i in range(1, len(documento))]
    finally:
        documento.close()
    ancho, alto = hojas[0].size
    filas = -(-len(hojas) // columnas)
    cuadricula = Image.new("RGB", (ancho * columnas, alto * filas), "white")
    for i, hoja in enumerate(hojas):
        cuadricula.paste(hoja, ((i % columnas) * ancho, (i // columnas) * alto))
    cuadricula.save(destino)
    return destino


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--informes", type=Path, default=None,
                        help="carpeta donde generar los informes de las muestras, uno por "
                             "subcarpeta, y conservarlos; el que ya esté allí (con su "
                             "informe.pdf) se usa sin generarlo de nuevo: bórrelo para "
                             "rehacerlo. Sin ella, se generan en una carpeta temporal")
    parser.add_argument("--destino", type=Path, default=DESTINO,
                        help="carpeta de las imágenes (por omisión docs/imagenes)")
    parser.add_argument("--solo", choices=("informes", "formularios"),
                        help="sólo las capturas de los informes, o sólo las de los "
                             "formularios (necesitan LibreOffice); por omisión, todas")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="capturas-") as temporal:
        if args.solo != "formularios":
            informes = Path(temporal) if args.informes is None else args.informes.resolve()
            informes.mkdir(parents=True, exist_ok=True)
            capturar(informes, args.destino)
        if args.solo != "informes":
            capturar_formularios(Path(temporal) / "formularios", args.destino)
    return 0


if __name__ == "__main__":
    sys.exit(main())
