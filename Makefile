# kehoach — set-up and main jobs.  `make extract` and `make test` work on a fresh
# Debian/Ubuntu machine: they install the system packages (apt-get, with sudo when
# not root) and a virtual environment in .venv/ before running.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils python3-venv
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
INPUT  ?= data/raw
OUT    ?= data/parquet
CORPUS_DIR ?= ../shared/corpus

# Fonts for rendering the synthetic OCR pages of `make model` / `make eval`.
FONT_PACKAGES := fonts-freefont-ttf fonts-liberation fonts-dejavu-core fonts-croscore
# LibreOffice reads legacy .doc/.rtf/.odt files and web pages (optional for `make extract`; the
# tests convert real ones); pandoc only makes the Markdown and plain-text
# forms of the test and evaluation plans (kehoach reads its tables without it)
DOC_PACKAGES := libreoffice-writer-nogui pandoc

.PHONY: setup system-deps fonts doc-deps extract test bench eval model areas-model ocr-pairs vie-channel schema golden-update clean

setup: system-deps $(STAMP)

# System packages: only when something is missing, so repeated runs stay fast.
system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
	    || ! command -v pdftoppm >/dev/null 2>&1 || ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
	  echo "installing $(APT_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "kehoach needs Python >= 3.11, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

# A run whose documents are all read but some partial (exit code 1: a table left out, said in
# the lines marked "!" and the manifest's error column) is a finished run for make.
extract: setup
	@$(VENV)/bin/kehoach extract $(INPUT) -o $(OUT); rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "kehoach: finished; partial documents are listed above (manifest: error)"; exit 0; fi; \
	exit $$rc

# The suite runs in TEST_WORKERS processes (pytest-xdist; "auto": one per CPU, at most
# TEST_MAX_WORKERS); TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
TEST_MAX_WORKERS ?= 4
test: setup fonts doc-deps
	$(PY) -m pytest -q -n $(TEST_WORKERS) $(if $(filter auto,$(TEST_WORKERS)),--maxprocesses=$(TEST_MAX_WORKERS))

# Per-document times; batch throughput (process pool 1 and 2 workers, Dask local cluster) on
# 200 documents and the incremental re-run overhead; repair speed.  BENCH_REPEATS runs per figure.
BENCH_REPEATS ?= 3
bench: setup
	$(PY) scripts/bench.py
	$(PY) scripts/bench_batch.py --docs 200 --repeats $(BENCH_REPEATS)
	$(PY) scripts/bench_repair.py --runs 5
	$(PY) scripts/bench_ocr.py --pages 8 --repeats $(BENCH_REPEATS) --long 30
	$(PY) scripts/bench_verdict.py --repeats $(BENCH_REPEATS)
	$(PY) scripts/bench_dump_tables.py --repeats $(BENCH_REPEATS)

doc-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v pandoc >/dev/null 2>&1; then \
	  echo "installing $(DOC_PACKAGES) with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(DOC_PACKAGES); \
	fi

fonts:
	@if [ ! -f /usr/share/fonts/truetype/freefont/FreeSerif.ttf ] || [ ! -d /usr/share/fonts/truetype/liberation ] \
	    || [ ! -d /usr/share/fonts/truetype/dejavu ] || [ ! -f /usr/share/fonts/truetype/croscore/Tinos-Regular.ttf ]; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(FONT_PACKAGES); \
	fi

# Rebuild the repair model from a corpus directory (*.txt.xz + aux/): the syllable
# n-gram LM, the OCR channel learned from rendered, English-OCR'd training pages, then the
# correction channel of Vietnamese-model OCR (vie-channel).
# Fixed seeds: the same corpus gives the same artifacts.
model: setup fonts areas-model
	$(PY) scripts/train_repair_model.py --corpus-dir $(CORPUS_DIR)
	$(MAKE) ocr-pairs SPLIT=train PAGES=160 SEED=1 PAIRS=build/ocr_train
	$(PY) scripts/make_ocr_pairs.py learn --pairs build/ocr_train
	$(MAKE) vie-channel

# The reform-area text model (normalizers/data/area_nb.npz): naive Bayes on corpus paragraphs
# labelled by the area heading above them; temperature and threshold chosen on development text.
areas-model: setup
	$(PY) scripts/train_areas.py --corpus-dir $(CORPUS_DIR)

