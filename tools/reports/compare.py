#!/usr/bin/env python3
"""Compares two ForgetLab report.json files field by field (a lab run against the same grid on the platform).

usage: tools/reports/compare.py A/report.json B/report.json [--show N] [--suites [--labels A,B]]

Runs are matched by name, suites by name, checkpoints by step, data files by role. Fields that name where a report
came from rather than what it measured are skipped: the spec name, creation time, the base's model name and hash (the
lab keys a base by its spec hash, the platform by tenant and model name), wall-clock times (each run's `time`, each
checkpoint's `training_seconds` and `evaluation_seconds`), and each data file's `file` (a path in the lab, a
`data_ref:` on the platform; its SHA-256, shape, examples and tokens are compared). Every other leaf is compared
exactly; numbers also by their largest absolute difference. Prints one line per part of the report (base, each run,
frontier, seed groups, data) with the number of differing fields, then the first N differences (default 20), then
`agree: 0 of N fields differ` or `differ: K of N fields differ`.

--suites also prints, first, the report's Suites x runs table as a Markdown comparison: for each suite its metric,
both base scores (as report.md rounds them), whether they are equal, and how many runs' cells are equal in every
field (score, delta, interval, p, band, lost and gained items); the column headings name the reports by --labels
(default A,B). Exit status 0 when the two agree everywhere, 1 when some field differs, 2 on bad input.
"""
import json
import sys

SKIPPED = {("spec_name",), ("created_utc",), ("base", "model"), ("base", "model_hash")}
SKIPPED_IN_RUN = {"time"}
SKIPPED_IN_CHECKPOINT = {"training_seconds", "evaluation_seconds"}
SKIPPED_IN_DATA = {"file"}


def keyed(items, key):
    return {item[key]: item for item in items} if all(isinstance(i, dict) and key in i for i in items) else None


class Comparison:
    """Walks two parsed reports (or parts of them) and keeps every differing leaf and how many leaves it compared."""

    def __init__(self):
        self.compared = 0

    def walk(self, a, b, path, out):
        """Appends (path, a, b) for every differing leaf under path."""
        if isinstance(a, dict) and isinstance(b, dict):
            for k in sorted(set(a) | set(b)):
                if len(path) == 2 and path[0] == "runs" and k in SKIPPED_IN_RUN:
                    continue
                if len(path) == 4 and path[2] == "checkpoints" and k in SKIPPED_IN_CHECKPOINT:
                    continue
                if len(path) == 2 and path[0] == "data" and k in SKIPPED_IN_DATA:
                    continue
                if tuple(path + [k]) in SKIPPED:
                    continue
                if k not in a or k not in b:
                    out.append((path + [k], a.get(k, "<absent>"), b.get(k, "<absent>")))
                else:
                    self.walk(a[k], b[k], path + [k], out)
            return
        if isinstance(a, list) and isinstance(b, list):
            for key in ("name", "suite", "step", "role"):
                ka, kb = keyed(a, key), keyed(b, key)
                if ka is not None and kb is not None and a:
                    for k in sorted(set(ka) | set(kb), key=str):
                        if k not in ka or k not in kb:
                            out.append((path + [str(k)], ka.get(k, "<absent>"), kb.get(k, "<absent>")))
                        else:
                            self.walk(ka[k], kb[k], path + [str(k)], out)
                    return
            if any(isinstance(x, str) for x in a + b):  # item ids (lost, gained), run names (frontier): one field, compared whole
                self.compared += 1
                if a != b:
                    out.append((path, a, b))
                return
            if len(a) != len(b):
                out.append((path + ["<length>"], len(a), len(b)))
                return
            for i, (x, y) in enumerate(zip(a, b)):
                self.walk(x, y, path + [str(i)], out)
            return
        self.compared += 1
        if a != b:
            out.append((path, a, b))


def base_text(score, binary):
    """A base score as report.md's Suites x runs table prints it: points to one decimal, other metrics to three."""
    if score is None:
        return "—"
    return f"{score:.1f}" if binary else f"{score:.3f}"


