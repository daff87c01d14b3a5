"""The workloads in PyTorch (CPU), for bench/run.mjs.

    python3 bench/torch_bench.py '{"threads": 1, "workloads": [...], "specs": {...}, "timing": {...}}'

Same config as the JS engines (bench/workloads.mjs holds the shapes), same timing algorithm as
bench/timing.mjs (`measure`), results as one JSON line on stdout, progress on stderr.
"""
import json
import platform
import sys
import time

import torch
from torch import nn
import torch.nn.functional as F

LR = 1e-3


def now_ms():
    return time.perf_counter() * 1e3


def measure(fn, t):
    """Warm-up, calibration of calls per sample, then samples: see `measure` in bench/timing.mjs."""
    w0 = now_ms()
    warmup = 0
    while True:
        c = now_ms()
        fn()
        last = now_ms() - c
        warmup += 1
        if now_ms() - w0 >= t["warmupMs"]:
            break
    inner = 1
    if last < t["minSampleMs"]:
        c = now_ms()
        inner = 0
        while now_ms() - c < t["minSampleMs"]:
            fn()
            inner += 1
        warmup += inner
    samples = []
    s0 = now_ms()
    while True:
        c = now_ms()
        for _ in range(inner):
            fn()
        samples.append((now_ms() - c) / inner)
        elapsed = now_ms() - s0
        if len(samples) >= t["maxSamples"]:
            break
        if len(samples) >= t["minSamples"] and elapsed >= t["budgetMs"]:
            break
        if elapsed >= t["capMs"]:
            break
    return samples, inner, warmup + len(samples) * inner


def mlp(sizes, act):
    layers = []
    for i in range(1, len(sizes)):
        if i > 1:
            layers.append(act())
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
    return nn.Sequential(*layers)


def cnn(spec):
    c0, c1, c2 = spec["channels"]
    k, p, pool = spec["kernel"], spec["padding"], spec["pool"]
    side = spec["image"] // pool // pool
    return nn.Sequential(
        nn.Conv2d(c0, c1, k, padding=p), nn.ReLU(), nn.MaxPool2d(pool),
        nn.Conv2d(c1, c2, k, padding=p), nn.ReLU(), nn.MaxPool2d(pool),
        nn.Flatten(), nn.Linear(c2 * side * side, spec["classes"]),
    )


def trainer(model, loss_fn, x, y):
    """One training step (zero the gradients, forward, loss, backward, Adam step), and the current loss."""
    opt = torch.optim.Adam(model.parameters(), lr=LR, betas=(0.9, 0.999), eps=1e-8)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    def loss():
        with torch.no_grad():
            return loss_fn(model(x), y).item()

    return step, loss


def setup(wid, spec):
    """Workload `wid`: (step, loss or None)."""
    torch.manual_seed(0)
    if wid == "W0":
        a = torch.randn(spec["shape"], requires_grad=True)
        b = torch.randn(spec["shape"], requires_grad=True)
        return (lambda: a + b), None
    if wid == "W1":
        n = spec["n"]
        a, b = torch.randn(n, n), torch.randn(n, n)
        return (lambda: a @ b), None
    if wid == "W2":
        sizes = spec["sizes"]
        x, y = torch.randn(spec["batch"], sizes[0]), torch.randint(0, sizes[-1], (spec["batch"],))
        return trainer(mlp(sizes, nn.Tanh), nn.CrossEntropyLoss(), x, y)
    if wid == "W3":
        x = torch.randn(spec["batch"], spec["channels"][0], spec["image"], spec["image"])
        y = torch.randint(0, spec["classes"], (spec["batch"],))
        return trainer(cnn(spec), nn.CrossEntropyLoss(), x, y)
    if wid == "W4":
        sizes = spec["sizes"]
        x, y = torch.randn(spec["batch"], sizes[0]), torch.randn(spec["batch"], sizes[-1])
        return trainer(mlp(sizes, nn.ReLU), nn.MSELoss(), x, y)
    if wid == "W5":
        n, _, h, w = spec["x"]
        x = torch.randn(spec["x"], requires_grad=True)
        weight = torch.randn(spec["w"], requires_grad=True)
        dy = torch.randn(n, spec["w"][0], h, w)

        def step():
            x.grad = None
            weight.grad = None
            F.conv2d(x, weight, padding=spec["padding"]).backward(dy)

        return step, None
    raise ValueError(f"unknown workload {wid}")


def main():
    config = json.loads(sys.argv[1])
    torch.set_num_threads(config["threads"])
    engine = f"torch-{config['threads']}t"
    results = {}
    for wid in config["workloads"]:
        try:
            step, loss = setup(wid, config["specs"][wid])
            loss_before = loss() if loss else None
            samples, inner, calls = measure(step, config["timing"])
            results[wid] = {"samples": samples, "inner": inner, "calls": calls}
            if loss:
                results[wid].update(lossBefore=loss_before, lossAfter=loss())
            med = sorted(samples)[len(samples) // 2]
            print(f"  {engine} {wid}: {med:.4g} ms/call ({len(samples)}×{inner})", file=sys.stderr, flush=True)
        except Exception as e:  # a failing workload is reported, not fatal
            results[wid] = {"error": str(e).split("\n")[0]}
            print(f"  {engine} {wid}: error: {results[wid]['error']}", file=sys.stderr, flush=True)
    print(json.dumps({
        "version": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "results": results,
    }))


if __name__ == "__main__":
    main()
