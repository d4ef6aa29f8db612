"""La página de `informe-poa app` en un navegador de verdad: Chromium de la distribución
(/usr/bin/chromium, sin interfaz), manejado con Playwright, contra el servidor arrancado como
lo arranca el planificador (`informe-poa app --carpeta ... --puerto N --sin-navegador`).

Recorre el trimestre sobre una copia de la muestra en una carpeta de trabajo temporal:
revisar un libro roto y ver sus problemas, bajar la copia marcada, subir dos libros seguidos
y revisar el segundo, escribir y bajar los
formularios, generar el informe trimestral y bajar su PDF (con una segunda pestaña que ve la
corrida en curso), abrir el informe desde la lista, comparar una copia de su DOCX con una
cifra cambiada; sin la ficha, el servidor no entrega
nada, y ningún pedido del navegador sale de 127.0.0.1 (el navegador los corta y la prueba
falla). Cada paso deja su imagen en docs/imagenes/pagina-*.png (docs/pagina.md).
"""
from __future__ import annotations

import contextlib
import re
import shutil
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import esperas
import navegador as navegador_
import pytest

pytestmark = [pytest.mark.navegador, pytest.mark.lento]

RAIZ = Path(__file__).resolve().parents[1]
IMAGENES = RAIZ / "docs" / "imagenes"
CHROMIUM = Path("/usr/bin/chromium")
PARAMS = RAIZ / "params" / "2024-T2.yaml"
LIBRO = RAIZ / "data" / "2024" / "poa_2024.xlsx"
# Lo que tarda a lo sumo, en esta máquina de dos núcleos, cada cosa que se espera.
CARGA, INFORME = 120_000, 600_000  # milisegundos
# La ventana: el ancho de las imágenes de docs/pagina.md, y más alta que la página entera.
ANCHO, ALTO = 1100, 5000

