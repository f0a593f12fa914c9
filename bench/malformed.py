#!/usr/bin/env python3
"""malformed.py — a malformed-request campaign against a running Portcullis server.

    python3 bench/malformed.py --bin target/release/portcullis [--requests 10000]

Spawns `BIN dev --listen 127.0.0.1:0` (the address is read from its stderr line containing
"listening on "), then sends N requests over raw sockets, each built from a valid SigV4-signed
IAM ListUsers request (root dev key) and mutated by one of: byte flips, truncations, huge and
many and duplicated headers, huge and duplicated parameters, invalid UTF-8 and percent-escapes,
chunked bodies (valid and broken), pipelined requests on one connection, absurd Content-Length,
bad request lines, and a few slow partial sends. Mutations of the body are re-signed, so they
reach the decoder behind the signature check; added headers are unsigned, so the signature
still holds.

Each request has a client-side timeout (--timeout, 10 s): a request the server has not answered
within --grace seconds of its last byte gets its write side shut (a client that gives up), and
the server then has the timeout to answer or close. "gaveup" counts those requests; with a
--grace longer than the server's own header/body timeouts (e.g. --grace 35 with --workers 64
and fewer requests) it counts the incomplete requests the server left open. The campaign counts answers by status
class, 5xx, hangs (neither an answer nor a close within the timeout), connections closed without
an answer, and resets; reads the server's RSS from /proc/<pid>/status before and after; checks
at the end that the server still answers a valid request; prints a table and one JSON line; and
exits 1 on any 5xx, hang or panic, or a dead server.

Standard library only; loopback only; bounded by --requests and --max-seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rawsig  # noqa: E402

BODY = b"Action=ListUsers&Version=2010-05-08"


class Campaign:
    def __init__(self, host: str, rng: random.Random):
        self.host = host
        self.rng = rng

    # -- building blocks ---------------------------------------------------------------

    def valid(self, body: bytes = BODY, close: bool = True, extra=None) -> bytes:
        return rawsig.signed_post(self.host, body, close=close, extra=extra)

    def head_and_body(self, body: bytes = BODY, close: bool = True) -> tuple[list[str], bytes]:
        lines = ["POST / HTTP/1.1"]
        if close:
            lines.append("connection: close")
        for n, v in rawsig.signed_headers(self.host, body):
            lines.append(f"{n}: {v}")
        return lines, body

    @staticmethod
    def join(lines: list[str], body: bytes) -> bytes:
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    # -- mutations: each returns (chunks, expected responses) ----------------------------

    def m_valid(self):
        return [(self.valid(), 0)], 1

    def m_byte_flip(self):
        req = bytearray(self.valid())
        for _ in range(self.rng.randint(1, 8)):
            i = self.rng.randrange(len(req))
            req[i] ^= self.rng.choice([0x01, 0x20, 0x80, 0xFF, self.rng.randrange(1, 256)])
        return [(bytes(req), 0)], 1

    def m_truncate(self):
        req = self.valid()
        return [(req[: self.rng.randrange(1, len(req))], 0)], 1

    def m_huge_header(self):
        size = self.rng.choice([8 << 10, 64 << 10, 300 << 10, 1 << 20, 4 << 20])
        name = self.rng.choice(["x-pad", "user-agent", "x-amz-meta-a", "cookie"])
        return [(self.valid(extra=[(name, "a" * size)]), 0)], 1

    def m_huge_header_name(self):
        size = self.rng.choice([4 << 10, 100 << 10, 1 << 20])
        return [(self.valid(extra=[("x" * size, "1")]), 0)], 1

    def m_many_headers(self):
        n = self.rng.choice([100, 1000, 10000, 50000])
        extra = [(f"x-h{i}", "v") for i in range(n)]
        return [(self.valid(extra=extra), 0)], 1

    def m_duplicate_headers(self):
        lines, body = self.head_and_body()
        kind = self.rng.choice(
            ["host", "content-length", "content-length-diff", "authorization", "x-amz-date",
             "content-type", "transfer-encoding", "connection"]
        )
        if kind == "content-length-diff":
            lines.append(f"content-length: {len(body) + 1}")
        elif kind == "transfer-encoding":
            lines.append("transfer-encoding: chunked")
            lines.append("transfer-encoding: chunked")
        elif kind == "connection":
            lines.append("connection: keep-alive")
        else:
            orig = [l for l in lines if l.lower().startswith(kind + ":")]
            for _ in range(self.rng.choice([1, 2, 50, 1000])):
                lines.append(orig[0] if orig else f"{kind}: x")
        if "content-length" not in kind and kind != "transfer-encoding":
            lines.append(f"content-length: {len(body)}")
        elif kind == "content-length":
            lines.append(f"content-length: {len(body)}")
        return [(self.join(lines, body), 0)], 1

    def m_header_syntax(self):
        lines, body = self.head_and_body()
        lines.append(f"content-length: {len(body)}")
        bad = self.rng.choice(
            [
                "no-colon-here",
                " folded: continuation",
                "x-fold: a\r\n  b",
                "bad name: v",
                "x-nul: a\x00b",
                "x-ctl: \x01\x02\x7f",
                ": empty-name",
                "x-latin: caf\xe9",
                "x-bare-cr: a\rb",
                "Content-Length : 5",
                "x-high: " + "".join(chr(c) for c in range(0x80, 0x100)),
            ]
        )
        lines.insert(self.rng.randrange(1, len(lines) + 1), bad)
        return [(self.join(lines, body), 0)], 1

    def m_huge_param(self):
        size = self.rng.choice([1 << 10, 100 << 10, 1 << 20, 3 << 20, 5 << 20])
        name = self.rng.choice(["PathPrefix", "Marker", "Junk", "UserName"])
        body = BODY + f"&{name}=".encode() + b"a" * size
        return [(self.valid(body), 0)], 1

    def m_duplicate_params(self):
        n = self.rng.choice([10, 1000, 20000, 100000])
        kind = self.rng.choice(["Action", "Version", "MaxItems", "list", "map", "deep"])
        if kind == "list":
            extra = b"".join(b"&Tags.member.%d.Key=k%d&Tags.member.%d.Value=v" % (i, i, i)
                             for i in range(1, n + 1))
        elif kind == "map":
            extra = b"".join(b"&P.entry.%d.key=k&P.entry.%d.value=v" % (i, i) for i in range(1, n + 1))
        elif kind == "deep":
            extra = b"&Tags.member.4294967296.Key=x&Tags.member.99999999999999999999.Key=y" + \
                b"&" + b".".join([b"a"] * n) + b"=1"
        else:
            value = {"Action": b"GetUser", "Version": b"2010-05-08", "MaxItems": b"1"}[kind]
            extra = (b"&" + kind.encode() + b"=" + value) * n
        body = BODY + extra
        if self.rng.random() < 0.5:
            body = extra.lstrip(b"&") + b"&" + BODY
        return [(self.valid(body), 0)], 1

    def m_bad_encoding(self):
        junk = self.rng.choice(
            [b"%FF%FE", b"%", b"%G1", b"%0", b"%C3%28", b"\xff\xfe\xfd", b"\xc3", b"%ED%A0%80",
             b"%00", b"\x00", b"%%%%", b"+%2B+", b"%F4%90%80%80", b"\xe2\x82", b"%E2%82%28"]
        )
        where = self.rng.choice(["value", "name", "action", "whole"])
        if where == "value":
            body = BODY + b"&PathPrefix=/" + junk
        elif where == "name":
            body = BODY + b"&" + junk + b"=1"
        elif where == "action":
            body = b"Action=List" + junk + b"Users&Version=2010-05-08"
        else:
            body = junk
        if self.rng.random() < 0.3:
            # In the query string and path instead (unsigned: the signature check answers).
            req = self.valid(body).replace(b"POST / HTTP/1.1", b"POST /" + junk + b"?" + junk + b" HTTP/1.1", 1)
            return [(req, 0)], 1
        return [(self.valid(body), 0)], 1

    def chunked(self, body: bytes, parts: int) -> bytes:
        out = b""
        step = max(1, len(body) // parts)
        for i in range(0, len(body), step):
            piece = body[i : i + step]
            out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        return out + b"0\r\n\r\n"

    def m_chunked_valid(self):
        body = BODY
        lines = ["POST / HTTP/1.1", "connection: close", "transfer-encoding: chunked"]
        for n, v in rawsig.signed_headers(self.host, body):
            lines.append(f"{n}: {v}")
        return [(self.join(lines, self.chunked(body, self.rng.randint(1, 8))), 0)], 1

    def m_chunked_broken(self):
        body = BODY
        lines = ["POST / HTTP/1.1", "connection: close", "transfer-encoding: chunked"]
        for n, v in rawsig.signed_headers(self.host, body):
            lines.append(f"{n}: {v}")
        good = self.chunked(body, 3)
        kind = self.rng.choice(
            ["no-terminator", "bad-hex", "huge-size", "overflow-size", "short-chunk", "long-chunk",
             "extension", "cl-and-te", "te-gzip", "negative", "many-tiny", "trailer-flood"]
        )
        if kind == "no-terminator":
            payload = good[: -len(b"0\r\n\r\n")]
        elif kind == "bad-hex":
            payload = b"zz\r\n" + body + b"\r\n0\r\n\r\n"
        elif kind == "huge-size":
            payload = b"7fffffff\r\n" + body + b"\r\n0\r\n\r\n"
        elif kind == "overflow-size":
            payload = b"ffffffffffffffffffffffff\r\n" + body + b"\r\n0\r\n\r\n"
        elif kind == "short-chunk":
            payload = b"%x\r\n" % (len(body) + 10) + body + b"\r\n0\r\n\r\n"
        elif kind == "long-chunk":
            payload = b"%x\r\n" % (len(body) - 5) + body + b"\r\n0\r\n\r\n"
        elif kind == "extension":
            payload = b"%x;" % len(body) + b"x" * self.rng.choice([10, 5000, 100000]) + b"\r\n" + body + b"\r\n0\r\n\r\n"
        elif kind == "cl-and-te":
            lines.append(f"content-length: {len(body)}")
            payload = good
        elif kind == "te-gzip":
            lines[2] = "transfer-encoding: gzip, chunked"
            payload = good
        elif kind == "negative":
            payload = b"-1\r\n" + body + b"\r\n0\r\n\r\n"
        elif kind == "many-tiny":
            payload = b"".join(b"1\r\n" + body[i : i + 1] + b"\r\n" for i in range(len(body))) * 200 + b"0\r\n\r\n"
        else:
            payload = good[: -2] + b"".join(b"x-t%d: v\r\n" % i for i in range(5000)) + b"\r\n"
        return [(self.join(lines, payload), 0)], 1

    def m_pipelined(self):
        n = self.rng.randint(2, 10)
        reqs = [self.valid(close=False) for _ in range(n - 1)]
        if self.rng.random() < 0.3:
            # Garbage in the middle: the server answers the good ones before it and closes.
            reqs.insert(self.rng.randrange(len(reqs) + 1), b"GARBAGE \x00\xff\r\n\r\n")
            return [(b"".join(reqs) + self.valid(), 0)], n + 1
        if self.rng.random() < 0.3:
            reqs.append(rawsig.health_get(self.host, close=False))
        return [(b"".join(reqs) + self.valid(), 0)], len(reqs) + 1

    def m_absurd_length(self):
        lines, body = self.head_and_body()
        value = self.rng.choice(
            ["99999999999999999999999999", "18446744073709551616", "9223372036854775807",
             "4294967296", "4194305", "-1", "1e9", " 35", "35, 35", "0x23", "", "+35",
             "100000000"]
        )
        lines.append(f"content-length: {value}")
        return [(self.join(lines, body), 0)], 1

    def m_request_line(self):
        req = self.valid()
        head, rest = req.split(b"\r\n", 1)
        line = self.rng.choice(
            [b"POST / HTTP/1.0", b"POST / HTTP/2.0", b"POST / HTTP/9.9", b"POST /", b"POST  /  HTTP/1.1",
             b"post / HTTP/1.1", b"FOO / HTTP/1.1", b"POST * HTTP/1.1", b"POST /../../etc/passwd HTTP/1.1",
             b"POST " + b"/a" * 40000 + b" HTTP/1.1", b"POST /?" + b"a=b&" * 20000 + b" HTTP/1.1",
             b"POST http://127.0.0.1/ HTTP/1.1", b"\x00POST / HTTP/1.1", b"CONNECT 127.0.0.1:1 HTTP/1.1",
             b"GET /_portcullis/health HTTP/1.1", b"PRI * HTTP/2.0"]
        )
        if self.rng.random() < 0.2:
            # LF-only line endings throughout.
            return [((line + b"\r\n" + rest).replace(b"\r\n", b"\n"), 0)], 1
        return [(line + b"\r\n" + rest, 0)], 1

    def m_slow(self):
        req = self.valid()
        n = self.rng.randint(5, 15)
        step = max(1, len(req) // n)
        return [(req[i : i + step], 0.3) for i in range(0, len(req), step)], 1

    KINDS = {
        "valid": 4,
        "byte_flip": 14,
        "truncate": 8,
        "huge_header": 3,
        "huge_header_name": 2,
        "many_headers": 3,
        "duplicate_headers": 8,
        "header_syntax": 7,
        "huge_param": 3,
        "duplicate_params": 5,
        "bad_encoding": 9,
        "chunked_valid": 5,
        "chunked_broken": 9,
        "pipelined": 7,
        "absurd_length": 7,
        "request_line": 6,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True, help="the portcullis binary")
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--slow", type=int, default=5, help="slow partial sends (in addition)")
    ap.add_argument("--workers", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=10.0, help="client timeout per request (s)")
    ap.add_argument("--grace", type=float, default=1.0, help="wait before giving up on sending (s)")
    ap.add_argument("--max-seconds", type=float, default=1800.0, help="stop sending after this")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--config", help="TOML config text file passed to the server with --config")
    ap.add_argument("--label", default="", help="a name for this run in the JSON line")
    args = ap.parse_args()

    config = open(args.config).read() if args.config else None
    server = rawsig.Server(args.bin, config)
    host = server.addr
    print(f"server pid {server.pid} on {host}", file=sys.stderr)
    try:
        return run(args, server, host)
    finally:
        server.stop()


def run(args, server: rawsig.Server, host: str) -> int:
    master = random.Random(args.seed)
    kinds = list(Campaign.KINDS)
    weights = [Campaign.KINDS[k] for k in kinds]
    plan = [master.choices(kinds, weights)[0] for _ in range(args.requests)]
    plan += ["slow"] * args.slow
    master.shuffle(plan)

    # Warm up: one valid request, then the baseline RSS.
    first = rawsig.exchange(server.host_port, [(Campaign(host, master).valid(), 0)], timeout=args.timeout)
    if first["statuses"] != [200]:
        print(f"the valid request is not answered 200: {first}", file=sys.stderr)
        return 2
    before = server.status()
    fds_before = server.open_fds()

    lock = threading.Lock()
    by_kind = defaultdict(Counter)
    totals = Counter()
    classes = Counter()
    examples = defaultdict(list)
    next_i = [0]
    start = time.monotonic()
    stop_at = start + args.max_seconds

    def worker(wid: int):
        rng = random.Random(args.seed * 1000 + wid)
        c = Campaign(host, rng)
        while True:
            with lock:
                i = next_i[0]
                if i >= len(plan) or time.monotonic() > stop_at:
                    return
                next_i[0] += 1
            kind = plan[i]
            chunks, expect = getattr(c, "m_" + kind)()
            t0 = time.monotonic()
            r = rawsig.exchange(server.host_port, chunks, expect=expect, grace=args.grace, timeout=args.timeout)
            dt = time.monotonic() - t0
            with lock:
                totals["sent"] += 1
                totals[r["outcome"]] += 1
                by_kind[kind][r["outcome"]] += 1
                if r["gave_up"]:
                    totals["gave_up"] += 1
                    by_kind[kind]["gave_up"] += 1
                for st in r["statuses"]:
                    cls = f"{st // 100}xx" if st else "bad"
                    classes[cls] += 1
                    by_kind[kind][cls] += 1
                    if st >= 500 or st == 0:
                        if len(examples[f"{kind}:{st}"]) < 3:
                            examples[f"{kind}:{st}"].append(
                                {"head": chunks[0][0][:300].decode("latin-1"), "body": r["bodies"][0][:300].decode("latin-1", "replace") if r["bodies"] else ""}
                            )
                if r["outcome"] in ("hang", "refused") and len(examples[f"{kind}:{r['outcome']}"]) < 3:
                    examples[f"{kind}:{r['outcome']}"].append({"head": chunks[0][0][:300].decode("latin-1"), "seconds": round(dt, 1)})
                by_kind[kind]["_max_s"] = max(by_kind[kind]["_max_s"], round(dt, 2))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(args.workers)]
    for t in threads:
        t.start()
    last = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(0.5)
        if time.monotonic() - last > 30:
            last = time.monotonic()
            with lock:
                print(f"  {totals['sent']}/{len(plan)} sent, {dict(classes)}, rss {server.status()['VmRSS']} kB",
                      file=sys.stderr)
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start

    time.sleep(1.0)
    after = server.status()
    fds_after = server.open_fds()
    final = rawsig.exchange(server.host_port, [(Campaign(host, master).valid(), 0)], timeout=args.timeout)
    health = rawsig.exchange(server.host_port, [(rawsig.health_get(host), 0)], timeout=args.timeout)
    alive = server.alive() and final["statuses"] == [200] and health["statuses"] == [200]

    print()
    print(f"{'kind':<18} {'sent':>6} {'2xx':>6} {'4xx':>6} {'5xx':>5} {'other':>5} {'closed':>6} {'reset':>5} {'hang':>5} {'gaveup':>6} {'max s':>6}")
    for kind in sorted(by_kind):
        k = by_kind[kind]
        sent = sum(k[o] for o in ("answered", "closed", "reset", "hang", "refused"))
        other = k["1xx"] + k["3xx"] + k["bad"]
        print(f"{kind:<18} {sent:>6} {k['2xx']:>6} {k['4xx']:>6} {k['5xx']:>5} {other:>5} {k['closed']:>6} {k['reset']:>5} {k['hang'] + k['refused']:>5} {k['gave_up']:>6} {k['_max_s']:>6}")
    print()
    print(f"requests {totals['sent']} in {elapsed:.1f} s; responses by class {dict(sorted(classes.items()))}")
    print(f"answered {totals['answered']}, closed without answer {totals['closed']}, resets {totals['reset']}, "
          f"hangs {totals['hang']}, refused {totals['refused']}, panics in log {server.panics}; "
          f"the client gave up (shut its write side after --grace {args.grace} s) on {totals['gave_up']}")
    print(f"RSS before {before['VmRSS']} kB, after {after['VmRSS']} kB, peak (VmHWM) {after['VmHWM']} kB; "
          f"threads {before['Threads']} -> {after['Threads']}; fds {fds_before} -> {fds_after}")
    print(f"server alive and answering: {alive}")
    for key, ex in sorted(examples.items()):
        print(f"example {key}: {json.dumps(ex[0])[:400]}")

    failed = classes["5xx"] > 0 or totals["hang"] > 0 or totals["refused"] > 0 or not alive or server.panics > 0
    summary = {
        "label": args.label,
        "bin": args.bin,
        "requests": totals["sent"],
        "elapsed_s": round(elapsed, 1),
        "status_classes": dict(sorted(classes.items())),
        "5xx": classes["5xx"],
        "hangs": totals["hang"],
        "refused": totals["refused"],
        "closed_without_answer": totals["closed"],
        "resets": totals["reset"],
        "gave_up": totals["gave_up"],
        "grace_s": args.grace,
        "panics": server.panics,
        "rss_before_kb": before["VmRSS"],
        "rss_after_kb": after["VmRSS"],
        "rss_peak_kb": after["VmHWM"],
        "fds_before": fds_before,
        "fds_after": fds_after,
        "alive": alive,
        "by_kind": {k: {o: n for o, n in v.items()} for k, v in sorted(by_kind.items())},
        "ok": not failed,
    }
    print(json.dumps(summary, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
