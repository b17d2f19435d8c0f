#!/usr/bin/env bash
# Runs a local fleet from the built binaries: one Coordinator and N Worker processes on the services
# of deploy/local/services.sh (RabbitMQ, PostgreSQL). Each process logs to .fleet/logs/<name>.log and
# has a pid file in .fleet/pids; `down` stops exactly the processes named there.
#
#   deploy/local/fleet.sh up [--workers N] [--port P] [--no-build]
#   deploy/local/fleet.sh down
#   deploy/local/fleet.sh status
#
# Connection settings come from the environment, with the loopback defaults services.sh prints:
# WF_POSTGRES (the server; the fleet uses its own database WF_FLEET_DATABASE, default workflow_fleet),
# WF_RABBITMQ_HOST/PORT/USER/PASS, WF_RABBITMQ_VHOST (default /), WF_CONFIGURATION (Release). Any other host setting can be passed as its environment variable (Worker__ConcurrentMessageLimit=4).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STATE_DIR="${WF_FLEET_DIR:-$ROOT/.fleet}"
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
CONFIGURATION="${WF_CONFIGURATION:-Release}"
COORDINATOR_DLL="$ROOT/src/Coordinator/bin/$CONFIGURATION/net10.0/Workflow.Messaging.Coordinator.dll"
WORKER_DLL="$ROOT/src/Worker/bin/$CONFIGURATION/net10.0/Workflow.Messaging.Worker.dll"
STOP_SECONDS="${WF_FLEET_STOP_SECONDS:-45}"

log() { echo "fleet: $*" >&2; }

usage() {
    echo "usage: $0 up [--workers N] [--port P] [--no-build] | down | status" >&2
    exit 2
}

# The settings every host reads: RabbitMq (MassTransit's RabbitMqTransportOptions) and, on the
# coordinator, the Scheduler job store. Exported once so that each child process inherits them.
export_settings() {
    export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}"
    export RabbitMq__Host="${WF_RABBITMQ_HOST:-127.0.0.1}"
    export RabbitMq__Port="${WF_RABBITMQ_PORT:-5672}"
    export RabbitMq__VHost="${WF_RABBITMQ_VHOST:-/}"
    export RabbitMq__User="${WF_RABBITMQ_USER:-guest}"
    export RabbitMq__Pass="${WF_RABBITMQ_PASS:-guest}"
}

