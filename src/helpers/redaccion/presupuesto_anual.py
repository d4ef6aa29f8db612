"""La ejecución presupuestaria, la relación físico-financiera por unidad y la evolución
trimestral de la Rendición Pública de Cuentas (informe de la gestión).

Las secciones `comun/05_financiera.ipynb` (en su forma anual), `anual/07_fisico_financiera`
y `anual/08_evolucion` sólo presentan: lo que arman con las tablas de
`helpers.calculo.anual` está aquí. Nada se vuelve a calcular: las cifras del año son las de
esas tablas; lo que se agrega (el nombre de la unidad de cada línea, el semáforo de cada
línea al corte, la diferencia entre avance físico y ejecución, el devengado de cada mes)
se toma de ellas o del libro con las reglas de `helpers.calculo.metodologia`.

Las cifras «anuales» son las de la gestión hasta su corte: diciembre, o junio con «corte:
junio»; por eso los títulos de las columnas dicen «anual» sólo con el corte de diciembre
(`titulos_anuales`). Las frases son Markdown: todo texto del libro entra con
`literal.markdown`.
"""
from __future__ import annotations

import math

import pandas as pd

from helpers.calculo import metodologia as m
from helpers.calculo.tablas import TOTAL
from helpers.calculo.versiones import tiene_presupuesto_por_mes
from helpers.comun.calendario import MESES_NOMBRE, TRIMESTRES
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_monto, formatear_numero, redondear
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.redaccion import graficos, graficos_corte, graficos_evolucion
from helpers.redaccion.textos import enumerar, frase_extremos, frase_modificaciones

# Columnas de las tablas de la rendición y su formato en `presentacion.tabla` (los títulos
# dependen del corte: `titulos_anuales`).
FORMATOS_ANUALES = {
    # Las cifras anuales ya tienen su formato en presentacion.COLUMNAS; éstas no.
    "diferencia": "monto",
    "gestion": "pct",
}

# Las columnas de cada cuadro.
COLUMNAS_CATEGORIA = ["categoria_programatica", "fuente", "programa", "unidad", "vigente",
                      "devengado_anual", "ejecucion_anual", "saldo", "semaforo"]
COLUMNAS_FUENTE = ["fuente", "vigente", "devengado_anual", "ejecucion_anual", "saldo"]
COLUMNAS_INGRESOS = ["rubro", "descripcion", "vigente", "recaudado_anual", "ejecucion", "saldo"]

# Unidades por gráfico de la relación físico-financiera: cada parte cabe en una página.
MAXIMO_UNIDADES_GRAFICO = 28


# ---------------------------------------------------------------------------------------
# Títulos según el corte
# ---------------------------------------------------------------------------------------

def etiqueta_periodo(trimestre: int) -> str:
    """'anual' con el corte de diciembre (trimestre 4); si no, 'a junio' (el mes de corte)."""
    return "anual" if trimestre == 4 else f"a {MESES_NOMBRE[3 * trimestre - 1]}"


def titulos_anuales(trimestre: int) -> dict[str, str]:
    """Los títulos de las columnas anuales para `presentacion.tabla(titulos=...)`:
    «Devengado anual (Bs)» con el corte de diciembre, «Devengado a junio (Bs)» con el de
    junio."""
    p = etiqueta_periodo(trimestre)
    return {
        "unidad": "Unidad",
        "descripcion": "Descripción",
        "rubro": "Rubro",
        "devengado_anual": f"Devengado {p} (Bs)",
        "ejecucion_anual": f"Ejecución {p}",
        "avance_fisico_anual": f"Avance físico {p}",
        "eficacia_anual": f"Eficacia {p}",
        "recaudado_anual": f"Recaudado {p} (Bs)",
        "ejecucion": "Recaudación (% del vigente)",
        "diferencia": ("Avance − ejecución (pp)" if trimestre == 4
                       else "Eficacia − ejecución (pp)"),
    }


