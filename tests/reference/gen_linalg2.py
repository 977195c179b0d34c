"""Fixtures for linear algebra beyond matmul: mm, bmm, mv, dot, outer, addmm, baddbmm, addmv,
einsum (tests/reference/fixtures/linalg2.json). Run through generate.py.

A case: "op", "inputs" (tensors, some with "permute"), "beta"/"alpha" (Python scalars) for the
add forms, "equation" for einsum, then "expected" or "error". Float results carry "abs_bound"
(the same computation on |inputs| in float64) and "count" (the number of rounding steps an
output element can accumulate: the summed length plus the extra multiplies and adds).
"""
import math

import torch

from generate import enc_input, enc_scalar, enc_tensor, randint, randn, seeded, write, TORCH_ERRORS


def _run(op, ts, kw):
    if op == "einsum":
        return torch.einsum(kw["equation"], *ts)
    if op in ("addmm", "baddbmm", "addmv"):
        return getattr(torch, op)(*ts, beta=kw["beta"], alpha=kw["alpha"])
    return getattr(torch, op)(*ts)


def _count(op, ts, kw):
    if op in ("mm", "bmm", "mv", "dot"):
        return int(ts[0].shape[-1])
    if op == "outer":
        return 1
    if op in ("addmm", "baddbmm", "addmv"):
        return int(ts[1].shape[-1]) + 2
    # einsum: every output element sums the product of all summed sizes, each term a product
    # of len(ts) factors.
    lhs, _, rhs = kw["equation"].partition("->")
    terms = lhs.split(",")
    sizes = {}
    for term, t in zip(terms, ts):
        letters = [c for c in term if c.isalpha()]
        if "..." in term:
            letters = letters[:term.index("...")] + ["."] * (t.dim() - len(letters)) + letters[term.index("..."):]
        for c, s in zip(letters, t.shape):
            sizes[c] = max(sizes.get(c, 1), int(s))
    out = set(rhs) if "->" in kw["equation"] else {c for c in lhs if c.isalpha() and lhs.count(c) == 1}
    summed = math.prod(s for c, s in sizes.items() if c not in out and c != ".")
    return summed + len(ts)


