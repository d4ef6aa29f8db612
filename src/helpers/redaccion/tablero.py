"""El tablero de un informe: lo que muestran el paso «Tablero» de la página y el explorador de
`informe.html`, armado con las tablas ya calculadas del informe (`tablas/`, la caché de
`calculo/`) y el libro guardado en `entrada/`: no se calcula otra vez nada de lo que el
informe ya calculó.

`modelo(prep)` devuelve un diccionario que se vuelve JSON:

- `cifras`: las de la entidad (fila TOTAL de la tabla de áreas) en cada periodo del informe,
  con su semáforo y, si el informe guarda una copia del anterior, el cambio respecto de él;
- `filas`: una por entidad, grupo de áreas, área, unidad y operación, con su `padre` (el
  árbol que se despliega), sus cifras por periodo, su semáforo, sus alertas y dónde se deriva
  cada cifra (`ancla` de la memoria de cálculo en `informe-auditoria.html` y hoja del anexo);
- `detalle`: de cada operación, lo programado y lo ejecutado por mes hasta el corte, su medio
  de verificación y sus evidencias; `narrativa`: lo que cada unidad dijo del periodo;
- `sin_reporte`: las unidades con meses sin reporte o cuyo formulario no llegó;
- `posiciones`: las unidades de mejor y de peor eficacia y ejecución;
- `departamentos` y `mapa`: si el libro dice el departamento de sus áreas o unidades, cuáles
  hay y el SVG del mapa (`redaccion.mapa`), con las cifras de la tabla «departamento» del
  informe (`calculo.departamentos`).

Los periodos: en un informe trimestral, lo acumulado al corte y el trimestre; en uno de la
gestión, la gestión. Sus columnas en las tablas: `_columna`.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from helpers.calculo.tablas import TOTAL
from helpers.comun.calendario import MESES_CORTO
from helpers.comun.numeros import redondear
from helpers.entrada.contrato import DEPARTAMENTOS

__all__ = ["ANCLAS", "INDICADORES", "modelo", "periodos"]

# Los periodos que puede tener un informe: clave, título y cómo terminan sus columnas.
_PERIODOS = (
    ("acumulado", "Acumulado al corte", ("acumulado", "acumulada")),
    ("trimestre", "Del trimestre", ("trimestre",)),
    ("anual", "De la gestión", ("anual",)),
)
# Las cifras de cada fila: clave, título y la columna sin el periodo.
INDICADORES = (
    ("avance_fisico", "Avance físico", "avance_fisico"),
    ("eficacia", "Eficacia", "eficacia"),
    ("ejecucion", "Ejecución financiera", "ejecucion"),
    ("calificacion", "Calificación", "calificacion"),
    ("devengado", "Devengado", "devengado"),
)
# Las de una operación.
_DE_OPERACION = (("programado", "prog"), ("ejecutado", "ejec"), ("cumplimiento", "cumplimiento"),
                 ("calificacion", "calificacion"))
# Dónde se deriva la cifra de cada nivel: el ancla de su tabla en la memoria de cálculo
# (informe-auditoria.html) y la hoja del anexo.
ANCLAS = {
    "entidad": ("tabla-memoria-indicadores-entidad", "area"),
    "servicio": ("tabla-memoria-indicadores-servicio", "area"),
    "area": ("tabla-memoria-indicadores-area", "area"),
    "unidad": ("tabla-memoria-indicadores-unidad", "unidad"),
    "operacion": ("tabla-memoria-cumplimiento", "operacion"),
    "acp": ("tabla-memoria-indicadores-acp", "acp"),
}
# Cuántas unidades van en cada lista de posiciones.
POSICIONES = 5


def _numero(valor) -> float | None:
    try:
        numero = float(valor)
    except (TypeError, ValueError):
        return None
    # Redondeado como lo escribe el informe (mitad hacia arriba, dos decimales): el
    # explorador sólo le da formato y dice la misma cifra que los cuadros.
    if math.isnan(numero) or math.isinf(numero):
        return None
    # Un entero (lo más común: metas y ejecuciones por mes) no necesita redondearse.
    return numero if numero.is_integer() else redondear(numero, 2)


def _texto(valor) -> str:
    return "" if valor is None or (pd.api.types.is_scalar(valor) and pd.isna(valor)) \
        else str(valor)


def _columna(tabla: pd.DataFrame, base: str, finales: Iterable[str]) -> str | None:
    for final in finales:
        if f"{base}_{final}" in tabla.columns:
            return f"{base}_{final}"
    return None


def periodos(tablas: dict[str, pd.DataFrame]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Los periodos del informe: los que tienen columnas en la tabla de áreas."""
    area = tablas.get("area")
    if area is None:
        return []
    return [p for p in _PERIODOS if _columna(area, "avance_fisico", p[2])]


