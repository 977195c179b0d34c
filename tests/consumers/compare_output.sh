#!/usr/bin/env bash
# compare_output.sh EXPECTED ACTUAL
# Checks a consumer program's printed results against the PyTorch-generated fixture.
# Both files hold lines `name: v1 v2 ...`; every name in EXPECTED must appear in ACTUAL with
# the same number of values, each within a relative tolerance of 1e-5 (float32 results
# printed with 9 significant digits; PyTorch and Compute may sum in different orders).
# Lines of ACTUAL that EXPECTED does not name (a banner, messages) are ignored.
set -euo pipefail
expected=$1
actual=$2
awk -v rtol=1e-5 -v atol=1e-6 '
    function abs(x) { return x < 0 ? -x : x }
    FNR == NR {
        if ($0 ~ /^#/ || $0 !~ /:/) next
        name = $1; sub(/:$/, "", name)
        want[name] = $0; order[++n] = name
        next
    }
    /:/ { name = $1; sub(/:$/, "", name); if (name in want) got[name] = $0 }
    END {
        bad = 0
        for (k = 1; k <= n; k++) {
            name = order[k]
            if (!(name in got)) { printf "missing result %s\n", name; bad++; continue }
            ne = split(want[name], e, " "); ng = split(got[name], g, " ")
            if (ne != ng) { printf "%s: expected %d values, got %d\n  expected: %s\n  actual:   %s\n", name, ne - 1, ng - 1, want[name], got[name]; bad++; continue }
            for (i = 2; i <= ne; i++) {
                if (abs(g[i] - e[i]) > atol + rtol * abs(e[i])) {
                    printf "%s[%d]: expected %s, got %s\n", name, i - 2, e[i], g[i]; bad++
                }
            }
        }
        if (bad) { printf "%d mismatches against the expected output\n", bad; exit 1 }
        printf "all %d results match\n", n
    }' "$expected" "$actual"
