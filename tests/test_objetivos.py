"""El avance por objetivo (`helpers.calculo.objetivos`) de las dos muestras, rehecho aquí
a mano desde las celdas de cada libro (openpyxl y Python, sin pandas ni el paquete): cada
cifra de la tabla `objetivos`, en dos cortes y con las dos ponderaciones, es la del oráculo.
Y las reglas que el oráculo no mira solo: el orden de los marcos, el reparto del presupuesto
de una ACP entre sus objetivos y las operaciones que no aportan a ninguno."""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
import texto_pdf
from huella_informes import ARCHIVO, SIN_MARCOS, diferencias, huella_sin_marcos
from test_muestra import registros, valores
from test_muestra_departamental import en_vigor

from helpers.calculo.objetivos import tablas_de_objetivos
from helpers.calculo.versiones import version_al_corte
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import Metodologia

RAIZ = Path(__file__).resolve().parents[1]
LIBROS = {"muestra": RAIZ / "data" / "2024" / "poa_2024.xlsx",
          "departamental": RAIZ / "data" / "departamental" / "poa_2024.xlsx"}
CORTES = (2, 4)
PONDERACIONES = ("vinculos", "presupuesto")
PDES = (("eje_pdes", "eje"), ("meta_pdes", "meta"), ("resultado_pdes", "resultado"))


# -- El oráculo ---------------------------------------------------------------------------

def _meses(trimestre: int) -> list[int]:
    return [3 * trimestre - 2, 3 * trimestre - 1, 3 * trimestre]


def cumplimiento(op: dict, meses: list[int]) -> float | None:
    """Con tope, un mes sin reporte vale 0; sin programación o NO APLICA, sin valor."""
    if op["no_aplica"]:
        return None
    prog = sum(op[f"prog_{m:02d}"] or 0 for m in meses)
    if prog == 0:
        return None
    return min(sum(op[f"ejec_{m:02d}"] or 0 for m in meses) / prog, 1) * 100


def avance_acp(ops: list[dict], meses: list[int]) -> dict[str, float]:
    """Media simple, sobre las unidades con operaciones en la ACP, de la media de cada
    unidad ponderada por tareas con sus operaciones de esa ACP."""
    suma, tareas = defaultdict(float), defaultdict(float)
    for op in ops:
        valor = cumplimiento(op, meses)
        if valor is not None:
            clave = (op["codigo_acp"], op["codigo_unidad"])
            suma[clave] += valor * op["tareas"]
            tareas[clave] += op["tareas"]
    por_acp = defaultdict(list)
    for (acp, _), total in suma.items():
        por_acp[acp].append(total / tareas[acp, _])
    return {acp: sum(v) / len(v) for acp, v in por_acp.items()}


def suma_o_nada(valores_: list) -> float | None:
    presentes = [v for v in valores_ if v is not None]
    return sum(presentes) if presentes else None


