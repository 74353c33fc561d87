#!/usr/bin/env bash
# The benchmark of lipa: ./bench/run.sh [SIZES...]   (default: 1000 100000 1000000 libraries)
#
# For each size it generates a registry (≈3 services a library) on SQLite and on PostgreSQL,
# serves it with `lipa serve` on 127.0.0.1, and loads each request with wrk (16 connections,
# BENCH_SECONDS each, at most 30); beside it Datasette serves the same data in a plain SQLite
# schema with an FTS5 index, and the raw floor runs the same SQL directly on the file. It prints
# one table (bench/report.py) and writes it to bench/results/latest.md.
#
# Environment: BENCH_SECONDS (default 10, max 30), BENCH_PG=0 skips PostgreSQL, BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432, a server that lets the user create databases),
# BENCH_PORT (default 18411; Datasette uses the next port), BENCH_KEEP=1 keeps the databases in
# bench/.work, BENCH_REUSE=1 serves a SQLite database kept there instead of generating it again
# (PostgreSQL is generated anyway), BENCH_SKIP="district-report …" leaves requests out,
# BENCH_SEED (default 1).
#
# Needs: wrk (installed from apt when run as root), python3 with venv (Datasette and
# sqlite-utils are installed into bench/.venv), cargo, and psql/createdb for PostgreSQL.
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 100000 1000000)
for n in "${SIZES[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [SIZES...] (numbers of libraries)" >&2; exit 2; }
done
DURATION=${BENCH_SECONDS:-10}
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || { echo "BENCH_SECONDS must be a number of seconds" >&2; exit 2; }
[ "$DURATION" -gt 30 ] && DURATION=30
CONNECTIONS=16
THREADS=2
PG=${BENCH_PG:-1}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=${BENCH_PORT:-18411}
DS_PORT=$((PORT + 1))
SEED=${BENCH_SEED:-1}
HOST=127.0.0.1 # every load stays on the loopback
WORK=$BENCH/.work
RESULTS=$BENCH/results
OUT=$RESULTS/run-$(date -u +%Y%m%dT%H%M%SZ).jsonl
PASSWORD=bench-password-$$-$RANDOM
VENV=$BENCH/.venv
export PGOPTIONS='-c client_min_messages=warning'

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

# --- what the benchmark needs --------------------------------------------------------------
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing wrk (apt)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
    else
        echo "wrk is missing; install it with: sudo apt-get install -y wrk" >&2
        exit 1
    fi
fi
if [ ! -x "$VENV/bin/datasette" ] || [ ! -x "$VENV/bin/sqlite-utils" ]; then
    say "installing datasette and sqlite-utils into bench/.venv (pip)"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet datasette sqlite-utils
fi
PY=$VENV/bin/python
if [ "$PG" = 1 ] && ! psql "$PG_URL/postgres" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    echo "PostgreSQL does not answer at $PG_URL (BENCH_PG_URL); skipping it (BENCH_PG=0)" >&2
    PG=0
fi
say "building lipa (release)"
(cd "$ROOT" && CARGO_INCREMENTAL=0 nice -n 10 cargo build --release -q -p lipa)
LIPA=${CARGO_TARGET_DIR:-$ROOT/target}/release/lipa

mkdir -p "$WORK" "$RESULTS"
: >"$OUT"
printf '{"kind":"meta","seconds":%s,"connections":%s,"threads":%s,"cpus":%s,"cpu":"%s","commit":"%s","date":"%s"}\n' \
    "$DURATION" "$CONNECTIONS" "$THREADS" "$(nproc)" \
    "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo | tr -d '"\\')" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(date -u +%Y-%m-%dT%H:%MZ)" >>"$OUT"

# --- the one function that makes the data -------------------------------------------------
# generate SIZE DB_ARGS...: a registry of SIZE libraries in the database DB_ARGS name. Until
# `lipa demo --synthetic` exists it loads the built-in demo whatever the size.
generate() {
    local size=$1
    shift
    if "$LIPA" demo --help 2>/dev/null | grep -q -- '--synthetic'; then
        "$LIPA" "$@" demo --synthetic "$size" --seed "$SEED" >"$WORK/generate.log" 2>&1 ||
            { cat "$WORK/generate.log" >&2; return 1; }
    else
        "$LIPA" "$@" demo >"$WORK/generate.log" 2>&1 || { cat "$WORK/generate.log" >&2; return 1; }
    fi
}
data_label() {
    if "$LIPA" demo --help 2>/dev/null | grep -q -- '--synthetic'; then
        echo "synthetic $1, seed $SEED"
    else
        echo "built-in demo (no --synthetic yet)"
    fi
}

