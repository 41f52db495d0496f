# Helpers of restore-benchmark.sh: the sandbox (PostgreSQL, pgbouncer, nginx with a fast and a
# rate-limited server), dump generation, pgstaging sections, one timed run per method, the report.
# Sourced, not run; expects the variables restore-benchmark.sh sets.

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres "$@"; }
want_link() { local l; for l in "${link_list[@]}"; do [ "$l" = "$1" ] && return 0; done; return 1; }
want_method() { local m; for m in "${method_list[@]}"; do [ "$m" = "$1" ] && return 0; done; return 1; }
dbname_for() { echo "${1//-/}_${2}_${3}"; }          # method size link -> e.g. dirauto_small_wan
# ensure_jar SCRIPT ROOT JAR BUILD AS_IS: builds JAR when it is missing or BUILD is 1; refuses a JAR
# older than ROOT/src/main unless AS_IS is 1. Why refuse: a benchmark of a stale jar measures other
# sources than the worktree's, and a warning scrolls away in a run that lasts half an hour.
ensure_jar() {
    if [ ! -f "$3" ] || [ "$4" = 1 ]; then
        echo "== building $3" >&2
        (cd "$2" && mvn -B -q -o -DskipTests package) \
            || { echo "$1: the build failed" >&2; echo "hint: run 'mvn -B -DskipTests package' in $2 to see why" >&2; exit 2; }
    fi
    local newer
    newer=$(find "$2/src/main" -newer "$3" -type f -print -quit)
    if [ -n "$newer" ] && [ "$5" != 1 ]; then
        echo "$1: $3 is older than $newer: it would measure other sources than the worktree's" >&2
        echo "hint: pass --build to rebuild it first, or --jar-as-is to measure it anyway" >&2
        exit 2
    fi
}
port_for() { if [ "$1" = fast ]; then echo "$fastport"; else echo "$wanport"; fi; }

free_port() {
    local p
    while :; do
        p=$(shuf -i 20000-60000 -n 1)
        (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null || { echo "$p"; return; }
    done
}

sandbox_cleanup() {
    local rc=$?
    [ -n "${sandbox:-}" ] || return 0
    warm_stop
    [ -f "$sandbox/nginx/nginx.pid" ] && kill "$(cat "$sandbox/nginx/nginx.pid")" 2>/dev/null
    [ -f "$sandbox/pgbouncer/pgbouncer.pid" ] && kill "$(cat "$sandbox/pgbouncer/pgbouncer.pid")" 2>/dev/null
    [ -d "$sandbox/pgdata" ] && as_pg "$PGBIN/pg_ctl" -D "$sandbox/pgdata" -m immediate stop >/dev/null 2>&1
    if [ "${KEEP:-0}" = 1 ]; then log "sandbox kept in $sandbox"; else rm -rf "$sandbox"; fi
    return $rc
}

sandbox_start() {
    local sb=$1
    pgport=$(free_port); bouncerport=$(free_port); fastport=$(free_port); wanport=$(free_port)
    mkdir -p "$sb"/{pgdata,run,pgbouncer,nginx,www,files,tmp,work,logs}
    [ "$(id -u)" -eq 0 ] && chown postgres "$sb"/{pgdata,run,pgbouncer}
    : >"$sb/results.tsv"

    # A staging server tuned for bulk loads; durability is irrelevant to the comparison and fsync
    # noise would drown it. Autovacuum is off so no method pays for another's leftovers.
    as_pg "$PGBIN/initdb" -D "$sb/pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$sb/pgdata" -l "$sb/run/postgres.log" -w -t 60 \
        -o "-p $pgport -k $sb/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_wal_size=4GB -c checkpoint_timeout=30min -c autovacuum=off \
            -c shared_buffers=256MB -c maintenance_work_mem=256MB" start >/dev/null

    start_sandbox_pgbouncer "$sb/pgbouncer" "$pgport" "$bouncerport" "pgstaging restore benchmark"

    # Two servers on the same docroot: "fast" (loopback, no limit) and "wan" (limit_rate per
    # connection). limit_rate_after 0 so the throttle starts at the first byte; nginx still lets
    # one second's worth through at once (its budget is rate * (seconds elapsed + 1)).
    local user=""
    [ "$(id -u)" -eq 0 ] && user="user nobody nogroup;"
    cat >"$sb/nginx/nginx.conf" <<NGINX
worker_processes 2;
$user
pid $sb/nginx/nginx.pid;
error_log $sb/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log $sb/nginx/access.log;
    client_body_temp_path $sb/nginx/client_body; proxy_temp_path $sb/nginx/proxy;
    fastcgi_temp_path $sb/nginx/fastcgi; uwsgi_temp_path $sb/nginx/uwsgi; scgi_temp_path $sb/nginx/scgi;
    default_type application/octet-stream;
    sendfile on;
    server {
        listen 127.0.0.1:$fastport;
        root $sb/www;
        location / { autoindex on; }
    }
    server {
        listen 127.0.0.1:$wanport;
        root $sb/www;
        location / { autoindex on; limit_rate $rate; limit_rate_after 0; }
    }
}
NGINX
    /usr/sbin/nginx -p "$sb/nginx/" -c "$sb/nginx/nginx.conf" -e "$sb/nginx/error.log"

    local i
    for i in $(seq 50); do
        "$PGBIN/psql" -X -At -h 127.0.0.1 -p "$bouncerport" -U postgres -d pgbouncer -c 'SHOW VERSION' >/dev/null 2>&1 \
            && curl -sf -o /dev/null "http://127.0.0.1:$fastport/" && return 0
        sleep 0.2
    done
    echo "restore-benchmark: pgbouncer or nginx did not start; see $sb/pgbouncer/pgbouncer.log and $sb/nginx/error.log" >&2
    KEEP=1
    exit 1
}

