"""El manifiesto de una corrida: hashes, entorno, fechas y verificación."""
from __future__ import annotations

import hashlib
import json
import platform
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers.manifiesto import (
    PAQUETES,
    escribir_manifiesto,
    sha256_archivo,
    verificar_manifiesto,
)

BOLIVIA = timezone(timedelta(hours=-4))
INICIO = datetime(2024, 7, 15, 9, 0, 0, tzinfo=BOLIVIA)
FIN = datetime(2024, 7, 15, 9, 2, 30, 250000, tzinfo=BOLIVIA)


@pytest.fixture
def corrida(tmp_path):
    """Un repositorio en miniatura: datos, parámetros y una carpeta de salida."""
    raiz = tmp_path / "repo"
    (raiz / "data" / "2024").mkdir(parents=True)
    (raiz / "params").mkdir()
    datos = raiz / "data" / "2024" / "poa_2024.xlsx"
    datos.write_bytes(bytes(range(256)) * 9000)  # > 1 bloque de lectura (2,3 MB)
    params = raiz / "params" / "2024-T2.yaml"
    params.write_text("gestion: 2024\ntrimestre: 2\n", encoding="utf-8")
    salida = raiz / "output" / "2024-T2"
    (salida / "tablas").mkdir(parents=True)
    (salida / "notebooks").mkdir()
    (salida / "informe.html").write_text("<html>informe</html>", encoding="utf-8")
    (salida / "tablas" / "acp.csv").write_text("acp,vigente\n1,710081.76\n", encoding="utf-8")
    (salida / "tablas" / "área.csv").write_text("area\nVRE\n", encoding="utf-8")
    (salida / "notebooks" / "02_acp.ipynb").write_text("{}", encoding="utf-8")
    return raiz, datos, params, salida


def escribir(raiz, datos, params, salida, **extra):
    return escribir_manifiesto(
        salida / "manifiesto.json",
        parametros={"gestion": 2024, "trimestre": 2, "entidad": {"sigla": "MRE"},
                    "datos": Path("data/2024/poa_2024.xlsx"), "fecha_corte": date(2024, 6, 30)},
        entradas=[datos, params],
        carpeta_salida=salida,
        inicio=INICIO,
        fin=FIN,
        raiz=raiz,
        **extra,
    )


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_hashes_y_tamanos_de_entradas_y_salidas(corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida)
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert m["entradas"] == [
        {"ruta": "data/2024/poa_2024.xlsx", "bytes": datos.stat().st_size, "sha256": sha(datos)},
        {"ruta": "params/2024-T2.yaml", "bytes": params.stat().st_size, "sha256": sha(params)},
    ]
    rutas = [s["ruta"] for s in m["salidas"]]
    assert rutas == sorted(rutas)
    assert rutas == [  # relativas a la carpeta de salida
        "informe.html",
        "notebooks/02_acp.ipynb",
        "tablas/acp.csv",
        "tablas/área.csv",
    ]
    for s in m["salidas"]:
        p = salida / s["ruta"]
        assert s["sha256"] == sha(p)
        assert s["bytes"] == p.stat().st_size
    assert "manifiesto.json" not in rutas


def test_sha256_por_bloques_igual_a_hashlib(corrida):
    _, datos, _, _ = corrida
    assert sha256_archivo(datos) == sha(datos)


def test_parametros_entorno_y_tiempos(corrida):
    raiz, datos, params, salida = corrida
    m = json.loads(escribir(raiz, datos, params, salida).read_text(encoding="utf-8"))
    assert m["parametros"] == {
        "gestion": 2024, "trimestre": 2, "entidad": {"sigla": "MRE"},
        "datos": "data/2024/poa_2024.xlsx", "fecha_corte": "2024-06-30",
    }
    assert m["inicio"] == "2024-07-15T09:00:00-04:00"
    assert m["fin"] == "2024-07-15T09:02:30.250000-04:00"
    assert m["duracion_segundos"] == 150.25
    e = m["entorno"]
    assert e["python"] == platform.python_version()
    assert e["plataforma"] == platform.platform()
    assert set(e["paquetes"]) == set(PAQUETES)
    for p in ("pandas", "numpy", "papermill", "nbconvert", "nbformat", "openpyxl", "seaborn",
              "matplotlib", "weasyprint", "pandera", "babel", "pydantic", "pyyaml"):
        assert p in e["paquetes"]
    import openpyxl
    import pandas
    assert e["paquetes"]["pandas"] == pandas.__version__
    assert e["paquetes"]["openpyxl"] == openpyxl.__version__
    assert m["carpeta_salida"] == "."
    assert m["raiz"] == "../.."


