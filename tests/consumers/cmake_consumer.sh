#!/usr/bin/env bash
# cmake_consumer.sh EXAMPLE [BUILD_DIR]
# Builds examples/EXAMPLE (c or cpp) the way a new user would: against an installed Compute
# found with find_package(Compute CONFIG REQUIRED), never against the build tree. Then runs
# it and checks its printed numbers against the PyTorch fixture expected/tensor_tour.txt.
#   EXAMPLE    c | cpp
#   BUILD_DIR  the configured native build to install from (default build/release)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
example=$1
build_dir=${2:-$root/build/release}
program=tensor_tour_$example

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Install into a staging prefix, then move it: a package config that only works where it
# was installed (absolute paths baked in) fails here.
cmake --install "$build_dir" --prefix "$tmp/stage" >"$tmp/install.log"
mv "$tmp/stage" "$tmp/prefix"
prefix=$tmp/prefix
for f in include/compute/compute.h include/compute/compute.hpp \
         lib/cmake/Compute/ComputeConfig.cmake lib/cmake/Compute/ComputeConfigVersion.cmake \
         lib/cmake/Compute/ComputeTargets.cmake; do
    [[ -f $prefix/$f ]] || { echo "install is missing $f"; exit 1; }
done
compgen -G "$prefix/lib/libcompute.so*" >/dev/null || { echo "install is missing lib/libcompute.so*"; exit 1; }

# Strict warnings: the examples are what users copy, and compute.h must stay C99-clean.
warnings="-Wall -Wextra -pedantic -Werror"
case $example in
    c) flags=(-DCMAKE_C_FLAGS="$warnings") ;;
    cpp) flags=(-DCMAKE_CXX_FLAGS="$warnings") ;;
    *) echo "unknown example '$example' (c or cpp)"; exit 1 ;;
esac
cmake -S "$root/examples/$example" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "${flags[@]}" >"$tmp/configure.log" \
    || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/build" >"$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }

# The program must load the installed library, not one from the build tree.
# (ldd's output is captured first: with pipefail, `ldd | grep -q` fails when grep exits early.)
libs=$(ldd "$tmp/build/$program")
grep -q "=> $prefix/lib/libcompute.so" <<<"$libs" \
    || { echo "$program does not load libcompute.so from the install prefix:"; echo "$libs"; exit 1; }

"$tmp/build/$program" >"$tmp/output.txt" || { cat "$tmp/output.txt"; echo "$program failed"; exit 1; }
cat "$tmp/output.txt"
"$here/compare_output.sh" "$here/expected/tensor_tour.txt" "$tmp/output.txt"

if [[ $example == cpp ]]; then
    # A shape error must arrive as compute::Error whose message names the op.
    grep -q '^error (status [0-9]*): .*matmul' "$tmp/output.txt" \
        || { echo "the C++ example did not report the matmul shape error as compute::Error"; exit 1; }
fi
