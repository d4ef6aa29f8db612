"""Carga y validación del libro del POA (helpers.entrada.datos)."""
from __future__ import annotations

import math
from pathlib import Path

import fabrica
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.comun.numeros import formatear_numero, leer_numero
from helpers.entrada.contrato import COLUMNAS_DEV, COLUMNAS_EJEC, COLUMNAS_PROG, HOJAS
from helpers.entrada.datos import Datos, cargar_datos
from helpers.entrada.errores import ErrorDeEntrada, Problema

RAIZ = Path(__file__).resolve().parents[1]
MUESTRA = RAIZ / "data" / "2024" / "poa_2024.xlsx"

TEXTO = pd.StringDtype(na_value=np.nan)  # el dtype de texto por omisión de pandas 3


def _problemas(ruta) -> list[Problema]:
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_datos(ruta)
    return info.value.problemas


def _ubicaciones(problemas: list[Problema]) -> list[tuple]:
    return [(p.hoja, p.fila, p.columna) for p in problemas]


def _fila(tabla: pd.DataFrame, columna: str, valor) -> pd.Series:
    (indice,) = tabla.index[tabla[columna] == valor]
    return tabla.loc[indice]


# --------------------------------------------------------------------------------------
# Libro válido


def test_libro_pequeno_tablas_y_tipos(libro_pequeno):
    datos = cargar_datos(libro_pequeno)
    assert isinstance(datos, Datos)
    assert datos.archivos == [libro_pequeno]
    # Una hoja opcional que el libro no trae es una tabla sin filas.
    assert [len(getattr(datos, h)) for h in HOJAS] == [
        len(fabrica.TABLAS.get(h, [[]])) - 1 for h in HOJAS]

    op = datos.operaciones
    assert list(op.columns[:4]) == ["codigo_operacion", "codigo_acp", "codigo_unidad",
                                    "descripcion"]
    assert op.columns[-1] == "fila"
    assert "observaciones" in op.columns  # columna adicional conservada
    for col in COLUMNAS_PROG + COLUMNAS_EJEC:
        assert op[col].dtype == "float64", col
    for col in ("codigo_operacion", "codigo_acp", "codigo_unidad", "descripcion", "indicador",
                "unidad_medida", "medio_verificacion", "no_aplica", "observaciones"):
        assert op[col].dtype == TEXTO, col
    assert op["tareas"].dtype == "int64"
    assert op["fila"].dtype == "int64"
    assert list(op["fila"]) == list(range(2, 10))

    pres = datos.presupuesto
    assert pres["vigente"].dtype == "float64"
    for col in COLUMNAS_DEV:
        assert pres[col].dtype == "float64", col
    for col in ("categoria_programatica", "programa", "codigo_unidad", "codigo_acp", "fuente"):
        assert pres[col].dtype == TEXTO, col

    assert datos.narrativa["trimestre"].dtype == "int64"
    assert datos.historico["gestion"].dtype == "int64"
    assert datos.historico["avance_fisico"].dtype == "float64"
    for hoja in HOJAS:
        assert getattr(datos, hoja)["fila"].dtype == "int64"


def test_libro_pequeno_valores(libro_pequeno):
    datos = cargar_datos(libro_pequeno)
    # Códigos que Excel guarda como números se leen como texto, sin ".0".
    assert list(datos.acp["codigo_acp"]) == ["1", "2"]
    assert set(datos.operaciones["codigo_acp"]) == {"1", "2"}
    assert list(datos.presupuesto["codigo_acp"]) == ["1", "2", "2"]

    op = datos.operaciones
    op03 = _fila(op, "codigo_operacion", "OP-03")
    assert math.isnan(op03["ejec_05"])  # vacío = sin reporte
    assert op03["ejec_04"] == 2.0
    assert op03["tareas"] == 3
    op06 = _fila(op, "codigo_operacion", "OP-06")
    assert op06["prog_01"] == 0.0 and op06["prog_02"] == 0.0  # vacío = 0
    assert op06["ejec_01"] == 0.0  # 0 reportado no es vacío
    assert _fila(op, "codigo_operacion", "OP-02")["tareas"] == 1  # vacío = 1
    assert _fila(op, "codigo_operacion", "OP-05")["no_aplica"].startswith("Evento")
    assert _fila(op, "codigo_operacion", "OP-01")["no_aplica"] == ""
    assert _fila(op, "codigo_operacion", "OP-01")["observaciones"] == ""
    assert op["prog_01"].sum() == 10 + 1 + 2 + 4 + 0 + 0 + 50 + 1

    pres = datos.presupuesto
    assert pres.loc[0, "dev_03"] == 1234.56  # "1.234,56" escrito como texto
    assert pres.loc[1, "dev_05"] == -1500.0  # devengado negativo conservado
    assert pres.loc[0, "vigente"] == 120000.0
    assert list(pres["fuente"]) == ["10 TGN", "10 TGN", "20 Recursos Específicos"]

    assert list(datos.unidades["servicio"]) == ["Central", "Central", "Exterior", "Exterior"]
    narr = datos.narrativa
    assert list(narr["codigo_acp"]) == ["1", "2", "", ""]
    assert list(narr["trimestre"]) == [1, 1, 2, 2]
    assert narr.loc[2, "texto"] == "Se realizó la feria consular <b>en Lima</b>."
    assert list(datos.historico["gestion"]) == [2022, 2022, 2023, 2023]


