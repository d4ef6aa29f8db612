"""La línea de órdenes `informe-poa` (helpers.cli): ayuda en castellano con un ejemplo por
orden, errores de uso con código 2, la plantilla, los informes con su resumen final en los
tres niveles de detalle, JupyterLab y la instalación con `pip install .` en un entorno
nuevo."""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import esperas
import fabrica
import pandas as pd
import pytest

from helpers.calculo.tablas import (
    CLASE_ALERTA,
    CLASE_INFORMACION,
    PRIORIDAD_ALERTAS,
    TIPO_NO_APLICA,
    alertas_principales,
)
from helpers.cli import ERROR_DE_ENTRADA, main, principal
from helpers.consola import (
    DETALLADO,
    NORMAL,
    SILENCIOSO,
    AvisosDeConsola,
    inerte,
    resumen,
)
from helpers.rutas import RAIZ

INFORME_POA = Path(sys.executable).parent / "informe-poa"
ORDENES = ["nuevo", "plantilla", "validar", "formularios", "recoger", "devolver", "aceptar",
           "trimestral", "anual", "formulacion", "inicial", "objetivos", "lote", "verificar", "app",
           "lab"]
# Lo que Click escribiría en inglés si una orden se saltara la ayuda en castellano.
INGLES = ("Usage:", "Options:", "Commands:", "Show this message", "Error: ", "Try '",
          "[required]")


def _orden(*argumentos: str, **opciones) -> subprocess.CompletedProcess:
    return subprocess.run([str(INFORME_POA), *argumentos], capture_output=True, text=True,
                          cwd=opciones.pop("cwd", RAIZ), timeout=opciones.pop("timeout", 120),
                          **opciones)


# --------------------------------------------------------------------------------------
# Ayuda y errores de uso


def test_la_ayuda_lista_las_ordenes_en_castellano():
    resultado = _orden("--help")
    assert resultado.returncode == 0, resultado.stderr
    for orden in ORDENES:
        assert re.search(rf"^\s+{orden}\s+\S", resultado.stdout, re.MULTILINE), orden
    assert "Uso: informe-poa" in resultado.stdout and "Órdenes:" in resultado.stdout
    assert not [marca for marca in INGLES if marca in resultado.stdout]


def test_las_ordenes_del_grupo_son_las_documentadas():
    """Las que se ven en la ayuda; las ocultas son la que arranca el servidor residente (la
    da una orden de informe) y la corrida de la página (la da el botón «Generar»): no las da
    quien usa el programa."""
    visibles = [nombre for nombre, orden in principal.commands.items() if not orden.hidden]
    assert visibles == ORDENES
    assert sorted(n for n, o in principal.commands.items() if o.hidden) == [
        "corrida-de-pagina", "servidor-residente"]


@pytest.mark.parametrize("orden", ORDENES)
def test_cada_orden_tiene_su_ayuda_con_un_ejemplo(orden, capsys):
    assert main([orden, "--help"]) == 0
    ayuda = capsys.readouterr().out
    assert f"Uso: informe-poa {orden}" in ayuda
    assert re.search(rf"Ejemplos?:\s+informe-poa {orden}\b", ayuda), ayuda
    assert not [marca for marca in INGLES if marca in ayuda]


def test_python_m_helpers_es_la_misma_orden():
    resultado = subprocess.run([sys.executable, "-m", "helpers", "--help"], capture_output=True,
                               text=True, cwd=RAIZ, timeout=60)
    assert resultado.returncode == 0
    assert resultado.stdout == _orden("--help").stdout


@pytest.mark.parametrize("argumentos, dice", [
    (["informar"], "no existe la orden «informar»"),
    (["trimestral"], "falta PARAMS"),
    (["trimestral", "--rapido", "x.yaml"], "no existe la opción --rapido"),
    (["trimestral", "--trabajos", "cero", "x.yaml"], "«cero»: debe ser un número entero"),
    (["plantilla", "a.xlsx", "b.xlsx"], "sobran argumentos"),
    (["nuevo", "/tmp/x", "--sigla", "XYZ"], "falta entidad"),
    (["nuevo", "/tmp/x", "--entidad", "E", "--sigla", "XYZ", "--gestion", "dos mil"],
     "«dos mil»: debe ser un año"),
])
def test_un_error_de_uso_se_explica_en_castellano_con_codigo_2(argumentos, dice, capsys):
    assert main(argumentos) == ERROR_DE_ENTRADA
    salida = capsys.readouterr()
    assert dice in salida.err and "Traceback" not in salida.err + salida.out
    assert not [marca for marca in INGLES if marca in salida.err]


