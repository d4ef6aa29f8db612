"""`informe-poa`: la línea de órdenes de la unidad de planificación.

Cada orden llama a un módulo que hace el trabajo (la plantilla, la revisión del libro, el
ejecutor de informes, la verificación); aquí sólo se leen las opciones, se muestra el avance
y se devuelve el código de salida:

    0    sin errores (una revisión puede tener advertencias)
    1    una falla que no es de los datos: una sección falló, la carpeta está ocupada, el
         sistema no dejó leer o escribir, la verificación encontró diferencias
    2    error de entrada o de uso: parámetros o datos con problemas, una orden mal escrita
    130  corrida interrumpida (Ctrl+C)
"""
from __future__ import annotations

import functools
import logging
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from helpers.codigos import ERROR_DE_ENTRADA, EXITO, FALLA, INTERRUMPIDA
from helpers.comun.errores_del_sistema import causa
from helpers.consola import DETALLADO, NORMAL, SILENCIOSO, AvisosDeConsola, consola, inerte
from helpers.ordenes_click import (
    AJUSTES,
    Contexto,
    Grupo,
    Opcion,
    decir_error,
    decir_si_esta_abierto,
)
from helpers.ordenes_formularios import ORDENES_DE_FORMULARIOS
from helpers.pagina.kernels import INACTIVIDAD, KERNELS_MAX
from helpers.residente.cliente import ENTORNO, activo, correr_orden


def _nivel(f):
    """Las opciones de detalle, comunes a las órdenes que trabajan un rato."""
    f = click.option("--detallado", "nivel", flag_value=DETALLADO,
                     help="Cada etapa y cada sección, con su tiempo.")(f)
    f = click.option("--silencioso", "nivel", flag_value=SILENCIOSO,
                     help="Sólo los errores y la línea final.")(f)
    return click.option("--normal", "nivel", flag_value=NORMAL, default=True, hidden=True)(f)


@click.group(cls=Grupo, context_settings=AJUSTES)
@click.version_option(package_name="informe-poa", prog_name="informe-poa",
                      message="%(prog)s %(version)s", help="Muestra la versión y termina.")
def principal():
    """Informes del POA a partir del libro Excel de la unidad de planificación: la carpeta de
    una entidad nueva, la plantilla para llenar el libro, su revisión y los informes
    trimestral, anual y de formulación.

    \b
    Primeros pasos (guía completa: docs/guia-de-uso.md):
      informe-poa nuevo ~/POA2025 --entidad "Nombre de la entidad" --sigla XYZ --gestion 2025
      (llenar ~/POA2025/poa_2025.xlsx)
      informe-poa validar ~/POA2025/2025-T1.yaml
      informe-poa trimestral ~/POA2025/2025-T1.yaml

    Códigos de salida: 0 sin errores, 1 falla que no es de los datos, 2 error en los datos,
    los parámetros o la orden, 130 interrumpida.
    """


def _anio(_ctx, _param, valor: str | None) -> int | None:
    if valor is None:
        return None
    if not valor.strip().isdigit():
        raise click.BadParameter(f"«{valor}»: debe ser un año, como {time.localtime().tm_year}")
    return int(valor)


@principal.command(short_help="Escribe la carpeta de una entidad nueva: libro y parámetros.",
                   epilog="Ejemplo: informe-poa nuevo ~/POA2025 --entidad \"Nombre de la "
                          "entidad\" --sigla XYZ --gestion 2025")
@click.argument("carpeta", type=click.Path(path_type=Path))
@click.option("--entidad", cls=Opcion, required=True, metavar="NOMBRE",
              help="El nombre completo de la entidad, entre comillas.")
@click.option("--sigla", cls=Opcion, required=True, metavar="SIGLA",
              help="La sigla de la entidad.")
@click.option("--gestion", default=None, metavar="AÑO", callback=_anio,
              help="La gestión del POA (por omisión, el año en curso).")
