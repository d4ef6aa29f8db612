"""Las evidencias que las unidades mandan con su formulario (`helpers.formularios.evidencias`,
`informe-poa recoger`): el tipo por el contenido, lo que se rechaza y por qué, y sobre la
muestra, tres operaciones con evidencias (dos en su carpeta, una en un .zip) con su huella en
el registro, copiadas a la carpeta de la entidad, y un programa con nombre de PDF y una hoja
con macros, rechazados."""
from __future__ import annotations

import hashlib
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image
from plantados import plantar

from helpers.formularios.evidencias import (
    ARCHIVO_EVIDENCIAS,
    CARPETA_EVIDENCIAS,
    HOJA_EVIDENCIAS,
    buscar,
    tipo_y_problema,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PROGRAMA = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)


def _png() -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(salida, format="PNG")
    return salida.getvalue()


def _xlsx(macros: bool = False) -> bytes:
    salida = io.BytesIO()
    openpyxl.Workbook().save(salida)
    if not macros:
        return salida.getvalue()
    con = io.BytesIO()
    with zipfile.ZipFile(salida) as origen, zipfile.ZipFile(con, "w") as destino:
        for parte in origen.infolist():
            destino.writestr(parte, origen.read(parte))
        destino.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(64))
    return con.getvalue()


@pytest.mark.parametrize(("contenido", "tipo"), [
    (PDF, "PDF"), (_png(), "imagen PNG"), (_xlsx(), "hoja de cálculo"),
    ("Acta de la reunión, 12/05/2024\n".encode(), "texto")])
def test_se_recibe_por_su_contenido(contenido, tipo):
    assert tipo_y_problema(contenido) == (tipo, "")


@pytest.mark.parametrize(("contenido", "motivo"), [
    (PROGRAMA, "es un programa"),
    (b"\x7fELF\x02\x01\x01" + bytes(100), "es un programa"),
    (b"#!/bin/sh\nrm -rf ~\n", "es un programa"),
    (_xlsx(macros=True), "con macros"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "formato binario antiguo"),
    (bytes(range(256)) * 4, "no se recibe como evidencia"),
])
def test_se_rechaza_con_su_motivo(contenido, motivo):
    _, problema = tipo_y_problema(contenido)
    assert motivo in problema


def _escribir(carpeta: Path, relativa: str, contenido: bytes) -> Path:
    ruta = carpeta / relativa
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_bytes(contenido)
    return ruta


def test_lo_que_no_se_recibe_en_la_carpeta(tmp_path):
    operaciones = {"OP-1": "U1", "OP-2": "U1"}
    _escribir(tmp_path, "evidencias/OP-1/acta.pdf", PDF)
    _escribir(tmp_path, "evidencias/OP-1/grande.pdf", PDF + bytes(2 * 1024 * 1024))
    _escribir(tmp_path, "evidencias/OP-9/acta.pdf", PDF)
    (tmp_path / "evidencias" / "OP-2").mkdir()
    (tmp_path / "evidencias" / "OP-2" / "enlace.pdf").symlink_to(tmp_path / "evidencias" /
                                                                "OP-1" / "acta.pdf")
    encontradas = {e.archivo: e for e in buscar(tmp_path, operaciones, limite_mb=1)}
    assert encontradas["OP-1/acta.pdf"].recibida
    assert encontradas["OP-1/acta.pdf"].huella == hashlib.sha256(PDF).hexdigest()
    assert "más que el máximo de 1 MB" in encontradas["OP-1/grande.pdf"].motivo
    assert "no es una operación del POA" in encontradas["OP-9/acta.pdf"].motivo
    assert "enlace simbólico" in encontradas["OP-2/enlace.pdf"].motivo


