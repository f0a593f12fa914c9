#!/usr/bin/env python3
"""load.py — closed-loop load generator for IAM/STS servers (Portcullis, moto).

Requests are SigV4-signed with botocore *before* the timed window: each client
process signs its own pool of requests and replays them (a signature stays valid
for 15 minutes, and the servers measured here do not refuse replays). Each of K
client processes keeps one persistent HTTP/1.1 keep-alive connection over a raw
socket and sends one request at a time (closed loop); a server that answers
`Connection: close` (moto) is reconnected, and the reconnect counts in latency.

Per scenario it reports requests/s, p50/p99 latency, errors (any non-200 or
socket failure), and the server's CPU time per request read from
/proc/<server-pid>/stat (utime+stime over the timed window / requests).

Subcommands:
  run        the load test (the default when the first argument is an option)
  probe      wait until a signed GetCallerIdentity answers 200 (readiness)
  coldstart  spawn a server command N times; time spawn -> first 200
  compare    render two `run` JSON results (portcullis, moto) side by side
  fill       create N users and M customer managed policies (for scale runs)

Only stdlib plus botocore. Every loop is bounded in count and time. Examples:
  bench/load.py run --port 8080 --server-pid 1234 --scenarios GetCallerIdentity,GetUser
  bench/load.py coldstart --starts 5 -- target/release/portcullis dev --listen 127.0.0.1:{port}
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from array import array

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ROOT_KEY = "AKIAIOSFODNN7EXAMPLE"
ROOT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
BENCH_USER = "bench-user"
BENCH_ACCOUNT = "123456789012"  # the well-known account of `portcullis dev` and moto
BENCH_ROLE_ARN = f"arn:aws:iam::{BENCH_ACCOUNT}:role/bench-role"
MAX_REQUESTS_PER_WORKER = 20_000_000  # hard cap on one worker's loop in one run
MAX_CONSECUTIVE_FAILURES = 200  # a worker gives up after this many failed connects/requests

# scenario name -> (signing service, form parameters)
SCENARIOS = {
    "GetCallerIdentity": ("sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
    "GetUser": ("iam", {"Action": "GetUser", "Version": "2010-05-08", "UserName": BENCH_USER}),
    # A change that can be replayed: the tag's value differs between a worker's pooled requests
    # (see `pooled_params`), so every request changes the store (the same value again would
    # change nothing, and SQLite would then write nothing either).
    "TagUser": ("iam", {"Action": "TagUser", "Version": "2010-05-08", "UserName": BENCH_USER,
                        "Tags.member.1.Key": "bench", "Tags.member.1.Value": "1"}),
    # Signed by the bench user (roles are not assumed by root), for a role that trusts it.
    "AssumeRole": ("sts", {"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": BENCH_ROLE_ARN,
                           "RoleSessionName": "bench", "DurationSeconds": "3600"}),
    # The bench user reading itself: allowed by its own policies (attached and inline).
    "GetUserAsUser": ("iam", {"Action": "GetUser", "Version": "2010-05-08", "UserName": BENCH_USER}),
    # Signed with temporary credentials from one AssumeRole.
    "SessionGetCallerIdentity": ("sts", {"Action": "GetCallerIdentity", "Version": "2011-06-15"}),
}


# ------------------------------------------------------------------ signing


def sign(host: str, port: int, service: str, params: dict, creds: Credentials, region: str) -> bytes:
    """Return the raw bytes of one SigV4-signed HTTP/1.1 POST request."""
    body = urllib.parse.urlencode(params)
    req = AWSRequest(
        method="POST",
        url=f"http://{host}:{port}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(creds, service, region).add_auth(req)
    lines = ["POST / HTTP/1.1", f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in req.headers.items() if k.lower() != "host"]
    lines += [f"Content-Length: {len(body)}", "Connection: keep-alive", "", ""]
    return "\r\n".join(lines).encode() + body.encode()


# --------------------------------------------------------------- raw HTTP/1.1


class Conn:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int, timeout: float):
        self.addr = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buf = b""
        self.connects = 0

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None
        self.buf = b""

    def _connect(self) -> None:
        self.sock = socket.create_connection(self.addr, timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.connects += 1

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk

    def _read_until(self, sep: bytes, limit: int = 1 << 20) -> bytes:
        while (i := self.buf.find(sep)) < 0:
            if len(self.buf) > limit:
                raise ConnectionError("response header too large")
            self._fill()
        out, self.buf = self.buf[:i], self.buf[i + len(sep):]
        return out

    def _read_exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one request, return (status, body). A request on a reused
        connection that the server had already closed is retried once."""
        for attempt in (0, 1):
            fresh = self.sock is None
            if fresh:
                self._connect()
            try:
                assert self.sock is not None
                self.sock.sendall(raw)
                return self._read_response()
            except (ConnectionError, OSError):
                self.close()
                if fresh or attempt == 1:
                    raise
        raise ConnectionError("unreachable")

    def _read_response(self) -> tuple[int, bytes]:
        head = self._read_until(b"\r\n\r\n").decode("latin-1")
        status_line, *header_lines = head.split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in header_lines:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            for _ in range(1_000_000):
                size = int(self._read_until(b"\r\n").split(b";")[0], 16)
                if size == 0:
                    self._read_until(b"\r\n")  # trailers (none expected) end
                    break
                parts.append(self._read_exact(size))
                self._read_exact(2)
            body = b"".join(parts)
        else:  # body runs until the server closes
            while True:
                try:
                    self._fill()
                except ConnectionError:
                    break
            body, self.buf = self.buf, b""
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close" or status_line.startswith("HTTP/1.0"):
            self.close()
        return status, body


