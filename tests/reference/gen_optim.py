"""Fixtures for the optimizers and learning-rate schedulers (tests/reference/fixtures/optim.json).
Run through generate.py.

Optimizer cases ("kind": "optimizer"): "optimizer" (sgd, adam, adamw, rmsprop, adagrad),
"dtype", "groups" (a list of {"options": {...} overriding "defaults", "params": [indices]}),
"defaults" (the constructor's keyword arguments, PyTorch names), "params" (initial tensors),
"grads" (per step, one gradient per parameter), and per step "expected" (every parameter after
the step, torch 1.13, foreach=False) and "bound" (the allowed absolute difference, float64).
"resume_at": the C# test also checks a state-dict round trip there (steps [0, resume_at) on one
optimizer, then state_dict -> load_state_dict into a fresh one, then the remaining steps).

Tolerance of optimizer results ("bound"). The fused kernels do PyTorch's arithmetic in PyTorch's
order, but PyTorch's vectorised CPU kernels fuse some multiply-adds and ours may fuse others, so
a result may differ by rounding. Per element: ref64 is the same trajectory computed by torch in
float64 from the same float32 start and gradients (the float32 result's own rounding error is
|expected - ref64|); scale is the largest |param before| + |param change| seen up to that step
(the magnitude of the terms the last addition rounds). A correct float32 result after step k
(1-based) is within bound = 2 * |expected - ref64| + 4 * k * eps32 * scale of torch's (both are
within rounding of the exact value); float64 cases use bound = 4 * k * eps64 * scale.

Scheduler cases ("kind": "scheduler"): "scheduler" with its keyword arguments "options",
"optimizer" ("sgd" with momentum, or "adam") with per-group "group_lrs", "steps", and "lrs":
get_last_lr() after construction and after each step; OneCycleLR also gives "momenta" (each
group's momentum or beta1 after construction and each step). ReduceLROnPlateau gets "metrics",
one per step. SequentialLR's "options" hold "schedulers" (name + options) and "milestones".
Learning rates are plain double arithmetic in both libraries (same libm): compared exactly.
"""
import copy
import warnings

import torch
from torch.optim import lr_scheduler as S

from generate import enc_tensor, seeded, write

OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
}

# (name, optimizer, constructor defaults, per-group overrides or None)
OPTION_SETS = [
    ("sgd_plain", "sgd", {"lr": 0.1}, None),
    ("sgd_momentum", "sgd", {"lr": 0.1, "momentum": 0.9}, None),
    ("sgd_dampening_wd", "sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}, None),
    ("sgd_nesterov_wd", "sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001}, None),
    ("sgd_maximize", "sgd", {"lr": 0.1, "momentum": 0.5, "maximize": True}, None),
    ("adam_default", "adam", {"lr": 0.01}, None),
    ("adam_amsgrad_wd", "adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.1}, None),
    ("adam_betas_eps_maximize", "adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "maximize": True}, None),
    ("adamw_default", "adamw", {"lr": 0.01}, None),
    ("adamw_amsgrad_wd", "adamw", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.1}, None),
    ("adamw_maximize", "adamw", {"lr": 0.01, "betas": (0.85, 0.995), "maximize": True}, None),
    ("rmsprop_default", "rmsprop", {"lr": 0.01}, None),
    ("rmsprop_centered_momentum", "rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.9}, None),
    ("rmsprop_alpha_wd_maximize", "rmsprop", {"lr": 0.02, "alpha": 0.9, "weight_decay": 0.1, "eps": 1e-6, "maximize": True}, None),
    ("rmsprop_momentum", "rmsprop", {"lr": 0.01, "momentum": 0.5}, None),
    ("adagrad_default", "adagrad", {"lr": 0.1}, None),
    ("adagrad_decay_init_wd", "adagrad", {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.5, "weight_decay": 0.05}, None),
    ("adagrad_maximize_eps", "adagrad", {"lr": 0.05, "eps": 1e-6, "maximize": True}, None),
    # Parameter groups with their own options (the second group overrides some defaults).
    ("sgd_groups", "sgd", {"lr": 0.1, "momentum": 0.9}, [{}, {"lr": 0.01, "nesterov": True}]),
    ("adam_groups", "adam", {"lr": 0.01}, [{"weight_decay": 0.05}, {"lr": 0.001, "amsgrad": True, "betas": (0.5, 0.9)}]),
    ("rmsprop_groups", "rmsprop", {"lr": 0.01}, [{"centered": True}, {"momentum": 0.9, "alpha": 0.5}]),
]

SHAPES = [(3, 4), (5,), (2, 1, 3)]
STEPS = 5
RESUME_AT = 3


def _plain(options):
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()}


def _groups(overrides):
    if overrides is None:
        return [{"options": {}, "params": list(range(len(SHAPES)))}]
    # Group 0 takes parameters 0 and 1, group 1 parameter 2.
    return [{"options": overrides[0], "params": [0, 1]}, {"options": overrides[1], "params": [2]}]


def _run(opt_name, defaults, groups, start, grads, dtype):
    params = [p.clone().to(dtype).requires_grad_(True) for p in start]
    torch_groups = [dict(g["options"], params=[params[i] for i in g["params"]]) for g in groups]
    opt = OPTIMIZERS[opt_name](torch_groups, **defaults, foreach=False)
    out = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.to(dtype).clone()
        opt.step()
        out.append([p.detach().clone() for p in params])
    return out


def _optimizer_case(name, opt_name, defaults, overrides, dtype_name):
    dtype = torch.float32 if dtype_name == "float32" else torch.float64
    start = [torch.randn(s, dtype=torch.float64).to(dtype) for s in SHAPES]
    grads = [[torch.randn(s, dtype=torch.float64).to(dtype) for s in SHAPES] for _ in range(STEPS)]
    groups = _groups(overrides)
    traj = _run(opt_name, defaults, groups, start, grads, dtype)
    ref64 = _run(opt_name, defaults, groups, start, grads, torch.float64) if dtype == torch.float32 else None
    case = {
        "kind": "optimizer",
        "name": f"{name}_{dtype_name}",
        "optimizer": opt_name,
        "dtype": dtype_name,
        "defaults": _plain(defaults),
        "groups": [{"options": _plain(g["options"]), "params": g["params"]} for g in groups],
        "params": [enc_tensor(p) for p in start],
        "grads": [[enc_tensor(g) for g in step] for step in grads],
        "resume_at": RESUME_AT,
        "steps": [],
    }
    prev = [p.to(torch.float64) for p in start]
    scale = [torch.zeros(s, dtype=torch.float64) for s in SHAPES]
    for k, after in enumerate(traj):
        now = [p.to(torch.float64) for p in after]
        scale = [torch.maximum(sc, b.abs() + (a - b).abs()) for sc, b, a in zip(scale, prev, now)]
        eps = torch.finfo(dtype).eps
        bound = [4 * (k + 1) * eps * sc for sc in scale]
        if ref64 is not None:
            bound = [b + 2 * (a - r).abs() for b, a, r in zip(bound, now, ref64[k])]
        case["steps"].append({"expected": [enc_tensor(p) for p in after], "bound": [enc_tensor(b) for b in bound]})
        prev = now
    return case


def _make_optimizer(kind, lrs):
    params = [torch.zeros(2, requires_grad=True) for _ in lrs]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, lrs)]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=lrs[0], momentum=0.9)
    return torch.optim.Adam(groups, lr=lrs[0])