def nuevo(carpeta: Path, entidad: str, sigla: str, gestion: int | None):
    """Escribe CARPETA (nueva o vacía, fuera de la carpeta del proyecto) para empezar los
    informes de una entidad: la plantilla del libro del POA, un archivo de parámetros por
    tipo de informe, que corre tal como está y trae comentada cada clave opcional, y un
    LEEME.md con los pasos. Sin nada de la muestra; no reemplaza ningún archivo."""
    from helpers.entrada.entidad_nueva import LEEME, PedidoNoValido, escribir_entidad_nueva
    from helpers.salida.word.membrete import membrete_si_falta

    try:
        nueva = escribir_entidad_nueva(carpeta, entidad=entidad, sigla=sigla, gestion=gestion)
        escritos = [*nueva.archivos, *filter(None, [membrete_si_falta(nueva.carpeta)])]
    except PedidoNoValido as error:
        decir_error(f"No se escribió la carpeta: {error}.")
        sys.exit(ERROR_DE_ENTRADA)
    except OSError as error:
        decir_error(f"No se pudo escribir {carpeta}: {causa(error)}")
        sys.exit(FALLA)
    primeros = next(iter(nueva.parametros.values()))
    salida = consola()
    salida.print(inerte(f"Carpeta de {entidad.strip()} ({sigla.strip()}) escrita en "
                        f"{nueva.carpeta}: " + ", ".join(r.name for r in escritos) + "."))
    salida.print(inerte(f"Siguiente paso: llene {nueva.libro.name} y revíselo con "
                        f"«informe-poa validar {primeros}» ({LEEME} dice los tres pasos)."))


@principal.command(short_help="Escribe la plantilla vacía del libro del POA.",
                   epilog="Ejemplo: informe-poa plantilla poa_2025.xlsx")
@click.argument("libro", type=click.Path(dir_okay=False, path_type=Path))
def plantilla(libro: Path):
    """Escribe LIBRO, un libro Excel vacío con las hojas y columnas que lee el programa,
    listas desplegables, formatos, una fila de ejemplo por hoja y una hoja de instrucciones.
    No reemplaza un archivo que ya existe."""
    from helpers.entrada.plantilla import escribir_plantilla

    try:
        ruta = escribir_plantilla(libro)
    except FileExistsError:
        decir_error(f"{libro} ya existe: elija otro nombre o bórrelo antes (no se reemplaza).")
        sys.exit(ERROR_DE_ENTRADA)
    except FileNotFoundError:
        decir_error(f"No existe la carpeta {libro.parent}: créela o elija otra ruta.")
        sys.exit(ERROR_DE_ENTRADA)
    except ValueError as error:
        decir_error(f"{libro}: {error}")
        sys.exit(ERROR_DE_ENTRADA)
    except OSError as error:
        decir_error(f"No se pudo escribir {libro}: {causa(error)}")
        sys.exit(FALLA)
    consola().print(inerte(f"Plantilla escrita en {ruta}. Llénela y revísela con: "
                           f"informe-poa validar {ruta}"))


@principal.command(short_help="Revisa un libro y marca sus errores y advertencias.",
                   epilog="\b\nEjemplos:\n  informe-poa validar data/2024/poa_2024.xlsx\n"
                          "  informe-poa validar params/2024-T2.yaml")
@click.argument("ruta", type=click.Path(path_type=Path))
@_nivel
def validar(ruta: Path, nivel: str):
    """Revisa un libro del POA (o la carpeta de CSV, o un archivo de parámetros con sus datos)
    sin generar el informe: lista cada error y cada advertencia por hoja, con fila, columna y
    valor, y, si es un libro Excel, escribe a su lado una copia <nombre>-revisado.xlsx con las
    celdas marcadas y comentadas. Termina con 0 si no hay errores (las advertencias no
    detienen un informe) y con 2 si los hay."""
    from helpers.revision import cuentas, revisar, texto
    from helpers.salida.libro_revisado import escribir_revisado

    salida = consola()
    decir_si_esta_abierto(ruta)
    revision = revisar(ruta)
    if nivel != SILENCIOSO:
        salida.print(inerte(texto(revision)))
    elif not revision.errores:
        # Callada, la revisión dice igual cuántas advertencias hay (los errores, abajo).
        salida.print(inerte(cuentas(revision)))
    sin_copia = False
    try:
        copia = escribir_revisado(revision)
    except OSError as error:
        decir_error(f"No se pudo escribir la copia revisada: {causa(error)}")
        copia, sin_copia = None, True
    if copia is not None:
        salida.print(inerte(f"Copia con las celdas marcadas: {copia}"))
    if revision.errores:
        if nivel == SILENCIOSO:
            decir_error(texto(revision, con_advertencias=False))
        sys.exit(ERROR_DE_ENTRADA)
    if sin_copia:
        # La revisión se hizo, pero falta lo que se pidió: la copia marcada (docs/validar.md).
        sys.exit(FALLA)


