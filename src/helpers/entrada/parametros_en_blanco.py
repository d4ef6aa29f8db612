"""Los archivos de parámetros en blanco de una entidad nueva (`informe-poa nuevo`): uno por tipo
de informe, escritos como texto YAML para que sus comentarios lleguen al planificador.

Llevan escritas sólo las claves de la entidad y del informe (`entidad`, `gestion`, `informe`,
`trimestre`, `datos`, `salida`): el archivo corre tal como sale. Cada clave opcional va
comentada (`# clave: valor`), con lo que hay que escribir en ella y, en lugar del valor, un
texto de relleno entre «<» y «>» (`RELLENOS`), nunca un texto de la muestra; se activa
quitando el `# ` de sus líneas y de la de su grupo. Un relleno que quedó sin cambiar es una
advertencia de la revisión (`entrada.textos_de_muestra`). Lo que dice cada comentario, los
rellenos, los ejemplos, las opciones y los valores por omisión salen de los campos de los
modelos de `entrada.parametros` (`ayuda`, `relleno`, `campos_documentados`), no se copian.
"""
from __future__ import annotations

import datetime as dt
import json
import textwrap
import types
from functools import cache
from typing import Annotated, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from helpers.comun.calendario import TRIMESTRES, cierre_de_mes
from helpers.entrada.datos_abiertos import DatosAbiertos
from helpers.entrada.identificacion import ROLES, Identificacion
from helpers.entrada.organizacion import Organizacion, plural
from helpers.entrada.parametros import (
    FILAS_POR_CUADRO,
    TRIMESTRE_DEL_CORTE,
    Metodologia,
    Parametros,
    Presentacion,
)
from helpers.entrada.recepcion import (
    DIAS_PARA_CORREGIR,
    FACTOR_SOBRE_PROGRAMADO,
    FUERA_DE_PLAZO,
    OBSERVADOS,
    TAMANO_MAXIMO_EVIDENCIA,
    plazo_de_ejemplo,
)

__all__ = [
    "CARPETA_INFORMES",
    "RELLENOS",
    "archivo_de_parametros",
    "ayuda",
    "campo_documentado",
    "campos_documentados",
    "es_modelo",
    "relleno",
    "sin_nulo",
    "submodelo",
    "texto_de_parametros",
]

# La carpeta de los informes, dentro de la de la entidad.
CARPETA_INFORMES = "informes"

# Los textos de la presentación que lleva cada tipo de informe (por omisión, todos): los
# formularios de formulación no tienen introducción, marco estratégico ni recomendaciones.
_TEXTOS_DEL_TIPO: dict[str, tuple[str, ...]] = {"formulacion": ("unidad_planificacion",)}

# --------------------------------------------------------------------------------------
# Lo que dice cada clave, desde su campo en los modelos de `entrada.parametros`


def sin_nulo(anotacion):
    """`X | None` -> X; `Annotated[X, ...]` -> X."""
    if get_origin(anotacion) in (Union, types.UnionType):
        sin = [a for a in get_args(anotacion) if a is not type(None)]
        anotacion = sin[0] if len(sin) == 1 else anotacion
    if get_origin(anotacion) is Annotated:
        anotacion = get_args(anotacion)[0]
    return anotacion


def submodelo(info: FieldInfo) -> type[BaseModel] | None:
    """El modelo de un grupo de claves (`presentacion`) o de las filas de una lista de grupos
    (`identificacion.firmas`); None si el campo es un valor."""
    anotacion = sin_nulo(info.annotation)
    if get_origin(anotacion) is list:
        anotacion = sin_nulo(get_args(anotacion)[0])
    return anotacion if es_modelo(anotacion) else None


def es_modelo(anotacion) -> bool:
    return isinstance(anotacion, type) and issubclass(anotacion, BaseModel)


@cache
def campos_documentados(modelo: type[BaseModel] = Parametros,
                        prefijo: str = "") -> dict[str, FieldInfo]:
    """Cada clave de los parámetros por su ruta (`identificacion.firmas.nombre`), en el orden
    de los modelos, con su campo: su título, su descripción y lo demás que la documenta."""
    rutas = {}
    for nombre, info in modelo.model_fields.items():
        rutas[f"{prefijo}{nombre}"] = info
        dentro = submodelo(info)
        if dentro is not None:
            rutas |= campos_documentados(dentro, f"{prefijo}{nombre}.")
    return rutas