def test_un_archivo_de_parametros_que_no_existe_es_error_de_entrada(tmp_path, capsys):
    assert main(["trimestral", str(tmp_path / "no-existe.yaml")]) == ERROR_DE_ENTRADA
    salida = capsys.readouterr()
    assert "no-existe.yaml" in salida.err and "Traceback" not in salida.err


@pytest.mark.parametrize("opciones", [(), ("--sin-cache",)], ids=["con-cache", "sin-cache"])
def test_un_libro_que_falta_es_error_de_entrada_con_y_sin_cache(tmp_path, opciones):
    """La orden de verdad (`informe-poa`, que con la caché pregunta por el servidor residente
    y toma las huellas de las entradas): código 2 y el mensaje que nombra el archivo, no 1 y
    «No se pudo leer o escribir»; ni una traza, tampoco de un hilo."""
    falta = tmp_path / "datos" / "poa_que_falta.xlsx"
    params = fabrica.escribir_params(tmp_path / "p.yaml", falta,
                                     salida=str(tmp_path / "salida"))
    resultado = _orden("trimestral", str(params), *opciones)
    assert resultado.returncode == ERROR_DE_ENTRADA, resultado.stderr
    assert f"no existe el archivo o la carpeta de datos {falta}" in resultado.stderr
    assert "No se pudo leer o escribir" not in resultado.stderr
    assert "Traceback" not in resultado.stdout + resultado.stderr
    assert not (tmp_path / "salida").exists()


