"""Tablas y frases del informe: formato boliviano, colores de la paleta, texto de los
planificadores como texto plano, y frases que cambian con las cifras y los parámetros."""
from __future__ import annotations

import re

import fabrica
import pandas as pd
import pytest

from helpers.comun.numeros import formatear_porcentaje
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.preparacion import preparar
from helpers.redaccion import presentacion, textos
from helpers.redaccion.paleta import COLOR_CALIFICACION, COLOR_SEMAFORO, SIMBOLO_SEMAFORO


def preparado(tmp_path, **extra):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro, **extra)
    parametros = cargar_parametros(params)
    return preparar(parametros, cargar_datos(parametros.ruta_datos))


def test_tabla_con_formato_colores_y_total_en_negrita():
    df = pd.DataFrame({
        "codigo_acp": ["1", "TOTAL"],
        "vigente": [1234567.891, 2000.0],
        "ejecucion_acumulada": [12.345, float("nan")],
        "calificacion_trimestre": ["Alto", None],
        "semaforo": ["rojo", "verde"],
    })
    html = presentacion.tabla(df, list(df.columns), clave_total="codigo_acp")
    assert "1.234.567,89" in html and "12,35 %" in html and "—" in html
    # El semáforo: figura de su color y la palabra, sin fondo (no se confunde con la
    # calificación y se lee sin ver colores).
    assert f"color: {COLOR_SEMAFORO['rojo']};\">{SIMBOLO_SEMAFORO['rojo']}</span> rojo" in html
    assert f"background-color: {COLOR_SEMAFORO['rojo']}" not in html
    assert f"background-color: {COLOR_CALIFICACION['Alto']}" in html
    assert '<tr class="total">' in html
    assert "Vigente (Bs)" in html


def test_filas_de_los_grupos_de_areas_en_negrita_cualquiera_sea_su_nombre():
    """Por su `nivel`, por `subtotales` o por `df.attrs["subtotales"]` (los pivotes)."""
    df = pd.DataFrame({"area": ["A1", "Departamental", "TOTAL"],
                       "nivel": ["area", "servicio", "entidad"], "vigente": [1.0, 2.0, 3.0]})
    negritas = presentacion.tabla(df, ["area", "vigente"], clave_total="area").count(
        '<tr class="total">')
    assert negritas == 2
    sin_nivel = df.drop(columns="nivel")
    assert presentacion.tabla(sin_nivel, ["area"], clave_total="area").count(
        '<tr class="total">') == 1
    assert presentacion.tabla(sin_nivel, ["area"], clave_total="area",
                              subtotales=["Departamental"]).count('<tr class="total">') == 2
    sin_nivel.attrs["subtotales"] = ["Departamental"]
    assert presentacion.tabla(sin_nivel, ["area"], clave_total="area").count(
        '<tr class="total">') == 2


def test_texto_de_los_planificadores_no_se_interpreta_como_html():
    df = pd.DataFrame({"texto": ["<script>alert(1)</script> & <b>negrita</b>"]})
    html = presentacion.tabla(df, ["texto"])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_gestion_sin_separador_de_miles():
    html = presentacion.tabla(pd.DataFrame({"gestion": [2024]}), ["gestion"])
    assert ">2024<" in html


def test_resumen_ejecutivo_con_las_cifras_calculadas(tmp_path):
    prep = preparado(tmp_path)
    total = textos.total(prep)
    resumen = textos.resumen_ejecutivo(prep)
    for valor in (total.avance_fisico_trimestre, total.ejecucion_trimestre,
                  total.eficacia_acumulada):
        assert formatear_porcentaje(valor) in resumen
    assert "30 de junio de 2024" in resumen


@pytest.mark.parametrize(
    "metodologia, frase",
    [
        ({"agregacion": "tareas"}, "media ponderada por tareas del cumplimiento de todas"),
        ({"agregacion": "promedio_unidades"}, "media simple de sus unidades"),
        ({"tope_cumplimiento": False}, "sin tope"),
        ({"participacion": "programada"}, "parte de la meta anual programada"),
        ({"umbral_cumple": 60}, "60,00 %"),
    ],
)
def test_marco_metodologico_sale_de_los_parametros(tmp_path, metodologia, frase):
    prep = preparado(tmp_path, metodologia=metodologia)
    assert frase in textos.marco_metodologico(prep)


def test_escala_y_semaforo_del_marco_siguen_los_parametros(tmp_path):
    prep = preparado(tmp_path, metodologia={
        "semaforo_financiero": {1: [30, 15], 2: [50, 40], 3: [70, 55], 4: [90, 70]}})
    semaforo = textos.tabla_semaforo(prep)
    assert semaforo.loc[1, "verde"] == "50,00 % o más"
    escala = textos.tabla_escala(prep)
    assert escala["calificacion"].tolist() == ["Excelente", "Alto", "Medio", "Bajo", "Muy bajo",
                                               "Nulo"]


