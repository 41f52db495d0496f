#!/usr/bin/env bash
# Fixed cost of one restore: what pgstaging spends besides moving data, on a dump so small
# (the multi-schema fixture, a few hundred KB) that its data costs nothing. Each part is timed as
# the difference between two commands users run, median of N rounds:
#   JVM start            pgstaging --version (the launcher, its class archive warm)
#   configuration+listing  pgstaging backups SECTION, minus the JVM start
#   plan and checks      pgstaging restore -n SECTION (tools, pgbouncer, settings, catalog head), minus the listing
#   restore steps        pgstaging -v restore SECTION DATE: each step's own time from its output
#                        (create database, catalog, pg_restore, pgbouncer switch), and what is left
#   warm process         the same restore sent to one long-running pgstaging (script mode on a FIFO,
#                        see lib.sh's warm_start): what the bot and a console pay, the JVM started
# beside the reference: createdb + curl | pg_restore of the same dump. With --jar-b JAR, the
# command-line figures of another build too, run in the same rounds, the two alternated (this
# machine drifts by more within minutes than most start-up changes are worth).
#
# Not a test: it prints figures.
# Usage: bash src/test/benchmark/fixed-cost.sh [--rounds N] [--jar-b JAR] [--build | --jar-as-is] [--keep]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=../../main/scripts/sandbox-pgbouncer.sh
source "$root/src/main/scripts/sandbox-pgbouncer.sh"

rounds=7 build=0 as_is=0 rate=10m op_timeout=120 jar_b=""
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --jar-b) jar_b=$2; shift 2 ;;
        --build) build=1; shift ;;
        --jar-as-is) as_is=1; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fixed-cost: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $rounds =~ ^[0-9]+$ ]] && [ "$rounds" -ge 1 ] && [ "$rounds" -le 50 ] \
    || { echo "fixed-cost: --rounds '$rounds' is not a number from 1 to 50" >&2; exit 2; }
if [ -n "$jar_b" ]; then
    [ -f "$jar_b" ] || { echo "fixed-cost: --jar-b '$jar_b' is not a file" >&2; exit 2; }
    jar_b=$(readlink -f "$jar_b")
fi

PGBIN=/usr/lib/postgresql/15/bin
jar="$root/target/pgstaging.jar"
launcher="$root/src/main/scripts/pgstaging"
export PGSTAGING_JAR="$jar"
ensure_jar fixed-cost "$root" "$jar" "$build" "$as_is"

sandbox=$(mktemp -d /tmp/pgstaging-fixed.XXXXXX)
chmod 755 "$sandbox"
trap 'sandbox_cleanup' EXIT
trap 'exit 130' INT TERM
sandbox_start "$sandbox"
link_list=(fast) method_list=() size_list=()

psql_ -d postgres -c "CREATE DATABASE fixture_src"
psql_ -d fixture_src -f "$root/src/test/resources/fixtures/source.sql" >/dev/null
mkdir -p "$sandbox/www/fixed"
for ((r = 1; r <= rounds; r++)); do
    "$PGBIN/pg_dump" -Fc -h 127.0.0.1 -p "$pgport" -U postgres -f "$sandbox/www/fixed/fixed.$(printf '2024-01-%02d' "$r").dump" fixture_src
    # the warm process restores February's dates, the --jar-b comparison March's and April's: the
    # same dumps under other names
    for month in 02 03 04; do
        ln -s "fixed.$(printf '2024-01-%02d' "$r").dump" "$sandbox/www/fixed/fixed.$(printf "2024-$month-%02d" "$r").dump"
    done
done
chmod -R a+rX "$sandbox/www"
write_ini
cat >>"$sandbox/pgstaging.ini" <<INI

[fixed.bench]
dbname          = fixed
backup_host     = 127.0.0.1:$fastport
backup_base_url = /fixed/
INI
warm_launcher fixed.bench "$jar"
[ -z "$jar_b" ] || warm_launcher fixed.bench "$jar_b"
size=$(stat -c %s "$sandbox/www/fixed/fixed.2024-01-01.dump")
log "dump: the multi-schema fixture, $size bytes; $rounds rounds"

