"""PyTorch peer of `parampred bench engine`: the same MLP and convnet training steps on the CPU.

Run by src/node/bench/engine.ts with Debian's /usr/bin/python3 (python3-torch) in --serve mode, so
that its steps interleave with ours under the same machine load. Standalone it prints one JSON object:
median step times in ms over --steps steps after --warmup warm-up steps.
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_CORETYPE", "Cooperlake")  # must precede the library load (ENGINE.md)
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def median_step_ms(step, steps, warmup):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def training_step(model, opt, x, y):
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    return step


def mlp():
    return nn.Sequential(nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 500), nn.ReLU(), nn.Linear(500, 10))


def convnet():
    return nn.Sequential(
        nn.Conv2d(3, 48, 8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(48, 64, 8), nn.ReLU(),
        nn.Conv2d(64, 64, 5), nn.ReLU(),
        nn.Flatten(), nn.Linear(64, 500), nn.ReLU(), nn.Linear(500, 10),
    )


def make_case(name):
    """A training step for a case name: mlp_sgd, mlp_adam or conv_sgd."""
    if name.startswith("mlp"):
        m, x, y = mlp(), torch.randn(128, 784), torch.randint(0, 10, (128,))
    else:
        m, x, y = convnet(), torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))
    opt = torch.optim.Adam(m.parameters(), lr=1e-3) if name.endswith("adam") else torch.optim.SGD(m.parameters(), lr=0.01)
    return training_step(m, opt, x, y)


def serve():
    """Line protocol for interleaved timing: each stdin line {"case", "steps", "warmup"} is answered by
    one stdout line {"times_ms": [...]}; a case's model persists between requests."""
    steps = {}
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        step = steps.get(req["case"]) or steps.setdefault(req["case"], make_case(req["case"]))
        for _ in range(req.get("warmup", 0)):
            step()
        times = []
        for _ in range(req["steps"]):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        print(json.dumps({"times_ms": times}), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--serve", action="store_true", help="answer timing requests on stdin (used by engine.ts)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.serve:
        serve()
        return
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    m = mlp()
    out["mlp_step_ms"] = median_step_ms(training_step(m, torch.optim.SGD(m.parameters(), lr=0.01), x, y), a.steps, a.warmup)
    m = mlp()
    out["mlp_adam_step_ms"] = median_step_ms(training_step(m, torch.optim.Adam(m.parameters(), lr=1e-3), x, y), a.steps, a.warmup)
    xc, yc = torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,))
    c = convnet()
    out["conv_step_ms"] = median_step_ms(training_step(c, torch.optim.SGD(c.parameters(), lr=0.01), xc, yc), a.steps, a.warmup)
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
