"""Datos de prueba: un POA pequeño pero completo, y archivos de parámetros.

`escribir_libro_pequeno` escribe un libro válido que cubre los casos que el cálculo debe
distinguir, con valores fijos y conocidos para que cualquier prueba pueda calcular a mano
lo que espera:

- 2 ACP, con códigos guardados como números en Excel (1 y 2, que se leen "1" y "2");
- 4 unidades en 2 áreas: `VRE` (servicio Central: DGRM, DGRB) y `SERV_EXTERIOR`
  (servicio Exterior: EMB-PER, CG-ARI);
- 8 operaciones, dos por unidad, con los 12 meses programados y reportados, salvo:
  `OP-03` no reportó mayo (`ejec_05` vacío = sin reporte), `OP-06` tiene `prog` vacío en
  varios meses (= 0) y ejecutó en marzo sin programación, `OP-05` está marcada NO APLICA,
  `OP-04` sobre-ejecuta, `OP-08` no ejecutó nada en el primer semestre, y `tareas` vacío
  (= 1) en varias;
- 3 líneas de presupuesto; la categoría `560 0 002` aparece con dos fuentes, `dev_03` de
  `570 0 003` está escrito como texto boliviano "1.234,56" y `dev_05` de una línea es
  negativo (reversión);
- una hoja `areas` que da nombre sólo a `VRE` (`SERV_EXTERIOR` se queda con su código),
  una hoja `narrativa` y una hoja `historico`;
- las hojas de la rendición de cuentas: `articulacion` (PDES → PEI → ACP), `estadisticas`
  (servicios de dos unidades del exterior, un mes sin desagregación) e `ingresos` (dos
  rubros, uno con una devolución: recaudado negativo en un mes);
- una columna adicional `observaciones` en operaciones (se conserva).

Las mismas tablas están en `TABLAS` (encabezado + filas, como en la hoja) para escribirlas
también como CSV (`escribir_csv_pequeno`) o para derivar copias con errores
(`escribir_libro(ruta, tablas)`).
"""
from __future__ import annotations

import copy
import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

NOMBRE_LIBRO = "poa_prueba.xlsx"

UNIDADES = [
    ["codigo_unidad", "nombre", "area", "servicio", "tipo"],
    ["DGRM", "Dirección General de Régimen Migratorio", "VRE", "Central", "Dirección General"],
    ["DGRB", "Dirección General de Relaciones Bilaterales", "VRE", "Central",
     "Dirección General"],
    ["EMB-PER", "Embajada en el Perú", "SERV_EXTERIOR", "Exterior", "Embajada"],
    ["CG-ARI", "Consulado General en Arica", "SERV_EXTERIOR", "Exterior",
     "Consulado General"],
]

ACP = [
    ["codigo_acp", "descripcion", "resultado_esperado", "codigo_amp"],
    [1, "Fortalecer la atención migratoria y consular",
     "Trámites atendidos en plazo", "AMP-1.1"],
    [2, "Profundizar las relaciones bilaterales", "Agenda bilateral ejecutada", "AMP-2.3"],
]

_ENCABEZADO_OPERACIONES = [
    "codigo_operacion", "codigo_acp", "codigo_unidad", "descripcion", "indicador",
    "unidad_medida", "tareas", "medio_verificacion", "no_aplica",
    *[f"prog_{m:02d}" for m in range(1, 13)],
    *[f"ejec_{m:02d}" for m in range(1, 13)],
    "observaciones",
]
_ = None  # celda vacía

