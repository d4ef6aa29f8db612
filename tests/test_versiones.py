"""La versión del POA en vigor en cada corte (`helpers.calculo.versiones`).

El POA pequeño de `fabrica` con su historia (`fabrica.con_historia`): una reformulación en
mayo (alta de OP-09, meta de marzo de OP-01 movida a abril, tareas de OP-03), otra en agosto
(baja de OP-08) y el presupuesto movido en mayo de la ACP 1 a la ACP 2. Las cifras
esperadas salen de las tablas de `fabrica`, nunca escritas a mano.
"""
from __future__ import annotations

import fabrica
import pandas as pd
import pytest

from helpers.calculo import versiones as v
from helpers.calculo.tablas import calcular_tablas
from helpers.entrada.contrato import COLUMNAS_CONTRATO
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import Metodologia


@pytest.fixture(scope="module")
def libro(tmp_path_factory):
    ruta = tmp_path_factory.mktemp("historia") / "poa.xlsx"
    return cargar_datos(fabrica.escribir_libro(ruta, fabrica.con_historia(fabrica.TABLAS)))


@pytest.fixture(scope="module")
def libro_sin_historia(tmp_path_factory):
    return cargar_datos(fabrica.escribir_libro_pequeno(tmp_path_factory.mktemp("sin")))


def _reformulaciones() -> pd.DataFrame:
    filas = fabrica.REFORMULACIONES
    return pd.DataFrame(filas[1:], columns=filas[0])


def _mes(fecha: str) -> int:
    return pd.Timestamp(pd.to_datetime(fecha, dayfirst="/" in fecha)).month


def _tablas(datos, trimestre: int) -> dict[str, pd.DataFrame]:
    return calcular_tablas(datos, trimestre, Metodologia(), gestion=None)


# --- El presupuesto en vigor ----------------------------------------------------------


def _vigente_esperado(linea: int, mes: int) -> float:
    """El vigente de una línea de `fabrica.PRESUPUESTO` al cierre de `mes`: el último
    vig_ escrito hasta ese mes o, antes, el inicial."""
    inicial, *meses = fabrica.HISTORIA_PRESUPUESTO[linea]
    escritos = [monto for monto in meses[:mes] if monto is not None]
    return escritos[-1] if escritos else inicial


@pytest.mark.parametrize("mes", range(0, 13))
def test_el_vigente_de_cada_linea_es_el_del_cierre_del_mes(libro, mes):
    vigente = v.vigente_al_mes(libro.presupuesto, mes)
    esperado = [_vigente_esperado(i, mes) for i in range(len(fabrica.HISTORIA_PRESUPUESTO))]
    assert vigente.tolist() == esperado


def test_sin_historia_el_vigente_es_el_de_la_hoja_todo_el_anio(libro_sin_historia):
    pres = libro_sin_historia.presupuesto
    assert not v.tiene_versiones(libro_sin_historia)
    for mes in range(0, 13):
        assert v.vigente_al_mes(pres, mes).tolist() == pres["vigente"].tolist()


def test_el_presupuesto_movido_entre_acp_cambia_el_vigente_de_cada_acp(libro):
    """En mayo pasan fondos de la ACP 1 a la ACP 2: el T1 evalúa con el inicial y el T2
    con lo movido; el total de la entidad no cambia."""
    pres = libro.presupuesto
    for trimestre in (1, 2):
        acp = _tablas(libro, trimestre)["acp"].set_index("codigo_acp")
        esperado = v.vigente_al_mes(pres, 3 * trimestre).groupby(pres["codigo_acp"]).sum()
        for codigo, monto in esperado.items():
            assert acp.at[codigo, "vigente"] == pytest.approx(monto)
    t1 = _tablas(libro, 1)["acp"].set_index("codigo_acp")["vigente"]
    t2 = _tablas(libro, 2)["acp"].set_index("codigo_acp")["vigente"]
    assert t1.drop("TOTAL").sum() == pytest.approx(t2.drop("TOTAL").sum())
    assert (t1 != t2).sum() >= 2  # dos ACP cambiaron