@pytest.mark.parametrize("nombre", [None, "parametros.yaml"])
def test_un_libro_en_lugar_de_los_parametros_dice_la_orden_que_sirve(libro_pequeno, nombre,
                                                                     tmp_path, capsys):
    """El libro pasado donde van los parámetros (también con su nombre: se reconoce por su
    contenido, y se pide darle el de un libro) dice qué se esperaba y la orden para
    revisarlo, con código 2."""
    libro = revisar = libro_pequeno
    if nombre is not None:
        libro = tmp_path / nombre
        shutil.copy(libro_pequeno, libro)
        revisar = libro.with_suffix(".xlsx")
    assert main(["trimestral", str(libro)]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert f"informe-poa validar {revisar.resolve()}" in error
    assert "archivo .yaml de sus parámetros" in error and "clave datos" in error
    assert "Traceback" not in error and "UTF-8" not in error


def test_parametros_de_otro_tipo_de_informe_no_generan_nada(params_pequeno, capsys):
    assert main(["anual", str(params_pequeno)]) == ERROR_DE_ENTRADA
    assert "informe: anual" in capsys.readouterr().err
    assert not (params_pequeno.parent.parent / "salida").exists()


def test_verificar_una_carpeta_que_no_es_un_informe(tmp_path, capsys):
    assert main(["verificar", str(tmp_path)]) == ERROR_DE_ENTRADA
    assert "no es la carpeta de un informe" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# La carpeta de una entidad nueva

_ENTIDAD = ["--entidad", "Servicio Departamental de Caminos Vecinales", "--sigla", "SEDCAV",
            "--gestion", "2025"]


def test_nuevo_escribe_la_carpeta_y_dice_el_paso_siguiente(tmp_path, capsys):
    from helpers.entrada.entidad_nueva import LEEME, nombre_del_libro

    carpeta = tmp_path / "POA2025"
    assert main(["nuevo", str(carpeta), *_ENTIDAD]) == 0
    salida = capsys.readouterr()
    nombres = sorted(p.name for p in carpeta.iterdir())
    assert nombre_del_libro(2025) in nombres and LEEME in nombres
    assert all(nombre in salida.out for nombre in nombres)
    assert f"informe-poa validar {carpeta}" in salida.out and salida.err == ""


def test_nuevo_no_escribe_dentro_del_proyecto(capsys):
    carpeta = RAIZ / "output" / "entidad-de-prueba"
    assert main(["nuevo", str(carpeta), *_ENTIDAD]) == ERROR_DE_ENTRADA
    error = capsys.readouterr().err
    assert "dentro de la carpeta del proyecto" in error and "Traceback" not in error
    assert not carpeta.exists()


def test_nuevo_no_escribe_en_una_carpeta_con_algo(tmp_path):
    """Con el ejecutable de verdad: código 2 y el mensaje en la salida de errores."""
    (tmp_path / "poa.xlsx").write_bytes(b"libro del planificador")
    resultado = _orden("nuevo", str(tmp_path), *_ENTIDAD, cwd=tmp_path)
    assert resultado.returncode == ERROR_DE_ENTRADA
    assert "ya tiene archivos" in resultado.stderr and "Traceback" not in resultado.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["poa.xlsx"]


def test_nuevo_sin_permiso_de_escritura_es_una_falla(tmp_path, monkeypatch, capsys):
    """El sistema no deja escribir: código 1 (no es un error de los datos) y nada a medias."""
    from helpers.cli import FALLA
    from helpers.entrada import entidad_nueva

    def sin_permiso(ruta, **_):
        raise PermissionError(13, "Permiso denegado", str(ruta))

    monkeypatch.setattr(entidad_nueva, "escribir_plantilla", sin_permiso)
    assert main(["nuevo", str(tmp_path / "POA"), *_ENTIDAD]) == FALLA
    assert "No se pudo escribir" in capsys.readouterr().err
    assert not (tmp_path / "POA").exists()


# --------------------------------------------------------------------------------------
# La plantilla


def test_plantilla_escribe_el_libro_y_no_reemplaza_uno_existente(tmp_path, capsys):
    from helpers.entrada.contrato import HOJAS

    ruta = tmp_path / "poa_2025.xlsx"
    assert main(["plantilla", str(ruta)]) == 0
    assert "informe-poa validar" in capsys.readouterr().out
    from openpyxl import load_workbook

    assert set(HOJAS) <= set(load_workbook(ruta).sheetnames)
    antes = ruta.read_bytes()
    assert main(["plantilla", str(ruta)]) == ERROR_DE_ENTRADA
    assert "ya existe" in capsys.readouterr().err
    assert ruta.read_bytes() == antes


@pytest.mark.parametrize("nombre, dice", [
    ("poa.txt", "tiene otra extensión"),
    ("falta/poa.xlsx", "No existe la carpeta"),
])
def test_plantilla_con_una_ruta_que_no_sirve_es_error_de_entrada(tmp_path, nombre, dice, capsys):
    assert main(["plantilla", str(tmp_path / nombre)]) == ERROR_DE_ENTRADA
    salida = capsys.readouterr()
    assert dice in salida.err and "Traceback" not in salida.err
    assert not list(tmp_path.rglob("*.*"))


def test_validar_la_plantilla_sin_llenar_advierte_de_sus_filas_de_ejemplo(tmp_path, capsys):
    """La plantilla tal como sale es un libro válido (sus filas de ejemplo lo son), pero la
    revisión dice que esas filas siguen ahí, en la hoja y la fila de cada una."""
    from helpers.entrada.contrato import HOJAS

    ruta = tmp_path / "poa.xlsx"
    assert main(["plantilla", str(ruta)]) == 0
    capsys.readouterr()
    assert main(["validar", str(ruta)]) == 0
    salida = capsys.readouterr().out
    assert salida.count("fila de ejemplo de la plantilla") == len(HOJAS)


# --------------------------------------------------------------------------------------
# El resumen final


def _alertas(filas: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"tipo": tipo, "clase": clase, "codigo": f"C{i}", "nombre": f"N{i}",
          "detalle": f"detalle {i}", "valor": valor}
         for i, (tipo, clase, valor) in enumerate(filas)]
    )


