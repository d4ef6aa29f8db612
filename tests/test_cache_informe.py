"""La caché del informe (`helpers.salida.cache_informe`), primera capa: un informe al día no
se genera otra vez ni se toca; cualquier cambio en lo que la corrida lee (parámetros, datos,
cuadernos) o en el informe mismo hace que se genere; `forzar` lo genera igual, y sin caché
se genera sin mirarla ni escribirla.

Las pruebas de este archivo comparten un informe del libro pequeño (`fabrica`), generado una
vez con la caché; cada una deja la carpeta como la encontró."""
from __future__ import annotations

import hashlib
from pathlib import Path

import fabrica
import openpyxl
import pytest
from click.testing import CliRunner

from helpers.cli import principal
from helpers.informe import Avisos, generar
from helpers.rutas import CUADERNOS, MANIFIESTO
from helpers.salida.cache_informe import (
    REGISTRO,
    al_dia,
    carpeta_cache,
    estado_de_entradas,
    guardar_registro,
)

pytestmark = pytest.mark.informe_completo


class Anotados(Avisos):
    """Avisos que no imprimen nada y guardan el texto de cada etapa."""

    def __init__(self) -> None:
        self.etapas: list[str] = []
        self.ejecutadas: list[str] = []
        self.de_la_cache: list[str] = []

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        self.etapas.append(texto)

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        self.de_la_cache.append(titulo) if de_la_cache else self.ejecutadas.append(titulo)

    def listo(self, salida: Path, segundos: float) -> None:
        pass


