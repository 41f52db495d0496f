#!/usr/bin/env bash
# Restore benchmark: how long does "get last night's dump into a fresh database" take with
#   (a) curl -o FILE, then pg_restore -j N FILE          (download first, parallel restore)
#   (b) curl URL | pg_restore                            (stream, single job)
#   (c) pgstaging restore, once per restore_mode (stream, file and ranges with restore_jobs = N, auto)
# over a fast link (nginx, no limit) and a modelled WAN link (nginx limit_rate), for two dump
# sizes, several rounds each, methods interleaved, beside the physical limit L = max(download alone
# over the same connections, pg_restore -j N from a local file). It prints medians, the ratios the
# restore issues target (c/a, c/L), and the peak heap and RSS of the pgstaging JVM (run with -Xmx64m).
#
# Not a test: it prints figures. Everything lives in one temporary directory on loopback ports
# and is removed on exit (KEEP=1 keeps it). Usage: see usage() below or --help.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=../../main/scripts/sandbox-pgbouncer.sh
source "$root/src/main/scripts/sandbox-pgbouncer.sh"

usage() {
    cat <<'USAGE'
usage: bash src/test/benchmark/restore-benchmark.sh [options]
  --rounds N          rounds per size and link (default 3); the median is reported
  --sizes LIST        comma-separated size names among small,large,indexed,many (default small,large)
  --scale-small N     pgbench scale of "small" (default 20, about 51 MB dump, 300 MB database)
  --scale-large N     pgbench scale of "large" (default 100, about 250 MB dump, 1.5 GB database)
                      "indexed": pgbench -s 5 plus a 1.5 M-row table with a text index and a 1 M-row
                      table with three indexes (index-heavy, data spread over several tables)
                      "many": pgbench -s 1 plus 2,000 small tables in 20 schemas (300 rows, a primary
                      key, an index and a foreign key each): a catalog of megabytes, thousands of builds
  --rate RATE         nginx limit_rate of the WAN link, nginx syntax: 10m = 10 MB/s (default 10m; at
                      20m a pgbench dump downloads faster than it restores here, leaving little to overlap)
  --links LIST        fast,wan (default both)
  --jobs N            pg_restore -j for (a) and for restore_jobs of the file/auto sections (default 2)
  --methods LIST      among dl,local,a,b,b-tuned,stream,file,ranges,ranges-b,ranges-mem,ranges-warm,auto,dir-a,dir-auto
                      (default dl,local,a,b,stream,file,ranges,auto)
                      dl: the download alone over restore_jobs x download_connections ranged connections;
                      local: pg_restore -j N from a local file with restore_settings; L = max(dl, local)
                      ranges-mem: ranges with fetch_ahead = False (each block streamed through memory)
                      ranges-b: ranges run by the jar of --jar-b: two builds compared in the same
                      rounds, one after the other (this machine drifts by 10-30 % within minutes,
                      so two separate runs cannot tell a 5 % change)
                      ranges-warm: ranges sent to one long-running pgstaging (script mode on a FIFO):
                      JVM start, class loading and the history's opening paid once, as the bot and a
                      console pay them
                      b-tuned: (b) with the session settings pgstaging gives pg_restore by default
                      (PGOPTIONS='-c maintenance_work_mem=1GB -c synchronous_commit=off')
                      dir-*: a pg_dump -Fd directory dump, (dir-a) parallel curl + pg_restore -j N,
                      (dir-auto) pgstaging on a listing whose entry is the directory
  --filler md5|blank  pgbench_accounts.filler: md5 text compresses like real data (default md5),
                      blank is pgbench's all-spaces filler (dumps ~10x smaller)
  --timeout SECONDS   bound on every single download/restore (default 600)
  --jar-b JAR         the other pgstaging.jar of method ranges-b (e.g. one built from the commit before)
  --build             rebuild target/pgstaging.jar first (otherwise only when it is missing)
  --jar-as-is         measure target/pgstaging.jar even when src/main is newer (refused otherwise)
  --keep              keep the sandbox directory (same as KEEP=1)
USAGE
}

rounds=3 sizes=small,large scale_small=20 scale_large=100 rate=10m links=fast,wan jobs=2
methods=dl,local,a,b,stream,file,ranges,auto filler=md5 op_timeout=600 build=0 as_is=0 jar_b=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --scale-small) scale_small=$2; shift 2 ;;
        --scale-large) scale_large=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --links) links=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --methods) methods=$2; shift 2 ;;
        --filler) filler=$2; shift 2 ;;
        --timeout) op_timeout=$2; shift 2 ;;
        --jar-b) jar_b=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --build) build=1; shift ;;
        --jar-as-is) as_is=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "restore-benchmark: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

