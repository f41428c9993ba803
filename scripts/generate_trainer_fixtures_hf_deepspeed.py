#!/usr/bin/env python3
"""Generate golden fixtures of the REAL Hugging Face ``Trainer.train()`` running under
DeepSpeed (a ``deepspeed`` config dict in ``TrainingArguments``), on CPU, world size 1.

What it runs
------------
Every case builds ``TrainingArguments(**args, deepspeed=<a deep copy of the request's
args.deepspeed>)`` and runs ``Trainer.train()`` (transformers 5.24.0, accelerate 1.16.0,
deepspeed 0.19.8, torch 2.15.0, all CPU) in this process, on the same tiny model and
dataset as ``generate_trainer_fixtures_hf.py``: ``nn.Linear(1, 1)`` inside a module whose
``forward(x, y)`` returns ``{"loss": mse}``, trained on ``dataset_size`` synthetic examples
``{"x": [i / n], "y": [1.0]}``, the model initialised after ``torch.manual_seed(0)``. The
Trainer builds the DeepSpeed engine itself (``deepspeed_init`` -> ``accelerator.prepare``
-> ``deepspeed.initialize``). Every run adds these arguments to the request's ``args``
(none of them changes the learning rate; they are not written into the fixture): a fresh
temporary ``output_dir``, ``report_to=[]``, ``save_strategy="no"``, ``use_cpu=True``,
``disable_tqdm=True``, ``logging_strategy="no"``.

The ``deepspeed`` configs are written the way users write them, with ``"auto"`` values
for the Trainer to fill. All of them carry ``"zero_optimization": {"stage": 0}``
(accelerate refuses a config without a ZeRO section -- one refusal case shows that), and
every ``AdamW`` optimizer block carries ``"torch_adam": true`` so that DeepSpeed builds
``torch.optim.AdamW`` instead of its ``FusedAdam`` op.

``lrs[k]`` is ``param_groups[0]["lr"]`` of the real torch optimizer at the moment it
performs optimizer update k+1. Under DeepSpeed the Trainer's ``optimizer.step()`` and
``lr_scheduler.step()`` are no-ops of accelerate's wrappers (except the Trainer's own
scheduler when the config has neither an ``optimizer`` nor a ``scheduler`` block); the
real update happens inside ``accelerator.backward`` -> ``engine.step()`` at every
gradient-accumulation boundary (the Trainer marks the last, possibly partial, group of an
epoch as a boundary too), and DeepSpeed steps its scheduler right after the optimizer.
So a callback such as ``on_pre_optimizer_step`` would read the value AFTER the scheduler
step; instead a ``register_step_pre_hook`` is installed (in ``on_train_begin``) on
``engine.basic_optimizer`` -- the ``torch.optim`` optimizer the engine steps (with ZeRO
stage 0 and fp32 it is ``engine.optimizer`` itself, which the script asserts). The script
also asserts, for every case:

* a step post-hook sees the same lr as the pre-hook (nothing changes it during the step);
* the number of values equals the number of ``on_pre_optimizer_step`` callbacks, the
  Trainer's ``global_step``, the engine's ``global_steps`` and ``trainer.state.max_steps``
  (runs here never stop early);
* a replay: a fresh optimizer of the same class and defaults, on copies of the initial
  parameters, fed the gradients and the param-group hyper-parameters captured at each
  pre-hook (lr = the recorded value), reproduces the engine's parameters bit for bit after
  every update (so the hook saw the real updates and the lr they used);
* the series equals the scheduler rebuilt standalone on a fresh optimizer, value k being
  its lr after construction and k ``step()`` calls: for a ds ``scheduler`` block,
  ``getattr(deepspeed.runtime.lr_schedules, type)(opt, **params)`` with the params exactly
  as the Trainer filled them (read back from the engine's config); without one,
  ``transformers.get_scheduler(args.lr_scheduler_type, opt, args.get_warmup_steps(T), T,
  scheduler_specific_kwargs=args.lr_scheduler_kwargs)`` with T = ``max_steps``. So update 1
  runs at the scheduler's constructor value (e.g. ``warmup_min_lr`` for WarmupDecayLR) and
  the scheduler is stepped exactly once per update.

Error cases (``{"name", "request", "error", ["error_field"]}``): the exception raised by
``TrainingArguments(...)``, ``Trainer(...)`` or ``train()`` as
``"<ExceptionClass>: <message>"``; ``error_field`` is the JSON pointer of the request
member responsible, chosen by this script per case, omitted when several are. HF's
"auto"/match checks run in ``TrainingArguments`` (batch sizes, gradient accumulation,
gradient clipping, optimizer lr/betas/eps/weight_decay, scheduler warmup_max_lr,
fp16/bf16) and in ``train()`` (scheduler total_num_steps and warmup_num_steps); all
mismatches are collected and raised together, as one ``ValueError``, by
``trainer_config_finalize`` at the start of ``train()``.

Fixture format
--------------
``Tests/SchedulesTests/Fixtures/trainers/transformers-deepspeed.json``: header
``{"transformers", "deepspeed", "accelerate", "torch", "trainer": "transformers"}`` and
``"cases"``, one per line: ``{"name", "request": {"trainer": "transformers", "args":
{..., "deepspeed": {...}}, "dataset_size": N, "world_size": 1}, "lrs": [...]}``. Floats are
Python ``repr`` via ``json.dumps`` (round-trip exact); integer lrs (DeepSpeed's
WarmupDecayLR/WarmupLR start at the int ``warmup_min_lr`` 0 the Trainer fills in) are
written as floats.

How to run
----------
From the repository root::

    /work/venv/bin/python scripts/generate_trainer_fixtures_hf_deepspeed.py [--out FILE] [--only SUBSTRING] [-v]

It sets ``DS_ACCELERATOR=cpu``, ``MASTER_ADDR=127.0.0.1``, ``MASTER_PORT`` (a free
loopback port unless set), ``RANK=0``, ``WORLD_SIZE=1``, ``LOCAL_RANK=0``,
``LOCAL_SIZE=1``, ``MAX_JOBS=1`` and puts the interpreter's ``bin`` directory (for
``ninja``) on ``PATH``. On first use DeepSpeed JIT-compiles its small
``deepspeed_shm_comm`` op (about 90 s on 2 cores, g++ needed), cached under
``$TORCH_EXTENSIONS_DIR`` (default ``~/.cache/torch_extensions``; e.g.
``TORCH_EXTENSIONS_DIR=/tmp/dsx/ext``). The cases then take about 15 s; torch uses one
thread. All cases run in one process: every ``TrainingArguments`` resets accelerate's
``AcceleratorState`` singleton, and each case was checked to give the same result in a
fresh process (every fourth one also with ``use_cpu=False``). ``--only`` runs the
matching cases and prints them without writing; ``-v`` prints each case's filled config
and engine/scheduler classes. The output is deterministic; a warning is printed when
the installed versions differ from the ones above.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import inspect
import io
import json
import logging
import os
import shutil
import socket
import sys
import tempfile
import warnings


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


os.environ["DS_ACCELERATOR"] = "cpu"
os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
os.environ.setdefault("MASTER_PORT", str(_free_port()))
for _k, _v in (("RANK", "0"), ("WORLD_SIZE", "1"), ("LOCAL_RANK", "0"), ("LOCAL_SIZE", "1"), ("MAX_JOBS", "1")):
    os.environ.setdefault(_k, _v)
_venv_bin = os.path.dirname(sys.executable)
if _venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _venv_bin + os.pathsep + os.environ.get("PATH", "")

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

from fixture_support import dump_fixture, format_exception, roundtrip  # noqa: E402

REPO_ROOT = os.path.dirname(SCRIPTS)
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "trainers", "transformers-deepspeed.json")
EXPECTED = {"transformers": "5.24.0", "deepspeed": "0.19.8", "accelerate": "1.16.0", "torch": "2.15.0"}

# Fixed TrainingArguments every run adds to the request's args (none touches the LR).
FIXED_ARGS = {
    "report_to": [],
    "save_strategy": "no",
    "use_cpu": True,
    "disable_tqdm": True,
    "logging_strategy": "no",
}


def quiet():
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    import transformers

    transformers.logging.set_verbosity_error()


# ---------------------------------------------------------------------------
# The model, the data, one Trainer run
# ---------------------------------------------------------------------------


def _tiny_model():
    import torch
    from torch import nn

    class TinyRegression(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(1, 1)

        def forward(self, x, y):
            return {"loss": ((self.lin(x) - y) ** 2).mean()}

    torch.manual_seed(0)
    return TinyRegression()


def _tiny_dataset(n: int):
    import torch

    class TinyDataset(torch.utils.data.Dataset):
        def __len__(self):
            return n

        def __getitem__(self, i):
            return {"x": torch.tensor([float(i) / n]), "y": torch.tensor([1.0])}

    return TinyDataset()


def _make_recorder():
    import torch
    from transformers import TrainerCallback

    class Recorder(TrainerCallback):
        """Step pre/post hooks on the engine's torch optimizer; snapshots for the replay."""

        def __init__(self):
            self.trainer = None
            self.lrs, self.post_lrs, self.snaps = [], [], []
            self.final_params = None
            self.pre_steps = 0
            self.handles = []
            self.opt = None

        def on_train_begin(self, args, state, control, optimizer=None, **kw):
            engine = self.trainer.model_wrapped
            assert type(engine).__name__ == "DeepSpeedEngine", type(engine)
            opt = engine.basic_optimizer
            assert isinstance(opt, torch.optim.Optimizer), type(opt)
            assert engine.optimizer is opt, (type(engine.optimizer), type(opt))
            assert optimizer.optimizer is opt, type(optimizer.optimizer)  # accelerate's DeepSpeedOptimizerWrapper
            self.opt = opt

            def pre(o, a, k):
                self.lrs.append(o.param_groups[0]["lr"])
                self.snaps.append({
                    "params": [[p.detach().clone() for p in g["params"]] for g in o.param_groups],
                    "grads": [[p.grad.detach().clone() for p in g["params"]] for g in o.param_groups],
                    "hyper": [{key: copy.deepcopy(v) for key, v in g.items() if key != "params"} for g in o.param_groups],
                })

            def post(o, a, k):
                self.post_lrs.append(o.param_groups[0]["lr"])
                self.final_params = [[p.detach().clone() for p in g["params"]] for g in o.param_groups]

            self.handles = [opt.register_step_pre_hook(pre), opt.register_step_post_hook(post)]

        def on_pre_optimizer_step(self, args, state, control, **kw):
            self.pre_steps += 1

    return Recorder()


