"""Los nombres de los meses y de los trimestres, y las fechas como se escriben en el
informe: una sola definición para textos, tablas, gráficos y el anexo."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

MESES_NOMBRE = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                "septiembre", "octubre", "noviembre", "diciembre")
MESES_CORTO = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")
TRIMESTRES = {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto"}


def cierre_de_mes(gestion: int, mes: int) -> dt.date:
    """El último día de `mes` de `gestion` (los cortes de los informes son cierres de mes)."""
    return dt.date(gestion, mes, calendar.monthrange(gestion, mes)[1])


def meses_del_trimestre(trimestre: int) -> list[int]:
    """Meses del trimestre: 2 -> [4, 5, 6]."""
    if trimestre not in TRIMESTRES:
        raise ValueError(f"trimestre fuera de rango: {trimestre}")
    return [3 * trimestre - 2, 3 * trimestre - 1, 3 * trimestre]


def nombre_mes(mes: int) -> str:
    """5 -> 'mayo'."""
    return MESES_NOMBRE[int(mes) - 1]


def enumerar_meses(meses: Iterable[int]) -> str:
    """[4, 5, 6] -> 'abril, mayo y junio'."""
    nombres = [nombre_mes(m) for m in meses]
    if len(nombres) <= 1:
        return "".join(nombres)
    return f"{', '.join(nombres[:-1])} y {nombres[-1]}"


def fecha_larga(fecha: dt.date) -> str:
    """30 de junio de 2024."""
    return f"{fecha.day} de {nombre_mes(fecha.month)} de {fecha.year}"