# validate everything before any side effect
is_int() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
bad() { echo "restore-benchmark: $1" >&2; echo "hint: $2" >&2; exit 2; }
is_int "$rounds" 1 20 || bad "--rounds '$rounds' is not a number from 1 to 20" "e.g. --rounds 3"
is_int "$scale_small" 1 1000 || bad "--scale-small '$scale_small' is not a number from 1 to 1000" "e.g. --scale-small 5"
is_int "$scale_large" 1 1000 || bad "--scale-large '$scale_large' is not a number from 1 to 1000" "e.g. --scale-large 20"
is_int "$jobs" 1 64 || bad "--jobs '$jobs' is not a number from 1 to 64" "e.g. --jobs 2"
is_int "$op_timeout" 10 86400 || bad "--timeout '$op_timeout' is not a number of seconds from 10 to 86400" "e.g. --timeout 600"
[[ $rate =~ ^[1-9][0-9]*[kKmM]?$ ]] || bad "--rate '$rate' is not an nginx rate" "bytes per second with an optional k or m suffix, e.g. --rate 20m"
[[ $filler =~ ^(md5|blank)$ ]] || bad "--filler '$filler' is neither md5 nor blank" "e.g. --filler md5"
IFS=, read -r -a size_list <<<"$sizes"
for s in "${size_list[@]}"; do [[ $s =~ ^(small|large|indexed|many)$ ]] || bad "--sizes: unknown size '$s'" "use some of small,large,indexed,many"; done
IFS=, read -r -a link_list <<<"$links"
for l in "${link_list[@]}"; do [[ $l =~ ^(fast|wan)$ ]] || bad "--links: unknown link '$l'" "use fast, wan or fast,wan"; done
IFS=, read -r -a method_list <<<"$methods"
for m in "${method_list[@]}"; do
    [[ $m =~ ^(dl|local|a|b|b-tuned|stream|file|ranges|ranges-b|ranges-mem|ranges-warm|auto|dir-a|dir-auto)$ ]] || bad "--methods: unknown method '$m'" "use some of dl,local,a,b,b-tuned,stream,file,ranges,ranges-b,ranges-mem,ranges-warm,auto,dir-a,dir-auto"
done
if want_method ranges-b; then
    [ -n "$jar_b" ] || bad "method ranges-b needs --jar-b" "build the other version's jar and give its path, e.g. --jar-b /tmp/before.jar"
    [ -f "$jar_b" ] || bad "--jar-b '$jar_b' is not a file" "give the path of a pgstaging.jar"
    jar_b=$(cd "$(dirname "$jar_b")" && pwd)/$(basename "$jar_b")
elif [ -n "$jar_b" ]; then
    bad "--jar-b is only used by method ranges-b" "add ranges-b to --methods"
fi
scale_of() { case $1 in small) echo "$scale_small" ;; indexed) echo 5 ;; many) echo 1 ;; *) echo "$scale_large" ;; esac; }
wants_dir=0; for m in "${method_list[@]}"; do [[ $m == dir-* ]] && wants_dir=1; done

PGBIN=/usr/lib/postgresql/15/bin
for tool in "$PGBIN/initdb" "$PGBIN/pg_restore" "$PGBIN/pgbench" /usr/sbin/pgbouncer /usr/sbin/nginx curl java /usr/bin/time; do
    command -v "$tool" >/dev/null || bad "$tool is missing" "install it (see src/test/scripts/install-deps.sh)"
done
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    bad "running as root but there is no 'postgres' user (initdb, postgres and pgbouncer refuse root)" \
        "create it: useradd --system --home-dir /var/lib/postgresql postgres"
fi

jar="$root/target/pgstaging.jar"
launcher="$root/src/main/scripts/pgstaging"
export PGSTAGING_JAR="$jar"
ensure_jar restore-benchmark "$root" "$jar" "$build" "$as_is"

sandbox=$(mktemp -d /tmp/pgstaging-bench.XXXXXX)
chmod 755 "$sandbox"
trap 'sandbox_cleanup' EXIT
trap 'exit 130' INT TERM
sandbox_start "$sandbox"

log "sandbox $sandbox: PostgreSQL :$pgport, pgbouncer :$bouncerport, nginx fast :$fastport, wan :$wanport (limit_rate $rate)"
log "worktree HEAD: $(git -C "$root" log -1 --format='%h %s' 2>/dev/null | cut -c1-90) ($(jar_mode_support "$jar"))"

# ---------------------------------------------------------------- dumps
date_of_round() { printf '2024-01-%02d' "$1"; }
for size in "${size_list[@]}"; do
    make_dump "$size" "$(scale_of "$size")" "$filler" "$wants_dir"
done

# ---------------------------------------------------------------- pgstaging sections
# One dbname per method, size and link, so rounds never collide; every round restores another date,
# served by a symlink to the same dump (nginx follows symlinks; Content-Length is the target's).
write_ini
for size in "${size_list[@]}"; do
    for link in "${link_list[@]}"; do
        for m in stream file ranges ranges-b ranges-mem ranges-warm auto dir-auto; do
            want_method "$m" || continue
            section_for "$m" "$size" "$link"
        done
    done
done
link_round_files
warm_launcher "$(first_section)" "$jar"
[ -n "$jar_b" ] && warm_launcher "$(first_section)" "$jar_b"
[ -n "$jar_b" ] && log "ranges-b: $jar_b ($(jar_mode_support "$jar_b"))"

# ---------------------------------------------------------------- runs
log "rounds: $rounds, sizes: ${size_list[*]}, links: ${link_list[*]}, methods: ${method_list[*]}, jobs: $jobs"
for size in "${size_list[@]}"; do
    for link in "${link_list[@]}"; do
        for ((r = 1; r <= rounds; r++)); do
            # rotate the order each round so drift (page cache, autovacuum, neighbours) hits all, and
            # reverse it every other round so no method always runs right after the same one
            n=${#method_list[@]}
            for ((i = 0; i < n; i++)); do
                j=$i
                ((r % 2 == 0)) && j=$((n - 1 - i))
                m=${method_list[$(((j + r - 1) % n))]}
                run_method "$m" "$size" "$link" "$r"
            done
        done
    done
done

print_report
