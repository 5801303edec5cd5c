# Two commands for a new machine: `make run` (the marketplace with demo data) and
# `make test` (the whole suite). Both create the virtualenv and install on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench-deps

$(STAMP): pyproject.toml package.json package-lock.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) -m storefront.assets
	@# WeasyPrint (the fulfilment PDFs) needs Pango from the system.
	@$(PY) -c "import weasyprint" 2>/dev/null || { command -v apt-get >/dev/null \
		&& apt-get -o DPkg::Lock::Timeout=600 install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m config.launcher run

test: $(STAMP)
	$(PY) -m config.launcher test $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