def test_parrafo_de_areas_nombra_lider_y_rezagado(tmp_path):
    prep = preparado(tmp_path)
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"].sort_values("avance_fisico_trimestre")
    frases = textos.parrafo_area(prep)
    alto, bajo = areas.iloc[-1], areas.iloc[0]
    # Las áreas se nombran como las lee el lector (hoja areas), no por su código.
    assert (f"El área {prep.nombre_area(alto.area)} registra el valor más alto de avance físico "
            f"del trimestre ({formatear_porcentaje(alto.avance_fisico_trimestre)}) y el área "
            f"{prep.nombre_area(bajo.area)} el más bajo "
            f"({formatear_porcentaje(bajo.avance_fisico_trimestre)})") in frases


# --- empates en los rankings (textos.extremos, textos.frase_extremos) -------------------

def ranking(valores: dict[str, float]) -> pd.DataFrame:
    filas = [{"codigo_unidad": c, "avance_fisico_trimestre": v} for c, v in valores.items()]
    filas.append({"codigo_unidad": "TOTAL", "avance_fisico_trimestre": 100.0})
    return pd.DataFrame(filas)


def _impreso(v: float) -> float:
    from helpers.comun.numeros import redondear

    return redondear(v, 2)


def test_extremos_sin_empate_en_el_corte_no_llevan_nota():
    valores = {f"U{i:02d}": 10.0 * i for i in range(1, 9)}
    mayores, menores = textos.extremos(ranking(valores), "codigo_unidad",
                                       "avance_fisico_trimestre", 3)
    orden = sorted(valores, key=lambda c: (-valores[c], c))
    assert mayores["codigo_unidad"].tolist() == orden[:3]
    assert menores["codigo_unidad"].tolist() == orden[::-1][:3]
    assert "nota" not in mayores.attrs and "nota" not in menores.attrs


def test_extremos_con_pocos_empatados_los_muestra_todos():
    """Un empate que cruza el corte y cabe en MAXIMO_EMPATADAS filas: van todas."""
    n = 5
    empatadas = [f"E{i}" for i in range(4)]  # 2 por encima + 4 empatadas > 5
    valores = {"A": 99.0, "B": 98.0, **{c: 90.0 for c in empatadas}, "Z": 10.0}
    mayores, _ = textos.extremos(ranking(valores), "codigo_unidad", "avance_fisico_trimestre", n)
    assert mayores["codigo_unidad"].tolist() == ["A", "B", *sorted(empatadas)]
    assert len(mayores) <= textos.MAXIMO_EMPATADAS
    nota = mayores.attrs["nota"]
    assert f"{len(mayores)} filas en lugar de {n}" in nota
    assert f"{len(empatadas)} unidades empatan en {formatear_porcentaje(90.0)}" in nota


def test_extremos_con_muchos_empatados_dice_cuantos():
    """29 unidades con 100 %: la tabla muestra 5, en orden alfabético, y la nota dice que
    empatan 29; el empate se mira en la cifra impresa (99,996 se imprime 100,00)."""
    completas = {f"U{i:02d}": 100.0 for i in range(28)}
    valores = {**completas, "V99": 99.996, "W": 50.0, "X": 40.0}
    empatadas = [c for c, v in valores.items() if _impreso(v) == _impreso(100.0)]
    assert len(empatadas) > textos.MAXIMO_EMPATADAS
    n = 5
    mayores, menores = textos.extremos(ranking(valores), "codigo_unidad",
                                       "avance_fisico_trimestre", n)
    assert mayores["codigo_unidad"].tolist() == sorted(empatadas)[:n]
    nota = mayores.attrs["nota"]
    assert nota.startswith(f"{len(empatadas)} unidades empatan en {formatear_porcentaje(100.0)}, "
                           "el valor más alto")
    assert f"muestra {n} de ellas" in nota
    # Entre las de menor avance, tras X y W, el mismo empate: se dice también.
    assert menores["codigo_unidad"].tolist() == ["X", "W", *sorted(empatadas)[:n - 2]]
    assert menores.attrs["nota"].startswith(
        f"{len(empatadas)} unidades empatan en {formatear_porcentaje(100.0)}; la tabla muestra "
        f"{n - 2} de ellas")
    # La nota va al pie de la tabla del informe, tal cual.
    html = presentacion.tabla(mayores, ["codigo_unidad", "avance_fisico_trimestre"])
    assert f'<tfoot><tr><td class="nota" colspan="2">{nota}</td></tr></tfoot>' in html


def test_empate_mas_alla_del_corte_con_filas_por_encima():
    valores = {"A": 99.0, **{f"E{i:02d}": 80.0 for i in range(12)}, "Z": 1.0}
    n = 3
    mayores, _ = textos.extremos(ranking(valores), "codigo_unidad", "avance_fisico_trimestre", n)
    assert len(mayores) == n and mayores["codigo_unidad"].iloc[0] == "A"
    assert mayores.attrs["nota"].startswith(f"12 unidades empatan en {formatear_porcentaje(80.0)};")
    assert f"muestra {n - 1} de ellas" in mayores.attrs["nota"]