def titulos_ingresos(trimestre: int) -> dict[str, str]:
    """Los títulos del cuadro de ingresos: como `titulos_anuales`, con el saldo «por
    recaudar» (negativo: se recaudó más de lo presupuestado)."""
    return {**titulos_anuales(trimestre), "saldo": "Saldo por recaudar (Bs)"}


# ---------------------------------------------------------------------------------------
# Ejecución presupuestaria (comun/05_financiera, forma anual)
# ---------------------------------------------------------------------------------------

def sin_total(tabla: pd.DataFrame, clave: str) -> pd.DataFrame:
    """Las filas de `tabla` cuya `clave` no es TOTAL."""
    return tabla[tabla[clave].astype(str) != TOTAL]


def fila_total(tabla: pd.DataFrame, clave: str) -> pd.Series:
    """La fila TOTAL de `tabla` (la última de las tablas de la rendición)."""
    return tabla[tabla[clave].astype(str) == TOTAL].iloc[0]


def categoria_presentable(categoria: pd.DataFrame, unidades: pd.DataFrame, trimestre: int,
                          umbrales) -> pd.DataFrame:
    """La tabla `categoria` de la rendición lista para el cuadro y los gráficos: cada línea
    con el nombre de su unidad (`unidad`, de la hoja unidades; el código si no figura;
    vacío en la fila TOTAL) y su semáforo financiero al corte (`semaforo`, la regla de
    `metodologia.semaforo` sobre la ejecución de la gestión, con los umbrales del trimestre
    de corte). Las demás columnas y el orden de las filas no cambian."""
    tabla = categoria.copy()
    nombres = dict(zip(unidades["codigo_unidad"].astype(str), unidades["nombre"].astype(str)))
    codigos = tabla["codigo_unidad"].fillna("").astype(str)
    tabla["unidad"] = [nombres.get(c, c) for c in codigos]
    tabla["semaforo"] = m.semaforo(tabla["ejecucion_anual"], trimestre, umbrales)
    return tabla


def para_grafico_semaforo(categoria: pd.DataFrame) -> pd.DataFrame:
    """La tabla de `categoria_presentable` con la ejecución de la gestión en la columna que
    lee `graficos_corte.ejecucion_semaforo` (`ejecucion_acumulada`: la del año es la
    acumulada al corte)."""
    return categoria.rename(columns={"ejecucion_anual": "ejecucion_acumulada"})


def devengado_por_mes(presupuesto: pd.DataFrame, trimestre: int) -> pd.DataFrame:
    """El devengado de la entidad en cada mes de la gestión hasta el corte (la suma de las
    columnas `dev_MM` de todas las líneas del presupuesto; un mes puede ser negativo), en
    la forma que lee `graficos_evolucion.devengado_mensual`: columnas area (TOTAL), nivel
    (entidad), mes y devengado. Los meses suman el devengado de la gestión de la tabla
    `categoria`."""
    meses = m.meses_acumulado(trimestre)
    return pd.DataFrame({
        "area": TOTAL,
        "nivel": "entidad",
        "mes": meses,
        "devengado": [float(pd.to_numeric(presupuesto[m.col_dev(mes)]).sum()) for mes in meses],
    })


def tiene_presupuesto_inicial(presupuesto: pd.DataFrame) -> bool:
    """Si el libro registra el presupuesto inicial o el vigente de cada mes (columnas
    `inicial` y `vig_` de la hoja presupuesto)."""
    return tiene_presupuesto_por_mes(presupuesto)


def _semaforo_en_palabras(lineas: pd.DataFrame) -> str:
    conteo = lineas["semaforo"].value_counts()
    partes = [f"{formatear_entero(conteo[c])} en {c}" for c in ("verde", "amarillo", "rojo")
              if c in conteo]
    return ", ".join(partes) if partes else "ninguna tiene semáforo"


def _categorias(lineas: int, categorias: int) -> str:
    if lineas == categorias:
        return "cada una, una categoría programática con su fuente de financiamiento"
    return (f"{formatear_entero(categorias)} categorías programáticas; las que tienen más de "
            "una fuente de financiamiento, una línea por fuente")