if not CHROMIUM.is_file():  # make test lo instala (scripts/instalar_sistema.sh)
    pytest.skip("falta Chromium en /usr/bin/chromium: bash scripts/instalar_sistema.sh",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api")


ROTO = "UNIDAD-QUE-NO-EXISTE"


def _libro_roto(destino: Path, roto: str = ROTO) -> tuple[Path, str]:
    """El libro de la muestra con una unidad que no existe (`roto`) en la primera operación;
    devuelve el libro y el código escrito."""
    from openpyxl import load_workbook

    libro = load_workbook(LIBRO)
    hoja = libro["operaciones"]
    columna = next(c.column for c in hoja[1] if c.value == "codigo_unidad")
    hoja.cell(row=2, column=columna, value=roto)
    libro.save(destino)
    return destino, roto


@pytest.fixture(scope="module")
def espacio(tmp_path_factory) -> Path:
    """La carpeta de trabajo: la muestra como carpeta de entidad (sus parámetros fuera del
    proyecto leen sus rutas desde su propia carpeta) y un libro roto para subir."""
    raiz = tmp_path_factory.mktemp("espacio")
    entidad = raiz / "muestra"
    (entidad / "data" / "2024").mkdir(parents=True)
    shutil.copy(PARAMS, entidad / PARAMS.name)
    shutil.copy(LIBRO, entidad / "data" / "2024" / LIBRO.name)
    return raiz


@pytest.fixture(scope="module")
def servidor(espacio):
    """`informe-poa app` corriendo; devuelve la dirección con la ficha."""
    with navegador_.app(espacio) as direccion:
        yield direccion


@pytest.fixture(scope="module")
def navegador():
    with navegador_.chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def afuera() -> list[str]:
    """Los pedidos del navegador a otra máquina que 127.0.0.1 (cortados)."""
    return []


@pytest.fixture(scope="module")
def contexto(navegador, afuera):
    contexto = navegador.new_context(accept_downloads=True,
                                     viewport={"width": ANCHO, "height": ALTO})

    def solo_local(ruta):
        if urlsplit(ruta.request.url).hostname in ("127.0.0.1", None):
            ruta.continue_()
        else:
            afuera.append(ruta.request.url)
            ruta.abort()

    contexto.route("**/*", solo_local)
    yield contexto
    contexto.close()


@pytest.fixture(scope="module")
def pagina(contexto, servidor):
    pagina = contexto.new_page()
    pagina.set_default_timeout(CARGA)
    pagina.goto(servidor)
    pagina.get_by_text("Entidad abierta: muestra").wait_for()
    return pagina


def _titulo(pagina, texto: str):
    return pagina.get_by_role("heading", name=re.compile(texto))


# Dónde termina lo último que muestra la página (el fondo de la última salida de celda).
_FINAL = ("Math.max(...[...document.querySelectorAll('.jp-OutputArea')]"
          ".map(e => e.getBoundingClientRect().bottom))")


def captura(pagina, desde: str, hasta: str | None, nombre: str) -> Path:
    """La imagen de la página entre el título `desde` y el título `hasta` (o el final), en
    docs/imagenes/`nombre`. La ventana es más alta que la página entera (Voilà desplaza un
    elemento interior, no el documento): lo que se mide es lo que se recorta."""
    arriba = _titulo(pagina, desde).bounding_box()["y"]
    fin = (_titulo(pagina, hasta).bounding_box()["y"] if hasta
           else pagina.evaluate(_FINAL) + 20)
    ruta = IMAGENES / nombre
    imagen = pagina.screenshot(clip={"x": 0, "y": arriba - 10, "width": ANCHO,
                                     "height": fin - arriba})
    # Entera o nada: en paralelo (make test), test_documentacion puede estar leyendo la
    # carpeta; el nombre a medio escribir no termina en .png.
    nueva = ruta.with_name(f".{nombre}.nueva")
    nueva.write_bytes(imagen)
    nueva.replace(ruta)
    return ruta


def test_sin_la_ficha_el_servidor_no_entrega_nada(servidor, espacio):
    base = servidor.split("?")[0]
    for ruta in ("", "voila/static/voila.js", "descargar/muestra/2024-T2.yaml",
                 "api/kernels", "login"):
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(base + ruta, timeout=30)
        assert error.value.code == 403, ruta
        assert "ficha de acceso" in error.value.read().decode("utf-8")
    # Con la ficha, sí: la misma descarga, y nada fuera de la carpeta de trabajo.
    ficha = servidor.split("token=")[1]
    cabecera = {"Authorization": f"token {ficha}"}
    pedido = urllib.request.Request(base + "descargar/muestra/2024-T2.yaml", headers=cabecera)
    with urllib.request.urlopen(pedido, timeout=30) as respuesta:
        assert respuesta.read() == (espacio / "muestra" / "2024-T2.yaml").read_bytes()
        assert respuesta.headers["Content-Disposition"].startswith("attachment;")
    for fuera in ("descargar/..%2F..%2Fetc%2Fpasswd", "descargar/%2Fetc%2Fpasswd"):
        pedido = urllib.request.Request(base + fuera, headers=cabecera)
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(pedido, timeout=30)
        assert error.value.code == 404, fuera


def test_la_pagina_abre_la_entidad(pagina, afuera):
    assert pagina.get_by_role("link", name="2024-T2.yaml").first.is_visible()
    captura(pagina, "1. Entidad", "2. Revisar", "pagina-entidad.png")
    assert afuera == []


def test_la_plantilla_vacia_se_baja_sin_quedar_en_la_carpeta(pagina, espacio, afuera):
    """La plantilla es la de la gestión de la entidad abierta (no la del campo de la entidad
    nueva) y se baja sin dejar un archivo en la carpeta de trabajo."""
    from helpers.entrada.parametros import cargar_parametros

    gestion = cargar_parametros(espacio / "muestra" / PARAMS.name).gestion
    antes = sorted(p.relative_to(espacio) for p in espacio.rglob("*"))
    pagina.get_by_role("button", name="Plantilla vacía del libro").click()
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name=f"plantilla-poa-{gestion}.xlsx").click()
    assert descarga.value.suggested_filename == f"plantilla-poa-{gestion}.xlsx"
    with zipfile.ZipFile(descarga.value.path()) as libro:
        assert "xl/workbook.xml" in libro.namelist()
    assert sorted(p.relative_to(espacio) for p in espacio.rglob("*")) == antes
    assert afuera == []


