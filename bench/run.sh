#!/usr/bin/env bash
# Benchmarks, side by side with PyTorch on this machine (./build.sh bench runs this).
# Builds the library and bench programs in Release in build/bench (not the default build),
# then runs each comparison. PyTorch is Debian's python3-torch; because it calls the system
# libblas.so.3 (the slow reference BLAS unless OpenBLAS is installed), an OpenBLAS is used for
# it: the system's when installed, else one unpacked from the Debian package into build/bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build/bench
JOBS=${JOBS:-2}

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPUTE_BUILD_TESTS=OFF \
    -DCOMPUTE_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target gemm_bench

blas_dir=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [[ ! -e $blas_dir/libblas.so.3 ]]; then
    blas_dir=$BUILD/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
    if [[ ! -e $blas_dir/libblas.so.3 ]]; then
        (cd "$BUILD" && apt-get download libopenblas0-pthread >/dev/null 2>&1 && \
            dpkg -x libopenblas0-pthread_*.deb openblas) ||
            { echo "bench: could not fetch OpenBLAS; PyTorch will use the system BLAS" >&2; blas_dir=; }
    fi
fi

/usr/bin/python3 "$ROOT/bench/gemm/compare.py" --bench "$BUILD/bench/gemm_bench" ${blas_dir:+--blas-dir "$blas_dir"} "$@"
