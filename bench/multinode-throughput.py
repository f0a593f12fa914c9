#!/usr/bin/env python3
"""multinode-throughput.py — throughput of one `serve` node vs three on one PostgreSQL, same run.

Run through bench/multinode-throughput.sh, which starts a private PostgreSQL (scripts/pg.sh) and
names it in PORTCULLIS_TEST_DATABASE_URL. Phases alternate (1 node, 3 nodes, 1 node, ...; ROUNDS
of each), with node A always up and nodes B and C started for the 3-node phases and stopped
after. In each phase two mixes run, each for DURATION seconds after a second of warm-up, from
CLIENTS closed-loop client processes (the same number in both phases; in the 3-node phase client
i talks to node i mod 3, as behind a round-robin balancer):

  write  CreateUser of a new user then AttachUserPolicy of a customer managed policy to it,
         signed by root (every request a committed write; names are never reused)
  read   per 20 requests: 6 GetUser, 6 ListAttachedUserPolicies and 7 GetCallerIdentity signed
         by an IAM user whose attached policy allows them (authorization runs), and 1 TagUser
         (root, a new tag value each time): 5% writes, each of which makes every node drop its
         caches

Reported per mix and phase: requests/s, p50/p99 latency, errors (any non-200), CPU per request
of the nodes, of PostgreSQL (from /proc) and of the clients, the machine's busy share, and transactions rolled
back by PostgreSQL (serialization failures the nodes retried) per 1,000 requests. Requests are
SigV4-signed by botocore before the timed window (bench/load.py's signer and raw HTTP/1.1
client). Processes it starts are stopped by PID.
Environment: PORTCULLIS_BIN [target/release/portcullis]  CLIENTS [6]  DURATION [10]  ROUNDS [2]
             WRITE_POOL [3000] (CreateUser+AttachUserPolicy pairs signed per client and phase)
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from array import array

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PORTCULLIS_BIN", "target/release/portcullis")

import load  # noqa: E402  (bench/load.py: signer, raw HTTP client, /proc readers)
from botocore.credentials import Credentials  # noqa: E402
from multinode import POLICY, Node, wait_for  # noqa: E402

CLIENTS = int(os.environ.get("CLIENTS", "6"))
DURATION = float(os.environ.get("DURATION", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
WRITE_POOL = int(os.environ.get("WRITE_POOL", "3000"))
WARMUP = 1.0
IAM = {"Version": "2010-05-08"}
READ_POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": ["iam:GetUser", "iam:ListAttachedUserPolicies"], "Resource": "*"}]})


def port_of(node: Node) -> int:
    return int(node.endpoint.rsplit(":", 1)[1])


def requests_for(mix: str, phase: str, idx: int, port: int, root: Credentials,
                 reader: Credentials, arn: str) -> tuple[list[tuple[bytes, bool]], bool]:
    """A client's signed requests (raw bytes, is a write) and whether it replays them in a loop."""
    def s(service, params, creds):
        return load.sign("127.0.0.1", port, service, params, creds, "us-east-1")

    if mix == "write":
        out = []
        for i in range(WRITE_POOL):
            name = f"{phase}-{idx}-{i}"
            out.append((s("iam", {**IAM, "Action": "CreateUser", "UserName": name}, root), True))
            out.append((s("iam", {**IAM, "Action": "AttachUserPolicy", "UserName": name,
                                  "PolicyArn": arn}, root), True))
        return out, False
    reads = [
        ("iam", {**IAM, "Action": "GetUser", "UserName": "reader"}),
        ("iam", {**IAM, "Action": "ListAttachedUserPolicies", "UserName": "reader"}),
        ("sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
    ]
    out = []
    for k in range(64):
        for j in range(19):
            service, params = reads[j % 3]
            out.append((s(service, params, reader), False))
        tag = {**IAM, "Action": "TagUser", "UserName": "reader", "Tags.member.1.Key": f"c{idx}",
               "Tags.member.1.Value": f"{phase}-{k}"}
        out.append((s("iam", tag, root), True))
    return out, True


def client(args, ready, go, t0, results, idx):
    """One closed-loop client: sign its requests, then send them one at a time."""
    port, mix, phase, root, reader, arn = args
    try:
        reqs, loop = requests_for(mix, phase, idx, port, root, reader, arn)
        conn = load.Conn("127.0.0.1", port, 10.0)
        ready.release()
        if not go.wait(120):
            results.put((idx, None, "no start signal"))
            return
        t_measure = t0.value + WARMUP
        t_end = t_measure + DURATION
        lat, kinds, errors, samples, ran_out = array("d"), array("b"), 0, [], False
        cpu0, n = os.times(), 0
        for n in range(10_000_000):
            if not loop and n >= len(reqs):
                ran_out = True
                break
            raw, write = reqs[n % len(reqs)]
            t_a = time.perf_counter()
            if t_a >= t_end:
                break
            try:
                status, body = conn.request(raw)
            except (ConnectionError, OSError, ValueError) as e:
                status, body = 0, repr(e).encode()
                time.sleep(0.01)
            t_b = time.perf_counter()
            if t_a >= t_measure and t_b <= t_end:
                lat.append(t_b - t_a)
                kinds.append(1 if write else 0)
                if status != 200:
                    errors += 1
                    if len(samples) < 2:
                        samples.append(f"{status}: {body[:300].decode('utf-8', 'replace')}")
        cpu1 = os.times()
        cpu_per_req = ((cpu1.user + cpu1.system) - (cpu0.user + cpu0.system)) / max(n, 1)
        conn.close()
        results.put((idx, (lat.tobytes(), kinds.tobytes(), errors, samples, ran_out, cpu_per_req),
                     None))
    except Exception as e:  # report, never hang the parent
        results.put((idx, None, repr(e)))
        ready.release()


def pg_pids() -> list[int]:
    """The PostgreSQL postmaster of the private cluster and its children."""
    with open(os.path.join(os.environ["PG_TEST_DIR"], "data", "postmaster.pid")) as f:
        master = int(f.readline())
    kids = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == master:
                        kids.append(int(p))
            except OSError:
                pass
    return [master, *kids]


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for p in pids:
        try:
            total += load.proc_cpu_seconds(p)
        except OSError:
            pass  # a backend that ended: its CPU is lost (small)
    return total


def machine_busy() -> tuple[float, float]:
    with open("/proc/stat") as f:
        v = [float(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4], sum(v)


def pg_rollbacks() -> int:
    psql = os.path.join(os.environ["PG_TEST_BIN"], "psql")
    out = subprocess.run([psql, "-Atc",
                          "SELECT xact_rollback FROM pg_stat_database WHERE datname = 'postgres'",
                          os.environ["PORTCULLIS_TEST_DATABASE_URL"]],
                         capture_output=True, text=True)
    lines = [l for l in out.stdout.split() if l.strip().isdigit()]
    return int(lines[-1]) if lines else 0


def run_mix(nodes: list[Node], mix: str, phase: str, root, reader, arn) -> dict:
    ctx = mp.get_context("fork")
    t0, ready, go, results = ctx.Value("d", 0.0), ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=client, daemon=True, args=(
        (port_of(nodes[i % len(nodes)]), mix, phase, root, reader, arn), ready, go, t0, results, i))
        for i in range(CLIENTS)]
    for p in procs:
        p.start()
    for _ in procs:
        if not ready.acquire(timeout=300):
            raise SystemExit("clients did not get ready")
    node_pids = [n.proc.pid for n in nodes]
    rb0 = pg_rollbacks()
    t0.value = time.perf_counter()
    go.set()
    time.sleep(WARMUP)
    c0, p0, m0 = cpu_of(node_pids), cpu_of(pg_pids()), machine_busy()
    time.sleep(DURATION)
    c1, p1, m1 = cpu_of(node_pids), cpu_of(pg_pids()), machine_busy()
    got = {}
    for _ in procs:
        idx, res, err = results.get(timeout=60)
        if err:
            raise SystemExit(f"client {idx}: {err}")
        got[idx] = res
    for p in procs:
        p.join(timeout=10)
    time.sleep(1.5)  # backends publish their statistics about once a second
    rb1 = pg_rollbacks()
    lat, kinds = array("d"), array("b")
    for r in got.values():
        lat.frombytes(r[0])
        kinds.frombytes(r[1])
    n = len(lat)
    writes = sorted(x for x, k in zip(lat, kinds) if k)
    lat_sorted = sorted(lat)
    return {
        "mix": mix, "nodes": len(nodes), "requests": n, "rps": n / DURATION,
        "p50_ms": load.percentile(lat_sorted, 0.5) * 1000,
        "p99_ms": load.percentile(lat_sorted, 0.99) * 1000,
        "write_p50_ms": load.percentile(writes, 0.5) * 1000 if writes else None,
        "errors": sum(r[2] for r in got.values()),
        "error_samples": [s for r in got.values() for s in r[3]][:2],
        "ran_out": any(r[4] for r in got.values()),
        "node_cpu_ms": 1000 * (c1 - c0) / max(n, 1),
        "pg_cpu_ms": 1000 * (p1 - p0) / max(n, 1),
        "client_cpu_ms": 1000 * statistics.mean(r[5] for r in got.values()),
        "busy": (m1[0] - m0[0]) / max(m1[1] - m0[1], 1),
        "rollbacks_per_1k": 1000 * (rb1 - rb0) / max(n, 1),
    }


