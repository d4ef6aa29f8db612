"""Tablas del informe como las lee una persona: títulos en castellano, números con formato
boliviano y redondeo de presentación, semáforo y calificación en color.

Sólo cambia la apariencia: los valores vienen de `helpers.calculo.tablas` sin tocar.

Una celda vacía se muestra «—», salvo la eficiencia no significativa, «n.s.»: la de una
fila que tiene la eficacia y la ejecución del mismo periodo pero no la eficiencia (la
ejecución impresa es 0 o menos, o menor que la mínima de los parámetros: ver
`metodologia.eficiencia`). Si la fila no trae esos operandos, la tabla no sabe por qué falta
y muestra «—». Un texto «n.s.» en una columna de números se muestra tal cual.

Una tabla con una nota en ``df.attrs["nota"]`` (p. ej. las de `textos.extremos` cuando hay
empates) la muestra como una fila final que ocupa todas las columnas.

Todo texto de una celda o de un título pasa por ``html.escape``: se ve tal cual, con sus
marcas (``<b>``, ``**``, ``$x$``). El identificador de la tabla se reduce a letras ASCII,
cifras, ``-`` y ``_``, y la tabla lleva la clase ``mathjax_ignore`` para que JupyterLab no
componga como fórmula un ``$...$`` de los datos al revisar los cuadernos.
"""
from __future__ import annotations

import html
import numbers
import re
import unicodedata
from collections.abc import Collection

import pandas as pd

from helpers.comun.calendario import MESES_CORTO
from helpers.comun.literal import CLASE_SIN_MATEMATICA
from helpers.comun.numeros import (
    GUION,
    NO_SIGNIFICATIVO,
    formatear_entero,
    formatear_monto,
    formatear_numero,
    formatear_porcentaje,
)
from helpers.redaccion.paleta import (
    COLOR_CALIFICACION,
    COLOR_SEMAFORO,
    SIMBOLO_SEMAFORO,
    TEXTO_SOBRE,
)

FORMATOS = {
    "pct": formatear_porcentaje,
    "monto": formatear_monto,
    "entero": formatear_entero,
    # Una meta o una cantidad: sin decimales si es entera (2, no 2,00), con dos si no.
    "cantidad": lambda v: (GUION if v is None or pd.isna(v) else
                           formatear_entero(v) if float(v).is_integer() else formatear_numero(v)),
    "anio": lambda v: GUION if v is None or pd.isna(v) else str(int(v)),  # 2024, no 2.024
    "texto": lambda v: (GUION if v is None or (isinstance(v, float) and pd.isna(v)) or v == ""
                        else str(v)),
}