def cifras_de_lo_que_aporta(libro: dict, corte: int) -> tuple[dict, dict, list[dict]]:
    """Las cifras de cada ACP y de cada operación al corte, y las operaciones en vigor."""
    ops, lineas = en_vigor(libro, 3 * corte)
    acumulado, trimestre = list(range(1, 3 * corte + 1)), _meses(corte)
    por_trimestre = {t: avance_acp(ops, _meses(t)) for t in range(1, corte + 1)}
    acp = {}
    for fila in libro["acp"]:
        codigo = fila["codigo_acp"]
        eficacias = [por_trimestre[t].get(codigo) for t in por_trimestre]
        suyas = [x for x in lineas if x["codigo_acp"] == codigo]
        acp[codigo] = {
            "avance_fisico_trimestre": avance_acp(ops, trimestre).get(codigo),
            "avance_fisico_acumulado": avance_acp(ops, acumulado).get(codigo),
            "eficacia_trimestre": _por(por_trimestre[corte].get(codigo), 0.25),
            "eficacia_acumulada": suma_o_nada([_por(e, 0.25) for e in eficacias]),
            "vigente": sum(x["vigente"] for x in suyas),
            "devengado_trimestre": sum(x[f"dev_{m:02d}"] or 0 for x in suyas for m in trimestre),
            "devengado_acumulado": sum(x[f"dev_{m:02d}"] or 0 for x in suyas for m in acumulado),
        }
    operacion = {}
    for op in ops:
        eficacias = [_por(cumplimiento(op, _meses(t)), 0.25) for t in range(1, corte + 1)]
        operacion[op["codigo_operacion"]] = {
            "avance_fisico_trimestre": cumplimiento(op, trimestre),
            "avance_fisico_acumulado": cumplimiento(op, acumulado),
            "eficacia_trimestre": eficacias[-1],
            "eficacia_acumulada": suma_o_nada(eficacias),
            "vigente_propio": sum(x["vigente"] for x in lineas
                                  if (x["codigo_unidad"], x["codigo_acp"])
                                  == (op["codigo_unidad"], op["codigo_acp"])),
            "codigo_acp": op["codigo_acp"], "codigo_unidad": op["codigo_unidad"],
        }
    return acp, operacion, ops


def _por(valor, factor):
    return None if valor is None else valor * factor


def _codigo(texto: str) -> str:
    numero = re.search(r"\d+(\.\d+)*", texto)
    return numero.group(0) if numero else texto


def marcos_a_mano(libro: dict) -> tuple[dict, list[dict]]:
    """Los padres de cada objetivo ({(marco, codigo): padre}) y los vínculos, de las hojas
    marcos, vinculos y articulacion."""
    padres = {(f["marco"], str(f["codigo"])): str(f["codigo_padre"] or "")
              for f in libro.get("marcos", [])}
    vinculos = [{"marco": f["marco"], "codigo": str(f["codigo"]),
                 "acp": str(f["codigo_acp"] or ""), "operacion": f["codigo_operacion"] or "",
                 "peso": f["peso"] or 1.0} for f in libro.get("vinculos", [])]
    for fila in libro["articulacion"]:
        padre = ""
        for columna, _ in PDES:
            if fila[columna]:
                codigo = _codigo(fila[columna])
                padres.setdefault(("PDES", codigo), padre)
                padre = codigo
        vinculos.append({"marco": "PDES", "codigo": padre, "acp": str(fila["codigo_acp"]),
                         "operacion": "", "peso": 1.0})
        vinculos.append({"marco": "PEI", "codigo": fila["codigo_amp"],
                         "acp": str(fila["codigo_acp"]), "operacion": "", "peso": 1.0})
        padres.setdefault(("PEI", fila["codigo_amp"]), "")
    return padres, vinculos


def objetivos_a_mano(libro: dict, corte: int, ponderacion: str) -> dict:
    acp, operacion, ops = cifras_de_lo_que_aporta(libro, corte)
    padres, vinculos = marcos_a_mano(libro)

    def debajo_de(marco, codigo, otro) -> bool:
        while otro:
            if otro == codigo:
                return True
            otro = padres.get((marco, otro), "")
        return False

    pesos_de_la_acp = defaultdict(float)
    for v in vinculos:
        if v["acp"] and not v["operacion"]:
            pesos_de_la_acp[v["marco"], v["acp"]] += v["peso"]
    resultado = {}
    for marco, codigo in padres:
        suyos = [v for v in vinculos if v["marco"] == marco and debajo_de(marco, codigo,
                                                                           v["codigo"])]
        resultado[marco, codigo] = _un_objetivo(suyos, acp, operacion, ops, pesos_de_la_acp,
                                                ponderacion)
    return resultado