def parrafo_presupuesto(categoria: pd.DataFrame, *, gestion: int, acumulado: str,
                        trimestre: int, umbrales, con_inicial: bool = False) -> str:
    """El párrafo que abre la ejecución presupuestaria de la gestión: el vigente y en
    cuántas líneas se reparte, lo devengado de enero al corte (`acumulado`, p. ej. «enero
    a diciembre de 2024»), la ejecución y el saldo, el semáforo de las líneas al corte y
    las líneas de mayor y menor ejecución. `categoria` es la de `categoria_presentable`.
    Sin presupuesto inicial en el libro (`con_inicial` falso) lo dice: las cifras son las
    del vigente."""
    lineas = sin_total(categoria, "categoria_programatica")
    t = fila_total(categoria, "categoria_programatica")
    n_cat = lineas["categoria_programatica"].nunique()
    verde, amarillo = (float(x) for x in umbrales[trimestre])
    texto = (
        f"El presupuesto vigente de la gestión {gestion} es de {formatear_monto(t.vigente)} Bs, "
        f"distribuido en {formatear_entero(len(lineas))} líneas presupuestarias "
        f"({_categorias(len(lineas), n_cat)}). De {acumulado} se devengaron "
        f"{formatear_monto(t.devengado_anual)} Bs, "
        f"una ejecución de {pct(t.ejecucion_anual)}, y queda un saldo sin ejecutar de "
        f"{formatear_monto(t.saldo)} Bs."
    )
    if not con_inicial:
        texto += (" El libro del POA no registra el presupuesto inicial ni sus modificaciones: "
                  "las cifras se refieren al presupuesto vigente.")
    else:
        texto = f"{texto} {frase_modificaciones(categoria)}".rstrip()
    texto += (
        f" Con los umbrales del semáforo al corte (verde desde {pct(verde)}, amarillo desde "
        f"{pct(amarillo)}), las líneas quedan así: {_semaforo_en_palabras(lineas)}."
    )
    rotulos = lineas.assign(linea=[f"{c} ({p})" for c, p in
                                   zip(lineas["categoria_programatica"], lineas["programa"])])
    # Una categoría con dos fuentes se nombra con su fuente: cada rótulo, una línea.
    repetidas = rotulos["linea"].duplicated(keep=False)
    rotulos.loc[repetidas, "linea"] = [f"{r[:-1]}, {f})" for r, f in
                                       zip(rotulos.loc[repetidas, "linea"],
                                           rotulos.loc[repetidas, "fuente"])]
    extremo = frase_extremos(rotulos, "linea", "ejecucion_anual", "La línea", "ejecución")
    return f"{texto} {extremo}".strip()


def frase_fuentes(fuente: pd.DataFrame) -> str:
    """Qué parte del vigente financia cada fuente y cuánto ejecutó, de la mayor a la menor
    por vigente; vacío si el libro no indica fuentes."""
    filas = sin_total(fuente, "fuente")
    if filas.empty:
        return ""
    t = fila_total(fuente, "fuente")
    filas = filas.sort_values("vigente", ascending=False, kind="stable")
    partes = [
        f"{md(f.fuente)} financia el {pct(m.porcentaje(f.vigente, t.vigente))} del vigente y "
        f"ejecutó el {pct(f.ejecucion_anual)}"
        for f in filas.itertuples()
    ]
    inicio = ("Por fuente de financiamiento: " if len(partes) > 1
              else "Hay una sola fuente de financiamiento: ")
    return inicio + "; ".join(partes) + "."


def hay_ingresos(ingresos: pd.DataFrame) -> bool:
    """Si el libro trae la hoja de ingresos (la tabla `ingresos` tiene rubros)."""
    return not sin_total(ingresos, "rubro").empty if len(ingresos) else False