def _replay(opt, snaps, final_params):
    """Re-run every recorded update on a fresh optimizer (same class and defaults) and check
    the engine's parameters bit for bit: the hook saw the real updates and their lr."""
    import torch

    if not snaps:
        return
    groups = []
    for gi, hyper in enumerate(snaps[0]["hyper"]):
        params = [torch.nn.Parameter(p.clone()) for p in snaps[0]["params"][gi]]
        groups.append({"params": params, **copy.deepcopy(hyper)})
    accepted = inspect.signature(type(opt).__init__).parameters
    shadow = type(opt)(groups, **{k: copy.deepcopy(v) for k, v in opt.defaults.items() if k in accepted})
    for k, snap in enumerate(snaps):
        for gi, g in enumerate(shadow.param_groups):
            for key, v in snap["hyper"][gi].items():
                g[key] = copy.deepcopy(v)
            for p, grad in zip(g["params"], snap["grads"][gi]):
                p.grad = grad.clone()
        shadow.step()
        expect = snaps[k + 1]["params"] if k + 1 < len(snaps) else final_params
        for gi, g in enumerate(shadow.param_groups):
            for p, q in zip(g["params"], expect[gi]):
                assert torch.equal(p.detach(), q), ("replay differs at update", k + 1, p, q)


def _standalone_series(trainer, n_updates: int, base_lr: float) -> tuple[str, list]:
    """The scheduler the run used, rebuilt on a fresh optimizer: value k after k steps."""
    import torch
    from deepspeed.runtime import lr_schedules
    from transformers import get_scheduler

    cfg = trainer.accelerator.deepspeed_config
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.AdamW([p], lr=base_lr)
    if "scheduler" in cfg:
        sched_cfg = cfg["scheduler"]
        desc = f"ds {sched_cfg['type']}({sched_cfg['params']})"
        sched = getattr(lr_schedules, sched_cfg["type"])(opt, **sched_cfg["params"])
    else:
        args = trainer.args
        total = trainer.state.max_steps
        desc = f"hf {args.lr_scheduler_type}(warmup={args.get_warmup_steps(total)}, total={total})"
        sched = get_scheduler(args.lr_scheduler_type, opt, num_warmup_steps=args.get_warmup_steps(total),
                              num_training_steps=total, scheduler_specific_kwargs=args.lr_scheduler_kwargs or None)
    out = []
    for _ in range(n_updates):
        out.append(opt.param_groups[0]["lr"])
        sched.step()
    return desc, out


