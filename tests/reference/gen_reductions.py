"""Fixtures for the reductions of issue 3: prod, amax/amin, max/min (all and along a dim with
indices), argmax/argmin, var/std/var_mean/std_mean (correction), linalg.vector_norm,
logsumexp, any/all, count_nonzero, cumsum/cumprod, and the dtype argument of
sum/mean/prod/cumsum/cumprod. Writes fixtures/reductions.json (run through generate.py).

Every case has "op", "input" and the op's arguments ("dims" null = every dim, "dim" null =
flattened, "keepdim", "correction", "ord", "dtype"), then "expected" (and "expected_indices"
for max/min along a dim, "expected_mean" for var_mean/std_mean) or "error".

Tolerances: results that PyTorch defines exactly (extrema, indices, logical ops, counts,
integer arithmetic) carry none and are compared exactly. Rounded float results carry "count"
(n, the number of reduced or scanned elements), "eps" (the unit roundoff basis of the
accumulation both libraries may use) and "abs_bound" (float64, shaped like the result), and
the tests accept |actual - expected| <= count * eps * abs_bound (plus one ulp of the output
for the final rounding):
  prod:      abs_bound = prod |x|      (n roundings of a product, each relative <= eps)
  cumsum:    abs_bound = cumsum |x|    cumprod: cumprod |x|
  var:       abs_bound = sum x^2 / max(divisor, 1) (the magnitude every term of any variance
             algorithm is bounded by)
  std:       the var bound carried through sqrt: |sqrt(a) - sqrt(b)| <= min(sqrt(d), d / (2 sqrt(b))),
             stored divided by count * eps
  norms:     abs_bound = |result| * max(1, 1/p) (relative error of a sum of n non-negative terms,
             scaled by the final root)
  logsumexp: abs_bound = 1 (the relative error of the sum of exponentials becomes an absolute
             error after the log)
"""
import math

import torch

from generate import (DTYPES, FLOATS, INTS, NAME_OF, TORCH_ERRORS, enc_float, enc_input, enc_tensor, randint,
                      randn, seeded, write)

EPS = {"float64": 2.0 ** -52, "float32": 2.0 ** -23, "float16": 2.0 ** -23, "bfloat16": 2.0 ** -23}
NAN, INF = float("nan"), float("inf")


def dims_arg(dims):
    return {} if dims is None else {"dim": tuple(dims)}


def iterated(fn, x, dims, keepdim):
    """torch 1.13's prod/any/all take one dim: a dim list is reduced one dim at a time (from
    the last dim so the remaining indices stay valid), keepdim applied to each step."""
    for d in dims:
        x.size(d)  # torch's own "Dimension out of range" IndexError for a bad dim
    dims = sorted((d % x.dim() for d in dims), reverse=True) if x.dim() else []
    if len(set(dims)) != len(dims):
        raise RuntimeError("dim appears multiple times in the list of dims")
    r = x
    for d in dims:
        r = fn(r, d, keepdim)
    return r


def bound_case(case, expected, bound, count, eps_dtype):
    case["expected"] = enc_tensor(expected)
    case["abs_bound"] = enc_tensor(bound.double())
    case["count"] = int(count)
    case["eps"] = EPS[eps_dtype]


def n_reduced(x, dims):
    if dims is None or len(dims) == 0:
        return x.numel()
    return math.prod(x.shape[d] for d in dims) if x.dim() else 1


