"""Lectura y validación del archivo de parámetros de un informe (YAML).

`cargar_parametros("params/2024-T2.yaml")` devuelve un `Parametros` validado, o lanza un
único `ErrorDeEntrada` con todos los problemas, en castellano, cada uno con el nombre del
archivo y la ruta de la clave (`metodologia.agregacion`,
`metodologia.escala_calificacion[2].desde`: los elementos de una lista se numeran desde 1).

Las rutas relativas (`datos`, `salida`, `informe_anterior`) se resuelven contra `raiz`, no
contra la carpeta desde la que se ejecuta (`raiz_de`): la raíz del repositorio si el archivo
está dentro de él (los parámetros de la muestra, `params/2024-T2.yaml`, nombran
`data/2024/poa_2024.xlsx`), o la carpeta del propio archivo si está fuera (la de una
entidad, `~/POA2025/2025-T1.yaml`, nombra `poa_2025.xlsx`, junto a él). Aquí no se comprueba
que el archivo de datos exista (eso lo informa `cargar_datos`), ni la carpeta del informe
anterior (eso lo informa `helpers.calculo.reexpresiones.leer_informe_anterior`).

Cada clave se documenta una sola vez, en su campo: `title` (su nombre en el formulario de la
página), `description` (qué poner: la ayuda del formulario y el comentario del archivo en
blanco; en minúscula, la que va al lado del valor) y en `json_schema_extra` el texto de
relleno del archivo en blanco (`relleno`: un texto entre «<» y «>», o True si es la propia
descripción) y los nombres de las columnas de un grupo de listas (`columnas`). De ahí los
leen `entrada.parametros_en_blanco`, `entrada.parametros_en_formulario` y la tabla de
docs/parametros.md (`scripts/parametros.py`).
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from helpers.comun.calendario import cierre_de_mes
from helpers.comun.errores_del_sistema import causa
from helpers.entrada.celdas import limpiar_texto
from helpers.entrada.datos_abiertos import DatosAbiertos
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.errores_pydantic import numero_como_texto, problemas_de
from helpers.entrada.errores_yaml import mensaje_yaml
from helpers.entrada.identificacion import Identificacion
from helpers.entrada.organizacion import AGRUPACION, Organizacion
from helpers.entrada.recepcion import Recepcion
from helpers.entrada.sugerencias import quiso_decir
from helpers.rutas import RAIZ

__all__ = [
    "EFICIENCIA_EJECUCION_MINIMA",
    "ESCALA_CALIFICACION",
    "RAIZ",
    "SEMAFORO_FINANCIERO",
    "Entidad",
    "Grado",
    "Metodologia",
    "Parametros",
    "Presentacion",
    "cargar_parametros",
    "comprobar_con_datos",
    "raiz_de",
]

_CONFIG = ConfigDict(extra="forbid")


class Grado(BaseModel):
    """Un escalón de la escala de calificación (methodology.md §5.1).

    Un valor recibe este grado si es >= `desde` (o > `desde` cuando `inclusivo` es falso).
    """

    model_config = _CONFIG

    desde: float = Field(title="Desde (%)",
                         description="el límite inferior del escalón, en % de avance físico")
    inclusivo: bool = Field(default=True, title="Incluye el límite",
                            description="si vale desde el límite (>=) o sólo por encima (>)")
    grado: str = Field(min_length=1, title="Grado", description="el grado de avance")
    calificacion: str = Field(min_length=1, title="Calificación",
                              description="la calificación del avance")
    desempeno: str = Field(min_length=1, title="Desempeño", description="el desempeño")


ESCALA_CALIFICACION: tuple[Grado, ...] = (
    Grado(desde=100, grado="Concluido", calificacion="Excelente", desempeno="Óptimo"),
    Grado(desde=70, grado="En proceso de ejecución", calificacion="Alto",
          desempeno="Satisfactorio"),
    Grado(desde=51, grado="En proceso de ejecución", calificacion="Medio", desempeno="Bueno"),
    Grado(desde=9, grado="Atrasado", calificacion="Bajo", desempeno="Regular"),
    Grado(desde=0, inclusivo=False, grado="En riesgo", calificacion="Muy bajo",
          desempeno="Deficiente"),
    Grado(desde=0, grado="Por iniciar", calificacion="Nulo", desempeno="Deficiente"),
)

# Ejecución financiera mínima (%, ya redondeada a 2 decimales) para que la eficiencia sea
# significativa; por debajo, el cociente se dispara (33 % de eficacia sobre 0,12 % de
# ejecución da más de 27.000 %) y se muestra «n.s.» (`calculo.metodologia.eficiencia`). Valor
# por omisión de `metodologia.eficiencia_ejecucion_minima`.
EFICIENCIA_EJECUCION_MINIMA = 1.0

# trimestre -> (verde desde, amarillo desde), en % de ejecución acumulada (§5.2).
SEMAFORO_FINANCIERO: dict[int, tuple[float, float]] = {
    1: (20.0, 10.0),
    2: (43.0, 33.0),
    3: (65.0, 48.0),
    4: (85.0, 65.0),
}


class Metodologia(BaseModel):
    """Las reglas de cálculo que el planificador puede cambiar (methodology.md)."""

    model_config = _CONFIG

    # Las descripciones dicen qué hace cada regla (docs/metodologia.md), en minúscula: el
    # archivo en blanco les agrega sus opciones.
    tope_cumplimiento: bool = Field(
        default=True, title="Cumplimiento hasta el 100 %",
        description="limitar el cumplimiento de cada operación al 100 %")
    agregacion: Literal["promedio_unidades", "tareas"] = Field(
        default="promedio_unidades", title="Agregación",
        description="cómo se promedian las unidades hasta la entidad")
    participacion: Literal["trimestral_igual", "programada"] = Field(
        default="trimestral_igual", title="Peso de cada trimestre",
        description="el peso de cada trimestre en la eficacia")
    sin_reporte: Literal["cero", "excluir"] = Field(
        default="cero", title="Meses sin reporte",
        description="qué vale un mes con meta y sin lo ejecutado (0, o la operación no se "
                    "promedia)")
    escala_calificacion: list[Grado] = Field(
        default_factory=lambda: list(ESCALA_CALIFICACION), min_length=1,
        title="Escala de calificación",
        description="la calificación del avance físico, de mayor a menor; «desde» es el límite "
                    "inferior, incluido salvo inclusivo: false")
    # En el YAML, {trimestre: [verde, amarillo]}; el formulario lo muestra como una tabla
    # con estas columnas.
    semaforo_financiero: dict[int, tuple[float, float]] = Field(
        default_factory=lambda: dict(SEMAFORO_FINANCIERO), title="Semáforo financiero",
        description="el semáforo de la ejecución acumulada, por trimestre: [verde desde, "
                    "amarillo desde], en %",
        json_schema_extra={"columnas": {"trimestre": "Trimestre", "verde": "Verde desde (%)",
                                        "amarillo": "Amarillo desde (%)"}})
    umbral_cumple: float = Field(
        default=50.0, ge=0, le=100, title="Umbral de CUMPLE (%)",
        description="el cumplimiento anual mínimo (%) para CUMPLE en la rendición de cuentas")
    # Ejecución financiera (%, redondeada a 2 decimales) por debajo de la cual la eficiencia
    # no es significativa y se muestra «n.s.» (§4).
    eficiencia_ejecucion_minima: float = Field(
        default=EFICIENCIA_EJECUCION_MINIMA, ge=0, le=100,
        title="Ejecución mínima para la eficiencia (%)",
        description="la ejecución mínima (%) para calcular la eficiencia; con menos, «n.s.»")
    # El informe por objetivo (helpers.calculo.objetivos): cómo pesa cada ACP u operación
    # vinculada en el promedio de su objetivo.
    ponderacion_objetivos: Literal["vinculos", "presupuesto"] = Field(
        default="vinculos", title="Peso en el avance por objetivo",
        description="cómo pesa cada ACP u operación en el avance de su objetivo: el peso de "
                    "su vínculo, o ese peso por su presupuesto vigente")

    @field_validator("escala_calificacion")
    @classmethod
    def _escala_descendente(cls, escala: list[Grado]) -> list[Grado]:
        # De mayor a menor: cada `desde` menor que el anterior; con el mismo `desde`, el
        # escalón exclusivo (> desde) va antes que el inclusivo (>= desde).
        for i in range(1, len(escala)):
            antes, ahora = escala[i - 1], escala[i]
            mismo_limite_bien = (
                ahora.desde == antes.desde and not antes.inclusivo and ahora.inclusivo
            )
            if not (ahora.desde < antes.desde or mismo_limite_bien):
                raise ValueError(
                    "la escala debe ir de mayor a menor según 'desde', sin repetir "
                    f"límites: el elemento {i + 1} ({ahora.grado}, desde "
                    f"{numero_como_texto(ahora.desde)}) no es menor que el elemento {i} "
                    f"({antes.grado}, desde {numero_como_texto(antes.desde)})"
                )
        return escala

    @field_validator("semaforo_financiero")
    @classmethod
    def _semaforo_completo(
        cls, semaforo: dict[int, tuple[float, float]]
    ) -> dict[int, tuple[float, float]]:
        errores = []
        claves = sorted(semaforo)
        if claves != [1, 2, 3, 4]:
            errores.append(
                "debe tener exactamente los trimestres 1, 2, 3 y 4 "
                f"(tiene: {', '.join(str(c) for c in claves) or 'ninguno'})"
            )
        for trimestre in claves:
            verde, amarillo = semaforo[trimestre]
            if not (0 <= amarillo <= 100 and 0 <= verde <= 100):
                errores.append(f"trimestre {trimestre}: los umbrales deben estar entre 0 y 100")
            elif not verde > amarillo:
                errores.append(
                    f"trimestre {trimestre}: el umbral verde ({numero_como_texto(verde)}) debe "
                    f"ser mayor que el amarillo ({numero_como_texto(amarillo)})"
                )
        if errores:
            raise ValueError("; ".join(errores))
        return dict(sorted(semaforo.items()))


class Entidad(BaseModel):
    model_config = _CONFIG

    nombre: str = Field(min_length=1, title="Nombre de la entidad",
                        description="El nombre oficial de la entidad, como va en la portada.")
    sigla: str = Field(min_length=1, title="Sigla", description="La sigla de la entidad.")


def _texto_no_numero(valor):
    """Un código o un texto que YAML lee como número (`unidad_planificacion: 0123`) puede
    cambiar al leerse (un 0 inicial lo vuelve octal): se pide escribirlo entre comillas."""
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        raise ValueError(
            f"se leyó como el número {valor}; escriba el valor entre comillas (p. ej. "
            "\"0123\") para que se lea como texto, tal cual"
        )
    return valor


# Un elemento de una lista de textos (una norma, una recomendación): texto no vacío.
_Renglon = Annotated[str, StringConstraints(min_length=1), BeforeValidator(_texto_no_numero)]


class Presentacion(BaseModel):
    """Los textos que los parámetros ponen en el informe, todos opcionales: lo que falta no
    deja un título vacío (docs/secciones-narrativas.md). `unidad_planificacion` se comprueba
    contra el libro (`comprobar_con_datos`); qué es cada uno lo dice su campo."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    mision: str = Field(
        default="", title="Misión",
        description="La misión y la visión del plan estratégico institucional, que van en el "
                    "marco estratégico.",
        json_schema_extra={"relleno": "<la misión de la entidad, como la dice su plan "
                                      "estratégico institucional>"})
    vision: str = Field(
        default="", title="Visión", json_schema_extra={"relleno": True},
        description="la visión de la entidad, como la dice su plan estratégico institucional")
    introduccion: str = Field(
        default="", title="Párrafo de la introducción",
        description="Un párrafo propio que se agrega a la introducción que escribe el programa.",
        json_schema_extra={"relleno": "<un párrafo propio para la introducción: de dónde "
                                      "salen los avances y el presupuesto, por ejemplo>"})
    marco_normativo: list[_Renglon] = Field(
        default_factory=list, title="Marco normativo",
        description="Las normas que rigen la planificación y el seguimiento del POA, una por "
                    "elemento, que van bajo «Marco normativo».",
        json_schema_extra={"relleno": "<una ley, decreto o reglamento que rige la "
                                      "planificación de la entidad, con su número y fecha>"})
    unidad_planificacion: str | None = Field(
        default=None, min_length=1, title="Unidad de planificación (codigo_unidad)",
        description="El codigo_unidad de la unidad de planificación en la hoja unidades; el "
                    "informe la nombra como autora, y sus recomendaciones van primero. Si no "
                    "está en el libro, el informe se detiene con un error que nombra esta clave.",
        json_schema_extra={"relleno": "<codigo_unidad de la unidad de planificación>"})
    recomendaciones: list[_Renglon] = Field(
        default_factory=list, title="Recomendaciones",
        description="Las recomendaciones de la unidad de planificación, que van primero en "
                    "«Recomendaciones», antes de las de las unidades.",
        json_schema_extra={"relleno": "<una recomendación de la unidad de planificación>"})

    _sin_numeros = field_validator(
        "mision", "vision", "introduccion", "unidad_planificacion", mode="before"
    )(_texto_no_numero)


