"""`informe-poa validar --silencioso`: callada, la revisión dice igual cuántos errores y
advertencias encontró (issue 53), y termina con los códigos de docs/validar.md."""
from __future__ import annotations

from helpers.cli import ERROR_DE_ENTRADA, EXITO, main
from helpers.revision import cuentas, revisar


def test_con_solo_advertencias_dice_cuantas(tmp_path, capsys):
    """La plantilla tal como sale sólo tiene advertencias (sus filas de ejemplo): callada,
    la revisión dice la línea de las cuentas, y nada del listado."""
    libro = tmp_path / "poa.xlsx"
    assert main(["plantilla", str(libro)]) == EXITO
    capsys.readouterr()
    revision = revisar(libro)
    assert revision.advertencias and not revision.errores

    assert main(["validar", str(libro), "--silencioso"]) == EXITO
    salida = capsys.readouterr()
    linea = cuentas(revision)
    assert f"{len(revision.advertencias)} advertencias" in linea
    assert "ningún error" in linea
    assert linea in salida.out.splitlines()
    assert "Advertencias (no impiden" not in salida.out
    assert "fila de ejemplo de la plantilla" not in salida.out
    assert salida.err == ""


def test_sin_nada_que_decir_dice_que_no_hay_nada(libro_pequeno, capsys):
    revision = revisar(libro_pequeno)
    assert main(["validar", str(libro_pequeno), "--silencioso"]) == EXITO
    assert cuentas(revision) in capsys.readouterr().out.splitlines()


def test_con_errores_dice_las_cuentas_y_los_errores_y_termina_con_2(tmp_path, capsys):
    libro = tmp_path / "poa.xlsx"
    libro.write_bytes(b"no es un libro")
    assert main(["validar", str(libro), "--silencioso"]) == ERROR_DE_ENTRADA
    salida = capsys.readouterr()
    assert "Revisión de poa.xlsx: 1 error y ninguna advertencia." in salida.err
    assert "no se pudo leer el libro Excel" in salida.err
    assert "Revisión de" not in salida.out


def test_sin_silencio_la_linea_de_las_cuentas_va_primero(tmp_path, capsys):
    libro = tmp_path / "poa.xlsx"
    assert main(["plantilla", str(libro)]) == EXITO
    capsys.readouterr()
    assert main(["validar", str(libro)]) == EXITO
    salida = capsys.readouterr().out
    assert salida.splitlines()[0] == cuentas(revisar(libro))


def test_sin_poder_escribir_la_copia_termina_con_1(tmp_path, capsys, monkeypatch):
    """Como dice docs/validar.md: la copia marcada que no se pudo escribir es una falla que
    no es de los datos (código 1), dicha en castellano."""
    import helpers.salida.libro_revisado as libro_revisado
    from helpers.codigos import FALLA

    libro = tmp_path / "poa.xlsx"
    assert main(["plantilla", str(libro)]) == EXITO
    capsys.readouterr()

    def sin_espacio(_revision):
        raise OSError(28, "No queda espacio en el dispositivo")

    monkeypatch.setattr(libro_revisado, "escribir_revisado", sin_espacio)
    assert main(["validar", str(libro)]) == FALLA
    assert "No se pudo escribir la copia revisada" in capsys.readouterr().err