def _columnas(tabla: pd.DataFrame, lista, bases) -> list:
    """Las columnas de cada cifra en cada periodo: [(periodo, [(indicador, columna)])], una
    vez por tabla (no por fila)."""
    columnas = []
    for clave, _titulo, finales in lista:
        suyas = [(indicador, _columna(tabla, base, finales)) for indicador, base in bases]
        columnas.append((clave, [(i, c) for i, c in suyas if c is not None]))
    return columnas


def _cifras(fila: dict, columnas: list) -> dict:
    """Las cifras de `fila` en cada periodo: {periodo: {indicador: valor}}."""
    return {periodo: {indicador: (_texto(fila[columna]) if indicador == "calificacion"
                                  else _numero(fila[columna]))
                      for indicador, columna in suyas}
            for periodo, suyas in columnas}


_BASES = tuple((indicador, base) for indicador, _t, base in INDICADORES)


def _dueno_de_la_alerta(tablas: dict[str, pd.DataFrame]) -> dict[str, str]:
    """El id de la fila a la que va la alerta de cada código: una operación, una unidad, una
    categoría programática (la de su unidad), un área o una ACP, en ese orden (un mismo
    código en dos niveles va al más fino)."""
    dueno: dict[str, str] = {}
    niveles = (("acp", "codigo_acp", "p:"), ("area", "area", "a:"),
               ("categoria", "categoria_programatica", None),
               ("unidad", "codigo_unidad", "u:"), ("operacion", "codigo_operacion", "o:"))
    for tabla, columna, prefijo in niveles:
        filas = tablas.get(tabla)
        if filas is None or columna not in filas.columns:
            continue
        for fila in filas.to_dict("records"):
            codigo = _texto(fila[columna])
            dueno[codigo] = (f"{prefijo}{codigo}" if prefijo
                             else f"u:{_texto(fila.get('codigo_unidad'))}")
    return dueno


