"""Los formatos y las celdas del anexo en Excel, comunes a sus dos escritores.

Lo usan las hojas de tablas (`helpers.salida.anexo_tablas`) y las de la cadena de cálculo
(`helpers.salida.anexo_cadena_hoja`); el libro lo arma y lo guarda `helpers.salida.anexo`.

- Entra: una columna de datos (nombre y `pd.Series`) o un valor suelto de pandas/numpy.
- Sale: su formato de número (`formato_columna`), el valor que se guarda (`valor_celda`), el
  texto que se muestra, para el ancho (`texto_mostrado`), sus celdas en XML (`celda_xml`,
  `columna_xml`, `formula_xml`) con el índice de estilo del libro (`Estilos`), y las filas de
  datos de una hoja de a tandas en un archivo temporal (`FilasXml`, `tandas`). También el
  encabezado de una hoja y sus anchos, filtro y paneles (`escribir_encabezado`,
  `ajustar_hoja`), iguales en todas las hojas de datos.

El texto de los datos se guarda siempre como texto (celda ``inlineStr``), nunca como fórmula,
aunque empiece con ``=``; si empieza con = + - @, tabulador o retorno de carro lleva además el
prefijo de comilla de Excel (``quotePrefix``), para que siga siendo texto si alguien edita
la celda. Las únicas fórmulas del libro son las de los escritores (`formula_xml`).

Las filas de datos se escriben directamente en XML: el escritor de openpyxl tarda decenas de
µs por celda, y el anexo de una entidad grande tiene millones. Se escriben columna por columna
(`columna_xml`): una de números de numpy se convierte entera de una vez y una de textos sin
preguntar el tipo de cada valor; las demás, celda por celda (`valor_celda`, `celda_xml`), con
el mismo resultado.

Formatos: códigos de Excel (`#,##0.00` montos, `0.00` porcentajes, `#,##0` enteros); Excel
y LibreOffice los muestran con los separadores de la configuración regional del lector.
"""
from __future__ import annotations

import math
import numbers
import os
import shutil
import tempfile
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from helpers.comun.literal import PREFIJOS_FORMULA

__all__ = [
    "ALINEACION_ENCABEZADO", "ANCHO_MAXIMO", "ANCHO_MINIMO", "FILAS_POR_TANDA",
    "FORMATO_CODIGO", "FORMATO_DECIMAL", "FORMATO_ENTERO", "FORMATO_FECHA", "FORMATO_MONTO",
    "FORMATO_PORCENTAJE", "NEGRITA", "RELLENO_ENCABEZADO", "Estilos", "FilasXml",
    "ajustar_hoja", "celda_xml", "columna_xml", "escribir_encabezado", "formato_columna",
    "formula_xml", "numeros", "tandas", "texto_mostrado", "valor_celda",
]

FORMATO_MONTO = "#,##0.00"
FORMATO_PORCENTAJE = "0.00"
FORMATO_ENTERO = "#,##0"
FORMATO_CODIGO = "0"  # gestión, mes, trimestre, códigos: sin separador de miles
FORMATO_DECIMAL = "#,##0.00"
FORMATO_FECHA = "yyyy-mm-dd"

ANCHO_MINIMO = 8
ANCHO_MAXIMO = 60

NEGRITA = Font(bold=True)
RELLENO_ENCABEZADO = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
ALINEACION_ENCABEZADO = Alignment(vertical="center")

_PREFIJOS_PORCENTAJE = (
    "ejecucion", "eficacia", "eficiencia", "brecha", "avance", "cumplimiento",
    "participacion", "porcentaje",
)
_PREFIJOS_MONTO = (
    "vigente", "devengado", "saldo", "inicial", "modificacion", "modificado",
    "presupuesto", "monto", "importe", "comprometido", "pagado",
)
_NOMBRES_CODIGO = {"gestion", "anio", "año", "mes", "trimestre", "semestre", "numero", "nro"}

