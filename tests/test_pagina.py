"""La página de `informe-poa app` sin navegador (helpers.pagina): la carpeta de trabajo y lo
que sale de ella, las subidas, las descargas, la corrida en otro proceso, la tabla de
problemas, la lista de informes y los pasos manejados como los maneja la página. Las pruebas
en Chromium están en tests/test_pagina_navegador.py."""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from helpers.entrada.errores import Celda, Problema, Revision
from helpers.pagina import corrida, descargas, problemas
from helpers.pagina.espacio import (
    LIMITE_LIBRO,
    Espacio,
    FueraDelEspacio,
    SubidaNoValida,
    guardar_subida,
    nombre_seguro,
)
from helpers.pagina.paso_generar import alertas_primero
from helpers.pagina.servidor import PuertoOcupado, puerto_libre


def _xlsx() -> bytes:
    from openpyxl import Workbook

    salida = BytesIO()
    Workbook().save(salida)
    return salida.getvalue()


# ------------------------------------------------------------------ la carpeta de trabajo

def test_una_ruta_que_sale_de_la_carpeta_de_trabajo_se_rechaza(tmp_path):
    espacio = Espacio.en(tmp_path / "trabajo")
    (tmp_path / "trabajo" / "entidad").mkdir(parents=True)
    (tmp_path / "secreto.txt").write_text("no")
    (tmp_path / "trabajo" / "atajo").symlink_to(tmp_path)
    assert espacio.ruta("entidad") == espacio.raiz / "entidad"
    assert espacio.ruta("") == espacio.raiz
    for fuera in ("../secreto.txt", "/etc/passwd", "entidad/../../secreto.txt",
                  "atajo/secreto.txt", "a\x00b"):
        with pytest.raises(FueraDelEspacio):
            espacio.ruta(fuera)


def test_las_entidades_son_las_carpetas_con_parametros(tmp_path):
    (tmp_path / "POA" / "informes").mkdir(parents=True)
    (tmp_path / "POA" / "2025-T1.yaml").write_text("entidad: {nombre: X, sigla: X}\n"
                                                   "gestion: 2025\n")
    (tmp_path / "otra").mkdir()
    (tmp_path / "otra" / "cualquiera.yaml").write_text("clave: valor\n")
    (tmp_path / ".oculta").mkdir()
    (tmp_path / ".oculta" / "p.yaml").write_text("entidad: x\ngestion: 2025\n")
    assert Espacio.en(tmp_path).entidades() == [Espacio.en(tmp_path).raiz / "POA"]


@pytest.mark.parametrize("nombre, seguro", [
    ("poa_2025.xlsx", "poa_2025.xlsx"),
    ("../../etc/poa.xlsx", "poa.xlsx"),
    ("C:\\Users\\ana\\Mi POA (final).xlsx", "Mi POA (final).xlsx"),
    (".oculto.xlsx", "oculto.xlsx"),
    ("a<b>|c\n.xlsx", "a_b_c.xlsx"),
    ("CON.xlsx", "_CON.xlsx"),
    ("Gestión Año.xlsx", "Gestión Año.xlsx"),
    ("....xlsx", "archivo.xlsx"),
])
def test_el_nombre_de_un_archivo_subido_queda_saneado(nombre, seguro):
    assert nombre_seguro(nombre) == seguro


def test_nombre_seguro_acorta_los_nombres_largos():
    assert len(nombre_seguro("x" * 500 + ".xlsx")) <= 100
    assert nombre_seguro("x" * 500 + ".xlsx").endswith(".xlsx")


def test_una_subida_se_guarda_sin_reemplazar_otra(tmp_path):
    contenido = _xlsx()
    primero = guardar_subida(tmp_path / "subidos", "../poa.xlsx", contenido)
    segundo = guardar_subida(tmp_path / "subidos", "poa.xlsx", contenido)
    assert (primero.name, segundo.name) == ("poa.xlsx", "poa-2.xlsx")
    assert primero.parent == segundo.parent == tmp_path / "subidos"
    assert primero.read_bytes() == contenido


