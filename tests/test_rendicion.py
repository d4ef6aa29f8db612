"""Los textos y cuadros de la rendición de cuentas (helpers.redaccion.rendicion): resultados por
área y unidad, evaluación de las operaciones y conclusiones.

Casi todo se prueba sobre tablas pequeñas hechas a mano (un `prep` de mentira con las tablas
que leen las funciones); lo esperado se calcula de esas tablas en la prueba, nunca se copia de
una salida. Al final, una corrida sobre el libro pequeño de `fabrica` (tablas reales de
`helpers.calculo.anual`) y la de los tres cuadernos con papermill.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import fabrica
import nbformat
import numpy as np
import pandas as pd
import papermill as pm
import pytest

from helpers.calculo import metodologia as m
from helpers.calculo.anual import CONTEOS
from helpers.calculo.recomendaciones import tabla_recomendaciones
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero, formatear_numero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia, cargar_parametros
from helpers.preparacion import preparar
from helpers.redaccion import conclusiones, presentacion, rendicion
from helpers.rutas import CUADERNOS, RAIZ

NAN = float("nan")


def _plano(markdown: str) -> str:
    """Un fragmento de Markdown como se lee: sin las barras de escape ni los asteriscos."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "")


# --------------------------------------------------------------------------------------
# Un POA hecho a mano: dos áreas, cuatro unidades (una sin operaciones)

UNIDADES = pd.DataFrame({
    "codigo_unidad": ["U1", "U2", "U3", "U4"],
    "nombre": ["Dirección Uno", "Dirección Dos", "Embajada Tres", "Consulado Cuatro"],
    "area": ["A1", "A1", "A2", "A2"],
    "servicio": ["Central", "Central", "Exterior", "Exterior"],
})
AREAS = pd.DataFrame({"area": ["A1", "A2"], "nombre": ["Área Primera", "Área Segunda"],
                      "sigla": ["AP", "AS"]})

# codigo, unidad, prog, ejec, evaluacion, justificacion
_OPS = [
    ("OP-1", "U1", 10.0, 12.84, m.CUMPLE, ""),          # sobre su meta: 128,40 sin tope
    ("OP-2", "U1", 4.0, 3.0, m.CUMPLE, ""),
    ("OP-3", "U1", 5.0, 1.0, m.NO_CUMPLE, ""),
    ("OP-4", "U2", 1.0, 0.0, m.NO_APLICA, "La visita se postergó <b>sin fecha</b>."),
    ("OP-5", "U3", 8.0, 2.0, m.NO_CUMPLE, ""),
    ("OP-6", "U3", 6.0, 6.0, m.CUMPLE, ""),
]


def _operacion() -> pd.DataFrame:
    filas = []
    for codigo, unidad, prog, ejec, evaluacion, justificacion in _OPS:
        sin_tope = NAN if evaluacion == m.NO_APLICA else ejec / prog * 100
        filas.append({
            "codigo_operacion": codigo, "codigo_unidad": unidad, "codigo_acp": "1",
            "descripcion": f"Descripción de {codigo}", "indicador": f"Indicador de {codigo}",
            "unidad_medida": "informe", "prog_anual": prog, "ejec_anual": ejec,
            "cumplimiento_anual": NAN if np.isnan(sin_tope) else min(sin_tope, 100.0),
            "cumplimiento_sin_tope_anual": sin_tope, "evaluacion": evaluacion,
            "justificacion": justificacion, "medio_verificacion": f"Informe {codigo}/2024",
            "tareas": 1, "estado": "PROGRAMADA", "meses_sin_reporte": "",
        })
    return pd.DataFrame(filas)


def _conteos(operacion: pd.DataFrame, claves: pd.Series) -> pd.DataFrame:
    """Los recuentos por evaluación, contados en la prueba desde las operaciones."""
    cruce = pd.crosstab(claves, operacion["evaluacion"])
    return pd.DataFrame({col: cruce.get(ev, pd.Series(dtype=int)) for col, ev in
                         rendicion.CONTEOS.items()}).fillna(0).astype(int)


