#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up everything the tests need on a fresh machine, then
# typecheck, lint, format check and the whole vitest suite against real Postgres, NATS, Redis and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
# Service control (start-stop-daemon, dockerd, pg_ctlcluster) lives in sbin; a caller with a minimal PATH must still work.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
step() { printf '\n== %s\n' "$*" >&2; }

step "dependencies (npm install when the lock file changed; npm ci rejects the optional platform packages npm cannot lock)"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node --version

step "services: PostgreSQL, NATS, Redis, Docker engine, Chromium"
bash scripts/ensure-services.sh
DOCKER_HOST="$(cat .docker-host)"
export DOCKER_HOST

if [ -f samples/spring-orders/scripts/build.sh ]; then
  step "Spring sample: Maven build (cached in ~/.m2)"
  bash samples/spring-orders/scripts/build.sh
fi

step "typecheck"
tsc -p tsconfig.json
step "lint"
eslint --max-warnings=0 .
step "format"
prettier --check . >/dev/null || { prettier --check . ; exit 1; }
step "build (dist/ for the published bin)"
tsc -p tsconfig.build.json && node scripts/copy-assets.ts >/dev/null
step "tests"
vitest run "$@"
