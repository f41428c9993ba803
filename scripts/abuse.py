#!/usr/bin/env python3
"""Measures how lrsched holds up against slow and hostile clients. Loopback only, bounded.

What it does
------------
Starts ``lrsched serve`` (the binary given with ``--bin``) on 127.0.0.1, runs each scenario
against it, prints one line of figures per scenario, and stops the server by its pid:

* ``slowloris``: 1,000 sockets from 127.0.0.2 each send one header byte every 2 s for 15 s, while
  ``/healthz`` is probed from 127.0.0.1 every 0.25 s; then the same 1,000 sockets spread over
  127.0.0.2 - 127.0.0.101 (10 per address). Reports probe latencies and failures.
* ``slow-readers``: 100 clients ask for the 1,000,000-epoch StepLR answer (about 20 MB) and never
  read it. Reports the server's resident memory while they wait and after they leave.
* ``training``: two training runs of a few seconds, and keep-alive ``/healthz`` probes meanwhile.
* ``stop``: SIGTERM while a long training run goes on (grace 2 s): time to exit and the run's
  status (503 expected, never a closed connection without an answer).

It only reports; nothing passes or fails. Every socket goes to 127.0.0.0/8.

How to run
----------
``scripts/abuse.sh`` (builds a release binary first), or
``python3 scripts/abuse.py --bin .build/release/lrsched [scenario ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

PORT = 18190


def start(binary: str, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([binary, "serve", "--port", str(PORT), "--log-level", "warning", "--drain-delay", "0", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
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
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def probe(timeout: float = 2.0) -> float | None:
    """Seconds for GET /healthz on a fresh connection, or None when it fails."""
    start = time.perf_counter()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = s.recv(4096)
        s.close()
        return time.perf_counter() - start if data.startswith(b"HTTP/1.1 200") else None
    except OSError:
        return None


def summary(latencies: list[float | None]) -> str:
    ok = sorted(x for x in latencies if x is not None)
    failed = len(latencies) - len(ok)
    if not ok:
        return f"{len(latencies)} probes, all failed"
    return (f"{len(latencies)} probes, {failed} failed, median {ok[len(ok) // 2] * 1000:.1f} ms, "
            f"max {ok[-1] * 1000:.1f} ms")


def slowloris(binary: str) -> None:
    for spread in (1, 100):
        proc = start(binary)
        sockets = []
        for i in range(1000):
            source = f"127.0.0.{2 + (i % spread)}"
            try:
                s = socket.socket()
                s.bind((source, 0))
                s.settimeout(0.5)
                s.connect(("127.0.0.1", PORT))
                s.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\nX-A: ")
                sockets.append(s)
            except OSError:
                pass
        latencies = []
        end = time.time() + 15
        next_byte = time.time() + 2
        while time.time() < end:
            latencies.append(probe())
            if time.time() >= next_byte:
                for s in sockets:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass
                next_byte = time.time() + 2
            time.sleep(0.25)
        alive = 0
        for s in sockets:
            try:
                s.send(b"a")
                alive += 1
            except OSError:
                pass
            s.close()
        stop(proc)
        where = "one address" if spread == 1 else f"{spread} addresses"
        print(f"slowloris, 1000 sockets from {where}: {len(sockets)} connected, {alive} still open after 15 s; "
              f"/healthz from 127.0.0.1: {summary(latencies)}")


def slow_readers(binary: str) -> None:
    # All 100 clients come from 127.0.0.1: lift the per-address limit so that every one is served.
    proc = start(binary, "--max-connections-per-address", "0")
    base = rss_mb(proc.pid)
    body = json.dumps({"scheduler": "StepLR", "lr": 0.1, "params": {"step_size": 1, "gamma": 0.999999},
                       "epochs": 1000000, "start": 1000000}).encode()
    request = (b"POST /v1/schedules HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    clients = []
    statuses = {}
    for _ in range(100):
        s = socket.create_connection(("127.0.0.1", PORT))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.sendall(request)
        clients.append(s)
    peak = 0.0
    for _ in range(16):
        time.sleep(0.5)
        peak = max(peak, rss_mb(proc.pid))
    for s in clients:
        s.settimeout(1)
        try:
            head = s.recv(64)
            status = head.split(b" ")[1].decode() if head.startswith(b"HTTP/") else "?"
        except OSError:
            status = "?"
        statuses[status] = statuses.get(status, 0) + 1
        s.close()
    time.sleep(3)
    after = rss_mb(proc.pid)
    stop(proc)
    print(f"slow readers, 100 x the 20 MB answer, never read: RSS {base:.0f} MB idle, {peak:.0f} MB while they wait, "
          f"{after:.0f} MB after they leave; statuses {statuses}")


TRAINING = json.dumps({"model": {"type": "mlp", "in_features": 10, "hidden": [64, 64], "activation": "relu",
                                 "out_features": 1},
                       "data": {"type": "synthetic", "train_size": 512, "val_size": 0, "seed": 7},
                       "loss": "mse", "optimizer": {"type": "Adam"}, "epochs": 2000, "batch_size": 32}).encode()
# About 4 s of work: above the default budget, so the scenarios raise --max-training-work.
BIG_BUDGET = ("--max-training-work", "40000000000")


def post_training(results: list, key: str) -> None:
    start = time.perf_counter()
    try:
        s = socket.create_connection(("127.0.0.1", PORT), timeout=60)
        s.sendall(b"POST /v1/training-runs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                  + str(len(TRAINING)).encode() + b"\r\n\r\n" + TRAINING)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        status = data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "EOF without an answer"
    except OSError as e:
        status = f"error {e}"
    results.append((key, status, time.perf_counter() - start))


def training(binary: str) -> None:
    proc = start(binary, "--threads", "2", "--max-concurrent-training", "2", *BIG_BUDGET)
    results: list = []
    runs = [threading.Thread(target=post_training, args=(results, f"run {i}")) for i in range(2)]
    for t in runs:
        t.start()
    time.sleep(0.2)
    keepalive = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    latencies = []
    while any(t.is_alive() for t in runs):
        start_t = time.perf_counter()
        keepalive.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        data = keepalive.recv(4096)
        latencies.append(time.perf_counter() - start_t if data.startswith(b"HTTP/1.1 200") else None)
        time.sleep(0.05)
    keepalive.close()
    stop(proc)
    runs_text = ", ".join(f"{k}: {s} in {t:.1f} s" for k, s, t in sorted(results))
    print(f"training, 2 runs on 2 threads: {runs_text}; keep-alive /healthz meanwhile: {summary(latencies)}")


def stop_during_run(binary: str) -> None:
    proc = start(binary, "--shutdown-grace", "2", *BIG_BUDGET)
    results: list = []
    t = threading.Thread(target=post_training, args=(results, "run"))
    t.start()
    time.sleep(0.5)
    sent = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    exited = time.perf_counter() - sent
    t.join(timeout=60)
    status = results[0][1] if results else "no answer"
    print(f"SIGTERM during a long training run (grace 2 s): exited after {exited:.2f} s; the run got {status}")


SCENARIOS = {"slowloris": slowloris, "slow-readers": slow_readers, "training": training, "stop": stop_during_run}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=".build/release/lrsched")
    parser.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    args = parser.parse_args()
    for name in args.scenarios:
        SCENARIOS[name](args.bin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
