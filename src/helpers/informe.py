"""Ejecutor de los informes: `python -m helpers.informe params/2024-T2.yaml`.

El tipo de informe (trimestral, anual) lo dicen los parámetros (`informe`), y sus secciones,
su título y sus tablas, el `secciones.yaml` de su carpeta de cuadernos (`helpers.entrada.tipos`): el
ejecutor hace lo mismo para todos.

Valida los datos una vez y los guarda, con una copia de los parámetros, en `entrada/` de
la carpeta del informe; ejecuta con papermill la memoria de cálculo (que calcula las tablas
y las guarda en `calculo/`) y después las demás secciones, en paralelo, que las presentan;
los ensambla en HTML y PDF, y escribe las tablas CSV, el anexo Excel y el manifiesto. Los
cuadernos ejecutados leen todo con rutas relativas a su carpeta, así que el informe se
puede volver a ejecutar desde su carpeta sola (ver `preparacion`).

Todo se arma en una carpeta temporal junto a la de salida y sólo al final reemplaza al
informe anterior: si algo falla, el informe anterior queda intacto.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from helpers.codigos import NO_SE_GENERO
from helpers.comun.memoria import devolver_memoria, espaciar_recolecciones
from helpers.comun.nucleos import nucleos
from helpers.ejecucion import (
    FalloDeSeccion,
    ejecutar_en,
    importados,
    mudar,
    precargar,
    preparar_ejecucion,
    tomar_leidas,
)
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.tipos import Seccion
from helpers.reserva import Reserva, activa
from helpers.rutas import CUADERNOS, PROGRAMA, RAIZ
from helpers.salida.carpeta_informe import (
    CarpetaOcupada,
    carpeta_nueva,
    cerrojo,
    comprobar_salida,
    es_del_ejecutor,
    limpiar_restos,
    permisos_normales,
    reemplazar,
)


class Avisos:
    """Lo que el ejecutor cuenta mientras trabaja: una línea por etapa terminada, con lo que
    tardó ella sola, y una por sección, en el orden del informe. La línea de órdenes
    (`helpers.consola`) pone otra presentación con los mismos avisos."""

    def empieza(self, texto: str) -> None:
        """Empieza una etapa larga («Ensamblando HTML y PDF»): quien muestra el avance puede
        decirlo mientras dura. Su línea es la de `etapa`, cuando termina."""

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        """Terminó una etapa; `segundos`, lo que tardó ella sola (None: un aviso sin
        tiempo)."""
        print(texto if segundos is None else f"{texto} ({segundos:.1f} s)", flush=True)

    def secciones(self, total: int) -> None:
        """Empiezan a ejecutarse `total` cuadernos: la memoria de cálculo y las secciones."""

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        """Terminó el cuaderno `posicion` (1 a `total`) en el orden del informe: la memoria
        de cálculo y después las secciones como las lista su `secciones.yaml`. Se llama en
        ese orden aunque los kernels terminen en otro (una sección que termina antes que la
        anterior espera a que esta termine), con un cerrojo tomado: puede venir de cualquier
        hilo, pero nunca de dos a la vez. `de_la_cache`: no se ejecutó, se tomó de la caché
        (nada de lo que lee cambió)."""
        cuanto = "de la caché" if de_la_cache else f"{segundos:.1f} s"
        print(f"  [{posicion}/{total}] {titulo} ({cuanto})", flush=True)

    def listo(self, salida: Path, segundos: float) -> None:
        """El informe quedó en `salida`; `segundos`, el total."""
        print(f"Informe listo en {salida} ({segundos:.1f} s)", flush=True)


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


def escribir_tablas_y_anexo(carpeta: Path) -> None:
    """`tablas/` (CSV) y `anexo.xlsx` del informe que se arma en `carpeta`, con lo mismo que
    leyeron las secciones: el libro de `entrada/` y las tablas que guardó la memoria de
    cálculo. Con más de un núcleo corre en otro proceso (`Aparte`) mientras se ensamblan el
    HTML y el PDF, que no usan ni el libro ni las tablas."""
    from helpers.preparacion import abrir
    from helpers.salida.anexo import escribir_anexo
    from helpers.salida.tablas_csv import escribir_tablas

    prep = abrir(informe=carpeta)
    escribir_tablas(prep.tablas, carpeta / "tablas")
    escribir_anexo(prep.tablas, carpeta / "anexo.xlsx", datos=prep.datos,
                   trimestre=prep.trimestre, metodologia=prep.metodologia,
                   organizacion=prep.organizacion)


def ejecutar_secciones(
    carpeta: Path, trabajos: int, secciones: list[Seccion], memoria: Seccion,
    cuadernos: Path = CUADERNOS, avisos: Avisos | None = None,
    mientras: Callable[[], None] | None = None, kernel=None, cache=None,
    reserva: Reserva | None = None,
) -> list[Path]:
    """Ejecuta la memoria de cálculo y después las secciones, repartidas entre `trabajos`
    kernels que se abren una sola vez, con la carpeta `carpeta` (notebooks/ del informe)
    como carpeta de trabajo. Devuelve los cuadernos ejecutados: la memoria y las secciones.

    Arrancar un kernel e importar pandas y seaborn cuesta más que casi cualquier sección;
    por eso cada hilo abre un kernel y ejecuta en él una sección tras otra. Las secciones
    esperan a la memoria, que escribe lo que leen; mientras tanto, los demás kernels importan
    lo que importan las secciones (`precargar`): con dos núcleos, uno haría nada.

    `mientras`: lo que este hilo hace mientras tanto, en vez de sólo esperar (si falla, las
    secciones se interrumpen como con Ctrl+C, y su error sigue). `kernel`: uno ya abierto
    (`abrir_kernel`, con otra carpeta de trabajo) para la memoria de cálculo; se cierra como
    los demás. `cache`: una `CacheDeSecciones` de la que se toman las secciones que no
    cambiaron y en la que se guardan las que se ejecutan. `reserva`: de donde salen los
    kernels (`helpers.reserva`; sin ella, se arrancan).
    """
    import threading
    from queue import Empty, SimpleQueue

    avisos = avisos or Avisos()
    reserva = reserva or Reserva(None, usar=False)
    carpeta.mkdir(parents=True, exist_ok=True)
    todas = [memoria, *secciones]
    avisos.secciones(len(todas))
    cola: SimpleQueue = SimpleQueue()
    for seccion in secciones:
        cola.put(seccion)
    fallos: list[str] = []
    cerrojo = threading.Lock()
    memoria_lista = threading.Event()
    # Las secciones se avisan en el orden del informe: la que termina antes que otra
    # anterior espera en `terminadas` hasta que esa termine.
    posicion = {id(seccion): i for i, seccion in enumerate(todas)}
    terminadas: dict[int, tuple[str, float, bool]] = {}
    avisadas = [0]
    # Cuántos hilos pueden estar escribiendo en `carpeta`, y si la corrida se interrumpió: un
    # hilo que arranca después de la interrupción no toca nada, y la interrupción espera a
    # los que ya trabajan antes de que se borre la carpeta.
    en_marcha = threading.Condition()
    activos = [0]
    interrumpida = [False]

    def ejecutar(km, seccion: Seccion) -> bool:
        de_la_cache = cache is not None and _restaurar(cache, seccion, seccion is memoria)
        if de_la_cache:
            segundos = 0.0
        else:
            try:
                segundos = _ejecutar_anotando(km, seccion, carpeta, cuadernos, cache,
                                              seccion is memoria)
            except FalloDeSeccion as error:
                with cerrojo:
                    fallos.append(
                        f"La sección «{seccion.titulo}» ({seccion.cuaderno}) falló: {error}")
                return False
        with cerrojo:
            terminadas[posicion[id(seccion)]] = (seccion.titulo, segundos, de_la_cache)
            while avisadas[0] in terminadas:
                titulo, tardo, tomada = terminadas.pop(avisadas[0])
                avisadas[0] += 1
                avisos.seccion(avisadas[0], len(todas), titulo, tardo, de_la_cache=tomada)
        return True

    def trabajador(primero: bool) -> None:
        with en_marcha:
            if interrumpida[0]:
                memoria_lista.set()
                return
            activos[0] += 1
        try:
            trabajar(primero)
        finally:
            memoria_lista.set()
            with en_marcha:
                activos[0] -= 1
                en_marcha.notify_all()

    def trabajar(primero: bool) -> None:
        km = (kernel if primero and kernel is not None
              else reserva.kernel(carpeta, _entorno_de_kernels(cache and cache.almacen)))
        try:
            preparar_ejecucion()  # mientras el kernel termina de arrancar
            if km is kernel:
                mudar(km, carpeta)
            if primero:
                ejecutar(km, memoria)
                memoria_lista.set()
            else:
                if not memoria_lista.is_set():
                    precargar(km, modulos)
                memoria_lista.wait()
            while not fallos:
                try:
                    seccion = cola.get_nowait()
                except Empty:
                    return
                if not ejecutar(km, seccion):
                    return
        finally:
            km.shutdown_kernel(now=True)

    modulos = importados([cuadernos / seccion.cuaderno for seccion in secciones])
    reserva.anotar_precarga(modulos)
    hilos = [threading.Thread(target=trabajador, args=(i == 0,))
             for i in range(min(trabajos, len(secciones)))]
    try:
        for hilo in hilos:
            hilo.start()
        if mientras is not None:
            mientras()
        for hilo in hilos:
            hilo.join()
    except BaseException:
        # Interrumpida (Ctrl+C, SIGTERM, o falló `mientras`): cada hilo termina la sección
        # que tiene entre manos y cierra su kernel antes de que se borre la carpeta en que
        # escriben.
        # (`is_alive` no basta: un hilo interrumpido a mitad de `start` puede estar corriendo
        # sin figurar como vivo.)
        fallos.append("corrida interrumpida")
        with en_marcha:
            interrumpida[0] = True
            en_marcha.wait_for(lambda: activos[0] == 0)
        raise
    if fallos:
        raise FalloDeSeccion(fallos[0])
    return [carpeta / seccion.archivo for seccion in todas]


def _restaurar(cache, seccion: Seccion, es_memoria: bool) -> bool:
    return cache.restaurar_memoria(seccion) if es_memoria else cache.restaurar(seccion)


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
            forzar: bool = False) -> Path:
    """Genera el informe completo; devuelve la carpeta de salida. `cuadernos` es la carpeta
    de los cuadernos de sección (otra sólo en pruebas); `tipo`, si se da, el tipo de informe
    que deben pedir los parámetros (`make annual` con un archivo de un informe trimestral es
    un error de parámetros, no otro informe); `avisos`, quién cuenta el avance.

    `cache`: usar la caché junto a la carpeta del informe (`helpers.salida.cache_informe`):
    si el informe está al día, se dice y no se toca; al terminar, se anota de qué salió.
    `forzar`: generarlo aunque esté al día."""
    from helpers.entrada.parametros import cargar_parametros

    avisos = avisos or Avisos()
    inicio = datetime.now(UTC)
    reloj = _Reloj()
    espaciar_recolecciones()
    parametros = cargar_parametros(ruta_params)
    if tipo is not None and parametros.informe != tipo:
        raise ErrorDeEntrada([Problema(
            Path(ruta_params).name, None, None, "informe",
            f"dice «{parametros.informe}», y aquí se pide un informe «{tipo}»; use un archivo "
            f"de parámetros con «informe: {tipo}»",
        )])
    # Los textos de otra entidad o de relleno no detienen el informe, pero se dicen antes.
    from helpers.entrada.textos_de_muestra import textos_de_muestra

    for aviso in textos_de_muestra(ruta_params):
        avisos.etapa(f"Advertencia: {aviso}")
    cache = cache and _con_secreto(avisos)
    salida = Path(os.path.realpath(parametros.carpeta_salida))
    _comprobar_salida(salida, parametros, Path(ruta_params))
    with cerrojo(salida):
        if limpiar_restos(salida):
            avisos.etapa("Se limpiaron los restos de una corrida interrumpida.")
        _comprobar_salida(salida, parametros, Path(ruta_params))
        entradas = _entradas(parametros, Path(ruta_params), cuadernos) if cache else None
        if entradas is not None and not forzar and _al_dia(salida, parametros, entradas):
            avisos.etapa(f"El informe de {salida} está al día: ni los parámetros, ni los "
                         "datos, ni el programa cambiaron desde que se generó, y no se tocó "
                         "(para generarlo de nuevo: --forzar).", reloj.vuelta())
            avisos.listo(salida, reloj.total())
            return salida
        # El kernel de la memoria de cálculo arranca ya, mientras este proceso lee y comprueba
        # el libro con un solo núcleo: arrancarlo cuesta casi un segundo de CPU, que así no
        # demora la memoria. La carpeta en que trabajará todavía no existe: se la da
        # `ejecutar_secciones`. Si algo falla antes, se cierra aquí. Con la caché, los
        # kernels y los procesos aparte salen de la reserva que dejó la corrida anterior, si
        # la hay (`helpers.reserva`).
        almacen = _almacen(salida) if cache else None
        reserva = _reserva(salida, cache, Path(ruta_params))
        try:
            # Con una reserva, sus kernels ya arrancaron: el de la memoria se pide al
            # ejecutarla, y mientras tanto la reserva termina de arrancar si hace falta.
            with (contextlib.nullcontext() if reserva.hay_reserva() else
                  reserva.kernel_abierto(entorno=_entorno_de_kernels(almacen))) as kernel:
                # Y mientras tanto importa lo que importa la memoria (pandas, el cálculo),
                # que si no pagaría al empezar, con las secciones esperándola.
                modulos = importados([cuadernos / parametros.tipo.memoria.cuaderno])
                reserva.anotar_precarga(modulos)
                if kernel is not None:
                    precargar(kernel, modulos, esperar=False)
                _generar_en(salida, parametros, Path(ruta_params), inicio, reloj, trabajos,
                            cuadernos, avisos, kernel, almacen, reserva)
        finally:
            reserva.cerrar()
        reserva.dejar_lista()
        if entradas is not None:
            from helpers.salida.cache_informe import guardar_registro, podar

            guardar_registro(salida, entradas)
            podar(salida, desde=reloj.inicio_en_el_reloj_del_sistema)
    avisos.listo(salida, reloj.total())
    return salida


def _con_secreto(avisos: Avisos) -> bool:
    """La caché sólo se usa con el secreto del usuario (`helpers.comun.almacen.secreto`, que
    lo crea la primera vez): sin él, se dice por qué y el informe se hace entero."""
    from helpers.comun.almacen import SecretoInservible, secreto

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
    from helpers.salida.cache_informe import estado_de_entradas

    try:
        return estado_de_entradas(tipo=parametros.informe, params=ruta_params,
                                  datos=parametros.ruta_datos, cuadernos=cuadernos)
    except OSError:
        # Lo que no se puede leer (un libro que falta) no está al día ni se anota: lo dice la
        # lectura de los datos, como sin la caché (código 2, con el archivo nombrado).
        return None


def _al_dia(salida: Path, parametros, entradas: dict) -> bool:
    from helpers.salida.cache_informe import al_dia

    anterior = None
    if parametros.informe_anterior:
        from helpers.calculo.reexpresiones import CARPETA_COPIA

        anterior = (parametros.ruta_informe_anterior, salida / CARPETA_COPIA)
    return al_dia(salida, entradas, anterior)


def _comprobar_salida(salida: Path, parametros, ruta_params: Path) -> None:
    motivos = comprobar_salida(
        salida, datos=parametros.ruta_datos, params=ruta_params, proyecto=RAIZ
    )
    if motivos:
        raise ErrorDeEntrada([
            Problema(ruta_params.name, None, None, "salida",
                     f"no se puede usar como carpeta del informe: {motivo}")
            for motivo in motivos
        ])


def _entorno_de_kernels(almacen) -> dict[str, str]:
    """Con la caché, los kernels toman de ella las imágenes de los gráficos que no cambiaron
    (`helpers.redaccion.graficos_guardados`)."""
    if almacen is None:
        return {}
    from helpers.redaccion.graficos_guardados import VARIABLE

    return {VARIABLE: str(almacen.carpeta)}


def _reserva(salida: Path, cache: bool, ruta_params: Path) -> Reserva:
    from helpers.salida.cache_informe import carpeta_cache

    reserva = Reserva(carpeta_cache(salida), usar=cache and activa())
    reserva.params = ruta_params.resolve()
    return reserva


def _almacen(salida: Path):
    from helpers.salida.cache_informe import almacen

    return almacen(salida)


def _generar_en(salida, parametros, ruta_params, inicio, reloj: _Reloj, trabajos, cuadernos,
                avisos: Avisos, kernel, almacen=None, reserva: Reserva | None = None) -> None:
    """Arma el informe en una carpeta hermana de `salida` y la pone en su lugar al final; si
    algo falla, la carpeta hermana se borra y `salida` no cambia."""
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import comprobar_con_datos

    datos = cargar_datos(parametros.ruta_datos)
    # Las claves de los parámetros que nombran filas del libro (la unidad de planificación).
    comprobar_con_datos(parametros, datos, ruta_params.name)
    avisos.etapa(f"Datos válidos: {parametros.ruta_datos.name}", reloj.vuelta())
    anterior = None
    if parametros.informe_anterior:
        from helpers.calculo.reexpresiones import leer_informe_anterior

        # Antes de crear nada: un informe anterior que no sirve es un error de parámetros.
        anterior = parametros.ruta_informe_anterior
        leer_informe_anterior(anterior, parametros, ruta_params.name)
    from helpers.preparacion import guardar_entrada
    from helpers.redaccion.identidad import datos_para_ensamblar
    from helpers.salida.manifiesto import datos_colofon, describir_codigo, escribir_manifiesto

    # El código que produce el informe, leído antes de crear nada (la carpeta temporal no
    # cuenta como cambio sin confirmar); el manifiesto y el colofón dicen lo mismo.
    codigo = describir_codigo(PROGRAMA)

    temporal = carpeta_nueva(salida, {"programa": "informe-poa", "informe": parametros.etiqueta})
    aparte = procesos = None
    reserva = reserva or Reserva(None, usar=False)

    def mientras_corren_los_kernels() -> None:
        """Lo que sólo usan el ensamblado y el anexo, cargado mientras los kernels arrancan y
        calculan (este proceso nada más los espera), no antes: nbconvert y WeasyPrint no
        demoran la memoria de cálculo, y quien tiene datos con problemas no los espera.

        Las tablas en CSV y el anexo no dependen del HTML ni del PDF: con más de un núcleo se
        escriben en otro proceso mientras se ensambla, cediendo el núcleo a lo que el
        ensamblado espera. Ese proceso y los del ensamblado arrancan aquí, mientras un núcleo
        espera a la memoria de cálculo: al recibir su encargo ya importaron lo que usan."""
        nonlocal aparte, procesos
        from helpers.salida.ensamblado import arrancar_procesos
        from helpers.salida.pdf import cargar_weasyprint

        if nucleos() > 1:
            aparte = reserva.aparte(escribir_tablas_y_anexo, cediendo=True,
                                    importar=("helpers.preparacion", "helpers.salida.anexo"))
        procesos = arrancar_procesos(reserva.aparte)
        cargar_weasyprint()  # también este compone

    try:
        guardar_entrada(temporal, ruta_params, datos)
        if anterior is not None:
            from helpers.calculo.reexpresiones import CARPETA_COPIA, copiar_informe_anterior

            copiar_informe_anterior(anterior, temporal / CARPETA_COPIA)
        avisos.etapa("Datos guardados en entrada/", reloj.vuelta())
        tipo = parametros.tipo
        por_ejecutar = tipo.secciones_para(parametros, datos)
        # Lo que el manifiesto usa del libro. El libro mismo ya está en entrada/, de donde lo
        # leen las secciones y, después, las tablas y el anexo: desde aquí, este proceso no lo
        # tiene en memoria (en una entidad grande, cientos de MB).
        archivos = datos.archivos
        datos = None
        devolver_memoria()
        cache = None
        if almacen is not None:
            from helpers.preparacion import PARAMETROS
            from helpers.salida.cache_secciones import CacheDeSecciones

            cache = CacheDeSecciones(almacen, temporal, cuadernos, PARAMETROS,
                                     _copia_anterior(temporal, anterior))
        ejecutados = ejecutar_secciones(temporal / "notebooks", trabajos or _trabajos(),
                                        por_ejecutar, tipo.memoria, cuadernos, avisos,
                                        mientras=mientras_corren_los_kernels, kernel=kernel,
                                        cache=cache, reserva=reserva)
        if reserva.tomados:
            avisos.etapa("Se usaron los procesos que dejó listos la corrida anterior.")
        avisos.etapa(f"Secciones ejecutadas: {len(ejecutados)}", reloj.vuelta())
        from helpers.salida.ensamblado import ensamblar

        with aparte or contextlib.nullcontext():
            if aparte is not None:
                aparte.enviar(temporal)
                aparte.sin_mas_encargos()
            avisos.empieza("Ensamblando HTML y PDF")
            memoria, secciones = ejecutados[0], ejecutados[1:]
            ensamblar(
                secciones,
                temporal,
                solo_auditoria=[memoria],
                titulo=tipo.titulo,
                colofon=datos_colofon(datos=archivos, params=ruta_params, proyecto=PROGRAMA,
                                      carpeta=salida, momento=inicio.astimezone(),
                                      codigo=codigo),
                # entidad, periodo y fecha de corte, subtitulo (el periodo con su acumulado),
                # identificacion (portada), firmas y fuentes (la línea «Fuente:» de cada
                # cuadro y gráfico): helpers.redaccion.identidad.
                **datos_para_ensamblar(parametros),
                procesos=procesos,
                almacen=almacen,
            )
            avisos.etapa("HTML y PDF ensamblados", reloj.vuelta())
            avisos.empieza("Escribiendo las tablas, el anexo Excel y el manifiesto")
            if aparte is None:
                escribir_tablas_y_anexo(temporal)
            else:
                aparte.resultado()
        escribir_manifiesto(
            temporal / "manifiesto.json",
            parametros=parametros.model_dump(mode="json"),
            entradas=[ruta_params, *archivos],
            carpeta_salida=temporal,
            inicio=inicio,
            fin=datetime.now(UTC),
            # Las entradas, relativas a la carpeta contra la que se leyeron sus rutas: la del
            # proyecto, o la de la entidad (que así se puede mover con sus informes).
            raiz=parametros.raiz,
            codigo=codigo,
        )
        permisos_normales(temporal)
        reemplazar(temporal, salida)
        avisos.etapa("Tablas, anexo Excel y manifiesto escritos", reloj.vuelta())
    except BaseException:
        # Se detienen antes de borrar la carpeta en que escribirían.
        for proceso in (aparte, procesos):
            if proceso is not None:
                proceso.cerrar(por_error=True)
        shutil.rmtree(temporal, ignore_errors=True)
        raise


def _copia_anterior(temporal: Path, anterior: Path | None) -> Path | None:
    if anterior is None:
        return None
    from helpers.calculo.reexpresiones import CARPETA_COPIA

    return temporal / CARPETA_COPIA


def _trabajos() -> int:
    # Un kernel por núcleo.
    return max(1, min(4, nucleos()))


def correr(ruta: Path, trabajos: int | None = None, tipo: str | None = None,
           avisos: Avisos | None = None, *, cache: bool = False,
           forzar: bool = False) -> tuple[int, Path | None]:
    """Genera el informe de los parámetros `ruta`; devuelve el código de salida (ver
    docs/entradas.md) y la carpeta del informe (None si no se generó). Los errores se dicen
    en castellano, sin traza. `cache` y `forzar`: ver `generar`."""
    ruta = Path(ruta)
    if not ruta.is_absolute() and not ruta.exists():
        ruta = RAIZ / ruta
    # SIGTERM (kill, fin de sesión) como Ctrl+C: la carpeta a medio armar se borra al salir.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    ruta = ruta.resolve()
    try:
        salida = generar(ruta, trabajos, tipo=tipo, avisos=avisos, cache=cache, forzar=forzar)
    except ErrorDeEntrada as error:
        return _fallo(error.texto(), 2, ruta), None
    except (FalloDeSeccion, CarpetaOcupada) as error:
        return _fallo(str(error), 1, ruta), None
    except OSError as error:
        texto = f"No se pudo leer o escribir {error.filename or ''}: {error.strerror or error}"
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
    from helpers.entrada.parametros import cargar_parametros

    try:
        salida = Path(os.path.realpath(cargar_parametros(ruta_params).carpeta_salida))
    except (ErrorDeEntrada, OSError):
        return None
    return salida if salida.is_dir() and es_del_ejecutor(salida) else None


if __name__ == "__main__":
    sys.exit(main())