# The first section of pgstaging.ini (not DEFAULT): what untimed warm-up commands are run on.
first_section() { sed -n 's/^\[\(.*\)\]$/\1/p' "$sandbox/pgstaging.ini" | grep -v DEFAULT | head -n 1; }
# How many class archives the launcher has made in the sandbox (0 before the first run).
class_archives() { ls "$sandbox/cds" 2>/dev/null | grep -c '^pgstaging-.*\.jsa$' || true; }

# The launcher makes its class archive on its first real command (a few seconds, once per jar): an
# untimed listing does it here, so no timed run pays for it. The archive lives in the sandbox.
# warm_launcher SECTION JAR: that run for JAR (each jar has its own archive)
warm_launcher() {
    local first=$1 which=$2 before
    export PGSTAGING_CDS_DIR="$sandbox/cds"
    before=$(class_archives)
    PGSTAGING_JAR="$which" "$launcher" -c "$sandbox/pgstaging.ini" -q backups "$first" >/dev/null 2>"$sandbox/logs/warm-up.log" \
        || log "warning: the launcher's warm-up run of $which failed: $(tail -n 1 "$sandbox/logs/warm-up.log")"
    if [ "$(class_archives)" -gt "$before" ]; then
        log "launcher class archive of $(basename "$which"): $(du -h "$(ls -t "$sandbox/cds"/pgstaging-*.jsa | head -n 1)" | cut -f1)"
    else
        log "warning: the launcher made no class archive for $which; its runs will start slower"
    fi
}

# Does the jar know restore_mode? Only a hint for the header; each run's log is authoritative.
jar_mode_support() {
    if ! command -v unzip >/dev/null; then
        echo "restore_mode support not checked (no unzip); each run's log tells the mode used"
    elif unzip -p "$1" 'man/pgstaging.ini.5' 2>/dev/null | grep -aq restore_mode; then
        echo "jar documents restore_mode"
    else
        echo "jar does not document restore_mode: pgstaging runs will use its default download-then-restore"
    fi
}

# pgbench at SCALE plus the multi-schema fixture in one database, dumped -Fc (and -Fd).
make_dump() {
    local size=$1 scale=$2 fill=$3 want_dir=$4 db="src_$1" t0
    t0=$(now)
    psql_ -d postgres -c "CREATE DATABASE $db"
    if [ "$fill" = md5 ]; then
        # pgbench's filler is all spaces and compresses ~100:1, which no production table does;
        # hex text compresses about 2:1, so the dump's size, not only the restore, matters.
        "$PGBIN/pgbench" -i -q -s "$scale" -I dtg -h 127.0.0.1 -p "$pgport" -U postgres "$db" 2>/dev/null
        psql_ -d "$db" -c "UPDATE pgbench_accounts SET filler = md5(aid::text) || md5((aid + 7)::text)"
        psql_ -d "$db" -c "VACUUM FULL pgbench_accounts"
        "$PGBIN/pgbench" -i -q -I p -h 127.0.0.1 -p "$pgport" -U postgres "$db" 2>/dev/null
    else
        "$PGBIN/pgbench" -i -q -s "$scale" -h 127.0.0.1 -p "$pgport" -U postgres "$db" 2>/dev/null
    fi
    psql_ -d "$db" -f "$root/src/test/resources/fixtures/source.sql" >/dev/null
    if [ "$size" = indexed ]; then
        # index-heavy: data spread over several tables, each with indexes to build afterwards
        psql_ -d "$db" -c "CREATE TABLE words AS SELECT g AS id, md5(g::text) AS w FROM generate_series(1, 1500000) g" \
            -c "CREATE INDEX words_w ON words (w)" -c "ALTER TABLE words ADD PRIMARY KEY (id)" \
            -c "CREATE TABLE events AS SELECT g AS id, g % 1000 AS kind, md5((g * 7)::text) AS payload FROM generate_series(1, 1000000) g" \
            -c "CREATE INDEX events_kind ON events (kind)" -c "CREATE INDEX events_payload ON events (payload)" \
            -c "ALTER TABLE events ADD PRIMARY KEY (id)" >/dev/null
    fi
    if [ "$size" = many ]; then
        # many small tables, as an application with a schema per tenant or module has: the catalog
        # runs to megabytes and every table brings a load and a few builds
        # (a schema per transaction: one transaction creating them all would run out of lock slots)
        local m
        for m in $(seq 1 20); do
            psql_ -d "$db" >/dev/null <<SQL
DO \$\$
BEGIN
    EXECUTE format('CREATE SCHEMA m%s', $m);
    FOR i IN $((m * 100 - 99)) .. $((m * 100)) LOOP
        EXECUTE format('CREATE TABLE m%s.t%s (id int PRIMARY KEY, parent int, v text)', $m, i);
        EXECUTE format('INSERT INTO m%s.t%s SELECT g, g %% 50 + 1, md5((g * %s)::text) FROM generate_series(1, 300) g', $m, i, i);
        EXECUTE format('CREATE INDEX ON m%s.t%s (v)', $m, i);
        EXECUTE format('ALTER TABLE m%s.t%s ADD FOREIGN KEY (parent) REFERENCES m%s.t%s (id)', $m, i, $m, i);
    END LOOP;
END \$\$;
SQL
        done
    fi
    "$PGBIN/pg_dump" -Fc -h 127.0.0.1 -p "$pgport" -U postgres -f "$sandbox/files/$size.dump" "$db"
    [ "$want_dir" = 1 ] && "$PGBIN/pg_dump" -Fd -j 2 -h 127.0.0.1 -p "$pgport" -U postgres -f "$sandbox/files/$size.dir" "$db"
    local dbsize
    dbsize=$(psql_ -At -d postgres -c "SELECT pg_size_pretty(pg_database_size('$db'))")
    psql_ -d postgres -c "DROP DATABASE $db"
    mkdir -p "$sandbox/www/$size/baseline"
    ln -s "../../../files/$size.dump" "$sandbox/www/$size/baseline/src.dump"
    [ "$want_dir" = 1 ] && ln -s "../../../files/$size.dir" "$sandbox/www/$size/baseline/src.dir"
    eval "dump_bytes_$size=$(stat -c %s "$sandbox/files/$size.dump")"
    log "dump $size: pgbench -s $scale ($fill filler) + fixture, database $dbsize, -Fc dump $(du -h "$sandbox/files/$size.dump" | cut -f1)$([ "$want_dir" = 1 ] && echo ", -Fd dump $(du -sh "$sandbox/files/$size.dir" | cut -f1)") (made in $(elapsed "$t0" "$(now)") s)"
}

