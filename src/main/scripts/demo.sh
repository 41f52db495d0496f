#!/usr/bin/env bash
# pgstaging demo: builds a throwaway sandbox (a PostgreSQL cluster, a pgbouncer, an nginx serving
# a backup directory with two nightly dumps of a multi-schema database), then drives pgstaging's
# console through a restore, a listing of sizes, a switch and a purge. Everything lives in one
# temporary directory on loopback ports and is removed at the end (KEEP=1 keeps it).
set -euo pipefail
# apt installs what is missing: as root (a fresh machine may have no sudo) the demo runs as it is;
# as another user it runs itself through sudo when there is one (KEEP kept), unless
# PGSTAGING_AS_USER=1 (then the packages must be there already)
if [ "$(id -u)" -ne 0 ] && [ "${PGSTAGING_AS_USER:-0}" != 1 ] && command -v sudo >/dev/null; then
    echo "demo: running through sudo, to install what is missing (PGSTAGING_AS_USER=1 runs as $(id -un))" >&2
    exec sudo --preserve-env=KEEP bash "$0" "$@"
fi
root=$(cd "$(dirname "$0")/../../.." && pwd)
bash "$root/src/test/scripts/install-deps.sh"
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi
jar="$root/target/pgstaging.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -ntp -DskipTests package)

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
sandbox=$(mktemp -d /tmp/pgstaging-demo.XXXXXX)
chmod 755 "$sandbox"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# shellcheck source=sandbox-pgbouncer.sh
source "$root/src/main/scripts/sandbox-pgbouncer.sh"
free_port() {
    local p
    while :; do
        p=$(shuf -i 20000-60000 -n 1)
        (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
    done
}
stop_servers() {
    [ -f "$sandbox/nginx/nginx.pid" ] && kill "$(cat "$sandbox/nginx/nginx.pid")" 2>/dev/null || true
    [ -f "$sandbox/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$sandbox/pgbouncer/pgbouncer.pid")" 2>/dev/null || true
    as_pg "$PGBIN/pg_ctl" -D "$sandbox/pgdata" -m immediate stop >/dev/null 2>&1 || true
}
cleanup() {
    local rc=$?
    if [ "${KEEP:-0}" = 1 ] && [ -f "$sandbox/pgstaging.ini" ]; then
        # KEEP=1: leave the servers running so the sandbox can be used by hand
        echo
        echo "== KEEP=1: the sandbox and its servers are still running in $sandbox"
        echo "   java -jar $jar -c $sandbox/pgstaging.ini"
        echo "   stop and remove it with: bash $sandbox/stop.sh"
    else
        stop_servers
        rm -rf "$sandbox"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap "exit 130" INT TERM

pgport=$(free_port); bouncerport=$(free_port); httpport=$(free_port)
mkdir -p "$sandbox"/{pgdata,backups/demo,pgbouncer,nginx,tmp,run}
[ "$(id -u)" -eq 0 ] && chown postgres "$sandbox"/{pgdata,pgbouncer,run}

cat > "$sandbox/stop.sh" <<STOP
#!/usr/bin/env bash
# stops the servers of this pgstaging demo sandbox and removes it
[ -f "$sandbox/nginx/nginx.pid" ] && kill "\$(cat "$sandbox/nginx/nginx.pid")" 2>/dev/null
[ -f "$sandbox/pgbouncer/pgbouncer.pid" ] && kill "\$(cat "$sandbox/pgbouncer/pgbouncer.pid")" 2>/dev/null
if [ "\$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$sandbox/pgdata" -m immediate stop >/dev/null 2>&1
else "$PGBIN/pg_ctl" -D "$sandbox/pgdata" -m immediate stop >/dev/null 2>&1; fi
rm -rf "$sandbox"
STOP

echo "== sandbox in $sandbox: PostgreSQL :$pgport, pgbouncer :$bouncerport, nginx :$httpport"
as_pg "$PGBIN/initdb" -D "$sandbox/pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$sandbox/pgdata" -l "$sandbox/run/postgres.log" -w \
    -o "-p $pgport -k $sandbox/run -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
psql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
psql -d postgres -c "CREATE DATABASE demo_source"
psql -d demo_source -v ON_ERROR_STOP=1 -f "$root/src/test/resources/fixtures/source.sql" >/dev/null
for day in "$(date -d '2 days ago' +%F)" "$(date -d yesterday +%F)"; do
    "$PGBIN/pg_dump" -Fc -h 127.0.0.1 -p "$pgport" -U postgres -f "$sandbox/backups/demo/demo.$day.dump" demo_source
done
chmod -R a+rX "$sandbox/backups"

cat > "$sandbox/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $sandbox/nginx/nginx.pid;
error_log $sandbox/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $sandbox/nginx; proxy_temp_path $sandbox/nginx; fastcgi_temp_path $sandbox/nginx;
    uwsgi_temp_path $sandbox/nginx; scgi_temp_path $sandbox/nginx;
    server { listen 127.0.0.1:$httpport; root $sandbox/backups; autoindex on; }
}
NGINX
/usr/sbin/nginx -c "$sandbox/nginx/nginx.conf" -p "$sandbox/nginx"

start_sandbox_pgbouncer "$sandbox/pgbouncer" "$pgport" "$bouncerport" "pgstaging demo"
sleep 1

cat > "$sandbox/pgstaging.ini" <<INI
[DEFAULT]
backup_host     = 127.0.0.1:$httpport
host            = 127.0.0.1
dbuser          = postgres
maintdb         = postgres
postgres_port   = $pgport
postgres_major  = $(basename "$(dirname "$PGBIN")")
pgbouncer_port  = $bouncerport
pgbouncer_conf  = $sandbox/pgbouncer/pgbouncer.ini
pg_restore      = /usr/lib/postgresql/%(postgres_major)s/bin/pg_restore
tmpdir          = $sandbox/tmp
keep_bases      = 1
auto_switch     = True
restore_vacuum  = True

[demo.dev]
backup_base_url = /demo/
dbname          = demo
dbowner         = postgres
schemas         = public, app, billing, Sales Data, données
schemas_nodata  = audit
tablename_nodata_regexp = _log\$

[slack]
# the history of changes (pgstaging history) and the bot's state stay in the sandbox
state_dir       = $sandbox/state
INI

pgstaging() {
    echo
    echo "\$ pgstaging $*"
    java -jar "$jar" -c "$sandbox/pgstaging.ini" "$@"
}
say() { echo; echo "== $*"; }

say "The section [demo.dev] of $sandbox/pgstaging.ini restores the nightly dumps of 'demo'."
say "1. Which dumps does the backup server (nginx) offer?"
pgstaging backups demo.dev
say "2. Restore the oldest one, then the latest: each lands in its own dated database (demo_YYYYMMDD),"
echo "   and the pgbouncer alias 'demo' follows the newest restore (auto_switch = True)."
pgstaging restore demo.dev oldest
pgstaging restore demo.dev latest
say "3. The dated copies; * marks the one the alias 'demo' points to."
pgstaging databases demo.dev
pgstaging dbsizes demo.dev

say "4. The same console, driven by a script on standard input: roll the alias back to the oldest"
echo "   copy, look at pgbouncer, roll forward again, then purge (keep_bases = 1 keeps one copy)."
script=$'switch demo.dev oldest\npgbouncer demo.dev\nswitch demo.dev latest\npurge demo.dev\ndatabases demo.dev'
printf '%s\n' "$script" | sed 's/^/  > /'
printf '%s\n' "$script" | java -jar "$jar" -c "$sandbox/pgstaging.ini"

say "5. Applications connect to the alias through pgbouncer; it now reaches the latest copy:"
echo "\$ psql -h 127.0.0.1 -p $bouncerport -U postgres -d demo -c 'SELECT current_database()'"
reached=$("$PGBIN/psql" -X -At -h 127.0.0.1 -p "$bouncerport" -U postgres -d demo -c "SELECT current_database()")
latest="demo_$(date -d yesterday +%Y%m%d)"
if [ "$reached" != "$latest" ]; then
    echo "demo FAILED: the alias 'demo' reaches $reached, expected the latest copy $latest" >&2
    exit 1
fi
echo "the alias 'demo' reaches $reached, the latest copy"

say "6. Every change above is in the history, with who made it and how long it took:"
pgstaging history demo.dev
