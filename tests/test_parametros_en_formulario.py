"""El formulario de los parámetros de la página (helpers.entrada.parametros_en_formulario): sus
campos salen de los modelos, abrir y guardar sin cambios deja cada archivo igual byte a byte,
un cambio toca sólo las líneas de su clave, una clave nueva va donde la pone el archivo en
blanco, y la validación es la de la línea de órdenes, con sus mensajes.

Los valores nuevos se calculan de los que ya tiene cada archivo (la opción que no tiene, un
día después de su fecha), no se escriben aquí.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Union, get_args, get_origin

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, create_model

from helpers.entrada import parametros_en_formulario as pf
from helpers.entrada import tipos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.parametros import Metodologia, Parametros, cargar_parametros
from helpers.entrada.parametros_en_blanco import (
    RELLENOS,
    campos_documentados,
    texto_de_parametros,
)
from helpers.rutas import RAIZ

PARAMS = sorted((RAIZ / "params").rglob("*.yaml"))
MUESTRA = RAIZ / "params" / "2024-T2.yaml"
FORMULACION = RAIZ / "params" / "2024-formulacion.yaml"
ENTIDAD = {"nombre": "Servicio Departamental de Caminos Vecinales", "sigla": "SEDCAV",
           "gestion": dt.date.today().year, "libro": "poa.xlsx"}


def _copia(origen: Path, carpeta: Path) -> Path:
    destino = carpeta / origen.name
    shutil.copyfile(origen, destino)
    return destino


def _en_blanco(informe: str, carpeta: Path) -> pf.Documento:
    return pf.nuevo(informe, carpeta / f"{informe}.yaml", **ENTIDAD)


def _lineas_cambiadas(antes: str, despues: str) -> tuple[set[int], set[int]]:
    """(las líneas de `antes` que cambiaron o se borraron, las posiciones de `antes` donde se
    insertaron líneas), numeradas desde 0."""
    cambiadas, insertadas = set(), set()
    coincidencias = difflib.SequenceMatcher(a=antes.splitlines(), b=despues.splitlines(),
                                            autojunk=False)
    for etiqueta, i1, i2, _, _ in coincidencias.get_opcodes():
        if etiqueta in ("replace", "delete"):
            cambiadas |= set(range(i1, i2))
        elif etiqueta == "insert":
            insertadas.add(i1)
    return cambiadas, insertadas


def _ultima_linea(nodo: yaml.Node, texto: str) -> int:
    """La última línea del valor `nodo` (sin los comentarios que le siguen)."""
    if isinstance(nodo, yaml.ScalarNode):
        return texto[:nodo.end_mark.index].rstrip().count("\n")
    if nodo.flow_style:
        return nodo.end_mark.line
    ultimo = nodo.value[-1]
    return _ultima_linea(ultimo[1] if isinstance(nodo, yaml.MappingNode) else ultimo, texto)


def _lineas_de_la_clave(texto: str, ruta: str) -> range:
    """Las líneas de la clave `ruta` en `texto`: desde la de su nombre hasta la última de su
    valor."""
    nodo = yaml.compose(texto, Loader=yaml.SafeLoader)
    for clave in ruta.split("."):
        nombre, nodo = next((k, v) for k, v in nodo.value if k.value == clave)
    return range(nombre.start_mark.line, _ultima_linea(nodo, texto) + 1)


def _leido(parametros: Parametros, ruta: str):
    """El valor de `ruta` en los parámetros validados, como lo muestra el formulario."""
    valor = parametros
    for clave in ruta.split("."):
        valor = getattr(valor, clave)
    if isinstance(valor, dict):  # el semáforo: {trimestre: (verde, amarillo)}
        nombres = [c.clave for c in pf.campo(ruta).columnas]
        return [dict(zip(nombres, (k, *v))) for k, v in valor.items()]
    if isinstance(valor, list):
        return [v.model_dump() if isinstance(v, BaseModel) else v for v in valor]
    return valor


# --------------------------------------------------------------------------------------
# Los campos


def _modelo(anotacion) -> type[BaseModel] | None:
    """El modelo de `anotacion` (o de `anotacion | None`), si es un grupo de claves."""
    opciones = get_args(anotacion) if get_origin(anotacion) in (Union, types.UnionType) else ()
    return next((a for a in (anotacion, *opciones)
                 if isinstance(a, type) and issubclass(a, BaseModel)), None)


def _rutas_del_modelo(modelo: type[BaseModel], prefijo: str = "") -> tuple[set, set]:
    """(cada clave de `modelo` y de sus grupos, las columnas de sus listas de grupos: las
    firmas), recorridas aquí."""
    rutas, columnas = set(), set()
    for nombre, info in modelo.model_fields.items():
        ruta = f"{prefijo}{nombre}"
        grupo = _modelo(info.annotation)
        elemento = _modelo(get_args(info.annotation)[0]) if get_args(info.annotation) else None
        if info.exclude:
            continue
        if grupo is not None:
            de_grupo, de_columnas = _rutas_del_modelo(grupo, f"{ruta}.")
            rutas, columnas = rutas | de_grupo, columnas | de_columnas
            continue
        rutas.add(ruta)
        if isinstance(info.annotation, type) or elemento is None:
            continue
        columnas |= {f"{ruta}.{c}" for c in elemento.model_fields}
    return rutas, columnas


def test_cada_clave_de_los_modelos_tiene_su_campo():
    rutas = {c.ruta for c in pf.campos()}
    del_modelo, columnas = _rutas_del_modelo(Parametros)
    assert rutas == del_modelo
    assert columnas and columnas <= {col.ruta for c in pf.campos() for col in c.columnas}
    for campo in pf.campos():
        assert campo.etiqueta and campo.ayuda and campo.informes, campo
        assert set(campo.informes) <= set(tipos.nombres())


def test_la_etiqueta_y_la_ayuda_son_las_del_campo_del_modelo():
    """El formulario no tiene textos propios de una clave: su etiqueta es el título del
    campo y su ayuda, la descripción (como frase); las columnas de un grupo de listas, los
    títulos que dice su campo."""
    documentados = campos_documentados()
    for campo in pf.campos():
        info = documentados[campo.ruta]
        assert campo.etiqueta == info.title, campo.ruta
        assert campo.ayuda[0].isupper() and campo.ayuda.endswith("."), campo.ruta
        assert campo.ayuda[1:].rstrip(".") == info.description[1:].rstrip("."), campo.ruta
        for columna in campo.columnas:
            propio = documentados.get(columna.ruta)
            titulo = (propio.title if propio is not None
                      else info.json_schema_extra["columnas"][columna.clave])
            assert columna.etiqueta == titulo, columna.ruta
    for grupo in pf.formulario():
        info = Parametros.model_fields.get(grupo.clave)
        assert grupo.titulo == (info.title if info else pf.TITULO_DEL_INFORME)
        assert grupo.ayuda[1:].rstrip(".") == (info.description[1:].rstrip(".") if info else "")


def test_una_clave_nueva_de_un_modelo_es_un_campo_sin_tocar_el_formulario():
    otra = create_model("OtraMetodologia", __base__=Metodologia,
                        regla_nueva=(float, Metodologia().umbral_cumple + 1))
    nuevos = {c.ruta: c for c in pf._campos_del_modelo(otra, "metodologia.")}
    assert nuevos["metodologia.regla_nueva"].tipo == pf.NUMERO
    assert nuevos["metodologia.regla_nueva"].por_omision == otra().regla_nueva


def test_un_tipo_de_valor_que_no_conoce_lo_dice():
    rara = create_model("Rara", __base__=Metodologia, regla_rara=(set[int], set()))
    with pytest.raises(TypeError, match="regla_rara"):
        pf._campos_del_modelo(rara, "metodologia.")


def _omision_del_modelo(ruta: str):
    """El valor por omisión de `ruta`, del modelo: la clave en un grupo creado vacío."""
    *grupos, clave = ruta.split(".")
    modelo = Parametros
    for grupo in grupos:
        anotacion = modelo.model_fields[grupo].annotation
        modelo = next(a for a in (anotacion, *get_args(anotacion))
                      if isinstance(a, type) and issubclass(a, BaseModel))
    info = modelo.model_fields[clave]
    return None if info.is_required() else info.get_default(call_default_factory=True)


def test_los_valores_por_omision_son_los_del_modelo():
    for campo in pf.campos():
        esperado = _omision_del_modelo(campo.ruta)
        if isinstance(esperado, dict):
            nombres = [c.clave for c in campo.columnas]
            esperado = [dict(zip(nombres, (k, *v))) for k, v in esperado.items()]
        elif isinstance(esperado, list):
            esperado = [v.model_dump() if isinstance(v, BaseModel) else v for v in esperado]
        assert campo.por_omision == esperado, campo.ruta
    umbral = pf.campo("metodologia.umbral_cumple")
    limites = Metodologia.model_fields["umbral_cumple"].metadata
    assert (umbral.minimo, umbral.maximo) == (limites[0].ge, limites[1].le)


def test_cada_tipo_de_informe_muestra_sus_campos():
    solo = {ruta: {c.ruta for c in pf.campos(ruta)} for ruta in tipos.nombres()}
    por_periodo = {t: tipos.tipo(t).periodo for t in tipos.nombres()}
    for informe, rutas in solo.items():
        assert ("trimestre" in rutas) == (por_periodo[informe] == "trimestre")
        assert ("corte" in rutas) == (por_periodo[informe] == "gestion")
        assert ("recepcion.plazo" in rutas) == (por_periodo[informe] == "trimestre")
        grupos = pf.formulario(informe)
        en_orden = [c.ruta for c in pf.campos(informe)]
        assert sorted(c.ruta for g in grupos for c in g.campos) == sorted(en_orden)
        for grupo in grupos:
            assert [c.ruta for c in grupo.campos] == [r for r in en_orden if pf.campo(
                r).grupo == grupo.clave]
            assert grupo.titulo and (grupo.ayuda or not grupo.clave)


# --------------------------------------------------------------------------------------
# Abrir y guardar sin cambios


@pytest.mark.parametrize("origen", PARAMS, ids=lambda r: str(r.relative_to(RAIZ)))
def test_abrir_y_guardar_sin_cambios_deja_el_archivo_igual(origen, tmp_path):
    ruta = _copia(origen, tmp_path)
    documento = pf.abrir(ruta)
    # Como la página, que devuelve todos los valores del formulario.
    devuelto = documento.con_cambios(documento.valores())
    assert devuelto.texto == documento.texto
    assert devuelto.guardar().valido
    assert ruta.read_bytes() == origen.read_bytes()
    assert sorted(tmp_path.iterdir()) == [ruta]  # sin temporales


@pytest.mark.parametrize("informe", tipos.nombres())
def test_el_archivo_en_blanco_se_abre_y_se_guarda_igual(informe, tmp_path):
    documento = _en_blanco(informe, tmp_path)
    esperado = texto_de_parametros(tipos.tipo(informe), **ENTIDAD)
    assert documento.texto == esperado
    assert documento.con_cambios(documento.valores()).guardar().valido
    assert documento.ruta.read_bytes() == esperado.encode("utf-8")
    assert pf.abrir(documento.ruta).texto == esperado


# --------------------------------------------------------------------------------------
# Un cambio toca sólo sus líneas


def _otro(campo: pf.Campo, actual):
    """Un valor distinto de `actual` para el campo, calculado de él."""
    if campo.tipo == pf.OPCION:
        return next(o for o in campo.opciones if o != actual)
    if campo.tipo == pf.SI_NO:
        return not actual
    if campo.tipo == pf.FECHA:
        return actual + dt.timedelta(days=1)
    if campo.tipo in (pf.ENTERO, pf.NUMERO):
        return actual - 1 if campo.maximo is not None and actual >= campo.maximo else actual + 1
    if campo.tipo in (pf.TEXTO, pf.TEXTO_LARGO):
        return f"{actual} (revisado)"
    if campo.tipo == pf.LISTA:
        return [*actual[:-1], f"{actual[-1]} (revisada)"]
    filas = [dict(f) for f in actual]
    if campo.ruta == "metodologia.escala_calificacion":  # entre el escalón 1 y el 3
        filas[1]["desde"] = (filas[0]["desde"] + filas[1]["desde"]) / 2
    elif campo.ruta == "metodologia.semaforo_financiero":  # más verde que su amarillo
        filas[1]["verde"] += 1
    else:
        filas[-1]["nombre"] = f"{filas[-1]['nombre']} (revisado)"
    return filas


# Un campo de cada tipo que la muestra tiene escrito (el entero, el trimestre: otro cambia el
# corte, y la fecha de emisión de la muestra tiene que seguir después del corte).
_UNO_DE_CADA_TIPO = ["identificacion.cite", "presentacion.mision", "metodologia.umbral_cumple",
                     "identificacion.fecha_emision", "metodologia.agregacion",
                     "metodologia.tope_cumplimiento", "presentacion.marco_normativo",
                     "identificacion.firmas", "metodologia.escala_calificacion",
                     "metodologia.semaforo_financiero", "recepcion.fuera_de_plazo"]


@pytest.mark.parametrize("ruta", [*_UNO_DE_CADA_TIPO, "trimestre"])
def test_un_cambio_toca_solo_las_lineas_de_su_clave(ruta, tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    campo = pf.campo(ruta)
    if ruta == "trimestre":
        valor = min(campo.opciones or range(campo.minimo, campo.maximo + 1))
    else:
        valor = _otro(campo, documento.valores()[ruta])
    cambiado = documento.con_cambios({ruta: valor})
    cambiadas, insertadas = _lineas_cambiadas(documento.texto, cambiado.texto)
    suyas = _lineas_de_la_clave(documento.texto, ruta)
    assert cambiadas and cambiadas <= set(suyas)
    assert insertadas <= set(range(suyas.start, suyas.stop + 1))
    assert cambiado.guardar().valido
    assert _leido(cargar_parametros(cambiado.ruta), ruta) == valor
    assert pf.abrir(cambiado.ruta).valores()[ruta] == valor


def test_los_tipos_de_campo_probados_son_todos():
    probados = {pf.campo(r).tipo for r in _UNO_DE_CADA_TIPO} | {pf.campo("trimestre").tipo}
    assert probados == {c.tipo for c in pf.campos()}


def test_una_fila_cambiada_no_toca_las_otras(tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    firmas = documento.valores()["identificacion.firmas"]
    nuevas = [*firmas[:-1], {**firmas[-1], "cargo": f"{firmas[-1]['cargo']} (revisado)"}]
    cambiadas, _ = _lineas_cambiadas(documento.texto, documento.con_cambios(
        {"identificacion.firmas": nuevas}).texto)
    assert len(cambiadas) == 1


# --------------------------------------------------------------------------------------
# Las claves que faltan y las que se quitan


def test_una_clave_comentada_se_activa_en_su_linea(tmp_path):
    """La muestra tiene `# salida: ...` comentada: el valor va en esa línea, con su
    comentario."""
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    comentada = next(n for n, linea in enumerate(documento.texto.splitlines())
                     if linea.startswith("# salida:"))
    salida = str(tmp_path / "informe")
    cambiado = documento.con_cambios({"salida": salida})
    cambiadas, insertadas = _lineas_cambiadas(documento.texto, cambiado.texto)
    assert (cambiadas, insertadas) == ({comentada}, set())
    linea = cambiado.texto.splitlines()[comentada]
    assert linea.startswith("salida: ") and linea.endswith(
        documento.texto.splitlines()[comentada].split("#")[-1])
    assert cargar_parametros(_guardado(cambiado)).carpeta_salida == Path(salida)


def _guardado(documento: pf.Documento) -> Path:
    assert documento.guardar().valido
    return documento.ruta


@pytest.mark.parametrize("informe", tipos.nombres())
def test_en_el_archivo_en_blanco_cada_campo_se_activa_en_su_lugar(informe, tmp_path):
    """Cada campo opcional del archivo en blanco está comentado: darle un valor descomenta su
    línea y las de sus grupos, y no agrega ni quita ninguna."""
    documento = _en_blanco(informe, tmp_path)
    valores = documento.valores()
    for campo in pf.campos(informe):
        if valores[campo.ruta] is not None:
            continue
        valor = campo.por_omision if campo.por_omision not in (None, "", []) else None
        valor = _otro(campo, valor) if valor is not None else _valor_de_muestra(campo)
        cambiado = documento.con_cambios({campo.ruta: valor})
        cambiadas, insertadas = _lineas_cambiadas(documento.texto, cambiado.texto)
        assert not insertadas and cambiadas, campo.ruta
        # Y la carpeta del informe, si el campo cambia el periodo (el corte de junio).
        periodo = _etiqueta(cambiado) != _etiqueta(documento)
        salida = set(_lineas_de_la_clave(documento.texto, "salida")) if periodo else set()
        assert all(documento.texto.splitlines()[n].lstrip().startswith("#")
                   for n in cambiadas - salida), campo.ruta
        assert cambiado.valores()[campo.ruta] == valor, campo.ruta


def _etiqueta(documento: pf.Documento) -> str:
    valores = documento.valores()
    return tipos.tipo(valores["informe"]).etiqueta(valores["gestion"], valores["trimestre"],
                                                   valores["corte"])


def _valor_de_muestra(campo: pf.Campo):
    """Un valor para un campo sin valor por omisión, que el archivo no tiene."""
    if campo.tipo == pf.FECHA:
        return dt.date(ENTIDAD["gestion"] + 1, 1, 1)
    if campo.opciones:
        return campo.opciones[0]
    if campo.tipo == pf.LISTA:
        return [f"{campo.etiqueta} de la entidad"]
    if campo.tipo == pf.TABLA:
        return [{"rol": campo.columnas[0].opciones[0], "nombre": "Nombre Apellido",
                 "cargo": "Cargo"}]
    return f"{campo.etiqueta} de la entidad"


def test_una_clave_sin_linea_comentada_va_despues_de_la_que_la_precede(tmp_path):
    documento = pf.abrir(_copia(FORMULACION, tmp_path))
    salida = str(tmp_path / "formularios")
    cambiado = documento.con_cambios({"salida": salida, "metodologia.umbral_cumple": 60})
    claves = list(yaml.safe_load(cambiado.texto))
    datos = claves.index("datos")
    assert claves[datos + 1] == "salida" and claves[-1] == "metodologia"
    assert cambiado.texto.startswith(documento.texto.split("\ndatos:")[0])
    _, insertadas = _lineas_cambiadas(documento.texto, cambiado.texto)
    assert len(insertadas) == 2
    parametros = cargar_parametros(_guardado(cambiado))
    assert parametros.carpeta_salida == Path(salida)
    assert parametros.metodologia.umbral_cumple == 60


def test_lo_vacio_o_lo_de_omision_no_se_escribe_si_no_estaba(tmp_path):
    documento = pf.abrir(_copia(FORMULACION, tmp_path))
    sin_escribir = {c.ruta: c.por_omision for c in pf.campos("formulacion")
                    if documento.valores()[c.ruta] is None}
    sin_escribir |= {"identificacion.cite": "", "identificacion.firmas": [],
                     "presentacion.mision": "   "}
    assert documento.con_cambios(sin_escribir).texto == documento.texto


def test_una_clave_vaciada_se_borra_y_su_grupo_si_queda_vacio(tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    sin_cite = documento.con_cambios({"identificacion.cite": None})
    assert "cite" not in yaml.safe_load(sin_cite.texto)["identificacion"]
    cambiadas, _ = _lineas_cambiadas(documento.texto, sin_cite.texto)
    assert cambiadas == set(_lineas_de_la_clave(documento.texto, "identificacion.cite"))
    sin_recepcion = documento.con_cambios({"recepcion.plazo": None,
                                           "recepcion.fuera_de_plazo": None})
    assert "recepcion" not in yaml.safe_load(sin_recepcion.texto)
    assert sin_recepcion.guardar().valido


# --------------------------------------------------------------------------------------
# La validación es la de la línea de órdenes


def test_un_valor_no_valido_da_el_mensaje_de_la_linea_de_ordenes_en_su_campo(tmp_path):
    ruta = _copia(MUESTRA, tmp_path)
    documento = pf.abrir(ruta)
    umbral = pf.campo("metodologia.umbral_cumple")
    firmas = documento.valores()["identificacion.firmas"]
    malo = documento.con_cambios({
        "metodologia.umbral_cumple": umbral.maximo + 1,
        "identificacion.firmas": [{**firmas[0], "nombre": ""}, *firmas[1:]],
    })
    validacion = malo.guardar()
    assert not validacion.valido
    assert ruta.read_bytes() == MUESTRA.read_bytes()  # no se escribió nada
    por_campo = validacion.por_campo()
    assert set(por_campo) == {"metodologia.umbral_cumple", "identificacion.firmas"}
    # Los mismos problemas que la línea de órdenes, con el mismo archivo.
    otra = tmp_path / "cli"
    otra.mkdir()
    escrito = otra / ruta.name
    escrito.write_text(malo.texto, encoding="utf-8")
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_parametros(escrito)
    assert list(validacion.errores) == error.value.problemas
    salida = subprocess.run(
        [sys.executable, "-m", "helpers", "trimestral", str(escrito)], capture_output=True,
        text=True, cwd=RAIZ, env={**os.environ, "COLUMNS": "400"}, timeout=120)
    assert salida.returncode == 2
    for problema in validacion.errores:
        assert f"- {problema}" in salida.stdout + salida.stderr


def test_los_textos_de_relleno_son_advertencias_como_en_la_linea_de_ordenes(tmp_path):
    documento = _en_blanco("trimestral", tmp_path)
    con_relleno = documento.con_cambios({"identificacion.cite": RELLENOS["identificacion.cite"]})
    validacion = con_relleno.validar()
    assert validacion.valido
    assert [p.columna for p in validacion.advertencias] == ["identificacion.cite"]
    assert validacion.por_campo()["identificacion.cite"][0][0] == "advertencia"


@pytest.mark.parametrize("contenido", [b"PK\x03\x04 un libro", b"entidad: [\n", b"",
                                       b"- una lista\n", "ñ".encode("latin-1")])
def test_lo_que_no_se_abre_lo_dice_como_la_linea_de_ordenes(contenido, tmp_path):
    ruta = tmp_path / "malo.yaml"
    ruta.write_bytes(contenido)
    with pytest.raises(ErrorDeEntrada) as esperado:
        cargar_parametros(ruta)
    with pytest.raises(ErrorDeEntrada) as error:
        pf.abrir(ruta)
    assert error.value.problemas == esperado.value.problemas


def test_un_archivo_que_no_existe(tmp_path):
    with pytest.raises(ErrorDeEntrada, match="no existe"):
        pf.abrir(tmp_path / "no-esta.yaml")


# --------------------------------------------------------------------------------------
# Textos que YAML o HTML leerían de otro modo


_TEXTOS_ESPECIALES = [
    'clave: valor # no es comentario "dobles" \'simples\'',
    "<script>alert('x')</script> & <b>negrita</b>",
    "=SUMA(A1:A9)",
    "- empieza con guion",
    "yes",
    "0123",
    "2024-07-15",
    "@arroba `tilde invertida` | barra > mayor",
    "Un texto largo " + "con muchas palabras, " * 12 + "que no cabe en una línea.",
]


@pytest.mark.parametrize("texto", _TEXTOS_ESPECIALES)
@pytest.mark.parametrize("ruta", ["identificacion.cite", "presentacion.introduccion",
                                  "identificacion.firmas", "presentacion.marco_normativo"])
def test_un_texto_especial_queda_tal_cual(ruta, texto, tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    campo = pf.campo(ruta)
    if campo.tipo == pf.TABLA:
        filas = documento.valores()[ruta]
        valor = [{**filas[0], "nombre": texto}, *filas[1:]]
    elif campo.tipo == pf.LISTA:
        valor = [texto, *documento.valores()[ruta][1:]]
    else:
        valor = texto
    parametros = cargar_parametros(_guardado(documento.con_cambios({ruta: valor})))
    assert _leido(parametros, ruta) == valor
    assert pf.abrir(documento.ruta).valores()[ruta] == valor


def test_un_texto_de_varios_parrafos_queda_tal_cual(tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    parrafos = "Primer párrafo: con dos puntos.\n\nSegundo # con numeral.\n  Tercero, sangrado."
    cambiado = documento.con_cambios({"presentacion.introduccion": parrafos})
    assert cargar_parametros(_guardado(cambiado)).presentacion.introduccion == parrafos


# --------------------------------------------------------------------------------------
# Un documento nuevo y el cambio de tipo o de periodo


def test_un_documento_nuevo_lleva_su_carpeta_al_cambiar_de_trimestre(tmp_path):
    documento = _en_blanco("trimestral", tmp_path)
    primero = cargar_parametros(_guardado(documento))
    siguiente = primero.trimestre + 1
    cambiado = documento.con_cambios({"trimestre": siguiente})
    parametros = cargar_parametros(_guardado(cambiado))
    assert parametros.trimestre == siguiente
    assert parametros.carpeta_salida.name == parametros.etiqueta != primero.etiqueta
    assert parametros.carpeta_salida.parent == primero.carpeta_salida.parent


def test_al_cambiar_de_tipo_se_quitan_los_campos_que_no_lleva(tmp_path):
    documento = _en_blanco("trimestral", tmp_path)
    gestion = next(t for t in tipos.nombres() if tipos.tipo(t).periodo == "gestion")
    cambiado = documento.con_cambios({"informe": gestion})
    assert cambiado.valores()["trimestre"] is None
    parametros = cargar_parametros(_guardado(cambiado))
    assert parametros.informe == gestion
    assert parametros.carpeta_salida.name == parametros.etiqueta
    assert cambiado.informe == gestion


def test_una_ruta_que_no_es_un_campo(tmp_path):
    documento = _en_blanco("trimestral", tmp_path)
    with pytest.raises(KeyError, match="no es un campo"):
        documento.con_cambios({"metodologia.inventada": 1})


def test_guardar_conserva_los_permisos_del_archivo(tmp_path):
    ruta = _copia(MUESTRA, tmp_path)
    ruta.chmod(0o640)
    documento = pf.abrir(ruta).con_cambios({"metodologia.umbral_cumple": _otro(
        pf.campo("metodologia.umbral_cumple"), pf.abrir(ruta).valores()[
            "metodologia.umbral_cumple"])})
    assert documento.guardar().valido
    assert ruta.stat().st_mode & 0o777 == 0o640
    assert sorted(tmp_path.iterdir()) == [ruta]


def test_quitar_una_fila_borra_solo_su_linea(tmp_path):
    documento = pf.abrir(_copia(MUESTRA, tmp_path))
    escala = documento.valores()["metodologia.escala_calificacion"]
    cambiado = documento.con_cambios({"metodologia.escala_calificacion": escala[1:]})
    cambiadas, insertadas = _lineas_cambiadas(documento.texto, cambiado.texto)
    assert len(cambiadas) == 1 and not insertadas
    assert cambiado.valores()["metodologia.escala_calificacion"] == escala[1:]


@settings(max_examples=100, deadline=None)
@given(texto=st.text().filter(str.strip))
def test_cualquier_texto_vuelve_igual_al_formulario(texto):
    documento = pf.abrir(MUESTRA)  # sin guardarlo
    firmas = documento.valores()["identificacion.firmas"]
    cambios = {"identificacion.cite": texto, "presentacion.introduccion": texto,
               "presentacion.marco_normativo": [texto],
               "identificacion.firmas": [{**firmas[0], "cargo": texto}],
               "organizacion.agrupacion_plural": texto}
    valores = documento.con_cambios(cambios).valores()
    assert {ruta: valores[ruta] for ruta in cambios} == cambios
