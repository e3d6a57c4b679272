#!/usr/bin/env python3
"""The evidence section of docs/rl.md, computed from the lab's own outputs of the three reward fine-tuning examples.

Reads docs/runs/{reward-hacking,rl-vs-sft,update-strategy}/report.json, or their seed*/report.json when an example was
run one slice per process (tools/rl-evidence/slice.py; each run's rl_log.json beside it), and the rl-vs-sft pilots
(docs/runs/rl-vs-sft-pilot*/, the settings search for the RL arm, with the choice its pre-declared rule makes), writes
the figures to docs/plots/rl-*.svg and the tables and numeric sentences to docs/runs/rl-evidence.md, which docs/rl.md
includes between its evidence markers. Nothing here is typed by hand: rerun it after rerunning an example.

    python3 tools/rl-evidence/analyse.py            # from the repository root

Statistics (stdlib only): means over seeds with Student-t 95% intervals; paired (same seed) differences for
repairs; Spearman's rank correlation (average ranks for ties) with a percentile bootstrap over runs (10,000
resamples, seeded); RL against SFT at matched target accuracy by the SFT checkpoint nearest in target accuracy. The
verdicts are written from the same numbers by stated rules (a difference counts when its interval excludes 0).
"""
import json
import math
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Optional arguments (to try it on a scratch folder): RUNS_DIR PLOTS_DIR.
RUNS = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "runs"
PLOTS = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "plots"
KNOWLEDGE = "capitals_recall"
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


# ---------------------------------------------------------------- reading

def runs_from_checkpoints(part):
    """A slice whose process was stopped before it wrote report.json: its finished runs, from the lab's per-checkpoint
    reports (runs/NAME/step-N/checkpoint-report.json, the same records report.json lists), named by run name."""
    runs = []
    for folder in sorted((part / "runs").glob("*")):
        name = folder.name
        fields = dict(re.findall(r"(?:^|-)(lr|steps|seed|b|ptx)([0-9.]+(?:e-?[0-9]+)?)(?=-|$)", name))
        steps = int(fields.get("steps", "0"))
        checkpoints = sorted((json.loads(f.read_text(encoding="utf-8")) for f in folder.glob("step-*/checkpoint-report.json")), key=lambda c: c["step"])
        if not checkpoints or checkpoints[-1]["step"] != steps:
            continue
        final = next(x for x in checkpoints[-1]["suites"] if x["suite"] == KNOWLEDGE)
        runs.append({
            "name": name, "status": "completed", "checkpoints": checkpoints, "suites": checkpoints[-1]["suites"],
            "severity": (final["severity"] or "none") + " (suite)",
            "hyperparameters": {"seed": fields.get("seed"), "lr": fields.get("lr"), "steps": fields.get("steps"),
                                "rl_beta": fields.get("b", "0"), "rl_ptx_coef": fields.get("ptx", "0")},
            "from_checkpoints": True,
        })
    return runs


def load(example):
    """The example's report, or the union of its slices' reports (seed1/, seed1-beta0/, … when it was run as several
    processes); a slice stopped before its report was written contributes its finished runs' checkpoint reports."""
    folder = RUNS / example
    parts = [folder] if (folder / "report.json").exists() else sorted(p for p in folder.glob("seed*") if p.is_dir())
    report = None
    for part in parts:
        if (part / "report.json").exists():
            one = json.loads((part / "report.json").read_text(encoding="utf-8"))
        else:
            one = {"spec_name": example, "runs": runs_from_checkpoints(part)}
        for run in one["runs"]:
            log = part / "runs" / run["name"] / "rl_log.json"
            run["rl_log"] = json.loads(log.read_text(encoding="utf-8")) if log.exists() else None
        if report is None:
            report = one
        else:
            report["runs"].extend(one["runs"])
    return report if report and report["runs"] else None


def element_numbers():
    """examples/rl-vs-sft.yaml on atomic numbers (the third plan in docs/rl.md: GRPO on every target line, 8 prompts a
    step), run one slice per process (docs/runs/rl-vs-sft-element-numbers/seed*/, `slice.py … seed=N variants=NAME`)."""
    return load("rl-vs-sft-element-numbers")


def suite(checkpoint_or_run, name):
    return next((s for s in checkpoint_or_run["suites"] if s["suite"] == name), None)


def kl_suite(checkpoint):
    return next((s for s in checkpoint["suites"] if s["suite"].startswith("kl_target_")), None)


def drop(checkpoint):
    """Knowledge drop in points (positive = forgotten), capitals recall."""
    return -suite(checkpoint, KNOWLEDGE)["delta_points"]


def last(run):
    return run["checkpoints"][-1]


def hp(run, key, default=None):
    return run["hyperparameters"].get(key, default)


# ---------------------------------------------------------------- statistics

def mean(xs):
    return sum(xs) / len(xs)


def ci(xs):
    """Mean and the half-width of its Student-t 95% interval (None for one value)."""
    m = mean(xs)
    if len(xs) < 2:
        return m, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))
    return m, T95.get(len(xs) - 1, 1.96) * sd / math.sqrt(len(xs))


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def pearson(xs, ys):
    mx, my = mean(xs), mean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return float("nan") if sxx == 0 or syy == 0 else sxy / math.sqrt(sxx * syy)


def spearman(xs, ys):
    return pearson(ranks(xs), ranks(ys))


def spearman_ci(xs, ys, resamples=10000, seed=14):
    rnd = random.Random(seed)
    n = len(xs)
    values = []
    for _ in range(resamples):
        idx = [rnd.randrange(n) for _ in range(n)]
        r = spearman([xs[i] for i in idx], [ys[i] for i in idx])
        if not math.isnan(r):
            values.append(r)
    values.sort()
    if not values:
        return float("nan"), float("nan"), 0
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1], len(values)


def fmt(m, h, digits=1):
    return f"{m:.{digits}f}" if h is None else f"{m:.{digits}f} ± {h:.{digits}f}"


# ---------------------------------------------------------------- SVG (the manner of src/ForgetLab.Core/Plots/SvgChart.cs)

