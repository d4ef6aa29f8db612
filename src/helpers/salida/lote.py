"""La carpeta del consolidado de un lote (`informe-poa lote`, `helpers.lote`): sus tablas, su
cuaderno ejecutado y sus documentos, escritos como un informe más.

- Entra: cómo terminó el informe de cada entidad (`helpers.lote.ResultadoEntidad`: nombre,
  sigla, código, carpeta y mensaje), los parámetros de una de ellas (el periodo, la escala) y
  el tipo del lote: `trimestral` (el consolidado de las cifras de cada entidad,
  `helpers.calculo.consolidado`) u `objetivos` (lo que cada entidad aportó a cada objetivo,
  `helpers.calculo.consolidado_objetivos`).
- Sale, en la carpeta del consolidado (reemplazada sólo si es un informe de este programa,
  `helpers.salida.carpeta_informe`): `tablas/*.csv`, `lote.json`, el cuaderno ejecutado en
  `notebooks/`, `informe.html`, `informe-auditoria.html`, `informe.pdf`, `informe.docx` y, el
  de objetivos, `anexo.xlsx`, que rehace con fórmulas cada total por objetivo
  (`helpers.salida.anexo_lote`).
"""
from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from helpers.codigos import NO_SE_GENERO
from helpers.rutas import CUADERNOS

__all__ = ["CUADERNOS_LOTE", "TITULOS", "escribir_consolidado"]

# El cuaderno de cada tipo de lote (lo ejecuta papermill en la carpeta del consolidado).
CUADERNOS_LOTE = {
    "trimestral": CUADERNOS / "consolidado" / "consolidado.ipynb",
    "objetivos": CUADERNOS / "consolidado" / "objetivos.ipynb",
}
TITULOS = {
    "trimestral": "Consolidado del seguimiento a la ejecución física y financiera del POA",
    "objetivos": "Consolidado del avance por objetivo de los planes y compromisos",
}
_FUENTES = {
    "trimestral": "informes trimestrales de las entidades (sus tablas CSV)",
    "objetivos": "informes por objetivo de las entidades (sus tablas CSV)",
}


def motivo(resultado) -> str:
    """Por qué no está el informe de una entidad, en una línea (sin la coletilla del
    ejecutor)."""
    texto = " ".join(linea for linea in resultado.mensaje.splitlines()
                     if not linea.strip().startswith(NO_SE_GENERO))
    texto = " ".join(texto.split()) or "sin mensaje"
    return f"su informe falló (código {resultado.codigo}): {texto}"


def _tablas_trimestral(resultados: list) -> dict:
    from helpers.calculo.consolidado import Entidad, consolidar

    entidades = [Entidad(r.entidad, r.sigla, r.carpeta if r.listo else None,
                         None if r.listo else motivo(r)) for r in resultados]
    consolidado, por_tipo = consolidar(entidades)
    return {"consolidado": consolidado, "alertas_por_tipo": por_tipo}


def _tablas_objetivos(resultados: list) -> dict:
    """Las tablas del consolidado por objetivo; lanza `MarcosDistintos`."""
    from helpers.calculo.consolidado_objetivos import EntidadObjetivos, consolidar_objetivos

    entidades = [EntidadObjetivos(r.entidad, r.sigla, r.libro,
                                  r.carpeta if r.listo else None,
                                  None if r.listo else motivo(r), r.sin_vinculos)
                 for r in resultados]
    return consolidar_objetivos(entidades)


def _datos_del_lote(parametros, resultados: list, tipo: str, extra: dict | None) -> dict:
    from helpers.comun.calendario import fecha_larga
    from helpers.redaccion.identidad import datos_para_ensamblar

    para_ensamblar = datos_para_ensamblar(parametros)
    return {
        "tipo": tipo,
        "gestion": parametros.gestion,
        "trimestre": parametros.trimestre_corte,
        "etiqueta": parametros.etiqueta,
        "subtitulo": para_ensamblar["subtitulo"],
        "periodos": para_ensamblar["identificacion"]["periodos"],
        "fecha_corte": fecha_larga(parametros.fecha_corte),
        "escala": [g.calificacion for g in parametros.metodologia.escala_calificacion],
        "entidades": [{**asdict(r), "params": str(r.params),
                       "carpeta": str(r.carpeta) if r.carpeta else None,
                       "segundos": round(r.segundos, 1)} for r in resultados],
        **(extra or {}),
    }


