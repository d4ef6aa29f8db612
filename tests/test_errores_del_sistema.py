"""La causa de un error del sistema sale en castellano (`helpers.comun.errores_del_sistema`),
en cada mensaje que nombra uno."""
from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from helpers.cli import principal
from helpers.codigos import FALLA
from helpers.comun.errores_del_sistema import _CAUSAS, causa


@pytest.mark.parametrize("codigo", sorted(_CAUSAS), ids=lambda c: errno.errorcode[c])
def test_una_causa_conocida_sale_en_castellano(codigo):
    error = OSError(codigo, os.strerror(codigo), "informe.pdf")
    assert causa(error) == _CAUSAS[codigo] != os.strerror(codigo)


def test_una_causa_sin_traducir_dice_su_codigo_y_el_texto_del_sistema():
    codigo = errno.ECOMM
    assert codigo not in _CAUSAS
    assert causa(OSError(codigo, "Communication error on send")) == \
        "error del sistema ECOMM (Communication error on send)"


def test_un_error_sin_codigo_dice_su_texto():
    assert causa(OSError("el archivo cambió mientras se leía")) == \
        "el archivo cambió mientras se leía"


def test_los_errores_de_python_traen_el_codigo(tmp_path):
    """Los que lanza Python al abrir un archivo llevan `errno`: se traducen."""
    with pytest.raises(OSError) as error:
        (tmp_path / "no-existe.csv").read_text()
    assert causa(error.value) == "no existe"


def test_la_orden_nombra_la_causa_en_castellano(tmp_path):
    """`informe-poa nuevo` dentro de un archivo (no una carpeta): el mensaje dice por qué en
    castellano, sin el texto del sistema."""
    archivo = tmp_path / "archivo"
    archivo.touch()
    resultado = CliRunner().invoke(principal, ["nuevo", str(archivo / "entidad"),
                                               "--entidad", "Entidad", "--sigla", "E"])
    assert resultado.exit_code == FALLA, resultado.output
    assert resultado.output.strip().endswith(_CAUSAS[errno.ENOTDIR]), resultado.output
    assert os.strerror(errno.ENOTDIR) not in resultado.output
