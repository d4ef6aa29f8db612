"""Los formularios de la Formulación del POA, como los lee una persona: las frases y los
cuadros de notebooks/formulacion/ a partir de las tablas de ``helpers.calculo.formulacion``.

Como en ``helpers.redaccion.institucional``: ningún número ni nombre se escribe a mano, todo
sale de las tablas calculadas y de las hojas del libro; las frases son Markdown y todo texto
del libro entra con ``md``; las áreas y las unidades se nombran con su nombre. Las funciones
que arman un cuadro devuelven un ``DataFrame`` (se prueban sin ``prep``) y las que reciben
``prep`` sólo lo conectan con lo que abre cada sección.
"""
from __future__ import annotations

import pandas as pd

from helpers.calculo import versiones
from helpers.calculo.articulacion import hay_articulacion
from helpers.calculo.formulacion import (
    COLUMNAS_TRIMESTRE,
    MONTOS,
    NIVEL_DETALLE,
    NIVEL_ENTIDAD,
    NIVEL_FUENTE,
    fuentes_en_orden,
)
from helpers.calculo.tablas import TOTAL
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_monto
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import analisis, institucional, presentacion, version_poa
from helpers.redaccion.textos import enumerar

__all__ = [
    "COLUMNAS_CUADRO_OPERACIONES",
    "SIN_FUENTE",
    "cuadro_articulacion",
    "cuadro_conteo",
    "cuadro_operaciones",
    "cuadro_presupuesto_categoria",
    "cuadro_presupuesto_unidad",
    "linea_version",
    "operaciones_de_unidad",
    "parrafo_operaciones",
    "parrafo_portada",
    "parrafo_presupuesto",
    "pivote_presupuesto",
    "rotulo_articulacion",
    "unidades_con_operaciones",
]

SIN_FUENTE = "Sin fuente"

# El cuadro de las operaciones de una unidad: columna -> (título, formato); las cifras de
# la programación toman su formato de ``formato_programacion``.
COLUMNAS_CUADRO_OPERACIONES = {
    "codigo_operacion": ("Operación", "texto"),
    "codigo_acp": ("ACP", "texto"),
    "descripcion": ("Descripción", "texto"),
    "indicador": ("Indicador", "texto"),
    "unidad_medida": ("Unidad de medida", "texto"),
    "tareas": ("Tareas", "entero"),
    **{c: (f"Prog. T{c[-1]}", "monto") for c in COLUMNAS_TRIMESTRE},
    "prog_anual": ("Prog. anual", "monto"),
}
_CIFRAS_PROGRAMACION = [*COLUMNAS_TRIMESTRE, "prog_anual"]


def _nombres_unidad(prep) -> dict[str, str]:
    return dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))


def _conteo(prep, concepto: str) -> int:
    conteo = prep.tablas["conteo"].set_index("concepto")
    return int(conteo.loc[concepto, "Total"])


def _vigente_total(prep) -> float:
    tabla = prep.tablas["presupuesto_unidad"]
    return float(tabla.loc[tabla["nivel"] == NIVEL_ENTIDAD, "vigente"].iloc[0])


# ---------------------------------------------------------------------------------------
# Portada
# ---------------------------------------------------------------------------------------

def parrafo_portada(prep) -> str:
    """Qué son estos formularios y el POA que describen: ACP, operaciones, tareas, unidades,
    áreas y presupuesto vigente al corte (de la tabla `conteo` y del Formulario 04)."""
    n = {c: _conteo(prep, c) for c in (
        "Acciones de corto plazo (ACP)", "Operaciones", "Tareas", "Unidades organizacionales",
        "Áreas organizacionales", "Líneas presupuestarias")}
    return (
        f"Estos formularios presentan el Plan Operativo Anual {prep.gestion} del "
        f"{md(prep.entidad)} ({md(prep.sigla)}) en vigor al {prep.fecha_corte}, tal como se "
        "adjuntan a una solicitud de reformulación: su articulación con el PEI y el PDES, las "
        "operaciones de cada unidad con su programación trimestral y el resumen de su "
        "presupuesto. El POA tiene "
        f"{analisis.contar(n['Acciones de corto plazo (ACP)'], 'acción', 'acciones')} de corto "
        f"plazo (ACP) y {analisis.contar(n['Operaciones'], 'operación', 'operaciones')} "
        f"({analisis.contar(n['Tareas'], 'tarea', 'tareas')}) a cargo de "
        f"{analisis.contar(n['Unidades organizacionales'], 'unidad', 'unidades')} "
        f"organizacionales de "
        f"{analisis.contar(n['Áreas organizacionales'], 'área', 'áreas')}, con un presupuesto "
        f"vigente de {formatear_monto(_vigente_total(prep))} Bs en "
        f"{analisis.contar(n['Líneas presupuestarias'], 'línea', 'líneas')} presupuestarias."
    )