def _unidad(operacion: pd.DataFrame) -> pd.DataFrame:
    conteos = (_conteos(operacion, operacion["codigo_unidad"])
               .reindex(UNIDADES["codigo_unidad"]).fillna(0))
    tabla = UNIDADES.copy()
    tabla["avance_fisico_anual"] = [76.0, NAN, 40.0, NAN]
    tabla["calificacion_anual"] = ["Alto", None, "Bajo", None]
    tabla["vigente"] = [1000.0, 0.0, 500.0, 0.0]
    tabla["devengado_anual"] = [900.0, 0.0, 200.0, 0.0]
    tabla["ejecucion_anual"] = [90.0, NAN, 40.0, NAN]
    tabla["semaforo"] = ["verde", None, "rojo", None]
    tabla["eficacia_anual"] = [75.0, NAN, 39.0, NAN]
    for col in CONTEOS:
        tabla[col] = conteos[col].astype(int).to_numpy()
    return tabla


def _area(operacion: pd.DataFrame) -> pd.DataFrame:
    area_de = dict(zip(UNIDADES["codigo_unidad"], UNIDADES["area"]))
    por_area = _conteos(operacion, operacion["codigo_unidad"].map(area_de))
    total = por_area.sum()
    filas = []
    for area, fis, ejec, cal, sem in (("A1", 76.0, 90.0, "Alto", "verde"),
                                      ("A2", 40.0, 40.0, "Bajo", "rojo")):
        filas.append({"area": area, "servicio": "", "nivel": "area", "avance_fisico_anual": fis,
                      "eficacia_anual": fis, "vigente": 1.0, "devengado_anual": 1.0,
                      "ejecucion_anual": ejec, "calificacion_anual": cal, "semaforo": sem,
                      "eficiencia_anual": NAN, "brecha_anual": NAN,
                      **{c: int(por_area.loc[area, c]) for c in CONTEOS}})
    filas.append({"area": "TOTAL", "servicio": "", "nivel": "entidad",
                  "avance_fisico_anual": 58.0, "eficacia_anual": 57.5, "vigente": 1500.0,
                  "devengado_anual": 1100.0, "ejecucion_anual": 73.33,
                  "calificacion_anual": "Medio", "semaforo": "amarillo",
                  "eficiencia_anual": 78.41, "brecha_anual": -15.83,
                  **{c: int(total[c]) for c in CONTEOS}})
    return pd.DataFrame(filas)


NARRATIVA = pd.DataFrame([
    ("U1", 1, "logro", "Se logró *algo* en [enlace](http://x)."),
    ("U3", 2, "logro", "Feria consular en Lima."),
    ("U1", 3, "dificultad", "Faltó personal."),
    ("U2", 1, "recomendacion", "Reforzar el reporte."),
    ("U3", 2, "recomendacion", "Revisar metas."),
    ("U3", 4, "recomendacion", "Revisar metas."),
    ("U1", 4, "recomendacion", "Planificar antes."),
], columns=["codigo_unidad", "trimestre", "tipo", "texto"])


def _prep(operacion=None, trimestral=None, metodologia=None, recomendaciones=(),
          planificacion=None) -> SimpleNamespace:
    operacion = _operacion() if operacion is None else operacion
    nombres = dict(zip(AREAS["area"], AREAS["nombre"]))

    def con_nombres(tabla, columna="area", forma="nombre"):
        tabla = tabla.copy()
        tabla[columna] = tabla[columna].map(lambda a: nombres.get(a, a))
        return tabla

    if trimestral is None:
        trimestral = pd.DataFrame({"area": "TOTAL", "trimestre": [1, 2, 3, 4],
                                   "avance_fisico": [50.0, 70.004, 69.996, 60.0],
                                   "ejecucion": [10.0, 20.0, 30.0, 13.33]})
    parametros = SimpleNamespace(
        presentacion=SimpleNamespace(recomendaciones=list(recomendaciones),
                                     unidad_planificacion=planificacion),
        etiqueta="2024-anual", tipo=SimpleNamespace(periodo="gestion"), trimestre_corte=4)
    datos = SimpleNamespace(narrativa=NARRATIVA, unidades=UNIDADES)
    return SimpleNamespace(
        tablas={"operacion": operacion, "unidad": _unidad(operacion), "area": _area(operacion),
                "trimestral": trimestral,
                "recomendaciones": tabla_recomendaciones(parametros, datos)},
        unidades=UNIDADES, areas=AREAS, narrativa=NARRATIVA,
        nombre_area=lambda a: nombres.get(a, a), con_nombres=con_nombres,
        metodologia=metodologia or Metodologia(), trimestre=4, gestion=2024,
        acumulado="enero a diciembre de 2024", de_gestion=True,
        entidad="Ministerio de Prueba", parametros=parametros,
    )


