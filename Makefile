# informe-poa: two commands, `make report` and `make test` (and `make annual` for the
# accountability report). Each one creates or reuses
# the virtual environment .venv and installs what it needs (system packages included).
# The report targets call the command-line tool `informe-poa` (src/helpers/cli.py).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INFORME := $(VENV)/bin/informe-poa
STAMP := $(VENV)/.instalado
# The params file of `make report` (quarterly) and of `make annual` (accountability report).
PARAMS ?= params/2024-T2.yaml
PARAMS_ANUAL ?= params/2024-anual.yaml
PARAMS_FORMULACION ?= params/2024-formulacion.yaml
PARAMS_OBJETIVOS ?= params/2024-objetivos.yaml
PARAMS_INICIAL ?= params/2024-inicial.yaml
# requirements.lock: cada dependencia, directa o no, con versión y hashes (make lock).
UV := uv==0.13.9
LOCK_FLAGS ?=

OUTPUT ?= output/2024-T2
# El libro que revisa `make validar` y el que escribe `make plantilla`.
LIBRO ?= data/2024/poa_2024.xlsx
PLANTILLA ?= poa_nuevo.xlsx

.PHONY: report annual formulacion inicial objetivos formularios recoger validar plantilla lab app test test-rapido lint verify \
	benchmark muestra muestra-departamental capturas entorno lock limpiar lote lote-objetivos

report: $(STAMP)
	$(INFORME) trimestral $(PARAMS)

# Rendición pública de cuentas: `make annual`, o `make annual PARAMS=otro.yaml` con cualquier
# archivo de parámetros (informe: anual; corte: junio para la rendición de medio año).
annual: $(STAMP)
	$(INFORME) anual \
		$(if $(filter command line,$(origin PARAMS)),$(PARAMS),$(PARAMS_ANUAL))

# Los formularios de formulación del POA (articulación, operaciones, resumen presupuestario):
# `make formulacion`, o `make formulacion PARAMS=otro.yaml` (informe: formulacion).
formulacion: $(STAMP)
	$(INFORME) formulacion \
		$(if $(filter command line,$(origin PARAMS)),$(PARAMS),$(PARAMS_FORMULACION))

# La rendición pública de cuentas inicial (docs/rendicion-de-cuentas.md): `make inicial`, o
# `make inicial PARAMS=otro.yaml` (informe: rendicion_inicial).
inicial: $(STAMP)
	$(INFORME) inicial \
		$(if $(filter command line,$(origin PARAMS)),$(PARAMS),$(PARAMS_INICIAL))

# El avance por objetivo de los planes y compromisos (docs/objetivos.md): `make objetivos`,
# o `make objetivos PARAMS=otro.yaml` (informe: objetivos).
objetivos: $(STAMP)
	$(INFORME) objetivos \
		$(if $(filter command line,$(origin PARAMS)),$(PARAMS),$(PARAMS_OBJETIVOS))

# Los formularios de seguimiento de las unidades (docs/formularios.md): `make formularios`
# escribe uno por unidad en FORMULARIOS (carpeta nueva o vacía); cuando vuelven, `make recoger`
# los lee de RECIBIDOS y escribe el libro recogido RECOGIDO (otra ronda lo reemplaza).
FORMULARIOS ?= output/formularios-2024-T2
RECIBIDOS ?= $(FORMULARIOS)
RECOGIDO ?= output/poa_2024-T2-recogido.xlsx

formularios: $(STAMP)
	$(INFORME) formularios $(PARAMS) --salida $(FORMULARIOS)

recoger: $(STAMP)
	$(INFORME) recoger $(PARAMS) $(RECIBIDOS) --salida $(RECOGIDO) --reemplazar

