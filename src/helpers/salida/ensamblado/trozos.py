"""Una tabla larga compuesta por trozos de páginas, con la caché del informe
(docs/cache-diseno.md).

Una sección que va al PDF tal como se compone (``maqueta.sin_dudas``), con una tabla de
cientos de filas (``tablas.fijar_columnas``: el anexo por operación), cambia en una fila
cuando cambia una cifra, y componerla entera otra vez cuesta segundos. Pero dónde corta
cada página de esa tabla depende sólo de la fila con que empieza la página y de las que
siguen: cada fila va entera en una página (``break-inside: avoid``), el ancho de las
columnas viene dado y cada fila dice si es par (``fila-par``, no ``nth-child``). Un trozo de
la tabla que empieza en una fila que empieza página se compone solo y da las mismas páginas
que la tabla entera.

Los cortes de la corrida anterior (la fila que empieza cada página) se guardan en la caché.
Con ellos la tabla se parte en trozos de PAGINAS_POR_TROZO páginas (``limites``); cada trozo
se toma de la caché si su HTML no cambió (``Tramo`` guardado: las hojas de una composición
ya hecha) y, si cambió, se compone de prueba solo, con la primera fila del trozo siguiente
al final (el centinela). Si el centinela empieza página, el trozo siguiente empieza donde
debe; si no (una fila creció o se achicó y corrió el corte), lo que sigue desde la página
del centinela se compone de una vez. Así las páginas son siempre las de la tabla entera,
aunque los cortes guardados estén mal: sólo cuesta más.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bs4 import Comment, Tag

from helpers.comun.almacen import Almacen, clave
from helpers.salida.ensamblado.composicion import Encargo
from helpers.salida.ensamblado.composiciones import clave_de, parte_guardada, pdf_guardado
from helpers.salida.ensamblado.maqueta import PREFIJO_PRUEBA
from helpers.salida.ensamblado.sopa import agregar_clase, analizar
from helpers.salida.pdf import Parte, Pieza

PREFIJO_FILA = f"{PREFIJO_PRUEBA}fila-"
PAGINAS_POR_TROZO = 2  # menos: más documentos que leer; más: más páginas que componer
_MARCA = "maq-filas"  # dónde van las filas en el HTML de la sección sin ellas
# En un trozo que sigue a otro, la tabla y lo que la contiene siguen de la página anterior:
# sin el margen, el borde ni el relleno de arriba, como en la tabla entera.
_CONTINUA = "margin-top: 0; padding-top: 0; border-top-width: 0"


@dataclass
class TablaLarga:
    """El HTML de una sección con una tabla larga, partido para armar trozos: lo que va
    antes de sus filas (``inicio``; ``inicio_que_sigue`` en un trozo que no es el primero:
    sin lo que precede a la tabla), sus filas y lo que va después (``fin``;
    ``fin_cortado`` en un trozo que no es el último: sin lo que sigue a la tabla)."""

    inicio: str
    inicio_que_sigue: str
    filas: list[str]
    fin: str
    fin_cortado: str

    @classmethod
    def de(cls, seccion: Tag) -> TablaLarga | None:
        """La de `seccion`, si tiene una tabla de anchos fijos (``tablas.fijar_columnas``,
        una tabla de más de ``tablas.FILAS_TABLA_FIJA`` filas) de un solo cuerpo; si no, None."""
        tabla = seccion.find("table", class_="fija")
        cuerpos = tabla.find_all("tbody", recursive=False) if tabla is not None else []
        if len(cuerpos) != 1:
            return None
        filas = cuerpos[0].find_all("tr", recursive=False)
        if any(fila.get("id") for fila in filas):  # un ancla propia se perdería
            return None
        textos = [_fila(fila, i) for i, fila in enumerate(filas)]
        contenido = list(cuerpos[0].contents)
        cuerpos[0].clear()
        marca = Comment(_MARCA)
        cuerpos[0].append(marca)
        try:
            sin_filas = str(seccion)
        finally:
            marca.extract()
            cuerpos[0].extend(contenido)
        inicio, fin = sin_filas.split(f"<!--{_MARCA}-->")
        siguiente, _ = _sin_lo_de_antes(sin_filas).split(f"<!--{_MARCA}-->")
        _, cortado = _sin_lo_de_despues(sin_filas).split(f"<!--{_MARCA}-->")
        return cls(inicio, siguiente, textos, fin, cortado)

    def html(self, desde: int, hasta: int) -> str:
        """La sección con las filas desde `desde`: hasta el final, o hasta `hasta` y una más
        (el centinela), sin lo que sigue a la tabla."""
        inicio = self.inicio if desde == 0 else self.inicio_que_sigue
        if hasta >= len(self.filas):
            return inicio + "".join(self.filas[desde:]) + self.fin
        return inicio + "".join(self.filas[desde:hasta + 1]) + self.fin_cortado


def _fila(fila: Tag, i: int) -> str:
    """El HTML de la fila `i`, con su ancla de prueba y si es par (contando desde uno)."""
    antes = dict(fila.attrs)
    fila["id"] = f"{PREFIJO_FILA}{i}"
    agregar_clase(fila, "fila-par" if i % 2 else "fila-impar")
    try:
        return str(fila)
    finally:
        fila.attrs = antes


def _tabla_y_las_que_la_contienen(sopa) -> list[Tag]:
    tabla = sopa.find(string=lambda s: isinstance(s, Comment) and s == _MARCA).find_parent(
        "table")
    return [tabla, *(p for p in tabla.parents if isinstance(p, Tag) and p.name != "[document]")]


def _sin_lo_de_antes(sin_filas: str) -> str:
    sopa = analizar(sin_filas)
    for elemento in _tabla_y_las_que_la_contienen(sopa):
        for anterior in list(elemento.previous_siblings):
            anterior.extract()
        estilo = elemento.get("style", "").strip().rstrip(";")
        elemento["style"] = f"{estilo}; {_CONTINUA}" if estilo else _CONTINUA
    return str(sopa)


def _sin_lo_de_despues(sin_filas: str) -> str:
    sopa = analizar(sin_filas)
    for elemento in _tabla_y_las_que_la_contienen(sopa):
        for siguiente in list(elemento.next_siblings):
            siguiente.extract()
    return str(sopa)


def inicios(parte: Parte, hojas: list[int] | None = None) -> list[int | None]:
    """La primera fila de la tabla en cada hoja de `parte` (de `hojas`; None: en ninguna)."""
    indices = range(len(parte.hojas)) if hojas is None else hojas
    return [min((int(a[len(PREFIJO_FILA):]) for a in parte.hojas[i].anclas
                 if a.startswith(PREFIJO_FILA)), default=None) for i in indices]


def limites(cortes: list[int], filas: int) -> list[int]:
    """Dónde empieza cada trozo (y el final), con `cortes` las filas que empiezan página
    (sin la primera): cada PAGINAS_POR_TROZO páginas."""
    empiezan = [c for c in cortes[PAGINAS_POR_TROZO - 1::PAGINAS_POR_TROZO] if 0 < c < filas]
    return [0, *sorted(set(empiezan)), filas]


@dataclass
class Tramo:
    """Hojas seguidas de la sección que van al PDF, de una misma composición: su parte, sus
    índices, la primera fila de cada una y con qué clave se guardó la composición (``prueba``:
    de prueba, con el PDF de sólo las hojas escritas)."""

    parte: Parte
    indices: list[int]
    inicios: list[int | None]
    llave: str
    prueba: bool


def clave_de_cortes(nombre: str) -> str:
    return clave("cortes de una tabla larga", nombre)


def _clave_de_tramo(llave_del_trozo: str) -> str:
    return clave("tramo", llave_del_trozo)


@dataclass
class PorTrozos:
    """La composición de una sección con una tabla larga, por trozos: ``encargos`` da lo que
    hay que componer (lo demás sale de la caché) y, compuesto todo, ``piezas`` da sus hojas
    en orden y guarda los cortes y los tramos para la corrida siguiente.

    `pagina(html, es_el_final)`: la página del PDF con ese HTML de la sección (``es_el_final``:
    el trozo que la termina). `reponer`: el HTML con sus gráficos, como lo compone
    ``composicion.componer_textos`` (la clave de su composición)."""

    tabla: TablaLarga
    nombre: str
    pagina: Callable[[str, bool], str]
    almacen: Almacen
    reponer: Callable[[str], str]
    bordes: list[int] | None = None
    trozos: dict[int, Tramo] = field(default_factory=dict)
    roturas: dict[int, int] = field(default_factory=dict)  # trozo -> fila que empieza página
    restos: dict[int, Tramo] = field(default_factory=dict)  # desde qué fila
    _partes: dict[tuple, Parte] = field(default_factory=dict)
    _paginas: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.tabla.filas)

    def _trozo(self, desde: int, hasta: int) -> tuple[str, str]:
        """La página del trozo que empieza en `desde` (con el centinela `hasta`, si no llega
        al final) y la clave de su composición; se arma una vez aunque se pida otra vez al
        guardar los tramos."""
        hasta = min(hasta, self.total)
        if (desde, hasta) not in self._paginas:
            texto = self.pagina(self.tabla.html(desde, hasta), hasta == self.total)
            self._paginas[desde, hasta] = texto, clave_de(self.reponer(texto))
        return self._paginas[desde, hasta]

    def encargos(self) -> list[Encargo]:
        guardados = self.almacen.leer_json(clave_de_cortes(self.nombre))
        if not isinstance(guardados, list) or not all(isinstance(c, int) for c in guardados):
            return [self._hasta_el_final(0)]
        self.bordes = limites(guardados, self.total)
        encargos = []
        for k, (desde, hasta) in enumerate(zip(self.bordes, self.bordes[1:])):
            texto, llave = self._trozo(desde, hasta)
            tramo = self._tramo_guardado(llave)
            if tramo is not None:
                self.trozos[k] = tramo
            else:
                encargos.append(self._de_prueba(k, texto, llave))
        return encargos

    def _hasta_el_final(self, desde: int) -> Encargo:
        """Las filas desde `desde` hasta el final, compuestas de una vez."""
        texto, llave = self._trozo(desde, self.total)

        def al_volver(parte: Parte) -> list[Encargo]:
            hojas = list(range(len(parte.hojas)))
            self.restos[desde] = Tramo(parte, hojas, inicios(parte), llave, False)
            return []
        return texto, al_volver

    def _de_prueba(self, k: int, texto: str, llave: str) -> Encargo:
        """El trozo `k` compuesto solo: van al PDF sus hojas antes de la del centinela. Si el
        centinela no empieza página, lo que sigue se compone desde la fila que la empieza."""
        hasta = self.bordes[k + 1]

        def al_volver(parte: Parte) -> list[Encargo]:
            primeras = inicios(parte)
            siguen: list[Encargo] = []
            usadas = list(range(len(parte.hojas)))
            if hasta < self.total:
                centinela = next(n for n, h in enumerate(parte.hojas)
                                 if f"{PREFIJO_FILA}{hasta}" in h.anclas)
                usadas = usadas[:centinela]
                if primeras[centinela] != hasta:
                    self.roturas[k] = primeras[centinela]
                    if not any(j < k for j in self.roturas):
                        siguen.append(self._hasta_el_final(primeras[centinela]))
            parte.escritas = usadas
            self.trozos[k] = Tramo(parte, usadas, [primeras[i] for i in usadas], llave, True)
            return siguen
        return texto, al_volver, True

    def _tramo_guardado(self, llave_del_trozo: str) -> Tramo | None:
        """Las hojas guardadas del trozo cuya página tiene la clave `llave_del_trozo`."""
        valor = self.almacen.leer_json(_clave_de_tramo(llave_del_trozo))
        try:
            llave, prueba = valor["llave"], valor["prueba"]
            escritas, hojas = valor["escritas"], valor["hojas"]
        except (KeyError, TypeError):
            return None
        parte = self._parte(llave, prueba, escritas)
        if parte is None or not all(0 <= h < len(parte.hojas) for h in hojas):
            return None
        return Tramo(parte, hojas, inicios(parte, hojas), llave, prueba)

    def _parte(self, llave: str, prueba: bool, escritas) -> Parte | None:
        """Una composición guardada, leída una sola vez aunque la nombren varios tramos."""
        memo = (llave, prueba, tuple(escritas or ()))
        if memo not in self._partes:
            parte = parte_guardada(self.almacen, llave, con_pdf=not prueba)
            if parte is not None and prueba:
                parte.pdf = pdf_guardado(self.almacen, llave, escritas)
                parte.escritas = sorted(escritas)
            if parte is None or parte.pdf is None:
                return None
            self._partes[memo] = parte
        return self._partes[memo]

    def tramos(self) -> list[Tramo]:
        """Los tramos que van al PDF, en orden: los trozos hasta el primero cuyo centinela no
        empezó página (de ese, las hojas de antes) y lo compuesto desde ahí."""
        if self.bordes is None:
            return [self.restos[0]]
        if not self.roturas:
            return [self.trozos[k] for k in range(len(self.bordes) - 1)]
        primera = min(self.roturas)
        return [*(self.trozos[k] for k in range(primera + 1)),
                self.restos[self.roturas[primera]]]

    def piezas(self, nombres: Callable[[Parte], Parte]) -> list[Pieza]:
        """Las hojas de la sección, en orden, con las anclas que les da `nombres` (las de
        prueba, con el nombre del elemento); guarda los cortes y los tramos en la caché."""
        tramos = self.tramos()
        self._guardar(tramos)
        vistas: set[int] = set()
        for tramo in tramos:
            if id(tramo.parte) not in vistas:
                vistas.add(id(tramo.parte))
                nombres(tramo.parte)
        return [Pieza(t.parte, t.indices) for t in tramos if t.indices]

    def _guardar(self, tramos: list[Tramo]) -> None:
        """Los cortes de esta composición y, de cada trozo que la corrida siguiente armará
        con ellos, sus hojas si están todas en una misma composición."""
        hojas = [(t, i, fila) for t in tramos for i, fila in zip(t.indices, t.inicios,
                                                                  strict=True)]
        cortes = [fila for _, _, fila in hojas[1:] if fila]
        self.almacen.guardar_json(clave_de_cortes(self.nombre), cortes)
        bordes = limites(cortes, self.total)
        empieza = {fila: n for n, (_, _, fila) in enumerate(hojas) if fila}
        for desde, hasta in zip(bordes, bordes[1:]):
            primera = 0 if desde == 0 else empieza[desde]
            ultima = empieza[hasta] if hasta < self.total else len(hojas)
            suyas = hojas[primera:ultima]
            if not suyas or any(t is not suyas[0][0] for t, _, _ in suyas):
                continue
            tramo = suyas[0][0]
            self.almacen.guardar_json(_clave_de_tramo(self._trozo(desde, hasta)[1]), {
                "llave": tramo.llave, "prueba": tramo.prueba,
                "escritas": tramo.parte.escritas, "hojas": [i for _, i, _ in suyas],
            })