def show(r: dict) -> None:
    print(f"  {r['mix']:<5} {r['nodes']} node(s): {r['rps']:7.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
          f"p99 {r['p99_ms']:7.2f} ms  errors {r['errors']}  node CPU {r['node_cpu_ms']:.3f} ms/req  "
          f"PostgreSQL CPU {r['pg_cpu_ms']:.3f} ms/req  client CPU {r['client_cpu_ms']:.3f} ms/req  machine busy {100 * r['busy']:.0f}%  "
          f"rollbacks {r['rollbacks_per_1k']:.1f}/1k" + ("  (a client ran out of requests)" if r["ran_out"] else ""),
          flush=True)
    for s in r["error_samples"]:
        print(f"    error sample: {s}")


def main() -> int:
    work = tempfile.mkdtemp(prefix="portcullis-mnthroughput.")
    config = os.path.join(work, "portcullis.toml")
    with open(config, "w") as f:
        f.write("max_users_per_account = 10000000\n")
    creds = os.path.join(work, "root")
    common = ["--config", config]
    a = Node("a", work, {}, [*common, "--credentials-file", creds])
    shared = {"PORTCULLIS_MASTER_KEY": open(os.path.join(a.dir, "master.key")).read().strip()}
    sealing = [*common, "--sealing-key-file", os.path.join(a.dir, "sts-sealing.keys")]
    extra: list[Node] = []
    results: list[dict] = []
    try:
        lines = open(creds).read().splitlines()
        root = Credentials(*(l.split(" = ", 1)[1] for l in lines[1:3]))
        iam = a.client(root.access_key, root.secret_key)
        arn = iam.create_policy(PolicyName="get", PolicyDocument=POLICY)["Policy"]["Arn"]
        iam.create_user(UserName="reader")
        read_arn = iam.create_policy(PolicyName="read", PolicyDocument=READ_POLICY)["Policy"]["Arn"]
        iam.attach_user_policy(UserName="reader", PolicyArn=read_arn)
        k = iam.create_access_key(UserName="reader")["AccessKey"]
        reader = Credentials(k["AccessKeyId"], k["SecretAccessKey"])
        print(f"{CLIENTS} clients, {DURATION:g} s per mix after {WARMUP:g} s warm-up, "
              f"{ROUNDS} round(s); {os.cpu_count()} CPUs", flush=True)
        for rnd in range(ROUNDS):
            for count in (1, 3):
                if count == 3:
                    extra = [Node(f"{x}{rnd}", work, shared, sealing) for x in "bc"]
                    for n in extra:
                        wait_for(lambda cl=n.client(reader.access_key, reader.secret_key):
                                 cl.get_user(UserName="reader"), "allowed")
                nodes = [a, *extra]
                for mix in ("write", "read"):
                    r = run_mix(nodes, mix, f"r{rnd}n{count}", root, reader, arn)
                    r["round"] = rnd
                    show(r)
                    results.append(r)
                for n in extra:
                    n.stop()
                extra = []
        summary(results)
        print(json.dumps(results, separators=(",", ":")))
        failed = any(r["errors"] for r in results)
        return 1 if failed else 0
    finally:
        for n in [a, *extra]:
            n.stop(signal.SIGTERM)
        if results and not any(r["errors"] for r in results):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"nodes' logs kept in {work}")


