"""Lo que comparten las secciones del informe, guardado dentro de la carpeta del informe.

La carpeta de un informe se basta a sí misma para volver a ejecutar sus cuadernos:

    entrada/parametros.yaml    copia del archivo de parámetros de la corrida
    entrada/datos/<hoja>.parquet  las hojas del libro ya validadas (una por hoja)
    calculo/<tabla>.parquet    las tablas que calcula la memoria de cálculo
    notebooks/*.ipynb          los cuadernos ejecutados; leen lo anterior con rutas
                               relativas a su carpeta (`informe = ".."`)

El ejecutor (`helpers.informe`) escribe `entrada/`; la memoria de cálculo lee `entrada/`
y escribe `calculo/`; las demás secciones leen ambas con `abrir(informe="..")`. Parquet
conserva cada tipo y cada número tal cual (un texto vacío no se vuelve «sin dato», un
flotante no pierde dígitos), de modo que volver a ejecutar da salidas idénticas.

Un cuaderno abierto en `notebooks/` sin carpeta de informe calcula todo a partir del
archivo de parámetros (`abrir(params)`).
"""
from __future__ import annotations

import functools
import io
import shutil
from collections.abc import MutableMapping
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

from helpers.calculo.contenido import narrativa_del_periodo
from helpers.comun.calendario import MESES_NOMBRE, fecha_larga
from helpers.entrada.agrupacion import grupos, hay_grupos
from helpers.entrada.contrato import HOJAS, HOJAS_OPCIONALES, tabla_vacia
from helpers.entrada.datos import Datos, cargar_datos
from helpers.entrada.parametros import Parametros, cargar_parametros
from helpers.redaccion.identidad import periodo_del_informe
from helpers.rutas import RAIZ

# Dentro de la carpeta del informe.
PARAMETROS = Path("entrada") / "parametros.yaml"
DATOS = Path("entrada") / "datos"
CALCULO = Path("calculo")
HOJAS_DATOS = HOJAS  # una tabla por hoja del contrato


@dataclass
class Preparado:
    parametros: Parametros
    tablas: dict[str, pd.DataFrame]
    acp: pd.DataFrame
    unidades: pd.DataFrame
    narrativa: pd.DataFrame
    areas: pd.DataFrame  # area, nombre, sigla: una fila por área de `unidades`, en su orden
    datos: Datos  # el libro validado, para calcular otro corte (el trimestre anterior)

    def nombre_area(self, area: str) -> str:
        """El nombre que lee el lector; el código si el libro no lo da. Los rótulos que no
        son áreas (TOTAL, los grupos de áreas) quedan tal cual."""
        return self._nombres.get(area, area)

    def sigla_area(self, area: str) -> str:
        """La forma corta (gráficos): la sigla del libro, o el código."""
        return self._siglas.get(area, area)

    def con_nombres(self, tabla: pd.DataFrame, columna: str = "area",
                    forma: str = "nombre") -> pd.DataFrame:
        """Copia de `tabla` con las áreas de `columna` escritas con su nombre (o con su
        sigla, `forma="sigla"`, para los rótulos de los gráficos)."""
        tabla = tabla.copy()
        nombrar = self.nombre_area if forma == "nombre" else self.sigla_area
        tabla[columna] = tabla[columna].map(nombrar)
        return tabla

    @property
    def _nombres(self) -> dict[str, str]:
        return dict(zip(self.areas["area"], self.areas["nombre"]))

    @property
    def _siglas(self) -> dict[str, str]:
        return dict(zip(self.areas["area"], self.areas["sigla"]))

    @property
    def filas_por_cuadro(self) -> int:
        """Las filas que muestra a lo sumo un cuadro (`presentacion.tabla(limite=...)`)."""
        return self.parametros.filas_por_cuadro

    @property
    def metodologia(self):
        return self.parametros.metodologia

    @property
    def organizacion(self):
        """Cómo llama la entidad a su agrupación de áreas (`entrada.organizacion`)."""
        return self.parametros.organizacion

    @property
    def agrupacion(self) -> str:
        """El nombre del nivel que agrupa las áreas, en singular: «servicio»."""
        return self.organizacion.singular

    @property
    def agrupaciones(self) -> str:
        """El mismo nombre en plural: «servicios»."""
        return self.organizacion.plural

    @property
    def grupos(self) -> list[str]:
        """Los grupos de áreas de la entidad, en el orden de la hoja unidades."""
        return grupos(self.unidades)

    @property
    def hay_grupos(self) -> bool:
        """Si la entidad agrupa sus áreas en más de un grupo; si no, el informe no habla de
        grupos."""
        return hay_grupos(self.unidades)

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
    def tipo(self):
        """El tipo de informe (`helpers.entrada.tipos.TipoDeInforme`): título, periodo y
        secciones."""
        return self.parametros.tipo

    @property
    def de_gestion(self) -> bool:
        """Si el informe cubre la gestión hasta su corte (la rendición de cuentas), no un
        trimestre."""
        return self.tipo.periodo == "gestion"

    @property
    def periodo(self) -> str:
        """'Segundo trimestre 2024 (abril a junio)'; en un informe de la gestión, 'Gestión
        2024 (enero a diciembre)'."""
        return periodo_del_informe(self.gestion, self.trimestre, self.parametros.informe)

    @property
    def acumulado(self) -> str:
        """'enero a junio de 2024'."""
        return f"enero a {MESES_NOMBRE[3 * self.trimestre - 1]} de {self.gestion}"

    @property
    def fecha_corte(self) -> str:
        return fecha_larga(self.parametros.fecha_corte)


