# Parley developer entry points.
#
#   make run    build the server with the web client inside it, run it (SQLite + ./data)
#   make test   run every check and test; needs PostgreSQL, Redis, Node.js 20+
#               (npm), psql and Chromium (installed when possible, see APT_INSTALL)
#
# Both build libjpeg-turbo (thumbnails) from source, which needs cmake and
# nasm, and `make test` also needs psql and Chromium: each is installed with
# apt-get when this user can do so without a password (root, or `sudo -n`),
# and otherwise the error says exactly what to run (see APT_INSTALL). Both
# build the React client in web/ with Node.js 20+ and npm; the release
# binary `make run` builds carries that client inside it.
#
# Every variable below can be overridden from the environment or the command
# line, e.g. `PG_ADMIN_URL=postgres://me@db:5432/postgres make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO ?= cargo

# Admin connection used to drop and recreate the test database.
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# Database the test suite uses; it is dropped and recreated on every `make test`.
PARLEY_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/parley_test
PARLEY_TEST_REDIS_URL ?= redis://127.0.0.1:6379
# The browser the end-to-end tests drive (Debian's chromium package).
CHROMIUM ?= /usr/bin/chromium
# Seconds to wait for a server before declaring it unreachable.
CONNECT_TIMEOUT ?= 5
# Repo-local tools: the S3-compatible server the media tests run against.
TOOLS_DIR := $(CURDIR)/.tools
S3S_FS_VERSION := 0.14.1

# The tests read these two from the environment.
export PARLEY_TEST_POSTGRES_URL PARLEY_TEST_REDIS_URL

# Database name = last path segment of PARLEY_TEST_POSTGRES_URL, without any
# ?query, so overriding the URL also changes which database is recreated.
PARLEY_TEST_DB := $(firstword $(subst ?, ,$(lastword $(subst /, ,$(PARLEY_TEST_POSTGRES_URL)))))

# Shell code for a recipe: installs the Debian packages named in $$pkgs
# (wanted because of $$why) with apt-get when that needs no password: as
# root, or through passwordless sudo (`sudo -n`, never a prompt). Otherwise
# it fails, saying what to run. The caller checks afterwards that the tool
# it wanted is there. One definition for every apt-installed prerequisite.
define APT_INSTALL
if command -v apt-get >/dev/null 2>&1 && [[ "$$(id -u)" == 0 ]]; then \
  echo "installing $$pkgs with apt-get: $$why" >&2; \
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs; \
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
  echo "installing $$pkgs with sudo apt-get: $$why" >&2; \
  sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs; \
elif command -v apt-get >/dev/null 2>&1; then \
  echo "error: $$pkgs not installed: $$why." >&2; \
  echo "       Install with: sudo apt-get install -y $$pkgs   (then run make again)" >&2; \
  exit 1; \
else \
  echo "error: $$pkgs not installed: $$why." >&2; \
  echo "       Install the packages named $$pkgs with your system's package manager (Debian: apt-get install -y $$pkgs)" >&2; \
  exit 1; \
fi
endef

.PHONY: run test fmt fmt-check lint migrate native-deps node-tools web-deps web test-postgres test-redis test-node test-s3 test-cargo test-web test-e2e

# Build and run the release server with its defaults (127.0.0.1:8080,
# SQLite, ./data). The release build builds the web client first when its
# sources are newer than web/dist (crates/parley-server/build.rs: npm ci when
# needed, npm run build) and carries it inside the binary, which serves it
# at /. Needs rustup + cargo (rust-toolchain.toml installs the toolchain),
# the native build tools of `native-deps`, and Node.js 20+ with npm.
run: native-deps node-tools
	$(CARGO) run --release --bin parley -- serve

# Node.js 20+ and npm, needed to build the web client and by the realtime and
# end-to-end tests.
node-tools:
	@for tool in node npm; do \
	  if ! command -v "$$tool" >/dev/null 2>&1; then \
	    echo "error: '$$tool' is required (the web client in web/ and the realtime tests need Node.js 20+) but is not on PATH." >&2; \
	    echo "       Install Node.js 20+ with npm, e.g. on Debian/Ubuntu: sudo apt-get install -y nodejs npm" >&2; \
	    exit 1; \
	  fi; \
	done
	@major="$$(node -p 'process.versions.node.split(".")[0]')"; \
	if [[ "$$major" -lt 20 ]]; then \
	  echo "error: Node.js 20+ is required, found $$(node --version)" >&2; \
	  exit 1; \
	fi

