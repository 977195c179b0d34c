"""Fixtures of the indexing ops (indexing.json): gather, scatter (src and value, add/multiply),
scatter_add, scatter_reduce (sum/prod/mean/amax/amin, include_self), index_select, index_add,
masked_select and nonzero, with non-contiguous inputs, several dtypes, NaN, empty tensors and
PyTorch's errors (out-of-range indices among them)."""
import warnings

import torch

from generate import TORCH_ERRORS, enc_input, enc_scalar, enc_tensor, randint, randn, seeded, write

REDUCE_CODES = {"none": 0, "sum": 1, "prod": 2, "mean": 3, "amax": 4, "amin": 5}


def call(op, xs, a):
    x = xs[0]
    if op == "gather":
        return torch.gather(x, a["dim"], xs[1])
    if op == "scatter":
        kw = {"reduce": {"sum": "add", "prod": "multiply"}[a["reduce"]]} if a["reduce"] != "none" else {}
        return torch.scatter(x, a["dim"], xs[1], xs[2], **kw)
    if op == "scatter_value":
        kw = {"reduce": {"sum": "add", "prod": "multiply"}[a["reduce"]]} if a["reduce"] != "none" else {}
        return torch.scatter(x, a["dim"], xs[1], a["value"], **kw)
    if op == "scatter_add":
        return torch.scatter_add(x, a["dim"], xs[1], xs[2])
    if op == "scatter_reduce":
        return torch.scatter_reduce(x, a["dim"], xs[1], xs[2], a["reduce"], include_self=a["include_self"])
    if op == "index_select":
        return torch.index_select(x, a["dim"], xs[1])
    if op == "index_add":
        return torch.index_add(x, a["dim"], xs[1], xs[2], alpha=a["alpha"])
    if op == "masked_select":
        return torch.masked_select(x, xs[1])
    if op == "nonzero":
        return torch.nonzero(x)
    if op in ("index", "index_put"):
        # layout: "t" takes the next index tensor, null the whole dim (a ":" slice).
        it = iter(xs[1:])
        if op == "index":
            return x[tuple(next(it) if e == "t" else slice(None) for e in a["layout"])]
        # aten.index_put takes None for a whole dim, like cmp_index_put's NULL entries.
        key = [next(it) if e == "t" else None for e in a["layout"]]
        return torch.ops.aten.index_put(x, key, next(it), a["accumulate"])
    raise ValueError(op)