def test_carpeta_csv_igual_que_el_libro(libro_pequeno, carpeta_csv_pequena):
    del_libro = cargar_datos(libro_pequeno)
    de_csv = cargar_datos(carpeta_csv_pequena)
    for hoja in HOJAS:
        pd.testing.assert_frame_equal(getattr(de_csv, hoja), getattr(del_libro, hoja))
    assert de_csv.archivos == [carpeta_csv_pequena / f"{h}.csv" for h in HOJAS
                               if h in fabrica.TABLAS]


def test_csv_con_punto_y_coma_bom_y_numeros_bolivianos(tmp_path):
    tablas = fabrica.tablas_pequenas()
    tablas["presupuesto"][1][5] = "1.120.000,50"
    carpeta = fabrica.escribir_csv(tmp_path / "csv", tablas)
    # Como lo guarda Excel en castellano: BOM y separador ";".
    import csv

    ruta = carpeta / "presupuesto.csv"
    filas = list(csv.reader(ruta.open(encoding="utf-8")))
    with ruta.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(filas)
    datos = cargar_datos(carpeta)
    assert datos.presupuesto.loc[0, "vigente"] == 1120000.5
    assert datos.presupuesto.loc[0, "dev_03"] == 1234.56
    assert list(datos.presupuesto.columns[:2]) == ["categoria_programatica", "programa"]


def test_hojas_opcionales_ausentes_dan_tablas_vacias(tmp_path):
    tablas = fabrica.tablas_pequenas()
    del tablas["narrativa"], tablas["historico"]
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    assert datos.narrativa.empty and datos.historico.empty
    assert list(datos.narrativa.columns) == ["codigo_unidad", "trimestre", "tipo", "texto",
                                             "codigo_acp", "fila"]
    assert datos.narrativa["trimestre"].dtype == "int64"
    assert datos.narrativa["texto"].dtype == TEXTO
    assert list(datos.historico.columns) == ["gestion", "area", "avance_fisico", "ejecucion",
                                             "fila"]
    assert datos.historico["avance_fisico"].dtype == "float64"
    # Lo que se le agrega a la tabla vacía de un libro no aparece en la del siguiente.
    datos.narrativa["agregada"] = pd.Series(dtype="float64")
    otro = cargar_datos(fabrica.escribir_libro(tmp_path / "otro.xlsx", tablas))
    assert "agregada" not in otro.narrativa.columns


def test_filas_vacias_espacios_y_mayusculas(tmp_path):
    tablas = fabrica.tablas_pequenas()
    unidades = tablas["unidades"]
    unidades[0] = [" Codigo_Unidad ", "nombre", "AREA", "servicio", "tipo"]
    unidades[1][0] = "  DGRM  "
    unidades[2][3] = "central"  # se acepta sin distinguir mayúsculas
    unidades.insert(3, [None, "  ", None, None, None])  # fila 4 vacía: se salta
    tablas["narrativa"][1][2] = "Recomendación"  # con tilde y mayúscula
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    assert list(datos.unidades["codigo_unidad"]) == ["DGRM", "DGRB", "EMB-PER", "CG-ARI"]
    assert list(datos.unidades["fila"]) == [2, 3, 5, 6]
    assert datos.unidades.loc[1, "servicio"] == "Central"
    assert datos.narrativa.loc[0, "tipo"] == "recomendacion"


def test_sin_columnas_mensuales_son_vacias(tmp_path):
    """El contrato no marca como obligatorias las columnas mensuales: si falta todo el
    grupo ejec_ (nada reportado aún) se lee como sin reporte."""
    tablas = fabrica.tablas_pequenas()
    tablas["operaciones"] = [fila[:21] for fila in tablas["operaciones"]]
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", tablas))
    assert datos.operaciones[list(COLUMNAS_EJEC)].isna().all().all()
    assert datos.operaciones["prog_12"].sum() > 0


