#!/usr/bin/python3
"""Checks the dtype column of docs/OPS.md against the built library.

docs/OPS.md takes each op's dtypes from its header's "Dtypes: ..." sentence
(tools/gen_ops_catalogue.py). This script calls each op listed in CALLS below with a small
tensor of every dtype through the C ABI (ctypes, argument types read from the headers) and
fails an op whose accepted dtypes differ from what its header states. One test per op.

Usage:
  /usr/bin/python3 tools/check_op_dtypes.py build/release/libcompute.so [--counts FILE]
FILE receives "passed failed skipped" for build.sh's summary.
"""
import argparse
import ctypes as C
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "bindings"))
import gen_ops_catalogue as catalogue  # noqa: E402

DT = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]
F32, F64, I64, BOOL = 0, 1, 4, 9
GROUPS = {"all": DT, "all but bool": DT[:-1], "floating": DT[:4], "integer": DT[4:9],
          "bool": ["bool"]}
GROUPS.update({d: [d] for d in DT})


class S(C.Structure):
    _fields_ = [("kind", C.c_int32), ("r", C.c_int32), ("f", C.c_double), ("i", C.c_int64)]


class D(C.Structure):
    _fields_ = [("type", C.c_int32), ("index", C.c_int32)]


T = C.c_void_p
CPU = D(0, 0)
L = None
SIGNATURES = {}  # function -> its parameter types as the header spells them


def load(path):
    """The library, with argument types read from the CMP_API declarations."""
    lib = C.CDLL(path)
    lib.cmp_last_error.restype = C.c_char_p
    types = {"cmp_tensor": T, "int64_t": C.c_int64, "int32_t": C.c_int32, "uint64_t": C.c_uint64,
             "double": C.c_double, "cmp_scalar": S, "cmp_dtype": C.c_int32, "cmp_device": D}
    headers = [os.path.join(ROOT, "native/include/compute/compute.h")]
    headers += glob.glob(os.path.join(ROOT, "native/include/compute/ops/*.h"))
    for h in headers:
        for m in re.finditer(r"CMP_API cmp_status (cmp_\w+)\(([^)]*)\);", open(h, encoding="utf-8").read()):
            args, spelled = [], []
            for a in m.group(2).split(","):
                a = a.strip()
                if a and a != "void":
                    ty = a.rsplit(" ", 1)[0].replace("const ", "").strip()
                    args.append(C.c_void_p if "*" in a else types.get(ty, C.c_void_p))
                    spelled.append(ty + ("*" if "*" in a.rsplit(" ", 1)[1] else ""))
            SIGNATURES[m.group(1)] = spelled
            fn = getattr(lib, m.group(1), None)
            if fn is not None:
                fn.argtypes, fn.restype = args, C.c_int32
    return lib


def sf(v): return S(0, 0, float(v), 0)
def si(v): return S(1, 0, 0.0, int(v))
def L64(*v): return (C.c_int64 * max(1, len(v)))(*v)
def out(): return C.byref(T())
def arr(*ts): return (T * len(ts))(*ts)
def outs(n): return (T * n)()


def mk(shape, dt, fill=1):
    o = T()
    assert L.cmp_full(L64(*shape), len(shape), si(fill) if dt >= 4 else sf(fill), dt, CPU, C.byref(o)) == 0
    return o


def ar(n, dt):
    """0..n-1 in dtype dt (bool: False, True, True...)."""
    o, t = T(), T()
    assert L.cmp_arange(si(0), si(n), si(1), I64, CPU, C.byref(t)) == 0
    if dt == BOOL:
        assert L.cmp_ne(t, mk([1], I64, 0), C.byref(o)) == 0
    else:
        assert L.cmp_to_dtype(t, dt, C.byref(o)) == 0
    return o


def r6(dt):
    o = T()
    assert L.cmp_reshape(ar(6, dt), L64(2, 3), 2, C.byref(o)) == 0
    return o


def I(): return mk([2, 3], I64, 0)
def B(): return mk([2, 3], BOOL, 1)