# codigo, acp, unidad, tareas, no_aplica, prog (12 meses), ejec (12 meses)
_OPERACIONES = [
    ("OP-01", 1, "DGRM", 2, "",
     [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
     [10, 9, 10, 8, 10, 10, 10, 10, 10, 10, 10, 10]),
    ("OP-02", 1, "DGRM", _, "",
     [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
     [1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("OP-03", 2, "DGRB", 3, "",
     [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
     [2, 1, 2, 2, _, 2, 2, 2, 2, 2, 2, 2]),
    ("OP-04", 2, "DGRB", _, "",
     [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],
     [5, 6, 4, 4, 8, 4, 4, 4, 4, 4, 4, 4]),
    ("OP-05", 2, "EMB-PER", _, "Evento suspendido por el país anfitrión",
     [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
     [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("OP-06", 1, "EMB-PER", 2, "",
     [_, _, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3],
     [0, 0, 1, 3, 2, 3, 3, 3, 3, 3, 3, 3]),
    ("OP-07", 1, "CG-ARI", 4, "",
     [50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50],
     [40, 45, 50, 50, 55, 45, 50, 50, 50, 50, 50, 50]),
    ("OP-08", 2, "CG-ARI", _, "",
     [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
     [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
]

OPERACIONES = [_ENCABEZADO_OPERACIONES] + [
    [codigo, acp, unidad, f"Operación {codigo[-2:]} de {unidad}", "Porcentaje de avance",
     "Informe", tareas, f"Informe {codigo}/2024", no_aplica, *prog, *ejec,
     "revisado" if i % 2 else ""]
    for i, (codigo, acp, unidad, tareas, no_aplica, prog, ejec) in enumerate(_OPERACIONES)
]

PRESUPUESTO = [
    ["categoria_programatica", "programa", "codigo_unidad", "codigo_acp", "fuente", "vigente",
     *[f"dev_{m:02d}" for m in range(1, 13)]],
    ["570 0 003", "Gestión migratoria", "DGRM", 1, "10 TGN", 120000.0,
     0, 8000, "1.234,56", 9000, 9000, 9500, 10000, 10000, 10000, 10000, 10000, 12000],
    ["560 0 002", "Relaciones bilaterales", "DGRB", 2, "10 TGN", 80000.0,
     1000, 5000, 6000, 6500, -1500, 7000, 7000, 7000, 7000, 7000, 7000, 9000],
    ["560 0 002", "Relaciones bilaterales", "EMB-PER", 2, "20 Recursos Específicos", 50000.0,
     2000, 3000, 3000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 5000],
]

NARRATIVA = [
    ["codigo_unidad", "trimestre", "tipo", "texto", "codigo_acp"],
    ["DGRM", 1, "logro", "Se emitieron todos los pasaportes solicitados en plazo.", 1],
    ["DGRB", 1, "dificultad", "Reprogramación de la reunión de la comisión mixta.", 2],
    ["EMB-PER", 2, "logro", "Se realizó la feria consular <b>en Lima</b>.", _],
    ["CG-ARI", 2, "recomendacion", "Reforzar el personal de atención en temporada alta.", _],
]

HISTORICO = [
    ["gestion", "area", "avance_fisico", "ejecucion"],
    [2022, "VRE", 88.5, 81.2],
    [2022, "SERV_EXTERIOR", 79.0, 90.4],
    [2023, "VRE", 91.25, 84.0],
    [2023, "SERV_EXTERIOR", 82.1, 93.75],
]

AREAS = [
    ["area", "nombre", "sigla"],
    ["VRE", "Viceministerio de Relaciones Exteriores", "VRE"],
]

ARTICULACION = [
    ["eje_pdes", "meta_pdes", "resultado_pdes", "codigo_amp", "accion_pei", "codigo_acp"],
    ["Eje 10", "Meta 10.1", "Resultado 10.1.1", "AMP-1.1", "Atención consular y migratoria", 1],
    ["Eje 10", "Meta 10.2", "Resultado 10.2.3", "AMP-2.3", "Diplomacia bilateral", 2],
]

ESTADISTICAS = [
    ["codigo_unidad", "indicador", "desagregacion", "mes", "valor"],
    ["EMB-PER", "Pasaportes emitidos", "Lima", 1, 120],
    ["EMB-PER", "Pasaportes emitidos", "Lima", 2, 95],
    ["EMB-PER", "Pasaportes emitidos", "Cusco", 2, 18],
    ["CG-ARI", "Visas otorgadas", _, 3, 14],
]

INGRESOS = [
    ["rubro", "descripcion", "fuente", "vigente", *(f"rec_{m:02d}" for m in range(1, 13))],
    ["15200", "Venta de valores consulares", "20 Recursos Específicos", 50000,
     4000, 4100, 3900, -250, 4200, 4300, _, _, _, _, _, _],
    ["15990", "Otros ingresos", "20 Recursos Específicos", 2000,
     100, _, 150, _, _, 90, _, _, _, _, _, _],
]

# Las hojas en el orden del contrato: nombre -> [encabezado, fila 2, fila 3, ...].
TABLAS: dict[str, list[list]] = {
    "unidades": UNIDADES,
    "acp": ACP,
    "operaciones": OPERACIONES,
    "presupuesto": PRESUPUESTO,
    "areas": AREAS,
    "narrativa": NARRATIVA,
    "articulacion": ARTICULACION,
    "estadisticas": ESTADISTICAS,
    "ingresos": INGRESOS,
    "historico": HISTORICO,
}


def tablas_pequenas() -> dict[str, list[list]]:
    """Una copia profunda de `TABLAS`, para modificarla sin afectar a otras pruebas."""
    return copy.deepcopy(TABLAS)


def escribir_libro(ruta: Path, tablas: dict[str, list[list]], *, formulas: bool = True) -> Path:
    """Escribe `tablas` (hoja -> filas, la primera es el encabezado) como libro .xlsx.

    Una celda None queda vacía. Con `formulas` falso, un texto que empieza con "=" se guarda
    como texto (como lo escribe quien antepone un apóstrofo en Excel), no como fórmula.
    Devuelve `ruta`.
    """
    import openpyxl

    ruta = Path(ruta)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    libro = openpyxl.Workbook()
    libro.remove(libro.active)
    for nombre, filas in tablas.items():
        hoja = libro.create_sheet(nombre)
        for fila in filas:
            hoja.append(list(fila))
        if not formulas:
            for celdas in hoja.iter_rows():
                for celda in celdas:
                    if celda.data_type == "f":
                        celda.data_type = "s"
    libro.save(ruta)
    return ruta


def escribir_csv(carpeta: Path, tablas: dict[str, list[list]]) -> Path:
    """Escribe cada tabla como `<hoja>.csv` (UTF-8, separador coma) en `carpeta`."""
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    for nombre, filas in tablas.items():
        with (carpeta / f"{nombre}.csv").open("w", encoding="utf-8", newline="") as f:
            escritor = csv.writer(f)
            for fila in filas:
                escritor.writerow(["" if v is None else v for v in fila])
    return carpeta


def escribir_libro_pequeno(ruta: Path) -> Path:
    """Escribe el POA pequeño de este módulo y devuelve la ruta del libro.

    `ruta` es el archivo `.xlsx` a escribir o una carpeta (entonces el libro se llama
    `poa_prueba.xlsx` dentro de ella).
    """
    ruta = Path(ruta)
    if ruta.suffix.lower() != ".xlsx":
        ruta = ruta / NOMBRE_LIBRO
    return escribir_libro(ruta, TABLAS)


def escribir_csv_pequeno(carpeta: Path) -> Path:
    """Escribe el mismo POA pequeño como carpeta de CSV y devuelve la carpeta."""
    return escribir_csv(carpeta, TABLAS)


PARAMS_BASE = {
    "entidad": {"nombre": "Ministerio de Relaciones Exteriores", "sigla": "MRE"},
    "gestion": 2024,
    "informe": "trimestral",
    "trimestre": 2,
}


def escribir_params(ruta_params: Path, ruta_datos: Path, **extra) -> Path:
    """Escribe un archivo de parámetros YAML válido que apunta a `ruta_datos`.

    Por omisión: MRE, gestión 2024, informe trimestral del T2, `datos` = la ruta absoluta
    de `ruta_datos`. Cada argumento adicional reemplaza la clave del mismo nombre
    (p. ej. `salida=str(tmp / "salida")`, `metodologia={"agregacion": "tareas"}`); con
    valor None la clave se omite (p. ej. `informe="anual", trimestre=None`).
    """
    ruta_params = Path(ruta_params)
    ruta_params.parent.mkdir(parents=True, exist_ok=True)
    datos = {**copy.deepcopy(PARAMS_BASE), "datos": str(Path(ruta_datos).resolve()), **extra}
    datos = {clave: valor for clave, valor in datos.items() if valor is not None}
    ruta_params.write_text(
        yaml.safe_dump(datos, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return ruta_params


# Códigos que los criterios de SUMIFS o AVERAGEIFS de una hoja de cálculo tomarían como
# comodines (* ? ~), como operador (< al comienzo), como iguales entre sí (no distinguen
# mayúsculas: "Dgrm" y "dgrm") o que una hoja de cálculo leería como fórmula (= al
# comienzo). El anexo debe tratarlos como texto exacto.
CODIGOS_HOSTILES = {
    "DGRM": "Dgrm", "DGRB": "dgrm", "EMB-PER": "-EMB*?", "CG-ARI": "=CG?ARI",
    "SERV_EXTERIOR": "<SERV~*",
}


def escribir_libro_codigos_hostiles(ruta: Path) -> Path:
    """El libro pequeño con los códigos de unidad y de área de `CODIGOS_HOSTILES`; el que
    empieza con "=" se guarda como texto (como si se escribiera con apóstrofo en Excel)."""
    tablas = tablas_pequenas()
    for filas in tablas.values():
        for fila in filas[1:]:
            for j, valor in enumerate(fila):
                if isinstance(valor, str) and valor in CODIGOS_HOSTILES:
                    fila[j] = CODIGOS_HOSTILES[valor]
    return escribir_libro(ruta, tablas, formulas=False)


# La historia del POA pequeño (`con_historia`): el presupuesto inicial y sus
# modificaciones, y una reformulación en mayo que agrega OP-09 (EMB-PER, desde junio),
# quita OP-08 en agosto (otra reformulación) y mueve la meta de marzo de OP-01 a abril.
REFORMULACIONES = [
    ["numero", "resolucion", "fecha", "codigo_operacion", "cambio", "mes", "anterior", "nuevo",
     "observacion"],
    [1, "RM N° 101/2024", "2024-05-15", "OP-09", "alta", _, _, _, "Nueva feria consular"],
    [1, "RM N° 101/2024", "2024-05-15", "OP-01", "programacion", 3, 15, 10, _],
    [1, "RM N° 101/2024", "2024-05-15", "OP-01", "programacion", 4, 5, 10, _],
    [1, "RM N° 101/2024", "2024-05-15", "OP-03", "tareas", _, 1, 3, _],
    [2, "RM N° 188/2024", "20/08/2024", "OP-08", "baja", _, _, _, "Se cerró el consulado"],
]
OPERACION_NUEVA = ["OP-09", 2, "EMB-PER", "Feria consular en Cusco", "Ferias realizadas",
                   "Feria", 1, "Acta de la feria", "",
                   0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0,
                   0, 0, 0, 0, 0, 1, 0, 0, 0, None, None, None, ""]
# inicial, vig_01..vig_12 de cada línea de PRESUPUESTO: en mayo pasan 10.000 Bs de la línea
# de DGRM (ACP 1) a la de DGRB (ACP 2); en octubre la de EMB-PER crece 5.000.
HISTORIA_PRESUPUESTO = [
    [130000.0, _, _, _, _, 120000.0, _, _, _, _, _, _, _],
    [70000.0, _, _, _, _, 80000.0, _, _, _, _, _, _, _],
    [50000.0, _, _, _, _, _, _, _, _, _, 55000.0, _, _],
]


def con_historia(tablas: dict[str, list[list]]) -> dict[str, list[list]]:
    """Las tablas del POA pequeño con su historia: la hoja reformulaciones, OP-09 en
    operaciones y las columnas inicial y vig_01..vig_12 en presupuesto (el `vigente` de la
    hoja es el de diciembre)."""
    tablas = copy.deepcopy(tablas)
    tablas["operaciones"].append(list(OPERACION_NUEVA))
    tablas["reformulaciones"] = copy.deepcopy(REFORMULACIONES)
    pres = tablas["presupuesto"]
    posicion = pres[0].index("vigente")
    pres[0][posicion:posicion] = ["inicial"]
    pres[0][posicion + 2:posicion + 2] = [f"vig_{m:02d}" for m in range(1, 13)]
    for fila, historia in zip(pres[1:], HISTORIA_PRESUPUESTO):
        fila[posicion:posicion] = historia[:1]
        fila[posicion + 2:posicion + 2] = historia[1:]
    pres[3][posicion + 1] = 55000.0
    return tablas


# El registro de recepción de los formularios (hoja recepcion, la que escribe informe-poa
# recoger): DGRM envió dos archivos y cuenta el segundo, en plazo; EMB-PER llegó fuera de
# plazo y se excluyó; CG-ARI se rechazó; DGRB no envió nada. El segundo archivo de DGRM llegó
# en la ronda 2.
RECEPCION = [
    ["codigo_unidad", "archivo", "fecha", "hoja_ruta", "huella", "estado", "motivo", "ronda"],
    ["DGRM", "DGRM.xlsx", "2024-07-03", "HR-11", _, "duplicado: no cuenta",
     "la unidad envió después DGRM (1).xlsx: cuenta el último recibido", 1],
    ["DGRM", "DGRM (1).xlsx", "2024-07-08", "HR-14", _, "aceptado", _, 2],
    ["DGRB", _, _, _, _, "faltante", "no se recibió su formulario", 1],
    ["EMB-PER", "EMB-PER.xlsx", "2024-07-12", "HR-20", _,
     "excluido por fuera de plazo",
     "recibido el 12/07/2024, después del plazo (10/07/2024); no se toma en cuenta", 1],
    ["CG-ARI", "CG-ARI.xlsx", "2024-07-09", _, _, "rechazado: alterado",
     "la celda C12 no es lo programado (era 2)", 1],
]


def con_recepcion(tablas: dict[str, list[list]]) -> dict[str, list[list]]:
    """Las tablas con la hoja recepcion (`RECEPCION`)."""
    return {**copy.deepcopy(tablas), "recepcion": copy.deepcopy(RECEPCION)}


# Las hojas opcionales que alimentan secciones o partes de secciones propias: sin ellas, esas
# partes no van en el informe (`helpers.calculo.contenido`). La hoja `areas` sólo da nombres.
HOJAS_DE_SECCIONES = ("narrativa", "historico", "articulacion", "estadisticas", "ingresos",
                      "reformulaciones", "recepcion")


def sin_hojas_de_secciones(tablas: dict[str, list[list]]) -> dict[str, list[list]]:
    """Las tablas sin las hojas de `HOJAS_DE_SECCIONES` y sin ninguna operación NO APLICA
    (la justificación vacía): un libro con sólo lo obligatorio para las secciones."""
    tablas = {h: copy.deepcopy(f) for h, f in tablas.items() if h not in HOJAS_DE_SECCIONES}
    encabezado = tablas["operaciones"][0]
    for fila in tablas["operaciones"][1:]:
        fila[encabezado.index("no_aplica")] = ""
    return tablas


def sin_fuentes(tablas: dict[str, list[list]]) -> dict[str, list[list]]:
    """Las tablas con la columna fuente del presupuesto vacía en todas las líneas; de una
    categoría con varias fuentes queda su última línea (sin fuente, serían la misma)."""
    tablas = copy.deepcopy(tablas)
    encabezado, *filas = tablas["presupuesto"]
    fuente = encabezado.index("fuente")
    categoria = encabezado.index("categoria_programatica")
    lineas = {f[categoria]: [*f[:fuente], None, *f[fuente + 1:]] for f in filas}
    tablas["presupuesto"] = [encabezado, *lineas.values()]
    return tablas


def claves_y_textos(valor, clave: str = ""):
    """Cada texto de un YAML leído con su clave como la nombran los errores de los
    parámetros (`presentacion.marco_normativo[1]`, los elementos desde 1): lo que las pruebas
    esperan en las advertencias, calculado aparte del programa."""
    if isinstance(valor, dict):
        for nombre, dentro in valor.items():
            yield from claves_y_textos(dentro, f"{clave}.{nombre}" if clave else str(nombre))
    elif isinstance(valor, list):
        for i, dentro in enumerate(valor, start=1):
            yield from claves_y_textos(dentro, f"{clave}[{i}]")
    elif isinstance(valor, str):
        yield clave, valor


def guardar_con_libreoffice(origen: Path, carpeta: Path) -> Path:
    """`origen` abierto y guardado como .xlsx por LibreOffice sin interfaz (con un perfil
    propio, temporal), en `carpeta` con el mismo nombre: como lo devolvería quien lo llenó
    allí. Sin LibreOffice, la prueba se salta; si la conversión falla, la prueba falla."""
    import pytest

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("falta LibreOffice (soffice): bash scripts/instalar_libreoffice.sh")
    with tempfile.TemporaryDirectory(prefix="perfil-soffice-") as perfil:
        resultado = subprocess.run(
            [soffice, "--headless", "--norestore", "--nologo",
             f"-env:UserInstallation={Path(perfil).as_uri()}", "--calc",
             "--convert-to", "xlsx", "--outdir", str(carpeta), str(origen)],
            capture_output=True, text=True, timeout=300)
    guardado = Path(carpeta) / Path(origen).name
    assert resultado.returncode == 0 and guardado.is_file(), resultado.stderr
    return guardado
