"""Los informes trimestrales de muchas entidades a la vez, en Dask distributed, y el informe
consolidado para el órgano rector: `informe-poa lote PARAMS...` (docs/lote.md).

Cada archivo de parámetros es una entidad. Por omisión se arma un clúster local (un proceso
por trabajador, un hilo cada uno: un informe a la vez por trabajador); con `planificador`
(`tcp://host:8786`) se usa un planificador que ya corre, con trabajadores en otras máquinas.

Cada informe corre en un proceso propio (`python -m helpers.lote --entidad RUTA`) que lanza
la tarea de Dask en su trabajador con `subprocess`. Así:

- el ejecutor (`helpers.informe.correr`) corre en el hilo principal de su proceso, como en
  `informe-poa trimestral`: su manejador de SIGTERM (que borra la carpeta a medio armar)
  funciona, y un trabajador de Dask, que ejecuta sus tareas en hilos, no podría instalarlo;
- un informe que falla, se cuelga o agota la memoria no toca al trabajador ni a los demás
  informes: su fallo vuelve como código de salida y mensaje;
- si el trabajador muere (Ctrl+C en el lote, el clúster se cierra, SIGKILL), el proceso del
  informe ve cerrarse su entrada estándar, una tubería que sólo su tarea tiene abierta, y se
  interrumpe a sí mismo con SIGTERM, y borra lo que armaba; si el lote se cancela (el evento
  de Dask), la tarea le manda SIGTERM;
- funciona en un trabajador de Dask arrancado de la forma ordinaria (`dask worker`, el
  clúster local), cuyos procesos son «daemon»: un daemon de multiprocessing no puede tener
  hijos de multiprocessing, pero sí lanzar programas.

Con `trabajos` kernels y núcleos por informe (1 por omisión): los trabajadores ya son uno
por núcleo, así que un informe ejecuta sus secciones una tras otra en un kernel y ensambla
sin procesos de ayuda (`helpers.comun.nucleos.VARIABLE_NUCLEOS`). Repartir cada informe en varios
procesos que compiten por los mismos núcleos sólo sumaría lo que cuesta arrancarlos.

Al final, el consolidado (`helpers.calculo.consolidado`) sale de las tablas de cada informe y
se escribe, como un informe más, en su carpeta (por omisión `output/lote-<gestión>-T<n>`):
`tablas/consolidado.csv`, `tablas/alertas_por_tipo.csv`, `lote.json`, el cuaderno ejecutado
y `informe.html`, `informe-auditoria.html` e `informe.pdf`. La carpeta se reemplaza sólo si
es un informe de este programa (`helpers.salida.carpeta_informe`).
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from helpers.codigos import ERROR_DE_ENTRADA, EXITO, FALLA, INTERRUMPIDA, NO_SE_GENERO
from helpers.rutas import RAIZ

# El tipo de informe de las entidades de un lote: el trimestral o, con --objetivos, el informe
# por objetivo.
TIPOS_DE_LOTE = ("trimestral", "objetivos")
TRABAJOS_POR_ENTIDAD = 1
# El clúster local mira cada 20 a 500 ms si su bucle de eventos se trabó, cuánta memoria usa
# cada trabajador y cómo está la máquina, para un tablero que aquí no hay (y la memoria de un
# informe, que corre en su proceso, no la ve): un 3 % de un núcleo sin hacer nada. Con estos
# intervalos, la mitad. Lo demás, como lo deja Dask.
CONFIGURACION_CLUSTER_LOCAL = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
}


class LoteInvalido(Exception):
    """El lote no puede empezar: archivos que no existen, dos entidades con la misma carpeta,
    periodos distintos, una carpeta del consolidado que no se puede usar (código 2)."""


class SinPlanificador(Exception):
    """No se pudo conectar con el planificador de Dask o armar el clúster local (código 1)."""


@dataclass
class ResultadoEntidad:
    """Cómo terminó el informe de una entidad: `codigo` como el de `informe-poa trimestral`
    (0 listo, 1 falla, 2 error de datos o parámetros, 130 interrumpido)."""

    params: Path
    entidad: str
    sigla: str
    codigo: int
    carpeta: Path | None = None
    mensaje: str = ""
    segundos: float = 0.0
    trabajador: str = ""
    nucleos: int = 0  # con cuántos núcleos corrió el informe (0: no llegó a correr)
    libro: str = ""  # el nombre del libro de sus parámetros
    # Su informe por objetivo no se generó porque su libro no vincula nada a ningún objetivo.
    sin_vinculos: bool = False

    @property
    def listo(self) -> bool:
        return self.codigo == EXITO


@dataclass
class ResultadoLote:
    """El lote entero: `codigo` 0 si todos los informes se generaron (en el lote por objetivo,
    también si a alguna entidad no le vincula nada su libro), 1 si alguno falló (o falló el
    consolidado), 2 si los marcos de dos entidades no coinciden, 130 si se interrumpió."""

    codigo: int
    entidades: list[ResultadoEntidad]
    consolidado: Path | None
    segundos: float
    mensaje: str = ""
    tiempos: dict = field(default_factory=dict)


class AvisosDeLote:
    """Lo que cuenta el lote mientras trabaja: cada etapa y cada entidad terminada, en la
    terminal con las reglas de `helpers.consola` (texto inerte). `silencioso`: sólo las
    entidades que fallaron (en la salida de errores)."""

    def __init__(self, silencioso: bool = False):
        self.silencioso = silencioso

    def _linea(self, texto: str, error: bool = False) -> None:
        if error or not self.silencioso:
            from helpers.consola import consola, inerte

            consola(error=error).print(inerte(texto))

    def etapa(self, texto: str) -> None:
        self._linea(texto)

    def entidad(self, hechas: int, total: int, resultado: ResultadoEntidad) -> None:
        nombre = resultado.sigla or resultado.params.name
        if resultado.listo:
            self._linea(f"[{hechas}/{total}] {nombre}: listo en {round(resultado.segundos)} s "
                        f"→ {_mostrar(resultado.carpeta)}")
        elif resultado.sin_vinculos:
            self._linea(f"[{hechas}/{total}] {nombre}: su libro no vincula nada a ningún "
                        "objetivo; figura en el consolidado entre las entidades que no aportan")
        else:
            self._linea(f"[{hechas}/{total}] {nombre}: falló: {_motivo_corto(resultado)}",
                        error=self.silencioso)


def _motivo_corto(resultado: ResultadoEntidad) -> str:
    """El mensaje del informe sin la coletilla del ejecutor, en una sola línea por problema
    (la primera línea y las siguientes, con sangría)."""
    lineas = [linea.rstrip() for linea in resultado.mensaje.splitlines()
              if linea.strip() and not linea.strip().startswith(NO_SE_GENERO)]
    if not lineas:
        return f"código {resultado.codigo}, sin mensaje"
    return "\n    ".join(lineas)


def _mostrar(ruta: Path | None) -> str:
    """La ruta relativa a la carpeta actual si está dentro de ella (output/...), si no entera."""
    if ruta is None:
        return ""
    try:
        return str(Path(ruta).relative_to(Path.cwd()))
    except ValueError:
        return str(ruta)


# --- Antes de empezar ----------------------------------------------------------------------


@dataclass
class _Entidad:
    params: Path
    nombre: str
    sigla: str
    parametros: object | None = None  # helpers.entrada.parametros.Parametros
    error: str = ""
    libro: str = ""  # el nombre del libro de sus parámetros


def _ruta_params(ruta: Path | str) -> Path:
    # Como `helpers.informe.correr`: una ruta relativa que no existe aquí, desde el proyecto.
    ruta = Path(ruta)
    if not ruta.is_absolute() and not ruta.exists():
        ruta = RAIZ / ruta
    return Path(os.path.realpath(ruta))


def _preparar(rutas: list, tipo: str = "trimestral") -> list[_Entidad]:
    """Lee los parámetros de cada entidad. Un archivo que no existe, una ruta repetida o
    unos parámetros que piden otro tipo de informe que `tipo` detienen el lote
    (`LoteInvalido`); unos parámetros con errores, o una carpeta de salida que no se puede
    usar (la que tiene el informe de otro periodo), sólo a su entidad."""
    from helpers.entrada.errores import ErrorDeEntrada
    from helpers.entrada.parametros import cargar_parametros
    from helpers.salida.carpeta_informe import problemas_de_salida

    if not rutas:
        raise LoteInvalido("falta al menos un archivo de parámetros (uno por entidad)")
    entidades, vistas = [], {}
    for original in rutas:
        ruta = _ruta_params(original)
        if not ruta.is_file():
            raise LoteInvalido(f"no existe el archivo de parámetros {original}")
        if ruta in vistas:
            otra = "" if str(vistas[ruta]) == str(original) else f" (también como {vistas[ruta]})"
            raise LoteInvalido(f"el archivo de parámetros {original} está dos veces en el "
                               f"lote{otra}")
        vistas[ruta] = original
        try:
            parametros = cargar_parametros(ruta)
        except ErrorDeEntrada as error:
            entidades.append(_Entidad(ruta, ruta.stem, "", error=error.texto()))
            continue
        if problemas := problemas_de_salida(parametros, ruta, RAIZ):
            entidades.append(_Entidad(ruta, parametros.entidad.nombre, parametros.entidad.sigla,
                                      error=ErrorDeEntrada(problemas).texto()))
            continue
        entidades.append(_Entidad(ruta, parametros.entidad.nombre, parametros.entidad.sigla,
                                  parametros, libro=Path(parametros.ruta_datos).name))
    validas = [e for e in entidades if e.parametros is not None]
    if not validas:
        raise LoteInvalido("ningún archivo de parámetros del lote es válido:\n"
                           + "\n".join(f"{e.params.name}: {e.error}" for e in entidades))
    _cada_una_la_suya(validas)
    periodos = {(e.parametros.informe, e.parametros.etiqueta) for e in validas}
    if len(periodos) > 1:
        raise LoteInvalido(
            "las entidades de un lote deben pedir el mismo informe y periodo; aquí hay "
            + "; ".join(f"{e.params.name}: {e.parametros.informe} {e.parametros.etiqueta}"
                        for e in validas))
    _comprobar_tipo(validas[0], tipo)
    return entidades


def _cada_una_la_suya(validas: list[_Entidad]) -> None:
    """Cada entidad con su carpeta de salida y su sigla (la que la nombra en el
    consolidado); si no, `LoteInvalido` con los dos archivos de parámetros."""
    carpetas: dict[Path, Path] = {}
    siglas: dict[str, Path] = {}
    for entidad in validas:
        carpeta = Path(os.path.realpath(entidad.parametros.carpeta_salida))
        if carpeta in carpetas:
            raise LoteInvalido(
                f"{carpetas[carpeta].name} y {entidad.params.name} escriben su informe en la "
                f"misma carpeta ({carpeta}): dé a cada entidad su «salida:»")
        carpetas[carpeta] = entidad.params
        sigla = entidad.sigla.strip().casefold()
        if sigla in siglas:
            raise LoteInvalido(
                f"{siglas[sigla].name} y {entidad.params.name} tienen la misma sigla "
                f"«{entidad.sigla}»: la sigla nombra a cada entidad en el consolidado; dé a "
                "cada una la suya en «entidad: sigla:»")
        siglas[sigla] = entidad.params


def _comprobar_tipo(entidad: _Entidad, tipo: str) -> None:
    pide = entidad.parametros.informe
    if pide == tipo:
        return
    if tipo == "objetivos":
        raise LoteInvalido(
            f"el lote por objetivo (--objetivos) consolida informes por objetivo, y "
            f"{entidad.params.name} pide «informe: {pide}»: use archivos de parámetros con "
            "«informe: objetivos» (docs/lote.md)")
    pista = (" (para el consolidado por objetivo, agregue --objetivos)"
             if pide == "objetivos" else "")
    raise LoteInvalido(f"el lote consolida informes trimestrales, y {entidad.params.name} "
                       f"pide «informe: {pide}»{pista}")


def carpeta_por_omision(etiqueta: str) -> Path:
    """La carpeta del consolidado si no se da otra: output/lote-2024-T2."""
    return RAIZ / "output" / f"lote-{etiqueta}"


def _comprobar_destino(destino: Path, entidades: list[_Entidad]) -> None:
    from helpers.salida.carpeta_informe import comprobar_salida

    motivos: list[str] = []
    for entidad in entidades:
        if entidad.parametros is None:
            continue
        for motivo in comprobar_salida(destino, datos=entidad.parametros.ruta_datos,
                                       params=entidad.params, proyecto=RAIZ):
            if motivo not in motivos:
                motivos.append(motivo)
        carpeta = Path(os.path.realpath(entidad.parametros.carpeta_salida))
        if carpeta == destino or carpeta in destino.parents or destino in carpeta.parents:
            motivos.append(f"{destino} es, contiene o está dentro de la carpeta del informe de "
                           f"{entidad.sigla} ({carpeta})")
    if motivos:
        raise LoteInvalido("la carpeta del consolidado no se puede usar: " + "; ".join(motivos))


# --- En el trabajador ------------------------------------------------------------------------


def informe_de_entidad(ruta_params: str, trabajos: int = TRABAJOS_POR_ENTIDAD,
                       cancelacion: str | None = None, tipo: str = "trimestral") -> dict:
    """La tarea de Dask: genera el informe de una entidad en un proceso aparte y devuelve
    ``{"codigo", "carpeta", "mensaje", "segundos", "trabajador", "nucleos"}``. Si el evento de
    Dask `cancelacion` se activa (el lote se interrumpió), detiene el informe con SIGTERM: el
    ejecutor borra lo que armaba."""
    import socket

    inicio = time.perf_counter()
    resultado = {"codigo": FALLA, "carpeta": None, "mensaje": "", "segundos": 0.0,
                 "trabajador": socket.gethostname()}
    evento = _evento(cancelacion)
    with tempfile.TemporaryFile() as salida, tempfile.TemporaryFile() as errores:
        proceso = _lanzar_informe(ruta_params, trabajos, salida, errores, tipo)
        try:
            while proceso.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proceso.wait(timeout=1)
                if proceso.poll() is None and evento is not None and _activo(evento):
                    proceso.terminate()
        finally:
            if proceso.poll() is None:
                proceso.terminate()
                proceso.wait()
            # Su entrada estándar se cierra sólo aquí (o al morir este proceso): el informe
            # la vigila (`_vigilar_tarea`).
            with contextlib.suppress(OSError):
                proceso.stdin.close()
        codigo = proceso.returncode
        salida.seek(0)
        errores.seek(0)
        texto = salida.read().decode("utf-8", "replace")
        traza = errores.read().decode("utf-8", "replace")
    resultado.update(codigo=codigo, segundos=time.perf_counter() - inicio)
    ultima = texto.strip().splitlines()[-1] if texto.strip() else ""
    try:
        resultado.update(json.loads(ultima))
    except ValueError:
        # El proceso murió antes de contar cómo terminó (una excepción, una señal).
        lineas = [linea for linea in traza.strip().splitlines() if linea.strip()]
        motivo = lineas[-1] if lineas else "sin mensaje"
        resultado.update(codigo=codigo or FALLA,
                         mensaje=f"el proceso del informe terminó con código {codigo}: {motivo}")
    return resultado


def _evento(cancelacion: str | None):
    """El evento de Dask con que el lote pide detener los informes (None sin él o si no se
    puede usar: el informe sigue)."""
    if not cancelacion:
        return None
    with contextlib.suppress(Exception):
        from distributed import Event

        return Event(cancelacion)
    return None


def _lanzar_informe(ruta_params: str, trabajos: int, salida, errores,
                    tipo: str = "trimestral") -> subprocess.Popen:
    """`python -m helpers.lote --entidad RUTA`, con el Python y el entorno del trabajador y
    desde la carpeta del proyecto; su salida estándar y la de errores (y las de sus kernels)
    van a `salida` y `errores`. Su entrada estándar es una tubería que sólo esta tarea tiene
    abierta: se cierra cuando la tarea termina o su trabajador muere, aunque sea de golpe
    (SIGKILL, el sistema sin memoria). En una sesión propia: un Ctrl+C en la terminal del
    trabajador no le llega; lo detiene su trabajador, al cerrarse."""
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.lote", "--entidad", str(ruta_params),
         "--trabajos", str(trabajos), "--tipo", tipo],
        stdin=subprocess.PIPE, stdout=salida, stderr=errores, cwd=RAIZ,
        start_new_session=True)


def _activo(evento) -> bool:
    try:
        return bool(evento.is_set())
    except Exception:  # el planificador no contesta: el informe sigue
        return False


class _Callados:
    """Avisos del ejecutor que no dicen nada (el lote cuenta por entidad)."""

    def empieza(self, texto: str) -> None:
        pass

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        pass

    def secciones(self, total: int) -> None:
        pass

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        pass

    def listo(self, salida, segundos: float) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    """El proceso de un informe del lote (`python -m helpers.lote --entidad RUTA`), que lanza
    `informe_de_entidad`: la última línea de su salida estándar es el resultado en JSON."""
    import argparse

    lector = argparse.ArgumentParser(prog="python -m helpers.lote",
                                     description="El informe de una entidad de un lote.")
    lector.add_argument("--entidad", required=True, help="su archivo de parámetros")
    lector.add_argument("--trabajos", type=int, default=TRABAJOS_POR_ENTIDAD)
    lector.add_argument("--tipo", choices=TIPOS_DE_LOTE, default="trimestral")
    argumentos = lector.parse_args(argv)
    threading.Thread(target=_vigilar_tarea, daemon=True).start()
    return _entidad_main(argumentos.entidad, argumentos.trabajos, argumentos.tipo)


def _vigilar_tarea() -> None:
    """Cuando se cierra la entrada estándar (la tarea que lanzó el informe terminó, o murió su
    trabajador), el informe se interrumpe como con `kill`: el ejecutor borra lo que armaba."""
    with contextlib.suppress(OSError):
        while os.read(0, 4096):
            pass
    os.kill(os.getpid(), signal.SIGTERM)


def _entidad_main(ruta: str, trabajos: int, tipo: str = "trimestral") -> int:
    """Un informe de `tipo`, en el hilo principal de su proceso; la última línea de la salida
    estándar es el resultado en JSON."""
    from helpers.comun.nucleos import VARIABLE_NUCLEOS, nucleos
    from helpers.entrada.parametros import SinVinculos
    from helpers.informe import correr
    from helpers.residente.procesos import Procesos

    # Un núcleo por kernel: los demás los usan los otros informes del lote. Con uno, el
    # informe no arranca procesos de ayuda (auditoría, compositor, anexo), que aquí sólo
    # sumarían lo que cuesta arrancarlos; con más, los mismos de `informe-poa trimestral`.
    os.environ[VARIABLE_NUCLEOS] = str(trabajos)
    mensajes = io.StringIO()
    with contextlib.redirect_stderr(mensajes), Procesos() as procesos:
        errores: list = []
        codigo, carpeta = correr(Path(ruta), trabajos, tipo, _Callados(),
                                 procesos=procesos, errores=errores)
    lineas = [linea for linea in mensajes.getvalue().splitlines()
              if linea.strip() and not linea.strip().startswith(NO_SE_GENERO)]
    print(json.dumps({"codigo": codigo, "carpeta": str(carpeta) if carpeta else None,
                      "mensaje": "\n".join(lineas), "nucleos": nucleos(),
                      "sin_vinculos": any(isinstance(e, SinVinculos) for e in errores)},
                     ensure_ascii=False), flush=True)
    return codigo


# --- El lote ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _sin_ctrl_c():
    """Los procesos que se arrancan aquí ignoran Ctrl+C (SIGINT, que la terminal manda a todos
    los procesos del lote): lo atiende este, que avisa a cada tarea para que detenga su
    informe y después cierra el clúster. Sin esto, cada trabajador moría con su traza."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    anterior = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, anterior)


