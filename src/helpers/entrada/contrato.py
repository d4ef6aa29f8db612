"""El contrato de datos: las hojas del libro del POA, sus columnas y lo que vale en cada una.

Aquí no se lee nada. Es la definición que comparten quien lee el libro (`entrada.lectura`,
`entrada.conversion`), quien lo valida (`entrada.esquemas`, `entrada.coherencia`), quien
escribe la plantilla vacía (`entrada.plantilla`) y quien escribe libros de prueba (la muestra,
las pruebas): las hojas obligatorias y opcionales, las columnas de cada hoja en orden con su
tipo (`Columna`, `CONTRATO`), los valores admitidos, las referencias entre hojas y la tabla
sin filas de una hoja ausente (`tabla_vacia`). data-contract.md lo describe para el usuario.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CAMBIOS",
    "CANONICOS",
    "COLUMNAS_CONTRATO",
    "COLUMNAS_DEV",
    "COLUMNAS_EJEC",
    "COLUMNAS_NO_NEGATIVAS",
    "COLUMNAS_PROG",
    "COLUMNAS_REC",
    "COLUMNAS_VIG",
    "CONTRATO",
    "ESTADOS_RECEPCION",
    "EXTENSIONES_LIBRO",
    "FECHA",
    "HOJAS",
    "HOJAS_DEL_LIBRO_RECOGIDO",
    "HOJAS_OBLIGATORIAS",
    "HOJAS_OPCIONALES",
    "MESES",
    "REFERENCIAS",
    "TEXTO",
    "TIPOS_NARRATIVA",
    "Columna",
    "tabla_vacia",
]

HOJAS_OBLIGATORIAS = ("unidades", "acp", "operaciones", "presupuesto")
HOJAS_OPCIONALES = (
    "areas", "narrativa", "historico", "articulacion", "estadisticas", "ingresos",
    "reformulaciones", "recepcion",
)
HOJAS = HOJAS_OBLIGATORIAS + HOJAS_OPCIONALES
# Las hojas que escribe `informe-poa recoger` en el libro recogido (docs/formularios.md): un
# libro del POA armado a mano, como los de las muestras, no las trae.
HOJAS_DEL_LIBRO_RECOGIDO = ("recepcion",)

MESES = tuple(range(1, 13))
COLUMNAS_PROG = tuple(f"prog_{m:02d}" for m in MESES)
COLUMNAS_EJEC = tuple(f"ejec_{m:02d}" for m in MESES)
COLUMNAS_DEV = tuple(f"dev_{m:02d}" for m in MESES)
COLUMNAS_REC = tuple(f"rec_{m:02d}" for m in MESES)
COLUMNAS_VIG = tuple(f"vig_{m:02d}" for m in MESES)

TIPOS_NARRATIVA = ("logro", "dificultad", "recomendacion")
# Lo que cambia una reformulación en una operación (hoja reformulaciones).
CAMBIOS = ("alta", "baja", "programacion", "tareas")
# El estado de cada formulario de seguimiento recibido, y de cada unidad sin formulario, en el
# registro de recepción (hoja recepcion, que escribe `informe-poa recoger`).
ESTADOS_RECEPCION = (
    "aceptado", "aceptado fuera de plazo", "excluido por fuera de plazo", "duplicado: no cuenta",
    "rechazado: alterado", "rechazado: valores no válidos", "faltante",
)

EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
TEXTO = "str"  # dtype de las columnas de texto (el tipo de texto por omisión de pandas 3)
FECHA = "datetime64[ns]"
_DTYPES = {"texto": TEXTO, "numero": "float64", "entero": "int64", "fecha": FECHA}


@dataclass(frozen=True)
class Columna:
    """Una columna de una hoja: su nombre en el encabezado, su tipo, si es obligatoria, cómo se
    lee vacía (si es numérica) y, en las mensuales, su grupo."""

    nombre: str
    tipo: str = "texto"  # "texto", "numero", "entero" o "fecha"
    obligatoria: bool = False
    vacio: float = math.nan  # valor de una celda numérica vacía
    grupo: str | None = None  # columnas mensuales: prog, ejec, dev, rec, vig


def _mensuales(prefijo: str, vacio: float) -> list[Columna]:
    return [
        Columna(f"{prefijo}_{m:02d}", "numero", vacio=vacio, grupo=prefijo) for m in MESES
    ]


CONTRATO: dict[str, list[Columna]] = {
    "unidades": [
        Columna("codigo_unidad", obligatoria=True),
        Columna("nombre", obligatoria=True),
        Columna("area", obligatoria=True),
        Columna("servicio"),  # la agrupación de áreas de la entidad (entrada.agrupacion)
        Columna("tipo"),
    ],
    "areas": [
        Columna("area", obligatoria=True),
        Columna("nombre", obligatoria=True),
        Columna("sigla"),
    ],
    "acp": [
        Columna("codigo_acp", obligatoria=True),
        Columna("descripcion", obligatoria=True),
        Columna("resultado_esperado"),
        Columna("codigo_amp"),
    ],
    "operaciones": [
        Columna("codigo_operacion", obligatoria=True),
        Columna("codigo_acp", obligatoria=True),
        Columna("codigo_unidad", obligatoria=True),
        Columna("descripcion", obligatoria=True),
        Columna("indicador"),
        Columna("unidad_medida"),
        Columna("tareas", "entero", vacio=1.0),
        Columna("medio_verificacion"),
        Columna("no_aplica"),
        *_mensuales("prog", 0.0),
        *_mensuales("ejec", math.nan),
    ],
    "presupuesto": [
        Columna("categoria_programatica", obligatoria=True),
        Columna("programa", obligatoria=True),
        Columna("codigo_unidad", obligatoria=True),
        Columna("codigo_acp", obligatoria=True),
        Columna("fuente"),
        # El presupuesto aprobado al inicio de la gestión y el vigente al cierre de cada
        # mes (vacío = sin cambio desde el mes anterior): `calculo.versiones`.
        Columna("inicial", "numero"),
        Columna("vigente", "numero", obligatoria=True),
        *_mensuales("vig", math.nan),
        *_mensuales("dev", 0.0),
    ],
    "narrativa": [
        Columna("codigo_unidad", obligatoria=True),
        Columna("trimestre", "entero", obligatoria=True),
        Columna("tipo", obligatoria=True),
        Columna("texto", obligatoria=True),
        Columna("codigo_acp"),
    ],
    "historico": [
        Columna("gestion", "entero", obligatoria=True),
        Columna("area", obligatoria=True),
        Columna("avance_fisico", "numero", obligatoria=True),
        Columna("ejecucion", "numero", obligatoria=True),
    ],
    # Del plan nacional (PDES) y del plan institucional (PEI) a cada ACP.
    "articulacion": [
        Columna("eje_pdes"),
        Columna("meta_pdes"),
        Columna("resultado_pdes"),
        Columna("codigo_amp"),
        Columna("accion_pei"),
        Columna("codigo_acp", obligatoria=True),
    ],
    # Servicios prestados al público (p. ej. pasaportes emitidos por país y mes).
    "estadisticas": [
        Columna("codigo_unidad", obligatoria=True),
        Columna("indicador", obligatoria=True),
        Columna("desagregacion"),
        Columna("mes", "entero", obligatoria=True),
        Columna("valor", "numero", obligatoria=True),
    ],
    # Ingresos por rubro: presupuesto vigente y recaudado por mes (Bs).
    "ingresos": [
        Columna("rubro", obligatoria=True),
        Columna("descripcion", obligatoria=True),
        Columna("fuente"),
        Columna("vigente", "numero", obligatoria=True),
        *_mensuales("rec", 0.0),
    ],
    # Cada cambio que una reformulación aprobada hace en una operación; la hoja operaciones
    # tiene los valores actuales (`calculo.versiones` reconstruye la versión de cada corte).
    "reformulaciones": [
        Columna("numero", "entero", obligatoria=True),
        Columna("resolucion", obligatoria=True),
        Columna("fecha", "fecha", obligatoria=True),
        Columna("codigo_operacion", obligatoria=True),
        Columna("cambio", obligatoria=True),
        Columna("mes", "numero"),
        Columna("anterior", "numero"),
        Columna("nuevo", "numero"),
        Columna("observacion"),
    ],
    # El registro de recepción de los formularios de seguimiento de las unidades: una fila
    # por archivo recibido y por unidad sin formulario (`informe-poa recoger` la escribe).
    "recepcion": [
        Columna("codigo_unidad", obligatoria=True),
        Columna("archivo"),
        Columna("fecha", "fecha"),
        Columna("hoja_ruta"),
        Columna("huella"),
        Columna("estado", obligatoria=True),
        Columna("motivo"),
        Columna("ronda", "entero", vacio=1.0),
    ],
}

# Las columnas de cada hoja, en el orden del contrato (para quien escribe libros: la muestra
# y las pruebas).
COLUMNAS_CONTRATO: dict[str, list[str]] = {
    hoja: [c.nombre for c in columnas] for hoja, columnas in CONTRATO.items()
}

# Valores que se aceptan sin distinguir mayúsculas ni tildes y se guardan en su forma canónica.
CANONICOS = {
    ("narrativa", "tipo"): TIPOS_NARRATIVA,
    ("reformulaciones", "cambio"): CAMBIOS,
}

# Columnas cuyo valor debe existir en otra columna del libro: (hoja, columna) -> (hoja,
# columna) de donde sale. Lo comprueba la validación (una celda vacía no se comprueba) y la
# plantilla lo ofrece como lista desplegable (`entrada.plantilla`).
REFERENCIAS: dict[tuple[str, str], tuple[str, str]] = {
    ("operaciones", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("presupuesto", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("narrativa", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("estadisticas", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("operaciones", "codigo_acp"): ("acp", "codigo_acp"),
    ("presupuesto", "codigo_acp"): ("acp", "codigo_acp"),
    ("narrativa", "codigo_acp"): ("acp", "codigo_acp"),
    ("articulacion", "codigo_acp"): ("acp", "codigo_acp"),
    ("areas", "area"): ("unidades", "area"),
    ("reformulaciones", "codigo_operacion"): ("operaciones", "codigo_operacion"),
}

# Las columnas numéricas que no admiten negativos: metas, ejecución, montos vigentes e
# iniciales, valores de estadísticas y de reformulaciones. El devengado y lo recaudado pueden
# ser negativos (reversiones, devoluciones) y los porcentajes del histórico no se limitan.
COLUMNAS_NO_NEGATIVAS: dict[str, tuple[str, ...]] = {
    hoja: tuple(
        c.nombre for c in columnas
        if c.tipo == "numero" and c.grupo not in ("dev", "rec") and hoja != "historico"
    )
    for hoja, columnas in CONTRATO.items()
}


def tabla_vacia(hoja: str) -> pd.DataFrame:
    """La tabla sin filas de una hoja opcional ausente, con las columnas y tipos del contrato."""
    columnas = {}
    for col in CONTRATO[hoja]:
        dtype = _DTYPES[col.tipo]
        columnas[col.nombre] = pd.Series([], dtype=dtype)
    columnas["fila"] = pd.Series([], dtype="int64")
    return pd.DataFrame(columnas)

