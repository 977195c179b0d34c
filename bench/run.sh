#!/usr/bin/env bash
# Benchmarks, side by side with PyTorch on this machine (./build.sh bench runs this).
#
#   bench/run.sh                    every suite: gemm, ops, overhead, train
#   bench/run.sh gemm [ARGS]        bench/gemm/compare.py  (e.g. --threads 1 --dtype float32 512)
#   bench/run.sh ops [ARGS]         bench/ops/compare.py   (e.g. --filter softmax)
#   bench/run.sh overhead [ARGS]    bench/ops/compare.py --no-ops with the C# tiny-tensor program
#   bench/run.sh train [ARGS]       bench/train/compare.py: whole training steps of small models
#   bench/run.sh cuda [ARGS]        bench/cuda/compare.py: GEMM, Linear, SDPA, layer_norm, softmax on
#                                   the GPU against PyTorch on the same GPU (not in `all`: needs one;
#                                   --device cpu is a dry run). tests/cuda/device_check.sh runs it too
#   bench/run.sh gpt2 [ARGS]        bench/gpt2/compare.py: a GPT-2-small training step in tokens/s
#                                   against PyTorch (not in `all`: for a GPU; ARGS e.g. --device cpu
#                                   -- --ctx 32 --layers 2 --d-model 64 --heads 4 --vocab 100)
#   bench/run.sh [ARGS]             as `gemm ARGS` (the form older notes use)
#
# Builds the library and bench programs in Release in build/bench (not the default build),
# then runs each comparison. PyTorch is Debian's python3-torch; because it (and numpy) call the
# system libblas.so.3 (the slow reference BLAS unless OpenBLAS is installed), an OpenBLAS is
# used for them: the system's when installed, else one unpacked from the Debian package into
# build/bench. Each suite prints the machine, thread count, BLAS and load average first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build/bench
JOBS=${JOBS:-2}
PYTHON=/usr/bin/python3
OVERHEAD_DIR=$BUILD/overhead
TRAIN_DIR=$BUILD/train

suite=all
case ${1:-} in
    gemm | ops | overhead | train | cuda | gpt2 | all) suite=$1; shift ;;
    *) [[ $# -eq 0 ]] || suite=gemm ;;
esac

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPUTE_BUILD_TESTS=OFF \
    -DCOMPUTE_BUILD_BENCH=ON -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
if [[ $suite == cuda ]]; then
    # The default targets (compute_cuda among them when a CUDA toolkit was found) and the program.
    cmake --build "$BUILD" -j "$JOBS" && cmake --build "$BUILD" -j "$JOBS" --target cuda_bench
    exec "$PYTHON" "$ROOT/bench/cuda/compare.py" --bench "$BUILD/bench/cuda_bench" "$@"
fi
if [[ $suite == gpt2 ]]; then
    cmake --build "$BUILD" -j "$JOBS"
    dotnet build "$ROOT/bench/gpt2" -c Release -nologo -v:quiet -o "$BUILD/gpt2" -p:ComputeNativeBuildDir="$BUILD" >/dev/null
    exec "$PYTHON" "$ROOT/bench/gpt2/compare.py" --program "$BUILD/gpt2/Gpt2" "$@"
fi
cmake --build "$BUILD" -j "$JOBS" --target gemm_bench compute

"$PYTHON" -c "import numpy" 2>/dev/null || {
    echo "bench: numpy is missing (Debian: apt-get install -y python3-numpy)" >&2; exit 1; }

blas_dir=/usr/lib/x86_64-linux-gnu/openblas-pthread
if [[ ! -e $blas_dir/libblas.so.3 ]]; then
    blas_dir=$BUILD/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread
    if [[ ! -e $blas_dir/libblas.so.3 ]]; then
        (cd "$BUILD" && apt-get download libopenblas0-pthread >/dev/null 2>&1 && \
            dpkg -x libopenblas0-pthread_*.deb openblas) ||
            { echo "bench: could not fetch OpenBLAS; PyTorch and numpy will use the system BLAS" >&2; blas_dir=; }
    fi
fi
blas_args=(${blas_dir:+--blas-dir "$blas_dir"})

# The C# program of the overhead suite, built against this Release library into build/bench.
build_overhead() {
    dotnet build "$ROOT/bench/overhead" -c Release -nologo -v:quiet -o "$OVERHEAD_DIR" \
        -p:ComputeNativeBuildDir="$BUILD" >/dev/null
}

# The C# program of the training-step suite, likewise.
build_train() {
    dotnet build "$ROOT/bench/train" -c Release -nologo -v:quiet -o "$TRAIN_DIR" \
        -p:ComputeNativeBuildDir="$BUILD" >/dev/null
}

if [[ $suite == all || $suite == gemm ]]; then
    echo "== GEMM"
    "$PYTHON" "$ROOT/bench/gemm/compare.py" --bench "$BUILD/bench/gemm_bench" "${blas_args[@]}" "$@"
fi
if [[ $suite == all || $suite == ops ]]; then
    echo; echo "== ops"
    "$PYTHON" "$ROOT/bench/ops/compare.py" --lib "$BUILD/libcompute.so" "${blas_args[@]}" "$@"
fi
if [[ $suite == all || $suite == overhead ]]; then
    echo; echo "== tiny-tensor overhead"
    build_overhead
    "$PYTHON" "$ROOT/bench/ops/compare.py" --lib "$BUILD/libcompute.so" --no-ops \
        --overhead "$OVERHEAD_DIR/Overhead" "$@"
fi
if [[ $suite == all || $suite == train ]]; then
    echo; echo "== training steps"
    build_train
    "$PYTHON" "$ROOT/bench/train/compare.py" --train "$TRAIN_DIR/Train" "${blas_args[@]}" "$@"
fi
