#!/usr/bin/env bash
# prepare_device_check.sh - readies .devcheck for tests/cuda/device_check.sh on the lent GPU
# machine, which has no .NET and possibly no GoogleTest: a copy of Debian's GoogleTest sources
# (libgtest-dev, /usr/src/googletest) and bench/gpt2's self-contained bundle (bench/gpt2/bundle.sh).
# .devcheck is ignored by git; name it in the device call's `carry` (about 30 MB; the working tree
# and carried paths may not pass 64 MiB together):
#
#     tests/cuda/prepare_device_check.sh
#     run(command: "tests/cuda/device_check.sh", carry: [".devcheck"], timeout_s: 600)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$ROOT/.devcheck
mkdir -p "$DEST"
grep -qx '/.devcheck/' "$ROOT/.git/info/exclude" 2>/dev/null || echo '/.devcheck/' >>"$ROOT/.git/info/exclude"
[[ -d /usr/src/googletest ]] || { echo "prepare_device_check.sh: /usr/src/googletest is missing (apt-get install libgtest-dev)" >&2; exit 1; }
rm -rf "$DEST/googletest" && cp -r /usr/src/googletest "$DEST/googletest"
"$ROOT/bench/gpt2/bundle.sh" "$DEST/gpt2.tar.xz"
tracked=$(git -C "$ROOT" ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
carried=$(du -sb "$DEST" | cut -f1)
echo "prepare_device_check.sh: .devcheck $((carried / 1048576)) MiB + working tree $((tracked / 1048576)) MiB to travel (limit 64 MiB)"
