"""Las recomendaciones de un informe con su código, y el seguimiento de las de informes
anteriores (docs/rendicion-de-cuentas.md, «Recomendaciones con seguimiento»).

- `tabla_recomendaciones`: cada recomendación que el informe imprime, en su orden —primero
  las de la unidad de planificación (las de los parámetros y las que ella registró en la hoja
  narrativa), después las de las demás unidades, área por área y unidad por unidad—, con un
  código estable `R-<etiqueta del informe>-<número>` (`R-2024-T2-03`). En un informe de la
  gestión, un mismo texto de una unidad registrado en varios trimestres es una sola
  recomendación, con sus trimestres. `repite`: el código de una recomendación anterior sin
  resolver con el mismo texto (hoja seguimiento_recomendaciones), si la hay.
- `tabla_seguimiento`: las recomendaciones de informes anteriores que trae la hoja
  seguimiento_recomendaciones, con su estado, y si este informe la repite.

Dos textos son el mismo si coinciden sin mayúsculas, tildes ni espacios de más.
"""
from __future__ import annotations

import re

import pandas as pd

from helpers.calculo.contenido import narrativa_del_periodo, tiene_recomendaciones
from helpers.entrada import tipos
from helpers.entrada.celdas import sin_tildes
from helpers.entrada.contrato import ESTADOS_RECOMENDACION, FORMA_CODIGO_RECOMENDACION
from helpers.entrada.parametros import TRIMESTRE_DEL_CORTE

__all__ = ["COLUMNAS_RECOMENDACIONES", "COLUMNAS_SEGUIMIENTO", "PLANIFICACION", "RESUELTAS",
           "UNIDAD", "codigo_de", "corte_de_etiqueta", "informe_del_codigo",
           "tabla_recomendaciones", "tabla_seguimiento",
           "tablas_de_recomendaciones", "tiene_recomendaciones_o_seguimiento",
           "tiene_seguimiento"]

RECOMENDACION = "recomendacion"
PLANIFICACION, UNIDAD = "planificacion", "unidad"
COLUMNAS_RECOMENDACIONES = ["codigo", "origen", "codigo_unidad", "codigo_acp", "trimestres",
                            "texto", "repite"]
# Las recomendaciones que ya no piden nada (hoja seguimiento_recomendaciones).
RESUELTAS = ESTADOS_RECOMENDACION[-2:]
COLUMNAS_SEGUIMIENTO = ["codigo", "informe", "recomendacion", "codigo_unidad", "estado",
                        "fecha", "observacion", "repetida_en"]
_CODIGO = re.compile(FORMA_CODIGO_RECOMENDACION)


def codigo_de(etiqueta: str, numero: int) -> str:
    """El código de la recomendación `numero` (desde 1) del informe `etiqueta`: R-2024-T2-03."""
    return f"R-{etiqueta}-{numero:02d}"


def normalizar(texto: str) -> str:
    """El texto para comparar: sin tildes, en minúsculas y con un espacio entre palabras."""
    return " ".join(sin_tildes(str(texto)).split()).rstrip(".")


def _orden_de_areas(unidades: pd.DataFrame) -> dict[str, int]:
    """El orden de cada unidad: el de su área en la hoja unidades."""
    areas = {a: i for i, a in enumerate(pd.unique(unidades["area"]))}
    return {u: areas[a] for u, a in zip(unidades["codigo_unidad"], unidades["area"])}


def _de_las_unidades(recs: pd.DataFrame, unidades: pd.DataFrame, agrupar: bool) -> list[dict]:
    """Las recomendaciones de la hoja narrativa, área por área y unidad por unidad (en el
    orden en que aparecen); con `agrupar`, un mismo texto de una unidad va una vez."""
    orden = _orden_de_areas(unidades)
    recs = recs.assign(_area=recs["codigo_unidad"].map(lambda u: orden.get(u, len(orden))))
    recs = recs.sort_values("_area", kind="stable")
    primera = {u: i for i, u in enumerate(pd.unique(recs["codigo_unidad"]))}
    recs = recs.assign(_unidad=recs["codigo_unidad"].map(primera)).sort_values(
        ["_area", "_unidad"], kind="stable")
    filas: dict[tuple, dict] = {}
    for i, f in enumerate(recs.itertuples()):
        clave = (f.codigo_unidad, normalizar(f.texto)) if agrupar else i
        fila = filas.setdefault(clave, {
            "codigo_unidad": f.codigo_unidad,
            "codigo_acp": str(getattr(f, "codigo_acp", "") or ""),
            "trimestres": [], "texto": f.texto})
        fila["trimestres"].append(int(f.trimestre))
    return list(filas.values())


def tabla_recomendaciones(parametros, datos) -> pd.DataFrame:
    """Las recomendaciones del informe de `parametros`, en el orden en que las imprime, con
    su código (ver el docstring del módulo)."""
    narrativa = narrativa_del_periodo(datos.narrativa, parametros)
    recs = narrativa[narrativa["tipo"] == RECOMENDACION].fillna({"codigo_acp": ""})
    planificacion = parametros.presentacion.unidad_planificacion
    de_gestion = parametros.tipo.periodo != "trimestre"
    filas = [{"origen": PLANIFICACION, "codigo_unidad": planificacion or "", "codigo_acp": "",
              "trimestres": [], "texto": texto}
             for texto in parametros.presentacion.recomendaciones]
    if planificacion is not None:
        propias = recs[recs["codigo_unidad"] == planificacion]
        filas += [{**f, "origen": PLANIFICACION}
                  for f in _de_las_unidades(propias, datos.unidades, de_gestion)]
        recs = recs[recs["codigo_unidad"] != planificacion]
    filas += [{**f, "origen": UNIDAD} for f in _de_las_unidades(recs, datos.unidades, de_gestion)]
    pendientes = _pendientes(datos, parametros)
    tabla = pd.DataFrame([{
        "codigo": codigo_de(parametros.etiqueta, i), **f,
        "trimestres": ", ".join(str(t) for t in sorted(set(f["trimestres"]))),
        "repite": pendientes.get(normalizar(f["texto"]), ""),
    } for i, f in enumerate(filas, start=1)], columns=COLUMNAS_RECOMENDACIONES)
    return tabla.astype(str)


