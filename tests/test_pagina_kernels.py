"""Los kernels de la página tienen ciclo de vida (`helpers.pagina.kernels`): contra el servidor
arrancado como lo arranca el planificador (`informe-poa app --kernels-max N --inactividad M`),
con la página pedida por HTTP como la pide el navegador (cada pedido arranca su kernel igual)
y el aviso de cierre de la pestaña mandado como lo manda la página de Voilà. Los kernels vivos
se cuentan entre los procesos hijos del servidor. Y, sin servidor, las opciones de la orden y
lo que dice la guía.
"""
from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import esperas
import psutil
import pytest

from helpers.cli import main
from helpers.pagina import servidor as modulo_servidor
from helpers.pagina.kernels import INACTIVIDAD, KERNELS_MAX, duracion
from helpers.pagina.servidor import puerto_libre

RAIZ = Path(__file__).resolve().parents[1]

CARGAS = 20  # las del criterio de la issue 47
A_LA_VEZ = 4  # pestañas que se abren juntas
# Lo que tarda a lo sumo, en esta máquina de dos núcleos, una carga de la página.
CARGA = 120


def _kernels(servidor: psutil.Process) -> list[psutil.Process]:
    """Los kernels vivos del servidor: sus hijos directos `ipykernel_launcher`. No los nietos:
    lo que un kernel lanza lleva su misma línea de órdenes entre el fork y el exec, y con la
    máquina cargada el conteo alcanzaba a ver uno así (un tercero con máximo 2)."""
    vivos = []
    for hijo in servidor.children(recursive=False):
        try:
            if "ipykernel_launcher" in " ".join(hijo.cmdline()):
                vivos.append(hijo)
        except psutil.NoSuchProcess:
            continue
    return vivos


@contextmanager
def _servidor(carpeta: Path, *opciones: str):
    """`informe-poa app` corriendo con `opciones`; da su dirección con la ficha y su proceso."""
    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers", "app", "--carpeta", str(carpeta), "--puerto",
         str(puerto_libre(None)), "--sin-navegador", *opciones],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        linea = proceso.stdout.readline()
        direccion = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", linea)
        assert direccion, f"informe-poa app no mostró su dirección: {linea!r}"
        yield direccion.group(0), psutil.Process(proceso.pid)
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)


class _Pestana:
    """Una pestaña del navegador: sus galletas, la página que recibió y su aviso de cierre."""

    def __init__(self, direccion: str):
        self.direccion = direccion
        self.galletas = http.cookiejar.CookieJar()
        self.abridor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(
            self.galletas))

    def cargar(self) -> tuple[int, str]:
        try:
            with self.abridor.open(self.direccion, timeout=CARGA) as respuesta:
                self.html = respuesta.read().decode()
                return respuesta.status, self.html
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    @property
    def kernel(self) -> str:
        return re.search(r'"kernelId": "([0-9a-f-]+)"', self.html).group(1)

    def en(self, ruta: str) -> str:
        """La dirección de `ruta` en el servidor de la página."""
        base = urllib.parse.urlsplit(self.direccion)
        return f"{base.scheme}://{base.netloc}/{ruta}"

    def modelo(self) -> tuple[int, dict]:
        """Lo que la página pregunta cada tanto: su kernel, según el servidor."""
        try:
            with self.abridor.open(self.en(f"api/kernels/{self.kernel}"), timeout=CARGA) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    def cerrar(self) -> int:
        """Lo que hace la página de Voilà al descargarse: pide el apagado de su kernel con la
        galleta `_xsrf` en el formulario."""
        xsrf = next((g.value for g in self.galletas if g.name == "_xsrf"), "")
        pedido = urllib.request.Request(
            self.en(f"voila/api/shutdown/{self.kernel}"),
            data=urllib.parse.urlencode({"_xsrf": xsrf}).encode(), method="POST")
        try:
            with self.abridor.open(pedido, timeout=CARGA) as respuesta:
                return respuesta.status
        except urllib.error.HTTPError as error:
            return error.code


