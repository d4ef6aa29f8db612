"""Ejecutar cuadernos uno tras otro en un mismo kernel (`helpers.ejecucion`): papermill y un
kernel de Jupyter de verdad, con cuadernos pequeños."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import nbformat
import pytest
from jupyter_client.blocking import BlockingKernelClient

from helpers.ejecucion import (
    FalloDeSeccion,
    KernelCaido,
    Procesos,
    abrir_kernel,
    cliente_listo,
    ejecutar_en,
    importados,
    precargar,
)


def _cuaderno(ruta, *fuentes: str):
    libro = nbformat.v4.new_notebook()
    libro.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    parametros = nbformat.v4.new_code_cell("informe = None")
    parametros.metadata["tags"] = ["parameters"]
    libro.cells = [parametros, *(nbformat.v4.new_code_cell(f) for f in fuentes)]
    nbformat.write(libro, str(ruta))
    return ruta


def _salidas(ruta) -> list[str]:
    libro = nbformat.read(str(ruta), as_version=4)
    return [o.get("text", "") for c in libro.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if o.get("output_type") == "stream"]


@pytest.fixture
def kernel(tmp_path):
    km = abrir_kernel(tmp_path)
    yield km
    if km.has_kernel:
        km.shutdown_kernel(now=True)


def test_un_cliente_y_una_espera_por_kernel(kernel, tmp_path, monkeypatch):
    """Cada cuaderno empieza sin las variables del anterior y ve los parámetros que se le
    inyectan, y el kernel espera a quedar listo una sola vez, no una por cuaderno."""
    esperas = []
    original = BlockingKernelClient.wait_for_ready

    def contando(self, timeout=None):
        esperas.append(self)
        return original(self, timeout=timeout)

    monkeypatch.setattr(BlockingKernelClient, "wait_for_ready", contando)
    primero = _cuaderno(tmp_path / "a.ipynb", "resto = 41", "print(informe, resto + 1)")
    segundo = _cuaderno(tmp_path / "b.ipynb", "print(informe, 'resto' in dir())")
    for i, fuente in enumerate([primero, segundo, primero]):
        ejecutar_en(kernel, fuente, tmp_path / f"hecho-{i}.ipynb", {"informe": f"p{i}"})

    assert _salidas(tmp_path / "hecho-0.ipynb") == ["p0 42\n"]
    assert _salidas(tmp_path / "hecho-1.ipynb") == ["p1 False\n"]
    assert _salidas(tmp_path / "hecho-2.ipynb") == ["p2 42\n"]
    assert len(esperas) == 1
    cliente = kernel.client()
    assert esperas == [cliente] and cliente.channels_running

    kernel.shutdown_kernel(now=True)
    assert not cliente.channels_running


def test_despues_de_un_fallo_el_kernel_sigue_sirviendo(kernel, tmp_path):
    roto = _cuaderno(tmp_path / "roto.ipynb", "x = 1", "raise ValueError('dato malo')")
    sano = _cuaderno(tmp_path / "sano.ipynb", "print('x' in dir(), informe)")
    with pytest.raises(FalloDeSeccion, match="ValueError: dato malo"):
        ejecutar_en(kernel, roto, tmp_path / "roto-hecho.ipynb", {"informe": "r"})
    ejecutar_en(kernel, sano, tmp_path / "sano-hecho.ipynb", {"informe": "s"})
    assert _salidas(tmp_path / "sano-hecho.ipynb") == ["False s\n"]


def test_un_cliente_cerrado_se_reemplaza(kernel, tmp_path):
    """Si alguien cierra los canales del cliente (nbclient lo hace al recibir una señal),
    el kernel da otro en vez de intentar reabrir el cerrado."""
    cuaderno = _cuaderno(tmp_path / "c.ipynb", "print(informe)")
    ejecutar_en(kernel, cuaderno, tmp_path / "c1.ipynb", {"informe": "uno"})
    viejo = kernel.client()
    viejo.stop_channels()
    ejecutar_en(kernel, cuaderno, tmp_path / "c2.ipynb", {"informe": "dos"})
    assert kernel.client() is not viejo
    assert _salidas(tmp_path / "c2.ipynb") == ["dos\n"]


def test_importados_lista_los_modulos_de_los_cuadernos(tmp_path):
    """Los módulos que importan las celdas de código, en orden y sin repetir (de ``from a
    import b``, también ``a.b``, por si es un módulo); no cuentan las importaciones relativas
    ni una celda que no es Python (una orden mágica)."""
    uno = _cuaderno(tmp_path / "uno.ipynb", "import json\nfrom os import path",
                    "%matplotlib inline\nimport no_cuenta", "import json, xml.dom as dom")
    dos = _cuaderno(tmp_path / "dos.ipynb", "from . import relativo\nfrom colorsys import *",
                    "def f():\n    import textwrap\n    return textwrap",
                    "from xml.dom import minidom, Node")
    assert importados([uno, dos]) == ["json", "os", "os.path", "xml.dom", "colorsys",
                                      "textwrap", "xml.dom.minidom", "xml.dom.Node"]


def test_precargar_importa_sin_tocar_el_espacio_de_nombres(kernel, tmp_path):
    """Después de `precargar`, el kernel tiene los módulos importados (también con uno que no
    existe en la lista) y ningún nombre nuevo: el cuaderno que sigue no ve nada de ella."""
    # Los nombres del cuaderno, salvo las entradas numeradas del historial (_i1, _i2...).
    nombres = "print(sorted(n for n in dir() if not n.lstrip('_i').isdigit()))"
    antes = _cuaderno(tmp_path / "antes.ipynb", "import sys", nombres)
    ejecutar_en(kernel, antes, tmp_path / "antes-hecho.ipynb", {"informe": "a"})
    # De un `from xml.dom import minidom, Node`: el submódulo se carga y Node (una clase) se
    # salta, como un módulo que no existe.
    precargar(kernel, ["modulo_que_no_existe", "colorsys", "xml.dom", "xml.dom.minidom",
                       "xml.dom.Node"])
    despues = _cuaderno(
        tmp_path / "despues.ipynb",
        "import sys\nprint('colorsys' in sys.modules, 'xml.dom.minidom' in sys.modules)",
        nombres,
    )
    ejecutar_en(kernel, despues, tmp_path / "despues-hecho.ipynb", {"informe": "a"})
    [nombres_antes] = _salidas(tmp_path / "antes-hecho.ipynb")
    cargados, nombres_despues = _salidas(tmp_path / "despues-hecho.ipynb")
    assert cargados.strip() == "True True"
    assert nombres_despues == nombres_antes
    assert "_precargar" not in nombres_despues and "sys" in nombres_despues


def test_precargar_sin_esperar_deja_los_modulos_para_lo_que_sigue(tmp_path):
    """Encargado sin esperar apenas se abre el kernel (todavía arrancando), vuelve enseguida;
    el cuaderno que sigue ya encuentra los módulos importados, sin nombres nuevos, y su
    ejecución no se confunde con la respuesta del encargo."""
    km = abrir_kernel(tmp_path)
    try:
        precargar(km, ["colorsys", "modulo_que_no_existe"], esperar=False)
        cuaderno = _cuaderno(
            tmp_path / "sigue.ipynb",
            "import sys\nprint('colorsys' in sys.modules)",
            "print(sorted(n for n in dir() if 'precargar' in n))",
        )
        ejecutar_en(km, cuaderno, tmp_path / "sigue-hecho.ipynb", {"informe": "a"})
        assert [s.strip() for s in _salidas(tmp_path / "sigue-hecho.ipynb")] == ["True", "[]"]
    finally:
        km.shutdown_kernel(now=True)


def test_el_cuaderno_ejecutado_anota_solo_nombres(kernel, tmp_path):
    """El cuaderno se escribe una vez, al final, con sus salidas y con los nombres (no las
    rutas de esta máquina) de la fuente y del destino en la anotación de papermill."""
    fuente = _cuaderno(tmp_path / "fuente.ipynb", "print(informe)")
    destino = tmp_path / "sub" / "hecho.ipynb"
    destino.parent.mkdir()
    ejecutar_en(kernel, fuente, destino, {"informe": "uno"})
    anotacion = nbformat.read(str(destino), as_version=4).metadata["papermill"]
    assert (anotacion["input_path"], anotacion["output_path"]) == ("fuente.ipynb", "hecho.ipynb")
    assert anotacion["parameters"] == {"informe": "uno"}
    assert str(tmp_path) not in destino.read_text(encoding="utf-8")
    assert _salidas(destino) == ["uno\n"]


def _nombres(km) -> str:
    """Los nombres del espacio de nombres del kernel, como los imprime."""
    textos = []

    def guardar(mensaje):
        if mensaje["msg_type"] == "stream":
            textos.append(mensaje["content"]["text"])

    from helpers.ejecucion import cliente_listo

    codigo = "print(sorted(n for n in dir() if n[0] != '_'))"
    cliente_listo(km).execute_interactive(codigo, timeout=60, output_hook=guardar)
    return "".join(textos)


def test_mudar_cambia_la_carpeta_del_kernel_sin_dejar_nombres(tmp_path):
    """Un kernel abierto antes de que existiera su carpeta (el de la memoria de cálculo, que
    arranca mientras se valida el libro) pasa a ella: los cuadernos leen y escriben allí."""
    from helpers.ejecucion import kernel_abierto, mudar

    carpeta = tmp_path / "notebooks"
    with kernel_abierto() as km:
        carpeta.mkdir()
        antes = _nombres(km)
        mudar(km, carpeta)
        assert _nombres(km) == antes
        fuente = _cuaderno(tmp_path / "a.ipynb", "import os\nprint(os.getcwd())")
        ejecutar_en(km, fuente, carpeta / "hecho.ipynb", {"informe": ".."})
        with pytest.raises(RuntimeError, match="no pudo pasar"):
            mudar(km, tmp_path / "no-existe")
    assert _salidas(carpeta / "hecho.ipynb") == [f"{carpeta}\n"]


def test_kernel_abierto_se_cierra_al_salir_aunque_falle(tmp_path):
    from helpers.ejecucion import kernel_abierto

    with pytest.raises(ValueError, match="algo falló"), kernel_abierto(tmp_path) as km:
        assert km.is_alive()
        raise ValueError("algo falló")
    assert not km.has_kernel
    with kernel_abierto(tmp_path) as otro:
        otro.shutdown_kernel(now=True)  # quien lo recibe lo puede cerrar antes
    assert not otro.has_kernel


def test_cerrar_el_kernel_apenas_abiertos_sus_canales_no_deja_un_hilo_sin_fin(tmp_path,
                                                                          monkeypatch):
    """Una corrida que falla al validar el libro cierra su kernel un instante después de
    encargarle la precarga. El latido de jupyter_client, detenido antes de que su hilo
    marque que corre, abría sockets sin fin hasta «ZMQError: Too many open files» (una traza
    de un hilo en la terminal): sin latido (la vida del kernel la dice su proceso), no hay
    hilo que se quede. Para que la carrera se dé siempre, el hilo del latido tarda en
    empezar lo que tarda en una máquina ocupada."""
    import threading
    import time

    from jupyter_client.channels import HBChannel

    correr_latido = HBChannel.run

    def latido_lento(canal):
        time.sleep(0.2)
        correr_latido(canal)

    monkeypatch.setattr(HBChannel, "run", latido_lento)
    errores = []
    monkeypatch.setattr(threading, "excepthook",
                        lambda argumentos: errores.append(argumentos.exc_value))
    km = abrir_kernel(tmp_path)
    precargar(km, ["json"], esperar=False)
    cliente = km.client()
    assert cliente._hb_channel is None or not cliente._hb_channel.is_alive()
    km.shutdown_kernel(now=True)
    assert cliente.cerrado
    time.sleep(0.5)
    assert errores == []
    assert not [h for h in threading.enumerate() if isinstance(h, HBChannel)]


def _kernel_que_muere(tmp_path):
    """Un kernel que termina al arrancar: un paquete ``ipykernel`` que sale, antes que el de
    verdad en su sys.path."""
    falso = tmp_path / "falso" / "ipykernel"
    falso.mkdir(parents=True)
    (falso / "__init__.py").write_text("raise SystemExit(1)\n", encoding="utf-8")
    return abrir_kernel(None, {"PYTHONPATH": str(falso.parent)})


def test_un_kernel_que_muere_al_arrancar_es_un_fallo_de_seccion_en_castellano(tmp_path):
    """Sin traza: la corrida lo dice como el fallo de una sección (código 1)."""
    km = _kernel_que_muere(tmp_path)
    try:
        with pytest.raises(KernelCaido, match="kernel de Python terminó o no respondió"):
            cliente_listo(km)
        assert issubclass(KernelCaido, FalloDeSeccion)
    finally:
        km.shutdown_kernel(now=True)


def test_un_kernel_anticipado_que_murio_se_reemplaza_por_uno_nuevo(tmp_path):
    procesos = Procesos()
    muerto = _kernel_que_muere(tmp_path)
    procesos._anticipados.append(muerto)
    km = procesos.kernel(tmp_path, {})
    try:
        assert km is not muerto and not muerto.is_alive()
        respuesta = cliente_listo(km).execute_interactive("1 + 1", timeout=60,
                                                          output_hook=lambda _: None)
        assert respuesta["content"]["status"] == "ok"
    finally:
        km.shutdown_kernel(now=True)
        procesos.terminar_corrida()


@pytest.mark.skipif(os.name != "posix", reason="sin enchufes de Unix: los kernels van por TCP")
def test_un_kernel_de_una_corrida_habla_por_enchufes_que_solo_abre_su_usuario():
    """Sus canales no van por TCP: por un puerto, otro usuario de la máquina leía lo que el
    kernel publica (la salida de cada celda), y dos corridas a la vez podían elegir el mismo.
    Los enchufes del kernel están en una carpeta 0700 de este usuario, que se borra al
    cerrarlo."""
    import psutil

    km = abrir_kernel()
    try:
        respuesta = cliente_listo(km).execute_interactive("1 + 1", timeout=60,
                                                          output_hook=lambda _: None)
        assert respuesta["content"]["status"] == "ok"
        carpeta = Path(km.ip).parent
        estado = carpeta.stat()
        assert stat.S_IMODE(estado.st_mode) == 0o700 and estado.st_uid == os.getuid()
        kernel = psutil.Process(km.provisioner.pid)
        abiertos = {c.laddr for c in kernel.net_connections(kind="unix")}
        assert {str(e) for e in carpeta.iterdir() if stat.S_ISSOCK(e.stat().st_mode)} <= abiertos
        # Los cinco canales (el único puerto TCP que queda es el de ipykernel para la salida
        # de sus subprocesos: sólo recibe, y descarta lo que no trae su clave al azar).
        info = km.get_connection_info()
        canales = {f"{km.ip}-{info[f'{c}_port']}" for c in ("shell", "iopub", "stdin",
                                                              "control", "hb")}
        assert info["transport"] == "ipc" and canales <= abiertos
    finally:
        km.shutdown_kernel(now=True)
    assert not carpeta.exists()


@pytest.mark.skipif(os.name != "posix", reason="sin enchufes de Unix: los kernels van por TCP")
def test_un_kernel_que_no_se_puede_lanzar_no_deja_su_carpeta_de_enchufes(monkeypatch,
                                                                         tmp_path):
    """Sin el programa del kernel (un entorno roto), `abrir_kernel` falla sin dejar en la
    carpeta temporal lo que alcanzó a crear: el archivo de conexión y la carpeta de
    enchufes."""
    import tempfile

    from helpers import ejecucion

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(ejecucion, "sin_depurador",
                        lambda orden: [str(tmp_path / "no-existe"), *orden[1:]])
    with pytest.raises(OSError):
        abrir_kernel()
    assert list(tmp_path.iterdir()) == []


NADIE = 65534  # el usuario `nobody`


def _conectar_como(uid: int | None, ruta: str) -> bytes:
    """Un proceso hijo (como `uid`, o como este si None) se conecta al enchufe `ruta`:
    b"ok", o el nombre del error."""
    import socket

    lectura, escritura = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if uid is not None:
                os.setgroups([])
                os.setgid(uid)
                os.setuid(uid)
            conexion = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conexion.settimeout(5)
            conexion.connect(ruta)
            os.write(escritura, b"ok")
        except OSError as error:
            os.write(escritura, type(error).__name__.encode())
        finally:
            os._exit(0)
    os.close(escritura)
    os.waitpid(pid, 0)
    with os.fdopen(lectura, "rb") as tuberia:
        return tuberia.read()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                    reason="hacer de otro usuario (setuid a nobody) necesita root, como en CI")
def test_otro_usuario_no_llega_a_lo_que_publica_el_kernel():
    """Como `nobody`, conectarse al canal en que el kernel publica la salida de cada celda
    (iopub) se rechaza; su dueño sí llega. Con la máscara 000 (quien la tenga así, los
    enchufes quedan abiertos a todos): lo que protege es la carpeta."""
    anterior = os.umask(0)
    try:
        km = abrir_kernel()
    finally:
        os.umask(anterior)
    try:
        cliente_listo(km)
        iopub = f"{km.ip}-{km.get_connection_info()['iopub_port']}"
        assert _conectar_como(None, iopub) == b"ok"
        assert _conectar_como(NADIE, iopub) == b"PermissionError"
    finally:
        km.shutdown_kernel(now=True)


# Lo que anota de sí mismo el kernel del cuaderno de la prueba de nbval: por dónde habla y
# quién puede abrir la carpeta de sus enchufes.
_ANOTAR_CANALES = """\
import json, os, stat
from ipykernel.connect import get_connection_file
info = json.load(open(get_connection_file()))
carpeta = os.path.dirname(info["ip"])
json.dump({"transport": info["transport"], "carpeta": carpeta,
           "modo": stat.S_IMODE(os.stat(carpeta).st_mode) if info["transport"] == "ipc" else None},
          open("canales.json", "w"))
