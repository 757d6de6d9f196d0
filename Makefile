# The single entry points: make dev | test | lint | build | bench | deploy.
# Every target installs what it is missing first, so a fresh clone needs nothing by hand.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
SAM_CLI_VERSION := 1.170.0
# uv installs the same wheels from PyPI as pip, in seconds rather than minutes: with pip the SAM
# CLI alone took four and a half minutes of a fresh CI run on a loaded machine.
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
ENV ?= dev
# The local embedding model's torch, its CPU build, from where pip is configured to look (on these
# machines a wheel on disk; elsewhere give TORCH_INDEX=https://download.pytorch.org/whl/cpu). uv
# would take PyPI's CUDA build, with 2.5 GB of NVIDIA libraries, so pip installs torch first.
TORCH_INDEX ?=
TORCH := torch==2.13.0 $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))

SWAGGER_UI := .local/swagger-ui/swagger-ui-bundle.js
CHROMIUM := /usr/bin/chromium
# make token USER=<sub> GROUPS=<group,...>: USER is in every shell's environment, so only a USER
# given on make's command line names the token's subject.
TOKEN_USER := $(if $(filter command line,$(origin USER)),$(USER),dev-user)

.PHONY: dev test lint format build bench deploy clean deps openapi token

$(VENV)/.installed: requirements-dev.txt layers/funnel_core/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(PY) -c "import torch" 2>/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check $(TORCH)
	$(UV) pip install --quiet --python $(PY) -r requirements-dev.txt
	touch $@

# The SAM CLI pins its own boto3 and pydantic, so it lives in a virtualenv of its own.
$(SAM_VENV)/.installed: | $(VENV)/.installed
	test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(UV) pip install --quiet --python $(SAM_VENV)/bin/python aws-sam-cli==$(SAM_CLI_VERSION)
	touch $@

.local/dynamodb/DynamoDBLocal.jar: | $(VENV)/.installed
	$(PY) -m local.dynamodb_local install

$(SWAGGER_UI): | $(VENV)/.installed
	$(PY) -m local.docs install

LIGHTHOUSE := .local/lighthouse/node_modules/.bin/lighthouse

# Lighthouse from npm (12.2.3: 13 needs Node 22), for the pages' accessibility and SEO tests.
$(LIGHTHOUSE): | $(VENV)/.installed
	$(PY) -m local.lighthouse install

# Debian's Chromium, for the browser tests (apt, so as root).
$(CHROMIUM): | $(VENV)/.installed
	$(PY) -m local.browser install

deps: $(VENV)/.installed $(SAM_VENV)/.installed .local/dynamodb/DynamoDBLocal.jar $(SWAGGER_UI) $(CHROMIUM) $(LIGHTHOUSE)

# exec: the stack is make's own child, so a signal to make (Ctrl-C, kill -INT) reaches it.
dev: $(VENV)/.installed .local/dynamodb/DynamoDBLocal.jar $(SWAGGER_UI)
	exec $(PY) -m local

openapi: $(VENV)/.installed
	$(PY) -m local.openapi

token: $(VENV)/.installed
	@$(PY) -m local.tokens --sub "$(TOKEN_USER)" --groups "$(GROUPS)"

test: deps
	PATH="$(CURDIR)/$(SAM_VENV)/bin:$$PATH" $(PY) -m pytest -n 2 --durations=10

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy layers/funnel_core/python functions local

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

build: $(SAM_VENV)/.installed
	$(SAM) build --parallel

bench: $(VENV)/.installed .local/dynamodb/DynamoDBLocal.jar $(CHROMIUM) $(LIGHTHOUSE)
	$(PY) -m local.bench

# PARAMS: the stack's parameters without defaults (the Stripe keys), with the stage, e.g.
# make deploy ENV=dev PARAMS="Stage=dev StripeSecretKeyArn=arn:… StripeWebhookSecretArn=arn:… StripePublishableKey=pk_test_…"
deploy: build
	$(SAM) deploy --config-env $(ENV) $(if $(PARAMS),--parameter-overrides $(PARAMS))

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