def linea_version(prep) -> str:
    """La versión del POA que describen los formularios: la que rige al corte
    (``version_poa.descripcion_version``: la última reformulación aprobada, o el inicial)."""
    version = versiones.version_vigente(prep.datos, 3 * prep.trimestre)
    return (f"**Versión del POA:** POA {prep.gestion} "
            f"{version_poa.descripcion_version(version)}, en vigor al {prep.fecha_corte}.")


def cuadro_conteo(prep) -> str:
    """El alcance del POA por servicio (tabla `conteo`) como HTML."""
    conteo = prep.tablas["conteo"]
    cifras = [c for c in conteo.columns if c != "concepto"]
    return presentacion.tabla(conteo, ["concepto", *cifras],
                              formatos={c: "entero" for c in cifras}, nombre="conteo")


# ---------------------------------------------------------------------------------------
# Formulario 02: articulación
# ---------------------------------------------------------------------------------------

def rotulo_articulacion(prep) -> str:
    """El rótulo en negrita del cuadro (pasa a su leyenda): según haya hoja articulacion."""
    if hay_articulacion(prep.datos.articulacion):
        return "**Del Plan de Desarrollo Económico y Social a las acciones de corto plazo**"
    return "**Articulación de las acciones de mediano y corto plazo**"


def cuadro_articulacion(prep) -> str:
    """La tabla `articulacion` como HTML: con la hoja articulacion, con las celdas de la
    jerarquía unidas (``institucional.articulacion_html``); sin ella, ACP → AMP."""
    tabla = prep.tablas["articulacion"]
    if hay_articulacion(prep.datos.articulacion):
        return institucional.articulacion_html(tabla, nombre="formulario-02")
    tabla = tabla.copy()
    if "codigo_amp" in tabla:
        # Un código como «AMP 1» no se parte en dos renglones: espacio de no separación.
        tabla["codigo_amp"] = tabla["codigo_amp"].str.replace(" ", "\u00a0", regex=False)
    return presentacion.tabla(
        tabla, list(tabla.columns),
        titulos={"codigo_amp": "AMP", "descripcion_acp": "Acción de corto plazo",
                 "resultado_esperado": "Resultado esperado"},
        nombre="formulario-02")


# ---------------------------------------------------------------------------------------
# Operaciones por unidad
# ---------------------------------------------------------------------------------------

def formato_programacion(programacion: pd.DataFrame) -> str:
    """«entero» si todas las cifras programadas son enteras (informes, reuniones); si no,
    «monto» (dos decimales)."""
    cifras = programacion[_CIFRAS_PROGRAMACION].to_numpy().ravel()
    return "entero" if bool((cifras == cifras.round()).all()) else "monto"


def parrafo_operaciones(prep) -> str:
    """Qué muestra la sección: cuántas operaciones de cuántas unidades y áreas, y cómo se
    lee la programación."""
    prog = prep.tablas["programacion"]
    unidades = prog["codigo_unidad"].nunique()
    areas = prog["area"].nunique()
    return (
        f"Las {analisis.contar(len(prog), 'operación', 'operaciones')} del POA en vigor al "
        f"{prep.fecha_corte}, por área y unidad organizacional "
        f"({analisis.contar(areas, 'área', 'áreas')}, "
        f"{analisis.contar(unidades, 'unidad', 'unidades')}): cada una con su acción de corto "
        "plazo (ACP), su indicador y unidad de medida, sus tareas y su meta programada en "
        "cada trimestre (la suma de sus tres meses) y en el año."
    )


def unidades_con_operaciones(prep) -> list[tuple[str, list[tuple[str, str]]]]:
    """Las áreas (en el orden de la hoja unidades) con las unidades que tienen operaciones:
    ``[(area, [(codigo_unidad, nombre), ...]), ...]``."""
    con_ops = set(prep.tablas["programacion"]["codigo_unidad"])
    resultado = []
    for area in prep.areas["area"]:
        del_area = prep.unidades[prep.unidades["area"] == area]
        unidades = [(c, n) for c, n in zip(del_area["codigo_unidad"], del_area["nombre"])
                    if c in con_ops]
        if unidades:
            resultado.append((area, unidades))
    return resultado


