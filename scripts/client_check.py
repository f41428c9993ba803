#!/usr/bin/env python3
"""Proves that openapi.yaml makes a working client: generates a Python client from it with
openapi-python-client, then uses that client, and only it, against a running lrsched (on a
loopback port). It calls `POST /v1/schedules` for one schedule of every family in the catalogue
and for every trainer, the batch route with `diff`, the catalogue, and an invalid request; each
answer must parse into the generated models, and its learning rates must be those of the same
request sent as plain JSON, bit for bit.

The generator must process every schema, and every object schema must become a model: a
schema it skips or reads as untyped fails the check. The only
warning allowed is the `application/yaml` answer of `GET /openapi.yaml`, which a JSON client
does not parse.

Usage: python3 scripts/client_check.py --bin PATH_TO_LRSCHED --generator PATH_TO_openapi-python-client
"""

import argparse
import importlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALLOWED_WARNING = "Unsupported content_type application/yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(generator: str, out: str):
    """Runs the generator on openapi.yaml; returns the path of the package's parent directory."""
    run = subprocess.run(
        [generator, "generate", "--path", os.path.join(ROOT, "openapi.yaml"), "--meta", "none",
         "--output-path", os.path.join(out, "lrsched_client"), "--overwrite"],
        capture_output=True, text=True, timeout=600)
    output = run.stdout + run.stderr
    problems = [line for line in output.splitlines()
                if line.startswith(("Unable to", "Failure to", "Cannot parse", "WARNING", "Invalid"))
                and ALLOWED_WARNING not in line and "GET /openapi.yaml" not in line]
    if run.returncode != 0 or problems or not os.path.isdir(os.path.join(out, "lrsched_client")):
        sys.exit(f"openapi-python-client did not generate a complete client (exit {run.returncode}):\n{output}")
    return out


