"""Los tipos de informe que sabe generar el proyecto, leídos de sus archivos de secciones.

Cada tipo es una carpeta de `notebooks/` con un `secciones.yaml`:

    titulo: Rendición Pública de Cuentas          # el título del documento (portada)
    periodo: gestion                              # trimestre | gestion | inicio (abajo)
    carpeta: "{gestion}-anual{sufijo_corte}"      # output/<carpeta> por omisión
    tablas:
      calcular: helpers.calculo.anual:tablas_de_la_rendicion
      orden: [operacion, unidad, area]            # todas las que calcula, en orden
    memoria: {cuaderno: comun/00_memoria.ipynb, titulo: Memoria de cálculo}
    secciones:
      - {cuaderno: comun/00_portada.ipynb, titulo: Portada y resumen ejecutivo}
      - {cuaderno: anual/02_articulacion.ipynb, titulo: Articulación ...}
      # una sección que va sólo si los parámetros nombran el informe anterior:
      - {cuaderno: trimestral/11_reexpresiones.ipynb, titulo: ..., solo_con: informe_anterior}
      # y una que va sólo si el libro trae la historia del POA:
      - {cuaderno: comun/01_version.ipynb, titulo: ...,
         solo_con: "helpers.calculo.versiones:tiene_versiones"}

- `periodo: trimestre`: los parámetros dicen el `trimestre` (1 a 4) y el informe cubre ese
  trimestre y lo acumulado; `periodo: gestion`: el informe cubre la gestión hasta su
  `corte` (diciembre, o junio para una rendición parcial); `periodo: inicio`: el informe
  describe el POA aprobado al comenzar la gestión (sin trimestre ni corte; su fecha de corte
  es el 1 de enero), como la rendición de cuentas inicial.
- `carpeta`: la carpeta del informe dentro de `output/` cuando los parámetros no dicen
  `salida`; admite `{gestion}`, `{trimestre}` y `{sufijo_corte}` (vacío con corte en
  diciembre, «-junio» con corte en junio), y es también la etiqueta del informe.
- `tablas.calcular`: la función `(parametros, datos, calc) -> {nombre: DataFrame}` que calcula
  las tablas del informe; la memoria de cálculo la llama y el ejecutor escribe lo que
  devuelve en `tablas/` y en el anexo. `tablas.orden`: sus nombres, en el orden en que se
  leen y se escriben.
- `diapositivas`: `true` si el informe deja también las diapositivas de su audiencia
  pública (`presentacion.pdf` y `presentacion.pptx`), como las rendiciones de cuentas.
- `mide_ejecucion`: `false` si el informe no mide la ejecución (el POA aprobado de la
  rendición inicial): su anexo lleva sus tablas sin la cadena de cálculo del avance.
- `cuaderno`: relativo a `notebooks/`; las secciones que comparten los tipos están en
  `notebooks/comun/` y son un solo cuaderno, que pregunta a `prep.tipo` lo que cambia. En la
  carpeta del informe el cuaderno ejecutado lleva sólo su nombre (`notebooks/<nombre>`), que
  por eso no se repite dentro de un tipo.
- `solo_con`: la sección va sólo si el parámetro que nombra tiene valor; o, escrito
  `modulo:funcion`, sólo si esa función, llamada con los datos del libro, da verdadero (una
  sección que depende de lo que trae el libro, no de los parámetros). Si la función tiene un
  argumento `parametros`, lo recibe también: lo que depende del periodo del informe (la
  narrativa del trimestre, las estadísticas hasta el corte; `helpers.calculo.contenido`).

Un tipo nuevo es una carpeta con su `secciones.yaml`, sus cuadernos y su función de tablas:
el ejecutor no cambia.
"""
from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from helpers.rutas import CUADERNOS

ARCHIVO_SECCIONES = "secciones.yaml"
# Las secciones compartidas: una carpeta de cuadernos, no un tipo de informe.
CARPETA_COMUN = "comun"


class Seccion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cuaderno: str = Field(min_length=1)
    titulo: str = Field(min_length=1)
    solo_con: str | None = None

    @field_validator("cuaderno")
    @classmethod
    def _cuaderno_relativo(cls, cuaderno: str) -> str:
        ruta = PurePosixPath(cuaderno)
        if ruta.is_absolute() or ".." in ruta.parts or ruta.suffix != ".ipynb":
            raise ValueError(f"{cuaderno!r}: un cuaderno .ipynb dentro de notebooks/")
        return cuaderno

    @field_validator("solo_con")
    @classmethod
    def _condicion(cls, solo_con: str | None) -> str | None:
        if solo_con is not None and not re.fullmatch(r"\w+|[\w.]+:\w+", solo_con):
            raise ValueError(f"{solo_con!r}: el nombre de un parámetro o modulo:funcion")
        return solo_con

    def va(self, parametros, datos) -> bool:
        """Si la sección va en un informe con estos parámetros y este libro."""
        if self.solo_con is None:
            return True
        if ":" in self.solo_con:
            modulo, funcion = self.solo_con.split(":")
            condicion = getattr(importlib.import_module(modulo), funcion)
            if "parametros" in inspect.signature(condicion).parameters:
                return bool(condicion(datos, parametros=parametros))
            return bool(condicion(datos))
        return bool(getattr(parametros, self.solo_con, None))

    @property
    def archivo(self) -> str:
        """El nombre del cuaderno ejecutado en `notebooks/` de la carpeta del informe."""
        return PurePosixPath(self.cuaderno).name


