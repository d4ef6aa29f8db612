"""Si cada parte del informe tiene algo que decir (`helpers.calculo.contenido`): con el libro
pequeño, todo; sin sus hojas opcionales, nada de lo que ellas traen; con hojas que sólo
tienen filas de otro periodo, tampoco, y el motivo lo distingue."""
from __future__ import annotations

from pathlib import Path

import fabrica
import pandas as pd

from helpers.calculo import contenido
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros

# Lo que lleva cada tipo de informe (clave de contenido.CONTENIDOS → periodo del tipo).
DE_TRIMESTRAL = {"logros", "fuentes", "tendencia", "recomendaciones"}
DE_GESTION = DE_TRIMESTRAL | {"articulacion", "servicios", "ingresos"}


def _libro(tmp_path: Path, tablas: dict) -> object:
    return cargar_datos(fabrica.escribir_libro(tmp_path / "datos" / "poa.xlsx", tablas))


def _parametros(tmp_path: Path, nombre: str = "p.yaml", **extra):
    """Los parámetros de la fábrica (T2 de 2024; `informe="anual", corte=...` para la
    rendición), leídos y validados."""
    ruta = fabrica.escribir_params(tmp_path / "params" / nombre, tmp_path / "datos" / "poa.xlsx",
                                   **extra)
    return cargar_parametros(ruta)


def _anual(tmp_path: Path, corte: str = "diciembre"):
    return _parametros(tmp_path, "anual.yaml", informe="anual", trimestre=None, corte=corte)


def test_el_libro_pequeno_tiene_de_todo(tmp_path):
    datos = _libro(tmp_path, fabrica.tablas_pequenas())
    trimestral, anual = _parametros(tmp_path), _anual(tmp_path)
    for parametros in (trimestral, anual):
        assert contenido.tiene_gestiones_anteriores(datos, parametros)
        assert contenido.tiene_logros(datos, parametros)
        assert contenido.tiene_recomendaciones_de_unidades(datos, parametros)
        assert contenido.tiene_recomendaciones(datos, parametros)
        assert contenido.tiene_servicios(datos, parametros)
        assert contenido.ausencias(datos, parametros) == []
    assert contenido.tiene_ingresos(datos)
    assert contenido.tiene_articulacion(datos)
    assert contenido.tiene_fuentes(datos)


def test_sin_las_hojas_opcionales_no_hay_nada_de_lo_que_traen(tmp_path):
    datos = _libro(tmp_path, fabrica.sin_hojas_de_secciones(fabrica.TABLAS))
    trimestral, anual = _parametros(tmp_path), _anual(tmp_path)
    for parametros in (trimestral, anual):
        assert not contenido.tiene_gestiones_anteriores(datos, parametros)
        assert not contenido.tiene_logros(datos, parametros)
        assert not contenido.tiene_recomendaciones(datos, parametros)
        assert not contenido.tiene_servicios(datos, parametros)
    assert not contenido.tiene_ingresos(datos)
    assert not contenido.tiene_articulacion(datos)
    # La hoja presupuesto es obligatoria y el libro pequeño indica sus fuentes.
    assert contenido.tiene_fuentes(datos)
    for parametros, lleva in ((trimestral, DE_TRIMESTRAL), (anual, DE_GESTION)):
        faltan = contenido.ausencias(datos, parametros)
        assert {a.contenido for a in faltan} == lleva - {"fuentes"}
        assert all(a.sin_datos for a in faltan)
        # En el orden del informe, cada una con la hoja que la traería.
        orden = list(contenido.CONTENIDOS)
        assert [a.contenido for a in faltan] == sorted((a.contenido for a in faltan),
                                                       key=orden.index)
        assert all(a.hoja == contenido.CONTENIDOS[a.contenido][0] for a in faltan)


def test_las_recomendaciones_de_los_parametros_bastan(tmp_path):
    datos = _libro(tmp_path, fabrica.sin_hojas_de_secciones(fabrica.TABLAS))
    parametros = _parametros(tmp_path, presentacion={"recomendaciones": ["Revisar metas."]})
    assert contenido.tiene_recomendaciones(datos, parametros)
    assert not contenido.tiene_recomendaciones_de_unidades(datos, parametros)


