"""Cambiar un archivo YAML en su lugar: sólo las líneas de lo que cambió.

`editar(texto, nuevo)` devuelve `texto` con el contenido `nuevo` (un grupo de claves, como lo
lee `leer`). Lo que no cambió queda byte a byte: comentarios, comillas, sangría, líneas en
blanco y fin de línea (\\n o \\r\\n). Un valor que cambió se escribe en el lugar del viejo; en
una lista o en un grupo, sólo el elemento o la clave que cambió (cambiar una firma no toca las
otras). Una clave quitada se borra con sus líneas. Una clave nueva:

- va en el lugar de su línea comentada, si el archivo la tiene (`# clave: valor`, o
  `#   clave:` bajo un `# grupo:` comentado, como las escribe `informe-poa nuevo`): se quita el
  «# » de ella, de sus líneas y de las de sus grupos, y se le pone su valor;
- si no, después de la clave que la precede en `nuevo` (el orden de `nuevo` es el deseado), o
  al comienzo de su grupo.

Se lee con PyYAML, como lo lee `entrada.parametros.cargar_parametros` (las mismas reglas: un
`yes` es verdadero, un `0123` es un número), y sus marcas dicen dónde empieza y termina cada
valor en el texto. Lo que no se puede cambiar en su lugar (un grupo entre llaves que gana una
clave, una lista que queda vacía) reescribe el valor que lo contiene, y sólo ése.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import math
import re
import textwrap
from dataclasses import dataclass

import yaml

__all__ = ["claves_escritas", "editar", "igual", "leer"]

# El ancho de un texto largo escrito en varias líneas (`>-`), con su sangría.
_ANCHO = 92

# Un texto que se escribe sin comillas: una palabra en minúsculas, como las opciones (`tareas`,
# `elaborado`); los demás textos, entre comillas, como en el archivo en blanco.
_PALABRA = re.compile(r"[a-z_]+")

# Una línea comentada que es una clave: `# clave:`, `#   clave: valor`, `  # clave:`.
_CLAVE_COMENTADA = re.compile(r" *# ?( *)([A-Za-z_][A-Za-z0-9_]*):(?:\s|$)")

# Una línea que es una clave: `clave:`, `  clave: valor`.
_CLAVE_ESCRITA = re.compile(r" *([A-Za-z_][A-Za-z0-9_]*):(?:\s|$)")

# Lo que va antes de un elemento de una lista en bloque, en su línea: «    - ».
_GUION = re.compile(r" *- +")


def leer(texto: str):
    """El contenido de `texto` como lo lee `cargar_parametros` (PyYAML, sin etiquetas)."""
    return yaml.safe_load(texto)


def igual(a, b) -> bool:
    """Si `a` y `b` son el mismo valor de YAML: 20 y 20.0 sí; 1 y true, o una fecha y su
    texto, no."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(igual(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(map(igual, a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


def editar(texto: str, nuevo: dict) -> str:
    """`texto` (un grupo de claves en YAML) con el contenido `nuevo`, cambiado en su lugar."""
    texto = _activar_comentadas(texto, nuevo)
    return _Editor(texto).editado(nuevo)


# --------------------------------------------------------------------------------------
# Cómo se escribe un valor


def _numero(valor: float) -> str:
    """Un número como lo lee YAML 1.1: 100, 0.5, 1.0e-07 (sin el punto, «1e-07» es texto)."""
    if math.isnan(valor):
        return ".nan"
    if math.isinf(valor):
        return ".inf" if valor > 0 else "-.inf"
    if valor.is_integer() and abs(valor) < 1e15:
        return str(int(valor))
    escrito = repr(valor)
    mantisa, e, exponente = escrito.partition("e")
    if e and "." not in mantisa:
        escrito = f"{mantisa}.0e{exponente}"
    return escrito


def _entre_comillas(texto: str) -> str:
    """Un texto entre comillas dobles, con lo que haga falta escapado, en una línea."""
    return yaml.safe_dump(texto, default_style='"', width=10**9, allow_unicode=True).rstrip("\n")


