#!/usr/bin/python3
"""Measures PyTorch's float32 GELU (erf form) and its derivative on the grid of
tests/native/test_gelu_kernels.cpp, in that test's units, so its bounds can be read against
PyTorch's own error: forward |gelu(x) - x Phi(x)| / (|x| 2^-24), derivative
|gelu'(x) - (Phi(x) + x phi(x))| / ((1 + |x phi(x)|) 2^-24), exact values in float64.
PyTorch 1.13 (Debian python3-torch) prints 5.07 and 5.23 on this machine (AVX2 kernels).
"""
import math

import numpy as np
import torch


def grid():
    bits = np.concatenate([np.arange(0x3C800000, 0x41000000, 3, dtype=np.uint32),
                           np.arange(0x40BC0000, 0x40C40000, dtype=np.uint32)])
    x = bits.view(np.float32)
    return np.concatenate([x, -x])


def main():
    torch.set_num_threads(1)
    x = grid()
    xd = x.astype(np.float64)
    phi = 0.5 * torch.special.erfc(torch.from_numpy(-xd / math.sqrt(2))).numpy()
    density = xd * np.exp(-0.5 * xd * xd) / math.sqrt(2 * math.pi)
    xt = torch.from_numpy(x).requires_grad_()
    y = torch.nn.functional.gelu(xt)
    y.backward(torch.ones_like(xt))
    forward = np.abs(y.detach().double().numpy() - xd * phi) / (np.abs(xd) * 2.0**-24)
    derivative = np.abs(xt.grad.double().numpy() - (phi + density)) / ((1 + np.abs(density)) * 2.0**-24)
    print(f"PyTorch {torch.__version__}, {len(x)} inputs: forward {forward.max():.2f} (at {x[forward.argmax()]:.9g}), "
          f"derivative {derivative.max():.2f} (at {x[derivative.argmax()]:.9g})")


if __name__ == "__main__":
    main()