# Títulos y formato de las columnas que usan las tablas del informe.
COLUMNAS = {
    "codigo_acp": ("ACP", "texto"),
    "descripcion": ("Descripción", "texto"),
    "area": ("Área", "texto"),
    "servicio": ("Servicio", "texto"),
    "codigo_unidad": ("Unidad", "texto"),
    "nombre": ("Nombre", "texto"),
    "tipo": ("Tipo", "texto"),
    "categoria_programatica": ("Cat. programática", "texto"),
    "programa": ("Programa", "texto"),
    "fuente": ("Fuente", "texto"),
    "inicial": ("Inicial (Bs)", "monto"),
    "modificaciones": ("Modificaciones (Bs)", "monto"),
    "vigente": ("Vigente (Bs)", "monto"),
    "devengado_trimestre": ("Devengado trimestre (Bs)", "monto"),
    "devengado_acumulado": ("Devengado acumulado (Bs)", "monto"),
    "devengado": ("Devengado (Bs)", "monto"),
    "saldo": ("Saldo (Bs)", "monto"),
    "ejecucion_trimestre": ("Ejecución trimestre", "pct"),
    "ejecucion_acumulada": ("Ejecución acumulada", "pct"),
    "ejecucion": ("Ejecución", "pct"),
    "avance_fisico_trimestre": ("Avance físico trimestre", "pct"),
    "avance_fisico_acumulado": ("Avance físico acumulado", "pct"),
    "avance_fisico": ("Avance físico", "pct"),
    "eficacia_trimestre": ("Eficacia trimestre", "pct"),
    "eficacia_acumulada": ("Eficacia acumulada", "pct"),
    "eficacia": ("Eficacia", "pct"),
    "eficiencia_trimestre": ("Eficiencia trimestre", "pct"),
    "eficiencia_acumulada": ("Eficiencia acumulada", "pct"),
    "brecha_trimestre": ("Brecha trimestre (pp)", "monto"),
    "brecha_acumulada": ("Brecha acumulada (pp)", "monto"),
    "calificacion_trimestre": ("Calificación trimestre", "texto"),
    "calificacion_acumulada": ("Calificación acumulada", "texto"),
    "grado_trimestre": ("Grado de avance", "texto"),
    "semaforo": ("Semáforo", "texto"),
    "codigo_operacion": ("Operación", "texto"),
    "tareas": ("Tareas", "entero"),
    "prog_trimestre": ("Prog. trimestre", "monto"),
    "ejec_trimestre": ("Ejec. trimestre", "monto"),
    "cumplimiento_trimestre": ("Cumplimiento trimestre", "pct"),
    "prog_acumulado": ("Prog. acumulado", "monto"),
    "ejec_acumulado": ("Ejec. acumulado", "monto"),
    "cumplimiento_acumulado": ("Cumplimiento acumulado", "pct"),
    "cumplimiento_sin_tope_acumulado": ("Sin tope acumulado", "pct"),
    "estado": ("Estado", "texto"),
    "medio_verificacion": ("Medio de verificación", "texto"),
    "mes": ("Mes", "entero"),
    "gestion": ("Gestión", "anio"),
    "tipo_alerta": ("Alerta", "texto"),
    "detalle": ("Detalle", "texto"),
    "valor": ("Valor", "monto"),
    "concepto": ("Concepto", "texto"),
    "unidades": ("Unidades", "entero"),
    "minimo": ("Mínimo", "pct"),
    "maximo": ("Máximo", "pct"),
    "indicador": ("Indicador", "texto"),
    "unidad_medida": ("Unidad de medida", "texto"),
    "trimestre": ("Trimestre", "pct"),
    "acumulado": ("Acumulado", "pct"),
    "calificacion": ("Calificación", "texto"),
    "texto": ("Texto", "texto"),
    "grado": ("Grado de avance", "texto"),
    "rango": ("Rango", "texto"),
    "desempeno": ("Desempeño", "texto"),
    "verde": ("Verde (óptimo)", "texto"),
    "amarillo": ("Amarillo (aceptable)", "texto"),
    "rojo": ("Rojo (en observación)", "texto"),
    # La rendición de cuentas: las cifras de la gestión hasta el corte.
    "avance_fisico_anual": ("Avance físico", "pct"),
    "eficacia_anual": ("Eficacia", "pct"),
    "devengado_anual": ("Devengado (Bs)", "monto"),
    "ejecucion_anual": ("Ejecución", "pct"),
    "eficiencia_anual": ("Eficiencia", "pct"),
    "brecha_anual": ("Brecha (pp)", "monto"),
    "calificacion_anual": ("Calificación", "texto"),
    "prog_anual": ("Programado", "monto"),
    "ejec_anual": ("Ejecutado", "monto"),
    "cumplimiento_anual": ("Cumplimiento", "pct"),
    "cumplimiento_sin_tope_anual": ("Cumplimiento sin tope", "pct"),
    "evaluacion": ("Evaluación", "texto"),
    "justificacion": ("Justificación", "texto"),
    "operaciones": ("Operaciones", "entero"),
    "operaciones_cumple": ("CUMPLE", "entero"),
    "operaciones_no_cumple": ("NO CUMPLE", "entero"),
    "operaciones_no_aplica": ("NO APLICA", "entero"),
    "porcentaje": ("%", "pct"),
    "recaudado_anual": ("Recaudado (Bs)", "monto"),
    "rubro": ("Rubro", "texto"),
}



