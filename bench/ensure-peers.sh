#!/usr/bin/env bash
# Makes sure what a benchmark runs against is here before it starts, so a fresh machine gets figures, not a stack
# trace. Programs (nginx, haproxy, wrk) come from Debian the way scripts/ensure-services.sh installs services
# (apt-get update once, then install -y); services (postgres, nats, redis) are started by scripts/ensure-services.sh.
# When that cannot be done (not root, no apt-get), exits 2 with the command to run.
# Usage: bash bench/ensure-peers.sh [nginx|haproxy|wrk|postgres|nats|redis]...
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
here="$(cd "$(dirname "$0")/.." && pwd)"
log() { printf '[bench] %s\n' "$*" >&2; }
fail() { printf 'error MIG_BACKEND %s\nhint: %s\n' "$1" "$2" >&2; exit 2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_updated=0
apt_install() {
  local package="$1"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    fail "$package is not installed" "install it with: sudo apt-get update && sudo apt-get install -y $package"
  fi
  log "installing Debian's $package"
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null ||
    fail "apt-get could not install $package" "run: apt-get update && apt-get install -y $package"
}

for peer in "$@"; do
  case "$peer" in
    nginx | haproxy | wrk)
      command -v "$peer" >/dev/null && continue
      apt_install "$peer"
      command -v "$peer" >/dev/null || fail "$peer is still not on the PATH after installing it" "check: dpkg -L $peer | grep bin/"
      # Where the package's own service was started (a machine with systemd), stop it: the benchmark runs its
      # own instance on a loopback port and nothing else may listen.
      if [ "$peer" = nginx ] && [ -s /run/nginx.pid ]; then nginx -s quit 2>/dev/null || true; fi
      if [ "$peer" = haproxy ] && command -v service >/dev/null; then service haproxy stop >/dev/null 2>&1 || true; fi
      ;;
    postgres | nats | redis)
      case "$peer" in postgres) port=5432 ;; nats) port=4222 ;; redis) port=6379 ;; esac
      port_open "$port" && continue
      log "$peer is not listening on 127.0.0.1:$port: starting the services"
      bash "$here/scripts/ensure-services.sh" || true
      port_open "$port" || fail "$peer is not listening on 127.0.0.1:$port" "run: bash scripts/ensure-services.sh (as root)"
      ;;
    *) fail "unknown benchmark peer '$peer'" "one of: nginx haproxy wrk postgres nats redis" ;;
  esac
done
