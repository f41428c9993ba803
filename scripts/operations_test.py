#!/usr/bin/env python3
"""Checks what an operator relies on, against a real lrsched on a loopback port:

  1. /metrics parses with Prometheus' own text parser (prometheus_client) and its counters move
     with requests (requests by route/method/status, schedules by family, latency histogram,
     process gauges, build info); route labels never carry raw paths;
  2. request ids: X-Request-ID is echoed (a sane one kept, an insane one replaced) and a problem
     carries it as `instance`;
  3. near-miss paths get a 404 that names the right route;
  4. SIGTERM: /readyz turns 503 at once while /healthz and the API keep answering for the
     drain delay, then the process exits 0;
  5. --log-format json: every line of standard error is a JSON object with timestamp, level and
     message, and each request has one access line with its id, route, status and duration.

    python3 scripts/operations_test.py --bin .build/debug/lrsched
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, path: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def samples(base: str) -> dict:
    _, _, text = call(base, "/metrics")
    out = {}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(metrics: dict, name: str, **labels) -> float:
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    args = parser.parse_args(argv)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([args.bin, "serve", "--port", str(port), "--log-format", "json", "--drain-delay", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    failures: list[str] = []

    def check(step: str, ok: bool, detail: str = "") -> None:
        print(("PASS " if ok else "FAIL ") + step + ("" if ok else f": {detail}"), flush=True)
        if not ok:
            failures.append(step)

    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        before = samples(base)
        step = {"scheduler": "StepLR", "lr": 0.1, "params": {"step_size": 3}, "epochs": 20}
        timm = {"framework": "timm", "scheduler": "CosineLRScheduler", "lr": 0.1, "params": {"t_initial": 10}, "epochs": 10}
        for _ in range(5):
            call(base, "/v1/schedules", step)
        call(base, "/v1/schedules", timm)
        status, headers, body = call(base, "/v1/schedules", {**step, "params": {"step_size": 0}},
                                     {"X-Request-ID": "ops-test-42"})
        problem = json.loads(body)
        for path in ["/v1/schedules/", "/V1/Schedules", "/v1/schedule", "/random/path/abc"]:
            call(base, path)
        after = samples(base)

        # 1. Metrics.
        moved = value(after, "lrsched_http_requests_total", route="schedules", method="POST", status="200") - \
            value(before, "lrsched_http_requests_total", route="schedules", method="POST", status="200")
        check("metrics: requests by route, method and status move", moved == 6, f"moved by {moved}")
        # The five identical StepLR requests: evaluated on the first and second (which stores the
        # answer: the cache keeps answers asked for twice), answered from the cache after that.
        check("metrics: schedules and epochs by family",
              value(after, "lrsched_schedules_evaluated_total", family="torch") == 2
              and value(after, "lrsched_schedule_epochs_total", family="torch") == 40
              and value(after, "lrsched_schedules_evaluated_total", family="timm") == 1,
              str({k: v for k, v in after.items() if k[0].startswith("lrsched_schedule")}))
        hits = value(after, "lrsched_answer_cache_requests_total", result="hit") - \
            value(before, "lrsched_answer_cache_requests_total", result="hit")
        entries = value(after, "lrsched_answer_cache_entries")
        check("metrics: the answer cache's hits and entries", hits == 3 and entries == 1,
              f"hits {hits}, entries {entries}")
        count = value(after, "lrsched_http_request_duration_seconds_count", route="schedules")
        check("metrics: latency histogram by route", count >= 7, f"count {count}")
        check("metrics: process gauges",
              value(after, "process_resident_memory_bytes") > 1e6 and value(after, "process_open_fds") > 0
              and value(after, "process_start_time_seconds") > 1e9 and value(after, "process_cpu_seconds_total") > 0,
              str({k: v for k, v in after.items() if k[0].startswith("process_")}))
        check("metrics: build info", any(k[0] == "lrsched_build_info" and v == 1 for k, v in after.items()))
        routes = {dict(k[1]).get("route") for k in after if "route" in dict(k[1])}
        check("metrics: route labels are route names, never raw paths",
              "not_found" in routes and not any(r and "/" in r for r in routes), str(routes))

        # 2. Request ids.
        check("request id: a sane X-Request-ID is echoed and is the problem's instance",
              status == 422 and headers.get("X-Request-ID") == "ops-test-42"
              and problem.get("instance") == "urn:lrsched:request:ops-test-42", f"{headers} {problem}")
        _, headers, _ = call(base, "/healthz", headers={"X-Request-ID": "bad id with spaces"})
        generated = headers.get("X-Request-ID", "")
        check("request id: an insane one is replaced", generated != "" and " " not in generated, generated)

        # 3. Near misses.
        _, _, body = call(base, "/V1/Schedules/")
        check("404 names the route a near miss meant", "did you mean /v1/schedules?" in json.loads(body)["detail"],
              body.decode()[:200])

        # 4. Drain.
        server.send_signal(signal.SIGTERM)
        flipped = False
        deadline = time.time() + 1.0
        while time.time() < deadline and not flipped:
            flipped = call(base, "/readyz")[0] == 503
            if not flipped:
                time.sleep(0.02)
        check("SIGTERM: /readyz answers 503 within 1 s", flipped)
        check("SIGTERM: /healthz and the API still answer during the drain delay",
              call(base, "/healthz")[0] == 200 and call(base, "/v1/schedules", step)[0] == 200)
        code = server.wait(timeout=20)
        check("SIGTERM: clean exit after the drain", code == 0, f"exit {code}")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # 5. Logs.
    lines = server.stderr.read().splitlines()
    parsed, bad = [], []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            bad.append(line)
    check("json logs: every line parses", not bad and parsed, f"{len(bad)} bad lines, e.g. {bad[:2]}")
    check("json logs: timestamp, level, message on every line",
          all({"timestamp", "level", "message"} <= set(p) for p in parsed))
    access = [p for p in parsed if "request_id" in p]
    ids = {p["request_id"] for p in access}
    check("json logs: one access line per request with id, route, status, duration",
          len(access) == len(ids) and len(access) >= 14
          and all({"route", "status", "duration_us", "method", "remote"} <= set(p) for p in access)
          and "ops-test-42" in ids, f"{len(access)} access lines, {len(ids)} ids")
    print(f"{len(failures)} failed" if failures else "all operations checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
