"""`python -m helpers.salida.verificacion`: un informe recién generado se verifica entero, y cada
alteración (una celda de los datos, una cifra de un CSV, una salida de un cuaderno, un valor
de los parámetros) se detecta y se nombra.

También: `verificar` vuelve a ejecutar los cuadernos archivados desde una copia de la carpeta
del informe sola (los datos y los parámetros del proyecto, apartados) y nbval, en modo
estricto, encuentra cada salida idéntica salvo la que se alteró en la copia; y ningún archivo
del informe guarda una ruta absoluta de la máquina que lo produjo."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import fabrica
import nbformat
import openpyxl
import pytest
from test_ipykernel_sin_depurador import entorno_hostil

from helpers.rutas import RAIZ
from helpers.salida.verificacion import Veredicto, lineas, verificar


@pytest.fixture(scope="module")
def informe(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("verificacion")
    libro = fabrica.escribir_libro_pequeno(base / "datos" / fabrica.NOMBRE_LIBRO)
    params = fabrica.escribir_params(base / "params" / "p.yaml", libro, salida=str(base / "salida"))
    resultado = subprocess.run([sys.executable, "-m", "helpers.informe", str(params)], cwd=RAIZ,
                               capture_output=True, text=True, timeout=600, check=False)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", libro, params


def verificar_cli(carpeta: Path, *opciones: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers.salida.verificacion", str(carpeta),
                           *opciones],
                          cwd=RAIZ, capture_output=True, text=True, timeout=900, check=False)


def test_un_informe_intacto_se_verifica_entero(informe):
    salida, libro, params = informe
    veredictos = verificar(salida, cuadernos=False)
    assert all(v.coincide for v in veredictos), [str(v) for v in veredictos if not v.coincide]
    manifiesto = json.loads((salida / "manifiesto.json").read_text(encoding="utf-8"))
    que = {(v.que, v.nombre) for v in veredictos}
    assert {("salida", s["ruta"]) for s in manifiesto["salidas"]} <= que
    assert {("entrada", e["ruta"]) for e in manifiesto["entradas"]} <= que
    assert {("código", c["ruta"]) for c in manifiesto["codigo"]["archivos"]} <= que
    assert {("tabla", p.name) for p in (salida / "tablas").glob("*.csv")} <= que
    # Que cada cuaderno ejecutado otra vez da las mismas salidas lo muestra
    # test_los_cuadernos_se_reejecutan_desde_la_carpeta_sola (todos coinciden salvo el que
    # se alteró), y la orden entera con los cuadernos termina con 0 en test_instalacion.py y
    # test_rendicion_inicial.py: aquí, sin volver a ejecutarlos.
    resultado = verificar_cli(salida, "--sin-cuadernos", "--detallado")
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "todo coincide" in resultado.stdout


def test_los_cuadernos_se_reejecutan_desde_la_carpeta_sola(informe, tmp_path, monkeypatch):
    """`verificar` vuelve a ejecutar los cuadernos (nbval estricto) de una copia de la carpeta
    del informe en otro lugar, con los datos y los parámetros del proyecto apartados (todo lo
    que leen está en la carpeta) y con la configuración de matplotlib y de IPython de quien
    verifica puesta en su contra (sus kernels no la leen): cada cuaderno da las salidas que
    guardó el informe, salvo uno cuya salida se alteró en la copia, que se nombra. Es la única
    prueba de este archivo que vuelve a ejecutar los cuadernos (14 kernels)."""
    salida, libro, params = informe
    copia = tmp_path / "otra-maquina" / "informe"
    shutil.copytree(salida, copia)
    _cambiar_salida_de_cuaderno(copia)
    # Las opciones de pytest de quien verifica no llegan al pytest que vuelve a ejecutar los
    # cuadernos: con ellas, no arrancaría y ningún cuaderno coincidiría.
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p complemento_que_no_existe")
    # Sin apartar su configuración, sus kernels no dibujarían los gráficos y cada celda diría
    # algo de más.
    for clave, valor in entorno_hostil(tmp_path).items():
        monkeypatch.setenv(clave, valor)
    apartados = [libro.parent, params.parent]
    for carpeta in apartados:
        carpeta.rename(carpeta.with_name(carpeta.name + "-apartada"))
    try:
        veredictos = [v for v in verificar(copia, cuadernos=True) if v.que == "cuaderno"]
    finally:
        for carpeta in apartados:
            carpeta.with_name(carpeta.name + "-apartada").rename(carpeta)
    assert sorted(v.nombre for v in veredictos) == sorted(
        p.name for p in (salida / "notebooks").glob("*.ipynb"))
    assert [v.nombre for v in veredictos if not v.coincide] == ["02_acp.ipynb"], [
        str(v) for v in veredictos if not v.coincide]


def test_ningun_archivo_del_informe_guarda_rutas_de_la_maquina(informe):
    """Ninguna ruta absoluta de la carpeta de trabajo, del proyecto o del usuario, salvo las
    que escribió el propio usuario en sus parámetros (esta prueba los escribe absolutos):
    su copia en entrada/ y su volcado en el manifiesto."""
    salida, _, _ = informe
    rutas = {str(salida.parent), str(RAIZ), str(Path.home())}
    # Una ruta relativa («../../tmp/x») no es absoluta: la ruta debe empezar ahí.
    absolutas = [re.compile(rb"(?<![\w.])" + re.escape(r.encode())) for r in rutas]
    revisados = 0
    for archivo in salida.rglob("*"):
        if not archivo.is_file() or archivo == salida / "entrada" / "parametros.yaml":
            continue
        contenido = archivo.read_bytes()
        if archivo.name == "manifiesto.json":
            manifiesto = json.loads(contenido)
            del manifiesto["parametros"]
            contenido = json.dumps(manifiesto).encode()
        for patron in absolutas:
            assert not patron.search(contenido), (archivo, patron.pattern)
        revisados += 1
    assert revisados > 30


def _cambiar_celda(libro: Path) -> None:
    wb = openpyxl.load_workbook(libro)
    hoja = wb["operaciones"]
    columna = [c.value for c in hoja[1]].index("ejec_04") + 1
    hoja.cell(row=2, column=columna, value=hoja.cell(row=2, column=columna).value + 1)
    wb.save(libro)


def _cambiar_csv(salida: Path) -> None:
    ruta = salida / "tablas" / "acp.csv"
    lineas = ruta.read_text(encoding="utf-8").splitlines(keepends=True)
    campos = lineas[1].split(",")
    indice = lineas[0].split(",").index("vigente")
    campos[indice] = str(float(campos[indice]) + 1)
    lineas[1] = ",".join(campos)
    ruta.write_text("".join(lineas), encoding="utf-8")


def _cambiar_salida_de_cuaderno(salida: Path) -> None:
    ruta = salida / "notebooks" / "02_acp.ipynb"
    nb = nbformat.read(ruta, as_version=4)
    celda = next(c for c in nb.cells if c.cell_type == "code" and c.get("outputs"))
    salida_md = next(o for o in celda.outputs if "data" in o)
    for mime in salida_md.data:
        if isinstance(salida_md.data[mime], str):
            salida_md.data[mime] = salida_md.data[mime].replace("1", "7", 1)
    nbformat.write(nb, ruta)


def _cambiar_parametros(params: Path) -> None:
    texto = params.read_text(encoding="utf-8")
    params.write_text(texto.replace("Ministerio", "Viceministerio", 1), encoding="utf-8")


ALTERACIONES: dict[str, tuple[Callable, Callable]] = {
    # nombre: (qué alterar a partir de (salida, libro, params), el veredicto que lo nombra)
    "celda de los datos": (lambda s, libro, p: (_cambiar_celda(libro), libro)[1],
                           lambda v, ruta: v.que == "entrada" and v.nombre.endswith(ruta.name)),
    "cifra de un CSV": (lambda s, libro, p: (_cambiar_csv(s), s / "tablas" / "acp.csv")[1],
                        lambda v, ruta: (v.que, v.nombre) in {("salida", "tablas/acp.csv"),
                                                              ("tabla", "acp.csv")}),
    "salida de un cuaderno": (
        lambda s, libro, p: (_cambiar_salida_de_cuaderno(s), s / "notebooks" / "02_acp.ipynb")[1],
        lambda v, ruta: (v.que, v.nombre) in {("salida", "notebooks/02_acp.ipynb"),
                                              ("cuaderno", "02_acp.ipynb")}),
    "valor de los parámetros": (
        lambda s, libro, p: (_cambiar_parametros(p), p)[1],
        lambda v, ruta: v.que == "entrada" and v.nombre.endswith(ruta.name)),
}


@pytest.mark.parametrize("alteracion", list(ALTERACIONES))
def test_cada_alteracion_se_detecta_y_se_nombra(informe, alteracion):
    salida, libro, params = informe
    alterar, nombra = ALTERACIONES[alteracion]
    respaldos = {p: p.read_bytes() for p in (libro, params, *salida.rglob("*")) if p.is_file()}
    try:
        ruta = alterar(salida, libro, params)
        # Sin volver a ejecutar los cuadernos: eso, con una salida alterada, lo prueba
        # test_los_cuadernos_se_reejecutan_desde_la_carpeta_sola.
        veredictos = verificar(salida, cuadernos=False)
        distintos = [v for v in veredictos if not v.coincide]
        assert distintos and any(nombra(v, ruta) for v in distintos), [str(v) for v in distintos]
        resultado = verificar_cli(salida, "--sin-cuadernos")
        assert resultado.returncode == 1
        assert "Traceback" not in resultado.stderr
        # El resumen nombra cada comprobación que no coincide, con lo que pasó.
        for v in verificar(salida, cuadernos=False):
            if not v.coincide:
                assert f"{v.nombre}: {v.detalle}" in resultado.stdout, resultado.stdout
    finally:
        for ruta_respaldo, contenido in respaldos.items():
            ruta_respaldo.write_bytes(contenido)
    assert all(v.coincide for v in verificar(salida, cuadernos=False))


def test_una_carpeta_que_no_es_informe(tmp_path):
    resultado = verificar_cli(tmp_path)
    assert resultado.returncode == 2
    assert "no es la carpeta de un informe" in resultado.stderr


# --------------------------------------------------------------------------------------
# Lo que dice la verificación: resumen, --detallado y --silencioso

_VEREDICTOS = [
    *(Veredicto("entrada", f"datos/libro-{i}.xlsx", True) for i in range(2)),
    *(Veredicto("salida", f"tablas/t{i}.csv", True) for i in range(3)),
    Veredicto("salida", "tablas/acp.csv", False, "cambió"),
    *(Veredicto("código", f"src/helpers/m{i}.py", True) for i in range(4)),
    *(Veredicto("tabla", f"t{i}.csv", True) for i in range(3)),
    Veredicto("tabla", "acp.csv", False, "línea 2: el informe dice «a», el cálculo da «b»"),
    *(Veredicto("cuaderno", f"0{i}_x.ipynb", True) for i in range(2)),
]


def test_el_resumen_cuenta_cada_clase_y_nombra_lo_que_no_coincide(tmp_path):
    texto = "\n".join(lineas(_VEREDICTOS, tmp_path))
    clases = {"entrada": "entradas", "salida": "salidas", "código": "archivos de código",
              "tabla": "tablas calculadas de nuevo", "cuaderno": "cuadernos"}
    for que, nombre in clases.items():
        cuantos = sum(v.que == que for v in _VEREDICTOS)
        distintos = sum(v.que == que and not v.coincide for v in _VEREDICTOS)
        assert re.search(rf"^  {nombre}[^:]*: {cuantos}, "
                         + (rf"{distintos} no coincide" if distintos else r"tod[ao]s coinciden"),
                         texto, re.M), (que, texto)
    for v in _VEREDICTOS:
        # Lo que no coincide, nombrado con lo que pasó; lo que coincide, sólo contado.
        assert (f"{v.nombre}: {v.detalle}" in texto) == (not v.coincide), v
    distintos = sum(not v.coincide for v in _VEREDICTOS)
    assert texto.splitlines()[-1] == (f"Verificación de {tmp_path}: {len(_VEREDICTOS)} "
                                      f"comprobaciones, {distintos} no coinciden.")


def test_detallado_lista_cada_comprobacion_y_silencioso_solo_lo_que_no_coincide(tmp_path):
    resumen = lineas(_VEREDICTOS, tmp_path)
    detallado = lineas(_VEREDICTOS, tmp_path, "detallado")
    assert detallado == [str(v) for v in _VEREDICTOS] + resumen
    silencioso = lineas(_VEREDICTOS, tmp_path, "silencioso")
    assert silencioso == [str(v) for v in _VEREDICTOS if not v.coincide] + resumen[-1:]
    sin_cuadernos = [v for v in _VEREDICTOS if v.que != "cuaderno"]
    assert "--sin-cuadernos" in "\n".join(lineas(sin_cuadernos, tmp_path, cuadernos=False))


@pytest.mark.parametrize("nivel", [None, "--detallado", "--silencioso"])
def test_informe_poa_verificar_en_los_tres_niveles(informe, nivel):
    """`informe-poa verificar` con cada nivel dice lo que dice `lineas` de los veredictos
    de la carpeta (sin volver a ejecutar los cuadernos, que lleva un minuto)."""
    salida, _, _ = informe
    informe_poa = Path(sys.executable).parent / "informe-poa"
    resultado = subprocess.run([str(informe_poa), "verificar", str(salida), "--sin-cuadernos",
                                *([nivel] if nivel else [])],
                               cwd=RAIZ, capture_output=True, text=True, timeout=900)
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    esperado = lineas(verificar(salida, cuadernos=False), salida,
                      (nivel or "--normal").removeprefix("--"), cuadernos=False)
    assert resultado.stdout.splitlines() == esperado


def test_la_pagina_dice_que_verifico_y_ofrece_la_verificacion_completa(tmp_path, monkeypatch):
    """«Verificar» de la página dice que fue la verificación rápida y lo que no cubre; la
    «Verificación completa» es la de `informe-poa verificar` entera (con los cuadernos)."""
    from helpers.pagina.espacio import Espacio
    from helpers.pagina.informes import COMPLETA, RAPIDA
    from helpers.pagina.paso_informes import PasoInformes
    from helpers.pagina.piezas import Sesion
    from helpers.salida import verificacion
    from helpers.salida.carpeta_informe import MARCA

    carpeta = tmp_path / "informes" / "2024-T2"
    carpeta.mkdir(parents=True)
    (carpeta / MARCA).write_text("", encoding="utf-8")
    (carpeta / "manifiesto.json").write_text(json.dumps({"parametros": {
        "entidad": {"nombre": "Entidad"}, "gestion": 2024, "informe": "trimestral",
        "trimestre": 2}}), encoding="utf-8")
    pedidas = []

    def verificar_anotando(_carpeta, cuadernos=True):
        pedidas.append(cuadernos)
        return [Veredicto("salida", "informe.pdf", True), Veredicto("tabla", "a.csv", True)]

    monkeypatch.setattr(verificacion, "verificar", verificar_anotando)
    paso = PasoInformes(Sesion(Espacio.en(tmp_path)))
    assert "No vuelve a ejecutar los cuadernos" in paso.vista.children[-1].value
    paso.verificar.click()
    assert pedidas == [False]
    assert f"Verificación {RAPIDA}. 2 comprobaciones, todo coincide." in paso.cuadro.value
    paso.verificar_todo.click()
    assert pedidas == [False, True]
    assert f"Verificación {COMPLETA}. 2 comprobaciones, todo coincide." in paso.cuadro.value
