"""La reserva de procesos (`helpers.reserva`): lo que una corrida deja arrancado para la
siguiente, con procesos de verdad (kernels, `Aparte`, el servidor y el proceso de corrida).

Las pruebas activan la reserva (conftest la apaga para las demás) y, al terminar, detienen
los servidores que hayan quedado vivos."""
from __future__ import annotations

import hashlib
import json
import os
import posixpath
import select
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fabrica
import psutil
import pytest
from huella_informes import diferencias, huella

from helpers import reserva
from helpers.reserva import Reserva, canal, esperar_lista
from helpers.reserva.adopcion import ProcesoAjeno
from helpers.reserva.delegacion import delegar
from helpers.rutas import RAIZ
from helpers.salida.cache_informe import carpeta_cache

ESPERA = 90  # s que se espera a que una reserva quede lista


def _servidores() -> set[int]:
    return {p.pid for p in psutil.process_iter(["cmdline"])
            if "helpers.reserva.servidor" in " ".join(p.info["cmdline"] or [])}


@pytest.fixture
def con_reserva(monkeypatch):
    """La reserva activa en esta prueba; al salir, se detienen los servidores que dejó."""
    monkeypatch.setenv(reserva.VARIABLE, "1")
    antes = _servidores()
    yield
    for pid in _servidores() - antes:
        _matar_arbol(pid)


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


def _vivo(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _esperar(condicion, limite: float = 30) -> bool:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        if condicion():
            return True
        time.sleep(0.1)
    return False


# --- Las piezas -----------------------------------------------------------------------


def test_un_proceso_ajeno_se_ve_terminar_aunque_nadie_lo_recoja():
    """Un hijo que terminó y nadie recogió (zombi) cuenta como terminado; uno vivo, no; y
    se lo puede detener por su número."""
    vivo = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    muerto = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        assert _esperar(lambda: psutil.Process(muerto.pid).status() == psutil.STATUS_ZOMBIE)
        assert ProcesoAjeno(muerto.pid).poll() == 0
        ajeno = ProcesoAjeno(vivo.pid)
        assert ajeno.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            ajeno.wait(timeout=0.2)
        ajeno.kill()
        assert ajeno.wait(timeout=10) == 0
    finally:
        vivo.kill()
        vivo.wait()
        muerto.wait()


def test_la_huella_cambia_con_el_entorno_y_no_con_la_terminal():
    entorno = {"A": "1", "PWD": "/x", "_": "/usr/bin/informe-poa"}
    assert canal.huella(entorno) == canal.huella({**entorno, "PWD": "/y", "_": "otro"})
    assert canal.huella(entorno) != canal.huella({**entorno, "A": "2"})
    assert canal.huella(entorno) != canal.huella({**entorno, "LANG": "C"})


def test_los_nombres_distinguen_carpetas_y_parametros(tmp_path):
    assert canal.nombre(tmp_path / "a") != canal.nombre(tmp_path / "b")
    assert canal.nombre(tmp_path / "a") != canal.nombre_de_corrida(tmp_path / "a")
    # Un archivo en una carpeta que sólo este usuario puede abrir, no un nombre abstracto.
    carpeta = canal.nombre(tmp_path / "a").parent
    datos = carpeta.lstat()
    assert stat.S_ISDIR(datos.st_mode) and datos.st_uid == os.getuid()
    assert datos.st_mode & 0o777 == 0o700


# --- Otro usuario de la máquina no se hace pasar por la reserva ---------------------------

NADIE = 65534  # el usuario `nobody`
solo_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="hacer de otro usuario (setuid a nobody) necesita root, como en CI")


def _impostor(preparado=None, rutas: tuple = ()) -> tuple[int, int, int]:
    """Un proceso hijo que pasa a ser `nobody` y escucha como si fuera la reserva: en el
    enchufe `preparado` (ligado por este proceso a la ruta de verdad: el hijo llama a listen
    ya como nobody, así que la otra punta ve sus credenciales) o, sin él, tomando antes que
    nadie el viejo nombre abstracto y las `rutas`. Anota lo que le llega hasta que se le
    escribe a su tubería de fin. Devuelve su pid, la tubería de fin y la de su informe."""
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
        informe = {"ligadas": [], "recibido": 0, "descriptores": 0, "conexiones": 0}
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
                datos, descriptores, _, _ = socket.recv_fds(conexion, 1 << 20, 16)
                informe["recibido"] += len(datos)
                informe["descriptores"] += len(descriptores)
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


