"""Las secciones narrativas (helpers.redaccion: introduccion, resultados_acp, conclusiones,
recomendaciones y sus piezas en analisis; y sus cuadernos): introducción, marco normativo y
estratégico, resultados por ACP, conclusiones y recomendaciones.

Lo esperado se calcula de los datos (filas del libro, tablas, parámetros), nunca se escribe a
mano: sobre la muestra (`params/2024-T1.yaml`, `2024-T2.yaml`) y sobre el libro pequeño de
`fabrica`, con una corrida real del ejecutor para lo que sólo se ve en el HTML ensamblado.
"""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import fabrica
import nbformat
import pandas as pd
import papermill as pm
import pytest
from bs4 import BeautifulSoup
from test_informe import ejecutar

from helpers.calculo.recomendaciones import codigo_de
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_entero
from helpers.comun.numeros import formatear_porcentaje as pct
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos
from helpers.preparacion import abrir, entrada, preparar
from helpers.redaccion import analisis, conclusiones, introduccion, recomendaciones, resultados_acp
from helpers.rutas import CUADERNOS, RAIZ

CUADERNOS_NARRATIVOS = ("comun/01_introduccion.ipynb", "trimestral/08_logros.ipynb",
                        "trimestral/09_conclusiones.ipynb", "trimestral/09_recomendaciones.ipynb")
AREAS = [["area", "nombre", "sigla"],
         ["VRE", "Viceministerio de Relaciones Exteriores", "VRE"],
         ["SERV_EXTERIOR", "Servicio Exterior", "SE"]]
# Textos de la unidad de planificación (DGRM en el libro pequeño) y de los parámetros.
REC_PLANIFICACION = "Consolidar el reporte mensual de avance antes del día 5."
REC_PARAMETROS = ["Revisar la programación de las operaciones sin avance.",
                  "Socializar este informe con todas las áreas."]
NORMAS = ["Ley N° 1178 de Administración y Control Gubernamentales.",
          "Decreto Supremo N° 3246: Normas Básicas del Sistema de Programación de Operaciones."]


def _texto(html: str) -> str:
    """El texto visible de un HTML, con los espacios juntos: sin los guiones y los estilos
    (el modelo del explorador de informe.html, en JSON, lleva también la narrativa)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _plano(markdown: str) -> str:
    """Un fragmento de Markdown de `analisis` como se lee: sin las barras de escape."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _tablas_con_areas() -> dict:
    tablas = fabrica.tablas_pequenas()
    tablas["areas"] = [list(f) for f in AREAS]
    return tablas


def _prep(tmp_path: Path, tablas: dict | None = None, **params) -> object:
    libro = fabrica.escribir_libro(tmp_path / "datos" / fabrica.NOMBRE_LIBRO,
                                   tablas or _tablas_con_areas())
    ruta = fabrica.escribir_params(tmp_path / "p.yaml", libro, **params)
    parametros = cargar_parametros(ruta)
    return preparar(parametros, cargar_datos(parametros.ruta_datos))


@pytest.fixture(scope="module")
def muestra_t2():
    return abrir("params/2024-T2.yaml")


# --------------------------------------------------------------------------------------
# Parámetros: las claves nuevas de `presentacion`


def test_claves_de_presentacion_se_leen_y_validan(tmp_path):
    ruta = fabrica.escribir_params(tmp_path / "p.yaml", tmp_path / "x.xlsx", presentacion={
        "introduccion": "  Un párrafo.  ", "marco_normativo": NORMAS,
        "unidad_planificacion": "DGRM", "recomendaciones": REC_PARAMETROS})
    p = cargar_parametros(ruta).presentacion
    assert p.introduccion == "Un párrafo."
    assert p.marco_normativo == NORMAS and p.recomendaciones == REC_PARAMETROS
    assert p.unidad_planificacion == "DGRM"
    vacio = cargar_parametros(fabrica.escribir_params(tmp_path / "q.yaml", tmp_path / "x.xlsx"))
    assert (vacio.presentacion.marco_normativo == []
            and vacio.presentacion.unidad_planificacion is None)


