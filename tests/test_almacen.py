"""El almacén de la caché del informe (`helpers.comun.almacen`): claves sin ambigüedad,
objetos enteros o ausentes, lo ilegible como ausente y el tamaño acotado por antigüedad de
uso."""
from __future__ import annotations

import os
import time

from helpers.comun.almacen import Almacen, clave


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
