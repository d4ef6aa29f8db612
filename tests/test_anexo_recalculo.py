"""El anexo recalculado en LibreOffice Calc: cada fórmula da lo mismo que las tablas.

El anexo con la cadena de cálculo (`helpers.salida.anexo_cadena`) se escribe sin resultados; aquí
LibreOffice (`soffice --headless --convert-to xlsx`) lo abre, calcula todas las fórmulas y
lo guarda, y cada celda con fórmula del libro se compara, a 1e-9, con la tabla del informe
que corresponde (`calcular_tablas`, lo mismo que se escribe en tablas/*.csv) o, para las
columnas auxiliares y los trimestres anteriores al corte, con las funciones de
`helpers.calculo.metodologia`. Un valor vacío ("" en la hoja) corresponde a NaN en la tabla.

Casos: la muestra al T1, T2 y T4 con las dos reglas de agregación, y con participación
programada y meses sin reporte excluidos; la muestra departamental (otros niveles, dos
reformulaciones, un cambio de tareas) en los cuatro cortes; el libro pequeño de `fabrica`
con las reglas por omisión, con las contrarias y con códigos que SUMIFS o AVERAGEIFS tomarían
como comodines u operadores (`fabrica.CODIGOS_HOSTILES`). Los libros de los casos elegidos
(con `-k`, sólo esos) se recalculan en una sola llamada a soffice (unos segundos por libro).
`make test` instala LibreOffice si falta (scripts/instalar_libreoffice.sh).
"""
from __future__ import annotations

import functools
import math
import re
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import fabrica
import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.calculo import metodologia as m
from helpers.calculo.pasos import Calculo
from helpers.calculo.tablas import calcular_tablas
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia, cargar_parametros
from helpers.salida.anexo import escribir_anexo
from helpers.salida.anexo_cadena_piezas import HOJAS_CADENA, MESES_CORTOS

# LibreOffice recalcula el anexo: lo salta `make test-rapido`.
pytestmark = pytest.mark.lento

RAIZ = Path(__file__).resolve().parents[1]
TOLERANCIA = 1e-9


@dataclass(frozen=True)
class Caso:
    nombre: str
    # "muestra", "departamental", "pequeno" o "hostil" (el pequeño con códigos que confunden
    # a SUMIFS)
    libro: str
    trimestre: int
    reglas: dict


CASOS = (
    Caso("muestra-T1-promedio", "muestra", 1, {}),
    Caso("muestra-T1-tareas", "muestra", 1, {"agregacion": "tareas"}),
    Caso("muestra-T2-promedio", "muestra", 2, {}),
    Caso("muestra-T2-tareas-sin-tope", "muestra", 2,
         {"agregacion": "tareas", "tope_cumplimiento": False}),
    Caso("muestra-T2-programada-excluir", "muestra", 2,
         {"participacion": "programada", "sin_reporte": "excluir"}),
    Caso("muestra-T4-promedio", "muestra", 4, {}),
    Caso("muestra-T4-tareas", "muestra", 4, {"agregacion": "tareas"}),
    Caso("departamental-T1-promedio", "departamental", 1, {}),
    Caso("departamental-T2-tareas", "departamental", 2, {"agregacion": "tareas"}),
    Caso("departamental-T3-programada-excluir", "departamental", 3,
         {"participacion": "programada", "sin_reporte": "excluir"}),
    Caso("departamental-T4-promedio", "departamental", 4, {}),
    Caso("pequeno-T2", "pequeno", 2, {}),
    Caso("pequeno-codigos-hostiles", "hostil", 2, {}),
    Caso("pequeno-T3-contrarias", "pequeno", 3,
         {"agregacion": "tareas", "participacion": "programada", "sin_reporte": "excluir",
          "tope_cumplimiento": False}),
)


@dataclass
class Preparado:
    caso: Caso
    datos: object
    metodologia: Metodologia
    tablas: dict[str, pd.DataFrame]
    original: Path
    recalculado: Path


def _soffice() -> str:
    ruta = shutil.which("soffice") or shutil.which("libreoffice")
    if ruta is None:
        pytest.fail("falta LibreOffice (soffice): instálelo con "
                    "bash scripts/instalar_libreoffice.sh (make test lo hace)")
    return ruta


