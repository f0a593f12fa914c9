#!/usr/bin/env bash
# sts-flat.sh — sessions cost nothing to keep: a request with a session token costs the same
# and the server's memory stays flat after 100,000 AssumeRole calls (sessions are sealed into
# their tokens, never stored).
#
# Starts ${PORTCULLIS_BIN:-target/release/portcullis} dev on a free loopback port, measures
# SessionGetCallerIdentity (CPU/request, p50, RSS), issues at least $FLAT_SESSIONS AssumeRole
# calls with bench/load.py, measures SessionGetCallerIdentity again and prints both.
# Environment: PORTCULLIS_BIN, PORTCULLIS_VENV [~/.cache/portcullis/venv], FLAT_SESSIONS [100000].
# Only the server this script starts is stopped, by PID.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/release/portcullis}
PY=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}/bin/python
SESSIONS=${FLAT_SESSIONS:-100000}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-flat.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" dev --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$PY" bench/load.py probe --port "$PORT" --wait 30 >/dev/null

rss() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
measure() {
    "$PY" bench/load.py run --label "$1" --port "$PORT" --server-pid "$PID" \
        --scenarios SessionGetCallerIdentity -c 4 -r 3 -d 5 -w 1 --json "$WORK/$1.json" >/dev/null 2>&1
    python3 - "$WORK/$1.json" "$1" "$(rss)" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))["scenarios"][0]
print(f"{sys.argv[2]:<28} SessionGetCallerIdentity {s['rps']:8.0f} req/s  p50 {s['p50_ms']:.3f} ms  "
      f"server CPU {1000 * s['server_cpu_ms_per_req']:.1f} us/req  RSS {int(sys.argv[3]) / 1024:.1f} MiB")
PYEOF
}

measure "after 1 session"
issued=0
while (( issued < SESSIONS )); do
    "$PY" bench/load.py run --label assume --port "$PORT" --server-pid "$PID" \
        --scenarios AssumeRole -c 4 -r 1 -d 10 -w 0 --json "$WORK/assume.json" >/dev/null 2>&1
    n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["scenarios"][0]["requests"])' "$WORK/assume.json")
    issued=$((issued + n))
    echo "AssumeRole calls so far: $issued (RSS $(( $(rss) / 1024 )) MiB)"
done
measure "after $issued sessions"