def test_las_alertas_principales_siguen_la_prioridad_y_el_valor_mas_bajo():
    # Una de cada tipo, en orden inverso al de prioridad, dos del primero y una información.
    tipos = [f"{t} Regular" if t.endswith("grado") else t for t in PRIORIDAD_ALERTAS]
    filas = [(t, CLASE_ALERTA, float(i)) for i, t in enumerate(reversed(tipos))]
    filas += [(tipos[0], CLASE_ALERTA, -1.0), (TIPO_NO_APLICA, CLASE_INFORMACION, -5.0)]
    principales = alertas_principales(_alertas(filas), n=len(tipos) + 1)
    assert list(principales["tipo"]) == [tipos[0], *tipos]
    primeras = principales[principales["tipo"] == tipos[0]]["valor"]
    assert list(primeras) == sorted(primeras)
    assert TIPO_NO_APLICA not in set(alertas_principales(_alertas(filas), n=99)["tipo"])


def test_el_resumen_dice_donde_cuanto_tardo_y_las_alertas(tmp_path):
    (tmp_path / "tablas").mkdir()
    for nombre in ("informe.pdf", "informe.html", "anexo.xlsx"):
        (tmp_path / nombre).write_bytes(b"")
    filas = [(t, CLASE_ALERTA, float(i)) for i, t in enumerate(PRIORIDAD_ALERTAS)]
    _alertas(filas).to_csv(tmp_path / "tablas" / "alertas.csv", index=False)
    lineas = resumen(tmp_path, 83.4)
    assert lineas[0] == f"Informe listo en {tmp_path} (1 min 23 s)."
    assert f"Alertas: {len(filas)} " in "\n".join(lineas)
    principales = alertas_principales(_alertas(filas))
    assert [linea.strip() for linea in lineas[-len(principales):]] == [
        f"- {f.tipo}: {f.codigo} {f.nombre} — {f.detalle}" for f in principales.itertuples()
    ]


def _avisos_de_una_corrida(avisos) -> None:
    """Los avisos que da el ejecutor en una corrida, en su orden: etapas que terminan con su
    tiempo, una que empieza antes de terminar, las secciones y el final."""
    avisos.etapa("Datos válidos: libro.xlsx", 0.6)
    avisos.secciones(2)
    avisos.seccion(1, 2, "Memoria de cálculo", 2.4)
    avisos.seccion(2, 2, "Portada", 1.5)
    avisos.etapa("Secciones ejecutadas: 2", 3.9)
    avisos.empieza("Ensamblando HTML y PDF")
    avisos.etapa("HTML y PDF ensamblados", 9.5)
    avisos.listo(Path("salida"), 14.0)


@pytest.mark.parametrize("nivel", [SILENCIOSO, NORMAL, DETALLADO])
def test_cada_etapa_una_linea_con_su_tiempo_solo_en_el_detallado(nivel):
    """Una línea por etapa terminada (la que empieza no deja la suya), con su propio tiempo
    sólo en el modo detallado; «Informe listo» lo dice el resumen, no los avisos."""
    import io

    from rich.console import Console

    texto = io.StringIO()
    with AvisosDeConsola(nivel, Console(file=texto, width=200)) as avisos:
        _avisos_de_una_corrida(avisos)
    lineas = texto.getvalue().splitlines()
    if nivel == SILENCIOSO:
        assert lineas == []
        return
    etapas = [linea for linea in lineas if not linea.startswith(" ")]
    nombres = [re.sub(r" \(\d+\.\d s\)$", "", linea) for linea in etapas]
    assert nombres == ["Datos válidos: libro.xlsx", "Secciones ejecutadas: 2",
                       "HTML y PDF ensamblados"]
    con_tiempo = [linea for linea in etapas if re.search(r" \(\d+\.\d s\)$", linea)]
    assert con_tiempo == (etapas if nivel == DETALLADO else [])
    if nivel == DETALLADO:
        assert etapas[-1] == "HTML y PDF ensamblados (9.5 s)"
    secciones = [linea.strip() for linea in lineas if linea.startswith(" ")]
    assert [linea.split("]")[0] for linea in secciones] == ["[1/2", "[2/2"]


def test_el_texto_de_los_datos_no_controla_la_terminal():
    hostil = "Unidad \x1b[2J\x1b[31m[bold]roja[/bold]\x07"
    limpio = inerte(hostil)
    assert "\x1b" not in limpio and "\x07" not in limpio
    assert "\\[bold]" in limpio  # la marca de rich queda escapada: se muestra tal cual


# --------------------------------------------------------------------------------------
# Los informes, de punta a punta


