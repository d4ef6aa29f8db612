"""La documentación dice lo que hace el programa: los ejemplos de docs/metodologia.md se
ejecutan, los enlaces llevan a archivos del repositorio (y a ninguno de fuera), el contrato
de datos, los umbrales y las secciones de los informes coinciden con el código, y cada
imagen existe y sale de scripts/capturas.py."""
from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from helpers.comun.numeros import formatear_porcentaje
from helpers.entrada import tipos
from helpers.entrada.contrato import CONTRATO, HOJAS, HOJAS_OBLIGATORIAS
from helpers.entrada.parametros import ESCALA_CALIFICACION, SEMAFORO_FINANCIERO, Metodologia
from helpers.entrada.parametros_en_blanco import campos_documentados
from helpers.rutas import RAIZ
from helpers.salida.cache_informe import TOPE_MINIMO, VECES_EL_INFORME

DOCS = RAIZ / "docs"
README = RAIZ / "README.md"
DOCUMENTOS = [README, *sorted(DOCS.glob("*.md"))]
IMAGENES = DOCS / "imagenes"
LIMITE_IMAGEN = 200_000  # bytes

# Lo que delata una ruta fuera del repositorio en cualquier parte del texto, también en el
# código de ejemplo: la máquina donde se escribió o la especificación de la que salió.
PROHIBIDO_EN_TODO = ("/work/", "shared/spec", "../shared", "../reference")


def _leer(ruta: Path) -> str:
    return ruta.read_text(encoding="utf-8")


def _relativa(ruta: Path) -> str:
    return str(ruta.relative_to(RAIZ))


def _sin_codigo(texto: str) -> str:
    """El texto sin bloques de código ni código en línea: lo que se lee como Markdown."""
    texto = re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", texto, flags=re.S | re.M)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", texto, flags=re.S)


def _enlaces(texto: str) -> list[str]:
    """Los destinos de los enlaces e imágenes Markdown, de las definiciones de referencia y
    de los enlaces entre < >, fuera del código."""
    limpio = _sin_codigo(texto)
    destinos = re.findall(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", limpio)
    destinos += re.findall(r"^\s*\[[^\]]+\]:\s*(\S+)", limpio, flags=re.M)
    destinos += re.findall(r"<([a-zA-Z][\w+.-]*:[^>\s]+)>", limpio)
    return destinos


def _ancla(titulo: str) -> str:
    """El identificador que GitHub da a un título: minúsculas, sin puntuación (las letras
    con tilde se quedan) y guiones por espacios."""
    return re.sub(r"[^\w\- ]", "", titulo.strip().lower()).replace(" ", "-")


def _anclas(texto: str) -> set[str]:
    anclas: set[str] = set()
    vistas: dict[str, int] = {}
    for titulo in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", _sin_codigo(texto), flags=re.M):
        base = _ancla(titulo)
        n = vistas.get(base, 0)
        vistas[base] = n + 1
        anclas.add(base if n == 0 else f"{base}-{n}")
    return anclas


# --------------------------------------------------------------------------------------
# (a) Los ejemplos de la metodología


def test_los_ejemplos_de_la_metodologia_dan_lo_que_dicen():
    ruta = DOCS / "metodologia.md"
    prueba = doctest.DocTestParser().get_doctest(_leer(ruta), {}, ruta.name, str(ruta), 0)
    ejecutor = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    salida: list[str] = []
    resultado = ejecutor.run(prueba, out=salida.append)
    assert resultado.attempted == len(prueba.examples) > 0
    assert resultado.failed == 0, "".join(salida)


def test_un_ejemplo_equivocado_de_la_metodologia_falla():
    """La prueba de arriba puede fallar: con un resultado cambiado, el ejemplo no pasa."""
    texto = _leer(DOCS / "metodologia.md")
    esperado = "'56,67 %'"
    assert esperado in texto
    prueba = doctest.DocTestParser().get_doctest(
        texto.replace(esperado, "'56,68 %'", 1), {}, "alterado", None, 0)
    resultado = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE).run(
        prueba, out=lambda _: None)
    assert resultado.failed == 1


# --------------------------------------------------------------------------------------
# (b) Enlaces: sólo dentro del repositorio


