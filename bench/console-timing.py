#!/usr/bin/env python3
"""console-timing.py — does a failed console sign-in tell an unknown user from a wrong
password by its time? (A benchmark, not a test.)

Starts `<bin> dev` on a free loopback port with a configuration that trusts 127.0.0.1 as a
proxy, so each attempt can come from its own address (X-Forwarded-For) and the per-address
throttle never delays the measurement. Creates one user with a console password (through
the AWS CLI of the test venv), then times, interleaved, N sign-in POSTs of each kind:

  unknown  a user name that does not exist (a fresh one each time)
  wrong    the existing user with a wrong password (a correct sign-in after each one clears
           the user's failure count, so the throttle stays out of the way)

Only the POST is timed (the form and its cookie are fetched first). Prints p50/p90/mean of
each and the difference of the medians, and one JSON line.

  cargo build --release -p portcullis
  ~/.cache/portcullis/venv/bin/python bench/console-timing.py --bin target/release/portcullis -n 200
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ACCOUNT = "123456789012"
PASSWORD = "Correct-Horse-9"


def start(binary: str, config: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen(
        [binary, "dev", "--listen", "127.0.0.1:0", "--config", config, "--no-audit"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 30
    assert proc.stderr is not None
    while time.time() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("the server did not start")


def aws(port: int, *args: str) -> None:
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID="AKIAIOSFODNN7EXAMPLE",
        AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=f"http://127.0.0.1:{port}",
    )
    cli = os.path.join(os.path.dirname(sys.executable), "aws")
    subprocess.run([cli, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def attempt(port: int, user: str, password: str) -> tuple[float, int]:
    """One sign-in from a random address: (seconds the POST took, status)."""
    ip = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/console/signin", headers={"X-Forwarded-For": ip})
    r = conn.getresponse()
    page = r.read().decode()
    cookie = r.getheader("set-cookie", "").split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"csrf": csrf, "account": ACCOUNT, "kind": "iam", "user": user, "password": password}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie,
        "X-Forwarded-For": ip,
    }
    t0 = time.perf_counter()
    conn.request("POST", "/console/signin", body=body, headers=headers)
    r = conn.getresponse()
    r.read()
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed, r.status


def summary(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {
        "p50_ms": round(statistics.median(xs) * 1000, 2),
        "p90_ms": round(xs[int(len(xs) * 0.9) - 1] * 1000, 2),
        "mean_ms": round(statistics.fmean(xs) * 1000, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/portcullis")
    ap.add_argument("-n", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "portcullis.toml")
        with open(config, "w") as f:
            f.write('trusted_proxies = ["127.0.0.1/32"]\n')
        proc, port = start(args.bin, config)
        try:
            aws(port, "iam", "create-user", "--user-name", "alice")
            aws(port, "iam", "create-login-profile", "--user-name", "alice", "--password", PASSWORD)
            for _ in range(5):  # warm-up
                attempt(port, "alice", PASSWORD)
            unknown, wrong = [], []
            for i in range(args.n):
                t, status = attempt(port, f"nobody-{i}-{random.randint(0, 1 << 30)}", "Wrong-Passw0rd!")
                assert status == 401, status
                unknown.append(t)
                t, status = attempt(port, "alice", "Wrong-Passw0rd!")
                assert status == 401, status
                wrong.append(t)
                _, status = attempt(port, "alice", PASSWORD)
                assert status == 303, status
        finally:
            proc.kill()
            proc.wait()
    u, w = summary(unknown), summary(wrong)
    print(f"{'':10} {'p50 ms':>8} {'p90 ms':>8} {'mean ms':>8}")
    print(f"{'unknown':10} {u['p50_ms']:8} {u['p90_ms']:8} {u['mean_ms']:8}")
    print(f"{'wrong':10} {w['p50_ms']:8} {w['p90_ms']:8} {w['mean_ms']:8}")
    diff = round(w["p50_ms"] - u["p50_ms"], 2)
    print(f"difference of the medians (wrong - unknown): {diff} ms over {args.n} attempts each")
    print(json.dumps({"n": args.n, "unknown": u, "wrong": w, "median_diff_ms": diff}))


if __name__ == "__main__":
    main()