pgs() { "$launcher" -c "$sandbox/pgstaging.ini" "$@"; }
timed() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || { echo "fixed-cost: '$*' failed" >&2; return 1; }; elapsed "$t0" "$(now)"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "-"; exit } printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$sandbox/fixed.tsv"
# the step lines of -v restore, "creating database NAME ... 0.2s" or "restoring   0.5s  118 items"
# (a step that showed progress); their first word names the step
step_times() {
    awk '/^[a-z]/ && / \.\.\. [0-9.]+s$/ { t = $NF; sub(/s$/, "", t); printf "%s\t%s\n", $1, t; next }
         /^[a-z]+ +[0-9.]+s( |$)/ { t = $2; sub(/s$/, "", t); printf "%s\t%s\n", $1, t }' "$1"
}

# cli_checks SUFFIX DATE: --version, backups and restore -n of the jar in PGSTAGING_JAR, keys suffixed
cli_checks() {
    local suffix=$1 date=$2
    psql_ -d postgres -c CHECKPOINT
    echo -e "jvm$suffix\t$(timed pgs --version)" >>"$sandbox/fixed.tsv"
    echo -e "listing$suffix\t$(timed pgs -q backups fixed.bench)" >>"$sandbox/fixed.tsv"
    echo -e "dryrun$suffix\t$(timed pgs -q restore -n fixed.bench "$date")" >>"$sandbox/fixed.tsv"
}

# cli_round SUFFIX DATE: those and a -q restore, for comparing two jars
cli_round() {
    local suffix=$1 date=$2
    cli_checks "$suffix" "$date"
    echo -e "restore$suffix\t$(timed pgs -q restore fixed.bench "$date")" >>"$sandbox/fixed.tsv"
    pgs -q purge fixed.bench >/dev/null 2>&1 || true
}

for ((r = 1; r <= rounds; r++)); do
    date=$(printf '2024-01-%02d' "$r")
    if [ -n "$jar_b" ]; then
        # both jars measured the same way, next to each other, in turn first
        if [ $((r % 2)) = 0 ]; then
            PGSTAGING_JAR="$jar_b" cli_round -b "$(printf '2024-03-%02d' "$r")"
            cli_round -a "$(printf '2024-04-%02d' "$r")"
        else
            cli_round -a "$(printf '2024-04-%02d' "$r")"
            PGSTAGING_JAR="$jar_b" cli_round -b "$(printf '2024-03-%02d' "$r")"
        fi
    fi
    cli_checks "" "$date"
    t0=$(now)
    # every line stamped with the seconds since the start, to see when each part begins
    { pgs -v restore fixed.bench "$date" 2>&1 || echo "RESTORE FAILED"; } | while IFS= read -r line; do
        printf '%6.3f %s\n' "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$line"
    done >"$sandbox/logs/restore-$r.stamped"
    grep -q 'RESTORE FAILED' "$sandbox/logs/restore-$r.stamped" && { echo "fixed-cost: restore failed, see $sandbox/logs/restore-$r.stamped" >&2; KEEP=1; exit 1; }
    cut -c8- "$sandbox/logs/restore-$r.stamped" >"$sandbox/logs/restore-$r.log"
    echo -e "restore\t$(elapsed "$t0" "$(now)")" >>"$sandbox/fixed.tsv"
    echo -e "first-line\t$(head -n 1 "$sandbox/logs/restore-$r.stamped" | awk '{ print $1 }')" >>"$sandbox/fixed.tsv"
    echo -e "last-line\t$(tail -n 1 "$sandbox/logs/restore-$r.stamped" | awk '{ print $1 }')" >>"$sandbox/fixed.tsv"
    step_times "$sandbox/logs/restore-$r.log" | sed 's/^/step:/' >>"$sandbox/fixed.tsv"
    pgs -q purge fixed.bench >/dev/null 2>&1 || true
    psql_ -d postgres -c CHECKPOINT
    warm_start
    took=$(warm_run "restore fixed.bench $(printf '2024-02-%02d' "$r")" "$sandbox/logs/warm-$r.log") \
        || { echo "fixed-cost: the warm process did not end its restore, see $sandbox/logs/warm.stamped" >&2; KEEP=1; exit 1; }
    grep -q 'error:' "$sandbox/logs/warm-$r.log" && { echo "fixed-cost: warm restore failed, see $sandbox/logs/warm-$r.log" >&2; KEEP=1; exit 1; }
    echo -e "warm\t$took" >>"$sandbox/fixed.tsv"
    pgs -q purge fixed.bench >/dev/null 2>&1 || true
    psql_ -d postgres -c "DROP DATABASE IF EXISTS ref WITH (FORCE)"
    t0=$(now)
    psql_ -d postgres -c "CREATE DATABASE ref"
    curl -sS --fail "http://127.0.0.1:$fastport/fixed/fixed.$date.dump" | "$PGBIN/pg_restore" -h 127.0.0.1 -p "$pgport" -U postgres -d ref 2>/dev/null || true
    echo -e "reference\t$(elapsed "$t0" "$(now)")" >>"$sandbox/fixed.tsv"
