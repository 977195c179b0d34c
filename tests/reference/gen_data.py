"""Fixtures for Compute.Data (issue 5): what torch.utils.data computes for the cases the C#
tests check, and the transforms as PyTorch tensor ops. Writes fixtures/data.json.

Cases ("op" field):
- random_split_lengths: len of each subset of torch.utils.data.random_split(range(n), fractions)
  (the fraction rule: floors, then the remainder dealt round-robin), or "error".
- batch_sampler: list(BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)) and its len.
- normalize: (x - mean[:, None, None]) / std[:, None, None] in float32 (transforms.Normalize's formula;
  torchvision is not installed here, so the formula is applied with torch ops).
- resize: F.interpolate(x[None], size, mode, align_corners=False for bilinear)[0] (what
  transforms.Resize does for tensors without antialiasing), float32 and uint8 (float32 result
  rounded and clamped to 0..255, as torchvision does for uint8 tensors). Bilinear float32 cases
  carry "count", "eps" and "abs_bound" (see gen_transforms for what the bound covers).
- to_tensor: uint8 [H, W, C] / [H, W] -> float32 [C, H, W] / 255 (transforms.ToTensor's formula).
"""
import warnings

import torch
import torch.nn.functional as F
from torch.utils.data import BatchSampler, SequentialSampler, random_split

from generate import enc_tensor, randint, randn, seeded, write


def gen_random_split(cases):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # torch warns about empty splits; they are cases here
        gen_random_split_cases(cases)


def gen_random_split_cases(cases):
    for n, fractions in ((10, [0.3, 0.7]), (10, [0.5, 0.5]), (7, [1 / 3, 1 / 3, 1 / 3]), (5, [0.1, 0.1, 0.8]),
                         (3, [0.2, 0.2, 0.2, 0.2, 0.2]), (1000, [0.8, 0.2]), (0, [0.5, 0.5]), (11, [0.25, 0.25, 0.5])):
        name = f"random_split_{n}_" + "_".join(f"{f:.3f}".replace(".", "p") for f in fractions)
        c = {"name": name, "op": "random_split_lengths", "n": n, "fractions": fractions}
        subsets = random_split(range(n), fractions, generator=torch.Generator().manual_seed(0))
        c["expected"] = [len(s) for s in subsets]
        cases.append(c)
    for n, fractions, label in ((10, [0.5, 0.6], "sum_above_one"), (10, [0.3, 0.3], "sum_below_one"),
                                (10, [1.5, -0.5], "negative_fraction")):
        c = {"name": f"random_split_error_{label}", "op": "random_split_lengths", "n": n, "fractions": fractions}
        try:
            random_split(range(n), fractions, generator=torch.Generator().manual_seed(0))
            raise AssertionError("expected an error")
        except ValueError as e:
            c["error"] = str(e).splitlines()[0]
        cases.append(c)


def gen_batch_sampler(cases):
    for n, batch_size, drop_last in ((10, 3, False), (10, 3, True), (9, 3, False), (9, 3, True), (2, 5, False),
                                     (2, 5, True), (0, 4, False), (64, 64, False), (65, 64, True)):
        sampler = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
        cases.append({"name": f"batch_sampler_{n}_{batch_size}_{'drop' if drop_last else 'keep'}", "op": "batch_sampler",
                      "n": n, "batch_size": batch_size, "drop_last": drop_last,
                      "expected": list(sampler), "expected_len": len(sampler)})


def gen_transforms(cases):
    seeded(5)
    for shape, mean, std in (((3, 4, 5), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
                             ((1, 6, 6), [0.1307], [0.3081]),
                             ((2, 3, 2, 2), [0.5, -0.25, 2.0], [1.0, 0.5, 4.0])):
        x = torch.rand(shape)
        m = torch.tensor(mean, dtype=torch.float32)[:, None, None]
        s = torch.tensor(std, dtype=torch.float32)[:, None, None]
        if len(mean) != shape[-3]:
            continue
        cases.append({"name": "normalize_" + "x".join(map(str, shape)), "op": "normalize", "input": enc_tensor(x),
                      "mean": mean, "std": std, "expected": enc_tensor((x - m) / s)})
    for shape, size, mode in (((3, 8, 8), [4, 4], "bilinear"), ((1, 5, 7), [10, 3], "bilinear"),
                              ((2, 6, 4), [3, 8], "nearest"), ((3, 4, 4), [8, 8], "bilinear")):
        x = torch.rand(shape)
        ac = False if mode == "bilinear" else None
        y = F.interpolate(x[None], size=size, mode=mode, align_corners=ac)[0]
        c = {"name": f"resize_float32_{'x'.join(map(str, shape))}_to_{size[0]}x{size[1]}_{mode}", "op": "resize",
             "input": enc_tensor(x), "size": size, "mode": mode, "expected": enc_tensor(y)}
        if mode == "bilinear":
            # Each output is a sum of 4 weighted taps (count = 4, eps of float32), and each weight
            # comes from a float32 source coordinate below the input size, rounded differently by
            # the two libraries: up to eps * (H_in + W_in) per weight pair, times tap differences
            # up to 2 * max|x|. abs_bound covers both: interpolate(|x|) + (H_in + W_in) * max|x|.
            c["count"] = 4
            c["eps"] = 2.0 ** -23
            coord = (shape[-2] + shape[-1]) * x.abs().max().double()
            c["abs_bound"] = enc_tensor(F.interpolate(x.double().abs()[None], size=size, mode=mode, align_corners=ac)[0] + coord)
        cases.append(c)
        xu = randint(shape, "uint8", 0, 256)
        yu = F.interpolate(xu.float()[None], size=size, mode=mode, align_corners=ac)[0].round().clamp(0, 255).to(torch.uint8)
        cases.append({"name": f"resize_uint8_{'x'.join(map(str, shape))}_to_{size[0]}x{size[1]}_{mode}", "op": "resize",
                      "input": enc_tensor(xu), "size": size, "mode": mode, "expected": enc_tensor(yu)})
    for shape in ((4, 5, 3), (6, 7)):
        x = randint(shape, "uint8", 0, 256)
        chw = x.permute(2, 0, 1) if x.dim() == 3 else x[None]
        cases.append({"name": "to_tensor_" + "x".join(map(str, shape)), "op": "to_tensor", "input": enc_tensor(x),
                      "expected": enc_tensor(chw.float().div(255))})


def generate():
    cases = []
    gen_random_split(cases)
    gen_batch_sampler(cases)
    gen_transforms(cases)
    write("data.json", cases, description="torch.utils.data split sizes and batches; transforms as torch ops.")
