"""Las tablas de la muestra reproducen las cifras publicadas por el ministerio allí donde
siguen las reglas de la metodología: la tabla por ACP de T2 (data/referencia/mre-2024-acp.csv)
y el presupuesto de cada área en T1, con el vigente al 31 de marzo (mre-2024-area.csv)."""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.calculo.tablas import TOTAL, tablas_trimestrales
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.rutas import RAIZ


def parametros(trimestre: int):
    return cargar_parametros(RAIZ / "params" / f"2024-T{trimestre}.yaml")


@pytest.fixture(scope="module")
def datos():
    return cargar_datos(parametros(2).ruta_datos)


@pytest.fixture(scope="module")
def tablas(datos) -> dict[int, dict[str, pd.DataFrame]]:
    return {q: tablas_trimestrales(parametros(q), datos) for q in (1, 2)}


@pytest.fixture(scope="module")
def acp(tablas) -> pd.DataFrame:
    return tablas[2]["acp"].set_index("codigo_acp")


@pytest.fixture(scope="module")
def publicado() -> pd.DataFrame:
    return pd.read_csv(RAIZ / "data" / "referencia" / "mre-2024-acp.csv",
                       dtype={"acp": str}).set_index("acp")


# (columna publicada, columna calculada, filas donde la cifra publicada sigue las reglas)
COMPARABLES = [
    ("vigente_bs", "vigente", ["1", "2", "3", "4", "5", "6", "7", "TOTAL"]),
    ("dev_q2_bs", "devengado_trimestre", ["1", "2", "3", "4", "5", "6", "7", "TOTAL"]),
    ("dev_s1_bs", "devengado_acumulado", ["1", "2", "3", "4", "5", "6", "7", "TOTAL"]),
    ("ejec_q2_pct", "ejecucion_trimestre", ["1", "2", "3", "4", "5", "6", "7", "TOTAL"]),
    ("ejec_s1_pct", "ejecucion_acumulada", ["1", "2", "3", "4", "5", "6", "7", "TOTAL"]),
    ("avance_q2_pct", "avance_fisico_trimestre", ["1", "2", "3", "4", "5", "6"]),
    ("efic_pond_q2_pct", "eficacia_trimestre", ["1", "2", "3", "4", "5", "6"]),
    ("efic_pond_s1_pct", "eficacia_acumulada", ["1", "2", "3", "4", "5", "6"]),
]


@pytest.mark.parametrize("publicada, calculada, filas", COMPARABLES,
                         ids=[c[1] for c in COMPARABLES])
def test_acp_reproduce_lo_publicado(acp, publicado, publicada, calculada, filas):
    tolerancia = 0.005 if publicada.endswith("_bs") else 0.01  # montos al centavo
    for fila in filas:
        assert acp.loc[fila, calculada] == pytest.approx(publicado.loc[fila, publicada],
                                                         abs=tolerancia), fila


def test_el_total_fisico_sigue_la_regla_y_no_el_defecto_publicado(acp):
    # Publicado 80,96 %, menor que todas sus áreas (defecto conocido); la regla da la media
    # de los servicios Central y Exterior.
    assert (acp.loc["TOTAL", "avance_fisico_trimestre"]
            > acp.drop("TOTAL")["avance_fisico_trimestre"].min())


# (columna publicada por área y periodo, columna de la tabla por área)
COMPARABLES_AREA = [
    ("vigente_bs", "vigente"),
    ("devengado_bs", "devengado_trimestre"),
    ("ejec_pct", "ejecucion_trimestre"),
]


@pytest.mark.parametrize(
    "publicada, calculada", COMPARABLES_AREA, ids=[c[1] for c in COMPARABLES_AREA]
)
def test_el_presupuesto_de_cada_area_en_t1_es_el_publicado(tablas, publicada, calculada):
    """En T1 rige el vigente al 31 de marzo (la historia inicial/vig_ del presupuesto), no
    el de hoy: el vigente, el devengado y la ejecución de cada área y de la entidad son los
    publicados para el primer trimestre."""
    area = tablas[1]["area"].set_index("area")
    publicado = pd.read_csv(RAIZ / "data" / "referencia" / "mre-2024-area.csv")
    q1 = publicado[publicado["period"] == "Q1"].set_index("area")
    assert len(q1) == area["nivel"].isin(["area", "entidad"]).sum()
    for nombre, fila in q1.iterrows():
        calculado = area.loc[TOTAL if nombre == "TOTAL_MRE" else nombre, calculada]
        assert calculado == pytest.approx(fila[publicada], abs=0.01), nombre


def test_los_informes_evaluan_el_poa_reformulado(datos, tablas):
    """La reformulación de febrero rige en T1 y T2: sus operaciones dadas de baja no están
    en los informes y las dadas de alta sí; el POA de enero es el inicial (con las bajas,
    sin las altas y con la programación anterior)."""
    ref = datos.reformulaciones
    bajas = set(ref.loc[ref["cambio"] == "baja", "codigo_operacion"])
    altas = set(ref.loc[ref["cambio"] == "alta", "codigo_operacion"])
    assert bajas and altas
    for q in (1, 2):
        en_informe = set(tablas[q]["operacion"]["codigo_operacion"])
        assert not bajas & en_informe and altas <= en_informe, q
    enero = version_al_corte(datos, 1).operaciones.set_index("codigo_operacion")
    assert bajas <= set(enero.index) and not altas & set(enero.index)
    for r in ref[ref["cambio"] == "programacion"].itertuples():
        assert enero.at[r.codigo_operacion, f"prog_{int(r.mes):02d}"] == r.anterior