# Las filas que muestra a lo sumo una tabla del informe, repartidas entre sus cuadros si va en
# varios (`Parametros.filas_por_cuadro`, `presentacion.repartir_filas`).
FILAS_POR_CUADRO = 2000


class Parametros(BaseModel):
    """Los parámetros de un informe, validados. `raiz` no viene del YAML."""

    model_config = _CONFIG

    entidad: Entidad = Field(title="La entidad",
                             description="La entidad que presenta el informe.")
    gestion: int = Field(ge=2000, le=2100, title="Gestión", description="El año del POA.")
    # El tipo de informe: una carpeta de notebooks/ con su secciones.yaml (helpers.entrada.tipos).
    informe: str = Field(title="Tipo de informe",
                         description="Qué informe se genera: su título y sus secciones.")
    trimestre: int | None = Field(
        default=None, validate_default=True, title="Trimestre",
        description="El trimestre del informe; el informe cubre ese trimestre y lo acumulado.")
    # El mes de corte de un informe de la gestión (periodo: gestion): diciembre, o junio para
    # la rendición de cuentas parcial (inicial) de medio año.
    corte: Literal["junio", "diciembre"] | None = Field(
        default=None, validate_default=True, title="Mes de corte",
        description="El mes de corte de un informe de la gestión: diciembre (sin esta clave), "
                    "o junio para la rendición de cuentas de medio año.")
    datos: str = Field(min_length=1, title="Libro del POA",
                       description="el libro del POA: la plantilla de esta carpeta, ya llena")
    salida: str | None = Field(
        default=None, title="Carpeta del informe",
        description="la carpeta del informe; otra corrida la reemplaza sólo si termina bien")
    # La carpeta de un informe ya publicado de la misma gestión y de un corte anterior: sus
    # cifras que cambiaron desde entonces se listan como reexpresiones.
    informe_anterior: str | None = Field(
        default=None, min_length=1, title="Carpeta del informe anterior",
        description="Desde el segundo trimestre, la carpeta del informe anterior de la "
                    "gestión; el informe lista sus cifras que cambiaron desde entonces.")
    presentacion: Presentacion = Field(
        default_factory=Presentacion, title="Textos del informe",
        description="Los textos del informe; lo que falta no deja un título vacío.")
    metodologia: Metodologia = Field(
        default_factory=Metodologia, title="Metodología",
        description="Las reglas de cálculo, aquí con su valor por omisión (el que rige sin esta "
                    "clave). Use las mismas en todos los informes de una gestión.")
    # Cómo llama la entidad a su agrupación de áreas (columna servicio del libro).
    organizacion: Organizacion = Field(
        default_factory=Organizacion, title="Organización",
        description="El nivel que agrupa las áreas de la entidad (la columna servicio de la "
                    "hoja unidades, como una oficina nacional y sus direcciones "
                    "departamentales) y cómo lo nombra el informe, en minúsculas: va en "
                    f"títulos, columnas y frases. Sin esta clave, «{AGRUPACION}»; sin esa "
                    "columna en el libro, el informe no habla de ese nivel.")
    # El informe como documento oficial: CITE, hoja de ruta, unidad emisora, fecha de emisión,
    # versión del POA, firmas y fuentes de las cifras (helpers.entrada.identificacion; cómo se
    # muestra, helpers.redaccion.identidad; docs/identidad.md).
    identificacion: Identificacion = Field(
        default_factory=Identificacion, title="El documento oficial",
        description="El informe como documento oficial: la portada, el bloque de firmas y la "
                    "línea «Fuente» de cada cuadro y gráfico. Escriba entre comillas los "
                    "textos que parezcan números.")
    # Hasta cuándo se reciben los formularios de seguimiento de las unidades y qué pasa con
    # uno que llega después (helpers.entrada.recepcion; docs/formularios.md).
    recepcion: Recepcion | None = Field(
        default=None, title="Recepción de los formularios de las unidades",
        description="Para informe-poa formularios: el plazo de los formularios de seguimiento "
                    "de las unidades.")
    # La licencia de las tablas publicadas como datos abiertos (helpers.entrada.datos_abiertos;
    # docs/datos-abiertos.md).
    datos_abiertos: DatosAbiertos = Field(
        default_factory=DatosAbiertos, title="Datos abiertos",
        description="Cómo se publican las tablas del informe como datos abiertos "
                    "(datos-abiertos/ de la carpeta del informe).")
    # Cuántas filas muestra a lo sumo un cuadro del HTML y del PDF (el anexo de operaciones,
    # las unidades de un área, las alertas de un tipo...): las demás están en tablas/*.csv y
    # en anexo.xlsx, completas, y el cuadro dice cuántas muestra.
    filas_por_cuadro: int = Field(
        default=FILAS_POR_CUADRO, ge=1, title="Filas por cuadro, a lo sumo",
        description="Las filas que muestra a lo sumo un cuadro en el HTML y el PDF; la tabla "
                    "entera va siempre a tablas/*.csv y a anexo.xlsx.")
    raiz: Path = Field(default=RAIZ, exclude=True, title="Raíz",
                       description="La carpeta contra la que se resuelven las rutas "
                                   "relativas; la fija el programa (raiz_de), no el archivo.")

    @field_validator("informe")
    @classmethod
    def _tipo_conocido(cls, informe: str) -> str:
        from helpers.entrada import tipos

        try:
            tipos.tipo(informe)
        except tipos.TipoDesconocido as error:
            raise ValueError(str(error)) from None
        return informe

    @field_validator("trimestre")
    @classmethod
    def _trimestre_segun_informe(cls, trimestre: int | None, info: ValidationInfo):
        periodo = _periodo(info.data.get("informe"))  # None si `informe` no es válido
        if periodo == "trimestre":
            if trimestre is None:
                raise ValueError(f"es obligatorio en un informe {info.data['informe']} (1 a 4)")
            if not 1 <= trimestre <= 4:
                raise ValueError(f"{trimestre} no es un trimestre válido (1 a 4)")
        elif periodo == "gestion" and trimestre is not None:
            raise ValueError(
                f"un informe {info.data['informe']} no lleva trimestre (su corte es diciembre, "
                f"o junio con «corte: junio»), pero dice {trimestre}"
            )
        elif periodo == "inicio" and trimestre is not None:
            raise ValueError(
                f"un informe {info.data['informe']} no lleva trimestre: describe el POA "
                f"aprobado al comenzar la gestión; quite «trimestre: {trimestre}»"
            )
        return trimestre

    @field_validator("corte")
    @classmethod
    def _corte_segun_informe(cls, corte: str | None, info: ValidationInfo):
        periodo = _periodo(info.data.get("informe"))
        if periodo == "trimestre" and corte is not None:
            raise ValueError(
                f"un informe {info.data['informe']} tiene el corte de su trimestre; «corte» "
                "es para los informes de la gestión (junio o diciembre)"
            )
        if periodo == "inicio" and corte is not None:
            raise ValueError(
                f"un informe {info.data['informe']} describe el POA aprobado al comenzar la "
                "gestión y no tiene corte; quite «corte»"
            )
        if periodo == "gestion" and corte is None:
            return "diciembre"
        return corte

    @field_validator("identificacion")
    @classmethod
    def _emision_no_antes_del_corte(cls, ident: Identificacion, info: ValidationInfo):
        # Un informe se emite cuando su periodo ya terminó: no antes de la fecha de corte.
        corte = _corte_de(info.data)
        if ident.fecha_emision is None or corte is None:
            return ident  # sin fecha, o la gestión o el trimestre ya tienen su propio error
        if ident.fecha_emision < corte:
            raise ValueError(
                f"fecha_emision ({ident.fecha_emision:%d/%m/%Y}) es anterior al corte del "
                f"informe ({corte:%d/%m/%Y}); un informe se emite después de su corte"
            )
        return ident

    @field_validator("recepcion")
    @classmethod
    def _plazo_no_antes_del_corte(cls, recepcion: Recepcion | None, info: ValidationInfo):
        # Las unidades informan lo ejecutado cuando el trimestre ya terminó.
        corte = _corte_de(info.data)
        if recepcion is None or corte is None:
            return recepcion  # sin la clave, o el corte ya tiene su propio error
        if recepcion.plazo < corte:
            raise ValueError(
                f"plazo ({recepcion.plazo:%d/%m/%Y}) es anterior al corte del informe "
                f"({corte:%d/%m/%Y}); las unidades informan lo ejecutado después del corte"
            )
        return recepcion

    def _resolver(self, ruta: str | Path) -> Path:
        ruta = Path(ruta).expanduser()
        return ruta if ruta.is_absolute() else self.raiz / ruta

    @property
    def ruta_datos(self) -> Path:
        """El libro o la carpeta de datos, con las rutas relativas resueltas contra `raiz`
        (`raiz_de`)."""
        return self._resolver(self.datos)

    @property
    def tipo(self):
        """El tipo de informe (`helpers.entrada.tipos.TipoDeInforme`): sus secciones y sus
        tablas."""
        from helpers.entrada import tipos

        return tipos.tipo(self.informe)

    @property
    def etiqueta(self) -> str:
        """La carpeta por omisión del tipo: '2024-T2', '2024-anual', '2024-anual-junio'."""
        return self.tipo.etiqueta(self.gestion, self.trimestre, self.corte)

    @property
    def carpeta_salida(self) -> Path:
        """`salida` resuelta, o por omisión `raiz/output/<etiqueta>`."""
        if self.salida:
            return self._resolver(self.salida)
        return self.raiz / "output" / self.etiqueta

    @property
    def ruta_membrete(self) -> Path | None:
        """`identificacion.plantilla_word` resuelta como `salida`, o None (el membrete neutro)."""
        plantilla = self.identificacion.plantilla_word
        return self._resolver(plantilla) if plantilla else None

    @property
    def ruta_informe_anterior(self) -> Path | None:
        """`informe_anterior` resuelta como `salida`, o None si no se pide comparar."""
        return self._resolver(self.informe_anterior) if self.informe_anterior else None

    @property
    def trimestre_corte(self) -> int:
        """El trimestre del corte: `trimestre`; en un informe de la gestión, 4 (diciembre)
        o 2 (junio)."""
        return _trimestre_de(self.informe, self.trimestre, self.corte)

    @property
    def fecha_corte(self) -> dt.date:
        """El último día del trimestre de corte (30 de junio de 2024 para 2024-T2); en un
        informe del inicio de la gestión, su primer día."""
        return _fecha_de_corte(self.informe, self.gestion, self.trimestre_corte)


