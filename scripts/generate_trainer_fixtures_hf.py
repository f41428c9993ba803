#!/usr/bin/env python3
"""Generate golden trainer fixtures from the REAL Hugging Face ``Trainer.train()``
and accelerate's REAL ``AcceleratedScheduler``.

What it runs
------------
``transformers.json`` -- every case builds ``TrainingArguments`` from the
request's ``args`` and runs ``Trainer.train()`` (transformers 5.24.0, CPU) on a
tiny model: ``nn.Linear(1, 1)`` inside a module whose ``forward(x, y)`` returns
``{"loss": mse}``, trained on ``dataset_size`` synthetic examples
``{"x": [i / n], "y": [1.0]}``. The learning rate never depends on the data or
the losses; only the Trainer's own step bookkeeping and the scheduler it builds
matter. Every run adds these arguments to the request's ``args`` (none of them
changes the learning rate): a fresh temporary ``output_dir`` (an ``output_dir``
in the request is replaced), ``report_to=[]``, ``save_strategy="no"`` (resume
cases: see below), ``use_cpu=True``, ``disable_tqdm=True``,
``logging_strategy="no"``. The model is initialised after
``torch.manual_seed(0)`` and the Trainer seeds itself with ``args.seed``
(default 42), so runs are deterministic.

``lrs[k]`` is ``optimizer.param_groups[0]["lr"]`` of the inner torch optimizer
at the moment the Trainer performs optimizer update k+1: it is recorded by a
``register_step_pre_hook`` on the torch optimizer inside the Trainer's
``AcceleratedOptimizer`` (installed in ``on_train_begin``), so it fires exactly
once per real ``torch.optim.Optimizer.step``. The script asserts that the number
of recorded values equals the number of ``on_pre_optimizer_step`` callbacks and
the number of ``global_step`` increments of the run.

``plan`` is read from the real Trainer: ``Trainer.set_initial_training_values``
is wrapped and its results kept -- ``epochs`` (``num_train_epochs``, an int),
``updates_per_epoch`` (``num_update_steps_per_epoch``), ``total_updates``
(``max_steps``, checked against ``trainer.state.max_steps`` after training),
``batches_per_epoch`` (``len(train_dataloader)`` of this process, the dataloader
handed to ``set_initial_training_values``) -- and ``warmup_updates`` is
``args.get_warmup_steps(max_steps)``.

World size > 1: the cases with ``"world_size": P`` are run by a real
multi-process launch,
``python -m accelerate.commands.launch --multi_gpu --num_processes P ...`` (in
accelerate 1.16 that is torch.distributed.run; ``--cpu`` would silently start a
single process), with ``use_cpu=True`` so the Trainer uses gloo. Every rank
records its own values; the script checks that all ranks agree and writes
rank 0's.

Resume cases (``"resume": {"from_update": k, "args": ORIGINAL}``): the original
args run to the end with ``save_strategy="steps", save_steps=k`` into a
temporary directory (dataset and world size from ``resume`` when given there,
else the top-level ones); then a new Trainer with the top-level ``args`` calls
``trainer.train(resume_from_checkpoint=<dir>/checkpoint-k)``. ``lrs`` hold the
updates that resumed run performs (k+1, k+2, ...), ``plan`` is the resumed
run's.

Error cases (``{"name", "request", "error", "error_field"}``): the exception
raised by ``TrainingArguments(...)``, ``Trainer(...)`` or ``train()`` --
``"<ExceptionClass>: <message>"`` -- and
``error_field``, the JSON pointer of the request field responsible (chosen by
this script, per case).

``accelerate.json`` -- the documented accelerate loop, on the real
``Accelerator``::

    accelerator = Accelerator(cpu=True, gradient_accumulation_steps=G,
                              step_scheduler_with_optimizer=step_with_optimizer,
                              dataloader_config=DataLoaderConfiguration(split_batches=split_batches))
    model, optimizer, dataloader, lr_scheduler = accelerator.prepare(
        nn.Linear(1, 1), SGD(params, lr=lr), dataloader, scheduler)
    for batch in dataloader:                      # exactly G * updates batches per process
        with accelerator.accumulate(model):
            loss = model(batch).sum(); loss.backward()
            optimizer.step(); lr_scheduler.step(); optimizer.zero_grad()

``scheduler`` is built on the raw optimizer from the request's lrsched spec:
``framework: "torch"`` -> ``torch.optim.lr_scheduler.<scheduler>(optimizer,
**params)``; ``framework: "transformers"`` -> ``transformers.get_scheduler(name,
optimizer, num_warmup_steps=params.num_warmup_steps,
num_training_steps=params.num_training_steps, scheduler_specific_kwargs=<the
other params> or None)``. ``prepare`` wraps it in accelerate's
``AcceleratedScheduler``. ``lrs[k]`` is the inner optimizer's
``param_groups[0]["lr"]`` when the real optimizer update k+1 happens (a step
pre-hook on the torch optimizer). Cases with ``num_processes`` P > 1 run in this
process with accelerate's process count set to P in ``PartialState`` /
``AcceleratorState`` (the only thing ``AcceleratedScheduler.step`` reads;
``distributed_type`` stays ``NO``, so nothing else changes) and a dataloader of
G * updates single-example batches; a few of them are additionally run by a
real ``accelerate launch --multi_gpu --num_processes P`` (gloo) with the real
sharded dataloader, and the script asserts that the real run gives exactly the
same values and plan as the simulated one (every rank). ``plan`` is
``{"scheduler_steps_per_update": nominal inner steps per update (G when
step_with_optimizer is false, 1 with split_batches, else P),
"total_updates": updates, "scheduler_steps": inner scheduler's last_epoch at
the end}``. A case whose inner scheduler raises during the loop (OneCycleLR
stepped past ``total_steps`` where the wrapper does not guard it) is written as
``{"name", "request", "error", "error_field", "error_micro_step": 1-based index
of the micro-batch whose lr_scheduler.step() raised, "error_update": optimizer
updates done before that}``.

Observed semantics worth knowing (transformers 5.24.0 / accelerate 1.16.0)
-------------------------------------------------------------------------
* The Trainer steps its own scheduler (not wrapped in ``AcceleratedScheduler``)
  once per optimizer update, whatever the world size; the world size only
  changes ``len(train_dataloader)`` per process.
* ``max_steps == 0`` still performs one update (the stop check runs after an
  update); ``num_train_epochs <= 0`` with ``max_steps < 0`` performs none, with no
  error; any ``max_steps < 0`` means epoch based.
* Resume: update k+1 uses the learning rate stored in the checkpoint's optimizer
  state (the ORIGINAL schedule after k steps); later updates use the NEW args'
  schedule (its max_steps, warmup, type, kwargs) times the ORIGINAL
  ``learning_rate`` (``base_lrs`` come from the checkpoint's scheduler state).
* ``Accelerator(gradient_accumulation_steps=G)`` leaves ``adjust_scheduler`` off
  (``GradientAccumulationPlugin.to_kwargs`` drops fields at their default and
  ``GradientState`` defaults to False), so non-sync micro-steps never touch the
  inner scheduler's ``_step_count``.

How to run
----------
From the repository root, with a Python that has torch, transformers and
accelerate::

    python3 scripts/generate_trainer_fixtures_hf.py [--out DIR] [--skip-multiprocess]
        [--only transformers|accelerate|transformers-4.57] [--python-457 PYTHON]

It writes ``Tests/SchedulesTests/Fixtures/trainers/{transformers,accelerate}.json``
(one case per line, floats as Python ``repr`` via ``json.dumps``, round-trip
exact). ``--skip-multiprocess`` leaves out the real multi-process launches (and
the world-size > 1 transformers cases). When ``/work/venv457/bin/python`` (or
``--python-457``) has transformers 4.57.6, the ``warmup_ratio`` cases are run
there and ``transformers-4.57.json`` is written too. The output is
deterministic; nothing depends on clocks. CPU only; a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import warnings

SCRIPTS = os.path.dirname(os.path.abspath(__file__))
if SCRIPTS not in sys.path:
    sys.path.insert(0, SCRIPTS)

from fixture_support import build_torch_scheduler, dump_fixture, format_exception, roundtrip  # noqa: E402

REPO_ROOT = os.path.dirname(SCRIPTS)
DEFAULT_OUT = os.path.join(REPO_ROOT, "Tests", "SchedulesTests", "Fixtures", "trainers")
EXPECTED_TRANSFORMERS = "5.24.0"
DEFAULT_PYTHON_457 = "/work/venv457/bin/python"

# Fixed TrainingArguments every run adds to the request's args (none touches the LR).
FIXED_ARGS = {
    "report_to": [],
    "save_strategy": "no",
    "use_cpu": True,
    "disable_tqdm": True,
    "logging_strategy": "no",
}


def strip_local(version: str) -> str:
    return version.split("+", 1)[0]


def quiet():
    """Silence library logging and warnings (they never change a value)."""
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
    except ImportError:
        pass


# ---------------------------------------------------------------------------
# transformers: the Trainer runs
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


def _run_trainer(args: dict, n: int, output_dir: str, extra: dict | None = None, resume_from=None):
    """One real ``Trainer.train()``; returns ``(lrs, plan, trainer)``. Exceptions propagate."""
    from transformers import Trainer, TrainerCallback, TrainingArguments

    kwargs = dict(args)
    kwargs.update(FIXED_ARGS)
    kwargs.update(extra or {})
    kwargs["output_dir"] = output_dir
    targs = TrainingArguments(**kwargs)

    class Recorder(TrainerCallback):
        def __init__(self):
            self.lrs = []
            self.pre_steps = 0
            self.handle = None

        def on_train_begin(self, args, state, control, optimizer=None, **kw):
            inner = optimizer.optimizer  # AcceleratedOptimizer -> torch optimizer
            self.handle = inner.register_step_pre_hook(
                lambda opt, a, k: self.lrs.append(opt.param_groups[0]["lr"])
            )

        def on_pre_optimizer_step(self, args, state, control, **kw):
            self.pre_steps += 1

    class PlanTrainer(Trainer):
        def set_initial_training_values(self, args, dataloader, *rest):
            # 5.x: (args, dataloader); 4.57: (args, dataloader, total_train_batch_size). Both
            # return (num_train_epochs, num_update_steps_per_epoch, ..., max_steps).
            out = super().set_initial_training_values(args, dataloader, *rest)
            num_train_epochs, upe, max_steps = out[0], out[1], out[-1]
            self.lrsched_plan = {
                "updates_per_epoch": upe,
                "total_updates": max_steps,
                "warmup_updates": args.get_warmup_steps(max_steps),
                "epochs": num_train_epochs,
                "batches_per_epoch": len(dataloader),
            }
            return out

    rec = Recorder()
    trainer = PlanTrainer(model=_tiny_model(), args=targs, train_dataset=_tiny_dataset(n), callbacks=[rec])
    with contextlib.redirect_stdout(io.StringIO()):
        trainer.train(resume_from_checkpoint=resume_from)
    rec.handle.remove()
    lrs = [float(v) for v in rec.lrs]
    plan = trainer.lrsched_plan
    start = 0 if resume_from is None else int(os.path.basename(resume_from).split("-")[1])
    assert rec.pre_steps == len(lrs), (rec.pre_steps, len(lrs))
    assert trainer.state.global_step - start == len(lrs), (trainer.state.global_step, start, len(lrs))
    assert trainer.state.max_steps == plan["total_updates"], (trainer.state.max_steps, plan)
    for key in ("updates_per_epoch", "total_updates", "warmup_updates", "epochs", "batches_per_epoch"):
        assert type(plan[key]) is int, (key, plan[key])
    return lrs, plan, trainer


def _barrier():
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()


def run_transformers_case(request: dict, scratch: str, cleanup: bool = True) -> dict:
    """Run one transformers request; ``{"lrs", "plan"}`` or ``{"error"}``. ``scratch``
    is this case's working directory (the same one on every rank of a launch)."""
    os.makedirs(scratch, exist_ok=True)
    args = request["args"]
    n = request["dataset_size"]
    resume = request.get("resume")
    try:
        if resume is None:
            lrs, plan, _ = _run_trainer(args, n, os.path.join(scratch, "run"))
            return {"lrs": lrs, "plan": plan}
        k = resume["from_update"]
        orig_n = resume.get("dataset_size", n)
        orig_dir = os.path.join(scratch, "original")
        orig_lrs, _, _ = _run_trainer(
            resume["args"], orig_n, orig_dir, extra={"save_strategy": "steps", "save_steps": k}
        )
        _barrier()  # every rank sees the complete checkpoint
        checkpoint = os.path.join(orig_dir, f"checkpoint-{k}")
        assert os.path.isdir(checkpoint), (checkpoint, os.listdir(orig_dir))
        lrs, plan, _ = _run_trainer(args, n, os.path.join(scratch, "resumed"), resume_from=checkpoint)
        return {"lrs": lrs, "plan": plan, "_original_lrs": orig_lrs}
    except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
        return {"error": format_exception(exc)}
    finally:
        if cleanup:
            shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------------------
