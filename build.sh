#!/usr/bin/env bash
# Project entry point: `./build.sh test` starts the real services the tests need (RabbitMQ, PostgreSQL), builds
# the solution in Release, runs every test project and closes with one plain `N passed, N failed` line summed over
# all of them. `./build.sh run` needs nothing installed but .NET.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SOLUTION=Workflow.Messaging.sln
RESULTS_DIR=artifacts/test-results

usage() {
    cat >&2 <<USAGE
usage: ./build.sh test [dotnet test options]
                         start RabbitMQ and PostgreSQL if needed, build in Release, run all tests
                         (or those a --filter selects), print "N passed, N failed"
       ./build.sh run [definition.json] [--input json|@file] [--ui [--port 8080]]
                         run a workflow on the embedded fleet (default: the order pipeline sample);
                         --ui also serves the operator console and prints its URL
USAGE
}

# Sums one attribute of the <Counters> element over every .trx file.
sum_counter() {
    local name="$1" total=0 value
    while IFS= read -r value; do
        total=$((total + value))
    done < <(cat "$RESULTS_DIR"/*.trx 2>/dev/null | grep -o "<Counters [^>]*>" | grep -o " $name=\"[0-9]*\"" | grep -o "[0-9]\+")
    echo "$total"
}

# Installs and starts RabbitMQ and PostgreSQL when they are not running (idempotent: a running service is left
# alone) and takes their connection settings (WF_*) into this shell, so a fresh machine needs no step before
# `./build.sh test`. WF_SERVICES=external skips it for services provided elsewhere, with WF_* set by the caller.
start_services() {
    if [[ "${WF_SERVICES:-}" == external ]]; then
        echo "build.sh: WF_SERVICES=external, using the WF_* settings as given" >&2
        return
    fi
    local settings
    settings="$(deploy/local/services.sh up)"
    eval "$settings"
}

run_tests() {
    start_services
    rm -rf "$RESULTS_DIR"
    mkdir -p "$RESULTS_DIR"
    # The console's browser tests drive Debian's Chromium; installed once, a no-op after.
    WF_CHROMIUM="$(deploy/local/browser.sh)"
    export WF_CHROMIUM
    dotnet build "$SOLUTION" -c Release
    local test_exit=0
    # One test project at a time (-m:1): the fleet integration tests restart the RabbitMQ broker that
    # the scheduling tests use too, and two cores gain little from running suites side by side.
    dotnet test "$SOLUTION" -c Release --no-build -m:1 \
        --logger trx --results-directory "$RESULTS_DIR" "$@" || test_exit=$?

    local passed failed
    passed=$(sum_counter passed)
    # A test that errored, timed out or was aborted did not pass either.
    failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
    echo "$passed passed, $failed failed"

    if ((failed > 0)); then
        exit 1
    fi
    if ((passed == 0)); then
        echo "build.sh: no test ran" >&2
        exit 1
    fi
    if ((test_exit != 0)); then
        echo "build.sh: dotnet test exited with $test_exit (a test host crashed or a project produced no results)" >&2
        exit "$test_exit"
    fi
}

case "${1:-}" in
    test)
        shift
        run_tests "$@"
        ;;
    run)
        shift
        if (($# == 0)) || [[ "$1" == --ui || "$1" == --port ]]; then
            set -- samples/order-pipeline.json --input @samples/order-pipeline.input.json "$@"
        fi
        dotnet run --project src/Cli -c Release -- run "$@"
        ;;
    *)
        usage
        exit 2
        ;;
esac
