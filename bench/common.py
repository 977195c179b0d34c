"""Shared by the benchmark scripts: the timing rule, the BLAS set-up and the machine header.

Timing rule, identical for every benchmark and both sides of each comparison: one warm-up
call, then repeated calls until MIN_TOTAL_S seconds have passed (at least MIN_RUNS), and the
best time kept, as the one least disturbed by other processes on a shared machine.
"""
import ctypes
import os
import platform
import sys
import time

MIN_TOTAL_S = 0.5
MIN_RUNS = 3


def best_time(fn, batch=1, clock=time.perf_counter):
    """Best seconds per call of fn. Calls too short for the clock (tiny tensors) are timed
    in batches of `batch` calls and the best batch divided by it. clock=time.thread_time
    counts only the CPU time of the calling thread (see gemm/compare.py --cpu-time)."""
    for _ in range(batch):
        fn()
    best, total, runs = float("inf"), 0.0, 0
    while runs < MIN_RUNS or total < MIN_TOTAL_S:
        t0 = clock()
        for _ in range(batch):
            fn()
        t = clock() - t0
        best, total, runs = min(best, t), total + t, runs + 1
    return best / batch


# PyTorch's name (ATEN_CPU_CAPABILITY) for the instruction set of each Compute variant.
TORCH_ISA = {"avx512": "avx512", "avx2": "avx2", "baseline": "default"}
# oneDNN (PyTorch's convolutions) picks its own instruction set, whatever ATEN_CPU_CAPABILITY says:
# DNNL_MAX_CPU_ISA caps it (SSE41 is its lowest, the nearest to Compute's baseline).
ONEDNN_ISA = {"avx2": "AVX2", "baseline": "SSE41"}


def pin_environment(blas_dir, threads):
    """Restarts this script, when needed, so that both sides run alike:

    - the BLAS that PyTorch and numpy call runs `threads` threads. torch.set_num_threads does
      not reach OpenBLAS's own pthread pool, so before this a "--threads 1" run let OpenBLAS use
      every core, and with --cpu-time (the calling thread's clock) the other thread's work went
      uncounted: PyTorch's GEMM-backed rows read up to 1.6x faster than they were;
    - PyTorch uses the instruction set of the Compute variant being measured: with
      COMPUTE_CPU_ISA=avx2, ATEN_CPU_CAPABILITY=avx2 (PyTorch otherwise picks its AVX-512
      kernels on this machine, and "AVX2" ratios compared Compute's AVX2 code with PyTorch's
      AVX-512 code). An ATEN_CPU_CAPABILITY set by the caller is kept. oneDNN, which runs
      PyTorch's convolutions, dispatches on its own and ignores that variable: DNNL_MAX_CPU_ISA
      caps it the same way (without it, AVX2 convolution rows compared Compute's AVX2 GEMM with
      oneDNN's AVX-512 kernels and read 0.47-0.68 instead of about 1.0);
    - with blas_dir (a folder holding an optimised libblas.so.3, e.g. OpenBLAS's), that BLAS is
      the one the loader finds first: Debian's PyTorch and numpy call whatever libblas.so.3 the
      loader finds.
    The loader and PyTorch read these variables at start-up only, hence the restart."""
    want = {"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    isa = os.environ.get("COMPUTE_CPU_ISA")
    if isa in TORCH_ISA and "ATEN_CPU_CAPABILITY" not in os.environ:
        want["ATEN_CPU_CAPABILITY"] = TORCH_ISA[isa]
    if isa in ONEDNN_ISA and "DNNL_MAX_CPU_ISA" not in os.environ:
        want["DNNL_MAX_CPU_ISA"] = ONEDNN_ISA[isa]
    if blas_dir:
        want["COMPARE_BLAS_DIR"] = blas_dir
    if all(os.environ.get(k) == v for k, v in want.items()):
        return
    env = dict(os.environ, **want)
    if blas_dir:
        env["LD_LIBRARY_PATH"] = blas_dir + os.pathsep + os.environ.get("LD_LIBRARY_PATH", "")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def torch_isa():
    """The instruction set PyTorch was asked for (its own best when not set)."""
    return os.environ.get("ATEN_CPU_CAPABILITY", "its best")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average():
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def blas_name():
    """The BLAS library this process actually loaded (call after one torch matmul has run)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    names = [os.path.basename(lib) for lib in sorted(libs)]
    openblas = [lib for lib in libs if "openblas" in os.path.basename(lib)]
    if openblas:
        # OpenBLAS picks its kernels by CPU model (OPENBLAS_CORETYPE overrides): say which.
        lib = ctypes.CDLL(openblas[0])
        lib.openblas_get_corename.restype = ctypes.c_char_p
        names.append(f"OpenBLAS core {lib.openblas_get_corename().decode()}")
    return (", ".join(names) or "none loaded") + (f" (from {os.path.dirname(sorted(libs)[0])})" if libs else "")