# El trimestre de corte de cada mes de corte de un informe de la gestión.
TRIMESTRE_DEL_CORTE = {"junio": 2, "diciembre": 4}
# El de un informe del inicio de la gestión, que no mide ejecución: lo que comparten todos los
# informes (la narrativa del periodo, el cálculo de la memoria) toma el primero.
TRIMESTRE_DEL_INICIO = 1


def _periodo(informe: str | None) -> str | None:
    """El periodo del tipo de informe `informe` ('trimestre' o 'gestion'); None si no existe."""
    from helpers.entrada import tipos

    try:
        return tipos.tipo(informe).periodo if informe else None
    except tipos.TipoDesconocido:
        return None


def _corte_de(validados: dict) -> dt.date | None:
    """La fecha de corte de los parámetros ya validados (`ValidationInfo.data`); None si la
    gestión, el informe o el trimestre tienen su propio error."""
    gestion = validados.get("gestion")
    trimestre = _trimestre_de(validados.get("informe"), validados.get("trimestre"),
                              validados.get("corte"))
    if gestion is None or trimestre is None:
        return None
    return _fecha_de_corte(validados.get("informe"), gestion, trimestre)


def _fecha_de_corte(informe: str | None, gestion: int, trimestre: int) -> dt.date:
    if _periodo(informe) == "inicio":
        return dt.date(gestion, 1, 1)
    return cierre_de_mes(gestion, 3 * trimestre)


