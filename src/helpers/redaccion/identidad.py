"""La identidad del informe como documento oficial: CITE, hoja de ruta, unidad que lo emite,
fecha de emisión, versión del POA evaluado, firmas y fuentes de las cifras.

Todo viene de la clave `identificacion` del archivo de parámetros y todo es opcional
(docs/identidad.md); la valida `helpers.entrada.identificacion`, y aquí sólo se dice.
`datos_para_ensamblar(parametros)` arma lo que `helpers.salida.ensamblado.ensamblar` pone en la
portada, en el bloque de firmas y en la línea «Fuente:» de cada cuadro y gráfico.

Reglas de presentación:

- un dato que falta no se muestra en la portada (no queda un «CITE:» vacío);
- el bloque de firmas sale siempre, con los tres roles en orden (elaborado, revisado,
  aprobado): un rol sin firma en los parámetros deja líneas en blanco para escribir a mano
  el nombre y el cargo sobre la copia impresa; un rol puede tener más de una firma;
- una fuente que falta se reemplaza por la fuente general, «elaboración propia con datos del
  POA <gestión>».
"""
from __future__ import annotations

import datetime as dt

from helpers.comun.calendario import MESES_NOMBRE, TRIMESTRES, fecha_larga
from helpers.entrada.identificacion import Firma
from helpers.entrada.parametros import Parametros

__all__ = [
    "ROLES_FIRMA",
    "datos_para_ensamblar",
    "fecha_corta",
    "fecha_larga",
    "periodo_del_informe",
    "periodo_del_titulo",
]

# rol en los parámetros -> cómo se lee en el bloque de firmas, en el orden en que se firma.
ROLES_FIRMA: dict[str, str] = {
    "elaborado": "Elaborado por",
    "revisado": "Revisado por",
    "aprobado": "Aprobado por",
}


# --------------------------------------------------------------------------------------
# Lo que se muestra


def fecha_corta(fecha: dt.date) -> str:
    """'01/04/2024'."""
    return f"{fecha.day:02d}/{fecha.month:02d}/{fecha.year}"


def periodo_del_titulo(gestion: int, trimestre: int | None, informe: str = "trimestral") -> str:
    """El periodo que nombra la portada, con el acumulado cuando no coincide con el trimestre:
    'Primer trimestre 2024', 'Segundo trimestre y primer semestre 2024', 'Tercer trimestre y
    acumulado a septiembre de 2024', 'Cuarto trimestre y gestión 2024', 'Gestión 2024'."""
    if trimestre is None or _de_gestion(informe) or _del_inicio(informe):
        return f"Gestión {gestion}"
    ordinal = TRIMESTRES[trimestre].capitalize()
    if trimestre == 1:
        return f"{ordinal} trimestre {gestion}"
    if trimestre == 2:
        return f"{ordinal} trimestre y primer semestre {gestion}"
    if trimestre == 3:
        return f"{ordinal} trimestre y acumulado a septiembre de {gestion}"
    return f"{ordinal} trimestre y gestión {gestion}"


def periodo_del_informe(gestion: int, trimestre: int, informe: str = "trimestral") -> str:
    """El periodo que cubre el informe, con sus meses: 'Segundo trimestre 2024 (abril a
    junio)'; en un informe de la gestión, 'Gestión 2024 (enero a diciembre)'."""
    if _del_inicio(informe):
        return f"Gestión {gestion} (POA aprobado)"
    if _de_gestion(informe):
        return f"Gestión {gestion} (enero a {MESES_NOMBRE[3 * trimestre - 1]})"
    inicio, fin = MESES_NOMBRE[3 * trimestre - 3], MESES_NOMBRE[3 * trimestre - 1]
    return f"{TRIMESTRES[trimestre].capitalize()} trimestre {gestion} ({inicio} a {fin})"