def recalcular(archivos: list[Path], salida: Path) -> None:
    """Abre los libros en LibreOffice, que calcula todas las fórmulas, y los guarda en
    `salida` con sus resultados (un perfil de usuario propio: corridas en paralelo)."""
    with tempfile.TemporaryDirectory(prefix="perfil-soffice-") as perfil:
        orden = [
            _soffice(), "--headless", "--norestore", "--nologo",
            f"-env:UserInstallation={Path(perfil).as_uri()}",
            "--calc", "--convert-to", "xlsx", "--outdir", str(salida),
            *(str(a) for a in archivos),
        ]
        resultado = subprocess.run(orden, capture_output=True, text=True, timeout=600)
    faltan = [a.name for a in archivos if not (salida / a.name).exists()]
    assert resultado.returncode == 0 and not faltan, (resultado.stdout, resultado.stderr, faltan)


# Las carpetas de los parámetros de cada muestra (sus reglas y su libro); los libros de
# `fabrica` usan las reglas por omisión.
PARAMS_DE_MUESTRA = {"muestra": RAIZ / "params", "departamental": RAIZ / "params" / "departamental"}


def _casos_elegidos(request) -> list[Caso]:
    """Los casos de las pruebas elegidas en esta corrida (con `-k departamental`, sólo esos
    libros van a LibreOffice); una prueba sin caso propio los pide todos."""
    pedidos = set()
    for item in request.session.items:
        if item.module is not request.module:
            continue
        callspec = getattr(item, "callspec", None)
        if callspec is None or "caso" not in callspec.params:
            return list(CASOS)
        pedidos.add(callspec.params["caso"])
    return [c for c in CASOS if c.nombre in pedidos]


@pytest.fixture(scope="module")
def preparados(request, tmp_path_factory) -> dict[str, Preparado]:
    carpeta = tmp_path_factory.mktemp("recalculo")
    casos = _casos_elegidos(request)

    @functools.cache
    def parametros(libro: str, trimestre: int):
        return cargar_parametros(PARAMS_DE_MUESTRA[libro] / f"2024-T{trimestre}.yaml")

    @functools.cache
    def libro_de(nombre: str):
        if nombre in PARAMS_DE_MUESTRA:
            return cargar_datos(parametros(nombre, 2).ruta_datos)
        if nombre == "pequeno":
            return cargar_datos(fabrica.escribir_libro_pequeno(carpeta / "pequeno"))
        return cargar_datos(fabrica.escribir_libro_codigos_hostiles(carpeta / "hostil.xlsx"))

    resultado = {}
    for caso in casos:
        base = (parametros(caso.libro, caso.trimestre).metodologia
                if caso.libro in PARAMS_DE_MUESTRA else Metodologia())
        metodologia = base.model_copy(update=caso.reglas)
        datos = libro_de(caso.libro)
        tablas = calcular_tablas(datos, caso.trimestre, metodologia, gestion=2024)
        original = escribir_anexo(tablas, carpeta / f"{caso.nombre}.xlsx", datos=datos,
                                  trimestre=caso.trimestre, metodologia=metodologia)
        # Lo esperado se calcula con el POA en vigor al corte (la muestra tiene operaciones
        # dadas de baja y metas reprogramadas); el anexo lo arma él mismo desde el libro.
        en_vigor = version_al_corte(datos, 3 * caso.trimestre)
        resultado[caso.nombre] = Preparado(caso, en_vigor, metodologia, tablas, original,
                                           carpeta / "recalculado" / original.name)
    inicio = time.perf_counter()
    recalcular([p.original for p in resultado.values()], carpeta / "recalculado")
    print(f"LibreOffice recalculó {len(resultado)} libros en {time.perf_counter() - inicio:.1f} s")
    return resultado


# --- lo esperado de cada columna con fórmula ------------------------------------------------

def _etiquetas(q: int) -> list[tuple[str, list[int]]]:
    return [(f"T{t}", m.meses_trimestre(t)) for t in range(1, q + 1)] + [
        ("acumulado", m.meses_acumulado(q))
    ]


