#!/usr/bin/env bash
# authz-overhead.sh — what authorization costs on the hot path: GetUser signed by root (never
# evaluated) against the same GetUser signed by an IAM user whose policies allow it (principal
# lookup, cached compiled policies, a decision), in an account of 5,000 users and 1,500
# customer managed policies (10 of them attached to the user).
#
# Starts ${PORTCULLIS_BIN:-target/release/portcullis} dev on a free loopback port, fills the
# account with bench/load.py fill, runs both scenarios with bench/load.py run, prints the
# request rates, the server CPU per request of each and their difference (the authorization
# overhead per request). Environment: PORTCULLIS_BIN, PORTCULLIS_VENV [~/.cache/portcullis/venv],
# BENCH_USERS [5000], BENCH_POLICIES [1500], BENCH_RUNS [3], BENCH_DURATION [6].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/release/portcullis}
PY=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}/bin/python
USERS=${BENCH_USERS:-5000}
POLICIES=${BENCH_POLICIES:-1500}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-authz.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'max_users_per_account = %d\n' $((USERS + 10)) >"$WORK/portcullis.toml"
"$BIN" dev --listen "127.0.0.1:$PORT" --config "$WORK/portcullis.toml" >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$PY" bench/load.py probe --port "$PORT" --wait 30 >/dev/null
"$PY" bench/load.py fill --port "$PORT" --users "$USERS" --policies "$POLICIES"
"$PY" bench/load.py run --label authz --port "$PORT" --server-pid "$PID" \
    --scenarios GetUser,GetUserAsUser -c 4 -r "${BENCH_RUNS:-3}" -d "${BENCH_DURATION:-6}" -w 1 \
    --json "$WORK/run.json" >/dev/null
python3 - "$WORK/run.json" <<'PYEOF'
import json, sys
r = {s["scenario"]: s for s in json.load(open(sys.argv[1]))["scenarios"]}
root, user = r["GetUser"], r["GetUserAsUser"]
print(f"GetUser as root:            {root['rps']:8.0f} req/s  p50 {root['p50_ms']:.3f} ms  server CPU {1000 * root['server_cpu_ms_per_req']:.1f} us/req")
print(f"GetUser as authorized user: {user['rps']:8.0f} req/s  p50 {user['p50_ms']:.3f} ms  server CPU {1000 * user['server_cpu_ms_per_req']:.1f} us/req")
print(f"rate of the user / root: {user['rps'] / root['rps']:.2f}; authorization CPU per request: "
      f"{1000 * (user['server_cpu_ms_per_req'] - root['server_cpu_ms_per_req']):.1f} us")
PYEOF
