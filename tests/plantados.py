"""Una recepción de la muestra con problemas plantados, para las pruebas de las observaciones
propuestas y de la revisión: los formularios de las unidades llenos por un programa sin nada
que observar (lo ejecutado igual a lo programado, un medio de verificación en cada operación)
salvo cinco problemas, uno por regla de `formularios.observaciones`, cada uno en una unidad
distinta. Las unidades y operaciones de cada problema salen de su lugar en los formularios,
no de sus códigos."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import yaml

from helpers.formularios.libro import HOJA_ANTERIORES, columnas_ejecutado, columnas_programado
from helpers.rutas import RAIZ

sys.path.insert(0, str(RAIZ / "scripts"))
import formularios_llenos  # noqa: E402  (scripts/: lo usa también make benchmark)


@dataclass
class Plantados:
    params: Path
    parametros: object
    formularios: Path  # la carpeta de los formularios devueltos
    llenos: dict[str, Path]  # codigo_unidad -> su formulario
    # (codigo_unidad, codigo_operacion, regla) de cada problema plantado, y la celda
    # (codigo_operacion, columna) -> valor que lo corrige.
    esperadas: dict[tuple[str, str, str], dict[tuple[str, str], object]]


def _limpio(ruta: Path, trimestre: int) -> dict[str, list[float]]:
    """Llena el formulario sin nada que observar. Devuelve lo programado de cada operación."""
    programa = {}

    def sin_nada_que_observar(celdas: dict) -> dict:
        valores = {}
        for codigo in dict.fromkeys(codigo for codigo, _ in celdas):
            metas = [celdas[codigo, c] or 0 for c in columnas_programado(trimestre)]
            programa[codigo] = metas
            for columna, meta in zip(columnas_ejecutado(trimestre), metas):
                valores[codigo, columna] = meta
            valores[codigo, "justificacion"] = None
            valores[codigo, "medio_verificacion"] = f"Informe de {codigo}"
        return valores

    formularios_llenos.llenar_desde(ruta, sin_nada_que_observar)
    return programa


def _con_meta(programa: dict, no_aplica: set[str]) -> list[str]:
    return [codigo for codigo, metas in programa.items()
            if sum(metas) > 0 and codigo not in no_aplica]


def plantar(carpeta: Path) -> Plantados:
    """Los parámetros de la muestra (en `carpeta`) y sus formularios llenos, a tiempo, con
    los cinco problemas."""
    from helpers.formularios.envio import parametros_de_seguimiento

    contenido = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    contenido["datos"] = str(RAIZ / contenido["datos"])
    params = carpeta / "2024-T2.yaml"
    params.write_text(yaml.safe_dump(contenido, allow_unicode=True), encoding="utf-8")
    parametros = parametros_de_seguimiento(params)
    trimestre = parametros.trimestre_corte
    # Cada formulario se llena una sola vez, ya sin nada que observar: abrir y guardar los
    # formularios de la muestra es casi todo lo que tarda.
    escritos, _ = formularios_llenos.emitidos(params, carpeta / "formularios")
    llenos = {unidad: ruta for unidad, (ruta, _) in escritos.items()}
    programas = {unidad: _limpio(ruta, trimestre) for unidad, ruta in llenos.items()}
    maestro = pd.read_excel(contenido["datos"], sheet_name="operaciones", dtype=str,
                            engine="openpyxl")
    no_aplica = set(maestro.loc[maestro["no_aplica"].fillna("").str.strip().ne(""),
                                "codigo_operacion"])
    con_dos = [u for u, p in programas.items() if len(_con_meta(p, no_aplica)) >= 2][:5]
    assert len(con_dos) == 5
    ejecutado = columnas_ejecutado(trimestre)
    esperadas = {}

    unidad = con_dos[0]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    meta = sum(programas[unidad][codigo])
    formularios_llenos.llenar(llenos[unidad], {(codigo, ejecutado[0]): 2 * meta + 1})
    esperadas[unidad, codigo, "sobre_programado"] = {
        (codigo, ejecutado[0]): programas[unidad][codigo][0]}

    unidad = con_dos[1]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    formularios_llenos.llenar(llenos[unidad], {(codigo, c): 0 for c in ejecutado})
    esperadas[unidad, codigo, "sin_justificacion"] = {
        (codigo, "justificacion"): "La actividad se postergó al tercer trimestre."}

    unidad = con_dos[2]
    codigo = _con_meta(programas[unidad], no_aplica)[0]
    formularios_llenos.llenar(llenos[unidad], {(codigo, "medio_verificacion"): None})
    esperadas[unidad, codigo, "sin_medio"] = {(codigo, "medio_verificacion"): "Acta 12/2024"}

    unidad = con_dos[3]
    libro = openpyxl.load_workbook(llenos[unidad])
    hoja = libro[HOJA_ANTERIORES]
    encabezado = [c.value for c in hoja[1]]
    codigo = hoja.cell(2, 1).value
    celda = hoja.cell(2, encabezado.index("ejec_01") + 1)
    celda.value = (celda.value or 0) + 3
    libro.save(llenos[unidad])
    esperadas[unidad, codigo, "meses_anteriores"] = {}

    unidad = con_dos[4]
    primera, segunda = _con_meta(programas[unidad], no_aplica)[:2]
    formularios_llenos.llenar(llenos[unidad], {(primera, "justificacion"): "Se reprogramó.",
                                               (segunda, "justificacion"): "se reprogramó."})
    esperadas[unidad, segunda, "justificacion_copiada"] = {
        (segunda, "justificacion"): "Faltó el material."}

    momento = formularios_llenos.recibido_a_tiempo(parametros.recepcion.plazo)
    for ruta in llenos.values():
        formularios_llenos.fechar(ruta, momento)
    return Plantados(params, parametros, carpeta / "formularios", llenos, esperadas)
