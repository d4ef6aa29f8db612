"""El presupuesto de la muestra departamental: su historia en el año y lo devengado.

Entran las líneas del catálogo (`presupuesto.csv`: categoría, fuente, unidad, ACP, inicial y
perfil de gasto), las modificaciones y la reversión de `entidad.yaml` y el generador de
números al azar; salen las filas de la hoja presupuesto, con montos en bolivianos (float):
`inicial`, el vigente del mes de cada modificación (`vig_MM`; vacío los demás meses, como dice
el contrato) y el `vigente` de hoy, y el devengado de cada mes, repartido según el perfil de
la línea hasta una parte del vigente que se sortea (`ejecucion_anual`).
"""

from __future__ import annotations

import math

from muestra.comun import MESES
from muestra.montos import repartir

from . import catalogo as cat


def aplicar_modificaciones(lineas: list[dict]) -> None:
    """El vigente de cada línea mes a mes: cada modificación suma (o resta) su monto en su mes
    y lo escribe en `vig_MM`; el último, o el inicial si no hubo ninguna, es el `vigente`."""
    por_clave = {(x["categoria_programatica"], x["fuente"]): x for x in lineas}
    for linea in lineas:
        linea.update({f"vig_{m:02d}": None for m in MESES})
        linea["vigente"] = linea["inicial"]
    for mes, categoria, fuente, monto in sorted(cat.MODIFICACIONES, key=lambda m: m[0]):
        linea = por_clave[(categoria, fuente)]
        linea["vigente"] = (round(linea["vigente"] * 100) + monto * 100) / 100
        linea[f"vig_{mes:02d}"] = linea["vigente"]


def devengado(rng, vigente: float, perfil: list[float]) -> list[int]:
    """El devengado de cada mes, en centavos: una parte sorteada del vigente repartida según
    el perfil de gasto (±15 % cada mes)."""
    parte = float(rng.uniform(*cat.EJECUCION_ANUAL))
    pesos = [w * float(rng.uniform(0.85, 1.15)) for w in perfil]
    return repartir(math.floor(round(vigente * 100) * parte), pesos)


def revertir(dev: list[int], mes: int, monto: int) -> None:
    """La reversión: el mes devenga `monto` centavos en negativo, y el siguiente recupera lo
    que el mes tenía más lo revertido (el año no cambia)."""
    dev[mes] += dev[mes - 1] + monto
    dev[mes - 1] = -monto


def construir_presupuesto(rng) -> list[dict]:
    """Las líneas de la hoja presupuesto, en el orden del catálogo."""
    lineas = [
        {k: f[k] for k in ("categoria_programatica", "programa", "codigo_unidad", "codigo_acp",
                           "fuente")} | {"inicial": float(f["inicial"])}
        for f in cat.PRESUPUESTO
    ]
    aplicar_modificaciones(lineas)
    mes, categoria, fuente, monto = cat.REVERSION
    for linea, fila in zip(lineas, cat.PRESUPUESTO):
        dev = devengado(rng, linea["vigente"], cat.PERFILES[fila["perfil"]])
        if (linea["categoria_programatica"], linea["fuente"]) == (categoria, fuente):
            revertir(dev, mes, monto * 100)
        linea.update({f"dev_{m:02d}": dev[m - 1] / 100 for m in MESES})
    return lineas
