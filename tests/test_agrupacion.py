"""La agrupación de áreas propia de cada entidad (columna `servicio` de unidades) y el nombre
que los parámetros dan a ese nivel (`organizacion`): cualquier nombre, opcional, una sola
forma por grupo, un área en un solo grupo; sin grupos, el informe no habla de grupos."""
from __future__ import annotations

import fabrica
import pytest

from helpers.calculo.tablas import calcular_tablas
from helpers.entrada.agrupacion import (
    GRUPO_UNICO,
    grupos,
    grupos_con_representaciones,
    hay_grupos,
)
from helpers.entrada.datos import cargar_datos
from helpers.entrada.errores import ErrorDeEntrada
from helpers.entrada.organizacion import Organizacion, plural
from helpers.entrada.parametros import Metodologia, cargar_parametros
from helpers.preparacion import preparar
from helpers.redaccion import institucional, memoria, textos
from helpers.redaccion.introduccion import frase_grupos
from helpers.redaccion.unidades_por_grupo import grupos_de_la_seccion

COL_SERVICIO = fabrica.UNIDADES[0].index("servicio")
COL_AREA = fabrica.UNIDADES[0].index("area")


def _con_grupos(nombres: dict[str, str]) -> dict[str, list[list]]:
    """Las tablas pequeñas con el grupo de cada área cambiado (área → grupo)."""
    tablas = fabrica.tablas_pequenas()
    for fila in tablas["unidades"][1:]:
        fila[COL_SERVICIO] = nombres[fila[COL_AREA]]
    return tablas


def _areas() -> list[str]:
    return list(dict.fromkeys(f[COL_AREA] for f in fabrica.UNIDADES[1:]))


def test_cualquier_nombre_de_grupo_llega_a_los_cuadros(tmp_path):
    nombres = dict(zip(_areas(), ["Oficina Nacional", "Departamental"]))
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", _con_grupos(nombres)))
    assert grupos(datos.unidades) == list(nombres.values()) and hay_grupos(datos.unidades)
    tablas = calcular_tablas(datos, 2, Metodologia())
    area = tablas["area"]
    assert area.loc[area["nivel"] == "servicio", "area"].tolist() == list(nombres.values())
    mensual = tablas["mensual"]
    assert set(mensual.loc[mensual["nivel"] == "servicio", "area"]) == set(nombres.values())
    assert [c for c in tablas["conteo"].columns if c not in ("concepto", "Total")] == list(
        nombres.values())


def test_sin_columna_o_vacia_la_entidad_es_un_solo_grupo(tmp_path):
    for valor in ("", None):
        tablas = _con_grupos(dict.fromkeys(_areas(), valor))
        datos = cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
        assert set(datos.unidades["servicio"]) == {GRUPO_UNICO}
    sin_columna = fabrica.tablas_pequenas()
    sin_columna["unidades"] = [f[:COL_SERVICIO] + f[COL_SERVICIO + 1:]
                               for f in sin_columna["unidades"]]
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "sin.xlsx", sin_columna))
    assert not hay_grupos(datos.unidades)
    tablas = calcular_tablas(datos, 2, Metodologia())
    # Los cuadros no hablan de grupos: ni filas de grupo ni columnas por grupo.
    assert set(tablas["area"]["nivel"]) == {"area", "entidad"}
    assert set(tablas["mensual"]["nivel"]) == {"area", "entidad"}
    assert list(tablas["conteo"].columns) == ["concepto", "Total"]


def test_un_grupo_escrito_de_dos_maneras_es_uno_solo(tmp_path):
    areas = _areas()
    tablas = _con_grupos(dict(zip(areas, ["Oficina Nacional", "Departamental"])))
    tablas["unidades"][2][COL_SERVICIO] = " oficina nacional "
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert grupos(datos.unidades) == ["Oficina Nacional", "Departamental"]


def test_un_area_en_dos_grupos_o_una_celda_vacia_se_explican(tmp_path):
    tablas = _con_grupos(dict(zip(_areas(), ["Oficina Nacional", "Departamental"])))
    tablas["unidades"][2][COL_SERVICIO] = "Departamental"
    tablas["unidades"][3][COL_SERVICIO] = ""
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    por_fila = {(p.hoja, p.fila, p.columna): p.mensaje for p in error.value.problemas}
    area = tablas["unidades"][2][COL_AREA]
    assert f"el área '{area}' ya está en 'Oficina Nacional' (fila 2)" in por_fila[
        ("unidades", 3, "servicio")]
    assert "deje vacía toda la columna" in por_fila[("unidades", 4, "servicio")]


def test_un_grupo_llamado_total_se_rechaza(tmp_path):
    tablas = _con_grupos(dict(zip(_areas(), ["Total", "Departamental"])))
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_datos(fabrica.escribir_libro(tmp_path / "p.xlsx", tablas))
    assert {(p.fila, p.columna) for p in error.value.problemas} == {(2, "servicio"),
                                                                    (3, "servicio")}


