"""Reexpresiones (helpers.calculo.reexpresiones): las cifras de un informe publicado que cambiaron.

Los informes «publicados» se arman sin correr el informe completo: las tablas de
`calcular_tablas` escritas con `escribir_tablas` y un manifiesto con los parámetros. Los
cambios se hacen en una copia del libro real (o del pequeño de `fabrica`) y lo que se espera
se calcula aparte: las tablas de antes y de después, comparadas tal como se imprimen
(`formatear_numero`), y los montos de la celda corregida.
"""
from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import fabrica
import openpyxl
import pandas as pd
import pytest

from helpers.calculo.reexpresiones import (
    CLAVES,
    COLUMNAS,
    TEXTOS_IMPRESOS,
    comparar,
    copiar_informe_anterior,
    leer_informe_anterior,
    reexpresiones,
)
from helpers.calculo.tablas import calcular_tablas
from helpers.comun.numeros import formatear_numero
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import Parametros, cargar_parametros
from helpers.salida.tablas_csv import escribir_tablas

REPO = Path(__file__).resolve().parents[1]
LIBRO = REPO / "data" / "2024" / "poa_2024.xlsx"
ARCHIVO = "2024-T2.yaml"
# Lo que no depende de la ejecución física, y lo que no depende del devengado.
FINANCIEROS = {"vigente", "devengado_trimestre", "devengado_acumulado", "ejecucion_trimestre",
               "ejecucion_acumulada", "saldo", "semaforo", "devengado", "ejecucion"}
FISICOS = {"avance_fisico_trimestre", "avance_fisico_acumulado", "eficacia_trimestre",
           "eficacia_acumulada", "calificacion_trimestre", "calificacion_acumulada",
           "avance_fisico", "eficacia", "tareas", "prog_trimestre", "ejec_trimestre",
           "cumplimiento_trimestre", "cumplimiento_sin_tope_trimestre", "prog_acumulado",
           "ejec_acumulado", "cumplimiento_acumulado", "cumplimiento_sin_tope_acumulado"}


def publicar(carpeta: Path, parametros: Parametros, datos) -> dict[str, pd.DataFrame]:
    """Lo que deja un informe publicado y lee `leer_informe_anterior`; devuelve las tablas."""
    tablas = calcular_tablas(datos, parametros.trimestre_corte, parametros.metodologia,
                             gestion=parametros.gestion)
    escribir_tablas(tablas, carpeta / "tablas")
    escribir_manifiesto(carpeta, parametros)
    return tablas


def escribir_manifiesto(carpeta: Path, parametros: Parametros) -> None:
    carpeta.mkdir(parents=True, exist_ok=True)
    contenido = {"formato": 2, "parametros": parametros.model_dump(mode="json")}
    (carpeta / "manifiesto.json").write_text(json.dumps(contenido, indent=2), encoding="utf-8")


def corregir(origen: Path, destino: Path, hoja: str, elegir, columna: str, valor) -> Path:
    """Copia del libro con `columna` de la primera fila de `hoja` que cumple `elegir`
    (encabezado -> valor) cambiada a `valor(anterior)`."""
    libro = openpyxl.load_workbook(origen)
    filas = libro[hoja].iter_rows()
    encabezado = [c.value for c in next(filas)]
    for celdas in filas:
        if elegir(dict(zip(encabezado, (c.value for c in celdas)))):
            celda = celdas[encabezado.index(columna)]
            celda.value = valor(celda.value)
            libro.save(destino)
            return destino
    raise AssertionError(f"ninguna fila de {hoja} sirve para la prueba")


def legible(claves, fila) -> str:
    """La clave como la escribe el listado: sus partes no vacías, separadas por « · »."""
    partes = (f"mes {fila[c]}" if c == "mes" else str(fila[c]) for c in claves)
    return " · ".join(p for p in partes if p)


def impreso(valor) -> str:
    return valor if isinstance(valor, str) else formatear_numero(valor)


def indicadores(tabla: pd.DataFrame, claves) -> list[str]:
    """Las cifras impresas de una tabla: sus números (no las claves) y sus calificaciones."""
    return [c for c in tabla.columns if c not in claves and (
        c in TEXTOS_IMPRESOS or (pd.api.types.is_numeric_dtype(tabla[c])
                                 and not pd.api.types.is_bool_dtype(tabla[c])))]