@contextlib.contextmanager
def _cliente(trabajadores: int | None, planificador: str | None, entidades: int):
    """Un cliente de Dask: del planificador dado o de un clúster local de `trabajadores`
    procesos de un hilo (por omisión, uno por núcleo; nunca más que entidades)."""
    import dask
    from distributed import Client, LocalCluster

    # Mientras dure el clúster local, no sólo al armarlo: un trabajador que muere y su niñera
    # vuelve a arrancar también la recibe.
    configuracion = (contextlib.nullcontext() if planificador
                     else dask.config.set(CONFIGURACION_CLUSTER_LOCAL))
    with configuracion:
        cluster = None
        try:
            if planificador:
                cliente = Client(planificador, timeout="15s")
            else:
                n = max(1, min(trabajadores or os.cpu_count() or 1, entidades))
                with _sin_ctrl_c():
                    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=logging.ERROR)
                cliente = Client(cluster)
        except (OSError, TimeoutError, ValueError) as error:
            if cluster is not None:
                cluster.close()
            donde = f"el planificador {planificador}" if planificador else "el clúster local"
            raise SinPlanificador(f"no se pudo usar {donde}: {error}") from None
        try:
            yield cliente
        finally:
            with contextlib.suppress(Exception):
                cliente.close()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close()


