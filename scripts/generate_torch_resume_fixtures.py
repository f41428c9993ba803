"""Golden fixtures for `resume` on torch scheduler requests, from torch's own
`load_state_dict`.

For each case a first run builds the scheduler from `resume.params` (at `resume.lr`), steps it
`from_update` times and saves `scheduler.state_dict()` and `optimizer.state_dict()`. A second
run builds the scheduler from the request's `params` (at the request's `lr`) on a fresh
optimizer, loads both states, as a training script resuming from a checkpoint does, and
records `optimizer.param_groups[g]["lr"]` at steps start .. start + epochs - 1 (step `from_update`
is the value right after loading). Writes
Tests/SchedulesTests/Fixtures/trainers/torch_resume.json.

    python3 scripts/generate_torch_resume_fixtures.py
"""

from __future__ import annotations

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from fixture_support import build_scheduler, dump_fixture, roundtrip  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "SchedulesTests", "Fixtures", "trainers", "torch_resume.json")


def optimizer_for(lrs):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in lrs]
    return torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)], lr=lrs[0])


def run(case):
    name = case.pop("_name")
    request = roundtrip(case)
    lrs = request["lr"] if isinstance(request["lr"], list) else [request["lr"]]
    resume = request["resume"]
    old_lrs = resume.get("lr", request["lr"])
    old_lrs = old_lrs if isinstance(old_lrs, list) else [old_lrs]
    k = resume["from_update"]
    opt1 = optimizer_for(old_lrs)
    s1 = build_scheduler(opt1, request["scheduler"], resume.get("params", {}))
    for _ in range(k):
        opt1.step()
        s1.step()
    sched_state = s1.state_dict()
    opt_state = opt1.state_dict()
    opt2 = optimizer_for(lrs)
    s2 = build_scheduler(opt2, request["scheduler"], request.get("params", {}))
    opt2.load_state_dict(opt_state)
    s2.load_state_dict(sched_state)
    start = request.get("start", k)
    step = k
    values = [[] for _ in lrs]
    while step < start + request["epochs"]:
        if step >= start:
            for g, group in enumerate(opt2.param_groups):
                values[g].append(float(group["lr"]))
        opt2.step()
        s2.step()
        step += 1
    out = {"name": name, "request": request, "lrs": values[0]}
    if len(lrs) > 1:
        out["group_lrs"] = values
    return out