# accelerate: the documented accumulate() loop around AcceleratedScheduler
# ---------------------------------------------------------------------------


def _build_inner_scheduler(optimizer, spec: dict):
    params = dict(spec.get("params", {}))
    if spec["framework"] == "torch":
        return build_torch_scheduler(optimizer, spec["scheduler"], params)
    if spec["framework"] == "transformers":
        import transformers

        warmup = params.pop("num_warmup_steps", None)
        total = params.pop("num_training_steps", None)
        return transformers.get_scheduler(
            spec["scheduler"], optimizer, num_warmup_steps=warmup, num_training_steps=total,
            scheduler_specific_kwargs=params or None,
        )
    raise ValueError(f"unknown framework {spec['framework']!r}")


def _reset_accelerate_state():
    from accelerate.state import AcceleratorState, GradientState

    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()


def run_accelerate_case(request: dict, distributed: bool = False) -> dict:
    """Run one accelerate request. ``distributed``: this process is one rank of a
    real launch with ``num_processes`` ranks; otherwise P > 1 is simulated (see the
    module docstring)."""
    import torch
    from accelerate import Accelerator, DataLoaderConfiguration
    from accelerate.scheduler import AcceleratedScheduler
    from accelerate.state import AcceleratorState, PartialState
    from torch import nn

    P = request.get("num_processes", 1)
    split = request.get("split_batches", False)
    G = request.get("gradient_accumulation_steps", 1)
    swo = request.get("step_with_optimizer", True)
    S = request["updates"]

    if not distributed:
        _reset_accelerate_state()
    accelerator = Accelerator(
        cpu=True,
        gradient_accumulation_steps=G,
        step_scheduler_with_optimizer=swo,
        dataloader_config=DataLoaderConfiguration(split_batches=split),
    )
    real_P = accelerator.num_processes
    if distributed:
        assert real_P == P, (real_P, P)
    else:
        assert real_P == 1, real_P

    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=request["lr"])
    scheduler = _build_inner_scheduler(optimizer, request["scheduler"])
    # Per process: G * S batches. Real launch: split -> global batches of P split in P
    # pieces of 1; not split -> batches of 1 dealt round-robin over the P ranks.
    n_examples = G * S * real_P
    batch_size = real_P if split else 1
    data = torch.arange(n_examples, dtype=torch.float32).reshape(-1, 1) / max(n_examples, 1)
    dataloader = torch.utils.data.DataLoader(data, batch_size=batch_size, shuffle=False)

    model, p_optimizer, p_dataloader, p_scheduler = accelerator.prepare(model, optimizer, dataloader, scheduler)
    assert isinstance(p_scheduler, AcceleratedScheduler), type(p_scheduler)
    assert p_scheduler.scheduler is scheduler
    assert len(p_dataloader) == G * S, (len(p_dataloader), G, S)

    saved = None
    if not distributed and P != 1:
        saved = PartialState._shared_state["num_processes"]
        PartialState._shared_state["num_processes"] = P
        AcceleratorState._shared_state["num_processes"] = P
        assert AcceleratorState().num_processes == P
        assert not AcceleratorState().use_distributed

    lrs = []
    handle = optimizer.register_step_pre_hook(lambda opt, a, k: lrs.append(float(opt.param_groups[0]["lr"])))
    micro = 0
    try:
        for batch in p_dataloader:
            micro += 1
            with accelerator.accumulate(model):
                loss = model(batch).sum()
                accelerator.backward(loss)
                p_optimizer.step()
                p_scheduler.step()
                p_optimizer.zero_grad()
    except Exception as exc:  # noqa: BLE001 - the library's exception is the fixture
        accelerator.free_memory()
        return {"error": format_exception(exc), "error_micro_step": micro, "error_update": len(lrs)}
    finally:
        handle.remove()
        if saved is not None:
            PartialState._shared_state["num_processes"] = saved
            AcceleratorState._shared_state["num_processes"] = saved
    assert len(lrs) == S, (len(lrs), S)
    plan = {
        "scheduler_steps_per_update": (G if not swo else (1 if split else P)),
        "total_updates": S,
        "scheduler_steps": scheduler.last_epoch,
    }
    accelerator.free_memory()
    return {"lrs": lrs, "plan": plan}


