# The two commands of a fresh machine are `make demo` and `make test`; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
STAMP := node_modules/.install-stamp
# The test tools scripts/install-test-tools.sh installs (moto_server, cfn-lint) come first on PATH.
export PATH := $(CURDIR)/.tools/python/bin:$(PATH)

.PHONY: help install build demo test lint typecheck unit bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(STAMP) ## install npm dependencies (npm ci)

build: $(STAMP) ## compile TypeScript to dist/
	npm run --silent build

demo: build ## run the main job on the embedded default (sandbox, local lake, DuckDB)
	node bin/gmp.js demo

lint: $(STAMP) ## eslint
	npm run --silent lint

typecheck: $(STAMP) ## tsc --noEmit over sources, tests and benchmarks
	npm run --silent typecheck

test: build ## install the test tools, lint, type check and run every test suite
	@scripts/install-test-tools.sh
	npm run --silent lint
	npm run --silent typecheck
	npx vitest run
	$(MAKE) test-infra

bench: build ## benchmarks (figures as JSON)
	npm run --silent bench

clean: ## remove build output, the local .gmp folder and the installed test tools (.tools)
	rm -rf dist .gmp .tools

# The local stack (docker-compose.yml): needs Docker with the Compose v2 plugin.
.PHONY: up down
require-compose = docker compose version >/dev/null 2>&1 || { echo "error: make $@ needs Docker Compose v2 (the \`docker compose\` command): install Docker Desktop, or Docker Engine with the docker-compose-plugin package" >&2; exit 1; }

up: ## start the local stack (MinIO, Postgres, RAWG sandbox, gmp daemon) with docker compose
	@$(require-compose)
	docker compose up -d --build

down: ## stop the local stack; volumes are kept (`docker compose down -v` deletes them)
	@$(require-compose)
	docker compose down

# The AWS CDK app (infra/) is its own npm package: aws-cdk-lib never enters the runtime install.
INFRA_STAMP := infra/node_modules/.install-stamp
.PHONY: cdk-synth test-infra

$(INFRA_STAMP): infra/package.json infra/package-lock.json
	cd infra && npm ci --no-audit --no-fund
	@touch $@

cdk-synth: $(INFRA_STAMP) ## synthesize the CDK app offline into infra/cdk.out (no AWS account, no docker)
	cd infra && npm run --silent synth

test-infra: $(INFRA_STAMP) ## type check and test the CDK app (templates, cdk-nag, cfn-lint)
	cd infra && npm run --silent typecheck
	cd infra && npm test --silent
