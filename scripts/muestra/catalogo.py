"""El catálogo de la muestra: nombres, operaciones y textos de `data/muestra/`.

Entra la carpeta `data/muestra/` (un CSV por tabla de filas, con encabezados en castellano, y
dos YAML: `muestra.yaml` y `reformulacion.yaml`; ver su LEEME.md); sale, al importar este
módulo, cada parte como la usa el generador: filas de las hojas que se copian tal cual
(ACP, áreas, narrativa, histórico, articulación) y estructuras para las que se construyen
(unidades, operaciones y plantillas de las misiones, programas, ingresos, la reformulación y
los casos especiales). Sólo lee (con `lectura`, la parte que comparte con el catálogo de la
muestra departamental) y da tipo a lo leído (enteros, decimales, vacío = None): las reglas de
la muestra están en las demás partes del generador.
"""

from __future__ import annotations

from functools import partial

from . import lectura
from .comun import RAIZ
from .lectura import operaciones_por_unidad, periodicidad, valores

CARPETA = RAIZ / "data" / "muestra"
leer_tabla = partial(lectura.leer_tabla, carpeta=CARPETA)
leer_yaml = partial(lectura.leer_yaml, carpeta=CARPETA)


def plantilla_de_mision(fila: dict) -> tuple:
    """(descripcion, indicador, unidad_medida, periodicidad, (mínimo, máximo) o None) de una
    fila de operaciones_de_mision.csv; sin meta, la de la oficina es su volumen consular."""
    rango = None
    if fila["meta_minima"] is not None:
        rango = (int(fila["meta_minima"]), int(fila["meta_maxima"]))
    return (fila["descripcion"], fila["indicador"], fila["unidad_medida"],
            periodicidad(fila["periodicidad"]), rango)


def lugares(fila: dict) -> dict:
    """Lo que nombran las plantillas de una misión ({pais}, {ciudad}, {organismo})."""
    return {k: fila[k] for k in ("pais", "ciudad", "organismo") if fila[k] is not None}


def plantillas_por_tipo(tipos: list[dict], filas: list[dict]) -> dict[str, tuple]:
    """Tipo de misión -> (fijas, de ajuste), las plantillas de operaciones_de_mision.csv."""
    por_plantilla: dict[str, tuple[list, list]] = {}
    for fila in filas:
        fijas, ajuste = por_plantilla.setdefault(fila["plantilla"], ([], []))
        (fijas if fila["clase"] == "fija" else ajuste).append(plantilla_de_mision(fila))
    return {t["tipo"]: por_plantilla[t["plantilla"]] for t in tipos}


# ----------------------------------------------------------------------------------------
# Lo que se lee al importar
# ----------------------------------------------------------------------------------------
_MUESTRA = leer_yaml("muestra.yaml")
_REFORMULACION = leer_yaml("reformulacion.yaml")
_UNIDADES = leer_tabla("unidades.csv")
_TIPOS = leer_tabla("tipos_de_mision.csv")

TITULO_DEL_LIBRO: str = _MUESTRA["titulo_del_libro"]

# Hojas que se copian tal cual (hoja -> filas, con el tipo de cada columna).
COPIADAS = lectura.hojas_copiadas(CARPETA)
AREAS = COPIADAS["areas"]

# Unidades: las centrales por código (área y ACP salen del CSV publicado); la coordinación del
# servicio exterior y las misiones, en el orden del archivo.
AREA_EXTERIOR: str = _MUESTRA["servicio_exterior"]["area"]
ACP_EXTERIOR: str = _MUESTRA["servicio_exterior"]["acp"]
COORDINACION: str = _MUESTRA["servicio_exterior"]["coordinacion"]
UNIDADES_CENTRALES = {
    u["codigo_unidad"]: (u["nombre"], u["tipo"]) for u in _UNIDADES if u["servicio"] == "Central"
}
UNIDADES_EXTERIORES = [
    (u["codigo_unidad"], u["tipo"], u["nombre"], lugares(u))
    for u in _UNIDADES
    if u["servicio"] == "Exterior"
]

# Operaciones: las de las unidades centrales y de la coordinación, una lista por unidad; las
# misiones las sortean de las plantillas de su tipo.
OPERACIONES = operaciones_por_unidad(leer_tabla("operaciones.csv"))
PLANTILLAS_EXTERIOR = plantillas_por_tipo(_TIPOS, leer_tabla("operaciones_de_mision.csv"))
VOLUMEN_CONSULAR = {
    t["tipo"]: (int(t["volumen_minimo"]), int(t["volumen_maximo"]))
    for t in _TIPOS
    if t["volumen_minimo"] is not None
}
TIPOS_CON_ESTADISTICAS = {t["tipo"] for t in _TIPOS if t["estadisticas"] == "sí"}
SERVICIOS_CONSULARES = [
    (f["indicador"], int(f["volumen_mensual"])) for f in leer_tabla("servicios_consulares.csv")
]
MEDIOS = {
    f["unidad_medida"]: f["medio_verificacion"]
    for f in leer_tabla("medios_de_verificacion.csv")
}
MEDIO_POR_DEFECTO: str = _MUESTRA["medio_por_defecto"]

# Cifras del POA modificado publicado y correcciones de la muestra a lo publicado.
OPERACIONES_PUBLICADAS: dict[str, int] = _MUESTRA["operaciones_publicadas"]
TAREAS_PUBLICADAS: dict[str, int] = _MUESTRA["tareas_publicadas"]
CORRECCIONES = {(c["unidad"], c["trimestre"]): c["avance"] for c in _MUESTRA["correcciones"]}

# Casos especiales: (unidad, posición de la operación, justificación o mes).
_CASOS = _MUESTRA["casos_especiales"]
NO_APLICA = valores(_CASOS["no_aplica"], "unidad", "operacion", "justificacion")
SIN_PROGRAMACION = valores(_CASOS["sin_programacion"], "unidad", "operacion", "mes")
SIN_REPORTE = valores(_CASOS["sin_reporte"], "unidad", "operacion", "mes")

# Reformulación: (número, resolución, fecha) y sus cambios.
REFORMULACION = valores(_REFORMULACION, "numero", "resolucion", "fecha")
ALTAS = [valores(a, "unidad", "operacion", "observacion") for a in _REFORMULACION["altas"]]
BAJAS = [
    valores(
        b, "unidad", "descripcion", "indicador", "unidad_medida", "meta_de_enero", "observacion"
    )
    for b in _REFORMULACION["bajas"]
]
REPROGRAMACIONES = [
    valores(r, "unidad", "operacion", "mes_anterior", "mes_nuevo", "observacion")
    for r in _REFORMULACION["reprogramaciones"]
]

# Presupuesto e ingresos.
PROGRAMAS = {
    f["categoria_programatica"]: (f["programa"], f["fuente"])
    for f in leer_tabla("programas.csv")
}
# El grupo de gasto de cada categoría (columna grupo_gasto de la hoja presupuesto).
GRUPOS_GASTO = {f["categoria_programatica"]: f["grupo_gasto"] for f in leer_tabla("programas.csv")}
FUENTE_TESORO: str = _MUESTRA["presupuesto"]["fuente_tesoro"]
MES_MODIFICACION_PRESUPUESTARIA: int = _MUESTRA["presupuesto"]["mes_modificacion"]
INGRESOS = [
    (f["rubro"], f["descripcion"], f["fuente"], int(f["vigente"]), float(f["parte_recaudada"]))
    for f in leer_tabla("ingresos.csv")
]
