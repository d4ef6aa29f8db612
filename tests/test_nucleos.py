"""`helpers.comun.nucleos`: cuántos núcleos usa un informe."""


def test_nucleos_los_de_la_maquina_o_menos_si_se_piden(monkeypatch):
    """`nucleos()`: los de la máquina, salvo que `VARIABLE_NUCLEOS` pida menos (el lote, que
    corre un informe por núcleo); un valor que no es un entero positivo no cuenta."""
    import os

    from helpers.comun.nucleos import VARIABLE_NUCLEOS, nucleos

    maquina = os.cpu_count() or 1
    monkeypatch.delenv(VARIABLE_NUCLEOS, raising=False)
    assert nucleos() == maquina
    monkeypatch.setenv(VARIABLE_NUCLEOS, "1")
    assert nucleos() == 1
    monkeypatch.setenv(VARIABLE_NUCLEOS, str(maquina + 5))
    assert nucleos() == maquina
    for valor in ("0", "-2", "dos", ""):
        monkeypatch.setenv(VARIABLE_NUCLEOS, valor)
        assert nucleos() == maquina, valor
