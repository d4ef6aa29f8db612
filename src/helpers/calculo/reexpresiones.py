"""Reexpresiones: las cifras de un informe ya publicado que cambiaron desde entonces.

Si los parámetros nombran la carpeta de un informe anterior (`informe_anterior:
output/2024-T1`), las tablas de su corte se calculan otra vez, con los datos de hoy y la
metodología con que se publicó, y se comparan con las publicadas (`tablas/*.csv`): p. ej.
un devengado de marzo corregido en el libro después de publicar el T1.

Una cifra cambió si, tal como se imprime (redondeada a 2 decimales con
`numeros.redondear`), dice otra cosa, o si pasó de tener valor a estar vacía o al revés; en
las calificaciones y el semáforo, si el texto es otro. Una fila que está sólo en una de las
dos tablas (una operación agregada o quitada) se lista con cada una de sus cifras y el lado
que falta vacío.

Del informe anterior bastan `manifiesto.json` y `tablas/*.csv`; `copiar_informe_anterior`
guarda sólo eso, para poder generar otra vez un informe desde su propia carpeta.
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from helpers.calculo.tablas import calcular_tablas
from helpers.comun.literal import texto_de_celda
from helpers.comun.numeros import redondear
from helpers.entrada.errores import ErrorDeEntrada, Problema
from helpers.entrada.parametros import Parametros
from helpers.rutas import MANIFIESTO

__all__ = [
    "CLAVES",
    "COLUMNAS",
    "TEXTOS_IMPRESOS",
    "InformeAnterior",
    "comparar",
    "copiar_informe_anterior",
    "del_informe",
    "leer_informe_anterior",
    "para_informe",
    "reexpresiones",
]

TABLAS = "tablas"
# Dónde guarda un informe la copia del anterior (relativa a su carpeta).
CARPETA_COPIA = Path("entrada") / "informe_anterior"
# Las tablas que se comparan, en el orden del listado, con las columnas que nombran una fila.
CLAVES: dict[str, tuple[str, ...]] = {
    "acp": ("codigo_acp",),
    "area": ("area", "nivel"),
    "unidad": ("codigo_unidad",),
    "categoria": ("categoria_programatica", "fuente", "codigo_unidad", "codigo_acp"),
    "fuente": ("fuente",),
    "operacion": ("codigo_operacion",),
    "mensual": ("area", "nivel", "mes"),
}
# Los resultados de texto que el informe imprime; las demás columnas de texto son nombres.
TEXTOS_IMPRESOS = ("calificacion_trimestre", "calificacion_acumulada", "semaforo")
COLUMNAS = ["tabla", "clave", "indicador", "publicado", "nuevo", "diferencia"]
FILA_NUEVA = "fila nueva"
FILA_QUITADA = "fila quitada"
_CLAVE_PARAMS = "informe_anterior"


@dataclass(frozen=True)
class InformeAnterior:
    """Un informe publicado: los parámetros de su manifiesto y sus tablas CSV."""

    parametros: Parametros
    tablas: dict[str, pd.DataFrame]
    etiqueta: str  # "2024-T1"


# --------------------------------------------------------------------------------------
# Lectura del informe publicado


def leer_informe_anterior(carpeta: Path, actual: Parametros, archivo: str) -> InformeAnterior:
    """Lee el informe publicado en `carpeta` (la de un informe generado o una copia de
    `copiar_informe_anterior`).

    `actual` son los parámetros del informe que se genera y `archivo` el nombre de su
    archivo de parámetros, para los mensajes. Lanza `ErrorDeEntrada` (clave
    `informe_anterior`) si la carpeta no existe, no tiene un manifiesto legible o las
    tablas, es de otra gestión, o su corte no es anterior al de `actual`.
    """
    carpeta = Path(carpeta)

    def problema(mensaje: str) -> Problema:
        return Problema(archivo, None, None, _CLAVE_PARAMS, mensaje)

    if not carpeta.is_dir():
        que = "no es una carpeta" if carpeta.exists() else "no existe"
        raise ErrorDeEntrada([problema(f"la carpeta del informe anterior {carpeta} {que}")])
    parametros = _parametros_publicados(carpeta, actual.raiz)
    if parametros is None:
        raise ErrorDeEntrada([problema(
            f"{carpeta} no es la carpeta de un informe generado: no tiene un {MANIFIESTO} "
            "legible con los parámetros del informe"
        )])
    quien = f"el informe anterior ({parametros.etiqueta}, en {carpeta})"
    problemas = []
    if parametros.gestion != actual.gestion:
        problemas.append(problema(
            f"{quien} es de la gestión {parametros.gestion}; debe ser de la misma gestión que "
            f"este informe ({actual.gestion})"
        ))
    if parametros.trimestre_corte >= actual.trimestre_corte:
        problemas.append(problema(
            f"{quien} tiene corte en el trimestre {parametros.trimestre_corte}, que no es "
            f"anterior al de este informe ({actual.etiqueta}, trimestre "
            f"{actual.trimestre_corte})"
        ))
    faltan = [f"{TABLAS}/{n}.csv" for n in CLAVES if not (carpeta / TABLAS / f"{n}.csv").is_file()]
    if faltan:
        problemas.append(problema(f"{quien} no tiene {', '.join(faltan)}"))
    if problemas:
        raise ErrorDeEntrada(problemas)
    tablas = {}
    for ruta in sorted((carpeta / TABLAS).glob("*.csv")):
        try:
            tablas[ruta.stem] = _leer_tabla(ruta)
        except (OSError, UnicodeDecodeError, pd.errors.ParserError,
                pd.errors.EmptyDataError) as exc:
            raise ErrorDeEntrada([problema(
                f"no se pudo leer {TABLAS}/{ruta.name} de {quien} ({exc})"
            )]) from None
    return InformeAnterior(parametros, tablas, parametros.etiqueta)


def _parametros_publicados(carpeta: Path, raiz: Path) -> Parametros | None:
    """Los parámetros guardados en el manifiesto, o None si no se pueden leer."""
    try:
        guardados = json.loads((carpeta / MANIFIESTO).read_text(encoding="utf-8"))["parametros"]
        return Parametros.model_validate({**guardados, "raiz": raiz})
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, ValidationError):
        return None


def _leer_tabla(ruta: Path) -> pd.DataFrame:
    """Una tabla escrita por `salida.tablas_csv.escribir_tablas`, como era: los números, float
    exactos (pandas 3 lee "%.17g" sin pérdida; `float_precision` está en desuso y sobra);
    las claves y los resultados de texto, como texto (un código "01" no es el número 1, ni
    "NA" un vacío); y sin el apóstrofo de la regla del prefijo."""
    columnas = pd.read_csv(ruta, nrows=0, encoding="utf-8").columns
    texto = set(CLAVES.get(ruta.stem, ())) | set(TEXTOS_IMPRESOS)
    tabla = pd.read_csv(
        ruta,
        encoding="utf-8",
        dtype={c: str for c in columnas if c in texto},
        keep_default_na=False,
        na_values={c: [""] for c in columnas if c not in texto},
    )
    for col in tabla.columns:
        if pd.api.types.is_integer_dtype(tabla[col]):
            # "%.17g" escribe 1000.0 como "1000"; los datos no llegan a 10^15 (exactos).
            tabla[col] = tabla[col].astype(float)
        elif not pd.api.types.is_numeric_dtype(tabla[col]):
            tabla[col] = tabla[col].map(texto_de_celda)
    return tabla


def copiar_informe_anterior(origen: Path, destino: Path) -> Path:
    """Copia en `destino` lo que `leer_informe_anterior` lee del informe de `origen`:
    `manifiesto.json` y `tablas/*.csv`, nada más. Devuelve `destino`."""
    origen, destino = Path(origen), Path(destino)
    if destino.exists() and os.path.samefile(origen, destino):
        return destino
    (destino / TABLAS).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(origen / MANIFIESTO, destino / MANIFIESTO)
    for ruta in sorted((origen / TABLAS).glob("*.csv")):
        shutil.copyfile(ruta, destino / TABLAS / ruta.name)
    return destino


# --------------------------------------------------------------------------------------
# Comparación


def reexpresiones(anterior: InformeAnterior, datos) -> pd.DataFrame:
    """Las cifras del informe anterior que hoy, con `datos`, dirían otra cosa: sus tablas
    calculadas otra vez al mismo corte y con la misma metodología (ver `comparar`)."""
    p = anterior.parametros
    recalculadas = calcular_tablas(datos, p.trimestre_corte, p.metodologia, gestion=p.gestion)
    return comparar(anterior.tablas, recalculadas)


def comparar(
    publicadas: dict[str, pd.DataFrame], recalculadas: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    """Las cifras que cambiaron entre las tablas publicadas y las recalculadas.

    Columnas `COLUMNAS`: `tabla`, `clave` (la fila, p. ej. "OP-01", "ADM · area",
    "TOTAL · entidad · mes 3"), `indicador` (la columna; con " (fila nueva)" o
    " (fila quitada)" si la fila está sólo de un lado), `publicado`, `nuevo` (vacío del lado
    que falta) y `diferencia` (nuevo − publicado, en los números). En el orden de `CLAVES` y,
    dentro de cada tabla, en el de las filas publicadas (las nuevas, al final) y sus
    columnas. Vacía si nada cambió.
    """
    filas: list[dict] = []
    for nombre, claves in CLAVES.items():
        if nombre in publicadas or nombre in recalculadas:
            filas.extend(_comparar_tabla(
                nombre, claves,
                publicadas.get(nombre, pd.DataFrame()),
                recalculadas.get(nombre, pd.DataFrame()),
            ))
    return pd.DataFrame(filas, columns=COLUMNAS)


def _comparar_tabla(nombre, claves, publicada, recalculada) -> list[dict]:
    # Qué columna es un número lo dice el cálculo; el CSV sólo si el cálculo no tiene filas
    # (una columna de texto con puros dígitos se leería como número).
    esquema = recalculada if len(recalculada) else publicada
    presentes = [set(t.columns) for t in (publicada, recalculada) if len(t.columns)]
    comunes = set.intersection(*presentes) if presentes else set()
    indicadores = [
        c for c in esquema.columns
        if c in comunes and c not in claves and (c in TEXTOS_IMPRESOS or _es_numero(esquema[c]))
    ]
    antes = _filas(publicada, claves, indicadores)
    despues = _filas(recalculada, claves, indicadores)

    def fila(clave: str, indicador: str, publicado, nuevo) -> dict:
        diferencia = (nuevo - publicado if isinstance(publicado, float)
                      and isinstance(nuevo, float) else np.nan)
        return {"tabla": nombre, "clave": clave, "indicador": indicador,
                "publicado": publicado, "nuevo": nuevo, "diferencia": diferencia}

    salida = []
    for id_fila, (clave, valores) in antes.items():
        if id_fila not in despues:
            salida.extend(fila(clave, f"{c} ({FILA_QUITADA})", valores[c], np.nan)
                          for c in indicadores if not _vacio(valores[c]))
            continue
        nuevos = despues[id_fila][1]
        salida.extend(fila(clave, c, valores[c], nuevos[c])
                      for c in indicadores if _cambio(valores[c], nuevos[c]))
    for id_fila, (clave, valores) in despues.items():
        if id_fila not in antes:
            salida.extend(fila(clave, f"{c} ({FILA_NUEVA})", np.nan, valores[c])
                          for c in indicadores if not _vacio(valores[c]))
    return salida


def _es_numero(serie: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(serie) and not pd.api.types.is_bool_dtype(serie)


def _filas(tabla: pd.DataFrame, claves, indicadores) -> dict[tuple, tuple[str, dict]]:
    """(partes de la clave, repetición) -> (clave legible, {indicador: valor}), en el orden
    de la tabla: números como float y textos como str, NaN si están vacíos."""
    if tabla.empty:
        return {}
    valores = pd.DataFrame({
        c: tabla[c].map(_texto) if c in TEXTOS_IMPRESOS
        else pd.to_numeric(tabla[c], errors="coerce").astype(float)
        for c in indicadores
    }, index=tabla.index).to_dict("records")
    partes = list(zip(*(tabla[c].map(_parte) for c in claves)))
    vistas: dict[tuple, int] = {}
    filas = {}
    for p, v in zip(partes, valores):
        n = vistas[p] = vistas.get(p, -1) + 1  # una clave repetida se empareja por orden
        legible = " · ".join(f"mes {x}" if c == "mes" else x for c, x in zip(claves, p) if x)
        filas[(p, n)] = (legible + (f" (repetida {n + 1})" if n else ""), v)
    return filas


def _parte(valor) -> str:
    """Una parte de la clave como texto: el CSV las lee como texto y el cálculo no (mes 3)."""
    if _vacio(valor):
        return ""
    if isinstance(valor, float) and valor.is_integer():
        return str(int(valor))
    return str(valor)


def _texto(valor):
    return np.nan if _vacio(valor) or valor == "" else str(valor)


def _vacio(valor) -> bool:
    return valor is None or valor is pd.NA or (isinstance(valor, float) and np.isnan(valor))


def _cambio(publicado, nuevo) -> bool:
    if _vacio(publicado) or _vacio(nuevo):
        return _vacio(publicado) != _vacio(nuevo)
    if isinstance(publicado, str) or isinstance(nuevo, str):
        return publicado != nuevo
    return redondear(publicado) != redondear(nuevo)


def para_informe(cambios: pd.DataFrame) -> pd.DataFrame:
    """Los cambios como se imprimen: `publicado` y `nuevo` en texto, los números con dos
    decimales (la comparación es entre cifras impresas); `diferencia`, número."""
    from helpers.comun.numeros import formatear_numero

    def impreso(valor) -> str:
        if _vacio(valor):
            return ""
        return valor if isinstance(valor, str) else formatear_numero(valor, 2)

    tabla = cambios.copy()
    for columna in ("publicado", "nuevo"):
        tabla[columna] = tabla[columna].map(impreso).astype(str)
    tabla["diferencia"] = pd.to_numeric(tabla["diferencia"], errors="coerce").astype(float)
    for columna in ("tabla", "clave", "indicador"):
        tabla[columna] = tabla[columna].astype(str)
    return tabla


def del_informe(parametros: Parametros, datos, informe: str | Path = "",
                archivo: str = "parametros.yaml"):
    """(informe anterior, sus cambios para el informe) si los parámetros nombran uno; si no,
    (None, None). Con `informe` (la carpeta de este informe), la copia guardada en su
    `entrada/informe_anterior/`; sin él, la carpeta que nombran los parámetros."""
    if not parametros.informe_anterior:
        return None, None
    carpeta = (Path(informe) / CARPETA_COPIA) if informe else parametros.ruta_informe_anterior
    anterior = leer_informe_anterior(carpeta, parametros, archivo)
    return anterior, para_informe(reexpresiones(anterior, datos))