def parrafo_ingresos(ingresos: pd.DataFrame, acumulado: str) -> str:
    """Lo presupuestado (vigente) y lo recaudado de `acumulado` en los rubros de ingresos, el
    porcentaje y el saldo por recaudar; los rubros que recaudaron más que su vigente (con
    saldo negativo) y los que recaudaron menos de la mitad, por su descripción."""
    rubros = sin_total(ingresos, "rubro")
    t = fila_total(ingresos, "rubro")
    texto = (
        f"Los {formatear_entero(len(rubros))} rubros de ingresos tienen un presupuesto vigente "
        f"de {formatear_monto(t.vigente)} Bs. De {acumulado} se recaudaron "
        f"{formatear_monto(t.recaudado_anual)} Bs, el {pct(t.ejecucion)} de lo presupuestado"
    )
    if t.saldo >= 0:
        texto += f", y quedan {formatear_monto(t.saldo)} Bs por recaudar."
    else:
        texto += f": {formatear_monto(-t.saldo)} Bs más de lo presupuestado."
    sobre = rubros[rubros["recaudado_anual"] > rubros["vigente"]]
    if len(sobre):
        nombres = enumerar([f"{md(f.descripcion)} ({pct(f.ejecucion)})"
                            for f in sobre.itertuples()])
        verbo = "superó" if len(sobre) == 1 else "superaron"
        texto += f" {verbo.capitalize()} lo presupuestado: {nombres}."
    bajos = rubros[rubros["ejecucion"].map(lambda v: not pd.isna(v) and redondear(v, 2) < 50)]
    if len(bajos):
        nombres = enumerar([f"{md(f.descripcion)} ({pct(f.ejecucion)})"
                            for f in bajos.itertuples()])
        texto += f" Recaudaron menos de la mitad de lo presupuestado: {nombres}."
    return texto


# ---------------------------------------------------------------------------------------
# Relación físico-financiera por unidad (anual/07_fisico_financiera)
# ---------------------------------------------------------------------------------------

def fisico_del_corte(trimestre: int) -> str:
    """La cifra física que se compara con la ejecución: el avance físico anual con el corte
    de diciembre (las dos cifras son del año entero); con un corte anterior, la eficacia
    (la parte del programa anual cumplida), porque la ejecución es sobre el vigente del
    año y el avance físico, sobre lo programado hasta el corte."""
    return "avance_fisico_anual" if trimestre == 4 else "eficacia_anual"


def columnas_relacion(fisico: str = "avance_fisico_anual") -> list[str]:
    """Las columnas del cuadro por unidad de `relacion_unidades`."""
    return ["nombre", "area", fisico, "ejecucion_anual", "diferencia"]


def explicacion_relacion(trimestre: int) -> str:
    """Qué se compara y cómo se lee la diferencia (según `fisico_del_corte`)."""
    if fisico_del_corte(trimestre) == "avance_fisico_anual":
        que = ("el avance físico de la gestión (el cumplimiento de las metas anuales de las "
               "operaciones)")
        cifra = "el avance físico"
    else:
        que = (f"la eficacia de enero a {MESES_NOMBRE[3 * trimestre - 1]} (la parte del programa "
               "anual cumplida hasta el corte; el avance físico, que mide lo programado sólo "
               "hasta el corte, no se compara con una ejecución sobre el presupuesto del año)")
        cifra = "la eficacia"
    return (f"La relación físico-financiera pone junto {que} y la ejecución financiera (lo "
            f"devengado sobre el presupuesto vigente). La diferencia es {cifra} menos la "
            "ejecución, en puntos porcentuales, calculada con las dos cifras tal como se "
            "imprimen: positiva, las metas avanzaron más que el gasto; negativa, el gasto "
            "avanzó más que las metas.")


