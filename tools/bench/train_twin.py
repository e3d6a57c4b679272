#!/usr/bin/env python3
"""PyTorch twin of `forgetlab bench train` (src/ForgetLab.Lab/Benchmarks/TrainingBenchmark.cs).

Same model and loop as ForgetLab's benchmark, written nanoGPT style:
GPT-2 layout (pre-norm blocks, fused c_attn, Conv1D weights stored (in, out), tanh GELU,
LM head tied to wte), vocab 512, n_embd 256, 4 layers, 4 heads, context 128, dropout 0;
batch 16 of uniformly random tokens (fresh input and target every step), cross-entropy,
AdamW(lr 1e-4, wd 0.01), grad-norm clip 1.0; 5 warm-up steps, then 30 timed steps.
Methods: full fine-tuning, and LoRA r=8 alpha=16 on c_attn/c_proj/c_fc with the base frozen.

Each method and dtype prints one parseable line:
    TWIN method=full dtype=float32 params=3313664 threads=2 steps=30 seconds=12.345 tokens_per_s=4977.1 optimizer_ms=3.21

--dtypes bfloat16 runs the forward and the loss under torch.autocast('cpu', dtype=torch.bfloat16), as
PyTorch's CPU mixed precision recipe does (weights, gradients and AdamW state stay float32); the optimizer
step is also timed on its own (torch.optim.AdamW, foreach=None: 1.13 picks the per-parameter loop on CPU).

Attention: PyTorch 1.13 (Debian 12's python3-torch) has no F.scaled_dot_product_attention (it
arrived in 2.0), so this uses the explicit masked-softmax attention (q·kᵀ/√d, causal mask,
softmax, ·v). ForgetLab calls SDPA(is_causal) from libtorch 2.10, which on CPU may run a fused
kernel; the twin materialises the (B, nh, T, T) scores instead. With T = 128 that is a small
share of the FLOPs, but it is a real difference between the two sides.

Run with the system interpreter (/usr/bin/python3) and OpenBLAS; tools/bench/compare-train.sh does both.
"""
import argparse
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    vocab_size = 512
    n_positions = 128
    n_embd = 256
    n_layer = 4
    n_head = 4
    dropout = 0.0
    layer_norm_epsilon = 1e-5
    initializer_range = 0.02


