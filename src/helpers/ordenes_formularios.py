"""Las órdenes del circuito de los formularios de las unidades (docs/formularios.md):
`formularios`, `recoger`, `devolver` y `aceptar`. Aquí sólo se leen las opciones y se dice lo
que se hizo; el trabajo está en el paquete `helpers.formularios`. `cli` las agrega a
`informe-poa`.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import click

from helpers.codigos import ERROR_DE_ENTRADA, FALLA
from helpers.comun.errores_del_sistema import causa
from helpers.consola import consola, inerte
from helpers.ordenes_click import Opcion, Orden, decir_error, decir_si_esta_abierto


@click.command(cls=Orden, short_help="Escribe el formulario de seguimiento de cada unidad.",
                   epilog="Ejemplo: informe-poa formularios params/2024-T2.yaml --salida "
                          "formularios-2024-T2")
@click.argument("params", type=click.Path(path_type=Path))
@click.option("--salida", cls=Opcion, required=True, metavar="CARPETA",
              type=click.Path(path_type=Path),
              help="La carpeta de los formularios: nueva o vacía (no se reemplaza nada).")
@click.option("--sin-presupuesto", is_flag=True,
              help="Sin la hoja de referencia con las líneas de presupuesto de la unidad.")
def formularios(params: Path, salida: Path, sin_presupuesto: bool):
    """Escribe en CARPETA un libro <codigo_unidad>.xlsx por cada unidad con operaciones en el
    POA vigente al corte de los parámetros PARAMS (de un informe trimestral, con la clave
    recepcion): la unidad escribe lo ejecutado en cada mes del trimestre, la justificación y
    el medio de verificación, y lo devuelve hasta el plazo (guía: docs/formularios.md)."""
    from helpers.formularios.envio import formularios_de

    decir_si_esta_abierto(params)
    with _errores_de_formularios("No se escribieron los formularios", salida):
        escritos, parametros = formularios_de(params, salida,
                                              presupuesto=not sin_presupuesto)
    plazo = parametros.recepcion.plazo
    consola().print(inerte(
        f"{len(escritos)} formularios escritos en {escritos[0].parent}, uno por unidad con "
        f"operaciones; plazo de entrega: {plazo:%d/%m/%Y}."))


@contextmanager
def _errores_de_formularios(que_no_se_hizo: str, salida: Path):
    """Los errores de `formularios` y `recoger`, dichos en castellano y sin traza: en los
    datos, los parámetros, la carpeta o la salida, código 2; al leer o escribir, 1."""
    from helpers.entrada.errores import ErrorDeEntrada
    from helpers.formularios.envio import SalidaNoValida

    try:
        yield
    except ErrorDeEntrada as error:
        decir_error(f"{error.texto()}\n{que_no_se_hizo}.")
        sys.exit(ERROR_DE_ENTRADA)
    except SalidaNoValida as error:
        decir_error(f"{que_no_se_hizo}: {error}.")
        sys.exit(ERROR_DE_ENTRADA)
    except OSError as error:
        decir_error(f"No se pudo leer o escribir {error.filename or salida}: "
                    f"{causa(error)}")
        sys.exit(FALLA)


@click.command(cls=Orden, short_help="Recoge los formularios llenos en un libro nuevo.",
                   epilog="Ejemplo: informe-poa recoger params/2024-T2.yaml recibidos-2024-T2 "
                          "--salida poa_2024-T2-recogido.xlsx")
@click.argument("params", type=click.Path(path_type=Path))
@click.argument("carpeta", type=click.Path(path_type=Path))
@click.option("--salida", cls=Opcion, required=True, metavar="LIBRO.xlsx",
              type=click.Path(path_type=Path),
              help="El libro recogido: nuevo, nunca el libro del POA.")
@click.option("--reemplazar", is_flag=True,
              help="Reemplaza LIBRO.xlsx y el recepcion.csv a su lado si ya existen.")
def recoger(params: Path, carpeta: Path, salida: Path, reemplazar: bool):
    """Lee los formularios de seguimiento devueltos por las unidades (CARPETA) y escribe
    LIBRO.xlsx: el libro del POA de PARAMS con lo ejecutado, el medio de verificación y la
    justificación de cada formulario que cuenta, y la hoja recepcion con el registro de
    recepción (también en recepcion.csv a su lado). Dice cada unidad que falta, cada
    formulario fuera de plazo, duplicado, alterado o con valores no válidos (con una copia
    marcada). Termina con 0 si escribió el libro y con 2 si no (guía: docs/formularios.md)."""
    from helpers.formularios.recogida import recoger as recoger_formularios

    decir_si_esta_abierto(params)
    with _errores_de_formularios("No se recogieron los formularios", salida):
        recogida = recoger_formularios(params, carpeta, salida, reemplazar=reemplazar)
    salida_consola = consola()
    for recibido in recogida.recibidos:
        archivo = recibido.archivo or "(sin formulario)"
        motivo = f": {recibido.motivo}" if recibido.motivo else ""
        salida_consola.print(inerte(f"{recibido.codigo_unidad}, {archivo}: "
                                    f"{recibido.estado}{motivo}"))
        for problema in recibido.problemas:
            salida_consola.print(inerte(f"  - {problema}"))
    if recogida.libro is None:
        decir_error("Ningún formulario cuenta: no se escribió el libro recogido.")
        sys.exit(ERROR_DE_ENTRADA)
    n = len(recogida.cuentan())
    salida_consola.print(inerte(
        f"{n} {'formulario recogido' if n == 1 else 'formularios recogidos'} en "
        f"{recogida.libro}; el registro "
        f"de recepción, en su hoja recepcion y en {recogida.libro.parent / 'recepcion.csv'}."))
    for copia in recogida.revisados:
        salida_consola.print(inerte(f"Copia marcada: {copia}"))
    salida_consola.print(inerte(_resumen_de_observaciones(recogida)))
    if recogida.ronda > 1:
        salida_consola.print(inerte(_resumen_de_ronda(recogida)))


def _resumen_de_observaciones(recogida) -> str:
    """Cuántas observaciones se proponen, de cuántas unidades y por qué regla."""
    from helpers.formularios.observaciones import ESTADO_PROPUESTA, REGLAS
    from helpers.formularios.recogida import ARCHIVO_OBSERVACIONES

    propuestas = recogida.observaciones
    if propuestas is not None:
        propuestas = propuestas[propuestas["estado"] == ESTADO_PROPUESTA]
    if propuestas is None or propuestas.empty:
        return "Ninguna observación propuesta: ninguna cifra levanta una de las reglas."
    por_regla = propuestas.groupby("regla", sort=False).size()
    detalle = "; ".join(f"{REGLAS[r]}: {n}" for r, n in por_regla.items())
    unidades, n = propuestas["codigo_unidad"].nunique(), len(propuestas)
    return (f"{n} {'observación propuesta' if n == 1 else 'observaciones propuestas'} "
            f"en {unidades} {'unidad' if unidades == 1 else 'unidades'} ({detalle}): en la hoja "
            f"observaciones y en {recogida.libro.parent / ARCHIVO_OBSERVACIONES}.")


def _resumen_de_ronda(recogida) -> str:
    """Qué cambió desde la ronda anterior: las celdas de cada unidad."""
    por_unidad = recogida.cambios.groupby("codigo_unidad", sort=False).size()
    if por_unidad.empty:
        return f"Ronda {recogida.ronda}: ninguna cifra cambió desde la ronda anterior."
    detalle = ", ".join(f"{unidad} ({n} {'celda' if n == 1 else 'celdas'})"
                        for unidad, n in por_unidad.items())
    return (f"Ronda {recogida.ronda}: cambian las cifras de {detalle}; antes y después, en la "
            "hoja cambios_por_ronda del libro.")



def _fecha(_ctx, _param, valor: str | None):
    """Una fecha de la orden (AAAA-MM-DD o DD/MM/AAAA), o None."""
    from helpers.entrada.celdas import leer_fecha

    if valor is None:
        return None
    try:
        return leer_fecha(valor).date()
    except (ValueError, AttributeError):
        raise click.BadParameter(f"«{valor}» no es una fecha: escríbala AAAA-MM-DD o "
                                 "DD/MM/AAAA") from None


@click.command(cls=Orden, short_help="Devuelve a las unidades sus formularios observados.",
               epilog="Ejemplo: informe-poa devolver params/2024-T2.yaml recogido-2024-T2 "
                      "--plazo 2024-07-20 --cite UP/NI/0123/2024")
@click.argument("params", type=click.Path(path_type=Path))
@click.argument("carpeta", type=click.Path(path_type=Path))
@click.option("--plazo", metavar="FECHA", callback=_fecha,
              help="Hasta cuándo corrigen las unidades (por omisión, "
                   "recepcion.dias_para_corregir días después de hoy).")
@click.option("--cite", default="", metavar="TEXTO",
              help="El CITE de la nota de devolución.")
@click.option("--hoja-de-ruta", default="", metavar="TEXTO",
              help="La hoja de ruta de la nota de devolución.")
@click.option("--nota", default="", metavar="TEXTO",
              help="Lo que el planificador dice a las unidades.")
@click.option("--fecha", metavar="FECHA", callback=_fecha, hidden=True)
@click.option("--reemplazar", is_flag=True,
              help="Devuelve en esta ronda los de otras unidades (los ya devueltos quedan).")
def devolver(params: Path, carpeta: Path, plazo, cite: str, hoja_de_ruta: str, nota: str,
             fecha, reemplazar: bool):
    """Escribe, en CARPETA/devueltos-ronda-N/, el formulario de cada unidad con observaciones
    no descartadas en el observaciones.csv de CARPETA (la carpeta del libro recogido): con
    lo que envió, la nota de devolución, la columna observaciones y las celdas observadas en
    amarillo. Las unidades quedan «observado» en el registro (guía: docs/formularios.md)."""
    from helpers.formularios.devolucion import devolver as devolver_formularios

    with _errores_de_formularios("No se devolvieron los formularios", carpeta):
        devueltos = devolver_formularios(params, carpeta, plazo=plazo, cite=cite,
                                         hoja_ruta=hoja_de_ruta, nota=nota, fecha=fecha,
                                         reemplazar=reemplazar)
    salida = consola()
    if not devueltos.formularios:
        salida.print(inerte("Ninguna unidad tiene observaciones por devolver: no se escribió "
                            "nada."))
        return
    for unidad, ruta in devueltos.formularios.items():
        salida.print(inerte(f"{unidad}: {ruta}"))
    n = len(devueltos.formularios)
    salida.print(inerte(
        f"{n} {'formulario devuelto' if n == 1 else 'formularios devueltos'} con "
        f"{devueltos.observaciones} observaciones en {devueltos.carpeta}; plazo para "
        f"corregir: {devueltos.plazo:%d/%m/%Y}."))


@click.command(cls=Orden, short_help="Acepta, rechaza o reabre los formularios revisados.",
               epilog="Ejemplo: informe-poa aceptar params/2024-T2.yaml recogido-2024-T2 "
                      "UPL")
@click.argument("params", type=click.Path(path_type=Path))
@click.argument("carpeta", type=click.Path(path_type=Path))
@click.argument("unidades", nargs=-1)
@click.option("--rechazar", "decision", flag_value="rechazar",
              help="Rechaza las unidades: sus cifras no se toman.")
@click.option("--reabrir", "decision", flag_value="reabrir",
              help="Reabre unidades aceptadas o rechazadas: quedan observadas y se toma lo "
                   "que envíen.")
@click.option("--aceptar", "decision", flag_value="aceptar", default=True, hidden=True)
@click.option("--nota", default="", metavar="TEXTO", help="Por qué (queda en el registro).")
@click.option("--fecha", metavar="FECHA", callback=_fecha, hidden=True)
def aceptar(params: Path, carpeta: Path, unidades: tuple[str, ...], decision: str, nota: str,
            fecha):
    """Acepta las UNIDADES (o, sin ninguna, todas las recibidas, corregidas u observadas) en
    el libro recogido de CARPETA: su formulario queda cerrado y uno que llegue después se
    lista y no se toma. Con --rechazar o --reabrir, las rechaza o las reabre (guía:
    docs/formularios.md)."""
    from helpers.formularios.devolucion import aceptar as decidir

    with _errores_de_formularios("No se cambió la revisión", carpeta):
        hecho = decidir(params, carpeta, list(unidades), decision=decision, nota=nota,
                        fecha=fecha)
    salida = consola()
    if not hecho.unidades:
        salida.print(inerte("Ninguna unidad cambió de estado."))
    for unidad, antes, despues in hecho.unidades:
        salida.print(inerte(f"{unidad}: {antes} → {despues}"))
    if hecho.unidades and decision != "aceptar":
        salida.print(inerte("Las cifras del libro recogido siguen como estaban hasta que recoja "
                            "otra vez los formularios (informe-poa recoger ... --reemplazar)."))


ORDENES_DE_FORMULARIOS = (formularios, recoger, devolver, aceptar)