"""


@pytest.mark.skipif(os.name != "posix", reason="sin enchufes de Unix: los kernels van por TCP")
def test_los_kernels_de_nbval_hablan_por_enchufes_privados(tmp_path):
    """La orden con que `verificar` vuelve a ejecutar los cuadernos de un informe (y la suite
    los de notebooks/, con la misma opción en pyproject.toml) carga `helpers.kernels_de_nbval`:
    el kernel de nbval habla por enchufes de Unix en una carpeta 0700, no por TCP, y la
    carpeta se borra al terminar."""
    import json
    import subprocess

    from helpers.salida.verificacion import orden_de_nbval

    cuaderno = nbformat.v4.new_notebook()
    cuaderno.cells.append(nbformat.v4.new_code_cell(_ANOTAR_CANALES))
    cuaderno.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(cuaderno, str(tmp_path / "canales.ipynb"))
    entorno = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    corrida = subprocess.run(orden_de_nbval(tmp_path, tmp_path / "nbval.xml",
                                            ["canales.ipynb"]),
                             cwd=tmp_path, env=entorno, capture_output=True, text=True,
                             timeout=300, check=False)
    assert corrida.returncode == 0, corrida.stdout + corrida.stderr
    canales = json.loads((tmp_path / "canales.json").read_text(encoding="utf-8"))
    assert canales["transport"] == "ipc" and canales["modo"] == 0o700, canales
    assert not Path(canales["carpeta"]).exists()
