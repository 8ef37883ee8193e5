#!/usr/bin/env bash
# Runs the spring-clinic estate locally as four JVMs against the machine's Postgres, NATS and Redis.
#
#   scripts/estate.sh start    fresh DB schema, NATS subject and Redis db; waits until all four are healthy
#   scripts/estate.sh stop     SIGTERM, wait, SIGKILL; drops the run's schema and billing keys
#   scripts/estate.sh status   one line per service
#
# The run's facts go to $ESTATE_RUN_DIR/estate.json (default samples/spring-clinic/.run).
# Overridable: RECORDS_PORT VISIT_PORT BILLING_PORT REMINDER_PORT, ESTATE_START_TIMEOUT (s),
# PGHOST PGPORT PGUSER PGDATABASE, NATS_HOST NATS_PORT, REDIS_HOST REDIS_PORT, REDIS_DATABASE, JAVA_OPTS,
# RECORDS_PROFILE (e.g. hsqldb: records-service on an embedded database instead of Postgres).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${ESTATE_RUN_DIR:-$ROOT/.run}"
STATE_JSON="$RUN_DIR/estate.json"
STATE_ENV="$RUN_DIR/estate.env"

RECORDS_PORT="${RECORDS_PORT:-18181}"
VISIT_PORT="${VISIT_PORT:-18182}"
BILLING_PORT="${BILLING_PORT:-18183}"
REMINDER_PORT="${REMINDER_PORT:-18184}"
START_TIMEOUT="${ESTATE_START_TIMEOUT:-180}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
NATS_HOST="${NATS_HOST:-127.0.0.1}"
NATS_PORT="${NATS_PORT:-4222}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
RECORDS_PROFILE="${RECORDS_PROFILE:-}"
JAVA_OPTS="${JAVA_OPTS:--XX:TieredStopAtLevel=1 -Xss512k -XX:+UseSerialGC -Xmx256m -XX:+ExitOnOutOfMemoryError}"

SERVICES=(records visit billing reminder)

log() { echo "estate: $*" >&2; }
die() { log "$*"; exit 1; }

port_of() {
  case "$1" in
    records) echo "$RECORDS_PORT" ;; visit) echo "$VISIT_PORT" ;;
    billing) echo "$BILLING_PORT" ;; reminder) echo "$REMINDER_PORT" ;;
  esac
}

is_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

is_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

wait_for() { # description, seconds, command...
  local what="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    (( SECONDS < deadline )) || die "$what did not come up within ${secs}s"
    sleep 0.5
  done
}

ensure_infra() {
  if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    log "Postgres is down on $PGHOST:$PGPORT; starting it"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    wait_for "Postgres" 30 pg_isready -q -h "$PGHOST" -p "$PGPORT"
  fi
  if ! is_open "$NATS_HOST" "$NATS_PORT"; then
    log "NATS is down on $NATS_HOST:$NATS_PORT; starting it"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server
    wait_for "NATS" 30 is_open "$NATS_HOST" "$NATS_PORT"
  fi
  if ! redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "Redis is down on $REDIS_HOST:$REDIS_PORT; starting it"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no >/dev/null
    wait_for "Redis" 30 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping
  fi
}

# Claims the first empty Redis database among 1..15 with a marker key, so that concurrent runs never share one.
pick_redis_db() { # run_id
  local db rcli
  for db in $(seq 1 15); do
    rcli=(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$db")
    [[ "$("${rcli[@]}" dbsize)" == "0" ]] || continue
    [[ "$("${rcli[@]}" set spring-clinic:estate "$1" NX)" == "OK" ]] || continue
    if [[ "$("${rcli[@]}" dbsize)" == "1" ]]; then echo "$db"; return; fi
    "${rcli[@]}" del spring-clinic:estate >/dev/null
  done
  die "no empty Redis database among 1..15; set REDIS_DATABASE to choose one"
}

is_healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; }

load_state() {
  [[ -f "$STATE_ENV" ]] || return 1
  # shellcheck disable=SC1090
  source "$STATE_ENV"
}