def test_la_guia_se_abre_en_otra_pestana(pagina, contexto, afuera):
    with contexto.expect_page() as nueva:
        pagina.get_by_role("link", name="Guía de la página").click()
    guia = nueva.value
    guia.wait_for_load_state()
    assert guia.title() == "Guía de la página"
    primera = (RAIZ / "docs" / "pagina.md").read_text(encoding="utf-8").splitlines()[0]
    guia.get_by_role("heading", name=primera.lstrip("# ")).wait_for()
    # Sus imágenes se ven (se cargaron con la ficha, no son un 403 ni un 404).
    # (Se pregunta desde aquí: la guía no deja evaluar guiones dentro de ella, y
    # wait_for_function lo hace.)
    assert esperas.hasta(lambda: guia.evaluate(
        "document.images.length > 0 && [...document.images]"
        ".every(i => i.complete && i.naturalWidth > 0)"), CARGA / 1000), \
        "las imágenes de la guía no se cargaron"
    guia.close()
    assert afuera == []


def test_un_archivo_de_parametros_copiado_aparece_sin_recargar(pagina, espacio, afuera):
    """Un archivo de parámetros copiado a la carpeta de la entidad por fuera de la página
    aparece en los desplegables sin volver a cargarla, y no cambia lo elegido."""
    copiado = espacio / "muestra" / "copiado-desde-afuera.yaml"
    shutil.copy(PARAMS, copiado)
    try:
        desplegable = pagina.get_by_label("Parámetros").first
        pagina.wait_for_function(
            "([el, v]) => [...el.options].some(o => o.textContent === v)",
            arg=[desplegable.element_handle(), f"muestra/{copiado.name}"], timeout=CARGA)
        assert desplegable.evaluate("el => el.selectedOptions[0].textContent") == (
            f"muestra/{PARAMS.name}")
    finally:
        copiado.unlink()
    pagina.wait_for_function(
        "([el, v]) => ![...el.options].some(o => o.textContent === v)",
        arg=[pagina.get_by_label("Parámetros").first.element_handle(),
             f"muestra/{copiado.name}"], timeout=CARGA)
    assert afuera == []


def test_revisar_un_libro_roto_muestra_sus_problemas_y_la_copia_marcada(
        pagina, espacio, tmp_path, afuera):
    libro, roto = _libro_roto(tmp_path / "poa_roto.xlsx")
    with pagina.expect_file_chooser() as elegir:
        pagina.get_by_role("button", name=re.compile(r"Subir un libro")).click()
    elegir.value.set_files(str(libro))
    pagina.get_by_text("Libro guardado como muestra/subidos/poa_roto.xlsx").wait_for()
    pagina.get_by_role("button", name="Revisar el libro").click()
    errores = pagina.locator("table.ipoa-errores")
    errores.get_by_role("cell", name=roto, exact=True).wait_for()
    assert errores.locator("tbody tr").count() >= 1
    # El filtro por texto deja sólo las filas que lo contienen.
    pagina.get_by_placeholder("código, columna, valor…").first.fill(roto)
    pagina.get_by_text(re.compile(r"Errores .*\(1 de \d+\)")).wait_for()
    captura(pagina, "2. Revisar", "3. Formularios", "pagina-revisar.png")
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name=re.compile("Descargar la copia con las celdas")).click()
    copia = Path(descarga.value.path())
    assert descarga.value.suggested_filename == "poa_roto-revisado.xlsx"
    with zipfile.ZipFile(copia) as zip_:
        assert "xl/workbook.xml" in zip_.namelist()
    assert (espacio / "muestra" / "subidos" / "poa_roto-revisado.xlsx").is_file()
    assert afuera == []


def _subir(pagina, libro: Path) -> None:
    with pagina.expect_file_chooser() as elegir:
        pagina.get_by_role("button", name=re.compile(r"Subir un libro")).click()
    elegir.value.set_files(str(libro))
    pagina.get_by_text(f"Libro guardado como muestra/subidos/{libro.name}").wait_for()


