PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test test-lambda lint format bench bench-lambda package clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

# Builds the Lambda package and serves API Gateway events from the unpacked zip.
test-lambda: install
	$(BIN)/pytest -m lambda_package tests/lambda

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/verify_activity_log.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The Lambda zip of a stage (STAGE=dev for the other one), built from a fresh
# .venv-package that holds only requirements.txt; prints the zip's size.
STAGE ?= production
package:
	$(PYTHON) deploy/package.py --stage $(STAGE)

# Cold start of the packaged function: process start to first response.
bench-lambda: install
	$(BIN)/pytest -m lambda_package tests/lambda -k "health or imports"

clean:
	rm -rf $(VENV) .venv-package staticfiles build dist .pytest_cache .ruff_cache
