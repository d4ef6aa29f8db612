"""El lote de entidades (`helpers.lote`, `informe-poa lote`) y su consolidado
(`helpers.calculo.consolidado`).

Las pruebas del cuadro consolidado arman a mano carpetas `tablas/` pequeñas y comparan con
lo que se calcula de esas mismas entradas. La prueba lenta corre un lote de tres entidades
pequeñas en un planificador y dos trabajadores de Dask arrancados de serie (`dask scheduler`,
`dask worker`, sin variables DASK_*), una de ellas con un libro roto.
"""
from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path
from types import SimpleNamespace

import fabrica
import pandas as pd
import pytest
import texto_pdf
from click.testing import CliRunner

from helpers.calculo import consolidado as c
from helpers.calculo.tablas import CLASE_ALERTA, CLASE_INFORMACION, TOTAL
from helpers.lote import LoteInvalido, correr_lote
from helpers.salida.tablas_csv import escribir_tablas

# --- El cuadro consolidado, con tablas hechas a mano --------------------------------------

ACP_COLUMNAS = ["codigo_acp", "descripcion", *c.CIFRAS, *c.TEXTOS]


def _tablas(carpeta: Path, total: dict, alertas: list[tuple[str, str]]) -> Path:
    """Una carpeta de informe con `tablas/acp.csv` (una ACP y la fila TOTAL con `total`) y
    `tablas/alertas.csv` (una fila por (tipo, clase))."""
    otra = {col: 1.0 for col in c.CIFRAS} | {"calificacion_acumulada": "Bajo",
                                              "semaforo": "rojo"}
    acp = pd.DataFrame([{"codigo_acp": "1", "descripcion": "Una", **otra},
                        {"codigo_acp": TOTAL, "descripcion": "Total de la entidad", **total}],
                       columns=ACP_COLUMNAS)
    filas = [{"tipo": t, "clase": k, "codigo": "U", "nombre": "N", "detalle": "d", "valor": 1.0}
             for t, k in alertas]
    alertas_df = pd.DataFrame(filas, columns=["tipo", "clase", "codigo", "nombre", "detalle",
                                              "valor"])
    escribir_tablas({"acp": acp, "alertas": alertas_df}, carpeta / "tablas")
    return carpeta


def _total(vigente, devengado, avance, eficacia, calificacion, semaforo) -> dict:
    return {"vigente": vigente, "devengado_acumulado": devengado,
            "avance_fisico_trimestre": avance + 1, "avance_fisico_acumulado": avance,
            "eficacia_trimestre": eficacia / 2, "eficacia_acumulada": eficacia,
            "ejecucion_trimestre": devengado / vigente * 50,
            "ejecucion_acumulada": devengado / vigente * 100,
            "calificacion_acumulada": calificacion, "semaforo": semaforo}


@pytest.fixture
def tres(tmp_path):
    """Dos entidades con tablas y una sin informe; la segunda, con textos hostiles."""
    a = _total(1000.0, 400.0, 80.0, 40.0, "Alto", "amarillo")
    b = _total(3000.0, 2100.0, 55.5, 27.75, "Medio", "verde")
    alertas_a = [("Unidad en rojo", CLASE_ALERTA)] * 3 + [("NO APLICA", CLASE_INFORMACION)]
    alertas_b = [("Mes sin reporte", CLASE_ALERTA), ("Unidad con grado Atrasado", CLASE_ALERTA)]
    entidades = [
        c.Entidad("Entidad A", "EA", _tablas(tmp_path / "a", a, alertas_a)),
        c.Entidad("=Entidad <b>B</b>", "-EB", _tablas(tmp_path / "b", b, alertas_b)),
        c.Entidad("Entidad C", "EC", None, "su informe falló (código 2): falta el código"),
    ]
    return entidades, {"EA": (a, alertas_a), "-EB": (b, alertas_b)}


