"""La parte `cache` de scripts/benchmark.py: lo que tarda el informe con la caché que guarda
junto a su carpeta (docs/cache-diseno.md) cuando una unidad corrige una celda, y cuando nada
cambió, al lado de la corrida completa sin caché, en el libro de la muestra y en el 10×.

Para cada libro, en una carpeta temporal: una copia del libro (guardada una vez con openpyxl
antes de medir, para que cada corrección cambie sólo su celda) y una copia de los
parámetros que apunta a ella, con la salida en la misma carpeta. Cada corrida es la orden
`informe-poa` en un proceso aparte, medida desde afuera (`medir_proceso`), en este orden:

1. la corrida completa con `--sin-cache` (la de referencia);
2. la primera corrida con la caché, que la llena;
3. CELDAS corridas con la caché, cada una después de cambiar UNA celda del libro: lo
   ejecutado de un mes del trimestre del informe en una operación distinta, repartidas a lo
   largo de la hoja (`celdas_a_cambiar`); el cambio, sumar 1, se hace fuera de lo medido.
   Las corre el servidor residente que dejó la primera (`helpers.residente`); antes de
   medir cada una se espera, sin contarlo, a que esté libre (unos segundos), como cuando la
   corrección de una unidad llega un rato después. Mientras espera se mide lo que ocupa: la
   suma del PSS de sus procesos (`/proc/*/smaps_rollup`), y otra vez después de un informe
   en otra carpeta (lo mismo, sea cual sea el número de carpetas);
3b. las mismas CELDAS, cada una pedida como la pide la página al pulsar «Generar» (la orden
   oculta `corrida-de-pagina`, cliente del mismo servidor): su archivo de estado dice si la
   corrió el servidor;
4. una corrida más sin cambiar nada: el informe está al día y no se toca (se comprueba que
   la carpeta del informe siga igual);
5. las mismas CELDAS corridas otra vez, sin el servidor (``INFORME_POA_SERVIDOR=0``): lo
   que ahorra la caché sola, con cada corrida arrancando sus procesos;
6. otra corrida completa con `--sin-cache`, en otra carpeta, del libro con la última
   corrección: sus tablas/*.csv deben ser, byte a byte, las del informe hecho con la caché.

El servidor de las corridas tiene su enchufe en una carpeta privada propia del benchmark
(`XDG_RUNTIME_DIR`), y se cierra al terminar: no se mezcla con el del usuario. La parte
cuenta además las líneas de `src/helpers/residente/` (el servidor, el cliente y los procesos
de ayuda).
"""
from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmark_medicion import (
    Corrida,
    aviso,
    encabezado_de_parte,
    fila,
    formatear,
    libro_grande,
    medir_proceso,
    params_temporal,
    texto_corrida,
    texto_tamano,
)

OBJETIVO_UNA_CELDA = 1 / 3  # otra corrida después de una celda: un tercio de la completa
OBJETIVO_SIN_CAMBIOS_S = 2.0  # otra corrida sin cambios (el informe al día)
CELDAS = 5  # celdas distintas cambiadas, una por corrida; la tabla da la mediana
ESPERA_SERVIDOR_S = 120  # lo más que se espera a que el servidor residente esté libre
OBJETIVO_EN_ESPERA_MB = 500  # lo que ocupa el servidor mientras espera (PSS sumado)
OBJETIVO_LINEAS_RESIDENTE = 680  # líneas del servidor, el cliente y los procesos de ayuda
FACTORES = (1, 10)  # la muestra y el libro 10 veces la muestra
HOJA = "operaciones"
TITULO = ("La caché del informe: otra corrida después de cambiar una celda, y sin cambios, "
          "en libros 1× y 10× la muestra")
COMO = (f"cada corrida una vez, salvo la de una celda cambiada: {CELDAS} celdas distintas, "
        "una por corrida, mediana")


# --- Las celdas que se cambian -----------------------------------------------------------


@dataclass(frozen=True)
class Celda:
    """Una celda de lo ejecutado en la hoja de operaciones: su fila (como en la hoja de
    cálculo), su columna y la operación de esa fila."""

    fila: int
    columna: str
    codigo_operacion: str


