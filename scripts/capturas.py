"""Capturas de pantalla de la documentación (docs/imagenes/*.png), sacadas de los informes
de las dos muestras, nunca hechas a mano.

    .venv/bin/python scripts/capturas.py                          # genera los informes y captura
    .venv/bin/python scripts/capturas.py --informes /tmp/capturas  # los guarda (y reusa) allí

Sin `--informes`, genera en una carpeta temporal, para no tocar `output/`, cada informe de
`informes()`: el trimestral de la primera muestra (params/2024-T2.yaml) y el trimestral y la
rendición de cuentas de la segunda (params/departamental/). Cada captura es un trozo de una
página de su `informe.pdf`, ubicada por los marcadores del PDF (el título de una sección de
secciones.yaml o de uno de sus apartados) y no por su número de página, que cambia cuando
cambia el informe. Las páginas se dibujan con pdfplumber (pdfium), sin programas del sistema.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import yaml
from PIL import Image
from pypdf import PdfReader

from helpers import tipos
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


def _dibujar(pagina, arriba: float) -> Image.Image:
    """El trozo de `pagina` desde `arriba`, a lo sumo ANCHO_MAXIMO de ancho, en 256 colores."""
    recorte = pagina.crop(_recorte(pagina, arriba))
    imagen = recorte.to_image(resolution=RESOLUCION, antialias=True).original.convert("RGB")
    if imagen.width > ANCHO_MAXIMO:
        alto = round(imagen.height * ANCHO_MAXIMO / imagen.width)
        imagen = imagen.resize((ANCHO_MAXIMO, alto), Image.LANCZOS)
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
            imagen = _dibujar(pdf.pages[numero], arriba)
            ruta = destino / captura.archivo
            imagen.save(ruta, optimize=True)
            peso = ruta.stat().st_size
            if peso > LIMITE_BYTES:
                raise SystemExit(f"{ruta} pesa {peso} bytes, más que {LIMITE_BYTES}")
            print(f"{captura.archivo}: página {numero + 1}, {imagen.width} × {imagen.height} "
                  f"píxeles, {peso // 1000} kB")
            escritos.append(ruta)
    return escritos


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
    return escritos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--informes", type=Path, default=None,
                        help="carpeta donde generar los informes de las muestras, uno por "
                             "subcarpeta, y conservarlos; el que ya esté allí (con su "
                             "informe.pdf) se usa sin generarlo de nuevo: bórrelo para "
                             "rehacerlo. Sin ella, se generan en una carpeta temporal")
    parser.add_argument("--destino", type=Path, default=DESTINO,
                        help="carpeta de las imágenes (por omisión docs/imagenes)")
    args = parser.parse_args(argv)
    if args.informes is not None:
        args.informes.mkdir(parents=True, exist_ok=True)
        capturar(args.informes.resolve(), args.destino)
        return 0
    with tempfile.TemporaryDirectory(prefix="capturas-") as temporal:
        capturar(Path(temporal), args.destino)
    return 0


if __name__ == "__main__":
    sys.exit(main())