def _params_para_delegar(tmp_path: Path) -> Path:
    params = tmp_path / "params" / "entidad-T2.yaml"
    params.parent.mkdir(parents=True)
    params.write_text("informe: trimestral\n", encoding="utf-8")
    return params


@solo_root
def test_otro_usuario_que_escucha_primero_no_recibe_nada(con_reserva, tmp_path):
    """Otro usuario toma antes que nadie el nombre abstracto de antes y trata de escuchar en
    la ruta de los enchufes: no puede entrar a la carpeta, y a él no le llega nada; la orden
    corre sola (`delegar` devuelve None) y la corrida no cree que haya reserva."""
    params = _params_para_delegar(tmp_path)
    carpeta = tmp_path / ".entidad-T2.cache"
    carpeta.mkdir()
    digesto = hashlib.sha256(os.path.realpath(params).encode()).hexdigest()[:32]
    abstracto = f"\0informe-poa-corrida-{os.getuid()}-{digesto}".encode()
    pid, fin, lectura = _impostor(rutas=(abstracto, os.fspath(canal.nombre_de_corrida(params)),
                                         os.fspath(canal.nombre(carpeta))))
    try:
        assert delegar(["trimestral", str(params)]) is None
        assert not Reserva(carpeta).hay_reserva()
    finally:
        informe = _informe_del_impostor(pid, fin, lectura)
    assert informe["ligadas"] == [abstracto.decode()]  # la carpeta privada no lo deja entrar
    assert informe["conexiones"] == informe["recibido"] == informe["descriptores"] == 0


@solo_root
def test_nada_sale_antes_de_saber_que_escucha_el_mismo_usuario(con_reserva, tmp_path):
    """Aun si quien escucha en la ruta de verdad fuera otro usuario, la orden y la corrida
    piden las credenciales de la otra punta antes de mandar nada: se conectan, no mandan ni
    un byte ni un descriptor (ni el entorno, ni la terminal), y corren solas."""
    params = _params_para_delegar(tmp_path)
    carpeta = tmp_path / ".entidad-T2.cache"
    carpeta.mkdir()
    for ruta, probar in ((canal.nombre_de_corrida(params),
                          lambda: delegar(["trimestral", str(params)]) is None),
                         (canal.nombre(carpeta), lambda: not Reserva(carpeta).hay_reserva())):
        preparado = canal.enchufe()
        preparado.bind(os.fspath(ruta))
        pid, fin, lectura = _impostor(preparado)
        try:
            assert probar()
        finally:
            informe = _informe_del_impostor(pid, fin, lectura)
            os.unlink(ruta)
        assert informe["conexiones"] == 1
        assert informe["recibido"] == informe["descriptores"] == 0


@pytest.fixture
def temporal_corto(monkeypatch):
    """Una carpeta temporal de ruta corta (la de un enchufe no pasa de 107 bytes) que hace de
    carpeta temporal del sistema para `canal`, sin `XDG_RUNTIME_DIR`."""
    carpeta = Path(tempfile.mkdtemp(prefix="tr-"))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr(canal.tempfile, "gettempdir", lambda: str(carpeta))
    yield carpeta
    shutil.rmtree(carpeta, ignore_errors=True)


def test_sin_carpeta_propia_no_hay_reserva(temporal_corto):
    """Si la carpeta de los enchufes no es sólo de este usuario (es un enlace, o tiene
    permisos para otros), no hay enchufe: la orden corre sola."""
    tmp_path = temporal_corto
    propia = tmp_path / f"informe-poa-{os.getuid()}"
    afuera = tmp_path / "afuera"
    afuera.mkdir(mode=0o700)
    propia.symlink_to(afuera)
    assert canal.carpeta_privada() is None and canal.nombre(tmp_path) is None
    assert canal.conectar(canal.nombre(tmp_path)) is None
    propia.unlink()
    propia.mkdir(mode=0o755)
    propia.chmod(0o755)
    assert canal.carpeta_privada() is None
    propia.chmod(0o700)
    assert canal.carpeta_privada() == propia


@solo_root
def test_una_carpeta_de_enchufes_de_otro_usuario_no_se_usa(temporal_corto):
    propia = temporal_corto / f"informe-poa-{os.getuid()}"
    propia.mkdir(mode=0o700)
    os.chown(propia, NADIE, NADIE)
    assert canal.carpeta_privada() is None


# --- Una reserva de verdad, chica: un kernel y un proceso aparte --------------------------


