#!/usr/bin/python3
"""The GPT-2-small training step of bench/gpt2/Program.cs in PyTorch: the same model from the same
layers (nn.TransformerEncoderLayer, pre-norm, GELU, no dropout, a causal mask, the LM head tied to
the token embedding, embeddings initialised with std 0.02), the same loss, AdamW and timing
(3 warm-up steps, then N timed steps, each ending with the loss read back). Takes the same
options and prints the same lines."""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Gpt2(nn.Module):
    def __init__(self, vocab, ctx, d_model, heads, layers):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(ctx, d_model)
        block = nn.TransformerEncoderLayer(d_model, heads, 4 * d_model, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(d_model)
        nn.init.normal_(self.wte.weight, 0.0, 0.02)
        nn.init.normal_(self.wpe.weight, 0.0, 0.02)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(t, device=ids.device))
        causal = torch.ones(t, t, dtype=torch.bool, device=ids.device).triu(1)
        return F.linear(self.ln_f(self.blocks(x, causal)), self.wte.weight)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--device", default="cuda")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--ctx", type=int, default=1024)
    p.add_argument("--layers", type=int, default=12)
    p.add_argument("--d-model", type=int, default=768)
    p.add_argument("--heads", type=int, default=12)
    p.add_argument("--vocab", type=int, default=50257)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--bf16", action="store_true")
    a = p.parse_args()
    torch.manual_seed(0)
    model = Gpt2(a.vocab, a.ctx, a.d_model, a.heads, a.layers).to(a.device)
    count = sum(q.numel() for q in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.1)
    tokens = torch.randint(0, a.vocab, (a.batch, a.ctx + 1), device=a.device)
    inp, target = tokens[:, :-1], tokens[:, 1:]

    def step():
        with torch.autocast(device_type=a.device, dtype=torch.bfloat16, enabled=a.bf16):
            logits = model(inp)
            loss = F.cross_entropy(logits.reshape(-1, a.vocab).float(), target.reshape(-1))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.item()

    for _ in range(3):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        loss = step()
    seconds = time.perf_counter() - t0
    print(f"parameters {count}")
    print(f"loss {loss:.4f}")
    print(f"tokens_per_s {a.steps * a.batch * a.ctx / seconds:.1f}")


if __name__ == "__main__":
    main()