def operaciones_de_unidad(programacion: pd.DataFrame, codigo_unidad: str) -> pd.DataFrame:
    """Las operaciones de la unidad (tabla `programacion`, en su orden) con las columnas del
    cuadro (`COLUMNAS_CUADRO_OPERACIONES`). Sin fila de total: las metas de operaciones
    distintas (informes, reuniones) no se suman."""
    ops = programacion[programacion["codigo_unidad"] == codigo_unidad]
    return ops[list(COLUMNAS_CUADRO_OPERACIONES)].reset_index(drop=True)


def cuadro_operaciones(prep, codigo_unidad: str) -> str:
    """El cuadro de las operaciones de una unidad como HTML; las cifras, enteras si todo el
    POA programa cantidades enteras."""
    prog = prep.tablas["programacion"]
    cuadro = operaciones_de_unidad(prog, codigo_unidad)
    formato = formato_programacion(prog)
    return presentacion.tabla(
        cuadro, list(COLUMNAS_CUADRO_OPERACIONES),
        titulos={c: t for c, (t, _) in COLUMNAS_CUADRO_OPERACIONES.items()},
        formatos={c: (formato if c in _CIFRAS_PROGRAMACION else f)
                  for c, (_, f) in COLUMNAS_CUADRO_OPERACIONES.items()},
        nombre=f"operaciones-{codigo_unidad}")


# ---------------------------------------------------------------------------------------
# Formulario 04: resumen presupuestario
# ---------------------------------------------------------------------------------------

def pivote_presupuesto(tabla: pd.DataFrame, clave: str) -> pd.DataFrame:
    """Una tabla del presupuesto de ``helpers.calculo.formulacion`` (formato largo) como
    formulario: una fila por `clave` (y la fila TOTAL al final), el vigente de cada fuente
    (`fuente_1`, `fuente_2`... en el orden de ``fuentes_en_orden``; vacía si la clave no
    tiene líneas de esa fuente), su `total` y, de ese total, el `inicial` y la
    `modificacion`. Sólo cambia la forma: cada cifra es una de la tabla. Las columnas que
    describen la clave (área, nombre, programa) se conservan.
    ``df.attrs["fuentes"]``: columna -> nombre de la fuente («Sin fuente» la vacía)."""
    fuentes = fuentes_en_orden(tabla.loc[tabla["fuente"] != TOTAL, "fuente"])
    columnas = {f: f"fuente_{i}" for i, f in enumerate(fuentes, start=1)}
    claves = list(pd.unique(tabla[clave]))
    ancho = tabla.pivot(index=clave, columns="fuente", values="vigente")
    ancho = ancho.reindex(index=claves, columns=[*fuentes, TOTAL])
    ancho.columns = [*columnas.values(), "total"]
    totales = tabla[tabla["fuente"] == TOTAL].set_index(clave)[["inicial", "modificacion"]]
    describen = [c for c in tabla.columns
                 if c not in (clave, "fuente", "nivel", *MONTOS)]
    descripcion = tabla.drop_duplicates(clave).set_index(clave)[describen]
    resultado = descripcion.reindex(claves).join(ancho).join(totales).reset_index()
    resultado.attrs["fuentes"] = {c: (f or SIN_FUENTE) for f, c in columnas.items()}
    return resultado


