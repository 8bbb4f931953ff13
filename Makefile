# Newsdesk: `make run` sets up and serves the app with the seed articles; `make test` runs every test.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SEEDS ?= data/seeds

.PHONY: install install-test setup run test clean

$(VENV)/.requirements: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.requirements-test: requirements-test.txt $(VENV)/.requirements
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

install: $(VENV)/.requirements

install-test: $(VENV)/.requirements-test

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
