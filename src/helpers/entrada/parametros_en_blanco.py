"""Los archivos de parámetros en blanco de una entidad nueva (`informe-poa nuevo`): uno por tipo
de informe, escritos como texto YAML para que sus comentarios lleguen al planificador.

Llevan escritas sólo las claves de la entidad y del informe (`entidad`, `gestion`, `informe`,
`trimestre`, `datos`, `salida`): el archivo corre tal como sale. Cada clave opcional va
comentada (`# clave: valor`), con lo que hay que escribir en ella y, en lugar del valor, un
texto de relleno entre «<» y «>» (`RELLENOS`), nunca un texto de la muestra; se activa
quitando el `# ` de sus líneas y de la de su grupo. Un relleno que quedó sin cambiar es una
advertencia de la revisión (`entrada.textos_de_muestra`). Los valores por omisión de la
metodología y el tope de filas salen de los modelos de `entrada.parametros`, no se copian.
"""
from __future__ import annotations

import json
import textwrap
from typing import get_args, get_origin

from helpers.comun.calendario import TRIMESTRES, cierre_de_mes
from helpers.entrada.identificacion import Firma
from helpers.entrada.organizacion import AGRUPACION, plural
from helpers.entrada.parametros import (
    FILAS_POR_CUADRO,
    TRIMESTRE_DEL_CORTE,
    Metodologia,
    Presentacion,
)
from helpers.entrada.recepcion import FUERA_DE_PLAZO, plazo_de_ejemplo

__all__ = [
    "AYUDAS",
    "CARPETA_INFORMES",
    "REGLAS",
    "RELLENOS",
    "archivo_de_parametros",
    "texto_de_parametros",
]

# La carpeta de los informes, dentro de la de la entidad.
CARPETA_INFORMES = "informes"

# El texto de relleno de cada clave opcional: lo que va en su lugar, dicho en el lugar del
# valor. Entre «<» y «>» para que se note en el informe si se activa sin cambiarlo.
RELLENOS: dict[str, str] = {
    "presentacion.mision": "<la misión de la entidad, como la dice su plan estratégico "
                           "institucional>",
    "presentacion.vision": "<la visión de la entidad, como la dice su plan estratégico "
                           "institucional>",
    "presentacion.introduccion": "<un párrafo propio para la introducción: de dónde salen los "
                                 "avances y el presupuesto, por ejemplo>",
    "presentacion.marco_normativo": "<una ley, decreto o reglamento que rige la planificación "
                                    "de la entidad, con su número y fecha>",
    "presentacion.unidad_planificacion": "<codigo_unidad de la unidad de planificación>",
    "presentacion.recomendaciones": "<una recomendación de la unidad de planificación>",
    "identificacion.cite": "<el CITE que asigna la correspondencia>",
    "identificacion.hoja_ruta": "<la hoja de ruta del trámite>",
    "identificacion.unidad_emisora": "<la unidad que emite el informe>",
    "identificacion.poa_version": "<la versión del POA evaluada: la resolución que aprobó su "
                                  "última reformulación, por ejemplo>",
    "identificacion.firmas.nombre": "<nombre y apellidos>",
    "identificacion.firmas.cargo": "<cargo>",
    "identificacion.fuentes.financiera": "<de dónde salen las cifras del presupuesto: el "
                                         "reporte de ejecución presupuestaria al corte, por "
                                         "ejemplo>",
    "identificacion.fuentes.fisica": "<de dónde salen los avances físicos: el seguimiento de "
                                     "la unidad de planificación, por ejemplo>",
}

# Los textos de la presentación que lleva cada tipo de informe (por omisión, todos): los
# formularios de formulación no tienen introducción, marco estratégico ni recomendaciones.
_TEXTOS_DEL_TIPO: dict[str, tuple[str, ...]] = {"formulacion": ("unidad_planificacion",)}