def test_solo_los_grupos_con_representaciones_llevan_el_detalle_por_tipo(tmp_path):
    datos = cargar_datos(fabrica.escribir_libro_pequeno(tmp_path / "p.xlsx"))
    con_tipo = fabrica.tablas_pequenas()
    tipos = {f[COL_SERVICIO] for f in con_tipo["unidades"][1:]
             if f[-1] in ("Embajada", "Consulado General")}
    assert grupos_con_representaciones(datos.unidades) == sorted(tipos)
    tablas = calcular_tablas(datos, 2, Metodologia())
    assert set(tablas["por_tipo"]["servicio"]) == tipos
    otra = _con_grupos(dict(zip(_areas(), ["Oficina Nacional", "Departamental"])))
    for fila in otra["unidades"][1:]:
        fila[-1] = "Dirección Departamental"
    datos = cargar_datos(fabrica.escribir_libro(tmp_path / "otra.xlsx", otra))
    assert grupos_con_representaciones(datos.unidades) == []
    assert calcular_tablas(datos, 2, Metodologia())["por_tipo"].empty


@pytest.mark.parametrize("singular, esperado", [
    ("servicio", "servicios"), ("dirección departamental", "direcciones departamentales"),
    ("nivel", "niveles"), ("oficina de distrito", "oficinas de distrito"),
    ("región", "regiones"), ("distrito", "distritos"),
])
def test_plural_del_nombre_del_nivel(singular, esperado):
    assert plural(singular) == esperado


def test_el_nombre_del_nivel_sale_de_los_parametros(tmp_path):
    libro = fabrica.escribir_libro_pequeno(tmp_path / "p.xlsx")
    por_omision = cargar_parametros(fabrica.escribir_params(tmp_path / "a.yaml", libro))
    assert por_omision.organizacion == Organizacion()
    assert (por_omision.organizacion.rotulo, por_omision.organizacion.plural) == (
        "Servicio", "servicios")
    propio = cargar_parametros(fabrica.escribir_params(
        tmp_path / "b.yaml", libro,
        organizacion={"agrupacion": "país", "agrupacion_plural": "países"}))
    assert (propio.organizacion.rotulo, propio.organizacion.rotulo_plural) == ("País", "Países")
    with pytest.raises(ErrorDeEntrada) as error:
        cargar_parametros(fabrica.escribir_params(tmp_path / "c.yaml", libro,
                                                  organizacion={"nivel": "x"}))
    assert any("organizacion" in str(p) for p in error.value.problemas)


# --- el informe con las palabras de la entidad ---------------------------------------------

def _preparado(tmp_path, tablas, **extra):
    libro = fabrica.escribir_libro(tmp_path / "datos" / fabrica.NOMBRE_LIBRO, tablas)
    parametros = cargar_parametros(fabrica.escribir_params(tmp_path / "p.yaml", libro, **extra))
    return preparar(parametros, cargar_datos(parametros.ruta_datos))


def test_textos_y_secciones_con_el_nombre_del_nivel(tmp_path):
    nombres = dict(zip(_areas(), ["Oficina Nacional", "Departamental"]))
    prep = _preparado(tmp_path, _con_grupos(nombres), organizacion={"agrupacion": "nivel"})
    assert prep.hay_grupos and prep.grupos == list(nombres.values())
    frase = frase_grupos(prep)
    assert frase.startswith("Por nivel: Oficina Nacional (") and "Departamental (" in frase
    regla = textos.regla_de_agregacion("promedio_unidades", prep.organizacion, True)
    assert "el de cada nivel, la media simple de sus áreas" in regla
    assert "la media simple de sus niveles" in regla
    assert "servicio" not in textos.marco_metodologico(prep)
    assert memoria.titulo_nivel("servicio", prep.organizacion) == "**Niveles**"
    assert "Áreas, niveles, ACP y entidad" in memoria.regla_niveles(prep.metodologia,
                                                                    prep.organizacion)
    grupos_seccion = grupos_de_la_seccion(prep)
    assert [g.titulo for g in grupos_seccion] == [f"Nivel {n}" for n in nombres.values()]
    # Ningún grupo de la prueba tiene embajadas con estos nombres de tipo: sin detalle.
    assert sum(len(g.areas) for g in grupos_seccion) == len(nombres)
    assert institucional.titulo_tipos(prep) == "## Unidades por tipo y nivel"


def test_sin_grupos_el_informe_no_habla_de_grupos(tmp_path):
    prep = _preparado(tmp_path, _con_grupos(dict.fromkeys(_areas(), "")))
    assert not prep.hay_grupos
    regla = textos.regla_de_agregacion("promedio_unidades", prep.organizacion, False)
    assert "servicio" not in regla and "la entidad, la media simple de sus áreas" in regla
    assert "servicio" not in textos.marco_metodologico(prep)
    assert "servicio" not in textos.parrafo_area(prep)
    assert all(g.titulo is None for g in grupos_de_la_seccion(prep))
    assert institucional.titulo_tipos(prep) == "## Unidades por tipo"
    assert "servicio" not in institucional.cuadro_areas(prep).lower()
