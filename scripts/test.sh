#!/usr/bin/env bash
# The one test command (README, .ci/run): sets up everything the tests need on a fresh machine, then
# typecheck, lint, format check and the whole vitest suite against real Postgres, NATS, Redis and Docker.
set -euo pipefail
cd "$(dirname "$0")/.."
# Service control (start-stop-daemon, dockerd, pg_ctlcluster) lives in sbin; a caller with a minimal PATH must still work.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
# Each step says when it started (seconds into the run), so a slow step shows in the log.
step() { printf '\n== [%d s] %s\n' $((SECONDS - started)) "$*" >&2; }

started=$SECONDS
step "dependencies (npm ci when node_modules is missing or older than the lock file)"
if [ -L node_modules ]; then
  # A worktree sharing another checkout's install: npm ci would wipe that install through the link.
  printf 'node_modules links to %s: using that install as it is\n' "$(readlink node_modules)" >&2
elif [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
export PATH="$PWD/node_modules/.bin:$PATH"
node --version

step "test components and the dist/ build, in the background beside the set-up below"
# The warm-up (test/setup/warm-cache.ts) builds every test component into the cache, one at a time in one process;
# the tests' global setup then reuses what it built. When the same inputs were warmed up before on this machine (a
# fresh clone of the same sources) it copies that outcome instead. Its log is shown before the tests.
report="$(mktemp -t migrate-vitest-XXXXXX.json)"
warm_log="$(mktemp -t migrate-warm-cache-XXXXXX.log)"
# The warm-up's ported and built components stay in this folder for the run: the global setup reuses them.
MIGRATE_TEST_PREBUILT="$(mktemp -d -t migrate-prebuilt-XXXXXX)"
export MIGRATE_TEST_PREBUILT
checks="$(mktemp -d -t migrate-checks-XXXXXX)"
node test/setup/warm-cache.ts 2>"$warm_log" &
warm_pid=$!
trap 'kill "$warm_pid" 2>/dev/null || true; rm -rf "$report" "$warm_log" "$MIGRATE_TEST_PREBUILT" "$checks"' EXIT
# Runs one check into its own log; its status goes to <name>.failed when it fails. One line when it ends.
check() {
  local name=$1 begun=$SECONDS
  shift
  if "$@" >"$checks/$name.log" 2>&1; then
    printf '[checks] %s: ok in %d s (started at %d s)\n' "$name" $((SECONDS - begun)) $((begun - started)) >&2
  else
    printf '[checks] %s: FAILED in %d s\n' "$name" $((SECONDS - begun)) >&2
    touch "$checks/$name.failed"
  fi
}
# The build is exactly what `npm pack` runs first; the install test then packs this dist/ instead of compiling it
# again, so the tests wait for it. It needs nothing of the set-up, which mostly waits on installs and servers.
check build npm run --silent prepack &
build_pid=$!

step "services: PostgreSQL, NATS, Redis, Docker engine, Chromium"
bash scripts/ensure-services.sh
DOCKER_HOST="$(cat .docker-host)"
export DOCKER_HOST

step "Wasmtime 49 (Python binding) for the runtime link check"
bash scripts/ensure-wasmtime.sh >/dev/null
# Builds in tests check links by Wasmtime's rule; the runtime-link test asks for the real engine itself.
export MIGRATE_LINK_CHECK=rule

step "OCI registry (Debian docker-registry) for the artifact push tests"
bash scripts/ensure-registry.sh

if [ -f samples/spring-orders/scripts/build.sh ]; then
  step "Spring sample: Maven build (cached in ~/.m2)"
  bash samples/spring-orders/scripts/build.sh
fi

step "typecheck, lint and format check beside the tests (a failing one's output is shown at the end)"
# The static checks need nothing the tests make and the tests nothing they make: they run one after another
# beside the tests, on the CPU the tests leave (most tests wait on real servers).
( check typecheck tsc -p tsconfig.json; check lint eslint --max-warnings=0 .; check format prettier --check . ) &
checks_pid=$!
trap 'pkill -P "$checks_pid" 2>/dev/null || true; kill "$warm_pid" "$checks_pid" "$build_pid" 2>/dev/null || true; rm -rf "$report" "$warm_log" "$MIGRATE_TEST_PREBUILT" "$checks"' EXIT
wait "$build_pid"
export MIGRATE_TEST_PREPACKED="$PWD"
step "tests (the global setup builds what the cache lacks, then every test file runs)"
wait "$warm_pid" || true
cat "$warm_log" >&2
# The JSON report feeds the check that every test ran: a skipped or todo test fails the run.
tests_status=0
vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || tests_status=$?
report_status=0
node scripts/check-test-report.ts "$report" || report_status=$?
wait "$checks_pid" || true
checks_failed=0
for failed in "$checks"/*.failed; do
  [ -e "$failed" ] || continue
  name="$(basename "$failed" .failed)"
  printf '\n== %s FAILED:\n' "$name" >&2
  cat "$checks/$name.log" >&2
  checks_failed=1
done
step "done in $((SECONDS - started)) s"
if [ "$tests_status" != 0 ]; then exit "$tests_status"; fi
if [ "$checks_failed" != 0 ]; then exit 1; fi
exit "$report_status"