SCHEDULERS = {
    "StepLR": S.StepLR, "MultiStepLR": S.MultiStepLR, "ExponentialLR": S.ExponentialLR,
    "CosineAnnealingLR": S.CosineAnnealingLR, "CosineAnnealingWarmRestarts": S.CosineAnnealingWarmRestarts,
    "OneCycleLR": S.OneCycleLR, "LinearLR": S.LinearLR, "LambdaLR": S.LambdaLR,
}

# Named lambdas for LambdaLR (the C# test defines the same functions by name).
LAMBDAS = {
    "warmup_then_decay": lambda e: (e + 1) / 4 if e < 3 else 0.9 ** (e - 3),
    "inverse_sqrt": lambda e: 1.0 / (1.0 + e) ** 0.5,
}


def _build(name, opt, options):
    o = dict(options)
    if name == "LambdaLR":
        o["lr_lambda"] = LAMBDAS[o.pop("lr_lambda")]
    if name == "SequentialLR":
        subs = [_build(s["scheduler"], opt, s["options"]) for s in o["schedulers"]]
        return S.SequentialLR(opt, subs, milestones=o["milestones"])
    return SCHEDULERS[name](opt, **o)


def _momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


SCHEDULER_CASES = [
    ("step_lr", "StepLR", {"step_size": 3, "gamma": 0.5}, "sgd", [0.1], 12),
    ("step_lr_groups", "StepLR", {"step_size": 2}, "adam", [0.1, 0.02], 8),
    ("multistep_lr", "MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3}, "sgd", [0.1, 0.5], 12),
    ("exponential_lr", "ExponentialLR", {"gamma": 0.9}, "sgd", [0.1], 10),
    ("cosine_annealing_lr", "CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}, "sgd", [0.1, 0.05], 30),
    ("cosine_annealing_lr_zero_min", "CosineAnnealingLR", {"T_max": 4}, "adam", [0.01], 12),
    ("cosine_warm_restarts", "CosineAnnealingWarmRestarts", {"T_0": 3, "eta_min": 0.001}, "sgd", [0.1], 12),
    ("cosine_warm_restarts_mult", "CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 2}, "sgd", [0.1, 0.3], 20),
    ("one_cycle_cos", "OneCycleLR", {"max_lr": 0.1, "total_steps": 20}, "sgd", [0.1], 19),
    ("one_cycle_linear_adam", "OneCycleLR", {"max_lr": 0.05, "total_steps": 15, "anneal_strategy": "linear", "pct_start": 0.4},
     "adam", [0.1, 0.2], 14),
    ("one_cycle_three_phase", "OneCycleLR", {"max_lr": 0.2, "epochs": 4, "steps_per_epoch": 5, "three_phase": True,
                                             "div_factor": 10.0, "final_div_factor": 100.0}, "sgd", [0.1], 19),
    ("one_cycle_no_momentum", "OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "cycle_momentum": False}, "sgd", [0.1], 9),
    ("linear_lr", "LinearLR", {"start_factor": 0.25, "total_iters": 4}, "sgd", [0.1], 8),
    ("linear_lr_decay", "LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 6}, "adam", [0.1, 0.01], 9),
    ("lambda_lr", "LambdaLR", {"lr_lambda": "warmup_then_decay"}, "sgd", [0.1, 0.2], 10),
    ("lambda_lr_sqrt", "LambdaLR", {"lr_lambda": "inverse_sqrt"}, "adam", [0.01], 10),
    ("sequential_warmup_cosine", "SequentialLR",
     {"schedulers": [{"scheduler": "LinearLR", "options": {"start_factor": 0.1, "total_iters": 3}},
                     {"scheduler": "CosineAnnealingLR", "options": {"T_max": 6}}], "milestones": [3]}, "sgd", [0.1], 12),
    ("sequential_three", "SequentialLR",
     {"schedulers": [{"scheduler": "ExponentialLR", "options": {"gamma": 0.9}},
                     {"scheduler": "StepLR", "options": {"step_size": 2, "gamma": 0.5}},
                     {"scheduler": "MultiStepLR", "options": {"milestones": [1, 3], "gamma": 0.1}}], "milestones": [4, 8]},
     "adam", [0.1, 0.05], 14),
]

PLATEAU_CASES = [
    ("plateau_min_rel", {"patience": 2, "factor": 0.5}, [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.8, 0.85, 0.86, 0.87, 0.88, 0.7]),
    ("plateau_max_abs_cooldown", {"mode": "max", "threshold_mode": "abs", "threshold": 0.05, "patience": 1, "cooldown": 2,
                                  "factor": 0.2, "min_lr": 0.003},
     [0.1, 0.12, 0.13, 0.2, 0.21, 0.22, 0.23, 0.24, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3]),
    ("plateau_min_abs_eps", {"threshold_mode": "abs", "threshold": 0.1, "patience": 0, "factor": 0.9, "eps": 0.005},
     [5.0, 4.95, 4.9, 4.0, 3.99, 3.98, 3.97, 3.96, 3.95]),
    ("plateau_max_rel_min_lrs", {"mode": "max", "patience": 1, "min_lr": [0.05, 0.001]}, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
]


def _scheduler_case(name, sched, options, opt_kind, lrs, steps):
    opt = _make_optimizer(opt_kind, lrs)
    s = _build(sched, opt, options)
    values, momenta = [list(s.get_last_lr())], [_momenta(opt)]
    for _ in range(steps):
        opt.step()
        s.step()
        values.append(list(s.get_last_lr()))
        momenta.append(_momenta(opt))
    case = {"kind": "scheduler", "name": name, "scheduler": sched, "options": copy.deepcopy(options), "optimizer": opt_kind,
            "group_lrs": lrs, "steps": steps, "lrs": values}
    if sched == "OneCycleLR":
        case["momenta"] = momenta
    return case


def _plateau_case(name, options, metrics):
    lrs = [0.1, 0.01] if isinstance(options.get("min_lr"), list) else [0.1]
    opt = _make_optimizer("sgd", lrs)
    s = S.ReduceLROnPlateau(opt, **options)
    values = [[g["lr"] for g in opt.param_groups]]
    for m in metrics:
        opt.step()
        s.step(m)
        values.append(list(s._last_lr))
    return {"kind": "scheduler", "name": name, "scheduler": "ReduceLROnPlateau", "options": options, "optimizer": "sgd",
            "group_lrs": lrs, "steps": len(metrics), "metrics": metrics, "lrs": values}


def generate():
    # SequentialLR calls step(0) at its milestones, which 1.13 reports as deprecated; expected here.
    warnings.filterwarnings("ignore", message="The epoch parameter")
    seeded(5005)
    cases = []
    for name, opt_name, defaults, overrides in OPTION_SETS:
        for dtype_name in ("float32", "float64"):
            cases.append(_optimizer_case(name, opt_name, defaults, overrides, dtype_name))
    for args in SCHEDULER_CASES:
        cases.append(_scheduler_case(*args))
    for args in PLATEAU_CASES:
        cases.append(_plateau_case(*args))
    write("optim.json", cases)
