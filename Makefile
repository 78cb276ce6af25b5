# Two commands: `make html` (set up and build the example site) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUTPUT ?= output
PORT   ?= 8000

.PHONY: html test serve publish validate install install-test clean

$(BIN)/dashboard: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install: $(BIN)/dashboard

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

serve: html
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(OUTPUT)

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf $(OUTPUT) .output-* .cache