# The web client's packages, exactly as web/package-lock.json pins them;
# reinstalled only when missing or older than the lockfile (npm records each
# install in node_modules/.package-lock.json).
web-deps: node-tools
	@if [[ ! -f web/node_modules/.package-lock.json || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then \
	  echo "installing the web client's packages (npm ci)"; \
	  npm ci --prefix web --no-audit --no-fund; \
	fi

# Build the web client into web/dist (type check, then vite build) now,
# whatever its age. The next release build embeds it; a debug server reads
# it from disk; PARLEY_WEB_DIR=web/dist serves it from any binary.
web: web-deps
	npm --prefix web run build

# Step 2 (and the first step of `make run`): build tools for native code.
# The turbojpeg crate builds libjpeg-turbo 3 (the version its API needs;
# Debian 12 packages 2.1) with cmake, and its SIMD code with nasm. Installed
# by APT_INSTALL when possible; otherwise it says what to run.
native-deps:
	@pkgs=""; \
	for tool in cmake nasm; do command -v "$$tool" >/dev/null 2>&1 || pkgs="$$pkgs $$tool"; done; \
	pkgs="$${pkgs# }"; \
	if [[ -n "$$pkgs" ]]; then \
	  why="building Parley compiles libjpeg-turbo (image thumbnails), which needs cmake and nasm"; \
	  $(APT_INSTALL); \
	  for tool in $$pkgs; do command -v "$$tool" >/dev/null 2>&1 || { echo "error: installing $$tool did not put it on PATH" >&2; exit 1; }; done; \
	fi

# The one command that runs everything. Steps run in this order, and the
# first failure stops the run; nothing is ever skipped.
test:
	@$(MAKE) --no-print-directory fmt-check
	@$(MAKE) --no-print-directory native-deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-postgres
	@$(MAKE) --no-print-directory test-redis
	@$(MAKE) --no-print-directory test-node
	@$(MAKE) --no-print-directory test-s3
	@$(MAKE) --no-print-directory test-cargo
	@$(MAKE) --no-print-directory test-web
	@$(MAKE) --no-print-directory test-e2e

fmt:
	$(CARGO) fmt --all

# Step 1: formatting is checked, not fixed, so CI fails on unformatted code.
fmt-check:
	$(CARGO) fmt --all -- --check

# Step 3: lints on every crate and target (tests included); warnings are errors.
lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

# Apply database migrations using the normal configuration (PARLEY_DATABASE_URL).
migrate:
	$(CARGO) run --release --bin parley -- migrate

# Step 4: a fresh, dedicated PostgreSQL database for this run, so results never
# depend on leftovers from an earlier run. psql is installed by APT_INSTALL
# when possible; otherwise it says what to run. An unreachable server is an
# error: the PostgreSQL tests must run, not be skipped.
test-postgres:
	@if ! command -v psql >/dev/null 2>&1; then \
	  pkgs=postgresql-client; why="'make test' recreates its PostgreSQL test database with psql"; \
	  $(APT_INSTALL); \
	  command -v psql >/dev/null 2>&1 || { echo "error: installing postgresql-client did not put psql on PATH" >&2; exit 1; }; \
	fi
	@case "$(PARLEY_TEST_DB)" in \
	  ''|postgres|template0|template1) \
	    echo "error: refusing to recreate database '$(PARLEY_TEST_DB)' taken from PARLEY_TEST_POSTGRES_URL=$(PARLEY_TEST_POSTGRES_URL)" >&2; \
	    exit 1;; \
	esac
	@if ! PGCONNECT_TIMEOUT=$(CONNECT_TIMEOUT) psql "$(PG_ADMIN_URL)" -X -q -A -t -c 'SELECT 1' >/dev/null; then \
	  echo "error: PostgreSQL is required for the test suite at $(PG_ADMIN_URL) but the connection failed (psql error above):" >&2; \
	  echo "       start it (trust auth for user postgres on 127.0.0.1:5432) or set PG_ADMIN_URL and PARLEY_TEST_POSTGRES_URL" >&2; \
	  exit 1; \
	fi
	PGCONNECT_TIMEOUT=$(CONNECT_TIMEOUT) psql "$(PG_ADMIN_URL)" -X -q -v ON_ERROR_STOP=1 \
	  -c 'DROP DATABASE IF EXISTS "$(PARLEY_TEST_DB)" WITH (FORCE)' \
	  -c 'CREATE DATABASE "$(PARLEY_TEST_DB)"'

# Step 5: Redis must answer PING. Uses bash's /dev/tcp so redis-cli is not
# needed; host and port come from PARLEY_TEST_REDIS_URL. An unreachable
# server is an error, for the same reason as PostgreSQL. The many-node tests
# also start a redis-server of their own (installed by APT_INSTALL if missing).
test-redis:
	@hp='$(PARLEY_TEST_REDIS_URL)'; hp="$${hp#*://}"; hp="$${hp##*@}"; hp="$${hp%%/*}"; \
	host="$${hp%:*}"; port="$${hp##*:}"; [[ "$$hp" == *:* ]] || port=6379; \
	reply="$$(timeout $(CONNECT_TIMEOUT) bash -c \
	  'exec 3<>"/dev/tcp/$$0/$$1" && printf "PING\r\n" >&3 && IFS= read -r -t "$$2" r <&3 && printf "%s" "$$r"' \
	  "$$host" "$$port" $(CONNECT_TIMEOUT) 2>/dev/null | tr -d '\r' || true)"; \
	if [[ "$$reply" != "+PONG"* ]]; then \
	  echo "error: Redis is required for the test suite at $(PARLEY_TEST_REDIS_URL) ($$host:$$port) but did not answer PING with +PONG (got: '$$reply'):" >&2; \
	  echo "       start it or set PARLEY_TEST_REDIS_URL" >&2; \
	  exit 1; \
	fi; \
	echo "Redis at $$host:$$port answered PING"
	@if ! command -v redis-server >/dev/null 2>&1; then \
	  pkgs="redis-server"; why="the many-node tests start a Redis server of their own (to stop and restart it)"; \
	  $(APT_INSTALL); \
	  command -v redis-server >/dev/null 2>&1 || { echo "error: installing redis-server did not put it on PATH" >&2; exit 1; }; \
	fi

# Step 6: the realtime tests drive the server with the official socket.io-client
# (tests/realtime), so Node.js 20+ and npm are required; the packages are
# installed exactly as package-lock.json pins them (npm ci), never skipped.
test-node: node-tools
	npm ci --prefix tests/realtime --no-audit --no-fund

# Step 7: the media tests run the S3 backend against s3s-fs, a small
# S3-compatible server, which the tests start themselves; it is installed
# once into .tools/ at the pinned version (cargo install, from crates.io).
test-s3:
	@if [[ -x "$(TOOLS_DIR)/bin/s3s-fs" ]] && "$(TOOLS_DIR)/bin/s3s-fs" --version 2>/dev/null | grep -q "$(S3S_FS_VERSION)"; then \
	  echo "s3s-fs $(S3S_FS_VERSION) is in $(TOOLS_DIR)/bin"; \
	else \
	  echo "installing s3s-fs $(S3S_FS_VERSION) into $(TOOLS_DIR) (used by the S3 media tests)"; \
	  $(CARGO) install s3s-fs --version $(S3S_FS_VERSION) --locked --features binary --root "$(TOOLS_DIR)"; \
	fi

# Step 8: every test in the workspace, against SQLite and the PostgreSQL and
# Redis prepared above (URLs exported at the top of this file).
test-cargo:
	$(CARGO) test --workspace --locked

# Step 9: the web client: its packages installed exactly as the lockfile pins
# them (always, like step 6), its unit tests (Vitest), then the production
# build, whose `tsc` pass is the strict type check.
test-web: node-tools
	npm ci --prefix web --no-audit --no-fund
	npm --prefix web test
	npm --prefix web run build

# Step 10: the end-to-end journeys (web/e2e) in a real headless Chromium
# against a real `parley serve` on a fresh database. Chromium is installed
# by APT_INSTALL when possible; otherwise it says what to run. The
# debug server binary reuses step 8's build; the client is rebuilt only if a
# source is newer than the build step 9 made. Screenshots land in
# web/e2e/artifacts/.
test-e2e: node-tools
	@if [[ ! -x "$(CHROMIUM)" ]]; then \
	  pkgs=chromium; why="the end-to-end tests drive Chromium at $(CHROMIUM) (or set CHROMIUM=/path/to/chromium)"; \
	  $(APT_INSTALL); \
	  [[ -x "$(CHROMIUM)" ]] || { echo "error: installing chromium did not create $(CHROMIUM); set CHROMIUM=/path/to/chromium" >&2; exit 1; }; \
	fi
	$(CARGO) build --locked --bin parley
	@if [[ ! -f web/dist/index.html || ! -d web/node_modules ]] || \
	   [[ -n "$$(find web/src web/public web/index.html web/vite.config.ts web/package-lock.json -newer web/dist/index.html -print -quit 2>/dev/null)" ]]; then \
	  $(MAKE) --no-print-directory web; \
	fi
	CHROMIUM="$(CHROMIUM)" npm --prefix web run e2e