# --------------------------------------------------------------------------------------
# Cuadro de operaciones


def test_cumplimiento_sobre_la_meta_muestra_con_y_sin_tope():
    prog, ejec = 10.0, 12.84
    sin_tope = ejec / prog * 100
    assert rendicion.cumplimiento_mostrado(min(sin_tope, 100.0), sin_tope) == (
        f"{formatear_numero(100.0)} ({formatear_numero(sin_tope)})")
    assert rendicion.cumplimiento_mostrado(75.0, 75.0) == formatear_numero(75.0)
    assert rendicion.cumplimiento_mostrado(NAN, NAN) == "—"
    # Sin tope en la metodología: las dos cifras son la misma y no hay paréntesis.
    assert "(" not in rendicion.cumplimiento_mostrado(sin_tope, sin_tope)


def test_cuadro_de_operaciones_de_una_unidad():
    operacion = _operacion()
    cuadro = rendicion.cuadro_operaciones(operacion, "U1")
    propias = operacion[operacion["codigo_unidad"] == "U1"]
    assert list(cuadro["descripcion"]) == list(propias["descripcion"])
    assert list(cuadro.columns) == list(rendicion.COLUMNAS_CUADRO_OPERACIONES)
    encima = propias[propias["cumplimiento_sin_tope_anual"] > 100]
    assert len(encima) == 1
    fila = cuadro[cuadro["descripcion"] == encima["descripcion"].iloc[0]].iloc[0]
    assert fila["cumplimiento"] == (f"{formatear_numero(100)} "
                                    f"({formatear_numero(encima['cumplimiento_sin_tope_anual'].iloc[0])})")
    assert "la operación que superó su meta" in cuadro.attrs["nota"]
    # El HTML del cuadro lleva la nota y el paréntesis.
    html = presentacion.tabla(cuadro, nombre="u1",
                              **rendicion.argumentos_tabla(rendicion.COLUMNAS_CUADRO_OPERACIONES))
    assert fila["cumplimiento"] in html and "Cumplimiento anual (%)" in html
    assert "tfoot" in html


def test_sin_operaciones_sobre_la_meta_no_hay_nota():
    cuadro = rendicion.cuadro_operaciones(_operacion(), "U3")
    assert "nota" not in cuadro.attrs
    assert not cuadro["cumplimiento"].str.contains(r"\(").any()


def test_no_aplica_muestra_su_justificacion():
    operacion = _operacion()
    cuadro = rendicion.cuadro_operaciones(operacion, "U2")
    justificacion = operacion.loc[operacion["evaluacion"] == m.NO_APLICA, "justificacion"].iloc[0]
    assert cuadro["evaluacion"].iloc[0] == f"{m.NO_APLICA}: {justificacion}"
    assert cuadro["cumplimiento"].iloc[0] == "—"
    html = presentacion.tabla(cuadro, nombre="u2",
                              **rendicion.argumentos_tabla(rendicion.COLUMNAS_CUADRO_OPERACIONES))
    assert "&lt;b&gt;sin fecha&lt;/b&gt;" in html  # el texto de los datos, inerte
    # Las evaluadas no llevan texto detrás de su evaluación.
    assert (set(rendicion.cuadro_operaciones(operacion, "U1")["evaluacion"])
            <= {m.CUMPLE, m.NO_CUMPLE})


def test_unidad_sin_operaciones_lo_dice_en_una_frase():
    prep = _prep()
    fila = prep.tablas["unidad"].set_index("codigo_unidad").loc["U4"]
    assert rendicion.cuadro_operaciones(prep.tablas["operacion"], "U4").empty
    frase = rendicion.frase_unidad(fila)
    assert frase.startswith("La unidad no tiene operaciones en el POA")
    assert "%" not in frase  # ni avance ni ejecución: no tiene presupuesto


