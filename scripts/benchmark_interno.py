"""Lo que corre en el proceso medido por scripts/benchmark.py (`--interno PARTE`): el
informe con la hora de cada etapa, el piso de un solo kernel, la carga de un libro, los
informes seguidos y el lote; `recoger`, en benchmark_recoger.py. Cada uno anota en su
resultado las horas (time.monotonic, el mismo reloj que el del proceso que mide), su pico de
memoria y el tamaño de lo que leyó.
"""
from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import benchmark_recoger
from benchmark_medicion import maxrss_mb

# Las hojas cuyas filas dicen el tamaño de un libro.
HOJAS_TAMANO = ("operaciones", "unidades", "presupuesto")


def tamano_de_carpeta(carpeta: Path) -> dict:
    """Filas de las hojas del tamaño guardadas en entrada/ de un informe."""
    import pyarrow.parquet as pq

    return {hoja: pq.ParquetFile(carpeta / "entrada" / "datos" / f"{hoja}.parquet")
            .metadata.num_rows for hoja in HOJAS_TAMANO}


def _tamano_de_datos(datos) -> dict:
    return {hoja: len(getattr(datos, hoja)) for hoja in HOJAS_TAMANO}


def _interno_informe(params: Path) -> dict:
    """Genera el informe con un aviso que anota la hora de cada etapa (time.monotonic)."""
    inicio = time.monotonic()
    import logging

    from helpers.informe import Avisos, correr
    from helpers.residente.procesos import Procesos

    marcas: list[dict] = []

    class Cronometro(Avisos):
        def etapa(self, texto: str, segundos: float | None = None) -> None:
            marcas.append({"tipo": "etapa", "texto": texto, "t": time.monotonic()})

        def secciones(self, total: int) -> None:
            marcas.append({"tipo": "secciones", "total": total, "t": time.monotonic()})

        def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                    de_la_cache: bool = False) -> None:
            marcas.append({"tipo": "seccion", "hechas": posicion, "texto": titulo,
                           "t": time.monotonic()})

        def listo(self, salida: Path, segundos: float) -> None:
            marcas.append({"tipo": "etapa", "texto": "Informe listo", "t": time.monotonic()})

    # El ensamblado cuenta en su registro cuánto tardó cada paso (HTML y PDF van en la
    # misma llamada): se lee de allí, sin tocar el ejecutor.
    ensamblado: dict[str, float] = {}

    class TiemposDelEnsamblado(logging.Handler):
        def emit(self, registro: logging.LogRecord) -> None:
            mensaje = registro.getMessage()
            if mensaje.startswith("Informe ensamblado") and "(" in mensaje:
                pasos = mensaje.rsplit("(", 1)[1]
                ensamblado.update({nombre: float(s) for nombre, s in
                                   re.findall(r"([\w-]+) ([\d.]+) s", pasos)})

    registro = logging.getLogger("helpers.salida.ensamblado")
    registro.setLevel(logging.INFO)
    registro.addHandler(TiemposDelEnsamblado(logging.INFO))
    comienzo = time.monotonic()
    # Con los procesos de ayuda de la orden cuando corre sola (sin el servidor residente):
    # las tablas, el anexo, la página de auditoría y el DOCX, a la par del PDF.
    with Procesos() as procesos:
        codigo, salida = correr(params, avisos=Cronometro(), procesos=procesos)
    final = time.monotonic()
    resultado = {"inicio": inicio, "comienzo": comienzo, "final": final, "codigo": codigo,
                 "marcas": marcas, "ensamblado": ensamblado, "maxrss_mb": maxrss_mb()}
    if codigo != 0:
        resultado["error"] = f"el informe terminó con código {codigo}"
    elif salida is not None:
        resultado["tamano"] = tamano_de_carpeta(salida)
    return resultado


def cuaderno_unido(cuadernos: list[Path]):
    """Un solo cuaderno con las celdas de código de `cuadernos`, en orden; tras la celda de
    parámetros de cada uno, `informe = ".."` (lo que papermill inyecta en el informe)."""
    import nbformat

    unido = nbformat.v4.new_notebook()
    unido.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    for ruta in cuadernos:
        libro = nbformat.read(str(ruta), as_version=4)
        for celda in libro.cells:
            if celda.cell_type != "code":
                continue
            unido.cells.append(nbformat.v4.new_code_cell(celda.source))
            if "parameters" in celda.metadata.get("tags", []):
                unido.cells.append(nbformat.v4.new_code_cell('informe = ".."'))
    return unido


