"""«El mismo informe por la caché o desde cero» (issue de la caché, punto 2).

Con la caché caliente (un informe del libro pequeño ya generado con ella), cada corrección de
una lista (una ejecución, una línea de presupuesto, el área de una unidad, un umbral de los
parámetros, un texto de la narrativa, un cuaderno de sección editado) se genera con la caché
y otra vez sin ella, en la misma carpeta: las dos dan las mismas tablas CSV byte a byte, el
mismo texto del PDF página por página, los mismos valores del anexo (`huella_informes`) y el
mismo manifiesto salvo las horas y los archivos que las llevan; y `informe-poa verificar`
pasa sobre el informe hecho con la caché (con el cuaderno editado, volviendo a ejecutar los
cuadernos). Cada estado se genera una sola vez desde cero (`desde_cero`). Una hoja de
estilos del PDF editada (una plantilla) hace componer otra vez lo que compone, aunque las
secciones salgan de la caché. Una corrida que muere (SIGKILL) mientras escribe en la caché
no la deja a medias: la siguiente da lo mismo que una sin ella; y no deja procesos vivos
(kernels, procesos de ayuda, su servidor de bifurcación)."""
from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import esperas
import fabrica
import nbformat
import psutil
import pytest
import texto_pdf
from huella_informes import diferencias, huella
from test_cache_informe import Anotados
from test_carpeta_informe import esperar_linea

from helpers.informe import generar
from helpers.rutas import CUADERNOS, MANIFIESTO, RAIZ
from helpers.salida.cache_informe import carpeta_cache
from helpers.salida.verificacion import verificar

pytestmark = [pytest.mark.lento, pytest.mark.informe_completo]

# Lo que el manifiesto dice de los archivos del informe que llevan la hora de la corrida (el
# colofón, las propiedades del anexo, los tiempos de papermill en los cuadernos): en ellos,
# la igualdad se mira en su contenido (`huella`), no en sus bytes.
CON_LA_HORA = ("informe.pdf", "informe.html", "informe.docx", "informe-auditoria.html",
               "anexo.xlsx", "notebooks/")
HORAS = ("inicio", "fin", "duracion_segundos")
TEXTO_AGREGADO = "Párrafo agregado al cuaderno por la prueba de la caché."


def _columna(tabla: list[list], nombre: str) -> int:
    return tabla[0].index(nombre)


def _fila(tabla: list[list], columna: str, valor) -> list:
    indice = _columna(tabla, columna)
    return next(fila for fila in tabla[1:] if fila[indice] == valor)


def _una_ejecucion(estado: dict) -> None:
    operaciones = estado["tablas"]["operaciones"]
    fila = _fila(operaciones, "codigo_operacion", operaciones[4][0])
    fila[_columna(operaciones, "ejec_05")] += 1


def _una_linea_de_presupuesto(estado: dict) -> None:
    presupuesto = estado["tablas"]["presupuesto"]
    presupuesto[1][_columna(presupuesto, "dev_05")] += 500


def _el_area_de_una_unidad(estado: dict) -> None:
    # A un área nueva del mismo grupo (las de otro grupo no pueden tener unidades de este).
    unidades = estado["tablas"]["unidades"]
    area = _columna(unidades, "area")
    unidades[2][area] = f"{unidades[2][area]}-2"


def _un_umbral(estado: dict) -> None:
    estado["params"]["metodologia"] = {"umbral_cumple": 75}


def _un_texto_de_la_narrativa(estado: dict) -> None:
    narrativa = estado["tablas"]["narrativa"]
    fila = next(f for f in narrativa[1:] if f[_columna(narrativa, "trimestre")] == 2)
    fila[_columna(narrativa, "texto")] += " Se atendió además a la comunidad de otra ciudad."


def _un_cuaderno_editado(estado: dict) -> None:
    estado["editar_cuaderno"] = True


CORRECCIONES = {
    "una ejecución": _una_ejecucion,
    "una línea de presupuesto": _una_linea_de_presupuesto,
    "el área de una unidad": _el_area_de_una_unidad,
    "un umbral de los parámetros": _un_umbral,
    "un texto de la narrativa": _un_texto_de_la_narrativa,
    "un cuaderno de sección editado": _un_cuaderno_editado,
}
# Las que no tocan cifras: casi todo se toma de la caché.
SIN_CIFRAS = ("un texto de la narrativa", "un cuaderno de sección editado")
# Con ésta, el informe hecho con la caché pasa además `verificar` volviendo a ejecutar sus
# cuadernos: casi todas sus secciones salen de la caché, y la editada tiene que dar en la
# carpeta del informe lo mismo que el cuaderno de la corrección.
REEJECUTADA = "un cuaderno de sección editado"


