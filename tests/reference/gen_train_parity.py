"""Fixture for the end-to-end training parity test (tests/reference/fixtures/train_parity.json).
Run through generate.py.

A small MLP (Linear 10 -> 32, ReLU, Linear 32 -> 16, ReLU, Linear 16 -> 4) with fixed initial
weights, trained with cross-entropy on one fixed batch of 64 samples for 20 full-batch steps,
once with SGD (lr 0.1, momentum 0.9) and once with AdamW (lr 1e-2, weight_decay 1e-2), in
float32. Each case gives "init" (state-dict order: fc1.weight, fc1.bias, fc2..., fc3...), "x",
"y" and "losses": the loss before each optimizer step (20 values). The test trains the same model
in Compute and requires every loss within 1e-5 relative of PyTorch's (issue 5).
"""
import torch
import torch.nn.functional as F

from generate import enc_tensor, seeded, write

SIZES = [10, 32, 16, 4]
STEPS = 20


def _init():
    layers = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1.0 / fan_in ** 0.5  # nn.Linear's default init range
        layers.append(((torch.rand(fan_out, fan_in) * 2 - 1) * bound, (torch.rand(fan_out) * 2 - 1) * bound))
    return layers


def _train(init, x, y, make_opt):
    params = []
    for w, b in init:
        params += [w.clone().requires_grad_(True), b.clone().requires_grad_(True)]
    opt = make_opt(params)
    losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        h = x
        for i in range(0, len(params), 2):
            h = F.linear(h, params[i], params[i + 1])
            if i + 2 < len(params):
                h = F.relu(h)
        loss = F.cross_entropy(h, y)
        loss.backward()
        opt.step()
        losses.append(float(loss))
    return losses


def generate():
    seeded(5055)
    init = _init()
    x = torch.randn(64, SIZES[0])
    y = torch.randint(0, SIZES[-1], (64,))
    flat = [t for wb in init for t in wb]
    names = [f"fc{i // 2 + 1}.{'weight' if i % 2 == 0 else 'bias'}" for i in range(len(flat))]
    optimizers = {
        "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, foreach=False),
        "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=1e-2, foreach=False),
    }
    cases = []
    for name, make in optimizers.items():
        cases.append({
            "name": name,
            "sizes": SIZES,
            "init": {n: enc_tensor(t) for n, t in zip(names, flat)},
            "x": enc_tensor(x),
            "y": enc_tensor(y),
            "losses": _train(init, x, y, make),
        })
    write("train_parity.json", cases)
