"""Las palabras y las tablas de la memoria de cálculo (`notebooks/comun/00_memoria.ipynb`).

Cada paso empieza con su regla: el número de la sección de la metodología, la fórmula en
palabras y la opción en vigor según los parámetros. Los valores salen de `calculo`; aquí
sólo se escriben.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo.metodologia import PARTICIPACION_TRIMESTRAL
from helpers.calculo.versiones import version_vigente
from helpers.comun.calendario import fecha_larga, nombre_mes
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import NO_SIGNIFICATIVO, formatear_numero
from helpers.entrada.organizacion import Organizacion
from helpers.redaccion import presentacion

# La agrupación de áreas cuando no se indica otra: «servicio».
ORGANIZACION = Organizacion()

# Títulos de las columnas que sólo aparecen en la memoria.
TITULOS = {
    "cumplimiento_sin_tope_trimestre": "Sin tope trimestre",
    "estado_trimestre": "Estado trimestre",
    "estado_acumulado": "Estado acumulado",
    "codigo": "Código",
    "nivel": "Nivel",
    "operaciones": "Operaciones",
    "avance_fisico": "Avance físico",
    "cumplimiento": "Cumplimiento",
    "eficacia_acumulada": "Eficacia acumulada",
    "trimestre": "Trimestre",
    "eficacia": "Eficacia",
}


def tabla(df: pd.DataFrame, nombre: str, limite: int | None = None) -> str:
    """HTML de una tabla intermedia: el índice, si tiene nombre, como primera columna; las
    columnas conocidas con el formato del informe, y las demás según su tipo. Con más de
    `limite` filas muestra las primeras y lo dice: cada paso está entero en `anexo.xlsx`,
    que lo rehace con fórmulas."""
    if limite is not None and len(df) > limite:
        df = df.copy()
        df.attrs["nota"] = ("Cada paso está completo, fila por fila, en anexo.xlsx, que lo "
                            "rehace con fórmulas.")
    if df.index.name is not None or not isinstance(df.index, pd.RangeIndex):
        df = df.rename_axis(df.index.name or "codigo").reset_index()
    formatos, titulos = {}, {}
    for col in df.columns:
        if col in presentacion.COLUMNAS:
            continue
        if col.startswith("eficacia_T"):
            titulos[col] = f"Eficacia {col.removeprefix('eficacia_')}"
            formatos[col] = "pct"
        elif pd.api.types.is_integer_dtype(df[col]):
            formatos[col] = "entero"
        elif pd.api.types.is_float_dtype(df[col]):
            formatos[col] = "pct"
        titulos.setdefault(col, TITULOS.get(col, col))
    return presentacion.tabla(df, list(df.columns), titulos=titulos, formatos=formatos,
                              nombre=f"memoria-{nombre}", limite=limite)


def reglas_en_vigor(parametros) -> pd.DataFrame:
    """Las opciones de la metodología con que se calcula este informe."""
    r = parametros.metodologia
    filas = [
        ("Corte", f"trimestre {parametros.trimestre_corte} de {parametros.gestion}"),
        ("Tope del cumplimiento en 100 %", "sí" if r.tope_cumplimiento else "no"),
        ("Meses sin reporte", "cuentan como 0 ejecutado" if r.sin_reporte == "cero"
         else "la operación queda fuera del periodo"),
        ("Agregación sobre la unidad",
         f"media simple de unidades, áreas y {parametros.organizacion.plural}"
         if r.agregacion == "promedio_unidades"
         else "media ponderada por tareas de las operaciones"),
        ("Participación de cada trimestre en la eficacia",
         f"{formatear_numero(PARTICIPACION_TRIMESTRAL)} % cada trimestre"
         if r.participacion == "trimestral_igual" else "la meta del trimestre sobre la meta anual"),
        ("Ejecución mínima para la eficiencia",
         f"{formatear_numero(r.eficiencia_ejecucion_minima)} % "
         f"(con menos, «{NO_SIGNIFICATIVO}»)"),
    ]
    return pd.DataFrame(filas, columns=["indicador", "texto"])


def regla_version(datos, trimestre: int) -> str:
    """La versión del POA que evalúa el informe: la regla y la reformulación en vigor."""
    mes = 3 * trimestre
    version = version_vigente(datos, mes)
    cual = ("el POA inicial: ninguna reformulación se aprobó hasta el corte" if version is None
            else f"la reformulación {version['numero']}, aprobada por "
                 f"{md(version['resolucion'])} el {fecha_larga(version['fecha'].date())}")
    return (
        "### La versión del POA al corte\n\n"
        f"El informe evalúa el POA en vigor al cierre de {nombre_mes(mes)}: {cual}. Una "
        "operación dada de alta después del corte todavía no se evalúa; una dada de baja "
        "hasta el corte ya no se evalúa; una meta o unas tareas cambiadas después del corte "
        "valen lo de antes del cambio. El vigente de cada línea es el del cierre del mes de "
        "corte: el último vigente mensual escrito hasta ese mes (su mes, en `vigente_desde`), "
        "el inicial antes del primero, o la columna vigente en una línea sin vigentes por mes. "
        "Todos los "
        "pasos siguientes usan esta versión."
    )


def regla_cumplimiento(metodologia) -> str:
    tope = ("con tope: un cumplimiento mayor que 100 % cuenta como 100 % (el valor sin tope "
            "se conserva para mostrar la sobre-ejecución)" if metodologia.tope_cumplimiento
            else "sin tope: la sobre-ejecución cuenta tal cual")
    sin_reporte = ("un mes con meta y sin dato de ejecución cuenta como 0 ejecutado"
                   if metodologia.sin_reporte == "cero"
                   else "una operación con un mes con meta y sin dato de ejecución queda fuera "
                        "del periodo")
    return (
        "### §2.1 Cumplimiento de cada operación\n\n"
        "Cumplimiento = ejecutado en el periodo ÷ programado en el periodo × 100, "
        f"{tope}. Una operación sin meta en el periodo, o marcada NO APLICA, queda fuera de "
        f"los promedios; {sin_reporte}. El periodo del trimestre son sus tres meses; el "
        "acumulado, de enero al corte (no es el promedio de los trimestres)."
    )


def regla_unidad() -> str:
    return (
        "### §2.2 Avance físico de cada unidad\n\n"
        "Avance físico de la unidad = Σ (cumplimiento × tareas) ÷ Σ tareas, sobre sus "
        "operaciones programadas en el periodo. Una unidad sin operaciones programadas no "
        "tiene valor («—») y no entra en los promedios de arriba."
    )


def regla_niveles(metodologia, organizacion=ORGANIZACION) -> str:
    """§2.3 con el nombre que la entidad da a su agrupación de áreas (`organizacion`)."""
    singular, plural = md(organizacion.singular), md(organizacion.plural)
    if metodologia.agregacion == "promedio_unidades":
        regla = (
            "Regla en vigor: **promedio de unidades**. Un área es la media simple de sus "
            f"unidades; cada {singular}, la media simple de sus áreas; la entidad, la media "
            f"simple de sus {plural}. Una ACP es la media simple, sobre las unidades con "
            "operaciones en ella, del avance de cada unidad calculado sólo con esas operaciones."
        )
    else:
        regla = (
            f"Regla en vigor: **ponderación por tareas**. Cada área, {singular}, ACP y la "
            "entidad son una sola media de sus operaciones programadas ponderada por tareas."
        )
    return f"### §2.3 Áreas, {plural}, ACP y entidad\n\n{regla}"


def regla_eficacia(metodologia) -> str:
    if metodologia.participacion == "trimestral_igual":
        regla = (f"Eficacia del trimestre = avance físico del trimestre × "
                 f"{formatear_numero(PARTICIPACION_TRIMESTRAL)} %, en cada nivel.")
    else:
        regla = ("Cada operación aporta su cumplimiento del trimestre × (meta del trimestre ÷ "
                 "meta anual); el aporte se lleva a cada nivel con la misma regla de agregación.")
    return (
        "### §2.4 Eficacia\n\n"
        f"{regla} La eficacia acumulada es la **suma** de las eficacias de los trimestres "
        "hasta el corte; un trimestre sin nada programado no suma."
    )


def regla_financiera(organizacion=ORGANIZACION) -> str:
    return (
        "### §3 Ejecución financiera\n\n"
        "Primero se suman los montos de las líneas del presupuesto de cada nivel (la unidad "
        f"de la línea da su área y su {md(organizacion.singular)}; su ACP, la ACP); después, "
        "ejecución = Σ devengado ÷ Σ vigente × 100. Nunca es la media de los porcentajes. El "
        "devengado del trimestre es el de sus tres meses; el acumulado, de enero al corte. Un "
        "vigente de 0 no tiene porcentaje («—»)."
    )


def regla_indicadores(metodologia) -> str:
    minima = metodologia.eficiencia_ejecucion_minima
    umbral = (f"es menor que {formatear_numero(minima)} %" if minima > 0
              else "es 0 o menos")
    return (
        "### §4 y §5 Eficiencia, brecha, calificación y semáforo\n\n"
        "Eficiencia = eficacia ÷ ejecución × 100 y brecha = eficacia − ejecución, en puntos "
        "porcentuales, las dos con la eficacia y la ejecución **redondeadas a dos decimales** "
        "(las cifras que se imprimen; a mitad hacia arriba): quien rehaga la cuenta con las "
        "cifras de la tabla obtiene el mismo resultado. Cuando la ejecución redondeada "
        f"{umbral} (`eficiencia_ejecucion_minima` en los parámetros), la eficiencia no es "
        f"significativa: queda vacía y se muestra «{NO_SIGNIFICATIVO}». La calificación y el "
        "grado salen del avance físico tal como se muestra (dos decimales) según la escala de "
        "los parámetros; el semáforo, de la ejecución acumulada según los umbrales del corte."
    )


def lista_tablas(tablas: dict[str, pd.DataFrame]) -> str:
    """Qué tablas quedan para las demás secciones, con cuántas filas tiene cada una."""
    return "\n".join(f"- `{nombre}`: {len(t)} filas" for nombre, t in tablas.items())


NOMBRES_NIVEL = {"unidad": "Unidades", "area": "Áreas", "acp": "ACP", "entidad": "Entidad"}


def titulo_nivel(nivel: str, organizacion=ORGANIZACION) -> str:
    """El título de las filas de un nivel; el de los grupos de áreas, con el nombre que la
    entidad les da («Servicios», «Direcciones departamentales»)."""
    if nivel == "servicio":
        return f"**{md(organizacion.rotulo_plural)}**"
    return f"**{NOMBRES_NIVEL[nivel]}**"


def regla_departamentos() -> str:
    return (
        "### Las cifras por departamento\n\n"
        "El libro dice el departamento de sus oficinas: cada departamento se calcula como un "
        "grupo de áreas más, con las mismas reglas de los niveles de arriba (una unidad sin "
        "departamento propio está en el de su área; las que no tienen ninguno no entran). Es "
        "la tabla `departamento`, la que dibuja el mapa del tablero."
    )


def regla_reexpresiones(etiqueta: str) -> str:
    return (
        "### Reexpresiones del informe anterior\n\n"
        f"Las tablas del informe {etiqueta} se calculan otra vez con los datos de hoy, al mismo "
        "corte y con la metodología con que se publicaron, y se comparan con las publicadas "
        "cifra por cifra, tal como se imprimen (dos decimales)."
    )
