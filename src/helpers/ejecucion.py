"""Ejecutar un cuaderno con papermill en un kernel de Jupyter: lo que hacen igual el ejecutor
de los informes (`helpers.informe`, las secciones) y el del lote (`helpers.lote`, el
consolidado); y de dónde salen los kernels de una corrida (`Procesos`)."""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import subprocess
import time
from pathlib import Path

__all__ = [
    "CanalesPrivados", "FalloDeSeccion", "KernelCaido", "Procesos", "abrir_kernel",
    "clase_de_kernel", "cliente_listo", "ejecutar_en", "importados", "kernel_abierto", "mudar",
    "precargar", "sin_depurador", "tomar_leidas", "trabajos_por_omision",
]


class FalloDeSeccion(Exception):
    """Un cuaderno (una sección del informe, el consolidado de un lote) falló al ejecutarse."""


class KernelCaido(FalloDeSeccion):
    """El kernel de un cuaderno terminó, o no respondió, antes de quedar listo."""


class Procesos:
    """De dónde salen los kernels de una corrida y en qué procesos se hace lo que no espera
    a nadie. Así, sin más: cada kernel se arranca al pedirlo (el de la memoria de cálculo,
    antes: `anticipar`) y no hay procesos de ayuda (`cediendo` y `compositor` son None: todo
    corre en este proceso). La orden `informe-poa` da otros, con procesos de ayuda y kernels
    que ya arrancaron (`helpers.residente.procesos`): los pasos de `helpers.informe.generar`
    no ven la diferencia."""

    cediendo = None  # ejecutor de prioridad baja: las tablas, el anexo, la página de auditoría
    compositor = None  # ejecutor de un proceso que compone el PDF a la par de este
    tomados = 0  # kernels que ya estaban arrancados antes de la corrida

    def __init__(self) -> None:
        self._anticipados: list = []

    def anticipar(self, modulos: list[str], entorno: dict[str, str]) -> None:
        """Arranca ya el kernel que se pedirá primero (el de la memoria de cálculo) e importa
        en él `modulos`, mientras este proceso lee y comprueba el libro con un núcleo."""
        km = abrir_kernel(None, entorno)
        precargar(km, modulos, esperar=False)
        self._anticipados.append(km)

    def kernel(self, carpeta: Path, entorno: dict[str, str]):
        """Un kernel con `carpeta` como carpeta de trabajo y las variables `entorno`."""
        if self._anticipados:
            km = self._anticipados.pop(0)
            try:
                mudar(km, carpeta, entorno)
                return km
            except KernelCaido:  # murió mientras esperaba: uno nuevo en su lugar
                with contextlib.suppress(Exception):
                    km.shutdown_kernel(now=True)
        return abrir_kernel(carpeta, entorno)

    def arrancar_ayudantes(self) -> None:
        """Los procesos de ayuda arrancan ya (importan lo suyo mientras los kernels calculan)."""

    def anotar_precarga(self, modulos: list[str]) -> None:
        """Módulos que importan los cuadernos de esta corrida."""

    def cerrar_kernel(self, km) -> None:
        """Cierra un kernel que la corrida ya no usa."""
        km.shutdown_kernel(now=True)

    def terminar_corrida(self) -> None:
        """Cierra los kernels anticipados que nadie pidió (una corrida que falló antes)."""
        for km in self._anticipados:
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
        self._anticipados.clear()


def trabajos_por_omision() -> int:
    """Los kernels de una corrida: uno por núcleo, hasta 4."""
    from helpers.comun.nucleos import nucleos

    return max(1, min(4, nucleos()))