def _dejar_una(carpeta: Path) -> int:
    """Una corrida sin reserva que pide un kernel y un Aparte, y deja la suya; devuelve el
    número del proceso servidor de esa reserva."""
    antes = _servidores()
    carpeta.mkdir(parents=True, exist_ok=True)
    corrida = Reserva(carpeta)
    km = corrida.kernel(None, {"PRUEBA_RESERVA": "1"})
    aparte = corrida.aparte(posixpath.join)
    assert corrida.tomados == 0  # no había reserva: se arrancaron
    km.shutdown_kernel(now=True)
    aparte.cerrar(por_error=True)
    corrida.cerrar()
    corrida.dejar_lista()
    assert esperar_lista(carpeta, ESPERA)
    (servidor,) = _servidores() - antes
    return servidor


def _pid_del_kernel(km) -> int:
    from helpers.ejecucion import cliente_listo

    respuesta = cliente_listo(km).execute_interactive(
        "", user_expressions={"pid": "__import__('os').getpid()"}, timeout=60,
        output_hook=lambda _: None)
    return int(respuesta["content"]["user_expressions"]["pid"]["data"]["text/plain"])


def test_la_corrida_siguiente_toma_lo_que_la_reserva_arranco(con_reserva, tmp_path):
    carpeta = tmp_path / ".informe.cache"
    servidor = _dejar_una(carpeta)
    hijos = {p.pid for p in psutil.Process(servidor).children()}

    siguiente = Reserva(carpeta)
    km = siguiente.kernel(tmp_path, {"PRUEBA_RESERVA": "1"})
    aparte = siguiente.aparte(posixpath.join)
    assert siguiente.tomados == 2
    # Son los que arrancó la reserva (hijos suyos), y funcionan.
    pid_kernel = _pid_del_kernel(km)
    assert pid_kernel in hijos and aparte.pid in hijos
    aparte.enviar("a", "b")
    assert aparte.resultado() == "a/b"
    # El kernel trabaja en la carpeta pedida.
    from helpers.ejecucion import cliente_listo

    respuesta = cliente_listo(km).execute_interactive(
        "", user_expressions={"cwd": "__import__('os').getcwd()"}, timeout=60,
        output_hook=lambda _: None)
    assert str(tmp_path) in respuesta["content"]["user_expressions"]["cwd"]["data"]["text/plain"]
    # Un kernel con otro entorno no está en la reserva: se arranca.
    otro = siguiente.kernel(None, {"PRUEBA_RESERVA": "2"})
    assert siguiente.tomados == 2
    otro.shutdown_kernel(now=True)

    km.shutdown_kernel(now=True)
    aparte.sin_mas_encargos()
    aparte.cerrar()
    siguiente.cerrar()
    # Soltada la reserva, el servidor termina y no deja nada vivo.
    assert _esperar(lambda: not _vivo(servidor))
    assert not any(_vivo(pid) for pid in hijos)


def test_con_otra_huella_no_se_usa_y_se_cierra(con_reserva, tmp_path, monkeypatch):
    carpeta = tmp_path / ".informe.cache"
    servidor = _dejar_una(carpeta)
    hijos = [p.pid for p in psutil.Process(servidor).children()]

    monkeypatch.setenv("OTRA_VARIABLE", "cambia el entorno")
    siguiente = Reserva(carpeta)
    km = siguiente.kernel(None, {"PRUEBA_RESERVA": "1"})
    assert siguiente.tomados == 0  # se arrancó uno
    km.shutdown_kernel(now=True)
    siguiente.cerrar()
    assert _esperar(lambda: not _vivo(servidor))
    assert not any(_vivo(pid) for pid in hijos)


def test_con_sigterm_la_reserva_cierra_lo_suyo_y_borra_su_enchufe(con_reserva, tmp_path):
    """Una reserva que se detiene con `kill` (SIGTERM) cierra lo que arrancó y no deja el
    archivo de su enchufe en la carpeta privada."""
    carpeta = tmp_path / ".informe.cache"
    servidor = _dejar_una(carpeta)
    hijos = [p.pid for p in psutil.Process(servidor).children()]
    enchufe = canal.nombre(carpeta)
    assert enchufe.is_socket()
    os.kill(servidor, signal.SIGTERM)
    assert _esperar(lambda: not _vivo(servidor))
    assert _esperar(lambda: not any(_vivo(pid) for pid in hijos))
    assert not enchufe.exists()