@pytest.fixture(scope="module")
def con_cache(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(parámetros, libro, carpeta del informe) de un informe generado con la caché."""
    base = tmp_path_factory.mktemp("cache")
    libro = fabrica.escribir_libro_pequeno(base / "datos" / fabrica.NOMBRE_LIBRO)
    params = fabrica.escribir_params(base / "params" / "prueba-T2.yaml", libro,
                                     salida=str(base / "salida"))
    salida = generar(params, avisos=Anotados(), cache=True)
    return params, libro, salida


def _estado_de_la_carpeta(carpeta: Path) -> dict[str, tuple[str, int]]:
    """Cada archivo de `carpeta` (también los ocultos): su SHA-256 y su fecha de cambio."""
    return {
        p.relative_to(carpeta).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                            p.stat().st_mtime_ns)
        for p in sorted(carpeta.rglob("*")) if p.is_file()
    }


def _entradas(params: Path, libro: Path, cuadernos: Path = CUADERNOS) -> dict:
    return estado_de_entradas(tipo="trimestral", params=params, datos=libro,
                              cuadernos=cuadernos)


def _tablas(salida: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((salida / "tablas").glob("*.csv"))}


def test_sin_cambios_esta_al_dia_y_no_se_toca(con_cache):
    params, _libro, salida = con_cache
    antes = _estado_de_la_carpeta(salida)
    avisos = Anotados()

    assert generar(params, avisos=avisos, cache=True) == salida

    assert any("está al día" in texto for texto in avisos.etapas), avisos.etapas
    assert _estado_de_la_carpeta(salida) == antes


def test_la_cache_esta_fuera_del_informe(con_cache):
    _params, _libro, salida = con_cache
    cache = carpeta_cache(salida)
    assert (cache / REGISTRO).is_file()
    assert cache.parent == salida.parent and cache.name.startswith(".")
    # Nada de la caché en el informe: el manifiesto nombra todo lo que hay en él.
    from helpers.salida.manifiesto import verificar_manifiesto

    assert verificar_manifiesto(salida / MANIFIESTO) == []


def _cambiar_celda(libro: Path) -> None:
    hoja_libro = openpyxl.load_workbook(libro)
    hoja = hoja_libro["operaciones"]
    columna = [c.value for c in hoja[1]].index("ejec_05") + 1
    hoja.cell(2, columna).value = (hoja.cell(2, columna).value or 0) + 1
    hoja_libro.save(libro)


def _agregar_linea(ruta: Path) -> None:
    with ruta.open("a", encoding="utf-8") as f:
        f.write("\n# una línea más\n" if ruta.suffix == ".yaml" else "x\n")


# Cada cambio: qué archivo se toca (relativo a la base: el de parámetros, el libro, o uno
# del informe) y cómo.
CAMBIOS = {
    "una celda del libro": ("libro", _cambiar_celda),
    "el archivo de parámetros": ("params", _agregar_linea),
    "una tabla del informe": ("salida/tablas/alertas.csv", _agregar_linea),
    "el PDF del informe": ("salida/informe.pdf", _agregar_linea),
    "el manifiesto": ("salida/" + MANIFIESTO, _agregar_linea),
}


@pytest.mark.parametrize("cambio", list(CAMBIOS))
def test_un_cambio_hace_que_no_este_al_dia(con_cache, cambio):
    params, libro, salida = con_cache
    donde, cambiar = CAMBIOS[cambio]
    ruta = {"libro": libro, "params": params}.get(donde) or salida.parent / donde
    original = ruta.read_bytes()
    assert al_dia(salida, _entradas(params, libro))
    try:
        cambiar(ruta)
        assert not al_dia(salida, _entradas(params, libro))
    finally:
        ruta.write_bytes(original)
    assert al_dia(salida, _entradas(params, libro))


def test_otros_cuadernos_u_otro_registro_no_estan_al_dia(con_cache, tmp_path):
    params, libro, salida = con_cache
    otros = tmp_path / "notebooks"
    otros.mkdir()
    (otros / "vacio.ipynb").write_text("{}", encoding="utf-8")
    assert not al_dia(salida, _entradas(params, libro, otros))

    registro = carpeta_cache(salida) / REGISTRO
    original = registro.read_bytes()
    try:
        registro.write_text("{ a medias", encoding="utf-8")
        assert not al_dia(salida, _entradas(params, libro))
        registro.unlink()
        assert not al_dia(salida, _entradas(params, libro))
    finally:
        registro.write_bytes(original)


def test_forzar_lo_genera_otra_vez_con_las_mismas_tablas(con_cache):
    params, libro, salida = con_cache
    manifiesto, tablas = (salida / MANIFIESTO).read_bytes(), _tablas(salida)
    avisos = Anotados()

    generar(params, avisos=avisos, cache=True, forzar=True)

    assert not any("está al día" in texto for texto in avisos.etapas)
    assert (salida / MANIFIESTO).read_bytes() != manifiesto  # otra corrida, otra hora
    assert _tablas(salida) == tablas
    # El registro es el de la corrida nueva.
    assert al_dia(salida, _entradas(params, libro))


def test_sin_cache_lo_genera_sin_mirar_ni_escribir_la_cache(con_cache):
    params, libro, salida = con_cache
    registro = carpeta_cache(salida) / REGISTRO
    antes = registro.read_bytes(), registro.stat().st_mtime_ns
    manifiesto, tablas = (salida / MANIFIESTO).read_bytes(), _tablas(salida)

    generar(params, avisos=Anotados(), cache=False)

    assert (salida / MANIFIESTO).read_bytes() != manifiesto
    # Dos corridas desde cero en la misma carpeta dan las mismas tablas, byte a byte.
    assert _tablas(salida) == tablas
    assert (registro.read_bytes(), registro.stat().st_mtime_ns) == antes
    # El registro que quedó es de otra corrida: ya no dice que el informe está al día.
    assert not al_dia(salida, _entradas(params, libro))
    guardar_registro(salida, _entradas(params, libro))  # la carpeta, como estaba


@pytest.mark.parametrize("tipo", ["trimestral", "anual", "formulacion"])
def test_las_ordenes_de_informe_tienen_forzar_y_sin_cache(tipo):
    ayuda = CliRunner().invoke(principal, [tipo, "--help"]).output
    assert "--forzar" in ayuda and "--sin-cache" in ayuda
