"""La plantilla del libro del POA: un libro vacío del contrato de datos para llenarlo en Excel
o LibreOffice (`informe-poa plantilla poa_2025.xlsx`; docs/plantilla.md).

Todo sale del contrato de `helpers.entrada.contrato`: las hojas y sus columnas en orden, qué es
obligatorio, los valores permitidos (listas desplegables), las columnas que no admiten
negativos, los códigos que deben existir en otra hoja (`REFERENCIAS`), qué significa cada
columna (`Columna.descripcion`) y para qué es cada hoja (`PROPOSITOS`).

La fila 2 de cada hoja es un ejemplo coherente entre hojas (`entrada.fila_de_ejemplo`: la
unidad de la operación existe en unidades, etc.), así que el libro con los ejemplos se lee
sin errores; sus códigos empiezan con `MARCA_EJEMPLO` y `avisos_de_ejemplo` los señala si
quedaron en el libro.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension

from helpers.comun.calendario import TRIMESTRES
from helpers.comun.libro_para_llenar import (
    AJUSTE,
    ALTO_LINEA,
    FUENTE_ENCABEZADO,
    FUENTE_TITULO,
    LIBRE,
    Regla,
    alto_de_fila,
    escribir_valor,
    texto_inerte,
    validacion,
)
from helpers.comun.numeros import formatear_numero
from helpers.entrada.contrato import (
    CANONICOS,
    COLUMNAS_NO_NEGATIVAS,
    CONTRATO,
    ESTADOS_EVIDENCIA,
    ESTADOS_RECEPCION,
    ESTADOS_REVISION,
    HOJAS,
    HOJAS_OBLIGATORIAS,
    HOJAS_OPCIONALES,
    MESES,
    PROPOSITOS,
    REFERENCIAS,
    SINONIMOS,
    Columna,
)
from helpers.entrada.datos import Datos
from helpers.entrada.errores import Problema
from helpers.entrada.fila_de_ejemplo import MARCA_EJEMPLO, ejemplos
from helpers.entrada.sugerencias import filas_de_ejemplo, pista_de_ejemplo

__all__ = [
    "ENCABEZADO_COLUMNAS",
    "HOJA_INSTRUCCIONES",
    "SUGERENCIAS",
    "ULTIMA_FILA",
    "avisos_de_ejemplo",
    "escribir_plantilla",
    "formato_de_columna",
    "regla_de_columna",
    "rotulo",
]

HOJA_INSTRUCCIONES = "instrucciones"
# Hasta dónde llegan las listas desplegables y las validaciones de cada columna, y el rango
# de cada hoja del que salen los códigos de las listas.
ULTIMA_FILA = 5000
# Los encabezados de la tabla de columnas de la hoja de instrucciones.
ENCABEZADO_COLUMNAS = ("hoja", "columna", "obligatoria", "tipo", "qué significa", "ejemplo")

# Columnas cuyo valor suele salir de otra hoja, pero que la validación no exige: la lista
# desplegable sólo advierte (el área de una gestión anterior puede ya no existir).
SUGERENCIAS: dict[tuple[str, str], tuple[str, str]] = {
    ("historico", "area"): ("unidades", "area"),
}

# --------------------------------------------------------------------------------------
# La fila de ejemplo que quedó en un libro


def avisos_de_ejemplo(datos: Datos) -> list[Problema]:
    """Las filas de ejemplo de la plantilla que quedaron en un libro ya leído: las que tienen
    los valores de la fila de ejemplo de su hoja (`sugerencias.filas_de_ejemplo`). Son datos
    válidos (el libro se lee sin errores), por eso son advertencias y no errores, para la
    revisión del libro; cada una se señala en la primera columna de su hoja."""
    libro = next((a.name for a in datos.archivos if a.suffix.casefold() != ".csv"), None)
    tablas = {hoja: getattr(datos, hoja).set_index("fila") for hoja in HOJAS}
    return [
        Problema(libro or f"{hoja}.csv", hoja, fila, CONTRATO[hoja][0].nombre,
                 pista_de_ejemplo())
        for hoja, filas in filas_de_ejemplo(tablas).items() for fila in filas
    ]


# --------------------------------------------------------------------------------------
# Validaciones de datos (listas desplegables y mínimos)


def _enumerar(valores) -> tuple[str, str, str]:
    """Los valores de una lista como se leen: en la columna «tipo», al elegir la celda y en el
    mensaje de error (`de 1 a 12` si son enteros seguidos)."""
    if all(isinstance(v, int) for v in valores) and list(valores) == list(
            range(min(valores), max(valores) + 1)):
        rango = f"de {min(valores)} a {max(valores)}"
        return rango, f"un número {rango}", f"un número {rango}"
    lista = ", ".join(map(str, valores))
    return f"uno de: {lista}", lista, f"uno de: {lista}"


def _lista(valores) -> str:
    return '"' + ",".join(str(v) for v in valores) + '"'


def _rango(hoja: str, columna: str) -> str:
    letra = get_column_letter(_posicion(hoja, columna))
    return f"{hoja}!${letra}$2:${letra}${ULTIMA_FILA}"


def _posicion(hoja: str, columna: str) -> int:
    """La columna de la hoja de cálculo (desde 1) de una columna del contrato."""
    return [c.nombre for c in CONTRATO[hoja]].index(columna) + 1


# Valores fijos que la validación exige (sin distinguir mayúsculas ni tildes en los textos).
_LISTAS: dict[tuple[str, str], tuple] = {
    **CANONICOS,
    ("narrativa", "trimestre"): tuple(TRIMESTRES),
    ("estadisticas", "mes"): MESES,
    ("reformulaciones", "mes"): MESES,
    ("recepcion", "estado"): ESTADOS_RECEPCION,
    ("recepcion", "revision"): ESTADOS_REVISION,
    ("evidencias", "estado"): ESTADOS_EVIDENCIA,
}
# Enteros desde 1.
_ENTEROS_DESDE_UNO = {
    ("operaciones", "tareas"): "el número de tareas",
    ("reformulaciones", "numero"): "el número de la reformulación",
    ("historico", "gestion"): "el año de la gestión",
    ("control_social", "gestion"): "el año de la gestión",
    ("recepcion", "ronda"): "la ronda en que se recogió",
    ("evidencias", "ronda"): "la ronda en que se recogió",
}


def regla_de_columna(hoja: str, col: Columna) -> Regla | None:
    """La validación de datos de una columna del contrato (lista desplegable, entero desde 1,
    número no negativo), o None si no tiene; la usan también los formularios de las
    unidades."""
    clave = (hoja, col.nombre)
    if clave in _LISTAS:
        resumen, lista, frase = _enumerar(_LISTAS[clave])
        regla = Regla("list", _lista(_LISTAS[clave]), None, resumen,
                      f"Elija de la lista: {lista}.", f"El valor debe ser {frase}.")
        if clave in SINONIMOS:
            # El departamento también se escribe por su nombre: la lista sólo advierte.
            regla = dataclasses.replace(
                regla, estilo="warning",
                aviso=f"Elija el código de la lista ({lista}) o escriba el nombre.",
                error=f"El valor no es un código de la lista ({lista}). Si escribió el nombre "
                      "de un departamento, acéptelo.")
        return regla
    if clave in REFERENCIAS or clave in SUGERENCIAS:
        origen_hoja, origen_col = REFERENCIAS.get(clave) or SUGERENCIAS[clave]
        donde = f"la columna {origen_col} de la hoja {origen_hoja}"
        if clave in REFERENCIAS:
            return Regla("list", _rango(origen_hoja, origen_col), None,
                         f"un valor de {donde}",
                         f"Elija de la lista, que sale de {donde}: escríbalo allí primero.",
                         f"El valor no está en {donde}: escríbalo allí primero.")
        return Regla("list", _rango(origen_hoja, origen_col), None,
                     f"de preferencia un valor de {donde}",
                     f"Suele ser un valor de {donde}; el área de una gestión anterior puede "
                     "ya no estar.",
                     f"El valor no está en {donde}. Si es un área de una gestión anterior, "
                     "acéptelo.", estilo="warning")
    if clave in _ENTEROS_DESDE_UNO:
        return Regla("whole", "1", "greaterThanOrEqual", "desde 1",
                     f"Escriba {_ENTEROS_DESDE_UNO[clave]}: un número entero desde 1.",
                     "El valor debe ser un número entero mayor o igual a 1.")
    if col.nombre in COLUMNAS_NO_NEGATIVAS[hoja]:
        return Regla("decimal", "0", "greaterThanOrEqual", "mayor o igual a 0",
                     "Escriba un número mayor o igual a 0.",
                     "El valor debe ser un número mayor o igual a 0.")
    return None


# --------------------------------------------------------------------------------------
# Formatos y rótulos

_EN_BOLIVIANOS = ("presupuesto", "ingresos")  # hojas cuyos números son montos en Bs
_PORCENTAJES = ("historico",)
_FORMATO_MONTO, _FORMATO_ENTERO, _FORMATO_FECHA = "#,##0.00", "0", "DD/MM/YYYY"
_FORMATO_TEXTO, _FORMATO_PORCENTAJE, _FORMATO_NUMERO = "@", "0.00", "General"


def formato_de_columna(hoja: str, col: Columna) -> str:
    """El formato de número de una columna del contrato en la hoja de cálculo."""
    if col.tipo == "fecha":
        return _FORMATO_FECHA
    if col.tipo == "entero" or _LISTAS.get((hoja, col.nombre)) == MESES:
        return _FORMATO_ENTERO
    if col.tipo == "numero":
        if hoja in _EN_BOLIVIANOS:
            return _FORMATO_MONTO
        return _FORMATO_PORCENTAJE if hoja in _PORCENTAJES else _FORMATO_NUMERO
    # Texto: un código como 0012 o 00 0 002 no se convierte en número.
    return _FORMATO_TEXTO


def _tipo(hoja: str, col: Columna) -> str:
    """La columna «tipo» de las instrucciones: el tipo de dato y la regla que lo limita."""
    formato = formato_de_columna(hoja, col)
    if formato == _FORMATO_MONTO:
        base = "monto en Bs"
    elif formato == _FORMATO_PORCENTAJE:
        base = "porcentaje"
    else:
        base = {"texto": "texto", "numero": "número", "entero": "número entero",
                "fecha": "fecha (día/mes/año)"}[col.tipo]
    regla = regla_de_columna(hoja, col)
    if regla is not None:
        return f"{base}, {regla.resumen}"
    if col.tipo == "numero" and col.grupo in ("dev", "rec"):
        return f"{base}, puede ser negativo"
    return base


def rotulo(hoja: str, clave: str) -> str:
    """Cómo nombran las instrucciones una columna o un grupo mensual (`prog_01 a prog_12`)."""
    grupo = [c.nombre for c in CONTRATO[hoja] if c.grupo == clave]
    return f"{grupo[0]} a {grupo[-1]}" if grupo else clave


def _mostrar(valor, formato: str) -> str:
    """Un valor de ejemplo como lo lee un planificador boliviano."""
    if valor is None:
        return ""
    if isinstance(valor, dt.datetime):
        return valor.strftime("%d/%m/%Y")
    if isinstance(valor, str):
        return valor
    if formato in (_FORMATO_MONTO, _FORMATO_PORCENTAJE):
        return formatear_numero(valor, 2)
    if float(valor).is_integer():
        return str(int(valor))  # una gestión es 2024, no 2.024
    return formatear_numero(valor, 2)


def _filas_de_instrucciones(hoja: str, ejemplo: dict[str, object]) -> list[tuple]:
    """(columna, obligatoria, tipo, qué significa, ejemplo) de cada columna o grupo."""
    filas, vistos = [], set()
    for col in CONTRATO[hoja]:
        clave = col.grupo or col.nombre
        if clave in vistos:
            continue
        vistos.add(clave)
        if col.grupo:
            del_grupo = [c.nombre for c in CONTRATO[hoja] if c.grupo == col.grupo]
            muestra = "; ".join(
                f"{c}: {_mostrar(ejemplo[c], formato_de_columna(hoja, col))}"
                for c in del_grupo if ejemplo.get(c) is not None
            )
        else:
            muestra = _mostrar(ejemplo.get(col.nombre), formato_de_columna(hoja, col))
        filas.append((rotulo(hoja, clave), "sí" if col.obligatoria else "no",
                      _tipo(hoja, col), col.descripcion, muestra))
    return filas


# --------------------------------------------------------------------------------------
# El libro

_FUENTE_OBLIGATORIA = Font(bold=True, color="FFFFFFFF")
_RELLENO_OBLIGATORIA = PatternFill("solid", fgColor="1F4E78")  # azul oscuro
_RELLENO_OPCIONAL = PatternFill("solid", fgColor="DDEBF7")  # celeste
_FUENTE_EJEMPLO = Font(italic=True, color="FF808080")
_ANCHO_MAXIMO = 60
_ULTIMA_COLUMNA = 16384  # la última columna de una hoja de Excel (XFD)


def _pasos() -> list[str]:
    obligatorias = ", ".join(HOJAS_OBLIGATORIAS)
    opcionales = ", ".join(HOJAS_OPCIONALES)
    return [
        f"1. Llene las hojas obligatorias ({obligatorias}): cada una necesita al menos una "
        "fila de datos.",
        f"2. Las hojas opcionales ({opcionales}) se llenan si la entidad tiene esos datos; "
        "vacías o borradas, el informe sigue sin ellas. Si tienen filas, se revisan igual.",
        "3. La fila 2 de cada hoja es un ejemplo (gris, en cursiva, con códigos que empiezan "
        f"con {MARCA_EJEMPLO}): bórrela (clic derecho en el número de fila > Eliminar filas) "
        "antes de escribir sus datos. Si queda, se lee como un dato más y la validación "
        "avisa que es el ejemplo.",
        "4. Escriba un registro por fila desde la fila 2, sin filas de títulos ni totales. "
        "La fila 1 tiene los nombres de las columnas que lee el programa y está protegida; "
        "el resto de la hoja se puede escribir, insertar y borrar filas, ordenar y filtrar. "
        "Puede agregar columnas propias a la derecha: se conservan y no se usan en el "
        "cálculo.",
        "5. Encabezado azul oscuro: columna obligatoria; celeste: opcional. Las columnas con "
        "valores fijos o con códigos de otra hoja tienen una lista desplegable: llene "
        "primero unidades y acp, y operaciones antes que reformulaciones.",
        "6. Montos en bolivianos (se admite 1.234,56); fechas como día/mes/año; las celdas "
        "vacías valen lo que dice la tabla de abajo.",
        "7. Guarde el libro como .xlsx y revíselo con: informe-poa validar <libro>.xlsx",
        "Para quitar la protección de una hoja (no tiene contraseña): Revisar > Desproteger "
        "hoja en Excel, Herramientas > Proteger hoja en LibreOffice.",
    ]


# Anchos de las columnas de la hoja de instrucciones (las de ENCABEZADO_COLUMNAS).
_ANCHOS_INSTRUCCIONES = (16, 24, 12, 34, 70, 42)


def _hoja_instrucciones(libro: Workbook, ejemplos: dict[str, dict[str, object]]) -> None:
    hoja = libro.active
    hoja.title = HOJA_INSTRUCCIONES
    for letra, ancho in zip("ABCDEF", _ANCHOS_INSTRUCCIONES):
        hoja.column_dimensions[letra].width = ancho
    ultima = get_column_letter(len(_ANCHOS_INSTRUCCIONES))

    def parrafo(fila: int, texto: str, fuente: Font | None = None) -> None:
        """Un texto a todo el ancho de la tabla, ajustado."""
        celda = hoja.cell(fila, 1)
        texto_inerte(celda, texto)
        celda.alignment = AJUSTE
        if fuente is not None:
            celda.font = fuente
        hoja.merge_cells(f"A{fila}:{ultima}{fila}")
        hoja.row_dimensions[fila].height = alto_de_fila([(texto, sum(_ANCHOS_INSTRUCCIONES))])

    def fila_de_tabla(fila: int, valores: dict[int, str], fuente: Font | None = None) -> None:
        for j, valor in valores.items():
            celda = hoja.cell(fila, j)
            texto_inerte(celda, valor)
            celda.alignment = AJUSTE
            if fuente is not None:
                celda.font = fuente
        hoja.row_dimensions[fila].height = alto_de_fila(
            (valor, _ANCHOS_INSTRUCCIONES[j - 1]) for j, valor in valores.items())

    parrafo(1, "Plantilla del libro del POA", FUENTE_TITULO)
    hoja.row_dimensions[1].height = 2 * ALTO_LINEA
    parrafo(2, "Una hoja por cada tabla que lee informe-poa. Llénelas en Excel o LibreOffice "
               "y revise el libro antes de generar un informe.")
    fila = 4
    for paso in _pasos():
        parrafo(fila, paso)
        fila += 1

    fila += 1
    hoja.cell(fila, 1).value = "Las hojas"
    hoja.cell(fila, 1).font = FUENTE_ENCABEZADO
    fila += 1
    # En las mismas columnas que la tabla de columnas: hoja, obligatoria y qué significa.
    posiciones = [ENCABEZADO_COLUMNAS.index(t) + 1
                  for t in ("hoja", "obligatoria", "qué significa")]
    fila_de_tabla(fila, dict(zip(posiciones, ("hoja", "obligatoria", "qué contiene"))),
                  FUENTE_ENCABEZADO)
    for nombre in HOJAS:
        fila += 1
        valores = (nombre, "sí" if nombre in HOJAS_OBLIGATORIAS else "no", PROPOSITOS[nombre])
        fila_de_tabla(fila, dict(zip(posiciones, valores)))

    fila += 2
    hoja.cell(fila, 1).value = "Las columnas"
    hoja.cell(fila, 1).font = FUENTE_ENCABEZADO
    fila += 1
    fila_de_tabla(fila, dict(enumerate(ENCABEZADO_COLUMNAS, start=1)), FUENTE_ENCABEZADO)
    for nombre in HOJAS:
        for valores in _filas_de_instrucciones(nombre, ejemplos[nombre]):
            fila += 1
            fila_de_tabla(fila, dict(enumerate((nombre, *valores), start=1)))
    # Impresa, apaisada y del ancho de una página.
    hoja.page_setup.orientation = "landscape"
    hoja.page_setup.fitToWidth, hoja.page_setup.fitToHeight = 1, 0
    hoja.sheet_properties.pageSetUpPr.fitToPage = True


def _hoja_de_datos(libro: Workbook, nombre: str, ejemplo: dict[str, object]) -> None:
    hoja = libro.create_sheet(nombre)
    contrato = CONTRATO[nombre]
    for j, col in enumerate(contrato, start=1):
        letra = get_column_letter(j)
        formato = formato_de_columna(nombre, col)
        encabezado = hoja.cell(1, j)
        texto_inerte(encabezado, col.nombre)
        encabezado.font = _FUENTE_OBLIGATORIA if col.obligatoria else FUENTE_ENCABEZADO
        encabezado.fill = _RELLENO_OBLIGATORIA if col.obligatoria else _RELLENO_OPCIONAL
        celda = hoja.cell(2, j)
        valor = ejemplo.get(col.nombre)
        if valor is not None:
            escribir_valor(celda, valor)
        celda.font = _FUENTE_EJEMPLO
        celda.number_format = formato
        celda.protection = LIBRE
        # Las filas que el planificador llena toman el estilo de la columna: libres de la
        # protección y con el formato de la columna.
        dimension = hoja.column_dimensions[letra]
        dimension.protection = LIBRE
        dimension.number_format = formato
        largo = max(len(col.nombre) + 2, len(_mostrar(valor, formato)) + 1)
        dimension.width = min(largo + 1, _ANCHO_MAXIMO)
        regla = regla_de_columna(nombre, col)
        if regla is not None:
            hoja.add_data_validation(
                validacion(regla, col.nombre, f"{letra}2:{letra}{ULTIMA_FILA}"))
    # Las columnas a la derecha del contrato también quedan libres (columnas propias).
    siguiente = len(contrato) + 1
    libres = ColumnDimension(hoja, index=get_column_letter(siguiente), min=siguiente,
                             max=_ULTIMA_COLUMNA)
    libres.protection = LIBRE
    hoja.column_dimensions[get_column_letter(siguiente)] = libres

    ultima = get_column_letter(len(contrato))
    hoja.freeze_panes = "A2"
    hoja.auto_filter.ref = f"A1:{ultima}{ULTIMA_FILA}"
    proteccion = hoja.protection
    proteccion.sheet = True
    # En la protección de la hoja, True prohíbe: se permite todo salvo cambiar columnas.
    for permitido in ("formatCells", "formatColumns", "formatRows", "insertRows", "deleteRows",
                      "insertHyperlinks", "sort", "autoFilter"):
        setattr(proteccion, permitido, False)
    proteccion.insertColumns = True
    proteccion.deleteColumns = True


def escribir_plantilla(ruta: str | Path, *, gestion: int | None = None) -> Path:
    """Escribe en `ruta` (.xlsx) la plantilla del libro del POA y devuelve la ruta.

    No reemplaza un archivo existente (`FileExistsError`); la carpeta debe existir
    (`FileNotFoundError`). `gestion` fija los años de la fila de ejemplo (por omisión, el año
    en curso).
    """
    ruta = Path(ruta)
    if ruta.suffix.casefold() != ".xlsx":
        raise ValueError(f"la plantilla es un libro .xlsx: {ruta.name} tiene otra extensión")
    if not ruta.parent.is_dir():
        raise FileNotFoundError(f"no existe la carpeta {ruta.parent}")
    if ruta.exists():
        raise FileExistsError(f"ya existe {ruta}: la plantilla no reemplaza un archivo; "
                              "elija otro nombre o bórrelo primero")
    gestion = gestion or dt.date.today().year
    filas = ejemplos(gestion)
    libro = Workbook()
    _hoja_instrucciones(libro, filas)
    for nombre in HOJAS:
        _hoja_de_datos(libro, nombre, filas[nombre])
    libro.properties.title = "Plantilla del libro del POA"
    contenido = io.BytesIO()
    libro.save(contenido)
    # "x": si otro proceso creó el archivo mientras tanto, tampoco se reemplaza.
    with ruta.open("xb") as archivo:
        archivo.write(contenido.getvalue())
    return ruta


def main(argumentos: list[str] | None = None) -> int:
    argumentos = sys.argv[1:] if argumentos is None else argumentos
    if len(argumentos) != 1:
        print("uso: python -m helpers.entrada.plantilla poa_2025.xlsx", file=sys.stderr)
        return 2
    try:
        ruta = escribir_plantilla(argumentos[0])
    except (FileExistsError, FileNotFoundError, ValueError) as exc:
        print(f"No se escribió la plantilla: {exc}", file=sys.stderr)
        return 2
    print(f"Plantilla escrita en {ruta}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