# Las órdenes del circuito de los formularios de las unidades, aquí en el orden de uso.
for _orden in ORDENES_DE_FORMULARIOS:
    principal.add_command(_orden)


def _informe(tipo: str, params: Path, trabajos: int | None, nivel: str, procesos, *,
             forzar: bool = False, sin_cache: bool = False) -> int:
    """Una orden de informe, corrida en este proceso con `procesos` (los kernels y procesos
    de ayuda: `helpers.residente.procesos`); devuelve su código de salida."""
    from helpers.consola import resumen
    from helpers.informe import correr

    _cuadernos()
    inicio = time.perf_counter()
    with AvisosDeConsola(nivel) as avisos:
        codigo, salida = correr(params, trabajos, tipo, avisos, cache=not sin_cache,
                                forzar=forzar, procesos=procesos)
    if codigo == EXITO:
        lineas = resumen(salida, time.perf_counter() - inicio)
        for linea in lineas[:1] if nivel == SILENCIOSO else lineas:
            consola().print(inerte(linea))
    return codigo


def _al_menos_uno(_ctx, _param, valor: str | None) -> int | None:
    if valor is None:
        return None
    if not valor.strip().isdigit() or int(valor) < 1:
        raise click.BadParameter(f"«{valor}»: debe ser un número entero mayor o igual a 1")
    return int(valor)


_TRABAJOS = click.option("--trabajos", default=None, metavar="N",
                         callback=_al_menos_uno,
                         help="Secciones que se ejecutan a la vez (por omisión, una por "
                              "núcleo, hasta 4).")


# Los tipos de informe: la orden, su resumen, su ayuda y el archivo de parámetros de la
# muestra que sirve de ejemplo.
_INFORMES = [
    ("trimestral", "Genera el informe trimestral de seguimiento.",
     "Genera el informe trimestral de seguimiento y evaluación del POA que piden los "
     "parámetros PARAMS (informe: trimestral): HTML, PDF, tablas CSV, anexo Excel y "
     "manifiesto, en la carpeta de salida que dicen los parámetros.",
     "params/2024-T2.yaml"),
    ("anual", "Genera la rendición pública de cuentas.",
     "Genera la rendición pública de cuentas de la gestión (o de medio año, con corte: "
     "junio) que piden los parámetros PARAMS (informe: anual).",
     "params/2024-anual.yaml"),
    ("formulacion", "Genera los formularios de formulación del POA.",
     "Genera los formularios de formulación del POA (articulación, operaciones por unidad, "
     "resumen presupuestario) que piden los parámetros PARAMS (informe: formulacion).",
     "params/2024-formulacion.yaml"),
    ("inicial", "Genera la rendición pública de cuentas inicial.",
     "Genera la rendición pública de cuentas inicial que piden los parámetros PARAMS "
     "(informe: rendicion_inicial): lo que la entidad se propone en la gestión con el POA "
     "aprobado al comenzarla (ACP y resultados esperados, alineación, operaciones y metas "
     "por trimestre, presupuesto inicial).",
     "params/2024-inicial.yaml"),
    ("objetivos", "Genera el avance por objetivo de los planes y compromisos.",
     "Genera el informe por objetivo que piden los parámetros PARAMS (informe: objetivos): "
     "lo que las ACP y las operaciones vinculadas a cada objetivo del PDES, el PEI, los ODS u "
     "otro marco del libro aportaron al corte, con sus cifras y lo que las unidades "
     "escribieron.",
     "params/2024-objetivos.yaml"),
]


