"""Fixtures of the sort/search family (sort_search.json): sort, argsort, msort, topk, pad (every
mode) and its backward (torch autograd gradients), repeat_interleave (number, tensor and
indices-only forms), searchsorted (1-D and batched sequences, sorter, scalar values, right,
out_int32), bucketize, unique (flattened and along a dim, inverse, counts) and
unique_consecutive. Ties, NaN, descending order, non-contiguous (permuted) inputs, negative
dims, empty tensors, integer/bool/16-bit dtypes, and the errors PyTorch raises.

Every case: "op", "inputs" (operands, optionally permuted), "args", then "expected" (a list of
result tensors) or "error". Results are exact (these ops copy, count or compare) except:
  - "indices_exact": false (topk with sorted=False, whose order PyTorch leaves unspecified, and
    topk over ties, where PyTorch's choice among equal values is not specified): the test then
    checks that the returned indices pick the returned values out of the input, and (unsorted)
    compares the values as a multiset;
  - pad_backward: "abs_bound" is torch's gradient of the same pad for |grad_output| and "count"
    the most gradients any input element receives; an element is accepted within
    count * eps * abs_bound (the summation order of several contributions may differ).
"""
import torch
import torch.nn.functional as F

from generate import TORCH_ERRORS, enc_input, enc_scalar, enc_tensor, randint, randn, seeded, write

NAN, INF = float("nan"), float("inf")
PAD_ERRORS = TORCH_ERRORS + (NotImplementedError,)


def call(op, xs, a):
    x = xs[0] if xs else None
    if op == "sort":
        return list(torch.sort(x, dim=a["dim"], descending=a["descending"], stable=a["stable"]))
    if op == "argsort":
        return [torch.argsort(x, dim=a["dim"], descending=a["descending"])]
    if op == "msort":
        return [torch.msort(x)]
    if op == "topk":
        return list(torch.topk(x, a["k"], dim=a["dim"], largest=a["largest"], sorted=a["sorted"]))
    if op == "pad":
        kw = {"value": a["value"]} if a["mode"] == "constant" else {}
        return [F.pad(x, tuple(a["pad"]), a["mode"], **kw)]
    if op == "pad_backward":
        xi = x.detach().clone().requires_grad_(True)
        F.pad(xi, tuple(a["pad"]), a["mode"]).backward(xs[1])
        return [xi.grad]
    if op == "repeat_interleave":
        kw = {} if a["dim"] is None else {"dim": a["dim"]}
        if a.get("output_size") is not None:
            kw["output_size"] = a["output_size"]
        reps = xs[1] if len(xs) > 1 else a["repeats"]
        return [torch.repeat_interleave(x, reps, **kw)]
    if op == "repeat_interleave_indices":
        kw = {} if a.get("output_size") is None else {"output_size": a["output_size"]}
        return [torch.repeat_interleave(x, **kw)]
    if op == "searchsorted":
        kw = {"out_int32": a["out_int32"], "right": a["right"]}
        if len(xs) > 2:
            kw["sorter"] = xs[2]
        values = xs[1] if "scalar" not in a else a["scalar"]
        return [torch.searchsorted(x, values, **kw)]
    if op == "bucketize":
        return [torch.bucketize(x, xs[1], out_int32=a["out_int32"], right=a["right"])]
    if op == "unique":
        kw = {} if a["dim"] is None else {"dim": a["dim"]}
        r = torch.unique(x, sorted=True, return_inverse=a["return_inverse"], return_counts=a["return_counts"], **kw)
        return list(r) if isinstance(r, tuple) else [r]
    if op == "unique_consecutive":
        kw = {} if a["dim"] is None else {"dim": a["dim"]}
        r = torch.unique_consecutive(x, return_inverse=a["return_inverse"], return_counts=a["return_counts"], **kw)
        return list(r) if isinstance(r, tuple) else [r]
    raise ValueError(op)


def pad_bounds(x, g, a):
    """abs_bound and count of a pad_backward case (see the module doc)."""
    def grad_of(go):
        xi = x.detach().clone().double().requires_grad_(True)
        F.pad(xi, tuple(a["pad"]), a["mode"]).backward(go.double())
        return xi.grad
    return grad_of(g.abs()), int(grad_of(torch.ones_like(g)).max().item()) if x.numel() else 1


