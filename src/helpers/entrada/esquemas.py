"""Las reglas de cada columna de una hoja, como esquemas de pandera, y sus mensajes.

Entra una `conversion.Hoja` (la tabla con los tipos del contrato) y los códigos que existen en
las columnas de donde salen las referencias (`codigos_existentes`); sale, agregado a
`problemas`, un `Problema` por celda que no cumple una regla: obligatoria vacía, repetida,
fuera de su dominio, negativa, reservada para los cuadros del informe o que nombra un código
que no existe en otra hoja (con la sugerencia del más parecido, `entrada.sugerencias`).

Las reglas se validan en modo perezoso (todas a la vez); cada `Check` lleva su mensaje en
castellano en `error=`, como plantilla con los campos:

- `{valor}`: el contenido de la celda tal como se escribió;
- `{primera}`: la primera fila donde aparece el mismo valor (para los repetidos);
- cualquier nombre de columna de la hoja: su valor en esa fila.

Las reglas que cruzan filas de una hoja con otras están en `entrada.coherencia`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa

from helpers.entrada.celdas import a_texto, sin_tildes
from helpers.entrada.contrato import (
    AUDIENCIAS,
    CAMBIOS,
    COLUMNAS_NO_NEGATIVAS,
    CONTRATO,
    DEPARTAMENTOS,
    ESTADOS_COMPROMISO,
    ESTADOS_EVIDENCIA,
    ESTADOS_RECEPCION,
    ESTADOS_RECOMENDACION,
    ESTADOS_REVISION,
    FORMA_CODIGO_RECOMENDACION,
    REFERENCIAS,
    TIPOS_NARRATIVA,
)
from helpers.entrada.conversion import Hoja
from helpers.entrada.errores import Problema
from helpers.entrada.sugerencias import Sugeridor

__all__ = ["MENSAJE_NEGATIVO", "codigos_existentes", "esquema", "validar_hoja"]

# Mensajes (plantillas para str.format_map; ver el docstring del módulo).
_M_VACIA = "la celda está vacía y el dato es obligatorio"
_M_REPETIDO = "'{valor}' está repetido (ya aparece en la fila {primera})"
_M_TAREAS = "'{valor}' no es válido: tareas debe ser un número entero mayor o igual a 1"
_M_NEGATIVO = "'{valor}' es negativo: debe ser mayor o igual a 0"
# El mismo mensaje, para quien lee lo ejecutado fuera del libro (los formularios llenos).
MENSAJE_NEGATIVO = _M_NEGATIVO
_M_TRIMESTRE = "'{valor}' no es un trimestre válido: debe ser 1, 2, 3 o 4"
_M_TIPO = "'{valor}' no es un tipo válido: debe ser logro, dificultad o recomendacion"
_M_MES = "'{valor}' no es un mes válido: debe ser un número entero de 1 a 12"
_M_GESTION = "'{valor}' no es una gestión válida: debe ser un año (número entero)"
_M_NUMERO_REFORMULACION = (
    "'{valor}' no es un número de reformulación válido: debe ser un entero mayor o igual a 1"
)
_M_CAMBIO = "'{valor}' no es un cambio válido: debe ser alta, baja, programacion o tareas"
_M_ESTADO_RECEPCION = (
    "'{valor}' no es un estado del registro de recepción: debe ser "
    + ", ".join(ESTADOS_RECEPCION[:-1]) + " o " + ESTADOS_RECEPCION[-1]
    + " (la hoja la escribe informe-poa recoger)"
)
_M_REVISION = (
    "'{valor}' no es un estado de la revisión: debe ser "
    + ", ".join(ESTADOS_REVISION[:-1]) + " o " + ESTADOS_REVISION[-1]
    + " (la columna la escriben informe-poa recoger, devolver y aceptar)"
)
_M_EVIDENCIA = ("'{valor}' no es un estado de una evidencia: debe ser "
                + " o ".join(ESTADOS_EVIDENCIA) + " (la hoja la escribe informe-poa recoger)")
_M_RONDA = "'{valor}' no es una ronda válida: debe ser un entero mayor o igual a 1"
_M_AUDIENCIA = ("'{valor}' no es una audiencia de rendición de cuentas: debe ser "
                + ", ".join(AUDIENCIAS[:-1]) + " o " + AUDIENCIAS[-1])
_M_COMPROMISO = ("'{valor}' no es el estado de un compromiso: debe ser "
                 + ", ".join(ESTADOS_COMPROMISO[:-1]) + " o " + ESTADOS_COMPROMISO[-1])
_M_CODIGO_RECOMENDACION = ("'{valor}' no es el código de una recomendación: se copia como lo "
                           "imprime su informe, R-<gestión>-<informe>-<número> (R-2024-T2-03)")
_M_RECOMENDACION = ("'{valor}' no es el estado de una recomendación: debe ser "
                    + ", ".join(ESTADOS_RECOMENDACION[:-1]) + " o " + ESTADOS_RECOMENDACION[-1])
_M_DEPARTAMENTO = (
    "'{valor}' no es un departamento de Bolivia: escriba su código ISO 3166-2:BO ("
    + ", ".join(f"{codigo} {nombre}" for codigo, nombre in DEPARTAMENTOS.items())
    + ") o su nombre, o deje la celda vacía si no está en un departamento"
)
_M_NO_EXISTE = "'{valor}' no existe en la hoja {hoja}{sugerencia}"
_M_AREA_NO_EXISTE = ("'{valor}' no es el área de ninguna unidad (columna area de la hoja "
                     "unidades){sugerencia}")
# El mensaje de una referencia que no existe, por la columna de donde sale (`REFERENCIAS`);
# las demás, `_M_NO_EXISTE` con el nombre de su hoja.
_M_REFERENCIA = {("unidades", "area"): _M_AREA_NO_EXISTE}
_M_CATEGORIA_FUENTE = (
    "la combinación de categoria_programatica '{categoria_programatica}' y fuente "
    "'{fuente}' está repetida (ya aparece en la fila {primera})"
)
_M_RUBRO_FUENTE = (
    "la combinación de rubro '{rubro}' y fuente '{fuente}' está repetida (ya aparece en la "
    "fila {primera})"
)
_M_ESTADISTICA = (
    "el valor de '{indicador}' ({desagregacion}) del mes {mes} para la unidad "
    "'{codigo_unidad}' está repetido (ya aparece en la fila {primera}): se sumaría dos veces"
)
# Hojas cuya fila se identifica por varias columnas: (columnas, mensaje si se repite).
_CLAVES_COMPUESTAS = {
    "presupuesto": (["categoria_programatica", "fuente"], _M_CATEGORIA_FUENTE),
    "ingresos": (["rubro", "fuente"], _M_RUBRO_FUENTE),
    "estadisticas": (["codigo_unidad", "indicador", "desagregacion", "mes"], _M_ESTADISTICA),
}

# El rótulo de la fila del total en los cuadros del informe (`tablas.TOTAL`). Un código o un
# área con ese nombre se confundiría con esa fila: el informe tomaría la fila equivocada como
# total de la entidad. Se comparan sin mayúsculas ni tildes. (Un área con el nombre de un
# grupo de áreas, `entrada.agrupacion`.)
_RESERVADOS: dict[tuple[str, str], tuple[str, ...]] = {
    ("unidades", "codigo_unidad"): ("TOTAL",),
    ("unidades", "area"): ("TOTAL",),
    ("areas", "area"): ("TOTAL",),
    ("acp", "codigo_acp"): ("TOTAL",),
    ("presupuesto", "categoria_programatica"): ("TOTAL",),
    ("presupuesto", "fuente"): ("TOTAL",),
}
_M_RESERVADO_TOTAL = (
    "'{valor}' no sirve como {columna}: los cuadros del informe usan TOTAL para la fila del "
    "total de la entidad"
)
_M_RESERVADO_AREA = (
    "'{valor}' no sirve como nombre de área: los cuadros por área usan TOTAL para la fila del "
    "total de la entidad"
)

# Columna a la que se atribuye el problema de una regla de varias columnas (la primera de
# la clave) y columnas que identifican un "repetido".
_COLUMNA_DE_REGLA = {mensaje: claves[0] for claves, mensaje in _CLAVES_COMPUESTAS.values()}
_CLAVE_DE_REGLA = {mensaje: claves for claves, mensaje in _CLAVES_COMPUESTAS.values()}


# --------------------------------------------------------------------------------------
# Las condiciones: cada una recibe la columna entera y dice qué celdas la cumplen


def _no_vacia(serie: pd.Series) -> pd.Series:
    if serie.dtype.kind in "fM":
        return serie.notna()
    return serie != ""


def _no_negativa(serie: pd.Series) -> pd.Series:
    return serie >= 0


def _sin_repetir(serie: pd.Series) -> pd.Series:
    return (serie == "") | ~serie.duplicated(keep="first")


def _existe_en(codigos: set[str]) -> Callable[[pd.Series], pd.Series]:
    # Los códigos en un índice armado una vez: `isin` de textos de Arrow los recorre en Python
    # en cada llamada (decenas de miles de operaciones en un libro grande).
    indice = pd.Index(list(codigos), dtype=object)

    def existe(serie: pd.Series) -> pd.Series:
        hallado = indice.get_indexer(serie.to_numpy(dtype=object)) >= 0
        return (serie == "") | pd.Series(hallado, index=serie.index)

    return existe


def _es_entero(serie: pd.Series) -> pd.Series:
    return serie == serie.round()


def _vacia_o_una_de(admitidos: tuple[str, ...]) -> Callable[[pd.Series], pd.Series]:
    def admitida(serie: pd.Series) -> pd.Series:
        return (serie == "") | serie.isin(admitidos)

    return admitida


def _vacia_o_con_forma(patron: str) -> Callable[[pd.Series], pd.Series]:
    def con_forma(serie: pd.Series) -> pd.Series:
        return (serie == "") | serie.astype(str).str.fullmatch(patron).fillna(False)

    return con_forma


def _entero_desde_1(serie: pd.Series) -> pd.Series:
    return _es_entero(serie) & (serie >= 1)


def _trimestre(serie: pd.Series) -> pd.Series:
    return _es_entero(serie) & serie.between(1, 4)


def _mes(serie: pd.Series) -> pd.Series:
    return _es_entero(serie) & serie.between(1, 12)


def _sin_reservados(reservados: Iterable[str]) -> Callable[[pd.Series], pd.Series]:
    claves = {sin_tildes(r) for r in reservados}

    def sin_reservados(serie: pd.Series) -> pd.Series:
        # Cada texto distinto se compara una vez; pocos (casi siempre ninguno) son reservados.
        reservados = [v for v in serie.unique()
                      if isinstance(v, str) and sin_tildes(v) in claves]
        return ~serie.isin(reservados)

    return sin_reservados


# Las reglas propias de cada hoja: (columna, condición, mensaje). Las claves de una sola
# columna no se repiten; los demás son dominios.
_REGLAS_DE_HOJA: dict[str, list[tuple[str, Callable[[pd.Series], pd.Series], str]]] = {
    "unidades": [("codigo_unidad", _sin_repetir, _M_REPETIDO),
                 ("departamento", _vacia_o_una_de(tuple(DEPARTAMENTOS)), _M_DEPARTAMENTO)],
    "acp": [("codigo_acp", _sin_repetir, _M_REPETIDO)],
    "operaciones": [("codigo_operacion", _sin_repetir, _M_REPETIDO),
                    ("tareas", _entero_desde_1, _M_TAREAS)],
    "areas": [("area", _sin_repetir, _M_REPETIDO),
              ("departamento", _vacia_o_una_de(tuple(DEPARTAMENTOS)), _M_DEPARTAMENTO)],
    "narrativa": [("trimestre", _trimestre, _M_TRIMESTRE),
                  ("tipo", _vacia_o_una_de(TIPOS_NARRATIVA), _M_TIPO)],
    "historico": [("gestion", _es_entero, _M_GESTION)],
    "estadisticas": [("mes", _mes, _M_MES)],
    "reformulaciones": [("mes", _mes, _M_MES),
                        ("numero", _entero_desde_1, _M_NUMERO_REFORMULACION),
                        ("cambio", _vacia_o_una_de(CAMBIOS), _M_CAMBIO)],
    "recepcion": [("estado", _vacia_o_una_de(ESTADOS_RECEPCION), _M_ESTADO_RECEPCION),
                  ("ronda", _entero_desde_1, _M_RONDA),
                  ("revision", _vacia_o_una_de(ESTADOS_REVISION), _M_REVISION)],
    "evidencias": [("estado", _vacia_o_una_de(ESTADOS_EVIDENCIA), _M_EVIDENCIA),
                   ("ronda", _entero_desde_1, _M_RONDA)],
    "control_social": [("gestion", _es_entero, _M_GESTION),
                       ("audiencia", _vacia_o_una_de(AUDIENCIAS), _M_AUDIENCIA),
                       ("estado", _vacia_o_una_de(ESTADOS_COMPROMISO), _M_COMPROMISO)],
    "seguimiento_recomendaciones": [
        ("codigo", _sin_repetir, _M_REPETIDO),
        ("codigo", _vacia_o_con_forma(FORMA_CODIGO_RECOMENDACION), _M_CODIGO_RECOMENDACION),
        ("estado", _vacia_o_una_de(ESTADOS_RECOMENDACION), _M_RECOMENDACION)],
}


# --------------------------------------------------------------------------------------
# El esquema de una hoja

# (columna, condición, mensaje, si las celdas vacías se dejan sin comprobar)
_Regla = tuple[str, Callable[[pd.Series], pd.Series], str, bool]


def esquema(
    hoja: Hoja, existentes: dict[tuple[str, str], set[str] | None]
) -> pa.DataFrameSchema:
    """El esquema de la hoja, sólo con las columnas presentes (las ausentes ya se informaron).

    `existentes`: para cada columna de donde sale una referencia (los valores de
    `REFERENCIAS`), los códigos que tiene; None si no se pudo leer (entonces no se comprueban
    las referencias a ella, para no repetir un problema en cada fila).
    """
    reglas: dict[str, list[pa.Check]] = {}
    for columna, funcion, error, ignore_na in _reglas(hoja.nombre, existentes):
        reglas.setdefault(columna, []).append(
            pa.Check(funcion, element_wise=False, ignore_na=ignore_na, error=error)
        )
    # Sólo las columnas con reglas, y sin dtype: el tipo de cada una lo fija
    # `entrada.conversion` al armarla (cada serie se construye con el del contrato).
    # Comprobarlo otra vez costaba la mitad de la validación: en las de texto, pandera arma
    # casos de falla vacíos y los escribe en un mensaje aunque la columna cumpla.
    columnas = {
        col.nombre: pa.Column(checks=reglas[col.nombre], nullable=True, coerce=False)
        for col in CONTRATO[hoja.nombre]
        if col.nombre in hoja.presentes and col.nombre in reglas
    }
    return pa.DataFrameSchema(columnas, checks=_reglas_de_filas(hoja), strict=False,
                              name=hoja.nombre)


def _reglas(nombre: str, existentes: dict[tuple[str, str], set[str] | None]) -> list[_Regla]:
    """Las reglas de las columnas de la hoja `nombre`, en el orden en que se comprueban."""
    return [
        *_reglas_del_contrato(nombre),
        *((columna, funcion, error, True) for columna, funcion, error
          in _REGLAS_DE_HOJA.get(nombre, [])),
        *_reglas_de_reservados(nombre),
        *_reglas_de_referencias(nombre, existentes),
    ]


def _reglas_del_contrato(nombre: str) -> list[_Regla]:
    """Obligatorias (una celda vacía es el problema) y columnas que no admiten negativos."""
    reglas = []
    for col in CONTRATO[nombre]:
        if col.obligatoria:
            reglas.append((col.nombre, _no_vacia, _M_VACIA, False))
        if col.nombre in COLUMNAS_NO_NEGATIVAS[nombre]:
            reglas.append((col.nombre, _no_negativa, _M_NEGATIVO, True))
    return reglas


def _reglas_de_reservados(nombre: str) -> list[_Regla]:
    return [
        (columna, _sin_reservados(reservados),
         _M_RESERVADO_AREA if columna == "area"
         else _M_RESERVADO_TOTAL.replace("{columna}", columna), True)
        for (nombre_hoja, columna), reservados in _RESERVADOS.items()
        if nombre_hoja == nombre
    ]


def _reglas_de_referencias(nombre: str,
                           existentes: dict[tuple[str, str], set[str] | None]) -> list[_Regla]:
    return [
        (columna, _existe_en(existentes[origen]),
         _M_REFERENCIA.get(origen, _M_NO_EXISTE.replace("{hoja}", origen[0])), True)
        for (nombre_hoja, columna), origen in REFERENCIAS.items()
        if nombre_hoja == nombre and existentes.get(origen) is not None
    ]


def _reglas_de_filas(hoja: Hoja) -> list[pa.Check]:
    """La clave de varias columnas de la hoja, si la tiene: no se repite."""
    if hoja.nombre not in _CLAVES_COMPUESTAS:
        return []
    claves, mensaje = _CLAVES_COMPUESTAS[hoja.nombre]
    if not set(claves) <= hoja.presentes:
        return []

    def clave_unica(tabla: pd.DataFrame) -> pd.Series:
        repetida = tabla.duplicated(claves, keep="first")
        return (tabla[claves[0]] == "") | ~repetida

    return [pa.Check(clave_unica, error=mensaje)]


def codigos_existentes(hojas: dict[str, Hoja]) -> dict[tuple[str, str], set[str] | None]:
    """Los códigos de cada columna de donde sale una referencia (`REFERENCIAS`); None si la
    hoja o la columna no están."""
    return {
        (nombre, columna): _codigos(hojas.get(nombre), columna)
        for nombre, columna in set(REFERENCIAS.values())
    }


def _codigos(hoja: Hoja | None, columna: str) -> set[str] | None:
    if hoja is None or columna not in hoja.presentes:
        return None
    return set(hoja.tabla[columna]) - {""}


# --------------------------------------------------------------------------------------
# De los casos que no cumplen a los problemas


class _Campos(dict):
    """Valores para las plantillas de mensajes, calculados sólo si la plantilla los usa."""

    def __init__(self, hoja: Hoja, fila: int, columna: str, plantilla: str, caso, sugerir):
        super().__init__()
        self.hoja, self.fila, self.columna, self.plantilla, self.caso, self.sugerir = (
            hoja, fila, columna, plantilla, caso, sugerir,
        )

    def __missing__(self, clave: str) -> str:
        tabla = self.hoja.tabla
        if clave == "valor":
            crudo = self.hoja.crudos.get((self.fila, self.columna))
            if crudo is not None:
                return crudo
            if self.columna in tabla.columns:
                return a_texto(tabla.at[self.fila, self.columna])
            return a_texto(self.caso)
        if clave == "primera":
            columnas = _CLAVE_DE_REGLA.get(self.plantilla, [self.columna])
            fila = tabla.loc[self.fila, columnas]
            iguales = (tabla[columnas] == fila).all(axis=1)
            return str(int(tabla.index[iguales.to_numpy()].min()))
        if clave in tabla.columns:
            return a_texto(tabla.at[self.fila, clave])
        if clave == "sugerencia":  # "; ¿quiso decir 'DPR'?" o nada (`entrada.sugerencias`)
            return self.sugerir(self.hoja.nombre, self.fila, self.columna, self["valor"])
        return "{" + clave + "}"


def validar_hoja(hoja: Hoja, esquema: pa.DataFrameSchema, problemas: list[Problema],
                 sugerir: Sugeridor) -> None:
    """Valida la tabla de `hoja` con su `esquema` y agrega un problema por cada celda (o fila)
    que no cumple una regla; una celda que ya tiene un problema de lectura no se repite."""
    try:
        esquema.validate(hoja.tabla, lazy=True)
    except pa.errors.SchemaErrors as exc:
        casos = exc.failure_cases
    else:
        return
    vistos: set[tuple[int | None, str | None, str]] = set()
    for caso in casos.itertuples(index=False):
        plantilla = str(caso.check)
        columna = _COLUMNA_DE_REGLA.get(plantilla, caso.column)
        columna = None if pd.isna(columna) else str(columna)
        fila = None if pd.isna(caso.index) else int(caso.index)
        if fila is not None and (fila, columna) in hoja.con_error:
            continue  # ya se informó que la celda no es un número
        if (fila, columna, plantilla) in vistos:
            continue
        vistos.add((fila, columna, plantilla))
        if fila is None or columna is None:
            mensaje = f"no cumple la regla «{plantilla}»"
        else:
            campos = _Campos(hoja, fila, columna, plantilla, caso.failure_case, sugerir)
            mensaje = plantilla.format_map(campos)
        problemas.append(Problema(hoja.archivo, hoja.nombre, fila, columna, mensaje))
