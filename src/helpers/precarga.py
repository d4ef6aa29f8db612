"""Lo que importa el proceso de un informe, importado una sola vez en cada trabajador del
lote: el proceso del que se bifurcan sus informes (`helpers.lote`) importa este módulo al
arrancar, y cada informe empieza con todo ya cargado."""
from __future__ import annotations

import babel.dates  # noqa: F401
import jupyter_client  # noqa: F401
import nbconvert  # noqa: F401
import pandas as pd
import pandera.pandas as pa
import papermill  # noqa: F401
import pyarrow.parquet  # noqa: F401
import pypdf  # noqa: F401

import helpers.entrada.datos  # noqa: F401
import helpers.entrada.parametros  # noqa: F401
import helpers.entrada.textos_de_muestra  # noqa: F401
import helpers.informe  # noqa: F401
import helpers.preparacion  # noqa: F401
import helpers.redaccion.identidad  # noqa: F401
import helpers.salida.anexo  # noqa: F401
import helpers.salida.ensamblado  # noqa: F401
import helpers.salida.manifiesto  # noqa: F401
from helpers.salida.pdf import cargar_weasyprint

cargar_weasyprint()

# pandera registra sus validadores (e importa lo que usan) al validar por primera vez: unas
# décimas que, si no, pagaría la validación del libro.
pa.DataFrameSchema({"x": pa.Column(int, pa.Check.ge(0))}).validate(pd.DataFrame({"x": [1]}),
                                                                     lazy=True)