# Formatos cuyo texto (`texto_mostrado`) no se acorta al crecer el valor absoluto.
_FORMATOS_MONOTONOS = frozenset({FORMATO_MONTO, FORMATO_DECIMAL, FORMATO_PORCENTAJE,
                                 FORMATO_ENTERO, FORMATO_CODIGO})

# Filas de datos que se convierten a XML de una vez: bastan para que cada columna se convierta
# entera (numpy), y en una tabla de decenas de miles de filas no juntan en memoria millones de
# celdas de texto.
FILAS_POR_TANDA = 2_000
_TROZO_COPIA = 1 << 20  # bytes que se pasan de una vez del archivo de filas al zip


# --- valores -------------------------------------------------------------------------------

def _vacio(valor) -> bool:
    """Un valor que va como celda vacía: None, NA, NaT o NaN."""
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


def numeros(serie: pd.Series) -> list[float | None]:
    """El valor como float de cada valor de la columna que es un número finito, None si no
    (de una vez, si es de números de numpy)."""
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


def valor_celda(valor, hoja: str, fila: int, col: str):
    """Convierte un valor de pandas/numpy en uno que se escribe tal cual: None (vacía),
    booleano, int, float, fecha o texto sin caracteres que Excel no admite. Lanza ValueError
    con un número infinito (`hoja`, `fila` y `col`, para el mensaje)."""
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


def texto_mostrado(valor, formato: str | None) -> str:
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


# --- el formato de número de una columna ---------------------------------------------------

def _es_porcentaje(col: str) -> bool:
    c = col.lower()
    return c.startswith(_PREFIJOS_PORCENTAJE) or c.endswith(("_pct", "_porcentaje"))


def _es_monto(col: str) -> bool:
    c = col.lower()
    return c.startswith(_PREFIJOS_MONTO) or c.endswith("_bs")


def _es_codigo(col: str) -> bool:
    c = col.lower()
    return c in _NOMBRES_CODIGO or c.startswith(("codigo", "cod_", "id_")) or c == "id"


def _formato_de_enteros(col: str) -> str:
    """Una columna de números enteros: un código sin separador de miles, o un entero."""
    return FORMATO_CODIGO if _es_codigo(col) else FORMATO_ENTERO


def _formato_numerico(col: str, serie: pd.Series) -> str | None:
    """Una columna de números de numpy: sin valores, ninguno; si no, entero o decimal."""
    valores = serie.to_numpy(dtype=float)
    valores = valores[~np.isnan(valores)]
    if not len(valores):
        return None
    finitos = valores[np.isfinite(valores)]
    if (finitos == np.floor(finitos)).all():
        return _formato_de_enteros(col)
    return FORMATO_DECIMAL


def _formato_de_objetos(col: str, serie: pd.Series) -> str | None:
    """Una columna de objetos: fechas, números sueltos o una mezcla (sin formato)."""
    valores = [v for v in serie.tolist() if not _vacio(v)]
    if not valores or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in valores
    ):
        if valores and all(isinstance(v, (datetime, date)) for v in valores):
            return FORMATO_FECHA
        return None
    if all(float(v).is_integer() for v in valores if math.isfinite(float(v))):
        return _formato_de_enteros(col)
    return FORMATO_DECIMAL


def formato_columna(col: str, serie: pd.Series) -> str | None:
    """El formato de número de una columna: primero según su nombre (porcentaje, monto),
    después según su contenido (enteros, códigos, decimales, fechas); None sin formato."""
    if _es_porcentaje(col):
        return FORMATO_PORCENTAJE
    if _es_monto(col):
        return FORMATO_MONTO
    if _numerica(serie):
        return _formato_numerico(col, serie)
    if _de_textos(serie):
        return None
    return _formato_de_objetos(col, serie)


# --- estilos y encabezado ------------------------------------------------------------------

class Estilos:
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
                celda.font = NEGRITA
            if comilla:
                celda.quotePrefix = True
            indice = celda.style_id
            self.cache[clave] = f' s="{indice}"' if indice else ""
        return self.cache[clave]


