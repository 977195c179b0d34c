#!/usr/bin/python3
"""Whole training steps, Compute (C#) beside PyTorch on this machine.

    /usr/bin/python3 bench/train/compare.py --train build/bench/train/Train [--threads N]
        [--seconds S] [--cpu-time] [--filter NAME] [--blas-dir DIR]

Runs the C# program (bench/train/Program.cs), then the same steps in PyTorch: zero the
gradients, forward, loss, backward, optimizer step, on the same models (defined below exactly
as the C# program does), batch shapes and optimizers. Both sides time by the same rule: warm-up,
then batches of steps until S seconds have passed, best batch per step. --cpu-time uses each
process's CPU time (all its threads) instead of the wall clock. Prints microseconds per step
and PyTorch / Compute (above 1: Compute is faster).
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import blas_name, cpu_model, load_average, pin_environment, torch_isa  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def mlp():
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return opt, lambda: F.cross_entropy(model(x), y)


def cnn():
    model = nn.Sequential(
        nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(512, 128), nn.ReLU(), nn.Dropout(0.25),
        nn.Linear(128, 10))
    x, y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    return opt, lambda: F.cross_entropy(model(x), y)


def transformer():
    layer = nn.TransformerEncoderLayer(128, 4, 512, 0.1, activation="gelu", batch_first=True, norm_first=True)
    head = nn.Linear(128, 64)
    x, y = torch.randn(16, 64, 128), torch.randint(0, 64, (16 * 64,))
    mask = torch.ones(64, 64, dtype=torch.bool).triu(1)  # True blocks: causal
    opt = torch.optim.AdamW(list(layer.parameters()) + list(head.parameters()), lr=1e-3, weight_decay=0.01)
    return opt, lambda: F.cross_entropy(head(layer(x, src_mask=mask)).reshape(-1, 64), y)


MODELS = {"mlp": mlp, "cnn": cnn, "transformer": transformer}


def torch_step_time(make, seconds, clock):
    opt, loss = make()

    def step():
        opt.zero_grad()
        loss().backward()
        opt.step()

    t_end = time.perf_counter() + max(1.0, seconds / 2)
    while time.perf_counter() < t_end:
        step()
    t0 = time.perf_counter()
    step()
    per_batch = max(1, int(0.1 / max(time.perf_counter() - t0, 1e-6)))
    best, total, batches = float("inf"), 0.0, 0
    while batches < 3 or total < seconds:
        t0 = clock()
        for _ in range(per_batch):
            step()
        t = clock() - t0
        best, total, batches = min(best, t / per_batch), total + t, batches + 1
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", required=True, help="the bench/train program (C#)")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--cpu-time", action="store_true", help="each process's CPU time instead of the wall clock")
    p.add_argument("--filter", help="only the models whose name contains this text")
    p.add_argument("--blas-dir", help="folder with the libblas.so.3 PyTorch should load (e.g. OpenBLAS)")
    args = p.parse_args()
    pin_environment(args.blas_dir, args.threads)

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS blas_name reports
    print(f"# {cpu_model()}, {os.cpu_count()} logical CPUs; threads={args.threads}; PyTorch {torch.__version__} "
          f"(isa {torch_isa()}); BLAS: {blas_name()}; clock={'process CPU time' if args.cpu_time else 'wall'}; "
          f"{load_average()}")
    cmd = [args.train, "--threads", str(args.threads), "--seconds", str(args.seconds)]
    cmd += (["--cpu-time"] if args.cpu_time else []) + (["--filter", args.filter] if args.filter else [])
    ours = {}
    for line in subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines():
        name, us, what = line.split("\t")
        ours[name] = (float(us), what)
    clock = time.process_time if args.cpu_time else time.perf_counter
    print(f"{'model':12} {'step':48} {'Compute us':>11} {'PyTorch us':>11} {'PT/Comp':>8}")
    for name, (us, what) in ours.items():
        theirs = torch_step_time(MODELS[name], args.seconds, clock) * 1e6
        print(f"{name:12} {what:48} {us:11.1f} {theirs:11.1f} {theirs / us:8.2f}", flush=True)
    print(f"# finished; {load_average()}")


if __name__ == "__main__":
    main()