stop_pids() { # "name:pid"... ; SIGTERM to all, wait up to 15s, then SIGKILL the rest
  local entry name pid alive
  for entry in "$@"; do
    pid="${entry#*:}"
    is_alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 60); do
    alive=0
    for entry in "$@"; do is_alive "${entry#*:}" && alive=1; done
    (( alive )) || break
    sleep 0.25
  done
  for entry in "$@"; do
    name="${entry%%:*}"; pid="${entry#*:}"
    if is_alive "$pid"; then
      log "$name ($pid) ignored SIGTERM for 15s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    elif [[ -n "$pid" ]]; then
      log "$name ($pid) stopped"
    fi
  done
}

drop_run_data() { # schema redis_db
  psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS \"$1\" CASCADE" >/dev/null 2>&1 \
    || log "could not drop schema $1"
  { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$2" --scan --pattern 'invoice:*'; echo prices; echo spring-clinic:estate; } \
    | xargs -r redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$2" del >/dev/null || true
}

cmd_stop() {
  if ! load_state; then
    log "no run recorded in $RUN_DIR; nothing to stop"
    return 0
  fi
  local svc pid_var entries=()
  for svc in "${SERVICES[@]}"; do
    pid_var="PID_${svc^^}"
    entries+=("$svc-service:${!pid_var:-}")
  done
  stop_pids "${entries[@]}"
  drop_run_data "$DB_SCHEMA" "$REDIS_DATABASE"
  log "dropped schema $DB_SCHEMA"
  rm -f "$STATE_ENV" "$STATE_JSON"
}

cmd_status() {
  if ! load_state; then
    echo "not running"
    return 3
  fi
  local svc pid_var port port_var state rc=0
  for svc in "${SERVICES[@]}"; do
    pid_var="PID_${svc^^}"
    port_var="PORT_${svc^^}"; port="${!port_var:-$(port_of "$svc")}"
    if ! is_alive "${!pid_var:-}"; then state="dead"; rc=1
    elif is_healthy "$port"; then state="healthy"
    else state="starting"; rc=1
    fi
    printf '%-22s pid %-8s http://127.0.0.1:%s  %s\n' "$svc-service" "${!pid_var:-}" "$port" "$state"
  done
  echo "schema $DB_SCHEMA, subject $NATS_SUBJECT, redis db $REDIS_DATABASE"
  return "$rc"
}

start_service() { # svc -> echoes pid
  local svc="$1" port jar logfile profile=""
  port="$(port_of "$svc")"
  jar="$ROOT/$svc-service/target/$svc-service.jar"
  logfile="$RUN_DIR/$svc-service.log"
  [[ -f "$jar" ]] || die "$jar is missing; run scripts/build.sh first"
  [[ "$svc" == records ]] && profile="$RECORDS_PROFILE"
  # shellcheck disable=SC2086
  SERVER_PORT="$port" SPRING_PROFILES_ACTIVE="$profile" \
  DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_NAME="$PGDATABASE" DB_USER="$PGUSER" DB_PASSWORD="${DB_PASSWORD:-postgres}" \
  DB_SCHEMA="$DB_SCHEMA" \
  RECORDS_URL="http://127.0.0.1:$RECORDS_PORT" \
  NATS_URL="nats://$NATS_HOST:$NATS_PORT" NATS_SUBJECT="$NATS_SUBJECT" \
  REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" REDIS_DATABASE="$REDIS_DATABASE" \
    setsid java $JAVA_OPTS -jar "$jar" >"$logfile" 2>&1 </dev/null &
  echo $!
}

write_state_json() { # run_id pid_records pid_visit pid_billing pid_reminder
  local tmp="$STATE_JSON.tmp.$$"
  cat >"$tmp" <<JSON
{
  "runId": "$1",
  "startedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "services": {
    "records": { "url": "http://127.0.0.1:$RECORDS_PORT", "pid": $2, "log": "$RUN_DIR/records-service.log" },
    "visit": { "url": "http://127.0.0.1:$VISIT_PORT", "pid": $3, "log": "$RUN_DIR/visit-service.log" },
    "billing": { "url": "http://127.0.0.1:$BILLING_PORT", "pid": $4, "log": "$RUN_DIR/billing-service.log" },
    "reminder": { "url": "http://127.0.0.1:$REMINDER_PORT", "pid": $5, "log": "$RUN_DIR/reminder-service.log" }
  },
  "postgres": {
    "connectionString": "postgresql://$PGUSER@$PGHOST:$PGPORT/$PGDATABASE",
    "schema": "$DB_SCHEMA"
  },
  "nats": { "url": "nats://$NATS_HOST:$NATS_PORT", "subject": "$NATS_SUBJECT" },
  "redis": { "url": "redis://$REDIS_HOST:$REDIS_PORT", "db": $REDIS_DATABASE }
}
JSON
  mv "$tmp" "$STATE_JSON"
}