def test_dos_subidas_seguidas_revisan_la_segunda(pagina, tmp_path, afuera):
    """Cada subida refresca la lista de libros; el libro elegido sigue siendo el subido."""
    rotos = []
    for nombre in ("primera", "segunda"):
        # Cada código contiene el del libro roto: el filtro que dejó escrito la prueba
        # anterior, si corrió, los deja ver a los dos.
        libro, roto = _libro_roto(tmp_path / f"{nombre}.xlsx", f"{ROTO}-{nombre.upper()}")
        _subir(pagina, libro)
        rotos.append(roto)
    pagina.get_by_role("button", name="Revisar el libro").click()
    pagina.get_by_text(re.compile(r"Revisión de segunda\.xlsx")).wait_for()
    errores = pagina.locator("table.ipoa-errores")
    errores.get_by_role("cell", name=rotos[-1], exact=True).wait_for()
    assert errores.get_by_role("cell", name=rotos[0], exact=True).count() == 0
    assert afuera == []


def test_los_formularios_se_escriben_y_se_bajan_en_un_zip(pagina, espacio, afuera):
    pagina.get_by_role("button", name="Escribir los formularios").click()
    enlace = pagina.get_by_role("link", name="Descargar los formularios (ZIP)")
    enlace.wait_for()
    captura(pagina, "3. Formularios", "4. Parámetros", "pagina-formularios.png")
    with pagina.expect_download() as descarga:
        enlace.click()
    escritos = sorted(p.name for p in (espacio / "muestra" / "formularios-2024-T2").iterdir())
    with zipfile.ZipFile(descarga.value.path()) as zip_:
        assert sorted(zip_.namelist()) == escritos
    assert afuera == []


def test_la_revision_observa_devuelve_y_acepta(pagina, espacio, afuera):
    """El tablero de la revisión, después de recoger los formularios de la muestra (llenos
    con lo del libro): se confirma y reescribe una observación, se devuelven las observadas
    (un ZIP con los formularios marcados) y se acepta una unidad sin observaciones."""
    import pandas as pd

    sys.path.insert(0, str(RAIZ / "scripts"))
    import formularios_llenos

    entidad = espacio / "muestra"
    formularios_llenos.emitidos_y_llenos(entidad / PARAMS.name, entidad / "recibidos-2024-T2")
    pagina.get_by_role("button", name="Recoger en un libro").click()
    pagina.get_by_text(re.compile(r"Ronda 1: \d+ formularios recogidos")).wait_for(
        timeout=INFORME)
    carpeta = entidad / "recogido-2024-T2"
    observaciones = pd.read_csv(carpeta / "observaciones.csv", dtype=str,
                                keep_default_na=False)
    unidad = observaciones["codigo_unidad"].iloc[0]
    panel = pagina.locator(".ipoa-panel-revision")
    panel.get_by_label("Mostrar").select_option(label="Con observaciones por devolver")
    panel.get_by_label("Unidad", exact=True).select_option(unidad)
    panel.locator(".ipoa-estado select").first.wait_for()
    texto = "Revise esta cifra con el acta del mes."
    for _vez in range(3):  # un valor recién escrito puede llegar después del clic
        panel.locator(".ipoa-estado select").first.select_option("confirmada")
        panel.locator(".ipoa-mensaje input").first.fill(texto)
        panel.get_by_role("button", name="Guardar las observaciones").click()
        panel.get_by_text(re.compile("guardadas? en observaciones.csv")).wait_for()
        # El aviso puede ser el de la vuelta anterior: se espera el archivo.
        guardadas = _con_el_mensaje(carpeta / "observaciones.csv", texto)
        if guardadas is not None:
            break
    assert guardadas is not None, "el mensaje no llegó a observaciones.csv"
    assert guardadas.loc[guardadas["mensaje"] == texto, "estado"].tolist() == ["confirmada"]
    panel.screenshot(path=IMAGENES / "pagina-revision.png")

    panel.get_by_role("button", name="Devolver las observadas").click()
    enlace = panel.get_by_role("link", name="Descargar los formularios devueltos (ZIP)")
    enlace.wait_for(timeout=INFORME)
    with pagina.expect_download() as descarga:
        enlace.click()
    with zipfile.ZipFile(descarga.value.path()) as zip_:
        nombres = zip_.namelist()
    assert f"{unidad}.xlsx" in nombres
    assert len(nombres) == observaciones["codigo_unidad"].nunique()

    registro = pd.read_csv(carpeta / "recepcion.csv", dtype=str, keep_default_na=False)
    recibida = registro.loc[registro["revision"] == "recibido", "codigo_unidad"].iloc[0]
    panel.get_by_label("Mostrar").select_option(label="Recibido")
    panel.get_by_label("Unidad", exact=True).select_option(recibida)
    panel.locator(".ipoa-revision td", has_text=recibida).first.wait_for()
    panel.get_by_role("button", name="Aceptar la unidad").click()
    panel.get_by_text(f"{recibida}: recibido → aceptado.").wait_for()
    registro = pd.read_csv(carpeta / "recepcion.csv", dtype=str, keep_default_na=False)
    assert "aceptado" in set(registro.loc[registro["codigo_unidad"] == recibida, "revision"])
    assert set(registro.loc[registro["codigo_unidad"] == unidad, "revision"]) >= {"observado"}
    assert afuera == []


