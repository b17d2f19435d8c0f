#!/usr/bin/env bash
# Keeps every core busy at normal priority for a bounded time, so a test or bench run can be proven on a
# machine that has other work to do (CI ran at load 7-9 on 2 cores). One spinning shell per core, each under
# `timeout`: the load ends by itself when the duration is over, even if nobody calls `stop`.
#
#   deploy/local/cpu-load.sh start [--duration 30m] [--cores N]   in the background; prints the load's pid
#   deploy/local/cpu-load.sh stop                                  ends the load `start` began (by its pid)
#   deploy/local/cpu-load.sh status                                running or not, and until when
#   deploy/local/cpu-load.sh run [--duration 30m] [--cores N]      in the foreground; Ctrl-C ends it
#
# --duration takes seconds or a number with s, m or h (at most 4h); --cores defaults to every core (nproc).
# The spinners carry "wf-cpu-load" in their command line: `pgrep -af wf-cpu-load` lists them.
set -euo pipefail

STATE_DIR="${WF_CPU_LOAD_DIR:-${TMPDIR:-/tmp}/wf-cpu-load}"
PID_FILE="$STATE_DIR/pid"
UNTIL_FILE="$STATE_DIR/until"
MAX_SECONDS=$((4 * 3600))

log() { echo "cpu-load: $*" >&2; }

usage() {
    sed -n '6,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

seconds_of() {
    local value="$1"
    case "$value" in
        *h) echo $((${value%h} * 3600)) ;;
        *m) echo $((${value%m} * 60)) ;;
        *s) echo "${value%s}" ;;
        *) echo "$value" ;;
    esac
}

# The load's pid (also its process group) while it runs; nothing when it ended or never started.
running_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    # The pid must still be the load's own group leader, not a recycled pid of another program.
    if [[ -n "$pid" ]] && ps -o args= -p "$pid" 2>/dev/null | grep -q wf-cpu-load; then
        echo "$pid"
        return 0
    fi
    return 1
}

# Runs in the foreground: one spinner per core at normal priority, each ending itself after `seconds`.
spin() {
    local seconds="$1" cores="$2" i
    for ((i = 0; i < cores; i++)); do
        # A pure shell loop: no I/O, no memory, one core's worth of CPU, ended by `timeout`.
        timeout --foreground "$seconds" bash -c 'while :; do :; done' wf-cpu-load-spinner &
    done
    wait
}

parse() {
    duration=30m
    cores="$(nproc)"
    while (($# > 0)); do
        case "$1" in
            --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
            --cores) cores="${2:?--cores needs a value}"; shift 2 ;;
            *) usage ;;
        esac
    done
    seconds="$(seconds_of "$duration")"
    if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds < 1 || seconds > MAX_SECONDS)); then
        log "--duration must be between 1s and 4h, not '$duration'"
        exit 2
    fi
    if ! [[ "$cores" =~ ^[0-9]+$ ]] || ((cores < 1)); then
        log "--cores must be a positive number, not '$cores'"
        exit 2
    fi
}

command="${1:-}"
shift || true
case "$command" in
    start)
        parse "$@"
        if pid="$(running_pid)"; then
            log "already running (pid $pid, until $(cat "$UNTIL_FILE")); stop it first"
            exit 1
        fi
        mkdir -p "$STATE_DIR"
        # A session of its own, so `stop` can end the spinners as one process group.
        setsid bash -c "$(declare -f spin); spin $seconds $cores" wf-cpu-load </dev/null >/dev/null 2>&1 &
        echo $! >"$PID_FILE"
        date -u -d "+$seconds seconds" '+%Y-%m-%dT%H:%M:%SZ' >"$UNTIL_FILE"
        log "keeping $cores core(s) busy for ${seconds}s, until $(cat "$UNTIL_FILE") (pid $!)"
        echo $!
        ;;
    stop)
        if pid="$(running_pid)"; then
            kill -- "-$pid" 2>/dev/null || true
            log "stopped (pid $pid)"
        else
            log "not running"
        fi
        rm -f "$PID_FILE" "$UNTIL_FILE"
        ;;
    status)
        if pid="$(running_pid)"; then
            log "running (pid $pid, $(pgrep -c -g "$pid" -x timeout || true) spinner(s), until $(cat "$UNTIL_FILE"))"
        else
            log "not running"
            exit 3
        fi
        ;;
    run)
        parse "$@"
        log "keeping $cores core(s) busy for ${seconds}s"
        spin "$seconds" "$cores"
        ;;
    *)
        usage
        ;;
esac
