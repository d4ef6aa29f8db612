"""Los formularios de seguimiento de las unidades: `informe-poa formularios PARAMS --salida
CARPETA` (docs/formularios.md).

- Entra: los parámetros de un informe trimestral, con su clave `recepcion` (el plazo), y el
  libro del POA que nombran.
- Sale: en CARPETA, nueva o vacía, un libro `<codigo_unidad>.xlsx` por cada unidad que
  tiene operaciones en la versión del POA en vigor al corte
  (`helpers.calculo.versiones.version_al_corte`), con las hojas y las columnas de
  `helpers.formularios.libro`.

Cada formulario lleva arriba de su tabla lo que la unidad necesita saber (entidad, unidad,
periodo, plazo, qué llenar); sólo las celdas que se llenan están libres de la protección, con
una validación de datos (números no negativos, textos con un largo máximo); lo ya registrado
en el libro (lo ejecutado en el trimestre, el medio de verificación) va escrito para que la
unidad lo corrija. El texto de los datos entra inerte (`comun.libro_para_llenar`). La fecha
del libro es la del corte: los mismos datos y parámetros dan los mismos archivos, byte a byte.
Nada se reemplaza: los libros se escriben en una carpeta hermana, que toma el lugar de
CARPETA sólo al final.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection

from helpers.calculo.versiones import version_al_corte
from helpers.comun.calendario import (
    TRIMESTRES,
    enumerar_meses,
    fecha_larga,
    meses_del_trimestre,
)
from helpers.comun.libro_para_llenar import (
    AJUSTE,
    FUENTE_ENCABEZADO,
    FUENTE_TITULO,
    LETRA,
    LIBRE,
    Regla,
    alto_de_fila,
    escribir_valor,
    texto_inerte,
    validacion,
)
from helpers.entrada.contrato import COLUMNAS_DEV, COLUMNAS_EJEC, COLUMNAS_PROG, CONTRATO
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.plantilla import formato_de_columna, regla_de_columna
from helpers.formularios.libro import (
    CLASE,
    COLUMNAS_DE_TEXTO,
    ENCABEZADO_IDENTIDAD,
    HOJA_ANTERIORES,
    HOJA_IDENTIDAD,
    HOJA_PRESUPUESTO,
    HOJA_SEGUIMIENTO,
    LARGO_MAXIMO,
    VERSION,
    Identidad,
    columnas_de_seguimiento,
    columnas_ejecutado,
    columnas_programado,
    huella_del_programa,
)
from helpers.salida.anexo import guardar_libro

__all__ = [
    "Devolucion",
    "Formulario",
    "SalidaNoValida",
    "escribir_formulario",
    "escribir_formularios",
    "formularios_de",
    "formularios_del_poa",
    "nombre_de_archivo",
    "parametros_de_seguimiento",
]


@dataclass(frozen=True)
class Devolucion:
    """Lo que lleva un formulario que se devuelve a su unidad con observaciones
    (`informe-poa devolver`): la nota (fecha, CITE, hoja de ruta, plazo para corregir y lo
    que escribe el planificador) y cada observación (codigo_operacion, columna, mensaje)."""

    fecha: dt.date
    plazo: dt.date
    observaciones: pd.DataFrame
    cite: str = ""
    hoja_ruta: str = ""
    nota: str = ""

    def de_la_operacion(self, codigo: str) -> list[str]:
        mensajes = self.observaciones.loc[self.observaciones["codigo_operacion"] == codigo,
                                          "mensaje"]
        return [m[:1].upper() + m[1:] for m in mensajes]

    def celdas(self) -> set[tuple[str, str]]:
        """(codigo_operacion, columna) de cada celda observada."""
        return set(zip(self.observaciones["codigo_operacion"], self.observaciones["columna"]))


class SalidaNoValida(ValueError):
    """La carpeta de los formularios no sirve: existe y no está vacía, o no es una carpeta."""


@dataclass(frozen=True)
class Formulario:
    """El formulario de una unidad: sus operaciones en la versión al corte (en el orden del
    libro) y sus líneas de presupuesto al corte (vacía: el formulario no lleva esa hoja)."""

    codigo_unidad: str
    nombre_unidad: str
    operaciones: pd.DataFrame
    presupuesto: pd.DataFrame

    def huella(self, gestion: int, trimestre: int) -> str:
        """La huella del programa con que se emite (`formularios.libro`)."""
        programado = self.operaciones[columnas_programado(trimestre)].to_numpy().tolist()
        return huella_del_programa(gestion, trimestre, self.codigo_unidad,
                                   zip(self.operaciones["codigo_operacion"], programado))


# --------------------------------------------------------------------------------------
# Qué lleva cada formulario


def formularios_del_poa(datos, parametros, *, presupuesto: bool = True) -> list[Formulario]:
    """Un formulario por unidad con operaciones en la versión del POA en vigor al corte de
    `parametros`, en el orden de la hoja unidades; sin `presupuesto`, ninguno lleva las líneas
    de presupuesto de su unidad."""
    trimestre = parametros.trimestre_corte
    version = version_al_corte(datos, meses_del_trimestre(trimestre)[-1])
    por_unidad = dict(tuple(version.operaciones.groupby("codigo_unidad", sort=False)))
    lineas = dict(tuple(version.presupuesto.groupby("codigo_unidad", sort=False)))
    vacio = version.presupuesto.iloc[0:0]
    return [
        Formulario(codigo, nombre, por_unidad[codigo].reset_index(drop=True),
                   (lineas.get(codigo, vacio) if presupuesto else vacio).reset_index(drop=True))
        for codigo, nombre in zip(datos.unidades["codigo_unidad"], datos.unidades["nombre"])
        if codigo in por_unidad
    ]


# --------------------------------------------------------------------------------------
# El libro de un formulario

_RELLENO_LLENAR = PatternFill("solid", fgColor="1F4E78")  # encabezado de lo que se llena
_FUENTE_LLENAR = Font(name=LETRA, bold=True, color="FFFFFFFF")
_RELLENO_FIJO = PatternFill("solid", fgColor="D9D9D9")  # encabezado de lo protegido
_RELLENO_PROTEGIDA = PatternFill("solid", fgColor="F2F2F2")  # celdas que no se escriben
_RELLENO_OBSERVADA = PatternFill("solid", fgColor="FFEB9C")  # celda que la unidad corrige
_COLUMNA_OBSERVACIONES = "observaciones"
_LINEA = Side(style="thin", color="FFBFBFBF")
_BORDE = Border(left=_LINEA, right=_LINEA, top=_LINEA, bottom=_LINEA)
_FORMATO_TEXTO = "@"

# El ancho de las columnas de texto de las tablas; las demás, `_ANCHO_NUMERO`, y ninguna
# menos que su nombre (`_ancho`).
_ANCHOS = {"descripcion": 48, "justificacion": 40, _COLUMNA_OBSERVACIONES: 60,
           "medio_verificacion": 32, "programa": 36,
           "fuente": 22, "inicial": 14, "vigente": 14}
_ANCHO_NUMERO = 10
_COLUMNAS_CONTRATO = {hoja: {c.nombre: c for c in columnas}
                      for hoja, columnas in CONTRATO.items()}


def _ancho(columna: str) -> int:
    """El ancho de una columna: el de `_ANCHOS`, y al menos el de su nombre en el
    encabezado (en negrita)."""
    return max(_ANCHOS.get(columna, _ANCHO_NUMERO), len(columna) + 2)


def _formato(hoja: str, columna: str) -> str:
    if columna in COLUMNAS_DE_TEXTO:
        return _FORMATO_TEXTO
    return formato_de_columna(hoja, _COLUMNAS_CONTRATO[hoja][columna])


def _regla_de_texto(columna: str) -> Regla:
    largo = LARGO_MAXIMO[columna]
    return Regla("textLength", str(largo), "lessThanOrEqual", f"hasta {largo} caracteres",
                 f"Escriba hasta {largo} caracteres.",
                 f"El texto no puede pasar de {largo} caracteres.")


def _regla(columna: str) -> Regla:
    """La validación de una columna que la unidad llena: la del contrato para lo ejecutado
    (un número no negativo), un largo máximo para los textos."""
    if columna in COLUMNAS_DE_TEXTO:
        return _regla_de_texto(columna)
    return regla_de_columna("operaciones", _COLUMNAS_CONTRATO["operaciones"][columna])


def _proteger(hoja) -> None:
    """Protegida sin contraseña: sólo se escriben las celdas libres; se puede cambiar el
    ancho de las columnas y el alto de las filas, nada más."""
    proteccion = hoja.protection
    proteccion.sheet = True
    # En la protección de la hoja, True prohíbe.
    proteccion.formatColumns = False
    proteccion.formatRows = False


def _imprimir_apaisada(hoja) -> None:
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.fitToWidth, hoja.page_setup.fitToHeight = 1, 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True


def _valor(valor):
    """Un valor de la tabla para la celda: None si está vacío."""
    if valor is None or (isinstance(valor, float) and pd.isna(valor)) or valor == "":
        return None
    return valor


def _encabezado(hoja, fila: int, columnas: list[str], a_llenar: set[str]) -> None:
    for j, columna in enumerate(columnas, start=1):
        celda = hoja.cell(fila, j)
        texto_inerte(celda, columna)
        llena = columna in a_llenar
        celda.font = _FUENTE_LLENAR if llena else FUENTE_ENCABEZADO
        celda.fill = _RELLENO_LLENAR if llena else _RELLENO_FIJO
        celda.border = _BORDE
        celda.alignment = AJUSTE
        hoja.column_dimensions[get_column_letter(j)].width = _ancho(columna)


def _filas(hoja, fila: int, hoja_contrato: str, tabla: pd.DataFrame, columnas: list[str],
           a_llenar: set[str]) -> None:
    """Las filas de `tabla` desde `fila`: libres las columnas de `a_llenar`, las demás
    protegidas y en gris; cada fila, del alto de su texto más largo."""
    formatos = [_formato(hoja_contrato, c) for c in columnas]
    for i, registro in enumerate(tabla[columnas].itertuples(index=False), start=fila):
        textos = []
        for j, (columna, valor, formato) in enumerate(zip(columnas, registro, formatos), 1):
            celda = hoja.cell(i, j)
            valor = _valor(valor)
            if valor is not None:
                escribir_valor(celda, valor)
                if isinstance(valor, str):
                    textos.append((valor, _ancho(columna)))
            celda.number_format = formato
            celda.border = _BORDE
            celda.alignment = AJUSTE
            if columna in a_llenar:
                celda.protection = LIBRE
            else:
                celda.fill = _RELLENO_PROTEGIDA
        if textos:
            hoja.row_dimensions[i].height = alto_de_fila(textos)


def _hoja_de_referencia(libro: Workbook, nombre: str, hoja_contrato: str, tabla: pd.DataFrame,
                        columnas: list[str]) -> None:
    """Una hoja de sólo lectura: el encabezado en la fila 1 y las filas de `tabla`."""
    hoja = libro.create_sheet(nombre)
    _encabezado(hoja, 1, columnas, set())
    _filas(hoja, 2, hoja_contrato, tabla, columnas, set())
    hoja.freeze_panes = "C2"
    _proteger(hoja)
    _imprimir_apaisada(hoja)


def _columnas_anteriores(trimestre: int) -> list[str]:
    antes = range(meses_del_trimestre(trimestre)[0] - 1)
    return ["codigo_operacion", "descripcion", *(COLUMNAS_PROG[m] for m in antes),
            *(COLUMNAS_EJEC[m] for m in antes)]


def _columnas_presupuesto(trimestre: int) -> list[str]:
    hasta = meses_del_trimestre(trimestre)[-1]
    return ["categoria_programatica", "programa", "codigo_acp", "fuente", "inicial", "vigente",
            *COLUMNAS_DEV[:hasta]]


def _fuera_de_plazo(recepcion) -> str:
    if recepcion.fuera_de_plazo == "excluir":
        return "Un formulario que llegue después no se toma en cuenta en el seguimiento del " \
               "trimestre."
    return "Un formulario que llegue después se toma en cuenta igual, y queda registrado " \
           "que llegó fuera de plazo."


def _plazo_de_entrega(recepcion, devolucion: Devolucion | None) -> tuple[str, Font]:
    """El plazo del formulario: el de la entrega del trimestre, o el de la corrección si se
    devuelve (el que vale al recogerlo)."""
    if devolucion is not None:
        return (f"Plazo para corregir: hasta el {fecha_larga(devolucion.plazo)}.",
                FUENTE_ENCABEZADO)
    return (f"Plazo de entrega: hasta el {fecha_larga(recepcion.plazo)}. "
            f"{_fuera_de_plazo(recepcion)}", FUENTE_ENCABEZADO)


def _nota_de_devolucion(devolucion: Devolucion) -> list[tuple[str, Font | None]]:
    """Los renglones que dicen, arriba de todo, que el formulario vuelve con observaciones."""
    referencias = "; ".join(filter(None, [
        f"CITE {devolucion.cite}" if devolucion.cite else "",
        f"hoja de ruta {devolucion.hoja_ruta}" if devolucion.hoja_ruta else ""]))
    n = len(devolucion.observaciones)
    renglones = [
        (f"DEVUELTO CON OBSERVACIONES el {fecha_larga(devolucion.fecha)}"
         + (f" ({referencias})" if referencias else "") + ".", FUENTE_ENCABEZADO),
        (f"Corrija hasta el {fecha_larga(devolucion.plazo)} "
         f"{'la observación' if n == 1 else f'las {n} observaciones'}: la columna "
         f"{_COLUMNA_OBSERVACIONES}, a la derecha de la tabla, dice qué revisar en cada "
         "operación, y las celdas en amarillo son las observadas. Corrija sólo lo que "
         "corresponda y devuelva este mismo archivo.", FUENTE_ENCABEZADO),
    ]
    if devolucion.nota:
        renglones.append((f"Nota de la unidad de planificación: {devolucion.nota}", None))
    return renglones


def _instrucciones(formulario: Formulario, parametros, referencias: list[str],
                   con_registro: bool, devolucion: Devolucion | None = None
                   ) -> list[tuple[str, Font | None]]:
    """El bloque de arriba de la tabla: (texto, fuente) de cada renglón."""
    trimestre = parametros.trimestre_corte
    meses = meses_del_trimestre(trimestre)
    ejecutado, programado = columnas_ejecutado(trimestre), columnas_programado(trimestre)
    entidad, recepcion = parametros.entidad, parametros.recepcion
    renglones = [
        (f"Formulario de seguimiento del POA {parametros.gestion}", FUENTE_TITULO),
        *(_nota_de_devolucion(devolucion) if devolucion is not None else []),
        (f"{entidad.nombre} ({entidad.sigla})", FUENTE_ENCABEZADO),
        (f"Unidad: {formulario.nombre_unidad} ({formulario.codigo_unidad})", FUENTE_ENCABEZADO),
        (f"Periodo: {TRIMESTRES[trimestre]} trimestre de {parametros.gestion} "
         f"({enumerar_meses(meses)}); corte al {fecha_larga(parametros.fecha_corte)}.", None),
        _plazo_de_entrega(recepcion, devolucion),
        (f"Qué llenar, en las celdas blancas: lo ejecutado en cada mes ({ejecutado[0]} a "
         f"{ejecutado[-1]}), en la unidad de medida de la operación (0 si no se ejecutó nada; "
         "vacía si no se informa ese mes); en justificacion, por qué lo ejecutado difiere de lo "
         f"programado (hasta {LARGO_MAXIMO['justificacion']} caracteres); en "
         "medio_verificacion, el documento que lo respalda (hasta "
         f"{LARGO_MAXIMO['medio_verificacion']} caracteres).", None),
        (f"Lo programado ({programado[0]} a {programado[-1]}) es el del POA vigente al corte y "
         "está protegido, como los códigos y las descripciones: si no es el que corresponde, "
         "no lo cambie aquí, avise a la unidad de planificación. No agregue, quite ni ordene "
         "filas.", None),
    ]
    if con_registro:
        renglones.append(("Las celdas blancas que ya tienen algo muestran lo que la unidad de "
                          "planificación tiene registrado: corríjalas si hace falta.", None))
    if referencias:
        renglones.append((f"De referencia, sin cambiar nada: {'; '.join(referencias)}.", None))
    renglones.append(("Devuelva este mismo archivo, guardado como .xlsx, a la unidad de "
                      "planificación.", None))
    return renglones


def _bloque(hoja, renglones: list[tuple[str, Font | None]], columnas: int, ancho: int) -> int:
    """Escribe los renglones arriba de la tabla, cada uno a todo su ancho; devuelve la fila
    del encabezado de la tabla (un renglón en blanco después del bloque)."""
    ultima = get_column_letter(columnas)
    for fila, (texto, fuente) in enumerate(renglones, start=1):
        celda = hoja.cell(fila, 1)
        texto_inerte(celda, texto)
        celda.alignment = AJUSTE
        if fuente is not None:
            celda.font = fuente
        hoja.merge_cells(f"A{fila}:{ultima}{fila}")
        # El título, de letra más grande, en dos líneas de alto.
        veces = 2 if fuente is FUENTE_TITULO else 1
        hoja.row_dimensions[fila].height = veces * alto_de_fila([(texto, ancho)])
    return len(renglones) + 2


def _observaciones_al_lado(hoja, fila: int, tabla: pd.DataFrame, columnas: list[str],
                           devolucion: Devolucion) -> None:
    """La columna de las observaciones a la derecha de la tabla (de sólo lectura: quien
    recoge no la lee) y cada celda observada, en amarillo."""
    j = len(columnas) + 1
    _encabezado(hoja, fila, [*columnas, _COLUMNA_OBSERVACIONES], set())
    observadas = devolucion.celdas()
    for i, codigo in enumerate(tabla["codigo_operacion"], start=fila + 1):
        mensajes = devolucion.de_la_operacion(codigo)
        celda = hoja.cell(i, j)
        celda.border, celda.alignment = _BORDE, AJUSTE
        if mensajes:
            texto_inerte(celda, "\n".join(mensajes))
            hoja.row_dimensions[i].height = max(hoja.row_dimensions[i].height or 0,
                                                alto_de_fila([(m, _ancho(_COLUMNA_OBSERVACIONES))
                                                              for m in mensajes]))
        for k, columna in enumerate(columnas, start=1):
            if (codigo, columna) in observadas:
                hoja.cell(i, k).fill = _RELLENO_OBSERVADA


def _tabla_de_seguimiento(hoja, formulario: Formulario, trimestre: int, fila: int,
                          devolucion: Devolucion | None = None) -> None:
    columnas = columnas_de_seguimiento(trimestre)
    a_llenar = set(columnas) - {"codigo_operacion", "descripcion",
                                *columnas_programado(trimestre)}
    _encabezado(hoja, fila, columnas, a_llenar)
    # La justificación se pide de nuevo cada trimestre; la de un formulario devuelto es la
    # que la unidad escribió.
    tabla = (formulario.operaciones if devolucion is not None
             else formulario.operaciones.assign(justificacion=""))
    _filas(hoja, fila + 1, "operaciones", tabla, columnas, a_llenar)
    if devolucion is not None:
        _observaciones_al_lado(hoja, fila, tabla, columnas, devolucion)
    ultima_fila = fila + len(tabla)
    for j, columna in enumerate(columnas, start=1):
        if columna in a_llenar:
            letra = get_column_letter(j)
            hoja.add_data_validation(validacion(_regla(columna), columna,
                                                f"{letra}{fila + 1}:{letra}{ultima_fila}"))
    hoja.print_title_rows = f"{fila}:{fila}"
    _proteger(hoja)
    _imprimir_apaisada(hoja)


def _hoja_identidad(libro: Workbook, identidad: Identidad) -> None:
    hoja = libro.create_sheet(HOJA_IDENTIDAD)
    for j, titulo in enumerate(ENCABEZADO_IDENTIDAD, start=1):
        texto_inerte(hoja.cell(1, j), titulo)
        hoja.cell(1, j).font = FUENTE_ENCABEZADO
    for i, (clave, valor) in enumerate(identidad.filas(), start=2):
        texto_inerte(hoja.cell(i, 1), clave)
        escribir_valor(hoja.cell(i, 2), valor)
    hoja.column_dimensions["A"].width = 18
    hoja.column_dimensions["B"].width = 70
    _proteger(hoja)
    # Oculta de modo que sólo se muestra desprotegiendo el libro.
    hoja.sheet_state = "veryHidden"


def escribir_formulario(formulario: Formulario, parametros, ruta: Path,
                        fecha: dt.datetime, devolucion: Devolucion | None = None) -> Identidad:
    """Escribe en `ruta` el libro del formulario de una unidad y devuelve su identidad; con
    `devolucion`, el que vuelve a la unidad con sus observaciones."""
    trimestre = parametros.trimestre_corte
    ops = formulario.operaciones
    columnas = columnas_de_seguimiento(trimestre)
    referencias = []
    if trimestre > 1:
        anteriores = enumerar_meses(range(1, meses_del_trimestre(trimestre)[0]))
        referencias.append(f"la hoja {HOJA_ANTERIORES} tiene lo programado y lo ejecutado de "
                           f"{anteriores}")
    if not formulario.presupuesto.empty:
        referencias.append(f"la hoja {HOJA_PRESUPUESTO}, las líneas de presupuesto de la "
                           "unidad al corte")
    con_registro = bool(ops[[c for c in columnas if c in ops.columns
                             and c in {*columnas_ejecutado(trimestre), *COLUMNAS_DE_TEXTO}]]
                        .map(_valor).notna().to_numpy().any())
    libro = Workbook()
    hoja = libro.active
    hoja.title = HOJA_SEGUIMIENTO
    ancho = sum(_ancho(c) for c in columnas)
    fila = _bloque(hoja, _instrucciones(formulario, parametros, referencias, con_registro,
                                        devolucion), len(columnas), ancho)
    _tabla_de_seguimiento(hoja, formulario, trimestre, fila, devolucion)
    if trimestre > 1:
        _hoja_de_referencia(libro, HOJA_ANTERIORES, "operaciones", ops,
                            _columnas_anteriores(trimestre))
    if not formulario.presupuesto.empty:
        _hoja_de_referencia(libro, HOJA_PRESUPUESTO, "presupuesto", formulario.presupuesto,
                            _columnas_presupuesto(trimestre))
    identidad = Identidad(
        clase=CLASE, version=VERSION, entidad=parametros.entidad.sigla,
        gestion=parametros.gestion, trimestre=trimestre,
        codigo_unidad=formulario.codigo_unidad, operaciones=len(ops), fila_encabezado=fila,
        huella_programa=formulario.huella(parametros.gestion, trimestre),
    )
    _hoja_identidad(libro, identidad)
    libro.active = 0
    # Sin contraseña: no se agregan, borran, renombran ni muestran hojas sin desprotegerlo.
    libro.security = WorkbookProtection(lockStructure=True)
    propiedades = libro.properties
    propiedades.creator = "informe-poa"
    propiedades.lastModifiedBy = None
    propiedades.title = f"Formulario de seguimiento del POA {parametros.gestion}"
    propiedades.created = propiedades.modified = fecha
    guardar_libro(libro, ruta, fecha)
    return identidad


# --------------------------------------------------------------------------------------
# La carpeta de los formularios

# Lo que un nombre de archivo no puede llevar en Windows, macOS o Linux, y los nombres que
# Windows reserva.
_NO_EN_NOMBRE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVADOS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
               *(f"lpt{i}" for i in range(1, 10))}


def nombre_de_archivo(codigo_unidad: str, usados: set[str]) -> str:
    """`<codigo_unidad>.xlsx`, con `_` en lugar de lo que un nombre de archivo no admite y,
    si ya lo tiene otra unidad (sin distinguir mayúsculas, como Windows y macOS), con un
    número; agrega el nombre a `usados` (en minúsculas)."""
    base = _NO_EN_NOMBRE.sub("_", codigo_unidad).strip().rstrip(".") or "_"
    if base.startswith(".") or base.casefold() in _RESERVADOS:
        base = f"_{base}"
    nombre, n = f"{base}.xlsx", 1
    while nombre.casefold() in usados:
        n += 1
        nombre = f"{base}-{n}.xlsx"
    usados.add(nombre.casefold())
    return nombre


def _comprobar_carpeta(carpeta: Path) -> None:
    if carpeta.exists() and not carpeta.is_dir():
        raise SalidaNoValida(f"{carpeta} existe y no es una carpeta: elija una carpeta nueva "
                             "o vacía para los formularios")
    if carpeta.is_dir() and any(carpeta.iterdir()):
        raise SalidaNoValida(f"la carpeta {carpeta} ya tiene archivos, y los formularios no "
                             "reemplazan nada: elija una carpeta nueva o vacía, o vacíela "
                             "primero")


def escribir_formularios(formularios: list[Formulario], parametros, carpeta: Path,
                         fecha: dt.datetime | None = None) -> list[Path]:
    """Escribe cada formulario en `carpeta` (nueva o vacía; si no, `SalidaNoValida`) y
    devuelve sus rutas. Se escriben en una carpeta hermana, que toma el lugar de `carpeta`
    sólo si todos salieron bien. `fecha`, la del libro: por omisión, la del corte."""
    carpeta = Path(os.path.abspath(Path(carpeta).expanduser()))
    _comprobar_carpeta(carpeta)
    fecha = fecha or dt.datetime.combine(parametros.fecha_corte, dt.time())
    carpeta.parent.mkdir(parents=True, exist_ok=True)
    temporal = Path(tempfile.mkdtemp(prefix=f".{carpeta.name}.", dir=carpeta.parent))
    try:
        usados: set[str] = set()
        nombres = [nombre_de_archivo(f.codigo_unidad, usados) for f in formularios]
        for formulario, nombre in zip(formularios, nombres):
            escribir_formulario(formulario, parametros, temporal / nombre, fecha)
        _comprobar_carpeta(carpeta)
        if carpeta.is_dir():
            carpeta.rmdir()
        temporal.rename(carpeta)
    except BaseException:
        shutil.rmtree(temporal, ignore_errors=True)
        raise
    return [carpeta / nombre for nombre in nombres]


def parametros_de_seguimiento(ruta_params: str | Path):
    """Los parámetros de un informe trimestral con su clave `recepcion`, los que necesitan
    los formularios de seguimiento (escribirlos y recogerlos); si no lo son, `ErrorDeEntrada`."""
    from helpers.entrada.parametros import cargar_parametros

    ruta_params = Path(ruta_params)
    archivo = ruta_params.name
    parametros = cargar_parametros(ruta_params)
    if parametros.tipo.periodo != "trimestre":
        raise ErrorDeEntrada([Problema(
            archivo, None, None, "informe",
            f"dice «{parametros.informe}»: los formularios de seguimiento son de un "
            "trimestre; use los parámetros de un informe trimestral")])
    if parametros.recepcion is None:
        raise ErrorDeEntrada([Problema(
            archivo, None, None, "recepcion",
            "falta: cada formulario dice hasta cuándo se entrega; escriba, por ejemplo, "
            f"«recepcion: {{plazo: {parametros.fecha_corte.isoformat()}}}» con la fecha del "
            f"plazo (no antes del corte, {parametros.fecha_corte:%d/%m/%Y}); guía: "
            "docs/formularios.md")])
    return parametros


def formularios_de(ruta_params: str | Path, carpeta: str | Path, *,
                   presupuesto: bool = True) -> tuple[list[Path], object]:
    """Lee los parámetros y su libro y escribe en `carpeta` un formulario por unidad con
    operaciones; devuelve sus rutas y los parámetros. Un problema con los parámetros o el
    libro es un `ErrorDeEntrada`; con la carpeta, `SalidaNoValida`."""
    from helpers.entrada.datos import cargar_datos
    from helpers.entrada.parametros import comprobar_con_datos

    archivo = Path(ruta_params).name
    parametros = parametros_de_seguimiento(ruta_params)
    _comprobar_carpeta(Path(carpeta).expanduser())
    datos = cargar_datos(parametros.ruta_datos)
    comprobar_con_datos(parametros, datos, archivo)
    formularios = formularios_del_poa(datos, parametros, presupuesto=presupuesto)
    if not formularios:
        corte = fecha_larga(parametros.fecha_corte)
        raise ErrorDeEntrada([Problema(
            datos.archivos[0].name if datos.archivos else "operaciones", "operaciones", None,
            None, f"ninguna operación está en el POA vigente al {corte} (todas entran después "
            "del corte con una reformulación): no hay formularios que escribir")])
    return escribir_formularios(formularios, parametros, Path(carpeta)), parametros