def test_json_utf8_sangria_2_claves_ordenadas(corrida):
    raiz, datos, params, salida = corrida
    texto = escribir(raiz, datos, params, salida).read_text(encoding="utf-8")
    assert "área.csv" in texto  # sin escapes \u
    assert texto.endswith("\n")
    m = json.loads(texto)
    assert texto == json.dumps(m, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_hora_sin_zona_se_toma_como_local(corrida):
    raiz, datos, _params, salida = corrida
    ruta = escribir_manifiesto(
        salida / "manifiesto.json", parametros={}, entradas=[datos], carpeta_salida=salida,
        inicio=datetime(2024, 7, 15, 9, 0), fin=datetime(2024, 7, 15, 9, 1), raiz=raiz,
    )
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert datetime.fromisoformat(m["inicio"]).tzinfo is not None
    assert m["duracion_segundos"] == 60.0


def test_verificar_sin_cambios_no_da_nada(corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida)
    assert verificar_manifiesto(ruta) == []
    assert verificar_manifiesto(ruta, raiz=raiz) == []


def test_verificar_detecta_archivos_modificados_y_borrados(corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida)
    with open(salida / "tablas" / "acp.csv", "a", encoding="utf-8") as f:
        f.write("2,877091.00\n")
    assert verificar_manifiesto(ruta) == ["tablas/acp.csv"]
    datos.write_bytes(datos.read_bytes()[:-1] + b"\x00")  # mismo tamaño, otro contenido
    (salida / "informe.html").unlink()
    assert verificar_manifiesto(ruta) == [
        "data/2024/poa_2024.xlsx",
        "informe.html",
        "tablas/acp.csv",
    ]


def test_verificar_tras_copiar_el_arbol_a_otro_lugar(corrida, tmp_path):
    raiz, datos, params, salida = corrida
    escribir(raiz, datos, params, salida)
    copia = tmp_path / "copia"
    shutil.copytree(raiz, copia)
    assert verificar_manifiesto(copia / "output" / "2024-T2" / "manifiesto.json") == []


def test_entrada_fuera_de_la_raiz_y_carpeta_de_csv(corrida, tmp_path):
    raiz, _datos, _params, salida = corrida
    fuera = tmp_path / "externo.yaml"
    fuera.write_text("x: 1\n", encoding="utf-8")
    carpeta = raiz / "data" / "csv"
    carpeta.mkdir()
    (carpeta / "unidades.csv").write_text("codigo_unidad\nDGRM\n", encoding="utf-8")
    (carpeta / "acp.csv").write_text("codigo_acp\n1\n", encoding="utf-8")
    ruta = escribir_manifiesto(
        salida / "manifiesto.json", parametros={}, entradas=[carpeta, fuera, carpeta],
        carpeta_salida=salida, inicio=INICIO, fin=FIN, raiz=raiz,
    )
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert [e["ruta"] for e in m["entradas"]] == [
        "data/csv/acp.csv", "data/csv/unidades.csv", fuera.resolve().as_posix(),
    ]
    assert verificar_manifiesto(ruta) == []
    fuera.write_text("x: 2\n", encoding="utf-8")
    assert verificar_manifiesto(ruta) == [fuera.resolve().as_posix()]


def test_sin_raiz_las_rutas_son_absolutas(corrida):
    _, datos, params, salida = corrida
    ruta = escribir_manifiesto(
        salida / "manifiesto.json", parametros={}, entradas=[datos, params],
        carpeta_salida=salida, inicio=INICIO, fin=FIN,
    )
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert m["raiz"] is None
    assert all(Path(e["ruta"]).is_absolute() for e in m["entradas"])
    assert not any(Path(e["ruta"]).is_absolute() for e in m["salidas"])
    assert verificar_manifiesto(ruta) == []


def test_entrada_inexistente_es_un_error(corrida):
    raiz, _datos, _params, salida = corrida
    with pytest.raises(FileNotFoundError):
        escribir_manifiesto(
            salida / "manifiesto.json", parametros={}, entradas=[raiz / "no.xlsx"],
            carpeta_salida=salida, inicio=INICIO, fin=FIN, raiz=raiz,
        )
    assert not (salida / "manifiesto.json").exists()


def test_reescribir_no_incluye_el_manifiesto_anterior(corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida)
    ruta = escribir(raiz, datos, params, salida)
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert len(m["salidas"]) == 4
    assert not any(p.name.endswith(".tmp") for p in salida.iterdir())


def test_carpeta_de_salida_temporal_renombrada_despues(corrida):
    """El informe se arma en una carpeta temporal que después toma el nombre definitivo."""
    raiz, datos, params, salida = corrida
    temporal = salida.with_name(".2024-T2.nuevo-abc")
    salida.rename(temporal)
    escribir(raiz, datos, params, temporal)
    temporal.rename(salida)
    assert verificar_manifiesto(salida / "manifiesto.json") == []
    (salida / "informe.html").write_text("otro", encoding="utf-8")
    assert verificar_manifiesto(salida / "manifiesto.json") == ["informe.html"]


def test_manifiesto_fuera_de_la_carpeta_de_salida(corrida):
    raiz, datos, _params, salida = corrida
    ruta = escribir_manifiesto(
        raiz / "auditoria" / "manifiesto.json", parametros={}, entradas=[datos],
        carpeta_salida=salida, inicio=INICIO, fin=FIN, raiz=raiz,
    )
    m = json.loads(ruta.read_text(encoding="utf-8"))
    assert m["carpeta_salida"] == "../output/2024-T2"
    assert m["raiz"] == ".."
    assert len(m["salidas"]) == 4
    assert verificar_manifiesto(ruta) == []
