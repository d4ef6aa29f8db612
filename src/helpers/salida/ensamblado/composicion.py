"""La composición del PDF con WeasyPrint, repartida entre este proceso y un ayudante.

Entran páginas HTML (con las fichas de los gráficos: ``exportacion.Imagenes``) y, con más de
un núcleo, un ayudante (un ejecutor de ``concurrent.futures`` de un solo proceso, que corre
``componer_textos`` después de ``preparar_compositor``). Sale cada
página compuesta (``pdf.Parte``): ``Compositor.componer`` las devuelve en su orden;
``Compositor.encargar`` le pasa cada una a quien la encargó en cuanto está, y compone también
lo que ese encargo pide después (la maquetación: otra prueba de una sección), tomando este
proceso y el ayudante el siguiente de una misma fila (``FilaDeEncargos``), sin vueltas que
terminar.

Una composición de prueba (el tercer elemento del ``Encargo``) vuelve sin PDF; el documento
queda en el proceso que la compuso hasta que se sabe qué hojas van al informe, y sólo esas
se escriben.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

from helpers.comun.almacen import Almacen
from helpers.comun.memoria import devolver_memoria, espaciar_recolecciones
from helpers.salida.ensamblado.composiciones import (
    clave_de,
    guardar_parte,
    guardar_pdf,
    parte_guardada,
    pdf_guardado,
)
from helpers.salida.ensamblado.exportacion import Imagenes
from helpers.salida.pdf import (
    Parte,
    cargar_weasyprint,
    componer,
    componer_sin_escribir,
    escribir,
    memoria_quieta,
    silenciar,
)

# Una composición de más caracteres de HTML (una tabla de miles de filas) ocupa cientos de MB
# mientras dura: dos así no se componen a la vez (el ayudante toma otra o espera).
COMPOSICION_GRANDE = 500_000
# Después de componer una página de más caracteres que estos, lo que ocupó vuelve al sistema
# (``devolver_memoria``); con una más chica no vale lo que cuesta recoger la basura (decenas
# de ms con el cuerpo del informe en memoria).
_DEVOLVER_DESDE = 100_000

# La composición de prueba de este proceso que espera saber qué hojas se escriben
# (``componer_textos`` con ``sin_escribir``): a lo sumo una.
_SIN_ESCRIBIR: list = []


def preparar_compositor() -> None:
    """Lo que hace al arrancar el proceso que compone a la par: recoger la basura como el
    ejecutor (``espaciar_recolecciones``) y cargar WeasyPrint antes de la primera página."""
    espaciar_recolecciones()
    cargar_weasyprint()


def componer_textos(paginas: list[str], imagenes: Imagenes, carpeta: Path, *,
                    sin_escribir: bool = False, escribir_hojas: list[int] | None = None,
                    almacen: Almacen | None = None):
    """Compone cada página HTML, con sus gráficos, y devuelve sus partes; en este proceso o en
    otro (el ayudante de ``Compositor``).

    Una composición de prueba (``sin_escribir``, una página) vuelve sin PDF, y el documento
    queda en este proceso hasta la llamada siguiente, sin páginas, que da las hojas que van
    al informe (``escribir_hojas``) y devuelve su PDF.

    ``almacen``: la caché del informe; lo que ya se compuso con la misma página, se toma de
    ella (``composiciones``), y lo que se compone, se guarda."""
    if escribir_hojas is not None:
        return _escribir_prueba(escribir_hojas, almacen)
    partes = []
    with silenciar(), memoria_quieta(devolver=grande(sum(map(len, paginas)))):
        for pagina in paginas:
            texto = imagenes.reponer(pagina)
            llave = clave_de(texto) if almacen is not None else None
            guardada = (parte_guardada(almacen, llave, con_pdf=not sin_escribir)
                        if almacen is not None else None)
            if sin_escribir:
                documento, parte = None, guardada
                if parte is None:
                    documento, parte = componer_sin_escribir(texto, carpeta)
                    _guardar(almacen, llave, parte)
                # Una que quedó de un ensamblado que falló antes de escribirla, se suelta.
                _SIN_ESCRIBIR[:] = [(documento, parte, texto, carpeta, llave)]
                partes.append(parte)
                continue
            if guardada is None:
                guardada = componer(texto, carpeta)
                _guardar(almacen, llave, guardada)
                _soltar(texto)
            partes.append(guardada)
    return partes


def grande(caracteres: int) -> bool:
    """Si una composición de HTML de ``caracteres`` es de las que ocupan cientos de MB
    (COMPOSICION_GRANDE): antes de empezarla, lo que el proceso ya no usa vuelve al sistema
    (``memoria_quieta``)."""
    return caracteres > COMPOSICION_GRANDE


def _soltar(texto: str) -> None:
    """Lo que ocupó la composición de `texto` (cientos de MB con una tabla de miles de filas)
    vuelve al sistema, y no se suma a lo que otro proceso ocupe mientras tanto."""
    if len(texto) > _DEVOLVER_DESDE:
        devolver_memoria()


def _guardar(almacen: Almacen | None, llave: str | None, parte: Parte) -> None:
    if almacen is not None:
        guardar_parte(almacen, llave, parte)


def _escribir_prueba(hojas: list[int], almacen: Almacen | None) -> bytes:
    """El PDF de las hojas `hojas` de la composición de prueba que espera en este proceso:
    de la caché si ya se escribió esa elección; si no, se escribe (y se compone antes, si
    las hojas vinieron de la caché)."""
    documento, parte, texto, carpeta, llave = _SIN_ESCRIBIR.pop()
    if almacen is not None and (pdf := pdf_guardado(almacen, llave, hojas)) is not None:
        parte.pdf, parte.escritas = pdf, sorted(hojas)
        return pdf
    with silenciar(), memoria_quieta(devolver=grande(len(texto))):
        if documento is None:
            documento, _ = componer_sin_escribir(texto, carpeta)
        escribir(documento, parte, hojas)
        del documento
        _soltar(texto)
    if almacen is not None:
        guardar_pdf(almacen, llave, hojas, parte.pdf)
    return parte.pdf


# Una página HTML por componer y qué hacer con lo compuesto: ``al_volver(parte)`` devuelve
# las páginas que hay que componer después (ninguna, si no hace falta otra). Un tercer
# elemento True la hace de prueba: se compone sin escribir, ``al_volver`` deja en
# ``parte.escritas`` las hojas que van al informe, y sólo esas se escriben.
Encargo = tuple[str, Callable[[Parte], list["Encargo"]]] | tuple[
    str, Callable[[Parte], list["Encargo"]], bool]


def es_grande(encargo: Encargo) -> bool:
    """Una composición que ocupa cientos de MB mientras dura (``grande``)."""
    return grande(len(encargo[0]))


def de_prueba(encargo: Encargo) -> bool:
    return len(encargo) > 2 and bool(encargo[2])


class FilaDeEncargos:
    """Los encargos por componer, el más largo primero, que este proceso y el hilo que lleva
    al ayudante van tomando; cuántos se están componiendo (y cuántos de ellos grandes: dos a
    la vez no) y las fallas. Las partes se entregan de a una (``entregar``)."""

    def __init__(self, encargos: list[Encargo]) -> None:
        self._fila: deque[Encargo] = deque()
        self._estado = threading.Condition()
        self._en_curso = 0
        self._grandes = 0
        self.fallas: list[BaseException] = []
        self._de_a_uno = threading.Lock()
        with self._estado:
            self._agregar(list(encargos))

    def _siguiente(self) -> int | None:  # con `_estado` tomado
        if not self._grandes:
            return 0 if self._fila else None
        return next((k for k, e in enumerate(self._fila) if not es_grande(e)), None)

    def _agregar(self, nuevos: list[Encargo]) -> None:  # con `_estado` tomado
        self._fila.extend(nuevos)
        ordenados = sorted(self._fila, key=lambda e: -len(e[0]))
        self._fila.clear()
        self._fila.extend(ordenados)

    def tomar(self) -> Encargo | None:
        """El siguiente encargo; espera mientras no haya uno que se pueda tomar y otro se esté
        componiendo (puede pedir más). None: no queda ninguno, o algo falló."""
        with self._estado:
            while (k := self._siguiente()) is None and self._en_curso and not self.fallas:
                self._estado.wait()
            if self.fallas or k is None:
                return None
            encargo = self._fila[k]
            del self._fila[k]
            self._en_curso += 1
            self._grandes += es_grande(encargo)
            return encargo

    def entregar(self, encargo: Encargo, parte: Parte, escribir_pdf=None) -> None:
        """Le pasa su parte al encargo (de a uno) y pone en la fila lo que pide. De una
        composición de prueba, ``escribir_pdf(hojas)`` escribe después las hojas que
        ``al_volver`` dejó en la parte; lo que pide el encargo ya está en la fila."""
        with self._de_a_uno:
            nuevos = encargo[1](parte)
        with self._estado:
            self._agregar(nuevos)
            self._estado.notify_all()
        if escribir_pdf is not None:
            escribir_pdf(parte.escritas or [])
        with self._estado:
            self._en_curso -= 1
            self._grandes -= es_grande(encargo)
            self._estado.notify_all()

    def fallar(self, error: BaseException) -> None:
        """Nadie toma otro encargo; quien encargó recibe el error."""
        with self._estado:
            self.fallas.append(error)
            self._fila.clear()
            self._estado.notify_all()


@dataclass
class Compositor:
    """Con qué y dónde se compone el PDF: sus estilos, los gráficos, la carpeta de la que se
    leen los recursos y, con más de un núcleo, un ayudante (otro proceso que corre
    ``componer_textos``) que compone a la par de este."""

    estilos: list[str]
    imagenes: Imagenes
    carpeta: Path
    ayudante: Executor | None = None
    almacen: Almacen | None = None

    def componer(self, paginas: list[str]) -> list[Parte]:
        """Compone cada página HTML; devuelve las partes en su orden."""
        if self.ayudante is None or len(paginas) < 2:
            return componer_textos(paginas, self.imagenes, self.carpeta, almacen=self.almacen)
        partes: dict[int, Parte] = {}

        def guardar(i: int):
            def al_volver(parte: Parte) -> list[Encargo]:
                partes[i] = parte
                return []
            return al_volver

        self.encargar([(pagina, guardar(i)) for i, pagina in enumerate(paginas)])
        return [partes[i] for i in range(len(paginas))]

    def encargar(self, encargos: list[Encargo]) -> None:
        """Compone cada encargo y le pasa su parte en cuanto está (``al_volver``, de a uno:
        nunca dos a la vez), y también los encargos que esos devuelvan, hasta que no queda
        ninguno. Con ayudante, este proceso y él van tomando el siguiente de una misma fila,
        el más largo primero (salvo dos de más de COMPOSICION_GRANDE caracteres a la vez: la
        memoria); lo que un encargo pide después entra a la fila apenas vuelve, así que
        ninguno espera al otro para seguir (no hay vueltas que terminar)."""
        fila = FilaDeEncargos(encargos)
        hilo = None
        if self.ayudante is not None:
            hilo = threading.Thread(target=self._llevar_al_ayudante, args=(fila,), daemon=True)
            hilo.start()
        try:
            self._componer_aqui(fila)
        except BaseException as error:
            # El ayudante no toma otro; no se lo espera: al salir del `with` del ensamblado se
            # lo detiene.
            fila.fallar(error)
            raise
        if hilo is not None:
            hilo.join()
        if fila.fallas:
            raise fila.fallas[0]

    def _componer_aqui(self, fila: FilaDeEncargos) -> None:
        while (encargo := fila.tomar()) is not None:
            prueba = de_prueba(encargo)
            [parte] = componer_textos([encargo[0]], self.imagenes, self.carpeta,
                                      sin_escribir=prueba, almacen=self.almacen)
            fila.entregar(encargo, parte, self._escribir_aqui if prueba else None)

    def _escribir_aqui(self, hojas: list[int]) -> None:
        componer_textos([], self.imagenes, self.carpeta, escribir_hojas=hojas,
                        almacen=self.almacen)

    def _llevar_al_ayudante(self, fila: FilaDeEncargos) -> None:
        """Un hilo que espera al otro proceso (casi no ocupa este) y le pasa cada parte a su
        encargo mientras este compone otra."""
        try:
            while (encargo := fila.tomar()) is not None:
                prueba = de_prueba(encargo)
                [parte] = self.ayudante.submit(
                    componer_textos, [encargo[0]], self.imagenes, self.carpeta,
                    sin_escribir=prueba, almacen=self.almacen).result()

                def escribir_alli(hojas: list[int], parte=parte) -> None:
                    parte.pdf = self.ayudante.submit(
                        componer_textos, [], None, None, escribir_hojas=hojas,
                        almacen=self.almacen).result()
                    parte.escritas = sorted(hojas)

                fila.entregar(encargo, parte, escribir_alli if prueba else None)
        except BaseException as error:  # noqa: BLE001 - se vuelve a lanzar en este hilo
            fila.fallar(error)
