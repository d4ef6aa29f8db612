"""El catálogo de la muestra departamental: nombres, operaciones y textos de
`data/muestra-departamental/`.

Entra esa carpeta (un CSV por tabla de filas y dos YAML, `entidad.yaml` y
`reformulaciones.yaml`; ver su LEEME.md); sale, al importar este módulo, cada parte como la
usa el generador: las filas de las hojas que se copian tal cual (ACP, áreas, articulación,
histórico, narrativa) y las estructuras de las que se construyen las demás (unidades,
operaciones propias y plantillas por tipo de unidad, presupuesto, ingresos, servicios, casos
especiales y reformulaciones). Sólo lee (con `muestra.lectura`) y da tipo a lo leído: las
reglas están en las demás partes del generador.
"""

from __future__ import annotations

from functools import partial

from muestra import lectura
from muestra.comun import RAIZ

from helpers.entrada.contrato import DEPARTAMENTOS

CARPETA = RAIZ / "data" / "muestra-departamental"
leer_tabla = partial(lectura.leer_tabla, carpeta=CARPETA)
leer_yaml = partial(lectura.leer_yaml, carpeta=CARPETA)


def unidad(fila: dict, departamento_de_area: dict[str, str | None]) -> dict:
    """Una fila de unidades.csv: las columnas de la hoja, la ACP de sus operaciones (las de la
    oficina nacional), y la ciudad y la escala de su demanda (las departamentales; escala 1 =
    una oficina de demanda media); con el nombre del departamento de su área (la columna
    departamento de areas.csv, None en la oficina nacional), que nombran sus operaciones y
    sus servicios. La columna departamento de la hoja unidades queda vacía: cada unidad está
    en el departamento de su área."""
    codigo = departamento_de_area[fila["area"]]
    return {**fila, "nombre_departamento": DEPARTAMENTOS[codigo] if codigo else None,
            "escala": float(fila["escala"]) if fila["escala"] is not None else None}


def plantilla(fila: dict) -> tuple:
    """(codigo_acp, descripcion, indicador, unidad_medida, periodicidad, meta, escalable) de
    una fila de operaciones_departamentales.csv."""
    return (fila["codigo_acp"], fila["descripcion"], fila["indicador"], fila["unidad_medida"],
            lectura.periodicidad(fila["periodicidad"]), int(fila["meta"]),
            fila["escalable"] == "sí")


def plantillas_por_tipo(filas: list[dict]) -> dict[str, list[tuple]]:
    """Tipo de unidad departamental -> sus plantillas, en el orden del archivo."""
    por_tipo: dict[str, list[tuple]] = {}
    for fila in filas:
        por_tipo.setdefault(fila["tipo"], []).append(plantilla(fila))
    return por_tipo


def nombradas(filas: list[dict], *claves: str) -> list[tuple]:
    """(unidad, posición de la operación, *claves) de cada fila de una lista del YAML."""
    return [lectura.valores(f, "unidad", "operacion", *claves) for f in filas]


def reformulacion(datos: dict) -> dict:
    """Una reformulación de reformulaciones.yaml: número, resolución y fecha, y sus cambios
    con cada operación nombrada por (unidad, posición)."""
    return {
        "numero": datos["numero"],
        "resolucion": datos["resolucion"],
        "fecha": datos["fecha"],
        "altas": nombradas(datos["altas"], "observacion"),
        "bajas": nombradas(datos["bajas"], "observacion"),
        "reprogramaciones": nombradas(
            datos["reprogramaciones"], "mes_anterior", "mes_nuevo", "observacion"
        ),
        "tareas": nombradas(datos["tareas"], "nuevas", "observacion"),
    }


# ----------------------------------------------------------------------------------------
# Lo que se lee al importar
# ----------------------------------------------------------------------------------------
_ENTIDAD = leer_yaml("entidad.yaml")

TITULO_DEL_LIBRO: str = _ENTIDAD["titulo_del_libro"]
SEMILLA: int = _ENTIDAD["semilla"]
FECHA_LIBRO = _ENTIDAD["fecha_libro"]

# Hojas que se copian tal cual (hoja -> filas, con el tipo de cada columna).
COPIADAS = lectura.hojas_copiadas(CARPETA)
AREAS = COPIADAS["areas"]

# Unidades y operaciones: las de la oficina nacional, una lista por unidad; las
# departamentales, de las plantillas de su tipo.
UNIDADES = [unidad(f, {a["area"]: a["departamento"] for a in AREAS})
            for f in leer_tabla("unidades.csv")]
OPERACIONES = lectura.operaciones_por_unidad(leer_tabla("operaciones.csv"))
PLANTILLAS = plantillas_por_tipo(leer_tabla("operaciones_departamentales.csv"))
MEDIOS = {
    f["unidad_medida"]: f["medio_verificacion"]
    for f in leer_tabla("medios_de_verificacion.csv")
}
MEDIO_POR_DEFECTO: str = _ENTIDAD["medio_por_defecto"]
TAREAS: tuple[int, int] = lectura.valores(_ENTIDAD["tareas"], "minimo", "maximo")

# El avance habitual de cada nivel: nivel -> (media, desvío); y cuánto se aparta cada trimestre.
DESEMPENO = {
    nivel: lectura.valores(d, "media", "desvio")
    for nivel, d in _ENTIDAD["desempeno"]["niveles"].items()
}
DESVIO_TRIMESTRAL: float = _ENTIDAD["desempeno"]["desvio_trimestral"]
DESEMPENO_MINIMO: float = _ENTIDAD["desempeno"]["minimo"]

# Casos especiales: (unidad, posición, justificación o mes).
_CASOS = _ENTIDAD["casos_especiales"]
NO_APLICA = nombradas(_CASOS["no_aplica"], "justificacion")
SIN_REPORTE = nombradas(_CASOS["sin_reporte"], "mes")
SIN_PROGRAMACION = nombradas(_CASOS["sin_programacion"], "mes")

REFORMULACIONES = [reformulacion(r) for r in leer_yaml("reformulaciones.yaml")]

# Presupuesto: líneas con su inicial, y lo que les pasa en el año.
PRESUPUESTO = [
    {**f, "inicial": int(f["inicial"])} for f in leer_tabla("presupuesto.csv")
]
_PRESUPUESTO = _ENTIDAD["presupuesto"]
EJECUCION_ANUAL: tuple[float, float] = tuple(_PRESUPUESTO["ejecucion_anual"])
PERFILES: dict[str, list[float]] = _PRESUPUESTO["perfiles"]
_MOVIMIENTO = ("mes", "categoria", "fuente", "monto")
MODIFICACIONES = [lectura.valores(m, *_MOVIMIENTO) for m in _PRESUPUESTO["modificaciones"]]
REVERSION = lectura.valores(_PRESUPUESTO["reversion"], *_MOVIMIENTO)

# Servicios e ingresos.
ESTACIONALIDAD: list[float] = _ENTIDAD["estacionalidad"]
SERVICIOS = [(f["indicador"], int(f["volumen_mensual"])) for f in leer_tabla("servicios.csv")]
INGRESOS = [
    (f["rubro"], f["descripcion"], f["fuente"], int(f["vigente"]), float(f["parte_recaudada"]))
    for f in leer_tabla("ingresos.csv")
]
DEVOLUCION = lectura.valores(_ENTIDAD["devolucion"], "rubro", "mes", "monto")
