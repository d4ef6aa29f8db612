"""El manifiesto de una corrida: hashes, entorno, fechas y verificación."""
from __future__ import annotations

import hashlib
import json
import platform
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from helpers.salida.manifiesto import (
    PAQUETES,
    VERSION_FORMATO,
    archivos_de_codigo,
    datos_colofon,
    describir_codigo,
    escribir_manifiesto,
    estado_git,
    sha256_archivo,
    verificar_manifiesto,
    version_programa,
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
        "data/csv/acp.csv", "data/csv/unidades.csv", "../externo.yaml",
    ]
    assert verificar_manifiesto(ruta) == []
    fuera.write_text("x: 2\n", encoding="utf-8")
    assert verificar_manifiesto(ruta) == ["../externo.yaml"]


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


# --- Qué programa produjo el informe: versión, commit y huellas del código -------------------

GIT = shutil.which("git")
necesita_git = pytest.mark.skipif(GIT is None, reason="git no está instalado")


def _git(carpeta: Path, *argumentos: str) -> str:
    resultado = subprocess.run(
        ["git", "-c", "user.name=Prueba", "-c", "user.email=prueba@ejemplo.bo",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *argumentos],
        cwd=carpeta, capture_output=True, text=True, check=True,
    )
    return resultado.stdout.strip()


@pytest.fixture
def proyecto(corrida):
    """El código del repositorio en miniatura: helpers, plantillas y cuadernos, con cachés,
    puntos de control y archivos ocultos que no son código."""
    raiz = corrida[0]
    helpers = raiz / "src" / "helpers"
    (helpers / "plantillas" / "cuerpo").mkdir(parents=True)
    (helpers / "__pycache__").mkdir()
    (helpers / "__init__.py").write_text("", encoding="utf-8")
    (helpers / "metodologia.py").write_text("TOPE = 100\n", encoding="utf-8")
    (helpers / "plantillas" / "pagina.html.j2").write_text("<p>{{ x }}</p>\n", encoding="utf-8")
    (helpers / "plantillas" / "cuerpo" / "conf.json").write_text("{}\n", encoding="utf-8")
    (helpers / "__pycache__" / "metodologia.cpython-311.pyc").write_bytes(b"\x00cache")
    (helpers / ".metodologia.py.swp").write_bytes(b"editor")
    cuadernos = raiz / "notebooks"
    (cuadernos / ".ipynb_checkpoints").mkdir(parents=True)
    (cuadernos / "02_acp.ipynb").write_text('{"cells": []}\n', encoding="utf-8")
    (cuadernos / "01_metodologia.ipynb").write_text('{"cells": [1]}\n', encoding="utf-8")
    (cuadernos / ".ipynb_checkpoints" / "02_acp-checkpoint.ipynb").write_text("{}", "utf-8")
    (cuadernos / "notas.md").write_text("no es un cuaderno\n", encoding="utf-8")
    (raiz / "pyproject.toml").write_text(
        '[project]\nname = "informe-poa"\nversion = "9.8.7"\n', encoding="utf-8"
    )
    (raiz / ".gitignore").write_text("output/\n__pycache__/\n*.swp\n", encoding="utf-8")
    return raiz


CODIGO_ESPERADO = [
    "notebooks/01_metodologia.ipynb",
    "notebooks/02_acp.ipynb",
    "pyproject.toml",
    "src/helpers/__init__.py",
    "src/helpers/metodologia.py",
    "src/helpers/plantillas/cuerpo/conf.json",
    "src/helpers/plantillas/pagina.html.j2",
]


def test_archivos_de_codigo_helpers_plantillas_y_cuadernos(proyecto):
    rutas = [p.relative_to(proyecto).as_posix() for p in archivos_de_codigo(proyecto)]
    assert rutas == CODIGO_ESPERADO


def test_codigo_del_proyecto_real():
    from helpers.rutas import RAIZ

    rutas = {p.relative_to(RAIZ).as_posix() for p in archivos_de_codigo(RAIZ)}
    for esperado in ("src/helpers/salida/manifiesto.py",
                     "src/helpers/salida/plantillas/pagina.html.j2",
                     "src/helpers/salida/plantillas/impresion.css",
                     "notebooks/comun/00_portada.ipynb",
                     "notebooks/trimestral/02_acp.ipynb", "notebooks/anual/secciones.yaml"):
        assert esperado in rutas
    assert not any("__pycache__" in r or r.endswith(".pyc") for r in rutas)