def _escalar(valor) -> str:
    if valor is None:
        return "null"
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, int):
        return str(valor)
    if isinstance(valor, float):
        return _numero(valor)
    if isinstance(valor, dt.datetime):
        return valor.isoformat(sep=" ")
    if isinstance(valor, dt.date):
        return valor.isoformat()
    texto = str(valor)
    if _PALABRA.fullmatch(texto) and leer(texto) == texto:
        return texto
    return _entre_comillas(texto)


def _clave(clave) -> str:
    return clave if isinstance(clave, str) and _PALABRA.fullmatch(clave) else _escalar(clave)


def _en_linea(valor) -> str:
    """El valor en una línea: un grupo entre llaves, una lista entre corchetes."""
    if isinstance(valor, dict):
        return "{" + ", ".join(f"{_clave(k)}: {_en_linea(v)}" for k, v in valor.items()) + "}"
    if isinstance(valor, (list, tuple)):
        return "[" + ", ".join(_en_linea(v) for v in valor) + "]"
    return _escalar(valor)


def _es_grupo(valor) -> bool:
    """Un grupo de claves con nombre, que se escribe en bloque (no el semáforo, {1: [...]})."""
    return isinstance(valor, dict) and bool(valor) and all(isinstance(k, str) for k in valor)


def _bloque(texto: str, sangria: int, ocupado: int, salto: str) -> str | None:
    """Un texto largo como bloque de YAML (`>-` en renglones, o `|-` si tiene saltos de
    línea) bajo una clave en la columna `sangria` cuya línea ya lleva `ocupado` caracteres;
    None si cabe en su línea o si el bloque no se leería igual (un espacio al final, dos
    espacios seguidos en un corte)."""
    if "\n" not in texto and ocupado + len(_entre_comillas(texto)) <= _ANCHO:
        return None
    interior = " " * (sangria + 2)
    if "\n" in texto:
        cabecera, renglones = "|-", texto.split("\n")
    else:
        cabecera = ">-"
        renglones = textwrap.wrap(texto, _ANCHO - len(interior), break_long_words=False,
                                  break_on_hyphens=False)
    cuerpo = cabecera + "".join(salto + (interior + r if r else "") for r in renglones)
    try:
        leido = leer(" " * sangria + "k: " + cuerpo.replace(salto, "\n"))
    except yaml.YAMLError:
        return None
    return cuerpo if leido == {"k": texto} else None


def _tras_la_clave(valor, sangria: int, ocupado: int, salto: str, bloque: bool = True) -> str:
    """Lo que va después de «clave:» en la columna `sangria`: « valor» en la misma línea, o
    un salto y las líneas de un grupo o de una lista. `bloque`: si un texto largo puede ir
    en un bloque `>-` (no, si a la línea le sigue un comentario, que quedaría dentro)."""
    if _es_grupo(valor):
        return "".join(salto + _con_clave(k, v, sangria + 2, salto) for k, v in valor.items())
    if isinstance(valor, (list, tuple)) and valor:
        return "".join(f"{salto}{' ' * (sangria + 2)}- {_en_linea(v)}" for v in valor)
    if isinstance(valor, str) and bloque:
        escrito = _bloque(valor, sangria, ocupado, salto)
        if escrito is not None:
            return " " + escrito
    return " " + _en_linea(valor)


def _con_clave(clave, valor, sangria: int, salto: str) -> str:
    """«clave: valor» en la columna `sangria` (en varias líneas si es un grupo o una lista)."""
    cabeza = f"{' ' * sangria}{_clave(clave)}:"
    return cabeza + _tras_la_clave(valor, sangria, len(cabeza) + 1, salto)


# --------------------------------------------------------------------------------------
# Los cambios en el texto


@dataclass(frozen=True)
class _Edicion:
    """Reemplazar texto[inicio:fin] por `texto` (insertar, si inicio == fin)."""

    inicio: int
    fin: int
    texto: str


@dataclass(frozen=True)
class _Lugar:
    """Dónde está un valor: `valor` de la `clave` (su nodo) de un grupo en bloque cuyas claves
    están en la columna `sangria`; `elemento` de una lista en bloque; `flujo`, dentro de
    llaves o corchetes; `raiz`, el documento."""

    tipo: str
    clave: yaml.Node | None = None
    sangria: int = 0


