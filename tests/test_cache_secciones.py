"""La caché de las secciones ejecutadas: lo que anota `preparacion.abrir` de lo que lee una
sección, y `CacheDeSecciones`, que sólo devuelve un cuaderno ejecutado si nada de lo que leyó
(ni el cuaderno, ni el código, ni los parámetros) cambió."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import preparacion
from helpers.comun.almacen import Almacen
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.entrada.tipos import Seccion
from helpers.salida import cache_secciones
from helpers.salida.cache_secciones import CacheDeSecciones


@pytest.fixture
def informe(tmp_path, params_pequeno) -> Path:
    """La carpeta de un informe con entrada/ y calculo/ (lo que leen las secciones)."""
    carpeta = tmp_path / "informe"
    parametros = cargar_parametros(params_pequeno)
    datos = cargar_datos(parametros.ruta_datos)
    preparacion.guardar_entrada(carpeta, params_pequeno, datos)
    preparacion.guardar_calculo(preparacion.preparar(parametros, datos).tablas, carpeta)
    preparacion.tomar_leidas()
    return carpeta


def test_abrir_anota_solo_lo_que_la_seccion_lee(informe):
    prep = preparacion.abrir(informe=informe)
    assert preparacion.tomar_leidas() == []
    prep.tablas["acp"]
    prep.nombre_area("X")  # usa las áreas: su hoja y la de unidades
    assert preparacion.tomar_leidas() == [
        "calculo/acp.parquet", "entrada/datos/areas.parquet", "entrada/datos/unidades.parquet"]
    assert not prep.datos.operaciones.empty
    assert preparacion.tomar_leidas() == ["entrada/datos/operaciones.parquet"]
    assert preparacion.tomar_leidas() == []


def test_recorrer_las_tablas_las_anota_todas(informe):
    prep = preparacion.abrir(informe=informe)
    nombres = list(prep.tablas)
    assert preparacion.tomar_leidas() == sorted(f"calculo/{n}.parquet" for n in nombres)
    len(prep.tablas)
    assert len(preparacion.tomar_leidas()) == len(nombres)


def test_sin_carpeta_de_informe_no_se_anota_nada(params_pequeno):
    prep = preparacion.abrir(params_pequeno)
    prep.tablas["acp"]
    assert isinstance(prep.tablas, dict)
    assert preparacion.tomar_leidas() == []


def test_cada_seccion_recibe_sus_tablas_y_las_del_archivo_de_ahora(informe):
    """`abrir` en el mismo proceso, una sección tras otra: lo que una sección cambia en sus
    tablas no le llega a la siguiente, y un parquet reescrito con otro contenido y la misma
    hora se lee de nuevo."""
    primera = preparacion.abrir(informe=informe)
    acp = primera.tablas["acp"]
    columna = next(c for c in acp.columns if pd.api.types.is_numeric_dtype(acp[c]))
    original = acp[columna].copy()
    acp[columna] = original + 1
    operaciones = primera.datos.operaciones
    codigos = operaciones["codigo_operacion"].copy()
    operaciones["codigo_operacion"] = "cambiado por la sección"

    segunda = preparacion.abrir(informe=informe)
    pd.testing.assert_series_equal(segunda.tablas["acp"][columna], original)
    pd.testing.assert_series_equal(segunda.datos.operaciones["codigo_operacion"], codigos)

    ruta = informe / "calculo" / "acp.parquet"
    antes = ruta.stat()
    cambiada = segunda.tablas["acp"].copy()
    cambiada[columna] = original + 2
    cambiada.to_parquet(ruta, index=False)
    os.utime(ruta, ns=(antes.st_atime_ns, antes.st_mtime_ns))
    tercera = preparacion.abrir(informe=informe)
    pd.testing.assert_series_equal(tercera.tablas["acp"][columna], original + 2)


def _seccion(cuadernos: Path, nombre: str = "02_prueba.ipynb") -> Seccion:
    (cuadernos / nombre).write_text('{"cells": []}', encoding="utf-8")
    return Seccion(cuaderno=nombre, titulo="Prueba")


def _ejecutada(informe: Path, seccion: Seccion, contenido: str) -> None:
    destino = informe / "notebooks" / seccion.archivo
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_text(contenido, encoding="utf-8")


def _cache(tmp_path, informe, cuadernos) -> CacheDeSecciones:
    return CacheDeSecciones(Almacen(tmp_path / "objetos"), informe, cuadernos,
                            preparacion.PARAMETROS)


def _otra_corrida(informe: Path, tmp_path: Path, nombre: str) -> Path:
    """La carpeta temporal de la corrida siguiente: lo mismo, sin los cuadernos ejecutados."""
    otra = tmp_path / nombre
    shutil.copytree(informe, otra, ignore=shutil.ignore_patterns("notebooks"))
    return otra


def _cambiar_tabla(informe: Path, tabla: str) -> None:
    ruta = informe / "calculo" / f"{tabla}.parquet"
    datos = pd.read_parquet(ruta)
    datos.iloc[0, 0] = datos.iloc[1, 0]
    datos.to_parquet(ruta, index=False)


def _guardada(tmp_path: Path, informe: Path, contenido: str,
              leidas: list[str]) -> tuple[Path, Seccion]:
    """(cuadernos, sección) de una sección ejecutada en `informe` y guardada en la caché con
    lo que leyó."""
    cuadernos = tmp_path / "cuadernos"
    cuadernos.mkdir(exist_ok=True)
    seccion = _seccion(cuadernos)
    _ejecutada(informe, seccion, contenido)
    _cache(tmp_path, informe, cuadernos).guardar(seccion, leidas,
                                                 [f"notebooks/{seccion.archivo}"])
    return cuadernos, seccion


def test_devuelve_la_seccion_si_lo_que_leyo_no_cambio(tmp_path, informe):
    cuadernos, seccion = _guardada(tmp_path, informe, "ejecutada la primera vez",
                                   ["calculo/acp.parquet"])

    # Otra corrida: la tabla que leyó, igual; otra que no leyó, cambiada.
    siguiente = _otra_corrida(informe, tmp_path, "siguiente")
    _cambiar_tabla(siguiente, "operacion")
    assert _cache(tmp_path, siguiente, cuadernos).restaurar(seccion)
    assert (siguiente / "notebooks" / seccion.archivo).read_text(encoding="utf-8") == (
        "ejecutada la primera vez")

    # La tabla que leyó, cambiada: se ejecuta otra vez.
    cambiada = _otra_corrida(informe, tmp_path, "cambiada")
    _cambiar_tabla(cambiada, "acp")
    assert not _cache(tmp_path, cambiada, cuadernos).restaurar(seccion)
    assert not (cambiada / "notebooks" / seccion.archivo).exists()


def test_otro_cuaderno_otros_parametros_u_otro_codigo_no_la_devuelven(
        tmp_path, informe, monkeypatch):
    cuadernos, seccion = _guardada(tmp_path, informe, "ejecutada", [])
    assert _cache(tmp_path, _otra_corrida(informe, tmp_path, "igual"), cuadernos).restaurar(
        seccion)

    (cuadernos / seccion.cuaderno).write_text('{"cells": [], "otra": 1}', encoding="utf-8")
    assert not _cache(tmp_path, _otra_corrida(informe, tmp_path, "c"), cuadernos).restaurar(
        seccion)
    _seccion(cuadernos)  # el cuaderno como era

    otros_params = _otra_corrida(informe, tmp_path, "p")
    with (otros_params / preparacion.PARAMETROS).open("a", encoding="utf-8") as f:
        f.write("\nfilas_por_cuadro: 10\n")
    assert not _cache(tmp_path, otros_params, cuadernos).restaurar(seccion)

    monkeypatch.setattr(cache_secciones, "huella_del_codigo", lambda: "otro código")
    assert not _cache(tmp_path, _otra_corrida(informe, tmp_path, "k"), cuadernos).restaurar(
        seccion)


def test_volver_a_una_cifra_anterior_tambien_se_encuentra(tmp_path, informe):
    cuadernos, seccion = _guardada(tmp_path, informe, "con la cifra de antes",
                                   ["calculo/acp.parquet"])
    corregida = _otra_corrida(informe, tmp_path, "corregida")
    _cambiar_tabla(corregida, "acp")
    _ejecutada(corregida, seccion, "con la cifra corregida")
    _cache(tmp_path, corregida, cuadernos).guardar(
        seccion, ["calculo/acp.parquet"], [f"notebooks/{seccion.archivo}"])

    deshecha = _otra_corrida(informe, tmp_path, "deshecha")
    assert _cache(tmp_path, deshecha, cuadernos).restaurar(seccion)
    assert (deshecha / "notebooks" / seccion.archivo).read_text(encoding="utf-8") == (
        "con la cifra de antes")


def test_la_memoria_guarda_y_devuelve_sus_tablas(tmp_path, informe):
    cuadernos = tmp_path / "cuadernos"
    cuadernos.mkdir()
    memoria = _seccion(cuadernos, "00_memoria.ipynb")
    _ejecutada(informe, memoria, "memoria ejecutada")
    _cache(tmp_path, informe, cuadernos).guardar_memoria(memoria)

    siguiente = _otra_corrida(informe, tmp_path, "siguiente")
    shutil.rmtree(siguiente / "calculo")
    assert _cache(tmp_path, siguiente, cuadernos).restaurar_memoria(memoria)
    for tabla in (informe / "calculo").glob("*.parquet"):
        assert (siguiente / "calculo" / tabla.name).read_bytes() == tabla.read_bytes()

    # Una hoja del libro cambiada: la memoria se ejecuta otra vez.
    otra = _otra_corrida(informe, tmp_path, "otra")
    shutil.rmtree(otra / "calculo")
    ruta = otra / "entrada" / "datos" / "acp.parquet"
    acp = pd.read_parquet(ruta)
    acp.loc[0, "descripcion"] = "Otra descripción"
    acp.to_parquet(ruta, index=False)
    assert not _cache(tmp_path, otra, cuadernos).restaurar_memoria(memoria)


def test_un_objeto_que_falta_obliga_a_ejecutar(tmp_path, informe):
    cuadernos, seccion = _guardada(tmp_path, informe, "ejecutada", [])
    for objeto in (tmp_path / "objetos").glob("??/*.bin"):
        objeto.unlink()
    siguiente = _otra_corrida(informe, tmp_path, "siguiente")
    assert not _cache(tmp_path, siguiente, cuadernos).restaurar(seccion)
