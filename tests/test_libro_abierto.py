"""Un libro abierto en Excel o LibreOffice (issue 53): su archivo de bloqueo junto al libro
da una advertencia (no un error) en la corrida de un informe, en la página, en `validar` y
en `recoger`, una sola vez y con el nombre de quien lo abrió si se puede leer. Los archivos
de bloqueo son de verdad, escritos en la carpeta de la prueba."""
from __future__ import annotations

import fabrica
import pytest

from helpers.avisos import Avisos
from helpers.cli import EXITO, main
from helpers.entrada.abierto import archivos_de_bloqueo, libro_abierto, quien_lo_abrio

# Lo que escribe LibreOffice: nombre, máquina, cuenta del sistema, hora y perfil.
LINEA_LIBREOFFICE = ("Ana Quispe,pc-planificacion,aquispe,27.11.2026 10:15,"
                     "file:///home/aquispe/.config/libreoffice/4;")


def _bloqueo_de_excel(nombre: str) -> bytes:
    """Como el archivo de propietario de Excel: el largo del nombre, el nombre y relleno."""
    codificado = nombre.encode("cp1252")
    return (bytes([len(codificado)]) + codificado).ljust(54, b" ") + nombre.encode("utf-16-le")


def _lineas_con(texto: str, fragmento: str) -> list[str]:
    return [linea for linea in texto.splitlines() if fragmento in linea]


# --------------------------------------------------------------------------------------
# Los archivos de bloqueo y lo que dicen


def test_sin_archivo_de_bloqueo_no_hay_aviso(libro_pequeno):
    assert libro_abierto(libro_pequeno) == []
    assert libro_abierto(None) == []
    assert libro_abierto(libro_pequeno.parent / "no_existe.xlsx") == []


def test_libreoffice_dice_quien_lo_abrio(libro_pequeno):
    bloqueo = libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#")
    bloqueo.write_text(LINEA_LIBREOFFICE, encoding="utf-8")
    (aviso,) = libro_abierto(libro_pequeno)
    assert f"{libro_pequeno.name} está abierto en LibreOffice (lo abrió «Ana Quispe»)" in aviso
    assert "lo que no se guardó no se lee" in aviso
    assert "Guárdelo y ciérrelo" in aviso
    assert bloqueo.name in aviso


def test_libreoffice_sin_nombre_de_usuario_da_la_cuenta(libro_pequeno):
    bloqueo = libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#")
    bloqueo.write_text(",pc,aquispe,27.11.2026 10:15,file:///x;", encoding="utf-8")
    assert quien_lo_abrio("LibreOffice", bloqueo) == "aquispe"


def test_libreoffice_con_una_coma_escapada_en_el_nombre(libro_pequeno):
    bloqueo = libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#")
    bloqueo.write_text("Quispe\\, Ana,pc,aquispe,27.11.2026 10:15,file:///x;", encoding="utf-8")
    assert quien_lo_abrio("LibreOffice", bloqueo) == "Quispe, Ana"


@pytest.mark.parametrize("contenido", [b"", b"\x00\x01\x02", b"\xff" * 10])
def test_un_bloqueo_ilegible_da_el_aviso_sin_nombre(libro_pequeno, contenido):
    libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#").write_bytes(contenido)
    (aviso,) = libro_abierto(libro_pequeno)
    assert "está abierto en LibreOffice:" in aviso
    assert "lo abrió" not in aviso


def test_el_nombre_del_bloqueo_es_texto_ajeno(libro_pequeno):
    """Sin caracteres de control (una secuencia de escape no llega a la terminal), sin
    saltos de línea y corto."""
    hostil = "\x1b[31mAna\x07\nQuispe\u202e" + "x" * 500
    libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#").write_text(
        hostil + ",pc,aquispe,hora,perfil;", encoding="utf-8")
    (aviso,) = libro_abierto(libro_pequeno)
    nombre = aviso.split("«", 1)[1].split("»", 1)[0]
    assert nombre.startswith("[31mAna Quispe x")
    assert not any(ord(c) < 32 or c in "\x7f\u202e" for c in aviso)
    assert len(nombre) <= 60 and nombre.endswith("…")


def test_excel_con_el_nombre_entero(libro_pequeno):
    bloqueo = libro_pequeno.with_name(f"~${libro_pequeno.name}")
    bloqueo.write_bytes(_bloqueo_de_excel("Ana Quispe"))
    assert archivos_de_bloqueo(libro_pequeno) == [("Excel", bloqueo)]
    (aviso,) = libro_abierto(libro_pequeno)
    assert f"{libro_pequeno.name} está abierto en Excel (lo abrió «Ana Quispe»)" in aviso


