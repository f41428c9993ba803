#!/usr/bin/env python3
"""Drives the playground page (GET /) in a real headless Chromium and checks what a person sees.

Steps, each a pass/fail check:
  1. load /, wait for the catalogue and the first chart; no console errors;
  2. pick transformers -> cosine, set num_warmup_steps: one series on the chart;
  3. add it to the comparison, pick timm -> CosineLRScheduler: two series and a legend;
  4. the URL holds the state: a fresh page on that URL shows the same two series;
  5. switch to torch StepLR and enter step_size 0: the error appears next to the field;
  6. "copy as Python" text builds the same scheduler: when torch (and the family's library) is
     installed it is run and its learning rates must equal the service's bit for bit; for optax
     (jax and optax installed) the same for join_schedules (nested calls),
     piecewise_constant_schedule (int keys, mode eager_vector) and contrib.reduce_on_plateau (a
     transformation);
  7. keras: the backend selector is sent as a top-level member and kept in the URL; ExponentialDecay
     and ReduceLROnPlateau (a callback) on the torch backend, their "copy as Python" run under
     real Keras (when installed) and compared bit for bit; CosineDecay on torch says exact: false;
  8. the page works at phone width (no horizontal scrolling) and every control is reachable by Tab.
A screenshot is saved to --screenshot (a CI artifact, not committed).

Starts its own lrsched on a loopback port and stops it. Uses Debian's chromium (Playwright cannot
download its own here).

    python3 scripts/browser_test.py --bin .build/debug/lrsched [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import re
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, step: str, ok: bool, detail: str = "") -> None:
        print(("PASS " if ok else "FAIL ") + step + ("" if ok else f": {detail}"), flush=True)
        if not ok:
            self.failures.append(step)


def series_count(page) -> int:
    return page.locator("#chart svg polyline").count()


def wait_for_series(page, count: int, timeout: float = 10.0) -> int:
    deadline = time.time() + timeout
    while time.time() < deadline:
        n = series_count(page)
        if n == count:
            return n
        time.sleep(0.1)
    return series_count(page)


def set_field(page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.dispatch_event(selector, "input")


def wait_until(predicate, timeout: float = 10.0) -> bool:
    """Polls `predicate` (the page's CSP forbids evaluating strings, so no wait_for_function)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


# The interpreter that runs "copy as Python" code (`--python`): one with the frameworks installed.
PYTHON = sys.executable


def run_python(code: str, spec: dict) -> list | None:
    """The learning rates the generated code prints, or None when the libraries are missing."""
    family = spec.get("framework", "torch")
    needed = {"torch": ["torch"], "transformers": ["torch", "transformers"], "timm": ["torch", "timm"],
              "optax": ["jax", "optax"], "keras": ["keras", spec.get("backend", "jax")],
              "deepspeed": ["torch", "deepspeed"], "mmengine": ["torch", "mmengine"],
              "megatron": ["torch", "megatron.core"]}[family]
    if "trainer" in spec:
        needed = {"transformers": ["torch", "transformers", "accelerate"], "lightning": ["torch", "lightning"],
                  "accelerate": ["torch", "accelerate"], "deepspeed": ["torch", "deepspeed"],
                  "mmengine": ["torch", "mmengine"], "megatron": ["megatron.core"]}[spec["trainer"]]
    probe = "import importlib.util, sys; sys.exit(any(importlib.util.find_spec(n) is None for n in sys.argv[1:]))"
    if subprocess.run([PYTHON, "-c", probe, *[name.split(".")[0] for name in needed]]).returncode != 0:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(code)
        path = fh.name
    try:
        out = subprocess.run([PYTHON, path], capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1].replace("'", '"'))


