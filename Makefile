# SoRa: `make run` serves the demo, `make test` runs the tests. Both set up what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_REPORTS ?= 120
# COMPARISON=1: the demo also holds synthetic counties' harvested exports to compare with (README, "Comparing counties").
COMPARISON ?=

.PHONY: run test setup system-packages db translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

translations/en/LC_MESSAGES/messages.mo: translations/en/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations

translations: translations/en/LC_MESSAGES/messages.mo

setup: $(VENV)/.installed translations

# Pango for the compilation PDFs (installed when run as root; otherwise the command to run is printed).
system-packages:
	@scripts/system-packages.sh

db: setup system-packages
	$(FLASK) db upgrade
	$(FLASK) seed-demo --reports $(DEMO_REPORTS)
	@if [ -n "$(COMPARISON)" ]; then $(FLASK) seed-comparison-demo; fi

# The scheduler (mail, deadline reminders, digests) runs beside the web server and stops with it.
run: db
	@echo
	@echo "SoRa: http://$(HOST):$(PORT)/  (kirjaudu yllä olevilla demotunnuksilla; Ctrl+C lopettaa)"
	@echo "Sähköpostit: ilman SORA_MAIL_SERVER-asetusta viestit tallentuvat kansioon instance/mail/"
	@echo
	$(FLASK) scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# axe-core, which the browser tests inject into pages; without npm (or Chromium) those tests are skipped.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the browser tests will be skipped"; fi

test: setup system-packages node_modules/.package-lock.json
	$(BIN)/pytest $(PYTEST_ARGS)

# Refresh the message catalogue after changing user-facing text, then translate the new entries.
extract-messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache node_modules .hypothesis test-artifacts