def relacion_unidades(unidad: pd.DataFrame, nombre_area,
                      fisico: str = "avance_fisico_anual") -> pd.DataFrame:
    """Cada unidad con su área (por nombre: `nombre_area(codigo)`), su cifra física
    (`fisico`: avance_fisico_anual o eficacia_anual, ver `fisico_del_corte`) y su ejecución
    de la gestión, y la diferencia entre las dos en puntos porcentuales (`diferencia` =
    física − ejecución sobre las cifras impresas, con 2 decimales, como
    `metodologia.brecha`; positiva: las metas avanzaron más que el gasto; vacía si falta una
    de las dos). Ordenadas por la cifra física de mayor a menor (las que no la tienen, al
    final) y, a igual valor impreso, por nombre."""
    tabla = pd.DataFrame({
        "codigo_unidad": unidad["codigo_unidad"].astype(str),
        "nombre": unidad["nombre"].astype(str),
        "area": unidad["area"].map(nombre_area).astype(str),
        fisico: unidad[fisico].astype(float),
        "ejecucion_anual": unidad["ejecucion_anual"].astype(float),
    })
    tabla["diferencia"] = m.brecha(tabla[fisico], tabla["ejecucion_anual"])
    tabla["_mostrado"] = m.redondear_valores(tabla[fisico])
    tabla = tabla.sort_values(["_mostrado", "nombre"], ascending=[False, True],
                              na_position="last", kind="stable")
    return tabla.drop(columns="_mostrado").reset_index(drop=True)


def comparables(relacion: pd.DataFrame) -> pd.DataFrame:
    """Las filas de `relacion_unidades` que tienen avance físico y ejecución (las que se
    pueden comparar), en el mismo orden."""
    return relacion[relacion["diferencia"].notna()].reset_index(drop=True)


def relacion_areas(area: pd.DataFrame, nombre_area,
                   fisico: str = "avance_fisico_anual") -> pd.DataFrame:
    """Las áreas, los servicios y la entidad (tabla `area`, en su orden) con su cifra
    física, su ejecución de la gestión y la diferencia (como en `relacion_unidades`); cada
    área con su nombre (`nombre_area`; servicios y TOTAL quedan tal cual)."""
    tabla = pd.DataFrame({
        "area": area["area"].map(nombre_area).astype(str),
        "nivel": area["nivel"].astype(str),
        fisico: area[fisico].astype(float),
        "ejecucion_anual": area["ejecucion_anual"].astype(float),
    })
    tabla["diferencia"] = m.brecha(tabla[fisico], tabla["ejecucion_anual"])
    return tabla.reset_index(drop=True)


def _nombres_unidades(filas: pd.DataFrame) -> str:
    return enumerar([md(n) for n in filas["nombre"]])


def parrafo_relacion(relacion: pd.DataFrame, total_area: pd.Series, etiqueta: str,
                     fisico: str = "avance_fisico_anual") -> str:
    """Cuántas unidades avanzaron más en sus metas que en su gasto y cuántas al revés, y las
    de mayor diferencia en cada sentido (por nombre; empates, todas); antes, la entidad con
    su avance y su ejecución (`total_area`, la fila TOTAL de la tabla `area`). `etiqueta`:
    «anual» o «a junio». Sólo cuentan las unidades con las dos cifras (`comparables`); las
    demás las explica `frase_sin_comparar`."""
    con_ambas = comparables(relacion)
    nombre = NOMBRE_FISICO[fisico]
    mostrada = con_ambas["diferencia"].map(lambda v: redondear(v, 2))
    mas_fisico, mas_gasto = con_ambas[mostrada > 0], con_ambas[mostrada < 0]
    iguales = len(con_ambas) - len(mas_fisico) - len(mas_gasto)
    texto = (
        f"La entidad alcanzó {'un' if nombre.startswith('avance') else 'una'} {nombre} {etiqueta} "
        f"de {pct(total_area[fisico])} con una ejecución financiera de "
        f"{pct(total_area.ejecucion_anual)}. De las {formatear_entero(len(con_ambas))} unidades "
        f"que tienen {nombre} y ejecución, en {formatear_entero(len(mas_fisico))} "
        f"{_con_articulo(nombre)} supera a la ejecución y en {formatear_entero(len(mas_gasto))} "
        f"la ejecución supera {_con_articulo(nombre, 'a')}"
    )
    texto += f"; en {formatear_entero(iguales)} son iguales." if iguales else "."
    for filas, mayor, sentido in ((mas_fisico, True, _con_articulo(nombre, "de")),
                                  (mas_gasto, False, "de la ejecución")):
        if filas.empty:
            continue
        valores = filas["diferencia"].map(lambda v: redondear(v, 2))
        extremo = valores.max() if mayor else valores.min()
        elegidas = filas[valores == extremo].sort_values("nombre", kind="stable")
        texto += (f" La mayor diferencia a favor {sentido} es la de {_nombres_unidades(elegidas)} "
                  f"({formatear_numero(abs(extremo))} puntos).")
    return texto


