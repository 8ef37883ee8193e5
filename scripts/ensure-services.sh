#!/usr/bin/env bash
# Makes sure the real services the tests talk to are running on loopback: PostgreSQL, NATS (JetStream), Redis,
# a private Docker engine, and Debian's Chromium for rendering checks. Idempotent; installs from Debian if missing.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
here="$(cd "$(dirname "$0")/.." && pwd)"
log() { printf '[services] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
wait_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done; log "port $1 did not open"; return 1; }

if ! port_open 5432; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_port 5432
fi
if ! port_open 4222; then
  command -v nats-server >/dev/null || [ -x /usr/sbin/nats-server ] || apt_install nats-server
  log "starting NATS"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222
fi
if ! port_open 6379; then
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379
fi

# A private Docker engine (no registry here: images are built FROM scratch or from imported roots).
docker_dir="${MIGRATE_DOCKER_DIR:-/var/lib/migrate-docker}"
export DOCKER_HOST="unix://$docker_dir/docker.sock"
if ! docker version >/dev/null 2>&1; then
  command -v dockerd >/dev/null || apt_install docker.io
  log "starting a private Docker engine at $DOCKER_HOST"
  mkdir -p "$docker_dir"
  nohup dockerd --host "$DOCKER_HOST" --data-root "$docker_dir/data" --exec-root "$docker_dir/exec" \
    --pidfile "$docker_dir/docker.pid" >"$docker_dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  docker version >/dev/null 2>&1 || { log "Docker engine did not start; see $docker_dir/dockerd.log"; tail -20 "$docker_dir/dockerd.log" >&2; exit 1; }
fi
echo "$DOCKER_HOST" >"$here/.docker-host"

if ! command -v chromium >/dev/null; then
  log "installing Debian's chromium (for HTML rendering checks)"
  apt_install chromium
fi

if ! command -v tmux >/dev/null; then
  log "installing Debian's tmux (the interactive prompts are tested in a real terminal)"
  apt_install tmux
fi