def escribir_encabezado(ws, titulos: list[str]) -> None:
    """La fila 1 de una hoja de datos: los títulos en negrita, con relleno gris."""
    ws.append(titulos)
    for celda in ws[1]:
        celda.font = NEGRITA
        celda.fill = RELLENO_ENCABEZADO
        celda.alignment = ALINEACION_ENCABEZADO


def ajustar_hoja(ws, anchos: list[int], filas: int) -> None:
    """Los anchos de las columnas (entre ANCHO_MINIMO y ANCHO_MAXIMO), el filtro sobre el
    encabezado y las `filas` de datos, y la primera fila y columna fijas."""
    letras = [get_column_letter(j) for j in range(1, len(anchos) + 1)]
    for letra, ancho in zip(letras, anchos):
        ws.column_dimensions[letra].width = max(ANCHO_MINIMO, min(ANCHO_MAXIMO, ancho))
    if letras:
        ws.auto_filter.ref = f"A1:{letras[-1]}{max(1, filas + 1)}"
        ws.freeze_panes = "B2"


# --- celdas en XML -------------------------------------------------------------------------

def _xml_texto(texto: str) -> str:
    espacio = ' xml:space="preserve"' if texto != texto.strip() else ""
    return f"<is><t{espacio}>{escape(texto)}</t></is>"


def formula_xml(ref: str, formula: str, estilo: str) -> str:
    """Una fórmula del anexo (nunca un texto de los datos), con su "=" inicial."""
    return f'<c r="{ref}"{estilo}><f>{escape(formula[1:])}</f></c>'


def _texto_xml(ref: str, texto: str, negrita: bool, estilos: Estilos) -> str:
    """Un texto de los datos: ``inlineStr``, con la comilla de Excel si empieza con = + - @."""
    comilla = texto.startswith(PREFIJOS_FORMULA)
    return (f'<c r="{ref}"{estilos(None, negrita, comilla)} t="inlineStr">'
            f"{_xml_texto(texto)}</c>")


def _vacia_xml(ref: str, formato: str | None, negrita: bool, estilos: Estilos) -> str:
    """Una celda vacía: sólo su estilo (el formato de la columna, la negrita de la fila), si
    tiene; si no, nada."""
    estilo = estilos(formato, negrita)
    return f'<c r="{ref}"{estilo}/>' if estilo else ""


def celda_xml(ref: str, valor, formato: str | None, negrita: bool, estilos: Estilos,
              donde: str) -> str:
    """Un dato ya convertido por `valor_celda`: número, fecha (número de serie con el formato
    de fecha), booleano o texto, que se queda texto (``inlineStr``) aunque empiece con "=":
    lleva la comilla de Excel si empieza con = + - @. Vacío: sólo su estilo (el formato de
    la columna, la negrita de la fila), si tiene; si no, nada."""
    if valor is None or valor == "":
        return _vacia_xml(ref, formato, negrita, estilos)
    if isinstance(valor, str):
        return _texto_xml(ref, valor, negrita, estilos)
    if isinstance(valor, bool):
        return f'<c r="{ref}"{estilos(formato, negrita)} t="b"><v>{int(valor)}</v></c>'
    if isinstance(valor, (int, float)):
        return f'<c r="{ref}"{estilos(formato, negrita)} t="n"><v>{valor!r}</v></c>'
    if isinstance(valor, (datetime, date)):
        return (f'<c r="{ref}"{estilos(formato or FORMATO_FECHA, negrita)} t="n">'
                f"<v>{to_excel(valor)!r}</v></c>")
    raise ValueError(f"anexo, {donde}: valor de tipo no previsto ({type(valor).__name__})")


def _columna_numerica_xml(serie: pd.Series, filas: range, letra: str, formato: str | None,
                          negritas: list[bool], estilos: Estilos, hoja: str, encabezado: str
                          ) -> tuple[list[str], int]:
    """`columna_xml` de una columna de números de numpy, convertida entera de una vez."""
    arreglo = serie.to_numpy()
    if serie.dtype.kind == "f":
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
        else _vacia_xml(f"{letra}{n}", formato, b, estilos)
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
    largo = max(map(len, map(lambda x: texto_mostrado(x, formato), mostrados.tolist())),
                default=0)
    return celdas, largo