def pivote_mensual(mensual: pd.DataFrame, area: pd.DataFrame, indicador: str) -> pd.DataFrame:
    """Un indicador (eficacia o ejecucion) por área y mes, con el trimestre y el acumulado
    de la tabla de áreas al lado, para leerlos juntos."""
    piv = mensual.pivot(index="area", columns="mes", values=indicador)
    piv = piv.reindex(pd.unique(mensual["area"]))
    piv.columns = [MESES_CORTO[mes - 1] for mes in piv.columns]
    sufijo = {"eficacia": ("eficacia_trimestre", "eficacia_acumulada"),
              "ejecucion": ("ejecucion_trimestre", "ejecucion_acumulada"),
              "avance_fisico": ("avance_fisico_trimestre", "avance_fisico_acumulado")}[indicador]
    resumen = area.set_index("area")[list(sufijo)].rename(
        columns={sufijo[0]: "Trimestre", sufijo[1]: "Acumulado"})
    tabla = piv.join(resumen).reset_index()
    # Las filas de los grupos de áreas van en negrita, como en la tabla por área (`tabla`).
    tabla.attrs["subtotales"] = list(pd.unique(mensual.loc[mensual["nivel"] == "servicio",
                                                           "area"]))
    return tabla


def _celda(valor, formato: str) -> str:
    if isinstance(valor, str) and valor == NO_SIGNIFICATIVO:
        return NO_SIGNIFICATIVO
    return FORMATOS[formato](valor)


def _operandos_eficiencia(columna: str) -> tuple[str, str] | None:
    """eficiencia_acumulada -> (eficacia_acumulada, ejecucion_acumulada); None si la
    columna no es una eficiencia."""
    if columna != "eficiencia" and not columna.startswith("eficiencia_"):
        return None
    sufijo = columna.removeprefix("eficiencia")
    return f"eficacia{sufijo}", f"ejecucion{sufijo}"


def eficiencia_no_significativa(fila: pd.Series, columna: str) -> bool:
    """Si la celda `columna` (una eficiencia) de `fila` es «n.s.»: vacía, con la eficacia y
    la ejecución del mismo periodo presentes en la fila."""
    operandos = _operandos_eficiencia(columna)
    if operandos is None or not pd.isna(fila[columna]):
        return False
    return all(c in fila.index and isinstance(fila[c], numbers.Real)
               and not isinstance(fila[c], bool) and not pd.isna(fila[c]) for c in operandos)


def identificador(nombre: str) -> str:
    """``nombre`` (que puede llevar un nombre de área o un tipo de alerta) como parte de un
    id de HTML: sin tildes, y cada tramo de otros caracteres, un guion."""
    plano = unicodedata.normalize("NFKD", str(nombre)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_-]+", "-", plano).strip("-") or "tabla"


# Columnas de códigos: se leen enteros («OP-ADM-03», no «OP-/ADM-03»).
COLUMNAS_CODIGO = frozenset({"codigo_acp", "codigo_unidad", "codigo_operacion", "codigo",
                             "categoria_programatica"})


def columnas_sin_repetir(df: pd.DataFrame, columnas: list[str]) -> tuple[list[str], list[str]]:
    """Si en `df` cada par trimestre/acumulado de `columnas` tiene valores idénticos en todas
    las filas (el primer trimestre: el acumulado es el trimestre), `columnas` sin las
    acumuladas y las del trimestre que quedan por ambas; si no, `columnas` tal cual. Nunca
    una coincidencia suelta: o el corte repite todas las cifras, o se muestran todas."""
    pares = []
    for col in columnas:
        base = col.removesuffix("_trimestre")
        if col == base or col not in df:
            continue
        pares += [(col, par) for par in (f"{base}_acumulado", f"{base}_acumulada")
                  if par in columnas and par in df]
    if not pares or not len(df) or not all(_iguales(df[a], df[b]) for a, b in pares):
        return list(columnas), []
    quitar = {par for _, par in pares}
    return [c for c in columnas if c not in quitar], [col for col, _ in pares]