def test_la_ejecucion_del_corte_usa_el_vigente_de_ese_mes(libro):
    pres = libro.presupuesto
    for trimestre in (1, 2, 3, 4):
        cat = _tablas(libro, trimestre)["categoria"]
        total = cat[cat["categoria_programatica"] == "TOTAL"].iloc[0]
        vigente = v.vigente_al_mes(pres, 3 * trimestre).sum()
        assert total["vigente"] == pytest.approx(vigente)
        assert total["ejecucion_acumulada"] == pytest.approx(
            100 * total["devengado_acumulado"] / vigente)


# --- Las operaciones en vigor -----------------------------------------------------------


def _codigos(datos, trimestre) -> set[str]:
    return set(_tablas(datos, trimestre)["operacion"]["codigo_operacion"])


def test_una_operacion_dada_de_alta_entra_desde_el_mes_de_su_reformulacion(libro):
    ref = _reformulaciones()
    alta = ref[ref["cambio"] == "alta"].iloc[0]
    mes = _mes(alta["fecha"])
    for trimestre in (1, 2, 3, 4):
        assert (alta["codigo_operacion"] in _codigos(libro, trimestre)) == (3 * trimestre >= mes)


def test_una_operacion_dada_de_baja_a_mitad_de_anio_sale_desde_ese_corte(libro):
    ref = _reformulaciones()
    baja = ref[ref["cambio"] == "baja"].iloc[0]
    mes = _mes(baja["fecha"])
    for trimestre in (1, 2, 3, 4):
        presente = baja["codigo_operacion"] in _codigos(libro, trimestre)
        assert presente == (3 * trimestre < mes)


def test_una_reprogramacion_rige_desde_su_corte_y_antes_vale_lo_anterior(libro):
    """OP-01: la meta de marzo se movió a abril en mayo. El T1 (marzo) evalúa con la meta
    anterior; el T2, con la nueva (la de la hoja)."""
    ref = _reformulaciones()
    cambios = ref[(ref["cambio"] == "programacion")]
    mes_ref = _mes(cambios["fecha"].iloc[0])
    hoja = libro.operaciones.set_index("codigo_operacion")
    for trimestre in (1, 2):
        ops = v.version_al_corte(libro, 3 * trimestre).operaciones.set_index(
            "codigo_operacion")
        for c in cambios.itertuples():
            columna = f"prog_{int(c.mes):02d}"
            esperado = c.anterior if 3 * trimestre < mes_ref else c.nuevo
            assert ops.at[c.codigo_operacion, columna] == esperado
            assert hoja.at[c.codigo_operacion, columna] == c.nuevo
    # Y la tabla del T1 lo usa: lo programado de OP-01 en el trimestre es el de entonces.
    op = _tablas(libro, 1)["operacion"].set_index("codigo_operacion").loc["OP-01"]
    antes = {int(c.mes): c.anterior for c in cambios.itertuples()
             if c.codigo_operacion == "OP-01"}
    prog = [antes.get(m, hoja.at["OP-01", f"prog_{m:02d}"]) for m in (1, 2, 3)]
    assert op["prog_trimestre"] == sum(prog)


def test_un_cambio_de_tareas_rige_desde_su_corte(libro):
    ref = _reformulaciones()
    cambio = ref[ref["cambio"] == "tareas"].iloc[0]
    for mes, esperado in ((_mes(cambio["fecha"]) - 1, cambio["anterior"]),
                          (_mes(cambio["fecha"]), cambio["nuevo"])):
        ops = v.version_al_corte(libro, mes).operaciones.set_index("codigo_operacion")
        assert ops.at[cambio["codigo_operacion"], "tareas"] == esperado


