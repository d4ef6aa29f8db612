"""La carpeta de una entidad nueva (`informe-poa nuevo`, helpers.entrada.entidad_nueva y
helpers.entrada.parametros_en_blanco): la plantilla, un archivo de parámetros por tipo de
informe que corre tal como sale y con cada clave opcional comentada, el LEEME; nada de la
muestra, nada dentro del proyecto, nada reemplazado.

Lo que es «de la muestra» se lee de sus parámetros (`params/` del proyecto) al correr las
pruebas: su sigla, el nombre de su entidad y sus textos.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import get_args

import fabrica
import openpyxl
import pytest
import texto_pdf
import yaml

from helpers.entrada import entidad_nueva, tipos
from helpers.entrada.contrato import HOJAS
from helpers.entrada.entidad_nueva import (
    LEEME,
    PedidoNoValido,
    escribir_entidad_nueva,
    nombre_del_libro,
)
from helpers.entrada.identificacion import Firma, Identificacion
from helpers.entrada.organizacion import Organizacion
from helpers.entrada.parametros import (
    FILAS_POR_CUADRO,
    Metodologia,
    Parametros,
    Presentacion,
    cargar_parametros,
)
from helpers.entrada.parametros_en_blanco import CARPETA_INFORMES, RELLENOS
from helpers.entrada.plantilla import escribir_plantilla
from helpers.entrada.textos_de_muestra import LO_QUE_ES, MARCA_DE_EJEMPLO, textos_de_muestra
from helpers.rutas import MEMBRETE, RAIZ

ENTIDAD = "Servicio Departamental de Caminos Vecinales"
SIGLA = "SEDCAV"
GESTION = 2025
INFORME_POA = Path(sys.executable).parent / "informe-poa"


def _escribir(carpeta: Path, **cambios):
    datos = {"entidad": ENTIDAD, "sigla": SIGLA, "gestion": GESTION, **cambios}
    return escribir_entidad_nueva(carpeta, **datos)


@pytest.fixture(scope="module")
def nueva(tmp_path_factory):
    return _escribir(tmp_path_factory.mktemp("entidad") / "POA")


def _textos_yaml(valor, clave=""):
    if isinstance(valor, dict):
        for nombre, dentro in valor.items():
            yield from _textos_yaml(dentro, f"{clave}.{nombre}" if clave else str(nombre))
    elif isinstance(valor, list):
        for dentro in valor:
            yield from _textos_yaml(dentro, clave)
    elif isinstance(valor, str):
        yield clave, valor


def de_la_muestra() -> tuple[set[str], set[str]]:
    """Las siglas de la muestra y sus textos (el nombre de la entidad y lo que dice en las
    claves propias de una entidad), leídos de sus parámetros."""
    siglas, textos = set(), set()
    for ruta in sorted((RAIZ / "params").rglob("*.yaml")):
        contenido = yaml.safe_load(ruta.read_text(encoding="utf-8"))
        siglas.add(contenido["entidad"]["sigla"])
        textos |= {" ".join(texto.split()) for clave, texto in _textos_yaml(contenido)
                   if clave in LO_QUE_ES}
    assert siglas and textos, "no encontré los parámetros de la muestra"
    return siglas, textos


def rastros_de_la_muestra(texto: str) -> list[str]:
    """Lo que `texto` dice de la muestra: su sigla (como palabra), un texto suyo o la marca
    de sus textos de ejemplo."""
    siglas, textos = de_la_muestra()
    plano = " ".join(texto.split())
    return ([s for s in siglas if re.search(rf"\b{re.escape(s)}\b", plano)]
            + [t for t in textos if t in plano]
            + [MARCA_DE_EJEMPLO] * (MARCA_DE_EJEMPLO in plano.casefold()))


# --------------------------------------------------------------------------------------
# Lo que escribe


def test_escribe_la_plantilla_un_archivo_por_tipo_y_el_leeme(nueva, tmp_path):
    assert nueva.libro == nueva.carpeta / nombre_del_libro(GESTION)
    assert set(nueva.parametros) == set(tipos.nombres())
    periodos = [tipos.tipo(n).periodo for n in nueva.parametros]
    assert periodos[0] == "trimestre"  # el del primer informe, primero
    assert nueva.leeme == nueva.carpeta / LEEME
    assert sorted(p.name for p in nueva.carpeta.iterdir()) == sorted(
        r.name for r in nueva.archivos)
    # El libro es la plantilla de `informe-poa plantilla`, con los años de la gestión.
    referencia = openpyxl.load_workbook(escribir_plantilla(tmp_path / "ref.xlsx",
                                                           gestion=GESTION))
    libro = openpyxl.load_workbook(nueva.libro)
    assert libro.sheetnames == referencia.sheetnames
    for hoja in libro.sheetnames:
        assert ([[c.value for c in fila] for fila in libro[hoja].iter_rows()]
                == [[c.value for c in fila] for fila in referencia[hoja].iter_rows()]), hoja


def test_cada_archivo_de_parametros_corre_tal_como_sale(nueva):
    """Sólo las claves de la entidad y del informe, con sus rutas desde la carpeta; todo lo
    opcional queda en su valor por omisión."""
    for nombre, ruta in nueva.parametros.items():
        p = cargar_parametros(ruta)
        tipo = tipos.tipo(nombre)
        assert (p.entidad.nombre, p.entidad.sigla, p.gestion, p.informe) == (
            ENTIDAD, SIGLA, GESTION, nombre)
        assert (p.trimestre is not None) == (tipo.periodo == "trimestre")
        assert ruta.name == f"{p.etiqueta}.yaml"
        assert p.raiz == nueva.carpeta and p.ruta_datos == nueva.libro
        assert p.carpeta_salida == nueva.carpeta / CARPETA_INFORMES / p.etiqueta
        assert p.informe_anterior is None
        assert p.presentacion == Presentacion() and p.identificacion == Identificacion()
        assert p.organizacion == Organizacion()
        assert p.metodologia == Metodologia() and p.filas_por_cuadro == FILAS_POR_CUADRO
        assert textos_de_muestra(ruta) == []


_CLAVE_DE_ARRIBA = re.compile(r"# ([a-z_]+:(?: .*)?)")
_LINEA_DE_GRUPO = re.compile(r"# ( +)([^#\s].*)")


def activar(texto: str) -> str:
    """`texto` con cada clave comentada activa, como lo haría el planificador: sin el «# »
    de sus líneas (no el de los comentarios, que empiezan con mayúscula o con otro «#»)."""
    lineas = []
    for linea in texto.splitlines():
        if m := _LINEA_DE_GRUPO.fullmatch(linea):
            lineas.append(m[1] + m[2])
        elif m := _CLAVE_DE_ARRIBA.fullmatch(linea):
            lineas.append(m[1])
        else:
            lineas.append(linea)
    return "\n".join(lineas) + "\n"


def test_cada_clave_opcional_esta_comentada_y_activada_es_valida(nueva):
    """Activadas todas las claves comentadas, los parámetros se leen igual: están todas las
    claves del modelo, las reglas con su valor por omisión, y cada texto de relleno que
    quede se advierte en su clave."""
    claves: set[str] = set()
    for nombre, ruta in nueva.parametros.items():
        activado = ruta.with_name(f"activado-{ruta.name}")
        activado.write_text(activar(ruta.read_text(encoding="utf-8")), encoding="utf-8")
        contenido = yaml.safe_load(activado.read_text(encoding="utf-8"))
        assert set(contenido) <= set(Parametros.model_fields), nombre
        claves |= set(contenido)
        p = cargar_parametros(activado)
        assert p.metodologia == Metodologia() and p.filas_por_cuadro == FILAS_POR_CUADRO
        assert p.identificacion.fecha_emision >= p.fecha_corte
        if tipos.tipo(nombre).periodo == "trimestre":
            assert set(contenido["presentacion"]) == set(Presentacion.model_fields)
            assert set(contenido["identificacion"]) == set(Identificacion.model_fields)
            assert set(contenido["metodologia"]) == set(Metodologia.model_fields)
            assert set(contenido["organizacion"]) == set(Organizacion.model_fields)
            roles = [f["rol"] for f in contenido["identificacion"]["firmas"]]
            assert roles == list(get_args(Firma.model_fields["rol"].annotation))
        rellenos = {" ".join(r.split()) for r in RELLENOS.values()}
        con_relleno = {clave for clave, texto in fabrica.claves_y_textos(contenido)
                       if " ".join(texto.split()) in rellenos}
        assert con_relleno
        assert {a.columna for a in textos_de_muestra(activado)} == con_relleno
        activado.unlink()
    assert claves == set(Parametros.model_fields) - {"raiz"}


def test_nada_de_la_muestra(nueva):
    for ruta in nueva.archivos[1:]:
        assert rastros_de_la_muestra(ruta.read_text(encoding="utf-8")) == [], ruta.name


def test_el_leeme_nombra_cada_archivo_y_los_tres_pasos(nueva):
    leeme = nueva.leeme.read_text(encoding="utf-8")
    for ruta in nueva.archivos[:-1]:
        assert f"`{ruta.name}`" in leeme
    primeros = next(iter(nueva.parametros.values())).name
    pasos = [f"informe-poa validar {primeros}", f"informe-poa trimestral {primeros}"]
    assert [leeme.index(paso) for paso in pasos] == sorted(leeme.index(p) for p in pasos)
    assert leeme.index(nueva.libro.name) < leeme.index(pasos[0])


def test_la_gestion_por_omision_es_la_del_anio(tmp_path):
    nueva = escribir_entidad_nueva(tmp_path / "e", entidad=ENTIDAD, sigla=SIGLA)
    anio = dt.date.today().year
    assert nueva.libro.name == nombre_del_libro(anio)
    assert cargar_parametros(next(iter(nueva.parametros.values()))).gestion == anio


def test_textos_hostiles_quedan_tal_cual(tmp_path):
    """Comillas, dos puntos, # o barras en el nombre no rompen el YAML ni el LEEME."""
    nombre, sigla = 'Servicio "Nuevo": #1 \\ <b>caminos</b> *y* [puentes]', "S: #1"
    nueva = escribir_entidad_nueva(tmp_path / "e", entidad=f"  {nombre} ", sigla=sigla,
                                   gestion=GESTION)
    for ruta in nueva.parametros.values():
        p = cargar_parametros(ruta)
        assert (p.entidad.nombre, p.entidad.sigla) == (nombre, sigla)
    titulo = nueva.leeme.read_text(encoding="utf-8").splitlines()[0]
    assert "<b>" not in titulo and "*y*" not in titulo and "[puentes]" not in titulo


@pytest.mark.parametrize("cambios, dice", [
    ({"entidad": "   "}, "falta el nombre de la entidad"),
    ({"sigla": ""}, "falta la sigla de la entidad"),
    ({"entidad": "Servicio\nde caminos"}, "una sola línea"),
    ({"gestion": 1999}, "la gestión 1999 no es válida"),
    ({"gestion": 2101}, "la gestión 2101 no es válida"),
])
def test_datos_de_la_entidad_no_validos(tmp_path, cambios, dice):
    with pytest.raises(PedidoNoValido, match=dice):
        _escribir(tmp_path / "e", **cambios)
    assert not (tmp_path / "e").exists()


# --------------------------------------------------------------------------------------
# Dónde no escribe


def test_no_escribe_dentro_del_proyecto(tmp_path):
    enlace = tmp_path / "proyecto"
    enlace.symlink_to(RAIZ, target_is_directory=True)
    for carpeta in (RAIZ / "output" / "entidad-nueva", enlace / "entidad-nueva"):
        with pytest.raises(PedidoNoValido, match="dentro de la carpeta del proyecto"):
            _escribir(carpeta)
        assert not (RAIZ / "output" / "entidad-nueva").exists()


def test_no_escribe_en_una_carpeta_con_algo_ni_en_un_archivo(tmp_path):
    ocupada = tmp_path / "ocupada"
    ocupada.mkdir()
    (ocupada / "poa.xlsx").write_bytes(b"libro del planificador")
    with pytest.raises(PedidoNoValido, match="ya tiene archivos"):
        _escribir(ocupada)
    assert [p.name for p in ocupada.iterdir()] == ["poa.xlsx"]
    assert (ocupada / "poa.xlsx").read_bytes() == b"libro del planificador"
    archivo = tmp_path / "archivo"
    archivo.write_text("x", encoding="utf-8")
    with pytest.raises(PedidoNoValido, match="es un archivo"):
        _escribir(archivo)


def test_una_carpeta_vacia_sirve_y_las_que_faltan_se_crean(tmp_path):
    (tmp_path / "vacia").mkdir()
    assert _escribir(tmp_path / "vacia").carpeta == tmp_path / "vacia"
    assert _escribir(tmp_path / "a" / "b").libro.is_file()


def test_si_falla_a_mitad_no_queda_nada(tmp_path, monkeypatch):
    escribir = entidad_nueva._escribir

    def sin_espacio(ruta, texto):
        if ruta.name == LEEME:
            raise OSError(28, "No queda espacio en el dispositivo")
        return escribir(ruta, texto)

    monkeypatch.setattr(entidad_nueva, "_escribir", sin_espacio)
    with pytest.raises(OSError):
        _escribir(tmp_path / "nueva")
    assert not (tmp_path / "nueva").exists()
    (tmp_path / "vacia").mkdir()
    with pytest.raises(OSError):
        _escribir(tmp_path / "vacia")
    assert list((tmp_path / "vacia").iterdir()) == []


# --------------------------------------------------------------------------------------
# De la carpeta nueva al informe


# Un POA pequeño de una entidad que no es la de la muestra, sin grupos de áreas (la columna
# servicio vacía): hoja -> filas, columna -> valor.
_MESES = range(1, 13)
POA = {
    "unidades": [
        {"codigo_unidad": "UPL", "nombre": "Unidad de Planificación", "area": "DG",
         "tipo": "Unidad"},
        {"codigo_unidad": "UCV", "nombre": "Unidad de Caminos Vecinales", "area": "DT",
         "tipo": "Unidad"},
        {"codigo_unidad": "UPU", "nombre": "Unidad de Puentes", "area": "DT",
         "tipo": "Unidad"},
    ],
    "acp": [
        {"codigo_acp": "1", "descripcion": "Mantener la red de caminos vecinales transitable"},
        {"codigo_acp": "2", "descripcion": "Planificar y evaluar la gestión institucional"},
    ],
    "operaciones": [
        {"codigo_operacion": codigo, "codigo_acp": acp, "codigo_unidad": unidad,
         "descripcion": descripcion, "tareas": 1,
         **{f"prog_{m:02d}": meta for m in _MESES},
         **{f"ejec_{m:02d}": hecho for m, hecho in zip(_MESES, ejecutado)}}
        for codigo, acp, unidad, descripcion, meta, ejecutado in [
            ("OP-01", "2", "UPL", "Seguimiento trimestral del POA", 1, [1, 1, 1]),
            ("OP-02", "1", "UCV", "Mantenimiento de tramos", 10, [8, 10, 9]),
            ("OP-03", "1", "UCV", "Limpieza de cunetas", 4, [4, 2, 4]),
            ("OP-04", "1", "UPU", "Inspección de puentes", 2, [1, 2, 0]),
        ]
    ],
    "presupuesto": [
        {"categoria_programatica": categoria, "programa": programa, "codigo_unidad": unidad,
         "codigo_acp": acp, "fuente": "10 TGN", "vigente": vigente,
         **{f"dev_{m:02d}": gasto for m, gasto in zip(_MESES, devengado)}}
        for categoria, programa, unidad, acp, vigente, devengado in [
            ("00 0 001", "Administración", "UPL", "2", 120000.0, [9000.0, 10000.0, 9500.0]),
            ("10 0 001", "Caminos", "UCV", "1", 800000.0, [50000.0, 70000.0, 65000.0]),
            ("10 0 002", "Puentes", "UPU", "1", 300000.0, [10000.0, 25000.0, 20000.0]),
        ]
    ],
}


def llenar(libro: Path, poa: dict[str, list[dict]]) -> None:
    """Como un planificador: borra la fila de ejemplo de cada hoja y escribe `poa` debajo de
    los encabezados."""
    xl = openpyxl.load_workbook(libro)
    for hoja in HOJAS:
        xl[hoja].delete_rows(2)
        columnas = [c.value for c in xl[hoja][1]]
        for i, fila in enumerate(poa.get(hoja, []), start=2):
            for columna, valor in fila.items():
                celda = xl[hoja].cell(row=i, column=columnas.index(columna) + 1, value=valor)
                if isinstance(valor, str):
                    celda.data_type = "s"
    xl.save(libro)


def _correr(*argumentos, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(INFORME_POA), *map(str, argumentos)], capture_output=True,
                          text=True, cwd=cwd, timeout=900)


