#!/usr/bin/python3
"""Op benchmarks: Compute (through the C ABI) side by side with PyTorch and numpy.

Runs every entry of bench/ops/entries.py (pointwise ops, reductions, Linear-layer products,
softmax, layer_norm, conv2d) and bench/ops/entries_coverage.py (the other binary, indexing and
neural-network ops) with the same inputs, thread count and timing rule on each side
(bench/common.py: one warm-up, then repeat until 0.5 s, at least 3 runs, best time kept) and
prints microseconds per call and the ratios PyTorch/Compute and numpy/Compute (above 1:
Compute is faster). numpy runs its elementwise loops on one thread; its products call the
BLAS (OpenBLAS with --blas-dir).

With --overhead PROGRAM it also runs the C# tiny-tensor program (bench/overhead) and times
the same loops in PyTorch from Python.

    /usr/bin/python3 bench/ops/compare.py --lib build/bench/libcompute.so \
        [--blas-dir DIR] [--threads N] [--filter TEXT] [--overhead bench/overhead/.../Overhead]
"""
import argparse
import itertools
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]
import numpy as np  # noqa: E402
import torch  # noqa: E402

from capi import Library  # noqa: E402
from common import best_time, blas_name, cpu_model, load_average, pin_environment, torch_isa  # noqa: E402
from entries import all_entries  # noqa: E402
from entries_coverage import all_coverage  # noqa: E402


def ratio(theirs, ours):
    return f"{theirs / ours:7.2f}" if theirs and ours else "      -"


def micros(t):
    return f"{t * 1e6:10.1f}" if t else "         -"


CLOCK = time.perf_counter


def run_entry(lib, entry):
    arrays = entry.inputs()
    handles = [lib.tensor(a) for a in arrays]
    try:
        ours = best_time(entry.compute(lib, handles), clock=CLOCK)
    finally:
        lib.release_kept()
        lib.release(*handles)
    theirs = best_time(entry.torch([torch.from_numpy(a) for a in arrays]), clock=CLOCK)
    numpy_t = best_time(entry.numpy(arrays), clock=CLOCK) if entry.numpy else None
    return ours, theirs, numpy_t


def run_ops(lib, text_filter):
    print(f"{'op':32} {'shapes':48} {'Compute us':>10} {'PyTorch us':>10} {'PT/Comp':>7} "
          f"{'numpy us':>10} {'np/Comp':>7}  Compute GFLOP/s")
    for entry in itertools.chain(all_entries(), all_coverage()):
        label = f"{entry.name} {entry.shapes}"
        if text_filter and text_filter not in label:
            continue
        if entry.requires and not lib.has(entry.requires):
            print(f"{entry.name:32} {entry.shapes:48} skipped: the library has no {entry.requires} yet")
            continue
        ours, theirs, numpy_t = run_entry(lib, entry)
        gflops = f"{entry.flop / ours * 1e-9:8.1f}" if entry.flop else ""
        print(f"{entry.name:32} {entry.shapes:48} {micros(ours)} {micros(theirs)} {ratio(theirs, ours)} "
              f"{micros(numpy_t)} {ratio(numpy_t, ours)}  {gflops}")
        sys.stdout.flush()


def torch_overhead():
    """The C# program's loops in PyTorch: ns per op, best batch, as bench/overhead does."""
    torch.manual_seed(0)
    a, b = torch.rand(16), torch.rand(16)

    def add16():
        a + b

    def chain100():
        y = a
        for i in range(100):
            y = y + b if (i & 1) == 0 else y * b

    ag = torch.rand(16).requires_grad_()

    def chain(start):
        y = start
        for i in range(100):
            y = y + b if (i & 1) == 0 else y * b
        return y

    def chain100_grad():
        chain(ag)

    def chain100_backward():
        chain(ag).sum().backward()
        ag.grad = None

    # Batches of about 2000 ops, as in the C# program; the C# warm-up is longer because its JIT
    # needs it, CPython's interpreter does not.
    return {"add16": best_time(add16, batch=2000) * 1e9,
            "chain100": best_time(chain100, batch=20) * 1e9 / 100,
            "chain100_grad": best_time(chain100_grad, batch=20) * 1e9 / 100,
            "chain100_backward": best_time(chain100_backward, batch=20) * 1e9 / 100}


def run_overhead(program, threads):
    out = subprocess.run([program, "--threads", str(threads)], check=True, capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        fields = line.split()
        if fields[:1] == ["overhead"]:
            kv = dict(f.split("=") for f in fields[2:])
            ours[fields[1]] = (float(kv["ns_per_op"]), float(kv["gen2_gcs_per_million_ops"]))
    theirs = torch_overhead()
    print()
    print("Per-op overhead of 16-element float32 tensors: C# (Compute) vs Python (PyTorch), ns per op")
    print(f"{'case':52} {'Compute ns':>10} {'PyTorch ns':>10} {'PT/Comp':>7}  C# gen2 GCs per 1M ops")
    rows = (("add16", "a + b, result disposed"), ("chain100", "100 dependent ops (+, * alternating)"),
            ("chain100_grad", "the chain recording autograd nodes"),
            ("chain100_backward", "the chain recorded, then backward"),
            ("add16_raw_pinvoke", "a + b, bare P/Invoke, raw handles"))
    for key, text in rows:
        t = theirs.get(key)
        print(f"{key + ': ' + text:52} {ours[key][0]:10.1f} {t if t else float('nan'):10.1f} "
              f"{ratio(t, ours[key][0])}  {ours[key][1]:.1f}")
    # What autograd adds to each op, on each side: recording, and recording plus backward,
    # relative to the same chain without grad.
    print()
    print(f"{'autograd cost per op, relative to the chain without grad':52} {'Compute':>10} {'PyTorch':>10}")
    for key, text in (("chain100_grad", "forward with grad / without"), ("chain100_backward", "forward + backward / forward without grad")):
        print(f"{text:52} {ours[key][0] / ours['chain100'][0]:9.2f}x {theirs[key] / theirs['chain100']:9.2f}x")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lib", required=True, help="path to libcompute.so")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--filter", help="run only entries whose name or shapes contain this text")
    p.add_argument("--blas-dir", help="folder with the libblas.so.3 PyTorch and numpy should load (e.g. OpenBLAS)")
    p.add_argument("--overhead", help="the bench/overhead program (C# tiny-tensor loops)")
    p.add_argument("--no-ops", action="store_true", help="only the overhead comparison")
    p.add_argument("--cpu-time", action="store_true",
                   help="time the calling thread's CPU time instead of wall time (with --threads 1: "
                        "less sensitive to other processes on a loaded machine)")
    args = p.parse_args()
    if args.cpu_time:
        global CLOCK
        CLOCK = time.thread_time
    pin_environment(args.blas_dir, args.threads)

    lib = Library(os.path.abspath(args.lib))
    lib.set_num_threads(args.threads)
    torch.set_num_threads(args.threads)
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS blas_name reports
    print(f"# {cpu_model()}, {os.cpu_count()} logical CPUs; threads={args.threads}; Compute isa={lib.isa()}; "
          f"PyTorch {torch.__version__} (isa {torch_isa()}); numpy {np.__version__}; BLAS: {blas_name()}; {load_average()}")
    if not args.no_ops:
        run_ops(lib, args.filter)
    if args.overhead:
        run_overhead(args.overhead, args.threads)
    print(f"# finished; {load_average()}")


if __name__ == "__main__":
    main()