def _meses(meses: list[int]) -> str:
    return f"{MESES_CORTOS[meses[0] - 1]}-{MESES_CORTOS[meses[-1] - 1]}"


def _femenino(e: str) -> str:
    return "acumulada" if e == "acumulado" else e


def _cuenta_meses(texto: str) -> int:
    return len([x for x in str(texto).split(",") if x.strip()])


@dataclass
class Medida:
    """Un valor por operación llevado a los niveles (avance físico o eficacia)."""

    encabezado: str
    tareas: str
    ponderado: str
    que: str
    por_operacion: pd.Series  # NaN = fuera de los promedios
    agregado: m.Agregado  # lo que da helpers.calculo.metodologia (o las tablas)


def _medidas(p: Preparado) -> list[Medida]:
    datos, met, q = p.datos, p.metodologia, p.caso.trimestre
    ops, uds = datos.operaciones, datos.unidades
    opciones = {"tope": met.tope_cumplimiento, "sin_reporte": met.sin_reporte,
                "agregacion": met.agregacion}
    medidas = []
    for e, meses in _etiquetas(q):
        cumpl = m.cumplimiento_operaciones(ops, meses, tope=met.tope_cumplimiento,
                                           sin_reporte=met.sin_reporte)
        medidas.append(Medida(
            f"Avance físico {e} (%)", f"Tareas en el promedio {e}", f"Cumplimiento × tareas {e}",
            f"avance físico {e}", cumpl["cumplimiento"],
            m.avance_fisico(ops, uds, meses, **opciones),
        ))
    if met.participacion == "programada":
        eficacias = Calculo(datos, q, met).eficacias
        for t in range(1, q + 1):
            aporte = m.eficacia_programada_operaciones(
                ops, m.meses_trimestre(t), tope=met.tope_cumplimiento, sin_reporte=met.sin_reporte
            )
            medidas.append(Medida(
                f"Eficacia T{t} (%)", f"Tareas en la eficacia T{t}", f"Eficacia × tareas T{t}",
                f"eficacia T{t}", aporte, eficacias[t],
            ))
    return medidas


def esperado_operaciones(p: Preparado) -> dict[str, list]:
    datos, met, q = p.datos, p.metodologia, p.caso.trimestre
    ops = datos.operaciones
    tabla = p.tablas["operacion"]
    tareas = ops["tareas"].astype(float)
    esperado: dict[str, list] = {}
    anual = ops[[m.col_prog(mes) for mes in m.MESES]].sum(axis=1)
    if met.participacion == "programada":
        esperado["Programado anual"] = anual
    for e, meses in _etiquetas(q):
        c = m.cumplimiento_operaciones(ops, meses, tope=met.tope_cumplimiento,
                                       sin_reporte=met.sin_reporte)
        esperado[f"Programado {e} ({_meses(meses)})"] = c["prog"]
        esperado[f"Ejecutado {e} ({_meses(meses)})"] = c["ejec"]
        esperado[f"Meses sin reporte {e}"] = c["meses_sin_reporte"].map(_cuenta_meses)
        esperado[f"En el promedio {e} (1 = sí)"] = c["programada"].astype(int)
        esperado[f"Cumplimiento {e} (%)"] = c["cumplimiento"]
        esperado[f"Cumplimiento sin tope {e} (%)"] = c["cumplimiento_sin_tope"]
        esperado[f"Tareas en el promedio {e}"] = tareas * c["programada"]
        esperado[f"Cumplimiento × tareas {e}"] = (c["cumplimiento"] * tareas).fillna(0.0)
        if met.participacion == "programada" and e != "acumulado":
            aporte = m.eficacia_programada_operaciones(
                ops, meses, tope=met.tope_cumplimiento, sin_reporte=met.sin_reporte
            )
            esperado[f"Parte de la meta anual {e}"] = c["prog"] / anual.where(anual > 0)
            esperado[f"Eficacia {e} (%)"] = aporte
            esperado[f"Tareas en la eficacia {e}"] = tareas.where(aporte.notna(), 0.0)
            esperado[f"Eficacia × tareas {e}"] = (aporte * tareas).fillna(0.0)
    # Lo que también está en la tabla del informe (tablas/operacion.csv): de ahí.
    for sufijo, columna in ((f"T{q}", "trimestre"), ("acumulado", "acumulado")):
        meses = dict(_etiquetas(q))[sufijo]
        esperado[f"Programado {sufijo} ({_meses(meses)})"] = tabla[f"prog_{columna}"]
        esperado[f"Ejecutado {sufijo} ({_meses(meses)})"] = tabla[f"ejec_{columna}"]
        esperado[f"Cumplimiento {sufijo} (%)"] = tabla[f"cumplimiento_{columna}"]
        esperado[f"Cumplimiento sin tope {sufijo} (%)"] = tabla[f"cumplimiento_sin_tope_{columna}"]
    esperado[f"Estado T{q}"] = tabla["estado"]
    esperado["Estado acumulado"] = tabla["estado_acumulado"]
    esperado[f"Calificación T{q}"] = tabla["calificacion_trimestre"]
    esperado["Calificación acumulada"] = tabla["calificacion_acumulada"]
    esperado["Meses sin reporte acumulado"] = tabla["meses_sin_reporte"].map(_cuenta_meses)
    return {k: list(v) for k, v in esperado.items()}


