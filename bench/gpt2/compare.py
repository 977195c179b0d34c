#!/usr/bin/python3
"""GPT-2-small training steps: Compute (bench/gpt2, C#) beside PyTorch (gpt2_torch.py) on one
device, in tokens per second, float32 and bfloat16 autocast, with the ratio Compute / PyTorch
(above 1: Compute is faster).

    python3 bench/gpt2/compare.py --program PATH/Gpt2 [--device cuda|cpu] [-- OPTIONS]

OPTIONS go to both sides (e.g. --batch 4 --steps 20; on the CPU a small shape such as
--ctx 32 --layers 2 --d-model 64 --heads 4 --vocab 100 makes a dry run)."""
import argparse
import datetime
import os
import subprocess
import sys

import torch


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed ({r.returncode}): {r.stderr.strip()[-2000:]}")
    return dict(line.split(" ", 1) for line in r.stdout.splitlines() if " " in line)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--program", required=True, help="the bench/gpt2 program (Gpt2)")
    p.add_argument("--device", choices=["cuda", "cpu"], default="cuda")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    a = p.parse_args()
    rest = [x for x in a.rest if x != "--"]
    here = os.path.dirname(os.path.abspath(__file__))
    print(f"date: {datetime.date.today().isoformat()}, PyTorch {torch.__version__}")
    if a.device == "cuda":
        props = torch.cuda.get_device_properties(0)
        print(f"GPU: {props.name}, PyTorch's CUDA {torch.version.cuda}")
    print(f"{'precision':10} {'Compute tok/s':>14} {'PyTorch tok/s':>14} {'ratio':>6}  parameters, final loss (Compute / PyTorch)")
    for label, flag in (("float32", []), ("bf16", ["--bf16"])):
        ours = run([a.program, "--device", a.device, *flag, *rest])
        theirs = run([sys.executable, os.path.join(here, "gpt2_torch.py"), "--device", a.device, *flag, *rest])
        c, t = float(ours["tokens_per_s"]), float(theirs["tokens_per_s"])
        print(f"{label:10} {c:14.1f} {t:14.1f} {c / t:6.2f}  {ours['parameters']} / {theirs['parameters']}, "
              f"{ours['loss']} / {theirs['loss']}", flush=True)


if __name__ == "__main__":
    main()