def _trimestre_de(informe: str | None, trimestre: int | None, corte: str | None) -> int | None:
    periodo = _periodo(informe)
    if periodo == "gestion":
        return TRIMESTRE_DEL_CORTE[corte or "diciembre"]
    if periodo == "inicio":
        return TRIMESTRE_DEL_INICIO
    return trimestre


# --------------------------------------------------------------------------------------
# Lectura del YAML


class _Cargador(yaml.SafeLoader):
    """SafeLoader que además detecta claves repetidas (PyYAML se queda con la última)."""

    repetidas: list[tuple[str, int]]


def _mapa_sin_repetidas(cargador: _Cargador, nodo: yaml.MappingNode, deep: bool = False):
    vistas = set()
    for nodo_clave, _ in nodo.value:
        clave = cargador.construct_object(nodo_clave, deep=True)
        try:
            repetida = clave in vistas
        except TypeError:
            continue
        if repetida:
            cargador.repetidas.append((str(clave), nodo_clave.start_mark.line + 1))
        vistas.add(clave)
    return cargador.construct_mapping(nodo, deep=deep)


_Cargador.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapa_sin_repetidas)


# Lo que delata un libro de hoja de cálculo pasado en lugar de los parámetros: su extensión,
# o sus primeros bytes (un ZIP como .xlsx y .ods, o un archivo compuesto OLE como .xls).
_EXTENSIONES_HOJA = (".xlsx", ".xlsm", ".xls", ".ods")
_FIRMAS_HOJA = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def _mostrar(ruta: Path, desde: Path | None = None) -> str:
    """La ruta como conviene escribirla: relativa a `desde` (por omisión, la carpeta
    actual, para una orden) si está dentro de ella."""
    try:
        return str(ruta.resolve().relative_to((desde or Path.cwd()).resolve()))
    except (ValueError, OSError):
        return str(ruta)


