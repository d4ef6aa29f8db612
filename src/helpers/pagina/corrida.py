"""Un informe generado desde la página: el mismo ejecutor de `informe-poa trimestral`
(`helpers.informe.correr`), en un proceso aparte, y su avance en un archivo que cualquier
pestaña lee.

Cada pestaña de la página tiene su propio kernel; la corrida no vive en ninguno: `empezar`
lanza `informe-poa corrida-de-pagina PARAMS ESTADO` (una orden oculta) en su propia sesión
(sigue si se cierra la pestaña), con el entorno con que arrancó `informe-poa app` y no el
del kernel (`ENTORNO_DE_LA_ORDEN`). Esa orden es un cliente del servidor residente como
cualquier orden de informe (`helpers.residente.cliente`): si el servidor está libre, él
corre el informe con sus kernels ya arrancados y la misma caché; si no, corre aquí. Quien
corre escribe en el archivo de estado (`archivo_de_estado`, junto a la carpeta del informe,
oculto) cada etapa, cada sección terminada y, al final, el código de salida, el mensaje de
error o el resumen de la terminal (`helpers.consola.resumen`). El estado lleva el número del
proceso de la orden, no el del servidor: si ese proceso muere, el servidor interrumpe la
corrida y la página la ve interrumpida. Una
pestaña que abre la página mientras tanto lee ese archivo y ve la corrida en curso, y no
puede empezar otra: `empezar` comprueba, con un cerrojo propio, que no haya un proceso vivo
con ese estado, y no lo suelta hasta que el proceso nuevo escribió el suyo. Dentro del
ejecutor, el cerrojo de la carpeta del informe (`salida.carpeta_informe.cerrojo`) sigue
impidiendo dos corridas sobre la misma carpeta, también una de la terminal.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from contextlib import redirect_stderr
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from helpers.avisos import Avisos

__all__ = ["CORRIENDO", "ENTORNO_DE_LA_ORDEN", "FALLIDA", "INTERRUMPIDA", "LISTA",
           "CorridaEnCurso", "Estado", "anunciar", "archivo_de_estado", "correr_y_contar",
           "empezar", "estado_de", "salida_de"]

CORRIENDO, LISTA, FALLIDA, INTERRUMPIDA = "corriendo", "lista", "fallida", "interrumpida"
# Lo que espera `empezar` a que el proceso nuevo escriba su estado.
_ESPERA_ARRANQUE = 30.0
# El entorno (JSON) con que arrancó `informe-poa app`, que el servidor de la página deja a sus
# kernels: la corrida arranca con él y no con el del kernel (Jupyter agrega y cambia
# variables), así su huella es la de una orden de la terminal y las dos usan el mismo
# servidor residente.
ENTORNO_DE_LA_ORDEN = "INFORME_POA_ENTORNO_DE_LA_ORDEN"


class CorridaEnCurso(RuntimeError):
    """Ya hay una corrida viva para esa carpeta de informe."""

    def __init__(self, estado: Estado):
        self.estado = estado
        super().__init__(f"Ya se está generando el informe en {estado.salida}: espere a que "
                         "termine (su avance se ve en esta página).")


@dataclass
class Estado:
    """Lo que la página sabe de una corrida: lo escribe el proceso de la corrida."""

    params: str
    salida: str
    pid: int
    nacido: float  # cuándo arrancó el proceso (psutil), para no confundirlo con otro del mismo pid
    estado: str = CORRIENDO
    inicio: str = ""
    etapas: list[str] = field(default_factory=list)
    en_curso: str = ""
    total: int = 0
    # [posición, título, segundos (None: se tomó de la caché)]
    secciones: list[list] = field(default_factory=list)
    codigo: int | None = None
    mensaje: str = ""
    resumen: list[str] = field(default_factory=list)
    servidor: bool = False  # si lo corrió el servidor residente

    @property
    def hechas(self) -> int:
        return len(self.secciones)

    def viva(self) -> bool:
        """Si el proceso de la corrida sigue vivo (el mismo, no otro con su número)."""
        import psutil

        try:
            proceso = psutil.Process(self.pid)
            return (abs(proceso.create_time() - self.nacido) < 1
                    and proceso.status() != psutil.STATUS_ZOMBIE)
        except psutil.Error:
            return False

    def en_curso_de_verdad(self) -> bool:
        return self.estado == CORRIENDO and self.viva()


def archivo_de_estado(salida: Path) -> Path:
    """'.2024-T2.pagina.json', junto a la carpeta del informe."""
    return salida.parent / f".{salida.name}.pagina.json"


def salida_de(params: Path) -> Path:
    """La carpeta del informe de `params`, como la resuelve el ejecutor. `ErrorDeEntrada` si
    los parámetros tienen errores."""
    from helpers.entrada.parametros import cargar_parametros

    return Path(os.path.realpath(cargar_parametros(params).carpeta_salida))


def estado_de(params: Path) -> Estado | None:
    """El estado de la última corrida de la carpeta de `params` lanzada desde la página
    (None si no hay ninguna o si los parámetros tienen errores). Una corrida cuyo proceso
    murió sin decir cómo terminó queda como interrumpida."""
    from helpers.entrada.errores import ErrorDeEntrada

    try:
        estado = leer(archivo_de_estado(salida_de(params)))
    except ErrorDeEntrada:
        return None
    if estado is not None and estado.estado == CORRIENDO and not estado.viva():
        estado.estado = INTERRUMPIDA
        estado.mensaje = (estado.mensaje
                          or "La corrida terminó sin decir cómo (se cerró su proceso).")
    return estado


def leer(archivo: Path) -> Estado | None:
    try:
        return Estado(**json.loads(archivo.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def escribir(archivo: Path, estado: Estado, *, si_es_suyo: bool = False) -> None:
    """Escribe el estado de una vez: quien lo lee nunca ve un archivo a medias. Con
    `si_es_suyo`, sólo si el archivo no está o es de la misma corrida (su proceso): una
    corrida interrumpida que el servidor todavía cierra no pisa el de la corrida nueva."""
    if si_es_suyo and (actual := leer(archivo)) is not None and (
            actual.pid, actual.nacido) != (estado.pid, estado.nacido):
        return
    temporal = archivo.with_name(f"{archivo.name}.{os.getpid()}.tmp")
    temporal.write_text(json.dumps(asdict(estado), ensure_ascii=False), encoding="utf-8")
    os.replace(temporal, archivo)


def empezar(params: Path) -> Estado:
    """Lanza la corrida de `params` y devuelve su primer estado. `CorridaEnCurso` si ya hay
    una viva para la misma carpeta; `ErrorDeEntrada` si los parámetros tienen errores."""
    params = Path(params).resolve()
    salida = salida_de(params)
    archivo = archivo_de_estado(salida)
    archivo.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(archivo.with_name(f"{archivo.name}.cerrojo")), timeout=_ESPERA_ARRANQUE):
        anterior = leer(archivo)
        if anterior is not None and anterior.en_curso_de_verdad():
            raise CorridaEnCurso(anterior)
        archivo.unlink(missing_ok=True)
        proceso = subprocess.Popen(
            [sys.executable, "-m", "helpers", "corrida-de-pagina", str(params), str(archivo),
             "--salida", str(salida)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, cwd=params.parent, env=_entorno_de_la_orden())
        return _esperar_arranque(archivo, proceso)


def _entorno_de_la_orden() -> dict[str, str]:
    """El entorno de `informe-poa app` (`ENTORNO_DE_LA_ORDEN`); el de este proceso si no está
    o no se lee."""
    with contextlib.suppress(KeyError, ValueError, TypeError):
        entorno = json.loads(os.environ[ENTORNO_DE_LA_ORDEN])
        if isinstance(entorno, dict) and all(isinstance(v, str) for v in entorno.values()):
            return entorno
    return dict(os.environ)


def _esperar_arranque(archivo: Path, proceso: subprocess.Popen) -> Estado:
    limite = time.monotonic() + _ESPERA_ARRANQUE
    while time.monotonic() < limite:
        estado = leer(archivo)
        if estado is not None and estado.pid == proceso.pid:
            return estado
        if proceso.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError("El proceso del informe no arrancó: vuelva a intentarlo; si se repite, "
                       "genere el informe con informe-poa en una terminal para ver el error.")


class AvisosDePagina(Avisos):
    """Los avisos del ejecutor, escritos en el archivo de estado a cada paso."""

    def __init__(self, archivo: Path, estado: Estado):
        self.archivo = archivo
        self.estado = estado

    def _guardar(self) -> None:
        escribir(self.archivo, self.estado, si_es_suyo=True)

    def empieza(self, texto: str) -> None:
        self.estado.en_curso = texto
        self._guardar()

    def etapa(self, texto: str, segundos: float | None = None) -> None:
        self.estado.etapas.append(texto)
        self.estado.en_curso = ""
        self._guardar()

    def secciones(self, total: int) -> None:
        self.estado.total = total
        self.estado.en_curso = "Ejecutando las secciones"
        self._guardar()

    def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                de_la_cache: bool = False) -> None:
        self.estado.secciones.append([posicion, titulo,
                                      None if de_la_cache else round(segundos, 1)])
        self._guardar()

    def listo(self, salida: Path, segundos: float) -> None:
        self.estado.en_curso = ""


def anunciar(params: Path, archivo: Path, pid: int, nacido: float, servidor: bool = False, *,
             si_es_suyo: bool = False, salida: Path | None = None) -> Estado:
    """Escribe el primer estado de la corrida de `params`, la del proceso `pid` nacido en
    `nacido` (`psutil.Process.create_time`; `servidor`: si la corre el servidor residente).
    `salida`: su carpeta de informe, si ya se sabe (si no, se leen los parámetros)."""
    salida = salida_de(params) if salida is None else salida
    estado = Estado(params=str(params), salida=str(salida), pid=pid, nacido=nacido,
                    inicio=datetime.now(UTC).isoformat(timespec="seconds"), servidor=servidor)
    escribir(archivo, estado, si_es_suyo=si_es_suyo)
    return estado


def correr_y_contar(params: Path, archivo: Path, procesos=None, *,
                    dueno: tuple[int, float] | None = None, servidor: bool = False,
                    salida: Path | None = None) -> int:
    """La corrida de la página: el ejecutor con los avisos en el archivo, y al final el
    código, el mensaje de error o el resumen. `procesos`: los del servidor residente o de la
    orden (`helpers.residente.procesos`; si no se dan, propios); `dueno`: (pid, nacido) del
    proceso de la orden que la pidió (por omisión, éste); `servidor`: si corre en el
    servidor residente; `salida`: ver `anunciar`. Devuelve el código de salida."""
    import psutil

    from helpers.consola import resumen
    from helpers.informe import correr
    from helpers.residente.procesos import Procesos

    pid, nacido = dueno or (os.getpid(), psutil.Process().create_time())
    estado = anunciar(params, archivo, pid, nacido, servidor, si_es_suyo=True, salida=salida)
    inicio = time.perf_counter()
    errores = io.StringIO()
    with redirect_stderr(errores), (contextlib.nullcontext(procesos) if procesos is not None
                                    else Procesos()) as procesos:
        # Con la caché del informe: lo que la corrección no tocó no se hace otra vez.
        codigo, salida = correr(params, None, None, AvisosDePagina(archivo, estado),
                                cache=True, procesos=procesos)
    estado.codigo = codigo
    if codigo == 0 and salida is not None:
        estado.estado = LISTA
        estado.resumen = resumen(salida, time.perf_counter() - inicio)
    else:
        estado.estado = INTERRUMPIDA if codigo == 130 else FALLIDA
        estado.mensaje = errores.getvalue().strip()
    estado.en_curso = ""
    escribir(archivo, estado, si_es_suyo=True)
    return codigo
