# Tessera — every entry point a developer or CI needs. Each target installs what it needs
# first, so on a fresh machine `make cluster` and `make test` are the whole quick start.

PNPM_VERSION := 10.34.9
PORT ?= 5432
WORKERS ?= 2
DATA_DIR ?= ./data

.PHONY: install test-deps build cluster test test-unit test-integration test-crash bench check clean

install:
	@command -v pnpm >/dev/null 2>&1 || npm install -g pnpm@$(PNPM_VERSION)
	pnpm install --frozen-lockfile
	pnpm run build

build:
	pnpm run build

cluster: install
	pnpm tessera cluster --workers $(WORKERS) --port $(PORT) --data-dir $(DATA_DIR)

# The driver matrix needs Debian's psycopg2, psycopg 3 and JDBC driver; PostgreSQL 15 comes with the image.
TEST_PACKAGES = python3-psycopg2 python3-psycopg python3-sqlalchemy libpostgresql-jdbc-java pgcli

test-deps:
	@dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1 \
	  || apt-get install -y $(TEST_PACKAGES) \
	  || (apt-get update && apt-get install -y $(TEST_PACKAGES))

test: install test-deps
	pnpm run test:unit
	pnpm run test:integration

test-unit: install
	pnpm run test:unit

test-integration: install test-deps
	pnpm run test:integration

test-crash: install
	CRASH_ROUNDS=50 pnpm run test:integration

bench: install
	node test/dist/bench/run.js

check: install
	pnpm run check

clean:
	rm -rf packages/*/dist test/dist
