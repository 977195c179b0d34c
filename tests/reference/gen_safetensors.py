"""Safetensors fixture files for Compute.IO.SafeTensors (issue 5). Writes
fixtures/safetensors/*.safetensors and fixtures/safetensors.json.

Python's `safetensors` package is not installable here (not in Debian, and npm has no maintained
safetensors writer), so the files are written by `serialize` below, which follows the format's
specification and its reference writer (huggingface/safetensors, safetensors/src/tensor.rs):
8-byte little-endian header size; compact JSON header with "__metadata__" first, then the
tensors sorted by descending dtype alignment and then by name, each {"dtype", "shape",
"data_offsets"} in that order; the header padded with spaces to a multiple of 8; then the
tensors' little-endian bytes back to back. Before writing anything the script checks that
`serialize` reproduces, byte for byte, the outputs asserted by the reference implementation's
own unit tests (test_serialization, test_empty, test_serialization_forced_alignement).

The tensor values come from torch (seeded); the JSON fixture holds, for each file, the metadata,
the tensor names in file order and every tensor (format of tests/reference/README.md), so the
C# tests check both reading these files and writing byte-identical ones.
"""
import json
import os
import struct

import torch

from generate import FIXTURES, enc_tensor, randint, randn, seeded, write

# The reference writer's dtype order (its Dtype enum, in increasing alignment).
ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
NAMES = {torch.bool: "BOOL", torch.uint8: "U8", torch.int8: "I8", torch.int16: "I16", torch.float16: "F16",
         torch.bfloat16: "BF16", torch.int32: "I32", torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def raw_bytes(t):
    t = t.contiguous().reshape(-1)
    if t.numel() == 0:
        return b""
    return t.view(torch.uint8).numpy().tobytes() if t.dtype != torch.uint8 else t.numpy().tobytes()


def serialize(tensors, metadata=None):
    """tensors: list of (name, dtype name, shape, bytes)."""
    items = sorted(tensors, key=lambda x: (-ORDER.index(x[1]), x[0].encode("utf-8")))
    header = {}
    if metadata:
        header["__metadata__"] = dict(sorted(metadata.items()))
    offset = 0
    for name, dtype, shape, data in items:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(d for _, _, _, d in items)


def check_against_reference_tests():
    """The byte strings asserted in safetensors/src/tensor.rs's tests."""
    floats = b"".join(struct.pack("<f", v) for v in (0.0, 1.0, 2.0, 3.0, 4.0, 5.0))
    out = serialize([("attn.0", "F32", [1, 2, 3], floats)])
    assert out == bytes([64, 0, 0, 0, 0, 0, 0, 0]) + b'{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}' + floats, out
    assert serialize([]) == bytes([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32])
    assert serialize([], {"framework": "pt"}) == bytes([40, 0, 0, 0, 0, 0, 0, 0]) + b'{"__metadata__":{"framework":"pt"}}' + b" " * 5
    out = serialize([("attn0", "F32", [1, 1, 2, 3], floats)])
    assert out == bytes([72, 0, 0, 0, 0, 0, 0, 0]) + b'{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}' + b" " * 7 + floats


def save(folder, file, named, metadata):
    data = serialize([(n, NAMES[t.dtype], list(t.shape), raw_bytes(t)) for n, t in named.items()], metadata)
    with open(os.path.join(folder, file), "wb") as f:
        f.write(data)
    # File order (the writer's), as a reader sees it.
    header = json.loads(data[8:8 + struct.unpack("<Q", data[:8])[0]])
    order = [k for k in header if k != "__metadata__"]
    return {"name": file.replace(".safetensors", ""), "file": file, "metadata": metadata or {},
            "order": order, "tensors": {n: enc_tensor(t) for n, t in named.items()}, "bytes": len(data)}


def generate():
    check_against_reference_tests()
    folder = os.path.join(FIXTURES, "safetensors")
    os.makedirs(folder, exist_ok=True)
    cases = []
    seeded(11)
    every_dtype = {
        "f32": randn([2, 3]), "f64": randn([3], "float64"), "f16": randn([2, 2], "float16"),
        "bf16": randn([5], "bfloat16"), "i64": randint([2, 2], "int64", -10**12, 10**12),
        "i32": randint([3, 1], "int32", -10**6, 10**6), "i16": randint([4], "int16", -30000, 30000),
        "i8": randint([2, 3], "int8", -128, 128), "u8": randint([7], "uint8", 0, 256), "flag": randint([3], "bool"),
        "scalar": torch.tensor(3.5), "empty": torch.zeros(0, 3), "a.b.c": randn([1]), "poids_é": randn([2]),
    }
    cases.append(save(folder, "every_dtype.safetensors", every_dtype,
                      {"format": "pt", "note": "a \"quoted\" \\ backslash\nand a newline", "unicode": "élan"}))
    model = {"fc1.weight": randn([4, 3]), "fc1.bias": randn([4]), "fc2.weight": randn([2, 4]), "fc2.bias": randn([2]),
             "bn.running_mean": randn([4]), "bn.running_var": randn([4]).abs(), "bn.num_batches_tracked": torch.tensor(7)}
    cases.append(save(folder, "state_dict.safetensors", model, None))
    cases.append(save(folder, "no_tensors.safetensors", {}, {"framework": "pt"}))
    write("safetensors.json", cases,
          description="safetensors files written by the spec-following writer of gen_safetensors.py "
                      "(checked against the reference implementation's test vectors) with torch tensors.")