def generate():
    seeded(41)
    cases = []

    def add(name, op, inputs, scalar=None, indices_exact=True, via_float=False, **args):
        """inputs: (base tensor, permute or None) pairs; the op sees the permuted views.
        via_float: torch 1.13 has no CPU kernel for this dtype; the reference is the op on the
        input converted to float32 (exact: these ops only move values), converted back."""
        enc = [enc_input(b, p) for b, p in inputs]
        if scalar is not None:
            args["scalar"] = scalar
        case = {"name": name, "op": op, "inputs": [j for j, _ in enc], "args": dict(args)}
        if scalar is not None:
            case["args"]["scalar"] = enc_scalar(scalar)
        xs = [t for _, t in enc]
        try:
            if via_float:
                dt = xs[0].dtype
                outs = [o.to(dt) if o.is_floating_point() else o for o in call(op, [t.float() for t in xs], args)]
                case["reference_note"] = f"torch 1.13 has no CPU kernel of {op} for {str(dt)[6:]}: computed in float32 and converted back"
            else:
                outs = call(op, xs, args)
        except PAD_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = [enc_tensor(o) for o in outs]
        if not indices_exact:
            case["indices_exact"] = False
            if not args.get("sorted", True):
                case["expected_sorted_values"] = enc_tensor(torch.sort(outs[0], dim=args["dim"], descending=args["largest"]).values)
        if op == "pad_backward":
            bound, count = pad_bounds(xs[0], xs[1], args)
            case["abs_bound"] = enc_tensor(bound)
            case["count"] = count
        cases.append(case)

    f = lambda *s: randn(s)
    ints = lambda shape, dtype="int64", lo=-4, hi=4: randint(shape, dtype, lo, hi)

    # ---- sort / argsort / msort ----
    x34 = f(3, 4)
    ties = torch.tensor([[2., 1., 2., 0., 1., 2.], [5., 5., 5., 5., 5., 5.]])
    nan = torch.tensor([3., NAN, -INF, 1., NAN, INF, -0.0, 0.0, 1.])
    for desc in (False, True):
        d = "desc" if desc else "asc"
        add(f"sort_last_{d}", "sort", [(x34, None)], dim=-1, descending=desc, stable=False)
        add(f"sort_dim0_{d}", "sort", [(x34, None)], dim=0, descending=desc, stable=True)
        add(f"sort_ties_stable_{d}", "sort", [(ties, None)], dim=1, descending=desc, stable=True)
        add(f"sort_nan_inf_zero_{d}", "sort", [(nan, None)], dim=0, descending=desc, stable=True)
        add(f"argsort_ties_{d}", "argsort", [(ties, None)], dim=-1, descending=desc)
    add("sort_noncontiguous", "sort", [(f(4, 3, 5), (2, 0, 1))], dim=1, descending=False, stable=True)
    add("sort_noncontiguous_neg_dim", "sort", [(f(2, 3, 4), (1, 2, 0))], dim=-2, descending=True, stable=True)
    add("sort_float64", "sort", [(randn((5, 7), "float64"), None)], dim=1, descending=False, stable=True)
    add("sort_float16", "sort", [(randn((3, 6), "float16"), None)], dim=1, descending=True, stable=True)
    add("sort_bfloat16", "sort", [(randn((6,), "bfloat16"), None)], dim=0, descending=False, stable=True)
    for dt in ("int64", "int32", "int16", "int8", "uint8", "bool"):
        add(f"sort_{dt}_ties", "sort", [(randint((3, 9), dt, -3, 3), None)], dim=1, descending=False, stable=True)
    add("sort_int64_desc_ties", "sort", [(ints((2, 10)), None)], dim=-1, descending=True, stable=True)
    add("sort_empty_dim", "sort", [(f(3, 0), None)], dim=1, descending=False, stable=True)
    add("sort_empty_other_dim", "sort", [(f(0, 4), None)], dim=1, descending=False, stable=True)
    add("sort_zero_dim", "sort", [(torch.tensor(2.5), None)], dim=0, descending=False, stable=True)
    # Long lines (the radix path): NaN, infinities, signed zeros and repeats in every line.
    special = torch.tensor([NAN, INF, -INF, -0.0, 0.0, 1.0, -1.0])
    long_f = randn((2, 100)).round()
    long_f[:, ::9] = special.repeat(23)[: long_f[:, ::9].shape[1]]
    for desc in (False, True):
        d = "desc" if desc else "asc"
        add(f"sort_long_special_{d}", "sort", [(long_f, None)], dim=1, descending=desc, stable=True)
        add(f"sort_long_special_float64_{d}", "sort", [(long_f.double(), (1, 0))], dim=0, descending=desc, stable=True)
        add(f"sort_long_float16_{d}", "sort", [(long_f.half(), None)], dim=1, descending=desc, stable=True)
        add(f"sort_long_bfloat16_{d}", "sort", [(long_f.bfloat16(), None)], dim=1, descending=desc, stable=True)
        for dt in ("int64", "int32", "int16", "int8", "uint8", "bool"):
            add(f"sort_long_{dt}_{d}", "sort", [(randint((2, 80), dt, -100, 100), None)], dim=1, descending=desc,
                stable=True)
    add("sort_long_row", "sort", [(f(2, 90), None)], dim=1, descending=False, stable=True)
    add("error_sort_bad_dim", "sort", [(x34, None)], dim=2, descending=False, stable=True)
    add("error_argsort_bad_dim", "argsort", [(x34, None)], dim=-3, descending=False)
    add("msort_2d", "msort", [(x34, None)])
    add("msort_int_noncontiguous", "msort", [(ints((4, 3)), (1, 0))])
    # ---- topk ----
    x58 = f(5, 8)
    add("topk_largest", "topk", [(x58, None)], k=3, dim=1, largest=True, sorted=True)
    add("topk_smallest_dim0", "topk", [(x58, None)], k=2, dim=0, largest=False, sorted=True)
    add("topk_neg_dim_noncontiguous", "topk", [(f(4, 6, 3), (0, 2, 1))], k=4, dim=-1, largest=True, sorted=True)
    add("topk_unsorted", "topk", [(x58, None)], indices_exact=False, k=5, dim=1, largest=True, sorted=False)
    add("topk_nan_largest", "topk", [(nan, None)], k=4, dim=0, largest=True, sorted=True)
    add("topk_nan_smallest", "topk", [(nan, None)], indices_exact=False, k=4, dim=0, largest=False, sorted=True)
    add("topk_k_all", "topk", [(f(7), None)], k=7, dim=0, largest=False, sorted=True)
    add("topk_k0", "topk", [(x58, None)], k=0, dim=1, largest=True, sorted=True)
    add("topk_int32_ties", "topk", [(ints((3, 12), "int32"), None)], indices_exact=False, k=5, dim=1, largest=True,
        sorted=True)
    add("topk_uint8", "topk", [(randint((20,), "uint8", 0, 200), None)], indices_exact=False, k=6, dim=0, largest=False,
        sorted=True)
    add("topk_float64_long", "topk", [(randn((2, 200), "float64"), None)], k=10, dim=1, largest=True, sorted=True)
    add("topk_float16", "topk", [(randn((9,), "float16"), None)], via_float=True, k=3, dim=0, largest=True, sorted=True)
    add("topk_zero_dim", "topk", [(torch.tensor(4.0), None)], k=1, dim=0, largest=True, sorted=True)
    add("topk_zero_dim_k0", "topk", [(torch.tensor(4.0), None)], k=0, dim=0, largest=False, sorted=True)
    add("error_topk_k_too_large", "topk", [(x58, None)], k=9, dim=1, largest=True, sorted=True)
    add("error_topk_k_negative", "topk", [(x58, None)], k=-1, dim=1, largest=True, sorted=True)
    add("error_topk_bad_dim", "topk", [(x58, None)], k=1, dim=2, largest=True, sorted=True)

    # ---- pad ----
    x1 = f(2, 3, 5)
    x2 = f(1, 2, 4, 5)
    x3 = f(1, 1, 3, 4, 3)
    for mode in ("reflect", "replicate", "circular"):
        add(f"pad_{mode}_1d", "pad", [(x1, None)], pad=[2, 1], mode=mode, value=0.0)
        add(f"pad_{mode}_1d_unbatched", "pad", [(f(3, 5), None)], pad=[1, 3], mode=mode, value=0.0)
        add(f"pad_{mode}_2d", "pad", [(x2, None)], pad=[1, 2, 3, 0], mode=mode, value=0.0)
        add(f"pad_{mode}_2d_noncontiguous", "pad", [(f(1, 5, 2, 4), (0, 2, 3, 1))], pad=[2, 2, 1, 1], mode=mode,
            value=0.0)
        add(f"pad_{mode}_3d", "pad", [(x3, None)], pad=[1, 1, 2, 0, 1, 2], mode=mode, value=0.0)
        add(f"pad_{mode}_negative", "pad", [(x1, None)], pad=[-1, 2], mode=mode, value=0.0)
        add(f"error_pad_{mode}_1d_input", "pad", [(f(5), None)], pad=[1, 1], mode=mode, value=0.0)
        add(f"error_pad_{mode}_4d_pad", "pad", [(x2, None)], pad=[1, 1, 1, 1, 1, 1, 1, 1], mode=mode, value=0.0)
        add(f"error_pad_{mode}_zero_size", "pad", [(f(1, 2, 0), None)], pad=[1, 1], mode=mode, value=0.0)
        g = lambda t, p: randn(tuple(F.pad(t, tuple(p), mode).shape), "float64")
        for nm, t, p in (("1d", x1.double(), [2, 1]), ("2d", x2.double(), [1, 2, 3, 0]),
                         ("3d", x3.double(), [1, 1, 2, 0, 1, 2]), ("negative", x1.double(), [-1, 2])):
            add(f"pad_backward_{mode}_{nm}", "pad_backward", [(t, None), (g(t, p), None)], pad=p, mode=mode)
        t32 = x2.clone()
        add(f"pad_backward_{mode}_float32", "pad_backward", [(t32, None), (randn(F.pad(t32, (2, 1, 1, 1), mode).shape), None)],
            pad=[2, 1, 1, 1], mode=mode)
    h = randn((1, 2, 3, 4), "float16")
    add("pad_backward_reflect_float16", "pad_backward", [(h, None), (randn((1, 2, 5, 7), "float16"), None)], via_float=True,
        pad=[1, 2, 1, 1], mode="reflect")
    add("pad_replicate_large", "pad", [(x1, None)], pad=[7, 6], mode="replicate", value=0.0)
    add("pad_circular_negative_left", "pad", [(x1, None)], pad=[2, -1], mode="circular", value=0.0)
    add("pad_circular_negative_both_2d", "pad", [(x2, None)], pad=[-1, -1, 2, -1], mode="circular", value=0.0)
    add("pad_circular_full_wrap", "pad", [(x1, None)], pad=[5, 5], mode="circular", value=0.0)
    add("error_pad_reflect_too_large", "pad", [(x1, None)], pad=[5, 0], mode="reflect", value=0.0)
    add("error_pad_circular_too_large", "pad", [(x1, None)], pad=[6, 0], mode="circular", value=0.0)
    add("pad_constant_1d", "pad", [(f(4), None)], pad=[2, 3], mode="constant", value=0.0)
    add("pad_constant_value", "pad", [(x2, None)], pad=[1, 1, 2, 0], mode="constant", value=-1.5)
    add("pad_constant_all_dims", "pad", [(f(2, 3, 2), (2, 0, 1))], pad=[1, 0, 0, 2, 1, 1], mode="constant", value=7.0)
    add("pad_constant_crop", "pad", [(x2, None)], pad=[-1, -2, 1, -1], mode="constant", value=0.0)
    add("pad_constant_crop_to_empty", "pad", [(f(2, 3), None)], pad=[-2, -1], mode="constant", value=0.0)
    add("pad_constant_int", "pad", [(ints((2, 3), "int32"), None)], pad=[1, 1], mode="constant", value=3.0)
    add("pad_constant_int_fractional_value", "pad", [(ints((3,), "int64"), None)], pad=[1, 0], mode="constant",
        value=2.7)
    add("pad_constant_bool", "pad", [(randint((2, 2), "bool"), None)], pad=[0, 1, 1, 0], mode="constant", value=1.0)
    add("pad_constant_float16", "pad", [(randn((2, 3), "float16"), None)], pad=[1, 1], mode="constant", value=0.5)
    add("pad_reflect_bfloat16", "pad", [(randn((1, 2, 4), "bfloat16"), None)], via_float=True, pad=[2, 1], mode="reflect", value=0.0)
    add("pad_constant_empty", "pad", [(f(0, 3), None)], pad=[1, 1], mode="constant", value=0.0)
    add("pad_constant_zero_dim_no_pad", "pad", [(torch.tensor(3.0), None)], pad=[], mode="constant", value=0.0)
    add("pad_int_reflect", "pad", [(ints((1, 2, 4)), None)], via_float=True, pad=[1, 2], mode="reflect", value=0.0)
    add("error_pad_odd_length", "pad", [(x2, None)], pad=[1], mode="constant", value=0.0)
    add("error_pad_too_many_dims", "pad", [(f(2, 3), None)], pad=[1, 1, 1, 1, 1, 1], mode="constant", value=0.0)
    add("error_pad_crop_negative_size", "pad", [(f(2, 3), None)], pad=[-2, -2], mode="constant", value=0.0)
    tc = x2.double()
    add("pad_backward_constant", "pad_backward", [(tc, None), (randn((1, 2, 5, 8), "float64"), None)],
        pad=[1, 2, 1, 0], mode="constant")
    add("pad_backward_constant_crop", "pad_backward", [(tc, None), (randn((1, 2, 3, 4), "float64"), None)],
        pad=[-1, 0, 0, -1], mode="constant")

    # ---- repeat_interleave ----
    add("repeat_interleave_int_dim", "repeat_interleave", [(x34, None)], repeats=2, dim=1)
    add("repeat_interleave_int_neg_dim_noncontiguous", "repeat_interleave", [(f(4, 3), (1, 0))], repeats=3, dim=-2)
    add("repeat_interleave_int_flat", "repeat_interleave", [(ints((2, 3)), None)], repeats=2, dim=None)
    add("repeat_interleave_zero", "repeat_interleave", [(x34, None)], repeats=0, dim=0)
    add("repeat_interleave_output_size", "repeat_interleave", [(x34, None)], repeats=2, dim=0, output_size=6)
    add("repeat_interleave_tensor", "repeat_interleave", [(x34, None), (torch.tensor([1, 0, 3]), None)], dim=0)
    add("repeat_interleave_tensor_flat", "repeat_interleave", [(ints((2, 2), "int8"), None), (torch.tensor([2, 1, 0, 2]), None)],
        dim=None)
    add("repeat_interleave_tensor_one_value", "repeat_interleave", [(x34, None), (torch.tensor([2]), None)], dim=1)
    add("repeat_interleave_tensor_int32", "repeat_interleave", [(randint((3,), "bool"), None),
                                                                (torch.tensor([1, 2, 1], dtype=torch.int32), None)], dim=0)
    add("repeat_interleave_indices", "repeat_interleave_indices", [(torch.tensor([2, 0, 1, 3]), None)])
    add("repeat_interleave_indices_empty", "repeat_interleave_indices", [(torch.tensor([], dtype=torch.int64), None)])
    add("repeat_interleave_zero_dim_flat", "repeat_interleave", [(torch.tensor(5.0), None)], repeats=3, dim=None)
    add("error_repeat_interleave_zero_dim_with_dim", "repeat_interleave", [(torch.tensor(5.0), None)], repeats=2, dim=0)
    add("error_repeat_interleave_output_size", "repeat_interleave", [(x34, None)], repeats=2, dim=0, output_size=5)
    add("error_repeat_interleave_tensor_output_size", "repeat_interleave", [(x34, None), (torch.tensor([1, 2, 0]), None)],
        dim=0, output_size=2)
    add("error_repeat_interleave_negative", "repeat_interleave", [(x34, None)], repeats=-1, dim=0)
    add("error_repeat_interleave_tensor_negative", "repeat_interleave", [(x34, None), (torch.tensor([1, -1, 1]), None)],
        dim=0)
    add("error_repeat_interleave_tensor_size", "repeat_interleave", [(x34, None), (torch.tensor([1, 2]), None)], dim=0)
    add("error_repeat_interleave_bad_dim", "repeat_interleave", [(x34, None)], repeats=2, dim=2)
    add("error_repeat_interleave_float_repeats", "repeat_interleave_indices", [(torch.tensor([1.0, 2.0]), None)])
    add("error_repeat_interleave_2d_repeats", "repeat_interleave_indices", [(torch.tensor([[1, 2]]), None)])

    # ---- searchsorted / bucketize ----
    seq = torch.tensor([-2.0, -1.0, 0.0, 0.0, 0.5, 2.0, 2.0, 3.0])
    vals = torch.tensor([[-3.0, -2.0, 0.0, 0.25], [2.0, 3.0, 4.0, NAN]])
    for right in (False, True):
        r = "right" if right else "left"
        add(f"searchsorted_1d_{r}", "searchsorted", [(seq, None), (vals, None)], out_int32=False, right=right)
        add(f"bucketize_{r}", "bucketize", [(vals, None), (seq, None)], out_int32=False, right=right)
        bseq = torch.sort(f(3, 6), dim=1).values
        add(f"searchsorted_batched_{r}", "searchsorted", [(bseq, None), (f(3, 4), None)], out_int32=False, right=right)
    add("searchsorted_int32_out", "searchsorted", [(seq, None), (vals, None)], out_int32=True, right=False)
    add("searchsorted_int_seq_float_values", "searchsorted", [(torch.tensor([1, 3, 5, 7]), None), (f(5), None)],
        out_int32=False, right=False)
    add("searchsorted_int64", "searchsorted", [(torch.tensor([1, 3, 3, 7]), None), (ints((2, 3), "int64", 0, 9), None)],
        out_int32=False, right=True)
    add("searchsorted_noncontiguous_values", "searchsorted", [(seq, None), (f(3, 4), (1, 0))], out_int32=False,
        right=False)
    unsorted = torch.tensor([3.0, -1.0, 2.0, 0.0, 5.0])
    add("searchsorted_sorter", "searchsorted", [(unsorted, None), (f(6), None), (torch.argsort(unsorted), None)],
        out_int32=False, right=False)
    add("searchsorted_scalar", "searchsorted", [(seq, None)], scalar=0.0, out_int32=False, right=True)
    add("searchsorted_scalar_int", "searchsorted", [(torch.tensor([1, 2, 3]), None)], scalar=2, out_int32=True,
        right=False)
    add("searchsorted_empty_values", "searchsorted", [(seq, None), (f(0), None)], out_int32=False, right=False)
    add("searchsorted_empty_sequence", "searchsorted", [(f(0), None), (f(3), None)], out_int32=False, right=False)
    add("error_searchsorted_batch_mismatch", "searchsorted", [(f(2, 5), None), (f(3, 2), None)], out_int32=False,
        right=False)
    add("error_searchsorted_scalar_nd", "searchsorted", [(f(2, 5), None)], scalar=1.0, out_int32=False, right=False)
    add("error_searchsorted_zero_dim_seq", "searchsorted", [(torch.tensor(1.0), None), (f(2), None)],
        out_int32=False, right=False)
    add("error_searchsorted_sorter_size", "searchsorted", [(unsorted, None), (f(3), None), (torch.tensor([0, 1]), None)],
        out_int32=False, right=False)
    add("bucketize_int", "bucketize", [(ints((2, 5), "int32", -5, 5), None), (torch.tensor([-2, 0, 3]), None)],
        out_int32=True, right=False)
    add("bucketize_zero_dim_input", "bucketize", [(torch.tensor(0.3), None), (seq, None)], out_int32=False, right=False)
    add("error_bucketize_2d_boundaries", "bucketize", [(f(3), None), (f(2, 2), None)], out_int32=False, right=False)

    # ---- unique / unique_consecutive ----
    u = ints((3, 5), "int64", 0, 4)
    for inv in (False, True):
        for cnt in (False, True):
            add(f"unique_flat_inv{int(inv)}_cnt{int(cnt)}", "unique", [(u, None)], dim=None, return_inverse=inv,
                return_counts=cnt)
    add("unique_float_noncontiguous", "unique", [(torch.round(f(4, 3) * 2), (1, 0))], dim=None, return_inverse=True,
        return_counts=True)
    add("unique_bool", "unique", [(randint((7,), "bool"), None)], dim=None, return_inverse=True, return_counts=True)
    add("unique_float64_inf", "unique", [(torch.tensor([INF, 1.0, -INF, 1.0, -0.0, 0.0], dtype=torch.float64), None)],
        dim=None, return_inverse=True, return_counts=True)
    add("unique_empty", "unique", [(f(0, 3), None)], dim=None, return_inverse=True, return_counts=True)
    add("unique_zero_dim", "unique", [(torch.tensor(5), None)], dim=None, return_inverse=True, return_counts=True)
    add("error_unique_zero_dim_with_dim", "unique", [(torch.tensor(5), None)], dim=0, return_inverse=True,
        return_counts=True)
    add("error_unique_consecutive_zero_dim_with_dim", "unique_consecutive", [(torch.tensor(5.0), None)], dim=-1,
        return_inverse=False, return_counts=False)
    rows = torch.tensor([[1, 2, 1, 0], [3, 1, 3, 0], [1, 2, 1, 0]])
    add("unique_dim0", "unique", [(rows, None)], dim=0, return_inverse=True, return_counts=True)
    add("unique_dim1", "unique", [(rows, None)], dim=1, return_inverse=True, return_counts=True)
    add("unique_dim_neg_noncontiguous", "unique", [(ints((3, 4, 2), "int64", 0, 2), (2, 0, 1))], dim=-1,
        return_inverse=True, return_counts=True)
    add("unique_dim_middle_4d", "unique", [(ints((2, 4, 3, 2), "int32", 0, 2), None)], dim=1, return_inverse=True,
        return_counts=True)
    add("unique_dim_last_4d_noncontiguous", "unique", [(ints((3, 2, 2, 4), "int64", 0, 2), (3, 1, 0, 2))], dim=3,
        return_inverse=True, return_counts=True)
    add("unique_dim_float", "unique", [(torch.round(f(6, 2)), None)], dim=0, return_inverse=True, return_counts=True)
    add("unique_dim_empty_selected", "unique", [(f(0, 3), None)], dim=0, return_inverse=True, return_counts=True)
    add("error_unique_dim_empty_other", "unique", [(f(3, 0), None)], dim=0, return_inverse=True, return_counts=True)
    add("unique_consecutive_dim_empty_selected", "unique_consecutive", [(f(2, 0, 2), None)], dim=1,
        return_inverse=True, return_counts=True)
    add("error_unique_consecutive_dim_empty_other", "unique_consecutive", [(f(0, 3), None)], dim=1,
        return_inverse=False, return_counts=False)
    add("error_unique_bad_dim", "unique", [(rows, None)], dim=2, return_inverse=False, return_counts=False)
    cons = torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])
    add("unique_consecutive_flat", "unique_consecutive", [(cons, None)], dim=None, return_inverse=True,
        return_counts=True)
    add("unique_consecutive_nan", "unique_consecutive", [(torch.tensor([NAN, NAN, 1.0, 1.0, NAN]), None)], dim=None,
        return_inverse=True, return_counts=True)
    add("unique_consecutive_2d_flat", "unique_consecutive", [(ints((2, 6), "int32", 0, 2), None)], dim=None,
        return_inverse=True, return_counts=False)
    add("unique_consecutive_dim", "unique_consecutive", [(torch.tensor([[1, 1, 2, 2], [0, 0, 5, 5]]), None)], dim=1,
        return_inverse=True, return_counts=True)
    add("unique_consecutive_dim0", "unique_consecutive", [(rows, None)], dim=0, return_inverse=False,
        return_counts=True)
    add("unique_consecutive_empty", "unique_consecutive", [(f(0), None)], dim=None, return_inverse=True,
        return_counts=True)
    write("sort_search.json", cases,
          description="sort/argsort/msort/topk, pad (constant/reflect/replicate/circular) and pad backward, "
                      "repeat_interleave, searchsorted/bucketize, unique/unique_consecutive: results and errors.")
