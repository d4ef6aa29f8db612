"""Los montos del presupuesto de un libro de muestra: repartirlos en meses y su historia.

Lo comparten los generadores de las dos muestras, sin leer ningún catálogo: un total en
centavos repartido en meses según pesos, el vigente de una línea al cierre de un mes (su
`inicial` y sus `vig_01..vig_12`, como dice el contrato) y la comprobación de esa historia.
"""

from __future__ import annotations

from .comun import MESES, cents


def repartir(total: int, pesos: list[float]) -> list[int]:
    """Reparte centavos según pesos (pueden ser negativos); el resto va al último mes.
    Un total pequeño (menos de 5.000 Bs) se devenga de una vez, en el mes de mayor peso, y
    ningún mes recibe menos de 50 Bs (su parte queda en el último mes)."""
    if total == 0:
        return [0] * len(pesos)
    if abs(total) < 500_000:
        partes = [0] * len(pesos)
        partes[max(range(len(pesos)), key=lambda i: (pesos[i], i))] = total
        return partes
    suma = sum(pesos)
    partes = [round(total * w / suma) for w in pesos[:-1]]
    partes = [x if abs(x) >= 5_000 else 0 for x in partes]
    return partes + [total - sum(partes)]


def vigente_al_cierre(linea: dict, mes: int) -> int:
    """Centavos en vigor al cierre de `mes` (contrato: vig_ vacío = el del mes anterior,
    antes del primero el inicial; sin ningún vig_, el vigente todo el año)."""
    escritos = [m for m in MESES if linea[f"vig_{m:02d}"] is not None]
    if not escritos:
        return cents(linea["vigente"])
    monto = linea["inicial"]
    for m in range(1, mes + 1):
        if linea[f"vig_{m:02d}"] is not None:
            monto = linea[f"vig_{m:02d}"]
    return cents(monto)


def verificar_historia_linea(linea: dict) -> None:
    """El último vig_ escrito es el vigente de hoy, y lo devengado hasta cada mes no pasa
    de lo que la línea tiene en vigor al cierre de ese mes."""
    escritos = [m for m in MESES if linea[f"vig_{m:02d}"] is not None]
    if escritos:
        assert linea[f"vig_{escritos[-1]:02d}"] == linea["vigente"], linea
    devengado = 0
    for m in MESES:
        devengado += cents(linea[f"dev_{m:02d}"])
        assert devengado <= vigente_al_cierre(linea, m), (linea["categoria_programatica"], m)