def esperado_presupuesto(p: Preparado) -> dict[str, list]:
    q = p.caso.trimestre
    pres = p.datos.presupuesto
    tabla = p.tablas["categoria"]  # las líneas en el orden del libro y la fila TOTAL
    assert len(tabla) == len(pres) + 1 and tabla["categoria_programatica"].iloc[-1] == "TOTAL"
    nada = [None] * len(pres)
    esperado = {
        f"Devengado T{q} (Bs)": tabla["devengado_trimestre"],
        "Devengado acumulado (Bs)": tabla["devengado_acumulado"],
        f"Ejecución T{q} (%)": tabla["ejecucion_trimestre"],
        "Ejecución acumulada (%)": tabla["ejecucion_acumulada"],
        "Saldo (Bs)": tabla["saldo"],
        "Semáforo": tabla["semaforo"],
        # En la fila TOTAL, también el vigente y el devengado de cada mes son sumas.
        "Vigente (Bs)": nada + [pres["vigente"].sum()],
    }
    for mes in m.MESES:
        esperado[f"Devengado {MESES_CORTOS[mes - 1]} (Bs)"] = nada + [pres[m.col_dev(mes)].sum()]
    return {k: list(v) for k, v in esperado.items()}


def _metricas(tabla: pd.DataFrame, q: int) -> dict[str, pd.Series]:
    """Las columnas de una tabla de nivel (unidad, área, ACP) por su encabezado en el anexo."""
    return {
        "Vigente (Bs)": tabla["vigente"],
        f"Devengado T{q} (Bs)": tabla["devengado_trimestre"],
        "Devengado acumulado (Bs)": tabla["devengado_acumulado"],
        f"Ejecución T{q} (%)": tabla["ejecucion_trimestre"],
        "Ejecución acumulada (%)": tabla["ejecucion_acumulada"],
        f"Avance físico T{q} (%)": tabla["avance_fisico_trimestre"],
        "Avance físico acumulado (%)": tabla["avance_fisico_acumulado"],
        f"Eficacia T{q} (%)": tabla["eficacia_trimestre"],
        "Eficacia acumulada (%)": tabla["eficacia_acumulada"],
        f"Eficiencia T{q} (%)": tabla["eficiencia_trimestre"],
        "Eficiencia acumulada (%)": tabla["eficiencia_acumulada"],
        f"Brecha T{q} (puntos)": tabla["brecha_trimestre"],
        "Brecha acumulada (puntos)": tabla["brecha_acumulada"],
        f"Calificación T{q}": tabla["calificacion_trimestre"],
        "Calificación acumulada": tabla["calificacion_acumulada"],
        f"Grado T{q}": tabla["grado_trimestre"],
        "Semáforo": tabla["semaforo"],
    }