@pytest.mark.parametrize("presentacion, clave, fragmento", [
    ({"marco_normativo": "Ley 1178"}, "presentacion.marco_normativo", "se esperaba una lista"),
    ({"marco_normativo": ["Ley 1178", "  "]}, "presentacion.marco_normativo[2]", "vacío"),
    ({"recomendaciones": [""]}, "presentacion.recomendaciones[1]", "vacío"),
    ({"unidad_planificacion": 123}, "presentacion.unidad_planificacion", "entre comillas"),
    ({"unidad_planificacion": ""}, "presentacion.unidad_planificacion", "vacío"),
    ({"recomendacion": ["x"]}, "presentacion.recomendacion", "clave desconocida"),
])
def test_claves_de_presentacion_con_errores(tmp_path, presentacion, clave, fragmento):
    ruta = fabrica.escribir_params(tmp_path / "p.yaml", tmp_path / "x.xlsx",
                                   presentacion=presentacion)
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_parametros(ruta)
    (problema,) = info.value.problemas
    assert problema.columna == clave and fragmento in problema.mensaje


@pytest.mark.parametrize("nombre", ["2024-T1", "2024-T2", "2024-T4", "2024-anual"])
def test_params_del_repositorio_nombran_una_unidad_del_libro(nombre):
    parametros = cargar_parametros(RAIZ / "params" / f"{nombre}.yaml")
    p = parametros.presentacion
    assert p.marco_normativo and p.recomendaciones and p.mision and p.vision
    comprobar_con_datos(parametros, cargar_datos(parametros.ruta_datos), f"{nombre}.yaml")


def test_unidad_de_planificacion_inexistente_es_error_de_entrada(tmp_path):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos")
    datos = cargar_datos(libro)
    for codigo, pista in (("DGPX", "tal como figura allí"), ("dgrm", "¿quiso decir 'DGRM'?")):
        params = fabrica.escribir_params(tmp_path / "p.yaml", libro,
                                         presentacion={"unidad_planificacion": codigo})
        with pytest.raises(ErrorDeEntrada) as info:
            comprobar_con_datos(cargar_parametros(params), datos, "p.yaml")
        texto = str(info.value.problemas[0])
        assert texto.startswith("p.yaml, clave presentacion.unidad_planificacion: ")
        assert f"'{codigo}' no existe en la hoja unidades de {libro.name}" in texto
        assert pista in texto


def test_el_ejecutor_se_detiene_con_codigo_2_si_la_unidad_no_existe(tmp_path):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos")
    params = fabrica.escribir_params(tmp_path / "malo.yaml", libro, salida=str(tmp_path / "salida"),
                                     presentacion={"unidad_planificacion": "DGPX"})
    resultado = ejecutar(params)
    assert resultado.returncode == 2
    assert "Traceback" not in resultado.stderr
    assert ("malo.yaml, clave presentacion.unidad_planificacion: 'DGPX' no existe en la hoja "
            "unidades") in resultado.stderr
    assert not (tmp_path / "salida").exists()


# --------------------------------------------------------------------------------------
# Introducción y marco estratégico


def test_introduccion_sale_de_los_datos(tmp_path):
    prep = _prep(tmp_path, presentacion={"unidad_planificacion": "DGRM",
                                         "introduccion": "**Nota** propia"})
    texto = "\n".join(introduccion.parrafos_introduccion(prep))
    ops = prep.tablas["operacion"]
    datos_ops = pd.DataFrame(fabrica.OPERACIONES[1:], columns=fabrica.OPERACIONES[0])
    # Operaciones evaluadas: con meta en abril-junio y sin NO APLICA, contadas sobre el libro.
    meta = datos_ops[[f"prog_{m:02d}" for m in (4, 5, 6)]].fillna(0).sum(axis=1) > 0
    evaluadas = datos_ops[meta & datos_ops["no_aplica"].eq("")]
    tareas = int(evaluadas["tareas"].fillna(1).sum())
    assert len(ops) == len(datos_ops)
    assert f"las {len(evaluadas)} operaciones que tenían metas programadas en el trimestre" in texto
    assert f"con {tareas} tareas" in texto
    assert f"las {len(fabrica.ACP) - 1} acciones de corto plazo" in texto
    unidades = pd.DataFrame(fabrica.UNIDADES[1:], columns=fabrica.UNIDADES[0])
    for codigo, nombre, _ in AREAS[1:]:
        assert f"{md(nombre)} ({(unidades['area'] == codigo).sum()}" in texto
    assert "SERV_EXTERIOR" not in texto  # el área por su nombre, nunca por su código
    for servicio, grupo in unidades.groupby("servicio"):
        assert f"{servicio} ({grupo['area'].nunique()} área" in texto
    assert "Dirección General de Régimen Migratorio" in texto  # la unidad de planificación
    assert texto.endswith(md("**Nota** propia"))  # el párrafo propio, como texto


