"""Una hoja de la cadena de cálculo del anexo, declarada columna por columna, y su escritura.

- Entra: una `Hoja` armada por `helpers.salida.anexo_cadena` y sus módulos: su nombre, cuántas
  filas de datos tiene, si lleva fila TOTAL y sus columnas en orden, cada una de valores (una
  columna de los datos) o de fórmula (una plantilla con ``{f}`` en lugar del número de fila).
  La hoja asigna las letras al agregar las columnas, y con ellas se arman las referencias de
  las plantillas (`Hoja.c`, `Hoja.fija`, `Hoja.rango`).
- Sale (`escribir_hoja`): la hoja de openpyxl con su encabezado, anchos, filtro y paneles;
  sus filas de datos en XML (`anexo_formatos.FilasXml`), que `helpers.salida.anexo` pone en
  la hoja al guardar, y (hoja, encabezado, descripción) de cada columna con fórmula, para la
  hoja leeme.

Las filas se escriben como XML porque el escritor de openpyxl sin lxml tarda unos 80 µs por
celda (decenas de miles de celdas); un texto de los datos va siempre como texto
(`inlineStr`), con la comilla de Excel si empieza con = + - @, nunca como fórmula.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.salida.anexo_formatos import (
    Estilos,
    FilasXml,
    ajustar_hoja,
    celda_xml,
    columna_xml,
    escribir_encabezado,
    formula_xml,
    tandas,
    texto_mostrado,
    valor_celda,
)

__all__ = ["Columna", "Hoja", "escribir_hoja"]

_F = "{f}"  # en una plantilla de fórmula, el número de fila


@dataclass
class Columna:
    clave: str
    encabezado: str
    formato: str | None
    valores: pd.Series | None = None  # columna de datos, en el orden de las filas
    plantilla: str | None = None  # fórmula con "{f}" en lugar del número de fila
    descripcion: str | None = None  # para la hoja leeme (columnas con fórmula)
    total: object = None  # fila TOTAL: None (vacía), un valor, "suma" o "fila" (la plantilla)


@dataclass
class Hoja:
    """Una hoja de la cadena: columnas en orden, con letras asignadas al agregarlas."""

    nombre: str
    filas: int
    con_total: bool = False
    columnas: list[Columna] = field(default_factory=list)
    letras: dict[str, str] = field(default_factory=dict)

    def _agregar(self, col: Columna) -> str:
        if col.clave in self.letras:
            raise ValueError(f"anexo, hoja {self.nombre}: columna repetida {col.clave}")
        self.columnas.append(col)
        letra = get_column_letter(len(self.columnas))
        self.letras[col.clave] = letra
        return letra

    def valor(self, clave: str, encabezado: str, formato: str | None, valores, total=None) -> None:
        # Una columna de un DataFrame conserva su tipo (`columna_xml` convierte de una vez
        # las de números); otra secuencia va como objetos, valor por valor.
        if isinstance(valores, pd.Series):
            serie = valores.reset_index(drop=True)
        else:
            serie = pd.Series(list(valores), dtype=object)
        self._agregar(Columna(clave, encabezado, formato, valores=serie, total=total))

    def formula(self, clave: str, encabezado: str, formato: str | None, descripcion: str,
                plantilla: str, total=None) -> None:
        self._agregar(Columna(clave, encabezado, formato, plantilla=plantilla,
                              descripcion=descripcion, total=total))

    def c(self, clave: str) -> str:
        """La celda de la columna en la misma fila (para una plantilla)."""
        return f"{self.letras[clave]}{_F}"

    def fija(self, clave: str) -> str:
        """La celda de la columna en la misma fila, con la columna fija ($A{f})."""
        return f"${self.letras[clave]}{_F}"

    def ultima_fila(self) -> int:
        return 1 + max(self.filas, 1)  # sin filas, un rango de una fila vacía

    def rango(self, clave: str) -> str:
        """Las filas de datos de la columna, desde otra hoja: hoja!$X$2:$X$n."""
        letra = self.letras[clave]
        return f"{self.nombre}!${letra}$2:${letra}${self.ultima_fila()}"


def _plantillas(hoja: Hoja, estilos: Estilos) -> dict[int, tuple[str, str]]:
    """Posición -> (cuerpo escapado, estilo) de cada columna de fórmula. Lo mismo que
    `formula_xml` con el número de cada fila: "{f}" no cambia al escaparse, así que la
    plantilla se escapa una sola vez."""
    return {j: (escape(col.plantilla[1:]), estilos(col.formato, False))
            for j, col in enumerate(hoja.columnas) if col.plantilla is not None}


def _filas_de_datos(hoja: Hoja, estilos: Estilos, anchos: list[int], salida: FilasXml) -> None:
    """Las filas de datos, columna por columna, de a tandas; agranda `anchos` con lo que
    muestran las columnas de valores."""
    filas = range(2, hoja.filas + 2)
    plantillas = _plantillas(hoja, estilos)
    for desde, hasta in tandas(hoja.filas) if hoja.columnas else []:
        en_tanda = filas[desde:hasta]
        celdas_por_columna = []
        for j, col in enumerate(hoja.columnas):
            letra = hoja.letras[col.clave]
            if j in plantillas:
                cuerpo, estilo = plantillas[j]
                celdas = [f'<c r="{letra}{n}"{estilo}><f>{cuerpo.replace(_F, str(n))}</f></c>'
                          for n in en_tanda]
            else:
                celdas, largo = columna_xml(col.valores.iloc[desde:hasta], en_tanda, letra,
                                            col.formato, None, estilos, hoja.nombre,
                                            col.encabezado)
                anchos[j] = max(anchos[j], largo + 2)
            celdas_por_columna.append(celdas)
        salida.agregar_tanda(en_tanda, celdas_por_columna)


def _celda_total(hoja: Hoja, j: int, n: int, estilos: Estilos, anchos: list[int]) -> str:
    """La celda de la columna `j` en la fila TOTAL (la `n`), en negrita: la suma de la
    columna, su plantilla en esa fila, un valor o vacía."""
    col = hoja.columnas[j]
    letra = hoja.letras[col.clave]
    if col.total == "suma" and hoja.filas:
        return formula_xml(f"{letra}{n}", f"=SUM({letra}2:{letra}{hoja.ultima_fila()})",
                           estilos(col.formato, True))
    if col.total == "fila":
        return formula_xml(f"{letra}{n}", col.plantilla.replace(_F, str(n)),
                           estilos(col.formato, True))
    valor = valor_celda(0 if col.total == "suma" else col.total, hoja.nombre, n, col.encabezado)
    celda = celda_xml(f"{letra}{n}", valor, col.formato, True, estilos,
                      f"hoja {hoja.nombre}, fila {n}, columna {col.encabezado}")
    if valor is not None and valor != "":
        anchos[j] = max(anchos[j], len(texto_mostrado(valor, col.formato)) + 2)
    return celda


def _fila_total(hoja: Hoja, estilos: Estilos, anchos: list[int], salida: FilasXml) -> None:
    n = hoja.filas + 2
    partes = [f'<row r="{n}">']
    partes += [_celda_total(hoja, j, n, estilos, anchos) for j in range(len(hoja.columnas))]
    partes.append("</row>")
    salida.agregar(partes, n)


def _formulas_de(hoja: Hoja) -> list[tuple[str, str, str]]:
    """(hoja, encabezado, descripción) de las columnas con fórmula, para la hoja leeme."""
    formulas = []
    for c in hoja.columnas:
        if c.plantilla:
            formulas.append((hoja.nombre, c.encabezado, c.descripcion))
        elif hoja.con_total and hoja.filas and c.total == "suma":
            formulas.append((hoja.nombre, c.encabezado,
                             "en la fila TOTAL, suma de la columna (las demás filas son datos)"))
    return formulas


def escribir_hoja(ws, hoja: Hoja, estilos: Estilos) -> tuple[list[tuple[str, str, str]],
                                                           FilasXml]:
    """Escribe el encabezado, los anchos y el filtro de la hoja con openpyxl; devuelve
    (hoja, encabezado, descripción) de las columnas con fórmula y las filas de datos en
    XML (`FilasXml`), que `helpers.salida.anexo` pone en la hoja al guardar."""
    escribir_encabezado(ws, [c.encabezado for c in hoja.columnas])
    anchos = [max(len(c.encabezado) + 3, 10 if c.plantilla else 0) for c in hoja.columnas]
    salida = FilasXml()
    _filas_de_datos(hoja, estilos, anchos, salida)
    if hoja.con_total:
        _fila_total(hoja, estilos, anchos, salida)
    ajustar_hoja(ws, anchos, hoja.filas)
    return _formulas_de(hoja), salida
