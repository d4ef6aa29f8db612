"""El formulario de los parámetros de un informe: lo que muestra la página y cómo lo guarda.

Los campos (`campos`, `formulario`) salen de los modelos de `entrada.parametros`: una clave
nueva de un modelo es un campo nuevo sin tocar este módulo (si su tipo de valor es uno de los
que conoce; si no, `campos` lo dice al importarse). Su valor por omisión es el del modelo; su
etiqueta y su ayuda, el título y la descripción de su campo en el modelo (los mismos que
dicen el archivo en blanco y docs/parametros.md); los tipos de informe en que va, los
archivos en blanco en que figura; su lugar, el de esos archivos.

Un `Documento` es un archivo de parámetros abierto en el formulario (`abrir`, o `nuevo` desde
el archivo en blanco de un tipo): `valores()` da el valor de cada campo; `con_cambios({ruta:
valor})`, el documento cambiado, en su lugar (`entrada.yaml_en_su_lugar`: abrir y guardar sin
cambios deja el archivo igual, byte a byte, y un cambio toca sólo las líneas de su clave);
`validar()` lo revisa con `cargar_parametros` y `textos_de_muestra`, como la línea de órdenes,
con los mismos mensajes; `guardar()` lo escribe sólo si no tiene errores, de una vez.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Literal, get_args, get_origin

import yaml
from pydantic import BaseModel

from helpers.comun.calendario import TRIMESTRES
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.parametros import Parametros, cargar_parametros, raiz_de
from helpers.entrada.parametros_en_blanco import (
    campos_documentados,
    es_modelo,
    sin_nulo,
    texto_de_parametros,
)
from helpers.entrada.textos_de_muestra import textos_de_muestra
from helpers.entrada.yaml_en_su_lugar import claves_escritas, editar, igual, leer

__all__ = [
    "ENTERO", "FECHA", "LISTA", "NUMERO", "OPCION", "SI_NO", "TABLA", "TEXTO", "TEXTO_LARGO",
    "TITULO_DEL_INFORME", "Campo", "Documento", "Grupo", "Validacion", "abrir", "campo",
    "campos", "formulario", "nuevo", "ruta_del_campo",
]

# Los tipos de campo (qué control muestra la página).
TEXTO, TEXTO_LARGO, ENTERO, NUMERO, FECHA = "texto", "texto_largo", "entero", "numero", "fecha"
OPCION, SI_NO, LISTA, TABLA = "opcion", "si_no", "lista", "tabla"

# Los textos de varios renglones (los demás textos son de una línea).
_TEXTOS_LARGOS = {"presentacion.mision", "presentacion.vision", "presentacion.introduccion"}

# Los textos que son una opción de una lista que no está en el modelo (la valida otra cosa).
_OPCIONES = {"informe": lambda: tuple(_tipos().nombres())}

# Las claves que el modelo deja opcionales y un validador exige donde van (el trimestre, en
# un informe trimestral; el campo sólo se muestra allí).
_OBLIGATORIOS = {"trimestre"}

# Los límites que dice un validador y no el campo.
_LIMITES = {"trimestre": (min(TRIMESTRES), max(TRIMESTRES))}

# El título del grupo de las claves sueltas del informe (los demás grupos son claves de
# `Parametros`, con su título y su ayuda).
TITULO_DEL_INFORME = "El informe"


@dataclass(frozen=True)
class Campo:
    """Un campo del formulario: una clave de los parámetros (`ruta`, como la nombran los
    errores: `metodologia.umbral_cumple`). Una tabla tiene `columnas` (campos cuya ruta
    sigue a la suya: `identificacion.firmas.nombre`), y su valor es una lista de filas
    {clave de la columna: valor}."""

    ruta: str
    etiqueta: str
    tipo: str
    obligatorio: bool
    por_omision: object
    ayuda: str
    informes: tuple[str, ...]
    opciones: tuple = ()
    columnas: tuple[Campo, ...] = ()
    minimo: float | None = None
    maximo: float | None = None

    @property
    def clave(self) -> str:
        """La última parte de la ruta: la clave de una columna en las filas de su tabla."""
        return self.ruta.rsplit(".", 1)[-1]

    @property
    def grupo(self) -> str:
        """La clave del grupo del formulario en que va ("" las del informe)."""
        return self.ruta.split(".", 1)[0] if "." in self.ruta else ""


@dataclass(frozen=True)
class Grupo:
    """Un grupo del formulario: su clave ("" las claves sueltas del informe), su título, su
    ayuda y sus campos, en orden."""

    clave: str
    titulo: str
    ayuda: str
    campos: tuple[Campo, ...]


# --------------------------------------------------------------------------------------
# Los campos, desde los modelos


def _tipos():
    from helpers.entrada import tipos

    return tipos


@cache
def _plantillas() -> dict[str, list[str]]:
    """Las rutas que figuran en el archivo en blanco de cada tipo de informe, en orden."""
    tipos = _tipos()
    rutas = {}
    for nombre in tipos.nombres():
        texto = texto_de_parametros(tipos.tipo(nombre), nombre="-", sigla="-",
                                    gestion=dt.date.today().year, libro="-")
        rutas[nombre] = [".".join(r) for r in claves_escritas(texto)]
    return rutas


@cache
def _orden() -> dict[str, int]:
    """La posición de cada ruta en los archivos en blanco (todos los tipos a la vez)."""
    juntas: list[str] = []
    for rutas in _plantillas().values():
        for i, ruta in enumerate(rutas):
            if ruta not in juntas:
                anterior = rutas[i - 1] if i else None
                juntas.insert(juntas.index(anterior) + 1 if anterior in juntas else 0, ruta)
    return {ruta: i for i, ruta in enumerate(juntas)}


def _limite(info, nombre: str):
    return next((getattr(m, nombre) for m in info.metadata if hasattr(m, nombre)), None)


def _ayuda(info) -> str:
    """La descripción del campo como frase: con mayúscula inicial y su punto."""
    texto = (info.description or "") if info is not None else ""
    if not texto:
        return ""
    return texto[0].upper() + texto[1:] + ("" if texto.endswith(".") else ".")


def _columnas_de_mapa(ruta: str) -> dict[str, str] | None:
    """{columna: título} de un campo que en el YAML es un grupo de listas ({1: [20, 10],
    ...}): la columna de la clave y las de cada valor de la lista; None si no lo es."""
    info = campos_documentados().get(ruta)
    extra = info.json_schema_extra if info is not None else None
    return extra.get("columnas") if isinstance(extra, dict) else None


def _tipo_y_opciones(ruta: str, anotacion) -> tuple[str, tuple, tuple]:
    """(tipo de campo, opciones, columnas) de un valor anotado `anotacion`."""
    origen = get_origin(anotacion)
    simples = {bool: SI_NO, int: ENTERO, float: NUMERO, dt.date: FECHA}
    if anotacion in simples:
        return simples[anotacion], (), ()
    if origen is Literal:
        return OPCION, get_args(anotacion), ()
    if anotacion is str:
        if ruta in _OPCIONES:
            return OPCION, _OPCIONES[ruta](), ()
        return (TEXTO_LARGO if ruta in _TEXTOS_LARGOS else TEXTO), (), ()
    if origen is list:
        elemento = sin_nulo(get_args(anotacion)[0])
        if elemento is str:
            return LISTA, (), ()
        if es_modelo(elemento):
            return TABLA, (), tuple(_campos_del_modelo(elemento, f"{ruta}.", columnas=True))
    titulos = _columnas_de_mapa(ruta)
    if origen is dict and titulos:
        clave, valores = get_args(anotacion)
        tipos_de_valor = [sin_nulo(a) for a in get_args(valores) if a is not Ellipsis]
        columnas = zip(titulos.items(), [clave, *tipos_de_valor])
        return TABLA, (), tuple(
            _campo_simple(f"{ruta}.{nombre}", anotado, True, None, None, titulo)
            for (nombre, titulo), anotado in columnas)
    raise TypeError(f"el formulario de los parámetros no sabe mostrar «{ruta}» ({anotacion}): "
                    "agregue su tipo en helpers/entrada/parametros_en_formulario.py")


def _campo_simple(ruta: str, anotacion, obligatorio: bool, por_omision, info,
                  titulo: str | None = None) -> Campo:
    """El campo de `ruta`: su título y su ayuda, los de su campo del modelo `info` (una
    columna de un grupo de listas no tiene: `titulo`)."""
    tipo, opciones, columnas = _tipo_y_opciones(ruta, anotacion)
    minimo, maximo = _LIMITES.get(ruta, (None, None))
    if info is not None:
        minimo = _limite(info, "ge") if minimo is None else minimo
        maximo = _limite(info, "le") if maximo is None else maximo
    informes = tuple(n for n, rutas in _plantillas().items() if ruta in rutas)
    titulo = info.title if info is not None else titulo
    campo = Campo(ruta=ruta, etiqueta=titulo or _etiqueta_de(ruta), tipo=tipo,
                  obligatorio=obligatorio, por_omision=None, ayuda=_ayuda(info),
                  informes=informes, opciones=opciones, columnas=columnas, minimo=minimo,
                  maximo=maximo)
    return replace(campo, por_omision=_al_formulario(campo, por_omision))


def _etiqueta_de(ruta: str) -> str:
    clave = ruta.rsplit(".", 1)[-1].replace("_", " ")
    return clave[0].upper() + clave[1:]


def _campos_del_modelo(modelo: type[BaseModel], prefijo: str = "", obligatorio: bool = True,
                       columnas: bool = False) -> list[Campo]:
    """Los campos de `modelo` (y de sus grupos); `obligatorio`, si el grupo lo es."""
    lista = []
    for nombre, info in modelo.model_fields.items():
        if info.exclude:
            continue
        ruta = f"{prefijo}{nombre}"
        anotacion = sin_nulo(info.annotation)
        requerido = info.is_required() and (obligatorio or columnas)
        if es_modelo(anotacion) and not columnas:
            lista += _campos_del_modelo(anotacion, f"{ruta}.", requerido)
            continue
        omision = None if info.is_required() else info.get_default(call_default_factory=True)
        lista.append(_campo_simple(ruta, anotacion, requerido or ruta in _OBLIGATORIOS,
                                   omision, info))
    return lista


@cache
def _todos() -> tuple[Campo, ...]:
    orden = _orden()
    derivados = _campos_del_modelo(Parametros)
    return tuple(sorted(derivados, key=lambda c: orden.get(c.ruta, len(orden))))


def campos(informe: str | None = None) -> list[Campo]:
    """Los campos del formulario en orden; los del tipo de informe `informe`, si se dice."""
    return [c for c in _todos() if informe is None or informe in c.informes]


def campo(ruta: str) -> Campo:
    """El campo de la ruta `ruta`; `KeyError` si no hay ninguno."""
    por_ruta = {c.ruta: c for c in _todos()}
    if ruta not in por_ruta:
        raise KeyError(f"«{ruta}» no es un campo del formulario de los parámetros")
    return por_ruta[ruta]


def formulario(informe: str | None = None) -> list[Grupo]:
    """Los grupos del formulario del tipo de informe `informe`, con sus campos, en orden."""
    de_tipo = campos(informe)
    # Las claves sueltas primero; los grupos, en el orden del archivo en blanco.
    claves = dict.fromkeys(["", *(c.grupo for c in de_tipo)])
    grupos = []
    for clave in claves:
        suyos = tuple(c for c in de_tipo if c.grupo == clave)
        info = Parametros.model_fields[clave] if clave else None
        titulo = info.title if info is not None else TITULO_DEL_INFORME
        if suyos:
            grupos.append(Grupo(clave, titulo or _etiqueta_de(clave), _ayuda(info), suyos))
    return grupos


# --------------------------------------------------------------------------------------
# Los valores: del YAML al formulario y del formulario al YAML


def _vacio(valor) -> bool:
    """Un valor que no dice nada: la clave no se escribe."""
    return (valor is None or (isinstance(valor, str) and not valor.strip())
            or (isinstance(valor, (list, tuple, dict)) and not valor))


def _fila(campo: Campo, fila) -> dict | object:
    """Una fila de una tabla con todas sus columnas (las que faltan, con su valor por
    omisión); lo que no es una fila, tal cual (la validación dirá qué tiene)."""
    if isinstance(fila, BaseModel):
        fila = fila.model_dump()
    if not isinstance(fila, dict):
        return fila
    return {c.clave: fila.get(c.clave, c.por_omision) for c in campo.columnas}


def _al_formulario(campo: Campo, valor):
    """Lo leído del YAML (o el valor por omisión del modelo) como lo muestra el campo."""
    if valor is None or campo.tipo != TABLA:
        return list(valor) if isinstance(valor, tuple) else valor
    if _columnas_de_mapa(campo.ruta) and isinstance(valor, dict):
        clave, *columnas = (c.clave for c in campo.columnas)
        if not all(isinstance(v, (list, tuple)) and len(v) == len(columnas)
                   for v in valor.values()):
            return valor
        return [{clave: k, **dict(zip(columnas, v))} for k, v in valor.items()]
    if isinstance(valor, (list, tuple)):
        return [_fila(campo, fila) for fila in valor]
    return valor


def _al_yaml(campo: Campo, valor, antes):
    """El valor del formulario como se escribe en el YAML; `antes`, lo que dice ahora el
    archivo: una fila que no cambió queda como está escrita. None: la clave no se escribe."""
    if _vacio(valor):
        return None
    if campo.tipo == TABLA and _columnas_de_mapa(campo.ruta):
        return _mapa_al_yaml(campo, valor, antes)
    if campo.tipo == TABLA:
        return _filas_al_yaml(campo, valor, antes)
    if campo.tipo == LISTA:
        return [v for v in valor if not _vacio(v)] or None
    if campo.tipo == ENTERO and isinstance(valor, float) and valor.is_integer():
        return int(valor)
    return valor


def _filas_al_yaml(campo: Campo, filas, antes) -> list:
    """Las filas como se escriben: una que el archivo ya tiene (aunque cambie de lugar),
    como está escrita; una nueva, sin lo vacío ni lo opcional que vale lo de omisión
    (`inclusivo: true`)."""
    sin_usar = list(antes) if isinstance(antes, list) else []
    escritas = []
    for fila in filas:
        igual_a = next((a for a in sin_usar if igual(_fila(campo, a), fila)), None)
        if igual_a is not None:
            sin_usar.remove(igual_a)
            escritas.append(igual_a)
        elif isinstance(fila, dict):
            escritas.append({c.clave: fila.get(c.clave) for c in campo.columnas
                             if not _vacio(fila.get(c.clave)) and (
                                 c.obligatorio or not igual(fila.get(c.clave), c.por_omision))})
        else:
            escritas.append(fila)
    return escritas


def _mapa_al_yaml(campo: Campo, filas, antes) -> dict:
    antes = antes if isinstance(antes, dict) else {}
    clave, *columnas = (c.clave for c in campo.columnas)
    mapa = {}
    for fila in filas:
        numero = fila.get(clave)
        numero = int(numero) if isinstance(numero, float) and numero.is_integer() else numero
        valores = [fila.get(c) for c in columnas]
        mapa[numero] = antes[numero] if igual(antes.get(numero), valores) else valores
    return mapa


def _leido(contenido, ruta: str):
    """El valor de `ruta` en lo leído del YAML; None si no está."""
    for clave in ruta.split("."):
        if not isinstance(contenido, dict):
            return None
        contenido = contenido.get(clave)
    return contenido


def _poner(contenido: dict, ruta: str, valor) -> None:
    """Escribir `valor` en `ruta`; una clave (o un grupo) que no estaba va después de la que
    la precede en el archivo en blanco."""
    partes = ruta.split(".")
    grupo = contenido
    for i, clave in enumerate(partes):
        if i == len(partes) - 1:
            dentro = valor
        else:
            dentro = grupo.get(clave)
            dentro = dentro if isinstance(dentro, dict) else {}
        _insertar(grupo, ".".join(partes[:i + 1]), clave, dentro)
        grupo = dentro


def _insertar(grupo: dict, ruta: str, clave: str, valor) -> None:
    if clave in grupo:
        grupo[clave] = valor
        return
    orden = _orden()
    prefijo = ruta[:-len(clave)]
    lugar = orden.get(ruta, len(orden))
    pares = list(grupo.items())
    despues_de = [i + 1 for i, (k, _) in enumerate(pares)
                  if orden.get(f"{prefijo}{k}", len(orden)) < lugar]
    pares.insert(max(despues_de, default=0), (clave, valor))
    grupo.clear()
    grupo.update(pares)


def _quitar(contenido: dict, ruta: str) -> None:
    """Quitar la clave `ruta`, y los grupos que quedan vacíos (`identificacion:` sin nada
    sería un valor vacío, no un grupo)."""
    partes = ruta.split(".")
    grupos = [contenido]
    for clave in partes[:-1]:
        dentro = grupos[-1].get(clave)
        if not isinstance(dentro, dict):
            return
        grupos.append(dentro)
    grupos[-1].pop(partes[-1], None)
    for i in range(len(grupos) - 1, 0, -1):
        if not grupos[i]:
            del grupos[i - 1][partes[i - 1]]


def _presente(contenido, ruta: str) -> bool:
    *grupos, clave = ruta.split(".")
    for grupo in grupos:
        contenido = contenido.get(grupo) if isinstance(contenido, dict) else None
    return isinstance(contenido, dict) and clave in contenido


# --------------------------------------------------------------------------------------
# El documento


@dataclass(frozen=True)
class Validacion:
    """La revisión de un documento, como la de la línea de órdenes: los errores de
    `cargar_parametros` (con ellos no se guarda) y las advertencias de `textos_de_muestra`,
    con sus mensajes tal cual."""

    errores: tuple[Problema, ...]
    advertencias: tuple[Problema, ...]

    @property
    def valido(self) -> bool:
        return not self.errores

    def por_campo(self) -> dict[str | None, list[tuple[str, Problema]]]:
        """Los problemas («error» o «advertencia», y el problema) por la ruta del campo en
        que se muestran: el de su tabla o su lista para los de una fila
        (`identificacion.firmas[2].nombre` va en `identificacion.firmas`); su propia ruta si
        no es de un campo (`entidad`, que falta entera, o una clave mal escrita); None si no
        es de una clave (el archivo no es YAML)."""
        por_ruta: dict[str | None, list[tuple[str, Problema]]] = {}
        for clase, problemas in (("error", self.errores), ("advertencia", self.advertencias)):
            for problema in problemas:
                por_ruta.setdefault(ruta_del_campo(problema.columna, problema.mensaje),
                                    []).append((clase, problema))
        return por_ruta


def ruta_del_campo(clave: str | None, mensaje: str = "") -> str | None:
    """La ruta del campo en que se muestra un problema de la clave `clave` (la de
    `Problema.columna`). Un problema de un grupo entero (`identificacion`, que revisa la fecha
    de emisión contra el corte) cuyo `mensaje` empieza con la clave de uno de sus campos
    (`fecha_emision (01/01/2024) es anterior...`) va en ese campo."""
    if clave is None:
        return None
    sin_numeros = re.sub(r"\[\d+\]", "", clave)
    partes = sin_numeros.split(".")
    rutas = _por_ruta()
    ruta = next((".".join(partes[:n]) for n in range(len(partes), 0, -1)
                 if ".".join(partes[:n]) in rutas), sin_numeros)
    hija = re.match(r"([a-z_]+)\b", mensaje)
    if ruta not in rutas and hija and f"{ruta}.{hija.group(1)}" in rutas:
        return f"{ruta}.{hija.group(1)}"
    return ruta


@cache
def _por_ruta() -> dict[str, Campo]:
    return {c.ruta: c for c in _todos()}


@dataclass(frozen=True)
class Documento:
    """Un archivo de parámetros en el formulario: su texto y dónde se guarda, `ruta` (de ella
    salen el nombre que dicen los errores y la carpeta contra la que se resuelven las rutas
    relativas, como en la línea de órdenes)."""

    texto: str
    ruta: Path

    def contenido(self) -> dict:
        """Lo que dice el texto, como lo lee `cargar_parametros`."""
        contenido = leer(self.texto)
        return contenido if isinstance(contenido, dict) else {}

    @property
    def informe(self) -> str | None:
        """El tipo de informe que dice el documento (para `formulario`), o None."""
        informe = self.contenido().get("informe")
        return informe if isinstance(informe, str) else None

    def valores(self) -> dict[str, object]:
        """El valor de cada campo (de todos los tipos de informe): None si el archivo no lo
        dice (rige el del modelo, `Campo.por_omision`); una tabla, como lista de filas."""
        contenido = self.contenido()
        return {c.ruta: _al_formulario(c, _leido(contenido, c.ruta)) for c in _todos()}

    def con_cambios(self, cambios: dict[str, object]) -> Documento:
        """El documento con los valores `cambios` ({ruta: valor}), cambiados en su lugar.
        Un valor vacío (None, "", []) quita su clave; uno que el archivo no tenía y vale lo
        de omisión no se escribe. Al cambiar el tipo de informe se quitan los campos que el
        nuevo no lleva (el trimestre de un informe anual), y al cambiar el periodo, la
        carpeta del informe que llevaba su nombre (`informes/2025-T1`) pasa a llevar el del
        nuevo, para no reemplazar el informe de otro periodo. `KeyError` si una ruta no es
        de un campo."""
        contenido = self.contenido()
        actuales = self.valores()
        for ruta in cambios:
            campo(ruta)
        cambios = {**cambios, **_lo_que_sigue(cambios, actuales)}
        for ruta, valor in cambios.items():
            este = campo(ruta)
            if igual(valor, actuales[ruta]) or (_vacio(valor) and _vacio(actuales[ruta])
                                                and not _presente(contenido, ruta)):
                continue
            escrito = _al_yaml(este, valor, _leido(contenido, ruta))
            if escrito is None:
                _quitar(contenido, ruta)
            elif _presente(contenido, ruta) or not igual(valor, este.por_omision):
                _poner(contenido, ruta, escrito)
        return replace(self, texto=editar(self.texto, contenido))

    def validar(self) -> Validacion:
        """Los errores y advertencias del documento, los de la línea de órdenes: el texto se
        lee con `cargar_parametros` desde un archivo del mismo nombre, con la misma raíz."""
        with tempfile.TemporaryDirectory(prefix="parametros-") as carpeta:
            archivo = Path(carpeta) / self.ruta.name
            archivo.write_bytes(self.texto.encode("utf-8"))
            try:
                cargar_parametros(archivo, raiz=raiz_de(self.ruta))
                errores: tuple[Problema, ...] = ()
            except ErrorDeEntrada as error:
                errores = tuple(error.problemas)
            advertencias = tuple(textos_de_muestra(archivo))
        return Validacion(errores, advertencias)

    def parametros(self) -> Parametros | None:
        """Los parámetros del documento, leídos como en `validar`; None si tienen errores."""
        with tempfile.TemporaryDirectory(prefix="parametros-") as carpeta:
            archivo = Path(carpeta) / self.ruta.name
            archivo.write_bytes(self.texto.encode("utf-8"))
            try:
                return cargar_parametros(archivo, raiz=raiz_de(self.ruta))
            except ErrorDeEntrada:
                return None

    def guardar(self) -> Validacion:
        """Escribe el documento en `ruta` si no tiene errores (con advertencias, sí), de una
        vez: un archivo temporal al lado que reemplaza al anterior. Devuelve la revisión."""
        validacion = self.validar()
        if validacion.valido:
            self.escribir()
        return validacion

    def escribir(self) -> None:
        """Escribe el documento en `ruta` tal cual, de una vez (sin revisarlo: `guardar`)."""
        _escribir(self.ruta, self.texto)


def _etiqueta_del_periodo(valores: dict) -> str | None:
    """La carpeta por omisión del informe ('2025-T1', '2025-anual'), o None si los valores
    todavía no la dicen."""
    tipos = _tipos()
    informe, gestion = valores.get("informe"), valores.get("gestion")
    if informe not in tipos.nombres() or not isinstance(gestion, int):
        return None
    tipo = tipos.tipo(informe)
    trimestre = valores.get("trimestre") if tipo.periodo == "trimestre" else None
    if tipo.periodo == "trimestre" and not isinstance(trimestre, int):
        return None
    corte = valores.get("corte") if tipo.periodo == "gestion" else None
    return tipo.etiqueta(gestion, trimestre, corte if isinstance(corte, str) else None)


def _lo_que_sigue(cambios: dict, actuales: dict) -> dict:
    """Los cambios que siguen a un cambio de tipo de informe o de periodo."""
    despues = {**actuales, **cambios}
    siguen = {}
    if "informe" in cambios and not igual(cambios["informe"], actuales["informe"]):
        siguen |= {c.ruta: None for c in _todos()
                   if c.ruta not in cambios and actuales[c.ruta] is not None
                   and cambios["informe"] in _plantillas() and cambios["informe"] not in
                   c.informes}
    antes, ahora = _etiqueta_del_periodo(actuales), _etiqueta_del_periodo({**despues, **siguen})
    salida = actuales["salida"]
    if ("salida" not in cambios and antes and ahora and antes != ahora
            and isinstance(salida, str) and re.fullmatch(rf"(.*[/\\])?{re.escape(antes)}",
                                                         salida)):
        siguen["salida"] = salida[:-len(antes)] + ahora
    return siguen


def _escribir(ruta: Path, texto: str) -> None:
    """`texto` en `ruta`, de una vez; con los permisos del archivo que reemplaza."""
    temporal = ruta.with_name(f".{ruta.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporal, "xb") as archivo:
            archivo.write(texto.encode("utf-8"))
            archivo.flush()
            os.fsync(archivo.fileno())
        if ruta.exists():
            shutil.copymode(ruta, temporal)
        os.replace(temporal, ruta)
    except BaseException:
        temporal.unlink(missing_ok=True)
        raise


def abrir(ruta: str | Path) -> Documento:
    """El archivo de parámetros `ruta` en el formulario. Si no se puede leer como un grupo
    de claves YAML, `ErrorDeEntrada` con los problemas que dice `cargar_parametros` (no
    existe, es un libro, no es YAML válido en la línea N...)."""
    ruta = Path(ruta)
    try:
        texto = ruta.read_bytes().decode("utf-8")
        if isinstance(leer(texto), dict):
            return Documento(texto, ruta)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass
    try:
        cargar_parametros(ruta)
    except ErrorDeEntrada as error:
        raise ErrorDeEntrada(error.problemas) from None
    raise ErrorDeEntrada([Problema(ruta.name, None, None, None,
                                   "el archivo de parámetros no es un grupo de claves")])


def nuevo(informe: str, ruta: str | Path, *, nombre: str, sigla: str, gestion: int,
          libro: str) -> Documento:
    """El archivo en blanco del tipo de informe `informe` (el de `informe-poa nuevo`) para la
    entidad `nombre` (`sigla`), la gestión `gestion` y el libro `libro` (relativo a la
    carpeta de `ruta`), que se guardará en `ruta`."""
    tipo = _tipos().tipo(informe)
    texto = texto_de_parametros(tipo, nombre=nombre, sigla=sigla, gestion=gestion, libro=libro)
    return Documento(texto, Path(ruta))
