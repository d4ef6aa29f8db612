"""Los datos preparados que comparten las secciones del informe.

El ejecutor (`helpers.informe`) valida y calcula una sola vez, guarda el resultado con
`guardar` y pasa su ruta a cada cuaderno; un cuaderno abierto a mano en JupyterLab, sin
esa ruta, lo calcula él mismo a partir del archivo de parámetros (`abrir`).
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .datos import Datos, cargar_datos
from .parametros import Parametros, cargar_parametros
from .rutas import RAIZ
from .tablas import calcular_tablas

TRIMESTRES = {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto"}
MESES_NOMBRE = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre")


@dataclass
class Preparado:
    parametros: Parametros
    tablas: dict[str, pd.DataFrame]
    acp: pd.DataFrame
    unidades: pd.DataFrame
    narrativa: pd.DataFrame

    @property
    def metodologia(self):
        return self.parametros.metodologia

    @property
    def trimestre(self) -> int:
        return self.parametros.trimestre_corte

    @property
    def gestion(self) -> int:
        return self.parametros.gestion

    @property
    def entidad(self) -> str:
        return self.parametros.entidad.nombre

    @property
    def sigla(self) -> str:
        return self.parametros.entidad.sigla

    @property
    def periodo(self) -> str:
        """'Segundo trimestre 2024 (abril a junio)'."""
        t = self.trimestre
        inicio, fin = MESES_NOMBRE[3 * t - 3], MESES_NOMBRE[3 * t - 1]
        return f"{TRIMESTRES[t].capitalize()} trimestre {self.gestion} ({inicio} a {fin})"

    @property
    def acumulado(self) -> str:
        """'enero a junio de 2024'."""
        return f"enero a {MESES_NOMBRE[3 * self.trimestre - 1]} de {self.gestion}"

    @property
    def fecha_corte(self) -> str:
        f = self.parametros.fecha_corte
        return f"{f.day} de {MESES_NOMBRE[f.month - 1]} de {f.year}"


def preparar(parametros: Parametros, datos: Datos) -> Preparado:
    """Calcula todas las tablas del corte una sola vez."""
    tablas = calcular_tablas(
        datos, parametros.trimestre_corte, parametros.metodologia, gestion=parametros.gestion
    )
    narr = datos.narrativa
    narrativa = narr[narr["trimestre"] == parametros.trimestre_corte].reset_index(drop=True)
    return Preparado(
        parametros=parametros,
        tablas=tablas,
        acp=datos.acp,
        unidades=datos.unidades,
        narrativa=narrativa,
    )


def guardar(preparado: Preparado, ruta: Path) -> Path:
    with open(ruta, "wb") as f:
        pickle.dump(preparado, f, protocol=pickle.HIGHEST_PROTOCOL)
    return ruta


def abrir(params: str | Path = "params/2024-T2.yaml", preparado: str | Path | None = None) -> Preparado:
    """Lo que usa cada cuaderno: el archivo preparado por el ejecutor si se indica, o el
    cálculo completo a partir de los parámetros (rutas relativas a la raíz del proyecto)."""
    if preparado:
        with open(preparado, "rb") as f:
            return pickle.load(f)
    ruta = Path(params)
    if not ruta.is_absolute():
        ruta = RAIZ / ruta
    parametros = cargar_parametros(ruta)
    return preparar(parametros, cargar_datos(parametros.ruta_datos))
