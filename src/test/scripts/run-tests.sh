#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs the whole suite (unit tests
# and end-to-end tests on real PostgreSQL, pgbouncer, Apache and nginx started on loopback).
set -euo pipefail
cd "$(dirname "$0")/../../.."
bash src/test/scripts/install-deps.sh
# tests run postgres, pgbouncer and initdb as this user when we are root
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
export LC_ALL=C.UTF-8
exec mvn -B -ntp verify "$@"