# La orden cuyo nombre no es el de su tipo de informe (la carpeta de notebooks/).
_TIPO_DE_LA_ORDEN = {"inicial": "rendicion_inicial"}


def _orden_de_informe(nombre: str, resumen_corto: str, ayuda: str, ejemplo: str) -> None:
    tipo = _TIPO_DE_LA_ORDEN.get(nombre, nombre)

    @principal.command(name=nombre, short_help=resumen_corto, help=ayuda,
                       epilog=f"Ejemplo: informe-poa {nombre} {ejemplo}")
    @click.argument("params", type=click.Path(path_type=Path))
    @_TRABAJOS
    @click.option("--forzar", is_flag=True,
                  help="Lo genera aunque esté al día (nada cambió desde la última corrida).")
    @click.option("--sin-cache", "sin_cache", is_flag=True,
                  help="Lo genera entero sin mirar ni escribir la caché que está junto a la "
                       "carpeta del informe.")
    @_nivel
    def orden(params: Path, trabajos: int | None, forzar: bool, sin_cache: bool, nivel: str):
        # Corre aquí, o en el servidor residente del usuario (`helpers.residente`).
        sys.exit(correr_orden(click.get_current_context(), functools.partial(
            _informe, tipo, params, trabajos, nivel, forzar=forzar, sin_cache=sin_cache)))


for _tipo in _INFORMES:
    _orden_de_informe(*_tipo)


@principal.command(short_help="Informes de muchas entidades a la vez y su consolidado.",
                   epilog="Ejemplo: informe-poa lote params/2024-T2.yaml params/lote/*.yaml")
@click.argument("params", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--trabajadores", default=None, metavar="N", callback=_al_menos_uno,
              help="Procesos del clúster local: informes a la vez (por omisión, uno por "
                   "núcleo).")
@click.option("--planificador", default=None, metavar="DIRECCIÓN",
              help="Usa un planificador de Dask que ya corre (tcp://máquina:8786) y sus "
                   "trabajadores en lugar del clúster local.")
@click.option("--salida", default=None, metavar="CARPETA",
              type=click.Path(file_okay=False, path_type=Path),
              help="Carpeta del informe consolidado (por omisión output/lote-<gestión>-T<n>).")
@click.option("--trabajos", default=None, metavar="N", callback=_al_menos_uno,
              help="Kernels y núcleos por informe (por omisión 1: los trabajadores ya "
                   "ocupan los núcleos).")
@click.option("--objetivos", is_flag=True,
              help="El consolidado por objetivo: cada entidad genera su informe por objetivo "
                   "(parámetros con «informe: objetivos») y el consolidado junta sus marcos "
                   "por código.")