def _columnas_montos(prep, pivote: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Las columnas de montos del cuadro y sus títulos: el vigente de cada fuente y su
    total; con la historia del presupuesto o reformulaciones en el libro, también el
    inicial y la modificación (sin ella, el inicial es el vigente y no se repite)."""
    fuentes = pivote.attrs["fuentes"]
    columnas = [*fuentes, "total"]
    titulos = {c: f"Vigente {f} (Bs)" for c, f in fuentes.items()}
    titulos["total"] = "Total vigente (Bs)"
    if versiones.tiene_versiones(prep.datos):
        columnas = ["inicial", *columnas, "modificacion"]
        titulos |= {"inicial": "Inicial (Bs)", "modificacion": "Modificación (Bs)"}
    return columnas, titulos


def cuadro_presupuesto_unidad(prep) -> str:
    """El presupuesto por unidad y fuente (tabla `presupuesto_unidad`) como HTML, con el
    área y la unidad por su nombre."""
    pivote = pivote_presupuesto(prep.tablas["presupuesto_unidad"], "codigo_unidad")
    pivote["area"] = pivote["area"].map(lambda a: prep.nombre_area(a) if a else "")
    cifras, titulos = _columnas_montos(prep, pivote)
    return presentacion.tabla(
        pivote, ["area", "nombre", *cifras],
        titulos={"area": "Área", "nombre": "Unidad organizacional", **titulos},
        formatos={c: "monto" for c in cifras}, clave_total="nombre",
        nombre="presupuesto-unidad")


def cuadro_presupuesto_categoria(prep) -> str:
    """El presupuesto por categoría programática y fuente (tabla `presupuesto_categoria`)
    como HTML."""
    pivote = pivote_presupuesto(prep.tablas["presupuesto_categoria"], "categoria_programatica")
    cifras, titulos = _columnas_montos(prep, pivote)
    return presentacion.tabla(
        pivote, ["categoria_programatica", "programa", *cifras], titulos=titulos,
        formatos={c: "monto" for c in cifras}, clave_total="categoria_programatica",
        nombre="presupuesto-categoria")


def _monto_con_signo(valor: float) -> str:
    signo = "+" if valor > 0 else ("−" if valor < 0 else "")
    return f"{signo}{formatear_monto(abs(valor))} Bs"


def _frase_modificacion(unidad: pd.DataFrame, categoria: pd.DataFrame,
                        entidad: pd.Series) -> str:
    """El inicial de la gestión y lo que cambió hasta el corte, comparados tal como se
    imprimen (al centavo): la modificación del total o, si el total no cambió, entre
    cuántas unidades (o categorías programáticas) se trasladaron montos."""
    inicial = f"{formatear_monto(entidad['inicial'])} Bs"
    if round(entidad["modificacion"], 2) != 0:
        return (f"El presupuesto inicial de la gestión fue de {inicial}; la modificación "
                f"hasta el corte es de {_monto_con_signo(entidad['modificacion'])}")
    for tabla, nivel, singular, plural in (
            (unidad, "unidad", "unidad", "unidades"),
            (categoria, "categoria", "categoría programática", "categorías programáticas")):
        cambiadas = tabla[(tabla["nivel"] == nivel) & (tabla["modificacion"].round(2) != 0)]
        if len(cambiadas):
            return (f"Es igual al inicial de la gestión ({inicial}): las modificaciones hasta "
                    f"el corte trasladan montos entre "
                    f"{analisis.contar(len(cambiadas), singular, plural)} sin cambiar el total")
    return f"Es igual al inicial de la gestión ({inicial}): no tuvo modificaciones"


def parrafo_presupuesto(prep) -> str:
    """El presupuesto vigente al corte: su total, cuánto aporta cada fuente, su inicial y
    la modificación (con la historia del presupuesto en el libro), y cuántas unidades y
    categorías programáticas tienen líneas (las demás unidades no tienen presupuesto
    propio)."""
    unidad = prep.tablas["presupuesto_unidad"]
    categoria = prep.tablas["presupuesto_categoria"]
    entidad = unidad[unidad["nivel"] == NIVEL_ENTIDAD].iloc[0]
    total = float(entidad["vigente"])
    por_fuente = unidad[unidad["nivel"] == NIVEL_FUENTE]
    partes = [f"{formatear_monto(v)} Bs de {md(f) if f else SIN_FUENTE.lower()}"
              + (f" ({pct(100 * v / total)})" if total > 0 else "")
              for f, v in zip(por_fuente["fuente"], por_fuente["vigente"])]
    con_lineas = unidad.loc[unidad["nivel"] == NIVEL_DETALLE, "codigo_unidad"].nunique()
    n_categorias = categoria.loc[categoria["nivel"] == NIVEL_DETALLE,
                                 "categoria_programatica"].nunique()
    sin = len(prep.unidades) - con_lineas
    texto = f"El presupuesto vigente al {prep.fecha_corte} es de {formatear_monto(total)} Bs"
    if len(partes) > 1:
        texto += f": {enumerar(partes)}"
    if versiones.tiene_versiones(prep.datos):
        texto += f". {_frase_modificacion(unidad, categoria, entidad)}"
    categorias = analisis.contar(n_categorias, "categoría programática",
                                 "categorías programáticas")
    texto += (f". Se distribuye en {categorias} a cargo de "
              f"{analisis.contar(con_lineas, 'unidad', 'unidades')}")
    if sin == 1:
        texto += ("; 1 unidad no tiene líneas presupuestarias propias y no figura en el cuadro "
                  "por unidad")
    elif sin > 1:
        texto += (f"; {analisis.contar(sin, 'unidad', 'unidades')} no tienen líneas "
                  "presupuestarias propias y no figuran en el cuadro por unidad")
    return texto + "."
