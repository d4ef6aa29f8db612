"""La sección «Versión del POA evaluada»: qué versión del POA evalúa el informe (la que regía
al cierre del mes de corte), las reformulaciones aprobadas hasta entonces, las operaciones que
entraron, salieron o se reprogramaron desde el POA inicial y las modificaciones del
presupuesto, por área y por ACP. Va sólo cuando el libro trae la historia del POA
(`helpers.calculo.versiones.tiene_versiones`); la portada dice la versión en una línea.

Las versiones las reconstruye `helpers.calculo.versiones` desde el libro tal como se leyó
(`prep.datos`); aquí sólo se redactan. Como en ``helpers.redaccion.textos``: ninguna cifra,
nombre ni resolución se escribe a mano, todo texto del libro entra con ``md`` y las áreas y
unidades se nombran con su nombre, no con su código. Las funciones puras reciben el libro
(`Datos`) y el mes de corte; las que reciben ``prep`` sólo las conectan con la sección.
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.calculo import versiones
from helpers.calculo.tablas import TOTAL
from helpers.comun.calendario import cierre_de_mes, enumerar_meses, fecha_larga
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_monto
from helpers.entrada.datos import Datos
from helpers.redaccion import presentacion
from helpers.redaccion.textos import enumerar

__all__ = [
    "CLASES",
    "COLUMNAS_VERSION",
    "MAXIMO_FILAS",
    "cuadro",
    "cuadro_presupuesto",
    "cuadro_reformulaciones",
    "cuadros_operaciones",
    "descripcion_version",
    "frase_cambio_trimestre",
    "frase_presupuesto",
    "frase_version",
    "hay_historia",
    "linea_portada",
    "mes_corte",
    "meses_en_palabras",
    "parrafo_operaciones",
    "parrafo_presupuesto",
    "parrafo_reformulaciones",
    "parrafo_version",
    "tabla_presupuesto",
    "tabla_reformulaciones",
    "tablas_operaciones",
]

# Títulos y formatos de las columnas propias de esta sección (las comunes, en
# ``presentacion.COLUMNAS``).
COLUMNAS_VERSION = {
    "numero": ("N°", "entero"),
    "resolucion": ("Resolución", "texto"),
    "fecha": ("Fecha de aprobación", "texto"),
    "altas": ("Operaciones incorporadas", "entero"),
    "bajas": ("Operaciones dadas de baja", "entero"),
    "reprogramadas": ("Operaciones reprogramadas", "entero"),
    "en_el_periodo": ("Aprobada en el trimestre", "texto"),
    "unidad": ("Unidad organizacional", "texto"),
    "meta_anual": ("Meta anual", "cantidad"),
    "meta_anterior": ("Meta anual antes", "cantidad"),
    "meta_nueva": ("Meta anual después", "cantidad"),
    "cambio": ("Cambio", "texto"),
    "reformulacion": ("Reformulación N°", "entero"),
}

# Qué cambió de cada operación, con el nombre con que se presenta (rótulo del cuadro).
CLASES = {
    "altas": "Operaciones incorporadas",
    "bajas": "Operaciones dadas de baja",
    "reprogramadas": "Operaciones reprogramadas",
}
_COLUMNAS_CLASE = {
    "altas": ["codigo_operacion", "unidad", "codigo_acp", "descripcion", "meta_anual",
              "reformulacion"],
    "reprogramadas": ["codigo_operacion", "unidad", "codigo_acp", "descripcion",
                      "meta_anterior", "meta_nueva", "cambio", "reformulacion"],
}
_COLUMNAS_CLASE["bajas"] = _COLUMNAS_CLASE["altas"]

# Un cuadro de operaciones más largo que esto se parte por área (un cuadro por área, con su
# nombre en el rótulo), para que se lea sin buscar.
MAXIMO_FILAS = 20


# ---------------------------------------------------------------------------------------
# La versión evaluada
# ---------------------------------------------------------------------------------------

def mes_corte(prep) -> int:
    """El mes del cierre que evalúa el informe (el del corte del trimestre o de la gestión)."""
    return 3 * prep.trimestre


def hay_historia(prep) -> bool:
    """Si el libro trae la historia del POA (y por eso va la sección)."""
    return versiones.tiene_versiones(prep.datos)


def _cierre(gestion: int, mes: int) -> str:
    """'31 de marzo de 2024': el último día de `mes`."""
    return fecha_larga(cierre_de_mes(gestion, mes))


def _mes_de(tabla: pd.DataFrame) -> pd.Series:
    """El mes de aprobación de cada reformulación (una tabla vacía no trae fechas)."""
    return pd.to_datetime(tabla["fecha"]).dt.month


def descripcion_version(version: Mapping | None, nota: str = "") -> str:
    """'reformulado por RM N° 045/2024 de 12 de marzo de 2024 (reformulación N° 1)', o
    'inicial, sin reformulaciones' si rige el POA inicial (`version_vigente` da None);
    `nota` se agrega dentro del paréntesis."""
    if version is None:
        return "inicial, sin reformulaciones"
    return (f"reformulado por {md(version['resolucion'])} de {fecha_larga(version['fecha'])} "
            f"(reformulación N° {int(version['numero'])}{nota})")


def frase_version(datos: Datos, gestion: int, mes: int, *, de_gestion: bool) -> str:
    """La versión que evalúa el informe: el POA en vigor al cierre de `mes`."""
    version = versiones.version_vigente(datos, mes)
    sujeto = "La rendición de cuentas" if de_gestion else "El informe"
    if version is None:
        return (f"{sujeto} evalúa el POA {gestion} en vigor al {_cierre(gestion, mes)}: el POA "
                f"{descripcion_version(None)}.")
    aprobadas = len(versiones.reformulaciones_hasta(datos, mes))
    ultima = (f", la última de las {aprobadas} aprobadas hasta esa fecha" if aprobadas > 1
              else "")
    return (f"{sujeto} evalúa el POA {gestion} en vigor al {_cierre(gestion, mes)}, "
            f"{descripcion_version(version, ultima)}.")


def _nombre_reformulacion(fila) -> str:
    return (f"N° {int(fila['numero'])} ({md(fila['resolucion'])}, de "
            f"{fecha_larga(fila['fecha'])})")


def frase_cambio_trimestre(datos: Datos, gestion: int, mes: int) -> str:
    """Si la versión evaluada cambió desde el cierre del trimestre anterior (en el primer
    trimestre, desde el POA inicial con que empezó la gestión): las reformulaciones
    aprobadas en el trimestre."""
    anterior = mes - 3
    hasta = versiones.reformulaciones_hasta(datos, mes)
    nuevas = hasta[_mes_de(hasta) > anterior]
    if anterior <= 0:
        desde = "del POA inicial con que empezó la gestión"
    else:
        version = versiones.version_vigente(datos, anterior)
        desde = (f"de la versión en vigor al cierre del trimestre anterior "
                 f"({_cierre(gestion, anterior)}), el POA {descripcion_version(version)}")
    if nuevas.empty:
        igual = ("Es el mismo POA inicial con que empezó la gestión" if anterior <= 0
                 else f"Es la misma versión que regía al cierre del trimestre anterior "
                      f"({_cierre(gestion, anterior)})")
        return f"{igual}: en el trimestre no se aprobó ninguna reformulación."
    nombres = [_nombre_reformulacion(f) for _, f in nuevas.iterrows()]
    verbo = ("se aprobó la reformulación" if len(nombres) == 1
             else "se aprobaron las reformulaciones")
    return f"Cambió respecto {desde}: en el trimestre {verbo} {enumerar(nombres)}."


def parrafo_version(prep) -> str:
    """La versión evaluada y, en el informe trimestral, si cambió en el trimestre."""
    mes = mes_corte(prep)
    frase = frase_version(prep.datos, prep.gestion, mes, de_gestion=prep.de_gestion)
    if prep.de_gestion:
        return frase
    return f"{frase} {frase_cambio_trimestre(prep.datos, prep.gestion, mes)}"


def linea_portada(prep) -> str:
    """La línea de la portada: '**Versión del POA evaluada:** POA 2024 reformulado por ...'."""
    version = versiones.version_vigente(prep.datos, mes_corte(prep))
    return (f"**Versión del POA evaluada:** POA {prep.gestion} "
            f"{descripcion_version(version)}.")


# ---------------------------------------------------------------------------------------
# Las reformulaciones
# ---------------------------------------------------------------------------------------

def tabla_reformulaciones(datos: Datos, mes: int, desde: int | None = None) -> pd.DataFrame:
    """Las reformulaciones aprobadas hasta el cierre de `mes`, con la fecha escrita y, si se
    da `desde` (el cierre anterior al periodo), `en_el_periodo`: «Sí» si se aprobó después
    de ese cierre."""
    tabla = versiones.reformulaciones_hasta(datos, mes)
    if desde is not None:
        tabla["en_el_periodo"] = _mes_de(tabla).gt(desde).map({True: "Sí", False: "No"})
    tabla["fecha"] = tabla["fecha"].map(fecha_larga)
    return tabla


def parrafo_reformulaciones(prep) -> str:
    """Cuántas reformulaciones se aprobaron hasta el corte (y en el trimestre)."""
    mes = mes_corte(prep)
    hasta = versiones.reformulaciones_hasta(prep.datos, mes)
    corte = _cierre(prep.gestion, mes)
    if hasta.empty:
        return (f"Hasta el {corte} no se aprobó ninguna reformulación del POA: las operaciones "
                "son las del POA inicial.")
    en_trimestre = int((_mes_de(hasta) > mes - 3).sum())
    if len(hasta) == 1:
        texto = f"Hasta el {corte} se aprobó una reformulación del POA"
        trimestre = ", en el trimestre" if en_trimestre else ", antes del trimestre"
    else:
        texto = f"Hasta el {corte} se aprobaron {len(hasta)} reformulaciones del POA"
        trimestre = (", ninguna en el trimestre" if not en_trimestre
                     else ", todas en el trimestre" if en_trimestre == len(hasta)
                     else f", {en_trimestre} de ellas en el trimestre")
    if not prep.de_gestion:
        texto += trimestre
    cada = "" if len(hasta) == 1 else " cada una"
    return (f"{texto}. El cuadro dice cuántas operaciones incorporó, dio de baja y "
            f"reprogramó{cada}.")


def cuadro(tabla: pd.DataFrame, columnas: list[str], nombre: str, **opciones) -> str:
    """``presentacion.tabla`` con los títulos y formatos de `COLUMNAS_VERSION`."""
    propias = [c for c in columnas if c in COLUMNAS_VERSION]
    titulos = {c: COLUMNAS_VERSION[c][0] for c in propias} | opciones.pop("titulos", {})
    formatos = {c: COLUMNAS_VERSION[c][1] for c in propias} | opciones.pop("formatos", {})
    return presentacion.tabla(tabla, columnas, titulos=titulos, formatos=formatos,
                              nombre=nombre, **opciones)


def cuadro_reformulaciones(prep) -> str:
    """El cuadro de las reformulaciones hasta el corte; vacío si no hay ninguna. En el informe
    trimestral, con la columna que marca las aprobadas en el trimestre."""
    mes = mes_corte(prep)
    tabla = tabla_reformulaciones(prep.datos, mes, None if prep.de_gestion else mes - 3)
    if tabla.empty:
        return ""
    columnas = ["numero", "resolucion", "fecha", "altas", "bajas", "reprogramadas"]
    if not prep.de_gestion:
        columnas.append("en_el_periodo")
    return cuadro(tabla, columnas, "reformulaciones")


# ---------------------------------------------------------------------------------------
# Las operaciones incorporadas, dadas de baja y reprogramadas
# ---------------------------------------------------------------------------------------

def meses_en_palabras(meses: str) -> str:
    """'3,4' (`cambios_de_operaciones`) -> 'marzo y abril'."""
    return enumerar_meses(int(m) for m in str(meses).split(",") if m.strip())


def _cambio(meses: str, tareas_anterior, tareas_nueva) -> str:
    """'programación de marzo y abril; tareas de 1 a 3'."""
    partes = []
    if meses:
        partes.append(f"programación de {meses_en_palabras(meses)}")
    if tareas_anterior != tareas_nueva:
        partes.append(f"tareas de {int(tareas_anterior)} a {int(tareas_nueva)}")
    return "; ".join(partes)


def tablas_operaciones(datos: Datos, mes: int) -> dict[str, pd.DataFrame]:
    """Las operaciones incorporadas (`altas`), dadas de baja (`bajas`) y reprogramadas desde
    el POA inicial hasta la versión del cierre de `mes`, con el nombre de su unidad
    (`unidad`) y su `area`, en el orden de las unidades en el libro; las reprogramadas, con
    lo que cambió en palabras (`cambio`)."""
    libro = getattr(datos, "libro", None) or datos
    unidades = libro.unidades.reset_index(drop=True)
    nombre = dict(zip(unidades["codigo_unidad"], unidades["nombre"]))
    area = dict(zip(unidades["codigo_unidad"], unidades["area"]))
    orden = {c: i for i, c in enumerate(unidades["codigo_unidad"])}
    tablas = {}
    for clase, tabla in versiones.cambios_de_operaciones(libro, 0, mes).items():
        tabla = tabla.copy()
        tabla["unidad"] = tabla["codigo_unidad"].map(nombre)
        tabla["area"] = tabla["codigo_unidad"].map(area)
        if clase == "reprogramadas":
            tabla["cambio"] = [_cambio(*f) for f in zip(
                tabla["meses"], tabla["tareas_anterior"], tabla["tareas_nueva"], strict=True)]
        tabla = tabla.sort_values("codigo_unidad", key=lambda s: s.map(orden), kind="stable")
        tablas[clase] = tabla.reset_index(drop=True)
    return tablas


def parrafo_operaciones(prep) -> str:
    """Cuántas operaciones cambiaron del POA inicial a la versión evaluada."""
    tablas = tablas_operaciones(prep.datos, mes_corte(prep))
    n = {clase: len(t) for clase, t in tablas.items()}
    corte = _cierre(prep.gestion, mes_corte(prep))
    if not any(n.values()):
        return (f"La versión en vigor al {corte} tiene las mismas operaciones que el POA "
                "inicial, con la misma programación y las mismas tareas.")

    def cuantas(k: int, singular: str, plural: str) -> str:
        return f"{k} {singular if k == 1 else plural}"

    partes = [
        cuantas(n["altas"], "operación incorporada", "operaciones incorporadas"),
        cuantas(n["bajas"], "dada de baja", "dadas de baja"),
        cuantas(n["reprogramadas"], "reprogramada", "reprogramadas"),
    ]
    return (f"Del POA inicial a la versión en vigor al {corte} hay {enumerar(partes)} "
            "(su programación mensual o sus tareas cambiaron). Los cuadros siguientes las "
            "detallan con su unidad, su ACP, su meta anual y la reformulación que las aprobó.")


def cuadros_operaciones(prep) -> list[tuple[str, str]]:
    """(rótulo en Markdown, cuadro HTML) de cada clase de cambio que tiene operaciones; una
    clase con más de `MAXIMO_FILAS` va en un cuadro por área, con su nombre en el rótulo.
    Los cuadros de una clase muestran entre todos a lo sumo `filas_por_cuadro` filas
    (`presentacion.repartir_filas`); la lista entera está en la tabla
    `cambios_operaciones` (tablas/ y anexo.xlsx)."""
    salida = []
    for clase, tabla in tablas_operaciones(prep.datos, mes_corte(prep)).items():
        if tabla.empty:
            continue
        partes = [(None, tabla)]
        if len(tabla) > MAXIMO_FILAS:
            partes = list(tabla.groupby("area", sort=False))
        cupos = presentacion.repartir_filas([len(p) for _, p in partes], prep.filas_por_cuadro)
        for (area, parte), cupo in zip(partes, cupos, strict=True):
            rotulo = CLASES[clase] + (f": {md(prep.nombre_area(area))}" if area else "")
            nombre = f"{clase}-{area}" if area else clase
            salida.append((f"**{rotulo}**", cuadro(
                parte, _COLUMNAS_CLASE[clase], nombre, limite=cupo,
                completa=versiones.TABLA_CAMBIOS)))
    return salida


# ---------------------------------------------------------------------------------------
# El presupuesto: inicial, modificaciones y vigente al corte
# ---------------------------------------------------------------------------------------

def _clave(libro: Datos, por: str) -> pd.Series:
    pres = libro.presupuesto
    if por == "area":
        return pres["codigo_unidad"].map(libro.unidades.set_index("codigo_unidad")["area"])
    return pres[por]


def tabla_presupuesto(datos: Datos, mes: int, por: str) -> pd.DataFrame:
    """Por grupo (`por`: `area` o una columna de la hoja presupuesto, como `codigo_acp`):
    el presupuesto `inicial`, las `modificaciones` y el `vigente` al cierre de `mes`, todos
    los grupos (los que no cambiaron también) en el orden del libro y la fila TOTAL."""
    libro = getattr(datos, "libro", None) or datos
    pres = libro.presupuesto
    tabla = pd.DataFrame({
        por: _clave(libro, por).to_numpy(),
        "inicial": versiones.inicial(pres).to_numpy(),
        "vigente": versiones.vigente_al_mes(pres, mes).to_numpy(),
    }).groupby(por, sort=False).sum()
    if por == "area":
        orden = list(pd.unique(libro.unidades["area"]))
    elif por == "codigo_acp":
        orden = list(libro.acp["codigo_acp"])
    else:
        orden = list(tabla.index)
    tabla = tabla.reindex([g for g in orden if g in tabla.index]
                          + [g for g in tabla.index if g not in orden])
    tabla.loc[TOTAL] = tabla.sum()
    tabla["modificaciones"] = tabla["vigente"] - tabla["inicial"]
    return tabla[["inicial", "modificaciones", "vigente"]].rename_axis(por).reset_index()


def cuadro_presupuesto(prep, por: str) -> str:
    """El cuadro del presupuesto inicial, modificado y vigente al corte por área (con su
    nombre) o por ACP (con su descripción)."""
    tabla = tabla_presupuesto(prep.datos, mes_corte(prep), por)
    titulos = {"vigente": f"Vigente al {_cierre(prep.gestion, mes_corte(prep))} (Bs)"}
    if por == "area":
        tabla = prep.con_nombres(tabla)
        columnas = ["area", "inicial", "modificaciones", "vigente"]
    else:
        descripcion = dict(zip(prep.datos.acp["codigo_acp"], prep.datos.acp["descripcion"]))
        descripcion[TOTAL] = "Total de la entidad"
        tabla["descripcion"] = tabla[por].map(descripcion).fillna("")
        columnas = [por, "descripcion", "inicial", "modificaciones", "vigente"]
    return cuadro(tabla, columnas, f"presupuesto-{por}", titulos=titulos, clave_total=por)


def _monto(valor: float) -> str:
    return f"{formatear_monto(abs(valor))} Bs"


def frase_presupuesto(datos: Datos, desde: int, hasta: int, periodo: str,
                      nombres: Mapping[str, str]) -> str:
    """Lo que se movió del presupuesto vigente por área entre el cierre de `desde` (0 = el
    inicial) y el de `hasta`: en qué meses, en qué áreas (con su nombre de `nombres`) subió y
    bajó, y si el total de la entidad cambió. `periodo`: 'el trimestre', 'la gestión'."""
    libro = getattr(datos, "libro", None) or datos
    movido = versiones.presupuesto_movido(libro, desde, hasta, "area")
    if movido.empty:
        return f"En {periodo} no cambió el presupuesto vigente de ninguna área."
    meses = [m for m in range(desde + 1, hasta + 1)
             if not versiones.presupuesto_movido(libro, m - 1, m, "area").empty]
    areas = _clave(libro, "area").nunique()

    def lista(filas: pd.DataFrame) -> str:
        return enumerar([f"{md(nombres.get(a, a))} ({_monto(d)})"
                         for a, d in zip(filas["area"], filas["diferencia"])])

    suben, bajan = movido[movido["diferencia"] > 0], movido[movido["diferencia"] < 0]
    cambios = []
    if not suben.empty:
        cambios.append(f"aumentó en {lista(suben)}")
    if not bajan.empty:
        cambios.append(f"disminuyó en {lista(bajan)}")
    cuantas = (f"en {len(movido)} de las {areas} áreas" if areas > 1 else "en el área")
    texto = (f"En {periodo} el presupuesto vigente cambió en {enumerar_meses(meses)}, "
             f"{cuantas}: {', y '.join(cambios)}.")
    antes, despues = movido["vigente_anterior"].sum(), movido["vigente_nuevo"].sum()
    if round(despues - antes, 2) == 0:
        return texto + (" El presupuesto vigente total de la entidad no cambió: los recursos "
                        "se movieron entre áreas.")
    verbo = "aumentó" if despues > antes else "disminuyó"
    return texto + (f" El presupuesto vigente total de la entidad {verbo} en "
                    f"{_monto(despues - antes)}.")


def parrafo_presupuesto(prep) -> str:
    """Qué se movió del presupuesto en el trimestre (en la rendición, en la gestión) y qué
    dicen los cuadros."""
    mes = mes_corte(prep)
    desde, periodo = (0, "la gestión") if prep.de_gestion else (mes - 3, "el trimestre")
    nombres = dict(zip(prep.areas["area"], prep.areas["nombre"]))
    frase = frase_presupuesto(prep.datos, desde, mes, periodo, nombres)
    return (f"{frase} Los cuadros comparan, por área y por ACP, el presupuesto inicial con el "
            f"vigente al {_cierre(prep.gestion, mes)}, que es el que usa este informe.")