# --- servers, stopped on every exit ---------------------------------------------------------
SERVER_PID=
DS_PID=
stop() { # PID_VARIABLE
    local pid=${!1}
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        # A graceful stop finishes the requests in flight; a backlog gets 30 s, then KILL.
        local i
        for i in $(seq 1 60); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    printf -v "$1" '%s' ""
}
cleanup() {
    stop SERVER_PID
    stop DS_PID
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() { # URL PID
    local i
    for i in $(seq 1 3000); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { echo "the server stopped; see $WORK/server.log" >&2; return 1; }
        sleep 0.2
    done
    echo "no answer from $1 in 600 s" >&2
    return 1
}
disk_bytes() {
    local total=0 f
    for f in "$@"; do
        if [ -e "$f" ]; then total=$((total + $(du -sb "$f" | cut -f1))); fi
    done
    echo "$total"
}
# wait_idle PID: after a load, until the server has finished what it still had queued (its CPU
# time stops growing), at most 300 s, so that one request's backlog does not slow the next.
wait_idle() {
    local before after i
    for i in $(seq 1 600); do
        before=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0)
        sleep 0.5
        after=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0)
        [ $((after - before)) -le 2 ] && return 0
    done
    echo "  the server was still busy after 300 s" >&2
}
peak_rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

record() { printf '%s\n' "$1" >>"$OUT"; }

