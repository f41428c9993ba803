#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from the golden fixtures: every schedule spec and trainer request, every training
request, every lr_lambda expression, one file each, under DIR/corpus-<harness>/.

Usage: python3 scripts/fuzz_corpus.py DIR
"""

import glob
import hashlib
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = sys.argv[1]


def write(harness: str, text: str) -> None:
    directory = os.path.join(out, f"corpus-{harness}")
    os.makedirs(directory, exist_ok=True)
    name = hashlib.sha1(text.encode()).hexdigest()[:16]
    with open(os.path.join(directory, name), "w", encoding="utf-8") as fh:
        fh.write(text)


for path in glob.glob(os.path.join(root, "Tests/SchedulesTests/Fixtures/*/*.json")):
    for case in json.load(open(path)).get("cases", []):
        if "spec" in case:
            spec = json.dumps(case["spec"])
            write("schedule", spec)
            write("json", spec)
            expression = case["spec"].get("params", {}).get("lr_lambda")
            if isinstance(expression, str):
                write("lambda", expression)
        elif "request" in case:
            # Trainer requests (Fixtures/trainers/) are schedule requests too.
            write("schedule", json.dumps(case["request"]))
for case in json.load(open(os.path.join(root, "Tests/TrainingTests/Fixtures/training.json"))).get("cases", []):
    if "request" in case:
        write("training", json.dumps(case["request"]))
for case in json.load(open(os.path.join(root, "Tests/SchedulesTests/Fixtures/expressions.json"))).get("cases", []):
    if isinstance(case.get("expr"), str):
        write("lambda", case["expr"])
