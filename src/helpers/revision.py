"""La revisión de un libro (o de un archivo de parámetros y su libro) antes del informe:
todos los errores y todas las advertencias, cada uno en su celda y con lo que dice la celda.
Es lo que hace `informe-poa validar`.

Entra la ruta de un libro, de una carpeta de CSV o de un archivo de parámetros; sale una
`entrada.errores.Revision`. `revisar(ruta)` no calcula ningún informe ni escribe nada: junta
los errores de `cargar_parametros`, `cargar_datos` y `comprobar_con_datos`, y las
advertencias de `entrada.textos_de_muestra` (los textos de la muestra o de relleno que quedan
en los parámetros) y de `calculo.advertencias` (que sólo se calculan sobre datos sin
errores).
`texto(revision)` es el listado para la pantalla; `helpers.salida.libro_revisado` escribe la
copia marcada del libro. `Problema` no dice la letra de la columna ni el valor de la celda:
se leen del libro (o del CSV) con el mismo lector de `cargar_datos` (`entrada.lectura`), para
que filas y columnas coincidan.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from helpers.calculo.advertencias import advertencias, mes_de_corte_del_libro
from helpers.comun.calendario import TRIMESTRES, nombre_mes
from helpers.entrada.abierto import ruta_de_los_datos
from helpers.entrada.celdas import a_texto
from helpers.entrada.contrato import COLUMNAS_CONTRATO, EXTENSIONES_LIBRO
from helpers.entrada.datos import Datos, cargar_datos
from helpers.entrada.errores import Celda, ErrorDeEntrada, Problema, Revision
from helpers.entrada.lectura import leer_carpeta, leer_libro
from helpers.entrada.plantilla import avisos_de_ejemplo
from helpers.rutas import RAIZ
from helpers.salida.carpeta_informe import problemas_de_salida

__all__ = ["EXTENSIONES_PARAMETROS", "cuentas", "linea", "revisar", "ruta_de_los_datos", "texto"]

EXTENSIONES_PARAMETROS = (".yaml", ".yml")
# Lo más largo que se muestra en pantalla de lo escrito en una celda.
_LARGO_VALOR = 60


def revisar(ruta: str | Path) -> Revision:
    """Revisa un libro `.xlsx`, una carpeta de CSV o un archivo de parámetros `.yaml` (y el
    libro que nombra, con el corte de los parámetros). Nunca lanza `ErrorDeEntrada`: los
    problemas quedan en la `Revision`."""
    ruta = Path(ruta)
    if ruta.suffix.casefold() in EXTENSIONES_PARAMETROS:
        return _revisar_parametros(ruta)
    # Un libro suelto puede ser la plantilla tal como sale: sus filas de ejemplo son
    # advertencias. Para un informe (con sus parámetros), son errores.
    errores, datos = _cargar(ruta, plantilla_admitida=True)
    return _completar(errores, datos, ruta, None, None, None)


def _cargar(ruta: Path, *, plantilla_admitida: bool = False
            ) -> tuple[list[Problema], Datos | None]:
    try:
        return [], cargar_datos(ruta, plantilla_admitida=plantilla_admitida)
    except ErrorDeEntrada as error:
        return list(error.problemas), None


def _revisar_parametros(ruta: Path) -> Revision:
    """La revisión de unos parámetros y de su libro; sus advertencias empiezan con los textos
    de la muestra o de relleno que los parámetros todavía llevan."""
    from helpers.entrada.textos_de_muestra import textos_de_muestra

    revision = _revisar_parametros_y_datos(ruta)
    revision.advertencias[:0] = textos_de_muestra(ruta)
    return revision


def _revisar_parametros_y_datos(ruta: Path) -> Revision:
    from helpers.entrada.parametros import cargar_parametros, comprobar_con_datos

    try:
        parametros = cargar_parametros(ruta)
    except ErrorDeEntrada as error:
        # Los datos se revisan igual, si el archivo dice dónde están: así se corrige todo
        # de una vez. Sin parámetros válidos, el corte es el del libro.
        errores = list(error.problemas)
        datos_ruta = ruta_de_los_datos(ruta)
        if datos_ruta is None:
            return Revision(errores, [], None, ruta, None)
        errores_datos, datos = _cargar(datos_ruta)
        return _completar(errores + errores_datos, datos, datos_ruta, ruta, None, None)
    errores, datos = _cargar(parametros.ruta_datos)
    # La carpeta del informe, como la comprueba el ejecutor antes de empezar (la que ya tiene
    # el informe de otro periodo no se reemplaza).
    errores += problemas_de_salida(parametros, ruta, RAIZ)
    if datos is not None:
        try:
            comprobar_con_datos(parametros, datos, ruta.name)
        except ErrorDeEntrada as error:
            errores += error.problemas
    return _completar(errores, datos, parametros.ruta_datos, ruta,
                      3 * parametros.trimestre_corte, parametros.metodologia.sin_reporte)


def _completar(errores: list[Problema], datos: Datos | None, ruta_datos: Path,
               ruta_params: Path | None, mes_corte: int | None,
               sin_reporte: str | None) -> Revision:
    de_parametros = mes_corte is not None
    avisos: list[Problema] = []
    # Con errores en los datos no hay tabla validada sobre la que calcular advertencias.
    if datos is None:
        mes_corte = None
    else:
        if mes_corte is None:
            mes_corte = mes_de_corte_del_libro(datos)
        avisos = [*avisos_de_ejemplo(datos),
                  *advertencias(datos, mes_corte, sin_reporte=sin_reporte)]
    revision = Revision(errores, avisos, ruta_datos, ruta_params, mes_corte,
                        corte_de_parametros=de_parametros)
    revision.celdas = _celdas(revision)
    return revision


# --------------------------------------------------------------------------------------
# La letra y el valor de cada celda con problemas


@dataclass
class _Hoja:
    letras: dict[str, str]  # columna -> letra
    filas: dict[int, tuple]  # número de fila -> valores


def _leer_hojas(ruta: Path) -> dict[str, _Hoja]:
    """Las hojas del libro o de la carpeta con el lector de `cargar_datos` (mismas filas,
    mismos encabezados); {} si no se pueden leer."""
    problemas: list[Problema] = []
    try:
        if ruta.is_dir():
            crudas = leer_carpeta(ruta, problemas, [])
        elif ruta.is_file() and ruta.suffix.casefold() in EXTENSIONES_LIBRO:
            crudas = leer_libro(ruta, problemas)
        else:
            return {}
    except Exception:  # noqa: BLE001 - lo que no se lee ya es un error de la revisión
        return {}
    hojas = {}
    for nombre, cruda in crudas.items():
        contrato = set(COLUMNAS_CONTRATO[nombre])
        letras: dict[str, str] = {}
        for pos, celda in enumerate(cruda.encabezados):
            columna = a_texto(celda)
            if columna.casefold() in contrato:
                columna = columna.casefold()
            if columna and columna not in letras:
                letras[columna] = get_column_letter(pos + 1)
        hojas[nombre] = _Hoja(letras, dict(cruda.filas) | {1: tuple(cruda.encabezados)})
    return hojas


def _celdas(revision: Revision) -> dict[Problema, Celda]:
    con_hoja = [p for _, p in revision.problemas if p.hoja]
    if not con_hoja or revision.datos is None:
        return {}
    hojas = _leer_hojas(revision.datos)
    celdas = {}
    for problema in con_hoja:
        hoja = hojas.get(problema.hoja)
        if hoja is None:
            continue
        letra = hoja.letras.get(problema.columna) if problema.columna else None
        valor = numero = None
        if letra is not None and problema.fila is not None:
            fila = hoja.filas.get(problema.fila, ())
            posicion = _posicion(letra)
            crudo = fila[posicion] if posicion < len(fila) else None
            valor = _texto_celda(crudo)
            if isinstance(crudo, (int, float)) and not isinstance(crudo, bool):
                numero = float(crudo)
        celdas[problema] = Celda(letra, valor, numero)
    return celdas


def _posicion(letra: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letra) - 1


def _texto_celda(valor) -> str:
    formula = getattr(valor, "formula", None)
    return formula if formula is not None else a_texto(valor)


# --------------------------------------------------------------------------------------
# El listado para la pantalla


def _cuenta(n: int, singular: str, plural: str, ninguno: str) -> str:
    return ninguno if n == 0 else f"1 {singular}" if n == 1 else f"{n} {plural}"


def _corte(revision: Revision) -> str:
    if revision.mes_corte is None:
        return ("Las advertencias (meses sin reporte, ejecución sin programación, devengado "
                "negativo) se revisan cuando los datos no tienen errores.")
    if revision.mes_corte == 0:
        return ("El libro no tiene ejecución ni devengado escritos: no hay meses que revisar "
                "para las advertencias.")
    mes = nombre_mes(revision.mes_corte)
    if revision.corte_de_parametros:
        trimestre = TRIMESTRES[(revision.mes_corte + 2) // 3]
        return (f"Advertencias hasta el corte de los parámetros: {mes} ({trimestre} "
                "trimestre).")
    sin = ("Sin archivo de parámetros" if revision.parametros is None
           else "Como los parámetros tienen errores")
    return (f"{sin}, las advertencias llegan hasta {mes}, el último mes con ejecución o "
            "devengado escrito en el libro.")


def _mostrar(valor: str) -> str:
    valor = valor.replace("\n", " ").replace("\t", " ")
    return valor if len(valor) <= _LARGO_VALOR else valor[:_LARGO_VALOR - 1] + "…"


def _grupo(problema: Problema, revision: Revision) -> str:
    if problema.hoja:
        libro = revision.datos is not None and revision.datos.is_file()
        return (f"Hoja {problema.hoja} ({problema.archivo})" if libro
                else f"Hoja {problema.hoja} (archivo {problema.archivo})")
    if revision.parametros is not None and problema.archivo == revision.parametros.name:
        return f"Archivo de parámetros {problema.archivo}"
    return f"Archivo {problema.archivo}"


def linea(problema: Problema, celda: Celda | None) -> str:
    """Un problema en una línea: "fila 14, columna E (codigo_unidad): se encontró «DGXX» —
    'DGXX' no existe en la hoja unidades"."""
    donde = []
    if problema.fila is not None:
        donde.append(f"fila {problema.fila}")
    if problema.columna:
        if problema.hoja is None and problema.fila is None:
            donde.append(f"clave {problema.columna}")  # archivo de parámetros
        elif celda is not None and celda.letra:
            donde.append(f"columna {celda.letra} ({problema.columna})")
        else:
            donde.append(f"columna {problema.columna}")
    cabeza = ", ".join(donde)
    if celda is not None and celda.valor is not None:
        encontrado = f"se encontró «{_mostrar(celda.valor)}»" if celda.valor else "celda vacía"
        return f"{cabeza}: {encontrado} — {problema.mensaje}"
    return f"{cabeza}: {problema.mensaje}" if cabeza else problema.mensaje