def test_un_zip_se_mide_y_cada_parte_tiene_su_tope(tmp_path):
    with zipfile.ZipFile(tmp_path / "U1.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("evidencias/OP-1/foto.png", _png())
        # Sin repeticiones: se comprime poco, no es una bomba, y pasa el tope de 1 MB.
        zf.writestr("OP-1/ruido.bin", random.Random(0).randbytes(2 * 1024 * 1024))
        zf.writestr("../OP-1/fuera.pdf", PDF)
    encontradas = {e.origen: e for e in buscar(tmp_path, {"OP-1": "U1"}, limite_mb=1)}
    assert encontradas["U1.zip: evidencias/OP-1/foto.png"].tipo == "imagen PNG"
    assert "más que el máximo" in encontradas["U1.zip: OP-1/ruido.bin"].motivo
    assert "sale de la carpeta" in encontradas["U1.zip: ../OP-1/fuera.pdf"].motivo
    # Una bomba: se rechaza el .zip entero sin abrir sus partes.
    with zipfile.ZipFile(tmp_path / "U1.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OP-1/bomba.txt", b"\0" * (300 * 1024 * 1024))
    (bomba,) = buscar(tmp_path, {"OP-1": "U1"}, limite_mb=1)
    assert "bomba zip" in bomba.motivo


@pytest.mark.lento
def test_la_muestra_con_evidencias(tmp_path):
    from helpers.formularios.recogida import recoger

    plantados = plantar(tmp_path)
    carpeta = plantados.formularios
    operaciones = list(dict.fromkeys(c for _, c, _ in plantados.esperadas))[:4]
    buenas = {
        _escribir(carpeta, f"{CARPETA_EVIDENCIAS}/{operaciones[0]}/acta.pdf", PDF),
        _escribir(carpeta, f"{CARPETA_EVIDENCIAS}/{operaciones[1]}/planilla.xlsx", _xlsx()),
    }
    with zipfile.ZipFile(carpeta / "fotos.zip", "w") as zf:
        zf.writestr(f"{CARPETA_EVIDENCIAS}/{operaciones[2]}/foto.png", _png())
    _escribir(carpeta, f"{CARPETA_EVIDENCIAS}/{operaciones[3]}/informe.pdf", PROGRAMA)
    _escribir(carpeta, f"{CARPETA_EVIDENCIAS}/{operaciones[3]}/cuadro.xlsm", _xlsx(True))
    libro = tmp_path / "recogido" / "poa-recogido.xlsx"
    recogida = recoger(plantados.params, carpeta, libro)

    registro = pd.read_csv(libro.parent / ARCHIVO_EVIDENCIAS, dtype=str, keep_default_na=False)
    recibidas = registro[registro["estado"] == "recibida"]
    assert sorted(recibidas["codigo_operacion"]) == sorted(operaciones[:3])
    for ruta in buenas:
        fila = recibidas[recibidas["archivo"] == f"{ruta.parent.name}/{ruta.name}"].iloc[0]
        assert fila["huella"] == hashlib.sha256(ruta.read_bytes()).hexdigest()
        assert fila["tamano"] == str(ruta.stat().st_size)
        copia = libro.parent / CARPETA_EVIDENCIAS / ruta.parent.name / ruta.name
        assert copia.read_bytes() == ruta.read_bytes()
    rechazadas = registro[registro["estado"] == "rechazada"].set_index("archivo")
    assert "es un programa" in rechazadas.at[f"{operaciones[3]}/informe.pdf", "motivo"]
    assert "con macros" in rechazadas.at[f"{operaciones[3]}/cuadro.xlsm", "motivo"]
    assert not (libro.parent / CARPETA_EVIDENCIAS / operaciones[3]).exists()
    hoja = pd.read_excel(libro, sheet_name=HOJA_EVIDENCIAS, dtype=str).fillna("")
    assert hoja["huella"].tolist() == registro["huella"].tolist()
    assert set(hoja["ronda"]) == {"1"}
    assert recogida.evidencias is not None


def test_dos_evidencias_al_mismo_lugar_se_recibe_la_primera(tmp_path):
    """La carpeta de la entidad guarda un archivo por <operación>/<nombre>: si un .zip (o
    una subcarpeta) trae otro con el mismo nombre, el registro no puede tener dos huellas
    para el mismo lugar (el informe vería una «cambiada»)."""
    _escribir(tmp_path, "evidencias/OP-1/acta.pdf", PDF)
    _escribir(tmp_path, "evidencias/OP-1/copia/acta.pdf", PDF + b"% otra\n")
    with zipfile.ZipFile(tmp_path / "U1.zip", "w") as zf:
        zf.writestr("OP-1/acta.pdf", PDF + b"% del zip\n")
    encontradas = buscar(tmp_path, {"OP-1": "U1"}, limite_mb=1)
    recibidas = [e for e in encontradas if e.recibida]
    assert [e.archivo for e in recibidas] == ["OP-1/acta.pdf"]
    repetidas = [e for e in encontradas if not e.recibida]
    assert len(repetidas) == 2
    assert all("mismo nombre" in e.motivo and e.contenido is None for e in repetidas)