@_nivel
def lote(params: tuple[Path, ...], trabajadores: int | None, planificador: str | None,
         salida: Path | None, trabajos: int | None, objetivos: bool, nivel: str):
    """Genera los informes trimestrales de muchas entidades a la vez, uno por archivo de
    parámetros PARAMS, en Dask distributed (un clúster local o un planificador con
    trabajadores en otras máquinas), y el informe consolidado para el órgano rector (CSV,
    HTML, PDF y DOCX) con las tablas de cada informe; con --objetivos, sus informes por
    objetivo y el consolidado por objetivo (con su anexo). Un informe que falla no detiene a
    los demás: figura en el consolidado como no disponible, con el motivo. Termina con 0 si
    todos los informes se generaron, 1 si alguno falló y 2 si el lote no pudo empezar o dos
    entidades describen distinto un mismo objetivo (guía: docs/lote.md)."""
    from helpers.lote import (
        TRABAJOS_POR_ENTIDAD,
        AvisosDeLote,
        LoteInvalido,
        SinPlanificador,
        correr_lote,
    )

    _cuadernos()
    if planificador is not None and trabajadores is not None:
        decir_error("Error de uso: --trabajadores es para el clúster local; con --planificador, "
                    "los trabajadores son los que están conectados a él.")
        sys.exit(ERROR_DE_ENTRADA)
    try:
        resultado = correr_lote(list(params), trabajadores, planificador, salida,
                                AvisosDeLote(silencioso=nivel == SILENCIOSO),
                                trabajos or TRABAJOS_POR_ENTIDAD, objetivos)
    except LoteInvalido as error:
        decir_error(f"El lote no empezó: {error}")
        sys.exit(ERROR_DE_ENTRADA)
    except SinPlanificador as error:
        decir_error(f"El lote no empezó: {error}")
        sys.exit(FALLA)
    except KeyboardInterrupt:
        decir_error("Lote interrumpido.")
        sys.exit(INTERRUMPIDA)
    if resultado.mensaje:
        decir_error(resultado.mensaje)
    listos = sum(r.listo for r in resultado.entidades)
    minutos, resto = divmod(round(resultado.segundos), 60)
    consola().print(inerte(
        f"Lote terminado en {f'{minutos} min {resto:02d} s' if minutos else f'{resto} s'}: "
        f"{listos} de {len(resultado.entidades)} informes generados."))
    if resultado.consolidado is not None:
        archivos = ("informe.pdf, informe.html, informe.docx, anexo.xlsx, tablas/objetivos.csv"
                    if objetivos else
                    "informe.pdf, informe.html, informe.docx, tablas/consolidado.csv")
        consola().print(inerte(f"  Consolidado: {resultado.consolidado} ({archivos})."))
    sys.exit(resultado.codigo)


@principal.command(short_help="Comprueba un informe generado (auditoría).",
                   epilog="Ejemplo: informe-poa verificar output/2024-T2")
@click.argument("carpeta", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sin-cuadernos", is_flag=True,
              help="No vuelve a ejecutar los cuadernos (sólo hashes y tablas: segundos).")
@click.option("--detallado", "nivel", flag_value=DETALLADO,
              help="Cada comprobación en su línea, también las que coinciden.")
@click.option("--silencioso", "nivel", flag_value=SILENCIOSO,
              help="Sólo lo que no coincide, los errores y la línea final.")
@click.option("--normal", "nivel", flag_value=NORMAL, default=True, hidden=True)
@click.option("--documento", type=click.Path(dir_okay=False, path_type=Path),
              metavar="COPIA.docx",
              help="Compara una copia editada en Word de informe.docx con el informe: cada "
                   "cifra que ya no coincide, cada cuadro o fila quitado o agregado.")
def verificar(carpeta: Path, sin_cuadernos: bool, nivel: str, documento: Path | None):
    """Comprueba que el informe de CARPETA corresponde a sus datos, parámetros y código: los
    hashes del manifiesto (entradas, salidas y archivos de código), las tablas calculadas de
    nuevo y los cuadernos ejecutados de nuevo. Dice cuántas comprobaciones hizo de cada
    clase y nombra cada una que no coincide. Termina con 0 si todo coincide (guía:
    docs/auditoria.md).

    Con --documento, compara en cambio una copia de informe.docx editada en Word: termina
    con 0 si cada cifra coincide (el texto reescrito se cuenta), 1 si alguna no, 2 si no es
    una copia del informe de CARPETA (guía: docs/word.md)."""
    if documento is not None:
        from helpers.salida.word.verificacion import verificar_copia

        codigo, lineas = verificar_copia(carpeta, documento)
        for linea in lineas:
            consola().print(inerte(linea))
        sys.exit(codigo)
    from helpers.salida.verificacion import main as verificar_carpeta

    opciones = [*(["--sin-cuadernos"] if sin_cuadernos else []),
                *([f"--{nivel}"] if nivel != NORMAL else [])]
    sys.exit(verificar_carpeta([str(carpeta), *opciones]))


def _puerto(_ctx, _param, valor: str | None) -> int | None:
    if valor is None:
        return None
    if not valor.strip().isdigit() or not 1 <= int(valor) <= 65535:
        raise click.BadParameter(f"«{valor}»: debe ser un número de puerto, de 1 a 65535")
    return int(valor)


