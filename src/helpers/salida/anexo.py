"""El anexo en Excel: las tablas del informe y, al lado, todo el cálculo como fórmulas vivas.

Dos testigos en un libro:

1. Las tablas. Cada tabla va en una hoja con su nombre y los valores de su CSV. Las columnas
   de porcentaje que se pueden deducir de los montos de la misma fila (ejecución, saldo,
   eficacia del trimestre, eficiencia, brecha, cumplimiento de una operación) se escriben
   como fórmulas; lo demás (avance físico de un agregado, eficacia acumulada, calificación,
   semáforo) son valores. La eficiencia y la brecha usan ROUND(...; 2) de sus operandos,
   como el informe (§4), y la eficiencia queda vacía con una ejecución menor que la mínima
   de los parámetros. Antes de escribir una fórmula se comprueba que da el mismo número
   que la tabla: si no, es un error del cálculo y se detiene.
2. La cadena de cálculo (`helpers.salida.anexo_cadena`, cuando se pasan los datos): las hojas
   parametros, operaciones, presupuesto, unidades, acp_unidad, acps, areas, servicios y
   entidad rehacen todo con fórmulas desde las metas, lo ejecutado y el devengado de cada
   mes: cumplimiento con su tope, avance físico ponderado por tareas, medias por nivel,
   eficacia, ejecución, eficiencia, brecha, calificación y semáforo, con las reglas y
   umbrales de la hoja parametros. tests/test_anexo_recalculo.py las recalcula en
   LibreOffice y compara cada celda con las tablas.

El libro no guarda resultados de sus fórmulas: Excel y LibreOffice las calculan al abrirlo
(`fullCalcOnLoad`).

El texto de los datos se guarda siempre como texto (celda ``inlineStr``), nunca como fórmula,
aunque empiece con ``=``; si empieza con = + - @, tabulador o retorno de carro lleva además el
prefijo de comilla de Excel (``quotePrefix``), para que siga siendo texto si alguien edita
la celda. Las únicas fórmulas del libro son las de este módulo y las de `anexo_cadena`.

openpyxl escribe el encabezado, los anchos, los filtros y los estilos de cada hoja; las filas
de datos se escriben directamente en XML y `_guardar` las pone en su hoja: el escritor de
openpyxl tarda decenas de µs por celda, y el anexo de una entidad grande tiene millones. Se
escriben columna por columna (`_columna_xml`): una de números de numpy se convierte entera de
una vez y una de textos sin preguntar el tipo de cada valor; las demás, celda por celda
(`_valor_celda`, `_celda_xml`), con el mismo resultado.

Formatos: códigos de Excel (`#,##0.00` montos, `0.00` porcentajes, `#,##0` enteros); Excel
y LibreOffice los muestran con los separadores de la configuración regional del lector.
"""
from __future__ import annotations

import io
import math
import numbers
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.writer.excel import ExcelWriter

from helpers.calculo.metodologia import (
    EFICIENCIA_EJECUCION_MINIMA,
    PARTICIPACION_TRIMESTRAL,
    brecha,
    eficiencia,
)
from helpers.redaccion.literal import PREFIJOS_FORMULA

__all__ = ["FORMATO_ENTERO", "FORMATO_MONTO", "FORMATO_PORCENTAJE", "escribir_anexo"]

FORMATO_MONTO = "#,##0.00"
FORMATO_PORCENTAJE = "0.00"
FORMATO_ENTERO = "#,##0"
FORMATO_CODIGO = "0"  # gestión, mes, trimestre, códigos: sin separador de miles
FORMATO_DECIMAL = "#,##0.00"
FORMATO_FECHA = "yyyy-mm-dd"

HOJA_LEEME = "leeme"
FILAS_SUBTOTAL = {"TOTAL", "CENTRAL", "EXTERIOR"}

ANCHO_MINIMO = 8
ANCHO_MAXIMO = 60

_PREFIJOS_PORCENTAJE = (
    "ejecucion", "eficacia", "eficiencia", "brecha", "avance", "cumplimiento",
    "participacion", "porcentaje",
)
_PREFIJOS_MONTO = (
    "vigente", "devengado", "saldo", "inicial", "modificacion", "modificado",
    "presupuesto", "monto", "importe", "comprometido", "pagado",
)
_NOMBRES_CODIGO = {"gestion", "anio", "año", "mes", "trimestre", "semestre", "numero", "nro"}
_CARACTERES_PROHIBIDOS_HOJA = re.compile(r"[\[\]:*?/\\]")

# Tolerancia de la comprobación fórmula = tabla (los porcentajes están en escala 0-100).
_TOLERANCIA = 1e-9

# Valor por omisión de `participacion_trimestral`: la de `metodologia`, o 25 sin ella.
_SEGUN_METODOLOGIA = object()


@dataclass(frozen=True)
class _Regla:
    """Una columna que se escribe como fórmula sobre otras columnas de la misma fila."""

    columna: str
    entradas: tuple[str, ...]
    formula: Callable[..., str]  # letras de celda de las entradas -> texto sin "="
    valor: Callable[..., float | None]  # valores de las entradas -> valor (None = vacía)
    descripcion: str  # para la hoja leeme


def _cociente(num: float, den: float) -> float | None:
    return num / den * 100 if den > 0 else None