def test_consolidado_una_fila_por_entidad_con_las_cifras_de_sus_tablas(tres):
    entidades, esperado = tres
    tabla, por_tipo = c.consolidar(entidades)
    assert list(tabla["sigla"]) == ["EA", "-EB", "EC"]
    assert list(tabla["entidad"]) == [e.nombre for e in entidades]
    for sigla, (total, alertas) in esperado.items():
        fila = tabla.set_index("sigla").loc[sigla]
        assert fila["disponible"] and fila["motivo"] == ""
        for columna in c.CIFRAS:
            assert fila[columna] == total[columna]
        for columna in c.TEXTOS:
            assert fila[columna] == total[columna]
        assert fila["alertas"] == sum(k == CLASE_ALERTA for _, k in alertas)
        assert fila["informacion"] == sum(k == CLASE_INFORMACION for _, k in alertas)
        cuentas = por_tipo.set_index("sigla").loc[sigla]
        for tipo in {t for t, _ in alertas}:
            assert cuentas[tipo] == sum(t == tipo for t, _ in alertas)
    rota = tabla.set_index("sigla").loc["EC"]
    assert not rota["disponible"] and rota["motivo"] == entidades[2].motivo
    assert all(pd.isna(rota[col]) for col in c.CIFRAS)
    assert por_tipo.set_index("sigla").loc["EC"].drop("disponible").isna().sum() > 0
    # Los tipos, en el orden de prioridad de las alertas; la información, al final.
    tipos = [t for t in por_tipo.columns if t not in ("entidad", "sigla", "disponible")]
    assert tipos == ["Unidad en rojo", "Unidad con grado Atrasado", "Mes sin reporte",
                     "NO APLICA"]


def test_tablas_ilegibles_dejan_a_la_entidad_no_disponible_con_el_motivo(tmp_path):
    sin_total = _tablas(tmp_path / "x", _total(1.0, 1.0, 1.0, 1.0, "Alto", "rojo"), [])
    acp = pd.read_csv(sin_total / "tablas" / "acp.csv")
    acp[acp["codigo_acp"] != TOTAL].to_csv(sin_total / "tablas" / "acp.csv", index=False)
    tabla, _ = c.consolidar([c.Entidad("X", "X", sin_total), c.Entidad("Y", "Y", tmp_path / "y")])
    assert not tabla["disponible"].any()
    assert "no tiene una fila TOTAL" in tabla.loc[0, "motivo"]
    assert "falta" in tabla.loc[1, "motivo"] and "acp.csv" in tabla.loc[1, "motivo"]


def test_ranking_distribucion_y_resumen(tres):
    entidades, esperado = tres
    tabla, _ = c.consolidar(entidades)
    puestos = c.ranking(tabla, "eficacia_acumulada")
    orden = sorted(esperado, key=lambda s: -esperado[s][0]["eficacia_acumulada"])
    assert list(puestos["sigla"]) == orden and list(puestos["puesto"]) == [1, 2]

    escala = ["Excelente", "Alto", "Medio", "Bajo"]
    dist = c.distribucion(tabla, "calificacion_acumulada", escala)
    assert list(dist["valor"]) == [*escala, c.NO_DISPONIBLE]
    for valor, n in zip(dist["valor"], dist["entidades"], strict=True):
        cuenta = sum(t["calificacion_acumulada"] == valor for t, _ in esperado.values())
        assert n == (1 if valor == c.NO_DISPONIBLE else cuenta)
    assert dist["porcentaje"].sum() == pytest.approx(100)

    r = c.resumen(tabla)
    totales = [t for t, _ in esperado.values()]
    assert (r["entidades"], r["disponibles"], r["no_disponibles"]) == (3, 2, 1)
    assert r["eficacia_acumulada"] == pytest.approx(
        sum(t["eficacia_acumulada"] for t in totales) / len(totales))
    assert r["ejecucion_conjunto"] == pytest.approx(
        sum(t["devengado_acumulado"] for t in totales)
        / sum(t["vigente"] for t in totales) * 100)


