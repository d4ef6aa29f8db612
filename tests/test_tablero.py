"""El tablero de un informe (helpers.redaccion.tablero) y su explorador en HTML
(helpers.salida.explorador): sus cifras son las de `tablas/*.csv` del informe, leídas aquí
con pandas como oráculo; lo programado y lo ejecutado por mes, las del libro guardado en
`entrada/`; el árbol va de la entidad a la operación; el texto de los datos no cierra el
elemento del JSON; la política de contenido de informe.html nombra sus guiones por su huella.
"""
from __future__ import annotations

import base64
import hashlib
import json
import math
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.comun.numeros import redondear
from helpers.preparacion import abrir
from helpers.redaccion.tablero import ANCLAS, POSICIONES, modelo
from helpers.salida.explorador import CAMPOS, fragmento, guiones, politica_de_contenido

pytestmark = pytest.mark.lento

PERIODOS = {"2024-T2.yaml": {"acumulado": ("acumulado", "acumulada"), "trimestre": ("trimestre",)},
            "2024-anual.yaml": {"anual": ("anual",)}}


def _csv(carpeta, nombre) -> pd.DataFrame:
    return pd.read_csv(carpeta / "tablas" / f"{nombre}.csv", dtype=str, keep_default_na=False)


def _valor(texto: str) -> float | None:
    return None if texto == "" else redondear(float(texto), 2)


def _columna(tabla: pd.DataFrame, base: str, finales) -> str | None:
    return next((f"{base}_{f}" for f in finales if f"{base}_{f}" in tabla.columns), None)


@pytest.fixture(scope="module", params=list(PERIODOS))
def informe(request, informes_muestra):
    carpeta = informes_muestra[request.param]
    return request.param, carpeta, modelo(abrir(informe=carpeta))


def _comprobar_cifras(fila_modelo: dict, fila_csv: pd.Series, tabla: pd.DataFrame, periodos,
                      bases) -> None:
    for periodo, finales in periodos.items():
        for indicador, base in bases:
            columna = _columna(tabla, base, finales)
            if columna is None:
                continue
            esperado = (fila_csv[columna] if indicador == "calificacion"
                        else _valor(fila_csv[columna]))
            obtenido = fila_modelo["cifras"][periodo].get(indicador)
            assert obtenido == esperado, (fila_modelo["id"], periodo, indicador)


def test_las_cifras_son_las_de_las_tablas(informe):
    params, carpeta, m = informe
    periodos = PERIODOS[params]
    assert [p["clave"] for p in m["periodos"]] == list(periodos)
    por_id = {f["id"]: f for f in m["filas"]}
    indicadores = [("avance_fisico", "avance_fisico"), ("eficacia", "eficacia"),
                   ("ejecucion", "ejecucion"), ("calificacion", "calificacion"),
                   ("devengado", "devengado")]
    area = _csv(carpeta, "area")
    for _, fila in area.iterrows():
        ident = {"entidad": "e", "servicio": f"g:{fila['area']}"}.get(fila["nivel"],
                                                                     f"a:{fila['area']}")
        _comprobar_cifras(por_id[ident], fila, area, periodos, indicadores)
        assert por_id[ident]["semaforo"] == fila["semaforo"]
    unidad = _csv(carpeta, "unidad")
    for _, fila in unidad.iterrows():
        suya = por_id[f"u:{fila['codigo_unidad']}"]
        _comprobar_cifras(suya, fila, unidad, periodos, indicadores)
        assert suya["padre"] == f"a:{fila['area']}" and suya["nombre"] == fila["nombre"]
    operacion = _csv(carpeta, "operacion")
    for _, fila in operacion.iterrows():
        suya = por_id[f"o:{fila['codigo_operacion']}"]
        _comprobar_cifras(suya, fila, operacion, periodos,
                          [("programado", "prog"), ("ejecutado", "ejec"),
                           ("cumplimiento", "cumplimiento")])
        assert suya["padre"] == f"u:{fila['codigo_unidad']}"
    assert m["cifras"] == por_id["e"]["cifras"]
    niveles = pd.Series([f["nivel"] for f in m["filas"]]).value_counts()
    assert niveles["unidad"] == len(unidad) and niveles["operacion"] == len(operacion)
    assert niveles["area"] + niveles.get("servicio", 0) + 1 == len(area)


def test_el_arbol_va_de_la_entidad_a_la_operacion(informe):
    _params, _carpeta, m = informe
    por_id = {f["id"]: f for f in m["filas"]}
    for fila in m["filas"]:
        if fila["id"] == "e":
            assert fila["padre"] is None
            continue
        cadena, actual = [], fila
        while actual["padre"] is not None:
            actual = por_id[actual["padre"]]
            cadena.append(actual["nivel"])
        assert cadena[-1] == "entidad", fila["id"]


