"""Fixtures of the shape family (shape_ops.json): cat, stack, split, split_with_sizes, chunk,
unbind, flip, roll, repeat, tile, tril, triu, diagonal and diag, with contiguous and permuted
(non-contiguous) inputs, mixed dtypes, negative dims, empty tensors and PyTorch's errors."""
import torch

from generate import TORCH_ERRORS, enc_input, enc_tensor, randint, randn, seeded, write

INT64_MAX = 2**63 - 1


def call(op, xs, a):
    x = xs[0]
    if op == "cat":
        return [torch.cat(xs, a["dim"])]
    if op == "stack":
        return [torch.stack(xs, a["dim"])]
    if op == "split":
        return list(torch.split(x, a["split_size"], a["dim"]))
    if op == "split_with_sizes":
        return list(torch.split(x, a["sizes"], a["dim"]))
    if op == "chunk":
        return list(torch.chunk(x, a["chunks"], a["dim"]))
    if op == "unbind":
        return list(torch.unbind(x, a["dim"]))
    if op == "flip":
        return [torch.flip(x, a["dims"])]
    if op == "roll":
        return [torch.roll(x, a["shifts"], a["dims"])]
    if op == "repeat":
        return [x.repeat(*a["repeats"]) if a["repeats"] else x.repeat(())]
    if op == "tile":
        return [torch.tile(x, tuple(a["reps"]))]
    if op == "tril":
        return [torch.tril(x, a["diagonal"])]
    if op == "triu":
        return [torch.triu(x, a["diagonal"])]
    if op == "diagonal":
        return [torch.diagonal(x, a["offset"], a["dim1"], a["dim2"])]
    if op == "diag":
        return [torch.diag(x, a["diagonal"])]
    raise ValueError(op)