def test_sin_parametros_opcionales_no_hay_titulos_vacios(tmp_path):
    prep = _prep(tmp_path)
    assert introduccion.lista_marco_normativo(prep) is None
    assert introduccion.mision_y_vision(prep) == []
    assert recomendaciones.recomendaciones_planificacion(prep) == []
    # La articulación sale siempre de la hoja acp.
    tabla = introduccion.tabla_articulacion(prep)
    assert list(tabla["codigo_acp"]) == [str(f[0]) for f in fabrica.ACP[1:]]


def test_articulacion_agrupa_por_amp(tmp_path):
    tablas = _tablas_con_areas()
    tablas["acp"][2][3] = tablas["acp"][1][3]  # las dos ACP sirven a la misma AMP
    prep = _prep(tmp_path, tablas)
    amp = tablas["acp"][1][3]
    assert f"la {md(amp)} con las ACP 1 y 2" in introduccion.parrafo_articulacion(prep)
    tablas["acp"][1][3] = tablas["acp"][2][3] = None
    sin_amp = _prep(tmp_path / "b", tablas)
    assert "codigo_amp" not in introduccion.tabla_articulacion(sin_amp).columns
    assert "no vincula" in introduccion.parrafo_articulacion(sin_amp)


def test_la_introduccion_dice_lo_que_el_informe_no_incluye_y_por_que(tmp_path):
    """Sin las hojas de sus secciones, cada tipo de informe nombra lo que él llevaría y las
    hojas que faltan, en una frase y en su propio párrafo; con el libro completo, nada."""
    assert introduccion.frase_no_incluye(_prep(tmp_path / "completo")) is None
    minimo = fabrica.sin_hojas_de_secciones(_tablas_con_areas())
    trimestral = _prep(tmp_path / "t", minimo)
    frase = introduccion.frase_no_incluye(trimestral)
    assert frase == (
        "Este informe no incluye los logros y las dificultades de las unidades "
        "organizacionales, la comparación con gestiones anteriores ni recomendaciones: el libro "
        "no trae datos en las hojas narrativa ni historico.")
    assert frase in introduccion.parrafos_introduccion(trimestral)
    anual = _prep(tmp_path / "a", minimo, informe="anual", trimestre=None)
    assert introduccion.frase_no_incluye(anual) == (
        "Este informe no incluye la articulación con el Plan de Desarrollo Económico y Social "
        "(PDES), los logros y las dificultades de las unidades organizacionales, los servicios "
        "prestados a la población, la ejecución de ingresos, la comparación con gestiones "
        "anteriores ni recomendaciones: el libro no trae datos en las hojas articulacion, "
        "narrativa, estadisticas, ingresos ni historico.")
    # Con recomendaciones en los parámetros, faltan sólo las de las unidades.
    con_propias = _prep(tmp_path / "p", minimo, presentacion={"recomendaciones": REC_PARAMETROS})
    assert ("ni las recomendaciones de las unidades organizacionales:"
            in introduccion.frase_no_incluye(con_propias))


def test_la_articulacion_va_en_la_introduccion_si_no_tiene_su_seccion(tmp_path):
    """En el informe trimestral, siempre; en la rendición de cuentas, sólo sin la hoja
    articulacion (con ella, la sección de articulación la muestra con el PDES)."""
    sin_hoja = {h: f for h, f in _tablas_con_areas().items() if h != "articulacion"}
    for tablas, rendicion_la_lleva in ((_tablas_con_areas(), False), (sin_hoja, True)):
        carpeta = tmp_path / str(len(tablas))
        assert introduccion.articulacion_en_la_introduccion(_prep(carpeta / "t", tablas))
        anual = _prep(carpeta / "a", tablas, informe="anual", trimestre=None)
        assert introduccion.articulacion_en_la_introduccion(anual) == rendicion_la_lleva