def test_manifiesto_con_seccion_codigo(proyecto, corrida, monkeypatch):
    raiz, datos, params, salida = corrida
    monkeypatch.setattr("helpers.salida.manifiesto.estado_git",
                        lambda p: {"commit": "a" * 40, "cambios_sin_confirmar": False})
    ruta = escribir(raiz, datos, params, salida, proyecto=proyecto)
    texto = ruta.read_text(encoding="utf-8")
    m = json.loads(texto)
    assert m["formato"] == VERSION_FORMATO == 2
    codigo = m["codigo"]
    assert codigo["version"] == version_programa(proyecto)
    assert codigo["commit"] == "a" * 40 and codigo["cambios_sin_confirmar"] is False
    assert [a["ruta"] for a in codigo["archivos"]] == CODIGO_ESPERADO
    for a in codigo["archivos"]:
        p = proyecto / a["ruta"]
        assert a == {"ruta": a["ruta"], "bytes": p.stat().st_size, "sha256": sha(p)}
    # Ninguna ruta de la máquina que lo produjo.
    assert str(proyecto.parent) not in texto and proyecto.parent.as_posix() not in texto


def test_sin_proyecto_el_codigo_es_null(corrida):
    raiz, datos, params, salida = corrida
    m = json.loads(escribir(raiz, datos, params, salida).read_text(encoding="utf-8"))
    assert m["codigo"] is None


def test_codigo_calculado_una_vez_y_pasado(proyecto, corrida):
    raiz, datos, params, salida = corrida
    codigo = describir_codigo(proyecto)
    (proyecto / "src" / "helpers" / "metodologia.py").write_text("TOPE = 90\n", "utf-8")
    m = json.loads(escribir(raiz, datos, params, salida, codigo=codigo).read_text("utf-8"))
    assert m["codigo"] == codigo  # el de antes de cambiar el archivo, no uno nuevo


def test_verificar_codigo_nombra_el_archivo_cambiado_borrado_y_nuevo(proyecto, corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida, proyecto=proyecto)
    assert verificar_manifiesto(ruta, proyecto=proyecto) == []
    helpers = proyecto / "src" / "helpers"
    with open(helpers / "metodologia.py", "a", encoding="utf-8") as f:
        f.write("TOPE = 90\n")
    assert verificar_manifiesto(ruta) == []  # sin proyecto, el código no se mira
    assert verificar_manifiesto(ruta, proyecto=proyecto) == ["src/helpers/metodologia.py"]
    (helpers / "plantillas" / "pagina.html.j2").unlink()
    (helpers / "nuevo.py").write_text("x = 1\n", encoding="utf-8")
    (helpers / "__pycache__" / "nuevo.cpython-311.pyc").write_bytes(b"cache")  # no cuenta
    (salida / "informe.html").write_text("otro", encoding="utf-8")
    assert verificar_manifiesto(ruta, proyecto=proyecto) == [
        "informe.html",
        "src/helpers/metodologia.py",
        "src/helpers/plantillas/pagina.html.j2",
        "src/helpers/nuevo.py",
    ]


def test_verificar_codigo_tras_copiar_y_renombrar(proyecto, corrida, tmp_path):
    """El informe se arma en una carpeta hermana temporal; el árbol se copia a otro lugar."""
    raiz, datos, params, salida = corrida
    temporal = salida.with_name(".2024-T2.nuevo-abc")
    salida.rename(temporal)
    escribir(raiz, datos, params, temporal, codigo=describir_codigo(proyecto))
    temporal.rename(salida)
    copia = tmp_path / "copia"
    shutil.copytree(raiz, copia)
    manifiesto = copia / "output" / "2024-T2" / "manifiesto.json"
    assert verificar_manifiesto(manifiesto, proyecto=copia) == []
    (copia / "notebooks" / "02_acp.ipynb").write_text('{"cells": [2]}\n', encoding="utf-8")
    assert verificar_manifiesto(manifiesto, proyecto=copia) == ["notebooks/02_acp.ipynb"]


