# e-PTSP developer commands. `make dev` runs the whole system locally; `make test` runs
# every test. Both install what they need on a fresh machine.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
STACK_NAME ?= e-ptsp
REGION ?= ap-southeast-3

export PYTHONPATH := $(CURDIR)/layers/shared:$(CURDIR)
export SAM_CLI_TELEMETRY := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: dev test test-fast lint bench validate build deploy seed-deployed chromium clean

$(INSTALLED): requirements-dev.txt constraints.txt layers/shared/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Run the whole system locally on http://127.0.0.1:3000 (Ctrl-C stops it).
dev: $(INSTALLED)
	$(PY) -m local_stack --port 3000

## Every test: lint, template, unit, integration and browser.
test: $(INSTALLED) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest

## Everything but the browser tests.
test-fast: $(INSTALLED)
	$(PY) -m pytest -m "not e2e"

## Cold-start benchmarks (import time and memory per function) against their budgets.
bench: $(INSTALLED)
	$(PY) -m benchmarks.cold_start

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

validate: $(INSTALLED)
	$(VENV)/bin/sam validate --lint

build: $(INSTALLED)
	$(VENV)/bin/sam build

## Deploy to AWS (first time: `sam deploy --guided`), upload the front end, load the catalogue.
deploy: build
	$(VENV)/bin/sam deploy --stack-name $(STACK_NAME) --region $(REGION)
	bucket=$$(aws cloudformation describe-stacks --stack-name $(STACK_NAME) --region $(REGION) \
		--query "Stacks[0].Outputs[?OutputKey=='StaticsBucketName'].OutputValue" --output text) && \
		aws s3 sync statics/ s3://$$bucket/ --delete --region $(REGION)
	$(MAKE) seed-deployed

seed-deployed: $(INSTALLED)
	AWS_REGION=$(REGION) $(PY) -m tools.load_catalogue --stack-name $(STACK_NAME)

clean:
	rm -rf $(VENV) .aws-sam .pytest_cache .ruff_cache
