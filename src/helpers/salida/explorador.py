"""El explorador de un informe en HTML (docs/tablero.md): el modelo del tablero
(`redaccion.tablero.modelo`) como JSON dentro de la página, la biblioteca de tablas Tabulator
que lleva el paquete (`plantillas/explorador/tabulator/`, sin CDN) y el guion propio
(`explorador.js`).

- `fragmento`: la sección `#explorador`, oculta hasta que su guion la muestra;
- `agregar_al_informe`: la pone al final de `informe.html` con una política de contenido que
  sólo deja correr esos guiones (por su huella) y no deja pedir nada a ninguna dirección; sin
  guiones, o al imprimir, el informe queda como era, con sus cuadros;
- `pagina_del_tablero`: una página entera con el tablero (el paso «Tablero» de la página),
  que al imprimirse da el resumen de una hoja A4 para la máxima autoridad.

El JSON va con `<`, `>` y `&` escritos como `\\u003c`...: ningún texto de los datos cierra el
elemento que lo lleva.
"""
from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

__all__ = ["CAMPOS", "TABLAS_DEL_EXPLORADOR", "agregar_al_informe", "compacto",
           "con_explorador", "escribir_explorador", "fragmento", "guiones", "modelo_del_informe",
           "pagina_del_tablero", "politica_de_contenido"]

CARPETA = Path(__file__).with_name("plantillas") / "explorador"
_MARCA = '<section id="explorador"'


@cache
def _entorno() -> Environment:
    return Environment(loader=FileSystemLoader(CARPETA), autoescape=select_autoescape(
        enabled_extensions=("html", "j2"), default_for_string=True))


@cache
def _archivo(nombre: str) -> str:
    return (CARPETA / nombre).read_text(encoding="utf-8")


# Las filas del modelo van por columnas (`compacto`): las claves de cada fila, repetidas en
# miles de operaciones, eran la mitad del peso del explorador de un libro grande.
CAMPOS = ("id", "padre", "codigo", "nombre", "semaforo", "acps", "alertas", "indicador",
          "unidad_medida", "departamento")
CIFRAS = {"operacion": ("programado", "ejecutado", "cumplimiento", "calificacion"),
          "otra": ("avance_fisico", "eficacia", "ejecucion", "calificacion", "devengado")}


def _sin_cola(valores: list) -> list:
    while valores and valores[-1] in (None, "", []):
        valores.pop()
    return valores


def _compacta(fila: dict, periodos: list[str]) -> list:
    """Una fila como lista: sus `CAMPOS` y, por periodo, sus cifras en el orden de
    `CIFRAS` (las de una operación, o las de las demás filas)."""
    cifras = CIFRAS["operacion" if fila["nivel"] == "operacion" else "otra"]
    por_periodo = [_sin_cola([fila.get("cifras", {}).get(p, {}).get(c) for c in cifras])
                   for p in periodos]
    return [*(fila.get(campo) for campo in CAMPOS), por_periodo]


def compacto(modelo: dict) -> dict:
    """El modelo con sus filas por columnas, como lo lee `explorador.js` (`expandir`)."""
    periodos = [p["clave"] for p in modelo["periodos"]]
    compacto_ = {clave: valor for clave, valor in modelo.items()
                 if clave not in ("filas", "acps", "mapa")}
    compacto_["campos"], compacto_["cifras_de"] = list(CAMPOS), CIFRAS
    compacto_["filas"] = [_compacta(f, periodos) for f in modelo["filas"]]
    compacto_["acps"] = [_compacta(f, periodos) for f in modelo["acps"]]
    return compacto_