@pytest.mark.parametrize("documento", DOCUMENTOS, ids=_relativa)
def test_cada_enlace_lleva_a_un_archivo_del_repositorio(documento):
    texto = _leer(documento)
    problemas = []
    for destino in _enlaces(texto):
        if re.match(r"[a-zA-Z][\w+.-]*:", destino) or destino.startswith("//"):
            problemas.append(f"{destino}: enlace fuera del repositorio (el proyecto no enlaza "
                             "a internet ni a otras carpetas)")
            continue
        ruta_texto, _, ancla = destino.partition("#")
        if ruta_texto.startswith("/"):
            problemas.append(f"{destino}: ruta absoluta; use una relativa al documento")
            continue
        ruta = (documento.parent / ruta_texto).resolve() if ruta_texto else documento
        if not ruta.is_relative_to(RAIZ):
            problemas.append(f"{destino}: sale del repositorio")
        elif not ruta.exists():
            problemas.append(f"{destino}: no existe {_relativa(ruta)}")
        elif ancla and ruta.suffix == ".md" and ancla not in _anclas(_leer(ruta)):
            problemas.append(f"{destino}: {_relativa(ruta)} no tiene el título #{ancla}")
    assert not problemas, "\n".join(problemas)


@pytest.mark.parametrize("documento", DOCUMENTOS, ids=_relativa)
def test_ninguna_ruta_del_texto_sale_del_repositorio(documento):
    texto = _leer(documento)
    problemas = [marca for marca in PROHIBIDO_EN_TODO if marca in texto]
    prosa = _sin_codigo(texto)
    problemas += re.findall(r"(?:https?|file|ftp)://\S+", prosa)
    for ruta in re.findall(r"(?<![\w.])((?:\.\./)+[\w./-]*)", prosa):
        if not (documento.parent / ruta).resolve().is_relative_to(RAIZ):
            problemas.append(ruta)
    assert not problemas, f"{_relativa(documento)} nombra rutas de fuera: {problemas}"


def test_la_revision_de_enlaces_encuentra_los_malos():
    """Las dos pruebas de enlaces reconocen un enlace a internet, uno que sale del
    repositorio, uno roto y un ancla que no existe, y no confunden el código con enlaces."""
    texto = ("# Título\n[a](https://ejemplo.org) [b](../../fuera.md) [c](no-existe.md) "
             "[d](#otro) [e](#título) `[f](http://en-codigo)`\n")
    destinos = _enlaces(texto)
    assert destinos == ["https://ejemplo.org", "../../fuera.md", "no-existe.md", "#otro",
                        "#título"]
    assert _anclas(texto) == {"título"}


# --------------------------------------------------------------------------------------
# (c) El contrato de datos


_TIPOS = {"texto": "texto", "numero": "número", "entero": "entero", "fecha": "fecha"}


def _tablas_del_contrato() -> dict[str, dict[str, tuple[str, str]]]:
    """De docs/contrato-de-datos.md: hoja -> columna -> (obligatoria, tipo), leído de la
    tabla de la sección «Hoja `<hoja>`»; un grupo mensual se escribe «`x_01` a `x_12`»."""
    texto = _leer(DOCS / "contrato-de-datos.md")
    resultado: dict[str, dict[str, tuple[str, str]]] = {}
    for hoja, cuerpo in re.findall(r"^## Hoja `(\w+)`\n(.*?)(?=^## |\Z)", texto,
                                   flags=re.M | re.S):
        columnas = {}
        for fila in re.findall(r"^\|\s*(`.*?)\s*\|\s*(\S+)\s*\|\s*([^|]+?)\s*\|", cuerpo,
                               flags=re.M):
            nombre, obligatoria, tipo = fila
            grupo = re.fullmatch(r"`(\w+)_01` a `\1_12`", nombre)
            if grupo:
                for mes in range(1, 13):
                    columnas[f"{grupo.group(1)}_{mes:02d}"] = (obligatoria, tipo)
            else:
                columnas[nombre.strip("`")] = (obligatoria, tipo)
        resultado[hoja] = columnas
    return resultado


