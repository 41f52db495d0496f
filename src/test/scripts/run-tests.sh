#!/usr/bin/env bash
# The test command of the README: installs what is missing, then runs the whole suite (unit tests
# and end-to-end tests on real PostgreSQL, pgbouncer, Apache and nginx started on loopback).
set -euo pipefail
# The remote-server tests install the Debian package the build makes, and apt installs what is
# missing: both want root. As root (a fresh machine may have no sudo) the script runs as it is; as
# another user it runs itself through sudo when there is one, unless PGSTAGING_AS_USER=1: then the
# root-only tests are skipped, each saying so.
if [ "$(id -u)" -ne 0 ] && [ "${PGSTAGING_AS_USER:-0}" != 1 ] && command -v sudo >/dev/null; then
    echo "run-tests: running through sudo, as the remote-server tests need root (PGSTAGING_AS_USER=1 runs as $(id -un))" >&2
    exec sudo bash "$0" "$@"
fi
cd "$(dirname "$0")/../../.."
bash src/test/scripts/install-deps.sh
# tests run postgres, pgbouncer and initdb as this user when we are root
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
export LC_ALL=C.UTF-8
exec mvn -B -ntp verify "$@"
