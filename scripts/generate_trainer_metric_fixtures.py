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

FIXTURES = os.path.join(SCRIPTS, "..", "Tests", "SchedulesTests", "Fixtures", "trainers")
OUT = os.path.join(FIXTURES, "transformers-metrics.json")


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


def run_lightning(request: dict) -> dict:
    import torch
    import lightning.pytorch as pl
    import generate_trainer_fixtures_lightning_timm as lt
    from fixture_support import build_scheduler

    lt._quiet_lightning()
    recorded, metrics = [], []

    class Module(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def validation_step(self, batch, batch_idx):
            x, y = batch
            self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y))

        def on_before_optimizer_step(self, optimizer):
            recorded.append(float(optimizer.param_groups[0]["lr"]))

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=request["lr"])
            spec = request["lr_scheduler"]["scheduler"]
            scheduler = build_scheduler(optimizer, spec["scheduler"], spec.get("params", {}))
            step = scheduler.step

            def recording_step(metric=None, *a, **k):
                metrics.append(float(metric))
                return step(metric, *a, **k)

            scheduler.step = recording_step
            config = {k: v for k, v in request["lr_scheduler"].items() if k != "scheduler"}
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, **config}}

    torch.manual_seed(0)
    trainer = lt._trainer(request.get("trainer_args", {}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer.fit(Module(), lt._loader(request["batches_per_epoch"]), lt._loader(2))
    return {"lrs": recorded, "metrics": metrics}


def lightning_cases():
    out = []

    def ok(name, lr, batches, trainer_args, params, **config):
        out.append((name, {"trainer": "lightning", "lr": lr, "batches_per_epoch": batches, "trainer_args": trainer_args,
                           "lr_scheduler": {"scheduler": {"scheduler": "ReduceLROnPlateau", "params": params},
                                            "monitor": "val_loss", **config}}))

    ok("plateau patience 0", 0.5, 5, {"max_epochs": 8}, {"patience": 0, "factor": 0.5, "threshold": 0.2})
    ok("plateau patience 1, accumulation 2", 0.3, 7, {"max_epochs": 10, "accumulate_grad_batches": 2},
       {"patience": 1, "threshold": 0.1})
    ok("plateau mode max (reduces every epoch)", 1.0, 3, {"max_epochs": 6}, {"mode": "max", "patience": 0})
    ok("plateau frequency 2", 0.5, 4, {"max_epochs": 9}, {"mode": "max", "patience": 0}, frequency=2)
    ok("plateau cooldown, min_lr", 0.8, 3, {"max_epochs": 10}, {"mode": "max", "patience": 0, "cooldown": 1,
                                                                "min_lr": 0.1})
    ok("plateau max_steps mid-epoch", 0.5, 4, {"max_steps": 18}, {"mode": "max", "patience": 0, "factor": 0.7})
    ok("plateau strict false with the metric logged", 0.4, 5, {"max_epochs": 6}, {"patience": 0, "threshold": 0.3},
       strict=False)
    ok("plateau limit_train_batches 3", 0.5, 10, {"max_epochs": 5, "limit_train_batches": 3},
       {"mode": "max", "patience": 1})
    return out


def run_timm(request: dict) -> dict:
    import torch
    import generate_trainer_fixtures_lightning_timm as lt
    from timm.scheduler import create_scheduler_v2, scheduler_kwargs

    args = lt.train_py_parser().parse_args(lt.args_to_argv(request["args"]))
    args.grad_accum_steps = max(1, args.grad_accum_steps)
    if not args.lr:
        ratio = args.batch_size * request.get("world_size", 1) * args.grad_accum_steps / args.lr_base_size
        args.lr = args.lr_base * ratio
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=args.lr)
    upe = (request["batches_per_epoch"] + args.grad_accum_steps - 1) // args.grad_accum_steps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler, num_epochs = create_scheduler_v2(
            optimizer, **scheduler_kwargs(args, decreasing_metric=args.eval_metric == "loss"), updates_per_epoch=upe)
    metrics = request["metrics"]
    lrs = []
    for epoch in range(num_epochs):
        num_updates = epoch * upe
        for _ in range(upe):
            lrs.append(float(optimizer.param_groups[0]["lr"]))
            num_updates += 1
            scheduler.step_update(num_updates=num_updates, metric=None)
        scheduler.step(epoch + 1, metrics[epoch])
    return {"lrs": lrs}


def timm_cases():
    import random

    def series(seed, n, rising):
        rng = random.Random(seed)
        value, out = (10.0 if rising else 3.0), []
        for i in range(n):
            step = rng.uniform(0, 3.0 / (1 + i))
            value = value + step if rising else value - step / 4
            out.append(round(value + rng.uniform(-0.4, 0.4), 4))
        return out

    out = []

    def ok(name, args, batches, seed, rising=True):
        epochs = args.get("epochs", 300) + (args.get("warmup_epochs", 5) if args.get("warmup_prefix") else 0)
        out.append((name, {"trainer": "timm", "args": {"sched": "plateau", **args}, "batches_per_epoch": batches,
                           "metrics": series(seed, epochs, rising)}))

    ok("plateau top1, patience 2", {"epochs": 30, "lr": 0.1, "patience_epochs": 2}, 3, 1)
    ok("plateau top1, warm-up 3", {"epochs": 25, "lr": 0.1, "patience_epochs": 1, "warmup_epochs": 3}, 2, 2)
    ok("plateau loss (min), decay 0.5", {"epochs": 30, "lr": 0.05, "patience_epochs": 1, "decay_rate": 0.5,
                                         "eval_metric": "loss"}, 4, 3, rising=False)
    ok("plateau min_lr, warmup prefix", {"epochs": 20, "lr": 0.2, "patience_epochs": 0, "min_lr": 0.01,
                                         "warmup_epochs": 2, "warmup_prefix": True}, 2, 4)
    ok("plateau with noise", {"epochs": 24, "lr": 0.1, "patience_epochs": 1, "lr_noise": [0.3, 0.9],
                              "seed": 7}, 2, 5)
    ok("plateau defaults (warm-up 5, patience 10)", {"epochs": 40}, 1, 6)
    ok("plateau accumulation 2", {"epochs": 16, "lr": 0.1, "patience_epochs": 0, "grad_accum_steps": 2,
                                  "warmup_epochs": 0}, 5, 8)
    return out


def write(path, header, results):
    dump_fixture(path, header, results)
    print(f"wrote {len(results)} cases to {path}")


def main():
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    import torch
    import transformers
    import lightning
    import timm

    torch_version = hf.strip_local(torch.__version__)
    results = []
    for name, request in lightning_cases():
        r = run_lightning(roundtrip(request))
        request = roundtrip(request)
        request["metrics"] = r["metrics"]
        results.append({"name": name, "request": request, "lrs": r["lrs"]})
    write(os.path.join(FIXTURES, "lightning-metrics.json"),
          {"lightning": lightning.__version__, "torch": torch_version, "trainer": "lightning"}, results)
    results = []
    for name, request in timm_cases():
        request = roundtrip(request)
        results.append({"name": name, "request": request, "lrs": run_timm(request)["lrs"]})
    write(os.path.join(FIXTURES, "timm-metrics.json"),
          {"timm": timm.__version__, "torch": torch_version, "trainer": "timm"}, results)

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
    write(OUT, header, results)


if __name__ == "__main__":
    main()
