"""rawsig.py — shared helpers for the transport benches (malformed.py, slowloris.py,
hashflood.py): SigV4 signing in plain Python, a `portcullis dev` server spawned on a free
loopback port, raw-socket exchanges with HTTP/1.1 response parsing, and the server's RSS.

Standard library only. Every helper is bounded in time; nothing here talks to anything but
the loopback address the spawned server listens on.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime, timezone

DEV_KEY = "AKIAIOSFODNN7EXAMPLE"
DEV_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


# ------------------------------------------------------------------ SigV4


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    k = _hmac(("AWS4" + secret).encode(), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def enc(s: str) -> str:
    """SigV4 / form encoding: everything but A-Za-z0-9-_.~ percent-encoded."""
    return urllib.parse.quote(s, safe="-_.~")


def form(params: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in params).encode()


def signed_headers(
    host: str,
    body: bytes,
    *,
    service: str = "iam",
    key: str = DEV_KEY,
    secret: str = DEV_SECRET,
    token: str | None = None,
    when: datetime | None = None,
) -> list[tuple[str, str]]:
    """The headers of a signed form POST to `/` (content-type, host, x-amz-date, maybe the
    session token, authorization); content-length is the caller's."""
    when = when or datetime.now(timezone.utc)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    headers = [("content-type", FORM), ("host", host), ("x-amz-date", amz_date)]
    if token:
        headers.append(("x-amz-security-token", token))
    headers.sort()
    names = ";".join(n for n, _ in headers)
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            "".join(f"{n}:{' '.join(v.split())}\n" for n, v in headers),
            names,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{date}/{REGION}/{service}/aws4_request"
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    sig = hmac.new(
        signing_key(secret, date, REGION, service), to_sign.encode(), hashlib.sha256
    ).hexdigest()
    auth = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={names}, Signature={sig}"
    return headers + [("authorization", auth)]


