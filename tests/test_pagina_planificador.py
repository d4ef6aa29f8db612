"""Lo que un planificador nuevo encontró en la página (issue 53), manejado en el proceso como
lo maneja la página: el trimestre siguiente desde el anterior, la carpeta de un informe de
otro periodo, un archivo de parámetros copiado desde afuera, la lista de informes al terminar
una corrida, los errores junto a su campo, la plantilla del libro y los detalles de los
textos. Lo que es comportamiento en el navegador está en tests/test_pagina_navegador.py."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import esperas
import pytest

from helpers.pagina.espacio import Espacio
from helpers.rutas import RAIZ


def _entidad(raiz: Path, nombre: str = "2024-T1.yaml") -> Path:
    """La muestra como carpeta de una entidad dentro de `raiz` (sus parámetros `nombre` y su
    libro); devuelve el archivo de parámetros."""
    entidad = raiz / "entidad"
    (entidad / "data" / "2024").mkdir(parents=True)
    shutil.copy(RAIZ / "params" / nombre, entidad / nombre)
    shutil.copy(RAIZ / "data" / "2024" / "poa_2024.xlsx", entidad / "data" / "2024")
    return entidad / nombre


def _informe_hecho(carpeta: Path, parametros: dict) -> Path:
    """Una carpeta de informe como la deja el ejecutor (su marca y su manifiesto con los
    parámetros con que se generó), sin más."""
    from helpers.rutas import MANIFIESTO
    from helpers.salida.carpeta_informe import MARCA

    carpeta.mkdir(parents=True)
    (carpeta / MARCA).write_text("{}", encoding="utf-8")
    (carpeta / MANIFIESTO).write_text(json.dumps({"parametros": parametros}), encoding="utf-8")
    return carpeta


def _pagina(raiz: Path):
    from helpers.pagina.app import Pagina

    return Pagina(Espacio.en(raiz))


# ------------------------------------------------------------ la carpeta de otro periodo

def _otro_periodo(params: Path) -> tuple[dict, str]:
    """Los parámetros de `params` con el trimestre anterior o el siguiente, y su etiqueta."""
    from helpers.entrada.parametros import cargar_parametros

    p = cargar_parametros(params)
    otro = p.trimestre + 1 if p.trimestre < 4 else p.trimestre - 1
    return ({"entidad": p.entidad.model_dump(), "gestion": p.gestion, "informe": p.informe,
             "trimestre": otro}, p.tipo.etiqueta(p.gestion, otro, None))


def test_la_pagina_no_guarda_una_salida_con_el_informe_de_otro_periodo(tmp_path):
    params = _entidad(tmp_path)
    suyo, etiqueta = _otro_periodo(params)
    _informe_hecho(params.parent / "informes" / etiqueta, suyo)
    pagina = _pagina(tmp_path)
    paso = pagina.parametros
    assert pagina.sesion.parametros == f"entidad/{params.name}"
    antes = params.read_bytes()
    paso.controles["salida"].entrada.value = f"informes/{etiqueta}"
    paso.comprobar.click()
    junto = paso.controles["salida"].problemas.value
    assert "1 error" in paso.salida.value
    assert f"({etiqueta})" in junto and f"({params.stem})" in junto
    assert "Cambie «salida»" in junto and "quítela" in junto
    paso.guardar.click()
    assert params.read_bytes() == antes
    # Sin la salida, la carpeta es la del periodo: se guarda.
    paso.controles["salida"].entrada.value = ""
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value


def test_el_ejecutor_no_reemplaza_el_informe_de_otro_periodo(tmp_path, capsys):
    from helpers.informe import correr
    from helpers.salida.carpeta_informe import MARCA
    from tests.fabrica import escribir_libro_pequeno, escribir_params

    libro = escribir_libro_pequeno(tmp_path / "poa.xlsx")
    params = escribir_params(tmp_path / "p.yaml", libro)
    suyo, etiqueta = _otro_periodo(params)
    carpeta = _informe_hecho(tmp_path / "informes" / etiqueta, suyo)
    escribir_params(params, libro, salida=str(carpeta))
    codigo, salida = correr(params)
    error = capsys.readouterr().err
    assert (codigo, salida) == (2, None)
    assert f"tiene el informe «{suyo['informe']}»" in error and f"({etiqueta})" in error
    assert "Cambie «salida»" in error
    assert sorted(p.name for p in carpeta.iterdir()) == sorted([MARCA, "manifiesto.json"])


def test_validar_y_el_lote_lo_dicen_antes_de_empezar(tmp_path, capsys):
    """`informe-poa validar PARAMS` cuenta la carpeta de otro periodo entre los errores de los
    parámetros (código 2, clave salida), y el lote la da como error de su entidad sin
    generar nada: los dos, antes de tocar la carpeta."""
    from helpers.cli import main
    from helpers.lote import _preparar
    from helpers.salida.carpeta_informe import MARCA
    from tests.fabrica import escribir_libro_pequeno, escribir_params

    libro = escribir_libro_pequeno(tmp_path / "poa.xlsx")
    params = escribir_params(tmp_path / "p.yaml", libro)
    suyo, etiqueta = _otro_periodo(params)
    carpeta = _informe_hecho(tmp_path / "informes" / etiqueta, suyo)
    escribir_params(params, libro, salida=str(carpeta))
    assert main(["validar", str(params)]) == 2
    salida = capsys.readouterr()
    dicho = salida.out + salida.err
    assert f"Archivo de parámetros {params.name}" in dicho
    assert "clave salida: no se puede usar como carpeta del informe" in dicho
    assert f"tiene el informe «{suyo['informe']}»" in dicho and f"({etiqueta})" in dicho
    assert "Traceback" not in dicho

    otra = escribir_params(tmp_path / "otra.yaml", libro, salida=str(tmp_path / "otra"),
                           entidad={"nombre": "Otra entidad", "sigla": "OTRA"})
    entidades = {e.params.name: e for e in _preparar([params, otra])}
    assert entidades[params.name].parametros is None
    assert entidades[params.name].sigla == "MRE"
    assert f"({etiqueta})" in entidades[params.name].error
    assert entidades[otra.name].parametros is not None
    assert sorted(p.name for p in carpeta.iterdir()) == sorted([MARCA, "manifiesto.json"])


# ------------------------------------------------------------ el trimestre siguiente

def _comentarios(texto: str) -> list[str]:
    return [linea.split("#", 1)[1] for linea in texto.splitlines() if "#" in linea]


def test_nuevo_trimestre_escribe_el_siguiente_y_lo_elige_en_todos_los_pasos(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path)
    origen = cargar_parametros(params)
    pagina = _pagina(tmp_path)
    pagina.parametros.siguiente.click()
    siguiente = origen.tipo.etiqueta(origen.gestion, origen.trimestre + 1, None)
    nuevo = params.with_name(params.name.replace(origen.etiqueta, siguiente))
    assert nuevo.is_file(), pagina.parametros.salida.value
    relativa = f"entidad/{nuevo.name}"
    assert pagina.sesion.parametros == relativa
    assert pagina.generar.parametros.value == relativa
    assert relativa in pagina.formularios.vista.children[1].options
    assert "quedan elegidos en todos los pasos" in pagina.parametros.salida.value
    assert pagina.parametros.controles["trimestre"].valor() == origen.trimestre + 1
    leido = cargar_parametros(nuevo)
    assert leido.trimestre == origen.trimestre + 1
    assert leido.etiqueta == siguiente
    assert leido.carpeta_salida.resolve() != origen.carpeta_salida.resolve()
    assert leido.ruta_informe_anterior.resolve() == origen.carpeta_salida.resolve()
    if leido.identificacion.fecha_emision is not None:
        assert leido.identificacion.fecha_emision >= leido.fecha_corte
    # Los comentarios del archivo quedan.
    texto = nuevo.read_text(encoding="utf-8")
    antes = _comentarios(params.read_text(encoding="utf-8"))
    assert [c for c in antes if "trimestre" not in c] == [
        c for c in _comentarios(texto) if "trimestre" not in c]
    # Otra vez desde el mismo archivo: el siguiente ya existe y no se reemplaza.
    pagina.sesion.parametros = f"entidad/{params.name}"
    pagina.parametros.siguiente.click()
    assert "ya existe" in pagina.parametros.salida.value
    assert nuevo.read_text(encoding="utf-8") == texto


def test_nuevo_trimestre_con_salida_propia_y_fechas_anteriores_al_corte(tmp_path):
    """Con `salida` escrita y las fechas del trimestre de origen: la carpeta nueva es su
    hermana con la etiqueta nueva, y las fechas quedan en el corte nuevo o después."""
    from helpers.entrada.parametros import cargar_parametros
    from helpers.entrada.trimestre_siguiente import escribir_trimestre_siguiente

    params = _entidad(tmp_path, "2024-T2.yaml")
    origen = cargar_parametros(params)
    texto = params.read_text(encoding="utf-8").replace(
        f"# salida: output/{origen.etiqueta}", f"salida: informes/{origen.etiqueta}")
    params.write_text(texto, encoding="utf-8")
    origen = cargar_parametros(params)
    documento = escribir_trimestre_siguiente(params)
    leido = cargar_parametros(documento.ruta)
    assert leido.carpeta_salida == origen.carpeta_salida.parent / leido.etiqueta
    assert leido.ruta_informe_anterior == origen.carpeta_salida
    assert leido.identificacion.fecha_emision >= leido.fecha_corte
    assert leido.recepcion.plazo >= leido.fecha_corte
    assert origen.identificacion.fecha_emision < leido.fecha_corte  # la muestra lo pide


def test_nuevo_trimestre_cambia_el_periodo_que_nombran_los_comentarios(tmp_path):
    """Un archivo escrito a mano: la cabecera y el comentario de `trimestre` pasan al
    trimestre siguiente (en palabras, en cifra, como T1, con la etiqueta y la fecha de
    corte); los demás comentarios, sólo la etiqueta y la fecha de corte; los valores, nunca
    (tampoco un # dentro de un texto)."""
    from helpers.entrada.parametros import cargar_parametros
    from helpers.entrada.trimestre_siguiente import escribir_trimestre_siguiente
    from tests.fabrica import escribir_libro_pequeno

    libro = escribir_libro_pequeno(tmp_path / "poa.xlsx")
    params = tmp_path / "MRE-T1.yaml"
    params.write_text(
        "# Seguimiento del T1: el primer\n# trimestre de 2024 (2024-T1), trimestre 1,\n"
        "# corte al 31/03/2024.\n"
        "entidad:\n  nombre: Ministerio  # el primer trimestre se informa en abril\n"
        "  sigla: MRE\ngestion: 2024\ninforme: trimestral\ntrimestre: 1  # el primer trimestre\n"
        f"datos: {libro}\n"
        "presentacion:\n  mision: >-\n    Lo que # T1 dice el bloque\n"
        "    en el primer trimestre.\n"
        "  vision: \"Una visión con \\\" # 2024-T1 adentro\"  # ver prog_t1 y 2024-T1\n",
        encoding="utf-8")
    documento = escribir_trimestre_siguiente(params)
    assert documento.ruta.name == "MRE-T2.yaml"
    texto = documento.ruta.read_text(encoding="utf-8")
    assert texto.startswith("# Seguimiento del T2: el segundo\n# trimestre de 2024 "
                            "(2024-T2), trimestre 2,\n# corte al 30/06/2024.\n")
    assert "  nombre: Ministerio  # el primer trimestre se informa en abril\n" in texto
    assert "trimestre: 2  # el segundo trimestre\n" in texto
    assert "    Lo que # T1 dice el bloque\n    en el primer trimestre.\n" in texto
    assert '# 2024-T1 adentro"  # ver prog_t1 y 2024-T2\n' in texto
    origen, nuevo = cargar_parametros(params), cargar_parametros(documento.ruta)
    assert nuevo.presentacion.vision == origen.presentacion.vision
    assert nuevo.presentacion.mision == origen.presentacion.mision


def test_nuevo_trimestre_no_sigue_al_cuarto(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path, "2024-T4.yaml")
    assert cargar_parametros(params).trimestre == 4
    pagina = _pagina(tmp_path)
    pagina.parametros.siguiente.click()
    assert "es el último de la gestión" in pagina.parametros.salida.value
    assert sorted(p.name for p in params.parent.glob("*.yaml")) == [params.name]


# ------------------------------------------------------------ al terminar una corrida

def _estado(params: Path, salida: Path, estado: str, **extra):
    import os

    from helpers.pagina import corrida

    return corrida.Estado(str(params), str(salida), os.getpid(), 0.0, estado=estado,
                          inicio="2024-07-01T10:00:00+00:00", **extra)


def test_la_lista_de_informes_muestra_sola_el_informe_recien_generado(tmp_path):
    from helpers.entrada.parametros import cargar_parametros
    from helpers.pagina import corrida

    params = _entidad(tmp_path)
    parametros = cargar_parametros(params)
    pagina = _pagina(tmp_path)
    assert pagina.informes.lista == []
    salida = _informe_hecho(parametros.carpeta_salida, {
        "entidad": parametros.entidad.model_dump(), "gestion": parametros.gestion,
        "informe": parametros.informe, "trimestre": parametros.trimestre})
    # Lo que ve el vigilante de la corrida cuando termina bien.
    pagina.generar.mostrar(_estado(params, salida, corrida.LISTA, total=1,
                                   resumen=["Informe listo."]))
    relativa = pagina.sesion.espacio.relativa(salida)
    assert [i.relativa for i in pagina.informes.lista] == [relativa]
    assert f">{relativa}<" in pagina.informes.cuadro.value
    assert pagina.informes.elegido.value == relativa


def test_una_corrida_fallida_no_deja_preparando_los_datos(tmp_path):
    import psutil

    from helpers.entrada.parametros import cargar_parametros
    from helpers.pagina import corrida

    params = _entidad(tmp_path)
    salida = cargar_parametros(params).carpeta_salida
    pagina = _pagina(tmp_path)
    en_curso = _estado(params, salida, corrida.CORRIENDO)
    en_curso.nacido = psutil.Process().create_time()  # este proceso hace de corrida
    pagina.generar.mostrar(en_curso)
    assert "Preparando los datos" in pagina.generar.avance.value
    pagina.generar.mostrar(_estado(params, salida, corrida.FALLIDA, etapas=["Leyendo"],
                                   mensaje="El libro tiene 2 errores."))
    assert "Preparando los datos" not in pagina.generar.avance.value
    assert pagina.generar.barra.layout.display == "none"
    assert "El libro tiene 2 errores." in pagina.generar.salida.value
    assert not pagina.generar.generar.disabled


# ------------------------------------------------------------ un archivo copiado desde afuera

def test_un_archivo_de_parametros_copiado_aparece_en_los_desplegables(tmp_path):

    from helpers.pagina.piezas import vigilar_la_carpeta

    params = _entidad(tmp_path)
    pagina = _pagina(tmp_path)
    pagina.sesion.revisar_carpeta()
    copiado = params.with_name("copiado-de-afuera.yaml")
    shutil.copy(RAIZ / "params" / "2024-T2.yaml", copiado)
    relativa = f"entidad/{copiado.name}"
    elegido = pagina.sesion.parametros
    assert relativa not in pagina.generar.parametros.options
    # El hilo de la página lo ve solo (aquí, con un intervalo corto).
    vigilar_la_carpeta(pagina.sesion, cada=0.05)
    esperas.hasta(lambda: relativa in pagina.generar.parametros.options, 10, cada=0.05)
    for paso in (pagina.generar, pagina.parametros.elegir):
        desplegable = getattr(paso, "parametros", paso)
        assert relativa in desplegable.options
        assert desplegable.value == elegido
    assert pagina.sesion.parametros == elegido


# ------------------------------------------------------------ los errores junto a su campo

def _textos(widget) -> list[str]:
    """Los textos HTML de `widget` y de todo lo que lleva dentro."""
    textos = [widget.value] if hasattr(widget, "value") and isinstance(widget.value, str) else []
    for hijo in getattr(widget, "children", ()):
        textos += _textos(hijo)
    return textos


def test_la_fecha_de_emision_antes_del_corte_va_junto_a_su_campo(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path, "2024-T2.yaml")
    corte = cargar_parametros(params).fecha_corte
    pagina = _pagina(tmp_path)
    paso = pagina.parametros
    antes = corte.replace(day=1)
    paso.controles["identificacion.fecha_emision"].entrada.value = antes.strftime("%d/%m/%Y")
    paso.comprobar.click()
    junto = paso.controles["identificacion.fecha_emision"].problemas.value
    assert f"({antes:%d/%m/%Y}) es anterior al corte del informe ({corte:%d/%m/%Y})" in junto
    assert "clave" not in paso.salida.value and "1 error" in paso.salida.value


def test_los_problemas_del_libro_con_los_parametros_van_junto_a_su_campo(tmp_path):
    from helpers.entrada import parametros_en_formulario as pf

    _entidad(tmp_path, "2024-T2.yaml")
    pagina = _pagina(tmp_path)
    paso = pagina.parametros
    control = paso.controles["presentacion.unidad_planificacion"]
    control.entrada.value = "UNIDAD-QUE-NO-ESTA"
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value
    paso.con_libro.click()
    assert "UNIDAD-QUE-NO-ESTA" in control.problemas.value
    etiqueta = pf.campo("presentacion.unidad_planificacion").etiqueta
    assert f"{etiqueta}: " in paso.salida.value
    assert "presentacion.unidad_planificacion" not in paso.salida.value


def test_el_formulario_no_aconseja_comillas(tmp_path):
    import re

    params = _entidad(tmp_path, "2024-T2.yaml")
    texto = params.read_text(encoding="utf-8")
    # Una hoja de ruta escrita a mano sin comillas: YAML la lee como número.
    texto, cambios = re.subn(r"(?m)^(  hoja_ruta: )\S+", r"\g<1>01234", texto)
    assert cambios == 1
    params.write_text(texto, encoding="utf-8")
    pagina = _pagina(tmp_path)
    paso = pagina.parametros
    paso.comprobar.click()
    control = paso.controles["identificacion.hoja_ruta"]
    assert "se leyó como el número" in control.problemas.value
    assert "escríbalo de nuevo en este campo" in control.problemas.value
    assert not [t for t in _textos(paso.vista) if "comillas" in t]
    control.entrada.value = "01234"
    paso.guardar.click()
    assert "Parámetros guardados." in paso.salida.value
    assert "hoja_ruta: \"01234\"" in params.read_text(encoding="utf-8")


def test_el_paso_de_los_formularios_pide_el_plazo_en_un_campo(tmp_path):
    from helpers.entrada.parametros import cargar_parametros
    from helpers.entrada.recepcion import plazo_de_ejemplo

    pagina = _pagina(tmp_path)
    pagina.entidad.carpeta.value = "nueva"
    pagina.entidad.nombre.value = "Entidad de prueba"
    pagina.entidad.sigla.value = "EP"
    pagina.entidad.crear.click()
    params = pagina.sesion.ruta("parametros")
    parametros = cargar_parametros(params)
    assert parametros.recepcion is None
    paso = pagina.formularios
    assert paso.fila_plazo.layout.display is None
    assert all("recepcion:" not in t and "{plazo" not in t for t in _textos(paso.vista))
    paso.escribir.click()
    assert "Escriba primero el plazo de entrega" in paso.salida.value
    propuesto = plazo_de_ejemplo(parametros.fecha_corte)
    assert paso.plazo.value == propuesto.strftime("%d/%m/%Y")
    paso.plazo.value = parametros.fecha_corte.replace(day=1).strftime("%d/%m/%Y")
    paso.guardar_plazo.click()
    assert "No se guardó el plazo" in paso.salida.value
    assert cargar_parametros(params).recepcion is None
    paso.plazo.value = propuesto.strftime("%d/%m/%Y")
    paso.guardar_plazo.click()
    assert "Plazo guardado" in paso.salida.value
    assert cargar_parametros(params).recepcion.plazo == propuesto
    assert paso.fila_plazo.layout.display == "none"
    # El paso «Parámetros» lo muestra sin volver a abrir el archivo a mano.
    assert pagina.parametros.controles["recepcion.plazo"].valor() == propuesto


# ------------------------------------------------------------ la plantilla, la guía, los nombres

class _Servidor:
    """Los manejadores de `descargas` sobre la carpeta de trabajo `raiz`, en un servidor de
    Tornado de verdad (en un hilo), sin Voilà."""

    def __init__(self, raiz: Path):
        import asyncio
        import threading

        from tornado import web

        from helpers.pagina import descargas
        from helpers.pagina.servidor import puerto_libre

        self.puerto = puerto_libre(None)
        listo = threading.Event()

        def servir() -> None:
            asyncio.set_event_loop(asyncio.new_event_loop())
            web.Application(descargas.manejadores(Espacio.en(raiz))).listen(
                self.puerto, "127.0.0.1")
            self.bucle = asyncio.get_event_loop()
            listo.set()
            self.bucle.run_forever()

        threading.Thread(target=servir, daemon=True).start()
        assert listo.wait(10)

    def pedir(self, ruta: str):
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.puerto}/{ruta}",
                                        timeout=60) as respuesta:
                return respuesta.status, dict(respuesta.headers), respuesta.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def test_la_plantilla_es_la_de_la_gestion_de_la_entidad_y_no_queda_en_su_carpeta(tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook

    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path)
    gestion = cargar_parametros(params).gestion
    antes = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    pagina = _pagina(tmp_path)
    pagina.entidad.gestion.value = gestion + 3  # el campo de la entidad nueva no cuenta
    pagina.entidad.plantilla.click()
    salida = pagina.entidad.salida.value
    assert f'href="plantilla/{gestion}"' in salida
    assert f'download="plantilla-poa-{gestion}.xlsx"' in salida
    estado, cabeceras, cuerpo = _Servidor(tmp_path).pedir(f"plantilla/{gestion}")
    assert estado == 200
    assert f'filename="plantilla-poa-{gestion}.xlsx"' in cabeceras["Content-Disposition"]
    libro = load_workbook(BytesIO(cuerpo))
    fecha = libro["reformulaciones"]["C2"].value  # la fila de ejemplo, fechada en la gestión
    assert fecha.year == gestion
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == antes


