#!/usr/bin/env python3
"""scale.py — how Portcullis behaves with one large account (a benchmark, not a test).

Starts `<bin> dev` on a free loopback port (or uses a running server given --port), fills the
dev account with --users users, --roles roles, --policies customer managed policies and
--groups groups from --threads client threads (reporting how long the fill took), then times
read calls one at a time on a keep-alive connection:

  ListUsers (MaxItems 100) first page, and a deep page (the Marker of item --deep-item)
  ListRoles (MaxItems 100) first page
  GetAccountAuthorizationDetails (MaxItems 100) first page
  GetAccountSummary
  GetUser
  GetCredentialReport (after one timed GenerateCredentialReport, which builds the report)

and reports p50/p99 latency of each, plus the server's RSS after the fill (read from
/proc/<pid>/status; needs --server-pid with --port). Prints a table and one JSON line.

Requests are signed with botocore (bench/load.py's signer, in the same venv). The defaults are
AWS's default quotas, which `portcullis dev` enforces; a spawned server gets a config file
with headroom above them so the fill never meets a quota. Every loop is bounded.

  ~/.cache/portcullis/venv/bin/python bench/scale.py --bin target/release/portcullis
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from botocore.credentials import Credentials  # noqa: E402

from load import (  # noqa: E402
    ROOT_KEY,
    ROOT_SECRET,
    Conn,
    free_port,
    percentile,
    proc_rss_kib,
    sign,
    wait_for_200,
    xml_field,
)

IAM_VERSION = "2010-05-08"
TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})
MAX_PAGES = 10_000  # bound on any paging walk


def policy_doc(i: int) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                       "Resource": [f"arn:aws:s3:::bucket-{i}", f"arn:aws:s3:::bucket-{i}/*"]}],
    })


class Client:
    """Signs and sends IAM calls on one keep-alive connection."""

    def __init__(self, args):
        self.args = args
        self.creds = Credentials(ROOT_KEY, ROOT_SECRET)
        self.conn = Conn(args.host, args.port, args.timeout)

    def signed(self, params: dict) -> bytes:
        full = {"Action": params["Action"], "Version": IAM_VERSION, **params}
        return sign(self.args.host, self.args.port, "iam", full, self.creds, self.args.region)

    def call(self, params: dict) -> tuple[int, bytes]:
        return self.conn.request(self.signed(params))


def fill_requests(args) -> list[dict]:
    reqs = []
    reqs += [{"Action": "CreateUser", "UserName": f"user-{i:05d}", "Path": f"/team{i % 10}/"}
             for i in range(args.users)]
    reqs += [{"Action": "CreateRole", "RoleName": f"role-{i:04d}", "AssumeRolePolicyDocument": TRUST}
             for i in range(args.roles)]
    reqs += [{"Action": "CreatePolicy", "PolicyName": f"policy-{i:04d}", "PolicyDocument": policy_doc(i)}
             for i in range(args.policies)]
    reqs += [{"Action": "CreateGroup", "GroupName": f"group-{i:03d}"} for i in range(args.groups)]
    return reqs


def fill(args) -> tuple[float, int, list[str]]:
    """Sends every create from `args.threads` threads; returns (seconds, errors, samples)."""
    reqs = fill_requests(args)
    lock = threading.Lock()
    state = {"next": 0, "errors": 0, "samples": []}

    def run():
        client = Client(args)
        for _ in range(len(reqs)):
            with lock:
                i = state["next"]
                if i >= len(reqs):
                    return
                state["next"] = i + 1
            try:
                status, body = client.call(reqs[i])
            except OSError as e:
                status, body = 0, repr(e).encode()
            if status != 200:
                with lock:
                    state["errors"] += 1
                    if len(state["samples"]) < 3:
                        state["samples"].append(f"{reqs[i]['Action']}: {status} {body[:300]!r}")

    threads = [threading.Thread(target=run) for _ in range(args.threads)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=3600)
    return time.perf_counter() - t0, state["errors"], state["samples"]


def marker_at(client: Client, item: int, page: int) -> str | None:
    """The ListUsers Marker that continues at `item` (walking pages of `page` items)."""
    marker = None
    for _ in range(min(MAX_PAGES, item // page)):
        params = {"Action": "ListUsers", "MaxItems": str(page)}
        if marker:
            params["Marker"] = marker
        status, body = client.call(params)
        if status != 200:
            raise RuntimeError(f"ListUsers: HTTP {status}: {body[:300]!r}")
        marker = xml_field(body, "Marker")
        if marker is None:
            return None
    return marker


def measure(client: Client, params: dict, samples: int, check: str) -> dict:
    """Times `samples` sequential calls of one pre-signed request (replayed)."""
    raw = client.signed(params)
    lat = []
    errors = 0
    size = 0
    for _ in range(3):  # warm up
        client.conn.request(raw)
    for _ in range(samples):
        t0 = time.perf_counter()
        status, body = client.conn.request(raw)
        lat.append(time.perf_counter() - t0)
        if status != 200 or check.encode() not in body:
            errors += 1
        size = len(body)
    lat.sort()
    return {"p50_ms": percentile(lat, 0.50) * 1e3, "p99_ms": percentile(lat, 0.99) * 1e3,
            "samples": samples, "errors": errors, "response_bytes": size}


def start_server(args) -> tuple[subprocess.Popen, str]:
    cfg = tempfile.NamedTemporaryFile("w", suffix=".toml", prefix="scale-", delete=False)
    with cfg:
        cfg.write(f"max_users_per_account = {max(args.users * 2, 5000)}\n"
                  f"max_roles_per_account = {max(args.roles * 2, 1000)}\n"
                  f"max_groups_per_account = {max(args.groups * 2, 300)}\n")
    args.port = args.port or free_port()
    proc = subprocess.Popen(
        [args.bin, "--config", cfg.name, "--log-level", "warn", "dev", "--listen", f"127.0.0.1:{args.port}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, cfg.name


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bin", default="target/release/portcullis")
    p.add_argument("--port", type=int, help="use a running server instead of spawning one")
    p.add_argument("--server-pid", type=int, help="PID of the server given by --port (for RSS)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--region", default="us-east-1")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--users", type=int, default=5000)
    p.add_argument("--roles", type=int, default=1000)
    p.add_argument("--policies", type=int, default=1500)
    p.add_argument("--groups", type=int, default=300)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--deep-item", type=int, default=4000, help="ListUsers item the deep page starts at")
    args = p.parse_args(argv)

    proc = cfg = None
    if args.port is None:
        proc, cfg = start_server(args)
    pid = proc.pid if proc else args.server_pid
    try:
        probe = Client(args).signed({"Action": "GetAccountSummary"})
        ok, why = wait_for_200(args.host, args.port, probe, 30,
                               alive=lambda: proc is None or proc.poll() is None)
        if not ok:
            print(f"scale: server not ready: {why}", file=sys.stderr)
            return 1
        rss_before = proc_rss_kib(pid) if pid else None
        fill_s, fill_errors, fill_samples = fill(args)
        entities = args.users + args.roles + args.policies + args.groups
        rss_after = proc_rss_kib(pid) if pid else None
        if fill_errors:
            print(f"scale: {fill_errors} fill requests failed, e.g. {fill_samples}", file=sys.stderr)

        client = Client(args)
        deep = marker_at(client, args.deep_item, 100)
        calls = [
            ("ListUsers first page", {"Action": "ListUsers", "MaxItems": "100"}, "<Users>"),
            (f"ListUsers page at {args.deep_item}",
             {"Action": "ListUsers", "MaxItems": "100", **({"Marker": deep} if deep else {})}, "<Users>"),
            ("ListRoles first page", {"Action": "ListRoles", "MaxItems": "100"}, "<Roles>"),
            ("GetAccountAuthorizationDetails page",
             {"Action": "GetAccountAuthorizationDetails", "MaxItems": "100"}, "<UserDetailList>"),
            ("GetAccountSummary", {"Action": "GetAccountSummary"}, "<SummaryMap>"),
            ("GetUser", {"Action": "GetUser", "UserName": f"user-{args.users // 2:05d}"}, "<UserName>"),
        ]
        results = {}
        for name, params, check in calls:
            results[name] = measure(client, params, args.samples, check)
        # Building the credential report reads every user's keys, certificates, password and
        # MFA devices: timed once (later calls within 4 hours keep the report).
        t0 = time.perf_counter()
        status, body = client.call({"Action": "GenerateCredentialReport"})
        generate_ms = (time.perf_counter() - t0) * 1e3
        if status != 200 or b"<State>STARTED</State>" not in body:
            print(f"scale: GenerateCredentialReport: HTTP {status}: {body[:300]!r}", file=sys.stderr)
            fill_errors += 1
        results["GetCredentialReport"] = measure(
            client, {"Action": "GetCredentialReport"}, args.samples, "<Content>")
        rss_end = proc_rss_kib(pid) if pid else None

        print(f"fill: {entities} entities ({args.users} users, {args.roles} roles, {args.policies} "
              f"policies, {args.groups} groups) in {fill_s:.1f} s = {entities / fill_s:.0f}/s "
              f"from {args.threads} threads, {fill_errors} errors")
        if rss_after is not None:
            print(f"server RSS: {rss_before / 1024:.1f} MiB empty, {rss_after / 1024:.1f} MiB after the "
                  f"fill, {rss_end / 1024:.1f} MiB after the reads")
        print(f"GenerateCredentialReport (builds the report, one call): {generate_ms:.1f} ms")
        print(f"{'call':<40} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>8} {'errors':>7}")
        for name, r in results.items():
            print(f"{name:<40} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['response_bytes']:>8} {r['errors']:>7}")
        print(json.dumps({
            "fill_seconds": round(fill_s, 2), "fill_entities": entities, "fill_errors": fill_errors,
            "threads": args.threads, "rss_kib_empty": rss_before, "rss_kib_after_fill": rss_after,
            "rss_kib_after_reads": rss_end, "generate_credential_report_ms": round(generate_ms, 1),
            "calls": {k: {kk: (round(vv, 3) if isinstance(vv, float) else vv) for kk, vv in v.items()}
                      for k, v in results.items()},
        }))
        return 0 if fill_errors == 0 and all(r["errors"] == 0 for r in results.values()) else 1
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if cfg:
            os.unlink(cfg)


if __name__ == "__main__":
    sys.exit(main())