def _json(modelo: dict) -> str:
    texto = json.dumps(compacto(modelo), ensure_ascii=False, separators=(",", ":"),
                       allow_nan=False)
    return (texto.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def guiones() -> tuple[str, str]:
    """Los dos guiones del explorador: Tabulator y el propio."""
    return _archivo("tabulator/tabulator.min.js"), _archivo("explorador.js")


def _huella(guion: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(guion.encode()).digest()).decode() + "'"


def politica_de_contenido() -> str:
    """La política de contenido de una página con el explorador: sus dos guiones (por su
    huella), estilos e imágenes de la página misma; nada se pide a ninguna dirección."""
    huellas = " ".join(_huella(g) for g in guiones())
    return ("default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
            f"script-src {huellas}; connect-src 'none'; form-action 'none'; base-uri 'none'")


def fragmento(modelo: dict, *, auditoria: str = "informe-auditoria.html",
              anexo: str = "anexo.xlsx") -> str:
    """La sección del explorador con su modelo. `auditoria` y `anexo`: a dónde llevan los
    enlaces «dónde se deriva». El mapa de los departamentos es el SVG `modelo["mapa"]` (ya
    escapado por `redaccion.mapa`), si lo hay."""
    js_tabulator, js = guiones()
    mapa = modelo.get("mapa")
    return _entorno().get_template("explorador.html.j2").render(
        titulo=modelo["titulo"], periodo=modelo["periodo"], agrupacion=modelo["agrupacion"],
        auditoria=auditoria, anexo=anexo, mapa=Markup(mapa) if mapa else None,
        css_tabulator=Markup(_archivo("tabulator/tabulator_simple.min.css")),
        css=Markup(_archivo("explorador.css")), modelo=Markup(_json(modelo)),
        js_tabulator=Markup(js_tabulator), js=Markup(js))


def agregar_al_informe(html: Path, modelo: dict) -> None:
    """Pone el explorador al final de `html` (informe.html) y su política de contenido al
    comienzo de su cabecera. Si ya lo tiene, no hace nada."""
    texto = html.read_text(encoding="utf-8")
    if _MARCA in texto:
        return
    meta = (f'<meta http-equiv="Content-Security-Policy" '
            f'content="{politica_de_contenido()}">')
    cabecera = texto.index("<head>") + len("<head>")
    cierre = texto.rindex("</body>")
    html.write_text(texto[:cabecera] + "\n" + meta + texto[cabecera:cierre]
                    + fragmento(modelo) + "\n" + texto[cierre:], encoding="utf-8")


def pagina_del_tablero(modelo: dict, *, auditoria: str, anexo: str) -> str:
    """Una página entera con el tablero del informe (para el paso «Tablero»)."""
    return _entorno().get_template("tablero.html.j2").render(
        titulo=modelo["titulo"], periodo=modelo["periodo"], entidad=modelo["entidad"],
        politica=politica_de_contenido(),
        explorador=Markup(fragmento(modelo, auditoria=auditoria, anexo=anexo)))


# Las tablas que necesita el explorador: sin ellas (la formulación, la rendición inicial, el
# informe por objetivos) el informe no lo lleva.
TABLAS_DEL_EXPLORADOR = ("area", "unidad", "operacion")


def con_explorador(tablas) -> bool:
    return all(nombre in tablas for nombre in TABLAS_DEL_EXPLORADOR)


def modelo_del_informe(carpeta: Path) -> dict | None:
    """El modelo del tablero del informe de `carpeta`, de sus tablas y de su copia del
    informe anterior (si la tiene); None si su tipo no tiene explorador."""
    from helpers.calculo.reexpresiones import CARPETA_COPIA
    from helpers.preparacion import abrir
    from helpers.redaccion.tablero import modelo

    prep = abrir(informe=carpeta)
    if not con_explorador(prep.tablas):
        return None
    anterior = Path(carpeta) / CARPETA_COPIA
    return modelo(prep, anterior if anterior.is_dir() else None)


def escribir_explorador(carpeta: Path) -> bool:
    """Pone el explorador en `informe.html` de `carpeta`, si su tipo lo tiene."""
    datos = modelo_del_informe(carpeta)
    if datos is None:
        return False
    agregar_al_informe(Path(carpeta) / "informe.html", datos)
    return True