def test_verificar_manifiesto_de_formato_1_con_proyecto(proyecto, corrida):
    raiz, datos, params, salida = corrida
    ruta = escribir(raiz, datos, params, salida)
    m = json.loads(ruta.read_text(encoding="utf-8"))
    del m["codigo"]
    m["formato"] = 1
    ruta.write_text(json.dumps(m), encoding="utf-8")
    assert verificar_manifiesto(ruta, proyecto=proyecto) == []


def test_version_del_paquete_instalado_o_de_pyproject(proyecto, monkeypatch):
    from importlib import metadata

    assert version_programa(proyecto) == metadata.version("informe-poa")

    def no_instalado(nombre):
        raise metadata.PackageNotFoundError(nombre)

    monkeypatch.setattr(metadata, "version", no_instalado)
    assert version_programa(proyecto) == "9.8.7"
    (proyecto / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert version_programa(proyecto) is None
    (proyecto / "pyproject.toml").write_text("no es toml = = =", encoding="utf-8")
    assert version_programa(proyecto) is None
    (proyecto / "pyproject.toml").unlink()
    assert version_programa(proyecto) is None


@necesita_git
def test_estado_git_commit_y_cambios_sin_confirmar(proyecto):
    _git(proyecto, "init", "-q")
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}  # sin commits
    _git(proyecto, "add", "-A")
    _git(proyecto, "commit", "-q", "-m", "inicial")
    commit = _git(proyecto, "rev-parse", "HEAD")
    assert estado_git(proyecto) == {"commit": commit, "cambios_sin_confirmar": False}
    metodologia = proyecto / "src" / "helpers" / "metodologia.py"
    metodologia.write_text("TOPE = 90\n", encoding="utf-8")
    assert estado_git(proyecto) == {"commit": commit, "cambios_sin_confirmar": True}
    _git(proyecto, "checkout", "-q", "--", "src/helpers/metodologia.py")
    assert estado_git(proyecto)["cambios_sin_confirmar"] is False
    (proyecto / "src" / "helpers" / "nuevo.py").write_text("x = 1\n", encoding="utf-8")
    assert estado_git(proyecto)["cambios_sin_confirmar"] is True  # nuevo, sin ignorar
    codigo = describir_codigo(proyecto)
    assert codigo["commit"] == commit and codigo["cambios_sin_confirmar"] is True


@necesita_git
def test_los_datos_del_usuario_en_la_copia_no_son_cambios_del_codigo(proyecto):
    """Quien guarda sus libros y parámetros dentro de la copia del proyecto (data/2025/,
    params/2025-T2.yaml) no cambió el programa; quien edita un cuaderno o el lock, sí."""
    _git(proyecto, "init", "-q")
    (proyecto / "requirements.lock").write_text("pandas==3.1.1\n", encoding="utf-8")
    _git(proyecto, "add", "-A")
    _git(proyecto, "commit", "-q", "-m", "inicial")
    (proyecto / "data" / "2025").mkdir(parents=True, exist_ok=True)
    (proyecto / "data" / "2025" / "poa_2025.xlsx").write_bytes(b"libro")
    (proyecto / "params").mkdir(exist_ok=True)
    (proyecto / "params" / "2025-T2.yaml").write_text("gestion: 2025\n", encoding="utf-8")
    (proyecto / "output" / "2025-T2").mkdir(parents=True, exist_ok=True)
    assert estado_git(proyecto)["cambios_sin_confirmar"] is False
    rutas = {p.relative_to(proyecto).as_posix() for p in archivos_de_codigo(proyecto)}
    assert not any(r.startswith(("data/", "params/")) for r in rutas)
    for cambiado in ("notebooks/02_acp.ipynb", "requirements.lock", "pyproject.toml"):
        original = (proyecto / cambiado).read_bytes()
        (proyecto / cambiado).write_bytes(original + b"\n")
        assert estado_git(proyecto)["cambios_sin_confirmar"] is True, cambiado
        (proyecto / cambiado).write_bytes(original)
        assert estado_git(proyecto)["cambios_sin_confirmar"] is False, cambiado