@pytest.mark.parametrize("cupo", [None, 1, 2, 3, 4, 100])
def test_unidades_en_detalle_mientras_sus_operaciones_caben(cupo):
    operacion = _operacion()
    por_unidad = rendicion.operaciones_por_unidad(operacion)
    assert por_unidad.to_dict() == operacion["codigo_unidad"].value_counts().to_dict()
    unidades = UNIDADES  # U1 tiene 3 operaciones, U2 1, U3 2, U4 ninguna
    n = rendicion.unidades_en_detalle(unidades, por_unidad, cupo)
    if cupo is None:
        assert n == len(unidades)
        return
    filas = [int((operacion["codigo_unidad"] == c).sum()) for c in unidades["codigo_unidad"]]
    # Las primeras n caben juntas (o es la primera sola), y con una más ya no.
    assert n >= 1 and (n == 1 or sum(filas[:n]) <= cupo)
    assert n == len(unidades) or sum(filas[:n + 1]) > cupo


def test_frase_sin_detalle_cuenta_unidades_y_operaciones_y_dice_donde_estan():
    operacion = _operacion()
    por_unidad = rendicion.operaciones_por_unidad(operacion)
    resto = UNIDADES.iloc[1:]
    frase = rendicion.frase_sin_detalle(resto, por_unidad)
    n_ops = int(operacion["codigo_unidad"].isin(resto["codigo_unidad"]).sum())
    assert f"las otras {formatear_entero(len(resto))} unidades" in frase
    assert f"({formatear_entero(n_ops)} operaciones)" in frase
    for lugar in ("tablas/unidad.csv", "tablas/operacion.csv", "anexo.xlsx"):
        assert lugar in frase
    sola = UNIDADES.iloc[[1]]  # U2: una sola operación, en singular
    n_sola = int(operacion["codigo_unidad"].isin(sola["codigo_unidad"]).sum())
    una = rendicion.frase_sin_detalle(sola, por_unidad)
    assert n_sola == 1 and "la otra unidad" in una
    assert f"({formatear_entero(n_sola)} operación)" in una


# --------------------------------------------------------------------------------------
# Recuentos: los de los textos son los de los cuadros


@pytest.mark.parametrize("codigo", ["U1", "U2", "U3"])
def test_recuentos_de_la_unidad_son_los_de_su_cuadro(codigo):
    prep = _prep()
    fila = prep.tablas["unidad"].set_index("codigo_unidad").loc[codigo]
    cuadro = rendicion.cuadro_operaciones(prep.tablas["operacion"], codigo)
    evaluacion = cuadro["evaluacion"].str.split(":").str[0]
    frase = _plano(rendicion.frase_unidad(fila))
    if len(cuadro) == 1:
        assert frase.endswith(f"su única operación queda {evaluacion.iloc[0]}.")
        return
    assert f"sus {len(cuadro)} operaciones" in frase
    for ev in rendicion.EVALUACIONES:
        n = int((evaluacion == ev).sum())
        if n:
            assert re.search(rf"(?<!\d){n} {ev}\b", frase), (ev, frase)
        elif ev == m.NO_CUMPLE:
            assert f"ninguna queda {m.NO_CUMPLE}" in frase
        else:
            assert not re.search(rf"\d+ {ev}\b", frase.replace(f"NO {m.CUMPLE}", "")), frase


@pytest.mark.parametrize("area", ["A1", "A2"])
def test_recuentos_del_area_son_los_de_sus_unidades(area):
    prep = _prep()
    operacion = prep.tablas["operacion"]
    del_area = operacion[operacion["codigo_unidad"].isin(
        UNIDADES.loc[UNIDADES["area"] == area, "codigo_unidad"])]
    texto = _plano(rendicion.parrafo_area(prep, area))
    assert f"sus {len(del_area)} operaciones" in texto
    for ev, n in del_area["evaluacion"].value_counts().items():
        assert re.search(rf"(?<!\d){n} {ev}\b", texto)
    unidades = int((UNIDADES["area"] == area).sum())
    assert f"agrupa {unidades} unidades" in texto
    cuadro = rendicion.cuadro_unidades(prep, area)
    assert list(cuadro["nombre"]) == list(UNIDADES.loc[UNIDADES["area"] == area, "nombre"])