# Muchas entidades a la vez en Dask y el consolidado para el órgano rector (docs/lote.md):
# la muestra y dos entidades de ejemplo (params/lote/) cuyos libros, la muestra ×2 y ×3, se
# generan la primera vez en output/lote-datos/. Otro lote: `make lote LOTE="a.yaml b.yaml"`.
# El consolidado por objetivo (`lote --objetivos`), de los informes por objetivo de las mismas
# entidades (params/2024-objetivos.yaml y params/lote-objetivos/): `make lote OBJETIVOS=1`.
LOTE ?= $(PARAMS) $(wildcard params/lote/*.yaml)
LOTE_OBJETIVOS ?= $(PARAMS_OBJETIVOS) $(wildcard params/lote-objetivos/*.yaml)
OBJETIVOS ?=
DATOS_LOTE := output/lote-datos/poa_x2.xlsx output/lote-datos/poa_x3.xlsx

lote: $(STAMP) $(if $(filter command line,$(origin LOTE)),,$(DATOS_LOTE))
	$(INFORME) lote $(if $(OBJETIVOS),--objetivos) \
		$(if $(filter command line,$(origin LOTE)),$(LOTE),$(if $(OBJETIVOS),$(LOTE_OBJETIVOS),$(LOTE)))

lote-objetivos:
	$(MAKE) lote OBJETIVOS=1

output/lote-datos/poa_x%.xlsx: scripts/generar_grande.py data/2024/poa_2024.xlsx | $(STAMP)
	$(PY) scripts/generar_grande.py --factor $* --salida $@

# Revisa un libro sin generar el informe y escribe a su lado la copia con las celdas
# marcadas: `make validar LIBRO=mi_poa.xlsx` (o un archivo de parámetros).
validar: $(STAMP)
	$(INFORME) validar $(LIBRO)

# La plantilla vacía del libro del POA: `make plantilla PLANTILLA=poa_2025.xlsx`.
plantilla: $(STAMP)
	$(INFORME) plantilla $(PLANTILLA)

lab: $(STAMP)
	$(INFORME) lab

# La página del trimestre en el navegador (docs/pagina.md), sobre la carpeta de trabajo
# CARPETA (por omisión, la del proyecto, con la muestra): `make app CARPETA=~/POA2025`.
CARPETA ?= .
app: $(STAMP)
	$(INFORME) app --carpeta $(CARPETA)

# Las pruebas corren en TRABAJADORES procesos a la vez (pytest-xdist; auto: uno por núcleo y uno
# más, tests/conftest.py), cada archivo entero en uno de ellos (docs/pruebas.md). En serie:
# `make test TRABAJADORES=0`.
TRABAJADORES ?= auto
EN_PARALELO = -n $(TRABAJADORES) --dist loadfile

# Con el bytecode de src/ compilado antes: donde PYTHONDONTWRITEBYTECODE está puesta, cada
# proceso que arrancan las pruebas (kernels, órdenes, procesos de ayuda) compilaba otra vez
# los módulos de helpers que importa (en un kernel, 0,08 s de los 1,4 que tarda en arrancar).
COMPILAR_SRC = $(PY) -m compileall -q src

test: $(STAMP)
	bash scripts/instalar_libreoffice.sh
	bash scripts/instalar_chromium.sh
	$(COMPILAR_SRC)
	$(PY) -m pytest $(EN_PARALELO) --durations=30 --nbval-lax tests notebooks

# Las pruebas de todos los días: sin las que generan informes completos, recalculan con
# LibreOffice o instalan entornos (marca `lento`), sin las de la página en Chromium (marca
# `navegador`) y sin los cuadernos.
test-rapido: $(STAMP)
	$(COMPILAR_SRC)
	$(PY) -m pytest $(EN_PARALELO) -m "not lento and not navegador" tests

# ruff, con la configuración de pyproject.toml (.ci/run lo corre antes de las pruebas);
# ninguna función de src/ con complejidad ciclomática sobre 20 (xenon, con radon: rango C o
# mejor), y las capas del paquete (lint-imports, contrato en pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts notebooks setup.py
	$(VENV)/bin/xenon --max-absolute C --exclude "*.ipynb" src
	$(VENV)/bin/lint-imports

# Comprueba un informe ya generado: hashes de entradas, salidas y código, y las tablas
# calculadas de nuevo (make verify OUTPUT=output/2024-T1).
verify: $(STAMP)
	$(INFORME) verificar $(OUTPUT)

# Mide el rendimiento (docs/rendimiento.md): todas las partes, más de una hora. Una parte:
# `make benchmark BENCHMARK="--solo muestra,piso --veces 1"`.
BENCHMARK ?=
benchmark: $(STAMP)
	$(PY) scripts/benchmark.py $(BENCHMARK)

# Los libros de las dos muestras, desde sus catálogos (data/muestra/ y
# data/muestra-departamental/): `make muestra`, o una sola con `make muestra-departamental`.
muestra: $(STAMP)
	$(PY) scripts/generar_muestra.py
	$(PY) scripts/generar_muestra_departamental.py

muestra-departamental: $(STAMP)
	$(PY) scripts/generar_muestra_departamental.py

# Las imágenes de docs/imagenes/, sacadas de los informes de las dos muestras (el trimestral de
# la primera; el trimestral y la rendición de la segunda) y de los formularios de seguimiento
# de la primera (con LibreOffice); regenérelas cuando cambie la maquetación: `make capturas`
# (una parte: `$(PY) scripts/capturas.py --solo formularios`).
capturas: $(STAMP)
	$(PY) scripts/capturas.py

entorno: $(STAMP)

$(STAMP): requirements.lock requirements.txt pyproject.toml setup.py scripts/instalar_sistema.sh
	bash scripts/instalar_sistema.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# uv instala el lock (con sus hashes) en segundos; pip tardaba medio minuto en cada clon.
	# Con el bytecode ya compilado (como pip): sin él, donde PYTHONDONTWRITEBYTECODE está
	# puesta, cada proceso (la orden, cada kernel, cada ayudante) compilaba pandas, WeasyPrint
	# y nbconvert otra vez al importarlos; un informe gastaba el 40 % más de CPU.
	$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet $(UV)
	$(PY) -m uv pip install --quiet --python $(PY) --require-hashes --compile-bytecode \
		-r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# Rehace requirements.lock desde requirements.txt, para Python 3.11 en Linux x86_64, con los
# hashes del índice de paquetes por omisión (sin la configuración local de pip). Conserva las versiones que ya fija salvo que choquen con requirements.txt;
# `make lock LOCK_FLAGS=--upgrade` sube todas a la última versión compatible.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet $(UV)
	$(PY) -m uv pip compile requirements.txt --output-file requirements.lock \
		--generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
		--no-config \
		--custom-compile-command "make lock" --quiet $(LOCK_FLAGS)

limpiar:
	rm -rf $(VENV) output/*/
