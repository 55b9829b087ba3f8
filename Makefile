# The commands that matter on a fresh machine:
#   make book   set up .venv and build the HTML book into _build/html
#   make test   set up .venv, install Chromium if missing, run every test
#   make test-fast  the tests that need no browser, no PDF and no built book
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: setup book publish test test-fast lint serve browser readers pdftools bench notebooks validate clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

book: setup
	$(PY) -m book build --quiet

# make publish DIR=site: the built book, copied for any static host
ifneq ($(filter publish,$(MAKECMDGOALS)),)
ifeq ($(strip $(DIR)),)
$(error DIR: missing; give the folder for the static host, e.g. make publish DIR=site)
endif
endif
publish: book
	$(PY) -m book publish --out "$(DIR)"

validate: setup
	$(PY) -m book validate

# Debian's chromium and its headless build, chromium-headless-shell, which the
# tests, the benchmarks and the workshop PDFs use when it is there
# (book/chromium.py): the same engine, about a fifth less work a page.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromium-headless-shell >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and chromium-headless-shell (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null; }

# What tests/test_export.py reads the exports with: Debian's zim-tools and
# kiwix-tools (installed when missing), and gift-pegjs and scorm-again from
# tests/node's lockfile (npm ci, again whenever the lockfile changes).
readers: tests/node/node_modules/.installed
	@command -v zimcheck >/dev/null 2>&1 && command -v kiwix-serve >/dev/null 2>&1 || { \
	  echo "installing Debian's zim-tools and kiwix-tools (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zim-tools kiwix-tools >/dev/null; }

# What the tests read Khmer PDFs back with: Debian's poppler-utils (pdftotext,
# pdffonts); pypdf garbles Khmer. Installed when missing.
pdftools:
	@command -v pdftotext >/dev/null 2>&1 && command -v pdffonts >/dev/null 2>&1 || { \
	  echo "installing Debian's poppler-utils (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

tests/node/node_modules/.installed: tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --silent
	touch $@

# Lint and types first: ruff over the package, tests and benchmarks; mypy
# --strict over book/ (settings in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check book tests bench
	$(VENV)/bin/mypy

test: setup browser readers pdftools lint
	$(PY) -m pytest -q

# Markers in pyproject.toml; tests/conftest.py marks every Chromium test
# `browser` and every test that needs the built book `slow`.
test-fast: setup readers
	$(PY) -m pytest -q -m "not browser and not pdf and not slow"

serve: book
	@echo "serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 8000

notebooks: setup
	$(PY) -m book notebooks

bench: setup browser readers
	$(PY) bench/run.py

clean:
	rm -rf _build
