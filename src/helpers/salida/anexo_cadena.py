"""El cálculo completo del informe como fórmulas vivas sobre las filas del libro del POA.

Es el segundo testigo del anexo (ver `helpers.salida.anexo`): las hojas de tablas repiten los
valores de los CSV; estas hojas rehacen la cadena entera con fórmulas, desde las metas y
los montos mensuales de cada fila, con las reglas de la metodología que rigen el informe:

- `parametros`: las reglas en vigor; las fórmulas leen de aquí la participación de cada
  trimestre, la escala de calificación, los umbrales del semáforo del trimestre y la
  ejecución mínima de la eficiencia (en una celda fija, `CELDA_EFICIENCIA_MINIMA`, que
  también leen las hojas de tablas).
- `operaciones`: una fila por operación, con sus metas y lo ejecutado mes a mes; por cada
  periodo (cada trimestre hasta el corte, y el acumulado) lo programado, lo ejecutado, los
  meses sin reporte, si entra en los promedios, el cumplimiento (con el tope si rige) y las
  columnas auxiliares cumplimiento × tareas; con la participación `programada`, además la
  parte de la meta anual y la eficacia de la operación en cada trimestre.
- `presupuesto`: una fila por línea presupuestaria, con el devengado mes a mes, y la
  ejecución, el saldo y el semáforo de la línea; una fila TOTAL.
- `unidades`: avance físico = Σ(cumplimiento × tareas) / Σ tareas de sus operaciones que
  entran en el promedio; montos sumados de sus líneas presupuestarias.
- `acp_unidad` (sólo con `agregacion: promedio_unidades`): el avance de cada unidad
  calculado sólo con sus operaciones de una ACP.
- `acps`, `areas`, `servicios` y `entidad`: con `promedio_unidades`, la media simple de
  los valores de las filas del nivel de abajo que tienen valor (unidades de la ACP, unidades
  del área, áreas del servicio, servicios); con `tareas`, la media ponderada por tareas de
  todas sus operaciones.

En cada nivel: eficacia, eficacia acumulada (suma de las eficacias trimestrales),
ejecución, eficiencia y brecha (sobre la eficacia y la ejecución redondeadas a 2 decimales;
la eficiencia vacía si la ejecución redondeada es menor que la mínima de `parametros`),
calificación (sobre el valor redondeado a 2 decimales, con la escala de `parametros`) y
semáforo.

Las filas de un grupo se reconocen con EXACT (igualdad exacta de texto, distingue
mayúsculas y no usa comodines), dentro de SUMPRODUCT: SUMIFS y AVERAGEIFS interpretan
* ? ~ y los operadores < > = al comienzo de un código, y no distinguen mayúsculas. Un
valor no definido (nada programado, vigente 0) es texto vacío (""): las medias y COUNT no
lo cuentan. Todo es de Excel y de LibreOffice, sin funciones que necesiten `_xlfn.`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.calculo import metodologia as m
from helpers.calculo.versiones import version_al_corte
from helpers.comun.calendario import MESES_CORTO, MESES_NOMBRE
from helpers.redaccion.literal import PREFIJOS_FORMULA
from helpers.salida.anexo import (
    _ALINEACION_ENCABEZADO,
    _NEGRITA,
    _RELLENO_ENCABEZADO,
    ANCHO_MAXIMO,
    ANCHO_MINIMO,
    FORMATO_CODIGO,
    FORMATO_DECIMAL,
    FORMATO_ENTERO,
    FORMATO_MONTO,
    FORMATO_PORCENTAJE,
    FilasXml,
    _celda_xml,
    _columna_xml,
    _Estilos,
    _formula_xml,
    _texto_mostrado,
    _valor_celda,
    tandas,
)

__all__ = ["CELDA_EFICIENCIA_MINIMA", "HOJAS_CADENA", "escribir_cadena"]

HOJA_PARAMETROS = "parametros"
HOJA_OPERACIONES = "operaciones"
HOJA_PRESUPUESTO = "presupuesto"
HOJA_UNIDADES = "unidades"
HOJA_ACP_UNIDAD = "acp_unidad"
HOJA_ACPS = "acps"
HOJA_AREAS = "areas"
HOJA_SERVICIOS = "servicios"
HOJA_ENTIDAD = "entidad"
HOJAS_CADENA = (
    HOJA_PARAMETROS, HOJA_OPERACIONES, HOJA_PRESUPUESTO, HOJA_UNIDADES, HOJA_ACP_UNIDAD,
    HOJA_ACPS, HOJA_AREAS, HOJA_SERVICIOS, HOJA_ENTIDAD,
)

# En los encabezados del anexo, los meses van en minúscula: «Programado ene».
MESES_CORTOS = tuple(mes.lower() for mes in MESES_CORTO)
MESES_LARGOS = MESES_NOMBRE
ACUMULADO = "acumulado"
# La celda de parametros con la ejecución mínima de la eficiencia: fija, porque las fórmulas
# de las hojas de tablas (`helpers.salida.anexo`), que se escriben antes, también la leen.
CELDA_EFICIENCIA_MINIMA = f"{HOJA_PARAMETROS}!$B$11"

_F = "{f}"  # en una plantilla de fórmula, el número de fila


def _femenino(etiqueta: str) -> str:
    """«acumulada» para una palabra femenina (ejecución, eficacia); T1..T4 no cambian."""
    return "acumulada" if etiqueta == ACUMULADO else etiqueta


# ---------------------------------------------------------------------------------------
# Hojas con columnas de valores y de fórmulas
# ---------------------------------------------------------------------------------------

@dataclass
class _Columna:
    clave: str
    encabezado: str
    formato: str | None
    valores: pd.Series | None = None  # columna de datos, en el orden de las filas
    plantilla: str | None = None  # fórmula con "{f}" en lugar del número de fila
    descripcion: str | None = None  # para la hoja leeme (columnas con fórmula)
    total: object = None  # fila TOTAL: None (vacía), un valor, "suma" o "fila" (la plantilla)


@dataclass
class _Hoja:
    """Una hoja de la cadena: columnas en orden, con letras asignadas al agregarlas."""

    nombre: str
    filas: int
    con_total: bool = False
    columnas: list[_Columna] = field(default_factory=list)
    letras: dict[str, str] = field(default_factory=dict)

    def _agregar(self, col: _Columna) -> str:
        if col.clave in self.letras:
            raise ValueError(f"anexo, hoja {self.nombre}: columna repetida {col.clave}")
        self.columnas.append(col)
        letra = get_column_letter(len(self.columnas))
        self.letras[col.clave] = letra
        return letra

    def valor(self, clave: str, encabezado: str, formato: str | None, valores, total=None) -> None:
        # Una columna de un DataFrame conserva su tipo (`_columna_xml` convierte de una vez
        # las de números); otra secuencia va como objetos, valor por valor.
        if isinstance(valores, pd.Series):
            serie = valores.reset_index(drop=True)
        else:
            serie = pd.Series(list(valores), dtype=object)
        self._agregar(_Columna(clave, encabezado, formato, valores=serie, total=total))

    def formula(self, clave: str, encabezado: str, formato: str | None, descripcion: str,
                plantilla: str, total=None) -> None:
        self._agregar(_Columna(clave, encabezado, formato, plantilla=plantilla,
                               descripcion=descripcion, total=total))

    def c(self, clave: str) -> str:
        """La celda de la columna en la misma fila (para una plantilla)."""
        return f"{self.letras[clave]}{_F}"

    def fija(self, clave: str) -> str:
        """La celda de la columna en la misma fila, con la columna fija ($A{f})."""
        return f"${self.letras[clave]}{_F}"

    def ultima_fila(self) -> int:
        return 1 + max(self.filas, 1)  # sin filas, un rango de una fila vacía

    def rango(self, clave: str) -> str:
        """Las filas de datos de la columna, desde otra hoja: hoja!$X$2:$X$n."""
        letra = self.letras[clave]
        return f"{self.nombre}!${letra}$2:${letra}${self.ultima_fila()}"


def _escribir_hoja(ws, hoja: _Hoja, estilos: _Estilos) -> tuple[list[tuple[str, str, str]],
                                                               FilasXml]:
    """Escribe el encabezado, los anchos y el filtro de la hoja con openpyxl; devuelve
    (hoja, encabezado, descripción) de las columnas con fórmula y las filas de datos en
    XML (`anexo.FilasXml`), que `anexo._guardar` pone en la hoja.

    Las filas se escriben como XML porque el escritor de openpyxl sin lxml tarda unos 80 µs
    por celda (decenas de miles de celdas); un texto de los datos va siempre como texto
    (`inlineStr`), con la comilla de Excel si empieza con = + - @, nunca como fórmula."""
    columnas = hoja.columnas
    ws.append([c.encabezado for c in columnas])
    for celda in ws[1]:
        celda.font = _NEGRITA
        celda.fill = _RELLENO_ENCABEZADO
        celda.alignment = _ALINEACION_ENCABEZADO
    anchos = [max(len(c.encabezado) + 3, 10 if c.plantilla else 0) for c in columnas]
    letras = [get_column_letter(j + 1) for j in range(len(columnas))]
    ultima = hoja.ultima_fila()
    salida = FilasXml()

    # Las filas de datos, columna por columna, de a tandas.
    filas = range(2, hoja.filas + 2)
    plantillas = {}
    for j, col in enumerate(columnas):
        if col.plantilla is not None:
            # Lo mismo que `_formula_xml` con el número de cada fila: "{f}" no cambia al
            # escaparse, así que la plantilla se escapa una sola vez.
            plantillas[j] = (escape(col.plantilla[1:]), estilos(col.formato, False))
    for desde, hasta in tandas(hoja.filas) if columnas else []:
        en_tanda = filas[desde:hasta]
        celdas_por_columna = []
        for j, col in enumerate(columnas):
            if j in plantillas:
                cuerpo, estilo = plantillas[j]
                celdas = [f'<c r="{letras[j]}{n}"{estilo}><f>{cuerpo.replace(_F, str(n))}</f></c>'
                          for n in en_tanda]
            else:
                celdas, largo = _columna_xml(col.valores.iloc[desde:hasta], en_tanda, letras[j],
                                             col.formato, None, estilos, hoja.nombre,
                                             col.encabezado)
                anchos[j] = max(anchos[j], largo + 2)
            celdas_por_columna.append(celdas)
        salida.agregar([f'<row r="{n}">{"".join(fila)}</row>'
                        for n, fila in zip(en_tanda, zip(*celdas_por_columna))], en_tanda[-1])
    if hoja.con_total:
        n = hoja.filas + 2
        partes = [f'<row r="{n}">']
        for j, col in enumerate(columnas):
            if col.total == "suma" and hoja.filas:
                letra = hoja.letras[col.clave]
                partes.append(_formula_xml(f"{letras[j]}{n}", f"=SUM({letra}2:{letra}{ultima})",
                                           estilos(col.formato, True)))
            elif col.total == "fila":
                partes.append(_formula_xml(f"{letras[j]}{n}", col.plantilla.replace(_F, str(n)),
                                           estilos(col.formato, True)))
            else:
                valor = _valor_celda(0 if col.total == "suma" else col.total, hoja.nombre, n,
                                     col.encabezado)
                partes.append(_celda_xml(f"{letras[j]}{n}", valor, col.formato, True, estilos,
                                         f"hoja {hoja.nombre}, fila {n}, columna "
                                         f"{col.encabezado}"))
                if valor is not None and valor != "":
                    anchos[j] = max(anchos[j], len(_texto_mostrado(valor, col.formato)) + 2)
        partes.append("</row>")
        salida.agregar(partes, n)

    for j in range(len(columnas)):
        ws.column_dimensions[letras[j]].width = max(ANCHO_MINIMO, min(ANCHO_MAXIMO, anchos[j]))
    if columnas:
        ws.auto_filter.ref = f"A1:{letras[-1]}{hoja.filas + 1}"
        ws.freeze_panes = "B2"
    formulas = []
    for c in columnas:
        if c.plantilla:
            formulas.append((hoja.nombre, c.encabezado, c.descripcion))
        elif hoja.con_total and hoja.filas and c.total == "suma":
            formulas.append((hoja.nombre, c.encabezado,
                             "en la fila TOTAL, suma de la columna (las demás filas son datos)"))
    return formulas, salida


# ---------------------------------------------------------------------------------------
# Piezas de fórmula
# ---------------------------------------------------------------------------------------

def _exacto(criterios: Sequence[tuple[str, str]]) -> str:
    """EXACT(rango;celda)*EXACT(...): 1 en las filas del grupo, 0 en las demás."""
    return "*".join(f"EXACT({rango},{celda})" for rango, celda in criterios)


def _suma_grupo(criterios: Sequence[tuple[str, str]], rango: str) -> str:
    if not criterios:
        return f"SUM({rango})"
    return f"SUMPRODUCT({_exacto(criterios)}*{rango})"


def _cuenta_con_valor(criterios: Sequence[tuple[str, str]], rango: str) -> str:
    if not criterios:
        return f"COUNT({rango})"
    return f"SUMPRODUCT({_exacto(criterios)}*ISNUMBER({rango}))"


def _media_con_valor(criterios: Sequence[tuple[str, str]], rango: str, cuenta: str) -> str:
    """Media simple de las filas del grupo con valor (el texto vacío no cuenta)."""
    if not criterios:
        return f'IF({cuenta}=0,"",AVERAGE({rango}))'
    suma = f"SUMPRODUCT({_exacto(criterios)}*ISNUMBER({rango}),{rango})"
    return f'IF({cuenta}=0,"",{suma}/{cuenta})'


def _porcentaje(num: str, den: str) -> str:
    return f'IF({den}>0,{num}/{den}*100,"")'


@dataclass(frozen=True)
class _Periodo:
    etiqueta: str  # "T1".."T4" o "acumulado"
    meses: tuple[int, ...]
    trimestre: int | None  # None en el acumulado

    @property
    def meses_texto(self) -> str:
        return f"{MESES_CORTOS[self.meses[0] - 1]}-{MESES_CORTOS[self.meses[-1] - 1]}"


@dataclass(frozen=True)
class _Contexto:
    trimestre: int
    metodologia: object
    periodos: tuple[_Periodo, ...]  # T1..Tq y el acumulado
    p: dict[str, str]  # celdas de parametros
    escala: tuple[tuple[str, bool], ...]  # (fila de parametros, inclusivo) por tramo

    @property
    def actual(self) -> _Periodo:
        return self.periodos[self.trimestre - 1]

    @property
    def acumulado(self) -> _Periodo:
        return self.periodos[-1]

    @property
    def trimestres(self) -> tuple[_Periodo, ...]:
        return self.periodos[:-1]

    @property
    def programada(self) -> bool:
        return self.metodologia.participacion == "programada"

    @property
    def promedio_unidades(self) -> bool:
        return self.metodologia.agregacion == "promedio_unidades"


def _calificacion(ctx: _Contexto, celda: str, campo: str) -> str:
    """El tramo de la escala de `parametros` para el valor redondeado a 2 decimales."""
    columna = {"grado": "C", "calificacion": "D"}[campo]
    mostrado = f"ROUND({celda},2)"
    formula = '""'
    for fila, inclusivo in reversed(ctx.escala):
        op = ">=" if inclusivo else ">"
        formula = (f"IF({mostrado}{op}{HOJA_PARAMETROS}!$A${fila},"
                   f"{HOJA_PARAMETROS}!${columna}${fila},{formula})")
    return f'=IF({celda}="","",{formula})'


def _describir_escala(que: str, campo: str) -> str:
    nombre = {"grado": "el grado", "calificacion": "la calificación"}[campo]
    return (f"{nombre} del tramo de la escala de parametros en que cae {que} redondeado a "
            "2 decimales (ROUND); vacía si no hay valor")


# ---------------------------------------------------------------------------------------
# parametros
# ---------------------------------------------------------------------------------------

def _hoja_parametros(
    ws, metodologia, trimestre: int
) -> tuple[dict[str, str], tuple[tuple[str, bool], ...]]:
    """Escribe la hoja de parámetros; devuelve las celdas que leen las fórmulas (como
    referencias absolutas) y, por tramo de la escala, su fila y si es inclusivo."""
    met, q = metodologia, trimestre
    inicio, fin = 3 * q - 2, 3 * q
    filas: list[list] = []
    negritas: list[int] = []
    p: dict[str, str] = {}

    def titulo(*celdas) -> None:
        filas.append(list(celdas))
        negritas.append(len(filas))

    titulo("Parámetro", "Valor", "Qué hace")
    filas += [
        ["Trimestre de corte", q, "el informe llega hasta el fin de este trimestre"],
        ["Meses del trimestre", f"{MESES_LARGOS[inicio - 1]} a {MESES_LARGOS[fin - 1]}",
         f"periodo de las columnas T{q}"],
        ["Periodo acumulado", f"enero a {MESES_LARGOS[fin - 1]}",
         "periodo de las columnas «acumulado»"],
        ["Tope de cumplimiento", "sí" if met.tope_cumplimiento else "no",
         "con tope, el cumplimiento de una operación es MIN(ejecutado / programado; 1) × 100"],
        ["Agregación", met.agregacion,
         "promedio_unidades: media simple de unidades, áreas y servicios; tareas: media "
         "ponderada por tareas de todas las operaciones del grupo"],
        ["Participación", met.participacion,
         "trimestral_igual: eficacia = avance físico × participación de cada trimestre; "
         "programada: cada operación aporta cumplimiento × meta del trimestre / meta anual"],
        ["Participación de cada trimestre (%)",
         m.PARTICIPACION_TRIMESTRAL if met.participacion == "trimestral_igual" else None,
         "la leen las fórmulas de eficacia (participación trimestral_igual)"],
    ]
    p["participacion"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
    filas += [
        ["Meses sin reporte", met.sin_reporte,
         "cero: cuentan como 0 ejecutado; excluir: la operación no entra en los promedios"],
        ["Cumplimiento mínimo para CUMPLE (%)", met.umbral_cumple,
         "evaluación anual de una operación (rendición de cuentas)"],
        ["Ejecución mínima para la eficiencia (%)", met.eficiencia_ejecucion_minima,
         "con una ejecución redondeada a 2 decimales menor, la eficiencia no es significativa "
         "(n.s.) y la celda queda vacía; la leen las fórmulas de eficiencia"],
    ]
    p["eficiencia_minima"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
    if p["eficiencia_minima"] != CELDA_EFICIENCIA_MINIMA:  # la leen también las hojas de tablas
        raise ValueError(f"anexo: la ejecución mínima de la eficiencia quedó en "
                         f"{p['eficiencia_minima']} y no en {CELDA_EFICIENCIA_MINIMA}")
    filas.append([])
    titulo("Escala de calificación (de mayor a menor; la leen las fórmulas de calificación)")
    titulo("Desde (%)", "Inclusivo", "Grado", "Calificación", "Desempeño")
    escala = []
    for tramo in met.escala_calificacion:
        inclusivo = m.es_inclusivo(tramo)
        filas.append([
            float(m.campo_tramo(tramo, "desde")),
            "sí (≥)" if inclusivo else "no (>)",
            m.campo_tramo(tramo, "grado"),
            m.campo_tramo(tramo, "calificacion"),
            m.campo_tramo(tramo, "desempeno"),
        ])
        escala.append((str(len(filas)), inclusivo))
    filas.append([])
    titulo("Semáforo financiero (ejecución acumulada al corte, redondeada a 2 decimales; "
           "las fórmulas leen los umbrales del trimestre en uso)")
    titulo("Trimestre", "Verde desde (%)", "Amarillo desde (%)", "En uso")
    for t, (verde, amarillo) in sorted(met.semaforo_financiero.items()):
        filas.append([t, float(verde), float(amarillo), "sí" if t == q else ""])
        if t == q:
            p["verde"] = f"{HOJA_PARAMETROS}!$B${len(filas)}"
            p["amarillo"] = f"{HOJA_PARAMETROS}!$C${len(filas)}"
    for n, fila in enumerate(filas, start=1):
        for j, valor in enumerate(fila, start=1):
            celda = ws.cell(row=n, column=j)
            valor = _valor_celda(valor, HOJA_PARAMETROS, n, str(j))
            celda.value = valor
            if isinstance(valor, str):
                celda.data_type = "s"  # los textos de los parámetros nunca son fórmulas
                if valor.startswith(PREFIJOS_FORMULA):
                    celda.quotePrefix = True
            if n in negritas:
                celda.font = _NEGRITA
    for letra, ancho in zip("ABCDE", (38, 20, 28, 16, 16), strict=True):
        ws.column_dimensions[letra].width = ancho
    return p, tuple(escala)


# ---------------------------------------------------------------------------------------
# operaciones
# ---------------------------------------------------------------------------------------

def _hoja_operaciones(datos, ctx: _Contexto) -> _Hoja:
    ops = datos.operaciones
    h = _Hoja(HOJA_OPERACIONES, len(ops))
    h.valor("codigo", "Código de operación", None, ops["codigo_operacion"])
    h.valor("unidad", "Código de unidad", None, ops["codigo_unidad"])
    h.valor("acp", "Código de ACP", None, ops["codigo_acp"])
    h.valor("descripcion", "Descripción", None, ops["descripcion"])
    h.valor("tareas", "Tareas", FORMATO_ENTERO, ops["tareas"].astype(int))
    h.valor("no_aplica", "No aplica (justificación)", None, ops["no_aplica"])
    h.valor("fila", "Fila en el libro", FORMATO_CODIGO, ops["fila"])
    for mes in m.MESES:
        h.valor(f"prog_{mes}", f"Programado {MESES_CORTOS[mes - 1]}", None, ops[m.col_prog(mes)])
    for mes in m.MESES:
        h.valor(f"ejec_{mes}", f"Ejecutado {MESES_CORTOS[mes - 1]}", None, ops[m.col_ejec(mes)])
    na = h.fija("no_aplica")
    if ctx.programada:
        h.formula("prog_anual", "Programado anual", None,
                  "suma de lo programado de enero a diciembre",
                  f"=SUM({h.c('prog_1')}:{h.c('prog_12')})")
    tope = ctx.metodologia.tope_cumplimiento
    excluir = ctx.metodologia.sin_reporte == "excluir"
    for per in ctx.periodos:
        e = per.etiqueta
        ini, fin = per.meses[0], per.meses[-1]
        prog_meses = f"{h.c(f'prog_{ini}')}:{h.c(f'prog_{fin}')}"
        ejec_meses = f"{h.c(f'ejec_{ini}')}:{h.c(f'ejec_{fin}')}"
        h.formula(f"prog:{e}", f"Programado {e} ({per.meses_texto})", None,
                  f"suma de lo programado de {per.meses_texto}", f"=SUM({prog_meses})")
        h.formula(f"ejec:{e}", f"Ejecutado {e} ({per.meses_texto})", None,
                  f"suma de lo ejecutado de {per.meses_texto} (un mes vacío no suma)",
                  f"=SUM({ejec_meses})")
        h.formula(f"sin_reporte:{e}", f"Meses sin reporte {e}", FORMATO_ENTERO,
                  f"meses de {per.meses_texto} con meta programada y ejecutado vacío",
                  f"=SUMPRODUCT(({prog_meses}>0)*ISBLANK({ejec_meses}))")
        prog, ejec = h.c(f"prog:{e}"), h.c(f"ejec:{e}")
        condicion = f"{prog}>0,{na}=\"\""
        descripcion = "1 si programado > 0 y no es NO APLICA"
        if excluir:
            condicion += f",{h.c(f'sin_reporte:{e}')}=0"
            descripcion += " y no tiene meses sin reporte (regla excluir)"
        h.formula(f"en_promedio:{e}", f"En el promedio {e} (1 = sí)", FORMATO_CODIGO,
                  descripcion + "; si no, 0", f"=IF(AND({condicion}),1,0)")
        flag = h.c(f"en_promedio:{e}")
        if tope:
            razon, texto = f"MIN({ejec}/{prog},1)", "mín(ejecutado / programado; 1) × 100"
        else:
            razon, texto = f"{ejec}/{prog}", "ejecutado / programado × 100, sin tope"
        h.formula(f"cumplimiento:{e}", f"Cumplimiento {e} (%)", FORMATO_PORCENTAJE,
                  f"{texto}; vacía si no entra en el promedio",
                  f'=IF({flag}=1,{razon}*100,"")')
        if per.trimestre is None or per.trimestre == ctx.trimestre:
            h.formula(f"sin_tope:{e}", f"Cumplimiento sin tope {e} (%)", FORMATO_PORCENTAJE,
                      "ejecutado / programado × 100; vacía si no entra en el promedio",
                      f'=IF({flag}=1,{ejec}/{prog}*100,"")')
        h.formula(f"tareas:{e}", f"Tareas en el promedio {e}", FORMATO_ENTERO,
                  "tareas si entra en el promedio; si no, 0",
                  f"=IF({flag}=1,{h.fija('tareas')},0)")
        h.formula(f"ponderado:{e}", f"Cumplimiento × tareas {e}", FORMATO_DECIMAL,
                  "cumplimiento × tareas si entra en el promedio; si no, 0",
                  f"=IF({flag}=1,{h.c(f'cumplimiento:{e}')}*{h.fija('tareas')},0)")
        if ctx.programada and per.trimestre is not None:
            anual = h.c("prog_anual")
            h.formula(f"parte:{e}", f"Parte de la meta anual {e}", "0.0000",
                      f"programado {e} / programado anual; vacía si la meta anual es 0",
                      f'=IF({anual}>0,{prog}/{anual},"")')
            h.formula(f"eficacia:{e}", f"Eficacia {e} (%)", FORMATO_PORCENTAJE,
                      f"cumplimiento {e} × parte de la meta anual si entra en el promedio, 0 "
                      "si no; vacía si es NO APLICA o su meta anual es 0 (fuera de los promedios)",
                      f'=IF(OR({na}<>"",{anual}=0),"",'
                      f"IF({flag}=1,{h.c(f'cumplimiento:{e}')}*{h.c(f'parte:{e}')},0))")
            h.formula(f"tareas_eficacia:{e}", f"Tareas en la eficacia {e}", FORMATO_ENTERO,
                      "tareas si la eficacia tiene valor; si no, 0",
                      f"=IF(ISNUMBER({h.c(f'eficacia:{e}')}),{h.fija('tareas')},0)")
            h.formula(f"eficacia_ponderada:{e}", f"Eficacia × tareas {e}", FORMATO_DECIMAL,
                      "eficacia × tareas si tiene valor; si no, 0",
                      f"=IF(ISNUMBER({h.c(f'eficacia:{e}')}),"
                      f"{h.c(f'eficacia:{e}')}*{h.fija('tareas')},0)")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        prog, ejec = h.c(f"prog:{e}"), h.c(f"ejec:{e}")
        excluida = ""
        if excluir:
            excluida = (f"IF({h.c(f'sin_reporte:{e}')}>0,\"{m.ESTADO_EXCLUIDA}\","
                        f"\"{m.ESTADO_PROGRAMADA}\")")
        else:
            excluida = f"\"{m.ESTADO_PROGRAMADA}\""
        h.formula(f"estado:{e}", f"Estado {e}", None,
                  "NO APLICA si tiene justificación; si no, según lo programado y lo ejecutado"
                  + (" (EXCLUIDA si le faltan reportes)" if excluir else ""),
                  f'=IF({na}<>"","{m.ESTADO_NO_APLICA}",IF({prog}>0,{excluida},'
                  f'IF({ejec}>0,"{m.ESTADO_SIN_PROGRAMACION}","{m.ESTADO_NO_PROGRAMADA}")))')
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"calificacion:{e}", f"Calificación {_femenino(e)}", None,
                  _describir_escala(f"el cumplimiento {e}", "calificacion"),
                  _calificacion(ctx, h.c(f"cumplimiento:{e}"), "calificacion"))
    return h


# ---------------------------------------------------------------------------------------
# presupuesto
# ---------------------------------------------------------------------------------------

def _semaforo(ctx: _Contexto, celda: str) -> str:
    mostrado = f"ROUND({celda},2)"
    return (f'=IF({celda}="","",IF({mostrado}>={ctx.p["verde"]},"verde",'
            f'IF({mostrado}>={ctx.p["amarillo"]},"amarillo","rojo")))')


_DESCRIPCION_SEMAFORO = ("verde, amarillo o rojo según la ejecución acumulada redondeada a 2 "
                         "decimales y los umbrales del trimestre en parametros")


def _hoja_presupuesto(datos, ctx: _Contexto) -> _Hoja:
    pres = datos.presupuesto
    h = _Hoja(HOJA_PRESUPUESTO, len(pres), con_total=bool(len(pres)))
    h.valor("categoria", "Categoría programática", None, pres["categoria_programatica"],
            total="TOTAL")
    h.valor("fuente", "Fuente", None, pres["fuente"])
    h.valor("programa", "Programa", None, pres["programa"], total="Total de la entidad")
    h.valor("unidad", "Código de unidad", None, pres["codigo_unidad"])
    h.valor("acp", "Código de ACP", None, pres["codigo_acp"])
    h.valor("fila", "Fila en el libro", FORMATO_CODIGO, pres["fila"])
    h.valor("vigente", "Vigente (Bs)", FORMATO_MONTO, pres["vigente"].astype(float), total="suma")
    for mes in m.MESES:
        h.valor(f"dev_{mes}", f"Devengado {MESES_CORTOS[mes - 1]} (Bs)", FORMATO_MONTO,
                pres[m.col_dev(mes)].astype(float), total="suma")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"devengado:{e}", f"Devengado {e} (Bs)", FORMATO_MONTO,
                  f"suma del devengado de {per.meses_texto}",
                  f"=SUM({h.c(f'dev_{per.meses[0]}')}:{h.c(f'dev_{per.meses[-1]}')})",
                  total="suma")
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"ejecucion:{e}", f"Ejecución {_femenino(e)} (%)", FORMATO_PORCENTAJE,
                  f"devengado {e} / vigente × 100; vacía si vigente no es mayor que 0",
                  "=" + _porcentaje(h.c(f"devengado:{e}"), h.c("vigente")), total="fila")
    h.formula("saldo", "Saldo (Bs)", FORMATO_MONTO, "vigente − devengado acumulado",
              f"={h.c('vigente')}-{h.c(f'devengado:{ACUMULADO}')}", total="fila")
    h.formula("semaforo", "Semáforo", None, _DESCRIPCION_SEMAFORO,
              _semaforo(ctx, h.c(f"ejecucion:{ACUMULADO}")), total="fila")
    return h


# ---------------------------------------------------------------------------------------
# Niveles: unidades, acp_unidad, acps, áreas, servicios y entidad
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Medida:
    """Un valor por operación que se lleva a los niveles: el cumplimiento de un periodo
    (avance físico) o la eficacia de un trimestre (participación programada)."""

    clave: str  # "avance:T1", "eficacia:T2"...
    encabezado: str  # "Avance físico T1 (%)"
    tareas_op: str  # columnas de operaciones: tareas y valor × tareas
    ponderado_op: str
    tareas_texto: str  # "Tareas en el promedio T1"
    ponderado_texto: str  # "Cumplimiento × tareas T1"
    que: str  # "avance físico T1"


def _medidas(ctx: _Contexto) -> list[_Medida]:
    medidas = []
    for per in ctx.periodos:
        e = per.etiqueta
        medidas.append(_Medida(
            f"avance:{e}", f"Avance físico {e} (%)", f"tareas:{e}", f"ponderado:{e}",
            f"Tareas en el promedio {e}", f"Cumplimiento × tareas {e}",
            f"avance físico {e}",
        ))
    if ctx.programada:
        for per in ctx.trimestres:
            e = per.etiqueta
            medidas.append(_Medida(
                f"eficacia:{e}", f"Eficacia {e} (%)", f"tareas_eficacia:{e}",
                f"eficacia_ponderada:{e}",
                f"Tareas en la eficacia {e}", f"Eficacia × tareas {e}", f"eficacia {e}",
            ))
    return medidas


def _ponderada(h: _Hoja, medida: _Medida, fuente: _Hoja, criterios, origen: str) -> None:
    """Media ponderada por tareas: Σ(valor × tareas) / Σ tareas sobre las filas de `fuente`
    del grupo (las columnas auxiliares de tareas de `fuente`)."""
    cols_tareas, cols_ponderado = (
        (medida.tareas_op, medida.ponderado_op) if fuente.nombre == HOJA_OPERACIONES
        else (f"tareas|{medida.clave}", f"ponderado|{medida.clave}")
    )
    t = _suma_grupo(criterios, fuente.rango(cols_tareas))
    p = _suma_grupo(criterios, fuente.rango(cols_ponderado))
    h.formula(f"tareas|{medida.clave}", medida.tareas_texto, FORMATO_ENTERO,
              f"suma de la columna «{medida.tareas_texto}» de {origen}", "=" + t)
    h.formula(f"ponderado|{medida.clave}", medida.ponderado_texto, FORMATO_DECIMAL,
              f"suma de la columna «{medida.ponderado_texto}» de {origen}", "=" + p)
    tareas, ponderado = h.c(f"tareas|{medida.clave}"), h.c(f"ponderado|{medida.clave}")
    h.formula(medida.clave, medida.encabezado, FORMATO_PORCENTAJE,
              f"{medida.ponderado_texto} / {medida.tareas_texto} (media ponderada por tareas); "
              "vacía si no hay tareas",
              f'=IF({tareas}>0,{ponderado}/{tareas},"")')


def _media(h: _Hoja, medida: _Medida, fuente: _Hoja, criterios, origen: str, cuales: str) -> None:
    """Media simple de los valores de las filas de `fuente` del grupo que tienen valor."""
    rango = fuente.rango(medida.clave)
    h.formula(f"cuenta|{medida.clave}", f"{cuales} con {medida.que}", FORMATO_ENTERO,
              f"cuántas filas de {origen} tienen {medida.que}",
              "=" + _cuenta_con_valor(criterios, rango))
    cuenta = h.c(f"cuenta|{medida.clave}")
    funcion = "AVERAGE" if not criterios else "SUMPRODUCT(...)/cuenta"
    h.formula(medida.clave, medida.encabezado, FORMATO_PORCENTAJE,
              f"media simple de {medida.que} de {origen} que tienen valor ({funcion}); "
              "vacía si ninguna tiene valor",
              "=" + _media_con_valor(criterios, rango, cuenta))


def _financiero(h: _Hoja, ctx: _Contexto, fuente: _Hoja, criterios, origen: str) -> None:
    """Vigente y devengados sumados (nunca promedios de porcentajes) y la ejecución."""
    for clave, encabezado, col in (
        ("vigente", "Vigente (Bs)", "vigente"),
        (f"devengado:{ctx.actual.etiqueta}", f"Devengado {ctx.actual.etiqueta} (Bs)",
         f"devengado:{ctx.actual.etiqueta}"),
        (f"devengado:{ACUMULADO}", "Devengado acumulado (Bs)", f"devengado:{ACUMULADO}"),
    ):
        h.formula(clave, encabezado, FORMATO_MONTO,
                  f"suma de «{encabezado}» de {origen}",
                  "=" + _suma_grupo(criterios, fuente.rango(col)))
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        h.formula(f"ejecucion:{e}", f"Ejecución {_femenino(e)} (%)", FORMATO_PORCENTAJE,
                  f"devengado {e} / vigente × 100 (montos sumados primero); vacía si vigente "
                  "no es mayor que 0",
                  "=" + _porcentaje(h.c(f"devengado:{e}"), h.c("vigente")))


def _indicadores(h: _Hoja, ctx: _Contexto) -> None:
    """Eficacia de cada trimestre y acumulada, eficiencia, brecha, calificación y semáforo
    a partir de las columnas de avance, eficacia y ejecución de la misma fila."""
    eficacias = []
    for per in ctx.trimestres:
        e = per.etiqueta
        if not ctx.programada:
            avance = h.c(f"avance:{e}")
            h.formula(f"eficacia:{e}", f"Eficacia {e} (%)", FORMATO_PORCENTAJE,
                      f"avance físico {e} × participación de cada trimestre (parametros) / 100;"
                      " vacía si no hay avance",
                      f'=IF(ISNUMBER({avance}),{avance}*{ctx.p["participacion"]}/100,"")')
        eficacias.append(h.c(f"eficacia:{e}"))
    lista = ",".join(eficacias)
    h.formula(f"eficacia:{ACUMULADO}", "Eficacia acumulada (%)", FORMATO_PORCENTAJE,
              "suma de las eficacias de los trimestres hasta el corte (un trimestre sin valor "
              "no suma); vacía si ninguno tiene valor",
              f'=IF(COUNT({lista})=0,"",SUM({lista}))')
    # §4: sobre la eficacia y la ejecución redondeadas a 2 decimales (las impresas). IF
    # anidados: AND no se detiene en el primer falso, y ROUND("") da error.
    minima = ctx.p["eficiencia_minima"]
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        nombre = _femenino(e)
        efic, ejec = h.c(f"eficacia:{e}"), h.c(f"ejecucion:{e}")
        f2, e2 = f"ROUND({efic},2)", f"ROUND({ejec},2)"
        h.formula(f"eficiencia:{e}", f"Eficiencia {nombre} (%)", FORMATO_PORCENTAJE,
                  f"ROUND(eficacia {nombre}; 2) / ROUND(ejecución {nombre}; 2) × 100; vacía si "
                  "falta alguna, o si la ejecución redondeada no es mayor que 0 o es menor que "
                  "la ejecución mínima de parametros (n.s.)",
                  f'=IF(AND(ISNUMBER({efic}),ISNUMBER({ejec})),'
                  f'IF(AND({e2}>0,{e2}>={minima}),{f2}/{e2}*100,""),"")')
    for per in (ctx.actual, ctx.acumulado):
        e = per.etiqueta
        nombre = _femenino(e)
        efic, ejec = h.c(f"eficacia:{e}"), h.c(f"ejecucion:{e}")
        h.formula(f"brecha:{e}", f"Brecha {nombre} (puntos)", FORMATO_PORCENTAJE,
                  f"ROUND(eficacia {nombre}; 2) − ROUND(ejecución {nombre}; 2), en puntos "
                  "porcentuales; vacía si falta alguna",
                  f'=IF(AND(ISNUMBER({efic}),ISNUMBER({ejec})),'
                  f'ROUND({efic},2)-ROUND({ejec},2),"")')
    for per, campo in ((ctx.actual, "calificacion"), (ctx.acumulado, "calificacion"),
                       (ctx.actual, "grado")):
        e = per.etiqueta
        nombre = _femenino(e)
        titulo = "Calificación" if campo == "calificacion" else "Grado"
        h.formula(f"{campo}:{e}", f"{titulo} {nombre}", None,
                  _describir_escala(f"el avance físico {e}", campo),
                  _calificacion(ctx, h.c(f"avance:{e}"), campo))
    h.formula("semaforo", "Semáforo", None, _DESCRIPCION_SEMAFORO,
              _semaforo(ctx, h.c(f"ejecucion:{ACUMULADO}")))


def _hoja_unidades(datos, ctx, ops: _Hoja, pres: _Hoja) -> _Hoja:
    uds = datos.unidades
    h = _Hoja(HOJA_UNIDADES, len(uds))
    h.valor("codigo", "Código de unidad", None, uds["codigo_unidad"])
    h.valor("nombre", "Nombre", None, uds["nombre"])
    h.valor("area", "Área", None, uds["area"])
    h.valor("servicio", "Servicio", None, uds["servicio"])
    h.valor("tipo", "Tipo", None, uds["tipo"])
    _financiero(h, ctx, pres, [(pres.rango("unidad"), h.fija("codigo"))],
                "las líneas de presupuesto de la unidad")
    for medida in _medidas(ctx):
        _ponderada(h, medida, ops, [(ops.rango("unidad"), h.fija("codigo"))],
                   "las operaciones de la unidad")
    _indicadores(h, ctx)
    return h


def _hoja_acp_unidad(datos, ctx, ops: _Hoja) -> _Hoja:
    """Cada par (ACP, unidad) con operaciones, en el orden de las ACP y de las unidades."""
    orden_acp = {c: i for i, c in enumerate(datos.acp["codigo_acp"])}
    orden_ud = {c: i for i, c in enumerate(datos.unidades["codigo_unidad"])}
    pares = sorted(
        set(zip(datos.operaciones["codigo_acp"], datos.operaciones["codigo_unidad"])),
        key=lambda par: (orden_acp.get(par[0], len(orden_acp)), par[0],
                         orden_ud.get(par[1], len(orden_ud)), par[1]),
    )
    h = _Hoja(HOJA_ACP_UNIDAD, len(pares))
    h.valor("acp", "Código de ACP", None, [a for a, _ in pares])
    h.valor("unidad", "Código de unidad", None, [u for _, u in pares])
    criterios = [(ops.rango("acp"), h.fija("acp")), (ops.rango("unidad"), h.fija("unidad"))]
    for medida in _medidas(ctx):
        _ponderada(h, medida, ops, criterios, "las operaciones de la unidad en la ACP")
    return h


def _hoja_acps(datos, ctx, ops: _Hoja, pres: _Hoja, acp_unidad: _Hoja | None) -> _Hoja:
    acp = datos.acp
    h = _Hoja(HOJA_ACPS, len(acp))
    h.valor("codigo", "Código de ACP", None, acp["codigo_acp"])
    h.valor("descripcion", "Descripción", None, acp["descripcion"])
    _financiero(h, ctx, pres, [(pres.rango("acp"), h.fija("codigo"))],
                "las líneas de presupuesto de la ACP")
    for medida in _medidas(ctx):
        if acp_unidad is not None:
            _media(h, medida, acp_unidad, [(acp_unidad.rango("acp"), h.fija("codigo"))],
                   "las filas de acp_unidad de la ACP", "Unidades")
        else:
            _ponderada(h, medida, ops, [(ops.rango("acp"), h.fija("codigo"))],
                       "las operaciones de la ACP")
    _indicadores(h, ctx)
    return h


def _hoja_areas(datos, ctx, uds: _Hoja) -> _Hoja:
    unidades = datos.unidades
    areas = list(pd.unique(unidades["area"]))
    servicio = unidades.groupby("area", sort=False)["servicio"].first()
    h = _Hoja(HOJA_AREAS, len(areas))
    h.valor("codigo", "Área", None, areas)
    h.valor("servicio", "Servicio", None, [servicio[a] for a in areas])
    criterios = [(uds.rango("area"), h.fija("codigo"))]
    _financiero(h, ctx, uds, criterios, "las unidades del área")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, uds, criterios, "las unidades del área", "Unidades")
        else:
            _ponderada(h, medida, uds, criterios, "las unidades del área")
    _indicadores(h, ctx)
    return h


def _hoja_servicios(datos, ctx, uds: _Hoja, areas: _Hoja) -> _Hoja:
    servicios = list(pd.unique(datos.unidades["servicio"]))
    h = _Hoja(HOJA_SERVICIOS, len(servicios))
    h.valor("codigo", "Servicio", None, servicios)
    criterios_uds = [(uds.rango("servicio"), h.fija("codigo"))]
    _financiero(h, ctx, uds, criterios_uds, "las unidades del servicio")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, areas, [(areas.rango("servicio"), h.fija("codigo"))],
                   "las áreas del servicio", "Áreas")
        else:
            _ponderada(h, medida, uds, criterios_uds, "las unidades del servicio")
    _indicadores(h, ctx)
    return h


def _hoja_entidad(ctx, ops: _Hoja, pres: _Hoja, servicios: _Hoja) -> _Hoja:
    h = _Hoja(HOJA_ENTIDAD, 1)
    h.valor("codigo", "Entidad", None, ["TOTAL"])
    _financiero(h, ctx, pres, [], "todas las líneas de presupuesto")
    for medida in _medidas(ctx):
        if ctx.promedio_unidades:
            _media(h, medida, servicios, [], "los servicios", "Servicios")
        else:
            _ponderada(h, medida, ops, [], "todas las operaciones")
    _indicadores(h, ctx)
    return h


# ---------------------------------------------------------------------------------------
# Punto de entrada
# ---------------------------------------------------------------------------------------

def escribir_cadena(
    wb, datos, trimestre: int, metodologia
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Agrega al libro las hojas de la cadena de cálculo (al final, en el orden de
    `HOJAS_CADENA`). Devuelve (hoja, columna, descripción) de cada columna con fórmula, y
    hoja -> sus filas de datos en XML, que se ponen al guardar (`anexo._guardar`)."""
    if trimestre not in (1, 2, 3, 4):
        raise ValueError(f"anexo: trimestre fuera de rango: {trimestre}")
    # Las filas del POA en vigor al corte, las mismas que evalúa el informe.
    datos = version_al_corte(datos, 3 * trimestre)
    periodos = tuple(
        _Periodo(f"T{t}", tuple(m.meses_trimestre(t)), t) for t in range(1, trimestre + 1)
    ) + (_Periodo(ACUMULADO, tuple(m.meses_acumulado(trimestre)), None),)
    p, escala = _hoja_parametros(wb.create_sheet(HOJA_PARAMETROS), metodologia, trimestre)
    ctx = _Contexto(trimestre, metodologia, periodos, p, escala)

    ops = _hoja_operaciones(datos, ctx)
    pres = _hoja_presupuesto(datos, ctx)
    uds = _hoja_unidades(datos, ctx, ops, pres)
    acp_unidad = _hoja_acp_unidad(datos, ctx, ops) if ctx.promedio_unidades else None
    acps = _hoja_acps(datos, ctx, ops, pres, acp_unidad)
    areas = _hoja_areas(datos, ctx, uds)
    servicios = _hoja_servicios(datos, ctx, uds, areas)
    entidad = _hoja_entidad(ctx, ops, pres, servicios)

    formulas: list[tuple[str, str, str]] = []
    filas: dict[str, FilasXml] = {}
    for hoja in (ops, pres, uds, acp_unidad, acps, areas, servicios, entidad):
        if hoja is None:
            continue
        ws = wb.create_sheet(hoja.nombre)
        de_la_hoja, filas[hoja.nombre] = _escribir_hoja(ws, hoja, _Estilos(ws))
        formulas += de_la_hoja
    return formulas, filas

