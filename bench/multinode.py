#!/usr/bin/env python3
"""multinode.py — three `portcullis serve` nodes on one PostgreSQL database.

Run through bench/multinode.sh, which starts a private PostgreSQL (scripts/pg.sh) and names it
in PORTCULLIS_TEST_DATABASE_URL.

  propagation  CHANGES times: detach a user's policy on node A, then poll nodes B and C until
               they refuse (AccessDenied), and attach it again, polling until they allow; reports
               the distribution (p50/p90/p99/max) of detach -> refusal per node. The bound is 1 s.

kill -9 of a node during a write burst and PostgreSQL stopped under load are integration tests
(crates/server/tests/integration/several_nodes_failures.rs, run by scripts/test.sh).

Only stdlib plus botocore (from the awscli venv). Processes it starts are stopped by PID.
Environment: PORTCULLIS_BIN [target/debug/portcullis]  CHANGES [1000]
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import botocore.config
import botocore.session

BIN = os.environ.get("PORTCULLIS_BIN", "target/debug/portcullis")
URL = os.environ["PORTCULLIS_TEST_DATABASE_URL"]
CHANGES = int(os.environ.get("CHANGES", "1000"))
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*"}],
    }
)
NO_RETRY = botocore.config.Config(
    retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2, read_timeout=5
)


class Node:
    """A `serve` node with its own data directory; the master key is shared through env."""

    def __init__(self, name: str, work: str, env: dict[str, str], extra: list[str]):
        self.dir = os.path.join(work, name)
        self.log = open(os.path.join(work, f"{name}.log"), "w+")
        args = [BIN, "serve", "--no-tls", "--no-audit", "--listen", "127.0.0.1:0",
                "--data-dir", self.dir, "--database", URL, *extra]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log,
                                     env={**os.environ, **env})
        self.endpoint = "http://" + self.wait_listening()

    def wait_listening(self) -> str:
        deadline = time.time() + 30
        while time.time() < deadline:
            self.log.seek(0)
            for line in self.log.read().splitlines():
                if "listening on " in line:
                    return line.split("listening on ", 1)[1].split()[0]
            if self.proc.poll() is not None:
                sys.exit(f"node exited: {self.log.read()}")
            time.sleep(0.05)
        sys.exit("node did not start")

    def client(self, key: str, secret: str):
        return botocore.session.get_session().create_client(
            "iam", region_name="us-east-1", endpoint_url=self.endpoint,
            aws_access_key_id=key, aws_secret_access_key=secret, config=NO_RETRY)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)


def outcome(call) -> str:
    try:
        call()
        return "allowed"
    except Exception as e:  # botocore raises ClientError, or connection errors
        code = getattr(e, "response", {}).get("Error", {}).get("Code")
        status = getattr(e, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "AccessDenied":
            return "refused"
        if status and status >= 500:
            return "5xx"
        if "Timeout" in type(e).__name__:
            return "timeout"
        return f"error:{code or type(e).__name__}"


def wait_for(call, want: str, limit: float = 10.0) -> float:
    start = time.perf_counter()
    while True:
        got = outcome(call)
        elapsed = time.perf_counter() - start
        if got == want:
            return elapsed
        if got not in ("allowed", "refused", "5xx", "timeout") or elapsed > limit:
            raise SystemExit(f"wanted {want}, got {got} after {elapsed:.3f}s")
        time.sleep(0.002)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report(name: str, xs: list[float]) -> None:
    ms = [x * 1000 for x in xs]
    print(f"  {name}: n={len(ms)} p50={pct(ms, 50):.1f}ms p90={pct(ms, 90):.1f}ms "
          f"p99={pct(ms, 99):.1f}ms max={max(ms):.1f}ms mean={statistics.mean(ms):.1f}ms")


def propagation(a, b, c, root_a, key, secret, arn) -> bool:
    gets = {n.endpoint: (lambda cl=n.client(key, secret): cl.get_user(UserName="alice"))
            for n in (b, c)}
    times = {b.endpoint: [], c.endpoint: []}
    for _ in range(CHANGES):
        root_a.detach_user_policy(UserName="alice", PolicyArn=arn)
        t0 = time.perf_counter()
        pending = dict(gets)
        while pending:
            for ep, call in list(pending.items()):
                got = outcome(call)
                if got == "refused":
                    times[ep].append(time.perf_counter() - t0)
                    del pending[ep]
                elif got != "allowed" or time.perf_counter() - t0 > 10:
                    raise SystemExit(f"propagation: {got}")
            time.sleep(0.001)
        root_a.attach_user_policy(UserName="alice", PolicyArn=arn)
        for call in gets.values():
            wait_for(call, "allowed")
    print(f"propagation: {CHANGES} detaches on node A, time until refused")
    report("node B", times[b.endpoint])
    report("node C", times[c.endpoint])
    worst = max(pct(times[b.endpoint], 99), pct(times[c.endpoint], 99))
    return worst < 1.0


def main() -> int:
    work = tempfile.mkdtemp(prefix="portcullis-multinode.")
    creds = os.path.join(work, "root")
    a = Node("a", work, {}, ["--credentials-file", creds])
    shared = {"PORTCULLIS_MASTER_KEY": open(os.path.join(a.dir, "master.key")).read().strip()}
    sealing = ["--sealing-key-file", os.path.join(a.dir, "sts-sealing.keys")]
    b = Node("b", work, shared, sealing)
    c = Node("c", work, shared, sealing)
    nodes = [a, b, c]
    try:
        lines = open(creds).read().splitlines()
        root_key = tuple(l.split(" = ", 1)[1] for l in lines[1:3])
        root_a = a.client(*root_key)
        root_a.create_user(UserName="alice")
        k = root_a.create_access_key(UserName="alice")["AccessKey"]
        key, secret = k["AccessKeyId"], k["SecretAccessKey"]
        arn = root_a.create_policy(PolicyName="get", PolicyDocument=POLICY)["Policy"]["Arn"]
        root_a.attach_user_policy(UserName="alice", PolicyArn=arn)
        for n in (b, c):
            wait_for(lambda cl=n.client(key, secret): cl.get_user(UserName="alice"), "allowed")
        ok = propagation(a, b, c, root_a, key, secret, arn)
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        for n in nodes:
            n.stop()


if __name__ == "__main__":
    sys.exit(main())