def _bloque(titulo: str, problemas: list[Problema], revision: Revision) -> list[str]:
    grupos: dict[str, list[Problema]] = {}
    for problema in problemas:
        grupos.setdefault(_grupo(problema, revision), []).append(problema)
    lineas = ["", titulo]
    for nombre, del_grupo in grupos.items():
        lineas += ["", f"  {nombre}"]
        lineas += [f"  - {linea(p, revision.celdas.get(p))}" for p in del_grupo]
    return lineas


def cuentas(revision: Revision) -> str:
    """La primera línea del listado: lo revisado y cuántos errores y advertencias tiene
    («Revisión de poa.xlsx: ningún error y 3 advertencias.»). `validar --silencioso` la dice
    aunque no haya errores."""
    revisado = revision.datos.name if revision.datos is not None else ""
    if revision.parametros is not None:
        revisado = (f"{revision.parametros.name} y sus datos, {revisado}" if revisado
                    else revision.parametros.name)
    errores = _cuenta(len(revision.errores), "error", "errores", "ningún error")
    avisos = _cuenta(len(revision.advertencias), "advertencia", "advertencias",
                     "ninguna advertencia")
    return f"Revisión de {revisado}: {errores} y {avisos}."


def texto(revision: Revision, *, con_advertencias: bool = True) -> str:
    """El listado de la revisión: encabezado con lo revisado y las cuentas, los errores por
    hoja y después las advertencias por hoja (sin ellas si `con_advertencias` es falso)."""
    lineas = [cuentas(revision), _corte(revision)]
    if revision.errores:
        lineas += _bloque("Errores (hay que corregirlos para generar el informe):",
                          revision.errores, revision)
    if revision.advertencias and con_advertencias:
        lineas += _bloque("Advertencias (no impiden generar el informe):",
                          revision.advertencias, revision)
    return "\n".join(lineas)