def _accelerate_updates(config: dict, updates: int, state_dir: str, load: bool) -> list:
    """One accelerate run of ``updates`` optimizer updates with ``config`` (scheduler, lr,
    num_processes, split_batches, gradient_accumulation_steps, step_with_optimizer): the LR of
    every update. ``load``: ``accelerator.load_state(state_dir)`` after ``prepare`` (a resume);
    otherwise ``accelerator.save_state(state_dir)`` at the end (the checkpoint)."""
    import torch
    from accelerate import Accelerator, DataLoaderConfiguration
    from accelerate.state import AcceleratorState, PartialState
    from torch import nn

    P = config.get("num_processes", 1)
    G = config.get("gradient_accumulation_steps", 1)
    _reset_accelerate_state()
    accelerator = Accelerator(cpu=True, gradient_accumulation_steps=G,
                              step_scheduler_with_optimizer=config.get("step_with_optimizer", True),
                              dataloader_config=DataLoaderConfiguration(split_batches=config.get("split_batches", False)))
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"])
    scheduler = _build_inner_scheduler(optimizer, config["scheduler"])
    data = torch.arange(G * updates, dtype=torch.float32).reshape(-1, 1) / max(G * updates, 1)
    dataloader = torch.utils.data.DataLoader(data, batch_size=1, shuffle=False)
    model, p_optimizer, p_dataloader, p_scheduler = accelerator.prepare(model, optimizer, dataloader, scheduler)
    if load:
        accelerator.load_state(state_dir)
    saved = PartialState._shared_state["num_processes"]
    PartialState._shared_state["num_processes"] = P
    AcceleratorState._shared_state["num_processes"] = P
    lrs = []
    handle = optimizer.register_step_pre_hook(lambda opt, a, k: lrs.append(float(opt.param_groups[0]["lr"])))
    try:
        for batch in p_dataloader:
            with accelerator.accumulate(model):
                accelerator.backward(model(batch).sum())
                p_optimizer.step()
                p_scheduler.step()
                p_optimizer.zero_grad()
    finally:
        handle.remove()
        PartialState._shared_state["num_processes"] = saved
        AcceleratorState._shared_state["num_processes"] = saved
    if not load:
        accelerator.save_state(state_dir)
    accelerator.free_memory()
    assert len(lrs) == updates, (len(lrs), updates)
    return lrs


def run_accelerate_resume(request: dict) -> dict:
    """A run with ``request["resume"]``'s setup saves its state after ``from_update`` updates;
    a run with the request's setup loads it and takes the remaining updates."""
    resume = request["resume"]
    k = resume["from_update"]
    keys = ("scheduler", "lr", "num_processes", "split_batches", "gradient_accumulation_steps", "step_with_optimizer")
    old = {key: resume.get(key, request.get(key)) for key in keys if key in resume or key in request}
    new = {key: request[key] for key in keys if key in request}
    state_dir = tempfile.mkdtemp(prefix="lrsched-accelerate-state-")
    try:
        _accelerate_updates(old, k, state_dir, load=False)
        return {"lrs": _accelerate_updates(new, request["updates"] - k, state_dir, load=True)}
    finally:
        shutil.rmtree(state_dir, ignore_errors=True)


