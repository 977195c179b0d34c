"""The C ABI of libcompute through ctypes, for the op benchmarks (bench/ops/compare.py).

Only what a benchmark needs: tensors made from numpy arrays (cmp_from_buffer copies, so the
Compute and PyTorch sides start from the same numbers), op calls by name with their ABI
arguments, and releasing results. A ctypes call costs about a microsecond, which is noise
for the ops timed here (tens of microseconds and up); the per-call overhead of tiny tensors
is measured without it, from C# (bench/overhead).
"""
import ctypes

import numpy as np

STATUS_OK = 0
DTYPES = {"float32": 0, "float64": 1, "float16": 2, "bfloat16": 3, "int64": 4, "int32": 5,
          "int16": 6, "int8": 7, "uint8": 8, "bool": 9}


class Scalar(ctypes.Structure):
    """cmp_scalar: kind (0 float, 1 int, 2 bool), reserved, f, i."""
    _fields_ = [("kind", ctypes.c_int32), ("reserved", ctypes.c_int32), ("f", ctypes.c_double), ("i", ctypes.c_int64)]

    @staticmethod
    def of(value):
        if isinstance(value, bool):
            return Scalar(2, 0, 0.0, int(value))
        if isinstance(value, int):
            return Scalar(1, 0, 0.0, value)
        return Scalar(0, 0, float(value), 0)


class ComputeError(RuntimeError):
    pass


def int64s(values):
    """A const int64_t* argument."""
    return (ctypes.c_int64 * len(values))(*values)


class Library:
    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.kept = []
        self.lib.cmp_last_error.restype = ctypes.c_char_p
        self.lib.cmp_cpu_isa.argtypes = [ctypes.POINTER(ctypes.c_char_p)]

    def has(self, function):
        return hasattr(self.lib, function)

    def check(self, status, what):
        if status != STATUS_OK:
            raise ComputeError(f"{what}: {self.lib.cmp_last_error().decode()}")

    def set_num_threads(self, n):
        self.check(self.lib.cmp_set_num_threads(ctypes.c_int32(n)), "cmp_set_num_threads")

    def isa(self):
        out = ctypes.c_char_p()
        self.check(self.lib.cmp_cpu_isa(ctypes.byref(out)), "cmp_cpu_isa")
        return out.value.decode()

    def tensor(self, array):
        """A Compute tensor holding a copy of a (contiguous) numpy array."""
        # (ascontiguousarray makes a 0-dim array 1-dim: keep the shape, a scalar grad_output is 0-dim)
        array = np.ascontiguousarray(array).reshape(np.shape(array))
        out = ctypes.c_void_p()
        self.check(self.lib.cmp_from_buffer(
            array.ctypes.data_as(ctypes.c_void_p), ctypes.c_int64(array.nbytes), int64s(array.shape),
            ctypes.c_int64(array.ndim), ctypes.c_int32(DTYPES[str(array.dtype)]), ctypes.byref(out)), "cmp_from_buffer")
        return out

    def keep(self, handle):
        """Holds a handle made while setting up an entry, until release_kept()."""
        self.kept.append(handle)

    def release_kept(self):
        self.release(*self.kept)
        self.kept.clear()

    def release(self, *handles):
        for h in handles:
            if h:
                self.lib.cmp_tensor_release(h)

    def op(self, function, *args, outs=1):
        """Calls cmp_<function>(args..., &out1, ..., &outN) and returns the outputs."""
        results = [ctypes.c_void_p() for _ in range(outs)]
        status = getattr(self.lib, function)(*args, *(ctypes.byref(r) for r in results))
        self.check(status, function)
        return results

    def caller(self, function, *args, outs=1):
        """A no-argument function that runs the op once and frees its results (what is timed:
        each call allocates its outputs, as a user's call does)."""
        fn = getattr(self.lib, function)
        results = [ctypes.c_void_p() for _ in range(outs)]
        refs = [ctypes.byref(r) for r in results]
        release = self.lib.cmp_tensor_release

        def run():
            if fn(*args, *refs) != STATUS_OK:
                raise ComputeError(f"{function}: {self.lib.cmp_last_error().decode()}")
            for r in results:
                if r.value:
                    release(r)
        return run