def _ponderados(medida: Medida, ops: pd.DataFrame, claves) -> tuple[pd.Series, pd.Series]:
    """Σ tareas y Σ valor × tareas de las operaciones con valor, por grupo."""
    validas = medida.por_operacion.notna()
    tareas = ops["tareas"].astype(float).where(validas, 0.0)
    ponderado = (medida.por_operacion * ops["tareas"].astype(float)).where(validas, 0.0)
    return tareas.groupby(claves, sort=False).sum(), ponderado.groupby(claves, sort=False).sum()


def esperados_niveles(p: Preparado) -> dict[str, dict[str, list]]:
    datos, met, q = p.datos, p.metodologia, p.caso.trimestre
    ops, uds = datos.operaciones, datos.unidades
    promedio = met.agregacion == "promedio_unidades"
    mapa = uds.set_index("codigo_unidad")
    ops_area = ops["codigo_unidad"].map(mapa["area"])
    ops_servicio = ops["codigo_unidad"].map(mapa["servicio"])
    areas = list(pd.unique(uds["area"]))
    servicios = list(pd.unique(uds["servicio"]))
    tabla_area = p.tablas["area"]
    tabla_acp = p.tablas["acp"]
    pares = sorted(set(zip(ops["codigo_acp"], ops["codigo_unidad"])),
                   key=lambda par: (list(datos.acp["codigo_acp"]).index(par[0]),
                                    list(uds["codigo_unidad"]).index(par[1])))

    filas = {
        "unidades": list(uds["codigo_unidad"]),
        "acps": list(datos.acp["codigo_acp"]),
        "areas": areas,
        "servicios": servicios,
        "entidad": ["TOTAL"],
        "acp_unidad": pares,
    }
    tablas = {
        "unidades": p.tablas["unidad"].set_index("codigo_unidad"),
        "acps": tabla_acp[tabla_acp["codigo_acp"] != "TOTAL"].set_index("codigo_acp"),
        "areas": tabla_area[tabla_area["nivel"] == "area"].set_index("area"),
        "servicios": tabla_area[tabla_area["nivel"] == "servicio"].set_index("area"),
        "entidad": tabla_area[tabla_area["nivel"] == "entidad"].set_index("area"),
    }
    # La fila TOTAL de la tabla por ACP es la misma entidad.
    total_acp = tabla_acp[tabla_acp["codigo_acp"] == "TOTAL"].iloc[0]
    total_area = tablas["entidad"].iloc[0]
    for col in _metricas(tabla_acp, q).values():
        a, b = total_acp[col.name], total_area[col.name]
        assert (pd.isna(a) and pd.isna(b)) or a == b or math.isclose(a, b, rel_tol=TOLERANCIA)

    esperado: dict[str, dict[str, pd.Series]] = {h: {} for h in filas}
    for hoja, tabla in tablas.items():
        for encabezado, serie in _metricas(tabla.reset_index(), q).items():
            esperado[hoja][encabezado] = serie.set_axis(tabla.index).reindex(filas[hoja])

    for medida in _medidas(p):
        ag = medida.agregado
        valores = {
            "unidades": ag.unidad, "acps": ag.acp, "areas": ag.area, "servicios": ag.servicio,
            "entidad": pd.Series([ag.entidad], index=["TOTAL"]),
        }
        for hoja, serie in valores.items():
            # Los trimestres anteriores al corte (y la eficacia programada) no están en las
            # tablas del informe: helpers.calculo.metodologia; el del corte y el acumulado, ya
            # puestos desde las tablas, se comprueban además contra metodologia aquí.
            calculado = serie.reindex(filas[hoja])
            if medida.encabezado in esperado[hoja]:
                tabla_valores = esperado[hoja][medida.encabezado]
                assert np.allclose(tabla_valores.to_numpy(float), calculado.to_numpy(float),
                                   rtol=TOLERANCIA, atol=TOLERANCIA, equal_nan=True)
            else:
                esperado[hoja][medida.encabezado] = calculado
        # Auxiliares ponderadas por tareas.
        t_ud, p_ud = _ponderados(medida, ops, ops["codigo_unidad"])
        esperado["unidades"][medida.tareas] = t_ud.reindex(filas["unidades"]).fillna(0.0)
        esperado["unidades"][medida.ponderado] = p_ud.reindex(filas["unidades"]).fillna(0.0)
        if promedio:
            t_par, p_par = _ponderados(medida, ops, [ops["codigo_acp"], ops["codigo_unidad"]])
            indice = pd.MultiIndex.from_tuples(pares)
            esperado["acp_unidad"][medida.tareas] = t_par.reindex(indice)
            esperado["acp_unidad"][medida.ponderado] = p_par.reindex(indice)
            valor_par = p_par / t_par.where(t_par > 0)
            esperado["acp_unidad"][medida.encabezado] = valor_par.reindex(indice)
            par_valor = esperado["acp_unidad"][medida.encabezado]
            unidad_valor = ag.unidad
            area_valor = ag.area
            esperado["acps"][f"Unidades con {medida.que}"] = (
                par_valor.notna().groupby(level=0).sum().reindex(filas["acps"]).fillna(0)
            )
            esperado["areas"][f"Unidades con {medida.que}"] = (
                unidad_valor.notna().groupby(uds.set_index("codigo_unidad")["area"]).sum()
                .reindex(areas).fillna(0)
            )
            area_servicio = uds.groupby("area", sort=False)["servicio"].first()
            esperado["servicios"][f"Áreas con {medida.que}"] = (
                area_valor.notna().groupby(area_servicio).sum().reindex(servicios).fillna(0)
            )
            esperado["entidad"][f"Servicios con {medida.que}"] = pd.Series(
                [int(ag.servicio.notna().sum())], index=["TOTAL"]
            )
        else:
            for hoja, claves in (("acps", ops["codigo_acp"]), ("areas", ops_area),
                                 ("servicios", ops_servicio),
                                 ("entidad", pd.Series("TOTAL", index=ops.index))):
                t, pond = _ponderados(medida, ops, claves)
                esperado[hoja][medida.tareas] = t.reindex(filas[hoja]).fillna(0.0)
                esperado[hoja][medida.ponderado] = pond.reindex(filas[hoja]).fillna(0.0)

    # Eficacia de cada trimestre (participación trimestral_igual): avance × 25 %.
    if met.participacion == "trimestral_igual":
        ind = Calculo(datos, q, met)
        for t in range(1, q + 1):
            ag = ind.eficacias[t]
            for hoja, serie in (("unidades", ag.unidad), ("acps", ag.acp), ("areas", ag.area),
                                ("servicios", ag.servicio),
                                ("entidad", pd.Series([ag.entidad], index=["TOTAL"]))):
                esperado[hoja].setdefault(f"Eficacia T{t} (%)", serie.reindex(filas[hoja]))
    return {h: {k: list(v) for k, v in cols.items()} for h, cols in esperado.items()}