def _kernels_max(_ctx, _param, valor: str) -> int:
    if not str(valor).strip().isdigit() or int(valor) < 1:
        raise click.BadParameter(f"«{valor}»: debe ser un número entero de pestañas, 1 o más")
    return int(valor)


def _inactividad(_ctx, _param, valor: str) -> int:
    """Los minutos dados (con coma o punto decimal), en segundos."""
    try:
        minutos = float(str(valor).strip().replace(",", "."))
    except ValueError:
        minutos = float("nan")
    if not minutos * 60 >= 1 or minutos == float("inf"):
        raise click.BadParameter(f"«{valor}»: deben ser minutos, más de cero (10, o 0,5 para "
                                 "medio minuto)")
    return round(minutos * 60)


@principal.command(short_help="Abre la página del trimestre en el navegador.",
                   epilog="Ejemplo: informe-poa app --carpeta ~/POA2025")
@click.option("--carpeta", default=None, metavar="CARPETA",
              type=click.Path(file_okay=False, path_type=Path),
              help="La carpeta de trabajo: la página sólo ve y escribe lo que está dentro de "
                   "ella (por omisión, la carpeta actual).")
@click.option("--puerto", default=None, metavar="N", callback=_puerto,
              help="El puerto de la página en 127.0.0.1 (por omisión, uno libre).")
@click.option("--sin-navegador", is_flag=True,
              help="No abre el navegador: muestra la dirección para abrirla a mano.")
@click.option("--kernels-max", default=str(KERNELS_MAX), metavar="N", callback=_kernels_max,
              help="Cuántas pestañas de la página pueden estar abiertas a la vez: cada una "
                   "ocupa unos 200 MB. Con ese número abiertas, una más dice que se cierre "
                   f"otra o se espere (por omisión, {KERNELS_MAX}).")
@click.option("--inactividad", default=str(INACTIVIDAD // 60), metavar="MINUTOS",
              callback=_inactividad,
              help="Tras cuántos minutos sin uso se cierra una pestaña, para liberar su "
                   "memoria (vuelve a cargarse con F5); admite decimales: 0,5 es medio minuto "
                   f"(por omisión, {INACTIVIDAD // 60}).")
def app(carpeta: Path | None, puerto: int | None, sin_navegador: bool, kernels_max: int,
        inactividad: int):
    """Abre en el navegador la página de la unidad de planificación: la carpeta de la
    entidad, la revisión del libro, los formularios de las unidades, los parámetros, el
    informe y los informes ya generados, sin terminal (guía: docs/pagina.md). La página se
    sirve sólo en esta máquina (127.0.0.1) y pide la ficha de acceso que lleva la dirección
    que se muestra al arrancar. Cada pestaña abierta ocupa memoria hasta que se cierra o
    pasa un rato sin uso (--kernels-max, --inactividad). Se cierra con Ctrl+C."""
    from helpers.pagina.espacio import Espacio
    from helpers.pagina.servidor import PuertoOcupado, servir

    carpeta = Path.cwd() if carpeta is None else carpeta.expanduser()
    if not carpeta.is_dir():
        decir_error(f"No existe la carpeta {carpeta}: créela o elija otra con --carpeta.")
        sys.exit(ERROR_DE_ENTRADA)
    espacio = Espacio.en(carpeta)
    if espacio.raiz == espacio.raiz.parent:
        decir_error(f"{espacio.raiz} es la raíz del sistema de archivos: la página vería todo el "
                    "disco; elija la carpeta de sus entidades con --carpeta.")
        sys.exit(ERROR_DE_ENTRADA)
    _cuadernos()
    salida = consola()

    def avisar(direccion: str) -> None:
        salida.print(inerte(f"La página de informe-poa está en {direccion}"))
        salida.print(inerte(f"Carpeta de trabajo: {espacio.raiz}. Para cerrarla: Ctrl+C."))
        sys.stdout.flush()

    try:
        servir(espacio, puerto, navegador=not sin_navegador, avisar=avisar,
               kernels_max=kernels_max, inactividad=inactividad,
               entorno=ENTORNO if activo() else None)
    except PuertoOcupado as error:
        decir_error(f"No se abrió la página: {causa(error)}.")
        sys.exit(FALLA)
    salida.print("Página cerrada.")


@principal.command(short_help="Abre los cuadernos en JupyterLab.",
                   epilog="Ejemplo: informe-poa lab")
@click.option("--sin-navegador", is_flag=True,
              help="No abre el navegador: muestra la dirección para abrirla a mano.")
def lab(sin_navegador: bool):
    """Abre JupyterLab en la carpeta de los cuadernos (notebooks/ en la copia del proyecto),
    con el núcleo de Python de este entorno: sin parámetros, cada cuaderno corre sobre la
    muestra."""
    import zmq

    orden = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={_cuadernos()}"]
    if zmq.has("curve"):
        # Los kernels hablan con el servidor cifrados (CurveZMQ, como los de la página): otro
        # usuario de la máquina no lee por sus puertos lo que calcula cada celda.
        orden.append("--KernelManager.transport_encryption=auto")
    if sin_navegador:
        orden.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # JupyterLab no arranca como root sin este permiso explícito (contenedores, máquinas
        # de un solo usuario): quien llama como root ya eligió serlo.
        orden.append("--allow-root")
    # JupyterLab toma el lugar de este proceso (exec): quien detiene `informe-poa lab` (una
    # señal, un gestor de procesos) detiene el servidor, que si no seguiría vivo, huérfano.
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, orden)


