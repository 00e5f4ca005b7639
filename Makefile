# Photoshoot — the two commands: `make run` and `make test`. Every target installs what is
# missing by itself, so a fresh clone needs nothing installed by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
export PYTHONPATH := $(CURDIR):$(CURDIR)/layers
export AWS_DEFAULT_REGION ?= eu-central-1
NPM := npm --prefix static_site --no-audit --no-fund

.PHONY: run test deps spa chromium test-python test-unit test-integration test-spa test-e2e \
        package lint-infra samples bench deploy clean

$(STAMPS):
	mkdir -p $(STAMPS)

$(STAMPS)/venv: requirements.txt requirements-dev.txt | $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(STAMPS)/npm: static_site/package.json static_site/package-lock.json | $(STAMPS)
	$(NPM) ci --loglevel=error
	touch $@

# The local front's URL for the share tags and sitemap (static_site/scripts/publicSite.ts);
# VITE_PUBLIC_ORIGIN= (empty) builds without them. The deploy builds its own, for its origin.
static_site/dist/index.html: $(STAMPS)/npm $(shell find static_site/src static_site/public static_site/index.html static_site/vite.config.ts static_site/scripts/publicSite.ts -type f 2>/dev/null)
	VITE_PUBLIC_ORIGIN="$${VITE_PUBLIC_ORIGIN-http://localhost:$${PORT:-8000}}" $(NPM) run build

deps: $(STAMPS)/venv $(STAMPS)/npm

spa: static_site/dist/index.html

# Debian's Chromium for the browser tests (a tool's own browser download cannot work here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: deps spa
	$(PY) -m infra.local.stack

test: deps spa chromium
	$(MAKE) --no-print-directory test-python test-spa package

test-python:
	$(PY) -m pytest -q tests

test-unit:
	$(PY) -m pytest -q tests/unit tests/infrastructure

test-integration:
	$(PY) -m pytest -q tests/integration tests/e2e

test-spa:
	$(NPM) test

# Package the app as CloudFormation exactly as a deploy would, then lint the result offline.
package: $(STAMPS)/venv
	$(PY) -m infra.package build/package
	$(VENV)/bin/cfn-lint build/package/sam.yaml

# A whole deploy to AWS (docs/deploy.md): make deploy DEPLOY_ARGS="--artifacts-bucket … --support-contact …"
deploy: deps spa
	$(PY) -m infra.deploy $(DEPLOY_ARGS)

samples: $(STAMPS)/venv
	$(PY) infra/samples.py

# Every benchmark runs; the ones over their budget are listed at the end (and fail the target).
bench: deps spa
	@over=""; for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || over="$$over $$b"; done; \
	if [ -n "$$over" ]; then echo "over budget:$$over"; exit 1; fi

clean:
	rm -rf $(STAMPS) build vendor static_site/dist