@pytest.mark.parametrize("nombre, contenido, motivo", [
    ("poa.exe", b"MZ", "no es un libro de Excel (.xlsx)"),
    ("poa.xlsx", b"no soy un zip", "aunque su nombre termine en .xlsx"),
    ("poa.xlsx", b"PK\x03\x04" + b"0" * 10, "aunque su nombre termine en .xlsx"),
])
def test_una_subida_que_no_es_un_libro_se_rechaza(tmp_path, nombre, contenido, motivo):
    with pytest.raises(SubidaNoValida, match=motivo.replace("(", r"\(").replace(")", r"\)")):
        guardar_subida(tmp_path, nombre, contenido)
    assert not any(tmp_path.iterdir())


def test_una_subida_demasiado_grande_se_rechaza_con_su_peso(tmp_path):
    with pytest.raises(SubidaNoValida, match=r"pesa 0,1 MB, más que el límite de 0,0 MB"):
        guardar_subida(tmp_path, "poa.xlsx", b"0" * 100_000, limite=1000)
    assert LIMITE_LIBRO > len(_xlsx())


# ------------------------------------------------------------------ descargas

def test_los_enlaces_codifican_cada_parte_de_la_ruta():
    assert descargas.enlace(descargas.DESCARGAR, "mi entidad/poa #1.xlsx") == \
        "descargar/mi%20entidad/poa%20%231.xlsx"


def test_la_disposicion_lleva_el_nombre_en_ascii_y_en_utf8():
    cabecera = descargas.disposicion("attachment", 'Año "1".xlsx')
    assert cabecera == ("attachment; filename=\"A_o _1_.xlsx\"; "
                        "filename*=UTF-8''A%C3%B1o%20%221%22.xlsx")


def test_el_zip_de_una_carpeta_no_lleva_ocultos_ni_enlaces(tmp_path):
    carpeta = tmp_path / "informe"
    (carpeta / "tablas").mkdir(parents=True)
    (carpeta / "informe.pdf").write_bytes(b"%PDF")
    (carpeta / "tablas" / "acp.csv").write_text("a\n")
    (carpeta / ".informe-poa").write_text("{}")
    (tmp_path / "ajeno.txt").write_text("ajeno")
    (carpeta / "enlace.txt").symlink_to(tmp_path / "ajeno.txt")
    with zipfile.ZipFile(descargas.comprimir(carpeta, tmp_path / "x.zip")) as zip_:
        assert sorted(zip_.namelist()) == ["informe.pdf", "tablas/acp.csv"]


# ------------------------------------------------------------------ servidor

def test_un_puerto_ocupado_se_dice_sin_probar_otro():
    with socket.socket() as ocupado:
        ocupado.bind(("127.0.0.1", 0))
        ocupado.listen()
        puerto = ocupado.getsockname()[1]
        with pytest.raises(PuertoOcupado, match=f"el puerto {puerto} está ocupado"):
            puerto_libre(puerto)
    assert puerto_libre(None) > 0


# ------------------------------------------------------------------ la corrida

def _params(tmp_path: Path) -> Path:
    from tests.fabrica import escribir_libro_pequeno, escribir_params

    libro = escribir_libro_pequeno(tmp_path / "poa.xlsx")
    return escribir_params(tmp_path / "p.yaml", libro)


def test_una_corrida_viva_impide_empezar_otra(tmp_path):
    import psutil

    params = _params(tmp_path)
    salida = corrida.salida_de(params)
    archivo = corrida.archivo_de_estado(salida)
    archivo.parent.mkdir(parents=True, exist_ok=True)
    # Este mismo proceso hace de corrida en curso.
    viva = corrida.Estado(str(params), str(salida), os.getpid(),
                          psutil.Process().create_time())
    corrida.escribir(archivo, viva)
    with pytest.raises(corrida.CorridaEnCurso, match="Ya se está generando"):
        corrida.empezar(params)
    assert corrida.estado_de(params).en_curso_de_verdad()


def test_una_corrida_cuyo_proceso_murio_queda_interrumpida(tmp_path):
    params = _params(tmp_path)
    salida = corrida.salida_de(params)
    archivo = corrida.archivo_de_estado(salida)
    archivo.parent.mkdir(parents=True, exist_ok=True)
    muerta = corrida.Estado(str(params), str(salida), os.getpid(), nacido=0.0)
    corrida.escribir(archivo, muerta)
    estado = corrida.estado_de(params)
    assert estado.estado == corrida.INTERRUMPIDA
    assert "terminó sin decir cómo" in estado.mensaje
    assert json.loads(archivo.read_text())["estado"] == corrida.CORRIENDO


