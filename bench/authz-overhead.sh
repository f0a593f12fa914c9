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
# BENCH_USERS [5000], BENCH_POLICIES [1500], BENCH_RUNS [5 pairs], BENCH_DURATION [6].
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
# Root and user runs alternate, so drift on a shared machine touches both alike; each pair
# gives one ratio, and the median of the pairs is the figure.
RUNS=${BENCH_RUNS:-5}
for i in $(seq "$RUNS"); do
    for scenario in GetUser GetUserAsUser; do
        "$PY" bench/load.py run --label "authz-$i" --port "$PORT" --server-pid "$PID" \
            --scenarios "$scenario" -c 4 -r 1 -d "${BENCH_DURATION:-6}" -w 1 \
            --json "$WORK/$scenario-$i.json" >/dev/null
    done
done
python3 - "$WORK" "$RUNS" <<'PYEOF'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
def one(scenario, i):
    return json.load(open(f"{work}/{scenario}-{i}.json"))["scenarios"][0]
pairs = [(one("GetUser", i), one("GetUserAsUser", i)) for i in range(1, runs + 1)]
ratios = [u["rps"] / r["rps"] for r, u in pairs]
cpu = [1000 * (u["server_cpu_ms_per_req"] - r["server_cpu_ms_per_req"]) for r, u in pairs]
med = statistics.median
for name, k in (("root", 0), ("authorized user", 1)):
    rps = med(p[k]["rps"] for p in pairs)
    p50 = med(p[k]["p50_ms"] for p in pairs)
    c = med(1000 * p[k]["server_cpu_ms_per_req"] for p in pairs)
    print(f"GetUser as {name + ':':17} {rps:8.0f} req/s  p50 {p50:.3f} ms  server CPU {c:.1f} us/req")
print("rate of the user / root, per pair: " + ", ".join(f"{x:.2f}" for x in ratios))
print(f"median rate ratio: {med(ratios):.2f}; authorization CPU per request (median of pairs): "
      f"{med(cpu):.1f} us")
PYEOF