@pytest.mark.lento
def test_trimestral_genera_el_informe_y_termina_con_el_resumen(params_pequeno):
    """Cada nivel de detalle, en la misma carpeta: el primero (--detallado) lo genera entero;
    los otros dos lo generan otra vez (--forzar) con las secciones de la caché, que en el
    nivel normal se listan igual."""
    for nivel in ("--detallado", None, "--silencioso"):
        opciones = [nivel] if nivel == "--detallado" else [*([nivel] if nivel else []), "--forzar"]
        resultado = _orden("trimestral", str(params_pequeno), *opciones, timeout=600)
        assert resultado.returncode == 0, resultado.stderr
        _comprobar_el_resumen(resultado.stdout, params_pequeno.parent.parent / "salida", nivel)


def _comprobar_el_resumen(escrito: str, salida: Path, nivel: str | None) -> None:
    assert (salida / "informe.pdf").is_file()
    lineas = escrito.strip().splitlines()
    assert any(linea.startswith(f"Informe listo en {salida}") for linea in lineas)
    if nivel == "--silencioso":
        assert len(lineas) == 1 and lineas[0].startswith(f"Informe listo en {salida}")
        return
    alertas = pd.read_csv(salida / "tablas" / "alertas.csv")
    cuantas = int((alertas["clase"] == CLASE_ALERTA).sum())
    assert f"Alertas: {cuantas} " in escrito
    for fila in alertas_principales(alertas).itertuples():
        assert f"{fila.tipo}: {fila.codigo}" in escrito
    secciones = [linea for linea in lineas if re.match(r"\s+\[\d+/\d+\]", linea)]
    assert secciones, escrito
    con_tiempo = [linea for linea in secciones if re.search(r"\(\d+\.\d s\)$", linea)]
    assert con_tiempo == (secciones if nivel == "--detallado" else [])
    # Las secciones, en el orden del informe; cada etapa, una línea (con su tiempo sólo en
    # el detallado); «Informe listo», una vez.
    posiciones = [int(re.match(r"\s+\[(\d+)/", linea).group(1)) for linea in secciones]
    assert posiciones == list(range(1, len(secciones) + 1))
    assert sum(linea.startswith("Informe listo") for linea in lineas) == 1
    etapas = lineas[:lineas.index(next(x for x in lineas if x.startswith("Informe listo")))]
    etapas = [linea for linea in etapas if not linea.startswith(" ")]
    assert len(set(etapas)) == len(etapas), escrito
    con_tiempo = [linea for linea in etapas if re.search(r" \(\d+\.\d s\)$", linea)]
    assert con_tiempo == (etapas if nivel == "--detallado" else []), escrito


# --------------------------------------------------------------------------------------
# JupyterLab