# --------------------------------------------------------------------------------------
# Datos con problemas: un solo ErrorDeEntrada con todos


def _libro_roto(tmp_path) -> Path:
    t = fabrica.tablas_pequenas()
    t["unidades"][2][3] = "Centro"                       # fila 3: su área ya está en Central
    t["unidades"].append(["DGRM", "Otra", "VRE", "Central", ""])  # fila 6: código repetido
    for fila in t["acp"]:                                # acp sin columna descripcion
        del fila[1]
    t["operaciones"][1][2] = "DGXX"                      # fila 2: unidad inexistente
    t["operaciones"][2][1] = 7                           # fila 3: ACP inexistente
    t["operaciones"][3][10] = "diez"                     # fila 4: prog_02 no es número
    t["operaciones"][4][6] = 2.5                         # fila 5: tareas no entera
    t["operaciones"][5][6] = 0                           # fila 6: tareas < 1
    t["operaciones"][6][22] = -3                         # fila 7: ejec_02 negativo
    t["operaciones"][7][3] = None                        # fila 8: descripcion vacía
    t["operaciones"][8][0] = "OP-01"                     # fila 9: operación repetida
    t["narrativa"][1][1] = 5                             # fila 2: trimestre inválido
    t["narrativa"][2][2] = "queja"                       # fila 3: tipo inválido
    t["narrativa"][3][4] = 9                             # fila 4: ACP inexistente
    t["historico"][2][3] = "n/d"                         # fila 3: ejecucion no es número
    del t["presupuesto"]                                 # hoja obligatoria ausente
    return fabrica.escribir_libro(tmp_path / "poa_roto.xlsx", t)


def test_libro_roto_todos_los_problemas_a_la_vez(tmp_path):
    ruta = _libro_roto(tmp_path)
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_datos(ruta)
    problemas = info.value.problemas
    assert {p.archivo for p in problemas} == {"poa_roto.xlsx"}
    # Ordenados por hoja (orden del contrato) y fila.
    assert _ubicaciones(problemas) == [
        ("unidades", 3, "servicio"),
        ("unidades", 6, "codigo_unidad"),
        ("acp", None, "descripcion"),
        ("operaciones", 2, "codigo_unidad"),
        ("operaciones", 3, "codigo_acp"),
        ("operaciones", 4, "prog_02"),
        ("operaciones", 5, "tareas"),
        ("operaciones", 6, "tareas"),
        ("operaciones", 7, "ejec_02"),
        ("operaciones", 8, "descripcion"),
        ("operaciones", 9, "codigo_operacion"),
        ("presupuesto", None, None),
        ("narrativa", 2, "trimestre"),
        ("narrativa", 3, "tipo"),
        ("narrativa", 4, "codigo_acp"),
        ("historico", 3, "ejecucion"),
    ]
    mensajes = [p.mensaje for p in problemas]
    assert "el área 'VRE' ya está en 'Central' (fila 2)" in mensajes[0]
    assert mensajes[1] == "'DGRM' está repetido (ya aparece en la fila 2)"
    assert "falta la columna obligatoria descripcion" in mensajes[2]
    assert mensajes[3] == "'DGXX' no existe en la hoja unidades"
    assert mensajes[4] == "'7' no existe en la hoja acp"
    assert mensajes[5] == "'diez' no es un número"
    assert "'2.5'" in mensajes[6] and "entero" in mensajes[6]
    assert "'0'" in mensajes[7]
    assert "'-3'" in mensajes[8] and "negativo" in mensajes[8]
    assert "vacía" in mensajes[9]
    assert mensajes[10] == "'OP-01' está repetido (ya aparece en la fila 2)"
    assert "falta la hoja obligatoria presupuesto" in mensajes[11]
    assert "'5'" in mensajes[12]
    assert "'queja'" in mensajes[13]
    assert mensajes[14] == "'9' no existe en la hoja acp"
    assert mensajes[15] == "'n/d' no es un número"

    texto = str(info.value)
    assert texto.startswith("Se encontraron 16 problemas")
    assert ("poa_roto.xlsx, hoja operaciones, fila 2, columna codigo_unidad: 'DGXX' no existe "
            "en la hoja unidades") in texto


