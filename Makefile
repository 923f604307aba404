# Kansrijk — the two commands: `make run` and `make test`. Everything they need, they install.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX := src/kansrijk/static/kansrijk/vendor/htmx.min.js
CHARTJS := src/kansrijk/static/kansrijk/vendor/chart.umd.js
# The printable plan van aanpak embeds DejaVu Sans (every Dutch and Polish letter of a client's name); server-side only.
FONT := src/kansrijk/trajectories/fonts/DejaVuSans.ttf

.PHONY: run test bench install system-deps bench-deps assets migrate demo schema clean

run: install assets migrate demo
	@$(BIN)/kansrijk collectstatic --noinput -v0
	@echo "Kansrijk draait op http://127.0.0.1:8000 (stop met Ctrl+C)"
	DEBUG=1 ALLOW_PLAIN_HTTP=1 $(BIN)/kansrijk runserver 127.0.0.1:8000 --insecure

test: install assets system-deps
	scripts/run-tests.sh

bench: install assets bench-deps
	scripts/run-bench.sh

# Debian packages the project needs: PostgreSQL for tests and benchmarks, Chromium for the browser tests, wrk for the
# load benchmark, Node/npm for the vendored assets (below).
system-deps:
	@missing=""; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  if [ -n "$$missing" ]; then echo "Debian-pakketten installeren:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

bench-deps: system-deps
	@command -v wrk >/dev/null 2>&1 || { echo "wrk installeren (Debian-pakket)…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is nodig"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# htmx, Chart.js and the PDF font come from the npm registry at install time; nothing is downloaded at run time.
$(HTMX) $(CHARTJS) $(FONT) &: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	mkdir -p $(dir $(HTMX))
	cp node_modules/htmx.org/dist/htmx.min.js $(HTMX)
	cp node_modules/chart.js/dist/chart.umd.js $(CHARTJS)
	mkdir -p $(dir $(FONT))
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf $(dir $(FONT))
	cp node_modules/dejavu-fonts-ttf/LICENSE $(dir $(FONT))LICENSE

assets: $(HTMX) $(CHARTJS) $(FONT)

migrate: install
	$(BIN)/kansrijk migrate --noinput -v0

demo: migrate
	$(BIN)/kansrijk load_demo

# Regenerate the committed OpenAPI schema (tests fail when it differs from the code).
schema: install
	env -u DATABASE_URL $(BIN)/kansrijk spectacular --file docs/api/openapi.yaml --validate --fail-on-warn

clean:
	rm -rf $(VENV) node_modules kansrijk.sqlite3* var