def test_lo_programado_y_ejecutado_por_mes_es_el_del_libro(informe):
    _params, carpeta, m = informe
    operaciones = pd.read_parquet(carpeta / "entrada" / "datos" / "operaciones.parquet")
    meses = len(m["nombres_meses"])
    assert meses == pd.Timestamp(abrir(informe=carpeta).parametros.fecha_corte).month
    for _, fila in operaciones.iterrows():
        detalle = m["detalle"][fila["codigo_operacion"]]
        for mes in range(1, meses + 1):
            for clave, prefijo in (("programado", "prog"), ("ejecutado", "ejec")):
                valor = fila[f"{prefijo}_{mes:02d}"]
                esperado = None if pd.isna(valor) else redondear(float(valor), 2)
                assert detalle[clave][mes - 1] == esperado


def test_las_unidades_sin_reporte_y_las_posiciones(informe):
    params, carpeta, m = informe
    operacion = _csv(carpeta, "operacion")
    con_meses = set(operacion.loc[operacion["meses_sin_reporte"] != "", "codigo_unidad"])
    sin_formulario = set()
    if (carpeta / "tablas" / "remision.csv").is_file():
        remision = _csv(carpeta, "remision")
        sin_formulario = set(remision.loc[remision["cuenta"].isin(["False", "false", "0"]),
                                          "codigo_unidad"])
    assert {u["codigo"] for u in m["sin_reporte"]} == con_meses | sin_formulario
    unidad = _csv(carpeta, "unidad")
    por_id = {f["id"]: f for f in m["filas"]}
    for periodo, finales in PERIODOS[params].items():
        for indicador in ("eficacia", "ejecucion"):
            valores = unidad.set_index("codigo_unidad")[_columna(unidad, indicador, finales)]
            valores = valores[valores != ""].map(_valor)
            lista = m["posiciones"][periodo][indicador]
            assert len(lista["mejores"]) == len(lista["peores"]) == min(POSICIONES,
                                                                        len(valores))
            mejores = [por_id[i]["cifras"][periodo][indicador] for i in lista["mejores"]]
            peores = [por_id[i]["cifras"][periodo][indicador] for i in lista["peores"]]
            assert mejores == sorted(valores, reverse=True)[:len(mejores)]
            assert peores == sorted(valores)[:len(peores)]


def test_sin_departamentos_no_hay_mapa(informe):
    _params, _carpeta, m = informe
    assert m["mapa"] is None and m["departamentos"] == []
    assert not [f for f in m["filas"] if f.get("departamento")]


def test_las_anclas_existen_en_la_memoria_de_calculo(informe):
    _params, carpeta, m = informe
    auditoria = BeautifulSoup((carpeta / "informe-auditoria.html").read_text(encoding="utf-8"),
                              "html.parser")
    for nivel in {f["nivel"] for f in m["filas"]} | {"acp"}:
        assert auditoria.find(id=ANCLAS[nivel][0]) is not None, nivel


def test_cada_alerta_del_informe_va_a_una_fila(informe):
    _params, carpeta, m = informe
    alertas = _csv(carpeta, "alertas")
    esperadas = int((alertas["clase"] == "alerta").sum())
    en_filas = sum(len(f.get("alertas", [])) for f in m["filas"] + m["acps"])
    assert en_filas == esperadas


def test_el_cambio_respecto_del_informe_anterior(informes_muestra):
    """Con la copia del informe anterior, el cambio de cada cifra; un anterior de otro tipo
    (sin esos periodos) no se compara."""
    trimestral = informes_muestra["2024-T2.yaml"]
    prep = abrir(informe=trimestral)
    mismo = modelo(prep, trimestral)
    assert mismo["anterior"] == {p: {k: v for k, v in c.items()}
                                 for p, c in mismo["cifras"].items()}
    assert modelo(prep, informes_muestra["2024-anual.yaml"])["anterior"] is None


def test_sin_grupos_las_areas_cuelgan_de_la_entidad(informes_muestra):
    from dataclasses import replace

    prep = abrir(informe=informes_muestra["2024-T2.yaml"])
    area = prep.tablas["area"]
    sin_grupos = replace(prep, tablas={**prep.tablas,
                                       "area": area[area["nivel"] != "servicio"]})
    m = modelo(sin_grupos)
    assert {f["padre"] for f in m["filas"] if f["nivel"] == "area"} == {"e"}
    assert not [f for f in m["filas"] if f["nivel"] == "servicio"]


