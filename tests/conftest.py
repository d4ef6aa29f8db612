"""Fixtures comunes de las pruebas. Los datos de prueba se escriben con `tests/fabrica.py`."""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # para `import fabrica` desde cualquier prueba

import fabrica

# Las órdenes de las pruebas no usan ni dejan el servidor residente (`helpers.residente`):
# quedaría vivo minutos, con sus kernels, después de la prueba, y una prueba correría en el
# de otra. Las pruebas del servidor lo activan ellas mismas, y lo cierran.
os.environ["INFORME_POA_SERVIDOR"] = "0"
# El secreto de la caché (`helpers.comun.almacen.secreto`) de las pruebas, en una carpeta
# temporal suya (también para las órdenes que lanzan): nunca el del usuario que las corre.
_SECRETO = Path(tempfile.mkdtemp(prefix="informe-poa-pruebas-")) / "secreto-cache"
os.environ["INFORME_POA_SECRETO"] = str(_SECRETO)
atexit.register(shutil.rmtree, _SECRETO.parent, ignore_errors=True)


@pytest.fixture
def libro_pequeno(tmp_path: Path) -> Path:
    """Ruta de un libro POA pequeño y válido (ver `fabrica.escribir_libro_pequeno`)."""
    return fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)


@pytest.fixture
def carpeta_csv_pequena(tmp_path: Path) -> Path:
    """Carpeta con el mismo POA pequeño como archivos CSV."""
    return fabrica.escribir_csv_pequeno(tmp_path / "csv")


@pytest.fixture
def params_pequeno(tmp_path: Path, libro_pequeno: Path) -> Path:
    """Archivo de parámetros del T2 2024 que apunta al libro pequeño y a una salida en tmp."""
    return fabrica.escribir_params(
        tmp_path / "params" / "prueba-T2.yaml", libro_pequeno, salida=str(tmp_path / "salida")
    )


@pytest.fixture
def composiciones_anotadas(monkeypatch) -> list[str]:
    """El HTML de cada página que WeasyPrint compone en este proceso, de prueba o no (lo que
    se toma de la caché del informe no se compone y no se anota)."""
    from helpers.salida.ensamblado import composicion

    compuestas: list[str] = []
    for nombre in ("componer", "componer_sin_escribir"):
        original = getattr(composicion, nombre)

        def anotando(texto, carpeta, original=original):
            compuestas.append(texto)
            return original(texto, carpeta)

        monkeypatch.setattr(composicion, nombre, anotando)
    return compuestas


@pytest.fixture(scope="session")
def informes_muestra():
    """Los informes de la muestra de `huella_informes.PARAMS` (uno de cada tipo), generados
    una vez por sesión: nombre del archivo de parámetros → carpeta del informe."""
    import shutil

    import huella_informes

    base = huella_informes.carpeta_base()
    yield {nombre: huella_informes.generar(nombre, base) for nombre in huella_informes.PARAMS}
    shutil.rmtree(base, ignore_errors=True)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "informe_completo: corre el ejecutor completo (HTML y PDF); tarda ~15 s por caso"
    )


# Las fixtures que generan un informe completo, ejecutan las secciones o ensamblan el PDF:
# las pruebas que las usan (directa o indirectamente) son lentas y `make test-rapido` las
# salta. Las pruebas lentas que no pasan por ellas llevan `@pytest.mark.lento`.
FIXTURES_LENTAS = {
    "informe",  # test_informe, test_texto_inerte, test_verificacion, test_ensamblado
    "informe_narrativo", "rendicion", "ejecutados", "formularios", "oficial", "medida",
    "salida_muestra", "preparados", "informes_muestra",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        lenta = FIXTURES_LENTAS & set(getattr(item, "fixturenames", ()))
        if lenta or item.get_closest_marker("informe_completo"):
            item.add_marker(pytest.mark.lento)


@pytest.fixture(scope="session")
def ayudantes():
    """Los procesos de ayuda de una corrida con más de un núcleo (`helpers.residente.procesos`):
    `cediendo` y `compositor`, ejecutores de `concurrent.futures`."""
    from helpers.residente.procesos import Procesos

    with Procesos() as procesos:
        procesos.arrancar_ayudantes()
        yield procesos
