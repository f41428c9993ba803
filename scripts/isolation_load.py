#!/usr/bin/env python3
"""Measures whether expensive schedule requests starve probes: clients post large schedules back
to back while a prober opens fresh connections from another loopback address for /healthz and
/readyz. Prints, per load, the probes' p50/p99/max and how many failed or took over 1 s, the heavy
requests' outcomes (200s, 503s and how fast refusals came) and whether every 200 equals the
unloaded answer byte for byte. Loopback only, bounded in time; measures, passes or fails nothing.

  python3 scripts/isolation_load.py --bin .build/release/lrsched [--seconds 15] [--baseline-bin OTHER]

With --baseline-bin, every load runs against both binaries, one after the other, and a cheap
request's throughput is measured on both (8 clients, keep-alive), so the figures compare in one run.
The servers run without the answer cache (LRSCHED_ANSWER_CACHE_BYTES=0; older builds ignore it):
the clients repeat one request, and this measures evaluation, not the cache.
"""

import argparse
import hashlib
import os
import multiprocessing
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.request

PORT = 18191


def start(binary: str) -> subprocess.Popen:
    proc = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(PORT), "--log-level", "error",
                             "--drain-delay", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=dict(os.environ, LRSCHED_ANSWER_CACHE_BYTES="0"))
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def post(body: bytes, source: str = "127.0.0.1", timeout: float = 120) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one POST /v1/schedules on a fresh connection."""
    began = time.perf_counter()
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", PORT))
    s.sendall(b"POST /v1/schedules HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
              b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    chunks = []
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    s.close()
    data = b"".join(chunks)
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1]) if head.startswith(b"HTTP/") else 0
    if b"transfer-encoding: chunked" in head.lower():
        payload = dechunk(payload)
    return status, payload, time.perf_counter() - began


def dechunk(data: bytes) -> bytes:
    out, i = [], 0
    while True:
        end = data.index(b"\r\n", i)
        size = int(data[i:end].split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(data[end + 2:end + 2 + size])
        i = end + 2 + size + 2


def probe(path: str) -> float | None:
    """Seconds for GET `path` on a fresh connection from 127.0.0.2, or None when it fails."""
    began = time.perf_counter()
    try:
        s = socket.socket()
        s.settimeout(5)
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", PORT))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = s.recv(4096)
        s.close()
        return time.perf_counter() - began if data.startswith(b"HTTP/1.1 200") else None
    except OSError:
        return None


def prober(seconds: float, out) -> None:
    """Probes /healthz and /readyz every 20 ms for `seconds`, in its own process (so that the
    load's threads do not delay it), and sends the latencies back."""
    deadline = time.perf_counter() + seconds
    latencies = []
    while time.perf_counter() < deadline:
        for path in ("/healthz", "/readyz"):
            latencies.append(probe(path))
        time.sleep(0.02)
    out.put(latencies)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def load(binary: str, clients: int, epochs: int, seconds: float) -> str:
    body = (b'{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":1000},"epochs":' + str(epochs).encode()
            + b"}")
    proc = start(binary)
    try:
        status, expected, _ = post(body)
        assert status == 200, status
        digest = hashlib.sha256(expected).digest()
        deadline = time.perf_counter() + seconds
        outcomes: list[tuple[int, bool, float]] = []
        lock = threading.Lock()

        def client() -> None:
            while time.perf_counter() < deadline:
                try:
                    status, payload, took = post(body)
                except OSError:
                    status, payload, took = 0, b"", 0.0
                with lock:
                    outcomes.append((status, status == 200 and hashlib.sha256(payload).digest() == digest, took))

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        results = multiprocessing.Queue()
        probing = multiprocessing.Process(target=prober, args=(deadline - time.perf_counter(), results))
        probing.start()
        probes: list[float | None] = results.get(timeout=seconds + 60)
        probing.join()
        for t in threads:
            t.join(timeout=180)
    finally:
        stop(proc)
    ok = [x for x in probes if x is not None]
    failed = len(probes) - len(ok)
    slow = sum(1 for x in ok if x > 1.0)
    answered = [o for o in outcomes if o[0] == 200]
    refused = [o for o in outcomes if o[0] == 503]
    corrupt = sum(1 for o in answered if not o[1])
    other = len(outcomes) - len(answered) - len(refused)
    refusal = f", refusals median {statistics.median(o[2] for o in refused) * 1000:.0f} ms" if refused else ""
    return (f"{clients} clients × {epochs:,}-epoch schedules, {seconds:.0f} s: probes {len(probes)} "
            f"p50 {percentile(ok, 0.5) * 1000:.1f} ms p99 {percentile(ok, 0.99) * 1000:.1f} ms "
            f"max {max(ok) * 1000:.1f} ms, {failed} failed, {slow} over 1 s; heavy: {len(answered)} × 200 "
            f"({corrupt} differing from the unloaded answer), {len(refused)} × 503{refusal}, {other} other")


def throughput(binary: str, seconds: float = 5) -> float:
    """Cheap requests per second: 8 keep-alive clients, each a 30-epoch StepLR."""
    body = b'{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":30}'
    request = (b"POST /v1/schedules HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
               + str(len(body)).encode() + b"\r\n\r\n" + body)
    proc = start(binary)
    counts = []
    try:
        deadline = time.perf_counter() + seconds

        def client() -> None:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=10)
            n = 0
            buffer = b""
            while time.perf_counter() < deadline:
                s.sendall(request)
                while True:
                    head_end = buffer.find(b"\r\n\r\n")
                    if head_end >= 0:
                        head = buffer[:head_end].lower()
                        length = int(head.split(b"content-length: ")[1].split(b"\r\n")[0])
                        if len(buffer) >= head_end + 4 + length:
                            buffer = buffer[head_end + 4 + length:]
                            break
                    buffer += s.recv(65536)
                n += 1
            s.close()
            counts.append(n)

        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        stop(proc)
    return sum(counts) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--baseline-bin")
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    binaries = [("this build", args.bin)] + ([("baseline", args.baseline_bin)] if args.baseline_bin else [])
    for clients, epochs in ((16, 1_000_000), (32, 100_000)):
        for name, binary in binaries:
            print(f"{name}: {load(binary, clients, epochs, args.seconds)}", flush=True)
    rates = [(name, throughput(binary)) for name, binary in binaries]
    print("cheap requests (8 keep-alive clients, 30-epoch StepLR): "
          + ", ".join(f"{name} {rate:,.0f}/s" for name, rate in rates)
          + (f"; ratio {rates[0][1] / rates[1][1]:.2f}" if len(rates) == 2 else ""), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