def signed_post(
    host: str,
    body: bytes,
    *,
    close: bool = True,
    extra: list[tuple[str, str]] | None = None,
    **kw,
) -> bytes:
    """A complete signed POST (head and body) as bytes."""
    lines = ["POST / HTTP/1.1"]
    if close:
        lines.append("connection: close")
    lines.append(f"content-length: {len(body)}")
    for n, v in signed_headers(host, body, **kw) + (extra or []):
        lines.append(f"{n}: {v}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def health_get(host: str, close: bool = True) -> bytes:
    c = "connection: close\r\n" if close else ""
    return f"GET /_portcullis/health HTTP/1.1\r\nhost: {host}\r\n{c}\r\n".encode()


# ------------------------------------------------------------------ server


class Server:
    """`BIN [--config FILE] dev --listen 127.0.0.1:0`; the address is read from the stderr line
    containing "listening on ". stderr is drained by a thread (and panics counted)."""

    def __init__(self, binary: str, config: str | None = None, start_timeout: float = 30.0):
        self.config_file = None
        args = [binary]
        if config is not None:
            f = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
            f.write(config)
            f.close()
            self.config_file = f.name
            args += ["--config", f.name]
        args += ["dev", "--listen", "127.0.0.1:0"]
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self.pid = self.proc.pid
        self.panics = 0
        self.stderr_tail: list[str] = []
        self.addr = None
        found = threading.Event()

        def drain():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace")
                if self.addr is None:
                    m = re.search(r"listening on (\S+)", line)
                    if m:
                        self.addr = m.group(1)
                        found.set()
                if "panicked" in line:
                    self.panics += 1
                self.stderr_tail.append(line.rstrip())
                del self.stderr_tail[:-50]
            found.set()

        threading.Thread(target=drain, daemon=True).start()
        found.wait(start_timeout)
        if self.addr is None:
            self.stop()
            raise RuntimeError(
                "server did not print its address:\n" + "\n".join(self.stderr_tail[-20:])
            )
        host, port = self.addr.rsplit(":", 1)
        self.host_port = (host, int(port))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def status(self) -> dict[str, int]:
        """VmRSS / VmHWM / Threads from /proc/<pid>/status (kB; 0 when gone)."""
        out = {"VmRSS": 0, "VmHWM": 0, "Threads": 0}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    k, _, v = line.partition(":")
                    if k in out:
                        out[k] = int(v.split()[0])
        except OSError:
            pass
        return out

    def open_fds(self) -> int:
        try:
            return len(os.listdir(f"/proc/{self.pid}/fd"))
        except OSError:
            return -1

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.config_file:
            try:
                os.unlink(self.config_file)
            except OSError:
                pass


# ------------------------------------------------------------------ responses


def parse_responses(buf: bytes) -> tuple[list[tuple[int, bytes]], bool]:
    """Complete HTTP/1.1 responses at the start of `buf`: [(status, body)], and whether the
    buffer ends inside an incomplete one."""
    out = []
    pos = 0
    while pos < len(buf):
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            return out, True
        head = buf[pos:end].decode("latin-1")
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        try:
            status = int(parts[1])
        except (IndexError, ValueError):
            status = 0
        headers = {}
        for line in lines[1:]:
            n, _, v = line.partition(":")
            headers[n.strip().lower()] = v.strip()
        body_start = end + 4
        if "content-length" in headers:
            try:
                n = int(headers["content-length"])
            except ValueError:
                n = 0
            if len(buf) < body_start + n:
                return out, True
            out.append((status, buf[body_start : body_start + n]))
            pos = body_start + n
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            p = body_start
            while True:
                le = buf.find(b"\r\n", p)
                if le < 0:
                    return out, True
                try:
                    size = int(buf[p:le].split(b";")[0], 16)
                except ValueError:
                    size = 0
                p = le + 2
                if size == 0:
                    te = buf.find(b"\r\n", p)
                    if te < 0:
                        return out, True
                    p = te + 2
                    break
                if len(buf) < p + size + 2:
                    return out, True
                body += buf[p : p + size]
                p += size + 2
            out.append((status, body))
            pos = p
        elif 100 <= status < 200 or status in (204, 304):
            out.append((status, b""))
            pos = body_start
        else:
            # No length: the body runs to the close.
            out.append((status, buf[body_start:]))
            return out, False
    return out, False


def exchange(
    addr: tuple[str, int],
    chunks: list[tuple[bytes, float]],
    *,
    expect: int = 1,
    grace: float = 1.0,
    timeout: float = 10.0,
) -> dict:
    """Sends `chunks` ((bytes, delay before them)), then reads until `expect` responses, the
    server's close, or the timeout. A request the server has not answered within `grace`
    seconds of the last byte gets its write side shut (a client that gives up), and the server
    then has `timeout` more seconds to answer or close. Returns {"statuses": [...], "outcome":
    "answered" | "closed" | "reset" | "hang" | "refused", "bodies": [...], "gave_up": whether the
    write side had to be shut before the server answered or closed}."""
    result = {"statuses": [], "outcome": "hang", "bodies": [], "gave_up": False}
    try:
        s = socket.create_connection(addr, timeout=timeout)
    except ConnectionRefusedError:
        result["outcome"] = "refused"
        return result
    except OSError:
        result["outcome"] = "refused"
        return result
    buf = b""
    try:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sent_error = None
        try:
            for data, delay in chunks:
                if delay:
                    time.sleep(delay)
                s.sendall(data)
        except (BrokenPipeError, ConnectionResetError) as e:
            # The server may answer (and close) before taking everything.
            sent_error = e
        deadline = time.monotonic() + grace
        shut = False
        closed = False
        while True:
            now = time.monotonic()
            if now >= deadline:
                if shut:
                    break
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                shut = True
                deadline = now + timeout
                continue
            s.settimeout(max(0.01, deadline - now))
            try:
                got = s.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                result["outcome"] = "reset"
                break
            if not got:
                closed = True
                break
            buf += got
            responses, _partial = parse_responses(buf)
            if len(responses) >= expect:
                break
        result["gave_up"] = shut
        responses, _ = parse_responses(buf)
        result["statuses"] = [st for st, _ in responses]
        result["bodies"] = [b for _, b in responses]
        if result["outcome"] != "reset":
            if responses:
                result["outcome"] = "answered"
            elif closed:
                result["outcome"] = "reset" if sent_error else "closed"
            else:
                result["outcome"] = "hang"
        elif responses:
            # Answered, then reset (e.g. the server closed with unread data pending).
            result["outcome"] = "answered"
    finally:
        s.close()
    return result


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]
