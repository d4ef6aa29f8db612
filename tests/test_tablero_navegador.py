"""El explorador de `informe.html` y el tablero de la página en Chromium de verdad (sin
interfaz, manejado con Playwright), sobre el informe trimestral de la muestra.

- `informe.html` abierto como archivo, sin red (el navegador corta todo pedido que no sea
  file://): el explorador aparece, se despliega de la entidad a una operación cuyo detalle
  dice lo programado y lo ejecutado por mes, filtra por semáforo, y sus cifras son las de
  `tablas/*.csv` con el formato del informe; impreso, o sin guiones, quedan los cuadros.
- El tablero de `informe-poa app` (`tablero/<carpeta>`), con la ficha: abre, y al imprimirse
  es una sola hoja A4.

Las imágenes van a docs/imagenes/tablero-*.png (docs/tablero.md).
"""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import navegador as navegador_
import pandas as pd
import pytest

from helpers.comun.numeros import formatear_numero, formatear_porcentaje
from helpers.preparacion import abrir

pytestmark = [pytest.mark.navegador, pytest.mark.lento]

RAIZ = Path(__file__).resolve().parents[1]
IMAGENES = RAIZ / "docs" / "imagenes"
CHROMIUM = Path("/usr/bin/chromium")
ESPERA = 60_000  # milisegundos
PARAMS = "2024-T2.yaml"