class Conv1D(nn.Module):
    """GPT-2's Conv1D: y = x·W + b with W stored (in, out); optional PEFT-style LoRA (A (r, in), B (out, r))."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.n_in, self.n_out = n_in, n_out
        self.weight = nn.Parameter(torch.empty(n_in, n_out))
        self.bias = nn.Parameter(torch.zeros(n_out))
        self.lora_A = None
        self.lora_B = None
        self.lora_scaling = 0.0

    def attach_lora(self, rank, scaling):
        self.lora_A = nn.Linear(self.n_in, rank, bias=False)   # Kaiming-uniform, as PyTorch's default
        self.lora_B = nn.Linear(rank, self.n_out, bias=False)
        with torch.no_grad():
            self.lora_B.weight.zero_()
        self.lora_scaling = scaling

    def forward(self, x):
        shape = x.shape[:-1] + (self.n_out,)
        flat = x.reshape(-1, self.n_in)
        y = torch.addmm(self.bias, flat, self.weight)
        if self.lora_A is not None:
            y = y.add_(self.lora_B(self.lora_A(flat)).mul_(self.lora_scaling))
        return y.view(shape)


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_attn = Conv1D(cfg.n_embd, 3 * cfg.n_embd)
        self.c_proj = Conv1D(cfg.n_embd, cfg.n_embd)
        self.attn_dropout = nn.Dropout(cfg.dropout)
        self.resid_dropout = nn.Dropout(cfg.dropout)
        self.n_head = cfg.n_head
        t = cfg.n_positions
        self.register_buffer("mask", torch.tril(torch.ones(t, t, dtype=torch.bool)).view(1, 1, t, t), persistent=False)

    def forward(self, x):
        b, t, c = x.shape
        hs = c // self.n_head
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, self.n_head, hs).transpose(1, 2)   # (B, nh, T, hs)
        k = k.view(b, t, self.n_head, hs).transpose(1, 2)
        v = v.view(b, t, self.n_head, hs).transpose(1, 2)
        # No F.scaled_dot_product_attention in PyTorch 1.13: explicit causal masked softmax.
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))            # (B, nh, T, T)
        att = att.masked_fill(~self.mask[:, :, :t, :t], float("-inf"))
        att = self.attn_dropout(F.softmax(att, dim=-1))
        y = att @ v                                                        # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        return self.resid_dropout(self.c_proj(y))


class Mlp(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = Conv1D(cfg.n_embd, 4 * cfg.n_embd)
        self.c_proj = Conv1D(4 * cfg.n_embd, cfg.n_embd)
        self.dropout = nn.Dropout(cfg.dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(F.gelu(self.c_fc(x), approximate="tanh")))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon)
        self.mlp = Mlp(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(cfg.vocab_size, cfg.n_embd),
            wpe=nn.Embedding(cfg.n_positions, cfg.n_embd),
            drop=nn.Dropout(cfg.dropout),
            h=nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)]),
            ln_f=nn.LayerNorm(cfg.n_embd, eps=cfg.layer_norm_epsilon),
        ))
        self._init_weights()

    def _init_weights(self):
        # Same rule as GptModel.Initialise: biases 0, LayerNorm weights 1,
        # c_proj weights N(0, 0.02/sqrt(2·n_layer)), everything else N(0, 0.02).
        std = self.cfg.initializer_range
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith(".bias"):
                    p.zero_()
                elif ".ln_" in name:
                    p.fill_(1.0)
                elif name.endswith("c_proj.weight"):
                    p.normal_(0, std / math.sqrt(2.0 * self.cfg.n_layer))
                else:
                    p.normal_(0, std)

    def forward(self, idx):
        t = idx.shape[1]
        tr = self.transformer
        pos = torch.arange(t, dtype=torch.long, device=idx.device)
        x = tr.drop(tr.wte(idx) + tr.wpe(pos))
        for block in tr.h:
            x = block(x)
        x = tr.ln_f(x)
        return x @ tr.wte.weight.t()   # tied LM head, (B, T, V)


def apply_lora(model, rank=8, alpha=16, targets=("c_attn", "c_proj", "c_fc")):
    layers = [m for n, m in model.named_modules() if isinstance(m, Conv1D) and n.split(".")[-1] in targets]
    for p in model.parameters():
        p.requires_grad_(False)
    trainable = []
    for layer in layers:
        layer.attach_lora(rank, alpha / rank)
        trainable += [layer.lora_A.weight, layer.lora_B.weight]
    for p in trainable:
        p.requires_grad_(True)
    return trainable


def run(lora, steps, warmup, batch_size, dtype="float32"):
    torch.manual_seed(0)
    cfg = Config()
    model = GPT(cfg)
    trainable = apply_lora(model) if lora else list(model.parameters())
    optimizer = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=0.01)
    model.train()
    start = None
    optimizer_seconds = 0.0
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
        x = torch.randint(0, cfg.vocab_size, (batch_size, cfg.n_positions))
        y = torch.randint(0, cfg.vocab_size, (batch_size, cfg.n_positions))
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=dtype == "bfloat16"):
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, cfg.vocab_size), y.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        before = time.perf_counter()
        optimizer.step()
        if step >= warmup:
            optimizer_seconds += time.perf_counter() - before
    seconds = time.perf_counter() - start
    tokens = steps * batch_size * cfg.n_positions
    params = sum(p.numel() for p in model.parameters())
    return dict(method="lora-r8" if lora else "full", dtype=dtype, optimizer_ms=optimizer_seconds * 1000 / steps, params=params, threads=torch.get_num_threads(),
                steps=steps, seconds=seconds, tokens_per_s=tokens / seconds, loss=loss.item())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--methods", default="full,lora", help="comma list of full, lora")
    ap.add_argument("--dtypes", default="float32", help="comma list of float32, bfloat16 (autocast)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    print(f"# torch {torch.__version__}, python {sys.version.split()[0]}, threads {torch.get_num_threads()}", flush=True)
    for d in args.dtypes.split(","):
        for m in args.methods.split(","):
            r = run(m == "lora", args.steps, args.warmup, args.batch, d)
            print("TWIN method={method} dtype={dtype} params={params} threads={threads} steps={steps} "
                  "seconds={seconds:.3f} tokens_per_s={tokens_per_s:.1f} optimizer_ms={optimizer_ms:.2f} loss={loss:.4f}".format(**r), flush=True)


if __name__ == "__main__":
    main()