def campo_documentado(ruta: str) -> FieldInfo:
    """El campo de la clave `ruta`; `KeyError` si no hay ninguna."""
    return campos_documentados()[ruta]


def ayuda(ruta: str) -> str:
    """Lo que dice la descripción del campo de `ruta`, tal cual."""
    return campo_documentado(ruta).description or ""


def _extra(info: FieldInfo) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def relleno(ruta: str) -> str | None:
    """El texto de relleno de la clave `ruta` en el archivo en blanco, o None si no tiene:
    el de su campo (`relleno`), o su descripción entre «<» y «>» si el campo dice True."""
    info = campo_documentado(ruta)
    valor = _extra(info).get("relleno")
    return f"<{info.description}>" if valor is True else valor


def _relleno_propio(ruta: str) -> bool:
    """Si el relleno de `ruta` no es su descripción: entonces la descripción va aparte,
    como comentario."""
    return isinstance(_extra(campo_documentado(ruta)).get("relleno"), str)


# El texto de relleno de cada clave opcional que lo lleva: lo que va en su lugar, dicho en el
# lugar del valor. Entre «<» y «>» para que se note en el informe si se activa sin cambiarlo.
RELLENOS: dict[str, str] = {
    ruta: texto for ruta in campos_documentados() if (texto := relleno(ruta)) is not None
}


def archivo_de_parametros(tipo, gestion: int) -> str:
    """El nombre del archivo de parámetros del tipo de informe `tipo`
    (`helpers.entrada.tipos.TipoDeInforme`): su etiqueta, la del primer trimestre si es trimestral
    ('2025-T1.yaml', '2025-anual.yaml')."""
    return f"{_etiqueta(tipo, gestion)}.yaml"


def _etiqueta(tipo, gestion: int) -> str:
    return tipo.etiqueta(gestion, _primer_trimestre(tipo), None)


def _primer_trimestre(tipo) -> int | None:
    return min(TRIMESTRES) if tipo.periodo == "trimestre" else None


def texto_de_parametros(tipo, *, nombre: str, sigla: str, gestion: int, libro: str) -> str:
    """El archivo de parámetros en blanco del tipo de informe `tipo` para la entidad `nombre`
    (`sigla`) y la gestión `gestion`, con el libro `libro` (relativo a su carpeta)."""
    bloques = [
        _cabecera(tipo, gestion),
        _claves_del_informe(tipo, nombre=nombre, sigla=sigla, gestion=gestion, libro=libro),
        _organizacion(),
        _presentacion(_TEXTOS_DEL_TIPO.get(tipo.nombre, tuple(Presentacion.model_fields))),
        _identificacion(tipo, gestion),
        *([_recepcion(gestion)] if _primer_trimestre(tipo) else []),
        _datos_abiertos(),
        _metodologia(),
    ]
    return "\n\n".join("\n".join(lineas) for lineas in bloques) + "\n"


# El ancho de los comentarios, con su «# » (y la sangría de su grupo).
_ANCHO = 92


def _comentario(texto: str, sangria: str = "") -> list[str]:
    """`texto` como comentario YAML en renglones de `_ANCHO`; `sangria`, la de un comentario
    dentro de un grupo comentado («#   # ...»)."""
    prefijo = f"#{sangria} # " if sangria else "# "
    return textwrap.wrap(texto, _ANCHO, initial_indent=prefijo, subsequent_indent=prefijo,
                         break_long_words=False, break_on_hyphens=False)


def _texto(valor: str) -> str:
    """Un texto YAML entre comillas dobles, con lo que traiga escapado (JSON es YAML)."""
    return json.dumps(valor, ensure_ascii=False)


def _numero(valor: float) -> str:
    """Un número como lo lee YAML: 100, 0.5."""
    return str(int(valor)) if float(valor).is_integer() else repr(float(valor))


def _cabecera(tipo, gestion: int) -> list[str]:
    trimestre = _primer_trimestre(tipo)
    periodo = f", {TRIMESTRES[trimestre]} trimestre" if trimestre else ""
    return [
        *_comentario(f"Parámetros: {tipo.titulo}, gestión {gestion}{periodo}."),
        *_comentario(
            "Los escribió `informe-poa nuevo`, y el informe corre tal como están. Las claves "
            "comentadas (con «# » al comienzo) son opcionales: para usar una, quite el «# » de "
            "sus líneas y de la de su grupo (por ejemplo «# presentacion:») y cambie el texto "
            "de relleno, entre «<» y «>», por el de la entidad. Las rutas relativas se leen "
            "desde la carpeta de este archivo."),
    ]