def generate():
    seeded(3)
    cases = []

    def add(name, op, inputs, **args):
        """inputs: (base tensor, permute or None) pairs; the op sees the permuted views."""
        enc = [enc_input(b, p) for b, p in inputs]
        case = {"name": name, "op": op, "inputs": [j for j, _ in enc], "args": args}
        xs = [t for _, t in enc]
        try:
            outs = call(op, xs, args)
        except TORCH_ERRORS as e:
            case["error"] = str(e).splitlines()[0]
            cases.append(case)
            return
        case["expected"] = [enc_tensor(o) for o in outs]
        base = inputs[0][0]
        # Whether each result shares the input's storage (a view); only meaningful when the
        # input has elements (empty storages have no address to compare).
        if base.numel() > 0:
            case["shares_storage"] = all(o.storage().data_ptr() == base.storage().data_ptr() for o in outs)
        cases.append(case)

    f = lambda *s: randn(s)
    a23, b23, c43 = f(2, 3), f(2, 3), f(4, 3)
    # cat / stack
    add("cat_dim0", "cat", [(a23, None), (c43, None)], dim=0)
    add("cat_dim1_neg", "cat", [(a23, None), (f(2, 5), None), (f(2, 1), None)], dim=-1)
    add("cat_noncontiguous", "cat", [(f(3, 2), (1, 0)), (f(2, 4), None)], dim=1)
    add("cat_3d_middle", "cat", [(f(2, 1, 3), None), (f(2, 4, 3), None)], dim=1)
    add("cat_promote_int_float", "cat", [(randint((2, 2), "int32"), None), (f(2, 3), None)], dim=1)
    add("cat_promote_bool_uint8", "cat", [(randint((3,), "bool"), None), (randint((2,), "uint8"), None)], dim=0)
    add("cat_promote_float16_float64", "cat", [(randn((2,), "float16"), None), (randn((3,), "float64"), None)], dim=0)
    add("cat_int64_int8", "cat", [(randint((2, 2), "int64"), None), (randint((1, 2), "int8"), None)], dim=0)
    add("cat_skips_1d_empty", "cat", [(torch.empty(0, dtype=torch.float64), None), (a23, None)], dim=1)
    add("cat_all_1d_empty", "cat", [(torch.empty(0), None), (torch.empty(0, dtype=torch.int32), None)], dim=0)
    add("cat_zero_size_dims", "cat", [(f(2, 0), None), (f(3, 0), None)], dim=0)
    add("cat_one_tensor", "cat", [(a23, (1, 0))], dim=0)
    add("error_cat_size_mismatch", "cat", [(a23, None), (f(2, 4), None)], dim=0)
    add("error_cat_ndim_mismatch", "cat", [(a23, None), (f(2, 3, 1), None)], dim=0)
    add("error_cat_zero_dim", "cat", [(a23, None), (torch.tensor(1.0), None)], dim=0)
    add("error_cat_dim_out_of_range", "cat", [(a23, None)], dim=2)
    add("stack_dim0", "stack", [(a23, None), (b23, None)], dim=0)
    add("stack_last_neg", "stack", [(a23, None), (b23, None), (f(3, 2), (1, 0))], dim=-1)
    add("stack_middle", "stack", [(a23, None), (b23, None)], dim=1)
    add("stack_promote", "stack", [(randint((2, 3), "bool"), None), (randint((2, 3), "int16"), None)], dim=2)
    add("stack_scalars", "stack", [(torch.tensor(1.5), None), (torch.tensor(2.5), None)], dim=0)
    add("stack_empty", "stack", [(f(0, 2), None), (f(0, 2), None)], dim=1)
    add("error_stack_shape_mismatch", "stack", [(a23, None), (f(2, 4), None)], dim=0)
    add("error_stack_dim_out_of_range", "stack", [(a23, None)], dim=4)
    # split family (views)
    x57 = f(5, 7)
    add("split_2_dim0", "split", [(x57, None)], split_size=2, dim=0)
    add("split_3_dim1_neg", "split", [(x57, None)], split_size=3, dim=-1)
    add("split_larger_than_dim", "split", [(x57, None)], split_size=9, dim=0)
    add("split_noncontiguous", "split", [(x57, (1, 0))], split_size=4, dim=1)
    add("split_zero_of_empty", "split", [(f(0, 3), None)], split_size=0, dim=0)
    add("split_empty_dim", "split", [(f(0, 3), None)], split_size=2, dim=0)
    add("error_split_zero", "split", [(x57, None)], split_size=0, dim=0)
    add("error_split_negative", "split", [(x57, None)], split_size=-1, dim=0)
    add("error_split_zero_dim_tensor", "split", [(torch.tensor(3.0), None)], split_size=1, dim=0)
    add("split_with_sizes_1_4_2", "split_with_sizes", [(x57, None)], sizes=[1, 4, 2], dim=1)
    add("split_with_sizes_zero_piece", "split_with_sizes", [(x57, None)], sizes=[0, 5, 0], dim=0)
    add("error_split_with_sizes_sum", "split_with_sizes", [(x57, None)], sizes=[2, 2], dim=0)
    add("error_split_with_sizes_negative", "split_with_sizes", [(x57, None)], sizes=[6, -1], dim=0)
    add("chunk_3_of_5", "chunk", [(x57, None)], chunks=3, dim=0)
    add("chunk_4_of_7_gives_4", "chunk", [(x57, None)], chunks=4, dim=1)
    add("chunk_4_of_6_gives_3", "chunk", [(f(6), None)], chunks=4, dim=0)
    add("chunk_more_than_size", "chunk", [(x57, None)], chunks=9, dim=0)
    add("chunk_empty_dim", "chunk", [(f(0, 2), None)], chunks=3, dim=0)
    add("error_chunk_zero", "chunk", [(x57, None)], chunks=0, dim=0)
    add("unbind_dim0", "unbind", [(f(3, 2), None)], dim=0)
    add("unbind_dim_neg_noncontiguous", "unbind", [(f(2, 3, 4), (2, 0, 1))], dim=-1)
    add("unbind_int", "unbind", [(randint((2, 2), "int64"), None)], dim=1)
    add("error_unbind_zero_dim", "unbind", [(torch.tensor(1.0), None)], dim=0)
    # flip / roll
    x234 = f(2, 3, 4)
    add("flip_last", "flip", [(x234, None)], dims=[-1])
    add("flip_0_2", "flip", [(x234, None)], dims=[0, 2])
    add("flip_all_noncontiguous", "flip", [(x234, (2, 0, 1))], dims=[0, 1, 2])
    add("flip_none", "flip", [(x234, None)], dims=[])
    add("flip_bool", "flip", [(randint((5,), "bool"), None)], dims=[0])
    add("flip_bfloat16", "flip", [(randn((3, 2), "bfloat16"), None)], dims=[0])
    add("flip_empty", "flip", [(f(0, 3), None)], dims=[0, 1])
    add("flip_zero_dim", "flip", [(torch.tensor(2.0), None)], dims=[])
    add("error_flip_repeated_dim", "flip", [(x234, None)], dims=[0, -3])
    add("error_flip_dim_out_of_range", "flip", [(x234, None)], dims=[3])
    add("roll_flat", "roll", [(x234, None)], shifts=[5], dims=[])
    add("roll_dim1", "roll", [(x234, None)], shifts=[1], dims=[1])
    add("roll_negative_shift", "roll", [(x234, None)], shifts=[-3], dims=[2])
    add("roll_two_dims_noncontiguous", "roll", [(x234, (1, 2, 0))], shifts=[2, -7], dims=[0, -1])
    add("roll_shift_larger_than_size", "roll", [(randint((4,), "int32"), None)], shifts=[11], dims=[0])
    add("roll_same_dim_twice", "roll", [(f(5), None)], shifts=[1, 2], dims=[0, 0])
    add("roll_empty", "roll", [(f(0, 3), None)], shifts=[1], dims=[1])
    add("roll_zero_dim", "roll", [(torch.tensor(4.0), None)], shifts=[3], dims=[])
    add("error_roll_misaligned", "roll", [(x234, None)], shifts=[1, 2], dims=[0])
    add("error_roll_no_shifts", "roll", [(x234, None)], shifts=[], dims=[])
    # repeat / tile
    add("repeat_2_3", "repeat", [(a23, None)], repeats=[2, 3])
    add("repeat_new_dims", "repeat", [(f(3), None)], repeats=[2, 1, 2])
    add("repeat_noncontiguous", "repeat", [(f(3, 2), (1, 0))], repeats=[1, 2])
    add("repeat_zero", "repeat", [(a23, None)], repeats=[0, 2])
    add("repeat_int8", "repeat", [(randint((2,), "int8"), None)], repeats=[3])
    add("repeat_zero_dim", "repeat", [(torch.tensor(7.0), None)], repeats=[2, 2])
    add("error_repeat_too_few", "repeat", [(a23, None)], repeats=[2])
    add("error_repeat_negative", "repeat", [(a23, None)], repeats=[2, -1])
    add("tile_fewer_reps", "tile", [(x234, None)], reps=[2])
    add("tile_more_reps", "tile", [(a23, None)], reps=[2, 1, 3])
    add("tile_float16", "tile", [(randn((2, 2), "float16"), None)], reps=[2, 2])
    # tril / triu
    x45 = f(4, 5)
    for k in (0, 1, -2, 7, -9):
        kn = str(k).replace("-", "m")
        add(f"tril_k{kn}", "tril", [(x45, None)], diagonal=k)
        add(f"triu_k{kn}", "triu", [(x45, None)], diagonal=k)
    add("tril_batched_noncontiguous", "tril", [(f(3, 4, 2), (0, 2, 1))], diagonal=0)
    add("triu_int_batched", "triu", [(randint((2, 3, 3), "int64"), None)], diagonal=-1)
    add("tril_bool", "tril", [(randint((3, 3), "bool"), None)], diagonal=0)
    add("triu_empty", "triu", [(f(2, 0, 3), None)], diagonal=0)
    # Diagonals far outside the matrix (PyTorch 1.13 overflows computing i + k near INT64_MAX
    # and zeroes everything; Compute clamps k first and keeps the whole matrix there).
    add("tril_huge_diagonal", "tril", [(x45, None)], diagonal=2**40)
    add("tril_huge_negative_diagonal", "tril", [(x45, None)], diagonal=-2**40)
    add("triu_huge_negative_diagonal", "triu", [(x45, None)], diagonal=-INT64_MAX)
    add("error_tril_1d", "tril", [(f(3), None)], diagonal=0)
    # diagonal (a view) / diag
    add("diagonal_main", "diagonal", [(x45, None)], offset=0, dim1=0, dim2=1)
    add("diagonal_offset_pos", "diagonal", [(x45, None)], offset=2, dim1=0, dim2=1)
    add("diagonal_offset_neg", "diagonal", [(x45, None)], offset=-1, dim1=0, dim2=1)
    add("diagonal_swapped_dims", "diagonal", [(x45, None)], offset=1, dim1=1, dim2=0)
    add("diagonal_3d", "diagonal", [(x234, None)], offset=0, dim1=0, dim2=2)
    add("diagonal_3d_neg_dims", "diagonal", [(x234, (1, 0, 2))], offset=-1, dim1=-1, dim2=-2)
    add("diagonal_past_end", "diagonal", [(x45, None)], offset=9, dim1=0, dim2=1)
    add("error_diagonal_same_dims", "diagonal", [(x45, None)], offset=0, dim1=1, dim2=-1)
    add("diag_from_vector", "diag", [(f(3), None)], diagonal=0)
    add("diag_from_vector_k2", "diag", [(randint((3,), "int32"), None)], diagonal=2)
    add("diag_from_vector_km1", "diag", [(f(2), None)], diagonal=-1)
    add("diag_of_matrix", "diag", [(x45, None)], diagonal=0)
    add("diag_of_matrix_k1_noncontiguous", "diag", [(x45, (1, 0))], diagonal=1)
    add("diag_of_matrix_km3", "diag", [(x45, None)], diagonal=-3)
    add("diag_empty_vector", "diag", [(f(0), None)], diagonal=1)
    add("error_diag_3d", "diag", [(x234, None)], diagonal=0)
    # cat of contiguous inputs of the result's dtype whose row blocks are 64 bytes or more is one
    # pass of block copies per output row; the others (small blocks, promotion, permuted
    # inputs) keep the copy_ path. Added last, so the inputs above stay as they were.
    add("cat_blocks_dim1", "cat", [(f(3, 20), None), (f(3, 16), None), (f(3, 32), None)], dim=1)
    add("cat_blocks_dim0", "cat", [(f(2, 16), None), (f(3, 16), None)], dim=0)
    add("cat_blocks_3d_middle", "cat", [(f(2, 4, 16), None), (f(2, 2, 16), None)], dim=1)
    add("cat_blocks_int64_neg_dim", "cat", [(randint((2, 8), "int64"), None), (randint((2, 10), "int64"), None)], dim=-1)
    add("cat_blocks_bool", "cat", [(randint((2, 64), "bool"), None), (randint((2, 70), "bool"), None)], dim=1)
    add("cat_blocks_with_empty", "cat", [(f(3, 16), None), (f(3, 0), None), (f(3, 16), None)], dim=1)
    add("cat_blocks_skips_1d_empty", "cat", [(torch.empty(0), None), (f(2, 16), None), (f(2, 16), None)], dim=1)
    add("cat_blocks_one_small", "cat", [(f(3, 16), None), (f(3, 2), None)], dim=1)
    add("cat_blocks_promote", "cat", [(f(3, 16), None), (randn((3, 16), "float64"), None)], dim=1)
    add("cat_blocks_noncontiguous", "cat", [(f(16, 3), (1, 0)), (f(3, 16), None)], dim=1)
    write("shape_ops.json", cases,
          description="cat/stack/split/split_with_sizes/chunk/unbind/flip/roll/repeat/tile/tril/triu/"
                      "diagonal/diag: values, dtypes, whether results share the input's storage, errors.")
