# Two commands: `make html` (set up and build the example site) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUTPUT ?= output
PORT   ?= 8000

.PHONY: html test serve preview publish bench validate install system-packages install-test clean

$(BIN)/dashboard: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

# What the PDF renderer (WeasyPrint) loads from the system, from Debian's packages: Pango, HarfBuzz's
# subsetter, and Liberation Sans (the stylesheet's Arial), so a PDF embeds the same font on every machine,
# whether or not Chromium's packages brought it. Checked at every install; installed only when missing.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation

system-packages:
	@command -v dpkg-query >/dev/null 2>&1 || { echo "Not Debian: install Pango, HarfBuzz and the Liberation fonts for the PDFs (README)"; exit 0; }; \
	missing=$$(for p in $(PDF_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	test -z "$$missing" || { echo "Installing" $$missing "(for the PDFs)"; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }

install: $(BIN)/dashboard system-packages

# Test tooling: pytest and Playwright (Python), axe-core and the Nu Html Checker (npm),
# Debian's Chromium (Playwright cannot download its own browser here).
$(VENV)/.test-tools: $(BIN)/dashboard package.json package-lock.json
	$(BIN)/pip install --quiet -e '.[test]'
	npm ci --silent --no-audit --no-fund
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@touch $@

install-test: $(VENV)/.test-tools

validate: install
	$(BIN)/dashboard validate data

html: install
	$(BIN)/dashboard build --output $(OUTPUT)

publish: install
	$(BIN)/dashboard build --settings publishconf.py --output $(OUTPUT) --strict

# The scale benchmark (issue 15): a synthetic council of MEASURES measures and SPENDING more spending rows,
# built cold and rebuilt, then councils of twice the measures built cold (growth, and memory with
# 500,000 payments); about half an hour at the default size. QUICK=1 leaves the larger councils out.
MEASURES ?= 1000
SPENDING ?= 200000
bench: install
	$(BIN)/python bench/scale.py --measures $(MEASURES) --spending $(SPENDING) $(if $(filter 1 yes true,$(QUICK)),--quick)

# A preview on this computer (with the preview banner), rebuilt when a file changes.
serve: install
	$(BIN)/dashboard serve --port $(PORT) --output $(OUTPUT)

# A pull request's build: the site as it would be, marked as a preview on every page.
preview: install
	$(BIN)/dashboard build --preview --output $(OUTPUT)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf $(OUTPUT) .$(OUTPUT)-* .cache