def test_las_descargas_de_un_informe_llevan_la_sigla_y_el_periodo(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path)
    p = cargar_parametros(params)
    carpeta = _informe_hecho(p.carpeta_salida, {
        "entidad": p.entidad.model_dump(), "gestion": p.gestion, "informe": p.informe,
        "trimestre": p.trimestre})
    (carpeta / "informe.pdf").write_bytes(b"%PDF-1.4")
    (carpeta / "datos-abiertos").mkdir()
    (carpeta / "datos-abiertos" / "datapackage.json").write_text("{}")
    relativa = carpeta.relative_to(tmp_path).as_posix()
    servidor = _Servidor(tmp_path)
    prefijo = f"{p.entidad.sigla}-{p.etiqueta}"
    for ruta, nombre in ((f"descargar/{relativa}/informe.pdf", f"{prefijo}-informe.pdf"),
                         (f"ver/{relativa}/informe.pdf", f"{prefijo}-informe.pdf"),
                         (f"zip/{relativa}", f"{prefijo}.zip"),
                         (f"zip/{relativa}/datos-abiertos", f"{prefijo}-datos-abiertos.zip"),
                         (f"descargar/entidad/{params.name}", params.name)):
        estado, cabeceras, _cuerpo = servidor.pedir(ruta)
        assert estado == 200, ruta
        assert f'filename="{nombre}"' in cabeceras["Content-Disposition"], ruta


