#!/usr/bin/env bash
# install_cuda_toolkit.sh - makes a CUDA toolkit (nvcc, cudart) available for building
# libcompute_cuda, so CI compiles the GPU code on machines without a GPU.
#
# Idempotent and quiet: when nvcc is already on PATH (or in /usr/local/cuda/bin) it does
# nothing. Otherwise, on Debian, it installs Debian's nvidia-cuda-toolkit (CUDA 11.8, about
# 2.3 GB, 3-4 minutes once) and clang-14, nvcc's host compiler (Debian's g++ 12 is newer than
# CUDA 11.8 accepts). The toolkit is in Debian's non-free component, so `contrib non-free` is
# added to the Debian sources first. Prints the nvcc path on success.
set -euo pipefail

die() { echo "install_cuda_toolkit.sh: $*" >&2; exit 1; }

find_nvcc() {
    local candidate
    for candidate in "$(command -v nvcc 2>/dev/null || true)" /usr/local/cuda/bin/nvcc /usr/bin/nvcc; do
        [[ -n $candidate && -x $candidate ]] && { echo "$candidate"; return 0; }
    done
    return 1
}

if nvcc=$(find_nvcc) && command -v clang-14 >/dev/null 2>&1; then
    echo "$nvcc"
    exit 0
fi
command -v dpkg >/dev/null 2>&1 || die "no CUDA toolkit found and this is not Debian: install CUDA 11.8+ (nvcc on PATH)"

sudo=()
((EUID == 0)) || sudo=(sudo)

# Adds contrib and non-free to every Debian stanza (deb822 and one-line formats) that lacks them.
enable_non_free() {
    local file
    for file in /etc/apt/sources.list.d/*.sources; do
        [[ -f $file ]] || continue
        grep -q '^URIs:.*debian' "$file" || continue  # other vendors' repositories have no non-free
        "${sudo[@]}" sed -i -E '/^Components:/{/ contrib/! s/$/ contrib/; / non-free( |$)/! s/$/ non-free/}' "$file"
    done
    if [[ -f /etc/apt/sources.list ]] && grep -qE '^deb .*debian.* main$' /etc/apt/sources.list; then
        "${sudo[@]}" sed -i -E 's/^(deb .*debian.* main)$/\1 contrib non-free/' /etc/apt/sources.list
    fi
}

enable_non_free
echo "install_cuda_toolkit.sh: installing nvidia-cuda-toolkit and clang-14 (about 2.3 GB, once)" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    nvidia-cuda-toolkit clang-14 >/dev/null
nvcc=$(find_nvcc) || die "nvidia-cuda-toolkit installed but nvcc was not found"
echo "$nvcc"
