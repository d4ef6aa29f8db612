"""La sección «Versión del POA evaluada» (`helpers.redaccion.version_poa`).

Sobre el POA pequeño de `fabrica` con su historia (`fabrica.con_historia`): la reformulación
N° 1 en mayo (alta de OP-09, meta de marzo de OP-01 movida a abril, tareas de OP-03), la N° 2
en agosto (baja de OP-08), el presupuesto movido en mayo entre dos líneas del área VRE (de la
ACP 1 a la ACP 2) y el de EMB-PER aumentado en octubre. Lo esperado sale de
`fabrica.REFORMULACIONES`, `fabrica.HISTORIA_PRESUPUESTO` y las demás tablas de `fabrica`;
nunca se copia de una salida.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import html

import fabrica
import pandas as pd
import pytest

from helpers.calculo import versiones
from helpers.calculo.tablas import TOTAL
from helpers.comun.calendario import enumerar_meses, fecha_larga
from helpers.comun.literal import markdown as md
from helpers.comun.numeros import formatear_monto
from helpers.entrada import tipos
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.preparacion import abrir
from helpers.redaccion import presentacion
from helpers.redaccion import version_poa as vp

GESTION = fabrica.PARAMS_BASE["gestion"]


@pytest.fixture(scope="module")
def libro(tmp_path_factory):
    ruta = tmp_path_factory.mktemp("historia") / "poa.xlsx"
    return cargar_datos(fabrica.escribir_libro(ruta, fabrica.con_historia(fabrica.TABLAS)))


def _abrir(tmp_path, tablas, **params):
    libro = fabrica.escribir_libro(tmp_path / "datos" / "poa.xlsx", tablas)
    return abrir(fabrica.escribir_params(tmp_path / "params" / "p.yaml", libro, **params))


@pytest.fixture(scope="module")
def trimestral(tmp_path_factory):
    """El informe del T3 (al corte rigen las dos reformulaciones)."""
    return _abrir(tmp_path_factory.mktemp("t3"), fabrica.con_historia(fabrica.TABLAS),
                  trimestre=3)


@pytest.fixture(scope="module")
def anual(tmp_path_factory):
    return _abrir(tmp_path_factory.mktemp("anual"), fabrica.con_historia(fabrica.TABLAS),
                  informe="anual", trimestre=None)


def _tabla(filas: list[list]) -> pd.DataFrame:
    return pd.DataFrame(filas[1:], columns=filas[0])


def _reformulaciones() -> pd.DataFrame:
    ref = _tabla(fabrica.REFORMULACIONES)
    ref["fecha"] = [pd.Timestamp(pd.to_datetime(f, dayfirst="/" in f)) for f in ref["fecha"]]
    return ref


def _cierre(mes: int) -> str:
    return fecha_larga(dt.date(GESTION, mes, calendar.monthrange(GESTION, mes)[1]))


def _nombre_unidad(codigo: str) -> str:
    unidades = _tabla(fabrica.UNIDADES)
    return unidades.set_index("codigo_unidad").at[codigo, "nombre"]


# --- La versión evaluada -------------------------------------------------------------------


@pytest.mark.parametrize("mes", range(1, 13))
def test_la_version_es_la_ultima_reformulacion_aprobada_al_corte(libro, mes):
    ref = _reformulaciones()
    aprobadas = ref[ref["fecha"].dt.month <= mes].drop_duplicates("numero")
    frase = vp.frase_version(libro, GESTION, mes, de_gestion=False)
    assert frase.startswith(f"El informe evalúa el POA {GESTION} en vigor al {_cierre(mes)}")
    if aprobadas.empty:
        assert "el POA inicial, sin reformulaciones" in frase
        return
    ultima = aprobadas.iloc[-1]
    assert (f"reformulado por {md(ultima['resolucion'])} de {fecha_larga(ultima['fecha'])} "
            f"(reformulación N° {ultima['numero']}") in frase
    assert (f"la última de las {len(aprobadas)}" in frase) == (len(aprobadas) > 1)
    # Ninguna otra resolución se nombra.
    for otra in set(ref["resolucion"]) - {ultima["resolucion"]}:
        assert md(otra) not in frase


@pytest.mark.parametrize("trimestre", [1, 2, 3, 4])
def test_dice_si_la_version_cambio_en_el_trimestre(libro, trimestre):
    ref = _reformulaciones().drop_duplicates("numero")
    mes = 3 * trimestre
    del_trimestre = ref[(ref["fecha"].dt.month > mes - 3) & (ref["fecha"].dt.month <= mes)]
    frase = vp.frase_cambio_trimestre(libro, GESTION, mes)
    if del_trimestre.empty:
        assert frase.endswith("en el trimestre no se aprobó ninguna reformulación.")
        if trimestre > 1:
            assert f"trimestre anterior ({_cierre(mes - 3)})" in frase
        else:
            assert frase.startswith("Es el mismo POA inicial con que empezó la gestión")
    else:
        assert frase.startswith("Cambió respecto")
        for _, fila in del_trimestre.iterrows():
            assert f"N° {fila['numero']} ({md(fila['resolucion'])}" in frase
    # La versión anterior se nombra: la inicial o la reformulación en vigor un trimestre antes.
    antes = ref[ref["fecha"].dt.month <= mes - 3]
    if not del_trimestre.empty and not antes.empty:
        assert f"reformulado por {md(antes.iloc[-1]['resolucion'])}" in frase


def test_en_el_primer_trimestre_la_version_anterior_es_el_poa_inicial(libro):
    """Una reformulación de febrero: el T1 cambia respecto del POA inicial."""
    ref = libro.reformulaciones.copy()
    primera = ref["numero"] == ref["numero"].min()
    ref.loc[primera, "fecha"] = ref.loc[primera, "fecha"].map(lambda f: f.replace(month=2))
    febrero = dataclasses.replace(libro, reformulaciones=ref)
    frase = vp.frase_cambio_trimestre(febrero, GESTION, 3)
    assert frase.startswith("Cambió respecto del POA inicial con que empezó la gestión")
    assert md(ref.loc[primera, "resolucion"].iloc[0]) in frase


def test_el_parrafo_y_la_portada_segun_el_tipo_de_informe(trimestral, anual):
    assert vp.parrafo_version(trimestral).startswith("El informe evalúa")
    assert "trimestre anterior" in vp.parrafo_version(trimestral)
    assert vp.parrafo_version(anual).startswith("La rendición de cuentas evalúa")
    assert "trimestre" not in vp.parrafo_version(anual)
    for prep, mes in ((trimestral, 9), (anual, 12)):
        assert vp.hay_historia(prep)
        version = versiones.version_vigente(prep.datos, mes)
        linea = vp.linea_portada(prep)
        assert linea.startswith(f"**Versión del POA evaluada:** POA {GESTION} reformulado")
        assert md(version["resolucion"]) in linea


# --- Las reformulaciones ------------------------------------------------------------------


@pytest.mark.parametrize("mes", [4, 6, 9, 12])
def test_el_cuadro_de_reformulaciones_marca_las_del_periodo(libro, mes):
    ref = _reformulaciones()
    hasta = ref[ref["fecha"].dt.month <= mes]
    tabla = vp.tabla_reformulaciones(libro, mes, mes - 3)
    primeras = hasta.drop_duplicates("numero")
    assert tabla["numero"].tolist() == primeras["numero"].tolist()
    assert tabla["resolucion"].tolist() == primeras["resolucion"].tolist()
    assert tabla["fecha"].tolist() == [fecha_larga(f) for f in primeras["fecha"]]
    en_periodo = ["Sí" if f.month > mes - 3 else "No" for f in primeras["fecha"]]
    assert tabla["en_el_periodo"].tolist() == en_periodo
    for _, fila in tabla.iterrows():
        suyas = hasta[hasta["numero"] == fila["numero"]]
        assert fila["altas"] == (suyas["cambio"] == "alta").sum()
        assert fila["bajas"] == (suyas["cambio"] == "baja").sum()
        assert fila["reprogramadas"] == suyas.loc[
            suyas["cambio"].isin(["programacion", "tareas"]), "codigo_operacion"].nunique()


def test_el_cuadro_de_reformulaciones_de_la_rendicion_no_marca_periodo(trimestral, anual):
    assert "Aprobada en el trimestre" in vp.cuadro_reformulaciones(trimestral)
    cuadro = vp.cuadro_reformulaciones(anual)
    assert "Aprobada en el trimestre" not in cuadro
    for resolucion in _reformulaciones()["resolucion"].unique():
        assert html.escape(resolucion) in cuadro
    assert "se aprobaron 2 reformulaciones" in vp.parrafo_reformulaciones(anual)


def test_sin_reformulaciones_no_hay_cuadro(tmp_path):
    """Un libro con el presupuesto por mes y sin hoja reformulaciones: la sección dice que
    rige el POA inicial y muestra sólo el presupuesto."""
    tablas = fabrica.con_historia(fabrica.TABLAS)
    del tablas["reformulaciones"]
    tablas["operaciones"].pop()  # OP-09 sólo existe por su alta
    prep = _abrir(tmp_path, tablas, trimestre=2)
    assert vp.hay_historia(prep)
    assert vp.cuadro_reformulaciones(prep) == ""
    assert "no se aprobó ninguna reformulación" in vp.parrafo_reformulaciones(prep)
    assert "el POA inicial, sin reformulaciones" in vp.parrafo_version(prep)
    assert vp.cuadros_operaciones(prep) == []
    assert "tiene las mismas operaciones que el POA inicial" in vp.parrafo_operaciones(prep)


# --- Las operaciones que cambiaron ----------------------------------------------------------


def test_las_operaciones_cambiadas_con_su_unidad_su_meta_y_su_reformulacion(libro):
    ref = _reformulaciones()
    ops = _tabla(fabrica.OPERACIONES)
    nueva = dict(zip(fabrica.OPERACIONES[0], fabrica.OPERACION_NUEVA))
    prog = [f"prog_{m:02d}" for m in range(1, 13)]
    tablas = vp.tablas_operaciones(libro, 12)

    alta = ref[ref["cambio"] == "alta"].iloc[0]
    fila = tablas["altas"].set_index("codigo_operacion").loc[alta["codigo_operacion"]]
    assert fila["unidad"] == _nombre_unidad(nueva["codigo_unidad"])
    assert fila["meta_anual"] == sum(nueva[c] or 0 for c in prog)
    assert fila["reformulacion"] == alta["numero"]

    baja = ref[ref["cambio"] == "baja"].iloc[0]
    op = ops.set_index("codigo_operacion").loc[baja["codigo_operacion"]]
    fila = tablas["bajas"].set_index("codigo_operacion").loc[baja["codigo_operacion"]]
    assert fila["unidad"] == _nombre_unidad(op["codigo_unidad"])
    assert fila["meta_anual"] == sum(op[c] or 0 for c in prog)
    assert fila["reformulacion"] == baja["numero"]

    reprog = tablas["reprogramadas"].set_index("codigo_operacion")
    programacion = ref[ref["cambio"] == "programacion"]
    for codigo, grupo in programacion.groupby("codigo_operacion"):
        meses = enumerar_meses(sorted(grupo["mes"].astype(int)))
        assert reprog.at[codigo, "cambio"] == f"programación de {meses}"
        assert reprog.at[codigo, "reformulacion"] == grupo["numero"].iloc[-1]
    for _, t in ref[ref["cambio"] == "tareas"].iterrows():
        assert reprog.at[t["codigo_operacion"], "cambio"] == (
            f"tareas de {int(t['anterior'])} a {int(t['nuevo'])}")
    assert set(reprog.index) == set(ref.loc[ref["cambio"].isin(["programacion", "tareas"]),
                                            "codigo_operacion"])


def test_una_baja_posterior_al_corte_no_figura(libro):
    ref = _reformulaciones()
    baja = ref[ref["cambio"] == "baja"].iloc[0]
    antes = baja["fecha"].month - 1
    assert baja["codigo_operacion"] not in set(vp.tablas_operaciones(libro, antes)["bajas"]
                                               ["codigo_operacion"])


def test_los_cuadros_de_operaciones_nombran_unidades_y_meses(trimestral):
    cuadros = dict(vp.cuadros_operaciones(trimestral))
    html_todo = "".join(cuadros.values())
    assert set(cuadros) == {"**Operaciones incorporadas**", "**Operaciones dadas de baja**",
                            "**Operaciones reprogramadas**"}
    tablas = vp.tablas_operaciones(trimestral.datos, 9)
    for tabla in tablas.values():
        for codigo in tabla["codigo_unidad"]:
            assert html.escape(_nombre_unidad(codigo)) in html_todo
            assert f">{codigo}<" not in html_todo  # el código de la unidad no se muestra
    assert "Meta anual antes" in cuadros["**Operaciones reprogramadas**"]
    n = {clase: len(t) for clase, t in tablas.items()}
    parrafo = vp.parrafo_operaciones(trimestral)
    assert f"{n['altas']} operación incorporada" in parrafo


def test_una_lista_larga_va_en_un_cuadro_por_area(trimestral, monkeypatch):
    monkeypatch.setattr(vp, "MAXIMO_FILAS", 0)
    rotulos = [r for r, _ in vp.cuadros_operaciones(trimestral)]
    tablas = vp.tablas_operaciones(trimestral.datos, 9)
    esperados = [f"**{vp.CLASES[clase]}: {md(trimestral.nombre_area(area))}**"
                 for clase, tabla in tablas.items() for area in pd.unique(tabla["area"])]
    assert rotulos == esperados



def test_la_tabla_cambios_operaciones_junta_las_tres_clases(libro):
    """La tabla de tablas/ y anexo.xlsx: una fila por operación, con su clase, la meta y las
    tareas antes y después (vacías del lado en que no existe) y los meses reprogramados."""
    ref = _reformulaciones()
    ops = _tabla(fabrica.OPERACIONES).set_index("codigo_operacion")
    nueva = dict(zip(fabrica.OPERACIONES[0], fabrica.OPERACION_NUEVA))
    prog = [f"prog_{m:02d}" for m in range(1, 13)]
    tabla = versiones.tabla_cambios(libro, 12)
    assert list(tabla.columns) == versiones.COLUMNAS_CAMBIOS
    por_clase = tabla.groupby("clase")["codigo_operacion"].apply(set).to_dict()
    assert por_clase == {
        "alta": set(ref.loc[ref["cambio"] == "alta", "codigo_operacion"]),
        "baja": set(ref.loc[ref["cambio"] == "baja", "codigo_operacion"]),
        "reprogramacion": set(ref.loc[ref["cambio"].isin(["programacion", "tareas"]),
                                      "codigo_operacion"]),
    }
    filas = tabla.set_index("codigo_operacion")
    alta = filas.loc[nueva["codigo_operacion"]]
    assert pd.isna(alta["meta_anterior"]) and pd.isna(alta["tareas_anterior"])
    assert alta["meta_nueva"] == sum(nueva[c] or 0 for c in prog)
    baja = ref.loc[ref["cambio"] == "baja", "codigo_operacion"].iloc[0]
    assert filas.at[baja, "meta_anterior"] == sum(ops.at[baja, c] or 0 for c in prog)
    assert pd.isna(filas.at[baja, "meta_nueva"])
    for codigo, grupo in ref[ref["cambio"] == "programacion"].groupby("codigo_operacion"):
        meses = sorted(grupo["mes"].astype(int))
        assert filas.at[codigo, "meses_reprogramados"] == ",".join(map(str, meses))
        assert filas.at[codigo, "reformulacion"] == grupo["numero"].iloc[-1]
    for t in ref[ref["cambio"] == "tareas"].itertuples():
        assert (filas.at[t.codigo_operacion, "tareas_anterior"],
                filas.at[t.codigo_operacion, "tareas_nueva"]) == (t.anterior, t.nuevo)


def test_sin_reformulaciones_la_tabla_cambios_va_vacia(tmp_path):
    tablas = fabrica.con_historia(fabrica.TABLAS)
    del tablas["reformulaciones"]
    tablas["operaciones"].pop()  # OP-09 sólo existe por su alta
    prep = _abrir(tmp_path, tablas, trimestre=2)
    tabla = prep.tablas[versiones.TABLA_CAMBIOS]
    assert tabla.empty and list(tabla.columns) == versiones.COLUMNAS_CAMBIOS


def _filas_de_cuerpo(cuadro: str) -> int:
    return cuadro.split("<tbody>")[1].split("</tbody>")[0].count("<tr")


def test_los_cuadros_de_operaciones_muestran_filas_por_cuadro(tmp_path):
    """Con `filas_por_cuadro: 1`, la clase con más operaciones muestra una y dice cuántas
    son y dónde está la lista entera."""
    prep = _abrir(tmp_path, fabrica.con_historia(fabrica.TABLAS), trimestre=3,
                  filas_por_cuadro=1)
    tablas = vp.tablas_operaciones(prep.datos, 9)
    cuadros = dict(vp.cuadros_operaciones(prep))
    assert max(len(t) for t in tablas.values()) > 1  # alguna se recorta
    for clase, tabla in tablas.items():
        cuadro = cuadros[f"**{vp.CLASES[clase]}**"]
        assert _filas_de_cuerpo(cuadro) == 1
        aviso = html.escape(presentacion.aviso_recorte(1, len(tabla), versiones.TABLA_CAMBIOS))
        assert (aviso in cuadro) == (len(tabla) > 1)
    assert versiones.TABLA_CAMBIOS in prep.tablas  # la lista entera, en tablas/ y anexo


def test_los_cuadros_por_area_se_reparten_filas_por_cuadro(tmp_path, monkeypatch):
    """Partida por área, una clase muestra entre todos sus cuadros las filas que le da
    `repartir_filas` a cada uno."""
    monkeypatch.setattr(vp, "MAXIMO_FILAS", 0)
    prep = _abrir(tmp_path, fabrica.con_historia(fabrica.TABLAS), trimestre=3,
                  filas_por_cuadro=1)
    cuadros = vp.cuadros_operaciones(prep)
    esperadas = []
    for tabla in vp.tablas_operaciones(prep.datos, 9).values():
        tamanos = [len(g) for _, g in tabla.groupby("area", sort=False)]
        esperadas += [min(n, c) for n, c in zip(
            tamanos, presentacion.repartir_filas(tamanos, 1), strict=True)]
    mostradas = [_filas_de_cuerpo(c) for _, c in cuadros]
    assert mostradas == esperadas


# --- El presupuesto -------------------------------------------------------------------------


def _presupuesto_esperado(mes: int) -> pd.DataFrame:
    """Cada línea de `fabrica.PRESUPUESTO` con su ACP, su área, su inicial y su vigente al
    cierre de `mes` (el último vig_ escrito hasta entonces, o el inicial)."""
    pres = _tabla(fabrica.PRESUPUESTO)
    area = _tabla(fabrica.UNIDADES).set_index("codigo_unidad")["area"]
    filas = []
    for (_, linea), (inicial, *meses) in zip(pres.iterrows(), fabrica.HISTORIA_PRESUPUESTO):
        escritos = [m for m in meses[:mes] if m is not None]
        filas.append({"codigo_acp": str(linea["codigo_acp"]),
                      "area": area[linea["codigo_unidad"]], "inicial": inicial,
                      "vigente": escritos[-1] if escritos else inicial})
    return pd.DataFrame(filas)


@pytest.mark.parametrize("por", ["codigo_acp", "area"])
@pytest.mark.parametrize("mes", [3, 6, 12])
def test_el_presupuesto_inicial_modificado_y_vigente_por_grupo(libro, por, mes):
    esperado = _presupuesto_esperado(mes).groupby(por, sort=False)[["inicial", "vigente"]].sum()
    tabla = vp.tabla_presupuesto(libro, mes, por).set_index(por)
    assert list(tabla.index) == [*esperado.index, TOTAL]  # todos los grupos, y el total
    for grupo, fila in esperado.iterrows():
        assert tabla.at[grupo, "inicial"] == pytest.approx(fila["inicial"])
        assert tabla.at[grupo, "vigente"] == pytest.approx(fila["vigente"])
        assert tabla.at[grupo, "modificaciones"] == pytest.approx(
            fila["vigente"] - fila["inicial"])
    assert tabla.at[TOTAL, "inicial"] == pytest.approx(esperado["inicial"].sum())
    assert tabla.at[TOTAL, "vigente"] == pytest.approx(esperado["vigente"].sum())
    # Los grupos que cambiaron son los de calculo.versiones.
    movido = versiones.presupuesto_movido(libro, 0, mes, por).set_index(por)["diferencia"]
    cambiaron = tabla.drop(TOTAL)["modificaciones"]
    assert cambiaron[cambiaron.round(2) != 0].to_dict() == pytest.approx(movido.to_dict())


def test_lo_que_se_movio_en_el_trimestre_por_area(libro):
    """Mayo mueve fondos dentro de VRE (ningún área cambia); octubre aumenta SERV_EXTERIOR."""
    nombres = dict(zip(_tabla(fabrica.AREAS)["area"], _tabla(fabrica.AREAS)["nombre"]))
    for desde in (0, 3, 6, 9):
        hasta = desde + 3
        antes, despues = _presupuesto_esperado(desde), _presupuesto_esperado(hasta)
        diferencia = (despues.groupby("area", sort=False)["vigente"].sum()
                      - antes.groupby("area", sort=False)["vigente"].sum())
        diferencia = diferencia[diferencia != 0]
        frase = vp.frase_presupuesto(libro, desde, hasta, "el trimestre", nombres)
        if diferencia.empty:
            assert frase == "En el trimestre no cambió el presupuesto vigente de ninguna área."
            continue
        meses = [m for m in range(desde + 1, hasta + 1)
                 if not _presupuesto_esperado(m)["vigente"].equals(
                     _presupuesto_esperado(m - 1)["vigente"])]
        assert f"cambió en {enumerar_meses(meses)}" in frase
        for area, monto in diferencia.items():
            verbo = "aumentó" if monto > 0 else "disminuyó"
            assert f"{verbo} en {md(nombres.get(area, area))} ({formatear_monto(abs(monto))} Bs)" \
                in frase
        total = diferencia.sum()
        if total == 0:
            assert "total de la entidad no cambió" in frase
        else:
            verbo = "aumentó" if total > 0 else "disminuyó"
            assert f"total de la entidad {verbo} en {formatear_monto(abs(total))} Bs" in frase


def test_el_parrafo_del_presupuesto_segun_el_tipo(trimestral, anual):
    assert vp.parrafo_presupuesto(trimestral).startswith("En el trimestre")
    assert vp.parrafo_presupuesto(anual).startswith("En la gestión")
    for prep in (trimestral, anual):
        por_area = vp.cuadro_presupuesto(prep, "area")
        assert "Modificaciones (Bs)" in por_area and "Inicial (Bs)" in por_area
        assert html.escape(prep.nombre_area("VRE")) in por_area  # el nombre, no el código
        por_acp = vp.cuadro_presupuesto(prep, "codigo_acp")
        for descripcion in _tabla(fabrica.ACP)["descripcion"]:
            assert html.escape(descripcion) in por_acp


# --- Texto del libro, inerte; la sección va sólo con historia ----------------------------------


def test_la_resolucion_del_libro_entra_como_texto(tmp_path):
    hostil = "RM *N°* 101/2024 <b>[x](http://a)</b> $y$"
    tablas = fabrica.con_historia(fabrica.TABLAS)
    col = tablas["reformulaciones"][0].index("resolucion")
    for fila in tablas["reformulaciones"][1:]:
        if fila[0] == 1:
            fila[col] = hostil
    prep = _abrir(tmp_path, tablas, trimestre=2)
    assert md(hostil) in vp.parrafo_version(prep)
    assert md(hostil) in vp.linea_portada(prep)
    assert html.escape(hostil) in vp.cuadro_reformulaciones(prep)
    assert "<b>" not in vp.cuadro_reformulaciones(prep)


def test_la_seccion_va_solo_si_el_libro_trae_historia(libro, tmp_path):
    sin = cargar_datos(fabrica.escribir_libro_pequeno(tmp_path))
    for nombre, extra in (("trimestral", {}), ("anual", {"informe": "anual", "trimestre": None})):
        tipo = tipos.tipo(nombre)
        seccion = next(s for s in tipo.secciones if s.archivo == "01_version.ipynb")
        parametros = cargar_parametros(fabrica.escribir_params(
            tmp_path / f"{nombre}.yaml", tmp_path / fabrica.NOMBRE_LIBRO, **extra))
        assert seccion in tipo.secciones_para(parametros, libro)
        assert seccion not in tipo.secciones_para(parametros, sin)
        # Justo después del marco metodológico.
        orden = [s.archivo for s in tipo.secciones_para(parametros, libro)]
        assert orden[orden.index("01_version.ipynb") - 1] == "01_metodologia.ipynb"