def test_frase_extremos_con_empates():
    pocas = {"B": 100.0, "A": 100.0, "I": 100.0, "C": 70.0, "D": 20.0}
    frase = textos.frase_extremos(ranking(pocas), "codigo_unidad", "avance_fisico_trimestre",
                                  "La unidad", "avance físico")
    assert frase == (f"3 unidades comparten el valor más alto de avance físico "
                     f"({formatear_porcentaje(100.0)}): A, B e I; la unidad D registra el más "
                     f"bajo ({formatear_porcentaje(20.0)}).")
    muchas = {f"U{i:02d}": 100.0 for i in range(textos.MAXIMO_EMPATADAS + 1)}
    muchas.update({"Y": 5.0, "Z": 5.0})
    frase = textos.frase_extremos(ranking(muchas), "codigo_unidad", "avance_fisico_trimestre",
                                  "La unidad", "avance físico")
    assert frase.startswith(f"{textos.MAXIMO_EMPATADAS + 1} unidades comparten el valor más "
                            f"alto de avance físico ({formatear_porcentaje(100.0)}); ")
    assert frase.endswith(f"2 unidades comparten el más bajo ({formatear_porcentaje(5.0)}): Y y Z.")
    iguales = {"A": 50.0, "B": 50.0}
    assert textos.frase_extremos(ranking(iguales), "codigo_unidad", "avance_fisico_trimestre",
                                 "La unidad", "avance físico") == (
        "2 unidades comparten el mismo valor de avance físico "
        f"({formatear_porcentaje(50.0)}): A y B.")


# --- eficiencia no significativa ---------------------------------------------------------

def test_eficiencia_no_significativa_se_muestra_ns_y_sin_operandos_guion():
    df = pd.DataFrame({
        "codigo_acp": ["1", "2", "3", "TOTAL"],
        "eficacia_acumulada": [40.0, 40.0, float("nan"), 40.0],
        "ejecucion_acumulada": [0.5, 30.0, 10.0, float("nan")],
        "eficiencia_acumulada": [float("nan"), 40.0 / 30.0 * 100, float("nan"), float("nan")],
    })
    html = presentacion.tabla(df, list(df.columns))
    celdas = re.findall(r'<td class="num">([^<]*)</td>', html)
    eficiencias = celdas[2::3]
    assert eficiencias == ["n.s.", formatear_porcentaje(40.0 / 30.0 * 100), "—", "—"]
    # Sin los operandos en la tabla no se sabe por qué falta: «—».
    solo = presentacion.tabla(df[["codigo_acp", "eficiencia_acumulada"]],
                              ["codigo_acp", "eficiencia_acumulada"])
    assert "n.s." not in solo


def test_resumen_y_portada_dicen_ns_con_una_ejecucion_minima_alta(tmp_path):
    prep = preparado(tmp_path, metodologia={"eficiencia_ejecucion_minima": 100})
    total = textos.total(prep)
    assert pd.notna(total.ejecucion_acumulada) and pd.isna(total.eficiencia_acumulada)
    resumen = textos.resumen_ejecutivo(prep)
    assert (f"la eficiencia no es significativa (n.s.), porque la ejecución acumulada, "
            f"{formatear_porcentaje(total.ejecucion_acumulada)}, es menor que el mínimo de "
            f"{formatear_porcentaje(100)}") in resumen
    cifras = textos.indicadores_principales(prep)
    fila = cifras[cifras["indicador"].str.startswith("Eficiencia")].iloc[0]
    assert fila["acumulado"] == "n.s."
    html = presentacion.tabla(cifras, ["indicador", "trimestre", "acumulado", "calificacion"])
    assert ">n.s.<" in html
    assert f"es menor que {formatear_porcentaje(100)}" in textos.marco_metodologico(prep)


@pytest.mark.parametrize("trimestre", [1, 2])
def test_en_el_primer_trimestre_cada_cifra_va_en_una_columna(tmp_path, trimestre):
    """En T1 el acumulado es el trimestre: una columna por cifra; en T2, las dos."""
    prep = preparado(tmp_path, trimestre=trimestre)
    acp = prep.tablas["acp"]
    pares = [("ejecucion_trimestre", "ejecucion_acumulada"),
             ("avance_fisico_trimestre", "avance_fisico_acumulado")]
    columnas = ["codigo_acp", *(c for par in pares for c in par)]
    encabezados = re.findall(r"<th[^>]*>([^<]*)</th>", presentacion.tabla(acp, columnas))
    titulos = {c: presentacion.COLUMNAS[c][0] for par in pares for c in par}
    coinciden = all(acp[a].equals(acp[b]) for a, b in pares)
    assert coinciden == (trimestre == 1)
    if coinciden:
        assert encabezados == ["ACP", *(titulos[a].replace("trimestre", "trimestre y acumulado")
                                        for a, _ in pares)]
    else:
        assert encabezados == ["ACP", *(titulos[c] for par in pares for c in par)]