write_ini() {
    cat >"$sandbox/pgstaging.ini" <<INI
; pgstaging sections of the restore benchmark: one per restore_mode, size and link
[DEFAULT]
host            = 127.0.0.1
dbuser          = postgres
dbowner         = postgres
maintdb         = postgres
postgres_port   = $pgport
pgbouncer_port  = $bouncerport
pgbouncer_conf  = $sandbox/pgbouncer/pgbouncer.ini
pg_restore      = $PGBIN/pg_restore
tmpdir          = $sandbox/tmp
keep_bases      = 1
auto_switch     = True
; VACUUM ANALYZE is excluded: curl + pg_restore does not do it either
restore_vacuum  = False
remove_dump     = True
INI
}

section_for() {
    local m=$1 size=$2 link=$3 db mode rj ahead=True
    db=$(dbname_for "$m" "$size" "$link")
    case $m in
        stream) mode=stream; rj=1 ;;
        file) mode=file; rj=$jobs ;;
        ranges|ranges-b) mode=ranges; rj=$jobs ;;
        ranges-mem) mode=ranges; rj=$jobs; ahead=False ;;
        ranges-warm) mode=ranges; rj=$jobs ;;
        auto|dir-auto) mode=auto; rj=$jobs ;;
    esac
    cat >>"$sandbox/pgstaging.ini" <<INI

[$db.bench]
dbname          = $db
backup_host     = 127.0.0.1:$(port_for "$link")
backup_base_url = /$size/$db/
restore_mode    = $mode
restore_jobs    = $rj
fetch_ahead     = $ahead
INI
}

# Every round restores its own date: www/SIZE/DBNAME/DBNAME.2024-01-0R.dump -> the one dump.
link_round_files() {
    local size link m db r target
    for size in "${size_list[@]}"; do
        for link in "${link_list[@]}"; do
            for m in stream file ranges ranges-b ranges-mem ranges-warm auto dir-auto; do
                want_method "$m" || continue
                db=$(dbname_for "$m" "$size" "$link")
                target="../../../files/$size.dump"
                [ "$m" = dir-auto ] && target="../../../files/$size.dir"
                mkdir -p "$sandbox/www/$size/$db"
                for ((r = 1; r <= rounds; r++)); do
                    ln -s "$target" "$sandbox/www/$size/$db/$db.$(date_of_round "$r").dump"
                done
            done
        done
    done
    chmod -R a+rX "$sandbox/www" "$sandbox/files"
}

# record SIZE LINK METHOD ROUND SECONDS STATUS MODE HEAP_PEAK_MB HEAP_LIVE_MB RSS_MB DOWNLOAD_S ENGINE_S NOTE
record() { local IFS=$'\t'; echo "$*" >>"$sandbox/results.tsv"; }

bounded() { timeout --kill-after=10 "$op_timeout" "$@"; }

