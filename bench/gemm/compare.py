#!/usr/bin/python3
"""GEMM: Compute (bench/gemm/gemm_bench, through the C ABI) side by side with PyTorch.

Runs the same products in both, with the same thread count and the same timing rule (one
warm-up, then repeat until 0.5 s have passed, at least 3 runs, best time kept), and prints
GFLOP/s for each and the ratio PyTorch time / Compute time (above 1: Compute is faster).

    /usr/bin/python3 bench/gemm/compare.py --bench build/bench/bench/gemm_bench \
        [--blas-dir DIR] [--threads N] [--dtype float32,float64] [--transpose] [SIZE ...]

SIZE is S (S x S x S) or MxNxK. Needs PyTorch (Debian's python3-torch).

Debian's PyTorch calls whatever libblas.so.3 the system's alternatives point at, which is
the unoptimised reference BLAS unless OpenBLAS is installed. --blas-dir DIR puts DIR (a
folder holding an optimised libblas.so.3, e.g. OpenBLAS's) first on the library path so the
comparison is against a tuned BLAS; the header line names the libblas actually loaded.
"""
import argparse
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import best_time, blas_name, cpu_model, load_average, use_blas_dir  # noqa: E402

# Squares, two skinny panels, and the products of Linear layers (MxNxK = batch x out x in):
# an MNIST-sized hidden layer [64,784]x[784,128] and a classifier head [256,512]x[512,10].
DEFAULT_SIZES = ["128", "256", "512", "768", "1024", "2048", "64x4096x512", "4096x64x512",
                 "64x128x784", "256x10x512"]


def parse_size(text):
    parts = [int(p) for p in text.split("x")]
    return tuple(parts) if len(parts) == 3 else (parts[0],) * 3


def torch_time(m, n, k, dtype, transpose):
    torch.manual_seed(0)
    a = torch.rand(k, m, dtype=dtype).t() if transpose else torch.rand(m, k, dtype=dtype)
    b = torch.rand(k, n, dtype=dtype)
    return best_time(lambda: torch.matmul(a, b))


def compute_times(bench, sizes, dtype, threads, transpose):
    cmd = [bench, "--threads", str(threads), "--dtype", dtype] + (["--transpose"] if transpose else []) + sizes
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    results = {}
    for line in out.splitlines():
        fields = line.split()
        m, n, k = int(fields[2]), int(fields[3]), int(fields[4])
        kv = dict(f.split("=") for f in fields[5:])
        results[(m, n, k)] = (float(kv["best_s"]), kv["isa"])
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", required=True, help="path to the gemm_bench program")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--dtype", default="float32,float64", help="comma-separated: float32,float64")
    p.add_argument("--transpose", action="store_true", help="A is a transposed (column-major) view")
    p.add_argument("sizes", nargs="*", default=DEFAULT_SIZES)
    p.add_argument("--blas-dir", help="folder with the libblas.so.3 PyTorch should load (e.g. OpenBLAS)")
    args = p.parse_args()
    use_blas_dir(args.blas_dir, args.threads)

    torch.set_num_threads(args.threads)
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))  # loads the BLAS blas_name reports
    print(f"# {cpu_model()}, {os.cpu_count()} logical CPUs; threads={args.threads}; "
          f"PyTorch {torch.__version__}, BLAS: {blas_name()}; transpose={args.transpose}; {load_average()}")
    print(f"{'dtype':8} {'M x N x K':>18} {'Compute GFLOP/s':>16} {'PyTorch GFLOP/s':>16} {'PyTorch/Compute':>16}  isa")
    for dtype in args.dtype.split(","):
        ours = compute_times(args.bench, args.sizes, dtype, args.threads, args.transpose)
        for text in args.sizes:
            m, n, k = parse_size(text)
            ours_t, isa = ours[(m, n, k)]
            theirs_t = torch_time(m, n, k, getattr(torch, dtype), args.transpose)
            flop = 2.0 * m * n * k
            print(f"{dtype:8} {f'{m} x {n} x {k}':>18} {flop / ours_t * 1e-9:16.1f} {flop / theirs_t * 1e-9:16.1f} "
                  f"{theirs_t / ours_t:16.2f}  {isa}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