def test_presupuesto_con_problemas(tmp_path):
    t = fabrica.tablas_pequenas()
    pres = t["presupuesto"]
    pres[3][4] = "10 TGN"            # fila 4: (560 0 002, 10 TGN) ya en la fila 3
    pres[1][5] = None                # fila 2: vigente vacío
    pres[2][5] = "mucho"             # fila 3: vigente no es número (un solo problema)
    pres[2][7] = "1,234.56"          # fila 3: dev_02 con formato inglés: no es número
    pres[1][3] = "ACP-9"             # fila 2: ACP inexistente
    pres[3][6] = "-500"              # fila 4: dev negativo: válido (reversión)
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [
        ("presupuesto", 2, "codigo_acp"),
        ("presupuesto", 2, "vigente"),
        ("presupuesto", 3, "vigente"),
        ("presupuesto", 3, "dev_02"),
        ("presupuesto", 4, "categoria_programatica"),
    ]
    assert problemas[1].mensaje == "la celda está vacía y el dato es obligatorio"
    assert problemas[2].mensaje == "'mucho' no es un número"
    assert problemas[3].mensaje == "'1,234.56' no es un número"
    assert problemas[4].mensaje == (
        "la combinación de categoria_programatica '560 0 002' y fuente '10 TGN' está "
        "repetida (ya aparece en la fila 3)"
    )


def test_unidades_inexistentes_en_presupuesto_y_narrativa(tmp_path):
    t = fabrica.tablas_pequenas()
    t["presupuesto"][2][2] = "DGZZ"
    t["narrativa"][4][0] = "DGZZ"
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [
        ("presupuesto", 3, "codigo_unidad"),
        ("narrativa", 5, "codigo_unidad"),
    ]
    assert all(p.mensaje == "'DGZZ' no existe en la hoja unidades" for p in problemas)


def test_un_codigo_que_no_existe_sugiere_el_mas_parecido(tmp_path):
    """El mensaje dice qué código existe parecido: el mismo con otras mayúsculas primero, y
    si no, uno a una letra; nada si ninguno se parece (los códigos, de la fábrica)."""
    t = fabrica.tablas_pequenas()
    codigos = [fila[0] for fila in t["unidades"][1:]]
    largo = max(codigos, key=len)
    # Una letra cambiada por otra que no deja otro código existente.
    cambiado = next(largo[:-1] + letra for letra in "QZXW" if largo[:-1] + letra not in codigos)
    lejos = "Q" * len(largo) * 3
    col = t["operaciones"][0].index("codigo_unidad")
    t["operaciones"][1][col] = codigos[0].lower()
    t["operaciones"][2][col] = cambiado
    t["operaciones"][3][col] = lejos
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [("operaciones", f, "codigo_unidad") for f in (2, 3, 4)]
    minusculas, una_letra, nada = (p.mensaje for p in problemas)
    assert minusculas == (f"'{codigos[0].lower()}' no existe en la hoja unidades; "
                          f"¿quiso decir '{codigos[0]}'?")
    assert una_letra.endswith(f"¿quiso decir '{largo}'?")
    assert nada == f"'{lejos}' no existe en la hoja unidades"


def test_hoja_areas_se_valida(tmp_path):
    t = fabrica.tablas_pequenas()
    t["areas"] += [
        ["VRE", "Otra vez", ""],                  # área repetida
        ["VICEMINISTERIO_X", "Sin unidades", ""],  # ninguna unidad es de esa área
        ["SERV_EXTERIOR", None, "SE"],            # sin nombre
        ["Total", "Total", ""],                   # rótulo reservado de los cuadros
    ]
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [
        ("areas", 3, "area"), ("areas", 4, "area"), ("areas", 5, "nombre"),
        ("areas", 6, "area"), ("areas", 6, "area"),
    ]
    mensajes = [p.mensaje for p in problemas]
    assert mensajes[0] == "'VRE' está repetido (ya aparece en la fila 2)"
    assert mensajes[1] == ("'VICEMINISTERIO_X' no es el área de ninguna unidad (columna area "
                           "de la hoja unidades)")


def test_hojas_de_la_rendicion_se_validan(tmp_path):
    t = fabrica.tablas_pequenas()
    t["articulacion"][1][-1] = 9                         # ACP que no existe
    t["estadisticas"][1][3] = 13                         # mes fuera de rango
    t["estadisticas"][2][0] = "EMB-XX"                   # unidad que no existe
    t["estadisticas"].append(list(t["estadisticas"][3]))  # fila repetida: se sumaría dos veces
    t["ingresos"][2][0] = t["ingresos"][1][0]             # rubro y fuente repetidos
    t["ingresos"][1][3] = -5                              # vigente negativo
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [
        ("articulacion", 2, "codigo_acp"),
        ("estadisticas", 2, "mes"),
        ("estadisticas", 3, "codigo_unidad"),
        ("estadisticas", 6, "codigo_unidad"),
        ("ingresos", 2, "vigente"),
        ("ingresos", 3, "rubro"),
    ]
    assert "se sumaría dos veces" in problemas[3].mensaje
    assert problemas[1].mensaje == "'13' no es un mes válido: debe ser un número entero de 1 a 12"


