#!/usr/bin/env python3
"""slowloris.py — stalled request heads against a Portcullis server, while a client measures.

    python3 bench/slowloris.py --bin PATH [--conns 300] [--seconds 20] [--config FILE]

Spawns `PATH [--config FILE] dev --listen 127.0.0.1:0`, measures the latency of signed STS
GetCallerIdentity requests (one connection each, root dev key) for --baseline seconds, then
opens --conns connections that each send a partial request head and stall, and measures the
same requests for --seconds while watching which stalled connections the server closes (and
when). Reports p50/p99/max latency before and during, errors, how many stalled connections
were closed and after how long, and the server's RSS and open descriptors. Prints a table and
one JSON line. Standard library only; loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawsig  # noqa: E402

GCI = b"Action=GetCallerIdentity&Version=2011-06-15"


def measure(server: rawsig.Server, seconds: float, stalled=None, timeout: float = 10.0):
    """Sequential signed GetCallerIdentity requests for `seconds`; polls `stalled` between."""
    lat, errors, statuses = [], 0, {}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        req = rawsig.signed_post(server.addr, GCI, service="sts")
        t0 = time.monotonic()
        r = rawsig.exchange(server.host_port, [(req, 0)], grace=timeout, timeout=timeout)
        dt = time.monotonic() - t0
        st = r["statuses"][0] if r["statuses"] else r["outcome"]
        statuses[str(st)] = statuses.get(str(st), 0) + 1
        if r["statuses"] == [200]:
            lat.append(dt * 1000)
        else:
            errors += 1
        if stalled is not None:
            stalled.poll()
        time.sleep(0.01)
    return lat, errors, statuses


class Stalled:
    def __init__(self, addr, host: str, n: int):
        self.socks = {}
        self.opened = time.monotonic()
        self.closed_after = []
        self.refused = 0
        head = f"POST / HTTP/1.1\r\nhost: {host}\r\ncontent-type: {rawsig.FORM}\r\nx-amz-date: 2024".encode()
        for _ in range(n):
            try:
                s = socket.create_connection(addr, timeout=5)
                s.sendall(head)
                s.setblocking(False)
                self.socks[s.fileno()] = s
            except OSError:
                self.refused += 1
        self.opened = time.monotonic()

    def poll(self):
        if not self.socks:
            return
        readable, _, _ = select.select(list(self.socks.values()), [], [], 0)
        for s in readable:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            # Any answer (e.g. 408) or a close ends the stall.
            self.closed_after.append(time.monotonic() - self.opened)
            del self.socks[s.fileno()]
            s.close()
            _ = data

    def close_all(self):
        for s in self.socks.values():
            s.close()
        self.socks.clear()


def summary(lat):
    return {
        "n": len(lat),
        "p50_ms": round(rawsig.percentile(lat, 50), 2) if lat else None,
        "p99_ms": round(rawsig.percentile(lat, 99), 2) if lat else None,
        "max_ms": round(max(lat), 2) if lat else None,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--conns", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--baseline", type=float, default=5.0)
    ap.add_argument("--config", help="TOML file passed with --config (e.g. header_timeout_seconds = 2)")
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    config = open(args.config).read() if args.config else None
    server = rawsig.Server(args.bin, config)
    try:
        base_lat, base_err, base_st = measure(server, args.baseline)
        fds0 = server.open_fds()
        stalled = Stalled(server.host_port, server.addr, args.conns)
        fds1 = server.open_fds()
        lat, err, st = measure(server, args.seconds, stalled)
        stalled.poll()
        still_open = len(stalled.socks)
        fds2 = server.open_fds()
        status = server.status()
        stalled.close_all()
        alive = server.alive()
    finally:
        server.stop()
    closed = stalled.closed_after
    out = {
        "label": args.label,
        "bin": args.bin,
        "config": config,
        "conns": args.conns,
        "connect_failed": stalled.refused,
        "baseline": {**summary(base_lat), "errors": base_err, "statuses": base_st},
        "during": {**summary(lat), "errors": err, "statuses": st},
        "stalled_closed_by_server": len(closed),
        "stalled_still_open_at_end": still_open,
        "closed_after_s": {
            "min": round(min(closed), 1) if closed else None,
            "max": round(max(closed), 1) if closed else None,
        },
        "server_fds": {"before": fds0, "stalled": fds1, "end": fds2},
        "rss_kb": status["VmRSS"],
        "alive": alive,
    }
    b, d = out["baseline"], out["during"]
    print(f"{'':<10} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    print(f"{'baseline':<10} {b['n']:>6} {b['p50_ms']!s:>8} {b['p99_ms']!s:>8} {b['max_ms']!s:>8} {b['errors']:>6}")
    print(f"{'stalled':<10} {d['n']:>6} {d['p50_ms']!s:>8} {d['p99_ms']!s:>8} {d['max_ms']!s:>8} {d['errors']:>6}")
    print(f"stalled connections: {args.conns} opened ({stalled.refused} failed), {len(closed)} closed by the server "
          f"(after {out['closed_after_s']['min']}..{out['closed_after_s']['max']} s), {still_open} still open after "
          f"{args.seconds:.0f} s; server fds {fds0} -> {fds1} -> {fds2}")
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
