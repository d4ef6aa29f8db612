"""El ejecutor de punta a punta sobre datos pequeños: papermill, nbconvert, WeasyPrint y
openpyxl de verdad; y lo que pasa con datos malos o una sección que falla."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from html import unescape
from pathlib import Path

import fabrica
import nbformat
import openpyxl
import pandas as pd
import psutil
import pytest
from pypdf import PdfReader

from helpers.comun.numeros import GUION, NO_SIGNIFICATIVO, formatear_monto
from helpers.entrada import tipos
from helpers.entrada.datos import cargar_datos
from helpers.entrada.parametros import cargar_parametros
from helpers.informe import FalloDeSeccion, generar
from helpers.rutas import CUADERNOS, RAIZ
from helpers.salida.manifiesto import verificar_manifiesto
from helpers.salida.verificacion import verificar

COLUMNAS_METRICAS = [
    "vigente", "devengado_trimestre", "devengado_acumulado", "ejecucion_trimestre",
    "ejecucion_acumulada", "avance_fisico_trimestre", "avance_fisico_acumulado",
    "eficacia_trimestre", "eficacia_acumulada", "eficiencia_acumulada",
    "calificacion_trimestre", "calificacion_acumulada", "semaforo",
]
COLUMNAS = {
    "acp": ["codigo_acp", "descripcion", *COLUMNAS_METRICAS],
    "area": ["area", *COLUMNAS_METRICAS],
    "unidad": ["codigo_unidad", "nombre", "area", "servicio", "tipo", *COLUMNAS_METRICAS],
    "categoria": ["categoria_programatica", "fuente", "programa", "codigo_unidad", "codigo_acp",
                  "vigente", "devengado_trimestre", "devengado_acumulado", "ejecucion_trimestre",
                  "ejecucion_acumulada", "saldo"],
    "operacion": ["codigo_operacion", "codigo_unidad", "codigo_acp", "tareas", "prog_trimestre",
                  "ejec_trimestre", "cumplimiento_trimestre", "prog_acumulado", "ejec_acumulado",
                  "cumplimiento_acumulado", "cumplimiento_sin_tope_acumulado",
                  "calificacion_trimestre", "calificacion_acumulada", "estado",
                  "medio_verificacion"],
    "mensual": ["area", "mes", "avance_fisico", "eficacia", "ejecucion"],
}

TRIMESTRAL = tipos.tipo("trimestral")


EJECUCION_MINIMA = 20


def ejecutar(params: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpers.informe", str(params)],
        capture_output=True, text=True, cwd=RAIZ, timeout=600, check=False,
    )


def huellas(carpeta: Path) -> dict[str, str]:
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def informe(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """Una corrida completa del ejecutor sobre el libro pequeño (se comparte en el módulo)."""
    base = tmp_path_factory.mktemp("informe")
    libro = fabrica.escribir_libro_pequeno(base / "datos" / fabrica.NOMBRE_LIBRO)
    # Una ejecución mínima de la eficiencia que deja filas con y sin «n.s.» en el libro
    # pequeño (sus ejecuciones del trimestre van de 18 a 24 %).
    params = fabrica.escribir_params(base / "params" / "prueba-T2.yaml", libro,
                                     salida=str(base / "salida"),
                                     metodologia={"eficiencia_ejecucion_minima": EJECUCION_MINIMA})
    resultado = ejecutar(params)
    assert resultado.returncode == 0, resultado.stderr
    return base / "salida", params, resultado


def test_deja_todo_lo_que_promete(informe):
    salida, params, resultado = informe
    for nombre in ("informe.html", "informe-auditoria.html", "informe.pdf", "anexo.xlsx",
                   "manifiesto.json"):
        assert (salida / nombre).stat().st_size > 0, nombre
    # Las de este libro: sin historia del POA ni informe anterior, con narrativa del trimestre.
    parametros = cargar_parametros(params)
    secciones = TRIMESTRAL.secciones_para(parametros, cargar_datos(parametros.ruta_datos))
    ejecutados = sorted(p.name for p in (salida / "notebooks").glob("*.ipynb"))
    assert ejecutados == sorted(s.archivo for s in [TRIMESTRAL.memoria, *secciones])
    for archivo in ejecutados:
        nb = nbformat.read(salida / "notebooks" / archivo, as_version=4)
        codigo = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in codigo), archivo
        assert not any(o.get("output_type") == "error" for c in codigo for o in c.outputs), archivo
    # Permisos de archivo común (no los privados de los temporales).
    mascara = os.umask(0)
    os.umask(mascara)
    assert stat.S_IMODE((salida / "anexo.xlsx").stat().st_mode) == 0o666 & ~mascara
    assert stat.S_IMODE(salida.stat().st_mode) == 0o777 & ~mascara
    # El avance por sección se muestra mientras corre.
    for seccion in TRIMESTRAL.secciones:
        assert (seccion.titulo in resultado.stdout) == (seccion in secciones)


def test_cada_etapa_se_avisa_una_vez_con_su_propio_tiempo(informe):
    """Cada etapa, una línea, al terminar y con lo que tardó ella sola (no el tiempo desde
    el comienzo): la suma de las etapas no pasa del total, e «Informe listo» va una vez."""
    _, _, resultado = informe
    lineas = resultado.stdout.strip().splitlines()
    listo = [linea for linea in lineas if linea.startswith("Informe listo")]
    assert len(listo) == 1, resultado.stdout
    etapas = [linea for linea in lineas if not linea.startswith((" ", "Informe listo"))]
    assert etapas and len(set(etapas)) == len(etapas), resultado.stdout
    tiempo = re.compile(r"^(.+) \((\d+\.\d) s\)$")
    sin_tiempo = [linea for linea in etapas if not tiempo.match(linea)]
    assert not sin_tiempo, resultado.stdout
    total = float(tiempo.match(listo[0]).group(2))
    suma = sum(float(tiempo.match(linea).group(2)) for linea in etapas)
    # Cada cifra está redondeada a una décima.
    assert suma <= total + 0.05 * (len(etapas) + 1), resultado.stdout


def test_las_secciones_se_cuentan_en_el_orden_del_informe(tmp_path, monkeypatch):
    """Con dos kernels, una sección que termina antes que la anterior se avisa después de
    ella: el contador «k de n» es la posición en secciones.yaml, no el orden de llegada."""
    import threading

    from helpers import informe as ejecutor
    from helpers.entrada.tipos import Seccion
    from helpers.informe import Avisos, ejecutar_secciones

    class Kernel:
        def shutdown_kernel(self, now=False):
            pass

    memoria = Seccion(cuaderno="m.ipynb", titulo="Memoria")
    secciones = [Seccion(cuaderno=f"{n}.ipynb", titulo=n) for n in ("lenta", "b", "c")]
    ultima_rapida = threading.Event()
    terminadas: list[str] = []

    def ejecutar_en(_km, fuente, _destino, _parametros) -> float:
        if fuente.name == "lenta.ipynb":
            assert ultima_rapida.wait(timeout=30)
        terminadas.append(fuente.stem)
        if fuente.name == secciones[-1].cuaderno:
            ultima_rapida.set()
        return 0.0


    import helpers.ejecucion

    # Sin otros `procesos`, `ejecutar_secciones` abre cada kernel con `ejecucion.abrir_kernel`.
    monkeypatch.setattr(helpers.ejecucion, "abrir_kernel", lambda *_a, **_k: Kernel())
    monkeypatch.setattr(ejecutor, "ejecutar_en", ejecutar_en)
    monkeypatch.setattr(ejecutor, "importados", lambda _cuadernos: [])
    monkeypatch.setattr(ejecutor, "precargar", lambda _km, _modulos: None)

    avisadas: list[tuple[int, int, str]] = []

    class Grabadora(Avisos):
        def seccion(self, posicion, total, titulo, segundos, de_la_cache=False):
            avisadas.append((posicion, total, titulo))

    ejecutar_secciones(tmp_path / "nb", 2, secciones, memoria, tmp_path, Grabadora())
    orden = [memoria, *secciones]
    # Los kernels terminaron en otro orden; el aviso sigue el del informe.
    assert terminadas != [Path(s.cuaderno).stem for s in orden]
    assert avisadas == [(i, len(orden), s.titulo) for i, s in enumerate(orden, start=1)]


def test_tablas_csv_con_las_columnas_del_contrato(informe):
    salida, _, _ = informe
    for nombre, columnas in COLUMNAS.items():
        tabla = pd.read_csv(salida / "tablas" / f"{nombre}.csv", keep_default_na=False,
                            na_values=[""])
        faltan = [c for c in columnas if c not in tabla.columns]
        assert not faltan, (nombre, faltan)
    acp = pd.read_csv(salida / "tablas" / "acp.csv", dtype={"codigo_acp": str})
    assert acp["codigo_acp"].iloc[-1] == "TOTAL"
    area = pd.read_csv(salida / "tablas" / "area.csv")
    assert area["area"].tolist()[-3:] == ["Central", "Exterior", "TOTAL"]
    assert set(pd.read_csv(salida / "tablas" / "mensual.csv")["area"]) >= {"TOTAL"}


def test_html_autocontenido_sin_codigo_y_auditoria_con_codigo(informe):
    salida, _, _ = informe
    lector = (salida / "informe.html").read_text(encoding="utf-8")
    auditoria = (salida / "informe-auditoria.html").read_text(encoding="utf-8")
    for html in (lector, auditoria):
        # Ninguna dirección: la única, el nombre del espacio de SVG de la biblioteca del
        # explorador (un nombre, nunca se pide).
        assert set(re.findall(r"https?://[^\s\"'<>)]*", html)) <= {"http://www.w3.org/2000/svg"}
        assert "data:image/png;base64" in html
        assert "Ministerio de Relaciones Exteriores" in html
    def texto(html: str) -> str:  # sin etiquetas (el resaltado de sintaxis parte el código)
        return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())

    assert "prep = abrir(params, informe)" not in texto(lector)
    assert "prep = abrir(params, informe)" in texto(auditoria)
    # La memoria de cálculo va primero en la versión de auditoría, y sólo en ella.
    assert TRIMESTRAL.memoria.titulo not in texto(lector)
    primera = re.search(r'data-cuaderno="([^"]+)"', auditoria)
    assert primera and primera[1] == Path(TRIMESTRAL.memoria.archivo).stem
    assert "Ejemplo" not in texto(lector)
    for paso in ("§2.1", "§2.2", "§2.3", "§2.4", "§3", "§4"):
        assert paso in texto(auditoria)


def test_pdf_a4_con_paginas_numeradas(informe):
    salida, _, _ = informe
    pdf = PdfReader(salida / "informe.pdf")
    assert len(pdf.pages) > 5
    for pagina in pdf.pages:
        ancho, alto = sorted((float(pagina.mediabox.width), float(pagina.mediabox.height)))
        assert (round(ancho), round(alto)) == (595, 842)
    texto = "\n".join(p.extract_text() for p in pdf.pages[:4])
    assert "Página 2 de" in texto
    assert "Ejecución por ACP" in texto or "ACP" in texto


def test_anexo_con_hojas_y_formulas(informe):
    salida, _, _ = informe
    libro = openpyxl.load_workbook(salida / "anexo.xlsx")
    for nombre in COLUMNAS:
        assert nombre in libro.sheetnames
    hoja = libro["acp"]
    encabezado = [c.value for c in hoja[1]]
    col = encabezado.index("ejecucion_trimestre") + 1
    assert str(hoja.cell(row=2, column=col).value).startswith("=")


def test_anexo_del_ejecutor_igual_al_escrito_aqui(informe, tmp_path):
    """Con más de un núcleo el ejecutor escribe el anexo en otro proceso (las tablas y el
    libro viajan con pickle) mientras ensambla: sale byte a byte igual que escrito en este
    proceso con las mismas tablas, los mismos datos y la misma fecha."""
    from helpers.entrada.datos import cargar_datos
    from helpers.preparacion import abrir
    from helpers.salida.anexo import escribir_anexo

    salida, params, _ = informe
    parametros = cargar_parametros(params)
    fecha = openpyxl.load_workbook(salida / "anexo.xlsx", read_only=True).properties.created
    aqui = escribir_anexo(abrir(informe=salida).tablas, tmp_path / "anexo.xlsx",
                          datos=cargar_datos(parametros.ruta_datos),
                          trimestre=parametros.trimestre_corte,
                          metodologia=parametros.metodologia, fecha=fecha)
    assert aqui.read_bytes() == (salida / "anexo.xlsx").read_bytes()


def test_manifiesto_liga_entradas_y_salidas(informe):
    salida, params, _ = informe
    manifiesto = json.loads((salida / "manifiesto.json").read_text(encoding="utf-8"))
    entradas = {Path(e["ruta"]).name: e["sha256"] for e in manifiesto["entradas"]}
    libro = Path(manifiesto["parametros"]["datos"])
    assert entradas[libro.name] == hashlib.sha256(libro.read_bytes()).hexdigest()
    assert entradas[params.name] == hashlib.sha256(params.read_bytes()).hexdigest()
    salidas = {s["ruta"] for s in manifiesto["salidas"]}
    assert {"informe.pdf", "informe.html", "anexo.xlsx", "tablas/acp.csv"} <= salidas
    assert verificar_manifiesto(salida / "manifiesto.json") == []
    assert manifiesto["inicio"] <= manifiesto["fin"]


def test_datos_malos_mensaje_claro_y_el_informe_anterior_intacto(informe, tmp_path):
    salida, _, _ = informe
    antes = huellas(salida)
    tablas = fabrica.tablas_pequenas()
    tablas["operaciones"][1][tablas["operaciones"][0].index("codigo_unidad")] = "DGXX"
    tablas["presupuesto"][1][tablas["presupuesto"][0].index("vigente")] = "mucho"
    malo = fabrica.escribir_libro(tmp_path / "malo.xlsx", tablas)
    params_malos = fabrica.escribir_params(tmp_path / "malo.yaml", malo, salida=str(salida))
    resultado = ejecutar(params_malos)
    assert resultado.returncode != 0
    assert "Traceback" not in resultado.stderr
    assert "malo.xlsx, hoja operaciones, fila 2, columna codigo_unidad" in resultado.stderr
    assert "malo.xlsx, hoja presupuesto, fila 2, columna vigente" in resultado.stderr
    assert huellas(salida) == antes


def _hijos_vivos() -> list:
    """Los procesos hijos vivos, salvo los de `multiprocessing` (los procesos de ayuda de la
    fixture `ayudantes`, si otra prueba de la sesión los arrancó)."""
    return [p for p in psutil.Process().children(recursive=True)
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
            and "multiprocessing" not in " ".join(p.cmdline())]


def _cuaderno_simple(ruta: Path, codigo: str) -> Path:
    libro = nbformat.v4.new_notebook()
    libro.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    parametros = nbformat.v4.new_code_cell("informe = None")
    parametros.metadata["tags"] = ["parameters"]
    libro.cells = [parametros, nbformat.v4.new_code_cell(codigo)]
    nbformat.write(libro, str(ruta))
    return ruta


def test_ejecutar_secciones_con_el_kernel_ya_abierto_y_algo_mientras_tanto(tmp_path):
    """La memoria corre en el kernel que se arrancó antes (`Procesos.anticipar`, sin carpeta:
    pasa a la de los cuadernos, con las variables que se piden), y este hilo hace lo suyo
    mientras tanto; si eso falla, las secciones se interrumpen, su error sigue y no queda
    ningún kernel vivo."""
    from helpers.entrada.tipos import Seccion
    from helpers.informe import Procesos, ejecutar_secciones

    cuadernos = tmp_path / "cuadernos"
    cuadernos.mkdir()
    _cuaderno_simple(cuadernos / "m.ipynb",
                     "import os\nprint(os.getpid(), os.getcwd(), os.environ['PRUEBA'])")
    _cuaderno_simple(cuadernos / "s.ipynb", "print('sección')")
    memoria, seccion = Seccion(cuaderno="m.ipynb", titulo="M"), Seccion(cuaderno="s.ipynb",
                                                                          titulo="S")
    hecho = []
    procesos = Procesos()
    procesos.anticipar(["os"], {"PRUEBA": "no"})
    (anticipado,) = _hijos_vivos()
    ejecutados = ejecutar_secciones(tmp_path / "nb", 2, [seccion], memoria, cuadernos,
                                    mientras=lambda: hecho.append(True), procesos=procesos,
                                    entorno={"PRUEBA": "sí"})
    salida = nbformat.read(ejecutados[0], as_version=4).cells[-1].outputs[0]["text"]
    assert salida == f"{anticipado.pid} {tmp_path / 'nb'} sí\n"
    assert hecho == [True]
    assert _hijos_vivos() == []  # los cerró, también el que se le dio

    def falla() -> None:
        raise RuntimeError("falla mientras tanto")

    with pytest.raises(RuntimeError, match="falla mientras tanto"):
        ejecutar_secciones(tmp_path / "otra", 2, [seccion], memoria, cuadernos, mientras=falla)
    assert _hijos_vivos() == []


def test_datos_malos_no_dejan_vivo_el_kernel_que_arranco_antes(informe, tmp_path, monkeypatch):
    """El kernel de la memoria de cálculo arranca mientras se valida el libro: con datos
    malos, el error es el de siempre, el informe anterior no cambia y ese kernel ya no
    corre."""
    from helpers import ejecucion
    from helpers.entrada.errores import ErrorDeEntrada

    salida, _, _ = informe
    antes = huellas(salida)
    tablas = fabrica.tablas_pequenas()
    tablas["presupuesto"][1][tablas["presupuesto"][0].index("vigente")] = "mucho"
    malo = fabrica.escribir_libro(tmp_path / "malo.xlsx", tablas)
    params_malos = fabrica.escribir_params(tmp_path / "malo.yaml", malo, salida=str(salida))
    arrancados = []
    original = ejecucion.abrir_kernel

    def abrir_y_anotar(*argumentos, **nombrados):
        km = original(*argumentos, **nombrados)
        arrancados.append(psutil.Process(km.provisioner.process.pid))
        return km

    monkeypatch.setattr(ejecucion, "abrir_kernel", abrir_y_anotar)
    with pytest.raises(ErrorDeEntrada, match="columna vigente"):
        generar(params_malos)
    [kernel] = arrancados  # sí arrancó, antes de que se supiera que los datos fallan
    assert not kernel.is_running() or kernel.status() == psutil.STATUS_ZOMBIE
    assert _hijos_vivos() == []
    assert huellas(salida) == antes


@pytest.mark.lento
def test_una_seccion_que_falla_se_nombra_y_no_toca_el_informe(informe, tmp_path):
    salida, params, _ = informe
    antes = huellas(salida)
    cuadernos = tmp_path / "cuadernos"
    shutil.copytree(CUADERNOS, cuadernos)
    financiera = cuadernos / "comun" / "05_financiera.ipynb"
    nb = nbformat.read(financiera, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise ValueError("falla provocada")'))
    nbformat.write(nb, financiera)
    with pytest.raises(FalloDeSeccion, match="Ejecución financiera.*falla provocada"):
        generar(params, cuadernos=cuadernos)
    assert huellas(salida) == antes
    # Los kernels ya no corren (sin más procesos, los de ayuda no arrancan: `_hijos_vivos`
    # deja fuera los de la fixture `ayudantes` de otras pruebas del mismo proceso).
    assert _hijos_vivos() == []
    # Junto a la salida sólo queda el archivo del cerrojo (vacío), ninguna carpeta temporal.
    restos = [p for p in salida.parent.iterdir() if p.name.startswith(f".{salida.name}")]
    assert [p.name for p in restos] == [f".{salida.name}.cerrojo"]


def test_copia_rota_de_la_muestra_lista_todos_los_problemas(tmp_path):
    libro = openpyxl.load_workbook(RAIZ / "data" / "2024" / "poa_2024.xlsx")
    ops = libro["operaciones"]
    columna = {c.value: c.column for c in ops[1]}
    ops.cell(row=14, column=columna["codigo_unidad"], value="DGXX")
    ops.cell(row=20, column=columna["prog_03"], value="doce")
    repetido = ops.cell(row=21, column=columna["codigo_operacion"]).value
    ops.cell(row=22, column=columna["codigo_operacion"], value=repetido)
    presupuesto = libro["presupuesto"]
    presupuesto.delete_cols([c.value for c in presupuesto[1]].index("vigente") + 1)
    roto = tmp_path / "datos" / "poa_roto.xlsx"
    roto.parent.mkdir()
    libro.save(roto)
    params = fabrica.escribir_params(tmp_path / "roto.yaml", roto, salida=str(tmp_path / "salida"))
    resultado = ejecutar(params)
    assert resultado.returncode == 2
    assert "Traceback" not in resultado.stderr
    esperados = [
        "poa_roto.xlsx, hoja operaciones, fila 14, columna codigo_unidad: 'DGXX' no existe "
        "en la hoja unidades",
        "poa_roto.xlsx, hoja operaciones, fila 20, columna prog_03: 'doce' no es un número",
        "poa_roto.xlsx, hoja operaciones, fila 22, columna codigo_operacion: "
        f"'{repetido}' está repetido",
        "poa_roto.xlsx, hoja presupuesto, columna vigente: falta la columna obligatoria",
    ]
    for esperado in esperados:
        assert esperado in resultado.stderr
    assert "Se encontraron 4 problemas" in resultado.stderr
    assert not (tmp_path / "salida").exists()


@pytest.mark.lento
def test_entidad_sin_servicio_exterior(tmp_path):
    """La mayoría de las entidades no tiene servicio exterior: el informe sale igual y no
    habla de él (hallado por el fuzzing de punta a punta: la sección de unidades fallaba).
    Con las unidades de un solo grupo de áreas, tampoco habla de grupos."""
    tablas = fabrica.tablas_pequenas()
    uds = tablas["unidades"]
    exteriores = {f[0] for f in uds[1:] if f[uds[0].index("servicio")] == "Exterior"}
    for hoja in ("unidades", "operaciones", "presupuesto", "narrativa", "estadisticas"):
        encabezado, *filas = tablas[hoja]
        tablas[hoja] = [encabezado] + [f for f in filas
                                       if f[encabezado.index("codigo_unidad")] not in exteriores]
    tablas["historico"] = [f for f in tablas["historico"] if f[1] != "SERV_EXTERIOR"]
    libro = fabrica.escribir_libro(tmp_path / "datos" / fabrica.NOMBRE_LIBRO, tablas)
    params = fabrica.escribir_params(tmp_path / "p.yaml", libro, salida=str(tmp_path / "salida"))
    resultado = ejecutar(params)
    assert resultado.returncode == 0, resultado.stderr
    texto = (tmp_path / "salida" / "informe.html").read_text(encoding="utf-8")
    grupo = uds[1][uds[0].index("servicio")]
    assert "servicio exterior" not in texto.lower() and "Unidades por tipo" not in texto
    assert f"Servicio {grupo}" not in texto and "Por servicio" not in texto


@pytest.mark.lento
def test_reexpresiones_del_informe_anterior(tmp_path):
    """Con `informe_anterior`, el T2 lista las cifras del T1 publicado que cambiaron al
    corregir el libro, con el valor publicado y el nuevo; el informe guarda la copia del T1
    que necesita para volver a ejecutarse."""
    libro = fabrica.escribir_libro_pequeno(tmp_path / "datos" / fabrica.NOMBRE_LIBRO)
    t1 = fabrica.escribir_params(tmp_path / "params" / "t1.yaml", libro, trimestre=1,
                                 salida=str(tmp_path / "salida" / "2024-T1"))
    assert ejecutar(t1).returncode == 0
    publicado = pd.read_csv(tmp_path / "salida" / "2024-T1" / "tablas" / "acp.csv",
                            dtype={"codigo_acp": str})
    # Una corrección de febrero en la primera línea del presupuesto, después de publicar.
    wb = openpyxl.load_workbook(libro)
    hoja = wb["presupuesto"]
    columna = [c.value for c in hoja[1]].index("dev_02") + 1
    correccion = 1000.0
    hoja.cell(row=2, column=columna,
              value=(hoja.cell(row=2, column=columna).value or 0) + correccion)
    acp_corregida = str(
        hoja.cell(row=2, column=[c.value for c in hoja[1]].index("codigo_acp") + 1).value
    )
    wb.save(libro)
    t2 = fabrica.escribir_params(tmp_path / "params" / "t2.yaml", libro,
                                 salida=str(tmp_path / "salida" / "2024-T2"),
                                 informe_anterior=str(tmp_path / "salida" / "2024-T1"))
    resultado = ejecutar(t2)
    assert resultado.returncode == 0, resultado.stderr
    salida = tmp_path / "salida" / "2024-T2"
    cambios = pd.read_csv(salida / "tablas" / "reexpresiones.csv", dtype=str, keep_default_na=False)
    fila = cambios[(cambios["tabla"] == "acp") & (cambios["clave"] == acp_corregida)
                   & (cambios["indicador"] == "devengado_trimestre")]
    assert len(fila) == 1
    antes = publicado.loc[publicado["codigo_acp"] == acp_corregida, "devengado_trimestre"].iloc[0]
    assert fila["publicado"].iloc[0] == formatear_monto(antes)
    assert fila["nuevo"].iloc[0] == formatear_monto(antes + correccion)
    assert float(fila["diferencia"].iloc[0]) == pytest.approx(correccion)
    # Sólo cambió lo financiero: ninguna cifra física del T1 se reexpresa.
    assert not cambios["indicador"].str.contains("avance|eficacia_").any()
    reexpresiones = next(s for s in TRIMESTRAL.secciones if s.solo_con == "informe_anterior")
    assert (salida / "notebooks" / reexpresiones.archivo).exists()
    assert (salida / "entrada" / "informe_anterior" / "manifiesto.json").exists()
    assert reexpresiones.titulo in (salida / "informe.html").read_text(encoding="utf-8")
    # verificar las calcula otra vez desde la copia del T1 que guarda el informe.
    veredictos = {(v.que, v.nombre): v for v in verificar(salida, cuadernos=False)}
    assert veredictos[("tabla", "reexpresiones.csv")].coincide
    assert all(v.coincide for v in veredictos.values()), [str(v) for v in veredictos.values()]
    # Un informe anterior que no es anterior: error de parámetros, exit 2, nada se toca.
    malo = fabrica.escribir_params(tmp_path / "params" / "malo.yaml", libro, trimestre=1,
                                   salida=str(tmp_path / "salida" / "otro"),
                                   informe_anterior=str(salida))
    resultado = ejecutar(malo)
    assert resultado.returncode == 2
    assert "informe_anterior" in resultado.stderr and "Traceback" not in resultado.stderr
    assert not (tmp_path / "salida" / "otro").exists()


# --- la relación físico-financiera impresa: aritmética que el lector puede rehacer ----------

def tabla_impresa(html: str, identificador: str) -> tuple[list[str], list[list[str]]]:
    """Los títulos y el texto de las celdas de la tabla `id="tabla-<identificador>"`."""
    tabla = re.search(rf'<table[^>]*id="tabla-{identificador}"[^>]*>(.*?)</table>', html, re.S)
    assert tabla, identificador
    def limpio(celda: str) -> str:
        return unescape(re.sub(r"<[^>]+>", "", celda)).strip()
    titulos = [limpio(t) for t in re.findall(r"<th[^>]*>(.*?)</th>", tabla[1], re.S)]
    cuerpo = re.search(r"<tbody>(.*?)</tbody>", tabla[1], re.S)[1]
    filas = [[limpio(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", fila, re.S)]
             for fila in re.findall(r"<tr[^>]*>(.*?)</tr>", cuerpo, re.S)]
    return titulos, filas


def cifra(texto: str) -> Decimal:
    """'1.234,56 %' -> Decimal('1234.56')."""
    return Decimal(texto.removesuffix("%").strip().replace(".", "").replace(",", "."))


def test_relacion_fisico_financiera_se_puede_rehacer_con_lo_impreso(informe):
    """En las tablas de la relación físico-financiera del informe, brecha = eficacia −
    ejecución y eficiencia = eficacia ÷ ejecución × 100 (a 2 decimales, mitad hacia
    arriba) con las cifras impresas; «n.s.» sólo donde la ejecución impresa es menor que la
    ejecución mínima de los parámetros."""
    salida, params, _ = informe
    minima = Decimal(repr(float(cargar_parametros(params).metodologia.eficiencia_ejecucion_minima)))
    html = (salida / "informe.html").read_text(encoding="utf-8")
    centesimo = Decimal("0.01")
    revisadas, no_significativas = 0, 0
    for identificador in ("relacion-acp", "relacion-area"):
        titulos, filas = tabla_impresa(html, identificador)
        assert filas, identificador
        for periodo in ("trimestre", "acumulada"):
            indice = {que: titulos.index(f"{nombre} {periodo}") for que, nombre in (
                ("eficacia", "Eficacia"), ("ejecucion", "Ejecución"), ("eficiencia", "Eficiencia"))}
            indice["brecha"] = titulos.index(f"Brecha {periodo} (pp)")
            for fila in filas:
                texto = {que: fila[j] for que, j in indice.items()}
                if GUION in (texto["eficacia"], texto["ejecucion"]):
                    assert texto["eficiencia"] == GUION and texto["brecha"] == GUION, fila
                    continue
                eficacia, ejecucion = cifra(texto["eficacia"]), cifra(texto["ejecucion"])
                assert cifra(texto["brecha"]) == eficacia - ejecucion, fila
                if ejecucion < minima or ejecucion <= 0:
                    assert texto["eficiencia"] == NO_SIGNIFICATIVO, fila
                    no_significativas += 1
                else:
                    esperada = (eficacia / ejecucion * 100).quantize(centesimo, ROUND_HALF_UP)
                    assert cifra(texto["eficiencia"]) == esperada, fila
                revisadas += 1
    assert revisadas > no_significativas > 0
    assert html.count(f">{NO_SIGNIFICATIVO}<") >= no_significativas