def test_la_version_vigente_es_la_ultima_reformulacion_aprobada(libro):
    ref = _reformulaciones()
    assert v.version_vigente(libro, _mes(ref["fecha"].iloc[0]) - 1) is None
    for fecha, grupo in ref.groupby("fecha", sort=False):
        version = v.version_vigente(libro, _mes(fecha))
        assert version["resolucion"] == grupo["resolucion"].iloc[0]
        assert version["numero"] == grupo["numero"].iloc[0]
    hasta = v.reformulaciones_hasta(libro, 12)
    assert hasta["numero"].tolist() == sorted(ref["numero"].unique().tolist())
    primera = hasta.iloc[0]
    del_primero = ref[ref["numero"] == primera["numero"]]
    assert primera["altas"] == (del_primero["cambio"] == "alta").sum()
    assert primera["reprogramadas"] == del_primero.loc[
        del_primero["cambio"].isin(["programacion", "tareas"]), "codigo_operacion"].nunique()


def test_la_version_se_calcula_siempre_desde_el_libro(libro):
    """La versión de diciembre ya no tiene OP-08; la de junio, pedida desde ella, sí."""
    diciembre = v.version_al_corte(libro, 12)
    junio = v.version_al_corte(diciembre, 6)
    assert junio.operaciones.equals(v.version_al_corte(libro, 6).operaciones)
    assert v.version_al_corte(junio, 6) is junio


# --- Un libro sin historia da lo mismo que antes ----------------------------------------


def test_un_libro_sin_las_columnas_nuevas_da_las_mismas_tablas(tmp_path, libro_sin_historia):
    """Las columnas inicial y vig_ vacías y una hoja reformulaciones sin filas no cambian
    ninguna cifra; la versión de cada corte es el libro tal cual."""
    tablas = fabrica.tablas_pequenas()
    pres = tablas["presupuesto"]
    pres[0] += ["inicial", *[f"vig_{m:02d}" for m in range(1, 13)]]
    for fila in pres[1:]:
        fila += [None] * 13
    tablas["reformulaciones"] = [COLUMNAS_CONTRATO["reformulaciones"]]
    vacias = cargar_datos(fabrica.escribir_libro(tmp_path / "vacias.xlsx", tablas))
    for trimestre in (1, 2, 3, 4):
        version = v.version_al_corte(libro_sin_historia, 3 * trimestre)
        assert version.operaciones.equals(libro_sin_historia.operaciones)
        assert version.presupuesto["vigente"].equals(libro_sin_historia.presupuesto["vigente"])
        antes, despues = _tablas(libro_sin_historia, trimestre), _tablas(vacias, trimestre)
        for nombre, tabla in antes.items():
            pd.testing.assert_frame_equal(tabla, despues[nombre], obj=nombre)


# --- Lo que la validación rechaza --------------------------------------------------------


def _problemas(tmp_path, cambiar) -> list[str]:
    tablas = fabrica.con_historia(fabrica.TABLAS)
    cambiar(tablas)
    with pytest.raises(ErrorDeEntrada) as exc:
        cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    return [str(p) for p in exc.value.problemas]


def _celda(tablas, hoja: str, fila: int, columna: str, valor) -> None:
    tablas[hoja][fila - 1][tablas[hoja][0].index(columna)] = valor


@pytest.mark.parametrize("columna, valor, fila, texto", [
    ("cambio", "modificar", 2, "no es un cambio válido"),
    ("codigo_operacion", "OP-99", 2, "'OP-99' no existe en la hoja operaciones"),
    ("fecha", "el 15 de mayo", 2, "no es una fecha"),
    ("mes", 13, 3, "no es un mes válido"),
    ("mes", None, 3, "necesita mes, anterior, nuevo"),
    ("numero", 0, 2, "no es un número de reformulación válido"),
    ("resolucion", "RM N° 999/2024", 3, "ya tiene resolucion 'RM N° 101/2024'"),
    ("nuevo", 11, 3, "no es el valor de prog_03 de 'OP-01' en la hoja operaciones"),
    ("anterior", 0, 5, "tareas debe ser un número entero mayor o igual a 1"),
])
def test_una_reformulacion_mal_escrita_se_informa_en_su_celda(tmp_path, columna, valor,
                                                              fila, texto):
    problemas = _problemas(tmp_path, lambda t: _celda(t, "reformulaciones", fila, columna,
                                                      valor))
    assert any(f"hoja reformulaciones, fila {fila}, columna {columna}" in p and texto in p
               for p in problemas), problemas


