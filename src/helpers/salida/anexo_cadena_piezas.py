"""Lo común a las hojas de la cadena de cálculo del anexo: sus nombres, los periodos y las
reglas del corte, y las piezas con que se arman sus fórmulas.

- Entra: el trimestre del corte y la metodología (`Contexto`, con las celdas de la hoja
  parametros que leen las fórmulas); referencias de celda y rangos de otras hojas.
- Sale: el texto de las fórmulas (sin los valores: los calcula Excel o LibreOffice) —
  sumas, cuentas y medias de un grupo de filas reconocido con EXACT dentro de SUMPRODUCT, un
  porcentaje, la calificación según la escala de parametros y el semáforo según sus
  umbrales— y la descripción de cada una para la hoja leeme.

Las usan `helpers.salida.anexo_cadena` (parametros, operaciones, presupuesto) y
`helpers.salida.anexo_cadena_niveles` (unidades, acp_unidad, acps, areas, servicios,
entidad). Todo es de Excel y de LibreOffice, sin funciones que necesiten `_xlfn.`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from helpers.comun.calendario import MESES_CORTO, MESES_NOMBRE
from helpers.entrada.organizacion import Organizacion

__all__ = [
    "ACUMULADO", "CELDA_EFICIENCIA_MINIMA", "DESCRIPCION_SEMAFORO", "HOJAS_CADENA",
    "HOJA_ACPS", "HOJA_ACP_UNIDAD", "HOJA_AREAS", "HOJA_ENTIDAD", "HOJA_OPERACIONES",
    "HOJA_PARAMETROS", "HOJA_PRESUPUESTO", "HOJA_SERVICIOS", "HOJA_UNIDADES", "MESES_CORTOS",
    "MESES_LARGOS", "Contexto", "Periodo", "cuenta_con_valor", "describir_escala", "femenino",
    "formula_calificacion", "formula_porcentaje", "formula_semaforo", "media_con_valor",
    "suma_grupo",
]

HOJA_PARAMETROS = "parametros"
HOJA_OPERACIONES = "operaciones"
HOJA_PRESUPUESTO = "presupuesto"
HOJA_UNIDADES = "unidades"
HOJA_ACP_UNIDAD = "acp_unidad"
HOJA_ACPS = "acps"
HOJA_AREAS = "areas"
HOJA_SERVICIOS = "servicios"
HOJA_ENTIDAD = "entidad"
HOJAS_CADENA = (
    HOJA_PARAMETROS, HOJA_OPERACIONES, HOJA_PRESUPUESTO, HOJA_UNIDADES, HOJA_ACP_UNIDAD,
    HOJA_ACPS, HOJA_AREAS, HOJA_SERVICIOS, HOJA_ENTIDAD,
)

# En los encabezados del anexo, los meses van en minúscula: «Programado ene».
MESES_CORTOS = tuple(mes.lower() for mes in MESES_CORTO)
MESES_LARGOS = MESES_NOMBRE
ACUMULADO = "acumulado"
# La celda de parametros con la ejecución mínima de la eficiencia: fija, porque las fórmulas
# de las hojas de tablas (`helpers.salida.anexo_tablas`), que se escriben antes, también la leen.
CELDA_EFICIENCIA_MINIMA = f"{HOJA_PARAMETROS}!$B$11"


def femenino(etiqueta: str) -> str:
    """«acumulada» para una palabra femenina (ejecución, eficacia); T1..T4 no cambian."""
    return "acumulada" if etiqueta == ACUMULADO else etiqueta


# ---------------------------------------------------------------------------------------
# Piezas de fórmula
# ---------------------------------------------------------------------------------------

def _exacto(criterios: Sequence[tuple[str, str]]) -> str:
    """EXACT(rango;celda)*EXACT(...): 1 en las filas del grupo, 0 en las demás."""
    return "*".join(f"EXACT({rango},{celda})" for rango, celda in criterios)


def suma_grupo(criterios: Sequence[tuple[str, str]], rango: str) -> str:
    if not criterios:
        return f"SUM({rango})"
    return f"SUMPRODUCT({_exacto(criterios)}*{rango})"


def cuenta_con_valor(criterios: Sequence[tuple[str, str]], rango: str) -> str:
    if not criterios:
        return f"COUNT({rango})"
    return f"SUMPRODUCT({_exacto(criterios)}*ISNUMBER({rango}))"


def media_con_valor(criterios: Sequence[tuple[str, str]], rango: str, cuenta: str) -> str:
    """Media simple de las filas del grupo con valor (el texto vacío no cuenta)."""
    if not criterios:
        return f'IF({cuenta}=0,"",AVERAGE({rango}))'
    suma = f"SUMPRODUCT({_exacto(criterios)}*ISNUMBER({rango}),{rango})"
    return f'IF({cuenta}=0,"",{suma}/{cuenta})'


def formula_porcentaje(num: str, den: str) -> str:
    return f'IF({den}>0,{num}/{den}*100,"")'


@dataclass(frozen=True)
class Periodo:
    """Un trimestre hasta el corte, o el acumulado de enero al corte."""

    etiqueta: str  # "T1".."T4" o "acumulado"
    meses: tuple[int, ...]
    trimestre: int | None  # None en el acumulado

    @property
    def meses_texto(self) -> str:
        return f"{MESES_CORTOS[self.meses[0] - 1]}-{MESES_CORTOS[self.meses[-1] - 1]}"


@dataclass(frozen=True)
class Contexto:
    """El corte y las reglas con que se arman las fórmulas de todas las hojas de la cadena."""

    trimestre: int
    metodologia: object
    periodos: tuple[Periodo, ...]  # T1..Tq y el acumulado
    p: dict[str, str]  # celdas de parametros
    escala: tuple[tuple[str, bool], ...]  # (fila de parametros, inclusivo) por tramo
    # Cómo llama la entidad a su agrupación de áreas (`entrada.organizacion`): los títulos
    # de las columnas y las descripciones de ese nivel.
    organizacion: Organizacion = field(default_factory=Organizacion)

    @property
    def actual(self) -> Periodo:
        return self.periodos[self.trimestre - 1]

    @property
    def acumulado(self) -> Periodo:
        return self.periodos[-1]

    @property
    def trimestres(self) -> tuple[Periodo, ...]:
        return self.periodos[:-1]

    @property
    def programada(self) -> bool:
        return self.metodologia.participacion == "programada"

    @property
    def promedio_unidades(self) -> bool:
        return self.metodologia.agregacion == "promedio_unidades"


def formula_calificacion(ctx: Contexto, celda: str, campo: str) -> str:
    """El tramo de la escala de `parametros` para el valor redondeado a 2 decimales."""
    columna = {"grado": "C", "calificacion": "D"}[campo]
    mostrado = f"ROUND({celda},2)"
    formula = '""'
    for fila, inclusivo in reversed(ctx.escala):
        op = ">=" if inclusivo else ">"
        formula = (f"IF({mostrado}{op}{HOJA_PARAMETROS}!$A${fila},"
                   f"{HOJA_PARAMETROS}!${columna}${fila},{formula})")
    return f'=IF({celda}="","",{formula})'


def describir_escala(que: str, campo: str) -> str:
    nombre = {"grado": "el grado", "calificacion": "la calificación"}[campo]
    return (f"{nombre} del tramo de la escala de parametros en que cae {que} redondeado a "
            "2 decimales (ROUND); vacía si no hay valor")


def formula_semaforo(ctx: Contexto, celda: str) -> str:
    mostrado = f"ROUND({celda},2)"
    return (f'=IF({celda}="","",IF({mostrado}>={ctx.p["verde"]},"verde",'
            f'IF({mostrado}>={ctx.p["amarillo"]},"amarillo","rojo")))')


DESCRIPCION_SEMAFORO = ("verde, amarillo o rojo según la ejecución acumulada redondeada a 2 "
                         "decimales y los umbrales del trimestre en parametros")