class Marcador:
    """Los resultados de las entidades a medida que terminan (por su posición en el lote), con
    el aviso de cada una."""

    def __init__(self, entidades: list[_Entidad], avisos: AvisosDeLote):
        self.entidades = entidades
        self.avisos = avisos
        self.resultados: dict[int, ResultadoEntidad] = {}
        self.hechas = 0

    def anotar(self, indice: int, resultado: ResultadoEntidad) -> None:
        self.hechas += 1
        self.resultados[indice] = resultado
        self.avisos.entidad(self.hechas, len(self.entidades), resultado)

    def anotar_invalidas(self) -> None:
        """Las entidades con parámetros inválidos terminan antes de empezar (código 2)."""
        for i, entidad in enumerate(self.entidades):
            if entidad.parametros is None:
                self.anotar(i, ResultadoEntidad(entidad.params, entidad.nombre, entidad.sigla,
                                                ERROR_DE_ENTRADA, mensaje=entidad.error))

    def completar_interrumpidas(self) -> None:
        """Las que no llegaron a terminar, interrumpidas (sin aviso: el lote ya se detuvo)."""
        for i, entidad in enumerate(self.entidades):
            if i not in self.resultados:
                self.resultados[i] = ResultadoEntidad(entidad.params, entidad.nombre, entidad.sigla,
                                                      INTERRUMPIDA, mensaje="lote interrumpido")

    def en_orden(self) -> list[ResultadoEntidad]:
        return [self.resultados[i] for i in sorted(self.resultados)]


