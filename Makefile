# sdmattn — `make` builds the report, `make test` runs the tests. Both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2
UV := uv==0.13.9
REPORT := paper/build/report.pdf
TEX_PACKAGES := latexmk texlive-latex-base texlive-latex-recommended texlive-science lmodern
BROWSER_PACKAGES := chromium
# Hydra overrides as sdmattn takes them, e.g. make OVERRIDES='preset=smoke sweep.n=[64,128]'
OVERRIDES ?=

.PHONY: all report arxiv test tex browser venv bench lint clean

all: report

# pyproject.toml's pins, installed by uv: the same versions as pip gives, several times faster. Compiled to
# bytecode at install (pip does it too): with PYTHONDONTWRITEBYTECODE set, every job would compile its imports again.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(UV)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test,pretrained,cluster]'  # cluster: the SLURM plugin the live-SLURM test drives
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps $$($(BIN)/python -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["sdmattn"]["no-deps"])')
	$(BIN)/python -m compileall -q src  # the package's own modules too (an edit recompiles in memory)
	touch $@

venv: $(STAMP)

# $(call apt_install,COMMAND,PACKAGES,WHAT[,optional]): when COMMAND is missing, install PACKAGES from
# Debian/Ubuntu's archive with apt-get (sudo if not root); without apt-get, stop, or go on with a note if optional.
define apt_install
	@if ! command -v $(1) >/dev/null 2>&1; then \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "sdmattn: $(1) is missing and apt-get is not available; install: $(2)" >&2; $(if $(4),exit 0,exit 1); fi; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else \
	    echo "sdmattn: $(1) is missing; run as root or install sudo, or install: $(2)" >&2; exit 1; fi; \
	  echo "sdmattn: installing $(3): $(2)"; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(2) >/dev/null; } \
	    || { echo "sdmattn: could not install $(3) with apt-get; install: $(2)" >&2; exit 1; }; \
	fi
endef

# latexmk and TeX Live from Debian/Ubuntu packages, when latexmk is missing.
tex:
	$(call apt_install,latexmk,$(TEX_PACKAGES),TeX)

# Headless Chromium for the test that opens Snakemake's HTML report (skipped, with its reason, without apt-get).
browser:
	$(call apt_install,chromium,$(BROWSER_PACKAGES),a headless browser,optional)

report: venv tex
	$(BIN)/sdmattn build $(OVERRIDES) --cores $(CORES)
	@echo "sdmattn: report at $(REPORT)"

# The arXiv bundle: the report's .tex sources, generated macros and tables, figures and .bbl.
arxiv: venv tex
	$(BIN)/sdmattn build $(OVERRIDES) --cores $(CORES) -- paper/build/arxiv.tar.gz
	@echo "sdmattn: arXiv bundle at paper/build/arxiv.tar.gz"

test: venv tex browser
	$(BIN)/python -m pytest -n $(CORES) --dist loadfile --no-loadscope-reorder  # whole files per worker, in conftest's order

bench: venv
	$(BIN)/python benchmarks/bench_intersection.py
	$(BIN)/python benchmarks/bench_montecarlo.py
	$(BIN)/python benchmarks/bench_memory.py
	$(BIN)/python benchmarks/bench_config.py
	$(BIN)/python benchmarks/bench_scale.py

lint: venv
	$(BIN)/snakemake --lint

clean:
	rm -rf data/intersection data/beta data/beta_fits.nc data/config.resolved.yaml data/logs figures/*.pdf paper/generated paper/build