def generate():
    seeded(31)
    cases = []

    def case_of(name, op, x, permute, **args):
        jx, tx = enc_input(x, permute)
        c = {"name": name, "op": op, "input": jx}
        c.update(args)
        return c, tx

    def run(c, fn):
        try:
            return fn()
        except TORCH_ERRORS as e:
            c["error"] = str(e).splitlines()[0]
            cases.append(c)
            return None

    # ---- prod -----------------------------------------------------------------------------
    def prod(name, x, dims=None, keepdim=False, dtype=None, permute=None):
        c, tx = case_of(name, "prod", x, permute, dims=dims, keepdim=keepdim, dtype=dtype)
        src = tx
        if tx.dtype in (torch.float16, torch.bfloat16):
            c["reference_note"] = "torch 1.13 has no CPU prod for float16/bfloat16: the float32 prod rounded to the input dtype"
            src = tx.float()
        kw = {"dtype": DTYPES[dtype]} if dtype else {}

        def f():
            if dims is None:
                return src.prod(**kw)
            c["reference_note"] = c.get("reference_note", "") + " torch 1.13 prod takes one dim: a dim list is reduced one dim at a time"
            return iterated(lambda t, d, k: t.prod(d, keepdim=k, **kw), src, dims, keepdim)
        r = run(c, f)
        if r is None:
            return
        if tx.dtype in (torch.float16, torch.bfloat16):
            r = r.to(tx.dtype)
        if r.is_floating_point():
            a = tx.double().abs()
            b = a.prod() if dims is None else iterated(lambda t, d, k: t.prod(d, keepdim=k), a, dims, keepdim)
            bound_case(c, r, b, n_reduced(tx, dims), "float64" if r.dtype == torch.float64 else "float32")
        else:
            c["expected"] = enc_tensor(r)
        cases.append(c)

    x = randn([3, 4], scale=1.5)
    prod("prod_all", x)
    prod("prod_dim1", x, [1])
    prod("prod_dim0_keepdim", x, [0], True)
    prod("prod_dim_neg1", x, [-1])
    prod("prod_dims_list", randn([2, 3, 4]), [0, 2])
    prod("prod_float64", randn([4, 5], "float64"), [1])
    prod("prod_float16", randn([4, 5], "float16"), [1])
    prod("prod_bfloat16", randn([20], "bfloat16"), None)
    prod("prod_transposed", randn([4, 6]), [0], permute=[1, 0])
    prod("prod_long_row", randn([2, 300], scale=1.0).exp().pow(0.01), [1])
    prod("prod_long_column", randn([300, 5]).exp().pow(0.01), [0])
    prod("prod_empty_all", randn([0, 3]))
    prod("prod_empty_dim0", randn([0, 3]), [0])
    prod("prod_zerodim", randn([]))
    prod("prod_special", torch.tensor([[1.0, INF], [NAN, 2.0], [0.0, INF], [-INF, -2.0]]), [1])
    # float32 products multiply in float32 (as PyTorch's): partial products that overflow or
    # underflow float32 stay inf / 0 even where the exact product is 1.
    prod("prod_float32_partial_overflow", torch.tensor([[1e30, 1e30, 1e-30, 1e-30], [1e-30, 1e-30, 1e30, 1e30]]), [1])
    for dt in INTS + ("bool",):
        prod(f"prod_{dt}_all", randint([3, 4], dt, -4, 5), None)
        prod(f"prod_{dt}_dim1", randint([3, 4], dt, -4, 5), [1])
    prod("prod_int64_wraps", torch.tensor([2 ** 40, 2 ** 40, 3]), None)
    prod("prod_dtype_float64", randint([3, 4], "int32", -4, 5), [1], dtype="float64")
    prod("prod_dtype_int8", randint([3, 4], "int32", -9, 9), None, dtype="int8")
    prod("error_prod_dim_out_of_range", randn([2, 3]), [2])

    # ---- amax / amin / max / min ------------------------------------------------------------
    def extremum(name, op, x, dims=None, keepdim=False, permute=None):
        c, tx = case_of(name, op, x, permute, dims=dims, keepdim=keepdim)
        fn = getattr(torch, op)
        r = run(c, lambda: fn(tx, **dims_arg(dims), keepdim=keepdim) if op in ("amax", "amin") else fn(tx))
        if r is not None:
            c["expected"] = enc_tensor(r)
            cases.append(c)

    def with_indices(name, op, x, dim, keepdim=False, permute=None):
        c, tx = case_of(name, op, x, permute, dim=dim, keepdim=keepdim)
        r = run(c, lambda: getattr(torch, op)(tx, dim, keepdim=keepdim))
        if r is not None:
            c["expected"] = enc_tensor(r.values)
            c["expected_indices"] = enc_tensor(r.indices)
            cases.append(c)

    def arg(name, op, x, dim=None, keepdim=False, permute=None):
        c, tx = case_of(name, op, x, permute, dim=dim, keepdim=keepdim)
        r = run(c, lambda: getattr(torch, op)(tx, dim=dim, keepdim=keepdim))
        if r is not None:
            c["expected"] = enc_tensor(r)
            cases.append(c)

    nan_rows = torch.tensor([[1.0, NAN, 3.0, NAN], [2.0, 2.0, -1.0, -1.0], [-INF, -INF, -INF, -INF], [INF, 5.0, INF, 0.0]])
    ties = torch.tensor([[3, 1, 3, 1], [0, 0, 0, 0], [-5, 7, 7, -5]], dtype=torch.int32)
    for op in ("amax", "amin"):
        extremum(f"{op}_all", op, randn([3, 4]))
        extremum(f"{op}_dim1", op, randn([3, 4]), [1])
        extremum(f"{op}_dims_keepdim", op, randn([2, 3, 4]), [0, -1], True)
        extremum(f"{op}_nan_rows", op, nan_rows, [1])
        extremum(f"{op}_nan_cols", op, nan_rows, [0])
        extremum(f"{op}_transposed", op, randn([5, 7]), [1], permute=[1, 0])
        extremum(f"{op}_long_row", op, randn([3, 700]), [1])
        extremum(f"{op}_long_column", op, randn([700, 3]), [0])
        extremum(f"{op}_float16", op, randn([4, 5], "float16"), [0])
        extremum(f"{op}_bfloat16", op, randn([4, 5], "bfloat16"), None)
        extremum(f"{op}_float64", op, randn([4, 5], "float64"), [1])
        for dt in INTS + ("bool",):
            extremum(f"{op}_{dt}", op, randint([3, 5], dt), [1])
        extremum(f"{op}_empty_other_dim", op, randn([0, 3]), [1])
        extremum(f"{op}_zerodim", op, randn([]), [0])
        extremum(f"error_{op}_empty_all", op, randn([0, 3]))
        extremum(f"error_{op}_empty_dim", op, randn([0, 3]), [0])
        extremum(f"error_{op}_dim_repeated", op, randn([2, 3]), [1, -1])
    for op in ("max", "min"):
        extremum(f"{op}_all", op, randn([3, 4]))
        extremum(f"{op}_all_nan", op, nan_rows)
        extremum(f"{op}_all_int16", op, randint([7], "int16"))
        extremum(f"{op}_all_bool", op, randint([7], "bool"))
        extremum(f"error_{op}_all_empty", op, randn([0]))
        with_indices(f"{op}_dim1", op, randn([3, 4]), 1)
        with_indices(f"{op}_dim0_keepdim", op, randn([3, 4]), 0, True)
        with_indices(f"{op}_dim_neg1_3d", op, randn([2, 3, 5]), -1)
        with_indices(f"{op}_dim1_3d_column", op, randn([2, 40, 5]), 1)
        with_indices(f"{op}_nan_rows", op, nan_rows, 1)
        with_indices(f"{op}_nan_cols", op, nan_rows, 0)
        with_indices(f"{op}_ties_rows", op, ties, 1)
        with_indices(f"{op}_ties_cols", op, ties, 0)
        with_indices(f"{op}_ties_long_row", op, randint([2, 200], "int8", -3, 3), 1)
        with_indices(f"{op}_ties_long_column", op, randint([200, 3], "int8", -3, 3), 0)
        with_indices(f"{op}_transposed", op, randn([5, 7]), 0, permute=[1, 0])
        with_indices(f"{op}_float16", op, randn([4, 5], "float16"), 1)
        with_indices(f"{op}_bfloat16", op, randn([4, 5], "bfloat16"), 0)
        with_indices(f"{op}_bool", op, randint([3, 5], "bool"), 1)
        with_indices(f"{op}_uint8", op, randint([3, 5], "uint8"), 1)
        with_indices(f"{op}_zerodim", op, randn([]), 0)
        with_indices(f"{op}_empty_other_dim", op, randn([0, 3]), 1)
        with_indices(f"error_{op}_empty_dim", op, randn([0, 3]), 0)
        with_indices(f"error_{op}_dim_out_of_range", op, randn([2, 3]), 2)
    for op in ("argmax", "argmin"):
        arg(f"{op}_all", op, randn([3, 4]))
        arg(f"{op}_all_keepdim", op, randn([3, 4]), None, True)
        arg(f"{op}_all_transposed", op, randn([3, 4]), None, permute=[1, 0])
        arg(f"{op}_dim1", op, randn([3, 4]), 1)
        arg(f"{op}_dim0_keepdim", op, randn([3, 4]), 0, True)
        arg(f"{op}_nan", op, nan_rows, 1)
        arg(f"{op}_nan_all", op, nan_rows)
        arg(f"{op}_ties", op, ties, 1)
        arg(f"{op}_ties_all", op, ties)
        arg(f"{op}_long_row", op, randn([2, 1000]), 1)
        arg(f"{op}_int64", op, randint([4, 6], "int64"), 0)
        arg(f"{op}_float64", op, randn([4, 6], "float64"), -1)
        arg(f"{op}_float16", op, randn([4, 6], "float16"), -1)
        arg(f"error_{op}_bool", op, randint([4], "bool"))
        arg(f"error_{op}_empty_all", op, randn([0, 2]))
        arg(f"error_{op}_empty_dim", op, randn([0, 2]), 0)

    # ---- var / std / var_mean / std_mean ---------------------------------------------------
    def moments(name, op, x, dims=None, correction=1, keepdim=False, permute=None):
        c, tx = case_of(name, op, x, permute, dims=dims, correction=correction, keepdim=keepdim)
        fn = getattr(torch, op)
        r = run(c, lambda: fn(tx, dim=None if dims is None else tuple(dims), correction=correction, keepdim=keepdim))
        if r is None:
            return
        n = n_reduced(tx, dims)
        sq = tx.double() ** 2
        total = sq.sum() if dims is None else sq.sum(dim=tuple(dims), keepdim=keepdim)
        var_bound = total / max(n - correction, 1)
        eps = EPS["float64"]
        value, mean = (r, None) if op in ("var", "std") else r
        if op.startswith("std"):
            d = n * eps * var_bound
            s = value.double().abs()
            lin = torch.where(s > 0, d / (2 * s), torch.full_like(d, INF))
            bound = torch.minimum(d.sqrt(), lin) / (n * eps) if n > 0 else d
        else:
            bound = var_bound
        bound_case(c, value, bound, n, "float64")
        if mean is not None:
            c["expected_mean"] = enc_tensor(mean)
            # The mean: any summation order is within n * eps * sum|x| / n.
            a = tx.double().abs()
            mb = (a.sum() if dims is None else a.sum(dim=tuple(dims), keepdim=keepdim)) / max(n, 1)
            c["mean_abs_bound"] = enc_tensor(mb)
        cases.append(c)

    for op in ("var", "std", "var_mean", "std_mean"):
        moments(f"{op}_all", op, randn([3, 4]))
        moments(f"{op}_dim1", op, randn([3, 4]), [1])
        moments(f"{op}_dims_keepdim", op, randn([2, 3, 4]), [0, 2], keepdim=True)
        moments(f"{op}_correction0", op, randn([5, 6]), [1], correction=0)
        moments(f"{op}_correction2", op, randn([5, 6]), [0], correction=2)
        moments(f"{op}_correction_exceeds_n", op, randn([3, 2]), [1], correction=3)
        moments(f"{op}_single_element", op, randn([4, 1]), [1])
        moments(f"{op}_offset_mean", op, randn([2, 500]) + 1000.0, [1])
        moments(f"{op}_long_column", op, randn([600, 3], "float64"), [0])
        moments(f"{op}_transposed", op, randn([4, 6]), [1], permute=[1, 0])
        moments(f"{op}_float16", op, randn([4, 8], "float16"), [1])
        moments(f"{op}_bfloat16", op, randn([4, 8], "bfloat16"), None)
        moments(f"{op}_special", op, torch.tensor([[1.0, NAN, 2.0], [1.0, INF, 2.0], [3.0, 3.0, 3.0]]), [1])
        moments(f"{op}_empty", op, randn([0, 3]), [0])
        moments(f"error_{op}_int", op, randint([3, 4], "int32"), [1])
        moments(f"error_{op}_dim_out_of_range", op, randn([3, 4]), [3])

    # ---- vector_norm ------------------------------------------------------------------------
    def norm(name, x, ord=2.0, dims=None, keepdim=False, permute=None):
        c, tx = case_of(name, "vector_norm", x, permute, ord=enc_float(ord), dims=dims, keepdim=keepdim)
        r = run(c, lambda: torch.linalg.vector_norm(tx, ord, dim=None if dims is None else tuple(dims), keepdim=keepdim))
        if r is None:
            return
        if math.isinf(ord) or ord == 0:
            c["expected"] = enc_tensor(r)
        else:
            bound_case(c, r, r.double().abs() * max(1.0, 1.0 / abs(ord)), max(n_reduced(tx, dims), 1),
                       "float64" if r.dtype == torch.float64 else "float32")
        cases.append(c)

    for ordv, oname in ((2.0, "2"), (1.0, "1"), (INF, "inf"), (-INF, "neginf"), (0.0, "0"), (3.0, "3"), (0.5, "half"),
                        (-1.5, "neg1_5")):
        norm(f"norm_{oname}_all", randn([3, 4]), ordv)
        norm(f"norm_{oname}_dim1", randn([3, 4]), ordv, [1])
        norm(f"norm_{oname}_dims_keepdim", randn([2, 3, 4]), ordv, [0, -1], True)
        norm(f"norm_{oname}_with_zeros", torch.tensor([[0.0, 2.0, 0.0], [3.0, 0.0, -4.0]]), ordv, [1])
    norm("norm_2_float64", randn([5, 6], "float64"), 2.0, [0])
    norm("norm_2_float16", randn([5, 6], "float16"), 2.0, [1])
    norm("norm_inf_bfloat16", randn([5, 6], "bfloat16"), INF, [1])
    norm("norm_2_transposed", randn([4, 6]), 2.0, [1], permute=[1, 0])
    norm("norm_2_long_row", randn([2, 5000]), 2.0, [1])
    norm("norm_2_long_column", randn([800, 4]), 2.0, [0])
    norm("norm_special", torch.tensor([[1.0, NAN], [INF, 1.0], [-INF, NAN]]), 2.0, [1])
    norm("norm_inf_special", torch.tensor([[1.0, NAN], [INF, 1.0], [-INF, 2.0]]), INF, [1])
    norm("norm_2_empty", randn([0, 3]), 2.0)
    norm("norm_2_empty_dim0", randn([0, 3]), 2.0, [0])
    norm("error_norm_inf_empty", randn([0, 3]), INF)
    norm("error_norm_neginf_empty_dim", randn([0, 3]), -INF, [0])
    norm("error_norm_int", randint([3], "int64"), 2.0)

    # ---- logsumexp --------------------------------------------------------------------------
    def lse(name, x, dims, keepdim=False, permute=None):
        c, tx = case_of(name, "logsumexp", x, permute, dims=dims, keepdim=keepdim)
        src = tx
        if tx.dtype == torch.float16:
            c["reference_note"] = "torch 1.13 has no CPU exp for float16: the float32 logsumexp rounded to float16"
            src = tx.float()
        r = run(c, lambda: torch.logsumexp(src, dim=tuple(dims), keepdim=keepdim))
        if r is None:
            return
        r = r.to(tx.dtype) if tx.dtype == torch.float16 else r
        bound_case(c, r, torch.ones_like(r, dtype=torch.float64), max(n_reduced(tx, dims), 1),
                   "float64" if r.dtype == torch.float64 else "float32")
        cases.append(c)

    lse("logsumexp_dim1", randn([3, 4]), [1])
    lse("logsumexp_dims_keepdim", randn([2, 3, 4]), [0, 2], True)
    lse("logsumexp_all_listed", randn([2, 3]), [0, 1])
    lse("logsumexp_large", randn([3, 5], scale=100.0) + 500.0, [1])
    lse("logsumexp_very_negative", randn([3, 5]) - 1000.0, [1])
    lse("logsumexp_special", torch.tensor([[INF, 1.0, INF], [-INF, -INF, -INF], [NAN, 1.0, 2.0], [-INF, 0.0, 1.0], [INF, -INF, 0.0]]), [1])
    lse("logsumexp_long_row", randn([2, 3000]), [1])
    lse("logsumexp_long_column", randn([500, 4]), [0])
    lse("logsumexp_transposed", randn([4, 6]), [1], permute=[1, 0])
    lse("logsumexp_float64", randn([4, 6], "float64", scale=30.0), [0])
    lse("logsumexp_float16", randn([4, 6], "float16"), [1])
    lse("logsumexp_bfloat16", randn([4, 6], "bfloat16"), [1])
    lse("logsumexp_int64", randint([3, 4], "int64", -5, 5), [1])
    lse("logsumexp_bool", randint([3, 4], "bool"), [0])
    lse("logsumexp_empty", randn([0, 3]), [0])
    lse("error_logsumexp_dim_out_of_range", randn([2, 3]), [2])

    # ---- any / all / count_nonzero ----------------------------------------------------------
    def logical(name, op, x, dims=None, keepdim=False, permute=None):
        c, tx = case_of(name, op, x, permute, dims=dims, keepdim=keepdim)
        fn = getattr(torch, op)

        def f():
            if dims is None:
                return fn(tx)
            if len(dims) == 1:
                return fn(tx, dims[0], keepdim=keepdim)
            c["reference_note"] = f"torch 1.13 {op} takes one dim: a dim list is reduced one dim at a time"
            return iterated(lambda t, d, k: fn(t, d, keepdim=k), tx, dims, keepdim)
        r = run(c, f)
        if r is not None:
            c["expected"] = enc_tensor(r)
            cases.append(c)

    def cnz(name, x, dims=None, permute=None):
        c, tx = case_of(name, "count_nonzero", x, permute, dims=dims)
        r = run(c, lambda: torch.count_nonzero(tx, dim=None if dims is None else tuple(dims)))
        if r is not None:
            c["expected"] = enc_tensor(r)
            cases.append(c)

    sparse = torch.tensor([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [NAN, 2.0, -0.0, 3.0]])
    for op in ("any", "all"):
        logical(f"{op}_all", op, sparse)
        logical(f"{op}_dim1", op, sparse, [1])
        logical(f"{op}_dim0_keepdim", op, sparse, [0], True)
        logical(f"{op}_dims_list", op, randint([2, 3, 4], "int32", -1, 2), [0, 2])
        logical(f"{op}_ones", op, torch.ones(3, 5), [1])
        logical(f"{op}_long_row", op, randint([2, 2000], "int8", 0, 2), [1])
        logical(f"{op}_long_column", op, (randn([700, 3]) > -3.0), [0])
        logical(f"{op}_transposed", op, randint([4, 6], "bool"), [1], permute=[1, 0])
        for dt in INTS + ("bool", "float16", "bfloat16", "float64"):
            logical(f"{op}_{dt}", op, (randint([3, 4], "int64", 0, 2) * randint([3, 4], "int64", 1, 3)).to(DTYPES[dt]), [1])
        logical(f"{op}_empty", op, randn([0, 3]))
        logical(f"{op}_empty_dim0", op, randn([0, 3]), [0])
        logical(f"error_{op}_dim_out_of_range", op, randn([2, 3]), [-3])
    cnz("count_nonzero_all", sparse)
    cnz("count_nonzero_dim1", sparse, [1])
    cnz("count_nonzero_dims", randint([2, 3, 4], "int16", -1, 2), [0, 2])
    cnz("count_nonzero_bool", randint([5, 3], "bool"), [0])
    cnz("count_nonzero_uint8", randint([5, 3], "uint8", 0, 3), None)
    cnz("count_nonzero_float16", randint([5, 3], "int64", 0, 2).half(), [1])
    cnz("count_nonzero_transposed", randint([4, 6], "int32", -1, 2), [1], permute=[1, 0])
    cnz("count_nonzero_empty", randn([0, 3]), [0])
    cnz("error_count_nonzero_dim_repeated", randn([2, 3]), [0, 0])

    # ---- cumsum / cumprod ------------------------------------------------------------------
    def scan(name, op, x, dim, dtype=None, permute=None):
        c, tx = case_of(name, op, x, permute, dim=dim, dtype=dtype)
        src = tx
        if tx.dtype == torch.float16 and dtype is None:
            c["reference_note"] = f"torch 1.13 has no CPU {op} for float16: the float32 {op} rounded to float16"
            src = tx.float()
        kw = {"dtype": DTYPES[dtype]} if dtype else {}
        r = run(c, lambda: getattr(torch, op)(src, dim, **kw))
        if r is None:
            return
        if tx.dtype == torch.float16 and dtype is None:
            r = r.half()
        if r.is_floating_point():
            a = tx.double().abs()
            b = getattr(torch, op)(a, dim)
            n = tx.shape[dim] if tx.dim() else 1
            bound_case(c, r, b, max(n, 1), "float64" if r.dtype == torch.float64 else "float32")
        else:
            c["expected"] = enc_tensor(r)
        cases.append(c)

    for op in ("cumsum", "cumprod"):
        scan(f"{op}_dim1", op, randn([3, 4]), 1)
        scan(f"{op}_dim0", op, randn([3, 4]), 0)
        scan(f"{op}_dim_neg1_3d", op, randn([2, 3, 5]), -1)
        scan(f"{op}_transposed", op, randn([4, 6]), 1, permute=[1, 0])
        scan(f"{op}_long", op, randn([2, 400]).exp().pow(0.01) if op == "cumprod" else randn([2, 400]), 1)
        scan(f"{op}_float64", op, randn([3, 4], "float64"), 0)
        scan(f"{op}_float16", op, randn([3, 4], "float16"), 1)
        scan(f"{op}_bfloat16", op, randn([3, 4], "bfloat16"), 1)
        scan(f"{op}_special", op, torch.tensor([[1.0, INF, -INF, 2.0], [NAN, 1.0, 2.0, 3.0], [0.0, INF, 1.0, 1.0]]), 1)
        for dt in INTS + ("bool",):
            scan(f"{op}_{dt}", op, randint([3, 4], dt, -4, 5), 1)
        scan(f"{op}_int64_wraps", op, torch.tensor([2 ** 62, 2 ** 62, 2 ** 62, 3]), 0)
        scan(f"{op}_dtype_float64", op, randint([3, 4], "int32", -4, 5), 1, dtype="float64")
        scan(f"{op}_dtype_int16", op, randint([3, 4], "int8", -100, 100), 1, dtype="int16")
        scan(f"{op}_zerodim", op, randn([]), 0)
        scan(f"{op}_empty", op, randn([0, 3]), 0)
        scan(f"error_{op}_dim_out_of_range", op, randn([3]), 1)

    # ---- sum / mean with dtype ----------------------------------------------------------------
    def with_dtype(name, op, x, dims, dtype, keepdim=False):
        c, tx = case_of(name, op, x, None, dims=dims, keepdim=keepdim, dtype=dtype)
        fn = getattr(torch, op)
        r = run(c, lambda: fn(tx, dim=tuple(dims), keepdim=keepdim, dtype=DTYPES[dtype]) if dims is not None
                else fn(tx, dtype=DTYPES[dtype]))
        if r is None:
            return
        if r.is_floating_point():
            a = tx.double().abs()
            b = a.sum() if dims is None else a.sum(dim=tuple(dims), keepdim=keepdim)
            n = n_reduced(tx, dims)
            if op == "mean" and n > 0:
                b = b / n
            bound_case(c, r, b, max(n, 1), "float64" if r.dtype == torch.float64 else "float32")
        else:
            c["expected"] = enc_tensor(r)
        cases.append(c)

    with_dtype("sum_dtype_float64_from_int", "sum", randint([3, 4], "int32"), [1], "float64")
    with_dtype("sum_dtype_int8_wraps", "sum", randint([3, 40], "int64", 0, 100), [1], "int8")
    with_dtype("sum_dtype_float32_from_float64", "sum", randn([3, 4], "float64"), None, "float32")
    with_dtype("sum_dtype_int32_from_bool", "sum", randint([5, 4], "bool"), [0], "int32")
    with_dtype("mean_dtype_float64_from_int", "mean", randint([3, 4], "int32"), [1], "float64")
    with_dtype("mean_dtype_float32_from_float16", "mean", randn([3, 4], "float16"), [0, 1], "float32", True)
    with_dtype("error_mean_dtype_int", "mean", randn([3, 4]), [1], "int64")

    # ---- layouts of the shared fold driver ------------------------------------------------------
    # Two kept dims that do not merge (outputs walked with a carry), more column rows than one
    # row block (128) over two reduced dims (row offsets walked per block), many short rows.
    layouts = (("rows_two_kept_dims", [3, 5, 7], [2], [1, 0, 2]),
               ("columns_two_reduced_dims", [13, 30, 9], [0, 1], [1, 0, 2]),
               ("many_rows_of_64", [300, 64], [1], None))
    for tag, shape, dims, perm in layouts:
        prod(f"prod_{tag}", randn(shape).exp().pow(0.01), dims, permute=perm)
        extremum(f"amax_{tag}", "amax", randn(shape), dims, permute=perm)
        moments(f"var_{tag}", "var", randn(shape), dims, permute=perm)
        lse(f"logsumexp_{tag}", randn(shape), dims, permute=perm)
    with_indices("max_columns_two_reduced_dims", "max", randn([300, 9]), 0)
    arg("argmax_rows_two_kept_dims", "argmax", randn([3, 5, 7]), 2, permute=[1, 0, 2])

    # ---- any / all over long rows and columns (vector mask lanes) -----------------------------
    # Rows of 1100 (whole vectors, then a tail at every lane width) in runs of 1024 after which a
    # decided row stops reading: one deciding element at the start, at the end of the first run,
    # at the start of the second, inside it and in the tail; a row with none; NaN (nonzero) and
    # -0 (zero). Columns of 300 (row blocks of 128) the same way, 40 of them (the last 32 with
    # none). Added last, so the inputs above stay as they were.
    def deciding(n, where, fill, mark, dtype):
        floats = dtype in FLOATS
        x = torch.full((8, n), fill, dtype=torch.float64)
        for r, at in enumerate(where):
            x[r, at] = mark
        x[6, n // 2] = NAN
        x[7, n - 3] = -0.0
        if fill == 0:
            x[7, :] = -0.0
        return (x if floats else x[:6]).to(DTYPES[dtype])

    for dt in ("float32", "float64", "int8", "int64", "bool"):
        for op, fill, mark in (("any", 0.0, 1.0), ("all", 1.0, 0.0)):
            logical(f"{op}_long_rows_{dt}", op, deciding(1100, (0, 1023, 1024, 1050, 1099), fill, mark, dt), [1])
            if dt in ("float32", "int8", "bool"):
                cols = deciding(300, (0, 127, 128, 250, 299), fill, mark, dt)
                rest = torch.full((40 - cols.shape[0], 300), fill, dtype=torch.float64).to(DTYPES[dt])
                logical(f"{op}_long_columns_{dt}", op, torch.cat([cols, rest]).t().contiguous(), [0])
    # Two reduced dims that do not merge: rows of 50 folded into one output, decided in a late row.
    late = torch.zeros(40, 2, 50)
    late[37, 1, 20] = 2.0
    logical("any_rows_two_reduced_dims", "any", late, [1, 2], permute=[1, 0, 2])
    late = torch.ones(40, 2, 50)
    late[39, 0, 49] = 0.0
    logical("all_rows_two_reduced_dims", "all", late, [1, 2], permute=[1, 0, 2])

    # (Added last, so that the random inputs of the cases above keep their values.)
    # float32 norms add squares in float32, as PyTorch's: squares beyond its range make them
    # inf (short rows, a block of rows, a long row, a column).
    big = torch.full([20, 300], 1e20)
    norm("norm_2_float32_squares_overflow_rows", big[:, :64], 2.0, [1])
    norm("norm_2_float32_squares_overflow_long_row", big[:2], 2.0, [1])
    norm("norm_2_float32_squares_overflow_column", big[:, :3], 2.0, [0])
    norm("norm_1_float32_large_rows", big[:, :40] * 1e17, 1.0, [1])
    norm("norm_2_long_rows_block", randn([70, 200]), 2.0, [1])
    norm("norm_1_long_rows_block", randn([70, 200]), 1.0, [1])
    write("reductions.json", cases,
          description="prod, amax/amin, max/min (with indices), argmax/argmin, var/std/var_mean/std_mean, "
                      "vector_norm, logsumexp, any/all, count_nonzero, cumsum/cumprod, and dtype= of "
                      "sum/mean/prod/cumsum/cumprod; see the docstring of gen_reductions.py for the tolerances.")