def cases():
    c = []

    def add(name, **kw):
        kw["_name"] = name
        c.append(kw)

    add("cosine longer T_max ignored", scheduler="CosineAnnealingLR", lr=1.0, params={"T_max": 200}, epochs=60,
        resume={"from_update": 50, "params": {"T_max": 100}})
    add("cosine shorter T_max ignored", scheduler="CosineAnnealingLR", lr=0.1, params={"T_max": 20, "eta_min": 0.01}, epochs=40,
        resume={"from_update": 10, "params": {"T_max": 60}})
    add("cosine new lr ignored", scheduler="CosineAnnealingLR", lr=0.5, params={"T_max": 100}, epochs=30,
        resume={"from_update": 7, "params": {"T_max": 100}, "lr": 0.1})
    add("onecycle longer total_steps ignored", scheduler="OneCycleLR", lr=0.1, params={"max_lr": 1.0, "total_steps": 300}, epochs=50,
        resume={"from_update": 40, "params": {"max_lr": 1.0, "total_steps": 100}})
    add("steplr new step_size ignored", scheduler="StepLR", lr=0.1, params={"step_size": 5, "gamma": 0.5}, epochs=25,
        resume={"from_update": 12, "params": {"step_size": 3, "gamma": 0.9}})
    add("multistep milestones ignored", scheduler="MultiStepLR", lr=1.0, params={"milestones": [50, 80], "gamma": 0.1}, epochs=40,
        resume={"from_update": 5, "params": {"milestones": [10, 20, 30], "gamma": 0.5}})
    add("exponential", scheduler="ExponentialLR", lr=0.3, params={"gamma": 0.99}, epochs=20,
        resume={"from_update": 33, "params": {"gamma": 0.9}})
    add("linear total_iters ignored", scheduler="LinearLR", lr=0.2, params={"start_factor": 0.1, "total_iters": 40}, epochs=30,
        resume={"from_update": 3, "params": {"start_factor": 0.25, "total_iters": 10}})
    add("polynomial", scheduler="PolynomialLR", lr=0.2, params={"total_iters": 50, "power": 2.0}, epochs=30,
        resume={"from_update": 8, "params": {"total_iters": 20, "power": 1.0}})
    add("constant", scheduler="ConstantLR", lr=0.2, params={"factor": 0.5, "total_iters": 4}, epochs=10,
        resume={"from_update": 2, "params": {"factor": 0.25, "total_iters": 6}})
    add("warm restarts", scheduler="CosineAnnealingWarmRestarts", lr=0.1, params={"T_0": 7, "T_mult": 2}, epochs=40,
        resume={"from_update": 11, "params": {"T_0": 5, "T_mult": 1}})
    add("cyclic", scheduler="CyclicLR", lr=0.001, params={"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4}, epochs=30,
        resume={"from_update": 9, "params": {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 6}})
    add("lambda new function applies", scheduler="LambdaLR", lr=0.1, params={"lr_lambda": "0.5 ** (epoch // 10)"}, epochs=40,
        resume={"from_update": 15, "params": {"lr_lambda": "0.9 ** epoch"}})
    add("lambda new function, new lr ignored", scheduler="LambdaLR", lr=0.5, params={"lr_lambda": "1 / (epoch + 1)"}, epochs=20,
        resume={"from_update": 4, "params": {"lr_lambda": "1 / (epoch + 1)"}, "lr": 0.2})
    add("lambda start after checkpoint", scheduler="LambdaLR", lr=0.1, params={"lr_lambda": "min(1.0, (epoch + 1) / 20)"}, epochs=15, start=30,
        resume={"from_update": 25, "params": {"lr_lambda": "min(1.0, (epoch + 1) / 10)"}})
    add("cosine start after checkpoint", scheduler="CosineAnnealingLR", lr=1.0, params={"T_max": 90}, epochs=20, start=70,
        resume={"from_update": 60, "params": {"T_max": 80}})
    add("groups", scheduler="StepLR", lr=[0.1, 0.01], params={"step_size": 2}, epochs=12,
        resume={"from_update": 3, "params": {"step_size": 4, "gamma": 0.5}})
    add("groups cosine", scheduler="CosineAnnealingLR", lr=[0.1, 0.02], params={"T_max": 30}, epochs=20,
        resume={"from_update": 6, "params": {"T_max": 12}, "lr": [0.2, 0.04]})
    add("same config continues", scheduler="CosineAnnealingLR", lr=0.1, params={"T_max": 50}, epochs=40,
        resume={"from_update": 10, "params": {"T_max": 50}})
    add("one cycle same", scheduler="OneCycleLR", lr=0.1, params={"max_lr": 0.5, "total_steps": 60, "anneal_strategy": "linear"}, epochs=30,
        resume={"from_update": 20, "params": {"max_lr": 0.5, "total_steps": 60, "anneal_strategy": "linear"}})
    add("cosine at checkpoint only", scheduler="CosineAnnealingLR", lr=0.1, params={"T_max": 10}, epochs=1,
        resume={"from_update": 1, "params": {"T_max": 10}})
    add("steplr long", scheduler="StepLR", lr=1.0, params={"step_size": 30, "gamma": 0.1}, epochs=100,
        resume={"from_update": 45, "params": {"step_size": 30, "gamma": 0.1}})
    add("exponential long", scheduler="ExponentialLR", lr=1.0, params={"gamma": 0.97}, epochs=200,
        resume={"from_update": 100, "params": {"gamma": 0.95}})
    add("linear end", scheduler="LinearLR", lr=0.05, params={"start_factor": 0.5, "end_factor": 1.0, "total_iters": 5}, epochs=10,
        resume={"from_update": 4, "params": {"start_factor": 0.1, "end_factor": 0.9, "total_iters": 20}})
    add("cosine eta_min", scheduler="CosineAnnealingLR", lr=0.1, params={"T_max": 40, "eta_min": 0.001}, epochs=45,
        resume={"from_update": 30, "params": {"T_max": 40, "eta_min": 0.01}})
    return c


def main():
    results = [run(case) for case in cases()]
    dump_fixture(OUT, {"torch": torch.__version__.split("+")[0], "trainer": "torch resume"}, results)
    print(f"wrote {len(results)} cases to {OUT}")


if __name__ == "__main__":
    main()