def accelerate_resume_cases():
    """``[(name, request)]``: resumes with changed lengths, process counts, accumulation and lr."""
    def R(name, spec, lr, updates, k, old_spec=None, **kw):
        resume = {"from_update": k}
        for key in ("old_lr", "old_P", "old_G", "old_split", "old_swo"):
            if key in kw:
                resume[{"old_lr": "lr", "old_P": "num_processes", "old_G": "gradient_accumulation_steps",
                        "old_split": "split_batches", "old_swo": "step_with_optimizer"}[key]] = kw.pop(key)
        if old_spec is not None:
            resume["scheduler"] = old_spec
        req = {"trainer": "accelerate", "scheduler": spec, "lr": lr, "updates": updates, **{
            {"P": "num_processes", "G": "gradient_accumulation_steps", "split": "split_batches",
             "swo": "step_with_optimizer"}[k2]: v for k2, v in kw.items()}, "resume": resume}
        return (name, req)

    def torch_s(name, params):
        return {"framework": "torch", "scheduler": name, "params": params}

    def tf_s(name, params):
        return {"framework": "transformers", "scheduler": name, "params": params}

    def cos(t):
        return torch_s("CosineAnnealingLR", {"T_max": t})

    return [
        R("cosine, longer T_max ignored", cos(200), 0.1, 60, 20, old_spec=cos(80)),
        R("cosine, same setup continues", cos(100), 0.1, 50, 10),
        R("cosine, 2 -> 4 processes", cos(200), 0.1, 50, 10, P=4, old_P=2),
        R("cosine, 4 processes -> split batches", cos(200), 0.1, 50, 10, P=4, split=True, old_P=4),
        R("step lr, new step_size and lr ignored", torch_s("StepLR", {"step_size": 3, "gamma": 0.5}), 0.5, 30, 7,
          old_spec=torch_s("StepLR", {"step_size": 5, "gamma": 0.7}), old_lr=0.2, P=2),
        R("exponential, accumulation 1 -> 3", torch_s("ExponentialLR", {"gamma": 0.95}), 0.1, 25, 5, G=3),
        R("linear, step_with_optimizer off on resume", torch_s("LinearLR", {"start_factor": 0.1, "total_iters": 40}),
          0.1, 20, 4, G=2, swo=False),
        R("onecycle guard continues", torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 40}), 0.1, 30, 6, P=2),
        R("lambda: the new function applies", torch_s("LambdaLR", {"lr_lambda": "0.9 ** epoch"}), 0.1, 30, 8,
          old_spec=torch_s("LambdaLR", {"lr_lambda": "1 / (epoch + 1)"}), P=2),
        R("transformers cosine: rebuilt for the new length", tf_s("cosine", {"num_warmup_steps": 4, "num_training_steps": 80}),
          0.01, 40, 10, old_spec=tf_s("cosine", {"num_warmup_steps": 4, "num_training_steps": 40})),
        R("transformers linear, new lr ignored", tf_s("linear", {"num_warmup_steps": 2, "num_training_steps": 60}),
          0.02, 30, 6, old_lr=0.01, P=2),
        R("multistep, 1 -> 2 processes", torch_s("MultiStepLR", {"milestones": [10, 20, 30], "gamma": 0.5}), 0.1, 30, 8,
          P=2, old_P=1),
        R("cyclic", torch_s("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 5}), 0.01, 30, 7),
        R("polynomial, 8 processes", torch_s("PolynomialLR", {"total_iters": 300, "power": 2.0}), 0.1, 30, 12, P=8),
        R("warm restarts", torch_s("CosineAnnealingWarmRestarts", {"T_0": 6, "T_mult": 2}), 0.1, 30, 9, P=2, old_P=3),
        R("constant lr", torch_s("ConstantLR", {"factor": 0.5, "total_iters": 30}), 0.1, 25, 3, P=4),
    ]


def build_accelerate_resume_fixture():
    cases = []
    for name, req in accelerate_resume_cases():
        req = roundtrip(req)
        cases.append({"name": name, "request": req, "lrs": run_accelerate_resume(req)["lrs"]})
    return cases


# ---------------------------------------------------------------------------
# Real multi-process launches
# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(kind: str, nproc: int, requests: list) -> list:
    """Run ``requests`` in one real ``accelerate launch`` with ``nproc`` processes;
    returns rank 0's results after checking every rank agrees."""
    work = tempfile.mkdtemp(prefix=f"lrsched-{kind}-p{nproc}-")
    try:
        in_path = os.path.join(work, "requests.json")
        with open(in_path, "w") as fh:
            json.dump(requests, fh)
        cmd = [
            sys.executable, "-m", "accelerate.commands.launch",
            "--multi_gpu", "--num_processes", str(nproc), "--num_machines", "1",
            "--mixed_precision", "no", "--dynamo_backend", "no",
            "--main_process_port", str(_free_port()),
            os.path.abspath(__file__), "--worker", kind, "--requests", in_path, "--work", work,
        ]
        env = dict(os.environ, OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
        proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-8000:])
            raise RuntimeError(f"{kind} launch with {nproc} processes failed ({proc.returncode})")
        per_rank = []
        for rank in range(nproc):
            with open(os.path.join(work, f"results.rank{rank}.json")) as fh:
                per_rank.append(json.load(fh))
        for rank in range(1, nproc):
            for i, (a, b) in enumerate(zip(per_rank[0], per_rank[rank])):
                assert json.dumps(a) == json.dumps(b), (kind, nproc, rank, i, a, b)
        return per_rank[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def worker(kind: str, requests_path: str, work: str) -> None:
    """Entry point of each rank of a real launch."""
    quiet()
    with open(requests_path) as fh:
        requests = json.load(fh)
    rank = int(os.environ["RANK"])
    world = int(os.environ["WORLD_SIZE"])
    results = []
    for i, req in enumerate(requests):
        if kind == "transformers":
            want = req.get("world_size", 1)
            if req.get("resume"):
                want_orig = req["resume"].get("world_size", want)
                assert want_orig == want, "a real launch has one world size"
            assert want == world, (want, world)
            # Every rank must use the same output_dir (checkpoints are shared).
            result = run_transformers_case(req, os.path.join(work, f"case{i}"), cleanup=False)
            _barrier()
        else:
            assert req.get("num_processes", 1) == world
            result = run_accelerate_case(req, distributed=True)
        results.append(result)
    with open(os.path.join(work, f"results.rank{rank}.json"), "w") as fh:
        json.dump(results, fh)


# ---------------------------------------------------------------------------
# transformers cases
# ---------------------------------------------------------------------------


def T(args, n, world_size=None, resume=None):
    req = {"trainer": "transformers", "args": args, "dataset_size": n}
    if world_size is not None:
        req["world_size"] = world_size
    if resume is not None:
        req["resume"] = resume
    return req


def transformers_cases():
    """``[(name, request, error_field or None)]``."""
    cases = []

    def ok(name, args, n, **kw):
        cases.append((name, T(args, n, **kw), None))

    def err(name, field, args, n, **kw):
        cases.append((name, T(args, n, **kw), field))

    # --- defaults and the step arithmetic -------------------------------------------------
    ok("all defaults (lr 5e-5, linear, 3 epochs, batch 8)", {}, 103)
    ok("linear n103 b4 g1 e3 w5", {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 5,
                                   "num_train_epochs": 3, "per_device_train_batch_size": 4}, 103)
    ok("linear n103 b4 g3 e1.5 w0.1", {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 0.1,
                                       "num_train_epochs": 1.5, "per_device_train_batch_size": 4,
                                       "gradient_accumulation_steps": 3}, 103)
    ok("linear n50 b8 g2 e2.3 w0.25", {"learning_rate": 0.01, "lr_scheduler_type": "linear", "warmup_steps": 0.25,
                                       "num_train_epochs": 2.3, "per_device_train_batch_size": 8,
                                       "gradient_accumulation_steps": 2}, 50)
    ok("linear n7 b2 g5 e4 w1 (accumulation longer than the epoch)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 1, "num_train_epochs": 4,
        "per_device_train_batch_size": 2, "gradient_accumulation_steps": 5}, 7)
    ok("linear n7 b2 g5 e4 w1 drop_last",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 1, "num_train_epochs": 4,
        "per_device_train_batch_size": 2, "gradient_accumulation_steps": 5, "dataloader_drop_last": True}, 7)
    ok("linear n50 b4 g2 max_steps 17 over e5",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 3, "num_train_epochs": 5,
        "max_steps": 17, "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2}, 50)
    ok("linear n103 b4 g4 e2 (last accumulation group of 2 batches)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 2,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 4}, 103)
    ok("linear n10 b4 g5 e3 (one update per epoch)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 3,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 5}, 10)
    ok("linear warmup_steps 2.5 (float >= 1 truncated)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 2.5, "num_train_epochs": 2,
        "per_device_train_batch_size": 4}, 50)
    ok("linear warmup_steps 1.0 (float one)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 1.0, "num_train_epochs": 1,
        "per_device_train_batch_size": 4}, 50)
    ok("linear warmup_steps 0.999 ratio",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 0.999, "num_train_epochs": 1,
        "per_device_train_batch_size": 4}, 50)
    ok("linear warmup longer than training",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 50, "num_train_epochs": 1,
        "per_device_train_batch_size": 4}, 50)
    ok("linear warmup_steps 0 explicit, lr 1.0",
       {"learning_rate": 1.0, "lr_scheduler_type": "linear", "warmup_steps": 0, "num_train_epochs": 1,
        "per_device_train_batch_size": 5}, 33)
    ok("linear ignored fields (output_dir, logging_steps, seed)",
       {"output_dir": "ignored", "logging_steps": 3, "seed": 7, "learning_rate": 0.02,
        "lr_scheduler_type": "linear", "warmup_steps": 2, "num_train_epochs": 1, "per_device_train_batch_size": 4}, 29)
    ok("linear max_steps 0 (one update, then stop)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "max_steps": 0, "per_device_train_batch_size": 4}, 20)
    ok("linear num_train_epochs 0 (no update)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 0,
        "per_device_train_batch_size": 4}, 20)
    ok("linear num_train_epochs 0 and max_steps 0 (no update)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 0, "max_steps": 0,
        "per_device_train_batch_size": 4}, 20)
    ok("linear num_train_epochs -1 (negative max_steps, no update)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": -1,
        "per_device_train_batch_size": 4}, 20)
    ok("linear max_steps -5 (epoch based)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "max_steps": -5, "num_train_epochs": 1,
        "per_device_train_batch_size": 4}, 20)
    ok("linear num_train_epochs 0.01 (ceil to one update)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 0.01,
        "per_device_train_batch_size": 4}, 20)
    ok("linear max_steps 5 with an empty dataloader (drop_last, n < batch)",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "max_steps": 5, "dataloader_drop_last": True,
        "per_device_train_batch_size": 4}, 3)

    # --- cosine family -----------------------------------------------------------------------
    ok("cosine n103 b4 g2 e2 w0.1",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 0.1, "num_train_epochs": 2,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2}, 103)
    ok("cosine n50 b3 g4 e0.5 w0.25 drop_last",
       {"learning_rate": 0.05, "lr_scheduler_type": "cosine", "warmup_steps": 0.25, "num_train_epochs": 0.5,
        "per_device_train_batch_size": 3, "gradient_accumulation_steps": 4, "dataloader_drop_last": True}, 50)
    ok("cosine num_cycles 1.0 n64 b8 e3 w3",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "lr_scheduler_kwargs": {"num_cycles": 1.0},
        "warmup_steps": 3, "num_train_epochs": 3, "per_device_train_batch_size": 8}, 64)
    ok("cosine max_steps 30 over a tiny dataset n7 b4",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 4, "max_steps": 30,
        "per_device_train_batch_size": 4}, 7)
    ok("cosine_with_restarts num_cycles 3 n103 b4 e1 w4",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_restarts", "lr_scheduler_kwargs": {"num_cycles": 3},
        "warmup_steps": 4, "num_train_epochs": 1, "per_device_train_batch_size": 4}, 103)
    ok("cosine_with_restarts num_cycles 2 n50 b5 g3 e2.3 w0.1",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_restarts", "lr_scheduler_kwargs": {"num_cycles": 2},
        "warmup_steps": 0.1, "num_train_epochs": 2.3, "per_device_train_batch_size": 5,
        "gradient_accumulation_steps": 3}, 50)
    ok("cosine_with_restarts default num_cycles n33 b4 e2",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_restarts", "num_train_epochs": 2,
        "per_device_train_batch_size": 4}, 33)
    ok("cosine_with_min_lr min_lr 1e-3 n103 b4 g2 e2 w0.1",
       {"learning_rate": 0.01, "lr_scheduler_type": "cosine_with_min_lr", "lr_scheduler_kwargs": {"min_lr": 1e-3},
        "warmup_steps": 0.1, "num_train_epochs": 2, "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 2}, 103)
    ok("cosine_with_min_lr min_lr_rate 0.1 num_cycles 1.0 n50 e1.5 w3",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_min_lr",
        "lr_scheduler_kwargs": {"min_lr_rate": 0.1, "num_cycles": 1.0},
        "warmup_steps": 3, "num_train_epochs": 1.5, "per_device_train_batch_size": 4}, 50)
    ok("cosine_warmup_with_min_lr min_lr_rate 0.05 n103 b4 e2 w5",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine_warmup_with_min_lr",
        "lr_scheduler_kwargs": {"min_lr_rate": 0.05},
        "warmup_steps": 5, "num_train_epochs": 2, "per_device_train_batch_size": 4}, 103)
    ok("cosine_warmup_with_min_lr min_lr 1e-4 warmup_lr_rate 0.1 w0.25",
       {"learning_rate": 1e-3, "lr_scheduler_type": "cosine_warmup_with_min_lr",
        "lr_scheduler_kwargs": {"min_lr": 1e-4, "warmup_lr_rate": 0.1},
        "warmup_steps": 0.25, "num_train_epochs": 3, "per_device_train_batch_size": 8,
        "gradient_accumulation_steps": 2}, 50)

    # --- polynomial, constant, inverse_sqrt -------------------------------------------------
    ok("polynomial power 2 lr_end 1e-4 n103 b8 g2 e3 w3",
       {"learning_rate": 0.1, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"power": 2.0, "lr_end": 1e-4},
        "warmup_steps": 3, "num_train_epochs": 3, "per_device_train_batch_size": 8,
        "gradient_accumulation_steps": 2}, 103)
    ok("polynomial defaults lr 1e-3 n50 b4 e1.5",
       {"learning_rate": 1e-3, "lr_scheduler_type": "polynomial", "num_train_epochs": 1.5,
        "per_device_train_batch_size": 4}, 50)
    ok("polynomial power 0.5 lr_end 0.01 max_steps 25 w0.25",
       {"learning_rate": 0.1, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"power": 0.5, "lr_end": 0.01},
        "warmup_steps": 0.25, "max_steps": 25, "per_device_train_batch_size": 4}, 50)
    ok("constant n50 b4 e2",
       {"learning_rate": 0.1, "lr_scheduler_type": "constant", "num_train_epochs": 2,
        "per_device_train_batch_size": 4}, 50)
    ok("constant ignores lr_scheduler_kwargs and warmup",
       {"learning_rate": 0.03, "lr_scheduler_type": "constant", "lr_scheduler_kwargs": {"num_cycles": 3, "foo": "bar"},
        "warmup_steps": 5, "num_train_epochs": 1, "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2}, 50)
    ok("constant_with_warmup w7 n103 b4 g3 e2.3",
       {"learning_rate": 0.1, "lr_scheduler_type": "constant_with_warmup", "warmup_steps": 7, "num_train_epochs": 2.3,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 3}, 103)
    ok("constant_with_warmup w0.25 ignores lr_scheduler_kwargs n7 b1 g2 e1.5",
       {"learning_rate": 0.1, "lr_scheduler_type": "constant_with_warmup", "lr_scheduler_kwargs": {"foo": 1},
        "warmup_steps": 0.25, "num_train_epochs": 1.5, "per_device_train_batch_size": 1,
        "gradient_accumulation_steps": 2}, 7)
    ok("inverse_sqrt timescale 10 w4 n103 b4 e2",
       {"learning_rate": 0.1, "lr_scheduler_type": "inverse_sqrt", "lr_scheduler_kwargs": {"timescale": 10},
        "warmup_steps": 4, "num_train_epochs": 2, "per_device_train_batch_size": 4}, 103)
    ok("inverse_sqrt default timescale w5 n50",
       {"learning_rate": 0.1, "lr_scheduler_type": "inverse_sqrt", "warmup_steps": 5, "num_train_epochs": 3,
        "per_device_train_batch_size": 4}, 50)
    ok("inverse_sqrt no warmup max_steps 40",
       {"learning_rate": 0.1, "lr_scheduler_type": "inverse_sqrt", "max_steps": 40,
        "per_device_train_batch_size": 4}, 50)

    # --- warmup_stable_decay ------------------------------------------------------------------
    ok("warmup_stable_decay num_decay_steps 5 (stable derived) w3 n103 b8 e3",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay", "lr_scheduler_kwargs": {"num_decay_steps": 5},
        "warmup_steps": 3, "num_train_epochs": 3, "per_device_train_batch_size": 8}, 103)
    ok("warmup_stable_decay stable 4 decay 6 linear min_lr_ratio 0.1 (phases end early)",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
        "lr_scheduler_kwargs": {"num_stable_steps": 4, "num_decay_steps": 6, "decay_type": "linear", "min_lr_ratio": 0.1},
        "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 4}, 50)
    ok("warmup_stable_decay cosine warmup, 1-sqrt decay 10, w0.1",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
        "lr_scheduler_kwargs": {"num_decay_steps": 10, "warmup_type": "cosine", "decay_type": "1-sqrt"},
        "warmup_steps": 0.1, "num_train_epochs": 2.3, "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 2}, 103)
    ok("warmup_stable_decay 1-sqrt warmup, cosine decay num_cycles 1.0 min_lr_ratio 0.2",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
        "lr_scheduler_kwargs": {"num_decay_steps": 8, "warmup_type": "1-sqrt", "decay_type": "cosine",
                                "num_cycles": 1.0, "min_lr_ratio": 0.2},
        "warmup_steps": 4, "max_steps": 20, "per_device_train_batch_size": 4}, 50)
    ok("warmup_stable_decay decay longer than training (stable negative)",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
        "lr_scheduler_kwargs": {"num_decay_steps": 30, "decay_type": "linear"},
        "warmup_steps": 2, "num_train_epochs": 1, "per_device_train_batch_size": 4}, 50)

    # --- errors -----------------------------------------------------------------------------
    err("error: negative warmup_steps", "/args/warmup_steps",
        {"learning_rate": 0.1, "warmup_steps": -1}, 20)
    err("error: unknown lr_scheduler_kwargs key for cosine", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "lr_scheduler_kwargs": {"foo": 1}}, 20)
    err("error: polynomial lr_end above lr", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"lr_end": 0.2}}, 20)
    err("error: cosine_with_min_lr without min_lr", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_min_lr"}, 20)
    err("error: cosine_with_min_lr with min_lr and min_lr_rate", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_min_lr",
         "lr_scheduler_kwargs": {"min_lr": 0.01, "min_lr_rate": 0.1}}, 20)
    err("error: cosine_warmup_with_min_lr without min_lr", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "cosine_warmup_with_min_lr"}, 20)
    err("error: warmup_stable_decay without num_decay_steps", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay"}, 20)
    err("error: warmup_stable_decay unknown decay_type", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
         "lr_scheduler_kwargs": {"num_decay_steps": 2, "decay_type": "exp"}}, 20)
    err("error: warmup_stable_decay unknown warmup_type", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
         "lr_scheduler_kwargs": {"num_decay_steps": 2, "warmup_type": "exp"}}, 20)
    err("error: inverse_sqrt timescale 0", "/args/lr_scheduler_kwargs",
        {"learning_rate": 0.1, "lr_scheduler_type": "inverse_sqrt", "lr_scheduler_kwargs": {"timescale": 0}}, 20)
    err("error: unknown lr_scheduler_type", "/args/lr_scheduler_type",
        {"learning_rate": 0.1, "lr_scheduler_type": "bogus"}, 20)
    err("error: reduce_lr_on_plateau needs an eval strategy", "/args/lr_scheduler_type",
        {"learning_rate": 0.1, "lr_scheduler_type": "reduce_lr_on_plateau"}, 20)
    err("error: greedy needs an eval strategy", "/args/lr_scheduler_type",
        {"learning_rate": 0.1, "lr_scheduler_type": "greedy"}, 20)
    err("error: per_device_train_batch_size 0", "/args/per_device_train_batch_size",
        {"learning_rate": 0.1, "per_device_train_batch_size": 0}, 20)
    err("error: gradient_accumulation_steps 0", "/args/gradient_accumulation_steps",
        {"learning_rate": 0.1, "gradient_accumulation_steps": 0}, 20)
    err("error: negative learning_rate", "/args/learning_rate",
        {"learning_rate": -0.1}, 20)
    err("error: warmup_ratio no longer exists (5.x)", "/args/warmup_ratio",
        {"learning_rate": 0.1, "warmup_ratio": 0.1}, 20)
    err("error: empty dataset", "/dataset_size",
        {"learning_rate": 0.1}, 0)
    err("error: drop_last leaves no batch and max_steps unset", "/dataset_size",
        {"learning_rate": 0.1, "per_device_train_batch_size": 4, "dataloader_drop_last": True}, 3)

    # --- resume -----------------------------------------------------------------------------
    base = {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 2, "num_train_epochs": 2,
            "per_device_train_batch_size": 4}

    def resume(name, new_args, k, n=50, orig=None, orig_n=None):
        r = {"from_update": k, "args": dict(orig or base)}
        if orig_n is not None:
            r["dataset_size"] = orig_n
        ok(name, new_args, n, resume=r)

    resume("resume: same config (continuity) k5", dict(base), 5)
    resume("resume: longer num_train_epochs 2 -> 4, k5", {**base, "num_train_epochs": 4}, 5)
    resume("resume: changed learning_rate 0.1 -> 0.5 (kept from checkpoint), k5", {**base, "learning_rate": 0.5}, 5)
    resume("resume: changed warmup 2 -> 8, k5", {**base, "warmup_steps": 8}, 5)
    resume("resume: changed lr_scheduler_type cosine -> linear, k5", {**base, "lr_scheduler_type": "linear"}, 5)
    resume("resume: shorter run than the checkpoint, epochs 2 -> 0.5, k10", {**base, "num_train_epochs": 0.5}, 10)
    resume("resume: at an epoch boundary k13", dict(base), 13)
    resume("resume: checkpoint past the new last epoch, epochs 2 -> 1, k13 (no update)",
           {**base, "num_train_epochs": 1}, 13)
    resume("resume: max_steps 30 on resume, k5", {**base, "max_steps": 30}, 5)
    resume("resume: changed dataset_size 50 -> 103 and accumulation 1 -> 2, k6",
           {**base, "gradient_accumulation_steps": 2}, 6, n=103, orig_n=50)
    lin = {"learning_rate": 0.05, "lr_scheduler_type": "linear", "warmup_steps": 0.25, "num_train_epochs": 1.5,
           "per_device_train_batch_size": 3, "gradient_accumulation_steps": 2}
    resume("resume: inside warmup k1, linear w0.25, same config", dict(lin), 1, n=103, orig=lin)
    resume("resume: inside warmup k2, warmup ratio 0.25 -> 0.5", {**lin, "warmup_steps": 0.5}, 2, n=103, orig=lin)
    wsd = {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay",
           "lr_scheduler_kwargs": {"num_decay_steps": 6}, "warmup_steps": 3, "num_train_epochs": 2,
           "per_device_train_batch_size": 4}
    resume("resume: warmup_stable_decay longer run 2 -> 3 epochs, k10",
           {**wsd, "num_train_epochs": 3}, 10, n=50, orig=wsd)

    poly = {"learning_rate": 0.1, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"power": 2.0, "lr_end": 1e-3},
            "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 4}
    resume("resume: polynomial learning_rate 0.1 -> 0.05 (lr_init is the new optimizer's default lr), k5",
           {**poly, "learning_rate": 0.05}, 5, n=50, orig=poly)
    minlr = {"learning_rate": 0.1, "lr_scheduler_type": "cosine_with_min_lr", "lr_scheduler_kwargs": {"min_lr": 1e-2},
             "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 4}
    resume("resume: cosine_with_min_lr min_lr 1e-2, learning_rate 0.1 -> 0.2, k5",
           {**minlr, "learning_rate": 0.2}, 5, n=50, orig=minlr)

    # --- world size > 1 (real multi-process launches) ---------------------------------------
    ok("P2 linear n50 b4 (13 batches -> 7 per process) e2 w2",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 2, "num_train_epochs": 2,
        "per_device_train_batch_size": 4}, 50, world_size=2)
    ok("P2 cosine n50 b4 drop_last (12 -> 6) g2 e1.5 w0.1",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 0.1, "num_train_epochs": 1.5,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2, "dataloader_drop_last": True},
       50, world_size=2)
    ok("P2 warmup_stable_decay n103 b3 g3 e2 (35 -> 18)",
       {"learning_rate": 0.1, "lr_scheduler_type": "warmup_stable_decay", "lr_scheduler_kwargs": {"num_decay_steps": 4},
        "warmup_steps": 2, "num_train_epochs": 2, "per_device_train_batch_size": 3,
        "gradient_accumulation_steps": 3}, 103, world_size=2)
    ok("P2 cosine max_steps 10 n7 b2 (4 -> 2)",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 2, "max_steps": 10,
        "per_device_train_batch_size": 2}, 7, world_size=2)
    ok("P2 resume same config k3 (n50 b4, 7 per process)",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 2, "num_train_epochs": 3,
        "per_device_train_batch_size": 4}, 50, world_size=2,
       resume={"from_update": 3, "args": {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 2,
                                          "num_train_epochs": 3, "per_device_train_batch_size": 4}})
    ok("P3 cosine n103 b4 (26 -> 9) e2 w3",
       {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_steps": 3, "num_train_epochs": 2,
        "per_device_train_batch_size": 4}, 103, world_size=3)
    ok("P3 linear n103 b4 drop_last (25 -> 8) g2 e2.3 w0.1",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_steps": 0.1, "num_train_epochs": 2.3,
        "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2, "dataloader_drop_last": True},
       103, world_size=3)
    ok("P4 polynomial n50 b4 (13 -> 4) e3 w1",
       {"learning_rate": 0.1, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"power": 2.0},
        "warmup_steps": 1, "num_train_epochs": 3, "per_device_train_batch_size": 4}, 50, world_size=4)
    ok("P4 linear n50 b4 drop_last (12 -> 3) g2 e4",
       {"learning_rate": 0.1, "lr_scheduler_type": "linear", "num_train_epochs": 4, "per_device_train_batch_size": 4,
        "gradient_accumulation_steps": 2, "dataloader_drop_last": True}, 50, world_size=4)
    return cases


