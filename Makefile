# kehoach — set-up and main jobs.  `make extract` and `make test` work on a fresh
# Debian/Ubuntu machine: they install the system packages (apt-get, with sudo when
# not root) and a virtual environment in .venv/ before running.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
INPUT  ?= data/raw
OUT    ?= data/parquet
CORPUS_DIR ?= ../shared/corpus

.PHONY: setup system-deps extract test bench eval model schema golden-update clean

setup: system-deps $(STAMP)

# System packages: only when something is missing, so repeated runs stay fast.
system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
	    || ! command -v pdftoppm >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "kehoach needs Python 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

extract: setup
	$(VENV)/bin/kehoach extract $(INPUT) -o $(OUT)

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) scripts/bench.py

schema: setup
	$(VENV)/bin/kehoach schema

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