def test_hojas_de_la_rendicion_se_leen_con_sus_tipos(libro_pequeno):
    datos = cargar_datos(libro_pequeno)
    assert datos.estadisticas["mes"].dtype == "int64"
    assert datos.estadisticas["valor"].sum() == sum(f[4] for f in fabrica.ESTADISTICAS[1:])
    assert datos.ingresos["rec_04"].min() < 0  # una devolución no es un error
    assert datos.ingresos["rec_07"].eq(0).all()  # vacío = nada recaudado
    assert datos.articulacion["codigo_acp"].tolist() == ["1", "2"]


def test_sin_hoja_areas_cada_area_se_nombra_con_su_codigo(tmp_path):
    from helpers.preparacion import areas_con_nombre

    t = fabrica.tablas_pequenas()
    del t["areas"]
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert datos.areas.empty
    areas = areas_con_nombre(datos)
    assert areas["area"].tolist() == areas["nombre"].tolist() == areas["sigla"].tolist() == [
        "VRE", "SERV_EXTERIOR"]
    con_hoja = areas_con_nombre(cargar_datos(fabrica.escribir_libro_pequeno(tmp_path / "b.xlsx")))
    assert con_hoja["nombre"].tolist() == [fabrica.AREAS[1][1], "SERV_EXTERIOR"]


def test_columna_obligatoria_ausente_no_repite_un_problema_por_fila(tmp_path):
    t = fabrica.tablas_pequenas()
    for fila in t["unidades"]:
        del fila[0]  # sin codigo_unidad: no se comprueban las referencias a unidades
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [("unidades", None, "codigo_unidad")]


def test_grupo_mensual_incompleto_y_columna_repetida(tmp_path):
    t = fabrica.tablas_pequenas()
    t["operaciones"][0][12] = "prog_4"  # encabezado mal escrito
    t["operaciones"][0][-1] = "ejec_01"  # columna repetida (la adicional)
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert _ubicaciones(problemas) == [
        ("operaciones", None, "prog_04"),
        ("operaciones", 1, "ejec_01"),
    ]
    assert "más de una vez" in problemas[1].mensaje


def test_hoja_obligatoria_vacia(tmp_path):
    t = fabrica.tablas_pequenas()
    t["acp"] = t["acp"][:1]
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "poa.xlsx", t))
    assert problemas[0] == Problema("poa.xlsx", "acp", None, None,
                                    "la hoja no tiene filas de datos")
    # ... y cada ACP citada en otras hojas no existe.
    assert all(p.mensaje.endswith("no existe en la hoja acp") for p in problemas[1:])
    citas = sum(1 for h in ("operaciones", "presupuesto", "narrativa", "articulacion")
                for fila in fabrica.TABLAS[h][1:]
                if fila[fabrica.TABLAS[h][0].index("codigo_acp")] is not None)
    assert len(problemas) == 1 + citas


def test_csv_con_problemas_nombra_el_archivo(tmp_path):
    t = fabrica.tablas_pequenas()
    t["operaciones"][3][2] = "DGXX"
    carpeta = fabrica.escribir_csv(tmp_path / "csv", t)
    (carpeta / "acp.csv").unlink()
    problemas = _problemas(carpeta)
    assert problemas[0].archivo == "acp.csv" and problemas[0].hoja == "acp"
    assert "falta el archivo obligatorio acp.csv" in problemas[0].mensaje
    assert problemas[1] == Problema("operaciones.csv", "operaciones", 4, "codigo_unidad",
                                    "'DGXX' no existe en la hoja unidades")
    assert len(problemas) == 2  # sin hoja acp no se comprueban las referencias a ACP


def test_csv_que_no_es_utf8(tmp_path):
    carpeta = fabrica.escribir_csv_pequeno(tmp_path / "csv")
    ruta = carpeta / "unidades.csv"
    ruta.write_bytes(ruta.read_text(encoding="utf-8").encode("cp1252"))
    problemas = _problemas(carpeta)
    assert _ubicaciones(problemas) == [("unidades", None, None)]
    assert "UTF-8" in problemas[0].mensaje