def _alertas(tablas: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Las alertas de cada fila (por su id): «tipo: detalle». La de una categoría
    programática (devengado negativo) va a la unidad de la categoría, con su código."""
    alertas = tablas.get("alertas")
    por_fila: dict[str, list[str]] = {}
    if alertas is None or alertas.empty:
        return por_fila
    dueno = _dueno_de_la_alerta(tablas)
    for fila in alertas.to_dict("records"):
        if fila.get("clase", "alerta") != "alerta":
            continue
        codigo = _texto(fila["codigo"])
        ident = dueno.get(codigo)
        if ident is None:
            continue
        texto = f"{_texto(fila['tipo'])}: {_texto(fila['detalle'])}".rstrip(": ")
        if not ident.endswith(f":{codigo}"):
            texto = f"{texto} ({codigo})"
        por_fila.setdefault(ident, []).append(texto)
    return por_fila


def _fila(ident: str, padre: str | None, nivel: str, codigo: str, nombre: str, **resto) -> dict:
    # Lo vacío no va (el explorador lo toma por vacío): el modelo de un libro grande pesa
    # menos en informe.html.
    return {"id": ident, "padre": padre, "nivel": nivel, "codigo": codigo, "nombre": nombre,
            **{clave: valor for clave, valor in resto.items() if valor not in ("", [], None)}}


def _filas_de_areas(prep, lista, alertas) -> list[dict]:
    area = prep.tablas["area"]
    # Sin grupos de áreas (la entidad es uno solo), las áreas cuelgan de la entidad.
    grupos = set(area.loc[area["nivel"] == "servicio", "area"].map(_texto))
    columnas = _columnas(area, lista, _BASES)
    filas = []
    for fila in area.to_dict("records"):
        nivel = fila["nivel"]
        codigo = _texto(fila["area"])
        if nivel == "entidad":
            ident, padre, nombre = "e", None, prep.entidad
        elif nivel == "servicio":
            ident, padre, nombre = f"g:{codigo}", "e", codigo
        else:
            grupo = _texto(fila["servicio"])
            padre = f"g:{grupo}" if grupo in grupos else "e"
            ident, nombre = f"a:{codigo}", prep.nombre_area(codigo)
        filas.append(_fila(ident, padre, nivel, codigo, nombre,
                           semaforo=_texto(fila.get("semaforo")),
                           cifras=_cifras(fila, columnas), alertas=alertas.get(ident, [])))
    return filas


def _filas_de_unidades(prep, lista, alertas, acps_de: dict[str, list[str]]) -> list[dict]:
    unidad = prep.tablas["unidad"]
    columnas = _columnas(unidad, lista, _BASES)
    filas = []
    for fila in unidad.to_dict("records"):
        codigo = _texto(fila["codigo_unidad"])
        filas.append(_fila(f"u:{codigo}", f"a:{_texto(fila['area'])}", "unidad", codigo,
                           _texto(fila["nombre"]), semaforo=_texto(fila.get("semaforo")),
                           acps=acps_de.get(codigo, []), cifras=_cifras(fila, columnas),
                           alertas=alertas.get(f"u:{codigo}", [])))
    return filas


def _filas_de_operaciones(prep, lista, alertas) -> list[dict]:
    operacion = prep.tablas["operacion"]
    columnas = _columnas(operacion, lista, _DE_OPERACION)
    filas = []
    for fila in operacion.to_dict("records"):
        codigo, unidad = _texto(fila["codigo_operacion"]), _texto(fila["codigo_unidad"])
        filas.append(_fila(f"o:{codigo}", f"u:{unidad}", "operacion", codigo,
                           _texto(fila["descripcion"]),
                           acps=[_texto(fila["codigo_acp"])],
                           indicador=_texto(fila.get("indicador")),
                           unidad_medida=_texto(fila.get("unidad_medida")),
                           cifras=_cifras(fila, columnas),
                           alertas=alertas.get(f"o:{codigo}", [])))
    return filas


def _meses_del_corte(prep) -> int:
    return int(pd.Timestamp(prep.parametros.fecha_corte).month)


def _detalle(prep) -> dict[str, dict]:
    """De cada operación: lo programado y ejecutado por mes hasta el corte, su medio de
    verificación y sus evidencias."""
    meses = _meses_del_corte(prep)
    operaciones = prep.datos.operaciones
    evidencias = _evidencias_por_operacion(prep.tablas.get("evidencias"))
    detalle = {}
    for fila in operaciones.to_dict("records"):
        codigo = _texto(fila["codigo_operacion"])
        detalle[codigo] = {
            "programado": [_numero(fila.get(f"prog_{m:02d}")) for m in range(1, meses + 1)],
            "ejecutado": [_numero(fila.get(f"ejec_{m:02d}")) for m in range(1, meses + 1)],
            "medio_verificacion": _texto(fila.get("medio_verificacion")),
            "evidencias": evidencias.get(codigo, []),
        }
    return detalle


def _narrativa_por_unidad(prep) -> dict[str, list[str]]:
    """Lo que cada unidad dijo del periodo del informe (la narrativa que leen sus secciones:
    la del trimestre, o la de la gestión hasta el corte)."""
    narrativa = prep.narrativa
    if narrativa is None or narrativa.empty:
        return {}
    por_unidad: dict[str, list[str]] = {}
    for fila in narrativa.to_dict("records"):
        if _texto(fila["tipo"]) in ("logro", "dificultad", "justificacion"):
            por_unidad.setdefault(_texto(fila["codigo_unidad"]), []).append(
                f"{_texto(fila['tipo']).capitalize()}: {_texto(fila['texto'])}")
    return por_unidad


def _evidencias_por_operacion(evidencias: pd.DataFrame | None) -> dict[str, list[str]]:
    if evidencias is None or evidencias.empty or "codigo_operacion" not in evidencias:
        return {}
    por_operacion: dict[str, list[str]] = {}
    for fila in evidencias.itertuples(index=False):
        por_operacion.setdefault(_texto(fila.codigo_operacion), []).append(_texto(fila.archivo))
    return por_operacion


def _sin_reporte(prep) -> list[dict]:
    """Las unidades que no reportaron: meses sin reporte en alguna operación, o su formulario
    sin recibir (tabla de remisión)."""
    nombres = dict(zip(prep.tablas["unidad"]["codigo_unidad"], prep.tablas["unidad"]["nombre"]))
    motivos: dict[str, list[str]] = {}
    operacion = prep.tablas["operacion"]
    if "meses_sin_reporte" in operacion.columns:
        con_meses = operacion[operacion["meses_sin_reporte"].map(_texto) != ""]
        for unidad, grupo in con_meses.groupby("codigo_unidad", sort=False):
            motivos.setdefault(_texto(unidad), []).append(
                f"{len(grupo)} {'operación' if len(grupo) == 1 else 'operaciones'} con meses "
                "sin reporte")
    remision = prep.tablas.get("remision")
    if remision is not None and not remision.empty and "cuenta" in remision.columns:
        # Sólo las unidades cuyo formulario no cuenta (no llegó, fuera de plazo y excluido,
        # rechazado, en observación sin corregir): `calculo.remision`.
        for fila in remision[~remision["cuenta"].astype(bool)].to_dict("records"):
            motivos.setdefault(_texto(fila["codigo_unidad"]), []).append(
                f"formulario: {_texto(fila['situacion'])}")
    return [{"codigo": codigo, "nombre": _texto(nombres.get(codigo, codigo)),
             "motivos": lista} for codigo, lista in motivos.items()]


def _posiciones(filas: list[dict], periodos: list[str]) -> dict:
    """Las `POSICIONES` unidades de mejor y de más baja eficacia y ejecución en cada periodo:
    {periodo: {indicador: {"mejores": [ids], "peores": [ids]}}}; a igual cifra, por código."""
    unidades = [f for f in filas if f["nivel"] == "unidad"]
    posiciones: dict = {}
    for periodo in periodos:
        for indicador in ("eficacia", "ejecucion"):
            con_valor = [f for f in unidades
                         if f.get("cifras", {}).get(periodo, {}).get(indicador) is not None]
            altas = sorted(con_valor, key=lambda f: (-f["cifras"][periodo][indicador],
                                                     f["codigo"]))
            bajas = sorted(con_valor, key=lambda f: (f["cifras"][periodo][indicador],
                                                     f["codigo"]))
            posiciones.setdefault(periodo, {})[indicador] = {
                "mejores": [f["id"] for f in altas[:POSICIONES]],
                "peores": [f["id"] for f in bajas[:POSICIONES]]}
    return posiciones


def _anterior(prep, carpeta_anterior, lista) -> dict | None:
    """Las cifras de la entidad en el informe anterior (su copia en entrada/), o None."""
    if carpeta_anterior is None:
        return None
    ruta = carpeta_anterior / "tablas" / "area.csv"
    if not ruta.is_file():
        return None
    area = pd.read_csv(ruta, dtype={"area": str})
    total = area[area["area"] == TOTAL]
    if total.empty:
        return None
    cifras = _cifras(total.iloc[0].to_dict(), _columnas(area, lista, _BASES))
    # Un periodo que el informe anterior no tiene (otro tipo de informe) no se compara.
    return {periodo: suyas for periodo, suyas in cifras.items() if suyas} or None


def _acps(prep, lista, alertas) -> list[dict]:
    acp = prep.tablas.get("acp")
    if acp is None:
        return []
    columnas = _columnas(acp, lista, _BASES)
    filas = []
    for fila in acp.to_dict("records"):
        codigo = _texto(fila["codigo_acp"])
        if codigo == TOTAL:
            continue
        filas.append(_fila(f"p:{codigo}", None, "acp", codigo, _texto(fila["descripcion"]),
                           semaforo=_texto(fila.get("semaforo")),
                           cifras=_cifras(fila, columnas), alertas=alertas.get(f"p:{codigo}", [])))
    return filas


def _departamentos(prep) -> dict[str, str]:
    """El departamento (código ISO 3166-2:BO) de cada área y unidad que lo tiene, por el id
    de su fila; vacío si el libro no dice ninguno (entonces no hay mapa)."""
    from helpers.calculo.departamentos import departamento_de_cada_unidad

    areas, unidades = prep.datos.areas, prep.datos.unidades
    if areas is None or unidades is None:
        return {}
    de_la_unidad = departamento_de_cada_unidad(unidades, areas)
    suyo = {f"u:{_texto(u)}": _texto(d) for u, d in de_la_unidad.items() if _texto(d)}
    if "departamento" in areas.columns:
        suyo |= {f"a:{_texto(a)}": _texto(d)
                 for a, d in zip(areas["area"], areas["departamento"]) if _texto(d)}
    return suyo


def _mapa(prep) -> str | None:
    """El mapa de la eficacia acumulada por departamento (`redaccion.mapa`), con las cifras
    de la tabla «departamento» del informe (tablas/departamento.csv). Un informe generado
    antes de que el informe la guardara no la tiene: sus cifras se calculan con el mismo
    cálculo sobre el libro guardado."""
    from helpers.redaccion.mapa import mapa_de_cifras, mapa_del_corte

    if "departamento" in prep.tablas:
        return mapa_de_cifras(prep.tablas["departamento"], id_mapa="mapa-explorador")
    from helpers.calculo.pasos import Calculo

    p = prep.parametros
    return mapa_del_corte(Calculo(prep.datos, p.trimestre_corte, p.metodologia),
                          id_mapa="mapa-explorador")


def modelo(prep, carpeta_anterior=None) -> dict:
    """El tablero del informe de `prep` (`preparacion.abrir(informe=carpeta)`).
    `carpeta_anterior`: la del informe anterior (o su copia en `entrada/`), para el cambio
    respecto de él."""
    lista = periodos(prep.tablas)
    alertas = _alertas(prep.tablas)
    operacion = prep.tablas["operacion"]
    acps_de = {_texto(u): sorted({_texto(a) for a in g["codigo_acp"]})
               for u, g in operacion.groupby("codigo_unidad", sort=False)}
    filas = (_filas_de_areas(prep, lista, alertas)
             + _filas_de_unidades(prep, lista, alertas, acps_de)
             + _filas_de_operaciones(prep, lista, alertas))
    entidad = next((f for f in filas if f["nivel"] == "entidad"), {})
    departamento_de = _departamentos(prep)
    for fila in filas:
        if fila["id"] in departamento_de:
            fila["departamento"] = departamento_de[fila["id"]]
    usados = set(departamento_de.values())
    return {
        "entidad": prep.entidad,
        "sigla": prep.sigla,
        "titulo": prep.parametros.tipo.titulo,
        "periodo": prep.periodo,
        "agrupacion": prep.agrupacion,
        "periodos": [{"clave": c, "titulo": t} for c, t, _f in lista],
        "anclas": {nivel: {"ancla": ancla, "hoja": hoja}
                   for nivel, (ancla, hoja) in ANCLAS.items()},
        "cifras": entidad.get("cifras", {}),
        "semaforo": entidad.get("semaforo", ""),
        "anterior": _anterior(prep, carpeta_anterior, lista),
        "filas": filas,
        "acps": _acps(prep, lista, alertas),
        "detalle": _detalle(prep),
        "narrativa": _narrativa_por_unidad(prep),
        "nombres_meses": list(MESES_CORTO[:_meses_del_corte(prep)]),
        "sin_reporte": _sin_reporte(prep),
        "posiciones": _posiciones(filas, [clave for clave, _t, _f in lista]),
        "departamentos": [{"codigo": c, "nombre": n} for c, n in DEPARTAMENTOS.items()
                          if c in usados],
        # El SVG del mapa (ya escapado): va en la página, no en el JSON.
        "mapa": _mapa(prep) if usados else None,
    }
