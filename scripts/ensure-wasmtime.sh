#!/usr/bin/env bash
# Makes sure the real Wasmtime (49.0.0, its Python binding) is installed for migrate's link check and the tests that
# link every sample component against each runtime's host world: a venv in ~/.cache/migrate/wasmtime-venv (or
# $XDG_CACHE_HOME/migrate/wasmtime-venv). Idempotent: does nothing when the venv already imports wasmtime 49.0.0.
# Prints the venv's python on stdout.
set -euo pipefail
log() { printf '[wasmtime] %s\n' "$*" >&2; }
venv="${XDG_CACHE_HOME:-$HOME/.cache}/migrate/wasmtime-venv"
python="$venv/bin/python"
check='import importlib.metadata as m, sys; sys.exit(0 if m.version("wasmtime") == "49.0.0" else 1)'
if [ -x "$python" ] && "$python" -c "$check" 2>/dev/null; then
  echo "$python"
  exit 0
fi
command -v python3 >/dev/null || { log "python3 is not installed: migrate build falls back to Wasmtime's linking rule in TypeScript"; exit 1; }
log "creating $venv with wasmtime==49.0.0"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"
# One retry: where the package index is out of reach, pip's configured local wheel folders still serve it, and five
# retries with back-off only add half a minute to every fresh machine's first run.
"$python" -m pip install --quiet --disable-pip-version-check --retries 1 --timeout 15 'wasmtime==49.0.0' >&2
"$python" -c "$check"
echo "$python"