def suites_table(a, b, labels):
    """The Suites x runs comparison: Markdown lines, and the number of equal run cells and of run cells."""
    base_a = keyed((a.get("base") or {}).get("suites") or [], "suite") or {}
    base_b = keyed((b.get("base") or {}).get("suites") or [], "suite") or {}
    runs_a = keyed(a.get("runs") or [], "name") or {}
    runs_b = keyed(b.get("runs") or [], "name") or {}
    names = [n for n in runs_a if n in runs_b]
    lines = [f"| suite | metric | {labels[0]} base | {labels[1]} base | base equal | run cells equal |", "|---|---|---:|---:|:---:|---:|"]
    equal_cells = cells = 0
    for suite, sa in base_a.items():
        sb = base_b.get(suite)
        kinds = {c.get("kind") for r in runs_a.values() for c in r.get("suites") or [] if c.get("suite") == suite}
        binary = "binary" in kinds
        if sb is None:
            lines.append(f"| {suite} | {sa.get('metric')} | {base_text(sa.get('score'), binary)} | (absent) | | |")
            continue
        equal = 0
        for name in names:
            ca = (keyed(runs_a[name].get("suites") or [], "suite") or {}).get(suite)
            cb = (keyed(runs_b[name].get("suites") or [], "suite") or {}).get(suite)
            diffs = []
            Comparison().walk(ca, cb, ["runs", name, "suites", suite], diffs)
            equal += ca is not None and cb is not None and not diffs
        equal_cells += equal
        cells += len(names)
        same = "yes" if sa.get("score") == sb.get("score") and sa.get("n") == sb.get("n") else "no"
        lines.append(f"| {suite} | {sa.get('metric')} | {base_text(sa.get('score'), binary)} | {base_text(sb.get('score'), binary)} | {same} | {equal} of {len(names)} |")
    for suite in base_b:
        if suite not in base_a:
            lines.append(f"| {suite} | {base_b[suite].get('metric')} | (absent) | | | |")
    return lines, equal_cells, cells


def option(argv, name, default):
    if name not in argv:
        return default
    i = argv.index(name)
    if i + 1 >= len(argv):
        raise ValueError(f"{name} needs a value")
    value = argv[i + 1]
    del argv[i : i + 2]
    return value


def main(argv):
    argv = list(argv)
    try:
        show = int(option(argv, "--show", "20"))
        labels = option(argv, "--labels", "A,B").split(",")
        if len(labels) != 2:
            raise ValueError("--labels takes two names, comma-separated (e.g. lab,platform)")
    except ValueError as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    with_suites = "--suites" in argv
    args = [a for a in argv if a != "--suites"]
    if len(args) != 2 or any(a.startswith("--") for a in args):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    try:
        reports = [json.load(open(p, encoding="utf-8")) for p in args]
    except (OSError, json.JSONDecodeError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2
    a, b = reports
    if not all(isinstance(r, dict) and isinstance(r.get("runs"), list) for r in reports):
        print("compare: a report.json is an object with a `runs` list (lab run's report.json, or GET /api/v1/experiments/{id}/report)", file=sys.stderr)
        return 2
    if with_suites:
        lines, equal_cells, cells = suites_table(a, b, labels)
        print("\n".join(lines))
        print()
        print(f"{equal_cells} of {cells} run cells identical")
        print()
    comparison = Comparison()
    total = 0
    shown = 0
    parts = [("base", ["base"], a.get("base"), b.get("base"))]
    parts += [(name, ["runs", name], run, (keyed(b["runs"], "name") or {}).get(name)) for name, run in (keyed(a["runs"], "name") or {}).items()]
    parts += [(p, [p], a.get(p), b.get(p)) for p in ("frontier", "seed_groups", "data")]
    for part, path, x, y in parts:
        diffs = []
        if y is None and x is not None:
            diffs.append((path, "present", "<absent>"))
        else:
            comparison.walk(x, y, path, diffs)
        numeric = [abs(p - q) for _, p, q in diffs if isinstance(p, (int, float)) and isinstance(q, (int, float)) and not isinstance(p, bool)]
        largest = max(numeric, default=0)
        print(f"{part}: {len(diffs)} fields differ" + (f" (largest numeric difference {largest:.6g})" if numeric else ""))
        total += len(diffs)
        for p, u, v in diffs[: max(0, show - shown)]:
            print(f"  {'.'.join(p)}: {json.dumps(u)[:80]} vs {json.dumps(v)[:80]}")
        shown += min(len(diffs), max(0, show - shown))
    extra = set(keyed(b["runs"], "name") or {}) - set(keyed(a["runs"], "name") or {})
    for name in sorted(extra):
        print(f"{name}: only in {args[1]}")
        total += 1
    print(f"{'agree' if total == 0 else 'differ'}: {total} of {comparison.compared} fields differ")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