SPLIT ?= train
PAGES ?= 160
SEED  ?= 1
PAIRS ?= build/ocr_$(SPLIT)
ocr-pairs: setup fonts
	$(PY) scripts/make_ocr_pairs.py render --corpus-dir $(CORPUS_DIR) --split $(SPLIT) --pages $(PAGES) --seed $(SEED) --out $(PAIRS)

# The correction channel of Vietnamese-model OCR (normalizers/data/vie_channel.json.gz): VIE_PAGES
# degraded scans (stamps, signatures, bleed-through, uneven ink, JPEG, 200/300 dpi) of training
# documents, read by the pipeline's own OCR; letter-shape and tone confusions, confidence calibration.
VIE_PAGES ?= 80
vie-channel: setup fonts
	$(PY) scripts/make_vie_pairs.py render --corpus-dir $(CORPUS_DIR) --split train --pages $(VIE_PAGES) --seed 1 --out build/vie_train
	$(PY) scripts/make_vie_pairs.py learn --pairs build/vie_train

# Repair accuracy on held-out corpus documents only (md5(document) % 50 == 0; never trained on).
# Then appendix rows recall / precision and field accuracy per input form (docx, pdf, pdftotext
# dumps, English-model OCR, scan) on TABLE_PLANS generated plans of varied table shapes.  Last, the
# correction of Vietnamese-model OCR on 24 held-out degraded scans (syllables right before and
# after; again with every page drawn in Tinos, Times New Roman's metric clone) and on clean
# held-out lines (share left unchanged); how well page_accuracy tells what OCR read right (the
# same pages, and 24 more scanned at 150 dpi).
TABLE_PLANS ?= 12
eval: setup fonts doc-deps
	$(MAKE) ocr-pairs SPLIT=heldout PAGES=24 SEED=2 PAIRS=build/ocr_heldout
	$(PY) scripts/eval_repair.py --corpus-dir $(CORPUS_DIR) --by-source --ocr-pairs build/ocr_heldout
	$(PY) scripts/eval_tables.py --plans $(TABLE_PLANS)
	$(PY) scripts/eval_areas.py --corpus-dir $(CORPUS_DIR)
	$(PY) scripts/eval_split_syllables.py --corpus-dir $(CORPUS_DIR)
	$(PY) scripts/eval_glued_syllables.py
	$(PY) scripts/make_vie_pairs.py render --corpus-dir $(CORPUS_DIR) --split heldout --pages 24 --seed 2 --out build/vie_heldout
	$(PY) scripts/eval_ocr_correct.py --pairs build/vie_heldout --corpus-dir $(CORPUS_DIR)
	$(PY) scripts/make_vie_pairs.py render --corpus-dir $(CORPUS_DIR) --split heldout --pages 24 --seed 2 --font tinos --out build/vie_heldout_tinos
	$(PY) scripts/eval_ocr_correct.py --pairs build/vie_heldout_tinos
	$(PY) scripts/make_vie_pairs.py render --corpus-dir $(CORPUS_DIR) --split heldout --pages 24 --seed 4 --font tinos --dpi 150 --out build/vie_heldout_150
	$(PY) scripts/eval_page_reading.py build/vie_heldout build/vie_heldout_tinos build/vie_heldout_150

schema: setup
	$(VENV)/bin/kehoach schema

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

golden-update: setup
	$(PY) scripts/update_golden.py

# Coverage-guided fuzzing (atheris) of the text-dump decoder and the section, header, appendix
# and body-task parsers for FUZZ_SECONDS; prints executions and coverage at the end.  Crashing
# inputs land in build/fuzz/crashes/, the growing corpus in build/fuzz/corpus/.  FUZZ_ARGS passes
# libFuzzer options, e.g. FUZZ_ARGS=-max_len=4096 (shorter inputs, more executions per second).
FUZZ_SECONDS ?= 600
FUZZ_ARGS    ?=
FUZZ_STAMP := $(VENV)/.fuzz-installed
.PHONY: fuzz
$(FUZZ_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e '.[fuzz]'
	@touch $(FUZZ_STAMP)

fuzz: setup $(FUZZ_STAMP)
	@mkdir -p build/fuzz
	@echo "fuzzing for $(FUZZ_SECONDS) s; libFuzzer's log: build/fuzz/fuzz.log"
	@$(PY) scripts/fuzz_text.py -max_total_time=$(FUZZ_SECONDS) $(FUZZ_ARGS) > build/fuzz/fuzz.log 2>&1; status=$$?; \
	  grep -E '^(Done|#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+== ERROR|.*Uncaught Python exception)' \
	    build/fuzz/fuzz.log; exit $$status
