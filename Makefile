# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
PORT ?= 5000

.PHONY: run test lint assets oidc-provider system-deps bench bench-journey bench-children bench-dashboard bench-scale bench-pages fuzz clean translations translations-update

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

system-deps:
	bash scripts/system-deps.sh

assets: system-deps
	bash frontend/build.sh

OIDC_STAMP := tests/oidc/node_modules/.installed
oidc-provider: $(OIDC_STAMP)  # the real OpenID Connect provider the sign-in tests run against (never deployed)
$(OIDC_STAMP): tests/oidc/package.json tests/oidc/package-lock.json | system-deps
	cd tests/oidc && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(OIDC_STAMP)

# The pages' own words in Welsh (ADR 0028): the .po is the source, committed; the .mo is compiled here, never committed.
CATALOGUES := screening/translations
MO := $(CATALOGUES)/cy/LC_MESSAGES/messages.mo
translations: $(MO)
$(MO): $(CATALOGUES)/cy/LC_MESSAGES/messages.po $(STAMP)
	$(VENV)/bin/pybabel -q compile -d $(CATALOGUES)

translations-update: $(STAMP)  # after wrapping words in _(): take them into every catalogue, then write their Welsh
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l --add-location=file --sort-by-file -w 116 \
	  --msgid-bugs-address="" --project=cse-screening -o $(CATALOGUES)/messages.pot screening
	$(VENV)/bin/pybabel -q update -i $(CATALOGUES)/messages.pot -d $(CATALOGUES) -w 116 --ignore-obsolete \
	  --no-fuzzy-matching --ignore-pot-creation-date
	rm $(CATALOGUES)/messages.pot

run: $(STAMP) assets translations
	$(VENV)/bin/screening db upgrade
	$(VENV)/bin/screening db seed
	$(VENV)/bin/screening serve --port $(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check screening tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -r screening
	$(VENV)/bin/pip-audit --progress-spinner off --skip-editable

# Pages' wording in Welsh: what they store is stored by the same flows the PostgreSQL leg runs in English and in
# tests/web/test_welsh_outcomes.py, so they run on SQLite only (keeping `make test` well under 20 minutes).
WORDING_ONLY := $(foreach f,journey record rule training,--ignore=tests/web/test_welsh_$(f)_pages.py)
test: $(STAMP) assets translations oidc-provider lint
	$(VENV)/bin/screening validate rules/default
	$(VENV)/bin/screening vignettes rules/vignettes --rules rules/default
	SCREENING_BROWSER_TESTS=required $(PY) -m pytest -q
	bash scripts/with-postgres.sh $(PY) -m pytest -q tests/store tests/web tests/postgres \
	  tests/fuzz/test_form_requests.py tests/fuzz/test_api_bodies.py $(WORDING_ONLY)  # the PostgreSQL leg

fuzz: $(STAMP)  # the long fuzz run (by hand, random each time): 10,000 of each kind, then the requests and 20
	# trials of eight callers filing one new child at once on PostgreSQL
	SCREENING_FUZZ_EXAMPLES=10000 $(PY) -m pytest -q tests/fuzz
	SCREENING_FUZZ_EXAMPLES=10000 SCREENING_RACE_TRIALS=20 bash scripts/with-postgres.sh $(PY) -m pytest -q \
	  tests/fuzz/test_form_requests.py tests/fuzz/test_api_bodies.py tests/postgres/test_child_race.py

bench: $(BENCH_STAMP)  # the engine beside rule-engine and the hand-written floor; the impact preview at 100,000
	$(PY) bench/bench_engine.py
	$(PY) bench/bench_impact.py --cases 100000 --one-core

bench-children: $(STAMP)  # finding a child and their history among 100,000 screenings, on SQLite then PostgreSQL
	$(PY) bench/bench_children.py
	bash scripts/with-postgres.sh sh -c '$(PY) bench/bench_children.py "$$SCREENING_TEST_DATABASE_URL"'

bench-dashboard: $(STAMP) assets  # the dashboard and the lead's list with 100,000 screenings, SQLite then PostgreSQL
	$(PY) bench/bench_dashboard.py
	bash scripts/with-postgres.sh sh -c '$(PY) bench/bench_dashboard.py "$$SCREENING_TEST_DATABASE_URL"'

bench-scale: $(STAMP) assets  # one PostgreSQL database grown by simulation to 10k, 100k and 1M screenings, measured at each
	bash scripts/with-postgres.sh sh -c '$(PY) bench/bench_scale.py --database-url "$$SCREENING_TEST_DATABASE_URL"'

bench-pages: $(STAMP)  # the signs and outcome pages as fractions of /healthz under gunicorn, and in process
	command -v wrk >/dev/null || { s=$$([ "$$(id -u)" -eq 0 ] || echo sudo); $$s apt-get update -qq && $$s apt-get install -y -qq wrk; }
	$(PY) bench/bench_pages.py

bench-journey: $(STAMP) assets  # page loads, answers, words and printed pages of three screenings, in Chromium
	$(PY) bench/journey.py

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis frontend/node_modules tests/oidc/node_modules screening/web/static/css $(MO)