def _escribir(base: Path, estado: dict) -> tuple[Path, Path]:
    """Escribe el libro, los parámetros y los cuadernos del `estado`; devuelve (parámetros,
    cuadernos)."""
    libro = fabrica.escribir_libro(base / "datos" / fabrica.NOMBRE_LIBRO, estado["tablas"])
    params = fabrica.escribir_params(base / "params" / "prueba-T2.yaml", libro,
                                     salida=str(base / "salida"), **estado["params"])
    cuadernos = base / "cuadernos"
    shutil.rmtree(cuadernos, ignore_errors=True)
    shutil.copytree(CUADERNOS, cuadernos)
    if estado.get("editar_cuaderno"):
        ruta = cuadernos / "trimestral" / "02_acp.ipynb"
        libro_nb = nbformat.read(str(ruta), as_version=4)
        libro_nb.cells.append(nbformat.v4.new_markdown_cell(TEXTO_AGREGADO))
        nbformat.write(libro_nb, str(ruta))
    return params, cuadernos


@pytest.fixture(scope="module")
def desde_cero() -> dict[str, tuple[dict, dict[str, bytes], dict, str]]:
    """Lo que da, sin la caché, el estado de una corrección (su nombre → `_lo_que_da`): la
    prueba de la caché alterada parte del mismo estado que la del texto de la narrativa y
    compara con el mismo informe."""
    return {}


def _lo_que_da(salida: Path) -> tuple[dict, dict[str, bytes], dict, str]:
    """La huella del informe de `salida` con la del libro de datos fuera (el libro se vuelve
    a escribir en cada prueba: openpyxl anota la hora, y su huella, que el colofón cita,
    cambia), los bytes de cada CSV, el manifiesto sin horas y la huella del libro."""
    manifiesto = json.loads((salida / MANIFIESTO).read_text(encoding="utf-8"))
    libro = next(e["sha256"] for e in manifiesto["entradas"] if e["ruta"].endswith(".xlsx"))
    return (huella(salida, {libro: "HUELLA-DEL-LIBRO"}),
            {csv.name: csv.read_bytes() for csv in (salida / "tablas").glob("*.csv")},
            _manifiesto_sin_horas(salida), libro)


def _desde_cero(memo: dict, correccion: str, params: Path, cuadernos: Path, libro: str):
    """`_lo_que_da` el informe de `params` sin la caché, generado (en la carpeta del
    informe) la primera vez que se pide para `correccion`; su manifiesto, como si hubiera
    leído el libro de huella `libro`."""
    if correccion not in memo:
        memo[correccion] = _lo_que_da(generar(params, cuadernos=cuadernos, avisos=Anotados(),
                                              cache=False))
    huella_cero, tablas, manifiesto, libro_cero = memo[correccion]
    return (huella_cero, tablas, json.loads(json.dumps(manifiesto).replace(libro_cero, libro)))


@pytest.fixture(scope="module")
def caliente(tmp_path_factory) -> tuple[Path, dict]:
    """(carpeta base, estado) de un informe del libro pequeño generado con la caché."""
    base = tmp_path_factory.mktemp("igualdad")
    estado = {"tablas": fabrica.tablas_pequenas(), "params": {}}
    params, cuadernos = _escribir(base, estado)
    generar(params, cuadernos=cuadernos, avisos=Anotados(), cache=True)
    return base, estado


def _sin_espacios(texto: str) -> str:
    return "".join(texto.split())


def _texto_del_pdf(carpeta: Path) -> str:
    return _sin_espacios(texto_pdf.texto(carpeta / "informe.pdf"))


def _manifiesto_sin_horas(carpeta: Path) -> dict:
    manifiesto = json.loads((carpeta / MANIFIESTO).read_text(encoding="utf-8"))
    for clave in HORAS:
        manifiesto.pop(clave)
    manifiesto["salidas"] = [
        {**s, "sha256": None, "bytes": None} if s["ruta"].startswith(CON_LA_HORA) else s
        for s in manifiesto["salidas"]]
    return manifiesto