@pytest.mark.parametrize(
    "nombre, contenido, fragmento",
    [
        ("no_existe.xlsx", None, "no existe"),
        ("danado.xlsx", b"esto no es un libro", "no se pudo leer"),
        ("poa.ods", b"", "formato no admitido"),
    ],
)
def test_archivo_ausente_ilegible_o_de_otro_formato(tmp_path, nombre, contenido, fragmento):
    ruta = tmp_path / nombre
    if contenido is not None:
        ruta.write_bytes(contenido)
    problemas = _problemas(ruta)
    assert len(problemas) == 1
    assert problemas[0].archivo == nombre
    assert fragmento in problemas[0].mensaje


def test_carpeta_vacia(tmp_path):
    problemas = _problemas(tmp_path)
    assert [p.archivo for p in problemas] == [f"{h}.csv" for h in HOJAS[:4]]


# --------------------------------------------------------------------------------------
# Números en formato boliviano (helpers.comun.numeros.leer_numero)


def _boliviano(centavos: int, miles: bool) -> str:
    signo = "-" if centavos < 0 else ""
    entero, resto = divmod(abs(centavos), 100)
    parte_entera = f"{entero:,}".replace(",", ".") if miles else str(entero)
    return f"{signo}{parte_entera},{resto:02d}"


@given(st.integers(min_value=-10**13, max_value=10**13), st.booleans())
def test_leer_numero_ida_y_vuelta_boliviano(centavos, miles):
    texto = _boliviano(centavos, miles)
    assert leer_numero(texto) == pytest.approx(centavos / 100, rel=1e-15, abs=1e-9)
    assert leer_numero(f"  {texto} ") == leer_numero(texto)


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_leer_numero_lee_lo_que_formatear_numero_escribe(centavos):
    valor = centavos / 100
    assert leer_numero(formatear_numero(valor)) == pytest.approx(valor, abs=1e-9)


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False),
       st.integers(min_value=0, max_value=4))