def informe_del_codigo(codigo: str) -> str:
    """La etiqueta del informe de un código: R-2024-anual-junio-03 → 2024-anual-junio."""
    encontrado = _CODIGO.match(str(codigo))
    return f"{encontrado[1]}-{encontrado[2]}" if encontrado else ""


def corte_de_etiqueta(etiqueta: str) -> tuple[int, int] | None:
    """(gestión, mes de corte) del informe de etiqueta `etiqueta` (la de su carpeta por
    omisión: 2024-T2 → (2024, 6); 2024-anual-junio → (2024, 6); 2024-inicial → (2024, 0));
    None si ningún tipo de informe la escribe."""
    encontrado = re.match(r"^(\d{4})-", etiqueta)
    if not encontrado:
        return None
    gestion = int(encontrado[1])
    for nombre in tipos.nombres():
        tipo = tipos.tipo(nombre)
        if tipo.periodo == "trimestre":
            cortes = {tipo.etiqueta(gestion, t, None): 3 * t for t in range(1, 5)}
        elif tipo.periodo == "gestion":
            cortes = {tipo.etiqueta(gestion, None, c): 3 * t
                      for c, t in TRIMESTRE_DEL_CORTE.items()}
        else:
            cortes = {tipo.etiqueta(gestion, None, None): 0}
        if etiqueta in cortes:
            return gestion, cortes[etiqueta]
    return None


def _anteriores(datos, parametros) -> pd.DataFrame:
    """Las filas de la hoja seguimiento_recomendaciones de otros informes que no son
    posteriores a éste: de un corte anterior, o del mismo corte (el trimestral de diciembre
    y la rendición final). Una de un informe que no se reconoce se lista igual."""
    hoja = getattr(datos, "seguimiento_recomendaciones", None)
    if hoja is None or hoja.empty:
        return pd.DataFrame(columns=["codigo", "recomendacion", "codigo_unidad", "estado",
                                     "fecha", "observacion"])
    este = (parametros.gestion, 3 * parametros.trimestre_corte
            if parametros.tipo.periodo != "inicio" else 0)

    def anterior(codigo) -> bool:
        etiqueta = informe_del_codigo(codigo)
        corte = corte_de_etiqueta(etiqueta)
        return etiqueta != parametros.etiqueta and (corte is None or corte <= este)

    return hoja[hoja["codigo"].map(anterior).astype(bool)]


def _pendientes(datos, parametros) -> dict[str, str]:
    """Texto normalizado → código de cada recomendación anterior sin resolver."""
    anteriores = _anteriores(datos, parametros)
    sin_resolver = anteriores[~anteriores["estado"].isin(RESUELTAS)]
    return {normalizar(t): c for t, c in zip(sin_resolver["recomendacion"],
                                             sin_resolver["codigo"])}


def tabla_seguimiento(parametros, datos, recomendaciones: pd.DataFrame) -> pd.DataFrame:
    """Las recomendaciones de informes anteriores con su estado (hoja
    seguimiento_recomendaciones, en su orden), el informe del que son (de su código) y, si
    este informe vuelve a hacerla sin que se haya resuelto, su código aquí."""
    anteriores = _anteriores(datos, parametros)
    repetidas = {c: n for n, c in zip(recomendaciones["codigo"], recomendaciones["repite"]) if c}
    filas = []
    for f in anteriores.itertuples():
        filas.append({
            "codigo": f.codigo, "informe": informe_del_codigo(f.codigo),
            "recomendacion": f.recomendacion, "codigo_unidad": f.codigo_unidad or "",
            "estado": f.estado, "fecha": f.fecha, "observacion": f.observacion or "",
            "repetida_en": repetidas.get(f.codigo, ""),
        })
    tabla = pd.DataFrame(filas, columns=COLUMNAS_SEGUIMIENTO)
    # Con el tipo de cada columna también sin filas (los datos abiertos lo dicen).
    texto = [c for c in COLUMNAS_SEGUIMIENTO if c != "fecha"]
    tabla[texto] = tabla[texto].astype(str)
    tabla["fecha"] = pd.to_datetime(tabla["fecha"], errors="coerce")
    return tabla


def tiene_seguimiento(datos, parametros) -> bool:
    """Si la hoja seguimiento_recomendaciones trae recomendaciones de otros informes."""
    return not _anteriores(datos, parametros).empty


def tiene_recomendaciones_o_seguimiento(datos, parametros) -> bool:
    """Si el informe da recomendaciones o sigue las de informes anteriores: la sección de
    recomendaciones va entonces."""
    return tiene_recomendaciones(datos, parametros) or tiene_seguimiento(datos, parametros)


def tablas_de_recomendaciones(parametros, datos) -> dict[str, pd.DataFrame]:
    """Las dos tablas: `recomendaciones` y `seguimiento_recomendaciones`."""
    recomendaciones = tabla_recomendaciones(parametros, datos)
    return {"recomendaciones": recomendaciones,
            "seguimiento_recomendaciones": tabla_seguimiento(parametros, datos,
                                                             recomendaciones)}