def test_un_cambio_que_no_encadena_con_el_anterior_se_informa(tmp_path):
    def dos_cambios(tablas):
        filas = tablas["reformulaciones"]
        encabezado = filas[0]
        # Una segunda reformulación de la meta de marzo de OP-01 que dice partir de 12, no
        # del 10 que dejó la primera.
        filas.append([3, "RM N° 200/2024", "2024-09-02", "OP-01", "programacion", 3, 12, 10,
                      None])
        assert len(filas[-1]) == len(encabezado)
    problemas = _problemas(tmp_path, dos_cambios)
    assert any("fila 7, columna anterior" in p and "no es el valor que dejó" in p
               for p in problemas), problemas


def test_una_operacion_con_dos_bajas_o_baja_antes_del_alta_se_informa(tmp_path):
    def baja_antes(tablas):
        tablas["reformulaciones"].append(
            [3, "RM N° 050/2024", "2024-02-01", "OP-09", "baja", None, None, None, None])
    problemas = _problemas(tmp_path, baja_antes)
    assert any("se da de baja antes de su alta" in p for p in problemas), problemas


def test_una_linea_con_vigentes_por_mes_necesita_inicial_y_un_vigente_coherente(tmp_path):
    def sin_inicial(tablas):
        _celda(tablas, "presupuesto", 2, "inicial", None)
        _celda(tablas, "presupuesto", 3, "vigente", 12345)
    problemas = _problemas(tmp_path, sin_inicial)
    assert any("fila 2, columna inicial" in p and "necesita el presupuesto inicial" in p
               for p in problemas), problemas
    assert any("fila 3, columna vigente" in p and "no es el último vigente mensual" in p
               for p in problemas), problemas


# --- Lo que cambió entre dos versiones --------------------------------------------------


def test_los_cambios_del_anio_son_los_de_la_hoja_reformulaciones(libro):
    ref = _reformulaciones()
    cambios = v.cambios_de_operaciones(libro, 0, 12)
    for clase, nombre in (("alta", "altas"), ("baja", "bajas")):
        filas = ref[ref["cambio"] == clase]
        assert sorted(cambios[nombre]["codigo_operacion"]) == sorted(filas["codigo_operacion"])
        assert cambios[nombre]["reformulacion"].tolist() == filas["numero"].tolist()
    reprog = ref[ref["cambio"].isin(["programacion", "tareas"])]
    assert sorted(cambios["reprogramadas"]["codigo_operacion"]) == sorted(
        reprog["codigo_operacion"].unique())
    op01 = cambios["reprogramadas"].set_index("codigo_operacion").loc["OP-01"]
    meses = reprog.loc[reprog["codigo_operacion"] == "OP-01", "mes"].astype(int)
    assert op01["meses"] == ",".join(str(m) for m in sorted(meses))
    # Mover una meta de un mes a otro no cambia la meta del año.
    assert op01["meta_anterior"] == op01["meta_nueva"]


def test_sin_reformulacion_entre_dos_cortes_no_hay_cambios(libro):
    """Entre el cierre de mayo y el de julio no se aprobó ninguna reformulación."""
    ref = _reformulaciones()
    meses = sorted({_mes(f) for f in ref["fecha"]})
    cambios = v.cambios_de_operaciones(libro, meses[0], meses[1] - 1)
    assert all(t.empty for t in cambios.values())


def test_el_presupuesto_movido_suma_cero_entre_acp_y_cuadra_por_area(libro):
    pres = libro.presupuesto
    movido = v.presupuesto_movido(libro, 0, 6, "codigo_acp")
    assert movido["diferencia"].sum() == pytest.approx(
        v.vigente_al_mes(pres, 6).sum() - v.inicial(pres).sum())
    assert len(movido) == 2 and (movido["diferencia"] != 0).all()
    por_area = v.presupuesto_movido(libro, 6, 12, "area")
    esperado = (v.vigente_al_mes(pres, 12) - v.vigente_al_mes(pres, 6)).groupby(
        pres["codigo_unidad"].map(libro.unidades.set_index("codigo_unidad")["area"])).sum()
    esperado = esperado[esperado != 0]
    assert dict(zip(por_area["area"], por_area["diferencia"])) == esperado.to_dict()