def _interno_piso(params: Path) -> dict:
    """El piso de un solo kernel: la carpeta del informe preparada como la prepara el
    ejecutor (entrada/), y la memoria de cálculo y las secciones en un cuaderno unido."""
    from nbclient import NotebookClient

    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import cargar_parametros
    from helpers.preparacion import guardar_entrada
    from helpers.rutas import CUADERNOS

    parametros = cargar_parametros(params)
    datos = cargar_datos(parametros.ruta_datos)
    tipo = parametros.tipo
    secciones = [tipo.memoria, *tipo.secciones_para(parametros, datos)]
    with tempfile.TemporaryDirectory(prefix="benchmark-piso-") as temporal:
        carpeta = Path(temporal)
        guardar_entrada(carpeta, params, datos)
        (carpeta / "notebooks").mkdir()
        unido = cuaderno_unido([CUADERNOS / s.cuaderno for s in secciones])
        primera: list[float] = []

        def al_ejecutar(**_) -> None:
            if not primera:
                primera.append(time.monotonic())

        cliente = NotebookClient(unido, kernel_name="python3", timeout=None,
                                 on_cell_execute=al_ejecutar,
                                 resources={"metadata": {"path": str(carpeta / "notebooks")}})
        comienzo = time.monotonic()
        cliente.execute()
        final = time.monotonic()
    return {"comienzo": comienzo, "primera_celda": primera[0] if primera else comienzo,
            "final": final, "cuadernos": len(secciones), "celdas": len(unido.cells),
            "maxrss_mb": maxrss_mb(), "tamano": _tamano_de_datos(datos)}


def _interno_carga(params: Path) -> dict:
    """Lectura, validación y cálculo de las tablas del informe, con los módulos ya
    importados (lo mismo que hacen el ejecutor y la memoria de cálculo)."""
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos

    parametros = cargar_parametros(params)
    tipo = parametros.tipo
    comienzo = time.monotonic()
    datos = cargar_datos(parametros.ruta_datos)
    comprobar_con_datos(parametros, datos, params.name)
    validado = time.monotonic()
    tablas = tipo.calcular_tablas(parametros, datos)
    final = time.monotonic()
    return {"comienzo": comienzo, "validado": validado, "final": final,
            "tablas": len(tablas), "maxrss_mb": maxrss_mb(), "tamano": _tamano_de_datos(datos)}


def _interno_seguidos(rutas: list[Path]) -> dict:
    """Los informes de `rutas`, uno tras otro en este proceso."""
    from helpers.informe import Avisos, correr

    class Callado(Avisos):
        def etapa(self, texto: str, segundos: float | None = None) -> None:
            pass

        def seccion(self, posicion: int, total: int, titulo: str, segundos: float,
                    de_la_cache: bool = False) -> None:
            pass

        def listo(self, salida: Path, segundos: float) -> None:
            pass

    comienzo = time.monotonic()
    codigos = [correr(ruta, avisos=Callado())[0] for ruta in rutas]
    resultado = {"comienzo": comienzo, "final": time.monotonic(), "codigos": codigos,
                 "maxrss_mb": maxrss_mb()}
    if any(codigos):
        resultado["error"] = f"{sum(1 for c in codigos if c)} de {len(codigos)} fallaron"
    return resultado


def _interno_lote(rutas: list[Path], consolidado: Path) -> dict:
    """El lote de `rutas` con `helpers.lote.correr_lote` (clúster local de Dask), con el
    consolidado en `consolidado` (no en output/)."""
    import inspect

    try:
        from helpers.lote import correr_lote
    except ImportError:
        return {"disponible": False}
    opciones = {}
    acepta = inspect.signature(correr_lote).parameters
    if "salida" in acepta:
        opciones["salida"] = consolidado
    if "avisos" in acepta:
        from helpers.lote import AvisosDeLote

        opciones["avisos"] = AvisosDeLote(silencioso=True)
    comienzo = time.monotonic()
    devuelto = correr_lote(rutas, **opciones)
    resultado = {"disponible": True, "comienzo": comienzo, "final": time.monotonic(),
                 "tiempos": getattr(devuelto, "tiempos", {}), "maxrss_mb": maxrss_mb()}
    codigo = getattr(devuelto, "codigo", 0)
    if codigo:
        resultado["error"] = (f"el lote terminó con código {codigo}: "
                              f"{getattr(devuelto, 'mensaje', '')}")
    return resultado


INTERNOS = {"informe": _interno_informe, "piso": _interno_piso, "carga": _interno_carga}


def correr_interno(parte: str, params: list[str], resultado: Path,
                   formularios: Path | None) -> int:
    """Corre `parte` con los parámetros `params` y escribe lo que mide en `resultado`
    (JSON), que lee el proceso que mide."""
    rutas = [Path(p).resolve() for p in params]
    if parte == "seguidos":
        datos = _interno_seguidos(rutas)
    elif parte == "lote":
        datos = _interno_lote(rutas, resultado.parent / "consolidado")
    elif parte == "recoger":
        datos = benchmark_recoger.interno(rutas[0], formularios,
                                          resultado.parent / "recogido.xlsx")
    else:
        datos = INTERNOS[parte](rutas[0])
    resultado.write_text(json.dumps(datos, ensure_ascii=False), encoding="utf-8")
    return 0
