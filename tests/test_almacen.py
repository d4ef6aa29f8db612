"""El almacén de la caché del informe (`helpers.comun.almacen`): claves sin ambigüedad,
objetos enteros o ausentes, lo ilegible como ausente y el tamaño acotado por antigüedad de
uso."""
from __future__ import annotations

import hashlib
import os
import stat
import threading
import time

import pytest

from helpers.comun import almacen as almacen_mod
from helpers.comun.almacen import VARIABLE_SECRETO, Almacen, clave, ruta_del_secreto


def test_la_clave_distingue_donde_termina_cada_parte():
    assert clave("ab", "c") != clave("a", "bc")
    assert clave("a", "b") == clave("a", b"b")
    assert clave("a") != clave("a", "")


def test_guarda_y_lee_bytes_y_json(tmp_path):
    almacen = Almacen(tmp_path / "objetos")
    llave = clave("algo")
    assert almacen.leer(llave) is None
    almacen.guardar(llave, b"\x00contenido")
    assert almacen.leer(llave) == b"\x00contenido"
    almacen.guardar_json(llave, {"uno": [1, 2.5, "tres"]})
    assert almacen.leer_json(llave) == {"uno": [1, 2.5, "tres"]}
    # Cada tipo es otro objeto: los bytes siguen.
    assert almacen.leer(llave) == b"\x00contenido"
    assert not list((tmp_path / "objetos").glob("??/.*.tmp"))


def test_un_json_roto_cuenta_como_ausente(tmp_path):
    almacen = Almacen(tmp_path)
    llave = clave("roto")
    almacen.guardar(llave, b"{no es json", "json")
    assert almacen.leer_json(llave) is None


def test_si_no_se_puede_escribir_la_corrida_sigue(tmp_path):
    ocupado = tmp_path / "archivo"
    ocupado.write_text("no soy una carpeta", encoding="utf-8")
    almacen = Almacen(ocupado)
    almacen.guardar(clave("x"), b"datos")  # no lanza
    assert almacen.leer(clave("x")) is None


def _envejecer(almacen: Almacen, llave: str, tipo: str, hace: float) -> None:
    ruta = almacen.carpeta / llave[:2] / f"{llave}.{tipo}"
    momento = time.time() - hace
    os.utime(ruta, (momento, momento))


def test_podar_borra_lo_usado_hace_mas_tiempo_hasta_el_tope(tmp_path):
    almacen = Almacen(tmp_path)
    llaves = [clave(str(i)) for i in range(4)]
    for i, llave in enumerate(llaves):
        almacen.guardar(llave, bytes(100))
        _envejecer(almacen, llave, "bin", hace=1000 - i * 100)  # la 0, la más vieja
    uno = almacen.tamano() // len(llaves)  # lo que ocupa cada objeto, con su encabezado
    # Leer la más vieja la renueva: pasa a ser la más reciente.
    assert almacen.leer(llaves[0]) is not None
    assert almacen.podar(tope=2 * uno + uno // 2) == 2 * uno
    quedan = [llave for llave in llaves if almacen.leer(llave) is not None]
    assert quedan == [llaves[0], llaves[3]]
    assert almacen.tamano() == 2 * uno


def test_podar_no_borra_lo_que_uso_la_corrida(tmp_path):
    almacen = Almacen(tmp_path)
    desde = time.time() - 10
    for i in range(3):
        almacen.guardar(clave(str(i)), bytes(100))
    total = almacen.tamano()
    assert total > 300
    assert almacen.podar(tope=0, desde=desde) == 0
    assert almacen.tamano() == total
    assert almacen.podar(tope=0) == total
    assert almacen.tamano() == 0


def test_podar_borra_temporales_viejos_de_una_corrida_que_murio(tmp_path):
    almacen = Almacen(tmp_path)
    almacen.guardar(clave("a"), b"x")
    temporal = next(tmp_path.glob("??")) / ".abandonado.tmp"
    temporal.write_bytes(b"a medias")
    reciente = temporal.with_name(".en-curso.tmp")
    reciente.write_bytes(b"otra corrida escribiendo")
    viejo = time.time() - 7200
    os.utime(temporal, (viejo, viejo))
    almacen.podar(tope=10**9)
    assert not temporal.exists()
    assert reciente.exists()


def test_un_objeto_alterado_cuenta_como_ausente_y_se_borra(tmp_path):
    almacen = Almacen(tmp_path)
    llave = clave("imagen")
    almacen.guardar(llave, b"una imagen de verdad", "png")
    [ruta] = list(tmp_path.glob("??/*.png"))
    contenido = bytearray(ruta.read_bytes())
    contenido[-1] ^= 0xFF
    ruta.write_bytes(bytes(contenido))
    assert almacen.leer(llave, "png") is None
    assert not ruta.exists()
    ruta.parent.mkdir(exist_ok=True)
    ruta.write_bytes(b"sin la marca del formato")
    assert almacen.leer(llave, "png") is None


def _editar_con_la_suma_rehecha(ruta, datos: bytes) -> None:
    """Lo que haría alguien que conoce el formato y no el secreto: otro contenido, con la
    marca del formato y el SHA-256 del contenido nuevo delante."""
    marca = ruta.read_bytes().split(b"\n", 1)[0] + b"\n"
    ruta.write_bytes(marca + hashlib.sha256(datos).digest() + datos)


def test_un_objeto_editado_con_su_suma_rehecha_se_descarta(tmp_path):
    almacen = Almacen(tmp_path)
    llave = clave("grafico")
    almacen.guardar(llave, b"el grafico de verdad", "png64")
    [ruta] = list(tmp_path.glob("??/*.png64"))
    _editar_con_la_suma_rehecha(ruta, b"otro grafico")
    assert almacen.leer(llave, "png64") is None
    assert not ruta.exists()  # se hará otra vez


def test_un_objeto_de_otro_secreto_o_de_otra_clave_no_sirve(tmp_path):
    mio, ajeno = Almacen(tmp_path, b"m" * 32), Almacen(tmp_path, b"a" * 32)
    ajeno.guardar(clave("uno"), b"de otro usuario")
    assert mio.leer(clave("uno")) is None
    mio.guardar(clave("uno"), b"mio")
    [ruta] = list(tmp_path.glob("??/*.bin"))
    otra = mio._ruta(clave("dos"), "bin")
    otra.parent.mkdir(parents=True, exist_ok=True)
    otra.write_bytes(ruta.read_bytes())  # el objeto de una clave, copiado bajo otra
    assert mio.leer(clave("dos")) is None
    assert mio.leer(clave("uno")) == b"mio"


@pytest.fixture
def secreto_en(tmp_path, monkeypatch):
    """La ruta del secreto de esta prueba (todavía no existe), la que usa `Almacen`."""
    ruta = tmp_path / "config" / "informe-poa" / "secreto-cache"
    monkeypatch.setenv(VARIABLE_SECRETO, str(ruta))
    return ruta


def test_el_secreto_se_crea_una_vez_solo_para_el_usuario(secreto_en, tmp_path):
    assert ruta_del_secreto() == secreto_en
    almacen = Almacen(tmp_path / "objetos")
    almacen.guardar(clave("x"), b"datos")
    assert stat.S_IMODE(secreto_en.stat().st_mode) == 0o600
    assert stat.S_IMODE(secreto_en.parent.stat().st_mode) == 0o700
    assert not secreto_en.is_relative_to(almacen.carpeta)
    assert Almacen(tmp_path / "objetos").leer(clave("x")) == b"datos"
    assert [p.name for p in secreto_en.parent.iterdir()] == [secreto_en.name]


def test_sin_la_variable_el_secreto_va_en_la_configuracion_del_usuario(monkeypatch, tmp_path):
    monkeypatch.delenv(VARIABLE_SECRETO, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert ruta_del_secreto() == tmp_path / "xdg" / "informe-poa" / "secreto-cache"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "casa"))
    assert ruta_del_secreto() == tmp_path / "casa" / ".config" / "informe-poa" / "secreto-cache"


