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
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.comun.libro_comprimido import problema_de_tamano
from helpers.comun.libro_para_llenar import (
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
from helpers.formularios.evidencias import (
    ARCHIVO_EVIDENCIAS,
    CARPETA_EVIDENCIAS,
    HOJA_EVIDENCIAS,
    buscar,
    comprobar_destino,
    copiar,
    tabla_de_evidencias,
)
from helpers.formularios.hojas import (
    ARCHIVO_OBSERVACIONES,
    COLUMNAS_OBSERVACIONES,
    HOJA_OBSERVACIONES,
    HOJA_RECEPCION,
    celda_de_dato,
    guardar_en_su_lugar,
    hoja_de_tabla,
    hoja_recepcion,
    leer_observaciones,
)
from helpers.formularios.libro import (
    COLUMNAS_DE_TEXTO,
    columnas_del_trimestre,
    columnas_ejecutado,
    columnas_programado,
)
from helpers.formularios.observaciones import ESTADO_PROPUESTA, REGLA_PLANIFICADOR, proponer
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
from helpers.formularios.revision import (
    COLUMNAS_REVISIONES,
    HOJA_REVISIONES,
    EstadoRevision,
    Transicion,
    leer_anterior,
    plazos_para_corregir,
    revisar,
    transiciones_a_tabla,
)
from helpers.formularios.rondas import (
    HOJA_CAMBIOS,
    RondaAnterior,
    acumulados,
    cambios,
    numerar,
    valores_de_la_hoja,
)
from helpers.salida.carpeta_informe import es_del_ejecutor
from helpers.salida.libro_revisado import es_revisado, escribir_revisado
from helpers.salida.tablas_csv import escribir_csv

__all__ = ["ARCHIVO_OBSERVACIONES", "HOJA_OBSERVACIONES", "HOJA_RECEPCION", "Recogida",
           "escribir_consolidado", "observaciones_propuestas", "recoger"]

_HOJA_OPERACIONES = "operaciones"


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
    # Las evidencias que mandaron las unidades, recibidas o no (`formularios.evidencias`).
    evidencias: pd.DataFrame | None = None

    def cuentan(self) -> list[Recibido]:
        """Los formularios cuyas cifras entran en el libro (`Recibido.cuenta`)."""
        return [r for r in self.recibidos if r.cuenta]


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
                 salida.parent / ARCHIVO_OBSERVACIONES, salida.parent / ARCHIVO_EVIDENCIAS):
        if ruta.exists() and not reemplazar:
            raise SalidaNoValida(f"ya existe {ruta} y no se reemplaza: elija otro nombre para "
                                 "el libro, o agregue --reemplazar")
        if ruta.exists() and not ruta.is_file():
            raise SalidaNoValida(f"{ruta} existe y no es un archivo")
    destino = comprobar_destino(salida.parent / CARPETA_EVIDENCIAS)
    if destino:
        raise SalidaNoValida(destino)
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
                valor = celda_de_dato(registro_fila[columna])
                if valor is not None:
                    escribir_valor(celda, valor)


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
        if recibido.revision == EstadoRevision.ACEPTADO:
            continue  # ya se aceptó: no se propone nada
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
                                        archivo=recibido.archivo, huella=recibido.huella,
                                        estado=ESTADO_PROPUESTA))
    columnas = COLUMNAS_OBSERVACIONES[1:]
    if not partes:
        return pd.DataFrame(columns=columnas)
    return pd.concat(partes, ignore_index=True)[columnas]


def _observaciones_acumuladas(anteriores: pd.DataFrame | None,
                              nuevas: pd.DataFrame) -> pd.DataFrame:
    """Las observaciones de antes que ya se decidieron (confirmadas, descartadas, devueltas)
    o que escribió el planificador, y las nuevas de esta ronda, sin las que repiten una de
    antes del mismo archivo (la misma huella): las propuestas sin decidir se vuelven a
    proponer."""
    if anteriores is None or anteriores.empty:
        return nuevas
    anteriores = anteriores.reindex(columns=nuevas.columns).fillna("")
    quedan = anteriores[(anteriores["estado"].map(a_texto) != ESTADO_PROPUESTA)
                        | (anteriores["regla"].map(a_texto) == REGLA_PLANIFICADOR)]
    clave = ["codigo_unidad", "huella", "codigo_operacion", "regla", "columna"]
    vistas = set(quedan[clave].map(a_texto).itertuples(index=False, name=None))
    repetidas = nuevas[clave].map(a_texto).apply(tuple, axis=1).isin(vistas)
    return pd.concat([quedan, nuevas[~repetidas]], ignore_index=True)


def observaciones_anteriores(salida: Path, anterior: RondaAnterior | None) -> pd.DataFrame | None:
    """Las observaciones de la ronda anterior: las de observaciones.csv junto al libro, que
    el planificador revisa (si está), y si no las de la hoja del libro."""
    csv = salida.parent / ARCHIVO_OBSERVACIONES
    if csv.is_file() and anterior is not None:
        return leer_observaciones(csv).drop(columns="fila")
    return anterior.hojas.get(HOJA_OBSERVACIONES) if anterior is not None else None


def _revisiones_acumuladas(anterior: RondaAnterior | None,
                           nuevas: pd.DataFrame) -> pd.DataFrame:
    previas = anterior.hojas.get(HOJA_REVISIONES) if anterior is not None else None
    if previas is None or previas.empty:
        return nuevas
    return pd.concat([previas.reindex(columns=COLUMNAS_REVISIONES).fillna(""), nuevas],
                     ignore_index=True)


