"""La página entera: los siete pasos del trimestre sobre una misma `Sesion`, en el orden en
que los muestra el cuaderno `pagina.ipynb` (que sólo los pone en la página).
"""
from __future__ import annotations

import html
import os
from pathlib import Path

import ipywidgets as widgets

from helpers.pagina.espacio import Espacio
from helpers.pagina.paso_entidad import PasoEntidad
from helpers.pagina.paso_formularios import PasoFormularios
from helpers.pagina.paso_generar import PasoGenerar
from helpers.pagina.paso_informes import PasoInformes
from helpers.pagina.paso_libro import PasoLibro
from helpers.pagina.paso_parametros import PasoParametros
from helpers.pagina.paso_tablero import PasoTablero
from helpers.pagina.piezas import ESTILO, Sesion, vigilar_la_carpeta

__all__ = ["Pagina"]


class Pagina:
    """Los pasos de la página sobre la carpeta de trabajo `espacio`."""

    def __init__(self, espacio: Espacio):
        self.sesion = Sesion(espacio)
        self.entidad = PasoEntidad(self.sesion)
        self.libro = PasoLibro(self.sesion)
        self.formularios = PasoFormularios(self.sesion)
        self.parametros = PasoParametros(self.sesion)
        self.generar = PasoGenerar(self.sesion)
        self.informes = PasoInformes(self.sesion)
        self.tablero = PasoTablero(self.sesion)
        self.cabecera = widgets.HTML(
            ESTILO + f"<p>Carpeta de trabajo: <code>{html.escape(str(espacio.raiz))}</code>. "
            "La página sólo ve y escribe lo que está dentro de ella.</p>")

    @classmethod
    def desde_el_entorno(cls) -> Pagina:
        """La página de la carpeta de trabajo que le pasó el servidor (`servidor.ESPACIO`);
        sin ella (el cuaderno abierto en JupyterLab), la carpeta actual."""
        from helpers.pagina.servidor import ESPACIO

        pagina = cls(Espacio.en(os.environ.get(ESPACIO) or Path.cwd()))
        # Lo que se copia a la carpeta de la entidad aparece en los desplegables solo.
        vigilar_la_carpeta(pagina.sesion)
        return pagina