@pytest.mark.parametrize("correccion", CORRECCIONES)
def test_con_la_cache_sale_lo_mismo_que_desde_cero(caliente, desde_cero, correccion):
    base, inicial = caliente
    estado = copy.deepcopy(inicial)
    CORRECCIONES[correccion](estado)
    params, cuadernos = _escribir(base, estado)
    try:
        avisos = Anotados()
        salida = generar(params, cuadernos=cuadernos, avisos=avisos, cache=True)
        # Las secciones tomadas de la caché se vuelven a ejecutar desde la carpeta del
        # informe, como lo haría un auditor (`REEJECUTADA`).
        distintos = [str(v) for v in verificar(salida, cuadernos=correccion == REEJECUTADA)
                     if not v.coincide]
        assert distintos == []
        if estado.get("editar_cuaderno"):
            assert _sin_espacios(TEXTO_AGREGADO) in _texto_del_pdf(salida)
        # Antes de que el informe desde cero, si se genera, lo reemplace en la carpeta.
        de_la_cache, tablas, manifiesto, libro = _lo_que_da(salida)

        huella_cero, tablas_cero, manifiesto_cero = _desde_cero(desde_cero, correccion,
                                                                params, cuadernos, libro)
        assert diferencias(huella_cero, de_la_cache) == []
        assert tablas == tablas_cero
        assert manifiesto == manifiesto_cero
        assert avisos.ejecutadas, "la corrección no hizo ejecutar ninguna sección"
        if correccion in SIN_CIFRAS:
            assert avisos.de_la_cache, "nada se tomó de la caché"
    finally:
        _escribir(base, inicial)


def test_una_cache_alterada_no_cambia_el_informe(caliente, desde_cero):
    """Cada objeto de la caché con un byte cambiado (un disco que falla, alguien que la
    editó): nada se toma de ella y el informe es el mismo que desde cero."""
    base, inicial = caliente
    estado = copy.deepcopy(inicial)
    correccion = "un texto de la narrativa"
    CORRECCIONES[correccion](estado)
    params, cuadernos = _escribir(base, estado)
    try:
        objetos = list(carpeta_cache(base / "salida").glob("objetos/??/*"))
        assert objetos
        for objeto in objetos:
            contenido = bytearray(objeto.read_bytes())
            contenido[-1] ^= 0xFF
            objeto.write_bytes(bytes(contenido))
        avisos = Anotados()
        salida = generar(params, cuadernos=cuadernos, avisos=avisos, cache=True)
        assert avisos.de_la_cache == []
        de_la_cache, tablas, _, libro = _lo_que_da(salida)
        huella_cero, tablas_cero, _ = _desde_cero(desde_cero, correccion, params, cuadernos,
                                                  libro)
        assert diferencias(huella_cero, de_la_cache) == []
        assert tablas == tablas_cero
    finally:
        _escribir(base, inicial)


MARCA_DE_ESTILO = "ESTILO-EDITADO-POR-LA-PRUEBA"


def test_una_hoja_de_estilos_editada_se_compone_otra_vez(caliente, monkeypatch, tmp_path):
    """Una plantilla editada (la hoja de estilos del PDF, con un texto que agrega a cada
    título de sección): lo compuesto con la anterior no sirve y se compone otra vez, aunque
    las secciones salgan de la caché. `forzar`: los archivos del programa no cambiaron, así
    que sin él el informe estaría al día."""
    from helpers.salida import ensamblado

    leer_css = ensamblado.leer_css

    def editada(nombre: str) -> str:
        regla = f'.cuerpo h1::after {{ content: " {MARCA_DE_ESTILO}"; }}'
        return leer_css(nombre) + (regla if nombre == "impresion.css" else "")

    base, estado = caliente
    params, cuadernos = _escribir(base, estado)
    # Con la hoja de antes, todo queda en la caché: las secciones y sus composiciones.
    generar(params, cuadernos=cuadernos, avisos=Anotados(), cache=True, forzar=True)
    monkeypatch.setattr(ensamblado, "leer_css", editada)
    avisos = Anotados()
    salida = generar(params, cuadernos=cuadernos, avisos=avisos, cache=True, forzar=True)
    assert avisos.de_la_cache and not avisos.ejecutadas, "las secciones no cambiaron"
    assert MARCA_DE_ESTILO in _texto_del_pdf(salida)
    de_la_cache = huella(salida)
    generar(params, cuadernos=cuadernos, avisos=Anotados(), cache=False)
    assert diferencias(huella(salida), de_la_cache) == []