def test_empates_comparten_el_puesto(tmp_path):
    igual = _total(10.0, 5.0, 50.0, 25.0, "Medio", "verde")
    entidades = [c.Entidad(n, n, _tablas(tmp_path / n, igual, [])) for n in ("B", "A")]
    entidades.append(c.Entidad("C", "C", _tablas(
        tmp_path / "C", _total(10.0, 1.0, 10.0, 5.0, "Bajo", "rojo"), [])))
    puestos = c.ranking(c.consolidar(entidades)[0], "eficacia_acumulada")
    assert list(puestos["sigla"]) == ["A", "B", "C"]
    assert list(puestos["puesto"]) == [1, 1, 3]


def test_lote_invalido_antes_de_arrancar_el_cluster(tmp_path, libro_pequeno):
    uno = fabrica.escribir_params(tmp_path / "uno.yaml", libro_pequeno,
                                  salida=str(tmp_path / "salida"))
    dos = fabrica.escribir_params(tmp_path / "dos.yaml", libro_pequeno,
                                  salida=str(tmp_path / "salida"))
    with pytest.raises(LoteInvalido, match="misma carpeta"):
        correr_lote([uno, dos])
    with pytest.raises(LoteInvalido, match="dos veces"):
        correr_lote([uno, uno])
    with pytest.raises(LoteInvalido, match="no existe"):
        correr_lote([uno, tmp_path / "falta.yaml"])
    misma_sigla = fabrica.escribir_params(tmp_path / "tres.yaml", libro_pequeno,
                                          salida=str(tmp_path / "s3"))
    with pytest.raises(LoteInvalido, match="misma sigla «MRE»"):
        correr_lote([uno, misma_sigla])
    otro = fabrica.escribir_params(tmp_path / "t1.yaml", libro_pequeno, trimestre=1,
                                   entidad={"nombre": "Otra", "sigla": "OTRA"},
                                   salida=str(tmp_path / "s1"))
    with pytest.raises(LoteInvalido, match="mismo informe y periodo"):
        correr_lote([uno, otro])
    ajena = tmp_path / "ajena"
    ajena.mkdir()
    (ajena / "nota.txt").write_text("no es del programa", encoding="utf-8")
    with pytest.raises(LoteInvalido, match="sólo reemplaza"):
        correr_lote([uno], salida=ajena)


def test_orden_lote_sin_parametros_es_error_de_uso():
    from helpers.cli import main

    assert main(["lote"]) == 2


# --- Los pasos del lote, sin Dask --------------------------------------------------------------


class _Futuro:
    """Un futuro de Dask ya resuelto: su resultado, o la excepción de la tarea."""

    def __init__(self, resultado: dict | None = None, error: Exception | None = None):
        self._resultado, self._error = resultado, error

    def result(self):
        if self._error is not None:
            raise self._error
        return self._resultado


class _Avisos:
    def __init__(self):
        self.vistos = []

    def entidad(self, hechas, total, resultado):
        self.vistos.append((hechas, total, resultado.sigla, resultado.codigo))


def _entidad(sigla: str, valida: bool = True):
    return SimpleNamespace(params=Path(f"{sigla.lower()}.yaml"), nombre=f"Entidad {sigla}",
                           sigla=sigla, parametros=object() if valida else None,
                           error="" if valida else "parámetros con errores",
                           libro=f"{sigla.lower()}.xlsx")


def test_resultado_de_tarea_que_termino_o_que_fallo():
    from helpers.codigos import EXITO, FALLA
    from helpers.lote import resultado_de_tarea

    devuelto = {"codigo": EXITO, "carpeta": "salida/a", "mensaje": "", "segundos": 1.5,
                "trabajador": "nodo", "nucleos": 1}
    listo = resultado_de_tarea(_entidad("A"), _Futuro(devuelto))
    assert listo.listo and listo.carpeta == Path("salida/a") and listo.trabajador == "nodo"
    assert listo.segundos == devuelto["segundos"] and listo.nucleos == devuelto["nucleos"]
    sin_carpeta = resultado_de_tarea(_entidad("A"), _Futuro({"codigo": FALLA, "carpeta": None}))
    assert sin_carpeta.carpeta is None and sin_carpeta.mensaje == "" and sin_carpeta.nucleos == 0
    murio = resultado_de_tarea(_entidad("B"), _Futuro(error=OSError("se cerró")))
    assert murio.codigo == FALLA
    assert murio.mensaje == "la tarea de Dask falló: OSError: se cerró"