def plain(base: str, body: dict) -> dict:
    """The same request as plain JSON over urllib: the reference answer."""
    request = urllib.request.Request(base + "/v1/schedules", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


# One schedule of every family, each built from the generated models: the family's `*Params`
# model gives the typed parameters, `ScheduleRequest` carries them.
FAMILY_CASES = {
    "torch": ("SchedulerName", "ONECYCLELR", None, "OneCycleLRParams",
              {"max_lr": 0.1, "total_steps": 100, "pct_start": 0.25}, {"epochs": 100}),
    "transformers": ("TransformersSchedulerName", "COSINE_WITH_RESTARTS", "TRANSFORMERS",
                     "TransformersCosineWithRestartsParams",
                     {"num_warmup_steps": 10, "num_training_steps": 200, "num_cycles": 3}, {"lr": 0.001, "epochs": 200}),
    "timm": ("TimmSchedulerName", "COSINELRSCHEDULER", "TIMM", "TimmCosineLRSchedulerParams",
             {"t_initial": 50, "warmup_t": 5, "warmup_lr_init": 1e-5, "lr_min": 1e-6}, {"lr": 0.01, "epochs": 60}),
    "optax": ("OptaxSchedulerName", "WARMUP_COSINE_DECAY_SCHEDULE", "OPTAX", "OptaxWarmupCosineDecayScheduleParams",
              {"init_value": 0.0, "peak_value": 0.001, "warmup_steps": 100, "decay_steps": 1000}, {"epochs": 1000}),
    "keras": ("KerasSchedulerName", "COSINEDECAY", "KERAS", "KerasCosineDecayParams",
              {"initial_learning_rate": 0.1, "decay_steps": 500, "warmup_target": 0.5, "warmup_steps": 50},
              {"epochs": 600}),
    "deepspeed": ("DeepSpeedSchedulerName", "WARMUPDECAYLR", "DEEPSPEED", "DeepSpeedWarmupDecayLRParams",
                  {"total_num_steps": 100, "warmup_num_steps": 10, "warmup_max_lr": 0.001, "warmup_type": "linear"},
                  {"lr": 0.001, "epochs": 120}),
    "mmengine": ("MMEngineSchedulerName", "COSINEANNEALINGLR", "MMENGINE", "MMEngineCosineAnnealingLRParams",
                 {"T_max": 90, "eta_min_ratio": 0.01, "begin": 10, "end": 100}, {"lr": 0.02, "epochs": 120}),
    "megatron": ("MegatronSchedulerName", "OPTIMIZERPARAMSCHEDULER", "MEGATRON", "MegatronOptimizerParamSchedulerParams",
                 {"init_lr": 0.0, "max_lr": 3e-4, "min_lr": 3e-5, "lr_warmup_steps": 2048, "lr_decay_steps": 51200,
                  "lr_decay_style": "cosine", "increment": 512}, {"epochs": 110}),
}

TRAINER_CASES = {
    "transformers": ("TransformersTrainerRequest", {
        "trainer": "transformers", "dataset_size": 50000, "world_size": 4,
        "args": {"learning_rate": 1e-3, "lr_scheduler_type": "cosine", "warmup_steps": 0.1,
                 "num_train_epochs": 3, "per_device_train_batch_size": 16, "gradient_accumulation_steps": 4}}),
    "lightning": ("LightningTrainerRequest", {
        "trainer": "lightning", "lr": 0.1, "batches_per_epoch": 100,
        "lr_scheduler": {"scheduler": {"scheduler": "StepLR", "params": {"step_size": 2}}},
        "trainer_args": {"max_epochs": 5}}),
    "timm": ("TimmTrainerRequest", {
        "trainer": "timm", "batches_per_epoch": 50,
        "args": {"sched": "cosine", "epochs": 10, "lr": 0.05, "warmup_epochs": 2, "sched_on_updates": True}}),
    "accelerate": ("AccelerateTrainerRequest", {
        "trainer": "accelerate", "lr": 0.001, "updates": 100, "num_processes": 2,
        "scheduler": {"framework": "transformers", "scheduler": "linear",
                      "params": {"num_warmup_steps": 20, "num_training_steps": 200}}}),
    "deepspeed": ("DeepSpeedTrainerRequest", {
        "trainer": "deepspeed", "updates": 60, "world_size": 2,
        "config": {"train_batch_size": 64, "gradient_accumulation_steps": 4,
                   "optimizer": {"type": "AdamW", "params": {"lr": 3e-4, "weight_decay": 0.01}},
                   "scheduler": {"type": "WarmupCosineLR", "params": {"total_num_steps": 60, "warmup_num_steps": 6}},
                   "bf16": {"enabled": True}}}),
    "mmengine": ("MMEngineTrainerRequest", {
        "trainer": "mmengine", "lr": 0.02, "iters_per_epoch": 20,
        "param_scheduler": [{"type": "LinearLR", "start_factor": 0.001, "by_epoch": False, "begin": 0, "end": 50},
                            {"type": "MultiStepLR", "by_epoch": True, "begin": 0, "end": 12, "milestones": [8, 11]}],
        "train_cfg": {"by_epoch": True, "max_epochs": 12}}),
    "megatron": ("MegatronTrainerRequest", {
        "trainer": "megatron",
        "args": {"lr": 3e-4, "min_lr": 3e-5, "lr_decay_style": "cosine", "train_iters": 200,
                 "lr_warmup_fraction": 0.01, "global_batch_size": 512}}),
}


def check(args):
    generator_dir = generate(args.generator, tempfile.mkdtemp(prefix="lrsched-client-"))
    sys.path.insert(0, generator_dir)
    client_pkg = importlib.import_module("lrsched_client")
    models = importlib.import_module("lrsched_client.models")
    compute = importlib.import_module("lrsched_client.api.schedules.compute_schedule")
    batch = importlib.import_module("lrsched_client.api.schedules.compute_schedule_batch")
    catalogue_api = importlib.import_module("lrsched_client.api.schedules.list_schedulers")
    untyped = [name for name, schema in yaml.safe_load(open(os.path.join(ROOT, "openapi.yaml")))["components"][
        "schemas"].items() if "properties" in schema and not (hasattr(models, name) or hasattr(models, name + "Type0"))]
    if untyped:
        sys.exit(f"the generated client has no model for {untyped} (the generator read them as untyped)")

    port = free_port()
    server = subprocess.Popen([args.bin, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error"],
                              stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    failures = []
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        client = client_pkg.Client(base_url=base, timeout=30.0)

        catalogue = catalogue_api.sync(client=client)
        if not isinstance(catalogue, models.Catalogue):
            sys.exit(f"GET /v1/schedulers did not parse as Catalogue: {catalogue!r}")
        families = [f.framework.value for f in catalogue.families]
        trainers = [t.trainer.value for t in catalogue.trainers]
        missing = sorted(set(families) - set(FAMILY_CASES)) + sorted(set(trainers) - set(TRAINER_CASES))
        if missing:
            failures.append(f"no client case for {missing}: add one to FAMILY_CASES or TRAINER_CASES")

        requests = []
        for family in families:
            if family not in FAMILY_CASES:
                continue
            enum_name, member, framework, params_model, params, extra = FAMILY_CASES[family]
            typed = getattr(models, params_model).from_dict(params)
            body = models.ScheduleRequest(
                scheduler=getattr(getattr(models, enum_name), member),
                framework=getattr(models.Framework, framework) if framework else client_pkg.types.UNSET,
                params=models.ScheduleRequestParamsType0.from_dict(typed.to_dict()),
                summary=True, **extra)
            requests.append((f"family {family}", body))
        for trainer in trainers:
            if trainer in TRAINER_CASES:
                model, data = TRAINER_CASES[trainer]
                requests.append((f"trainer {trainer}", getattr(models, model).from_dict(data)))

        for name, body in requests:
            response = compute.sync_detailed(client=client, body=body)
            parsed = response.parsed
            if response.status_code != 200 or not isinstance(parsed, models.ScheduleResponse):
                failures.append(f"{name}: status {response.status_code}, parsed {type(parsed).__name__}: "
                                f"{response.content[:300]!r}")
                continue
            expected = plain(base, body.to_dict())
            if parsed.lrs != expected["lrs"] or len(parsed.lrs) == 0:
                failures.append(f"{name}: the client's lrs differ from the plain answer's")
            if parsed.summary is not client_pkg.types.UNSET and parsed.summary.to_dict() != expected.get("summary"):
                failures.append(f"{name}: the client's summary {parsed.summary.to_dict()} differs from "
                                f"{expected.get('summary')}")
            print(f"ok  {name}: {len(parsed.lrs)} values, final {parsed.lrs[-1]!r}")

        # Two schedules of one run compared: a float32 optax schedule against transformers'.
        pair = models.BatchRequest.from_dict({"diff": True, "rtol": 1e-6, "requests": [
            {"framework": "transformers", "scheduler": "linear", "lr": 0.001,
             "params": {"num_warmup_steps": 10, "num_training_steps": 100}, "epochs": 100},
            {"framework": "optax", "scheduler": "join_schedules", "epochs": 100, "params": {
                "schedules": [{"scheduler": "linear_schedule", "params": {
                                   "init_value": 0.0, "end_value": 0.001, "transition_steps": 10}},
                              {"scheduler": "linear_schedule", "params": {
                                   "init_value": 0.001, "end_value": 0.0, "transition_steps": 90}}],
                "boundaries": [10]}}]})
        answer = batch.sync_detailed(client=client, body=pair)
        if answer.status_code != 200 or not isinstance(answer.parsed, models.BatchResponse):
            failures.append(f"batch: status {answer.status_code}: {answer.content[:300]!r}")
        else:
            diff = answer.parsed.results[1].diff
            print(f"ok  batch diff: differing_steps {diff.differing_steps} under rtol 1e-6")

        # An invalid request parses as a Problem with a pointer at the field.
        wrong = models.ScheduleRequest(scheduler=models.SchedulerName.STEPLR, lr=0.1, epochs=3,
                                       params=models.ScheduleRequestParamsType0.from_dict({"step_sise": 10}))
        problem = compute.sync_detailed(client=client, body=wrong)
        if problem.status_code != 422 or not isinstance(problem.parsed, models.Problem):
            failures.append(f"invalid request: status {problem.status_code}, parsed {type(problem.parsed).__name__}")
        else:
            pointers = [e.pointer for e in problem.parsed.errors]
            if "/params/step_sise" not in pointers:
                failures.append(f"invalid request: pointers {pointers}")
            print(f"ok  invalid request: 422 at {pointers}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    if failures:
        sys.exit("client check failed:\n  " + "\n  ".join(failures))
    print(f"client check: {len(requests)} schedules, the batch route and a problem through the generated client")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--generator", required=True)
    check(parser.parse_args())


if __name__ == "__main__":
    main()