@pytest.mark.parametrize("nombre, bloqueo", [
    ("poa_2024.xlsx", "~$a_2024.xlsx"),  # más de seis caracteres: sin los dos primeros
    ("poa_2024.xlsx", "~$oa_2024.xlsx"),  # o sin el primero
    ("poa2024.xlsx", "~$oa2024.xlsx"),
    ("poa2024.xlsx", "~$a2024.xlsx"),
])
def test_excel_con_el_nombre_recortado(tmp_path, nombre, bloqueo):
    libro = tmp_path / nombre
    libro.write_bytes(b"")
    (tmp_path / bloqueo).write_bytes(_bloqueo_de_excel("Ana"))
    (aviso,) = libro_abierto(libro)
    assert "abierto en Excel (lo abrió «Ana»)" in aviso
    assert bloqueo in aviso


def test_un_nombre_corto_no_se_recorta(tmp_path):
    libro = tmp_path / "poa.xlsx"
    libro.write_bytes(b"")
    (tmp_path / "~$a.xlsx").write_bytes(_bloqueo_de_excel("Ana"))
    assert libro_abierto(libro) == []


def test_en_la_carpeta_de_csv_cada_archivo(carpeta_csv_pequena):
    csv = carpeta_csv_pequena / "operaciones.csv"
    csv.with_name(f".~lock.{csv.name}#").write_text(LINEA_LIBREOFFICE, encoding="utf-8")
    (aviso,) = libro_abierto(carpeta_csv_pequena)
    assert aviso.startswith("operaciones.csv está abierto en LibreOffice")


# --------------------------------------------------------------------------------------
# Quién lo dice


class _Etapas(Avisos):
    def __init__(self):
        self.etapas: list[str] = []

    def etapa(self, texto, segundos=None):
        self.etapas.append(texto)


def _params_que_no_llegan_a_calcular(tmp_path, libro):
    """Parámetros válidos cuya salida es una carpeta ajena: el ejecutor se detiene (código
    2) después de leer los parámetros y antes de calcular nada."""
    salida = tmp_path / "ajena"
    salida.mkdir()
    (salida / "notas.txt").write_text("de otra persona", encoding="utf-8")
    return fabrica.escribir_params(tmp_path / "params" / "t2.yaml", libro, salida=str(salida))


def test_la_corrida_lo_dice_una_vez(tmp_path, libro_pequeno, capsys):
    from helpers.informe import correr

    libro_pequeno.with_name(f"~${libro_pequeno.name}").write_bytes(_bloqueo_de_excel("Ana"))
    params = _params_que_no_llegan_a_calcular(tmp_path, libro_pequeno)
    avisos = _Etapas()
    codigo, _ = correr(params, avisos=avisos)
    assert codigo == 2, capsys.readouterr().err
    abiertos = [e for e in avisos.etapas if "está abierto en Excel" in e]
    assert len(abiertos) == 1, avisos.etapas
    assert abiertos[0].startswith(f"Advertencia: {libro_pequeno.name} está abierto en Excel")


def test_la_pagina_lo_muestra_entre_las_etapas(tmp_path, libro_pequeno):
    from helpers.pagina.corrida import correr_y_contar, leer

    libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#").write_text(
        LINEA_LIBREOFFICE, encoding="utf-8")
    params = _params_que_no_llegan_a_calcular(tmp_path, libro_pequeno)
    archivo = tmp_path / "estado.json"
    assert correr_y_contar(params, archivo) == 2
    estado = leer(archivo)
    abiertos = [e for e in estado.etapas if "está abierto en LibreOffice" in e]
    assert len(abiertos) == 1, estado.etapas
    assert "«Ana Quispe»" in abiertos[0]


def test_validar_lo_dice_y_no_es_un_error(libro_pequeno, capsys):
    libro_pequeno.with_name(f".~lock.{libro_pequeno.name}#").write_text(
        LINEA_LIBREOFFICE, encoding="utf-8")
    assert main(["validar", str(libro_pequeno)]) == EXITO
    salida = capsys.readouterr()
    (linea,) = _lineas_con(salida.out, "está abierto en LibreOffice")
    assert linea.startswith(f"Advertencia: {libro_pequeno.name} está abierto en LibreOffice "
                            "(lo abrió «Ana Quispe»)")
    assert "Traceback" not in salida.err


def test_validar_con_parametros_mira_el_libro_que_nombran(params_pequeno, libro_pequeno,
                                                          capsys):
    libro_pequeno.with_name(f"~${libro_pequeno.name}").write_bytes(_bloqueo_de_excel("Ana"))
    main(["validar", str(params_pequeno), "--silencioso"])
    assert len(_lineas_con(capsys.readouterr().out, "está abierto en Excel")) == 1


def test_recoger_lo_dice(params_pequeno, libro_pequeno, tmp_path, capsys):
    libro_pequeno.with_name(f"~${libro_pequeno.name}").write_bytes(_bloqueo_de_excel("Ana"))
    recibidos = tmp_path / "recibidos"
    recibidos.mkdir()
    main(["recoger", str(params_pequeno), str(recibidos), "--salida",
          str(tmp_path / "recogido.xlsx")])
    assert len(_lineas_con(capsys.readouterr().out, "está abierto en Excel")) == 1