def test_marcador_anota_en_orden_y_completa_las_interrumpidas():
    from helpers.codigos import ERROR_DE_ENTRADA, EXITO, INTERRUMPIDA
    from helpers.lote import Marcador, ResultadoEntidad

    entidades = [_entidad("A"), _entidad("B", valida=False), _entidad("C")]
    avisos = _Avisos()
    marcador = Marcador(entidades, avisos)
    marcador.anotar_invalidas()
    c = entidades[2]
    marcador.anotar(2, ResultadoEntidad(c.params, c.nombre, c.sigla, EXITO))
    assert avisos.vistos == [(1, 3, "B", ERROR_DE_ENTRADA), (2, 3, "C", EXITO)]
    assert [r.sigla for r in marcador.en_orden()] == ["B", "C"]
    marcador.completar_interrumpidas()
    assert [(r.sigla, r.codigo) for r in marcador.en_orden()] == [
        ("A", INTERRUMPIDA), ("B", ERROR_DE_ENTRADA), ("C", EXITO)]
    assert marcador.en_orden()[1].mensaje == "parámetros con errores"
    assert len(avisos.vistos) == 2  # las interrumpidas no se avisan una por una


# --- Un lote de verdad, en un clúster de Dask de serie ----------------------------------------


def _puerto_libre() -> int:
    import socket

    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        return enchufe.getsockname()[1]


def _detener(procesos: list) -> None:
    """Cada proceso (y lo que arrancó: está en su propio grupo) con SIGTERM; si no termina,
    SIGKILL."""
    import os
    import signal
    import subprocess

    for proceso in procesos:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proceso.pid, signal.SIGTERM)
    for proceso in procesos:
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait()