def _cuadernos() -> Path:
    """La carpeta de los cuadernos (``rutas.CUADERNOS``: notebooks/ de la copia del proyecto o
    la que trae el paquete instalado): los informes la necesitan; la plantilla y la revisión,
    no."""
    from helpers.rutas import CUADERNOS

    if not CUADERNOS.is_dir():
        decir_error(f"La instalación de informe-poa está incompleta: no están los cuadernos "
                    f"de las secciones ({CUADERNOS}). Instálelo de nuevo: `make entorno` en la "
                    "carpeta del proyecto, o `pip install .` desde ella.")
        sys.exit(ERROR_DE_ENTRADA)
    return CUADERNOS


def main(argv: list[str] | None = None) -> int:
    """Punto de entrada de `informe-poa` y de `python -m helpers`: los errores de uso, en
    castellano y con código 2."""
    try:
        principal.main(args=argv, prog_name="informe-poa", standalone_mode=False)
    except SystemExit as salida:
        return salida.code if isinstance(salida.code, int) else (0 if salida.code is None else 1)
    except click.exceptions.Abort:
        decir_error("Corrida interrumpida.")
        return INTERRUMPIDA
    except click.UsageError as error:
        decir_error(f"Error de uso: {_uso(error)}")
        if error.ctx is not None:
            decir_error(f"Ayuda: {error.ctx.command_path} --help")
        return ERROR_DE_ENTRADA
    except click.ClickException as error:
        decir_error(error.format_message())
        return error.exit_code
    return EXITO


@principal.command(name="servidor-residente", hidden=True)
def servidor_residente():
    """El servidor residente del usuario (lo arranca una orden de informe: docs/cache-diseno.md)."""
    from helpers.residente.servidor import main as servir

    servir(en_el_servidor)


def _nacido() -> float:
    """Cuándo nació este proceso (`psutil`): con su número, lo distingue de otro que lo
    reciba después."""
    import psutil

    return psutil.Process().create_time()