def _con_el_mensaje(ruta: Path, texto: str, segundos: float = 20):
    """Las observaciones de `ruta` cuando alguna tiene el mensaje `texto`; None si no lo
    tienen en `segundos`."""
    import pandas as pd

    def leidas() -> list:  # [la tabla] cuando llegó (una tabla no es verdadera ni falsa)
        with contextlib.suppress(pd.errors.EmptyDataError, pd.errors.ParserError):
            guardadas = pd.read_csv(ruta, dtype=str, keep_default_na=False)
            if texto in set(guardadas["mensaje"]):
                return [guardadas]
        return []

    llegadas = esperas.hasta(leidas, segundos)
    return llegadas[0] if llegadas else None


def _esperar_resumen(pagina, boton: str | None, esperado: str, veces: int = 3) -> None:
    """Espera el resumen `esperado` de la revisión de los parámetros, pulsando antes `boton`
    (si hay) hasta `veces` veces; si no llega, falla con lo que muestra la página.

    Pulsar otra vez no corrige nada: sólo vuelve a preguntar. ipywidgets manda el clic de
    un botón sin esperar (un valor recién escrito puede quedar en cola mientras el kernel
    está ocupado y llegar después del clic); el valor que llega tarde se ve en la pregunta
    siguiente, y uno que no llega nunca hace fallar la prueba."""
    resumen = pagina.get_by_text(esperado)
    veces = veces if boton else 1
    for _vez in range(veces):
        if boton:
            pagina.get_by_role("button", name=boton).click()
        try:
            resumen.wait_for(timeout=CARGA / veces)
            return
        except playwright.TimeoutError:
            pass
    avisos = pagina.locator(".ipoa-aviso").all_inner_texts()
    pytest.fail(f"la página no dijo {esperado!r}; sus avisos: {avisos}")


def test_el_formulario_de_los_parametros_se_llena_y_se_guarda(pagina, espacio, afuera):
    """Un error queda junto a su campo y no se guarda nada; corregido, se guarda sólo la
    línea que cambió y la línea de órdenes lee lo que escribió la página."""
    from helpers.entrada.parametros import cargar_parametros

    archivo = espacio / "muestra" / "2024-T2.yaml"
    antes = archivo.read_text(encoding="utf-8")
    gestion = pagina.get_by_label("Gestión *")
    gestion.fill("dos mil")
    pagina.get_by_role("button", name="Guardar los parámetros").click()
    pagina.get_by_text("'dos mil' no es un número entero").wait_for()
    pagina.get_by_text(re.compile("No se guardó: 1 error")).wait_for()
    assert archivo.read_text(encoding="utf-8") == antes
    captura(pagina, "4. Parámetros", "5. Generar", "pagina-parametros.png")
    gestion.fill("2024")
    pagina.get_by_text("El documento oficial").click()
    # La fecha, como se escribe en Bolivia; un desplegable opcional dice lo que rige.
    emision = cargar_parametros(archivo).identificacion.fecha_emision
    assert pagina.get_by_label("Fecha de emisión").input_value() == f"{emision:%d/%m/%Y}"
    pagina.get_by_label("CITE").fill("UP/INF/0042/2024")
    _esperar_resumen(pagina, "Revisar sin guardar", "Los parámetros no tienen errores.")
    pagina.get_by_role("button", name="Guardar los parámetros").click()
    _esperar_resumen(pagina, None, "Parámetros guardados.")
    despues = archivo.read_text(encoding="utf-8")
    cambiadas = [(a, d) for a, d in zip(antes.splitlines(), despues.splitlines()) if a != d]
    assert len(antes.splitlines()) == len(despues.splitlines())
    assert len(cambiadas) == 1 and "UP/INF/0042/2024" in cambiadas[0][1]
    assert cargar_parametros(archivo).identificacion.cite == "UP/INF/0042/2024"
    assert afuera == []


