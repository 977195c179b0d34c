#!/usr/bin/python3
"""GEMM: Compute (bench/gemm/gemm_bench, through the C ABI) side by side with PyTorch.

Runs the same products in both, with the same thread count and the same timing rule (one
warm-up, then repeat until 0.5 s have passed, at least 3 runs, best time kept), and prints
GFLOP/s for each and the ratio PyTorch time / Compute time (above 1: Compute is faster).

    /usr/bin/python3 bench/gemm/compare.py --bench build/bench/bench/gemm_bench \
        [--blas-dir DIR] [--threads N] [--dtype float32,float64] [--transpose] [--cpu-time] [SIZE ...]

SIZE is S (S x S x S) or MxNxK, optionally with :LAYOUT, two letters for A and B: n = stored
row-major as given, t = stored transposed and passed as a transposed view (as gemm_bench).
Needs PyTorch (Debian's python3-torch).

--cpu-time (one thread only) times each call by the CPU time of the calling thread instead
of the wall clock, on both sides: on a machine whose cores other processes share, a call's
wall time counts the slices the scheduler gave to them (at load 8 on 2 cores, a GEMM got
about 40% of a core), while its CPU time does not. It still counts what the neighbours do to
the shared caches and memory bandwidth, and the page faults of each freshly allocated output.

Debian's PyTorch calls whatever libblas.so.3 the system's alternatives point at, which is
the unoptimised reference BLAS unless OpenBLAS is installed. --blas-dir DIR puts DIR (a
folder holding an optimised libblas.so.3, e.g. OpenBLAS's) first on the library path so the
comparison is against a tuned BLAS; the header line names the libblas actually loaded.
"""
import argparse
import os
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import best_time, blas_name, cpu_model, load_average, pin_environment, torch_isa  # noqa: E402

# Squares, two skinny panels, and the products of Linear layers (MxNxK = batch x out x in).
# A Linear layer y = x @ W^T (x [batch, in], W [out, in]) runs, per step, its forward
# batch x out x in:nt, the input gradient g @ W batch x in x out:nn and the weight gradient
# g^T @ x out x in x batch:tn. The layers: an MNIST hidden layer (784 -> 128, batch 64),
# a 512 -> 512 layer (batch 128), a transformer MLP 1024 -> 4096 at batch 32, and at 4096
# tokens a 1024 -> 1024 projection; plus a classifier head [256,512] x [512,10].
DEFAULT_SIZES = ["128", "256", "512", "768", "1024", "2048", "64x4096x512", "4096x64x512",
                 "64x128x784:nt", "64x784x128:nn", "128x784x64:tn",
                 "128x512x512:nt", "128x512x512:nn", "512x512x128:tn",
                 "32x4096x1024:nt", "32x1024x4096:nn", "4096x1024x32:tn",
                 "4096x1024x1024:nt", "256x10x512"]


def parse_size(text):
    dims, _, layout = text.partition(":")
    parts = [int(p) for p in dims.split("x")]
    m, n, k = parts if len(parts) == 3 else (parts[0],) * 3
    return m, n, k, layout or "nn"


def operand(rows, cols, transposed, dtype):
    return torch.rand(cols, rows, dtype=dtype).t() if transposed else torch.rand(rows, cols, dtype=dtype)


def torch_time(m, n, k, layout, dtype, cpu_time):
    torch.manual_seed(0)
    a = operand(m, k, layout[0] == "t", dtype)
    b = operand(k, n, layout[1] == "t", dtype)
    return best_time(lambda: torch.matmul(a, b), clock=time.thread_time if cpu_time else time.perf_counter)


def compute_times(bench, sizes, dtype, threads, transpose, cpu_time):
    cmd = ([bench, "--threads", str(threads), "--dtype", dtype] + (["--transpose"] if transpose else []) +
           (["--cpu-time"] if cpu_time else []) + sizes)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    results = {}
    for line in out.splitlines():
        fields = line.split()
        m, n, k = int(fields[2]), int(fields[3]), int(fields[4])
        kv = dict(f.split("=") for f in fields[5:])
        results[(m, n, k, kv["layout"])] = (float(kv["best_s"]), kv["isa"])
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", required=True, help="path to the gemm_bench program")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--dtype", default="float32,float64", help="comma-separated: float32,float64")
    p.add_argument("--transpose", action="store_true", help="A is a transposed (column-major) view")
    p.add_argument("--cpu-time", action="store_true",
                   help="time by the calling thread's CPU time instead of the wall clock (--threads 1 only)")
    p.add_argument("sizes", nargs="*", default=DEFAULT_SIZES)
    p.add_argument("--blas-dir", help="folder with the libblas.so.3 PyTorch should load (e.g. OpenBLAS)")
    args = p.parse_args()
    if args.cpu_time and args.threads != 1:
        p.error("--cpu-time measures the calling thread only, so it needs --threads 1")
    pin_environment(args.blas_dir, args.threads)

    torch.set_num_threads(args.threads)
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS blas_name reports
    print(f"# {cpu_model()}, {os.cpu_count()} logical CPUs; threads={args.threads}; "
          f"PyTorch {torch.__version__} (isa {torch_isa()}), BLAS: {blas_name()}; transpose={args.transpose}; "
          f"clock={'thread CPU time' if args.cpu_time else 'wall'}; {load_average()}")
    print(f"{'dtype':8} {'M x N x K':>18} {'A,B':>4} {'Compute GFLOP/s':>16} {'PyTorch GFLOP/s':>16} "
          f"{'PyTorch/Compute':>16}  isa")
    for dtype in args.dtype.split(","):
        ours = compute_times(args.bench, args.sizes, dtype, args.threads, args.transpose, args.cpu_time)
        for text in args.sizes:
            m, n, k, layout = parse_size(text)
            if args.transpose:
                layout = "t" + layout[1]
            ours_t, isa = ours[(m, n, k, layout)]
            theirs_t = torch_time(m, n, k, layout, getattr(torch, dtype), args.cpu_time)
            flop = 2.0 * m * n * k
            print(f"{dtype:8} {f'{m} x {n} x {k}':>18} {layout:>4} {flop / ours_t * 1e-9:16.1f} "
                  f"{flop / theirs_t * 1e-9:16.1f} {theirs_t / ours_t:16.2f}  {isa}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