# op -> a call of it for dtype d (the catalogue's op names); returns the cmp_status.
CALLS = {
 # core
 "empty": lambda d: L.cmp_empty(L64(2), 1, d, CPU, out()),
 "zeros": lambda d: L.cmp_zeros(L64(2), 1, d, CPU, out()),
 "ones": lambda d: L.cmp_ones(L64(2), 1, d, CPU, out()),
 "full": lambda d: L.cmp_full(L64(2), 1, si(1), d, CPU, out()),
 "arange": lambda d: L.cmp_arange(si(0), si(5), si(1), d, CPU, out()),
 "view": lambda d: L.cmp_view(r6(d), L64(3, 2), 2, out()),
 "reshape": lambda d: L.cmp_reshape(r6(d), L64(3, 2), 2, out()),
 "permute": lambda d: L.cmp_permute(r6(d), L64(1, 0), 2, out()),
 "transpose": lambda d: L.cmp_transpose(r6(d), 0, 1, out()),
 "slice": lambda d: L.cmp_slice(r6(d), 1, 0, 2, 1, out()),
 "select": lambda d: L.cmp_select(r6(d), 0, 1, out()),
 "narrow": lambda d: L.cmp_narrow(r6(d), 1, 0, 2, out()),
 "expand": lambda d: L.cmp_expand(mk([1, 3], d), L64(2, 3), 2, out()),
 "squeeze": lambda d: L.cmp_squeeze(mk([1, 3], d), out()),
 "unsqueeze": lambda d: L.cmp_unsqueeze(r6(d), 0, out()),
 "as_strided": lambda d: L.cmp_as_strided(r6(d), L64(2, 2), L64(1, 2), 2, 0, out()),
 "flatten": lambda d: L.cmp_flatten(r6(d), 0, -1, out()),
 "contiguous": lambda d: L.cmp_contiguous(r6(d), out()),
 "clone": lambda d: L.cmp_clone(r6(d), out()),
 "to": lambda d: L.cmp_to_dtype(r6(d), F32, out()),
 "to_device": lambda d: L.cmp_to_device(r6(d), CPU, out()),
 "copy": lambda d: L.cmp_copy_(r6(d), r6(F32)),
 "fill": lambda d: L.cmp_fill_(r6(d), si(1)),
 "rand": lambda d: L.cmp_rand(L64(2), 1, d, CPU, out()),
 "randn": lambda d: L.cmp_randn(L64(2), 1, d, CPU, out()),
 "randint": lambda d: L.cmp_randint(0, 2, L64(2), 1, d, CPU, out()),
 "matmul": lambda d: L.cmp_matmul(r6(d), mk([3, 2], d), out()),
 # factories
 "empty_like": lambda d: L.cmp_empty_like(r6(d), None, None, out()),
 "zeros_like": lambda d: L.cmp_zeros_like(r6(d), None, None, out()),
 "ones_like": lambda d: L.cmp_ones_like(r6(d), None, None, out()),
 "full_like": lambda d: L.cmp_full_like(r6(d), si(1), None, None, out()),
 "linspace": lambda d: L.cmp_linspace(si(0), si(4), 5, d, CPU, out()),
 "logspace": lambda d: L.cmp_logspace(si(0), si(2), 3, C.c_double(10.0), d, CPU, out()),
 "eye": lambda d: L.cmp_eye(3, 3, d, CPU, out()),
 "randperm": lambda d: L.cmp_randperm(3, d, CPU, out()),
 "uniform": lambda d: L.cmp_uniform_(r6(d), C.c_double(0), C.c_double(1)),
 "bernoulli": lambda d: L.cmp_bernoulli(mk([3], d, 0), out()),
 "tril_indices": lambda d: L.cmp_tril_indices(3, 3, 0, d, CPU, out()),
 "triu_indices": lambda d: L.cmp_triu_indices(3, 3, 0, d, CPU, out()),
 "normal": lambda d: L.cmp_normal(mk([3], d, 0), mk([3], d, 1), out()),
 "multinomial": lambda d: L.cmp_multinomial(mk([3], d, 1), 2, 1, out()),
 # linalg
 "mm": lambda d: L.cmp_mm(r6(d), mk([3, 2], d), out()),
 "bmm": lambda d: L.cmp_bmm(mk([1, 2, 3], d), mk([1, 3, 2], d), out()),
 "mv": lambda d: L.cmp_mv(r6(d), mk([3], d), out()),
 "outer": lambda d: L.cmp_outer(mk([3], d), mk([2], d), out()),
 "dot": lambda d: L.cmp_dot(mk([3], d), mk([3], d), out()),
 "addmm": lambda d: L.cmp_addmm(mk([2, 2], d), r6(d), mk([3, 2], d), si(1), si(1), out()),
 "baddbmm": lambda d: L.cmp_baddbmm(mk([1, 2, 2], d), mk([1, 2, 3], d), mk([1, 3, 2], d), si(1), si(1), out()),
 "addmv": lambda d: L.cmp_addmv(mk([2], d), r6(d), mk([3], d), si(1), si(1), out()),
 "einsum": lambda d: L.cmp_einsum(b"ij,jk->ik", arr(r6(d), mk([3, 2], d)), 2, out()),
 # pointwise binary
 "div": lambda d: L.cmp_div_rounding(r6(d), mk([2, 3], d), 1, out()),
 "floor_divide": lambda d: L.cmp_floor_divide(r6(d), mk([2, 3], d), out()),
 "pow": lambda d: L.cmp_pow(r6(d), mk([2, 3], d), out()),
 "maximum": lambda d: L.cmp_maximum(r6(d), mk([2, 3], d), out()),
 "minimum": lambda d: L.cmp_minimum(r6(d), mk([2, 3], d), out()),
 "fmax": lambda d: L.cmp_fmax(r6(d), mk([2, 3], d), out()),
 "fmin": lambda d: L.cmp_fmin(r6(d), mk([2, 3], d), out()),
 "bitwise_left_shift": lambda d: L.cmp_bitwise_left_shift(r6(d), mk([2, 3], d), out()),
 "bitwise_right_shift": lambda d: L.cmp_bitwise_right_shift(r6(d), mk([2, 3], d), out()),
 "where": lambda d: L.cmp_where(B(), r6(d), mk([2, 3], d), out()),
 "addcmul": lambda d: L.cmp_addcmul(r6(d), r6(d), mk([2, 3], d), si(1), out()),
 "addcdiv": lambda d: L.cmp_addcdiv(r6(d), r6(d), mk([2, 3], d), si(1), out()),
 "masked_fill": lambda d: L.cmp_masked_fill(r6(d), B(), si(1), out()),
 # unary
 "sign": lambda d: L.cmp_sign(r6(d), out()),
 "square": lambda d: L.cmp_square(r6(d), out()),
 "isnan": lambda d: L.cmp_isnan(r6(d), out()),
 "isinf": lambda d: L.cmp_isinf(r6(d), out()),
 "isfinite": lambda d: L.cmp_isfinite(r6(d), out()),
 "logical_not": lambda d: L.cmp_logical_not(r6(d), out()),
 "round": lambda d: L.cmp_round(r6(d), 0, out()),
 "polygamma": lambda d: L.cmp_polygamma(r6(d), 1, out()),
 "nan_to_num": lambda d: L.cmp_nan_to_num(r6(d), C.c_double(0), None, None, out()),
 "clamp": lambda d: L.cmp_clamp(r6(d), C.byref(si(1)), C.byref(si(3)), out()),
 "clamp_min": lambda d: L.cmp_clamp_min_tensor(r6(d), mk([1], d), out()),
 "clamp_max": lambda d: L.cmp_clamp_max_tensor(r6(d), mk([1], d), out()),
 # reductions
 "sum": lambda d: L.cmp_sum(r6(d), None, 0, 0, out()),
 "amax": lambda d: L.cmp_amax(r6(d), None, 0, 0, out()),
 "amin": lambda d: L.cmp_amin(r6(d), None, 0, 0, out()),
 "max": lambda d: L.cmp_max(r6(d), out()),
 "min": lambda d: L.cmp_min(r6(d), out()),
 "argmax": lambda d: L.cmp_argmax(r6(d), 0, 0, 0, out()),
 "argmin": lambda d: L.cmp_argmin(r6(d), 0, 0, 0, out()),
 "std": lambda d: L.cmp_std(r6(d), None, 0, C.c_double(1), 0, out()),
 "var_mean": lambda d: L.cmp_var_mean(r6(d), None, 0, C.c_double(1), 0, out(), out()),
 "std_mean": lambda d: L.cmp_std_mean(r6(d), None, 0, C.c_double(1), 0, out(), out()),
 "any": lambda d: L.cmp_any(r6(d), None, 0, 0, out()),
 "all": lambda d: L.cmp_all(r6(d), None, 0, 0, out()),
 "count_nonzero": lambda d: L.cmp_count_nonzero(r6(d), None, 0, out()),
 # shape/index
 "cat": lambda d: L.cmp_cat(arr(r6(d), r6(d)), 2, 0, out()),
 "split": lambda d: L.cmp_split(r6(d), 1, 0, outs(4), 4, C.byref(C.c_int64())),
 "split_with_sizes": lambda d: L.cmp_split_with_sizes(r6(d), L64(1, 1), 2, 0, outs(4), 4, C.byref(C.c_int64())),
 "chunk": lambda d: L.cmp_chunk(r6(d), 2, 0, outs(4), 4, C.byref(C.c_int64())),
 "unbind": lambda d: L.cmp_unbind(r6(d), 0, outs(4), 4, C.byref(C.c_int64())),
 "flip": lambda d: L.cmp_flip(r6(d), L64(0), 1, out()),
 "roll": lambda d: L.cmp_roll(r6(d), L64(1), 1, L64(0), 1, out()),
 "repeat": lambda d: L.cmp_repeat(r6(d), L64(2, 1), 2, out()),
 "tile": lambda d: L.cmp_tile(r6(d), L64(2, 1), 2, out()),
 "tril": lambda d: L.cmp_tril(r6(d), 0, out()),
 "triu": lambda d: L.cmp_triu(r6(d), 0, out()),
 "diagonal": lambda d: L.cmp_diagonal(r6(d), 0, 0, 1, out()),
 "diag": lambda d: L.cmp_diag(r6(d), 0, out()),
 "gather": lambda d: L.cmp_gather(r6(d), 1, I(), out()),
 "scatter": lambda d: L.cmp_scatter(r6(d), 1, I(), r6(d), 0, out()),
 "scatter_add": lambda d: L.cmp_scatter_add(r6(d), 1, I(), r6(d), out()),
 "scatter_reduce": lambda d: L.cmp_scatter_reduce(r6(d), 1, I(), r6(d), 1, 1, out()),
 "index_select": lambda d: L.cmp_index_select(r6(d), 1, mk([1], I64, 0), out()),
 "index_add": lambda d: L.cmp_index_add(r6(d), 1, mk([1], I64, 0), mk([2, 1], d), si(1), out()),
 "masked_select": lambda d: L.cmp_masked_select(r6(d), B(), out()),
 "nonzero": lambda d: L.cmp_nonzero(r6(d), out()),
 "index": lambda d: L.cmp_index(r6(d), arr(mk([1], I64, 0)), 1, out()),
 # sort/search
 "sort": lambda d: L.cmp_sort(r6(d), -1, 0, 0, out(), out()),
 "argsort": lambda d: L.cmp_argsort(r6(d), -1, 0, 0, out()),
 "msort": lambda d: L.cmp_msort(r6(d), out()),
 "topk": lambda d: L.cmp_topk(r6(d), 1, -1, 1, 1, out(), out()),
 "pad": lambda d: L.cmp_pad(r6(d), L64(1, 1), 2, 0, C.c_double(0), out()),
 "repeat_interleave": lambda d: L.cmp_repeat_interleave(r6(d), 2, 0, 0, -1, out()),
 "repeat_interleave_indices": lambda d: L.cmp_repeat_interleave_indices(mk([3], d, 1), -1, out()),
 "searchsorted": lambda d: L.cmp_searchsorted(ar(4, d), ar(2, d), 0, 0, out()),
 "searchsorted_sorter": lambda d: L.cmp_searchsorted_sorter(ar(4, d), ar(2, d), 0, 0, ar(4, I64), out()),
 "bucketize": lambda d: L.cmp_bucketize(ar(2, d), ar(4, d), 0, 0, out()),
 "unique": lambda d: L.cmp_unique(r6(d), 1, 0, 0, 0, 0, out(), out(), out()),
 "unique_consecutive": lambda d: L.cmp_unique_consecutive(r6(d), 0, 0, 0, 0, out(), out(), out()),
 # nn
 "cross_entropy": lambda d: L.cmp_cross_entropy(r6(d), mk([2], I64, 0), None, -100, 1, C.c_double(0), out()),
 "nll_loss": lambda d: L.cmp_nll_loss(r6(d), mk([2], I64, 0), None, -100, 1, out()),
 "mse_loss": lambda d: L.cmp_mse_loss(r6(d), r6(d), 1, out()),
 "l1_loss": lambda d: L.cmp_l1_loss(r6(d), r6(d), 1, out()),
 "smooth_l1_loss": lambda d: L.cmp_smooth_l1_loss(r6(d), r6(d), 1, C.c_double(1), out()),
 "huber_loss": lambda d: L.cmp_huber_loss(r6(d), r6(d), 1, C.c_double(1), out()),
 "binary_cross_entropy": lambda d: L.cmp_binary_cross_entropy(mk([2, 3], d, 0), mk([2, 3], d, 0), None, 1, out()),
 "binary_cross_entropy_with_logits": lambda d: L.cmp_binary_cross_entropy_with_logits(r6(d), r6(d), None, None, 1, out()),
 "kl_div": lambda d: L.cmp_kl_div(r6(d), r6(d), 1, 0, out()),
 "scaled_dot_product_attention": lambda d: L.cmp_scaled_dot_product_attention(mk([1, 2, 3], d), mk([1, 2, 3], d), mk([1, 2, 3], d), None, C.c_double(0), 0, None, out(), None, None, None),
 "dropout": lambda d: L.cmp_dropout(r6(d), C.c_double(0.5), 1, out(), out()),
 "feature_dropout": lambda d: L.cmp_feature_dropout(mk([2, 3, 2], d), C.c_double(0.5), 1, out(), out()),
 "embedding": lambda d: L.cmp_embedding(r6(d), mk([2], I64, 0), 0, 0, None, C.c_double(2), out()),
 "avg_pool": lambda d: L.cmp_avg_pool(mk([1, 1, 4], d), 1, L64(2), L64(2), L64(0), 0, 1, 0, out()),
 "adaptive_avg_pool": lambda d: L.cmp_adaptive_avg_pool(mk([1, 1, 4], d), 1, L64(2), out()),
 "adaptive_max_pool": lambda d: L.cmp_adaptive_max_pool(mk([1, 1, 4], d), 1, L64(2), out(), out()),
 "interpolate": lambda d: L.cmp_interpolate(mk([1, 1, 4], d), 1, L64(8), None, 0, 0, 0, out()),
 "grid_sample": lambda d: L.cmp_grid_sample(mk([1, 1, 2, 2], d), mk([1, 2, 2, 2], d, 0), 0, 0, 0, out()),
 "max_pool": lambda d: L.cmp_max_pool(mk([1, 1, 4], d), 1, L64(2), L64(2), L64(0), L64(1), 0, out(), out()),
 "conv": lambda d: L.cmp_conv(mk([1, 1, 4], d), mk([1, 1, 2], d), None, 1, L64(1), L64(0), 0, L64(1), 1, out()),
 "conv_transpose": lambda d: L.cmp_conv_transpose(mk([1, 1, 4], d), mk([1, 1, 2], d), None, 1, L64(1), L64(0), L64(0), 1, L64(1), out()),
 "unfold": lambda d: L.cmp_unfold(mk([1, 1, 4, 4], d), L64(2, 2), L64(1, 1), L64(0, 0), L64(1, 1), out()),
 "fold": lambda d: L.cmp_fold(mk([1, 4, 9], d), L64(4, 4), L64(2, 2), L64(1, 1), L64(0, 0), L64(1, 1), out()),
 "layer_norm": lambda d: L.cmp_layer_norm(r6(d), L64(3), 1, None, None, C.c_double(1e-5), out(), out(), out()),
 # optim (in-place updates of param and state)
 "sgd_step": lambda d: L.cmp_sgd_step(r6(d), r6(d), mk([2, 3], d, 0), 0.1, 0.9, 0.0, 0.0, 0, 0, 1),
 "adam_step": lambda d: L.cmp_adam_step(r6(d), r6(d), mk([2, 3], d, 0), mk([2, 3], d, 0), None, 1, 0.1, 0.9, 0.999, 1e-8, 0.0, 0, 0),
 "rmsprop_step": lambda d: L.cmp_rmsprop_step(r6(d), r6(d), mk([2, 3], d, 0), None, None, 0.1, 0.99, 1e-8, 0.0, 0.0, 0),
 "adagrad_step": lambda d: L.cmp_adagrad_step(r6(d), r6(d), mk([2, 3], d, 0), 1, 0.1, 0.0, 0.0, 1e-10, 0),
}