def one_request(host: str, port: int, raw: bytes, timeout: float = 5.0) -> tuple[int, bytes]:
    conn = Conn(host, port, timeout)
    try:
        return conn.request(raw)
    finally:
        conn.close()


# -------------------------------------------------------------- measurement


def proc_cpu_seconds(pid: int) -> float:
    """utime+stime of a process (all its threads) in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # after "pid (comm)": field 3 is state, so utime (14) and stime (15) are at 11, 12
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def percentile(sorted_vals, q: float) -> float:
    if not sorted_vals:
        return float("nan")
    i = min(len(sorted_vals) - 1, max(0, round(q * (len(sorted_vals) - 1))))
    return sorted_vals[i]


def pool_size(args, scenario) -> int:
    """Signed requests a worker replays: at least two for a change, so that each one changes."""
    return max(args.pool, 2) if scenario == "TagUser" else args.pool


def pooled_params(scenario, params: dict, worker: int, k: int) -> dict:
    """The parameters of a worker's k-th pooled request: a TagUser sets a value of its own."""
    if scenario != "TagUser":
        return params
    return {**params, "Tags.member.1.Value": f"{worker}-{k}"}


def worker(args, scenario, ready, go, start_time, results, idx):
    """One client process: sign a pool, then replay it in a closed loop."""
    released = False
    try:
        service, params = SCENARIOS[scenario]
        creds = scenario_credentials(args, scenario)
        pool = [sign(args.host, args.port, service, pooled_params(scenario, params, idx, k), creds, args.region)
                for k in range(pool_size(args, scenario))]
        conn = Conn(args.host, args.port, args.timeout)
        ready.release()
        released = True
        if not go.wait(60):
            results.put((idx, None, "start signal never came"))
            return
        t_start = start_time.value
        t_measure = t_start + args.warmup
        t_end = t_measure + args.duration
        lat = array("d")
        errors = 0
        samples = []
        failures = 0
        cpu0 = os.times()
        n = 0
        for n in range(MAX_REQUESTS_PER_WORKER):
            t0 = time.perf_counter()
            if t0 >= t_end:
                break
            try:
                status, body = conn.request(pool[n % len(pool)])
                failures = 0
            except (ConnectionError, OSError, ValueError, IndexError) as e:
                status, body = 0, repr(e).encode()
                failures += 1
            t1 = time.perf_counter()
            if t0 >= t_measure and t1 <= t_end:
                lat.append(t1 - t0)
                if status != 200:
                    errors += 1
                    if len(samples) < 3:
                        samples.append(f"{status}: {body[:400].decode('utf-8', 'replace')}")
            if failures >= MAX_CONSECUTIVE_FAILURES:
                samples.append(f"gave up after {failures} consecutive failures")
                break
            if failures:
                time.sleep(min(0.01 * failures, 0.2))
        cpu1 = os.times()
        conn.close()
        results.put((idx, {
            "latencies": lat.tobytes(),
            "errors": errors,
            "samples": samples,
            "connects": conn.connects,
            "client_cpu": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system),
            "loops": n,
        }, None))
    except Exception as e:  # report, never hang the parent
        results.put((idx, None, repr(e)))
        if not released:
            ready.release()


