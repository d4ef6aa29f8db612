"""El avance objetivo de cada unidad de la muestra por trimestre, y la ventana de su ajuste.

Entran las unidades (de `estructura`), las unidades publicadas (`mre-2024-unidades.csv`), la
media publicada del servicio exterior (`mre-2024-area.csv`), las correcciones del catálogo y
el generador de números al azar; salen diccionarios (unidad, trimestre) -> avance objetivo
y (unidad, trimestre) -> ventana del ajuste. Central: la cifra publicada en T1 y T2; misiones:
metas variadas con la media publicada; T3 y T4: entre 80 y 100.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from . import catalogo as cat
from .comun import leer_csv

# Ventana del ajuste de T1 y T2: el avance calculado queda a menos de 0,0004 del objetivo,
# y por exceso cuando una cifra derivada del objetivo (el propio avance × 0,25, o la media de
# un área o ACP, o esa media × 0,25) cae justo en la mitad de un centésimo: así el redondeo a
# mitad lejos de cero da la cifra publicada.
VENTANA = (-0.0004, 0.0004)
VENTANA_POR_EXCESO = (0.00002, 0.0004)

# Avance habitual de cada tipo de unidad del exterior, del que se parte al sortear sus metas.
AVANCE_HABITUAL = {
    "Embajada": 86,
    "Consulado": 71,
    "Consulado General": 80,
    "Viceconsulado": 74,
    "Representación Permanente": 88,
    "Centro Emisor": 88,
    "Coordinación": 86,
}


def media_exterior_publicada() -> dict[int, float]:
    """Trimestre -> avance publicado del área del servicio exterior (T1 y T2)."""
    return {
        int(f["period"][1]): float(f["avance_pct"])
        for f in leer_csv("mre-2024-area.csv")
        if f["area"] == cat.AREA_EXTERIOR and f["period"] in ("Q1", "Q2")
    }


MEDIA_EXTERIOR = media_exterior_publicada()


def meta_segundo_semestre(rng: np.random.Generator) -> float:
    return 100.0 if rng.random() < 0.3 else round(float(rng.uniform(80, 98.5)), 2)


def metas_exterior(rng: np.random.Generator, unidades: list[dict]) -> dict:
    """Avance objetivo por unidad exterior y trimestre: variado (40-100) y con media igual a
    la publicada en T1 y T2 (la de la coordinación se recalcula al final); en T3 y T4, entre
    80 y 100."""
    ext = [u for u in unidades if u["area"] == cat.AREA_EXTERIOR]
    n = len(ext)
    metas: dict = {}
    previo = np.array([AVANCE_HABITUAL[u["tipo"]] for u in ext], dtype=float) + rng.normal(
        0, 13, n
    )
    # La misión con un mes sin reporte tiene un avance bajo en ese trimestre.
    sin_reporte = [u["codigo_unidad"] == cat.SIN_REPORTE[0] for u in ext]
    es_coordinacion = np.array([u["codigo_unidad"] == cat.COORDINACION for u in ext])
    q_sin_reporte = (cat.SIN_REPORTE[2] - 1) // 3 + 1
    for q in (1, 2):
        if q == 2:
            previo = previo + rng.normal(3.5, 8, n)
        crudo = np.where(previo > 97.5, 100.0, previo)
        # La coordinación absorbe luego la diferencia: su meta queda lejos de 100.
        crudo = np.where(es_coordinacion, np.clip(previo, 60, 92), crudo)
        fijo = np.array(sin_reporte) & (q == q_sin_reporte)
        crudo = np.where(fijo, 58.4, crudo)
        v = desplazar_a_la_media(crudo, fijo, MEDIA_EXTERIOR[q])
        for u, x in zip(ext, v):
            metas[(u["codigo_unidad"], q)] = round(float(x), 2)
    for u in ext:
        for q in (3, 4):
            metas[(u["codigo_unidad"], q)] = meta_segundo_semestre(rng)
    return metas


def desplazar_a_la_media(crudo: np.ndarray, fijo: np.ndarray, media: float) -> np.ndarray:
    """Las metas `crudo` desplazadas (entre 40 y 96) para que su media sea `media`; las de 100
    y las `fijo` no se mueven. El desplazamiento se halla por bisección."""
    lo, hi = -60.0, 60.0
    for _ in range(100):
        d = (lo + hi) / 2
        v = np.where((crudo >= 100) | fijo, crudo, np.clip(crudo + d, 40, 96.0))
        if v.mean() < media:
            lo = d
        else:
            hi = d
    return v


def metas_centrales(rng: np.random.Generator, ref_unidades: list[dict]) -> dict:
    """Avance objetivo de las unidades centrales: el publicado en T1 y T2 (con las
    correcciones del catálogo) y sorteado en T3 y T4."""
    metas = {}
    for fila in ref_unidades:
        metas[(fila["unit"], 1)] = float(fila["avance_q1"])
        metas[(fila["unit"], 2)] = float(fila["avance_q2"])
        metas[(fila["unit"], 3)] = meta_segundo_semestre(rng)
        metas[(fila["unit"], 4)] = meta_segundo_semestre(rng)
    metas.update(cat.CORRECCIONES)
    return metas


def en_mitad(valor: Fraction) -> bool:
    """True si valor cae exactamente en la mitad de un centésimo (x,xx5)."""
    return (valor * 1000) % 10 == 5


def grupos_centrales(ref_unidades: list[dict]) -> dict:
    """(área o ACP, código) -> las unidades centrales que promedia."""
    grupos: dict = {}
    for f in ref_unidades:
        grupos.setdefault(("area", f["area"]), []).append(f["unit"])
        grupos.setdefault(("acp", f["acp"]), []).append(f["unit"])
    return grupos


def ventanas_centrales(ref_unidades: list[dict]) -> dict:
    """Ventana de ajuste por (unidad, trimestre) de las unidades centrales en T1 y T2."""
    ventanas = {}
    for q in (1, 2):
        meta = {f["unit"]: Fraction(f[f"avance_q{q}"]) for f in ref_unidades}
        meta.update({u: Fraction(str(v)) for (u, qq), v in cat.CORRECCIONES.items() if qq == q})
        for u, v in meta.items():
            ventanas[(u, q)] = VENTANA_POR_EXCESO if en_mitad(v / 4) else VENTANA
        for unidades in grupos_centrales(ref_unidades).values():
            media = sum(meta[u] for u in unidades) / len(unidades)
            if en_mitad(media) or en_mitad(media / 4):
                for u in unidades:
                    ventanas[(u, q)] = VENTANA_POR_EXCESO
    return ventanas
