"""Lo que comparten las partes de scripts/benchmark.py: medir un proceso y sus descendientes
(tiempo de reloj y pico de memoria, con un límite), los parámetros y los libros grandes que
miden (`params_temporal`, `libro_grande`), la máquina y su calibración, el resumen de
varias corridas (la mediana) y las cifras y filas de la tabla en castellano. Las partes y los
documentos que escriben están en benchmark.py; una parte puede vivir en su propio módulo
e importar de aquí sin importar benchmark.py.
"""
from __future__ import annotations

import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[1]
BENCHMARK = Path(__file__).resolve().with_name("benchmark.py")
MB = 1_000_000  # megabytes decimales: 1.500 MB = 1,5 GB
INTERVALO_MUESTREO = 0.05  # segundos entre dos lecturas de la memoria
VUELTAS_CALIBRACION = 20_000_000  # del bucle de calibración: de medio segundo a dos por vez
CACHE_LIBROS = RAIZ / "output" / "benchmark-datos"  # los libros grandes generados


# --- Preparar entradas ----------------------------------------------------------------


def params_temporal(origen: Path, destino: Path, *, datos: Path | None = None,
                    salida: Path, entidad: dict | None = None) -> Path:
    """Copia de los parámetros `origen` con `datos` y `salida` absolutos (y otra entidad, si
    se da), escrita en `destino`."""
    import yaml

    origen = Path(origen) if Path(origen).is_absolute() else RAIZ / origen
    valores = yaml.safe_load(origen.read_text(encoding="utf-8"))
    ruta_datos = Path(datos) if datos else Path(valores["datos"])
    # Las rutas relativas de un archivo de parámetros son relativas a la raíz del proyecto.
    valores["datos"] = str(ruta_datos if ruta_datos.is_absolute() else RAIZ / ruta_datos)
    valores["salida"] = str(salida)
    if entidad:
        valores["entidad"] = entidad
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_text(yaml.safe_dump(valores, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
    return destino


def _huella_del_generador() -> str:
    """Cambia si cambian el generador o la muestra: un libro guardado con otra huella no se
    reutiliza. Del generador de la muestra cuenta la parte que usa generar_grande.py (la
    semilla y la fecha del libro); lo demás llega a través del libro."""
    import hashlib

    suma = hashlib.sha256()
    for ruta in (RAIZ / "scripts" / "generar_grande.py", RAIZ / "scripts" / "muestra" / "comun.py",
                 RAIZ / "data" / "2024" / "poa_2024.xlsx"):
        suma.update(ruta.read_bytes())
    return suma.hexdigest()[:10]


def libro_grande(factor: int, carpeta: Path = CACHE_LIBROS) -> Path:
    """El libro `factor` veces la muestra, escrito una vez por scripts/generar_grande.py y
    reutilizado mientras el generador y la muestra no cambien."""
    huella = _huella_del_generador()
    ruta = carpeta / f"poa_x{factor}-{huella}.xlsx"
    if ruta.exists():
        return ruta
    carpeta.mkdir(parents=True, exist_ok=True)
    for viejo in carpeta.glob(f"poa_x{factor}-*.xlsx"):  # de otra versión del generador
        viejo.unlink()
    parcial = ruta.with_suffix(".parcial.xlsx")
    print(f"  escribiendo el libro {factor}× en {ruta} ...", flush=True)
    subprocess.run([sys.executable, str(RAIZ / "scripts" / "generar_grande.py"),
                    "--factor", str(factor), "--salida", str(parcial)],
                   check=True, cwd=RAIZ, stdout=subprocess.DEVNULL)
    parcial.replace(ruta)
    return ruta


# --- Medir un proceso y sus descendientes ---------------------------------------------


@dataclass
class Corrida:
    """Una medición: segundos de reloj, pico de memoria (MB) del árbol de procesos y lo que
    el proceso escribió en su archivo de resultado."""

    segundos: float | None  # None: no terminó dentro del límite
    pico_mb: float
    codigo: int | None
    resultado: dict
    inicio: float  # time.monotonic() al lanzar el proceso (el mismo reloj que el del hijo)
    muestras: list[tuple[float, float]] = field(default_factory=list)  # (instante, MB)
    error: str = ""

    @property
    def bien(self) -> bool:
        return self.segundos is not None and self.codigo == 0 and not self.error

    def pico_entre(self, desde: float, hasta: float) -> float | None:
        """El pico de memoria (MB) muestreado entre dos instantes (time.monotonic)."""
        dentro = [mb for t, mb in self.muestras if desde <= t <= hasta]
        return max(dentro) if dentro else None


def _arbol(pid: int) -> list:
    import psutil

    try:
        proceso = psutil.Process(pid)
        return [proceso, *proceso.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _rss(procesos) -> int:
    import psutil

    total = 0
    for proceso in procesos:
        try:
            total += proceso.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def _detener(pid: int, espera: float = 10.0) -> None:
    """Detiene el proceso `pid` y sus descendientes (sólo esos, por su número). Primero
    SIGTERM, que el ejecutor toma como Ctrl+C y limpia su carpeta temporal; los kernels
    viven en otra sesión, así que cada uno recibe la suya."""
    import psutil

    procesos = _arbol(pid)
    for proceso in procesos:
        try:
            proceso.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass
    _, vivos = psutil.wait_procs(procesos, timeout=espera)
    for proceso in vivos:
        try:
            proceso.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(vivos, timeout=espera)


def medir_proceso(orden: list[str], limite: float, *, cwd: Path = RAIZ,
                  intervalo: float = INTERVALO_MUESTREO) -> Corrida:
    """Ejecuta `orden` y mide su tiempo de reloj y el pico de la suma del RSS del proceso y
    sus descendientes. El proceso recibe `--resultado RUTA` al final de la orden si la orden
    lo pide con el texto `{resultado}`; lo que escriba allí (JSON) vuelve en `resultado`."""
    with tempfile.TemporaryDirectory(prefix="benchmark-") as temporal:
        ruta_resultado = Path(temporal) / "resultado.json"
        orden = [parte.replace("{resultado}", str(ruta_resultado)) for parte in orden]
        registro = Path(temporal) / "salida.txt"
        muestras: list[tuple[float, float]] = []
        fin = threading.Event()
        with open(registro, "wb") as salida:
            inicio = time.monotonic()
            proceso = subprocess.Popen(orden, cwd=cwd, stdout=salida, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)

            def muestrear() -> None:
                while not fin.is_set():
                    muestras.append((time.monotonic(), _rss(_arbol(proceso.pid)) / MB))
                    fin.wait(intervalo)

            hilo = threading.Thread(target=muestrear, daemon=True)
            hilo.start()
            try:
                codigo = proceso.wait(timeout=limite)
                segundos = time.monotonic() - inicio
            except subprocess.TimeoutExpired:
                _detener(proceso.pid)
                proceso.wait()
                codigo, segundos = None, None
            except BaseException:
                _detener(proceso.pid)
                raise
            finally:
                fin.set()
                hilo.join()
        resultado = {}
        if ruta_resultado.exists():
            resultado = json.loads(ruta_resultado.read_text(encoding="utf-8"))
        pico = max((mb for _, mb in muestras), default=0.0)
        # El pico propio que cuenta el kernel (exacto para un proceso solo).
        pico = max(pico, resultado.get("maxrss_mb", 0.0))
        error = ""
        if segundos is None:
            error = f"no terminó en {formatear(limite, 0)} s"
        elif codigo != 0:
            error = f"falló (código {codigo}): {_ultimas_lineas(registro)}"
        elif resultado.get("error"):
            error = str(resultado["error"])
        return Corrida(segundos, pico, codigo, resultado, inicio, muestras, error)


def _ultimas_lineas(ruta: Path, n: int = 3) -> str:
    lineas = [ln for ln in ruta.read_text(encoding="utf-8", errors="replace").splitlines()
              if ln.strip()]
    return " / ".join(lineas[-n:]) or "sin mensaje"


def orden_interna(parte: str, *argumentos: str) -> list[str]:
    """La orden que corre `parte` de benchmark.py en el proceso medido (`--interno`)."""
    return [sys.executable, str(BENCHMARK), "--interno", parte,
            *argumentos, "--resultado", "{resultado}"]


def maxrss_mb() -> float:
    """El pico de memoria de este proceso que cuenta el sistema (en el proceso medido)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB  # KiB en Linux


# --- La máquina y su calibración --------------------------------------------------------


def maquina() -> dict:
    """La máquina de la medición, leída ahora."""
    import psutil

    modelo = platform.processor() or platform.machine()
    try:
        for linea in Path("/proc/cpuinfo").read_text().splitlines():
            if linea.lower().startswith("model name"):
                modelo = linea.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": modelo,
        "nucleos_logicos": os.cpu_count(),
        "nucleos_fisicos": psutil.cpu_count(logical=False),
        "memoria_gb": psutil.virtual_memory().total / 1e9,
        "sistema": platform.platform(),
        "python": platform.python_version(),
        "carga_media_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


# Un trabajo fijo de Python puro (sumas y restos de enteros), sin memoria ni disco que lo
# demoren; cada proceso dice sus segundos, sin contar su arranque.
_BUCLE_DE_CALIBRACION = (
    "import time\n"
    "comienzo = time.perf_counter()\n"
    "total = 0\n"
    "for i in range({vueltas}):\n"
    "    total += i % 7\n"
    "print(time.perf_counter() - comienzo)\n"
)


def _bucles_a_la_vez(procesos: int, vueltas: int) -> float:
    """Segundos del bucle de calibración en `procesos` procesos a la vez (el más lento)."""
    orden = [sys.executable, "-c", _BUCLE_DE_CALIBRACION.format(vueltas=int(vueltas))]
    hijos = [subprocess.Popen(orden, stdout=subprocess.PIPE, text=True)
             for _ in range(procesos)]
    return max(float(hijo.communicate()[0]) for hijo in hijos)


def calibrar(vueltas: int = VUELTAS_CALIBRACION) -> dict:
    """El bucle de calibración solo y dos a la vez, en dos procesos."""
    return {"un_proceso_s": _bucles_a_la_vez(1, vueltas),
            "dos_procesos_s": _bucles_a_la_vez(2, vueltas)}


def texto_calibracion(calibracion: dict | None) -> str:
    """La calibración de antes y de después de una parte, en una frase (o nada)."""
    if not calibracion:
        return ""

    def par(c: dict) -> str:
        return (f"{formatear(c['un_proceso_s'], 2)} s solo y "
                f"{formatear(c['dos_procesos_s'], 2)} s dos a la vez")

    return (f" Calibración (un bucle fijo de Python): al empezar, {par(calibracion['antes'])}; "
            f"al terminar, {par(calibracion['despues'])}.")


# --- Varias corridas ----------------------------------------------------------------------


def encabezado_de_parte(veces: int) -> dict:
    """Lo que dice cada parte antes de sus cifras: cuándo, cuántas corridas, qué máquina."""
    return {"fecha": datetime.now().astimezone().isoformat(timespec="seconds"),
            "veces": veces, "maquina": maquina()}


def _mediana(valores) -> float | None:
    valores = [v for v in valores if v is not None]
    return statistics.median(valores) if valores else None


def aviso(texto: str) -> None:
    """Un renglón del progreso, en la pantalla de quien mide."""
    print(texto, flush=True)


def resumir_corridas(corridas: list[Corrida], por_corrida) -> dict:
    """Las cifras de cada corrida (`por_corrida(c) -> {clave: {segundos, pico_mb}}`) y su
    mediana; si una corrida falló, el error (las cifras de una corrida fallida no cuentan)."""
    errores = [c.error or "falló" for c in corridas if not c.bien]
    cifras = [por_corrida(c) for c in corridas if c.bien]
    claves = list(dict.fromkeys(k for cifra in cifras for k in cifra))
    mediana = {k: {"segundos": _mediana(c.get(k, {}).get("segundos") for c in cifras),
                   "pico_mb": _mediana(c.get(k, {}).get("pico_mb") for c in cifras)}
               for k in claves}
    tamano = next((c.resultado["tamano"] for c in corridas if c.resultado.get("tamano")), None)
    return {"corridas": cifras, "mediana": mediana, "tamano": tamano,
            "error": errores[0] if errores else None}


def texto_corrida(corrida: Corrida) -> str:
    """Una corrida en el progreso: sus segundos y su memoria, o por qué falló."""
    if not corrida.bien:
        return corrida.error
    return f"{formatear(corrida.segundos)} s, {formatear(corrida.pico_mb, 0)} MB"


# --- Las cifras y las filas de la tabla -------------------------------------------------


def formatear(valor: float | None, decimales: int = 1) -> str:
    """Número con coma decimal y punto de miles: 1234.5 -> '1.234,5'."""
    if valor is None:
        return "—"
    texto = f"{valor:,.{decimales}f}"
    return texto.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fila(parte: str, que: str, tamano: str, segundos=None, memoria_mb=None, objetivo="—",
         cumple: bool | None = None, tiempo: str | None = None) -> dict:
    """Una fila de la tabla: `tiempo`, si se da, en vez de los segundos (una razón, un
    error); `cumple` None si la fila no tiene objetivo."""
    return {"parte": parte, "que": que, "tamano": tamano, "segundos": segundos,
            "memoria_mb": memoria_mb,
            "tiempo": tiempo if tiempo is not None else
            (f"{formatear(segundos)} s" if segundos is not None else "—"),
            "memoria": f"{formatear(memoria_mb, 0)} MB" if memoria_mb is not None else "—",
            "objetivo": objetivo, "cumple": cumple}


def texto_tamano(factor: int | str, tamano: dict | None) -> str:
    """El tamaño de un libro en la tabla: el factor y, si se conocen, sus filas de
    operaciones, unidades y presupuesto."""
    if not tamano:
        return f"{factor}×"
    return (f"{factor}× ({formatear(tamano['operaciones'], 0)} operaciones, "
            f"{formatear(tamano['unidades'], 0)} unidades, "
            f"{formatear(tamano['presupuesto'], 0)} líneas de presupuesto)")
