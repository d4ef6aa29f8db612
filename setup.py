"""Construcción del paquete (la configuración está en pyproject.toml): la rueda lleva,
además de src/helpers, los cuadernos de notebooks/ en helpers/cuadernos/, donde los busca
helpers.rutas cuando el programa corre instalado, sin una copia del proyecto, y las guías de
docs/ en helpers/guia/, que muestra la página (helpers.pagina.descargas)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def cuadernos(origen: Path) -> list[Path]:
    """Los cuadernos de cada sección y el secciones.yaml de cada tipo de informe."""
    archivos = [*origen.glob("*/*.ipynb"), *origen.glob("*/secciones.yaml")]
    return sorted(a for a in archivos if ".ipynb_checkpoints" not in a.parts)


def guias(origen: Path) -> list[Path]:
    """Las guías de docs/ y sus imágenes: la página (informe-poa app) las muestra."""
    return sorted([*origen.glob("*.md"), *origen.glob("imagenes/*.png")])


class ConCuadernos(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # pip install -e: se leen de notebooks/ y docs/
            return
        for origen, carpeta, archivos in ((Path("notebooks"), "cuadernos", cuadernos),
                                          (Path("docs"), "guia", guias)):
            destino = Path(self.build_lib) / "helpers" / carpeta
            for archivo in archivos(origen):
                copia = destino / archivo.relative_to(origen)
                copia.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(archivo, copia)


setup(cmdclass={"build_py": ConCuadernos})
