# e-PTSP developer commands. `make dev` runs the whole system locally; `make test` runs
# every test. Both install what they need on a fresh machine.

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
# checkov and pip-audit pin their own trees (checkov's boto3 differs from ours): a venv of their own.
TOOLS_VENV ?= .venv-tools
TOOLS_INSTALLED := $(TOOLS_VENV)/.installed
STACK_NAME ?= e-ptsp
REGION ?= ap-southeast-3
# Template parameters of this office ("Name=value ..."; README, Deploying to AWS).
PARAMETERS ?=
ENABLE_WAF ?= true

export PYTHONPATH := $(CURDIR)/layers/shared:$(CURDIR)
export SAM_CLI_TELEMETRY := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: dev test test-fast lint bench validate build statics-build deploy deploy-edge seed-deployed chromium clean tools audit

$(INSTALLED): requirements-dev.txt constraints.txt layers/shared/requirements.txt functions/receipt/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

$(TOOLS_INSTALLED): requirements-tools.txt
	python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-tools.txt
	touch $@

tools: $(TOOLS_INSTALLED)

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Run the whole system locally on http://127.0.0.1:3000 (Ctrl-C stops it).
dev: $(INSTALLED)
	$(PY) -m local_stack --port 3000

## Every test: lint, template, unit, integration and browser. Whole test files are spread over
## one worker per core and one more (each worker starts its own local stack on free ports): the
## workers spend a third of their time waiting on the flow, the browser or the emulator.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: $(INSTALLED) $(TOOLS_INSTALLED) chromium
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

## Everything but the browser tests.
test-fast: $(INSTALLED) $(TOOLS_INSTALLED)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not e2e"

## Speed, cost and scale on the local stack (a few minutes; not part of `make test`): cold start
## to the first answer vs a baseline, AWS calls per request, growth to 10,000 applicants, cost per
## 1,000 applications, weight on a slow phone. Writes benchmarks/results.json and the README's Measured.
bench: $(INSTALLED) chromium
	$(PY) -m benchmarks

lint: $(INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

validate: $(INSTALLED)
	$(VENV)/bin/sam validate --lint

# The console's OpenAPI document is merged before the build (tools/api_document.py). After it,
# everything the functions and the layer ship is compiled to bytecode with the functions'
# Python (Lambda's /var/task and /opt are read-only: without it each cold start compiles
# every module it imports); unchecked-hash: a deployed file never changes under its .pyc.
LAMBDA_PYTHON ?= python3.11
build: $(INSTALLED)
	$(PY) -m tools.api_document
	$(VENV)/bin/sam build
	$(LAMBDA_PYTHON) -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build

## The front end as it ships: content-hashed assets under dist/statics/assets (tools/build_statics.py).
statics-build: $(INSTALLED)
	$(PY) -m tools.build_statics dist/statics

## Deploy to AWS (first time: `sam deploy --guided`), upload the front end, load the catalogue.
# The hashed assets go first and stay (a page loaded before the release still finds its own);
# then index.html, never cached by browsers, and its edge copies invalidated.
deploy: build statics-build
	$(VENV)/bin/sam deploy --stack-name $(STACK_NAME) --region $(REGION) \
		$(if $(PARAMETERS),--parameter-overrides $(PARAMETERS))
	output() { aws cloudformation describe-stacks --stack-name $(STACK_NAME) --region $(REGION) \
		--query "Stacks[0].Outputs[?OutputKey=='$$1'].OutputValue" --output text; } && \
		bucket=$$(output StaticsBucketName) && distribution=$$(output DistributionId) && \
		aws s3 sync dist/statics/assets/ s3://$$bucket/assets/ --region $(REGION) \
			--cache-control "public, max-age=31536000, immutable" && \
		aws s3 cp dist/statics/index.html s3://$$bucket/index.html --region $(REGION) --cache-control no-cache && \
		aws cloudfront create-invalidation --distribution-id $$distribution --paths / /index.html
	$(MAKE) seed-deployed

## What CloudFront takes only from us-east-1 (its log bucket, the optional WAF web ACL): deploy it
## first, then give its outputs to the main stack (CloudFrontLogsBucket, WebAclArn).
deploy-edge:
	aws cloudformation deploy --template-file edge.yaml --stack-name $(STACK_NAME)-edge --region us-east-1 \
		--parameter-overrides EnableWaf=$(ENABLE_WAF) --no-fail-on-empty-changeset
	aws cloudformation describe-stacks --stack-name $(STACK_NAME)-edge --region us-east-1 \
		--query "Stacks[0].Outputs" --output table

seed-deployed: $(INSTALLED)
	AWS_REGION=$(REGION) $(PY) -m tools.load_catalogue --stack-name $(STACK_NAME)

## Known vulnerabilities in every pinned dependency (needs the advisory service on the internet,
## so it is not part of `make test`).
audit: $(TOOLS_INSTALLED)
	@for pinned in constraints.txt requirements-tools.txt; do echo "pip-audit $$pinned"; \
		$(TOOLS_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r $$pinned || exit 1; done

clean:
	rm -rf $(VENV) $(TOOLS_VENV) .aws-sam .pytest_cache .ruff_cache