def check_python(checks: Checks, base: str, code: str, spec: dict, what: str) -> None:
    """Runs the page's "copy as Python" code under the real library (skipped when it is not
    installed) and checks its learning rates equal the service's for `spec`, bit for bit."""
    expected = json.loads(urllib.request.urlopen(urllib.request.Request(
        base + "/v1/schedules", data=json.dumps(spec).encode(), method="POST")).read())["lrs"]
    try:
        actual = run_python(code, spec)
    except Exception as exc:  # noqa: BLE001 - report the script's failure
        checks.check(f"copy as Python ({what}) runs", False, str(exc))
        return
    if actual is None:
        print(f"SKIP copy as Python ({what}): the library is not installed", flush=True)
        return
    first = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), None)
    checks.check(f"copy as Python ({what}) gives the same learning rates", actual == expected,
                 f"first difference at value {first}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--screenshot", default="artifacts/playground.png")
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter that runs copy-as-Python code (one with torch, transformers, … installed)")
    args = parser.parse_args(argv)
    global PYTHON
    PYTHON = args.python

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([args.bin, "serve", "--port", str(port), "--log-level", "error", "--drain-delay", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checks = Checks()
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            console_errors: list[str] = []
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: console_errors.append(str(e)))

            # 1. Load.
            page.goto(base + "/")
            page.wait_for_selector("#chart svg polyline", timeout=15000)
            checks.check("load: the first chart is drawn", series_count(page) == 1, f"{series_count(page)} series")

            # 2. transformers -> cosine with warm-up.
            page.select_option("#family", "transformers")
            page.select_option("#scheduler", "cosine")
            page.wait_for_selector("#p-num_warmup_steps")
            set_field(page, "#p-num_warmup_steps", "20")
            set_field(page, "#p-num_training_steps", "100")
            time.sleep(0.6)
            n = wait_for_series(page, 1)
            title = page.locator("#chart svg text").first.text_content()
            checks.check("transformers cosine: one series", n == 1 and "cosine" in page.locator("#chart").inner_text(),
                         f"{n} series, title {title!r}")
            python_cosine = page.locator("#python").text_content()

            # 3. Add to the comparison, then a timm schedule.
            page.click("#add")
            page.select_option("#family", "timm")
            page.select_option("#scheduler", "CosineLRScheduler")
            page.wait_for_selector("#p-t_initial")
            set_field(page, "#p-t_initial", "100")
            set_field(page, "#p-warmup_t", "20")
            set_field(page, "#p-warmup_lr_init", "0.001")
            time.sleep(0.6)
            n = wait_for_series(page, 2)
            legend = page.locator("#chart").inner_text()
            checks.check("comparison: two series and a legend", n == 2 and "cosine" in legend and "CosineLRScheduler" in legend,
                         f"{n} series, chart text {legend[:200]!r}")

            # 4. The URL reproduces the view.
            url = page.url
            other = context.new_page()
            other.goto(url)
            other.wait_for_selector("#chart svg polyline", timeout=15000)
            n_other = wait_for_series(other, 2)
            checks.check("the URL holds the state", n_other == 2 and other.input_value("#p-t_initial") == "100",
                         f"{n_other} series, t_initial {other.input_value('#p-t_initial')!r}")
            other.close()

            # 4b. The comparison says how each schedule differs from the first; the cursor reads
            # values; the log scale redraws the chart and stays in the URL.
            wait_until(lambda: "differ from the first" in page.locator("#current-diff").text_content()
                       or "identical" in page.locator("#current-diff").text_content())
            checks.check("comparison: the diff numbers of the edited schedule against the first are shown",
                         "steps differ from the first, from step" in page.locator("#current-diff").text_content(),
                         page.locator("#current-diff").text_content())
            box = page.locator("#chart svg").bounding_box()
            page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
            wait_until(lambda: ": lr " in page.locator("#readout").text_content())
            reading = page.locator("#readout").text_content()
            checks.check("cursor: the value under the pointer is read out (step and LR)",
                         re.match(r"^step \d+: lr [0-9.e-]+$", reading) is not None, reading)
            before = page.locator("#chart").inner_html()
            page.check("#log-scale")
            wait_until(lambda: page.locator("#chart").inner_html() != before)
            checks.check("log scale: the chart is redrawn on a log axis and the URL keeps it",
                         page.locator("#chart").inner_html() != before
                         and json.loads(urllib.parse.unquote(page.evaluate("location.href").split("#", 1)[1])).get("log") is True,
                         page.evaluate("location.href")[-80:])
            page.uncheck("#log-scale")
            summary = page.locator("#summary-line").text_content()
            checks.check("summary: min, max and final are shown", "min " in summary and "max " in summary
                         and "final " in summary, summary)

            # 5. An error next to its field.
            page.select_option("#family", "torch")
            page.select_option("#scheduler", "StepLR")
            page.wait_for_selector("#p-step_size")
            set_field(page, "#p-step_size", "0")
            wait_until(lambda: bool(page.locator("#e-p-step_size").text_content()))
            message = page.locator("#e-p-step_size").text_content()
            invalid = page.get_attribute("#p-step_size", "aria-invalid")
            checks.check("step_size 0: the error is shown next to the field", "non-zero" in message and invalid == "true",
                         f"message {message!r}, aria-invalid {invalid!r}")
            set_field(page, "#p-step_size", "30")
            wait_until(lambda: not page.locator("#e-p-step_size").text_content())

            # 6. Copy as Python, run under the real libraries when they are installed.
            spec = {"framework": "transformers", "scheduler": "cosine", "lr": 0.1,
                    "params": {"num_warmup_steps": 20, "num_training_steps": 100}, "epochs": 100}
            check_python(checks, base, python_cosine, spec, "transformers cosine")
            page.select_option("#family", "timm")
            page.select_option("#scheduler", "CosineLRScheduler")
            page.wait_for_selector("#p-t_initial")
            set_field(page, "#p-t_initial", "50")
            set_field(page, "#p-warmup_t", "5")
            set_field(page, "#p-warmup_lr_init", "0.001")
            set_field(page, "#p-cycle_limit", "2")
            time.sleep(0.8)
            timm_code = page.locator("#python").text_content()
            timm_spec = {"framework": "timm", "scheduler": "CosineLRScheduler", "lr": 0.1,
                         "params": {"t_initial": 50, "warmup_t": 5, "warmup_lr_init": 0.001, "cycle_limit": 2},
                         "epochs": 100}
            check_python(checks, base, timm_code, timm_spec, "timm CosineLRScheduler")
            def posted():
                # location.href, not page.url: Playwright may not have seen the latest replaceState.
                return json.loads(urllib.parse.unquote(page.evaluate("location.href").split("#", 1)[1]))["spec"]

            def draws(family: str, name: str, option: tuple, first: str, edits: dict) -> dict:
                """Picks `name`, sets the family option and `edits`, waits for the page to post
                them and draw, checks it drew without an error; returns the spec it posted."""
                page.select_option("#scheduler", name)
                page.wait_for_selector("#p-" + first)
                if option is not None:
                    page.select_option("#o-" + option[0], option[1])
                set_field(page, "#f-epochs", "40")
                for key, value in edits.items():
                    set_field(page, "#p-" + key, value)
                wait_until(lambda: posted()["scheduler"] == name and posted()["epochs"] == 40
                           and (option is None or posted().get(option[0]) == option[1])
                           and all(json.dumps(posted()["params"].get(k)) == json.dumps(json.loads(v))
                                   for k, v in edits.items()))
                time.sleep(0.3)
                status = page.locator("#status")
                wait_until(lambda: status.get_attribute("class") != "error" and "values from" in status.text_content())
                checks.check(f"{family} {name} ({option or 'no option'}): the example draws without an error",
                             status.get_attribute("class") != "error" and "values from" in status.text_content()
                             and (option is None or posted().get(option[0]) == option[1]),
                             f"{status.text_content()!r}, posted {posted()}")
                return posted()

            # optax: the page's own example of each (the spec it posted is in the URL), one edited.
            page.select_option("#family", "optax")
            for name, first, mode, edits in [
                    ("join_schedules", "schedules", "jit", {}),
                    ("piecewise_constant_schedule", "init_value", "eager_vector",
                     {"boundaries_and_scales": '{"10": 0.5, "+20": 0.2}'}),
                    ("contrib.reduce_on_plateau", "patience", "jit", {"patience": "3"})]:
                spec = draws("optax", name, ("mode", mode), first, edits)
                check_python(checks, base, page.locator("#python").text_content(), spec, f"optax {name}, {mode}")

            # 7. keras: the backend option, kept in the URL, and copy as Python on the torch backend.
            page.select_option("#family", "keras")
            page.wait_for_selector("#o-backend")
            checks.check("keras: the backend selector starts at the default, jax",
                         page.input_value("#o-backend") == "jax", page.input_value("#o-backend"))
            spec = draws("keras", "ExponentialDecay", ("backend", "torch"), "initial_learning_rate",
                         {"decay_steps": "7", "decay_rate": "0.7"})
            check_python(checks, base, page.locator("#python").text_content(), spec, "keras ExponentialDecay, torch")
            other = context.new_page()
            other.goto(page.evaluate("location.href"))
            other.wait_for_selector("#o-backend")
            wait_until(lambda: other.input_value("#o-backend") == "torch")
            checks.check("keras: the URL keeps the backend", other.input_value("#o-backend") == "torch"
                         and other.input_value("#p-decay_steps") == "7",
                         f"backend {other.input_value('#o-backend')!r}")
            other.close()
            spec = draws("keras", "ReduceLROnPlateau", ("backend", "torch"), "patience", {"patience": "3"})
            check_python(checks, base, page.locator("#python").text_content(), spec, "keras ReduceLROnPlateau, torch")
            draws("keras", "CosineDecay", ("backend", "torch"), "warmup_target", {})
            checks.check("keras CosineDecay on torch: the status says exact: false",
                         "exact: false" in page.locator("#status").text_content(), page.locator("#status").text_content())

            # DeepSpeed, MMEngine and Megatron: an example each, copy as Python under the real library.
            page.select_option("#family", "deepspeed")
            page.wait_for_selector("#o-optimizer")
            spec = draws("deepspeed", "OneCycle", ("optimizer", "adam"), "cycle_min_lr", {"cycle_first_step_size": "10"})
            check_python(checks, base, page.locator("#python").text_content(), spec, "deepspeed OneCycle, adam")
            page.select_option("#family", "mmengine")
            spec = draws("mmengine", "CosineRestartLR", None, "periods", {"periods": "[10, 20]"})
            check_python(checks, base, page.locator("#python").text_content(), spec, "mmengine CosineRestartLR")
            page.select_option("#family", "megatron")
            spec = draws("megatron", "OptimizerParamScheduler", None, "max_lr", {"lr_decay_steps": "60",
                                                                                  "increment": "4"})
            check_python(checks, base, page.locator("#python").text_content(), spec, "megatron cosine, increment 4")

            # 8. From a trainer config: TrainingArguments, a train.py command line, a Lightning dict.
            page.select_option("#mode", "trainer")
            page.wait_for_selector("#f-config", state="visible")
            status = page.locator("#status")

            def trainer_draws(name: str, config: str, size: str, procs: str | None, expect_updates: int) -> None:
                page.select_option("#trainer", name)
                set_field(page, "#f-config", config)
                if size is not None:
                    set_field(page, "#f-size", size)
                if procs is not None:
                    set_field(page, "#f-procs", procs)
                wait_until(lambda: f"{expect_updates} optimizer updates" in status.text_content())
                checks.check(f"trainer {name}: the plan and {expect_updates} updates are shown",
                             f"{expect_updates} optimizer updates" in status.text_content()
                             and "Plan:" in status.text_content() and status.get_attribute("class") != "error",
                             status.text_content()[:300])

            trainer_draws("transformers", json.dumps({"learning_rate": 1e-3, "lr_scheduler_type": "cosine",
                                                      "warmup_steps": 0.1, "num_train_epochs": 3,
                                                      "per_device_train_batch_size": 16,
                                                      "gradient_accumulation_steps": 4}), "50000", "4", 588)
            checks.check("trainer transformers: the plan names the 59 warm-up updates",
                         "warmup_updates 59" in status.text_content(), status.text_content()[:300])
            code = page.locator("#python").text_content()
            checks.check("trainer transformers: copy as Python builds TrainingArguments and runs Trainer.train()",
                         "TrainingArguments(" in code and "lr_scheduler_type=\"cosine\"" in code
                         and "trainer.train()" in code and "accelerate launch --num_processes 4" in code, code[:400])
            other = context.new_page()
            other.goto(page.evaluate("location.href"))
            other.wait_for_selector("#f-config", state="visible")
            wait_until(lambda: "588 optimizer updates" in other.locator("#status").text_content())
            checks.check("trainer mode: the URL keeps the trainer config",
                         other.input_value("#mode") == "trainer" and other.input_value("#f-size") == "50000"
                         and "588 optimizer updates" in other.locator("#status").text_content(),
                         other.locator("#status").text_content()[:200])
            other.close()
            set_field(page, "#f-config", json.dumps({"learning_rat": 1e-3}))
            wait_until(lambda: "learning_rate" in page.locator("#e-config").text_content())
            checks.check("trainer transformers: a misspelt argument is shown next to the config with the name meant",
                         "did you mean \"learning_rate\"" in page.locator("#e-config").text_content()
                         and page.get_attribute("#f-config", "aria-invalid") == "true",
                         page.locator("#e-config").text_content())
            trainer_draws("timm", "python train.py --sched cosine --epochs 10 --lr 0.1 --warmup-epochs 2 "
                                  "--cooldown-epochs 2 --warmup-prefix", "3", "1", 42)
            code = page.locator("#python").text_content()
            checks.check("trainer timm: copy gives the train.py command line back",
                         "--sched cosine" in code and "--warmup-prefix" in code and "--cooldown-epochs 2" in code, code)
            trainer_draws("lightning", json.dumps({"lr": 0.1, "lr_scheduler": {
                "scheduler": {"scheduler": "OneCycleLR", "params": {"max_lr": 0.1, "total_steps": 6}},
                "interval": "step"}, "trainer_args": {"max_epochs": 2, "accumulate_grad_batches": 4}}), "10", None, 6)
            code = page.locator("#python").text_content()
            check_python(checks, base, code, {"trainer": "lightning", "lr": 0.1, "batches_per_epoch": 10,
                                              "trainer_args": {"max_epochs": 2, "accumulate_grad_batches": 4},
                                              "lr_scheduler": {"scheduler": {"scheduler": "OneCycleLR", "params": {
                                                  "max_lr": 0.1, "total_steps": 6}}, "interval": "step"}},
                         "lightning trainer")
            checks.check("trainer lightning: copy as Python is a LightningModule with the scheduler dict",
                         "configure_optimizers" in code and "lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=6)" in code
                         and "\"interval\": \"step\"" in code and "accumulate_grad_batches=4" in code, code[:600])
            trainer_draws("accelerate", json.dumps({"lr": 0.1, "scheduler": {"scheduler": "StepLR",
                                                                              "params": {"step_size": 20, "gamma": 0.5}}}),
                          "30", "1", 30)
            check_python(checks, base, page.locator("#python").text_content(),
                         {"trainer": "accelerate", "scheduler": {"scheduler": "StepLR", "params": {"step_size": 20,
                                                                                                 "gamma": 0.5}},
                          "lr": 0.1, "updates": 30, "num_processes": 1}, "accelerate trainer")
            trainer_draws("deepspeed", json.dumps({"train_batch_size": 16, "optimizer": {"type": "AdamW", "params": {"lr": 1e-3}},
                                                   "scheduler": {"type": "WarmupDecayLR", "params": {
                                                       "total_num_steps": 40, "warmup_num_steps": 5}}}), "40", "2", 40)
            checks.check("trainer deepspeed: copy as Python runs deepspeed.initialize on the config",
                         "deepspeed.initialize" in page.locator("#python").text_content(),
                         page.locator("#python").text_content()[:300])
            trainer_draws("mmengine", json.dumps({"lr": 0.02, "param_scheduler": [
                {"type": "LinearLR", "start_factor": 0.001, "by_epoch": False, "end": 10},
                {"type": "MultiStepLR", "milestones": [2], "gamma": 0.1}], "train_cfg": {"by_epoch": True, "max_epochs": 3}}),
                "10", None, 30)
            trainer_draws("megatron", "python pretrain_gpt.py --lr 3e-4 --min-lr 3e-5 --lr-decay-style cosine "
                          "--train-iters 50 --lr-warmup-fraction 0.1 --global-batch-size 8", None, None, 50)
            checks.check("trainer megatron: the size field is hidden (the options hold the batch size)",
                         not page.is_visible("#f-size"), "the size field is visible")
            page.select_option("#mode", "scheduler")
            page.wait_for_selector("#f-lr", state="visible")

            # 9. Phone width and keyboard.
            page.set_viewport_size({"width": 390, "height": 844})
            time.sleep(0.3)
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            checks.check("phone width: no horizontal scrolling", overflow <= 0, f"{overflow}px too wide")
            page.set_viewport_size({"width": 1280, "height": 900})
            page.focus("#family")
            reached = set()
            for _ in range(80):
                page.keyboard.press("Tab")
                reached.add(page.evaluate("document.activeElement && document.activeElement.id"))
            wanted = {"scheduler", "f-lr", "f-epochs", "add", "copy-python", "download-csv", "download-svg"}
            checks.check("keyboard: every control is reachable by Tab", wanted <= reached,
                         f"missing {sorted(wanted - reached)}")

            os.makedirs(os.path.dirname(args.screenshot) or ".", exist_ok=True)
            page.screenshot(path=args.screenshot, full_page=True)
            print(f"screenshot: {args.screenshot}", flush=True)
            # A 422 is the API's answer to the invalid step_size above, shown next to the field.
            unexpected = [e for e in console_errors if "status of 422" not in e]
            checks.check("no console errors", not unexpected, "; ".join(unexpected[:5]))
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"{len(checks.failures)} failed" if checks.failures else "all browser checks passed", flush=True)
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