def generic_call(name):
    """A call for a function shaped f(tensor, out) or f(tensor, tensor, out), else None."""
    fn = getattr(L, name, None)
    shape = SIGNATURES.get(name)
    if shape == ["cmp_tensor", "cmp_tensor*"]:
        return lambda d: fn(r6(d), out())
    if shape == ["cmp_tensor", "cmp_tensor", "cmp_tensor*"]:
        return lambda d: fn(r6(d), mk([2, 3], d), out())
    return None


def expected(summary):
    """The dtype set a header summary states, or None when it is not a plain dtype list."""
    head = re.sub(r"\(.*?\)", "", summary.split(";")[0]).strip()
    names = set()
    for token in (t.strip() for t in head.split(",")):
        if token not in GROUPS:
            return None
        names |= set(GROUPS[token])
    return names


# Ops that need a CUDA device whatever their dtype; checked only where one is usable.
NEEDS_CUDA = {"pin_memory"}


def main():
    global L
    parser = argparse.ArgumentParser()
    parser.add_argument("library")
    parser.add_argument("--counts")
    args = parser.parse_args()
    L = load(args.library)
    rows, _ = catalogue.build_catalogue()
    stated = {key: dtypes for ops in rows.values() for key, _, _, _, _, dtypes in ops}
    calls = dict(CALLS)
    for ops in rows.values():
        for key, forward, _, _, _, _ in ops:
            if key not in calls:
                call = generic_call(forward[0])
                if call:
                    calls[key] = call
    passed = failed = skipped = 0
    count = C.c_int32(0)
    L.cmp_cuda_device_count(C.byref(count))
    for op, call in calls.items():
        if op in NEEDS_CUDA and count.value == 0:
            print(f"SKIP {op}: needs a CUDA device (pinned host memory comes from the CUDA backend)")
            skipped += 1
            continue
        want = expected(stated.get(op, ""))
        if want is None:
            print(f"SKIP {op}: header states {stated.get(op)!r}")
            skipped += 1
            continue
        got = set()
        for d, name in enumerate(DT):
            try:
                if call(d) == 0:
                    got.add(name)
            except AssertionError:
                pass  # the inputs could not be made in this dtype
        if got == want:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {op}: header says {stated[op]!r}; the library also accepts "
                  f"{sorted(got - want)} and rejects {sorted(want - got)}")
    print(f"op dtypes: {passed} passed, {failed} failed, {skipped} skipped")
    if args.counts:
        with open(args.counts, "w") as f:
            f.write(f"{passed} {failed} {skipped}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
