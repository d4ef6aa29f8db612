"""Las secciones institucionales de la rendición de cuentas (`helpers.redaccion.institucional`):
articulación PDES → PEI → ACP (su tabla, de `helpers.calculo.articulacion`), estructura
organizacional y servicios prestados a la población.

Lo esperado se calcula en cada prueba a partir de las filas de entrada (tablas pequeñas hechas
a mano, el libro pequeño de `fabrica` o la hoja ya leída de la muestra), nunca se copia de
una salida.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import fabrica
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from helpers.calculo import articulacion
from helpers.calculo.anual import tabla_estadisticas
from helpers.comun.calendario import MESES_CORTO
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.preparacion import abrir
from helpers.redaccion import institucional as inst

PARAMS_MUESTRA = "params/2024-anual.yaml"


@pytest.fixture(scope="module")
def muestra():
    return abrir(PARAMS_MUESTRA)


def _prep_pequeno(tmp_path, sin=(), **params):
    """El libro pequeño de `fabrica` sin las hojas `sin`, abierto como rendición anual."""
    tablas = fabrica.tablas_pequenas()
    for hoja in sin:
        del tablas[hoja]
    libro = fabrica.escribir_libro(tmp_path / "datos" / "poa.xlsx", tablas)
    ruta = fabrica.escribir_params(tmp_path / "params" / "anual.yaml", libro,
                                   informe="anual", trimestre=None, **params)
    return abrir(ruta)


def _filas(hoja: list[list]) -> pd.DataFrame:
    return pd.DataFrame(hoja[1:], columns=hoja[0])


# ---------------------------------------------------------------------------------------
# Articulación
# ---------------------------------------------------------------------------------------

def test_sin_hoja_articulacion_muestra_acp_y_amp_de_la_hoja_acp(tmp_path):
    prep = _prep_pequeno(tmp_path, sin=("articulacion",))
    assert not articulacion.hay_articulacion(prep.datos.articulacion)
    texto = inst.parrafo_articulacion(prep)
    assert "no trae la hoja articulacion" in texto
    cuadro = inst.cuadro_articulacion(prep)
    acp = _filas(fabrica.ACP)
    # Cada ACP y su AMP de la hoja acp, y ninguna columna del PDES.
    for codigo, amp in zip(acp["codigo_acp"], acp["codigo_amp"]):
        assert f">{codigo}<" in cuadro
        assert str(amp).replace(" ", "\u00a0") in cuadro
    assert "PDES" not in cuadro
    assert 'id="tabla-articulacion-acp"' in cuadro


def test_con_hoja_articulacion_cuenta_acp_amp_metas_y_ejes(tmp_path):
    prep = _prep_pequeno(tmp_path)
    art = _filas(fabrica.ARTICULACION)
    texto = inst.parrafo_articulacion(prep)
    n_acp = art["codigo_acp"].nunique()
    assert texto.startswith(f"Las {n_acp} acciones de corto plazo (ACP)")
    assert f"{art['codigo_amp'].nunique()} acciones de mediano plazo" in texto
    n_res, n_metas, n_ejes = (art[c].nunique() for c in ("resultado_pdes", "meta_pdes", "eje_pdes"))
    assert f"{n_res} resultados y {n_metas} metas de {n_ejes} eje" in texto
    assert "no figura" not in texto  # todas las ACP de la hoja acp están articuladas


def test_acp_que_falta_en_la_hoja_articulacion_se_nombra(tmp_path):
    tablas = fabrica.tablas_pequenas()
    tablas["articulacion"] = tablas["articulacion"][:2]  # sólo la ACP 1
    libro = fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas)
    prep = abrir(fabrica.escribir_params(tmp_path / "anual.yaml", libro, informe="anual",
                                         trimestre=None))
    texto = inst.parrafo_articulacion(prep)
    assert texto.startswith("La acción de corto plazo (ACP)")
    assert "1 ACP no figura en la hoja articulacion: 2." in texto


def test_articulacion_agrupa_la_jerarquia_y_une_las_celdas_repetidas():
    art = pd.DataFrame({
        "eje_pdes": ["Eje A", "Eje B", "Eje A"],
        "meta_pdes": ["Meta A1", "Meta B1", "Meta A1"],
        "resultado_pdes": ["R1", "R2", "R3"],
        "codigo_amp": ["AMP 1", "AMP 2", "AMP 1"],
        "accion_pei": ["<b>Acción</b> 1", "Acción 2", "<b>Acción</b> 1"],
        "codigo_acp": ["1", "2", "3"],
    })
    acp = pd.DataFrame({"codigo_acp": ["1", "2", "3"], "descripcion": ["Uno", "Dos", "Tres"]})
    tabla = articulacion.tabla_articulacion(art, acp)
    # El eje A queda junto (sus dos filas seguidas), antes que el B, como en la hoja.
    assert tabla["codigo_acp"].tolist() == ["1", "3", "2"]
    assert tabla["descripcion_acp"].tolist() == ["Uno", "Tres", "Dos"]
    html = inst.articulacion_html(tabla)
    # Eje A y Meta A1 una sola vez, abarcando dos filas; los resultados (distintos), no.
    assert html.count("Eje A") == 1 and html.count("Meta A1") == 1
    assert len(re.findall(r'rowspan="2"', html)) == 2
    assert html.count("<tr") == 1 + len(art)
    # El texto del libro se escapa: no hay negrita.
    assert "<b>" not in html and "&lt;b&gt;Acción&lt;/b&gt; 1" in html


def test_articulacion_no_une_resultados_de_metas_distintas():
    # El mismo resultado bajo dos metas distintas: no se une (la columna de la izquierda cambia).
    art = pd.DataFrame({"eje_pdes": ["E", "E"], "meta_pdes": ["M1", "M2"],
                        "resultado_pdes": ["R", "R"], "codigo_amp": ["", ""],
                        "accion_pei": ["", ""], "codigo_acp": ["1", "2"]})
    acp = pd.DataFrame({"codigo_acp": ["1", "2"], "descripcion": ["Uno", "Dos"]})
    tabla = articulacion.tabla_articulacion(art, acp)
    assert "codigo_amp" not in tabla and "accion_pei" not in tabla  # columnas vacías
    tramos = inst._tramos(tabla, list(tabla.columns))
    assert [t[0] for t in tramos] == [2, 0]  # el eje se une
    assert [t[2] for t in tramos] == [1, 1]  # el resultado no


def test_texto_limpio_sin_espacios_y_vacio_por_celda_vacia():
    crudos = ["  Eje A ", None, np.nan, 3]
    assert list(articulacion.texto_limpio(pd.Series(crudos, dtype=object))) == [
        crudos[0].strip(), "", "", str(crudos[3])]


def test_el_cuadro_titula_cada_columna_de_la_tabla():
    # Los títulos de la redacción cubren la jerarquía del cálculo, en su orden.
    assert list(inst.COLUMNAS_ARTICULACION) == [*articulacion.JERARQUIA_ARTICULACION,
                                                "descripcion_acp"]


# ---------------------------------------------------------------------------------------
# Estructura organizacional
# ---------------------------------------------------------------------------------------

UNIDADES = pd.DataFrame({
    "codigo_unidad": ["U1", "U2", "U3", "U4", "U5", "U6"],
    "nombre": [f"Unidad {i}" for i in range(1, 7)],
    "area": ["A", "A", "B", "C", "C", "C"],
    "servicio": ["Central", "Central", "Central", "Exterior", "Exterior", "Exterior"],
    "tipo": ["Dirección", "Unidad", None, "Embajada", "Embajada", "Dirección"],
})


def test_conteos_por_area_suman_las_unidades():
    tabla = inst.unidades_por_area(UNIDADES, {"A": "Área A"})
    filas = tabla[tabla["area"] != inst.TOTAL]
    assert filas["unidades"].sum() == len(UNIDADES)
    assert tabla.iloc[-1]["unidades"] == len(UNIDADES)
    assert dict(zip(filas["area"], filas["unidades"])) == UNIDADES["area"].value_counts().to_dict()
    assert tabla["nombre"].tolist()[:3] == ["Área A", "B", "C"]  # sin nombre: el código
    c = tabla.set_index("area").loc["C"]
    assert c["servicio"] == "Exterior"
    assert tabla.iloc[-1]["servicio"] == "Central y Exterior"  # en el orden de la hoja
    assert c["tipos"] == "Embajada (2), Dirección (1)"
    assert tabla.set_index("area").loc["B", "tipos"] == f"{inst.SIN_TIPO} (1)"


def test_conteos_por_tipo_y_servicio_suman_las_unidades():
    tabla = inst.unidades_por_tipo(UNIDADES)
    filas = tabla[tabla["tipo"] != inst.TOTAL].set_index("tipo")
    total = tabla.iloc[-1]
    assert total["total"] == len(UNIDADES)
    for servicio, n in UNIDADES["servicio"].value_counts().items():
        assert filas[servicio].sum() == n == total[servicio]
    assert (filas["Central"] + filas["Exterior"] == filas["total"]).all()
    assert filas.loc["Dirección", "Central"] == 1 == filas.loc["Dirección", "Exterior"]
    assert filas.loc["Embajada", "Exterior"] == 2
    # Primero los tipos del servicio central, de más a menos.
    assert filas.index[0] == "Dirección" and filas.index[-1] == "Embajada"


def test_estructura_de_la_muestra(muestra):
    unidades = muestra.unidades
    areas = inst.unidades_por_area(unidades,
                                   dict(zip(muestra.areas["area"], muestra.areas["nombre"])))
    tipos = inst.unidades_por_tipo(unidades)
    assert areas.iloc[:-1]["unidades"].sum() == len(unidades) == areas.iloc[-1]["unidades"]
    assert tipos.iloc[:-1]["total"].sum() == len(unidades) == tipos.iloc[-1]["total"]
    texto = inst.parrafo_estructura(muestra)
    assert f"{formatear_entero(len(unidades))} unidades organizacionales" in texto
    assert f"{unidades['area'].nunique()} áreas" in texto
    # El área con más unidades, por su nombre (no su código), con su parte del total.
    cuenta = unidades["area"].value_counts()
    mayor = cuenta.index[0]
    assert md(muestra.nombre_area(mayor)) in texto
    assert pct(100 * cuenta.iloc[0] / len(unidades)) in texto
    html = inst.cuadro_areas(muestra)
    assert mayor not in html.replace(muestra.nombre_area(mayor), "")  # ningún código de área


# ---------------------------------------------------------------------------------------
# Servicios prestados a la población
# ---------------------------------------------------------------------------------------

def _estadisticas(filas, hasta_mes=12):
    """La tabla ancha de `helpers.calculo.anual` a partir de filas (unidad, indicador,
    desagregación, mes, valor) de la hoja."""
    hoja = pd.DataFrame(filas, columns=["codigo_unidad", "indicador", "desagregacion", "mes",
                                        "valor"])
    return hoja, tabla_estadisticas(SimpleNamespace(estadisticas=hoja), hasta_mes=hasta_mes)


HOJA = [
    ("U1", "Pasaportes", "Perú", 1, 10), ("U1", "Pasaportes", "Perú", 2, 12),
    ("U1", "Pasaportes", "Chile", 2, 5), ("U2", "Pasaportes", "Perú", 1, 7),
    ("U2", "Pasaportes", "Chile", 7, 30), ("U2", "Pasaportes", "Chile", 12, 4),
    ("U1", "Visas", None, 3, 2.5), ("U2", "Visas", None, 3, 1), ("U2", "Visas", None, 8, 6),
]


def test_pivote_suma_lo_mismo_que_la_hoja():
    hoja, est = _estadisticas(HOJA)
    piv = inst.pivote_servicio(est, "Pasaportes", inst.meses_del_corte(4))
    de_la_hoja = hoja[hoja["indicador"] == "Pasaportes"]
    total = piv[piv["etiqueta"] == inst.TOTAL].iloc[0]
    assert total["total"] == de_la_hoja["valor"].sum()
    filas = piv[piv["etiqueta"] != inst.TOTAL].set_index("etiqueta")
    assert filas["total"].to_dict() == de_la_hoja.groupby("desagregacion")["valor"].sum().to_dict()
    for mes, valor in de_la_hoja.groupby("mes")["valor"].sum().items():
        assert total[f"mes_{mes:02d}"] == valor
    # Un mes sin ningún dato queda vacío, no 0; las filas, de mayor a menor total.
    assert pd.isna(total["mes_05"])
    assert filas.index.tolist() == ["Chile", "Perú"]


def test_meses_posteriores_al_corte_no_aparecen():
    hoja, est = _estadisticas(HOJA, hasta_mes=6)
    meses = inst.meses_del_corte(2)
    assert meses == [1, 2, 3, 4, 5, 6]
    piv = inst.pivote_servicio(est, "Pasaportes", meses)
    assert [c for c in piv.columns if c.startswith("mes_")] == [f"mes_{m:02d}" for m in meses]
    hasta_junio = hoja[(hoja["indicador"] == "Pasaportes") & (hoja["mes"] <= 6)]["valor"].sum()
    assert piv.iloc[-1]["total"] == hasta_junio
    html = inst.cuadro_servicio(piv)
    assert all(f">{m}<" not in html for m in MESES_CORTO[6:])
    assert all(f">{m}<" in html for m in MESES_CORTO[:6])


def test_corte_en_junio_en_la_seccion(tmp_path):
    prep = _prep_pequeno(tmp_path, corte="junio")
    assert prep.trimestre == 2
    for servicio in inst.servicios(prep):
        meses = [c for c in servicio["pivote"].columns if c.startswith("mes_")]
        assert meses == [f"mes_{m:02d}" for m in range(1, 7)]


def test_indicador_sin_desagregar_de_varias_unidades_se_abre_por_unidad():
    hoja, est = _estadisticas(HOJA)
    assert inst.dimension_servicio(est, "Visas") == "unidad"
    assert inst.dimension_servicio(est, "Pasaportes") == "desagregacion"
    nombres = {"U1": "Consulado en Tacna", "U2": "Consulado en Arica"}
    piv = inst.pivote_servicio(est, "Visas", inst.meses_del_corte(4), nombres)
    filas = piv[piv["etiqueta"] != inst.TOTAL].set_index("etiqueta")["total"]
    visas = hoja[hoja["indicador"] == "Visas"]
    esperado = visas.groupby("codigo_unidad")["valor"].sum().rename(index=nombres)
    assert filas.to_dict() == esperado.to_dict()
    assert "U1" not in piv["etiqueta"].tolist()
    # Con decimales en los datos, el cuadro los muestra.
    assert "2,50" in inst.cuadro_servicio(piv, "unidad")


def test_frase_de_un_indicador_da_el_total_y_la_mayor_parte():
    hoja, est = _estadisticas(HOJA)
    piv = inst.pivote_servicio(est, "Pasaportes", inst.meses_del_corte(4))
    pasaportes = hoja[hoja["indicador"] == "Pasaportes"]
    por_pais = pasaportes.groupby("desagregacion")["valor"].sum()
    total = pasaportes["valor"].sum()
    frase = inst.frase_servicio(piv, "Pasaportes", "enero a diciembre de 2024",
                                pasaportes["codigo_unidad"].nunique())
    assert f"es {formatear_entero(total)}," in frase
    assert f"reportan {pasaportes['codigo_unidad'].nunique()} unidades" in frase
    assert (f"{por_pais.idxmax()}: {formatear_entero(por_pais.max())}, el "
            f"{pct(100 * por_pais.max() / total)} del total") in frase


def test_servicios_de_la_muestra_suman_la_hoja(muestra):
    hoja = muestra.datos.estadisticas
    hoja = hoja[hoja["mes"] <= 3 * muestra.trimestre]
    servicios = inst.servicios(muestra)
    assert [s["indicador"] for s in servicios] == list(pd.unique(hoja["indicador"]))
    for servicio in servicios:
        del_indicador = hoja[hoja["indicador"] == servicio["indicador"]]
        piv = servicio["pivote"]
        meses = [c for c in piv.columns if c.startswith("mes_")]
        assert piv.iloc[-1]["total"] == pytest.approx(del_indicador["valor"].sum())
        assert piv.iloc[:-1]["total"].sum() == pytest.approx(del_indicador["valor"].sum())
        assert np.allclose(piv.iloc[:-1][meses].sum().to_numpy(dtype=float),
                           piv.iloc[-1][meses].to_numpy(dtype=float))
        assert set(servicio["unidades"]) == set(del_indicador["codigo_unidad"])
    por_unidad = inst.servicios_por_unidad(muestra.tablas["estadisticas"],
                                           dict(zip(muestra.unidades["codigo_unidad"],
                                                    muestra.unidades["nombre"])))
    columnas = por_unidad.attrs["indicadores"]
    for col, indicador in columnas.items():
        assert por_unidad.iloc[-1][col] == pytest.approx(
            hoja.loc[hoja["indicador"] == indicador, "valor"].sum())
    assert len(por_unidad) - 1 == hoja["codigo_unidad"].nunique()
    assert not set(por_unidad["nombre"]) & set(hoja["codigo_unidad"])  # nombres, no códigos


def test_sin_hoja_estadisticas_la_seccion_lo_dice(tmp_path):
    prep = _prep_pequeno(tmp_path, sin=("estadisticas",))
    assert inst.servicios(prep) == []
    assert "no reporta servicios" in inst.parrafo_servicios(prep)
    assert inst.cuadro_por_unidad(prep) is None


def test_grafico_de_un_indicador(tmp_path):
    hoja, est = _estadisticas(HOJA)
    piv = inst.pivote_servicio(est, "Pasaportes", inst.meses_del_corte(4))
    fig = inst.grafico_servicio(piv, "Pasaportes", "enero a diciembre de 2024")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    barras = [b for c in ax.containers if isinstance(c, BarContainer) for b in c]
    filas = piv.iloc[:-1]
    assert sorted(b.get_width() for b in barras) == sorted(filas["total"])
    assert [t.get_text() for t in ax.get_yticklabels()] == filas["etiqueta"].tolist()
    fig.savefig(tmp_path / "pasaportes.png")
    assert (tmp_path / "pasaportes.png").stat().st_size > 0
    # Una sola fila: el valor de cada mes, en barras verticales.
    una = inst.pivote_servicio(est[est["codigo_unidad"] != "U2"], "Visas", inst.meses_del_corte(2))
    fig = inst.grafico_servicio(una, "Visas", "enero a junio de 2024", "unidad")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == list(MESES_CORTO[:6])


def test_grafico_con_muchas_filas_suma_las_menores_en_otras():
    filas = [(f"U{i}", "Trámites", f"País {i:02d}", 1, 100 + i) for i in range(30)]
    hoja, est = _estadisticas(filas)
    piv = inst.pivote_servicio(est, "Trámites", inst.meses_del_corte(4))
    fig = inst.grafico_servicio(piv, "Trámites", "enero a diciembre de 2024", maximo_barras=10)
    ax = fig.axes[0]
    rotulos = [t.get_text() for t in ax.get_yticklabels()]
    assert len(rotulos) == 10 and rotulos[-1] == "Otras (21)"
    barras = [b for c in ax.containers if isinstance(c, BarContainer) for b in c]
    assert sum(b.get_width() for b in barras) == pytest.approx(hoja["valor"].sum())