def _kernel_nuevo(direccion: str) -> str | None:
    """Pide un kernel al JupyterLab de `direccion` (la que imprime, con su ficha) y devuelve
    su identificador; None si el servidor todavía no atiende (imprime la dirección un
    momento antes de escuchar en ella)."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    partes = urllib.parse.urlsplit(direccion)
    ficha = urllib.parse.parse_qs(partes.query)["token"][0]
    pedido = urllib.request.Request(f"http://127.0.0.1:{partes.port}/api/kernels",
                                    data=b"{}", method="POST",
                                    headers={"Authorization": f"token {ficha}"})
    try:
        with urllib.request.urlopen(pedido, timeout=60) as respuesta:
            return json.load(respuesta)["id"]
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError):
            return None
        raise


def _lo_que_oye_cada_uno(conexion: dict) -> tuple[str, int]:
    """Con el kernel de `conexion` publicando la salida de una celda: lo que recibe por su
    canal de salidas (iopub) un cliente con las claves de su archivo de conexión, y cuántos
    mensajes recibe en el mismo canal, a la vez, un suscriptor sin claves (otro usuario de
    la máquina, que ve el puerto pero no el archivo)."""
    import zmq
    from jupyter_client.blocking import BlockingKernelClient

    contexto = zmq.Context()
    ajeno = contexto.socket(zmq.SUB)
    ajeno.setsockopt(zmq.SUBSCRIBE, b"")
    ajeno.setsockopt(zmq.LINGER, 0)
    ajeno.connect(f"{conexion['transport']}://{conexion['ip']}:{conexion['iopub_port']}")
    time.sleep(0.5)  # que se suscriba antes de que el kernel publique
    cliente = BlockingKernelClient()
    cliente.load_connection_info(conexion)
    cliente.start_channels(hb=False)
    textos: list[str] = []
    try:
        cliente.wait_for_ready(timeout=60)
        cliente.execute_interactive(
            "print('SALIDA-DE-LA-CELDA')", timeout=60,
            output_hook=lambda m: textos.append(m["content"].get("text", "")))
        oidos = 0
        while ajeno.poll(1000):
            ajeno.recv_multipart()
            oidos += 1
    finally:
        cliente.stop_channels()
        ajeno.close()
        contexto.term()
    return "".join(textos), oidos


@pytest.mark.lento
def test_lab_abre_jupyterlab_en_la_carpeta_de_los_cuadernos(tmp_path):
    """El servidor es el mismo proceso que `informe-poa lab`: detenerlo con una señal (como
    un gestor de procesos) no deja un JupyterLab huérfano escuchando, ni sus kernels. Los
    kernels hablan con él cifrados (CurveZMQ): su archivo de conexión lleva las claves, y
    por el puerto en que un kernel publica lo que calcula cada celda, quien tiene las claves
    lo lee y quien no las tiene no recibe nada."""
    import json

    import psutil

    entorno = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
               "JUPYTER_CONFIG_DIR": str(tmp_path / "config")}
    proceso = subprocess.Popen([str(INFORME_POA), "lab", "--sin-navegador"], cwd=tmp_path,
                               env=entorno, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    leido = []
    descendientes = []
    conexion = {}
    try:
        limite = time.monotonic() + 120
        while time.monotonic() < limite:
            linea = proceso.stdout.readline()
            if not linea:
                break
            leido.append(linea)
            if direccion := re.search(r"http://(localhost|127\.0\.0\.1):\d+/lab\S*", linea):
                servidor = psutil.Process(proceso.pid)
                assert "jupyterlab" in servidor.cmdline()
                pedir = functools.partial(_kernel_nuevo, direccion.group(0))
                kernel = esperas.hasta(pedir, 60)
                assert kernel, "JupyterLab no atendió en su dirección"
                archivo = tmp_path / "runtime" / f"kernel-{kernel}.json"
                conexion = json.loads(archivo.read_text(encoding="utf-8"))
                oido_con_claves, oidos_sin_claves = _lo_que_oye_cada_uno(conexion)
                descendientes = servidor.children(recursive=True)
                break
    finally:
        proceso.terminate()
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proceso.kill()
    texto = "".join(leido)
    assert re.search(r"http://(localhost|127\.0\.0\.1):\d+/lab", texto), texto
    assert str(RAIZ / "notebooks") in texto
    assert conexion.get("curve_publickey") and conexion.get("curve_secretkey"), conexion.keys()
    assert "SALIDA-DE-LA-CELDA" in oido_con_claves
    assert oidos_sin_claves == 0
    assert descendientes, "el kernel es un proceso hijo del servidor"
    _, vivos = psutil.wait_procs(descendientes, timeout=30)
    assert not vivos, vivos


@pytest.mark.parametrize("con_hijo", [False, True])
def test_terminar_sale_con_su_codigo_y_la_salida_escrita(con_hijo):
    """`terminar` sale con el código dado y lo escrito llega entero. Sin procesos hijos vivos
    no desarma el intérprete (las funciones de `atexit` no corren); con uno vivo (un clúster
    que se cierra al salir), sale como siempre y sí corren."""
    orden = (
        "import atexit, subprocess, sys\n"
        "from helpers.cli import terminar\n"
        "atexit.register(lambda: print('desarmado', end=''))\n"
        f"hijo = subprocess.Popen(['sleep', '30']) if {con_hijo} else None\n"
        "atexit.register(lambda: hijo and hijo.kill())\n"
        "print('escrito' * 10000, end='')\n"
        "print('y en stderr', file=sys.stderr, end='')\n"
        "terminar(3)\n"
    )
    resultado = subprocess.run([sys.executable, "-c", orden], capture_output=True, text=True,
                               timeout=60)
    assert resultado.returncode == 3
    assert resultado.stderr == "y en stderr"
    assert resultado.stdout == "escrito" * 10000 + ("desarmado" if con_hijo else "")
