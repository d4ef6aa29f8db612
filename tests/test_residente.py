"""El servidor residente (`helpers.residente`): la orden de informe que lo usa da lo mismo que
sola, nunca le manda nada a otro usuario, y una interrupción, una orden muerta o un servidor
muerto dejan el informe anterior como estaba.

Las pruebas activan el servidor (conftest lo apaga para las demás) con una carpeta privada
propia para su enchufe, y al terminar detienen los servidores que hayan quedado vivos."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click
import esperas
import fabrica
import psutil
import pytest
from huella_informes import diferencias, huella

from helpers.cli import principal
from helpers.pagina import corrida
from helpers.residente import canal, cliente
from helpers.rutas import RAIZ

ESPERA = 120  # s que se espera a que el servidor esté listo
_ENTORNO: dict[str, str] = {}  # el de las órdenes que lanza la prueba (`con_servidor`)

# El servidor, como en la máquina de quien lo usa: con sus procesos de ayuda y sus kernels.
pytestmark = pytest.mark.usefixtures("con_los_nucleos_de_la_maquina")


def _servidores() -> set[int]:
    """Los servidores vivos con el enchufe de esta prueba (su `XDG_RUNTIME_DIR`)."""
    servidores = set()
    for proceso in psutil.process_iter(["cmdline"]):
        if "servidor-residente" not in " ".join(proceso.info["cmdline"] or []):
            continue
        try:
            if (proceso.status() != psutil.STATUS_ZOMBIE and proceso.environ().get(
                    "XDG_RUNTIME_DIR") == os.environ.get("XDG_RUNTIME_DIR")):
                servidores.add(proceso.pid)
        except psutil.Error:
            pass
    return servidores


def _matar_arbol(pid: int) -> None:
    try:
        proceso = psutil.Process(pid)
        procesos = [proceso, *proceso.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for p in procesos:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(procesos, timeout=10)


@pytest.fixture
def temporal_corto(monkeypatch):
    """Una carpeta de ruta corta (la de un enchufe no pasa de 107 bytes) que hace de carpeta
    temporal del sistema para `canal`, sin `XDG_RUNTIME_DIR`."""
    carpeta = Path(tempfile.mkdtemp(prefix="tr-"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(canal.tempfile, "gettempdir", lambda: str(carpeta))
    yield carpeta
    shutil.rmtree(carpeta, ignore_errors=True)


@pytest.fixture
def con_servidor(monkeypatch):
    """El servidor activo en esta prueba, con su enchufe en una carpeta privada propia
    (`XDG_RUNTIME_DIR`: las órdenes que lanza la prueba la heredan); al salir, se detienen los
    servidores que dejó. Las órdenes y el servidor tienen además su propia carpeta temporal
    (`TMPDIR`, en `privada / "tmp"`): se ve lo que dejan en ella."""
    privada = Path(tempfile.mkdtemp(prefix="srv-"))
    privada.chmod(0o700)
    (privada / "tmp").mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(privada))
    monkeypatch.setenv("TMPDIR", str(privada / "tmp"))
    monkeypatch.setenv(cliente.VARIABLE, "1")
    # Las órdenes de la prueba arrancan con este entorno: el de la prueba cambia cuando ella
    # importa bibliotecas (pandera agrega variables), y otro entorno es otro servidor.
    monkeypatch.setattr(sys.modules[__name__], "_ENTORNO", dict(os.environ))
    yield privada
    for pid in _servidores():
        _matar_arbol(pid)
    shutil.rmtree(privada, ignore_errors=True)


# --- Las piezas -----------------------------------------------------------------------


def test_la_huella_cambia_con_el_entorno_y_no_con_la_terminal():
    base = {"PATH": "/usr/bin", "LANG": "es_BO.UTF-8"}
    assert canal.huella(base) == canal.huella({**base, "COLUMNS": "80", "TERM": "xterm"})
    assert canal.huella(base) != canal.huella({**base, "LANG": "C"})
    assert canal.huella(base) != canal.huella({**base, "OTRA": "1"})
    # Otra pestaña de la terminal (la de `informe-poa app` queda ocupada), y `make app
    # CARPETA=x`: las variables de make y las de su línea de órdenes no cuentan.
    assert canal.huella(base) == canal.huella({
        **base, "GNOME_TERMINAL_SCREEN": "/org/gnome/Terminal/screen/2", "TMUX_PANE": "%3",
        "WT_SESSION": "e1f2", "VSCODE_PID": "77"})
    assert canal.huella(base) == canal.huella({
        **base, "MAKEFLAGS": " -j2 --jobserver-auth=3,4 -- CARPETA=/tmp/a\\ b",
        "MAKELEVEL": "1", "MFLAGS": "-j2", "CARPETA": "/tmp/a b"})
    assert canal.huella(base) != canal.huella({**base, "MAKEFLAGS": "s", "CARPETA": "x"})


def test_sin_carpeta_propia_no_hay_servidor(temporal_corto):
    """Si la carpeta del enchufe no es sólo de este usuario (es un enlace, o tiene permisos
    para otros), no hay enchufe: la orden corre sola."""
    propia = temporal_corto / f"informe-poa-{os.getuid()}"
    afuera = temporal_corto / "afuera"
    afuera.mkdir(mode=0o700)
    propia.symlink_to(afuera)
    assert canal.carpeta_privada() is None and canal.ruta() is None
    assert canal.conectar(canal.ruta()) is None and canal.escuchar(canal.ruta()) is None
    propia.unlink()
    propia.mkdir(mode=0o755)
    propia.chmod(0o755)
    assert canal.carpeta_privada() is None
    propia.chmod(0o700)
    assert canal.carpeta_privada() == propia
    assert canal.ruta() == propia / "servidor"


NADIE = 65534  # el usuario `nobody`
solo_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="hacer de otro usuario (setuid a nobody) necesita root, como en CI")


@solo_root
def test_una_carpeta_de_enchufes_de_otro_usuario_no_se_usa(temporal_corto):
    propia = temporal_corto / f"informe-poa-{os.getuid()}"
    propia.mkdir(mode=0o700)
    os.chown(propia, NADIE, NADIE)
    assert canal.carpeta_privada() is None


def _impostor(preparado=None, rutas: tuple = ()) -> tuple[int, int, int]:
    """Un proceso hijo que pasa a ser `nobody` y escucha como si fuera el servidor: en el
    enchufe `preparado` (ligado por este proceso a la ruta de verdad: el hijo llama a listen
    ya como nobody, así que la otra punta ve sus credenciales) o, sin él, tomando antes que
    nadie las `rutas`. Anota lo que le llega hasta que se le escribe a su tubería de fin.
    Devuelve su pid, la tubería de fin y la de su informe."""
    fin_lectura, fin_escritura = os.pipe()
    informe_lectura, informe_escritura = os.pipe()
    listo_lectura, listo_escritura = os.pipe()
    pid = os.fork()
    if pid:
        for propio in (fin_lectura, informe_escritura, listo_escritura):
            os.close(propio)
        if preparado is not None:
            preparado.close()
        with os.fdopen(listo_lectura, "rb") as listo:
            listo.read(1)  # ya escucha
        return pid, fin_escritura, informe_lectura
    try:  # el hijo: nunca vuelve a pytest
        os.close(fin_escritura)
        os.close(listo_lectura)
        os.setgroups([])
        os.setgid(NADIE)
        os.setuid(NADIE)
        informe = {"ligadas": [], "recibido": 0, "conexiones": 0}
        escuchas = [] if preparado is None else [preparado]
        for ruta in rutas:
            escucha = canal.enchufe()
            try:
                escucha.bind(ruta)
                informe["ligadas"].append(os.fsdecode(ruta))
                escuchas.append(escucha)
            except OSError:
                escucha.close()
        for escucha in escuchas:
            escucha.listen(4)
        os.write(listo_escritura, b"L")
        _escuchar_hasta_el_fin(escuchas, fin_lectura, informe)
        os.write(informe_escritura, json.dumps(informe).encode())
    finally:
        os._exit(0)


def _escuchar_hasta_el_fin(escuchas, fin: int, informe: dict) -> None:
    while True:
        legibles, _, _ = select.select([*escuchas, fin], [], [], 30)
        if not legibles:
            return
        for escucha in legibles:
            if escucha == fin:  # lo que llegó antes del fin ya se atendió
                return
            conexion, _ = escucha.accept()
            informe["conexiones"] += 1
            conexion.settimeout(2)
            try:
                informe["recibido"] += len(conexion.recv(1 << 20))
            except OSError:
                pass
            conexion.close()


def _informe_del_impostor(pid: int, fin: int, lectura: int) -> dict:
    os.write(fin, b"x")
    os.close(fin)
    with os.fdopen(lectura, "rb") as tuberia:
        datos = tuberia.read()
    os.waitpid(pid, 0)
    return json.loads(datos)


def _orden_leida(params: Path) -> click.Context:
    orden = principal.get_command(None, "trimestral")
    return orden.make_context("trimestral", [str(params)])


@solo_root
def test_otro_usuario_que_escucha_primero_no_recibe_nada(con_servidor, tmp_path):
    """Otro usuario toma antes que nadie el nombre abstracto de la reserva de procesos que
    antecedió al servidor (el que tomaba la orden de un informe) y trata de escuchar en la
    ruta del enchufe: no puede entrar a la carpeta privada, y a él no le llega nada; la orden
    corre sola (`pedir` devuelve None)."""
    params = tmp_path / "entidad-T2.yaml"
    params.write_text("informe: trimestral\n", encoding="utf-8")
    digesto = hashlib.sha256(os.path.realpath(params).encode()).hexdigest()[:32]
    abstracto = f"\0informe-poa-corrida-{os.getuid()}-{digesto}".encode()
    pid, fin, lectura = _impostor(rutas=(abstracto, os.fspath(canal.ruta())))
    try:
        assert cliente.pedir(_orden_leida(params)) is None
    finally:
        informe = _informe_del_impostor(pid, fin, lectura)
    assert informe["ligadas"] == [abstracto.decode()]  # la carpeta privada no lo deja entrar
    assert informe["conexiones"] == informe["recibido"] == 0


@solo_root
def test_nada_sale_antes_de_saber_que_escucha_el_mismo_usuario(con_servidor, tmp_path):
    """Aun si quien escucha en la ruta de verdad fuera otro usuario, la orden pide las
    credenciales de la otra punta antes de mandar nada: se conecta, no manda ni un byte (ni
    la orden, ni la carpeta, ni la terminal), y corre sola; tampoco quien espera al servidor
    le pregunta nada."""
    params = tmp_path / "entidad-T2.yaml"
    params.write_text("informe: trimestral\n", encoding="utf-8")
    for probar in (lambda: cliente.pedir(_orden_leida(params)) is None,
                   lambda: not cliente.esperar_servidor(1)):
        preparado = canal.enchufe()
        preparado.bind(os.fspath(canal.ruta()))
        pid, fin, lectura = _impostor(preparado)
        try:
            assert probar()
        finally:
            informe = _informe_del_impostor(pid, fin, lectura)
            os.unlink(canal.ruta())
        assert informe["conexiones"] >= 1
        assert informe["recibido"] == 0


# --- La orden informe-poa con el servidor ------------------------------------------------


def _orden(params: Path, *opciones: str) -> list[str]:
    return [sys.executable, "-m", "helpers", "trimestral", str(params), *opciones]


def _libro_pequeno(tmp_path: Path, nombre: str = "prueba") -> tuple[dict, Path, Path, Path]:
    """(tablas, libro, parámetros, carpeta del informe) del libro pequeño en `tmp_path`."""
    estado = fabrica.tablas_pequenas()
    libro = fabrica.escribir_libro(tmp_path / nombre / fabrica.NOMBRE_LIBRO, estado)
    salida = tmp_path / nombre / "salida"
    params = fabrica.escribir_params(tmp_path / nombre / "params" / f"{nombre}-T2.yaml", libro,
                                     salida=str(salida))
    return estado, libro, params, salida


def _corregir(estado: dict, libro: Path, *, sumar: int = 0, poner: int | None = None) -> None:
    """Una celda corregida en el libro: lo ejecutado de mayo de la primera operación, más
    `sumar` o, con `poner`, ese valor."""
    operaciones = estado["operaciones"]
    columna = operaciones[0].index("ejec_05")
    operaciones[1][columna] = operaciones[1][columna] + sumar if poner is None else poner
    fabrica.escribir_libro(libro, estado)


def _correr(params: Path, *opciones: str, sigint_ignorada: bool = False,
            **entorno: str) -> subprocess.CompletedProcess:
    """La orden, hasta que termine. Con `sigint_ignorada`, como la lanza un guion en segundo
    plano (`orden &`): con SIGINT ignorada, que heredan sus hijos (el servidor que arranca)."""
    def ignorar_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    return subprocess.run(_orden(params, *opciones), cwd=RAIZ, capture_output=True, text=True,
                          check=False, env={**(_ENTORNO or os.environ), **entorno},
                          preexec_fn=ignorar_sigint if sigint_ignorada else None)


def _como_un_kernel_de_la_pagina(monkeypatch) -> None:
    """Este proceso, como el kernel de una pestaña de `informe-poa app`: el entorno de la orden
    que abrió la página en `corrida.ENTORNO_DE_LA_ORDEN`, y encima las variables que Jupyter
    agrega o cambia en sus kernels."""
    monkeypatch.setenv(corrida.ENTORNO_DE_LA_ORDEN, json.dumps(_ENTORNO or dict(os.environ)))
    for clave, valor in {"JPY_PARENT_PID": str(os.getpid()), "PAGER": "cat", "CLICOLOR": "1",
                         "MPLBACKEND": "module://matplotlib_inline.backend_inline"}.items():
        monkeypatch.setenv(clave, valor)


def _esperar_la_pagina(params: Path, condicion, limite: float = 300) -> corrida.Estado:
    """El estado de la corrida de la página de `params` en cuanto cumple `condicion`."""
    def cumplido() -> corrida.Estado | None:
        estado = corrida.estado_de(params)
        return estado if estado is not None and condicion(estado) else None

    estado = esperas.hasta(cumplido, limite)
    assert estado is not None, f"la corrida de la página no llegó: {corrida.estado_de(params)}"
    return estado


class _OrdenDeLaPagina:
    """La orden que lanzó la página (no es hija de esta prueba), con lo que usa de ella la
    prueba de la interrupción: una señal y esperar a que termine."""

    def __init__(self, pid: int) -> None:
        self.proceso = psutil.Process(pid)
        self.stdout = self.stderr = io.StringIO()

    def send_signal(self, senal: int) -> None:
        self.proceso.send_signal(senal)

    def wait(self, timeout: float) -> int | None:
        return self.proceso.wait(timeout)


def _restos_del_servidor(privada: Path, pid: int) -> list[str]:
    """Lo que hay en la carpeta temporal del servidor `pid` (ver `con_servidor`) y no es de él:
    sólo puede tener la carpeta de su servidor de bifurcación (``pymp-…``), los archivos de
    conexión de sus kernels vivos (los nombra su línea de órdenes) y las carpetas de los
    enchufes por los que hablan (`ejecucion.canales_privados`: los tienen abiertos)."""
    hijos = psutil.Process(pid).children(recursive=True)
    vivos = " ".join([*(" ".join(h.cmdline()) for h in hijos),
                      *(c.laddr for h in hijos for c in h.net_connections(kind="unix"))])
    ajenos = [p.name for p in (privada / "tmp").iterdir() if p.name not in vivos]
    pymp = [nombre for nombre in ajenos if nombre.startswith("pymp-")]
    return sorted(ajenos) if len(pymp) > 1 else sorted(set(ajenos) - set(pymp))


def _restos(salida: Path) -> list[str]:
    return sorted(p.name for p in salida.parent.iterdir()
                  if p.name.startswith(f".{salida.name}.nuevo-"))


@pytest.mark.lento
@pytest.mark.informe_completo
def test_el_servidor_da_el_mismo_informe(con_servidor, tmp_path, monkeypatch):
    """La primera orden corre sola y deja el servidor; la siguiente la corre él con el kernel
    que ya tenía arrancado: lo dice, escribe lo de siempre en la salida de la orden, termina
    con su código, y el informe es el de una corrida sin caché ni servidor, byte a byte. Un
    libro con errores sale con el código 2 y el mensaje en castellano, sin traza, sin tocar
    el informe anterior. Un informe de otra carpeta, pedido desde la página, lo corre el
    mismo servidor."""
    estado, libro, params, salida = _libro_pequeno(tmp_path)
    primera = _correr(params)
    assert primera.returncode == 0, primera.stderr
    assert "Se usaron los kernels" not in primera.stdout
    assert cliente.esperar_servidor(ESPERA)
    (servidor,) = _servidores()

    _corregir(estado, libro, sumar=1)
    segunda = _correr(params, "--detallado")
    assert segunda.returncode == 0, segunda.stderr
    assert "Se usaron los kernels que ya estaban arrancados." in segunda.stdout
    assert "Informe listo" in segunda.stdout
    con_servidor_ = tmp_path / "con-servidor"
    shutil.copytree(salida, con_servidor_)
    testigo = _correr(params, "--sin-cache", **{cliente.VARIABLE: "0"})
    assert testigo.returncode == 0, testigo.stderr
    assert diferencias(huella(salida), huella(con_servidor_)) == []
    for csv in (salida / "tablas").glob("*.csv"):
        assert (con_servidor_ / "tablas" / csv.name).read_bytes() == csv.read_bytes()

    # Otra entidad, otra carpeta, pedida desde la página (con el entorno de un kernel de
    # Jupyter, que agrega y cambia variables): el mismo servidor.
    _, _, otros, otra_salida = _libro_pequeno(tmp_path, "otra")
    assert cliente.esperar_servidor(ESPERA)
    with monkeypatch.context() as kernel:
        _como_un_kernel_de_la_pagina(kernel)
        orden_de_la_pagina = corrida.empezar(otros).pid
    de_la_pagina = _esperar_la_pagina(otros, lambda e: e.estado != corrida.CORRIENDO)
    assert de_la_pagina.estado == corrida.LISTA, de_la_pagina.mensaje
    # Lo corrió el servidor, y el estado que escribió es el de la orden que lanzó la página.
    assert de_la_pagina.servidor
    assert de_la_pagina.pid == orden_de_la_pagina and orden_de_la_pagina not in _servidores()
    # Después de cada orden el servidor renace (exec): mientras tanto no se lo ve en /proc.
    assert cliente.esperar_servidor(ESPERA)
    assert (otra_salida / "informe.pdf").is_file() and _servidores() == {servidor}

    # Un libro con un error: código 2, el mensaje (en la salida de errores de la orden) y
    # el informe de antes intacto.
    antes = huella(salida)
    assert cliente.esperar_servidor(ESPERA)
    _corregir(estado, libro, poner=-5)
    mala = _correr(params)
    assert mala.returncode == 2, mala.stdout + mala.stderr
    assert "ejec_05" in mala.stderr and "Traceback" not in mala.stderr
    assert diferencias(huella(salida), antes) == []
    assert cliente.esperar_servidor(ESPERA)
    assert _servidores() == {servidor}
    # Renació tres veces sin dejar en la carpeta temporal nada de las vidas anteriores.
    assert _restos_del_servidor(con_servidor, servidor) == []


@pytest.mark.lento
@pytest.mark.informe_completo
def test_una_orden_interrumpida_no_toca_el_informe(con_servidor, tmp_path, monkeypatch):
    """Ctrl+C a la orden llega al servidor, que interrumpe la corrida (código 130), y si la
    orden muere de golpe (SIGKILL, sin tiempo de avisar; aquí, la que lanza la página) el
    servidor la interrumpe igual y la página la ve interrumpida: en los dos casos el informe
    anterior queda como estaba, no quedan carpetas a medio armar, y el servidor sigue
    sirviendo. El servidor lo arranca una orden lanzada con SIGINT ignorada (como la lanza
    un guion en segundo plano): aun así, se interrumpe."""
    from test_carpeta_informe import esperar_linea

    estado, libro, params, salida = _libro_pequeno(tmp_path)
    entorno = {**_ENTORNO, "PYTHONUNBUFFERED": "1"}
    for senal in (signal.SIGINT, signal.SIGKILL):
        primera = _correr(params, "--forzar", sigint_ignorada=True)
        assert primera.returncode == 0, primera.stderr
        antes = huella(salida)
        assert cliente.esperar_servidor(ESPERA)
        _corregir(estado, libro, sumar=1)
        if senal == signal.SIGINT:
            orden = subprocess.Popen(_orden(params, "--detallado"), cwd=RAIZ,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=entorno)
            # La primera etapa: desde ahí queda la corrida entera (con la máquina ocupada,
            # quien lee la salida puede atrasarse segundos; esperar una etapa posterior
            # dejaba a veces el informe chico terminado antes de que llegara la señal).
            esperar_linea(orden, "Datos válidos")
        else:
            with monkeypatch.context() as kernel:
                _como_un_kernel_de_la_pagina(kernel)
                orden = _OrdenDeLaPagina(corrida.empezar(params).pid)
            en_curso = _esperar_la_pagina(params, lambda e: e.etapas or e.codigo is not None)
            assert en_curso.servidor and en_curso.codigo is None, en_curso
        # El servidor, detenido mientras llega la señal: con la máquina ocupada, quien lee
        # la salida puede tardar lo que al servidor le queda del informe chico; así el pedido
        # de interrumpir le llega siempre con la corrida en marcha.
        # (Todos los de esta prueba: con la máquina ocupada, uno que arrancó una orden que
        # corrió sola puede estar todavía por darse cuenta de que ya hay otro.)
        # Uno que se daba cuenta de que ya hay otro puede terminar entre listarlo y detenerlo.
        servidores = _servidores()
        for pid in servidores:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        try:
            orden.send_signal(senal)
            time.sleep(0.5)  # el pedido de interrumpir (o el cierre) ya está en el enchufe
        finally:
            for pid in servidores:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
        codigo = orden.wait(timeout=120)
        escrito = orden.stdout.read()
        errores = orden.stderr.read()
        orden.stdout.close()
        orden.stderr.close()
        if senal == signal.SIGINT:
            assert codigo == 130, f"{codigo}: {escrito}{errores}"
            assert "interrumpida" in errores and "Traceback" not in errores
        else:  # el servidor escribe en el estado que la corrida se interrumpió
            vista = _esperar_la_pagina(params, lambda e: e.codigo is not None, 180)
            assert (vista.estado, vista.codigo) == (corrida.INTERRUMPIDA, 130), vista
        # Lo que queda de la corrida lo borra el servidor después de que terminen sus procesos
        # de ayuda, de prioridad baja: con la máquina ocupada, puede tardar.
        assert esperas.hasta(lambda: not _restos(salida), 180), (
            f"{senal.name}: {_restos(salida)}; servidores {_servidores()}; la orden dijo: "
            f"{escrito}{errores}")
        assert diferencias(huella(salida), antes) == []
    assert cliente.esperar_servidor(ESPERA)


@pytest.mark.lento
@pytest.mark.informe_completo
def test_ocupado_otro_codigo_o_muerto(con_servidor, tmp_path):
    """Una orden que llega mientras el servidor corre otra corre sola y lo dice en una línea;
    un servidor con otra huella (otro entorno, otro código) no corre nada: se cierra y la
    orden corre sola; y si el servidor muere a mitad de una corrida, la orden lo dice sin
    traza y termina con 1, el informe anterior queda y la corrida siguiente limpia los
    restos."""
    from test_carpeta_informe import esperar_linea

    estado, libro, params, salida = _libro_pequeno(tmp_path)
    _, _, otros, otra_salida = _libro_pequeno(tmp_path, "otra")
    entorno = {**_ENTORNO, "PYTHONUNBUFFERED": "1"}
    assert _correr(params).returncode == 0
    assert cliente.esperar_servidor(ESPERA)
    (servidor,) = _servidores()

    _corregir(estado, libro, sumar=1)
    larga = subprocess.Popen(_orden(params, "--detallado"), cwd=RAIZ, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=entorno)
    esperar_linea(larga, "Datos válidos")
    otra = _correr(otros)
    assert larga.wait(timeout=300) == 0, larga.stderr.read()
    larga.stdout.close()
    larga.stderr.close()
    assert otra.returncode == 0, otra.stderr
    assert [linea for linea in otra.stderr.splitlines() if "ocupado" in linea] == [
        "El servidor de informe-poa está ocupado (con otro informe, o arrancando): esta orden "
        "corre aparte, sin los procesos que él ya tiene."]
    assert (otra_salida / "informe.pdf").is_file()

    # Otra huella: el servidor no la corre y se cierra; la orden corre sola.
    assert cliente.esperar_servidor(ESPERA)
    distinta = _correr(params, "--forzar", "--detallado", INFORME_POA_PRUEBA_HUELLA="otra")
    assert distinta.returncode == 0, distinta.stderr
    assert "Se usaron los kernels" not in distinta.stdout
    assert esperas.hasta(lambda: not psutil.pid_exists(servidor) or
                         psutil.Process(servidor).status() == psutil.STATUS_ZOMBIE, 30)

    # El servidor que dejó esa orden (con su entorno) muere a mitad de una corrida.
    assert cliente.esperar_servidor(ESPERA)
    (servidor,) = _servidores()
    antes = huella(salida)
    _corregir(estado, libro, sumar=2)
    orden = subprocess.Popen(_orden(params) + ["--detallado"], cwd=RAIZ,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**entorno, "INFORME_POA_PRUEBA_HUELLA": "otra"})
    esperar_linea(orden, "Datos guardados")
    _matar_arbol(servidor)
    codigo = orden.wait(timeout=60)
    errores = orden.stderr.read()
    orden.stdout.close()
    orden.stderr.close()
    assert codigo == 1, errores
    assert "vuelva a generar el informe" in errores and "Traceback" not in errores
    assert diferencias(huella(salida), antes) == []
    siguiente = _correr(params, **{cliente.VARIABLE: "0"})
    assert siguiente.returncode == 0, siguiente.stderr
    assert "Se limpiaron los restos" in siguiente.stdout
    assert not _restos(salida)


def test_con_sigterm_el_servidor_cierra_lo_suyo_y_borra_su_enchufe(con_servidor):
    """Un servidor que se detiene con `kill` (SIGTERM) cierra lo que arrancó (el kernel, el
    servidor de bifurcación) y no deja el archivo de su enchufe; uno que encuentra otro vivo
    termina sin tocarlo."""
    cliente.arrancar_servidor(dict(os.environ))
    assert cliente.esperar_servidor(ESPERA)
    (pid,) = _servidores()
    hijos = psutil.Process(pid).children(recursive=True)
    assert any("ipykernel" in " ".join(h.cmdline()) for h in hijos)
    segundo = subprocess.run([sys.executable, "-m", "helpers", "servidor-residente"],
                             timeout=60, check=False)
    assert segundo.returncode == 0 and _servidores() == {pid}
    assert canal.ruta().exists()
    os.kill(pid, signal.SIGTERM)
    assert esperas.hasta(lambda: pid not in _servidores(), 30)
    _, vivos = psutil.wait_procs(hijos, timeout=30)
    assert vivos == []
    assert not canal.ruta().exists()


def test_una_conexion_de_otro_usuario_no_recibe_respuesta(con_servidor):
    """El servidor mira las credenciales de quien se conecta antes de leer nada: una
    conexión de otro usuario se cierra sin respuesta."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("hacer de otro usuario (setuid a nobody) necesita root, como en CI")
    cliente.arrancar_servidor(dict(os.environ))
    assert cliente.esperar_servidor(ESPERA)
    ruta = canal.ruta()
    # Que nobody pueda llegar al enchufe (en uso, nadie abre así la carpeta privada).
    os.chmod(con_servidor, 0o755)
    os.chmod(ruta.parent, 0o711)
    os.chmod(ruta, 0o777)
    lectura, escritura = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(NADIE)
            os.setuid(NADIE)
            conexion = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            conexion.settimeout(5)
            conexion.connect(os.fspath(ruta))
            conexion.sendall(json.dumps({"pregunta": "listo"}).encode())
            os.write(escritura, conexion.recv(1 << 16) or b"-")
        except OSError:
            os.write(escritura, b"!")
        finally:
            os._exit(0)
    os.close(escritura)
    os.waitpid(pid, 0)
    with os.fdopen(lectura, "rb") as tuberia:
        assert tuberia.read() in (b"-", b"!")