def repartidas(n_candidatas: int, n: int = CELDAS) -> list[int]:
    """`n` posiciones distintas entre 0 y `n_candidatas - 1`, a distancias iguales desde la
    primera hasta la última (todas, si no hay más que `n`)."""
    if n_candidatas <= n:
        return list(range(n_candidatas))
    return [round(i * (n_candidatas - 1) / (n - 1)) for i in range(n)]


def _es_cifra(valor) -> bool:
    return isinstance(valor, int | float) and not isinstance(valor, bool)


def celdas_a_cambiar(libro: Path, meses: list[int], n: int = CELDAS) -> list[Celda]:
    """`n` celdas de lo ejecutado (`ejec_MM` de un mes de `meses`), en operaciones distintas
    repartidas a lo largo de la hoja: de las filas con una cifra en cada uno de esos meses,
    las de `repartidas`; los meses, por turno."""
    import openpyxl

    from helpers.entrada.lectura import hoja_del_libro

    hoja = hoja_del_libro(openpyxl.load_workbook(libro, read_only=True), HOJA)
    filas = hoja.iter_rows(values_only=True)
    encabezado = [str(c).strip().casefold() if c is not None else "" for c in next(filas)]
    posicion = {nombre: i for i, nombre in enumerate(encabezado)}
    columnas = [f"ejec_{mes:02d}" for mes in meses]
    candidatas = [(numero, fila[posicion["codigo_operacion"]])
                  for numero, fila in enumerate(filas, start=2)
                  if fila and all(_es_cifra(fila[posicion[c]]) for c in columnas)]
    return [Celda(candidatas[i][0], columnas[k % len(columnas)], str(candidatas[i][1]))
            for k, i in enumerate(repartidas(len(candidatas), n))]


def cambiar_celda(libro: Path, celda: Celda) -> tuple[float, float]:
    """Suma 1 a la celda (lo ejecutado sigue siendo una cifra no negativa) y guarda el
    libro; devuelve el valor de antes y el de después."""
    import openpyxl

    from helpers.entrada.lectura import hoja_del_libro

    documento = openpyxl.load_workbook(libro)
    hoja = hoja_del_libro(documento, HOJA)
    columna = next(c.column for c in hoja[1]
                   if str(c.value or "").strip().casefold() == celda.columna)
    objetivo = hoja.cell(celda.fila, columna)
    antes = objetivo.value
    objetivo.value = antes + 1
    documento.save(libro)
    return antes, objetivo.value


def copia_del_libro(origen: Path, destino: Path) -> Path:
    """El libro `origen` guardado por openpyxl en `destino`: las correcciones, que también
    guarda openpyxl, cambian entonces sólo su celda."""
    import openpyxl

    openpyxl.load_workbook(origen).save(destino)
    return destino


# --- Las corridas ------------------------------------------------------------------------


def _estado_de_carpeta(carpeta: Path) -> tuple:
    """Lo que cambia si una corrida toca la carpeta del informe: la carpeta misma (el
    ejecutor la reemplaza entera) y el tamaño y la hora de cada archivo."""
    archivos = {p.relative_to(carpeta).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
                for p in sorted(carpeta.rglob("*")) if p.is_file()}
    return carpeta.stat().st_ino, archivos


def tablas_distintas(una: Path, otra: Path) -> list[str]:
    """Los CSV de tablas/ que difieren byte a byte entre dos informes (o están en uno solo)."""
    def csv(carpeta: Path) -> dict[str, bytes]:
        tablas = carpeta / "tablas"
        return {p.relative_to(tablas).as_posix(): p.read_bytes()
                for p in sorted(tablas.rglob("*.csv"))}

    a, b = csv(una), csv(otra)
    return sorted(nombre for nombre in a.keys() | b.keys() if a.get(nombre) != b.get(nombre))


