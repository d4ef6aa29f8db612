"""Cambiar un YAML en su lugar (helpers.entrada.yaml_en_su_lugar): lo que no cambió queda byte
a byte, sea cual sea su estilo (sangría de 4, grupos entre llaves, comillas simples, bloques,
\\r\\n, BOM, sin salto final), y cualquier valor nuevo se lee igual que se dio."""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.entrada.yaml_en_su_lugar import claves_escritas, editar, igual, leer

# Un archivo escrito a mano, con los estilos que YAML permite y el programa no escribe.
A_MANO = """\
# Comentario de cabecera: con dos puntos.
entidad: {nombre: 'Entidad de prueba', sigla: EP}   # en una línea
gestion: 2025
informe: trimestral
trimestre: 3    # el tercero
datos: "libro.xlsx"
presentacion:
    mision: |
        Primera línea.
        Segunda línea.

    # comentario entre claves, con su sangría
    marco_normativo:
    - 'Ley uno'
    -   "Ley dos"   # con comentario
    vision: >
        Texto plegado
        en dos líneas.
metodologia:
    tope_cumplimiento: yes
    semaforo_financiero:
        1: [20, 10]
        2: [43.5, 33]
    escala_calificacion:
      - desde: 100
        grado: Concluido
      - {desde: 0, grado: Nulo}
# al final, sin salto
"""


def _cambiadas(antes: str, despues: str) -> list[str]:
    """Las líneas de `antes` que cambiaron o se borraron."""
    coincidencias = difflib.SequenceMatcher(a=antes.splitlines(), b=despues.splitlines(),
                                            autojunk=False)
    return [linea for etiqueta, i1, i2, _, _ in coincidencias.get_opcodes()
            if etiqueta in ("replace", "delete") for linea in antes.splitlines()[i1:i2]]


@pytest.mark.parametrize("variante", ["tal cual", "crlf", "bom", "sin salto final"])
def test_sin_cambios_queda_igual_en_cualquier_estilo(variante):
    texto = {"tal cual": A_MANO, "crlf": A_MANO.replace("\n", "\r\n"), "bom": "\ufeff" + A_MANO,
             "sin salto final": A_MANO.rstrip("\n")}[variante]
    assert editar(texto, leer(texto)) == texto
    contenido = leer(texto)
    contenido["metodologia"]["semaforo_financiero"][2][0] += 1
    cambiado = editar(texto, contenido)
    assert leer(cambiado) == contenido
    assert _cambiadas(texto, cambiado) == [
        linea for linea in texto.splitlines() if linea.strip().startswith("2:")]
    if variante == "crlf":
        assert cambiado.count("\n") == cambiado.count("\r\n")


def _cambio(modificar, texto: str = A_MANO) -> tuple[str, dict]:
    contenido = copy.deepcopy(leer(texto))
    modificar(contenido)
    return editar(texto, contenido), contenido


def test_un_grupo_entre_llaves_cambia_en_su_linea():
    cambiado, contenido = _cambio(lambda c: c["entidad"].update(sigla="OTRA"))
    assert leer(cambiado) == contenido
    assert _cambiadas(A_MANO, cambiado) == [A_MANO.splitlines()[1]]
    assert "sigla: OTRA" not in cambiado and "{nombre: 'Entidad de prueba'" in cambiado
    # Una clave más: el grupo se reescribe entero, entre llaves, con su comentario.
    cambiado, contenido = _cambio(lambda c: c["entidad"].update(otra="x"))
    assert leer(cambiado) == contenido
    assert _cambiadas(A_MANO, cambiado) == [A_MANO.splitlines()[1]]
    assert cambiado.splitlines()[1].startswith("entidad: {")
    assert cambiado.splitlines()[1].endswith("}   # en una línea")


def test_una_clave_nueva_toma_la_sangria_de_su_grupo():
    def agregar(contenido):
        contenido["presentacion"] = {"mision": contenido["presentacion"]["mision"],
                                     "introduccion": "Nueva",
                                     **contenido["presentacion"]}
    cambiado, contenido = _cambio(agregar)
    assert leer(cambiado) == contenido
    assert '    introduccion: "Nueva"' in cambiado.splitlines()
    assert not _cambiadas(A_MANO, cambiado)


def test_quitar_una_clave_borra_sus_lineas_y_nada_mas():
    cambiado, contenido = _cambio(lambda c: c["presentacion"].pop("mision"))
    assert leer(cambiado) == contenido
    assert [linea.strip() for linea in _cambiadas(A_MANO, cambiado)] == [
        "mision: |", "Primera línea.", "Segunda línea."]
    assert "    # comentario entre claves, con su sangría" in cambiado


def test_una_lista_gana_y_pierde_elementos_con_su_guion():
    cambiado, contenido = _cambio(lambda c: c["presentacion"]["marco_normativo"].append("Tres"))
    assert leer(cambiado) == contenido
    assert '    - "Tres"' in cambiado.splitlines()
    cambiado, contenido = _cambio(lambda c: c["presentacion"]["marco_normativo"].pop(0))
    assert leer(cambiado) == contenido
    assert _cambiadas(A_MANO, cambiado) == ["    - 'Ley uno'"]


def test_un_elemento_en_bloque_cambia_solo_su_clave():
    cambiado, contenido = _cambio(
        lambda c: c["metodologia"]["escala_calificacion"][0].update(grado="Otro"))
    assert leer(cambiado) == contenido
    assert _cambiadas(A_MANO, cambiado) == ["        grado: Concluido"]