def test_el_contrato_documentado_es_el_del_codigo():
    documentado = _tablas_del_contrato()
    assert list(documentado) == list(HOJAS), "una sección «Hoja `x`» por hoja, en orden"
    problemas = []
    for hoja, columnas in CONTRATO.items():
        doc = documentado[hoja]
        nombres = [c.nombre for c in columnas]
        for sobra in set(doc) - set(nombres):
            problemas.append(f"{hoja}.{sobra}: documentada y no está en el contrato")
        for columna in columnas:
            if columna.nombre not in doc:
                problemas.append(f"{hoja}.{columna.nombre}: no está documentada")
                continue
            obligatoria, tipo = doc[columna.nombre]
            if obligatoria != ("sí" if columna.obligatoria else "no"):
                problemas.append(f"{hoja}.{columna.nombre}: obligatoria dice «{obligatoria}»")
            if tipo != _TIPOS[columna.tipo]:
                problemas.append(f"{hoja}.{columna.nombre}: tipo dice «{tipo}», el contrato "
                                 f"«{_TIPOS[columna.tipo]}»")
    assert not problemas, "\n".join(problemas)


def test_la_lista_de_hojas_dice_cuales_son_obligatorias():
    texto = _leer(DOCS / "contrato-de-datos.md").split("\n## Hoja ")[0]
    filas = dict(re.findall(r"^\| `(\w+)` \| (sí|no) \|", texto, flags=re.M))
    assert list(filas) == list(HOJAS)
    for hoja in HOJAS:
        assert filas[hoja] == ("sí" if hoja in HOJAS_OBLIGATORIAS else "no"), hoja


# --------------------------------------------------------------------------------------
# (d) Las secciones de cada informe


@pytest.mark.parametrize("nombre", tipos.nombres())
def test_cada_seccion_y_cada_tabla_del_informe_esta_descrita(nombre):
    texto = _leer(DOCS / "contenido-de-los-informes.md")
    tipo = tipos.tipo(nombre)
    titulos = [tipo.titulo, tipo.memoria.titulo, *(s.titulo for s in tipo.secciones)]
    faltan = [t for t in titulos if t not in texto]
    faltan += [f"{t}.csv" for t in tipo.tablas.orden if f"`{t}.csv`" not in texto]
    assert not faltan, f"docs/contenido-de-los-informes.md no nombra: {faltan}"


# --------------------------------------------------------------------------------------
# (e) Las imágenes


def _imagenes_citadas() -> dict[Path, list[Path]]:
    citadas: dict[Path, list[Path]] = {}
    for documento in DOCUMENTOS:
        for destino in re.findall(r"!\[[^\]]*\]\(\s*([^)\s]+)", _sin_codigo(_leer(documento))):
            ruta = (documento.parent / destino).resolve()
            citadas.setdefault(ruta, []).append(documento)
    return citadas


def _capturas():
    ruta = RAIZ / "scripts" / "capturas.py"
    nombre = "scripts_capturas"
    if nombre not in sys.modules:  # dataclasses busca el módulo de sus clases en sys.modules
        especificacion = importlib.util.spec_from_file_location(nombre, ruta)
        modulo = importlib.util.module_from_spec(especificacion)
        sys.modules[nombre] = modulo
        especificacion.loader.exec_module(modulo)
    return sys.modules[nombre]


def test_cada_imagen_citada_existe_y_es_liviana():
    citadas = _imagenes_citadas()
    assert citadas, "la documentación muestra el informe con imágenes"
    for ruta, documentos in citadas.items():
        donde = ", ".join(_relativa(d) for d in documentos)
        assert ruta.is_file(), f"{donde}: no existe la imagen {ruta}"
        assert ruta.is_relative_to(IMAGENES), f"{donde}: {ruta} no está en docs/imagenes"
        assert ruta.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{ruta} no es un PNG"
        assert ruta.stat().st_size < LIMITE_IMAGEN, f"{ruta} pesa demasiado"


def test_las_imagenes_son_las_que_escribe_el_script_y_todas_se_usan():
    escritas = set(_capturas().archivos())
    en_carpeta = {p.name for p in IMAGENES.glob("*.png")}
    assert en_carpeta == escritas, "docs/imagenes tiene otras imágenes que las de capturas.py"
    citadas = {p.name for p in _imagenes_citadas() if p.parent == IMAGENES}
    assert citadas == escritas, f"imágenes sin usar: {sorted(escritas - citadas)}"