# --- El inicial y las modificaciones en las tablas financieras --------------------------


@pytest.mark.parametrize("trimestre", [1, 2, 4])
def test_las_tablas_financieras_dan_inicial_modificaciones_y_vigente(libro, trimestre):
    tablas = _tablas(libro, trimestre)
    pres = libro.presupuesto
    inicial, vigente = v.inicial(pres), v.vigente_al_mes(pres, 3 * trimestre)
    area_de = pres["codigo_unidad"].map(libro.unidades.set_index("codigo_unidad")["area"])
    servicio_de = pres["codigo_unidad"].map(
        libro.unidades.set_index("codigo_unidad")["servicio"])
    for nombre, clave, grupos in (("categoria", "categoria_programatica", None),
                                  ("fuente", "fuente", pres["fuente"]),
                                  ("acp", "codigo_acp", pres["codigo_acp"]),
                                  ("area", "area", area_de)):
        tabla = tablas[nombre]
        columnas = list(tabla.columns)
        assert columnas.index("inicial") + 2 == columnas.index("vigente") == columnas.index(
            "modificaciones") + 1, nombre
        assert (tabla["modificaciones"] == tabla["vigente"] - tabla["inicial"]).all(), nombre
        total = tabla[tabla[clave] == "TOTAL"].iloc[0]
        assert total["inicial"] == pytest.approx(inicial.sum()), nombre
        assert total["vigente"] == pytest.approx(vigente.sum()), nombre
        if grupos is not None:
            esperado = inicial.groupby(grupos.to_numpy()).sum()
            filas = tabla.set_index(clave)
            for codigo, monto in esperado.items():
                assert filas.at[codigo, "inicial"] == pytest.approx(monto), (nombre, codigo)
    servicios = tablas["area"].set_index("area")
    for servicio, monto in inicial.groupby(servicio_de.to_numpy()).sum().items():
        assert servicios.at[servicio, "inicial"] == pytest.approx(monto)


def test_sin_historia_las_tablas_no_tienen_inicial(libro_sin_historia):
    for nombre, tabla in _tablas(libro_sin_historia, 2).items():
        assert "inicial" not in tabla.columns and "modificaciones" not in tabla.columns, nombre


def test_la_frase_de_modificaciones_da_el_cambio_y_lo_movido(libro):
    from helpers.comun.numeros import formatear_monto
    from helpers.redaccion.textos import frase_modificaciones

    cat = _tablas(libro, 4)["categoria"]
    frase = frase_modificaciones(cat)
    pres = libro.presupuesto
    cambio = v.vigente_al_mes(pres, 12).sum() - v.inicial(pres).sum()
    lineas = (v.vigente_al_mes(pres, 12) - v.inicial(pres))
    assert formatear_monto(v.inicial(pres).sum()) in frase
    assert f"aumentaron en {formatear_monto(cambio)} Bs" in frase
    assert f"movieron {formatear_monto(-lineas[lineas < 0].sum())} Bs" in frase
    assert frase_modificaciones(cat.drop(columns=["inicial", "modificaciones"])) == ""


def test_una_reformulacion_de_otra_gestion_se_informa(tmp_path, libro):
    from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos

    params = cargar_parametros(fabrica.escribir_params(tmp_path / "p.yaml", tmp_path / "x.xlsx",
                                                       gestion=2025))
    with pytest.raises(ErrorDeEntrada) as exc:
        comprobar_con_datos(params, libro, "p.yaml")
    problemas = [str(p) for p in exc.value.problemas]
    assert len(problemas) == len(fabrica.REFORMULACIONES) - 1
    assert all("hoja reformulaciones" in p and "columna fecha" in p
               and "no es de la gestión 2025 de p.yaml" in p for p in problemas), problemas


