"""Ejecutor de los informes: `python -m helpers.informe params/2024-T2.yaml`.

El tipo de informe (trimestral, anual) lo dicen los parámetros (`informe`), y sus secciones,
su título y sus tablas, el `secciones.yaml` de su carpeta de cuadernos (`helpers.entrada.tipos`):
el ejecutor hace lo mismo para todos.

`generar` es la secuencia de pasos de un informe, cada uno en su capa: valida los parámetros
y el libro (`entrada/`) y los guarda en `entrada/` de la carpeta del informe; ejecuta con
papermill la memoria de cálculo (que calcula las tablas y las guarda en `calculo/`) y
después las demás secciones, que las presentan; las ensambla en HTML y PDF, escribe las
tablas CSV y el anexo Excel, el manifiesto, y pone la carpeta en su lugar. Los cuadernos
ejecutados leen todo con rutas relativas a su carpeta, así que el informe se puede volver a
ejecutar desde su carpeta sola (ver `preparacion`).

Todo se arma en una carpeta temporal junto a la de salida y sólo al final reemplaza al
informe anterior: si algo falla, el informe anterior queda intacto.

De dónde salen los kernels y si hay procesos de ayuda lo decide quien llama (`Procesos`):
los pasos sólo piden un kernel o un ejecutor. Sin más, cada kernel se arranca al pedirlo y
todo lo demás corre en este proceso; la orden `informe-poa` da los suyos
(`helpers.residente`).
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent import futures
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from helpers.avisos import Avisos
from helpers.calculo.reexpresiones import (
    CARPETA_COPIA,
    copiar_informe_anterior,
    leer_informe_anterior,
)
from helpers.codigos import NO_SE_GENERO
from helpers.comun.almacen import SecretoInservible, secreto
from helpers.comun.errores_del_sistema import causa
from helpers.comun.memoria import devolver_memoria, espaciar_recolecciones
from helpers.ejecucion import (
    FalloDeSeccion,
    Procesos,
    ejecutar_en,
    importados,
    precargar,
    preparar_ejecucion,
    tomar_leidas,
    trabajos_por_omision,
)
from helpers.entrada.abierto import libro_abierto
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos
from helpers.entrada.textos_de_muestra import textos_de_muestra
from helpers.entrada.tipos import Seccion
from helpers.preparacion import PARAMETROS, abrir, guardar_entrada
from helpers.redaccion import graficos_guardados
from helpers.redaccion.identidad import datos_para_ensamblar
from helpers.rutas import CUADERNOS, PROGRAMA, RAIZ
from helpers.salida import cache_informe
from helpers.salida.cache_secciones import CacheDeSecciones
from helpers.salida.carpeta_informe import (
    CarpetaOcupada,
    carpeta_nueva,
    cerrojo,
    es_del_ejecutor,
    limpiar_restos,
    permisos_normales,
    problemas_de_salida,
    reemplazar,
)
from helpers.salida.datos_abiertos import escribir_datos_abiertos, publicacion_del_informe
from helpers.salida.explorador import escribir_explorador
from helpers.salida.manifiesto import (
    datos_colofon,
    describir_codigo,
    escribir_manifiesto,
)
from helpers.salida.pdf import cargar_weasyprint
from helpers.salida.tablas_csv import escribir_tablas
from helpers.salida.word.membrete import problema_del_membrete

__all__ = ["Avisos", "Corrida", "Procesos", "correr", "ejecutar_secciones",
           "escribir_tablas_y_anexo", "generar", "main"]

# Desde cuántas operaciones lo que ocupó leer y validar el libro vuelve al sistema antes de
# ejecutar las secciones (`devolver_memoria`): en un libro de diez veces la muestra, cientos de
# MB; en uno como la muestra, poco, y recoger la basura recorre todo lo que vive en el
# proceso (0,1 a 0,3 s).
OPERACIONES_LIBRO_GRANDE = 2_000


class _Reloj:
    """El tiempo de cada etapa: `vuelta` da los segundos desde la vuelta anterior (o desde
    que se creó) y empieza la siguiente; `total`, desde que se creó."""

    def __init__(self) -> None:
        self.inicio = self.marca = time.perf_counter()
        # La misma hora, en el reloj de las fechas de los archivos (la caché conserva lo que
        # usó esta corrida).
        self.inicio_en_el_reloj_del_sistema = time.time()

    def vuelta(self) -> float:
        ahora = time.perf_counter()
        segundos, self.marca = ahora - self.marca, ahora
        return segundos

    def total(self) -> float:
        return time.perf_counter() - self.inicio


@dataclass
class Corrida:
    """Lo que comparten los pasos de una corrida: sus parámetros (leídos de `ruta_params`),
    la carpeta del informe, quién cuenta el avance y de dónde salen sus procesos."""

    parametros: object
    ruta_params: Path
    salida: Path
    avisos: Avisos
    procesos: Procesos
    cuadernos: Path = CUADERNOS
    trabajos: int | None = None
    almacen: object = None  # la caché del informe (`helpers.comun.almacen`), si se usa
    inicio: datetime = field(default_factory=lambda: datetime.now(UTC))
    reloj: _Reloj = field(default_factory=_Reloj)

    def etapa(self, texto: str) -> None:
        self.avisos.etapa(texto, self.reloj.vuelta())

    @property
    def entorno_de_kernels(self) -> dict[str, str]:
        """Con la caché, los kernels toman de ella las imágenes de los gráficos que no
        cambiaron (`helpers.redaccion.graficos_guardados`)."""
        if self.almacen is None:
            return {}
        return {graficos_guardados.VARIABLE: str(self.almacen.carpeta)}


# --- Los pasos ------------------------------------------------------------------------------


def _armar(corrida: Corrida) -> None:
    """Los pasos de un informe, en una carpeta hermana de la del informe que la reemplaza al
    final; si algo falla, la carpeta hermana se borra y la del informe no cambia."""
    datos, anterior = _validar(corrida)
    # El código que produce el informe, leído antes de crear nada (la carpeta temporal no
    # cuenta como cambio sin confirmar); el manifiesto y el colofón dicen lo mismo.
    codigo = describir_codigo(PROGRAMA)
    temporal = carpeta_nueva(corrida.salida, {"programa": "informe-poa",
                                              "informe": corrida.parametros.etiqueta})
    en_otro_proceso: list[futures.Future] = []
    try:
        archivos, por_ejecutar = _guardar_entrada(corrida, temporal, datos, anterior)
        libro_grande = len(datos.operaciones) > OPERACIONES_LIBRO_GRANDE
        del datos  # desde aquí, las secciones lo leen de entrada/
        if libro_grande:
            devolver_memoria()
        ejecutados = _ejecutar(corrida, temporal, por_ejecutar, anterior)
        tablas = _empezar_tablas_y_anexo(corrida, temporal, archivos, en_otro_proceso)
        _ensamblar(corrida, temporal, ejecutados, archivos, codigo)
        _terminar_tablas_y_anexo(corrida, temporal, archivos, tablas)
        _escribir_manifiesto(corrida, temporal, archivos, codigo)
        permisos_normales(temporal)
        reemplazar(temporal, corrida.salida)
        corrida.etapa("Tablas, anexo Excel y manifiesto escritos")
    except BaseException:
        # Lo que corre en otro proceso termina antes de que se borre la carpeta en que escribe.
        futures.wait(en_otro_proceso)
        shutil.rmtree(temporal, ignore_errors=True)
        raise


def _validar(corrida: Corrida):
    """El libro validado y, si los parámetros lo nombran, la carpeta del informe anterior
    (que también se comprueba antes de crear nada)."""
    parametros = corrida.parametros
    datos = cargar_datos(parametros.ruta_datos)
    # Las claves de los parámetros que nombran filas del libro (la unidad de planificación).
    comprobar_con_datos(parametros, datos, corrida.ruta_params.name)
    if parametros.ruta_membrete is not None and (
            motivo := problema_del_membrete(parametros.ruta_membrete)) is not None:
        raise ErrorDeEntrada([Problema(corrida.ruta_params.name, None, None,
                                       "identificacion.plantilla_word", motivo)])
    corrida.etapa(f"Datos válidos: {parametros.ruta_datos.name}")
    anterior = None
    if parametros.informe_anterior:
        anterior = parametros.ruta_informe_anterior
        leer_informe_anterior(anterior, parametros, corrida.ruta_params.name)
    return datos, anterior


def _guardar_entrada(corrida: Corrida, temporal: Path, datos, anterior: Path | None):
    """`entrada/` (el libro validado y los parámetros) y la copia del informe anterior;
    devuelve los archivos del libro (para el manifiesto) y las secciones que van."""
    guardar_entrada(temporal, corrida.ruta_params, datos)
    if anterior is not None:
        copiar_informe_anterior(anterior, temporal / CARPETA_COPIA)
    corrida.etapa("Datos guardados en entrada/")
    return datos.archivos, corrida.parametros.tipo.secciones_para(corrida.parametros, datos)


def _ejecutar(corrida: Corrida, temporal: Path, por_ejecutar: list[Seccion],
              anterior: Path | None) -> list[Path]:
    """La memoria de cálculo y las secciones, ejecutadas (o tomadas de la caché)."""
    cache = None
    if corrida.almacen is not None:
        copia = None
        if anterior is not None:
            copia = temporal / CARPETA_COPIA
        cache = CacheDeSecciones(corrida.almacen, temporal, corrida.cuadernos, PARAMETROS, copia)
    ejecutados = ejecutar_secciones(
        temporal / "notebooks", corrida.trabajos or trabajos_por_omision(), por_ejecutar,
        corrida.parametros.tipo.memoria, corrida.cuadernos, corrida.avisos,
        mientras=lambda: _mientras_calculan(corrida), cache=cache, procesos=corrida.procesos,
        entorno=corrida.entorno_de_kernels)
    if corrida.procesos.tomados:
        corrida.avisos.etapa("Se usaron los kernels que ya estaban arrancados.")
    corrida.etapa(f"Secciones ejecutadas: {len(ejecutados)}")
    return ejecutados


def _mientras_calculan(corrida: Corrida) -> None:
    """Lo que sólo usan el ensamblado y el anexo, cargado mientras los kernels calculan (este
    proceso nada más los espera), no antes: quien tiene datos con problemas no lo espera."""
    import helpers.salida.ensamblado  # noqa: F401 - nbconvert, casi 3 s (ver `_ensamblar`)

    corrida.procesos.arrancar_ayudantes()
    cargar_weasyprint()


def escribir_tablas_y_anexo(carpeta: Path, libros: Sequence[Path] = ()) -> None:
    """`tablas/` (CSV), `datos-abiertos/`, `anexo.xlsx` y, en una rendición de cuentas, las
    diapositivas de la audiencia, del informe que se arma en `carpeta`,
    con lo mismo que leyeron las secciones: el libro de `entrada/` y las tablas que guardó la
    memoria de cálculo. `libros`: los archivos del libro, cuya huella lleva el paquete de
    datos abiertos."""
    # openpyxl y el anexo (0,4 s de importar): aquí, no al validar un libro con errores.
    from helpers.salida.anexo import escribir_anexo

    prep = abrir(informe=carpeta)
    escribir_tablas(prep.tablas, carpeta / "tablas")
    escribir_datos_abiertos(prep.tablas, carpeta,
                            publicacion_del_informe(prep.parametros, libros))
    if prep.parametros.tipo.diapositivas:
        from helpers.salida.diapositivas import escribir_diapositivas

        escribir_diapositivas(prep, carpeta)
    if not prep.parametros.tipo.mide_ejecucion:
        escribir_anexo(prep.tablas, carpeta / "anexo.xlsx", organizacion=prep.organizacion)
        return
    escribir_anexo(prep.tablas, carpeta / "anexo.xlsx", datos=prep.datos,
                   trimestre=prep.trimestre, metodologia=prep.metodologia,
                   organizacion=prep.organizacion)


def _empezar_tablas_y_anexo(corrida: Corrida, temporal: Path, archivos,
                            en_otro_proceso: list[futures.Future]) -> futures.Future | None:
    """Las tablas y el anexo no dependen del HTML ni del PDF: con un proceso de ayuda, se
    escriben allí mientras se ensambla, cediendo el núcleo a lo que el ensamblado espera."""
    if corrida.procesos.cediendo is None:
        return None
    tablas = corrida.procesos.cediendo.submit(escribir_tablas_y_anexo, temporal, list(archivos))
    en_otro_proceso.append(tablas)
    return tablas


def _ensamblar(corrida: Corrida, temporal: Path, ejecutados: list[Path], archivos,
               codigo) -> None:
    # nbconvert y WeasyPrint (casi 3 s de importar) se cargan mientras los kernels calculan
    # (`_mientras_calculan`), no antes de arrancarlos ni al validar un libro con errores.
    from helpers.salida.ensamblado import ensamblar

    corrida.avisos.empieza("Ensamblando HTML, PDF y DOCX")
    memoria, secciones = ejecutados[0], ejecutados[1:]
    ensamblar(
        secciones, temporal, solo_auditoria=[memoria], titulo=corrida.parametros.tipo.titulo,
        colofon=datos_colofon(datos=archivos, params=corrida.ruta_params, proyecto=PROGRAMA,
                              carpeta=corrida.salida, momento=corrida.inicio.astimezone(),
                              codigo=codigo),
        # entidad, periodo y fecha de corte, subtitulo (el periodo con su acumulado),
        # identificacion (portada), firmas y fuentes (la línea «Fuente:» de cada cuadro y
        # gráfico): helpers.redaccion.identidad.
        **datos_para_ensamblar(corrida.parametros),
        cediendo=corrida.procesos.cediendo, compositor=corrida.procesos.compositor,
        almacen=corrida.almacen,
        documento_word={"membrete": corrida.parametros.ruta_membrete,
                        "fecha": (corrida.parametros.identificacion.fecha_emision
                                  or corrida.parametros.fecha_corte)},
    )
    corrida.etapa("HTML, PDF y DOCX ensamblados")


def _terminar_tablas_y_anexo(corrida: Corrida, temporal: Path, archivos,
                             tablas: futures.Future | None) -> None:
    corrida.avisos.empieza("Escribiendo las tablas, el anexo Excel y el manifiesto")
    if tablas is None:
        escribir_tablas_y_anexo(temporal, list(archivos))
    else:
        tablas.result()
    # El explorador de informe.html lee las tablas ya escritas (docs/tablero.md). Sin él el
    # informe sigue siendo el informe: si no se pudo armar, se dice y el informe sale igual.
    try:
        escribir_explorador(temporal)
    except Exception as error:  # noqa: BLE001 - cualquier falla del explorador
        corrida.avisos.etapa(f"Advertencia: informe.html va sin su explorador ({error}).")


def _escribir_manifiesto(corrida: Corrida, temporal: Path, archivos, codigo) -> None:
    parametros = corrida.parametros
    escribir_manifiesto(
        temporal / "manifiesto.json", parametros=parametros.model_dump(mode="json"),
        # El membrete de la entidad también: el DOCX sale de él.
        entradas=[corrida.ruta_params, *archivos,
                  *filter(None, [parametros.ruta_membrete])], carpeta_salida=temporal,
        inicio=corrida.inicio, fin=datetime.now(UTC),
        # Las entradas, relativas a la carpeta contra la que se leyeron sus rutas: la del
        # proyecto, o la de la entidad (que así se puede mover con sus informes).
        raiz=parametros.raiz, codigo=codigo,
    )


# --- Las secciones, en kernels --------------------------------------------------------------


class _KernelPorHilo:
    """Un kernel por hilo de la ejecución de secciones: se pide a `procesos` la primera vez
    que el hilo lo necesita, y `cerrar` los cierra todos. El primero que se pide es el de la
    memoria de cálculo (el que `procesos` ya arrancó, si lo hizo): los demás hilos esperan a
    que lo tenga (`memoria_con_kernel`)."""

    def __init__(self, procesos: Procesos, carpeta: Path, entorno: dict[str, str]) -> None:
        self.procesos, self.carpeta, self.entorno = procesos, carpeta, entorno
        self.memoria_con_kernel = threading.Event()
        self._propio = threading.local()
        self._todos: list = []
        self._cerrojo = threading.Lock()

    def kernel(self, *, memoria: bool = False):
        if getattr(self._propio, "km", None) is None:
            if not memoria:
                self.memoria_con_kernel.wait()
            preparar_ejecucion()  # mientras el kernel termina de arrancar
            try:
                self._propio.km = self.procesos.kernel(self.carpeta, self.entorno)
            finally:
                self.memoria_con_kernel.set()
            with self._cerrojo:
                self._todos.append(self._propio.km)
        return self._propio.km

    def precargar(self, modulos: list[str]) -> None:
        precargar(self.kernel(), modulos)

    def cerrar(self) -> None:
        for km in self._todos:
            with contextlib.suppress(Exception):
                self.procesos.cerrar_kernel(km)


def ejecutar_secciones(
    carpeta: Path, trabajos: int, secciones: list[Seccion], memoria: Seccion,
    cuadernos: Path = CUADERNOS, avisos: Avisos | None = None,
    mientras: Callable[[], None] | None = None, cache=None,
    procesos: Procesos | None = None, entorno: dict[str, str] | None = None,
) -> list[Path]:
    """Ejecuta la memoria de cálculo y después las secciones en `trabajos` hilos con un
    kernel cada uno (`ThreadPoolExecutor`), con `carpeta` (notebooks/ del informe) como
    carpeta de trabajo; devuelve los cuadernos ejecutados: la memoria y las secciones.

    Arrancar un kernel e importar pandas y seaborn cuesta más que casi cualquier sección:
    cada hilo abre un kernel (`procesos.kernel`) y ejecuta en él una sección tras otra. Las
    secciones esperan a la memoria, que escribe lo que leen; mientras tanto, los demás
    kernels importan lo que importan las secciones (`precargar`). Los resultados se leen en
    el orden del informe, y así se avisan (`avisos.seccion`).

    `mientras`: lo que este hilo hace mientras la memoria se ejecuta. `cache`: una
    `CacheDeSecciones` de la que se toman las secciones que no cambiaron y en la que se
    guardan las que se ejecutan. Si algo falla o la corrida se interrumpe, las secciones que
    no empezaron no empiezan, y las que están en marcha terminan antes de que se borre la
    carpeta en que escriben."""
    avisos = avisos or Avisos()
    procesos = procesos or Procesos()
    carpeta.mkdir(parents=True, exist_ok=True)
    todas = [memoria, *secciones]
    avisos.secciones(len(todas))
    modulos = importados([cuadernos / seccion.cuaderno for seccion in secciones])
    procesos.anotar_precarga(modulos)
    kernels = _KernelPorHilo(procesos, carpeta, entorno or {})
    hilos = max(1, min(trabajos, len(secciones)))
    ejecutar = _Ejecucion(kernels, carpeta, cuadernos, cache, memoria)
    try:
        with ThreadPoolExecutor(hilos, thread_name_prefix="seccion") as grupo:
            try:
                memoria_lista = grupo.submit(ejecutar, memoria)
                for _ in range(hilos - 1):
                    grupo.submit(kernels.precargar, modulos)
                if mientras is not None:
                    mientras()
                _avisar(avisos, 1, len(todas), memoria, memoria_lista.result())
                ejecutadas = [grupo.submit(ejecutar, seccion) for seccion in secciones]
                for posicion, (seccion, ejecutada) in enumerate(zip(secciones, ejecutadas), 2):
                    _avisar(avisos, posicion, len(todas), seccion, ejecutada.result())
            except BaseException:
                grupo.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        kernels.cerrar()
    return [carpeta / seccion.archivo for seccion in todas]


def _avisar(avisos: Avisos, posicion: int, total: int, seccion: Seccion,
            resultado: tuple[float, bool]) -> None:
    segundos, de_la_cache = resultado
    avisos.seccion(posicion, total, seccion.titulo, segundos, de_la_cache=de_la_cache)


@dataclass
class _Ejecucion:
    """Ejecuta una sección en el kernel del hilo que la toma, o la toma de la caché; devuelve
    los segundos y si salió de la caché."""

    kernels: _KernelPorHilo
    carpeta: Path
    cuadernos: Path
    cache: object
    memoria: Seccion

    def __call__(self, seccion: Seccion) -> tuple[float, bool]:
        es_memoria = seccion is self.memoria
        try:
            if self.cache is not None and (self.cache.restaurar_memoria(seccion) if es_memoria
                                           else self.cache.restaurar(seccion)):
                return 0.0, True
            return _ejecutar_anotando(self.kernels.kernel(memoria=es_memoria), seccion,
                                      self.carpeta, self.cuadernos, self.cache,
                                      es_memoria), False
        except FalloDeSeccion as error:
            raise FalloDeSeccion(
                f"La sección «{seccion.titulo}» ({seccion.cuaderno}) falló: {error}") from None
        finally:
            if es_memoria:  # con o sin kernel, los demás hilos ya no esperan el suyo
                self.kernels.memoria_con_kernel.set()


def _ejecutar_anotando(km, seccion: Seccion, carpeta: Path, cuadernos: Path, cache,
                       es_memoria: bool) -> float:
    """Ejecuta la sección; con `cache`, la guarda con lo que leyó (un kernel que no sabe
    decirlo deja la sección sin guardar: la próxima corrida la ejecuta otra vez)."""
    if cache is not None:
        with contextlib.suppress(RuntimeError):
            tomar_leidas(km)  # lo leído antes de esta sección no es de ella
    segundos = ejecutar_en(km, cuadernos / seccion.cuaderno, carpeta / seccion.archivo,
                           {"informe": ".."})
    if cache is None:
        return segundos
    try:
        if es_memoria:
            cache.guardar_memoria(seccion)
        else:
            cache.guardar(seccion, tomar_leidas(km), [f"{carpeta.name}/{seccion.archivo}"])
    except (RuntimeError, OSError, KeyError, ValueError):
        pass
    return segundos


def generar(ruta_params: Path, trabajos: int | None = None, cuadernos: Path = CUADERNOS,
            tipo: str | None = None, avisos: Avisos | None = None, *, cache: bool = False,
            forzar: bool = False, procesos: Procesos | None = None) -> Path:
    """Genera el informe completo; devuelve la carpeta de salida. `cuadernos` es la carpeta
    de los cuadernos de sección (otra sólo en pruebas); `tipo`, si se da, el tipo de informe
    que deben pedir los parámetros (`make annual` con un archivo de un informe trimestral es
    un error de parámetros, no otro informe); `avisos`, quién cuenta el avance; `procesos`,
    de dónde salen los kernels y los procesos de ayuda (por omisión, `Procesos()`).

    `cache`: usar la caché junto a la carpeta del informe (`helpers.salida.cache_informe`):
    si el informe está al día, se dice y no se toca; al terminar, se anota de qué salió.
    `forzar`: generarlo aunque esté al día."""
    avisos = avisos or Avisos()
    reloj = _Reloj()
    espaciar_recolecciones()
    parametros = _cargar_parametros(Path(ruta_params), tipo, avisos)
    cache = cache and _con_secreto(avisos)
    salida = Path(os.path.realpath(parametros.carpeta_salida))
    _comprobar_salida(parametros, Path(ruta_params))
    with cerrojo(salida):
        if limpiar_restos(salida):
            avisos.etapa("Se limpiaron los restos de una corrida interrumpida.")
        _comprobar_salida(parametros, Path(ruta_params))
        entradas = _entradas(parametros, Path(ruta_params), cuadernos) if cache else None
        if entradas is not None and not forzar and _al_dia(salida, parametros, entradas):
            avisos.etapa(f"El informe de {salida} está al día: ni los parámetros, ni los "
                         "datos, ni el programa cambiaron desde que se generó, y no se tocó "
                         "(para generarlo de nuevo: --forzar).", reloj.vuelta())
            avisos.listo(salida, reloj.total())
            return salida
        corrida = Corrida(parametros, Path(ruta_params), salida, avisos,
                          procesos or Procesos(), cuadernos, trabajos,
                          almacen=cache_informe.almacen(salida) if cache else None,
                          reloj=reloj)
        corrida.procesos.anticipar(importados([cuadernos / parametros.tipo.memoria.cuaderno]),
                                   corrida.entorno_de_kernels)
        try:
            _armar(corrida)
        finally:
            corrida.procesos.terminar_corrida()
        if entradas is not None:
            cache_informe.guardar_registro(salida, entradas)
            cache_informe.podar(salida, desde=reloj.inicio_en_el_reloj_del_sistema)
    avisos.listo(salida, reloj.total())
    return salida


def _cargar_parametros(ruta_params: Path, tipo: str | None, avisos: Avisos):
    """Los parámetros, validados; los textos de otra entidad o de relleno y un libro abierto
    en Excel o LibreOffice (`entrada.abierto`) no detienen el informe, pero se dicen antes."""
    parametros = cargar_parametros(ruta_params)
    if tipo is not None and parametros.informe != tipo:
        raise ErrorDeEntrada([Problema(
            ruta_params.name, None, None, "informe",
            f"dice «{parametros.informe}», y aquí se pide un informe «{tipo}»; use un archivo "
            f"de parámetros con «informe: {tipo}»",
        )])
    for aviso in [*textos_de_muestra(ruta_params), *libro_abierto(parametros.ruta_datos)]:
        avisos.etapa(f"Advertencia: {aviso}")
    return parametros


def _con_secreto(avisos: Avisos) -> bool:
    """La caché sólo se usa con el secreto del usuario (`helpers.comun.almacen.secreto`, que
    lo crea la primera vez): sin él, se dice por qué y el informe se hace entero."""
    try:
        secreto()
    except SecretoInservible as motivo:
        avisos.etapa(f"Advertencia: {motivo}")
        return False
    return True


def _entradas(parametros, ruta_params: Path, cuadernos: Path) -> dict | None:
    """Las huellas de lo que la corrida lee fuera del programa, tomadas antes de leerlo: si
    algo cambia mientras corre, el registro de la caché no coincidirá con el informe y la
    corrida siguiente lo generará otra vez."""
    try:
        return cache_informe.estado_de_entradas(tipo=parametros.informe, params=ruta_params,
                                  datos=parametros.ruta_datos, cuadernos=cuadernos,
                                  membrete=parametros.ruta_membrete)
    except OSError:
        # Lo que no se puede leer (un libro que falta) no está al día ni se anota: lo dice la
        # lectura de los datos, como sin la caché (código 2, con el archivo nombrado).
        return None


def _al_dia(salida: Path, parametros, entradas: dict) -> bool:
    anterior = None
    if parametros.informe_anterior:
        anterior = (parametros.ruta_informe_anterior, salida / CARPETA_COPIA)
    return cache_informe.al_dia(salida, entradas, anterior)


def _comprobar_salida(parametros, ruta_params: Path) -> None:
    if problemas := problemas_de_salida(parametros, ruta_params, RAIZ):
        raise ErrorDeEntrada(problemas)


def correr(ruta: Path, trabajos: int | None = None, tipo: str | None = None,
           avisos: Avisos | None = None, *, cache: bool = False, forzar: bool = False,
           procesos: Procesos | None = None, errores: list | None = None
           ) -> tuple[int, Path | None]:
    """Genera el informe de los parámetros `ruta`; devuelve el código de salida (ver
    docs/entradas.md) y la carpeta del informe (None si no se generó). Los errores se dicen
    en castellano, sin traza; a `errores`, si se da, se agrega el error de entrada (el lote
    distingue así un libro sin vínculos). `cache`, `forzar` y `procesos`: ver `generar`."""
    ruta = Path(ruta)
    if not ruta.is_absolute() and not ruta.exists():
        ruta = RAIZ / ruta
    # SIGTERM (kill, fin de sesión) como Ctrl+C: la carpeta a medio armar se borra al salir.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    ruta = ruta.resolve()
    try:
        salida = generar(ruta, trabajos, tipo=tipo, avisos=avisos, cache=cache, forzar=forzar,
                         procesos=procesos)
    except ErrorDeEntrada as error:
        if errores is not None:
            errores.append(error)
        return _fallo(error.texto(), 2, ruta), None
    except (FalloDeSeccion, CarpetaOcupada) as error:
        return _fallo(str(error), 1, ruta), None
    except OSError as error:
        texto = f"No se pudo leer o escribir {error.filename or ''}: {causa(error)}"
        return _fallo(texto, 1, ruta), None
    except KeyboardInterrupt:
        return _fallo("Corrida interrumpida.", 130, ruta), None
    return 0, salida


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.informe",
        description="Genera un informe del POA (trimestral o de rendición de cuentas) según "
                    "su archivo de parámetros. La línea de órdenes completa es `informe-poa`.",
    )
    parser.add_argument("params", nargs="?", default="params/2024-T2.yaml",
                        help="archivo de parámetros (por defecto params/2024-T2.yaml)")
    parser.add_argument("--trabajos", type=int, default=None,
                        help="secciones que se ejecutan a la vez")
    parser.add_argument("--tipo", default=None,
                        help="el tipo de informe que deben pedir los parámetros "
                             "(trimestral, anual)")
    args = parser.parse_args(argv)
    return correr(Path(args.params), args.trabajos, args.tipo)[0]


def _fallo(texto: str, codigo: int, ruta_params: Path) -> int:
    print(texto, file=sys.stderr)
    anterior = _informe_anterior(ruta_params)
    print(f"{NO_SE_GENERO}; el informe anterior de {anterior} no cambió." if anterior
          else f"{NO_SE_GENERO}.", file=sys.stderr)
    return codigo


def _informe_anterior(ruta_params: Path) -> Path | None:
    """La carpeta del informe de los parámetros si ya tiene un informe, que una corrida que
    falla deja como estaba; None si no lo tiene, o si los parámetros no dicen cuál es."""
    try:
        salida = Path(os.path.realpath(cargar_parametros(ruta_params).carpeta_salida))
    except (ErrorDeEntrada, OSError):
        return None
    return salida if salida.is_dir() and es_del_ejecutor(salida) else None


if __name__ == "__main__":
    sys.exit(main())
