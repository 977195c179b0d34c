#!/usr/bin/python3
"""Fails when a per-element math helper of the CPU kernels is compiled out of line.

The pointwise kernels vectorise only when the whole per-element body is inlined into the dense
loop (native/src/cpu/loops.h). When GCC's inliner leaves a helper such as erf_f32 or a functor's
operator() out of line, the loop makes one scalar call per element and the op silently becomes
10-25x slower (the exact GELU fell from 0.6x to 0.04x of PyTorch that way). Nothing else notices
that: results stay right. This check reads the library's symbol table instead: a local function
in cmp::cpu taking one or two floats or doubles by value (the shape of a per-element helper or
functor call operator) must not exist as a symbol, because an inlined one leaves none.

    tools/check_vector_inlining.py build/release/libcompute.so [--counts FILE]

Prints each offending symbol; exit status 1 if there is any. With --counts it writes
"passed failed skipped" (one check) for build.sh's test summary.
"""
import argparse
import re
import subprocess
import sys

# A per-element helper: a function (or call operator) in cmp::cpu whose parameters are one to
# three scalars of a floating type, e.g. "cmp::cpu::avx2::exp_f32(float)",
# "cmp::cpu::(anonymous namespace)::GeluFn<float>::operator()(float) const".
SCALAR_ARGS = r"\((?:float|double)(?:, (?:float|double)){0,2}\)"
HELPER = re.compile(r"^(?:\S+ )?cmp::cpu::.*" + SCALAR_ARGS + r"(?: const)?(?: \[clone [^\]]*\])*$")

# Helpers that are out of line on purpose: they are not vectorisable (they call the C library
# or branch per element) and run in loops that do not vectorise anyway. Each entry says why.
ALLOWED = {
    # grid_sample: once per output position, outside the per-channel loop, which is what
    # matters; the corner search itself (floor to int64, bounds) does not vectorise.
    "cmp::cpu::(anonymous namespace)::Corners<float> cmp::cpu::(anonymous namespace)::corners_of<float>(float, float)",
    "cmp::cpu::(anonymous namespace)::Corners<double> cmp::cpu::(anonymous namespace)::corners_of<double>(double, double)",
}


def local_text_symbols(lib):
    out = subprocess.run(["nm", "-C", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in ("t", "T"):
            yield parts[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lib")
    ap.add_argument("--counts")
    args = ap.parse_args()
    bad = sorted({s for s in local_text_symbols(args.lib) if HELPER.match(s) and s not in ALLOWED})
    for s in bad:
        print(f"out of line (one call per element, the loop will not vectorise): {s}")
    if not bad:
        print("check_vector_inlining: no per-element helper of cmp::cpu is out of line")
    if args.counts:
        with open(args.counts, "w") as f:
            f.write(f"{0 if bad else 1} {1 if bad else 0} 0\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
