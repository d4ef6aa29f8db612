"""Lectura y validación de los parámetros (helpers.entrada.parametros)."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import fabrica
import pytest
import yaml

from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.parametros import (
    ESCALA_CALIFICACION,
    RAIZ,
    SEMAFORO_FINANCIERO,
    Grado,
    Metodologia,
    Parametros,
    cargar_parametros,
    raiz_de,
)
from helpers.entrada.parametros_en_blanco import RELLENOS, campos_documentados, relleno
from helpers.entrada.recepcion import (
    DIAS_PARA_CORREGIR,
    FACTOR_SOBRE_PROGRAMADO,
    FUERA_DE_PLAZO,
    OBSERVADOS,
    TAMANO_MAXIMO_EVIDENCIA,
    Recepcion,
)

REPO = Path(__file__).resolve().parents[1]


def _escribir(tmp_path: Path, texto: str, nombre: str = "p.yaml") -> Path:
    ruta = tmp_path / nombre
    ruta.write_text(texto, encoding="utf-8")
    return ruta


def _base(**cambios) -> dict:
    datos = {**fabrica.PARAMS_BASE, "datos": "data/2024/poa_2024.xlsx", **cambios}
    return {k: v for k, v in datos.items() if v is not None}


def _problemas(tmp_path: Path, datos) -> list[Problema]:
    texto = datos if isinstance(datos, str) else yaml.safe_dump(datos, allow_unicode=True)
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_parametros(_escribir(tmp_path, texto), raiz=tmp_path)
    assert all(p.archivo == "p.yaml" for p in info.value.problemas)
    return info.value.problemas


def _por_clave(problemas: list[Problema]) -> dict[str | None, str]:
    return {p.columna: p.mensaje for p in problemas}


# --------------------------------------------------------------------------------------
# Valores por omisión y propiedades


def test_cada_clave_de_los_parametros_tiene_titulo_y_descripcion():
    """Cada clave (y cada grupo, y cada columna de una lista de grupos) se documenta en un
    solo lugar, su campo del modelo: de ahí la leen el archivo en blanco, el formulario de la
    página y docs/parametros.md. Una clave nueva sin título o sin descripción falla aquí."""
    documentados = campos_documentados()
    # El recorrido entra en los grupos y en las filas de las listas de grupos.
    assert {"entidad.nombre", "metodologia.escala_calificacion.desde",
            "identificacion.firmas.rol", "identificacion.fuentes.fisica"} <= set(documentados)
    sin_titulo = [ruta for ruta, info in documentados.items() if not (info.title or "").strip()]
    sin_descripcion = [ruta for ruta, info in documentados.items()
                       if not (info.description or "").strip()]
    assert (sin_titulo, sin_descripcion) == ([], [])


def test_el_relleno_de_una_clave_es_un_texto_entre_angulos():
    """Un relleno que se activa sin cambiar se nota en el informe (docs/guia-de-uso.md)."""
    assert RELLENOS
    for ruta, texto in RELLENOS.items():
        assert texto.startswith("<") and texto.endswith(">") and len(texto) > 2, ruta
        assert relleno(ruta) == texto


def test_valores_por_omision(tmp_path):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base())), raiz=tmp_path)
    assert p.entidad.nombre == "Ministerio de Relaciones Exteriores"
    assert p.entidad.sigla == "MRE"
    assert p.presentacion.mision == "" and p.presentacion.vision == ""
    m = p.metodologia
    assert m.tope_cumplimiento is True
    assert m.agregacion == "promedio_unidades"
    assert m.participacion == "trimestral_igual"
    assert m.sin_reporte == "cero"
    assert m.umbral_cumple == 50
    assert m.semaforo_financiero == {1: (20, 10), 2: (43, 33), 3: (65, 48), 4: (85, 65)}
    assert [(g.desde, g.inclusivo, g.grado, g.calificacion, g.desempeno)
            for g in m.escala_calificacion] == [
        (100, True, "Concluido", "Excelente", "Óptimo"),
        (70, True, "En proceso de ejecución", "Alto", "Satisfactorio"),
        (51, True, "En proceso de ejecución", "Medio", "Bueno"),
        (9, True, "Atrasado", "Bajo", "Regular"),
        (0, False, "En riesgo", "Muy bajo", "Deficiente"),
        (0, True, "Por iniciar", "Nulo", "Deficiente"),
    ]
    assert m == Metodologia()
    assert list(ESCALA_CALIFICACION) == m.escala_calificacion
    assert SEMAFORO_FINANCIERO == m.semaforo_financiero


def test_los_valores_por_omision_no_se_comparten():
    a, b = Metodologia(), Metodologia()
    a.escala_calificacion.pop()
    a.semaforo_financiero[1] = (1, 0)
    assert len(b.escala_calificacion) == 6 and b.semaforo_financiero[1] == (20, 10)


def test_propiedades_trimestral(tmp_path):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base())), raiz=tmp_path)
    assert p.raiz == tmp_path
    assert p.ruta_datos == tmp_path / "data/2024/poa_2024.xlsx"
    assert p.carpeta_salida == tmp_path / "output" / "2024-T2"
    assert p.etiqueta == "2024-T2"
    assert p.trimestre_corte == 2
    assert p.fecha_corte == dt.date(2024, 6, 30)


@pytest.mark.parametrize("trimestre, fecha", [(1, dt.date(2024, 3, 31)),
                                              (3, dt.date(2024, 9, 30)),
                                              (4, dt.date(2024, 12, 31))])
def test_fecha_corte_por_trimestre(tmp_path, trimestre, fecha):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base(trimestre=trimestre))),
                          raiz=tmp_path)
    assert p.fecha_corte == fecha


def test_propiedades_anual(tmp_path):
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(
        informe="anual", trimestre=None, presentacion={"mision": "M", "vision": "V"})))
    p = cargar_parametros(ruta, raiz=tmp_path)
    assert p.trimestre is None
    assert p.trimestre_corte == 4
    assert p.fecha_corte == dt.date(2024, 12, 31)
    assert p.etiqueta == "2024-anual"
    assert p.carpeta_salida == tmp_path / "output" / "2024-anual"
    assert p.presentacion.mision == "M"


def test_rutas_absolutas_y_salida_explicita(tmp_path):
    datos = tmp_path / "otra" / "poa.xlsx"
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(datos=str(datos), salida="informes/t2")))
    p = cargar_parametros(ruta, raiz=tmp_path / "repo")
    assert p.ruta_datos == datos
    assert p.carpeta_salida == tmp_path / "repo" / "informes" / "t2"
    abs_salida = tmp_path / "fuera"
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(salida=str(abs_salida))))
    assert cargar_parametros(ruta, raiz=tmp_path).carpeta_salida == abs_salida


@pytest.mark.parametrize("params", sorted((REPO / "params").rglob("*.yaml")),
                         ids=lambda ruta: ruta.relative_to(REPO).as_posix())
def test_dentro_del_repositorio_las_rutas_se_leen_desde_su_raiz(params):
    """Los parámetros de la muestra (también los de una subcarpeta, como params/lote/)
    nombran sus datos desde la raíz del proyecto, no desde su carpeta."""
    assert RAIZ == REPO
    p = cargar_parametros(params)
    datos = yaml.safe_load(params.read_text(encoding="utf-8"))["datos"]
    assert raiz_de(params) == REPO and p.raiz == REPO
    assert p.ruta_datos == REPO / datos


def test_fuera_del_repositorio_las_rutas_se_leen_desde_su_carpeta(tmp_path):
    """Un archivo de parámetros fuera del proyecto (la carpeta de una entidad) nombra el
    libro, la salida y el informe anterior desde su propia carpeta, se llame desde donde se
    llame."""
    carpeta = tmp_path / "POA2025"
    carpeta.mkdir()
    ruta = _escribir(carpeta, yaml.safe_dump(_base(
        datos="poa_2025.xlsx", informe_anterior="informes/T1")))
    assert not ruta.is_relative_to(REPO)
    p = cargar_parametros(ruta)
    assert raiz_de(ruta) == carpeta and p.raiz == carpeta
    assert p.ruta_datos == carpeta / "poa_2025.xlsx"
    assert p.carpeta_salida == carpeta / "output" / p.etiqueta
    assert p.ruta_informe_anterior == carpeta / "informes" / "T1"
    con_salida = _escribir(carpeta, yaml.safe_dump(_base(salida="informes/T2")), "q.yaml")
    assert cargar_parametros(con_salida).carpeta_salida == carpeta / "informes" / "T2"
    # La misma carpeta, nombrada desde otra (relativa a la carpeta de trabajo).
    desde_otra = Path(os.path.relpath(ruta, REPO))
    anterior = Path.cwd()
    os.chdir(REPO)
    try:
        assert cargar_parametros(desde_otra).ruta_datos == carpeta / "poa_2025.xlsx"
    finally:
        os.chdir(anterior)


def test_un_enlace_al_repositorio_cuenta_como_dentro(tmp_path):
    """Una ruta que llega al proyecto por un enlace simbólico es la misma ruta del proyecto."""
    enlace = tmp_path / "proyecto"
    enlace.symlink_to(REPO, target_is_directory=True)
    assert raiz_de(enlace / "params" / "2024-T2.yaml") == REPO


def test_no_comprueba_que_existan_los_datos(tmp_path):
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(datos="no/existe.xlsx")))
    assert not cargar_parametros(ruta, raiz=tmp_path).ruta_datos.exists()


def test_metodologia_cambiada(tmp_path):
    metodologia = {
        "tope_cumplimiento": False,
        "agregacion": "tareas",
        "participacion": "programada",
        "sin_reporte": "excluir",
        "escala_calificacion": [
            {"desde": 90, "grado": "Bien", "calificacion": "Alta", "desempeno": "Bueno"},
            {"desde": 0, "grado": "Mal", "calificacion": "Baja", "desempeno": "Malo"},
        ],
        "semaforo_financiero": {1: [25, 15], 2: [50, 40], 3: [75, 60], 4: [95, 80]},
        "umbral_cumple": 60,
        "eficiencia_ejecucion_minima": 2.5,
    }
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(metodologia=metodologia)))
    m = cargar_parametros(ruta, raiz=tmp_path).metodologia
    assert (m.tope_cumplimiento, m.agregacion, m.participacion, m.sin_reporte) == (
        False, "tareas", "programada", "excluir")
    assert [g.calificacion for g in m.escala_calificacion] == ["Alta", "Baja"]
    assert m.semaforo_financiero[4] == (95.0, 80.0)
    assert m.umbral_cumple == 60
    assert m.eficiencia_ejecucion_minima == 2.5


def test_model_dump_sin_raiz(tmp_path):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base())), raiz=tmp_path)
    volcado = p.model_dump(mode="json")
    assert "raiz" not in volcado
    assert volcado["metodologia"]["agregacion"] == "promedio_unidades"


# --------------------------------------------------------------------------------------
# Los archivos de params del repositorio


@pytest.mark.parametrize("nombre, etiqueta", [("2024-T1", "2024-T1"), ("2024-T2", "2024-T2"),
                                              ("2024-T4", "2024-T4"),
                                              ("2024-anual", "2024-anual")])
def test_params_del_repositorio(nombre, etiqueta):
    p = cargar_parametros(REPO / "params" / f"{nombre}.yaml")
    assert p.etiqueta == etiqueta
    assert p.entidad.sigla == "MRE" and p.gestion == 2024
    assert p.ruta_datos == REPO / "data" / "2024" / "poa_2024.xlsx"
    assert p.metodologia == Metodologia()
    if nombre == "2024-anual":
        assert p.presentacion.mision and p.presentacion.vision


def test_params_t2_escribe_cada_clave_de_metodologia():
    texto = yaml.safe_load((REPO / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    assert set(texto["metodologia"]) == set(Metodologia.model_fields)


def test_escribir_params_de_la_fabrica(tmp_path, params_pequeno, libro_pequeno):
    p = cargar_parametros(params_pequeno, raiz=tmp_path)
    assert p.ruta_datos == libro_pequeno.resolve()
    assert p.carpeta_salida == tmp_path / "salida"
    anual = fabrica.escribir_params(tmp_path / "anual.yaml", libro_pequeno,
                                    informe="anual", trimestre=None)
    assert cargar_parametros(anual).etiqueta == "2024-anual"


# --------------------------------------------------------------------------------------
# Errores: todos a la vez, en castellano, con la ruta de la clave


def test_todos_los_errores_a_la_vez(tmp_path):
    datos = _base(
        entidad={"nombre": "", "siglas": "MRE"},
        gestion=1999,
        trimestre=5,
        clave_rara=1,
        metodologia={
            "agregacion": "media",
            "tope_cumplimiento": "quizas",
            "participacion": "mensual",
            "sin_reporte": "ignorar",
            "escala_calificacion": [
                {"desde": 50, "grado": "A", "calificacion": "B", "desempeno": "C"},
                {"desde": 40, "grado": "A", "calificacion": "B"},
                {"desde": "x", "grado": "A", "calificacion": "B", "desempeno": "C"},
            ],
            "semaforo_financiero": {1: [20, 10], 2: [43, 33, 1], 3: [65, 48], "T4": [85, 65]},
            "umbral_cumple": 150,
            "otra": True,
        },
    )
    problemas = _problemas(tmp_path, datos)
    errores = _por_clave(problemas)
    assert len(problemas) == len(errores)  # una clave, un problema
    assert errores == {
        "entidad.nombre": "no puede estar vacío",
        "entidad.sigla": "falta esta clave obligatoria",
        "entidad.siglas": "clave desconocida (revise cómo está escrita); ¿quiso decir "
                          "'sigla'?",
        "gestion": "'1999' es menor que el mínimo permitido, 2000",
        "trimestre": "5 no es un trimestre válido (1 a 4)",
        "clave_rara": "clave desconocida (revise cómo está escrita)",
        "metodologia.agregacion":
            "'media' no es una opción válida; use una de: promedio_unidades, tareas",
        "metodologia.tope_cumplimiento":
            "'quizas' no es verdadero ni falso (use true o false)",
        "metodologia.participacion":
            "'mensual' no es una opción válida; use una de: trimestral_igual, programada",
        "metodologia.sin_reporte":
            "'ignorar' no es una opción válida; use una de: cero, excluir",
        "metodologia.escala_calificacion[2].desempeno": "falta esta clave obligatoria",
        "metodologia.escala_calificacion[3].desde": "'x' no es un número",
        "metodologia.semaforo_financiero.2":
            "tiene más elementos de los permitidos (máximo 2)",
        "metodologia.semaforo_financiero.T4": "'T4' no es un número entero",
        "metodologia.umbral_cumple": "'150' es mayor que el máximo permitido, 100",
        "metodologia.otra": "clave desconocida (revise cómo está escrita)",
    }


@pytest.mark.parametrize(
    "cambios, clave, fragmento",
    [
        ({"trimestre": None}, "trimestre", "es obligatorio en un informe trimestral"),
        ({"trimestre": 0}, "trimestre", "no es un trimestre válido"),
        ({"informe": "anual"}, "trimestre", "un informe anual no lleva trimestre"),
        ({"informe": "semestral"}, "informe", "no es un tipo de informe"),
        ({"gestion": 2101}, "gestion", "mayor que el máximo permitido, 2100"),
        ({"gestion": "dos mil"}, "gestion", "no es un número entero"),
        ({"entidad": None}, "entidad", "falta esta clave obligatoria"),
        ({"entidad": "MRE"}, "entidad", "se esperaba un grupo de claves"),
        ({"datos": None}, "datos", "falta esta clave obligatoria"),
        ({"presentacion": {"mision": "x", "objetivo": "y"}}, "presentacion.objetivo",
         "clave desconocida"),
        ({"metodologia": {"escala_calificacion": []}}, "metodologia.escala_calificacion",
         "menos elementos"),
        ({"metodologia": {"umbral_cumple": -1}}, "metodologia.umbral_cumple",
         "menor que el mínimo permitido, 0"),
        ({"metodologia": {"eficiencia_ejecucion_minima": -0.5}},
         "metodologia.eficiencia_ejecucion_minima", "'-0.5' es menor que el mínimo permitido, 0"),
        ({"metodologia": {"eficiencia_ejecucion_minima": 101}},
         "metodologia.eficiencia_ejecucion_minima", "'101' es mayor que el máximo permitido, 100"),
        ({"metodologia": {"eficiencia_ejecucion_minima": "uno"}},
         "metodologia.eficiencia_ejecucion_minima", "'uno' no es un número"),
        ({"metodologia": {"semaforo_financiero": "verde"}}, "metodologia.semaforo_financiero",
         "se esperaba un grupo de claves"),
    ],
)
def test_cada_error(tmp_path, cambios, clave, fragmento):
    problemas = _problemas(tmp_path, _base(**cambios))
    assert [p.columna for p in problemas] == [clave]
    assert fragmento in problemas[0].mensaje


def test_anual_corta_en_diciembre_o_en_junio(tmp_path):
    base = {k: v for k, v in _base(informe="anual").items() if k != "trimestre"}
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(base)))
    assert (p.etiqueta, p.trimestre_corte, p.corte) == ("2024-anual", 4, "diciembre")
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump({**base, "corte": "junio"})))
    assert (p.etiqueta, p.trimestre_corte, p.fecha_corte.month) == ("2024-anual-junio", 2, 6)


def test_anual_no_lleva_trimestre_ni_trimestral_corte(tmp_path):
    problemas = _problemas(tmp_path, _base(informe="anual", trimestre=4))
    assert [p.columna for p in problemas] == ["trimestre"]
    assert "corte: junio" in problemas[0].mensaje
    problemas = _problemas(tmp_path, _base(corte="junio"))
    assert [p.columna for p in problemas] == ["corte"]


def test_escala_debe_ser_descendente(tmp_path):
    escala = [
        {"desde": 50, "grado": "A", "calificacion": "B", "desempeno": "C"},
        {"desde": 60, "grado": "D", "calificacion": "E", "desempeno": "F"},
    ]
    problemas = _problemas(tmp_path, _base(metodologia={"escala_calificacion": escala}))
    assert [p.columna for p in problemas] == ["metodologia.escala_calificacion"]
    assert "de mayor a menor" in problemas[0].mensaje
    assert "elemento 2 (D, desde 60)" in problemas[0].mensaje


@pytest.mark.parametrize("inclusivos, valido", [((False, True), True), ((True, True), False),
                                                ((True, False), False),
                                                ((False, False), False)])
def test_escala_mismo_limite_exclusivo_antes_que_inclusivo(tmp_path, inclusivos, valido):
    escala = [
        {"desde": 0, "inclusivo": inclusivos[0], "grado": "En riesgo",
         "calificacion": "Muy bajo", "desempeno": "Deficiente"},
        {"desde": 0, "inclusivo": inclusivos[1], "grado": "Por iniciar",
         "calificacion": "Nulo", "desempeno": "Deficiente"},
    ]
    datos = _base(metodologia={"escala_calificacion": escala})
    if valido:
        ruta = _escribir(tmp_path, yaml.safe_dump(datos))
        assert len(cargar_parametros(ruta).metodologia.escala_calificacion) == 2
    else:
        assert _problemas(tmp_path, datos)[0].columna == "metodologia.escala_calificacion"


@pytest.mark.parametrize(
    "semaforo, fragmento",
    [
        ({1: [20, 10], 2: [43, 33], 3: [65, 48]}, "exactamente los trimestres 1, 2, 3 y 4"),
        ({1: [20, 10], 2: [43, 33], 3: [65, 48], 4: [85, 65], 5: [90, 80]},
         "exactamente los trimestres"),
        ({1: [10, 20], 2: [43, 33], 3: [65, 48], 4: [85, 65]},
         "trimestre 1: el umbral verde (10) debe ser mayor que el amarillo (20)"),
        ({1: [20, 10], 2: [43, 33], 3: [65, 48], 4: [120, 65]},
         "trimestre 4: los umbrales deben estar entre 0 y 100"),
        ({1: [20, 10], 2: [43, 33], 3: [65, -1], 4: [85, 65]}, "entre 0 y 100"),
    ],
)
def test_semaforo(tmp_path, semaforo, fragmento):
    problemas = _problemas(tmp_path, _base(metodologia={"semaforo_financiero": semaforo}))
    assert [p.columna for p in problemas] == ["metodologia.semaforo_financiero"]
    assert fragmento in problemas[0].mensaje


def test_claves_y_nombres_mal_escritos_sugieren_el_parecido(tmp_path):
    """Una clave, un tipo de informe o una opción con una letra de menos dicen cuál se
    quiso escribir (los nombres salen del modelo y de los tipos de notebooks/)."""
    from helpers.entrada import tipos

    clave = max((n for n, c in Parametros.model_fields.items() if not c.exclude), key=len)
    informe = max(tipos.nombres(), key=len)
    opcion = max(Metodologia.model_fields["agregacion"].annotation.__args__, key=len)
    datos = _base(informe=informe[:-1], metodologia={"agregacion": opcion[:-1]})
    datos[clave[:-1]] = datos.pop(clave, "x")
    errores = _por_clave(_problemas(tmp_path, datos))
    assert errores[clave[:-1]].endswith(f"¿quiso decir '{clave}'?")
    assert f"(¿quiso decir '{informe}'?)" in errores["informe"]
    assert f"(¿quiso decir '{opcion}'?)" in errores["metodologia.agregacion"]


def test_raiz_no_se_acepta_en_el_archivo(tmp_path):
    problemas = _problemas(tmp_path, _base(raiz="/etc"))
    assert [p.columna for p in problemas] == ["raiz"]


def test_clave_repetida(tmp_path):
    texto = yaml.safe_dump(_base()) + "gestion: 2025\n"
    problemas = _problemas(tmp_path, texto)
    assert [p.columna for p in problemas] == ["gestion"]
    assert "repetida" in problemas[0].mensaje


def test_yaml_mal_escrito(tmp_path):
    problemas = _problemas(tmp_path, "entidad: {nombre: x\ngestion: [\n")
    assert len(problemas) == 1
    assert problemas[0].mensaje.startswith("el archivo no es YAML válido en la línea 2")


# Errores de sintaxis frecuentes y lo que el mensaje pide hacer; el último no es una clase
# conocida y recibe la frase general.
_YAML_ROTOS = [
    ("entidad:\n\tnombre: x\n", "reemplace los tabuladores por espacios"),
    ("entidad:\n  nombre: Ministerio: Despacho\n", "entre comillas"),
    ("entidad:\n  nombre\n  sigla: X\ngestion: 2024\n", "«:»"),
    ("entidad:\n  nombre: x\n sigla: y\n", "sangría"),
    ("entidad:\n  nombre: \"x\ngestion: 2024\n", "ciérrelas"),
    ("a: !!python/object/apply:os.system ['ls']\n", "bórrela"),
    ("a: &\n", "tabulador en lugar de espacios"),
]


@pytest.mark.parametrize("texto, que_hacer", _YAML_ROTOS)
def test_yaml_mal_escrito_en_castellano(tmp_path, texto, que_hacer):
    """Línea y columna en castellano, la causa y qué hacer; nada del inglés de PyYAML (la
    línea y las frases de PyYAML salen del error que da el lector mismo)."""
    with pytest.raises(yaml.YAMLError) as info:
        yaml.safe_load(texto)
    marca = info.value.problem_mark
    (problema,) = _problemas(tmp_path, texto)
    assert problema.mensaje.startswith(
        f"el archivo no es YAML válido en la línea {marca.line + 1}, columna "
        f"{marca.column + 1}")
    assert que_hacer in problema.mensaje
    for ingles in (info.value.problem, info.value.context):
        assert not ingles or ingles not in problema.mensaje
    assert not re.search(r"\b(while|found|expected|could|mapping|scanning|token)\b",
                         problema.mensaje)


@pytest.mark.parametrize("texto, fragmento", [("", "está vacío"), ("- a\n- b\n",
                                                                   "grupo de claves")])
def test_yaml_vacio_o_que_no_es_un_mapa(tmp_path, texto, fragmento):
    problemas = _problemas(tmp_path, texto)
    assert len(problemas) == 1 and fragmento in problemas[0].mensaje


def test_archivo_ausente(tmp_path):
    with pytest.raises(ErrorDeEntrada) as info:
        cargar_parametros(tmp_path / "no-existe.yaml")
    (problema,) = info.value.problemas
    assert problema.archivo == "no-existe.yaml"
    assert "no existe" in problema.mensaje
    assert "no-existe.yaml" in str(info.value)


def test_grado_y_parametros_directos():
    """Los modelos también se pueden construir en código (p. ej. en las pruebas)."""
    g = Grado(desde=10, grado="G", calificacion="C", desempeno="D")
    assert g.inclusivo is True
    p = Parametros(entidad={"nombre": "E", "sigla": "S"}, gestion=2024, informe="trimestral",
                   trimestre=1, datos="d.xlsx")
    assert p.raiz == RAIZ and p.etiqueta == "2024-T1"


# --------------------------------------------------------------------------------------
# informe_anterior (reexpresiones)


def test_informe_anterior_por_omision_ninguno(tmp_path):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base())), raiz=tmp_path)
    assert p.informe_anterior is None and p.ruta_informe_anterior is None
    assert p.model_dump(mode="json")["informe_anterior"] is None


def test_informe_anterior_se_resuelve_como_salida(tmp_path):
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(informe_anterior="output/2024-T1")))
    p = cargar_parametros(ruta, raiz=tmp_path / "repo")
    assert p.ruta_informe_anterior == tmp_path / "repo" / "output" / "2024-T1"
    absoluta = tmp_path / "publicados" / "2024-T1"
    ruta = _escribir(tmp_path, yaml.safe_dump(_base(informe_anterior=str(absoluta))))
    assert cargar_parametros(ruta, raiz=tmp_path / "repo").ruta_informe_anterior == absoluta
    # Como lo guarda el manifiesto, y de vuelta.
    volcado = p.model_dump(mode="json")
    assert volcado["informe_anterior"] == "output/2024-T1"
    assert Parametros.model_validate({**volcado, "raiz": p.raiz}) == p


@pytest.mark.parametrize("valor, fragmento", [("", "no puede estar vacío"),
                                              (["output/2024-T1"], "no es un texto")])
def test_informe_anterior_invalido(tmp_path, valor, fragmento):
    problemas = _problemas(tmp_path, _base(informe_anterior=valor))
    assert [p.columna for p in problemas] == ["informe_anterior"]
    assert fragmento in problemas[0].mensaje


# --------------------------------------------------------------------------------------
# recepcion (los formularios de seguimiento)


def test_recepcion_por_omision_ninguna(tmp_path):
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(_base())), raiz=tmp_path)
    assert p.recepcion is None
    assert p.model_dump(mode="json")["recepcion"] is None


@pytest.mark.parametrize("texto", ["2024-07-10", "'10/07/2024'", "'2024-07-10'"])
def test_recepcion_plazo_en_los_dos_formatos(tmp_path, texto):
    base = yaml.safe_dump(_base(), allow_unicode=True)
    ruta = _escribir(tmp_path, base + f"recepcion:\n  plazo: {texto}\n")
    p = cargar_parametros(ruta, raiz=tmp_path)
    assert p.recepcion == Recepcion(plazo=dt.date(2024, 7, 10))
    assert p.recepcion.fuera_de_plazo == FUERA_DE_PLAZO[0]
    # Como lo guarda el manifiesto, y de vuelta.
    volcado = p.model_dump(mode="json")
    assert volcado["recepcion"] == {"plazo": "2024-07-10", "fuera_de_plazo": FUERA_DE_PLAZO[0],
                                    "factor_sobre_programado": FACTOR_SOBRE_PROGRAMADO,
                                    "observados": OBSERVADOS[0],
                                    "dias_para_corregir": DIAS_PARA_CORREGIR,
                                    "tamano_maximo_evidencia": TAMANO_MAXIMO_EVIDENCIA}
    assert Parametros.model_validate({**volcado, "raiz": p.raiz}) == p


@pytest.mark.parametrize("opcion", FUERA_DE_PLAZO)
def test_recepcion_fuera_de_plazo(tmp_path, opcion):
    # El plazo puede ser el día mismo del corte.
    datos = _base(recepcion={"plazo": "30/06/2024", "fuera_de_plazo": opcion})
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(datos)), raiz=tmp_path)
    assert p.recepcion.fuera_de_plazo == opcion and p.recepcion.plazo == p.fecha_corte


@pytest.mark.parametrize("recepcion, clave, fragmento", [
    ({"fuera_de_plazo": "incluir"}, "recepcion.plazo", "falta esta clave obligatoria"),
    ({"plazo": "mañana"}, "recepcion.plazo", "'mañana' no es una fecha"),
    ({"plazo": "31/06/2024"}, "recepcion.plazo", "no es una fecha que exista"),
    ({"plazo": "2024-07-10", "fuera_de_plazo": "nunca"}, "recepcion.fuera_de_plazo",
     "use una de: " + ", ".join(FUERA_DE_PLAZO)),
    ({"plazo": "2024-07-10", "dias": 3}, "recepcion.dias", "clave desconocida"),
    ({"plazo": "29/06/2024"}, "recepcion",
     "plazo (29/06/2024) es anterior al corte del informe (30/06/2024)"),
    ("2024-07-10", "recepcion", "se esperaba un grupo de claves"),
])
def test_recepcion_invalida(tmp_path, recepcion, clave, fragmento):
    problemas = _problemas(tmp_path, _base(recepcion=recepcion))
    assert [p.columna for p in problemas] == [clave]
    assert fragmento in problemas[0].mensaje


def test_recepcion_con_hora_pide_solo_la_fecha(tmp_path):
    base = yaml.safe_dump(_base(), allow_unicode=True)
    problemas = _problemas(tmp_path, base + "recepcion:\n  plazo: 2024-07-10 12:00:00\n")
    assert [p.columna for p in problemas] == ["recepcion.plazo"]
    assert "lleva hora" in problemas[0].mensaje


def test_recepcion_de_la_rendicion_no_antes_de_su_corte(tmp_path):
    # En un informe de la gestión, el corte es diciembre (o junio con «corte: junio»).
    datos = _base(informe="anual", trimestre=None, recepcion={"plazo": "2024-07-10"})
    problemas = _problemas(tmp_path, datos)
    assert [p.columna for p in problemas] == ["recepcion"]
    assert "(31/12/2024)" in problemas[0].mensaje
    datos["corte"] = "junio"
    p = cargar_parametros(_escribir(tmp_path, yaml.safe_dump(datos)), raiz=tmp_path)
    assert p.recepcion.plazo > p.fecha_corte