def _es_la_pagina(estado: int, html: str) -> bool:
    return estado == 200 and "jupyter-config-data" in html


def _es_la_de_llena(estado: int, html: str) -> bool:
    return estado == 503 and "Demasiadas pestañas abiertas" in html


@pytest.mark.lento
def test_veinte_cargas_dejan_a_lo_sumo_el_maximo_de_kernels(tmp_path):
    """El criterio de la issue 47: muchas cargas (de a varias a la vez, más que el máximo)
    nunca tienen más kernels vivos que el máximo, y pasado el tiempo de inactividad no queda
    ninguno (nadie los usa)."""
    maximo, minutos = 2, "0,05"
    segundos = round(float(minutos.replace(",", ".")) * 60)
    with _servidor(tmp_path, "--kernels-max", str(maximo), "--inactividad", minutos) as (
            direccion, servidor):
        vistos: list[int] = []
        cargando = threading.Event()
        cargando.set()

        def contar() -> None:
            while cargando.is_set():
                vistos.append(len(_kernels(servidor)))
                time.sleep(0.1)

        contador = threading.Thread(target=contar)
        contador.start()
        try:
            with ThreadPoolExecutor(A_LA_VEZ) as grupo:
                respuestas = list(grupo.map(lambda _: _Pestana(direccion).cargar(),
                                            range(CARGAS)))
        finally:
            cargando.clear()
            contador.join()

        raras = [(e, h[:200]) for e, h in respuestas
                 if not (_es_la_pagina(e, h) or _es_la_de_llena(e, h))]
        assert not raras, f"cargas que no dieron la página ni el aviso: {raras}"
        assert max(vistos) <= maximo, f"hubo {max(vistos)} kernels vivos (máximo {maximo})"
        llenas = sum(_es_la_de_llena(e, h) for e, h in respuestas)
        assert llenas, "con más pestañas a la vez que el máximo, ninguna dijo que no había lugar"
        assert llenas < CARGAS
        # Pasado el plazo sin uso (y una vuelta del recolector), no queda ninguno.
        assert esperas.hasta(lambda: not _kernels(servidor), segundos + 30), (
            f"{len(_kernels(servidor))} kernels siguen vivos {segundos} s después de su "
            "último uso")


@pytest.mark.lento
def test_con_el_maximo_la_pagina_lo_dice_y_cerrar_una_pestana_deja_lugar(tmp_path):
    with _servidor(tmp_path, "--kernels-max", "1") as (direccion, servidor):
        primera, segunda = _Pestana(direccion), _Pestana(direccion)
        assert _es_la_pagina(*primera.cargar())
        assert len(_kernels(servidor)) == 1

        estado, html = segunda.cargar()
        assert _es_la_de_llena(estado, html), (estado, html[:300])
        assert 'lang="es"' in html
        # Qué pasó y qué hacer: cerrar otra pestaña o esperar lo que tarda en cerrarse sola.
        texto = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        assert "una pestaña" in texto and "máximo" in texto
        assert "cierre una pestaña" in texto and "F5" in texto
        assert f"espere: una pestaña sin uso se cierra sola a los {duracion(INACTIVIDAD)}" in texto
        assert "--kernels-max" in texto
        assert len(_kernels(servidor)) == 1

        # Cerrar la primera apaga su kernel ya (no a los 10 minutos) y deja lugar.
        assert primera.cerrar() == 204
        assert esperas.hasta(lambda: not _kernels(servidor), 20), \
            "cerrar la pestaña no apagó su kernel"
        assert _es_la_pagina(*segunda.cargar())
        assert len(_kernels(servidor)) == 1