def _lanzar(cliente, entidades: list[_Entidad], trabajos: int, cancelacion: str,
            tipo: str = "trimestral") -> dict:
    """Una tarea de Dask por entidad válida; devuelve futuro -> posición de la entidad."""
    futuros = {}
    for i, entidad in enumerate(entidades):
        if entidad.parametros is None:
            continue
        futuro = cliente.submit(informe_de_entidad, str(entidad.params), trabajos,
                                cancelacion, tipo, pure=False,
                                key=f"informe-{i}-{entidad.params.stem}-{uuid.uuid4().hex}")
        futuros[futuro] = i
    return futuros


def resultado_de_tarea(entidad: _Entidad, futuro) -> ResultadoEntidad:
    """Lo que devolvió la tarea de la entidad, o su falla si la tarea misma falló."""
    libro = entidad.libro
    try:
        r = futuro.result()
    except Exception as error:  # el trabajador murió, la tarea no llegó a correr
        return ResultadoEntidad(
            entidad.params, entidad.nombre, entidad.sigla, FALLA,
            mensaje=f"la tarea de Dask falló: {type(error).__name__}: {error}", libro=libro)
    return ResultadoEntidad(
        entidad.params, entidad.nombre, entidad.sigla, r["codigo"],
        Path(r["carpeta"]) if r.get("carpeta") else None, r.get("mensaje", ""),
        r.get("segundos", 0.0), r.get("trabajador", ""), r.get("nucleos", 0), libro,
        bool(r.get("sin_vinculos", False)))