def _periodo_del_tipo(informe: str) -> str | None:
    from helpers.entrada import tipos

    try:
        return tipos.tipo(informe).periodo
    except tipos.TipoDesconocido:
        return None


def _de_gestion(informe: str) -> bool:
    """Si el tipo de informe cubre la gestión hasta su corte (la rendición de cuentas, la
    formulación), no un trimestre."""
    return _periodo_del_tipo(informe) == "gestion"


def _del_inicio(informe: str) -> bool:
    """Si el tipo de informe describe el POA aprobado al comenzar la gestión (la rendición
    de cuentas inicial)."""
    return _periodo_del_tipo(informe) == "inicio"


def _periodos(parametros: Parametros) -> list[dict[str, str]]:
    """Los periodos evaluados como fechas: el trimestre y, desde el segundo, el acumulado."""
    corte = parametros.fecha_corte
    inicio_gestion = dt.date(parametros.gestion, 1, 1)
    if _del_inicio(parametros.informe):
        fin = dt.date(parametros.gestion, 12, 31)
        return [{"etiqueta": "Gestión programada",
                 "valor": f"{fecha_corta(inicio_gestion)} al {fecha_corta(fin)}"}]
    if _de_gestion(parametros.informe):
        return [{"etiqueta": "Gestión", "valor": f"{fecha_corta(inicio_gestion)} al "
                                                 f"{fecha_corta(corte)}"}]
    t = parametros.trimestre_corte
    inicio = dt.date(parametros.gestion, 3 * t - 2, 1)
    periodos = [{"etiqueta": "Trimestre evaluado",
                 "valor": f"{fecha_corta(inicio)} al {fecha_corta(corte)}"}]
    if t > 1:
        periodos.append({"etiqueta": "Acumulado",
                         "valor": f"{fecha_corta(inicio_gestion)} al {fecha_corta(corte)}"})
    return periodos


def _firmas(firmas: list[Firma]) -> list[dict[str, str]]:
    """Las firmas en el orden de `ROLES_FIRMA`; un rol sin firma, en blanco."""
    bloque = []
    for rol, etiqueta in ROLES_FIRMA.items():
        del_rol = [f for f in firmas if f.rol == rol]
        if not del_rol:
            bloque.append({"rol": etiqueta, "nombre": "", "cargo": ""})
        bloque.extend({"rol": etiqueta, "nombre": f.nombre, "cargo": f.cargo} for f in del_rol)
    return bloque


def datos_para_ensamblar(parametros: Parametros) -> dict:
    """Los argumentos de `ensamblar` que salen de los parámetros: `entidad`, `periodo` (lo
    que dice la cabecera de cada página del PDF: sigla, gestión y periodo), `fecha_corte`,
    `subtitulo` (el periodo con su acumulado), `identificacion` (la portada), `firmas` y
    `fuentes`."""
    ident = parametros.identificacion
    periodo = periodo_del_informe(parametros.gestion, parametros.trimestre_corte,
                                  parametros.informe)
    return {
        "entidad": parametros.entidad.nombre,
        "periodo": f"{parametros.entidad.sigla} · POA {parametros.gestion} · {periodo}",
        "fecha_corte": fecha_larga(parametros.fecha_corte),
        "subtitulo": periodo_del_titulo(parametros.gestion, parametros.trimestre_corte,
                                        parametros.informe),
        "identificacion": {
            "cite": ident.cite,
            "hoja_ruta": ident.hoja_ruta,
            "unidad_emisora": ident.unidad_emisora,
            "fecha_emision": fecha_larga(ident.fecha_emision) if ident.fecha_emision else None,
            "poa_version": ident.poa_version,
            "periodos": _periodos(parametros),
        },
        "firmas": _firmas(ident.firmas),
        "fuentes": {
            "financiera": ident.fuentes.financiera,
            "fisica": ident.fuentes.fisica,
            "general": f"elaboración propia con datos del POA {parametros.gestion}",
        },
    }