class _NoEnSuLugar(Exception):
    """El cambio no se puede hacer en su lugar: se reescribe el valor que lo contiene."""


def _construir(nodo: yaml.Node):
    cargador = yaml.SafeLoader("")
    try:
        return cargador.construct_document(nodo)
    finally:
        cargador.dispose()


def _aplicar(texto: str, ediciones: list[_Edicion]) -> str:
    """`texto` con las ediciones, que no se superponen; las que insertan en un mismo lugar
    quedan en el orden en que se pidieron."""
    en_orden = sorted(enumerate(ediciones), key=lambda par: (par[1].inicio, par[1].fin, par[0]))
    for (_, antes), (_, despues) in zip(en_orden, en_orden[1:]):
        if despues.inicio < antes.fin:
            raise AssertionError(f"ediciones superpuestas: {antes} y {despues}")
    for _, edicion in reversed(en_orden):
        texto = texto[:edicion.inicio] + edicion.texto + texto[edicion.fin:]
    return texto


class _Editor:
    def __init__(self, texto: str):
        self.texto = texto
        self.salto = "\r\n" if "\r\n" in texto else "\n"

    # Posiciones en el texto

    def _inicio_de_linea(self, i: int) -> int:
        return self.texto.rfind("\n", 0, i) + 1

    def _fin_de_linea(self, i: int) -> int:
        """Dónde termina la línea de `i`, antes de su «\\n» (o «\\r\\n»)."""
        j = self.texto.find("\n", i)
        if j == -1:
            return len(self.texto)
        return j - 1 if self.texto[j - 1:j] == "\r" else j

    def _linea_siguiente(self, i: int) -> int:
        j = self.texto.find("\n", i)
        return len(self.texto) if j == -1 else j + 1

    def _fin(self, nodo: yaml.Node) -> int:
        """Dónde termina el valor `nodo` en el texto, sin los comentarios ni las líneas en
        blanco que le siguen (que PyYAML cuenta en un grupo en bloque o en un bloque `>-`)."""
        if isinstance(nodo, yaml.ScalarNode):
            fin = nodo.end_mark.index
            if nodo.style in ("|", ">"):
                while fin > nodo.start_mark.index and self.texto[fin - 1] in " \t\r\n":
                    fin -= 1
                fin = self._fin_de_linea(fin - 1) if fin > nodo.start_mark.index else fin
            return fin
        if nodo.flow_style or not nodo.value:
            return nodo.end_mark.index
        ultimo = nodo.value[-1]
        return self._fin(ultimo[1] if isinstance(nodo, yaml.MappingNode) else ultimo)

    def _dos_puntos(self, clave: yaml.Node) -> int:
        """Justo después del «:» de la clave `clave`."""
        return self.texto.index(":", clave.end_mark.index) + 1

    def _fin_del_par(self, clave: yaml.Node, valor: yaml.Node) -> int:
        return self._dos_puntos(clave) if _vacio(valor) else self._fin(valor)

    # Los cambios

    def editado(self, nuevo: dict) -> str:
        raiz = yaml.compose(self.texto, Loader=yaml.SafeLoader)
        if raiz is None:  # sólo comentarios: las claves van al final
            return self.texto + "".join(_con_clave(k, v, 0, self.salto) + self.salto
                                        for k, v in nuevo.items())
        viejo = _construir(raiz)
        if not isinstance(viejo, dict):
            raise ValueError("el texto no es un grupo de claves (clave: valor)")
        return _aplicar(self.texto, self._cambios(raiz, viejo, nuevo, _Lugar("raiz")))

    def _cambios(self, nodo, viejo, nuevo, lugar: _Lugar) -> list[_Edicion]:
        if igual(viejo, nuevo):
            return []
        try:
            if (isinstance(nodo, yaml.MappingNode) and isinstance(viejo, dict)
                    and isinstance(nuevo, dict)):
                return self._cambios_de_grupo(nodo, viejo, nuevo, lugar)
            if (isinstance(nodo, yaml.SequenceNode) and isinstance(viejo, list)
                    and isinstance(nuevo, (list, tuple))):
                return self._cambios_de_lista(nodo, viejo, list(nuevo))
        except _NoEnSuLugar:
            pass
        return [self._reemplazo(nodo, nuevo, lugar)]

    def _reemplazo(self, nodo, nuevo, lugar: _Lugar) -> _Edicion:
        """El valor `nodo` reescrito entero como `nuevo`."""
        if lugar.tipo == "raiz":
            lineas = self.salto.join(_con_clave(k, v, 0, self.salto) for k, v in nuevo.items())
            return _Edicion(nodo.start_mark.index, self._fin(nodo), lineas or "{}")
        if lugar.tipo != "valor":
            return _Edicion(nodo.start_mark.index, self._fin(nodo), _en_linea(nuevo))
        dos_puntos = self._dos_puntos(lugar.clave)
        ocupado = dos_puntos - self._inicio_de_linea(dos_puntos) + 1
        fin = self._fin_del_par(lugar.clave, nodo)
        sigue = self.texto[fin:self._fin_de_linea(fin)].strip()
        en_su_linea = isinstance(nodo, yaml.ScalarNode) or nodo.flow_style
        if en_su_linea and not isinstance(nodo, yaml.ScalarNode):  # entre llaves, como estaba
            escrito = " " + _en_linea(nuevo)
        else:
            escrito = _tras_la_clave(nuevo, lugar.sangria, ocupado, self.salto, bloque=not sigue)
        if escrito.startswith(" ") and en_su_linea and not _vacio(nodo):
            return _Edicion(nodo.start_mark.index, fin, escrito[1:])
        return _Edicion(dos_puntos, fin, escrito)

    def _pares(self, nodo: yaml.MappingNode, viejo: dict) -> dict:
        """Clave -> (su nodo, el de su valor); con una clave repetida, la última, como
        PyYAML."""
        pares = {_construir(k): (k, v) for k, v in nodo.value}
        if pares.keys() != viejo.keys():  # «<<:» de YAML, que mezcla otro grupo
            raise _NoEnSuLugar
        return pares

    def _cambios_de_grupo(self, nodo, viejo: dict, nuevo: dict, lugar: _Lugar):
        pares = self._pares(nodo, viejo)
        if not nuevo:  # sin claves, un grupo en bloque quedaría vacío: se escribe {}
            raise _NoEnSuLugar
        if nodo.flow_style:
            if viejo.keys() != nuevo.keys():
                raise _NoEnSuLugar
            return [e for k in nuevo
                    for e in self._cambios(pares[k][1], viejo[k], nuevo[k], _Lugar("flujo"))]
        columna = nodo.start_mark.column
        ediciones = []
        for k in nuevo:
            if k in viejo:
                clave, valor = pares[k]
                ediciones += self._cambios(valor, viejo[k], nuevo[k],
                                           _Lugar("valor", clave, columna))
        ediciones += [self._borrar(*pares[k]) for k in viejo if k not in nuevo]
        return ediciones + self._agregados(nodo, pares, viejo, nuevo, lugar)

    def _borrar(self, clave: yaml.Node, valor: yaml.Node) -> _Edicion:
        """Borrar la clave con sus líneas (con el comentario de su última línea)."""
        inicio = self._inicio_de_linea(clave.start_mark.index)
        if self.texto[inicio:clave.start_mark.index].strip():
            raise _NoEnSuLugar
        return _Edicion(inicio, self._linea_siguiente(self._fin_del_par(clave, valor)), "")

    def _agregados(self, nodo, pares: dict, viejo: dict, nuevo: dict, lugar: _Lugar):
        """Las claves nuevas, cada una después de la que la precede en `nuevo`."""
        columna = nodo.start_mark.column
        por_ancla: dict[object, list[str]] = {}
        ancla = None
        for k, v in nuevo.items():
            if k in viejo:
                ancla = k
            else:
                por_ancla.setdefault(ancla, []).append(_con_clave(k, v, columna, self.salto))
        ediciones = []
        for ancla, lineas in por_ancla.items():
            if ancla is not None:
                fin = self._tras_sus_comentarios(
                    self._fin_de_linea(self._fin_del_par(*pares[ancla])), columna)
            elif lugar.tipo == "valor":  # al comienzo del grupo: tras la línea de su nombre
                fin = self._fin_de_linea(lugar.clave.end_mark.index)
            elif lugar.tipo == "raiz":
                primera = nodo.value[0][0].start_mark.index
                if self.texto[self._inicio_de_linea(primera):primera].strip():
                    raise _NoEnSuLugar
                fin = self._inicio_de_linea(primera) - 1  # antes de la primera clave
            else:
                raise _NoEnSuLugar
            ediciones.append(self._insercion(fin, lineas))
        return ediciones

    def _insercion(self, fin: int, lineas: list[str]) -> _Edicion:
        """Las `lineas` después de la línea que termina en `fin` (-1: al comienzo): al
        comienzo de la siguiente, para no caer dentro de lo que se borra de la suya."""
        siguiente = self._linea_siguiente(fin) if fin >= 0 else 0
        if siguiente > fin:
            return _Edicion(siguiente, siguiente, "".join(lin + self.salto for lin in lineas))
        return _Edicion(fin, fin, "".join(self.salto + lin for lin in lineas))

    def _tras_sus_comentarios(self, posicion: int, columna: int) -> int:
        """El fin de la última de las líneas de comentario que siguen a `posicion` más adentro
        que `columna` (las del grupo que termina allí, no las de la clave que sigue)."""
        while posicion < len(self.texto):
            siguiente = self._linea_siguiente(posicion)
            linea = self.texto[siguiente:self._fin_de_linea(siguiente)]
            sangria = _sangria(linea)
            if not _es_comentario(linea) or sangria is None or sangria <= columna:
                break
            posicion = self._fin_de_linea(siguiente)
        return posicion

    def _cambios_de_lista(self, nodo, viejo: list, nuevo: list) -> list[_Edicion]:
        """Los elementos que siguen iguales no se tocan, aunque cambien de lugar en la lista
        (quitar la primera firma borra su línea, no reescribe las demás)."""
        elementos = nodo.value
        if nodo.flow_style or not nuevo:
            if len(viejo) != len(nuevo) or not nuevo:
                raise _NoEnSuLugar
            return [e for n, v, w in zip(elementos, viejo, nuevo)
                    for e in self._cambios(n, v, w, _Lugar("flujo"))]
        guiones = [self.texto[self._inicio_de_linea(n.start_mark.index):n.start_mark.index]
                   for n in elementos]
        if len(elementos) != len(viejo) or not all(_GUION.fullmatch(g) for g in guiones):
            raise _NoEnSuLugar
        guion = guiones[-1].rstrip() + " "
        pares = difflib.SequenceMatcher(a=[_huella(v) for v in viejo],
                                        b=[_huella(w) for w in nuevo], autojunk=False)
        return [e for operacion, i1, i2, j1, j2 in pares.get_opcodes() if operacion != "equal"
                for e in self._cambios_de_tramo(elementos, viejo[i1:i2], nuevo[j1:j2], i1,
                                                guion)]

    def _cambios_de_tramo(self, elementos: list, viejos: list, nuevos: list, desde: int,
                          guion: str) -> list[_Edicion]:
        """Los elementos `viejos` de una lista en bloque (desde la posición `desde`), que
        pasan a ser `nuevos`: los primeros se cambian uno a uno, los que sobran se borran y
        los que faltan se agregan después del último que queda."""
        comunes = min(len(viejos), len(nuevos))
        ediciones = [e for k in range(comunes)
                     for e in self._cambios(elementos[desde + k], viejos[k], nuevos[k],
                                            _Lugar("elemento"))]
        if len(nuevos) > comunes:
            anterior = desde + comunes - 1
            fin = (self._fin_de_linea(self._fin(elementos[anterior])) if anterior >= 0
                   else self._inicio_de_linea(elementos[0].start_mark.index) - 1)
            ediciones.append(self._insercion(fin, [guion + _en_linea(w)
                                                   for w in nuevos[comunes:]]))
        if len(viejos) > comunes:
            inicio = self._inicio_de_linea(elementos[desde + comunes].start_mark.index)
            fin = self._linea_siguiente(self._fin(elementos[desde + len(viejos) - 1]))
            ediciones.append(_Edicion(inicio, fin, ""))
        return ediciones

