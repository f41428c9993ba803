"""Golden fixtures for metric-driven Hugging Face `Trainer` runs: `reduce_lr_on_plateau` and
`greedy`, which the Trainer steps with the evaluation metric at every evaluation.

Each case runs a real `Trainer.train()` (transformers 5.24.0, CPU) on the tiny regression model
and dataset of `generate_trainer_fixtures_hf.py`, with an `eval_dataset` and an `eval_strategy`.
It records the learning rate at every `optimizer.step()` (a step pre-hook on the inner torch
optimizer) and the `metric_for_best_model` value of every evaluation (`on_evaluate`). The
fixture's request carries those metric values as `metrics`, so lrsched must give back the
Trainer's learning rates from the Trainer's own metrics, bit for bit. Writes
Tests/SchedulesTests/Fixtures/trainers/transformers-metrics.json.

    python3 scripts/generate_trainer_fixtures_hf_metrics.py
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import tempfile
import warnings

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

import generate_trainer_fixtures_hf as hf  # noqa: E402
from fixture_support import dump_fixture, format_exception, roundtrip  # noqa: E402

OUT = os.path.join(SCRIPTS, "..", "Tests", "SchedulesTests", "Fixtures", "trainers", "transformers-metrics.json")


def run(request: dict) -> dict:
    from transformers import Trainer, TrainerCallback, TrainingArguments

    args = dict(request["args"])
    n = request["dataset_size"]
    scratch = tempfile.mkdtemp(prefix="lrsched-metrics-")
    try:
        kwargs = dict(args)
        kwargs.update(hf.FIXED_ARGS)
        kwargs["output_dir"] = scratch
        targs = TrainingArguments(**kwargs)
        key = targs.metric_for_best_model
        key = key if key.startswith("eval_") else "eval_" + key

        class Recorder(TrainerCallback):
            def __init__(self):
                self.lrs, self.metrics, self.handle = [], [], None

            def on_train_begin(self, args, state, control, optimizer=None, **kw):
                self.handle = optimizer.optimizer.register_step_pre_hook(
                    lambda opt, a, k: self.lrs.append(float(opt.param_groups[0]["lr"])))

            def on_evaluate(self, args, state, control, metrics=None, **kw):
                self.metrics.append(float(metrics[key]))

        rec = Recorder()
        trainer = Trainer(model=hf._tiny_model(), args=targs, train_dataset=hf._tiny_dataset(n),
                          eval_dataset=hf._tiny_dataset(request.get("_eval_size", 7)), callbacks=[rec])
        with contextlib.redirect_stdout(io.StringIO()):
            trainer.train()
        rec.handle.remove()
        return {"lrs": rec.lrs, "metrics": rec.metrics, "total": trainer.state.max_steps}
    except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
        return {"error": format_exception(exc)}


def cases():
    out = []

    def ok(name, args, n, eval_size=7):
        out.append((name, {"trainer": "transformers", "args": args, "dataset_size": n, "_eval_size": eval_size}, None))

    def err(name, field, args, n):
        out.append((name, {"trainer": "transformers", "args": args, "dataset_size": n}, field))

    # label_names lets evaluate() compute eval_loss for the tiny model (its target is `y`).
    base = {"learning_rate": 0.5, "per_device_train_batch_size": 4, "num_train_epochs": 3, "label_names": ["y"]}
    plateau = dict(base, lr_scheduler_type="reduce_lr_on_plateau")
    ok("plateau, eval every 3 updates, patience 0", dict(plateau, eval_strategy="steps", eval_steps=3,
                                                         lr_scheduler_kwargs={"patience": 0, "factor": 0.5}), 40)
    ok("plateau, eval every epoch, patience 1", dict(plateau, eval_strategy="epoch",
                                                     lr_scheduler_kwargs={"patience": 1}), 40)
    ok("plateau, mode max (every evaluation is a plateau)", dict(plateau, eval_strategy="steps", eval_steps=2,
                                                                 lr_scheduler_kwargs={"mode": "max", "patience": 0}), 30)
    ok("plateau, eval_steps as a fraction 0.2", dict(plateau, eval_strategy="steps", eval_steps=0.2,
                                                     lr_scheduler_kwargs={"patience": 0, "threshold": 0.5}), 50)
    ok("plateau, eval_delay 6", dict(plateau, eval_strategy="steps", eval_steps=2, eval_delay=6,
                                     lr_scheduler_kwargs={"mode": "max", "patience": 0}), 30)
    ok("plateau, eval_steps from logging_steps 4", dict(plateau, eval_strategy="steps", logging_steps=4,
                                                        lr_scheduler_kwargs={"mode": "max", "patience": 1}), 40)
    ok("plateau, accumulation 3, fractional epochs", dict(plateau, eval_strategy="steps", eval_steps=2,
                                                          gradient_accumulation_steps=3, num_train_epochs=2.5,
                                                          lr_scheduler_kwargs={"patience": 0, "factor": 0.3,
                                                                               "threshold": 0.9}), 61)
    ok("plateau, cooldown and min_lr", dict(plateau, eval_strategy="steps", eval_steps=1, max_steps=20,
                                            lr_scheduler_kwargs={"mode": "max", "patience": 0, "cooldown": 2,
                                                                 "min_lr": 0.1}), 16)
    ok("plateau, max_steps and eval every 5", dict(plateau, eval_strategy="steps", eval_steps=5, max_steps=23,
                                                   lr_scheduler_kwargs={"patience": 1, "threshold": 0.2}), 40)
    ok("plateau, metric_for_best_model loss, threshold_mode abs", dict(
        plateau, eval_strategy="epoch", metric_for_best_model="loss", num_train_epochs=6,
        lr_scheduler_kwargs={"patience": 0, "threshold_mode": "abs", "threshold": 0.01}), 24)
    greedy = dict(base, lr_scheduler_type="greedy")
    ok("greedy, eval every 2 updates", dict(greedy, eval_strategy="steps", eval_steps=2), 40)
    ok("greedy, eval every update, patience 1", dict(greedy, eval_strategy="steps", eval_steps=1, max_steps=25,
                                                     lr_scheduler_kwargs={"patience": 1}), 40)
    ok("greedy, per epoch", dict(greedy, eval_strategy="epoch", num_train_epochs=8), 16)
    ok("greedy, factor 0.8, cooldown 1", dict(greedy, eval_strategy="steps", eval_steps=3,
                                              lr_scheduler_kwargs={"factor": 0.8, "cooldown": 1}), 60)
    ok("greedy, smoothing window 3", dict(greedy, eval_strategy="steps", eval_steps=1, max_steps=30,
                                          lr_scheduler_kwargs={"smooth": True, "window_size": 3}), 40)
    err("plateau without an eval strategy", "/args/lr_scheduler_type", dict(plateau), 40)
    err("greedy without an eval strategy", "/args/lr_scheduler_type", dict(greedy), 40)
    return out


def main():
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    import torch
    import transformers

    results = []
    for name, request, field in cases():
        r = run(request)
        request.pop("_eval_size", None)
        request = roundtrip(request)
        if field is None:
            assert "error" not in r, (name, r)
            request["metrics"] = r["metrics"]
            results.append({"name": name, "request": request, "lrs": r["lrs"]})
        else:
            assert "error" in r, (name, r)
            results.append({"name": name, "request": request, "error": r["error"], "error_field": field})
    header = {"transformers": hf.strip_local(transformers.__version__), "torch": hf.strip_local(torch.__version__),
              "trainer": "transformers"}
    dump_fixture(OUT, header, results)
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    main()