def frase_sin_comparar(unidad: pd.DataFrame, nombre_area,
                       fisico: str = "avance_fisico_anual") -> str:
    """Las unidades que no entran en la comparación, por qué y dónde se ven: las que no
    tienen presupuesto propio (vigente 0), contadas por área, con las unidades de esa área
    a cuyo nombre está su presupuesto; y las que no tienen avance físico (sin operaciones
    programadas). Vacía si todas tienen las dos cifras."""
    partes = []
    sin_presupuesto = unidad[unidad["ejecucion_anual"].isna()]
    for area, filas in sin_presupuesto.groupby("area", sort=False):
        del_area = unidad[unidad["area"] == area]
        con = del_area[del_area["ejecucion_anual"].notna()]
        texto = (f"{formatear_entero(len(filas))} "
                 f"{'unidad' if len(filas) == 1 else 'unidades'} de {md(nombre_area(area))} "
                 f"no {'tiene' if len(filas) == 1 else 'tienen'} presupuesto propio")
        if len(con):
            texto += (f" (el presupuesto del área está a nombre de "
                      f"{_nombres_unidades(con)})")
        partes.append(texto)
    sin_avance = unidad[unidad[fisico].isna() & unidad["ejecucion_anual"].notna()]
    if len(sin_avance):
        partes.append(f"{formatear_entero(len(sin_avance))} "
                      f"{'unidad no tiene' if len(sin_avance) == 1 else 'unidades no tienen'} "
                      "operaciones programadas")
    if not partes:
        return ""
    return ("No se comparan por unidad: " + "; ".join(partes) + f". Su {NOMBRE_FISICO[fisico]} "
            "y el gasto de su área se comparan en el cuadro por área.")


def _con_articulo(nombre: str, preposicion: str = "") -> str:
    """'el avance físico', 'al avance físico', 'del avance físico', 'la eficacia', 'a la
    eficacia'."""
    if nombre.startswith("avance"):
        articulo = {"": "el", "a": "al", "de": "del"}[preposicion]
    else:
        articulo = f"{preposicion} la".strip()
    return f"{articulo} {nombre}"


# Cómo se nombra en las frases la cifra física de `fisico_del_corte`.
NOMBRE_FISICO = {"avance_fisico_anual": "avance físico", "eficacia_anual": "eficacia"}


def rotulos_unicos(nombres: pd.Series, codigos: pd.Series,
                   largo: int = graficos.LARGO_ROTULO) -> list[str]:
    """El nombre de cada unidad acortado para un gráfico (`graficos.acortar`); si dos quedan
    iguales, cada uno lleva su código entre paréntesis: cada rótulo, una barra."""
    cortos = [graficos.acortar(n, largo) for n in nombres]
    repetidos = pd.Series(cortos).duplicated(keep=False).to_numpy()
    return [f"{graficos.acortar(n, largo - len(str(c)) - 3)} ({c})" if r else corto
            for n, c, corto, r in zip(nombres, codigos, cortos, repetidos)]


def partes_iguales(n: int, maximo: int) -> list[range]:
    """Los tramos de posiciones 0..n-1 en partes casi iguales de a lo sumo `maximo`."""
    if n <= 0:
        return []
    k = math.ceil(n / maximo)
    base, resto = divmod(n, k)
    tramos, inicio = [], 0
    for i in range(k):
        largo = base + (1 if i < resto else 0)
        tramos.append(range(inicio, inicio + largo))
        inicio += largo
    return tramos