def _un_objetivo(suyos, acp, operacion, ops, pesos_de_la_acp, ponderacion) -> dict:
    cifras = {"vinculos": len(suyos)}
    filas = []
    for v in suyos:
        if v["operacion"]:
            fila = dict(operacion[v["operacion"]])
            fila["parte"] = None
        else:
            fila = dict(acp[v["acp"]], codigo_acp=v["acp"], vigente_propio=acp[v["acp"]]["vigente"])
            fila["parte"] = v["peso"] / pesos_de_la_acp[v["marco"], v["acp"]]
        fila["ponderador"] = v["peso"] * (fila["vigente_propio"] if ponderacion == "presupuesto"
                                          else 1)
        filas.append(fila)
    for columna in ("avance_fisico_trimestre", "avance_fisico_acumulado", "eficacia_trimestre",
                    "eficacia_acumulada"):
        con_valor = [f for f in filas if f[columna] is not None]
        peso = sum(f["ponderador"] for f in con_valor)
        cifras[columna] = (sum(f[columna] * f["ponderador"] for f in con_valor) / peso
                           if peso else None)
    for columna in ("vigente", "devengado_trimestre", "devengado_acumulado"):
        cifras[columna] = suma_o_nada([f[columna] * f["parte"] for f in filas
                                       if f["parte"] is not None])
    for periodo, devengado in (("trimestre", "devengado_trimestre"),
                               ("acumulada", "devengado_acumulado")):
        vigente = cifras["vigente"]
        cifras[f"ejecucion_{periodo}"] = (100 * cifras[devengado] / vigente if vigente
                                          else None)
    acps = {f["codigo_acp"] for f in filas}
    directas = {v["acp"] for v in suyos if not v["operacion"]}
    nombradas = {v["operacion"] for v in suyos if v["operacion"]}
    aportan = [o for o in ops if o["codigo_acp"] in directas
               or o["codigo_operacion"] in nombradas]
    cifras |= {"acp": len(acps), "operaciones": len(aportan),
               "unidades": len({o["codigo_unidad"] for o in aportan})}
    return cifras


# -- Las pruebas --------------------------------------------------------------------------

@pytest.fixture(scope="module", params=list(LIBROS))
def muestra(request):
    ruta = LIBROS[request.param]
    libro = {nombre: registros(hoja) for nombre, hoja in valores(ruta).items()}
    return libro, cargar_datos(ruta)


def _parametros(corte: int, ponderacion: str):
    from helpers.entrada import tipos

    return type("Parametros", (), {
        "trimestre_corte": corte, "tipo": tipos.tipo("objetivos"),
        "metodologia": Metodologia(ponderacion_objetivos=ponderacion)})()


def igual(calculado, esperado) -> bool:
    if esperado is None:
        return calculado is None or pd.isna(calculado)
    return math.isclose(calculado, esperado, rel_tol=1e-9, abs_tol=1e-6)


@pytest.mark.parametrize("ponderacion", PONDERACIONES)
@pytest.mark.parametrize("corte", CORTES)
def test_cada_cifra_por_objetivo_es_la_del_oraculo(muestra, corte, ponderacion):
    libro, datos = muestra
    tabla = tablas_de_objetivos(_parametros(corte, ponderacion), datos)["objetivos"]
    a_mano = objetivos_a_mano(libro, corte, ponderacion)
    assert sorted(zip(tabla["marco"], tabla["codigo"])) == sorted(a_mano)
    comparadas = 0
    for fila in tabla.to_dict("records"):
        esperado = a_mano[fila["marco"], fila["codigo"]]
        for columna, valor in esperado.items():
            assert igual(fila[columna], valor), (fila["marco"], fila["codigo"], columna,
                                                 fila[columna], valor)
            comparadas += valor is not None
    # Cifras de verdad: cada objetivo con sus montos y su avance.
    assert comparadas > 10 * len(tabla)


def test_las_dos_ponderaciones_dan_otra_cosa(muestra):
    """La ponderación por presupuesto cambia algún promedio (si no, la prueba de arriba no
    distinguiría las dos reglas)."""
    _, datos = muestra
    por_vinculo, por_presupuesto = (
        tablas_de_objetivos(_parametros(2, p), datos)["objetivos"]["avance_fisico_acumulado"]
        for p in PONDERACIONES)
    assert not por_vinculo.equals(por_presupuesto)