def _claves_del_informe(tipo, *, nombre: str, sigla: str, gestion: int,
                        libro: str) -> list[str]:
    etiqueta = _etiqueta(tipo, gestion)
    lineas = [
        "entidad:",
        f"  nombre: {_texto(nombre)}",
        f"  sigla: {_texto(sigla)}",
        f"gestion: {gestion}",
        f"informe: {tipo.nombre}",
    ]
    trimestre = _primer_trimestre(tipo)
    if trimestre:
        siguiente = trimestre + 1
        lineas += [
            f"trimestre: {trimestre}",
            *_comentario(f"Para el informe de otro trimestre, una copia de este archivo (como "
                         f"{tipo.etiqueta(gestion, siguiente, None)}.yaml) con su trimestre y "
                         "su salida."),
        ]
    elif tipo.periodo == "gestion":
        cortes = ", ".join(c for c in TRIMESTRE_DEL_CORTE if c != "diciembre")
        lineas.append(f"# corte: {cortes}   # el de medio año; sin esta clave, el corte es "
                      "diciembre")
    lineas += [
        f"datos: {_texto(libro)}   # {ayuda('datos')}",
        f"salida: {_texto(f'{CARPETA_INFORMES}/{etiqueta}')}   # {ayuda('salida')}",
    ]
    if any(s.solo_con == "informe_anterior" for s in tipo.secciones) and trimestre:
        anterior = f"{CARPETA_INFORMES}/{etiqueta}"
        lineas += [
            *_comentario(ayuda("informe_anterior")),
            f"# informe_anterior: {_texto(anterior)}",
        ]
    lineas += [
        *_comentario(ayuda("filas_por_cuadro")),
        f"# filas_por_cuadro: {FILAS_POR_CUADRO}",
    ]
    return lineas


def _organizacion() -> list[str]:
    # Un nombre de ejemplo para el nivel que agrupa las áreas (no es de la muestra).
    ejemplo = Organizacion.model_fields["agrupacion"].examples[0]
    return [
        *_comentario(ayuda("organizacion")),
        "# organizacion:",
        f"#   agrupacion: {_texto(ejemplo)}",
        *_comentario(ayuda("organizacion.agrupacion_plural"), "  "),
        f"#   agrupacion_plural: {_texto(plural(ejemplo))}",
    ]


def _presentacion(claves: tuple[str, ...]) -> list[str]:
    lineas = [*_comentario(ayuda("presentacion")), "# presentacion:"]
    for clave in claves:
        ruta = f"presentacion.{clave}"
        # La misión y la visión comparten el comentario de la misión.
        if _relleno_propio(ruta):
            lineas += _comentario(ayuda(ruta), "  ")
        valor = _texto(relleno(ruta))
        if get_origin(Presentacion.model_fields[clave].annotation) is list:
            lineas += [f"#   {clave}:", f"#     - {valor}"]
        else:
            lineas.append(f"#   {clave}: {valor}")
    return lineas


# El membrete de Word: su ejemplo es el que escribe `informe-poa nuevo` (no un relleno).
_EJEMPLO_MEMBRETE = Identificacion.model_fields["plantilla_word"].examples[0]