class _Corridas:
    """Las corridas de un libro: cada una, `informe-poa` en un proceso aparte; la primera
    que falla detiene las demás (`FalloDeCorrida`)."""

    def __init__(self, tipo: str, limite: float, nombre: str):
        self.tipo, self.limite, self.nombre = tipo, limite, nombre

    def __call__(self, params: Path, que: str, *opciones: str) -> dict:
        return self._medir([self.tipo, str(params), *opciones], que)

    def desde_la_pagina(self, params: Path, que: str, estado: Path) -> dict:
        """La orden que lanza la página al pulsar «Generar» (`pagina.corrida.empezar`), con
        lo que dice su archivo de estado: si la corrió el servidor residente."""
        from helpers.pagina.corrida import LISTA, leer, salida_de

        cifra = self._medir(["corrida-de-pagina", str(params), str(estado), "--salida",
                             str(salida_de(params))], que)
        visto = leer(estado)
        if visto is None or visto.estado != LISTA:
            raise FalloDeCorrida(f"{que}: {visto.mensaje if visto else 'sin estado'}")
        return {**cifra, "servidor": visto.servidor}

    def _medir(self, argumentos: list[str], que: str) -> dict:
        orden = [sys.executable, "-m", "helpers", *argumentos]
        corrida: Corrida = medir_proceso(orden, self.limite)
        aviso(f"  {self.nombre}, {que}: {texto_corrida(corrida)}")
        if not corrida.bien:
            raise FalloDeCorrida(f"{que}: {corrida.error}")
        return {"segundos": corrida.segundos, "pico_mb": corrida.pico_mb}


class FalloDeCorrida(Exception):
    """Una corrida que falló o no terminó: lo medido hasta ahí queda, con este error."""


def _medir_libro(params: Path, libro: Path, factor: int, args, datos: dict) -> None:
    """Las corridas de un libro (ver el docstring del módulo), anotadas en `datos` a
    medida que terminan."""
    from benchmark_interno import tamano_de_carpeta

    from helpers.comun.calendario import meses_del_trimestre
    from helpers.entrada.parametros import cargar_parametros
    from helpers.residente.cliente import esperar_servidor

    parametros = cargar_parametros(params)
    correr = _Corridas(parametros.informe, args.limite, f"caché {factor}×")
    with tempfile.TemporaryDirectory(prefix=f"benchmark-cache-{factor}x-") as temporal, \
            _servidor_propio():
        carpeta = Path(temporal)
        aviso(f"  copiando el libro {factor}× (no cuenta) ...")
        copia = copia_del_libro(libro, carpeta / "poa.xlsx")
        informe = carpeta / "informe"
        medido = params_temporal(params, carpeta / "params.yaml", datos=copia, salida=informe)
        datos["completa"] = correr(medido, "corrida completa sin caché", "--sin-cache")
        datos["tamano"] = tamano_de_carpeta(informe)
        datos["primera"] = correr(medido, "primera corrida con caché")
        celdas = celdas_a_cambiar(copia, meses_del_trimestre(parametros.trimestre))
        datos["una_celda"] = _corregir(correr, medido, copia, informe, celdas, servidor=True)
        datos["una_celda_pagina"] = _corregir(correr, medido, copia, informe, celdas,
                                              servidor=True, pagina=carpeta / "estado.json")
        otra = params_temporal(params, carpeta / "otra.yaml", datos=copia,
                               salida=carpeta / "otra-carpeta")
        esperar_servidor(ESPERA_SERVIDOR_S)
        correr(otra, "el mismo libro, en otra carpeta de salida")
        datos["en_espera_dos_carpetas"] = (memoria_del_servidor()
                                           if esperar_servidor(ESPERA_SERVIDOR_S) else None)
        estado = _estado_de_carpeta(informe)
        datos["sin_cambios"] = {**correr(medido, "sin cambios"),
                                "al_dia": _estado_de_carpeta(informe) == estado}
        datos["una_celda_sin_reserva"] = _corregir(correr, medido, copia, informe, celdas,
                                                   servidor=False)
        testigo = params_temporal(params, carpeta / "testigo.yaml", datos=copia,
                                  salida=carpeta / "testigo")
        datos["testigo"] = correr(testigo, "corrida completa sin caché del libro con la "
                                           "última celda cambiada", "--sin-cache")
        datos["tablas_distintas"] = tablas_distintas(informe, carpeta / "testigo")


@contextlib.contextmanager
def _servidor_propio():
    """Las corridas de adentro usan un servidor residente con su enchufe en una carpeta
    privada propia; al salir, se lo cierra (SIGTERM: cierra lo suyo)."""
    import shutil
    import signal

    from helpers.residente.cliente import VARIABLE

    anteriores = {clave: os.environ.get(clave) for clave in ("XDG_RUNTIME_DIR", VARIABLE)}
    privada = tempfile.mkdtemp(prefix="srv-")
    os.environ.update({"XDG_RUNTIME_DIR": privada, VARIABLE: "1"})
    try:
        yield
    finally:
        for pid in _servidores():
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        for clave, valor in anteriores.items():
            if valor is None:
                os.environ.pop(clave, None)
            else:
                os.environ[clave] = valor
        shutil.rmtree(privada, ignore_errors=True)