def test_cada_marco_suma_su_presupuesto_una_vez(muestra):
    """En el primer nivel de cada marco, el vigente suma el de las ACP vinculadas a ese
    marco, cada una una vez, aunque esté vinculada a varios objetivos (al cierre, cuando el
    vigente de cada línea es el de la columna vigente)."""
    _, datos = muestra
    tablas = tablas_de_objetivos(_parametros(4, "vinculos"), datos)
    objetivos, aportes = tablas["objetivos"], tablas["aportes"]
    vigente_acp = datos.presupuesto.groupby("codigo_acp")["vigente"].sum()
    for marco, grupo in objetivos.groupby("marco"):
        acp = set(aportes.loc[(aportes["marco"] == marco) & (aportes["tipo"] == "acp"),
                              "codigo_acp"])
        primer_nivel = grupo.loc[grupo["profundidad"] == 0, "vigente"].sum()
        assert math.isclose(primer_nivel, vigente_acp.reindex(sorted(acp)).sum()), marco


def test_cada_objetivo_va_tras_su_padre():
    datos = cargar_datos(LIBROS["muestra"])
    objetivos = tablas_de_objetivos(_parametros(2, "vinculos"), datos)["objetivos"]
    vistos: set = set()
    for marco, codigo, padre, profundidad in objetivos[
            ["marco", "codigo", "codigo_padre", "profundidad"]].itertuples(index=False):
        assert (profundidad == 0) == (padre == "") and (not padre or (marco, padre) in vistos)
        vistos.add((marco, codigo))
    # Los marcos en el orden del libro: la hoja marcos antes que la articulación.
    assert list(pd.unique(objetivos["marco"])) == ["ODS", "PDES", "PEI"]


def test_una_operacion_sin_vinculo_se_lista_aparte():
    """Sin vínculo de su ACP ni suyo, una operación va en sin_vincular; con el de su ACP en
    cualquier marco, no."""
    datos = cargar_datos(LIBROS["muestra"])
    acp = datos.operaciones["codigo_acp"].iloc[0]
    datos.articulacion = datos.articulacion[datos.articulacion["codigo_acp"] != acp]
    datos.vinculos = datos.vinculos[datos.vinculos["codigo_acp"] != acp]
    sin = tablas_de_objetivos(_parametros(2, "vinculos"), datos)["sin_vincular"]
    en_vigor = version_al_corte(datos, 6).operaciones
    en_la_acp = en_vigor.loc[en_vigor["codigo_acp"] == acp, "codigo_operacion"]
    vinculadas = set(datos.vinculos["codigo_operacion"])
    assert set(sin["codigo_operacion"]) == set(en_la_acp) - vinculadas
    assert not sin.empty


# -- Los informes (lento) -------------------------------------------------------------------

def _texto_del_pdf(carpeta: Path) -> str:
    return " ".join(texto_pdf.texto(carpeta / "informe.pdf").split())


def _sin_cortes(texto: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010]", "", texto)