def graficos_relacion(relacion: pd.DataFrame, etiqueta: str,
                      maximo: int = MAXIMO_UNIDADES_GRAFICO,
                      fisico: str = "avance_fisico_anual") -> list:
    """Barras pareadas de la cifra física (`fisico`: avance físico o eficacia) y la ejecución
    de cada unidad (`graficos_corte.fisico_financiero`), en el orden de `relacion`, en partes
    de a lo sumo `maximo` unidades con «(parte i de k)» en el título; la leyenda dice «anual» (o
    «a junio»)."""
    datos = relacion.assign(
        rotulo=rotulos_unicos(relacion["nombre"], relacion["codigo_unidad"]),
        **{"avance_fisico_acumulado" if fisico == "avance_fisico_anual" else "eficacia_acumulada":
           relacion[fisico]},
        ejecucion_acumulada=relacion["ejecucion_anual"],
    )
    tramos = partes_iguales(len(datos), maximo)
    base = f"{NOMBRE_FISICO[fisico].capitalize()} y ejecución {etiqueta} por unidad"
    figuras = []
    for i, tramo in enumerate(tramos):
        titulo = base if len(tramos) == 1 else f"{base} (parte {i + 1} de {len(tramos)})"
        fig = graficos_corte.fisico_financiero(
            datos.iloc[list(tramo)], "rotulo", titulo=titulo, periodo="acumulado",
            fisico="avance" if fisico == "avance_fisico_anual" else "eficacia",
            incluir_total=False, texto_periodo=etiqueta)
        figuras.append(fig)
    return figuras


# ---------------------------------------------------------------------------------------
# Evolución trimestral (anual/08_evolucion)
# ---------------------------------------------------------------------------------------

# El trimestre como pronombre: «fue de 21,00 % en el primero».
ORDINAL = {1: "primero", 2: "segundo", 3: "tercero", 4: "cuarto"}


def rotulo_trimestre(t: int) -> str:
    """'T1'."""
    return f"T{int(t)}"


def titulos_trimestres(trimestre: int) -> dict[str, str]:
    """Los títulos de las columnas de `pivote_trimestral`: «Primer trimestre» ... y la
    gestión («Gestión (enero a diciembre)»)."""
    titulos = {rotulo_trimestre(t): f"{TRIMESTRES[t].capitalize()} trimestre"
               for t in range(1, trimestre + 1)}
    titulos["gestion"] = f"Gestión (enero a {MESES_NOMBRE[3 * trimestre - 1]})"
    return titulos


def formatos_trimestres(trimestre: int) -> dict[str, str]:
    """Porcentaje en cada columna de trimestre y en la de la gestión."""
    return {**{rotulo_trimestre(t): "pct" for t in range(1, trimestre + 1)}, "gestion": "pct"}


def pivote_trimestral(trimestral: pd.DataFrame, area: pd.DataFrame, indicador: str,
                      nombre_area=None) -> pd.DataFrame:
    """Un indicador (`eficacia` o `ejecucion`) por área (filas) y trimestre (columnas T1 ..
    hasta el de corte), con la cifra de la gestión al lado (`gestion`: `eficacia_anual` o
    `ejecucion_anual` de la tabla `area`). Sólo las áreas, en el orden de la tabla, y la
    entidad (TOTAL) al final; sin los servicios. `nombre_area`, si se da, escribe cada área
    con su nombre (TOTAL queda tal cual)."""
    filas = trimestral[trimestral["nivel"].isin(["area", "entidad"])]
    piv = filas.pivot(index="area", columns="trimestre", values=indicador)
    orden = list(pd.unique(filas.loc[filas["nivel"] == "area", "area"]))
    orden += list(pd.unique(filas.loc[filas["nivel"] == "entidad", "area"]))
    piv = piv.reindex(index=orden, columns=sorted(piv.columns))
    piv.columns = [rotulo_trimestre(t) for t in piv.columns]
    anual = area.set_index("area")[f"{indicador}_anual"]
    piv["gestion"] = anual.reindex(piv.index).to_numpy()
    piv = piv.reset_index()
    if nombre_area is not None:
        piv["area"] = piv["area"].map(nombre_area)
    return piv


