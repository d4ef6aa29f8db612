"""Fixtures comunes de las pruebas. Los datos de prueba se escriben con `tests/fabrica.py`."""
from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # para `import fabrica` desde cualquier prueba

import cpu_por_prueba
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


@contextlib.contextmanager
def nucleos_de_la_maquina():
    """Mientras dura, los informes (y las órdenes que se lanzan) usan todos los núcleos de la
    máquina, aunque el trabajador de pytest-xdist tenga sólo su parte (`pytest_configure`)."""
    from helpers.comun.nucleos import VARIABLE_NUCLEOS

    antes = os.environ.get(VARIABLE_NUCLEOS)
    os.environ[VARIABLE_NUCLEOS] = str(os.cpu_count() or 1)
    try:
        yield
    finally:
        if antes is None:
            os.environ.pop(VARIABLE_NUCLEOS, None)
        else:
            os.environ[VARIABLE_NUCLEOS] = antes


@pytest.fixture
def con_los_nucleos_de_la_maquina():
    """Para las pruebas de lo que una corrida hace con más de un núcleo (sus procesos de ayuda,
    el segundo kernel, el servidor residente): ver `nucleos_de_la_maquina`."""
    with nucleos_de_la_maquina():
        yield


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


class InformesDeLaMuestra(Mapping):
    """Los informes de la muestra de `huella_informes.PARAMS` (uno de cada tipo): nombre del
    archivo de parámetros → carpeta del informe. Cada uno se genera la primera vez que una
    prueba lo pide, en una carpeta de `huella_informes.carpeta_base`.

    En paralelo (pytest-xdist), `compartida` es una carpeta de todos los trabajadores de la
    corrida: el primero que pide un informe lo genera con el candado de ese informe tomado
    (`filelock`, el patrón que documenta pytest-xdist) y anota dónde quedó; los demás
    esperan el candado y leen la nota. Las carpetas las borra el proceso que reparte
    (`pytest_sessionfinish`), cuando ya ningún trabajador las lee."""

    def __init__(self, compartida: Path | None = None):
        self._compartida = compartida
        self._carpetas: dict[str, Path] = {}
        self._bases: list[Path] = []

    def __iter__(self):
        import huella_informes

        return iter(huella_informes.PARAMS)

    def __len__(self) -> int:
        import huella_informes

        return len(huella_informes.PARAMS)

    def __getitem__(self, nombre: str) -> Path:
        import huella_informes

        if nombre not in huella_informes.PARAMS:
            raise KeyError(nombre)
        if nombre not in self._carpetas:
            self._carpetas[nombre] = (self._generar(nombre) if self._compartida is None
                                      else self._generar_una_vez(nombre))
        return self._carpetas[nombre]

    def _generar(self, nombre: str) -> Path:
        import huella_informes

        base = huella_informes.carpeta_base()
        self._bases.append(base)
        # Como en la máquina de quien los usa, con sus procesos de ayuda.
        with nucleos_de_la_maquina():
            return huella_informes.generar(nombre, base)

    def _generar_una_vez(self, nombre: str) -> Path:
        from filelock import FileLock

        nota = self._compartida / f"{_PREFIJO_NOTA}{nombre}.json"
        with FileLock(f"{nota}.lock"):
            if not nota.exists():
                carpeta = self._generar(nombre)
                nota.write_text(json.dumps({"carpeta": str(carpeta),
                                            "base": str(self._bases.pop())}), encoding="utf-8")
            return Path(json.loads(nota.read_text(encoding="utf-8"))["carpeta"])

    def borrar(self) -> None:
        for base in self._bases:
            shutil.rmtree(base, ignore_errors=True)


# Las notas de `InformesDeLaMuestra` en la carpeta de la corrida en paralelo.
_PREFIJO_NOTA = "informe-de-la-muestra-"


@pytest.fixture(scope="session")
def informes_muestra(request, tmp_path_factory):
    """Los informes de la muestra, generados una vez por corrida (ver `InformesDeLaMuestra`)."""
    # La carpeta temporal de cada trabajador está dentro de la de la corrida.
    informes = InformesDeLaMuestra(tmp_path_factory.getbasetemp().parent
                                   if _trabajador_de_xdist(request.config) else None)
    yield informes
    informes.borrar()


