#!/usr/bin/env bash
# Builds the four clinic service jars. Skips Maven when every jar is newer than every source and pom.
# Usage: scripts/build.sh [--force]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(records-service visit-service billing-service reminder-service)
cd "$ROOT"

is_up_to_date() {
  local svc jar newer
  for svc in "${SERVICES[@]}"; do
    jar="$svc/target/$svc.jar"
    [[ -f "$jar" ]] || return 1
    newer="$(find pom.xml "$svc/pom.xml" "$svc/src" -newer "$jar" -print -quit)"
    [[ -z "$newer" ]] || return 1
  done
}

if [[ "${1:-}" != "--force" ]] && is_up_to_date; then
  echo "build: jars are up to date" >&2
  exit 0
fi

MVN_FLAGS=(-B -q -DskipTests)
# Work offline once the local repository holds everything; fall back to online on the first build.
if mvn "${MVN_FLAGS[@]}" -o package >/dev/null 2>&1; then
  :
else
  mvn "${MVN_FLAGS[@]}" package
fi
for svc in "${SERVICES[@]}"; do
  [[ -f "$svc/target/$svc.jar" ]] || { echo "build: $svc/target/$svc.jar missing after build" >&2; exit 1; }
  # Maven leaves an unchanged jar untouched; mark it as checked against the current sources.
  touch "$svc/target/$svc.jar"
done
echo "build: jars built in $ROOT/*/target" >&2