# Qué hace cada regla de la metodología (docs/metodologia.md), para su comentario (y la ayuda
# de su campo en el formulario de la página, `entrada.parametros_en_formulario`).
REGLAS: dict[str, str] = {
    "tope_cumplimiento": "limitar el cumplimiento de cada operación al 100 %",
    "agregacion": "cómo se promedian las unidades hasta la entidad",
    "participacion": "el peso de cada trimestre en la eficacia",
    "sin_reporte": "qué vale un mes con meta y sin lo ejecutado (0, o la operación no se "
                   "promedia)",
    "escala_calificacion": "la calificación del avance físico, de mayor a menor; «desde» es el "
                           "límite inferior, incluido salvo inclusivo: false",
    "semaforo_financiero": "el semáforo de la ejecución acumulada, por trimestre: [verde "
                           "desde, amarillo desde], en %",
    "umbral_cumple": "el cumplimiento anual mínimo (%) para CUMPLE en la rendición de cuentas",
    "eficiencia_ejecucion_minima": "la ejecución mínima (%) para calcular la eficiencia; con "
                                   "menos, «n.s.»",
}

_ROLES = get_args(Firma.model_fields["rol"].annotation)

# Lo que dice el comentario de una clave o de un grupo, por su ruta: el mismo texto va en el
# archivo en blanco y como ayuda de su campo en el formulario de la página
# (`entrada.parametros_en_formulario`). Los que empiezan en minúscula van al lado del valor.
AYUDAS: dict[str, str] = {
    "datos": "el libro del POA: la plantilla de esta carpeta, ya llena",
    "salida": "la carpeta del informe; otra corrida la reemplaza sólo si termina bien",
    "informe_anterior": "Desde el segundo trimestre, la carpeta del informe anterior de la "
                        "gestión; el informe lista sus cifras que cambiaron desde entonces.",
    "filas_por_cuadro": "Las filas que muestra a lo sumo un cuadro en el HTML y el PDF; la "
                        "tabla entera va siempre a tablas/*.csv y a anexo.xlsx.",
    "organizacion": "El nivel que agrupa las áreas de la entidad (la columna servicio de la "
                    "hoja unidades, como una oficina nacional y sus direcciones "
                    "departamentales) y cómo lo nombra el informe, en minúsculas: va en "
                    f"títulos, columnas y frases. Sin esta clave, «{AGRUPACION}»; sin esa "
                    "columna en el libro, el informe no habla de ese nivel.",
    "organizacion.agrupacion_plural": "Su plural, sólo si el que forma el programa no es el "
                                      "correcto.",
    "presentacion": "Los textos del informe; lo que falta no deja un título vacío.",
    "presentacion.mision": "La misión y la visión del plan estratégico institucional, que van "
                           "en el marco estratégico.",
    "presentacion.introduccion": "Un párrafo propio que se agrega a la introducción que "
                                 "escribe el programa.",
    "presentacion.marco_normativo": "Las normas que rigen la planificación y el seguimiento "
                                    "del POA, una por elemento, que van bajo «Marco "
                                    "normativo».",
    "presentacion.unidad_planificacion": "El codigo_unidad de la unidad de planificación en la "
                                         "hoja unidades; el informe la nombra como autora, y "
                                         "sus recomendaciones van primero. Si no está en el "
                                         "libro, el informe se detiene con un error que nombra "
                                         "esta clave.",
    "presentacion.recomendaciones": "Las recomendaciones de la unidad de planificación, que "
                                    "van primero en «Recomendaciones», antes de las de las "
                                    "unidades.",
    "identificacion": "El informe como documento oficial: la portada, el bloque de firmas y la "
                      "línea «Fuente» de cada cuadro y gráfico. Escriba entre comillas los "
                      "textos que parezcan números.",
    "identificacion.fecha_emision": "AAAA-MM-DD o DD/MM/AAAA; no antes del corte",
    "identificacion.firmas": f"Quién firma, como {', '.join(_ROLES[:-1])} o {_ROLES[-1]}. Un "
                             "rol que no figura sale con renglones en blanco para escribir a "
                             "mano el nombre y el cargo.",
    "identificacion.fuentes": "Sin fuentes, cada cuadro dice «elaboración propia con datos del "
                              "POA».",
    "metodologia": "Las reglas de cálculo, aquí con su valor por omisión (el que rige sin esta "
                   "clave). Use las mismas en todos los informes de una gestión.",
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
    else:
        cortes = ", ".join(c for c in TRIMESTRE_DEL_CORTE if c != "diciembre")
        lineas.append(f"# corte: {cortes}   # el de medio año; sin esta clave, el corte es "
                      "diciembre")
    lineas += [
        f"datos: {_texto(libro)}   # {AYUDAS['datos']}",
        f"salida: {_texto(f'{CARPETA_INFORMES}/{etiqueta}')}   # {AYUDAS['salida']}",
    ]
    if any(s.solo_con == "informe_anterior" for s in tipo.secciones) and trimestre:
        anterior = f"{CARPETA_INFORMES}/{etiqueta}"
        lineas += [
            *_comentario(AYUDAS["informe_anterior"]),
            f"# informe_anterior: {_texto(anterior)}",
        ]
    lineas += [
        *_comentario(AYUDAS["filas_por_cuadro"]),
        f"# filas_por_cuadro: {FILAS_POR_CUADRO}",
    ]
    return lineas


# Un nombre de ejemplo para el nivel que agrupa las áreas (no es de la muestra).
_AGRUPACION_DE_EJEMPLO = "dirección departamental"


def _organizacion() -> list[str]:
    return [
        *_comentario(AYUDAS["organizacion"]),
        "# organizacion:",
        f"#   agrupacion: {_texto(_AGRUPACION_DE_EJEMPLO)}",
        *_comentario(AYUDAS["organizacion.agrupacion_plural"], "  "),
        f"#   agrupacion_plural: {_texto(plural(_AGRUPACION_DE_EJEMPLO))}",
    ]


def _presentacion(claves: tuple[str, ...]) -> list[str]:
    lineas = [*_comentario(AYUDAS["presentacion"]), "# presentacion:"]
    for clave in claves:
        if f"presentacion.{clave}" in AYUDAS:
            lineas += _comentario(AYUDAS[f"presentacion.{clave}"], "  ")
        relleno = _texto(RELLENOS[f"presentacion.{clave}"])
        if get_origin(Presentacion.model_fields[clave].annotation) is list:
            lineas += [f"#   {clave}:", f"#     - {relleno}"]
        else:
            lineas.append(f"#   {clave}: {relleno}")
    return lineas


def _identificacion(tipo, gestion: int) -> list[str]:
    trimestre = _primer_trimestre(tipo) or TRIMESTRE_DEL_CORTE["diciembre"]
    corte = cierre_de_mes(gestion, 3 * trimestre)
    r = {clave.removeprefix("identificacion."): _texto(valor)
         for clave, valor in RELLENOS.items() if clave.startswith("identificacion.")}
    lineas = [
        *_comentario(AYUDAS["identificacion"]),
        "# identificacion:",
        f"#   cite: {r['cite']}",
        f"#   hoja_ruta: {r['hoja_ruta']}",
        f"#   unidad_emisora: {r['unidad_emisora']}",
        f"#   fecha_emision: {corte.isoformat()}   # {AYUDAS['identificacion.fecha_emision']} "
        f"({corte:%d/%m/%Y})",
        f"#   poa_version: {r['poa_version']}",
        *_comentario(AYUDAS["identificacion.firmas"], "  "),
        "#   firmas:",
        *(f"#     - {{rol: {rol}, nombre: {r['firmas.nombre']}, cargo: {r['firmas.cargo']}}}"
          for rol in _ROLES),
        *_comentario(AYUDAS["identificacion.fuentes"], "  "),
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
    ]


def _metodologia() -> list[str]:
    omision = Metodologia()
    lineas = [
        *_comentario(AYUDAS["metodologia"]),
        "# metodologia:",
    ]
    for clave, campo in Metodologia.model_fields.items():
        valor = getattr(omision, clave)
        opciones = get_args(campo.annotation)
        otras = [o for o in opciones if isinstance(o, str) and o != valor]
        nota = REGLAS[clave] + (f": {valor} o {' o '.join(otras)}" if otras else "")
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