def test_la_guia_se_abre_desde_la_pagina(tmp_path):
    import re

    from helpers.pagina import descargas

    carpeta = descargas.carpeta_de_la_guia()
    assert carpeta is not None
    servidor = _Servidor(tmp_path)
    estado, cabeceras, cuerpo = servidor.pedir("guia/")
    assert estado == 200 and cabeceras["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in cabeceras["Content-Security-Policy"]
    assert "script-src" not in cabeceras["Content-Security-Policy"]
    html = cuerpo.decode("utf-8")
    primera = (carpeta / descargas.GUIA).read_text(encoding="utf-8").splitlines()[0]
    assert primera.lstrip("# ") in html
    imagen = next(iter(re.findall(r'<img src="(imagenes/[^"]+)"', html)))
    assert servidor.pedir(f"guia/{imagen}")[0] == 200
    otra = next(iter(re.findall(r'<a href="([\w-]+\.md)', html)))
    assert servidor.pedir(f"guia/{otra}")[0] == 200
    for fuera in ("guia/../pyproject.toml", "guia/imagenes/../../pyproject.toml",
                  "guia/no-existe.md"):
        assert servidor.pedir(fuera)[0] == 404, fuera
    # El enlace del cuaderno de la página.
    cuaderno = (RAIZ / "src" / "helpers" / "pagina" / "pagina.ipynb").read_text(
        encoding="utf-8")
    assert 'href=\\"guia/\\"' in cuaderno


def test_la_lista_de_entidades_dice_la_carpeta_y_la_entidad(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path)
    shutil.copy(params, tmp_path / params.name)  # la carpeta de trabajo también es una
    entidad = cargar_parametros(params).entidad
    pagina = _pagina(tmp_path)
    etiquetas = [e for e, _v in pagina.entidad.entidades.options]
    quien = f"{entidad.nombre} ({entidad.sigla})"
    assert etiquetas == [f"La carpeta de trabajo misma — {quien}", f"entidad — {quien}"]


# ------------------------------------------------------------ los controles

def test_una_firma_nueva_tiene_un_rol_valido_y_ningun_none(tmp_path):
    from helpers.entrada.identificacion import ROLES

    _entidad(tmp_path, "2024-T2.yaml")
    paso = _pagina(tmp_path).parametros
    firmas = paso.controles["identificacion.firmas"]
    usados = [f["rol"] for f in firmas.valor()]
    firmas.agregar({})
    rol = firmas.filas[-1][1][0].entrada
    assert rol.value == next(r for r in ROLES if r not in usados)
    assert "None" not in rol.label and all("None" not in e for e, _v in rol.options)


def test_los_desplegables_opcionales_muestran_su_valor_por_omision(tmp_path):
    from helpers.entrada import parametros_en_formulario as pf

    _entidad(tmp_path, "2024-T2.yaml")
    paso = _pagina(tmp_path).parametros
    valores = paso.documento.valores()
    for ruta, control in paso.controles.items():
        campo = pf.campo(ruta)
        if campo.tipo != pf.OPCION or valores[ruta] is not None:
            continue
        # Un desplegable sin valor se ve vacío: éste muestra lo que rige.
        assert control.entrada.index is not None, ruta
        assert str(campo.por_omision) in control.entrada.label, ruta
        assert control.valor() is None and not control.cambiado()
    assert paso.cambios() == {}


def test_las_fechas_se_muestran_y_se_leen_dd_mm_aaaa(tmp_path):
    from helpers.entrada.parametros import cargar_parametros

    params = _entidad(tmp_path, "2024-T2.yaml")
    emision = cargar_parametros(params).identificacion.fecha_emision
    paso = _pagina(tmp_path).parametros
    control = paso.controles["identificacion.fecha_emision"]
    assert control.entrada.value == emision.strftime("%d/%m/%Y")
    otra = emision.replace(day=emision.day % 28 + 1)
    control.entrada.value = otra.strftime("%d/%m/%Y")
    paso.guardar.click()
    assert cargar_parametros(params).identificacion.fecha_emision == otra
    control.entrada.value = "31/02/" + str(otra.year)
    paso.comprobar.click()
    assert "no es una fecha que exista" in control.problemas.value


# ------------------------------------------------------------ los textos del informe

@pytest.mark.parametrize("nombre, repite", [("Unidad de Planificación y Seguimiento", True),
                                            ("UNIDAD DE PLANIFICACION", True),
                                            ("Dirección de Planificación Estratégica", False)])
def test_la_unidad_de_planificacion_no_se_nombra_dos_veces(monkeypatch, nombre, repite):
    from helpers.redaccion import analisis, recomendaciones

    monkeypatch.setattr(analisis, "nombre_unidad_planificacion", lambda _prep: nombre)
    monkeypatch.setattr(recomendaciones, "nombre_unidad_planificacion", lambda _prep: nombre)
    frase = analisis.la_unidad_de_planificacion(None)
    titulo = recomendaciones.titulo_planificacion(None)
    if repite:
        assert frase == f"la {nombre}" and titulo == f"## De la {nombre}"
    else:
        assert frase == f"la unidad de planificación, {nombre},"
        assert titulo == f"## De la unidad de planificación: {nombre}"


@pytest.mark.parametrize("cuantas", [1, 2])
def test_se_recoge_una_recomendacion_y_se_recogen_dos(monkeypatch, cuantas):
    import types

    import pandas as pd

    from helpers.redaccion import recomendaciones, seguimiento

    monkeypatch.setattr(recomendaciones, "recomendaciones_planificacion",
                        lambda _prep: ["una"] * cuantas)
    monkeypatch.setattr(seguimiento, "de_origen",
                        lambda _prep, _origen: pd.DataFrame({"codigo_unidad": []}))
    parrafo = recomendaciones.parrafo_recomendaciones(types.SimpleNamespace(trimestre=2))
    verbo, nombre = ("recoge", "recomendación") if cuantas == 1 else ("recogen",
                                                                      "recomendaciones")
    assert parrafo.startswith(f"Se {verbo} {cuantas} {nombre} ")


def test_la_plantilla_de_una_entidad_nueva_no_trae_resoluciones_de_la_muestra():
    import re

    import pandas as pd

    from helpers.entrada.fila_de_ejemplo import MARCA_EJEMPLO, ejemplos

    textos = [p.read_text(encoding="utf-8") for p in (RAIZ / "params").glob("*.yaml")]
    libro = pd.read_excel(RAIZ / "data" / "2024" / "poa_2024.xlsx", sheet_name="reformulaciones",
                          engine="calamine")
    textos += [str(r) for r in libro["resolucion"]]
    numeros = {n for texto in textos for n in re.findall(r"N° ?(\d+)/", texto)}
    assert numeros
    resolucion = ejemplos(2025)["reformulaciones"]["resolucion"]
    assert MARCA_EJEMPLO in resolucion
    assert not [n for n in numeros if f" {n}/" in resolucion], resolucion


def test_nuevo_trimestre_desde_los_archivos_en_blanco_cambia_su_cabecera(tmp_path):
    from helpers.comun.calendario import TRIMESTRES
    from helpers.entrada import parametros_en_formulario as pf
    from helpers.entrada.entidad_nueva import escribir_entidad_nueva
    from helpers.entrada.parametros import cargar_parametros
    from helpers.entrada.trimestre_siguiente import escribir_trimestre_siguiente

    nueva = escribir_entidad_nueva(tmp_path / "nueva", entidad="Entidad de prueba", sigla="EP",
                                   gestion=2025)
    for params in nueva.parametros.values():
        origen = cargar_parametros(params)
        if origen.tipo.periodo != "trimestre":
            continue
        documento = escribir_trimestre_siguiente(params)
        cabecera = " ".join(linea.lstrip("# ") for linea in documento.texto.splitlines()
                            if linea.startswith("#"))[:300]
        assert f"{TRIMESTRES[origen.trimestre + 1]} trimestre" in cabecera
        assert f"{TRIMESTRES[origen.trimestre]} trimestre" not in cabecera
        leido = cargar_parametros(documento.ruta)
        assert leido.carpeta_salida == origen.carpeta_salida.parent / leido.etiqueta
        # El informe anterior, en los tipos que lo comparan.
        compara = origen.informe in pf.campo("informe_anterior").informes
        assert leido.ruta_informe_anterior == (origen.carpeta_salida if compara else None)


def test_un_formulario_se_cuenta_en_singular(tmp_path):
    from helpers.formularios.carpetas import carpetas

    params = _entidad(tmp_path, "2024-T2.yaml")
    destino = carpetas(params.parent, params)[0]
    destino.mkdir(parents=True)
    (destino / "UNA.xlsx").write_bytes(b"")  # ya escritos: el paso sólo los cuenta
    pagina = _pagina(tmp_path)
    pagina.formularios.escribir.click()
    assert f"1 formulario en {destino.name}" in pagina.formularios.salida.value