def test_solo_las_unidades_cuyo_formulario_no_cuenta(informes_muestra):
    from dataclasses import replace

    prep = abrir(informe=informes_muestra["2024-T2.yaml"])
    unidades = list(prep.tablas["unidad"]["codigo_unidad"][:3])
    remision = pd.DataFrame({"codigo_unidad": unidades, "unidad": unidades,
                             "situacion": ["en plazo", "sin formulario", "rechazado"],
                             "cuenta": [True, False, False]})
    m = modelo(replace(prep, tablas={**prep.tablas, "remision": remision}))
    motivos = {u["codigo"]: u["motivos"] for u in m["sin_reporte"]}
    assert unidades[0] not in motivos
    assert "formulario: sin formulario" in motivos[unidades[1]]
    assert "formulario: rechazado" in motivos[unidades[2]]


def test_el_informe_lleva_el_explorador_con_su_politica(informe):
    _params, carpeta, m = informe
    texto = (carpeta / "informe.html").read_text(encoding="utf-8")
    sopa = BeautifulSoup(texto, "html.parser")
    seccion = sopa.find("section", id="explorador")
    assert seccion is not None and seccion.has_attr("hidden")
    datos = sopa.find("script", id="explorador-datos")
    assert json.loads(datos.string)["cifras"] == m["cifras"]
    ejecutables = [s for s in sopa.find_all("script") if s.get("type") != "application/json"]
    assert [s.string for s in ejecutables] == list(guiones())
    politica = sopa.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    for guion in guiones():
        huella = base64.b64encode(hashlib.sha256(guion.encode()).digest()).decode()
        assert f"'sha256-{huella}'" in politica
    assert "connect-src 'none'" in politica and "default-src 'none'" in politica
    assert "http://" not in datos.string and "https://" not in datos.string


def test_los_textos_de_los_datos_no_cierran_el_json():
    hostil = '</script><script>alert(1)</script><!-- & \u2028'
    m = {"titulo": hostil, "periodo": hostil, "agrupacion": hostil, "entidad": hostil,
         "periodos": [{"clave": "anual", "titulo": hostil}], "acps": [],
         "filas": [{"id": "e", "nivel": "entidad", "codigo": hostil, "nombre": hostil,
                    "cifras": {"anual": {"avance_fisico": math.pi}}}]}
    html = fragmento(m)
    datos = re.search(r'<script type="application/json" id="explorador-datos">(.*?)</script>',
                      html, re.S).group(1)
    assert "<" not in datos and ">" not in datos and "&" not in datos
    fila = json.loads(datos)["filas"][0]
    assert fila[CAMPOS.index("nombre")] == hostil and fila[-1] == [[math.pi]]
    sopa = BeautifulSoup(html, "html.parser")
    assert len(sopa.find_all("script")) == 3
    assert hostil in sopa.find("h2").get_text()


def test_la_politica_no_deja_pedir_nada_afuera():
    politica = politica_de_contenido()
    assert "unsafe-eval" not in politica and "http" not in politica
    assert "script-src 'sha256-" in politica


def test_el_paso_tablero_y_la_pagina_del_tablero(tmp_path, informes_muestra):
    """El paso lista los informes que tienen tablero (no la formulación) y muestra el del
    elegido; la página del tablero sólo sale para un informe de la carpeta de trabajo."""
    import shutil

    from helpers.pagina import tablero
    from helpers.pagina.espacio import Espacio
    from helpers.pagina.paso_tablero import PasoTablero
    from helpers.pagina.piezas import Sesion

    salida = tmp_path / "entidad" / "output"
    for params in ("2024-T2.yaml", "2024-formulacion.yaml"):
        origen = informes_muestra[params]
        shutil.copytree(origen, salida / origen.name)
    trimestral = f"entidad/output/{informes_muestra['2024-T2.yaml'].name}"
    espacio = Espacio.en(tmp_path)
    paso = PasoTablero(Sesion(espacio))
    assert [valor for _texto, valor in paso.elegido.options] == [trimestral]
    assert f'src="{tablero.enlace(trimestral)}"' in paso.marco.value
    pagina = tablero.pagina(espacio, trimestral)
    sopa = BeautifulSoup(pagina, "html.parser")
    assert sopa.find("section", id="explorador") is not None
    politica = sopa.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert politica == politica_de_contenido()
    formulacion = f"entidad/output/{informes_muestra['2024-formulacion.yaml'].name}"
    for otra in (formulacion, "entidad", "../..", "/etc"):
        assert tablero.pagina(espacio, otra) is None, otra
    # Un enlace dentro de la carpeta del informe (su libro guardado, hacia otro lugar de la
    # máquina): el tablero no se arma, no se lee nada fuera de la carpeta de trabajo.
    libro = salida / informes_muestra["2024-T2.yaml"].name / "entrada" / "datos"
    afuera = tmp_path.parent / f"{tmp_path.name}-afuera.parquet"
    shutil.copy(libro / "operaciones.parquet", afuera)
    (libro / "operaciones.parquet").unlink()
    (libro / "operaciones.parquet").symlink_to(afuera)
    assert tablero.pagina(espacio, trimestral) is None