def test_si_la_corrida_muere_la_reserva_cierra_lo_que_le_dio(con_reserva, tmp_path):
    carpeta = tmp_path / ".informe.cache"
    servidor = _dejar_una(carpeta)
    hijos = [p.pid for p in psutil.Process(servidor).children()]
    # Otra corrida, en otro proceso, toma el kernel y el Aparte y muere de golpe.
    codigo = (
        "import posixpath, sys, time\n"
        "from pathlib import Path\n"
        "from helpers.reserva import Reserva\n"
        f"r = Reserva(Path({str(carpeta)!r}))\n"
        "r.kernel(None, {'PRUEBA_RESERVA': '1'}); r.aparte(posixpath.join)\n"
        "print(r.tomados, flush=True)\n"
        "time.sleep(600)\n"
    )
    otra = subprocess.Popen([sys.executable, "-c", codigo], stdout=subprocess.PIPE, text=True,
                            cwd=os.getcwd())
    try:
        assert otra.stdout.readline().strip() == "2"
    finally:
        otra.send_signal(signal.SIGKILL)
        otra.wait()
        otra.stdout.close()
    assert _esperar(lambda: not _vivo(servidor))
    assert _esperar(lambda: not any(_vivo(pid) for pid in hijos))


def test_si_desaparece_la_cache_la_reserva_se_cierra(con_reserva, tmp_path):
    carpeta = tmp_path / ".informe.cache"
    servidor = _dejar_una(carpeta)
    hijos = [p.pid for p in psutil.Process(servidor).children()]
    shutil.rmtree(carpeta)
    assert _esperar(lambda: not _vivo(servidor))
    assert _esperar(lambda: not any(_vivo(pid) for pid in hijos))
    assert not esperar_lista(carpeta, 1)


# --- La orden informe-poa, delegada en el proceso de corrida ------------------------------


def _orden(params: Path, *opciones: str) -> list[str]:
    return [sys.executable, "-m", "helpers", "trimestral", str(params), *opciones]


def _libro_pequeno(tmp_path: Path) -> tuple[dict, Path, Path, Path]:
    """(tablas, libro, parámetros, carpeta del informe) del libro pequeño en `tmp_path`."""
    estado = fabrica.tablas_pequenas()
    libro = fabrica.escribir_libro(tmp_path / "datos" / fabrica.NOMBRE_LIBRO, estado)
    salida = tmp_path / "salida"
    params = fabrica.escribir_params(tmp_path / "params" / "prueba-T2.yaml", libro,
                                     salida=str(salida))
    return estado, libro, params, salida


def _corregir(estado: dict, libro: Path, *, sumar: int = 0, poner: int | None = None) -> None:
    """Una celda corregida en el libro: lo ejecutado de mayo de la primera operación, más
    `sumar` o, con `poner`, ese valor."""
    operaciones = estado["operaciones"]
    columna = operaciones[0].index("ejec_05")
    operaciones[1][columna] = operaciones[1][columna] + sumar if poner is None else poner
    fabrica.escribir_libro(libro, estado)


@pytest.mark.lento
@pytest.mark.informe_completo
def test_la_orden_delegada_da_el_mismo_informe(con_reserva, tmp_path):
    """Con la reserva lista, la orden la corre el proceso de corrida de la reserva con sus
    kernels y procesos aparte: dice que los usó, escribe en la terminal de quien la pidió,
    termina con su código, y el informe es el de una corrida sin caché ni reserva. Una
    interrupción (SIGINT a la orden) llega a la corrida, y un libro con errores sale con el
    código 2 y el mensaje en castellano, sin tocar el informe anterior."""
    estado, libro, params, salida = _libro_pequeno(tmp_path)
    primera = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                             check=False)
    assert primera.returncode == 0, primera.stderr
    assert esperar_lista(carpeta_cache(salida), ESPERA)

    _corregir(estado, libro, sumar=1)
    segunda = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                             check=False)
    assert segunda.returncode == 0, segunda.stderr
    assert "Se usaron los procesos que dejó listos la corrida anterior." in segunda.stdout
    assert "Informe listo" in segunda.stdout
    con_reserva_ = tmp_path / "con-reserva"
    shutil.copytree(salida, con_reserva_)
    testigo = subprocess.run(_orden(params, "--sin-cache"), cwd=RAIZ, capture_output=True,
                             text=True, check=False, env={**os.environ, reserva.VARIABLE: "0"})
    assert testigo.returncode == 0, testigo.stderr
    assert diferencias(huella(salida), huella(con_reserva_)) == []
    for csv in (salida / "tablas").glob("*.csv"):
        assert (con_reserva_ / "tablas" / csv.name).read_bytes() == csv.read_bytes()

    # Un libro con un error: código 2, el mensaje (en la salida de errores de la orden) y
    # el informe de antes intacto. Corre en la reserva que dejó la segunda corrida.
    antes = huella(salida)
    assert esperar_lista(carpeta_cache(salida), ESPERA)
    _corregir(estado, libro, poner=-5)
    mala = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                          check=False)
    assert mala.returncode == 2, mala.stdout + mala.stderr
    assert "ejec_05" in mala.stderr and "Traceback" not in mala.stderr
    assert diferencias(huella(salida), antes) == []