if not CHROMIUM.is_file():  # make test lo instala (scripts/instalar_sistema.sh)
    pytest.skip("falta Chromium en /usr/bin/chromium: bash scripts/instalar_sistema.sh",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")


def _csv(carpeta: Path, nombre: str) -> pd.DataFrame:
    return pd.read_csv(carpeta / "tablas" / f"{nombre}.csv", dtype=str, keep_default_na=False)


def _guardar(imagen: bytes, nombre: str) -> None:
    """En 256 colores (la página es texto y colores planos: pesa menos que el límite de
    docs/), entera o nada: otra prueba puede estar leyendo la carpeta."""
    from PIL import Image

    nueva = IMAGENES / f".{nombre}.nueva"
    plana = Image.open(io.BytesIO(imagen)).convert("RGB")
    plana.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(nueva, format="PNG",
                                                                     optimize=True)
    nueva.replace(IMAGENES / nombre)


@pytest.fixture(scope="module")
def navegador():
    with navegador_.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def carpeta(informes_muestra) -> Path:
    return informes_muestra[PARAMS]


def _sin_red(contexto) -> list[str]:
    afuera: list[str] = []

    def solo_archivos(ruta):
        if ruta.request.url.startswith("file://"):
            ruta.continue_()
        else:
            afuera.append(ruta.request.url)
            ruta.abort()

    contexto.route("**/*", solo_archivos)
    return afuera


@pytest.fixture
def pagina(navegador, carpeta):
    contexto = navegador.new_context(viewport={"width": 1200, "height": 900})
    afuera = _sin_red(contexto)
    errores: list[str] = []
    pagina = contexto.new_page()
    pagina.set_default_timeout(ESPERA)
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.goto((carpeta / "informe.html").as_uri())
    pagina.locator("#explorador .tabulator-row").first.wait_for()
    yield pagina
    assert errores == [] and afuera == []
    contexto.close()


def _fila(pagina, texto: str):
    return pagina.locator(".tabulator-row").filter(
        has=pagina.locator(".tabulator-cell", has_text=re.compile(f"^{re.escape(texto)}$")))


def _desplegar(pagina, nombre: str) -> None:
    fila = _fila(pagina, nombre).first
    fila.scroll_into_view_if_needed()
    fila.locator(".tabulator-data-tree-control").click()


def test_las_cifras_de_la_entidad_son_las_de_la_tabla(pagina, carpeta):
    total = _csv(carpeta, "area").set_index("area").loc["TOTAL"]
    for indicador, columna in (("avance_fisico", "avance_fisico_acumulado"),
                               ("eficacia", "eficacia_acumulada"),
                               ("ejecucion", "ejecucion_acumulada")):
        tarjeta = pagina.locator(f'.exp-tarjeta[data-indicador="{indicador}"] .exp-tarjeta-valor')
        assert tarjeta.inner_text() == formatear_porcentaje(float(total[columna]))
    assert total["calificacion_acumulada"] in pagina.locator(
        '.exp-tarjeta[data-indicador="calificacion"]').inner_text()


def test_se_despliega_hasta_una_operacion_y_su_detalle(pagina, carpeta):
    """De la entidad a la primera operación de la tabla: su grupo, su área, su unidad; el
    detalle dice su cumplimiento y lo programado y ejecutado de cada mes del libro."""
    operacion = _csv(carpeta, "operacion").iloc[0]
    unidad = _csv(carpeta, "unidad").set_index("codigo_unidad").loc[operacion["codigo_unidad"]]
    areas = _csv(carpeta, "area")
    area = areas[(areas["area"] == unidad["area"]) & (areas["nivel"] == "area")].iloc[0]
    nombre_area = pd.read_parquet(carpeta / "entrada" / "datos" / "areas.parquet").set_index(
        "area").loc[unidad["area"], "nombre"]
    if area["servicio"] in set(areas.loc[areas["nivel"] == "servicio", "area"]):
        _desplegar(pagina, area["servicio"])
    _desplegar(pagina, nombre_area)
    _desplegar(pagina, unidad["nombre"])
    fila = _fila(pagina, operacion["descripcion"]).first
    fila.scroll_into_view_if_needed()
    assert formatear_porcentaje(float(operacion["cumplimiento_acumulado"])) in fila.inner_text()
    fila.click()
    detalle = pagina.locator(".exp-detalle")
    assert detalle.get_attribute("data-id") == f"o:{operacion['codigo_operacion']}"
    libro = pd.read_parquet(carpeta / "entrada" / "datos" / "operaciones.parquet").set_index(
        "codigo_operacion").loc[operacion["codigo_operacion"]]
    celdas = detalle.locator("table.exp-meses tr")
    programado = celdas.nth(1).locator("td").all_inner_texts()
    ejecutado = celdas.nth(2).locator("td").all_inner_texts()
    assert programado == [formatear_numero(libro[f"prog_{m:02d}"], 0)
                          for m in range(1, len(programado) + 1)]
    assert ejecutado == [formatear_numero(libro[f"ejec_{m:02d}"], 0)
                         for m in range(1, len(ejecutado) + 1)]
    corte = abrir(informe=carpeta).parametros.fecha_corte
    assert len(programado) == corte.month
    assert libro["medio_verificacion"] in detalle.inner_text()
    _guardar(pagina.locator("#explorador").screenshot(), "tablero-explorador.png")


def test_el_filtro_por_semaforo(pagina, carpeta):
    pagina.select_option("#explorador [name=semaforo]", "rojo")
    rojas = sum(int((_csv(carpeta, t)["semaforo"] == "rojo").sum()) for t in ("area", "unidad"))
    conteo = pagina.locator(".exp-conteo").inner_text()
    assert conteo.startswith(f"{rojas} fila"), conteo
    visibles = pagina.locator(".tabulator-row").all_inner_texts()
    assert visibles and all("rojo" in fila for fila in visibles)


def test_impreso_o_sin_guiones_quedan_los_cuadros(navegador, carpeta, pagina):
    pagina.emulate_media(media="print")
    assert not pagina.locator("#explorador").is_visible()
    assert pagina.locator("table").first.is_visible()
    contexto = navegador.new_context(java_script_enabled=False)
    _sin_red(contexto)
    sin_guiones = contexto.new_page()
    sin_guiones.goto((carpeta / "informe.html").as_uri())
    assert not sin_guiones.locator("#explorador").is_visible()
    assert sin_guiones.locator("table").first.is_visible()
    contexto.close()


@pytest.fixture(scope="module")
def servidor(tmp_path_factory, carpeta):
    """`informe-poa app` sobre una carpeta de trabajo con una copia del informe."""
    raiz = tmp_path_factory.mktemp("espacio-tablero")
    shutil.copytree(carpeta, raiz / "entidad" / "output" / carpeta.name)
    with navegador_.app(raiz) as direccion:
        base, ficha = direccion.split("?token=")
        yield base, ficha, f"entidad/output/{carpeta.name}"


def test_el_tablero_de_la_pagina_y_su_hoja_para_imprimir(navegador, servidor, carpeta):
    import pdfplumber

    base, ficha, relativa = servidor
    contexto = navegador.new_context(viewport={"width": 1200, "height": 900})
    pagina = contexto.new_page()
    pagina.set_default_timeout(ESPERA)
    errores: list[str] = []
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    respuesta = pagina.goto(f"{base}tablero/{relativa}?token={ficha}")
    assert respuesta.status == 200
    assert "script-src 'sha256-" in respuesta.headers["content-security-policy"]
    pagina.locator("#explorador .tabulator-row").first.wait_for()
    # La memoria de cálculo se abre por ver/, dentro de la carpeta de trabajo.
    enlace = pagina.locator("a.exp-derivacion").first.get_attribute("href")
    assert enlace.startswith(f"/ver/{relativa}/informe-auditoria.html#tabla-memoria-")
    _guardar(pagina.screenshot(full_page=True), "tablero-pagina.png")
    pdf = pagina.pdf(format="A4", print_background=True)
    with pdfplumber.open(io.BytesIO(pdf)) as documento:
        assert len(documento.pages) == 1
        texto = " ".join(documento.pages[0].extract_text().split())
    total = _csv(carpeta, "area").set_index("area").loc["TOTAL"]
    assert formatear_porcentaje(float(total["eficacia_acumulada"])) in texto
    assert "Unidades que no reportaron" in texto
    # Lo que no es un informe de la carpeta de trabajo no tiene tablero.
    for otra in ("entidad", "..%2F..%2Fetc"):
        assert pagina.goto(f"{base}tablero/{otra}?token={ficha}").status == 404
    assert errores == []
    contexto.close()


def test_el_texto_de_los_datos_no_entra_como_marcas(navegador, carpeta, tmp_path):
    """Un código y un nombre con marcas, en la tabla y en el globo que dice el código al
    pasar sobre el nombre: se leen tal cual, ningún elemento nuevo."""
    from helpers.redaccion.tablero import modelo
    from helpers.salida.explorador import pagina_del_tablero

    hostil = '<img src=x id=inyectada><meta http-equiv="refresh" content="0;url=about:blank">'
    m = modelo(abrir(informe=carpeta))
    grupo = next(f for f in m["filas"] if f["nivel"] == "servicio")
    grupo["nombre"] = "Grupo " + hostil
    next(f for f in m["filas"] if f["id"] == "e")["codigo"] = hostil
    archivo = tmp_path / "tablero.html"
    archivo.write_text(pagina_del_tablero(m, auditoria="a.html", anexo="b.xlsx"),
                       encoding="utf-8")
    contexto = navegador.new_context(viewport={"width": 1200, "height": 900})
    _sin_red(contexto)
    pagina = contexto.new_page()
    pagina.goto(archivo.as_uri())
    pagina.locator("#explorador .tabulator-row").first.wait_for()
    assert pagina.locator(".tabulator-cell", has_text="Grupo <img").count() == 1
    pagina.locator(".tabulator-row").first.locator(".tabulator-cell").first.hover()
    globo = pagina.locator(".tabulator-tooltip")
    globo.wait_for()
    assert globo.inner_text() == hostil
    assert pagina.locator("#inyectada").count() == 0
    assert pagina.locator("meta[http-equiv=refresh]").count() == 0
    assert pagina.url == archivo.as_uri()
    contexto.close()