def _recoger(futuros: dict, marcador: Marcador) -> None:
    """Anota cada informe a medida que termina (Ctrl+C sale de aquí como KeyboardInterrupt)."""
    from distributed import as_completed

    for futuro in as_completed(list(futuros)):
        i = futuros[futuro]
        marcador.anotar(i, resultado_de_tarea(marcador.entidades[i], futuro))


def _cancelar(evento) -> None:
    """Avisa a cada tarea que detenga su informe (el ejecutor borra lo que armaba)."""
    with contextlib.suppress(Exception):
        evento.set()
        time.sleep(2)  # que cada tarea vea el evento y detenga su informe


def _correr_informes(marcador: Marcador, trabajadores: int | None, planificador: str | None,
                     trabajos: int, tiempos: dict, tipo: str = "trimestral"
                     ) -> tuple[int, bool]:
    """Los informes de las entidades válidas en Dask. Devuelve (trabajadores que tuvo el
    clúster, si se interrumpió con Ctrl+C); anota `tiempos["informes"]`."""
    entidades = marcador.entidades
    validas = [e for e in entidades if e.parametros is not None]
    interrumpido = False
    with _cliente(trabajadores, planificador, len(validas)) as cliente:
        from distributed import Event

        trabajan = len(cliente.scheduler_info().get("workers", {}))
        marcador.avisos.etapa(f"Lote de {len(entidades)} entidades en {trabajan} trabajadores "
                              f"({planificador or 'clúster local'}); un kernel por informe"
                              + ("" if trabajos == 1 else f" × {trabajos}") + ":")
        cancelacion = f"informe-poa-lote-{uuid.uuid4().hex}"
        evento = Event(cancelacion, client=cliente)
        inicio = time.perf_counter()
        futuros = _lanzar(cliente, entidades, trabajos, cancelacion, tipo)
        try:
            _recoger(futuros, marcador)
        except KeyboardInterrupt:
            interrumpido = True
            _cancelar(evento)
        tiempos["informes"] = time.perf_counter() - inicio
    return trabajan, interrumpido