def generate():
    seeded(31)
    cases = []

    def add(op, name, inputs, permutes=None, **kw):
        permutes = permutes or [None] * len(inputs)
        js, ts = [], []
        for x, p in zip(inputs, permutes):
            j, t = enc_input(x, p)
            js.append(j)
            ts.append(t)
        case = {"name": f"{op}_{name}", "op": op, "inputs": js}
        if "equation" in kw:
            case["equation"] = kw["equation"]
        if "beta" in kw:
            case["beta"] = enc_scalar(kw["beta"])
            case["alpha"] = enc_scalar(kw["alpha"])
        try:
            if any(t.dtype == torch.bfloat16 for t in ts) and all(t.dtype == ts[0].dtype for t in ts):
                # Debian's torch 1.13 rounds every bfloat16 partial sum; PyTorch's oneDNN paths
                # accumulate in float32 and round once, which is the reference here.
                r = _run(op, [t.float() for t in ts], kw).to(torch.bfloat16)
                case["reference_note"] = "computed in float32 and rounded once to bfloat16"
            else:
                r = _run(op, ts, kw)
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = enc_tensor(r)
        if r.is_floating_point():
            kwa = dict(kw)
            if "beta" in kwa:
                kwa["beta"], kwa["alpha"] = abs(kwa["beta"]), abs(kwa["alpha"])
            case["abs_bound"] = enc_tensor(_run(op, [t.double().abs() for t in ts], kwa))
            case["count"] = _count(op, ts, kw)
        cases.append(case)

    # mm / bmm / mv / dot / outer
    add("mm", "basic", [randn([3, 4]), randn([4, 5])])
    add("mm", "transposed", [randn([4, 3]), randn([5, 4])], [[1, 0], [1, 0]])
    add("mm", "float64", [randn([7, 9], "float64"), randn([9, 6], "float64")])
    add("mm", "bfloat16", [randn([3, 8], "bfloat16"), randn([8, 4], "bfloat16")])
    add("mm", "int64", [randint([3, 4], "int64"), randint([4, 2], "int64")])
    add("mm", "int32", [randint([2, 5], "int32"), randint([5, 3], "int32")])
    add("mm", "k0", [randn([3, 0]), randn([0, 2])])
    add("mm", "m0", [randn([0, 3]), randn([3, 2])])
    add("mm", "nan_inf", [torch.tensor([[1.0, float("nan")], [float("inf"), 2.0]]), torch.tensor([[1.0, 0.0], [2.0, 3.0]])])
    add("mm", "larger", [randn([37, 65]), randn([65, 19])])
    add("mm", "error_inner", [randn([3, 4]), randn([5, 6])])
    add("mm", "error_rank", [randn([3]), randn([3, 4])])
    add("mm", "error_dtype", [randn([3, 4]), randn([4, 5], "float64")])
    add("mm", "error_bool", [randint([2, 2], "bool"), randint([2, 2], "bool")])
    add("bmm", "basic", [randn([2, 3, 4]), randn([2, 4, 5])])
    add("bmm", "permuted", [randn([3, 2, 4]), randn([2, 5, 4])], [[1, 0, 2], [0, 2, 1]])
    add("bmm", "float64", [randn([3, 2, 5], "float64"), randn([3, 5, 2], "float64")])
    add("bmm", "int64", [randint([2, 2, 3], "int64"), randint([2, 3, 2], "int64")])
    add("bmm", "batch0", [randn([0, 2, 3]), randn([0, 3, 4])])
    add("bmm", "error_batch", [randn([2, 3, 4]), randn([3, 4, 5])])
    add("bmm", "error_inner", [randn([2, 3, 4]), randn([2, 5, 5])])
    add("bmm", "error_rank", [randn([3, 4]), randn([4, 5])])
    add("mv", "basic", [randn([3, 4]), randn([4])])
    add("mv", "transposed", [randn([4, 3]), randn([4])], [[1, 0], None])
    add("mv", "float64", [randn([5, 6], "float64"), randn([6], "float64")])
    add("mv", "int64", [randint([3, 4], "int64"), randint([4], "int64")])
    add("mv", "error_size", [randn([3, 4]), randn([5])])
    add("mv", "error_dtype", [randn([3, 4]), randn([4], "float64")])
    add("mv", "error_rank", [randn([3, 4]), randn([4, 1])])
    add("dot", "basic", [randn([7]), randn([7])])
    add("dot", "float64", [randn([33], "float64"), randn([33], "float64")])
    add("dot", "int64", [randint([6], "int64"), randint([6], "int64")])
    add("dot", "empty", [randn([0]), randn([0])])
    add("dot", "error_size", [randn([3]), randn([4])])
    add("dot", "error_dtype", [randn([3]), randn([3], "float64")])
    add("dot", "error_rank", [randn([3, 1]), randn([3])])
    add("dot", "error_bool", [randint([3], "bool"), randint([3], "bool")])
    add("outer", "basic", [randn([3]), randn([4])])
    add("outer", "promote", [randn([3]), randn([2], "float64")])
    add("outer", "int_float", [randint([3], "int32"), randn([2])])
    add("outer", "bool", [randint([3], "bool"), randint([2], "bool")])
    add("outer", "empty", [randn([0]), randn([4])])
    add("outer", "error_rank", [randn([3, 1]), randn([2])])

    # addmm / baddbmm / addmv
    add("addmm", "basic", [randn([3, 5]), randn([3, 4]), randn([4, 5])], beta=1, alpha=1)
    add("addmm", "beta_alpha", [randn([3, 5]), randn([3, 4]), randn([4, 5])], beta=0.5, alpha=-2.0)
    add("addmm", "broadcast_row", [randn([5]), randn([3, 4]), randn([4, 5])], beta=1, alpha=1)
    add("addmm", "broadcast_col", [randn([3, 1]), randn([3, 4]), randn([4, 5])], beta=2, alpha=1)
    add("addmm", "beta0_nan", [torch.full((3, 5), float("nan")), randn([3, 4]), randn([4, 5])], beta=0, alpha=1)
    add("addmm", "transposed", [randn([5, 3]), randn([4, 3]), randn([5, 4])], [[1, 0], [1, 0], [1, 0]], beta=1, alpha=3)
    add("addmm", "float64", [randn([2, 3], "float64"), randn([2, 6], "float64"), randn([6, 3], "float64")], beta=-1.5, alpha=0.25)
    add("addmm", "bfloat16", [randn([3, 4], "bfloat16"), randn([3, 8], "bfloat16"), randn([8, 4], "bfloat16")], beta=1, alpha=1)
    add("addmm", "int64", [randint([3, 2], "int64"), randint([3, 4], "int64"), randint([4, 2], "int64")], beta=3, alpha=2)
    add("addmm", "k0", [randn([2, 3]), randn([2, 0]), randn([0, 3])], beta=2, alpha=1)
    add("addmm", "error_input_shape", [randn([2, 5]), randn([3, 4]), randn([4, 5])], beta=1, alpha=1)
    add("addmm", "error_input_dtype", [randn([5], "float64"), randn([3, 4]), randn([4, 5])], beta=1, alpha=1)
    add("addmm", "error_inner", [randn([3, 5]), randn([3, 4]), randn([3, 5])], beta=1, alpha=1)
    add("baddbmm", "basic", [randn([2, 3, 5]), randn([2, 3, 4]), randn([2, 4, 5])], beta=1, alpha=1)
    add("baddbmm", "broadcast", [randn([3, 5]), randn([2, 3, 4]), randn([2, 4, 5])], beta=0.5, alpha=2.0)
    add("baddbmm", "float64", [randn([1, 1, 2], "float64"), randn([3, 4, 5], "float64"), randn([3, 5, 2], "float64")], beta=1, alpha=-1)
    add("baddbmm", "error_batch", [randn([2, 3, 5]), randn([2, 3, 4]), randn([3, 4, 5])], beta=1, alpha=1)
    add("addmv", "basic", [randn([3]), randn([3, 4]), randn([4])], beta=1, alpha=1)
    add("addmv", "beta_alpha", [randn([1]), randn([4, 3]), randn([4])], [None, [1, 0], None], beta=-1.0, alpha=0.5)
    add("addmv", "int64", [randint([3], "int64"), randint([3, 4], "int64"), randint([4], "int64")], beta=2, alpha=3)
    add("addmv", "error_size", [randn([3]), randn([3, 4]), randn([3])], beta=1, alpha=1)

    # einsum
    def es(name, equation, inputs, permutes=None):
        add("einsum", name, inputs, permutes, equation=equation)

    es("matmul", "ij,jk->ik", [randn([3, 4]), randn([4, 5])])
    es("matmul_implicit", "ij,jk", [randn([3, 4]), randn([4, 5])])
    es("implicit_order", "ba,ab", [randn([2, 3]), randn([3, 2])])
    es("implicit_upper_first", "bA,ab", [randn([2, 3]), randn([3, 2])])
    es("batched", "bij,bjk->bik", [randn([2, 3, 4]), randn([2, 4, 5])])
    es("transpose_view", "ij->ji", [randn([2, 3])])
    es("trace", "ii", [randn([4, 4])])
    es("diagonal", "ii->i", [randn([4, 4])])
    es("diag_3", "iii->i", [randn([3, 3, 3])])
    es("sum_all", "ij->", [randn([3, 4])])
    es("sum_rows", "ij->i", [randn([3, 4])])
    es("outer", "i,j->ij", [randn([3]), randn([4])])
    es("dot", "i,i->", [randn([6]), randn([6])])
    es("dot_implicit", "i,i", [randn([6]), randn([6])])
    es("hadamard", "ij,ij->ij", [randn([3, 4]), randn([3, 4])])
    es("three_operands", "ij,jk,kl->il", [randn([2, 3]), randn([3, 4]), randn([4, 5])])
    es("bilinear", "bn,anm,bm->ba", [randn([2, 3]), randn([4, 3, 5]), randn([2, 5])])
    es("attention_like", "bhqd,bhkd->bhqk", [randn([2, 2, 3, 4]), randn([2, 2, 5, 4])])
    es("sum_only_in_one", "ij,k->i", [randn([3, 4]), randn([5])])
    es("broadcast_size1", "ij,ij->ij", [randn([3, 1]), randn([1, 4])])
    es("broadcast_contract", "bij,bjk->bik", [randn([1, 3, 4]), randn([2, 4, 5])])
    es("ellipsis_batch", "...ij,...jk->...ik", [randn([2, 3, 4]), randn([4, 5])])
    es("ellipsis_broadcast", "...i,...i->...", [randn([2, 1, 3]), randn([4, 3])])
    es("ellipsis_implicit", "...ij", [randn([2, 3, 4])])
    es("ellipsis_summed", "...ij->ij", [randn([2, 3, 4])])
    es("ellipsis_middle", "i...j,j...->i...", [randn([2, 3, 4]), randn([4, 3])])
    es("repeated_and_contract", "iij,jk->ik", [randn([3, 3, 4]), randn([4, 2])])
    es("permuted_inputs", "ij,jk->ki", [randn([4, 3]), randn([5, 4])], [[1, 0], [1, 0]])
    es("spaces", "i j , j k -> i k", [randn([2, 3]), randn([3, 2])])
    es("float64", "abc,cd->abd", [randn([2, 3, 4], "float64"), randn([4, 5], "float64")])
    es("int64", "ij,jk->ik", [randint([3, 4], "int64"), randint([4, 2], "int64")])
    es("int32_contract", "i,i->", [randint([5], "int32"), randint([5], "int32")])
    es("int32_sum_promotes", "i->", [randint([5], "int32")])
    es("bool_sum", "ij->", [randint([3, 3], "bool")])
    es("mixed_outer_promotes", "i,j", [randint([3], "int32"), randn([2])])
    es("zero_size_contract", "ij,jk->ik", [randn([2, 0]), randn([0, 3], "float64")])
    es("zero_size_output", "i,i->i", [randn([0]), randn([1])])
    es("scalar_operand", "", [torch.tensor(3.5)])
    es("scalar_times_matrix", ",ij->ij", [torch.tensor(2.0), randn([2, 3])])
    es("large", "bik,bkj->bij", [randn([3, 17, 33]), randn([3, 33, 9])])
    es("error_dtype", "ij,jk->ik", [randn([3, 4]), randn([4, 5], "float64")])
    es("error_bool_contract", "i,i->", [randint([3], "bool"), randint([3], "bool")])
    es("error_repeated_size", "ii->i", [randn([3, 4])])
    es("error_invalid_char", "i#->i", [randn([3, 4])])
    es("error_output_unknown", "ij->k", [randn([3, 4])])
    es("error_output_repeated", "ij->ii", [randn([3, 4])])
    es("error_too_few_operands", "ij,jk->ik", [randn([3, 4])])
    es("error_too_many_operands", "ij", [randn([2, 3]), randn([3])])
    es("error_rank", "ijk->ik", [randn([3, 4])])
    es("error_rank_ellipsis", "...ijk->", [randn([2, 3])])
    es("error_broadcast", "i,i->", [randn([3]), randn([4])])
    es("error_ellipsis_broadcast", "...i,...i->...", [randn([2, 2, 3]), randn([4, 3])])
    es("error_lone_dot", "i..j", [randn([3, 3])])
    es("error_two_ellipses", "i...j...", [randn([3, 3])])
    es("error_two_arrows", "i->i->i", [randn([3])])

    write("linalg2.json", cases,
          description="mm, bmm, mv, dot, outer, addmm, baddbmm, addmv and einsum against PyTorch")