def _identificacion(tipo, gestion: int) -> list[str]:
    trimestre = _primer_trimestre(tipo) or TRIMESTRE_DEL_CORTE["diciembre"]
    # Un informe del inicio de la gestión (el POA aprobado) tiene su corte el 1 de enero.
    corte = (dt.date(gestion, 1, 1) if tipo.periodo == "inicio"
             else cierre_de_mes(gestion, 3 * trimestre))
    r = {clave.removeprefix("identificacion."): _texto(valor)
         for clave, valor in RELLENOS.items() if clave.startswith("identificacion.")}
    lineas = [
        *_comentario(ayuda("identificacion")),
        "# identificacion:",
        f"#   cite: {r['cite']}",
        f"#   hoja_ruta: {r['hoja_ruta']}",
        f"#   unidad_emisora: {r['unidad_emisora']}",
        f"#   fecha_emision: {corte.isoformat()}   # {ayuda('identificacion.fecha_emision')} "
        f"({corte:%d/%m/%Y})",
        f"#   poa_version: {r['poa_version']}",
        *_comentario(ayuda("identificacion.plantilla_word"), "  "),
        f"#   plantilla_word: {_texto(_EJEMPLO_MEMBRETE)}",
        *_comentario(ayuda("identificacion.firmas"), "  "),
        "#   firmas:",
        *(f"#     - {{rol: {rol}, nombre: {r['firmas.nombre']}, cargo: {r['firmas.cargo']}}}"
          for rol in ROLES),
        *_comentario(ayuda("identificacion.fuentes"), "  "),
        "#   fuentes:",
        f"#     financiera: {r['fuentes.financiera']}",
        f"#     fisica: {r['fuentes.fisica']}",
    ]
    return lineas


def _recepcion(gestion: int) -> list[str]:
    """La clave de los formularios de seguimiento (sólo en los parámetros de un trimestre)."""
    corte = cierre_de_mes(gestion, 3 * min(TRIMESTRES))
    excluir, incluir = FUERA_DE_PLAZO
    return [
        *_comentario("Para informe-poa formularios: hasta cuándo entregan las unidades su "
                     "formulario de seguimiento del trimestre (no antes del corte, "
                     f"{corte:%d/%m/%Y}) y qué pasa con uno que llega después: {excluir} (no "
                     f"se toma en cuenta) o {incluir} (se toma y se dice que llegó tarde)."),
        "# recepcion:",
        f"#   plazo: {plazo_de_ejemplo(corte).isoformat()}   # AAAA-MM-DD o DD/MM/AAAA",
        f"#   fuera_de_plazo: {excluir}",
        f"#   factor_sobre_programado: {FACTOR_SOBRE_PROGRAMADO}   # "
        "informe-poa recoger propone observar lo ejecutado por encima de esto × lo programado",
        f"#   observados: {OBSERVADOS[0]}   # o {OBSERVADOS[1]}: las cifras de un formulario "
        "devuelto que no volvió corregido",
        f"#   dias_para_corregir: {DIAS_PARA_CORREGIR}   # el plazo de informe-poa devolver "
        "sin --plazo",
        f"#   tamano_maximo_evidencia: {TAMANO_MAXIMO_EVIDENCIA}   # MB por archivo de "
        "evidencia",
    ]


def _datos_abiertos() -> list[str]:
    """La licencia de las tablas publicadas como datos abiertos."""
    campo = DatosAbiertos.model_fields["licencia"]
    return [
        *_comentario(campo.description),
        "# datos_abiertos:",
        f"#   licencia: {campo.default}",
    ]


def _metodologia() -> list[str]:
    omision = Metodologia()
    lineas = [
        *_comentario(ayuda("metodologia")),
        "# metodologia:",
    ]
    for clave, campo in Metodologia.model_fields.items():
        valor = getattr(omision, clave)
        opciones = get_args(campo.annotation)
        otras = [o for o in opciones if isinstance(o, str) and o != valor]
        nota = campo.description + (f": {valor} o {' o '.join(otras)}" if otras else "")
        lineas += _comentario(f"{nota[0].upper()}{nota[1:]}.", "  ")
        if clave == "escala_calificacion":
            lineas.append(f"#   {clave}:")
            lineas += [f"#     - {_grado(g)}" for g in valor]
        elif clave == "semaforo_financiero":
            tramos = ", ".join(f"{t}: [{_numero(v)}, {_numero(a)}]" for t, (v, a) in valor.items())
            lineas.append(f"#   {clave}: {{{tramos}}}")
        elif isinstance(valor, bool):
            lineas.append(f"#   {clave}: {str(valor).lower()}")
        elif isinstance(valor, (int, float)):
            lineas.append(f"#   {clave}: {_numero(valor)}")
        else:
            lineas.append(f"#   {clave}: {valor}")
    return lineas


def _grado(grado) -> str:
    partes = [f"desde: {_numero(grado.desde)}"]
    if not grado.inclusivo:
        partes.append("inclusivo: false")
    partes += [f"{campo}: {_texto(getattr(grado, campo))}"
               for campo in ("grado", "calificacion", "desempeno")]
    return "{" + ", ".join(partes) + "}"