def _huella(valor) -> str:
    """Un valor como texto, para hallar los elementos iguales de dos listas."""
    try:
        return yaml.safe_dump(valor, sort_keys=True, allow_unicode=True)
    except yaml.YAMLError:
        return repr(valor)


def _vacio(nodo: yaml.Node) -> bool:
    """Un valor que no está escrito (`clave:` sin nada): PyYAML no dice bien dónde está."""
    return isinstance(nodo, yaml.ScalarNode) and nodo.value == "" and nodo.style is None


# --------------------------------------------------------------------------------------
# Las claves comentadas: `# clave: valor`, que se activan en su lugar


def _sangria(linea: str) -> int | None:
    """La columna de lo que dice la línea, o None si está en blanco. En una línea comentada,
    la de lo comentado: «#   cite:» y «  # cite:» están en la 2, como «  cite:»."""
    contenido = linea.lstrip(" ")
    if not contenido.strip():
        return None
    antes = len(linea) - len(contenido)
    if not contenido.startswith("#"):
        return antes
    resto = contenido[1:]
    return antes + max(0, len(resto) - len(resto.lstrip(" ")) - 1)


def _comentada(linea: str) -> str | None:
    """La clave de una línea comentada que es una clave (`#   cite: "..."`), o None."""
    encontrada = _CLAVE_COMENTADA.match(linea)
    return encontrada[2] if encontrada else None


