"""seaborn, importado sin scipy.

seaborn usa scipy, si está instalado, sólo para lo que el informe no dibuja (densidades y
dendrogramas); si no está, usa sus propias versiones. En el entorno del proyecto está (lo
trae ``formulas``, con que se recalcula el anexo), y con él importar seaborn cuesta medio
segundo más en cada kernel que dibuja. Aquí se importa como si scipy no estuviera (si nadie
lo importó antes); scipy sigue disponible para quien lo importe después.
"""

from __future__ import annotations

import sys


def _importar_sin_scipy():
    if "seaborn" in sys.modules or "scipy" in sys.modules:
        import seaborn

        return seaborn
    sys.modules["scipy"] = None  # `import scipy...` da ImportError mientras tanto
    try:
        import seaborn
    finally:
        del sys.modules["scipy"]
    return seaborn


sns = _importar_sin_scipy()

__all__ = ["sns"]