def test_sin_cambios_solo_se_compone_lo_que_lleva_la_hora(caliente, monkeypatch,
                                                          composiciones_anotadas):
    """Con todo en la caché, `forzar` vuelve a armar el informe, y WeasyPrint compone sólo
    las partes que cambian con cada corrida: el colofón (lleva la hora), la portada y las
    hojas de la cabecera y el pie. Ninguna sección, tampoco la última (que antes iba con el
    colofón y se componía siempre). Con un núcleo, todo se compone en este proceso."""
    from helpers.comun.nucleos import VARIABLE_NUCLEOS

    compuestas = composiciones_anotadas
    monkeypatch.setenv(VARIABLE_NUCLEOS, "1")
    base, estado = caliente
    params, cuadernos = _escribir(base, estado)
    generar(params, cuadernos=cuadernos, avisos=Anotados(), cache=True, forzar=True)
    compuestas.clear()
    generar(params, cuadernos=cuadernos, avisos=Anotados(), cache=True, forzar=True)
    assert compuestas, "el colofón lleva la hora: se compone en cada corrida"
    assert [t for t in compuestas if 'class="seccion' in t] == []
    assert sum('id="colofon"' in t for t in compuestas) == 1


def _orden(params: Path, *opciones: str) -> list[str]:
    return [sys.executable, "-m", "helpers", "trimestral", str(params), *opciones]


def _con_la_marca(nombre: str, valor: str) -> list[str]:
    """Las líneas de órdenes de los procesos vivos de este usuario cuyo entorno tiene
    `nombre`=`valor`."""
    vivos = []
    for proceso in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):  # ya terminó, o es de otro usuario
            if (proceso.status() != psutil.STATUS_ZOMBIE
                    and proceso.environ().get(nombre) == valor):
                vivos.append(" ".join(proceso.info["cmdline"] or []))
    return vivos


def test_una_corrida_que_muere_no_deja_la_cache_a_medias(tmp_path,
                                                         con_los_nucleos_de_la_maquina):
    """Después de una corrección, una corrida con la caché muere (SIGKILL) durante las
    secciones, y después de otra, una muere durante el ensamblado: cada una dejó en la caché
    lo que alcanzó a escribir, y no quedó ninguno de los procesos que arrancó (los
    reconoce una variable de entorno que heredan). La corrida siguiente termina bien, toma
    algo de la caché y da las mismas tablas y el mismo informe que una sin la caché."""
    estado = {"tablas": fabrica.tablas_pequenas(), "params": {}}
    params, _ = _escribir(tmp_path, estado)
    nombre, valor = "INFORME_POA_PRUEBA_MARCA", uuid.uuid4().hex
    entorno = {**os.environ, "PYTHONUNBUFFERED": "1", nombre: valor}
    primera = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                             env=entorno, check=False)
    assert primera.returncode == 0, primera.stderr
    # Cada etapa avisa al terminar: tras «Datos guardados» corren las secciones; tras
    # «Secciones ejecutadas», el ensamblado.
    for momento, corregir in (("Datos guardados", _una_ejecucion),
                              ("Secciones ejecutadas", _una_linea_de_presupuesto)):
        corregir(estado)
        _escribir(tmp_path, estado)
        proceso = subprocess.Popen(_orden(params), cwd=RAIZ, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=entorno)
        esperar_linea(proceso, momento)
        proceso.send_signal(signal.SIGKILL)
        proceso.wait(timeout=60)
        proceso.stdout.close()
        proceso.stderr.close()
        assert esperas.hasta(lambda: not _con_la_marca(nombre, valor), 60), (
            momento, _con_la_marca(nombre, valor))

    final = subprocess.run(_orden(params, "--detallado"), cwd=RAIZ, capture_output=True,
                           text=True, env=entorno, check=False)
    assert final.returncode == 0, final.stderr
    assert "(de la caché)" in final.stdout, final.stdout
    salida = tmp_path / "salida"
    de_la_cache = huella(salida)
    con_cache = tmp_path / "con-cache"
    shutil.copytree(salida, con_cache)
    desde_cero = subprocess.run(_orden(params, "--sin-cache"), cwd=RAIZ, capture_output=True,
                                text=True, env=entorno, check=False)
    assert desde_cero.returncode == 0, desde_cero.stderr
    assert diferencias(huella(salida), de_la_cache) == []
    for csv in (salida / "tablas").glob("*.csv"):
        assert (con_cache / "tablas" / csv.name).read_bytes() == csv.read_bytes()