def _es_hoja_de_calculo(ruta: Path) -> bool:
    if ruta.suffix.casefold() in _EXTENSIONES_HOJA:
        return True
    try:
        with ruta.open("rb") as archivo:
            return archivo.read(4).startswith(_FIRMAS_HOJA)
    except OSError:
        return False


def _no_es_yaml(ruta: Path, raiz: Path) -> str | None:
    """Qué decir si `ruta` es un libro o una carpeta (de CSV) en lugar de los parámetros: qué
    se esperaba y la orden que sí sirve; None si no lo es. La clave datos se escribe
    relativa a `raiz`, contra la que se resuelve."""
    if ruta.is_dir():
        return (f"{_mostrar(ruta)} es una carpeta, no un archivo de parámetros: un informe "
                "necesita el archivo .yaml de sus parámetros, cuya clave datos diga dónde "
                "están los datos; si es la carpeta de los CSV, para revisarla la orden es: "
                f"informe-poa validar {_mostrar(ruta)}")
    if not (ruta.is_file() and _es_hoja_de_calculo(ruta)):
        return None
    libro, renombrar = ruta, ""
    if ruta.suffix.casefold() not in _EXTENSIONES_HOJA:
        # Un libro con nombre de parámetros: `validar` lo tomaría otra vez por parámetros.
        libro = ruta.with_suffix(".xlsx")
        renombrar = f"cámbiele el nombre a {libro.name} y "
    return (f"{_mostrar(ruta)} es un libro de hoja de cálculo, no un archivo de parámetros: "
            "un informe necesita el archivo .yaml de sus parámetros, cuya clave datos apunte "
            f"al libro (datos: {_mostrar(libro, raiz)}); para revisar el libro, {renombrar}"
            f"la orden es: informe-poa validar {_mostrar(libro)}")