@pytest.mark.lento
def test_el_informe_por_objetivo_de_la_muestra(informes_muestra):
    """Un apartado por marco, cada objetivo con su código y su nombre, lo que le aporta, sus
    cifras y lo que escribieron las unidades de sus ACP; las tablas son las del cálculo."""
    from helpers.comun.numeros import formatear_porcentaje
    from helpers.entrada.parametros import cargar_parametros
    from helpers.redaccion.objetivos import ROTULO_CUADRO, regla

    carpeta = informes_muestra["2024-objetivos.yaml"]
    texto = _texto_del_pdf(carpeta)
    parametros = cargar_parametros(RAIZ / "params" / "2024-objetivos.yaml")
    datos = cargar_datos(parametros.ruta_datos)
    tablas = tablas_de_objetivos(parametros, datos)
    objetivos = tablas["objetivos"]
    rotulo = ROTULO_CUADRO.strip("*")
    for marco in pd.unique(objetivos["marco"]):
        assert f"{marco}: {rotulo}" in texto, marco
    for fila in objetivos.itertuples():
        assert _sin_cortes(f"{fila.codigo} {fila.nombre}") in _sin_cortes(texto), fila.codigo
        if pd.notna(fila.eficacia_acumulada):
            assert formatear_porcentaje(fila.eficacia_acumulada) in texto, fila.codigo
    en_la_regla = regla(parametros.metodologia).count("ACP vinculadas:")
    con_acp = tablas["aportes"].query("tipo == 'acp'").groupby(["marco", "codigo"]).ngroups
    assert texto.count("ACP vinculadas:") - en_la_regla == con_acp
    vinculadas = set(tablas["aportes"]["codigo_acp"])
    narrativa = datos.narrativa[(datos.narrativa["trimestre"] == parametros.trimestre)
                                & datos.narrativa["codigo_acp"].isin(vinculadas)
                                & datos.narrativa["tipo"].isin(["logro", "dificultad"])]
    assert len(narrativa)
    # Sin espacios ni guiones: el PDF parte las palabras largas al final de la línea.
    compacto = _sin_cortes(texto)
    for frase in narrativa["texto"]:
        assert _sin_cortes(frase) in compacto
    guardada = pd.read_csv(carpeta / "tablas" / "objetivos.csv", dtype={"codigo": str,
                                                                         "codigo_padre": str})
    assert list(guardada["codigo"]) == list(objetivos["codigo"])
    assert guardada["eficacia_acumulada"].tolist() == pytest.approx(
        objetivos["eficacia_acumulada"].tolist(), nan_ok=True)


@pytest.mark.lento
@pytest.mark.parametrize("nombre", SIN_MARCOS)
def test_sin_marcos_ni_vinculos_los_informes_son_los_de_antes(nombre):
    """Una copia del libro de la muestra sin las hojas marcos y vinculos da el informe
    trimestral y la rendición de antes de esas hojas (su huella guardada, la de los informes
    anteriores a la issue de los marcos): las hojas nuevas sólo alimentan el informe por
    objetivo y la vista por objetivo de la rendición."""
    guardada = json.loads(ARCHIVO.read_text(encoding="utf-8"))["sin_marcos"][nombre]
    assert diferencias(guardada, huella_sin_marcos(nombre)) == []


def test_el_trimestral_no_cambia_con_los_marcos():
    """El informe trimestral de la muestra, con sus hojas marcos y vinculos, es el mismo que
    sin ellas (las dos huellas guardadas)."""
    guardadas = json.loads(ARCHIVO.read_text(encoding="utf-8"))
    assert guardadas["informes"]["2024-T2.yaml"] == guardadas["sin_marcos"]["2024-T2.yaml"]


# -- El anexo, recalculado en LibreOffice (lento) --------------------------------------------

# Hoja de la cadena → (tabla del informe, columna de la hoja (encabezado) → de la tabla).
def _columnas_del_anexo(trimestre: int) -> dict[str, tuple[str, dict[str, str]]]:
    t = f"T{trimestre}"
    fisicas = {f"Avance físico {t} (%)": "avance_fisico_trimestre",
               "Avance físico acumulado (%)": "avance_fisico_acumulado",
               f"Eficacia {t} (%)": "eficacia_trimestre",
               "Eficacia acumulada (%)": "eficacia_acumulada"}
    montos = {"Vigente (Bs)": "vigente", f"Devengado {t} (Bs)": "devengado_trimestre",
              "Devengado acumulado (Bs)": "devengado_acumulado"}
    return {
        "vinculos": ("aportes", {**fisicas, **montos, "Vigente propio (Bs)": "vigente_propio",
                                 "Ponderador": "ponderador",
                                 "Parte del presupuesto de la ACP": "parte"}),
        "por_objetivo": ("objetivos", {**fisicas, **montos, "Vínculos": "vinculos",
                                       f"Ejecución {t} (%)": "ejecucion_trimestre",
                                       "Ejecución acumulada (%)": "ejecucion_acumulada"}),
    }


