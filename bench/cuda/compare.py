#!/usr/bin/python3
"""GPU ops: Compute (bench/cuda/cuda_bench, through the C ABI) side by side with PyTorch on the
same device in one run.

Runs every case in both with the same timing rule (two warm-up calls, the call count k that
fills about 20 ms, then 5 batches of k calls timed by CUDA events on the current stream; the
best batch / k) and prints milliseconds per call, TFLOP/s where a case has a flop count, and
the ratio PyTorch time / Compute time (above 1: Compute is faster). The header names the GPU,
the CUDA versions and the date, as docs/PERFORMANCE.md records them.

    python3 bench/cuda/compare.py --bench BUILD/bench/cuda_bench [--device cuda|cpu] [CASE ...]

CASE is as cuda_bench's (OP:DTYPE:SHAPE[:causal]); without any, the default list below runs.
--device cpu runs both sides on the CPU (wall clock): a way to try the script without a GPU,
not a benchmark of the CPU (bench/ops does that).
"""
import argparse
import datetime
import platform
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

# GEMM in float32, TF32 and bfloat16 (squares and GPT-2-small's Linear shapes: 8 x 1024 tokens,
# 768 -> 3072 and back), Linear's addmm with a bias (cuBLASLt's epilogue), attention at GPT-2
# small's heads (12 x 64) over 1024 tokens, and the row kernels over GPT-2 small's activations.
DEFAULT_CASES = [
    "gemm:float32:4096x4096x4096", "gemm:tf32:4096x4096x4096", "gemm:bfloat16:4096x4096x4096",
    "gemm:bfloat16:8192x3072x768", "gemm:bfloat16:8192x768x3072",
    "linear:float32:8192x3072x768", "linear:bfloat16:8192x3072x768",
    "sdpa:float32:8x12x1024x64", "sdpa:float32:8x12x1024x64:causal", "sdpa:bfloat16:8x12x1024x64",
    "sdpa:bfloat16:8x12x1024x64:causal",
    "layer_norm:float32:8192x768", "layer_norm:bfloat16:8192x768",
    "softmax:float32:8192x1024", "softmax:bfloat16:8192x1024", "softmax:float32:8192x50257",
]

DTYPES = {"float32": torch.float32, "tf32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def parse(case):
    parts = case.split(":")
    shape = [int(v) for v in parts[2].split("x")]
    return parts[0], parts[1], shape, len(parts) == 4 and parts[3] == "causal"


def flops(op, shape, causal):
    if op in ("gemm", "linear"):
        m, n, k = shape
        return 2.0 * m * n * k
    if op == "sdpa":
        b, h, l, e = shape
        f = 4.0 * b * h * l * l * e  # q k^T and p v
        return f / 2 if causal else f
    return None


def math_attention(q, k, v, causal):
    s = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if causal:
        s = s.masked_fill(torch.ones(s.shape[-2:], dtype=torch.bool, device=s.device).triu(1), float("-inf"))
    return torch.softmax(s, -1) @ v


def make_call(op, dtype, shape, causal, device):
    dt = DTYPES[dtype]
    torch.backends.cuda.matmul.allow_tf32 = dtype == "tf32"
    rnd = lambda *s: torch.randn(*s, device=device).to(dt)  # noqa: E731  (as cuda_bench: float32 randn, then cast)
    if op == "gemm":
        m, n, k = shape
        a, b = rnd(m, k), rnd(k, n)
        return lambda: torch.matmul(a, b)
    if op == "linear":
        m, n, k = shape
        x, w, bias = rnd(m, k), rnd(n, k), rnd(n)
        return lambda: F.linear(x, w, bias)
    if op == "sdpa":
        q, k, v = rnd(*shape), rnd(*shape), rnd(*shape)
        if hasattr(F, "scaled_dot_product_attention"):
            return lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal)
        return lambda: math_attention(q, k, v, causal)  # PyTorch before 2.0 (Debian's 1.13)
    if op == "layer_norm":
        r, c = shape
        x, w, b = rnd(r, c), rnd(c), rnd(c)
        return lambda: F.layer_norm(x, (c,), w, b, 1e-5)
    r, c = shape
    x = rnd(r, c)
    return lambda: torch.softmax(x, -1)


def timed(call, k, cuda):
    if not cuda:
        t0 = time.perf_counter()
        for _ in range(k):
            call()
        return (time.perf_counter() - t0) * 1e3
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(k):
        call()
    end.record()
    end.synchronize()
    return start.elapsed_time(end)


def torch_ms(case, device):
    op, dtype, shape, causal = parse(case)
    call = make_call(op, dtype, shape, causal, device)
    cuda = device == "cuda"
    timed(call, 2, cuda)
    one = max(timed(call, 1, cuda), 1e-3)
    k = min(max(int(20.0 / one), 1), 1000)
    return min(timed(call, k, cuda) / k for _ in range(5))


def header(device):
    lines = [f"date: {datetime.date.today().isoformat()}", f"PyTorch {torch.__version__}"]
    if device == "cuda":
        props = torch.cuda.get_device_properties(0)
        lines.append(f"GPU: {props.name} ({props.total_memory / 2**30:.0f} GiB, sm_{props.major}{props.minor}), "
                     f"PyTorch's CUDA {torch.version.cuda}")
        try:
            smi = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                                 capture_output=True, text=True, check=False).stdout.strip()
            lines.append(f"driver: {smi}")
        except OSError:
            pass
    else:
        lines.append(f"CPU: {platform.processor() or platform.machine()} (--device cpu: a dry run, not a benchmark)")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="the cuda_bench program")
    ap.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    cases = args.cases or DEFAULT_CASES
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("compare.py: PyTorch sees no CUDA device (use --device cpu for a dry run)")
    torch.manual_seed(0)
    run = subprocess.run([args.bench, "--device", args.device, *cases], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"compare.py: {args.bench} failed ({run.returncode}): {run.stderr.strip()}")
    ours = dict(line.split("\t") for line in run.stdout.splitlines() if "\t" in line)
    for line in header(args.device):
        print(line)
    print(f"{'case':40} {'Compute ms':>11} {'PyTorch ms':>11} {'Compute TF/s':>13} {'PyTorch TF/s':>13} {'ratio':>6}")
    for case in cases:
        c_ms = float(ours[case])
        t_ms = torch_ms(case, args.device)
        op, _, shape, causal = parse(case)
        f = flops(op, shape, causal)
        tf = (lambda ms: f"{f / (ms * 1e-3) / 1e12:13.1f}") if f else (lambda ms: f"{'':13}")
        print(f"{case:40} {c_ms:11.4f} {t_ms:11.4f} {tf(c_ms)} {tf(t_ms)} {t_ms / c_ms:6.2f}", flush=True)


if __name__ == "__main__":
    main()