def test_evaluacion_de_la_entidad_cuenta_todas_las_operaciones():
    prep = _prep()
    operacion = prep.tablas["operacion"]
    conteo = operacion["evaluacion"].value_counts()
    texto = _plano(rendicion.parrafo_evaluacion(prep))
    assert f"De las {len(operacion)} operaciones" in texto
    for ev, n in conteo.items():
        assert re.search(rf"(?<!\d){n} {ev}\b", texto)
    evaluadas = int(conteo.get(m.CUMPLE, 0) + conteo.get(m.NO_CUMPLE, 0))
    assert pct(conteo[m.CUMPLE] / evaluadas * 100) in texto
    encima = int((operacion["cumplimiento_sin_tope_anual"] > 100).sum())
    assert f"{encima} operación superó" in texto
    # Las NO CUMPLE por área, con su número.
    for nombre, area in zip(AREAS["nombre"], AREAS["area"]):
        unidades = UNIDADES.loc[UNIDADES["area"] == area, "codigo_unidad"]
        n = int(((operacion["evaluacion"] == m.NO_CUMPLE)
                 & operacion["codigo_unidad"].isin(unidades)).sum())
        assert f"{nombre} ({n})" in texto
    conclusion = _plano(rendicion.conclusion_evaluacion(prep))
    assert f"sus {len(operacion)} operaciones" in conclusion
    assert f"de las {evaluadas} evaluadas" in conclusion

    cuadro = rendicion.cuadro_evaluacion(prep).set_index("area")
    total = cuadro.loc["TOTAL"]
    assert total["operaciones"] == len(operacion) and total["evaluadas"] == evaluadas
    assert total["porcentaje_cumple"] == pytest.approx(conteo[m.CUMPLE] / evaluadas * 100)


def test_operaciones_observadas_por_area_y_unidad():
    prep = _prep()
    operacion = prep.tablas["operacion"]
    no_cumple = rendicion.cuadro_observadas(prep, m.NO_CUMPLE)
    esperadas = operacion[operacion["evaluacion"] == m.NO_CUMPLE]
    assert list(no_cumple["descripcion"]) == list(esperadas["descripcion"])
    nombres = dict(zip(UNIDADES["codigo_unidad"], UNIDADES["nombre"]))
    assert list(no_cumple["unidad"]) == [nombres[u] for u in esperadas["codigo_unidad"]]
    assert list(no_cumple["area"]) == ["Área Primera", "Área Segunda"]
    # Las NO CUMPLE no traen justificación: la columna no se muestra.
    assert "justificacion" not in rendicion.argumentos_observadas(no_cumple)["columnas"]
    texto = rendicion.parrafo_observadas(prep, m.NO_CUMPLE)
    assert texto.startswith(f"{len(esperadas)} operaciones de "
                            f"{esperadas['codigo_unidad'].nunique()} unidades")

    no_aplica = rendicion.cuadro_observadas(prep, m.NO_APLICA)
    assert list(no_aplica["justificacion"]) == list(
        operacion.loc[operacion["evaluacion"] == m.NO_APLICA, "justificacion"])
    assert "justificacion" in rendicion.argumentos_observadas(no_aplica)["columnas"]


def test_ninguna_no_cumple_lo_dice():
    operacion = _operacion()
    operacion["evaluacion"] = operacion["evaluacion"].replace(m.NO_CUMPLE, m.CUMPLE)
    prep = _prep(operacion)
    assert rendicion.cuadro_observadas(prep, m.NO_CUMPLE).empty
    assert rendicion.parrafo_observadas(prep, m.NO_CUMPLE) == (
        f"Ninguna operación queda {m.NO_CUMPLE} en la gestión.")
    assert f"Ninguna área tiene operaciones {m.NO_CUMPLE}" in rendicion.parrafo_evaluacion(prep)


# --------------------------------------------------------------------------------------
# Nada escrito a mano: umbrales, trimestres, narrativa


