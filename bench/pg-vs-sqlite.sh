#!/usr/bin/env bash
# pg-vs-sqlite.sh — GetUser and AssumeRole on `serve` over SQLite vs over PostgreSQL, same run,
# same client (bench/load.py: requests/s, p50/p99 latency, server CPU per request). PostgreSQL is
# a private one from scripts/pg.sh on the same machine (its own CPU is not counted). Build first
# (cargo build --release) or set PORTCULLIS_BIN. Only processes this script starts are stopped.
# Environment: PORTCULLIS_BIN [target/release/portcullis]  PORTCULLIS_VENV [~/.cache/portcullis/venv]
#              BENCH_CONNECTIONS [4]  BENCH_RUNS [2]  BENCH_DURATION [5]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN=${PORTCULLIS_BIN:-target/release/portcullis}
PY=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}/bin/python
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-pgbench.XXXXXX")
PIDS=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
    pg_stop
}
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
unset PORTCULLIS_TEST_DATABASE_URL
pg_start
PG_URL=$PORTCULLIS_TEST_DATABASE_URL
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run() { # label, extra serve args...
    local label=$1 port
    shift
    port=$(free_port)
    "$BIN" serve --no-tls --no-audit --listen "127.0.0.1:$port" --data-dir "$WORK/$label" \
        --account-id 123456789012 --credentials-file "$WORK/$label.ini" "$@" \
        2>"$WORK/$label.log" >/dev/null &
    PIDS+=($!)
    local pid=$!
    "$PY" bench/load.py probe --tcp-only --port "$port" --wait 30
    local key secret
    key=$(awk -F' = ' '/aws_access_key_id/ {print $2}' "$WORK/$label.ini")
    secret=$(awk -F' = ' '/aws_secret_access_key/ {print $2}' "$WORK/$label.ini")
    "$PY" bench/load.py run --port "$port" --server-pid "$pid" --label "$label" \
        --access-key "$key" --secret-key "$secret" --scenarios GetUser,AssumeRole \
        -c "${BENCH_CONNECTIONS:-4}" -r "${BENCH_RUNS:-2}" -d "${BENCH_DURATION:-5}"
}

run sqlite
run postgres --database "$PG_URL"
