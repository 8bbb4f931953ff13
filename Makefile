# Newsdesk: `make run` sets up and serves the app with the seed articles; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SEEDS ?= data/seeds
BROWSER_TESTS := tests/browser

.PHONY: install install-test setup run test clean

$(VENV)/.requirements: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.requirements-test: requirements-test.txt $(VENV)/.requirements
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

install: $(VENV)/.requirements

# The browser tests drive Debian's Chromium (Playwright never downloads a browser of its own here).
/usr/bin/chromium:
	@if [ "$$(id -u)" != 0 ]; then echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# axe-core for the accessibility check, at the version pinned in package-lock.json.
$(BROWSER_TESTS)/node_modules/.installed: $(BROWSER_TESTS)/package-lock.json
	@command -v npm >/dev/null || [ "$$(id -u)" != 0 ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	cd $(BROWSER_TESTS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-test: $(VENV)/.requirements-test /usr/bin/chromium $(BROWSER_TESTS)/node_modules/.installed

# Safe to run again: migrations are idempotent, seeds already stored are reported as duplicates.
setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ingest $(SEEDS)
	$(PY) manage.py index_check --repair

run: setup
	$(VENV)/bin/gunicorn --config newsdesk/gunicorn.conf.py

test: install-test
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var
