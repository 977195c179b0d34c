#!/usr/bin/env bash
# bundle.sh - packs bench/gpt2 for the lent GPU machine, which has no .NET: a self-contained
# linux-x64 publish (the .NET runtime inside, the native libraries left out: device_check.sh
# builds them there for the GPU and points COMPUTE_NATIVE_LIBRARY at its libcompute.so), as one
# .tar.xz of about 27 MB, small enough to travel with the working tree (64 MiB in all).
#
#   bench/gpt2/bundle.sh [OUT]      OUT defaults to .devcheck/gpt2.tar.xz (carry `.devcheck`)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-$ROOT/.devcheck/gpt2.tar.xz}
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
# The native build folder only satisfies the managed build's copy step; the copies are removed.
dotnet publish "$ROOT/bench/gpt2" -c Release -r linux-x64 --self-contained -nologo -v:quiet -o "$STAGE/gpt2" \
    -p:ComputeNativeBuildDir="$ROOT/build/release"
rm -f "$STAGE"/gpt2/libcompute*.so*
mkdir -p "$(dirname "$OUT")"
tar -cJf "$OUT" -C "$STAGE" gpt2
grep -qx '/.devcheck/' "$ROOT/.git/info/exclude" 2>/dev/null || echo '/.devcheck/' >>"$ROOT/.git/info/exclude"
echo "bundle.sh: $OUT ($(du -h "$OUT" | cut -f1)); carry .devcheck to the GPU machine"