# Untimed, before every run: a CHECKPOINT and a sync, so no run pays for writing back what the
# previous one left dirty (a 1.5 GB restore leaves that much; checkpoints falling inside some runs
# and not others gave rounds of the same method 6 s apart).
settle() {
    psql_ -d postgres -c CHECKPOINT
    sync
}

run_method() {
    local m=$1 size=$2 link=$3 r=$4 port url db t0 t1 t2 rc=0 logf
    settle
    port=$(port_for "$link")
    logf="$sandbox/logs/$m-$size-$link-$r.log"
    case $m in
        dl)
            # the download alone over the connections pgstaging's parallel modes open at most:
            # restore_jobs blocks at a time, each over download_connections ranged requests
            local bytes_var="dump_bytes_$size" k part from to
            k=$(dl_connections)
            url="http://127.0.0.1:$port/$size/baseline/src.dump"
            part=$(( (${!bytes_var} + k - 1) / k ))
            t0=$(now)
            local pids=() i
            for ((i = 0; i < k; i++)); do
                from=$((i * part)); to=$((from + part - 1))
                bounded curl -sS --fail -r "$from-$to" -o /dev/null "$url" 2>>"$logf" & pids+=($!)
            done
            for i in "${pids[@]}"; do wait "$i" || rc=$?; done
            t2=$(now)
            if [ $rc -eq 0 ]; then
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" ok - - - - "$(elapsed "$t0" "$t2")" - ""
            else
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" fail - - - - - - "$(tail -n 1 "$logf" | cut -c1-120)"
            fi
            ;;
        local)
            # the server's side of the limit: createdb + pg_restore -j N from a local file, with the
            # session settings pgstaging gives pg_restore by default (restore_settings)
            db="base_local_${size}_$link"
            psql_ -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
            t0=$(now)
            psql_ -d postgres -c "CREATE DATABASE $db" || rc=$?
            [ $rc -eq 0 ] && { PGOPTIONS="-c maintenance_work_mem=1GB -c synchronous_commit=off" bounded "$PGBIN/pg_restore" \
                --exit-on-error -j "$jobs" -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" "$sandbox/files/$size.dump" 2>>"$logf" || rc=$?; }
            t2=$(now)
            if [ $rc -eq 0 ]; then
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" ok - - - - - - ""
            else
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" fail - - - - - - "$(tail -n 1 "$logf" | cut -c1-120)"
            fi
            psql_ -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
            ;;
        a|b|b-tuned|dir-a)
            db="base_${m//-/}_${size}_$link"
            psql_ -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
            t0=$(now)
            psql_ -d postgres -c "CREATE DATABASE $db" || rc=$?
            local tc
            tc=$(now)
            if [ "$m" = a ]; then
                url="http://127.0.0.1:$port/$size/baseline/src.dump"
                bounded curl -sS --fail -o "$sandbox/work/$db.dump" "$url" 2>>"$logf" || rc=$?
                t1=$(now)
                [ $rc -eq 0 ] && { bounded "$PGBIN/pg_restore" --exit-on-error -j "$jobs" -h 127.0.0.1 -p "$pgport" \
                    -U postgres -d "$db" "$sandbox/work/$db.dump" 2>>"$logf" || rc=$?; }
                rm -f "$sandbox/work/$db.dump"
            elif [ "$m" = b ] || [ "$m" = b-tuned ]; then
                url="http://127.0.0.1:$port/$size/baseline/src.dump"
                # b-tuned: the session settings pgstaging gives pg_restore by default (restore_settings)
                local pgoptions=""
                [ "$m" = b-tuned ] && pgoptions="-c maintenance_work_mem=1GB -c synchronous_commit=off"
                set +e
                bounded curl -sS --fail "$url" 2>>"$logf" \
                    | PGOPTIONS="$pgoptions" bounded "$PGBIN/pg_restore" --exit-on-error -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" 2>>"$logf"
                local ps=("${PIPESTATUS[@]}")
                set -e
                [ "${ps[0]}" -ne 0 ] && rc=${ps[0]}; [ "${ps[1]}" -ne 0 ] && rc=${ps[1]}
                t1=""
            else
                # a directory dump: its files fetched N at a time, then pg_restore -j N
                mkdir -p "$sandbox/work/$db"
                (cd "$sandbox/files/$size.dir" && ls) \
                    | bounded xargs -P "$jobs" -I{} curl -sS --fail -o "$sandbox/work/$db/{}" \
                        "http://127.0.0.1:$port/$size/baseline/src.dir/{}" 2>>"$logf" || rc=$?
                t1=$(now)
                [ $rc -eq 0 ] && { bounded "$PGBIN/pg_restore" --exit-on-error -j "$jobs" -h 127.0.0.1 -p "$pgport" \
                    -U postgres -d "$db" "$sandbox/work/$db" 2>>"$logf" || rc=$?; }
                rm -rf "$sandbox/work/$db"
            fi
            t2=$(now)
            local dl=""
            [ -n "$t1" ] && dl=$(elapsed "$tc" "$t1")
            if [ $rc -eq 0 ]; then
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" ok - - - - "$dl" - ""
            else
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" fail - - - - "$dl" - "$(tail -n 1 "$logf" | cut -c1-120)"
            fi
            psql_ -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" 2>/dev/null
            ;;
        stream|file|ranges|ranges-b|ranges-mem|auto|dir-auto)
            db=$(dbname_for "$m" "$size" "$link")
            local gclog="$sandbox/logs/$m-$size-$link-$r.gc" rssf="$sandbox/logs/$m-$size-$link-$r.rss"
            local run_jar=$jar
            [ "$m" = ranges-b ] && run_jar=$jar_b
            t0=$(now)
            PGSTAGING_JAR="$run_jar" PGSTAGING_JAVA_OPTS="-Xmx64m -Xlog:gc*:file=$gclog" bounded /usr/bin/time -f %M -o "$rssf" \
                "$launcher" -c "$sandbox/pgstaging.ini" -v restore "$db.bench" "$(date_of_round "$r")" \
                >"$logf" 2>&1 || rc=$?
            t2=$(now)
            local mode heap rss
            mode=$(detect_mode "$logf" "$m")
            heap=$(gc_heap "$gclog")
            rss=$(awk 'NF { v = $1 } END { if (v ~ /^[0-9]+$/) printf "%.0f", v / 1024; else print "-" }' "$rssf" 2>/dev/null || echo -)
            if [ $rc -eq 0 ]; then
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" ok "$mode" "${heap% *}" "${heap#* }" "$rss" \
                    "$(engine_figure "$logf" download)" "$(engine_figure "$logf" total)" ""
            else
                record "$size" "$link" "$m" "$r" "$(elapsed "$t0" "$t2")" fail "$mode" "${heap% *}" "${heap#* }" "$rss" "" - \
                    "$(grep -m1 -E 'error:' "$logf" | cut -c1-120)"
            fi
            # untimed: keep only the newest copy (the alias' one), so disk use stays flat
            timeout 120 "$launcher" -c "$sandbox/pgstaging.ini" -q purge "$db.bench" >>"$sandbox/logs/purge.log" 2>&1 || true
            ;;
        ranges-warm)
            db=$(dbname_for "$m" "$size" "$link")
            warm_start
            local took mode
            took=$(warm_run "restore $db.bench $(date_of_round "$r")" "$logf") || rc=$?
            mode=$(detect_mode "$logf" "$m")
            if [ $rc -eq 0 ] && ! grep -q 'error:' "$logf"; then
                record "$size" "$link" "$m" "$r" "$took" ok "$mode" - - - \
                    "$(engine_figure "$logf" download)" "$(engine_figure "$logf" total)" ""
            else
                record "$size" "$link" "$m" "$r" "${took:-0}" fail "$mode" - - - "" - \
                    "$( [ $rc -ne 0 ] && echo "no answer within $op_timeout s" || grep -m1 -E 'error:' "$logf" | cut -c1-120)"
            fi
            timeout 120 "$launcher" -c "$sandbox/pgstaging.ini" -q purge "$db.bench" >>"$sandbox/logs/purge.log" 2>&1 || true
            ;;
    esac
    local last
    last=$(tail -n 1 "$sandbox/results.tsv")
    log "$(echo "$last" | awk -F'\t' '{ printf "%-5s %-4s %-8s round %s: %7.2f s %s%s", $1, $2, $3, $4, $5, $6, ($7 != "-" ? "  mode " $7 : "") ($13 != "" ? "  (" $13 ")" : "") }')"
}