def svg_chart(title, xlabel, ylabel, series, notes=(), logx=False, width=820, height=480):
    """series: [{name, points: [(x, y, yerr|None, label|None)], line, color, dashed}]"""
    left, right, top, bottom = 70, 270, 40, 56
    pts = [(p[0], p[1] - (p[2] or 0)) for s in series for p in s["points"]] + \
          [(p[0], p[1] + (p[2] or 0)) for s in series for p in s["points"]]
    pts = [p for p in pts if not logx or p[0] > 0]
    xs = [p[0] for p in pts] or [0, 1]
    ys = [p[1] for p in pts] or [0, 1]

    def span(lo, hi, log):
        if log:
            lo, hi = math.log10(lo), math.log10(hi)
        if hi == lo:
            hi, lo = hi + 0.5, lo - 0.5
        pad = (hi - lo) * 0.06
        return lo - pad, hi + pad

    x0, x1 = span(min(xs), max(xs), logx)
    y0, y1 = span(min(ys), max(ys), False)

    def px(x):
        v = math.log10(x) if logx else x
        return left + (v - x0) / (x1 - x0) * (width - left - right)

    def py(y):
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    def ticks(lo, hi, log):
        if log:
            return [10 ** e for e in range(math.floor(lo), math.ceil(hi) + 1) if lo <= e <= hi]
        raw = (hi - lo) / 6
        mag = 10 ** math.floor(math.log10(raw))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
        t = math.ceil(lo / step) * step
        out = []
        while t <= hi + 1e-12:
            out.append(round(t, 10))
            t += step
        return out

    def esc(s):
        return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def tick_text(t):
        return f"{t:g}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{esc(title)}</text>']
    pr, pb = width - right, height - bottom
    for t in ticks(x0, x1, logx):
        x = px(t)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{pb}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{x:.1f}" y="{pb + 16}" text-anchor="middle">{tick_text(t)}</text>')
    for t in ticks(y0, y1, False):
        y = py(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{pr}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick_text(t)}</text>')
    out.append(f'<rect x="{left}" y="{top}" width="{pr - left}" height="{pb - top}" fill="none" stroke="#333"/>')
    out.append(f'<text x="{(left + pr) / 2}" y="{height - 14}" text-anchor="middle">{esc(xlabel)}</text>')
    out.append(f'<text transform="translate(18 {(top + pb) / 2}) rotate(-90)" text-anchor="middle">{esc(ylabel)}</text>')
    for i, s in enumerate(series):
        color = s.get("color") or PALETTE[i % len(PALETTE)]
        p = [q for q in s["points"] if not logx or q[0] > 0]
        if s.get("line") and len(p) > 1:
            d = " ".join(f"{px(q[0]):.1f},{py(q[1]):.1f}" for q in p)
            dash = ' stroke-dasharray="5 4"' if s.get("dashed") else ""
            out.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="1.5"{dash}/>')
        for q in p:
            x, y = px(q[0]), py(q[1])
            if q[2]:
                out.append(f'<line x1="{x:.1f}" y1="{py(q[1] - q[2]):.1f}" x2="{x:.1f}" y2="{py(q[1] + q[2]):.1f}" stroke="{color}"/>')
            if s.get("markers", True):
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s.get("r", 4)}" fill="{color}"/>')
            if len(q) > 3 and q[3]:
                out.append(f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="10" fill="{color}">{esc(q[3])}</text>')
    ly = top + 6
    for i, s in enumerate(series):
        if s.get("legend") is False:
            continue
        color = s.get("color") or PALETTE[i % len(PALETTE)]
        out.append(f'<circle cx="{pr + 18}" cy="{ly + 4}" r="4" fill="{color}"/>')
        out.append(f'<text x="{pr + 28}" y="{ly + 8}">{esc(s["name"])}</text>')
        ly += 18
    for line in notes:
        ly += 4
        out.append(f'<text x="{pr + 12}" y="{ly + 8}" font-size="11" fill="#333">{esc(line)}</text>')
        ly += 14
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_plot(name, svg):
    PLOTS.mkdir(parents=True, exist_ok=True)
    (PLOTS / name).write_text(svg, encoding="utf-8")


# ---------------------------------------------------------------- the examples

def base_reward(report):
    """The base policy's reward: every run's first sampled batch is drawn before any update."""
    firsts = [r["rl_log"][0]["reward"] for r in report["runs"] if r.get("rl_log")]
    return (mean(firsts), len(firsts)) if firsts else (float("nan"), 0)


def reward_hacking(report, md):
    b, n_first = base_reward(report)
    cells = {}
    for run in report["runs"]:
        key = (float(hp(run, "rl_beta")), float(hp(run, "rl_ptx_coef", "0")))
        cells.setdefault(key, []).append(run)
    keys = sorted(cells)
    seeds = sorted({int(hp(r, "seed")) for r in report["runs"]})
    base_recall = suite(last(report["runs"][0]), KNOWLEDGE)["base"]
    md.append(f"Base: capitals recall {base_recall:.1f}% (of {suite(last(report['runs'][0]), KNOWLEDGE)['n']} countries never prompted); "
              f"the format reward of the base's own samples {b:.3f} (mean of the first sampled batch of all {n_first} runs, 16 completions each). "
              f"Seeds {', '.join(map(str, seeds))}; cells are mean ± t 95% half-width over seeds.\n")
    md.append("| β | ptx | reward (train) | reward (held-out) | correctness | capitals recall Δ (pts) | recall Δ at step 10 (pts) | KL target (π‖base) | KL general | KL(base‖π) target prompts | severity (per seed) |")
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    summary = {}
    for key in keys:
        runs = sorted(cells[key], key=lambda r: int(hp(r, "seed")))
        rl = [last(r)["rl"] for r in runs]
        tr = ci([x["train_reward"]["mean"] for x in rl])
        ho = ci([x["held_out_reward"]["mean"] for x in rl])
        corr = ci([x["held_out_reward"]["components"].get("correctness", 0) for x in rl])
        d = ci([-drop(last(r)) for r in runs])
        mid = ci([-drop(r["checkpoints"][0]) for r in runs])
        klt = ci([x["kl_target_prompts"] for x in rl])
        klg = ci([x["kl_general_text"] for x in rl])
        kls = ci([kl_suite(last(r))["score"] for r in runs]) if all(kl_suite(last(r)) for r in runs) else None
        sev = ", ".join(r["severity"] for r in runs)
        summary[key] = {"runs": runs, "gain": [x["train_reward"]["mean"] - b for x in rl], "drop": [drop(last(r)) for r in runs]}
        md.append(f"| {key[0]:g} | {key[1]:g} | {fmt(*tr, 3)} | {fmt(*ho, 3)} | {fmt(*corr, 3)} | {fmt(*d)} | {fmt(*mid)} | {fmt(*klt, 3)} | {fmt(*klg, 3)} | {fmt(*kls, 3) if kls else '–'} | {sev} |")
    md.append("")
    md.append("Repairs against β 0 without the mix, paired by seed: knowledge repaired (points of the drop avoided) and reward given up "
              "(train reward lost), and the points repaired per 0.1 of reward given up (ratio of the means; ∞ when no reward was given up).\n")
    md.append("| repair | knowledge repaired (pts) | reward given up | pts repaired per 0.1 reward given up | reward gain kept |")
    md.append("|---|---:|---:|---:|---:|")
    ref = summary[(0.0, 0.0)]
    repairs = {}
    for key in keys:
        if key == (0.0, 0.0):
            continue
        s = summary[key]
        by_seed_ref = {int(hp(r, "seed")): (g, dd) for r, g, dd in zip(ref["runs"], ref["gain"], ref["drop"])}
        rep, lost, kept = [], [], []
        for r, g, dd in zip(s["runs"], s["gain"], s["drop"]):
            g0, d0 = by_seed_ref[int(hp(r, "seed"))]
            rep.append(d0 - dd)
            lost.append(g0 - g)
            kept.append(g / g0 if g0 else float("nan"))
        mr, ml = mean(rep), mean(lost)
        ratio = "∞ (no reward given up)" if ml <= 0 else f"{mr / ml * 0.1:.1f}"
        repairs[key] = (ci(rep), ci(lost), ratio, ci(kept))
        label = (f"β {key[0]:g}" if key[0] else "") + (" + " if key[0] and key[1] else "") + (f"ptx {key[1]:g}" if key[1] else "")
        md.append(f"| {label} | {fmt(*ci(rep))} | {fmt(*ci(lost), 3)} | {ratio} | {fmt(*ci(kept), 2)} |")
    md.append("")
    # The levers combined as well as apart: the mix's repair at each β, and each β's repair with and without the mix,
    # every difference paired by seed between two cells that differ in that one lever.
    betas = sorted({k[0] for k in keys})
    both = [bb for bb in betas if (bb, 0.0) in summary and (bb, 1.0) in summary]
    combined = {}
    if len(both) > 1:
        md.append("One lever on top of the other, paired by seed: the mix's repair at each β (cell β + ptx 1 against cell β), and β's repair "
                  "with the mix off and on (cell β against cell β 0 with the same mix).\n")
        md.append("| lever | added to | knowledge repaired (pts) | reward given up | pts repaired per 0.1 reward given up |")
        md.append("|---|---|---:|---:|---:|")

        def paired(a, b):
            sa, sb = summary[a], summary[b]
            by_seed = {int(hp(r, "seed")): (g, dd) for r, g, dd in zip(sa["runs"], sa["gain"], sa["drop"])}
            rep, lost = [], []
            for r, g, dd in zip(sb["runs"], sb["gain"], sb["drop"]):
                if int(hp(r, "seed")) in by_seed:
                    g0, d0 = by_seed[int(hp(r, "seed"))]
                    rep.append(d0 - dd)
                    lost.append(g0 - g)
            ml = mean(lost)
            return ci(rep), ci(lost), ("∞ (no reward given up)" if ml <= 0 else f"{mean(rep) / ml * 0.1:.1f}")

        for bb in both:
            rep, lost, ratio = paired((bb, 0.0), (bb, 1.0))
            combined[("ptx", bb)] = (rep, lost, ratio)
            md.append(f"| ptx 1 | β {bb:g} | {fmt(*rep)} | {fmt(*lost, 3)} | {ratio} |")
        for mix in (0.0, 1.0):
            for bb in both:
                if bb == 0.0 or (0.0, mix) not in summary:
                    continue
                rep, lost, ratio = paired((0.0, mix), (bb, mix))
                combined[("beta", bb, mix)] = (rep, lost, ratio)
                md.append(f"| β {bb:g} | {'ptx 1' if mix else 'no mix'} | {fmt(*rep)} | {fmt(*lost, 3)} | {ratio} |")
        md.append("")
    r0 = summary[(0.0, 0.0)]
    held = [last(r)["rl"]["held_out_reward"]["mean"] for r in r0["runs"]]
    sev0 = [r["severity"] for r in r0["runs"]]
    md.append(f"- β 0, no mix: capitals recall {fmt(*ci([suite(last(r), KNOWLEDGE)['score'] for r in r0['runs']]))}% after {last(r0['runs'][0])['step']} steps "
              f"(base {base_recall:.1f}%), drop {fmt(*ci(r0['drop']))} points, severity {', '.join(sev0)}; "
              f"held-out format reward {b:.3f} → {fmt(*ci(held), 3)}.")
    best_kl = max((k for k in repairs if k[1] == 0), key=lambda k: k[0], default=None)
    for key, (rep, lost, ratio, kept) in repairs.items():
        label = (f"β {key[0]:g}" if key[0] else "") + (" + " if key[0] and key[1] else "") + (f"ptx {key[1]:g}" if key[1] else "")
        md.append(f"- {label}: repaired {fmt(*rep)} points of the drop, gave up {fmt(*lost, 3)} of reward gain ({ratio} points per 0.1).")
    md.append("")

    # Figures: the front (reward gain vs knowledge drop), and the trajectory of reward and recall over steps.
    series = []
    for i, key in enumerate(keys):
        s = summary[key]
        g, gh = ci(s["gain"])
        dd, dh = ci(s["drop"])
        series.append({"name": f"β {key[0]:g}, ptx {key[1]:g}", "points": [(g, dd, dh, None)], "color": PALETTE[i], "r": 6})
        series.append({"name": "", "legend": False, "points": [(x, y, None, None) for x, y in zip(s["gain"], s["drop"])],
                       "color": PALETTE[i], "markers": True, "r": 2.5})
    write_plot("rl-reward-hacking-front.svg", svg_chart(
        "reward-hacking: reward gained against knowledge lost", "format reward gain (train, over the base's samples)",
        "capitals recall drop (points)", series, notes=["big dot: mean over seeds (t 95%)", "small: each seed", "lower right is better"]))

    series = []
    for i, key in enumerate(keys):
        runs = summary[key]["runs"]
        steps = [0] + [c["step"] for c in runs[0]["checkpoints"]]
        recall = [base_recall] + [mean([suite(r["checkpoints"][j], KNOWLEDGE)["score"] for r in runs]) for j in range(len(steps) - 1)]
        series.append({"name": f"recall, β {key[0]:g}, ptx {key[1]:g}", "points": [(x, y, None, None) for x, y in zip(steps, recall)], "line": True, "color": PALETTE[i]})
        reward = [b * 100] + [mean([r["checkpoints"][j]["rl"]["held_out_reward"]["mean"] for r in runs]) * 100 for j in range(len(steps) - 1)]
        series.append({"name": "", "legend": False, "points": [(x, y, None, None) for x, y in zip(steps, reward)], "line": True, "dashed": True, "color": PALETTE[i]})
    write_plot("rl-reward-hacking-steps.svg", svg_chart(
        "reward-hacking: held-out reward rises as held-out correctness falls", "step", "percent",
        series, notes=["solid: capitals recall (%)", "dashed: format reward on held-out", "prompts (x100)", "mean over seeds"]))
    return summary, repairs, b, combined


def rl_vs_sft(report, md, plot="rl-vs-sft.svg", title="rl-vs-sft"):
    runs = report["runs"]
    sft = {int(hp(r, "seed")): r for r in runs if r["name"].startswith("sft-")}
    rl = {int(hp(r, "seed")): r for r in runs if r["name"].startswith("rl-")}
    base_target = suite(last(runs[0]), "target")["base"]
    if not rl or not sft:
        md.append(f"Finished runs: {', '.join(r['name'] for r in runs)}; no RL/SFT pair to compare yet.\n")
        return None
    t = suite(last(runs[0]), "target")
    md.append(f"Base: target accuracy {base_target:.1f}% (of {t['n']} items, {t['metric']}), capitals recall "
              f"{suite(last(runs[0]), KNOWLEDGE)['base']:.1f}%.\n")
    md.append("| seed | RL step | RL target (%) | RL recall Δ (pts) | RL KL(base‖π) target | matched SFT step | SFT target (%) | SFT recall Δ (pts) | SFT KL(base‖π) target | SFT final (step, target %, recall Δ) |")
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    pairs = []
    for seed in sorted(rl):
        if seed not in sft:
            continue
        s = sft[seed]
        for c in rl[seed]["checkpoints"]:
            acc = suite(c, "target")["score"]
            m = min(s["checkpoints"], key=lambda k: (abs(suite(k, "target")["score"] - acc), k["step"]))
            f = last(s)
            pairs.append((seed, c, m))
            md.append(f"| {seed} | {c['step']} | {acc:.1f} | {-drop(c):+.1f} | {kl_suite(c)['score']:.3f} | {m['step']} | {suite(m, 'target')['score']:.1f} | "
                      f"{-drop(m):+.1f} | {kl_suite(m)['score']:.3f} | {f['step']}, {suite(f, 'target')['score']:.1f}, {-drop(f):+.1f} |")
    md.append("")
    final = [(seed, c, m) for seed, c, m in pairs if c["step"] == last(rl[seed])["step"]]
    diff = [drop(m) - drop(c) for _, c, m in final]
    gap = [suite(c, "target")["score"] - suite(m, "target")["score"] for _, c, m in final]
    result = {"n": len(diff), "rl_less": sum(1 for x in diff if x > 0), "forgets_less_by": ci(diff) if diff else None, "accuracy_gap": ci(gap) if gap else None,
              "rl_target": ci([suite(last(rl[s]), "target")["score"] for s in sorted(rl)]),
              "sft_target": ci([suite(last(sft[s]), "target")["score"] for s in sorted(sft)]),
              "rl_drop": ci([drop(last(rl[s])) for s in sorted(rl)]), "sft_drop": ci([drop(last(sft[s])) for s in sorted(sft)]),
              "base_target": base_target, "rl_targets": [suite(last(rl[s]), "target")["score"] for s in sorted(rl)]}
    if diff:
        md.append(f"At RL's last checkpoint against the SFT checkpoint nearest in target accuracy (same seed): SFT's recall drop minus RL's "
                  f"{fmt(*result['forgets_less_by'])} points (positive: RL forgets less), with RL's target accuracy minus SFT's {fmt(*result['accuracy_gap'])} points.\n")
        logs = [rl[seed].get("rl_log") for seed in sorted(rl)]
        if all(logs):
            k = min(10, min(len(x) for x in logs))
            early, late = ci([mean([x["reward"] for x in g[:k]]) for g in logs]), ci([mean([x["reward"] for x in g[-k:]]) for g in logs])
            result["rl_reward"] = (early, late, k)
            md.append(f"RL's train reward (the share of sampled completions paid), mean of its first {k} steps {fmt(*early, 3)}, of its last {k} "
                      f"{fmt(*late, 3)} (over seeds).\n")
        result["per_suite"] = per_suite(final, md)

    series = []
    for i, seed in enumerate(sorted(sft)):
        pts = [(base_target, 0.0, None, None)] + [(suite(c, "target")["score"], drop(c), None, f"{c['step']}" if i == 0 else None) for c in sft[seed]["checkpoints"]]
        series.append({"name": "SFT (a line per seed)", "points": pts, "line": True, "color": PALETTE[0], "legend": i == 0})
    for i, seed in enumerate(sorted(rl)):
        pts = [(base_target, 0.0, None, None)] + [(suite(c, "target")["score"], drop(c), None, f"{c['step']}" if i == 0 else None) for c in rl[seed]["checkpoints"]]
        series.append({"name": "RL, GRPO (a line per seed)", "points": pts, "line": True, "color": PALETTE[1], "dashed": True, "legend": i == 0})
    write_plot(plot, svg_chart(f"{title}: target accuracy against knowledge lost, every checkpoint",
                                          "target accuracy (%)", "capitals recall drop (points)", series,
                                          notes=["labels: step (seed 1)", "lines start at the base"]))
    return result


def per_suite(final, md):
    """Every knowledge and skill suite at the matched checkpoints (RL's last, the same seed's SFT nearest in target
    accuracy): each arm's Δ over seeds, the paired difference (SFT's drop minus RL's), and each seed's severity band."""
    names = [x["suite"] for x in final[0][1]["suites"] if x["category"] in ("knowledge", "skill")]
    if len(names) < 2:
        return None
    md.append("Every knowledge and skill suite at those matched checkpoints (Δ vs base in points, mean ± t 95% over seeds; paired: SFT's drop minus "
              "RL's, positive when RL forgets less; severity per seed, RL then SFT; a suite the base does not know gets no band):\n")
    md.append("| suite | category | base | RL Δ | SFT Δ (matched) | SFT drop − RL drop (paired) | RL severity | SFT severity |")
    md.append("|---|---|---:|---:|---:|---:|---|---|")
    out = {}
    for name in names:
        rl_d = [suite(c, name)["delta_points"] for _, c, _ in final]
        sft_d = [suite(m, name)["delta_points"] for _, _, m in final]
        paired = [r - f for r, f in zip(rl_d, sft_d)]
        first = suite(final[0][1], name)
        out[name] = {"rl": ci(rl_d), "sft": ci(sft_d), "paired": ci(paired), "known": bool((first.get("base_competence") or {}).get("known"))}
        md.append(f"| {name} | {first['category']} | {first['base']:.1f} | {fmt(*ci(rl_d))} | {fmt(*ci(sft_d))} | {fmt(*ci(paired))} | "
                  f"{', '.join(suite(c, name)['severity'] or '–' for _, c, _ in final)} | {', '.join(suite(m, name)['severity'] or '–' for _, _, m in final)} |")
    md.append("")
    return out


def pilot(example, md, extra=()):
    """The settings search for rl-vs-sft's RL arm (tools/rl-evidence/rl-vs-sft-pilot*.yaml), and the choice its rule makes:
    the highest target accuracy at the last checkpoint; within two items of it, the cheaper variant (fewer completions
    per prompt, then the lower rate). Capitals recall is shown but the rule never reads it."""
    report = load(example)
    if not report:
        return None
    # extra: (label, run) pairs from elsewhere scored by the same rule (rl-vs-sft's own RL arm, the spec's setting).
    runs = [(r["name"].split("-full-")[0], r) for r in sorted(report["runs"], key=lambda r: r["name"])] + list(extra)
    target = suite(last(runs[0][1]), "target")
    n = target["n"]
    md.append(f"Pilot `{example}` (seed 1; target base accuracy {target['base']:.1f}% of {n} items):\n")
    md.append("| variant | lr | completions per prompt | target (%) at each checkpoint | steps with any reward | held-out reward (last) | KL target (π‖base, last) | capitals recall Δ (last, not used) |")
    md.append("|---|---:|---:|---|---:|---:|---:|---:|")
    rows = []
    for variant, r in runs:
        log = r.get("rl_log") or []
        gens = int(re.search(r"-g(\d+)", variant).group(1)) if re.search(r"-g(\d+)", variant) else 0
        lr = float(hp(r, "lr"))
        acc = [(c["step"], suite(c, "target")["score"]) for c in r["checkpoints"]]
        rewarded = f"{sum(1 for x in log if x['reward'] > 0)}/{len(log)}" if log else "–"
        rows.append((variant, lr, gens, acc[-1][1]))
        md.append(f"| {variant} | {lr:g} | {gens} | {', '.join(f'{a:.1f} (step {s})' for s, a in acc)} | {rewarded} | "
                  f"{last(r)['rl']['held_out_reward']['mean']:.3f} | {last(r)['rl']['kl_target_prompts']:.3f} | {-drop(last(r)):+.1f} |")
    best = max(a for _, _, _, a in rows)
    near = [row for row in rows if row[3] >= best - 2 * 100 / n]
    choice = min(near, key=lambda row: (row[2], row[1]))
    md.append("")
    learned = best > target["base"] + 2 * 100 / n
    if learned:
        md.append(f"The rule picks **{choice[0]}** (target {choice[3]:.1f}% against the base's {target['base']:.1f}%).\n")
    else:
        md.append(f"No variant ended more than two items above the base ({target['base']:.1f}%; best {best:.1f}%): none of these settings makes "
                  f"GRPO learn this target. By the rule's tie-break the cheapest, **{choice[0]}**, stands.\n")
    return {"choice": choice, "base": target["base"], "n": n, "learned": learned, "best": best}


# The learnability rule of tools/rl-evidence/passrate-*.yaml, fixed before any probe ran.
PASS1_AT_MOST, PASS8_AT_LEAST = 0.2, 0.25


def passrate(md):
    """The learnability probe (tools/rl-evidence/passrate-*.yaml): the base's own samples on each candidate target's
    training prompts, one GRPO group of 8 a step at a learning rate of 1e-12. Per group: pass@1 is its share of right
    completions, pass@8 whether any is right, mixed whether some but not all are (the only groups with non-zero
    advantages). The rule picks, among candidates with pass@1 <= 0.2 and pass@8 >= 0.25, the largest mixed share."""
    folder = RUNS / "rl-vs-sft-passrate"
    if not folder.exists():
        return None
    rows = []
    for cand in sorted(p for p in folder.iterdir() if (p / "report.json").exists()):
        report = json.loads((cand / "report.json").read_text(encoding="utf-8"))
        run = report["runs"][0]
        log = json.loads((cand / "runs" / run["name"] / "rl_log.json").read_text(encoding="utf-8"))
        groups = [round(x["reward"] * 8) for x in log]
        n = len(groups)
        target = suite(last(run), "target")
        row = {"name": cand.name, "groups": n, "pass1": sum(groups) / (8 * n), "pass8": sum(1 for g in groups if g > 0) / n,
               "mixed": sum(1 for g in groups if 0 < g < 8) / n, "greedy": target["base"], "items": target["n"], "metric": target["metric"]}
        row["qualifies"] = row["pass1"] <= PASS1_AT_MOST and row["pass8"] >= PASS8_AT_LEAST
        rows.append(row)
    if not rows:
        return None
    md.append(f"The base's own samples on each candidate's training prompts: {rows[0]['groups']} groups of 8 completions (temperature 1, at most 8 tokens, "
              f"one group a step at lr 1e-12, seed 1). pass@1 is the share of right completions, pass@8 the share of groups with at least one, mixed the "
              f"share with some but not all right: the only groups whose GRPO advantages are not 0. Rule (written in the probe specs before they ran): "
              f"a candidate qualifies with pass@1 ≤ {PASS1_AT_MOST} and pass@8 ≥ {PASS8_AT_LEAST}; the qualifying one with the largest mixed share is the target.\n")
    md.append("| candidate | groups | pass@1 | pass@8 | mixed groups | base greedy target (%) | qualifies |")
    md.append("|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        md.append(f"| {r['name']} | {r['groups']} | {r['pass1']:.3f} | {r['pass8']:.3f} | {r['mixed']:.3f} | {r['greedy']:.1f} (of {r['items']}, {r['metric']}) | {'yes' if r['qualifies'] else 'no'} |")
    md.append("")
    chosen = max((r for r in rows if r["qualifies"]), key=lambda r: r["mixed"], default=None)
    md.append(f"The rule picks **{chosen['name']}**.\n" if chosen else "No candidate qualifies.\n")
    return {"rows": rows, "chosen": chosen}


# The second round's order, fixed in docs/rl.md before it ran: the first (target, temperature) that qualifies is used.
PROBE2_ORDER = [f"t{t}-{name}" for name in ("element_numbers", "new_entities") for t in ("0.7", "0.5", "0.3")]


def passrate_round2(md):
    """The second learnability probe (tools/rl-evidence/passrate-t*.yaml): the same measure at lower temperatures, in
    the stated order, stopped at the first (target, temperature) that qualifies."""
    folder = RUNS / "rl-vs-sft-passrate-t"
    if not folder.exists():
        return None
    rows = []
    for key in PROBE2_ORDER:
        cand = folder / key
        if not (cand / "report.json").exists():
            rows.append({"name": key, "ran": False})
            continue
        report = json.loads((cand / "report.json").read_text(encoding="utf-8"))
        run = report["runs"][0]
        log = json.loads((cand / "runs" / run["name"] / "rl_log.json").read_text(encoding="utf-8"))
        groups = [round(x["reward"] * 8) for x in log]
        n = len(groups)
        target = suite(last(run), "target")
        row = {"name": key, "ran": True, "groups": n, "pass1": sum(groups) / (8 * n), "pass8": sum(1 for g in groups if g > 0) / n,
               "mixed": sum(1 for g in groups if 0 < g < 8) / n, "greedy": target["base"], "items": target["n"], "metric": target["metric"]}
        row["qualifies"] = row["pass1"] <= PASS1_AT_MOST and row["pass8"] >= PASS8_AT_LEAST
        rows.append(row)
    chosen = next((r for r in rows if r["ran"] and r["qualifies"]), None)
    md.append("Second round, at lower temperatures (the plan above, written before it ran): the same measure and rule, in the order "
              f"{', '.join(PROBE2_ORDER)}; the first that qualifies is used and the later ones are not run. Atomic numbers are scored on "
              "the 118 lines trained on.\n")
    md.append("| order | candidate at temperature | groups | pass@1 | pass@8 | mixed groups | base greedy target (%) | qualifies |")
    md.append("|---:|---|---:|---:|---:|---:|---:|---|")
    for i, r in enumerate(rows, 1):
        if r["ran"]:
            md.append(f"| {i} | {r['name']} | {r['groups']} | {r['pass1']:.3f} | {r['pass8']:.3f} | {r['mixed']:.3f} | {r['greedy']:.1f} (of {r['items']}, {r['metric']}) | "
                      f"{'yes' if r['qualifies'] else 'no'} |")
        else:
            md.append(f"| {i} | {r['name']} | – | – | – | – | – | not run{' (an earlier one qualified)' if chosen else ''} |")
    md.append("")
    md.append(f"The rule picks **{chosen['name']}** (pass@1 {chosen['pass1']:.3f}, pass@8 {chosen['pass8']:.3f}).\n" if chosen else "No candidate qualifies.\n")
    return {"rows": rows, "chosen": chosen}


def correlation(reports, md, rl_only=()):
    """Spearman's ρ of KL(base‖model) on the target prompts against the knowledge drop, every run's last checkpoint."""
    xs, ys, kinds = [], [], []
    for name, report in reports:
        for run in report["runs"]:
            c = last(run)
            k = kl_suite(c)
            if k is None:
                continue
            xs.append(k["score"])
            ys.append(drop(c))
            kinds.append(f"{name} {'RL' if c.get('rl') else 'SFT'}")
    if len(xs) < 4:
        md.append(f"Too few runs with a KL-on-target suite ({len(xs)}) for a rank correlation.\n")
        return None
    rho = spearman(xs, ys)
    lo, hi, used = spearman_ci(xs, ys)
    md.append(f"Spearman ρ of KL(base‖model) on the target prompts against the capitals recall drop, over the last checkpoints of all {len(xs)} runs "
              f"of {', '.join(n for n, _ in reports)}: **ρ = {rho:.2f}**, 95% bootstrap interval [{lo:.2f}, {hi:.2f}] ({used} resamples over runs, seeded).\n")
    sub = {}
    for x, y, k in zip(xs, ys, kinds):
        sub.setdefault(k, ([], []))
        sub[k][0].append(x)
        sub[k][1].append(y)
    md.append("| runs | n | ρ | 95% bootstrap |")
    md.append("|---|---:|---:|---|")
    md.append(f"| all | {len(xs)} | {rho:.2f} | [{lo:.2f}, {hi:.2f}] |")
    groups = {}
    by_example = {}
    for x, y, k in zip(xs, ys, kinds):
        by_example.setdefault(k.split(" ")[0], ([], []))
        by_example[k.split(" ")[0]][0].append(x)
        by_example[k.split(" ")[0]][1].append(y)
    for k, (a, b) in sorted(sub.items()) + [(f"{e} (RL and SFT)", v) for e, v in sorted(by_example.items()) if len({kk for kk in sub if kk.startswith(e + " ")}) > 1]:
        if len(a) >= 4:
            r = spearman(a, b)
            l2, h2, _ = spearman_ci(a, b)
            groups[k] = (r, l2, h2, len(a))
            md.append(f"| {k} | {len(a)} | {r:.2f} | [{l2:.2f}, {h2:.2f}] |")
        else:
            md.append(f"| {k} | {len(a)} | – | too few |")
    md.append("")
    # The same with the RL measurement's own KL (π‖base, exact, on sampled completions), RL runs only.
    rx, ry = [], []
    for name, report in list(reports) + list(rl_only):
        for run in report["runs"]:
            c = last(run)
            if c.get("rl"):
                rx.append(c["rl"]["kl_target_prompts"])
                ry.append(drop(c))
    if len(rx) >= 4:
        r = spearman(rx, ry)
        l2, h2, _ = spearman_ci(rx, ry)
        md.append(f"With the RL measurement's own KL(π‖base) on the policy's completions, every RL run of {', '.join(n for n, _ in list(reports) + list(rl_only))} "
                  f"(update-strategy has no KL-on-target suite, so only this measure covers it; n = {len(rx)}): ρ = {r:.2f} [{l2:.2f}, {h2:.2f}].\n")
    series = []
    for i, k in enumerate(sorted(sub)):
        a, b = sub[k]
        series.append({"name": k, "points": [(x, y, None, None) for x, y in zip(a, b)], "color": PALETTE[i]})
    write_plot("rl-kl-vs-forgetting.svg", svg_chart(f"KL on the target prompts against forgetting: Spearman rho {rho:.2f} [{lo:.2f}, {hi:.2f}]",
                                                    "KL(base || model) on the target prompts (nats/token, log)", "capitals recall drop (points)",
                                                    series, logx=True, notes=[f"n = {len(xs)} runs, last checkpoints"]))
    return rho, (lo, hi), len(xs), groups, [n for n, _ in reports]


def update_strategy(report, md):
    variants = {}
    for run in report["runs"]:
        variants.setdefault(run["name"].split("-full-")[0], []).append(run)
    order = [v for v in ["sane", "lr-x10", "epochs-x5", "optimizer-carried", "beta-small"] if v in variants]
    sane = {int(hp(r, "seed")): r for r in variants.get("sane", [])}
    first = last(report["runs"][0])
    md.append(f"Base: target accuracy {suite(first, 'target')['base']:.1f}% (of {suite(first, 'target')['n']}), capitals recall "
              f"{suite(first, KNOWLEDGE)['base']:.1f}%. Cells are mean ± t 95% half-width over the seeds listed.\n")
    md.append("| variant | what changed | seeds | steps | reward (train) | target (%) | capitals recall Δ (pts) | drop beyond sane (pts, paired) | KL target (π‖base) | severity (per seed) |")
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    what = {"sane": "lr 1e-4, 20 steps, fresh AdamW, β 0.04", "lr-x10": "lr 1e-3", "epochs-x5": "100 steps",
            "optimizer-carried": "AdamW moments from pre-training", "beta-small": "β 0.004"}
    result = {}
    for v in order:
        runs = sorted(variants[v], key=lambda r: int(hp(r, "seed")))
        rl = [last(r)["rl"] for r in runs]
        extra = [drop(last(r)) - drop(last(sane[int(hp(r, "seed"))])) for r in runs if int(hp(r, "seed")) in sane]
        result[v] = {"drop": ci([drop(last(r)) for r in runs]), "extra": ci(extra) if v != "sane" and extra else None,
                     "severity": [r["severity"] for r in runs], "target": ci([suite(last(r), "target")["score"] for r in runs]),
                     "target_base": suite(last(runs[0]), "target")["base"], "reward": ci([x["train_reward"]["mean"] for x in rl])}
        md.append(f"| {v} | {what.get(v, '')} | {', '.join(str(hp(r, 'seed')) for r in runs)} | {last(runs[0])['step']} | {fmt(*ci([x['train_reward']['mean'] for x in rl]), 3)} | "
                  f"{fmt(*ci([suite(last(r), 'target')['score'] for r in runs]))} | {fmt(*ci([-drop(last(r)) for r in runs]))} | "
                  f"{fmt(*result[v]['extra']) if result[v]['extra'] else '–'} | {fmt(*ci([x['kl_target_prompts'] for x in rl]), 3)} | {', '.join(r['severity'] for r in runs)} |")
    md.append("")
    series = []
    for i, v in enumerate(order):
        runs = variants[v]
        m, h = ci([drop(last(r)) for r in runs])
        series.append({"name": v, "points": [(i + 1, m, h, None)], "color": PALETTE[i], "r": 6})
        series.append({"name": "", "legend": False, "points": [(i + 1 + 0.08 * (j - 1), drop(last(r)), None, None) for j, r in enumerate(runs)],
                       "color": PALETTE[i], "r": 2.5})
    write_plot("rl-update-strategy.svg", svg_chart("update-strategy: knowledge lost per change, against the sane baseline",
                                                   "variant (1 = sane)", "capitals recall drop (points)", series,
                                                   notes=["big dot: mean over seeds (t 95%)", "small: each seed"]))
    return result


def excludes_zero(m, h):
    return h is not None and abs(m) > h


def lever_label(key):
    return (f"β {key[0]:g}" if key[0] else "") + (" + " if key[0] and key[1] else "") + (f"ptx {key[1]:g}" if key[1] else "")


def verdicts(md, rh=None, rs=None, pilots=(), corr=None, us=None, probe=None, rs_old=None, probe2=None):
    """The verdicts, each decided by a stated rule from the numbers above (a difference counts when its t 95% interval
    over seeds excludes 0), so no verdict is typed by hand either."""
    md.append("### Verdicts\n")
    md.append("Each verdict follows a stated rule from the tables above: a difference counts only when its t 95% interval over "
              "seeds excludes 0.\n")
    if rh:
        summary, repairs, b, combined = rh
        r0 = summary[(0.0, 0.0)]
        d = ci(r0["drop"])
        sev = [r["severity"].split(" ")[0] for r in r0["runs"]]
        collapsed = excludes_zero(*d) and all(x in ("severe", "at_chance") for x in sev)
        md.append(f"1. *Does knowledge collapse when β is 0?* **{'Yes' if collapsed else 'No'}** (rule: the drop's interval excludes 0 and every seed "
                  f"is labelled severe or at chance): capitals recall on countries never prompted fell {fmt(*d)} points in "
                  f"{last(r0['runs'][0])['step']} steps; labels {', '.join(sev)}.")
        held = ci([last(r)["rl"]["held_out_reward"]["mean"] - b for r in r0["runs"]])
        hacked = excludes_zero(*held) and held[0] > 0 and collapsed
        md.append(f"2. *Does the reward rise while held-out correctness falls?* **{'Yes' if hacked else 'No'}** (rule: the held-out reward's rise and the "
                  f"recall drop both exclude 0): at β 0 the format reward on held-out prompts rose {fmt(*held, 3)} over the base's samples "
                  f"({b:.3f}) while capitals recall fell as in 1; the correctness component (paid 0) stayed "
                  f"{fmt(*ci([last(r)['rl']['held_out_reward']['components'].get('correctness', 0) for r in r0['runs']]), 3)}.")
        alone = {k: v for k, v in repairs.items() if k[0] == 0 or k[1] == 0}
        sig = [lever_label(k) for k, v in repairs.items() if excludes_zero(*v[0]) and v[0][0] > 0]

        def per(v):
            return float("inf") if v[2].startswith("∞") else float(v[2])
        mix = repairs.get((0.0, 1.0))
        kls = {k: v for k, v in alone.items() if k[1] == 0}
        line = "3. *KL or the pre-training mix: which repairs more of the drop per unit of reward given up?* "
        if mix and kls:
            best_kl = max(kls, key=lambda k: per(kls[k]))
            direction = per(mix) > per(kls[best_kl])
            line += (f"**{'The mix' if direction else 'KL'}, per unit of reward** (InstructGPT's direction {'holds' if direction else 'does not hold'} "
                     f"on that measure): ptx 1 alone repaired {fmt(*mix[0])} points for {fmt(*mix[1], 3)} of reward ({mix[2]} points per 0.1); "
                     f"the best β alone, {lever_label(best_kl)}, {fmt(*kls[best_kl][0])} for {fmt(*kls[best_kl][1], 3)} ({kls[best_kl][2]} per 0.1). ")
            if not excludes_zero(*mix[1]):
                line += ("The mix's per-unit figure divides by a reward loss whose interval includes 0, so it is fragile: what is firm is "
                         f"only which repairs' intervals exclude 0. ")
            line += (f"Repairs whose interval excludes 0: {', '.join(sig) if sig else 'none'}. ")
            mixed = [(bb, v) for (lever, *rest), v in combined.items() if lever == "ptx" for bb in [rest[0]] if bb > 0]
            if mixed:
                line += "Combined: the mix on top of " + "; on top of ".join(
                    f"β {bb:g} repaired a further {fmt(*v[0])} points ({'interval excludes 0' if excludes_zero(*v[0]) else 'interval includes 0'})"
                    for bb, v in mixed) + "."
        md.append(line)
    learned = [x for x in pilots if x and x.get("learned")]

    def matched(res):
        m, h = res["forgets_less_by"]
        word = ("RL forgot less" if m > 0 else "RL forgot more") if excludes_zero(m, h) else "no difference shown"
        rl_gain = ci([a - res["base_target"] for a in res["rl_targets"]])
        learnt = excludes_zero(*rl_gain) and rl_gain[0] > 0
        fell = excludes_zero(*rl_gain) and rl_gain[0] < 0
        unmatched = excludes_zero(*res["accuracy_gap"])
        if unmatched:
            word += ", and not at matched accuracy"
        state = ("RL learned the target: its gain excludes 0" if learnt else
                 f"RL lost target accuracy: its change, {fmt(*rl_gain)} points, excludes 0" if fell else
                 "RL did not measurably learn the target: its gain includes 0")
        return (f"RL's target {fmt(*res['rl_target'])}% against the base's {res['base_target']:.1f}% ({state}); "
                f"at RL's last checkpoint against the SFT checkpoint nearest in target accuracy, SFT's recall drop minus RL's was {fmt(m, h)} points over "
                f"{res['n']} seed{'s' if res['n'] != 1 else ''} (RL minus SFT target accuracy {fmt(*res['accuracy_gap'])}; RL forgot less in {res['rl_less']} of "
                f"{res['n']} seeds): **{word}**; the published direction "
                f"{ {'RL forgot less': 'holds', 'RL forgot more': 'is reversed'}.get(word, 'is not reproduced')}"
                + (f" (the accuracies are not matched: RL minus SFT target accuracy excludes 0, SFT's nearest checkpoint lying "
                   f"{'above' if res['accuracy_gap'][0] < 0 else 'below'} RL's)" if unmatched else "")), \
            ("learnt" if learnt else "fell" if fell else "flat")
    chosen2 = (probe2 or {}).get("chosen")
    if rs is not None and chosen2:
        line = "4. *RL against SFT at matched target accuracy (RL's Razor, Retaining by Doing: RL forgets less):* "
        line += (f"on **{chosen2['name']}**, the second probe's choice (pass@1 {chosen2['pass1']:.3f}, pass@8 {chosen2['pass8']:.3f} against the rule's "
                 f"≤ {PASS1_AT_MOST} and ≥ {PASS8_AT_LEAST}), GRPO trained on every target line with 8 prompts a step (the third plan; "
                 f"the earlier run, with 2 prompts a step and a quarter of the prompts held out, lowered the target: see \"What was run\"): ")
        if rs.get("forgets_less_by"):
            text, learnt = matched(rs)
            line += text + {"learnt": ". ",
                            "fell": (". GRPO at this temperature lowered the target instead of raising it, although the base samples a right answer in "
                                     "some groups" + (f" (train reward {fmt(*rs['rl_reward'][0], 3)} over the first {rs['rl_reward'][2]} steps, "
                                                      f"{fmt(*rs['rl_reward'][1], 3)} over the last)" if rs.get("rl_reward") else "") +
                                     ", so there is no RL gain to match SFT's at: the comparison at a target RL has learned is still not made. "),
                            "flat": ". RL did not learn this target measurably either, so the comparison is again near the base's accuracy. "}[learnt]
            others = [f"{k} {fmt(*v['paired'])}" for k, v in (rs.get("per_suite") or {}).items() if k != KNOWLEDGE and v["known"]]
            if others:
                line += f"The other suites the base knows, paired the same way (SFT's drop minus RL's, points): {'; '.join(others)}. "
        if rs_old and rs_old.get("forgets_less_by"):
            text, _ = matched(rs_old)
            line += f"The first comparison, on the new countries at temperature 1 near the base's accuracy: {text}."
        md.append(line)
        rs = None
    if rs is not None:
        line = "4. *RL against SFT at matched target accuracy (RL's Razor, Retaining by Doing: RL forgets less):* "
        chosen = (probe or {}).get("chosen")
        best = max((x["best"] for x in pilots if x), default=None)
        if probe and not chosen:
            near = max(probe["rows"], key=lambda r: r["pass8"])
            line += (f"**Not testable as asked here**: no candidate target passed the learnability rule (best pass@8 {near['pass8']:.3f}, {near['name']}, "
                     f"against the rule's {PASS8_AT_LEAST}), so on this base GRPO finds almost no group with unequal rewards on any target tried, "
                     f"and no setting tried lifted the new countries more than two items above the base{f' (best {best:.1f}%)' if best is not None and not learned else ''}. ")
        elif probe and chosen:
            line += f"The learnability rule chose **{chosen['name']}**, but the spec still trains on the new countries: rerun it on that target. "
        if rs.get("forgets_less_by"):
            text, _ = matched(rs)
            line += f"What could be compared, near the base's accuracy on the new countries: {text}."
        md.append(line)
    if corr:
        rho, (lo, hi), n, groups, names = corr

        def strength(lo):
            return "strong" if lo > 0.5 else ("positive" if lo > 0 else "not established (the interval includes 0)")
        md.append(f"5. *How well does KL on the target prompts predict forgetting?* Across all {n} runs of {', '.join(names)}, Spearman ρ = "
                  f"{rho:.2f} [{lo:.2f}, {hi:.2f}]: **{strength(lo)}** (rule: the bootstrap interval's lower end above 0.5 is strong, above 0 "
                  f"positive). Within one example: " + "; ".join(f"{k}, n = {g[3]}: ρ = {g[0]:.2f} [{g[1]:.2f}, {g[2]:.2f}], {strength(g[1])}"
                                                             for k, g in groups.items()) +
                  ". On different targets the same KL goes with very different drops (the tables above), which the pooled rank correlation mixes.")
    if us:
        parts = []
        for v, r in us.items():
            if v == "sane" or r["extra"] is None:
                continue
            m, h = r["extra"]
            word = ("more forgetting than sane" if m > 0 else "less forgetting than sane") if excludes_zero(m, h) else f"not shown to differ from sane at {len(r['severity'])} seeds"
            parts.append(f"{v}: {fmt(m, h)} points beyond sane, **{word}** (labels {', '.join(r['severity'])})")
        if "sane" in us:
            sane = us["sane"]
            md.append(f"6. *Update strategy* (sane: drop {fmt(*sane['drop'])} points, labels {', '.join(sane['severity'])}; its target "
                      f"{fmt(*sane['target'])}% against the base's {sane['target_base']:.1f}%, train reward {fmt(*sane['reward'], 3)}"
                      f"{' — it learned nothing, so every change is measured against a run that did not learn the target' if not excludes_zero(sane['target'][0] - sane['target_base'], sane['target'][1]) else ''}): "
                      + "; ".join(parts) + ".")
    md.append("")


def main():
    md = ["<!-- Written by tools/rl-evidence/analyse.py from docs/runs/*/report.json: do not edit by hand. -->", ""]
    rh = load("reward-hacking")
    rs_old = load("rl-vs-sft")                     # the first comparison: new countries, temperature 1
    rs = element_numbers()                        # examples/rl-vs-sft.yaml now: the second probe's target
    rs_old_result = probe2 = None
    us = load("update-strategy")
    rh_result = rs_result = corr = us_result = probe = None
    pilot_results = []
    if rh:
        md.append("### reward-hacking: the tables\n")
        rh_result = reward_hacking(rh, md)
    pilots = [x for x in ("rl-vs-sft-pilot", "rl-vs-sft-pilot-reverse") if (RUNS / x).exists()]
    if pilots:
        md.append("### rl-vs-sft: choosing the RL arm's settings\n")
        spec_rl = [("rl-vs-sft: lr1e-4-g8 (the spec), 40 steps, seed 1", r) for r in (rs_old or {"runs": []})["runs"]
                   if r["name"].startswith("rl-") and int(hp(r, "seed")) == 1]
        for x in pilots:
            pilot_results.append(pilot(x, md, spec_rl if x == "rl-vs-sft-pilot" else ()))
    if (RUNS / "rl-vs-sft-passrate").exists():
        md.append("### rl-vs-sft: choosing a target GRPO can learn\n")
        probe = passrate(md)
        probe2 = passrate_round2(md)
    if rs:
        md.append("### rl-vs-sft: the tables\n")
        md.append("`examples/rl-vs-sft.yaml` on atomic numbers, GRPO at temperature 0.7 on every target line with 8 prompts a step "
                  "(the third plan; docs/runs/rl-vs-sft-element-numbers/).\n")
        rs_result = rl_vs_sft(rs, md)
    if rs_old:
        md.append("### rl-vs-sft, first comparison: new countries near the base\n")
        md.append("`tools/rl-evidence/rl-vs-sft-new-entities.yaml`, GRPO at temperature 1 (docs/runs/rl-vs-sft/).\n")
        rs_old_result = rl_vs_sft(rs_old, md, plot="rl-vs-sft-new-entities.svg", title="rl-vs-sft (new countries)")
    pooled = [(n, r) for n, r in (("reward-hacking", rh), ("rl-vs-sft", rs), ("rl-vs-sft-new-countries", rs_old)) if r]
    if pooled:
        md.append("### KL on the target prompts against forgetting\n")
        corr = correlation(pooled, md, [("update-strategy", us)] if us else ())
    if us:
        md.append("### update-strategy: the tables\n")
        us_result = update_strategy(us, md)
    verdicts(md, rh_result, rs_result if rs else (rs_old_result if rs_old else None), pilot_results, corr, us_result, probe,
             rs_old_result if rs else None, probe2)
    text = "\n".join(md) + "\n"
    (RUNS / "rl-evidence.md").write_text(text, encoding="utf-8")
    # docs/rl.md carries the same tables between its markers, so the page and the numbers never disagree.
    doc = ROOT / "docs" / "rl.md"
    begin, end = "<!-- rl-evidence:begin -->", "<!-- rl-evidence:end -->"
    page = doc.read_text(encoding="utf-8")
    if len(sys.argv) == 1 and begin in page and end in page:
        head, rest = page.split(begin, 1)
        doc.write_text(head + begin + "\n" + text + end + rest.split(end, 1)[1], encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
