# Two commands matter on a fresh machine:
#   make book   set up .venv and build the HTML book into _build/html
#   make test   set up .venv, install Chromium if missing, run every test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: setup book test serve browser bench notebooks validate clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

book: setup
	$(PY) -m book build --quiet

validate: setup
	$(PY) -m book validate

browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: setup browser
	$(PY) -m pytest -q

serve: book
	@echo "serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 8000

notebooks: setup
	$(PY) -m book notebooks

bench: setup browser
	$(PY) bench/run.py

clean:
	rm -rf _build
