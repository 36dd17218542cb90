# qifu — set-up, run and test. `make run` and `make test` do everything on a fresh clone.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test setup deps assets messages migrate demo lint check unit e2e bench clean

run: export DEBUG ?= true
run: export QIFU_DEMO ?= true
run: setup demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup lint check unit e2e

setup: deps assets messages migrate

# The virtual environment is rebuilt only when the pinned requirements change.
deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）/ Python 3.11 is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Bootstrap, htmx, ECharts and icons come from the npm registry and are served by the app itself.
assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: export DEBUG ?= true
messages: deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: export DEBUG ?= true
migrate: deps
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py build_demo

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

check: export SECRET_KEY ?= make-check-only-key-not-for-any-real-deployment-0123456789
check: deps
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

# The unit suite runs on every core (pytest-xdist); the browser journeys run one at a time.
unit: deps
	$(VENV)/bin/pytest qifu -n auto

e2e: deps assets messages
	$(VENV)/bin/pytest e2e

bench: setup
	@for f in bench/*.py; do [ -e "$$f" ] || continue; echo "== $$f"; $(PY) $$f; done

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3* staticfiles
