"""La carpeta del informe: el ejecutor sólo reemplaza lo suyo, nunca deja la salida sin
informe y no deja que dos corridas escriban a la vez (helpers.salida.carpeta_informe y el
ejecutor)."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import fabrica
import pytest

from helpers.rutas import RAIZ
from helpers.salida import carpeta_informe as ci
from helpers.salida.carpeta_informe import (
    MARCA,
    CarpetaOcupada,
    carpeta_nueva,
    cerrojo,
    comprobar_salida,
    limpiar_restos,
    reemplazar,
)


def huellas(carpeta: Path) -> dict[str, str]:
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*")) if p.is_file()
    }


def hermanas(salida: Path) -> list[str]:
    """Lo que hay junto a la carpeta de salida con su nombre, salvo el cerrojo."""
    return sorted(
        p.name for p in salida.parent.iterdir()
        if p.name.startswith(f".{salida.name}.") and not p.name.endswith(".cerrojo")
    )


def informe_falso(carpeta: Path, contenido: str = "anterior") -> Path:
    """Una carpeta con la marca del ejecutor y un archivo, como un informe ya generado."""
    carpeta.mkdir(parents=True)
    (carpeta / MARCA).write_text("{}", encoding="utf-8")
    (carpeta / "informe.html").write_text(contenido, encoding="utf-8")
    return carpeta


def comprobar(salida: Path, tmp_path: Path, datos: Path | None = None) -> list[str]:
    datos = datos or tmp_path / "datos" / "poa.xlsx"
    return comprobar_salida(salida, datos=datos, params=tmp_path / "params" / "p.yaml",
                            proyecto=tmp_path / "proyecto")


# --- Qué carpetas acepta ----------------------------------------------------------------


def test_acepta_una_carpeta_nueva_vacia_o_con_la_marca(tmp_path):
    assert comprobar(tmp_path / "salida" / "2024-T2", tmp_path) == []
    (tmp_path / "vacia").mkdir()
    assert comprobar(tmp_path / "vacia", tmp_path) == []
    assert comprobar(informe_falso(tmp_path / "informe"), tmp_path) == []


@pytest.mark.parametrize("cual", ["raiz", "proyecto real", "carpeta personal"])
def test_rechaza_la_raiz_el_proyecto_y_la_carpeta_personal(tmp_path, cual):
    # Se comprueba sin ejecutar el informe: un fallo aquí borraría lo que protege.
    salida = {"raiz": Path("/"), "proyecto real": RAIZ, "carpeta personal": Path.home()}[cual]
    motivos = comprobar_salida(salida, datos=tmp_path / "poa.xlsx", params=tmp_path / "p.yaml",
                               proyecto=RAIZ)
    assert motivos, salida
    # Lo que contiene a la carpeta personal o al proyecto tampoco.
    assert comprobar_salida(salida.parent, datos=tmp_path / "poa.xlsx", params=tmp_path / "p.yaml",
                            proyecto=RAIZ)


def test_dentro_del_proyecto_si_se_acepta(tmp_path):
    motivos = comprobar_salida(RAIZ / "output" / "prueba-no-creada", datos=tmp_path / "poa.xlsx",
                               params=tmp_path / "p.yaml", proyecto=RAIZ)
    assert motivos == []


@pytest.mark.parametrize("donde", ["la misma", "la que la contiene"])
def test_rechaza_la_carpeta_que_contiene_los_datos_y_dice_cual_sirve(tmp_path, donde):
    """La salida que contiene el libro lo borraría: el motivo lo dice y propone una carpeta
    nueva junto al libro, que se acepta."""
    datos = tmp_path / "datos" / "sub" / "poa.xlsx"
    salida = {"la misma": datos.parent, "la que la contiene": tmp_path / "datos"}[donde]
    (motivo,) = comprobar(salida, tmp_path, datos=datos)
    assert f"contiene el libro o la carpeta de los datos ({datos})" in motivo
    assert "se borraría" in motivo and "elija una carpeta que no lo contenga" in motivo
    propuesta = Path(motivo.rsplit("(salida: ", 1)[1].rstrip(")"))
    assert propuesta.parent == datos.parent and comprobar(propuesta, tmp_path, datos=datos) == []


@pytest.mark.parametrize("datos", ["libro", "carpeta de CSV"])
def test_acepta_una_carpeta_dentro_de_la_de_los_datos(tmp_path, datos):
    """POA2025/poa.xlsx y POA2025/informe-T2: la salida dentro de la carpeta del libro (o de
    la de los CSV, que se leen sin entrar en subcarpetas) no lo contiene."""
    ruta = tmp_path / "POA2025" / ("poa.xlsx" if datos == "libro" else "csv")
    carpeta = ruta.parent if datos == "libro" else ruta
    assert comprobar(carpeta / "informe-T2", tmp_path, datos=ruta) == []


def test_rechaza_la_carpeta_que_contiene_los_parametros(tmp_path):
    params = tmp_path / "params" / "p.yaml"
    (motivo,) = comprobar(params.parent, tmp_path)
    assert f"contiene el archivo de parámetros ({params})" in motivo
    assert f"(salida: {params.parent / 'informe'})" in motivo


def test_acepta_un_informe_anterior_a_la_marca_si_su_manifiesto_lo_cubre(tmp_path):
    informe = tmp_path / "2024-T2"
    (informe / "tablas").mkdir(parents=True)
    (informe / "tablas" / "acp.csv").write_text("a", encoding="utf-8")
    (informe / "manifiesto.json").write_text(
        json.dumps({"formato": 1, "salidas": [{"ruta": "tablas/acp.csv"}]}), encoding="utf-8")
    assert comprobar(informe, tmp_path) == []
    (informe / "mis-notas.txt").write_text("mías", encoding="utf-8")
    assert comprobar(informe, tmp_path)


def test_rechaza_una_carpeta_ajena_con_archivos(tmp_path):
    ajena = tmp_path / "output"
    (ajena / "2024-T1").mkdir(parents=True)
    (ajena / "notas.txt").write_text("mío", encoding="utf-8")
    (motivo,) = comprobar(ajena, tmp_path)
    assert MARCA in motivo and "no es un informe" in motivo


def test_rechaza_un_archivo_y_una_carpeta_sin_permiso(tmp_path):
    (tmp_path / "archivo").write_text("x", encoding="utf-8")
    assert "no es una carpeta" in comprobar(tmp_path / "archivo", tmp_path)[0]
    if os.geteuid() == 0:
        pytest.skip("root escribe en cualquier carpeta")
    cerrada = tmp_path / "cerrada"
    cerrada.mkdir(mode=0o500)
    try:
        assert "permiso denegado" in comprobar(cerrada / "2024-T2", tmp_path)[0]
    finally:
        cerrada.chmod(0o700)


# --- Reemplazo y restos -------------------------------------------------------------------


@pytest.mark.parametrize("atomico", [True, False], ids=["intercambio", "dos-renombres"])
def test_reemplazar_pone_el_nuevo_y_borra_el_anterior(tmp_path, monkeypatch, atomico):
    if not atomico:
        monkeypatch.setattr(ci, "_intercambiar", lambda a, b: False)
    salida = informe_falso(tmp_path / "2024-T2")
    nuevo = carpeta_nueva(salida, {"informe": "2024-T2"})
    (nuevo / "informe.html").write_text("nuevo", encoding="utf-8")
    reemplazar(nuevo, salida)
    assert (salida / "informe.html").read_text(encoding="utf-8") == "nuevo"
    assert (salida / MARCA).is_file()
    assert hermanas(salida) == []


def test_el_intercambio_atomico_funciona_en_este_sistema(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").touch()
    if not ci._intercambiar(a, b):
        pytest.skip("el sistema de archivos no ofrece renameat2(RENAME_EXCHANGE)")
    assert (b / "x").exists() and not (a / "x").exists()


def test_restos_de_una_corrida_interrumpida(tmp_path):
    """Entre los dos renombres (sin intercambio atómico) la salida falta: la siguiente
    corrida devuelve el anterior a su lugar y borra la carpeta a medio armar; no toca una
    carpeta ajena que se llame parecido."""
    salida = tmp_path / "2024-T2"
    anterior = informe_falso(tmp_path / ".2024-T2.anterior-abc", "el de antes")
    a_medias = carpeta_nueva(salida, {})
    (tmp_path / ".2024-T2.nuevo-vacia").mkdir()
    ajena = tmp_path / ".2024-T2.nuevo-ajena"
    ajena.mkdir()
    (ajena / "mio.txt").write_text("no borrar", encoding="utf-8")
    tocadas = limpiar_restos(salida)
    assert anterior in tocadas and a_medias in tocadas
    assert (salida / "informe.html").read_text(encoding="utf-8") == "el de antes"
    assert hermanas(salida) == [ajena.name]
    assert (ajena / "mio.txt").exists()


def test_cerrojo_impide_una_segunda_corrida(tmp_path):
    salida = tmp_path / "2024-T2"
    with cerrojo(salida):
        with pytest.raises(CarpetaOcupada, match="Otra corrida"):
            with cerrojo(salida):
                pass
    with cerrojo(salida):  # liberado al salir
        pass


# --- El ejecutor de punta a punta -----------------------------------------------------------


def ejecutor(params: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.informe", str(params)],
        cwd=RAIZ, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,
    )


def esperar_linea(proceso: subprocess.Popen, fragmento: str, limite: float = 300) -> None:
    fin = time.monotonic() + limite
    while time.monotonic() < fin:
        linea = proceso.stdout.readline()
        if fragmento in linea:
            return
        if not linea and proceso.poll() is not None:
            break
    proceso.kill()
    raise AssertionError(f"el ejecutor no llegó a «{fragmento}»: {proceso.stderr.read()}")


def correr(params: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.informe", str(params)], cwd=RAIZ,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.parametrize("hay_anterior", [False, True])
def test_el_informe_anterior_se_nombra_solo_si_existe(tmp_path, capsys, hay_anterior):
    """Un informe que no se generó dice que el anterior no cambió sólo si la carpeta de los
    parámetros tiene uno (la falla: parámetros de otro tipo de informe, antes de tocar
    nada)."""
    from helpers.codigos import NO_SE_GENERO
    from helpers.informe import correr

    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    salida = tmp_path / "salida" / "2024-T2"
    params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida=str(salida))
    if hay_anterior:
        informe_falso(salida)
    codigo, carpeta = correr(params, tipo="anual")
    assert codigo == 2 and carpeta is None
    ultima = capsys.readouterr().err.strip().splitlines()[-1]
    if hay_anterior:
        assert ultima == f"{NO_SE_GENERO}; el informe anterior de {salida.resolve()} no cambió."
    else:
        assert ultima == f"{NO_SE_GENERO}." and "anterior" not in ultima


@pytest.mark.lento
@pytest.mark.parametrize("caso", ["carpeta de los datos", "carpeta con otros informes", "raíz"])
def test_el_ejecutor_no_borra_lo_ajeno(tmp_path, caso):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    if caso == "carpeta de los datos":
        salida = libro.parent
    elif caso == "raíz":
        # Rechazada antes de tomar el cerrojo; de la raíz sólo se comparan sus nombres.
        salida = Path("/")
        params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida="/")
        antes = sorted(os.listdir("/"))
        resultado = correr(params)
        assert resultado.returncode == 2, resultado.stderr
        assert "clave salida" in resultado.stderr and "raíz del sistema" in resultado.stderr
        assert "Traceback" not in resultado.stderr
        assert sorted(os.listdir("/")) == antes
        return
    else:
        salida = tmp_path / "output"
        (salida / "2024-T1").mkdir(parents=True)
        (salida / "2023-T4" / "informe.html").parent.mkdir()
        (salida / "2023-T4" / "informe.html").write_text("publicado", encoding="utf-8")
        (salida / "notas.txt").write_text("mis notas", encoding="utf-8")
    antes = huellas(salida)
    params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida=str(salida))
    resultado = correr(params)
    assert resultado.returncode == 2, resultado.stderr
    assert "clave salida" in resultado.stderr and "Traceback" not in resultado.stderr
    assert huellas(salida) == antes
    if caso != "carpeta de los datos":
        assert (salida / "2024-T1").is_dir()


@pytest.mark.lento
def test_interrumpida_con_sigkill_y_dos_corridas_a_la_vez(tmp_path):
    """Un informe ya generado; una corrida muere (SIGKILL) durante las secciones y otra durante
    el ensamblado: el informe anterior queda idéntico byte a byte. Mientras una corrida
    trabaja, otra sobre la misma carpeta se detiene con un mensaje. La corrida siguiente
    termina bien y no deja carpetas temporales."""
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    salida = tmp_path / "salida" / "2024-T2"
    params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida=str(salida))
    primera = correr(params)
    assert primera.returncode == 0, primera.stderr
    publicado = huellas(salida)

    # Cada etapa avisa al terminar: tras «Datos guardados» corren las secciones; tras
    # «Secciones ejecutadas», el ensamblado.
    for momento in ("Datos guardados", "Secciones ejecutadas"):
        proceso = ejecutor(params)
        esperar_linea(proceso, momento)
        if momento == "Datos guardados":
            # Las secciones y el ensamblado le llevan varios segundos más: la segunda corrida
            # llega al cerrojo mientras la primera lo tiene.
            segunda = correr(params)
            assert segunda.returncode == 1, segunda.stderr
            assert "Otra corrida" in segunda.stderr and "Traceback" not in segunda.stderr
            assert proceso.poll() is None, "la primera corrida terminó antes de la prueba"
        proceso.send_signal(signal.SIGKILL)
        proceso.wait(timeout=60)
        proceso.stdout.close()
        proceso.stderr.close()
        assert huellas(salida) == publicado, momento
        assert hermanas(salida), "la corrida muerta debió dejar su carpeta a medio armar"

    final = correr(params)
    assert final.returncode == 0, final.stderr
    assert "restos de una corrida interrumpida" in final.stdout
    assert hermanas(salida) == []
    assert huellas(salida).keys() == publicado.keys()


NADIE = 65534  # el usuario `nobody`
COMO_NADIE = ["setpriv", f"--reuid={NADIE}", f"--regid={NADIE}", "--clear-groups"]
SIN_ROOT = "hace falta root (y setpriv) para correr el ejecutor como otro usuario"


def _programa_para_nadie(base: Path) -> tuple[dict[str, str], Path]:
    """Lo que `nobody` necesita para correr el ejecutor, donde puede leerlo: una copia del
    programa (src/helpers, los cuadernos, pyproject.toml) en `base`, que debe poder
    atravesar. El clon puede estar en una carpeta privada (un home 0700, /root, un
    `mktemp -d`) a la que `nobody` no entra. El intérprete y sus paquetes no se copian: si
    `nobody` no llega a ellos (un .venv dentro de la carpeta privada), la prueba se salta
    diciendo por qué. Devuelve el entorno de la orden y la carpeta en que corre."""
    programa = base / "programa"
    sin_cache = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(RAIZ / "src" / "helpers", programa / "src" / "helpers", ignore=sin_cache)
    shutil.copytree(RAIZ / "notebooks", programa / "notebooks", ignore=sin_cache)
    shutil.copy(RAIZ / "pyproject.toml", programa / "pyproject.toml")
    for p in [programa, *programa.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    entorno = {**os.environ, "HOME": str(base), "PYTHONPATH": str(programa / "src")}
    prueba = subprocess.run(
        [*COMO_NADIE, sys.executable, "-c", "import helpers.informe; print(helpers.__file__)"],
        cwd=programa, capture_output=True, text=True, timeout=120, check=False, env=entorno)
    if prueba.returncode != 0:
        motivo = (prueba.stderr.strip().splitlines() or ["sin mensaje"])[-1]
        pytest.skip(f"el usuario nobody no llega al intérprete o a sus paquetes "
                    f"({sys.prefix}; ¿el entorno está en una carpeta privada?): {motivo}")
    assert Path(prueba.stdout.strip()).is_relative_to(programa), prueba.stdout
    return entorno, programa


# Dónde está lo que el ejecutor no puede usar (la salida de `nobody`).
SIN_PERMISO = ["carpeta sin permiso", "informe sin permiso", "carpeta que no se puede leer"]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason=SIN_ROOT)
@pytest.mark.parametrize("donde", SIN_PERMISO)
def test_sin_permiso_de_escritura_un_mensaje_y_no_una_traza(donde):
    """Root escribe en todas partes: el ejecutor corre como `nobody` (setpriv), con los
    datos en una carpeta legible por todos, la salida en una que no puede escribir (o, la
    última, en una que puede escribir pero no listar) y el programa copiado donde lo
    alcanza (`_programa_para_nadie`)."""
    base = Path(tempfile.mkdtemp(prefix="informe-poa-permisos-"))
    try:
        base.chmod(0o755)
        libro = fabrica.escribir_libro_pequeno(base / "datos" / fabrica.NOMBRE_LIBRO)
        cerrada = base / "cerrada"
        salida = cerrada / "2024-T2" if donde == "carpeta sin permiso" else cerrada
        if donde == "informe sin permiso":
            informe_falso(cerrada)
        else:
            cerrada.mkdir()
        params = fabrica.escribir_params(base / "params" / "p.yaml", libro, salida=str(salida))
        for p in base.rglob("*"):
            p.chmod(0o755 if p.is_dir() else 0o644)
        cerrada.chmod(0o333 if donde == "carpeta que no se puede leer" else 0o555)
        entorno, programa = _programa_para_nadie(base)
        resultado = subprocess.run(
            [*COMO_NADIE, sys.executable, "-m", "helpers.informe", str(params)],
            cwd=programa, capture_output=True, text=True, timeout=300, check=False,
            env=entorno,
        )
        assert resultado.returncode == 2, resultado.stderr
        assert "permiso denegado" in resultado.stderr and "clave salida" in resultado.stderr
        assert "Traceback" not in resultado.stderr
        if donde == "carpeta que no se puede leer":
            assert f"no se pudo leer {cerrada}" in resultado.stderr, resultado.stderr
    finally:
        shutil.rmtree(base)


def _copia_del_proyecto(destino: Path) -> Path:
    """El árbol del proyecto tal como está (también lo que no tiene commit), sin entornos,
    cachés ni informes: lo que tendría un clon."""
    fuera = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", ".pytest_cache",
                                   "output", ".git")
    for nombre in ("src", "tests", "notebooks", "params", "data", "pyproject.toml"):
        origen = RAIZ / nombre
        if origen.is_dir():
            shutil.copytree(origen, destino / nombre, ignore=fuera)
        else:
            shutil.copy(origen, destino / nombre)
    return destino


def _entorno_para(copia: Path, carpeta: Path) -> Path:
    """Un entorno virtual en `carpeta` con el programa de `copia` (como `pip install -e .`)
    y los paquetes del de esta prueba (sin instalar nada: una línea .pth que los nombra)."""
    import site
    import venv

    venv.EnvBuilder(with_pip=False, symlinks=True).create(carpeta)
    [paquetes] = list(carpeta.glob("lib/python*/site-packages"))
    (paquetes / "informe_poa_copia.pth").write_text(
        "\n".join([str(copia / "src"), *site.getsitepackages()]) + "\n", encoding="utf-8")
    return carpeta / "bin" / "python"


def _saltar_si_nadie_no_llega_a_los_paquetes() -> None:
    """El entorno «de afuera» usa los paquetes del de esta prueba: si están en una carpeta
    privada (el .venv de un clon en un `mktemp -d`, como el de CI), `nobody` no llega a
    ellos y esa variante no se puede preparar sin copiarlos todos: se salta, diciendo
    por qué."""
    import site

    for paquetes in map(Path, site.getsitepackages()):
        cerrada = next((p for p in [paquetes, *paquetes.parents]
                        if not p.stat().st_mode & stat.S_IXOTH), None)
        if cerrada is not None:
            pytest.skip(f"los paquetes de este entorno ({paquetes}) están dentro de {cerrada}, "
                        "que otros usuarios no pueden atravesar: nobody no llega a ellos")


@pytest.mark.lento
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason=SIN_ROOT)
@pytest.mark.parametrize("entorno", ["fuera de la carpeta privada", "dentro del clon"])
def test_la_prueba_de_permisos_pasa_desde_un_clon_en_una_carpeta_privada(entorno):
    """El clon en una carpeta 0700 (un home, /root, un `mktemp -d`), a la que `nobody` no
    entra. Con el entorno afuera, donde `nobody` llega al intérprete y a los paquetes, la
    prueba de permisos corre de verdad y pasa (antes: «No module named 'helpers'», código
    1); con el entorno dentro del clon, como deja `make entorno`, se salta diciendo por qué
    (antes: falla, porque `nobody` no puede ejecutar el intérprete)."""
    privada = Path(tempfile.mkdtemp(prefix="informe-poa-clon-"))
    afuera = Path(tempfile.mkdtemp(prefix="informe-poa-entorno-"))
    try:
        assert privada.stat().st_mode & 0o077 == 0
        copia = _copia_del_proyecto(privada / "clon")
        if entorno == "dentro del clon":
            python = _entorno_para(copia, copia / ".venv")
        else:
            _saltar_si_nadie_no_llega_a_los_paquetes()
            afuera.chmod(0o755)
            python = _entorno_para(copia, afuera / ".venv")
        resultado = subprocess.run(
            [str(python), "-m", "pytest", "tests/test_carpeta_informe.py", "-q", "-rs",
             "-p", "no:cacheprovider", "-k", "sin_permiso_de_escritura"],
            cwd=copia, capture_output=True, text=True, timeout=600, check=False,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        )
        salida = resultado.stdout + resultado.stderr
        assert resultado.returncode == 0, salida
        if entorno == "dentro del clon":
            assert f"{len(SIN_PERMISO)} skipped" in salida, salida
            assert "nobody no llega al intérprete" in salida, salida
        else:
            assert f"{len(SIN_PERMISO)} passed" in salida, salida
    finally:
        shutil.rmtree(privada)
        shutil.rmtree(afuera)


@pytest.mark.lento
def test_el_ejecutor_se_detiene_si_la_carpeta_esta_tomada(tmp_path):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    salida = tmp_path / "salida" / "2024-T2"
    params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida=str(salida))
    with cerrojo(salida):
        resultado = correr(params)
    assert resultado.returncode == 1
    assert "Otra corrida" in resultado.stderr and "Traceback" not in resultado.stderr
    assert not salida.exists()


@pytest.mark.lento
def test_sigterm_borra_la_carpeta_a_medio_armar(tmp_path):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    salida = tmp_path / "salida" / "2024-T2"
    params = fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, salida=str(salida))
    proceso = ejecutor(params)
    esperar_linea(proceso, "Datos guardados")
    proceso.send_signal(signal.SIGTERM)
    _, error = proceso.communicate(timeout=120)
    assert proceso.returncode == 130, error
    assert "interrumpida" in error and "Traceback" not in error
    assert not salida.exists()
    assert hermanas(salida) == []
