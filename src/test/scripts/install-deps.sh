#!/usr/bin/env bash
# Installs what pgstaging's build and tests need on Debian/Ubuntu: a JDK 17+, Maven, PostgreSQL
# server binaries, pgbouncer, Apache httpd, nginx, and for the remote-server tests the OpenSSH
# server and client and sudo (the tests install the Debian package the build makes, which needs
# them). The tests start their own instances on random loopback ports, so the packaged services
# are not needed: we keep apt from starting them (apache2 and nginx would fight over port 80 and
# fail the install).
set -euo pipefail

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v runuser >/dev/null || missing+=(util-linux)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null || missing+=(openssh-client)
command -v sudo >/dev/null || missing+=(sudo)
command -v adduser >/dev/null || missing+=(adduser)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "pgstaging tests need these Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
fi

echo "installing: ${missing[*]}"
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ $had_policy -eq 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