@pytest.mark.lento
def test_el_anexo_recalcula_cada_cifra_por_objetivo(tmp_path):
    """Las hojas vinculos y por_objetivo del anexo rehacen con fórmulas, desde las hojas de
    la cadena (acps, operaciones, presupuesto), cada cifra de las tablas aportes y
    objetivos: LibreOffice las calcula y cada celda es la de la tabla, en las dos muestras
    (la departamental con la ponderación por presupuesto y participación programada)."""
    from test_anexo_recalculo import celdas, iguales, recalcular

    from helpers.salida.anexo import escribir_anexo

    casos = {"muestra": ("vinculos", {}),
             "departamental": ("presupuesto", {"participacion": "programada"})}
    escritos, tablas_de = [], {}
    for nombre, (ponderacion, reglas) in casos.items():
        datos = cargar_datos(LIBROS[nombre])
        metodologia = Metodologia(ponderacion_objetivos=ponderacion, **reglas)
        parametros = _parametros(3, ponderacion)
        parametros.metodologia = metodologia
        tablas = tablas_de_objetivos(parametros, datos)
        ruta = escribir_anexo(tablas, tmp_path / f"{nombre}.xlsx", datos=datos, trimestre=3,
                              metodologia=metodologia)
        escritos.append(ruta)
        tablas_de[nombre] = tablas
    recalcular(escritos, tmp_path / "recalculados")
    for nombre, tablas in tablas_de.items():
        hojas = celdas(tmp_path / "recalculados" / f"{nombre}.xlsx", valores=True)
        formulas = celdas(tmp_path / f"{nombre}.xlsx", valores=False)
        comparadas = 0
        for hoja, (tabla, columnas) in _columnas_del_anexo(3).items():
            encabezado, *filas = hojas[hoja]
            esperada = tablas[tabla].reset_index(drop=True)
            assert len(filas) == len(esperada), (nombre, hoja)
            for titulo, columna in columnas.items():
                j = encabezado.index(titulo)
                assert all(f[j] is not None for f in formulas[hoja][1:]), (hoja, titulo)
                for i, fila in enumerate(filas):
                    assert iguales(fila[j], esperada.at[i, columna]), (
                        nombre, hoja, titulo, i + 2, fila[j], esperada.at[i, columna])
                    comparadas += 1
        # Cada cifra de cada fila de las dos hojas.
        assert comparadas == sum(len(tablas[t]) * len(c)
                                 for t, c in _columnas_del_anexo(3).values())


def test_sin_nada_vinculado_el_informe_por_objetivo_es_un_error_de_entrada(tmp_path):
    """Un libro sin articulacion ni vinculos no tiene objetivos que mostrar: error de
    entrada (código 2) que dice qué hojas llenar; el trimestral del mismo libro sigue."""
    import fabrica

    from helpers.entrada.errores import ErrorDeEntrada
    from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos

    tablas = fabrica.tablas_pequenas()
    del tablas["articulacion"]
    libro = fabrica.escribir_libro(tmp_path / fabrica.NOMBRE_LIBRO, tablas)
    datos = cargar_datos(libro)
    for informe in ("objetivos", "trimestral"):
        ruta = fabrica.escribir_params(tmp_path / f"{informe}.yaml", libro, informe=informe)
        parametros = cargar_parametros(ruta, raiz=tmp_path)
        if informe == "trimestral":
            comprobar_con_datos(parametros, datos, ruta.name)
            continue
        with pytest.raises(ErrorDeEntrada) as error:
            comprobar_con_datos(parametros, datos, ruta.name)
        (problema,) = error.value.problemas
        assert problema.hoja == "vinculos" and "articulacion" in problema.mensaje