def test_una_corrida_vieja_no_pisa_el_estado_de_la_nueva(tmp_path):
    """La corrida cuya orden murió la cierra el servidor después: lo que escribe entonces no
    reemplaza el estado de la corrida que la página lanzó mientras tanto."""
    archivo = tmp_path / "estado.json"
    vieja = corrida.Estado("p.yaml", "salida", 11, 100.0)
    nueva = corrida.Estado("p.yaml", "salida", 12, 200.0, etapas=["Datos válidos"])
    corrida.escribir(archivo, nueva)
    corrida.AvisosDePagina(archivo, vieja).etapa("Datos guardados")
    vieja.estado, vieja.codigo = corrida.INTERRUMPIDA, 130
    corrida.escribir(archivo, vieja, si_es_suyo=True)
    assert corrida.leer(archivo) == nueva
    corrida.AvisosDePagina(archivo, nueva).etapa("Datos guardados")
    assert corrida.leer(archivo).etapas == ["Datos válidos", "Datos guardados"]


def test_los_avisos_del_ejecutor_quedan_en_el_archivo(tmp_path):
    archivo = tmp_path / "estado.json"
    estado = corrida.Estado("p.yaml", "salida", 1, 0.0)
    avisos = corrida.AvisosDePagina(archivo, estado)
    avisos.etapa("Datos válidos: poa.xlsx", 0.5)
    avisos.secciones(3)
    avisos.seccion(1, 3, "Memoria de cálculo", 2.04)
    leido = corrida.leer(archivo)
    assert leido.etapas == ["Datos válidos: poa.xlsx"]
    assert (leido.total, leido.hechas, leido.secciones) == (3, 1, [[1, "Memoria de cálculo", 2.0]])


def test_el_resumen_muestra_las_alertas_primero():
    resumen = ["Informe listo en x (1 s).", "  Para leer: informe.pdf",
               "  Alertas: 2 (sección «Alertas» del informe): a: 2. Las que más piden atención:",
               "    - a: X — y"]
    assert alertas_primero(resumen) == [resumen[2], resumen[3], resumen[0], resumen[1]]
    assert alertas_primero(resumen[:2]) == resumen[:2]


# ------------------------------------------------------------------ la tabla de problemas

def _revision() -> Revision:
    error = Problema("poa.xlsx", "operaciones", 5, "codigo_unidad", "'XX' no existe")
    otro = Problema("poa.xlsx", "acp", 3, "meta", "debe ser un número")
    aviso = Problema("poa.xlsx", "operaciones", 9, "ejec_05", "ejecutado sin programación")
    revision = Revision([error, otro], [aviso], Path("poa.xlsx"), None, None)
    revision.celdas = {error: Celda("E", "XX"), otro: Celda("C", "<b>mucho</b>")}
    return revision


def test_la_tabla_de_problemas_separa_errores_y_advertencias():
    tabla = problemas.tabla(_revision())
    assert list(tabla["clase"]) == ["error", "error", "advertencia"]
    assert list(tabla["columna"]) == ["E (codigo_unidad)", "C (meta)", "ejec_05"]
    assert list(tabla["valor"]) == ["XX", "<b>mucho</b>", ""]


def test_la_tabla_de_problemas_se_filtra_y_se_ordena():
    tabla = problemas.tabla(_revision())
    errores = tabla[tabla["clase"] == "error"]
    assert list(problemas.filtrar(errores)["hoja"]) == ["acp", "operaciones"]
    assert list(problemas.filtrar(errores, hoja="operaciones")["valor"]) == ["XX"]
    assert list(problemas.filtrar(errores, texto="NÚMERO".lower())["hoja"]) == ["acp"]
    assert list(problemas.filtrar(errores, orden="Valor")["valor"]) == ["<b>mucho</b>", "XX"]
    assert problemas.hojas(errores) == [problemas.TODAS, "acp", "operaciones"]