def test_cada_captura_es_de_una_seccion_de_su_informe_y_tiene_su_archivo():
    """Las capturas de un informe nombran secciones de su tipo (no de otro) y ninguna
    imagen sale dos veces (la segunda borraría a la primera)."""
    modulo = _capturas()
    for informe in modulo.informes():
        assert informe.params.is_file(), informe.params
        titulos = {s.titulo for s in tipos.tipo(informe.tipo).secciones}
        ajenas = [c.seccion for c in informe.capturas if c.seccion not in titulos | {None}]
        assert not ajenas, f"{informe.nombre}: secciones de otro tipo de informe {ajenas}"
    archivos = [c.archivo for c in modulo.capturas()]
    assert len(archivos) == len(set(archivos)), "dos capturas escriben la misma imagen"


def test_la_copia_de_los_parametros_lee_los_datos_de_la_muestra(tmp_path):
    """capturas.py genera cada informe desde una copia de sus parámetros fuera del proyecto,
    que debe leer el mismo libro que el original y escribir en la carpeta temporal."""
    from helpers.entrada.parametros import cargar_parametros

    modulo = _capturas()
    for informe in modulo.informes():
        original = cargar_parametros(informe.params)
        copia = cargar_parametros(modulo.copiar_parametros(informe, tmp_path))
        assert copia.ruta_datos == original.ruta_datos, informe.nombre
        assert copia.ruta_datos.is_file(), informe.nombre
        assert copia.carpeta_salida == tmp_path / informe.nombre


def test_una_captura_se_ubica_por_el_apartado_de_su_propia_seccion():
    modulo = _capturas()
    marcador, captura = modulo.Marcador, modulo.Captura
    lista = [marcador("Uno", 0, 1, 40.0), marcador("Nivel A", 1, 2, 50.0),
             marcador("Dos", 0, 3, 60.0), marcador("Nivel B", 1, 4, 70.0),
             marcador("Nivel A", 1, 5, 80.0)]
    assert modulo.ubicar(lista, captura("x.png", None)) == (0, 0.0)
    assert modulo.ubicar(lista, captura("x.png", "Dos")) == (3, 60.0)
    assert modulo.ubicar(lista, captura("x.png", "Dos", "Nivel A")) == (5, 80.0)
    with pytest.raises(SystemExit, match="no tiene el apartado"):
        modulo.ubicar(lista, captura("x.png", "Uno", "Nivel B"))


# --------------------------------------------------------------------------------------
# Los umbrales y las reglas que la guía de uso muestra


def test_la_escala_y_el_semaforo_de_la_guia_son_los_de_omision():
    texto = _leer(DOCS / "guia-de-uso.md")
    for tramo in ESCALA_CALIFICACION:
        desde = ("desde " if tramo.inclusivo else "más de ") + formatear_porcentaje(tramo.desde)
        fila = f"| {desde} | {tramo.calificacion} | {tramo.grado} | {tramo.desempeno} |"
        assert fila in texto, f"falta o cambió la fila: {fila}"
    for trimestre, (verde, amarillo) in SEMAFORO_FINANCIERO.items():
        fila = (f"| T{trimestre} | desde {formatear_porcentaje(verde)} | desde "
                f"{formatear_porcentaje(amarillo)} | menos de {formatear_porcentaje(amarillo)} |")
        assert fila in texto, f"falta o cambió la fila: {fila}"
    filas = re.findall(r"^\| (?:desde |más de |T\d )", texto, flags=re.M)
    assert len(filas) == len(ESCALA_CALIFICACION) + len(SEMAFORO_FINANCIERO), (
        "las tablas de la escala y del semáforo tienen filas de más")


def test_cada_regla_de_los_parametros_esta_explicada():
    texto = _leer(DOCS / "metodologia.md")
    faltan = [clave for clave in Metodologia.model_fields if f"| `{clave}` |" not in texto]
    assert not faltan, f"docs/metodologia.md no explica: {faltan}"


def _script_de_parametros():
    especificacion = importlib.util.spec_from_file_location(
        "parametros_en_docs", RAIZ / "scripts" / "parametros.py")
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo


