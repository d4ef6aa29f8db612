"""Los gráficos del informe: paleta única, ejes de porcentaje desde 0, un eje por panel,
formato boliviano y figuras que se guardan como PNG.

Los datos son sintéticos y fijos: 31 unidades centrales en dos áreas (una con 28, para
ver que los rótulos no se montan), 12 unidades del servicio exterior de tres tipos, 8 ACP,
una unidad sin nada programado en el trimestre y un mes de devengado negativo.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure

from helpers.calculo.tablas import calcular_tablas
from helpers.comun.numeros import formatear_porcentaje
from helpers.entrada.parametros import Metodologia
from helpers.redaccion import graficos as g
from helpers.redaccion import graficos_corte, graficos_evolucion, graficos_unidades, paleta
from helpers.redaccion.graficos_guardados import huella_de_figura

RAIZ = Path(__file__).resolve().parents[1]
MUESTRA = RAIZ / "data" / "2024" / "poa_2024.xlsx"
TRIMESTRE = 2


REGLAS = Metodologia()
UMBRALES = REGLAS.semaforo_financiero


# ---------------------------------------------------------------------------------------
# Datos sintéticos
# ---------------------------------------------------------------------------------------


def _operacion(codigo, unidad, acp, prog, ejec, tareas=1):
    fila = {
        "codigo_operacion": codigo,
        "codigo_unidad": unidad,
        "codigo_acp": acp,
        "descripcion": f"Operación {codigo}",
        "indicador": "Informes presentados",
        "unidad_medida": "Informe",
        "tareas": tareas,
        "medio_verificacion": "",
        "no_aplica": "",
    }
    for mes in range(1, 13):
        fila[f"prog_{mes:02d}"] = float(prog.get(mes, 0.0))
        fila[f"ejec_{mes:02d}"] = float(ejec.get(mes, 0.0))
    return fila


def _linea(categoria, unidad, acp, vigente, dev, fuente="10 TGN"):
    fila = {
        "categoria_programatica": categoria,
        "programa": f"Programa {categoria}",
        "codigo_unidad": unidad,
        "codigo_acp": acp,
        "fuente": fuente,
        "vigente": float(vigente),
    }
    for mes in range(1, 13):
        fila[f"dev_{mes:02d}"] = float(dev.get(mes, 0.0))
    return fila


def datos_sinteticos():
    unidades = []
    for i in range(1, 29):
        unidades.append(
            {
                "codigo_unidad": f"DG-{i:02d}",
                "nombre": f"Dirección General número {i} de un nombre largo",
                "area": "VICEMINISTERIO_A",
                "servicio": "Central",
                "tipo": "Dirección General",
            }
        )
    for i in range(1, 4):
        unidades.append(
            {
                "codigo_unidad": f"UB-{i}",
                "nombre": f"Unidad B{i}",
                "area": "AREA_B",
                "servicio": "Central",
                "tipo": "Unidad",
            }
        )
    tipos = ["Embajada"] * 6 + ["Consulado General"] * 4 + ["Misión Permanente"] * 2
    for i, tipo in enumerate(tipos, start=1):
        unidades.append(
            {
                "codigo_unidad": f"EX-{i:02d}",
                "nombre": f"{tipo} {i}",
                "area": "SERV_EXTERIOR",
                "servicio": "Exterior",
                "tipo": tipo,
            }
        )
    unidades = pd.DataFrame(unidades)

    # Cumplimientos variados y fijos: de 0 a 100 %, para que aparezcan todas las calificaciones.
    razones = [1.0, 0.95, 0.8, 0.7, 0.6, 0.5, 0.3, 0.1, 0.05, 0.0]
    operaciones = []
    for k, u in enumerate(unidades["codigo_unidad"]):
        acp = str(k % 8 + 1)
        r = razones[k % len(razones)]
        prog = {m: 4.0 for m in range(1, 13)}
        ejec = {m: 4.0 * (r if m > 3 else min(1.0, r + 0.2)) for m in range(1, 13)}
        if u == "UB-3":  # sin nada programado hasta el corte: sin valor ("—")
            prog = {m: 2.0 for m in range(7, 13)}
            ejec = {}
        operaciones.append(_operacion(f"OP-{k:03d}", u, acp, prog, ejec, tareas=1 + k % 3))
    operaciones = pd.DataFrame(operaciones)

    presupuesto = []
    for a in range(1, 9):
        unidad = unidades["codigo_unidad"].iloc[(a * 5) % len(unidades)]
        vigente = 3_000_000.0 * a
        dev = {m: vigente * (0.02 + 0.015 * a) for m in range(1, 7)}
        presupuesto.append(_linea(f"5{a}0 0 00{a}", unidad, str(a), vigente, dev))
    # Cada unidad con su propia línea (la categoría de su ACP se repite entre unidades).
    for k, u in enumerate(unidades["codigo_unidad"]):
        acp = k % 8 + 1
        tasa = 0.01 + 0.02 * (k % 6)
        presupuesto.append(
            _linea(
                f"5{acp}0 0 00{acp}",
                u,
                str(acp),
                500_000.0,
                {m: 500_000.0 * tasa for m in range(1, 7)},
            )
        )
    presupuesto.append(
        _linea(
            "510 0 001",
            "EX-01",
            "1",
            2_000_000.0,
            {1: 100_000.0, 2: 200_000.0},
            fuente="20 Recursos Específicos",
        )
    )
    # Una reversión en mayo mayor que el resto del mes: el devengado de la entidad en mayo
    # es negativo (y la ejecución acumulada de DG-01 sigue siendo positiva).
    presupuesto.append(
        _linea(
            "599 0 009",
            "DG-01",
            "8",
            60_000_000.0,
            {1: 5e6, 2: 5e6, 3: 5e6, 4: 5e6, 5: -15e6, 6: 5e6},
        )
    )
    presupuesto = pd.DataFrame(presupuesto)

    historico = pd.DataFrame(
        [
            {"gestion": ges, "area": area, "avance_fisico": av, "ejecucion": ej}
            for ges, base in ((2022, 80.0), (2023, 85.0))
            for area, av, ej in (
                ("VICEMINISTERIO_A", base, base - 5),
                ("AREA_B", base + 3, base - 10),
                ("SERV_EXTERIOR", base - 4, base + 6),
            )
        ]
    )
    return SimpleNamespace(
        unidades=unidades,
        acp=pd.DataFrame(
            {
                "codigo_acp": [str(a) for a in range(1, 9)],
                "descripcion": [f"Acción de corto plazo {a}" for a in range(1, 9)],
            }
        ),
        operaciones=operaciones,
        presupuesto=presupuesto,
        historico=historico,
        narrativa=pd.DataFrame(
            columns=["codigo_unidad", "trimestre", "tipo", "texto", "codigo_acp"]
        ),
    )


@pytest.fixture(scope="module")
def tablas():
    return calcular_tablas(datos_sinteticos(), TRIMESTRE, REGLAS, 2024)


# ---------------------------------------------------------------------------------------
# Utilidades de comprobación
# ---------------------------------------------------------------------------------------


def barras(ax) -> list:
    """Las barras en el orden del eje de categorías (seaborn deja un contenedor por nivel
    del matiz, no por fila)."""
    bs = [b for c in ax.containers if isinstance(c, BarContainer) for b in c]
    horizontal = any(c.orientation == "horizontal" for c in ax.containers)
    return sorted(
        bs,
        key=lambda b: (
            b.get_y() + b.get_height() / 2 if horizontal else b.get_x() + b.get_width() / 2
        ),
    )


def color(artista) -> str:
    return to_hex(artista.get_facecolor(), keep_alpha=False)


def un_eje_por_panel(fig: Figure) -> None:
    """Sin twinx/twiny: no hay dos ejes en la misma posición."""
    posiciones = [tuple(np.round(ax.get_position().bounds, 4)) for ax in fig.axes]
    assert len(posiciones) == len(set(posiciones))
    for ax in fig.axes:
        assert ax.get_shared_x_axes().get_siblings(ax) == [ax] or all(
            tuple(np.round(o.get_position().bounds, 4))
            != tuple(np.round(ax.get_position().bounds, 4))
            for o in ax.get_shared_x_axes().get_siblings(ax)
            if o is not ax
        )


def rotulos_pct(textos) -> list[str]:
    return [t for t in textos if t.endswith("%")]


def textos_de(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def comprobar_png(fig: Figure, ruta: Path) -> None:
    fig.savefig(ruta)
    contenido = ruta.read_bytes()
    assert contenido[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(ruta) as im:
        ancho, _alto = im.size
    # ~7 pulgadas a DPI (bbox "tight" recorta o añade unos píxeles); al menos 200 ppp, para
    # que el gráfico se imprima nítido.
    assert g.DPI >= 200
    assert 0.9 * g.ANCHO * g.DPI <= ancho <= 1.2 * g.ANCHO * g.DPI


def etiquetas_de_ticks(ax, eje="y") -> list[str]:
    ax.figure.draw_without_rendering()
    marcas = ax.get_yticklabels() if eje == "y" else ax.get_xticklabels()
    return [t.get_text() for t in marcas if t.get_text()]


@pytest.fixture(autouse=True)
def sin_figuras_abiertas():
    """Ninguna función deja figuras registradas en pyplot (ni cierra las ajenas)."""
    ajena = plt.figure()
    antes = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == antes
    plt.close(ajena)


# ---------------------------------------------------------------------------------------
# Paleta
# ---------------------------------------------------------------------------------------


def test_la_paleta_es_la_del_proyecto():
    assert g.COLORES_SEMAFORO == paleta.COLOR_SEMAFORO
    assert g.COLORES_CALIFICACION == paleta.COLOR_CALIFICACION
    assert g.COLOR_FISICO == paleta.COLOR_FISICO and g.COLOR_FINANCIERO == paleta.COLOR_FINANCIERO
    assert set(g.COLORES_SEMAFORO) == {"verde", "amarillo", "rojo"}
    assert g.COLOR_FISICO != g.COLOR_FINANCIERO


def test_estilo_fija_el_tema():
    with matplotlib.rc_context():
        g.estilo()
        assert matplotlib.rcParams["savefig.dpi"] == g.DPI
        assert "DejaVu Sans" in matplotlib.rcParams["font.sans-serif"]
        assert matplotlib.rcParams["axes.grid"]


# ---------------------------------------------------------------------------------------
# Físico-financiero
# ---------------------------------------------------------------------------------------


def test_fisico_financiero_por_acp(tablas, tmp_path):
    acp = tablas["acp"]
    fig = graficos_corte.fisico_financiero(acp, "codigo_acp", "Eficacia y ejecución por ACP")
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    un_eje_por_panel(fig)
    assert [p.get_label() for p in fig.legends[0].get_patches()] == [
        "Eficacia acumulada",
        "Ejecución financiera acumulada",
    ]
    contenedores = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [len(c) for c in contenedores] == [len(acp), len(acp)]  # 8 ACP + TOTAL, dos series
    assert {color(b) for b in contenedores[0]} == {g.COLOR_FISICO}
    assert {color(b) for b in contenedores[1]} == {g.COLOR_FINANCIERO}
    assert ax.get_ylim()[0] == 0
    # TOTAL al final, tras un hueco con una línea de puntos; alturas = los valores de la tabla
    marcas = [t.get_text() for t in ax.get_xticklabels()]
    assert marcas == acp["codigo_acp"].tolist()[:-1] + ["", "TOTAL"]
    assert [linea.get_xdata()[0] for linea in ax.lines
            if linea.get_linestyle() == ":"] == [len(acp) - 1]
    np.testing.assert_allclose([b.get_height() for b in contenedores[0]], acp["eficacia_acumulada"])
    np.testing.assert_allclose(
        [b.get_height() for b in contenedores[1]], acp["ejecucion_acumulada"]
    )
    # rótulos con coma decimal y el signo %, como formatear_porcentaje
    rotulos = textos_de(ax)
    assert formatear_porcentaje(acp["eficacia_acumulada"].iloc[0]) in rotulos
    assert all("," in t and t.endswith(" %") for t in rotulos)
    assert all("." not in t for t in rotulos)
    ticks = etiquetas_de_ticks(ax)
    assert ticks[0] == "0 %" and all(t.endswith(" %") for t in ticks)
    assert ax.get_title() == "Eficacia y ejecución por ACP"
    assert abs(fig.get_figwidth() - g.ANCHO) < 1e-9
    comprobar_png(fig, tmp_path / "acp.png")


def test_fisico_financiero_trimestre_sin_total_y_avance(tablas):
    area = tablas["area"]
    solo_areas = area[area["nivel"] == "area"]
    fig = graficos_corte.fisico_financiero(
        area, "area", periodo="trimestre", fisico="avance", incluir_total=False
    )
    ax = fig.axes[0]
    contenedores = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [len(c) for c in contenedores] == [len(solo_areas)] * 2
    np.testing.assert_allclose(
        [b.get_height() for b in contenedores[0]], solo_areas["avance_fisico_trimestre"]
    )
    assert [t.get_text() for t in ax.get_xticklabels()] == solo_areas["area"].tolist()
    with pytest.raises(ValueError):
        graficos_corte.fisico_financiero(area, "area", periodo="semestre")


def test_fisico_financiero_muchas_unidades_en_horizontal_y_ordenado(tablas, tmp_path):
    unidad = tablas["unidad"]
    fig = graficos_corte.fisico_financiero(unidad, "codigo_unidad", fisico="avance", ordenar=True)
    ax = fig.axes[0]
    contenedores = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [len(c) for c in contenedores] == [len(unidad)] * 2
    anchos = [b.get_width() for b in contenedores[0]]
    assert anchos == sorted(anchos, reverse=True)[: len(anchos)] or anchos[:-1] == sorted(
        anchos[:-1], reverse=True
    )
    assert ax.get_xlim()[0] == 0
    # una unidad por fila, rotulada con su código (no con el nombre largo)
    assert {t.get_text() for t in ax.get_yticklabels()} == set(unidad["codigo_unidad"])
    assert fig.get_figheight() > 8  # crece con el número de unidades
    comprobar_png(fig, tmp_path / "unidades.png")


# ---------------------------------------------------------------------------------------
# Semáforo
# ---------------------------------------------------------------------------------------


def test_ejecucion_semaforo_colorea_con_la_paleta(tablas, tmp_path):
    cat = tablas["categoria"]
    fig = graficos_corte.ejecucion_semaforo(cat, "categoria_programatica", TRIMESTRE, UMBRALES)
    ax = fig.axes[0]
    bs = barras(ax)
    assert len(bs) == len(cat)
    assert [color(b) for b in bs] == [g.COLORES_SEMAFORO[s] for s in cat["semaforo"]]
    assert {"rojo", "verde"} <= set(cat["semaforo"])  # los datos cubren más de un color
    # Cada estado con su trama: se distingue sin ver colores y el amarillo no se confunde
    # con las calificaciones amarilla y naranja.
    assert [b.get_hatch() or "" for b in bs] == [g.TRAMA_SEMAFORO[s] for s in cat["semaforo"]]
    assert len(set(g.TRAMA_SEMAFORO.values())) == len(g.TRAMA_SEMAFORO)
    leyenda = fig.legends[0].get_patches()
    assert [p.get_hatch() or "" for p in leyenda] == list(g.TRAMA_SEMAFORO.values())
    assert ax.get_xlim()[0] == 0
    # la categoría repetida se distingue por unidad y fuente
    rotulos = [t.get_text() for t in ax.get_yticklabels()]
    assert len(set(rotulos)) == len(rotulos)
    assert any("20 Recursos Específicos" in r for r in rotulos)
    # líneas de los umbrales del trimestre, con los colores del semáforo
    verticales = {(round(linea.get_xdata()[0], 6), to_hex(linea.get_color())) for linea in ax.lines}
    assert (43.0, g.COLORES_SEMAFORO["verde"]) in verticales
    assert (33.0, g.COLORES_SEMAFORO["amarillo"]) in verticales
    comprobar_png(fig, tmp_path / "semaforo.png")


def test_ejecucion_semaforo_lineas_repetidas_y_sin_semaforo():
    """Dos líneas con la misma categoría, unidad y fuente son dos barras; sin semáforo, gris."""
    cat = pd.DataFrame(
        {
            "categoria_programatica": ["510 0 001", "510 0 001", "520 0 002", "TOTAL"],
            "codigo_unidad": ["DG-01", "DG-01", "DG-02", ""],
            "fuente": ["10 TGN", "10 TGN", "10 TGN", ""],
            "ejecucion_acumulada": [10.0, 20.0, np.nan, 15.0],
            "semaforo": ["rojo", "rojo", None, "rojo"],
        }
    )
    fig = graficos_corte.ejecucion_semaforo(cat, "categoria_programatica", TRIMESTRE, UMBRALES)
    ax = fig.axes[0]
    bs = barras(ax)
    assert [b.get_width() for b in bs] == [10.0, 20.0, 0.0, 15.0]
    assert [color(b) for b in bs] == [g.COLORES_SEMAFORO["rojo"]] * 2 + [
        g.COLOR_SIN_VALOR,
        g.COLORES_SEMAFORO["rojo"],
    ]
    rotulos = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert len(set(rotulos)) == 4
    assert "—" in textos_de(ax)


# ---------------------------------------------------------------------------------------
# Unidades de un área
# ---------------------------------------------------------------------------------------


def test_avance_unidades_ordenado_y_por_calificacion(tablas, tmp_path):
    unidad = tablas["unidad"]
    del_area = unidad[unidad["area"] == "VICEMINISTERIO_A"]
    [fig] = graficos_unidades.avance_unidades(unidad, "VICEMINISTERIO_A")
    ax = fig.axes[0]
    un_eje_por_panel(fig)
    bs = barras(ax)
    assert len(bs) == len(del_area) == 28
    anchos = [b.get_width() for b in bs]
    assert anchos == sorted(anchos, reverse=True)
    esperado = del_area.sort_values("avance_fisico_trimestre", ascending=False, kind="stable")
    assert [color(b) for b in bs] == [
        g.COLORES_CALIFICACION[c] for c in esperado["calificacion_trimestre"]
    ]
    assert len(set(esperado["calificacion_trimestre"])) >= 5
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] >= 100
    assert any(linea.get_xdata()[0] == 100 for linea in ax.lines)  # referencia en 100 %
    assert all(t.endswith(" %") for t in etiquetas_de_ticks(ax, "x"))
    # Cada barra se lee por el nombre de su unidad (acortado si es largo), no por el código.
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        g.acortar(n) for n in esperado["nombre"]]
    comprobar_png(fig, tmp_path / "area.png")


def test_avance_unidades_en_partes_iguales_con_la_misma_escala(tablas):
    unidad = tablas["unidad"]
    del_area = unidad[unidad["area"] == "VICEMINISTERIO_A"]
    figuras = graficos_unidades.avance_unidades(unidad, "VICEMINISTERIO_A", max_filas=10)
    partes = -(-len(del_area) // 10)
    assert len(figuras) == partes
    por_figura = [len(barras(f.axes[0])) for f in figuras]
    assert sum(por_figura) == len(del_area) and max(por_figura) - min(por_figura) <= 1
    assert len({f.axes[0].get_xlim() for f in figuras}) == 1
    assert [f.axes[0].get_title().endswith(f"(parte {i} de {partes})")
            for i, f in enumerate(figuras, 1)] == [True] * partes


def test_acortar_corta_entre_palabras():
    assert g.acortar("Unidad de Transparencia") == "Unidad de Transparencia"
    largo = "Representación Permanente de Bolivia ante la Organización de los Estados Americanos"
    corto = g.acortar(largo, 40)
    assert len(corto) <= 40 and corto.endswith("…") and largo.startswith(corto[:-1])
    palabras = corto[:-1].split()
    assert palabras == largo.split()[: len(palabras)]  # corta entre palabras


def test_avance_unidades_sin_valor_en_gris_y_al_final(tablas):
    unidad = tablas["unidad"]
    [fig] = graficos_unidades.avance_unidades(unidad, "AREA_B", rotulo="codigo_unidad")
    ax = fig.axes[0]
    bs = barras(ax)
    assert len(bs) == 3
    assert color(bs[-1]) == g.COLOR_SIN_VALOR
    assert ax.get_yticklabels()[-1].get_text() == "UB-3"
    assert "—" in textos_de(ax)
    with pytest.raises(ValueError):
        graficos_unidades.avance_unidades(unidad, "NO_EXISTE")


# ---------------------------------------------------------------------------------------
# Servicio exterior
# ---------------------------------------------------------------------------------------


def test_grupo_por_tipo(tablas, tmp_path):
    unidad = tablas["unidad"]
    ext = unidad[unidad["servicio"] == "Exterior"]
    estado = np.random.get_state()
    fig = graficos_unidades.grupo_por_tipo(unidad, "Exterior")
    # la dispersión de los puntos usa una semilla fija y no cambia el azar global
    assert all(np.array_equal(a, b) for a, b in zip(estado, np.random.get_state()))
    ax = fig.axes[0]
    bs = barras(ax)
    assert len(bs) == ext["tipo"].nunique() == 3
    assert {color(b) for b in bs} == {g.COLOR_FISICO}
    puntos = sum(len(c.get_offsets()) for c in ax.collections)
    assert puntos == ext["avance_fisico_trimestre"].notna().sum() == 12
    # cada punto, dentro de la fila de su tipo y en su valor
    filas = {t.get_text(): i for i, t in enumerate(ax.get_yticklabels())}
    xy = np.vstack([c.get_offsets() for c in ax.collections])
    for tipo, del_tipo in ext.groupby("tipo"):
        cerca = xy[np.abs(xy[:, 1] - filas[tipo]) <= 0.25]
        assert sorted(cerca[:, 0]) == pytest.approx(sorted(del_tipo["avance_fisico_trimestre"]))
    assert {to_hex(c) for col in ax.collections for c in col.get_facecolors()} == {g.COLOR_PUNTO}
    medias = ext.groupby("tipo")["avance_fisico_trimestre"].mean()
    rotulos = textos_de(ax)
    for tipo, media in medias.items():
        n = int((ext["tipo"] == tipo).sum())
        assert f"media {formatear_porcentaje(media)}\n{n} unidades" in rotulos
    assert ax.get_xlim()[0] == 0
    # posiciones sin azar: dos figuras iguales
    otra = graficos_unidades.grupo_por_tipo(unidad, "Exterior")
    np.testing.assert_array_equal(
        ax.collections[0].get_offsets(), otra.axes[0].collections[0].get_offsets()
    )
    comprobar_png(fig, tmp_path / "exterior.png")


# ---------------------------------------------------------------------------------------
# Mensual
# ---------------------------------------------------------------------------------------


def test_devengado_mensual_muestra_los_negativos(tablas, tmp_path):
    mensual = tablas["mensual"]
    entidad = mensual[mensual["nivel"] == "entidad"].sort_values("mes")
    fig = graficos_evolucion.devengado_mensual(mensual)
    ax = fig.axes[0]
    un_eje_por_panel(fig)
    bs = barras(ax)
    assert len(bs) == 6
    np.testing.assert_allclose([b.get_height() for b in bs], entidad["devengado"])
    assert (entidad["devengado"] < 0).any()
    assert ax.get_ylim()[0] < entidad["devengado"].min()  # el negativo se ve entero
    assert {color(b) for b in bs} == {g.COLOR_FINANCIERO}
    rotulos = textos_de(ax)
    assert all(t.endswith(" M Bs") and "," in t for t in rotulos)
    assert any(t.startswith("-") for t in rotulos)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Ene",
        "Feb",
        "Mar",
        "Abr",
        "May",
        "Jun",
    ]
    assert "Millones de Bs" in ax.get_ylabel()
    comprobar_png(fig, tmp_path / "devengado.png")


def test_ejecucion_mensual_un_panel_por_area(tablas, tmp_path):
    mensual = tablas["mensual"]
    areas = mensual.loc[mensual["nivel"] == "area", "area"].unique()
    fig = graficos_evolucion.ejecucion_mensual(mensual)
    assert len(fig.axes) == len(areas) + 1  # y la entidad
    un_eje_por_panel(fig)
    for ax in fig.axes:
        colores = [
            to_hex(linea.get_color()) for linea in ax.lines
            if to_hex(linea.get_color()) != g.COLOR_REFERENCIA
        ]
        assert colores == [g.COLOR_FISICO, g.COLOR_FINANCIERO]
        assert ax.get_ylim()[0] <= 0
    # el mes negativo del total hace bajar el eje, y sólo entonces
    entidad = mensual[mensual["nivel"] == "entidad"]
    assert (entidad["ejecucion"] < 0).any() and fig.axes[0].get_ylim()[0] < 0
    comprobar_png(fig, tmp_path / "mensual.png")


def test_ejecucion_mensual_empieza_en_cero_sin_negativos(tablas):
    mensual = tablas["mensual"].copy()
    mensual["ejecucion"] = mensual["ejecucion"].clip(lower=0)
    fig = graficos_evolucion.ejecucion_mensual(mensual, incluir_entidad=False)
    assert all(ax.get_ylim()[0] == 0 for ax in fig.axes)
    assert all(t.endswith(" %") for t in etiquetas_de_ticks(fig.axes[0]))


# ---------------------------------------------------------------------------------------
# Dispersión con bandas del semáforo
# ---------------------------------------------------------------------------------------


def _bandas(ax) -> list[tuple[float, float, str]]:
    bandas = []
    for p in ax.patches:
        x0, x1 = p.get_x(), p.get_x() + p.get_width()
        bandas.append((round(x0, 6), round(x1, 6), color(p)))
    return sorted(bandas)


def test_dispersion_semaforo(tablas, tmp_path):
    acp = tablas["acp"]
    fig = graficos_corte.dispersion_semaforo(acp, "codigo_acp", TRIMESTRE, UMBRALES)
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    un_eje_por_panel(fig)
    verde, amarillo = UMBRALES[TRIMESTRE]
    bandas = _bandas(ax)
    assert [b[2] for b in bandas] == [
        g.COLORES_SEMAFORO["rojo"],
        g.COLORES_SEMAFORO["amarillo"],
        g.COLORES_SEMAFORO["verde"],
    ]
    assert bandas[0][1] == amarillo and bandas[1] == (
        amarillo,
        verde,
        g.COLORES_SEMAFORO["amarillo"],
    )
    assert bandas[2][0] == verde
    puntos = sum(len(c.get_offsets()) for c in ax.collections)
    assert puntos == len(acp)  # 8 ACP + TOTAL
    # cada punto del color de su semáforo; el TOTAL (último), mayor
    (coleccion,) = ax.collections
    assert [to_hex(c) for c in coleccion.get_facecolors()] == [
        g.COLORES_SEMAFORO[s] for s in acp["semaforo"]
    ]
    tamanos = coleccion.get_sizes()
    assert tamanos[-1] > tamanos[0] and len(set(tamanos[:-1])) == 1
    np.testing.assert_allclose(coleccion.get_offsets()[:, 0], acp["ejecucion_acumulada"])
    # El mismo par que la brecha: eficacia frente a ejecución.
    np.testing.assert_allclose(coleccion.get_offsets()[:, 1], acp["eficacia_acumulada"])
    assert "Eficacia" in ax.get_ylabel()
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
    rotulos = [t for t in textos_de(ax) if t]
    assert sorted(rotulos) == sorted(acp["codigo_acp"])
    # los rótulos no se montan unos sobre otros
    r = g.renderizador(fig)
    fig.draw_without_rendering()
    cajas = [t.get_window_extent(r) for t in ax.texts if t.get_text()]
    for i, a in enumerate(cajas):
        for b in cajas[i + 1 :]:
            assert not g.se_solapan(a, b)
    comprobar_png(fig, tmp_path / "dispersion.png")


def test_dispersion_con_muchas_unidades_y_sin_valor(tablas, tmp_path):
    unidad = tablas["unidad"]
    fig = graficos_corte.dispersion_semaforo(unidad, "codigo_unidad", TRIMESTRE, UMBRALES)
    ax = fig.axes[0]
    validas = unidad["eficacia_acumulada"].notna() & unidad["ejecucion_acumulada"].notna()
    assert sum(len(c.get_offsets()) for c in ax.collections) == validas.sum()
    nota = fig.legends[0].get_title().get_text()
    assert nota.startswith(f"Sin valor para el periodo ({(~validas).sum()})") and "UB-3" in nota
    # los rótulos de tantas unidades no se montan
    r = g.renderizador(fig)
    fig.draw_without_rendering()
    cajas = [t.get_window_extent(r) for t in ax.texts if t.get_text()]
    assert len(cajas) == validas.sum()
    assert not any(g.se_solapan(a, b) for i, a in enumerate(cajas) for b in cajas[i + 1 :])
    comprobar_png(fig, tmp_path / "dispersion_unidades.png")


def test_umbrales_con_claves_de_texto(tablas):
    umbrales = {str(k): v for k, v in UMBRALES.items()}
    fig = graficos_corte.dispersion_semaforo(tablas["acp"], "codigo_acp", TRIMESTRE, umbrales)
    assert _bandas(fig.axes[0])[2][0] == UMBRALES[TRIMESTRE][0]


# ---------------------------------------------------------------------------------------
# Tendencia
# ---------------------------------------------------------------------------------------


def test_tendencia_por_area(tablas, tmp_path):
    tend = tablas["tendencia"]
    fig = graficos_evolucion.tendencia(tend, trimestre=TRIMESTRE)
    areas = tend["area"].unique()
    assert len(fig.axes) == len(areas) == 3
    un_eje_por_panel(fig)
    for ax in fig.axes:
        assert ax.get_ylim()[0] == 0
        usados = {to_hex(linea.get_color()) for linea in ax.lines}
        assert usados == {g.COLOR_FISICO, g.COLOR_FINANCIERO}
        assert ax.get_xticklabels()[-1].get_text() == "2024\n(al T2)"
        # la gestión en curso: tramo discontinuo y punto hueco, de cada serie
        assert len([linea for linea in ax.lines if linea.get_linestyle() == "--"]) == 2
        huecos = [linea for linea in ax.lines if linea.get_markerfacecolor() == "white"]
        assert [to_hex(linea.get_markeredgecolor()) for linea in huecos] == [
            g.COLOR_FISICO,
            g.COLOR_FINANCIERO,
        ]
        assert all(list(linea.get_xdata()) == [2024] for linea in huecos)
    comprobar_png(fig, tmp_path / "tendencia.png")


def test_tendencia_trimestral():
    t = pd.DataFrame(
        {
            "trimestre": [1, 2, 3, 4] * 2,
            "area": ["A"] * 4 + ["B"] * 4,
            "avance_fisico": [90, 85, 80, 95, 70, 75, 60, 88],
            "ejecucion": [10, 30, 55, 90, 12, 33, 50, 80],
        }
    )
    fig = graficos_evolucion.tendencia(t, periodo_col="trimestre")
    assert len(fig.axes) == 2
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()] == ["T1", "T2", "T3", "T4"]


# ---------------------------------------------------------------------------------------
# Todas juntas: deterministas
# ---------------------------------------------------------------------------------------


def _todas(t, trimestre=TRIMESTRE, umbrales=UMBRALES):
    unidad = t["unidad"]
    figuras = {
        "acp": graficos_corte.fisico_financiero(t["acp"], "codigo_acp"),
        "area": graficos_corte.fisico_financiero(t["area"], "area"),
        "unidad_ff": graficos_corte.fisico_financiero(unidad, "codigo_unidad", fisico="avance",
                                                      ordenar=True),
        "categoria": graficos_corte.ejecucion_semaforo(
            t["categoria"], "categoria_programatica", trimestre, umbrales
        ),
        "exterior": graficos_unidades.grupo_por_tipo(unidad, "Exterior"),
        "devengado": graficos_evolucion.devengado_mensual(t["mensual"]),
        "mensual": graficos_evolucion.ejecucion_mensual(t["mensual"]),
        "disp_acp": graficos_corte.dispersion_semaforo(t["acp"], "codigo_acp", trimestre, umbrales),
        "disp_area": graficos_corte.dispersion_semaforo(t["area"], "area", trimestre, umbrales),
    }
    for area in pd.unique(unidad["area"]):
        for i, fig in enumerate(graficos_unidades.avance_unidades(unidad, area)):
            figuras[f"unidades_{area}_{i}"] = fig
    if "tendencia" in t and t["tendencia"]["gestion"].nunique() > 1:
        figuras["tendencia"] = graficos_evolucion.tendencia(t["tendencia"], trimestre=trimestre)
    return figuras


def _rotulos_mal_puestos(fig: Figure) -> list[str]:
    """Los textos de los ejes que se montan sobre otro texto, cruzan una línea de
    referencia (100 %, umbrales) o invaden otro panel."""
    r = g.renderizador(fig)
    fig.draw_without_rendering()
    textos = [(ax, t, t.get_window_extent(r)) for ax in fig.axes for t in ax.texts
              if t.get_text() and t.get_visible()]
    malos = []
    for i, (ax, t, caja) in enumerate(textos):
        malos += [f"{t.get_text()!r} sobre {otro.get_text()!r}"
                  for _, otro, otra in textos[i + 1:] if g.se_solapan(caja, otra)]
        for orientacion, valor in g.lineas_de_referencia(ax):
            px, py = ax.transData.transform((valor, valor))
            if (orientacion == "v" and caja.x0 + 0.5 < px < caja.x1 - 0.5) or (
                    orientacion == "h" and caja.y0 + 0.5 < py < caja.y1 - 0.5):
                malos.append(f"{t.get_text()!r} cruza la línea en {valor}")
        malos += [f"{t.get_text()!r} invade otro panel" for otro_eje in fig.axes
                  if otro_eje is not ax and g.se_solapan(caja, otro_eje.get_window_extent(r))]
    return malos


def test_ningun_rotulo_tapa_otro_una_linea_o_un_panel(tablas):
    for nombre, fig in _todas(tablas).items():
        assert _rotulos_mal_puestos(fig) == [], nombre


def test_un_rotulo_que_cruzaria_la_linea_de_100_se_corre_tras_ella():
    unidad = pd.DataFrame({
        "codigo_unidad": ["A", "B", "C"], "nombre": ["Uno", "Dos", "Tres"], "area": "X",
        "avance_fisico_trimestre": [100.0, 97.5, 40.0],
        "calificacion_trimestre": ["Excelente", "Alto", "Bajo"],
    })
    [fig] = graficos_unidades.avance_unidades(unidad, "X")
    assert _rotulos_mal_puestos(fig) == []
    ax = fig.axes[0]
    posiciones = {t.get_text(): t.xy[0] for t in ax.texts}
    assert posiciones["97,50 %"] == 100.0  # corrido hasta la línea
    assert posiciones["40,00 %"] == 40.0   # lejos de la línea: junto a su barra


def test_mismo_dato_misma_imagen(tablas, tmp_path):
    for nombre, fig in _todas(tablas).items():
        un_eje_por_panel(fig)
        fig.savefig(tmp_path / f"{nombre}-1.png")
    for nombre, fig in _todas(tablas).items():
        fig.savefig(tmp_path / f"{nombre}-2.png")
        assert (tmp_path / f"{nombre}-1.png").read_bytes() == (
            tmp_path / f"{nombre}-2.png"
        ).read_bytes(), nombre


def test_cada_grafico_tiene_huella_y_su_imagen_puede_salir_de_la_cache(tablas):
    """Cada figura se puede serializar (nada de funciones locales en ella) y la misma figura,
    armada otra vez, tiene la misma huella: su imagen se toma de la caché del informe."""
    primeras = {nombre: huella_de_figura(fig) for nombre, fig in _todas(tablas).items()}
    segundas = {nombre: huella_de_figura(fig) for nombre, fig in _todas(tablas).items()}
    assert primeras == segundas
    assert len(set(primeras.values())) == len(primeras)


@pytest.mark.skipif(
    not MUESTRA.exists(), reason="falta el libro de muestra data/2024/poa_2024.xlsx"
)
def test_muestra_real_se_dibuja(tmp_path):
    from helpers.entrada.datos import cargar_datos

    t = calcular_tablas(cargar_datos(MUESTRA), TRIMESTRE, REGLAS, 2024)
    for nombre, fig in _todas(t).items():
        un_eje_por_panel(fig)
        assert _rotulos_mal_puestos(fig) == [], nombre
        comprobar_png(fig, tmp_path / f"{nombre}.png")


def test_los_graficos_no_cargan_scipy():
    """seaborn se importa sin scipy (helpers.redaccion.seaborn_propio): un kernel que dibuja
    no paga medio segundo por lo que el informe no usa, y scipy sigue importándose después."""
    import subprocess
    import sys

    codigo = (
        "import sys\n"
        "from helpers.redaccion import graficos, graficos_corte, graficos_unidades\n"
        "assert 'scipy' not in sys.modules, 'seaborn cargó scipy'\n"
        "import scipy.stats\n"
    )
    resultado = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True,
                               check=False)
    assert resultado.returncode == 0, resultado.stderr