done

m() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$sandbox/fixed.tsv" | median; }
jvm=$(m jvm) listing=$(m listing) dryrun=$(m dryrun) restore=$(m restore) reference=$(m reference) warm=$(m warm)
echo
echo "pgstaging fixed cost per restore — $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "worktree HEAD: $(git -C "$root" log -1 --format='%h %s' 2>/dev/null | cut -c1-100)"
echo "dump: $size bytes (the multi-schema fixture), median of $rounds rounds, seconds"
printf '  %-44s %7s\n' "JVM start (pgstaging --version)" "$jvm"
printf '  %-44s %7s\n' "configuration + listing (backups - JVM)" "$(awk -v a="$listing" -v b="$jvm" 'BEGIN { printf "%.3f", a - b }')"
printf '  %-44s %7s\n' "plan and checks (restore -n - backups)" "$(awk -v a="$dryrun" -v b="$listing" 'BEGIN { printf "%.3f", a - b }')"
printf '  %-44s %7s\n' "whole restore (-v restore)" "$restore"
for s in $(awk -F'\t' '$1 ~ /^step:/ { print $1 }' "$sandbox/fixed.tsv" | sort -u); do
    printf '    %-42s %7s\n' "step ${s#step:}" "$(m "$s")"
done
printf '  %-44s %7s\n' "  first line of output (catalog read)" "$(m first-line)"
printf '  %-44s %7s\n' "  last line of output" "$(m last-line)"
printf '  %-44s %7s\n' "the same restore in a warm process" "$warm"
printf '  %-44s %7s\n' "createdb + curl | pg_restore (reference)" "$reference"
printf '  %-44s %7s\n' "pgstaging over the reference" "$(awk -v a="$restore" -v b="$reference" 'BEGIN { printf "+%.3f", a - b }')"
printf '  %-44s %7s\n' "warm process over the reference" "$(awk -v a="$warm" -v b="$reference" 'BEGIN { printf "+%.3f", a - b }')"
if [ -n "$jar_b" ]; then
    echo "this jar against --jar-b $jar_b ($(stat -c %y "$jar_b" | cut -c1-16)), the same commands next to"
    echo "each other in every round, in turn first; medians, seconds:"
    printf '  %-44s %7s %7s\n' "" "jar" "jar-b"
    for k in jvm:"pgstaging --version" listing:"pgstaging -q backups" dryrun:"pgstaging -q restore -n" restore:"pgstaging -q restore"; do
        printf '  %-44s %7s %7s\n' "${k#*:}" "$(m "${k%%:*}-a")" "$(m "${k%%:*}-b")"
    done
fi