def claves_escritas(texto: str) -> list[tuple[str, ...]]:
    """Las rutas de las claves de `texto`, escritas o comentadas, en el orden en que están:
    [("entidad",), ("entidad", "nombre"), ..., ("identificacion", "fuentes", "fisica")]. Los
    elementos de una lista no cuentan (una firma no es una clave)."""
    rutas, abiertas = [], []  # abiertas: (columna, clave) de los grupos que contienen la línea
    for linea in texto.splitlines():
        clave = _comentada(linea) if _es_comentario(linea) else _clave_escrita(linea)
        sangria = _sangria(linea)
        if clave is None or sangria is None:
            continue
        while abiertas and abiertas[-1][0] >= sangria:
            abiertas.pop()
        abiertas.append((sangria, clave))
        rutas.append(tuple(c for _, c in abiertas))
    return rutas


def _clave_escrita(linea: str) -> str | None:
    encontrada = _CLAVE_ESCRITA.match(linea)
    return encontrada[1] if encontrada else None


def _descomentada(linea: str) -> str:
    """La línea sin su «#» y el espacio que le sigue."""
    i = linea.index("#")
    return linea[:i] + linea[i + (2 if linea[i + 1:i + 2] == " " else 1):]


def _es_comentario(linea: str) -> bool:
    return linea.lstrip(" ").startswith("#")


