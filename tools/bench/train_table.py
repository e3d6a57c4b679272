#!/usr/bin/env python3
"""Medians and per-round ratios of a training comparison (tools/bench/compare-train.sh).

    tools/bench/train_table.py RESULTS_OR_LOG

Reads either the script's result lines (`R SIDE METHOD DTYPE TOKENS_PER_S OPTIMIZER_MS [LOSS]`) or the `round …` lines it
prints into its log, so the tables of an interrupted run (rounds that finished) come from the same code.
Rounds where one side is missing are left out of that cell's ratios.
"""
import statistics, sys
runs, opt, loss = {}, {}, {}
for line in open(sys.argv[1]):
    fields = line.split()
    if fields and fields[0] == "round":      # a log's line: round R  SIDE METHOD DTYPE TPS tokens/s  optimizer MS ms/step ...
        fields = fields[1:6] + [fields[8]] + ([fields[11]] if len(fields) > 11 and fields[10] == "loss" else [])
    if len(fields) < 6 or not fields[0].isdigit():
        continue
    r, side, method, dtype, tps, ms = fields[:6]
    runs.setdefault((side, method, dtype), {})[int(r)] = float(tps)
    opt.setdefault((side, method, dtype), []).append(float(ms))
    if len(fields) > 6:
        loss.setdefault((side, method, dtype), []).append(float(fields[6]))
dtypes = sorted({k[2] for k in runs}, key=lambda d: d != "float32")
med = lambda k: statistics.median(runs[k].values())
last = lambda k: f"{statistics.median(loss[k]):.4f}" if k in loss else "–"
print("| method | dtype | ForgetLab tokens/s (median) | PyTorch tokens/s (median) | ForgetLab/PyTorch | per-round ratios | ForgetLab optimizer ms/step | PyTorch optimizer ms/step | ForgetLab last loss | PyTorch last loss |")
print("|---|---|---:|---:|---:|---|---:|---:|---:|---:|")
for method in ("full", "lora-r8"):
    for dtype in dtypes:
        if ("forgetlab", method, dtype) not in runs or ("pytorch", method, dtype) not in runs:
            continue
        o, t = runs[("forgetlab", method, dtype)], runs[("pytorch", method, dtype)]
        paired = ", ".join(f"{o[r] / t[r]:.2f}" for r in sorted(o) if r in t)
        print(f"| {method} | {dtype} | {med(('forgetlab', method, dtype)):,.0f} | {med(('pytorch', method, dtype)):,.0f} | "
              f"**{med(('forgetlab', method, dtype)) / med(('pytorch', method, dtype)):.2f}** | {paired} | "
              f"{statistics.median(opt[('forgetlab', method, dtype)]):.2f} | {statistics.median(opt[('pytorch', method, dtype)]):.2f} | "
              f"{last(('forgetlab', method, dtype))} | {last(('pytorch', method, dtype))} |")
if "bfloat16" in dtypes and "float32" in dtypes:
    print()
    print("| method | side | bfloat16/float32 (medians) | per-round |")
    print("|---|---|---:|---|")
    for method in ("full", "lora-r8"):
        for side in ("forgetlab", "pytorch"):
            if (side, method, "bfloat16") not in runs or (side, method, "float32") not in runs:
                continue
            b, f = runs[(side, method, "bfloat16")], runs[(side, method, "float32")]
            print(f"| {method} | {side} | {statistics.median(b.values()) / statistics.median(f.values()):.2f} | "
                  + ", ".join(f"{b[r] / f[r]:.2f}" for r in sorted(b) if r in f) + " |")
