#!/usr/bin/env bash
# audit-overhead.sh — what the audit trail costs per request: the same signed GetUser (a read,
# recorded without waiting) and TagUser (a change, whose record is fsync'd before the answer)
# against two `dev` servers started side by side, one writing its audit log to files
# (audit_dir in a temp directory) and one with `audit = false`. Runs alternate between the two,
# so drift on a shared machine touches both alike; each pair gives one CPU ratio and the
# median of the pairs is the figure.
#
# Environment: PORTCULLIS_BIN [target/release/portcullis], PORTCULLIS_VENV
# [~/.cache/portcullis/venv], BENCH_RUNS [3 pairs], BENCH_DURATION [5 s], BENCH_CLIENTS [4].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/release/portcullis}
PY=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}/bin/python
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-5}
CLIENTS=${BENCH_CLIENTS:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-audit-bench.XXXXXX")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
printf 'audit_dir = "%s/audit"\n' "$WORK" >"$WORK/on.toml"
printf 'audit = false\n' >"$WORK/off.toml"
PORT_ON=$(free_port)
PORT_OFF=$(free_port)
"$BIN" dev --listen "127.0.0.1:$PORT_ON" --config "$WORK/on.toml" >"$WORK/on.log" 2>&1 &
PID_ON=$!
"$BIN" dev --listen "127.0.0.1:$PORT_OFF" --config "$WORK/off.toml" >"$WORK/off.log" 2>&1 &
PID_OFF=$!
trap 'kill $PID_ON $PID_OFF 2>/dev/null || true; wait $PID_ON $PID_OFF 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$PY" bench/load.py probe --port "$PORT_ON" --wait 30 >/dev/null
"$PY" bench/load.py probe --port "$PORT_OFF" --wait 30 >/dev/null
for i in $(seq "$RUNS"); do
    for scenario in GetUser TagUser; do
        for side in on off; do
            if [ "$side" = on ]; then port=$PORT_ON pid=$PID_ON; else port=$PORT_OFF pid=$PID_OFF; fi
            "$PY" bench/load.py run --label "audit-$side-$i" --port "$port" --server-pid "$pid" \
                --scenarios "$scenario" -c "$CLIENTS" -r 1 -d "$DURATION" -w 1 \
                --json "$WORK/$scenario-$side-$i.json" >/dev/null
        done
    done
done
echo "audit log: $(cat "$WORK"/audit/audit-*.jsonl | wc -l) records, $(du -sh "$WORK/audit" | cut -f1)"
python3 - "$WORK" "$RUNS" <<'PYEOF'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
med = statistics.median
def one(scenario, side, i):
    return json.load(open(f"{work}/{scenario}-{side}-{i}.json"))["scenarios"][0]
for scenario in ("GetUser", "TagUser"):
    pairs = [(one(scenario, "on", i), one(scenario, "off", i)) for i in range(1, runs + 1)]
    ratios = [on["server_cpu_ms_per_req"] / off["server_cpu_ms_per_req"] for on, off in pairs]
    for name, k in (("audit on ", 0), ("audit off", 1)):
        rps = med(p[k]["rps"] for p in pairs)
        p50 = med(p[k]["p50_ms"] for p in pairs)
        cpu = med(1000 * p[k]["server_cpu_ms_per_req"] for p in pairs)
        errors = sum(p[k].get("errors", 0) for p in pairs)
        print(f"{scenario:8} {name}: {rps:7.0f} req/s  p50 {p50:.3f} ms  server CPU {cpu:6.1f} us/req  errors {errors}")
    print(f"{scenario:8} CPU on/off per pair: " + ", ".join(f"{x:.3f}" for x in ratios)
          + f"; median {med(ratios):.3f} ({100 * (med(ratios) - 1):+.1f} %)")
PYEOF