def _trabajador_de_xdist(config) -> bool:
    # No PYTEST_XDIST_WORKER: las órdenes que lanzan las pruebas heredan el entorno.
    return hasattr(config, "workerinput")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "informe_completo: corre el ejecutor completo (HTML y PDF); tarda ~15 s por caso"
    )
    # En paralelo (pytest-xdist, `make test`), cada archivo corre entero en un trabajador:
    # sus fixtures de módulo se arman una vez, y las celdas de un cuaderno corren en orden en
    # su kernel. (`--dist loadgroup` no agrupa con pytest 9.2: pytest-xdist#1386.)
    if getattr(config.option, "numprocesses", None) and config.option.dist != "loadfile":
        raise pytest.UsageError(
            "las pruebas en paralelo se reparten por archivo: agregue --dist loadfile "
            "(make test lo hace)")
    if getattr(config.option, "dist", "no") == "loadfile":
        # El orden de los archivos lo pone `_ordenar_para_xdist`, no su número de pruebas.
        config.option.loadscopereorder = False
    if _trabajador_de_xdist(config):
        _repartir_los_nucleos(config.workerinput["workercount"])


def pytest_xdist_auto_num_workers(config) -> int:
    """Cuántos trabajadores da `-n auto` (`make test`): uno por núcleo y uno más. Las pruebas
    pasan parte de su tiempo esperando a otro proceso (un kernel que arranca, Chromium, el
    servidor residente, LibreOffice, un plazo): con uno por núcleo, los núcleos quedaban sin
    trabajo un décimo de la suite; con uno más, ese tiempo lo usa el tercero (docs/pruebas.md,
    «Cuánto tarda»)."""
    return (os.cpu_count() or 1) + 1


def _repartir_los_nucleos(trabajadores: int) -> None:
    """Cada trabajador de pytest-xdist genera sus informes con su parte de los núcleos, como
    cada informe del lote (`helpers.lote`): con un núcleo, un informe no arranca procesos de
    ayuda ni un segundo kernel, que en una máquina que el otro trabajador ya ocupa sólo
    sumarían lo que cuesta arrancarlos (docs/pruebas.md, «Cuánto tarda»). Lo que se hace con
    más de un núcleo lo prueban quienes piden `con_los_nucleos_de_la_maquina`, y los informes
    de la muestra (`informes_muestra`) se generan con todos."""
    from helpers.comun.nucleos import VARIABLE_NUCLEOS

    os.environ.setdefault(VARIABLE_NUCLEOS, str(max(1, (os.cpu_count() or 1) // trabajadores)))


def pytest_sessionfinish(session):
    """En paralelo, el proceso que reparte borra los informes de la muestra que generaron
    los trabajadores (`InformesDeLaMuestra`), cuando todos terminaron."""
    if not getattr(session.config.option, "numprocesses", None):
        return  # sin xdist, o un trabajador
    # La carpeta de la corrida, la misma que pytest-xdist reparte entre los trabajadores.
    for nota in session.config._tmp_path_factory.getbasetemp().glob(f"{_PREFIJO_NOTA}*.json"):
        shutil.rmtree(json.loads(nota.read_text(encoding="utf-8"))["base"], ignore_errors=True)


# Las fixtures que generan un informe completo, ejecutan las secciones o ensamblan el PDF:
# las pruebas que las usan (directa o indirectamente) son lentas y `make test-rapido` las
# salta. Las pruebas lentas que no pasan por ellas llevan `@pytest.mark.lento`.
FIXTURES_LENTAS = {
    "informe",  # test_informe, test_texto_inerte, test_verificacion, test_ensamblado
    "informe_narrativo", "rendicion", "ejecutados", "formularios", "oficial", "medida",
    "salida_muestra", "preparados", "informes_muestra",
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Con `cpu_por_prueba.VARIABLE`, el procesador de cada prueba (en el proceso que la corre,
    no en el que reparte)."""
    yield
    cpu_por_prueba.anotar(item.nodeid)


def pytest_collection_modifyitems(config, items):
    for item in items:
        lenta = FIXTURES_LENTAS & set(getattr(item, "fixturenames", ()))
        if lenta or item.get_closest_marker("informe_completo"):
            item.add_marker(pytest.mark.lento)
    if _trabajador_de_xdist(config):
        _ordenar_para_xdist(items)


def _ordenar_para_xdist(items) -> None:
    """Los archivos con más pruebas lentas primero (el orden en que el proceso que reparte
    los entrega, con `--no-loadscope-reorder`): un archivo largo que empieza al final deja
    al otro núcleo sin trabajo. Dentro de cada archivo, el orden de siempre."""
    lentas: dict[Path, int] = {}
    for item in items:
        lentas[item.path] = lentas.get(item.path, 0) + bool(item.get_closest_marker("lento"))
    items.sort(key=lambda item: -lentas[item.path])  # estable


@pytest.fixture(scope="session")
def ayudantes():
    """Los procesos de ayuda de una corrida con más de un núcleo (`helpers.residente.procesos`):
    `cediendo` y `compositor`, ejecutores de `concurrent.futures`."""
    from helpers.residente.procesos import Procesos

    with nucleos_de_la_maquina():
        procesos = Procesos()
    with procesos:
        procesos.arrancar_ayudantes()
        yield procesos
