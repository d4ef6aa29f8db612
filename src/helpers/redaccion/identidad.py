"""La identidad del informe como documento oficial: CITE, hoja de ruta, unidad que lo emite,
fecha de emisión, versión del POA evaluado, firmas y fuentes de las cifras.

Todo viene de la clave `identificacion` del archivo de parámetros y todo es opcional
(docs/identidad.md). `Identificacion` valida esa clave (la usa `helpers.entrada.parametros`);
`datos_para_ensamblar(parametros)` arma lo que `helpers.salida.ensamblado.ensamblar` pone en la
portada, en el bloque de firmas y en la línea «Fuente:» de cada cuadro y gráfico.

Reglas de presentación:

- un dato que falta no se muestra en la portada (no queda un «CITE:» vacío);
- el bloque de firmas sale siempre, con los tres roles en orden (elaborado, revisado,
  aprobado): un rol sin firma en los parámetros deja líneas en blanco para escribir a mano
  el nombre y el cargo sobre la copia impresa; un rol puede tener más de una firma;
- una fuente que falta se reemplaza por la fuente general, «elaboración propia con datos del
  POA <gestión>».
"""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpers.comun.calendario import MESES_NOMBRE, TRIMESTRES, fecha_larga

if TYPE_CHECKING:
    from helpers.entrada.parametros import Parametros

__all__ = [
    "ROLES_FIRMA",
    "Firma",
    "Fuentes",
    "Identificacion",
    "datos_para_ensamblar",
    "fecha_corta",
    "fecha_larga",
    "periodo_del_informe",
    "periodo_del_titulo",
]

# Sin espacios a los lados: un texto hecho sólo de espacios cuenta como vacío.
_CONFIG = ConfigDict(extra="forbid", str_strip_whitespace=True)

# rol en los parámetros -> cómo se lee en el bloque de firmas, en el orden en que se firma.
ROLES_FIRMA: dict[str, str] = {
    "elaborado": "Elaborado por",
    "revisado": "Revisado por",
    "aprobado": "Aprobado por",
}

_FECHA_BOLIVIANA = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def _texto_no_numero(valor):
    """Un número escrito sin comillas (`hoja_ruta: 01234`) lo lee YAML como número, y puede
    cambiarlo (un 0 inicial lo vuelve octal): se pide escribirlo entre comillas."""
    if isinstance(valor, (int, float)) and not isinstance(valor, bool):
        raise ValueError(
            f"se leyó como el número {valor}; escriba el valor entre comillas (p. ej. "
            "\"01234\") para que se lea como texto, tal cual"
        )
    return valor


class Firma(BaseModel):
    """Quien firma el informe y en qué calidad."""

    model_config = _CONFIG

    rol: Literal["elaborado", "revisado", "aprobado"]
    nombre: str = Field(min_length=1)
    cargo: str = Field(min_length=1)

    _sin_numeros = field_validator("nombre", "cargo", mode="before")(_texto_no_numero)


class Fuentes(BaseModel):
    """De dónde salen las cifras: la línea «Fuente:» de los cuadros y gráficos."""

    model_config = _CONFIG

    # p. ej. "Reporte de ejecución presupuestaria del SIGEP al 30/06/2024"
    financiera: str | None = Field(default=None, min_length=1)
    # p. ej. "Seguimiento de la unidad de planificación"
    fisica: str | None = Field(default=None, min_length=1)

    _sin_numeros = field_validator("financiera", "fisica", mode="before")(_texto_no_numero)


class Identificacion(BaseModel):
    """La clave `identificacion` de los parámetros; todo es opcional."""

    model_config = _CONFIG

    cite: str | None = Field(default=None, min_length=1)
    hoja_ruta: str | None = Field(default=None, min_length=1)
    unidad_emisora: str | None = Field(default=None, min_length=1)
    fecha_emision: dt.date | None = None
    poa_version: str | None = Field(default=None, min_length=1)
    firmas: list[Firma] = Field(default_factory=list)
    fuentes: Fuentes = Field(default_factory=Fuentes)

    _sin_numeros = field_validator(
        "cite", "hoja_ruta", "unidad_emisora", "poa_version", mode="before"
    )(_texto_no_numero)

    @field_validator("fecha_emision", mode="before")
    @classmethod
    def _fecha(cls, valor):
        if valor is None or (isinstance(valor, dt.date) and not isinstance(valor, dt.datetime)):
            return valor
        if isinstance(valor, str):
            try:
                return dt.date.fromisoformat(valor.strip())
            except ValueError:
                pass
            m = _FECHA_BOLIVIANA.match(valor)
            if m:
                try:
                    return dt.date(int(m[3]), int(m[2]), int(m[1]))
                except ValueError:
                    raise ValueError(f"'{valor}' no es una fecha que exista") from None
        if isinstance(valor, dt.datetime):
            raise ValueError("lleva hora; escriba sólo la fecha, como 2024-07-15 o 15/07/2024")
        raise ValueError(f"'{valor}' no es una fecha; escríbala como 2024-07-15 o 15/07/2024")


# --------------------------------------------------------------------------------------
# Lo que se muestra


