# The two commands of a fresh machine are `make demo` and `make test`; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
STAMP := node_modules/.install-stamp

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

test: build ## lint, type check and every test suite
	@scripts/check-test-tools.sh
	npm run --silent lint
	npm run --silent typecheck
	npx vitest run

bench: build ## benchmarks (figures as JSON)
	npm run --silent bench

clean: ## remove build output and the local .gmp folder
	rm -rf dist .gmp
