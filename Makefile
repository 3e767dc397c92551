# The two commands a newcomer needs: `make demo` and `make test`. Both create .venv and install first.
# `make test` runs the suite on every core, then the tests that start a Celery worker on their own: they share the
# broker's queue, so two at once would take each other's tasks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock demo test bench check clean

# The dependencies are listed once, in pyproject.toml; requirements.lock pins every one of them (runtime and the dev
# tools) for Python 3.11 on Linux, with the hashes of their files, and is what gets installed.
$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

install: $(STAMP)

# After a change to the dependencies in pyproject.toml: pins them again (newest versions within the ranges).
lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" --quiet -o requirements.lock

# The demo runs as production does, DEBUG off: friendly error pages, tracebacks in this console, static files
# collected and served by WhiteNoise. Only what plain http on this machine needs differs: no HTTPS redirect, no
# secure-only cookies, no HSTS, and a fresh random SECRET_KEY each start (signing in again after a restart).
# DATABASE_URL and STATIC_ROOT, when set, are used as they are (by default db.sqlite3 and staticfiles/ here).
# E-mails (invitations) are written as files to demo-mail/ here: with DEBUG off the console backend is refused.
DEMO_ENV = DEBUG=0 ALLOWED_HOSTS=$(HOST),localhost,127.0.0.1 EMAIL_URL=filemail:///demo-mail \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 SECURE_HSTS_PRELOAD=0

demo: install
	@$(DEMO_ENV) $(PY) manage.py migrate --noinput
	@# --force: DEBUG is off, and this database is the demo's
	@$(DEMO_ENV) $(PY) manage.py load_demo --force
	@$(DEMO_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Closeloop is served on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	@$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n auto -m "not real_worker"
	$(PY) -m pytest -m real_worker

bench: install
	@for script in benchmarks/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) "$$script" || exit 1; done

# Lint and formatting (ruff), the import contracts between the apps (import-linter), types of the pure modules
# (mypy), Django's system checks and no model change without its migration. Settings in pyproject.toml.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles demo-mail test-output .pytest_cache .mypy_cache .ruff_cache \
		.import_linter_cache