@pytest.mark.parametrize("umbral", [50.0, 62.5])
def test_regla_con_el_umbral_de_los_parametros(umbral):
    prep = _prep(metodologia=Metodologia(umbral_cumple=umbral))
    regla = rendicion.regla_evaluacion(prep)
    assert pct(umbral) in regla and "enero a diciembre de 2024" in regla
    assert regla.count(".") == regla.rstrip(".").count(".") + 1  # una sola frase


def test_mejor_y_peor_trimestre_con_empates_en_lo_impreso():
    prep = _prep()
    frases = rendicion.conclusiones_trimestres(prep)
    fisico, financiero = frases
    # 70,004 y 69,996 se imprimen 70,00: empatan en el más alto.
    assert f"más alto en los trimestres segundo y tercero ({pct(70.0)})" in fisico
    assert f"más bajo en el primer trimestre ({pct(50.0)})" in fisico
    assert f"más alta en el tercer trimestre ({pct(30.0)} del vigente)" in financiero
    assert f"más baja en el primer trimestre ({pct(10.0)} del vigente)" in financiero


def test_un_solo_trimestre_no_se_compara():
    prep = _prep(trimestral=pd.DataFrame({"area": ["TOTAL"], "trimestre": [1],
                                          "avance_fisico": [40.0], "ejecucion": [5.0]}))
    assert "no hay trimestres que comparar" in rendicion.conclusiones_trimestres(prep)[0]


def test_areas_y_unidades_bajo_los_umbrales():
    prep = _prep()
    frases = [_plano(f) for f in rendicion.conclusiones_umbrales(prep)]
    fisico, financiero, dificultades = frases
    # A2 (40 %, Bajo) y su Embajada Tres quedan bajo el umbral físico; A1 no.
    assert "1 de las 2 áreas con metas en el año queda en esos grados (Área Segunda)" in fisico
    assert "de las 2 unidades con metas en el año, 1 queda en esos grados" in fisico
    assert f"Embajada Tres (Bajo, {pct(40.0)})" in fisico and "Dirección Uno" not in fisico
    assert "(Área Segunda)" in financiero and f"Embajada Tres ({pct(40.0)})" in financiero
    # Embajada Tres no registró dificultades.
    assert dificultades == ("La unidad bajo los umbrales no registró dificultades en la hoja "
                            "narrativa de la gestión.")
    criterio = conclusiones.criterio_umbrales(prep)
    rojo = Metodologia().semaforo_financiero[4][1]
    assert pct(rojo) in criterio


def test_logros_y_dificultades_del_area_con_su_trimestre_e_inertes():
    prep = _prep()
    bloques = rendicion.narrativa_del_area(prep, "A1")
    logros, dificultades = bloques
    assert md("Se logró *algo* en [enlace](http://x).") in logros
    assert "(Dirección Uno, primer trimestre)" in logros
    assert "(1 logro)" in logros and "Feria" not in logros  # la de A2 no
    assert "Faltó personal" in dificultades and "tercer trimestre" in dificultades
    assert "Reforzar" not in "".join(bloques)  # las recomendaciones van en las conclusiones
    a2 = rendicion.narrativa_del_area(prep, "A2")
    assert "segundo trimestre" in a2[0]
    assert a2[1] == "Ninguna unidad del área registró dificultades de la gestión."


def test_recomendaciones_en_orden_y_sin_repetir():
    prep = _prep(recomendaciones=["Usar este cierre como línea base."], planificacion="U3")
    propias = rendicion.recomendaciones_planificacion(prep)
    # Cada una con su código, en el orden en que se imprimen.
    assert propias[0] == f"**{md('R-2024-anual-01')}** {md('Usar este cierre como línea base.')}"
    # El mismo texto de la unidad de planificación en dos trimestres va una vez.
    assert propias[1:] == [f"**{md('R-2024-anual-02')}** «{md('Revisar metas.')}» (Embajada "
                           "Tres, trimestres segundo y cuarto)"]
    otras = rendicion.recomendaciones_unidades(prep)
    # Área Primera: la Dirección Dos registró antes que la Dirección Uno en la hoja.
    assert [re.search(r"» \((.*?),", o).group(1) for o in otras] == ["Dirección Dos",
                                                                     "Dirección Uno"]
    assert [re.match(r"\*\*(.*?)\*\*", o).group(1) for o in otras] == [
        md(f"R-2024-anual-0{i}") for i in (3, 4)]
    parrafo = rendicion.parrafo_recomendaciones(prep)
    assert f"Se recogen {len(propias) + len(otras)} recomendaciones" in parrafo
    assert f"{len(propias)} de la unidad de planificación" in parrafo


