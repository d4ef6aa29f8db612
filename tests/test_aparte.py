"""Trabajo en otro proceso (`helpers.aparte.Aparte`): un intérprete de Python de verdad, con
funciones del proyecto."""
from __future__ import annotations

import subprocess
import sys

import pytest

from helpers.aparte import Aparte
from helpers.salida.ensamblado.pagina import PLANTILLAS, leer_css
from helpers.salida.ensamblado.versiones_html import escribir_auditoria


def _modulos_cargados(nombres: list[str]) -> list[bool]:
    """Si el proceso ya tiene cargado cada módulo de `nombres` (lo corre un `Aparte`)."""
    return [nombre in sys.modules for nombre in nombres]


def test_toma_varios_encargos_de_a_uno():
    """Un `Aparte` creado sin argumentos espera encargos: cada uno con su resultado, en
    orden; el que falla llega con su causa, y al salir del `with` el proceso ya terminó."""
    with Aparte(leer_css) as aparte:
        for nombre in ("informe.css", "auditoria.css"):
            aparte.enviar(nombre)
            assert aparte.resultado() == (PLANTILLAS / nombre).read_text(encoding="utf-8")
        aparte.enviar("no-existe.css")
        with pytest.raises(RuntimeError) as error:
            aparte.resultado()
    assert "FileNotFoundError" in str(error.value) and "no-existe.css" in str(error.value)
    assert "leer_css" in str(error.value)
    assert aparte._proceso.poll() is not None

    # Un encargo que nadie espera (la corrida falló antes) no deja el proceso vivo.
    with pytest.raises(ValueError), Aparte(leer_css, "informe.css") as aparte:
        raise ValueError("falla la corrida")
    assert aparte._proceso.poll() is not None


def test_argumentos_con_nombre_y_funciones_de_otro_modulo():
    """Los argumentos con nombre llegan como tales; la función puede ser de cualquier módulo
    importable (aquí, de la biblioteca estándar)."""
    from textwrap import indent

    with Aparte(indent) as aparte:
        aparte.enviar("a\nb", prefix="> ")
        assert aparte.resultado() == "> a\n> b"


def test_importa_al_arrancar_lo_que_se_le_pide():
    """`importar`: módulos que el proceso importa al arrancar, antes del primer encargo (uno
    que no existe hace fallar el proceso, y el error llega con su causa)."""
    from textwrap import indent

    with Aparte(indent, importar=("colorsys",)) as aparte:
        aparte.enviar("a", "> ")
        assert aparte.resultado() == "> a"
    with Aparte(indent, importar=("modulo_que_no_existe",)) as aparte:
        aparte.enviar("a", "> ")
        with pytest.raises(RuntimeError) as error:
            aparte.resultado()
    assert "ModuleNotFoundError" in str(error.value)
    assert "modulo_que_no_existe" in str(error.value)


def test_sin_mas_encargos_termina_antes_de_que_lean_su_resultado():
    """Avisado de que no habrá otro encargo, el proceso termina (y devuelve su memoria) al
    dejar el resultado, sin esperar a que lo lean; el resultado se lee igual después."""
    with Aparte(leer_css, "informe.css") as aparte:
        aparte.sin_mas_encargos()
        aparte._proceso.wait(timeout=20)  # sin leer el resultado
        assert aparte.resultado() == (PLANTILLAS / "informe.css").read_text(encoding="utf-8")


def test_un_fallo_llega_con_su_causa(tmp_path):
    falta = tmp_path / "no-existe.ipynb"
    with Aparte(escribir_auditoria, [], [falta], str(tmp_path), None, {},
                tmp_path / "a.html") as aparte, pytest.raises(RuntimeError) as error:
        aparte.resultado()
    assert "FileNotFoundError" in str(error.value) and "no-existe.ipynb" in str(error.value)
    assert not (tmp_path / "a.html").exists()