def test_generar_el_informe_y_bajar_su_pdf(pagina, contexto, servidor, espacio, afuera):
    from helpers.entrada.parametros import cargar_parametros

    pagina.get_by_role("button", name="Generar el informe").click()
    # Otra pestaña, mientras tanto: ve la corrida en curso y no puede empezar otra.
    otra = contexto.new_page()
    otra.set_default_timeout(CARGA)
    otra.goto(servidor)
    otra.get_by_text(re.compile(r"(\d+ de \d+ secciones|Preparando los datos)")).wait_for()
    assert otra.get_by_role("button", name="Generar el informe").is_disabled()
    otra.close()
    pagina.get_by_text("Informe listo en").wait_for(timeout=INFORME)
    assert pagina.get_by_text(re.compile(r"^Alertas:")).first.is_visible()
    captura(pagina, "5. Generar", "6. Informes", "pagina-generar.png")
    with pagina.expect_download() as descarga:
        pagina.get_by_role("link", name="Descargar el PDF").click()
    # Con la sigla y el periodo: varios informes bajados a una carpeta no se confunden.
    parametros = cargar_parametros(espacio / "muestra" / PARAMS.name)
    assert descarga.value.suggested_filename == (
        f"{parametros.entidad.sigla}-{parametros.etiqueta}-informe.pdf")
    pdf = Path(descarga.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert pdf == (espacio / "muestra" / "output" / "2024-T2" / "informe.pdf").read_bytes()
    assert afuera == []


def test_un_informe_generado_se_abre_desde_la_lista(pagina, contexto, espacio, afuera):
    # La lista de informes ya lo muestra, sin «Buscar de nuevo».
    fila = pagina.locator("table.ipoa-informes tbody tr", has_text="muestra/output/2024-T2")
    fila.wait_for()
    pagina.get_by_role("button", name="Verificar").click()
    fila.get_by_text(re.compile("comprobaciones")).wait_for(timeout=INFORME)
    captura(pagina, "6. Informes", "7. Tablero", "pagina-informes.png")
    with contexto.expect_page() as nueva:
        fila.get_by_role("link", name="HTML").click()
    html = nueva.value
    html.wait_for_load_state()
    assert "2024" in html.title()
    html.close()
    # El PDF se abre en el navegador (en línea), no se descarga; Chromium sin interfaz no
    # tiene visor, así que se mira lo que entrega el servidor.
    href = fila.get_by_role("link", name="PDF").get_attribute("href")
    respuesta = contexto.request.get(pagina.url.split("?")[0] + href)
    assert respuesta.ok
    assert respuesta.headers["content-type"] == "application/pdf"
    assert respuesta.headers["content-disposition"].startswith("inline;")
    informe = espacio / "muestra" / "output" / "2024-T2"
    assert respuesta.body() == (informe / "informe.pdf").read_bytes()
    assert afuera == []


def _docx_con_una_cifra_cambiada(origen: Path, destino: Path) -> tuple[Path, str]:
    """La copia de `origen` con la primera cifra del primer cuadro cambiada, como la
    cambiaría la dirección en Word; devuelve la copia y lo que dice ahora."""
    import docx
    from docx.oxml.ns import qn

    documento = docx.Document(str(origen))
    texto = next(documento.tables[0]._tbl.tr_lst[1].tc_lst[1].iter(qn("w:t")))
    texto.text = "99,99 %" if texto.text != "99,99 %" else "98,88 %"
    documento.save(str(destino))
    return destino, texto.text


def test_una_copia_editada_del_docx_se_compara_en_la_pagina(pagina, espacio, tmp_path, afuera):
    """«Comparar una copia editada» sube el informe.docx con una cifra cambiada en Word: la
    página dice esa cifra y nada más, y la copia no queda en la carpeta de trabajo."""
    informe = espacio / "muestra" / "output" / "2024-T2"
    antes = sorted(p.relative_to(espacio) for p in espacio.rglob("*"))
    copia, dice = _docx_con_una_cifra_cambiada(informe / "informe.docx",
                                               tmp_path / "informe-editado.docx")
    with pagina.expect_file_chooser() as elegir:
        pagina.get_by_role("button", name=re.compile(r"Comparar una copia editada")).click()
    elegir.value.set_files(str(copia))
    pagina.get_by_text(re.compile(r"Se compararon .* cifras .*: 1 diferencia\.")).wait_for(
        timeout=CARGA)
    assert pagina.get_by_text(re.compile(f"dice {re.escape(dice)}; los datos dan")).count() == 1
    assert pagina.get_by_text("frente a muestra/output/2024-T2/informe.docx:").count() == 1
    captura(pagina, "6. Informes", "7. Tablero", "pagina-comparar.png")
    assert sorted(p.relative_to(espacio) for p in espacio.rglob("*")) == antes
    assert afuera == []


def _huellas(carpeta: Path) -> dict[str, bytes]:
    return {str(p.relative_to(carpeta)): p.read_bytes() for p in sorted(carpeta.rglob("*"))
            if p.is_file()}


def test_nuevo_trimestre_se_genera_en_su_carpeta_y_sale_en_el_tablero(pagina, espacio,
                                                                     afuera):
    """Del trimestre generado al siguiente sin terminal: «Nuevo trimestre» escribe sus
    parámetros, el informe se genera en su propia carpeta (el anterior no cambia), la lista
    lo muestra sola y su tablero dice cuánto cambió cada cifra respecto del anterior."""
    from helpers.entrada.parametros import cargar_parametros

    entidad = espacio / "muestra"
    actual = cargar_parametros(entidad / PARAMS.name)
    anterior = entidad / "output" / actual.etiqueta
    antes = _huellas(anterior)
    pagina.get_by_role("button", name="Nuevo trimestre").click()
    pagina.get_by_text(re.compile("trimestre escritos en")).wait_for()
    nuevos = sorted(set(entidad.glob("*.yaml")) - {entidad / PARAMS.name})
    assert len(nuevos) == 1
    siguiente = cargar_parametros(nuevos[0])
    assert siguiente.trimestre == actual.trimestre + 1
    assert siguiente.ruta_informe_anterior.resolve() == anterior.resolve()
    pagina.get_by_role("button", name="Generar el informe").click()
    carpeta = entidad / "output" / siguiente.etiqueta
    pagina.get_by_text(f"Informe listo en {carpeta.resolve()}").wait_for(timeout=INFORME)
    assert (carpeta / "informe.pdf").is_file() and carpeta != anterior
    # La lista de informes lo muestra sola, y el informe anterior quedó como estaba.
    pagina.locator("table.ipoa-informes tbody tr",
                   has_text=f"muestra/output/{siguiente.etiqueta}").wait_for()
    assert _huellas(anterior) == antes
    # El tablero del informe nuevo (el primero de su lista) compara con el anterior.
    marco = pagina.frame_locator("iframe.ipoa-tablero")
    marco.locator(".exp-cambio").first.wait_for(timeout=CARGA)
    assert "respecto del informe anterior" in marco.locator(".exp-cambio").first.inner_text()
    captura(pagina, "7. Tablero", None, "pagina-tablero.png")
    assert afuera == []


def test_ningun_pedido_salio_de_127_0_0_1(afuera):
    time.sleep(0)  # lo comprobado en cada prueba, una vez más al final
    assert afuera == []