@principal.command(name="corrida-de-pagina", hidden=True)
@click.argument("params", type=click.Path(path_type=Path))
@click.argument("estado", type=click.Path(path_type=Path))
@click.option("--pid", type=int, default=os.getpid, hidden=True)
@click.option("--nacido", type=float, default=_nacido, hidden=True)
@click.option("--salida", type=click.Path(path_type=Path), default=None, hidden=True)
def corrida_de_pagina(params: Path, estado: Path, pid: int, nacido: float, salida: Path | None):
    """Un informe pedido desde la página (lo lanza `helpers.pagina.corrida.empezar`): su avance
    va al archivo ESTADO. `--pid` y `--nacido` son los de este proceso, leídos aquí: el
    servidor residente los escribe en el estado, no los suyos. `--salida`: la carpeta del
    informe, que la página ya leyó de los parámetros (así esta orden no los lee)."""
    from helpers.pagina.corrida import anunciar, correr_y_contar

    ctx = click.get_current_context()
    en_el_servidor_ = isinstance(ctx.obj, dict) and ctx.obj.get("procesos") is not None
    if not en_el_servidor_:  # la página la ve antes de que la tome nadie
        anunciar(params, estado, pid, nacido, salida=salida)
    sys.exit(correr_orden(ctx, functools.partial(
        correr_y_contar, params, estado, dueno=(pid, nacido), servidor=en_el_servidor_,
        salida=salida)))



def en_el_servidor(nombre: str, valores: dict, procesos) -> int:
    """El código de salida de la orden `nombre`, ya leída por la orden que la pidió (`valores`:
    los de sus parámetros, con las rutas como texto), corrida en el servidor residente con
    sus `procesos` (`helpers.residente.servidor`, que arranca `servidor_residente`)."""
    orden = principal.get_command(None, nombre)
    rutas = {p.name for p in orden.params if isinstance(p.type, click.Path)}
    valores = {k: Path(v) if k in rutas and v is not None else v for k, v in valores.items()}
    try:
        with Contexto(orden, info_name=nombre, obj={"procesos": procesos}) as ctx:
            ctx.params = valores
            ctx.invoke(orden.callback, **valores)
    except SystemExit as salida:
        return salida.code if isinstance(salida.code, int) else (0 if salida.code is None else 1)
    return EXITO


def ejecutable() -> None:
    """`informe-poa` y `python -m helpers`: `main`, y el proceso termina con su código
    (`terminar`)."""
    terminar(main())


def terminar(codigo: int) -> NoReturn:
    """Termina el proceso con `codigo` sin desarmar el intérprete. Después de un informe,
    Python tarda unos 0,3 s en soltar objeto por objeto lo que cargaron pandas, nbconvert y
    WeasyPrint, que el sistema libera de una vez al terminar el proceso. Sólo si no queda
    ningún proceso hijo vivo (un clúster de Dask se cierra al salir), con la salida ya escrita
    y el registro cerrado; si no, la salida de siempre. No cuenta un hijo que ya vive en su
    propia sesión (el servidor residente que deja una orden: `helpers.residente`), que
    sigue igual."""
    import psutil

    sys.stdout.flush()
    sys.stderr.flush()
    if not any(_espera_la_salida(hijo) for hijo in psutil.Process().children(recursive=True)):
        logging.shutdown()
        os._exit(codigo)
    sys.exit(codigo)


def _espera_la_salida(hijo) -> bool:
    """Si el proceso hijo `hijo` sigue vivo y en la sesión de este (psutil.Process)."""
    import psutil

    try:
        # El servidor de bifurcación de los procesos de ayuda termina solo al terminar este.
        return (hijo.is_running() and hijo.status() != psutil.STATUS_ZOMBIE
                and os.getsid(hijo.pid) == os.getsid(0)
                and "multiprocessing.forkserver" not in " ".join(hijo.cmdline()))
    except (psutil.Error, OSError):
        return False


def _uso(error: click.UsageError) -> str:
    """El mensaje de un error de uso, en castellano para los casos comunes."""
    if isinstance(error, click.exceptions.MissingParameter) and error.param is not None:
        return f"falta {error.param.human_readable_name}"
    if isinstance(error, click.exceptions.NoSuchOption):
        return f"no existe la opción {error.option_name}"
    if isinstance(error, click.exceptions.BadParameter):
        nombre = error.param.human_readable_name if error.param is not None else "un valor"
        return f"valor no válido en {nombre}: {error.message}"
    mensaje = error.format_message()
    if mensaje.startswith("Got unexpected extra argument"):
        return "sobran argumentos: " + mensaje.split("(", 1)[-1].rstrip(")")
    return mensaje


if __name__ == "__main__":
    ejecutable()