def _restos(salida: Path) -> list[str]:
    return sorted(p.name for p in salida.parent.iterdir()
                  if p.name.startswith(f".{salida.name}.nuevo-"))


@pytest.mark.lento
@pytest.mark.informe_completo
def test_una_orden_delegada_interrumpida_no_toca_el_informe(con_reserva, tmp_path):
    """Ctrl+C a la orden llega a la corrida que la hace (código 130), y si la orden muere de
    golpe (SIGKILL, sin tiempo de reenviar nada) la corrida se interrumpe sola: en los dos
    casos el informe anterior queda como estaba y no quedan carpetas a medio armar."""
    from test_carpeta_informe import esperar_linea

    estado, libro, params, salida = _libro_pequeno(tmp_path)
    entorno = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for senal in (signal.SIGINT, signal.SIGKILL):
        primera = subprocess.run(_orden(params, "--forzar"), cwd=RAIZ, capture_output=True,
                                 text=True, check=False, env=entorno)
        assert primera.returncode == 0, primera.stderr
        antes = huella(salida)
        assert esperar_lista(carpeta_cache(salida), ESPERA)
        _corregir(estado, libro, sumar=1)
        orden = subprocess.Popen(_orden(params), cwd=RAIZ, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=entorno)
        esperar_linea(orden, "Datos guardados")
        orden.send_signal(senal)
        codigo = orden.wait(timeout=120)
        errores = orden.stderr.read()
        orden.stdout.close()
        orden.stderr.close()
        if senal == signal.SIGINT:
            assert codigo == 130, errores
            assert "interrumpida" in errores
        # La corrida (otro proceso) termina de deshacer lo suyo; después, el informe es el
        # de antes y no hay restos.
        assert _esperar(lambda: not _restos(salida), 60), _restos(salida)
        assert diferencias(huella(salida), antes) == []


@pytest.mark.lento
@pytest.mark.informe_completo
def test_si_muere_el_proceso_de_corrida_la_orden_lo_dice(con_reserva, tmp_path):
    """Si muere el proceso de la reserva que hace la corrida, la orden no se queda esperando:
    lo dice en castellano, sin traza, y termina con 1; el informe anterior queda, y la
    corrida siguiente limpia lo que quedó a medio armar."""
    from test_carpeta_informe import esperar_linea

    estado, libro, params, salida = _libro_pequeno(tmp_path)
    entorno = {**os.environ, "PYTHONUNBUFFERED": "1"}
    previos = _servidores()
    primera = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                             check=False, env=entorno)
    assert primera.returncode == 0, primera.stderr
    antes = huella(salida)
    servidores = _servidores() - previos  # la reserva que dejó esta corrida
    assert esperar_lista(carpeta_cache(salida), ESPERA)
    _corregir(estado, libro, sumar=1)
    orden = subprocess.Popen(_orden(params), cwd=RAIZ, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=entorno)
    esperar_linea(orden, "Datos guardados")
    (corrida,) = [hijo for pid in servidores for hijo in psutil.Process(pid).children()
                  if "arranque_en_reserva" in " ".join(hijo.cmdline())]
    corrida.kill()
    codigo = orden.wait(timeout=60)
    errores = orden.stderr.read()
    orden.stdout.close()
    orden.stderr.close()
    assert codigo == 1, errores
    assert "vuelva a generar el informe" in errores and "Traceback" not in errores
    assert diferencias(huella(salida), antes) == []
    siguiente = subprocess.run(_orden(params), cwd=RAIZ, capture_output=True, text=True,
                               check=False, env={**entorno, reserva.VARIABLE: "0"})
    assert siguiente.returncode == 0, siguiente.stderr
    assert "Se limpiaron los restos" in siguiente.stdout
    assert not _restos(salida)
