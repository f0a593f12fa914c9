#!/usr/bin/env python3
"""hashflood.py — a password-hashing flood against a Portcullis server, while a client measures.

    python3 bench/hashflood.py --bin PATH [--workers 64] [--seconds 15] [--config FILE]

Spawns `PATH [--config FILE] dev --listen 127.0.0.1:0` (pass a config with
`password_screening = false` where the binary's dev mode screens passwords). As root (the dev
key) it creates a user with a login profile, an inline policy allowing iam:ChangePassword and an
access key. Then --workers threads send ChangePassword (OldPassword/NewPassword, signed as that
user) back to back for --seconds, while another client sends GetUser as root one at a time and
records its latency; the same client measures GetUser for --calm seconds before and after the
flood. Every ChangePassword keeps the same password (old = new) so each one is a correct guess
that costs a verify and a new hash; if the server refuses that, the workers switch between two
passwords instead. Reports GetUser p50/p99 before/during/after, ChangePassword answers by status
and code, and the server's RSS before/during (peak of 4 samples a second)/after. Prints a table
and one JSON line. Standard library only; loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawsig  # noqa: E402

USER = "flood-user"
PASSWORDS = ["Flood-Pass-1234a!", "Flood-Pass-5678b!"]
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"*"}]}'


def call(server, params, *, key=rawsig.DEV_KEY, secret=rawsig.DEV_SECRET, timeout=30.0):
    body = rawsig.form(params + [("Version", "2010-05-08")])
    req = rawsig.signed_post(server.addr, body, key=key, secret=secret)
    t0 = time.monotonic()
    r = rawsig.exchange(server.host_port, [(req, 0)], grace=timeout, timeout=timeout)
    dt = time.monotonic() - t0
    status = r["statuses"][0] if r["statuses"] else 0
    body = r["bodies"][0].decode("utf-8", "replace") if r["bodies"] else ""
    m = re.search(r"<Code>([^<]*)</Code>", body)
    return status, (m.group(1) if m else r["outcome"] if not status else ""), body, dt


def must(server, params):
    status, code, body, _ = call(server, params)
    if status != 200:
        raise RuntimeError(f"{params[0]} -> {status} {code}: {body[:300]}")
    return body


def get_user_latency(server, seconds, stop=None):
    lat, errors = [], Counter()
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (stop and stop.is_set()):
        status, code, _, dt = call(server, [("Action", "GetUser"), ("UserName", USER)])
        if status == 200:
            lat.append(dt * 1000)
        else:
            errors[f"{status} {code}"] += 1
        time.sleep(0.01)
    return lat, errors


def stats(lat, errors):
    return {
        "n": len(lat),
        "p50_ms": round(rawsig.percentile(lat, 50), 2) if lat else None,
        "p99_ms": round(rawsig.percentile(lat, 99), 2) if lat else None,
        "max_ms": round(max(lat), 2) if lat else None,
        "errors": dict(errors),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--calm", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=1, help="floods, --calm seconds apart (RSS after each)")
    ap.add_argument("--config", help="TOML file passed with --config (e.g. password_screening = false)")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    config = open(args.config).read() if args.config else None
    server = rawsig.Server(args.bin, config)
    try:
        return run(args, server, config)
    finally:
        server.stop()


def run(args, server, config) -> int:
    must(server, [("Action", "CreateUser"), ("UserName", USER)])
    must(server, [("Action", "CreateLoginProfile"), ("UserName", USER), ("Password", PASSWORDS[0])])
    must(server, [("Action", "PutUserPolicy"), ("UserName", USER), ("PolicyName", "change"),
                  ("PolicyDocument", POLICY)])
    body = must(server, [("Action", "CreateAccessKey"), ("UserName", USER)])
    key = re.search(r"<AccessKeyId>([^<]+)</AccessKeyId>", body).group(1)
    secret = re.search(r"<SecretAccessKey>([^<]+)</SecretAccessKey>", body).group(1)

    # Does the server take old == new? (Each such request is a correct guess: verify + hash.)
    status, code, text, _ = call(server, [("Action", "ChangePassword"), ("OldPassword", PASSWORDS[0]),
                                          ("NewPassword", PASSWORDS[0])], key=key, secret=secret)
    mode = "same" if status == 200 else "toggle"
    if status != 200:
        print(f"old == new refused ({status} {code}); workers switch passwords", file=sys.stderr)
    current = [PASSWORDS[0]]
    lock = threading.Lock()

    rss_before = server.status()["VmRSS"]
    before = get_user_latency(server, args.calm)

    answers = Counter()
    change_lat = []
    rss_samples = []
    rounds = []
    during = ([], Counter())
    flood_s = 0.0
    for round_no in range(args.rounds):
        stop = threading.Event()
        t_round = time.monotonic()

        def worker():
            while not stop.is_set():
                with lock:
                    old = current[0]
                new = old if mode == "same" else PASSWORDS[1 - PASSWORDS.index(old)]
                st, cd, _, dt = call(server, [("Action", "ChangePassword"), ("OldPassword", old),
                                              ("NewPassword", new)], key=key, secret=secret)
                with lock:
                    answers[f"{st} {cd}".strip()] += 1
                    change_lat.append(dt * 1000)
                    if st == 200 and mode == "toggle" and current[0] == old:
                        current[0] = new

        def sampler():
            while not stop.is_set():
                rss_samples.append(server.status()["VmRSS"])
                time.sleep(0.25)

        threads = [threading.Thread(target=worker) for _ in range(args.workers)]
        sam = threading.Thread(target=sampler)
        for t in threads:
            t.start()
        sam.start()
        lat, errs = get_user_latency(server, args.seconds)
        during[0].extend(lat)
        during[1].update(errs)
        stop.set()
        for t in threads:
            t.join()
        sam.join()
        flood_s += time.monotonic() - t_round
        rounds.append({"round": round_no + 1, "get_user": stats(lat, errs),
                       "rss_kb_after": server.status()["VmRSS"]})
        if round_no + 1 < args.rounds:
            time.sleep(args.calm)
    rss_after_flood = server.status()["VmRSS"]
    after = get_user_latency(server, args.calm)
    rss_after = server.status()
    alive = server.alive()

    out = {
        "label": args.label,
        "bin": args.bin,
        "config": config,
        "workers": args.workers,
        "mode": mode,
        "flood_s": round(flood_s, 1),
        "change_password": {
            "answers": dict(answers),
            "total": sum(answers.values()),
            "per_s": round(sum(answers.values()) / flood_s, 1),
            "p50_ms": round(rawsig.percentile(change_lat, 50), 1) if change_lat else None,
            "p99_ms": round(rawsig.percentile(change_lat, 99), 1) if change_lat else None,
        },
        "get_user": {"before": stats(*before), "during": stats(*during), "after": stats(*after)},
        "rss_kb": {
            "before": rss_before,
            "during_max": max(rss_samples) if rss_samples else None,
            "after_flood": rss_after_flood,
            "after": rss_after["VmRSS"],
            "peak_hwm": rss_after["VmHWM"],
        },
        "rounds": rounds,
        "alive": alive,
    }
    g = out["get_user"]
    print(f"{'GetUser':<8} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>9}  errors")
    for phase in ("before", "during", "after"):
        s = g[phase]
        print(f"{phase:<8} {s['n']:>6} {s['p50_ms']!s:>8} {s['p99_ms']!s:>8} {s['max_ms']!s:>9}  {s['errors']}")
    c = out["change_password"]
    print(f"ChangePassword ({mode}): {c['total']} in {flood_s:.1f} s ({c['per_s']}/s), p50 {c['p50_ms']} ms, "
          f"p99 {c['p99_ms']} ms; answers {c['answers']}")
    r = out["rss_kb"]
    print(f"RSS kB: before {r['before']}, during max {r['during_max']}, after flood {r['after_flood']}, "
          f"after {r['after']}, peak {r['peak_hwm']}; alive {alive}")
    for r in rounds:
        print(f"round {r['round']}: GetUser p99 {r['get_user']['p99_ms']} ms, RSS after {r['rss_kb_after']} kB")
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
