#!/usr/bin/env python3
"""floor.py — what one trivial keep-alive request costs the server on this machine.

Sends `GET /_portcullis/health` (no auth, 3-byte body) over 4 keep-alive connections for N
seconds and reports the server's CPU time per request from /proc. Compare it with
bench/load.py's CPU per signed IAM/STS request: the difference is what Portcullis itself adds.

    python3 bench/floor.py PORT SERVER_PID SECONDS
Only 127.0.0.1 is contacted; the loop ends after SECONDS.
"""
import multiprocessing as mp
import os
import socket
import sys
import time

PORT, PID, SECS = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(_):
    s = socket.create_connection(("127.0.0.1", PORT))
    req = b"GET /_portcullis/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
    count, end = 0, time.time() + SECS
    while time.time() < end:
        s.sendall(req)
        buf = b""
        while b"ok\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                return count
            buf += chunk
        count += 1
    return count


if __name__ == "__main__":
    before = cpu_seconds(PID)
    with mp.Pool(4) as pool:
        n = sum(pool.map(worker, range(4)))
    after = cpu_seconds(PID)
    print(f"requests {n}  req/s {n / SECS:.0f}  server CPU/request {1e6 * (after - before) / max(n, 1):.1f} us")