def run_once(args, scenario) -> dict:
    """One timed run of one scenario with K client processes."""
    ctx = mp.get_context("fork")
    start_time = ctx.Value("d", 0.0)
    ready, go, results = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=worker, args=(args, scenario, ready, go, start_time, results, i), daemon=True)
             for i in range(args.connections)]
    for p in procs:
        p.start()
    try:
        for _ in procs:
            if not ready.acquire(timeout=60):
                raise RuntimeError("client processes did not get ready in 60 s")
        start_time.value = time.perf_counter()
        go.set()
        t_measure = start_time.value + args.warmup
        time.sleep(max(0.0, t_measure - time.perf_counter()))
        cpu0 = proc_cpu_seconds(args.server_pid) if args.server_pid else None
        time.sleep(max(0.0, t_measure + args.duration - time.perf_counter()))
        cpu1 = proc_cpu_seconds(args.server_pid) if args.server_pid else None
        got = {}
        deadline = time.monotonic() + args.timeout + 30
        while len(got) < len(procs) and time.monotonic() < deadline:
            try:
                idx, res, err = results.get(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:
                break
            if err:
                raise RuntimeError(f"client {idx}: {err}")
            got[idx] = res
        if len(got) < len(procs):
            raise RuntimeError("some client processes did not report")
    finally:
        for p in procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
    lat = array("d")
    for r in got.values():
        lat.frombytes(r["latencies"])
    lat = sorted(lat)
    n = len(lat)
    out = {
        "requests": n,
        "rps": n / args.duration,
        "p50_ms": percentile(lat, 0.50) * 1000,
        "p99_ms": percentile(lat, 0.99) * 1000,
        "errors": sum(r["errors"] for r in got.values()),
        "error_samples": [s for r in got.values() for s in r["samples"]][:3],
        "connects": sum(r["connects"] for r in got.values()),
        "client_cpu_ms_per_req": 1000 * sum(r["client_cpu"] for r in got.values()) / max(
            1, sum(r["loops"] for r in got.values())),
    }
    if cpu0 is not None and cpu1 is not None:
        out["server_cpu_ms_per_req"] = 1000 * (cpu1 - cpu0) / n if n else None
    return out


def scenario_credentials(args, scenario) -> Credentials:
    """Who signs a scenario's requests: root, or what `setup_scenario` prepared for it."""
    return getattr(args, "scenario_creds", {}).get(scenario, Credentials(args.access_key, args.secret_key))


def call(args, creds, service, params) -> tuple[int, bytes]:
    return one_request(args.host, args.port, sign(args.host, args.port, service, params, creds, args.region),
                       args.timeout)


def xml_field(body: bytes, name: str) -> str | None:
    text = body.decode("utf-8", "replace")
    start = text.find(f"<{name}>")
    end = text.find(f"</{name}>")
    return text[start + len(name) + 2:end] if 0 <= start < end else None


def bench_user_key(args) -> tuple[Credentials | None, str | None]:
    """The bench user, an access key of its own and a role that trusts it (made once)."""
    if getattr(args, "user_creds", None):
        return args.user_creds, None
    root = Credentials(args.access_key, args.secret_key)
    iam = {"Version": "2010-05-08"}
    status, body = call(args, root, "iam", {**iam, "Action": "CreateUser", "UserName": BENCH_USER})
    if status != 200 and b"EntityAlreadyExists" not in body:
        return None, f"CreateUser: HTTP {status}: {body[:400]!r}"
    status, body = call(args, root, "iam", {**iam, "Action": "CreateAccessKey", "UserName": BENCH_USER})
    if b"LimitExceeded" in body:  # keys of an earlier run: their secrets are gone, so replace them
        _, listing = call(args, root, "iam", {**iam, "Action": "ListAccessKeys", "UserName": BENCH_USER})
        for old in listing.decode("utf-8", "replace").split("<AccessKeyId>")[1:]:
            call(args, root, "iam", {**iam, "Action": "DeleteAccessKey", "UserName": BENCH_USER,
                                     "AccessKeyId": old.split("<")[0]})
        status, body = call(args, root, "iam", {**iam, "Action": "CreateAccessKey", "UserName": BENCH_USER})
    key, secret = xml_field(body, "AccessKeyId"), xml_field(body, "SecretAccessKey")
    if status != 200 or not key or not secret:
        return None, f"CreateAccessKey: HTTP {status}: {body[:400]!r}"
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRole",
        "Principal": {"AWS": f"arn:aws:iam::{BENCH_ACCOUNT}:user/{BENCH_USER}"}}]})
    status, body = call(args, root, "iam", {**iam, "Action": "CreateRole", "RoleName": "bench-role",
                                             "AssumeRolePolicyDocument": trust})
    if status != 200 and b"EntityAlreadyExists" not in body:
        return None, f"CreateRole: HTTP {status}: {body[:400]!r}"
    args.user_creds = Credentials(key, secret)
    return args.user_creds, None