# The fleet's own database on the services' server (WF_FLEET_DATABASE, default workflow_fleet), created
# when missing, so local executions and jobs stay apart from what the test suites leave in `workflow`.
fleet_database() {
    local settings="${WF_POSTGRES:-Host=127.0.0.1;Port=5432;Username=workflow;Password=workflow;Database=workflow;SSL Mode=Disable}"
    local name="${WF_FLEET_DATABASE:-workflow_fleet}" host=127.0.0.1 port=5432 user=workflow password=workflow part key
    local -a parts
    IFS=';' read -ra parts <<<"$settings"
    for part in "${parts[@]}"; do
        key="${part%%=*}"
        case "${key,,}" in
            host | server) host="${part#*=}" ;;
            port) port="${part#*=}" ;;
            username | "user id" | userid) user="${part#*=}" ;;
            password) password="${part#*=}" ;;
        esac
    done
    if [[ "$(PGPASSWORD="$password" psql -h "$host" -p "$port" -U "$user" -d postgres -qtAX \
        -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]]; then
        log "creating database $name"
        PGPASSWORD="$password" psql -h "$host" -p "$port" -U "$user" -d postgres -qtAX -c "CREATE DATABASE \"$name\"" >&2
    fi
    # Loopback: TLS would only cost CPU on both ends (it was a third of the coordinator's).
    echo "Host=$host;Port=$port;Username=$user;Password=$password;Database=$name;SSL Mode=Disable"
}

is_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Starts one process in its own session (so a terminal's Ctrl-C does not reach it) and records its pid.
start() {
    local name="$1"; shift
    local pid_file="$PID_DIR/$name.pid"
    if is_running "$pid_file"; then
        log "$name already running (pid $(cat "$pid_file"))"
        return
    fi
    env "$@" setsid dotnet "${DLL:?}" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$pid_file"
    log "$name started (pid $!, log ${LOG_DIR#"$ROOT"/}/$name.log)"
}

wait_for_coordinator() {
    local url="$1" deadline=$((SECONDS + 60))
    until curl -fsS "$url/health/live" >/dev/null 2>&1; do
        if ! is_running "$PID_DIR/coordinator.pid"; then
            log "the coordinator exited; last lines of its log:"
            tail -n 30 "$LOG_DIR/coordinator.log" >&2
            return 1
        fi
        if ((SECONDS >= deadline)); then
            log "the coordinator did not answer at $url within 60s"
            return 1
        fi
        sleep 1
    done
    log "coordinator answering at $url"
}

up() {
    local workers=2 port="${WF_COORDINATOR_PORT:-5080}" build=true
    while (($# > 0)); do
        case "$1" in
            --workers) workers="${2:?--workers needs a number}"; shift 2 ;;
            --port) port="${2:?--port needs a number}"; shift 2 ;;
            --no-build) build=false; shift ;;
            *) usage ;;
        esac
    done
    [[ "$workers" =~ ^[0-9]+$ ]] || usage

    if [[ "$build" == true ]]; then
        log "dotnet build ($CONFIGURATION)"
        dotnet build "$ROOT/src/Coordinator/Workflow.Messaging.Coordinator.csproj" -c "$CONFIGURATION" -v quiet -nologo >&2
        dotnet build "$ROOT/src/Worker/Workflow.Messaging.Worker.csproj" -c "$CONFIGURATION" -v quiet -nologo >&2
    fi
    mkdir -p "$LOG_DIR" "$PID_DIR"
    export_settings

    local url="http://127.0.0.1:$port" database
    database="$(fleet_database)"
    # Executions (saga rows, outbox, outputs) and the scheduler's jobs share the fleet's database.
    DLL="$COORDINATOR_DLL" start coordinator \
        ASPNETCORE_URLS="$url" \
        Persistence__Provider=Postgres \
        Persistence__ConnectionString="$database" \
        Persistence__Schema=Migrate \
        Scheduler__Provider=Postgres \
        Scheduler__ConnectionString="$database"
    wait_for_coordinator "$url"

    local i
    for ((i = 1; i <= workers; i++)); do
        DLL="$WORKER_DLL" start "worker-$i" Worker__WorkerId="worker-$i"
    done
    log "management UI: ${WF_RABBITMQ_MANAGEMENT_URL:-http://127.0.0.1:15672} (queue node-pool-default shows the workers as consumers)"
}

# TERM first: workers finish running attempts within their grace period (Worker:ShutdownGracePeriod).
stop() {
    local pid_file="$1" name pid
    name="$(basename "$pid_file" .pid)"
    pid="$(cat "$pid_file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        local deadline=$((SECONDS + STOP_SECONDS))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            log "$name (pid $pid) ignored TERM for ${STOP_SECONDS}s: killing it"
            kill -KILL "$pid"
        fi
        log "$name stopped"
    else
        log "$name (pid $pid) was not running"
    fi
    rm -f "$pid_file"
}

down() {
    shopt -s nullglob
    local files=("$PID_DIR"/worker-*.pid "$PID_DIR"/coordinator.pid) file
    if ((${#files[@]} == 0)); then
        log "nothing to stop"
        return
    fi
    # Workers before the coordinator, so their last results still find the saga's consumer.
    for file in "${files[@]}"; do stop "$file"; done
}

status() {
    shopt -s nullglob
    local file running=0 total=0
    for file in "$PID_DIR"/*.pid; do
        total=$((total + 1))
        if is_running "$file"; then
            running=$((running + 1))
            echo "$(basename "$file" .pid): running (pid $(cat "$file"))"
        else
            echo "$(basename "$file" .pid): stopped"
        fi
    done
    if ((total == 0)); then
        echo "no fleet started"
        return 3
    fi
    ((running == total)) || return 3
}

case "${1:-}" in
    up) shift; up "$@" ;;
    down) down ;;
    status) status ;;
    *) usage ;;
esac