# load NAME BACKEND SIZE URL [VAR=VALUE...]: one wrk run; appends its line to the results.
# LOAD_PID names the server, to wait until it is idle before and after.
load() {
    local name=$1 backend=$2 size=$3 url=$4 line status alone=null
    shift 4
    case $url in "http://$HOST:"*) ;; *) echo "refusing a non-loopback URL: $url" >&2; return 1 ;; esac
    case " ${BENCH_SKIP:-} " in *" $name "*) echo "  $name: skipped (BENCH_SKIP)" >&2; return 0 ;; esac
    # One request first: it must answer 2xx (and it warms the caches like any first reader).
    if [ -z "${BENCH_METHOD:-}" ]; then
        # Its time is the request alone, without the load (the first one: caches may be cold).
        read -r status alone < <(curl -sS --max-time 120 -o /dev/null \
            -w '%{http_code} %{time_total}\n' "$url" 2>/dev/null || echo "000 null")
        case $status in 2??) ;; *) echo "  $name: $url answered $status" >&2 ;; esac
        alone=$(awk -v t="$alone" 'BEGIN { if (t == "null") print "null"; else printf "%.3f", t * 1000 }')
    fi
    [ -z "${LOAD_PID:-}" ] || wait_idle "$LOAD_PID"
    line=$(env "$@" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
        -s "$BENCH/wrk.lua" "$url" | grep '^BENCH ' || true)
    if [ -z "$line" ]; then
        echo "  $name: wrk printed no result" >&2
        return 0
    fi
    [ -z "${LOAD_PID:-}" ] || wait_idle "$LOAD_PID"
    printf '  %-16s %s\n' "$name" "${line#BENCH }" >&2
    record "{\"kind\":\"request\",\"request\":\"$name\",\"backend\":\"$backend\",\"size\":$size,\"alone_ms\":$alone,${line#BENCH \{}"
}

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# lipa_requests BACKEND SIZE: every request against the lipa server on $PORT.
lipa_requests() {
    local backend=$1 size=$2 base="http://$HOST:$PORT" jar="$WORK/cookies" csrf session
    local q
    q=$(urlencode "$QUERY")
    load list "$backend" "$size" "$base/libraries?district=$DISTRICT&category=$CATEGORY&kind=$KIND"
    load api-list "$backend" "$size" "$base/api/v1/libraries?district=$DISTRICT&category=$CATEGORY&kind=$KIND"
    load search "$backend" "$size" "$base/search?q=$q"
    load api-search "$backend" "$size" "$base/api/v1/search?q=$q"
    load service "$backend" "$size" "$base/services/$SERVICE"
    load api-service "$backend" "$size" "$base/api/v1/services/$SERVICE"
    load home "$backend" "$size" "$base/"
    load district-report "$backend" "$size" "$base/reports/district?district=$DISTRICT"
    load api-libraries "$backend" "$size" "$base/api/v1/libraries?district=$DISTRICT"

    # The write: an API client replacing service cards (PUT with If-Match: *), signed in by a
    # session with its anti-forgery token; each request changes the goal, so each one writes.
    rm -f "$jar"
    curl -sS --max-time 120 -o /dev/null -c "$jar" --data-urlencode "login=bench" \
        --data-urlencode "password=$PASSWORD" "$base/login"
    session=$(awk '$6 == "lipa_session" {print $7}' "$jar")
    csrf=$(curl -sS --max-time 120 -b "lipa_session=$session" "$base/" |
        grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//' || true)
    if [ -z "$session" ] || [ -z "$csrf" ]; then
        echo "  write: could not sign in as bench" >&2
        return 0
    fi
    "$PY" - "$base" "$session" "$WORK/bodies.tsv" "${WRITES[@]}" <<'EOF'
import json, sys, urllib.request
base, session, out, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
with open(out, "w") as f:
    for i in ids:
        req = urllib.request.Request(f"{base}/api/v1/services/{i}",
                                     headers={"Cookie": f"lipa_session={session}"})
        s = json.load(urllib.request.urlopen(req))
        for k in ("id", "version", "created_at", "updated_at"):
            s.pop(k, None)
        s["card"]["goal"] = (s["card"].get("goal") or "")[:3900] + " (bench @@N@@)"
        f.write(f"/api/v1/services/{i}\t{json.dumps(s, ensure_ascii=False)}\n")
EOF
    BENCH_METHOD=PUT load write "$backend" "$size" "$base/api/v1/services/$SERVICE" \
        BENCH_METHOD=PUT BENCH_BODIES="$WORK/bodies.tsv" BENCH_THREADS="$THREADS" \
        "BENCH_HEADERS=Cookie: lipa_session=$session
X-CSRF-Token: $csrf
If-Match: *"
}

# bench_lipa BACKEND SIZE DB_ARGS...: generate, measure the database, serve, load, stop.
bench_lipa() {
    local backend=$1 size=$2 t0 t1 bytes libs svcs rss
    shift 2
    say "$backend, $size libraries: generating"
    t0=$(now)
    if [ "$backend" = lipa-sqlite ] && [ "${BENCH_REUSE:-0}" = 1 ] && [ -e "$DB" ]; then
        say "$backend, $size libraries: reusing $DB (BENCH_REUSE)"
        t0=
    else
        generate "$size" "$@"
    fi
    t1=$(now)
    [ -n "$PARAMS" ] || pick_params
    if [ "$backend" = lipa-sqlite ]; then
        bytes=$(disk_bytes "$DB" "$DB"-wal "$DB.search")
        libs=$(sqlite_value "$DB" 'SELECT COUNT(*) FROM libraries')
        svcs=$(sqlite_value "$DB" 'SELECT COUNT(*) FROM services')
    else
        bytes=$(($(psql "$PGDB" -Atqc 'SELECT pg_database_size(current_database())') +
            $(disk_bytes "$PG_SEARCH")))
        libs=$(psql "$PGDB" -Atqc 'SELECT COUNT(*) FROM libraries')
        svcs=$(psql "$PGDB" -Atqc 'SELECT COUNT(*) FROM services')
    fi
    # The account the write signs in with (a kept database has it: then a new password).
    printf '%s\n' "$PASSWORD" | "$LIPA" "$@" user add bench --name Bench --admin \
        --password-stdin >/dev/null 2>&1 ||
        printf '%s\n' "$PASSWORD" | "$LIPA" "$@" user reset-password bench \
            --password-stdin >/dev/null 2>&1 || true
    say "$backend, $size libraries: serving ($libs libraries, $svcs services)"
    "$LIPA" "$@" serve --addr "$HOST:$PORT" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    LOAD_PID=$SERVER_PID
    wait_ready "http://$HOST:$PORT/" "$SERVER_PID"
    lipa_requests "$backend" "$size"
    rss=$(peak_rss_kb "$SERVER_PID")
    stop SERVER_PID
    record "$(printf '{"kind":"setup","backend":"%s","size":%s,"data":"%s","libraries":%s,"services":%s,"seconds":%s,"bytes":%s,"rss_kb":%s}' \
        "$backend" "$size" "$(data_label "$size")" "$libs" "$svcs" \
        "$([ -n "$t0" ] && elapsed "$t0" "$t1" || echo null)" "$bytes" "$rss")"
}

# The requests' parameters, chosen from the SQLite file's data (the same data on PostgreSQL:
# the generator is deterministic).
pick_params() {
    PARAMS=$(python3 "$BENCH/datasette_db.py" pick "$DB")
    DISTRICT=$(param district)
    KIND=$(param settlement_kind)
    CATEGORY=$(param category)
    SERVICE=$(param service)
    QUERY=$(param query)
    read -r -a WRITES <<<"$(param writes)"
    say "parameters: district $DISTRICT, kind $KIND, category $CATEGORY, query „$QUERY“, service $SERVICE"
    record "{\"kind\":\"params\",\"size\":$size,${PARAMS#\{}"
}
param() { python3 -c 'import json, sys; v = json.loads(sys.argv[1])[sys.argv[2]]; print(" ".join(map(str, v)) if isinstance(v, list) else v)' "$PARAMS" "$1"; }

sqlite_value() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"; }

# bench_datasette SIZE: the same data in Datasette, its three requests, and the raw floor.
bench_datasette() {
    local size=$1 ds="$WORK/bench.db" built t0 t1 rss q facets
    say "datasette, $size libraries: building its database"
    t0=$(now)
    built=$("$PY" "$BENCH/datasette_db.py" build "$DB" "$ds")
    t1=$(now)
    "$VENV/bin/datasette" serve "$ds" --host "$HOST" --port "$DS_PORT" \
        --setting sql_time_limit_ms 60000 --setting facet_time_limit_ms 60000 \
        --setting suggest_facets off --setting max_returned_rows 1000 \
        >"$WORK/datasette.log" 2>&1 &
    DS_PID=$!
    LOAD_PID=$DS_PID
    wait_ready "http://$HOST:$DS_PORT/" "$DS_PID"
    q=$(urlencode "$QUERY")
    facets="_facet=district&_facet=municipality&_facet=settlement_kind&_facet_array=categories&_facet_array=years&_facet_array=statuses&_facet_array=volunteers&_facet_array=target_groups"
    load list datasette "$size" "http://$HOST:$DS_PORT/bench/libraries.json?district=$DISTRICT&settlement_kind=$KIND&categories__arraycontains=$CATEGORY&_size=25&$facets"
    load search datasette "$size" "http://$HOST:$DS_PORT/bench/services.json?_search=$q&_size=20"
    load service datasette "$size" "http://$HOST:$DS_PORT/bench/services/$SERVICE.json"
    rss=$(peak_rss_kb "$DS_PID")
    stop DS_PID
    record "$(printf '{"kind":"setup","backend":"datasette","size":%s,"data":"built from lipa-sqlite by datasette_db.py","libraries":%s,"services":%s,"seconds":%s,"bytes":%s,"rss_kb":%s}' \
        "$size" "$(sqlite_value "$ds" 'SELECT COUNT(*) FROM libraries')" \
        "$(sqlite_value "$ds" 'SELECT COUNT(*) FROM services')" "$(elapsed "$t0" "$t1")" \
        "$(stat -c %s "$ds")" "$rss")"
    say "raw SQL, $size libraries"
    "$PY" "$BENCH/datasette_db.py" raw "$DB" "$ds" "$PARAMS" 9 | while read -r line; do
        printf '  %s\n' "$line" >&2
        record "{\"kind\":\"request\",\"backend\":\"raw SQL\",\"size\":$size,${line#\{}"
    done
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$ds"
}

for size in "${SIZES[@]}"; do
    DB="$WORK/lipa-$size.db"
    PARAMS=
    [ "${BENCH_REUSE:-0}" = 1 ] || rm -rf "$DB" "$DB"-wal "$DB"-shm "$DB.search"
    bench_lipa lipa-sqlite "$size" --db "$DB"
    bench_datasette "$size"
    if [ "$PG" = 1 ]; then
        name=lipa_bench_$size
        PGDB=$PG_URL/$name
        PG_SEARCH=$WORK/$name.search
        psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
        psql "$PG_URL/postgres" -qc "CREATE DATABASE $name" >/dev/null
        rm -rf "$PG_SEARCH"
        bench_lipa lipa-pg "$size" --db "$PGDB" --search-dir "$PG_SEARCH"
        if [ "${BENCH_KEEP:-0}" != 1 ]; then
            psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $name" >/dev/null
            rm -rf "$PG_SEARCH"
        fi
    fi
    [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$DB" "$DB"-wal "$DB"-shm "$DB.search"
done

"$PY" "$BENCH/report.py" "$OUT" | tee "$RESULTS/latest.md"
