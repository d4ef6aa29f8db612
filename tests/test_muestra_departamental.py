"""La muestra departamental, data/departamental/poa_2024.xlsx: una entidad ficticia de otra
forma que la primera muestra (una oficina nacional y nueve direcciones departamentales).

Sale byte a byte de su script, cumple el contrato de datos y es lo que describe su catálogo
(data/muestra-departamental/: las cuentas se leen de ahí, no se escriben aquí); sus cifras,
calculadas aquí a mano desde las celdas del libro, son las de las tablas del informe en cada
trimestre y en cada nivel (unidad, área, nivel de agrupación, entidad); y sus informes
(lento) hablan de sus niveles y sus áreas, y nunca de la primera muestra.
"""

from __future__ import annotations

import csv
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict
from html import unescape
from pathlib import Path

import pytest
import texto_pdf
import yaml
from test_muestra import avance, registros, sale_del_script, valores

from helpers.entrada.contrato import COLUMNAS_CONTRATO, DEPARTAMENTOS, HOJAS_DEL_LIBRO_RECOGIDO

RAIZ = Path(__file__).resolve().parents[1]
LIBRO = RAIZ / "data" / "departamental" / "poa_2024.xlsx"
SCRIPT = RAIZ / "scripts" / "generar_muestra_departamental.py"
CATALOGO = RAIZ / "data" / "muestra-departamental"
PARAMS = RAIZ / "params" / "departamental"
# Los parámetros de la primera muestra: sus textos no deben aparecer en los informes de esta.
PARAMS_PRIMERA = RAIZ / "params"

MESES = range(1, 13)
TRIMESTRES = (1, 2, 3, 4)