def test_las_tablas_de_los_parametros_dicen_lo_que_dicen_los_campos():
    """Las tablas de las claves (docs/parametros.md) y de las reglas (docs/metodologia.md)
    salen de los campos de los modelos, el mismo lugar del archivo en blanco y del formulario
    de la página; si no coinciden: `.venv/bin/python scripts/parametros.py --escribir`."""
    script = _script_de_parametros()
    for parte, contenido in script.partes().items():
        texto = _leer(script.documento(parte))
        assert script.en_el_documento(texto, parte) == contenido, parte
    # Cada clave está en la tabla, con su título y su descripción.
    tabla = script.en_el_documento(_leer(DOCS / "parametros.md"), "claves")
    for ruta, info in campos_documentados().items():
        if not info.exclude:
            assert f"| `{ruta}` | {info.title} | " in tabla, ruta


_EN_LETRAS = {2: "dos", 3: "tres", 4: "cuatro", 5: "cinco", 6: "seis", 8: "ocho", 10: "diez"}


@pytest.mark.parametrize("documento", ["carpeta-de-salida.md", "cache-diseno.md"])
def test_el_tope_de_la_cache_es_el_del_codigo(documento):
    tope = (f"{_EN_LETRAS[VECES_EL_INFORME]} veces lo que ocupa el informe (nunca menos de "
            f"{TOPE_MINIMO // 2**20} MB)")
    assert tope in " ".join(_leer(DOCS / documento).split()), (
        f"docs/{documento} no dice el tope de cache_informe.py: {tope}")


@pytest.mark.parametrize("documento", ["cache-diseno.md", "carpeta-de-salida.md"])
def test_la_espera_del_servidor_es_la_del_codigo(documento):
    from helpers.residente.servidor import ESPERA

    espera = f"a los {ESPERA // 60} minutos"
    assert espera in " ".join(_leer(DOCS / documento).split()), (
        f"docs/{documento} no dice cuánto espera el servidor (servidor.ESPERA): {espera}")


# --------------------------------------------------------------------------------------
# El README


def test_el_readme_empieza_con_los_dos_comandos():
    texto = _leer(README)
    bloque = re.search(r"^```\w*\n(.*?)^```", texto, flags=re.M | re.S).group(1)
    ordenes = [linea.split("#")[0].strip() for linea in bloque.strip().splitlines()]
    assert ordenes == ["make report", "make test"]


def test_el_readme_enlaza_la_guia_de_uso_antes_que_los_demas_documentos():
    enlaces = [d for d in _enlaces(_leer(README)) if d.startswith("docs/")]
    assert enlaces[0] == "docs/guia-de-uso.md"
    for documento in DOCS.glob("*.md"):
        assert f"docs/{documento.name}" in enlaces, f"el README no enlaza {documento.name}"


# --------------------------------------------------------------------------------------
# (f) Las órdenes que muestran los documentos existen

INFORME_POA = Path(sys.executable).parent / "informe-poa"
_ORDEN = re.compile(r"(informe-poa|make)(\s|$)")


def _ordenes(texto: str) -> list[str]:
    """Las órdenes `informe-poa …` y `make …` que muestra un documento: las líneas de sus
    bloques de código que empiezan con ellas (sin el `$ ` de la consola ni el comentario) y
    su código en línea que empieza con ellas."""
    ordenes = []
    for _, bloque in re.findall(r"^(```|~~~)[^\n]*\n(.*?)^\1", texto, flags=re.S | re.M):
        for linea in bloque.splitlines():
            linea = re.sub(r"^\s*(\$\s+)?", "", linea).split(" #")[0].strip()
            if _ORDEN.match(linea):
                ordenes.append(linea)
    sin_bloques = re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", texto, flags=re.S | re.M)
    ordenes += [c.strip() for c in re.findall(r"(?<!`)`([^`\n]+)`(?!`)", sin_bloques)
                if _ORDEN.match(c.strip())]
    return ordenes


def _reglas_del_makefile(texto: str) -> tuple[set[str], set[str]]:
    """Las reglas (`nombre:`) y las variables (`NOMBRE ?= …`) de un Makefile."""
    reglas = set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", texto, flags=re.M))
    variables = set(re.findall(r"^([A-Z][A-Z0-9_]*)\s*[:?+]?=", texto, flags=re.M))
    return reglas, variables


