"""La fila de ejemplo de la plantilla: un POA mínimo y coherente, una fila por hoja.

Entra la gestión; sale, por hoja, columna -> valor (`ejemplos`), con los códigos marcados con
`MARCA_EJEMPLO`. La escribe la plantilla (`entrada.plantilla`) en la fila 2 de cada hoja, y
la reconocen en un libro leído las sugerencias (`entrada.sugerencias.filas_de_ejemplo`):
los mismos valores, no una copia.
"""
from __future__ import annotations

import datetime as dt

from helpers.comun.calendario import TRIMESTRES
from helpers.entrada.contrato import (
    AUDIENCIAS,
    ESTADOS_COMPROMISO,
    ESTADOS_EVIDENCIA,
    ESTADOS_RECEPCION,
    ESTADOS_RECOMENDACION,
    MESES,
    TIPOS_NARRATIVA,
)

__all__ = ["MARCA_EJEMPLO", "ejemplos"]

# El comienzo de los códigos de la fila de ejemplo.
MARCA_EJEMPLO = "EJEMPLO"


def ejemplos(gestion: int) -> dict[str, dict[str, object]]:
    """La fila de ejemplo de cada hoja, columna -> valor (None: celda vacía). Un POA mínimo
    y coherente: lo que una hoja cita de otra está en ella, y lo que la validación encadena
    (vigente y último vig_, el nuevo de la reformulación y la meta de la operación) se
    calcula aquí, no se escribe dos veces."""
    unidad, area, acp = f"{MARCA_EJEMPLO}-UPS", f"{MARCA_EJEMPLO}-DEJ", f"{MARCA_EJEMPLO}-1"
    operacion = f"{MARCA_EJEMPLO}-OP-01"
    amp = "AMP 1"
    # Un informe de seguimiento al cierre de cada trimestre.
    prog = [1 if m % 3 == 0 else 0 for m in MESES]
    ejec = [0, 0, 1] + [None] * (len(MESES) - 3)
    # Un traspaso en mayo.
    inicial = 350000.0
    vig = {5: 385000.0}
    dev = [21500.0, 27340.5, 30110.0]
    rec = [4850.0, 5120.0, 4975.5]
    mes_reformulado = MESES[-1]
    trimestre = min(TRIMESTRES)
    return {
        "unidades": {"codigo_unidad": unidad, "nombre": "Unidad de Planificación y Seguimiento",
                     "area": area, "servicio": "Oficina Nacional", "tipo": "Unidad",
                     # Vacío: la unidad está en el departamento de su área.
                     "departamento": None},
        "areas": {"area": area, "nombre": "Dirección Ejecutiva", "sigla": "Dir. Ejecutiva",
                  "departamento": "BO-L"},
        "acp": {"codigo_acp": acp,
                "descripcion": "Fortalecer la planificación, el seguimiento y la evaluación de "
                               "la gestión institucional por resultados.",
                "resultado_esperado": "POA formulado, ajustado cuando corresponde y evaluado "
                                      "cada trimestre en plazo.",
                "codigo_amp": amp},
        "operaciones": {
            "codigo_operacion": operacion, "codigo_acp": acp, "codigo_unidad": unidad,
            "descripcion": "Elaborar y presentar los informes trimestrales de seguimiento y "
                           "evaluación del POA.",
            "indicador": "Informes de seguimiento presentados a la Máxima Autoridad Ejecutiva",
            "unidad_medida": "Informe", "tareas": 2,
            "medio_verificacion": "Nota de remisión con hoja de ruta", "no_aplica": None,
            **_mensual("prog", prog), **_mensual("ejec", ejec),
        },
        "presupuesto": {
            "categoria_programatica": "00 0 002",
            "programa": "Planificación y seguimiento institucional",
            "codigo_unidad": unidad, "codigo_acp": acp, "fuente": "10 TGN",
            "grupo_gasto": "20000 Servicios no personales", "inicial": inicial,
            "vigente": vig[max(vig)],
            **_mensual("vig", [vig.get(m) for m in MESES]), **_mensual("dev", dev),
        },
        "narrativa": {
            "codigo_unidad": unidad, "trimestre": trimestre, "tipo": TIPOS_NARRATIVA[0],
            "texto": f"Se presentó en plazo el informe de seguimiento del {TRIMESTRES[trimestre]} "
                     "trimestre, con la evaluación de todas las unidades.",
            "codigo_acp": acp,
        },
        "historico": {"gestion": gestion - 1, "area": area, "avance_fisico": 87.5,
                      "ejecucion": 81.35},
        "articulacion": {
            "eje_pdes": "Eje 1: Gestión pública eficiente y transparente",
            "meta_pdes": "Meta 1.1: Instituciones que planifican y rinden cuentas",
            "resultado_pdes": "Resultado 1.1.1: Planes institucionales evaluados cada gestión",
            "codigo_amp": amp, "accion_pei": "Gestión institucional por resultados",
            "codigo_acp": acp,
        },
        "marcos": {
            "marco": "ODS", "codigo": "16.6", "nivel": "meta",
            "nombre": "Crear instituciones eficaces y transparentes que rindan cuentas",
            "codigo_padre": None,
            "indicador": "Gasto público ejecutado como porcentaje del presupuesto aprobado",
            "linea_base": 78.4, "meta": 90.0, "valor_alcanzado": 83.1,
            "fuente": "Reporte de ejecución presupuestaria al cierre de la gestión anterior",
        },
        "vinculos": {"marco": "ODS", "codigo": "16.6", "codigo_acp": acp,
                     "codigo_operacion": None, "peso": None},
        "estadisticas": {"codigo_unidad": unidad, "indicador": "Certificaciones POA emitidas",
                         "desagregacion": "Oficina Nacional", "mes": MESES[2],
                         "valor": 48},
        "ingresos": {"rubro": f"{MARCA_EJEMPLO}-15100",
                     "descripcion": "Tasas por certificaciones y trámites administrativos",
                     "fuente": "20 Recursos Específicos", "vigente": 60000.0,
                     **_mensual("rec", rec)},
        "reformulaciones": {
            "numero": 1, "resolucion": f"Resolución {MARCA_EJEMPLO} N° 001/{gestion}",
            "fecha": dt.datetime(gestion, 3, 14), "codigo_operacion": operacion,
            "cambio": "programacion", "mes": mes_reformulado, "anterior": 0,
            "nuevo": prog[mes_reformulado - 1],
            "observacion": "Se agrega el informe de cierre de la gestión, pedido por la "
                           "Máxima Autoridad Ejecutiva.",
        },
        "recepcion": {
            "codigo_unidad": unidad, "archivo": f"{unidad}.xlsx",
            "fecha": dt.datetime(gestion, 4, 8, 10, 30), "hoja_ruta": f"HR-{gestion}-0412",
            "huella": None, "estado": ESTADOS_RECEPCION[0], "motivo": None, "ronda": 1,
        },
        "evidencias": {
            "ronda": 1, "codigo_unidad": unidad, "codigo_operacion": operacion,
            "archivo": f"{operacion}/acta-de-reunion.pdf", "huella": None, "tamano": 48213,
            "tipo": "PDF", "estado": ESTADOS_EVIDENCIA[0], "motivo": None,
        },
        "control_social": {
            "gestion": gestion, "audiencia": AUDIENCIAS[0],
            "fecha": dt.datetime(gestion, 2, 20), "organizacion": "Federación de juntas vecinales",
            "observacion": "Piden conocer el avance de los trámites en línea prometidos.",
            "respuesta": "Se presentará su avance en la audiencia parcial.",
            "compromiso": "Informar el avance de los trámites en línea cada trimestre.",
            "codigo_unidad": unidad, "plazo": dt.datetime(gestion, 6, 30),
            "estado": ESTADOS_COMPROMISO[1], "evidencia": "Informe trimestral publicado",
        },
        "seguimiento_recomendaciones": {
            "codigo": f"R-{gestion}-T1-01",
            "recomendacion": "Remitir los formularios de seguimiento dentro del plazo.",
            "codigo_unidad": unidad, "estado": ESTADOS_RECOMENDACION[1],
            "fecha": dt.datetime(gestion, 5, 15),
            "observacion": "Se envió una circular a todas las unidades.",
        },
    }


def _mensual(grupo: str, valores: list) -> dict[str, object]:
    """Columna mensual -> valor; los meses que faltan al final quedan vacíos."""
    valores = list(valores) + [None] * (len(MESES) - len(valores))
    return {f"{grupo}_{m:02d}": v for m, v in zip(MESES, valores)}
