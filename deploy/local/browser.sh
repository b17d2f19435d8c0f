#!/usr/bin/env bash
# Installs Debian's Chromium for the console's browser tests (tests/Workflow.Messaging.Console.Tests),
# which drive it with Playwright for .NET through ExecutablePath: Playwright's own browser download
# cannot reach its CDN from these machines. Idempotent; prints the browser's path on stdout.
set -euo pipefail

CHROMIUM="${WF_CHROMIUM:-/usr/bin/chromium}"
export DEBIAN_FRONTEND=noninteractive

if [[ ! -x "$CHROMIUM" ]]; then
    echo "browser: apt-get install chromium" >&2
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
"$CHROMIUM" --version >&2
echo "$CHROMIUM"