def esperados(p: Preparado) -> dict[str, dict[str, list]]:
    resultado = esperados_niveles(p)
    resultado["operaciones"] = esperado_operaciones(p)
    resultado["presupuesto"] = esperado_presupuesto(p)
    return resultado


# --- comparación ----------------------------------------------------------------------

def _vacio(x) -> bool:
    return x is None or x == "" or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def iguales(obtenido, esperado) -> bool:
    if _vacio(esperado):
        return _vacio(obtenido)
    if isinstance(esperado, str):
        return obtenido == esperado
    if isinstance(obtenido, bool) or not isinstance(obtenido, (int, float)):
        return False
    return math.isclose(float(obtenido), float(esperado), rel_tol=TOLERANCIA, abs_tol=TOLERANCIA)


def celdas(ruta: Path, valores: bool) -> dict[str, list[list]]:
    """Hoja -> filas de valores (`valores`) o de fórmulas (None donde la celda no es una
    fórmula: un texto de los datos que empieza con "=" no lo es)."""
    libro = openpyxl.load_workbook(ruta, read_only=True, data_only=valores)
    try:
        if valores:
            return {ws.title: [list(fila) for fila in ws.iter_rows(values_only=True)]
                    for ws in libro.worksheets}
        return {ws.title: [[c.value if c.data_type == "f" else None for c in fila]
                           for fila in ws.iter_rows()]
                for ws in libro.worksheets}
    finally:
        libro.close()