@pytest.fixture(scope="module")
def planificador_de_serie(tmp_path_factory):
    """`dask scheduler` y `dask worker tcp://127.0.0.1:PUERTO --nworkers 2`, como se arrancan
    en un clúster (el Helm chart de Dask, dask-jobqueue): con la configuración por omisión (sin
    variables DASK_*; sus trabajadores corren las tareas en procesos «daemon»), en 127.0.0.1 y
    en puertos libres. Devuelve la dirección del planificador."""
    import multiprocessing
    import os
    import subprocess
    import sys

    from distributed import Client

    registro = tmp_path_factory.mktemp("dask")
    entorno = {k: v for k, v in os.environ.items() if not k.upper().startswith("DASK_")}
    direccion = f"tcp://127.0.0.1:{_puerto_libre()}"
    ordenes = [
        ["scheduler", "--host", "127.0.0.1", "--port", direccion.rsplit(":", 1)[1],
         "--no-dashboard"],
        ["worker", direccion, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
    ]
    procesos = []
    try:
        for orden in ordenes:
            with open(registro / f"{orden[0]}.log", "wb") as archivo:
                procesos.append(subprocess.Popen(
                    [sys.executable, "-m", "dask", *orden], stdout=archivo,
                    stderr=subprocess.STDOUT, env=entorno, start_new_session=True))
        with Client(direccion, timeout="60s") as cliente:
            cliente.wait_for_workers(2, timeout=120)
            # De serie: los trabajadores corren sus tareas en procesos «daemon».
            daemon = cliente.run(lambda: multiprocessing.current_process().daemon)
            assert set(daemon.values()) == {True}
        yield direccion
    finally:
        _detener(procesos)


def _libro_roto(ruta: Path) -> Path:
    """El libro pequeño con una operación de una unidad que no existe."""
    tablas = fabrica.tablas_pequenas()
    encabezado = tablas["operaciones"][0]
    tablas["operaciones"][1][encabezado.index("codigo_unidad")] = "NO-EXISTE"
    return fabrica.escribir_libro(ruta, tablas)


@pytest.mark.lento
def test_lote_de_tres_con_una_rota(tmp_path, libro_pequeno, planificador_de_serie):
    """El lote, en trabajadores de Dask arrancados de serie: las dos entidades sanas con su
    informe (código 0), la rota con el mensaje de sus datos, y el consolidado."""
    from helpers.cli import principal

    datos = tmp_path / "datos"
    roto = _libro_roto(datos / "roto" / "poa_roto.xlsx")
    params = [
        fabrica.escribir_params(tmp_path / "p" / "a.yaml", libro_pequeno,
                                entidad={"nombre": "Entidad Alfa", "sigla": "ALFA"},
                                salida=str(tmp_path / "informes" / "alfa")),
        fabrica.escribir_params(tmp_path / "p" / "b.yaml", roto,
                                entidad={"nombre": "Entidad Rota", "sigla": "ROTA"},
                                salida=str(tmp_path / "informes" / "rota")),
        fabrica.escribir_params(tmp_path / "p" / "c.yaml", libro_pequeno,
                                entidad={"nombre": "Entidad Gama", "sigla": "GAMA"},
                                salida=str(tmp_path / "informes" / "gama")),
    ]
    consolidado = tmp_path / "consolidado"
    resultado = CliRunner().invoke(principal, [
        "lote", *map(str, params), "--planificador", planificador_de_serie,
        "--salida", str(consolidado)])
    assert resultado.exit_code == 1, resultado.output
    salida = resultado.output
    assert f"en 2 trabajadores ({planificador_de_serie})" in salida, salida
    assert salida.count(": listo en ") == 2, salida
    assert "ROTA: falló:" in salida and "NO-EXISTE" in salida

    for nombre in ("alfa", "gama"):
        informe = tmp_path / "informes" / nombre
        assert (informe / "informe.pdf").is_file() and (informe / "tablas" / "acp.csv").is_file()
    assert not (tmp_path / "informes" / "rota").exists()

    for archivo in ("informe.pdf", "informe.html", "tablas/consolidado.csv", "lote.json",
                    ".informe-poa"):
        assert (consolidado / archivo).is_file(), archivo
    lote = json.loads((consolidado / "lote.json").read_text(encoding="utf-8"))
    codigos = {e["sigla"]: e["codigo"] for e in lote["entidades"]}
    assert codigos == {"ALFA": 0, "ROTA": 2, "GAMA": 0}
    # Cada informe corrió con un núcleo (uno por kernel): sin procesos aparte.
    assert {e["sigla"]: e["nucleos"] for e in lote["entidades"]} == {
        "ALFA": 1, "ROTA": 1, "GAMA": 1}

    tabla = pd.read_csv(consolidado / "tablas" / "consolidado.csv").set_index("sigla")
    assert list(tabla.index) == ["ALFA", "ROTA", "GAMA"]
    for sigla, nombre in (("ALFA", "alfa"), ("GAMA", "gama")):
        tablas = tmp_path / "informes" / nombre / "tablas"
        total = pd.read_csv(tablas / "acp.csv", dtype={"codigo_acp": str}).set_index(
            "codigo_acp").loc[TOTAL]
        alertas = pd.read_csv(tablas / "alertas.csv")
        fila = tabla.loc[sigla]
        assert bool(fila["disponible"])
        for columna in c.CIFRAS:
            assert fila[columna] == total[columna] or (
                math.isnan(fila[columna]) and math.isnan(total[columna])), columna
        assert fila["calificacion_acumulada"] == total["calificacion_acumulada"]
        assert fila["semaforo"] == total["semaforo"]
        assert fila["alertas"] == (alertas["clase"] == CLASE_ALERTA).sum()
    rota = tabla.loc["ROTA"]
    assert not bool(rota["disponible"]) and "NO-EXISTE" in rota["motivo"]
    assert "código 2" in rota["motivo"]

    # Un solo paquete de datos abiertos para el lote: el consolidado y las tablas de las
    # entidades con su sigla delante, válido para frictionless.
    from frictionless import validate

    paquete = consolidado / "datos-abiertos" / "datapackage.json"
    informe_validacion = validate(paquete)
    assert informe_validacion.valid, informe_validacion.flatten(["type", "note"])
    descriptor = json.loads(paquete.read_text(encoding="utf-8"))
    assert [e["sigla"] for e in descriptor["entidades"]] == ["ALFA", "ROTA", "GAMA"]
    assert [e["con_datos"] for e in descriptor["entidades"]] == [True, False, True]
    # El libro de cada entidad con informe, con su huella, y la licencia de sus paquetes.
    assert {libro["sigla"] for libro in descriptor["libros"]} == {"ALFA", "GAMA"}
    assert descriptor["licenses"] and all(lic["name"] for lic in descriptor["licenses"])
    operaciones = pd.read_csv(consolidado / "datos-abiertos" / "operacion.csv",
                              dtype={"codigo_operacion": str})
    for sigla, nombre in (("ALFA", "alfa"), ("GAMA", "gama")):
        suyas = pd.read_csv(tmp_path / "informes" / nombre / "datos-abiertos" / "operacion.csv",
                            dtype={"codigo_operacion": str})
        assert list(operaciones.loc[operaciones["sigla"] == sigla, "codigo_operacion"]) == list(
            suyas["codigo_operacion"])
    assert "ROTA" not in set(operaciones["sigla"])

    # El HTML y el PDF: las dos entidades con sus cifras, la rota como no disponible.
    html = (consolidado / "informe.html").read_text(encoding="utf-8")
    for texto in ("Entidad Alfa", "Entidad Gama", "Entidad Rota", c.NO_DISPONIBLE, "NO-EXISTE",
                  "Cuadro N° 1"):
        assert texto in html, texto
    del_pdf = " ".join(texto_pdf.texto(consolidado / "informe.pdf").split())
    for texto in ("Entidad Alfa", "Entidad Gama", "Entidad Rota", c.NO_DISPONIBLE):
        assert texto in del_pdf, texto

    # Otra corrida reemplaza el consolidado (es del programa); nada más cambia de lugar.
    assert (consolidado / ".informe-poa").is_file()


def test_el_cluster_local_mira_menos_seguido_lo_que_nadie_usa():
    """Los trabajadores del clúster local arrancan con `CONFIGURACION_CLUSTER_LOCAL`, también
    los que se vuelven a arrancar (la niñera rearranca el que muere)."""
    import multiprocessing

    import dask

    from helpers.lote import CONFIGURACION_CLUSTER_LOCAL, _cliente

    claves = sorted(CONFIGURACION_CLUSTER_LOCAL)
    esperados = [CONFIGURACION_CLUSTER_LOCAL[c] for c in claves]
    with _cliente(1, None, 1) as cliente:
        vistos = cliente.run(lambda: [dask.config.get(clave) for clave in claves])
        assert list(vistos.values()) == [esperados]
        # Lo demás, de serie: sus procesos son «daemon», y los informes se lanzan igual.
        daemon = cliente.run(lambda: multiprocessing.current_process().daemon)
        assert list(daemon.values()) == [True]
        cliente.restart()
        vistos = cliente.run(lambda: [dask.config.get(clave) for clave in claves])
        assert list(vistos.values()) == [esperados]


def _tarea_en_un_daemon(ruta: str) -> None:
    from helpers.lote import informe_de_entidad

    informe_de_entidad(ruta)


def test_si_muere_el_trabajador_el_informe_se_detiene_y_borra_lo_que_armaba(tmp_path,
                                                                             libro_pequeno):
    """La tarea, en un proceso «daemon» como los de un trabajador de Dask de serie, lanza el
    informe; el proceso muere de golpe (SIGKILL) mientras el informe arma su carpeta: el
    informe y lo que arrancó terminan, sin carpeta a medio armar ni informe."""
    import multiprocessing
    import os
    import signal
    import time

    import psutil

    informes = tmp_path / "informes"
    params = fabrica.escribir_params(tmp_path / "p" / "alfa.yaml", libro_pequeno,
                                     salida=str(informes / "alfa"))
    contexto = multiprocessing.get_context("spawn")
    proceso = contexto.Process(target=_tarea_en_un_daemon, args=(str(params),), daemon=True)
    proceso.start()
    hijos = []
    try:
        limite = time.monotonic() + 120
        while not list(informes.glob(".*.nuevo-*")):
            assert proceso.is_alive(), f"la tarea terminó con código {proceso.exitcode}"
            assert time.monotonic() < limite
            time.sleep(0.1)
        hijos = psutil.Process(proceso.pid).children(recursive=True)
        assert hijos
        os.kill(proceso.pid, signal.SIGKILL)
        proceso.join(timeout=30)
        # El informe interrumpido deja terminar la sección que su kernel está ejecutando
        # antes de borrar la carpeta en que escribe (`informe.ejecutar_secciones`): con la
        # máquina ocupada por la suite, arrancar el kernel y ejecutar la memoria de cálculo
        # llegó a pasar del minuto (29-11). Lo que se prueba es que terminan, no cuándo.
        _, vivos = psutil.wait_procs(hijos, timeout=180)
    finally:
        if proceso.is_alive():
            proceso.kill()
        for hijo in hijos:
            with contextlib.suppress(psutil.NoSuchProcess):
                hijo.kill()
    assert vivos == []
    assert list(informes.glob(".*.nuevo-*")) == []
    assert not (informes / "alfa").exists()


def test_ctrl_c_detiene_los_informes_sin_trazas_ni_restos(tmp_path, libro_pequeno):
    """Ctrl+C (SIGINT a todo el grupo de procesos, como lo manda la terminal) mientras se
    arman los informes: el lote termina con código 130, sin trazas de Python, sin carpetas a
    medio armar y sin procesos que sigan corriendo."""
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    informes = tmp_path / "informes"
    params = [
        fabrica.escribir_params(tmp_path / "p" / f"{nombre}.yaml", libro_pequeno,
                                entidad={"nombre": f"Entidad {nombre}", "sigla": nombre.upper()},
                                salida=str(informes / nombre))
        for nombre in ("alfa", "beta")
    ]
    proceso = subprocess.Popen(
        [sys.executable, "-m", "helpers.cli", "lote", *map(str, params),
         "--salida", str(tmp_path / "consolidado")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        # Como desde una terminal: lanzadas en segundo plano (nohup, CI), las pruebas heredan
        # SIGINT ignorado, y Python no lo volvería a atender.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        # Cuando los dos informes ya arman su carpeta, se interrumpe.
        limite = time.monotonic() + 120
        while len(list(informes.glob(".*.nuevo-*"))) < 2:
            assert proceso.poll() is None and time.monotonic() < limite
            time.sleep(0.1)
        hijos = psutil.Process(proceso.pid).children(recursive=True)
        os.killpg(proceso.pid, signal.SIGINT)
        salida, errores = proceso.communicate(timeout=120)
    finally:
        if proceso.poll() is None:
            os.killpg(proceso.pid, signal.SIGKILL)
    assert proceso.returncode == 130, (salida, errores)
    assert "Traceback" not in salida + errores, errores
    assert "0 de 2 informes generados" in salida, salida
    assert list(informes.glob(".*.nuevo-*")) == []
    assert not (tmp_path / "consolidado").exists()
    _, vivos = psutil.wait_procs(hijos, timeout=30)
    assert vivos == []