def test_la_memoria_muestra_de_donde_sale_la_version(libro):
    """Para la memoria de cálculo: qué pasa con cada operación reformulada en un corte y de
    qué mes sale el vigente de cada línea."""
    ref = _reformulaciones()
    alta = ref[ref["cambio"] == "alta"].iloc[0]
    baja = ref[ref["cambio"] == "baja"].iloc[0]
    marzo = v.detalle_al_corte(libro, 3)
    estados = dict(zip(marzo["operaciones"]["codigo_operacion"],
                       marzo["operaciones"]["en_el_corte"]))
    assert set(estados) == set(ref["codigo_operacion"])
    assert estados[alta["codigo_operacion"]].startswith("fuera: su alta")
    assert estados[baja["codigo_operacion"]] == "tal como está en la hoja operaciones"
    assert "antes de un cambio" in estados["OP-01"]
    diciembre = v.detalle_al_corte(libro, 12)["operaciones"].set_index("codigo_operacion")
    assert diciembre.at[baja["codigo_operacion"], "en_el_corte"] == "fuera: dada de baja"
    pres = v.detalle_al_corte(libro, 6)["presupuesto"]
    assert pres["vigente_al_corte"].tolist() == v.vigente_al_mes(libro.presupuesto, 6).tolist()
    for fila, historia in zip(pres.itertuples(), fabrica.HISTORIA_PRESUPUESTO):
        escritos = [m for m, monto in enumerate(historia[1:7], start=1) if monto is not None]
        from helpers.comun.calendario import MESES_NOMBRE
        assert fila.vigente_desde == (MESES_NOMBRE[escritos[-1] - 1] if escritos else "inicial")


def test_la_historia_en_csv_se_lee_igual_que_en_el_libro(tmp_path, libro):
    """Las fechas de las reformulaciones escritas como texto (día/mes/año o año-mes-día)
    dan las mismas tablas que las fechas del libro."""
    carpeta = fabrica.escribir_csv(tmp_path / "csv", fabrica.con_historia(fabrica.TABLAS))
    de_csv = cargar_datos(carpeta)
    for hoja in ("operaciones", "presupuesto", "reformulaciones"):
        pd.testing.assert_frame_equal(getattr(de_csv, hoja), getattr(libro, hoja), obj=hoja)


def test_una_fecha_de_la_hoja_de_calculo_se_lee_como_su_texto(tmp_path, libro):
    import datetime as dt

    tablas = fabrica.con_historia(fabrica.TABLAS)
    for fila in tablas["reformulaciones"][1:]:
        fila[2] = dt.datetime.combine(pd.Timestamp(_fecha(fila[2])).date(), dt.time())
    con_fechas = cargar_datos(fabrica.escribir_libro(tmp_path / "fechas.xlsx", tablas))
    pd.testing.assert_frame_equal(con_fechas.reformulaciones, libro.reformulaciones)


def _fecha(texto: str) -> pd.Timestamp:
    return pd.to_datetime(texto, dayfirst="/" in texto)


def test_la_frase_de_modificaciones_sin_cambio_del_total(libro):
    """Lo que sólo se movió entre líneas (hasta junio, en el POA pequeño) no cambia el
    total; sin modificaciones, lo dice."""
    from helpers.comun.numeros import formatear_monto
    from helpers.redaccion.textos import frase_modificaciones

    cat = _tablas(libro, 2)["categoria"]
    lineas = cat[cat["categoria_programatica"] != "TOTAL"]
    assert lineas["modificaciones"].sum() == pytest.approx(0)
    frase = frase_modificaciones(cat)
    subio = lineas.loc[lineas["modificaciones"] > 0, "modificaciones"].sum()
    assert f"movieron {formatear_monto(subio)} Bs" in frase and "sin cambiar el total" in frase
    sin_cambios = cat.assign(inicial=cat["vigente"], modificaciones=0.0)
    assert "no tuvo modificaciones" in frase_modificaciones(sin_cambios)
