#!/usr/bin/env bash
# device_check.sh - the CUDA backend's one-shot check on a machine with an NVIDIA GPU.
#
# Configures and builds libcompute, libcompute_cuda (COMPUTE_CUDA=ON, for the GPU found there
# plus the usual targets; it links the toolkit's cuBLAS) and the parity tests, then runs compute_cuda_parity_tests (CUDA vs
# CPU) and compute_cuda_routing_tests. Everything it reports goes under $OUT (default
# ./device-check-out): build.log, parity.xml/.log, routing.xml/.log, nvidia-smi.txt, bench.txt (the
# GPU benchmarks against PyTorch, bench/cuda/compare.py), gpt2.txt (the GPT-2-small training step
# against PyTorch, when bench/gpt2/bundle.sh's program was carried in .devcheck) and a summary.txt whose last line is
# "device check: PASSED" or "device check: FAILED" (the tests decide it, not the benchmarks).
#
# Made for the lent GPU machine (the `run` tool; it has nvcc, cmake and ninja but no .NET and
# possibly no GoogleTest): from the repository root there,
#     tests/cuda/device_check.sh
# When GoogleTest is not installed, a googletest source tree is needed: run
# tests/cuda/prepare_device_check.sh beforehand (it copies Debian's /usr/src/googletest into
# .devcheck/googletest, ignored via .git/info/exclude, with bench/gpt2's bundle) and carry `.devcheck`; the script then builds GoogleTest from it. Builds for the GPU's architecture
# only (DEVICE_CHECK_ALL_ARCHS=1: every release architecture), so the build takes a few minutes.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-$ROOT/device-check-out}
BUILD=${DEVICE_CHECK_BUILD_DIR:-/tmp/compute-device-check}
mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
say() { echo "$*" | tee -a "$SUMMARY"; }
finish() {
    say "device check: $1"
    exit "$2"
}

say "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1 || true
say "gpu: $(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>/dev/null | head -1)"
say "nvcc: $(nvcc --version 2>/dev/null | tail -1)"

# Only the GPU's own architecture (e.g. 90 for an H100): the lent machine's time is short (15
# minutes a session, builds included) and CI already compiles every architecture of the release
# list. DEVICE_CHECK_ALL_ARCHS=1 builds that whole list plus the GPU's own.
cap=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '. ')
archs="80-real;86-real;89-real;90-real;90-virtual"
if [[ ${DEVICE_CHECK_ALL_ARCHS:-0} == 1 ]]; then
    [[ -n $cap && ";$archs;" != *";$cap-real;"* ]] && archs="$archs;$cap-real"
elif [[ -n $cap ]]; then
    archs="$cap-real"
fi
say "architectures: $archs"

gtest=()
if [[ -d $ROOT/.devcheck/googletest ]]; then
    gtest=(-DCOMPUTE_GTEST_SOURCE_DIR="$ROOT/.devcheck/googletest")
    say "googletest: built from .devcheck/googletest"
fi

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
{
    cmake -S "$ROOT" -B "$BUILD" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCOMPUTE_CUDA=ON \
        -DCOMPUTE_CUDA_ARCHITECTURES="$archs" -DCOMPUTE_WERROR=ON -DCOMPUTE_BUILD_BENCH=ON "${gtest[@]}" &&
        cmake --build "$BUILD" -j "$(nproc)" --target compute compute_cuda compute_cuda_parity_tests \
            compute_cuda_routing_tests cuda_bench
} >"$OUT/build.log" 2>&1
build_rc=$?
say "build: $([[ $build_rc == 0 ]] && echo ok || echo "FAILED (rc $build_rc, see build.log)")"
if ((build_rc != 0)); then
    # The first errors (e.g. a toolkit without cuBLAS, which compute_cuda links) into the summary.
    grep -m5 -E 'CMake Error|error:|FAILED:' "$OUT/build.log" >>"$SUMMARY"
    finish FAILED 1
fi

# libcompute must not need CUDA at link time: the backend is loaded at run time.
if readelf -d "$BUILD/libcompute.so" | grep -qi 'cuda'; then
    say "libcompute.so links CUDA: $(readelf -d "$BUILD/libcompute.so" | grep -i cuda)"
    finish FAILED 1
fi

status=PASSED
for suite in parity routing; do
    bin=$BUILD/tests/cuda/compute_cuda_${suite}_tests
    "$bin" --gtest_output="xml:$OUT/$suite.xml" >"$OUT/$suite.log" 2>&1
    rc=$?
    counts=$(grep -o 'tests="[0-9]*" failures="[0-9]*" disabled="[0-9]*"' "$OUT/$suite.xml" 2>/dev/null | head -1)
    skipped=$(grep -c '<skipped' "$OUT/$suite.xml" 2>/dev/null)
    say "$suite: rc $rc, $counts, skipped=$skipped"
    [[ $rc == 0 ]] || status=FAILED
    # On a GPU machine, a parity test that skips means the device was not seen: a failure here.
    if [[ $suite == parity && ${skipped:-0} != 0 ]]; then
        say "parity tests skipped on a GPU machine: $(grep -m1 -o 'no CUDA device[^"]*' "$OUT/$suite.log")"
        status=FAILED
    fi
done
grep -h -E '^\[  FAILED  \]|Failure|error' "$OUT"/parity.log "$OUT"/routing.log 2>/dev/null | head -40 >>"$SUMMARY"

# The GPU benchmarks against PyTorch on the same GPU (bench/cuda/compare.py) into bench.txt, when
# PyTorch with CUDA is there; DEVICE_CHECK_BENCH=0 leaves them out. They do not decide the result.
if [[ ${DEVICE_CHECK_BENCH:-1} == 1 ]]; then
    if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
        timeout 300 python3 "$ROOT/bench/cuda/compare.py" --bench "$BUILD/bench/cuda_bench" >"$OUT/bench.txt" 2>&1
        say "bench: rc $? (bench.txt)"
        # The GPT-2-small training step, when bench/gpt2/bundle.sh's self-contained program came
        # along in .devcheck (the machine has no .NET): Compute against PyTorch in tokens/s.
        if [[ -f $ROOT/.devcheck/gpt2.tar.xz ]]; then
            rm -rf "$BUILD/gpt2" && tar -xJf "$ROOT/.devcheck/gpt2.tar.xz" -C "$BUILD"
            COMPUTE_NATIVE_LIBRARY=$BUILD/libcompute.so timeout 300 python3 "$ROOT/bench/gpt2/compare.py" \
                --program "$BUILD/gpt2/Gpt2" >"$OUT/gpt2.txt" 2>&1
            say "gpt2: rc $? (gpt2.txt)"
        fi
    else
        say "bench: skipped (no PyTorch with CUDA here)"
    fi
fi
[[ $status == PASSED ]] && finish PASSED 0
finish FAILED 1