def fecha_corta(fecha: dt.date) -> str:
    """'01/04/2024'."""
    return f"{fecha.day:02d}/{fecha.month:02d}/{fecha.year}"


def periodo_del_titulo(gestion: int, trimestre: int | None, informe: str = "trimestral") -> str:
    """El periodo que nombra la portada, con el acumulado cuando no coincide con el trimestre:
    'Primer trimestre 2024', 'Segundo trimestre y primer semestre 2024', 'Tercer trimestre y
    acumulado a septiembre de 2024', 'Cuarto trimestre y gestión 2024', 'Gestión 2024'."""
    if trimestre is None or _de_gestion(informe):
        return f"Gestión {gestion}"
    ordinal = TRIMESTRES[trimestre].capitalize()
    if trimestre == 1:
        return f"{ordinal} trimestre {gestion}"
    if trimestre == 2:
        return f"{ordinal} trimestre y primer semestre {gestion}"
    if trimestre == 3:
        return f"{ordinal} trimestre y acumulado a septiembre de {gestion}"
    return f"{ordinal} trimestre y gestión {gestion}"


def periodo_del_informe(gestion: int, trimestre: int, informe: str = "trimestral") -> str:
    """El periodo que cubre el informe, con sus meses: 'Segundo trimestre 2024 (abril a
    junio)'; en un informe de la gestión, 'Gestión 2024 (enero a diciembre)'."""
    if _de_gestion(informe):
        return f"Gestión {gestion} (enero a {MESES_NOMBRE[3 * trimestre - 1]})"
    inicio, fin = MESES_NOMBRE[3 * trimestre - 3], MESES_NOMBRE[3 * trimestre - 1]
    return f"{TRIMESTRES[trimestre].capitalize()} trimestre {gestion} ({inicio} a {fin})"


def _de_gestion(informe: str) -> bool:
    """Si el tipo de informe cubre la gestión hasta su corte (la rendición de cuentas, la
    formulación), no un trimestre."""
    from helpers import tipos

    try:
        return tipos.tipo(informe).periodo == "gestion"
    except tipos.TipoDesconocido:
        return False


def _periodos(parametros: Parametros) -> list[dict[str, str]]:
    """Los periodos evaluados como fechas: el trimestre y, desde el segundo, el acumulado."""
    corte = parametros.fecha_corte
    inicio_gestion = dt.date(parametros.gestion, 1, 1)
    if _de_gestion(parametros.informe):
        return [{"etiqueta": "Gestión", "valor": f"{fecha_corta(inicio_gestion)} al "
                                                 f"{fecha_corta(corte)}"}]
    t = parametros.trimestre_corte
    inicio = dt.date(parametros.gestion, 3 * t - 2, 1)
    periodos = [{"etiqueta": "Trimestre evaluado",
                 "valor": f"{fecha_corta(inicio)} al {fecha_corta(corte)}"}]
    if t > 1:
        periodos.append({"etiqueta": "Acumulado",
                         "valor": f"{fecha_corta(inicio_gestion)} al {fecha_corta(corte)}"})
    return periodos


def _firmas(firmas: list[Firma]) -> list[dict[str, str]]:
    """Las firmas en el orden de `ROLES_FIRMA`; un rol sin firma, en blanco."""
    bloque = []
    for rol, etiqueta in ROLES_FIRMA.items():
        del_rol = [f for f in firmas if f.rol == rol]
        if not del_rol:
            bloque.append({"rol": etiqueta, "nombre": "", "cargo": ""})
        bloque.extend({"rol": etiqueta, "nombre": f.nombre, "cargo": f.cargo} for f in del_rol)
    return bloque


def datos_para_ensamblar(parametros: Parametros) -> dict:
    """Los argumentos de `ensamblar` que salen de los parámetros: `entidad`, `periodo` (lo
    que dice la cabecera de cada página del PDF: sigla, gestión y periodo), `fecha_corte`,
    `subtitulo` (el periodo con su acumulado), `identificacion` (la portada), `firmas` y
    `fuentes`."""
    ident = parametros.identificacion
    periodo = periodo_del_informe(parametros.gestion, parametros.trimestre_corte,
                                  parametros.informe)
    return {
        "entidad": parametros.entidad.nombre,
        "periodo": f"{parametros.entidad.sigla} · POA {parametros.gestion} · {periodo}",
        "fecha_corte": fecha_larga(parametros.fecha_corte),
        "subtitulo": periodo_del_titulo(parametros.gestion, parametros.trimestre_corte,
                                        parametros.informe),
        "identificacion": {
            "cite": ident.cite,
            "hoja_ruta": ident.hoja_ruta,
            "unidad_emisora": ident.unidad_emisora,
            "fecha_emision": fecha_larga(ident.fecha_emision) if ident.fecha_emision else None,
            "poa_version": ident.poa_version,
            "periodos": _periodos(parametros),
        },
        "firmas": _firmas(ident.firmas),
        "fuentes": {
            "financiera": ident.fuentes.financiera,
            "fisica": ident.fuentes.fisica,
            "general": f"elaboración propia con datos del POA {parametros.gestion}",
        },
    }
