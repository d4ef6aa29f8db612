"""Tablas y frases del informe: formato boliviano, colores de la paleta, texto de los
planificadores como texto plano, y frases que cambian con las cifras y los parámetros."""
from __future__ import annotations

import pandas as pd
import pytest

import fabrica
from helpers import presentacion, textos
from helpers.datos import cargar_datos
from helpers.numeros import formatear_porcentaje
from helpers.paleta import COLOR_CALIFICACION, COLOR_SEMAFORO
from helpers.parametros import cargar_parametros
from helpers.preparacion import preparar


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
    assert f"background-color: {COLOR_SEMAFORO['rojo']}" in html
    assert f"background-color: {COLOR_CALIFICACION['Alto']}" in html
    assert '<tr class="total">' in html
    assert "Vigente (Bs)" in html


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
    for valor in (total.avance_fisico_trimestre, total.ejecucion_trimestre, total.eficacia_acumulada):
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
    prep = preparado(tmp_path, metodologia={"semaforo_financiero": {1: [30, 15], 2: [50, 40], 3: [70, 55], 4: [90, 70]}})
    semaforo = textos.tabla_semaforo(prep)
    assert semaforo.loc[1, "verde"] == "50,00 % o más"
    escala = textos.tabla_escala(prep)
    assert escala["calificacion"].tolist() == ["Excelente", "Alto", "Medio", "Bajo", "Muy bajo", "Nulo"]


def test_conclusiones_nombran_lider_y_rezagado(tmp_path):
    prep = preparado(tmp_path)
    area = prep.tablas["area"]
    areas = area[area["nivel"] == "area"].sort_values("avance_fisico_trimestre")
    frases = " ".join(textos.conclusiones(prep))
    alto, bajo = areas.iloc[-1], areas.iloc[0]
    assert (f"El área {alto.area} registra el valor más alto de avance físico del trimestre "
            f"({formatear_porcentaje(alto.avance_fisico_trimestre)}) y el área {bajo.area} el más bajo "
            f"({formatear_porcentaje(bajo.avance_fisico_trimestre)})") in frases
