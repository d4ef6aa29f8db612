"""El presupuesto y los ingresos de la muestra.

Entran las cifras publicadas (`mre-2024-catprog.csv`: vigente y devengado de cada categoría
programática; `mre-2024-mensual.csv`: el patrón mensual de ejecución de cada área;
`mre-2024-area.csv`: el vigente de cada área al primer trimestre), los programas, fuentes e
ingresos del catálogo, las unidades y el generador de números al azar; salen las filas de las
hojas presupuesto (con su historia: `inicial` y `vig_01..vig_12`) e ingresos, con montos en
bolivianos (float).
"""

from __future__ import annotations

import math

import numpy as np

from . import catalogo as cat
from .comun import ESTACION_CONSULAR, MESES, SEMILLA, centavos, cents, leer_csv
from .montos import repartir
from .servicios import recaudacion


def construir_presupuesto(rng, unidades: list[dict]) -> list[dict]:
    """Una línea por categoría publicada: el devengado de T1 y T2 al centavo (repartido en
    sus meses con el patrón de su área) y un segundo semestre que deja lo devengado en el año
    entre el 80 % y el 97 % del vigente."""
    area_de = {u["codigo_unidad"]: u["area"] for u in unidades}
    patron = {
        f["area"]: [float(f[k]) for k in ("jan", "feb", "mar", "apr", "may", "jun")]
        for f in leer_csv("mre-2024-mensual.csv")
        if f["indicator"] == "ejecucion"
    }

    def variar(pesos):
        return [w * float(rng.uniform(0.85, 1.15)) for w in pesos]

    lineas = []
    for f in leer_csv("mre-2024-catprog.csv"):
        categoria = f["cat_prog"]
        vigente = centavos(f["vigente_bs"])
        q2 = centavos(f["dev_q2_bs"])
        s1 = centavos(f["dev_s1_bs"])
        q1 = s1 - q2
        base = patron[area_de[f["unit"]]]
        dev = repartir(q1, variar(base[:3])) + repartir(q2, variar(base[3:]))
        cuota_anual = float(rng.uniform(0.80, 0.97))
        segundo = math.floor(vigente * cuota_anual) - s1
        assert segundo >= 0, categoria
        if s1 == 0:  # línea sin gasto en el semestre: arranca en septiembre
            pesos_s2 = [0, 0, 0.6, 0.9, 1.0, 1.6]
        else:
            pesos_s2 = [0.85, 0.9, 0.95, 0.95, 1.0, 1.5]
        dev += repartir(segundo, variar(pesos_s2))
        assert sum(dev[3:6]) == q2 and sum(dev[:6]) == s1 and sum(dev) <= vigente
        programa, fuente = cat.PROGRAMAS[categoria]
        lineas.append(
            {
                "categoria_programatica": categoria,
                "programa": programa,
                "codigo_unidad": f["unit"],
                "codigo_acp": f["acp"],
                "fuente": fuente,
                "grupo_gasto": cat.GRUPOS_GASTO[categoria],
                "vigente": vigente / 100,
                **{f"dev_{m:02d}": dev[m - 1] / 100 for m in MESES},
            }
        )
    return lineas


def agregar_historia_presupuesto(lineas: list[dict], unidades: list[dict]) -> None:
    """`inicial` y `vig_01..vig_12` de cada línea. El vigente de cada área al cierre de
    marzo es el publicado para el primer trimestre y el de hoy (`vigente`) el del segundo:
    en el mes de la modificación (cat.MES_MODIFICACION_PRESUPUESTARIA), la línea del tesoro
    más grande de cada área recibe (o cede) la diferencia, de modo que el total de la entidad
    no cambia. Sólo se escribe el vig_ del mes que cambia (vacío = sin cambio); el inicial,
    en todas las líneas."""
    area_de = {u["codigo_unidad"]: u["area"] for u in unidades}
    q1 = {
        f["area"]: centavos(f["vigente_bs"])
        for f in leer_csv("mre-2024-area.csv")
        if f["period"] == "Q1" and f["area"] in area_de.values()
    }
    assert set(q1) == set(area_de.values())
    for linea in lineas:
        linea["inicial"] = linea["vigente"]
        linea.update({f"vig_{m:02d}": None for m in MESES})
    diferencias = {}
    for area, al_primer_trimestre in q1.items():
        propias = [x for x in lineas if area_de[x["codigo_unidad"]] == area]
        diferencias[area] = sum(cents(x["vigente"]) for x in propias) - al_primer_trimestre
        if diferencias[area] != 0:
            modificar_linea_mayor(propias, diferencias[area], area)
    assert sum(diferencias.values()) == 0, diferencias  # el total de la entidad no cambia


def modificar_linea_mayor(propias: list[dict], diferencia: int, area: str) -> None:
    """La línea del tesoro más grande del área empieza con `diferencia` centavos menos y
    llega a su vigente en el mes de la modificación."""
    mes = cat.MES_MODIFICACION_PRESUPUESTARIA
    tesoro = [x for x in propias if x["fuente"] == cat.FUENTE_TESORO]
    linea = max(tesoro, key=lambda x: (x["vigente"], x["categoria_programatica"]))
    inicial = cents(linea["vigente"]) - diferencia
    previo = sum(cents(linea[f"dev_{m:02d}"]) for m in range(1, mes))
    assert inicial >= max(0, previo), (area, inicial, previo)
    linea["inicial"] = inicial / 100
    linea[f"vig_{mes:02d}"] = linea["vigente"]


def construir_ingresos() -> list[dict]:
    """Recaudación mensual de cada rubro: la parte del vigente del catálogo repartida en el
    año con más peso en los meses de más trámites; una devolución en abril en el primero."""
    rng = np.random.default_rng(SEMILLA + 2)
    devolucion = (cat.INGRESOS[0][0], 4, 12_450)  # valores anulados
    return recaudacion(rng, cat.INGRESOS, ESTACION_CONSULAR, devolucion)