def test_dos_que_crean_el_secreto_a_la_vez_usan_el_mismo(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    ruta = tmp_path / "a-la-vez" / "secreto-cache"
    barrera = threading.Barrier(8)

    def crear(_):
        barrera.wait()
        return almacen_mod._crear_secreto(ruta)

    with ThreadPoolExecutor(8) as hilos:
        creados = set(hilos.map(crear, range(8)))
    assert creados == {ruta.read_bytes()}
    assert [p.name for p in ruta.parent.iterdir()] == [ruta.name]  # sin temporales


def _sin_cache(secreto_en, tmp_path) -> str:
    almacen = Almacen(tmp_path / "objetos")
    almacen.guardar(clave("x"), b"datos")
    assert almacen.leer(clave("x")) is None
    assert not (tmp_path / "objetos").exists()
    return almacen.sin_secreto


def test_un_secreto_que_otros_pueden_leer_no_se_usa(secreto_en, tmp_path):
    secreto_en.parent.mkdir(parents=True)
    secreto_en.write_bytes(bytes(32))
    secreto_en.chmod(0o644)
    motivo = _sin_cache(secreto_en, tmp_path)
    assert str(secreto_en) in motivo and "644" in motivo and "Bórrelo" in motivo
    assert secreto_en.read_bytes() == bytes(32)  # no se toca: lo dice y lo borra el usuario


def test_un_secreto_que_es_un_enlace_no_se_usa(secreto_en, tmp_path):
    otro = tmp_path / "de-otro"
    otro.write_bytes(bytes(32))
    otro.chmod(0o600)
    secreto_en.parent.mkdir(parents=True)
    secreto_en.symlink_to(otro)
    assert "no se puede abrir" in _sin_cache(secreto_en, tmp_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="dar el archivo a otro usuario (chown) pide ser root")
def test_un_secreto_de_otro_usuario_no_se_usa(secreto_en, tmp_path):
    import pwd

    secreto_en.parent.mkdir(parents=True)
    secreto_en.write_bytes(bytes(32))
    secreto_en.chmod(0o600)
    nadie = pwd.getpwnam("nobody")
    os.chown(secreto_en, nadie.pw_uid, nadie.pw_gid)
    assert "es de otro usuario" in _sin_cache(secreto_en, tmp_path)


def test_la_corrida_sin_secreto_lo_dice_y_no_usa_la_cache(secreto_en, tmp_path):
    from helpers import informe

    secreto_en.parent.mkdir(parents=True)
    secreto_en.write_bytes(bytes(32))
    secreto_en.chmod(0o640)
    dichos = []

    class Anotar:
        def etapa(self, texto, segundos=None):
            dichos.append(texto)

    assert not informe._con_secreto(Anotar())
    assert len(dichos) == 1 and dichos[0].startswith("Advertencia: El secreto de la caché")