def parrafo_evolucion(trimestral: pd.DataFrame, area_total: pd.Series, gestion: int) -> str:
    """La eficacia y la ejecución de la entidad en cada trimestre hasta el corte, el
    trimestre de mayor ejecución (empates, todos) y las cifras de la gestión
    (`area_total`, la fila TOTAL de la tabla `area`)."""
    ent = trimestral[trimestral["nivel"] == "entidad"].sort_values("trimestre", kind="stable")
    trimestres = [int(t) for t in ent["trimestre"]]

    def serie(col: str) -> str:
        return enumerar([f"{pct(v)} en el {ORDINAL[t]}" for t, v in zip(trimestres, ent[col])])

    texto = (
        f"Trimestre a trimestre, la eficacia de la entidad (la parte del programa anual "
        f"cumplida en cada trimestre) fue de {serie('eficacia')}; su ejecución financiera (lo "
        f"devengado en el trimestre sobre el vigente), de {serie('ejecucion')}."
    )
    mostrada = ent["ejecucion"].map(lambda v: redondear(v, 2) if not pd.isna(v) else v)
    if len(trimestres) > 1 and mostrada.notna().any():
        maximo = mostrada.max()
        mejores = [ORDINAL[t] for t, v in zip(trimestres, mostrada) if v == maximo]
        if len(mejores) == 1:
            texto += f" El trimestre de mayor ejecución fue el {mejores[0]} ({pct(maximo)})."
        else:
            texto += (f" La mayor ejecución ({pct(maximo)}) se dio por igual en los trimestres "
                      f"{enumerar(mejores)}.")
    ultimo = TRIMESTRES[trimestres[-1]] if trimestres else ""
    texto += (
        f" En la gestión {gestion}, hasta el {ultimo} trimestre, la eficacia acumulada es de "
        f"{pct(area_total.eficacia_anual)} y la ejecución de {pct(area_total.ejecucion_anual)}."
    )
    return texto


def grafico_evolucion(trimestral: pd.DataFrame, sigla_area=None, titulo: str | None = None):
    """Un panel por área y uno de la entidad con la eficacia y la ejecución financiera de
    cada trimestre (`graficos_evolucion.ejecucion_mensual` sobre los trimestres, rotulados
    T1 .. T4). `sigla_area` escribe cada área con su forma corta."""
    datos = trimestral[trimestral["nivel"].isin(["area", "entidad"])].rename(
        columns={"trimestre": "mes"})
    if sigla_area is not None:
        datos = datos.assign(area=datos["area"].map(sigla_area))
    trimestres = sorted(int(t) for t in pd.unique(datos["mes"]))
    return graficos_evolucion.ejecucion_mensual(
        datos, "eficacia",
        titulo=titulo or "Eficacia y ejecución financiera por trimestre",
        rotulos={t: rotulo_trimestre(t) for t in trimestres})


# ---------------------------------------------------------------------------------------
# Lo que llaman los cuadernos (con el `Preparado` de la sección)
# ---------------------------------------------------------------------------------------

def categoria_gestion(prep) -> pd.DataFrame:
    """`categoria_presentable` con las tablas, las unidades y los umbrales de `prep`."""
    return categoria_presentable(prep.tablas["categoria"], prep.unidades, prep.trimestre,
                                 prep.metodologia.semaforo_financiero)


def parrafo_presupuesto_gestion(prep, categoria: pd.DataFrame) -> str:
    """`parrafo_presupuesto` con los datos de `prep` (`categoria`: la de `categoria_gestion`)."""
    return parrafo_presupuesto(
        categoria, gestion=prep.gestion, acumulado=prep.acumulado, trimestre=prep.trimestre,
        umbrales=prep.metodologia.semaforo_financiero,
        con_inicial=tiene_presupuesto_inicial(prep.datos.presupuesto))


def fila_entidad(prep) -> pd.Series:
    """La fila TOTAL (la entidad) de la tabla `area` de la rendición."""
    return fila_total(prep.tablas["area"], "area")