def abrir_kernel(carpeta: Path | None = None, entorno: dict[str, str] | None = None):
    """Un kernel de Python con `carpeta` como carpeta de trabajo (sin ella, la de este
    proceso; otra después, con `mudar`); su salida estándar y de errores no llegan a la
    terminal (lo que cuenta una celda queda en el cuaderno). Todos los cuadernos que se
    ejecutan en él usan un mismo cliente (`clase_de_kernel`). Arranca en otro proceso:
    esta función vuelve enseguida, y quien lo use primero espera a que esté listo.
    `entorno`: variables que se agregan a las de este proceso en el del kernel."""
    logging.getLogger("papermill").setLevel(logging.WARNING)
    km = clase_de_kernel()(kernel_name="python3")
    km.start_kernel(cwd=None if carpeta is None else str(carpeta),
                    env={**os.environ, **(entorno or {})},
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return km


def canales_privados() -> dict[str, str]:
    """Por dónde habla un kernel de una corrida con su cliente: en Linux y macOS, por
    enchufes de Unix en una carpeta nueva que sólo este usuario abre. Por TCP (lo de
    jupyter_client sin más), cualquier usuario de la máquina se conecta a los puertos del
    kernel y lee lo que publica (las salidas de cada celda: la firma de los mensajes no las
    oculta), y el puerto que jupyter_client elige libre puede tomarlo otro proceso antes de
    que el kernel arranque («Kernel died before replying to kernel_info»). La carpeta se
    borra al cerrar el kernel (`CanalesPrivados`)."""
    import tempfile

    if os.name != "posix":
        return {}
    # Un nombre corto: la ruta de un enchufe de Unix no pasa de 107 bytes.
    return {"transport": "ipc",
            "ip": os.path.join(tempfile.mkdtemp(prefix="informe-poa-kernel-"), "k")}


class CanalesPrivados:
    """Para un KernelManager de jupyter_client (va antes que él en las bases): su kernel habla
    por `canales_privados`, y la carpeta de sus enchufes se borra al cerrarlo o si no llega
    a arrancar (con su archivo de conexión). La usan los kernels de una corrida
    (`clase_de_kernel`) y los de nbval (`helpers.kernels_de_nbval`)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**{**canales_privados(), **kwargs})

    def start_kernel(self, **kwargs) -> None:
        try:
            super().start_kernel(**kwargs)
        except BaseException:
            # Sin kernel: ni su archivo de conexión ni su carpeta de enchufes quedan.
            with contextlib.suppress(Exception):
                self.cleanup_resources()
            self.borrar_canales()
            raise

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        try:
            super().shutdown_kernel(now=now, restart=restart)
        finally:
            if not restart:
                self.borrar_canales()

    def borrar_canales(self) -> None:
        """Borra la carpeta de los enchufes (`canales_privados`), si los hay."""
        import shutil

        if self.transport == "ipc":
            shutil.rmtree(os.path.dirname(self.ip), ignore_errors=True)


def mudar(km, carpeta: Path, entorno: dict[str, str] | None = None) -> None:
    """Pasa el kernel `km` (uno que arrancó antes de que existiera su carpeta) a la carpeta de
    trabajo `carpeta` y le agrega las variables `entorno`, sin dejar nombres en su espacio
    de nombres."""
    codigo = (f"__import__('os').chdir({str(carpeta)!r})\n"
              f"__import__('os').environ.update({dict(entorno or {})!r})")
    respuesta = cliente_listo(km).execute_interactive(codigo, timeout=60,
                                                      output_hook=lambda _: None)
    if respuesta["content"]["status"] != "ok":
        raise RuntimeError(f"El kernel no pudo pasar a la carpeta {carpeta}.")


@contextlib.contextmanager
def kernel_abierto(carpeta: Path | None = None, entorno: dict[str, str] | None = None):
    """`abrir_kernel`, y al salir (también por un error) el kernel se cierra si sigue vivo:
    quien lo recibe puede cerrarlo antes."""
    km = abrir_kernel(carpeta, entorno)
    try:
        yield km
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)


def preparar_ejecucion() -> None:
    """Importa lo que usa `ejecutar_en` (papermill tarda unas décimas en cargarse): quien
    espera a que un kernel arranque lo paga mientras tanto, no al ejecutar su primer
    cuaderno."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401


def ejecutar_en(km, fuente: Path, destino: Path, parametros: dict) -> float:
    """Ejecuta el cuaderno `fuente` con papermill en el kernel `km`, ya abierto, y lo guarda
    en `destino`; devuelve los segundos. `parametros`: los que papermill inyecta (rutas
    relativas a la carpeta del cuaderno ejecutado: nada de rutas absolutas de esta máquina en
    el cuaderno). Una celda que falla se vuelve `FalloDeSeccion` con su error."""
    import nbformat
    import papermill as pm

    inicio = time.perf_counter()
    # Cada cuaderno empieza con el espacio de nombres vacío, como en un kernel nuevo; los
    # módulos ya importados se conservan, que es lo que hace rápido reutilizar el kernel.
    cliente_listo(km).execute_interactive(_VACIAR, timeout=60, output_hook=lambda _: None)
    try:
        # Sin ruta de salida papermill no escribe el cuaderno después de cada celda (dos
        # veces: al empezarla y al terminarla): se escribe una vez, aquí, al final.
        libro = pm.execute_notebook(str(fuente), None, parameters=parametros,
                                    kernel_name="python3", progress_bar=False, km=km,
                                    request_save_on_cell_execute=False)
    except pm.PapermillExecutionError as error:
        raise FalloDeSeccion(f"{error.ename}: {error.evalue}") from None
    # papermill anota la ruta absoluta de entrada (y la de salida, que aquí no tiene): quedan
    # sólo los nombres, nada de rutas de esta máquina.
    anotacion = libro.metadata.setdefault("papermill", {})
    anotacion["input_path"], anotacion["output_path"] = fuente.name, destino.name
    nbformat.write(libro, str(destino))
    return time.perf_counter() - inicio


# Lo que se ejecuta en el kernel antes de cada cuaderno: vacía el espacio de nombres y
# congela lo que queda vivo (los módulos importados y sus cachés). `%reset` recoge la basura
# dos veces, recorriendo cada objeto del kernel (con pandas y matplotlib cargados, cientos de
# miles: más de 0,1 s por sección), y el recolector automático los vuelve a recorrer mientras
# la sección trabaja; congelados, sólo se recorre lo que creó la sección anterior.
_VACIAR = "%reset -f\n__import__('gc').freeze()"


def importados(cuadernos: list[Path]) -> list[str]:
    """Los módulos que importan las celdas de código de `cuadernos`, en el orden en que
    aparecen y sin repetir: ``import a.b`` da ``a.b``; ``from a.b import c``, ``a.b`` y
    ``a.b.c``, por si ``c`` es un módulo (``from helpers.redaccion import graficos`` carga
    ``helpers.redaccion.graficos``, y con él seaborn y matplotlib; si ``c`` no es un módulo,
    `precargar` se lo salta). Una celda que no es Python (una orden mágica) no cuenta."""
    import ast
    import json

    modulos: dict[str, None] = {}
    for cuaderno in cuadernos:
        # El JSON tal cual, sin validarlo como cuaderno (eso lo hace papermill al ejecutarlo):
        # sólo se leen las fuentes de las celdas de código.
        for celda in json.loads(Path(cuaderno).read_text(encoding="utf-8"))["cells"]:
            if celda.get("cell_type") != "code":
                continue
            fuente = celda.get("source", "")
            try:
                arbol = ast.parse(fuente if isinstance(fuente, str) else "".join(fuente))
            except SyntaxError:
                continue
            for nodo in ast.walk(arbol):
                if isinstance(nodo, ast.Import):
                    modulos.update(dict.fromkeys(alias.name for alias in nodo.names))
                elif isinstance(nodo, ast.ImportFrom) and nodo.module and not nodo.level:
                    modulos[nodo.module] = None
                    modulos.update(dict.fromkeys(
                        f"{nodo.module}.{alias.name}" for alias in nodo.names
                        if alias.name != "*"
                    ))
    return list(modulos)


def precargar(km, modulos: list[str], *, esperar: bool = True) -> None:
    """Importa `modulos` en el kernel `km` sin ejecutar cuaderno alguno: lo que cuesta cargar
    pandas, matplotlib y los módulos de redacción se paga mientras el kernel espera (a la
    memoria de cálculo), no al ejecutar su primera sección. Los espacios de nombres no
    cambian (`ejecutar_en` los vacía igual) y un módulo que no se puede importar se salta:
    el cuaderno que lo pide dará el error en su celda.

    `esperar=False`: sólo se encarga, y esta función vuelve enseguida, aunque el kernel no
    haya terminado de arrancar. El kernel importa mientras este proceso hace otra cosa (lee
    y valida el libro), y lo que se le pida después espera su turno detrás; las respuestas
    a este encargo no confunden a nadie (ver `clase_de_kernel`)."""
    codigo = (
        "def _precargar(modulos):\n"
        "    import importlib\n"
        "    for modulo in modulos:\n"
        "        try:\n"
        "            importlib.import_module(modulo)\n"
        "        except Exception:\n"
        "            pass\n"
        f"_precargar({modulos!r})\n"
        "del _precargar\n"
        # Lo importado vive hasta el final: que las recolecciones de cada cuaderno (las de
        # `%reset` antes de cada uno, ver `_VACIAR`) no lo recorran.
        "__import__('gc').collect()\n"
        "__import__('gc').freeze()\n"
    )
    if not esperar:
        canales_abiertos(km).execute(codigo, silent=True, store_history=False)
        return
    cliente_listo(km).execute_interactive(codigo, timeout=120, output_hook=lambda _: None)


def tomar_leidas(km) -> list[str]:
    """Lo que leyeron del informe los cuadernos ejecutados en `km` desde la llamada anterior
    (`helpers.preparacion.tomar_leidas`: hojas del libro y tablas calculadas, como rutas
    relativas a la carpeta del informe); la caché de las secciones lo guarda como lo que
    una sección necesita para no ejecutarse otra vez."""
    import ast

    expresion = "__import__('helpers.preparacion', fromlist=['_']).tomar_leidas()"
    respuesta = cliente_listo(km).execute_interactive(
        "", user_expressions={"leidas": expresion}, timeout=60, output_hook=lambda _: None
    )
    valor = respuesta["content"].get("user_expressions", {}).get("leidas", {})
    if valor.get("status") != "ok":
        raise RuntimeError("El kernel no dijo qué leyó la sección.")
    return list(ast.literal_eval(valor["data"]["text/plain"]))


_ESPERA_KERNEL = 60  # s que se espera a que un kernel nuevo responda


def canales_abiertos(km):
    """El cliente del kernel `km`, con sus canales abiertos (el kernel puede no estar listo
    todavía: lo que se le pida espera su turno)."""
    cliente = km.client()
    with cliente.cerrojos[0]:  # dos hilos no abren los canales a la vez
        cliente.start_channels()
    return cliente


def cliente_listo(km):
    """El cliente del kernel `km`, con sus canales abiertos y el kernel listo (esperarlo en
    otro hilo adelanta esa espera)."""
    cliente = canales_abiertos(km)
    with cliente.cerrojos[1]:  # ni esperan a la vez
        try:
            cliente.wait_for_ready(timeout=_ESPERA_KERNEL)
        except RuntimeError:  # jupyter_client: murió antes de responder, o no respondió
            raise KernelCaido(
                "su kernel de Python terminó o no respondió al arrancar (en "
                f"{_ESPERA_KERNEL} s); suele ser falta de memoria o una máquina muy ocupada: "
                "vuelva a generar el informe") from None
    return cliente


def sin_depurador(orden: list[str]) -> list[str]:
    """La orden de arranque de un kernel (`orden`) con el programa de ipykernel
    (``-m ipykernel_launcher``) cambiado por el mismo sin su depurador
    (`helpers.ipykernel_sin_depurador`: 7 MB menos por kernel); la de otro kernel, tal cual."""
    return ["helpers.ipykernel_sin_depurador" if parte == "ipykernel_launcher" else parte
            for parte in orden]


@functools.cache
def clase_de_kernel():
    """La clase del kernel de `abrir_kernel`: su ``client()`` da siempre el mismo cliente,
    que abre sus canales y espera al kernel una sola vez. El kernel arranca sin el
    depurador de ipykernel (`sin_depurador`).

    Un cliente nuevo de jupyter_client, al quedar listo, espera 0,2 s a que el canal de
    salidas calle (``wait_for_ready``); papermill prepara uno por cuaderno y `ejecutar_en` otro
    para ``%reset``: 0,4 s de espera por sección, sin hacer nada. Los mensajes que el
    cliente reutilizado pudiera tener pendientes no confunden a nadie: papermill y
    ``execute_interactive`` sólo leen las respuestas a lo que ellos pidieron. Los canales se
    cierran con el kernel (``shutdown_kernel``). No abre el canal del latido (ver
    ``start_channels``). Se define al pedirla (y una vez): importar
    jupyter_client no hace falta para validar un libro."""
    import threading

    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.manager import KernelManager

    class ClienteUnico(BlockingKernelClient):
        listo = False
        cerrado = False

        def stop_channels(self) -> None:
            self.cerrado = True  # canales cerrados no vuelven a abrirse: el kernel dará otro
            super().stop_channels()

        def start_channels(self, *args, **kwargs) -> None:
            # Sin latido: si se detiene antes de que su hilo arranque (una corrida que falla
            # al validar el libro cierra el kernel un instante después de encargarle la
            # precarga), jupyter_client lo deja abriendo sockets sin fin hasta «ZMQError: Too
            # many open files». Un cliente hecho por su KernelManager no lo necesita: si el
            # kernel vive lo dice su proceso (``is_alive`` le pregunta al KernelManager).
            if not self.channels_running:
                super().start_channels(*args, **{**kwargs, "hb": False})

        def wait_for_ready(self, timeout=None) -> None:
            if not self.listo:
                BlockingKernelClient.wait_for_ready(self, timeout=timeout)
                self.listo = True

    creando = threading.Lock()  # dos hilos que piden el cliente a la vez reciben el mismo

    class KernelDeUnCliente(CanalesPrivados, KernelManager):
        cliente = None

        def client(self, **kwargs):
            with creando:
                if self.cliente is None or self.cliente.cerrado:
                    self.client_factory = ClienteUnico
                    cliente = super().client(**kwargs)
                    cliente.cerrojos = (threading.Lock(), threading.Lock())
                    self.cliente = cliente
                return self.cliente

        def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
            return sin_depurador(super().format_kernel_cmd(extra_arguments))

        def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            if self.cliente is not None and not self.cliente.cerrado:
                self.cliente.stop_channels()
            super().shutdown_kernel(now=now, restart=restart)

    return KernelDeUnCliente