def test_una_hoja_sin_lo_del_periodo_se_explica(tmp_path):
    """La narrativa sólo del primer trimestre, el histórico sólo de la gestión del informe y
    el presupuesto sin fuentes: el motivo de cada uno, hoja por hoja."""
    tablas = _tablas_con_areas()
    tablas["narrativa"] = [tablas["narrativa"][0],
                           *[f for f in tablas["narrativa"][1:] if f[1] == 1]]
    gestion = fabrica.PARAMS_BASE["gestion"]
    tablas["historico"] = [tablas["historico"][0], [gestion, *tablas["historico"][1][1:]]]
    assert introduccion.frase_no_incluye(_prep(tmp_path, fabrica.sin_fuentes(tablas))) == (
        "Este informe no incluye los logros y las dificultades de las unidades "
        "organizacionales, la ejecución por fuente de financiamiento, la comparación con "
        "gestiones anteriores ni recomendaciones: la hoja narrativa no tiene logros, "
        "dificultades ni recomendaciones del segundo trimestre, la hoja presupuesto no indica "
        "la fuente de financiamiento de ninguna línea y la hoja historico no trae gestiones "
        f"anteriores a {gestion}.")


# --------------------------------------------------------------------------------------
# Resultados por ACP


def test_ficha_de_cada_acp_con_sus_cifras(muestra_t2):
    cifras = muestra_t2.tablas["acp"].set_index("codigo_acp")
    for codigo in muestra_t2.acp["codigo_acp"]:
        ficha = resultados_acp.ficha_acp(muestra_t2, codigo)
        fila = cifras.loc[codigo]
        assert (f"eficacia acumulada es {pct(fila['eficacia_acumulada'])} del programa anual"
                in ficha)
        assert f"avance físico acumulado, {pct(fila['avance_fisico_acumulado'])}" in ficha
        assert f"ejecución financiera acumulada es {pct(fila['ejecucion_acumulada'])}" in ficha
        assert f"semáforo {fila['semaforo']}" in ficha


def test_acp_sin_narrativa_lo_dice_y_los_logros_sin_acp_van_al_final(tmp_path):
    prep = _prep(tmp_path)  # en el T2 del libro pequeño, ningún registro indica ACP
    for codigo in prep.acp["codigo_acp"]:
        (frase,) = resultados_acp.narrativa_de_acp(prep, codigo)
        assert frase == (f"Ninguna unidad registró logros ni dificultades de la ACP {codigo} "
                         "para el segundo trimestre.")
    final = "\n".join(resultados_acp.narrativa_sin_acp(prep))
    logro = next(f for f in fabrica.NARRATIVA[1:] if f[1] == 2 and f[2] == "logro")
    assert md(logro[3]) in final and "**Área:** Servicio Exterior" in final
    assert "ninguno vinculado a una ACP" in resultados_acp.parrafo_resultados(prep)


def test_resultados_agrupados_por_area_con_el_nombre_de_la_unidad(muestra_t2):
    narr = muestra_t2.narrativa
    nombres = dict(zip(muestra_t2.unidades["codigo_unidad"], muestra_t2.unidades["nombre"]))
    areas = dict(zip(muestra_t2.unidades["codigo_unidad"], muestra_t2.unidades["area"]))
    for codigo in muestra_t2.acp["codigo_acp"]:
        texto = "\n\n".join(resultados_acp.narrativa_de_acp(muestra_t2, codigo))
        for fila in narr[(narr["codigo_acp"] == codigo) & (narr["tipo"] == "logro")].itertuples():
            assert f"- {md(fila.texto)} ({md(nombres[fila.codigo_unidad])})" in texto
            assert f"**Área:** {md(muestra_t2.nombre_area(areas[fila.codigo_unidad]))}" in texto
        assert not any(a in texto for a in muestra_t2.areas["area"] if "_" in a)


# --------------------------------------------------------------------------------------
# Conclusiones


