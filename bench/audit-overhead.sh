#!/usr/bin/env bash
# audit-overhead.sh — what the audit trail costs per request: the same signed GetUser (a read,
# recorded without waiting) and TagUser (a change, each request a new tag value, whose record
# commits with the change in the store's audit outbox before the answer)
# against two servers started side by side, one writing its audit log to files and one with
# the trail off (`--no-audit`). BENCH_MODE=serve (default) runs `portcullis serve --no-tls` on
# two fresh data directories (SQLite synchronous=FULL, the audit log in DATA_DIR/audit);
# BENCH_MODE=dev runs `portcullis dev` (in-memory store) with audit_dir in a temp directory.
# Runs alternate between the two servers, so drift on a shared machine touches both alike;
# each pair gives one CPU ratio and the median of the pairs is the figure.
#
# Environment: PORTCULLIS_BIN [target/release/portcullis], PORTCULLIS_VENV
# [~/.cache/portcullis/venv; any prefix whose bin/python3 has botocore], BENCH_MODE [serve],
# BENCH_RUNS [3 pairs], BENCH_DURATION [5 s], BENCH_CLIENTS [4].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=${PORTCULLIS_BIN:-target/release/portcullis}
PY=${PORTCULLIS_VENV:-$HOME/.cache/portcullis/venv}/bin/python3
RUNS=${BENCH_RUNS:-3}
DURATION=${BENCH_DURATION:-5}
CLIENTS=${BENCH_CLIENTS:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/portcullis-audit-bench.XXXXXX")
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT_ON=$(free_port)
PORT_OFF=$(free_port)
start() { # start SIDE PORT FLAGS... ; prints the PID
    local side=$1 port=$2
    shift 2
    if [ "${BENCH_MODE:-serve}" = serve ]; then
        "$BIN" init --data-dir "$WORK/$side" >"$WORK/$side.init" 2>&1
        "$BIN" serve --no-tls --data-dir "$WORK/$side" --listen "127.0.0.1:$port" "$@" >"$WORK/$side.log" 2>&1 &
    else
        "$BIN" dev --listen "127.0.0.1:$port" --audit-dir "$WORK/$side-audit" "$@" >"$WORK/$side.log" 2>&1 &
    fi
    echo $!
}
creds() { # the root key of SIDE as load.py flags
    if [ "${BENCH_MODE:-serve}" = serve ]; then
        echo "--access-key $(sed -n 's/^Root access key id: *//p' "$WORK/$1.init")" \
             "--secret-key $(sed -n 's/^Root secret access key: *//p' "$WORK/$1.init")"
    fi
}
PID_ON=$(start on "$PORT_ON")
PID_OFF=$(start off "$PORT_OFF" --no-audit)
trap 'kill $PID_ON $PID_OFF 2>/dev/null || true; wait $PID_ON $PID_OFF 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$PY" bench/load.py probe --port "$PORT_ON" --wait 30 --tcp-only >/dev/null
"$PY" bench/load.py probe --port "$PORT_OFF" --wait 30 --tcp-only >/dev/null
for i in $(seq "$RUNS"); do
    for scenario in GetUser TagUser; do
        for side in on off; do
            if [ "$side" = on ]; then port=$PORT_ON pid=$PID_ON; else port=$PORT_OFF pid=$PID_OFF; fi
            # shellcheck disable=SC2046
            "$PY" bench/load.py run --label "audit-$side-$i" --port "$port" --server-pid "$pid" $(creds $side) \
                --scenarios "$scenario" -c "$CLIENTS" -r 1 -d "$DURATION" -w 1 \
                --json "$WORK/$scenario-$side-$i.json" >/dev/null
        done
    done
done
AUDIT_DIR=$WORK/on/audit
[ -d "$AUDIT_DIR" ] || AUDIT_DIR=$WORK/on-audit
echo "mode ${BENCH_MODE:-serve}; audit log: $(cat "$AUDIT_DIR"/audit-*.jsonl | wc -l) records, $(du -sh "$AUDIT_DIR" | cut -f1)"
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