def test_la_narrativa_del_periodo(tmp_path):
    """La del trimestre en el informe trimestral; la de la gestión hasta el corte en la
    rendición de cuentas."""
    datos = _libro(tmp_path, fabrica.tablas_pequenas())
    trimestres = [f[1] for f in fabrica.NARRATIVA[1:]]
    for parametros, cuantas in (
        (_parametros(tmp_path), trimestres.count(2)),
        (_parametros(tmp_path, "t1.yaml", trimestre=1), trimestres.count(1)),
        (_anual(tmp_path, "junio"), sum(t <= 2 for t in trimestres)),
    ):
        assert len(contenido.narrativa_del_periodo(datos.narrativa, parametros)) == cuantas
    assert contenido.narrativa_del_periodo(datos.narrativa, _parametros(
        tmp_path, "t3.yaml", trimestre=3)).empty


def test_una_hoja_con_filas_de_otro_periodo_no_basta_y_el_motivo_lo_dice(tmp_path):
    """La narrativa sólo del primer trimestre en el informe del segundo; el histórico sólo de
    la gestión del informe; los servicios sólo de julio en adelante en la rendición a junio; las
    líneas del presupuesto sin fuente."""
    tablas = fabrica.tablas_pequenas()
    narrativa = tablas["narrativa"]
    tablas["narrativa"] = [narrativa[0], *[f for f in narrativa[1:] if f[1] == 1]]
    historico = tablas["historico"]
    gestion = fabrica.PARAMS_BASE["gestion"]
    tablas["historico"] = [historico[0], [gestion, *historico[1][1:]]]
    estadisticas = tablas["estadisticas"]
    mes = estadisticas[0].index("mes")
    tablas["estadisticas"] = [estadisticas[0], *[[*f[:mes], f[mes] + 6, *f[mes + 1:]]
                                                 for f in estadisticas[1:]]]
    datos = _libro(tmp_path, fabrica.sin_fuentes(tablas))
    trimestral, anual_junio = _parametros(tmp_path), _anual(tmp_path, "junio")

    assert not contenido.tiene_logros(datos, trimestral)
    assert contenido.tiene_logros(datos, anual_junio)  # el primer trimestre es de la gestión
    assert not contenido.tiene_gestiones_anteriores(datos, trimestral)
    assert not contenido.tiene_servicios(datos, anual_junio)
    assert contenido.tiene_servicios(datos, _anual(tmp_path))  # julio entra en diciembre
    assert not contenido.tiene_fuentes(datos)
    faltan = {a.contenido: a for a in contenido.ausencias(datos, trimestral)}
    assert set(faltan) == {"logros", "recomendaciones", "tendencia", "fuentes"}
    assert not any(a.sin_datos for a in faltan.values())
    faltan = {a.contenido: a for a in contenido.ausencias(datos, anual_junio)}
    assert set(faltan) == {"servicios", "tendencia", "fuentes", "recomendaciones"}
    assert not any(a.sin_datos for a in faltan.values())


def test_la_historia_del_poa_por_partes(tmp_path):
    """Las reformulaciones cuentan sólo si se aprobaron hasta el corte; las modificaciones
    presupuestarias, si el libro registra el presupuesto inicial o el de algún mes."""
    con_historia = fabrica.con_historia(fabrica.TABLAS)
    datos = _libro(tmp_path / "con", con_historia)
    fechas = pd.to_datetime([f[2] for f in fabrica.REFORMULACIONES[1:]], format="mixed",
                            dayfirst=True)
    primera = fechas.min().quarter  # el trimestre de la primera reformulación
    for trimestre in range(1, 5):
        parametros = _parametros(tmp_path, f"t{trimestre}.yaml", trimestre=trimestre)
        assert (contenido.tiene_reformulaciones_hasta_el_corte(datos, parametros)
                == (trimestre >= primera))
    assert contenido.tiene_modificaciones_presupuestarias(datos)
    solo_reformulaciones = _libro(tmp_path / "ref", {
        **con_historia, "presupuesto": fabrica.tablas_pequenas()["presupuesto"]})
    assert not contenido.tiene_modificaciones_presupuestarias(solo_reformulaciones)
    assert contenido.tiene_reformulaciones_hasta_el_corte(solo_reformulaciones,
                                                          _parametros(tmp_path))
    sin_nada = _libro(tmp_path / "sin", fabrica.tablas_pequenas())
    assert not contenido.tiene_modificaciones_presupuestarias(sin_nada)
    assert not contenido.tiene_reformulaciones_hasta_el_corte(sin_nada, _parametros(tmp_path))
