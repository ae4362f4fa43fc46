# locflow — the two commands of the README:
#   make        set up .venv and run the whole pipeline on source/ (offline: prefill says
#               which translation service it could not reach, and goes on)
#   make test   set up .venv (and gettext's msgfmt) and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCFLOW := $(BIN)/locflow
STAMP := $(VENV)/.installed

.PHONY: all pipeline pseudo test system-deps bench bench-deps clean

all: pipeline

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# check exits 1 when translations are incomplete or have findings: that is the expected
# state of a site being translated, so the pipeline goes on and says so; 2 (bad input) stops it.
pipeline: $(STAMP)
	$(LOCFLOW) extract
	$(LOCFLOW) update
	$(LOCFLOW) prefill
	@$(LOCFLOW) check; status=$$?; \
	if [ $$status -eq 1 ]; then echo "Not every language passes the check yet (threshold or findings above): the build uses the source text where a translation is missing, and build/manifest.json says what is publishable."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi
	$(LOCFLOW) build --site

# A pseudo-localized build, offline: every string that goes through the catalogs comes out
# accented, lengthened and in brackets; what stays plain English is not translatable yet.
# `build -l` writes build/manifest.json for these languages only: run `make` again for the site's.
PSEUDO ?= en_XA ar_XB
pseudo: $(STAMP)
	$(LOCFLOW) extract
	$(LOCFLOW) pseudo $(foreach code,$(PSEUDO),-l $(code))
	$(LOCFLOW) build $(foreach code,$(PSEUDO),-l $(code))

# gettext's msgfmt is the reference the tests compare against; the preview site is
# opened in Debian's chromium (with DejaVu fonts for Armenian and Arabic).
system-deps:
	@command -v msgfmt >/dev/null 2>&1 || { \
	  echo "Installing gettext (msgfmt) from Debian's packages..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	@test -x /usr/bin/chromium || { \
	  echo "Installing chromium from Debian's packages (for the preview-site test)..."; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

# Benchmarks against GNU gettext, po4a and translate-toolkit (bench/run.py; README "Performance").
# The peers are installed for the benchmarks only: po4a from Debian, translate-toolkit in .venv-bench.
BENCH_VENV := .venv-bench
bench-deps: system-deps
	@command -v po4a-updatepo >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1 && test -x /usr/bin/time || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext po4a time >/dev/null; }
	@test -x $(BENCH_VENV)/bin/pot2po || { $(PYTHON) -m venv $(BENCH_VENV) && \
	  $(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt; }

BENCH_ARGS ?= --articles 100 --languages 5
bench: $(STAMP) bench-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS) --peers-bin $(BENCH_VENV)/bin

clean:
	rm -rf build .locflow-cache
