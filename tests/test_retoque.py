"""El retoque del cuerpo no analiza el contenido de las tablas largas que no toca
(helpers.salida.ensamblado.retoque.apartar_cuerpos_de_tabla): sale el mismo cuerpo, el mismo
índice y las mismas listas que analizándolo todo."""

from __future__ import annotations

import pytest

from helpers.salida.ensamblado import retoque


def _fila(i: int, extra: str = "") -> str:
    return (f'<tr><td class="txt">Unidad {i} &amp; &lt;otra&gt; «ñ»</td>'
            f'<td class="num">{i},00</td><td>{extra}</td></tr>')


def _tabla(filas: list[str], *, encabezado: bool = True) -> str:
    cabeza = ("<thead><tr><th>Unidad</th><th>Devengado</th><th>Nota</th></tr></thead>"
              if encabezado else "")
    return f'<table class="tabla-informe">{cabeza}<tbody>{"".join(filas)}</tbody></table>'


def _salida(html: str) -> str:
    return ('<div class="jp-Cell jp-CodeCell"><div class="jp-OutputArea-output '
            f'jp-RenderedHTML">{html}</div></div>')


def _cuerpo(muchas: int) -> str:
    larga = [_fila(i) for i in range(muchas)]
    con_enlace = _fila(0, '<a href="#Ejecuci%C3%B3n">ir</a>')
    return (
        '<section class="seccion" data-cuaderno="03_area">'
        '<div class="jp-Cell jp-MarkdownCell"><h1 id="Ejecuci%C3%B3n">Ejecución'
        '<a class="anchor-link" href="#Ejecuci%C3%B3n">¶</a></h1>'
        '<p>Ver <a href="#Ejecuci%C3%B3n">arriba</a>.</p></div>'
        f"{_salida(_tabla(larga))}"
        f"{_salida(_tabla(larga, encabezado=False))}"
        f"{_salida(_tabla([*larga, con_enlace]))}"
        f"{_salida(_tabla(larga[:3]))}"
        "</section>"
    )


def test_apartar_las_tablas_largas_da_el_mismo_retoque(monkeypatch):
    cuerpo = _cuerpo(400)
    apartado, apartados = retoque.apartar_cuerpos_de_tabla(cuerpo)
    # Sólo la larga con encabezados y sin enlaces: de la que no los tiene, la fuente sale de
    # su primera fila; en la otra, un enlace que el retoque corrige.
    assert len(apartados) == 1
    assert apartado.count(apartados[0]) == cuerpo.count(apartados[0]) - 1
    con_apartados = retoque.retocar_cuerpo(cuerpo, None)
    monkeypatch.setattr(retoque, "CUERPO_DE_TABLA_APARTABLE", float("inf"))
    assert retoque.apartar_cuerpos_de_tabla(cuerpo)[1] == []
    assert con_apartados == retoque.retocar_cuerpo(cuerpo, None)
    assert con_apartados[0].count("Cuadro N°") == cuerpo.count("<table")


@pytest.mark.parametrize("dentro", ['<td id="x">1</td>', "<td><span>1</span></td>",
                                    "<td><img src='a.png'></td>", "<td><p>1</p></td>"])
def test_no_aparta_lo_que_el_retoque_mira(dentro):
    cuerpo = _salida(_tabla([*(_fila(i) for i in range(400)), f"<tr>{dentro}</tr>"]))
    assert retoque.apartar_cuerpos_de_tabla(cuerpo)[1] == []
