"""El contrato de datos: las hojas del libro del POA, sus columnas y lo que vale en cada una.

Aquí no se lee nada. Es la definición que comparten quien lee el libro (`entrada.lectura`,
`entrada.conversion`), quien lo valida (`entrada.esquemas`, `entrada.coherencia`), quien
escribe la plantilla vacía (`entrada.plantilla`) y quien escribe libros de prueba (la muestra,
las pruebas): las hojas obligatorias y opcionales y para qué es cada una (`PROPOSITOS`), las
columnas de cada hoja en orden con su tipo y qué significa (`Columna`, `CONTRATO`: la ayuda
de la plantilla sale de aquí), los valores admitidos, las referencias entre hojas y la tabla
sin filas de una hoja ausente (`tabla_vacia`). data-contract.md lo describe para el usuario.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "CAMBIOS",
    "AUDIENCIAS",
    "CANONICOS",
    "COLUMNAS_CONTRATO",
    "COLUMNAS_DEV",
    "COLUMNAS_EJEC",
    "COLUMNAS_NO_NEGATIVAS",
    "COLUMNAS_PROG",
    "COLUMNAS_REC",
    "COLUMNAS_VIG",
    "CONTRATO",
    "DEPARTAMENTOS",
    "ESTADOS_COMPROMISO",
    "ESTADOS_EVIDENCIA",
    "ESTADOS_RECEPCION",
    "ESTADOS_RECOMENDACION",
    "ESTADOS_REVISION",
    "FORMA_CODIGO_RECOMENDACION",
    "EXTENSIONES_LIBRO",
    "FECHA",
    "HOJAS",
    "HOJAS_DEL_LIBRO_RECOGIDO",
    "HOJAS_OBLIGATORIAS",
    "HOJAS_OPCIONALES",
    "MESES",
    "PROPOSITOS",
    "REFERENCIAS",
    "SINONIMOS",
    "TEXTO",
    "TIPOS_NARRATIVA",
    "Columna",
    "tabla_vacia",
]

HOJAS_OBLIGATORIAS = ("unidades", "acp", "operaciones", "presupuesto")
HOJAS_OPCIONALES = (
    "areas", "narrativa", "historico", "articulacion", "marcos", "vinculos", "estadisticas",
    "ingresos", "reformulaciones", "recepcion", "evidencias", "control_social",
    "seguimiento_recomendaciones",
)
HOJAS = HOJAS_OBLIGATORIAS + HOJAS_OPCIONALES

# Para qué es cada hoja (la hoja de instrucciones de la plantilla, `entrada.plantilla`).
PROPOSITOS: dict[str, str] = {
    "unidades": "Las unidades organizacionales que ejecutan el POA, una por fila.",
    "acp": "Las acciones de corto plazo (ACP) del POA, una por fila.",
    "operaciones": "Las operaciones de cada unidad, con su meta y su ejecución de cada mes.",
    "presupuesto": "El presupuesto de gastos por categoría programática y fuente: inicial, vigente "
                   "y devengado de cada mes.",
    "areas": "El nombre con que el informe muestra cada área organizacional.",
    "narrativa": "Los logros, dificultades y recomendaciones que registra cada unidad por "
                 "trimestre.",
    "historico": "El avance físico y la ejecución presupuestaria de cada área en gestiones "
                 "anteriores, para comparar.",
    "articulacion": "De qué eje, meta y resultado del PDES y de qué acción del PEI sale cada ACP.",
    "marcos": "Los objetivos de los planes y compromisos a los que aporta la entidad (PDES, PEI, "
              "ODS, un plan sectorial, un compromiso internacional), uno por fila, con el "
              "objetivo del que depende cada uno.",
    "vinculos": "A qué objetivo de qué marco aporta cada ACP u operación, una fila por vínculo, "
                "con su peso.",
    "estadisticas": "Los servicios prestados al público por mes (trámites, documentos emitidos).",
    "ingresos": "Los ingresos por rubro: presupuesto vigente y lo recaudado cada mes.",
    "reformulaciones": "Cada cambio que una reformulación aprobada hace en una operación, una fila "
                       "por cambio.",
    "recepcion": "El registro de recepción de los formularios de seguimiento de las unidades: lo "
                 "escribe informe-poa recoger, y el informe trimestral dice con él quién envió su "
                 "formulario, cuándo y quién no.",
    "control_social": "Lo que el control social observó en cada audiencia de rendición pública de "
                      "cuentas, lo que respondió la entidad y los compromisos que asumió, una "
                      "fila por observación.",
    "seguimiento_recomendaciones": "El estado de cada recomendación de un informe anterior, por "
                                   "su código (el que el informe imprime junto a ella).",
    "evidencias": "Los archivos de evidencia (el medio de verificación) que las unidades mandaron "
                  "con su formulario: los escribe informe-poa recoger, con su huella, y el "
                  "informe los lista por operación.",
}

# Las hojas que escribe `informe-poa recoger` en el libro recogido (docs/formularios.md): un
# libro del POA armado a mano, como los de las muestras, no las trae.
HOJAS_DEL_LIBRO_RECOGIDO = ("recepcion", "evidencias")

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

# El estado de la revisión de un formulario que cuenta (columna revision del registro): se
# recibe, la unidad de planificación lo observa y lo devuelve, la unidad lo corrige, y se
# acepta o se rechaza. «no aplicado»: un formulario que llegó después de aceptar el de su
# unidad; se lista y no se toma (docs/formularios.md, «La revisión»).
ESTADOS_REVISION = ("recibido", "observado", "corregido", "aceptado", "rechazado",
                    "no aplicado")

# Si se recibió un archivo de evidencia (hoja evidencias) o se rechazó (con su motivo).
ESTADOS_EVIDENCIA = ("recibida", "rechazada")

# Las audiencias de rendición pública de cuentas de una gestión, en su orden (hoja
# control_social), y el estado de un compromiso que la entidad asumió en una de ellas.
AUDIENCIAS = ("inicial", "parcial", "final")
ESTADOS_COMPROMISO = ("pendiente", "en curso", "cumplido")
# El estado de una recomendación de un informe anterior (hoja seguimiento_recomendaciones);
# las dos últimas ya no piden nada.
ESTADOS_RECOMENDACION = ("pendiente", "en curso", "cumplida", "no aplica")
# La forma del código de una recomendación: R-<gestión>-<resto de la etiqueta de su
# informe>-<número> (R-2024-T2-03, R-2024-anual-junio-01).
FORMA_CODIGO_RECOMENDACION = r"^R-(\d{4})-(.+)-(\d+)$"

# Los nueve departamentos de Bolivia por su código ISO 3166-2:BO, en el orden de sus nombres: la
# columna departamento de las hojas areas y unidades (dónde está cada oficina) y el mapa de
# departamentos (`redaccion.mapa`). La columna acepta el código o el nombre y guarda el código.
DEPARTAMENTOS: dict[str, str] = {
    "BO-B": "Beni",
    "BO-H": "Chuquisaca",
    "BO-C": "Cochabamba",
    "BO-L": "La Paz",
    "BO-O": "Oruro",
    "BO-N": "Pando",
    "BO-P": "Potosí",
    "BO-S": "Santa Cruz",
    "BO-T": "Tarija",
}
# Otros nombres con que se escribe un departamento (el que usan algunas fuentes oficiales).
_OTROS_NOMBRES = {"El Beni": "BO-B"}

EXTENSIONES_LIBRO = (".xlsx", ".xlsm")
TEXTO = "str"  # dtype de las columnas de texto (el tipo de texto por omisión de pandas 3)
FECHA = "datetime64[ns]"
_DTYPES = {"texto": TEXTO, "numero": "float64", "entero": "int64", "fecha": FECHA}


@dataclass(frozen=True)
class Columna:
    """Una columna de una hoja: su nombre en el encabezado, su tipo, si es obligatoria, cómo se
    lee vacía (si es numérica), en las mensuales su grupo, y qué significa (la ayuda de la
    plantilla, `entrada.plantilla`, y la de los formularios de las unidades)."""

    nombre: str
    tipo: str = "texto"  # "texto", "numero", "entero" o "fecha"
    obligatoria: bool = False
    vacio: float = math.nan  # valor de una celda numérica vacía
    grupo: str | None = None  # columnas mensuales: prog, ejec, dev, rec, vig
    # Qué significa, para quien llena el libro; en un grupo mensual, la del grupo entero.
    descripcion: str = field(default="", compare=False)


def _mensuales(prefijo: str, vacio: float, descripcion: str) -> list[Columna]:
    return [
        Columna(f"{prefijo}_{m:02d}", "numero", vacio=vacio, grupo=prefijo,
                descripcion=descripcion) for m in MESES
    ]


CONTRATO: dict[str, list[Columna]] = {
    "unidades": [
        Columna("codigo_unidad", obligatoria=True,
                descripcion="Código corto y único de la unidad; es el que se usa en las demás "
                            "hojas."),
        Columna("nombre", obligatoria=True, descripcion="Nombre completo de la unidad."),
        Columna("area", obligatoria=True,
                descripcion="Código del área organizacional a la que pertenece (la que agrupa "
                            "unidades en la estructura de la entidad, como una dirección o una "
                            "secretaría); el informe agrupa las unidades por área. No puede ser "
                            "TOTAL ni el nombre de un grupo de la columna servicio."),
        # la agrupación de áreas de la entidad (entrada.agrupacion)
        Columna("servicio",
                descripcion="El grupo de áreas de la entidad al que pertenece la unidad (Oficina "
                            "Nacional, Departamental, Distrital...), con el mismo nombre en todas "
                            "las unidades de un área. Opcional: vacía, la entidad es un solo "
                            "grupo."),
        Columna("tipo",
                descripcion="Clase de unidad (Dirección General, Unidad, Oficina Regional...); el "
                            "informe cuenta las unidades por tipo."),
        Columna("departamento",
                descripcion="El departamento donde está la unidad, si no es el de su área: su "
                            "código ISO 3166-2:BO (BO-L La Paz, BO-S Santa Cruz...) o su nombre. "
                            "Opcional: vacía, la unidad está en el departamento de su área."),
    ],
    "areas": [
        Columna("area", obligatoria=True,
                descripcion="Código del área, tal como está en la columna area de la hoja "
                            "unidades; cada área una vez."),
        Columna("nombre", obligatoria=True,
                descripcion="Nombre del área con que el informe la muestra en textos, títulos y "
                            "cuadros."),
        Columna("sigla", descripcion="Nombre corto del área para los gráficos."),
        Columna("departamento",
                descripcion="El departamento donde está el área (una dirección departamental, "
                            "una oficina regional): su código ISO 3166-2:BO (BO-L La Paz, BO-S "
                            "Santa Cruz...) o su nombre, que se guarda como código. Opcional: "
                            "con él se dibuja el mapa de departamentos; vacía, el área no se "
                            "ubica en el mapa."),
    ],
    "acp": [
        Columna("codigo_acp", obligatoria=True,
                descripcion="Código único de la ACP; es el que se usa en las demás hojas."),
        Columna("descripcion", obligatoria=True,
                descripcion="Enunciado de la acción de corto plazo."),
        Columna("resultado_esperado",
                descripcion="Resultado que el POA espera de la ACP al cierre de la gestión."),
        Columna("codigo_amp",
                descripcion="Código de la acción de mediano plazo del PEI a la que contribuye la "
                            "ACP."),
    ],
    "operaciones": [
        Columna("codigo_operacion", obligatoria=True, descripcion="Código único de la operación."),
        Columna("codigo_acp", obligatoria=True,
                descripcion="La ACP a la que contribuye la operación (de la hoja acp)."),
        Columna("codigo_unidad", obligatoria=True,
                descripcion="La unidad responsable de la operación (de la hoja unidades)."),
        Columna("descripcion", obligatoria=True, descripcion="Qué hace la operación."),
        Columna("indicador", descripcion="Cómo se mide la operación."),
        Columna("unidad_medida",
                descripcion="Qué se cuenta en la meta (informe, taller, trámite...)."),
        Columna("tareas", "entero", vacio=1.0,
                descripcion="Número de tareas de la operación: su peso cuando se promedia por "
                            "tareas. Vacía vale 1."),
        Columna("medio_verificacion", descripcion="El documento que respalda lo ejecutado."),
        Columna("no_aplica",
                descripcion="Vacía si la operación se evalúa. Si no corresponde evaluarla, escriba "
                            "el motivo: la operación no entra en los promedios y el motivo se "
                            "muestra en el informe."),
        *_mensuales("prog", 0.0,
                    descripcion="La meta programada de cada mes (prog_01 enero ... prog_12 "
                                "diciembre), en la unidad de medida. Vacía vale 0."),
        *_mensuales("ejec", math.nan,
                    descripcion="Lo ejecutado cada mes (ejec_01 enero ... ejec_12 diciembre). "
                                "Vacía significa que la unidad no reportó ese mes; 0, que reportó "
                                "y no ejecutó."),
    ],
    "presupuesto": [
        Columna("categoria_programatica", obligatoria=True,
                descripcion="Categoría programática de la línea (programa, proyecto, actividad)."),
        Columna("programa", obligatoria=True,
                descripcion="Nombre del programa o de la actividad de la categoría."),
        Columna("codigo_unidad", obligatoria=True,
                descripcion="La unidad que ejecuta la línea (de la hoja unidades)."),
        Columna("codigo_acp", obligatoria=True,
                descripcion="La ACP que financia la línea (de la hoja acp)."),
        Columna("fuente",
                descripcion="Fuente de financiamiento (TGN, recursos específicos...). La misma "
                            "categoría no se repite con la misma fuente."),
        Columna("grupo_gasto",
                descripcion="El grupo de gasto de la línea (10000 Servicios personales, 20000 "
                            "Servicios no personales...), si la entidad separa sus líneas así; "
                            "la rendición inicial suma el presupuesto por grupo."),
        # El presupuesto aprobado al inicio de la gestión y el vigente al cierre de cada
        # mes (vacío = sin cambio desde el mes anterior): `calculo.versiones`.
        Columna("inicial", "numero",
                descripcion="Presupuesto aprobado al comenzar la gestión, en bolivianos. "
                            "Obligatorio si la línea tiene algún vig_."),
        Columna("vigente", "numero", obligatoria=True,
                descripcion="Presupuesto en vigor a la fecha del libro, en bolivianos. Si la línea "
                            "tiene vig_, es el último vig_ escrito."),
        *_mensuales("vig", math.nan,
                    descripcion="Presupuesto vigente al cierre de cada mes (vig_01 enero ... "
                                "vig_12 diciembre); sólo se escribe el mes en que cambia. Vacía: "
                                "sin cambio desde el mes anterior."),
        *_mensuales("dev", 0.0,
                    descripcion="Lo devengado en cada mes (dev_01 enero ... dev_12 diciembre), en "
                                "bolivianos. Vacía vale 0; puede ser negativo por una reversión."),
    ],
    "narrativa": [
        Columna("codigo_unidad", obligatoria=True,
                descripcion="La unidad que registra el texto (de la hoja unidades)."),
        Columna("trimestre", "entero", obligatoria=True,
                descripcion="El trimestre del que habla el texto."),
        Columna("tipo", obligatoria=True,
                descripcion="Si el texto es un logro, una dificultad o una recomendación."),
        Columna("texto", obligatoria=True,
                descripcion="Lo que la unidad registra, en una o dos frases; el informe lo "
                            "transcribe tal cual."),
        Columna("codigo_acp",
                descripcion="La ACP de la que habla el texto, si es de una (de la hoja acp); "
                            "vacía, el texto va aparte."),
    ],
    "historico": [
        Columna("gestion", "entero", obligatoria=True,
                descripcion="El año de la gestión anterior."),
        Columna("area", obligatoria=True,
                descripcion="Código del área, como en la columna area de la hoja unidades."),
        Columna("avance_fisico", "numero", obligatoria=True,
                descripcion="Avance físico del área al cierre de esa gestión, en porcentaje (0 a "
                            "100)."),
        Columna("ejecucion", "numero", obligatoria=True,
                descripcion="Ejecución presupuestaria del área al cierre de esa gestión, en "
                            "porcentaje (0 a 100)."),
    ],
    # Del plan nacional (PDES) y del plan institucional (PEI) a cada ACP.
    "articulacion": [
        Columna("eje_pdes", descripcion="Eje del Plan de Desarrollo Económico y Social (PDES)."),
        Columna("meta_pdes", descripcion="Meta del PDES dentro del eje."),
        Columna("resultado_pdes", descripcion="Resultado del PDES dentro de la meta."),
        Columna("codigo_amp", descripcion="Código de la acción de mediano plazo del PEI."),
        Columna("accion_pei",
                descripcion="Enunciado de la acción del Plan Estratégico Institucional (PEI)."),
        Columna("codigo_acp", obligatoria=True,
                descripcion="La ACP que se articula (de la hoja acp)."),
    ],
    # Los objetivos de cada marco (plan o compromiso), del primer nivel al más hondo
    # (`entrada.marcos`).
    "marcos": [
        Columna("marco", obligatoria=True,
                descripcion="Nombre corto del plan o compromiso (PDES 2021-2025, ODS, PEI, un "
                            "plan sectorial...), el mismo en todas sus filas y en la hoja "
                            "vinculos."),
        Columna("codigo", obligatoria=True,
                descripcion="Código del objetivo dentro de su marco (10, 10.1, 16.9...); un "
                            "código es un solo objetivo."),
        Columna("nivel", obligatoria=True,
                descripcion="Qué es el objetivo dentro del marco: eje, meta, resultado, "
                            "objetivo..."),
        Columna("nombre", obligatoria=True, descripcion="Enunciado del objetivo."),
        Columna("codigo_padre",
                descripcion="El código del objetivo del mismo marco del que depende; vacía en "
                            "los del primer nivel."),
        Columna("indicador", descripcion="El indicador propio del objetivo, si el marco lo "
                                         "define."),
        Columna("linea_base", "numero", descripcion="Valor del indicador al comenzar el plan."),
        Columna("meta", "numero", descripcion="Valor que el plan espera del indicador."),
        Columna("valor_alcanzado", "numero",
                descripcion="Valor del indicador a la fecha del libro."),
        Columna("fuente", descripcion="De dónde sale el valor alcanzado."),
    ],
    # Qué ACP u operación aporta a qué objetivo (muchos a muchos).
    "vinculos": [
        Columna("marco", obligatoria=True,
                descripcion="El marco del objetivo (de la hoja marcos, o PDES y PEI, que trae "
                            "la hoja articulacion)."),
        Columna("codigo", obligatoria=True,
                descripcion="El código del objetivo en ese marco."),
        Columna("codigo_acp",
                descripcion="La ACP que aporta al objetivo (de la hoja acp); o, en vez de ella, "
                            "una operación en codigo_operacion."),
        Columna("codigo_operacion",
                descripcion="La operación que aporta al objetivo (de la hoja operaciones), si el "
                            "vínculo no es de una ACP entera."),
        Columna("peso", "numero", vacio=1.0,
                descripcion="Cuánto pesa este aporte frente a los demás del mismo objetivo. "
                            "Vacía vale 1: todos pesan igual."),
    ],
    # Servicios prestados al público (p. ej. pasaportes emitidos por país y mes).
    "estadisticas": [
        Columna("codigo_unidad", obligatoria=True,
                descripcion="La unidad que prestó el servicio (de la hoja unidades)."),
        Columna("indicador", obligatoria=True,
                descripcion="Qué se cuenta (pasaportes emitidos, trámites atendidos...)."),
        Columna("desagregacion",
                descripcion="Un detalle opcional del indicador (país, ciudad, tipo de trámite). "
                            "Unidad, indicador, desagregación y mes no se repiten."),
        Columna("mes", "entero", obligatoria=True, descripcion="El mes del dato."),
        Columna("valor", "numero", obligatoria=True, descripcion="Cuántos en ese mes."),
    ],
    # Ingresos por rubro: presupuesto vigente y recaudado por mes (Bs).
    "ingresos": [
        Columna("rubro", obligatoria=True,
                descripcion="Código del rubro de ingreso; un rubro no se repite con la misma "
                            "fuente."),
        Columna("descripcion", obligatoria=True, descripcion="Nombre del rubro."),
        Columna("fuente", descripcion="Fuente de financiamiento del rubro."),
        Columna("vigente", "numero", obligatoria=True,
                descripcion="Presupuesto de ingresos vigente del rubro, en bolivianos."),
        *_mensuales("rec", 0.0,
                    descripcion="Lo recaudado en cada mes (rec_01 enero ... rec_12 diciembre), en "
                                "bolivianos. Vacía vale 0; puede ser negativo por una devolución."),
    ],
    # Cada cambio que una reformulación aprobada hace en una operación; la hoja operaciones
    # tiene los valores actuales (`calculo.versiones` reconstruye la versión de cada corte).
    "reformulaciones": [
        Columna("numero", "entero", obligatoria=True,
                descripcion="Número de la reformulación (1, 2...); todas sus filas llevan la misma "
                            "resolución y fecha."),
        Columna("resolucion", obligatoria=True,
                descripcion="La resolución que aprueba la reformulación."),
        Columna("fecha", "fecha", obligatoria=True,
                descripcion="Fecha de aprobación; rige desde el cierre de ese mes."),
        Columna("codigo_operacion", obligatoria=True,
                descripcion="La operación que cambia (de la hoja operaciones, que tiene todas, "
                            "también las dadas de baja)."),
        Columna("cambio", obligatoria=True,
                descripcion="alta: operación nueva; baja: operación que sale; programacion: la "
                            "meta de un mes; tareas: el número de tareas."),
        Columna("mes", "numero",
                descripcion="En un cambio de programación, el mes cuya meta cambia."),
        Columna("anterior", "numero",
                descripcion="En programación o tareas, el valor antes del cambio."),
        Columna("nuevo", "numero",
                descripcion="En programación o tareas, el valor después del cambio; el último "
                            "cambio deja el valor que tiene hoy la hoja operaciones."),
        Columna("observacion", descripcion="Texto libre: por qué se hizo el cambio."),
    ],
    # El registro de recepción de los formularios de seguimiento de las unidades: una fila
    # por archivo recibido y por unidad sin formulario (`informe-poa recoger` la escribe).
    "recepcion": [
        Columna("codigo_unidad", obligatoria=True,
                descripcion="La unidad del formulario (de la hoja unidades; la de su nombre de "
                            "archivo si el formulario no se reconoce)."),
        Columna("archivo",
                descripcion="El nombre del archivo recibido; vacío si la unidad no envió "
                            "formulario."),
        Columna("fecha", "fecha", descripcion="Cuándo se recibió el formulario."),
        Columna("hoja_ruta",
                descripcion="El número de la hoja de ruta o del registro de correspondencia con "
                            "que llegó."),
        Columna("huella",
                descripcion="La huella SHA-256 del archivo recibido, para reconocerlo después."),
        Columna("estado", obligatoria=True,
                descripcion="Qué se hizo con el formulario (lista desplegable): si cuenta, si "
                            "llegó fuera de plazo, si se rechazó, o si falta."),
        Columna("motivo", descripcion="Por qué tiene ese estado."),
        Columna("ronda", "entero", vacio=1.0,
                descripcion="La vez que se recogieron los formularios (1, 2...) en que llegó el "
                            "archivo o en que cambió su estado."),
        Columna("revision",
                descripcion="Dónde está la revisión del formulario que cuenta (lista "
                            "desplegable): recibido, observado (devuelto con observaciones), "
                            "corregido, aceptado o rechazado; no aplicado, el que llegó "
                            "después de aceptar el de su unidad."),
        Columna("plazo_correccion", "fecha",
                descripcion="Hasta cuándo corrige la unidad un formulario observado."),
        Columna("fecha_revision", "fecha",
                descripcion="Cuándo cambió por última vez el estado de la revisión."),
        Columna("nota_revision",
                descripcion="La nota del planificador sobre la revisión (por qué se observó, "
                            "se aceptó o se rechazó)."),
    ],
    # Las audiencias de rendición pública de cuentas: una fila por observación del control
    # social (`calculo.control_social`).
    "control_social": [
        Columna("gestion", "entero", obligatoria=True,
                descripcion="La gestión de la audiencia (el año)."),
        Columna("audiencia", obligatoria=True,
                descripcion="inicial, parcial o final (lista desplegable)."),
        Columna("fecha", "fecha", descripcion="Cuándo fue la audiencia."),
        Columna("organizacion", obligatoria=True,
                descripcion="La organización social o el actor que observó."),
        Columna("observacion", obligatoria=True, descripcion="Lo que se observó o se pidió."),
        Columna("respuesta", descripcion="Lo que respondió la entidad."),
        Columna("compromiso", descripcion="Lo que la entidad se comprometió a hacer, si algo."),
        Columna("codigo_unidad",
                descripcion="La unidad responsable del compromiso (de la hoja unidades)."),
        Columna("plazo", "fecha", descripcion="Hasta cuándo se cumple el compromiso."),
        Columna("estado",
                descripcion="pendiente, en curso o cumplido (lista desplegable); vacía, "
                            "pendiente."),
        Columna("evidencia",
                descripcion="Con qué se muestra el cumplimiento (un documento, un enlace)."),
    ],
    # El seguimiento de las recomendaciones de informes anteriores, por su código
    # (`calculo.recomendaciones`).
    "seguimiento_recomendaciones": [
        Columna("codigo", obligatoria=True,
                descripcion="El código de la recomendación, como lo imprime su informe "
                            "(R-2024-T2-03); no se repite."),
        Columna("recomendacion", obligatoria=True,
                descripcion="El texto de la recomendación, como lo dice su informe (tablas/"
                            "recomendaciones.csv)."),
        Columna("codigo_unidad",
                descripcion="La unidad que la atiende (de la hoja unidades)."),
        Columna("estado", obligatoria=True,
                descripcion="pendiente, en curso, cumplida o no aplica (lista desplegable)."),
        Columna("fecha", "fecha", descripcion="Cuándo se revisó su estado."),
        Columna("observacion", descripcion="Qué se hizo, o por qué sigue pendiente."),
    ],
    # Las evidencias que mandaron las unidades con su formulario: una fila por archivo
    # (`informe-poa recoger` la escribe; los archivos recibidos quedan en la carpeta
    # evidencias/ junto al libro).
    "evidencias": [
        Columna("ronda", "entero", vacio=1.0,
                descripcion="La vez que se recogieron los formularios (1, 2...) en que llegó el "
                            "archivo."),
        Columna("codigo_unidad",
                descripcion="La unidad de la operación (vacía si el código no es de una "
                            "operación)."),
        Columna("codigo_operacion", obligatoria=True,
                descripcion="La operación que respalda (el nombre de su carpeta)."),
        Columna("archivo", obligatoria=True,
                descripcion="Dónde está, en la carpeta evidencias/ junto al libro: "
                            "<codigo_operacion>/<nombre>."),
        Columna("huella", descripcion="La huella SHA-256 del archivo."),
        Columna("tamano", "entero", vacio=0.0, descripcion="Cuánto pesa, en octetos."),
        Columna("tipo", descripcion="Qué es, según su contenido (PDF, imagen, documento...)."),
        Columna("estado", obligatoria=True,
                descripcion="Si se recibió o se rechazó (lista desplegable)."),
        Columna("motivo", descripcion="Por qué se rechazó."),
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
    ("control_social", "audiencia"): AUDIENCIAS,
    ("control_social", "estado"): ESTADOS_COMPROMISO,
    ("seguimiento_recomendaciones", "estado"): ESTADOS_RECOMENDACION,
    ("areas", "departamento"): tuple(DEPARTAMENTOS),
    ("unidades", "departamento"): tuple(DEPARTAMENTOS),
}

# Otras formas admitidas de un valor canónico, que se guardan como él (sin distinguir
# mayúsculas ni tildes): el nombre de un departamento por su código.
SINONIMOS: dict[tuple[str, str], dict[str, str]] = {
    clave: {**{nombre: codigo for codigo, nombre in DEPARTAMENTOS.items()}, **_OTROS_NOMBRES}
    for clave in (("areas", "departamento"), ("unidades", "departamento"))
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
    ("vinculos", "codigo_acp"): ("acp", "codigo_acp"),
    ("vinculos", "codigo_operacion"): ("operaciones", "codigo_operacion"),
    ("areas", "area"): ("unidades", "area"),
    ("reformulaciones", "codigo_operacion"): ("operaciones", "codigo_operacion"),
    ("control_social", "codigo_unidad"): ("unidades", "codigo_unidad"),
    ("seguimiento_recomendaciones", "codigo_unidad"): ("unidades", "codigo_unidad"),
}

# Las columnas numéricas que no admiten negativos: metas, ejecución, montos vigentes e
# iniciales, valores de estadísticas y de reformulaciones, pesos. El devengado y lo recaudado
# pueden ser negativos (reversiones, devoluciones), y los porcentajes del histórico y los
# indicadores de los marcos (una variación, un saldo) no se limitan.
COLUMNAS_NO_NEGATIVAS: dict[str, tuple[str, ...]] = {
    hoja: tuple(
        c.nombre for c in columnas
        if c.tipo == "numero" and c.grupo not in ("dev", "rec")
        and hoja not in ("historico", "marcos")
    )
    for hoja, columnas in CONTRATO.items()
}


def tabla_vacia(hoja: str) -> pd.DataFrame:
    """La tabla sin filas de una hoja opcional ausente, con las columnas y tipos del contrato.
    Es una copia: quien la recibe puede agregarle columnas sin cambiar la de otro libro."""
    return _tabla_vacia(hoja).copy()


@functools.cache  # armarla cuesta unos milisegundos, y un libro deja varias hojas sin llenar
def _tabla_vacia(hoja: str) -> pd.DataFrame:
    columnas = {}
    for col in CONTRATO[hoja]:
        dtype = _DTYPES[col.tipo]
        columnas[col.nombre] = pd.Series([], dtype=dtype)
    columnas["fila"] = pd.Series([], dtype="int64")
    return pd.DataFrame(columnas)

