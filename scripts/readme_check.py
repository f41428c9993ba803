#!/usr/bin/env python3
"""Checks README.md's examples against a running lrsched: every `curl` example followed by a
JSON block is sent to the server (on a loopback port) and its answer must match the block, so the
README cannot drift from the service.

A `…` in a block stands for any text (a shortened array, a request id); a block may show a part
of the answer (the `plan` of a trainer answer, say), which must then appear in it as written.
Examples that write to a file (`-o`), print headers (`-i`) or are not followed by a JSON block
are not compared.

Usage: python3 scripts/readme_check.py --bin PATH_TO_LRSCHED
"""

import argparse
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def blocks(text: str):
    """Fenced blocks as (language, body, first line number, lines of prose before the next block)."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith("```"):
            language = stripped[3:].strip()
            start = i + 1
            j = start
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            out.append((language, "\n".join(lines[start:j]), start + 1, j + 1))
            i = j + 1
        else:
            i += 1
    return out


def request_of(shell: str):
    """(method, path, headers, body) of a `curl` command, or None when it is not comparable."""
    if "curl" not in shell:
        return None
    command = shell[shell.index("curl"):]
    words = shlex.split(command.replace("\\\n", " "))
    if any(w in ("-o", "-i", "-si", "-I") or w.startswith("-o") for w in words):
        return None
    url = next((w for w in words if "localhost:8080" in w), None)
    if url is None:
        return None
    body = None
    headers = {}
    for k, w in enumerate(words):
        if w == "-d":
            body = words[k + 1]
        if w == "-H":
            name, _, value = words[k + 1].partition(":")
            headers[name.strip()] = value.strip()
    path = url.split("localhost:8080", 1)[1] or "/"
    return ("POST" if body is not None else "GET", path, headers, body)


def pattern(expected: str):
    """A regular expression for a JSON block: lines joined, `…` as a wildcard."""
    joined = "".join(line.strip() for line in expected.split("\n"))
    parts = [re.escape(part) for part in joined.split("…")]
    return re.compile(".*?".join(parts), re.DOTALL)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    args = parser.parse_args(argv)
    text = open(args.readme, encoding="utf-8").read()
    port = free_port()
    server = subprocess.Popen([args.bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error",
                               "--drain-delay", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = checked = 0
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        found = blocks(text)
        for index, (language, body, line, end) in enumerate(found):
            if language not in ("sh", "bash") or index + 1 >= len(found):
                continue
            request = request_of(body)
            following = found[index + 1]
            # The answer is the next block, with at most a few lines of prose before it.
            if request is None or following[0] != "json" or following[2] - end > 8:
                continue
            method, path, headers, payload = request
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                         data=payload.encode() if payload is not None else None)
            try:
                with urllib.request.urlopen(req, timeout=60) as response:
                    answer = response.read().decode()
            except urllib.error.HTTPError as error:
                answer = error.read().decode()
            checked += 1
            if not pattern(following[1]).search(answer.strip()):
                failures += 1
                print(f"README.md:{following[2]}: the answer to the example at line {line} differs:\n"
                      f"  README: {''.join(l.strip() for l in following[1].splitlines())[:400]}\n"
                      f"  server: {answer.strip()[:400]}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"README examples: {checked} compared, {failures} differ")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
