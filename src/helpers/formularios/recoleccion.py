"""Los formularios de seguimiento llenos, leídos y clasificados para `informe-poa recoger`
(docs/formularios.md): qué formulario llegó de cada unidad, cuándo, y si se toma en cuenta.

Cada archivo `.xlsx` de la carpeta se lee con openpyxl (`leer_formulario`): su identidad
(`formularios.libro.leer_identidad`), su tabla comparada con la huella de su identidad y con
el programa vigente al corte (el formulario que hoy se emitiría a la unidad), y lo ejecutado,
la justificación y el medio de verificación, con los mensajes de `validar`. Después
`clasificar` decide, sin resolver nada en silencio: de dos archivos de una unidad cuenta el
último recibido (los dos se listan); uno recibido después del plazo se excluye o se incluye
según `recepcion.fuera_de_plazo`; una unidad sin formulario queda como faltante.

La fecha de recepción es la de `recepcion.csv` en la carpeta (`codigo_unidad`, `fecha`,
`hoja_ruta`), si la unidad está allí, y si no la de modificación del archivo.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.entrada.celdas import a_texto, leer_fecha, leer_numeros
from helpers.entrada.contrato import COLUMNAS_CONTRATO, ESTADOS_RECEPCION
from helpers.entrada.errores import Celda, ErrorDeEntrada, Problema
from helpers.entrada.esquemas import MENSAJE_NEGATIVO
from helpers.formularios.libro import (
    CLASE,
    COLUMNAS_DE_TEXTO,
    HOJA_ANTERIORES,
    HOJA_SEGUIMIENTO,
    LARGO_MAXIMO,
    VERSION,
    Identidad,
    columnas_de_seguimiento,
    columnas_ejecutado,
    columnas_programado,
    huella_del_programa,
    identidad_y_motivo,
)

__all__ = [
    "ARCHIVO_RECEPCION",
    "COLUMNAS_REGISTRO",
    "Esperado",
    "Estado",
    "Recibido",
    "clasificar",
    "columnas_anteriores",
    "fechas_de_recepcion",
    "formularios_de_la_carpeta",
    "leer_formulario",
    "registro",
]

ARCHIVO_RECEPCION = "recepcion.csv"
_COLUMNAS_CSV = ("codigo_unidad", "fecha", "hoja_ruta")
# Las columnas del registro: las de la hoja recepcion del contrato (la ronda la pone quien
# recoge, `formularios.rondas`).
COLUMNAS_REGISTRO = COLUMNAS_CONTRATO["recepcion"]


class Estado:
    """El estado de cada archivo (y de cada unidad sin archivo) en el registro: los de la
    hoja recepcion del contrato (`contrato.ESTADOS_RECEPCION`), con nombre."""

    (ACEPTADO, ACEPTADO_FUERA, EXCLUIDO_FUERA, REEMPLAZADO, ALTERADO, CON_ERRORES,
     FALTANTE) = ESTADOS_RECEPCION

    CUENTAN = (ACEPTADO, ACEPTADO_FUERA)


@dataclass(frozen=True)
class Esperado:
    """El formulario que corresponde hoy a una unidad: sus operaciones, en orden, con lo
    programado en cada mes del trimestre en el POA vigente al corte."""

    codigo_unidad: str
    programa: list[tuple[str, list[float]]]

    def huella(self, gestion: int, trimestre: int) -> str:
        return huella_del_programa(gestion, trimestre, self.codigo_unidad, self.programa)


@dataclass
class Recibido:
    """Un archivo de la carpeta, o una unidad sin archivo (`ruta` None), y lo que se decidió."""

    archivo: str
    ruta: Path | None
    codigo_unidad: str
    fecha: dt.datetime | None = None
    # La fecha de modificación del archivo: la de recepción si recepcion.csv no dice otra, y
    # el desempate entre dos archivos de una unidad con la misma fecha en recepcion.csv.
    modificado: dt.datetime | None = None
    hoja_ruta: str = ""
    huella: str = ""
    estado: str = ""
    motivo: str = ""
    # Lo que se observa de un archivo aunque cuente (va al motivo del registro, después).
    observaciones: list[str] = field(default_factory=list)
    # codigo_operacion y las columnas que llena la unidad, si se leyeron sin problemas.
    valores: pd.DataFrame | None = None
    # codigo_operacion y lo ejecutado de los meses anteriores al trimestre, como los dice la
    # hoja de referencia del formulario (None sin ella): las observaciones propuestas miran
    # si la unidad los cambió.
    anteriores: pd.DataFrame | None = None
    problemas: list[Problema] = field(default_factory=list)
    celdas: dict[Problema, Celda] = field(default_factory=dict)
    # La revisión del formulario (`formularios.revision`): su estado, el plazo para corregir,
    # cuándo cambió y la nota del planificador; y si sus cifras se toman.
    revision: str = ""
    plazo_correccion: dt.date | None = None
    fecha_revision: dt.date | None = None
    nota_revision: str = ""
    se_toma: bool = True
    # La ronda en que llegó, si viene del libro recogido anterior (un formulario aceptado).
    ronda: int | None = None

    @property
    def cuenta(self) -> bool:
        """Si sus cifras entran en el libro recogido."""
        return self.estado in Estado.CUENTAN and self.se_toma


# --------------------------------------------------------------------------------------
# La carpeta y la fecha de recepción

# Lo que agregan al nombre una descarga repetida o una copia: «UPL (1)», «UPL - copia».
_COPIA = re.compile(r"(\s*\(\d+\)|\s+-\s+copia(\s*\(\d+\))?)$", re.IGNORECASE)


def formularios_de_la_carpeta(carpeta: Path) -> list[Path]:
    """Los `.xlsx` de la carpeta, por nombre, sin los archivos de bloqueo de una hoja de
    cálculo abierta (`~$...`, `.~lock...`) ni las copias marcadas de una revisión."""
    return sorted((r for r in carpeta.iterdir()
                   if r.is_file() and r.suffix.casefold() == ".xlsx"
                   and not r.name.startswith(("~$", ".")) and not r.stem.endswith("-revisado")),
                  key=lambda r: r.name)


def fechas_de_recepcion(carpeta: Path) -> dict[str, tuple[dt.datetime, str]]:
    """codigo_unidad -> (fecha, hoja de ruta) de `recepcion.csv` en la carpeta (vacío si no
    está). Un problema con el archivo es un `ErrorDeEntrada` con su fila y columna."""
    ruta = carpeta / ARCHIVO_RECEPCION
    if not ruta.is_file():
        return {}
    with ruta.open(encoding="utf-8-sig", newline="") as archivo:
        filas = list(csv.reader(archivo))
    encabezado = [a_texto(c) for c in (filas[0] if filas else [])]
    faltan = [c for c in _COLUMNAS_CSV[:2] if c not in encabezado]
    if faltan:
        raise ErrorDeEntrada([Problema(ARCHIVO_RECEPCION, None, 1, None, (
            f"le falta la columna {', '.join(faltan)}: la primera fila debe decir "
            f"{','.join(_COLUMNAS_CSV)} (hoja_ruta es opcional)"))])
    problemas, fechas = [], {}
    for numero, fila in enumerate(filas[1:], start=2):
        valores = dict(zip(encabezado, (a_texto(c) for c in fila)))
        codigo = valores.get("codigo_unidad", "")
        if not codigo and not valores.get("fecha"):
            continue
        try:
            fecha = leer_fecha(valores.get("fecha", ""))
        except ValueError as error:
            problemas.append(Problema(ARCHIVO_RECEPCION, None, numero, "fecha", str(error)))
            continue
        if fecha is None or not codigo:
            columna = "fecha" if fecha is None else "codigo_unidad"
            problemas.append(Problema(ARCHIVO_RECEPCION, None, numero, columna,
                                      "la celda está vacía y el dato es obligatorio"))
            continue
        fechas[codigo] = (fecha.to_pydatetime(), valores.get("hoja_ruta", ""))
    if problemas:
        raise ErrorDeEntrada(problemas)
    return fechas


def _unidad_del_nombre(ruta: Path) -> str:
    """UPL (1).xlsx, «UPL - copia.xlsx» -> UPL: la unidad de un archivo sin identidad."""
    return _COPIA.sub("", ruta.stem) or ruta.stem


# --------------------------------------------------------------------------------------
# Un formulario


def leer_formulario(ruta: Path, esperados: dict[str, Esperado], parametros) -> Recibido:
    """Lee un formulario lleno y dice si está alterado (estado `ALTERADO`, con la celda en el
    motivo), si tiene valores no válidos (`CON_ERRORES`, con sus `problemas`) o si se puede
    tomar (estado vacío, con sus `valores`); la fecha y el estado final los pone
    `clasificar`."""
    import openpyxl

    modificado = dt.datetime.fromtimestamp(ruta.stat().st_mtime).replace(microsecond=0)
    with ruta.open("rb") as archivo:  # en flujo: un archivo enorme no entra entero en memoria
        huella = hashlib.file_digest(archivo, "sha256").hexdigest()
    recibido = Recibido(ruta.name, ruta, _unidad_del_nombre(ruta), modificado=modificado,
                        huella=huella)
    desmedido = problema_de_tamano(ruta)
    if desmedido:
        return _alterado(recibido, desmedido)
    try:
        libro = openpyxl.load_workbook(ruta, data_only=True)
    except Exception:  # noqa: BLE001 - no es un ZIP de Office, cifrado, dañado...
        return _alterado(recibido, "no se puede abrir como libro .xlsx: pida a la unidad que "
                                   "lo guarde otra vez como «Excel 2007-365»")
    identidad, motivo = identidad_y_motivo(libro)
    if identidad is not None:
        recibido.codigo_unidad = identidad.codigo_unidad
        _observar_nombre(recibido, ruta, esperados)
    motivo = motivo or _motivo_de_identidad(identidad, esperados, parametros)
    if motivo is None:
        filas, debajo = _tabla(libro, identidad)
        motivo = (_motivo_de_tabla(filas, identidad, esperados[identidad.codigo_unidad])
                  or _motivo_de_debajo(debajo))
    if motivo is not None:
        return _alterado(recibido, motivo)
    recibido.observaciones += _observaciones_de_debajo(debajo)
    _leer_valores(recibido, filas, identidad)
    recibido.anteriores = _leer_anteriores(libro, identidad.trimestre)
    return recibido


def columnas_anteriores(trimestre: int) -> list[str]:
    """Lo ejecutado de los meses del año anteriores al trimestre: ejec_01 a ejec_03 en el
    segundo."""
    primero = columnas_ejecutado(trimestre)[0]
    return [c for c in COLUMNAS_CONTRATO["operaciones"]
            if c.startswith("ejec_") and c < primero]


def _leer_anteriores(libro, trimestre: int) -> pd.DataFrame | None:
    """La hoja de meses anteriores del formulario: codigo_operacion y lo ejecutado de cada
    mes anterior al trimestre (un valor que no es número, NaN)."""
    columnas = columnas_anteriores(trimestre)
    if not columnas or HOJA_ANTERIORES not in libro.sheetnames:
        return None
    filas = list(libro[HOJA_ANTERIORES].iter_rows(values_only=True))
    if not filas:
        return None
    encabezado = [a_texto(v) for v in filas[0]]
    if "codigo_operacion" not in encabezado:
        return None
    cuerpo = [f for f in filas[1:] if a_texto(f[encabezado.index("codigo_operacion")])]
    tabla = {"codigo_operacion": [a_texto(f[encabezado.index("codigo_operacion")])
                                  for f in cuerpo]}
    for columna in columnas:
        crudos = [f[encabezado.index(columna)] if columna in encabezado else None
                  for f in cuerpo]
        tabla[columna] = leer_numeros(crudos)[0]
    return pd.DataFrame(tabla)


def _observar_nombre(recibido: Recibido, ruta: Path, esperados: dict[str, Esperado]) -> None:
    """Un archivo con el nombre de una unidad (`UPL.xlsx`) que trae el formulario de otra:
    cuenta para la de su hoja identidad, y el registro lo dice."""
    del_nombre = _unidad_del_nombre(ruta)
    if del_nombre in esperados and del_nombre != recibido.codigo_unidad:
        recibido.observaciones.append(
            f"el archivo lleva el nombre de la unidad {del_nombre} y su hoja identidad es de "
            f"{recibido.codigo_unidad}: se toma como de {recibido.codigo_unidad}")


def _alterado(recibido: Recibido, motivo: str) -> Recibido:
    recibido.estado, recibido.motivo = Estado.ALTERADO, motivo
    return recibido


def _motivo_de_identidad(identidad: Identidad | None, esperados: dict[str, Esperado],
                         parametros) -> str | None:
    if identidad is None:
        return ("no es un formulario de seguimiento: no tiene la hoja identidad, o le falta "
                "un dato")
    if (identidad.clase, identidad.version) != (CLASE, VERSION):
        return (f"su hoja identidad dice «{identidad.clase}», versión {identidad.version}: no "
                "es un formulario de seguimiento de esta versión")
    periodo = (identidad.entidad, identidad.gestion, identidad.trimestre)
    pedido = (parametros.entidad.sigla, parametros.gestion, parametros.trimestre_corte)
    if periodo != pedido:
        return (f"es de {identidad.entidad}, gestión {identidad.gestion}, trimestre "
                f"{identidad.trimestre}; se recogen los de {pedido[0]}, gestión {pedido[1]}, "
                f"trimestre {pedido[2]}")
    if identidad.codigo_unidad not in esperados:
        return (f"es de la unidad {identidad.codigo_unidad}, que no tiene operaciones en el "
                "POA vigente al corte")
    return None


def _tabla(libro, identidad: Identidad) -> tuple[list[tuple], dict[tuple[int, int], object]]:
    """Las filas de la hoja seguimiento desde el encabezado, hasta la última operación de la
    identidad y una fila más (para ver si se agregó una operación), o hasta la primera fila
    sin código; y las celdas con valor debajo de la tabla ((fila, columna) -> valor)."""
    if HOJA_SEGUIMIENTO not in libro.sheetnames:
        return [], {}
    columnas = len(columnas_de_seguimiento(identidad.trimestre))
    desde = identidad.fila_encabezado
    valores = _con_valor(libro[HOJA_SEGUIMIENTO], desde, columnas)
    filas = []
    for fila in range(desde, desde + identidad.operaciones + 2):
        filas.append(tuple(valores.get((fila, j)) for j in range(1, columnas + 1)))
        if fila > desde and not a_texto(filas[-1][0]):
            break
    ultima = desde + identidad.operaciones
    return filas, {celda: v for celda, v in valores.items() if celda[0] > ultima}


def _con_valor(hoja, desde: int, columnas: int) -> dict[tuple[int, int], object]:
    """(fila, columna) -> valor de cada celda con valor de `hoja` desde la fila `desde`, en las
    primeras `columnas` columnas. Sólo las que trae el libro: `iter_rows` crea cada celda
    vacía del rango pedido, y una hoja identidad armada a propósito pide un millón de filas
    (minutos y gigabytes). openpyxl ya las leyó todas al abrir el libro."""
    celdas = getattr(hoja, "_cells", {})  # una hoja de gráfico no tiene celdas
    return {(f, j): celda.value for (f, j), celda in celdas.items()
            if f >= desde and j <= columnas and celda.value not in (None, "")}


def _celda(identidad: Identidad, indice_fila: int, indice_columna: int) -> str:
    """La celda de la hoja seguimiento de la fila `indice_fila` de la tabla (0: encabezado)."""
    return f"{get_column_letter(indice_columna + 1)}{identidad.fila_encabezado + indice_fila}"


def _programa_de_la_tabla(filas: list[tuple], identidad: Identidad
                          ) -> list[tuple[str, list]] | None:
    posiciones = [columnas_de_seguimiento(identidad.trimestre).index(c)
                  for c in columnas_programado(identidad.trimestre)]
    programa = []
    for fila in filas[1:identidad.operaciones + 1]:
        try:
            programa.append((a_texto(fila[0]), [float(fila[p]) for p in posiciones]))
        except (TypeError, ValueError):
            return None
    return programa


def _motivo_de_tabla(filas: list[tuple], identidad: Identidad,
                     esperado: Esperado) -> str | None:
    """Por qué la tabla no es la emitida o no es la del programa vigente, con la celda; None
    si lo es."""
    columnas = columnas_de_seguimiento(identidad.trimestre)
    if not filas:
        return f"no tiene la hoja {HOJA_SEGUIMIENTO}"
    for j, columna in enumerate(columnas):
        dice = a_texto(filas[0][j] if j < len(filas[0]) else None)
        if dice != columna:
            return (f"hoja {HOJA_SEGUIMIENTO}, celda {_celda(identidad, 0, j)}: el encabezado "
                    f"dice «{dice}» y debe decir «{columna}»; se cambió la tabla del "
                    "formulario")
    if len(filas) <= identidad.operaciones + 1 and not a_texto(filas[-1][0]):
        return (f"hoja {HOJA_SEGUIMIENTO}, celda {_celda(identidad, len(filas) - 1, 0)}: no "
                f"tiene código, y la hoja identidad dice que la tabla tiene "
                f"{identidad.operaciones} operaciones; se borró un código o se cambió la hoja "
                "identidad")
    programa = _programa_de_la_tabla(filas, identidad)
    huella = None if programa is None else huella_del_programa(
        identidad.gestion, identidad.trimestre, identidad.codigo_unidad, programa)
    if huella != identidad.huella_programa:
        return _diferencia(filas, identidad, esperado, "se cambió un código, lo programado o "
                           "una fila del formulario (su tabla no da la huella de su identidad)")
    if huella != esperado.huella(identidad.gestion, identidad.trimestre):
        return _diferencia(filas, identidad, esperado, "se emitió con otro programa: hubo una "
                           "reformulación después; envíe a la unidad un formulario nuevo")
    return None


def _motivo_de_debajo(debajo: dict[tuple[int, int], object]) -> str | None:
    """Un código debajo de la última operación (también después de filas en blanco): se
    agregó una operación, que no se puede tomar."""
    codigos = sorted(f for f, j in debajo if j == 1)
    if not codigos:
        return None
    return (f"hoja {HOJA_SEGUIMIENTO}, celda A{codigos[0]}: se agregó una operación después "
            "de la última del formulario")


def _observaciones_de_debajo(debajo: dict[tuple[int, int], object]) -> list[str]:
    """Datos sin código debajo de la tabla (una nota, un total): no se leen, y el registro
    lo dice con la primera celda."""
    if not debajo:
        return []
    fila, j = min(debajo)
    return [f"hoja {HOJA_SEGUIMIENTO}, celda {get_column_letter(j)}{fila}: dice "
            f"«{a_texto(debajo[fila, j])}» debajo de la tabla, sin código de operación; no "
            "se lee"]


def _diferencia(filas: list[tuple], identidad: Identidad, esperado: Esperado,
                motivo: str) -> str:
    """El motivo con la primera celda cuyo código o programado no es el del programa
    vigente."""
    columnas = columnas_de_seguimiento(identidad.trimestre)
    posiciones = [0, *(columnas.index(c) for c in columnas_programado(identidad.trimestre))]
    cuerpo = filas[1:identidad.operaciones + 1]
    for i, (fila, (codigo, programado)) in enumerate(zip(cuerpo, esperado.programa), start=1):
        for posicion, valor in zip(posiciones, [codigo, *programado]):
            if not _igual(fila[posicion], valor):
                return (f"hoja {HOJA_SEGUIMIENTO}, celda {_celda(identidad, i, posicion)}: "
                        f"dice «{a_texto(fila[posicion])}» y el programa vigente, "
                        f"«{a_texto(valor)}»; {motivo}")
    if len(cuerpo) != len(esperado.programa):
        fila = min(len(cuerpo), len(esperado.programa)) + 1
        return (f"hoja {HOJA_SEGUIMIENTO}, fila {identidad.fila_encabezado + fila}: el "
                f"formulario tiene {len(cuerpo)} operaciones y el programa vigente "
                f"{len(esperado.programa)}; {motivo}")
    return f"hoja {HOJA_SEGUIMIENTO}: {motivo}"


def _igual(celda, valor) -> bool:
    if isinstance(valor, str):
        return a_texto(celda) == valor
    try:
        return abs(float(celda) - float(valor)) <= 1e-9 * max(1.0, abs(float(valor)))
    except (TypeError, ValueError):
        return False


def _leer_valores(recibido: Recibido, filas: list[tuple], identidad: Identidad) -> None:
    """Lo ejecutado (números no negativos, como en `validar`) y los textos (hasta su largo
    máximo) de la tabla; con un problema, el estado `CON_ERRORES`."""
    columnas = columnas_de_seguimiento(identidad.trimestre)
    cuerpo = filas[1:identidad.operaciones + 1]
    valores = {"codigo_operacion": [a_texto(f[0]) for f in cuerpo]}
    for columna in columnas_ejecutado(identidad.trimestre):
        j = columnas.index(columna)
        crudos = [f[j] for f in cuerpo]
        numeros, _, errores = leer_numeros(crudos)
        errores += [(i, MENSAJE_NEGATIVO.format(valor=a_texto(crudos[i])))
                    for i in range(len(crudos)) if numeros[i] < 0]
        for i, mensaje in errores:
            _problema(recibido, identidad, i + 1, j, columna, crudos[i], mensaje)
        valores[columna] = numeros
    for columna in COLUMNAS_DE_TEXTO:
        j = columnas.index(columna)
        textos = [a_texto(f[j]) for f in cuerpo]
        for i, texto in enumerate(textos):
            if len(texto) > LARGO_MAXIMO[columna]:
                _problema(recibido, identidad, i + 1, j, columna, texto,
                          f"tiene {len(texto)} caracteres: debe tener hasta "
                          f"{LARGO_MAXIMO[columna]}; acórtelo")
        valores[columna] = textos
    if recibido.problemas:
        recibido.estado = Estado.CON_ERRORES
        n = len(recibido.problemas)
        recibido.motivo = (f"{n} {'valor no válido' if n == 1 else 'valores no válidos'}; la "
                           "copia marcada del formulario dice cuáles")
    else:
        recibido.valores = pd.DataFrame(valores)


def _problema(recibido: Recibido, identidad: Identidad, indice_fila: int, j: int,
              columna: str, valor, mensaje: str) -> None:
    fila = identidad.fila_encabezado + indice_fila
    problema = Problema(recibido.archivo, HOJA_SEGUIMIENTO, fila, columna, mensaje)
    recibido.problemas.append(problema)
    recibido.celdas[problema] = Celda(get_column_letter(j + 1), a_texto(valor))


# --------------------------------------------------------------------------------------
# Qué cuenta


def clasificar(recibidos: Sequence[Recibido], esperados: dict[str, Esperado],
               fechas: dict[str, tuple[dt.datetime, str]], recepcion,
               plazos: dict[str, dt.date] | None = None) -> list[Recibido]:
    """Pone a cada archivo su fecha de recepción y su estado final (duplicado, fuera de
    plazo, aceptado) y agrega una fila `FALTANTE` por unidad esperada sin archivo; en el
    orden de las unidades esperadas y, dentro de cada una, por fecha. El plazo es el de
    `recepcion`, salvo el de las unidades de `plazos` (las que corrigen un formulario
    devuelto: su plazo para corregir)."""
    plazos = plazos or {}
    for recibido in recibidos:
        recibido.fecha, recibido.hoja_ruta = fechas.get(recibido.codigo_unidad,
                                                        (recibido.modificado, ""))
    por_unidad: dict[str, list[Recibido]] = {}
    for recibido in sorted(recibidos, key=lambda r: (r.fecha, r.modificado, r.archivo)):
        por_unidad.setdefault(recibido.codigo_unidad, []).append(recibido)
    for unidad, archivos in por_unidad.items():
        _decidir(archivos, recepcion, plazos.get(unidad))
    orden = {codigo: i for i, codigo in enumerate(esperados)}
    faltantes = [Recibido("", None, codigo, estado=Estado.FALTANTE,
                          motivo="no se recibió su formulario")
                 for codigo in esperados if codigo not in por_unidad]
    todos = [r for archivos in por_unidad.values() for r in archivos] + faltantes
    return sorted(todos, key=lambda r: (orden.get(r.codigo_unidad, len(orden)),
                                        r.codigo_unidad, r.fecha or dt.datetime.max))


def _decidir(archivos: list[Recibido], recepcion, plazo: dt.date | None = None) -> None:
    """Los archivos de una unidad, por fecha: cuenta el último; los anteriores se listan."""
    plazo = plazo or recepcion.plazo
    *anteriores, ultimo = archivos
    for anterior in anteriores:
        motivo = f"la unidad envió después {ultimo.archivo}: cuenta el último recibido"
        anterior.motivo = f"{anterior.motivo}; {motivo}" if anterior.estado else motivo
        anterior.estado = Estado.REEMPLAZADO
    if ultimo.estado:
        return
    if ultimo.fecha.date() <= plazo:
        ultimo.estado = Estado.ACEPTADO
        return
    tarde = f"recibido el {ultimo.fecha:%d/%m/%Y}, después del plazo ({plazo:%d/%m/%Y})"
    if recepcion.fuera_de_plazo == "incluir":
        ultimo.estado, ultimo.motivo = Estado.ACEPTADO_FUERA, f"{tarde}; se incluye"
    else:
        ultimo.estado, ultimo.motivo = Estado.EXCLUIDO_FUERA, f"{tarde}; no se toma en cuenta"


def registro(recibidos: Sequence[Recibido]) -> pd.DataFrame:
    """El registro de recepción: una fila por archivo y por unidad faltante."""
    return pd.DataFrame(
        [[r.codigo_unidad, r.archivo, "" if r.fecha is None else r.fecha.isoformat(sep=" "),
          r.hoja_ruta, r.huella, r.estado, "; ".join(filter(None, [r.motivo, *r.observaciones])),
          r.ronda or 1, r.revision, _fecha(r.plazo_correccion), _fecha(r.fecha_revision),
          r.nota_revision] for r in recibidos],
        columns=COLUMNAS_REGISTRO)


def _fecha(fecha: dt.date | None) -> str:
    return "" if fecha is None else fecha.isoformat()
