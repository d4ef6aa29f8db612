"""Las composiciones del PDF guardadas en la caché del informe: una página HTML ya compuesta
no se compone otra vez (ni la de prueba ni el PDF de las hojas que se eligieron), y lo que se
toma de la caché es lo mismo que daría componerla; otra página se compone."""
from __future__ import annotations

import pytest

from helpers.comun.almacen import Almacen
from helpers.salida.ensamblado import composicion
from helpers.salida.ensamblado.composicion import componer_textos
from helpers.salida.ensamblado.composiciones import (
    _a_json,
    _de_json,
    clave_de,
)
from helpers.salida.ensamblado.exportacion import Imagenes


def _pagina(texto: str, paginas: int = 2) -> str:
    hojas = "".join(
        f'<h2 id="t{i}">{texto} {i}</h2><p><a href="#t0">inicio</a></p>'
        f'<div style="break-after: page"></div>' for i in range(paginas))
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{hojas}</body></html>'


def _sin_componer(monkeypatch) -> None:
    """Que componer con WeasyPrint sea un error: lo que sigue debe venir de la caché."""
    def no(*_args, **_kwargs):
        raise AssertionError("se compuso otra vez")

    monkeypatch.setattr(composicion, "componer", no)
    monkeypatch.setattr(composicion, "componer_sin_escribir", no)


def test_las_hojas_pasan_por_json_sin_cambiar(tmp_path):
    [parte] = componer_textos([_pagina("Sección")], Imagenes(), tmp_path)
    assert any(h.marcadores for h in parte.hojas)  # los títulos dan marcadores: también pasan
    copia = _de_json(_a_json(parte))
    assert copia.hojas == parte.hojas


def test_una_pagina_ya_compuesta_se_toma_de_la_cache(tmp_path, monkeypatch):
    almacen = Almacen(tmp_path / "objetos")
    pagina = _pagina("Sección")
    [compuesta] = componer_textos([pagina], Imagenes(), tmp_path, almacen=almacen)
    _sin_componer(monkeypatch)
    [tomada] = componer_textos([pagina], Imagenes(), tmp_path, almacen=almacen)
    assert tomada.pdf == compuesta.pdf
    assert tomada.hojas == compuesta.hojas  # con sus marcadores
    with pytest.raises(AssertionError, match="se compuso otra vez"):
        componer_textos([_pagina("Otra sección")], Imagenes(), tmp_path, almacen=almacen)


def test_la_composicion_de_prueba_y_sus_hojas_elegidas_se_toman_de_la_cache(
        tmp_path, monkeypatch):
    almacen = Almacen(tmp_path / "objetos")
    pagina = _pagina("Sección", paginas=3)
    [prueba] = componer_textos([pagina], Imagenes(), tmp_path, sin_escribir=True,
                               almacen=almacen)
    assert prueba.pdf is None and len(prueba.hojas) == 3
    elegidas = componer_textos([], Imagenes(), tmp_path, escribir_hojas=[0, 2], almacen=almacen)
    assert elegidas == prueba.pdf and prueba.escritas == [0, 2]

    _sin_componer(monkeypatch)
    [otra] = componer_textos([pagina], Imagenes(), tmp_path, sin_escribir=True, almacen=almacen)
    assert otra.hojas == prueba.hojas and otra.pdf is None
    assert componer_textos([], Imagenes(), tmp_path, escribir_hojas=[0, 2],
                           almacen=almacen) == elegidas
    assert otra.pdf == elegidas and otra.escritas == [0, 2]


def test_otra_eleccion_de_hojas_se_compone_aunque_las_hojas_esten(tmp_path, monkeypatch):
    almacen = Almacen(tmp_path / "objetos")
    pagina = _pagina("Sección", paginas=3)
    componer_textos([pagina], Imagenes(), tmp_path, sin_escribir=True, almacen=almacen)
    componer_textos([], Imagenes(), tmp_path, escribir_hojas=[0, 1, 2], almacen=almacen)
    # Las hojas están en la caché; el PDF de sólo la primera, no: se compone para escribirlo.
    [prueba] = componer_textos([pagina], Imagenes(), tmp_path, sin_escribir=True,
                               almacen=almacen)
    pdf = componer_textos([], Imagenes(), tmp_path, escribir_hojas=[0], almacen=almacen)
    assert pdf and prueba.escritas == [0]
    _sin_componer(monkeypatch)
    componer_textos([pagina], Imagenes(), tmp_path, sin_escribir=True, almacen=almacen)
    assert componer_textos([], Imagenes(), tmp_path, escribir_hojas=[0], almacen=almacen) == pdf


def test_la_clave_cambia_con_la_pagina():
    assert clave_de(_pagina("a")) != clave_de(_pagina("b"))
    assert clave_de(_pagina("a")) == clave_de(_pagina("a"))
