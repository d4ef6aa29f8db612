"""Un cambio de estructura no cambia los informes: los de la muestra (uno de cada tipo) salen
con la huella guardada en tests/huella_informes.json (páginas y texto del PDF, tablas CSV,
valores y fórmulas del anexo; ver tests/huella_informes.py). Si un cambio debe cambiar un
informe, se escribe la huella de nuevo (`.venv/bin/python tests/huella_informes.py
escribir`) y el commit dice por qué."""

from __future__ import annotations

import json

import pytest
from huella_informes import ARCHIVO, PARAMS, diferencias, huella, neutro


def test_la_huella_detecta_un_cambio():
    guardada = {"paginas": 2, "texto_pdf": ["a", "b"], "tablas": {"acp.csv": "x"},
                "anexo": {"Datos": "y"}}
    cambiada = {"paginas": 3, "texto_pdf": ["a", "c", "d"], "tablas": {"acp.csv": "z"},
                "anexo": {"Datos": "y", "Otra": "w"}}
    assert diferencias(guardada, guardada) == []
    assert diferencias(guardada, cambiada) == [
        "páginas: 2 → 3", "texto de la página 2", "tablas: acp.csv", "anexo: Otra"]


@pytest.mark.parametrize("nombre", PARAMS)
def test_cada_informe_de_la_muestra_como_su_huella(informes_muestra, nombre):
    guardadas = json.loads(ARCHIVO.read_text(encoding="utf-8"))["informes"]
    assert diferencias(guardadas[nombre], huella(informes_muestra[nombre])) == []


def test_la_huella_no_depende_del_commit_ni_de_los_cambios_sin_confirmar(tmp_path):
    """El colofón dice el commit y, si los hay, «con cambios sin confirmar»: sin espacios, la
    «c» de «con» queda pegada a las cifras del commit."""
    commit, otro = "a" * 40, "b" * 40
    limpio = neutro(f"commit de git {commit}\nGENERADO EL", tmp_path, "x")
    con_cambios = neutro(f"commit de git {otro}con cambios sin confirmar\nGENERADO EL",
                          tmp_path, "x")
    assert limpio == con_cambios
    assert commit not in limpio