def grant_bench_user(args) -> str | None:
    """Up to 10 customer managed policies attached to the bench user (the account's first ten,
    as a real user would carry) and an inline policy that allows reading itself."""
    root = Credentials(args.access_key, args.secret_key)
    iam = {"Version": "2010-05-08"}
    _, body = call(args, root, "iam", {**iam, "Action": "ListPolicies", "Scope": "Local", "MaxItems": "10"})
    arns = [part.split("<")[0] for part in body.decode("utf-8", "replace").split("<Arn>")[1:]]
    for arn in arns:
        call(args, root, "iam", {**iam, "Action": "AttachUserPolicy", "UserName": BENCH_USER, "PolicyArn": arn})
    own = json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["iam:GetUser", "iam:ListAccessKeys"],
        "Resource": f"arn:aws:iam::{BENCH_ACCOUNT}:user/${{aws:username}}"}]})
    status, body = call(args, root, "iam", {**iam, "Action": "PutUserPolicy", "UserName": BENCH_USER,
                                             "PolicyName": "self", "PolicyDocument": own})
    if status != 200:
        return f"PutUserPolicy: HTTP {status}: {body[:400]!r}"
    return None


def cmd_fill(args) -> int:
    """Fills the account: N users and M customer managed policies, from several threads."""
    import concurrent.futures
    root = Credentials(args.access_key, args.secret_key)

    def policy_doc(i):
        return json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": f"S{i}a", "Effect": "Allow", "Action": [f"s3:Get{i}*", "ec2:Describe*"],
             "Resource": f"arn:aws:s3:::bucket-{i}/*"},
            {"Sid": f"S{i}b", "Effect": "Deny", "Action": "iam:Delete*", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": f"t{i}"}}}]})

    jobs = [("iam", {"Action": "CreateUser", "Version": "2010-05-08", "UserName": f"fill-user-{i}"})
            for i in range(args.users)]
    jobs += [("iam", {"Action": "CreatePolicy", "Version": "2010-05-08", "PolicyName": f"fill-policy-{i}",
                      "PolicyDocument": policy_doc(i)}) for i in range(args.policies)]
    t0 = time.perf_counter()
    failures = []

    def run(chunk):
        conn = Conn(args.host, args.port, args.timeout)
        for service, params in chunk:
            status, body = conn.request(sign(args.host, args.port, service, params, root, args.region))
            if status != 200 and b"EntityAlreadyExists" not in body:
                failures.append(f"{params['Action']}: HTTP {status}: {body[:200]!r}")
        conn.close()

    chunks = [jobs[i::args.threads] for i in range(args.threads)]
    with concurrent.futures.ThreadPoolExecutor(args.threads) as ex:
        list(ex.map(run, chunks))
    took = time.perf_counter() - t0
    print(f"filled {args.users} users and {args.policies} policies in {took:.1f} s"
          f" ({len(failures)} failures)", file=sys.stderr)
    for f in failures[:3]:
        print("    " + f, file=sys.stderr)
    return 1 if failures else 0


def setup_scenario(args, scenario) -> str | None:
    """Prepare and preflight a scenario; return an error string or None."""
    creds = Credentials(args.access_key, args.secret_key)
    if scenario in ("GetUser", "TagUser"):
        raw = sign(args.host, args.port, "iam",
                   {"Action": "CreateUser", "Version": "2010-05-08", "UserName": BENCH_USER},
                   creds, args.region)
        status, body = one_request(args.host, args.port, raw, args.timeout)
        if status != 200 and b"EntityAlreadyExists" not in body:
            return f"CreateUser {BENCH_USER}: HTTP {status}: {body[:600].decode('utf-8', 'replace')}"
    service, params = SCENARIOS[scenario]
    if scenario in ("AssumeRole", "SessionGetCallerIdentity", "GetUserAsUser"):
        user, err = bench_user_key(args)
        if err:
            return err
        creds = user
        if scenario == "GetUserAsUser":
            err = grant_bench_user(args)
            if err:
                return err
        if scenario == "SessionGetCallerIdentity":
            status, body = call(args, user, "sts", SCENARIOS["AssumeRole"][1])
            fields = [xml_field(body, f) for f in ("AccessKeyId", "SecretAccessKey", "SessionToken")]
            if status != 200 or not all(fields):
                return f"AssumeRole for a session: HTTP {status}: {body[:400]!r}"
            creds = Credentials(*fields)
        if not hasattr(args, "scenario_creds"):
            args.scenario_creds = {}
        args.scenario_creds[scenario] = creds
    status, body = one_request(args.host, args.port,
                               sign(args.host, args.port, service, params, creds, args.region), args.timeout)
    if status != 200:
        return f"preflight {scenario}: HTTP {status}: {body[:600].decode('utf-8', 'replace')}"
    return None


def median(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def cmd_run(args) -> int:
    if args.warmup + args.duration > 600:
        print("warning: signatures are replayed for warm-up+duration; keep it well under 15 min",
              file=sys.stderr)
    report = {"tool": "bench/load.py", "label": args.label, "host": args.host, "port": args.port,
              "connections": args.connections, "runs": args.runs, "duration_s": args.duration,
              "warmup_s": args.warmup, "server_pid": args.server_pid, "scenarios": []}
    if args.server_pid:
        report["server_rss_kib_before"] = proc_rss_kib(args.server_pid)
    status = 0
    for scenario in args.scenarios.split(","):
        if scenario not in SCENARIOS:
            print(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}", file=sys.stderr)
            return 2
        entry = {"scenario": scenario}
        err = setup_scenario(args, scenario)
        if err:
            print(f"[{args.label}] {scenario}: {err}", file=sys.stderr)
            entry["error"] = err
            report["scenarios"].append(entry)
            status = 1
            continue
        runs = []
        for i in range(args.runs):
            try:
                r = run_once(args, scenario)
            except RuntimeError as e:
                entry["error"] = str(e)
                print(f"[{args.label}] {scenario} run {i + 1}: {e}", file=sys.stderr)
                status = 1
                break
            runs.append(r)
            cpu = r.get("server_cpu_ms_per_req")
            print(f"[{args.label}] {scenario} run {i + 1}/{args.runs}: {r['rps']:.0f} req/s, "
                  f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, errors {r['errors']}, "
                  f"connects {r['connects']}"
                  + (f", server CPU {cpu:.3f} ms/req" if cpu is not None else ""), file=sys.stderr)
            for s in r["error_samples"]:
                print(f"    error sample: {s}", file=sys.stderr)
        if runs:
            entry.update({
                "rps": median(r["rps"] for r in runs),
                "rps_runs": [round(r["rps"], 1) for r in runs],
                "p50_ms": median(r["p50_ms"] for r in runs),
                "p99_ms": median(r["p99_ms"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
                "requests": sum(r["requests"] for r in runs),
                "connects": sum(r["connects"] for r in runs),
                "server_cpu_ms_per_req": median(r.get("server_cpu_ms_per_req") for r in runs),
                "client_cpu_ms_per_req": median(r["client_cpu_ms_per_req"] for r in runs),
                "error_samples": [s for r in runs for s in r["error_samples"]][:3],
            })
            if entry["errors"]:
                status = 1
        report["scenarios"].append(entry)
    if args.server_pid:
        report["server_rss_kib_after"] = proc_rss_kib(args.server_pid)
    print_table(report)
    line = json.dumps(report, separators=(",", ":"))
    if args.json:
        with open(args.json, "w") as f:
            f.write(line + "\n")
    print(line)
    return status


def fmt(v, spec=".1f", none="-"):
    return none if v is None else format(v, spec)


def print_table(report) -> None:
    print(f"\n{report['label']}: {report['connections']} connections, {report['runs']} x "
          f"{report['duration_s']:g} s after {report['warmup_s']:g} s warm-up (medians)")
    print(f"{'scenario':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'srv CPU ms/req':>15} {'cli CPU ms/req':>15}")
    for s in report["scenarios"]:
        if "rps" not in s:
            print(f"{s['scenario']:<20} FAILED: {s.get('error', '?')[:100]}")
            continue
        print(f"{s['scenario']:<20} {s['rps']:>9.0f} {s['p50_ms']:>8.2f} {s['p99_ms']:>8.2f} "
              f"{s['errors']:>7} {fmt(s['server_cpu_ms_per_req'], '.3f'):>15} "
              f"{s['client_cpu_ms_per_req']:>15.3f}")
    if report.get("server_rss_kib_before") is not None:
        print(f"server RSS: {report['server_rss_kib_before'] / 1024:.1f} MiB before, "
              f"{(report.get('server_rss_kib_after') or 0) / 1024:.1f} MiB after")


# ------------------------------------------------------- probe and coldstart


def gci_request(args) -> bytes:
    creds = Credentials(args.access_key, args.secret_key)
    service, params = SCENARIOS["GetCallerIdentity"]
    return sign(args.host, args.port, service, params, creds, args.region)


def wait_for_200(host, port, raw, timeout, alive=lambda: True) -> tuple[bool, str]:
    """Poll with one signed request until HTTP 200; bounded by `timeout`."""
    deadline = time.perf_counter() + timeout
    last = "no answer"
    for _ in range(int(timeout / 0.002) + 1):
        if time.perf_counter() >= deadline:
            break
        if not alive():
            return False, "server process exited"
        try:
            status, body = one_request(host, port, raw, 2.0)
            if status == 200:
                return True, ""
            last = f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}"
        except OSError as e:
            last = repr(e)
        time.sleep(0.002)
    return False, last


def cmd_probe(args) -> int:
    if args.tcp_only:  # just wait for the port to accept connections
        deadline = time.perf_counter() + args.wait
        for _ in range(int(args.wait / 0.005) + 1):
            try:
                socket.create_connection((args.host, args.port), 1.0).close()
                return 0
            except OSError:
                if time.perf_counter() >= deadline:
                    break
                time.sleep(0.005)
        print(f"probe: {args.host}:{args.port} not accepting within {args.wait} s", file=sys.stderr)
        return 1
    ok, why = wait_for_200(args.host, args.port, gci_request(args), args.wait)
    if not ok:
        print(f"probe: no 200 from {args.host}:{args.port} within {args.wait} s: {why}", file=sys.stderr)
    return 0 if ok else 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmd_coldstart(args) -> int:
    """Spawn `cmd` (with {port} substituted) N times; time to the first 200."""
    if not args.server_cmd:
        print("coldstart: give the server command after --", file=sys.stderr)
        return 2
    times, rss = [], []
    for i in range(args.starts):
        args.port = free_port()
        cmd = [c.replace("{port}", str(args.port)) for c in args.server_cmd]
        raw = gci_request(args)  # signed before the clock starts
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ok, why = wait_for_200(args.host, args.port, raw, args.wait,
                                   lambda p=proc: p.poll() is None)
            elapsed = time.perf_counter() - t0
            rss_kib = proc_rss_kib(proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if not ok:
            print(f"[{args.label}] coldstart {i + 1}: no 200 within {args.wait} s: {why}", file=sys.stderr)
            return 1
        times.append(elapsed * 1000)
        if rss_kib:
            rss.append(rss_kib)
        print(f"[{args.label}] coldstart {i + 1}/{args.starts}: {elapsed * 1000:.0f} ms to first 200"
              + (f", RSS {rss_kib / 1024:.1f} MiB" if rss_kib else ""), file=sys.stderr)
    out = {"tool": "bench/load.py coldstart", "label": args.label, "starts": args.starts,
           "coldstart_ms": statistics.median(times), "coldstart_ms_runs": [round(t, 1) for t in times],
           "rss_kib_after_first_call": statistics.median(rss) if rss else None}
    line = json.dumps(out, separators=(",", ":"))
    if args.json:
        with open(args.json, "w") as f:
            f.write(line + "\n")
    print(line)
    return 0


# ------------------------------------------------------------------ compare


def cmd_compare(args) -> int:
    """Side-by-side table of two `run` results (A = portcullis, B = moto)."""
    def load(path):
        with open(path) as f:
            return json.loads(f.read().strip().splitlines()[-1])

    a, b = load(args.a), load(args.b)
    ca = load(args.cold_a) if args.cold_a else {}
    cb = load(args.cold_b) if args.cold_b else {}
    na, nb = a["label"], b["label"]
    print(f"\n{na} vs {nb}: {a['connections']} connections, {a['runs']} runs x {a['duration_s']:g} s "
          f"after {a['warmup_s']:g} s warm-up, medians")
    hdr = (f"{'scenario':<18} | {na + ' req/s':>16} {nb + ' req/s':>12} {'ratio':>7} | "
           f"{'p50/p99 ms ' + na:>22} {'p50/p99 ms ' + nb:>18} | "
           f"{'CPU ms/req ' + na:>21} {'CPU ms/req ' + nb:>16} {'ratio':>7} | errors")
    print(hdr)
    print("-" * len(hdr))
    def lat(s):
        return f"{s['p50_ms']:.2f}/{s['p99_ms']:.2f}" if "p50_ms" in s else "FAILED"

    bs = {s["scenario"]: s for s in b["scenarios"]}
    for sa in a["scenarios"]:
        sb = bs.get(sa["scenario"], {})
        ra, rb = sa.get("rps"), sb.get("rps")
        cpa, cpb = sa.get("server_cpu_ms_per_req"), sb.get("server_cpu_ms_per_req")
        rps_ratio = f"{ra / rb:.1f}x" if ra and rb else "-"
        cpu_ratio = f"{cpb / cpa:.1f}x" if cpa and cpb else "-"
        print(f"{sa['scenario']:<18} | {fmt(ra, '.0f'):>16} {fmt(rb, '.0f'):>12} {rps_ratio:>7} | "
              f"{lat(sa):>22} {lat(sb):>18} | "
              f"{fmt(cpa, '.3f'):>21} {fmt(cpb, '.3f'):>16} {cpu_ratio:>7} | "
              f"{sa.get('errors', '-')}/{sb.get('errors', '-')}")
        for s, n in ((sa, na), (sb, nb)):
            if "error" in s:
                print(f"    {n} {s['scenario']}: {s['error'][:300]}")
    print("ratio: req/s is " + na + "/" + nb + "; CPU per request is " + nb + "/" + na)

    def mib(v):
        return f"{v / 1024:.1f} MiB" if v else "-"

    print(f"\n{'footprint':<34} {na:>12} {nb:>12}")
    print(f"{'RSS at listen, before any request':<34} {mib(args.rss_listen_a):>12} {mib(args.rss_listen_b):>12}")
    print(f"{'RSS idle after first GCI':<34} {mib(a.get('server_rss_kib_before')):>12} "
          f"{mib(b.get('server_rss_kib_before')):>12}")
    print(f"{'RSS after the runs':<34} {mib(a.get('server_rss_kib_after')):>12} "
          f"{mib(b.get('server_rss_kib_after')):>12}")
    if ca or cb:
        def cs(c):
            return f"{c['coldstart_ms']:.0f} ms" if c.get("coldstart_ms") is not None else "-"

        print(f"{'cold start to first GCI 200 (med)':<34} {cs(ca):>12} {cs(cb):>12}")
    summary = {"tool": "bench/compare", "a": a, "b": b, "cold_a": ca, "cold_b": cb,
               "rss_listen_kib_a": args.rss_listen_a, "rss_listen_kib_b": args.rss_listen_b}
    print(json.dumps(summary, separators=(",", ":")))
    return 0


# --------------------------------------------------------------------- main


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        argv.insert(0, "run")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--host", default="127.0.0.1", help="server address (loopback only)")
        p.add_argument("--access-key", default=ROOT_KEY)
        p.add_argument("--secret-key", default=ROOT_SECRET)
        p.add_argument("--region", default="us-east-1")
        p.add_argument("--label", default="server", help="name used in output")
        p.add_argument("--json", help="also write the JSON result line to this file")

    p = sub.add_parser("run", help="load test")
    common(p)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--server-pid", type=int, help="PID whose CPU time is measured")
    p.add_argument("--scenarios", default="GetCallerIdentity,GetUser",
                   help=f"comma-separated, from {', '.join(SCENARIOS)}")
    p.add_argument("-c", "--connections", type=int, default=4)
    p.add_argument("-d", "--duration", type=float, default=10.0, help="timed seconds per run")
    p.add_argument("-w", "--warmup", type=float, default=1.0, help="untimed seconds before each run")
    p.add_argument("-r", "--runs", type=int, default=3)
    p.add_argument("--pool", type=int, default=64, help="pre-signed requests per connection")
    p.add_argument("--timeout", type=float, default=10.0, help="socket timeout, seconds")

    p = sub.add_parser("probe", help="wait for a 200 to a signed GetCallerIdentity")
    common(p)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--wait", type=float, default=30.0)
    p.add_argument("--tcp-only", action="store_true", help="only wait for the port to accept")

    p = sub.add_parser("coldstart", help="time spawn -> first 200, N fresh starts")
    common(p)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--wait", type=float, default=30.0)
    p.add_argument("server_cmd", nargs=argparse.REMAINDER, help="-- server command; {port} is replaced")

    p = sub.add_parser("fill", help="create N users and M managed policies in the account")
    common(p)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--policies", type=int, default=1500)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--timeout", type=float, default=10.0)

    p = sub.add_parser("compare", help="side-by-side table of two run results")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--cold-a")
    p.add_argument("--cold-b")
    p.add_argument("--rss-listen-a", type=int, help="KiB, read right after the port opened")
    p.add_argument("--rss-listen-b", type=int)

    args = ap.parse_args(argv)
    if getattr(args, "host", "127.0.0.1") not in ("127.0.0.1", "localhost", "::1"):
        ap.error("only loopback targets are allowed")
    if args.command == "coldstart" and args.server_cmd[:1] == ["--"]:
        args.server_cmd = args.server_cmd[1:]
    commands = {"run": cmd_run, "probe": cmd_probe, "coldstart": cmd_coldstart, "compare": cmd_compare,
                "fill": cmd_fill}
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