def _problemas_de_ordenes(ordenes: list[str], makefile: str, ayuda) -> list[str]:
    """Lo que no existe en `ordenes`: una orden de `informe-poa` que no es del programa o
    cuya ayuda (`ayuda(orden)`: código de salida y texto de `--help`) no da 0 o no nombra
    una opción que se muestra; una regla o una variable de `make` que el Makefile no tiene."""
    reglas, variables = _reglas_del_makefile(makefile)
    problemas = []
    for orden in ordenes:
        programa, *palabras = orden.split()
        if programa == "make":
            nombres = [p for p in palabras if not p.startswith("-") and "=" not in p]
            problemas += [f"{orden}: no hay regla «{n}»" for n in nombres[:1] if n not in reglas]
            problemas += [f"{orden}: no hay variable «{p.split('=')[0]}»" for p in palabras
                          if "=" in p and p.split("=")[0] not in variables]
            continue
        verbo = [palabras[0]] if palabras and not palabras[0].startswith("-") else []
        codigo, texto = ayuda(tuple(verbo))
        if codigo != 0:
            problemas.append(f"{orden}: `informe-poa {' '.join(verbo)} --help` da {codigo}")
            continue
        problemas += [f"{orden}: la ayuda no nombra {p}" for p in palabras
                      if re.fullmatch(r"--?[\w-]+", p) and p not in ("-h", "--help")
                      and p not in texto]
    return problemas


def _ayuda_de(verbo: tuple[str, ...], _vistas: dict = {}) -> tuple[int, str]:  # noqa: B006
    """El código de salida y la salida de `informe-poa VERBO --help` (una vez por verbo)."""
    import subprocess

    if verbo not in _vistas:
        resultado = subprocess.run([str(INFORME_POA), *verbo, "--help"], capture_output=True,
                                   text=True, cwd=RAIZ, timeout=120)
        _vistas[verbo] = (resultado.returncode, resultado.stdout)
    return _vistas[verbo]


def test_cada_orden_de_la_documentacion_existe():
    """Cada `informe-poa …` que muestran el README y docs/ es una orden del programa que
    corre con `--help` (y sus opciones están en la ayuda); cada `make …`, una regla del
    Makefile con sus variables."""
    makefile = _leer(RAIZ / "Makefile")
    ordenes = {(documento, orden) for documento in DOCUMENTOS
               for orden in _ordenes(_leer(documento))}
    verbos = {orden.split()[1] for _, orden in ordenes
              if orden.startswith("informe-poa ") and not orden.split()[1].startswith("-")}
    assert {"trimestral", "anual", "verificar", "lab"} <= verbos  # el extractor las ve
    problemas = [f"{_relativa(documento)}: {problema}" for documento, orden in sorted(ordenes)
                 for problema in _problemas_de_ordenes([orden], makefile, _ayuda_de)]
    assert not problemas, problemas


def test_la_revision_de_ordenes_encuentra_las_que_no_existen():
    texto = ("Use `informe-poa publicar x`, `make despliegue` y `make verify SALIDA=x`.\n\n"
             "```bash\n$ informe-poa verificar out --rapido   # comentario\nmake lab\n```\n")
    ordenes = _ordenes(texto)
    assert ordenes == ["informe-poa verificar out --rapido", "make lab",
                       "informe-poa publicar x", "make despliegue", "make verify SALIDA=x"]
    problemas = _problemas_de_ordenes(ordenes, _leer(RAIZ / "Makefile"), _ayuda_de)
    assert [p.split(":")[0] for p in problemas] == [
        "informe-poa verificar out --rapido", "informe-poa publicar x", "make despliegue",
        "make verify SALIDA=x"]


def test_la_auditoria_dice_cuantas_tablas_tiene_el_informe():
    """docs/auditoria.md describe la carpeta del informe trimestral de la muestra: su lista
    de tablas es la de notebooks/trimestral/secciones.yaml y el número que dice, su largo."""
    texto = _leer(DOCS / "auditoria.md")
    orden = tipos.tipo("trimestral").tablas.orden
    fila = next(linea for linea in texto.splitlines() if linea.startswith("| `tablas/<tabla>"))
    assert re.findall(r"`(\w+)`", fila.split("|")[2]) == list(orden)
    numeros = re.findall(r"las mismas (\d+) tablas de `tablas/`", texto)
    assert numeros == [str(len(orden))]