def con_inicial(df: pd.DataFrame, columnas: list[str]) -> list[str]:
    """`columnas` con el presupuesto inicial y las modificaciones antes del vigente, si `df`
    los tiene (un libro que los registra: `calculo.tablas.con_inicial`)."""
    if "inicial" not in df.columns or "vigente" not in columnas:
        return list(columnas)
    posicion = columnas.index("vigente")
    return [*columnas[:posicion], "inicial", "modificaciones", *columnas[posicion:]]


def _iguales(a: pd.Series, b: pd.Series) -> bool:
    vacios = a.isna() & b.isna()
    return bool((vacios | (a == b)).all())


def _estilo_color(color: str) -> str:
    return f"background-color: {color}; color: {TEXTO_SOBRE.get(color, '#000000')};"


def repartir_filas(tamanos: list[int], limite: int | None) -> list[int | None]:
    """Cuántas filas muestra cada parte de una tabla que se presenta en varios cuadros (la de
    unidades, un cuadro por área; la de alertas, uno por tipo) para que entre todas no pasen
    de `limite`, como una tabla sola: las partes que caben con una porción pareja del resto
    van enteras y las demás se reparten lo que queda en partes iguales (la diferencia de una
    fila, a las primeras). Cada parte muestra al menos una fila, aunque sean más partes que
    `limite`. Sin `limite`, todas enteras (None)."""
    if limite is None:
        return [None] * len(tamanos)
    cupos: list[int | None] = [0] * len(tamanos)
    resto = limite
    orden = sorted(range(len(tamanos)), key=lambda i: (tamanos[i], i))
    for k, i in enumerate(orden):
        quedan = len(orden) - k
        parejo = resto // quedan
        if tamanos[i] <= parejo:
            cupos[i] = tamanos[i]
            resto -= tamanos[i]
            continue
        # De aquí en adelante ninguna cabe: el resto, en partes iguales, en el orden original.
        grandes = sorted(orden[k:])
        for j, g in enumerate(grandes):
            cupos[g] = max(1, parejo + (1 if j < resto % quedan else 0))
        break
    return cupos


def aviso_recorte(mostradas: int, total: int, completa: str | None) -> str:
    """La frase de una tabla que muestra sólo sus primeras filas: cuántas y dónde están
    todas."""
    texto = (f"Se muestran las primeras {formatear_entero(mostradas)} de "
             f"{formatear_entero(total)} filas.")
    if completa:
        texto += (f" La tabla completa está en tablas/{completa}.csv y en la hoja {completa} "
                  "de anexo.xlsx.")
    return texto


def tabla(
    df: pd.DataFrame,
    columnas: list[str],
    *,
    titulos: dict[str, str] | None = None,
    formatos: dict[str, str] | None = None,
    clave_total: str | None = None,
    nombre: str = "tabla",
    limite: int | None = None,
    completa: str | None = None,
    subtotales: Collection[str] = (),
) -> str:
    """HTML de una tabla lista para el informe (se muestra con IPython.display.HTML).

    `columnas` elige y ordena las columnas; títulos y formatos salen de COLUMNAS salvo que
    se indiquen. Las filas cuyo valor en `clave_total` es TOTAL o uno de los `subtotales` (los
grupos de áreas de la entidad; también los de `df.attrs["subtotales"]`), o cuyo `nivel` es
de grupo o de entidad, van en negrita.
    Las columnas `calificacion_*` se colorean con la paleta del proyecto; el `semaforo`
    lleva delante una figura de su color (● ▲ ■), sin fondo. Una
    eficiencia vacía con sus operandos en la fila se muestra «n.s.»; `df.attrs["nota"]`, si
    la hay, va en una fila final. Una cifra cuyo valor del trimestre y acumulado coinciden en
    todas las filas (todas en el primer trimestre) va en una sola columna.

    `limite`: cuántas filas se muestran a lo sumo (las primeras, en el orden de `df`); si
    hay más, la fila final dice cuántas se muestran y dónde está la tabla entera: en
    `tablas/<completa>.csv` y en la hoja `completa` de `anexo.xlsx`. El HTML y el PDF de un
    libro grande crecen con lo que muestran, no con los datos.
    """
    columnas, fusionadas = columnas_sin_repetir(df, columnas)
    titulos = _titulos_fusionados(dict(titulos or {}), fusionadas)
    tipos = {col: (formatos or {}).get(col, COLUMNAS.get(col, (col, "texto"))[1])
             for col in columnas}
    cabecera = [f'<th class="{_clase(tipos[col])}">'
                f"{html.escape(titulos.get(col, COLUMNAS.get(col, (col, 'texto'))[0]))}</th>"
                for col in columnas]
    nota = df.attrs.get("nota")
    if limite is not None and len(df) > limite:
        nota = " ".join(filter(None, [nota and str(nota), aviso_recorte(limite, len(df),
                                                                        completa)]))
        df = df.head(limite)
    subtotales = (*subtotales, *df.attrs.get("subtotales", ()))
    filas = [_fila(fila, columnas, tipos, clave_total, subtotales) for _, fila in df.iterrows()]
    pie = (f'<tfoot><tr><td class="nota" colspan="{len(columnas)}">{html.escape(str(nota))}'
           "</td></tr></tfoot>" if nota else "")
    return (
        f'<table class="tabla-informe {CLASE_SIN_MATEMATICA}" id="tabla-{identificador(nombre)}">'
        f"<thead><tr>{''.join(cabecera)}</tr></thead>"
        f"<tbody>{''.join(filas)}</tbody>{pie}</table>"
    )