def _columna_de_textos_xml(serie: pd.Series, filas: range, letra: str, formato: str | None,
                           negritas: list[bool], estilos: Estilos) -> tuple[list[str], int]:
    """`columna_xml` de una columna de textos, sin preguntar el tipo de cada valor."""
    celdas = []
    largo = 0
    for n, valor, b in zip(filas, serie.tolist(), negritas, strict=True):
        texto = ILLEGAL_CHARACTERS_RE.sub("", valor) if isinstance(valor, str) else ""
        if not texto:
            celdas.append(_vacia_xml(f"{letra}{n}", formato, b, estilos))
            continue
        celdas.append(_texto_xml(f"{letra}{n}", texto, b, estilos))
        largo = max(largo, len(texto_mostrado(texto, formato)))
    return celdas, largo


def _columna_por_celda_xml(serie: pd.Series, filas: range, letra: str, formato: str | None,
                           negritas: list[bool], estilos: Estilos, hoja: str, encabezado: str
                           ) -> tuple[list[str], int]:
    """`columna_xml` de fechas, booleanos o columnas mezcladas: celda por celda."""
    celdas = []
    largo = 0
    for n, bruto, b in zip(filas, serie.tolist(), negritas, strict=True):
        valor = valor_celda(bruto, hoja, n, encabezado)
        celdas.append(celda_xml(f"{letra}{n}", valor, formato, b, estilos,
                                f"hoja {hoja}, fila {n}, columna {encabezado}"))
        if valor is not None and valor != "":
            largo = max(largo, len(texto_mostrado(valor, formato)))
    return celdas, largo


def columna_xml(serie: pd.Series, filas: range, letra: str, formato: str | None,
                negritas: list[bool] | None, estilos: Estilos, hoja: str, encabezado: str
                ) -> tuple[list[str], int]:
    """Las celdas XML de una columna de datos, una por fila de `filas` ("" si la celda no
    lleva nada), y el largo del texto más largo que muestra: lo mismo que `valor_celda`,
    `celda_xml` y `texto_mostrado` celda por celda, pero una columna de números de numpy se
    convierte entera de una vez y una de textos, sin preguntar el tipo de cada valor (en una
    entidad grande, el anexo tiene millones de celdas). `negritas`: qué filas van en negrita
    (None: ninguna). `hoja` y `encabezado`, para los mensajes de error."""
    negritas = negritas or [False] * len(filas)
    if _numerica(serie):
        return _columna_numerica_xml(serie, filas, letra, formato, negritas, estilos, hoja,
                                     encabezado)
    if _de_textos(serie):
        return _columna_de_textos_xml(serie, filas, letra, formato, negritas, estilos)
    return _columna_por_celda_xml(serie, filas, letra, formato, negritas, estilos, hoja,
                                  encabezado)


# --- las filas de datos de una hoja --------------------------------------------------------

class FilasXml:
    """Las filas de datos de una hoja en XML (``<row>...</row>``), que `anexo` pone en la
    hoja escrita por openpyxl al guardar. Van a un archivo temporal a medida que se hacen, de
    a tandas: en una entidad grande, las de todas las hojas juntas pesaban cientos de MB en
    memoria."""

    def __init__(self) -> None:
        self._archivo = tempfile.TemporaryFile()
        self.ultima = 1  # número de la última fila escrita (la 1 es el encabezado)

    def agregar(self, filas: list[str], ultima: int) -> None:
        """``filas``: las filas en orden; ``ultima``: el número de la última."""
        self._archivo.write("".join(filas).encode("utf-8"))
        self.ultima = max(self.ultima, ultima)

    def agregar_tanda(self, filas: range, celdas_por_columna: list[list[str]]) -> None:
        """Las filas `filas` (no vacío), con las celdas de cada columna en orden."""
        self.agregar([f'<row r="{n}">{"".join(fila)}</row>'
                      for n, fila in zip(filas, zip(*celdas_por_columna))], filas[-1])

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