def _agregadas(viejo, nuevo, prefijo: tuple = ()):
    """Las rutas de los valores de `nuevo` que `viejo` no tiene, hasta el último grupo."""
    if not (isinstance(viejo, dict) and _es_grupo(nuevo)):
        return
    for clave, valor in nuevo.items():
        if clave in viejo:
            yield from _agregadas(viejo[clave], valor, (*prefijo, clave))
        else:
            yield from _hojas(valor, (*prefijo, clave))


def _hojas(valor, prefijo: tuple):
    if _es_grupo(valor):
        for clave, dentro in valor.items():
            yield from _hojas(dentro, (*prefijo, clave))
    else:
        yield prefijo


def _sin(datos: dict, ruta: tuple, nuevas: int) -> dict:
    """`datos` sin el valor de `ruta`, ni los `nuevas` grupos de su final que quedan vacíos."""
    datos = copy.deepcopy(datos)
    grupos = [datos]
    for clave in ruta[:-1]:
        grupos.append(grupos[-1][clave])
    del grupos[-1][ruta[-1]]
    for profundidad in range(len(ruta) - 1, len(ruta) - nuevas, -1):
        if not grupos[profundidad]:
            del grupos[profundidad - 1][ruta[profundidad - 1]]
    return datos


def _activar_comentadas(texto: str, nuevo: dict) -> str:
    """`texto` con las claves de `nuevo` que le faltan activadas en sus líneas comentadas,
    donde las haya (con el valor comentado, que `editar` cambia después)."""
    intentadas = set()
    while True:
        viejo = leer(texto)
        ruta = next((r for r in _agregadas(viejo, nuevo) if r not in intentadas), None)
        if ruta is None:
            return texto
        intentadas.add(ruta)
        texto = _Activacion(texto).activada(ruta, viejo) or texto