@pytest.mark.parametrize("caso", [c.nombre for c in CASOS])
def test_cada_formula_recalculada_iguala_a_las_tablas(preparados, caso):
    p = preparados[caso]
    formulas = celdas(p.original, valores=False)
    calculado = celdas(p.recalculado, valores=True)
    esperado = esperados(p)
    # El anexo no guarda resultados de sus fórmulas: todo lo comparado lo calculó LibreOffice.
    with zipfile.ZipFile(p.original) as z:
        for nombre in z.namelist():
            if nombre.startswith("xl/worksheets/"):
                assert not re.search(r"</f>\s*<v>[^<]", z.read(nombre).decode()), nombre
    comprobadas = 0
    for hoja, filas in formulas.items():
        if hoja == "leeme":
            continue
        encabezado = calculado[hoja][0]
        if hoja in p.tablas:  # hoja de tabla: fórmulas de la fila, contra la misma tabla
            df = p.tablas[hoja]
            assert encabezado == list(df.columns), hoja
            columnas = {c: df[c].tolist() for c in df.columns}
        else:
            assert hoja in HOJAS_CADENA, hoja
            columnas = esperado.get(hoja, {})
        for i, fila in enumerate(filas[1:]):
            for j, contenido in enumerate(fila):
                if contenido is None:
                    continue
                col = encabezado[j]
                assert col in columnas, f"{hoja}: columna «{col}» con fórmulas sin comprobar"
                obtenido, objetivo = calculado[hoja][i + 1][j], columnas[col][i]
                assert iguales(obtenido, objetivo), (hoja, i + 2, col, contenido, obtenido,
                                                     objetivo)
                comprobadas += 1
    # Todas las hojas de la cadena están y tienen fórmulas.
    esperadas = set(HOJAS_CADENA) - (set() if p.metodologia.agregacion == "promedio_unidades"
                                     else {"acp_unidad"})
    assert esperadas <= set(formulas)
    assert comprobadas > 2000 if p.caso.libro in PARAMS_DE_MUESTRA else comprobadas > 300
    # Algún número calculado de verdad (no un vacío que coincide con NaN por no calcular).
    entidad = calculado["entidad"]
    j = entidad[0].index("Avance físico acumulado (%)")
    assert isinstance(entidad[1][j], float) and 0 < entidad[1][j] <= 100 + 1e-9


def test_la_cadena_cambia_si_el_auditor_cambia_un_dato(preparados, tmp_path):
    """Las fórmulas están vivas: con otro ejecutado en una operación cambian su cumplimiento,
    el avance de su unidad y el de la entidad."""
    p = preparados["pequeno-T2"]
    libro = openpyxl.load_workbook(p.original)
    ws = libro["operaciones"]
    encabezado = [c.value for c in ws[1]]
    fila = next(n for n in range(2, ws.max_row + 1) if ws.cell(n, 1).value == "OP-08")
    for mes in ("abr", "may", "jun"):  # OP-08 no ejecutó nada en el primer semestre
        ws.cell(fila, encabezado.index(f"Ejecutado {mes}") + 1).value = 1
    libro.save(tmp_path / "cambiado.xlsx")
    recalcular([tmp_path / "cambiado.xlsx"], tmp_path / "salida")
    antes = celdas(p.recalculado, valores=True)
    despues = celdas(tmp_path / "salida" / "cambiado.xlsx", valores=True)
    j = encabezado.index("Cumplimiento T2 (%)")
    assert antes["operaciones"][fila - 1][j] == 0
    assert despues["operaciones"][fila - 1][j] == 100
    uds = antes["unidades"][0].index("Avance físico T2 (%)")
    cg = next(i for i, f in enumerate(antes["unidades"]) if f[0] == "CG-ARI")
    assert despues["unidades"][cg][uds] > antes["unidades"][cg][uds]
    ent = antes["entidad"][0].index("Avance físico T2 (%)")
    assert despues["entidad"][1][ent] > antes["entidad"][1][ent]