def test_unidades_bajo_los_umbrales_se_cuentan_de_los_datos(muestra_t2):
    prep = muestra_t2
    _, datos = entrada("params/2024-T2.yaml")
    # Rojo: ejecución acumulada (enero-junio) bajo el umbral amarillo del T2, sumando el libro.
    p = datos.presupuesto
    devengado = (p[[f"dev_{m:02d}" for m in range(1, 7)]].sum(axis=1)
                 .groupby(p["codigo_unidad"]).sum())
    vigente = p.groupby("codigo_unidad")["vigente"].sum()
    umbral = prep.metodologia.semaforo_financiero[2][1]
    con_vigente = vigente[vigente > 0].index
    ejecucion = (devengado[con_vigente] / vigente[con_vigente] * 100).round(2)
    rojas = set(ejecucion[ejecucion < umbral].index)
    texto = "\n".join(conclusiones.conclusiones_umbrales(prep))
    nombres = dict(zip(prep.unidades["codigo_unidad"], prep.unidades["nombre"]))
    assert (f"de las {len(con_vigente)} unidades con presupuesto propio, {len(rojas)} lo están"
            in texto)
    for u in rojas:
        assert md(nombres[u]) in texto
    # Grados bajos: avance físico del trimestre menor que el límite del cuarto tramo desde abajo.
    escala = prep.metodologia.escala_calificacion
    limite = escala[-4].desde
    unidad = prep.tablas["unidad"].set_index("codigo_unidad")["avance_fisico_trimestre"]
    bajas = set(unidad[unidad.round(2) < limite].index)
    assert bajas and all(md(nombres[u]) in texto for u in bajas)
    assert f"menos de {pct(limite)}" in conclusiones.criterio_umbrales(prep)
    assert f"menos de {pct(umbral)}" in conclusiones.criterio_umbrales(prep)
    # Cada dificultad de esas unidades se cita en las conclusiones y no en los resultados.
    narr = prep.narrativa
    citadas = narr[(narr["tipo"] == "dificultad") & narr["codigo_unidad"].isin(rojas | bajas)]
    resultados = "\n".join(b for c in prep.acp["codigo_acp"]
                           for b in resultados_acp.narrativa_de_acp(prep, c))
    assert len(citadas)
    for fila in citadas.itertuples():
        assert f"«{md(fila.texto)}»" in texto
        assert md(fila.texto) not in resultados
    sin = len(rojas | bajas) - citadas["codigo_unidad"].nunique()
    assert f"las otras {formatear_entero(sin)} no registraron ninguna" in texto


def test_sin_narrativa_del_trimestre_las_unidades_bajo_los_umbrales_no_se_explican(tmp_path):
    """Con logros o dificultades del trimestre en la hoja narrativa, que una unidad bajo los
    umbrales no registró ninguna se dice (en singular si es una); sin ninguno, la frase no
    va: la introducción ya dice que el informe no los incluye."""
    tablas = _tablas_con_areas()
    con_logros = _prep(tmp_path / "con", tablas, trimestre=1)
    bajo = conclusiones.bajo_umbral(con_logros.tablas["unidad"],
                                    con_logros.metodologia.escala_calificacion)
    # En el T1 del libro pequeño, una sola unidad, que no registró una dificultad del T1.
    narrativa = tablas["narrativa"]
    assert len(bajo) == 1
    assert [f for f in narrativa[1:] if f[1] == 1 and f[2] == "dificultad"
            and f[0] in set(bajo["codigo_unidad"])] == []
    tablas["narrativa"] = [narrativa[0], *[f for f in narrativa[1:] if f[1] != 1]]
    sin_logros = _prep(tmp_path / "sin", tablas, trimestre=1)
    frases = conclusiones.conclusiones_umbrales(con_logros)
    assert frases[-1].startswith("La unidad bajo los umbrales no registró una dificultad para "
                                 "el primer trimestre")
    assert conclusiones.conclusiones_umbrales(sin_logros) == frases[:-1]


def test_umbrales_con_otra_escala_de_los_parametros(tmp_path):
    escala = [{"desde": 90, "grado": "Bien", "calificacion": "A", "desempeno": "x"},
              {"desde": 60, "grado": "Regular", "calificacion": "B", "desempeno": "x"},
              {"desde": 0, "grado": "Mal", "calificacion": "C", "desempeno": "x"}]
    prep = _prep(tmp_path, metodologia={"escala_calificacion": escala})
    criterio = conclusiones.criterio_umbrales(prep)
    # Con tres tramos, los bajos son los dos de abajo: nunca el más alto.
    assert "grados Regular o Mal" in criterio and "menos de 90,00 %" in criterio


