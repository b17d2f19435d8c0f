#!/usr/bin/env bash
# Installs (if missing), starts, stops and reports the real services the tests and local hosts need:
# RabbitMQ with its management UI and PostgreSQL with the `workflow` role and database.
# Works as root on a bare Debian 12 machine without systemd or Docker (CI), and on a machine where
# the services are already running. Progress goes to stderr; `up` prints the connection settings as
# `export NAME="value"` lines on stdout, so `eval "$(deploy/local/services.sh up)"` configures a shell.
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
DB_NAME="${WF_DB_NAME:-workflow}"
DB_USER="${WF_DB_USER:-workflow}"
DB_PASS="${WF_DB_PASS:-workflow}"
RABBIT_USER=guest
RABBIT_PASS=guest
RABBIT_PORT=5672
MANAGEMENT_URL="http://127.0.0.1:15672"
WAIT_SECONDS="${WF_SERVICES_WAIT_SECONDS:-120}"

export DEBIAN_FRONTEND=noninteractive

log() { echo "services: $*" >&2; }

apt_updated=false
apt_install() {
    if [[ "$apt_updated" == false ]]; then
        log "apt-get update"
        apt-get update -qq >&2
        apt_updated=true
    fi
    log "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Polls a command until it succeeds; the services take seconds to minutes to come up on a busy machine.
wait_for() {
    local what="$1"; shift
    local deadline=$((SECONDS + WAIT_SECONDS))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "$what did not become ready within ${WAIT_SECONDS}s"
            return 1
        fi
        sleep 1
    done
    log "$what is ready"
}

install_missing() {
    local packages=()
    command -v rabbitmq-server >/dev/null || packages+=(rabbitmq-server)
    [[ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]] || packages+=(postgresql)
    command -v curl >/dev/null || packages+=(curl ca-certificates)
    if ((${#packages[@]} > 0)); then
        apt_install "${packages[@]}"
    fi
}

rabbit_running() { rabbitmq-diagnostics -q ping >/dev/null 2>&1; }

management_answers() {
    curl -fsS -u "$RABBIT_USER:$RABBIT_PASS" "$MANAGEMENT_URL/api/overview" >/dev/null
}

rabbit_node_process() { pgrep -u rabbitmq beam.smp >/dev/null 2>&1; }

rabbit_up() {
    if ! rabbit_running && rabbit_node_process; then
        # Another shell (or the package's postinst) is already booting a node: wait instead of starting a second.
        wait_for "the starting RabbitMQ node" rabbitmq-diagnostics -q ping
    fi
    if rabbit_running; then
        log "RabbitMQ already running"
        rabbitmq-plugins -q enable rabbitmq_management rabbitmq_consistent_hash_exchange >&2
    else
        # Offline enabling writes the plugins file so the node starts with the UI (and the consistent-hash
        # exchange that Coordinator:Partitions routes with) in one go.
        rabbitmq-plugins -q --offline enable rabbitmq_management rabbitmq_consistent_hash_exchange >&2
        log "starting RabbitMQ"
        rabbitmq-server -detached >&2
    fi
    wait_for "RabbitMQ" rabbitmq-diagnostics -q check_port_connectivity
    wait_for "RabbitMQ management API" management_answers
}

rabbit_down() {
    if rabbit_running; then
        log "stopping RabbitMQ"
        rabbitmqctl -q stop >&2
    else
        log "RabbitMQ not running"
    fi
}

pg_running() { pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; }

pg_port() { pg_conftool -s "$PG_VERSION" "$PG_CLUSTER" show port 2>/dev/null || echo 5432; }

as_postgres() { runuser -u postgres -- "$@"; }

psql_admin() {
    as_postgres psql --cluster "$PG_VERSION/$PG_CLUSTER" -v ON_ERROR_STOP=1 -qtAX "$@"
}

pg_up() {
    if [[ ! -d "/etc/postgresql/$PG_VERSION/$PG_CLUSTER" ]]; then
        log "creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
        pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >&2
    fi
    if pg_running; then
        log "PostgreSQL already running"
    else
        log "starting PostgreSQL"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
    fi
    wait_for "PostgreSQL" pg_isready -q -h 127.0.0.1 -p "$(pg_port)"
    if [[ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]]; then
        log "creating role $DB_USER"
        psql_admin -c "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$DB_PASS'" >&2
    fi
    # The tests and benches recreate their databases with DROP DATABASE ... WITH (FORCE), which must
    # also end an autovacuum worker in that database; PostgreSQL 15 lets only pg_signal_backend do so.
    if [[ "$(psql_admin -c "SELECT 1 FROM pg_auth_members WHERE roleid = 'pg_signal_backend'::regrole AND member = '$DB_USER'::regrole")" != 1 ]]; then
        log "granting pg_signal_backend to $DB_USER"
        psql_admin -c "GRANT pg_signal_backend TO \"$DB_USER\"" >&2
    fi
    if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]]; then
        log "creating database $DB_NAME"
        psql_admin -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\"" >&2
    fi
}

pg_down() {
    if pg_running; then
        log "stopping PostgreSQL"
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast >&2
    else
        log "PostgreSQL not running"
    fi
}

print_settings() {
    cat <<SETTINGS
export WF_POSTGRES="Host=127.0.0.1;Port=$(pg_port);Username=$DB_USER;Password=$DB_PASS;Database=$DB_NAME;SSL Mode=Disable"
export WF_RABBITMQ_HOST="127.0.0.1"
export WF_RABBITMQ_PORT="$RABBIT_PORT"
export WF_RABBITMQ_USER="$RABBIT_USER"
export WF_RABBITMQ_PASS="$RABBIT_PASS"
export WF_RABBITMQ_MANAGEMENT_URL="$MANAGEMENT_URL"
SETTINGS
}

status() {
    local healthy=0
    if rabbit_running; then log "RabbitMQ: running"; else log "RabbitMQ: stopped"; healthy=3; fi
    if command -v rabbitmq-diagnostics >/dev/null && rabbit_running && management_answers 2>/dev/null; then
        log "RabbitMQ management: answering at $MANAGEMENT_URL"
    else
        log "RabbitMQ management: not answering"; healthy=3
    fi
    if command -v pg_ctlcluster >/dev/null && pg_running; then
        log "PostgreSQL $PG_VERSION/$PG_CLUSTER: running"
    else
        log "PostgreSQL $PG_VERSION/$PG_CLUSTER: stopped"; healthy=3
    fi
    return "$healthy"
}

case "${1:-}" in
    up)
        install_missing
        rabbit_up
        pg_up
        print_settings
        ;;
    down)
        if command -v rabbitmq-diagnostics >/dev/null; then rabbit_down; fi
        if command -v pg_ctlcluster >/dev/null; then pg_down; fi
        ;;
    status)
        status
        ;;
    *)
        echo "usage: $0 up|down|status" >&2
        exit 2
        ;;
esac