def esperado(viejas, nuevas) -> dict[tuple[str, str, str], tuple]:
    """(tabla, clave, indicador) -> (publicado, nuevo) de cada cifra que se imprime distinta,
    para tablas con las mismas filas."""
    cambios = {}
    for nombre, claves in CLAVES.items():
        antes, ahora = viejas[nombre].to_dict("records"), nuevas[nombre].to_dict("records")
        assert [legible(claves, f) for f in antes] == [legible(claves, f) for f in ahora]
        for a, b in zip(antes, ahora):
            for c in indicadores(nuevas[nombre], claves):
                if impreso(a[c]) != impreso(b[c]):
                    cambios[(nombre, legible(claves, a), c)] = (a[c], b[c])
    return cambios


def listado(resultado: pd.DataFrame) -> dict[tuple[str, str, str], tuple]:
    filas = resultado.to_dict("records")
    claves = [(f["tabla"], f["clave"], f["indicador"]) for f in filas]
    assert len(set(claves)) == len(claves)
    return {k: (f["publicado"], f["nuevo"]) for k, f in zip(claves, filas)}


def iguales(a, b) -> bool:
    vacio = [isinstance(x, float) and math.isnan(x) for x in (a, b)]
    return vacio[0] and vacio[1] or (not any(vacio) and a == b)


def comprobar(resultado: pd.DataFrame, cambios: dict) -> None:
    """El listado dice exactamente `cambios`, con valores exactos, en el orden prometido."""
    assert list(resultado.columns) == COLUMNAS
    obtenido = listado(resultado)
    assert set(obtenido) == set(cambios)
    for clave, (publicado, nuevo) in cambios.items():
        assert iguales(obtenido[clave][0], publicado), clave
        assert iguales(obtenido[clave][1], nuevo), clave
    orden = [list(CLAVES).index(t) for t in resultado["tabla"]]
    assert orden == sorted(orden)
    for f in resultado.to_dict("records"):
        numeros = all(isinstance(f[c], float) for c in ("publicado", "nuevo"))
        assert iguales(f["diferencia"], f["nuevo"] - f["publicado"] if numeros else math.nan)


# --------------------------------------------------------------------------------------
# El libro real: T1 publicado, T2 que se genera


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    datos = cargar_datos(LIBRO)
    t1 = cargar_parametros(REPO / "params" / "2024-T1.yaml")
    carpeta = tmp_path_factory.mktemp("publicados") / "2024-T1"
    return SimpleNamespace(
        datos=datos, t1=t1, t2=cargar_parametros(REPO / "params" / ARCHIVO),
        carpeta=carpeta, tablas=publicar(carpeta, t1, datos),
    )


def test_sin_cambios_no_lista_nada(real):
    anterior = leer_informe_anterior(real.carpeta, real.t2, ARCHIVO)
    assert anterior.etiqueta == "2024-T1"
    assert anterior.parametros == real.t1
    resultado = reexpresiones(anterior, real.datos)
    assert resultado.empty and list(resultado.columns) == COLUMNAS


def test_las_tablas_publicadas_se_leen_exactas(real):
    tablas = leer_informe_anterior(real.carpeta, real.t2, ARCHIVO).tablas
    assert set(tablas) == set(real.tablas)
    for nombre, claves in CLAVES.items():
        leida, calculada = tablas[nombre], real.tablas[nombre]
        assert list(leida.columns) == list(calculada.columns)
        for c in claves:  # texto, como se publicó ("1", no 1)
            assert leida[c].tolist() == calculada[c].astype(str).tolist()
        for c in calculada.columns:
            if pd.api.types.is_float_dtype(calculada[c]):  # bit a bit, vacíos incluidos
                assert leida[c].equals(calculada[c]), (nombre, c)