# ranges-warm: one pgstaging process for the whole benchmark, reading its commands from a FIFO
# (script mode, the console's face without a terminal), so that a restore finds the JVM started,
# its classes loaded and compiled, the history open: what a restore asked of the bot or of a console
# costs. Every line it prints is stamped with the time it arrived; a `version` after each command
# marks its end ("+ version", -v echoes each command as it starts), and the stamping loop hands
# that time over through a second FIFO: waiting for it costs nothing (polling the log with tail and
# grep every 20 ms took enough of the 2 cores to slow the restores by 15-30 %).
warm_fd="" warm_done_fd="" warm_pid=""
warm_start() {
    [ -z "$warm_fd" ] || return 0
    mkfifo "$sandbox/warm.in" "$sandbox/warm.done"
    exec {warm_fd}<>"$sandbox/warm.in" {warm_done_fd}<>"$sandbox/warm.done"
    # the subshell must not hold the input FIFO's writing end: closing ours is how pgstaging is told to end
    ( exec {warm_fd}>&- {warm_done_fd}>&- 9>"$sandbox/warm.done"
      PGSTAGING_JAVA_OPTS="-Xmx64m" "$launcher" -c "$sandbox/pgstaging.ini" -v --keep-going <"$sandbox/warm.in" 2>&1 \
        | while IFS= read -r line; do
              printf '%s %s\n' "$EPOCHREALTIME" "$line"
              [ "$line" = "+ version" ] && echo "$EPOCHREALTIME" >&9
          done >"$sandbox/logs/warm.stamped" ) &
    warm_pid=$!
    warm_run "backups $(first_section)" "$sandbox/logs/warm-up-warm.log" >/dev/null \
        || log "warning: the warm process did not answer its first command; see $sandbox/logs/warm.stamped"
}
# warm_run COMMAND LOG: runs COMMAND in the warm process, writes its output lines to LOG and prints
# the seconds from sending it to its end; returns 1 when it did not end within op_timeout seconds.
warm_run() {
    local n0 t0 end
    n0=$(wc -l <"$sandbox/logs/warm.stamped")
    t0=$EPOCHREALTIME
    printf '%s\nversion\n' "$1" >&"$warm_fd"
    read -r -t "$op_timeout" end <&"$warm_done_fd" || return 1
    tail -n +"$((n0 + 1))" "$sandbox/logs/warm.stamped" | awk '/^[0-9.]+ \+ version$/ { exit } { sub(/^[0-9.]+ /, ""); print }' >"$2"
    elapsed "$t0" "$end"
}
warm_stop() {
    [ -n "$warm_fd" ] || return 0
    exec {warm_fd}>&-
    warm_fd=""
    local i
    for i in $(seq 50); do kill -0 "$warm_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$warm_pid" 2>/dev/null || true
    pkill -f -- "-c $sandbox/pgstaging.ini -v --keep-going" 2>/dev/null || true
    exec {warm_done_fd}>&-
}