def test_comparacion_con_el_trimestre_anterior(muestra_t2):
    anterior = conclusiones.corte_anterior(muestra_t2)
    frases = conclusiones.conclusiones_trimestre_anterior(muestra_t2, anterior)
    t1 = abrir("params/2024-T1.yaml").tablas["acp"].set_index("codigo_acp").loc["TOTAL"]
    assert f"(fue {pct(t1['avance_fisico_trimestre'])} en el primer trimestre)" in frases[0]
    assert f"(fue {pct(t1['ejecucion_trimestre'])} en el primer trimestre)" in frases[0]
    primero = abrir("params/2024-T1.yaml")
    assert conclusiones.corte_anterior(primero) is None
    (frase,) = conclusiones.conclusiones_trimestre_anterior(primero, None)
    assert "no hay un trimestre anterior" in frase


def test_empates_se_cuentan_y_no_se_cortan(tmp_path, monkeypatch):
    prep = _prep(tmp_path)
    actual = prep.tablas["area"].set_index("area")["avance_fisico_acumulado"]
    # Gestión anterior: cada área 5 puntos por debajo de hoy (en lo impreso): empatan.
    tablas = _tablas_con_areas()
    tablas["historico"] = [["gestion", "area", "avance_fisico", "ejecucion"]] + [
        [2023, a, round(actual[a], 2) - 5, 50.0] for a in ("VRE", "SERV_EXTERIOR")]
    prep = _prep(tmp_path / "b", tablas)
    (frase, _) = conclusiones.conclusiones_gestiones_anteriores(prep)
    assert "mayor en las 2 áreas" in frase
    assert ("+5,00 puntos: 2 áreas empatadas (Viceministerio de Relaciones Exteriores y "
            "Servicio Exterior)") in _plano(frase)
    monkeypatch.setattr(analisis, "MAXIMO_NOMBRADAS", 1)
    (frase, _) = conclusiones.conclusiones_gestiones_anteriores(prep)
    assert "+5,00 puntos: 2 áreas empatadas)" in frase


def test_sin_historico_lo_dice(tmp_path):
    tablas = _tablas_con_areas()
    del tablas["historico"]
    prep = _prep(tmp_path, tablas)
    (frase,) = conclusiones.conclusiones_gestiones_anteriores(prep)
    assert "no trae gestiones anteriores" in frase


# --------------------------------------------------------------------------------------
# Recomendaciones


def test_recomendaciones_de_planificacion_primero_y_sin_repetir(tmp_path):
    tablas = _tablas_con_areas()
    tablas["narrativa"].append(["DGRM", 2, "recomendacion", REC_PLANIFICACION, None])
    prep = _prep(tmp_path, tablas, presentacion={"unidad_planificacion": "DGRM",
                                                 "recomendaciones": REC_PARAMETROS})
    propias = recomendaciones.recomendaciones_planificacion(prep)
    # Cada una con su código, en el orden en que se imprimen (R-2024-T2-01...).
    assert propias == [f"**{md(codigo_de('2024-T2', i))}** {md(r)}"
                       for i, r in enumerate([*REC_PARAMETROS, REC_PLANIFICACION], start=1)]
    de_unidades = "\n".join(recomendaciones.recomendaciones_unidades(prep))
    assert md(REC_PLANIFICACION) not in de_unidades
    otra = next(f for f in fabrica.NARRATIVA[1:] if f[1] == 2 and f[2] == "recomendacion")
    assert md(otra[3]) in de_unidades
    assert recomendaciones.parrafo_recomendaciones(prep).startswith(
        f"Se recogen {len(REC_PARAMETROS) + 2} recomendaciones para el segundo trimestre: "
        f"{len(REC_PARAMETROS) + 1} de la unidad de planificación y 1 de 1 unidad")
    assert "Dirección General de Régimen Migratorio" in recomendaciones.titulo_planificacion(prep)


# --------------------------------------------------------------------------------------
# Los cuadernos y el informe ensamblado


def _ejecutar_cuadernos(params: Path, carpeta: Path) -> dict[str, list[str]]:
    """Ejecuta los cuadernos narrativos sobre `params`; devuelve, por cuaderno, el Markdown
    de cada salida, en orden."""
    salidas = {}
    for archivo in CUADERNOS_NARRATIVOS:
        destino = carpeta / Path(archivo).name
        pm.execute_notebook(str(CUADERNOS / archivo), str(destino),
                            parameters={"params": str(params)},
                            kernel_name="python3", progress_bar=False, cwd=str(CUADERNOS))
        nb = nbformat.read(destino, as_version=4)
        salidas[archivo] = ["".join(o["data"]["text/markdown"])
                            for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                            if "text/markdown" in o.get("data", {})]
    return salidas