def transformers_457_cases():
    """warmup_ratio cases (TrainingArguments.warmup_ratio exists up to transformers 4.x)."""
    cases = []
    for name, args, n in [
        ("linear warmup_ratio 0.1 n103 b4 g3 e1.5",
         {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_ratio": 0.1, "num_train_epochs": 1.5,
          "per_device_train_batch_size": 4, "gradient_accumulation_steps": 3}, 103),
        ("cosine warmup_ratio 0.25 n50 b4 e2",
         {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_ratio": 0.25, "num_train_epochs": 2,
          "per_device_train_batch_size": 4}, 50),
        ("linear warmup_ratio 0.3 max_steps 17 n50 b4 g2 drop_last",
         {"learning_rate": 0.1, "lr_scheduler_type": "linear", "warmup_ratio": 0.3, "max_steps": 17,
          "per_device_train_batch_size": 4, "gradient_accumulation_steps": 2, "dataloader_drop_last": True}, 50),
        ("cosine warmup_ratio 0.25 ignored when warmup_steps 3 > 0",
         {"learning_rate": 0.1, "lr_scheduler_type": "cosine", "warmup_ratio": 0.25, "warmup_steps": 3,
          "num_train_epochs": 2, "per_device_train_batch_size": 4}, 50),
    ]:
        cases.append((name, T(args, n), None))
    cases.append(("error: warmup_ratio above 1", T({"learning_rate": 0.1, "warmup_ratio": 1.5}, 20), "/args/warmup_ratio"))
    cases.append(("error: negative warmup_ratio", T({"learning_rate": 0.1, "warmup_ratio": -0.1}, 20),
                  "/args/warmup_ratio"))
    return cases