def _servidores() -> list[int]:
    """Los servidores residentes vivos con el enchufe de este benchmark."""
    import psutil

    propios = []
    for proceso in psutil.process_iter(["cmdline"]):
        if "servidor-residente" in " ".join(proceso.info["cmdline"] or []):
            with contextlib.suppress(psutil.Error):
                if proceso.environ().get("XDG_RUNTIME_DIR") == os.environ["XDG_RUNTIME_DIR"]:
                    propios.append(proceso.pid)
    return propios


def _pss_mb(pid: int) -> float:
    """El PSS de un proceso (su parte proporcional de cada página), de smaps_rollup."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup") as rollup:
        for linea in rollup:
            if linea.startswith("Pss:"):
                return int(linea.split()[1]) / 1024
    return 0.0


def memoria_del_servidor() -> float:
    """Los MB (PSS sumado) que ocupan el servidor residente de este benchmark y sus procesos
    (los kernels que esperan, el servidor de bifurcación, el compositor). Lo que mide
    `medir_proceso` de una orden que corre el servidor es sólo la orden."""
    import psutil

    total = 0.0
    for pid in _servidores():
        with contextlib.suppress(psutil.Error):
            procesos = [pid, *(p.pid for p in psutil.Process(pid).children(recursive=True))]
            total += sum(_pss_mb(p) for p in procesos)
    return total


def _corregir(correr: _Corridas, medido: Path, copia: Path, informe: Path,
              celdas: list[Celda], *, servidor: bool, pagina: Path | None = None) -> list[dict]:
    """Una corrida después de cambiar cada celda de `celdas`. `servidor`: con el servidor
    residente (`helpers.residente`); antes de cada corrida se espera, sin contarlo, a que
    esté libre, como cuando la corrección llega un rato después. Sin él
    (``INFORME_POA_SERVIDOR=0``), cada corrida arranca sus procesos. Con `pagina` (el
    archivo de estado), cada corrida es la que pide la página (`_Corridas.desde_la_pagina`)."""
    from helpers.residente.cliente import VARIABLE, esperar_servidor

    corridas = []
    anterior = os.environ.get(VARIABLE)
    if not servidor:
        os.environ[VARIABLE] = "0"
    try:
        for k, celda in enumerate(celdas, start=1):
            antes, despues = cambiar_celda(copia, celda)
            listo = servidor and esperar_servidor(ESPERA_SERVIDOR_S)
            en_espera = memoria_del_servidor() if listo else None
            que = (f"después de cambiar la celda {k}/{len(celdas)} ({celda.columna}, fila "
                   f"{celda.fila}){'' if servidor else ', sin el servidor'}"
                   f"{', desde la página' if pagina else ''}")
            cifra = (correr(medido, que) if pagina is None
                     else correr.desde_la_pagina(medido, que, pagina))
            corridas.append({**cifra, "celda": asdict(celda), "antes": antes,
                             "despues": despues, "reserva_lista": listo,
                             "reserva_mb": en_espera})
    finally:
        if anterior is None:
            os.environ.pop(VARIABLE, None)
        else:
            os.environ[VARIABLE] = anterior
    return corridas


def lineas_residente() -> int:
    """Las líneas de `src/helpers/residente/`: el servidor, el cliente, el canal y los
    procesos de ayuda."""
    from benchmark_medicion import RAIZ

    return sum(len(ruta.read_text(encoding="utf-8").splitlines())
               for ruta in sorted((RAIZ / "src" / "helpers" / "residente").glob("*.py")))


def parte(args) -> dict:
    """Mide las corridas de cada libro de `args.factores_cache` (1: el de los parámetros)."""
    from helpers.entrada.parametros import cargar_parametros

    # La fecha y la carga de la máquina, al empezar: al terminar, la carga es la de las
    # corridas mismas.
    encabezado = encabezado_de_parte(1)
    params = Path(args.params).resolve()
    factores = {}
    for factor in args.factores_cache:
        libro = (cargar_parametros(params).ruta_datos if factor == 1
                 else libro_grande(factor, args.cache))
        datos: dict = {"error": None}
        try:
            _medir_libro(params, libro, factor, args, datos)
        except FalloDeCorrida as fallo:
            datos["error"] = str(fallo)
        factores[str(factor)] = datos
    return {**encabezado, "como": COMO, "params": str(args.params),
            "factores": factores, "limite": args.limite,
            "lineas_residente": lineas_residente()}


# --- Las filas de la tabla ---------------------------------------------------------------


def _veces_la_completa(segundos: float, completa: dict | None) -> str:
    if not completa or not completa.get("segundos"):
        return f"{formatear(segundos)} s"
    razon = segundos / completa["segundos"]
    return f"{formatear(segundos)} s ({formatear(razon, 2)} × la completa)"


def _fila_sin_reserva(datos: dict, tamano: str) -> list[dict]:
    corridas = datos["una_celda_sin_reserva"]
    segundos = statistics.median(c["segundos"] for c in corridas)
    pico = statistics.median(c["pico_mb"] for c in corridas)
    cada_una = " / ".join(formatear(c["segundos"]) for c in corridas) + " s"
    return [fila("cache", f"… las mismas celdas sin el servidor residente "
                          f"(INFORME_POA_SERVIDOR=0; mediana de {len(corridas)})", tamano,
                 segundos, pico,
                 tiempo=f"{_veces_la_completa(segundos, datos.get('completa'))}: {cada_una}")]


def _filas_una_celda(datos: dict, tamano: str) -> list[dict]:
    corridas = datos["una_celda"]
    completa = datos.get("completa")
    segundos = statistics.median(c["segundos"] for c in corridas)
    # La memoria de la orden no dice nada: el trabajo lo hace el servidor residente. Se da
    # la del servidor libre, mientras espera (las filas siguientes).
    pico = None
    limite = (f" (≤ {formatear(completa['segundos'] * OBJETIVO_UNA_CELDA)} s)"
              if completa else "")
    objetivo = f"≤ 1/{round(1 / OBJETIVO_UNA_CELDA)} de la corrida completa{limite}"
    cumple = (segundos <= OBJETIVO_UNA_CELDA * completa["segundos"]
              if completa and len(corridas) == CELDAS else False)
    listas = sum(1 for c in corridas if c.get("reserva_lista"))
    que = (f"Otra corrida después de cambiar una celda (mediana de {len(corridas)} celdas "
           f"distintas{'' if len(corridas) == CELDAS else f' de {CELDAS}'}; con el servidor "
           f"residente libre en {listas} de {len(corridas)})")
    cada_una = " / ".join(formatear(c["segundos"]) for c in corridas) + " s"
    filas_ = [fila("cache", que, tamano, segundos, pico, objetivo, cumple,
                   tiempo=_veces_la_completa(segundos, completa)),
              fila("cache", "… cada una, en el orden en que se cambiaron", tamano,
                   tiempo=cada_una)]
    en_espera = [c["reserva_mb"] for c in corridas if c.get("reserva_mb")]
    objetivo_mb = f"≤ {OBJETIVO_EN_ESPERA_MB} MB (PSS)"
    if en_espera:
        mb = statistics.median(en_espera)
        filas_.append(fila("cache", "… el servidor residente libre, mientras espera (PSS "
                                    "sumado de sus procesos: él, los kernels y el compositor "
                                    "de la corrida siguiente y el servidor de bifurcación; "
                                    "mediana)", tamano,
                           memoria_mb=mb, objetivo=objetivo_mb,
                           cumple=mb <= OBJETIVO_EN_ESPERA_MB))
    dos = datos.get("en_espera_dos_carpetas")
    if dos:
        filas_.append(fila("cache", "… y después de un informe en otra carpeta de salida "
                                    "(dos carpetas servidas)", tamano, memoria_mb=dos,
                           objetivo=objetivo_mb, cumple=dos <= OBJETIVO_EN_ESPERA_MB))
    return filas_


def _filas_pagina(datos: dict, tamano: str) -> list[dict]:
    """La corrección pedida desde la página: la misma orden cliente del servidor residente
    que la terminal, con el mismo objetivo."""
    corridas = datos["una_celda_pagina"]
    completa = datos.get("completa")
    segundos = statistics.median(c["segundos"] for c in corridas)
    terminal = [c["segundos"] for c in datos.get("una_celda", [])]
    en_terminal = (f"; en la terminal, {formatear(statistics.median(terminal))} s"
                   if terminal else "")
    servidas = sum(1 for c in corridas if c.get("servidor"))
    cumple = (segundos <= OBJETIVO_UNA_CELDA * completa["segundos"] and servidas == len(corridas)
              if completa and len(corridas) == CELDAS else False)
    que = (f"La misma corrección pedida desde la página (informe-poa app, «Generar»; mediana "
           f"de {len(corridas)}; la corrió el servidor residente en {servidas} de "
           f"{len(corridas)})")
    return [fila("cache", que, tamano, segundos, None,
                 f"≤ 1/{round(1 / OBJETIVO_UNA_CELDA)} de la corrida completa, con el servidor",
                 cumple, tiempo=f"{_veces_la_completa(segundos, completa)}{en_terminal}")]


def _fila_sin_cambios(datos: dict, tamano: str) -> dict:
    cifra = datos["sin_cambios"]
    al_dia = cifra.get("al_dia", False)
    tiempo = None if al_dia else f"{formatear(cifra['segundos'])} s (lo generó de nuevo)"
    return fila("cache", "Otra corrida sin cambios (el informe al día, no se toca)", tamano,
                cifra["segundos"], None,
                f"≤ {formatear(OBJETIVO_SIN_CAMBIOS_S, 0)} s",
                al_dia and cifra["segundos"] <= OBJETIVO_SIN_CAMBIOS_S, tiempo=tiempo)


def _fila_tablas(datos: dict, tamano: str) -> dict:
    distintas = datos["tablas_distintas"]
    tiempo = "sí" if not distintas else f"no: {', '.join(distintas)}"
    return fila("cache", "Tablas (tablas/*.csv) después de la última celda, iguales a las de "
                         "una corrida sin caché", tamano, tiempo=tiempo,
                objetivo="iguales byte a byte", cumple=not distintas)


def _filas_de_libro(factor: str, datos: dict) -> list[dict]:
    tamano = texto_tamano(factor, datos.get("tamano"))
    completa = datos.get("completa")
    filas = []
    if completa:
        filas.append(fila("cache", "Corrida completa, sin caché (--sin-cache)", tamano,
                          completa["segundos"], completa["pico_mb"]))
    if datos.get("primera"):
        cifra = datos["primera"]
        filas.append(fila("cache", "Primera corrida con caché (la llena)", tamano,
                          cifra["segundos"], cifra["pico_mb"],
                          tiempo=_veces_la_completa(cifra["segundos"], completa)))
    if datos.get("una_celda"):
        filas += _filas_una_celda(datos, tamano)
    if datos.get("una_celda_pagina"):
        filas += _filas_pagina(datos, tamano)
    if datos.get("sin_cambios"):
        filas.append(_fila_sin_cambios(datos, tamano))
    if datos.get("una_celda_sin_reserva"):
        filas += _fila_sin_reserva(datos, tamano)
    if datos.get("testigo"):
        filas.append(fila("cache", "Corrida completa sin caché del libro con la última celda "
                                   "cambiada (para comparar las tablas)", tamano,
                          datos["testigo"]["segundos"], datos["testigo"]["pico_mb"]))
    if "tablas_distintas" in datos:
        filas.append(_fila_tablas(datos, tamano))
    if datos.get("error"):
        filas.append(fila("cache", "Corridas con la caché", tamano, tiempo=datos["error"],
                          objetivo="todas terminan", cumple=False))
    return filas


def filas(datos: dict | None) -> list[dict]:
    """Las filas de la parte, libro por libro: la corrida completa, la primera con caché, la
    de una celda cambiada (mediana y cada una) con su objetivo, la de sin cambios con el suyo,
    la corrida completa de control y si sus tablas son las del informe hecho con la caché."""
    if not datos:
        return []
    filas_ = [f for factor, por_libro in datos["factores"].items()
              for f in _filas_de_libro(factor, por_libro)]
    if datos.get("lineas_residente"):
        lineas = datos["lineas_residente"]
        filas_.append(fila("cache", "Líneas del servidor residente, su cliente, su canal y los "
                                    "procesos de ayuda (src/helpers/residente/)", "—",
                           tiempo=f"{lineas} líneas",
                           objetivo=f"≤ {OBJETIVO_LINEAS_RESIDENTE} líneas",
                           cumple=lineas <= OBJETIVO_LINEAS_RESIDENTE))
    return filas_
