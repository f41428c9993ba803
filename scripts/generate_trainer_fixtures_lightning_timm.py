#!/usr/bin/env python3
"""Generate golden trainer fixtures from real Lightning and real timm.

What it does
------------
Builds two lists of ``"trainer"`` requests (each exactly a request body the lrsched service
accepts), runs every request through the installed packages on the CPU and writes

    Tests/SchedulesTests/Fixtures/trainers/lightning.json
    Tests/SchedulesTests/Fixtures/trainers/timm.json

one case per line: ``{"name", "request", "lrs", "plan"}`` for a run, or
``{"name", "request", "error", "error_field"}`` when the library raises (``error`` is
``"<ExceptionClass>: <message>"``, ``error_field`` the JSON pointer of the request member at
fault). ``lrs[k]`` is ``optimizer.param_groups[0]["lr"]`` when optimizer update k + 1 of the run
happens (exactly one value per real ``optimizer.step()``). Every float is written with Python's
``repr`` (via ``json.dumps``), which round-trips exactly.

Lightning (``"trainer": "lightning"``)
    A real ``lightning.pytorch.Trainer(...).fit`` on the CPU of a tiny ``LightningModule``
    (``nn.Linear(1, 1)``, MSE loss) over a ``DataLoader`` of a seeded synthetic ``TensorDataset``
    with exactly ``batches_per_epoch`` batches (batch size 2, no shuffling), with
    ``enable_checkpointing=False, logger=False, enable_progress_bar=False,
    enable_model_summary=False, num_sanity_val_steps=0`` and no validation.
    ``configure_optimizers`` returns ``{"optimizer": SGD(lr), "lr_scheduler": <the request's
    dict with its "scheduler" spec built by fixture_support.build_scheduler>}``. The LR is read in
    ``on_before_optimizer_step``. ``plan`` holds ``trainer.estimated_stepping_batches``, the
    updates taken, ``trainer.num_training_batches``, the number of epochs in which this fit took
    at least one update, and the scheduler's final ``last_epoch``.
    A ``resume`` case first runs the checkpointed configuration (``resume``'s ``lr``,
    ``lr_scheduler``, ``trainer_args``) with ``ModelCheckpoint(every_n_train_steps=from_update)``,
    then a new module and a new ``Trainer`` built from the top-level configuration call
    ``fit(model, ckpt_path=<the checkpoint written after update from_update>)``; ``lrs`` are the
    updates of the resumed fit only (updates from_update + 1, ...). When the checkpointed run
    ends exactly at ``from_update``, the script also resumes from ``trainer.save_checkpoint``
    written after its ``fit`` and checks that both give the same ``lrs`` and ``plan``.

timm (``"trainer": "timm"``)
    timm's real ``create_scheduler_v2(optimizer, **scheduler_kwargs(args), updates_per_epoch)``
    with ``args`` parsed by an ``argparse`` parser that copies train.py's schedule options
    (types and defaults of huggingface/pytorch-image-models@aa4b585; timm's wheel and sdist do not
    ship train.py), then train.py's call sequence on ``SGD([Parameter(zeros(1))], lr=args.lr)``::

        args.grad_accum_steps = max(1, args.grad_accum_steps)
        if not args.lr: args.lr = lr_base * ratio (ratio ** 0.5 when lr_base_scale is 'sqrt', its
                                   default for 'ada'/'lamb' optimizers), ratio =
                                   batch_size * world_size * grad_accum_steps / lr_base_size
        upe = (batches_per_epoch + grad_accum_steps - 1) // grad_accum_steps
        scheduler, num_epochs = create_scheduler_v2(...)
        if scheduler and start_epoch > 0: step_update(start_epoch * upe) if sched_on_updates
                                          else step(start_epoch)
        for epoch in range(start_epoch, num_epochs):
            num_updates = epoch * upe
            for each of the upe updates: RECORD lr; num_updates += 1; scheduler.step_update(num_updates)
            scheduler.step(epoch + 1)

    ``plan`` holds ``updates_per_epoch``, the returned ``num_epochs``, the updates recorded, the
    resolved peak LR and the scheduler (its class and the keyword arguments create_scheduler_v2
    passed to it, captured by wrapping the classes in ``timm.scheduler.scheduler_factory``).

How to run
----------
From the repository root, with torch 2.15.0, lightning 2.6.6 and timm 1.0.31 installed::

    python3 scripts/generate_trainer_fixtures_lightning_timm.py [--out DIR] [--only lightning|timm]

Deterministic: every dataset and model comes from fixed seeds, there are no clocks in the output
(the temporary checkpoint directory is never recorded), timm's LR noise is seeded from ``seed``.
CPU only; about 15 s on 2 cores (imports included), most of it Lightning's per-fit overhead.
Every case is checked as it runs: an error case must raise and a run must not; a resume whose
checkpointed run ends at ``from_update`` must give the same answer from both checkpoints; a
OneCycleLR ``total_steps`` meant to be ``estimated_stepping_batches`` must equal the value the
trainer reports inside ``configure_optimizers``.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import sys
import tempfile
import time
import warnings

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, SCRIPTS)

from fixture_support import build_scheduler, dump_fixture, format_exception, roundtrip  # noqa: E402

REPO_ROOT = os.path.dirname(SCRIPTS)
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "trainers")
EXPECTED = {"torch": "2.15.0", "lightning": "2.6.6", "timm": "1.0.31"}


def plain_version(v: str) -> str:
    return v.split("+")[0]


# ===========================================================================
# Lightning
# ===========================================================================

BATCH_SIZE = 2


def _quiet_lightning():
    for name in ("lightning", "lightning.pytorch", "lightning.fabric", "pytorch_lightning", "lightning_fabric"):
        logging.getLogger(name).setLevel(logging.ERROR)
        logging.getLogger(name).propagate = False


def _make_module_class():
    import torch
    import lightning.pytorch as pl

    class FixtureModule(pl.LightningModule):
        """nn.Linear(1, 1) with MSE; records the LR of every optimizer update."""

        def __init__(self, lr, lr_scheduler):
            super().__init__()
            self.layer = torch.nn.Linear(1, 1)
            self.fixture_lr = lr
            self.fixture_sched = lr_scheduler
            self.recorded = []  # (lr, epoch) per optimizer update
            self.built_scheduler = None

        def training_step(self, batch, batch_idx):
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x), y)

        def on_before_optimizer_step(self, optimizer):
            self.recorded.append((float(optimizer.param_groups[0]["lr"]), self.trainer.current_epoch))

        def configure_optimizers(self):
            optimizer = torch.optim.SGD(self.parameters(), lr=self.fixture_lr)
            cfg = {k: v for k, v in self.fixture_sched.items() if k != "scheduler"}
            if "scheduler" in self.fixture_sched:
                spec = self.fixture_sched["scheduler"]
                if spec["scheduler"] == "OneCycleLR" and "total_steps" in spec.get("params", {}):
                    # the requests write estimated_stepping_batches out; make sure they match when meant to
                    self.onecycle_total = spec["params"]["total_steps"]
                    self.estimated_at_configure = self.trainer.estimated_stepping_batches
                self.built_scheduler = build_scheduler(optimizer, spec["scheduler"], spec.get("params", {}))
                cfg["scheduler"] = self.built_scheduler
            return {"optimizer": optimizer, "lr_scheduler": cfg}

    return FixtureModule


def _loader(batches: int):
    import torch

    g = torch.Generator().manual_seed(1234)
    x = torch.rand(batches * BATCH_SIZE, 1, generator=g) * 2 - 1
    y = 2 * x + 0.5
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=BATCH_SIZE, shuffle=False)


def _trainer(trainer_args: dict, callbacks=(), root=None):
    import lightning.pytorch as pl

    return pl.Trainer(
        accelerator="cpu",
        devices=1,
        enable_checkpointing=bool(callbacks),
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        callbacks=list(callbacks),
        default_root_dir=root,
        **trainer_args,
    )


def _fit(module_cls, batches, lr, lr_scheduler, trainer_args, callbacks=(), root=None, ckpt_path=None):
    import torch

    torch.manual_seed(0)
    module = module_cls(lr, lr_scheduler)
    trainer = _trainer(trainer_args, callbacks, root)
    trainer.fit(module, _loader(batches), ckpt_path=ckpt_path)
    return module, trainer


def _lightning_result(module, trainer) -> dict:
    lrs = [lr for lr, _ in module.recorded]
    est = trainer.estimated_stepping_batches
    ntb = trainer.num_training_batches
    assert isinstance(est, int) and isinstance(ntb, int), (est, ntb)
    sched = trainer.lr_scheduler_configs[0].scheduler
    if hasattr(module, "onecycle_total"):
        module.onecycle_checked = module.onecycle_total == module.estimated_at_configure
    return {
        "lrs": lrs,
        "plan": {
            "estimated_stepping_batches": est,
            "total_updates": len(lrs),
            "batches_per_epoch": ntb,
            "epochs": len({e for _, e in module.recorded}),
            "scheduler_steps": int(sched.last_epoch),
        },
    }


def run_lightning(request: dict, error_field=None, onecycle_is_estimate=True) -> dict:
    """Run one Lightning request; returns the case body (without name and request)."""
    module_cls = _make_module_class()
    batches = request["batches_per_epoch"]
    root = tempfile.mkdtemp(prefix="lrsched-lightning-")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                if "resume" not in request:
                    module, trainer = _fit(module_cls, batches, request["lr"], request["lr_scheduler"],
                                           request.get("trainer_args", {}), root=root)
                    out = _lightning_result(module, trainer)
                    assert trainer.global_step == len(out["lrs"])
                else:
                    out = _run_lightning_resume(module_cls, request, root)
                    module = None
            except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
                assert error_field is not None, f"unexpected error: {format_exception(exc)}"
                return {"error": format_exception(exc), "error_field": error_field}
        assert error_field is None, f"expected an error at {error_field}, the run succeeded"
        if module is not None and hasattr(module, "onecycle_checked"):
            assert module.onecycle_checked == onecycle_is_estimate, (module.onecycle_total, module.estimated_at_configure)
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run_lightning_resume(module_cls, request: dict, root: str) -> dict:
    from lightning.pytorch.callbacks import ModelCheckpoint

    old = request["resume"]
    k = old["from_update"]
    batches = request["batches_per_epoch"]
    ckpt_dir = os.path.join(root, "ckpt")
    cb = ModelCheckpoint(dirpath=ckpt_dir, every_n_train_steps=k, save_top_k=-1, filename="{step}")
    old_module, old_trainer = _fit(module_cls, batches, old["lr"], old["lr_scheduler"], old["trainer_args"],
                                   callbacks=[cb], root=root)
    path = os.path.join(ckpt_dir, f"step={k}.ckpt")
    assert os.path.exists(path), (k, sorted(os.listdir(ckpt_dir)))
    module, trainer = _fit(module_cls, batches, request["lr"], request["lr_scheduler"],
                           request.get("trainer_args", {}), root=root, ckpt_path=path)
    out = _lightning_result(module, trainer)
    assert trainer.global_step == k + len(out["lrs"]), (trainer.global_step, k, len(out["lrs"]))
    if old_trainer.global_step == k:
        # the same resume from trainer.save_checkpoint after the checkpointed fit ended
        path2 = os.path.join(root, "after_fit.ckpt")
        old_trainer.save_checkpoint(path2)
        module2, trainer2 = _fit(module_cls, batches, request["lr"], request["lr_scheduler"],
                                 request.get("trainer_args", {}), root=root, ckpt_path=path2)
        out2 = _lightning_result(module2, trainer2)
        assert out2 == out, ("ModelCheckpoint and save_checkpoint resumes differ", out, out2)
    return out


def estimated_stepping_batches(batches: int, trainer_args: dict) -> int:
    """Lightning's formula, used to write OneCycleLR's total_steps into a request (checked against
    trainer.estimated_stepping_batches inside configure_optimizers)."""
    max_epochs = trainer_args.get("max_epochs")
    max_steps = trainer_args.get("max_steps", -1)
    acc = trainer_args.get("accumulate_grad_batches", 1)
    limit = trainer_args.get("limit_train_batches", 1.0)
    ntb = min(batches, limit) if isinstance(limit, int) else int(batches * limit)
    if max_epochs is None:
        max_epochs = 1000 if max_steps == -1 else -1
    if max_epochs == -1:
        return max_steps
    total = math.ceil(ntb / acc) * max(max_epochs, 1)
    return min(total, max_steps) if max_steps != -1 else total


def L(lr, batches, trainer_args, scheduler, params, interval=None, frequency=None, extra=None, resume=None):
    """A Lightning request with a stable key order."""
    sched = {"scheduler": {"scheduler": scheduler, "params": params}}
    if interval is not None:
        sched["interval"] = interval
    if frequency is not None:
        sched["frequency"] = frequency
    if extra:
        sched.update(extra)
    req = {"trainer": "lightning", "lr": lr, "batches_per_epoch": batches, "trainer_args": trainer_args,
           "lr_scheduler": sched}
    if resume is not None:
        req["resume"] = resume
    return req


def lightning_cases():
    """(name, request, error_field or None, onecycle_is_estimate)."""
    cases = []

    def add(name, req, error_field=None, onecycle_is_estimate=True):
        cases.append((name, req, error_field, onecycle_is_estimate))

    lam = "1/(epoch+1)"
    e3 = {"max_epochs": 3}

    def onecycle(batches, targs, **params):
        return dict({"max_lr": 0.1, "total_steps": estimated_stepping_batches(batches, targs)}, **params)

    # --- interval step, frequency 1, every scheduler ---------------------------------------------
    add("step: StepLR", L(0.1, 10, e3, "StepLR", {"step_size": 4, "gamma": 0.5}, "step"))
    add("step: MultiStepLR", L(0.1, 10, e3, "MultiStepLR", {"milestones": [5, 12, 20], "gamma": 0.3}, "step"))
    add("step: CosineAnnealingLR", L(0.1, 10, e3, "CosineAnnealingLR", {"T_max": 30, "eta_min": 0.001}, "step"))
    add("step: CosineAnnealingLR past T_max", L(0.05, 7, e3, "CosineAnnealingLR", {"T_max": 12}, "step"))
    add("step: OneCycleLR total_steps = estimated_stepping_batches",
        L(0.1, 10, e3, "OneCycleLR", onecycle(10, e3), "step"))
    add("step: OneCycleLR three_phase linear",
        L(0.1, 9, {"max_epochs": 2}, "OneCycleLR",
          onecycle(9, {"max_epochs": 2}, three_phase=True, anneal_strategy="linear", pct_start=0.4), "step"))
    add("step: LinearLR", L(0.1, 10, e3, "LinearLR", {"start_factor": 0.1, "total_iters": 8}, "step"))
    add("step: ExponentialLR", L(0.1, 10, e3, "ExponentialLR", {"gamma": 0.9}, "step"))
    add("step: LambdaLR", L(0.1, 10, e3, "LambdaLR", {"lr_lambda": lam}, "step"))
    add("step: CosineAnnealingWarmRestarts", L(0.1, 10, e3, "CosineAnnealingWarmRestarts",
                                               {"T_0": 5, "T_mult": 2, "eta_min": 0.001}, "step"))
    add("step: CosineAnnealingWarmRestarts, one batch per epoch",
        L(0.2, 1, {"max_epochs": 8}, "CosineAnnealingWarmRestarts", {"T_0": 3}, "step"))

    # --- interval epoch ---------------------------------------------------------------------------
    add("epoch (default interval): StepLR", L(0.1, 5, {"max_epochs": 4}, "StepLR", {"step_size": 1, "gamma": 0.5}))
    add("epoch: MultiStepLR", L(0.1, 5, {"max_epochs": 5}, "MultiStepLR", {"milestones": [1, 3]}, "epoch"))
    add("epoch: CosineAnnealingLR", L(0.1, 4, {"max_epochs": 6}, "CosineAnnealingLR", {"T_max": 4}, "epoch", 1))
    add("epoch: LinearLR", L(0.1, 3, {"max_epochs": 5}, "LinearLR", {"start_factor": 0.25, "total_iters": 3}, "epoch"))
    add("epoch: CosineAnnealingWarmRestarts", L(0.1, 3, {"max_epochs": 7}, "CosineAnnealingWarmRestarts",
                                                {"T_0": 2, "T_mult": 2}, "epoch"))
    add("epoch: OneCycleLR with interval epoch (Lightning only warns)",
        L(0.1, 4, {"max_epochs": 5}, "OneCycleLR", {"max_lr": 0.1, "total_steps": 5}, "epoch"),
        onecycle_is_estimate=False)
    add("epoch: frequency 2 ExponentialLR", L(0.1, 4, {"max_epochs": 5}, "ExponentialLR", {"gamma": 0.5}, "epoch", 2))
    add("epoch: frequency 3 LambdaLR", L(0.1, 3, {"max_epochs": 7}, "LambdaLR", {"lr_lambda": lam}, "epoch", 3))

    # --- frequency with interval step (counted on batch_idx + 1 within the epoch) -----------------
    add("step: frequency 2", L(0.1, 10, {"max_epochs": 2}, "LambdaLR", {"lr_lambda": lam}, "step", 2))
    add("step: frequency 3 (counter resets each epoch)", L(0.1, 10, {"max_epochs": 2}, "LambdaLR",
                                                           {"lr_lambda": lam}, "step", 3))
    add("step: frequency 4, 7 batches", L(0.1, 7, e3, "StepLR", {"step_size": 1, "gamma": 0.8}, "step", 4))
    add("step: frequency 15 > batches per epoch (never steps)", L(0.1, 10, e3, "ExponentialLR", {"gamma": 0.5},
                                                                  "step", 15))
    add("step: frequency 2, accumulate 4 (every update steps)",
        L(0.1, 10, {"max_epochs": 2, "accumulate_grad_batches": 4}, "LambdaLR", {"lr_lambda": lam}, "step", 2))
    add("step: frequency 2, accumulate 3",
        L(0.1, 10, {"max_epochs": 2, "accumulate_grad_batches": 3}, "LambdaLR", {"lr_lambda": lam}, "step", 2))
    add("step: frequency 3, accumulate 2, 9 batches",
        L(0.1, 9, {"max_epochs": 3, "accumulate_grad_batches": 2}, "CosineAnnealingLR", {"T_max": 6}, "step", 3))

    # --- accumulate_grad_batches (the last partial group of an epoch steps too) -------------------
    add("accumulate 3, 10 batches: LambdaLR",
        L(0.1, 10, {"max_epochs": 3, "accumulate_grad_batches": 3}, "LambdaLR", {"lr_lambda": lam}, "step"))
    add("accumulate 4, 10 batches: CosineAnnealingLR",
        L(0.1, 10, {"max_epochs": 3, "accumulate_grad_batches": 4}, "CosineAnnealingLR", {"T_max": 9}, "step"))
    add("accumulate 4, 10 batches, epoch: StepLR",
        L(0.1, 10, {"max_epochs": 3, "accumulate_grad_batches": 4}, "StepLR", {"step_size": 1, "gamma": 0.5},
          "epoch"))
    t = {"max_epochs": 4, "accumulate_grad_batches": 3}
    add("accumulate 3, 7 batches: OneCycleLR", L(0.1, 7, t, "OneCycleLR", onecycle(7, t), "step"))
    add("accumulate 7 > 5 batches", L(0.1, 5, {"max_epochs": 3, "accumulate_grad_batches": 7}, "ExponentialLR",
                                      {"gamma": 0.5}, "step"))
    add("accumulate 1 explicit: MultiStepLR",
        L(0.3, 6, {"max_epochs": 2, "accumulate_grad_batches": 1}, "MultiStepLR", {"milestones": [2, 3, 9]}, "step"))

    # --- limit_train_batches -----------------------------------------------------------------------
    add("limit 0.5 of 10", L(0.1, 10, {"max_epochs": 3, "limit_train_batches": 0.5}, "LambdaLR",
                             {"lr_lambda": lam}, "step"))
    add("limit 0.25 of 10 (int(2.5) = 2)", L(0.1, 10, {"max_epochs": 3, "limit_train_batches": 0.25},
                                             "StepLR", {"step_size": 3, "gamma": 0.5}, "step"))
    add("limit int 3 of 10", L(0.1, 10, {"max_epochs": 3, "limit_train_batches": 3}, "ExponentialLR",
                               {"gamma": 0.9}, "step"))
    add("limit int 20 of 10 (capped)", L(0.1, 10, {"max_epochs": 2, "limit_train_batches": 20},
                                         "CosineAnnealingLR", {"T_max": 20}, "step"))
    add("limit 0.5 with accumulate 3", L(0.1, 10, {"max_epochs": 3, "limit_train_batches": 0.5,
                                                   "accumulate_grad_batches": 3}, "LambdaLR", {"lr_lambda": lam},
                                         "step"))
    t = {"max_epochs": 3, "limit_train_batches": 0.5}
    add("limit 0.5: OneCycleLR", L(0.1, 10, t, "OneCycleLR", onecycle(10, t), "step"))
    add("limit 0.7, epoch frequency 2", L(0.1, 10, {"max_epochs": 5, "limit_train_batches": 0.7}, "StepLR",
                                          {"step_size": 1, "gamma": 0.5}, "epoch", 2))

    # --- max_steps ---------------------------------------------------------------------------------
    add("max_steps 15 cuts epoch 2", L(0.1, 10, {"max_epochs": 3, "max_steps": 15}, "CosineAnnealingLR",
                                       {"T_max": 15}, "step"))
    add("max_steps 13, accumulate 2", L(0.1, 10, {"max_epochs": 5, "max_steps": 13, "accumulate_grad_batches": 2},
                                        "LambdaLR", {"lr_lambda": lam}, "step"))
    add("max_steps 10 at an epoch end, epoch interval", L(0.1, 5, {"max_epochs": 4, "max_steps": 10}, "StepLR",
                                                          {"step_size": 1, "gamma": 0.5}, "epoch"))
    add("max_steps 7 mid-epoch, epoch interval", L(0.1, 5, {"max_epochs": 4, "max_steps": 7}, "StepLR",
                                                   {"step_size": 1, "gamma": 0.5}, "epoch"))
    t = {"max_epochs": -1, "max_steps": 12}
    add("max_epochs -1, max_steps 12: OneCycleLR", L(0.1, 5, t, "OneCycleLR", onecycle(5, t), "step"))
    add("max_steps 100 > epochs allow", L(0.1, 4, {"max_epochs": 2, "max_steps": 100}, "LinearLR",
                                          {"start_factor": 0.5, "total_iters": 4}, "step"))
    add("max_epochs 0: no update", L(0.1, 5, {"max_epochs": 0}, "StepLR", {"step_size": 1}, "step"))
    add("max_steps only (max_epochs unset)", L(0.1, 4, {"max_steps": 9}, "ExponentialLR", {"gamma": 0.8}, "step"))

    # --- a plateau scheduler whose metric is never logged, strict False: warns and never steps ----
    add("ReduceLROnPlateau, monitor missing, strict false",
        L(0.1, 4, {"max_epochs": 3}, "ReduceLROnPlateau", {"patience": 0}, "epoch",
          extra={"monitor": "val_loss", "strict": False}))

    # --- resume ------------------------------------------------------------------------------------
    def R(k, lr, trainer_args, sched):
        return {"from_update": k, "trainer_args": trainer_args, "lr_scheduler": sched, "lr": lr}

    def sched_dict(name, params, interval=None, frequency=None):
        d = {"scheduler": {"scheduler": name, "params": params}}
        if interval is not None:
            d["interval"] = interval
        if frequency is not None:
            d["frequency"] = frequency
        return d

    add("resume: CosineAnnealingLR T_max 10 -> 20 (old T_max wins)",
        L(0.1, 5, {"max_epochs": 4}, "CosineAnnealingLR", {"T_max": 20}, "step",
          resume=R(10, 0.1, {"max_epochs": 2}, sched_dict("CosineAnnealingLR", {"T_max": 10}, "step"))))
    add("resume: mid-run checkpoint at an epoch end (every_n_train_steps), CosineAnnealingLR",
        L(0.1, 5, {"max_epochs": 6}, "CosineAnnealingLR", {"T_max": 30}, "step",
          resume=R(10, 0.1, {"max_epochs": 4}, sched_dict("CosineAnnealingLR", {"T_max": 20}, "step"))))
    add("resume: OneCycleLR longer run, old total_steps wins, stepping past it raises",
        L(0.1, 5, {"max_epochs": 4}, "OneCycleLR", {"max_lr": 0.1, "total_steps": 20}, "step",
          resume=R(10, 0.1, {"max_epochs": 2}, sched_dict("OneCycleLR", {"max_lr": 0.1, "total_steps": 10}, "step"))),
        error_field="/resume/lr_scheduler/scheduler/params/total_steps")
    add("resume: OneCycleLR same length, from mid-run",
        L(0.1, 5, {"max_epochs": 4}, "OneCycleLR", {"max_lr": 0.1, "total_steps": 20}, "step",
          resume=R(10, 0.1, {"max_epochs": 4}, sched_dict("OneCycleLR", {"max_lr": 0.1, "total_steps": 20}, "step"))))
    add("resume: StepLR epoch, new step_size and lr ignored",
        L(0.5, 4, {"max_epochs": 6}, "StepLR", {"step_size": 3, "gamma": 0.1}, "epoch",
          resume=R(8, 0.1, {"max_epochs": 2}, sched_dict("StepLR", {"step_size": 1, "gamma": 0.5}, "epoch"))))
    add("resume: MultiStepLR new milestones",
        L(0.1, 5, {"max_epochs": 5}, "MultiStepLR", {"milestones": [12, 18], "gamma": 0.5}, "step",
          resume=R(10, 0.1, {"max_epochs": 2}, sched_dict("MultiStepLR", {"milestones": [4, 14], "gamma": 0.5},
                                                            "step"))))
    add("resume: LambdaLR new lambda applies (the function is not saved)",
        L(0.2, 5, {"max_epochs": 4}, "LambdaLR", {"lr_lambda": "0.5 ** epoch"}, "step",
          resume=R(10, 0.1, {"max_epochs": 2}, sched_dict("LambdaLR", {"lr_lambda": lam}, "step"))))
    add("resume: ExponentialLR new gamma and lr",
        L(1.0, 4, {"max_epochs": 5}, "ExponentialLR", {"gamma": 0.5}, "step",
          resume=R(8, 0.1, {"max_epochs": 2}, sched_dict("ExponentialLR", {"gamma": 0.9}, "step"))))
    add("resume: mid-epoch checkpoint, frequency 2 continues within the epoch",
        L(0.1, 5, {"max_epochs": 3}, "LambdaLR", {"lr_lambda": lam}, "step", 2,
          resume=R(7, 0.1, {"max_epochs": 3}, sched_dict("LambdaLR", {"lr_lambda": lam}, "step", 2))))
    add("resume: mid-epoch checkpoint, epoch interval",
        L(0.1, 5, {"max_epochs": 4}, "StepLR", {"step_size": 1, "gamma": 0.5}, "epoch",
          resume=R(8, 0.1, {"max_epochs": 4}, sched_dict("StepLR", {"step_size": 1, "gamma": 0.5}, "epoch"))))
    add("resume: interval epoch -> step and frequency change take effect",
        L(0.1, 4, {"max_epochs": 4}, "ExponentialLR", {"gamma": 0.9}, "step", 2,
          resume=R(8, 0.1, {"max_epochs": 2}, sched_dict("ExponentialLR", {"gamma": 0.9}, "epoch"))))
    add("resume: accumulate 3 -> 2",
        L(0.1, 10, {"max_epochs": 4, "accumulate_grad_batches": 2}, "CosineAnnealingLR", {"T_max": 40}, "step",
          resume=R(8, 0.1, {"max_epochs": 2, "accumulate_grad_batches": 3},
                   sched_dict("CosineAnnealingLR", {"T_max": 16}, "step"))))
    add("resume: CosineAnnealingWarmRestarts new T_0 ignored",
        L(0.1, 5, {"max_epochs": 4}, "CosineAnnealingWarmRestarts", {"T_0": 7}, "step",
          resume=R(10, 0.1, {"max_epochs": 2}, sched_dict("CosineAnnealingWarmRestarts", {"T_0": 3}, "step"))))

    # --- errors ------------------------------------------------------------------------------------
    add("error: interval batch", L(0.1, 5, {"max_epochs": 2}, "StepLR", {"step_size": 1}, "batch"),
        error_field="/lr_scheduler/interval")
    add("error: ReduceLROnPlateau without monitor", L(0.1, 5, {"max_epochs": 2}, "ReduceLROnPlateau", {}, "epoch"),
        error_field="/lr_scheduler/monitor")
    add("error: ReduceLROnPlateau monitor never logged (strict)",
        L(0.1, 5, {"max_epochs": 2}, "ReduceLROnPlateau", {}, "epoch", extra={"monitor": "val_loss"}),
        error_field="/lr_scheduler/monitor")
    add("error: frequency 0", L(0.1, 5, {"max_epochs": 2}, "StepLR", {"step_size": 1}, "step", 0),
        error_field="/lr_scheduler/frequency")
    add("error: accumulate_grad_batches 0",
        L(0.1, 5, {"max_epochs": 2, "accumulate_grad_batches": 0}, "StepLR", {"step_size": 1}, "step"),
        error_field="/trainer_args/accumulate_grad_batches")
    add("error: limit_train_batches 0.1 of 5 (< 1 batch)",
        L(0.1, 5, {"max_epochs": 2, "limit_train_batches": 0.1}, "StepLR", {"step_size": 1}, "step"),
        error_field="/trainer_args/limit_train_batches")
    add("error: OneCycleLR total_steps below the updates",
        L(0.1, 5, {"max_epochs": 2}, "OneCycleLR", {"max_lr": 0.1, "total_steps": 6}, "step"),
        error_field="/lr_scheduler/scheduler/params/total_steps")
    req = L(0.1, 5, {"max_epochs": 2}, "StepLR", {"step_size": 1}, "step")
    del req["lr_scheduler"]["scheduler"]
    add("error: lr_scheduler dict without scheduler", req, error_field="/lr_scheduler/scheduler")
    return cases


def build_lightning(only_names=None):
    import lightning
    import torch

    _quiet_lightning()
    header = {"lightning": plain_version(lightning.__version__), "torch": plain_version(torch.__version__),
              "trainer": "lightning"}
    cases = []
    names = set()
    for name, req, error_field, onecycle_is_estimate in lightning_cases():
        assert name not in names, name
        names.add(name)
        if only_names and name not in only_names:
            continue
        req = roundtrip(req)
        body = run_lightning(req, error_field, onecycle_is_estimate)
        cases.append({"name": name, "request": req, **body})
    return header, cases


# ===========================================================================
# timm
# ===========================================================================


def train_py_parser() -> argparse.ArgumentParser:
    """train.py's options that reach the LR (huggingface/pytorch-image-models@aa4b585 train.py,
    same names, types, nargs and defaults). ``lr_decay_fn`` / ``lr_stable_timescale`` are read by
    timm 1.0.31's ``scheduler_kwargs`` (``getattr(cfg, 'lr_decay_fn', None)``) and set by its
    sweep tooling; their argparse default is taken to be None, the same as the getattr fallback."""
    p = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    p.add_argument("-b", "--batch-size", type=int, default=128)
    p.add_argument("--grad-accum-steps", type=int, default=1)
    p.add_argument("--opt", default="sgd", type=str)
    p.add_argument("--sched", type=str, default="cosine")
    p.add_argument("--sched-on-updates", action="store_true", default=False)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--lr-base", type=float, default=0.1)
    p.add_argument("--lr-base-size", type=int, default=256)
    p.add_argument("--lr-base-scale", type=str, default="")
    p.add_argument("--lr-noise", type=float, nargs="+", default=None)
    p.add_argument("--lr-noise-pct", type=float, default=0.67)
    p.add_argument("--lr-noise-std", type=float, default=1.0)
    p.add_argument("--lr-cycle-mul", type=float, default=1.0)
    p.add_argument("--lr-cycle-decay", type=float, default=0.5)
    p.add_argument("--lr-cycle-limit", type=int, default=1)
    p.add_argument("--lr-k-decay", type=float, default=1.0)
    p.add_argument("--lr-decay-fn", type=str, default=None)
    p.add_argument("--lr-stable-timescale", type=float, default=None)
    p.add_argument("--warmup-lr", type=float, default=1e-5)
    p.add_argument("--min-lr", type=float, default=0)
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--start-epoch", default=None, type=int)
    p.add_argument("--decay-milestones", default=[90, 180, 270], type=int, nargs="+")
    p.add_argument("--decay-epochs", type=float, default=90)
    p.add_argument("--warmup-epochs", type=int, default=5)
    p.add_argument("--warmup-prefix", action="store_true", default=False)
    p.add_argument("--cooldown-epochs", type=int, default=0)
    p.add_argument("--patience-epochs", type=int, default=10)
    p.add_argument("--decay-rate", "--dr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--eval-metric", default="top1", type=str)
    return p


BOOL_OPTIONS = {"sched_on_updates", "warmup_prefix"}


def args_to_argv(args: dict) -> list:
    argv = []
    for key, value in args.items():
        flag = "--" + key.replace("_", "-")
        if key in BOOL_OPTIONS:
            assert isinstance(value, bool), (key, value)
            if value:
                argv.append(flag)
        elif value is None:
            continue  # the option's default (None for lr / lr_noise / start_epoch)
        elif isinstance(value, list):
            argv.append(flag)
            argv.extend(repr(v) for v in value)
        else:
            argv.extend([flag, repr(value) if isinstance(value, float) else str(value)])
    return argv


class _Capture:
    """Wraps a timm scheduler class in scheduler_factory to record the kwargs it is built with."""

    def __init__(self, cls, sink):
        self.cls = cls
        self.sink = sink

    def __call__(self, optimizer, **kwargs):
        self.sink.append((self.cls.__name__, dict(kwargs)))
        return self.cls(optimizer, **kwargs)


def _jsonable(v):
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    return v


def run_timm(request: dict, error_field=None) -> dict:
    import torch
    import timm.scheduler.scheduler_factory as sf
    from timm.scheduler import scheduler_kwargs

    captured = []
    names = ["CosineLRScheduler", "TanhLRScheduler", "StepLRScheduler", "MultiStepLRScheduler",
             "PlateauLRScheduler", "PolyLRScheduler", "WSDLRScheduler"]
    saved = {n: getattr(sf, n) for n in names}
    for n in names:
        setattr(sf, n, _Capture(saved[n], captured))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                out = _run_timm(request, sf, scheduler_kwargs, torch, captured)
            except Exception as exc:  # noqa: BLE001
                assert error_field is not None, f"unexpected error: {format_exception(exc)}"
                return {"error": format_exception(exc), "error_field": error_field}
    finally:
        for n in names:
            setattr(sf, n, saved[n])
    assert error_field is None, f"expected an error at {error_field}, the run succeeded"
    return out


def _run_timm(request, sf, scheduler_kwargs, torch, captured):
    args = train_py_parser().parse_args(args_to_argv(request.get("args", {})))
    world_size = request.get("world_size", 1)
    batches = request["batches_per_epoch"]
    # train.py main()
    args.grad_accum_steps = max(1, args.grad_accum_steps)
    if not args.lr:
        global_batch_size = args.batch_size * world_size * args.grad_accum_steps
        batch_ratio = global_batch_size / args.lr_base_size
        if not args.lr_base_scale:
            on = args.opt.lower()
            args.lr_base_scale = "sqrt" if any([o in on for o in ("ada", "lamb")]) else "linear"
        if args.lr_base_scale == "sqrt":
            batch_ratio = batch_ratio ** 0.5
        args.lr = args.lr_base * batch_ratio
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=args.lr)
    updates_per_epoch = (batches + args.grad_accum_steps - 1) // args.grad_accum_steps
    # train.py: eval_metric = args.eval_metric if loader_eval is not None else 'loss'; with a
    # validation loader and the default top1 the metric is increasing (only plateau reads it)
    lr_scheduler, num_epochs = sf.create_scheduler_v2(
        optimizer, **scheduler_kwargs(args, decreasing_metric=False), updates_per_epoch=updates_per_epoch)
    start_epoch = 0
    if args.start_epoch is not None:
        start_epoch = args.start_epoch
    if lr_scheduler is not None and start_epoch > 0:
        if args.sched_on_updates:
            lr_scheduler.step_update(start_epoch * updates_per_epoch)
        else:
            lr_scheduler.step(start_epoch)
    lrs = []
    for epoch in range(start_epoch, num_epochs):
        num_updates = epoch * updates_per_epoch
        for _ in range(updates_per_epoch):
            lr = optimizer.param_groups[0]["lr"]
            # an int min_lr (argparse's default 0 is not converted) comes back as int 0 after the
            # last cycle; the value is the same
            assert isinstance(lr, (int, float)) and not isinstance(lr, bool) and math.isfinite(lr), lr
            lrs.append(float(lr))
            num_updates += 1
            if lr_scheduler is not None:
                lr_scheduler.step_update(num_updates=num_updates, metric=None)
        if lr_scheduler is not None:
            lr_scheduler.step(epoch + 1, None)
    if lr_scheduler is None:
        sched = {"framework": "timm", "scheduler": None, "params": {}}
    else:
        assert len(captured) == 1 and captured[0][0] == type(lr_scheduler).__name__, captured
        sched = {"framework": "timm", "scheduler": type(lr_scheduler).__name__,
                 "params": {k: _jsonable(v) for k, v in captured[0][1].items()}}
    return {
        "lrs": lrs,
        "plan": {
            "updates_per_epoch": updates_per_epoch,
            "epochs": num_epochs,
            "total_updates": len(lrs),
            "lr": float(args.lr),
            "scheduler": sched,
        },
    }


def T(batches, args, world_size=None):
    req = {"trainer": "timm", "args": args, "batches_per_epoch": batches}
    if world_size is not None:
        req["world_size"] = world_size
    return req


def timm_cases():
    """(name, request, error_field or None)."""
    c = []

    def add(name, req, error_field=None):
        c.append((name, req, error_field))

    # --- cosine -------------------------------------------------------------------------------------
    add("cosine: argparse defaults, epochs 20", T(10, {"sched": "cosine", "epochs": 20, "lr": 0.1}))
    add("cosine: defaults on updates", T(10, {"epochs": 20, "lr": 0.1, "sched_on_updates": True}))
    add("cosine: no warmup, min_lr", T(7, {"sched": "cosine", "epochs": 15, "lr": 0.05, "warmup_epochs": 0,
                                          "min_lr": 1e-4}))
    add("cosine: warmup_prefix on updates", T(8, {"sched": "cosine", "epochs": 12, "lr": 0.1, "warmup_epochs": 3,
                                                 "warmup_lr": 1e-4, "warmup_prefix": True, "sched_on_updates": True}))
    add("cosine: warmup_prefix per epoch", T(4, {"sched": "cosine", "epochs": 12, "lr": 0.1, "warmup_epochs": 3,
                                                "warmup_prefix": True}))
    add("cosine: cooldown", T(5, {"sched": "cosine", "epochs": 15, "lr": 0.1, "min_lr": 1e-5, "cooldown_epochs": 3}))
    add("cosine: cooldown on updates", T(6, {"sched": "cosine", "epochs": 10, "lr": 0.1, "min_lr": 1e-5,
                                            "cooldown_epochs": 2, "warmup_epochs": 1, "sched_on_updates": True}))
    add("cosine: 3 cycles", T(5, {"sched": "cosine", "epochs": 10, "lr": 0.1, "warmup_epochs": 2,
                                  "lr_cycle_limit": 3}))
    add("cosine: cycle_mul 2, 3 cycles", T(3, {"sched": "cosine", "epochs": 6, "lr": 0.1, "warmup_epochs": 0,
                                               "lr_cycle_limit": 3, "lr_cycle_mul": 2.0}))
    add("cosine: cycle_mul 1.5, 3 cycles, on updates", T(3, {"sched": "cosine", "epochs": 8, "lr": 0.1,
                                                             "warmup_epochs": 1, "lr_cycle_limit": 3,
                                                             "lr_cycle_mul": 1.5, "sched_on_updates": True}))
    add("cosine: cycle_decay 0.8, 2 cycles, on updates", T(4, {"sched": "cosine", "epochs": 10, "lr": 0.1,
                                                               "lr_cycle_limit": 2, "lr_cycle_decay": 0.8,
                                                               "warmup_epochs": 2, "sched_on_updates": True}))
    add("cosine: cycles + warmup_prefix + cooldown on updates",
        T(3, {"sched": "cosine", "epochs": 5, "lr": 0.1, "warmup_epochs": 2, "warmup_prefix": True,
              "lr_cycle_limit": 2, "cooldown_epochs": 2, "min_lr": 0.001, "sched_on_updates": True}))
    add("cosine: k_decay 2", T(4, {"sched": "cosine", "epochs": 20, "lr": 0.1, "lr_k_decay": 2.0}))
    add("cosine: k_decay 0.5 on updates", T(4, {"sched": "cosine", "epochs": 10, "lr": 0.1, "lr_k_decay": 0.5,
                                               "warmup_epochs": 1, "sched_on_updates": True}))
    add("cosine: lr_noise [0.4, 0.9] seed 7", T(3, {"sched": "cosine", "epochs": 30, "lr": 0.1,
                                                    "lr_noise": [0.4, 0.9], "seed": 7}))
    add("cosine: lr_noise [0.5] std 0.5 pct 0.3 on updates",
        T(4, {"sched": "cosine", "epochs": 10, "lr": 0.1, "lr_noise": [0.5], "lr_noise_std": 0.5,
              "lr_noise_pct": 0.3, "sched_on_updates": True, "seed": 3}))
    add("cosine: lr from lr_base, batch 64 (linear)", T(5, {"sched": "cosine", "epochs": 10, "batch_size": 64}))
    add("cosine: lr from lr_base, adamw (sqrt)", T(5, {"sched": "cosine", "epochs": 10, "batch_size": 96,
                                                       "opt": "adamw"}))
    add("cosine: lr from lr_base, lamb, lr_base_size 512", T(5, {"sched": "cosine", "epochs": 10, "opt": "lamb",
                                                                 "lr_base": 0.005, "lr_base_size": 512}))
    add("cosine: lr from lr_base, explicit sqrt, world 4, accum 2",
        T(6, {"sched": "cosine", "epochs": 10, "lr_base_scale": "sqrt", "batch_size": 32, "grad_accum_steps": 2,
              "lr_base": 0.2}, world_size=4))
    add("cosine: lr from lr_base, explicit linear with adam", T(5, {"sched": "cosine", "epochs": 8, "opt": "adam",
                                                                    "lr_base_scale": "linear", "batch_size": 512}))
    add("cosine: lr 0 means lr_base", T(5, {"sched": "cosine", "epochs": 8, "lr": 0.0}))
    add("cosine: grad_accum 3, 10 batches, on updates", T(10, {"sched": "cosine", "epochs": 8, "lr": 0.1,
                                                                "grad_accum_steps": 3, "warmup_epochs": 1,
                                                                "sched_on_updates": True}))
    add("cosine: grad_accum 3, 10 batches, per epoch", T(10, {"sched": "cosine", "epochs": 8, "lr": 0.1,
                                                               "grad_accum_steps": 3}))
    add("cosine: grad_accum 0 is clamped to 1", T(4, {"sched": "cosine", "epochs": 6, "grad_accum_steps": 0,
                                                      "sched_on_updates": True, "warmup_epochs": 1}))
    add("cosine: grad_accum 4 > 3 batches", T(3, {"sched": "cosine", "epochs": 8, "lr": 0.1,
                                                  "grad_accum_steps": 4, "sched_on_updates": True}))
    add("cosine: start_epoch 5 per epoch", T(4, {"sched": "cosine", "epochs": 20, "lr": 0.1, "start_epoch": 5}))
    add("cosine: start_epoch 3 in warmup, on updates", T(5, {"sched": "cosine", "epochs": 12, "lr": 0.1,
                                                             "start_epoch": 3, "sched_on_updates": True}))
    add("cosine: start_epoch with noise", T(3, {"sched": "cosine", "epochs": 20, "lr": 0.1, "start_epoch": 8,
                                                "lr_noise": [0.3, 0.8], "seed": 11}))
    add("cosine: start_epoch past the end", T(3, {"sched": "cosine", "epochs": 5, "lr": 0.1, "start_epoch": 9}))
    add("cosine: one batch per epoch, 60 epochs", T(1, {"sched": "cosine", "epochs": 60, "lr": 0.3,
                                                        "warmup_epochs": 3, "min_lr": 1e-3,
                                                        "sched_on_updates": True}))
    add("cosine: 50 batches on updates", T(50, {"sched": "cosine", "epochs": 12, "lr": 0.5, "warmup_epochs": 2,
                                                "warmup_lr": 1e-6, "sched_on_updates": True}))
    add("cosine: 0 batches per epoch", T(0, {"sched": "cosine", "epochs": 5, "lr": 0.1}))

    # --- tanh ---------------------------------------------------------------------------------------
    add("tanh: per epoch", T(4, {"sched": "tanh", "epochs": 20, "lr": 0.1}))
    add("tanh: on updates, warmup_prefix", T(3, {"sched": "tanh", "epochs": 10, "lr": 0.1, "warmup_epochs": 2,
                                                 "warmup_prefix": True, "sched_on_updates": True}))
    add("tanh: warmup inside epochs (target tanh at warmup end)", T(3, {"sched": "tanh", "epochs": 10, "lr": 0.1,
                                                                        "warmup_epochs": 3, "min_lr": 1e-3,
                                                                        "sched_on_updates": True}))
    add("tanh: 2 cycles, cycle_mul 2", T(2, {"sched": "tanh", "epochs": 6, "lr": 0.1, "warmup_epochs": 0,
                                             "lr_cycle_limit": 2, "lr_cycle_mul": 2.0, "lr_cycle_decay": 0.7}))
    add("tanh: cooldown, noise", T(3, {"sched": "tanh", "epochs": 12, "lr": 0.1, "cooldown_epochs": 3,
                                       "min_lr": 1e-4, "lr_noise": [0.2], "seed": 5}))

    # --- step / constant -----------------------------------------------------------------------------
    add("step: decay_epochs 5, rate 0.5", T(4, {"sched": "step", "epochs": 20, "lr": 0.1, "decay_epochs": 5,
                                               "decay_rate": 0.5}))
    add("step: decay_epochs 2.5 on updates", T(4, {"sched": "step", "epochs": 10, "lr": 0.1, "decay_epochs": 2.5,
                                                  "warmup_epochs": 1, "sched_on_updates": True}))
    add("step: warmup_prefix adds to epochs", T(3, {"sched": "step", "epochs": 10, "lr": 0.1, "decay_epochs": 3,
                                                   "warmup_prefix": True, "warmup_epochs": 2}))
    add("step: cooldown_epochs ignored (no cycle length)", T(3, {"sched": "step", "epochs": 10, "lr": 0.1,
                                                                 "decay_epochs": 4, "cooldown_epochs": 3}))
    add("step: noise, default decay_epochs 90", T(2, {"sched": "step", "epochs": 12, "lr": 0.1,
                                                      "lr_noise": [0.25, 0.75], "lr_noise_pct": 0.1}))
    add("constant: warmup then constant, on updates", T(4, {"sched": "constant", "epochs": 8, "lr": 0.1,
                                                            "warmup_epochs": 2, "sched_on_updates": True}))

    # --- multistep -----------------------------------------------------------------------------------
    add("multistep: milestones 5 10 15", T(3, {"sched": "multistep", "epochs": 20, "lr": 0.1,
                                              "decay_milestones": [5, 10, 15], "decay_rate": 0.5}))
    add("multistep: on updates", T(4, {"sched": "multistep", "epochs": 10, "lr": 0.1, "decay_milestones": [3, 7],
                                       "warmup_epochs": 1, "sched_on_updates": True}))
    add("multistep: warmup_prefix", T(2, {"sched": "multistep", "epochs": 10, "lr": 0.1, "decay_milestones": [2, 6],
                                          "warmup_epochs": 3, "warmup_prefix": True, "decay_rate": 0.3}))

    # --- poly ----------------------------------------------------------------------------------------
    add("poly: power 2", T(4, {"sched": "poly", "epochs": 20, "lr": 0.1, "decay_rate": 2.0}))
    add("poly: default power 0.1", T(3, {"sched": "poly", "epochs": 15, "lr": 0.1, "min_lr": 1e-4}))
    add("poly: k_decay 0.5 on updates", T(4, {"sched": "poly", "epochs": 10, "lr": 0.1, "decay_rate": 1.5,
                                              "lr_k_decay": 0.5, "min_lr": 1e-3, "sched_on_updates": True}))
    add("poly: 2 cycles, cooldown", T(3, {"sched": "poly", "epochs": 6, "lr": 0.1, "decay_rate": 1.0,
                                          "lr_cycle_limit": 2, "cooldown_epochs": 2, "warmup_epochs": 1}))

    # --- wsd / rsqrt ---------------------------------------------------------------------------------
    add("wsd: decay_epochs 5 per epoch", T(4, {"sched": "wsd", "epochs": 20, "lr": 0.1, "warmup_epochs": 2,
                                              "decay_epochs": 5}))
    add("wsd: decay fraction 0.3 on updates", T(3, {"sched": "wsd", "epochs": 12, "lr": 0.1, "warmup_epochs": 2,
                                                    "decay_epochs": 0.3, "min_lr": 1e-4, "sched_on_updates": True}))
    add("wsd: warmup_prefix, linear decay, cooldown", T(3, {"sched": "wsd", "epochs": 10, "lr": 0.1,
                                                           "warmup_epochs": 2, "warmup_prefix": True,
                                                           "decay_epochs": 4, "lr_decay_fn": "linear",
                                                           "cooldown_epochs": 2, "sched_on_updates": True}))
    add("wsd: cosine decay, noise", T(2, {"sched": "wsd", "epochs": 16, "lr": 0.1, "warmup_epochs": 1,
                                          "decay_epochs": 6, "lr_decay_fn": "cosine", "lr_noise": [0.5], "seed": 9}))
    add("rsqrt: timescale 2 on updates", T(3, {"sched": "rsqrt", "epochs": 12, "lr": 0.1, "warmup_epochs": 2,
                                               "decay_epochs": 3, "lr_stable_timescale": 2,
                                               "sched_on_updates": True}))
    add("rsqrt: default timescale (warmup), per epoch", T(3, {"sched": "rsqrt", "epochs": 15, "lr": 0.1,
                                                              "warmup_epochs": 3, "decay_epochs": 0.2}))

    # --- none ----------------------------------------------------------------------------------------
    # create_scheduler_v2 returns (None, epochs); the replay guards every scheduler call with
    # `is not None`, as train.py does for step/step_update (aa4b585's train.py also logs
    # `lr_scheduler.t_in_epochs` unguarded, which would raise; 1.0.31 documents 'none' as supported)
    add("none: no scheduler, lr untouched", T(3, {"sched": "none", "epochs": 4, "lr": 0.1}))

    # --- errors --------------------------------------------------------------------------------------
    add("error: unknown sched", T(3, {"sched": "cosinee", "epochs": 10, "lr": 0.1}), "/args/sched")
    add("error: plateau on updates", T(3, {"sched": "plateau", "epochs": 10, "lr": 0.1, "sched_on_updates": True}),
        "/args/sched_on_updates")
    add("error: wsd decay longer than epochs - warmup", T(3, {"sched": "wsd", "epochs": 10, "lr": 0.1,
                                                              "warmup_epochs": 2, "decay_epochs": 9}),
        "/args/decay_epochs")
    add("error: wsd unknown decay fn", T(3, {"sched": "wsd", "epochs": 10, "lr": 0.1, "decay_epochs": 2,
                                             "lr_decay_fn": "cubic"}), "/args/lr_decay_fn")
    add("error: cosine epochs 0", T(3, {"sched": "cosine", "epochs": 0, "lr": 0.1}), "/args/epochs")
    add("error: on updates with 0 batches", T(0, {"sched": "cosine", "epochs": 5, "lr": 0.1,
                                                  "sched_on_updates": True}), "/batches_per_epoch")
    add("error: tanh negative min_lr", T(3, {"sched": "tanh", "epochs": 5, "lr": 0.1, "min_lr": -0.1}),
        "/args/min_lr")
    return c


def build_timm(only_names=None):
    import timm
    import torch

    logging.disable(logging.WARNING)
    header = {"timm": plain_version(timm.__version__), "torch": plain_version(torch.__version__), "trainer": "timm"}
    cases = []
    names = set()
    for name, req, error_field in timm_cases():
        assert name not in names, name
        names.add(name)
        if only_names and name not in only_names:
            continue
        req = roundtrip(req)
        body = run_timm(req, error_field)
        cases.append({"name": name, "request": req, **body})
    return header, cases


# ===========================================================================


def _write(out_dir, fname, header, cases):
    path = os.path.join(out_dir, fname)
    dump_fixture(path, header, cases)
    n_err = sum(1 for c in cases if "error" in c)
    for c in cases:
        assert "0x" not in c.get("error", ""), c["error"]
    size = os.path.getsize(path)
    print(f"{fname:16s} {len(cases):3d} cases ({len(cases) - n_err:3d} valid, {n_err:2d} error)  {size:9,d} bytes")
    return size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s)")
    parser.add_argument("--only", choices=("lightning", "timm"), help="generate one file only")
    opts = parser.parse_args(argv)
    os.makedirs(opts.out, exist_ok=True)

    import torch

    torch.set_num_threads(1)
    installed = {"torch": plain_version(torch.__version__)}
    t0 = time.perf_counter()
    total = 0
    if opts.only in (None, "lightning"):
        import lightning

        installed["lightning"] = plain_version(lightning.__version__)
        header, cases = build_lightning()
        total += _write(opts.out, "lightning.json", header, cases)
    if opts.only in (None, "timm"):
        import timm

        installed["timm"] = plain_version(timm.__version__)
        header, cases = build_timm()
        total += _write(opts.out, "timm.json", header, cases)
    for k, v in installed.items():
        if v != EXPECTED[k]:
            print(f"warning: {k} {v} installed, the fixtures expect {EXPECTED[k]}", file=sys.stderr)
    print(f"total {total:,d} bytes in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