def generate():
    seeded(4)
    warnings.filterwarnings("ignore", message="scatter_reduce")
    cases = []

    def add(name, op, inputs, **args):
        enc = [enc_input(b, p) for b, p in inputs]
        case = {"name": name, "op": op, "inputs": [j for j, _ in enc], "args": dict(args)}
        if "reduce" in args:
            case["args"]["reduce_code"] = REDUCE_CODES[args["reduce"]]
        if "value" in args:
            case["args"]["value"] = enc_scalar(args["value"])
        if "alpha" in args:
            case["args"]["alpha"] = enc_scalar(args["alpha"])
        try:
            out = call(op, [t for _, t in enc], args)
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(out)
        cases.append(case)

    f = lambda *s: randn(s)
    L = lambda v: torch.tensor(v, dtype=torch.int64)
    x34 = f(3, 4)
    # gather
    add("gather_dim1", "gather", [(x34, None), (L([[0, 3, 3], [1, 0, 2], [2, 2, 2]]), None)], dim=1)
    add("gather_dim0_smaller_index", "gather", [(x34, None), (L([[2, 0], [1, 1]]), None)], dim=0)
    add("gather_neg_dim_noncontiguous", "gather", [(f(4, 3), (1, 0)), (L([[1, 0], [3, 3], [2, 1]]), None)], dim=-1)
    add("gather_index_noncontiguous", "gather", [(x34, None), (L([[0, 1, 2], [3, 2, 1]]), (1, 0))], dim=1)
    add("gather_int32_values", "gather", [(randint((2, 5), "int32"), None), (L([[4, 0], [1, 1]]), None)], dim=1)
    add("gather_float16", "gather", [(randn((2, 3), "float16"), None), (L([[2, 1, 0]]), None)], dim=1)
    add("gather_3d", "gather", [(f(2, 3, 4), None), (randint((2, 2, 4), "int64", 0, 3), None)], dim=1)
    add("gather_scalar", "gather", [(torch.tensor(5.0), None), (L(0), None)], dim=0)
    add("gather_empty_index", "gather", [(x34, None), (torch.zeros(3, 0, dtype=torch.int64), None)], dim=1)
    add("error_gather_index_out_of_range", "gather", [(x34, None), (L([[0, 4]]), None)], dim=1)
    add("error_gather_negative_index", "gather", [(x34, None), (L([[-1]]), None)], dim=1)
    add("error_gather_int32_index", "gather", [(x34, None), (torch.tensor([[0]], dtype=torch.int32), None)], dim=1)
    add("error_gather_index_too_big", "gather", [(x34, None), (L([[0], [1], [2], [0]]), None)], dim=1)
    add("error_gather_rank_mismatch", "gather", [(x34, None), (L([0, 1]), None)], dim=1)
    # scatter / scatter_add / scatter_reduce
    idx = L([[0, 1, 2, 0], [2, 0, 0, 1]])
    src = f(2, 4)
    add("scatter_dim0", "scatter", [(x34, None), (idx, None), (src, None)], dim=0, reduce="none")
    add("scatter_dim1_src_bigger", "scatter", [(x34, None), (L([[3, 1], [0, 2]]), None), (f(3, 5), None)], dim=1, reduce="none")
    add("scatter_add_reduce", "scatter", [(x34, None), (idx, None), (src, None)], dim=0, reduce="sum")
    add("scatter_multiply_reduce", "scatter", [(x34, None), (idx, None), (src, None)], dim=0, reduce="prod")
    add("scatter_noncontiguous_self", "scatter", [(f(4, 3), (1, 0)), (idx, None), (src, None)], dim=0, reduce="none")
    add("scatter_value", "scatter_value", [(x34, None), (idx, None)], dim=0, reduce="none", value=2.5)
    add("scatter_value_add_int", "scatter_value", [(randint((3, 4), "int64"), None), (idx, None)], dim=0, reduce="sum", value=3)
    add("error_scatter_dtype_mismatch", "scatter", [(x34, None), (idx, None), (src.double(), None)], dim=0, reduce="none")
    add("error_scatter_index_out_of_range", "scatter", [(x34, None), (L([[3]]), None), (src, None)], dim=0, reduce="none")
    add("error_scatter_index_bigger_than_src", "scatter", [(x34, None), (L([[0, 0, 1]]), None), (f(1, 2), None)], dim=1, reduce="none")
    add("scatter_add_dim1", "scatter_add", [(x34, None), (L([[0, 0, 3], [1, 1, 1], [2, 3, 2]]), None), (f(3, 3), None)], dim=1)
    add("scatter_add_int", "scatter_add", [(randint((5,), "int32"), None), (L([0, 4, 4, 0, 1]), None), (randint((5,), "int32"), None)], dim=0)
    add("scatter_add_bfloat16", "scatter_add", [(randn((4,), "bfloat16"), None), (L([3, 3, 0]), None), (randn((3,), "bfloat16"), None)], dim=0)
    add("scatter_add_empty_index", "scatter_add", [(x34, None), (torch.zeros(0, 4, dtype=torch.int64), None), (f(0, 4), None)], dim=0)
    add("error_scatter_add_negative_index", "scatter_add", [(x34, None), (L([[-1, 0, 0, 0]]), None), (src, None)], dim=0)
    sidx = L([0, 2, 0, 2, 2, 1])
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for inc in (True, False):
            tag = f"{reduce}_{'incl' if inc else 'excl'}"
            add(f"scatter_reduce_{tag}", "scatter_reduce", [(f(4), None), (sidx, None), (f(6), None)], dim=0, reduce=reduce, include_self=inc)
            add(f"scatter_reduce_{tag}_int", "scatter_reduce",
                [(randint((4,), "int64"), None), (sidx, None), (randint((6,), "int64"), None)], dim=0, reduce=reduce, include_self=inc)
    nan_src = torch.tensor([1.0, float("nan"), -2.0, 4.0, float("inf"), 0.5])
    add("scatter_reduce_amax_nan", "scatter_reduce", [(f(4), None), (sidx, None), (nan_src, None)], dim=0, reduce="amax", include_self=True)
    add("scatter_reduce_amin_nan", "scatter_reduce", [(f(4), None), (sidx, None), (nan_src, None)], dim=0, reduce="amin", include_self=False)
    add("scatter_reduce_mean_2d", "scatter_reduce", [(x34, None), (idx, None), (src, None)], dim=0, reduce="mean", include_self=True)
    add("scatter_reduce_mean_int32_neg", "scatter_reduce",
        [(torch.tensor([-1, 2, 3], dtype=torch.int32), None), (L([0, 0]), None), (torch.tensor([-4, -6], dtype=torch.int32), None)],
        dim=0, reduce="mean", include_self=True)
    # index_select / index_add
    add("index_select_dim0", "index_select", [(x34, None), (L([2, 0, 2]), None)], dim=0)
    add("index_select_dim1_int32_index", "index_select", [(x34, None), (torch.tensor([3, 1], dtype=torch.int32), None)], dim=1)
    add("index_select_noncontiguous_neg_dim", "index_select", [(f(4, 3), (1, 0)), (L([1, 1, 0, 3]), None)], dim=-1)
    add("index_select_bool", "index_select", [(randint((5,), "bool"), None), (L([4, 0]), None)], dim=0)
    add("index_select_empty_index", "index_select", [(x34, None), (torch.zeros(0, dtype=torch.int64), None)], dim=1)
    add("index_select_scalar_index", "index_select", [(x34, None), (L(1), None)], dim=0)
    add("error_index_select_out_of_range", "index_select", [(x34, None), (L([0, 3]), None)], dim=0)
    add("error_index_select_negative", "index_select", [(x34, None), (L([-1]), None)], dim=1)
    add("error_index_select_2d_index", "index_select", [(x34, None), (L([[0]]), None)], dim=0)
    add("error_index_select_float_index", "index_select", [(x34, None), (torch.tensor([0.0]), None)], dim=0)
    add("index_add_dim1", "index_add", [(x34, None), (L([0, 0, 3]), None), (f(3, 3), None)], dim=1, alpha=1)
    add("index_add_alpha", "index_add", [(x34, None), (L([2, 0]), None), (f(2, 4), None)], dim=0, alpha=-0.5)
    add("index_add_int_alpha", "index_add", [(randint((4, 2), "int64"), None), (L([3, 3, 1]), None), (randint((3, 2), "int64"), None)],
        dim=0, alpha=3)
    add("index_add_noncontiguous", "index_add", [(f(4, 3), (1, 0)), (torch.tensor([1, 1], dtype=torch.int32), None), (f(4, 2), (1, 0))],
        dim=0, alpha=1)
    add("error_index_add_out_of_range", "index_add", [(x34, None), (L([0, 5]), None), (f(3, 2), None)], dim=1, alpha=1)
    add("error_index_add_count_mismatch", "index_add", [(x34, None), (L([0]), None), (f(3, 2), None)], dim=1, alpha=1)
    # masked_select / nonzero
    add("masked_select_same_shape", "masked_select", [(x34, None), (x34 > 0, None)])
    add("masked_select_broadcast_mask", "masked_select", [(x34, None), (torch.tensor([True, False, True, True]), None)])
    add("masked_select_broadcast_self", "masked_select", [(f(4), None), (randint((3, 4), "bool"), None)])
    add("masked_select_noncontiguous", "masked_select", [(f(4, 3), (1, 0)), (randint((3, 4), "bool"), None)])
    add("masked_select_uint8_mask", "masked_select", [(f(3), None), (torch.tensor([1, 0, 1], dtype=torch.uint8), None)])
    add("masked_select_none", "masked_select", [(x34, None), (torch.zeros(3, 4, dtype=torch.bool), None)])
    add("error_masked_select_int_mask", "masked_select", [(x34, None), (L([1, 0, 1, 0]), None)])
    add("error_masked_select_shapes", "masked_select", [(x34, None), (torch.ones(3, dtype=torch.bool), None)])
    add("nonzero_2d", "nonzero", [(torch.tensor([[0.0, 1.5, 0.0], [-2.0, 0.0, float("nan")]]), None)])
    add("nonzero_int_noncontiguous", "nonzero", [(randint((3, 4), "int8", -1, 2), (1, 0))])
    add("nonzero_bool_3d", "nonzero", [(randint((2, 2, 3), "bool"), None)])
    add("nonzero_negative_zero_is_zero", "nonzero", [(torch.tensor([-0.0, 0.0, 1e-30]), None)])
    add("nonzero_scalar", "nonzero", [(torch.tensor(3.0), None)])
    add("nonzero_empty", "nonzero", [(f(0, 3), None)])
    add("nonzero_float16", "nonzero", [(torch.tensor([0.0, 1.0, 0.0, -1.0], dtype=torch.float16), None)])
    # advanced indexing: x[tensors and whole dims], and index_put (with accumulate)
    x345 = f(3, 4, 5)
    add("index_first_dim", "index", [(x345, None), (L([2, 0, 2]), None)], layout=["t"])
    add("index_middle_dim", "index", [(x345, None), (L([[1, 3], [0, -1]]), None)], layout=[None, "t"])
    add("index_two_broadcast", "index", [(x345, None), (L([[0], [2]]), None), (L([1, 3, -4]), None)], layout=["t", "t"])
    add("index_adjacent_after_slice", "index", [(x345, None), (L([0, 3]), None), (L([4, 0]), None)], layout=[None, "t", "t"])
    add("index_non_adjacent_to_front", "index", [(x345, None), (L([0, 2]), None), (L([4, 1]), None)], layout=["t", None, "t"])
    add("index_noncontiguous_self", "index", [(x345, (2, 0, 1)), (L([1, 1]), None)], layout=[None, "t"])
    add("index_zero_dim_index", "index", [(x345, None), (L(1), None)], layout=[None, "t"])
    add("index_empty_index", "index", [(x345, None), (torch.zeros(0, dtype=torch.int64), None)], layout=["t"])
    add("index_bool_mask_2d", "index", [(x345, None), (randint((3, 4), "bool"), None)], layout=["t"])
    add("index_bool_mask_after_slice", "index", [(x345, None), (torch.tensor([True, False, True, True]), None)], layout=[None, "t"])
    add("index_mask_and_int", "index", [(x345, None), (torch.tensor([True, False, True]), None), (L([0, 4]), None)], layout=["t", None, "t"])
    add("index_uint8_mask", "index", [(f(3), None), (torch.tensor([0, 1, 1], dtype=torch.uint8), None)], layout=["t"])
    add("index_int_dtype", "index", [(randint((4, 2), "int16"), None), (L([3, 0, 3]), None)], layout=["t"])
    add("error_index_out_of_range", "index", [(x345, None), (L([0, 4]), None)], layout=[None, "t"])
    add("error_index_negative_out_of_range", "index", [(x345, None), (L([-4]), None)], layout=["t"])
    add("error_index_mask_shape", "index", [(x345, None), (torch.ones(3, 5, dtype=torch.bool), None)], layout=["t"])
    add("error_index_float", "index", [(x345, None), (torch.tensor([0.0]), None)], layout=["t"])
    add("error_index_broadcast", "index", [(x345, None), (L([0, 1]), None), (L([0, 1, 2]), None)], layout=["t", "t"])
    add("error_index_too_many", "index", [(f(3), None), (L([0]), None), (L([0]), None)], layout=["t", "t"])
    add("index_put_simple", "index_put", [(x345, None), (L([2, 0]), None), (f(2, 4, 5), None)], layout=["t"], accumulate=False)
    add("index_put_broadcast_value", "index_put", [(x345, None), (L([1, 3]), None), (torch.tensor(7.0), None)],
        layout=[None, "t"], accumulate=False)
    add("index_put_accumulate_repeats", "index_put", [(x345, None), (L([0, 0, 2, 0]), None), (L([1, 1, 3, 1]), None), (f(4, 5), None)],
        layout=["t", "t"], accumulate=True)
    add("index_put_mask", "index_put", [(x345, None), (x345 > 0.5, None), (torch.tensor(-1.0), None)], layout=["t"], accumulate=False)
    add("index_put_mask_accumulate", "index_put", [(f(4), None), (torch.tensor([True, False, True, True]), None), (f(3), None)],
        layout=["t"], accumulate=True)
    add("index_put_non_adjacent", "index_put", [(x345, None), (L([0, 2]), None), (L([4, 1]), None), (f(2, 4), None)],
        layout=["t", None, "t"], accumulate=True)
    add("index_put_noncontiguous_int", "index_put", [(randint((4, 3), "int32"), (1, 0)), (L([3, 0]), None), (randint((3, 2), "int32"), None)],
        layout=[None, "t"], accumulate=True)
    add("error_index_put_dtype_mismatch", "index_put", [(randint((4,), "int64"), None), (L([1]), None), (torch.tensor([2.0], dtype=torch.float64), None)],
        layout=["t"], accumulate=False)
    add("error_index_put_values_shape", "index_put", [(x345, None), (L([2, 0]), None), (f(3, 4, 5), None)], layout=["t"], accumulate=False)
    add("error_index_put_out_of_range", "index_put", [(x345, None), (L([3]), None), (torch.tensor(1.0), None)], layout=["t"], accumulate=True)
    write("indexing.json", cases,
          description="gather/scatter/scatter_add/scatter_reduce/index_select/index_add/masked_select/nonzero: "
                      "values, dtypes, errors.")