class _Activacion:
    """Buscar en el texto las líneas comentadas de una ruta y descomentarlas."""

    def __init__(self, texto: str):
        self.texto = texto
        inicios = [0, *(i + 1 for i, c in enumerate(texto) if c == "\n")]
        self.inicios = inicios
        self.lineas = [texto[a:b].rstrip("\r\n") for a, b in zip(inicios, [*inicios[1:],
                                                                           len(texto)])]

    def _hasta(self, desde: int, columna: int) -> int:
        """La primera línea desde `desde` que no está más adentro que `columna` (las en
        blanco no cuentan)."""
        n = desde
        while n < len(self.lineas):
            sangria = _sangria(self.lineas[n])
            if sangria is not None and sangria <= columna:
                break
            n += 1
        return n

    def _real(self, ruta: tuple):
        """El grupo en bloque más hondo de `ruta` que ya está escrito: cuántas claves de la
        ruta tiene, su columna y dónde buscar las comentadas (líneas desde, hasta); None si
        la ruta ya está, o si un valor que no es un grupo en bloque la corta."""
        raiz = yaml.compose(self.texto, Loader=yaml.SafeLoader)
        if not isinstance(raiz, yaml.MappingNode):
            return None
        nodo, desde, hasta = raiz, 0, len(self.lineas)
        for i, clave in enumerate(ruta):
            pares = {_construir(k): (k, v) for k, v in nodo.value}
            if clave not in pares:
                return i, nodo.start_mark.column, desde, hasta
            nombre, valor = pares[clave]
            if not isinstance(valor, yaml.MappingNode) or valor.flow_style:
                return None
            linea = nombre.start_mark.line
            nodo, desde, hasta = valor, linea + 1, self._hasta(linea + 1, nombre.start_mark.column)
        return None

    def activada(self, ruta: tuple, viejo: dict) -> str | None:
        """El texto con `ruta` activada, o None si no tiene sus líneas comentadas (o si al
        descomentarlas cambiaría algo más que esa clave)."""
        real = self._real(ruta)
        if real is None:
            return None
        escritas, columna, desde, hasta = real
        numeros = []
        for clave in ruta[escritas:]:
            n = next((n for n in range(desde, hasta) if _comentada(self.lineas[n]) == clave
                      and _sangria(self.lineas[n]) == columna), None)
            if n is None:
                return None
            numeros.append(n)
            desde, hasta = n + 1, self._hasta(n + 1, columna)
            hijas = [_sangria(linea) for linea in self.lineas[desde:hasta] if _comentada(linea)]
            columna = min(hijas, default=-1)
        numeros += self._continuacion(numeros[-1], hasta)
        texto = _aplicar(self.texto, [
            _Edicion(self.inicios[n], self.inicios[n] + len(self.lineas[n]),
                     _descomentada(self.lineas[n])) for n in numeros])
        try:
            activado = leer(texto)
        except yaml.YAMLError:
            return None
        try:
            igual_que_antes = igual(_sin(activado, ruta, len(ruta) - escritas), viejo)
        except (KeyError, TypeError):
            return None
        return texto if igual_que_antes else None

    def _continuacion(self, n: int, hasta: int) -> list[int]:
        """Las líneas comentadas del valor de la clave de la línea `n` (los elementos de su
        lista, sus claves), que siguen a la suya más adentro; no sus comentarios."""
        columna = _sangria(self.lineas[n])
        siguientes = []
        for m in range(n + 1, hasta):
            linea = self.lineas[m]
            sangria = _sangria(linea)
            if (sangria is None or sangria <= columna or not _es_comentario(linea)
                    or _descomentada(linea).lstrip(" ").startswith("#")):
                break
            siguientes.append(m)
        return siguientes