def test_devengado_corregido_de_un_mes_publicado(real, tmp_path):
    linea = real.datos.presupuesto.iloc[0]
    delta = 12345.67
    libro = corregir(
        LIBRO, tmp_path / "poa.xlsx", "presupuesto",
        lambda f: (f["categoria_programatica"], f["fuente"])
        == (linea["categoria_programatica"], linea["fuente"]),
        "dev_02", lambda v: float(v or 0) + delta,
    )
    datos = cargar_datos(libro)
    nuevas = calcular_tablas(datos, 1, real.t1.metodologia, gestion=2024)
    resultado = reexpresiones(leer_informe_anterior(real.carpeta, real.t2, ARCHIVO), datos)

    comprobar(resultado, esperado(real.tablas, nuevas))
    # Las filas que suman esa línea, y sólo ellas; ninguna cifra física.
    unidad = real.datos.unidades.set_index("codigo_unidad").loc[linea["codigo_unidad"]]
    area, servicio = f"{unidad['area']} · area", f"{unidad['servicio']} · servicio"
    assert set(zip(resultado["tabla"], resultado["clave"])) == {
        ("acp", linea["codigo_acp"]), ("acp", "TOTAL"),
        ("area", area), ("area", servicio), ("area", "TOTAL · entidad"),
        ("unidad", linea["codigo_unidad"]),
        ("categoria", legible(CLAVES["categoria"], linea)), ("categoria", "TOTAL"),
        ("fuente", linea["fuente"]), ("fuente", "TOTAL"),
        ("mensual", f"{area} · mes 2"), ("mensual", f"{servicio} · mes 2"),
        ("mensual", "TOTAL · entidad · mes 2"),
    }
    assert not set(resultado["indicador"]) & FISICOS
    fila = resultado.set_index(["tabla", "clave", "indicador"]).loc[
        ("unidad", linea["codigo_unidad"], "devengado_trimestre")]
    publicada = real.tablas["unidad"].set_index("codigo_unidad").loc[linea["codigo_unidad"]]
    assert fila["publicado"] == publicada["devengado_trimestre"]
    assert fila["diferencia"] == pytest.approx(delta)


def test_ejecutado_corregido_de_un_mes_publicado(real, tmp_path):
    ops = real.datos.operaciones
    op = ops[(ops["prog_02"] > 0) & (ops["ejec_02"] > 0)].iloc[0]
    libro = corregir(LIBRO, tmp_path / "poa.xlsx", "operaciones",
                     lambda f: f["codigo_operacion"] == op["codigo_operacion"],
                     "ejec_02", lambda v: 0)
    datos = cargar_datos(libro)
    nuevas = calcular_tablas(datos, 1, real.t1.metodologia, gestion=2024)
    resultado = reexpresiones(leer_informe_anterior(real.carpeta, real.t2, ARCHIVO), datos)

    comprobar(resultado, esperado(real.tablas, nuevas))
    unidad = real.datos.unidades.set_index("codigo_unidad").loc[op["codigo_unidad"]]
    niveles = [f"{unidad['area']} · area", f"{unidad['servicio']} · servicio", "TOTAL · entidad"]
    posibles = {("operacion", op["codigo_operacion"]), ("unidad", op["codigo_unidad"]),
                ("acp", op["codigo_acp"]), ("acp", "TOTAL"),
                *(("area", n) for n in niveles),
                *(("mensual", f"{n} · mes {mes}") for n in niveles for mes in (1, 2, 3))}
    assert set(zip(resultado["tabla"], resultado["clave"])) <= posibles
    assert not set(resultado["indicador"]) & FINANCIEROS
    fila = resultado.set_index(["tabla", "clave", "indicador"]).loc[
        ("operacion", op["codigo_operacion"], "ejec_trimestre")]
    assert fila["diferencia"] == pytest.approx(-op["ejec_02"])


# --------------------------------------------------------------------------------------
# Filas que sólo están de un lado, códigos hostiles (libro pequeño)


def parametros_pequenos(libro: Path, trimestre: int) -> Parametros:
    return Parametros(**{**fabrica.PARAMS_BASE, "trimestre": trimestre, "datos": str(libro)})


