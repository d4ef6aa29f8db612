"""Las imágenes de las figuras tomadas de la caché (`helpers.redaccion.graficos_guardados`):
la huella de una figura es la misma en dos procesos y cambia con lo que dibuja; en un kernel
de verdad, con la caché activa, una figura que ya se dibujó sale de la caché."""
from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

import matplotlib
import nbformat
import papermill as pm
import pytest

from helpers.comun.almacen import Almacen
from helpers.redaccion import graficos
from helpers.redaccion.graficos_guardados import VARIABLE, activar, huella_de_figura

matplotlib.use("Agg")


def _figura(valores=(1.0, 2.0), titulo="Avance"):
    fig, [[eje]] = graficos.figura(2.0)
    eje.bar(["a", "b"], list(valores))
    eje.set_title(titulo)
    return fig


def test_la_huella_cambia_con_lo_que_se_dibuja():
    base = huella_de_figura(_figura())
    assert huella_de_figura(_figura()) == base
    assert huella_de_figura(_figura(valores=(1.0, 2.5))) != base
    assert huella_de_figura(_figura(titulo="Otro")) != base
    otra = _figura()
    otra.set_dpi(otra.dpi * 2)
    assert huella_de_figura(otra) != base


def _en_un_proceso_nuevo(valores) -> str:
    # Otro intérprete, no un proceso de multiprocessing: el de «spawn» deja vivo su
    # proceso de recursos, y otras pruebas comprueban que no queden hijos vivos.
    guion = Path(__file__).with_name("huella_de_un_grafico.py")
    hecho = subprocess.run([sys.executable, str(guion), *map(str, valores)],
                           capture_output=True, text=True, check=True)
    return hecho.stdout.strip()


def test_la_huella_es_la_misma_en_otro_proceso():
    # Dos procesos nuevos (el de las pruebas puede tener otro estilo de matplotlib, que sí
    # cambia el dibujo y por eso la huella).
    assert _en_un_proceso_nuevo((3.0, 4.0)) == _en_un_proceso_nuevo((3.0, 4.0))
    assert _en_un_proceso_nuevo((3.0, 4.0)) != _en_un_proceso_nuevo((3.0, 4.5))


def test_fuera_de_un_cuaderno_no_se_activa(tmp_path, monkeypatch):
    monkeypatch.delenv(VARIABLE, raising=False)
    assert not activar()
    assert not activar(tmp_path)  # sin IPython no hay cuaderno que muestre figuras


def _cuaderno(ruta):
    libro = nbformat.v4.new_notebook()
    libro.cells = [
        nbformat.v4.new_code_cell("from helpers.redaccion import graficos\ngraficos.estilo()"),
        nbformat.v4.new_code_cell(
            "fig, [[eje]] = graficos.figura(2.0)\neje.bar(['a', 'b'], [1, 2])\n"
            "graficos.terminar(fig)"),
    ]
    libro.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    nbformat.write(libro, str(ruta))
    return ruta


def _png(ruta) -> str:
    libro = nbformat.read(str(ruta), as_version=4)
    return next(salida["data"]["image/png"] for celda in libro.cells
                for salida in celda.get("outputs", []) if "image/png" in salida.get("data", {}))


@pytest.mark.lento
def test_en_un_kernel_la_figura_ya_dibujada_sale_de_la_cache(tmp_path, monkeypatch):
    objetos = tmp_path / "objetos"
    monkeypatch.setenv(VARIABLE, str(objetos))
    fuente = _cuaderno(tmp_path / "grafico.ipynb")
    pm.execute_notebook(str(fuente), str(tmp_path / "1.ipynb"), progress_bar=False)
    dibujada = _png(tmp_path / "1.ipynb")
    [guardada] = list(objetos.glob("??/*.png64"))
    llave = guardada.stem
    assert Almacen(objetos).leer(llave, "png64").decode("ascii") == dibujada

    # Otra imagen en su lugar: si la segunda corrida la muestra, salió de la caché.
    otra = base64.b64encode(b"\x89PNG otra imagen").decode("ascii")
    Almacen(objetos).guardar(llave, otra.encode("ascii"), "png64")
    pm.execute_notebook(str(fuente), str(tmp_path / "2.ipynb"), progress_bar=False)
    assert _png(tmp_path / "2.ipynb") == otra

    # Sin la caché, se dibuja.
    monkeypatch.delenv(VARIABLE)
    pm.execute_notebook(str(fuente), str(tmp_path / "3.ipynb"), progress_bar=False)
    assert _png(tmp_path / "3.ipynb") == dibujada
    assert list(objetos.glob("??/*")) == [guardada]
    assert Almacen(objetos).leer(llave, "png64").decode("ascii") == otra

    # Editado por otro, con su suma rehecha y sin el secreto: no llega al cuaderno.
    monkeypatch.setenv(VARIABLE, str(objetos))
    falsa = base64.b64encode(b"\x89PNG puesta a mano").decode("ascii").encode("ascii")
    marca = guardada.read_bytes().split(b"\n", 1)[0] + b"\n"
    guardada.write_bytes(marca + hashlib.sha256(falsa).digest() + falsa)
    pm.execute_notebook(str(fuente), str(tmp_path / "4.ipynb"), progress_bar=False)
    assert _png(tmp_path / "4.ipynb") == dibujada