def summary(results: list[dict]) -> None:
    print("\nmedians over rounds:")
    for mix in ("write", "read"):
        med = {}
        for count in (1, 3):
            rs = [r for r in results if r["mix"] == mix and r["nodes"] == count]
            med[count] = {k: statistics.median(r[k] for r in rs)
                          for k in ("rps", "p50_ms", "p99_ms", "node_cpu_ms", "pg_cpu_ms",
                                    "client_cpu_ms", "busy", "rollbacks_per_1k")}
        for count in (1, 3):
            m = med[count]
            print(f"  {mix:<5} {count} node(s): {m['rps']:7.0f} req/s  p50 {m['p50_ms']:.2f} ms  "
                  f"p99 {m['p99_ms']:.2f} ms  node CPU {m['node_cpu_ms']:.3f} ms/req  "
                  f"PostgreSQL CPU {m['pg_cpu_ms']:.3f} ms/req  client CPU {m['client_cpu_ms']:.3f} ms/req  "
                  f"machine busy {100 * m['busy']:.0f}%  rollbacks {m['rollbacks_per_1k']:.0f}/1k")
        print(f"  {mix:<5} 3 nodes / 1 node: {med[3]['rps'] / med[1]['rps']:.2f}x req/s")


if __name__ == "__main__":
    sys.exit(main())