def test_operacion_agregada_y_quitada(tmp_path):
    t1 = parametros_pequenos(tmp_path / "a.xlsx", 1)
    viejas = publicar(tmp_path / "T1", t1,
                      cargar_datos(fabrica.escribir_libro_pequeno(tmp_path / "a.xlsx")))
    tablas = fabrica.tablas_pequenas()
    ops = tablas["operaciones"]
    quitada = ops.pop(2)[0]  # OP-02; su unidad sigue con OP-01
    agregada = f"{ops[-1][0]}-BIS"
    ops.append([agregada, *ops[-1][1:]])
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "b.xlsx", tablas))
    nuevas = calcular_tablas(datos, 1, t1.metodologia, gestion=2024)

    anterior = leer_informe_anterior(tmp_path / "T1", parametros_pequenos(tmp_path, 2), "p.yaml")
    resultado = reexpresiones(anterior, datos)
    operaciones = resultado[resultado["tabla"] == "operacion"]

    def cifras(tabla, codigo):
        fila = tabla.set_index("codigo_operacion").loc[codigo]
        return {c: fila[c] for c in indicadores(tabla, CLAVES["operacion"])
                if impreso(fila[c]) != "—"}

    antes, despues = cifras(viejas["operacion"], quitada), cifras(nuevas["operacion"], agregada)
    comprobar(operaciones, {
        **{("operacion", quitada, f"{c} (fila quitada)"): (v, math.nan) for c, v in antes.items()},
        **{("operacion", agregada, f"{c} (fila nueva)"): (math.nan, v) for c, v in despues.items()},
    })
    assert operaciones["clave"].tolist() == [quitada] * len(antes) + [agregada] * len(despues)


CODIGOS = ["=OP-01", "-OP-02", "'=OP-03", "'OP-04", "@OP-05", "''+OP-06", "007", "NA"]


def test_codigos_hostiles_vuelven_del_csv_como_clave(tmp_path):
    tablas = fabrica.tablas_pequenas()
    for fila in (f for filas in tablas.values() for f in filas[1:]):
        for j, valor in enumerate(fila):
            if isinstance(valor, str) and valor in fabrica.CODIGOS_HOSTILES:
                fila[j] = fabrica.CODIGOS_HOSTILES[valor]
    for fila, codigo in zip(tablas["operaciones"][1:], CODIGOS, strict=True):
        fila[0] = codigo
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "h.xlsx", tablas, formulas=False))
    assert datos.operaciones["codigo_operacion"].tolist() == CODIGOS
    t1 = parametros_pequenos(tmp_path / "h.xlsx", 1)
    publicar(tmp_path / "T1", t1, datos)
    texto = (tmp_path / "T1" / "tablas" / "operacion.csv").read_text(encoding="utf-8")
    assert "\n'=OP-01," in texto and "\n'''+OP-06," in texto  # ninguna empieza como fórmula

    anterior = leer_informe_anterior(tmp_path / "T1", parametros_pequenos(tmp_path, 2), "p.yaml")
    assert anterior.tablas["operacion"]["codigo_operacion"].tolist() == CODIGOS
    assert (anterior.tablas["unidad"]["codigo_unidad"].tolist()
            == datos.unidades["codigo_unidad"].tolist())
    assert reexpresiones(anterior, datos).empty


def test_comparar_claves_repetidas_y_tabla_vacia():
    publicada = pd.DataFrame({"fuente": ["10 TGN", "10 TGN"], "vigente": [1.0, 2.0]})
    recalculada = pd.DataFrame({"fuente": ["10 TGN", "10 TGN"], "vigente": [1.0, 3.0]})
    resultado = comparar({"fuente": publicada}, {"fuente": recalculada})
    assert listado(resultado) == {("fuente", "10 TGN (repetida 2)", "vigente"): (2.0, 3.0)}
    vacia = pd.DataFrame(columns=publicada.columns)
    assert comparar({"fuente": vacia}, {"fuente": vacia}).empty


def test_redondeo_impreso_y_vacios():
    publicada = pd.DataFrame({"fuente": ["a", "b", "c", "d"], "vigente": [1.004, 1.0, None, 7.0],
                              "semaforo": ["verde", None, "rojo", "rojo"]})
    recalculada = publicada.assign(vigente=[1.0049, None, 2.0, 7.0],
                                   semaforo=["verde", "rojo", "rojo", "amarillo"])
    assert set(listado(comparar({"fuente": publicada}, {"fuente": recalculada}))) == {
        ("fuente", "b", "vigente"), ("fuente", "b", "semaforo"),
        ("fuente", "c", "vigente"), ("fuente", "d", "semaforo"),
    }