def test_muere_con_el_proceso_que_lo_creo():
    """Si el proceso que lo creó muere de golpe (SIGKILL, sin salir del ``with``), el otro
    proceso muere con él en vez de terminar su encargo: una corrida del informe interrumpida
    no deja a nadie escribiendo en su carpeta temporal."""
    psutil = pytest.importorskip("psutil")
    creador = subprocess.Popen(
        [sys.executable, "-c",
         "import time\n"
         "from helpers.aparte import Aparte\n"
         "aparte = Aparte(time.sleep, 120)\n"
         "print(aparte._proceso.pid, flush=True)\n"
         "time.sleep(120)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        hijo = psutil.Process(int(creador.stdout.readline()))
        assert hijo.is_running()
    finally:
        creador.kill()
        creador.wait()
        creador.stdout.close()
    hijo.wait(timeout=10)  # psutil.TimeoutExpired si sigue vivo
    assert not hijo.is_running()


def test_funcion_del_modulo_corrido_con_python_m(tmp_path):
    """Una función del módulo que se corrió con ``python -m paquete.modulo`` (como el
    ejecutor, ``python -m helpers.informe``) dice ser de ``__main__``: el otro proceso la
    importa por el nombre del módulo. La de un script suelto no se puede: lo dice."""
    import os

    paquete = tmp_path / "paquete"
    paquete.mkdir()
    (paquete / "__init__.py").write_text("")
    codigo = (
        "from helpers.aparte import Aparte\n"
        "def doble(x):\n"
        "    return 2 * x\n"
        "if __name__ == '__main__':\n"
        "    with Aparte(doble, 21) as aparte:\n"
        "        print(aparte.resultado())\n"
    )
    (paquete / "modulo.py").write_text(codigo)
    (tmp_path / "suelto.py").write_text(codigo)
    entorno = {**os.environ,
               "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    como_modulo = subprocess.run([sys.executable, "-m", "paquete.modulo"], cwd=tmp_path,
                                 env=entorno, capture_output=True, text=True, timeout=60)
    assert como_modulo.returncode == 0, como_modulo.stderr
    assert como_modulo.stdout == "42\n"
    suelto = subprocess.run([sys.executable, "suelto.py"], cwd=tmp_path, env=entorno,
                            capture_output=True, text=True, timeout=60)
    assert suelto.returncode != 0
    assert "doble: una función de un script no corre aparte" in suelto.stderr


def test_al_arrancar_corre_antes_del_primer_encargo(monkeypatch):
    """`al_arrancar`: una función que el proceso llama al arrancar, antes del primer encargo
    (aquí, la que carga WeasyPrint en el proceso que compone el PDF)."""
    import os
    from pathlib import Path

    from helpers.salida.pdf import cargar_weasyprint

    # El otro proceso importa este módulo para tener `_modulos_cargados`.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(Path(__file__).parent), *filter(None, [os.environ.get("PYTHONPATH")])]))

    with Aparte(_modulos_cargados, al_arrancar=cargar_weasyprint) as aparte:
        aparte.enviar(["weasyprint"])
        assert aparte.resultado() == [True]
    with Aparte(_modulos_cargados) as aparte:
        aparte.enviar(["weasyprint"])
        assert aparte.resultado() == [False]


def test_cargar_weasyprint_no_busca_bibliotecas_con_el_compilador():
    """Mientras se importa WeasyPrint, `ctypes.util.find_library` (que lanza ldconfig, gcc y
    ld por cada nombre) no se llama; después vuelve a ser la de siempre."""
    codigo = (
        "import ctypes.util\n"
        "llamadas = []\n"
        "original = ctypes.util.find_library\n"
        "def contar(nombre):\n"
        "    llamadas.append(nombre)\n"
        "    return original(nombre)\n"
        "ctypes.util.find_library = contar\n"
        "from helpers.salida.pdf import cargar_weasyprint\n"
        "cargar_weasyprint()\n"
        "import weasyprint\n"
        "weasyprint.HTML(string='<p>hola</p>').write_pdf()\n"
        "print(llamadas, ctypes.util.find_library is contar)\n"
    )
    resultado = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True,
                               timeout=120)
    assert resultado.returncode == 0, resultado.stderr
    assert resultado.stdout.strip().splitlines()[-1] == "[] True"
