# locflow — the two commands of the README:
#   make        set up .venv and run the whole pipeline on source/ (offline)
#   make test   set up .venv (and gettext's msgfmt) and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LOCFLOW := $(BIN)/locflow
STAMP := $(VENV)/.installed

.PHONY: all pipeline test system-deps clean

all: pipeline

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# check exits 1 when translations are incomplete: that is the expected state of a
# site being translated, so the pipeline goes on and says so; 2 (bad input) stops it.
pipeline: $(STAMP)
	$(LOCFLOW) extract
	$(LOCFLOW) update
	@$(LOCFLOW) check; status=$$?; \
	if [ $$status -eq 1 ]; then echo "Not every language meets its threshold yet: the build uses the source text where a translation is missing."; \
	elif [ $$status -ne 0 ]; then exit $$status; fi
	$(LOCFLOW) build --site

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

clean:
	rm -rf build .locflow-cache