def _leer_yaml(ruta: Path, raiz: Path) -> tuple[object, list[Problema]]:
    archivo = ruta.name
    otra_cosa = _no_es_yaml(ruta, raiz)
    if otra_cosa is not None:
        return None, [Problema(archivo, None, None, None, otra_cosa)]
    if not ruta.is_file():
        return None, [Problema(archivo, None, None, None,
                               f"el archivo de parámetros {ruta} no existe")]
    try:
        texto = ruta.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problema(archivo, None, None, None,
                               "el archivo de parámetros no está en UTF-8")]
    except OSError as exc:
        return None, [Problema(archivo, None, None, None,
                               f"no se pudo leer el archivo de parámetros ({causa(exc)})")]
    cargador = _Cargador(texto)
    cargador.repetidas = []
    try:
        contenido = cargador.get_single_data()
    except yaml.YAMLError as exc:
        return None, [Problema(archivo, None, None, None, mensaje_yaml(exc, texto))]
    finally:
        cargador.dispose()
    problemas = [
        Problema(archivo, None, None, clave,
                 f"la clave está repetida (línea {linea}); escríbala una sola vez")
        for clave, linea in cargador.repetidas
    ]
    return contenido, problemas


def _textos_limpios(valor):
    """Los textos del YAML con la misma limpieza que los del libro (sin caracteres de
    control: "\\x1b" escrito entre comillas dobles es válido en YAML)."""
    if isinstance(valor, str):
        return limpiar_texto(valor)
    if isinstance(valor, dict):
        return {clave: _textos_limpios(v) for clave, v in valor.items()}
    if isinstance(valor, list):
        return [_textos_limpios(v) for v in valor]
    return valor