def _nivel(bloque: str) -> int:
    """El nivel del título con que empieza `bloque` (0 si no empieza con un título)."""
    marca = re.match(r"(#+) ", bloque)
    return len(marca[1]) if marca else 0


@pytest.mark.lento
def test_cuadernos_sin_parametros_opcionales_no_dejan_titulos_vacios(tmp_path):
    libro = fabrica.escribir_libro(tmp_path / "datos" / fabrica.NOMBRE_LIBRO, _tablas_con_areas())
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro)
    salidas = _ejecutar_cuadernos(params, tmp_path)
    todo = "\n\n".join(b for bloques in salidas.values() for b in bloques)
    for ausente in ("Marco normativo", "Misión", "Visión", "De la unidad de planificación"):
        assert ausente not in todo
    # Un título solo en su salida va seguido de contenido, no de otro título de su nivel.
    for archivo, bloques in salidas.items():
        for i, bloque in enumerate(bloques):
            nivel = _nivel(bloque)
            if nivel and "\n" not in bloque.strip():
                siguiente = bloques[i + 1] if i + 1 < len(bloques) else ""
                assert siguiente and not 0 < _nivel(siguiente) <= nivel, (archivo, bloque)
    assert any("De las unidades organizacionales" in b
               for b in salidas["trimestral/09_recomendaciones.ipynb"])


@pytest.fixture(scope="module")
def informe_narrativo(tmp_path_factory):
    """Una corrida completa del ejecutor sobre el libro pequeño con todas las claves de
    `presentacion` y una recomendación de la unidad de planificación en la hoja narrativa."""
    base = tmp_path_factory.mktemp("narrativa")
    tablas = _tablas_con_areas()
    tablas["narrativa"].append(["DGRM", 2, "recomendacion", REC_PLANIFICACION, None])
    tablas["narrativa"].append(["DGRB", 2, "dificultad", "Demoras en la firma de convenios.", 2])
    libro = fabrica.escribir_libro(base / "datos" / fabrica.NOMBRE_LIBRO, tablas)
    params = fabrica.escribir_params(
        base / "params" / "narrativa-T2.yaml", libro, salida=str(base / "salida"),
        presentacion={"mision": "Misión de prueba.", "vision": "Visión de prueba.",
                      "marco_normativo": NORMAS, "unidad_planificacion": "DGRM",
                      "recomendaciones": REC_PARAMETROS})
    resultado = ejecutar(params)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", tablas


def test_cada_texto_narrativo_se_imprime_una_sola_vez(informe_narrativo):
    salida, tablas = informe_narrativo
    html = (salida / "informe.html").read_text(encoding="utf-8")
    texto = _texto(html)
    del_trimestre = [f[3] for f in tablas["narrativa"][1:] if f[1] == 2]
    for frase in [*REC_PARAMETROS, *del_trimestre]:
        assert texto.count(" ".join(frase.split())) == 1, frase
    # Las recomendaciones, en su sección: la de planificación antes que las de las unidades.
    recomendaciones = texto[texto.index("Se recogen"):]
    assert (recomendaciones.index(REC_PARAMETROS[0]) < recomendaciones.index(REC_PLANIFICACION)
            < recomendaciones.index("De las unidades organizacionales"))


def test_informe_con_las_secciones_nuevas_en_orden(informe_narrativo):
    salida, _ = informe_narrativo
    sopa = BeautifulSoup((salida / "informe.html").read_text(encoding="utf-8"), "html.parser")
    titulos = [h.get_text().replace("¶", "").strip() for h in sopa.select("section h1, section h2")]
    orden = ["Portada y resumen ejecutivo", "Introducción", "Marco normativo", "Marco estratégico",
             "Marco metodológico", "Resultados por acción de corto plazo", "Conclusiones",
             "Recomendaciones", "Anexo: detalle por operación"]
    assert [t for t in titulos if t in orden] == orden
    introduccion = " ".join(
        sopa.find(attrs={"data-cuaderno": "01_introduccion"}).get_text().split())
    for norma in NORMAS:
        assert norma in introduccion
    assert "Misión. Misión de prueba." in introduccion
    assert "SERV_EXTERIOR" not in introduccion