def _consolidar(destino: Path, lista: list[ResultadoEntidad], muestra, extra: dict,
                avisos: AvisosDeLote, tiempos: dict, tipo: str = "trimestral"
                ) -> tuple[Path | None, str, bool]:
    """El consolidado y, si no se pudo escribir, por qué (los informes de las entidades
    quedan) y si fue por los datos (dos entidades que describen distinto un objetivo);
    anota `tiempos["consolidado"]`."""
    from helpers.calculo.consolidado_objetivos import MarcosDistintos
    from helpers.salida.lote import escribir_consolidado

    avisos.etapa("Informe consolidado: tablas, HTML, PDF y DOCX")
    inicio = time.perf_counter()
    mensaje, de_los_datos = "", False
    try:
        consolidado = escribir_consolidado(destino, lista, muestra, extra, tipo)
    except MarcosDistintos as error:
        consolidado, de_los_datos = None, True
        mensaje = f"No se escribió el consolidado por objetivo:\n{error}"
    except Exception as error:  # el consolidado falla: los informes de las entidades quedan
        consolidado = None
        mensaje = f"No se pudo escribir el consolidado: {type(error).__name__}: {error}"
    tiempos["consolidado"] = time.perf_counter() - inicio
    return consolidado, mensaje, de_los_datos