def areas_con_nombre(datos: Datos) -> pd.DataFrame:
    """Cada área de la hoja unidades con el nombre y la sigla de la hoja `areas`; la que no
    figura allí (o un libro sin esa hoja) se nombra con su código."""
    codigos = list(pd.unique(datos.unidades["area"]))
    nombres = dict(zip(datos.areas["area"], datos.areas["nombre"]))
    siglas = {a: s for a, s in zip(datos.areas["area"], datos.areas["sigla"]) if s}
    return pd.DataFrame({
        "area": pd.Series(codigos, dtype="str"),
        "nombre": pd.Series([nombres.get(a, a) for a in codigos], dtype="str"),
        "sigla": pd.Series([siglas.get(a, a) for a in codigos], dtype="str"),
    })


def preparado_de(
    parametros: Parametros, datos: Datos, tablas: dict[str, pd.DataFrame]
) -> Preparado:
    # La narrativa del periodo: la del trimestre, o la de todos los trimestres de la gestión
    # hasta el corte.
    narrativa = narrativa_del_periodo(datos.narrativa, parametros)
    return Preparado(parametros=parametros, tablas=tablas, acp=datos.acp,
                     unidades=datos.unidades, narrativa=narrativa,
                     areas=areas_con_nombre(datos), datos=datos)


def preparar(parametros: Parametros, datos: Datos) -> Preparado:
    """Calcula todas las tablas del informe (sin carpeta de informe)."""
    return preparado_de(parametros, datos, parametros.tipo.calcular_tablas(parametros, datos))


# -- La carpeta del informe ---------------------------------------------------------------


def guardar_entrada(carpeta: Path, ruta_params: Path, datos: Datos) -> list[Path]:
    """Copia los parámetros y guarda las hojas validadas en `carpeta/entrada/`."""
    destino = Path(carpeta) / DATOS
    destino.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ruta_params, Path(carpeta) / PARAMETROS)
    rutas = [Path(carpeta) / PARAMETROS]
    for hoja in HOJAS_DATOS:
        ruta = destino / f"{hoja}.parquet"
        getattr(datos, hoja).to_parquet(ruta, index=False)
        rutas.append(ruta)
    return rutas


def leer_tabla(ruta: Path) -> pd.DataFrame:
    """La tabla de un archivo parquet de la carpeta de un informe, como una copia propia.

    Cada sección abre la carpeta entera (`abrir`), y con un kernel para varias secciones se
    leían los mismos archivos una vez por sección: convertir un parquet pequeño en una tabla
    de pandas cuesta unas diez veces más que leer sus bytes. Por eso se recuerda la tabla de
    cada contenido (por sus bytes, no por la fecha del archivo: un archivo reescrito con
    otro contenido da otra tabla aunque conserve tamaño y hora) y se entrega una copia, que
    la sección puede cambiar sin tocar la de la siguiente."""
    return _tabla_de(Path(ruta).read_bytes()).copy()


@functools.lru_cache(maxsize=96)  # las tablas de un informe y de la memoria, con holgura
def _tabla_de(contenido: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(contenido))


def leer_entrada(carpeta: str | Path) -> tuple[Parametros, Datos]:
    """Los parámetros y los datos validados guardados en la carpeta de un informe.

    Las rutas de los parámetros (`datos`, `salida`) no se usan: los datos son los de
    `entrada/datos/`."""
    carpeta = Path(carpeta)
    parametros = cargar_parametros(carpeta / PARAMETROS, raiz=carpeta)
    hojas = {}
    for hoja in HOJAS_DATOS:
        ruta = carpeta / DATOS / f"{hoja}.parquet"
        # Una hoja opcional que se agregó al contrato después de escrito el informe.
        if hoja in HOJAS_OPCIONALES and not ruta.exists():
            hojas[hoja] = tabla_vacia(hoja)
        else:
            hojas[hoja] = leer_tabla(ruta)
    return parametros, Datos(**hojas, archivos=[])


def guardar_calculo(tablas: dict[str, pd.DataFrame], carpeta: str | Path) -> list[Path]:
    """Las tablas de la memoria de cálculo en `carpeta/calculo/<tabla>.parquet`."""
    destino = Path(carpeta) / CALCULO
    destino.mkdir(parents=True, exist_ok=True)
    rutas = []
    for nombre, tabla in tablas.items():
        ruta = destino / f"{nombre}.parquet"
        tabla.to_parquet(ruta, index=False)
        rutas.append(ruta)
    return rutas