def raiz_de(ruta: str | Path) -> Path:
    """La carpeta contra la que se resuelven las rutas relativas del archivo de parámetros
    `ruta`: `RAIZ` (la raíz de la copia del proyecto; instalado el programa, la carpeta en
    que se ejecuta) si el archivo está dentro de ella, como los de la muestra en `params/`;
    si no, la carpeta del archivo, para que la carpeta de una entidad (`informe-poa nuevo`)
    funcione desde donde se la llame y se pueda mover entera."""
    # abspath y no Path.absolute: «../otra» desde el proyecto no está dentro de él.
    absoluta = Path(os.path.abspath(Path(ruta).expanduser()))
    for archivo, raiz in ((absoluta, Path(os.path.abspath(RAIZ))),
                          (absoluta.resolve(), RAIZ.resolve())):
        if archivo.is_relative_to(raiz):
            return RAIZ
    return absoluta.parent


def cargar_parametros(ruta: str | Path, raiz: Path | None = None) -> Parametros:
    """Lee y valida el archivo de parámetros YAML.

    `raiz` es la carpeta contra la que se resuelven las rutas relativas; por omisión, la
    de `raiz_de(ruta)`. Lanza `ErrorDeEntrada` con todos los problemas a la vez.
    """
    ruta = Path(ruta)
    archivo = ruta.name
    raiz = Path(raiz) if raiz is not None else raiz_de(ruta)
    contenido, problemas = _leer_yaml(ruta, raiz)
    if contenido is None and not problemas:
        problemas = [Problema(archivo, None, None, None, "el archivo de parámetros está vacío")]
    if problemas and contenido is None:
        raise ErrorDeEntrada(problemas)
    if not isinstance(contenido, dict):
        raise ErrorDeEntrada(problemas + [
            Problema(archivo, None, None, None,
                     "el archivo de parámetros debe ser un grupo de claves (entidad, gestion, "
                     "informe, ...)")
        ])
    contenido = _textos_limpios(contenido)
    if "raiz" in contenido:
        problemas.append(
            Problema(archivo, None, None, "raiz",
                     "clave desconocida (la raíz la fija el programa, no el archivo)")
        )
        contenido = {k: v for k, v in contenido.items() if k != "raiz"}
    try:
        parametros = Parametros.model_validate({**contenido, "raiz": raiz})
    except ValidationError as exc:
        problemas.extend(problemas_de(exc, contenido, archivo, Parametros))
        parametros = None
    if problemas:
        raise ErrorDeEntrada(problemas)
    return parametros


