# Sourced by demo.sh and the restore benchmark: a throwaway pgbouncer in front of a sandbox's
# PostgreSQL. Needs as_pg (runs a command as postgres when root) from the sourcing script.

# start_sandbox_pgbouncer DIR PGPORT BOUNCERPORT WHAT: writes DIR/pgbouncer.ini (trust auth,
# session pooling, the postgres database only) and starts pgbouncer as a daemon.
start_sandbox_pgbouncer() {
    local dir=$1 pgport=$2 bouncerport=$3 what=$4
    cat >"$dir/pgbouncer.ini" <<INI
; pgbouncer of the $what
[databases]
postgres = host=127.0.0.1 port=$pgport dbname=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncerport
unix_socket_dir =
auth_type = trust
auth_file = $dir/userlist.txt
admin_users = postgres
pool_mode = session
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    echo '"postgres" ""' >"$dir/userlist.txt"
    chmod 644 "$dir/"*
    [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
    as_pg /usr/sbin/pgbouncer -d "$dir/pgbouncer.ini"
}
