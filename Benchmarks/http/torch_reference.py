"""Timings of the Python side for scripts/bench.sh: torch's StepLR.step() per epoch, and the MLP
training runs (relu, Adam, 512 synthetic samples, batch 32: 10→64→64→1 for 100 epochs and
256→1024→700→1 for 4) in torch eager, one thread, float32 — the figures lrsched's are compared with."""

import time
import warnings

import torch

warnings.simplefilter("ignore")
torch.set_num_threads(1)


def steplr_ns() -> float:
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
    s = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.9)
    n = 100_000
    t = time.perf_counter()
    for _ in range(n):
        s.step()
        s.get_last_lr()
    return (time.perf_counter() - t) / n * 1e9


def mlp_ms(inputs: int, hidden: list, samples: int = 512, epochs: int = 100, batch: int = 32) -> float:
    torch.manual_seed(7)
    x = torch.randn(samples, inputs)
    y = torch.randn(samples, 1)
    layers, width = [], inputs
    for h in hidden:
        layers += [torch.nn.Linear(width, h), torch.nn.ReLU()]
        width = h
    model = torch.nn.Sequential(*layers, torch.nn.Linear(width, 1))
    opt = torch.optim.Adam(model.parameters())
    loss_fn = torch.nn.MSELoss()
    t = time.perf_counter()
    for _ in range(epochs):
        for i in range(0, samples, batch):
            opt.zero_grad()
            loss = loss_fn(model(x[i:i + batch]), y[i:i + batch])
            loss.backward()
            opt.step()
    return (time.perf_counter() - t) * 1e3


if __name__ == "__main__":
    print(f"torch_steplr_ns {steplr_ns():.0f}")
    print(f"torch_mlp_small_ms {min(mlp_ms(10, [64, 64]) for _ in range(3)):.0f}")
    print(f"torch_mlp_large_4_epochs_ms {min(mlp_ms(256, [1024, 700], epochs=4) for _ in range(2)):.0f}")
