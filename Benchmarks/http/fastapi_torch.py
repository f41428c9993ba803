"""A reference schedule service in Python, for scripts/bench.sh: FastAPI + uvicorn, the values from
torch's own schedulers (and transformers' cosine with warm-up written as HF writes it), the
answer in lrsched's JSON shape. Run: uvicorn --app-dir benchmarks fastapi_torch:app --port 18082
"""

import math
import warnings

import torch
from fastapi import FastAPI, Request
from fastapi.responses import Response
import json

warnings.simplefilter("ignore")
torch.set_num_threads(1)
app = FastAPI()


def hf_cosine(warmup: int, total: int):
    def f(step: int) -> float:
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * progress)))
    return f


@app.post("/v1/schedules")
async def schedules(request: Request) -> Response:
    spec = json.loads(await request.body())
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=spec.get("lr", 1.0))
    params = spec.get("params", {})
    if spec.get("framework") == "transformers":
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, hf_cosine(params["num_warmup_steps"], params["num_training_steps"]))
    else:
        sched = getattr(torch.optim.lr_scheduler, spec["scheduler"])(opt, **params)
    lrs = []
    for _ in range(spec["epochs"]):
        lrs.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    body = {"scheduler": spec["scheduler"], "epochs": spec["epochs"], "start": 0, "lrs": lrs}
    return Response(json.dumps(body, separators=(",", ":")) + "\n", media_type="application/json")