# ---------------------------------------------------------------------------
# accelerate cases
# ---------------------------------------------------------------------------


def A(spec, lr, updates, P=None, split=None, G=None, swo=None):
    req = {"trainer": "accelerate", "scheduler": spec, "lr": lr}
    if P is not None:
        req["num_processes"] = P
    if split is not None:
        req["split_batches"] = split
    if G is not None:
        req["gradient_accumulation_steps"] = G
    if swo is not None:
        req["step_with_optimizer"] = swo
    req["updates"] = updates
    return req


def accelerate_cases():
    """``[(name, request, real_launch, error_field or None)]``: ``real_launch`` marks the
    cases that are also run by a real multi-process launch."""
    torch_s = lambda name, params: {"framework": "torch", "scheduler": name, "params": params}  # noqa: E731
    hf_s = lambda name, params: {"framework": "transformers", "scheduler": name, "params": params}  # noqa: E731
    schedulers = [
        ("StepLR", torch_s("StepLR", {"step_size": 3, "gamma": 0.5}), 12),
        ("CosineAnnealingLR", torch_s("CosineAnnealingLR", {"T_max": 20, "eta_min": 0.001}), 12),
        ("LinearLR", torch_s("LinearLR", {"start_factor": 0.25, "total_iters": 10}), 10),
        ("ExponentialLR", torch_s("ExponentialLR", {"gamma": 0.9}), 10),
        ("OneCycleLR", torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 40}), 12),
        ("transformers cosine", hf_s("cosine", {"num_warmup_steps": 3, "num_training_steps": 24}), 12),
        ("transformers linear", hf_s("linear", {"num_warmup_steps": 2, "num_training_steps": 16}), 10),
    ]
    # (P, split_batches, G, step_with_optimizer)
    configs = [
        (1, False, 1, True),
        (2, False, 1, True),
        (4, False, 1, True),
        (8, False, 1, True),
        (2, True, 1, True),
        (4, True, 2, True),
        (1, False, 2, True),
        (2, False, 4, True),
        (8, True, 4, True),
        (1, False, 4, False),
        (2, False, 2, False),
        (4, True, 1, False),
    ]
    cases = []
    for label, spec, updates in schedulers:
        for P, split, G, swo in configs:
            name = f"{label} P{P}{' split' if split else ''} G{G}{'' if swo else ' step_with_optimizer=false'}"
            field = None
            if spec["scheduler"] == "OneCycleLR" and not swo and G * updates > spec["params"]["total_steps"]:
                field = "/scheduler/params/total_steps"  # unguarded inner steps run past total_steps
                name += " (error)"
            cases.append((name, A(spec, 0.1, updates, P=P, split=split, G=G, swo=swo), False, field))
    # Defaults (no optional field) and OneCycleLR's total_steps guard.
    cases.append(("OneCycleLR total_steps 10 step_with_optimizer=false, 12 updates (error)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 10}), 0.1, 12, swo=False), False, "/scheduler/params/total_steps"))
    cases.append(("OneCycleLR total_steps 9 P8 split, 10 updates (split path has no guard: error)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 9}), 0.1, 10, P=8, split=True), False,
                  "/scheduler/params/total_steps"))
    cases.append(("OneCycleLR total_steps 5 P1, 8 updates (guard saturates instead of raising)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 5}), 0.1, 8), False, None))
    cases.append(("StepLR all defaults", A(torch_s("StepLR", {"step_size": 2, "gamma": 0.1}), 0.1, 6), False, None))
    cases.append(("OneCycleLR total_steps 16 P4 (guard stops the inner steps)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 16}), 0.1, 8, P=4), False, None))
    cases.append(("OneCycleLR total_steps 16 P4 G2 (accumulation micro-steps do not count: adjust_scheduler is off)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 16}), 0.1, 8, P=4, G=2), False, None))
    cases.append(("OneCycleLR total_steps 10 P2 G3",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 10}), 0.1, 8, P=2, G=3), False, None))
    cases.append(("OneCycleLR total_steps 12 P1 G4 (guard without a process multiplier)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 12}), 0.1, 6, P=1, G=4), False, None))
    cases.append(("OneCycleLR total_steps 9 P8 split (one step per update)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 9}), 0.1, 9, P=8, split=True), False, None))
    # Real multi-process launches (also simulated; the two must agree).
    cases.append(("real P2 StepLR G1",
                  A(torch_s("StepLR", {"step_size": 3, "gamma": 0.5}), 0.1, 8, P=2), True, None))
    cases.append(("real P2 OneCycleLR total_steps 12 G2 (guard)",
                  A(torch_s("OneCycleLR", {"max_lr": 0.1, "total_steps": 12}), 0.1, 8, P=2, G=2), True, None))
    cases.append(("real P2 split transformers cosine G2",
                  A(hf_s("cosine", {"num_warmup_steps": 2, "num_training_steps": 10}), 0.1, 8, P=2, split=True, G=2),
                  True, None))
    cases.append(("real P2 LinearLR G2 step_with_optimizer=false",
                  A(torch_s("LinearLR", {"start_factor": 0.5, "total_iters": 8}), 0.1, 6, P=2, G=2, swo=False), True, None))
    cases.append(("real P4 ExponentialLR G1",
                  A(torch_s("ExponentialLR", {"gamma": 0.95}), 0.1, 6, P=4), True, None))
    return cases


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------


def build_transformers_fixture(skip_multiprocess: bool):
    raw = transformers_cases()
    names = [name for name, _, _ in raw]
    assert len(names) == len(set(names)), "duplicate transformers case names"
    results = {}
    multi = {}
    for i, (name, req, field) in enumerate(raw):
        req = roundtrip(req)
        raw[i] = (name, req, field)
        if req.get("world_size", 1) > 1:
            multi.setdefault(req["world_size"], []).append(i)
            continue
        results[i] = run_transformers_case(req, tempfile.mkdtemp(prefix="lrsched-trainer-"))
    if not skip_multiprocess:
        for P in sorted(multi):
            idx = multi[P]
            out = launch("transformers", P, [raw[i][1] for i in idx])
            for i, r in zip(idx, out):
                results[i] = r
    cases = []
    for i, (name, req, field) in enumerate(raw):
        if i not in results:
            continue
        r = results[i]
        if field is None:
            assert "error" not in r, (name, r)
            if "resume" in req and req["args"] == req["resume"]["args"] and "dataset_size" not in req["resume"]:
                k = req["resume"]["from_update"]
                assert r["lrs"] == r["_original_lrs"][k:], (name, "resume continuity")
            cases.append({"name": name, "request": req, "lrs": r["lrs"], "plan": r["plan"]})
        else:
            assert "error" in r, (name, "expected an error", r)
            assert "0x" not in r["error"], r["error"]
            cases.append({"name": name, "request": req, "error": r["error"], "error_field": field})
    return cases


def build_accelerate_fixture(skip_multiprocess: bool):
    raw = accelerate_cases()
    names = [c[0] for c in raw]
    assert len(names) == len(set(names)), "duplicate accelerate case names"
    cases = []
    real = {}
    for name, req, is_real, field in raw:
        req = roundtrip(req)
        r = run_accelerate_case(req)
        if field is None:
            assert "error" not in r, (name, r)
            cases.append({"name": name, "request": req, "lrs": r["lrs"], "plan": r["plan"]})
        else:
            assert "error" in r, (name, "expected an error", r)
            cases.append({"name": name, "request": req, "error": r["error"], "error_field": field,
                          "error_micro_step": r["error_micro_step"], "error_update": r["error_update"]})
        if is_real:
            real.setdefault(req.get("num_processes", 1), []).append(len(cases) - 1)
    _reset_accelerate_state()
    n_real = 0
    if not skip_multiprocess:
        for P in sorted(real):
            idx = real[P]
            out = launch("accelerate", P, [cases[i]["request"] for i in idx])
            for i, r in zip(idx, out):
                sim = {k: v for k, v in cases[i].items() if k not in ("name", "request", "error_field")}
                assert json.dumps(sim) == json.dumps(r), (cases[i]["name"], "simulated != real", sim, r)
                n_real += 1
    return cases, n_real


def run_457(python: str, out_dir: str) -> int:
    """Run the warmup_ratio cases under transformers 4.57.6 (a separate interpreter)."""
    probe = subprocess.run([python, "-c", "import transformers, torch, accelerate;"
                            "print(transformers.__version__, torch.__version__, accelerate.__version__)"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if probe.returncode != 0 or not probe.stdout.startswith("4.57.6 "):
        print(f"transformers-4.57.json: skipped ({python} has no transformers 4.57.6)")
        return 0
    tf_v, torch_v, acc_v = probe.stdout.split()
    raw = [(name, roundtrip(req), field) for name, req, field in transformers_457_cases()]
    work = tempfile.mkdtemp(prefix="lrsched-457-")
    try:
        in_path = os.path.join(work, "requests.json")
        with open(in_path, "w") as fh:
            json.dump([req for _, req, _ in raw], fh)
        subprocess.run([python, os.path.abspath(__file__), "--worker", "transformers-local",
                        "--requests", in_path, "--work", work], check=True)
        with open(os.path.join(work, "results.rank0.json")) as fh:
            results = json.load(fh)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cases = []
    for (name, req, field), r in zip(raw, results):
        if field is None:
            assert "error" not in r, (name, r)
            cases.append({"name": name, "request": req, "lrs": r["lrs"], "plan": r["plan"]})
        else:
            assert "error" in r, (name, "expected an error", r)
            cases.append({"name": name, "request": req, "error": r["error"], "error_field": field})
    header = {"transformers": strip_local(tf_v), "accelerate": strip_local(acc_v), "torch": strip_local(torch_v),
              "trainer": "transformers"}
    path = os.path.join(out_dir, "transformers-4.57.json")
    dump_fixture(path, header, cases)
    print(f"{'transformers-4.57.json':24s} {len(cases):3d} cases")
    return len(cases)


def local_worker(requests_path: str, work: str) -> None:
    """Single-process worker (the transformers 4.57.6 interpreter)."""
    quiet()
    with open(requests_path) as fh:
        requests = json.load(fh)
    results = []
    for i, req in enumerate(requests):
        r = run_transformers_case(req, os.path.join(work, f"case{i}"))
        r.pop("_original_lrs", None)
        results.append(r)
    with open(os.path.join(work, "results.rank0.json"), "w") as fh:
        json.dump(results, fh)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--skip-multiprocess", action="store_true")
    parser.add_argument("--python-457", default=DEFAULT_PYTHON_457)
    parser.add_argument("--only", choices=["transformers", "accelerate", "accelerate-resume", "transformers-4.57"],
                        help="write only this file")
    parser.add_argument("--worker", choices=["transformers", "accelerate", "transformers-local"], help=argparse.SUPPRESS)
    parser.add_argument("--requests", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    opts = parser.parse_args()

    if opts.worker == "transformers-local":
        local_worker(opts.requests, opts.work)
        return
    if opts.worker:
        worker(opts.worker, opts.requests, opts.work)
        return

    quiet()
    import accelerate
    import torch
    import transformers

    versions = {
        "transformers": strip_local(transformers.__version__),
        "accelerate": strip_local(accelerate.__version__),
        "torch": strip_local(torch.__version__),
    }
    if versions["transformers"] != EXPECTED_TRANSFORMERS:
        print(f"warning: transformers {versions['transformers']} (fixtures expect {EXPECTED_TRANSFORMERS})",
              file=sys.stderr)
    os.makedirs(opts.out, exist_ok=True)

    if opts.only in (None, "transformers"):
        tf_cases = build_transformers_fixture(opts.skip_multiprocess)
        path = os.path.join(opts.out, "transformers.json")
        dump_fixture(path, {**versions, "trainer": "transformers"}, tf_cases)
        n_err = sum(1 for c in tf_cases if "error" in c)
        print(f"{'transformers.json':24s} {len(tf_cases):3d} cases ({len(tf_cases) - n_err} valid, {n_err} error)")

    if opts.only in (None, "accelerate"):
        acc_cases, n_real = build_accelerate_fixture(opts.skip_multiprocess)
        path = os.path.join(opts.out, "accelerate.json")
        dump_fixture(path, {**versions, "trainer": "accelerate"}, acc_cases)
        n_err = sum(1 for c in acc_cases if "error" in c)
        print(f"{'accelerate.json':24s} {len(acc_cases):3d} cases ({len(acc_cases) - n_err} valid, {n_err} error;"
              f" {n_real} also checked by a real launch)")

    if opts.only in (None, "accelerate-resume"):
        cases = build_accelerate_resume_fixture()
        dump_fixture(os.path.join(opts.out, "accelerate-resume.json"), {**versions, "trainer": "accelerate"}, cases)
        print(f"{'accelerate-resume.json':24s} {len(cases):3d} cases (accelerator.save_state, then load_state)")

    if opts.only in (None, "transformers-4.57"):
        run_457(opts.python_457, opts.out)


if __name__ == "__main__":
    main()