def leer_csv(nombre: str) -> list[dict]:
    with open(CATALOGO / nombre, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def leer_yaml(ruta: Path):
    return yaml.safe_load(ruta.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def libro() -> dict[str, list[dict]]:
    return {nombre: registros(hoja) for nombre, hoja in valores(LIBRO).items()}


@pytest.fixture(scope="module")
def entidad() -> dict:
    return leer_yaml(CATALOGO / "entidad.yaml")


# ------------------------------------------------------------------------------------------
# El libro sale del script y cumple el contrato
# ------------------------------------------------------------------------------------------
def test_el_libro_sale_del_script(tmp_path):
    """El libro guardado es, byte a byte, el que escribe hoy el generador con su catálogo:
    cambiar el catálogo o el generador sin regenerar la muestra falla aquí."""
    sale_del_script(SCRIPT, LIBRO, tmp_path / "poa_2024.xlsx")


def test_hojas_y_columnas_del_contrato():
    hojas = valores(LIBRO)
    del_poa = {hoja: columnas for hoja, columnas in COLUMNAS_CONTRATO.items()
               if hoja not in HOJAS_DEL_LIBRO_RECOGIDO}
    assert list(hojas) == list(del_poa)
    for nombre, columnas in del_poa.items():
        assert list(hojas[nombre][0]) == columnas, nombre
        assert len(hojas[nombre]) > 1, f"la hoja {nombre} no tiene filas"


# ------------------------------------------------------------------------------------------
# El libro es lo que describe su catálogo
# ------------------------------------------------------------------------------------------
def test_unidades_areas_y_niveles(libro):
    catalogo = leer_csv("unidades.csv")
    unidades = libro["unidades"]
    assert [(u["codigo_unidad"], u["area"], u["servicio"], u["tipo"]) for u in unidades] == [
        (u["codigo_unidad"], u["area"], u["servicio"], u["tipo"]) for u in catalogo
    ]
    assert len({u["codigo_unidad"] for u in unidades}) == len(unidades)
    areas = leer_csv("areas.csv")
    assert [(a["area"], a["nombre"], a["sigla"], a["departamento"] or "")
            for a in libro["areas"]] == [
        (a["area"], a["nombre"], a["sigla"], a["departamento"]) for a in areas
    ]
    # Las unidades no escriben su departamento: están en el de su área.
    assert not any(u["departamento"] for u in unidades)
    # Cada área está en un solo nivel; las departamentales, una por departamento.
    nivel_de = defaultdict(set)
    for u in unidades:
        nivel_de[u["area"]].add(u["servicio"])
    assert all(len(niveles) == 1 for niveles in nivel_de.values())
    assert set(nivel_de) == {a["area"] for a in areas}
    # Las direcciones departamentales son las áreas con departamento: una en cada uno, y
    # todas del mismo nivel.
    departamento_de = {a["area"]: a["departamento"] for a in areas if a["departamento"]}
    assert sorted(departamento_de.values()) == sorted(DEPARTAMENTOS)
    assert len({n for a in departamento_de for n in nivel_de[a]}) == 1
    assert len({n for niveles in nivel_de.values() for n in niveles}) == 2
    tipos = {u["tipo"] for u in unidades}
    assert not tipos & {"Embajada", "Consulado", "Consulado General", "Viceconsulado"}


def test_operaciones_del_catalogo(libro):
    """Las de cada unidad de la oficina nacional (operaciones.csv) y, de cada unidad
    departamental, todas las plantillas de su tipo, con su ACP; sus códigos, en orden."""
    propias = Counter(f["codigo_unidad"] for f in leer_csv("operaciones.csv"))
    plantillas = defaultdict(list)
    for f in leer_csv("operaciones_departamentales.csv"):
        plantillas[f["tipo"]].append(f["codigo_acp"])
    acp_de = {}
    for u in leer_csv("unidades.csv"):
        codigo = u["codigo_unidad"]
        acps = [u["acp"]] * propias[codigo] if codigo in propias else plantillas[u["tipo"]]
        acp_de.update({f"OP-{codigo}-{n:02d}": acp for n, acp in enumerate(acps, start=1)})
    ops = libro["operaciones"]
    assert [o["codigo_operacion"] for o in ops] == list(acp_de)
    assert all(o["codigo_acp"] == acp_de[o["codigo_operacion"]] for o in ops)
    assert {o["codigo_acp"] for o in ops} == {a["codigo_acp"] for a in libro["acp"]}
    assert all(isinstance(o["tareas"], int) and o["tareas"] >= 1 for o in ops)
    assert all(isinstance(o[f"prog_{m:02d}"], int) and o[f"prog_{m:02d}"] >= 0
               for o in ops for m in MESES)
    assert all(o["medio_verificacion"] for o in ops)


def test_hojas_copiadas_del_catalogo(libro):
    for hoja in ("acp", "articulacion", "narrativa", "historico"):
        filas = leer_csv(f"{hoja}.csv")
        assert len(libro[hoja]) == len(filas), hoja
        for escrita, del_catalogo in zip(libro[hoja], filas):
            assert {k: str(v) if v is not None else "" for k, v in escrita.items()} == {
                k: str(float(v)) if k in ("avance_fisico", "ejecucion") else v
                for k, v in del_catalogo.items()
            }, hoja
    assert {n["trimestre"] for n in libro["narrativa"]} == set(TRIMESTRES)
    assert {n["tipo"] for n in libro["narrativa"]} == {"logro", "dificultad", "recomendacion"}


def test_casos_especiales(libro, entidad):
    ops = libro["operaciones"]
    casos = entidad["casos_especiales"]
    no_aplica = [o for o in ops if o["no_aplica"]]
    assert len(no_aplica) == len(casos["no_aplica"])
    assert all(sum(o[f"prog_{m:02d}"] for m in MESES) > 0 for o in no_aplica)
    en_blanco = [(o, m) for o in ops for m in MESES if o[f"ejec_{m:02d}"] is None]
    assert len(en_blanco) == len(casos["sin_reporte"])
    assert all(o[f"prog_{m:02d}"] > 0 for o, m in en_blanco)
    sin_programacion = [(o, m) for o in ops for m in MESES
                        if o[f"prog_{m:02d}"] == 0 and (o[f"ejec_{m:02d}"] or 0) > 0]
    assert len(sin_programacion) == len(casos["sin_programacion"])
    # Alguna operación logra más de lo programado en el año.
    assert any(sum(o[f"ejec_{m:02d}"] or 0 for m in MESES) > sum(o[f"prog_{m:02d}"] for m in MESES)
               for o in ops)


def test_las_reformulaciones_son_las_del_catalogo_y_coherentes(libro):
    """Cada reformulación del catálogo, con sus cambios; las altas sin nada hasta su mes, las
    bajas sin nada desde su mes, cada reprogramación con el valor de hoy en `nuevo` y el total
    del año conservado, y el cambio de tareas con las tareas de hoy."""
    catalogo = leer_yaml(CATALOGO / "reformulaciones.yaml")
    ref = libro["reformulaciones"]
    assert sorted({(r["numero"], r["resolucion"], r["fecha"].date()) for r in ref}) == [
        (c["numero"], c["resolucion"], c["fecha"]) for c in catalogo
    ]
    esperadas = Counter()
    for c in catalogo:
        esperadas.update({(c["numero"], "alta"): len(c["altas"]),
                          (c["numero"], "baja"): len(c["bajas"]),
                          (c["numero"], "programacion"): 2 * len(c["reprogramaciones"]),
                          (c["numero"], "tareas"): len(c["tareas"])})
    assert Counter((r["numero"], r["cambio"]) for r in ref) == +esperadas
    ops = {o["codigo_operacion"]: o for o in libro["operaciones"]}
    reprogramadas = defaultdict(list)
    for r in ref:
        o, mes = ops[r["codigo_operacion"]], r["fecha"].month
        metas = [o[f"prog_{m:02d}"] + (o[f"ejec_{m:02d}"] or 0) for m in MESES]
        if r["cambio"] == "alta":
            assert sum(metas[:mes]) == 0 < sum(metas[mes:]), r
        elif r["cambio"] == "baja":
            assert sum(metas[mes - 1:]) == 0 < sum(metas[:mes - 1]), r
        elif r["cambio"] == "tareas":
            assert r["nuevo"] == o["tareas"] != r["anterior"], r
        else:
            assert r["nuevo"] == o[f"prog_{r['mes']:02d}"] and r["anterior"] != r["nuevo"], r
            reprogramadas[r["codigo_operacion"]].append(r)
    for codigo, filas in reprogramadas.items():
        assert sum(r["anterior"] for r in filas) == sum(r["nuevo"] for r in filas), codigo


def test_presupuesto_del_catalogo(libro, entidad):
    """Cada línea del catálogo, con su inicial; su vigente, el inicial más sus
    modificaciones, escritas en el mes de cada una; las dos fuentes; una reversión."""
    lineas = libro["presupuesto"]
    catalogo = leer_csv("presupuesto.csv")
    assert [(x["categoria_programatica"], x["fuente"], x["codigo_unidad"], x["codigo_acp"])
            for x in lineas] == [(f["categoria_programatica"], f["fuente"], f["codigo_unidad"],
                                  f["codigo_acp"]) for f in catalogo]
    modificaciones = defaultdict(list)
    for m in entidad["presupuesto"]["modificaciones"]:
        modificaciones[(m["categoria"], m["fuente"])].append(m)
    for linea, fila in zip(lineas, catalogo):
        assert linea["inicial"] == float(fila["inicial"])
        propias = modificaciones[(linea["categoria_programatica"], linea["fuente"])]
        modificado = linea["inicial"] + sum(m["monto"] for m in propias)
        assert linea["vigente"] == pytest.approx(modificado)
        escritos = [m for m in MESES if linea[f"vig_{m:02d}"] is not None]
        assert escritos == sorted(m["mes"] for m in propias)
    assert len({x["fuente"] for x in lineas}) == 2
    negativos = [(x, m) for x in lineas for m in MESES if x[f"dev_{m:02d}"] < 0]
    assert len(negativos) == 1


def test_ingresos_y_estadisticas_del_catalogo(libro, entidad):
    ingresos = leer_csv("ingresos.csv")
    assert [(i["rubro"], i["fuente"], i["vigente"]) for i in libro["ingresos"]] == [
        (f["rubro"], f["fuente"], float(f["vigente"])) for f in ingresos
    ]
    devueltos = [i for i in libro["ingresos"] for m in MESES if i[f"rec_{m:02d}"] < 0]
    assert [i["rubro"] for i in devueltos] == [entidad["devolucion"]["rubro"]]
    # Cada unidad departamental, cada servicio, los doce meses, desagregados por departamento.
    # El nombre del departamento del área de cada unidad departamental.
    del_area = {a["area"]: a["departamento"] for a in leer_csv("areas.csv")}
    departamento = {u["codigo_unidad"]: DEPARTAMENTOS[del_area[u["area"]]]
                    for u in leer_csv("unidades.csv") if del_area[u["area"]]}
    servicios = [s["indicador"] for s in leer_csv("servicios.csv")]
    est = libro["estadisticas"]
    assert sorted((e["codigo_unidad"], e["indicador"], e["mes"]) for e in est) == sorted(
        (u, s, m) for u in departamento for s in servicios for m in MESES
    )
    assert all(e["desagregacion"] == departamento[e["codigo_unidad"]] and e["valor"] >= 0
               for e in est)


@pytest.fixture(scope="module")
def generador():
    """El paquete del generador (scripts/muestra_departamental/)."""
    sys.path.insert(0, str(RAIZ / "scripts"))
    from muestra_departamental import libro, verificacion

    return libro, verificacion


@pytest.mark.parametrize("estropear", [
    "alta con meta antes de su reformulación",
    "baja con meta después de su reformulación",
    "otro mes sin reporte",
    "presupuesto devengado de más",
])
def test_la_verificacion_del_generador_rechaza_un_libro_incoherente(generador, estropear):
    """Las reglas con que el generador se detiene antes de escribir el libro fallan cuando
    deben: cada caso estropea una cosa de las tablas que acaba de construir."""
    libro_, verificacion = generador
    tablas = libro_.construir_tablas()
    verificacion.verificar_todo(tablas)
    ops = {o["codigo_operacion"]: o for o in tablas["operaciones"]}
    cambio = {r["cambio"]: r["codigo_operacion"] for r in tablas["reformulaciones"]}
    if estropear.startswith("alta"):
        ops[cambio["alta"]]["prog_01"] = 1
    elif estropear.startswith("baja"):
        ops[cambio["baja"]]["prog_12"] = 1
    elif estropear.startswith("otro mes"):
        o = next(o for o in tablas["operaciones"] if o["prog_06"] > 0 and not o["no_aplica"])
        o["ejec_06"] = None
    else:
        tablas["presupuesto"][0]["dev_03"] += tablas["presupuesto"][0]["vigente"]
    with pytest.raises(AssertionError):
        verificacion.verificar_todo(tablas)


# ------------------------------------------------------------------------------------------
# El oráculo: las cifras de las tablas, calculadas aquí a mano desde las celdas del libro
# ------------------------------------------------------------------------------------------
def en_vigor(libro: dict, mes: int) -> tuple[list[dict], list[dict]]:
    """Las operaciones y las líneas del POA que rige al cierre de `mes` (docs/
    versiones-del-poa.md): sin las altas posteriores ni las bajas hasta ese mes, los valores
    cambiados después con el `anterior` de su primer cambio, y cada línea con el vigente de
    ese mes (el último vig_ escrito hasta entonces, el inicial antes; sin ninguno, su
    vigente)."""
    ref = sorted(libro["reformulaciones"], key=lambda r: (r["fecha"], r["numero"]))
    fuera, antes = set(), {}
    for r in ref:
        rige = r["fecha"].month <= mes
        if (r["cambio"] == "alta" and not rige) or (r["cambio"] == "baja" and rige):
            fuera.add(r["codigo_operacion"])
        elif r["cambio"] in ("programacion", "tareas") and not rige:
            campo = "tareas" if r["cambio"] == "tareas" else f"prog_{int(r['mes']):02d}"
            antes.setdefault((r["codigo_operacion"], campo), r["anterior"])
    ops = [dict(o) for o in libro["operaciones"] if o["codigo_operacion"] not in fuera]
    for o in ops:
        for (codigo, campo), valor in antes.items():
            if codigo == o["codigo_operacion"]:
                o[campo] = int(valor)
    lineas = []
    for x in libro["presupuesto"]:
        historia = [x[f"vig_{m:02d}"] for m in MESES]
        hasta = [x["inicial"]] + [v for v in historia[:mes] if v is not None]
        sin_historia = all(v is None for v in historia)
        lineas.append({**x, "vigente": x["vigente"] if sin_historia else hasta[-1]})
    return ops, lineas


def promedio(valores_: list) -> float | None:
    presentes = [v for v in valores_ if v is not None]
    return sum(presentes) / len(presentes) if presentes else None


def niveles_a_mano(libro: dict, trimestre: int, meses: list[int]) -> dict[str, dict]:
    """Avance físico (metodología §2) y ejecución (Σ devengado / Σ vigente al corte) en
    `meses` de cada unidad, área, nivel y de la entidad, con el POA en vigor al corte del
    trimestre. Área: promedio de sus unidades; nivel: de sus áreas; entidad: de sus niveles."""
    ops, lineas = en_vigor(libro, 3 * trimestre)
    por_unidad = avance(ops, tuple(meses))
    area = {u["codigo_unidad"]: u["area"] for u in libro["unidades"]}
    nivel = {u["area"]: u["servicio"] for u in libro["unidades"]}
    claves = {
        "unidad": lambda u: u,
        "area": lambda u: area[u],
        "nivel": lambda u: nivel[area[u]],
        "entidad": lambda u: "TOTAL",
    }
    resultado: dict[str, dict] = {}
    for nombre, clave in claves.items():
        vigente, devengado = defaultdict(float), defaultdict(float)
        for x in lineas:
            vigente[clave(x["codigo_unidad"])] += x["vigente"]
            devengado[clave(x["codigo_unidad"])] += sum(x[f"dev_{m:02d}"] for m in meses)
        grupos = sorted({clave(u) for u in area})
        resultado[nombre] = {
            g: {"ejecucion": 100 * devengado[g] / vigente[g] if vigente[g] else None}
            for g in grupos
        }
    for u in area:
        resultado["unidad"][u]["avance"] = por_unidad.get(u)
    for superior, inferior, de in (("area", "unidad", area), ("nivel", "area", nivel)):
        for g, fila in resultado[superior].items():
            fila["avance"] = promedio([v["avance"] for k, v in resultado[inferior].items()
                                       if de[k] == g])
    resultado["entidad"]["TOTAL"]["avance"] = promedio(
        [v["avance"] for v in resultado["nivel"].values()])
    return resultado


@pytest.fixture(scope="module")
def datos():
    from helpers.entrada.datos import cargar_datos

    return cargar_datos(LIBRO)


def filas_de_tablas(tablas: dict) -> dict[str, dict]:
    """Cada nivel de las tablas del informe: clave -> fila (unidad, área, nivel, entidad)."""
    area = tablas["area"]
    return {
        "unidad": tablas["unidad"].set_index("codigo_unidad"),
        "area": area[area["nivel"] == "area"].set_index("area"),
        "nivel": area[area["nivel"] == "servicio"].set_index("area"),
        "entidad": area[area["nivel"] == "entidad"].set_index("area"),
    }


def igual(calculado, esperado) -> bool:
    if esperado is None:
        return calculado is None or math.isnan(calculado)
    return math.isclose(calculado, esperado, rel_tol=1e-12, abs_tol=1e-9)


@pytest.mark.parametrize("trimestre", TRIMESTRES)
def test_las_tablas_dan_lo_calculado_a_mano(libro, datos, trimestre):
    from helpers.calculo.tablas import calcular_tablas
    from helpers.entrada.parametros import Metodologia

    tablas = filas_de_tablas(calcular_tablas(datos, trimestre, Metodologia(), gestion=2024))
    comparadas = 0
    for sufijo, meses in (("trimestre", [3 * trimestre - 2, 3 * trimestre - 1, 3 * trimestre]),
                          ("acumulado", list(range(1, 3 * trimestre + 1)))):
        a_mano = niveles_a_mano(libro, trimestre, meses)
        columnas = {"avance": f"avance_fisico_{sufijo}",
                    "ejecucion": "ejecucion_trimestre" if sufijo == "trimestre"
                    else "ejecucion_acumulada"}
        for nivel, filas in a_mano.items():
            assert sorted(tablas[nivel].index) == sorted(filas), nivel
            for clave, esperado in filas.items():
                for medida, columna in columnas.items():
                    calculado = tablas[nivel].at[clave, columna]
                    assert igual(calculado, esperado[medida]), (
                        trimestre, sufijo, nivel, clave, medida, calculado, esperado[medida])
                    comparadas += esperado[medida] is not None
    # Hay cifras de verdad en cada nivel (no sólo vacíos que coinciden).
    assert comparadas > 2 * len(libro["unidades"])


def test_las_bajas_y_las_altas_cambian_lo_evaluado(libro):
    """El oráculo no evalúa siempre lo mismo: la primera reformulación cambia las
    operaciones que cuentan entre el primer y el segundo trimestre."""
    primero = {o["codigo_operacion"] for o in en_vigor(libro, 3)[0]}
    segundo = {o["codigo_operacion"] for o in en_vigor(libro, 6)[0]}
    assert primero - segundo and segundo - primero


# ------------------------------------------------------------------------------------------
# Los informes de la muestra departamental, de punta a punta
# ------------------------------------------------------------------------------------------
def textos_de_la_primera_muestra() -> list[str]:
    """Los textos de los parámetros de la primera muestra (misión, visión, normas,
    recomendaciones, identificación, la entidad), sin sus marcas «(ejemplo)», salvo los que
    esta muestra también tiene en los suyos (las leyes que rigen a todas las entidades)."""
    return sorted(set(_textos_de_parametros(PARAMS_PRIMERA))
                  - set(_textos_de_parametros(PARAMS)))


def _textos_de_parametros(carpeta) -> list[str]:
    textos = []

    def juntar(valor):
        if isinstance(valor, dict):
            for v in valor.values():
                juntar(v)
        elif isinstance(valor, list):
            for v in valor:
                juntar(v)
        elif isinstance(valor, str) and len(valor) > 12:
            textos.append(re.sub(r"\s*\(ejemplo\)", "", valor))

    for ruta in sorted(carpeta.glob("2024-*.yaml")):
        params = leer_yaml(ruta)
        for clave in ("entidad", "presentacion", "identificacion"):
            juntar(params.get(clave, {}))
    return textos


def sin_espacios(texto: str) -> str:
    return re.sub(r"\s+", "", texto)


@pytest.fixture(scope="module")
def informes_departamentales(tmp_path_factory) -> dict[str, Path]:
    """Los informes del segundo trimestre y de la rendición de cuentas, con los parámetros de
    la muestra departamental y la salida en una carpeta temporal."""
    base = tmp_path_factory.mktemp("departamental")
    carpetas = {}
    for nombre in ("2024-T2.yaml", "2024-anual.yaml"):
        params = leer_yaml(PARAMS / nombre)
        params["datos"] = str(RAIZ / params["datos"])
        params["salida"] = str(base / Path(nombre).stem)
        ruta = base / nombre
        ruta.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
        resultado = subprocess.run([sys.executable, "-m", "helpers.informe", str(ruta)],
                                   capture_output=True, text=True, cwd=RAIZ, timeout=1800,
                                   check=False)
        assert resultado.returncode == 0, f"{nombre}: {resultado.stdout}{resultado.stderr}"
        carpetas[nombre] = Path(params["salida"])
    return carpetas


def textos_del_informe(carpeta: Path) -> dict[str, str]:
    html = (carpeta / "informe.html").read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    pdf = texto_pdf.texto(carpeta / "informe.pdf")
    return {"html": unescape(re.sub(r"<[^>]+>", " ", html)), "pdf": pdf}


@pytest.mark.lento
@pytest.mark.parametrize("nombre", ["2024-T2.yaml", "2024-anual.yaml"])
def test_el_informe_habla_de_sus_niveles_y_sus_areas(informes_departamentales, nombre):
    textos = textos_del_informe(informes_departamentales[nombre])
    niveles = {u["servicio"] for u in leer_csv("unidades.csv")}
    areas = [a["nombre"] for a in leer_csv("areas.csv")]
    for medio, texto in textos.items():
        plano = re.sub(r"\s+", " ", texto)
        faltan = [n for n in sorted(niveles) + areas if n not in plano]
        assert not faltan, (medio, faltan)
    assert "por nivel" in re.sub(r"\s+", " ", textos["html"]).lower()


@pytest.mark.lento
@pytest.mark.parametrize("nombre", ["2024-T2.yaml", "2024-anual.yaml"])
def test_el_informe_llama_al_nivel_como_sus_parametros(informes_departamentales, nombre):
    """Los grupos de áreas se nombran con `organizacion.agrupacion` («nivel»), no «servicio»."""
    textos = textos_del_informe(informes_departamentales[nombre])
    for medio, texto in textos.items():
        plano = re.sub(r"\s+", " ", texto)
        ajenos = re.findall(r"\b(?:por|tipo y|cada|Subtotal)\s+servicio\b", plano, flags=re.I)
        assert not ajenos, (medio, sorted(set(ajenos)))


@pytest.mark.lento
@pytest.mark.parametrize("nombre", ["2024-T2.yaml", "2024-anual.yaml"])
def test_el_informe_no_habla_de_la_primera_muestra(informes_departamentales, nombre):
    textos = textos_del_informe(informes_departamentales[nombre])
    ajenos = [sin_espacios(t) for t in textos_de_la_primera_muestra()]
    for medio, texto in textos.items():
        palabras = re.findall(r"exterior|embajada|consulado|\(ejemplo\)", texto, flags=re.I)
        assert not palabras, (medio, sorted(set(palabras)))
        compacto = sin_espacios(texto)
        hallados = [t for t in ajenos if t in compacto]
        assert not hallados, (medio, hallados)


@pytest.mark.lento
@pytest.mark.navegador
def test_el_explorador_muestra_el_mapa_de_los_departamentos(informes_departamentales):
    """En informe.html, sin red, el mapa tiene un departamento por cada código de la hoja
    areas, con la eficacia que el cálculo le da, que es la de tablas/departamento.csv; un
    clic en uno filtra la tabla por él (docs/tablero.md). La muestra de la primera entidad,
    sin departamentos, no tiene mapa (tests/test_tablero.py)."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("falta Chromium en /usr/bin/chromium: bash scripts/instalar_sistema.sh")
    from playwright.sync_api import sync_playwright

    from helpers.calculo.departamentos import cifras_por_departamento
    from helpers.calculo.pasos import Calculo
    from helpers.comun.numeros import formatear_porcentaje
    from helpers.preparacion import abrir

    carpeta = informes_departamentales["2024-T2.yaml"]
    prep = abrir(informe=carpeta)
    cifras = cifras_por_departamento(Calculo(prep.datos, prep.parametros.trimestre_corte,
                                             prep.parametros.metodologia))
    codigos = {c for c in prep.datos.areas["departamento"] if c}
    assert set(cifras["departamento"]) == codigos
    import pandas as pd

    del_csv = pd.read_csv(carpeta / "tablas" / "departamento.csv", dtype=str,
                          keep_default_na=False).set_index("departamento")
    assert list(del_csv.index) == list(cifras["departamento"])
    for _, fila in cifras.iterrows():
        assert float(del_csv.loc[fila["departamento"], "eficacia_acumulada"]) == pytest.approx(
            fila["eficacia_acumulada"], abs=1e-9)
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=str(chromium), headless=True)
        pagina = navegador.new_page(viewport={"width": 1200, "height": 900})
        pagina.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                     else r.abort())
        pagina.goto((carpeta / "informe.html").as_uri())
        pagina.locator("#explorador .tabulator-row").first.wait_for()
        zonas = pagina.locator("#explorador [data-departamento]")
        assert {zonas.nth(i).get_attribute("data-departamento")
                for i in range(zonas.count())} >= codigos
        fila = cifras.iloc[0]
        zona = pagina.locator(f'#explorador path[data-departamento="{fila["departamento"]}"]')
        assert formatear_porcentaje(fila["eficacia_acumulada"]) in zona.locator(
            "title").text_content()
        zona.click()
        assert pagina.locator("[name=departamento]").input_value() == fila["departamento"]
        filas = pagina.locator(".tabulator-row").all_inner_texts()
        assert filas and pagina.locator(".exp-conteo").inner_text().endswith("los filtros.")
        navegador.close()