@necesita_git
def test_estado_git_fuera_de_un_repositorio_o_dentro_de_otro(proyecto, monkeypatch):
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}
    # Un proyecto copiado dentro de otro repositorio no toma el commit de ese.
    _git(proyecto.parent, "init", "-q")
    _git(proyecto.parent, "add", "-A")
    _git(proyecto.parent, "commit", "-q", "-m", "otro")
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}
    # Un GIT_DIR heredado del entorno no cuenta.
    monkeypatch.setenv("GIT_DIR", str(proyecto.parent / ".git"))
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}
    assert estado_git(proyecto / "no-existe") == {"commit": None, "cambios_sin_confirmar": None}


def test_estado_git_sin_git_no_falla(proyecto, monkeypatch):
    monkeypatch.setenv("PATH", str(proyecto / "vacia"))
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}

    def colgado(*args, **kwargs):
        raise subprocess.TimeoutExpired(args[0], 10)

    monkeypatch.setattr(subprocess, "run", colgado)
    assert estado_git(proyecto) == {"commit": None, "cambios_sin_confirmar": None}


# --- Colofón ------------------------------------------------------------------------------


def test_datos_del_colofon(proyecto, corrida, tmp_path):
    raiz, datos, params, salida = corrida
    codigo = {"version": "9.8.7", "commit": "b" * 40, "cambios_sin_confirmar": True,
              "archivos": []}
    colofon = datos_colofon(
        datos=[datos], params=params, proyecto=proyecto, carpeta=salida, codigo=codigo,
        momento=datetime(2024, 7, 15, 9, 2, 30, 250000, tzinfo=BOLIVIA),
    )
    assert colofon == {
        "datos": [{"nombre": "data/2024/poa_2024.xlsx", "sha256": sha(datos)}],
        "parametros": {"nombre": "params/2024-T2.yaml", "sha256": sha(params)},
        "programa": "informe-poa",
        "version": "9.8.7",
        "commit": "b" * 40,
        "cambios_sin_confirmar": True,
        "generado": "15 de julio de 2024, 09:02:30 (UTC−04:00)",
        "generado_iso": "2024-07-15T09:02:30-04:00",
        "verificacion": [
            "make verify OUTPUT=output/2024-T2",
            "python -m helpers.salida.verificacion output/2024-T2",
        ],
    }
    # Datos fuera del proyecto (o una carpeta de CSV): sólo el nombre, nunca la ruta absoluta.
    externos = tmp_path / "externos"
    externos.mkdir()
    (externos / "unidades.csv").write_text("codigo_unidad\nDGRM\n", encoding="utf-8")
    (externos / "acp.csv").write_text("codigo_acp\n1\n", encoding="utf-8")
    colofon = datos_colofon(datos=externos, params=params, proyecto=proyecto,
                            carpeta=tmp_path / "fuera", codigo=codigo)
    assert colofon["datos"] == [
        {"nombre": "acp.csv", "sha256": sha(externos / "acp.csv")},
        {"nombre": "unidades.csv", "sha256": sha(externos / "unidades.csv")},
    ]
    assert colofon["verificacion"] == [
        "make verify OUTPUT=<carpeta>", "python -m helpers.salida.verificacion <carpeta>",
    ]
    assert str(tmp_path) not in json.dumps(colofon, ensure_ascii=False)


def test_colofon_sin_codigo_usa_version_y_git_del_proyecto(proyecto, corrida, monkeypatch):
    _raiz, datos, params, _salida = corrida
    monkeypatch.setattr("helpers.salida.manifiesto.estado_git",
                        lambda p: {"commit": "c" * 40, "cambios_sin_confirmar": False})
    colofon = datos_colofon(datos=datos, params=params, proyecto=proyecto)
    assert colofon["version"] == version_programa(proyecto)
    assert (colofon["commit"], colofon["cambios_sin_confirmar"]) == ("c" * 40, False)
    momento = datetime.fromisoformat(colofon["generado_iso"])
    assert momento.tzinfo is not None
    assert abs((datetime.now(UTC) - momento).total_seconds()) < 60
