"""Advertencias de un libro válido: lo que el informe señala como alerta, ubicado en su celda.

No impiden generar un informe (no son errores): son las alertas que el informe calcula con
las reglas de la metodología (`calculo.metodologia`, `calculo.tablas.tabla_alertas`),
dichas antes de generarlo, en la celda del libro que las produce:

- mes sin reporte: una operación con meta en un mes hasta el corte y la celda `ejec_MM`
  vacía (el informe la cuenta como 0 ejecutado, o deja fuera la operación con
  `sin_reporte: excluir`);
- ejecutado sin programación: una operación sin meta en un trimestre hasta el corte que
  reporta ejecución en él (el informe la muestra «EJECUTADO SIN PROGRAMACIÓN», fuera del
  avance físico); se marca cada celda `ejec_MM` mayor que 0 de ese trimestre;
- devengado negativo: una celda `dev_MM` menor que 0 hasta el corte (una reversión, o un
  signo equivocado).

Las operaciones y sus metas son las del POA en vigor al corte (`calculo.versiones`), como
en el informe; las celdas son las del libro tal como está escrito (columna `fila`).
"""
from __future__ import annotations

import numpy as np

from helpers.calculo import metodologia as m
from helpers.calculo.versiones import version_al_corte
from helpers.comun.calendario import TRIMESTRES, nombre_mes
from helpers.comun.numeros import formatear_monto, formatear_numero
from helpers.entrada.contrato import COLUMNAS_CONTRATO, COLUMNAS_DEV, COLUMNAS_EJEC, HOJAS
from helpers.entrada.datos import Datos
from helpers.entrada.errores import Problema

__all__ = [
    "ADVERTENCIA_DEVENGADO_NEGATIVO",
    "ADVERTENCIA_SIN_PROGRAMACION",
    "ADVERTENCIA_SIN_REPORTE",
    "advertencias",
    "mes_de_corte_del_libro",
]

# El comienzo del mensaje de cada clase de advertencia (el nombre de la alerta del informe).
ADVERTENCIA_SIN_REPORTE = "mes sin reporte"
ADVERTENCIA_SIN_PROGRAMACION = "ejecutado sin programación"
ADVERTENCIA_DEVENGADO_NEGATIVO = "devengado negativo"

_EFECTO_SIN_REPORTE = {
    "cero": "el informe cuenta el mes como 0 ejecutado (regla sin_reporte: cero)",
    "excluir": "el informe deja la operación fuera del cálculo del periodo (regla "
               "sin_reporte: excluir)",
    None: "el informe cuenta el mes como 0 ejecutado, o deja la operación fuera del cálculo "
          "con la regla sin_reporte: excluir",
}


def mes_de_corte_del_libro(datos: Datos) -> int:
    """El último mes con alguna ejecución (`ejec_MM` escrita) o algún devengado (`dev_MM`
    distinto de 0) en el libro; 0 si no hay ninguno. Es el corte de una revisión sin
    archivo de parámetros: hasta ahí llegó lo reportado."""
    ejecutado = datos.operaciones[list(COLUMNAS_EJEC)].notna().to_numpy().any(axis=0)
    devengado = (datos.presupuesto[list(COLUMNAS_DEV)].to_numpy() != 0).any(axis=0)
    meses = np.flatnonzero(ejecutado | devengado)
    return int(meses[-1]) + 1 if len(meses) else 0


def advertencias(datos: Datos, mes_corte: int | None, *,
                 sin_reporte: str | None = None) -> list[Problema]:
    """Las advertencias del libro validado `datos` hasta el cierre de `mes_corte` (1 a 12),
    ordenadas por hoja, fila y columna. Con `mes_corte` None, el corte es el último mes
    reportado (`mes_de_corte_del_libro`). `sin_reporte` es la regla de los parámetros, para
    decir qué hará el informe con un mes sin reporte (None: sin parámetros)."""
    if mes_corte is None:
        mes_corte = mes_de_corte_del_libro(datos)
    if not mes_corte:
        return []
    libro = getattr(datos, "libro", None) or datos
    version = version_al_corte(libro, mes_corte)
    problemas = [
        *_sin_reporte(version, mes_corte, sin_reporte),
        *_sin_programacion(version, mes_corte),
        *_devengado_negativo(libro, mes_corte),
    ]
    return sorted(problemas, key=_orden)


def _archivo(datos: Datos, hoja: str) -> str:
    """El nombre del libro, o el del CSV de la hoja (como en los errores de `cargar_datos`)."""
    libros = [a.name for a in datos.archivos if a.suffix.casefold() in (".xlsx", ".xlsm")]
    return libros[0] if libros else f"{hoja}.csv"