def test_conclusion_de_la_entidad_con_su_brecha():
    prep = _prep()
    t = prep.tablas["area"].set_index("area").loc["TOTAL"]
    texto = _plano(rendicion.conclusion_entidad(prep))
    assert pct(t["avance_fisico_anual"]) in texto and pct(t["ejecucion_anual"]) in texto
    assert ("por detrás de la ejecución financiera por "
            f"{formatear_numero(abs(t['brecha_anual']))}") in texto
    assert pct(t["eficiencia_anual"]) in texto


# --------------------------------------------------------------------------------------
# Con las tablas reales del libro pequeño y los cuadernos


@pytest.fixture(scope="module")
def params_anual(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("rendicion")
    libro = fabrica.escribir_libro(carpeta / "datos" / fabrica.NOMBRE_LIBRO,
                                   fabrica.tablas_pequenas())
    return fabrica.escribir_params(carpeta / "anual.yaml", libro, informe="anual", trimestre=None)


@pytest.fixture(scope="module")
def prep_anual(params_anual):
    parametros = cargar_parametros(params_anual)
    return preparar(parametros, cargar_datos(parametros.ruta_datos))


def test_libro_pequeno_recuentos_de_textos_y_cuadros(prep_anual):
    prep = prep_anual
    operacion = prep.tablas["operacion"]
    total_cuadros = 0
    for _, fila in prep.tablas["unidad"].iterrows():
        cuadro = rendicion.cuadro_operaciones(operacion, fila["codigo_unidad"])
        total_cuadros += len(cuadro)
        evaluacion = cuadro["evaluacion"].str.split(":").str[0]
        frase = _plano(rendicion.frase_unidad(fila))
        if len(cuadro) == 1:
            assert frase.endswith(f"su única operación queda {evaluacion.iloc[0]}.")
            continue
        for ev in rendicion.EVALUACIONES:
            n = int((evaluacion == ev).sum())
            if n:
                assert re.search(rf"(?<!\d){n} {ev}\b", frase), (fila["codigo_unidad"], frase)
    assert total_cuadros == len(operacion)
    na = operacion[operacion["evaluacion"] == m.NO_APLICA]
    assert len(na) and all(j.strip() for j in na["justificacion"])
    observadas = rendicion.cuadro_observadas(prep, m.NO_APLICA)
    assert list(observadas["justificacion"]) == [j.strip() for j in na["justificacion"]]
    texto = _plano(rendicion.parrafo_evaluacion(prep))
    assert f"De las {formatear_entero(len(operacion))} operaciones" in texto
    for bloque in (rendicion.conclusiones_umbrales(prep) + rendicion.conclusiones_trimestres(prep)
                   + rendicion.recomendaciones_planificacion(prep)
                   + rendicion.recomendaciones_unidades(prep)):
        assert bloque


@pytest.mark.lento
def test_cuadernos_corren_con_papermill(params_anual, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(RAIZ / "src"))
    for archivo in ("anual/04_resultados.ipynb", "anual/09_evaluacion.ipynb",
                    "anual/10_conclusiones.ipynb"):
        fuente = nbformat.read(CUADERNOS / archivo, as_version=4)
        assert all(not c.get("outputs") for c in fuente.cells if c.cell_type == "code")
        destino = tmp_path / archivo.split("/")[1]
        pm.execute_notebook(str(CUADERNOS / archivo), str(destino),
                            parameters={"params": str(params_anual)}, kernel_name="python3",
                            progress_bar=False, cwd=str(CUADERNOS / "anual"))
        nb = nbformat.read(destino, as_version=4)
        salidas = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
        assert not [o for o in salidas if o.get("output_type") == "error"]
        assert any("text/markdown" in o.get("data", {}) for o in salidas)
