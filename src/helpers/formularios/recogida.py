"""Los formularios de seguimiento llenos, recogidos en un libro nuevo: `informe-poa recoger
PARAMS CARPETA --salida LIBRO.xlsx` (docs/formularios.md).

- Entra: los parámetros de un informe trimestral con su clave `recepcion`, el libro del POA
  que nombran (el maestro, que nunca se escribe) y la carpeta con los formularios devueltos
  por las unidades (y, si está, su `recepcion.csv`).
- Sale: LIBRO.xlsx, nuevo (uno existente sólo con `reemplazar`), con las hojas del maestro y,
  en la hoja operaciones, lo ejecutado en cada mes del trimestre, el medio de verificación y
  la justificación de cada formulario que cuenta, fila por fila (la columna justificacion se
  agrega a la derecha si el maestro no la tiene); la hoja `recepcion` con el registro de
  recepción (`formularios.recoleccion`), que también va a `recepcion.csv` junto al libro; y, por
  cada formulario con valores no válidos, su copia marcada `<archivo>-revisado.xlsx` junto al
  libro, como la de `validar`.

Los mismos datos y formularios dan el mismo libro, byte a byte (la fecha del libro es la del
corte). El libro se escribe en un archivo temporal que toma su lugar sólo al final.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.comun.libro_para_llenar import (
    AJUSTE,
    FUENTE_ENCABEZADO,
    alto_de_fila,
    escribir_valor,
    texto_inerte,
)
from helpers.entrada.celdas import a_texto
from helpers.entrada.errores import ErrorDeEntrada, Problema, Revision
from helpers.entrada.lectura import hoja_del_libro
from helpers.formularios.envio import (
    SalidaNoValida,
    formularios_del_poa,
    parametros_de_seguimiento,
)
from helpers.formularios.libro import (
    COLUMNAS_DE_TEXTO,
    columnas_ejecutado,
    columnas_programado,
)
from helpers.formularios.observaciones import COLUMNAS as COLUMNAS_OBSERVACION
from helpers.formularios.observaciones import proponer
from helpers.formularios.recoleccion import (
    ARCHIVO_RECEPCION,
    Esperado,
    Estado,
    Recibido,
    clasificar,
    columnas_anteriores,
    fechas_de_recepcion,
    formularios_de_la_carpeta,
    leer_formulario,
    registro,
)
from helpers.formularios.rondas import (
    HOJA_CAMBIOS,
    RondaAnterior,
    acumulados,
    cambios,
    leer_ronda_anterior,
    numerar,
    valores_de_la_hoja,
)
from helpers.salida.anexo import guardar_libro
from helpers.salida.carpeta_informe import es_del_ejecutor
from helpers.salida.libro_revisado import es_revisado, escribir_revisado
from helpers.salida.tablas_csv import escribir_csv

__all__ = ["ARCHIVO_OBSERVACIONES", "HOJA_OBSERVACIONES", "HOJA_RECEPCION", "Recogida",
           "escribir_consolidado", "observaciones_propuestas", "recoger"]

HOJA_RECEPCION = "recepcion"
HOJA_OBSERVACIONES = "observaciones"
ARCHIVO_OBSERVACIONES = "observaciones.csv"
_HOJA_OPERACIONES = "operaciones"
_FORMATO_FECHA = "DD/MM/YYYY HH:MM"
# El ancho de cada columna de la hoja recepcion: la huella entera (64 caracteres) a la vista.
_ANCHOS_REGISTRO = {"codigo_unidad": 16, "archivo": 24, "fecha": 20, "hoja_ruta": 16,
                    "huella": 68, "estado": 30, "motivo": 80, "ronda": 8}
_ANCHOS_OBSERVACIONES = {"ronda": 8, "codigo_unidad": 16, "archivo": 24,
                         "codigo_operacion": 18, "regla": 22, "columna": 20, "valor": 30,
                         "mensaje": 80, "estado": 12}
_ANCHOS_CAMBIOS = {"ronda": 8, "codigo_unidad": 16, "codigo_operacion": 18, "columna": 20,
                   "antes": 40, "despues": 40}


@dataclass
class Recogida:
    """Lo que hizo `recoger`: el libro escrito (None si no se escribió), el registro de
    recepción, los archivos recibidos y las copias marcadas."""

    libro: Path | None
    registro: pd.DataFrame
    recibidos: list[Recibido]
    revisados: list[Path]
    ronda: int = 1
    # Las celdas del trimestre que cambiaron desde la ronda anterior (`formularios.rondas`).
    cambios: pd.DataFrame | None = None
    # Las observaciones propuestas de los formularios que cuentan (`formularios.observaciones`).
    observaciones: pd.DataFrame | None = None

    def cuentan(self) -> list[Recibido]:
        return [r for r in self.recibidos if r.estado in Estado.CUENTAN]


def _comprobar_salida(salida: Path, maestro: Path, carpeta: Path, reemplazar: bool) -> None:
    if salida.suffix.casefold() != ".xlsx":
        raise SalidaNoValida(f"{salida} no termina en .xlsx: el libro recogido es un libro "
                             "Excel; nómbrelo, por ejemplo, poa-recogido.xlsx")
    if salida.exists() and salida.resolve() == maestro.resolve():
        raise SalidaNoValida(f"{salida} es el libro del POA de los parámetros, que nunca se "
                             "reemplaza: elija otro nombre para el libro recogido")
    informe = _informe_que_la_contiene(salida)
    if informe is not None:
        raise SalidaNoValida(f"{salida} está dentro de la carpeta de un informe ({informe}), "
                             "que el programa reemplaza entera cada vez que genera ese "
                             "informe: el libro recogido y su historial de rondas se "
                             "borrarían; escríbalo en una carpeta fuera de ella")
    if salida.parent.resolve() == carpeta.resolve():
        raise SalidaNoValida(f"{salida} está en la carpeta de los formularios, junto a su "
                             f"{ARCHIVO_RECEPCION}: escriba el libro recogido en otra carpeta")
    for ruta in (salida, salida.parent / ARCHIVO_RECEPCION,
                 salida.parent / ARCHIVO_OBSERVACIONES):
        if ruta.exists() and not reemplazar:
            raise SalidaNoValida(f"ya existe {ruta} y no se reemplaza: elija otro nombre para "
                                 "el libro, o agregue --reemplazar")
        if ruta.exists() and not ruta.is_file():
            raise SalidaNoValida(f"{ruta} existe y no es un archivo")
    # El libro que ya está en `salida` se abre para tomar de él las rondas anteriores.
    desmedido = problema_de_tamano(salida) if salida.is_file() else None
    if desmedido:
        raise SalidaNoValida(f"ya existe {salida} y no se abre para tomar de él las rondas "
                             f"anteriores: {desmedido}")


def _informe_que_la_contiene(salida: Path) -> Path | None:
    """La carpeta de informe (o de lote) que contiene `salida`, después de los enlaces, o
    None: la corrida siguiente de ese informe la reemplaza entera
    (`salida.carpeta_informe`)."""
    for carpeta in Path(os.path.realpath(salida.absolute())).parents:
        if carpeta.is_dir() and es_del_ejecutor(carpeta):
            return carpeta
    return None


def _esperados(datos, parametros) -> dict[str, Esperado]:
    """El formulario que hoy se emitiría a cada unidad con operaciones (su programa)."""
    prog = columnas_programado(parametros.trimestre_corte)
    return {f.codigo_unidad: Esperado(f.codigo_unidad, list(zip(
        f.operaciones["codigo_operacion"].tolist(),
        f.operaciones[prog].to_numpy(dtype=float).tolist())))
        for f in formularios_del_poa(datos, parametros, presupuesto=False)}


def _columnas(hoja) -> dict[str, int]:
    """Nombre de columna -> su número, del encabezado (fila 1)."""
    columnas: dict[str, int] = {}
    for celda in hoja[1]:
        nombre = a_texto(celda.value).casefold()
        if nombre:
            columnas.setdefault(nombre, celda.column)
    return columnas


def _filas_de_operaciones(hoja, columna_codigo: int) -> dict[str, int]:
    filas: dict[str, int] = {}
    for (celda,) in hoja.iter_rows(min_row=2, min_col=columna_codigo, max_col=columna_codigo):
        codigo = a_texto(celda.value)
        if codigo:
            filas.setdefault(codigo, celda.row)
    return filas


def _celda_de_dato(valor):
    """Lo leído del formulario, para la celda: None si está vacío; un número entero sin
    decimales."""
    if isinstance(valor, str):
        return valor or None
    if valor is None or math.isnan(valor):
        return None
    return int(valor) if float(valor).is_integer() else float(valor)


def _copiar(hoja, recibidos: list[Recibido], sin_formulario: list[str], trimestre: int) -> None:
    """Lo que llenó cada unidad, en las filas de sus operaciones de la hoja operaciones; lo
    ejecutado del trimestre de las operaciones `sin_formulario` (unidades cuyo formulario no
    cuenta) queda vacío: sin reporte, como lo lee la metodología, y no la cifra del maestro."""
    columnas = _columnas(hoja)
    if "justificacion" not in columnas:
        columnas["justificacion"] = hoja.max_column + 1
        texto_inerte(hoja.cell(1, columnas["justificacion"]), "justificacion")
    filas = _filas_de_operaciones(hoja, columnas["codigo_operacion"])
    for codigo in sin_formulario:
        for columna in columnas_ejecutado(trimestre):
            hoja.cell(filas[codigo], columnas[columna]).value = None
    a_copiar = [*columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO]
    for recibido in recibidos:
        for registro_fila in recibido.valores.to_dict("records"):
            fila = filas[registro_fila["codigo_operacion"]]
            for columna in a_copiar:
                celda = hoja.cell(fila, columnas[columna])
                celda.value = None
                valor = _celda_de_dato(registro_fila[columna])
                if valor is not None:
                    escribir_valor(celda, valor)


def _hoja_de_tabla(libro, nombre: str, tabla: pd.DataFrame, anchos: dict[str, int]) -> None:
    """Una hoja nueva `nombre` (reemplaza la que hubiera) con `tabla`: encabezado en negrita
    y fijo; el texto, inerte; las fechas, como fechas."""
    anterior = hoja_del_libro(libro, nombre)
    if anterior is not None:
        libro.remove(anterior)
    hoja = libro.create_sheet(nombre)
    for j, columna in enumerate(tabla.columns, start=1):
        texto_inerte(hoja.cell(1, j), columna)
        hoja.cell(1, j).font = FUENTE_ENCABEZADO
        hoja.column_dimensions[get_column_letter(j)].width = anchos[columna]
    for i, fila in enumerate(tabla.itertuples(index=False), start=2):
        # El alto de la fila, por el texto más largo: sin él, LibreOffice no agranda la fila
        # y el texto ajustado tapa las de abajo.
        hoja.row_dimensions[i].height = alto_de_fila([("", 1)] + [
            (v, anchos[c]) for c, v in zip(tabla.columns, fila, strict=True)
            if isinstance(v, str) and v])
        for j, valor in enumerate(fila, start=1):
            celda = hoja.cell(i, j)
            celda.alignment = AJUSTE
            if isinstance(valor, dt.datetime):
                celda.value, celda.number_format = valor, _FORMATO_FECHA
            elif isinstance(valor, str):
                if valor:
                    texto_inerte(celda, valor)
            elif valor is not None and not pd.isna(valor):
                escribir_valor(celda, _celda_de_dato(valor))
    hoja.freeze_panes = "A2"


def _hoja_recepcion(libro, tabla: pd.DataFrame) -> None:
    """El registro, con la fecha de recepción como fecha de la hoja de cálculo."""
    fechas = [dt.datetime.fromisoformat(f) if f else None for f in tabla["fecha"]]
    _hoja_de_tabla(libro, HOJA_RECEPCION, tabla.assign(fecha=pd.Series(fechas, dtype=object)),
                   _ANCHOS_REGISTRO)


def _columnas_del_trimestre(trimestre: int) -> list[str]:
    return [*columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO]


def _con_cambios_en_el_motivo(tabla: pd.DataFrame, cambios: pd.DataFrame,
                              ronda: int) -> pd.DataFrame:
    """El motivo de la fila que decide cada unidad (la que cuenta, o la de la unidad sin
    formulario que cuente) dice cuántas celdas de sus operaciones cambiaron en esta ronda."""
    por_unidad = cambios.groupby("codigo_unidad", sort=False).size()
    tabla = tabla.copy()
    decide = ~tabla["estado"].isin([Estado.REEMPLAZADO])
    for unidad, n in por_unidad.items():
        filas = tabla.index[(tabla["codigo_unidad"] == unidad) & decide]
        aviso = (f"en la ronda {ronda} cambia{'n' if n != 1 else ''} {n} "
                 f"{'celdas' if n != 1 else 'celda'} de sus operaciones "
                 f"(hoja {HOJA_CAMBIOS})")
        for fila in filas[-1:]:
            motivo = tabla.at[fila, "motivo"]
            tabla.at[fila, "motivo"] = f"{motivo}; {aviso}" if motivo else aviso
    return tabla


def observaciones_propuestas(cuentan: list[Recibido], esperados: dict[str, Esperado],
                             datos, parametros) -> pd.DataFrame:
    """Las observaciones que se proponen de cada formulario que cuenta (las reglas de
    `formularios.observaciones`), con su unidad y su archivo, en estado «propuesta»."""
    trimestre = parametros.trimestre_corte
    ejecutado, programado = columnas_ejecutado(trimestre), columnas_programado(trimestre)
    anteriores = columnas_anteriores(trimestre)
    del_libro = datos.operaciones[["codigo_operacion", *anteriores]]
    motivos = datos.operaciones.get("no_aplica", pd.Series("", index=datos.operaciones.index))
    no_aplica = frozenset(datos.operaciones.loc[
        motivos.fillna("").astype(str).str.strip().ne(""), "codigo_operacion"])
    partes = []
    for recibido in cuentan:
        programa = pd.DataFrame(
            [(codigo, *meses) for codigo, meses in esperados[recibido.codigo_unidad].programa],
            columns=["codigo_operacion", *programado])
        propuestas = proponer(
            recibido.valores, programa, ejecutado, programado,
            factor=parametros.recepcion.factor_sobre_programado,
            umbral=parametros.metodologia.umbral_cumple,
            anteriores_formulario=recibido.anteriores,
            anteriores_libro=del_libro if anteriores else None, no_aplica=no_aplica)
        partes.append(propuestas.assign(codigo_unidad=recibido.codigo_unidad,
                                        archivo=recibido.archivo, estado="propuesta"))
    columnas = ["codigo_unidad", "archivo", *COLUMNAS_OBSERVACION, "estado"]
    if not partes:
        return pd.DataFrame(columns=columnas)
    return pd.concat(partes, ignore_index=True)[columnas]


def escribir_consolidado(maestro: Path, salida: Path, recibidos: list[Recibido],
                         esperados: dict[str, Esperado], tabla, parametros,
                         anterior: RondaAnterior | None = None,
                         observaciones: pd.DataFrame | None = None) -> Recogida:
    """Escribe en `salida` el libro maestro con lo de cada formulario que cuenta (y sin lo
    ejecutado del trimestre de las unidades `esperados` sin formulario que cuente), la hoja
    recepcion y, desde la segunda ronda (`anterior`), la hoja de los cambios de cada ronda; el
    maestro sólo se lee. Atómico: un temporal junto a `salida` toma su lugar. Devuelve el
    registro con su ronda y los cambios de esta ronda."""
    import openpyxl

    libro = openpyxl.load_workbook(maestro, keep_links=True, rich_text=True)
    cuentan = [r for r in recibidos if r.estado in Estado.CUENTAN]
    con_formulario = {r.codigo_unidad for r in cuentan}
    sin_formulario = [codigo for unidad, esperado in esperados.items()
                      if unidad not in con_formulario for codigo, _ in esperado.programa]
    operaciones = hoja_del_libro(libro, _HOJA_OPERACIONES)
    _copiar(operaciones, cuentan, sin_formulario, parametros.trimestre_corte)
    tabla["ronda"], ronda = numerar(tabla, anterior)
    de_la_ronda = cambios(anterior, valores_de_la_hoja(
        operaciones, _columnas_del_trimestre(parametros.trimestre_corte)), ronda)
    tabla = _con_cambios_en_el_motivo(tabla, de_la_ronda, ronda)
    _hoja_recepcion(libro, tabla)
    if observaciones is not None:
        observaciones = observaciones.assign(ronda=ronda)[
            ["ronda", *observaciones.columns]]
        _hoja_de_tabla(libro, HOJA_OBSERVACIONES, observaciones.astype(object),
                       _ANCHOS_OBSERVACIONES)
    if anterior is not None:
        _hoja_de_tabla(libro, HOJA_CAMBIOS, acumulados(anterior, de_la_ronda), _ANCHOS_CAMBIOS)
    fecha = dt.datetime.combine(parametros.fecha_corte, dt.time())
    libro.properties.created = libro.properties.modified = fecha
    libro.properties.lastModifiedBy = None
    salida.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(prefix=f".{salida.stem}.", suffix=".xlsx",
                                            dir=salida.parent)
    os.close(descriptor)
    try:
        guardar_libro(libro, Path(temporal), fecha)
        os.replace(temporal, salida)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
    return Recogida(salida, tabla, recibidos, [], ronda, de_la_ronda, observaciones)


def _destino_revisado(recibido: Recibido, carpeta: Path) -> Path:
    return carpeta / f"{recibido.ruta.stem}-revisado.xlsx"


def _comprobar_revisados(recibidos: list[Recibido], carpeta: Path) -> None:
    """Antes de escribir nada: la copia marcada de un formulario no reemplaza un archivo que
    no sea una copia marcada escrita por este programa."""
    for recibido in recibidos:
        if not recibido.problemas:
            continue
        destino = _destino_revisado(recibido, carpeta)
        if destino.exists() and not es_revisado(destino):
            raise SalidaNoValida(f"ya existe {destino} y no es una copia marcada escrita por "
                                 "informe-poa: no se reemplaza; muévalo o bórrelo")


def _revisados(recibidos: list[Recibido], carpeta: Path) -> list[Path]:
    """La copia marcada de cada formulario con valores no válidos, en `carpeta`."""
    escritos = []
    for recibido in recibidos:
        if not recibido.problemas:
            continue
        revision = Revision(errores=recibido.problemas, advertencias=[], datos=recibido.ruta,
                            parametros=None, mes_corte=None, celdas=recibido.celdas)
        copia = escribir_revisado(revision, _destino_revisado(recibido, carpeta))
        if copia is not None:
            escritos.append(copia)
    return escritos


def recoger(ruta_params: str | Path, carpeta: str | Path, salida: str | Path, *,
            reemplazar: bool = False) -> Recogida:
    """Lee los formularios de `carpeta` y, si alguno cuenta, escribe `salida` (y
    `recepcion.csv` y las copias marcadas a su lado). Un problema con los parámetros, el
    libro o `recepcion.csv` es un `ErrorDeEntrada`; con la carpeta o la salida,
    `SalidaNoValida`. Si ningún formulario cuenta no se escribe nada (`Recogida.libro`
    None)."""
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import comprobar_con_datos

    parametros = parametros_de_seguimiento(ruta_params)
    carpeta, salida = Path(carpeta).expanduser(), Path(salida).expanduser()
    maestro = Path(parametros.ruta_datos)
    if not carpeta.is_dir():
        raise SalidaNoValida(f"{carpeta} no es una carpeta: nombre la carpeta con los "
                             "formularios devueltos por las unidades")
    if not maestro.is_file() or maestro.suffix.casefold() not in (".xlsx", ".xlsm"):
        raise ErrorDeEntrada([Problema(Path(ruta_params).name, None, None, "datos", (
            f"dice {maestro}: recoger los formularios necesita el libro Excel del POA, no "
            "una carpeta de CSV"))])
    _comprobar_salida(salida, maestro, carpeta, reemplazar)
    datos = cargar_datos(maestro)
    comprobar_con_datos(parametros, datos, Path(ruta_params).name)
    esperados = _esperados(datos, parametros)
    fechas = fechas_de_recepcion(carpeta)
    leidos = [leer_formulario(r, esperados, parametros)
              for r in formularios_de_la_carpeta(carpeta)]
    recibidos = clasificar(leidos, esperados, fechas, parametros.recepcion)
    tabla = registro(recibidos)
    recogida = Recogida(None, tabla, recibidos, [])
    if not recogida.cuentan():
        return recogida
    _comprobar_revisados(recibidos, salida.parent)
    anterior = (leer_ronda_anterior(salida, _columnas_del_trimestre(parametros.trimestre_corte),
                                    HOJA_RECEPCION) if salida.is_file() else None)
    observaciones = observaciones_propuestas(recogida.cuentan(), esperados, datos, parametros)
    recogida = escribir_consolidado(maestro, salida, recibidos, esperados, tabla, parametros,
                                    anterior, observaciones)
    escribir_csv(recogida.registro, salida.parent / ARCHIVO_RECEPCION)
    escribir_csv(recogida.observaciones, salida.parent / ARCHIVO_OBSERVACIONES)
    recogida.revisados = _revisados(recibidos, salida.parent)
    return recogida