def leer_calculo(carpeta: str | Path, orden=()) -> dict[str, pd.DataFrame]:
    """Las tablas que guardó la memoria de cálculo, en el orden `orden` (el del tipo de
    informe; las demás, por nombre)."""
    destino = Path(carpeta) / CALCULO
    if not destino.is_dir():
        raise FileNotFoundError(
            f"{destino}: no hay tablas calculadas; ejecute primero la memoria de cálculo "
            "(00_memoria.ipynb)"
        )
    from helpers.entrada.tipos import ordenar_tablas

    tablas = {ruta.stem: leer_tabla(ruta) for ruta in destino.glob("*.parquet")}
    return ordenar_tablas(tablas, orden)


def entrada(
    params: str | Path = "params/2024-T2.yaml", informe: str | Path = ""
) -> tuple[Parametros, Datos]:
    """Los parámetros y los datos validados: los de la carpeta `informe` si se indica; si
    no, los que nombra `params` (relativo a la raíz del proyecto), validados ahora."""
    if informe:
        return leer_entrada(informe)
    ruta = Path(params)
    if not ruta.is_absolute():
        ruta = RAIZ / ruta
    parametros = cargar_parametros(ruta)
    return parametros, cargar_datos(parametros.ruta_datos)


def abrir(params: str | Path = "params/2024-T2.yaml", informe: str | Path = "") -> Preparado:
    """Lo que usa cada sección: con `informe` (la carpeta de un informe, relativa a la
    carpeta de trabajo), sus parámetros, datos y tablas calculadas; sin él, el cálculo
    completo a partir de `params` (relativo a la raíz del proyecto)."""
    parametros, datos = entrada(params, informe)
    if informe:
        return _anotado(preparado_de(parametros, datos,
                                     leer_calculo(informe, parametros.tipo.tablas.orden)))
    return preparar(parametros, datos)


# -- Lo que lee cada sección ----------------------------------------------------------------
#
# La caché del informe (docs/cache-diseno.md) vuelve a usar una sección ya ejecutada si no
# cambió nada de lo que leyó. Lo que `abrir` devuelve con una carpeta de informe anota cada
# hoja y cada tabla que la sección toca, como ruta dentro de la carpeta del informe; el
# ejecutor lo pide al kernel después de cada sección (`tomar_leidas`). Anotar de más sólo
# hace que una sección se ejecute otra vez sin necesidad; por eso recorrer las tablas o
# preguntar cuántas hay anota todas.

_LEIDAS: set[str] = set()
_HOJAS_DEL_PREPARADO = {"acp": ("acp",), "unidades": ("unidades",),
                        "narrativa": ("narrativa",), "areas": ("unidades", "areas")}


def tomar_leidas() -> list[str]:
    """Las hojas y tablas del informe que se leyeron desde la llamada anterior (rutas
    relativas a la carpeta del informe, en orden); las olvida."""
    leidas = sorted(_LEIDAS)
    _LEIDAS.clear()
    return leidas


def _anotar_hoja(hoja: str) -> None:
    _LEIDAS.add((DATOS / f"{hoja}.parquet").as_posix())


class _TablasAnotadas(MutableMapping):
    """Las tablas calculadas, anotando cuál se lee."""

    def __init__(self, tablas: dict[str, pd.DataFrame]) -> None:
        self._tablas = tablas

    @staticmethod
    def _anotar(nombre: str) -> None:
        _LEIDAS.add((CALCULO / f"{nombre}.parquet").as_posix())

    def __getitem__(self, nombre: str) -> pd.DataFrame:
        self._anotar(nombre)
        return self._tablas[nombre]

    def __contains__(self, nombre) -> bool:
        self._anotar(nombre)
        return nombre in self._tablas

    def __iter__(self):
        nombres = list(self._tablas)
        for nombre in nombres:
            self._anotar(nombre)
        return iter(nombres)

    def __len__(self) -> int:
        list(iter(self))
        return len(self._tablas)

    def __setitem__(self, nombre: str, tabla: pd.DataFrame) -> None:
        self._tablas[nombre] = tabla

    def __delitem__(self, nombre: str) -> None:
        del self._tablas[nombre]


class _DatosAnotados(Datos):
    """El libro validado, anotando cada hoja que se lee."""

    def __getattribute__(self, nombre: str):
        if nombre in HOJAS_DATOS:
            _anotar_hoja(nombre)
        return super().__getattribute__(nombre)


class _PreparadoAnotado(Preparado):
    """Lo que abre una sección, anotando las hojas que lee por sus atajos (`acp`, `areas`…)."""

    def __getattribute__(self, nombre: str):
        for hoja in _HOJAS_DEL_PREPARADO.get(nombre, ()):
            _anotar_hoja(hoja)
        return super().__getattribute__(nombre)


def _anotado(prep: Preparado) -> Preparado:
    datos = _DatosAnotados(**{f.name: getattr(prep.datos, f.name) for f in fields(Datos)})
    valores = {f.name: getattr(prep, f.name) for f in fields(Preparado)}
    valores |= {"tablas": _TablasAnotadas(prep.tablas), "datos": datos}
    return _PreparadoAnotado(**valores)