def test_formatear_numero_escribe_lo_que_babel_con_el_patron_de_cada_vez(valor, decimales):
    """Con el patrón y la convención leídos una vez (`numeros._patron`), lo mismo que
    ``format_decimal`` cuando los leía en cada número."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    from helpers.comun.numeros import LOCALE, redondear

    redondeado = Decimal(format(redondear(valor, decimales), f".{decimales}f"))
    patron = "#,##0" + ("." + "0" * decimales if decimales else "")
    esperado = format_decimal(abs(redondeado) if redondeado == 0 else redondeado,
                              format=patron, locale=LOCALE, decimal_quantization=True)
    assert formatear_numero(valor, decimales) == esperado


@pytest.mark.parametrize("texto", ["abc", "12 %", "1,2,3", "--1", "n/d", "#DIV/0!"])
def test_leer_numero_rechaza_lo_que_no_es_numero(texto):
    with pytest.raises(ValueError):
        leer_numero(texto)


@given(st.integers(min_value=-10**13, max_value=10**13),
       st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_leer_numero_acepta_espacio_como_separador_de_miles(centavos, espacio):
    texto = _boliviano(centavos, miles=True).replace(".", espacio)
    assert leer_numero(texto) == pytest.approx(centavos / 100, rel=1e-15, abs=1e-9)


@pytest.mark.parametrize("texto", ["10 20", "3 5,5", "1 2345", "1234 567", "- 5", "1 020 ,5",
                                   "1\u00a02", "1 234.567,5", "1  020"])
def test_leer_numero_rechaza_espacios_que_no_separan_miles(texto):
    # Dos números escritos en la misma celda no se pegan en uno (antes "10 20" valía 1020).
    with pytest.raises(ValueError, match="grupos de tres"):
        leer_numero(texto)


# --------------------------------------------------------------------------------------
# La muestra del repositorio (la escribe scripts/generar_muestra.py)


@pytest.mark.skipif(not MUESTRA.exists(), reason="todavía no se generó data/2024/poa_2024.xlsx")
def test_muestra_se_carga_sin_problemas():
    # Cuánto tarda lo mide scripts/benchmark.py, no una prueba (falla con la máquina ocupada).
    datos = cargar_datos(MUESTRA)
    assert len(datos.operaciones) > 0 and len(datos.presupuesto) > 0
    assert datos.archivos == [MUESTRA]


# --------------------------------------------------------------------------------------
# Lo que no se puede leer en silencio: números fuera de rango, fórmulas sin valor, libros
# cifrados; y los textos, normalizados para publicarse en cualquier medio.

_VIGENTE = fabrica.PRESUPUESTO[0].index("vigente")


@pytest.mark.parametrize("valor", ["1e400", "-1e400", 1e15, -2e15, "1.000.000.000.000.000",
                                   10**400])
def test_numeros_infinitos_o_desmedidos_se_rechazan(tmp_path, valor):
    tablas = fabrica.tablas_pequenas()
    tablas["presupuesto"][1][_VIGENTE] = valor
    if isinstance(valor, int) and valor > 1e300:
        libro = fabrica.escribir_csv(tmp_path / "csv", tablas)  # openpyxl no escribe ese entero
    else:
        libro = fabrica.escribir_libro(tmp_path / "p.xlsx", tablas)
    (problema,) = _problemas(libro)
    assert (problema.hoja, problema.fila, problema.columna) == ("presupuesto", 2, "vigente")
    assert "fuera del rango admitido" in problema.mensaje


@pytest.mark.parametrize("valor", [5e-324, 1e-300, -2.2250738585072014e-308, "1e-10",
                                   0.30000000000000004 - 0.3, "0,0000000001"])
def test_numeros_diminutos_se_rechazan(tmp_path, valor):
    """Hallado por el fuzzing (test_fuzz.py): una meta de 5e-324 se aceptaba y el
    cumplimiento sin tope (ejecutado / 5e-324) salía infinito en las tablas y el anexo."""
    tablas = fabrica.tablas_pequenas()
    prog = tablas["operaciones"][0].index("prog_04")
    tablas["operaciones"][1][prog] = valor
    (problema,) = _problemas(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert (problema.hoja, problema.fila, problema.columna) == ("operaciones", 2, "prog_04")
    assert "fuera del rango admitido" in problema.mensaje
    assert "menor que 10^-9" in problema.mensaje


@pytest.mark.parametrize("valor, leido", [(1e-9, 1e-9), ("0,000000001", 1e-9), (-0.0, 0.0),
                                          (0, 0.0)])
def test_numeros_pequenos_o_cero_se_aceptan(tmp_path, valor, leido):
    tablas = fabrica.tablas_pequenas()
    prog = tablas["operaciones"][0].index("prog_04")
    tablas["operaciones"][1][prog] = valor
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert datos.operaciones.loc[0, "prog_04"] == leido


def test_rotulos_del_total_y_de_los_servicios_se_rechazan(tmp_path):
    """Hallado por el fuzzing (test_fuzz.py): un área llamada como un grupo de áreas
    («Central») se cruzaba con la fila de ese grupo y la sección por área fallaba («Index
    contains duplicate entries»); un ACP «TOTAL» se habría tomado por el total de la
    entidad."""
    tablas = fabrica.tablas_pequenas()
    tablas["unidades"][1][2] = "Central"  # area
    tablas["unidades"][3][2] = " éxterior "
    tablas["unidades"][4][2] = "Total"
    tablas["acp"].append(["TOTAL", "Una ACP con nombre de total", "", ""])
    tablas["presupuesto"][1][0] = "total"  # categoria_programatica
    tablas["presupuesto"][3][4] = "TOTAL"  # fuente
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert _ubicaciones(problemas) == [
        ("unidades", 2, "area"), ("unidades", 4, "area"), ("unidades", 5, "area"),
        ("acp", 4, "codigo_acp"),
        ("presupuesto", 2, "categoria_programatica"), ("presupuesto", 4, "fuente"),
    ]
    assert problemas[0].mensaje.startswith("'Central' no sirve como nombre de área")
    assert problemas[1].mensaje.startswith("'éxterior' no sirve como nombre de área")
    assert "es también el nombre de un grupo" in problemas[1].mensaje
    assert "usan TOTAL para la fila del total" in problemas[2].mensaje
    assert problemas[3].mensaje == (
        "'TOTAL' no sirve como codigo_acp: los cuadros del informe usan TOTAL para la fila del "
        "total de la entidad"
    )
    # Un nombre que sólo contiene la palabra sí sirve.
    tablas = fabrica.tablas_pequenas()
    tablas["unidades"][1][2] = "Área Central"
    tablas["acp"].append(["TOTAL-1", "Una ACP cuyo código empieza con TOTAL", "", ""])
    assert cargar_datos(fabrica.escribir_libro(tmp_path / "bien.xlsx", tablas)).unidades.loc[
        0, "area"] == "Área Central"


@pytest.mark.parametrize("formato", ["xlsx", "csv"])
def test_columna_adicional_llamada_fila(tmp_path, formato):
    """Hallado por el fuzzing (test_fuzz.py): una columna adicional «fila» chocaba con el
    número de fila («cannot insert fila, already exists»). No se conserva; «Fila» sí."""
    tablas = fabrica.tablas_pequenas()
    for hoja, nombre in (("operaciones", "fila"), ("unidades", "fila"), ("acp", "Fila")):
        tablas[hoja][0].append(nombre)
        for i, fila in enumerate(tablas[hoja][1:]):
            fila.append(100 + i)
    if formato == "csv":
        ruta = fabrica.escribir_csv(tmp_path / "csv", tablas)
    else:
        ruta = fabrica.escribir_libro(tmp_path / "p.xlsx", tablas)
    datos = cargar_datos(ruta)
    assert list(datos.operaciones["fila"]) == list(range(2, 10))
    assert list(datos.unidades["fila"]) == [2, 3, 4, 5]
    assert list(datos.acp["Fila"]) == ["100", "101"] and datos.acp.columns[-1] == "fila"


def test_dos_montos_enormes_no_desbordan_la_suma(tmp_path):
    tablas = fabrica.tablas_pequenas()
    for fila in (1, 2):
        tablas["presupuesto"][fila][_VIGENTE] = 1e308
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert [(p.fila, p.columna) for p in problemas] == [(2, "vigente"), (3, "vigente")]


def test_formula_sin_valor_calculado_nombra_la_celda(tmp_path):
    tablas = fabrica.tablas_pequenas()
    prog = tablas["operaciones"][0].index("prog_02")
    tablas["operaciones"][3][prog] = "=1+1"  # openpyxl no guarda el resultado
    tablas["presupuesto"][2][_VIGENTE] = "=SUM(G3:R3)"
    tablas["unidades"][1][1] = '=CONCAT("Dirección ", "General")'
    problemas = _problemas(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert _ubicaciones(problemas) == [
        ("unidades", 2, "nombre"), ("operaciones", 4, "prog_02"), ("presupuesto", 3, "vigente")
    ]
    assert all("fórmula sin valor calculado" in p.mensaje for p in problemas)
    assert "(=1+1)" in problemas[1].mensaje


def test_libro_cifrado_y_xls_disfrazado(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    libro = fabrica.escribir_libro_pequeno(tmp_path / "claro.xlsx")
    cifrado = tmp_path / "cifrado.xlsx"
    with libro.open("rb") as origen, cifrado.open("wb") as destino:
        OOXMLFile(origen).encrypt("secreta", destino)
    (problema,) = _problemas(cifrado)
    assert problema.archivo == "cifrado.xlsx" and "protegido con contraseña" in problema.mensaje
    # Un archivo compuesto OLE sin cifrado es un .xls antiguo con otra extensión.
    xls = tmp_path / "viejo.xlsx"
    xls.write_bytes(cifrado.read_bytes()[:8] + bytes(1024))
    (problema,) = _problemas(xls)
    assert ".xls" in problema.mensaje


def test_textos_sin_caracteres_de_control(tmp_path):
    """NUL, ESC y otros controles se quitan; U+2028, U+2029, el salto de página y el
    tabulador vertical valen un espacio; CR LF es un salto de línea. En CSV, esos
    separadores son parte del campo (no fines de registro)."""
    tablas = fabrica.tablas_pequenas()
    tablas["unidades"][1][1] = "Dirección\u2028General \x0cde\x00 Régimen\u2029Migratorio"
    tablas["narrativa"][1][3] = "Primera\r\nsegunda\x1b[31m\x07 línea\x0bfinal"
    for ruta in (fabrica.escribir_csv(tmp_path / "csv", tablas),
                 fabrica.escribir_libro(tmp_path / "p.xlsx", _sin_ilegales_xml(tablas))):
        datos = cargar_datos(ruta)
        assert len(datos.unidades) == len(tablas["unidades"]) - 1
        nombre = datos.unidades.loc[0, "nombre"]
        texto = datos.narrativa.loc[0, "texto"]
        assert nombre.split() == ["Dirección", "General", "de", "Régimen", "Migratorio"]
        assert all(c.isprintable() or c == "\n" for c in texto)
        assert texto.splitlines()[0] == "Primera"


def _sin_ilegales_xml(tablas):
    """openpyxl no escribe los controles que XML prohíbe: el libro lleva sólo los demás."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return {hoja: [[ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in fila]
                   for fila in filas] for hoja, filas in tablas.items()}