def _cantidad(valor: float) -> str:
    """Una meta o una ejecución: sin decimales si es entera (3, 2,5)."""
    return formatear_numero(valor, 0 if float(valor).is_integer() else 2)


def _sin_reporte(version: Datos, corte: int, regla: str | None) -> list[Problema]:
    ops = version.operaciones
    meses = list(range(1, corte + 1))
    prog = ops[[m.col_prog(mes) for mes in meses]].to_numpy(dtype=float)
    ejec = ops[[m.col_ejec(mes) for mes in meses]].to_numpy(dtype=float)
    # La misma condición que `metodologia.cumplimiento_operaciones` (meses_sin_reporte).
    filas, columnas = np.nonzero(np.isnan(ejec) & (prog > 0))
    archivo = _archivo(version, "operaciones")
    efecto = _EFECTO_SIN_REPORTE.get(regla, _EFECTO_SIN_REPORTE[None])
    codigos, numeros = ops["codigo_operacion"].to_numpy(), ops["fila"].to_numpy()
    return [
        Problema(archivo, "operaciones", int(numeros[i]), m.col_ejec(meses[j]),
                 f"{ADVERTENCIA_SIN_REPORTE}: la operación {codigos[i]} tiene meta en "
                 f"{nombre_mes(meses[j])} ({_cantidad(prog[i, j])}) y no reporta lo "
                 f"ejecutado; {efecto}. Escriba lo ejecutado, o 0 si no se ejecutó nada")
        for i, j in zip(filas, columnas)
    ]


def _sin_programacion(version: Datos, corte: int) -> list[Problema]:
    ops = version.operaciones
    archivo = _archivo(version, "operaciones")
    codigos, numeros = ops["codigo_operacion"].to_numpy(), ops["fila"].to_numpy()
    problemas = []
    for trimestre in range(1, (corte + 2) // 3 + 1):
        meses = m.meses_trimestre(trimestre)
        # El estado del trimestre con la regla del informe (§2.1), no una copia de ella.
        estado = m.cumplimiento_operaciones(ops, meses)["estado"].to_numpy()
        sin_meta = estado == m.ESTADO_SIN_PROGRAMACION
        hasta = [mes for mes in meses if mes <= corte]
        ejec = ops[[m.col_ejec(mes) for mes in hasta]].to_numpy(dtype=float)
        filas, columnas = np.nonzero(sin_meta[:, None] & (np.nan_to_num(ejec) > 0))
        desde, a = m.col_prog(meses[0]), m.col_prog(meses[-1])
        problemas += [
            Problema(archivo, "operaciones", int(numeros[i]), m.col_ejec(hasta[j]),
                     f"{ADVERTENCIA_SIN_PROGRAMACION}: la operación {codigos[i]} no tiene "
                     f"meta en el {TRIMESTRES[trimestre]} trimestre ({desde} a {a} vacías o "
                     f"en 0) y reporta {_cantidad(ejec[i, j])} ejecutado en "
                     f"{nombre_mes(hasta[j])}; el informe la muestra como "
                     f"«{m.ESTADO_SIN_PROGRAMACION}», fuera del avance físico. Si la meta "
                     "existía, prográmela; si no, revise el mes de lo ejecutado")
            for i, j in zip(filas, columnas)
        ]
    return problemas


def _devengado_negativo(datos: Datos, corte: int) -> list[Problema]:
    p = datos.presupuesto
    meses = list(range(1, corte + 1))
    dev = p[[m.col_dev(mes) for mes in meses]].to_numpy(dtype=float)
    filas, columnas = np.nonzero(dev < 0)
    archivo = _archivo(datos, "presupuesto")
    categorias, fuentes = p["categoria_programatica"].to_numpy(), p["fuente"].to_numpy()
    numeros = p["fila"].to_numpy()
    return [
        Problema(archivo, "presupuesto", int(numeros[i]), m.col_dev(meses[j]),
                 f"{ADVERTENCIA_DEVENGADO_NEGATIVO}: la línea {categorias[i]}"
                 f"{f' ({fuentes[i]})' if fuentes[i] else ''} devengó Bs "
                 f"{formatear_monto(dev[i, j])} en {nombre_mes(meses[j])}; el informe lo "
                 "resta del devengado. Si no es una reversión, corrija el signo")
        for i, j in zip(filas, columnas)
    ]


def _orden(problema: Problema) -> tuple:
    columnas = COLUMNAS_CONTRATO.get(problema.hoja, [])
    columna = columnas.index(problema.columna) if problema.columna in columnas else -1
    return (HOJAS.index(problema.hoja), problema.fila or 0, columna, problema.mensaje)