class Tablas(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    calcular: str = Field(pattern=r"^[\w.]+:\w+$")
    orden: tuple[str, ...] = Field(min_length=1)


class TipoDeInforme(BaseModel):
    """Un tipo de informe: su título, su periodo, su cálculo y sus secciones en orden."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nombre: str
    titulo: str = Field(min_length=1)
    periodo: Literal["trimestre", "gestion", "inicio"]
    carpeta: str = Field(min_length=1)
    tablas: Tablas
    memoria: Seccion
    secciones: tuple[Seccion, ...] = Field(min_length=1)
    # Si el informe deja además las diapositivas de su audiencia pública (presentacion.pdf y
    # .pptx; helpers.salida.diapositivas): las rendiciones de cuentas.
    diapositivas: bool = False
    # Si el informe mide la ejecución: su anexo lleva entonces la cadena de cálculo del avance
    # y la ejecución; el del POA aprobado (la rendición inicial) sólo sus tablas.
    mide_ejecucion: bool = True

    def secciones_para(self, parametros, datos) -> list[Seccion]:
        """Las secciones de un informe con estos parámetros y este libro (sin la memoria),
        en orden."""
        return [s for s in self.secciones if s.va(parametros, datos)]

    def calcular_tablas(self, parametros, datos, calc=None) -> dict:
        """Las tablas del informe (la función `tablas.calcular`), en el orden declarado;
        `calc`, el cálculo al corte si ya está hecho (`helpers.calculo.pasos.Calculo`)."""
        modulo, funcion = self.tablas.calcular.split(":")
        tablas = getattr(importlib.import_module(modulo), funcion)(parametros, datos, calc)
        return ordenar_tablas(tablas, self.tablas.orden)

    def etiqueta(self, gestion: int, trimestre: int | None, corte: str | None) -> str:
        """La carpeta por omisión del informe: '2024-T2', '2024-anual', '2024-anual-junio'."""
        sufijo = f"-{corte}" if corte not in (None, "diciembre") else ""
        return self.carpeta.format(gestion=gestion, trimestre=trimestre, sufijo_corte=sufijo)


def ordenar_tablas(tablas: dict, orden) -> dict:
    """`tablas` en el orden de `orden`; las que no figuran en él van al final, por nombre."""
    posicion = {nombre: i for i, nombre in enumerate(orden)}
    return {n: tablas[n] for n in sorted(tablas, key=lambda n: (posicion.get(n, len(posicion)), n))}


class TipoDesconocido(ValueError):
    """Los parámetros piden un tipo de informe que no existe."""


@dataclass(frozen=True)
class _Registro:
    tipos: dict[str, TipoDeInforme]


@cache
def _registro(cuadernos: Path = CUADERNOS) -> _Registro:
    tipos = {}
    for archivo in sorted(Path(cuadernos).glob(f"*/{ARCHIVO_SECCIONES}")):
        nombre = archivo.parent.name
        contenido = yaml.safe_load(archivo.read_text(encoding="utf-8")) or {}
        try:
            tipo = TipoDeInforme(nombre=nombre, **contenido)
        except (TypeError, ValidationError) as error:
            raise ValueError(f"{archivo}: no es un archivo de secciones válido: {error}") from None
        _comprobar_cuadernos(tipo, Path(cuadernos), archivo)
        tipos[nombre] = tipo
    return _Registro(tipos)


def _comprobar_cuadernos(tipo: TipoDeInforme, cuadernos: Path, archivo: Path) -> None:
    todas = [tipo.memoria, *tipo.secciones]
    nombres = [s.archivo for s in todas]
    repetidos = sorted({n for n in nombres if nombres.count(n) > 1})
    if repetidos:
        raise ValueError(f"{archivo}: cuadernos con el mismo nombre: {', '.join(repetidos)}")
    faltan = [s.cuaderno for s in todas if not (cuadernos / s.cuaderno).is_file()]
    if faltan:
        raise ValueError(f"{archivo}: no existen en notebooks/: {', '.join(faltan)}")
    # Una condición sobre el libro mal escrita se dice al leer el YAML, no al generar.
    for seccion in todas:
        if seccion.solo_con and ":" in seccion.solo_con:
            modulo, funcion = seccion.solo_con.split(":")
            try:
                condicion = getattr(importlib.import_module(modulo), funcion)
            except (ImportError, AttributeError):
                condicion = None
            if not callable(condicion):
                raise ValueError(f"{archivo}: {seccion.cuaderno}: solo_con "
                                 f"{seccion.solo_con!r} no es una función")


def nombres(cuadernos: Path = CUADERNOS) -> list[str]:
    """Los tipos de informe disponibles (las carpetas de `notebooks/` con secciones)."""
    return list(_registro(Path(cuadernos)).tipos)


def tipo(nombre: str, cuadernos: Path = CUADERNOS) -> TipoDeInforme:
    """El tipo de informe `nombre`; `TipoDesconocido` si no existe."""
    tipos = _registro(Path(cuadernos)).tipos
    if nombre not in tipos:
        from helpers.entrada.sugerencias import quiso_decir

        pista = quiso_decir(str(nombre), tipos)
        raise TipoDesconocido(
            f"«{nombre}» no es un tipo de informe{f' ({pista})' if pista else ''}; los "
            f"disponibles son: {', '.join(tipos)}"
        )
    return tipos[nombre]