cmd_start() {
  if load_state; then
    local svc pid_var
    for svc in "${SERVICES[@]}"; do
      pid_var="PID_${svc^^}"
      is_alive "${!pid_var:-}" && die "an estate is already running (see $STATE_JSON); run '$0 stop' first"
    done
    log "previous run left state behind; cleaning it up"
    cmd_stop
  fi
  mkdir -p "$RUN_DIR"
  for svc in "${SERVICES[@]}"; do
    is_open 127.0.0.1 "$(port_of "$svc")" && die "port $(port_of "$svc") for $svc-service is already in use"
  done
  ensure_infra

  local run_id="run_$(date +%Y%m%d%H%M%S)_$$"
  DB_SCHEMA="clinic_$run_id"
  NATS_SUBJECT="clinic.visits.booked.$run_id"
  REDIS_DATABASE="${REDIS_DATABASE:-$(pick_redis_db "$run_id")}"
  psql -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA \"$DB_SCHEMA\"" >/dev/null
  log "run $run_id: schema $DB_SCHEMA, subject $NATS_SUBJECT, redis db $REDIS_DATABASE"

  declare -A pids
  local started_at=$SECONDS
  for svc in "${SERVICES[@]}"; do
    pids[$svc]="$(start_service "$svc")"
  done
  # Record pids at once so that 'stop' can clean up even if the wait below fails.
  {
    echo "RUN_ID=$run_id"; echo "DB_SCHEMA=$DB_SCHEMA"; echo "NATS_SUBJECT=$NATS_SUBJECT"
    echo "REDIS_DATABASE=$REDIS_DATABASE"
    for svc in "${SERVICES[@]}"; do
      echo "PID_${svc^^}=${pids[$svc]}"; echo "PORT_${svc^^}=$(port_of "$svc")"
    done
  } >"$STATE_ENV.tmp" && mv "$STATE_ENV.tmp" "$STATE_ENV"

  local deadline=$((SECONDS + START_TIMEOUT)) pending
  while :; do
    pending=()
    for svc in "${SERVICES[@]}"; do
      if ! is_alive "${pids[$svc]}"; then
        log "$svc-service exited during start-up; last lines of $RUN_DIR/$svc-service.log:"
        tail -n 40 "$RUN_DIR/$svc-service.log" >&2 || true
        cmd_stop; exit 1
      fi
      is_healthy "$(port_of "$svc")" || pending+=("$svc")
    done
    (( ${#pending[@]} == 0 )) && break
    if (( SECONDS >= deadline )); then
      for svc in "${pending[@]}"; do
        log "$svc-service not healthy after ${START_TIMEOUT}s; last lines of $RUN_DIR/$svc-service.log:"
        tail -n 40 "$RUN_DIR/$svc-service.log" >&2 || true
      done
      cmd_stop; exit 1
    fi
    sleep 1
  done

  write_state_json "$run_id" "${pids[records]}" "${pids[visit]}" "${pids[billing]}" "${pids[reminder]}"
  log "all four services healthy after $((SECONDS - started_at))s; facts in $STATE_JSON"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