def test_un_valor_que_cambia_de_forma_se_reescribe():
    def cambiar(contenido):
        contenido["trimestre"] = {"a": 1}
        contenido["metodologia"]["semaforo_financiero"] = "ninguno"
        contenido["presentacion"]["marco_normativo"] = []
    cambiado, contenido = _cambio(cambiar)
    assert leer(cambiado) == contenido


COMENTADO = """\
gestion: 2025
# Un grupo entero comentado, como en el archivo en blanco:
# identificacion:
#   cite: "<relleno>"
#   # un comentario que sigue siendo comentario
#   firmas:
#     - {rol: elaborado, nombre: "<n>", cargo: "<c>"}
#     - {rol: revisado, nombre: "<n>", cargo: "<c>"}
presentacion:
  unidad_planificacion: "UP"
  # mision: "<relleno>"   # con su comentario
"""


def test_una_clave_comentada_se_activa_con_sus_grupos_y_sus_elementos():
    contenido = leer(COMENTADO)
    contenido["identificacion"] = {"firmas": [{"rol": "aprobado", "nombre": "N", "cargo": "C"}]}
    contenido["presentacion"]["mision"] = "La misión"
    cambiado = editar(COMENTADO, contenido)
    assert leer(cambiado) == contenido
    assert len(cambiado.splitlines()) == len(COMENTADO.splitlines()) - 1
    assert "#   cite: \"<relleno>\"" in cambiado and "# un comentario que sigue" in cambiado
    assert '  mision: "La misión"   # con su comentario' in cambiado.splitlines()


def test_una_linea_comentada_de_otro_grupo_no_se_activa():
    contenido = leer(COMENTADO)
    contenido["cite"] = "Suelta"  # `cite` sólo está comentada dentro de identificacion
    cambiado = editar(COMENTADO, contenido)
    assert leer(cambiado) == contenido
    # Al final, después de la última clave y de los comentarios de su grupo.
    assert cambiado == COMENTADO + 'cite: "Suelta"\n'



def test_las_claves_escritas_o_comentadas_en_orden():
    rutas = claves_escritas(COMENTADO)
    assert rutas[:4] == [("gestion",), ("identificacion",), ("identificacion", "cite"),
                         ("identificacion", "firmas")]
    assert rutas[-1] == ("presentacion", "mision")


def test_igual_distingue_lo_que_yaml_distingue():
    assert igual(20, 20.0) and igual([1, {"a": 2}], [1.0, {"a": 2.0}])
    assert not igual(1, True) and not igual("2024-07-15", dt.date(2024, 7, 15))
    assert igual(math.nan, math.nan) and not igual({"a": 1}, {"a": 1, "b": None})


# --------------------------------------------------------------------------------------
# Cualquier valor se lee igual que se dio

_NUMEROS = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True))
_ESCALARES = st.one_of(st.text(), st.booleans(), _NUMEROS, st.dates(), st.none())


@settings(max_examples=150, deadline=None)
@given(texto=st.text(), numero=_NUMEROS, escalar=_ESCALARES)
def test_cualquier_valor_se_lee_igual(texto, numero, escalar):
    contenido = copy.deepcopy(leer(A_MANO))
    contenido["datos"] = texto                                    # en su línea
    contenido["presentacion"]["vision"] = texto + " " + texto     # un bloque `>`
    contenido["presentacion"]["marco_normativo"][1] = texto       # un elemento
    contenido["entidad"]["nombre"] = escalar                      # entre llaves
    contenido["metodologia"]["semaforo_financiero"][1][0] = numero
    contenido["metodologia"]["nueva"] = texto                     # una clave nueva
    cambiado = editar(A_MANO, contenido)
    assert igual(leer(cambiado), contenido)
    assert yaml.safe_load(cambiado) == leer(cambiado)


_CLAVES = st.sampled_from(["a", "b", "nueva", "otra_clave", "mision", "1"])
_VALORES = st.recursive(
    _ESCALARES, lambda hijos: st.one_of(st.lists(hijos, max_size=3),
                                        st.dictionaries(_CLAVES, hijos, max_size=3)),
    max_leaves=6)


def _rutas(valor, prefijo=()):
    """Cada ruta de un grupo o de una lista de `valor` (claves y posiciones)."""
    yield prefijo
    if isinstance(valor, dict):
        for clave, dentro in valor.items():
            yield from _rutas(dentro, (*prefijo, clave))
    elif isinstance(valor, list):
        for i, dentro in enumerate(valor):
            yield from _rutas(dentro, (*prefijo, i))


@settings(max_examples=200, deadline=None)
@given(datos=st.data())
def test_cualquier_cambio_de_estructura_se_lee_igual(datos):
    """Valores cambiados, quitados o agregados en cualquier lugar, de cualquier forma."""
    contenido = copy.deepcopy(leer(A_MANO))
    for _ in range(datos.draw(st.integers(1, 4))):
        rutas = [r for r in _rutas(contenido) if r]
        ruta = datos.draw(st.sampled_from(rutas))
        padre = contenido
        for paso in ruta[:-1]:
            padre = padre[paso]
        accion = datos.draw(st.sampled_from(["cambiar", "quitar", "agregar"]))
        if accion == "cambiar":
            padre[ruta[-1]] = datos.draw(_VALORES)
        elif accion == "quitar" and len(contenido) > 1:
            del padre[ruta[-1]]
        elif isinstance(padre, dict):
            padre[datos.draw(_CLAVES)] = datos.draw(_VALORES)
        else:
            padre.insert(ruta[-1], datos.draw(_VALORES))
    cambiado = editar(A_MANO, contenido)
    assert igual(leer(cambiado), contenido)