def correr_lote(rutas_params: list, trabajadores: int | None = None,
                planificador: str | None = None, salida: Path | str | None = None,
                avisos: AvisosDeLote | None = None,
                trabajos: int = TRABAJOS_POR_ENTIDAD, objetivos: bool = False
                ) -> ResultadoLote:
    """Genera los informes trimestrales de `rutas_params` (uno por entidad) en Dask y, con
    sus tablas, el consolidado en `salida` (por omisión `output/lote-<etiqueta>`); con
    `objetivos`, los informes por objetivo y el consolidado por objetivo (una entidad cuyo
    libro no vincula nada figura en él sin que el lote falle; dos entidades que describen
    distinto un objetivo dan código 2, sin consolidado).

    `trabajadores`: procesos del clúster local (por omisión, uno por núcleo); `planificador`:
    la dirección de uno que ya corre (entonces `trabajadores` no se usa); `trabajos`: kernels
    por informe. Lanza `LoteInvalido` (código 2) si el lote no puede empezar y
    `SinPlanificador` (código 1) si no hay clúster; un informe que falla no detiene a los demás.
    """
    avisos = avisos or AvisosDeLote()
    reloj = time.perf_counter()
    tipo = "objetivos" if objetivos else "trimestral"
    entidades = _preparar(list(rutas_params), tipo)
    muestra = next(e for e in entidades if e.parametros is not None).parametros
    destino = Path(os.path.realpath(salida)) if salida else carpeta_por_omision(muestra.etiqueta)
    _comprobar_destino(destino, entidades)

    marcador = Marcador(entidades, avisos)
    marcador.anotar_invalidas()
    tiempos: dict = {}
    trabajan, interrumpido = _correr_informes(marcador, trabajadores, planificador, trabajos,
                                              tiempos, tipo)
    if interrumpido:
        marcador.completar_interrumpidas()
        return ResultadoLote(INTERRUMPIDA, marcador.en_orden(), None,
                             time.perf_counter() - reloj,
                             "Lote interrumpido: no se escribió el consolidado.", tiempos)

    lista = marcador.en_orden()
    consolidado, mensaje, de_los_datos = _consolidar(destino, lista, muestra, {
        "trabajadores": trabajan, "planificador": planificador or "",
        "trabajos_por_informe": trabajos,
        "segundos_informes": round(tiempos["informes"], 1)}, avisos, tiempos, tipo)
    fallidas = [r for r in lista if not r.listo and not r.sin_vinculos]
    codigo = (ERROR_DE_ENTRADA if de_los_datos
              else FALLA if fallidas or consolidado is None else EXITO)
    return ResultadoLote(codigo, lista, consolidado, time.perf_counter() - reloj, mensaje,
                         tiempos)


if __name__ == "__main__":
    sys.exit(main())