def _escribir_datos_abiertos(tablas: dict, temporal: Path, resultados: list, parametros,
                             lote: dict) -> None:
    """Un solo paquete de datos abiertos para el lote: las tablas del consolidado y, de cada
    tabla de las entidades con informe, las filas de todas con su sigla delante; los libros
    con su huella y la licencia de cada una, de sus propios paquetes."""
    from helpers.redaccion.identidad import periodo_del_informe
    from helpers.salida.datos_abiertos import (
        Publicacion,
        descriptor_de,
        escribir_datos_abiertos,
        tablas_de_las_entidades,
    )

    listas = {r.sigla: r.carpeta for r in resultados if r.listo and r.carpeta is not None}
    descriptores = {s: d for s, c in listas.items() if (d := descriptor_de(c)) is not None}
    licencias = list({json.dumps(lic, sort_keys=True): lic for d in descriptores.values()
                      for lic in d["licenses"]}.values())
    publicacion = Publicacion(
        titulo=f"Consolidado del lote ({len(listas)} de {len(resultados)} entidades)",
        entidad="Lote de entidades", sigla="lote", gestion=parametros.gestion,
        etiqueta=f"{lote['tipo']}-{parametros.etiqueta}",
        periodo=periodo_del_informe(parametros.gestion, parametros.trimestre_corte,
                                    parametros.informe),
        fecha_corte=parametros.fecha_corte.isoformat(),
        licencia=parametros.datos_abiertos.descriptor_licencia, licencias=licencias,
        entidades=[{"nombre": r.entidad, "sigla": r.sigla, "con_datos": r.sigla in listas}
                   for r in resultados],
        libros_con_huella=[{**libro, "sigla": s} for s, d in descriptores.items()
                           for libro in d["libros"]])
    de_las_entidades = tablas_de_las_entidades(listas)
    escribir_datos_abiertos({**tablas, **{n: t for n, t in de_las_entidades.items()
                                          if n not in tablas}}, temporal, publicacion)


def escribir_consolidado(destino: Path, resultados: list, parametros,
                         extra: dict | None = None, tipo: str = "trimestral") -> Path:
    """Escribe el consolidado de `resultados` en `destino` (comprobada antes): lo arma en una
    carpeta hermana con la marca del programa y la pone en su lugar al final, como un
    informe. `parametros`: los de una entidad, para el periodo y la escala de calificación.
    Con `tipo` «objetivos», lanza `MarcosDistintos` antes de escribir nada si dos entidades
    describen distinto el mismo objetivo."""
    from helpers.salida.carpeta_informe import (
        carpeta_nueva,
        cerrojo,
        limpiar_restos,
        permisos_normales,
        reemplazar,
    )
    from helpers.salida.tablas_csv import escribir_tablas

    with cerrojo(destino):
        limpiar_restos(destino)
        tablas = (_tablas_objetivos if tipo == "objetivos" else _tablas_trimestral)(resultados)
        lote = _datos_del_lote(parametros, resultados, tipo, extra)
        temporal = carpeta_nueva(destino, {"programa": "informe-poa",
                                           "informe": f"lote-{parametros.etiqueta}"})
        try:
            escribir_tablas(tablas, temporal / "tablas")
            _escribir_datos_abiertos(tablas, temporal, resultados, parametros, lote)
            (temporal / "lote.json").write_text(
                json.dumps(lote, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            cuaderno = _ejecutar_cuaderno(temporal, CUADERNOS_LOTE[tipo])
            _ensamblar(cuaderno, temporal, lote, parametros)
            if tipo == "objetivos":
                from helpers.salida.anexo_lote import escribir_anexo_lote

                escribir_anexo_lote(tablas, temporal / "anexo.xlsx", parametros)
            permisos_normales(temporal)
            reemplazar(temporal, destino)
        except BaseException:
            shutil.rmtree(temporal, ignore_errors=True)
            raise
    return destino


def _ejecutar_cuaderno(carpeta: Path, cuaderno: Path) -> Path:
    """Ejecuta el cuaderno del consolidado en `carpeta/notebooks/`, en un kernel propio (como
    las secciones de un informe)."""
    from helpers.ejecucion import abrir_kernel, ejecutar_en

    destino = carpeta / "notebooks" / cuaderno.name
    destino.parent.mkdir(parents=True, exist_ok=True)
    km = abrir_kernel(destino.parent)
    try:
        ejecutar_en(km, cuaderno, destino, {"lote": ".."})
    finally:
        km.shutdown_kernel(now=True)
    return destino


def _ensamblar(cuaderno: Path, carpeta: Path, lote: dict, parametros) -> None:
    from helpers.redaccion.identidad import ROLES_FIRMA
    from helpers.salida.ensamblado import ensamblar

    ensamblar(
        [cuaderno], carpeta, titulo=TITULOS[lote["tipo"]], subtitulo=lote["subtitulo"],
        entidad=f"Consolidado de {len(lote['entidades'])} entidades",
        periodo=f"Consolidado · POA {lote['gestion']} · {lote['subtitulo']}",
        fecha_corte=lote["fecha_corte"],
        identificacion={"periodos": lote["periodos"]},
        # Quien consolida firma a mano: el bloque de firmas, en blanco.
        firmas=[{"rol": rol, "nombre": "", "cargo": ""} for rol in ROLES_FIRMA.values()],
        fuentes={"general": f"{_FUENTES[lote['tipo']]}, POA {lote['gestion']}"},
        # El documento para editar en Word, con el membrete neutro.
        documento_word={"membrete": None, "fecha": parametros.fecha_corte},
    )