def _evidencias_por_ronda(anterior: RondaAnterior | None, evidencias: pd.DataFrame,
                          ronda: int) -> pd.DataFrame:
    """Las evidencias con la ronda en que llegó cada una: la de la ronda anterior si ya
    estaba (el mismo lugar y la misma huella), si no esta."""
    previas = anterior.hojas.get(HOJA_EVIDENCIAS) if anterior is not None else None
    vistas = {}
    if previas is not None and not previas.empty:
        for fila in previas.to_dict("records"):
            clave = (a_texto(fila.get("archivo")), a_texto(fila.get("huella")))
            vistas[clave] = int(pd.to_numeric(fila.get("ronda"), errors="coerce") or ronda)
    rondas = [vistas.get((a_texto(a), a_texto(h)), ronda)
              for a, h in zip(evidencias["archivo"], evidencias["huella"])]
    return evidencias.assign(ronda=rondas)[["ronda", *evidencias.columns]]


def escribir_consolidado(maestro: Path, salida: Path, recibidos: list[Recibido],
                         esperados: dict[str, Esperado], tabla, parametros,
                         anterior: RondaAnterior | None = None,
                         observaciones: pd.DataFrame | None = None,
                         transiciones: list[Transicion] | None = None,
                         evidencias: pd.DataFrame | None = None) -> Recogida:
    """Escribe en `salida` el libro maestro con lo de cada formulario que cuenta (y sin lo
    ejecutado del trimestre de las unidades `esperados` sin formulario que cuente), la hoja
    recepcion, las observaciones y las revisiones (las de las rondas anteriores y las de esta)
    y, desde la segunda ronda (`anterior`), la hoja de los cambios de cada ronda; el
    maestro sólo se lee. Atómico: un temporal junto a `salida` toma su lugar. Devuelve el
    registro con su ronda y los cambios de esta ronda."""
    import openpyxl

    libro = openpyxl.load_workbook(maestro, keep_links=True, rich_text=True)
    cuentan = [r for r in recibidos if r.cuenta]
    con_formulario = {r.codigo_unidad for r in cuentan}
    sin_formulario = [codigo for unidad, esperado in esperados.items()
                      if unidad not in con_formulario for codigo, _ in esperado.programa]
    operaciones = hoja_del_libro(libro, _HOJA_OPERACIONES)
    _copiar(operaciones, cuentan, sin_formulario, parametros.trimestre_corte)
    tabla["ronda"], ronda = numerar(tabla, anterior)
    de_la_ronda = cambios(anterior, valores_de_la_hoja(
        operaciones, columnas_del_trimestre(parametros.trimestre_corte)), ronda)
    tabla = _con_cambios_en_el_motivo(tabla, de_la_ronda, ronda)
    hoja_recepcion(libro, tabla)
    if observaciones is not None:
        observaciones = _observaciones_acumuladas(
            observaciones_anteriores(salida, anterior),
            observaciones.assign(ronda=ronda)[["ronda", *observaciones.columns]])
        hoja_de_tabla(libro, HOJA_OBSERVACIONES, observaciones.astype(object))
    hoja_de_tabla(libro, HOJA_REVISIONES, _revisiones_acumuladas(
        anterior, transiciones_a_tabla(transiciones or [], ronda)).astype(object))
    if evidencias is not None:
        evidencias = _evidencias_por_ronda(anterior, evidencias, ronda)
        hoja_de_tabla(libro, HOJA_EVIDENCIAS, evidencias.astype(object))
    if anterior is not None:
        hoja_de_tabla(libro, HOJA_CAMBIOS, acumulados(anterior, de_la_ronda))
    fecha = dt.datetime.combine(parametros.fecha_corte, dt.time())
    libro.properties.created = libro.properties.modified = fecha
    libro.properties.lastModifiedBy = None
    guardar_en_su_lugar(libro, salida, fecha)
    return Recogida(salida, tabla, recibidos, [], ronda, de_la_ronda, observaciones,
                    evidencias)


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
    anterior = leer_anterior(salida, parametros.trimestre_corte)
    recibidos, transiciones = revisar(
        clasificar(leidos, esperados, fechas, parametros.recepcion,
                   plazos_para_corregir(anterior)), anterior,
        parametros.recepcion.observados)
    tabla = registro(recibidos)
    recogida = Recogida(None, tabla, recibidos, [])
    if not recogida.cuentan():
        return recogida
    _comprobar_revisados(recibidos, salida.parent)
    observaciones = observaciones_propuestas(recogida.cuentan(), esperados, datos, parametros)
    evidencias = buscar(carpeta, {codigo: unidad for unidad, esperado in esperados.items()
                                  for codigo, _ in esperado.programa},
                        parametros.recepcion.tamano_maximo_evidencia)
    recogida = escribir_consolidado(maestro, salida, recibidos, esperados, tabla, parametros,
                                    anterior, observaciones, transiciones,
                                    tabla_de_evidencias(evidencias))
    copiar(evidencias, salida.parent / CARPETA_EVIDENCIAS)
    escribir_csv(recogida.evidencias, salida.parent / ARCHIVO_EVIDENCIAS)
    escribir_csv(recogida.registro, salida.parent / ARCHIVO_RECEPCION)
    escribir_csv(recogida.observaciones, salida.parent / ARCHIVO_OBSERVACIONES)
    recogida.revisados = _revisados(recibidos, salida.parent)
    return recogida