def run_case(request: dict, verbose: bool = False) -> dict:
    """One real ``Trainer.train()`` under DeepSpeed; ``{"lrs"}`` or ``{"error"}``."""
    from transformers import Trainer, TrainingArguments

    scratch = tempfile.mkdtemp(prefix="lrsched-hfds-")
    try:
        kwargs = copy.deepcopy(request["args"])  # HF fills the "auto" values in place
        kwargs.update(FIXED_ARGS)
        kwargs["output_dir"] = os.path.join(scratch, "run")
        rec = _make_recorder()
        try:
            targs = TrainingArguments(**kwargs)
            trainer = Trainer(model=_tiny_model(), args=targs, train_dataset=_tiny_dataset(request["dataset_size"]),
                              callbacks=[rec])
            rec.trainer = trainer
            with contextlib.redirect_stdout(io.StringIO()):
                trainer.train()
        except Exception as exc:  # noqa: BLE001
            return {"error": format_exception(exc)}
        for h in rec.handles:
            h.remove()
        engine = trainer.model_wrapped
        n = len(rec.lrs)
        assert rec.post_lrs == rec.lrs, (rec.lrs, rec.post_lrs)
        assert rec.pre_steps == n, (rec.pre_steps, n)
        assert trainer.state.global_step == n, (trainer.state.global_step, n)
        assert engine.global_steps == n, (engine.global_steps, n)
        assert trainer.state.max_steps == n, (trainer.state.max_steps, n)
        assert n <= 60, n
        _replay(rec.opt, rec.snaps, rec.final_params)
        desc, standalone = _standalone_series(trainer, n, trainer.args.learning_rate)
        assert standalone == rec.lrs, (desc, standalone, rec.lrs)
        lrs = [float(v) for v in rec.lrs]
        for v in lrs:
            assert v == v and abs(v) != float("inf"), lrs
        if verbose:
            cfg = {k: v for k, v in trainer.accelerator.deepspeed_config.items() if k != "steps_per_print"}
            ds_sched = engine.lr_scheduler
            print(f"    filled config: {json.dumps(cfg)}")
            print(f"    engine.lr_scheduler={type(ds_sched).__name__} trainer.lr_scheduler="
                  f"{type(trainer.lr_scheduler).__name__} optimizer={type(rec.opt).__name__} "
                  f"groups={len(rec.opt.param_groups)} standalone={desc}")
            inner = ds_sched if ds_sched is not None else trainer.lr_scheduler
            last = getattr(inner, "last_epoch", getattr(inner, "last_batch_iteration", None))
            print(f"    updates={n} scheduler last_epoch/last_batch_iteration at end={last} raw lrs[0]={rec.lrs[0]!r}")
        return {"lrs": lrs}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