def _titulos_fusionados(titulos: dict[str, str], fusionadas: list[str]) -> dict[str, str]:
    """`titulos` con el de cada columna del trimestre que queda por ella y por la acumulada
    («Avance físico trimestre y acumulado»)."""
    for col in fusionadas:
        titulo = titulos.get(col, COLUMNAS.get(col, (col, "texto"))[0])
        titulos[col] = titulo.replace("trimestre", "trimestre y acumulado", 1)
    return titulos


def _clase(formato: str) -> str:
    """La clase de una celda según su formato: números a la derecha, texto a la izquierda."""
    return "num" if formato != "texto" else "txt"


# Los niveles de las filas de subtotal en las tablas que los indican (columna `nivel`).
NIVELES_SUBTOTAL = ("servicio", "entidad")


def _fila(fila: pd.Series, columnas: list[str], tipos: dict[str, str],
          clave_total: str | None, subtotales: Collection[str] = ()) -> str:
    """Una fila de la tabla; en negrita (clase `total`) si su `clave_total` es TOTAL o uno
    de los `subtotales` (los grupos de áreas), o si su `nivel` es de subtotal."""
    total = clave_total is not None and (
        str(fila[clave_total]) in ("TOTAL", *subtotales)
        or fila.get("nivel") in NIVELES_SUBTOTAL)
    celdas = "".join(_celda_html(fila, col, tipos[col]) for col in columnas)
    clase_fila = ' class="total"' if total else ""
    return f"<tr{clase_fila}>{celdas}</tr>"


def _celda_html(fila: pd.Series, col: str, formato: str) -> str:
    """Una celda: el valor con su formato (o «n.s.»), escapado; el semáforo con su figura
    de color delante y la calificación con su fondo de color."""
    valor = fila[col]
    if eficiencia_no_significativa(fila, col):
        valor = NO_SIGNIFICATIVO
    texto = html.escape(_celda(valor, formato))
    estilo = ""
    if col == "semaforo" and valor in COLOR_SEMAFORO:
        texto = (f'<span class="luz" style="color: {COLOR_SEMAFORO[valor]};">'
                 f"{SIMBOLO_SEMAFORO[valor]}</span> {texto}")
    elif col.startswith("calificacion") and valor in COLOR_CALIFICACION:
        estilo = _estilo_color(COLOR_CALIFICACION[valor])
    clase = _clase(formato)
    if col in COLUMNAS_CODIGO:
        clase += " codigo"  # un código no se parte en dos líneas
    elif col == "semaforo":
        clase += " semaforo"  # la figura y su color, en una línea
    atributo_estilo = f' style="{estilo}"' if estilo else ""
    return f'<td class="{clase}"{atributo_estilo}>{texto}</td>'