# --------------------------------------------------------------------------------------
# Errores y copia


def copia(real, tmp_path: Path) -> Path:
    return copiar_informe_anterior(real.carpeta, tmp_path / "copia")


def error(carpeta: Path, actual: Parametros) -> str:
    with pytest.raises(ErrorDeEntrada) as info:
        leer_informe_anterior(carpeta, actual, ARCHIVO)
    for p in info.value.problemas:
        assert (p.archivo, p.columna) == (ARCHIVO, "informe_anterior")
    assert f"{ARCHIVO}, clave informe_anterior: " in str(info.value)
    return " | ".join(p.mensaje for p in info.value.problemas)


def test_carpeta_que_no_existe_o_no_es_carpeta(real, tmp_path):
    assert error(tmp_path / "no-existe", real.t2) == (
        f"la carpeta del informe anterior {tmp_path / 'no-existe'} no existe")
    (tmp_path / "archivo").write_text("x")
    assert error(tmp_path / "archivo", real.t2).endswith("no es una carpeta")


@pytest.mark.parametrize(
    "manifiesto", [None, "{", '{"formato": 2}', '{"parametros": {"gestion": 2024}}'])
def test_sin_manifiesto_legible(real, tmp_path, manifiesto):
    carpeta = copia(real, tmp_path)
    if manifiesto is None:
        (carpeta / "manifiesto.json").unlink()
    else:
        (carpeta / "manifiesto.json").write_text(manifiesto, encoding="utf-8")
    assert error(carpeta, real.t2) == (
        f"{carpeta} no es la carpeta de un informe generado: no tiene un manifiesto.json "
        "legible con los parámetros del informe")


def test_otra_gestion(real, tmp_path):
    carpeta = copia(real, tmp_path)
    escribir_manifiesto(carpeta, real.t1.model_copy(update={"gestion": 2023}))
    assert error(carpeta, real.t2) == (
        f"el informe anterior (2023-T1, en {carpeta}) es de la gestión 2023; debe ser de la "
        "misma gestión que este informe (2024)")


@pytest.mark.parametrize("publicado, actual", [(2, 1), (1, 1)])
def test_corte_que_no_es_anterior(real, tmp_path, publicado, actual):
    carpeta = copia(real, tmp_path)
    escribir_manifiesto(carpeta, real.t1.model_copy(update={"trimestre": publicado}))
    assert error(carpeta, real.t1.model_copy(update={"trimestre": actual})) == (
        f"el informe anterior (2024-T{publicado}, en {carpeta}) tiene corte en el trimestre "
        f"{publicado}, que no es anterior al de este informe (2024-T{actual}, trimestre "
        f"{actual})")


def test_faltan_tablas(real, tmp_path):
    carpeta = copia(real, tmp_path)
    (carpeta / "tablas" / "mensual.csv").unlink()
    assert error(carpeta, real.t2) == (
        f"el informe anterior (2024-T1, en {carpeta}) no tiene tablas/mensual.csv")


def test_copia_solo_manifiesto_y_tablas_y_se_lee_igual(real, tmp_path):
    origen = tmp_path / "2024-T1"
    shutil.copytree(real.carpeta, origen)
    (origen / "informe.html").write_text("<html></html>", encoding="utf-8")
    (origen / "notebooks").mkdir()
    (origen / "notebooks" / "00_portada.ipynb").write_text("{}", encoding="utf-8")
    destino = copiar_informe_anterior(origen, tmp_path / "nuevo" / "informe_anterior")
    assert sorted(p.relative_to(destino).as_posix() for p in destino.rglob("*") if p.is_file()) == [
        "manifiesto.json", *sorted(f"tablas/{n}.csv" for n in real.tablas)]
    assert copiar_informe_anterior(destino, destino) == destino  # sobre sí misma, nada

    original = leer_informe_anterior(origen, real.t2, ARCHIVO)
    copiado = leer_informe_anterior(destino, real.t2, ARCHIVO)
    assert (copiado.parametros, copiado.etiqueta) == (original.parametros, original.etiqueta)
    for nombre, tabla in original.tablas.items():
        pd.testing.assert_frame_equal(copiado.tablas[nombre], tabla)