ZERO0 = {"zero_optimization": {"stage": 0}}
AUTO_BATCH = {"train_micro_batch_size_per_gpu": "auto", "gradient_accumulation_steps": "auto", "train_batch_size": "auto"}
ADAMW_AUTO = {"type": "AdamW", "params": {"lr": "auto", "weight_decay": "auto", "betas": "auto", "eps": "auto",
                                          "torch_adam": True}}

def ds(scheduler=None, optimizer=ADAMW_AUTO, batch=AUTO_BATCH, zero=ZERO0, **extra):
    """A ds_config with a stable key order; ``optimizer=None`` drops the block."""
    cfg = {}
    if zero is not None:
        cfg.update(copy.deepcopy(zero))
    cfg.update(copy.deepcopy(batch))
    if optimizer is not None:
        cfg["optimizer"] = copy.deepcopy(optimizer)
    if scheduler is not None:
        cfg["scheduler"] = copy.deepcopy(scheduler)
    cfg.update(copy.deepcopy(extra))
    return cfg


def sched(kind, **params):
    return {"type": kind, "params": params}


AUTO4 = {"warmup_min_lr": "auto", "warmup_max_lr": "auto", "warmup_num_steps": "auto", "total_num_steps": "auto"}
AUTO3 = {"warmup_min_lr": "auto", "warmup_max_lr": "auto", "warmup_num_steps": "auto"}
AUTO_COS = {"warmup_num_steps": "auto", "total_num_steps": "auto"}