@pytest.mark.lento
def test_una_pestana_abierta_sin_uso_tambien_se_cierra_y_la_pagina_lo_sabe(tmp_path):
    """Con la pestaña abierta (su websocket conectado) y sin uso, el kernel se apaga pasado
    el plazo; lo que la página pregunta cada tanto (su kernel) responde entonces 404, y la
    página trae el recuadro que lo dice."""
    from tornado.websocket import websocket_connect

    minutos = "0,1"
    segundos = round(float(minutos.replace(",", ".")) * 60)
    with _servidor(tmp_path, "--inactividad", minutos) as (direccion, servidor):
        pestana = _Pestana(direccion)
        assert _es_la_pagina(*pestana.cargar())
        assert 'id="ipoa-cerrada"' in pestana.html and "se cerró tras un rato sin uso" in (
            pestana.html)
        ficha = urllib.parse.parse_qs(urllib.parse.urlsplit(direccion).query)["token"][0]
        canales = pestana.en(f"api/kernels/{pestana.kernel}/channels?token={ficha}")

        async def abierta() -> tuple[int, int]:
            conexion = await websocket_connect(canales.replace("http://", "ws://"))
            try:
                conectada = pestana.modelo()[1].get("connections", 0)
                limite = time.monotonic() + segundos + 30
                while pestana.modelo()[0] == 200 and time.monotonic() < limite:
                    await asyncio.sleep(0.5)
                return conectada, pestana.modelo()[0]
            finally:
                conexion.close()

        conectada, estado = asyncio.run(abierta())
        assert conectada == 1, "la pestaña no quedó conectada a su kernel"
        assert estado == 404, f"el kernel de una pestaña sin uso sigue vivo {segundos} s después"
        assert not _kernels(servidor)


# ------------------------------------------------------------------ sin servidor

def test_las_opciones_llegan_al_servidor_y_la_inactividad_en_segundos(tmp_path, monkeypatch):
    recibido: list[dict] = []
    monkeypatch.setattr(modulo_servidor, "servir",
                        lambda espacio, puerto, **opciones: recibido.append(opciones))
    assert main(["app", "--carpeta", str(tmp_path), "--sin-navegador"]) == 0
    assert main(["app", "--carpeta", str(tmp_path), "--sin-navegador", "--kernels-max", "3",
                 "--inactividad", "0,5"]) == 0
    assert main(["app", "--carpeta", str(tmp_path), "--sin-navegador",
                 "--inactividad", "1.5"]) == 0
    por_omision, elegidas, con_punto = recibido
    assert (por_omision["kernels_max"], por_omision["inactividad"]) == (KERNELS_MAX, INACTIVIDAD)
    assert (elegidas["kernels_max"], elegidas["inactividad"]) == (3, 30)
    assert con_punto["inactividad"] == 90


@pytest.mark.parametrize("opcion, valor", [
    ("--kernels-max", "0"), ("--kernels-max", "dos"), ("--kernels-max", "-1"),
    ("--inactividad", "0"), ("--inactividad", "-1"), ("--inactividad", "diez"),
    ("--inactividad", "inf"), ("--inactividad", "nan"), ("--inactividad", "0,001"),
])
def test_un_valor_que_no_sirve_se_dice_en_castellano(tmp_path, capsys, opcion, valor):
    assert main(["app", "--carpeta", str(tmp_path), "--sin-navegador", opcion, valor]) == 2
    error = capsys.readouterr().err
    assert f"«{valor}»" in error and "Traceback" not in error


def test_la_guia_y_la_ayuda_dicen_los_valores_por_omision(capsys):
    guia = re.sub(r"\s+", " ", (RAIZ / "docs" / "pagina.md").read_text(encoding="utf-8"))
    assert f"**A lo sumo {KERNELS_MAX} pestañas a la vez**" in guia
    assert f"«La página ya está abierta en {KERNELS_MAX} pestañas»" in guia
    assert f"**Una pestaña sin uso se cierra sola** a los {duracion(INACTIVIDAD)}" in guia
    assert main(["app", "--help"]) == 0
    ayuda = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert f"(por omisión, {KERNELS_MAX})" in ayuda
    assert f"(por omisión, {INACTIVIDAD // 60})" in ayuda