# --------------------------------------------------------------------------------------
# Lo que sólo se puede comprobar con el libro a la vista


def comprobar_con_datos(parametros: Parametros, datos, archivo: str) -> None:
    """Comprueba las claves de los parámetros que nombran filas del libro; lanza
    `ErrorDeEntrada` con todos los problemas. `datos` es el libro validado
    (`helpers.entrada.datos.Datos`, o cualquier objeto con su tabla `unidades`); `archivo`, el
    nombre del archivo de parámetros.

    `presentacion.unidad_planificacion` debe ser un `codigo_unidad` de la hoja unidades,
    escrito igual (las mayúsculas cuentan, como en el resto del libro); y las fechas de la
    hoja reformulaciones, de la `gestion` de los parámetros (la versión de cada corte se
    arma por el mes de cada fecha)."""
    problemas = []
    ref = getattr(datos, "reformulaciones", None)
    if ref is not None and len(ref):
        libro = next((a.name for a in getattr(datos, "archivos", [])), "reformulaciones.csv")
        for fila, fecha in zip(ref["fila"], ref["fecha"]):
            if fecha.year != parametros.gestion:
                problemas.append(Problema(
                    libro, "reformulaciones", int(fila), "fecha",
                    f"'{fecha:%d/%m/%Y}' no es de la gestión {parametros.gestion} de {archivo}: "
                    "el libro de una gestión registra sólo sus reformulaciones"))
    codigo = parametros.presentacion.unidad_planificacion
    codigos = set(datos.unidades["codigo_unidad"])
    if codigo is not None and codigo not in codigos:
        pista = quiso_decir(codigo, codigos) or (
            "escriba el codigo_unidad de la unidad de planificación tal como figura allí")
        problemas.append(
            Problema(archivo, None, None, "presentacion.unidad_planificacion",
                     f"'{codigo}' no existe en "
                     f"{_donde_unidades(getattr(datos, 'archivos', []))}; {pista}"))
    sin_vinculos = _sin_vinculos(parametros, datos)
    if sin_vinculos and not problemas:
        raise SinVinculos(sin_vinculos)
    problemas += sin_vinculos
    if problemas:
        raise ErrorDeEntrada(problemas)


class SinVinculos(ErrorDeEntrada):
    """El único problema es que el libro no vincula nada a ningún objetivo (el informe por
    objetivo no tendría qué mostrar): el lote por objetivo pone a esa entidad entre las que
    no aportan, aparte de las que fallaron."""


def _sin_vinculos(parametros: Parametros, datos) -> list[Problema]:
    """El informe por objetivo de un libro que no vincula nada a ningún objetivo: no tendría
    qué mostrar (docs/objetivos.md). `datos`: el libro, o lo que lo lleva (`.datos`)."""
    datos = getattr(datos, "datos", datos)
    if parametros.informe != "objetivos" or any(
            len(getattr(datos, hoja, ())) for hoja in ("vinculos", "articulacion")):
        return []
    libro = next((a.name for a in getattr(datos, "archivos", [])), "vinculos.csv")
    return [Problema(libro, "vinculos", None, None,
                     "el informe por objetivo necesita saber qué ACP u operaciones aportan a "
                     "qué objetivos: llene la hoja articulacion (PDES y PEI) o las hojas "
                     "marcos y vinculos (otros marcos), o genere otro tipo de informe")]


def _donde_unidades(archivos: list[Path]) -> str:
    """'la hoja unidades de poa_2024.xlsx', o 'unidades.csv' si los datos son CSV."""
    csv = next((a.name for a in archivos if a.name.lower() == "unidades.csv"), None)
    if csv:
        return csv
    return f"la hoja unidades de {archivos[0].name}" if archivos else "la hoja unidades"