def test_el_texto_del_libro_se_lee_tal_cual_en_la_tabla():
    html = problemas.tabla_html(problemas.tabla(_revision()), "x")
    assert "<b>mucho</b>" not in html
    assert "&lt;b&gt;mucho&lt;/b&gt;" in html


# ------------------------------------------------------------------ los pasos

def test_crear_una_entidad_desde_la_pagina_y_subir_un_libro(tmp_path):
    from helpers.pagina.app import Pagina

    pagina = Pagina(Espacio.en(tmp_path))
    pagina.entidad.carpeta.value = "POA"
    pagina.entidad.nombre.value = "Entidad de prueba"
    pagina.entidad.sigla.value = "EP"
    pagina.entidad.gestion.value = 2025
    pagina.entidad.crear.click()
    assert pagina.sesion.entidad == "POA"
    assert pagina.sesion.parametros == "POA/2025-T1.yaml"
    assert pagina.sesion.libro == "POA/poa_2025.xlsx"
    assert 'href="descargar/POA/poa_2025.xlsx"' in pagina.entidad.salida.value
    # Lo que no es un libro no se guarda, y la página dice por qué.
    pagina.libro.subir.value = ({"name": "virus.exe", "type": "", "size": 2,
                                 "content": memoryview(b"MZ"),
                                 "last_modified": dt.datetime.now()},)
    assert "no es un libro de Excel" in pagina.libro.salida.value
    assert not (tmp_path / "POA" / "subidos").exists()
    pagina.libro.subir.value = ({"name": "../lleno.xlsx", "type": "", "size": 1,
                                 "content": memoryview(_xlsx()),
                                 "last_modified": dt.datetime.now()},)
    assert pagina.sesion.libro == "POA/subidos/lleno.xlsx"


def test_una_carpeta_fuera_de_la_de_trabajo_no_se_crea(tmp_path):
    from helpers.pagina.app import Pagina

    (tmp_path / "trabajo").mkdir()
    pagina = Pagina(Espacio.en(tmp_path / "trabajo"))
    pagina.entidad.carpeta.value = "../afuera"
    pagina.entidad.nombre.value = "X"
    pagina.entidad.sigla.value = "X"
    pagina.entidad.crear.click()
    assert "no está dentro de la carpeta de trabajo" in pagina.entidad.salida.value
    assert not (tmp_path / "afuera").exists()


# ------------------------------------------------------------------ el formulario de parámetros

def _paso_parametros(tmp_path: Path):
    import shutil

    from helpers.pagina.paso_parametros import PasoParametros
    from helpers.pagina.piezas import Sesion
    from helpers.rutas import RAIZ

    (tmp_path / "entidad").mkdir()
    archivo = tmp_path / "entidad" / "2024-T2.yaml"
    shutil.copy(RAIZ / "params" / "2024-T2.yaml", archivo)
    sesion = Sesion(Espacio.en(tmp_path))
    paso = PasoParametros(sesion)
    sesion.parametros = "entidad/2024-T2.yaml"
    return paso, archivo


def test_abrir_y_guardar_los_parametros_sin_cambios_deja_el_archivo_igual(tmp_path):
    paso, archivo = _paso_parametros(tmp_path)
    antes = archivo.read_bytes()
    assert paso.controles and paso.cambios() == {}
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value
    assert archivo.read_bytes() == antes


def test_un_error_del_formulario_va_junto_a_su_campo_y_no_se_guarda(tmp_path):
    paso, archivo = _paso_parametros(tmp_path)
    antes = archivo.read_bytes()
    paso.controles["gestion"].entrada.value = "dos mil"
    paso.controles["metodologia.umbral_cumple"].entrada.value = "150"
    paso.guardar.click()
    assert "No se guardó: 2 errores" in paso.salida.value
    assert "&#x27;dos mil&#x27; no es un número entero" in paso.controles["gestion"].problemas.value
    assert paso.controles["metodologia.umbral_cumple"].problemas.value
    assert paso.controles["entidad.nombre"].problemas.value == ""
    assert archivo.read_bytes() == antes


