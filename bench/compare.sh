#!/usr/bin/env bash
# compare.sh — Portcullis vs moto, same machine, same client, same settings.
#
# Builds nothing. Starts ${PORTCULLIS_BIN:-target/release/portcullis} dev and
# moto_server (PyPI `moto[server]`, default mode, installed into the awscli
# venv if missing) one after the other on 127.0.0.1, runs bench/load.py's
# GetCallerIdentity and GetUser scenarios against each, measures RSS (at
# listen and after the runs) and cold start (spawn -> first answered
# GetCallerIdentity, median of N fresh starts), and prints a side-by-side
# table: req/s ratio portcullis/moto, CPU-per-request ratio moto/portcullis.
#
# Environment (defaults in brackets):
#   PORTCULLIS_BIN [target/release/portcullis]  PORTCULLIS_VENV [~/.cache/portcullis/venv]
#   BENCH_CONNECTIONS [4]  BENCH_RUNS [3]  BENCH_DURATION [10]  BENCH_WARMUP [1]
#   BENCH_COLD_STARTS [5]  BENCH_SCENARIOS [GetCallerIdentity,GetUser]
# Only the processes this script starts are stopped, by PID.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/release/portcullis}
VENV=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-10}
WARMUP=${BENCH_WARMUP:-1}
COLD_STARTS=${BENCH_COLD_STARTS:-5}
SCENARIOS=${BENCH_SCENARIOS:-GetCallerIdentity,GetUser}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-bench.XXXXXX")
SERVER_PID=

stop_server() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

if [[ ! -x $BIN ]]; then
    echo "compare: $BIN not found; build it first (cargo build --release) or set PORTCULLIS_BIN" >&2
    exit 2
fi
if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV"
fi
if [[ ! -x $VENV/bin/aws ]] || ! "$VENV/bin/python" -c 'import botocore' 2>/dev/null; then
    "$VENV/bin/pip" install -q --disable-pip-version-check awscli
fi
if [[ ! -x $VENV/bin/moto_server ]]; then
    "$VENV/bin/pip" install -q --disable-pip-version-check 'moto[server]'
fi
PY=$VENV/bin/python
LOAD=bench/load.py

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# bench NAME PORT CMD... — start CMD, measure RSS at listen, run the load.
STATUS=0
bench() {
    local name=$1 port=$2
    shift 2
    echo "==> $name: $*"
    "$@" >"$WORK/$name.log" 2>&1 &
    SERVER_PID=$!
    if ! "$PY" $LOAD probe --tcp-only --port "$port" --wait 30; then
        echo "compare: $name did not listen; its output:" >&2
        sed 's/^/    /' "$WORK/$name.log" >&2
        exit 2
    fi
    rss_kib "$SERVER_PID" >"$WORK/$name.rss"
    if ! "$PY" $LOAD probe --port "$port" --wait 30; then
        sed 's/^/    /' "$WORK/$name.log" >&2
        exit 2
    fi
    "$PY" $LOAD run --label "$name" --port "$port" --server-pid "$SERVER_PID" \
        --scenarios "$SCENARIOS" -c "$CONNECTIONS" -r "$RUNS" -d "$DURATION" -w "$WARMUP" \
        --json "$WORK/$name.json" >/dev/null || STATUS=1
    stop_server
}

P_PORT=$(free_port)
bench portcullis "$P_PORT" "$BIN" dev --listen "127.0.0.1:$P_PORT"
M_PORT=$(free_port)
bench moto "$M_PORT" "$VENV/bin/moto_server" -H 127.0.0.1 -p "$M_PORT"

echo "==> cold starts ($COLD_STARTS each)"
"$PY" $LOAD coldstart --label portcullis --starts "$COLD_STARTS" --json "$WORK/portcullis.cold" \
    -- "$BIN" dev --listen '127.0.0.1:{port}' >/dev/null || STATUS=1
"$PY" $LOAD coldstart --label moto --starts "$COLD_STARTS" --json "$WORK/moto.cold" \
    -- "$VENV/bin/moto_server" -H 127.0.0.1 -p '{port}' >/dev/null || STATUS=1

cold_args=()
[[ -s $WORK/portcullis.cold ]] && cold_args+=(--cold-a "$WORK/portcullis.cold")
[[ -s $WORK/moto.cold ]] && cold_args+=(--cold-b "$WORK/moto.cold")
"$PY" $LOAD compare "$WORK/portcullis.json" "$WORK/moto.json" "${cold_args[@]}" \
    --rss-listen-a "$(cat "$WORK/portcullis.rss")" --rss-listen-b "$(cat "$WORK/moto.rss")"
exit $STATUS
