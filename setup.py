"""Construcción del paquete (la configuración está en pyproject.toml): la rueda lleva,
además de src/helpers, los cuadernos de notebooks/ en helpers/cuadernos/, donde los busca
helpers.rutas cuando el programa corre instalado, sin una copia del proyecto."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def cuadernos(origen: Path) -> list[Path]:
    """Los cuadernos de cada sección y el secciones.yaml de cada tipo de informe."""
    archivos = [*origen.glob("*/*.ipynb"), *origen.glob("*/secciones.yaml")]
    return sorted(a for a in archivos if ".ipynb_checkpoints" not in a.parts)


class ConCuadernos(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # pip install -e: se leen de notebooks/
            return
        origen = Path("notebooks")
        destino = Path(self.build_lib) / "helpers" / "cuadernos"
        for archivo in cuadernos(origen):
            copia = destino / archivo.relative_to(origen)
            copia.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(archivo, copia)


setup(cmdclass={"build_py": ConCuadernos})