def test_un_cambio_del_formulario_cambia_solo_su_linea(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    paso, archivo = _paso_parametros(tmp_path)
    antes = archivo.read_text(encoding="utf-8").splitlines()
    paso.controles["metodologia.umbral_cumple"].entrada.value = "62,5"
    paso.controles["identificacion.firmas"].quitar(paso.controles["identificacion.firmas"]
                                                   .filas[-1][0])
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value
    parametros = cargar_parametros(archivo)
    assert parametros.metodologia.umbral_cumple == 62.5
    assert len(parametros.identificacion.firmas) == 1
    despues = archivo.read_text(encoding="utf-8").splitlines()
    assert len(antes) - len(despues) == 1
    assert [linea for linea in despues if linea not in antes] == ["  umbral_cumple: 62.5"]


def test_lo_guardado_es_el_punto_de_partida_del_cambio_siguiente(tmp_path):
    """Guardar no vuelve a armar el formulario: los mismos controles, sin cambios pendientes,
    y un segundo cambio se escribe sobre lo que dejó el primero."""
    from helpers.entrada.parametros import cargar_parametros

    paso, archivo = _paso_parametros(tmp_path)
    umbral = paso.controles["metodologia.umbral_cumple"]
    umbral.entrada.value = "62,5"
    paso.guardar.click()
    assert paso.controles["metodologia.umbral_cumple"] is umbral
    assert paso.cambios() == {}
    paso.controles["identificacion.cite"].entrada.value = "UP/INF/0042/2024"
    assert list(paso.cambios()) == ["identificacion.cite"]
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value
    parametros = cargar_parametros(archivo)
    assert parametros.metodologia.umbral_cumple == 62.5
    assert parametros.identificacion.cite == "UP/INF/0042/2024"


def test_recoger_sin_formularios_devueltos_lo_dice_y_muestra_el_registro(tmp_path):
    import shutil

    from helpers.pagina.app import Pagina
    from helpers.rutas import RAIZ

    entidad = tmp_path / "muestra"
    (entidad / "data" / "2024").mkdir(parents=True)
    shutil.copy(RAIZ / "params" / "2024-T2.yaml", entidad / "2024-T2.yaml")
    shutil.copy(RAIZ / "data" / "2024" / "poa_2024.xlsx", entidad / "data" / "2024")
    pagina = Pagina(Espacio.en(tmp_path))
    assert pagina.sesion.parametros == "muestra/2024-T2.yaml"  # la única entidad, abierta
    pagina.formularios.recoger.click()
    assert "Ningún formulario cuenta" in pagina.formularios.salida.value
    assert "<th>Unidad</th>" in pagina.formularios.registro.value
    assert (entidad / "recibidos-2024-T2").is_dir()
    assert not (entidad / "recogido-2024-T2").exists()


def test_informe_poa_app_dice_en_castellano_lo_que_no_puede(tmp_path, capsys):
    from helpers.cli import main

    assert main(["app", "--carpeta", str(tmp_path / "no-existe")]) == 2
    assert "No existe la carpeta" in capsys.readouterr().err
    assert main(["app", "--puerto", "70000"]) == 2
    assert "debe ser un número de puerto" in capsys.readouterr().err
    assert main(["app", "--carpeta", "/"]) == 2
    assert "raíz del sistema de archivos" in capsys.readouterr().err
    with socket.socket() as ocupado:
        ocupado.bind(("127.0.0.1", 0))
        ocupado.listen()
        puerto = ocupado.getsockname()[1]
        assert main(["app", "--carpeta", str(tmp_path), "--puerto", str(puerto),
                     "--sin-navegador"]) == 1
    assert f"el puerto {puerto} está ocupado" in capsys.readouterr().err


def test_unos_parametros_que_escriben_fuera_de_la_carpeta_no_se_generan(tmp_path):
    from helpers.pagina.app import Pagina
    from tests.fabrica import escribir_libro_pequeno, escribir_params

    entidad = tmp_path / "trabajo" / "entidad"
    entidad.mkdir(parents=True)
    libro = escribir_libro_pequeno(entidad / "poa.xlsx")
    escribir_params(entidad / "p.yaml", libro, salida=str(tmp_path / "afuera"))
    pagina = Pagina(Espacio.en(tmp_path / "trabajo"))
    assert pagina.sesion.parametros == "entidad/p.yaml"
    pagina.generar.generar.click()
    assert "la carpeta del informe (salida)" in pagina.generar.salida.value
    assert "está fuera de la carpeta de trabajo" in pagina.generar.salida.value
    assert not (tmp_path / "afuera").exists()


# ------------------------------------------------------------------ la lista de informes

def _informe(carpeta: Path, trimestre: int, fin: str) -> Path:
    """Una carpeta de informe como la deja el ejecutor (su marca y su manifiesto), sin más."""
    from helpers.rutas import MANIFIESTO
    from helpers.salida.carpeta_informe import MARCA
    from tests.fabrica import PARAMS_BASE

    carpeta.mkdir(parents=True)
    (carpeta / MARCA).write_text("")
    parametros = {**PARAMS_BASE, "trimestre": trimestre}
    (carpeta / MANIFIESTO).write_text(json.dumps({"parametros": parametros, "fin": fin}),
                                      encoding="utf-8")
    return carpeta


def test_un_informe_que_no_se_puede_leer_no_rompe_la_pagina(tmp_path):
    from helpers.pagina.app import Pagina
    from helpers.redaccion.identidad import periodo_del_titulo
    from tests.fabrica import PARAMS_BASE

    _informe(tmp_path / "bueno", 2, "2025-03-01T10:00:00+00:00")
    _informe(tmp_path / "raro", 9, "2025-03-02T10:00:00+00:00")
    (tmp_path / "roto").mkdir()
    _informe(tmp_path / "roto" / "x", 2, "")
    (tmp_path / "roto" / "x" / "manifiesto.json").write_text("{no es json")
    pagina = Pagina(Espacio.en(tmp_path))
    from helpers.pagina.informes import ILEGIBLE

    cuadro = pagina.informes.cuadro.value
    filas = cuadro.split("<tr")[2:]
    assert len(filas) == 3
    bueno = periodo_del_titulo(PARAMS_BASE["gestion"], 2, PARAMS_BASE["informe"])
    assert bueno in filas[0] and ">bueno<" in filas[0]
    assert all(ILEGIBLE in fila for fila in filas[1:])
    assert any(">raro<" in fila for fila in filas[1:])
    assert any("no es JSON" in fila for fila in filas[1:])
    # Sólo el que se lee se ofrece para verificar.
    assert [v for _, v in pagina.informes.elegido.options] == ["bueno"]


def test_fechas_con_y_sin_zona_horaria_se_ordenan_juntas(tmp_path):
    from helpers.pagina.app import Pagina

    antes = dt.datetime(2025, 3, 1, 10, 0)
    _informe(tmp_path / "sin-zona", 1, antes.isoformat())
    despues = (antes + dt.timedelta(days=1)).astimezone(dt.UTC)
    _informe(tmp_path / "con-zona", 1, despues.isoformat())
    pagina = Pagina(Espacio.en(tmp_path))
    assert [i.relativa for i in pagina.informes.lista] == ["con-zona", "sin-zona"]
    assert antes.strftime("%d/%m/%Y %H:%M") in pagina.informes.cuadro.value


# ------------------------------------------------------------------ nada sale por un enlace

def _muestra(raiz: Path) -> Path:
    """La carpeta de la muestra (sus parámetros y su libro) como entidad dentro de `raiz`."""
    import shutil

    from helpers.rutas import RAIZ

    entidad = raiz / "muestra"
    (entidad / "data" / "2024").mkdir(parents=True)
    shutil.copy(RAIZ / "params" / "2024-T2.yaml", entidad / "2024-T2.yaml")
    shutil.copy(RAIZ / "data" / "2024" / "poa_2024.xlsx", entidad / "data" / "2024")
    return entidad


def _subida(nombre: str) -> dict:
    return {"name": nombre, "type": "", "size": 1, "content": memoryview(_xlsx()),
            "last_modified": dt.datetime.now()}


def _subir_libro(pagina):
    pagina.libro.subir.value = (_subida("lleno.xlsx"),)
    return pagina.libro.salida


def _subir_formulario(pagina):
    pagina.formularios.subir.value = (_subida("DGRM.xlsx"),)
    return pagina.formularios.salida


def _pulsar(paso: str, boton: str):
    def pulsar(pagina):
        getattr(getattr(pagina, paso), boton).click()
        return getattr(pagina, paso).salida
    return pulsar


# (el enlace dentro de la carpeta de la entidad, adónde lleva dentro de la carpeta de afuera
# —ella misma, un archivo que no existe todavía o uno que existe—, lo que hace la página)
_ANTERIOR = "poa-2024-T2-recogido.xlsx"
_POR_ENLACES = {
    "subidos": ("subidos", "", _subir_libro),
    "recibidos": ("recibidos-2024-T2", "", _subir_formulario),
    "recogido": ("recogido-2024-T2", "", _pulsar("formularios", "recoger")),
    "formularios": ("formularios-2024-T2", "", _pulsar("formularios", "escribir")),
    "copia revisada": ("data/2024/poa_2024-revisado.xlsx", "nuevo.xlsx",
                       _pulsar("libro", "revisar")),
    "un devuelto": ("recibidos-2024-T2/DGRM.xlsx", _ANTERIOR,
                    _pulsar("formularios", "recoger")),
}


@pytest.mark.parametrize("caso", list(_POR_ENLACES))
def test_la_pagina_no_escribe_fuera_por_un_enlace(tmp_path, caso):
    from helpers.pagina.app import Pagina

    nombre, destino, accion = _POR_ENLACES[caso]
    entidad = _muestra(tmp_path / "trabajo")
    afuera = tmp_path / "afuera"
    afuera.mkdir()
    anterior = afuera / _ANTERIOR
    anterior.write_bytes(b"de otro")
    (entidad / nombre).parent.mkdir(exist_ok=True)
    (entidad / nombre).symlink_to(afuera / destino)
    pagina = Pagina(Espacio.en(tmp_path / "trabajo"))
    salida = accion(pagina).value
    assert list(afuera.iterdir()) == [anterior]
    assert anterior.read_bytes() == b"de otro"
    assert "no está dentro de la carpeta de trabajo" in salida
    assert f"«muestra/{nombre}" in salida and "enlace simbólico" in salida


def test_recoger_no_escribe_fuera_por_un_enlace_junto_al_libro_recogido(tmp_path):
    """Un recepcion.csv (o una copia marcada) en recogido- que es un enlace hacia afuera: con
    un formulario que cuenta, recoger lo escribiría a través del enlace."""
    from test_recoger import _llenar, _params, _recibir

    from helpers.formularios.carpetas import carpetas
    from helpers.formularios.envio import formularios_de
    from helpers.pagina.app import Pagina
    from tests.fabrica import escribir_libro_pequeno

    entidad = tmp_path / "trabajo" / "entidad"
    params = _params(entidad, escribir_libro_pequeno(entidad / "poa.xlsx"))
    emitidos, recibidos, recogido = carpetas(entidad, params)
    devuelto = _recibir(formularios_de(params, emitidos)[0][0], recibidos)
    _llenar(devuelto, 1)
    afuera = tmp_path / "afuera"
    afuera.mkdir()
    ajeno = afuera / "ajeno.csv"
    ajeno.write_bytes(b"de otro")
    recogido.parent.mkdir(parents=True, exist_ok=True)
    recogido.parent.joinpath("recepcion.csv").symlink_to(ajeno)
    pagina = Pagina(Espacio.en(tmp_path / "trabajo"))
    pagina.formularios.recoger.click()
    salida = pagina.formularios.salida.value
    assert ajeno.read_bytes() == b"de otro"
    assert not recogido.exists()
    assert "no está dentro de la carpeta de trabajo" in salida
    assert f"«entidad/{recogido.parent.name}/recepcion.csv»" in salida


@pytest.mark.parametrize("gestion", [2024, "dos mil"])
def test_revisar_con_su_libro_no_lee_un_libro_de_afuera(tmp_path, gestion):
    """Ni con parámetros válidos ni con errores (la revisión lee el libro igual)."""
    from helpers.pagina.app import Pagina
    from tests.fabrica import escribir_libro_pequeno, escribir_params

    libro = escribir_libro_pequeno(tmp_path / "afuera" / "poa.xlsx")
    escribir_params(tmp_path / "trabajo" / "entidad" / "p.yaml", libro, gestion=gestion)
    pagina = Pagina(Espacio.en(tmp_path / "trabajo"))
    assert pagina.sesion.parametros == "entidad/p.yaml"
    pagina.parametros.con_libro.click()
    salida = pagina.parametros.salida.value
    assert "No se revisaron los parámetros" in salida
    assert f"el libro de los parámetros (datos) «{libro}» no está dentro" in salida


def test_dos_subidas_seguidas_revisan_la_segunda(tmp_path):
    """Refrescar las opciones del desplegable de libros no cambia el libro elegido."""
    from helpers.pagina.app import Pagina

    _muestra(tmp_path)
    pagina = Pagina(Espacio.en(tmp_path))
    subidos = []
    for nombre in ("primero.xlsx", "segundo.xlsx"):
        pagina.libro.subir.value = (_subida(nombre),)
        subidos.append(f"muestra/subidos/{nombre}")
        assert pagina.sesion.libro == pagina.libro.libros.value == subidos[-1]
    pagina.libro.revisar.click()
    assert "Revisión de segundo.xlsx" in pagina.libro.salida.value
    # Elegir otro en el desplegable sí lo cambia.
    pagina.libro.libros.value = subidos[0]
    assert pagina.sesion.libro == subidos[0]


# ------------------------------------------------------------------ el servidor

@pytest.fixture
def servidor(tmp_path):
    """`informe-poa app` sobre una carpeta de trabajo con un archivo: (puerto, ficha)."""
    import re
    import subprocess
    import sys

    (tmp_path / "hola.txt").write_text("hola")
    puerto = puerto_libre(None)
    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers", "app", "--carpeta", str(tmp_path), "--puerto",
         str(puerto), "--sin-navegador"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        linea = proceso.stdout.readline()
        ficha = re.search(r"\?token=(\S+)", linea)
        assert ficha, f"informe-poa app no mostró su dirección: {linea!r}"
        yield puerto, ficha.group(1)
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


def _pedir(puerto: int, ruta: str, anfitrion: str, ficha: str,
           websocket: bool = False) -> tuple[int, str]:
    import base64
    import http.client

    cabeceras = {"Host": anfitrion, "Authorization": f"token {ficha}"}
    if websocket:
        cabeceras |= {"Upgrade": "websocket", "Connection": "Upgrade",
                      "Sec-WebSocket-Version": "13",
                      "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
    conexion = http.client.HTTPConnection("127.0.0.1", puerto, timeout=30)
    try:
        conexion.request("GET", "/" + ruta, headers=cabeceras)
        respuesta = conexion.getresponse()
        return respuesta.status, respuesta.read().decode("utf-8", "replace")
    finally:
        conexion.close()


def test_la_cabecera_host_se_comprueba_en_todas_las_rutas(servidor):
    """Con otro nombre que 127.0.0.1 o localhost (DNS rebinding), 403 en la página, los
    estáticos, la API, el websocket del kernel y las descargas, aunque lleve la ficha."""
    import uuid

    puerto, ficha = servidor
    websocket = f"api/kernels/{uuid.uuid4()}/channels"
    rutas = [("", False), ("voila/static/voila.js", False), ("api/kernels", False),
             ("descargar/hola.txt", False), (websocket, True)]
    for ruta, es_websocket in rutas:
        estado, cuerpo = _pedir(puerto, ruta, f"atacante.example:{puerto}", ficha, es_websocket)
        assert estado == 403 and "Dirección no admitida" in cuerpo, ruta
    # Con su nombre, las mismas rutas responden (sin pedir la página: arrancaría un kernel).
    for anfitrion in (f"127.0.0.1:{puerto}", f"localhost:{puerto}"):
        for ruta, es_websocket in rutas[1:]:
            estado, cuerpo = _pedir(puerto, ruta, anfitrion, ficha, es_websocket)
            assert estado != 403, (anfitrion, ruta, cuerpo)
    assert _pedir(puerto, "descargar/hola.txt", f"127.0.0.1:{puerto}", ficha) == (200, "hola")
