"""Throughput and latency of `sectors serve`, with printed numbers (no timed tests).

    python benchmarks/bench_serve.py ARTICLE.txt [--clients 8] [--seconds 10]
        [--workers 1,2] [--mixed-seconds 60] [--model PATH] [--port 8765]

ARTICLE.txt is any article of about 26 paragraphs (the date header and paragraph split
as in `sectors tag`). For each worker count the script starts `sectors serve` on
127.0.0.1, runs N client processes for T seconds each with:
  - 1-paragraph requests   {"texts": [one paragraph]}, cycling through the article;
  - whole-article requests {"texts": [every paragraph]};
and prints requests/s, paragraphs/s and p50/p95/p99 latency, beside in-process
`model.predict` paragraphs/s on the same texts (one call per request's texts, measured
just before each run) and the ratio of the two: what going through HTTP costs.
Then, with the most workers, a mixed load for --mixed-seconds: valid requests with
malformed ones in between (broken JSON, invalid UTF-8, wrong types, too many texts,
a body over the limit); it prints the status counts, any 5xx or dropped connection,
and whether a worker process was restarted (the server's log names each start).

Clients speak HTTP/1.1 over one kept-alive socket each, with requests built in advance,
so their own cost on the shared cores stays small.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from classifier import load_model  # noqa: E402
from classifier.serve import MAX_BODY_BYTES, MAX_TEXTS  # noqa: E402
from classifier.text import parse_article  # noqa: E402


def http_request(body: bytes, path: str = "/v1/tag", method: str = "POST", headers: str = "") -> bytes:
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{headers}\r\n")
    return head.encode() + body


class Connection:
    """One kept-alive HTTP/1.1 connection; `send` returns (status, body)."""

    def __init__(self, port: int):
        self.port = port
        self.sock = None
        self.buf = b""

    def _connect(self):
        self.sock = socket.create_connection(("127.0.0.1", self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def send(self, raw: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self._connect()
        self.sock.sendall(raw)
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
        while len(self.buf) < length:
            self._recv()
        body, self.buf = self.buf[:length], self.buf[length:]
        if re.search(rb"(?i)connection:\s*close", head) or b"Connection: close" in raw[:300]:
            self.close()
        return status, body

    def _recv(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf += chunk


def client(port: int, requests: list[tuple[bytes, int]], seconds: float, start_at: float, out):
    """Send `requests` round-robin until `seconds` pass; report latencies and statuses."""
    conn = Connection(port)
    lat, paragraphs, statuses, dropped = [], 0, {}, 0
    while time.time() < start_at:
        time.sleep(0.001)
    end = time.perf_counter() + seconds
    i = os.getpid() % len(requests)
    while time.perf_counter() < end:
        raw, n = requests[i % len(requests)]
        i += 1
        t = time.perf_counter()
        try:
            status, _ = conn.send(raw)
        except (ConnectionError, OSError):
            dropped += 1
            conn.close()
            continue
        lat.append(time.perf_counter() - t)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            paragraphs += n
    conn.close()
    out.put({"lat": lat, "paragraphs": paragraphs, "statuses": statuses, "dropped": dropped})


def run_load(port: int, requests, clients: int, seconds: float) -> dict:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    start_at = time.time() + 0.3
    procs = [ctx.Process(target=client, args=(port, requests, seconds, start_at, q))
             for _ in range(clients)]
    for p in procs:
        p.start()
    parts = [q.get() for _ in procs]
    for p in procs:
        p.join()
    lat = np.array([x for part in parts for x in part["lat"]]) * 1000
    statuses: dict = {}
    for part in parts:
        for k, v in part["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "requests": len(lat),
        "rps": len(lat) / seconds,
        "pps": sum(p["paragraphs"] for p in parts) / seconds,
        "p50": float(np.percentile(lat, 50)) if len(lat) else float("nan"),
        "p95": float(np.percentile(lat, 95)) if len(lat) else float("nan"),
        "p99": float(np.percentile(lat, 99)) if len(lat) else float("nan"),
        "statuses": statuses,
        "dropped": sum(p["dropped"] for p in parts),
    }


def in_process(model, texts: list[str], seconds: float = 3.0) -> float:
    model.predict(texts)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        model.predict(texts)
        n += len(texts)
    return n / (time.perf_counter() - t0)


def start_server(port: int, workers: int, model: str | None, log) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "classifier", "serve", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    if model:
        cmd += ["--model", model]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}; see {log.name}")
        try:
            conn = Connection(port)
            if conn.send(http_request(b"", "/healthz", "GET"))[0] == 200:
                conn.close()
                if workers == 1 or _log_count(log.name, "Application startup complete") >= workers:
                    return proc
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _log_count(path: str, needle: str) -> int:
    return Path(path).read_text(errors="replace").count(needle)


def malformed_requests(paragraphs: list[str]) -> list[tuple[bytes, int]]:
    one = json.dumps({"texts": paragraphs[:1]}, ensure_ascii=False).encode()
    bad = [
        b'{"texts": ["\xd0\x9f\xff\xfe"]}',                       # invalid UTF-8
        b'{"texts": ["unterminated',                               # malformed JSON
        b'{"texts": "a single string"}',                           # string for a list
        b'{"texts": [1, null]}',                                   # wrong types
        b'{"texts": []}',                                          # empty
        b'{"texts": ["   "]}',                                     # empty text
        b'{"article": 42}',
        b'{"texts": ["x"], "threshold": "high"}',
        b'[1, 2, 3]',
        b"",
        json.dumps({"texts": ["а"] * (MAX_TEXTS + 1)}).encode(),   # too many texts
    ]
    reqs = [(http_request(b), 0) for b in bad]
    # Declared over the limit: refused from the header, the body is never sent.
    reqs.append((http_request(b"", headers="Connection: close\r\n").replace(
        b"Content-Length: 0", f"Content-Length: {MAX_BODY_BYTES + 1}".encode()), 0))
    good = [(http_request(one), 1)] * 4
    mixed = []
    for i, b in enumerate(reqs):
        mixed += good[:2] + [b]
    return mixed


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("article", help="a .txt article of about 26 paragraphs")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--mixed-seconds", type=float, default=60)
    ap.add_argument("--model")
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args(argv)

    paragraphs = parse_article(Path(args.article).read_text(encoding="utf-8")).paragraphs
    n = len(paragraphs)
    model = load_model(args.model)
    single = [(http_request(json.dumps({"texts": [p]}, ensure_ascii=False).encode()), 1)
              for p in paragraphs]
    whole = [(http_request(json.dumps({"texts": paragraphs}, ensure_ascii=False).encode()), n)]
    print(f"{n} paragraphs from {args.article}; {args.clients} client processes, "
          f"{args.seconds:g} s per run; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at start")

    print(f"{'workers':>7} {'request':>14} {'req/s':>8} {'par/s':>8} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7} {'in-process':>11} {'ratio':>6}  statuses")
    workers = [int(w) for w in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for w in workers:
            log = open(Path(tmp) / f"serve-{w}.log", "w+")
            proc = start_server(args.port, w, args.model, log)
            try:
                for name, reqs in (("1 paragraph", single), (f"{n} paragraphs", whole)):
                    # The same texts in this process, just before: the machine is shared and
                    # its speed drifts, so the ratio compares neighbouring measurements.
                    if reqs is whole:
                        base = in_process(model, paragraphs)
                    else:
                        base = sum(in_process(model, [p], 2.0 / n) for p in paragraphs) / n
                    r = run_load(args.port, reqs, args.clients, args.seconds)
                    print(f"{w:>7} {name:>14} {r['rps']:>8,.0f} {r['pps']:>8,.0f} {r['p50']:>7.1f} "
                          f"{r['p95']:>7.1f} {r['p99']:>7.1f} {base:>11,.0f} {r['pps'] / base:>6.2f}  "
                          f"{r['statuses']}" + (f" dropped {r['dropped']}" if r["dropped"] else ""))
                if w == max(workers) and args.mixed_seconds > 0:
                    started = _log_count(log.name, "Started server process")
                    mixed = malformed_requests(paragraphs) + whole
                    r = run_load(args.port, mixed, args.clients, args.mixed_seconds)
                    restarted = _log_count(log.name, "Started server process") - started
                    errors = sum(v for k, v in r["statuses"].items() if k >= 500)
                    print(f"\nmixed load, {w} workers, {args.mixed_seconds:g} s, {args.clients} "
                          f"clients: {r['requests']:,} requests, statuses {r['statuses']}, "
                          f"5xx {errors}, dropped connections {r['dropped']}, "
                          f"worker starts during the load {restarted}, "
                          f"server alive {proc.poll() is None}")
            finally:
                stop_server(proc)
                log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
