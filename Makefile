# informe-poa: two commands, `make report` and `make test`. Each one creates or reuses
# the virtual environment .venv and installs what it needs (system packages included).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.instalado
PARAMS ?= params/2024-T2.yaml

.PHONY: report test benchmark muestra entorno limpiar

report: $(STAMP)
	$(PY) -m helpers.informe $(PARAMS)

test: $(STAMP)
	$(PY) -m pytest --nbval-lax tests notebooks

benchmark: $(STAMP)
	$(PY) scripts/benchmark.py

muestra: $(STAMP)
	$(PY) scripts/generar_muestra.py

entorno: $(STAMP)

$(STAMP): requirements.txt pyproject.toml scripts/instalar_sistema.sh
	bash scripts/instalar_sistema.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

limpiar:
	rm -rf $(VENV) output/*/