def _numero_formula(x: float) -> str:
    """Un número literal dentro de una fórmula (punto decimal: así lo guarda el archivo)."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _redondeo(celda: str) -> str:
    """Una celda redondeada a 2 decimales, como se imprime (ROUND: a mitad lejos de cero)."""
    return f"ROUND({celda},2)"


def _sin_nan(x: float) -> float | None:
    return None if math.isnan(x) else x


def _reglas(
    tope_cumplimiento: bool,
    participacion_trimestral: float | None,
    eficiencia_minima: float = EFICIENCIA_EJECUCION_MINIMA,
    celda_minima: str | None = None,
) -> list[_Regla]:
    """Las fórmulas de las hojas de tablas. `eficiencia_minima`: la ejecución mínima de la
    eficiencia; `celda_minima`, la celda de la hoja parametros que la tiene (con la cadena
    de cálculo), o None para escribirla como número en la fórmula."""
    reglas: list[_Regla] = []
    minima = celda_minima or _numero_formula(eficiencia_minima)

    # Ejecución financiera y saldo.
    for col, dev in (
        ("ejecucion_trimestre", "devengado_trimestre"),
        ("ejecucion_acumulada", "devengado_acumulado"),
        ("ejecucion_anual", "devengado_anual"),  # la rendición de cuentas
        ("ejecucion", "devengado"),
        ("ejecucion", "recaudado_anual"),  # los ingresos de la rendición de cuentas
    ):
        reglas.append(_Regla(
            col, (dev, "vigente"),
            lambda d, v: f'IF({v}>0,{d}/{v}*100,"")',
            lambda d, v: _cociente(d, v),
            f"{dev} / vigente × 100 (vacía si vigente no es mayor que 0)",
        ))
    for dev in ("devengado_acumulado", "devengado_anual", "devengado", "recaudado_anual"):
        reglas.append(_Regla(
            "saldo", ("vigente", dev),
            lambda v, d: f"{v}-{d}",
            lambda v, d: v - d,
            f"vigente − {dev}",
        ))

    # Las modificaciones presupuestarias: del inicial al vigente del corte.
    reglas.append(_Regla(
        "modificaciones", ("vigente", "inicial"),
        lambda v, i: f"{v}-{i}",
        lambda v, i: v - i,
        "vigente − inicial",
    ))

    # Eficacia del trimestre (la acumulada es suma de trimestres y queda como valor).
    if participacion_trimestral is not None:
        p = float(participacion_trimestral)
        literal = _numero_formula(p)
        reglas.append(_Regla(
            "eficacia_trimestre", ("avance_fisico_trimestre",),
            lambda a: f"{a}*{literal}/100",
            lambda a: a * p / 100,
            f"avance_fisico_trimestre × {literal} / 100",
        ))

    # Eficiencia y brecha físico-financiera (§4): sobre los operandos redondeados a 2
    # decimales, como se imprimen; la eficiencia queda vacía (n.s.) si la ejecución
    # redondeada no es mayor que 0 o es menor que la mínima.
    texto_minima = ("la ejecución mínima de la hoja parametros" if celda_minima
                    else f"la ejecución mínima, {minima} %")
    for sufijo in ("_trimestre", "_acumulada", "_anual", ""):
        efic, ejec = f"eficacia{sufijo}", f"ejecucion{sufijo}"

        def formula_eficiencia(f: str, e: str) -> str:
            # N(): la ejecución puede ser una fórmula que da vacío ("").
            mostrada = _redondeo(f"N({e})")
            return (f'IF(AND({mostrada}>0,{mostrada}>={minima}),'
                    f'{_redondeo(f)}/{_redondeo(e)}*100,"")')

        reglas.append(_Regla(
            f"eficiencia{sufijo}", (efic, ejec),
            formula_eficiencia,
            lambda f, e: _sin_nan(eficiencia(f, e, eficiencia_minima)),
            f"ROUND({efic}; 2) / ROUND({ejec}; 2) × 100 (vacía, «n.s.», si ROUND({ejec}; 2) "
            f"no es mayor que 0 o es menor que {texto_minima})",
        ))
        reglas.append(_Regla(
            f"brecha{sufijo}", (efic, ejec),
            lambda f, e: f"{_redondeo(f)}-{_redondeo(e)}",
            lambda f, e: brecha(f, e),
            f"ROUND({efic}; 2) − ROUND({ejec}; 2) (puntos porcentuales)",
        ))

    # Cumplimiento de una operación.
    for col, ejec, prog, tope in (
        ("cumplimiento_trimestre", "ejec_trimestre", "prog_trimestre", tope_cumplimiento),
        ("cumplimiento_acumulado", "ejec_acumulado", "prog_acumulado", tope_cumplimiento),
        ("cumplimiento_sin_tope_trimestre", "ejec_trimestre", "prog_trimestre", False),
        ("cumplimiento_sin_tope_acumulado", "ejec_acumulado", "prog_acumulado", False),
        ("cumplimiento_anual", "ejec_anual", "prog_anual", tope_cumplimiento),
        ("cumplimiento_sin_tope_anual", "ejec_anual", "prog_anual", False),
    ):
        if tope:
            reglas.append(_Regla(
                col, (ejec, prog),
                lambda e, p: f'IF({p}>0,MIN({e}/{p},1)*100,"")',
                lambda e, p: min(e / p, 1) * 100 if p > 0 else None,
                f"mín({ejec} / {prog}; 1) × 100 (vacía si {prog} es 0)",
            ))
        else:
            reglas.append(_Regla(
                col, (ejec, prog),
                lambda e, p: f'IF({p}>0,{e}/{p}*100,"")',
                lambda e, p: _cociente(e, p),
                f"{ejec} / {prog} × 100, sin tope (vacía si {prog} es 0)",
            ))
    return reglas


def _reglas_de_tabla(columnas: list[str], reglas: list[_Regla]) -> dict[str, _Regla]:
    """La primera regla aplicable a cada columna (todas sus entradas están en la tabla)."""
    elegidas: dict[str, _Regla] = {}
    for r in reglas:
        if (
            r.columna in columnas
            and r.columna not in elegidas
            and all(e in columnas and e != r.columna for e in r.entradas)
        ):
            elegidas[r.columna] = r
    return elegidas


def _vacio(valor) -> bool:
    if valor is None or valor is pd.NA or valor is pd.NaT:
        return True
    try:
        return bool(pd.isna(valor))
    except (TypeError, ValueError):
        return False


def _numero(valor) -> float | None:
    """El valor como float si es un número finito; None si está vacío o no es número."""
    if _vacio(valor) or isinstance(valor, bool) or not isinstance(valor, numbers.Real):
        return None
    x = float(valor)
    return x if math.isfinite(x) else None


def _iguales(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=_TOLERANCIA, abs_tol=_TOLERANCIA)


def _es_porcentaje(col: str) -> bool:
    c = col.lower()
    return c.startswith(_PREFIJOS_PORCENTAJE) or c.endswith(("_pct", "_porcentaje"))


def _es_monto(col: str) -> bool:
    c = col.lower()
    return c.startswith(_PREFIJOS_MONTO) or c.endswith("_bs")


def _es_codigo(col: str) -> bool:
    c = col.lower()
    return c in _NOMBRES_CODIGO or c.startswith(("codigo", "cod_", "id_")) or c == "id"


def _formato_columna(col: str, serie: pd.Series) -> str | None:
    """El formato de número de una columna según su nombre y su contenido."""
    if _es_porcentaje(col):
        return FORMATO_PORCENTAJE
    if _es_monto(col):
        return FORMATO_MONTO
    if _numerica(serie):
        valores = serie.to_numpy(dtype=float)
        valores = valores[~np.isnan(valores)]
        if not len(valores):
            return None
        finitos = valores[np.isfinite(valores)]
        if (finitos == np.floor(finitos)).all():
            return FORMATO_CODIGO if _es_codigo(col) else FORMATO_ENTERO
        return FORMATO_DECIMAL
    if _de_textos(serie):
        return None
    valores = [v for v in serie.tolist() if not _vacio(v)]
    if not valores or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in valores
    ):
        if valores and all(isinstance(v, (datetime, date)) for v in valores):
            return FORMATO_FECHA
        return None
    if all(float(v).is_integer() for v in valores if math.isfinite(float(v))):
        return FORMATO_CODIGO if _es_codigo(col) else FORMATO_ENTERO
    return FORMATO_DECIMAL


def _valor_celda(valor, hoja: str, fila: int, col: str):
    """Convierte un valor de pandas/numpy en uno que openpyxl escribe tal cual."""
    if _vacio(valor):
        return None
    if isinstance(valor, bool):
        return valor
    if hasattr(valor, "item") and not isinstance(valor, (str, bytes)):
        try:
            valor = valor.item()  # escalares de numpy
        except (ValueError, AttributeError):
            pass
    if isinstance(valor, pd.Timestamp):
        valor = valor.to_pydatetime()
    if isinstance(valor, datetime) and valor.tzinfo is not None:
        valor = valor.astimezone(UTC).replace(tzinfo=None)
    if isinstance(valor, numbers.Integral) and not isinstance(valor, bool):
        return int(valor)
    if isinstance(valor, numbers.Real):
        x = float(valor)
        if not math.isfinite(x):
            raise ValueError(
                f"anexo, hoja {hoja}, fila {fila}, columna {col}: valor no finito ({x}); "
                "un valor indefinido debe ser NaN (celda vacía)"
            )
        return x
    if isinstance(valor, (datetime, date)):
        return valor
    return ILLEGAL_CHARACTERS_RE.sub("", str(valor))


def _texto_mostrado(valor, formato: str | None) -> str:
    """Una aproximación del texto que Excel muestra, para el ancho de columna."""
    if valor is None:
        return ""
    if isinstance(valor, str):
        return max(valor.split("\n"), key=len)
    if isinstance(valor, bool):
        return "VERDADERO" if valor else "FALSO"
    if isinstance(valor, (int, float)):
        if formato in (FORMATO_MONTO, FORMATO_DECIMAL):
            return f"{valor:,.2f}"
        if formato == FORMATO_PORCENTAJE:
            return f"{valor:.2f}"
        if formato == FORMATO_ENTERO:
            return f"{valor:,.0f}"
        if formato == FORMATO_CODIGO:
            return f"{valor:.0f}"
        return repr(valor)
    if isinstance(valor, (datetime, date)):
        return "yyyy-mm-dd"
    return str(valor)


def _validar_nombres(tablas: dict[str, pd.DataFrame], reservadas: tuple[str, ...] = ()) -> None:
    vistos = {HOJA_LEEME, *(r.lower() for r in reservadas)}
    for nombre in tablas:
        if not isinstance(nombre, str) or not nombre.strip():
            raise ValueError(f"anexo: nombre de hoja inválido: {nombre!r}")
        if len(nombre) > 31 or _CARACTERES_PROHIBIDOS_HOJA.search(nombre) or nombre.startswith("'"):
            raise ValueError(
                f"anexo: '{nombre}' no sirve como nombre de hoja de Excel "
                "(máximo 31 caracteres, sin [ ] : * ? / \\)"
            )
        if nombre.lower() in vistos:
            raise ValueError(f"anexo: hoja repetida o reservada: '{nombre}'")
        vistos.add(nombre.lower())


_NEGRITA = Font(bold=True)
_RELLENO_ENCABEZADO = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
_ALINEACION_ENCABEZADO = Alignment(vertical="center")


class _Estilos:
    """Índices de estilo de celda del libro (formato de número, negrita, comilla), para
    escribir las filas de datos directamente en XML."""

    def __init__(self, ws):
        self.ws = ws
        self.cache: dict[tuple, str] = {}

    def __call__(self, formato: str | None, negrita: bool = False, comilla: bool = False) -> str:
        clave = (formato, negrita, comilla)
        if clave not in self.cache:
            celda = Cell(self.ws)
            if formato is not None:
                celda.number_format = formato
            if negrita:
                celda.font = _NEGRITA
            if comilla:
                celda.quotePrefix = True
            indice = celda.style_id
            self.cache[clave] = f' s="{indice}"' if indice else ""
        return self.cache[clave]


def _xml_texto(texto: str) -> str:
    espacio = ' xml:space="preserve"' if texto != texto.strip() else ""
    return f"<is><t{espacio}>{escape(texto)}</t></is>"


def _formula_xml(ref: str, formula: str, estilo: str) -> str:
    """Una fórmula del anexo (nunca un texto de los datos), con su "=" inicial."""
    return f'<c r="{ref}"{estilo}><f>{escape(formula[1:])}</f></c>'


def _celda_xml(ref: str, valor, formato: str | None, negrita: bool, estilos: _Estilos,
               donde: str) -> str:
    """Un dato ya convertido por `_valor_celda`: número, fecha (número de serie con el formato
    de fecha), booleano o texto, que se queda texto (``inlineStr``) aunque empiece con "=":
    lleva la comilla de Excel si empieza con = + - @. Vacío: sólo su estilo (el formato de
    la columna, la negrita de la fila), si tiene; si no, nada."""
    if valor is None or valor == "":
        estilo = estilos(formato, negrita)
        return f'<c r="{ref}"{estilo}/>' if estilo else ""
    if isinstance(valor, str):
        comilla = valor.startswith(PREFIJOS_FORMULA)
        return (f'<c r="{ref}"{estilos(None, negrita, comilla)} t="inlineStr">'
                f"{_xml_texto(valor)}</c>")
    if isinstance(valor, bool):
        return f'<c r="{ref}"{estilos(formato, negrita)} t="b"><v>{int(valor)}</v></c>'
    if isinstance(valor, (int, float)):
        return f'<c r="{ref}"{estilos(formato, negrita)} t="n"><v>{valor!r}</v></c>'
    if isinstance(valor, (datetime, date)):
        return (f'<c r="{ref}"{estilos(formato or FORMATO_FECHA, negrita)} t="n">'
                f"<v>{to_excel(valor)!r}</v></c>")
    raise ValueError(f"anexo, {donde}: valor de tipo no previsto ({type(valor).__name__})")


def _numeros(serie: pd.Series) -> list[float | None]:
    """`_numero` de cada valor de la columna (de una vez, si es de números de numpy)."""
    if _numerica(serie):
        valores = serie.to_numpy(dtype=float)
        finitos = np.isfinite(valores).tolist()
        return [x if f else None for x, f in zip(valores.tolist(), finitos, strict=True)]
    return [_numero(v) for v in serie.tolist()]


def _numerica(serie: pd.Series) -> bool:
    """Una columna de enteros o decimales de numpy (sin los booleanos ni los tipos de pandas
    con NA, que van celda por celda)."""
    tipo = serie.dtype
    return isinstance(tipo, np.dtype) and tipo.kind in "iuf"


def _de_textos(serie: pd.Series) -> bool:
    """Una columna cuyos valores son todos textos o vacíos."""
    return isinstance(serie.dtype, pd.StringDtype) or (
        pd.api.types.is_object_dtype(serie.dtype)
        and pd.api.types.infer_dtype(serie, skipna=True) == "string"
    )


# Formatos cuyo texto (`_texto_mostrado`) no se acorta al crecer el valor absoluto.
_FORMATOS_MONOTONOS = frozenset({FORMATO_MONTO, FORMATO_DECIMAL, FORMATO_PORCENTAJE,
                                 FORMATO_ENTERO, FORMATO_CODIGO})


def _columna_xml(serie: pd.Series, filas: range, letra: str, formato: str | None,
                 negritas: list[bool] | None, estilos: _Estilos, hoja: str, encabezado: str
                 ) -> tuple[list[str], int]:
    """Las celdas XML de una columna de datos, una por fila de `filas` ("" si la celda no
    lleva nada), y el largo del texto más largo que muestra: lo mismo que `_valor_celda`,
    `_celda_xml` y `_texto_mostrado` celda por celda, pero una columna de números de numpy se
    convierte entera de una vez y una de textos, sin preguntar el tipo de cada valor (en una
    entidad grande, el anexo tiene millones de celdas). `negritas`: qué filas van en negrita
    (None: ninguna). `hoja` y `encabezado`, para los mensajes de error."""
    negritas = negritas or [False] * len(filas)

    def vacia(ref: str, negrita: bool) -> str:
        estilo = estilos(formato, negrita)
        return f'<c r="{ref}"{estilo}/>' if estilo else ""

    tipo = serie.dtype
    if _numerica(serie):
        arreglo = serie.to_numpy()
        if tipo.kind == "f":
            infinitos = np.flatnonzero(np.isinf(arreglo))
            if len(infinitos):
                k = int(infinitos[0])
                raise ValueError(
                    f"anexo, hoja {hoja}, fila {filas[k]}, columna {encabezado}: valor no finito "
                    f"({float(arreglo[k])}); un valor indefinido debe ser NaN (celda vacía)"
                )
            presentes = (~np.isnan(arreglo)).tolist()
        else:
            presentes = [True] * len(arreglo)
        valores = arreglo.tolist()
        celdas = [
            f'<c r="{letra}{n}"{estilos(formato, b)} t="n"><v>{x!r}</v></c>' if p
            else vacia(f"{letra}{n}", b)
            for n, x, p, b in zip(filas, valores, presentes, negritas, strict=True)
        ]
        mostrados = arreglo[np.array(presentes, dtype=bool)]
        if formato in _FORMATOS_MONOTONOS:
            # Con decimales fijos, el texto más largo es el del mayor valor sin signo o el del
            # menor con signo (también -0,0, que se muestra «-0.00»).
            signo = np.signbit(mostrados.astype(float))
            sin_signo, con_signo = mostrados[~signo], mostrados[signo]
            mostrados = np.concatenate([sin_signo.max(keepdims=True) if len(sin_signo)
                                        else sin_signo,
                                        con_signo.min(keepdims=True) if len(con_signo)
                                        else con_signo])
        largo = max(map(len, map(lambda x: _texto_mostrado(x, formato), mostrados.tolist())),
                    default=0)
        return celdas, largo
    if _de_textos(serie):
        celdas = []
        largo = 0
        for n, valor, b in zip(filas, serie.tolist(), negritas, strict=True):
            texto = ILLEGAL_CHARACTERS_RE.sub("", valor) if isinstance(valor, str) else ""
            if not texto:
                celdas.append(vacia(f"{letra}{n}", b))
                continue
            comilla = texto.startswith(PREFIJOS_FORMULA)
            celdas.append(f'<c r="{letra}{n}"{estilos(None, b, comilla)} t="inlineStr">'
                          f"{_xml_texto(texto)}</c>")
            largo = max(largo, len(_texto_mostrado(texto, formato)))
        return celdas, largo
    # Fechas, booleanos, columnas mezcladas: celda por celda.
    celdas = []
    largo = 0
    for n, bruto, b in zip(filas, serie.tolist(), negritas, strict=True):
        valor = _valor_celda(bruto, hoja, n, encabezado)
        celdas.append(_celda_xml(f"{letra}{n}", valor, formato, b, estilos,
                                 f"hoja {hoja}, fila {n}, columna {encabezado}"))
        if valor is not None and valor != "":
            largo = max(largo, len(_texto_mostrado(valor, formato)))
    return celdas, largo


# Filas de datos que se convierten a XML de una vez: bastan para que cada columna se convierta
# entera (numpy), y en una tabla de decenas de miles de filas no juntan en memoria millones de
# celdas de texto.
FILAS_POR_TANDA = 2_000


class FilasXml:
    """Las filas de datos de una hoja en XML (``<row>...</row>``), que ``_guardar`` pone en la
    hoja escrita por openpyxl. Van a un archivo temporal a medida que se hacen, de a tandas:
    en una entidad grande, las de todas las hojas juntas pesaban cientos de MB en memoria."""

    def __init__(self) -> None:
        self._archivo = tempfile.TemporaryFile()
        self.ultima = 1  # número de la última fila escrita (la 1 es el encabezado)

    def agregar(self, filas: list[str], ultima: int) -> None:
        """``filas``: las filas en orden; ``ultima``: el número de la última."""
        self._archivo.write("".join(filas).encode("utf-8"))
        self.ultima = max(self.ultima, ultima)

    def copiar_en(self, destino) -> None:
        self._archivo.seek(0)
        shutil.copyfileobj(self._archivo, destino, _TROZO_COPIA)

    def tamano(self) -> int:
        return self._archivo.seek(0, os.SEEK_END)

    def cerrar(self) -> None:
        self._archivo.close()


def tandas(filas: int) -> list[tuple[int, int]]:
    """(desde, hasta) de cada tanda de FILAS_POR_TANDA filas de datos (posiciones 0..filas)."""
    return [(a, min(a + FILAS_POR_TANDA, filas)) for a in range(0, filas, FILAS_POR_TANDA)]


def _escribir_hoja(
    ws, nombre: str, df: pd.DataFrame, reglas: list[_Regla], estilos: _Estilos
) -> tuple[list[tuple[str, str]], FilasXml]:
    """Escribe una tabla en la hoja: el encabezado, los anchos y el filtro con openpyxl, y
    devuelve (columna, descripción) de las columnas con fórmula y las filas de datos en XML
    (`FilasXml`), que `_guardar` pone en la hoja (como `anexo_cadena`: el escritor de
    openpyxl tarda decenas de µs por celda, y una tabla de operaciones grande tiene
    millones)."""
    columnas = [str(c) for c in df.columns]
    if len(set(columnas)) != len(columnas):
        raise ValueError(f"anexo, hoja {nombre}: columnas repetidas")
    letra = {c: get_column_letter(i) for i, c in enumerate(columnas, start=1)}
    letras = list(letra.values())
    aplicables = _reglas_de_tabla(columnas, reglas)
    formatos = {c: _formato_columna(c, df.iloc[:, i]) for i, c in enumerate(columnas)}
    for c in aplicables:  # las fórmulas dan porcentajes, salvo el saldo (un monto)
        formatos[c] = FORMATO_MONTO if c == "saldo" else FORMATO_PORCENTAJE
    anchos = {c: len(c) + 3 for c in columnas}  # +3: la flecha del autofiltro
    con_formula: dict[str, int] = {}

    ws.append(columnas)
    for celda in ws[1]:
        celda.font = _NEGRITA
        celda.fill = _RELLENO_ENCABEZADO
        celda.alignment = _ALINEACION_ENCABEZADO

    repeticiones = df.iloc[:, 0].value_counts().to_dict() if columnas else {}
    filas = range(2, len(df) + 2)
    negritas = [
        isinstance(primera, str)
        and primera.strip().upper() in FILAS_SUBTOTAL
        and repeticiones.get(primera, 0) == 1  # una columna "servicio" no es subtotal
        for primera in (df.iloc[:, 0].tolist() if columnas else [])
    ]
    posicion = {c: i for i, c in enumerate(columnas)}
    numeros: dict[str, list[float | None]] = {}

    def numeros_de(c: str) -> list[float | None]:
        if c not in numeros:
            numeros[c] = _numeros(df.iloc[:, posicion[c]])
        return numeros[c]

    salida = FilasXml()
    if not columnas:
        salida.agregar([f'<row r="{n}"></row>' for n in filas], filas[-1] if filas else 1)
    for desde, hasta in tandas(len(df)) if columnas else []:
        en_tanda = filas[desde:hasta]
        celdas_por_columna = []
        for j, c in enumerate(columnas):
            serie = df.iloc[desde:hasta, j]
            celdas, largo = _columna_xml(serie, en_tanda, letras[j], formatos[c],
                                         negritas[desde:hasta], estilos, nombre, c)
            regla = aplicables.get(c)
            if regla is not None:
                # Donde la fila tiene las entradas, la celda es la fórmula, después de
                # comprobar que da lo mismo que la tabla.
                vacios = serie.isna().tolist()
                brutos = numeros_de(c)
                entradas = [numeros_de(e) for e in regla.entradas]
                for k, n in enumerate(en_tanda):
                    i = desde + k
                    valores = [e[i] for e in entradas]
                    if vacios[k] or None in valores:
                        continue
                    esperado = regla.valor(*valores)
                    if not _iguales(esperado, brutos[i]):
                        raise ValueError(
                            f"anexo, hoja {nombre}, fila {n}, columna {c}: la tabla dice "
                            f"{serie.tolist()[k]!r} pero la fórmula ({regla.descripcion}) da "
                            f"{esperado!r}"
                        )
                    formula = "=" + regla.formula(*(f"{letra[e]}{n}" for e in regla.entradas))
                    celdas[k] = _formula_xml(f"{letras[j]}{n}", formula,
                                            estilos(formatos[c], negritas[i]))
                    con_formula[c] = con_formula.get(c, 0) + 1
                    largo = max(largo, len(_texto_mostrado(brutos[i], formatos[c])))
            anchos[c] = max(anchos[c], largo + 2)
            celdas_por_columna.append(celdas)
        salida.agregar([f'<row r="{n}">{"".join(fila)}</row>'
                        for n, fila in zip(en_tanda, zip(*celdas_por_columna))], en_tanda[-1])

    for c in columnas:
        ws.column_dimensions[letra[c]].width = max(ANCHO_MINIMO, min(ANCHO_MAXIMO, anchos[c]))
    if columnas:
        ultima = get_column_letter(len(columnas))
        ws.auto_filter.ref = f"A1:{ultima}{max(1, len(df) + 1)}"
        ws.freeze_panes = "B2"
    return [(c, aplicables[c].descripcion) for c in columnas if c in con_formula], salida


def _escribir_leeme(ws, formulas: list[tuple[str, str, str]], cadena: bool = False) -> None:
    lineas = [
        "Anexo del informe de seguimiento y evaluación del POA",
        "",
        ("Las primeras hojas son las tablas del informe, con el mismo nombre que su archivo "
         "CSV en tablas/ y sus mismos valores."),
        ("Los montos están en bolivianos (Bs). Los porcentajes están en escala 0-100 "
        "(83,6 significa 83,6 %)."),
        ("Los números se muestran con los separadores de la configuración regional de quien "
        "abre el archivo; las celdas guardan la precisión completa."),
        ("Una celda vacía indica un valor no definido (por ejemplo, ejecución con vigente 0, "
        "u operación NO APLICA) o una eficiencia no significativa («n.s.» en el informe: la "
        "ejecución redondeada a 2 decimales es menor que la ejecución mínima de los "
        "parámetros)."),
        ("La eficiencia y la brecha se calculan, como en el informe, sobre la eficacia y la "
         "ejecución redondeadas a 2 decimales (ROUND), las cifras que se imprimen: quien "
         "rehaga la cuenta con ellas obtiene el mismo resultado."),
        ("En las hojas de tablas, las columnas de la lista siguiente son fórmulas sobre las "
         "columnas de la misma fila, para que pueda verificarlas."),
        ("Las demás columnas de esas hojas son valores: el avance físico de un agregado "
         "(promedio de unidades), la eficacia acumulada (suma de las eficacias trimestrales), "
         "la calificación y el semáforo."),
        ("Las filas TOTAL, Central y Exterior conservan sus montos como valores (no son sumas "
        "de las filas visibles, que mezclan grupos) y llevan las mismas fórmulas de porcentaje."),
    ]
    if cadena:
        lineas += [
            "",
            ("La cadena de cálculo completa, con fórmulas vivas (un segundo testigo de las "
             "tablas):"),
            ("parametros: las reglas en vigor. Las fórmulas leen de ella la participación de "
             "cada trimestre, la escala de calificación, los umbrales del semáforo y la "
             "ejecución mínima de la eficiencia (también las hojas de tablas); la "
             "agregación, la participación, el tope y la regla de meses sin reporte dan la "
             "forma de las fórmulas (cambiarlas en esa hoja no rehace las fórmulas)."),
            ("operaciones y presupuesto: las filas del libro del POA (metas, ejecutado y "
             "devengado de cada mes, tal como se leyeron) y, por fórmula, lo programado, lo "
             "ejecutado y el cumplimiento de cada periodo (cada trimestre hasta el corte, T1, "
             "T2..., y el acumulado de enero al corte), la ejecución, el saldo y el semáforo."),
            ("unidades: avance físico = Σ(cumplimiento × tareas) / Σ tareas de sus operaciones "
             "que entran en el promedio; vigente y devengado, la suma de sus líneas."),
            ("acp_unidad, acps, areas, servicios y entidad: con agregación promedio_unidades, "
             "la media simple de las filas del nivel de abajo que tienen valor (las unidades "
             "en cada ACP, las unidades del área, las áreas del servicio, los servicios); con "
             "agregación tareas, la media ponderada por tareas de todas sus operaciones."),
            ("En cada nivel, la eficacia de cada trimestre, la acumulada (su suma), la "
             "ejecución (montos sumados, nunca promedios de porcentajes), la eficiencia y la "
             "brecha (sobre la eficacia y la ejecución redondeadas a 2 decimales), la "
             "calificación (sobre el valor redondeado a 2 decimales) y el semáforo."),
            ("Las filas de un grupo se reconocen con EXACT (igualdad exacta de texto, que "
             "distingue mayúsculas y no toma * ? ~ como comodines) dentro de SUMPRODUCT. Un "
             "valor no definido es un texto vacío, que no entra en las medias."),
            "Todas las columnas calculadas de esas hojas figuran en la lista siguiente.",
        ]
    lineas.append("")
    for texto in lineas:
        ws.append([texto])
    ws["A1"].font = Font(bold=True, size=13)
    inicio = ws.max_row + 1
    ws.append(["Hoja", "Columna", "Fórmula"])
    for celda in ws[inicio]:
        celda.font = _NEGRITA
        celda.fill = _RELLENO_ENCABEZADO
    if formulas:
        for fila in formulas:
            ws.append(list(fila))
    else:
        ws.append(["(ninguna)", "", ""])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 34
    ws.column_dimensions["C"].width = 70


def _fecha_zip(fecha: datetime) -> tuple[int, int, int, int, int, int]:
    t = (fecha.year, fecha.month, fecha.day, fecha.hour, fecha.minute, fecha.second)
    return max(t, (1980, 1, 1, 0, 0, 0))


def _partes_de_hoja(xml: bytes, ultima: int) -> tuple[bytes, bytes]:
    """La hoja de openpyxl (sólo el encabezado), partida donde van las filas de datos (antes
    y después de ``</sheetData>``), con su dimensión (A1:Xn) hasta la fila ``ultima``."""
    texto = xml.decode("utf-8")
    if texto.count("</sheetData>") != 1:
        raise ValueError("anexo: hoja sin <sheetData> (no se pueden poner las filas)")
    antes, despues = texto.split("</sheetData>")
    antes = re.sub(
        r'<dimension ref="([A-Z]+)1(?::([A-Z]+)1)?"\s*/>',
        lambda d: f'<dimension ref="A1:{d[2] or d[1]}{ultima}" />',
        antes,
        count=1,
    )
    return antes.encode("utf-8"), ("</sheetData>" + despues).encode("utf-8")


# Compresión de las entradas del xlsx: en un anexo de cientos de MB de XML, el nivel 3 tarda
# menos de la mitad que el 6 de siempre y el archivo crece un 20 %.
_NIVEL_ZIP = 3
_TROZO_COPIA = 1 << 20  # bytes que se pasan de una vez del archivo de filas al zip
# Una entrada que puede pasar de 2 GiB necesita ZIP64 desde su encabezado.
_LIMITE_SIN_ZIP64 = (1 << 31) - (1 << 24)


def _entrada_zip(nombre: str, fecha: datetime) -> zipfile.ZipInfo:
    entrada = zipfile.ZipInfo(nombre, date_time=_fecha_zip(fecha))
    entrada.compress_type = zipfile.ZIP_DEFLATED
    entrada.external_attr = 0o644 << 16
    return entrada


def _guardar(
    wb: Workbook, ruta: Path, fecha: datetime, filas: dict[str, FilasXml] | None = None
) -> None:
    """Guarda el libro con las fechas dadas (propiedades y entradas del zip) y de forma atómica.

    `filas`: hoja -> sus filas de datos, que se ponen tras el encabezado escrito por
    openpyxl, pasándolas del archivo temporal al zip sin leerlas enteras."""
    memoria = io.BytesIO()
    with zipfile.ZipFile(memoria, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).save()  # a diferencia de save_workbook, no cambia "modified"
    por_archivo = {wb[hoja].path.lstrip("/"): de_hoja for hoja, de_hoja in (filas or {}).items()}
    ruta.parent.mkdir(parents=True, exist_ok=True)
    fd, temporal = tempfile.mkstemp(prefix=f".{ruta.name}.", suffix=".tmp", dir=ruta.parent)
    try:
        with (
            os.fdopen(fd, "wb") as salida,
            zipfile.ZipFile(memoria, "r") as origen,
            zipfile.ZipFile(salida, "w", zipfile.ZIP_DEFLATED,
                            compresslevel=_NIVEL_ZIP) as destino,
        ):
            for info in origen.infolist():
                contenido = origen.read(info.filename)
                entrada = _entrada_zip(info.filename, fecha)
                de_hoja = por_archivo.get(info.filename)
                if de_hoja is None or not de_hoja.tamano():
                    destino.writestr(entrada, contenido, compresslevel=_NIVEL_ZIP)
                    continue
                antes, despues = _partes_de_hoja(contenido, de_hoja.ultima)
                grande = len(antes) + de_hoja.tamano() + len(despues) > _LIMITE_SIN_ZIP64
                # `open` comprime con el nivel de la entrada (writestr lo pone él).
                entrada._compresslevel = _NIVEL_ZIP
                with destino.open(entrada, "w", force_zip64=grande) as hoja:
                    hoja.write(antes)
                    de_hoja.copiar_en(hoja)
                    hoja.write(despues)
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
    finally:
        for de_hoja in (filas or {}).values():
            de_hoja.cerrar()


def escribir_anexo(
    tablas: dict[str, pd.DataFrame],
    ruta: Path,
    *,
    datos=None,
    trimestre: int | None = None,
    metodologia=None,
    tope_cumplimiento: bool | None = None,
    participacion_trimestral: float | None | object = _SEGUN_METODOLOGIA,
    eficiencia_ejecucion_minima: float | None = None,
    fecha: datetime | None = None,
) -> Path:
    """Escribe `anexo.xlsx`: una hoja `leeme`, una hoja por tabla en el orden dado y, con
    `datos`, las hojas de la cadena de cálculo (`helpers.salida.anexo_cadena`).

    - `tablas`: nombre de la tabla -> DataFrame de columnas simples (porcentajes 0-100 en
      precisión completa, NaN donde el valor no está definido: celda vacía).
    - `datos`, `trimestre`, `metodologia`: el libro validado (`cargar_datos`), el trimestre
      del corte y las reglas (`Parametros.metodologia`) con que se calcularon las tablas;
      los tres juntos agregan las hojas parametros, operaciones, presupuesto, unidades,
      acp_unidad, acps, areas, servicios y entidad, que rehacen todo con fórmulas.
    - `tope_cumplimiento`, `participacion_trimestral`, `eficiencia_ejecucion_minima`:
      sólo sin `metodologia` (tablas sueltas); por omisión, con tope, 25 % por trimestre y
      la ejecución mínima de `metodologia.EFICIENCIA_EJECUCION_MINIMA`. El cumplimiento de
      una operación lleva MIN(...; 1) si hay tope; eficacia_trimestre =
      avance_fisico_trimestre × p / 100, y None (participación programada) deja la eficacia
      como valor. La eficiencia y la brecha se calculan sobre ROUND(...; 2) de sus
      operandos; la eficiencia queda vacía («n.s.») con una ejecución redondeada menor que
      la mínima (con la cadena, la fórmula la lee de la hoja parametros).
    - `fecha`: fecha de creación y modificación del libro (y de las entradas del zip); con
      la misma fecha y los mismos datos, el archivo es idéntico byte a byte.

    Lanza ValueError si una columna que se escribe como fórmula no coincide con el valor
    de la tabla (a 1e-9), si un nombre de hoja no sirve en Excel o si hay valores infinitos.
    """
    ruta = Path(ruta)
    cadena = (datos, trimestre, metodologia)
    if any(x is not None for x in cadena) and not all(x is not None for x in cadena):
        raise ValueError(
            "anexo: la cadena de cálculo necesita datos, trimestre y metodologia juntos"
        )
    if metodologia is not None:
        if (tope_cumplimiento is not None or participacion_trimestral is not _SEGUN_METODOLOGIA
                or eficiencia_ejecucion_minima is not None):
            raise ValueError(
                "anexo: con metodologia, el tope, la participación y la ejecución mínima de la "
                "eficiencia salen de ella; no pase tope_cumplimiento, participacion_trimestral "
                "ni eficiencia_ejecucion_minima"
            )
        tope_cumplimiento = metodologia.tope_cumplimiento
        participacion_trimestral = (
            PARTICIPACION_TRIMESTRAL if metodologia.participacion == "trimestral_igual" else None
        )
        eficiencia_ejecucion_minima = metodologia.eficiencia_ejecucion_minima
    else:
        if tope_cumplimiento is None:
            tope_cumplimiento = True
        if participacion_trimestral is _SEGUN_METODOLOGIA:
            participacion_trimestral = PARTICIPACION_TRIMESTRAL
        if eficiencia_ejecucion_minima is None:
            eficiencia_ejecucion_minima = EFICIENCIA_EJECUCION_MINIMA
    celda_minima = None
    if datos is not None:
        from helpers.salida.anexo_cadena import CELDA_EFICIENCIA_MINIMA, HOJAS_CADENA
        _validar_nombres(tablas, reservadas=HOJAS_CADENA)
        celda_minima = CELDA_EFICIENCIA_MINIMA  # las tablas leen la de la hoja parametros
    else:
        _validar_nombres(tablas)
    reglas = _reglas(tope_cumplimiento, participacion_trimestral,
                     float(eficiencia_ejecucion_minima), celda_minima)

    if fecha is None:
        fecha = datetime.now(UTC)
    if fecha.tzinfo is not None:
        fecha_utc = fecha.astimezone(UTC).replace(tzinfo=None)
    else:
        fecha_utc = fecha
    fecha_utc = fecha_utc.replace(microsecond=0)

    wb = Workbook()
    leeme = wb.active
    leeme.title = HOJA_LEEME
    formulas: list[tuple[str, str, str]] = []
    filas_xml: dict[str, FilasXml] = {}
    estilos = _Estilos(leeme)
    for nombre, df in tablas.items():
        ws = wb.create_sheet(title=nombre)
        con_formula, filas_xml[nombre] = _escribir_hoja(ws, nombre, df, reglas, estilos)
        formulas += [(nombre, col, descripcion) for col, descripcion in con_formula]
    if datos is not None:
        from helpers.salida.anexo_cadena import escribir_cadena
        de_la_cadena, de_la_cadena_xml = escribir_cadena(wb, datos, trimestre, metodologia)
        formulas += de_la_cadena
        filas_xml.update(de_la_cadena_xml)
    _escribir_leeme(leeme, formulas, cadena=datos is not None)
    wb.active = 0
    # Excel y LibreOffice calculan todo al abrir (el archivo no guarda resultados).
    wb.calculation.fullCalcOnLoad = True

    props = wb.properties
    props.creator = "informe-poa"
    props.lastModifiedBy = None
    props.title = "Anexo del informe de seguimiento al POA"
    props.created = fecha_utc
    props.modified = fecha_utc
    _guardar(wb, ruta, fecha_utc, filas_xml)
    return ruta
