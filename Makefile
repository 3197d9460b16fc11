# The two commands a fresh machine needs:
#   make run   — install covermap and open the app on the demo province
#   make test  — install what the tests need (system packages included) and run them
VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
# Debian packages: the app needs a CJK font for exported maps; the tests add Chromium
# for the browser tests, LibreOffice Impress (briefing decks as PDF), and poppler and
# MuPDF (two PDF readers, to see that an exported PDF opens in more than one), and
# PostgreSQL with PostGIS: the store tests start a throwaway cluster of their own.
RUN_DEBS = fonts-noto-cjk
DEBS     = $(RUN_DEBS) chromium libreoffice-impress poppler-utils mupdf-tools \
           postgresql postgresql-postgis

.PHONY: run test bench bench-peers system-deps run-system-deps

run: run-system-deps $(VENV)/.run-deps
	$(PY) cli.py summary --level league --item overall
	$(PY) -m streamlit run app.py --server.headless true

test: system-deps $(VENV)/.test-deps
	$(PY) -m pytest -q

bench: $(VENV)/.run-deps
	$(PY) bench/benchmark.py --rebuild

# covermap's maps beside naive and lean folium in headless Chromium (make test installs it).
bench-peers: $(VENV)/.run-deps
	$(PY) bench/peers.py

$(VENV)/.run-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $(VENV)/.run-deps $@

# apt-get only what is missing, so that a second run costs nothing.
system-deps run-system-deps:
	@missing=$$(for p in $(if $(filter run-%,$@),$(RUN_DEBS),$(DEBS)); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