# Which path did pgstaging take? The engine's own words win; else the pg_restore command line it
# logs with -v: a dump file as last argument means download-then-restore.
detect_mode() {
    local f=$1 m=$2 said
    if grep -q "unknown option 'restore_mode'" "$f" 2>/dev/null || grep -qi "warning.*restore_mode" "$f" 2>/dev/null; then
        echo "file(restore_mode-unknown)"; return
    fi
    # the download step says "[stream (restore_mode = ...)]" or "[file (restore_mode = ...)]": the mode chosen
    said=$(grep -oE "\[(stream|file|ranges) \(restore_mode" "$f" 2>/dev/null | head -n 1 | sed -E 's/^\[([a-z]+) .*/\1/' || true)
    if [ -n "$said" ]; then echo "$said"; return; fi
    if grep -qE "pg_restore .*--dbname=[^ ]+ .*\.dump$" "$f" 2>/dev/null; then echo "file(from-log)"; return; fi
    if grep -qE "pg_restore .*--dbname=[^ ]+( --use-list=[^ ]+)?$" "$f" 2>/dev/null; then echo "stream(from-log)"; return; fi
    echo "unknown"
}

# "PEAK LIVE" in MB from a -Xlog:gc* file: PEAK is the largest heap used before a collection (or
# at exit), LIVE the largest after one. "- -" when there is no log.
gc_heap() {
    [ -s "$1" ] || { echo "- -"; return; }
    awk '
        function mb(v,  n, u) { n = v + 0; u = substr(v, length(v)); return u == "G" ? n * 1024 : u == "K" ? n / 1024 : u == "B" ? n / 1048576 : n }
        /Pause|Full/ && match($0, /[0-9]+[KMGB]->[0-9]+[KMGB]\(/) {
            split(substr($0, RSTART, RLENGTH - 1), p, "->")
            if (mb(p[1]) > peak) peak = mb(p[1]); if (mb(p[2]) > live) live = mb(p[2])
        }
        /gc,heap,exit/ && match($0, /used [0-9]+[KMG]/) {
            u = mb(substr($0, RSTART + 5, RLENGTH - 5)); if (u > peak) peak = u
        }
        END { printf "%.0f %s\n", peak, (live > 0 ? sprintf("%.0f", live) : "-") }' "$1"
}

# pgstaging's closing summary ("  download  0.1s", "  total     2.7s"): its own view, without the
# JVM start, the config and the listing. "-" when absent.
engine_figure() {
    awk -v k="$2" '$1 == k && $2 ~ /^[0-9.]+s$/ { v = substr($2, 1, length($2) - 1) } END { print (v == "" ? "-" : v) }' "$1" 2>/dev/null
}

# stats of the numbers on stdin: "MEDIAN MIN MAX N" or "- - - 0"
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - - 0"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f %.2f %.2f %d\n", m, v[1], v[NR], NR }'
}
column_of() {   # SIZE LINK METHOD COLUMN: the ok rounds' values of that column
    awk -F'\t' -v s="$1" -v l="$2" -v m="$3" -v c="$4" '$1 == s && $2 == l && $3 == m && $6 == "ok" && $c != "" && $c != "-" { print $c }' "$sandbox/results.tsv"
}
# connections of the download-alone reference: restore_jobs x download_connections (its default,
# restore_jobs clamped to 2..4), as ranges mode may read that many blocks' chunks at once
dl_connections() { local c=$jobs; [ "$c" -lt 2 ] && c=2; [ "$c" -gt 4 ] && c=4; echo $((jobs * c)); }
# L: the physical limit of one round, max(download alone, local pg_restore -j N), from the medians
limit_of() {
    local d l
    d=$(column_of "$1" "$2" dl 5 | stats | cut -d' ' -f1); l=$(column_of "$1" "$2" local 5 | stats | cut -d' ' -f1)
    awk -v d="$d" -v l="$l" 'BEGIN { if (d == "-" || l == "-") print "-"; else print (d + 0 > l + 0 ? d : l) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
# SIZE LINK METHOD REF: the median over rounds of METHOD's time over REF's in the same round (REF: a
# method, or L = max(dl, local) of that round), "-" without a round holding both. Why: this machine's
# speed drifts by 10-30 % within minutes; a round's methods run back to back, so their ratio drifts
# far less than the ratio of two medians taken over the whole run.
paired_ratio() {
    awk -F'\t' -v s="$1" -v l="$2" -v m="$3" -v ref="$4" '
        $1 != s || $2 != l || $6 != "ok" { next }
        { t[$3, $4] = $5; rounds[$4] = 1 }
        END {
            for (r in rounds) {
                if (!((m, r) in t)) continue
                if (ref == "L") {
                    if (!(("dl", r) in t) || !(("local", r) in t)) continue
                    b = t["dl", r] + 0 > t["local", r] + 0 ? t["dl", r] : t["local", r]
                } else {
                    if (!((ref, r) in t)) continue
                    b = t[ref, r]
                }
                if (b + 0 > 0) print t[m, r] / b
            }
        }' "$sandbox/results.tsv" | stats | cut -d' ' -f1
}

print_report() {
    local size link m med mn mx n fails best a_med b_med mode heap live rss dl_med dl eng ra rb rl lim verdict target bytes
    echo
    echo "pgstaging restore benchmark — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), PostgreSQL $("$PGBIN/pg_restore" --version | awk '{ print $3 }'), rounds $rounds, jobs $jobs, WAN limit_rate $rate"
    echo "worktree HEAD: $(git -C "$root" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
    echo "wall seconds per restore, median (min-max) of the ok rounds; VACUUM excluded (restore_vacuum = False); c/best: pgstaging over"
    echo "the better of (a) and (b); c/a: over curl -o + pg_restore -j $jobs; c/L: over L = max(dl, local), the physical limit (dl: the"
    echo "download alone over $(dl_connections) ranged connections, local: pg_restore -j $jobs from a local file). Targets of the parallel"
    echo "streaming issue: c/L <= 1.2 for every parallel mode, and c/a <= 0.5 on the WAN link, c/a <= 1.0 on the fast one."
    echo "Paired (rd): the median over rounds of each round's own ratio (the methods of a round run back to back, so the"
    echo "machine's drift over the run cancels out); the target verdict reads the paired ratios."
    echo "pgstaging's pg_restore sessions get its default restore_settings (maintenance_work_mem=1GB, synchronous_commit=off); (a) and (b)"
    echo "run with the server's (maintenance_work_mem=256MB, synchronous_commit=off); b-tuned is (b) with pgstaging's settings in PGOPTIONS."
    for size in "${size_list[@]}"; do
        local bv="dump_bytes_$size"; bytes=${!bv}
        for link in "${link_list[@]}"; do
            a_med=$(column_of "$size" "$link" a 5 | stats | cut -d' ' -f1)
            b_med=$(column_of "$size" "$link" b 5 | stats | cut -d' ' -f1)
            best=$(awk -v a="$a_med" -v b="$b_med" 'BEGIN { if (a == "-") print b; else if (b == "-") print a; else print (a + 0 < b + 0 ? a : b) }')
            dl_med=$(column_of "$size" "$link" a 11 | stats | cut -d' ' -f1)
            lim=$(limit_of "$size" "$link")
            echo
            printf '%s dump (%s MB -Fc), %s link' "$size" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')" "$link"
            [ "$link" = wan ] && printf ' (limit_rate %s per connection)' "$rate"
            echo
            if [ "$dl_med" != "-" ] && [ "$a_med" != "-" ]; then
                # the best any overlap of download and restore can do is max(download, restore)
                printf '  (a) = curl %s s (%s MB/s) + createdb/pg_restore %s s; perfect overlap would give c/a >= %s\n' \
                    "$dl_med" "$(awk -v b="$bytes" -v t="$dl_med" 'BEGIN { printf "%.1f", b / 1048576 / t }')" \
                    "$(awk -v a="$a_med" -v d="$dl_med" 'BEGIN { printf "%.2f", a - d }')" \
                    "$(awk -v a="$a_med" -v d="$dl_med" 'BEGIN { r = a - d; printf "%.2f", (d > r ? d : r) / a }')"
            fi
            if [ "$lim" != "-" ]; then
                printf '  L = %s s, limited by the %s\n' "$lim" "$(awk -v d="$(column_of "$size" "$link" dl 5 | stats | cut -d' ' -f1)" -v l="$lim" 'BEGIN { print (d + 0 >= l + 0 ? "network (the download alone takes longer than the local restore)" : "server (the local restore takes longer than the download alone)") }')"
            fi
            printf '  %-9s %-40s %18s %5s %6s %6s %6s %6s %6s %7s %7s %-6s %6s %6s %6s\n' method "how -> mode seen" "median (min-max) s" ok "dl s" "eng s" c/best c/a c/L "c/a rd" "c/L rd" target heapMB liveMB rssMB
            for m in "${method_list[@]}"; do
                read -r med mn mx n < <(column_of "$size" "$link" "$m" 5 | stats)
                fails=$(awk -F'\t' -v s="$size" -v l="$link" -v m="$m" '$1 == s && $2 == l && $3 == m && $6 != "ok"' "$sandbox/results.tsv" | wc -l)
                mode=$(awk -F'\t' -v s="$size" -v l="$link" -v m="$m" '$1 == s && $2 == l && $3 == m { print $7 }' "$sandbox/results.tsv" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
                heap=$(column_of "$size" "$link" "$m" 8 | stats | cut -d' ' -f3)
                live=$(column_of "$size" "$link" "$m" 9 | stats | cut -d' ' -f3)
                rss=$(column_of "$size" "$link" "$m" 10 | stats | cut -d' ' -f3)
                dl=$(column_of "$size" "$link" "$m" 11 | stats | cut -d' ' -f1)
                eng=$(column_of "$size" "$link" "$m" 12 | stats | cut -d' ' -f1)
                ra="" rb="" rl="" pa="" pl="" target=""
                case $m in
                    a) mode="curl -o, pg_restore -j $jobs" ;;
                    b) mode="curl | pg_restore" ;;
                    b-tuned) mode="curl | pg_restore, restore_settings" ;;
                    dir-a) mode="-Fd: curl x$jobs, pg_restore -j $jobs" ;;
                    dl) mode="download alone, curl x$(dl_connections) ranges" ;;
                    local) mode="local file, pg_restore -j $jobs, settings" ;;
                    *)  mode="pgstaging $(ini_mode "$m") -> ${mode:-?}"
                        rb=$(ratio "$med" "$best"); ra=$(ratio "$med" "$a_med"); rl=$(ratio "$med" "$lim")
                        pa=$(paired_ratio "$size" "$link" "$m" a); pl=$(paired_ratio "$size" "$link" "$m" L)
                        if [ "$m" = stream ]; then
                            target="-" # one pg_restore job: the parallel goals do not apply
                        else
                            target=$(awk -v a="${pa/#-/$ra}" -v l="${pl/#-/$rl}" -v w="$link" 'BEGIN {
                                if (a == "-" || l == "-") { print "n/a"; exit }
                                print ((l + 0 <= 1.2 && a + 0 <= (w == "wan" ? 0.5 : 1.0)) ? "PASS" : "FAIL") }')
                        fi ;;
                esac
                case $m in dir-a|b-tuned) ra=$(ratio "$med" "$a_med"); rb=$(ratio "$med" "$best") ;; esac
                printf '  %-9s %-40s %18s %5s %6s %6s %6s %6s %6s %7s %7s %-6s %6s %6s %6s\n' "$m" "${mode:0:40}" \
                    "$( [ "$med" = - ] && echo - || echo "$med ($mn-$mx)")" "$n/$((n + fails))" "$dl" "$eng" \
                    "${rb:--}" "${ra:--}" "${rl:--}" "${pa:--}" "${pl:--}" "${target:--}" "${heap%.00}" "${live%.00}" "${rss%.00}"
            done
            if want_method ranges-b; then
                printf '  ranges over ranges-b, paired: %s (this jar against --jar-b, round by round)\n' \
                    "$(paired_ratio "$size" "$link" ranges ranges-b)"
            fi
            awk -F'\t' -v s="$size" -v l="$link" '$1 == s && $2 == l && $6 != "ok" { printf "  failed: %s round %s: %s\n", $3, $4, $13 }' "$sandbox/results.tsv"
        done
    done
    echo
    echo "dl s: curl's time for (a)/(dir-a), pgstaging's own download figure for (c); eng s: pgstaging's own total (no JVM start, config, listing)."
    echo "heapMB: peak Java heap used (largest before-GC or at-exit figure of -Xlog:gc*), liveMB: largest after GC, rssMB: max RSS (/usr/bin/time %M); -Xmx64m."
    want_link wan && echo "WAN: nginx limit_rate is per connection, so a download split into N ranged requests may get up to N x $rate; nginx also sends the first second's worth at once."
    echo "mode seen: what the pgstaging -v log showed; 'file(restore_mode-unknown)' = the engine warned that it does not know restore_mode and ran its default download-then-restore."
    echo "raw rows: $sandbox/results.tsv$([ "${KEEP:-0}" = 1 ] || echo ' (removed on exit; --keep keeps them)')"
}
ini_mode() {
    case $1 in
        stream) echo "stream/j1" ;;
        file) echo "file/j$jobs" ;;
        ranges) echo "ranges/j$jobs" ;;
        ranges-b) echo "ranges/j$jobs, --jar-b" ;;
        ranges-mem) echo "ranges/j$jobs fetch_ahead=False" ;;
        ranges-warm) echo "ranges/j$jobs, warm process" ;;
        auto) echo "auto/j$jobs" ;;
        dir-auto) echo "auto/j$jobs -Fd" ;;
    esac
}
