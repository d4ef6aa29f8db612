"""Dónde está cada cosa: el programa corre desde una copia del proyecto (``make``,
``pip install -e .``) o instalado como paquete (``pip install .``, una rueda), desde
cualquier carpeta.

- ``CUADERNOS``: los cuadernos de cada sección: ``notebooks/`` de la copia del proyecto o,
  instalado, los que el paquete trae en ``helpers/cuadernos/`` (pyproject.toml los copia
  ahí al construirlo).
- ``PROGRAMA``: la carpeta contra la que el manifiesto guarda las huellas del código
  (``salida.manifiesto.CODIGO``): la raíz de la copia del proyecto o, instalado, la que
  contiene el paquete.
- ``RAIZ``: contra la que se resuelven las rutas relativas (``datos``, ``salida``) de un
  archivo de parámetros que está dentro de ella: la raíz de la copia del proyecto o,
  instalado, la carpeta desde la que se ejecuta. Las de un archivo de fuera, contra su
  propia carpeta (``entrada.parametros.raiz_de``).
- ``MANIFIESTO``: el nombre del manifiesto en la carpeta de un informe (lo escribe
  ``salida.manifiesto``; lo leen la verificación y las reexpresiones de un informe anterior).
- ``MEMBRETE``: el nombre del membrete de Word que ``informe-poa nuevo`` y la página escriben
  en la carpeta de una entidad (``salida.word.membrete``) y que sus parámetros nombran.
"""
from pathlib import Path

PAQUETE = Path(__file__).resolve().parent
_COPIA = PAQUETE.parents[1]  # src/helpers → la raíz de una copia del proyecto
EN_COPIA_DEL_PROYECTO = (_COPIA / "pyproject.toml").is_file() and (_COPIA / "notebooks").is_dir()

CUADERNOS = _COPIA / "notebooks" if EN_COPIA_DEL_PROYECTO else PAQUETE / "cuadernos"
PROGRAMA = _COPIA if EN_COPIA_DEL_PROYECTO else PAQUETE.parent
RAIZ = _COPIA if EN_COPIA_DEL_PROYECTO else Path.cwd()
MANIFIESTO = "manifiesto.json"
MEMBRETE = "membrete.docx"
