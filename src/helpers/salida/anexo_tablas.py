"""Las hojas de tablas del anexo: cada tabla del informe con sus valores y, donde se pueden
deducir de la misma fila, sus porcentajes como fórmulas.

- Entra: el nombre de la tabla y su DataFrame de columnas simples (porcentajes 0-100 en
  precisión completa, NaN donde el valor no está definido: celda vacía), la hoja de openpyxl
  donde va y las reglas de fórmula en vigor (`reglas_de_tablas`, según la metodología).
- Sale: la hoja con su encabezado, anchos, filtro y paneles; sus filas de datos en XML
  (`anexo_formatos.FilasXml`, que `anexo` pone en la hoja al guardar) y (columna,
  descripción) de las columnas escritas como fórmula, para la hoja leeme.

Las columnas de porcentaje que se pueden deducir de los montos de la misma fila (ejecución,
saldo, eficacia del trimestre, eficiencia, brecha, cumplimiento de una operación) se escriben
como fórmulas; lo demás (avance físico de un agregado, eficacia acumulada, calificación,
semáforo) son valores. La eficiencia y la brecha usan ROUND(...; 2) de sus operandos, como
el informe (§4), y la eficiencia queda vacía con una ejecución menor que la mínima de los
parámetros. Antes de escribir una fórmula se comprueba que da el mismo número que la tabla:
si no, es un error del cálculo y se detiene.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.calculo.metodologia import EFICIENCIA_EJECUCION_MINIMA, brecha, eficiencia
from helpers.salida.anexo_formatos import (
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
    Estilos,
    FilasXml,
    ajustar_hoja,
    columna_xml,
    escribir_encabezado,
    formato_columna,
    formula_xml,
    numeros,
    tandas,
    texto_mostrado,
)

__all__ = ["FILAS_SUBTOTAL", "Regla", "escribir_tabla", "filas_en_negrita", "formatos_de_tabla",
           "reglas_aplicables", "reglas_de_tablas"]

FILAS_SUBTOTAL = {"TOTAL"}
# Los niveles de las filas de subtotal en las tablas que los indican (columna `nivel`): los
# grupos de áreas de la entidad y la entidad.
NIVELES_SUBTOTAL = {"servicio", "entidad"}

# Tolerancia de la comprobación fórmula = tabla (los porcentajes están en escala 0-100).
_TOLERANCIA = 1e-9


@dataclass(frozen=True)
class Regla:
    """Una columna que se escribe como fórmula sobre otras columnas de la misma fila."""

    columna: str
    entradas: tuple[str, ...]
    formula: Callable[..., str]  # letras de celda de las entradas -> texto sin "="
    valor: Callable[..., float | None]  # valores de las entradas -> valor (None = vacía)
    descripcion: str  # para la hoja leeme


# --- las reglas ----------------------------------------------------------------------------

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


def _reglas_de_ejecucion() -> list[Regla]:
    """Ejecución financiera, saldo y modificaciones presupuestarias."""
    reglas: list[Regla] = []
    for col, dev in (
        ("ejecucion_trimestre", "devengado_trimestre"),
        ("ejecucion_acumulada", "devengado_acumulado"),
        ("ejecucion_anual", "devengado_anual"),  # la rendición de cuentas
        ("ejecucion", "devengado"),
        ("ejecucion", "recaudado_anual"),  # los ingresos de la rendición de cuentas
    ):
        reglas.append(Regla(
            col, (dev, "vigente"),
            lambda d, v: f'IF({v}>0,{d}/{v}*100,"")',
            lambda d, v: _cociente(d, v),
            f"{dev} / vigente × 100 (vacía si vigente no es mayor que 0)",
        ))
    for dev in ("devengado_acumulado", "devengado_anual", "devengado", "recaudado_anual"):
        reglas.append(Regla(
            "saldo", ("vigente", dev),
            lambda v, d: f"{v}-{d}",
            lambda v, d: v - d,
            f"vigente − {dev}",
        ))

    # Las modificaciones presupuestarias: del inicial al vigente del corte.
    reglas.append(Regla(
        "modificaciones", ("vigente", "inicial"),
        lambda v, i: f"{v}-{i}",
        lambda v, i: v - i,
        "vigente − inicial",
    ))
    return reglas


def _regla_de_eficacia(participacion_trimestral: float) -> Regla:
    """Eficacia del trimestre (la acumulada es suma de trimestres y queda como valor)."""
    p = float(participacion_trimestral)
    literal = _numero_formula(p)
    return Regla(
        "eficacia_trimestre", ("avance_fisico_trimestre",),
        lambda a: f"{a}*{literal}/100",
        lambda a: a * p / 100,
        f"avance_fisico_trimestre × {literal} / 100",
    )


def _reglas_de_eficiencia(eficiencia_minima: float, celda_minima: str | None) -> list[Regla]:
    """Eficiencia y brecha físico-financiera (§4): sobre los operandos redondeados a 2
    decimales, como se imprimen; la eficiencia queda vacía (n.s.) si la ejecución
    redondeada no es mayor que 0 o es menor que la mínima."""
    reglas: list[Regla] = []
    minima = celda_minima or _numero_formula(eficiencia_minima)
    texto_minima = ("la ejecución mínima de la hoja parametros" if celda_minima
                    else f"la ejecución mínima, {minima} %")
    for sufijo in ("_trimestre", "_acumulada", "_anual", ""):
        efic, ejec = f"eficacia{sufijo}", f"ejecucion{sufijo}"

        def formula_eficiencia(f: str, e: str) -> str:
            # N(): la ejecución puede ser una fórmula que da vacío ("").
            mostrada = _redondeo(f"N({e})")
            return (f'IF(AND({mostrada}>0,{mostrada}>={minima}),'
                    f'{_redondeo(f)}/{_redondeo(e)}*100,"")')

        reglas.append(Regla(
            f"eficiencia{sufijo}", (efic, ejec),
            formula_eficiencia,
            lambda f, e: _sin_nan(eficiencia(f, e, eficiencia_minima)),
            f"ROUND({efic}; 2) / ROUND({ejec}; 2) × 100 (vacía, «n.s.», si ROUND({ejec}; 2) "
            f"no es mayor que 0 o es menor que {texto_minima})",
        ))
        reglas.append(Regla(
            f"brecha{sufijo}", (efic, ejec),
            lambda f, e: f"{_redondeo(f)}-{_redondeo(e)}",
            lambda f, e: brecha(f, e),
            f"ROUND({efic}; 2) − ROUND({ejec}; 2) (puntos porcentuales)",
        ))
    return reglas


def _reglas_de_cumplimiento(tope_cumplimiento: bool) -> list[Regla]:
    """Cumplimiento de una operación, con el tope si rige (las columnas «sin_tope», nunca)."""
    reglas: list[Regla] = []
    for col, ejec, prog, tope in (
        ("cumplimiento_trimestre", "ejec_trimestre", "prog_trimestre", tope_cumplimiento),
        ("cumplimiento_acumulado", "ejec_acumulado", "prog_acumulado", tope_cumplimiento),
        ("cumplimiento_sin_tope_trimestre", "ejec_trimestre", "prog_trimestre", False),
        ("cumplimiento_sin_tope_acumulado", "ejec_acumulado", "prog_acumulado", False),
        ("cumplimiento_anual", "ejec_anual", "prog_anual", tope_cumplimiento),
        ("cumplimiento_sin_tope_anual", "ejec_anual", "prog_anual", False),
    ):
        if tope:
            reglas.append(Regla(
                col, (ejec, prog),
                lambda e, p: f'IF({p}>0,MIN({e}/{p},1)*100,"")',
                lambda e, p: min(e / p, 1) * 100 if p > 0 else None,
                f"mín({ejec} / {prog}; 1) × 100 (vacía si {prog} es 0)",
            ))
        else:
            reglas.append(Regla(
                col, (ejec, prog),
                lambda e, p: f'IF({p}>0,{e}/{p}*100,"")',
                lambda e, p: _cociente(e, p),
                f"{ejec} / {prog} × 100, sin tope (vacía si {prog} es 0)",
            ))
    return reglas


def reglas_de_tablas(
    tope_cumplimiento: bool,
    participacion_trimestral: float | None,
    eficiencia_minima: float = EFICIENCIA_EJECUCION_MINIMA,
    celda_minima: str | None = None,
) -> list[Regla]:
    """Las fórmulas de las hojas de tablas, en orden de preferencia. `participacion_trimestral`
    None deja la eficacia del trimestre como valor (participación programada);
    `eficiencia_minima`: la ejecución mínima de la eficiencia; `celda_minima`, la celda de la
    hoja parametros que la tiene (con la cadena de cálculo), o None para escribirla como
    número en la fórmula."""
    reglas = _reglas_de_ejecucion()
    if participacion_trimestral is not None:
        reglas.append(_regla_de_eficacia(participacion_trimestral))
    reglas += _reglas_de_eficiencia(eficiencia_minima, celda_minima)
    reglas += _reglas_de_cumplimiento(tope_cumplimiento)
    return reglas


def reglas_aplicables(columnas: list[str], reglas: list[Regla]) -> dict[str, Regla]:
    """La primera regla aplicable a cada columna (todas sus entradas están en la tabla)."""
    elegidas: dict[str, Regla] = {}
    for r in reglas:
        if (
            r.columna in columnas
            and r.columna not in elegidas
            and all(e in columnas and e != r.columna for e in r.entradas)
        ):
            elegidas[r.columna] = r
    return elegidas


# --- la hoja de una tabla ------------------------------------------------------------------

def formatos_de_tabla(df: pd.DataFrame, columnas: list[str],
                      aplicables: dict[str, Regla]) -> dict[str, str | None]:
    """El formato de número de cada columna: el de su nombre y contenido
    (`anexo_formatos.formato_columna`), salvo las que llevan fórmula, que dan porcentajes
    (el saldo, un monto)."""
    formatos = {c: formato_columna(c, df.iloc[:, i]) for i, c in enumerate(columnas)}
    for c in aplicables:
        formatos[c] = FORMATO_MONTO if c == "saldo" else FORMATO_PORCENTAJE
    return formatos


def filas_en_negrita(df: pd.DataFrame) -> list[bool]:
    """Las filas de subtotal, en negrita: las de un grupo de áreas o de la entidad en una tabla
    con columna `nivel`; en las demás, TOTAL en la primera columna, una sola vez."""
    if not len(df.columns):
        return []
    if "nivel" in df.columns:
        return df["nivel"].isin(NIVELES_SUBTOTAL).tolist()
    primera = df.iloc[:, 0]
    repeticiones = primera.value_counts().to_dict()
    return [
        isinstance(valor, str)
        and valor.strip().upper() in FILAS_SUBTOTAL
        and repeticiones.get(valor, 0) == 1
        for valor in primera.tolist()
    ]


def _iguales(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=_TOLERANCIA, abs_tol=_TOLERANCIA)


class _Tabla:
    """Una tabla camino de su hoja: columnas, letras, formatos, filas en negrita, reglas que
    se le aplican; junta los anchos y cuenta las celdas con fórmula mientras se escribe."""

    def __init__(self, nombre: str, df: pd.DataFrame, reglas: list[Regla], estilos: Estilos):
        columnas = [str(c) for c in df.columns]
        if len(set(columnas)) != len(columnas):
            raise ValueError(f"anexo, hoja {nombre}: columnas repetidas")
        self.nombre, self.df, self.estilos = nombre, df, estilos
        self.columnas = columnas
        self.letra = {c: get_column_letter(i) for i, c in enumerate(columnas, start=1)}
        self.aplicables = reglas_aplicables(columnas, reglas)
        self.formatos = formatos_de_tabla(df, columnas, self.aplicables)
        self.anchos = {c: len(c) + 3 for c in columnas}  # +3: la flecha del autofiltro
        self.negritas = filas_en_negrita(df)
        self.con_formula: dict[str, int] = {}
        self._posicion = {c: i for i, c in enumerate(columnas)}
        self._numeros: dict[str, list[float | None]] = {}

    def numeros_de(self, c: str) -> list[float | None]:
        """Los valores numéricos de la columna entera (una vez por columna)."""
        if c not in self._numeros:
            self._numeros[c] = numeros(self.df.iloc[:, self._posicion[c]])
        return self._numeros[c]

    def filas_xml(self) -> FilasXml:
        """Las filas de datos, columna por columna, de a tandas."""
        salida = FilasXml()
        filas = range(2, len(self.df) + 2)
        if not self.columnas:
            salida.agregar([f'<row r="{n}"></row>' for n in filas], filas[-1] if filas else 1)
            return salida
        for desde, hasta in tandas(len(self.df)):
            en_tanda = filas[desde:hasta]
            salida.agregar_tanda(en_tanda, [self._celdas(j, c, desde, hasta, en_tanda)
                                            for j, c in enumerate(self.columnas)])
        return salida

    def _celdas(self, j: int, c: str, desde: int, hasta: int, en_tanda: range) -> list[str]:
        """Las celdas de la columna en la tanda: sus valores y, donde se aplica su regla, la
        fórmula."""
        serie = self.df.iloc[desde:hasta, j]
        celdas, largo = columna_xml(serie, en_tanda, self.letra[c], self.formatos[c],
                                    self.negritas[desde:hasta], self.estilos, self.nombre, c)
        regla = self.aplicables.get(c)
        if regla is not None:
            largo = max(largo, self._poner_formulas(c, regla, serie, celdas, desde, en_tanda))
        self.anchos[c] = max(self.anchos[c], largo + 2)
        return celdas

    def _poner_formulas(self, c: str, regla: Regla, serie: pd.Series, celdas: list[str],
                        desde: int, en_tanda: range) -> int:
        """Donde la fila tiene las entradas, la celda es la fórmula, después de comprobar que
        da lo mismo que la tabla. Devuelve el largo del texto más largo de esas celdas."""
        vacios = serie.isna().tolist()
        brutos = self.numeros_de(c)
        entradas = [self.numeros_de(e) for e in regla.entradas]
        largo = 0
        for k, n in enumerate(en_tanda):
            i = desde + k
            valores = [e[i] for e in entradas]
            if vacios[k] or None in valores:
                continue
            esperado = regla.valor(*valores)
            if not _iguales(esperado, brutos[i]):
                raise ValueError(
                    f"anexo, hoja {self.nombre}, fila {n}, columna {c}: la tabla dice "
                    f"{serie.tolist()[k]!r} pero la fórmula ({regla.descripcion}) da "
                    f"{esperado!r}"
                )
            formula = "=" + regla.formula(*(f"{self.letra[e]}{n}" for e in regla.entradas))
            celdas[k] = formula_xml(f"{self.letra[c]}{n}", formula,
                                    self.estilos(self.formatos[c], self.negritas[i]))
            self.con_formula[c] = self.con_formula.get(c, 0) + 1
            largo = max(largo, len(texto_mostrado(brutos[i], self.formatos[c])))
        return largo

    def columnas_con_formula(self) -> list[tuple[str, str]]:
        """(columna, descripción) de las columnas que llevan alguna fórmula, en orden."""
        return [(c, self.aplicables[c].descripcion) for c in self.columnas
                if c in self.con_formula]


def escribir_tabla(
    ws, nombre: str, df: pd.DataFrame, reglas: list[Regla], estilos: Estilos
) -> tuple[list[tuple[str, str]], FilasXml]:
    """Escribe una tabla en la hoja: el encabezado, los anchos y el filtro con openpyxl, y
    devuelve (columna, descripción) de las columnas con fórmula y las filas de datos en XML
    (`FilasXml`), que `anexo` pone en la hoja al guardar (como la cadena: el escritor de
    openpyxl tarda decenas de µs por celda, y una tabla de operaciones grande tiene
    millones). Lanza ValueError si hay columnas repetidas o una fórmula no da el valor de la
    tabla."""
    tabla = _Tabla(nombre, df, reglas, estilos)
    escribir_encabezado(ws, tabla.columnas)
    salida = tabla.filas_xml()
    ajustar_hoja(ws, [tabla.anchos[c] for c in tabla.columnas], len(df))
    return tabla.columnas_con_formula(), salida
