#!/usr/bin/env bash
# nuget_consumer.sh [ARTIFACTS_DIR [VERSION]]
# Uses the Compute NuGet package the way a new user would: a fresh `dotnet new console`
# project in a temp folder, the package added from a local folder feed, a small computation
# run, and its printed numbers checked against the PyTorch fixture expected/tensor_tour.txt.
# When the feed also holds Compute.Cuda, the project adds it and checks that libcompute finds the
# backend it carries.
# Without arguments it runs `./build.sh pack` first and uses artifacts/.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if (($# == 0)); then
    "$root/build.sh" pack
fi
feed=$(cd "${1:-$root/artifacts}" && pwd)
version=${2:-$(sed -n 's/^project(Compute VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")}
[[ -f $feed/Compute.$version.nupkg ]] || { echo "no Compute.$version.nupkg in $feed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A private package cache: a Compute.$version extracted earlier (a stale build with the same
# version number) can never be picked up instead of the package just built.
export NUGET_PACKAGES=$tmp/packages

cd "$tmp"
dotnet new console --name TensorTour --output app --framework net10.0 >/dev/null
cd app
# Only the local feed and nuget.org; <clear/> keeps machine-wide sources out of the test.
cat >nuget.config <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Compute" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
dotnet add package Compute --version "$version" >add.log || { cat add.log; exit 1; }
# The CUDA backend's package too, when the build made one: it must land beside libcompute.
with_cuda=false
if [[ -f $feed/Compute.Cuda.$version.nupkg ]]; then
    with_cuda=true
    sed -i 's|<package pattern="Compute" />|<package pattern="Compute" /><package pattern="Compute.Cuda" />|' nuget.config
    dotnet add package Compute.Cuda --version "$version" >>add.log || { cat add.log; exit 1; }
fi
cp "$here/nuget/Program.cs" Program.cs
dotnet run -c Release >output.txt 2>&1 || { cat output.txt; echo "the consumer program failed"; exit 1; }
cat output.txt

# The native library must have come from the package's runtimes/linux-x64/native folder.
compgen -G "bin/Release/net10.0/runtimes/linux-x64/native/libcompute.so" >/dev/null \
    || compgen -G "bin/Release/net10.0/libcompute.so" >/dev/null \
    || { echo "libcompute.so from the package is not in the consumer's output"; exit 1; }
if $with_cuda; then
    compgen -G "bin/Release/net10.0/runtimes/linux-x64/native/libcompute_cuda.so" >/dev/null \
        || compgen -G "bin/Release/net10.0/libcompute_cuda.so" >/dev/null \
        || { echo "libcompute_cuda.so from Compute.Cuda is not in the consumer's output"; exit 1; }
    # Found beside libcompute: either devices, or a reason that names the file by its path
    # (a driver or a CUDA library missing), never "libcompute_cuda.so: cannot open".
    grep -q '^# cuda devices' output.txt || grep -q '^# cuda unavailable: /.*libcompute_cuda.so' output.txt \
        || { echo "the consumer did not load libcompute_cuda.so from the Compute.Cuda package:"; grep '^# cuda' output.txt; exit 1; }
fi
"$here/compare_output.sh" "$here/expected/tensor_tour.txt" output.txt