def cases():
    """``[(name, request, error_field or None)]``."""
    out = []

    def add(name, args, config, n, field=None):
        a = dict(args)
        a["deepspeed"] = config
        out.append((name, {"trainer": "transformers", "args": a, "dataset_size": n, "world_size": 1}, field))

    P = "/args/deepspeed/"

    # --- WarmupDecayLR ------------------------------------------------------------------
    add("WarmupDecayLR all auto, warmup_steps 3, n10 b1 g3 e2 (last group of 1 batch)",
        {"learning_rate": 0.01, "warmup_steps": 3, "num_train_epochs": 2, "per_device_train_batch_size": 1,
         "gradient_accumulation_steps": 3}, ds(sched("WarmupDecayLR", **AUTO4)), 10)
    add("WarmupDecayLR all auto, warmup ratio 0.2, max_steps 20",
        {"learning_rate": 0.1, "warmup_steps": 0.2, "max_steps": 20, "per_device_train_batch_size": 2}, ds(sched("WarmupDecayLR", **AUTO4)), 16)
    add("WarmupDecayLR all auto, warmup 0 (HF fills max(1, 0) = 1, DeepSpeed clamps to 2)",
        {"learning_rate": 0.1, "max_steps": 10, "per_device_train_batch_size": 2}, ds(sched("WarmupDecayLR", **AUTO4)), 8)
    add("WarmupDecayLR linear, explicit warmup_min_lr 0.001 (never checked), n12 b2 g2 e3",
        {"learning_rate": 0.05, "warmup_steps": 3, "num_train_epochs": 3, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2},
        ds(sched("WarmupDecayLR", warmup_min_lr=0.001, warmup_max_lr="auto", warmup_num_steps="auto",
                 total_num_steps="auto", warmup_type="linear")), 12)
    add("WarmupDecayLR all auto, HF AdamW (no optimizer block), linear warm-up",
        {"learning_rate": 0.05, "warmup_steps": 2, "max_steps": 12, "per_device_train_batch_size": 4},
        ds(sched("WarmupDecayLR", **AUTO4, warmup_type="linear"), optimizer=None), 20)
    add("WarmupDecayLR block wins over lr_scheduler_type cosine",
        {"learning_rate": 0.02, "lr_scheduler_type": "cosine", "warmup_steps": 4, "max_steps": 14,
         "per_device_train_batch_size": 2}, ds(sched("WarmupDecayLR", **AUTO4)), 10)
    add("WarmupDecayLR, explicit values that match (micro 2, gas 2, train_batch_size 4, max lr, warmup 2, total 8)",
        {"learning_rate": 0.03, "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2},
        ds(sched("WarmupDecayLR", warmup_min_lr=0, warmup_max_lr=0.03, warmup_num_steps=2, total_num_steps=8),
           batch={"train_micro_batch_size_per_gpu": 2, "gradient_accumulation_steps": 2, "train_batch_size": 4}), 16)
    add("WarmupDecayLR, total_num_steps 8.0 equals the computed 8 (Python ==)",
        {"learning_rate": 0.03, "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2},
        ds(sched("WarmupDecayLR", warmup_min_lr="auto", warmup_max_lr="auto", warmup_num_steps="auto",
                 total_num_steps=8.0, warmup_type="linear")), 16)
    add("WarmupDecayLR all auto, max_steps 7 over several epochs, n6 b2 g2 (last group of 1 batch)",
        {"learning_rate": 0.1, "warmup_steps": 2, "max_steps": 7, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2}, ds(sched("WarmupDecayLR", **AUTO4, warmup_type="linear")), 6)

    # --- WarmupLR -----------------------------------------------------------------------
    add("WarmupLR all auto, linear, warmup_steps 5, max_steps 15",
        {"learning_rate": 0.01, "warmup_steps": 5, "max_steps": 15, "per_device_train_batch_size": 2},
        ds(sched("WarmupLR", **AUTO3, warmup_type="linear")), 12)
    add("WarmupLR all auto, log, warmup ratio 0.25, n12 b2 g2 e3",
        {"learning_rate": 0.1, "warmup_steps": 0.25, "num_train_epochs": 3, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2}, ds(sched("WarmupLR", **AUTO3)), 12)
    add("WarmupLR all auto, warmup 0 (filled 1, DeepSpeed clamps to 2)",
        {"learning_rate": 0.1, "max_steps": 6, "per_device_train_batch_size": 2},
        ds(sched("WarmupLR", **AUTO3, warmup_type="linear")), 8)
    add("WarmupLR, explicit optimizer params that match (lr, betas, eps, weight_decay)",
        {"learning_rate": 0.02, "weight_decay": 0.01, "warmup_steps": 3, "max_steps": 8,
         "per_device_train_batch_size": 2},
        ds(sched("WarmupLR", **AUTO3, warmup_type="linear"),
           optimizer={"type": "AdamW", "params": {"lr": 0.02, "betas": [0.9, 0.999], "eps": 1e-08,
                                                  "weight_decay": 0.01, "torch_adam": True}}), 8)

    # --- WarmupCosineLR -----------------------------------------------------------------
    add("WarmupCosineLR auto steps, linear, warmup_min_ratio 0.1, cos_min_ratio 0.01, max_steps 20",
        {"learning_rate": 0.1, "warmup_steps": 4, "max_steps": 20, "per_device_train_batch_size": 2},
        ds(sched("WarmupCosineLR", **AUTO_COS, warmup_min_ratio=0.1, cos_min_ratio=0.01, warmup_type="linear")), 12)
    add("WarmupCosineLR auto steps, log defaults, warmup ratio 0.1, n10 b1 g3 e3 (last group of 1 batch)",
        {"learning_rate": 0.01, "warmup_steps": 0.1, "num_train_epochs": 3, "per_device_train_batch_size": 1,
         "gradient_accumulation_steps": 3}, ds(sched("WarmupCosineLR", **AUTO_COS)), 10)
    add("WarmupCosineLR auto steps, HF AdamW, num_train_epochs 1.5, n20 b2 g2",
        {"learning_rate": 0.05, "warmup_steps": 2, "num_train_epochs": 1.5, "per_device_train_batch_size": 2,
         "gradient_accumulation_steps": 2},
        ds(sched("WarmupCosineLR", **AUTO_COS, cos_min_ratio=0.1), optimizer=None), 20)

    # --- OneCycle (explicit params) -----------------------------------------------------
    add("OneCycle explicit 5+5 cycle then decay, AdamW auto, max_steps 20",
        {"learning_rate": 0.01, "max_steps": 20, "per_device_train_batch_size": 2},
        ds(sched("OneCycle", cycle_min_lr=0.001, cycle_max_lr=0.01, cycle_first_step_size=5,
                 cycle_second_step_size=5, decay_lr_rate=0.5, decay_step_size=2)), 10)
    add("OneCycle explicit stairs, HF AdamW, n10 b1 g4 e2 (last group of 2 batches)",
        {"learning_rate": 0.01, "num_train_epochs": 2, "per_device_train_batch_size": 1,
         "gradient_accumulation_steps": 4},
        ds(sched("OneCycle", cycle_min_lr=0.002, cycle_max_lr=0.02, cycle_first_step_size=2,
                 cycle_second_step_size=3, cycle_first_stair_count=2), optimizer=None), 10)

    # --- no scheduler block: the Trainer's own lr_scheduler_type -----------------------
    add("no scheduler block, AdamW block, linear, warmup 3, max_steps 12 (engine steps the HF scheduler)",
        {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 3, "max_steps": 12,
         "per_device_train_batch_size": 2}, ds(), 10)
    add("no scheduler block, AdamW block, cosine, warmup ratio 0.1, n10 b1 g3 e3 (last group of 1 batch)",
        {"learning_rate": 0.01, "lr_scheduler_type": "cosine", "warmup_steps": 0.1, "num_train_epochs": 3,
         "per_device_train_batch_size": 1, "gradient_accumulation_steps": 3}, ds(), 10)
    add("no scheduler block, AdamW block, constant_with_warmup, warmup 4",
        {"learning_rate": 0.05, "lr_scheduler_type": "constant_with_warmup", "warmup_steps": 4, "max_steps": 10,
         "per_device_train_batch_size": 2}, ds(), 10)
    add("no scheduler or optimizer block, linear, warmup 2, n10 b2 g2 e3 (Trainer steps its scheduler)",
        {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 2, "num_train_epochs": 3,
         "per_device_train_batch_size": 2, "gradient_accumulation_steps": 2}, ds(optimizer=None), 10)
    add("no scheduler or optimizer block, cosine, warmup ratio 0.2, max_steps 15",
        {"learning_rate": 0.05, "lr_scheduler_type": "cosine", "warmup_steps": 0.2, "max_steps": 15,
         "per_device_train_batch_size": 4}, ds(optimizer=None), 20)
    add("no scheduler or optimizer block, defaults (linear, lr 5e-5, 3 epochs, batch 8), n30",
        {}, ds(optimizer=None), 30)
    add("no scheduler block, explicit micro batch 4 and gas 1, no train_batch_size, linear",
        {"learning_rate": 0.1, "warmup_steps": 1, "num_train_epochs": 2, "per_device_train_batch_size": 4},
        ds(batch={"train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": 1}), 22)

    # --- refusals: HF's match checks -------------------------------------------------------
    base = {"learning_rate": 0.01, "warmup_steps": 3, "max_steps": 10, "per_device_train_batch_size": 2,
            "gradient_accumulation_steps": 2}
    add("error: explicit total_num_steps differs from the computed max_steps",
        base, ds(sched("WarmupDecayLR", warmup_min_lr="auto", warmup_max_lr="auto", warmup_num_steps="auto",
                       total_num_steps=100)), 8, P + "scheduler/params/total_num_steps")
    add("error: explicit warmup_max_lr differs from learning_rate",
        base, ds(sched("WarmupDecayLR", warmup_min_lr="auto", warmup_max_lr=0.02, warmup_num_steps="auto",
                       total_num_steps="auto")), 8, P + "scheduler/params/warmup_max_lr")
    add("error: explicit warmup_num_steps differs from warmup_steps",
        base, ds(sched("WarmupLR", warmup_min_lr="auto", warmup_max_lr="auto", warmup_num_steps=7)), 8,
        P + "scheduler/params/warmup_num_steps")
    add("error: explicit warmup_num_steps 0 differs from the filled max(1, 0)",
        {"learning_rate": 0.01, "max_steps": 10, "per_device_train_batch_size": 2},
        ds(sched("WarmupLR", warmup_min_lr="auto", warmup_max_lr="auto", warmup_num_steps=0)), 8,
        P + "scheduler/params/warmup_num_steps")
    add("error: explicit optimizer lr differs from learning_rate",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 optimizer={"type": "AdamW", "params": {"lr": 0.001, "torch_adam": True}}), 8,
        P + "optimizer/params/lr")
    add("error: explicit optimizer lr differs from the default learning_rate 5e-5",
        {"max_steps": 5, "per_device_train_batch_size": 2},
        ds(optimizer={"type": "AdamW", "params": {"lr": 0.001, "torch_adam": True}}), 8, P + "optimizer/params/lr")
    add("error: explicit optimizer betas differ",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 optimizer={"type": "AdamW", "params": {"lr": "auto", "betas": [0.9, 0.95], "torch_adam": True}}), 8,
        P + "optimizer/params/betas")
    add("error: explicit optimizer eps differs",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 optimizer={"type": "AdamW", "params": {"lr": "auto", "eps": 1e-06, "torch_adam": True}}), 8,
        P + "optimizer/params/eps")
    add("error: explicit optimizer weight_decay differs",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 optimizer={"type": "AdamW", "params": {"lr": "auto", "weight_decay": 0.1, "torch_adam": True}}), 8,
        P + "optimizer/params/weight_decay")
    add("error: explicit train_micro_batch_size_per_gpu differs from per_device_train_batch_size",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 batch={"train_micro_batch_size_per_gpu": 4, "gradient_accumulation_steps": "auto"}), 8,
        P + "train_micro_batch_size_per_gpu")
    add("error: explicit gradient_accumulation_steps differs",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 batch={"train_micro_batch_size_per_gpu": "auto", "gradient_accumulation_steps": 4}), 8,
        P + "gradient_accumulation_steps")
    add("error: explicit train_batch_size differs from micro * gas * world",
        base, ds(sched("WarmupDecayLR", **AUTO4),
                 batch={"train_micro_batch_size_per_gpu": "auto", "gradient_accumulation_steps": "auto",
                        "train_batch_size": 8}), 8, P + "train_batch_size")
    add("error: explicit gradient_clipping differs from max_grad_norm",
        base, ds(sched("WarmupDecayLR", **AUTO4), gradient_clipping=0.5), 8, P + "gradient_clipping")
    add("error: fp16.enabled true without fp16",
        base, ds(sched("WarmupDecayLR", **AUTO4), fp16={"enabled": True}), 8, P + "fp16/enabled")
    add("error: several mismatches are listed together",
        base, ds(sched("WarmupDecayLR", warmup_min_lr="auto", warmup_max_lr=0.5, warmup_num_steps=1,
                       total_num_steps=99),
                 optimizer={"type": "AdamW", "params": {"lr": 0.5, "torch_adam": True}},
                 batch={"train_micro_batch_size_per_gpu": 3, "gradient_accumulation_steps": "auto"}), 8)

    # --- refusals: DeepSpeed / accelerate ---------------------------------------------------
    add("error: WarmupCosineLR takes no warmup_max_lr (HF fills the auto, DeepSpeed refuses it)",
        base, ds(sched("WarmupCosineLR", warmup_max_lr="auto", warmup_num_steps="auto", total_num_steps="auto")), 8,
        P + "scheduler/params/warmup_max_lr")
    add("error: WarmupLR takes no total_num_steps (HF fills the auto, DeepSpeed refuses it)",
        base, ds(sched("WarmupLR", warmup_num_steps="auto", total_num_steps="auto")), 8,
        P + "scheduler/params/total_num_steps")
    add("error: OneCycle cycle_max_lr auto is not filled by HF",
        base, ds(sched("OneCycle", cycle_min_lr=0.001, cycle_max_lr="auto", cycle_first_step_size=2)), 8,
        P + "scheduler/params/cycle_max_lr")
    add("error: no zero_optimization section",
        base, ds(sched("WarmupDecayLR", **AUTO4), zero=None), 8, P + "zero_optimization")
    return out


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="fixture file (default: %(default)s)")
    parser.add_argument("--only", help="run the cases whose name contains this; print, do not write")
    parser.add_argument("-v", "--verbose", action="store_true")
    opts = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    quiet()
    import accelerate
    import deepspeed
    import transformers

    versions = {
        "transformers": transformers.__version__.split("+")[0],
        "deepspeed": deepspeed.__version__.split("+")[0],
        "accelerate": accelerate.__version__.split("+")[0],
        "torch": torch.__version__.split("+")[0],
    }
    if versions != EXPECTED:
        print(f"warning: installed {versions}, fixtures expect {EXPECTED}", file=sys.stderr)

    out = []
    names = set()
    for name, request, field in cases():
        if opts.only and opts.only not in name:
            continue
        assert name not in names, name
        names.add(name)
        request = roundtrip(request)
        result = run_case(request, verbose=opts.verbose)
        expect_error = name.startswith("error:")
        if expect_error != ("error" in result):
            raise SystemExit(f"case {name!r}: unexpected result {result}")
        case = {"name": name, "request": request, **result}
        if "error" in result and field is not None:
            case["error_field"] = field
        out.append(case)
        shown = f"{len(result['lrs'])} updates" if "lrs" in result else result["error"].replace("\n", " | ")
        print(f"  {name}: {shown}", flush=True)
        if opts.verbose and "lrs" in result:
            print(f"    lrs={result['lrs']}")
    valid = sum(1 for c in out if "lrs" in c)
    print(f"{len(out)} cases: {valid} with lrs, {len(out) - valid} errors")
    if opts.only:
        return 0
    os.makedirs(os.path.dirname(opts.out), exist_ok=True)
    dump_fixture(opts.out, {**versions, "trainer": "transformers"}, out)
    print(f"wrote {opts.out} ({os.path.getsize(opts.out):,d} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
