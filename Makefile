# locflow — the two commands of the README:
#   make        set up .venv and run the whole pipeline on source/ (offline: prefill says
#               which translation service it could not reach, and goes on)
#   make test   set up .venv (and gettext's msgfmt) and run the test suite
#
# Installs are pinned: .venv is made from requirements.lock (exact versions with
# hashes), never from the ranges in pyproject.toml, so a fresh clone installs
# the same packages next month. `make lock` refreshes the lock on purpose;
# `make test-latest` runs the tests against the newest releases, to see drift.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCFLOW := $(BIN)/locflow
STAMP := $(VENV)/.installed

LOCK := requirements.lock
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: all pipeline pseudo test test-latest lock system-deps bench bench-deps bench-formats clean

all: pipeline

# Every package (setuptools and wheel included, to build locflow itself) comes
# from the lock, with its hash checked; locflow is then installed without
# resolving anything.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh requirements.lock from the ranges in pyproject.toml (run it on purpose,
# then `make test` and commit the lock with the reason for the upgrade).
LOCK_VENV := .venv-lock
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/python -m pip install $(PIP_FLAGS) 'pip-tools==7.6.2'; }
	$(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --allow-unsafe --strip-extras \
	  --extra test --build-deps-for editable --no-emit-index-url --no-emit-find-links \
	  --output-file $(LOCK) pyproject.toml

# The suite against the newest releases the registry serves (in a venv of its own):
# drift is seen here, on purpose, never in `make test` or CI.
LATEST_VENV := .venv-latest
test-latest: system-deps
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install $(PIP_FLAGS) --upgrade -e '.[test]'
	$(LATEST_VENV)/bin/python -m pip freeze --exclude-editable
	$(LATEST_VENV)/bin/python -m pytest -n auto $(PYTEST_ARGS)

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
# `build -l` adds these languages to build/manifest.json, next to the site's.
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

# The suite on every core (pytest-xdist); PYTEST_ARGS for more, e.g. PYTEST_ARGS="-k po -x".
test: $(STAMP) system-deps
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

# Benchmarks against GNU gettext, po4a and translate-toolkit (bench/run.py; README "Performance").
# The peers are installed for the benchmarks only: po4a from Debian, translate-toolkit in .venv-bench.
BENCH_VENV := .venv-bench
bench-deps: system-deps
	@command -v po4a-updatepo >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1 && test -x /usr/bin/time || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext po4a time >/dev/null; }
	@test -x $(BENCH_VENV)/bin/pot2po && test -x $(BENCH_VENV)/bin/md2po2md || { test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV); \
	  $(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt; }

BENCH_ARGS ?= --articles 100 --languages 5
bench: $(STAMP) bench-deps
	$(BIN)/python bench/run.py $(BENCH_ARGS) --peers-bin $(BENCH_VENV)/bin

# The real-document corpus (tests/corpus.py) through locflow, mdpo, po4a and translate-toolkit,
# and how long documents nested 3,000 deep take.
bench-formats: $(STAMP) bench-deps
	$(BIN)/python bench/formats.py --peers-python $(BENCH_VENV)/bin/python

clean:
	rm -rf build .locflow-cache