def _texto_del_informe(carpeta: Path) -> str:
    pdf = texto_pdf.texto(carpeta / "informe.pdf")
    return pdf + "\n" + (carpeta / "informe.html").read_text(encoding="utf-8")


@pytest.mark.lento
def test_de_la_carpeta_nueva_al_informe_sin_nada_de_la_muestra(tmp_path):
    """`nuevo`, el libro lleno, `validar` y el informe trimestral desde otra carpeta de
    trabajo: el informe queda en la carpeta de la entidad, la nombra, no dice nada de la
    muestra, y se verifica aunque la carpeta se mueva entera."""
    carpeta = tmp_path / "POA"
    resultado = _correr("nuevo", carpeta, "--entidad", ENTIDAD, "--sigla", SIGLA,
                        "--gestion", GESTION, cwd=tmp_path)
    assert resultado.returncode == 0, resultado.stderr
    llenar(carpeta / nombre_del_libro(GESTION), POA)
    trimestral = "trimestral"  # el primer informe de la gestión (el de objetivos también
    #                            es de un trimestre)
    params = carpeta / f"{tipos.tipo(trimestral).etiqueta(GESTION, 1, None)}.yaml"
    # Con el membrete que escribió `nuevo`, como dice el LEEME: sin el «# » de las dos líneas.
    texto_params = params.read_text(encoding="utf-8")
    for clave in ("identificacion:", "  plantilla_word:"):
        texto_params = texto_params.replace(f"# {clave}", clave, 1)
    params.write_text(texto_params, encoding="utf-8")

    revision = _correr("validar", params, cwd=RAIZ)
    assert revision.returncode == 0, revision.stdout + revision.stderr
    assert "ningún error" in revision.stdout and "Archivo de parámetros" not in revision.stdout

    informe = _correr(trimestral, params, "--silencioso", cwd=RAIZ)
    assert informe.returncode == 0, informe.stderr
    salida = cargar_parametros(params).carpeta_salida
    assert salida.is_relative_to(carpeta) and (salida / "informe.pdf").is_file()
    texto = _texto_del_informe(salida)
    assert ENTIDAD in " ".join(texto.split())
    assert rastros_de_la_muestra(texto) == []

    movida = tmp_path / "otra" / "POA-movida"
    movida.parent.mkdir()
    shutil.move(carpeta, movida)
    verificacion = _correr("verificar", movida / salida.relative_to(carpeta),
                           "--sin-cuadernos", cwd=tmp_path)
    assert verificacion.returncode == 0, verificacion.stdout + verificacion.stderr
    # El manifiesto lleva la huella del membrete: uno cambiado después se nombra.
    with (movida / MEMBRETE).open("ab") as membrete:
        membrete.write(b"\0")
    cambiado = _correr("verificar", movida / salida.relative_to(carpeta), "--sin-cuadernos",
                       cwd=tmp_path)
    assert cambiado.returncode != 0 and MEMBRETE in cambiado.stdout + cambiado.stderr
